// Guided lessons as worked examples: every slide of every shipped lesson is
// loaded, applied to an AppState and played to its end headless; its caption
// must resolve, and its prediction must accept the core's own value (and
// refuse a wrong one with the hint, then show the answer). A few captions
// are checked against values a reader can work out on paper.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "app/model/lesson.h"
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
