// The model under the hardening issue (issue 8): undo within a memory budget,
// an undoable "remove pane", strict number input ("2,5" is not 25), edits that
// check the size limits before they allocate, and large results computed off
// the UI thread — a pane whose output is computing or over the work limit still
// steps, and asking for its output never blocks or throws.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "app/model/app_state.h"
#include "app/model/number_input.h"
#include "app/model/result_worker.h"
#include "core/compute.h"
#include "core/limits.h"

namespace {

core::Scenario conv(int64_t h, int64_t w, int64_t c, int64_t k, int64_t f, double fill = 1.0) {
  core::Scenario s;
  s.input = core::Tensor(h, w, c, fill);
  s.kernel = core::Kernel(k, k, c, f, 1.0);
  return s;
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// ---- undo: a memory budget, oldest first ----

TEST(UndoBudget, OldestEntriesAcrossPanesGoFirst) {
  model::AppState st;
  st.panes.emplace_back(conv(512, 512, 1, 1, 1));  // 262 144 values: 2 MiB an undo entry
  st.panes.emplace_back(conv(512, 512, 1, 1, 1));
  const size_t entry = model::scenario_bytes(st.panes[0].scenario());
  // Edits 1..20 alternate between the panes (edit e goes to pane e % 2) and set x[0,0] = e.
  for (int e = 1; e <= 20; ++e) ASSERT_TRUE(st.panes[static_cast<size_t>(e % 2)].set_value({model::Tensor::input, 0, 0, 0, 0}, e));
  EXPECT_EQ(st.undo_bytes(), 20 * entry);
  const size_t budget = 7 * entry + entry / 2;
  st.enforce_undo_budget(budget);
  EXPECT_LE(st.undo_bytes(), budget);
  EXPECT_EQ(st.undo_bytes(), 7 * entry);
  // Kept: the entries made by edits 14..20 — pane 0 (edits 14, 16, 18, 20) can go back to
  // x = 12 (the value before edit 14), pane 1 (edits 15, 17, 19) to x = 13.
  int undos = 0;
  while (st.panes[0].undo()) ++undos;
  EXPECT_EQ(undos, 4);
  EXPECT_EQ(st.panes[0].value({model::Tensor::input, 0, 0, 0, 0}), 12);
  undos = 0;
  while (st.panes[1].undo()) ++undos;
  EXPECT_EQ(undos, 3);
  EXPECT_EQ(st.panes[1].value({model::Tensor::input, 0, 0, 0, 0}), 13);
}

TEST(UndoBudget, DefaultBudgetIsFarBelow200FullCopies) {
  // The 4096² input: 128 MiB a copy, 200 copies were kept. The budget holds 256 MiB.
  EXPECT_EQ(model::kUndoBudgetBytes, size_t{256} << 20);
  model::AppState st;
  st.panes.emplace_back(conv(1024, 1024, 1, 1, 1));  // 8 MiB an entry: 34 edits hold 272 MiB
  for (int e = 1; e <= 34; ++e) ASSERT_TRUE(st.panes[0].set_value({model::Tensor::input, 0, 0, 0, 0}, e));
  st.enforce_undo_budget();
  EXPECT_LE(st.undo_bytes(), model::kUndoBudgetBytes);
  EXPECT_EQ(st.panes[0].history_entries(), model::kUndoBudgetBytes / model::scenario_bytes(st.panes[0].scenario()));
}

// ---- remove pane: undoable ----

TEST(RemovePane, UndoRestoresItWithItsValuesAndHistory) {
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  ASSERT_TRUE(st.panes[1].set_value({model::Tensor::input, 0, 0, 0, 0}, 9));
  st.focused = 1;
  st.remove_pane(1);
  ASSERT_EQ(st.panes.size(), 1u);
  EXPECT_TRUE(st.can_undo());
  // An edit made after the removal is undone first (the newest change).
  ASSERT_TRUE(st.panes[0].set_value({model::Tensor::input, 0, 0, 0, 0}, 5));
  ASSERT_TRUE(st.undo());
  EXPECT_EQ(st.panes.size(), 1u);
  EXPECT_EQ(st.panes[0].value({model::Tensor::input, 0, 0, 0, 0}), 1);
  ASSERT_TRUE(st.undo());  // then the removal
  ASSERT_EQ(st.panes.size(), 2u);
  EXPECT_EQ(st.focused, 1);
  EXPECT_EQ(st.panes[1].scenario().spec.op, core::Op::conv2d_transpose);
  EXPECT_EQ(st.panes[1].value({model::Tensor::input, 0, 0, 0, 0}), 9);
  ASSERT_TRUE(st.undo());  // and its own history came back with it
  EXPECT_EQ(st.panes[1].value({model::Tensor::input, 0, 0, 0, 0}), 1);
  EXPECT_FALSE(st.can_restore_pane());
}

TEST(RemovePane, RestoredPanesCountInTheUndoBudget) {
  model::AppState st;
  st.panes.emplace_back(conv(512, 512, 1, 1, 1));
  st.panes.emplace_back(conv(3, 3, 1, 1, 1));
  st.remove_pane(0);
  EXPECT_GE(st.undo_bytes(), model::scenario_bytes(conv(512, 512, 1, 1, 1)));
  st.enforce_undo_budget(1 << 20);
  EXPECT_FALSE(st.can_restore_pane());
  EXPECT_FALSE(st.undo());
}

// ---- typed numbers ----

TEST(NumberInput, DecimalsOnlyWithAPoint) {
  EXPECT_EQ(model::parse_number("2.5").value, 2.5);
  EXPECT_EQ(model::parse_number(" -3 ").value, -3);
  EXPECT_EQ(model::parse_number("+4").value, 4);
  EXPECT_EQ(model::parse_number("1e-3").value, 0.001);
  EXPECT_EQ(model::parse_number(".5").value, 0.5);

  const model::NumberInput comma = model::parse_number("2,5");
  EXPECT_FALSE(comma.value);  // not 25, not 2
  EXPECT_EQ(comma.error, "use a point: 2.5");
  EXPECT_EQ(model::parse_number("-0,25").error, "use a point: -0.25");
  EXPECT_EQ(model::parse_number("abc").error, "not a number: abc");
  for (const char* bad : {"1.2.3", "0x10", "inf", "-inf", "nan", "1e999", "2,5,1", "--1", "1 2", "3a"}) {
    const model::NumberInput n = model::parse_number(bad);
    EXPECT_FALSE(n.value) << bad;
    EXPECT_EQ(n.error, std::string("not a number: ") + bad) << bad;
  }
  EXPECT_EQ(model::parse_number("").error, "not a number: (nothing typed)");
  EXPECT_EQ(model::parse_number("a\nb").error, "not a number: a\\nb");  // one line
}

// ---- edits check the limits before they allocate ----

TEST(EditLimits, ChannelsTypedPastTheLimitAreRefusedWithTheCoresMessage) {
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  model::Pane& p = st.panes[0];
  EXPECT_FALSE(p.set_channels(100000));  // the "typing 100000 into the channels slider"
  EXPECT_EQ(p.error(), "the input channel count is 100000, over the limit of 4096");
  EXPECT_EQ(p.scenario().input.c, 1);
  EXPECT_FALSE(p.set_input_size(20000, 3));
  EXPECT_NE(p.error().find("over the limit"), std::string::npos);
  EXPECT_FALSE(p.set_kernel_size(2000, 2));
  EXPECT_NE(p.error().find("over the limit"), std::string::npos);
  // 4096×4096 values in 3 channels: over 2²⁵ values, refused before the pixels are used.
  EXPECT_FALSE(p.load_input_pixels(4096, 4096, 3, {}));
  EXPECT_EQ(p.error(), "the input size (values) is 50331648, over the limit of 33554432");
  EXPECT_FALSE(p.can_undo());
  EXPECT_TRUE(p.set_channels(2));
  EXPECT_EQ(p.error(), "");
}

// ---- the output grid: off the UI thread, never blocking, never throwing ----

TEST(BackgroundResult, ALargeResultIsComputedByTheWorkerWhileThePaneSteps) {
  // 510×510×16 outputs × 3·3·16 taps = 6.0·10⁸ multiply-accumulates: about a second.
  model::Pane p(conv(512, 512, 16, 3, 16));
  ASSERT_GT(p.result_macs(), model::kBackgroundMacs);
  auto worker = std::make_shared<model::ResultWorker>();
  const auto t0 = std::chrono::steady_clock::now();
  p.set_result_worker(worker);
  EXPECT_EQ(p.result_state(), model::ResultState::computing);
  EXPECT_FALSE(p.partial_output().has_value());
  EXPECT_FALSE(p.final_output().has_value());
  EXPECT_EQ(p.result_message(), "computing … (599270400 MACs)");
  // Stepping and the arithmetic keep working meanwhile.
  p.set_cursor(123456789);
  EXPECT_EQ(p.trace().step(p.cursor()).index, 123456789);
  EXPECT_EQ(p.trace().value_after({0, 0, 0}, 143), 144);
  EXPECT_LT(seconds_since(t0), 0.5) << "nothing above waited for the compute";
  worker->wait_idle();
  EXPECT_EQ(p.result_state(), model::ResultState::ready);
  const std::optional<core::Tensor> out = p.final_output();
  ASSERT_TRUE(out.has_value());
  EXPECT_EQ(out->at(0, 0, 0), 144);  // 3·3·16 ones
  const std::optional<core::Tensor> partial = p.partial_output();
  ASSERT_TRUE(partial.has_value());
  EXPECT_EQ(partial->at(0, 0, 0), 144);
}

TEST(BackgroundResult, AnEditReplacesTheTraceAndTheOldOneIsSkipped) {
  auto worker = std::make_shared<model::ResultWorker>();
  model::Pane p(conv(512, 512, 16, 3, 16));
  p.set_result_worker(worker);
  ASSERT_TRUE(p.set_value({model::Tensor::input, 0, 0, 0, 0}, 2));  // a second large trace
  EXPECT_EQ(p.result_state(), model::ResultState::computing);
  worker->wait_idle();
  ASSERT_EQ(p.result_state(), model::ResultState::ready);
  EXPECT_EQ(p.final_output()->at(0, 0, 0), 145);
}

TEST(BackgroundResult, SmallResultsAndNoWorkerAreComputedOnDemand) {
  model::Pane small(conv(3, 3, 1, 2, 1));
  small.set_result_worker(std::make_shared<model::ResultWorker>());
  EXPECT_EQ(small.result_state(), model::ResultState::ready);
  EXPECT_EQ(small.final_output()->at(1, 1, 0), 4);
  model::Pane exported(conv(64, 64, 4, 3, 4));  // no worker: the exporter's case
  EXPECT_EQ(exported.result_state(), model::ResultState::ready);
  EXPECT_TRUE(exported.partial_output().has_value());
}

TEST(BackgroundResult, PastTheWorkLimitTheGridSaysSoAndStepsStillWork) {
  // 2048² outputs × 64² taps = 1.7·10¹⁰ MACs, over the 4.3·10⁹ limit of a full compute.
  core::Scenario s = conv(2048, 2048, 1, 64, 1);
  s.spec.padding = core::PaddingKind::same;
  model::Pane p(s);
  p.set_result_worker(std::make_shared<model::ResultWorker>());
  const auto t0 = std::chrono::steady_clock::now();
  EXPECT_EQ(p.result_state(), model::ResultState::over_limit);
  EXPECT_FALSE(p.partial_output().has_value());  // no throw, no compute
  EXPECT_FALSE(p.final_output().has_value());
  EXPECT_EQ(p.result_message(),
            "the full output needs 17179869184 multiply-accumulates, over the limit of 4294967296 for a full "
            "compute; `convscope trace` still shows any step");
  p.end();
  EXPECT_EQ(p.trace().step(p.cursor()).index, 17179869183);
  EXPECT_LT(seconds_since(t0), 0.5);
}

TEST(Duplicate, ALargeOutputStillComputingIsNotWaitedFor) {
  // 256² outputs × 64² taps = 2.7·10⁸ MACs (a few tenths of a second), from small tensors.
  core::Scenario s = conv(256, 256, 1, 64, 1);
  s.spec.padding = core::PaddingKind::same;
  model::AppState st;
  st.panes.emplace_back(s);
  auto worker = std::make_shared<model::ResultWorker>();
  st.set_result_worker(worker);
  ASSERT_TRUE(st.duplicate_as_other_op(0));
  EXPECT_TRUE(worker->busy()) << "duplicating returned while the source's output was still computing";
  ASSERT_EQ(st.panes.size(), 2u);
  EXPECT_EQ(st.panes[1].scenario().spec.op, core::Op::conv2d_transpose);
  EXPECT_EQ(st.panes[1].scenario().input.h, 256);  // the source's input: its output was not at hand
  EXPECT_EQ(st.panes[1].result_worker(), worker);
  worker->wait_idle();
}

TEST(PaneCount, AddingPastTheMaximumIsRefused) {
  model::AppState st;
  std::string error;
  for (int i = 0; i < model::kMaxPanes; ++i) ASSERT_TRUE(st.add_pane(model::Pane(conv(3, 3, 1, 2, 1)), &error));
  EXPECT_FALSE(st.add_pane(model::Pane(conv(3, 3, 1, 2, 1)), &error));
  EXPECT_EQ(error, "the window holds at most 32 panes");
}

}  // namespace
