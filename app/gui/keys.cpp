#include "app/gui/keys.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/gui/app.h"

namespace gui {

void handle_keys(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  std::vector<App::KeyPress> presses;
  presses.swap(app.key_presses);
  if (io.WantTextInput || app.editor.open) return;
  model::AppState& st = app.state;
  for (const App::KeyPress& k : presses) {
    const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0, shift = (k.mods & GLFW_MOD_SHIFT) != 0;
    if (ctrl) {
      switch (k.key) {
        case GLFW_KEY_Z: {
          model::Pane& p = st.focused_pane();
          if (shift ? p.redo() : p.undo()) app.set_status(shift ? "redo" : "undo", false);
          break;
        }
        case GLFW_KEY_Y:
          if (st.focused_pane().redo()) app.set_status("redo", false);
          break;
        case GLFW_KEY_O:
          app.file_dialog = true;
          app.file_dialog_save = false;
          break;
        case GLFW_KEY_S:
          app.file_dialog = true;
          app.file_dialog_save = true;
          break;
        case GLFW_KEY_E: st.view.export_panel = !st.view.export_panel; break;
        case GLFW_KEY_Q: app.quit = true; break;
        default: break;
      }
      continue;
    }
    if (ImGui::IsAnyItemActive()) continue;  // a slider or field being used keeps its keys
    switch (k.key) {
      case GLFW_KEY_SPACE: st.toggle_play(); break;
      case GLFW_KEY_RIGHT: shift ? app.step_cells(1) : app.step_all(1); break;
      case GLFW_KEY_LEFT: shift ? app.step_cells(-1) : app.step_all(-1); break;
      case GLFW_KEY_HOME: app.home_all(); break;
      case GLFW_KEY_END: app.end_all(); break;
      case GLFW_KEY_KP_ADD: st.faster(); break;
      case GLFW_KEY_KP_SUBTRACT: st.slower(); break;
      default: break;
    }
  }
  // Characters: + and − as typed (any layout), or the start of a cell value.
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar c = io.InputQueueCharacters[i];
    if (app.selected && app.selected_pane >= 0 && ((c >= '0' && c <= '9') || c == '-' || c == '.')) {
      app.editor = CellEditor{true, true, app.selected_pane, *app.selected, std::string(1, static_cast<char>(c)), 0, 0};
      break;
    }
    if (c == '+' || c == '=') st.faster();
    if (c == '-' || c == '_') st.slower();
  }
}

}  // namespace gui
