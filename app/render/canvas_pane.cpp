#include "app/render/canvas_pane.h"

#include <algorithm>
#include <cmath>

#include "app/model/arithmetic_text.h"
#include "app/render/grid_renderer.h"
#include "core/explain.h"
#include "core/format.h"

namespace render {

std::string dims(int64_t h, int64_t w, int64_t c, bool show_c) {
  std::string s = std::to_string(h) + "×" + std::to_string(w);
  if (show_c) s += "×" + std::to_string(c);
  return s;
}

std::string num(double v) { return core::format_number(v); }
std::string factor(double v) { return core::format_factor(v); }

std::string index_text(int64_t y, int64_t x) { return "[" + std::to_string(y) + "," + std::to_string(x) + "]"; }

std::string cell_text(const core::Cell& c, bool with_channel) {
  if (!with_channel) return index_text(c.y, c.x);
  return "[" + std::to_string(c.y) + "," + std::to_string(c.x) + "," + std::to_string(c.c) + "]";
}

std::string fit(const CanvasText& t, ImFont* font, const std::string& s, float max_w) {
  if (t.measure(font, s).x <= max_w) return s;
  std::string cut = s;
  while (!cut.empty()) {
    // Drop one UTF-8 code point.
    size_t n = cut.size() - 1;
    while (n > 0 && (static_cast<unsigned char>(cut[n]) & 0xC0) == 0x80) --n;
    cut.resize(n);
    if (t.measure(font, cut + "…").x <= max_w) return cut + "…";
  }
  return {};
}

std::vector<std::string> wrap(const CanvasText& t, ImFont* font, const std::string& s, float max_w, int max_lines) {
  std::vector<std::string> lines;
  std::string rest = s;
  while (!rest.empty() && static_cast<int>(lines.size()) < max_lines - 1 && t.measure(font, rest).x > max_w) {
    // The longest head of `rest` that ends before a space and fits.
    size_t cut = std::string::npos;
    for (size_t sp = rest.find(' '); sp != std::string::npos; sp = rest.find(' ', sp + 1)) {
      if (t.measure(font, rest.substr(0, sp)).x > max_w) break;
      cut = sp;
    }
    if (cut == std::string::npos) break;
    lines.push_back(rest.substr(0, cut));
    rest = rest.substr(cut + 1);
  }
  if (!rest.empty()) lines.push_back(fit(t, font, rest, max_w));
  return lines;
}

ImU32 map_colour(float t, int alpha) {
  float rgb[3];
  diverging_rgb(t, rgb);
  return IM_COL32(static_cast<int>(rgb[0] * 255 + 0.5f), static_cast<int>(rgb[1] * 255 + 0.5f),
                  static_cast<int>(rgb[2] * 255 + 0.5f), alpha);
}

bool dark_cell(float t) { return std::fabs(t) > 0.62f; }

PanePainter::PanePainter(ImDrawList* dl_, const CanvasText& text_, const CanvasOptions& o_, const model::Pane& p_,
                         const Shape& sh_, const Metrics& m_, const PaneLayout& lay_, const model::EquivalentView* eq_,
                         const core::Tensor& partial_, float in_max_, float k_max_, float out_max_)
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
      in_max(in_max_),
      k_max(k_max_),
      out_max(out_max_),
      sc(m_.s),
      cursor(p_.cursor()),
      C(s.input.c),
      F(g.out_channels),
      ch(p_.shown_channel()),
      f(p_.shown_filter()),
      unit(p_.current_unit()) {
  if (cursor >= 0) step = trace.step(cursor);
}

bool PanePainter::conv_cell_done(int64_t oy, int64_t ox) const {
  const int64_t u = (oy * g.out_w() + ox) * F + f;
  return u <= unit;
}

// ---- shapes in tensor coordinates ----

ImVec2 PanePainter::cell_min(const GridRect& gr, int64_t ty, int64_t tx) const {
  return ImVec2(gr.x + static_cast<float>(tx - gr.col0) * gr.cell, gr.y + static_cast<float>(ty - gr.row0) * gr.cell);
}

ImVec2 PanePainter::cell_max(const GridRect& gr, int64_t ty, int64_t tx) const {
  const ImVec2 a = cell_min(gr, ty, tx);
  return ImVec2(a.x + gr.cell, a.y + gr.cell);
}

void PanePainter::outline(const GridRect& gr, int64_t y0, int64_t x0, int64_t y1, int64_t x1, ImU32 col,
                          float thick) const {
  const ImVec2 a = cell_min(gr, y0, x0), b = cell_max(gr, y1, x1);
  const float inset = thick / 2;
  dl->AddRect(ImVec2(a.x + inset, a.y + inset), ImVec2(b.x - inset, b.y - inset), col, 0, 0, thick);
}

// A black ring around a yellow one: visible on every colour of the map.
void PanePainter::highlight(const GridRect& gr, int64_t ty, int64_t tx) const {
  const float t = std::max(1.5f * sc, std::min(3.0f * sc, gr.cell / 6));
  const ImVec2 a = cell_min(gr, ty, tx), b = cell_max(gr, ty, tx);
  dl->AddRect(a, b, kWindow, 0, 0, t * 2);
  dl->AddRect(ImVec2(a.x + t, a.y + t), ImVec2(b.x - t, b.y - t), kHighlight, 0, 0, t);
}

void PanePainter::draw_value(const GridRect& gr, int64_t ty, int64_t tx, double v, float inv_range, ImU32 forced) const {
  const float c = gr.cell;
  if (!o.values || c < 16 * sc) return;
  ImFont* fonts[3] = {text.cell, text.body, text.small};
  std::string label = num(v);
  // The biggest font that fits; failing all, fewer digits.
  for (int attempt = 0; attempt < 2; ++attempt) {
    for (ImFont* font : fonts) {
      if (font->FontSize > c * 0.5f) continue;
      const ImVec2 ts = text.measure(font, label);
      if (ts.x > c - 5 * sc) continue;
      const ImVec2 a = cell_min(gr, ty, tx);
      const float t = static_cast<float>(v) * inv_range;
      const ImU32 col = forced ? forced : (dark_cell(t) ? packed(colors::kTextOnDarkCell) : kText);
      dl->AddText(font, font->FontSize, ImVec2(std::round(a.x + (c - ts.x) / 2), std::round(a.y + (c - ts.y) / 2)),
                  col, label.c_str());
      return;
    }
    label = core::format_number(v, 3);
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

void PanePainter::label(const GridRect& gr, const std::string& name, const std::string& detail) const {
  const float lx = gr.x - m.gutter + 4 * sc;
  const float max_w = gr.w + m.gutter + m.op_gap - 8 * sc;
  const float ly = gr.y - m.label;
  ImFont* name_font = text.measure(text.body, name).x <= max_w ? text.body : text.small;
  dl->AddText(name_font, name_font->FontSize, ImVec2(lx, std::round(ly)), kText, fit(text, name_font, name, max_w).c_str());
  dl->AddText(text.small, text.small->FontSize, ImVec2(lx, std::round(ly + 17 * sc)), kMuted,
              fit(text, text.small, detail, max_w).c_str());
}

// Every index while they fit, then every 5th, 10th, 20th…
void PanePainter::indices(const GridRect& gr) const {
  if (gr.cell < 3) return;
  const float digit_w = text.measure(text.small, std::to_string(gr.tensor_w - 1)).x + 4 * sc;
  int64_t every = 1;
  while (static_cast<float>(every) * gr.cell < digit_w) every = every < 5 ? 5 : every * 2;
  for (int64_t tx = 0; tx < gr.tensor_w; tx += every) {
    const std::string t = std::to_string(tx);
    const ImVec2 a = cell_min(gr, gr.row0, tx);
    const float tw = text.measure(text.small, t).x;
    dl->AddText(text.small, text.small->FontSize, ImVec2(std::round(a.x + (gr.cell - tw) / 2), gr.y - 15 * sc), kMuted,
                t.c_str());
  }
  int64_t every_y = 1;
  while (static_cast<float>(every_y) * gr.cell < text.small->FontSize + 1) every_y = every_y < 5 ? 5 : every_y * 2;
  for (int64_t ty = 0; ty < gr.tensor_h; ty += every_y) {
    const std::string t = std::to_string(ty);
    const ImVec2 a = cell_min(gr, ty, gr.col0);
    const float tw = text.measure(text.small, t).x;
    dl->AddText(text.small, text.small->FontSize,
                ImVec2(std::round(gr.x - tw - 5 * sc), std::round(a.y + (gr.cell - text.small->FontSize) / 2)), kMuted,
                t.c_str());
  }
}

void PanePainter::op_glyph(const GridRect& left, const char* glyph) const {
  const ImVec2 ts = text.measure(text.cell, glyph);
  const float cx = left.x + left.w + (m.op_gap + m.gutter) / 2 - ts.x / 2;
  dl->AddText(text.cell, text.cell->FontSize, ImVec2(std::round(cx), std::round(left.y + left.h / 2 - ts.y / 2)), kMuted,
              glyph);
}

// ---- the steps ----

void PanePainter::draw_pane_header() const {
  const CanvasLayout::PaneRect& r = lay.r;
  const float x0 = lay.x0, inner_w = lay.inner_w;
  // Separator between panes.
  if (r.x > 0) dl->AddLine(ImVec2(r.x + 0.5f, r.y + 8 * sc), ImVec2(r.x + 0.5f, r.y + r.h - 8 * sc), kSeparator, 1.0f * sc);
  if (!o.title) return;
  const float y = r.y + 10 * sc;
  const std::string title = std::string(core::op_title(g.op)) + "  " + dims(s.input.h, s.input.w, C, C > 1) + " → " +
                            dims(g.out_h(), g.out_w(), F, F > 1);
  const std::string count = model::step_position_text(cursor, trace.count());
  const float count_w = text.measure(text.body, count).x;
  dl->AddText(text.bold, text.bold->FontSize, ImVec2(x0, y), kText,
              fit(text, text.bold, title, inner_w - count_w - 12 * sc).c_str());
  dl->AddText(text.body, text.body->FontSize, ImVec2(std::round(x0 + inner_w - count_w), y + 2 * sc), kMuted,
              count.c_str());
  std::string sub = std::string(core::convention_title(s.spec.convention)) + " · strides " +
                    std::to_string(s.spec.strides[0]) + "×" + std::to_string(s.spec.strides[1]) + " · padding ";
  if (s.spec.padding == core::PaddingKind::explicit_pads)
    sub += s.spec.pad_before == s.spec.pad_after ? core::pair_text(s.spec.pad_before)
                                                 : core::pair_text(s.spec.pad_before) + "/" + core::pair_text(s.spec.pad_after);
  else
    sub += core::padding_kind_name(s.spec.padding);
  if (s.spec.dilation != core::Pair{1, 1})
    sub += " · dilation " + std::to_string(s.spec.dilation[0]) + "×" + std::to_string(s.spec.dilation[1]);
  if (s.spec.output_padding && g.op == core::Op::conv2d_transpose)
    sub += " · output_padding " + core::pair_text(*s.spec.output_padding);
  if (s.bias) sub += " · bias";
  dl->AddText(text.small, text.small->FontSize, ImVec2(x0, y + 22 * sc), kMuted, fit(text, text.small, sub, inner_w).c_str());
  if (!p.error().empty()) {
    // The last rejected edit, in red, over the subtitle's right end is too cramped: a line of its own.
    dl->AddText(text.small, text.small->FontSize, ImVec2(x0, y + 34 * sc), kError,
                fit(text, text.small, p.error(), inner_w).c_str());
  }
}

void PanePainter::draw_values() const {
  if (o.values && lay.cell >= 16 * sc) {
    for (int64_t ty = 0; ty < s.input.h; ++ty)
      for (int64_t tx = 0; tx < s.input.w; ++tx) draw_value(lay.input, ty, tx, s.input.at(ty, tx, ch), 1.0f / in_max);
    for (int64_t ty = 0; ty < partial.h; ++ty)  // partial is empty while the output is not ready
      for (int64_t tx = 0; tx < partial.w; ++tx)
        if (!sh.conv || conv_cell_done(ty, tx)) draw_value(lay.output, ty, tx, partial.at(ty, tx, f), 1.0f / out_max);
  }
  // Kernel cells can be bigger than the others (kcell ≥ cell): draw_value decides per cell.
  if (o.values)
    for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
      for (int64_t kx = 0; kx < s.kernel.kw; ++kx)
        draw_value(lay.kernel, ky, kx, s.kernel.at(ky, kx, ch, f), 1.0f / k_max);
}

void PanePainter::draw_grid_labels() const {
  const GridRect &gin = lay.input, &gk = lay.kernel, &gout = lay.output;
  frame(gin);
  frame(gk);
  frame(gout);
  label(gin, "input", dims(s.input.h, s.input.w, C, true) + " (H×W×C)" + (C > 1 ? " · c=" + std::to_string(ch) : ""));
  label(gk, "kernel", std::to_string(s.kernel.kh) + "×" + std::to_string(s.kernel.kw) + "×" + std::to_string(C) + "×" +
                          std::to_string(F) + (C > 1 || F > 1 ? " · c=" + std::to_string(ch) + " f=" + std::to_string(f) : ""));
  label(gout, "output", dims(g.out_h(), g.out_w(), F, true) + " (H×W×F)" + (F > 1 ? " · f=" + std::to_string(f) : ""));
  indices(gin);
  indices(gk);
  indices(gout);
  // input ⊛ kernel → output; a transpose multiplies each input value by the kernel.
  op_glyph(gin, sh.conv ? "⊛" : "×");
  op_glyph(gk, "→");
  if (s.bias) {
    const std::string b = "bias b[" + std::to_string(f) + "] = " + num((*s.bias)[static_cast<size_t>(f)]);
    dl->AddText(text.small, text.small->FontSize, ImVec2(gk.x - m.gutter + 4 * sc, gk.y + gk.h + 6 * sc), kText,
                fit(text, text.small, b, gk.w + m.gutter + m.op_gap).c_str());
  }
}

float PanePainter::text_top() const {
  const float grids_bottom = eq && !lay.beside ? lay.eq_grid_y + lay.eq_rows_h : lay.grid_y + lay.rows_h + lay.bias_h;
  return std::round(grids_bottom + 16 * sc);
}

float PanePainter::draw_arithmetic(float ty) const {
  const float x0 = lay.x0, inner_w = lay.inner_w;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  std::string line1, line2;
  if (!step) {
    line1 = "Before the first step: press Space to play or → to step.";
    line2 = core::step_count_text(s, g);
  } else if (sh.conv) {
    const model::ArithmeticNames names = model::arithmetic_names(trace);
    const core::Cell out = step->output;
    const std::string target = names.y(out);
    const int64_t first = trace.first_step_of_unit(trace.unit_of_step(cursor));
    const int64_t taps = trace.steps_per_unit() - (s.bias ? 1 : 0);
    const int64_t done = std::min(cursor - first + 1, taps);
    auto term = [&](int64_t i) {
      const core::Step t = trace.step(first + i);
      return factor(t.a.value_or(0)) + "·" + factor(t.w);
    };
    std::string sum;
    if (done <= 6) {
      for (int64_t i = 0; i < done; ++i) sum += (i ? " + " : "") + term(i);
    } else {
      sum = term(0) + " + " + term(1) + " + … + " + term(done - 2) + " + " + term(done - 1);
    }
    if (step->kind == core::StepKind::bias) sum += " + " + factor(step->w);
    line1 = target + " = " + sum + " = " + num(step->after.value_or(0));
    if (step->kind == core::StepKind::mac)
      line2 = "tap " + names.w_of(*step) + " reads " + names.x(*step->input) + (step->padding ? " (padding: 0)" : "") +
              " · tap " + std::to_string(done) + " of " + std::to_string(taps) + " of this output cell";
    else
      line2 = model::bias_term(out.c, step->w) + " added: the cell is done";
  } else if (step->kind == core::StepKind::scatter) {
    const model::ArithmeticNames names = model::arithmetic_names(trace);
    const core::Cell in = *step->input;
    const std::string xs = names.x(in);
    line1 = model::transpose_step_line(names, *step);
    line2 = "stamp of " + xs + " = " + num(*step->a) + ": the kernel × " + num(*step->a) + " onto y[" +
            std::to_string(in.y * ay.stride - ay.crop_before) + "…" +
            std::to_string(in.y * ay.stride - ay.crop_before + ay.dilated_kernel - 1) + ", " +
            std::to_string(in.x * ax.stride - ax.crop_before) + "…" +
            std::to_string(in.x * ax.stride - ax.crop_before + ax.dilated_kernel - 1) + "]";
  } else {
    line1 = model::transpose_step_line(model::arithmetic_names(trace), *step);
    line2 = "bias steps (after the " + std::to_string(s.input.h * s.input.w * C) +
            " input cells): added once to every output cell after all stamps";
  }
  dl->AddText(text.body, text.body->FontSize, ImVec2(x0, ty), kText, fit(text, text.body, line1, inner_w).c_str());
  dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty + 19 * sc), kMuted, fit(text, text.small, line2, inner_w).c_str());
  return ty + 40 * sc;
}

float PanePainter::draw_formula(float ty) const {
  const float x0 = lay.x0, inner_w = lay.inner_w;
  const core::AxisFormula fy = core::axis_formula(s, g, 0), fx = core::axis_formula(s, g, 1);
  dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty), kMuted, fit(text, text.small, fy.rule, inner_w).c_str());
  const std::string hy = "H: " + fy.numbers + "   " + fy.sides, hx = "W: " + fx.numbers + "   " + fx.sides;
  dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty + 16 * sc), kText, fit(text, text.small, hy, inner_w).c_str());
  dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty + 32 * sc), kText, fit(text, text.small, hx, inner_w).c_str());
  return ty + 50 * sc;
}

