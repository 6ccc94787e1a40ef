// resources.h — where shaders/ and assets/ are, where the font is, and reading them.
//
// The program's read-only files (shaders/, assets/) are looked up, in order:
//   1. next to the executable: the build tree, where CMake copies them beside build/convscope;
//   2. <executable's folder>/../share/convscope: an installed copy (cmake --install, the .deb),
//      relative to the binary so that an installed tree can be moved anywhere;
//   3. $CONVSCOPE_RESOURCE_DIR: anything else (test programs in build/tests/<area>/).
// Never the current directory and never the source tree. The folder found is only read:
// user files live in XDG folders (model/session.h).
//
// Fonts are not shipped: the text is DejaVu Sans from Debian's fonts-dejavu-core.
#pragma once

#include <initializer_list>
#include <string>

namespace render {

// The folder holding shaders/ and assets/, or "" (see above).
std::string find_resource_dir();
// The same search from a given executable folder and value of $CONVSCOPE_RESOURCE_DIR
// (nullptr = unset); find_resource_dir() passes executable_dir() and the environment.
std::string find_resource_dir(const std::string& exe_dir, const char* env_dir);
// The one-line error (core::ErrorCode::resources_missing) when find_resource_dir() returns "",
// naming the places it looked.
std::string missing_resources_message();
// True if `path` names a file inside shaders/ or assets/ of `resource_dir` (which the
// program must not write, even when it could).
bool is_inside_resources(const std::string& path, const std::string& resource_dir);

// The folder of the running executable (/proc/self/exe), without a trailing slash; "" if
// /proc is not there.
std::string executable_dir();
// A whole file; throws std::runtime_error naming the path.
std::string read_resource(const std::string& path);
// The first existing file of `candidates` ("" if none).
std::string first_existing(std::initializer_list<std::string> candidates);

// DejaVu Sans (regular or bold) from fonts-dejavu-core, or "" if it is not installed.
std::string find_font(bool bold);
// The error (core::ErrorCode::font_missing) when find_font(false) returns "".
std::string missing_font_message();

}  // namespace render
