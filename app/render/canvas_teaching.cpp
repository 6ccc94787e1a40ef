// The teaching overlays over a pane's band: the overlap map (how many taps land
// on each cell, core::coverage) and the hover links (what a cell or a kernel tap
// is connected to, model::hover_links), each with its line of text in a box at
// the bottom of the band. Both are inputs of the picture (CanvasOptions::hover,
// Pane::overlap_map), so the window and `export --hover / --overlap` draw the same.
#include <algorithm>
#include <cmath>

#include "app/render/canvas_pane.h"
#include "core/format.h"

namespace render {

namespace {

// The overlap counts' own ramp (light → dark purple), apart from the value colours.
ImU32 overlap_colour(float t) {
  const colors::Rgba lo = colors::kOverlapLow, hi = colors::kOverlapHigh;
  auto mix = [&](uint8_t a, uint8_t b) { return static_cast<int>(std::lround(a + (b - a) * std::clamp(t, 0.0f, 1.0f))); };
  return IM_COL32(mix(lo.r, hi.r), mix(lo.g, hi.g), mix(lo.b, hi.b), 255);
}

}  // namespace

// The numbers of an overlay cell, centred, at the grid's value size (none when the cells are too small).
void PanePainter::overlay_number(const GridRect& gr, int64_t ty, int64_t tx, const std::string& label, ImU32 col) const {
  const ImFont* font = nullptr;
  for (const ImFont* candidate : text.value_fonts())
    if (candidate->FontSize <= gr.cell * 0.55f && text.measure(candidate, label).x <= gr.cell - std::max(2.0f, 0.12f * gr.cell))
      font = candidate;
  if (!font) return;
  const ImVec2 ts = text.measure(font, label), a = cell_min(gr, ty, tx);
  dl->AddText(const_cast<ImFont*>(font), font->FontSize,
              ImVec2(std::round(a.x + (gr.cell - ts.x) / 2), std::round(a.y + (gr.cell - ts.y) / 2)), col, label.c_str());
}

// Lines of small text in a box at the bottom of the band, above `bottom`.
void PanePainter::band_note(const std::vector<std::string>& paragraphs, float bottom) const {
  const ImFont* small = text.font(TextRole::small);
  const float pad = 5 * sc, width = std::max(40.0f * sc, lay.band_w - 4 * pad);
  std::vector<std::string> lines;
  for (const std::string& p : paragraphs)
    for (std::string& l : wrap_lines(text, small, p, width)) lines.push_back(std::move(l));
  const float lh = line_height(small, sc);
  const float h = lh * static_cast<float>(lines.size()) + 2 * pad;
  const float x = lay.band_x + pad, y = bottom - h;
  dl->AddRectFilled(ImVec2(x, y), ImVec2(lay.band_x + lay.band_w - pad, bottom - pad / 2),
                    packed(colors::kNoteBox), 4 * sc);
  float ly = y + pad;
  for (const std::string& l : lines) {
    dl->AddText(const_cast<ImFont*>(small), small->FontSize, ImVec2(std::round(x + pad), std::round(ly)), kText, l.c_str());
    ly += lh;
  }
}

void PanePainter::draw_overlap_map(const core::Coverage& cov) const {
  const GridRect& gr = cov.of_output ? lay.output : lay.input;
  const bool weights = p.overlap_weights;
  double wmax = 0;
  for (double v : cov.weight_sums) wmax = std::max(wmax, std::fabs(v));
  const float range = wmax > 0 ? static_cast<float>(wmax) : 1.0f;
  for (int64_t y = std::max<int64_t>(0, gr.row0); y < std::min(cov.h, gr.row0 + gr.rows); ++y)
    for (int64_t x = std::max<int64_t>(0, gr.col0); x < std::min(cov.w, gr.col0 + gr.cols); ++x) {
      const ImVec2 a = cell_min(gr, y, x), b = cell_max(gr, y, x);
      if (b.x < lay.band_x || b.y < lay.band_y || a.x > lay.band_x + lay.band_w || a.y > lay.band_y + lay.band_h) continue;
      if (weights) {
        const float t = static_cast<float>(cov.weight_sums[static_cast<size_t>(y * cov.w + x)]) / range;
        dl->AddRectFilled(a, b, map_colour(t));
        overlay_number(gr, y, x, core::format_short(cov.weight_sums[static_cast<size_t>(y * cov.w + x)]),
                       dark_cell(t) ? packed(colors::kTextOnDarkCell) : kText);
      } else {
        const float t = cov.max > 0 ? static_cast<float>(cov.count(y, x)) / static_cast<float>(cov.max) : 0.0f;
        dl->AddRectFilled(a, b, overlap_colour(t));
        overlay_number(gr, y, x, std::to_string(cov.count(y, x)), t > 0.55f ? packed(colors::kTextOnDarkCell) : kText);
      }
      dl->AddRect(a, b, packed(colors::kOverlapBorder), 0, 0, 1.0f);
    }
  // Its legend under the band: a bar from the least to the most and what the
  // numbers count, then the explanation (two lines, shrunk to fit).
  const ImFont* small = text.font(TextRole::small);
  const float lh = line_height(small, sc), bar_w = std::min(120 * sc, lay.inner_w / 4), bar_h = lh * 0.7f;
  const char* what = cov.of_output ? (weights ? "overlap map: sum of the kernel weights landing on each output cell"
                                              : "overlap map: stamps landing on each output cell")
                                   : (weights ? "overlap map: sum of the kernel weights reading each input cell"
                                              : "overlap map: windows reading each input cell");
  const float bx = lay.x0, by = lay.note_y + (lh - bar_h) / 2;
  dl->PushClipRect(ImVec2(lay.r.x, lay.r.y), ImVec2(lay.r.x + lay.r.w, lay.r.y + lay.r.h), false);  // out of the band
  for (int i = 0; i < 12; ++i) {
    const float t0 = static_cast<float>(i) / 12, t1 = static_cast<float>(i + 1) / 12;
    const ImU32 c0 = weights ? map_colour(-1 + 2 * t0) : overlap_colour(t0), c1 = weights ? map_colour(-1 + 2 * t1) : overlap_colour(t1);
    dl->AddRectFilledMultiColor(ImVec2(bx + bar_w * t0, by), ImVec2(bx + bar_w * t1 + 0.5f, by + bar_h), c0, c1, c1, c0);
  }
  dl->AddRect(ImVec2(bx, by), ImVec2(bx + bar_w, by + bar_h), kFrame, 0, 0, 1.0f);
  const std::string scale = weights ? core::format_short(-wmax) + " … " + core::format_short(wmax)
                                    : std::to_string(cov.min) + " … " + std::to_string(cov.max);
  put(small, bx + bar_w + 6 * sc, lay.note_y, kMuted, scale + "   " + what);
  put_lines(wrap_text(text, TextRole::small, cov.explanation, lay.inner_w, 2), lay.x0, lay.note_y + lh, kText);
  dl->PopClipRect();
}

bool PanePainter::hover_here() const {
  return o.hover && o.hover->target.pane == lay.input.pane && o.hover->target.kind != model::HoverKind::none;
}

void PanePainter::draw_hover(const model::HoverLinks& links) const {
  const GridRect &gin = lay.input, &gk = lay.kernel, &gout = lay.output;
  const model::HoverTarget& t = links.target;
  const float thin = std::max(1.0f, sc);
  auto tint = [&](const GridRect& gr, int64_t y, int64_t x, ImU32 fill) {
    if (!cell_drawn(gr, y, x)) return;
    const ImVec2 a = cell_min(gr, y, x), b = cell_max(gr, y, x);
    if (b.x < lay.band_x || b.y < lay.band_y || a.x > lay.band_x + lay.band_w || a.y > lay.band_y + lay.band_h) return;
    dl->AddRectFilled(a, b, fill);
    dl->AddRect(a, b, packed(colors::kHoverFrame), 0, 0, thin);
  };
  const ImU32 linked = packed(colors::kHoverTint), off = packed(colors::kHoverOffTint);
  for (size_t i = 0; i < links.inputs.size(); ++i) {
    const core::Cell& in = links.inputs[i];
    const core::Cell& o = links.outputs[i];
    const auto& tap = links.taps[i];
    const bool in_view = in.c == ch && o.c == f;  // the channel and filter these grids show
    if (!in_view) continue;
    if (t.kind != model::HoverKind::input) tint(gin, in.y, in.x, s.input.contains(in.y, in.x) ? linked : off);
    if (t.kind != model::HoverKind::kernel) tint(gk, tap[0], tap[1], linked);
    const bool out_inside = o.y >= 0 && o.x >= 0 && o.y < g.out_h() && o.x < g.out_w();
    if (t.kind != model::HoverKind::output) tint(gout, o.y, o.x, out_inside ? linked : off);
    if (!eq) continue;
    // The equivalent row: input cells s apart in the zero-inserted grid, the kernel rotated 180°.
    if (t.kind != model::HoverKind::input) tint(lay.eq_input, in.y * g.axes[0].stride, in.x * g.axes[1].stride, linked);
    if (t.kind != model::HoverKind::kernel) tint(lay.eq_kernel, s.kernel.kh - 1 - tap[0], s.kernel.kw - 1 - tap[1], linked);
    if (t.kind != model::HoverKind::output && out_inside) tint(lay.eq_output, o.y, o.x, linked);
  }
  // The hovered cell itself: the ring the current tap has.
  const GridRect& target_grid = t.kind == model::HoverKind::output ? gout : t.kind == model::HoverKind::input ? gin : gk;
  highlight(target_grid, t.cell.y, t.cell.x);
  if (eq) {
    if (t.kind == model::HoverKind::output) {
      // Its receptive field on the zero-inserted input: the whole window, inserted zeros and padding included.
      const auto &ay = g.axes[0], &ax = g.axes[1];
      outline(lay.eq_input, ay.zero_inserted_of(t.cell.y, ay.kernel - 1), ax.zero_inserted_of(t.cell.x, ax.kernel - 1),
              ay.zero_inserted_of(t.cell.y, 0), ax.zero_inserted_of(t.cell.x, 0), kWindow, overlay_thickness());
      highlight(lay.eq_output, t.cell.y, t.cell.x);
    }
    if (t.kind == model::HoverKind::input) highlight(lay.eq_input, t.cell.y * g.axes[0].stride, t.cell.x * g.axes[1].stride);
    if (t.kind == model::HoverKind::kernel) highlight(lay.eq_kernel, s.kernel.kh - 1 - t.cell.y, s.kernel.kw - 1 - t.cell.x);
  }
  // Its line: the arithmetic's second line says it (draw_arithmetic); without
  // that line, a box at the band's foot.
  if (o.arithmetic && lay.arithmetic_detail) return;
  band_note({model::hover_caption(links)}, lay.band_y + lay.band_h);
}

}  // namespace render
