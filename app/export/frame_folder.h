// frame_folder.h — numbered PNG frames that replace a folder's frame set as a
// whole: afterwards the folder holds exactly the new frames, never a mix.
//
//   exporter::FrameFolder frames("out/");   // checks out/, makes out/.convscope-frames-PID.XXXXXX
//   frames.add_frame(w, h, rgba);           // frame_000000.png, frame_000001.png, … into that folder
//   frames.finish();                        // the new set replaces every old frame_*.png
//   // cancel() or destruction before finish(): the temporary folder goes; out/ is as it was
//
// The folder may be missing (it is created, and removed again if the export
// does not finish), empty, or hold frame_*.png files (an earlier export's). A
// folder holding anything else is refused with core::Error
// export_folder_not_frames unless Options::force; then only its frame_*.png
// files are replaced and every other entry stays. Nothing a user can see in
// the folder changes before finish(): 16 new frames over 81 old ones leave
// exactly the 16.
//
// finish() only renames, in phases marked by the name of a folder A beside the
// frames, so that whatever stops it the folder ends with the whole old set or
// the whole new one:
//   1. the old frames move into A = .convscope-old-PID.S; A is renamed .convscope-replaced-PID.S;
//   2. the new frames move in from the temporary folder; A is renamed .convscope-discard-PID.S;
//   3. A (the old frames) and the empty temporary folder are removed.
// A rename that fails in phase 1 or 2 puts back what moved (new frames out,
// old frames in) and throws core::Error(export_write_failed) naming the frame
// and the system's reason. SIGINT/SIGTERM/SIGHUP wait until the swap is over
// (SignalsDeferred). After a SIGKILL the next FrameFolder on the same folder
// rolls back what a process that is gone left: from old- it moves the old
// frames back, from replaced- it removes the new frames first; discard- and
// frames- folders are removed (temporaries.h).
//
// The temporary folder sits inside the destination rather than beside it:
// renames then stay on one filesystem whatever is mounted where, and a folder
// the user can write is all an export needs. The frames are not fsynced (a
// crash may lose the new set, not mix it with the old one).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/export/temporaries.h"

namespace exporter {

// "frame_000042.png"
std::string frame_file_name(int64_t index);
// frame_ + at least six digits + .png: what a frame set is made of.
bool is_frame_file_name(std::string_view name);

class FrameFolder {
 public:
  struct Options {
    bool force = false;  // a folder holding other files: replace only its frame_*.png
    // Every rename of finish() goes through this (tests make one fail part-way).
    int (*rename)(const char* from, const char* to) = nullptr;  // nullptr: std::rename
  };

  // Throws core::Error (export_write_failed, export_folder_not_frames).
  explicit FrameFolder(std::string folder, Options options);
  explicit FrameFolder(std::string folder) : FrameFolder(std::move(folder), Options{}) {}
  ~FrameFolder();
  FrameFolder(const FrameFolder&) = delete;
  FrameFolder& operator=(const FrameFolder&) = delete;

  void add_frame(int width, int height, const uint8_t* rgba, bool bottom_up = false);
  void finish();
  void cancel() noexcept;
  int64_t frames() const { return frames_; }
  const std::string& temp_folder() const { return temp_; }

 private:
  int rename_file(const std::string& from, const std::string& to) const;
  // Phase 1/2 undo: `moved_new` new frames out of the folder, `moved_old` old ones back from `aside`.
  bool put_back(const std::vector<std::string>& old, size_t moved_old, size_t moved_new, const std::string& aside) const;

  std::string folder_, temp_;
  Options options_;
  TempRegistration temp_registration_, created_registration_;
  bool created_ = false;
  int64_t frames_ = 0;
  bool done_ = false;
};

// Rolls back frame-set swaps in `folder` that processes which are gone left
// half-done (see above). Best effort, never throws; returns how many it found.
int recover_interrupted_swaps(const std::string& folder);

}  // namespace exporter
