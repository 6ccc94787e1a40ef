// Headless rendering end to end: EGL surfaceless context, the app's own
// CanvasRenderer, the export job, GIFs decoded back with giflib. DISPLAY is
// unset for the whole binary: nothing here may need an X server.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>

#include "app/export/export_job.h"
#include "app/export/export_palette.h"
#include "app/export/gallery.h"
#include "app/render/canvas_renderer.h"
#include "app/render/colors.h"
#include "core/errors.h"
#include "export_test_support.h"
#include "headless_canvas.h"

using namespace exporter;
using export_test::DecodedGif;
using export_test::TempDir;

namespace {

render::CanvasRenderer& canvas() { return export_test::headless_canvas(); }

std::vector<model::Pane> panes_of(const core::Scenario& s) {
  std::vector<model::Pane> v;
  v.emplace_back(s);
  return v;
}

ExportSettings gif_settings(const std::string& out, Per per, int scale = 1) {
  ExportSettings s;
  s.format = Format::gif;
  s.out = out;
  s.per = per;
  s.scale = scale;
  return s;
}

render::Size preferred(const core::Scenario& s, int scale) {
  model::Pane p(s);
  render::CanvasOptions o;
  o.content_scale = static_cast<float>(scale);
  return canvas().preferred_size({&p}, o);
}

// Pixels of an exact colour inside a rectangle of a decoded frame.
int count_colour(const std::vector<uint8_t>& rgb, int w, float x0, float y0, float x1, float y1, Rgb c) {
  int n = 0;
  for (int y = static_cast<int>(y0); y < static_cast<int>(y1); ++y)
    for (int x = static_cast<int>(x0); x < static_cast<int>(x1); ++x) {
      const uint8_t* p = &rgb[static_cast<size_t>((y * w + x) * 3)];
      n += p[0] == c.r && p[1] == c.g && p[2] == c.b;
    }
  return n;
}

Rgb opaque(render::colors::Rgba c) { return {c.r, c.g, c.b}; }
const Rgb kWindowInk = opaque(render::colors::kWindow), kHighlight = opaque(render::colors::kHighlight);

}  // namespace

TEST(HeadlessGl, MakesAGl33CoreContextWithoutADisplay) {
  EXPECT_EQ(std::getenv("DISPLAY"), nullptr);
  EXPECT_FALSE(export_test::headless_gl().renderer_name().empty());
}

TEST(HeadlessExport, PerStepGifHasOneFramePerStepAtThePreferredSize) {
  TempDir dir;
  ExportJob job(panes_of(export_test::seed_conv()), gif_settings(dir / "seed.gif", Per::step));
  EXPECT_EQ(job.frame_count(), 16);  // known before rendering
  job.run(canvas());
  DecodedGif gif(dir / "seed.gif");
  ASSERT_NE(gif.gif, nullptr);
  EXPECT_EQ(gif.frames(), 16);
  const render::Size want = preferred(export_test::seed_conv(), 1);
  EXPECT_EQ(gif.gif->SWidth, want.w);
  EXPECT_EQ(gif.gif->SHeight, want.h);
  EXPECT_TRUE(gif.loops_forever());
  EXPECT_EQ(gif.delay_cs(0), 15);   // 150 ms per step by default
  EXPECT_EQ(gif.delay_cs(15), 150);  // the last frame holds 1.5 s
}

TEST(HeadlessExport, PerCellAndKeyFrameCounts) {
  TempDir dir;
  {
    ExportJob job(panes_of(export_test::seed_transpose()), gif_settings(dir / "t.gif", Per::cell));
    job.run(canvas());
  }
  {
    ExportJob job(panes_of(export_test::seed_conv()), gif_settings(dir / "k.gif", Per::key));
    job.run(canvas());
  }
  EXPECT_EQ(DecodedGif(dir / "t.gif").frames(), 4);  // 4 input cells
  EXPECT_EQ(DecodedGif(dir / "k.gif").frames(), 5);  // step 0, then the end of each of 4 output cells
}

