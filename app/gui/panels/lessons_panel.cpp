// lessons_panel.cpp — guided lessons in the window: the Lessons tool window
// (the list, the progress through the open lesson, previous/next), the caption
// box in the canvas area with the slide's prediction (an input box, Check,
// Show answer), and presenter mode (the canvas full screen, the caption and
// the step line in big type). The lesson itself lives in App::lessons
// (model/lesson_player.h); this file only draws it and forwards clicks.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <string>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "app/model/arithmetic_text.h"
#include "core/format.h"

namespace gui {

namespace {

// In presenter mode the caption's type is this much larger again than the
// (already enlarged) interface text.
constexpr float kPresenterCaptionScale = 1.3f;

const ImVec4 kHintColour(0.80f, 0.42f, 0.05f, 1.0f);

ImVec4 verdict_colour(model::Verdict v) {
  switch (v) {
    case model::Verdict::right: return kOkColour;
    case model::Verdict::not_yet: return kHintColour;
    case model::Verdict::answer_shown: return kOkColour;
    case model::Verdict::unreadable: return kErrorColour;
  }
  return kMutedColour;
}

// The focused pane's current step as one line: "step 10 · 16 steps: y[0,1] += x[0,1]·w[0,0] (1·1) → 3".
std::string step_line(const model::Pane& p) {
  const core::Trace& t = p.trace();
  std::string line = model::step_position_text(p.cursor(), t.count());
  if (p.cursor() < 0) return line;
  const core::Step st = t.step(p.cursor());
  const model::ArithmeticNames names = model::arithmetic_names(t);
  if (t.gathers())
    line += ": " + names.y(st.output) + " += " + model::conv_term(names, st) + " → " +
            core::format_number(st.after.value_or(0));
  else
    line += ": " + model::transpose_step_line(names, st);
  return line;
}

// The lines of the caption box, measured and drawn by the same code.
struct CaptionText {
  std::string heading, caption, question;
  bool waiting = false;
};

CaptionText caption_text(const App& app) {
  CaptionText c;
  c.heading = app.lessons.heading();
  c.caption = app.lessons.caption(app.state);
  c.question = app.lessons.question(app.state);
  c.waiting = app.lessons.waiting_for_answer();
  return c;
}

}  // namespace

float lesson_caption_height(App& app, float width) {
  const CaptionText c = caption_text(app);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float wrap = std::max(width - 2 * style.WindowPadding.x - style.ScrollbarSize, 50.0f);
  const float line = ImGui::GetTextLineHeightWithSpacing();
  float h = 2 * style.WindowPadding.y + line;  // the heading
  h += ImGui::CalcTextSize(c.caption.c_str(), nullptr, false, wrap).y + style.ItemSpacing.y;
  if (!c.question.empty()) {
    h += ImGui::CalcTextSize(c.question.c_str(), nullptr, false, wrap).y + style.ItemSpacing.y;
    if (c.waiting) h += ImGui::GetFrameHeightWithSpacing();
    if (const auto& f = app.lessons.feedback())
      h += ImGui::CalcTextSize(f->message.c_str(), nullptr, false, wrap).y + style.ItemSpacing.y;
  }
  // Never more than half the canvas area: a long caption scrolls.
  return std::min(h, ImGui::GetMainViewport()->WorkSize.y * 0.45f);
}

void draw_lesson_caption(App& app, bool presenter) {
  if (!ImGui::Begin("##lesson_caption", nullptr, kFixedPanel | ImGuiWindowFlags_NoTitleBar)) {
    ImGui::End();
    return;
  }
  if (presenter) ImGui::SetWindowFontScale(kPresenterCaptionScale);
  const CaptionText c = caption_text(app);
  model::LessonPlayer& lp = app.lessons;
  ImGui::TextColored(kMutedColour, "%s", c.heading.c_str());
  app.note_item("lesson_heading");
  ImGui::PushTextWrapPos(0.0f);
  ImGui::TextUnformatted(c.caption.c_str());
  app.note_item("lesson_caption");
  if (!c.question.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.10f, 0.30f, 0.65f, 1.0f));
    ImGui::TextUnformatted(c.question.c_str());
    ImGui::PopStyleColor();
    if (c.waiting) {
      const float s = app.content_scale * (presenter ? kPresenterCaptionScale : 1.0f);
      ImGui::SetNextItemWidth(160 * s);
      const bool enter = ImGui::InputTextWithHint("##answer", "your answer", &lp.answer_text,
                                                  ImGuiInputTextFlags_EnterReturnsTrue);
      app.note_item("lesson_answer");
      ImGui::SameLine();
      const bool check = ImGui::Button("Check");
      app.note_item("lesson_check");
      if (enter || check) {
        app.guarded("check the answer", [&] { lp.answer(lp.answer_text, app.state); });
      }
      ImGui::SameLine();
      if (ImGui::Button("Show answer")) app.guarded("show the answer", [&] { lp.reveal(app.state); });
      app.note_item("lesson_reveal");
    }
    if (const auto& f = lp.feedback()) {
      ImGui::PushStyleColor(ImGuiCol_Text, verdict_colour(f->verdict));
      ImGui::TextUnformatted(f->message.c_str());
      ImGui::PopStyleColor();
      app.note_item("lesson_feedback");
    }
  }
  ImGui::PopTextWrapPos();
  ImGui::End();
}

