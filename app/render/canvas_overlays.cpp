// The current step over the scatter row: the conv window sliding over the
// input, or the transpose stamp landing on the output.
#include <algorithm>

#include "app/render/canvas_pane.h"

namespace render {

// Thick enough to see on small cells, never thicker than a fifth of a cell.
float PanePainter::overlay_thickness() const { return std::max(1.5f * sc, std::min(3.0f * sc, lay.cell / 5)); }

void PanePainter::dilated_taps(const GridRect& gr, int64_t y0, int64_t x0, float thick) const {
  const auto &ay = g.axes[0], &ax = g.axes[1];
  if (ay.dilation > 1 || ax.dilation > 1)
    for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
      for (int64_t kx = 0; kx < s.kernel.kw; ++kx)
        outline(gr, y0 + ky * ay.dilation, x0 + kx * ax.dilation, y0 + ky * ay.dilation, x0 + kx * ax.dilation,
                packed(colors::kDilatedTap), std::max(1.0f, thick / 2));
}

void PanePainter::draw_conv_window() const {
  if (!step) return;
  const GridRect &gin = lay.input, &gk = lay.kernel, &gout = lay.output;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  const int64_t oy = step->output.y, ox = step->output.x;
  const int64_t iy0 = oy * ay.stride - ay.pad_before, ix0 = ox * ax.stride - ax.pad_before;
  const float thick = overlay_thickness();
  outline(gin, iy0, ix0, iy0 + ay.dilated_kernel - 1, ix0 + ax.dilated_kernel - 1, kWindow, thick);
  dilated_taps(gin, iy0, ix0, thick);
  if (step->kind == core::StepKind::mac) {
    highlight(gin, step->input->y, step->input->x);
    highlight(gk, (*step->tap)[0], (*step->tap)[1]);
  }
  // Another filter's cell: where it is, without claiming it is on view.
  if (step->output.c == f) highlight(gout, oy, ox);
  else outline(gout, oy, ox, oy, ox, kWindow, thick);
}

void PanePainter::draw_transpose_stamp() const {
  if (!step) return;
  const GridRect &gin = lay.input, &gk = lay.kernel, &gout = lay.output;
  if (step->kind != core::StepKind::scatter) {  // a bias step
    if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
    return;
  }
  const auto &ay = g.axes[0], &ax = g.axes[1];
  const int64_t iy = step->input->y, ix = step->input->x;
  const int64_t y0 = iy * ay.stride - ay.crop_before, x0s = ix * ax.stride - ax.crop_before;
  const float thick = overlay_thickness();
  highlight(gin, iy, ix);
  highlight(gk, (*step->tap)[0], (*step->tap)[1]);
  // The stamp's footprint, and the cropped taps faded outside the output frame.
  outline(gout, y0, x0s, y0 + ay.dilated_kernel - 1, x0s + ax.dilated_kernel - 1, kWindow, thick);
  const int64_t done_taps = cursor - trace.first_step_of_unit(trace.unit_of_step(cursor));  // index within the stamp
  // One pass per tap (not dilated_taps, then the cropped ones): a cropped tap's
  // fill must cover its own dilated outline, as it always has.
  for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
    for (int64_t kx = 0; kx < s.kernel.kw; ++kx) {
      const int64_t ty = y0 + ky * ay.dilation, tx = x0s + kx * ax.dilation;
      if (ay.dilation > 1 || ax.dilation > 1) outline(gout, ty, tx, ty, tx, packed(colors::kDilatedTap), std::max(1.0f, thick / 2));
      if (g.out_h() > ty && ty >= 0 && g.out_w() > tx && tx >= 0) continue;
      // Cropped: only taps of this stamp already scattered (tap order ky, kx, f).
      const int64_t tap_index = (ky * s.kernel.kw + kx) * F + f;
      if (tap_index > done_taps) continue;
      const double v = s.input.at(iy, ix, step->input->c) * s.kernel.at(ky, kx, step->input->c, f);
      const ImVec2 a = cell_min(gout, ty, tx), b = cell_max(gout, ty, tx);
      dl->AddRectFilled(a, b, map_colour(static_cast<float>(v) / out_max, colors::kCroppedTapAlpha));
      dl->AddRect(a, b, packed(colors::kCroppedTapFrame), 0, 0, 1.0f * sc);
      draw_value(gout, ty, tx, v, 1.0f / out_max, packed(colors::kCroppedTapText));
    }
  if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
}

}  // namespace render
