// round_trip_panel.cpp — the round trip: the input and what the transpose gives
// back, as two small heatmaps with their numbers, the shapes on the way and the
// conclusion. The two panes on the canvas show the arithmetic of each half.
#include "app/gui/panels/round_trip_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/render/colors.h"
#include "app/render/grid_renderer.h"
#include "core/format.h"

namespace gui {

namespace {

std::string dims(const core::Tensor& t) {
  return std::to_string(t.h) + "×" + std::to_string(t.w) + "×" + std::to_string(t.c);
}

// One channel of a grid as coloured squares (the canvas's diverging map), with
// numbers when the squares are big enough. `range`: the value at full colour.
void heatmap(const char* title, const core::Tensor& t, float range, float side) {
  ImGui::BeginGroup();
  ImGui::TextUnformatted(title);
  ImGui::TextColored(kMutedColour, "%s", dims(t).c_str());
  const float cell = std::clamp(side / static_cast<float>(std::max(t.h, t.w)), 3.0f, 40.0f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const bool numbers = cell >= 26;
  for (int64_t y = 0; y < t.h; ++y)
    for (int64_t x = 0; x < t.w; ++x) {
      const double v = t.at(y, x, 0);
      // ±inf (an overflowed sum) at full colour, NaN in the middle: render::diverging_rgb.
      const float u = static_cast<float>(v) / range;
      float rgb[3];
      render::diverging_rgb(std::isnan(u) ? 0.0f : u, rgb);
      const ImU32 col = ImGui::ColorConvertFloat4ToU32(ImVec4(rgb[0], rgb[1], rgb[2], 1.0f));
      const ImVec2 p0(at.x + static_cast<float>(x) * cell, at.y + static_cast<float>(y) * cell);
      const ImVec2 p1(p0.x + cell, p0.y + cell);
      dl->AddRectFilled(p0, p1, col);
      dl->AddRect(p0, p1, IM_COL32(90, 90, 100, 120));
      if (numbers) {
        const std::string s = core::format_short(v);
        const ImVec2 ts = ImGui::CalcTextSize(s.c_str());
        dl->AddText(ImVec2(p0.x + (cell - ts.x) / 2, p0.y + (cell - ts.y) / 2),
                    !(std::fabs(u) <= 0.6f) ? IM_COL32(255, 255, 255, 255) : IM_COL32(25, 25, 28, 255), s.c_str());
      }
    }
  ImGui::Dummy(ImVec2(cell * static_cast<float>(t.w), cell * static_cast<float>(t.h)));
  ImGui::EndGroup();
}

}  // namespace

void RoundTripPanel::start(App& app) {
  app.guarded("show the round trip", [&] {
    model::AppState& st = app.state;
    const int source = st.focused;
    model::RoundTrip rt = model::round_trip(st.focused_pane().scenario());
    std::string why;
    model::Pane transpose(rt.transpose);
    transpose.set_result_worker(st.focused_pane().result_worker());
    if (!st.add_pane(std::move(transpose), &why)) {
      app.set_status(why, true);
      return;
    }
    result = std::move(rt);
    source_pane = source;
    transpose_pane = static_cast<int>(st.panes.size()) - 1;
    open = true;
  });
}

void draw_round_trip_panel(App& app, RoundTripPanel& panel) {
  if (!ImGui::Begin("Round trip", &panel.open, kToolWindow) || !panel.result) {
    ImGui::End();
    return;
  }
  const model::RoundTrip& rt = *panel.result;
  const core::Spec& spec = rt.conv.spec;
  ImGui::TextWrapped("input %s → Conv2D %lld×%lld, strides %s, %s → %s → Conv2DTranspose, same kernel → %s",
                     dims(rt.conv.input).c_str(), static_cast<long long>(rt.conv.kernel.kh),
                     static_cast<long long>(rt.conv.kernel.kw), core::pair_text(spec.strides).c_str(),
                     core::padding_kind_name(spec.padding), dims(rt.output).c_str(), dims(rt.restored).c_str());
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(rt.output_padding_needed ? kErrorColour : kMutedColour, "%s", rt.output_padding_note.c_str());
  ImGui::PopTextWrapPos();
  app.note_item("round_trip_output_padding");
  ImGui::Separator();
  double range = 0;
  for (double v : rt.conv.input.values) range = std::max(range, std::fabs(v));
  for (double v : rt.restored.values) range = std::max(range, std::fabs(v));
  const float side = std::max(60.0f, (ImGui::GetContentRegionAvail().x - 24 * app.content_scale) / 2);
  heatmap("input x", rt.conv.input, static_cast<float>(range > 0 ? range : 1), side);
  ImGui::SameLine(0, 20 * app.content_scale);
  heatmap("convT(conv(x))", rt.restored, static_cast<float>(range > 0 ? range : 1), side);
  ImGui::Separator();
  if (rt.shape_restored)
    ImGui::TextColored(kOkColour, "shape restored: %s = %s", dims(rt.restored).c_str(), dims(rt.conv.input).c_str());
  else
    ImGui::TextColored(kErrorColour, "shape not restored: %s ≠ %s", dims(rt.restored).c_str(), dims(rt.conv.input).c_str());
  if (rt.shape_restored) ImGui::Text("largest difference |convT(conv(x)) − x| = %s", core::format_number(rt.max_difference).c_str());
  ImGui::PushTextWrapPos(0);
  ImGui::TextUnformatted((std::string("Conclusion: ") + model::kRoundTripConclusion + ".").c_str());
  ImGui::PopTextWrapPos();
  app.note_item("round_trip_conclusion");
  ImGui::End();
}

}  // namespace gui
