#include "app/render/resources.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.h"

namespace render {

namespace fs = std::filesystem;

namespace {

// From the binary's folder to the installed share folder: "../share/convscope" for the
// usual GNUInstallDirs layout (CMake computes it from the install destinations).
#ifndef CONVSCOPE_SHARE_FROM_BIN
#error "CONVSCOPE_SHARE_FROM_BIN must be defined by the build (app/CMakeLists.txt)"
#endif
constexpr const char* kShareFromBin = CONVSCOPE_SHARE_FROM_BIN;

// fonts-dejavu-core's folder on Debian and its derivatives.
constexpr const char* kDejaVuDir = "/usr/share/fonts/truetype/dejavu/";

bool is_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool has_resources(const std::string& dir) { return !dir.empty() && is_file(dir + "/shaders/grid.frag"); }

std::string installed_dir(const std::string& exe_dir) {
  return (fs::path(exe_dir) / kShareFromBin).lexically_normal().string();
}

// `inner` lies within `outer` (both absolute and normalised).
bool path_within(const fs::path& inner, const fs::path& outer) {
  const fs::path rel = inner.lexically_relative(outer);
  return !rel.empty() && *rel.begin() != "..";
}

}  // namespace

std::string executable_dir() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return {};
  std::string path(buf, static_cast<size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash);
}

std::string find_resource_dir(const std::string& exe_dir, const char* env_dir) {
  // Without the executable's folder (no /proc), "." or "../share/convscope" would be
  // the current directory's: only the variable is left.
  if (!exe_dir.empty()) {
    if (has_resources(exe_dir)) return exe_dir;
    if (const std::string share = installed_dir(exe_dir); has_resources(share)) return share;
  }
  if (env_dir && has_resources(env_dir)) return env_dir;
  return {};
}

std::string find_resource_dir() { return find_resource_dir(executable_dir(), std::getenv("CONVSCOPE_RESOURCE_DIR")); }

std::string missing_resources_message() {
  const std::string exe_dir = executable_dir();
  if (exe_dir.empty())
    return core::error_message(core::ErrorCode::resources_missing, "the program's folder (/proc/self/exe is unreadable)",
                               "../share/convscope beside it");
  return core::error_message(core::ErrorCode::resources_missing, exe_dir, installed_dir(exe_dir));
}

bool is_inside_resources(const std::string& path, const std::string& resource_dir) {
  if (path.empty() || resource_dir.empty()) return false;
  std::error_code ec;
  const fs::path absolute = fs::absolute(path, ec);
  if (ec) return false;
  const fs::path target = fs::weakly_canonical(absolute, ec);
  if (ec) return false;
  const fs::path dir = fs::weakly_canonical(resource_dir, ec);
  if (ec) return false;
  return path_within(target, dir / "shaders") || path_within(target, dir / "assets");
}

std::string read_resource(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string first_existing(std::initializer_list<std::string> candidates) {
  for (const std::string& c : candidates)
    if (is_file(c)) return c;
  return {};
}

std::string find_font(bool bold) {
  return first_existing({std::string(kDejaVuDir) + (bold ? "DejaVuSans-Bold.ttf" : "DejaVuSans.ttf")});
}

std::string missing_font_message() {
  return core::error_message(core::ErrorCode::font_missing, std::string(kDejaVuDir) + "DejaVuSans.ttf");
}

}  // namespace render
