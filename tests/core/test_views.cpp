// Equivalent views: the transpose as a conv over the zero-inserted input, the
// conv as a sparse matrix C, and the adjoint identity ⟨conv(x), y⟩ = ⟨x, convT(y)⟩.
#include <gtest/gtest.h>

#include <map>
#include <numeric>
#include <random>

#include "core/compute.h"
#include "core/errors.h"
#include "core/views.h"
#include "test_support.h"

namespace {

using testing_support::random_scenario;

core::Scenario random_of(std::mt19937& rng, core::Op op, bool integers = true) {
  for (;;) {
    core::Scenario s = random_scenario(rng, integers);
    if (s.spec.op == op) return s;
  }
}

// A random convolution: conv2d (grouped or not) or depthwise.
core::Scenario random_gather(std::mt19937& rng, bool integers = true) {
  for (;;) {
    core::Scenario s = random_scenario(rng, integers);
    if (!core::is_transpose(s.spec.op)) return s;
  }
}

TEST(ZeroInsertionView, SeedTransposeIsAConvOverThePaddedInput) {
  // 2×2 ones, 2×2 kernel, s=1: pad dk−1 = 1 on each side → 4×4 grid with the ones in the middle.
  const core::Scenario s = core::parse_scenario(
      R"({"op": "conv2d_transpose", "input": [[[1], [1]], [[1], [1]]], "kernel": [[[[1]], [[2]]], [[[3]], [[4]]]]})");
  const core::ZeroInsertionView view = core::transpose_as_conv(s);
  EXPECT_EQ(view.conv.input.h, 4);
  EXPECT_EQ(view.conv.input.w, 4);
  EXPECT_EQ(view.conv.input.at(0, 0, 0), 0);
  EXPECT_EQ(view.conv.input.at(1, 1, 0), 1);
  EXPECT_EQ(view.conv.kernel.at(0, 0, 0, 0), 4);  // rotated 180°
  EXPECT_EQ(view.conv.kernel.at(1, 1, 0, 0), 1);
  EXPECT_EQ(view.output().values, core::compute(s).values);
}

TEST(ZeroInsertionView, StrideTwoInsertsZeros) {
  // 2×2 input, s=2, k=3 valid: (2−1)·2+1 = 3 zero-inserted, padded by 2 each side → 7; out = 2·2+1 = 5.
  const core::Scenario s = core::parse_scenario(
      R"({"op": "conv2d_transpose", "strides": [2, 2], "input": [[[1], [2]], [[3], [4]]],
          "kernel": [[[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]]]})");
  const core::ZeroInsertionView view = core::transpose_as_conv(s);
  EXPECT_EQ(view.conv.input.h, 7);
  EXPECT_EQ(view.conv.input.at(2, 2, 0), 1);
  EXPECT_EQ(view.conv.input.at(2, 3, 0), 0);  // the inserted zero
  EXPECT_EQ(view.conv.input.at(2, 4, 0), 2);
  EXPECT_EQ(view.output().values, core::compute(s).values);
}

TEST(ZeroInsertionView, EqualsTheScatterOnRandomScenariosWithStepMapping) {
  std::mt19937 rng(5);
  for (int i = 0; i < 150; ++i) {
    const auto s = std::make_shared<core::Scenario>(random_of(rng, core::Op::conv2d_transpose));
    const core::ZeroInsertionView view = core::transpose_as_conv(*s);
    const core::Tensor expected = core::compute(*s);
    const core::Tensor got = view.output();
    ASSERT_EQ(got.size(), expected.size()) << core::scenario_to_json(*s);
    for (int64_t k = 0; k < got.size(); ++k) {
      const int64_t f = k % got.c;
      const double bias = s->bias ? (*s->bias)[static_cast<size_t>(f)] : 0.0;
      EXPECT_EQ(got.values[static_cast<size_t>(k)] + bias, expected.values[static_cast<size_t>(k)])
          << core::scenario_to_json(*s);
    }
    // Every uncropped scatter maps to a mac of the view with the same a and w, and back.
    const core::Trace scatter(s);
    const core::Trace conv(std::make_shared<core::Scenario>(view.conv));
    for (int64_t n = 0; n < scatter.count(); ++n) {
      const core::Step st = scatter.step(n);
      const int64_t m = core::view_step_of_scatter(scatter, view, st);
      if (st.kind != core::StepKind::scatter || st.cropped) {
        EXPECT_EQ(m, -1);
        continue;
      }
      const core::Step mac = conv.step(m);
      EXPECT_EQ(*mac.a, *st.a);
      EXPECT_EQ(mac.w, st.w);
      EXPECT_EQ(mac.output, st.output);
      EXPECT_EQ(core::scatter_step_of_view(scatter, view, mac), n);
    }
  }
}

