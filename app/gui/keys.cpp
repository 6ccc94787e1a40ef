#include "app/gui/keys.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include "app/gui/app.h"

namespace gui {

namespace {

// Moves the characters typed this frame, from index `from` on, into `text`
// (printable ASCII: what a number is written with; the rest is dropped).
void take_typed_characters(ImGuiIO& io, int from, std::string& text) {
  for (int i = from; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar c = io.InputQueueCharacters[i];
    if (c >= 0x20 && c < 0x7f) text += static_cast<char>(c);
  }
  io.InputQueueCharacters.resize(0);
}

}  // namespace

void handle_keys(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  std::vector<App::KeyPress> presses;
  presses.swap(app.key_presses);
  model::AppState& st = app.state;
  for (const App::KeyPress& k : presses) {
    const bool typing = io.WantTextInput || app.editor.open;
    const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0, shift = (k.mods & GLFW_MOD_SHIFT) != 0;
    if (ctrl) {
      const bool text_undo = k.key == GLFW_KEY_Z || k.key == GLFW_KEY_Y;
      if (typing && text_undo && !app.editor.open) continue;  // a path field's own undo
      switch (k.key) {
        case GLFW_KEY_Z: case GLFW_KEY_Y: case GLFW_KEY_O: case GLFW_KEY_S: case GLFW_KEY_E: case GLFW_KEY_Q:
          app.editor.open = false;  // the shortcut wins over a half-typed cell value
          break;
        default: break;
      }
      switch (k.key) {
        case GLFW_KEY_Z: shift ? app.redo() : app.undo(); break;
        case GLFW_KEY_Y: app.redo(); break;
        case GLFW_KEY_O: app.show_file_dialog(false); break;
        case GLFW_KEY_S: app.show_file_dialog(true); break;
        case GLFW_KEY_E: st.view.export_panel = !st.view.export_panel; break;
        case GLFW_KEY_Q: app.quit = true; break;
        default: break;
      }
      continue;
    }
    if (typing || ImGui::IsAnyItemActive()) continue;  // a field, slider or drag keeps its keys
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
  if (app.editor.open && !app.editor.active) {
    std::string typed;
    take_typed_characters(io, 0, typed);
    if (!typed.empty()) {
      // A double-clicked value is replaced by what is typed (the field would select it all).
      if (!app.editor.caret_to_end) app.editor.text.clear();
      app.editor.text += typed;
      app.editor.caret_to_end = true;
    }
    return;
  }
  if (io.WantTextInput || app.editor.open) return;
  // Characters: + and − as typed (any layout), or the start of a cell value.
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar c = io.InputQueueCharacters[i];
    if (app.selected && app.selected_pane >= 0 && ((c >= '0' && c <= '9') || c == '-' || c == '.')) {
      app.editor = CellEditor{true, true, app.selected_pane, *app.selected, {}, {}, 0, 0, true, false};
      take_typed_characters(io, i, app.editor.text);  // this one and any typed after it in the same poll
      break;
    }
    if (c == '+' || c == '=') st.faster();
    if (c == '-' || c == '_') st.slower();
  }
}

}  // namespace gui
