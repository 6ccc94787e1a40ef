#include "app/model/scenario_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "core/errors.h"

namespace model {

namespace {

int64_t mtime_ns_of(const struct stat& st) {
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + static_cast<int64_t>(st.st_mtim.tv_nsec);
}

// The process umask without changing it (umask() both reads and sets, which
// would race with the exporter's thread creating files): Linux reports it in
// /proc/self/status.
mode_t current_umask() {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Umask:", 0) == 0) return static_cast<mode_t>(std::strtoul(line.c_str() + 6, nullptr, 8));
  return 022;
}

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

uint64_t content_hash(std::string_view bytes) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char b : bytes) {
    h ^= b;
    h *= 1099511628211ull;
  }
  return h;
}

std::string hash_text(uint64_t hash) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(hash));
  return buf;
}

bool parse_hash_text(const std::string& text, uint64_t& hash) {
  if (text.size() != 16 || text.find_first_not_of("0123456789abcdef") != std::string::npos) return false;
  hash = std::strtoull(text.c_str(), nullptr, 16);
  return true;
}

LoadedScenario load_scenario_file(const std::string& path) {
  const std::string text = core::read_text_file(path);
  LoadedScenario out{core::parse_scenario(text), FileIdentity{}};
  out.identity.path = path;
  out.identity.size = static_cast<int64_t>(text.size());
  out.identity.hash = content_hash(text);
  struct stat st {};
  if (::stat(path.c_str(), &st) == 0) out.identity.mtime_ns = mtime_ns_of(st);
  return out;
}

bool file_unchanged(const FileIdentity& id) {
  struct stat st {};
  if (id.path.empty() || ::stat(id.path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  return static_cast<int64_t>(st.st_size) == id.size && mtime_ns_of(st) == id.mtime_ns;
}

std::string save_text_atomically(const std::string& path, const std::string& text, FileIdentity* written) {
  if (path.empty()) return "no file name given";
  const std::string dir = parent_dir(path);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (!std::filesystem::is_directory(dir, ec)) return "cannot create the folder " + dir;
  if (std::filesystem::is_directory(path, ec)) return "cannot write " + path + ": it is a folder";
  std::string tmp = dir + "/." + file_name_of(path) + ".XXXXXX";
  const int fd = ::mkstemp(tmp.data());
  if (fd < 0) return "cannot write " + path + ": " + std::strerror(errno);
  auto fail = [&](int err) {
    ::close(fd);
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(err);
  };
  ::fchmod(fd, 0666 & ~current_umask());  // mkstemp creates 0600; a saved file gets the usual mode
  for (size_t done = 0; done < text.size();) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail(n < 0 ? errno : ENOSPC);
    done += static_cast<size_t>(n);
  }
  // On disk before the rename: after a power cut the old file or the new one, never an empty one.
  if (::fsync(fd) != 0) return fail(errno);
  struct stat st {};
  ::fstat(fd, &st);
  if (::close(fd) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(err);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const int err = errno;
    ::unlink(tmp.c_str());
    return "cannot write " + path + ": " + std::strerror(err);
  }
  if (written) *written = FileIdentity{path, static_cast<int64_t>(text.size()), mtime_ns_of(st), content_hash(text)};
  return {};
}

std::string user_data_dir() {
  const char* xdg = std::getenv("XDG_DATA_HOME");
  if (xdg && *xdg == '/') return std::string(xdg) + "/convscope";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.local/share/convscope";
  return {};
}

std::string file_name_of(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

bool file_exists(const std::string& path) {
  struct stat st {};
  return !path.empty() && ::stat(path.c_str(), &st) == 0;
}

}  // namespace model
