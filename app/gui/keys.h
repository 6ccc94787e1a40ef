// keys.h — the keyboard shortcuts of the window.
//
//   Space play/pause · ←/→ one step · Shift+←/→ one cell · Home/End
//   +/− speed ×2/÷2 · Ctrl+Z undo (also a pane's removal) · Ctrl+Shift+Z (or Ctrl+Y) redo
//   Ctrl+O open · Ctrl+S save · Ctrl+E export · Ctrl+Q quit
//   Ctrl+= / Ctrl+- / Ctrl+0 text size · F fit the zoom · G zoom follows the step
//   (wheel zooms at the pointer; middle button or Space + drag pans: canvas_panel.cpp)
//   a digit, '-' or '.' with a cell selected: type its new value
// While a text field has the keyboard, plain keys are the field's; the Ctrl
// shortcuts still work (in a path field Ctrl+Z/Y stay the field's own text
// undo). A shortcut pressed in the cell editor closes it, dropping what was
// typed, and then acts: Ctrl+Z undoes the last edit, Ctrl+Q quits.
#pragma once

namespace gui {

class App;
void handle_keys(App& app);

}  // namespace gui
