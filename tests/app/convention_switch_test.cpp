// Switching a pane between Keras and PyTorch keeps its arithmetic (issue 9):
// PyTorch pads become Keras "same" when they equal Keras' own split, "valid"
// when they are zero; any other pads keep the pane PyTorch with the Keras
// equivalent in one line. Every case is worked on paper in its comment.
#include <gtest/gtest.h>

#include "app/model/convention_switch.h"
#include "app/model/pane.h"

namespace {

// An n×n input of ones, a k×k kernel of ones, PyTorch, stride s, explicit pads.
core::Scenario torch_conv(int64_t n, int64_t k, int64_t s, core::Pair before, core::Pair after) {
  core::Scenario sc;
  sc.spec.convention = core::Convention::pytorch;
  sc.spec.strides = {s, s};
  sc.spec.padding = core::PaddingKind::explicit_pads;
  sc.spec.pad_before = before;
  sc.spec.pad_after = after;
  sc.spec.pads_per_side = before != after;
  sc.input = core::Tensor(n, n, 1, 1.0);
  sc.kernel = core::Kernel(k, k, 1, 1, 1.0);
  return sc;
}

// torch.nn.ConvTranspose2d(1, 1, k, stride=s, padding=p, output_padding=op) on an n×n input.
core::Scenario torch_transpose(int64_t n, int64_t k, int64_t s, int64_t p, int64_t op) {
  core::Scenario sc = torch_conv(n, k, s, {p, p}, {p, p});
  sc.spec.op = core::Op::conv2d_transpose;
  sc.spec.pads_per_side = false;
  sc.spec.output_padding = core::Pair{op, op};
  return sc;
}

TEST(ConventionSwitch, PadsEqualToKerasSameSplitBecomeSame) {
  // 4×4, k = 3, s = 2. Keras "same": out = ceil(4/2) = 2, total pad
  // max((2 − 1)·2 + 3 − 4, 0) = 1, top/left floor(1/2) = 0, bottom/right 1.
  // PyTorch with pads (0, 1), (0, 1): floor((4 + 0 + 1 − 3)/2) + 1 = 2.
  model::Pane p(torch_conv(4, 3, 2, {0, 0}, {1, 1}));
  ASSERT_EQ(p.geometry().out_h(), 2);
  ASSERT_TRUE(p.set_convention(core::Convention::keras)) << p.error();
  EXPECT_EQ(p.scenario().spec.convention, core::Convention::keras);
  EXPECT_EQ(p.scenario().spec.padding, core::PaddingKind::same);
  EXPECT_EQ(p.geometry().out_h(), 2);
  EXPECT_EQ(p.geometry().axes[0].pad_before, 0);
  EXPECT_EQ(p.geometry().axes[1].pad_after, 1);
  // And back: PyTorch has "same" only at stride 1, so the split comes back as numbers.
  ASSERT_TRUE(p.set_convention(core::Convention::pytorch)) << p.error();
  EXPECT_EQ(p.scenario().spec.padding, core::PaddingKind::explicit_pads);
  EXPECT_EQ(p.scenario().spec.pad_before, (core::Pair{0, 0}));
  EXPECT_EQ(p.scenario().spec.pad_after, (core::Pair{1, 1}));
  EXPECT_TRUE(p.scenario().spec.pads_per_side);
}

TEST(ConventionSwitch, ZeroPadsBecomeValid) {
  // 4×4, k = 3, s = 2, no pads: floor((4 − 3)/2) + 1 = 1 either way.
  model::Pane p(torch_conv(4, 3, 2, {0, 0}, {0, 0}));
  ASSERT_TRUE(p.set_convention(core::Convention::keras)) << p.error();
  EXPECT_EQ(p.scenario().spec.padding, core::PaddingKind::valid);
  EXPECT_EQ(p.geometry().out_h(), 1);
}

TEST(ConventionSwitch, OtherPadsStayPyTorchAndNameTheKerasEquivalent) {
  // 4×4, k = 3, s = 2, pads 1 on every side: floor((4 + 2 − 3)/2) + 1 = 2 like
  // Keras "same", but Keras would pad (0, 1), not (1, 1): no Keras keyword.
  model::Pane p(torch_conv(4, 3, 2, {1, 1}, {1, 1}));
  EXPECT_FALSE(p.set_convention(core::Convention::keras));
  EXPECT_EQ(p.scenario().spec.convention, core::Convention::pytorch);
  EXPECT_EQ(p.scenario().spec.pad_before, (core::Pair{1, 1}));
  EXPECT_NE(p.error().find("ZeroPadding2D(((1, 1), (1, 1))) + Conv2D(padding=\"valid\")"), std::string::npos)
      << p.error();
  EXPECT_EQ(p.error().find('\n'), std::string::npos) << "one line";
  EXPECT_FALSE(p.can_undo());  // nothing changed, nothing to undo
  // Uneven pads name each side: (top 2, bottom 0), (left 0, right 1).
  model::Pane q(torch_conv(5, 3, 1, {2, 0}, {0, 1}));
  EXPECT_FALSE(q.set_convention(core::Convention::keras));
  EXPECT_NE(q.error().find("ZeroPadding2D(((2, 0), (0, 1)))"), std::string::npos) << q.error();
}

TEST(ConventionSwitch, TransposeCropsMatchKerasSameOrAreNamed) {
  // ConvTranspose2d(k=4, s=2, p=1) on 3×3: (3 − 1)·2 − 2·1 + 4 = 6; the full
  // scatter (3 − 1)·2 + 4 = 8 cropped 1 and 1. Keras "same" (output_padding
  // None): out = 3·2 = 6, crop floor((8 − 6)/2) = 1 before, 1 after.
  model::Pane p(torch_transpose(3, 4, 2, 1, 0));
  ASSERT_EQ(p.geometry().out_h(), 6);
  ASSERT_TRUE(p.set_convention(core::Convention::keras)) << p.error();
  EXPECT_EQ(p.scenario().spec.padding, core::PaddingKind::same);
  EXPECT_FALSE(p.scenario().spec.output_padding.has_value());
  EXPECT_EQ(p.geometry().out_h(), 6);
  // padding 0, output_padding 0: the full scatter, Keras "valid".
  model::Pane v(torch_transpose(3, 3, 2, 0, 0));
  ASSERT_TRUE(v.set_convention(core::Convention::keras)) << v.error();
  EXPECT_EQ(v.scenario().spec.padding, core::PaddingKind::valid);
  EXPECT_EQ(v.geometry().out_h(), 7);  // (3 − 1)·2 + 3
  // k = 3, s = 2, p = 2 on 3×3: (3 − 1)·2 − 4 + 3 = 3 cells of the 7-cell scatter,
  // cropped 2 and 2; no Keras keyword crops that much, so Keras crops after "valid".
  model::Pane c(torch_transpose(3, 3, 2, 2, 0));
  EXPECT_FALSE(c.set_convention(core::Convention::keras));
  EXPECT_EQ(c.scenario().spec.convention, core::Convention::pytorch);
  EXPECT_NE(c.error().find("Conv2DTranspose(padding=\"valid\") + Cropping2D(((2, 2), (2, 2)))"), std::string::npos)
      << c.error();
}

TEST(ConventionSwitch, KerasTransposeSameToPyTorchOrSliced) {
  // Keras Conv2DTranspose(k=4, s=2, "same") on 3×3: 6 cells, crop 1 and 1 →
  // ConvTranspose2d(padding=1, output_padding=0).
  core::Scenario s = torch_transpose(3, 4, 2, 0, 0);
  s.spec.convention = core::Convention::keras;
  s.spec.padding = core::PaddingKind::same;
  s.spec.pad_before = s.spec.pad_after = {0, 0};
  s.spec.output_padding.reset();
  const model::ConventionSwitch to = model::switch_convention(s, core::Convention::pytorch);
  ASSERT_TRUE(to.spec) << to.refusal;
  EXPECT_EQ(to.spec->pad_before, (core::Pair{1, 1}));
  EXPECT_EQ(*to.spec->output_padding, (core::Pair{0, 0}));
  // k = 3, s = 2 on 2×2: 4 cells of the 5-cell scatter, crop 0 before and 1
  // after; PyTorch crops alike at both ends, so it slices rows and columns 0:4.
  s.input = core::Tensor(2, 2, 1, 1.0);
  s.kernel = core::Kernel(3, 3, 1, 1, 1.0);
  const model::ConventionSwitch refused = model::switch_convention(s, core::Convention::pytorch);
  EXPECT_FALSE(refused.spec);
  EXPECT_NE(refused.refusal.find("y[:, :, 0:4, 0:4]"), std::string::npos) << refused.refusal;
}

}  // namespace
