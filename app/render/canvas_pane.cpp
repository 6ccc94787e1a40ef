#include "app/render/canvas_pane.h"

#include <algorithm>
#include <cmath>

#include "app/model/arithmetic_text.h"
#include "app/render/grid_renderer.h"
#include "core/explain.h"
#include "core/format.h"

namespace render {

std::string num(double v) { return core::format_number(v); }
std::string factor(double v) { return core::format_factor(v); }
std::string index_text(int64_t y, int64_t x) { return "[" + std::to_string(y) + "," + std::to_string(x) + "]"; }

ImU32 map_colour(float t, int alpha) {
  float rgb[3];
  diverging_rgb(t, rgb);
  return IM_COL32(static_cast<int>(rgb[0] * 255 + 0.5f), static_cast<int>(rgb[1] * 255 + 0.5f),
                  static_cast<int>(rgb[2] * 255 + 0.5f), alpha);
}

bool dark_cell(float t) { return std::fabs(t) > 0.62f; }

namespace {

// The longest short form among a tensor's values, from the few that can be
// longest: the extremes, the smallest non-zero magnitude, and — when any value
// is not whole — a three-digit decimal of the largest magnitude's size.
std::string widest_of(const std::vector<double>& values, double extra_magnitude, int digits) {
  double lo = 0, hi = 0, tiny = 0;
  bool fractional = false;
  for (double v : values) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    if (v != 0 && (tiny == 0 || std::fabs(v) < std::fabs(tiny))) tiny = v;
    fractional = fractional || std::nearbyint(v) != v;
  }
  std::vector<std::string> candidates = {core::format_short(lo, digits), core::format_short(hi, digits),
                                         core::format_short(tiny, digits)};
  const double big = std::max({std::fabs(lo), std::fabs(hi), extra_magnitude});
  const double sign = lo < 0 || extra_magnitude > 0 ? -1 : 1;
  if (fractional)
    candidates.push_back(core::format_short(sign * (big >= 1 ? 8.88 * std::pow(10, std::floor(std::log10(big))) : 0.888), digits));
  else if (extra_magnitude > 0)
    candidates.push_back(core::format_short(sign * std::floor(extra_magnitude), digits));
  std::string widest;
  for (const std::string& c : candidates)
    if (c.size() > widest.size()) widest = c;  // byte length: "−" counts 3, like its extra width
  return widest;
}

Widest widest_both(const std::vector<double>& values, double extra_magnitude = 0) {
  return {widest_of(values, extra_magnitude, 3), widest_of(values, extra_magnitude, 2)};
}

}  // namespace

WidestValues widest_values(const core::Scenario& s, const core::Tensor* final_output) {
  WidestValues w;
  w.input = widest_both(s.input.values);
  w.kernel = widest_both(s.kernel.values);
  // Partial sums: bounded by max|a|·max|w|·(taps per cell) — a template of that size.
  double a = 0, k = 0;
  for (double v : s.input.values) a = std::max(a, std::fabs(v));
  for (double v : s.kernel.values) k = std::max(k, std::fabs(v));
  const double taps = static_cast<double>(s.kernel.kh * s.kernel.kw * std::max(s.kernel.in_channels, s.kernel.out_channels));
  double bound = a * k * taps;
  if (s.bias)
    for (double b : *s.bias) bound += std::fabs(b);
  std::vector<double> out = final_output ? final_output->values : std::vector<double>{};
  if (s.bias) out.insert(out.end(), s.bias->begin(), s.bias->end());
  w.output = widest_both(out, bound);
  return w;
}

PanePainter::PanePainter(ImDrawList* dl_, const CanvasText& text_, const CanvasOptions& o_, const model::Pane& p_,
                         const Shape& sh_, const Metrics& m_, const PaneLayout& lay_, const model::EquivalentView* eq_,
                         const core::Tensor* partial_, std::string output_note_, const ColourRanges& ranges_,
                         const WidestValues& widest_, CanvasLayout& out_)
    : dl(dl_),
      text(text_),
      o(o_),
      p(p_),
      s(p_.scenario()),
      g(p_.geometry()),
      trace(p_.trace()),
      sh(sh_),
      m(m_),
      lay(lay_),
      eq(eq_),
      partial(partial_),
      output_note(std::move(output_note_)),
      ranges(ranges_),
      widest(widest_),
      out(out_),
      sc(m_.s),
      cursor(p_.cursor()),
      C(s.input.c),
      F(g.out_channels),
      ch(p_.shown_channel()),
      f(p_.shown_filter()),
      unit(p_.current_unit()),
      torch(torch_names(p_)) {
  if (cursor >= 0) step = trace.step(cursor);
}

