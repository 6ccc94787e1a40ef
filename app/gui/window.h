// window.h — the GLFW window and its main loop.
//
// run_window() opens an OpenGL 3.3 core window, sets up Dear ImGui (GLFW +
// OpenGL3 backends) and runs the loop in the order of ImGui's
// example_glfw_opengl3: poll events → new frame → build UI (App::frame) →
// render → swap. With no display it prints one line and returns 2.
//
// When nothing plays, exports or changes, the loop sleeps in
// glfwWaitEventsTimeout and draws nothing (idle costs no CPU); an event, a
// finished background result or a due session save wakes it. --screenshot and
// --bench-frames draw every frame; --bench-startup draws one. The session is saved shortly after every
// change, at exit, and on SIGTERM/SIGINT/SIGHUP (the handler only sets a flag;
// the loop saves and returns 0).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace gui {

struct WindowOptions {
  std::vector<std::string> files;  // scenarios to open as the panes (none = session or seed)
  std::string screenshot;  // write the window's pixels to this PNG and exit
  bool step_set = false;   // --step given: every pane's cursor at min(step, its last step)
  int64_t step = -1;
  int bench_frames = 0;    // play at full speed, vsync off; print frame time statistics
  bool bench_startup = false;  // print the time from process start to the first frame's swap, then exit
  std::string dump_state;  // keep writing the state (and the canvas layout) to this JSON file
  std::string session;     // the session file to read and keep saved ("" = the user's; none in test modes)
  int width = 0, height = 0;  // window size (0 = session or 1600×1000)
  // --view NAME[=on|off],…: view options set over the session's (names as in
  // the session file's "view": values, arithmetic, formula, legend, equivalent, …).
  std::vector<std::pair<std::string, bool>> view;
  // --lesson / --present LESSON: a lesson file or a shipped lesson's stem, opened at
  // its first slide (present: in presenter mode, full screen).
  std::string lesson;
  bool present = false;
  std::string hover;       // --hover out|in|kernel:y,x[,c]: pinned on the first pane
  bool overlap = false;    // --overlap: the overlap map on every pane
  bool round_trip = false; // --round-trip: the focused (first) pane's round trip, opened at start
};

int run_window(const WindowOptions& opt);

}  // namespace gui
