// pane.h — one scenario on screen: its trace, its step cursor, its edits.
//
// A Pane holds an immutable scenario (shared, so undo/redo and the renderer
// keep cheap references), the Trace built from it, and a cursor: the index of
// the last step done (−1 = before the first step, count()−1 = finished).
// Every edit goes through a named call below: it copies the scenario, changes
// it, and rebuilds the Trace. When the core rejects the result (core::Error),
// or memory runs out on the way (std::bad_alloc), the pane keeps its last valid
// scenario and trace and stores a one-line message in `error` (the GUI shows
// it in red); a valid edit clears it. Edits that resize a tensor check the
// core's size limits (core::check_tensor_sizes) before they allocate.
//
// Undo entries are numbered in one sequence across all panes, so the app can
// undo its newest change whichever pane holds it and drop the oldest entries
// first when the undo memory budget is exceeded (AppState::enforce_undo_budget).
//
// The output grid needs the direct result; result_state() says whether it is
// ready, being computed in the background (a ResultWorker, for large results),
// or over the core's work limit. partial_output()/final_output() never block on
// a background compute and never throw.
//
// No GL, no ImGui. Files: only through scenario_file.h (reset to a file preset).
#pragma once

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/model/scenario_file.h"
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

class ResultWorker;

// Whether a pane's output grid can be shown.
enum class ResultState {
  ready,       // computed, or small enough to compute on demand
  computing,   // a ResultWorker is computing it
  over_limit,  // more work than core::limits::kMaxFullComputeMacs: steps only
  failed,      // computing it failed (out of memory)
};

