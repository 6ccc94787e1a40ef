// lesson_player.h — a lesson being taught: which slide is up, whether the
// student has answered its prediction, and presenter mode. The window's keys,
// the Lessons panel and presenter mode all go through these calls; the
// position is mirrored in AppState (lesson_path, lesson_slide) so the session
// remembers it.
//
//   model::LessonPlayer player;
//   player.open(model::load_lesson(path), 0, state);   // slide 1 on the panes
//   player.next(state);                                // PageDown
//   player.answer("2x2", state);                       // a prediction: right → the slide plays
//   player.tick(state, dt);                            // instead of AppState::tick while a lesson is open
//
// A slide with a prediction waits: it does not play until the student's answer
// is right or the answer has been shown (after kAttemptsBeforeAnswer wrong
// tries, or "Show answer"). No GL, no ImGui, no files.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "app/model/app_state.h"
#include "app/model/lesson.h"

namespace model {

class LessonPlayer {
 public:
  bool active() const { return lesson_.has_value(); }
  const Lesson& lesson() const { return *lesson_; }
  size_t slide() const { return slide_; }
  size_t slide_count() const { return lesson_ ? lesson_->slides.size() : 0; }
  const Slide& current() const { return lesson_->slides.at(slide_); }

  // Opens `lesson` at `slide` (clamped to its slides) and applies that slide to `state`.
  void open(Lesson lesson, size_t slide, AppState& state);
  // The same without applying the slide: the panes already show it (a restored session).
  void resume(Lesson lesson, size_t slide, AppState& state);
  // Leaves the lesson (the panes stay as they are) and presenter mode.
  void close(AppState& state);
  // To a slide (clamped); false when already there or no lesson is open.
  bool go_to(size_t slide, AppState& state);
  bool next(AppState& state) { return active() && slide_ + 1 < slide_count() && go_to(slide_ + 1, state); }
  bool previous(AppState& state) { return active() && slide_ > 0 && go_to(slide_ - 1, state); }

  // Playback: the slide's range while a lesson is open, AppState's own otherwise.
  // Space plays even while a prediction waits (the student may skip it).
  void tick(AppState& state, double dt);
  void toggle_play(AppState& state);

  // ---- the slide's prediction ----
  bool waiting_for_answer() const { return active() && current().predict && !answered_; }
  // Checks the student's text; a right answer (or the answer shown) starts the slide.
  PredictionCheck answer(std::string_view text, AppState& state);
  // "Show answer": the answer and the explanation, then the slide plays.
  void reveal(AppState& state);
  int attempts() const { return attempts_; }
  // The last check's verdict and message (nullopt before any answer on this slide).
  const std::optional<PredictionCheck>& feedback() const { return feedback_; }
  std::string answer_text;  // the input box's text

  // ---- text for the caption box (empty when no lesson is open) ----
  // The caption (and, while waiting, the question) with live values filled in.
  // Never throws: a value that no longer resolves (a pane removed by hand)
  // gives its message instead.
  std::string caption(const AppState& state) const;
  std::string question(const AppState& state) const;
  // "Why Conv2D shrinks · 2 / 5: One output cell".
  std::string heading() const;

  // Presenter mode: full screen, canvas only, large text (F5; Esc leaves).
  bool presenter = false;

 private:
  void start(AppState& state);
  std::optional<Lesson> lesson_;
  size_t slide_ = 0;
  bool answered_ = false;
  int attempts_ = 0;
  std::optional<PredictionCheck> feedback_;
};

}  // namespace model
