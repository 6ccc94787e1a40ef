// panel_style.h — what the fixed panels share: window flags and status-text colours.
#pragma once

#include <imgui.h>

#include <string>
#include <vector>

namespace gui {

// Panels tile the window; App places them each frame.
constexpr ImGuiWindowFlags kFixedPanel = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus;

// Tool windows (presets, conv matrix, export): in the window's side column, closable, not movable.
constexpr ImGuiWindowFlags kToolWindow = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse |
                                         ImGuiWindowFlags_NoSavedSettings;

inline const ImVec4 kErrorColour(0.86f, 0.16f, 0.16f, 1.0f);
inline const ImVec4 kOkColour(0.15f, 0.55f, 0.25f, 1.0f);
inline const ImVec4 kMutedColour(0.45f, 0.46f, 0.50f, 1.0f);

// Before a button that may follow on the same line: stays on it when the
// button fits before the panel's right edge, else the button starts a new line
// (a narrow side column at 1024 px cut "Remove" to "Remo").
// Button and SmallButton are equally wide (they differ in height only).
inline void same_line_if_fits(const char* next_label) {
  const ImGuiStyle& style = ImGui::GetStyle();
  const float w = ImGui::CalcTextSize(next_label, nullptr, true).x + 2 * style.FramePadding.x;
  const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
  if (ImGui::GetItemRectMax().x + style.ItemSpacing.x + w <= right) ImGui::SameLine();
}

// Words joined by spaces, wrapped at the panel's right edge only between words
// (ImGui's own wrap also breaks after a comma, i.e. inside "x[1,0]"). A word
// wider than the panel gets a line of its own. Continuation lines are indented.
inline void text_wrapped_words(const std::vector<std::string>& words, float indent = 0) {
  const float right = ImGui::GetContentRegionAvail().x;
  std::string text, line;
  for (const std::string& w : words) {
    const std::string candidate = line.empty() ? w : line + " " + w;
    const float lead = text.empty() ? 0 : indent;
    if (!line.empty() && lead + ImGui::CalcTextSize(candidate.c_str()).x > right) {
      text += line + "\n";
      line = w;
    } else {
      line = candidate;
    }
  }
  text += line;
  // Indent by spaces after each break: TextUnformatted has no hanging indent.
  if (indent > 0) {
    const float space = ImGui::CalcTextSize(" ").x;
    const std::string pad(static_cast<size_t>(indent / (space > 0 ? space : 1) + 0.5f), ' ');
    std::string out;
    for (char c : text) {
      out += c;
      if (c == '\n') out += pad;
    }
    text = out;
  }
  ImGui::TextUnformatted(text.c_str());
}

}  // namespace gui
