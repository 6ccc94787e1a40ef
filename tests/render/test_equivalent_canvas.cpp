// The equivalent view on the canvas, rendered headless: it makes the canvas
// taller only for Conv2DTranspose panes, it lays out a 9×9 padded grid for the
// stride-2 checkerboard preset with dots, hatching and real values where the
// zero insertion puts them, it outlines the same tap as the scatter, and big
// grids stay on the canvas.
#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "app/render/canvas_renderer.h"
#include "app/render/colors.h"
#include "app/render/grid_renderer.h"
#include "headless_canvas.h"

namespace {

render::CanvasRenderer& canvas() { return export_test::headless_canvas(); }

model::Pane preset(const std::string& name) {
  const std::string path = std::string(CONVSCOPE_PRESETS_DIR) + "/" + name + ".json";
  return model::Pane(core::load_scenario(path), path);
}

render::CanvasOptions with_equivalent(bool on) {
  render::CanvasOptions o;
  o.equivalent = on;
  return o;
}

const render::GridRect* find(const render::CanvasLayout& lay, int pane, render::GridKind kind) {
  for (const auto& g : lay.grids)
    if (g.pane == pane && g.kind == kind) return &g;
  return nullptr;
}

struct Rgb {
  int r, g, b;
};
// The pixel at the centre of cell (y, x) of a grid (tensor coordinates), and at a fraction of it.
Rgb pixel(const std::vector<uint8_t>& rgba, int w, const render::GridRect& g, int64_t y, int64_t x, float fx = 0.5f,
          float fy = 0.5f) {
  const int px = static_cast<int>(g.x + (static_cast<float>(x - g.col0) + fx) * g.cell);
  const int py = static_cast<int>(g.y + (static_cast<float>(y - g.row0) + fy) * g.cell);
  const uint8_t* p = &rgba[static_cast<size_t>((py * w + px) * 4)];
  return {p[0], p[1], p[2]};
}
// Pixels of one exact colour inside cell (y, x).
int count_in_cell(const std::vector<uint8_t>& rgba, int w, const render::GridRect& g, int64_t y, int64_t x, Rgb c) {
  const float x0 = g.x + static_cast<float>(x - g.col0) * g.cell, y0 = g.y + static_cast<float>(y - g.row0) * g.cell;
  int n = 0;
  for (int py = static_cast<int>(y0); py < static_cast<int>(y0 + g.cell); ++py)
    for (int px = static_cast<int>(x0); px < static_cast<int>(x0 + g.cell); ++px) {
      const uint8_t* p = &rgba[static_cast<size_t>((py * w + px) * 4)];
      n += p[0] == c.r && p[1] == c.g && p[2] == c.b;
    }
  return n;
}
bool grey(Rgb c) { return c.r == c.g && c.g == c.b; }

constexpr Rgb opaque(render::colors::Rgba c) { return {c.r, c.g, c.b}; }
const Rgb kHighlight = opaque(render::colors::kHighlight), kWindowInk = opaque(render::colors::kWindow);

TEST(EquivalentCanvas, PreferredSizeGrowsOnlyForTransposes) {
  const model::Pane t = preset("classic_transpose_stride2_checkerboard");
  const render::Size off = canvas().preferred_size({&t}, with_equivalent(false));
  const render::Size on = canvas().preferred_size({&t}, with_equivalent(true));
  EXPECT_GT(on.h, off.h + 150);  // a second row of grids, its labels and its caption
  EXPECT_GE(on.w, off.w);
  const model::Pane c = preset("seed_conv2d");
  const render::Size conv_off = canvas().preferred_size({&c}, with_equivalent(false));
  const render::Size conv_on = canvas().preferred_size({&c}, with_equivalent(true));
  EXPECT_EQ(conv_on.w, conv_off.w);
  EXPECT_EQ(conv_on.h, conv_off.h);
}

TEST(EquivalentCanvas, CheckerboardPaddedGridDotsHatchAndTheSameTap) {
  model::Pane t = preset("classic_transpose_stride2_checkerboard");
  // Step 37: x[1,1]·w[0,1] onto y[2,3]; in the conv: window of y[2,3] (padded rows 2…4,
  // columns 3…5 = zero-inserted 0…2, 1…3), tap w′[2,1] on x[1,1] at zero-inserted (2,2).
  t.set_cursor(37);
  const render::CanvasOptions o = with_equivalent(true);
  const render::Size size = canvas().preferred_size({&t}, o);
  canvas().render({&t}, o, size.w, size.h);
  const std::vector<uint8_t> px = canvas().read_rgba();
  const render::CanvasLayout& lay = canvas().layout();
  const render::GridRect* in = find(lay, 0, render::GridKind::equivalent_input);
  const render::GridRect* k = find(lay, 0, render::GridKind::equivalent_kernel);
  const render::GridRect* out = find(lay, 0, render::GridKind::equivalent_output);
  const render::GridRect* scatter_out = find(lay, 0, render::GridKind::output);
  ASSERT_TRUE(in && k && out && scatter_out);
  EXPECT_EQ(in->rows, 9);
  EXPECT_EQ(in->row0, -2);
  EXPECT_EQ(in->tensor_h, 5);
  EXPECT_EQ(out->rows, 7);
  EXPECT_GT(in->y, scatter_out->y + scatter_out->h);
  for (const auto& g : lay.grids) {
    EXPECT_LE(g.x + g.w, static_cast<float>(size.w));
    EXPECT_LE(g.y + g.h, static_cast<float>(size.h));
  }
  const int W = size.w;
  // x[0,0] = 1 at zero-inserted (0,0): one colour scale for the pane, whose largest
  // value is the output's 4 (four stamps overlap), so 1 sits at a quarter of the
  // map — and the output's own 1 at (0,0) has exactly the same colour.
  const Rgb real = pixel(px, W, *in, 0, 0, 0.2f, 0.2f);
  float rgb[3];
  render::diverging_rgb(0.25f, rgb);
  EXPECT_NEAR(real.r, rgb[0] * 255, 2);
  EXPECT_NEAR(real.g, rgb[1] * 255, 2);
  EXPECT_NEAR(real.b, rgb[2] * 255, 2);
  const Rgb out_one = pixel(px, W, *out, 0, 0, 0.2f, 0.2f);
  EXPECT_EQ(out_one.r, real.r);
  EXPECT_EQ(out_one.g, real.g);
  EXPECT_EQ(out_one.b, real.b);
  // An inserted zero, (0,1): a grey dot in the middle of a near-white cell.
  const Rgb dot = pixel(px, W, *in, 0, 1), around = pixel(px, W, *in, 0, 1, 0.25f, 0.25f);
  EXPECT_TRUE(grey(dot) && dot.r < 170) << dot.r;
  EXPECT_TRUE(grey(around) && around.r > 235) << around.r;
  // Padding, (−2,−2): hatched greys, both stripes present in the cell.
  int light = 0, dark = 0;
  for (float f = 0.1f; f < 0.9f; f += 0.05f) {
    const Rgb c = pixel(px, W, *in, -2, -2, f, 0.5f);
    EXPECT_TRUE(grey(c));
    light += c.r > 200;
    dark += c.r < 200;
  }
  EXPECT_GT(light, 0);
  EXPECT_GT(dark, 0);
  // The same tap in both pictures: x[1,1] at (2,2), w′[2,1], y[2,3].
  EXPECT_GT(count_in_cell(px, W, *in, 2, 2, kHighlight), 10);
  EXPECT_GT(count_in_cell(px, W, *k, 2, 1, kHighlight), 10);
  EXPECT_EQ(count_in_cell(px, W, *k, 0, 1, kHighlight), 0);  // not the unrotated w[0,1]
  EXPECT_GT(count_in_cell(px, W, *out, 2, 3, kHighlight), 10);
  EXPECT_GT(count_in_cell(px, W, *scatter_out, 2, 3, kHighlight), 10);
  // The window's outline runs through its corner cells, not outside it.
  EXPECT_GT(count_in_cell(px, W, *in, 0, 1, kWindowInk), 10);
  EXPECT_GT(count_in_cell(px, W, *in, 0, 3, kWindowInk), 10);
  EXPECT_EQ(count_in_cell(px, W, *in, -2, -2, kWindowInk), 0);
  EXPECT_EQ(count_in_cell(px, W, *in, 4, 5, kWindowInk), 0);
}

TEST(EquivalentCanvas, CroppedScatterOutlinesNothing) {
  // Keras "same", stride 2, 3×3 on 2×2 → 4×4: crop 0 before, 1 after; the last
  // tap of x[1,1] lands on y[4,4], outside.
  model::Pane t(core::parse_scenario(R"({"op": "conv2d_transpose", "strides": [2, 2], "padding": "same",
      "input": [[[1], [1]], [[1], [1]]], "kernel": [[[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]]]})"));
  t.set_cursor(t.last_step());
  ASSERT_TRUE(t.trace().step(t.cursor()).cropped);
  const render::CanvasOptions o = with_equivalent(true);
  const render::Size size = canvas().preferred_size({&t}, o);
  canvas().render({&t}, o, size.w, size.h);
  const std::vector<uint8_t> px = canvas().read_rgba();
  const render::GridRect* in = find(canvas().layout(), 0, render::GridKind::equivalent_input);
  ASSERT_TRUE(in);
  for (int64_t y = in->row0; y < in->row0 + in->rows; ++y)
    for (int64_t x = in->col0; x < in->col0 + in->cols; ++x) EXPECT_EQ(count_in_cell(px, size.w, *in, y, x, kHighlight), 0);
}

TEST(EquivalentCanvas, BigGridStaysOnTheCanvas) {
  // 64×64, stride 2, 3×3 → 129×129; the padded grid is 131×131.
  core::Scenario s;
  s.spec.op = core::Op::conv2d_transpose;
  s.spec.strides = {2, 2};
  s.input = core::Tensor(64, 64, 1, 1.0);
  s.kernel = core::Kernel(3, 3, 1, 1, 1.0);
  model::Pane t(s);
  t.set_cursor(1000);
  const render::CanvasOptions o = with_equivalent(true);
  const render::Size size = canvas().preferred_size({&t}, o);
  EXPECT_LE(size.w, 4096);
  EXPECT_LE(size.h, 4096);
  // At its preferred size, and in a window-sized canvas.
  for (const render::Size target : {size, render::Size{1260, 770}}) {
    canvas().render({&t}, o, target.w, target.h);
    const render::CanvasLayout& lay = canvas().layout();
    const render::GridRect* in = find(lay, 0, render::GridKind::equivalent_input);
    ASSERT_TRUE(in);
    EXPECT_EQ(in->rows, 131);
    EXPECT_GE(in->cell, 1.0f);
    for (const auto& a : lay.grids) {
      EXPECT_GE(a.x, 0);
      EXPECT_GE(a.y, 0);
      EXPECT_LE(a.x + a.w, static_cast<float>(target.w));
      EXPECT_LE(a.y + a.h, static_cast<float>(target.h));
      for (const auto& b : lay.grids) {
        if (&a == &b) continue;
        const bool apart = a.x + a.w <= b.x || b.x + b.w <= a.x || a.y + a.h <= b.y || b.y + b.h <= a.y;
        EXPECT_TRUE(apart) << static_cast<int>(a.kind) << " overlaps " << static_cast<int>(b.kind);
      }
    }
  }
}

}  // namespace