TEST(HeadlessExport, ScaleMultipliesTheFrameSize) {
  TempDir dir;
  ExportJob job(panes_of(export_test::seed_conv()), gif_settings(dir / "s2.gif", Per::cell, 2));
  job.run(canvas());
  DecodedGif gif(dir / "s2.gif");
  const render::Size one = preferred(export_test::seed_conv(), 1), two = preferred(export_test::seed_conv(), 2);
  EXPECT_EQ(gif.gif->SWidth, two.w);
  EXPECT_EQ(gif.gif->SHeight, two.h);
  // About 2 × the 1× size: fonts are baked at whole pixel sizes, so text (and
  // the layout around it) grows by a few per cent more or less than 2.
  EXPECT_NEAR(two.w, 2 * one.w, 0.04 * 2 * one.w);
  EXPECT_NEAR(two.h, 2 * one.h, 0.04 * 2 * one.h);
}

TEST(HeadlessExport, FirstFrameOfTheSeedShowsTheWindowOnTheTopLeftInputCells) {
  // Seed conv, step 0: y[0,0] gets x[0,0]·w[0,0]; the 2×2 window covers input
  // cells (0..1, 0..1), the current tap (yellow ring) is x[0,0] and w[0,0].
  TempDir dir;
  ExportJob job(panes_of(export_test::seed_conv()), gif_settings(dir / "seed.gif", Per::step));
  job.run(canvas());
  DecodedGif gif(dir / "seed.gif");
  ASSERT_EQ(gif.frames(), 16);
  // The layout of the last render is the same for every frame (sizes never depend on the cursor).
  const render::CanvasLayout& lay = canvas().layout();
  const render::GridRect* in = nullptr;
  const render::GridRect* out = nullptr;
  for (const auto& g : lay.grids) {
    if (g.kind == render::GridKind::input) in = &g;
    if (g.kind == render::GridKind::output) out = &g;
  }
  ASSERT_TRUE(in && out);
  ASSERT_EQ(in->rows, 3);
  const int W = gif.gif->SWidth;
  auto in_cell = [&](const std::vector<uint8_t>& f, int64_t y, int64_t x, Rgb c) {
    const float x0 = in->x + static_cast<float>(x) * in->cell, y0 = in->y + static_cast<float>(y) * in->cell;
    return count_colour(f, W, x0, y0, x0 + in->cell, y0 + in->cell, c);
  };
  const std::vector<uint8_t> first = gif.composite(0);
  EXPECT_GT(in_cell(first, 0, 0, kHighlight), 20);  // the current tap
  EXPECT_EQ(in_cell(first, 1, 1, kHighlight), 0);
  EXPECT_EQ(in_cell(first, 2, 2, kHighlight), 0);
  // The window's black outline runs through the right and bottom cells of the
  // 2×2 window, never into row 2 or column 2 … 
  EXPECT_GT(in_cell(first, 1, 1, kWindowInk), 20);
  EXPECT_GT(in_cell(first, 0, 1, kWindowInk), 20);
  EXPECT_GT(in_cell(first, 1, 0, kWindowInk), 20);
  EXPECT_EQ(in_cell(first, 2, 2, kWindowInk), 0);
  EXPECT_EQ(in_cell(first, 0, 2, kWindowInk), 0);
  // … and in the last frame it has moved to the bottom-right 2×2 cells.
  const std::vector<uint8_t> last = gif.composite(15);
  EXPECT_GT(in_cell(last, 2, 2, kWindowInk), 20);
  EXPECT_EQ(in_cell(last, 0, 0, kWindowInk), 0);
  EXPECT_GT(in_cell(last, 2, 2, kHighlight), 20);  // the last tap: x[2,2]·w[1,1]
}

