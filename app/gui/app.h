// app.h — the desktop app: owns the AppState and builds the UI each frame.
//
// App is what every panel reads and edits (see panels/panels.h). It holds
// the model (AppState), the canvas renderer, the window-only state (selected
// cell, the cell editor, the file dialog's path, the status line) and the
// content scale. window.cpp owns the GLFW window and calls frame() once per
// loop iteration, between ImGui::NewFrame() and ImGui::Render().
//
// Every action that reads a file or edits the model catches everything it can
// throw (core::Error, std::bad_alloc, any std::exception): the previous state
// stays and the message shows in red on the status line. Nothing aborts.
#pragma once

#include <cstdint>
#include <memory>
#include <new>
#include <optional>
#include <string>
#include <vector>

#include "app/gui/panels/export_panel.h"
#include "app/gui/panels/round_trip_panel.h"
#include "app/model/overlap.h"
#include "app/model/app_state.h"
#include "app/model/lesson_player.h"
#include "app/model/window_layout.h"
#include "app/model/result_worker.h"
#include "app/render/canvas_renderer.h"
#include "core/errors.h"

struct ImGuiContext;

namespace gui {

// After an exception in the middle of drawing: ends the canvas renderer's own
// ImGui frame if it was inside one, makes `ui` current again, and closes the
// windows (with their ID, style and group stacks) opened above the first
// `keep_windows` of the window stack. The next Begin/End pairs then match.
void recover_ui(ImGuiContext* ui, int keep_windows);
// "x[1,2,0]", "w[0,1,0,0]", "b[2]".
std::string value_ref_text(const model::ValueRef& r);
// The depth of `ui`'s window stack (what recover_ui keeps).
int open_windows(ImGuiContext* ui);

struct CellEditor {
  bool open = false;
  bool focus = false;       // give the text field the keyboard on its first frame
  int pane = 0;
  model::ValueRef ref;
  std::string text;
  std::string error;        // why the text was refused ("use a point: 2.5"); shown under the field
  float x = 0, y = 0;       // screen position
  // Opened by typing a character: the caret goes after it (ImGui would select it
  // on focus, and the next key typed would replace it: "2,5" became ",5").
  bool caret_to_end = false;
  // The text field had the keyboard last frame. Until it does (focusing it takes a
  // frame or two, more on a loaded machine), handle_keys appends typed characters
  // to `text` itself, or a fast typist's (or xdotool's) "2,5" would arrive as "2".
  // Enter and Escape are always handled by handle_keys from the key events, which
  // a slow frame cannot lose.
  bool active = false;
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
  // Opens the cell editor on the selected cell with `text` typed, if it starts a number.
  void start_cell_value(std::string text);
  std::string file_path;       // the Open/Save path field
  bool file_dialog = false;    // Ctrl+O / Ctrl+S popup
  bool file_dialog_save = false;
  std::string confirm_overwrite;  // Save found this file existing: the dialog asks before replacing it
  std::string image_path;      // the image to load as input
  bool image_colour = false;
  std::string status;          // last action's message (green) or error (red)
  std::string error_control;   // the control whose edit the core rejected (its message shows next to it)
  bool status_error = false;
  bool quit = false;           // Ctrl+Q
  // Computes large output grids off the UI thread (set by the window; none headless).
  std::shared_ptr<model::ResultWorker> result_worker;
  // Key presses (and repeats) handed to ImGui this frame, from the window's key
  // queue (window.cpp, InputRelay): ImGui 1.86 only sees key *state*, which loses
  // a press and release that arrive in one poll (fast typists, xdotool).
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
  // Guided lessons (lessons_panel.cpp): the lesson being taught, the Lessons
  // panel's open flag and its list (read when the panel opens).
  model::LessonPlayer lessons;
  bool lessons_panel = false;
  std::vector<model::LessonEntry> lesson_list;
  std::string lessons_dir() const { return resource_dir + "/assets/lessons"; }
  // Opens a lesson (a path or a shipped lesson's stem) at `slide`; with
  // `resume` the panes stay as they are (a restored session already shows the slide).
  void open_lesson(const std::string& name_or_path, size_t slide = 0, bool resume = false);
  // F5 / View → Presenter mode: full screen, canvas and caption only, text ×kPresenterTextScale.
  void set_presenter(bool on);
  static constexpr float kPresenterTextScale = 1.8f;
  RoundTripPanel round_trip;            // Panes → Round trip (panels/round_trip_panel.cpp)
  model::CoverageCache coverage_cache;  // the focused pane's overlap map, for its "Fix: kernel k" button
  // Records ImGui's last item under `name` in `widgets`.
  void note_item(const char* name);

  // One frame of UI: keys, panels, playback. dt in seconds.
  void frame(double dt);

  // Named actions used by keys, menus and panels.
  void step_all(int64_t delta);
  void step_cells(int delta);
  void home_all();
  void end_all();
  // Opens the Open (save = false) or Save dialog with its path filled in.
  void show_file_dialog(bool save);
  // Where Save proposes to write the focused pane: the file it came from if that
  // is the user's, else the user's data folder (never the installed presets).
  std::string default_save_path() const;
  void open_file(const std::string& path);
  // Writes the focused pane's scenario. An existing file is replaced only when
  // `overwrite` is set; otherwise confirm_overwrite asks first.
  void save_file(const std::string& path, bool overwrite = false);
  void load_image(const std::string& path);
  void load_preset(const std::string& path, bool new_pane);
  void undo();
  void redo();
  void remove_focused_pane();  // undoable (Ctrl+Z restores it)
  // Enter in the cell editor: a number sets the cell and closes it; anything else
  // keeps it open with the reason in red ("use a point: 2.5").
  void commit_cell_editor();
  void duplicate_focused_pane();
  void set_status(std::string message, bool error);
  std::string presets_dir() const { return resource_dir + "/assets/presets"; }

  // Draws one panel; if it throws, the windows it left open are closed, the
  // other panels are still drawn, and the message shows in red.
  template <typename F>
  void draw_guarded(ImGuiContext* ui, F&& draw);

  // Runs `action`; whatever it throws becomes a red status line (`doing` names
  // the action for an out-of-memory message: "not enough memory to <doing>").
  template <typename F>
  void guarded(const char* doing, F&& action) {
    try {
      action();
    } catch (const std::bad_alloc&) {
      set_status(core::error_message(core::ErrorCode::out_of_memory, doing), true);
    } catch (const std::exception& e) {
      set_status(core::one_line(e.what()), true);
    }
  }
};

template <typename F>
void App::draw_guarded(ImGuiContext* ui, F&& draw) {
  const int windows = open_windows(ui);
  std::string failure;
  try {
    draw();
    return;
  } catch (const std::bad_alloc&) {
    failure = core::error_message(core::ErrorCode::out_of_memory, "draw the window");
  } catch (const std::exception& e) {
    failure = core::one_line(e.what());
  }
  recover_ui(ui, windows);
  set_status(failure, true);
}

}  // namespace gui
