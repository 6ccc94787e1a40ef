// lesson.h — guided lessons: a title, a summary and slides, as data in
// assets/lessons/*.json, loaded, checked and applied to the app state.
//
//   model::Lesson lesson = model::load_lesson(model::find_lesson("conv_shrinks", lessons_dir));
//   model::apply_slide(lesson, 0, state);                // panes, cursors, view options, zoom
//   std::string text = model::caption_of(lesson, 0, state);     // "The 3×3 input gives a 2×2 output …"
//   model::check_prediction(lesson, 0, state, "2x2", 1).verdict == model::Verdict::right
//
// ## Writing a lesson
//
//   {"title": "Why Conv2D shrinks", "summary": "One line for the list.", "number": 1,
//    "slides": [
//      {"title": "Slide heading (optional)",
//       "panes": ["seed_conv2d"],
//       "play": [-1, 3],
//       "caption": "The window covers four cells: y[0,0] = {y[0,0]}.",
//       "predict": {"question": "What is the output shape?", "answer": "out.shape",
//                   "hint": "Count where the window fits.", "explanation": "It fits {out.h}×{out.w} times."}},
//      {"step": "end", "caption": "…"}]}
//
// Lesson keys: "title" and "slides" (1 … kMaxSlides) are required; "summary"
// (one line for the list) and "number" (the place in the list; lessons
// without one come last, by title) are optional.
//
// Slide keys (every one optional except "caption"; a slide without "panes"
// shows the previous slide's):
//   "panes"   a list of 1 … kMaxSlidePanes panes, side by side. Each is a preset's
//             file stem from assets/presets ("seed_conv2d"), a path relative to
//             the lesson ("cases/odd.json": anything with a '/' or ending in
//             .json), an inline scenario object (the scenario file format), or
//             {"scenario": <any of those>, "channel": c, "filter": f,
//              "zoom": z, "center": [x, y], "follow": true} to pick the input
//             channel and filter shown (default: follow the step), zoom in (1 =
//             fit, up to Pane::kMaxZoom) around a centre (0 … 1 across and down),
//             or keep the current step in the middle.
//   "step"    the step shown: −1 (before the first), a step index, or "end"
//             (default: "end", the finished picture).
//   "play"    [from, to]: the slide opens at step `from` and plays to `to`
//             ("end" allowed for `to`). Not with "step".
//   "speed"   steps per second while playing (default: the current speed).
//   "order"   "scatter" (default) or "gather": the order of a transposed
//             convolution's steps (a convolution is always a gather).
//   "equivalent", "kernel_scale"      view options (ViewOptions), default false.
//   "volume"  channels drawn as volumes (each pane's volume_view); default false.
//   "overlap" the overlap map (stored for the renderer; default false).
//   "hover"   {"pane": i, "grid": "output" | "input" | "kernel", "cell": [y, x]
//             or [y, x, c]}: a pinned hover highlight (c: the filter of an output
//             or kernel cell, the channel of an input cell).
//   "caption" a few sentences, with live values in braces: {out.shape},
//             {y[1,1]}, {p1.steps} … (lesson_quotes.h lists them; {{ and }}
//             are braces). Values are taken after the slide's last step.
//   "predict" {"question": "…", "answer": <expression such as "out.shape" or
//             "y[1,1]", or a literal: 4, [2, 2], "2×2">, "hint": "…",
//             "explanation": "…"}: the student answers before the slide plays.
//             Question, hint and explanation may quote values too.
// Steps are checked against the longest trace of the slide: from −1 to its
// last step (a shorter pane waits at its end).
//
// Validation happens once, in load_lesson(): every pane through core::validate
// (and the full-compute limit: a lesson shows every output), every step, every
// placeholder and every answer is resolved through the core. A bad lesson is
// one core::Error naming the file and the slide (slides count from 1 in
// messages). Afterwards apply_slide, caption_of and check_prediction cannot
// fail on the slide's own panes; they throw core::Error only if the panes of
// `state` no longer have what a placeholder names (the user removed a pane).
//
// No GL, no ImGui; files only in load_lesson, list_lessons and find_lesson.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/model/app_state.h"
#include "app/model/lesson_quotes.h"
#include "app/model/prediction.h"