TEST(ConvMatrix, TimesInputIsTheConv) {
  std::mt19937 rng(21);
  for (int i = 0; i < 150; ++i) {
    const core::Scenario s = random_gather(rng);
    core::Scenario no_bias = s;
    no_bias.bias.reset();
    const core::ConvMatrix c = core::conv_matrix(s);
    EXPECT_EQ(c.multiply(s.input.values), core::compute(no_bias).values) << core::scenario_to_json(s);
  }
}

TEST(ConvMatrix, SeedMatrixRowsAndStepPositions) {
  // 3×3 input, 2×2 kernel: C is 4×9, four ones per row.
  const auto s = std::make_shared<core::Scenario>(core::parse_scenario(
      R"({"op": "conv2d", "input": [[[1],[1],[1]],[[1],[1],[1]],[[1],[1],[1]]], "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})"));
  const core::ConvMatrix c = core::conv_matrix(*s);
  EXPECT_EQ(c.rows, 4);
  EXPECT_EQ(c.cols, 9);
  EXPECT_EQ(c.entries.size(), 16u);
  const core::Trace trace(s);
  const core::MatrixPosition p = core::matrix_position(trace, trace.step(7));  // output (0,1), tap (1,1) → input (1,2)
  EXPECT_EQ(p.row, 1);
  EXPECT_EQ(p.col, 5);
}

double dot(const std::vector<double>& a, const std::vector<double>& b) {
  return std::inner_product(a.begin(), a.end(), b.begin(), 0.0);
}

// Whether a transposed layer of the convolution's framework is its adjoint,
// derived per axis on paper (not by trying): PyTorch's ConvTranspose2d crops
// both ends alike, so the pads must be symmetric (also for a Keras convolution
// with groups, which Keras' transposed layer lacks). Keras' Conv2DTranspose
// with "valid" always fits (output_padding = (n − dk) mod s < s); with "same"
// an axis of even dk whose stride divides n needs output_padding = s, which TF
// refuses, so output_padding None must serve every axis — and None gives back
// n exactly when s divides n.
bool adjoint_exists_on_paper(const core::Scenario& conv) {
  const core::Geometry g = core::validate(conv);
  if (conv.spec.convention == core::Convention::pytorch || g.groups > 1)
    return g.axes[0].pad_before == g.axes[0].pad_after && g.axes[1].pad_before == g.axes[1].pad_after;
  if (conv.spec.padding == core::PaddingKind::valid) return true;
  bool needs_none = false, none_fits = true;
  for (const core::AxisGeometry& a : g.axes) {
    const bool divides = a.in % a.stride == 0;
    if (a.dilated_kernel % 2 == 0 && divides) needs_none = true;
    if (!divides) none_fits = false;
  }
  return !needs_none || none_fits;
}

TEST(Adjoint, ConvAndTransposeAreAdjointsAndCTransposeIsTheTranspose) {
  std::mt19937 rng(42);
  int checked = 0, without = 0;
  for (int i = 0; i < 400; ++i) {
    core::Scenario conv = random_gather(rng);
    conv.bias.reset();
    const bool exists = adjoint_exists_on_paper(conv);
    ASSERT_EQ(core::has_adjoint_transpose(conv), exists) << core::scenario_to_json(conv);
    const core::Tensor cx = core::compute(conv);
    core::Tensor y(cx.h, cx.w, cx.c);
    testing_support::randomize(y.values, rng, true);
    if (!exists) {
      EXPECT_THROW(core::adjoint_transpose(conv, y), core::Error) << core::scenario_to_json(conv);
      ++without;
      continue;
    }
    const core::Scenario convt = core::adjoint_transpose(conv, y);
    EXPECT_EQ(core::validate(convt).groups, core::validate(conv).groups);
    const core::Tensor cty = core::compute(convt);
    ASSERT_EQ(cty.h, conv.input.h) << core::scenario_to_json(conv);
    ASSERT_EQ(cty.w, conv.input.w);
    ASSERT_EQ(cty.c, conv.input.c);
    // Integers: both inner products are exact.
    EXPECT_EQ(dot(cx.values, y.values), dot(conv.input.values, cty.values)) << core::scenario_to_json(conv);
    EXPECT_EQ(core::conv_matrix(conv).multiply_transposed(y.values), cty.values) << core::scenario_to_json(conv);
    ++checked;
  }
  // With seed 42: 307 of the 400 have an adjoint (each case above agreed with the rule on paper).
  EXPECT_EQ(checked + without, 400);
  EXPECT_GE(checked, 300);
}

