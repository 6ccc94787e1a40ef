// The volume view and "all channels" (render/canvas_volume.h), headless: the
// layout data says how many slices were drawn, which may carry numbers (the
// fronts of the stacks and the pulled-out current slices) and where the
// current step lights its voxels.
#include <gtest/gtest.h>

#include <algorithm>

#include "app/render/canvas_renderer.h"
#include "app/render/volume_layout.h"
#include "headless_canvas.h"

namespace {

render::CanvasRenderer& canvas() { return export_test::headless_canvas(); }

model::Pane preset(const std::string& name) {
  const std::string path = std::string(CONVSCOPE_PRESETS_DIR) + "/" + name + ".json";
  return model::Pane(core::load_scenario(path), path);
}

const render::CanvasLayout& draw(const model::Pane& p, int w = 1400, int h = 900) {
  canvas().render({&p}, render::CanvasOptions{}, w, h);
  return canvas().layout();
}

const render::VolumeSlice* find_slice(const render::CanvasLayout& lay, render::GridKind kind, int64_t stack,
                                      int64_t index, bool pulled) {
  for (const render::VolumeSlice& s : lay.slices)
    if (s.kind == kind && s.stack == stack && s.index == index && s.pulled == pulled) return &s;
  return nullptr;
}

// Every lit voxel sits on its slice at (x − col0, y − row0) cells from its corner.
void expect_on_its_slice(const render::CanvasLayout& lay, const render::LitVoxel& l) {
  const render::VolumeSlice* s = find_slice(lay, l.kind, l.stack, l.index, l.pulled);
  ASSERT_NE(s, nullptr);
  EXPECT_FLOAT_EQ(l.px, s->x + static_cast<float>(l.x - s->col0) * s->cell);
  EXPECT_FLOAT_EQ(l.py, s->y + static_cast<float>(l.y - s->row0) * s->cell);
}

}  // namespace

// 5×5×3 ⊛ 3×3×3×2: 3 input slices, 2 filters of 3 slices (27 weights each), 2
// output slices, and the 3 pulled-out copies.
TEST(VolumeCanvas, RgbPresetSlicesReadableAndLit) {
  model::Pane p = preset("rgb_image_2_filters");
  p.volume_view = true;
  // Output cell (1, 1) of filter 1 is unit (1·3 + 1)·2 + 1 = 9; its 28 steps are
  // 27 taps (ky, kx, c) with c innermost, then the bias. Tap 13 = (1, 1, c1).
  const int64_t n = 9 * 28 + 13;
  p.set_cursor(n);
  ASSERT_EQ(p.trace().step(n).input->c, 1);
  const render::CanvasLayout& lay = draw(p);
  // The pulled-out slices stand for the slice view's three grids (hover, click, edit).
  ASSERT_EQ(lay.grids.size(), 3u);
  const std::optional<render::CanvasHit> hit =
      canvas().hit_test(lay.grids[0].x + 2.5f * lay.grids[0].cell, lay.grids[0].y + 1.5f * lay.grids[0].cell);
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->grid, render::GridKind::input);
  EXPECT_EQ(hit->y, 1);
  EXPECT_EQ(hit->x, 2);
  ASSERT_EQ(lay.slices.size(), 3u + 2 * 3 + 2 + 3);
  int readable = 0;
  for (const render::VolumeSlice& s : lay.slices) {
    readable += s.readable;
    if (!s.readable) {
      EXPECT_FALSE(s.values) << "a back slice is colour-only";
    }
    EXPECT_EQ(s.readable, s.pulled || s.index == 0) << "kind " << static_cast<int>(s.kind) << " index " << s.index;
  }
  EXPECT_EQ(readable, 1 + 2 + 1 + 3);
  // The pulled-out slices are the current ones, with all their numbers.
  const render::VolumeSlice* in = find_slice(lay, render::GridKind::input, 0, 1, true);
  const render::VolumeSlice* k = find_slice(lay, render::GridKind::kernel, 1, 1, true);
  const render::VolumeSlice* out = find_slice(lay, render::GridKind::output, 0, 1, true);
  ASSERT_TRUE(in && k && out);
  EXPECT_TRUE(in->values && k->values && out->values) << "cells " << in->cell << ", " << k->cell << ", " << out->cell;
  EXPECT_EQ(in->values_drawn, 25);
  EXPECT_EQ(k->values_drawn, 9);
  EXPECT_EQ(out->values_drawn, 5);  // (0,0) (0,1) (0,2) (1,0) done or under way for filter 1, (1,1) partial
  // Lit: the input voxel (2, 2) of c1, the weight (1, 1) of filter 1's slice c1,
  // the output voxel (1, 1) of f1 — each in its stack and on its pulled-out copy.
  ASSERT_EQ(lay.lit.size(), 6u);
  for (const render::LitVoxel& l : lay.lit) {
    expect_on_its_slice(lay, l);
    const bool input_ok = l.index == 1 && l.y == 2 && l.x == 2;
    const bool kernel_ok = l.stack == 1 && l.index == 1 && l.y == 1 && l.x == 1;
    const bool output_ok = l.index == 1 && l.y == 1 && l.x == 1;
    EXPECT_TRUE(l.kind == render::GridKind::input ? input_ok : l.kind == render::GridKind::kernel ? kernel_ok : output_ok);
  }
  // The breakdown under the stacks.
  const bool has_breakdown = std::any_of(lay.texts.begin(), lay.texts.end(), [](const render::TextRect& t) {
    return t.text.rfind("y[1,1,1] = c0: ", 0) == 0;
  });
  EXPECT_TRUE(has_breakdown);
}