bool PanePainter::conv_cell_done(int64_t oy, int64_t ox) const {
  if (!trace.gathers()) return true;
  return trace.coder().unit_index({oy, ox, f}) <= unit;
}

float PanePainter::put(const ImFont* font, float x, float y, ImU32 col, const std::string& t) const {
  if (t.empty()) return 0;
  const ImVec2 size = text.measure(font, t);
  x = std::round(x);
  y = std::round(y);
  dl->AddText(const_cast<ImFont*>(font), font->FontSize, ImVec2(x, y), col, t.c_str());
  // Recorded where it is seen: inside the clip rectangle in force (the band clips zoomed grids).
  const ImVec4 clip = dl->_ClipRectStack.back();
  if (x >= clip.x - 0.5f && y >= clip.y - 0.5f && x + size.x <= clip.z + 0.5f && y + size.y <= clip.w + 0.5f)
    out.texts.push_back({lay.input.pane, x, y, size.x, size.y, t});
  else if (x < clip.z && y < clip.w && x + size.x > clip.x && y + size.y > clip.y)
    out.clipped_texts.push_back({lay.input.pane, x, y, size.x, size.y, t});
  return size.x;
}

void PanePainter::put_lines(const TextLines& lines, float x, float y, ImU32 col) const {
  for (const std::string& l : lines.lines) {
    put(lines.font, x, y, col, l);
    y += lines.line_h;
  }
}

// ---- shapes in tensor coordinates ----

ImVec2 PanePainter::cell_min(const GridRect& gr, int64_t ty, int64_t tx) const {
  return ImVec2(gr.x + static_cast<float>(tx - gr.col0) * gr.cell, gr.y + static_cast<float>(ty - gr.row0) * gr.cell);
}

ImVec2 PanePainter::cell_max(const GridRect& gr, int64_t ty, int64_t tx) const {
  const ImVec2 a = cell_min(gr, ty, tx);
  return ImVec2(a.x + gr.cell, a.y + gr.cell);
}

bool PanePainter::cell_drawn(const GridRect& gr, int64_t ty, int64_t tx) const {
  return ty >= gr.row0 && tx >= gr.col0 && ty < gr.row0 + gr.rows && tx < gr.col0 + gr.cols;
}

void PanePainter::outline(const GridRect& gr, int64_t y0, int64_t x0, int64_t y1, int64_t x1, ImU32 col,
                          float thick) const {
  // Clamped to the drawn cells: a window reaching into elided padding ends at the break mark.
  const int64_t cy0 = std::clamp(y0, gr.row0, gr.row0 + gr.rows - 1), cy1 = std::clamp(y1, gr.row0, gr.row0 + gr.rows - 1);
  const int64_t cx0 = std::clamp(x0, gr.col0, gr.col0 + gr.cols - 1), cx1 = std::clamp(x1, gr.col0, gr.col0 + gr.cols - 1);
  if ((y1 < gr.row0 || y0 >= gr.row0 + gr.rows) || (x1 < gr.col0 || x0 >= gr.col0 + gr.cols)) return;
  const ImVec2 a = cell_min(gr, cy0, cx0), b = cell_max(gr, cy1, cx1);
  const float inset = thick / 2;
  dl->AddRect(ImVec2(a.x + inset, a.y + inset), ImVec2(b.x - inset, b.y - inset), col, 0, 0, thick);
}

// A black ring around a yellow one: visible on every colour of the map.
// Where the grid shows numbers the ring thins (down to 1 px at scale 1) so that
// it reaches no further into the cell (1.5·t) than the space the widest number leaves.
void PanePainter::highlight(const GridRect& gr, int64_t ty, int64_t tx) const {
  if (!cell_drawn(gr, ty, tx)) return;
  float t = std::max(1.5f * sc, std::min(3.0f * sc, gr.cell / 6));
  const GridRect* drawn = stats(gr.kind);
  if (drawn && drawn->values && drawn->value_w > 0) t = std::max(sc, std::min(t, (gr.cell - drawn->value_w) / 2 / 1.5f));
  const ImVec2 a = cell_min(gr, ty, tx), b = cell_max(gr, ty, tx);
  dl->AddRect(a, b, kWindow, 0, 0, t * 2);
  dl->AddRect(ImVec2(a.x + t, a.y + t), ImVec2(b.x - t, b.y - t), kHighlight, 0, 0, t);
}

