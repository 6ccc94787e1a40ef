// The sum over channels of the current output cell (model/channel_sum.h), the
// channel edits (groups, depthwise, depth multiplier) and the per-pane volume
// view in the session: worked examples a reader can check on paper.
#include <gtest/gtest.h>

#include "app/model/channel_sum.h"
#include "app/model/session.h"

namespace {

// A 1×1 input of 3 channels [1, 2, 3] through a 1×1 kernel [1, −1, 2] with bias
// 0.5: the output is 1 − 2 + 6 = 5, plus 0.5 = 5.5.
model::Pane three_channels_one_tap() {
  core::Scenario s;
  s.input = core::Tensor(1, 1, 3);
  s.input.values = {1, 2, 3};
  s.kernel = core::Kernel(1, 1, 3, 1);
  s.kernel.values = {1, -1, 2};
  s.bias = std::vector<double>{0.5};
  return model::Pane(s);
}

model::Pane preset(const std::string& name) {
  const std::string path = std::string(CONVSCOPE_PRESETS_DIR) + "/" + name + ".json";
  return model::Pane(core::load_scenario(path), path);
}

}  // namespace

TEST(ChannelSum, FillsChannelByChannelThenTheBias) {
  model::Pane p = three_channels_one_tap();
  EXPECT_FALSE(model::channel_sum(p).available);  // before the first step
  p.set_cursor(1);                                // c0 and c1 done
  model::ChannelSum cs = model::channel_sum(p);
  ASSERT_TRUE(cs.available);
  ASSERT_EQ(cs.parts.size(), 3u);
  EXPECT_EQ(cs.parts[0].sum, 1);
  EXPECT_EQ(cs.parts[1].sum, -2);
  EXPECT_EQ(cs.parts[2].taps_done, 0);
  EXPECT_EQ(cs.total, -1);
  EXPECT_EQ(model::channel_sum_text(cs), "y[0,0,0] = c0: 1, c1: −2, c2: · → −1, + b (0.5) next");
  p.end();  // the bias step too
  cs = model::channel_sum(p);
  EXPECT_EQ(cs.total, 5);
  EXPECT_EQ(cs.value, 5.5);
  EXPECT_EQ(model::channel_sum_text(cs), "y[0,0,0] = c0: 1, c1: −2, c2: 6 → 5, + b = 5.5");
}

// RGB preset: every finished cell's breakdown adds up to the output value, and
// each channel contributes its 3×3 = 9 taps (27 weights per filter).
TEST(ChannelSum, RgbPresetPartsAddUpToEveryOutputCell) {
  model::Pane p = preset("rgb_image_2_filters");
  const core::Tensor out = p.trace().final_output();
  for (int64_t u = 0; u < p.trace().unit_count(); ++u) {
    p.set_cursor(p.trace().last_step_of_unit(u));
    const model::ChannelSum cs = model::channel_sum(p);
    ASSERT_TRUE(cs.available);
    ASSERT_EQ(cs.parts.size(), 3u);
    for (const model::ChannelPart& part : cs.parts) EXPECT_EQ(part.taps_done, 9);
    EXPECT_TRUE(cs.bias_done);
    EXPECT_DOUBLE_EQ(cs.value, out.at(cs.output.y, cs.output.x, cs.output.c));
  }
}

// Grouped: filter f2 of g=2 over 4 channels reads c2 and c3 only.
TEST(ChannelSum, GroupedListsOnlyTheFiltersGroup) {
  model::Pane p = preset("grouped_conv_g2");
  p.set_cursor(p.trace().last_step_of_unit(2));  // output cell (0, 0), filter 2
  const model::ChannelSum cs = model::channel_sum(p);
  ASSERT_TRUE(cs.available);
  EXPECT_EQ(cs.output.c, 2);
  EXPECT_EQ(cs.group, 1);
  ASSERT_EQ(cs.parts.size(), 2u);
  EXPECT_EQ(cs.parts[0].channel, 2);
  EXPECT_EQ(cs.parts[1].channel, 3);
  EXPECT_DOUBLE_EQ(cs.value, p.trace().final_output().at(0, 0, 2));
  EXPECT_EQ(model::group_text(p.geometry(), 1), "group 1 of 2: c2–c3 → f2–f3");
}

