#include "app/export/atomic_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <mutex>

#include "core/errors.h"

namespace exporter {

void fail_write(const std::string& path, const std::string& reason) {
  core::fail(core::ErrorCode::export_write_failed, path, reason);
}

void fail_write_errno(const std::string& path, int err) { fail_write(path, std::strerror(err)); }

unsigned default_file_mode() {
  // Linux ≥ 4.7 reports the umask in /proc; elsewhere fall back to the
  // set-and-restore dance under a lock.
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line))
    if (line.rfind("Umask:", 0) == 0) return 0666u & ~static_cast<unsigned>(std::stoul(line.substr(6), nullptr, 8));
  static std::mutex m;
  std::lock_guard<std::mutex> lock(m);
  const mode_t mask = umask(022);
  umask(mask);
  return 0666u & ~static_cast<unsigned>(mask);
}

AtomicFile::AtomicFile(std::string final_path) : final_path_(std::move(final_path)) {
  const size_t slash = final_path_.rfind('/');
  const std::string dir = slash == std::string::npos ? "" : final_path_.substr(0, slash + 1);
  const std::string base = slash == std::string::npos ? final_path_ : final_path_.substr(slash + 1);
  if (base.empty()) fail_write(final_path_, "the path names a folder, not a file");
  clean_stale_temporaries(dir);
  std::string tmpl = temporary_file_template(dir, base);
  {
    SignalsDeferred hold;  // no signal between creating the file and registering it
    fd_ = mkostemp(tmpl.data(), O_CLOEXEC);
    if (fd_ >= 0) registration_ = TempRegistration(tmpl, TempKind::file);
  }
  if (fd_ < 0) fail_write_errno(final_path_, errno);
  temp_path_ = tmpl;
}

AtomicFile::~AtomicFile() { discard(); }

void AtomicFile::discard() noexcept {
  if (done_) return;
  done_ = true;
  if (fd_ >= 0) close(fd_);
  fd_ = -1;
  unlink(temp_path_.c_str());
  registration_.release();
}

void AtomicFile::commit(bool sync) {
  if (done_) fail_write(final_path_, "the file was already closed");
  // mkstemp creates 0600; exports get what any new file gets.
  int err = 0;
  if (fchmod(fd_, default_file_mode()) != 0) err = errno;
  if (!err && sync && fsync(fd_) != 0) err = errno;
  if (close(fd_) != 0 && !err) err = errno;
  fd_ = -1;
  if (!err && rename(temp_path_.c_str(), final_path_.c_str()) != 0) err = errno;
  if (err) {
    discard();
    fail_write_errno(final_path_, err);
  }
  done_ = true;
  registration_.release();
}

}  // namespace exporter
