// The two orders of a transposed convolution, worked on paper: the scatter
// (input cell by input cell, each stamping the kernel) and the gather of its
// equivalent direct convolution (output cell by output cell over the
// zero-inserted, padded input, kernel rotated 180°, conv_arithmetic's picture).
#include <gtest/gtest.h>

#include "core/compute.h"
#include "core/errors.h"
#include "core/geometry.h"
#include "core/trace.h"

namespace {

std::shared_ptr<const core::Scenario> scenario(const std::string& json) {
  return std::make_shared<const core::Scenario>(core::parse_scenario(json));
}

const char* const kSeedTranspose =
    R"({"op": "conv2d_transpose", "input": [[[1], [1]], [[1], [1]]], "kernel": [[[[1]], [[1]]], [[[1]], [[1]]]]})";

TEST(GatherOrder, SeedTransposeWalksOutputCellsOverThePaddedInput) {
  const core::Trace trace(scenario(kSeedTranspose), core::TraceOrder::gather);
  ASSERT_EQ(trace.count(), 9 * 4);  // 3×3 output cells × 2×2 taps
  // Output (0, 0): the rotated kernel's taps read (−1,−1), (−1,0), (0,−1): padding; then x[0,0].
  for (int64_t n = 0; n < 3; ++n) {
    const core::Step st = trace.step(n);
    EXPECT_TRUE(st.padding) << n;
    EXPECT_FALSE(st.input.has_value());
    EXPECT_EQ(st.product, 0);
    EXPECT_EQ(*st.after, 0);
  }
  EXPECT_EQ(*trace.step(0).tap, (std::array<int64_t, 2>{1, 1}));  // the original kernel's index
  const core::Step fourth = trace.step(3);
  EXPECT_EQ(*fourth.input, (core::Cell{0, 0, 0}));
  EXPECT_EQ(*fourth.tap, (std::array<int64_t, 2>{0, 0}));
  EXPECT_EQ(*fourth.after, 1);
  // Output (1, 1), the centre: four real reads, 1 → 2 → 3 → 4 as in the scatter.
  for (int64_t t = 0; t < 4; ++t) {
    const core::Step st = trace.step(16 + t);
    EXPECT_EQ(st.output, (core::Cell{1, 1, 0}));
    EXPECT_TRUE(st.input.has_value());
    EXPECT_EQ(*st.after, t + 1);
  }
  EXPECT_EQ(trace.partial_output(trace.count() - 1).values, (std::vector<double>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
}

TEST(GatherOrder, StrideTwoReadsInsertedZeros) {
  // x = [1, 10], w = [1, 2, 3], s = 2, Keras valid: y = [1, 2, 13, 20, 30]. Output 1 reads,
  // through the rotated taps, z = 1 − t: t = 2 → −1 (padding), t = 1 → 0 (x[0]·w[1] = 2),
  // t = 0 → 1 (the zero inserted between x[0] and x[1]).
  const core::Trace trace(scenario(R"({"op": "conv2d_transpose", "strides": [1, 2], "input": [[[1], [10]]],
                                       "kernel": [[[[1]], [[2]], [[3]]]]})"),
                          core::TraceOrder::gather);
  ASSERT_EQ(trace.count(), 5 * 3);
  const core::Step pad = trace.step(3), real = trace.step(4), zero = trace.step(5);
  EXPECT_TRUE(pad.padding);
  EXPECT_EQ((*pad.tap)[1], 2);
  EXPECT_EQ(*real.input, (core::Cell{0, 0, 0}));
  EXPECT_EQ(real.w, 2);
  EXPECT_EQ(*real.after, 2);
  EXPECT_TRUE(zero.zero_inserted);
  EXPECT_FALSE(zero.padding);
  EXPECT_FALSE(zero.input.has_value());
  EXPECT_EQ(*zero.after, 2);
  EXPECT_EQ(trace.final_output().values, (std::vector<double>{1, 2, 13, 20, 30}));
  // The cell-by-cell jumps of the picture: output cell 2 starts at step 6, input x[1] is first read at output 2.
  EXPECT_EQ(trace.first_step_of_output_cell({0, 2, 0}), 6);
  EXPECT_EQ(trace.step(trace.first_step_of_input_cell({0, 1, 0})).output, (core::Cell{0, 2, 0}));
}

TEST(GatherOrder, BiasEndsEachOutputCell) {
  const core::Trace trace(scenario(R"({"op": "conv2d_transpose", "bias": [5], "input": [[[1]]], "kernel": [[[[2]]]]})"),
                          core::TraceOrder::gather);
  ASSERT_EQ(trace.count(), 2);
  EXPECT_EQ(trace.step(1).kind, core::StepKind::bias);
  EXPECT_EQ(*trace.step(1).after, 7);
}

TEST(GatherOrder, AConvolutionHasNoScatter) {
  try {
    core::Trace(scenario(R"({"op": "conv2d", "input": [[[1]]], "kernel": [[[[1]]]]})"), core::TraceOrder::scatter);
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::order_not_for_conv);
  }
}

TEST(StepCoder, EncodeInvertsDecodeInEveryOrder) {
  // A grouped PyTorch transpose with bias: units, taps, groups and the bias tail all in play.
  const auto s = scenario(R"({"op": "conv2d_transpose", "convention": "pytorch", "groups": 2, "strides": 2,
      "padding": [1, 0], "bias": [1, 2, 3, 4], "input": [[[1, 2], [3, 4], [5, 6]], [[1, 2], [3, 4], [5, 6]]],
      "kernel": [[[[1, 2], [3, 4]], [[1, 2], [3, 4]]], [[[1, 2], [3, 4]], [[1, 2], [3, 4]]]]})");
  const core::Geometry g = core::validate(*s);
  ASSERT_EQ(g.out_channels, 4);
  for (core::TraceOrder order : {core::TraceOrder::scatter, core::TraceOrder::gather}) {
    const core::StepCoder coder(g, s->input.h, s->input.w, order, true);
    for (int64_t n = 0; n < coder.count(); ++n) {
      const core::StepCode code = coder.decode(n);
      ASSERT_EQ(coder.encode(code), n) << core::trace_order_name(order);
      if (!code.bias) {
        // The tap's channel belongs to the unit's group.
        const int64_t unit_group = order == core::TraceOrder::gather ? g.group_of_filter(code.unit.c)
                                                                    : g.group_of_input_channel(code.unit.c);
        const int64_t tap_group = order == core::TraceOrder::gather ? g.group_of_input_channel(code.channel)
                                                                   : g.group_of_filter(code.channel);
        EXPECT_EQ(unit_group, tap_group);
      }
    }
  }
}