// Texts in their pane, none overlapping, in the volume view of each new preset.
TEST(VolumeCanvas, TextsInsideAndApart) {
  for (const char* name : {"rgb_image_2_filters", "grouped_conv_g2", "depthwise_3x3"})
    for (bool volume : {true, false}) {
      SCOPED_TRACE(std::string(name) + (volume ? " volume" : " all channels"));
      model::Pane p = preset(name);
      p.volume_view = volume;
      p.all_channels = !volume;
      p.set_cursor(p.last_step() / 2);
      const render::CanvasLayout& lay = draw(p);
      const auto& r = lay.panes[0];
      for (size_t i = 0; i < lay.texts.size(); ++i) {
        const render::TextRect& t = lay.texts[i];
        EXPECT_GE(t.x, r.x - 0.5f) << t.text;
        EXPECT_LE(t.x + t.w, r.x + r.w + 0.5f) << t.text;
        EXPECT_LE(t.y + t.h, r.y + r.h + 0.5f) << t.text;
        for (size_t j = i + 1; j < lay.texts.size(); ++j) {
          const render::TextRect& u = lay.texts[j];
          const float ow = std::min(t.x + t.w, u.x + u.w) - std::max(t.x, u.x);
          const float oh = std::min(t.y + t.h, u.y + u.h) - std::max(t.y, u.y);
          EXPECT_FALSE(ow > 0.5f && oh > 0.5f) << "\"" << t.text << "\" overlaps \"" << u.text << "\"";
        }
      }
    }
}

// Grouped g=2 over 4 channels and 4 filters: each filter a stack of 2 slices.
// Depthwise over 3 channels: one kh×kw slice per filter.
TEST(VolumeCanvas, GroupedAndDepthwiseStacks) {
  model::Pane g = preset("grouped_conv_g2");
  g.volume_view = true;
  EXPECT_EQ(draw(g).slices.size(), 4u + 4 * 2 + 4 + 3);
  model::Pane d = preset("depthwise_3x3");
  d.volume_view = true;
  d.set_cursor(0);
  const render::CanvasLayout& lay = draw(d);
  EXPECT_EQ(lay.slices.size(), 3u + 3 * 1 + 3 + 3);
  for (const render::LitVoxel& l : lay.lit) expect_on_its_slice(lay, l);
}

