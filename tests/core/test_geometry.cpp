// Shape rules, each case worked out on paper from the framework's own formula
// (sources named per test).
#include <gtest/gtest.h>

#include "core/compute.h"
#include "core/errors.h"
#include "core/geometry.h"
#include "core/scenario.h"
#include "core/trace.h"

namespace {

using core::Convention;
using core::Op;
using core::PaddingKind;

core::Spec spec(Op op, Convention c, PaddingKind p = PaddingKind::valid) {
  core::Spec s;
  s.op = op;
  s.convention = c;
  s.padding = p;
  return s;
}

core::AxisGeometry axis(const core::Spec& s, int64_t n, int64_t k) {
  return core::geometry_for(s, n, n, k, k, 1, 1).axes[0];
}

core::ErrorCode error_of(const core::Spec& s, int64_t n, int64_t k) {
  try {
    core::geometry_for(s, n, n, k, k, 1, 1);
  } catch (const core::Error& e) {
    return e.code();
  }
  ADD_FAILURE() << "no error";
  return core::ErrorCode::usage;
}

// A 1×n×1 input and 1×k×1×1 kernel (width axis carries the example).
std::vector<double> row_result(const std::string& op, const std::string& extra, const std::string& input,
                               const std::string& kernel) {
  const std::string json = "{\"op\": \"" + op + "\", " + extra + ", \"input\": [" + input + "], \"kernel\": " +
                           kernel + "}";
  return core::compute(core::parse_scenario(json)).values;
}

TEST(KerasConv2d, ValidLength) {
  // TF/Keras conv_output_length, valid: floor((n − dk)/s) + 1.
  core::Spec s = spec(Op::conv2d, Convention::keras);
  EXPECT_EQ(axis(s, 5, 3).out, 3);
  s.strides = {2, 2};
  EXPECT_EQ(axis(s, 5, 3).out, 2);
  EXPECT_EQ(axis(s, 6, 3).out, 2);  // floor(3/2)+1
  s.strides = {1, 1};
  s.dilation = {2, 2};
  EXPECT_EQ(axis(s, 7, 3).out, 3);  // dk = 5
  EXPECT_EQ(axis(s, 7, 3).dilated_kernel, 5);
}

TEST(KerasConv2d, SamePaddingPutsTheOddCellAfter) {
  // TF SAME: out = ceil(n/s); total = max((out−1)s + dk − n, 0); before = floor(total/2).
  core::Spec s = spec(Op::conv2d, Convention::keras, PaddingKind::same);
  s.strides = {2, 2};
  const core::AxisGeometry g = axis(s, 4, 3);  // the issue's example: pads (0, 1)
  EXPECT_EQ(g.out, 2);
  EXPECT_EQ(g.pad_before, 0);
  EXPECT_EQ(g.pad_after, 1);
  s.strides = {1, 1};
  const core::AxisGeometry even = axis(s, 5, 4);  // total 3 → (1, 2)
  EXPECT_EQ(even.out, 5);
  EXPECT_EQ(even.pad_before, 1);
  EXPECT_EQ(even.pad_after, 2);
  s.strides = {3, 3};
  const core::AxisGeometry big = axis(s, 7, 3);  // out 3, total max(2·3+3−7,0)=2 → (1,1)
  EXPECT_EQ(big.out, 3);
  EXPECT_EQ(big.pad_before, 1);
  EXPECT_EQ(big.pad_after, 1);
}

TEST(KerasConv2d, StrideWithDilationIsRejectedAcrossAxes) {
  // keras Conv: "strides > 1 not supported in conjunction with dilation_rate > 1".
  core::Spec s = spec(Op::conv2d, Convention::keras);
  s.strides = {2, 1};
  s.dilation = {1, 2};
  EXPECT_EQ(error_of(s, 9, 3), core::ErrorCode::keras_stride_and_dilation);
  s.op = Op::conv2d_transpose;
  EXPECT_EQ(error_of(s, 9, 3), core::ErrorCode::keras_stride_and_dilation);
  // PyTorch allows it.
  s.convention = Convention::pytorch;
  s.padding = PaddingKind::explicit_pads;
  EXPECT_NO_THROW(core::geometry_for(s, 9, 9, 3, 3, 1, 1));
}

TEST(KerasConv2d, KernelLargerThanInput) {
  EXPECT_EQ(error_of(spec(Op::conv2d, Convention::keras), 2, 3), core::ErrorCode::kernel_larger_than_input);
}

TEST(KerasConv2dTranspose, LengthWithoutOutputPadding) {
  // keras deconv_output_length, output_padding None: valid n·s + max(dk − s, 0); same n·s.
  core::Spec s = spec(Op::conv2d_transpose, Convention::keras);
  EXPECT_EQ(axis(s, 3, 2).out, 4);  // Keras defaults (1,3,3,1) → (1,4,4,1)
  s.strides = {2, 2};
  EXPECT_EQ(axis(s, 3, 3).out, 7);  // 6 + 1
  EXPECT_EQ(axis(s, 3, 1).out, 6);  // dk < s: 6 + 0, one cell past the full scatter (5)
  EXPECT_EQ(axis(s, 3, 1).crop_after, -1);
  s.padding = PaddingKind::same;
  EXPECT_EQ(axis(s, 3, 3).out, 6);
  EXPECT_EQ(axis(s, 3, 4).crop_before, 1);  // full 8, out 6 → crop floor(2/2) = 1 before, 1 after
}

TEST(KerasConv2dTranspose, LengthWithOutputPadding) {
  // (n − 1)·s + dk − 2·pad + op, pad = 0 (valid) or floor(dk/2) (same).
  core::Spec s = spec(Op::conv2d_transpose, Convention::keras);
  s.strides = {3, 3};
  s.output_padding = core::Pair{2, 2};
  EXPECT_EQ(axis(s, 2, 2).out, 3 + 2 + 2);
  s.padding = PaddingKind::same;
  s.output_padding = core::Pair{1, 1};
  EXPECT_EQ(axis(s, 2, 3).out, 3 + 3 - 2 + 1);  // 5
  s.output_padding = core::Pair{3, 0};
  EXPECT_EQ(error_of(s, 2, 3), core::ErrorCode::keras_output_padding_too_big);
  // "same", even kernel, output_padding 0: TF's shape check rejects it.
  s.strides = {2, 2};
  s.output_padding = core::Pair{0, 0};
  EXPECT_EQ(error_of(s, 2, 2), core::ErrorCode::keras_transpose_shape_check);
  // null is not [0, 0]: without output_padding the same call is fine (out = n·s = 4).
  s.output_padding.reset();
  EXPECT_EQ(axis(s, 2, 2).out, 4);
}

TEST(KerasConv2dTranspose, TheIssueOneDimensionalExamples) {
  // input [1, 10], stride 2, same. k=4 [1,2,3,4]: full scatter [1,2,13,24,30,40], out 4, crop 1 → [2,13,24,30].
  const std::string extra = "\"convention\": \"keras\", \"strides\": [1, 2], \"padding\": \"same\"";
  EXPECT_EQ(row_result("conv2d_transpose", extra, "[[1], [10]]", "[[[[1]], [[2]], [[3]], [[4]]]]"),
            (std::vector<double>{2, 13, 24, 30}));
  // k=3 [1,2,3]: full [1,2,13,20,30], out 4, crop floor(1/2) = 0 → [1,2,13,20].
  EXPECT_EQ(row_result("conv2d_transpose", extra, "[[1], [10]]", "[[[[1]], [[2]], [[3]]]]"),
            (std::vector<double>{1, 2, 13, 20}));
}

TEST(KerasConv2dTranspose, CellsPastTheScatterHoldOnlyTheBias) {
  // k=1 < s=3, valid: out = 2·3 + 0 = 6 but the stamps land on 0 and 3 only.
  const std::string json =
      R"({"op": "conv2d_transpose", "strides": [1, 3], "bias": [0.5], "input": [[[2], [5]]], "kernel": [[[[10]]]]})";
  EXPECT_EQ(core::compute(core::parse_scenario(json)).values, (std::vector<double>{20.5, 0.5, 0.5, 50.5, 0.5, 0.5}));
}

TEST(PyTorchConv2d, LengthAndPerSidePadding) {
  // torch.nn.Conv2d: floor((n + p_before + p_after − dk)/s) + 1.
  core::Spec s = spec(Op::conv2d, Convention::pytorch, PaddingKind::explicit_pads);
  s.pad_before = s.pad_after = {1, 1};
  s.strides = {2, 2};
  EXPECT_EQ(axis(s, 5, 3).out, 3);
  s.pad_before = {0, 0};
  s.pad_after = {2, 2};
  s.pads_per_side = true;
  s.strides = {1, 1};
  EXPECT_EQ(axis(s, 3, 2).out, 4);
  // padded input shorter than dk
  s.pad_after = {0, 0};
  s.dilation = {3, 3};
  EXPECT_EQ(axis(s, 4, 2).out, 1);  // dk = 3·1+1 = 4 fits n = 4 exactly
  EXPECT_EQ(error_of(s, 3, 2), core::ErrorCode::kernel_larger_than_input);
}

TEST(PyTorchConv2d, SameNeedsStrideOne) {
  core::Spec s = spec(Op::conv2d, Convention::pytorch, PaddingKind::same);
  s.dilation = {2, 2};
  const core::AxisGeometry g = axis(s, 5, 4);  // total d·(k−1) = 6 → (3, 3)
  EXPECT_EQ(g.out, 5);
  EXPECT_EQ(g.pad_before, 3);
  EXPECT_EQ(g.pad_after, 3);
  s.dilation = {1, 1};
  const core::AxisGeometry even = axis(s, 5, 2);  // total 1 → (0, 1), as torch's _conv_forward
  EXPECT_EQ(even.pad_before, 0);
  EXPECT_EQ(even.pad_after, 1);
  s.strides = {2, 1};
  EXPECT_EQ(error_of(s, 5, 3), core::ErrorCode::torch_same_needs_stride_1);
}

TEST(PyTorchConvTranspose2d, LengthPlacementAndOutputPadding) {
  // torch.nn.ConvTranspose2d: (n − 1)·s − 2p + dk + op; y[o] += x[i]·K[t] at o = i·s + t·d − p.
  core::Spec s = spec(Op::conv2d_transpose, Convention::pytorch, PaddingKind::explicit_pads);
  s.strides = {2, 2};
  s.pad_before = s.pad_after = {1, 1};
  s.output_padding = core::Pair{1, 1};
  const core::AxisGeometry g = axis(s, 3, 3);
  EXPECT_EQ(g.out, 4 - 2 + 3 + 1);  // 6
  EXPECT_EQ(g.crop_before, 1);
  EXPECT_EQ(g.crop_after, 0);       // full 7 − 1 − 6: the op cell is still inside the scatter
  // op must be < stride or < dilation.
  s.output_padding = core::Pair{2, 0};
  EXPECT_EQ(error_of(s, 3, 3), core::ErrorCode::torch_output_padding_too_big);
  s.dilation = {3, 3};
  EXPECT_NO_THROW(axis(s, 3, 3));  // 2 < dilation 3
  // out ≤ 0
  s = spec(Op::conv2d_transpose, Convention::pytorch, PaddingKind::explicit_pads);
  s.pad_before = s.pad_after = {2, 2};
  EXPECT_EQ(error_of(s, 1, 3), core::ErrorCode::output_not_positive);  // 0 − 4 + 3 = −1
}

TEST(PyTorchConvTranspose2d, OutputPaddingPastTheScatterGetsOnlyBias) {
  // n=2, k=1, s=2, p=0, op=1: out = 2 − 0 + 1 + 1 = 4; stamps at 0 and 2; cell 3 is past the
  // full scatter (length 3) and holds the bias alone.
  const std::string json =
      R"({"op": "conv2d_transpose", "convention": "pytorch", "strides": [1, 2], "output_padding": [0, 1],
          "bias": [1], "input": [[[3], [4]]], "kernel": [[[[2]]]]})";
  EXPECT_EQ(core::compute(core::parse_scenario(json)).values, (std::vector<double>{7, 1, 9, 1}));
}

