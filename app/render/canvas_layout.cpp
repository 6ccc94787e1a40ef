#include "app/render/canvas_layout.h"

#include <climits>
#include <cmath>

namespace render {

namespace {

// Cells are at most this big (× content scale); text and margins in px × scale.
constexpr float kMaxCell = 64.0f;
constexpr float kMinKernelCell = 26.0f;

// The cell sizes that fit `sh` into a pane of w×h (px) with the equivalent row
// (if any) below the scatter row, or beside it.
Cells fit_arrangement(const Shape& sh, const Metrics& m, float w, float h, bool beside) {
  const float s = m.s;
  const int rows_of_grids = sh.eq ? 2 : 1;
  float avail_w = w - 2 * m.margin - 3 * m.gutter - 2 * m.op_gap;
  float avail_h = h - m.header - m.label - m.text_block - m.bottom;
  float rows = 0, grid_rows = 0, all_cols = 0, other_cols = 0, k_cols = 0, k_rows = 0;
  const float in_out1 = static_cast<float>(std::max(sh.in_rows, sh.out_rows));
  const float in_out2 = static_cast<float>(std::max(sh.eq_rows, sh.eq_out_rows));
  if (sh.eq && beside) {
    avail_w -= 3 * m.gutter + 2 * m.op_gap + m.eq_side_gap;
    avail_h -= m.eq_header_beside;
    rows = static_cast<float>(std::max(sh.rows1(), sh.rows2()));
    grid_rows = std::max(in_out1, in_out2);
    all_cols = static_cast<float>(sh.cols1() + sh.cols2());
    k_cols = static_cast<float>(2 * sh.k_cols);
    k_rows = static_cast<float>(sh.k_rows);
  } else {
    if (sh.eq) avail_h -= m.eq_gap + m.eq_header + m.label;
    rows = static_cast<float>(sh.rows1() + sh.rows2());
    grid_rows = in_out1 + (sh.eq ? in_out2 : 0);
    all_cols = static_cast<float>(std::max(sh.cols1(), sh.cols2()));
    k_cols = static_cast<float>(sh.k_cols);
    k_rows = static_cast<float>(rows_of_grids * sh.k_rows);
  }
  other_cols = all_cols - k_cols;
  float cell = std::min({kMaxCell * s, avail_w / all_cols, avail_h / rows});
  float kcell = cell;
  if (cell < kMinKernelCell * s) {
    // Big grids: keep the kernel readable and share the rest.
    kcell = std::min({kMinKernelCell * s, avail_w * 0.25f / k_cols, avail_h / k_rows});
    const float rest = avail_w - kcell * k_cols;
    cell = std::min({cell, rest / other_cols, avail_h / grid_rows});
    kcell = std::max(kcell, cell);
  }
  cell = std::max(cell, 0.25f);
  kcell = std::max(kcell, 0.25f);
  // Whole pixels while cells are big enough for borders to show.
  if (cell >= 6) cell = std::floor(cell);
  if (kcell >= 6) kcell = std::floor(kcell);
  return {cell, kcell, beside};
}

}  // namespace

Shape shape_of(const model::Pane& p, const CanvasOptions& o) {
  const core::Geometry& g = p.geometry();
  const core::Scenario& s = p.scenario();
  Shape sh;
  sh.conv = g.op == core::Op::conv2d;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  if (sh.conv) {
    sh.in_rows = ay.pad_before + s.input.h + ay.pad_after;
    sh.in_cols = ax.pad_before + s.input.w + ax.pad_after;
    sh.in_row0 = -ay.pad_before;
    sh.in_col0 = -ax.pad_before;
    sh.out_rows = g.out_h();
    sh.out_cols = g.out_w();
  } else {
    sh.in_rows = s.input.h;
    sh.in_cols = s.input.w;
    const int64_t mt = std::max<int64_t>(ay.crop_before, 0), mb = std::max<int64_t>(ay.crop_after, 0);
    const int64_t ml = std::max<int64_t>(ax.crop_before, 0), mr = std::max<int64_t>(ax.crop_after, 0);
    sh.out_rows = mt + g.out_h() + mb;
    sh.out_cols = ml + g.out_w() + mr;
    sh.out_row0 = -mt;
    sh.out_col0 = -ml;
    if (o.equivalent) {
      // As core::transpose_as_conv lays it out: a valid stride-1 conv giving `out` needs out + dk − 1.
      sh.eq = true;
      sh.eq_rows = g.out_h() + ay.dilated_kernel - 1;
      sh.eq_cols = g.out_w() + ax.dilated_kernel - 1;
      sh.eq_out_rows = g.out_h();
      sh.eq_out_cols = g.out_w();
    }
  }
  sh.k_rows = s.kernel.kh;
  sh.k_cols = s.kernel.kw;
  return sh;
}

Metrics metrics_for(const CanvasOptions& o) {
  Metrics m;
  const float s = m.s = o.content_scale;
  m.margin = 14 * s;
  m.header = o.title ? 46 * s : 8 * s;
  m.label = 50 * s;   // "input" + shape line + column indices
  m.gutter = 28 * s;  // row indices left of each grid
  m.op_gap = 34 * s;  // the operator glyph between grids
  float tb = 10 * s;
  if (o.arithmetic) tb += 40 * s;
  if (o.formula) tb += 50 * s;
  if (o.legend) tb += 40 * s;
  m.text_block = tb;
  m.bottom = 8 * s;
  m.eq_header = 58 * s;
  m.eq_header_beside = 96 * s;
  m.eq_gap = 14 * s;
  m.eq_side_gap = 30 * s;
  return m;
}

Cells fit_cells(const Shape& sh, const Metrics& m, float w, float h) {
  const Cells below = fit_arrangement(sh, m, w, h, false);
  if (!sh.eq) return below;
  const Cells beside = fit_arrangement(sh, m, w, h, true);
  return beside.cell > below.cell * 1.25f ? beside : below;
}

std::vector<CanvasLayout::PaneRect> pane_rects(size_t n, float w, float h) {
  std::vector<CanvasLayout::PaneRect> r;
  if (n == 0) return r;
  const size_t cols = n <= 3 ? n : (n + 1) / 2;
  const size_t rows = (n + cols - 1) / cols;
  const float pw = std::floor(w / static_cast<float>(cols)), ph = std::floor(h / static_cast<float>(rows));
  for (size_t i = 0; i < n; ++i)
    r.push_back({static_cast<float>(i % cols) * pw, static_cast<float>(i / cols) * ph, pw, ph});
  return r;
}

Size natural_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) {
  const Metrics m = metrics_for(opt);
  const float s = m.s;
  // Each pane at its natural cell size, grids at most ~420 px wide together.
  float pane_w = 0, pane_h = 0;
  for (const model::Pane* p : panes) {
    const Shape sh = shape_of(*p, opt);
    // The equivalent row goes below the scatter row: it widens the pane to the
    // wider row and adds its heading, labels and grids to the height.
    const float cols = static_cast<float>(std::max(sh.cols1(), sh.cols2()));
    const float rows = static_cast<float>(sh.rows1() + sh.rows2());
    float cell = std::min({kMaxCell * s, 520 * s / cols, (sh.eq ? 600 : 420) * s / rows});
    cell = std::max(cell, 2.0f * s);
    const float grids_w = 2 * m.margin + 3 * m.gutter + 2 * m.op_gap + cols * cell + 24 * s;
    // The equivalent row's caption is one line of up to ~100 characters.
    const float w = std::max(grids_w, (sh.eq ? 640 : 470) * s);
    const float eq_h = sh.eq ? m.eq_gap + m.eq_header + m.label : 0;
    const float h = m.header + m.label + rows * cell + eq_h + m.text_block + m.bottom + 8 * s;
    pane_w = std::max(pane_w, w);
    pane_h = std::max(pane_h, h);
  }
  const size_t n = std::max<size_t>(panes.size(), 1);
  const size_t cols = n <= 3 ? n : (n + 1) / 2;
  const size_t rows = (n + cols - 1) / cols;
  Size sz;
  sz.w = static_cast<int>(std::ceil(pane_w * static_cast<float>(cols)));
  sz.h = static_cast<int>(std::ceil(pane_h * static_cast<float>(rows)));
  sz.w = std::clamp(sz.w, 64, static_cast<int>(4096 * s));
  sz.h = std::clamp(sz.h, 64, static_cast<int>(4096 * s));
  // Even sizes (video encoders like them; GIF does not care).
  sz.w += sz.w & 1;
  sz.h += sz.h & 1;
  return sz;
}

