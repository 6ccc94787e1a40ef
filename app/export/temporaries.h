// temporaries.h — the hidden files and folders an export writes before it
// commits, and how none of them outlives the export.
//
//   exporter::remove_temporaries_on_signals();   // once, before the first export (CLI, gallery, Export panel)
//   exporter::clean_stale_temporaries(dir);      // before writing into dir
//   {
//     exporter::SignalsDeferred hold;            // create + register as one step
//     fd = mkostemp(...);  reg = exporter::TempRegistration(path, exporter::TempKind::file);
//   }
//   ... write ...;   rename into place;  reg.release();
//
// Every temporary carries its creator's pid in its name (temporary_file_template,
// temporary_folder_template), so four kinds of ending are covered:
//   - failure or cancel: the owner (AtomicFile, FrameFolder) removes what it made;
//   - SIGINT, SIGTERM, SIGHUP: the handler installed by remove_temporaries_on_signals()
//     removes every path registered by this process (unlink; a folder's entries
//     via getdents64 + unlinkat, then rmdir: only async-signal-safe calls, no
//     allocation), then passes the signal on: to the handler that was there
//     before, or back to the default action, re-raised (the process still dies
//     of the signal, exit status 128 + N). An ignored signal stays ignored.
//     While SignalsDeferred is held on any thread (a frame set being swapped in,
//     a temporary being created and registered) the handler only notes the
//     signal; the last holder acts on it when it lets go, so a swap is never
//     cut in half;
//   - SIGKILL, a power cut, an abort: nothing runs, so the next export into the
//     same folder removes temporaries whose pid is no longer a running process
//     (clean_stale_temporaries; FrameFolder first rolls back a frame-set swap
//     that was cut short, see frame_folder.h).
// O_TMPFILE + linkat would keep a single file invisible until commit, but not
// a frame set of thousands of files, and not on every filesystem: one
// mechanism (pid in the name) covers both.
//
// A pid from another pid namespace sharing the folder may look dead: such a
// temporary would be removed while its export runs (that export then fails
// with a clear error). The registry has kMaxTemporaries slots; beyond them (or
// for a path longer than PATH_MAX) a temporary is not removed by the handler,
// only by the next export. Never throws from the handler, never touches a
// path it did not create.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <sys/types.h>

namespace exporter {

enum class TempKind {
  file,            // unlink
  folder,          // unlink its entries, then rmdir
  created_folder,  // rmdir only if empty (a destination folder the export created)
};

// Registers `path` for removal by the signal handler while the object lives.
// Destroying or release()-ing it only forgets the path (it does not remove it).
class TempRegistration {
 public:
  TempRegistration() = default;
  TempRegistration(const std::string& path, TempKind kind);
  ~TempRegistration() { release(); }
  TempRegistration(TempRegistration&& other) noexcept;
  TempRegistration& operator=(TempRegistration&& other) noexcept;
  TempRegistration(const TempRegistration&) = delete;
  TempRegistration& operator=(const TempRegistration&) = delete;
  void release() noexcept;

 private:
  int slot_ = -1;
};

constexpr int kMaxTemporaries = 32;

// Holds SIGINT/SIGTERM/SIGHUP back (see above) while alive; nests; any thread.
class SignalsDeferred {
 public:
  SignalsDeferred();
  ~SignalsDeferred();
  SignalsDeferred(const SignalsDeferred&) = delete;
  SignalsDeferred& operator=(const SignalsDeferred&) = delete;
};

// Installs the handler for SIGINT, SIGTERM and SIGHUP (once; later calls do nothing).
void remove_temporaries_on_signals();
// What the handler does before passing the signal on, for another signal
// handler of the program to call. Async-signal-safe.
void remove_registered_temporaries() noexcept;

// "DIR/.NAME.convscope-PID.XXXXXX" for mkostemp (`dir` ends in '/' or is empty).
std::string temporary_file_template(const std::string& dir, const std::string& name);
// "FOLDER/.convscope-ROLE-PID.XXXXXX" for mkdtemp; roles: frames, old, replaced, discard.
std::string temporary_folder_template(const std::string& folder, std::string_view role);

struct TemporaryName {
  enum class Kind { file, folder } kind;
  std::string role;  // folders: frames, old, replaced, discard
  pid_t pid = 0;
};
// Whether `name` (a bare file name) is one of the temporaries above.
std::optional<TemporaryName> parse_temporary_name(std::string_view name);
// Whether process `pid` is gone (kill(pid, 0) fails with ESRCH).
bool process_is_gone(pid_t pid);

// Removes from `dir` the temporaries of processes that are gone: files, and
// folders of role frames and discard. Folders of role old and replaced hold
// a frame set that was being swapped: FrameFolder recovers those. Best effort,
// never throws; returns the number of entries removed.
int clean_stale_temporaries(const std::string& dir);

// Removes a folder's entries and the folder itself (not recursive: the
// temporaries hold files only). Best effort; false if something remained.
bool remove_flat_folder(const std::string& folder) noexcept;

}  // namespace exporter
