// channels_controls.cpp — the channel structure of the focused pane, in the
// Controls panel: its groups, and how its channels are drawn.
#include <imgui.h>

#include <numeric>
#include <string>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "app/render/volume_layout.h"

namespace gui {

// Only the groups the framework accepts are offered: the divisors of both C_in
// and F (a transposed convolution's with the PyTorch convention only: Keras'
// Conv2DTranspose has no groups). A depthwise op's groups are its channels.
void draw_groups_control(App& app, model::Pane& p) {
  const core::Scenario& sc = p.scenario();
  if (sc.spec.op == core::Op::depthwise_conv2d) {
    ImGui::TextDisabled("groups = C_in = %lld (depthwise)", static_cast<long long>(sc.input.c));
    return;
  }
  if (sc.spec.op == core::Op::conv2d_transpose && sc.spec.convention == core::Convention::keras) {
    ImGui::TextDisabled("groups: PyTorch only for Conv2DTranspose");
    return;
  }
  const int64_t common = std::gcd(sc.input.c, sc.filters());
  const std::string now = std::to_string(sc.spec.groups);
  if (ImGui::BeginCombo("groups", now.c_str())) {
    for (int64_t g = 1; g <= common; ++g) {
      if (common % g != 0) continue;
      const std::string label = std::to_string(g) + (g == 1 ? "" : "  (" + std::to_string(sc.input.c / g) + " channels → " +
                                                                       std::to_string(sc.filters() / g) + " filters each)");
      if (ImGui::Selectable(label.c_str(), g == sc.spec.groups)) {
        if (!p.set_groups(g)) app.error_control = "groups";
        else if (app.error_control == "groups") app.error_control.clear();
      }
    }
    ImGui::EndCombo();
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("Filter f reads only the input channels of its group (PyTorch groups=, Keras groups=)");
  if (app.error_control == "groups" && !p.error().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", p.error().c_str());
    ImGui::PopStyleColor();
  }
}

void draw_channel_view_toggles(model::Pane& p) {
  ImGui::Checkbox("volume view", &p.volume_view);
  if (ImGui::IsItemHovered())
    ImGui::SetTooltip("Input, filters and output as stacks of channel slices; the current slices pulled out with "
                      "their numbers, the sum over channels spelled out");
  ImGui::SameLine();
  ImGui::BeginDisabled(p.volume_view);
  ImGui::Checkbox("show all channels", &p.all_channels);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("Every input channel side by side, with the current filter's weight slices");
  if ((p.volume_view || p.all_channels) && !render::shows_volume(p, render::CanvasOptions{}))
    ImGui::TextDisabled("too many channels or cells for volumes: the slice view stays (at most %lld slices a stack, "
                        "%lld cells a side)",
                        static_cast<long long>(render::kMaxVolumeStack), static_cast<long long>(render::kMaxVolumeSide));
}

}  // namespace gui
