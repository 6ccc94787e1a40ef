// The canvas reads from the back of a lecture hall (issue 9): rendered headless
// at the window's canvas size for 1024×700, 1600×1000 and 2560×1600, for every
// preset and the hard cases (three panes of decimals, the equivalent view, a
// 64×64 and a 1×64 input, padding 1000), the renderer's own layout data must show that
//   - every visible grid whose cells are big enough for its numbers has every
//     number drawn, at one font of at least 10 px;
//   - every text lies inside its pane, no two texts overlap, none ends in "…";
//   - cell edges land on whole pixels;
//   - at zoom 1 the band holds its grids whole (a 2001×2001 output too).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <sstream>

#include "app/model/window_layout.h"
#include "app/render/canvas_renderer.h"
#include "headless_canvas.h"

namespace {

render::CanvasRenderer& canvas() { return export_test::headless_canvas(); }

model::Pane load(const std::string& path) { return model::Pane(core::load_scenario(path), path); }

std::string preset_path(const std::string& name) { return std::string(CONVSCOPE_PRESETS_DIR) + "/" + name + ".json"; }

// A scenario of small decimals (an image-like input): h×w input, k×k kernel.
model::Pane decimals(int64_t h, int64_t w, int64_t k, core::Op op = core::Op::conv2d) {
  core::Scenario s;
  s.spec.op = op;
  s.input = core::Tensor(h, w, 1);
  for (size_t i = 0; i < s.input.values.size(); ++i) s.input.values[i] = std::round((std::sin(static_cast<double>(i) * 1.7) * 100)) / 100;
  s.kernel = core::Kernel(k, k, 1, 1);
  for (size_t i = 0; i < s.kernel.values.size(); ++i) s.kernel.values[i] = std::round((std::cos(static_cast<double>(i) * 2.3) * 100)) / 100;
  return model::Pane(s);
}

struct Case {
  std::string name;
  std::vector<model::Pane> panes;
  bool equivalent = false;
};

std::vector<Case> cases() {
  std::vector<Case> out;
  for (const auto& e : std::filesystem::directory_iterator(CONVSCOPE_PRESETS_DIR)) {
    if (e.path().extension() != ".json") continue;
    Case c{e.path().stem().string(), {}};
    c.panes.push_back(load(e.path().string()));
    out.push_back(std::move(c));
  }
  Case seed{"seed_two_panes", {}};
  seed.panes.push_back(load(preset_path("seed_conv2d")));
  seed.panes.push_back(load(preset_path("seed_conv2d_transpose")));
  out.push_back(std::move(seed));
  Case three{"three_panes_decimals", {}};
  three.panes.push_back(decimals(6, 6, 3));
  three.panes.push_back(decimals(6, 6, 3));
  three.panes.push_back(load(preset_path("classic_transpose_stride2_checkerboard")));
  out.push_back(std::move(three));
  Case eq{"equivalent_view", {}, true};
  eq.panes.push_back(load(preset_path("classic_transpose_stride2_checkerboard")));
  out.push_back(std::move(eq));
  Case big{"input_64x64", {}};
  big.panes.push_back(decimals(64, 64, 3));
  out.push_back(std::move(big));
  Case wide{"input_1x64", {}};
  wide.panes.push_back(decimals(1, 64, 1));
  out.push_back(std::move(wide));
  // A 2001×2001 output needs cells under a quarter pixel to fit (it was cut, and
  // its label pushed over the header).
  Case padded{"padding_1000", {}};
  padded.panes.emplace_back(core::parse_scenario(
      R"({"op":"conv2d","convention":"pytorch","input":[[[1]]],"kernel":[[[[1]]]],"padding":[1000,1000]})"));
  out.push_back(std::move(padded));
  return out;
}

bool overlap(const render::TextRect& a, const render::TextRect& b) {
  const float w = std::min(a.x + a.w, b.x + b.w) - std::max(a.x, b.x);
  const float h = std::min(a.y + a.h, b.y + b.h) - std::max(a.y, b.y);
  return w > 0.5f && h > 0.5f;
}

bool ends_in_ellipsis(const std::string& t) { return t.size() >= 3 && t.compare(t.size() - 3, 3, "…") == 0; }

void check(const Case& c, int window_w, int window_h, int& grids_with_values) {
  SCOPED_TRACE(c.name + " at " + std::to_string(window_w) + "×" + std::to_string(window_h));
  model::ViewOptions v;
  v.equivalent = c.equivalent;
  const float scale = window_w >= 2560 ? 2.0f : 1.0f;  // a 2560×1600 screen at twice the density
  const model::WindowLayout wl = model::window_layout(static_cast<float>(window_w), static_cast<float>(window_h),
                                                      std::round(21 * scale), scale, v, false);
  std::vector<const model::Pane*> panes;
  for (const model::Pane& p : c.panes) panes.push_back(&p);
  render::CanvasOptions o = render::CanvasOptions::from_view(v, scale);
  const int w = static_cast<int>(wl.canvas.w), h = static_cast<int>(wl.canvas.h);
  canvas().render(panes, o, w, h);
  const render::CanvasLayout& lay = canvas().layout();
  for (const render::GridRect& g : lay.grids) {
    SCOPED_TRACE("grid kind " + std::to_string(static_cast<int>(g.kind)) + " of pane " + std::to_string(g.pane));
    if (g.cell >= 2) {
      EXPECT_EQ(g.cell, std::floor(g.cell)) << "cell edges on whole pixels";
    }
    EXPECT_EQ(g.x, std::floor(g.x));
    EXPECT_EQ(g.y, std::floor(g.y));
    // At zoom 1 the band holds its grids whole.
    EXPECT_NEAR(g.clip_w, g.w, 0.01f);
    EXPECT_NEAR(g.clip_h, g.h, 0.01f);
    if (g.cell >= g.legible_cell) {
      EXPECT_TRUE(g.values) << "cell " << g.cell << " ≥ legible " << g.legible_cell;
      EXPECT_EQ(g.values_drawn, g.visible_cells) << "every number in view drawn";
    }
    if (g.values) {
      EXPECT_GE(g.value_px, 10.0f);
      ++grids_with_values;
    }
  }
  for (const render::TextRect& t : lay.clipped_texts) {
    std::ostringstream where;
    for (const auto& b : lay.bands) where << " band " << b.x << "," << b.y << " " << b.w << "×" << b.h << ";";
    for (const auto& g : lay.grids) where << " grid " << static_cast<int>(g.kind) << " at " << g.x << "," << g.y << " " << g.w << "×" << g.h << ";";
    ADD_FAILURE() << "text cut at a clip edge: \"" << t.text << "\" at " << t.x << "," << t.y << " (" << t.w << "×" << t.h << ")" << where.str();
  }
  for (size_t i = 0; i < lay.texts.size(); ++i) {
    const render::TextRect& t = lay.texts[i];
    SCOPED_TRACE("text \"" + t.text + "\"");
    EXPECT_FALSE(ends_in_ellipsis(t.text));
    ASSERT_LT(static_cast<size_t>(t.pane), lay.panes.size());
    const auto& r = lay.panes[static_cast<size_t>(t.pane)];
    EXPECT_GE(t.x, r.x - 0.5f);
    EXPECT_GE(t.y, r.y - 0.5f);
    EXPECT_LE(t.x + t.w, r.x + r.w + 0.5f);
    EXPECT_LE(t.y + t.h, r.y + r.h + 0.5f);
    for (size_t j = i + 1; j < lay.texts.size(); ++j)
      EXPECT_FALSE(overlap(t, lay.texts[j])) << "overlaps \"" << lay.texts[j].text << "\" at " << lay.texts[j].x << ","
                                             << lay.texts[j].y << " (this at " << t.x << "," << t.y << ")";
  }
}

TEST(CanvasLayout, LegibleAndNothingCutAtThreeWindowSizes) {
  int grids_with_values = 0, renders = 0;
  for (const Case& c : cases())
    for (const auto& [w, h] : {std::pair{1024, 700}, std::pair{1600, 1000}, std::pair{2560, 1600}}) {
      check(c, w, h, grids_with_values);
      ++renders;
    }
  // Not vacuous: most grids of these cases carry their numbers.
  EXPECT_GT(renders, 30);
  EXPECT_GT(grids_with_values, renders * 2);
}

TEST(CanvasLayout, ThreePanesOfDecimalsShowEveryNumberAt1600x1000) {
  const std::vector<Case> all = cases();
  const auto it = std::find_if(all.begin(), all.end(), [](const Case& c) { return c.name == "three_panes_decimals"; });
  ASSERT_NE(it, all.end());
  const Case& three = *it;
  int with_values = 0;
  check(three, 1600, 1000, with_values);
  for (const render::GridRect& g : canvas().layout().grids)
    if (g.pane < 2) {
      EXPECT_TRUE(g.values) << "pane " << g.pane << " kind " << static_cast<int>(g.kind) << " cell " << g.cell;
    }
}

TEST(CanvasLayout, TitlesBreakBetweenWordsAt1024) {
  // The seed's two panes in a 1024×700 window: "Conv2DTranspose" is wider than the
  // room beside the step counter at 18 px; it must shrink or take the whole line,
  // never come out as "Conv2DTranspos" + "e 2×2 → 3×3".
  model::Pane a = load(preset_path("seed_conv2d")), b = load(preset_path("seed_conv2d_transpose"));
  const model::WindowLayout wl = model::window_layout(1024, 700, 21, 1, model::ViewOptions{}, false);
  canvas().render({&a, &b}, render::CanvasOptions{}, static_cast<int>(wl.canvas.w), static_cast<int>(wl.canvas.h));
  bool whole = false;
  for (const render::TextRect& t : canvas().layout().texts) {
    EXPECT_NE(t.text.rfind("Conv2DTranspos", 0) == 0 && t.text.rfind("Conv2DTranspose", 0) != 0, true) << t.text;
    if (t.pane == 1 && t.text.rfind("Conv2DTranspose", 0) == 0) whole = true;
  }
  EXPECT_TRUE(whole) << "the transpose pane's title starts with its whole op name";
}

TEST(CanvasLayout, TwoPanesSitSideBySide) {
  model::Pane a = load(preset_path("seed_conv2d")), b = load(preset_path("seed_conv2d_transpose"));
  canvas().render({&a, &b}, render::CanvasOptions{}, 1260, 776);
  const auto& panes = canvas().layout().panes;
  ASSERT_EQ(panes.size(), 2u);
  EXPECT_EQ(panes[0].y, panes[1].y);
  EXPECT_GT(panes[1].x, panes[0].x);
}

}  // namespace

// The legend names the outline the pane draws: a transpose played in gather
// order outlines a window (the input cells that reach the output cell), in
// scatter order a stamp.
TEST(CanvasLayout, LegendSaysWindowWhenATransposeGathers) {
  model::Pane p = load(preset_path("seed_conv2d_transpose"));
  auto legend_has = [&p](const std::string& word) {
    canvas().render({&p}, render::CanvasOptions{}, 1200, 900);
    const auto& texts = canvas().layout().texts;
    return std::any_of(texts.begin(), texts.end(), [&word](const render::TextRect& t) { return t.text == word; });
  };
  EXPECT_TRUE(legend_has("stamp"));
  EXPECT_FALSE(legend_has("window"));
  p.set_order(core::TraceOrder::gather);
  EXPECT_TRUE(legend_has("window"));
  EXPECT_FALSE(legend_has("stamp"));
}
