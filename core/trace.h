// trace.h — every multiply-accumulate of a convolution and every scatter of a
// transposed convolution, as a seekable sequence of steps that is never stored.
//
//   core::Trace trace(std::make_shared<core::Scenario>(scenario));
//   trace.count();                     // number of steps (64-bit)
//   core::Step st = trace.step(n);     // O(kernel), whatever n is
//   core::Tensor grid = trace.partial_output(n);   // the output after steps 0..n
//
// Orders (numbering: core::StepCoder in geometry.h).
// Gather — Conv2D, DepthwiseConv2D, and a Conv2DTranspose asked for
// TraceOrder::gather: for each output cell (y, x, f) row-major, one `mac` step
// per tap (ky, kx, c) row-major over the input channels of f's group — taps on
// padding included, flagged, reading 0 — then one `bias` step if there is a
// bias. A transpose in gather order walks the taps of its equivalent direct
// convolution (zero-inserted, padded input, kernel rotated 180°): steps that
// read an inserted zero or padding have no input cell (`zero_inserted` or
// `padding`, product 0); `tap` is the original, unrotated kernel index.
// Scatter — a Conv2DTranspose by default: for each input cell (y, x, c)
// row-major, one `scatter` step per tap (ky, kx, f) row-major over the filters
// of c's group onto output (y·s + ky·d − crop, …) — targets outside the output
// are flagged `cropped` — then one `bias` step per output cell (y, x, f).
//
// "Units" group steps the way a teacher steps through them: a gather unit is
// one output cell (its taps and its bias); a scatter unit is one input cell
// (its stamp), plus one final unit holding all bias steps.
//
// Whatever core::validate() accepts can be traced. partial_output() and
// final_output() need the direct result, so they also need the work to be
// within limits (core::check_full_compute; core::Error work_over_limit).
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>

#include "core/geometry.h"
#include "core/scenario.h"

namespace core {

enum class StepKind { mac, scatter, bias };
const char* step_kind_name(StepKind k);

struct Step {
  int64_t index = 0;
  StepKind kind = StepKind::mac;
  std::optional<Cell> input;               // signed; outside the input on padding; none for bias,
                                           // and none for an inserted zero / padding in gather order
  std::optional<std::array<int64_t, 2>> tap;  // (ky, kx) of the kernel as the file has it; none for bias
  // A transpose in gather order: the cell of the zero-inserted input the tap reads
  // (input cell (y, x) sits at (y·s, x·s)), with the input channel; none otherwise.
  std::optional<Cell> zero_inserted_at;
  Cell output;                             // may lie outside the output when cropped
  std::optional<double> a;                 // input value (0 on padding / an inserted zero); none for bias
  double w = 0;                            // weight, or the bias value
  double product = 0;                      // a·w, or the bias value
  std::optional<double> before, after;     // the output cell's value; none when cropped
  bool padding = false;                    // a tap that reads padding
  bool zero_inserted = false;              // a transpose's gather tap on an inserted zero
  bool cropped = false;                    // a scatter that lands outside the output
};

// The number of steps of a scenario's trace in `order` (what Trace::count() returns).
int64_t step_count(const Scenario& s, const Geometry& g, TraceOrder order);
int64_t step_count(const Scenario& s, const Geometry& g);  // the op's default order

class Trace {
 public:
  // Throws core::Error if the scenario is invalid, or for scatter on a convolution.
  explicit Trace(std::shared_ptr<const Scenario> scenario);  // the op's default order
  Trace(std::shared_ptr<const Scenario> scenario, TraceOrder order);

  const Scenario& scenario() const { return *scenario_; }
  const std::shared_ptr<const Scenario>& scenario_ptr() const { return scenario_; }
  const Geometry& geometry() const { return geometry_; }
  TraceOrder order() const { return coder_.order(); }
  // Gather units are output cells, scatter units input cells.
  bool gathers() const { return coder_.order() == TraceOrder::gather; }
  const StepCoder& coder() const { return coder_; }

  int64_t count() const { return coder_.count(); }
  // Throws core::Error(step_out_of_range) outside [0, count()).
  Step step(int64_t n) const;

  // The value of output cell `cell` after steps 0..n (n = −1: before any step). O(kernel).
  double value_after(const Cell& cell, int64_t n) const;
  // The whole output after steps 0..n (n = −1: all zeros). Cells far from step n
  // are copied from a cached direct result, so this costs O(output + band·kernel).
  // Throws core::Error(work_over_limit) past the full-compute limit.
  Tensor partial_output(int64_t n) const;
  // The finished output (the direct result, cached). Throws like partial_output.
  Tensor final_output() const;
  // Whether partial_output/final_output are available (the work is within limits).
  bool can_compute() const;
  // Whether the direct result has been computed already (then partial_output
  // costs O(output + band·kernel), no full compute). Thread-safe.
  bool has_result() const;

  int64_t steps_per_unit() const { return coder_.per_unit(); }
  int64_t unit_count() const;
  int64_t unit_of_step(int64_t n) const;
  int64_t first_step_of_unit(int64_t unit) const;
  int64_t last_step_of_unit(int64_t unit) const;

  // The first step that writes output cell `cell` (gather: its first tap; scatter:
  // its first scatter, or its bias step); −1 if no step ever writes it.
  int64_t first_step_of_output_cell(const Cell& cell) const;
  // The first step that reads input cell `cell` (gather: the first tap on it;
  // scatter: its first scatter); −1 if no step reads it (a cell the stride skips).
  int64_t first_step_of_input_cell(const Cell& cell) const;

  // The weight a tap multiplies: kernel (ky, kx) between input channel c and filter f
  // (of the same group), whatever the op's kernel layout; 0 for a c and f of different groups.
  double weight(int64_t ky, int64_t kx, int64_t c, int64_t f) const;

 private:
  const Tensor& sums() const;  // cached compute_without_bias
  // The sum of the first `taps` products of gather unit `out`, in step order.
  double gather_partial_sum(const Cell& out, int64_t taps) const;
  // The input cell a gather tap reads, with its padding / inserted-zero flags.
  struct Read {
    std::optional<Cell> input;  // none for an inserted zero or padding of a transpose
    Cell at;                    // conv: the signed input coordinate (padding outside the input)
    bool padding = false, zero_inserted = false;
    bool real() const { return !padding && !zero_inserted; }
  };
  Read gather_read(const Cell& out, const StepCode& tap) const;
  double scatter_sum_through(const Cell& out, int64_t n) const;
  int64_t bias_step_of(const Cell& out) const;

  std::shared_ptr<const Scenario> scenario_;
  Geometry geometry_;
  StepCoder coder_;
  // The direct result, computed once on first use and shared by copies of this
  // Trace; a Trace may be shared by threads (the window computes large results
  // off its UI thread).
  struct Result {
    std::once_flag once;
    std::shared_ptr<const Tensor> sums;
  };
  std::shared_ptr<Result> result_ = std::make_shared<Result>();
};

}  // namespace core
