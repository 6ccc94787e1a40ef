// Changed-region rendering (CanvasRenderer::render_changes, canvas_damage.h)
// against full redraws: every frame of every gallery case, drawn both ways by
// two renderers in one GL context, must be the same bytes — the framebuffer
// itself, and a copy kept up to date from the changed regions alone (what the
// GIF encoder sees). And it must really be partial: a gallery frame after the
// first redraws a small part of the canvas.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstring>

#include "app/export/frame_plan.h"
#include "app/export/gallery.h"
#include "app/render/canvas_renderer.h"
#include "core/scenario.h"
#include "headless_canvas.h"

namespace {

// The part of `all` (w×h RGBA, top row first) inside r, copied into `copy`.
void copy_region(const std::vector<uint8_t>& all, int w, const render::PixelRect& r, std::vector<uint8_t>& copy) {
  for (int y = r.y0; y < r.y1; ++y) {
    const size_t at = (static_cast<size_t>(y) * static_cast<size_t>(w) + static_cast<size_t>(r.x0)) * 4;
    std::memcpy(copy.data() + at, all.data() + at, static_cast<size_t>(r.x1 - r.x0) * 4);
  }
}

struct Totals {
  int64_t frames = 0, redrawn_px = 0, canvas_px = 0;  // after each case's first frame
};

// Every frame of `per` for one scenario; the first difference fails with the case, frame and pixel.
void compare_every_frame(render::CanvasRenderer& partial, const std::string& name, const core::Scenario& scenario,
                         exporter::Per per, const render::CanvasOptions& opt, Totals& totals, bool volume = false) {
  render::CanvasRenderer& full = export_test::headless_canvas();
  model::Pane pane(scenario);
  pane.volume_view = volume;
  const render::Size size = full.preferred_size({&pane}, opt);
  const exporter::FramePlan plan(pane.trace(), per);
  std::vector<uint8_t> copy(static_cast<size_t>(size.w) * static_cast<size_t>(size.h) * 4, 0);
  partial.redraw_all_next();
  for (int64_t frame = 0; frame < plan.count(); ++frame) {
    pane.set_cursor(plan.step_of(frame));
    full.render({&pane}, opt, size.w, size.h);
    const std::vector<uint8_t> want = full.read_rgba();
    partial.render_changes({&pane}, opt, size.w, size.h);
    const std::vector<uint8_t> got = partial.read_rgba();
    const std::string where = name + (opt.equivalent ? " (equivalent)" : "") + ", " + exporter::per_name(per) +
                              " frame " + std::to_string(frame);
    if (got != want) {
      size_t i = 0;
      while (got[i] == want[i]) ++i;
      FAIL() << where << ": the framebuffer differs from a full redraw at pixel (" << (i / 4) % static_cast<size_t>(size.w)
             << ", " << (i / 4) / static_cast<size_t>(size.w) << ")";
    }
    int64_t redrawn = 0;
    for (const render::PixelRect& r : partial.changed_regions()) {
      ASSERT_TRUE(r.x0 >= 0 && r.y0 >= 0 && r.x1 <= size.w && r.y1 <= size.h) << where;
      copy_region(got, size.w, r, copy);
      redrawn += r.area();
    }
    if (copy != want) {
      size_t i = 0;
      while (copy[i] == want[i]) ++i;
      FAIL() << where << ": a pixel changed outside the changed regions, at (" << (i / 4) % static_cast<size_t>(size.w)
             << ", " << (i / 4) / static_cast<size_t>(size.w) << ")";
    }
    if (frame == 0) {
      EXPECT_EQ(redrawn, int64_t{size.w} * size.h) << where << ": the first frame is drawn whole";
    } else {
      ++totals.frames;
      totals.redrawn_px += redrawn;
      totals.canvas_px += int64_t{size.w} * size.h;
    }
  }
}

// One test per gallery case (each its own ctest entry: a loaded machine
// renders a case in a few seconds, the whole gallery in about a minute).
class IncrementalGallery : public ::testing::TestWithParam<std::string> {};

TEST_P(IncrementalGallery, EveryFrameIsByteEqualToAFullRedraw) {
  render::CanvasRenderer partial;  // a second renderer in the same context: its framebuffer is only ever its own
  Totals totals;
  for (const exporter::GalleryCase& c : exporter::gallery_cases()) {
    if (c.name != GetParam()) continue;
    render::CanvasOptions opt;
    compare_every_frame(partial, c.name, c.scenario, exporter::Per::cell, opt, totals);
    if (HasFatalFailure()) return;
    if (c.scenario.spec.op == core::Op::conv2d_transpose) {  // the equivalent row too
      opt.equivalent = true;
      compare_every_frame(partial, c.name, c.scenario, exporter::Per::cell, opt, totals);
      if (HasFatalFailure()) return;
    }
  }
  ASSERT_GT(totals.frames, 0) << "no gallery case is named " << GetParam();
  // Measured: 18 % over the gallery. Far more means the damage tracking fell back to whole frames.
  const double share = static_cast<double>(totals.redrawn_px) / static_cast<double>(totals.canvas_px);
  EXPECT_LT(share, 0.5) << "frames after the first redraw " << 100 * share << " % of the canvas on average";
  std::printf("%s: frames after the first redraw %.1f %% of the canvas on average\n", GetParam().c_str(), 100 * share);
}

std::vector<std::string> gallery_names() {
  std::vector<std::string> names;
  for (const exporter::GalleryCase& c : exporter::gallery_cases()) names.push_back(c.name);
  return names;
}

INSTANTIATE_TEST_SUITE_P(Cases, IncrementalGallery, ::testing::ValuesIn(gallery_names()),
                         [](const ::testing::TestParamInfo<std::string>& info) { return info.param; });

// Per step (the window's play speed), where the window and tap move every frame.
TEST(IncrementalRender, EveryStepOfTheSeedCasesIsByteEqualToAFullRedraw) {
  render::CanvasRenderer partial;
  Totals totals;
  for (const exporter::GalleryCase& c : exporter::gallery_cases()) {
    if (c.name.rfind("seed", 0) != 0 && c.name != "dilation" && c.name != "padding_strides_odd_transposed") continue;
    compare_every_frame(partial, c.name, c.scenario, exporter::Per::step, render::CanvasOptions{}, totals);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(totals.frames, 100);
}

// A renderer that drew something else in between starts afresh when told to.
// `export --volume` goes through the same changed-region path: the channel presets in
// the volume view (stacks, pulled-out slices, lit voxels, group bands, the channel sum).
TEST(IncrementalRender, VolumeViewsOfTheChannelPresetsAreByteEqualToAFullRedraw) {
  render::CanvasRenderer partial;
  Totals totals;
  for (const char* preset : {"rgb_image_2_filters", "grouped_conv_g2", "depthwise_3x3"}) {
    const core::Scenario s =
        core::load_scenario(std::string(CONVSCOPE_SOURCE_DIR) + "/assets/presets/" + preset + ".json");
    compare_every_frame(partial, preset, s, exporter::Per::step, render::CanvasOptions{}, totals, true);
    if (HasFatalFailure()) return;
  }
  EXPECT_GT(totals.frames, 0);
}

TEST(IncrementalRender, RedrawAllNextDrawsTheWholeCanvas) {
  render::CanvasRenderer partial;
  const std::vector<exporter::GalleryCase> cases = exporter::gallery_cases();
  model::Pane pane(cases.front().scenario);
  const render::CanvasOptions opt;
  const render::Size size = partial.preferred_size({&pane}, opt);
  partial.render_changes({&pane}, opt, size.w, size.h);
  partial.render_changes({&pane}, opt, size.w, size.h);
  EXPECT_TRUE(partial.changed_regions().empty()) << "the same frame twice changes nothing";
  partial.redraw_all_next();
  partial.render_changes({&pane}, opt, size.w, size.h);
  ASSERT_EQ(partial.changed_regions().size(), 1u);
  EXPECT_EQ(partial.changed_regions()[0], (render::PixelRect{0, 0, size.w, size.h}));
}

}  // namespace
