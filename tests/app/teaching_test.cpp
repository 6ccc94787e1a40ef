// Issue 12 in the app model, on paper: the round trip (its output_padding and
// the values that do not come back), hover links as the window shows them,
// --hover's text form, and the overlap map kept in the session.
#include <gtest/gtest.h>

#include "app/model/app_state.h"
#include "app/model/hover.h"
#include "app/model/overlap.h"
#include "app/model/round_trip.h"
#include "app/model/session.h"

namespace {

core::Scenario ones(core::Op op, int64_t n, int64_t k, int64_t stride,
                    core::PaddingKind padding = core::PaddingKind::valid) {
  core::Scenario s;
  s.spec.op = op;
  s.spec.strides = {stride, stride};
  s.spec.padding = padding;
  s.input = core::Tensor(n, n, 1, 1.0);
  s.kernel = core::Kernel(k, k, 1, 1, 1.0);
  return s;
}

TEST(RoundTrip, ShapeComesBackValuesDoNot) {
  // 5×5 ones, 3×3 ones, stride 2, valid: 2×2 of 9s. The transpose stamps them back
  // onto 2·2 + (3 − 2) = 5×5: the corner gets one stamp (9), the centre all four (36).
  const model::RoundTrip rt = model::round_trip(ones(core::Op::conv2d, 5, 3, 2));
  EXPECT_EQ(rt.output.values, (std::vector<double>{9, 9, 9, 9}));
  EXPECT_TRUE(rt.shape_restored);
  EXPECT_FALSE(rt.output_padding_needed);
  EXPECT_EQ(rt.restored.at(0, 0, 0), 9);
  EXPECT_EQ(rt.restored.at(2, 2, 0), 36);
  EXPECT_EQ(rt.restored.at(0, 1, 0), 9);
  EXPECT_EQ(rt.max_difference, 35);
  EXPECT_EQ(rt.transpose.spec.op, core::Op::conv2d_transpose);
  EXPECT_EQ(rt.transpose.spec.strides, (core::Pair{2, 2}));
}

TEST(RoundTrip, OutputPaddingPicksWhichSizeComesBack) {
  // 6×6 → floor((6 − 3)/2) + 1 = 2, like 5×5: the transpose's default gives 5;
  // output_padding 1 gives (2 − 1)·2 + 3 + 1 = 6.
  const model::RoundTrip rt = model::round_trip(ones(core::Op::conv2d, 6, 3, 2));
  EXPECT_TRUE(rt.output_padding_needed);
  EXPECT_TRUE(rt.shape_restored);
  ASSERT_TRUE(rt.transpose.spec.output_padding);
  EXPECT_EQ(*rt.transpose.spec.output_padding, (core::Pair{1, 1}));
  EXPECT_NE(rt.output_padding_note.find("output_padding [1, 1]"), std::string::npos) << rt.output_padding_note;
}

TEST(RoundTrip, StartsFromAConvOnly) {
  EXPECT_THROW(model::round_trip(ones(core::Op::conv2d_transpose, 2, 2, 1)), core::Error);
}

TEST(Hover, SummariesCountWhatIsLit) {
  const model::Pane conv(ones(core::Op::conv2d, 4, 3, 1, core::PaddingKind::same));
  const model::HoverLinks corner = model::hover_links(conv, {model::HoverKind::output, 0, {0, 0, 0}, 0});
  EXPECT_EQ(corner.summary, "9 inputs, 9 weights, 5 are padding");
  EXPECT_EQ(corner.inputs.size(), 9u);
  const model::Pane seed(ones(core::Op::conv2d_transpose, 2, 2, 1));
  const model::HoverLinks centre = model::hover_links(seed, {model::HoverKind::output, 0, {1, 1, 0}, 0});
  EXPECT_EQ(centre.summary, "4 stamps land here (4 inputs, 4 weights)");
  const model::HoverLinks tap = model::hover_links(seed, {model::HoverKind::kernel, 0, {0, 1, 0}, 0});
  EXPECT_EQ(tap.products, 4);
  EXPECT_EQ(tap.summary, "w[0,1] takes part in 4 products (one stamp per input cell)");
  const model::HoverLinks outside = model::hover_links(seed, {model::HoverKind::input, 0, {5, 0, 0}, 0});
  EXPECT_EQ(outside.products, 0);
}

TEST(Hover, ParsedFromTheCommandLine) {
  const model::Pane seed(ones(core::Op::conv2d_transpose, 2, 2, 1));
  std::string why;
  const auto t = model::parse_hover("kernel:1,0", seed, &why);
  ASSERT_TRUE(t) << why;
  EXPECT_EQ(t->kind, model::HoverKind::kernel);
  EXPECT_EQ(t->cell, (core::Cell{1, 0, 0}));
  EXPECT_EQ(model::hover_text(*t), "kernel:1,0,0");
  EXPECT_FALSE(model::parse_hover("out:3,0", seed, &why));
  EXPECT_NE(why.find("outside"), std::string::npos);
  EXPECT_FALSE(model::parse_hover("window:1,1", seed, &why));
  EXPECT_FALSE(model::parse_hover("in:1", seed, &why));
  EXPECT_FALSE(model::parse_hover("in:1,1,0,9", seed, &why));
}

TEST(Hover, LinksAreComputedOnlyWhenTheTargetChanges) {
  std::vector<model::Pane> panes;
  panes.emplace_back(ones(core::Op::conv2d, 4, 3, 1));
  model::HoverState h;
  h.target = {model::HoverKind::output, 0, {1, 1, 0}, 0};
  h.refresh(panes);
  const auto first = h.links;
  ASSERT_TRUE(first);
  h.refresh(panes);
  EXPECT_EQ(h.links, first);  // same target, same trace: the same links, not recomputed
  h.target.cell = {0, 0, 0};
  h.refresh(panes);
  EXPECT_NE(h.links, first);
  h.target = {};
  h.refresh(panes);
  EXPECT_FALSE(h.links);
}

TEST(Overlap, FixSetsTheEvenKernel) {
  model::Pane p(ones(core::Op::conv2d_transpose, 3, 3, 2));
  model::CoverageCache cache;
  const core::Coverage* cov = cache.get(p);
  ASSERT_TRUE(cov);
  EXPECT_FALSE(cov->even);
  ASSERT_TRUE(model::apply_even_kernel(p, *cov));
  EXPECT_EQ(p.scenario().kernel.kh, 4);
  EXPECT_TRUE(cache.get(p)->even);
}

TEST(Overlap, KeptInTheSession) {
  model::AppState st;
  st.panes.emplace_back(ones(core::Op::conv2d_transpose, 3, 3, 2));
  st.panes[0].overlap_map = true;
  st.panes[0].overlap_weights = true;
  const model::AppState back = model::session_from_json(model::session_to_json(st).text);
  ASSERT_EQ(back.panes.size(), 1u);
  EXPECT_TRUE(back.panes[0].overlap_map);
  EXPECT_TRUE(back.panes[0].overlap_weights);
}

}  // namespace