void PanePainter::draw_legend(float ty) const {
  const float x0 = lay.x0, inner_w = lay.inner_w;
  // The colour bar (−max … 0 … +max of each grid), then the marks.
  const float bw = std::min(150 * sc, inner_w * 0.35f), bh = 10 * sc;
  const float bx = x0, by = ty + 2 * sc;
  for (int i = 0; i < 16; ++i) {
    const float t0 = -1 + 2.0f * static_cast<float>(i) / 16, t1 = -1 + 2.0f * static_cast<float>(i + 1) / 16;
    dl->AddRectFilledMultiColor(ImVec2(bx + bw * static_cast<float>(i) / 16, by),
                                ImVec2(bx + bw * static_cast<float>(i + 1) / 16 + 0.5f, by + bh), map_colour(t0),
                                map_colour(t1), map_colour(t1), map_colour(t0));
  }
  dl->AddRect(ImVec2(bx, by), ImVec2(bx + bw, by + bh), kFrame, 0, 0, 1.0f);
  dl->AddText(text.small, text.small->FontSize, ImVec2(bx, by + bh + 2 * sc), kMuted, "−max");
  const float zw = text.measure(text.small, "0").x;
  dl->AddText(text.small, text.small->FontSize, ImVec2(std::round(bx + bw / 2 - zw / 2), by + bh + 2 * sc), kMuted, "0");
  const float pw = text.measure(text.small, "+max").x;
  dl->AddText(text.small, text.small->FontSize, ImVec2(bx + bw - pw, by + bh + 2 * sc), kMuted, "+max");
  float lx = bx + bw + 14 * sc;
  const std::string maxes = "max |v|: input " + num(in_max) + ", kernel " + num(k_max) + ", output " + num(out_max);
  // Swatches: padding (hatched), current tap, window/stamp.
  const float sw = 12 * sc;
  auto swatch_text = [&](const std::string& t) {
    dl->AddText(text.small, text.small->FontSize, ImVec2(lx + sw + 4 * sc, by - 1 * sc), kMuted, t.c_str());
    lx += sw + 4 * sc + text.measure(text.small, t).x + 12 * sc;
  };
  const float right = x0 + inner_w;
  if (lx + 260 * sc < right) {
    dl->AddRectFilled(ImVec2(lx, by), ImVec2(lx + sw, by + sw), packed(colors::kPaddingSwatch));
    for (float d = 0; d < 2 * sw; d += 5 * sc)
      dl->AddLine(ImVec2(lx + std::max(0.0f, d - sw), by + std::min(sw, d)), ImVec2(lx + std::min(sw, d), by + std::max(0.0f, d - sw)),
                  packed(colors::kPaddingSwatchHatch), 1.2f * sc);
    swatch_text("padding");
    dl->AddRect(ImVec2(lx, by), ImVec2(lx + sw, by + sw), kWindow, 0, 0, 2 * sc);
    dl->AddRect(ImVec2(lx + 2 * sc, by + 2 * sc), ImVec2(lx + sw - 2 * sc, by + sw - 2 * sc), kHighlight, 0, 0, 2 * sc);
    swatch_text("current tap");
    dl->AddRect(ImVec2(lx, by), ImVec2(lx + sw, by + sw), kWindow, 0, 0, 2 * sc);
    swatch_text(sh.conv ? "window" : "stamp");
  }
  dl->AddText(text.small, text.small->FontSize, ImVec2(bx + bw + 14 * sc, by + bh + 2 * sc), kMuted,
              fit(text, text.small, maxes, right - (bx + bw + 14 * sc)).c_str());
}

}  // namespace render
