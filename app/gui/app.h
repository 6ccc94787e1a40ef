// app.h — the desktop app: owns the AppState and builds the UI each frame.
//
// App is what every panel reads and edits (see panels/panels.h). It holds
// the model (AppState), the canvas renderer, the window-only state (selected
// cell, the cell editor, the file dialog's path, the status line) and the
// content scale. window.cpp owns the GLFW window and calls frame() once per
// loop iteration, between ImGui::NewFrame() and ImGui::Render().
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/panels/export_panel.h"
#include "app/model/app_state.h"
#include "app/model/window_layout.h"
#include "app/render/canvas_renderer.h"

namespace gui {

struct CellEditor {
  bool open = false;
  bool focus = false;       // give the text field the keyboard on its first frame
  int pane = 0;
  model::ValueRef ref;
  std::string text;
  float x = 0, y = 0;       // screen position
};

class App {
 public:
  App(model::AppState state, float content_scale, std::string resource_dir);

  model::AppState state;
  render::CanvasRenderer* canvas = nullptr;  // set by the window after GL is up
  float content_scale = 1.0f;
  std::string resource_dir;

  // Window-only state.
  std::optional<model::ValueRef> selected;  // of the focused pane
  int selected_pane = -1;
  CellEditor editor;
  std::string file_path;       // the Open/Save path field
  bool file_dialog = false;    // Ctrl+O / Ctrl+S popup
  bool file_dialog_save = false;
  std::string image_path;      // the image to load as input
  bool image_colour = false;
  std::string status;          // last action's message (green) or error (red)
  std::string error_control;   // the control whose edit the core rejected (its message shows next to it)
  bool status_error = false;
  bool quit = false;           // Ctrl+Q
  // Key presses (and repeats) since the last frame, from the window's GLFW
  // callback: ImGui 1.86 only sees key *state*, which loses a press and release
  // that arrive in one poll (fast typists, xdotool).
  struct KeyPress {
    int key = 0, mods = 0;
    bool release = false;  // Space only: play/pause toggles when it is let go, unless it panned
  };
  bool space_held = false;         // Space is down (held with a drag it pans the grids)
  bool panned_with_space = false;  // this hold of Space dragged the grids: no play/pause
  std::vector<KeyPress> key_presses;
  bool show_hover = true;      // off for --screenshot (the pointer sits on the canvas)
  // The right-hand column the tool windows (presets, conv matrix, export) share this frame.
  model::Rect side;
  // Places the next tool window in the side column: `share` of its height from `from` (0 … 1).
  void place_tool_window(float from, float share) const;
  // Screen rectangle where the canvas image was drawn in the last frame.
  float canvas_x = 0, canvas_y = 0, canvas_w = 0, canvas_h = 0;
  // For --dump-state (tests find widgets and the export's outcome there):
  // screen rectangles of the named widgets drawn this frame (note_item), and
  // the Export panel's state. Both are reset at the start of every frame.
  struct WidgetRect {
    std::string name;
    float x = 0, y = 0, w = 0, h = 0;
  };
  std::vector<WidgetRect> widgets;
  struct ExportStatus {
    bool open = false, busy = false, error = false;
    int64_t frames = 0, frames_done = 0;  // planned frame count; frames written so far
    std::string path, message;            // the output path field; the panel's last message
    double longest_step_ms = 0;           // the longest a UI frame spent on the export since it started,
    double longest_step_cpu_ms = 0;       // … and of that the UI thread's CPU time
    std::string limit;                    // why the export would be refused before it starts ("" if it would not)
  };
  ExportStatus export_status;
  ExportPanel export_panel;
  // Records ImGui's last item under `name` in `widgets`.
  void note_item(const char* name);

  // One frame of UI: keys, panels, playback. dt in seconds.
  void frame(double dt);

  // Named actions used by keys, menus and panels.
  void step_all(int64_t delta);
  void step_cells(int delta);
  void home_all();
  void end_all();
  void open_file(const std::string& path);
  void save_file(const std::string& path);
  void load_image(const std::string& path);
  void load_preset(const std::string& path, bool new_pane);
  void set_status(std::string message, bool error);
  std::string presets_dir() const { return resource_dir + "/assets/presets"; }
};

}  // namespace gui
