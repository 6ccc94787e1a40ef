// panel_style.h — what the fixed panels share: window flags and status-text colours.
#pragma once

#include <imgui.h>

namespace gui {

// Panels tile the window; App places them each frame.
constexpr ImGuiWindowFlags kFixedPanel = ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                                         ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings |
                                         ImGuiWindowFlags_NoBringToFrontOnFocus;

inline const ImVec4 kErrorColour(0.86f, 0.16f, 0.16f, 1.0f);
inline const ImVec4 kOkColour(0.15f, 0.55f, 0.25f, 1.0f);
inline const ImVec4 kMutedColour(0.45f, 0.46f, 0.50f, 1.0f);

}  // namespace gui
