// The equivalent Conv2D under (or beside) a transpose's scatter row: the
// zero-inserted, padded input, the kernel rotated 180° and the same output,
// with the window and tap of the conv step that multiplies the current a·w.
#include <algorithm>
#include <cmath>

#include "app/model/arithmetic_text.h"
#include "app/render/canvas_pane.h"

namespace render {

void PanePainter::draw_equivalent_values() const {
  if (!o.values) return;
  if (lay.cell >= 16 * sc) {
    // Real input cells only: the dots say "inserted zero", the hatch "padding".
    for (int64_t ty = 0; ty < s.input.h; ++ty)
      for (int64_t tx = 0; tx < s.input.w; ++tx) {
        const int64_t zy = ty * g.axes[0].stride, zx = tx * g.axes[1].stride;  // zero-inserted coordinates
        if (eq->cell(zy + eq->pad_before(0), zx + eq->pad_before(1)) != model::PaddedCell::input) continue;  // cropped
        draw_value(lay.eq_input, zy, zx, s.input.at(ty, tx, ch), 1.0f / in_max);
      }
    for (int64_t ty = 0; ty < partial.h; ++ty)  // partial is empty while the output is not ready
      for (int64_t tx = 0; tx < partial.w; ++tx) draw_value(lay.eq_output, ty, tx, partial.at(ty, tx, f), 1.0f / out_max);
  }
  for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
    for (int64_t kx = 0; kx < s.kernel.kw; ++kx)
      draw_value(lay.eq_kernel, ky, kx, eq->conv().kernel.at(ky, kx, ch, f), 1.0f / k_max);
}

float PanePainter::draw_equivalent_row() const {
  const GridRect &gein = lay.eq_input, &gek = lay.eq_kernel, &geout = lay.eq_output;
  const CanvasLayout::PaneRect& r = lay.r;
  const float x0 = lay.x0, inner_w = lay.inner_w, eq_x0 = lay.eq_x0, eq_top = lay.eq_top;
  const bool beside = lay.beside;
  frame(gein);
  frame(gek);
  frame(geout);
  label(gein, "zero-inserted input",
        "padded to " + dims(eq->rows(), eq->cols(), C, true) + " (H×W×C)" + (C > 1 ? " · c=" + std::to_string(ch) : ""));
  label(gek, "kernel rotated 180°",
        "w′[i,j] = w[" + std::to_string(s.kernel.kh - 1) + "−i," + std::to_string(s.kernel.kw - 1) + "−j]" +
            (C > 1 || F > 1 ? " · c=" + std::to_string(ch) + " f=" + std::to_string(f) : ""));
  label(geout, "output (the same)", dims(g.out_h(), g.out_w(), F, true) + " (H×W×F)" + (F > 1 ? " · f=" + std::to_string(f) : ""));
  // Input indices over the real cells only: x[·, 1] sits at column s·1 after the insertion.
  if (gein.cell >= 3) {
    const int64_t sy = g.axes[0].stride, sx = g.axes[1].stride;
    const float digit_w = text.measure(text.small, std::to_string(s.input.w - 1)).x + 4 * sc;
    int64_t every = 1;
    while (static_cast<float>(every * sx) * gein.cell < digit_w) every = every < 5 ? 5 : every * 2;
    for (int64_t tx = 0; tx < s.input.w; tx += every) {
      const int64_t zx = tx * sx;
      if (zx < gein.col0 || zx >= gein.col0 + gein.cols) continue;
      const std::string t = std::to_string(tx);
      const float tw = text.measure(text.small, t).x;
      dl->AddText(text.small, text.small->FontSize,
                  ImVec2(std::round(cell_min(gein, 0, zx).x + (gein.cell - tw) / 2), gein.y - 15 * sc), kMuted, t.c_str());
    }
    int64_t every_y = 1;
    while (static_cast<float>(every_y * sy) * gein.cell < text.small->FontSize + 1) every_y = every_y < 5 ? 5 : every_y * 2;
    for (int64_t ty = 0; ty < s.input.h; ty += every_y) {
      const int64_t zy = ty * sy;
      if (zy < gein.row0 || zy >= gein.row0 + gein.rows) continue;
      const std::string t = std::to_string(ty);
      const float tw = text.measure(text.small, t).x;
      dl->AddText(text.small, text.small->FontSize,
                  ImVec2(std::round(gein.x - tw - 5 * sc), std::round(cell_min(gein, zy, 0).y + (gein.cell - text.small->FontSize) / 2)),
                  kMuted, t.c_str());
    }
  }
  indices(gek);
  indices(geout);
  op_glyph(gein, "⊛");
  op_glyph(gek, "→");

  // Set off from the scatter row by a rule, then the heading and the numbers.
  const float hx = beside ? std::round(eq_x0 + 4 * sc) : x0;
  const float hw = beside ? r.x + r.w - m.margin - hx : inner_w;
  if (beside) {
    const float lx = std::round(eq_x0 - m.eq_side_gap / 2) + 0.5f;
    dl->AddLine(ImVec2(lx, eq_top), ImVec2(lx, lay.eq_grid_y + lay.eq_rows_h), kSeparator, 1.0f * sc);
  } else {
    const float ly = std::round(eq_top - m.eq_gap / 2) + 0.5f;
    dl->AddLine(ImVec2(x0, ly), ImVec2(x0 + inner_w, ly), kSeparator, 1.0f * sc);
  }
  const char* heading = "Same as a stride-1 convolution";
  dl->AddText(text.bold, text.bold->FontSize, ImVec2(hx, eq_top + 2 * sc), kText, fit(text, text.bold, heading, hw).c_str());
  // What the marks mean, right of the heading when there is room.
  {
    const float sw = 12 * sc, by = eq_top + 5 * sc;
    const char* names[3] = {"inserted zero", "padding", "window"};
    float need = 0;
    for (const char* n : names) need += sw + 4 * sc + text.measure(text.small, n).x + 12 * sc;
    float lx = hx + hw - need;
    if (lx > hx + text.measure(text.bold, heading).x + 16 * sc) {
      auto swatch_text = [&](const char* t) {
        dl->AddText(text.small, text.small->FontSize, ImVec2(lx + sw + 4 * sc, by - 1 * sc), kMuted, t);
        lx += sw + 4 * sc + text.measure(text.small, t).x + 12 * sc;
      };
      dl->AddRectFilled(ImVec2(lx, by), ImVec2(lx + sw, by + sw), packed(colors::kInsertedZeroSwatch));
      dl->AddCircleFilled(ImVec2(lx + sw / 2, by + sw / 2), 2.0f * sc, packed(colors::kInsertedZeroSwatchDot));
      dl->AddRect(ImVec2(lx, by), ImVec2(lx + sw, by + sw), packed(colors::kInsertedZeroSwatchFrame), 0, 0, 1.0f);
      swatch_text(names[0]);
      dl->AddRectFilled(ImVec2(lx, by), ImVec2(lx + sw, by + sw), packed(colors::kPaddingSwatch));
      for (float d = 0; d < 2 * sw; d += 5 * sc)
        dl->AddLine(ImVec2(lx + std::max(0.0f, d - sw), by + std::min(sw, d)), ImVec2(lx + std::min(sw, d), by + std::max(0.0f, d - sw)),
                    packed(colors::kPaddingSwatchHatch), 1.2f * sc);
      swatch_text(names[1]);
      dl->AddRect(ImVec2(lx, by), ImVec2(lx + sw, by + sw), kWindow, 0, 0, 2 * sc);
      swatch_text(names[2]);
    }
  }
  float cy = eq_top + 22 * sc;
  for (const std::string& l : wrap(text, text.small, eq->caption(), hw, beside ? 2 : 1)) {
    dl->AddText(text.small, text.small->FontSize, ImVec2(hx, cy), kText, l.c_str());
    cy += 16 * sc;
  }
  return cy;
}

void PanePainter::draw_equivalent_step(float line_y) const {
  const GridRect &gein = lay.eq_input, &gek = lay.eq_kernel, &geout = lay.eq_output;
  const CanvasLayout::PaneRect& r = lay.r;
  const bool beside = lay.beside;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  std::string line;
  const std::optional<core::Step> mac =
      step && step->kind == core::StepKind::scatter ? eq->mac_of_scatter(trace, *step) : std::nullopt;
  if (mac) {
    const int64_t offy = eq->pad_before(0), offx = eq->pad_before(1);
    // Stride 1, no padding: the window of output cell (oy, ox) starts at (oy, ox) of the padded grid.
    const int64_t wy = mac->output.y - offy, wx = mac->output.x - offx;
    const float thick = overlay_thickness();
    outline(gein, wy, wx, wy + ay.dilated_kernel - 1, wx + ax.dilated_kernel - 1, kWindow, thick);
    dilated_taps(gein, wy, wx, thick);
    highlight(gein, mac->input->y - offy, mac->input->x - offx);
    highlight(gek, (*mac->tap)[0], (*mac->tap)[1]);
    if (mac->output.c == f) highlight(geout, mac->output.y, mac->output.x);
    else outline(geout, mac->output.y, mac->output.x, mac->output.y, mac->output.x, kWindow, thick);
    const core::Cell in = *step->input;
    line = "conv " + model::step_position_text(mac->index, eq->trace()->count()) + ": window of y" +
           index_text(mac->output.y, mac->output.x) + ", tap w′" + index_text((*mac->tap)[0], (*mac->tap)[1]) + " = w" +
           index_text((*step->tap)[0], (*step->tap)[1]) + " reads x" + index_text(in.y, in.x) + " = " + num(*mac->a) +
           ": " + factor(*mac->a) + "·" + factor(mac->w) + " = " + num(mac->product) + ", the same product as the scatter";
  } else if (step && step->kind == core::StepKind::scatter) {
    line = "x" + index_text(step->input->y, step->input->x) + "·w" + index_text((*step->tap)[0], (*step->tap)[1]) +
           (step->cropped ? " lands outside the output (cropped): no window of this convolution reads it"
                          : ": no step of the convolution to show");
  } else if (step) {
    if (step->output.c == f) highlight(geout, step->output.y, step->output.x);
    line = "bias: added to every output cell after the convolution, as after the scatter";
  } else {
    line = "Each scatter x·w is one tap of this convolution: its window and tap are outlined here.";
  }
  const float hx = beside ? std::round(lay.eq_x0 + 4 * sc) : lay.x0;
  const float hw = beside ? r.x + r.w - m.margin - hx : lay.inner_w;
  float ly = line_y;
  for (const std::string& l : wrap(text, text.small, line, hw, beside ? 2 : 1)) {
    dl->AddText(text.small, text.small->FontSize, ImVec2(hx, ly), kMuted, l.c_str());
    ly += 16 * sc;
  }
}

}  // namespace render
