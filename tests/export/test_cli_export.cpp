// `convscope export` and `convscope gallery` as a user runs them: the real
// binary, DISPLAY unset, exit codes and the one-line errors.
#include <gtest/gtest.h>
#include <stb/stb_image.h>
#include <sys/wait.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "export_test_support.h"

using export_test::DecodedGif;
using export_test::TempDir;

namespace {

const std::string kBin = CONVSCOPE_BIN;
const std::string kPresets = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/presets/";

struct RunResult {
  int code = -1;
  std::string err;
};

// Runs `args` with DISPLAY unset (unless `display`), capturing stderr.
RunResult run(const std::string& args, const TempDir& dir, bool display = false) {
  const std::string err_file = dir / "stderr.txt";
  const std::string cmd = (display ? "" : "env -u DISPLAY -u WAYLAND_DISPLAY ") + kBin + " " + args + " 2>" + err_file;
  const int status = std::system(cmd.c_str());
  RunResult r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.err = export_test::read_bytes(err_file);
  std::filesystem::remove(err_file);
  return r;
}

struct Image {
  int w = 0, h = 0;
  std::vector<uint8_t> rgb;
};

Image load_png(const std::string& path) {
  Image im;
  int n = 0;
  unsigned char* px = stbi_load(path.c_str(), &im.w, &im.h, &n, 3);
  if (px) im.rgb.assign(px, px + static_cast<size_t>(im.w * im.h * 3));
  stbi_image_free(px);
  return im;
}

}  // namespace

TEST(CliExport, GifPerCellWithoutADisplay) {
  TempDir dir;
  const RunResult r = run("export " + kPresets + "seed_conv2d_transpose.json --out " + (dir / "t.gif") + " --per cell --delay 250", dir);
  ASSERT_EQ(r.code, 0) << r.err;
  DecodedGif gif(dir / "t.gif");
  EXPECT_EQ(gif.frames(), 4);
  EXPECT_EQ(gif.delay_cs(0), 25);
  EXPECT_EQ(gif.delay_cs(3), 150);  // the last frame holds max(3 × 250 ms, 1.5 s)
}

TEST(CliExport, ScaleDoublesTheFrame) {
  TempDir dir;
  ASSERT_EQ(run("export " + kPresets + "seed_conv2d.json -q --out " + (dir / "a.png"), dir).code, 0);
  ASSERT_EQ(run("export " + kPresets + "seed_conv2d.json -q --out " + (dir / "b.png") + " --scale 2", dir).code, 0);
  const Image a = load_png(dir / "a.png"), b = load_png(dir / "b.png");
  // About twice the size (fonts are baked at whole pixel sizes: a few per cent either way).
  EXPECT_NEAR(b.w, 2 * a.w, 0.04 * 2 * a.w);
  EXPECT_NEAR(b.h, 2 * a.h, 0.04 * 2 * a.h);
}

TEST(CliExport, EquivalentViewAddsARowUnderATranspose) {
  TempDir dir;
  const std::string file = kPresets + "classic_transpose_stride2_checkerboard.json";
  ASSERT_EQ(run("export " + file + " -q --out " + (dir / "plain.png"), dir).code, 0);
  ASSERT_EQ(run("export " + file + " -q --equivalent --out " + (dir / "eq.png"), dir).code, 0);
  const Image plain = load_png(dir / "plain.png"), eq = load_png(dir / "eq.png");
  EXPECT_GT(eq.h, plain.h);  // the zero-inserted grid and the rotated kernel take a second row
  // A Conv2D has no equivalent row: the flag changes nothing.
  ASSERT_EQ(run("export " + kPresets + "seed_conv2d.json -q --out " + (dir / "c1.png"), dir).code, 0);
  ASSERT_EQ(run("export " + kPresets + "seed_conv2d.json -q --equivalent --out " + (dir / "c2.png"), dir).code, 0);
  EXPECT_EQ(load_png(dir / "c1.png").rgb, load_png(dir / "c2.png").rgb);
}

