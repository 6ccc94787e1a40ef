#include "app/export/temporaries.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>

namespace exporter {

namespace {

// ---- the registry: fixed storage, so the handler never allocates ----

enum SlotState : int { kFree = 0, kFilling = 1, kRegistered = 2 };

struct Slot {
  std::atomic<int> state{kFree};
  pid_t owner = 0;
  TempKind kind = TempKind::file;
  char path[PATH_MAX] = {};
};

Slot g_slots[kMaxTemporaries];

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
struct sigaction g_previous[3];
std::atomic<bool> g_installed{false};
std::atomic<int> g_deferred{0};      // SignalsDeferred objects alive, all threads
std::atomic<int> g_pending{0};       // a signal that arrived meanwhile
static_assert(std::atomic<int>::is_always_lock_free, "the signal handler needs lock-free atomics");

int signal_index(int sig) {
  for (int i = 0; i < 3; ++i)
    if (kSignals[i] == sig) return i;
  return -1;
}

// Passes `sig` on: to the handler installed before ours, or to the default
// action (re-raised: blocked while a handler runs, so it lands when it returns).
void pass_on(int sig) {
  const int i = signal_index(sig);
  if (i < 0) return;
  const struct sigaction& prev = g_previous[i];
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction) {
      siginfo_t info;
      std::memset(&info, 0, sizeof info);
      info.si_signo = sig;
      prev.sa_sigaction(sig, &info, nullptr);
    }
    return;
  }
  if (prev.sa_handler == SIG_IGN) return;
  if (prev.sa_handler != SIG_DFL) {
    prev.sa_handler(sig);
    return;
  }
  struct sigaction dfl;
  std::memset(&dfl, 0, sizeof dfl);
  dfl.sa_handler = SIG_DFL;
  sigemptyset(&dfl.sa_mask);
  sigaction(sig, &dfl, nullptr);
  raise(sig);
}

void act_on(int sig) {
  remove_registered_temporaries();
  pass_on(sig);
}

void on_signal(int sig) {
  const int saved_errno = errno;
  if (g_deferred.load() > 0) g_pending.store(sig);
  else act_on(sig);
  errno = saved_errno;
}

bool remove_flat_folder_at(const char* path) noexcept;

bool is_dot_entry(const char* name) { return name[0] == '.' && (!name[1] || (name[1] == '.' && !name[2])); }

bool all_digits(std::string_view s) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

bool is_suffix(std::string_view s) {  // the six characters mkstemp/mkdtemp fill in
  if (s.size() != 6) return false;
  for (char c : s)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) return false;
  return true;
}

// "PID.XXXXXX" → pid, or 0.
pid_t pid_and_suffix(std::string_view s) {
  const size_t dot = s.find('.');
  if (dot == std::string_view::npos || !all_digits(s.substr(0, dot)) || !is_suffix(s.substr(dot + 1))) return 0;
  long long pid = 0;
  for (char c : s.substr(0, dot)) pid = pid * 10 + (c - '0');
  return pid > 0 && pid <= INT_MAX ? static_cast<pid_t>(pid) : 0;
}

constexpr std::string_view kFolderPrefix = ".convscope-";
constexpr std::string_view kFileMarker = ".convscope-";
constexpr std::string_view kRoles[] = {"frames", "old", "replaced", "discard"};

}  // namespace

// ---- registration ----

TempRegistration::TempRegistration(const std::string& path, TempKind kind) {
  if (path.size() >= PATH_MAX) return;  // only the next export's stale cleanup will see it
  for (int i = 0; i < kMaxTemporaries; ++i) {
    int expected = kFree;
    if (!g_slots[i].state.compare_exchange_strong(expected, kFilling)) continue;
    Slot& s = g_slots[i];
    s.owner = getpid();
    s.kind = kind;
    std::memcpy(s.path, path.c_str(), path.size() + 1);
    s.state.store(kRegistered);
    slot_ = i;
    return;
  }
}

TempRegistration::TempRegistration(TempRegistration&& other) noexcept : slot_(other.slot_) { other.slot_ = -1; }

TempRegistration& TempRegistration::operator=(TempRegistration&& other) noexcept {
  if (this != &other) {
    release();
    slot_ = other.slot_;
    other.slot_ = -1;
  }
  return *this;
}

void TempRegistration::release() noexcept {
  if (slot_ < 0) return;
  g_slots[slot_].state.store(kFree);
  slot_ = -1;
}

// ---- signals ----

SignalsDeferred::SignalsDeferred() { g_deferred.fetch_add(1); }

SignalsDeferred::~SignalsDeferred() {
  if (g_deferred.fetch_sub(1) != 1) return;
  if (const int sig = g_pending.exchange(0)) act_on(sig);
}