TEST(HeadlessExport, PaletteKeepsTheCanvasColoursFaithful) {
  // Every pixel of real frames (seed, a padded conv, a strided transpose with
  // crop margins) mapped through the GIF palette: UI colours exact, text ramps
  // close. Fails when the canvas starts drawing colours (or blends) the palette lacks.
  const Palette& pal = canvas_palette();
  std::vector<core::Scenario> cases = {export_test::seed_conv(), export_test::seed_transpose()};
  for (const GalleryCase& c : gallery_cases())
    if (c.name == "padding_strides" || c.name == "padding_strides_odd_transposed_scatter" || c.name == "padding_strides_transposed_gather" || c.name == "dilation") cases.push_back(c.scenario);
  // The volume view of a grouped conv (g = 2) too: its slices, group bands and pulled-out copies.
  core::Scenario grouped;
  grouped.spec.groups = 2;
  grouped.input = core::Tensor(5, 5, 4);
  for (size_t i = 0; i < grouped.input.values.size(); ++i) grouped.input.values[i] = static_cast<double>(i * 7 % 5) - 2;
  grouped.kernel = core::Kernel(3, 3, 2, 4);
  for (size_t i = 0; i < grouped.kernel.values.size(); ++i) grouped.kernel.values[i] = static_cast<double>(i % 3) - 1;
  cases.push_back(grouped);
  const size_t volume_case = cases.size() - 1;
  namespace colors = render::colors;
  for (Rgb ui : {opaque(colors::kBackground), opaque(colors::kText), opaque(colors::kMutedText), kWindowInk, kHighlight,
                 opaque(colors::kTextOnDarkCell)})
    EXPECT_EQ(pal.colours()[pal.index_of(ui.r, ui.g, ui.b)], ui);  // the canvas's own colours are exact
  int64_t pixels = 0, off = 0, far = 0;
  int worst = 0;
  std::map<int, int64_t> misses;  // colour → pixels (printed with CONVSCOPE_PALETTE_DEBUG=1)
  for (const core::Scenario& s : cases) {
    model::Pane p(s);
    p.volume_view = static_cast<size_t>(&s - cases.data()) == volume_case;
    render::CanvasOptions o;
    const render::Size size = canvas().preferred_size({&p}, o);
    for (int64_t n : {int64_t{0}, p.last_step() / 2, p.last_step()}) {
      p.set_cursor(n);
      canvas().render({&p}, o, size.w, size.h);
      const std::vector<uint8_t> rgba = canvas().read_rgba();
      for (size_t i = 0; i < rgba.size(); i += 4) {
        const Rgb got = pal.colours()[pal.index_of(rgba[i], rgba[i + 1], rgba[i + 2])];
        const int err = std::max({std::abs(got.r - rgba[i]), std::abs(got.g - rgba[i + 1]), std::abs(got.b - rgba[i + 2])});
        ++pixels;
        off += err > 8;
        if (err > 4) ++misses[(rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]];
        if (err > 4 && std::getenv("CONVSCOPE_PALETTE_DEBUG") && misses[(rgba[i] << 16) | (rgba[i + 1] << 8) | rgba[i + 2]] == 1)
          std::printf("first (%d,%d,%d) at x=%zu y=%zu case %zu step %lld\n", rgba[i], rgba[i + 1], rgba[i + 2],
                      (i / 4) % static_cast<size_t>(size.w), (i / 4) / static_cast<size_t>(size.w),
                      static_cast<size_t>(&s - cases.data()), static_cast<long long>(n));
        far += err > 16;
        worst = std::max(worst, err);
      }
    }
  }
  if (std::getenv("CONVSCOPE_PALETTE_DEBUG")) {
    std::vector<std::pair<int64_t, int>> top;
    for (auto [c, n] : misses) top.push_back({n, c});
    std::sort(top.rbegin(), top.rend());
    for (size_t i = 0; i < std::min<size_t>(top.size(), 40); ++i) {
      const int c = top[i].second;
      const Rgb got = pal.colours()[pal.index_of(c >> 16, (c >> 8) & 255, c & 255)];
      std::printf("%8lld  (%d,%d,%d) -> (%d,%d,%d)\n", static_cast<long long>(top[i].first), c >> 16, (c >> 8) & 255,
                  c & 255, got.r, got.g, got.b);
    }
  }
  const double off_share = static_cast<double>(off) / static_cast<double>(pixels);
  const double far_share = static_cast<double>(far) / static_cast<double>(pixels);
  RecordProperty("share_within_8", std::to_string(1 - off_share));
  EXPECT_LT(off_share, 0.01) << "pixels more than 8 levels off a palette colour";
  EXPECT_LT(far_share, 0.002) << "pixels more than 16 levels off (worst " << worst << ")";
}