// The RGB preset in the volume view: the same renderer, a bigger frame (stacks
// and pulled-out slices), pixels unlike the slice view's; each frame of a GIF
// the same size; "all channels" another picture again.
TEST(CliExport, RgbPresetInTheVolumeView) {
  TempDir dir;
  const std::string file = kPresets + "rgb_image_2_filters.json";
  ASSERT_EQ(run("export " + file + " -q --step 265 --out " + (dir / "slice.png"), dir).code, 0);
  const RunResult r = run("export " + file + " --volume --step 265 --out " + (dir / "volume.png"), dir);
  ASSERT_EQ(r.code, 0) << r.err;
  ASSERT_EQ(run("export " + file + " -q --all-channels --step 265 --out " + (dir / "all.png"), dir).code, 0);
  const Image slice = load_png(dir / "slice.png"), volume = load_png(dir / "volume.png"), all = load_png(dir / "all.png");
  ASSERT_GT(volume.w, 0);
  EXPECT_GT(volume.w * volume.h, slice.w * slice.h);
  EXPECT_NE(volume.rgb, slice.rgb);
  EXPECT_NE(all.rgb, volume.rgb);
  EXPECT_NE(r.err.find(std::to_string(volume.w) + "×" + std::to_string(volume.h)), std::string::npos) << r.err;
  ASSERT_EQ(run("export " + file + " -q --volume --per cell --out " + (dir / "volume.gif"), dir).code, 0);
  DecodedGif gif(dir / "volume.gif");
  ASSERT_NE(gif.gif, nullptr);
  EXPECT_EQ(gif.gif->SWidth, volume.w);
  EXPECT_EQ(gif.gif->SHeight, volume.h);
  EXPECT_EQ(gif.frames(), 18);  // one per output cell (3×3×2)
}

TEST(CliExport, HoverAndOverlapDrawOverTheSamePicture) {
  // Issue 12: --hover lights a cell's links, --overlap colours the coverage and
  // writes its note under the band (a taller frame); same size for --hover.
  TempDir dir;
  const std::string file = kPresets + "classic_transpose_stride2_checkerboard.json";
  ASSERT_EQ(run("export " + file + " -q --step -1 --out " + (dir / "plain.png"), dir).code, 0);
  const RunResult hover = run("export " + file + " -q --step -1 --hover kernel:0,0 --out " + (dir / "hover.png"), dir);
  ASSERT_EQ(hover.code, 0) << hover.err;
  ASSERT_EQ(run("export " + file + " -q --step -1 --overlap --out " + (dir / "overlap.png"), dir).code, 0);
  const Image plain = load_png(dir / "plain.png"), lit = load_png(dir / "hover.png"), map = load_png(dir / "overlap.png");
  EXPECT_EQ(lit.w, plain.w);
  EXPECT_EQ(lit.h, plain.h);
  EXPECT_NE(lit.rgb, plain.rgb);
  EXPECT_GT(map.h, plain.h);
  // A target off the grids, or not a target at all: exit 2 and one line.
  const RunResult off = run("export " + file + " --hover out:7,0 --out " + (dir / "x.png"), dir);
  EXPECT_EQ(off.code, 2);
  EXPECT_EQ(off.err, "convscope: error: --hover: out:7,0 is outside the pane's grids\n");
  const RunResult bad = run("export " + file + " --hover middle --out " + (dir / "x.png"), dir);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("out:y,x[,c], in:y,x[,c] or kernel:y,x[,c]"), std::string::npos) << bad.err;
}

TEST(CliExport, NumberedFramesIntoAFolder) {
  TempDir dir;
  ASSERT_EQ(run("export " + kPresets + "seed_conv2d.json -q --per key --out " + (dir / "frames/"), dir).code, 0);
  int n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "frames")) n += e.path().extension() == ".png";
  EXPECT_EQ(n, 5);
}