void draw_lessons_panel(App& app) {
  bool open = true;
  if (!ImGui::Begin("Lessons", &open, kToolWindow)) {
    ImGui::End();
    if (!open) app.lessons_panel = false;
    return;
  }
  if (app.lesson_list.empty()) app.lesson_list = model::list_lessons(app.lessons_dir());
  model::LessonPlayer& lp = app.lessons;
  if (lp.active()) {
    const float done = static_cast<float>(lp.slide() + 1) / static_cast<float>(lp.slide_count());
    const std::string progress = "slide " + std::to_string(lp.slide() + 1) + " / " + std::to_string(lp.slide_count());
    ImGui::TextWrapped("%s", lp.lesson().title.c_str());
    ImGui::ProgressBar(done, ImVec2(-1, 0), progress.c_str());
    if (ImGui::Button("< Previous")) app.guarded("change the slide", [&] { lp.previous(app.state); });
    app.note_item("lesson_previous");
    ImGui::SameLine();
    if (ImGui::Button("Next >")) app.guarded("change the slide", [&] { lp.next(app.state); });
    app.note_item("lesson_next");
    ImGui::SameLine();
    if (ImGui::Button("Present (F5)")) app.set_presenter(true);
    ImGui::SameLine();
    if (ImGui::Button("Close")) lp.close(app.state);
    ImGui::TextColored(kMutedColour, "PageDown / PageUp: slides · Space: play");
    ImGui::Separator();
  }
  for (const model::LessonEntry& e : app.lesson_list) {
    const bool current = lp.active() && lp.lesson().stem == e.stem;
    std::string label = (e.number ? std::to_string(*e.number) + ". " : std::string()) + e.title + "##" + e.path;
    if (!e.error.empty()) {
      ImGui::TextColored(kErrorColour, "%s: %s", e.stem.c_str(), e.error.c_str());
      continue;
    }
    if (ImGui::Selectable(label.c_str(), current)) app.open_lesson(e.path);
    if (ImGui::IsItemHovered() && !e.summary.empty())
      ImGui::SetTooltip("%s (%zu slides)", e.summary.c_str(), e.slides);
  }
  ImGui::End();
  if (!open) app.lessons_panel = false;
}

void draw_presenter(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  const float w = vp->Size.x, h = vp->Size.y;
  // The step line (one line) and the caption below the canvas, in big type.
  float caption_h = 0;
  // Measured at the interface's size over a narrower width, then scaled: the same wrapping as drawn.
  if (app.lessons.active()) caption_h = lesson_caption_height(app, w / kPresenterCaptionScale) * kPresenterCaptionScale;
  const float step_h = ImGui::GetFrameHeightWithSpacing() * kPresenterCaptionScale + 2 * ImGui::GetStyle().WindowPadding.y;
  const float canvas_h = std::max(h - caption_h - step_h, h * 0.4f);
  ImGui::SetNextWindowPos(vp->Pos);
  ImGui::SetNextWindowSize(ImVec2(w, canvas_h));
  draw_canvas_panel(app);
  ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + canvas_h));
  ImGui::SetNextWindowSize(ImVec2(w, step_h));
  if (ImGui::Begin("##presenter_step", nullptr, kFixedPanel | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) {
    ImGui::SetWindowFontScale(kPresenterCaptionScale);
    const std::string line = step_line(app.state.focused_pane());
    ImGui::TextColored(kMutedColour, "%s", line.c_str());
    app.note_item("presenter_step");
  }
  ImGui::End();
  if (app.lessons.active()) {
    ImGui::SetNextWindowPos(ImVec2(vp->Pos.x, vp->Pos.y + canvas_h + step_h));
    ImGui::SetNextWindowSize(ImVec2(w, h - canvas_h - step_h));
    draw_lesson_caption(app, true);
  }
}

}  // namespace gui
