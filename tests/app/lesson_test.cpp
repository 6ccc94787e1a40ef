// Guided lessons as worked examples: every slide of every shipped lesson is
// loaded, applied to an AppState and played to its end headless; its caption
// must resolve, and its prediction must accept the core's own value (and
// refuse a wrong one with the hint, then show the answer). A few captions
// are checked against values a reader can work out on paper.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/model/lesson.h"
#include "app/model/lesson_player.h"
#include "app/model/session.h"
#include "core/compute.h"
#include "core/errors.h"
#include "core/format.h"

namespace {

namespace fs = std::filesystem;

const std::string kLessonsDir = CONVSCOPE_LESSONS_DIR;

// Plays a slide to its end the way the window does (tick_slide), in big steps.
void play_to_end(const model::Lesson& l, size_t i, model::AppState& st) {
  if (l.slides[i].predict && l.slides[i].plays()) model::start_slide_play(l, i, st);
  for (int guard = 0; guard < 100000 && !model::slide_finished(l, i, st); ++guard)
    model::tick_slide(l, i, st, 0.5);
  ASSERT_TRUE(model::slide_finished(l, i, st)) << l.stem << " slide " << i + 1;
}

// A slide's caption, reached the way a student does: every slide before it applied in turn.
std::string caption_at(const std::string& stem, size_t slide) {
  const model::Lesson l = model::load_lesson(model::find_lesson(stem, kLessonsDir));
  model::AppState st;
  for (size_t i = 0; i <= slide; ++i) model::apply_slide(l, i, st);
  play_to_end(l, slide, st);
  return model::caption_of(l, slide, st);
}

TEST(Lessons, AtLeastEightShipAndAllLoad) {
  const auto entries = model::list_lessons(kLessonsDir);
  EXPECT_GE(entries.size(), 8u);
  for (const auto& e : entries) EXPECT_EQ(e.error, "") << e.path;
  // The list order is the lessons' "number".
  ASSERT_FALSE(entries.empty());
  EXPECT_EQ(entries.front().stem, "conv_shrinks");
}

TEST(Lessons, EverySlideRunsHeadlessAndItsValuesComeFromTheCore) {
  int predictions = 0;
  for (const auto& entry : model::list_lessons(kLessonsDir)) {
    SCOPED_TRACE(entry.stem);
    const model::Lesson l = model::load_lesson(entry.path);
    model::AppState st;
    for (size_t i = 0; i < l.slides.size(); ++i) {
      SCOPED_TRACE("slide " + std::to_string(i + 1));
      model::apply_slide(l, i, st);
      ASSERT_FALSE(st.panes.empty());
      const model::Slide& s = l.slides[i];
      // A predicting slide waits for the answer before it plays.
      if (s.predict && s.plays()) {
        EXPECT_FALSE(st.playing);
      }
      play_to_end(l, i, st);
      // At the slide's end each pane's output grid is the core's result so far,
      // and at the trace's end it is core::compute's.
      for (const model::Pane& p : st.panes) {
        if (!p.at_end()) continue;
        const core::Tensor direct = core::compute(p.scenario());
        const auto shown = p.partial_output();
        ASSERT_TRUE(shown.has_value());
        ASSERT_EQ(shown->values.size(), direct.values.size());
        for (size_t k = 0; k < direct.values.size(); ++k) EXPECT_DOUBLE_EQ(shown->values[k], direct.values[k]);
      }
      const std::string caption = model::caption_of(l, i, st);
      EXPECT_FALSE(caption.empty());
      EXPECT_EQ(caption.find('{'), std::string::npos) << caption;
      if (!s.predict) continue;
      ++predictions;
      const model::Quoted expected = model::expected_answer(l, i, st);
      if (expected.kind == model::Quoted::Kind::shape && s.predict->expression == "out.shape") {
        const core::Geometry& g = st.panes[0].geometry();
        EXPECT_EQ(expected.full_shape.at(0), g.out_h());
        EXPECT_EQ(expected.full_shape.at(1), g.out_w());
      }
      EXPECT_EQ(model::check_prediction(l, i, st, expected.text(), 1).verdict, model::Verdict::right);
      // A wrong answer of the right kind: the hint first, the answer after the last try.
      const std::string wrong =
          expected.kind == model::Quoted::Kind::shape ? "99x99" : core::format_number(expected.number + 1000);
      const model::PredictionCheck first = model::check_prediction(l, i, st, wrong, 1);
      EXPECT_EQ(first.verdict, model::Verdict::not_yet);
      if (!s.predict->hint.empty()) {
        EXPECT_EQ(first.message.rfind("Not yet. Hint: ", 0), 0u) << first.message;
      }
      EXPECT_EQ(model::check_prediction(l, i, st, wrong, model::kAttemptsBeforeAnswer).verdict,
                model::Verdict::answer_shown);
      EXPECT_NE(model::answer_of(l, i, st).find(expected.text()), std::string::npos);
    }
  }
  EXPECT_GE(predictions, 8);  // at least one question per lesson
}

// Worked examples a reader can check on paper.
TEST(Lessons, ConvShrinksQuotesTheFirstWindow) {
  // 3×3 ones ⊛ 2×2 ones: the first window sums four ones.
  EXPECT_NE(caption_at("conv_shrinks", 1).find("y[0,0] = 4"), std::string::npos);
  // 5×5 ramp 1…25 ⊛ 3×3 ones: y[0,0] = 1+2+3+6+7+8+11+12+13 = 63.
  EXPECT_NE(caption_at("conv_shrinks", 3).find("y[0,0] = 63"), std::string::npos);
}

TEST(Lessons, ASlidePinsItsHighlightAndTheNextClearsIt) {
  // conv_shrinks slide 2 pins output cell (0,0) of the seed: its window is the four
  // input cells (0,0), (0,1), (1,0), (1,1) and all four weights; slide 3 pins nothing.
  const model::Lesson l = model::load_lesson(model::find_lesson("conv_shrinks", kLessonsDir));
  model::AppState st;
  model::apply_slide(l, 0, st);
  model::apply_slide(l, 1, st);
  ASSERT_TRUE(st.hover.pinned);
  EXPECT_EQ(st.hover.target.kind, model::HoverKind::output);
  EXPECT_EQ(st.hover.target.cell, (core::Cell{0, 0, 0}));
  st.hover.refresh(st.panes);
  ASSERT_NE(st.hover.links, nullptr);
  EXPECT_EQ(st.hover.links->products, 4);
  EXPECT_EQ(st.hover.links->inputs.size(), 4u);
  EXPECT_EQ(st.hover.links->padding, 0);
  model::apply_slide(l, 2, st);
  EXPECT_FALSE(st.hover.pinned);
  EXPECT_EQ(st.hover.target.kind, model::HoverKind::none);
}

TEST(Lessons, CheckerboardSlidesTurnTheOverlapMapOn) {
  const model::Lesson l = model::load_lesson(model::find_lesson("checkerboard", kLessonsDir));
  model::AppState st;
  bool any = false;
  for (size_t i = 0; i < l.slides.size(); ++i) {
    model::apply_slide(l, i, st);
    for (const model::Pane& p : st.panes) EXPECT_EQ(p.overlap_map, l.slides[i].overlap) << "slide " << i + 1;
    any = any || l.slides[i].overlap;
  }
  EXPECT_TRUE(any);
}

TEST(Lessons, CheckerboardCountsStamps) {
  // Ones stamped by a 3×3 kernel of ones every 2 cells: a cell under one, two or four stamps.
  EXPECT_NE(caption_at("checkerboard", 1).find("y[1,1] = 1, y[1,2] = 2, y[2,2] = 4"), std::string::npos);
}

TEST(Lessons, ChannelsCountTwentySevenWeights) {
  // A 3×3 kernel over 3 input channels: 3·3·3 = 27 products per output cell.
  EXPECT_NE(caption_at("channels_27_weights", 1).find("takes 27 multiply-accumulates"), std::string::npos);
}

TEST(Lessons, ShortNamesAndErrors) {
  EXPECT_EQ(fs::path(model::find_lesson("checkerboard", kLessonsDir)).filename(), "checkerboard.json");
  try {
    model::find_lesson("no_such_lesson", kLessonsDir);
    FAIL();
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("conv_shrinks"), std::string::npos);  // lists the shipped ones
  }
  // A caption quoting a cell outside the output is refused at load, naming the slide.
  const std::string bad =
      R"({"title": "t", "slides": [{"panes": ["seed_conv2d"], "caption": "ok"},)"
      R"( {"caption": "{y[5,5]}"}]})";
  try {
    model::parse_lesson(bad, kLessonsDir + "/bad.json");
    FAIL();
  } catch (const core::Error& e) {
    EXPECT_NE(std::string(e.what()).find("slide 2"), std::string::npos) << e.what();
  }
}

}  // namespace