TEST(CliExport, UnwritablePathIsExit2WithOneClearLine) {
  TempDir dir;
  const RunResult r = run("export " + kPresets + "seed_conv2d.json --out /sys/seed.gif", dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "convscope: error: cannot write /sys/seed.gif: Permission denied\n");
  const RunResult bad = run("export " + kPresets + "seed_conv2d.json --out " + (dir / "x.jpg"), dir);
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("must end in .gif"), std::string::npos) << bad.err;
  const RunResult step = run("export " + kPresets + "seed_conv2d.json --out " + (dir / "x.png") + " --step 16", dir);
  EXPECT_EQ(step.code, 2);
  EXPECT_NE(step.err.find("step 16 is out of range"), std::string::npos) << step.err;
}

TEST(CliExport, GalleryWritesEveryCase) {
  TempDir dir;
  const RunResult r = run("gallery " + (dir / "g"), dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(DecodedGif(dir / "g/no_padding_no_strides.gif").frames(), 4);
  // A transpose both ways: one frame per input cell (scatter), per output cell (gather, as conv_arithmetic).
  EXPECT_EQ(DecodedGif(dir / "g/no_padding_no_strides_transposed_scatter.gif").frames(), 4);
  EXPECT_EQ(DecodedGif(dir / "g/no_padding_no_strides_transposed_gather.gif").frames(), 16);
  EXPECT_EQ(DecodedGif(dir / "g/full_padding_no_strides.gif").frames(), 49);
  EXPECT_EQ(DecodedGif(dir / "g/dilation_transposed_scatter.gif").frames(), 9);
  EXPECT_EQ(DecodedGif(dir / "g/dilation_transposed_gather.gif").frames(), 49);
  EXPECT_EQ(DecodedGif(dir / "g/checkerboard_transposed_scatter.gif").frames(), 9);
  EXPECT_EQ(DecodedGif(dir / "g/checkerboard_transposed_gather.gif").frames(), 49);  // 3×3 at stride 2 → 7×7
  EXPECT_EQ(DecodedGif(dir / "g/seed_conv2d_transposed_gather.gif").frames(), 9);
  int files = 0, transposed = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "g")) {
    files += e.path().extension() == ".gif";
    const std::string stem = e.path().stem().string();
    if (stem.find("_transposed") != std::string::npos) {
      ++transposed;
      EXPECT_TRUE(stem.size() > 8 && (stem.substr(stem.size() - 8) == "_scatter" || stem.substr(stem.size() - 7) == "_gather"))
          << stem;  // no transposed GIF under the old, ambiguous name
    }
  }
  EXPECT_EQ(files, 39);  // 11 convolutions, 12 transposes × 2 views, 4 channel presets as volumes
  EXPECT_EQ(transposed, 24);
  // The channel presets: one frame per output cell (its channel sum complete).
  EXPECT_EQ(DecodedGif(dir / "g/rgb_image_2_filters_volume.gif").frames(), 18);  // 3×3×2
  EXPECT_EQ(DecodedGif(dir / "g/depthwise_3x3_volume.gif").frames(), 27);        // 3×3×3
  // Two panes, depthwise 3×3×3 and pointwise 3×3×2, advancing together: the longer sets the count.
  EXPECT_EQ(DecodedGif(dir / "g/depthwise_separable_volume.gif").frames(), 27);
  // Slides: 1 s a frame, the last one held 3 s.
  const DecodedGif g(dir / "g/padding_strides_transposed_gather.gif");
  ASSERT_EQ(g.frames(), 25);
  EXPECT_EQ(g.delay_cs(0), 100);
  EXPECT_EQ(g.delay_cs(23), 100);
  EXPECT_EQ(g.delay_cs(24), 300);
}