TEST(Geometry, CoordinateMapsAndTheirInverses) {
  // Conv: n = 5, k = 3, s = 2, pads (1, 1): out 3; output 1 reads inputs 1, 2, 3.
  core::Spec conv;
  conv.convention = core::Convention::pytorch;
  conv.padding = core::PaddingKind::explicit_pads;
  conv.pad_before = conv.pad_after = {1, 1};
  conv.strides = {2, 2};
  const core::AxisGeometry a = core::geometry_for(conv, 5, 5, 3, 3, 1, 1).axes[0];
  EXPECT_EQ(a.out, 3);
  EXPECT_EQ(a.conv_input_of(1, 0), 1);
  EXPECT_EQ(a.conv_input_of(0, 0), -1);  // the padding before
  EXPECT_EQ(a.conv_output_of(3, 2), std::optional<int64_t>(1));
  EXPECT_EQ(a.conv_output_of(2, 0), std::nullopt);  // 2 + 1 − 0 = 3 is not a multiple of 2
  EXPECT_EQ(a.padded_in(), 7);
  // Transpose: n = 2, k = 3, s = 2, Keras valid: out 5, zero-inserted 3 long, padded by 2 and 2.
  core::Spec tr;
  tr.op = core::Op::conv2d_transpose;
  tr.strides = {2, 2};
  const core::AxisGeometry t = core::geometry_for(tr, 2, 2, 3, 3, 1, 1).axes[0];
  EXPECT_EQ(t.out, 5);
  EXPECT_EQ(t.transpose_output_of(1, 2), 4);
  EXPECT_EQ(t.transpose_input_of(4, 2), std::optional<int64_t>(1));
  EXPECT_EQ(t.transpose_input_of(3, 0), std::nullopt);
  EXPECT_EQ(t.zero_inserted_length(), 3);
  EXPECT_EQ(t.equivalent_pad_before(), 2);
  EXPECT_EQ(t.equivalent_pad_after(), 2);
  EXPECT_EQ(t.equivalent_padded_length(), 7);
  EXPECT_EQ(t.zero_inserted_of(1, 1), 0);  // output 1 through tap 1 reads the first input cell
}

}  // namespace
