// The scenario file: layouts, defaults, round trip, and large inputs.
#include <gtest/gtest.h>

#include <random>

#include "core/compute.h"
#include "core/format.h"
#include "core/scenario.h"
#include "test_support.h"

namespace {

TEST(Scenario, DefaultsAreTheFrameworkDefaults) {
  const core::Scenario keras = core::parse_scenario(R"({"op": "conv2d", "input": [[[1]]], "kernel": [[[[1]]]]})");
  EXPECT_EQ(keras.spec.convention, core::Convention::keras);
  EXPECT_EQ(keras.spec.strides, (core::Pair{1, 1}));
  EXPECT_EQ(keras.spec.dilation, (core::Pair{1, 1}));
  EXPECT_EQ(keras.spec.padding, core::PaddingKind::valid);
  EXPECT_FALSE(keras.spec.output_padding.has_value());
  EXPECT_FALSE(keras.bias.has_value());
  const core::Scenario torch = core::parse_scenario(
      R"({"op": "conv2d_transpose", "convention": "pytorch", "bias": null, "input": [[[1]]], "kernel": [[[[1]]]]})");
  EXPECT_EQ(torch.spec.padding, core::PaddingKind::explicit_pads);
  EXPECT_EQ(torch.spec.pad_before, (core::Pair{0, 0}));
  EXPECT_FALSE(torch.bias.has_value());
}

TEST(Scenario, TorchLayoutsAreThePermutedKerasNumbers) {
  // conv2d: OIHW weight (F=2, C=1, 1×2) equals Keras [1][2][1][2] permuted; chw input 1×1×3.
  const core::Scenario torch = core::parse_scenario(
      R"({"op": "conv2d", "input_layout": "chw", "kernel_layout": "torch",
          "input": [[[1, 2, 3]]], "kernel": [[[[1, 10]]], [[[100, 1000]]]]})");
  const core::Scenario keras = core::parse_scenario(
      R"({"op": "conv2d", "input": [[[1], [2], [3]]], "kernel": [[[[1, 100]], [[10, 1000]]]]})");
  EXPECT_EQ(torch.kernel.values, keras.kernel.values);
  EXPECT_EQ(core::compute(torch).values, core::compute(keras).values);
  // Output in the input's layout: [F, H, W] for chw.
  EXPECT_EQ(core::output_to_json(torch, core::compute(torch)),
            R"({"output_shape": [2, 1, 2], "output": [[[21, 32]], [[2100, 3200]]]})");
  // conv_transpose2d weight (in, out, kh, kw) vs Keras [kh][kw][out][in].
  const core::Scenario t_torch = core::parse_scenario(
      R"({"op": "conv2d_transpose", "kernel_layout": "torch", "input": [[[1, 2]]], "kernel": [[[[3]], [[4]]], [[[5]], [[6]]]]})");
  const core::Scenario t_keras = core::parse_scenario(
      R"({"op": "conv2d_transpose", "input": [[[1, 2]]], "kernel": [[[[3, 5], [4, 6]]]]})");
  EXPECT_EQ(t_torch.kernel.values, t_keras.kernel.values);
  EXPECT_EQ(core::compute(t_torch).values, (std::vector<double>{1 * 3 + 2 * 5, 1 * 4 + 2 * 6}));
}

TEST(Scenario, RoundTripsThroughJson) {
  std::mt19937 rng(3);
  for (int i = 0; i < 100; ++i) {
    core::Scenario s = testing_support::random_scenario(rng, false);
    s.input_layout = i % 3 == 0 ? core::InputLayout::chw : core::InputLayout::hwc;
    s.kernel_layout = i % 2 == 0 ? core::KernelLayout::torch : core::KernelLayout::keras;
    s.name = "case " + std::to_string(i);
    for (bool pretty : {true, false}) {
      const core::Scenario back = core::parse_scenario(core::scenario_to_json(s, pretty));
      EXPECT_EQ(core::scenario_to_json(back, pretty), core::scenario_to_json(s, pretty));
      EXPECT_EQ(back.input.values, s.input.values);
      EXPECT_EQ(back.kernel.values, s.kernel.values);
      EXPECT_EQ(back.bias, s.bias);
      EXPECT_EQ(back.spec.output_padding, s.spec.output_padding);
    }
  }
}

TEST(Scenario, ReadsA4096x4096InputIntoAFlatBuffer) {
  std::string text = R"({"op": "conv2d", "kernel": [[[[1]]]], "input": [)";
  text.reserve(70u << 20);
  for (int y = 0; y < 4096; ++y) {
    text += y ? ",[" : "[";
    for (int x = 0; x < 4096; ++x) {
      text += x ? ",[" : "[";
      text += static_cast<char>('0' + (x + y) % 10);
      text += ']';
    }
    text += ']';
  }
  text += "]}";
  const core::Scenario s = core::parse_scenario(text);
  EXPECT_EQ(s.input.h, 4096);
  EXPECT_EQ(s.input.w, 4096);
  EXPECT_EQ(s.input.at(4095, 4094, 0), (4095 + 4094) % 10);
}

}  // namespace

TEST(Format, ShortFormHasAtMostThreeSignificantDigits) {
  EXPECT_EQ(core::format_short(4), "4");
  EXPECT_EQ(core::format_short(-42), "\u221242");
  EXPECT_EQ(core::format_short(999), "999");
  EXPECT_EQ(core::format_short(0.118), "0.118");
  EXPECT_EQ(core::format_short(0.12), "0.12");
  EXPECT_EQ(core::format_short(-3.14159), "\u22123.14");
  EXPECT_EQ(core::format_short(10000), "1e4");
  EXPECT_EQ(core::format_short(12345), "1.23e4");
  EXPECT_EQ(core::format_short(1234), "1.23e3");
  EXPECT_EQ(core::format_short(0.0000151), "1.51e\u22125");
  // Two digits, for grids too narrow for three: rounded, integers below 1000 kept whole.
  EXPECT_EQ(core::format_short(0.3092, 2), "0.31");
  EXPECT_EQ(core::format_short(-8.88, 2), "\u22128.9");
  EXPECT_EQ(core::format_short(0.118, 2), "0.12");
  EXPECT_EQ(core::format_short(12345, 2), "1.2e4");
  EXPECT_EQ(core::format_short(999, 2), "999");
  EXPECT_EQ(core::format_short(-0.0), "0");
  EXPECT_EQ(core::format_short(1.0 / 3), "0.333");
  // The long form keeps full precision for the arithmetic line.
  EXPECT_EQ(core::format_number(1.0 / 3), "0.333333");
}
