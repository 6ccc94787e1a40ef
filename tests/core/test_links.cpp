// Hover links and coverage maps (issue 12), worked on paper, plus identities
// against the trace: every link is one product the trace performs.
#include <gtest/gtest.h>

#include <random>

#include "core/links.h"
#include "core/trace.h"
#include "test_support.h"

namespace {

// A scenario of ones: H×W input, k×k kernel, one channel.
core::Scenario ones(core::Op op, int64_t n, int64_t k, int64_t stride, core::PaddingKind padding = core::PaddingKind::valid,
                    int64_t dilation = 1) {
  core::Scenario s;
  s.spec.op = op;
  s.spec.strides = {stride, stride};
  s.spec.dilation = {dilation, dilation};
  s.spec.padding = padding;
  s.input = core::Tensor(n, n, 1, 1.0);
  s.kernel = core::Kernel(k, k, 1, 1, 1.0);
  return s;
}

std::vector<int64_t> row(const core::Coverage& m, int64_t y) {
  std::vector<int64_t> r;
  for (int64_t x = 0; x < m.w; ++x) r.push_back(m.count(y, x));
  return r;
}

std::vector<core::Link> links(const std::function<void(const core::LinkVisitor&)>& visit) {
  std::vector<core::Link> out;
  visit([&](const core::Link& l) {
    out.push_back(l);
    return true;
  });
  return out;
}

TEST(Coverage, SeedTransposeCentreGetsFourStamps) {
  // 2×2 ones stamping a 2×2 kernel, stride 1: the seed's output values are its coverage.
  const core::Scenario s = ones(core::Op::conv2d_transpose, 2, 2, 1);
  const core::Coverage m = core::coverage(s);
  EXPECT_TRUE(m.of_output);
  ASSERT_EQ(m.h, 3);
  EXPECT_EQ(m.counts, (std::vector<int64_t>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
  EXPECT_EQ(m.weight_sums, (std::vector<double>{1, 2, 1, 2, 4, 2, 1, 2, 1}));
  EXPECT_EQ(m.min, 1);
  EXPECT_EQ(m.max, 4);
  EXPECT_TRUE(m.even);  // the interior is the centre alone
  EXPECT_FALSE(m.even_kernel);
}

TEST(Coverage, Kernel3Stride2IsTheCheckerboard) {
  // 4×4 → 9×9. Along an axis output p receives taps t with p − t even and (p − t)/2 in [0, 3]:
  // 1 1 2 1 2 1 2 1 1; a cell's count is the product of its row's and column's.
  const core::Coverage m = core::coverage(ones(core::Op::conv2d_transpose, 4, 3, 2));
  ASSERT_EQ(m.h, 9);
  EXPECT_EQ(row(m, 2), (std::vector<int64_t>{2, 2, 4, 2, 4, 2, 4, 2, 2}));
  EXPECT_EQ(row(m, 3), (std::vector<int64_t>{1, 1, 2, 1, 2, 1, 2, 1, 1}));
  EXPECT_EQ(m.interior_min, 1);
  EXPECT_EQ(m.interior_max, 4);
  EXPECT_FALSE(m.even);
  ASSERT_TRUE(m.even_kernel);
  EXPECT_EQ(*m.even_kernel, (std::array<int64_t, 2>{4, 4}));
  EXPECT_NE(m.explanation.find("kernel 3 is not a multiple of stride 2"), std::string::npos) << m.explanation;
  EXPECT_NE(m.explanation.find("Fix: kernel 4"), std::string::npos) << m.explanation;
  EXPECT_NE(m.explanation.find("resize"), std::string::npos) << m.explanation;
}

TEST(Coverage, Kernel4Stride2IsEvenInside) {
  // 4×4 → 10×10: per axis 1 1 2 2 2 2 2 2 1 1, every interior cell 2·2 = 4 stamps.
  const core::Coverage m = core::coverage(ones(core::Op::conv2d_transpose, 4, 4, 2));
  ASSERT_EQ(m.h, 10);
  EXPECT_EQ(row(m, 4), (std::vector<int64_t>{2, 2, 4, 4, 4, 4, 4, 4, 2, 2}));
  EXPECT_EQ(m.interior_min, 4);
  EXPECT_EQ(m.interior_max, 4);
  EXPECT_TRUE(m.even);
  EXPECT_FALSE(m.even_kernel);
  EXPECT_NE(m.explanation.find("Even"), std::string::npos) << m.explanation;
}

TEST(Coverage, DilationSharingAFactorWithTheStrideHasNoKernelFix) {
  // PyTorch (Keras refuses stride and dilation together): stride 2, dilation 2, kernel 2:
  // taps land on p = 2i + 2t, always even — odd cells get nothing, whatever the kernel.
  core::Scenario s = ones(core::Op::conv2d_transpose, 4, 2, 2, core::PaddingKind::explicit_pads, 2);
  s.spec.convention = core::Convention::pytorch;
  const core::Coverage m = core::coverage(s);
  EXPECT_EQ(m.interior_min, 0);
  EXPECT_FALSE(m.even);
  EXPECT_FALSE(m.even_kernel);
  EXPECT_NE(m.explanation.find("dilation 2 shares a factor with stride 2"), std::string::npos) << m.explanation;
}

TEST(Coverage, ConvInputBordersAreReadLess) {
  // 4×4 valid 3×3: per axis 1 2 2 1 windows; corner 1, centre 4.
  const core::Coverage m = core::coverage(ones(core::Op::conv2d, 4, 3, 1));
  EXPECT_FALSE(m.of_output);
  ASSERT_EQ(m.h, 4);
  EXPECT_EQ(m.count(0, 0), 1);
  EXPECT_EQ(m.count(0, 1), 2);
  EXPECT_EQ(m.count(1, 1), 4);
  EXPECT_EQ(m.count(2, 2), 4);
  EXPECT_NE(m.explanation.find("border"), std::string::npos) << m.explanation;
  EXPECT_NE(m.explanation.find("padding"), std::string::npos) << m.explanation;
}

TEST(Coverage, ConvStride2Kernel3ReadsEveryOtherCellTwice) {
  // 7×7 valid 3×3 stride 2 (3×3 output): per axis 1 1 2 1 2 1 1.
  const core::Coverage m = core::coverage(ones(core::Op::conv2d, 7, 3, 2));
  EXPECT_EQ(row(m, 2), (std::vector<int64_t>{2, 2, 4, 2, 4, 2, 2}));
  EXPECT_FALSE(m.even);
  ASSERT_TRUE(m.even_kernel);
  EXPECT_EQ(*m.even_kernel, (std::array<int64_t, 2>{4, 4}));
}

TEST(Coverage, WeightSumsAddTheWeightsThatLand) {
  // Seed transpose with kernel [[1, 2], [3, 4]]: the centre receives all four taps (10),
  // corner (0, 0) only tap (0, 0) of input (0, 0) (1), corner (2, 2) only tap (1, 1) (4).
  core::Scenario s = ones(core::Op::conv2d_transpose, 2, 2, 1);
  s.kernel.values = {1, 2, 3, 4};
  const core::Coverage m = core::coverage(s);
  EXPECT_EQ(m.weight_sums[0], 1);
  EXPECT_EQ(m.weight_sums[4], 10);
  EXPECT_EQ(m.weight_sums[8], 4);
  EXPECT_EQ(m.weight_sums[1], 3);  // (0, 1): taps (0, 1) and (0, 0) → 2 + 1
}

TEST(Links, Conv3x3SameAtTheCornerReadsFivePaddingCells) {
  // 4×4, 3×3, Keras "same": one cell of padding on each side.
  const auto s = std::make_shared<core::Scenario>(ones(core::Op::conv2d, 4, 3, 1, core::PaddingKind::same));
  const core::Trace trace(s);
  auto count = [&](core::Cell out) {
    const auto ls = links([&](const core::LinkVisitor& v) { core::visit_output_links(trace, out, v); });
    int64_t padding = 0;
    for (const core::Link& l : ls) padding += l.padding;
    return std::array<int64_t, 2>{static_cast<int64_t>(ls.size()), padding};
  };
  EXPECT_EQ(count({0, 0, 0}), (std::array<int64_t, 2>{9, 5}));  // "9 inputs, 9 weights, 5 are padding"
  EXPECT_EQ(count({0, 1, 0}), (std::array<int64_t, 2>{9, 3}));
  EXPECT_EQ(count({1, 1, 0}), (std::array<int64_t, 2>{9, 0}));
  // The corner's window starts on the padding at (−1, −1).
  const auto ls = links([&](const core::LinkVisitor& v) { core::visit_output_links(trace, {0, 0, 0}, v); });
  EXPECT_EQ(ls[0].input, (core::Cell{-1, -1, 0}));
  EXPECT_EQ(ls[4].input, (core::Cell{0, 0, 0}));
  EXPECT_EQ(ls[4].tap, (std::array<int64_t, 2>{1, 1}));
}

TEST(Links, SeedTransposeCentreReceivesFourStamps) {
  const auto s = std::make_shared<core::Scenario>(ones(core::Op::conv2d_transpose, 2, 2, 1));
  const core::Trace trace(s);
  const auto ls = links([&](const core::LinkVisitor& v) { core::visit_output_links(trace, {1, 1, 0}, v); });
  ASSERT_EQ(ls.size(), 4u);
  EXPECT_EQ(ls[0].tap, (std::array<int64_t, 2>{0, 0}));
  EXPECT_EQ(ls[0].input, (core::Cell{1, 1, 0}));  // tap (0, 0) of input (1, 1) lands on (1, 1)
  EXPECT_EQ(ls[3].input, (core::Cell{0, 0, 0}));
  // Input (0, 0) stamps (0, 0), (0, 1), (1, 0), (1, 1).
  const auto in = links([&](const core::LinkVisitor& v) { core::visit_input_links(trace, {0, 0, 0}, v); });
  ASSERT_EQ(in.size(), 4u);
  EXPECT_EQ(in[3].output, (core::Cell{1, 1, 0}));
}

TEST(Links, ATapTakesPartInOneProductPerOutputCell) {
  // Conv 4×4 valid 3×3: weight (0, 0) multiplies once per output cell (2×2).
  const core::Trace conv(std::make_shared<core::Scenario>(ones(core::Op::conv2d, 4, 3, 1)));
  const auto ls = links([&](const core::LinkVisitor& v) { core::visit_tap_links(conv, 0, 0, 0, 0, v); });
  EXPECT_EQ(static_cast<int64_t>(ls.size()), conv.geometry().out_h() * conv.geometry().out_w());
  EXPECT_EQ(ls[3].input, (core::Cell{1, 1, 0}));
  // A transpose's tap: once per input cell (each stamp).
  const core::Trace convt(std::make_shared<core::Scenario>(ones(core::Op::conv2d_transpose, 4, 3, 2)));
  const auto ts = links([&](const core::LinkVisitor& v) { core::visit_tap_links(convt, 2, 2, 0, 0, v); });
  EXPECT_EQ(ts.size(), 16u);
  EXPECT_EQ(ts[15].output, (core::Cell{8, 8, 0}));
}

TEST(Links, AFilterReadsOnlyItsGroupsChannels) {
  // C_in = 4, groups 2, F = 2: filter 1 reads channels 2 and 3; channel 0 feeds filter 0 only.
  const auto s = std::make_shared<core::Scenario>(testing_support::scenario(
      R"({"op": "conv2d", "groups": 2, "input": [[[1, 2, 3, 4]]], "kernel": [[[[1, 1], [1, 1]]]]})"));
  const core::Trace trace(s);
  const auto ls = links([&](const core::LinkVisitor& v) { core::visit_output_links(trace, {0, 0, 1}, v); });
  ASSERT_EQ(ls.size(), 2u);
  EXPECT_EQ(ls[0].input.c, 2);
  EXPECT_EQ(ls[1].input.c, 3);
  const auto in = links([&](const core::LinkVisitor& v) { core::visit_input_links(trace, {0, 0, 0}, v); });
  ASSERT_EQ(in.size(), 1u);
  EXPECT_EQ(in[0].output.c, 0);
  EXPECT_TRUE(links([&](const core::LinkVisitor& v) { core::visit_tap_links(trace, 0, 0, 0, 1, v); }).empty());
}

TEST(Links, EveryLinkIsATraceStepAndBack) {
  // Identity over random scenarios (groups, depthwise, dilation, padding, crops):
  // a convolution's output links are its unit's mac steps in order; a transpose's
  // input links are its stamp's scatter steps in order. Summing links over all
  // cells, or over all taps, counts the trace's steps without the bias steps
  // (a transpose's output links leave out its cropped stamps).
  std::mt19937 rng(12);
  for (int round = 0; round < 60; ++round) {
    const auto s = std::make_shared<core::Scenario>(testing_support::random_scenario(rng));
    const core::Trace trace(s);
    const core::Geometry& g = trace.geometry();
    int64_t macs = 0, cropped = 0, padding = 0;  // the steps that are products, and of those…
    for (int64_t k = 0; k < trace.count(); ++k) {
      const core::Step st = trace.step(k);
      if (st.kind == core::StepKind::bias) continue;
      ++macs;
      cropped += st.cropped;
      padding += st.padding;
    }
    int64_t by_output = 0, by_input = 0, by_tap = 0;
    for (int64_t y = 0; y < g.out_h(); ++y)
      for (int64_t x = 0; x < g.out_w(); ++x)
        for (int64_t f = 0; f < g.out_channels; ++f) {
          int64_t k = 0;
          core::visit_output_links(trace, {y, x, f}, [&](const core::Link& l) {
            ++by_output;
            if (!is_transpose(g.op)) {
              const core::Step st = trace.step(trace.first_step_of_output_cell({y, x, f}) + k++);
              EXPECT_EQ(*st.input, l.input) << round;
              EXPECT_EQ(*st.tap, l.tap) << round;
              EXPECT_EQ(st.padding, l.padding) << round;
            }
            return true;
          });
        }
    int64_t n = 0;
    for (int64_t y = 0; y < s->input.h; ++y)
      for (int64_t x = 0; x < s->input.w; ++x)
        for (int64_t c = 0; c < s->input.c; ++c)
          core::visit_input_links(trace, {y, x, c}, [&](const core::Link& l) {
            ++by_input;
            if (is_transpose(g.op)) {
              const core::Step st = trace.step(n++);
              EXPECT_EQ(st.output, l.output) << round;
              EXPECT_EQ(*st.tap, l.tap) << round;
              EXPECT_EQ(st.cropped, l.cropped) << round;
            }
            return true;
          });
    for (int64_t ky = 0; ky < s->kernel.kh; ++ky)
      for (int64_t kx = 0; kx < s->kernel.kw; ++kx)
        for (int64_t c = 0; c < g.in_channels; ++c)
          for (int64_t f = 0; f < g.out_channels; ++f)
            core::visit_tap_links(trace, ky, kx, c, f, [&](const core::Link&) {
              ++by_tap;
              return true;
            });
    EXPECT_EQ(by_tap, macs) << round;
    if (is_transpose(g.op)) {
      EXPECT_EQ(by_input, macs) << round;
      EXPECT_EQ(by_output, macs - cropped) << round;
    } else {
      EXPECT_EQ(by_output, macs) << round;
      // A convolution's input links leave out the taps on padding.
      EXPECT_EQ(by_input, macs - padding) << round;
    }
  }
}

TEST(Links, CoverageCountsAreTheLinksPerCell) {
  // The overlap map counts, per cell, the spatial taps landing there: with one channel
  // that is the number of output links (transpose) or input links (conv).
  std::mt19937 rng(7);
  for (int round = 0; round < 40; ++round) {
    core::Scenario rs = testing_support::random_scenario(rng);
    if (rs.input.c != 1 || rs.filters() != 1) continue;
    const auto s = std::make_shared<core::Scenario>(rs);
    const core::Trace trace(s);
    const core::Coverage m = core::coverage(*s);
    for (int64_t y = 0; y < m.h; ++y)
      for (int64_t x = 0; x < m.w; ++x) {
        int64_t n = 0;
        auto count = [&](const core::Link&) { return ++n, true; };
        if (m.of_output) core::visit_output_links(trace, {y, x, 0}, count);
        else core::visit_input_links(trace, {y, x, 0}, count);
        EXPECT_EQ(m.count(y, x), n) << round << " " << y << "," << x;
      }
  }
}

}  // namespace