GridRect* PanePainter::stats(GridKind kind) const {
  for (GridRect& gr : out.grids)
    if (gr.pane == lay.input.pane && gr.kind == kind) return &gr;
  return nullptr;
}

// One font for all the numbers of a grid: the largest whose widest value fits a
// cell (height at most 55 % of the cell, width with a margin), never below 10
// physical pixels — with 3 significant digits, else with 2 (every number of the
// grid alike). A grid with no such font is a heatmap, and says so in the layout.
void PanePainter::grid_values(GridKind kind, const Widest& widest, float range,
                              const std::function<std::optional<double>(int64_t, int64_t)>& value_at) const {
  GridRect* gr = stats(kind);
  if (!gr) return;
  const float cell = gr->cell, pad = std::max(2.0f, 0.12f * cell);
  const ImFont* font = nullptr;
  int digits = 3;
  for (const std::string* widest_text : {&widest.digits3, &widest.digits2}) {
    for (const ImFont* candidate : text.value_fonts())
      if (candidate->FontSize <= cell * 0.55f && text.measure(candidate, *widest_text).x <= cell - pad) font = candidate;
    if (font) break;
    digits = 2;
  }
  const std::string& widest_text = widest.digits2;  // the legibility floor: the shorter form
  // The cells in view.
  const int64_t vx0 = gr->col0 + static_cast<int64_t>(std::floor((gr->clip_x - gr->x) / cell));
  const int64_t vy0 = gr->row0 + static_cast<int64_t>(std::floor((gr->clip_y - gr->y) / cell));
  const int64_t vx1 = gr->col0 + static_cast<int64_t>(std::ceil((gr->clip_x + gr->clip_w - gr->x) / cell)) - 1;
  const int64_t vy1 = gr->row0 + static_cast<int64_t>(std::ceil((gr->clip_y + gr->clip_h - gr->y) / cell)) - 1;
  gr->values = o.values && font != nullptr;
  gr->value_px = gr->values ? font->FontSize : 0;
  gr->digits = digits;
  // The smallest font's needs: its height at most 55 % of a cell, the widest value plus the margin.
  const ImFont* smallest = text.value_fonts().front();
  gr->legible_cell = std::max(smallest->FontSize / 0.55f, (text.measure(smallest, widest_text).x + 2.0f) / 0.88f);
  gr->visible_cells = gr->values_drawn = 0;
  gr->value_w = 0;
  for (int64_t ty = std::max(vy0, gr->row0); ty <= std::min(vy1, gr->row0 + gr->rows - 1); ++ty)
    for (int64_t tx = std::max(vx0, gr->col0); tx <= std::min(vx1, gr->col0 + gr->cols - 1); ++tx) {
      const std::optional<double> v = value_at(ty, tx);
      if (!v) continue;
      // A cell cut by the band's edge (zoomed in) would show its number cut too: it is not counted as in view.
      const ImVec2 corner = cell_min(*gr, ty, tx);
      if (corner.x < gr->clip_x - 0.5f || corner.y < gr->clip_y - 0.5f || corner.x + cell > gr->clip_x + gr->clip_w + 0.5f ||
          corner.y + cell > gr->clip_y + gr->clip_h + 0.5f)
        continue;
      ++gr->visible_cells;
      if (!gr->values) continue;
      std::string label = core::format_short(*v, digits);
      const ImFont* use = font;
      // A partial sum longer than the grid's widest: a size smaller for this cell alone.
      if (text.measure(use, label).x > cell - pad) {
        use = nullptr;
        for (const ImFont* candidate : text.value_fonts())
          if (candidate->FontSize <= font->FontSize && text.measure(candidate, label).x <= cell - pad) use = candidate;
        if (!use) continue;
      }
      const ImVec2 ts = text.measure(use, label);
      gr->value_w = std::max(gr->value_w, ts.x);
      const ImVec2 a = cell_min(*gr, ty, tx);
      const float t = static_cast<float>(*v) / range;
      const ImU32 col = dark_cell(t) ? packed(colors::kTextOnDarkCell) : kText;
      dl->AddText(const_cast<ImFont*>(use), use->FontSize, ImVec2(std::round(a.x + (cell - ts.x) / 2), std::round(a.y + (cell - ts.y) / 2)),
                  col, label.c_str());
      ++gr->values_drawn;
    }
}