TEST(CliExport, OrderGatherGivesOneFramePerOutputCellAndSlideDelays) {
  TempDir dir;
  const std::string transpose = kPresets + "seed_conv2d_transpose.json";  // 2×2 → 3×3
  const RunResult g = run("export " + transpose + " -q --order gather --per cell --out " + (dir / "g.gif"), dir);
  ASSERT_EQ(g.code, 0) << g.err;
  const DecodedGif gather(dir / "g.gif");
  EXPECT_EQ(gather.frames(), 9);  // the output cells
  EXPECT_EQ(gather.delay_cs(0), 100);
  const RunResult sc = run("export " + transpose + " -q --order scatter --per cell --out " + (dir / "s.gif"), dir);
  ASSERT_EQ(sc.code, 0) << sc.err;
  EXPECT_EQ(DecodedGif(dir / "s.gif").frames(), 4);  // the input cells
  // Under gather the zero-inserted grid is drawn: a taller frame than the scatter's.
  EXPECT_GT(gather.gif->SHeight, DecodedGif(dir / "s.gif").gif->SHeight);
  const RunResult steps = run("export " + transpose + " -q --order gather --out " + (dir / "steps.gif"), dir);
  ASSERT_EQ(steps.code, 0) << steps.err;
  const DecodedGif per_step(dir / "steps.gif");
  EXPECT_EQ(per_step.frames(), 36);      // 9 cells × 4 taps
  EXPECT_EQ(per_step.delay_cs(0), 15);   // steps play faster than slides
  EXPECT_EQ(DecodedGif(dir / "g.gif").delay_cs(8), 300);
  const RunResult key = run("export " + transpose + " -q --per key --out " + (dir / "k.gif"), dir);
  ASSERT_EQ(key.code, 0) << key.err;
  EXPECT_EQ(DecodedGif(dir / "k.gif").delay_cs(0), 100);
  // A Conv2D has no scatter; an unknown order is a usage error.
  const RunResult conv = run("export " + kPresets + "seed_conv2d.json --order scatter --out " + (dir / "c.gif"), dir);
  EXPECT_EQ(conv.code, 2);
  EXPECT_EQ(conv.err, "convscope: error: --order scatter applies to conv2d_transpose; a Conv2D is always a gather (output cell by output cell)\n");
  const RunResult bad = run("export " + transpose + " --order sideways --out " + (dir / "b.gif"), dir);
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.err, "convscope: error: --order must be scatter or gather, got sideways\n");
}

#ifdef CONVSCOPE_WINDOW_TEST
// Run under `xvfb-run -a`: the window's --screenshot canvas and a headless
// export at the same canvas size are the same pixels.
TEST(WindowVsHeadless, SameCanvasPixelForPixel) {
  TempDir dir;
  const std::string file = kPresets + "seed_conv2d.json";
  const RunResult w = run("--screenshot " + (dir / "shot.png") + " --step 5 --dump-state " + (dir / "state.json") + " " + file,
                    dir, /*display=*/true);
  ASSERT_EQ(w.code, 0) << w.err;
  const nlohmann::json st = nlohmann::json::parse(export_test::read_bytes(dir / "state.json"));
  const int cx = st["canvas"]["x"].get<int>(), cy = st["canvas"]["y"].get<int>();
  const int cw = st["canvas"]["w"].get<int>(), ch = st["canvas"]["h"].get<int>();
  // The window draws the formula in its Formula panel, not on the canvas: --no-formula.
  const RunResult h = run("export " + file + " -q --no-formula --step 5 --size " + std::to_string(cw) + " " + std::to_string(ch) + " --out " +
                        (dir / "head.png"),
                    dir);
  ASSERT_EQ(h.code, 0) << h.err;
  const Image shot = load_png(dir / "shot.png"), head = load_png(dir / "head.png");
  ASSERT_EQ(head.w, cw);
  ASSERT_EQ(head.h, ch);
  ASSERT_LE(cx + cw, shot.w);
  ASSERT_LE(cy + ch, shot.h);
  int64_t differ = 0;
  for (int y = 0; y < ch; ++y)
    for (int x = 0; x < cw; ++x)
      for (int c = 0; c < 3; ++c)
        differ += shot.rgb[static_cast<size_t>(((cy + y) * shot.w + cx + x) * 3 + c)] !=
                  head.rgb[static_cast<size_t>((y * cw + x) * 3 + c)];
  EXPECT_EQ(differ, 0);
}
#endif
