// The app model as worked examples: the seed panes, cursor moves a reader can
// count on paper, edits that re-run the core, invalid edits that keep the
// last valid picture, undo/redo, and the session file round trip.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "app/model/app_state.h"
#include "app/model/session.h"
#include "core/compute.h"

namespace {

core::Scenario ones_conv(int64_t n = 3, int64_t k = 2) {
  core::Scenario s;
  s.input = core::Tensor(n, n, 1, 1.0);
  s.kernel = core::Kernel(k, k, 1, 1, 1.0);
  return s;
}

TEST(Seed, TwoPanesShrinkAndEnlarge) {
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  ASSERT_EQ(st.panes.size(), 2u);
  EXPECT_EQ(st.panes[0].geometry().out_h(), 2);  // 3×3 ⊛ 2×2 → 2×2
  EXPECT_EQ(st.panes[1].geometry().out_h(), 3);  // 2×2 stamped by 2×2 → 3×3
  EXPECT_EQ(st.panes[0].trace().count(), 16);    // 4 cells × 4 taps
  EXPECT_EQ(st.panes[1].trace().count(), 16);    // 4 input cells × 4 taps
  EXPECT_EQ(st.panes[0].cursor(), -1);
}

TEST(Cursor, StepsCellsRowsHomeEnd) {
  model::Pane p(ones_conv());  // 2×2 output, 4 taps per cell, 16 steps
  p.step(1);
  EXPECT_EQ(p.cursor(), 0);
  p.step(-5);
  EXPECT_EQ(p.cursor(), -1);  // clamped before the first step
  p.step_cell(1);
  EXPECT_EQ(p.cursor(), 3);   // end of output cell (0,0)
  p.step_cell(1);
  EXPECT_EQ(p.cursor(), 7);   // end of (0,1)
  p.step_cell(-1);
  EXPECT_EQ(p.cursor(), 3);
  p.step_row(1);
  EXPECT_EQ(p.cursor(), 11);  // one row of 2 cells later: end of (1,0)
  p.end();
  EXPECT_EQ(p.cursor(), 15);
  p.step(1000);
  EXPECT_EQ(p.cursor(), 15);
  p.home();
  EXPECT_EQ(p.cursor(), -1);
  ASSERT_TRUE(p.jump_to_output_cell({1, 1, 0}));
  EXPECT_EQ(p.cursor(), 12);  // the first tap of the last cell
}

TEST(Cursor, TransposeJumpsToInputCell) {
  core::Scenario s = ones_conv(2);
  s.spec.op = core::Op::conv2d_transpose;
  model::Pane p(s);
  ASSERT_TRUE(p.jump_to_input_cell({1, 0, 0}));
  EXPECT_EQ(p.cursor(), 8);  // input cells (0,0), (0,1) each stamp 4 taps first
}

TEST(Play, SharedSpeedMovesEveryPaneAndWaitsAtTheEnd) {
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  st.panes[1].edit([](core::Scenario& s) { s.input = core::Tensor(3, 3, 1, 1.0); });  // 36 steps
  st.set_speed(10);
  st.toggle_play();
  st.tick(0.25);  // 2.5 steps: 2 now, half a step carried
  EXPECT_EQ(st.panes[0].cursor(), 1);
  st.tick(0.05);  // the carried half makes a third step
  EXPECT_EQ(st.panes[0].cursor(), 2);
  st.tick(10);  // far past the 16 steps of pane 0
  EXPECT_EQ(st.panes[0].cursor(), 15);
  EXPECT_EQ(st.panes[1].cursor(), 35);
  EXPECT_FALSE(st.playing);  // every pane at its end: paused
  st.toggle_play();          // play again starts over
  EXPECT_EQ(st.panes[0].cursor(), -1);
  st.set_speed(5000);
  EXPECT_EQ(st.speed, model::kMaxSpeed);
  st.set_speed(0.01);
  EXPECT_EQ(st.speed, model::kMinSpeed);
}

TEST(Edit, ValueReRunsTheCore) {
  model::Pane p(ones_conv());
  p.end();
  ASSERT_TRUE(p.set_value({model::Tensor::input, 0, 0, 0, 0}, 5));
  EXPECT_EQ(p.trace().final_output().at(0, 0, 0), 8);  // 5 + 1 + 1 + 1
  EXPECT_EQ(p.cursor(), p.last_step());                // finished stays finished
  ASSERT_TRUE(p.set_input_size(5, 5));                 // edge-extended: still ones around
  EXPECT_EQ(p.geometry().out_h(), 4);
  EXPECT_EQ(p.cursor(), p.last_step());
  ASSERT_TRUE(p.set_strides({2, 2}));
  EXPECT_EQ(p.geometry().out_w(), 2);  // floor((5 − 2)/2) + 1
  ASSERT_TRUE(p.set_filters(3));
  EXPECT_EQ(p.trace().final_output().c, 3);
  ASSERT_TRUE(p.set_bias(true));
  EXPECT_EQ(p.scenario().bias->size(), 3u);
}

TEST(Edit, InvalidEditKeepsTheLastValidState) {
  model::Pane p(ones_conv());
  p.step(5);
  const auto before = p.scenario_ptr();
  // Keras rejects stride > 1 together with dilation > 1.
  ASSERT_TRUE(p.set_strides({2, 2}));
  const auto valid = p.scenario_ptr();
  EXPECT_FALSE(p.set_dilation({2, 2}));
  EXPECT_NE(p.error().find("Keras does not allow"), std::string::npos) << p.error();
  EXPECT_EQ(p.scenario_ptr(), valid);
  EXPECT_EQ(p.scenario().spec.dilation, (core::Pair{1, 1}));
  // A kernel larger than the input: the core's message, the old picture.
  EXPECT_FALSE(p.set_kernel_size(4, 4));
  EXPECT_NE(p.error().find("dilated kernel spans 4 cells"), std::string::npos) << p.error();
  EXPECT_EQ(p.scenario().kernel.kh, 2);
  ASSERT_TRUE(p.set_strides({1, 1}));
  EXPECT_TRUE(p.error().empty());
  (void)before;
}

TEST(Order, TransposeGathersOverTheZeroInsertedInputAndKeepsItThroughEdits) {
  core::Scenario s = ones_conv(2);  // a 2×2 input stamped by a 2×2 kernel of ones → 3×3
  s.spec.op = core::Op::conv2d_transpose;
  model::Pane p(s);
  EXPECT_EQ(p.order(), core::TraceOrder::scatter);  // a transpose's default
  EXPECT_EQ(p.trace().count(), 16);                 // 4 input cells × 4 taps
  p.end();
  p.set_order(core::TraceOrder::gather);
  EXPECT_EQ(p.order(), core::TraceOrder::gather);
  EXPECT_EQ(p.trace().count(), 36);      // 9 output cells × 4 taps, padding taps included
  EXPECT_EQ(p.trace().unit_count(), 9);  // one unit per output cell: conv_arithmetic's frames
  EXPECT_EQ(p.cursor(), 35);             // finished stays finished
  // Output cell (0, 0): its window over the padded grid reads one real input, three pads.
  int real = 0;
  for (int64_t n = 0; n < 4; ++n) {
    const core::Step st = p.trace().step(n);
    EXPECT_EQ(st.output.y, 0);
    EXPECT_EQ(st.output.x, 0);
    real += st.input.has_value();
    EXPECT_EQ(st.padding, !st.input.has_value());
  }
  EXPECT_EQ(real, 1);
  EXPECT_EQ(p.trace().step(3).after, 1.0);
  EXPECT_EQ(p.trace().step(4 * 4 + 3).after, 4.0);  // the centre (1, 1) gathers all four stamps
  ASSERT_TRUE(p.set_value({model::Tensor::input, 0, 0, 0, 0}, 2.0));
  EXPECT_EQ(p.order(), core::TraceOrder::gather);  // an edit keeps the order
  ASSERT_TRUE(p.set_op(core::Op::conv2d));
  EXPECT_EQ(p.order(), core::TraceOrder::gather);  // a Conv2D gathers anyway
  ASSERT_TRUE(p.undo());
  EXPECT_EQ(p.order(), core::TraceOrder::gather);  // and back to the transpose, still in gather order
  EXPECT_EQ(p.trace().count(), 36);
  p.set_order(core::TraceOrder::scatter);
  EXPECT_EQ(p.trace().count(), 16);
  EXPECT_EQ(p.transpose_order(), core::TraceOrder::scatter);
  // A Conv2D has no scatter: refused with the core's message, the pane unchanged.
  model::Pane conv(ones_conv());
  EXPECT_THROW(conv.set_order(core::TraceOrder::scatter), core::Error);
  EXPECT_EQ(conv.order(), core::TraceOrder::gather);
  EXPECT_EQ(conv.trace().count(), 16);
}

TEST(Edit, UndoRedoAndGroups) {
  model::Pane p(ones_conv());
  const auto original = p.scenario_ptr();
  p.set_value({model::Tensor::kernel, 0, 0, 0, 0}, 2);
  p.set_value({model::Tensor::kernel, 0, 0, 0, 0}, 3, "drag");
  p.set_value({model::Tensor::kernel, 0, 0, 0, 0}, 4, "drag");  // same drag: one undo entry
  EXPECT_EQ(p.value({model::Tensor::kernel, 0, 0, 0, 0}), 4);
  ASSERT_TRUE(p.undo());
  EXPECT_EQ(p.value({model::Tensor::kernel, 0, 0, 0, 0}), 2);
  ASSERT_TRUE(p.undo());
  EXPECT_EQ(p.scenario_ptr(), original);
  EXPECT_FALSE(p.undo());
  ASSERT_TRUE(p.redo());
  EXPECT_EQ(p.value({model::Tensor::kernel, 0, 0, 0, 0}), 2);
  p.fill_kernel(model::Fill::edge);
  EXPECT_FALSE(p.can_redo());  // a new edit drops the redo stack
  EXPECT_EQ(p.value({model::Tensor::kernel, 0, 0, 0, 0}), -1);
  ASSERT_TRUE(p.reset_to_preset());
  EXPECT_EQ(p.value({model::Tensor::kernel, 0, 0, 0, 0}), 1);
  ASSERT_TRUE(p.undo());  // reset is undoable
  EXPECT_EQ(p.value({model::Tensor::kernel, 0, 0, 0, 0}), -1);
}

TEST(Edit, OpAndConventionSwitches) {
  model::Pane p(ones_conv());
  ASSERT_TRUE(p.set_op(core::Op::conv2d_transpose));
  EXPECT_EQ(p.geometry().out_h(), 4);  // 3 stamped by 2 → 4
  ASSERT_TRUE(p.set_convention(core::Convention::pytorch)) << p.error();
  ASSERT_TRUE(p.set_padding(core::PaddingKind::explicit_pads, {1, 1}, {1, 1})) << p.error();
  EXPECT_EQ(p.geometry().out_h(), 2);  // (3−1)·1 − 2·1 + 2 = 2
  ASSERT_TRUE(p.set_op(core::Op::conv2d));
  EXPECT_FALSE(p.scenario().spec.output_padding.has_value());
}

TEST(Panes, DuplicateAsOtherOpEnlargesBack) {
  model::AppState st;
  st.panes.emplace_back(ones_conv());
  ASSERT_TRUE(st.duplicate_as_other_op(0));
  ASSERT_EQ(st.panes.size(), 2u);
  EXPECT_EQ(st.panes[1].scenario().spec.op, core::Op::conv2d_transpose);
  EXPECT_EQ(st.panes[1].scenario().input.h, 2);  // the conv's output…
  EXPECT_EQ(st.panes[1].geometry().out_h(), 3);  // …enlarged back to 3×3
  EXPECT_EQ(st.focused, 1);
  st.remove_pane(0);
  st.remove_pane(0);  // the last pane stays
  EXPECT_EQ(st.panes.size(), 1u);
}

TEST(Session, RoundTripAndAtomicWrite) {
  const auto dir = std::filesystem::temp_directory_path() / ("convscope_session_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  setenv("XDG_CONFIG_HOME", dir.c_str(), 1);
  const std::string path = model::session_path();
  EXPECT_EQ(path, (dir / "convscope" / "session.json").string());

  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  st.panes[0].set_value({model::Tensor::input, 1, 2, 0, 0}, 0.25);
  st.panes[0].set_cursor(7);
  st.panes[1].view_filter = 0;
  st.focused = 1;
  st.speed = 8;
  st.view.formula = false;
  st.window_w = 1280;
  st.window_h = 720;
  ASSERT_EQ(model::save_session(st, path).error, "");
  // Nothing but the session itself is left in the folder (the temporary file was renamed).
  int files = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "convscope")) {
    (void)e;
    ++files;
  }
  EXPECT_EQ(files, 1);

  auto back = model::load_session(path).state;
  ASSERT_TRUE(back.has_value());
  ASSERT_EQ(back->panes.size(), 2u);
  EXPECT_EQ(back->panes[0].value({model::Tensor::input, 1, 2, 0, 0}), 0.25);
  EXPECT_EQ(back->panes[0].cursor(), 7);
  EXPECT_EQ(back->panes[1].view_filter, 0);
  EXPECT_EQ(back->focused, 1);
  EXPECT_EQ(back->speed, 8);
  EXPECT_FALSE(back->view.formula);
  EXPECT_EQ(back->window_w, 1280);
  EXPECT_EQ(back->window_h, 720);
  // Reset goes back to the preset file the pane came from.
  ASSERT_TRUE(back->panes[0].reset_to_preset());
  EXPECT_EQ(back->panes[0].value({model::Tensor::input, 1, 2, 0, 0}), 1);

  // A damaged file is set aside (the app starts from the seed): see session_test.cpp.
  std::ofstream(path) << "{not json";
  EXPECT_FALSE(model::load_session(path).state.has_value());
  EXPECT_TRUE(std::filesystem::exists(path + ".bad"));
  std::filesystem::remove_all(dir);
}

}  // namespace