// The real tensor's frame (padding and crop margins lie outside it), where it is drawn.
void PanePainter::frame(const GridRect& gr) const {
  const int64_t fy0 = std::max<int64_t>(0, gr.row0), fx0 = std::max<int64_t>(0, gr.col0);
  const int64_t fy1 = std::min(gr.tensor_h, gr.row0 + gr.rows) - 1, fx1 = std::min(gr.tensor_w, gr.col0 + gr.cols) - 1;
  if (fy1 < fy0 || fx1 < fx0) return;
  const ImVec2 a = cell_min(gr, fy0, fx0), b = cell_max(gr, fy1, fx1);
  dl->AddRect(ImVec2(a.x - 0.5f * sc, a.y - 0.5f * sc), ImVec2(b.x + 0.5f * sc, b.y + 0.5f * sc), kFrame, 0, 0,
              1.5f * sc);
}

// Name, shape and channel above the grid, left-aligned with its row indices;
// narrow labels give the shape's numbers and letters a line each.
void PanePainter::label(const GridRect& gr, const GridLabel& l) const {
  const ImFont* body = text.font(TextRole::body);
  const ImFont* small = text.font(TextRole::small);
  const float body_h = line_height(body, sc), small_h = line_height(small, sc);
  const float x = lay.label_x[static_cast<size_t>(gr.kind)] + 2 * sc;
  float y = gr.y - lay.label_h;
  put(body, x, y, kText, l.name);
  y += body_h;
  if (lay.narrow_labels) {
    put(small, x, y, kMuted, l.numbers);
    y += small_h;
    put(small, x, y, kMuted, l.letters);
  } else {
    put(small, x, y, kMuted, l.numbers + " " + l.letters);
  }
  y += small_h;
  if (!l.channel.empty()) put(small, x, y, kMuted, l.channel);
}

// Every index while they fit, then every 5th, 10th, 20th… (in units of step);
// each inside the grid's span and clear of the one before it.
void PanePainter::indices(const GridRect& gr, int64_t step_y, int64_t step_x) const {
  if (gr.cell * static_cast<float>(std::min(step_x, step_y)) < 3) return;
  const ImFont* tiny = text.font(TextRole::tiny);
  const float digit_w = text.measure(tiny, std::to_string(std::max<int64_t>(gr.tensor_w - 1, 0))).x + 4 * sc;
  int64_t every = 1;
  while (static_cast<float>(every * step_x) * gr.cell < digit_w) every = every < 5 ? 5 : every * 2;
  const float tiny_h = line_height(tiny, sc);
  float last_right = -1e9f;
  for (int64_t i = 0; i * step_x < gr.tensor_w; i += every) {
    const int64_t tx = i * step_x;
    if (!cell_drawn(gr, std::max<int64_t>(gr.row0, 0), tx)) continue;
    const std::string t = std::to_string(i);
    const ImVec2 a = cell_min(gr, gr.row0, tx);
    if (a.x + gr.cell < lay.band_x || a.x > lay.band_x + lay.band_w) continue;
    const float tw = text.measure(tiny, t).x;
    const float x = std::clamp(a.x + (gr.cell - tw) / 2, gr.x, gr.x + gr.w - tw);
    if (x < last_right + 2 * sc) continue;
    put(tiny, x, gr.y - tiny_h, kMuted, t);
    last_right = x + tw;
  }
  int64_t every_y = 1;
  while (static_cast<float>(every_y * step_y) * gr.cell < tiny->FontSize + 1) every_y = every_y < 5 ? 5 : every_y * 2;
  float last_bottom = -1e9f;
  for (int64_t i = 0; i * step_y < gr.tensor_h; i += every_y) {
    const int64_t ty = i * step_y;
    if (!cell_drawn(gr, ty, std::max<int64_t>(gr.col0, 0))) continue;
    const std::string t = std::to_string(i);
    const ImVec2 a = cell_min(gr, ty, gr.col0);
    if (a.y + gr.cell < lay.band_y || a.y > lay.band_y + lay.band_h) continue;
    const ImVec2 ts = text.measure(tiny, t);
    const float y = std::clamp(a.y + (gr.cell - tiny->FontSize) / 2, gr.y, gr.y + gr.h - ts.y);
    if (y < last_bottom + 1 * sc) continue;
    put(tiny, gr.x - ts.x - 4 * sc, y, kMuted, t);
    last_bottom = y + ts.y;
  }
}