// "All channels": every input channel slice side by side, the current filter's
// weight slices and its output slice, all readable.
TEST(VolumeCanvas, AllChannelsSideBySide) {
  model::Pane p = preset("rgb_image_2_filters");
  p.all_channels = true;
  p.set_cursor(5);
  const render::CanvasLayout& lay = draw(p);
  ASSERT_EQ(lay.slices.size(), 3u + 3 + 1);
  for (const render::VolumeSlice& s : lay.slices) {
    EXPECT_TRUE(s.readable);
    EXPECT_TRUE(s.values) << "cell " << s.cell;
  }
  // Side by side: the input slices on one line, left to right.
  EXPECT_EQ(lay.slices[0].y, lay.slices[1].y);
  EXPECT_GT(lay.slices[1].x, lay.slices[0].x + lay.slices[0].w);
}

// The export's size holds the volume at readable cells.
TEST(VolumeCanvas, PreferredSizeFitsTheVolume) {
  model::Pane p = preset("rgb_image_2_filters");
  p.volume_view = true;
  const render::Size size = canvas().preferred_size({&p}, render::CanvasOptions{});
  const render::CanvasLayout& lay = draw(p, size.w, size.h);
  for (const render::VolumeSlice& s : lay.slices)
    if (s.pulled) {
      EXPECT_TRUE(s.values) << "cell " << s.cell << " in " << size.w << "×" << size.h;
    }
}

// Past the volume limits (each slice is a texture) the pane keeps its slice view.
TEST(VolumeCanvas, TooManyChannelsStayInTheSliceView) {
  core::Scenario s;
  s.spec.groups = 1;
  s.input = core::Tensor(2, 2, 65);  // 65 channels: more than kMaxVolumeStack
  s.kernel = core::Kernel(1, 1, 65, 1);
  model::Pane p(s);
  p.volume_view = true;
  const render::CanvasLayout& lay = draw(p);
  EXPECT_TRUE(lay.slices.empty());
  EXPECT_EQ(lay.grids.size(), 3u);
}

// A grid over kMaxVolumeSide cells a side keeps the slice view, and its frame
// is the slice view's (a volume of a 2001×2001 padded input asked for 4142×8404,
// over the export limit, where the slice view's frame is 4096×4096).
TEST(VolumeCanvas, GridsTooLargeToReadAsVolumesStayInTheSliceView) {
  model::Pane padded(core::parse_scenario(
      R"({"op":"conv2d","convention":"pytorch","input":[[[1]]],"kernel":[[[[1]]]],"padding":[1000,1000]})"));
  const render::Size slices = canvas().preferred_size({&padded}, render::CanvasOptions{});
  padded.volume_view = true;
  EXPECT_FALSE(render::shows_volume(padded, render::CanvasOptions{}));
  const render::Size asked = canvas().preferred_size({&padded}, render::CanvasOptions{});
  EXPECT_EQ(asked.w, slices.w);
  EXPECT_EQ(asked.h, slices.h);
  EXPECT_EQ(asked.w, 4096);
  EXPECT_EQ(asked.h, 4096);
  EXPECT_TRUE(draw(padded).slices.empty());

  // 256 cells a side (the limit) is still drawn as a volume, within the frame cap.
  core::Scenario s;
  s.spec.groups = 1;
  s.input = core::Tensor(256, 256, 2);
  s.kernel = core::Kernel(1, 1, 2, 1);
  model::Pane wide(s);
  wide.volume_view = true;
  EXPECT_TRUE(render::shows_volume(wide, render::CanvasOptions{}));
  const render::Size size = canvas().preferred_size({&wide}, render::CanvasOptions{});
  EXPECT_LE(size.w, 4096);
  EXPECT_LE(size.h, 4096);
  EXPECT_FALSE(draw(wide, size.w, size.h).slices.empty());

  // 16 channels of 256×256 side by side ("all channels") would want 16·256·2 px
  // across at the smallest cell: the frame stays at the cap, as the slice view's.
  core::Scenario many;
  many.spec.groups = 1;
  many.input = core::Tensor(256, 256, 16);
  many.kernel = core::Kernel(1, 1, 16, 1);
  model::Pane side_by_side(many);
  side_by_side.all_channels = true;
  ASSERT_TRUE(render::shows_volume(side_by_side, render::CanvasOptions{}));
  const render::Size capped = canvas().preferred_size({&side_by_side}, render::CanvasOptions{});
  EXPECT_EQ(capped.w, 4096);
  EXPECT_LE(capped.h, 4096);
}

