// The equivalent view of a Conv2DTranspose as worked examples on the classic
// stride-2 checkerboard preset (3×3 input, 3×3 kernel, stride 2 → 7×7): the
// 3×3 input with one zero between cells is 5×5, padded by dk−1−crop = 2 on
// every side it is 9×9, and a valid stride-1 conv with the rotated 3×3 kernel
// gives 9 − 3 + 1 = 7 again. Plus the View option's name and its session round trip.
#include <gtest/gtest.h>

#include "app/model/app_state.h"
#include "app/model/equivalent_view.h"
#include "app/model/session.h"
#include "core/errors.h"

namespace {

using model::PaddedCell;

std::shared_ptr<const core::Scenario> checkerboard_with_ramp_kernel() {
  core::Scenario s = core::load_scenario(std::string(CONVSCOPE_PRESETS_DIR) + "/classic_transpose_stride2_checkerboard.json");
  for (int64_t ky = 0; ky < 3; ++ky)
    for (int64_t kx = 0; kx < 3; ++kx) s.kernel.at(ky, kx, 0, 0) = static_cast<double>(1 + ky * 3 + kx);  // 1 … 9
  return std::make_shared<const core::Scenario>(std::move(s));
}

TEST(EquivalentView, CheckerboardPresetIsANineByNineGrid) {
  const auto s = checkerboard_with_ramp_kernel();
  const model::EquivalentView eq(s);
  EXPECT_EQ(eq.rows(), 9);
  EXPECT_EQ(eq.cols(), 9);
  EXPECT_EQ(eq.inserted(0), 1);
  EXPECT_EQ(eq.inserted_length(0), 5);
  EXPECT_EQ(eq.pad_before(0), 2);
  EXPECT_EQ(eq.pad_after(1), 2);
  // Padded row 2: pad, pad, x[0,0], zero, x[0,1], zero, x[0,2], pad, pad.
  EXPECT_EQ(eq.cell(2, 0), PaddedCell::padding);
  EXPECT_EQ(eq.cell(2, 2), PaddedCell::input);
  EXPECT_EQ(eq.cell(2, 3), PaddedCell::inserted_zero);
  EXPECT_EQ(eq.cell(3, 3), PaddedCell::inserted_zero);
  EXPECT_EQ(eq.cell(6, 6), PaddedCell::input);
  EXPECT_EQ(eq.cell(6, 7), PaddedCell::padding);
  EXPECT_EQ(eq.cell(-1, 4), PaddedCell::padding);  // outside the grid
  EXPECT_EQ(eq.cell(4, 9), PaddedCell::padding);
  ASSERT_TRUE(eq.input_cell(4, 6).has_value());
  EXPECT_EQ(*eq.input_cell(4, 6), (std::array<int64_t, 2>{1, 2}));
  EXPECT_FALSE(eq.input_cell(4, 5).has_value());
  // The rotated kernel: w′[0,0] = w[2,2] = 9.
  EXPECT_EQ(eq.conv().kernel.at(0, 0, 0, 0), 9);
  EXPECT_EQ(eq.conv().kernel.at(2, 1, 0, 0), 2);
  EXPECT_EQ(eq.caption(),
            "zero-insert s−1 = 1 between cells → 5×5, pad dk−1−crop = 2 → 9×9, 3×3 kernel rotated 180°, stride 1");
}

TEST(EquivalentView, ScatterStepIsOneTapOfTheConv) {
  const auto s = checkerboard_with_ramp_kernel();
  const core::Trace trace(s);
  const model::EquivalentView eq(s);
  ASSERT_NE(eq.trace(), nullptr);
  EXPECT_EQ(eq.trace()->count(), 7 * 7 * 9);
  // Step 37: x[1,1] (the 5th input cell, steps 36…44) times w[0,1] = 2 lands on y[1·2+0, 1·2+1] = y[2,3].
  const core::Step scatter = trace.step(37);
  ASSERT_EQ(scatter.output, (core::Cell{2, 3, 0}));
  const auto mac = eq.mac_of_scatter(trace, scatter);
  ASSERT_TRUE(mac.has_value());
  // The conv's window of y[2,3] starts at padded (2,3); tap w′[2,1] = w[0,1] reads padded (4,4) = x[1,1].
  EXPECT_EQ(mac->output, (core::Cell{2, 3, 0}));
  EXPECT_EQ(*mac->tap, (std::array<int64_t, 2>{2, 1}));
  EXPECT_EQ(*mac->input, (core::Cell{4, 4, 0}));
  EXPECT_EQ(*mac->a, *scatter.a);
  EXPECT_EQ(mac->w, 2);
  EXPECT_EQ(mac->product, scatter.product);
  EXPECT_EQ(mac->index, (2 * 7 + 3) * 9 + (2 * 3 + 1));
}

TEST(EquivalentView, NegativePadCropsAndCroppedScattersHaveNoTap) {
  // PyTorch padding 3 with k=3, s=2: dk−1−crop = 3−1−3 = −1 before (the padded grid
  // starts one cell into the zero-inserted input); output_padding 1 leaves 0 after.
  const auto s = std::make_shared<const core::Scenario>(core::parse_scenario(R"({
      "op": "conv2d_transpose", "convention": "pytorch", "strides": [2, 1], "padding": [3, 1], "output_padding": [1, 0],
      "input": [[[1], [2]], [[3], [4]], [[5], [6]], [[7], [8]]],
      "kernel": [[[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]]]})"));
  const core::Trace trace(s);
  const model::EquivalentView eq(s);
  EXPECT_EQ(eq.pad_before(0), -1);
  EXPECT_EQ(eq.pad_after(0), 0);
  EXPECT_EQ(eq.pad_before(1), 1);
  EXPECT_EQ(eq.rows(), 7 - 1);  // zero-inserted 7, one row cropped
  EXPECT_EQ(eq.cell(0, 1), PaddedCell::inserted_zero);  // zero-inserted row 1
  EXPECT_EQ(eq.cell(1, 1), PaddedCell::input);          // x[1,0]
  EXPECT_NE(eq.caption().find("pad dk−1−crop = −1/0 (H), 1 (W) before/after → 6×4"), std::string::npos) << eq.caption();
  // x[0,0]·w[0,0] lands on y[0·2+0−3, …]: cropped, no tap of the conv reads it.
  const core::Step first = trace.step(0);
  ASSERT_TRUE(first.cropped);
  EXPECT_FALSE(eq.mac_of_scatter(trace, first).has_value());
  // Every uncropped scatter has its tap, with the same product.
  for (int64_t n = 0; n < trace.count(); ++n) {
    const core::Step st = trace.step(n);
    const auto mac = eq.mac_of_scatter(trace, st);
    ASSERT_EQ(mac.has_value(), st.kind == core::StepKind::scatter && !st.cropped) << n;
    if (mac) {
      EXPECT_EQ(mac->product, st.product) << n;
    }
  }
}

TEST(EquivalentView, OnlyForTransposes) {
  core::Scenario conv;
  conv.input = core::Tensor(3, 3, 1, 1.0);
  conv.kernel = core::Kernel(2, 2, 1, 1, 1.0);
  EXPECT_THROW(model::EquivalentView(std::make_shared<const core::Scenario>(conv)), core::Error);
}

TEST(ViewOptions, NamesAndSessionRoundTrip) {
  model::ViewOptions v;
  EXPECT_FALSE(v.equivalent);  // off by default
  ASSERT_NE(model::view_option(v, "equivalent"), nullptr);
  *model::view_option(v, "equivalent") = true;
  EXPECT_TRUE(v.equivalent);
  EXPECT_EQ(model::view_option(v, "values"), &v.values);
  EXPECT_EQ(model::view_option(v, "bogus"), nullptr);

  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  st.view.equivalent = true;
  const model::AppState back = model::session_from_json(model::session_to_json(st).text);
  EXPECT_TRUE(back.view.equivalent);
  st.view.equivalent = false;
  EXPECT_FALSE(model::session_from_json(model::session_to_json(st).text).view.equivalent);
}

}  // namespace
