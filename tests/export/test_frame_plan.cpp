// Which steps become frames. Worked on paper: the seed conv has 2×2 output
// cells × 4 taps = 16 MACs, each cell ending on steps 3, 7, 11, 15.
#include <gtest/gtest.h>

#include <cstdint>

#include "app/export/frame_plan.h"
#include "export_test_support.h"

using namespace exporter;
using export_test::trace_of;

namespace {

std::vector<int64_t> frames_of(const FramePlan& p) {
  std::vector<int64_t> v;
  for (int64_t i = 0; i < p.count(); ++i) v.push_back(p.step_of(i));
  return v;
}

}  // namespace

TEST(FramePlan, PerStepIsEveryStep) {
  const core::Trace t = trace_of(export_test::seed_conv());
  const FramePlan p(t, Per::step);
  ASSERT_EQ(p.count(), 16);
  for (int64_t i = 0; i < 16; ++i) EXPECT_EQ(p.step_of(i), i);
}

// A lesson slide's play range: every step from its start (−1: before the first
// step) to its end, both clamped to the trace's 16 steps.
TEST(FramePlan, StepRangeIsEveryStepOfTheRangeClamped) {
  const core::Trace t = trace_of(export_test::seed_conv());
  EXPECT_EQ(frames_of(FramePlan(t, -1, 3)), (std::vector<int64_t>{-1, 0, 1, 2, 3}));
  EXPECT_EQ(frames_of(FramePlan(t, 12, INT64_MAX)), (std::vector<int64_t>{12, 13, 14, 15}));  // "end"
  EXPECT_EQ(frames_of(FramePlan(t, -5, -1)), (std::vector<int64_t>{-1}));
  EXPECT_EQ(frames_of(FramePlan(t, 20, 30)), (std::vector<int64_t>{15}));  // past the end: the last step
  EXPECT_EQ(FramePlan(t, 3, 7).per(), Per::step);
}

TEST(FramePlan, PerCellEndsEachOutputCell) {
  const FramePlan p(trace_of(export_test::seed_conv()), Per::cell);
  EXPECT_EQ(frames_of(p), (std::vector<int64_t>{3, 7, 11, 15}));
}

TEST(FramePlan, KeyIsFirstStepThenEachCellEnd) {
  // first frame (step 0), each cell's last step, final frame (= the last cell's end).
  const FramePlan p(trace_of(export_test::seed_conv()), Per::key);
  EXPECT_EQ(frames_of(p), (std::vector<int64_t>{0, 3, 7, 11, 15}));
}

TEST(FramePlan, TransposeUnitsAreInputCells) {
  const FramePlan p(trace_of(export_test::seed_transpose()), Per::cell);
  EXPECT_EQ(frames_of(p), (std::vector<int64_t>{3, 7, 11, 15}));  // 4 input cells, 4 scatters each
}

TEST(FramePlan, TransposeBiasIsOneFinalUnit) {
  // 2×2 → 3×3 with a bias: 16 scatters, then 9 bias steps (16 … 24) as one unit.
  auto s = export_test::scenario(R"({"op": "conv2d_transpose", "input": [[[1],[1]],[[1],[1]]],
                                     "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]], "bias": [0.5]})");
  const core::Trace t = trace_of(s);
  ASSERT_EQ(t.count(), 25);
  EXPECT_EQ(frames_of(FramePlan(t, Per::cell)), (std::vector<int64_t>{3, 7, 11, 15, 24}));
  EXPECT_EQ(frames_of(FramePlan(t, Per::key)), (std::vector<int64_t>{0, 3, 7, 11, 15, 24}));
  EXPECT_EQ(FramePlan(t, Per::step).count(), 25);
}

TEST(FramePlan, KeyHasNoDuplicateWhenCellsAreOneStep) {
  // A 1×1 kernel: each output cell is one MAC, so step 0 already ends cell 0.
  auto s = export_test::scenario(R"({"op": "conv2d", "input": [[[1],[2]],[[3],[4]]], "kernel": [[[[2]]]]})");
  const FramePlan p(trace_of(s), Per::key);
  EXPECT_EQ(frames_of(p), (std::vector<int64_t>{0, 1, 2, 3}));
}

TEST(FramePlan, ConvBiasBelongsToItsCell) {
  // 2×2 kernel + bias: 5 steps per output cell (4 MACs, then the bias).
  auto s = export_test::scenario(R"({"op": "conv2d", "input": [[[1],[1],[1]],[[1],[1],[1]],[[1],[1],[1]]],
                                     "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]], "bias": [1]})");
  EXPECT_EQ(frames_of(FramePlan(trace_of(s), Per::cell)), (std::vector<int64_t>{4, 9, 14, 19}));
}

TEST(FramePlan, CountIsKnownWithoutWalkingBillionsOfSteps) {
  // 1024×1024 input, 3×3 kernel: 1022² cells × 9 MACs ≈ 9.4 M steps; planning is O(1).
  auto s = export_test::scenario(R"({"op": "conv2d", "input": [[[0]]], "kernel": [[[[1]]]]})");
  s.input = core::Tensor(1024, 1024, 1, 1.0);
  s.kernel = core::Kernel(3, 3, 1, 1, 1.0);
  const core::Trace t = trace_of(s);
  const FramePlan p(t, Per::step);
  EXPECT_EQ(p.count(), int64_t{1022} * 1022 * 9);
  EXPECT_TRUE(is_large_export(p.count()));
  EXPECT_NE(frame_count_text(p.count(), Per::step).find("key"), std::string::npos);
  EXPECT_EQ(FramePlan(t, Per::cell).count(), int64_t{1022} * 1022);
  EXPECT_EQ(FramePlan(t, Per::key).step_of(FramePlan(t, Per::key).count() - 1), t.count() - 1);
}

TEST(Schedule, PanesMoveTogetherAndWaitAtTheirEnd) {
  // Seed conv (16 steps) beside a 1×1-kernel conv of 4 steps.
  auto small = export_test::scenario(R"({"op": "conv2d", "input": [[[1],[2]],[[3],[4]]], "kernel": [[[[2]]]]})");
  const core::Trace a = trace_of(export_test::seed_conv()), b = trace_of(small);
  const Schedule sched({FramePlan(a, Per::step), FramePlan(b, Per::step)});
  EXPECT_EQ(sched.count(), 16);
  EXPECT_EQ(sched.steps_of(2), (std::vector<int64_t>{2, 2}));
  EXPECT_EQ(sched.steps_of(9), (std::vector<int64_t>{9, 3}));
  EXPECT_EQ(sched.steps_of(15), (std::vector<int64_t>{15, 3}));
}

TEST(FramePlan, ParsesGranularityNames) {
  EXPECT_EQ(parse_per("cell"), Per::cell);
  EXPECT_EQ(parse_per("key"), Per::key);
  EXPECT_EQ(parse_per("step"), Per::step);
  EXPECT_FALSE(parse_per("frame"));
  EXPECT_EQ(frame_count_text(1, Per::cell), "1 frame");
  EXPECT_FALSE(is_large_export(kLargeExportFrames));
  EXPECT_TRUE(is_large_export(kLargeExportFrames + 1));
}