namespace model {

constexpr int64_t kMaxLessonBytes = int64_t{4} << 20;
constexpr size_t kMaxSlides = 64;
constexpr size_t kMaxSlidePanes = 6;
constexpr size_t kMaxLessonText = 4096;  // bytes of one title, caption, question …
// "end": the last step of each pane.
constexpr int64_t kEndStep = INT64_MAX;

enum class HoverGrid { input, kernel, output };
const char* hover_grid_name(HoverGrid g);  // "input", "kernel", "output"

struct HoverPin {
  int pane = 0;
  HoverGrid grid = HoverGrid::output;
  int64_t y = 0, x = 0, c = 0;
};

struct SlidePane {
  std::shared_ptr<const core::Scenario> scenario;
  std::string origin;  // the preset or file it was read from ("" inline)
  int channel = -1, filter = -1;
  float zoom = 1.0f, center_x = 0.5f, center_y = 0.5f;
  bool follow = false;
};

struct Prediction {
  std::string question, hint, explanation;
  std::string expression;         // "out.shape", "y[1,1]"; empty for a literal
  std::optional<Quoted> literal;  // 4, [2, 2], "2×2"
};

struct Slide {
  std::string title;
  std::vector<SlidePane> panes;
  int64_t first_step = kEndStep;  // where the slide opens
  int64_t last_step = kEndStep;   // where it stops playing (== first_step: a still slide); values are taken here
  bool plays() const { return first_step != last_step; }
  std::optional<double> speed;
  core::TraceOrder order = core::TraceOrder::scatter;
  bool equivalent = false, kernel_scale = false, volume = false, overlap = false;
  std::optional<HoverPin> hover;
  std::string caption;  // with {placeholders}
  std::optional<Prediction> predict;
};

struct Lesson {
  std::string path, stem;  // the file, and its name without folder and .json
  std::string title, summary;
  std::optional<int> number;
  std::vector<Slide> slides;
};

// Reads, parses and validates a lesson. Preset stems are looked up in
// `presets_dir`, by default <the lesson's folder>/../presets (assets/lessons →
// assets/presets). Throws core::Error.
Lesson load_lesson(const std::string& path, const std::string& presets_dir = {});
// The same from text; `path` names the lesson in messages and anchors relative paths.
Lesson parse_lesson(std::string_view json_text, const std::string& path, const std::string& presets_dir = {});

// A lesson argument: an existing file, or the stem of a shipped lesson in
// `lessons_dir` ("conv_shrinks" → lessons_dir/conv_shrinks.json). Throws
// core::Error(lesson_not_found) listing the shipped stems.
std::string find_lesson(const std::string& name_or_path, const std::string& lessons_dir);

// The lessons in a folder, in list order ("number", then title). A file that
// does not load is listed with its error (the panel shows it in red).
struct LessonEntry {
  std::string path, stem, title, summary;
  std::optional<int> number;
  size_t slides = 0;
  std::string error;
};
std::vector<LessonEntry> list_lessons(const std::string& lessons_dir);

// Replaces the panes of `state` by the slide's (focus on the first), sets each
// pane's trace order, shown channel and filter, zoom and centre, every cursor
// to the slide's first step (clamped to each pane), the view options the slide
// sets (equivalent, kernel_scale) and the speed if it gives one. Plays when the
// slide plays and asks no prediction (a predicting slide waits: call
// start_slide_play once the student has answered). Other view options (values,
// legend, panels) are the user's and stay. Throws std::out_of_range for a slide
// index past the end.
void apply_slide(const Lesson& lesson, size_t slide, AppState& state);

// Playback inside a slide: tick_slide is AppState::tick stopped at the slide's
// last step (every pane at min(last_step, its end), then paused);
// toggle_slide_play is Space: from the first step again when the slide has
// finished playing, else play/pause. On a still slide both are AppState's own.
void start_slide_play(const Lesson& lesson, size_t slide, AppState& state);
void tick_slide(const Lesson& lesson, size_t slide, AppState& state, double dt);
void toggle_slide_play(const Lesson& lesson, size_t slide, AppState& state);
// Whether every pane has reached the slide's last step.
bool slide_finished(const Lesson& lesson, size_t slide, const AppState& state);

// The values of `state`'s panes after the slide's last step.
QuoteContext quote_context(const Lesson& lesson, size_t slide, const AppState& state);
// The caption with its placeholders filled in. Throws core::Error naming the slide.
std::string caption_of(const Lesson& lesson, size_t slide, const AppState& state);
// The prediction's question, hint and explanation, filled in the same way ("" without a prediction).
std::string question_of(const Lesson& lesson, size_t slide, const AppState& state);
// The value the prediction expects. Throws core::Error (and std::logic_error
// for a slide without a prediction).
Quoted expected_answer(const Lesson& lesson, size_t slide, const AppState& state);
// Checks the student's text (prediction.h); `attempt` counts from 1.
PredictionCheck check_prediction(const Lesson& lesson, size_t slide, const AppState& state, std::string_view text,
                                 int attempt);
// "The answer is 2×2." and the explanation.
std::string answer_of(const Lesson& lesson, size_t slide, const AppState& state);

}  // namespace model
