// atomic_file.h — write a file through a temporary in the same folder, then
// rename it into place: readers see the old file or the whole new one, never a
// partial one, and a cancelled or failed write leaves the old file untouched.
//
//   exporter::AtomicFile file("out/x.gif");   // creates out/.x.gif.convscope-PID.XXXXXX
//   write(file.fd(), ...);
//   file.commit();                            // fsync, mode 0666 & ~umask, rename
//   // destroyed without commit(): the temporary is removed
//
// The temporary is registered for the signal handler and named after the
// process (temporaries.h); opening one first removes the temporaries that
// processes which are gone left in the same folder (a SIGKILLed export).
// Errors throw core::Error(export_write_failed) naming the final path and the
// system's reason. Never touches the final path before commit().
#pragma once

#include <string>

#include "app/export/temporaries.h"

namespace exporter {

class AtomicFile {
 public:
  explicit AtomicFile(std::string final_path);
  ~AtomicFile();
  AtomicFile(const AtomicFile&) = delete;
  AtomicFile& operator=(const AtomicFile&) = delete;

  int fd() const { return fd_; }
  const std::string& path() const { return final_path_; }
  const std::string& temp_path() const { return temp_path_; }

  // Makes the temporary the final file. Throws core::Error; the temporary is
  // removed on failure. `sync` = false skips the fsync (numbered frames, where
  // the folder as a whole is what matters and thousands of fsyncs would dominate).
  void commit(bool sync = true);
  // Removes the temporary (also what the destructor does before commit()).
  void discard() noexcept;

 private:
  std::string final_path_, temp_path_;
  TempRegistration registration_;
  int fd_ = -1;
  bool done_ = false;
};

// The permission bits a new file gets from open(…, 0666) under the current
// umask (read without changing the umask, so it is safe with threads).
unsigned default_file_mode();

// Throws core::Error(export_write_failed) "cannot write PATH: REASON".
[[noreturn]] void fail_write(const std::string& path, const std::string& reason);
// The same with strerror(err).
[[noreturn]] void fail_write_errno(const std::string& path, int err);

}  // namespace exporter