TEST(HeadlessExport, CancelledExportLeavesTheEarlierFileByteIdentical) {
  TempDir dir;
  {
    ExportJob job(panes_of(export_test::seed_conv()), gif_settings(dir / "seed.gif", Per::cell));
    job.run(canvas());
  }
  const std::string before = export_test::read_bytes(dir / "seed.gif");
  {
    ExportJob job(panes_of(export_test::seed_conv()), gif_settings(dir / "seed.gif", Per::step));
    // One frame (once the worker has the direct result), then the user presses Cancel.
    while (job.frames_done() == 0) ASSERT_FALSE(job.run_for(canvas(), 0.0));
    EXPECT_EQ(job.frames_done(), 1);
    job.cancel();
    EXPECT_TRUE(job.cancelled());
  }
  EXPECT_EQ(export_test::read_bytes(dir / "seed.gif"), before);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"seed.gif"});
}

TEST(HeadlessExport, UnwritablePathFailsBeforeRendering) {
  ExportJob job(panes_of(export_test::seed_conv()), gif_settings("/nonexistent-folder/seed.gif", Per::step));
  try {
    job.run(canvas());
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::export_write_failed);
    EXPECT_EQ(job.frames_done(), 0);
  }
}

TEST(HeadlessExport, NumberedPngFrames) {
  TempDir dir;
  ExportSettings s;
  s.format = Format::png_frames;
  s.out = dir / "frames/";
  s.per = Per::cell;
  ExportJob job(panes_of(export_test::seed_conv()), s);
  job.run(canvas());
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(dir / "frames")) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"frame_000000.png", "frame_000001.png", "frame_000002.png",
                                             "frame_000003.png"}));
}

TEST(Gallery, SmallVariedIntegersAndAnEdgeKernelExceptTheSeedAndCheckerboard) {
  std::map<std::string, const GalleryCase*> by_name;
  const std::vector<GalleryCase> cases = gallery_cases();
  for (const GalleryCase& c : cases) {
    by_name[c.name] = &c;
    const auto& in = c.scenario.input.values;
    const bool ones_kept = c.name.rfind("seed_", 0) == 0 || c.name.rfind("checkerboard_", 0) == 0;
    if (ones_kept) {
      EXPECT_EQ(std::count(in.begin(), in.end(), 1.0), static_cast<long>(in.size())) << c.name;
      continue;
    }
    EXPECT_GE(*std::min_element(in.begin(), in.end()), -3) << c.name;
    EXPECT_LE(*std::max_element(in.begin(), in.end()), 3) << c.name;
    EXPECT_GE(std::set<double>(in.begin(), in.end()).size(), std::min<size_t>(4, in.size() - 1)) << c.name;  // varied
    for (double v : in) EXPECT_EQ(v, std::round(v)) << c.name;
  }
  // The 3×3 kernel is Sobel's vertical-edge detector, in every file the same.
  const core::Kernel& k = by_name.at("padding_strides")->scenario.kernel;
  const double sobel[3][3] = {{1, 0, -1}, {2, 0, -2}, {1, 0, -1}};
  for (int ky = 0; ky < 3; ++ky)
    for (int kx = 0; kx < 3; ++kx) EXPECT_EQ(k.at(ky, kx, 0, 0), sobel[ky][kx]);
  // A fixed seed: the same values from run to run; the two views of a transpose share them.
  EXPECT_EQ(gallery_cases()[5].scenario.input.values, cases[5].scenario.input.values);
  EXPECT_EQ(by_name.at("dilation_transposed_scatter")->scenario.input.values,
            by_name.at("dilation_transposed_gather")->scenario.input.values);
  EXPECT_EQ(by_name.at("dilation_transposed_scatter")->order, core::TraceOrder::scatter);
  EXPECT_EQ(by_name.at("dilation_transposed_gather")->order, core::TraceOrder::gather);
}

