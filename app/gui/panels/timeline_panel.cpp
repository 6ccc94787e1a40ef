// timeline_panel.cpp — play/pause, steps, cells, scrub, speed (shared by all panes).
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "app/model/arithmetic_text.h"

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
  if (ImGui::Button(st.playing ? "Pause" : "Play", ImVec2(64 * s, 0))) app.lessons.toggle_play(st);
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
  // A transpose walked either way: its scatter, or conv_arithmetic's gather
  // (one output cell at a time over the zero-inserted input). Shown for the focused pane.
  if (core::is_transpose(p.scenario().spec.op)) {
    ImGui::SameLine();
    ImGui::TextUnformatted("order:");
    for (const core::TraceOrder o : {core::TraceOrder::scatter, core::TraceOrder::gather}) {
      ImGui::SameLine();
      if (ImGui::RadioButton(core::trace_order_name(o), p.order() == o)) p.set_order(o);
      app.note_item(o == core::TraceOrder::scatter ? "timeline.order.scatter" : "timeline.order.gather");
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip(o == core::TraceOrder::scatter ? "input cell by input cell, each stamping the kernel"
                                                         : "output cell by output cell: the window of the equivalent "
                                                           "convolution over the zero-inserted input");
    }
  }

  // One timeline: the scrub bar sets every pane to the same step number, each
  // clamped to its own last step (as --step N and the keys do), over −1 (before
  // the first step) … the longest pane's last step — the numbers of the CLI's
  // trace and --step. The text stands beside the slider, where the grab cannot cover it.
  int64_t cursor = p.cursor();
  int64_t hi = 0;
  for (const model::Pane& q : st.panes) hi = std::max(hi, q.trace().count() - 1);
  const int64_t lo = -1;
  const std::string unit = model::unit_text(p.trace(), p.cursor());
  const std::string where = model::step_position_text(p.cursor(), p.trace().count()) + " · pane " +
                            std::to_string(st.focused + 1) + (unit.empty() ? "" : " · " + unit);
  // Room for the longest text ("bias steps …") so the slider does not jump as it changes.
  const float text_w = std::max(ImGui::CalcTextSize(where.c_str()).x, 430 * s);
  ImGui::SetNextItemWidth(std::max(120 * s, ImGui::GetContentRegionAvail().x - text_w - ImGui::GetStyle().ItemSpacing.x));
  if (ImGui::SliderScalar("##scrub", ImGuiDataType_S64, &cursor, &lo, &hi, "")) {
    st.playing = false;
    st.set_all_cursors(cursor);
  }
  app.note_item("timeline.scrub");
  ImGui::SameLine();
  ImGui::TextUnformatted(where.c_str());
  ImGui::End();
}

}  // namespace gui
