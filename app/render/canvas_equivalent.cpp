// The equivalent Conv2D under (or beside) a transpose's scatter row: the
// zero-inserted, padded input, the kernel rotated 180° and the same output,
// with the window and tap of the conv step that multiplies the current a·w
// (in gather order: the transpose's own step, which walks exactly this conv).
#include <algorithm>
#include <cmath>

#include "app/model/arithmetic_text.h"
#include "app/render/canvas_pane.h"

namespace render {

void PanePainter::draw_equivalent_values() const {
  const auto &ay = g.axes[0], &ax = g.axes[1];
  // Real input cells only: the dots say "inserted zero", the hatch "padding".
  grid_values(GridKind::equivalent_input, widest.input, ranges.input, [&](int64_t zy, int64_t zx) -> std::optional<double> {
    if (zy < 0 || zx < 0 || zy % ay.stride != 0 || zx % ax.stride != 0) return std::nullopt;
    const int64_t iy = zy / ay.stride, ix = zx / ax.stride;
    if (!s.input.contains(iy, ix)) return std::nullopt;
    return s.input.at(iy, ix, ch);
  });
  grid_values(GridKind::equivalent_kernel, widest.kernel, ranges.kernel, [&](int64_t ky, int64_t kx) -> std::optional<double> {
    return trace.weight(s.kernel.kh - 1 - ky, s.kernel.kw - 1 - kx, ch, f);
  });
  grid_values(GridKind::equivalent_output, widest.output, ranges.output, [&](int64_t ty, int64_t tx) -> std::optional<double> {
    if (!partial || !partial->contains(ty, tx) || !conv_cell_done(ty, tx)) return std::nullopt;
    return partial->at(ty, tx, f);
  });
}

void PanePainter::draw_equivalent_row() const {
  const GridRect &gein = lay.eq_input, &gek = lay.eq_kernel, &geout = lay.eq_output;
  frame(gein);
  frame(gek);
  frame(geout);
  const std::array<GridLabel, 3> labels = equivalent_labels(p, sh, ch, f);
  label(gein, labels[0]);
  label(gek, labels[1]);
  label(geout, labels[2]);
  // Input indices over the real cells only: x[·, 1] sits at column s·1 after the insertion.
  indices(gein, g.axes[0].stride, g.axes[1].stride);
  indices(gek);
  indices(geout);
  op_glyph(gein, gek, "⊛");
  op_glyph(gek, geout, "→");

  // Set off from the scatter row by a rule, then the heading, the marks and the numbers.
  const float hx = lay.eq_x0, hw = lay.eq_w;
  if (lay.beside) {
    const float lx = std::round(hx - m.eq_side_gap / 2) + 0.5f;
    dl->AddLine(ImVec2(lx, lay.eq_top), ImVec2(lx, geout.y + geout.h), kSeparator, 1.0f * sc);
  } else {
    const float ly = std::round(lay.eq_top - m.eq_gap / 2) + 0.5f;
    dl->AddLine(ImVec2(lay.x0, ly), ImVec2(lay.x0 + lay.inner_w, ly), kSeparator, 1.0f * sc);
  }
  const char* heading = "Same as a stride-1 convolution";
  const ImFont* title = text.font(TextRole::title);
  const float heading_w = put(title, hx, lay.eq_top, kText, heading);
  // What the marks mean, right of the heading when there is room.
  const ImFont* small = text.font(TextRole::small);
  const float sw = 12 * sc, by = lay.eq_top + 4 * sc;
  const char* names[2] = {"inserted zero", "padding"};
  float need = 0;
  for (const char* n : names) need += sw + 4 * sc + text.measure(small, n).x + 12 * sc;
  float lx = hx + hw - need;
  if (lx > hx + heading_w + 16 * sc) {
    auto swatch_text = [&](const char* t) {
      put(small, lx + sw + 4 * sc, by - 1 * sc, kMuted, t);
      lx += sw + 4 * sc + text.measure(small, t).x + 12 * sc;
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
  }
  put_lines(lay.eq_caption, hx, lay.eq_caption_y, kText);
}

void PanePainter::draw_equivalent_step() const {
  const GridRect &gein = lay.eq_input, &gek = lay.eq_kernel, &geout = lay.eq_output;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  std::string line;
  // The conv step to show: in gather order the transpose's own step is one; in
  // scatter order, the view's step that multiplies the same a·w.
  std::optional<core::Step> mac;
  if (step && trace.gathers() && step->kind == core::StepKind::mac) mac = step;
  else if (step && step->kind == core::StepKind::scatter) mac = eq->mac_of_scatter(trace, *step);
  if (mac) {
    const int64_t offy = eq->pad_before(0), offx = eq->pad_before(1);
    // Stride 1, no padding: the window of output cell (oy, ox) starts at (oy, ox) of the padded grid.
    const int64_t wy = mac->output.y - offy, wx = mac->output.x - offx;
    const float thick = overlay_thickness();
    dilated_taps(gein, wy, wx, thick);
    outline(gein, wy, wx, wy + ay.dilated_kernel - 1, wx + ax.dilated_kernel - 1, kWindow, thick);
    // The tap in the view's (rotated) kernel, and the zero-inserted cell it reads.
    int64_t rky, rkx, zy, zx;
    if (trace.gathers()) {
      rky = s.kernel.kh - 1 - (*step->tap)[0];
      rkx = s.kernel.kw - 1 - (*step->tap)[1];
      zy = step->zero_inserted_at->y;
      zx = step->zero_inserted_at->x;
    } else {
      rky = (*mac->tap)[0];
      rkx = (*mac->tap)[1];
      zy = mac->input->y - offy;
      zx = mac->input->x - offx;
    }
    highlight(gein, zy, zx);
    highlight(gek, rky, rkx);
    if (mac->output.c == f) highlight(geout, mac->output.y, mac->output.x);
    else outline(geout, mac->output.y, mac->output.x, mac->output.y, mac->output.x, kWindow, thick);
    const model::ArithmeticNames names = model::arithmetic_names(trace);
    const std::string tap = "tap w′" + index_text(rky, rkx) + " = " +
                            names.w(s.kernel.kh - 1 - rky, s.kernel.kw - 1 - rkx, step->input ? step->input->c : ch, mac->output.c);
    if (trace.gathers()) {
      const std::string reads = step->input ? names.x(*step->input) + " = " + num(*step->a)
                                            : step->zero_inserted ? std::string("an inserted zero") : std::string("padding");
      line = "window of " + names.y(mac->output) + ", " + tap + " reads " + reads + ": product " + num(step->product);
    } else {
      line = "conv " + model::step_position_text(mac->index, eq->trace() ? eq->trace()->count() : 0) + ": window of " +
             names.y(mac->output) + ", " + tap + " reads " + names.x(*step->input) + " = " + num(*mac->a) + ": " +
             factor(*mac->a) + "·" + factor(mac->w) + " = " + num(mac->product) + ", the same product as the scatter";
    }
  } else if (step && step->kind == core::StepKind::scatter) {
    line = model::arithmetic_names(trace).x(*step->input) + "·w" + index_text((*step->tap)[0], (*step->tap)[1]) +
           (step->cropped ? " lands outside the output (cropped): no window of this convolution reads it"
                          : ": no step of the convolution to show");
  } else if (step) {
    if (step->output.c == f) highlight(geout, step->output.y, step->output.x);
    line = "bias: added to every output cell after the convolution, as after the scatter";
  } else {
    line = "Each scatter x·w is one tap of this convolution: its window and tap are outlined here.";
  }
  put_lines(wrap_text(text, TextRole::small, line, lay.eq_w, 2), lay.eq_x0, lay.eq_step_y, kMuted);
}

}  // namespace render
