// The worked example everyone starts from, and the four seed presets.
#include <gtest/gtest.h>

#include "core/compute.h"
#include "core/scenario.h"
#include "core/trace.h"

namespace {

std::string preset(const std::string& name) {
  return core::read_text_file(std::string(CONVSCOPE_SOURCE_DIR) + "/assets/presets/" + name);
}

std::vector<double> values_of(const core::Tensor& t) { return t.values; }

TEST(Seed, Conv2dOfOnesGivesFours) {
  // 3×3 ones ⊛ 2×2 ones, valid, stride 1: every window covers four ones.
  const core::Scenario s = core::parse_scenario(preset("seed_conv2d.json"));
  const core::Tensor out = core::compute(s);
  EXPECT_EQ(out.h, 2);
  EXPECT_EQ(out.w, 2);
  EXPECT_EQ(out.c, 1);
  EXPECT_EQ(values_of(out), (std::vector<double>{4, 4, 4, 4}));
  const core::Trace trace(std::make_shared<core::Scenario>(s));
  EXPECT_EQ(trace.count(), 16);  // 4 output cells × 4 taps
  for (int64_t n = 0; n < 16; ++n) EXPECT_EQ(trace.step(n).kind, core::StepKind::mac);
}

TEST(Seed, Conv2dTransposeOfOnesStampsAndOverlaps) {
  // Each of the 4 input ones stamps a 2×2 of ones; the centre is covered 4 times.
  const core::Scenario s = core::parse_scenario(preset("seed_conv2d_transpose.json"));
  const core::Tensor out = core::compute(s);
  EXPECT_EQ(out.h, 3);
  EXPECT_EQ(out.w, 3);
  EXPECT_EQ(values_of(out), (std::vector<double>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
  const core::Trace trace(std::make_shared<core::Scenario>(s));
  EXPECT_EQ(trace.count(), 16);  // 4 input cells × 4 taps
  // The centre grows 1 → 2 → 3 → 4 as the four stamps land on it.
  std::vector<double> centre;
  for (int64_t n = 0; n < 16; ++n) {
    const core::Step st = trace.step(n);
    EXPECT_EQ(st.kind, core::StepKind::scatter);
    if (st.output == core::Cell{1, 1, 0}) centre.push_back(*st.after);
  }
  EXPECT_EQ(centre, (std::vector<double>{1, 2, 3, 4}));
}

TEST(Seed, KerasDefaultsShapes) {
  // keras.layers.Conv2D(1, 2) and Conv2DTranspose(1, 2) on (1, 3, 3, 1): (1, 2, 2, 1) and (1, 4, 4, 1),
  // each with Keras's default zero bias.
  const core::Scenario conv = core::parse_scenario(preset("keras_defaults_conv2d.json"));
  const core::Scenario convt = core::parse_scenario(preset("keras_defaults_conv2d_transpose.json"));
  ASSERT_TRUE(conv.bias && convt.bias);
  const core::Tensor a = core::compute(conv), b = core::compute(convt);
  EXPECT_EQ(std::vector<int64_t>({a.h, a.w, a.c}), std::vector<int64_t>({2, 2, 1}));
  EXPECT_EQ(std::vector<int64_t>({b.h, b.w, b.c}), std::vector<int64_t>({4, 4, 1}));
  EXPECT_EQ(values_of(b), (std::vector<double>{1, 2, 2, 1, 2, 4, 4, 2, 2, 4, 4, 2, 1, 2, 2, 1}));
  // With a bias every output cell gets one more step.
  EXPECT_EQ(core::Trace(std::make_shared<core::Scenario>(conv)).count(), 4 * 4 + 4);
  EXPECT_EQ(core::Trace(std::make_shared<core::Scenario>(convt)).count(), 9 * 4 + 16);
}

}  // namespace
