// Numbered frames replacing a folder's frame set as a whole (frame_folder.h):
// the reproductions of issue 8 (81 old frames and 16 new ones, a folder with
// other files, a rename failing part-way) and the recovery after a SIGKILL.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>

#include "app/export/frame_folder.h"
#include "app/export/temporaries.h"
#include "core/errors.h"
#include "export_test_support.h"

using namespace exporter;
using export_test::TempDir;

namespace {

std::vector<uint8_t> solid(int w, int h, uint8_t r) {
  std::vector<uint8_t> px(static_cast<size_t>(w * h * 4));
  for (size_t i = 0; i < px.size(); i += 4) px[i] = r, px[i + 1] = 7, px[i + 2] = 9, px[i + 3] = 255;
  return px;
}

// Writes `n` frames of shade `r` into `folder` as one export.
void export_frames(const std::string& folder, int n, uint8_t r, FrameFolder::Options o = {}) {
  FrameFolder frames(folder, o);
  for (int i = 0; i < n; ++i) frames.add_frame(4, 3, solid(4, 3, static_cast<uint8_t>(r + i)).data());
  frames.finish();
}

std::vector<std::string> sorted_entries(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(folder)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::vector<std::string> frame_names(int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) names.push_back(frame_file_name(i));
  return names;
}

// Every file of a folder, name → bytes.
std::map<std::string, std::string> snapshot(const std::string& folder) {
  std::map<std::string, std::string> files;
  for (const std::string& name : sorted_entries(folder)) files[name] = export_test::read_bytes(folder + "/" + name);
  return files;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// A pid that belonged to a process which has exited (and been reaped).
pid_t gone_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

// Fails the rename number `fail_at` (counting from 1) of finish() with EIO.
int g_renames = 0, g_fail_at = 0;
int flaky_rename(const char* from, const char* to) {
  if (++g_renames == g_fail_at) {
    errno = EIO;
    return -1;
  }
  return std::rename(from, to);
}

}  // namespace

TEST(ExportFrameFolder, FrameFileNames) {
  EXPECT_EQ(frame_file_name(42), "frame_000042.png");
  EXPECT_EQ(frame_file_name(1234567), "frame_1234567.png");
  EXPECT_TRUE(is_frame_file_name("frame_000000.png"));
  EXPECT_TRUE(is_frame_file_name("frame_1234567.png"));
  EXPECT_FALSE(is_frame_file_name("frame_00001.png"));   // five digits: not ours
  EXPECT_FALSE(is_frame_file_name("frame_000001.PNG"));
  EXPECT_FALSE(is_frame_file_name("frame_00000a.png"));
  EXPECT_FALSE(is_frame_file_name("xframe_000001.png"));
}

// Issue 8: exporting 16 frames into a folder that held 81 left frames 16–80 of
// the old export behind.
TEST(ExportFrameFolder, SixteenFramesOverEightyOneLeaveExactlySixteen) {
  TempDir dir;
  export_frames(dir / "out", 81, 100);
  ASSERT_EQ(sorted_entries(dir / "out"), frame_names(81));
  export_frames(dir / "out", 16, 10);
  EXPECT_EQ(sorted_entries(dir / "out"), frame_names(16));
  // They are the new frames.
  FrameFolder probe(dir / "probe");
  probe.add_frame(4, 3, solid(4, 3, 10 + 15).data());
  probe.finish();
  EXPECT_EQ(export_test::read_bytes(dir / "out/frame_000015.png"), export_test::read_bytes(dir / "probe/frame_000000.png"));
}

TEST(ExportFrameFolder, AFolderWithOtherFilesIsRefusedAndUntouched) {
  TempDir dir;
  export_frames(dir / "out", 5, 100);
  write_text(dir / "out/notes.txt", "mine");
  std::filesystem::create_directory(dir / "out/sub");
  const auto before = snapshot(dir / "out");
  try {
    FrameFolder frames(dir / "out/");
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::export_folder_not_frames);
    EXPECT_EQ(std::string(e.what()), dir.path + "/out/ holds files other than numbered frames (notes.txt and sub); "
                                                  "choose an empty or new folder, or replace only its frame_*.png with --force");
  }
  EXPECT_EQ(snapshot(dir / "out"), before);  // nothing added, nothing removed
}

TEST(ExportFrameFolder, ForceReplacesOnlyTheFrames) {
  TempDir dir;
  export_frames(dir / "out", 9, 100);
  write_text(dir / "out/notes.txt", "mine");
  write_text(dir / "out/frame_01.png", "not a frame of ours");
  FrameFolder::Options force;
  force.force = true;
  export_frames(dir / "out", 3, 10, force);
  std::vector<std::string> want = frame_names(3);
  want.push_back("frame_01.png");
  want.push_back("notes.txt");
  EXPECT_EQ(sorted_entries(dir / "out"), want);
  EXPECT_EQ(export_test::read_bytes(dir / "out/notes.txt"), "mine");
}