void remove_temporaries_on_signals() {
  if (g_installed.exchange(true)) return;
  for (int i = 0; i < 3; ++i) {
    struct sigaction current;
    if (sigaction(kSignals[i], nullptr, &current) != 0) continue;
    if (!(current.sa_flags & SA_SIGINFO) && current.sa_handler == SIG_IGN) continue;  // nohup & co.: stay ignored
    struct sigaction ours;
    std::memset(&ours, 0, sizeof ours);
    ours.sa_handler = on_signal;
    sigemptyset(&ours.sa_mask);
    for (int sig : kSignals) sigaddset(&ours.sa_mask, sig);  // one cleanup at a time
    ours.sa_flags = SA_RESTART;
    g_previous[i] = current;
    sigaction(kSignals[i], &ours, nullptr);
  }
}

void remove_registered_temporaries() noexcept {
  const pid_t me = getpid();
  // Temporaries first, then the folders an export created (empty by then).
  for (int pass = 0; pass < 2; ++pass)
    for (Slot& s : g_slots) {
      if (s.state.load() != kRegistered || s.owner != me) continue;
      const bool created = s.kind == TempKind::created_folder;
      if ((pass == 0) == created) continue;
      if (s.kind == TempKind::file) unlink(s.path);
      else if (s.kind == TempKind::folder) remove_flat_folder_at(s.path);
      else rmdir(s.path);
    }
}

bool remove_flat_folder(const std::string& folder) noexcept { return remove_flat_folder_at(folder.c_str()); }

namespace {

// Only system calls the signal-safety list allows (getdents64 is the raw
// system call, as readdir is not safe), and a buffer on the stack.
bool remove_flat_folder_at(const char* path) noexcept {
  const int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd >= 0) {
    alignas(8) char buf[4096];
    // Unlinking while listing may skip entries: list again until a pass removes nothing.
    for (int round = 0; round < 64; ++round) {
      bool removed = false;
      lseek(fd, 0, SEEK_SET);
      for (;;) {
        const ssize_t n = getdents64(fd, buf, sizeof buf);
        if (n <= 0) break;
        for (ssize_t off = 0; off < n;) {
          const auto* d = reinterpret_cast<const struct dirent64*>(buf + off);
          off += d->d_reclen;
          if (!is_dot_entry(d->d_name) && unlinkat(fd, d->d_name, 0) == 0) removed = true;
        }
      }
      if (!removed) break;
    }
    close(fd);
  }
  return rmdir(path) == 0 || errno == ENOENT;
}

}  // namespace

// ---- names ----

std::string temporary_file_template(const std::string& dir, const std::string& name) {
  return dir + "." + name + std::string(kFileMarker) + std::to_string(getpid()) + ".XXXXXX";
}

std::string temporary_folder_template(const std::string& folder, std::string_view role) {
  return folder + "/" + std::string(kFolderPrefix) + std::string(role) + "-" + std::to_string(getpid()) + ".XXXXXX";
}

std::optional<TemporaryName> parse_temporary_name(std::string_view name) {
  if (name.substr(0, kFolderPrefix.size()) == kFolderPrefix) {
    const std::string_view rest = name.substr(kFolderPrefix.size());
    for (std::string_view role : kRoles)
      if (rest.size() > role.size() && rest.substr(0, role.size()) == role && rest[role.size()] == '-')
        if (const pid_t pid = pid_and_suffix(rest.substr(role.size() + 1)))
          return TemporaryName{TemporaryName::Kind::folder, std::string(role), pid};
  }
  const size_t marker = name.rfind(kFileMarker);
  if (name.size() > 1 && name[0] == '.' && marker != std::string_view::npos && marker > 1)
    if (const pid_t pid = pid_and_suffix(name.substr(marker + kFileMarker.size())))
      return TemporaryName{TemporaryName::Kind::file, {}, pid};
  return std::nullopt;
}

bool process_is_gone(pid_t pid) { return pid > 0 && kill(pid, 0) != 0 && errno == ESRCH; }

int clean_stale_temporaries(const std::string& dir) {
  DIR* d = opendir(dir.empty() ? "." : dir.c_str());
  if (!d) return 0;
  int removed = 0;
  const std::string prefix = dir.empty() ? "" : dir.back() == '/' ? dir : dir + "/";
  while (const struct dirent* e = readdir(d)) {
    const std::optional<TemporaryName> t = parse_temporary_name(e->d_name);
    if (!t || t->pid == getpid() || !process_is_gone(t->pid)) continue;
    const std::string path = prefix + e->d_name;
    struct stat st {};
    if (lstat(path.c_str(), &st) != 0) continue;
    if (t->kind == TemporaryName::Kind::file && S_ISREG(st.st_mode)) {
      removed += unlink(path.c_str()) == 0;
    } else if (t->kind == TemporaryName::Kind::folder && S_ISDIR(st.st_mode) &&
               (t->role == "frames" || t->role == "discard")) {
      removed += remove_flat_folder(path);
    }
  }
  closedir(d);
  return removed;
}

}  // namespace exporter