int64_t grid_cell_count(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) {
  int64_t total = 0;
  auto add = [&total](int64_t rows, int64_t cols) {
    int64_t cells = 0;
    if (__builtin_mul_overflow(rows, cols, &cells) || __builtin_add_overflow(total, cells, &total))
      total = INT64_MAX;
  };
  for (const model::Pane* p : panes) {
    const Shape sh = shape_of(*p, opt);
    add(sh.in_rows, sh.in_cols);
    add(sh.k_rows, sh.k_cols);
    add(sh.out_rows, sh.out_cols);
    if (sh.eq) {
      add(sh.eq_rows, sh.eq_cols);
      add(sh.k_rows, sh.k_cols);
      add(sh.eq_out_rows, sh.eq_out_cols);
    }
  }
  return total;
}

PaneLayout lay_out_pane(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasLayout::PaneRect& r,
                        int index, const model::EquivalentView* eq, std::vector<GridRect>& grids) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const float sc = m.s;
  PaneLayout lay;
  lay.r = r;
  lay.x0 = r.x + m.margin;
  lay.inner_w = r.w - 2 * m.margin;
  const float x0 = lay.x0, inner_w = lay.inner_w;

  const Cells cells = fit_cells(sh, m, r.w, r.h);
  const float cell = lay.cell = cells.cell, kcell = lay.kcell = cells.kcell;
  const float in_w = cell * static_cast<float>(sh.in_cols), in_h = cell * static_cast<float>(sh.in_rows);
  const float k_w = kcell * static_cast<float>(sh.k_cols), k_h = kcell * static_cast<float>(sh.k_rows);
  const float out_w = cell * static_cast<float>(sh.out_cols), out_h = cell * static_cast<float>(sh.out_rows);
  const float content_w = 3 * m.gutter + 2 * m.op_gap + in_w + k_w + out_w;
  // The equivalent row (transpose with the option on): below the scatter row, or beside it.
  const float eq_in_w = cell * static_cast<float>(sh.eq_cols), eq_in_h = cell * static_cast<float>(sh.eq_rows);
  const float eq_out_w = cell * static_cast<float>(sh.eq_out_cols), eq_out_h = cell * static_cast<float>(sh.eq_out_rows);
  const float eq_content_w = sh.eq ? 3 * m.gutter + 2 * m.op_gap + eq_in_w + k_w + eq_out_w : 0;
  const bool beside = lay.beside = sh.eq && cells.beside;
  const float bias_h = lay.bias_h = s.bias ? 10 * sc : 0;
  float rows_h = std::max({in_h, k_h, out_h});
  float eq_rows_h = sh.eq ? std::max({eq_in_h, k_h, eq_out_h}) : 0;
  if (beside) rows_h = eq_rows_h = std::max(rows_h, eq_rows_h);
  lay.rows_h = rows_h;
  lay.eq_rows_h = eq_rows_h;
  // Grids and text sit together, centred in the room below the title.
  float content_h = m.label + rows_h + bias_h;
  if (sh.eq) content_h = beside ? m.eq_header_beside + content_h : content_h + m.eq_gap + m.eq_header + m.label + eq_rows_h;
  const float y = r.y + m.header;
  const float spare = std::max(0.0f, r.h - m.header - m.text_block - m.bottom - content_h);
  const float top = y + spare / 2;
  const float grid_y = lay.grid_y = std::round(top + (beside ? m.eq_header_beside : 0) + m.label);
  lay.eq_top = std::round(beside ? top : grid_y + rows_h + bias_h + m.eq_gap);
  const float eq_grid_y = lay.eq_grid_y = std::round(beside ? grid_y : lay.eq_top + m.eq_header + m.label);
  float gx;
  if (beside) {
    gx = std::round(x0 + std::max(0.0f, (inner_w - content_w - m.eq_side_gap - eq_content_w) / 2));
    lay.eq_x0 = gx + content_w + m.eq_side_gap;
  } else {
    gx = std::round(x0 + std::max(0.0f, (inner_w - content_w) / 2));
    lay.eq_x0 = std::round(x0 + std::max(0.0f, (inner_w - eq_content_w) / 2));
  }

  // Grids go left to right in a row, centred on its band, an operator's gap apart.
  float row_y = grid_y, row_h = rows_h;
  auto place = [&](GridKind kind, float width, float height, float c, int64_t rows, int64_t cols, int64_t row0,
                   int64_t col0, int64_t th, int64_t tw) {
    GridRect gr;
    gr.pane = index;
    gr.kind = kind;
    gr.x = std::round(gx + m.gutter);
    gr.y = std::round(row_y + (row_h - height) / 2);
    gr.w = width;
    gr.h = height;
    gr.cell = c;
    gr.rows = rows;
    gr.cols = cols;
    gr.row0 = row0;
    gr.col0 = col0;
    gr.tensor_h = th;
    gr.tensor_w = tw;
    gx = gr.x + width + m.op_gap;
    grids.push_back(gr);
    return gr;
  };
  lay.input = place(GridKind::input, in_w, in_h, cell, sh.in_rows, sh.in_cols, sh.in_row0, sh.in_col0, s.input.h, s.input.w);
  lay.kernel = place(GridKind::kernel, k_w, k_h, kcell, sh.k_rows, sh.k_cols, 0, 0, s.kernel.kh, s.kernel.kw);
  lay.output =
      place(GridKind::output, out_w, out_h, cell, sh.out_rows, sh.out_cols, sh.out_row0, sh.out_col0, g.out_h(), g.out_w());
  // The equivalent Conv2D's grids, in the coordinates of the zero-inserted input.
  if (eq) {
    row_y = eq_grid_y;
    row_h = eq_rows_h;
    gx = lay.eq_x0;
    lay.eq_input = place(GridKind::equivalent_input, eq_in_w, eq_in_h, cell, sh.eq_rows, sh.eq_cols, -eq->pad_before(0),
                         -eq->pad_before(1), eq->inserted_length(0), eq->inserted_length(1));
    lay.eq_kernel = place(GridKind::equivalent_kernel, k_w, k_h, kcell, sh.k_rows, sh.k_cols, 0, 0, s.kernel.kh, s.kernel.kw);
    lay.eq_output = place(GridKind::equivalent_output, eq_out_w, eq_out_h, cell, sh.eq_out_rows, sh.eq_out_cols, 0, 0,
                          g.out_h(), g.out_w());
  }
  return lay;
}

}  // namespace render
