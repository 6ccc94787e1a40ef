// Invariants of the step trace on many random scenarios: replay == compute,
// before + product == after, random access == sequential, partial_output ==
// running sums, unit and cell look-ups consistent, and O(kernel) seeking.
#include <gtest/gtest.h>

#include <map>
#include <random>

#include "core/compute.h"
#include "core/errors.h"
#include "core/trace.h"
#include "test_support.h"

namespace {

using testing_support::orders_of;
using testing_support::random_scenario;

struct Replay {
  std::vector<double> output;    // running value per output cell after the last step
  std::vector<core::Step> steps;
};

// Replays the trace from step 0, checking each step's own arithmetic.
Replay replay(const core::Trace& trace) {
  const core::Geometry& g = trace.geometry();
  Replay r;
  r.output.assign(static_cast<size_t>(g.out_h() * g.out_w() * g.out_channels), 0.0);
  for (int64_t n = 0; n < trace.count(); ++n) {
    core::Step st = trace.step(n);
    EXPECT_EQ(st.index, n);
    if (st.kind != core::StepKind::bias) {
      EXPECT_EQ(st.product, *st.a * st.w);
    }
    if (st.cropped) {
      EXPECT_FALSE(st.before.has_value());
    } else {
      const size_t cell = static_cast<size_t>((st.output.y * g.out_w() + st.output.x) * g.out_channels + st.output.c);
      EXPECT_EQ(*st.before, r.output[cell]) << "step " << n;
      EXPECT_EQ(*st.after, *st.before + st.product) << "step " << n;
      r.output[cell] = *st.after;
    }
    r.steps.push_back(st);
  }
  return r;
}

TEST(TraceInvariants, ReplayEqualsComputeOnRandomScenarios) {
  std::mt19937 rng(1234);
  for (int i = 0; i < 300; ++i) {
    const auto s = std::make_shared<core::Scenario>(random_scenario(rng, /*integers=*/i % 2 == 0));
    for (core::TraceOrder order : orders_of(s->spec.op)) {
      const core::Trace trace(s, order);
      const Replay r = replay(trace);
      // Bit-equal: compute sums each cell's products in the trace's order (a
      // transpose's gather meets the same products in the same order, plus zeros).
      EXPECT_EQ(r.output, core::compute(*s).values) << core::trace_order_name(order) << " " << core::scenario_to_json(*s);
    }
  }
}

TEST(TraceInvariants, RandomAccessEqualsSequentialAndPartialOutputMatches) {
  std::mt19937 rng(99);
  for (int i = 0; i < 120; ++i) {
    const auto s = std::make_shared<core::Scenario>(random_scenario(rng, /*integers=*/false));
    const core::Trace trace(s, orders_of(s->spec.op).back());
    const core::Geometry& g = trace.geometry();
    // Running state after every step, kept to compare partial_output.
    std::vector<double> running(static_cast<size_t>(g.out_h() * g.out_w() * g.out_channels), 0.0);
    std::map<int64_t, std::vector<double>> snapshots;
    std::uniform_int_distribution<int64_t> pick(0, trace.count() - 1);
    std::vector<int64_t> probes = {0, trace.count() - 1, pick(rng), pick(rng), pick(rng)};
    std::vector<core::Step> sequential;
    for (int64_t n = 0; n < trace.count(); ++n) {
      const core::Step st = trace.step(n);
      if (!st.cropped)
        running[static_cast<size_t>((st.output.y * g.out_w() + st.output.x) * g.out_channels + st.output.c)] = *st.after;
      sequential.push_back(st);
      snapshots[n] = running;
    }
    EXPECT_EQ(trace.partial_output(-1).values, std::vector<double>(running.size(), 0.0));
    for (int64_t n : probes) {
      const core::Step again = trace.step(n);  // out of order
      EXPECT_EQ(again.output, sequential[static_cast<size_t>(n)].output);
      EXPECT_EQ(again.before, sequential[static_cast<size_t>(n)].before);
      EXPECT_EQ(again.after, sequential[static_cast<size_t>(n)].after);
      EXPECT_EQ(trace.partial_output(n).values, snapshots[n]) << "step " << n << " of " << core::scenario_to_json(*s);
    }
  }
}

TEST(TraceInvariants, UnitsCoverEveryStepOnce) {
  std::mt19937 rng(7);
  for (int i = 0; i < 100; ++i) {
    const auto s = std::make_shared<core::Scenario>(random_scenario(rng));
    const core::Trace trace(s, orders_of(s->spec.op)[static_cast<size_t>(i) % orders_of(s->spec.op).size()]);
    int64_t expected_first = 0;
    for (int64_t u = 0; u < trace.unit_count(); ++u) {
      EXPECT_EQ(trace.first_step_of_unit(u), expected_first);
      EXPECT_GE(trace.last_step_of_unit(u), trace.first_step_of_unit(u));
      EXPECT_EQ(trace.unit_of_step(trace.last_step_of_unit(u)), u);
      expected_first = trace.last_step_of_unit(u) + 1;
    }
    EXPECT_EQ(expected_first, trace.count());
  }
}

TEST(TraceInvariants, FirstStepOfCellIsTheFirstThatTouchesIt) {
  std::mt19937 rng(11);
  for (int i = 0; i < 80; ++i) {
    const auto s = std::make_shared<core::Scenario>(random_scenario(rng));
    const core::Trace trace(s, orders_of(s->spec.op)[static_cast<size_t>(i) % orders_of(s->spec.op).size()]);
    std::map<std::tuple<int64_t, int64_t, int64_t>, int64_t> first_out, first_in;
    for (int64_t n = 0; n < trace.count(); ++n) {
      const core::Step st = trace.step(n);
      if (!st.cropped) first_out.emplace(std::make_tuple(st.output.y, st.output.x, st.output.c), n);
      if (st.input && !st.padding) first_in.emplace(std::make_tuple(st.input->y, st.input->x, st.input->c), n);
    }
    const core::Geometry& g = trace.geometry();
    for (int64_t y = 0; y < g.out_h(); ++y)
      for (int64_t x = 0; x < g.out_w(); ++x)
        for (int64_t f = 0; f < g.out_channels; ++f) {
          auto it = first_out.find({y, x, f});
          EXPECT_EQ(trace.first_step_of_output_cell({y, x, f}), it == first_out.end() ? -1 : it->second);
        }
    for (int64_t y = 0; y < s->input.h; ++y)
      for (int64_t x = 0; x < s->input.w; ++x)
        for (int64_t c = 0; c < s->input.c; ++c) {
          auto it = first_in.find({y, x, c});
          EXPECT_EQ(trace.first_step_of_input_cell({y, x, c}), it == first_in.end() ? -1 : it->second);
        }
  }
}

TEST(Trace, BiasStepsCarryTheBiasAlone) {
  const auto s = std::make_shared<core::Scenario>(core::parse_scenario(
      R"({"op": "conv2d_transpose", "bias": [0.5, -1], "input": [[[1]]], "kernel": [[[[2], [3]]]]})"));
  const core::Trace trace(s);
  ASSERT_EQ(trace.count(), 2 + 2);  // two scatters (one per filter), then two bias steps
  const core::Step bias = trace.step(3);
  EXPECT_EQ(bias.kind, core::StepKind::bias);
  EXPECT_FALSE(bias.input.has_value());
  EXPECT_FALSE(bias.tap.has_value());
  EXPECT_FALSE(bias.a.has_value());
  EXPECT_EQ(bias.w, -1);
  EXPECT_EQ(bias.product, -1);
  EXPECT_EQ(*bias.before, 3);
  EXPECT_EQ(*bias.after, 2);
}

TEST(Trace, CroppedScattersAreCountedAndFlagged) {
  // Keras same, k=4, s=2 on [1, 10]: full scatter 6 cells, output 4, crop 1 before and 1 after.
  const auto s = std::make_shared<core::Scenario>(core::parse_scenario(
      R"({"op": "conv2d_transpose", "strides": [1, 2], "padding": "same", "input": [[[1], [10]]],
          "kernel": [[[[1]], [[2]], [[3]], [[4]]]]})"));
  const core::Trace trace(s);
  ASSERT_EQ(trace.count(), 8);
  const core::Step first = trace.step(0);  // x[0]·w[0] lands on −1
  EXPECT_TRUE(first.cropped);
  EXPECT_EQ(first.output.x, -1);
  EXPECT_FALSE(first.after.has_value());
  const core::Step last = trace.step(7);  // x[1]·w[3] lands on 2·1 + 3 − 1 = 4 = out
  EXPECT_TRUE(last.cropped);
  EXPECT_EQ(last.output.x, 4);
}

TEST(Trace, SeekingFarIsExactWithoutReplay) {
  // 1024×1024×8 input, 5×5×8→64 kernel, PyTorch padding 2: 1024²·64 output cells × 200 taps ≈ 1.3·10¹⁰ steps.
  core::Scenario s;
  s.spec.convention = core::Convention::pytorch;
  s.spec.padding = core::PaddingKind::explicit_pads;
  s.spec.pad_before = s.spec.pad_after = {2, 2};
  s.input = core::Tensor(1024, 1024, 8);
  for (size_t i = 0; i < s.input.values.size(); ++i) s.input.values[i] = static_cast<double>(i % 7) - 3;
  s.kernel = core::Kernel(5, 5, 8, 64);
  for (size_t i = 0; i < s.kernel.values.size(); ++i) s.kernel.values[i] = static_cast<double>(i % 5) - 2;
  const core::Trace trace(std::make_shared<core::Scenario>(s));
  EXPECT_EQ(trace.count(), int64_t{1024} * 1024 * 64 * 200);
  const int64_t n = 2'000'000'123;
  const core::Step st = trace.step(n);
  // Decode by hand: cell = n / 200, tap = n % 200.
  const int64_t cell = n / 200, tap = n % 200;
  EXPECT_EQ(st.output, (core::Cell{cell / (1024 * 64), (cell / 64) % 1024, cell % 64}));
  EXPECT_EQ((*st.tap)[0], tap / 40);
  EXPECT_EQ((*st.tap)[1], (tap / 8) % 5);
  EXPECT_EQ(st.input->c, tap % 8);
  // before = the sum of this cell's earlier taps, recomputed independently.
  double before = 0;
  for (int64_t t = 0; t < tap; ++t) {
    const int64_t ky = t / 40, kx = (t / 8) % 5, c = t % 8;
    const int64_t iy = st.output.y + ky - 2, ix = st.output.x + kx - 2;
    if (iy < 0 || iy >= 1024 || ix < 0 || ix >= 1024) continue;
    before += s.input.at(iy, ix, c) * s.kernel.at(ky, kx, c, st.output.c);
  }
  EXPECT_EQ(*st.before, before);
  EXPECT_THROW(trace.step(trace.count()), core::Error);
  EXPECT_THROW(trace.step(-1), core::Error);
}

}  // namespace

namespace {

TEST(Trace, CopiesShareTheDirectResult) {
  // A copy made before anything is computed, then each asked for the result:
  // both see the one result (a copy once shared the flag but not the result).
  const core::Trace a(std::make_shared<core::Scenario>(core::parse_scenario(
      R"({"op": "conv2d", "input": [[[1],[2]],[[3],[4]]], "kernel": [[[[1]]]]})")));
  const core::Trace b = a;
  EXPECT_EQ(a.final_output().values, (std::vector<double>{1, 2, 3, 4}));
  EXPECT_TRUE(b.has_result());
  EXPECT_EQ(b.final_output().values, (std::vector<double>{1, 2, 3, 4}));
}

}  // namespace
