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

// Characters typed while the cell editor's field does not have the keyboard yet
// (or, with `always`, also when it has: the field would see them only after Enter
// has been handled).
void feed_cell_editor(App& app, ImGuiIO& io, bool always) {
  CellEditor& e = app.editor;
  if (!e.open || (e.active && !always)) return;
  std::string typed;
  take_typed_characters(io, 0, typed);
  if (typed.empty()) return;
  // A double-clicked value is replaced by what is typed (the field would select it all).
  if (!e.active && !e.caret_to_end) e.text.clear();
  e.text += typed;
  e.caret_to_end = true;
}

}  // namespace

void handle_keys(App& app) {
  ImGuiIO& io = ImGui::GetIO();
  std::vector<App::KeyPress> presses;
  presses.swap(app.key_presses);
  model::AppState& st = app.state;
  // A value typed with a cell selected opens the cell editor — before the keys are
  // handled. (The window's key queue never hands characters to the frame of a
  // click, so a click and the value typed after it come in that order.)
  if (!app.editor.open && !io.WantTextInput && !io.KeyCtrl && io.InputQueueCharacters.Size > 0 && app.selected &&
      app.selected_pane >= 0) {
    for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
      const ImWchar c = io.InputQueueCharacters[i];
      if ((c >= '0' && c <= '9') || c == '-' || c == '.') {
        std::string text;
        take_typed_characters(io, i, text);  // this one and any typed after it
        app.start_cell_value(std::move(text));
        break;
      }
    }
  }
  for (const App::KeyPress& k : presses) {
    const bool typing = io.WantTextInput || app.editor.open;
    // Space: play/pause on release, so that Space held with a drag can pan instead.
    if (k.key == GLFW_KEY_SPACE) {
      if (typing) {
        app.space_held = false;
      } else if (!k.release) {
        app.space_held = true;
        app.panned_with_space = false;
      } else {
        if (app.space_held && !app.panned_with_space && !ImGui::IsAnyItemActive()) app.lessons.toggle_play(st);
        app.space_held = false;
      }
      continue;
    }
    if (k.release) continue;
    const bool ctrl = (k.mods & GLFW_MOD_CONTROL) != 0, shift = (k.mods & GLFW_MOD_SHIFT) != 0;
    if (app.editor.open && (k.key == GLFW_KEY_ENTER || k.key == GLFW_KEY_KP_ENTER)) {
      feed_cell_editor(app, io, true);
      app.commit_cell_editor();
      continue;
    }
    if (app.editor.open && k.key == GLFW_KEY_ESCAPE) {
      app.editor.open = false;
      io.InputQueueCharacters.resize(0);
      continue;
    }
    // Lessons: F5 presents, Esc leaves; PageDown/PageUp (what a clicker sends) change
    // slides, and so do →/← in presenter mode only (else they keep stepping).
    if (k.key == GLFW_KEY_F5) {
      app.set_presenter(!app.lessons.presenter);
      continue;
    }
    if (k.key == GLFW_KEY_ESCAPE && app.lessons.presenter) {
      app.set_presenter(false);
      continue;
    }
    if (!ctrl && !typing && (k.key == GLFW_KEY_PAGE_DOWN || k.key == GLFW_KEY_PAGE_UP ||
                             (app.lessons.presenter && (k.key == GLFW_KEY_RIGHT || k.key == GLFW_KEY_LEFT)))) {
      const bool forward = k.key == GLFW_KEY_PAGE_DOWN || k.key == GLFW_KEY_RIGHT;
      app.guarded("change the slide", [&] { forward ? app.lessons.next(st) : app.lessons.previous(st); });
      continue;
    }
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
    if (typing || ImGui::IsAnyItemActive()) continue;  // a field, slider or drag keeps its keys
    switch (k.key) {
      case GLFW_KEY_RIGHT: shift ? app.step_cells(1) : app.step_all(1); break;
      case GLFW_KEY_LEFT: shift ? app.step_cells(-1) : app.step_all(-1); break;
      case GLFW_KEY_HOME: app.home_all(); break;
      case GLFW_KEY_P:  // pin the hover links (for a screenshot or a class), or let them follow the pointer again
        if (st.hover.target.kind != model::HoverKind::none || st.hover.pinned) st.hover.pinned = !st.hover.pinned;
        break;
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
      // V: the focused pane's volume view on or off (channels as stacked slices).
      case GLFW_KEY_V: {
        model::Pane& p = st.focused_pane();
        p.volume_view = !p.volume_view;
        break;
      }
      default: break;
    }
  }
  feed_cell_editor(app, io, false);
  if (io.WantTextInput || app.editor.open) return;
  if (io.KeyCtrl) return;  // Ctrl+= and Ctrl+- are the text size, not the speed
  // Characters: + and − as typed (any layout) change the speed.
  for (int i = 0; i < io.InputQueueCharacters.Size; ++i) {
    const ImWchar c = io.InputQueueCharacters[i];
    if (c == '+' || c == '=') st.faster();
    if (c == '-' || c == '_') st.slower();
  }
}

}  // namespace gui