TEST(Conv2d, PaddingTapsAreStepsThatReadZero) {
  // 2×2 input, 3×3 kernel, PyTorch padding 1: 2×2 output, each cell 9 taps, 5 of them on padding.
  const std::string json =
      R"({"op": "conv2d", "convention": "pytorch", "padding": [1, 1], "input": [[[1], [2]], [[3], [4]]],
          "kernel": [[[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]]]})";
  const auto s = std::make_shared<core::Scenario>(core::parse_scenario(json));
  const core::Trace trace(s);
  EXPECT_EQ(trace.count(), 4 * 9);
  int padding_taps = 0;
  for (int64_t n = 0; n < 9; ++n) padding_taps += trace.step(n).padding;
  EXPECT_EQ(padding_taps, 5);
  const core::Step first = trace.step(0);  // window of output (0,0) starts at (−1, −1)
  EXPECT_EQ(first.input->y, -1);
  EXPECT_EQ(first.input->x, -1);
  EXPECT_EQ(*first.a, 0);
  EXPECT_EQ(core::compute(*s).values, (std::vector<double>{10, 10, 10, 10}));
}

}  // namespace

namespace {

TEST(Channels, EachFilterSumsOverInputChannelsThenAddsItsBiasOnce) {
  // x = [1, 2] (one cell, 2 channels); w[c][f] = [[1, 10], [100, 1000]]; bias [1, −1]:
  // f0 = 1·1 + 2·100 + 1 = 202, f1 = 1·10 + 2·1000 − 1 = 2009.
  const auto s = std::make_shared<core::Scenario>(core::parse_scenario(
      R"({"op": "conv2d", "bias": [1, -1], "input": [[[1, 2]]], "kernel": [[[[1, 10], [100, 1000]]]]})"));
  EXPECT_EQ(core::compute(*s).values, (std::vector<double>{202, 2009}));
  // Trace: cell f0: mac c0, mac c1, bias; then cell f1 likewise.
  const core::Trace trace(s);
  ASSERT_EQ(trace.count(), 6);
  EXPECT_EQ(trace.step(1).input->c, 1);
  EXPECT_EQ(trace.step(1).w, 100);
  EXPECT_EQ(trace.step(2).kind, core::StepKind::bias);
  EXPECT_EQ(*trace.step(2).after, 202);
  EXPECT_EQ(trace.step(3).output.c, 1);
  EXPECT_EQ(*trace.step(5).after, 2009);
}

}  // namespace
