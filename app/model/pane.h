// pane.h — one scenario on screen: its trace, its step cursor, its edits.
//
// A Pane holds an immutable scenario (shared, so undo/redo and the renderer
// keep cheap references), the Trace built from it, and a cursor: the index of
// the last step done (−1 = before the first step, count()−1 = finished).
// Every edit goes through a named call below: it copies the scenario, changes
// it, and rebuilds the Trace. When the core rejects the result (core::Error),
// the pane keeps its last valid scenario and trace and stores the core's
// one-line message in `error` (the GUI shows it in red); a valid edit clears it.
//
// No GL, no ImGui, no files (see session.h for those).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "core/trace.h"

namespace model {

// Which tensor of a scenario a cell belongs to.
enum class Tensor { input, kernel, bias };

// Where a value lives: input (y, x, c); kernel (ky=y, kx=x, c_in=c, filter=f);
// bias (f).
struct ValueRef {
  Tensor tensor = Tensor::input;
  int64_t y = 0, x = 0, c = 0, f = 0;
};

// Fill patterns for a whole input or kernel.
enum class Fill { ones, zeros, random_integers, ramp, identity, edge, blur };
const char* fill_name(Fill f);  // "ones", "random integers", …

class Pane {
 public:
  // Throws core::Error if `scenario` is invalid (a pane always holds a valid one).
  explicit Pane(core::Scenario scenario, std::string preset_path = {});

  const core::Scenario& scenario() const { return *scenario_; }
  std::shared_ptr<const core::Scenario> scenario_ptr() const { return scenario_; }
  const core::Trace& trace() const { return *trace_; }
  std::shared_ptr<const core::Trace> trace_ptr() const { return trace_; }
  const core::Geometry& geometry() const { return trace_->geometry(); }

  // The core's message for the last rejected edit; empty after a valid one.
  const std::string& error() const { return error_; }
  void clear_error() { error_.clear(); }
  void set_error(std::string message) { error_ = std::move(message); }
  // Where the scenario came from (preset or file path), for "reset to preset".
  const std::string& origin() const { return origin_; }
  void set_origin(const std::string& path) { origin_ = path; }
  // What "reset to preset" goes back to (by default the scenario the pane was made with).
  void set_preset(std::shared_ptr<const core::Scenario> preset) { preset_ = std::move(preset); }

  // ---- cursor (−1 = before the first step) ----
  int64_t cursor() const { return cursor_; }
  int64_t last_step() const { return trace_->count() - 1; }
  bool at_end() const { return cursor_ >= last_step(); }
  void set_cursor(int64_t n);  // clamped to [−1, last_step()]
  void step(int64_t delta);    // ±1 MAC/scatter (any delta, clamped)
  // To the end of the next/previous unit (conv: output cell; transpose: input cell).
  void step_cell(int delta);
  // By one row of units (conv: a row of output cells × filters; transpose: a row of input cells × channels).
  void step_row(int delta);
  void home() { set_cursor(-1); }
  void end() { set_cursor(last_step()); }
  // Jump to the first step of a cell (conv: output cell; transpose: input cell).
  // Returns false (cursor unchanged) if no step touches that cell.
  bool jump_to_output_cell(const core::Cell& cell);
  bool jump_to_input_cell(const core::Cell& cell);
  // The unit (cell) the cursor is in (−1 before the first step).
  int64_t current_unit() const { return cursor_ < 0 ? -1 : trace_->unit_of_step(cursor_); }

  // ---- view (not part of the scenario, not undone) ----
  // Input channel and filter shown in the grids; −1 = follow the current step.
  int view_channel = -1, view_filter = -1;
  // Zoom into the grids (1 = fit the pane; up to kMaxZoom) and the point of the
  // grids' picture at the band's centre (0..1 across and down); follow_step
  // keeps the current step's cell in the middle as it plays.
  static constexpr float kMaxZoom = 64.0f;
  float zoom = 1.0f, center_x = 0.5f, center_y = 0.5f;
  bool follow_step = false;
  // The channel/filter actually shown at the cursor.
  int64_t shown_channel() const;
  int64_t shown_filter() const;

  // ---- edits (each returns true if the core accepted it) ----
  // `group`: consecutive edits with the same non-empty group make ONE undo entry
  // (a slider drag, a value drag).
  bool set_op(core::Op op);
  bool set_convention(core::Convention c);
  bool set_input_size(int64_t h, int64_t w);
  bool set_channels(int64_t c_in);
  bool set_filters(int64_t f);
  bool set_kernel_size(int64_t kh, int64_t kw);
  bool set_strides(core::Pair s);
  bool set_padding(core::PaddingKind kind, core::Pair before = {0, 0}, core::Pair after = {0, 0});
  bool set_dilation(core::Pair d);
  bool set_output_padding(std::optional<core::Pair> op);
  bool set_bias(bool on);
  bool set_value(const ValueRef& ref, double v, const std::string& group = {});
  double value(const ValueRef& ref) const;
  bool fill_input(Fill f, uint32_t seed = 1);
  bool fill_kernel(Fill f, uint32_t seed = 1);
  // Row-major H×W×C pixels scaled to 0..1 (grey: c = 1, colour: c = 3), already
  // resized to the grid size (the GUI does the decoding and resizing).
  bool load_input_pixels(int64_t h, int64_t w, int64_t c, const std::vector<double>& values);
  // Replaces the whole scenario (open a file, pick a preset).
  bool replace(core::Scenario s, const std::string& origin = {});
  // Any other change of the scenario, as one named edit.
  template <typename F>
  bool edit(F&& change, const std::string& group = {}) {
    core::Scenario next = *scenario_;
    change(next);
    return commit(std::move(next), group);
  }

  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  bool undo();
  bool redo();
  // Back to the scenario the pane was created or last loaded with (undoable).
  bool reset_to_preset();

 private:
  bool commit(core::Scenario next, const std::string& group);
  void adopt(std::shared_ptr<const core::Scenario> s, std::shared_ptr<const core::Trace> t);
  using History = std::vector<std::shared_ptr<const core::Scenario>>;
  bool travel(History& from, History& to);

  std::shared_ptr<const core::Scenario> scenario_, preset_;
  std::shared_ptr<const core::Trace> trace_;
  int64_t cursor_ = -1;
  std::string error_, origin_, last_group_;
  History undo_, redo_;
};

}  // namespace model
