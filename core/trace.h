// trace.h — every multiply-accumulate of a Conv2D and every scatter of a
// Conv2DTranspose, as a seekable sequence of steps that is never stored.
//
//   core::Trace trace(std::make_shared<core::Scenario>(scenario));
//   trace.count();                     // number of steps (64-bit)
//   core::Step st = trace.step(n);     // O(kernel), whatever n is
//   core::Tensor grid = trace.partial_output(n);   // the output after steps 0..n
//
// Order. Conv2D (gather): for each output cell (y, x, f) row-major, one `mac`
// step per tap (ky, kx, c) row-major — taps on padding included, flagged,
// with a = 0 — then one `bias` step if there is a bias. Conv2DTranspose
// (scatter): for each input cell (y, x, c) row-major, one `scatter` step per tap
// (ky, kx, f) row-major onto output (y·s + ky·d − crop, …) — targets outside the
// output are flagged `cropped` — then one `bias` step per output cell (y, x, f).
//
// "Units" group steps the way a teacher steps through them: a Conv2D unit is one
// output cell (its taps and its bias); a Conv2DTranspose unit is one input cell
// (its stamp), plus one final unit holding all bias steps.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>

#include "core/geometry.h"
#include "core/scenario.h"

namespace core {

enum class StepKind { mac, scatter, bias };
const char* step_kind_name(StepKind k);

struct Cell {
  int64_t y = 0, x = 0, c = 0;  // c: channel (input) or filter (output)
  bool operator==(const Cell& o) const { return y == o.y && x == o.x && c == o.c; }
};

struct Step {
  int64_t index = 0;
  StepKind kind = StepKind::mac;
  std::optional<Cell> input;               // signed; outside the input on padding; none for bias
  std::optional<std::array<int64_t, 2>> tap;  // (ky, kx); none for bias
  Cell output;                             // may lie outside the output when cropped
  std::optional<double> a;                 // input value (0 on padding); none for bias
  double w = 0;                            // weight, or the bias value
  double product = 0;                      // a·w, or the bias value
  std::optional<double> before, after;     // the output cell's value; none when cropped
  bool padding = false;                    // a conv tap that reads padding
  bool cropped = false;                    // a scatter that lands outside the output
};

// The number of steps of a scenario's trace (what Trace::count() returns).
int64_t step_count(const Scenario& s, const Geometry& g);

class Trace {
 public:
  // Throws core::Error if the scenario is invalid.
  explicit Trace(std::shared_ptr<const Scenario> scenario);

  const Scenario& scenario() const { return *scenario_; }
  const Geometry& geometry() const { return geometry_; }

  int64_t count() const { return count_; }
  // Throws core::Error(step_out_of_range) outside [0, count()).
  Step step(int64_t n) const;

  // The value of output cell `cell` after steps 0..n (n = −1: before any step). O(kernel).
  double value_after(const Cell& cell, int64_t n) const;
  // The whole output after steps 0..n (n = −1: all zeros). Cells far from step n
  // are copied from a cached direct result, so this costs O(output + band·kernel).
  Tensor partial_output(int64_t n) const;
  // The finished output (the direct result, cached).
  Tensor final_output() const;

  int64_t steps_per_unit() const { return per_unit_; }
  int64_t unit_count() const;
  int64_t unit_of_step(int64_t n) const;
  int64_t first_step_of_unit(int64_t unit) const;
  int64_t last_step_of_unit(int64_t unit) const;

  // The first step that writes output cell `cell` (conv: its first tap; transpose:
  // its first scatter, or its bias step); −1 if no step ever writes it.
  int64_t first_step_of_output_cell(const Cell& cell) const;
  // The first step that reads input cell `cell` (conv: first tap on it; transpose:
  // its first scatter); −1 if no step reads it (a cell the stride skips).
  int64_t first_step_of_input_cell(const Cell& cell) const;

 private:
  const Tensor& sums() const;  // cached compute_without_bias
  double conv_partial_sum(const Cell& out, int64_t taps) const;
  double scatter_sum_through(const Cell& out, int64_t n) const;
  int64_t bias_step_of(const Cell& out) const;

  std::shared_ptr<const Scenario> scenario_;
  Geometry geometry_;
  int64_t taps_ = 0;         // conv: kh·kw·C_in products per output cell; transpose: kh·kw·F per input cell
  int64_t per_unit_ = 0;     // steps per output cell (conv, taps + bias) or per input cell (transpose)
  int64_t main_steps_ = 0;   // all mac/scatter steps (conv: including the interleaved bias steps)
  int64_t count_ = 0;
  mutable std::shared_ptr<const Tensor> sums_;
};

}  // namespace core