void PanePainter::op_glyph(const GridRect& left, const GridRect& right, const char* glyph) const {
  const ImFont* font = text.font(TextRole::title);
  const ImVec2 ts = text.measure(font, glyph);
  const float right_gutter =
      text.measure(text.font(TextRole::tiny), std::to_string(std::max<int64_t>(right.tensor_h - 1, 0))).x + 8 * sc;
  const float gap_x1 = right.x - right_gutter;
  if (right.x > left.x + left.w) {
    // On one line: between the two grids, on the line's middle (the grids of a line share their centre).
    const float gap_x0 = left.x + left.w;
    put(font, (gap_x0 + gap_x1) / 2 - ts.x / 2, left.y + left.h / 2 - ts.y / 2, kMuted, glyph);
  } else {
    // The right grid starts a new line: the operator leads it, in the gap left of its row indices.
    put(font, gap_x1 - m.op_gap / 2 - ts.x / 2, right.y + right.h / 2 - ts.y / 2, kMuted, glyph);
  }
}

// A zig-zag along each side whose padding or crop margin goes on past what is drawn.
void PanePainter::break_marks(const GridRect& gr, const std::array<int64_t, 4>& hidden) const {
  const float amp = std::max(2.0f, std::min(4.0f * sc, gr.cell / 3)), step = std::max(4.0f, 6 * sc);
  const ImU32 col = kFrame;
  auto zigzag = [&](ImVec2 a, ImVec2 b, bool vertical) {
    const float len = vertical ? b.y - a.y : b.x - a.x;
    std::vector<ImVec2> pts;
    for (float t = 0; t <= len; t += step) {
      const float off = (static_cast<int>(t / step) % 2 ? amp : -amp);
      pts.push_back(vertical ? ImVec2(a.x + off, a.y + t) : ImVec2(a.x + t, a.y + off));
    }
    if (pts.size() > 1) dl->AddPolyline(pts.data(), static_cast<int>(pts.size()), col, 0, 1.5f * sc);
  };
  if (hidden[0] > 0) zigzag(ImVec2(gr.x, gr.y), ImVec2(gr.x + gr.w, gr.y), false);
  if (hidden[1] > 0) zigzag(ImVec2(gr.x, gr.y + gr.h), ImVec2(gr.x + gr.w, gr.y + gr.h), false);
  if (hidden[2] > 0) zigzag(ImVec2(gr.x, gr.y), ImVec2(gr.x, gr.y + gr.h), true);
  if (hidden[3] > 0) zigzag(ImVec2(gr.x + gr.w, gr.y), ImVec2(gr.x + gr.w, gr.y + gr.h), true);
}

// ---- the steps ----

void PanePainter::draw_pane_header() const {
  const CanvasLayout::PaneRect& r = lay.r;
  // Separator between panes.
  if (r.x > 0) dl->AddLine(ImVec2(r.x + 0.5f, r.y + 8 * sc), ImVec2(r.x + 0.5f, r.y + r.h - 8 * sc), kSeparator, 1.0f * sc);
  if (r.y > 0) dl->AddLine(ImVec2(r.x + 8 * sc, r.y + 0.5f), ImVec2(r.x + r.w - 8 * sc, r.y + 0.5f), kSeparator, 1.0f * sc);
  if (o.title) {
    put_lines(lay.title, lay.x0, lay.title_y, kText);
    const std::string count = model::step_position_text(cursor, trace.count());
    if (!counter_by_arithmetic())
      put(lay.counter_font, lay.x0 + lay.inner_w - text.measure(lay.counter_font, count).x, lay.counter_y, kMuted, count);
    put_lines(lay.name, lay.x0, lay.name_y, kText);
    put_lines(lay.description, lay.x0, lay.description_y, kMuted);
    put_lines(lay.params, lay.x0, lay.params_y, kMuted);
  }
  put_lines(lay.error, lay.x0, lay.error_y, kError);
}

