// formula_panel.cpp — the output-length formula per axis with the numbers put
// in, pads/crops per side, the step count and the equivalent framework calls.
#include <imgui.h>

#include <string>
#include <vector>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "core/explain.h"
#include "core/snippets.h"

namespace gui {

namespace {

// A framework call, wrapped between its arguments: "f(a=1, b=(2, 2))" breaks
// only after a comma at the call's own level (never inside "(2, 2)", never
// before a comma). A line break in the text (", then\n y = …") stays one.
void call_text(const std::string& call, float indent) {
  size_t start = 0;
  while (start < call.size()) {
    size_t end = call.find('\n', start);
    if (end == std::string::npos) end = call.size();
    const std::string line = call.substr(start, end - start);
    std::vector<std::string> words;
    std::string word;
    int depth = 0;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '(' || c == '[') ++depth;
      if (c == ')' || c == ']') --depth;
      word += c;
      if (c == ',' && depth <= 1 && i + 1 < line.size() && line[i + 1] == ' ') {
        words.push_back(word);
        word.clear();
        ++i;  // the space after the comma becomes the break
      }
    }
    if (!word.empty()) words.push_back(word);
    text_wrapped_words(words, indent);
    start = end + 1;
  }
}

}  // namespace

void draw_formula_panel(App& app) {
  if (!ImGui::Begin("Formula", nullptr, kFixedPanel)) {
    ImGui::End();
    return;
  }
  const model::Pane& p = app.state.focused_pane();
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  // Everything wraps at the panel's right edge (at 1600×1000 these lines are wider than the panel).
  ImGui::PushTextWrapPos(0.0f);
  for (int axis = 0; axis < 2; ++axis) {
    const core::AxisFormula f = core::axis_formula(s, g, axis);
    if (axis == 0) ImGui::TextColored(kMutedColour, "%s", f.rule.c_str());
    const std::string head = std::string(axis == 0 ? "H: " : "W: ") + f.numbers;
    ImGui::TextWrapped("%s", head.c_str());
    // The pads/crops beside the numbers when both fit on one line, else below them.
    const std::string sides = "  " + f.sides;
    if (ImGui::CalcTextSize((head + sides).c_str()).x <= ImGui::GetContentRegionAvail().x) {
      ImGui::SameLine(0, 0);
      ImGui::TextColored(kMutedColour, "%s", sides.c_str());
    } else {
      ImGui::Indent();
      ImGui::TextColored(kMutedColour, "%s", f.sides.c_str());
      ImGui::Unindent();
    }
  }
  ImGui::TextWrapped("%s", core::step_count_text(s, g, p.order()).c_str());  // the pane's order: gather or scatter
  ImGui::PopTextWrapPos();
  ImGui::PushStyleColor(ImGuiCol_Text, kMutedColour);
  const float indent = 24 * app.content_scale;
  call_text(core::keras_call(s, g), indent);
  call_text(core::pytorch_call(s, g), indent);
  ImGui::PopStyleColor();
  // Complete runnable code for this pane (values, layouts, the call, a print): core/snippets.h.
  if (ImGui::SmallButton("Copy PyTorch code")) {
    app.guarded("copy the code", [&] {
      ImGui::SetClipboardText(core::pytorch_snippet(s).c_str());
      app.set_status("copied runnable PyTorch code for this pane", false);
    });
  }
  app.note_item("copy_pytorch");
  ImGui::SameLine();
  if (ImGui::SmallButton("Copy Keras code")) {
    app.guarded("copy the code", [&] {
      ImGui::SetClipboardText(core::keras_snippet(s).c_str());
      app.set_status("copied runnable Keras code for this pane", false);
    });
  }
  app.note_item("copy_keras");
  ImGui::End();
}

}  // namespace gui
