// resources.h — where shaders/ and assets/ are, and reading them.
//
// CMake copies shaders/ and assets/ beside the convscope binary. Programs
// elsewhere in the build tree (tests) find them in a parent folder; a
// relocated binary can point $CONVSCOPE_RESOURCE_DIR at them.
#pragma once

#include <string>

namespace render {

// The folder holding shaders/ and assets/, or "" (see canvas_renderer.h).
std::string find_resource_dir();
// The folder of the running executable (/proc/self/exe), without a trailing slash.
std::string executable_dir();
// A whole file; throws std::runtime_error naming the path.
std::string read_resource(const std::string& path);
// The first existing file of `candidates` ("" if none).
std::string first_existing(std::initializer_list<std::string> candidates);

}  // namespace render