void PanePainter::draw_values() const {
  grid_values(GridKind::input, widest.input, ranges.input, [&](int64_t ty, int64_t tx) -> std::optional<double> {
    if (!s.input.contains(ty, tx)) return std::nullopt;  // padding
    return s.input.at(ty, tx, ch);
  });
  grid_values(GridKind::kernel, widest.kernel, ranges.kernel,
              [&](int64_t ky, int64_t kx) -> std::optional<double> { return trace.weight(ky, kx, ch, f); });
  grid_values(GridKind::output, widest.output, ranges.output, [&](int64_t ty, int64_t tx) -> std::optional<double> {
    if (!partial || !partial->contains(ty, tx)) return std::nullopt;  // crop margin, or not computed
    if (!conv_cell_done(ty, tx)) return std::nullopt;                  // not reached yet
    return partial->at(ty, tx, f);
  });
}

void PanePainter::draw_grid_labels() const {
  const GridRect &gin = lay.input, &gk = lay.kernel, &gout = lay.output;
  frame(gin);
  frame(gk);
  frame(gout);
  const std::array<GridLabel, 3> labels = grid_labels(p, ch, f);
  label(gin, labels[0]);
  label(gk, labels[1]);
  label(gout, labels[2]);
  indices(gin);
  indices(gk);
  indices(gout);
  break_marks(gin, sh.in_hidden);
  break_marks(gout, sh.out_hidden);
  // input ⊛ kernel → output; a transpose multiplies each input value by the kernel.
  op_glyph(gin, gk, sh.conv ? "⊛" : "×");
  op_glyph(gk, gout, "→");
  if (s.bias)
    put(text.font(TextRole::small), gk.x, gk.y + gk.h + 3 * sc, kText,
        "b[" + std::to_string(f) + "] = " + num((*s.bias)[static_cast<size_t>(f)]));
  if (!output_note.empty()) {
    // Over the output grid: why its numbers are not there (too much work, or still computing).
    const TextLines note = wrap_text(text, TextRole::small, output_note, std::max(gout.w, 120 * sc), 3);
    float y = gout.y + gout.h / 2 - note.height() / 2;
    for (const std::string& l : note.lines) {
      const float w = text.measure(note.font, l).x;
      dl->AddRectFilled(ImVec2(gout.x + gout.w / 2 - w / 2 - 3 * sc, y), ImVec2(gout.x + gout.w / 2 + w / 2 + 3 * sc, y + note.line_h),
                        IM_COL32(255, 255, 255, 220));
      put(note.font, gout.x + gout.w / 2 - w / 2, y, kText, l);
      y += note.line_h;
    }
  }
}

