// canvas_layout.h — where a pane's grids go: cell sizes, the arrangement of
// the scatter row and the equivalent row, the panes on the canvas.
//
// Internal to the renderer (canvas_*.cpp). Everything here is arithmetic on
// shapes and options: no GL, no ImGui, no values and no cursor, so that
// preferred_size() and every frame of one export agree on the layout.
//
//   const Shape sh = shape_of(pane, opt);
//   const Metrics m = metrics_for(opt);
//   const PaneLayout lay = lay_out_pane(pane, sh, m, rect, index, eq, layout.grids);
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "app/model/equivalent_view.h"
#include "app/render/canvas_renderer.h"

namespace render {

// Everything about a pane's picture that does not depend on the cursor.
struct Shape {
  bool conv = true;
  int64_t in_rows = 0, in_cols = 0, in_row0 = 0, in_col0 = 0;     // input, with pads (conv)
  int64_t k_rows = 0, k_cols = 0;
  int64_t out_rows = 0, out_cols = 0, out_row0 = 0, out_col0 = 0;  // output, with crop margins (transpose)
  // The equivalent Conv2D (transpose, CanvasOptions::equivalent): the
  // zero-inserted, padded input, the rotated kernel, the output without margins.
  bool eq = false;
  int64_t eq_rows = 0, eq_cols = 0, eq_out_rows = 0, eq_out_cols = 0;

  int64_t rows1() const { return std::max({in_rows, out_rows, k_rows}); }
  int64_t rows2() const { return eq ? std::max({eq_rows, eq_out_rows, k_rows}) : 0; }
  int64_t cols1() const { return in_cols + k_cols + out_cols; }
  int64_t cols2() const { return eq ? eq_cols + k_cols + eq_out_cols : 0; }
};

Shape shape_of(const model::Pane& p, const CanvasOptions& o);

// Vertical metrics of a pane (px), from the options alone.
struct Metrics {
  float s = 1;
  float margin = 0, header = 0, label = 0, gutter = 0, op_gap = 0, text_block = 0, bottom = 0;
  // The equivalent row: its heading, caption and step line; the gap that sets it
  // off the scatter row (below) and the gap between the two rows side by side.
  // Beside, the row is narrower: caption and step line get two lines each.
  float eq_header = 0, eq_header_beside = 0, eq_gap = 0, eq_side_gap = 0;
};

Metrics metrics_for(const CanvasOptions& o);

struct Cells {
  float cell = 0, kcell = 0;
  bool beside = false;  // the equivalent row right of the scatter row (else below it)
};

// Below reads best (the same output right under the scatter's); side by side
// only when it gives clearly bigger cells (large grids on a wide pane).
Cells fit_cells(const Shape& sh, const Metrics& m, float w, float h);

// Panes side by side; more than three wrap onto a second row.
std::vector<CanvasLayout::PaneRect> pane_rects(size_t n, float w, float h);

// CanvasRenderer::preferred_size.
Size natural_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt);
// CanvasRenderer::grid_cells.
int64_t grid_cell_count(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt);

// Where one pane's pieces sit (px, canvas coordinates): what its drawing steps share.
struct PaneLayout {
  CanvasLayout::PaneRect r;
  float x0 = 0, inner_w = 0;  // the column that titles and text lines fill
  float cell = 0, kcell = 0;  // input/output cells, kernel cells
  bool beside = false;        // the equivalent row right of the scatter row (else below it)
  // The scatter row: its grids' band and the bias line under it.
  float grid_y = 0, rows_h = 0, bias_h = 0;
  // The equivalent row: its heading's top, its grids' band, its left edge.
  float eq_top = 0, eq_grid_y = 0, eq_rows_h = 0, eq_x0 = 0;
  GridRect input, kernel, output;
  GridRect eq_input, eq_kernel, eq_output;  // only when there is an equivalent view
};

// Lays out pane `index` in r and appends its grids to `grids` (input, kernel,
// output, then the equivalent row's when `eq` is given).
PaneLayout lay_out_pane(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasLayout::PaneRect& r,
                        int index, const model::EquivalentView* eq, std::vector<GridRect>& grids);

}  // namespace render