TEST(ExportFrameFolder, AMissingFolderIsCreatedAndRemovedAgainOnCancel) {
  TempDir dir;
  {
    FrameFolder frames(dir / "new/");
    frames.add_frame(4, 3, solid(4, 3, 1).data());
    EXPECT_TRUE(std::filesystem::is_directory(dir / "new"));
    frames.cancel();
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

// A rename failing part-way: issue 8 found frames 0–4 already replaced.
// Here every rename of finish() in turn is made to fail once.
TEST(ExportFrameFolder, ARenameFailingAnywhereLeavesTheOldSetIntact) {
  TempDir dir;
  export_frames(dir / "out", 6, 100);
  const auto before = snapshot(dir / "out");
  // 6 old frames aside + the aside folder's rename + 4 new frames in + the rename to discard- = 12.
  for (int fail_at = 1; fail_at <= 11; ++fail_at) {
    SCOPED_TRACE("rename number " + std::to_string(fail_at) + " fails");
    g_renames = 0;
    g_fail_at = fail_at;
    FrameFolder::Options o;
    o.rename = flaky_rename;
    FrameFolder frames(dir / "out", o);
    for (int i = 0; i < 4; ++i) frames.add_frame(4, 3, solid(4, 3, static_cast<uint8_t>(i)).data());
    try {
      frames.finish();
      FAIL() << "no error";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::export_write_failed);
      EXPECT_NE(std::string(e.what()).find("Input/output error"), std::string::npos) << e.what();
    }
    EXPECT_EQ(snapshot(dir / "out"), before);  // the old set, whole; no temporary folder
  }
  // The rename to discard- failing is no failure: the new set is in, the old one gone.
  g_renames = 0;
  g_fail_at = 12;
  FrameFolder::Options o;
  o.rename = flaky_rename;
  export_frames(dir / "out", 4, 0, o);
  EXPECT_EQ(sorted_entries(dir / "out"), frame_names(4));
}

// What a SIGKILL leaves, rebuilt by hand with the pid of a process that is gone.
TEST(ExportFrameFolder, TheNextExportRollsBackASwapCutShortBySigkill) {
  TempDir dir;
  const std::string out = dir / "out";
  export_frames(out, 4, 100);
  const auto old_set = snapshot(out);
  const std::string pid = std::to_string(gone_pid());

  // Killed in phase 1: frames 0–1 moved aside, 2–3 still in place; the new frames in their temporary folder.
  const std::string aside = out + "/.convscope-old-" + pid + ".AbC123";
  const std::string fresh = out + "/.convscope-frames-" + pid + ".XyZ789";
  std::filesystem::create_directory(aside);
  std::filesystem::create_directory(fresh);
  for (int i = 0; i < 2; ++i) std::filesystem::rename(out + "/" + frame_file_name(i), aside + "/" + frame_file_name(i));
  for (int i = 0; i < 7; ++i) write_text(fresh + "/" + frame_file_name(i), "new");
  EXPECT_EQ(recover_interrupted_swaps(out), 1);
  EXPECT_EQ(clean_stale_temporaries(out), 1);
  EXPECT_EQ(snapshot(out), old_set);

  // Killed in phase 2: the old set aside (replaced-), new frames 0–2 in.
  const std::string replaced = out + "/.convscope-replaced-" + pid + ".AbC123";
  std::filesystem::create_directory(replaced);
  for (int i = 0; i < 4; ++i) std::filesystem::rename(out + "/" + frame_file_name(i), replaced + "/" + frame_file_name(i));
  for (int i = 0; i < 3; ++i) write_text(out + "/" + frame_file_name(i), "new");
  // A FrameFolder recovers before it looks at the folder: the old set is back, then replaced whole.
  { FrameFolder frames(out); }
  EXPECT_EQ(snapshot(out), old_set);

  // Killed in phase 3: the new set in, the old one in discard-.
  const std::string discard = out + "/.convscope-discard-" + pid + ".AbC123";
  std::filesystem::create_directory(discard);
  write_text(discard + "/" + frame_file_name(0), "old");
  EXPECT_EQ(clean_stale_temporaries(out), 1);
  EXPECT_EQ(snapshot(out), old_set);
}

TEST(ExportFrameFolder, ALiveExportsTemporariesAreLeftAlone) {
  TempDir dir;
  std::filesystem::create_directory(dir / "out");
  const std::string mine = dir / "out/.convscope-frames-1.AbC123";  // pid 1 is always running
  std::filesystem::create_directory(mine);
  EXPECT_EQ(clean_stale_temporaries(dir / "out"), 0);
  EXPECT_TRUE(std::filesystem::exists(mine));
  // …and count as something else in the folder.
  EXPECT_THROW(FrameFolder(dir / "out"), core::Error);
}
