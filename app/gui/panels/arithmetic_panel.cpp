// arithmetic_panel.cpp — the whole sum of the focused pane's current cell.
//
// The canvas shows the arithmetic line cut to the pane's width; this panel
// lists every term (up to a few hundred) with real numbers.
#include <imgui.h>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "core/format.h"

namespace gui {

namespace {

std::string yx(int64_t y, int64_t x) { return "[" + std::to_string(y) + "," + std::to_string(x) + "]"; }

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
  const auto num = [](double v) { return core::format_number(v); };
  const auto factor = [](double v) { return core::format_factor(v); };
  std::string text;
  if (p.scenario().spec.op == core::Op::conv2d) {
    const int64_t first = t.first_step_of_unit(t.unit_of_step(n));
    const int64_t limit = 400;
    text = "y" + yx(st.output.y, st.output.x) + (p.geometry().out_channels > 1 ? " (filter " + std::to_string(st.output.c) + ")" : "") + " = ";
    for (int64_t i = first; i <= n && i - first < limit; ++i) {
      const core::Step s = t.step(i);
      if (i > first) text += " + ";
      if (s.kind == core::StepKind::bias)
        text += "b " + num(s.w);
      else
        text += "x" + yx(s.input->y, s.input->x) + "·w" + yx((*s.tap)[0], (*s.tap)[1]) + " (" + factor(s.a.value_or(0)) + "·" +
                factor(s.w) + (s.padding ? ", padding" : "") + ")";
    }
    if (n - first >= limit) text += " + …";
    text += " = " + num(st.after.value_or(0));
  } else if (st.kind == core::StepKind::scatter) {
    text = "Input cell x" + yx(st.input->y, st.input->x) + " = " + num(*st.a) + " stamps the kernel scaled by " + num(*st.a) +
           ". This step: ";
    if (st.cropped)
      text += factor(*st.a) + "·" + factor(st.w) + " = " + num(st.product) + " lands on y" + yx(st.output.y, st.output.x) +
              ", outside the output: cropped.";
    else
      text += "y" + yx(st.output.y, st.output.x) + " += " + factor(*st.a) + "·" + factor(st.w) + ": " + num(st.before.value_or(0)) +
              " → " + num(st.after.value_or(0)) + ".";
  } else {
    text = "y" + yx(st.output.y, st.output.x) + " += bias " + num(st.w) + ": " + num(st.before.value_or(0)) + " → " +
           num(st.after.value_or(0));
  }
  ImGui::TextWrapped("%s", text.c_str());
  ImGui::End();
}

}  // namespace gui
