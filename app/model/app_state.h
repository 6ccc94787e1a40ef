// app_state.h — everything the window shows, without the window.
//
// AppState owns the panes (side by side on the canvas), the one shared
// play/pause and speed that move every pane's cursor together (a pane at its
// end waits there; playback pauses when all are at their end), the focused
// pane (target of the controls and keys), the view options and the window
// size. The GUI, the session file and the exporter all read this struct; the
// renderer draws it (render/canvas_renderer.h). No GL, no ImGui.
//
// Undo is the app's: each pane keeps its own edits, removed panes are kept
// too, and undo() takes back the newest of the two. What undo holds is bounded
// by kUndoBudgetBytes of scenario values (enforce_undo_budget, oldest first),
// not by a count of full copies.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "app/model/hover.h"
#include "app/model/pane.h"

namespace model {

struct ViewOptions {
  bool values = true;        // numbers in cells big enough to hold them
  bool arithmetic = true;    // the arithmetic line under each pane
  bool formula = true;       // the output-length formula per axis
  bool legend = true;        // the colour map legend
  bool equivalent = false;   // Conv2DTranspose also shown as a Conv2D over the zero-inserted input
  bool kernel_scale = false;  // the kernel on a colour scale of its own (default: one scale per pane)
  bool controls = true, timeline = true, presets = false, matrix = false, export_panel = false;
};

// The option called `name` in the session file's "view" object ("values",
// "arithmetic", "formula", "legend", "equivalent", "controls", "timeline",
// "presets", "matrix"); nullptr for any other name. Used by `--view`.
bool* view_option(ViewOptions& v, const std::string& name);
// The per-pane view options `--view` sets on every pane: "volume" (Pane::volume_view)
// and "all_channels" (Pane::all_channels); nullptr for any other name.
bool* pane_view_option(Pane& p, const std::string& name);

constexpr double kMinSpeed = 0.5, kMaxSpeed = 1000.0;  // steps per second
// View → Text size: multiplies the monitor's content scale (a projector wants larger text).
constexpr float kMinTextScale = 0.6f, kMaxTextScale = 3.0f, kTextScaleStep = 1.15f;
constexpr int kMaxPanes = 32;
// Undo keeps at most this much of scenario values across all panes (and the
// removed panes it can restore); the oldest entries go first.
constexpr size_t kUndoBudgetBytes = size_t{256} << 20;
constexpr size_t kMaxRemovedPanes = 16;

struct AppState {
  std::vector<Pane> panes;
  int focused = 0;
  bool playing = false;
  double speed = 2.0;  // steps per second
  ViewOptions view;
  int window_w = 1600, window_h = 1000;
  float text_scale = 1.0f;  // View → Text size (Ctrl+= / Ctrl+- / Ctrl+0), saved in the session
  // The guided lesson open (its file, "" for none) and its slide (from 0), saved in the session.
  std::string lesson_path;
  int lesson_slide = 0;
  HoverState hover;  // the hover links shown on the canvas (model/hover.h)

  Pane& focused_pane() { return panes.at(static_cast<size_t>(focused)); }
  const Pane& focused_pane() const { return panes.at(static_cast<size_t>(focused)); }

  // Playback: advances every pane by speed·dt steps (fractions carry over).
  void tick(double dt);
  void toggle_play();  // at the end of every pane, play restarts from the beginning
  void set_speed(double steps_per_second);  // clamped to [kMinSpeed, kMaxSpeed]
  void faster();  // ×2 (the + key)
  void slower();  // ÷2 (the − key)
  // Text size: ×1.15 per step up or down, clamped; 1 resets.
  void text_larger();
  void text_smaller();
  void text_reset() { text_scale = 1.0f; }

  // Pane list edits. The focused index stays valid.
  // Returns false (and sets `error`) when the window already holds kMaxPanes.
  bool add_pane(Pane p, std::string* error = nullptr);
  // The last pane cannot be removed. A removed pane can be restored (undo).
  void remove_pane(int index);
  bool can_restore_pane() const { return !removed_.empty(); }
  bool restore_removed_pane();
  // A copy of pane `index` with the other operation (Conv2D ⇄ Conv2DTranspose).
  // Returns false (and stores the error in the source pane) if the core rejects it.
  bool duplicate_as_other_op(int index);

  // Undo across the app: the newest of the focused pane's last edit and the last
  // pane removal. Redo: the focused pane's.
  bool can_undo() const;
  bool undo();
  bool redo();
  // Drops the oldest undo entries (of any pane, and removed panes) until what
  // they hold is within `budget` bytes of scenario values.
  void enforce_undo_budget(size_t budget = kUndoBudgetBytes);
  size_t undo_bytes() const;

  // Every pane's cursor to min(n, its last step).
  void set_all_cursors(int64_t n);
  // Large results of every pane computed by `worker` (see result_worker.h).
  void set_result_worker(const std::shared_ptr<ResultWorker>& worker);

 private:
  double carry_ = 0;  // fractional steps not yet taken
  struct RemovedPane {
    Pane pane;
    int index = 0;
    uint64_t seq = 0;
  };
  std::vector<RemovedPane> removed_;  // newest last
};

// The other op (Conv2D ⇄ Conv2DTranspose) with s's kernel, strides, padding
// and dilation. With `output` (s's result): applied to it — the kernel's
// channel axes swapped, a zero bias per new filter — so that it maps s's output
// back to s's input size ("Duplicate as other op", the round trip). Not validated.
core::Scenario other_op_on_output(const core::Scenario& s, const core::Tensor* output);

// The two seed panes (Conv2D 3×3 → 2×2 and Conv2DTranspose 2×2 → 3×3), from
// assets/presets when found, else built in.
AppState seed_state(const std::string& presets_dir);

}  // namespace model
