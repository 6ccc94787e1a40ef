// export_panel.h — the Export panel (Ctrl+E toggles it): the current frame as
// PNG, every frame as numbered PNGs, or an animated GIF, of the chosen panes.
//
// App owns one ExportPanel; the window calls draw_export_panel(app, panel,
// &open) every frame while app.state.view.export_panel is true. The panel
// draws its own ImGui window (title "Export") and sets *open = false to close.
// It drives an exporter::ExportJob (app/export/export_job.h, which knows no
// UI) with its own render::CanvasRenderer in the window's GL context, on the
// UI thread, a few milliseconds of frames per UI frame; the job's worker
// thread computes, encodes and writes. Errors show in red with the message
// the CLI prints; a folder holding other files asks before replacing its
// frame_*.png.
#pragma once

#include <memory>
#include <string>
#include <vector>

namespace exporter {
class ExportJob;
}
namespace render {
class CanvasRenderer;
}

namespace gui {

class App;

struct ExportPanel {
  enum What { current_png = 0, frames_png = 1, gif = 2 };

  ExportPanel();
  // Cancels an unfinished export and waits until its temporaries are gone.
  // Needs the window's GL context (the renderer's objects go with it).
  ~ExportPanel();
  ExportPanel(const ExportPanel&) = delete;
  ExportPanel& operator=(const ExportPanel&) = delete;

  int what = gif;
  int per = 1;  // exporter::Per: step, cell, key
  int delay_ms = 0;
  int scale = 1;
  bool title = true, arithmetic = true, formula = true, legend = true;
  std::vector<bool> panes;  // which panes to export (all by default)
  std::string path = "convscope.gif";
  bool path_edited = false;
  std::string message;
  bool message_error = false;
  bool confirm_replace = false;  // the frames folder holds other files: offer to replace only frame_*.png
  std::unique_ptr<exporter::ExportJob> job;
  std::unique_ptr<render::CanvasRenderer> canvas;  // the exporter's own renderer, made when the panel first opens
  bool renderer_failed = false;                     // …and could not be (start() says why)
  // The longest a UI frame spent in the export since it started (ms; for
  // --dump-state and tests): wall-clock, and this thread's CPU time (what a
  // busy machine's scheduler adds is not the export's doing).
  double longest_step_ms = 0, longest_step_cpu_ms = 0;
};

void draw_export_panel(App& app, ExportPanel& panel, bool* open);

}  // namespace gui
