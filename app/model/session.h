// session.h — save and restore the AppState between runs, so that no edit is lost.
//
// The session file is JSON: {"version": 2, "panes": [{"scenario": {...} | "file": {...},
// "cursor": n, "origin": "...", "order": "scatter" | "gather", "view_channel": c, "view_filter": f}], "focused": i,
// "speed": x, "view": {...}, "window": [w, h]}; each "scenario" is the object
// `convscope compute` reads. It lives in $XDG_CONFIG_HOME/convscope/session.json
// (or ~/.config/convscope/), or where --session says.
//
// Saving. The window saves shortly after every change (SessionAutosave: once the
// state has been still for kAutosaveDelay seconds), at exit and on SIGTERM, SIGINT
// and SIGHUP; atomically (scenario_file.h), so a crash leaves the old session or
// the new one. The file stays small: at most kSessionInlineValues values are
// written out in all. A pane with more values is written as a reference to the
// file it was read from ("file": path, size, mtime, hash) — only while the pane
// shows exactly that file's content and the file has not changed since. A pane
// that is too large and is not such a file is left out, and the save says so
// (its message goes to the status line): the user saves it with Ctrl+S.
//
// Loading. Everything is type-checked and every scenario passes core::validate;
// the file is capped in size, nesting depth and count of numbers, so it cannot
// exhaust memory or the stack. A session that cannot be read — truncated, wrong
// types, garbage, one bad pane among good ones, unreadable, a folder, a FIFO,
// too deep — is moved to session.json.bad and the window starts on the seed and
// says so. Out-of-range numbers (a cursor past the end, a window of 100000²) are
// clamped, never undefined behaviour.
#pragma once

#include <cstdint>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/model/app_state.h"
#include "app/model/scenario_file.h"

namespace model {

// At most this many values (inputs, kernels, biases) are written out in a session.
constexpr int64_t kSessionInlineValues = int64_t{1} << 20;
// Panes with more values than this go by reference when they can (keeps saves quick).
constexpr int64_t kSessionReferenceValues = int64_t{1} << 16;
constexpr int64_t kMaxSessionBytes = int64_t{64} << 20;
constexpr int kMaxSessionNesting = 16;  // a kernel is 4 lists deep inside a pane inside the session
constexpr int kMaxWindowSide = 8192;    // the window clamps further to the monitor's work area
constexpr double kAutosaveDelay = 1.5;  // seconds of stillness before an automatic save

// The session path ("" if neither XDG_CONFIG_HOME nor HOME is set).
std::string session_path();

struct SessionText {
  std::string text;
  int panes_kept = 0;
  std::vector<std::string> refused;  // one message per pane left out
};
SessionText session_to_json(const AppState& s);
// Throws core::Error (or std::bad_alloc) on a bad session. `notes` receives
// remarks that do not make it bad (a referenced file changed since).
AppState session_from_json(const std::string& text, std::vector<std::string>* notes = nullptr);

struct SessionSave {
  std::string error;                 // "" when written (or when there was nothing to write)
  std::vector<std::string> refused;  // panes left out (session_pane_not_kept)
};
SessionSave save_session(const AppState& s, const std::string& path);

struct SessionLoad {
  std::optional<AppState> state;    // nullopt: start from the seed
  std::string problem;              // why the session could not be read, and where it went
  std::vector<std::string> notes;
};
// A missing file is no problem (state nullopt, problem ""). A file that cannot be
// read is moved to PATH.bad (an older .bad is replaced) and `problem` says so.
SessionLoad load_session(const std::string& path);

// When to save automatically: feed it the state every loop iteration.
class SessionAutosave {
 public:
  explicit SessionAutosave(const AppState& as_loaded, double now = 0);
  // Notes the state at `now` (seconds); true when it changed and has stayed
  // unchanged for kAutosaveDelay since: save, then call saved().
  bool due(const AppState& s, double now);
  void saved() { pending_ = false; }
  bool pending() const { return pending_; }
  // How long the loop may sleep before due() could turn true (infinity if nothing is pending).
  double seconds_until_due(double now) const;

 private:
  struct PaneMark {
    // Weak, not a raw address: a scenario freed and another allocated at the same
    // address within one frame must still count as a change.
    std::weak_ptr<const core::Scenario> scenario;
    int64_t cursor;
    int view_channel, view_filter;
    bool volume_view, all_channels;
    bool overlap_map, overlap_weights;
    std::string origin;
    core::TraceOrder order;
    bool operator==(const PaneMark& o) const {
      return !scenario.owner_before(o.scenario) && !o.scenario.owner_before(scenario) && cursor == o.cursor &&
             view_channel == o.view_channel && view_filter == o.view_filter && volume_view == o.volume_view &&
             all_channels == o.all_channels && overlap_map == o.overlap_map &&
             overlap_weights == o.overlap_weights && origin == o.origin &&
             order == o.order;
    }
  };
  struct Mark {
    std::vector<PaneMark> panes;
    int focused = 0;
    double speed = 0;
    unsigned view = 0;
    int window_w = 0, window_h = 0;
    std::string lesson_path;
    int lesson_slide = 0;
    bool operator==(const Mark& o) const {
      return panes == o.panes && focused == o.focused && speed == o.speed && view == o.view && window_w == o.window_w &&
             window_h == o.window_h && lesson_path == o.lesson_path && lesson_slide == o.lesson_slide;
    }
  };
  static Mark mark_of(const AppState& s);
  Mark last_;
  bool pending_ = false;
  double changed_at_ = 0;
};

}  // namespace model
