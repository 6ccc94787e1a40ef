// export_panel.h — the Export panel (Ctrl+E toggles it), supplied by app/export/.
//
// The window calls draw_export_panel(app, &open) every frame while
// app.state.view.export_panel is true; the panel draws its own ImGui window
// (title "Export") and sets *open = false to close. It renders frames with its
// own render::CanvasRenderer (or app.canvas, the window's one, on the UI
// thread) from app.state's panes and must not block the UI thread.
// Defined in app/export/export_panel.cpp (the exporter's library), not here
// with the other panels, because it drives an export job.
#pragma once

namespace gui {

class App;

void draw_export_panel(App& app, bool* open);

}  // namespace gui
