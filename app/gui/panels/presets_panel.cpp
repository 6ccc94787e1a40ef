// presets_panel.cpp — the scenarios in assets/presets/, opened in the focused pane or a new one.
//
// A preset of several panes (depthwise separable = depthwise + 1×1) is a
// `NAME.panes` file beside the scenarios: {"name": "…", "panes": ["a.json",
// "b.json"]}, file names relative to it. "open" puts the first into the
// focused pane and adds the others; "new pane" adds them all.
#include <imgui.h>

#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "core/errors.h"

namespace gui {

void draw_presets_panel(App& app) {
  static std::vector<std::pair<std::string, std::string>> presets;  // (path, title)
  static std::vector<std::pair<std::string, std::vector<std::string>>> pane_sets;  // (title, paths)
  static std::string listed_dir;
  if (listed_dir != app.presets_dir()) {
    listed_dir = app.presets_dir();
    presets.clear();
    pane_sets.clear();
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(listed_dir, ec)) {
      if (e.path().extension() == ".panes") {
        try {
          const nlohmann::json j = nlohmann::json::parse(core::read_text_file(e.path().string(), 1 << 16));
          std::string title = j.at("name").get<std::string>();
          std::vector<std::string> files;
          for (const auto& f : j.at("panes")) files.push_back((e.path().parent_path() / f.get<std::string>()).string());
          if (files.empty()) continue;
          pane_sets.emplace_back(title, files);
        } catch (const std::exception&) {
          continue;  // not a list of panes: not offered
        }
        continue;
      }
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
  for (size_t i = 0; i < pane_sets.size(); ++i) {
    ImGui::PushID(static_cast<int>(presets.size() + i));
    const std::vector<std::string>& files = pane_sets[i].second;
    if (ImGui::SmallButton("open"))
      for (size_t k = 0; k < files.size(); ++k) app.load_preset(files[k], k > 0);
    ImGui::SameLine();
    if (ImGui::SmallButton("new pane"))
      for (const std::string& f : files) app.load_preset(f, true);
    ImGui::SameLine();
    ImGui::TextUnformatted(pane_sets[i].first.c_str());
    ImGui::PopID();
  }
  ImGui::End();
}

}  // namespace gui
