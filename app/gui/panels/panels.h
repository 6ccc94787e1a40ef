// panels.h — one function per panel, each in its own file, each reading the
// App and applying edits through its named calls.
#pragma once

namespace gui {

class App;
}  // namespace gui
namespace model {
class Pane;
}  // namespace model
namespace gui {

void draw_menu_bar(App& app);           // menu_bar.cpp: File, View, Panes
void draw_controls_panel(App& app);     // controls_panel.cpp: op, convention, shapes, parameters, fills, image
// channels_controls.cpp (inside the Controls panel): groups offered as the
// divisors of C_in and F; the volume view and "show all channels" toggles.
void draw_groups_control(App& app, model::Pane& p);
void draw_channel_view_toggles(model::Pane& p);
void draw_canvas_panel(App& app);       // canvas_panel.cpp: the rendered canvas, hover, click, cell editor
void draw_timeline_panel(App& app);     // timeline_panel.cpp: play/pause, steps, scrub, speed
void draw_arithmetic_panel(App& app);   // arithmetic_panel.cpp: the whole sum of the current cell
void draw_formula_panel(App& app);      // formula_panel.cpp: formulas, step count, Keras/PyTorch calls
void draw_presets_panel(App& app);      // presets_panel.cpp: assets/presets/*.json
void draw_file_dialog(App& app);        // file_panel.cpp: Open/Save path field (Ctrl+O / Ctrl+S)
void draw_matrix_panel(App& app);       // matrix_panel.cpp: the conv as a sparse matrix C (row/col of the step)

}  // namespace gui
