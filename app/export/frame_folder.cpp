#include "app/export/frame_folder.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "app/export/atomic_file.h"
#include "app/export/png_writer.h"
#include "core/errors.h"

namespace exporter {

namespace {

struct Entry {
  std::string name;
  bool regular = false;
};

std::vector<Entry> entries_of(const std::string& folder) {
  std::vector<Entry> out;
  DIR* d = opendir(folder.c_str());
  if (!d) return out;
  while (const struct dirent* e = readdir(d)) {
    const std::string name = e->d_name;
    if (name == "." || name == "..") continue;
    struct stat st {};
    const bool regular = lstat((folder + "/" + name).c_str(), &st) == 0 && S_ISREG(st.st_mode);
    out.push_back({name, regular});
  }
  closedir(d);
  std::sort(out.begin(), out.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  return out;
}

// The frame set now in `folder`: regular files named like frames.
std::vector<std::string> frames_in(const std::string& folder) {
  std::vector<std::string> names;
  for (const Entry& e : entries_of(folder))
    if (e.regular && is_frame_file_name(e.name)) names.push_back(e.name);
  return names;
}

// "notes.txt, a.json and 3 more"
std::string some_names(const std::vector<std::string>& names) {
  std::string text;
  const size_t shown = std::min<size_t>(names.size(), 3);
  for (size_t i = 0; i < shown; ++i) {
    if (i) text += i + 1 == shown && names.size() == shown ? " and " : ", ";
    text += core::excerpt(names[i], 40);
  }
  if (names.size() > shown) text += " and " + std::to_string(names.size() - shown) + " more";
  return text;
}

// Moves without replacing anything (a recovery never overwrites a frame).
bool move_no_replace(const std::string& from, const std::string& to) {
  if (renameat2(AT_FDCWD, from.c_str(), AT_FDCWD, to.c_str(), RENAME_NOREPLACE) == 0) return true;
  if (errno != EINVAL && errno != ENOSYS) return false;
  struct stat st {};
  return lstat(to.c_str(), &st) != 0 && std::rename(from.c_str(), to.c_str()) == 0;
}

// The same folder with another role: FOLDER/.convscope-old-PID.S → FOLDER/.convscope-ROLE-PID.S.
std::string with_role(const std::string& folder, const std::string& aside, const std::string& role) {
  constexpr std::string_view prefix = ".convscope-";
  const std::string name = aside.substr(aside.rfind('/') + 1);
  return folder + "/" + std::string(prefix) + role + name.substr(name.find('-', prefix.size()));
}

}  // namespace

std::string frame_file_name(int64_t index) {
  char name[40];
  std::snprintf(name, sizeof name, "frame_%06lld.png", static_cast<long long>(index));
  return name;
}

bool is_frame_file_name(std::string_view name) {
  constexpr std::string_view head = "frame_", tail = ".png";
  if (name.size() < head.size() + 6 + tail.size()) return false;
  if (name.substr(0, head.size()) != head || name.substr(name.size() - tail.size()) != tail) return false;
  for (char c : name.substr(head.size(), name.size() - head.size() - tail.size()))
    if (c < '0' || c > '9') return false;
  return true;
}

int recover_interrupted_swaps(const std::string& folder) {
  int found = 0;
  for (const Entry& e : entries_of(folder)) {
    const std::optional<TemporaryName> t = parse_temporary_name(e.name);
    if (!t || t->kind != TemporaryName::Kind::folder || (t->role != "old" && t->role != "replaced")) continue;
    if (t->pid == getpid() || !process_is_gone(t->pid)) continue;
    ++found;
    const std::string aside = folder + "/" + e.name;
    // replaced-: every frame in the folder is one of the new set, which never completed.
    if (t->role == "replaced")
      for (const std::string& name : frames_in(folder)) unlink((folder + "/" + name).c_str());
    for (const std::string& name : frames_in(aside)) move_no_replace(aside + "/" + name, folder + "/" + name);
    rmdir(aside.c_str());  // only if everything went back
  }
  return found;
}

FrameFolder::FrameFolder(std::string folder, Options options) : folder_(std::move(folder)), options_(options) {
  while (folder_.size() > 1 && folder_.back() == '/') folder_.pop_back();
  if (folder_.empty()) folder_ = ".";
  const std::string shown = folder_ + "/";
  struct stat st {};
  if (stat(folder_.c_str(), &st) != 0) {
    if (errno != ENOENT) fail_write_errno(shown, errno);
    SignalsDeferred hold;
    if (mkdir(folder_.c_str(), 0777) != 0) fail_write_errno(shown, errno);
    created_ = true;
    created_registration_ = TempRegistration(folder_, TempKind::created_folder);
  } else if (!S_ISDIR(st.st_mode)) {
    fail_write(shown, "it exists and is not a folder");
  }
  recover_interrupted_swaps(folder_);
  clean_stale_temporaries(folder_);
  std::vector<std::string> others;
  for (const Entry& e : entries_of(folder_))
    if (!e.regular || !is_frame_file_name(e.name)) others.push_back(e.name);
  if (!others.empty() && !options_.force) core::fail(core::ErrorCode::export_folder_not_frames, shown, some_names(others));

  std::string tmpl = temporary_folder_template(folder_, "frames");
  bool made = false;
  {
    SignalsDeferred hold;
    made = mkdtemp(tmpl.data()) != nullptr;
    if (made) temp_registration_ = TempRegistration(tmpl, TempKind::folder);
  }
  if (!made) {
    const int err = errno;
    cancel();
    fail_write_errno(shown, err);
  }
  temp_ = tmpl;
}

FrameFolder::~FrameFolder() { cancel(); }

int FrameFolder::rename_file(const std::string& from, const std::string& to) const {
  return (options_.rename ? options_.rename : std::rename)(from.c_str(), to.c_str());
}

void FrameFolder::add_frame(int width, int height, const uint8_t* rgba, bool bottom_up) {
  if (done_) fail_write(folder_ + "/", "the frames were already finished");
  const std::string path = temp_ + "/" + frame_file_name(frames_);
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) fail_write_errno(folder_ + "/" + frame_file_name(frames_), errno);
  try {
    write_png_to_fd(fd, folder_ + "/" + frame_file_name(frames_), width, height, rgba, bottom_up);
  } catch (...) {
    close(fd);
    throw;
  }
  if (close(fd) != 0) fail_write_errno(folder_ + "/" + frame_file_name(frames_), errno);
  ++frames_;
}

bool FrameFolder::put_back(const std::vector<std::string>& old, size_t moved_old, size_t moved_new,
                           const std::string& aside) const {
  bool ok = true;
  for (size_t i = 0; i < moved_new; ++i) ok &= unlink((folder_ + "/" + frame_file_name(static_cast<int64_t>(i))).c_str()) == 0;
  for (size_t i = 0; i < moved_old; ++i) ok &= rename_file(aside + "/" + old[i], folder_ + "/" + old[i]) == 0;
  if (ok && !aside.empty()) rmdir(aside.c_str());
  return ok;
}

void FrameFolder::finish() {
  if (done_) fail_write(folder_ + "/", "the frames were already finished");
  const std::vector<std::string> old = frames_in(folder_);
  std::string failed_path;
  int err = 0;
  bool restored = true;
  std::string aside;
  {
    SignalsDeferred hold;  // a signal now waits until the folder holds one whole set
    if (!old.empty()) {
      std::string tmpl = temporary_folder_template(folder_, "old");
      if (!mkdtemp(tmpl.data())) {
        err = errno;
        failed_path = folder_ + "/";
      } else {
        aside = tmpl;
      }
    }
    // 1. The old set aside.
    size_t moved_old = 0;
    for (; !err && moved_old < old.size(); ++moved_old)
      if (rename_file(folder_ + "/" + old[moved_old], aside + "/" + old[moved_old]) != 0) {
        err = errno;
        failed_path = folder_ + "/" + old[moved_old];
        break;
      }
    if (!err && !aside.empty()) {
      const std::string replaced = with_role(folder_, aside, "replaced");
      if (rename_file(aside, replaced) != 0) err = errno, failed_path = folder_ + "/";
      else aside = replaced;
    }
    if (err) {
      restored = put_back(old, moved_old, 0, aside);
    } else {
      // 2. The new set in.
      size_t moved_new = 0;
      for (; moved_new < static_cast<size_t>(frames_); ++moved_new) {
        const std::string name = frame_file_name(static_cast<int64_t>(moved_new));
        if (rename_file(temp_ + "/" + name, folder_ + "/" + name) != 0) {
          err = errno;
          failed_path = folder_ + "/" + name;
          break;
        }
      }
      if (err) {
        restored = put_back(old, old.size(), moved_new, aside);
      } else if (!aside.empty()) {
        // 3. The old set goes. Should the rename fail, remove it at once: a
        // replaced- folder left behind would be rolled back over the new set.
        const std::string discard = with_role(folder_, aside, "discard");
        remove_flat_folder(rename_file(aside, discard) == 0 ? discard : aside);
      }
    }
  }
  if (err) {
    const std::string keep = restored ? "" : "; the earlier frames are kept in " + aside;
    cancel();
    fail_write(failed_path, std::string(std::strerror(err)) + keep);
  }
  done_ = true;
  rmdir(temp_.c_str());
  temp_registration_.release();
  created_registration_.release();
}

void FrameFolder::cancel() noexcept {
  if (done_) return;
  done_ = true;
  if (!temp_.empty()) remove_flat_folder(temp_);
  temp_registration_.release();
  if (created_) rmdir(folder_.c_str());  // only if nothing else appeared in it meanwhile
  created_registration_.release();
}

}  // namespace exporter
