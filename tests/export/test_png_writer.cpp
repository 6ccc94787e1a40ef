// PNG files and numbered frame folders: readable back, atomic, usual permissions.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>
#include <filesystem>

#include "app/export/frame_folder.h"
#include "app/export/png_writer.h"
#include "core/errors.h"
#include "export_test_support.h"

using namespace exporter;
using export_test::TempDir;

namespace {

std::vector<uint8_t> solid(int w, int h, uint8_t r, uint8_t g, uint8_t b) {
  std::vector<uint8_t> px(static_cast<size_t>(w * h * 4));
  for (size_t i = 0; i < px.size(); i += 4) px[i] = r, px[i + 1] = g, px[i + 2] = b, px[i + 3] = 255;
  return px;
}

// Width and height from the IHDR chunk.
std::pair<int, int> png_size(const std::string& bytes) {
  auto be32 = [&](size_t at) {
    return (static_cast<uint8_t>(bytes[at]) << 24) | (static_cast<uint8_t>(bytes[at + 1]) << 16) |
           (static_cast<uint8_t>(bytes[at + 2]) << 8) | static_cast<uint8_t>(bytes[at + 3]);
  };
  return {be32(16), be32(20)};
}

}  // namespace

TEST(PngWriter, WritesAPngOfTheGivenSizeWithUsualPermissions) {
  TempDir dir;
  const mode_t old = umask(022);
  write_png(dir / "f.png", 7, 5, solid(7, 5, 10, 20, 30).data());
  umask(old);
  const std::string bytes = export_test::read_bytes(dir / "f.png");
  ASSERT_GT(bytes.size(), 24u);
  EXPECT_EQ(bytes.substr(1, 3), "PNG");
  EXPECT_EQ(png_size(bytes), std::make_pair(7, 5));
  EXPECT_EQ(export_test::file_mode(dir / "f.png"), 0644u);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"f.png"});
}

TEST(PngWriter, UnwritablePlaceIsAClearError) {
  try {
    write_png("/nonexistent-folder/f.png", 2, 2, solid(2, 2, 0, 0, 0).data());
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(std::string(e.what()), "cannot write /nonexistent-folder/f.png: No such file or directory");
  }
}

TEST(ExportFrameFolder, NumberedFramesAppearOnlyWhenFinished) {
  TempDir dir;
  {
    FrameFolder frames(dir / "out/");
    for (int i = 0; i < 3; ++i) frames.add_frame(4, 4, solid(4, 4, static_cast<uint8_t>(i * 50), 0, 0).data());
    EXPECT_FALSE(std::filesystem::exists(dir / "out/frame_000000.png"));  // not before finish()
    frames.finish();
  }
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir / "out")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"frame_000000.png", "frame_000001.png", "frame_000002.png"}));
}

TEST(ExportFrameFolder, CancelKeepsEarlierFramesAndLeavesNothingBehind) {
  TempDir dir;
  {
    FrameFolder frames(dir.path);
    frames.add_frame(4, 4, solid(4, 4, 1, 2, 3).data());
    frames.finish();
  }
  const std::string before = export_test::read_bytes(dir / "frame_000000.png");
  {
    FrameFolder frames(dir.path);
    frames.add_frame(4, 4, solid(4, 4, 200, 0, 0).data());
    frames.add_frame(4, 4, solid(4, 4, 0, 200, 0).data());
    frames.cancel();
  }
  EXPECT_EQ(export_test::read_bytes(dir / "frame_000000.png"), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"frame_000000.png"});
}
