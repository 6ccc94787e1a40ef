// equivalent_view.h — a Conv2DTranspose pane seen as a plain stride-1 Conv2D,
// as the canvas draws it under "View → Equivalent view".
//
// core::transpose_as_conv() gives the equivalent scenario: the transpose's
// input with s−1 zeros inserted between cells, padded by dk−1−crop on each
// side (a negative pad crops), convolved at stride 1 with the kernel rotated
// 180°. EquivalentView adds what a picture of it needs:
//   - what each cell of that padded grid is: a real input cell, an inserted
//     zero, or padding (cell());
//   - the one-line caption with the numbers (caption());
//   - the step of the view's Conv2D trace that multiplies the same a·w as a
//     scatter step of the transpose (mac_of_scatter(); none for a cropped
//     scatter or a bias step).
//
//   model::EquivalentView eq(pane.scenario_ptr());     // throws unless conv2d_transpose
//   eq.rows(); eq.cols(); eq.cell(y, x);                // the padded grid
//   if (auto m = eq.mac_of_scatter(pane.trace(), pane.trace().step(n))) … m->tap, m->input, m->output …
//
// The view is built once per scenario (O(padded grid)); everything else is
// O(1) or O(kernel). No GL, no ImGui.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "core/trace.h"
#include "core/views.h"

namespace model {

// What a cell of the zero-inserted, padded grid holds.
enum class PaddedCell { input, inserted_zero, padding };

class EquivalentView {
 public:
  // Throws core::Error unless `transpose` is a valid conv2d_transpose.
  explicit EquivalentView(std::shared_ptr<const core::Scenario> transpose);

  // The transpose this view was built from (renderers compare it to decide whether to rebuild).
  const std::shared_ptr<const core::Scenario>& source() const { return source_; }
  const core::ZeroInsertionView& view() const { return view_; }
  const core::Scenario& conv() const { return view_.conv; }
  // The view's trace; null when the core refuses the view as a scenario of its own
  // (then mac_of_scatter() has nothing to show).
  const core::Trace* trace() const { return trace_.get(); }

  // The padded grid: rows × cols cells, (0, 0) top-left.
  int64_t rows() const { return view_.conv.input.h; }
  int64_t cols() const { return view_.conv.input.w; }
  PaddedCell cell(int64_t y, int64_t x) const;  // padding outside the grid too
  // The transpose's input cell at padded cell (y, x); nullopt unless cell(y, x) == input.
  std::optional<std::array<int64_t, 2>> input_cell(int64_t y, int64_t x) const;

  // Per axis (0 = H, 1 = W): zeros inserted between cells (s−1), the length after
  // inserting them ((n−1)·s+1), and the pads before and after (dk−1−crop, < 0 crops).
  int64_t inserted(int axis) const;
  int64_t inserted_length(int axis) const;
  int64_t pad_before(int axis) const;
  int64_t pad_after(int axis) const;

  // "zero-insert s−1 = 1 between cells → 5×5, pad dk−1−crop = 2 → 9×9, 3×3 kernel rotated 180°, stride 1"
  std::string caption() const;

  // The view's mac step that multiplies the same input value by the same weight
  // into the same output cell as `scatter` (a step of `transpose`, the trace of
  // source()); nullopt for a cropped scatter, a bias step, or no trace().
  std::optional<core::Step> mac_of_scatter(const core::Trace& transpose, const core::Step& scatter) const;

 private:
  std::shared_ptr<const core::Scenario> source_;
  core::ZeroInsertionView view_;
  std::shared_ptr<const core::Trace> trace_;
  std::array<int64_t, 2> stride_{1, 1}, in_len_{0, 0}, pad_after_{0, 0};
};

}  // namespace model
