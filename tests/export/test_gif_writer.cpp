// GIF files as a viewer reads them back (giflib's own decoder): frame count,
// size, NETSCAPE2.0 loop, delays, colours, the changed rectangle, atomic
// replacement and permissions.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <algorithm>

#include "app/export/gif_writer.h"
#include "core/errors.h"
#include "export_test_support.h"

using namespace exporter;
using export_test::DecodedGif;
using export_test::TempDir;

namespace {

const Rgb kBackground{250, 250, 247}, kInk{20, 24, 32}, kBlue{33, 102, 172}, kRed{178, 24, 43};

Palette test_palette() { return Palette::build({kBackground, kInk, kBlue, kRed}, {{kInk, kBackground, true}}); }

struct Image {
  int w, h;
  std::vector<uint8_t> rgba;
  Image(int w_, int h_, Rgb fill) : w(w_), h(h_), rgba(static_cast<size_t>(w_ * h_ * 4)) { rect(0, 0, w, h, fill); }
  void rect(int x0, int y0, int rw, int rh, Rgb c) {
    for (int y = y0; y < y0 + rh; ++y)
      for (int x = x0; x < x0 + rw; ++x) {
        uint8_t* p = &rgba[static_cast<size_t>((y * w + x) * 4)];
        p[0] = c.r, p[1] = c.g, p[2] = c.b, p[3] = 255;
      }
  }
};

Rgb pixel(const std::vector<uint8_t>& rgb, int w, int x, int y) {
  const uint8_t* p = &rgb[static_cast<size_t>((y * w + x) * 3)];
  return {p[0], p[1], p[2]};
}

// Three frames: a blue square moving right, then an unchanged frame.
void write_three_frames(const std::string& path, int last_delay_cs = 150) {
  const Palette pal = test_palette();
  GifWriter gif(path, 40, 30, pal);
  Image a(40, 30, kBackground);
  a.rect(2, 2, 8, 8, kBlue);
  gif.add_frame(a.rgba.data(), 20);
  a.rect(2, 2, 8, 8, kBackground);
  a.rect(12, 2, 8, 8, kRed);
  gif.add_frame(a.rgba.data(), 20);
  gif.add_frame(a.rgba.data(), last_delay_cs);
  gif.finish();
}

}  // namespace

TEST(GifWriter, FramesSizeLoopAndDelaysReadBack) {
  TempDir dir;
  write_three_frames(dir / "a.gif");
  DecodedGif gif(dir / "a.gif");
  ASSERT_NE(gif.gif, nullptr) << GifErrorString(gif.error);
  EXPECT_EQ(gif.frames(), 3);
  EXPECT_EQ(gif.gif->SWidth, 40);
  EXPECT_EQ(gif.gif->SHeight, 30);
  EXPECT_TRUE(gif.loops_forever());
  EXPECT_EQ(gif.delay_cs(0), 20);
  EXPECT_EQ(gif.delay_cs(1), 20);
  EXPECT_EQ(gif.delay_cs(2), 150);  // the last frame holds longer
  EXPECT_EQ(export_test::read_bytes(dir / "a.gif").substr(0, 6), "GIF89a");
}

TEST(GifWriter, ColoursAreExactAndOnlyTheChangedRectangleIsEncoded) {
  TempDir dir;
  write_three_frames(dir / "a.gif");
  DecodedGif gif(dir / "a.gif");
  ASSERT_EQ(gif.frames(), 3);
  const auto f0 = gif.composite(0), f1 = gif.composite(1), f2 = gif.composite(2);
  EXPECT_EQ(pixel(f0, 40, 5, 5), kBlue);
  EXPECT_EQ(pixel(f0, 40, 15, 5), kBackground);
  EXPECT_EQ(pixel(f1, 40, 5, 5), kBackground);
  EXPECT_EQ(pixel(f1, 40, 15, 5), kRed);
  EXPECT_EQ(pixel(f1, 40, 30, 25), kBackground);
  EXPECT_EQ(f2, f1);
  // Frame 1 covers just the union of the old and new squares: x 2…19, y 2…9.
  const GifImageDesc& d1 = gif.gif->SavedImages[1].ImageDesc;
  EXPECT_EQ(d1.Left, 2);
  EXPECT_EQ(d1.Top, 2);
  EXPECT_EQ(d1.Width, 18);
  EXPECT_EQ(d1.Height, 8);
  // Inside the rectangle, pixels that did not change are transparent: (10, 5)
  // lies between the two squares and stayed background.
  EXPECT_EQ(gif.gif->SavedImages[1].RasterBits[(5 - 2) * 18 + (10 - 2)], Palette::kTransparent);
  EXPECT_NE(gif.gif->SavedImages[1].RasterBits[(5 - 2) * 18 + (15 - 2)], Palette::kTransparent);
  // An unchanged frame is one pixel (a GIF image cannot be empty).
  EXPECT_EQ(gif.gif->SavedImages[2].ImageDesc.Width * gif.gif->SavedImages[2].ImageDesc.Height, 1);
  GraphicsControlBlock gcb{};
  ASSERT_EQ(DGifSavedExtensionToGCB(gif.gif, 1, &gcb), GIF_OK);
  EXPECT_EQ(gcb.DisposalMode, DISPOSE_DO_NOT);
}

