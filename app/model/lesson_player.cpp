#include "app/model/lesson_player.h"

#include <algorithm>
#include <exception>

namespace model {

void LessonPlayer::open(Lesson lesson, size_t slide, AppState& state) {
  lesson_ = std::move(lesson);
  slide_ = std::min(slide, lesson_->slides.size() - 1);
  state.lesson_path = lesson_->path;
  start(state);
}

void LessonPlayer::resume(Lesson lesson, size_t slide, AppState& state) {
  lesson_ = std::move(lesson);
  slide_ = std::min(slide, lesson_->slides.size() - 1);
  state.lesson_path = lesson_->path;
  state.lesson_slide = static_cast<int>(slide_);
  answered_ = true;  // the student saw this slide before: it does not ask again
  attempts_ = 0;
  feedback_.reset();
}

void LessonPlayer::close(AppState& state) {
  lesson_.reset();
  presenter = false;
  state.lesson_path.clear();
  state.lesson_slide = 0;
  state.playing = false;
}

bool LessonPlayer::go_to(size_t slide, AppState& state) {
  if (!active()) return false;
  slide = std::min(slide, slide_count() - 1);
  if (slide == slide_) return false;
  slide_ = slide;
  start(state);
  return true;
}

void LessonPlayer::start(AppState& state) {
  answered_ = false;
  attempts_ = 0;
  feedback_.reset();
  answer_text.clear();
  state.lesson_slide = static_cast<int>(slide_);
  apply_slide(*lesson_, slide_, state);
}

void LessonPlayer::tick(AppState& state, double dt) {
  if (!active() || state.panes.empty()) {
    state.tick(dt);
    return;
  }
  tick_slide(*lesson_, slide_, state, dt);
}

void LessonPlayer::toggle_play(AppState& state) {
  if (!active()) {
    state.toggle_play();
    return;
  }
  // Space always plays: a student may skip the prediction (the box stays for an answer).
  toggle_slide_play(*lesson_, slide_, state);
}

PredictionCheck LessonPlayer::answer(std::string_view text, AppState& state) {
  PredictionCheck r;
  if (!waiting_for_answer()) return r;
  try {
    r = check_prediction(*lesson_, slide_, state, text, attempts_ + 1);
  } catch (const std::exception& e) {
    r.message = e.what();
    r.verdict = Verdict::unreadable;
  }
  if (r.verdict != Verdict::unreadable) ++attempts_;
  feedback_ = r;
  if (r.verdict == Verdict::right || r.verdict == Verdict::answer_shown) {
    answered_ = true;
    if (current().plays()) start_slide_play(*lesson_, slide_, state);
  }
  return r;
}

void LessonPlayer::reveal(AppState& state) {
  if (!waiting_for_answer()) return;
  PredictionCheck r;
  r.verdict = Verdict::answer_shown;
  try {
    r.message = answer_of(*lesson_, slide_, state);
  } catch (const std::exception& e) {
    r.message = e.what();
  }
  feedback_ = r;
  answered_ = true;
  if (current().plays()) start_slide_play(*lesson_, slide_, state);
}

std::string LessonPlayer::caption(const AppState& state) const {
  if (!active()) return {};
  try {
    return caption_of(*lesson_, slide_, state);
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string LessonPlayer::question(const AppState& state) const {
  if (!active()) return {};
  try {
    return question_of(*lesson_, slide_, state);
  } catch (const std::exception& e) {
    return e.what();
  }
}

std::string LessonPlayer::heading() const {
  if (!active()) return {};
  std::string h = lesson_->title + " · " + std::to_string(slide_ + 1) + " / " + std::to_string(slide_count());
  if (!current().title.empty()) h += ": " + current().title;
  return h;
}

}  // namespace model