// The arithmetic of the current step, in its budget of two body lines and two
// small lines: the most detailed form that fits, at the largest size that fits.
void PanePainter::draw_arithmetic() const {
  const float x0 = lay.x0, inner_w = lay.inner_w;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  std::vector<std::string> line1;  // most detailed first
  std::string line2;
  const model::ArithmeticNames names = model::arithmetic_names(trace);
  if (!step) {
    line1 = {"Before the first step: press Space to play or → to step.", "Before the first step: Space plays, → steps.",
             "Before the first step."};
    line2 = core::step_count_text(s, g, trace.order());
  } else if (trace.gathers()) {
    const core::Cell outc = step->output;
    const std::string target = names.y(outc);
    const int64_t first = trace.first_step_of_unit(trace.unit_of_step(cursor));
    const int64_t taps = trace.coder().taps();
    const int64_t done = std::min(cursor - first + 1, taps);
    auto term = [&](int64_t i) {
      const core::Step t = trace.step(first + i);
      return factor(t.input ? t.a.value_or(0) : 0.0) + "·" + factor(t.w);
    };
    const std::string total = num(step->after.value_or(0));
    const std::string bias = step->kind == core::StepKind::bias ? " + " + factor(step->w) : "";
    auto sum_of = [&](int64_t shown) {
      if (done <= shown) {
        std::string sum;
        for (int64_t i = 0; i < done; ++i) sum += (i ? " + " : "") + term(i);
        return sum;
      }
      std::string sum;
      const int64_t head = shown / 2, tail = shown - head;
      for (int64_t i = 0; i < head; ++i) sum += term(i) + " + ";
      sum += "…";
      for (int64_t i = done - tail; i < done; ++i) sum += " + " + term(i);
      return sum;
    };
    for (int64_t shown : {6, 4, 2, 1}) line1.push_back(target + " = " + sum_of(shown) + bias + " = " + total);
    line1.push_back(target + " = " + total);
    if (step->kind == core::StepKind::mac) {
      std::string reads;
      if (step->input) reads = names.x(*step->input) + (step->padding ? " (padding: 0)" : "");
      else reads = step->zero_inserted ? "an inserted zero" : "padding (0)";
      line2 = "tap " + names.w_of(*step) + " reads " + reads + " · tap " + std::to_string(done) + " of " +
              std::to_string(taps) + " of this output cell";
    } else {
      line2 = model::bias_term(outc.c, step->w) + " added: the cell is done";
    }
  } else if (step->kind == core::StepKind::scatter) {
    const core::Cell in = *step->input;
    // The full line, then its numbers alone, then just where the sum stands.
    line1 = {model::transpose_step_line(names, *step)};
    if (step->cropped) {
      line1.push_back(factor(*step->a) + "·" + factor(step->w) + " lands outside the output: cropped");
      line1.push_back("cropped");
    } else {
      line1.push_back(names.y(step->output) + " += " + factor(*step->a) + "·" + factor(step->w) + " → " + num(step->after.value_or(0)));
      line1.push_back(names.y(step->output) + " → " + num(step->after.value_or(0)));
    }
    line2 = "stamp of " + names.x(in) + " = " + num(*step->a) + ": the kernel × " + num(*step->a) + " onto y[" +
            std::to_string(ay.transpose_output_of(in.y, 0)) + "…" + std::to_string(ay.transpose_output_of(in.y, s.kernel.kh - 1)) +
            ", " + std::to_string(ax.transpose_output_of(in.x, 0)) + "…" +
            std::to_string(ax.transpose_output_of(in.x, s.kernel.kw - 1)) + "]";
  } else {
    line1 = {model::transpose_step_line(names, *step), names.y(step->output) + " → " + num(step->after.value_or(0))};
    line2 = "bias steps (after the " + std::to_string(s.input.h * s.input.w * C) +
            " input cells): added once to every output cell after all stamps";
  }
  // Line 1: its budget of body lines; larger sizes first, then less detail.
  const float body_budget = static_cast<float>(lay.arithmetic_lines) * line_height(text.font(TextRole::body), sc);
  float ty = lay.arithmetic_y;
  bool drawn = false;
  for (int size = 0; size < text.steps(TextRole::body) && !drawn; ++size)
    for (const std::string& candidate : line1) {
      const ImFont* font = text.font(TextRole::body, size);
      const std::vector<std::string> lines = wrap_lines(text, font, candidate, inner_w);
      if (static_cast<float>(lines.size()) * line_height(font, sc) > body_budget + 0.5f) continue;
      for (const std::string& l : lines) {
        put(font, x0, ty, kText, l);
        ty += line_height(font, sc);
      }
      drawn = true;
      break;
    }
  if (!drawn) {
    // Narrower than the shortest form at the smallest size: the small line's size, its first
    // line only if more would run into the legend (the Arithmetic panel has it all).
    const ImFont* font = text.font(TextRole::tiny, text.steps(TextRole::tiny) - 1);
    const std::vector<std::string> lines = wrap_lines(text, font, line1.back(), inner_w);
    const size_t room = static_cast<size_t>(std::max(1.0f, std::floor(body_budget / line_height(font, sc))));
    for (size_t i = 0; i < lines.size() && i < room; ++i) {
      put(font, x0, ty, kText, lines[i]);
      ty += line_height(font, sc);
    }
  }
  // Line 2 (what the step reads, where the stamp goes): its lines at the largest size that fits them,
  // left of the step counter. While a cell of this pane is hovered it says what that cell is
  // linked to (canvas_teaching.cpp).
  if (!lay.arithmetic_detail) return;
  const bool hover = hover_here();
  if (hover) line2 = model::hover_caption(*o.hover);
  float line2_w = inner_w;
  if (counter_by_arithmetic()) {
    const std::string count = model::step_position_text(cursor, trace.count());
    const float count_w = text.measure(lay.counter_font, count).x;
    put(lay.counter_font, x0 + inner_w - count_w, lay.arithmetic_y + body_budget, kMuted, count);
    line2_w = inner_w - count_w - 12 * sc;
  }
  TextLines second = wrap_text(text, TextRole::small, line2, line2_w, lay.arithmetic_lines);
  if (static_cast<int>(second.lines.size()) > lay.arithmetic_lines) second.lines.resize(0);  // no room: the panel has it
  put_lines(second, x0, lay.arithmetic_y + body_budget, hover ? kText : kMuted);
}