TEST(GifWriter, AntiAliasedTextMapsOntoItsRampNotFarAway) {
  // A pixel half-way between ink and background (an anti-aliased glyph edge)
  // lands on the ramp entry, within a few levels of the true blend.
  const Palette pal = test_palette();
  for (float t : {0.25f, 0.5f, 0.75f}) {
    const Rgb want = blend(kBackground, kInk, t);
    const Rgb got = pal.colours()[pal.index_of(want.r, want.g, want.b)];
    const int err = std::max({std::abs(got.r - want.r), std::abs(got.g - want.g), std::abs(got.b - want.b)});
    EXPECT_LE(err, 24) << "t=" << t;
  }
}

TEST(GifWriter, FileGetsTheUsualPermissions) {
  TempDir dir;
  const mode_t old = umask(022);
  write_three_frames(dir / "a.gif");
  umask(027);
  write_three_frames(dir / "b.gif");
  umask(old);
  EXPECT_EQ(export_test::file_mode(dir / "a.gif"), 0644u);  // not giflib's 0600
  EXPECT_EQ(export_test::file_mode(dir / "b.gif"), 0640u);
}

TEST(GifWriter, CancelLeavesTheEarlierFileByteIdenticalAndNoTemporary) {
  TempDir dir;
  write_three_frames(dir / "a.gif", 150);
  const std::string before = export_test::read_bytes(dir / "a.gif");
  {
    const Palette pal = test_palette();
    GifWriter gif(dir / "a.gif", 40, 30, pal);
    Image img(40, 30, kRed);
    gif.add_frame(img.rgba.data(), 10);
    gif.cancel();
  }
  {
    const Palette pal = test_palette();
    GifWriter gif(dir / "a.gif", 40, 30, pal);
    Image img(40, 30, kInk);
    gif.add_frame(img.rgba.data(), 10);
    // destroyed without finish(): an exception unwinding, a closed app
  }
  EXPECT_EQ(export_test::read_bytes(dir / "a.gif"), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.gif"});
}

TEST(GifWriter, ReplacingWritesTheNewFileWhole) {
  TempDir dir;
  write_three_frames(dir / "a.gif", 150);
  write_three_frames(dir / "a.gif", 300);
  DecodedGif gif(dir / "a.gif");
  EXPECT_EQ(gif.delay_cs(2), 300);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"a.gif"});
}

TEST(GifWriter, UnwritablePlaceIsAClearError) {
  const Palette pal = test_palette();
  try {
    GifWriter gif("/nonexistent-folder/x.gif", 40, 30, pal);
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::export_write_failed);
    EXPECT_EQ(std::string(e.what()), "cannot write /nonexistent-folder/x.gif: No such file or directory");
  }
  EXPECT_THROW(GifWriter("/sys/x.gif", 4, 4, pal), core::Error);  // read-only even for root
}

TEST(GifWriter, DelayFromMilliseconds) {
  EXPECT_EQ(gif_delay_cs(200), 20);
  EXPECT_EQ(gif_delay_cs(0), 1);  // 0 would let viewers pick their own speed
  EXPECT_EQ(gif_delay_cs(1000000), 65535);
}

// The exporter hands the encoder only the regions the renderer redrew: the file
// must be the same bytes as from whole frames, whatever the regions hold
// around the change (here: overlapping regions, one of them unchanged pixels
// only, rows bottom-up, and a frame with no region at all).
TEST(GifWriter, RegionsWriteTheSameBytesAsWholeFrames) {
  TempDir dir;
  const Palette pal = test_palette();
  Image a(40, 30, kBackground);
  a.rect(2, 2, 8, 8, kBlue);
  Image b = a;
  b.rect(2, 2, 8, 8, kBackground);
  b.rect(12, 20, 8, 8, kRed);
  {
    GifWriter gif(dir / "whole.gif", 40, 30, pal);
    gif.add_frame(a.rgba.data(), 20);
    gif.add_frame(b.rgba.data(), 20);
    gif.add_frame(b.rgba.data(), 20);
    gif.finish();
  }
  // b's rows in regions, bottom-up: a region's first row pointer is its top row, stride negative.
  auto region_of = [](const Image& img, int x, int y, int w, int h, std::vector<uint8_t>& store) {
    store.clear();
    for (int row = y + h - 1; row >= y; --row)
      store.insert(store.end(), img.rgba.begin() + (row * img.w + x) * 4, img.rgba.begin() + (row * img.w + x + w) * 4);
    const ptrdiff_t stride = static_cast<ptrdiff_t>(w) * 4;
    return FrameRegion{x, y, w, h, store.data() + (h - 1) * stride, -stride};
  };
  {
    GifWriter gif(dir / "regions.gif", 40, 30, pal);
    std::vector<uint8_t> s1, s2, s3;
    gif.add_frame_regions({region_of(a, 0, 0, 40, 30, s1)}, 20);
    gif.add_frame_regions({region_of(b, 0, 0, 12, 12, s1), region_of(b, 8, 15, 20, 15, s2),
                           region_of(b, 30, 0, 10, 10, s3)},
                          20);
    gif.add_frame_regions({}, 20);
    gif.finish();
  }
  EXPECT_EQ(export_test::read_bytes(dir / "regions.gif"), export_test::read_bytes(dir / "whole.gif"));
}

TEST(GifWriter, AFirstFrameThatIsNotWholeIsRefused) {
  TempDir dir;
  const Palette pal = test_palette();
  GifWriter gif(dir / "a.gif", 40, 30, pal);
  Image a(40, 30, kBackground);
  EXPECT_THROW(gif.add_frame_regions({{0, 0, 10, 10, a.rgba.data(), 40 * 4}}, 20), core::Error);
}