TEST(Adjoint, KerasSameWithEvenKernelUsesOutputPaddingNone) {
  // Width: n = 4, k = 2, s = 2, "same": the conv gives 2 cells with pads (0, 0). output_padding
  // would have to be 2 = s (refused by TF); None gives 2·2 = 4 cells, cropping nothing: exact.
  const core::Scenario conv = core::parse_scenario(
      R"({"op": "conv2d", "padding": "same", "strides": [1, 2], "input": [[[1],[2],[3],[4]]], "kernel": [[[[1]],[[1]]]]})");
  const core::Scenario t = core::adjoint_transpose(conv, core::Tensor(1, 2, 1, 1.0));
  EXPECT_FALSE(t.spec.output_padding.has_value());
  EXPECT_EQ(core::validate(t).out_w(), 4);
}

TEST(Adjoint, GroupedKerasConvGetsAGroupedPyTorchTranspose) {
  const core::Scenario conv = core::parse_scenario(
      R"({"op": "conv2d", "groups": 2, "input": [[[1, 10], [2, 20]]], "kernel": [[[[1, 2]]]]})");
  const core::Scenario t = core::adjoint_transpose(conv, core::Tensor(1, 2, 2, 1.0));
  EXPECT_EQ(t.spec.convention, core::Convention::pytorch);
  EXPECT_EQ(t.spec.groups, 2);
  // Filter 0 reads channel 0 with weight 1, filter 1 channel 1 with weight 2: Cᵀ·1 = [1, 2] per cell.
  EXPECT_EQ(core::compute(t).values, (std::vector<double>{1, 2, 1, 2}));
}

TEST(Views, HugeDilationIsRefusedAsAViewNotAllocated) {
  // A valid PyTorch transpose: dk = 2^30 + 1, p = (dk − 5)/2 crops it to 5 cells; its
  // zero-insertion grid would be 5 + dk − 1 ≈ 2^30 cells long.
  core::Scenario s = core::parse_scenario(
      R"({"op": "conv2d_transpose", "convention": "pytorch", "dilation": [1, 1073741824], "padding": [0, 536870910],
          "input": [[[1]]], "kernel": [[[[1]], [[1]]]]})");
  EXPECT_EQ(core::validate(s).out_w(), 5);
  try {
    core::transpose_as_conv(s);
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::view_over_limit) << e.what();
  }
  // The trace and the direct result are fine: two taps.
  EXPECT_EQ(core::compute(s).values, (std::vector<double>{0, 0, 0, 0, 0}));
}

}  // namespace

namespace {

TEST(TransposeMatrix, TimesInputIsTheTransposeAndItsTransposeIsC) {
  std::mt19937 rng(77);
  int adjoints = 0;
  for (int i = 0; i < 150; ++i) {
    core::Scenario t = random_of(rng, core::Op::conv2d_transpose);
    t.bias.reset();
    const core::ConvMatrix ct = core::transpose_matrix(t);
    EXPECT_EQ(ct.multiply(t.input.values), core::compute(t).values) << core::scenario_to_json(t);
  }
  // Cᵀ of a conv's adjoint is C transposed, entry for entry.
  for (int i = 0; i < 150; ++i) {
    core::Scenario conv = random_gather(rng);
    conv.bias.reset();
    if (!core::has_adjoint_transpose(conv)) continue;
    const core::Geometry g = core::validate(conv);
    const core::Scenario t = core::adjoint_transpose(conv, core::Tensor(g.out_h(), g.out_w(), g.out_channels, 1.0));
    std::map<std::pair<int64_t, int64_t>, double> c, ct;
    for (const core::SparseEntry& e : core::conv_matrix(conv).entries) c[{e.col, e.row}] += e.value;
    for (const core::SparseEntry& e : core::transpose_matrix(t).entries) ct[{e.row, e.col}] += e.value;
    EXPECT_EQ(c, ct) << core::scenario_to_json(conv);
    ++adjoints;
  }
  EXPECT_GT(adjoints, 100);
}

TEST(TransposeMatrix, SeedScatterStepsHaveTheirColumn) {
  // 2×2 input, 2×2 kernel → 3×3: Cᵀ is 9×4; scatter step 5 is x[0,1] (column 1) onto y[0,2] (row 2).
  const auto s = std::make_shared<core::Scenario>(core::parse_scenario(
      R"({"op": "conv2d_transpose", "input": [[[1], [1]], [[1], [1]]], "kernel": [[[[1]], [[1]]], [[[1]], [[1]]]]})"));
  const core::ConvMatrix ct = core::transpose_matrix(*s);
  EXPECT_EQ(ct.rows, 9);
  EXPECT_EQ(ct.cols, 4);
  EXPECT_EQ(ct.entries.size(), 16u);
  const core::Trace trace(s);
  const core::MatrixPosition p = core::matrix_position(trace, trace.step(5));
  EXPECT_EQ(p.col, 1);
  EXPECT_EQ(p.row, 2);
}

}  // namespace