bool PanePainter::counter_by_arithmetic() const {
  // Room for the counter and a few words of line 2 beside it; else it stays in the title row.
  return o.title && o.arithmetic && lay.arithmetic_detail && lay.arithmetic_lines >= 1 && lay.counter_font &&
         lay.inner_w >= 2.5f * text.measure(lay.counter_font, model::step_position_text(trace.count() - 1, trace.count())).x;
}

void PanePainter::draw_formula() const {
  float ty = lay.formula_y;
  put_lines(lay.rule, lay.x0, ty, kMuted);
  ty += lay.rule.height();
  put_lines(lay.h_line, lay.x0, ty, kText);
  ty += lay.h_line.height();
  put_lines(lay.w_line, lay.x0, ty, kText);
}

void PanePainter::draw_legend() const {
  const LegendLayout L = legend_layout(text, m, lay.inner_w, sh.window, o.kernel_own_scale, lay.compact >= 1);
  const ImFont* small = text.font(TextRole::small);
  const float bx = lay.x0, by = lay.legend_y;
  // The colour bar (−max … 0 … +max of the scale), its numbers under it.
  for (int i = 0; i < 16; ++i) {
    const float t0 = -1 + 2.0f * static_cast<float>(i) / 16, t1 = -1 + 2.0f * static_cast<float>(i + 1) / 16;
    dl->AddRectFilledMultiColor(ImVec2(bx + L.bar_w * static_cast<float>(i) / 16, by),
                                ImVec2(bx + L.bar_w * static_cast<float>(i + 1) / 16 + 0.5f, by + L.bar_h), map_colour(t0),
                                map_colour(t1), map_colour(t1), map_colour(t0));
  }
  dl->AddRect(ImVec2(bx, by), ImVec2(bx + L.bar_w, by + L.bar_h), kFrame, 0, 0, 1.0f);
  const float ny = by + L.bar_h + 2 * sc;
  const std::string lo = core::format_short(-ranges.output), hi = core::format_short(ranges.output);
  put(small, bx, ny, kMuted, lo);
  put(small, bx + L.bar_w / 2 - text.measure(small, "0").x / 2, ny, kMuted, "0");
  put(small, bx + L.bar_w - text.measure(small, hi).x, ny, kMuted, hi);
  // Which grids the bar's numbers are for (the kernel's own range beside its note).
  put_lines(L.note, bx + L.note_x, by + L.note_y, kMuted);
  if (ranges.kernel_own) {
    const std::string k = "kernel " + core::format_short(-ranges.kernel) + " … " + core::format_short(ranges.kernel);
    put(small, bx + L.bar_w - text.measure(small, k).x, ny + line_height(small, sc), kMuted, k);
  }
  // Swatches: padding (hatched), current tap, window/stamp.
  const std::array<std::string, 3> names = legend_swatches(sh.window);
  const float sw = L.swatch_size;
  for (size_t i = 0; i < L.swatches.size(); ++i) {
    const float lx = bx + L.swatches[i][0], ly = by + L.swatches[i][1];
    if (i == 0) {
      dl->AddRectFilled(ImVec2(lx, ly), ImVec2(lx + sw, ly + sw), packed(colors::kPaddingSwatch));
      for (float d = 0; d < 2 * sw; d += 5 * sc)
        dl->AddLine(ImVec2(lx + std::max(0.0f, d - sw), ly + std::min(sw, d)), ImVec2(lx + std::min(sw, d), ly + std::max(0.0f, d - sw)),
                    packed(colors::kPaddingSwatchHatch), 1.2f * sc);
    } else if (i == 1) {
      dl->AddRect(ImVec2(lx, ly), ImVec2(lx + sw, ly + sw), kWindow, 0, 0, 2 * sc);
      dl->AddRect(ImVec2(lx + 2 * sc, ly + 2 * sc), ImVec2(lx + sw - 2 * sc, ly + sw - 2 * sc), kHighlight, 0, 0, 2 * sc);
    } else {
      dl->AddRect(ImVec2(lx, ly), ImVec2(lx + sw, ly + sw), kWindow, 0, 0, 2 * sc);
    }
    put(small, lx + sw + 4 * sc, ly - 1 * sc, kMuted, names[i]);
  }
}

}  // namespace render
