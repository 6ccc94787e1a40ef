// formula_panel.cpp — the output-length formula per axis with the numbers put
// in, pads/crops per side, the step count and the equivalent framework calls.
#include <imgui.h>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "core/explain.h"

namespace gui {

void draw_formula_panel(App& app) {
  if (!ImGui::Begin("Formula", nullptr, kFixedPanel)) {
    ImGui::End();
    return;
  }
  const model::Pane& p = app.state.focused_pane();
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  for (int axis = 0; axis < 2; ++axis) {
    const core::AxisFormula f = core::axis_formula(s, g, axis);
    if (axis == 0) ImGui::TextColored(kMutedColour, "%s", f.rule.c_str());
    ImGui::Text("%s: %s", axis == 0 ? "H" : "W", f.numbers.c_str());
    ImGui::SameLine();
    ImGui::TextColored(kMutedColour, "  %s", f.sides.c_str());
  }
  ImGui::TextUnformatted(core::step_count_text(s, g).c_str());
  ImGui::PushStyleColor(ImGuiCol_Text, kMutedColour);
  ImGui::TextWrapped("%s", core::keras_call(s, g).c_str());
  ImGui::TextWrapped("%s", core::pytorch_call(s, g).c_str());
  ImGui::PopStyleColor();
  ImGui::End();
}

}  // namespace gui