namespace {

// The window's lesson logic without a window: a prediction holds the slide until
// it is answered, slides move within bounds, the position goes into AppState.
TEST(LessonPlayer, PredictionHoldsTheSlideUntilAnswered) {
  model::AppState st;
  model::LessonPlayer lp;
  lp.open(model::load_lesson(model::find_lesson("conv_shrinks", kLessonsDir)), 0, st);
  ASSERT_TRUE(lp.waiting_for_answer());
  EXPECT_FALSE(st.playing);
  EXPECT_EQ(st.panes[0].cursor(), -1);
  EXPECT_EQ(lp.answer("3x3", st).verdict, model::Verdict::not_yet);
  EXPECT_EQ(lp.answer("a shape", st).verdict, model::Verdict::unreadable);  // not a try
  EXPECT_EQ(lp.attempts(), 1);
  EXPECT_TRUE(lp.waiting_for_answer());
  EXPECT_EQ(lp.answer("2×2", st).verdict, model::Verdict::right);  // 3×3 ⊛ 2×2 → 2×2
  EXPECT_FALSE(lp.waiting_for_answer());
  EXPECT_TRUE(st.playing);
  for (int i = 0; i < 100 && st.playing; ++i) lp.tick(st, 0.5);
  EXPECT_EQ(st.panes[0].cursor(), 3);  // "play": [-1, 3] stops at step 3
  EXPECT_EQ(lp.heading(), "Why Conv2D shrinks · 1 / 5: A window over the input");
}

TEST(LessonPlayer, SlidesMoveWithinBoundsAndTheStateRemembers) {
  model::AppState st;
  model::LessonPlayer lp;
  lp.open(model::load_lesson(model::find_lesson("conv_shrinks", kLessonsDir)), 0, st);
  EXPECT_FALSE(lp.previous(st));
  EXPECT_TRUE(lp.next(st));
  EXPECT_EQ(st.lesson_slide, 1);
  EXPECT_EQ(st.panes[0].cursor(), 3);  // slide 2: "step": 3
  EXPECT_TRUE(lp.go_to(99, st));       // clamped to the last slide
  EXPECT_EQ(lp.slide(), 4u);
  EXPECT_FALSE(lp.next(st));
  EXPECT_NE(st.lesson_path.find("conv_shrinks.json"), std::string::npos);
  lp.close(st);
  EXPECT_FALSE(lp.active());
  EXPECT_EQ(st.lesson_path, "");
}

}  // namespace

namespace {

TEST(LessonPlayer, TheSessionKeepsTheLessonAndItsSlide) {
  model::AppState st;
  model::LessonPlayer lp;
  lp.open(model::load_lesson(model::find_lesson("stride_skips", kLessonsDir)), 2, st);
  const model::AppState back = model::session_from_json(model::session_to_json(st).text);
  EXPECT_EQ(back.lesson_path, st.lesson_path);
  EXPECT_EQ(back.lesson_slide, 2);
  // A session without a lesson has none.
  model::AppState plain = model::seed_state(CONVSCOPE_PRESETS_DIR);
  EXPECT_EQ(model::session_from_json(model::session_to_json(plain).text).lesson_path, "");
}

}  // namespace
