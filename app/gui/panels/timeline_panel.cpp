// timeline_panel.cpp — play/pause, steps, cells, scrub, speed (shared by all panes).
#include <imgui.h>

#include <cmath>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"

namespace gui {

void draw_timeline_panel(App& app) {
  if (!ImGui::Begin("Timeline", nullptr, kFixedPanel | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar)) {
    ImGui::End();
    return;
  }
  model::AppState& st = app.state;
  model::Pane& p = st.focused_pane();
  const float s = app.content_scale;
  if (ImGui::Button("|<")) app.home_all();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("start (Home)");
  ImGui::SameLine();
  if (ImGui::Button("<<")) app.step_cells(-1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("previous cell (Shift+←)");
  ImGui::SameLine();
  if (ImGui::Button("<")) app.step_all(-1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("one step back (←)");
  ImGui::SameLine();
  if (ImGui::Button(st.playing ? "Pause" : "Play", ImVec2(64 * s, 0))) st.toggle_play();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("play / pause (Space)");
  ImGui::SameLine();
  if (ImGui::Button(">")) app.step_all(1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("one step (→)");
  ImGui::SameLine();
  if (ImGui::Button(">>")) app.step_cells(1);
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("next cell (Shift+→)");
  ImGui::SameLine();
  if (ImGui::Button(">|")) app.end_all();
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("end (End)");
  ImGui::SameLine();
  if (ImGui::Button("row <")) {
    st.playing = false;
    for (model::Pane& q : st.panes) q.step_row(-1);
  }
  ImGui::SameLine();
  if (ImGui::Button("row >")) {
    st.playing = false;
    for (model::Pane& q : st.panes) q.step_row(1);
  }
  ImGui::SameLine();
  ImGui::SetNextItemWidth(200 * s);
  float speed = static_cast<float>(st.speed);
  if (ImGui::SliderFloat("steps/s (+/−)", &speed, static_cast<float>(model::kMinSpeed), static_cast<float>(model::kMaxSpeed),
                         "%.1f", ImGuiSliderFlags_Logarithmic))
    st.set_speed(speed);

  // Scrub over all steps of the focused pane.
  // Shown as steps done (0 … count), like the canvas title.
  int64_t done = p.cursor() + 1;
  const int64_t lo = 0, hi = p.trace().count();
  ImGui::SetNextItemWidth(-330 * s);
  const std::string fmt = "step %lld / " + std::to_string(p.trace().count());
  if (ImGui::SliderScalar("##scrub", ImGuiDataType_S64, &done, &lo, &hi, fmt.c_str())) {
    st.playing = false;
    p.set_cursor(done - 1);
  }
  ImGui::SameLine();
  const int64_t unit = p.current_unit();
  const bool conv = p.scenario().spec.op == core::Op::conv2d;
  ImGui::Text("pane %d · %s %lld of %lld", st.focused + 1, conv ? "output cell" : "input cell",
              static_cast<long long>(unit + 1), static_cast<long long>(p.trace().unit_count()));
  ImGui::End();
}

}  // namespace gui