// A grouped transposed convolution: the output cell's parts, once every scatter
// onto it is done, add up to its value.
TEST(ChannelSum, GroupedTransposeAddsUpAtTheEnd) {
  core::Scenario s;
  s.spec.op = core::Op::conv2d_transpose;
  s.spec.convention = core::Convention::pytorch;
  s.spec.padding = core::PaddingKind::explicit_pads;
  s.spec.output_padding = core::Pair{0, 0};
  s.spec.groups = 2;
  s.spec.strides = {2, 2};
  s.input = core::Tensor(2, 2, 4);
  for (size_t i = 0; i < s.input.values.size(); ++i) s.input.values[i] = static_cast<double>(i % 5) - 2;
  s.kernel = core::Kernel(2, 2, 4, 1);  // [kh][kw][C_in][F/g]: F = 2
  for (size_t i = 0; i < s.kernel.values.size(); ++i) s.kernel.values[i] = static_cast<double>(i % 3) - 1;
  model::Pane p(s);
  p.end();
  const core::Tensor out = p.trace().final_output();
  // The last scatter lands on some cell; its breakdown has the group's 2 channels.
  const model::ChannelSum cs = model::channel_sum(p);
  ASSERT_TRUE(cs.available);
  EXPECT_EQ(cs.parts.size(), 2u);
  EXPECT_DOUBLE_EQ(cs.value, out.at(cs.output.y, cs.output.x, cs.output.c));
}

TEST(ChannelEdits, GroupsDepthwiseAndMultiplier) {
  model::Pane p = preset("rgb_image_2_filters");  // C = 3, F = 2
  EXPECT_FALSE(p.set_groups(2));  // 2 does not divide C = 3
  EXPECT_NE(p.error().find("groups"), std::string::npos) << p.error();
  ASSERT_TRUE(p.set_filters(3));
  ASSERT_TRUE(p.set_groups(3));  // depthwise-like: 1 channel a filter
  EXPECT_EQ(p.scenario().kernel.in_channels, 1);
  EXPECT_EQ(p.scenario().kernel.out_channels, 3);
  ASSERT_TRUE(p.set_op(core::Op::depthwise_conv2d));
  EXPECT_EQ(p.scenario().spec.groups, 1);
  EXPECT_EQ(p.geometry().groups, 3);
  EXPECT_EQ(p.depth_multiplier(), 1);
  ASSERT_TRUE(p.set_depth_multiplier(2));
  EXPECT_EQ(p.scenario().filters(), 6);
  EXPECT_EQ(p.geometry().out_channels, 6);
  EXPECT_EQ(p.scenario().bias->size(), 6u);
  ASSERT_TRUE(p.set_channels(2));  // keeps M = 2: F = 4
  EXPECT_EQ(p.scenario().filters(), 4);
  ASSERT_TRUE(p.set_op(core::Op::conv2d));
  EXPECT_EQ(p.scenario().kernel.in_channels, 2);
  EXPECT_EQ(p.scenario().kernel.out_channels, 4);
}

TEST(ChannelEdits, VolumeViewIsSavedPerPane) {
  model::AppState st;
  st.panes.push_back(preset("rgb_image_2_filters"));
  st.panes.push_back(preset("depthwise_3x3"));
  st.panes[0].volume_view = true;
  st.panes[1].all_channels = true;
  const model::AppState back = model::session_from_json(model::session_to_json(st).text);
  ASSERT_EQ(back.panes.size(), 2u);
  EXPECT_TRUE(back.panes[0].volume_view);
  EXPECT_FALSE(back.panes[0].all_channels);
  EXPECT_FALSE(back.panes[1].volume_view);
  EXPECT_TRUE(back.panes[1].all_channels);
  EXPECT_THROW(model::session_from_json(R"({"panes": [{"scenario": {"op": "conv2d", "input": [[[1]]],
      "kernel": [[[[1]]]]}, "volume": 1}]})"), core::Error);
}
