#include "app/render/volume_layout.h"

#include <algorithm>
#include <cmath>

namespace render {

float volume_depth(float cell, int64_t rows, int64_t cols, int64_t n, float content_scale) {
  if (n <= 1) return 0;
  // About half a cell, at least 3 px so that a back slice's colour shows; the
  // whole depth at most 60 % of the slice's shorter side, so the front slice
  // stays the picture's largest part.
  const float wanted = std::round(std::max(0.45f * cell, 3.0f * content_scale));
  const float cap = std::floor(0.6f * cell * static_cast<float>(std::min(rows, cols)) / static_cast<float>(n - 1));
  return std::max(1.0f, std::min(wanted, cap));
}

namespace {

struct Sizes {
  int64_t C = 1, F = 1, Cg = 1;  // input channels, filters, kernel slices per filter
  int64_t in_rows = 0, in_cols = 0, k_rows = 0, k_cols = 0, out_rows = 0, out_cols = 0;
};

Sizes sizes_of(const model::Pane& p, const Shape& sh) {
  Sizes z;
  z.C = p.scenario().input.c;
  z.F = p.scenario().filters();
  // The weights one filter (conv) or one output channel (transpose) reads per input channel of its group.
  z.Cg = p.geometry().in_per_group();
  z.in_rows = sh.in_rows, z.in_cols = sh.in_cols;
  z.k_rows = sh.k_rows, z.k_cols = sh.k_cols;
  z.out_rows = sh.out_rows, z.out_cols = sh.out_cols;
  return z;
}

float kernel_cell(float c, const Metrics& m) { return std::max(c, std::min(m.min_kernel_cell, 4 * c)); }

SliceStack stack(int64_t rows, int64_t cols, int64_t row0, int64_t col0, int64_t n, float cell, float step_x,
                 float step_y) {
  SliceStack s;
  s.rows = rows, s.cols = cols, s.row0 = row0, s.col0 = col0, s.n = n, s.cell = cell;
  s.step_x = step_x, s.step_y = step_y;
  return s;
}

// The picture at input cell c with kcols filter stacks a row; positions relative to (0, 0).
VolumeLayout place(const Sizes& z, const Shape& sh, const Metrics& m, float c, int kcols, bool exploded,
                   float breakdown_h) {
  VolumeLayout v;
  v.exploded = exploded;
  v.kcols = kcols;
  v.label_h = std::round(m.label_h * 0.55f);
  v.breakdown_h = breakdown_h;
  const float kc = kernel_cell(c, m), gap = m.gap, op_gap = m.op_gap, lh = v.label_h;
  if (exploded) {
    v.input = stack(z.in_rows, z.in_cols, sh.in_row0, sh.in_col0, z.C, c, static_cast<float>(z.in_cols) * c + gap, 0);
    v.input.x = 0, v.input.y = lh;
    SliceStack k = stack(z.k_rows, z.k_cols, 0, 0, z.Cg, kc, static_cast<float>(z.k_cols) * kc + gap, 0);
    const float line2 = v.input.bottom() + m.line_gap + lh;
    k.x = 0, k.y = line2;
    v.filters.push_back(k);
    v.output = stack(z.out_rows, z.out_cols, sh.out_row0, sh.out_col0, 1, c, 0, 0);
    v.output.x = k.right() + op_gap, v.output.y = line2;
    v.content_w = std::max(v.input.right(), v.output.right());
    v.breakdown_y = std::max(k.bottom(), v.output.bottom()) + 6 * m.s + m.line_gap;
    v.content_h = v.breakdown_y + breakdown_h;
    return v;
  }
  v.pulled = true;
  // Room left of the stacks for the group bands along their depth edges.
  const float lpad = std::round(10 * m.s);
  const float d_in = volume_depth(c, z.in_rows, z.in_cols, z.C, m.s);
  const float d_k = volume_depth(kc, z.k_rows, z.k_cols, z.Cg, m.s);
  const float d_out = volume_depth(c, z.out_rows, z.out_cols, z.F, m.s);
  v.input = stack(z.in_rows, z.in_cols, sh.in_row0, sh.in_col0, z.C, c, d_in, -d_in);
  v.output = stack(z.out_rows, z.out_cols, sh.out_row0, sh.out_col0, z.F, c, d_out, -d_out);
  v.input_pulled = stack(z.in_rows, z.in_cols, sh.in_row0, sh.in_col0, 1, c, 0, 0);
  v.kernel_pulled = stack(z.k_rows, z.k_cols, 0, 0, 1, kc, 0, 0);
  v.output_pulled = stack(z.out_rows, z.out_cols, sh.out_row0, sh.out_col0, 1, c, 0, 0);
  const SliceStack k0 = stack(z.k_rows, z.k_cols, 0, 0, z.Cg, kc, d_k, -d_k);
  const float k_w = k0.right() - k0.left(), k_h = k0.bottom() - k0.top();
  const int64_t krows = (z.F + kcols - 1) / kcols;
  // Top row: the pulled-out slices; under it the stacks.
  const float pulled_h = std::max({v.input_pulled.slice_h(), v.kernel_pulled.slice_h(), v.output_pulled.slice_h()});
  const float stacks_y = lh + pulled_h + m.line_gap;
  const float in_w = std::max(v.input.right() - v.input.left(), v.input_pulled.slice_w());
  const float grid_w = static_cast<float>(kcols) * k_w + static_cast<float>(kcols - 1) * gap;
  const float k_col_w = std::max(grid_w, v.kernel_pulled.slice_w());
  const float out_w = std::max(v.output.right() - v.output.left(), v.output_pulled.slice_w());
  const float kx = lpad + in_w + op_gap, ox = kx + k_col_w + op_gap;
  v.input_pulled.x = lpad, v.input_pulled.y = lh;
  v.kernel_pulled.x = kx, v.kernel_pulled.y = lh;
  v.output_pulled.x = ox, v.output_pulled.y = lh;
  // A stack's front slice sits below its back slices: y of slice 0 = top + depth extent.
  v.input.x = lpad, v.input.y = stacks_y + lh + (v.input.slice_y(0) - v.input.top());
  v.output.x = ox, v.output.y = stacks_y + lh + (v.output.slice_y(0) - v.output.top());
  for (int64_t f = 0; f < z.F; ++f) {
    SliceStack k = k0;
    const int64_t r = f / kcols, col = f % kcols;
    k.x = kx + static_cast<float>(col) * (k_w + gap);
    k.y = stacks_y + static_cast<float>(r) * (lh + k_h + gap) + lh + (k0.slice_y(0) - k0.top());
    v.filters.push_back(k);
  }
  const float grid_bottom = stacks_y + static_cast<float>(krows) * (lh + k_h + gap) - gap;
  v.content_w = ox + out_w;
  // Under the stacks and the group bars under the filters (canvas_volume.cpp: 2 + 4 px at scale 1).
  v.breakdown_y = std::max({v.input.bottom(), v.output.bottom(), grid_bottom + 6 * m.s}) + m.line_gap;
  v.content_h = v.breakdown_y + breakdown_h;
  return v;
}

void shift(SliceStack& s, float dx, float dy) {
  s.x = std::round(s.x + dx);
  s.y = std::round(s.y + dy);
}

}  // namespace

bool volume_fits(const model::Pane& p, const Shape& sh) {
  const Sizes z = sizes_of(p, sh);
  const int64_t in_cells = z.in_rows * z.in_cols, out_cells = z.out_rows * z.out_cols, k_cells = z.k_rows * z.k_cols;
  if (z.C > kMaxVolumeStack || z.F > kMaxVolumeStack || z.Cg > kMaxVolumeStack) return false;
  if (z.C + z.F * z.Cg + z.F + 3 > kMaxVolumeSlices) return false;
  // Each term below is under 2^23 · 2^6 once the checks before it hold: no overflow.
  for (int64_t side : {z.in_rows, z.in_cols, z.k_rows, z.k_cols, z.out_rows, z.out_cols})
    if (side > kMaxVolumeSide) return false;
  if (in_cells > kMaxVolumeCells || out_cells > kMaxVolumeCells || k_cells > kMaxVolumeCells) return false;
  return (z.C + 1) * in_cells + z.F * z.Cg * k_cells + (z.F + 1) * out_cells <= kMaxVolumeCells;
}

bool shows_volume(const model::Pane& p, const CanvasOptions& o) {
  if (!p.volume_view && !p.all_channels) return false;
  CanvasOptions plain = o;
  plain.equivalent = false;
  return volume_fits(p, shape_of(p, plain));
}

VolumeLayout lay_out_volume(const model::Pane& p, const Shape& sh, const Metrics& m, float bx, float by, float bw,
                            float bh, float breakdown_h) {
  const Sizes z = sizes_of(p, sh);
  const bool exploded = !p.volume_view;
  // The largest whole-pixel cell (and the filters' arrangement) that fits the band.
  VolumeLayout best = place(z, sh, m, 1, 1, exploded, breakdown_h);
  float best_c = 0;
  const int max_kcols = exploded ? 1 : static_cast<int>(std::min<int64_t>(z.F, 16));
  for (int kcols = 1; kcols <= max_kcols; ++kcols) {
    float lo = 1, hi = std::max(1.0f, std::floor(m.max_cell));
    auto fits = [&](float c) {
      const VolumeLayout v = place(z, sh, m, c, kcols, exploded, breakdown_h);
      // A little slack: frames are drawn centred on the slices' edges.
      const float slack = 2 * m.s;
      return v.content_w <= bw - slack && v.content_h <= bh - slack;
    };
    if (!fits(lo)) continue;
    while (lo < hi) {
      const float mid = std::floor((lo + hi + 1) / 2);
      if (fits(mid)) lo = mid;
      else hi = mid - 1;
    }
    if (lo > best_c) {
      best_c = lo;
      best = place(z, sh, m, lo, kcols, exploded, breakdown_h);
    }
  }
  // Centred in the band (top-aligned when it does not fit).
  const float dx = bx + std::max(0.0f, (bw - best.content_w) / 2);
  const float dy = by + std::max(0.0f, (bh - best.content_h) / 2);
  shift(best.input, dx, dy);
  shift(best.output, dx, dy);
  for (SliceStack& k : best.filters) shift(k, dx, dy);
  shift(best.input_pulled, dx, dy);
  shift(best.kernel_pulled, dx, dy);
  shift(best.output_pulled, dx, dy);
  best.breakdown_y = std::round(best.breakdown_y + dy);
  best.x = std::round(dx);
  best.y = std::round(dy);
  return best;
}

Size volume_canvas_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& o, const CanvasText& text,
                        float breakdown_h) {
  CanvasOptions plain = o;
  plain.equivalent = false;
  const Metrics m = metrics_for(plain, text);
  Size total;
  for (const model::Pane* p : panes) {
    if (!shows_volume(*p, o)) {
      const Size one = natural_size({p}, o, text);
      total.w += one.w;
      total.h = std::max(total.h, one.h);
      continue;
    }
    const Shape sh = shape_of(*p, plain);
    // What the header and the text block take: the pane laid out on a large canvas, less its band.
    const CanvasLayout::PaneRect big{0, 0, 1600 * m.s, 1000 * m.s};
    std::vector<GridRect> scratch;
    const PaneLayout lay = lay_out_pane(*p, sh, m, text, plain, big, 0, nullptr, scratch);
    const float around_w = big.w - lay.band_w, around_h = big.h - lay.band_h;
    const Sizes z = sizes_of(*p, sh);
    const int kcols = static_cast<int>(std::min<int64_t>(z.F, 4));
    float c = std::floor(m.max_cell);
    VolumeLayout v = place(z, sh, m, c, kcols, !p->volume_view, breakdown_h);
    while (c > 2 && (v.content_w + around_w > 1600 * m.s || v.content_h + around_h > 1000 * m.s)) {
      c -= 1;
      v = place(z, sh, m, c, kcols, !p->volume_view, breakdown_h);
    }
    total.w += static_cast<int>(std::ceil(v.content_w + around_w));
    total.h = std::max(total.h, static_cast<int>(std::ceil(v.content_h + around_h)));
  }
  return frame_within_cap(static_cast<float>(total.w), static_cast<float>(total.h), m.s);
}

}  // namespace render
