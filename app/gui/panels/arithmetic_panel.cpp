// arithmetic_panel.cpp — the whole sum of the focused pane's current cell.
//
// The canvas shows the arithmetic line cut to the pane's width; this panel
// lists every term (up to a few hundred) with real numbers.
#include <imgui.h>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "app/model/arithmetic_text.h"
#include "core/format.h"

namespace gui {

namespace {

// Splits at spaces (indices have none); an operator stays at the end of the word before it.
void add_words(std::vector<std::string>& words, const std::string& s) {
  size_t at = 0;
  while (at <= s.size()) {
    size_t sp = s.find(' ', at);
    if (sp == std::string::npos) sp = s.size();
    const std::string w = s.substr(at, sp - at);
    const bool op = w == "=" || w == "+=" || w == "+" || w == "→";
    if (op && !words.empty())
      words.back() += " " + w;
    else if (!w.empty())
      words.push_back(w);
    at = sp + 1;
  }
}

}  // namespace

void draw_arithmetic_panel(App& app) {
  if (!ImGui::Begin("Arithmetic", nullptr, kFixedPanel)) {
    ImGui::End();
    return;
  }
  const model::Pane& p = app.state.focused_pane();
  const core::Trace& t = p.trace();
  const int64_t n = p.cursor();
  if (n < 0) {
    ImGui::TextWrapped("Before the first step. Space plays, → steps one multiply-accumulate (or scatter), Shift+→ one cell.");
    ImGui::End();
    return;
  }
  const core::Step st = t.step(n);
  const model::ArithmeticNames names = model::arithmetic_names(t);
  // Words for text_wrapped_words: a line breaks only between terms, never inside an index.
  std::vector<std::string> words;
  if (p.scenario().spec.op == core::Op::conv2d) {
    const std::vector<std::string> terms = model::conv_terms(t, n, 400);
    words.push_back(names.y(st.output) + " =");
    for (size_t i = 0; i < terms.size(); ++i) words.push_back(terms[i] + (i + 1 < terms.size() ? " +" : ""));
    words.push_back("= " + core::format_number(st.after.value_or(0)));
  } else {
    add_words(words, model::transpose_step_line(names, st));
    if (st.kind == core::StepKind::scatter)
      add_words(words, "(the stamp of " + names.x(*st.input) + " = " + core::format_number(*st.a) + ": the kernel × " +
                      core::format_number(*st.a) + ")");
    else
      add_words(words, "· " + model::unit_text(t, n));
  }
  text_wrapped_words(words, 12 * app.content_scale);
  ImGui::End();
}

}  // namespace gui
