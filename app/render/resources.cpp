#include "app/render/resources.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <sys/stat.h>
#include <unistd.h>

namespace render {

namespace {

bool is_file(const std::string& p) {
  struct stat st;
  return ::stat(p.c_str(), &st) == 0 && S_ISREG(st.st_mode);
}

bool has_resources(const std::string& dir) { return !dir.empty() && is_file(dir + "/shaders/grid.frag"); }

}  // namespace

std::string executable_dir() {
  char buf[4096];
  const ssize_t n = ::readlink("/proc/self/exe", buf, sizeof buf - 1);
  if (n <= 0) return ".";
  std::string path(buf, static_cast<size_t>(n));
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

std::string find_resource_dir() {
  std::string dir = executable_dir();
  for (int up = 0; up < 4; ++up) {
    if (has_resources(dir)) return dir;
    const auto slash = dir.rfind('/');
    if (slash == std::string::npos || slash == 0) break;
    dir = dir.substr(0, slash);
  }
  if (const char* env = std::getenv("CONVSCOPE_RESOURCE_DIR"); env && has_resources(env)) return env;
#ifdef CONVSCOPE_SOURCE_DIR
  if (has_resources(CONVSCOPE_SOURCE_DIR)) return CONVSCOPE_SOURCE_DIR;
#endif
  return {};
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

}  // namespace render
