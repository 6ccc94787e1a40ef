// file_panel.cpp — Open / Save the focused pane's scenario JSON (Ctrl+O / Ctrl+S).
//
// Save proposes the user's data folder for a preset (App::default_save_path),
// refuses the program's own files, and never replaces an existing file on one
// keystroke: it asks first, and only the "Replace" button confirms.
#include <imgui.h>
#include <imgui_stdlib.h>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"

namespace gui {

void draw_file_dialog(App& app) {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + vp->WorkSize.x / 2, vp->WorkPos.y + vp->WorkSize.y / 3), ImGuiCond_Appearing,
                          ImVec2(0.5f, 0.5f));
  ImGui::SetNextWindowSize(ImVec2(560 * app.content_scale, 0));
  const char* title = app.file_dialog_save ? "Save scenario###file" : "Open scenario###file";
  if (!ImGui::Begin(title, &app.file_dialog, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings)) {
    ImGui::End();
    return;
  }
  ImGui::TextUnformatted(app.file_dialog_save ? "Write the focused pane's scenario (the CLI's JSON format) to:"
                                              : "Read a scenario JSON into the focused pane:");
  if (ImGui::IsWindowAppearing()) ImGui::SetKeyboardFocusHere();
  ImGui::SetNextItemWidth(-1);
  const bool enter = ImGui::InputTextWithHint("##path", "path/to/scenario.json", &app.file_path, ImGuiInputTextFlags_EnterReturnsTrue);
  app.note_item("file.path");
  // A different path than the one the question was about: the question is void.
  if (!app.confirm_overwrite.empty() && app.confirm_overwrite != app.file_path) app.confirm_overwrite.clear();
  const bool asking = app.file_dialog_save && !app.confirm_overwrite.empty();
  if (asking) {
    ImGui::TextColored(kErrorColour, "%s exists. Replace it?", app.file_path.c_str());
    if (ImGui::Button("Replace")) app.save_file(app.file_path, true);
    app.note_item("file.replace");
    ImGui::SameLine();
    if (ImGui::Button("Keep it")) app.confirm_overwrite.clear();
    app.note_item("file.keep");
    if (!app.status_error && app.confirm_overwrite.empty() && !app.status.empty()) app.file_dialog = false;
  } else {
    // Enter is the dialog's default button also before the path field has the
    // keyboard (it takes it a frame after the dialog appears).
    const bool enter_key = ImGui::IsWindowFocused(ImGuiFocusedFlags_RootAndChildWindows) &&
                           ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Enter), false) && !ImGui::IsAnyItemActive();
    if (ImGui::Button(app.file_dialog_save ? "Save" : "Open") || enter || enter_key) {
      if (app.file_dialog_save)
        app.save_file(app.file_path);
      else
        app.open_file(app.file_path);
      // Closes when done; stays for an error or for the question about an existing file.
      if (!app.status_error && app.confirm_overwrite.empty()) app.file_dialog = false;
    }
    app.note_item("file.ok");
  }
  ImGui::SameLine();
  if (ImGui::Button("Cancel") || ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape))) {
    app.file_dialog = false;
    app.confirm_overwrite.clear();
  }
  if (app.status_error && !app.status.empty()) ImGui::TextColored(kErrorColour, "%s", app.status.c_str());
  ImGui::End();
}

}  // namespace gui