// The memory an undo entry holds: its scenario's values.
size_t scenario_bytes(const core::Scenario& s);
// The next number in the one sequence of undo entries (AppState numbers its removed panes with it).
uint64_t take_history_seq();

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
  // The trace's order: a Conv2DTranspose is walked as scatters (its default) or
  // as the gather of its equivalent direct convolution over the zero-inserted
  // input (core/trace.h); a Conv2D always gathers. set_order rebuilds the trace
  // and keeps the choice for transposes through later edits, undo and redo; the
  // cursor keeps its place as after an edit. Not an edit: nothing to undo.
  // Throws core::Error (order_not_for_conv) for scatter on a Conv2D, the pane unchanged.
  core::TraceOrder order() const { return trace_->order(); }
  void set_order(core::TraceOrder order);
  // The order a transpose gets (what the session saves), whatever the op is now.
  core::TraceOrder transpose_order() const { return transpose_order_; }

  // The core's message for the last rejected edit; empty after a valid one.
  const std::string& error() const { return error_; }
  void clear_error() { error_.clear(); }
  void set_error(std::string message) { error_ = std::move(message); }
  // Where the scenario came from (preset or file path), for "reset to preset".
  const std::string& origin() const { return origin_; }
  void set_origin(const std::string& path) { origin_ = path; }
  // What "reset to preset" goes back to (by default the scenario the pane was made with).
  void set_preset(std::shared_ptr<const core::Scenario> preset) { preset_ = std::move(preset); }
  // "Reset to preset" reads origin() again when asked (a restored session does not
  // read every pane's file at start); if it cannot, the pane says why.
  void reset_reads_origin() { reset_reads_origin_ = true; }

  // ---- the file the scenario was read from ----
  // Records that the current scenario is exactly the content of `file` (just read or just written).
  void set_source_file(const FileIdentity& file);
  // The file, while the pane still shows exactly what it held when read and the
  // file's size and mtime have not changed since; nullopt otherwise.
  std::optional<FileIdentity> unchanged_source() const;

  // ---- the output grid (never blocks on a background compute, never throws) ----
  ResultState result_state() const;
  int64_t result_macs() const { return macs_; }  // the multiply-accumulates of the full output
  // What the output grid says instead of its values when the state is not ready.
  std::string result_message() const;
  // The output after the cursor, or the finished output; nullopt unless ready.
  std::optional<core::Tensor> partial_output() const;
  std::optional<core::Tensor> final_output() const;
  // Large results (> kBackgroundMacs) are computed by `worker` from now on;
  // without one they are computed on demand in the caller's thread (the exporter).
  void set_result_worker(std::shared_ptr<ResultWorker> worker);
  const std::shared_ptr<ResultWorker>& result_worker() const { return worker_; }

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
  // The volume view (render/volume_layout.h): input, filters and output as
  // stacks of slices in an oblique projection; off = the slice view. In the
  // slice view, all_channels lays every channel slice of the current tap side
  // by side instead of one chosen by view_channel. Both saved in the session.
  bool volume_view = false, all_channels = false;
  // Zoom into the grids (1 = fit the pane; up to kMaxZoom) and the point of the
  // grids' picture at the band's centre (0..1 across and down); follow_step
  // keeps the current step's cell in the middle as it plays.
  static constexpr float kMaxZoom = 64.0f;
  float zoom = 1.0f, center_x = 0.5f, center_y = 0.5f;
  bool follow_step = false;
  // The overlap map (core::coverage) over a transpose's output / a conv's input:
  // taps landing per cell, or the sum of their weights.
  bool overlap_map = false, overlap_weights = false;
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
  bool set_filters(int64_t f);  // F (a depthwise op: C·M, see set_depth_multiplier)
  // Channel groups (conv2d, PyTorch conv2d_transpose): the kernel reshaped to
  // [C_in/g][F] (transpose [C_in][F/g]); a g that does not divide C_in and F is refused.
  bool set_groups(int64_t groups);
  // DepthwiseConv2D's depth multiplier M: F = C_in·M filters.
  bool set_depth_multiplier(int64_t m);
  int64_t depth_multiplier() const;  // 1 for the other ops
  bool set_kernel_size(int64_t kh, int64_t kw);
  bool set_strides(core::Pair s);
  bool set_padding(core::PaddingKind kind, core::Pair before = {0, 0}, core::Pair after = {0, 0});
  bool set_dilation(core::Pair d);
  bool set_output_padding(std::optional<core::Pair> op);
  bool set_bias(bool on);
  bool set_value(const ValueRef& ref, double v, const std::string& group = {});
  double value(const ValueRef& ref) const;
  // The kernel value between input channel c and filter f (absolute), as stored:
  // a group's own channel index (core/tensor.h); nullopt when c is not in f's group.
  std::optional<ValueRef> kernel_ref(int64_t ky, int64_t kx, int64_t c, int64_t f) const;
  bool fill_input(Fill f, uint32_t seed = 1);
  bool fill_kernel(Fill f, uint32_t seed = 1);
  // Row-major H×W×C pixels scaled to 0..1 (grey: c = 1, colour: c = 3), already
  // resized to the grid size (the GUI does the decoding and resizing).
  bool load_input_pixels(int64_t h, int64_t w, int64_t c, const std::vector<double>& values);
  // Replaces the whole scenario (open a file, pick a preset). With `file`, the
  // scenario is that file's content (see set_source_file).
  bool replace(core::Scenario s, const std::string& origin = {}, const std::optional<FileIdentity>& file = std::nullopt);
  // Any other change of the scenario, as one named edit.
  // `change` may throw core::Error (the edit is refused with its message).
  template <typename F>
  bool edit(F&& change, const std::string& group = {}) {
    return guarded([&] {
      core::Scenario next = *scenario_;
      change(next);
      return commit(std::move(next), group);
    });
  }

  bool can_undo() const { return !undo_.empty(); }
  bool can_redo() const { return !redo_.empty(); }
  bool undo();
  bool redo();
  // Back to the scenario the pane was created or last loaded with (undoable).
  bool reset_to_preset();

  // ---- history bookkeeping (AppState's undo across panes and its memory budget) ----
  // The sequence numbers of the newest undo and redo entries (0 when there is none).
  uint64_t newest_undo_seq() const { return undo_.empty() ? 0 : undo_.back().seq; }
  uint64_t newest_redo_seq() const { return redo_.empty() ? 0 : redo_.back().seq; }
  // The oldest entry's number (UINT64_MAX when there is none) and what the entries hold.
  uint64_t oldest_history_seq() const;
  size_t history_bytes() const;
  size_t history_entries() const { return undo_.size() + redo_.size(); }
  // Drops the oldest undo or redo entry; false if there is none.
  bool drop_oldest_history();
  void clear_redo() { redo_.clear(); }

 private:
  struct Entry {
    std::shared_ptr<const core::Scenario> scenario;
    uint64_t seq = 0;
  };
  using History = std::vector<Entry>;
  bool commit(core::Scenario next, const std::string& group);
  void adopt(std::shared_ptr<const core::Scenario> s, std::shared_ptr<const core::Trace> t);
  // The trace of `s` in this pane's order (transpose_order_ for a transpose, else gather).
  std::shared_ptr<const core::Trace> trace_of(const std::shared_ptr<const core::Scenario>& s) const;
  bool travel(History& from, History& to);
  void submit_result();
  // Runs an edit; any exception becomes the pane's error and the edit is refused.
  template <typename F>
  bool guarded(F&& run) {
    try {
      return run();
    } catch (const std::exception& e) {
      refuse(e);
      return false;
    }
  }
  void refuse(const std::exception& e);
  // core::check_tensor_sizes before an edit allocates tensors of these shapes; false (and the error) if over.
  bool sizes_ok(int64_t in_h, int64_t in_w, int64_t in_c, int64_t kh, int64_t kw, int64_t k_in, int64_t k_out);

  std::shared_ptr<const core::Scenario> scenario_, preset_;
  std::shared_ptr<const core::Trace> trace_;
  int64_t cursor_ = -1;
  core::TraceOrder transpose_order_ = core::TraceOrder::scatter;
  std::string error_, origin_, last_group_;
  History undo_, redo_;
  bool reset_reads_origin_ = false;
  std::shared_ptr<const core::Scenario> loaded_;  // the scenario as read from source_
  FileIdentity source_;
  int64_t macs_ = 0;
  bool within_work_limit_ = true;
  std::shared_ptr<ResultWorker> worker_;
  mutable std::string result_error_;  // a compute on demand that failed (out of memory)
};

}  // namespace model
