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
    // Space: play/pause on release, so that Space held with a drag can pan instead.
    if (k.key == GLFW_KEY_SPACE) {
      if (!k.release) {
        app.space_held = true;
        app.panned_with_space = false;
      } else {
        if (app.space_held && !app.panned_with_space && !ImGui::IsAnyItemActive()) st.toggle_play();
        app.space_held = false;
      }
      continue;
    }
    if (k.release) continue;
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
        // Text size: Ctrl+= (or Ctrl++ / keypad +) larger, Ctrl+- smaller, Ctrl+0 back to 1.
        case GLFW_KEY_EQUAL:
        case GLFW_KEY_KP_ADD: st.text_larger(); break;
        case GLFW_KEY_MINUS:
        case GLFW_KEY_KP_SUBTRACT: st.text_smaller(); break;
        case GLFW_KEY_0:
        case GLFW_KEY_KP_0: st.text_reset(); break;
        default: break;
      }
      continue;
    }
    if (ImGui::IsAnyItemActive()) continue;  // a slider or field being used keeps its keys
    switch (k.key) {
      case GLFW_KEY_RIGHT: shift ? app.step_cells(1) : app.step_all(1); break;
      case GLFW_KEY_LEFT: shift ? app.step_cells(-1) : app.step_all(-1); break;
      case GLFW_KEY_HOME: app.home_all(); break;
      case GLFW_KEY_END: app.end_all(); break;
      case GLFW_KEY_KP_ADD: st.faster(); break;
      case GLFW_KEY_KP_SUBTRACT: st.slower(); break;
      // Zoom: F fits the focused pane's grids again, G follows the current step.
      case GLFW_KEY_F: {
        model::Pane& p = st.focused_pane();
        p.zoom = 1.0f;
        p.center_x = p.center_y = 0.5f;
        p.follow_step = false;
        break;
      }
      case GLFW_KEY_G: {
        model::Pane& p = st.focused_pane();
        p.follow_step = !p.follow_step;
        app.set_status(p.follow_step ? "zoom follows the current step (G again to stop)" : "zoom stays where it is", false);
        break;
      }
      default: break;
    }
  }
  // Characters: + and − as typed (any layout), or the start of a cell value.
  if (io.KeyCtrl) return;  // Ctrl+= and Ctrl+- are the text size, not the speed
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
