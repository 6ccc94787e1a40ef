// Grouped and depthwise convolution, worked on paper (issue 11). The golden
// cases (test_golden.cpp) check many more against PyTorch and tfjs.
#include <gtest/gtest.h>

#include "core/compute.h"
#include "core/explain.h"
#include "core/trace.h"
#include "core/views.h"

namespace {

std::shared_ptr<const core::Scenario> scenario(const std::string& json) {
  return std::make_shared<const core::Scenario>(core::parse_scenario(json));
}

TEST(Channels, RgbImageFilterHas27WeightsAndSumsOverChannels) {
  // 3×3 RGB input, channel c holding c + 1 everywhere; one 3×3×3 filter of ones:
  // 27 weights, 27 multiply-accumulates, 9·(1 + 2 + 3) = 54.
  std::string rgb = "[";
  for (int y = 0; y < 3; ++y) {
    rgb += y ? ",[" : "[";
    for (int x = 0; x < 3; ++x) rgb += x ? ",[1,2,3]" : "[1,2,3]";
    rgb += "]";
  }
  rgb += "]";
  std::string ones = "[";
  for (int y = 0; y < 3; ++y) {
    ones += y ? ",[" : "[";
    for (int x = 0; x < 3; ++x) ones += x ? ",[[1],[1],[1]]" : "[[1],[1],[1]]";
    ones += "]";
  }
  ones += "]";
  const auto s = scenario(R"({"op": "conv2d", "input": )" + rgb + R"(, "kernel": )" + ones + "}");
  EXPECT_EQ(s->kernel.size(), 27);
  const core::Trace trace(s);
  EXPECT_EQ(trace.count(), 27);
  EXPECT_EQ(core::compute(*s).values, (std::vector<double>{54}));
  // Step 5 is tap (0, 1), channel 2 (row-major ky, kx, c).
  EXPECT_EQ(*trace.step(5).tap, (std::array<int64_t, 2>{0, 1}));
  EXPECT_EQ(trace.step(5).input->c, 2);
}

TEST(Channels, GroupsSplitTheChannels) {
  // C_in = 4 = [1, 2, 3, 4], g = 2, 1×1 kernel of ones, F = 2: filter 0 sums channels 0–1 (3),
  // filter 1 channels 2–3 (7). Two taps per output cell, not four.
  const auto s = scenario(R"({"op": "conv2d", "groups": 2, "input": [[[1, 2, 3, 4]]], "kernel": [[[[1, 1], [1, 1]]]]})");
  EXPECT_EQ(core::compute(*s).values, (std::vector<double>{3, 7}));
  const core::Trace trace(s);
  ASSERT_EQ(trace.count(), 4);
  EXPECT_EQ(trace.step(2).output.c, 1);
  EXPECT_EQ(trace.step(2).input->c, 2);  // filter 1's first channel
  EXPECT_NE(core::explain(*s).find("groups=2"), std::string::npos);
}

TEST(Channels, DepthwiseMultiplierOrdersFiltersByChannel) {
  // x = [1, 10], kernel [1][1][C_in = 2][M = 2] = [[1, 2], [3, 4]]: filter c·M + m = x[c]·w[c, m]
  // → [1·1, 1·2, 10·3, 10·4].
  const auto s = scenario(R"({"op": "depthwise_conv2d", "input": [[[1, 10]]], "kernel": [[[[1, 2], [3, 4]]]]})");
  EXPECT_EQ(core::compute(*s).values, (std::vector<double>{1, 2, 30, 40}));
  const core::Trace trace(s);
  ASSERT_EQ(trace.count(), 4);  // one tap per output cell: each filter reads one channel
  EXPECT_EQ(trace.step(3).input->c, 1);
  const std::string text = core::explain(*s);
  EXPECT_NE(text.find("keras.layers.DepthwiseConv2D(kernel_size=(1, 1)"), std::string::npos) << text;
  EXPECT_NE(text.find("depth_multiplier=2"), std::string::npos) << text;
  EXPECT_NE(text.find("torch.nn.Conv2d(in_channels=2, out_channels=4"), std::string::npos) << text;
  EXPECT_NE(text.find("groups=2"), std::string::npos) << text;
  // The file round-trips in its own layout.
  EXPECT_EQ(core::scenario_to_json(core::parse_scenario(core::scenario_to_json(*s))), core::scenario_to_json(*s));
}

TEST(Channels, GroupedTransposeScattersIntoItsGroupsFilters) {
  // PyTorch, g = 2: channel 0 (1) stamps filter 0 with w = 1, channel 1 (10) filter 1 with w = 2.
  const auto s = scenario(R"({"op": "conv2d_transpose", "convention": "pytorch", "groups": 2,
                              "input": [[[1, 10]]], "kernel": [[[[1, 2]]]]})");
  EXPECT_EQ(core::compute(*s).values, (std::vector<double>{1, 20}));
  const core::Trace scatter(s);
  ASSERT_EQ(scatter.count(), 2);
  EXPECT_EQ(scatter.step(1).output.c, 1);
  EXPECT_EQ(scatter.step(1).w, 2);
  // The equivalent convolution has the same groups and the same output.
  const core::ZeroInsertionView view = core::transpose_as_conv(*s);
  EXPECT_EQ(view.geometry.groups, 2);
  EXPECT_EQ(view.output().values, (std::vector<double>{1, 20}));
  EXPECT_NE(core::explain(*s).find("no Keras layer: Keras Conv2DTranspose has no groups"), std::string::npos);
}

TEST(Channels, WeightIndexFollowsTheFilesLayout) {
  const auto keras = scenario(R"({"op": "conv2d", "groups": 2, "input": [[[1, 2, 3, 4]]], "kernel": [[[[1, 1], [1, 1]]]]})");
  const core::Geometry g = core::validate(*keras);
  // Filter 1, input channel 3: the channel within its group is 1.
  EXPECT_EQ(core::weight_index_text(*keras, g, 0, 0, 3, 1), "[0,0,1,1]");
  const auto torch = scenario(R"({"op": "conv2d", "convention": "pytorch", "kernel_layout": "torch", "groups": 2,
                                  "input": [[[1, 2, 3, 4]]], "kernel": [[[[1]], [[1]]], [[[1]], [[1]]]]})");
  EXPECT_EQ(core::weight_index_text(*torch, core::validate(*torch), 0, 0, 3, 1), "[1,1,0,0]");
  const auto dw = scenario(R"({"op": "depthwise_conv2d", "input": [[[1, 10]]], "kernel": [[[[1, 2], [3, 4]]]]})");
  EXPECT_EQ(core::weight_index_text(*dw, core::validate(*dw), 0, 0, 1, 3), "[0,0,1,1]");  // w[ky, kx, c, m]
}

}  // namespace
