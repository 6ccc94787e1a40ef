// presets_panel.cpp — the scenarios in assets/presets/, opened in the focused pane or a new one.
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "core/errors.h"

namespace gui {

void draw_presets_panel(App& app) {
  static std::vector<std::pair<std::string, std::string>> presets;  // (path, title)
  static std::string listed_dir;
  if (listed_dir != app.presets_dir()) {
    listed_dir = app.presets_dir();
    presets.clear();
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(listed_dir, ec)) {
      if (e.path().extension() != ".json") continue;
      std::string title = e.path().stem().string();
      try {
        const core::Scenario s = core::load_scenario(e.path().string());
        if (!s.name.empty()) title = s.name;
      } catch (const core::Error&) {
        continue;
      }
      presets.emplace_back(e.path().string(), title);
    }
    std::sort(presets.begin(), presets.end());
  }
  // Placed by the window in its side column (App::place_tool_window): never over the controls or the canvas.
  if (!ImGui::Begin("Presets", &app.state.view.presets, kToolWindow)) {
    ImGui::End();
    return;
  }
  for (size_t i = 0; i < presets.size(); ++i) {
    ImGui::PushID(static_cast<int>(i));
    if (ImGui::SmallButton("open")) app.load_preset(presets[i].first, false);
    ImGui::SameLine();
    if (ImGui::SmallButton("new pane")) app.load_preset(presets[i].first, true);
    ImGui::SameLine();
    ImGui::TextUnformatted(presets[i].second.c_str());
    ImGui::PopID();
  }
  ImGui::End();
}

}  // namespace gui
