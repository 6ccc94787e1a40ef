// The current step over the scatter row: the conv window sliding over the
// input, or the transpose stamp landing on the output.
#include <algorithm>
#include <cmath>

#include "app/render/canvas_pane.h"
#include "core/format.h"

namespace render {

// Thick enough to see on small cells, never thicker than a fifth of a cell.
float PanePainter::overlay_thickness() const { return std::max(1.5f * sc, std::min(3.0f * sc, lay.cell / 5)); }

// Each tap of a dilated window: a tint over the cell it reads and a lighter
// outline; the cells the dilation skips inside the window are washed out and
// crossed, so taps and gaps read apart even on a projector.
void PanePainter::dilated_taps(const GridRect& gr, int64_t y0, int64_t x0, float thick) const {
  const auto &ay = g.axes[0], &ax = g.axes[1];
  if (ay.dilation == 1 && ax.dilation == 1) return;
  for (int64_t dy = 0; dy < ay.dilated_kernel; ++dy)
    for (int64_t dx = 0; dx < ax.dilated_kernel; ++dx) {
      const int64_t ty = y0 + dy, tx = x0 + dx;
      if (!cell_drawn(gr, ty, tx)) continue;
      const ImVec2 a = cell_min(gr, ty, tx), b = cell_max(gr, ty, tx);
      if (dy % ay.dilation == 0 && dx % ax.dilation == 0) {
        dl->AddRectFilled(a, b, packed(colors::kDilatedTapTint));
        outline(gr, ty, tx, ty, tx, packed(colors::kDilatedTap), std::max(1.0f, thick / 2));
        continue;
      }
      dl->AddRectFilled(a, b, packed(colors::kDilationGapWash));
      const float inset = (b.x - a.x) / 5;
      dl->AddLine(ImVec2(a.x + inset, a.y + inset), ImVec2(b.x - inset, b.y - inset), packed(colors::kDilationGapMark), 1.0f * sc);
      dl->AddLine(ImVec2(a.x + inset, b.y - inset), ImVec2(b.x - inset, a.y + inset), packed(colors::kDilationGapMark), 1.0f * sc);
    }
}

void PanePainter::draw_conv_window() const {
  if (!step) return;
  const GridRect &gin = lay.input, &gk = lay.kernel, &gout = lay.output;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  const int64_t oy = step->output.y, ox = step->output.x;
  const int64_t iy0 = ay.conv_input_of(oy, 0), ix0 = ax.conv_input_of(ox, 0);
  const float thick = overlay_thickness();
  dilated_taps(gin, iy0, ix0, thick);
  outline(gin, iy0, ix0, iy0 + ay.dilated_kernel - 1, ix0 + ax.dilated_kernel - 1, kWindow, thick);
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
  if (step->kind == core::StepKind::bias) {
    if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
    return;
  }
  const auto &ay = g.axes[0], &ax = g.axes[1];
  const float thick = overlay_thickness();
  if (trace.gathers()) {
    // Gather order: the output cell's window over the zero-inserted input reads
    // the input cells whose stamps reach it; the step's tap is outlined.
    if (step->input) highlight(gin, step->input->y, step->input->x);
    highlight(gk, (*step->tap)[0], (*step->tap)[1]);
    if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
    else outline(gout, step->output.y, step->output.x, step->output.y, step->output.x, kWindow, thick);
    return;
  }
  const int64_t iy = step->input->y, ix = step->input->x;
  const int64_t y0 = ay.transpose_output_of(iy, 0), x0s = ax.transpose_output_of(ix, 0);
  highlight(gin, iy, ix);
  highlight(gk, (*step->tap)[0], (*step->tap)[1]);
  // The stamp's footprint, and the cropped taps faded outside the output frame.
  dilated_taps(gout, y0, x0s, thick);
  outline(gout, y0, x0s, y0 + ay.dilated_kernel - 1, x0s + ax.dilated_kernel - 1, kWindow, thick);
  const int64_t done_taps = cursor - trace.first_step_of_unit(trace.unit_of_step(cursor));  // index within the stamp
  const int64_t Fg = g.out_per_group(), f_local = f - g.group_of_input_channel(step->input->c) * Fg;
  for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
    for (int64_t kx = 0; kx < s.kernel.kw; ++kx) {
      const int64_t ty = ay.transpose_output_of(iy, ky), tx = ax.transpose_output_of(ix, kx);
      if (g.out_h() > ty && ty >= 0 && g.out_w() > tx && tx >= 0) continue;
      if (!cell_drawn(gout, ty, tx) || f_local < 0 || f_local >= Fg) continue;
      // Cropped: only taps of this stamp already scattered (tap order ky, kx, f of the group).
      const int64_t tap_index = (ky * s.kernel.kw + kx) * Fg + f_local;
      if (tap_index > done_taps) continue;
      const double v = s.input.at(iy, ix, step->input->c) * trace.weight(ky, kx, step->input->c, f);
      const ImVec2 a = cell_min(gout, ty, tx), b = cell_max(gout, ty, tx);
      dl->AddRectFilled(a, b, map_colour(static_cast<float>(v) / ranges.output, colors::kCroppedTapAlpha));
      dl->AddRect(a, b, packed(colors::kCroppedTapFrame), 0, 0, 1.0f * sc);
      const GridRect* st = stats(GridKind::output);
      if (st && st->values) {
        const std::string label = core::format_short(v, st->digits);
        const ImFont* font = text.value_font(st->value_px);
        if (font && text.measure(font, label).x <= gout.cell - 2) {
          const ImVec2 ts = text.measure(font, label);
          dl->AddText(const_cast<ImFont*>(font), font->FontSize,
                      ImVec2(std::round(a.x + (gout.cell - ts.x) / 2), std::round(a.y + (gout.cell - ts.y) / 2)),
                      packed(colors::kCroppedTapText), label.c_str());
        }
      }
    }
  if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
}

}  // namespace render