TEST(Gallery, ChannelPresetsAreDrawnAsVolumesFromThePresetFiles) {
  const std::string presets = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/presets";
  const std::vector<GalleryCase> cases = channel_gallery_cases(presets);
  ASSERT_EQ(cases.size(), 4u);
  EXPECT_EQ(cases[0].name, "rgb_image_2_filters_volume");
  EXPECT_EQ(cases[1].name, "grouped_conv_g2_volume");
  EXPECT_EQ(cases[2].name, "depthwise_3x3_volume");
  EXPECT_EQ(cases[3].name, "depthwise_separable_volume");
  for (const GalleryCase& c : cases) {
    EXPECT_TRUE(c.volume) << c.name;
    EXPECT_FALSE(c.conv_arithmetic) << c.name;
  }
  // The values are the presets' own (what the Presets menu opens).
  const core::Scenario rgb = core::load_scenario(presets + "/rgb_image_2_filters.json");
  EXPECT_EQ(cases[0].scenario.input.values, rgb.input.values);
  EXPECT_EQ(cases[0].scenario.kernel.values, rgb.kernel.values);
  EXPECT_EQ(cases[0].scenario.input.c, 3);
  EXPECT_EQ(cases[1].scenario.spec.groups, 2);
  EXPECT_EQ(cases[2].scenario.spec.op, core::Op::depthwise_conv2d);
  ASSERT_EQ(cases[3].more_panes.size(), 1u);
  EXPECT_EQ(cases[3].more_panes[0].kernel.kh, 1);  // the pointwise 1×1 beside the depthwise 3×3
  EXPECT_TRUE(cases[0].more_panes.empty());
}

TEST(Gallery, CasesHaveTheConvArithmeticShapes) {
  std::map<std::string, std::pair<int64_t, int64_t>> out;  // name → (input side, output side)
  int64_t classic_units = 0;
  for (const GalleryCase& c : gallery_cases()) {
    const core::Geometry g = c.scenario.geometry();
    out[c.name] = {c.scenario.input.h, g.out_h()};
    if (c.conv_arithmetic) classic_units += core::Trace(std::make_shared<core::Scenario>(c.scenario), c.order).unit_count();
  }
  using P = std::pair<int64_t, int64_t>;
  EXPECT_EQ(out["no_padding_no_strides"], P(4, 2));
  EXPECT_EQ(out["no_padding_no_strides_transposed_gather"], P(2, 4));
  EXPECT_EQ(out["arbitrary_padding_no_strides"], P(5, 6));
  EXPECT_EQ(out["arbitrary_padding_no_strides_transposed_gather"], P(6, 5));
  EXPECT_EQ(out["same_padding_no_strides"], P(5, 5));
  EXPECT_EQ(out["full_padding_no_strides"], P(5, 7));
  EXPECT_EQ(out["full_padding_no_strides_transposed_gather"], P(7, 5));
  EXPECT_EQ(out["no_padding_strides"], P(5, 2));
  EXPECT_EQ(out["no_padding_strides_transposed_gather"], P(2, 5));
  EXPECT_EQ(out["padding_strides"], P(5, 3));
  EXPECT_EQ(out["padding_strides_transposed_gather"], P(3, 5));
  EXPECT_EQ(out["padding_strides_odd"], P(6, 3));
  EXPECT_EQ(out["padding_strides_odd_transposed_gather"], P(3, 6));  // output_padding 1
  EXPECT_EQ(out["dilation"], P(7, 3));
  EXPECT_EQ(out["dilation_transposed_gather"], P(3, 7));
  EXPECT_EQ(out["keras_same_strides"], P(6, 3));
  EXPECT_EQ(out["keras_same_strides_transposed_gather"], P(3, 6));
  EXPECT_EQ(out["seed_conv2d"], P(3, 2));
  EXPECT_EQ(out["seed_conv2d_transposed_scatter"], P(2, 3));
  EXPECT_EQ(out["seed_conv2d_transposed_gather"], P(2, 3));
  // One frame per output cell of the convs (145), per input cell of the scattering
  // transposes (145) and per output cell of the gathering ones (the convs' inputs: 16+25+25+25+25+25+36+49).
  EXPECT_EQ(classic_units, 145 + 145 + 226);
}
