#include "app/render/canvas_layout.h"

#include <climits>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/model/arithmetic_text.h"
#include "core/explain.h"

namespace render {

namespace {

int64_t shown(int64_t margin) { return std::clamp<int64_t>(margin, 0, kMaxShownMargin); }

// ---- text ----

// Greedy word wrap at `width` with `font`; a word wider than the line is split
// between characters (and `*split` set, for callers that would rather shrink).
std::vector<std::string> wrap_words(const CanvasText& text, const ImFont* font, const std::string& s, float width,
                                    bool* split = nullptr) {
  std::vector<std::string> lines;
  std::string line;
  auto width_of = [&](const std::string& t) { return text.measure(font, t).x; };
  size_t at = 0;
  while (at <= s.size()) {
    size_t sp = s.find(' ', at);
    if (sp == std::string::npos) sp = s.size();
    std::string word = s.substr(at, sp - at);
    at = sp + 1;
    if (word.empty()) continue;
    const std::string candidate = line.empty() ? word : line + " " + word;
    if (width_of(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (!line.empty()) lines.push_back(line);
    line.clear();
    // The word alone: split it if even that is too wide (a long index, a path).
    if (split && width_of(word) > width && word.size() > 1) *split = true;
    // The prefix width grows one character at a time (ImGui fonts have no kerning, so a
    // prefix is the sum of its characters' advances): linear in the word, which matters
    // for a 4096-byte name without a space.
    auto char_end = [](const std::string& t, size_t i) {
      ++i;
      while (i < t.size() && (static_cast<unsigned char>(t[i]) & 0xC0) == 0x80) ++i;  // inside a UTF-8 char
      return i;
    };
    while (word.size() > 1 && width_of(word) > width) {
      size_t cut = 0;
      float prefix = 0;
      for (size_t i = 0; i < word.size();) {
        const size_t next = char_end(word, i);
        prefix += width_of(word.substr(i, next - i));
        if (prefix > width) break;
        cut = next;
        i = next;
      }
      if (cut == 0) cut = char_end(word, 0);
      if (cut >= word.size()) break;  // rounding: the whole word fits after all
      lines.push_back(word.substr(0, cut));
      word = word.substr(cut);
    }
    line = word;
  }
  if (!line.empty() || lines.empty()) lines.push_back(line);
  return lines;
}

// ---- grid labels and gutters ----

// The width a grid's label block needs (name, shape, channel line) and its
// row-index gutter, in the convention's names, for the widest channel numbers.
struct LabelNeed {
  float wide = 0, narrow = 0, gutter = 0;
  float width(bool narrow_labels) const { return narrow_labels ? narrow : wide; }
};

LabelNeed label_need(const CanvasText& text, const Metrics& m, const GridLabel& l, int64_t rows_in_tensor) {
  LabelNeed n;
  const ImFont* body = text.font(TextRole::body);
  const ImFont* small = text.font(TextRole::small);
  const float name = text.measure(body, l.name).x, channel = l.channel.empty() ? 0.0f : text.measure(small, l.channel).x;
  n.wide = std::max({name, text.measure(small, l.numbers + " " + l.letters).x, channel}) + 8 * m.s;
  n.narrow = std::max({name, text.measure(small, l.numbers).x, text.measure(small, l.letters).x, channel}) + 8 * m.s;
  n.gutter = text.measure(text.font(TextRole::tiny), std::to_string(std::max<int64_t>(rows_in_tensor - 1, 0))).x + 8 * m.s;
  return n;
}

// The pieces of one row of grids (input ⊛ kernel → output) as the fit needs them.
struct RowSpec {
  struct Col {
    int64_t cols = 0, rows = 0;
    bool kernel = false;
    LabelNeed need;
  };
  std::vector<Col> cols;
  bool bias = false;
  // Which line each grid goes on: one line (input ⊛ kernel → output), the output
  // wrapped under the other two, or one grid a line (tall, narrow panes).
  Arrangement lines{0, 0, 0};
};

// Where each grid of a row goes, relative to the row's top-left corner, at cell sizes (cell, kcell).
struct RowPlacement {
  float w = 0, h = 0;
  std::vector<ImVec2> grid_xy;  // each grid's top-left corner
  std::vector<ImVec2> grid_wh;
  std::vector<float> label_x;   // where each grid's label starts: its gutter, or its column when the label is wider
};

RowPlacement place_grids(const RowSpec& row, const Metrics& m, float cell, float kcell, bool narrow) {
  RowPlacement pl;
  const float label_h = narrow ? m.label_h_narrow : m.label_h;
  const int lines = row.lines[row.cols.size() - 1] + 1;
  std::vector<float> line_w(static_cast<size_t>(lines), 0), line_gh(static_cast<size_t>(lines), 0);
  std::vector<bool> line_bias(static_cast<size_t>(lines), false);
  std::vector<float> col_w(row.cols.size());
  for (size_t i = 0; i < row.cols.size(); ++i) {
    const RowSpec::Col& c = row.cols[i];
    const size_t L = static_cast<size_t>(row.lines[i]);
    const float cs = c.kernel ? kcell : cell;
    col_w[i] = std::max(c.need.gutter + cs * static_cast<float>(c.cols), c.need.width(narrow));
    // Every grid after the first has an operator before it: between grids, or leading its line.
    line_w[L] += col_w[i] + (i > 0 ? m.op_gap : 0);
    line_gh[L] = std::max(line_gh[L], cs * static_cast<float>(c.rows));
    line_bias[L] = line_bias[L] || (c.kernel && row.bias);
  }
  float top = 0;
  std::vector<float> line_top(static_cast<size_t>(lines));
  for (size_t L = 0; L < static_cast<size_t>(lines); ++L) {
    pl.w = std::max(pl.w, line_w[L]);
    line_top[L] = top;
    top += label_h + line_gh[L] + (line_bias[L] ? m.bias_h : 0) + (L + 1 < static_cast<size_t>(lines) ? m.gap : 0);
  }
  pl.h = top;
  std::vector<float> x(static_cast<size_t>(lines));
  for (size_t L = 0; L < static_cast<size_t>(lines); ++L) x[L] = (pl.w - line_w[L]) / 2;  // lines centred
  for (size_t i = 0; i < row.cols.size(); ++i) {
    const RowSpec::Col& c = row.cols[i];
    const size_t L = static_cast<size_t>(row.lines[i]);
    if (i > 0) x[L] += m.op_gap;
    const float cs = c.kernel ? kcell : cell;
    const float gw = cs * static_cast<float>(c.cols), gh = cs * static_cast<float>(c.rows);
    const float gx = x[L] + c.need.gutter + (col_w[i] - c.need.gutter - gw) / 2;
    pl.grid_xy.push_back(ImVec2(gx, line_top[L] + label_h + (line_gh[L] - gh) / 2));
    pl.grid_wh.push_back(ImVec2(gw, gh));
    // Left-aligned with the row indices, but never past the column's right edge.
    pl.label_x.push_back(std::min(gx - c.need.gutter, x[L] + col_w[i] - c.need.width(narrow)));
    x[L] += col_w[i];
  }
  return pl;
}

struct RowSize {
  float w = 0, h = 0;
};

float kernel_cell_for(float cell, const Metrics& m, bool kernel_floor) {
  return kernel_floor ? std::max(cell, m.min_kernel_cell) : cell;
}

// Whole pixels from 2 px up, so that every cell edge lands on a pixel boundary.
float snap(float cell) { return cell >= 2 ? std::floor(cell) : cell; }

RowSize row_size(const RowSpec& row, const Metrics& m, float cell, bool kernel_floor, bool narrow) {
  const RowPlacement pl = place_grids(row, m, snap(cell), snap(kernel_cell_for(cell, m, kernel_floor)), narrow);
  return {pl.w, pl.h};
}

std::string channel_line(const char* letter, int64_t value, int64_t count) {
  return std::string(letter) + " = " + std::to_string(value) + " of " + std::to_string(count);
}

}  // namespace

bool torch_names(const model::Pane& p) { return p.scenario().spec.convention == core::Convention::pytorch; }

std::string grid_dims_numbers(int64_t h, int64_t w, int64_t c, bool torch) {
  const std::string hw = std::to_string(h) + "×" + std::to_string(w);
  return torch ? std::to_string(c) + "×" + hw : hw + "×" + std::to_string(c);
}

std::string grid_dims_letters(bool torch, const char* channel_letter) {
  return torch ? std::string("(") + channel_letter + "×H×W)" : std::string("(H×W×") + channel_letter + ")";
}

std::string grid_dims(int64_t h, int64_t w, int64_t c, bool torch, const char* channel_letter) {
  return grid_dims_numbers(h, w, c, torch) + " " + grid_dims_letters(torch, channel_letter);
}

std::array<GridLabel, 3> grid_labels(const model::Pane& p, int64_t ch, int64_t f) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const bool torch = torch_names(p);
  std::array<GridLabel, 3> l;
  l[0] = {"input", grid_dims_numbers(s.input.h, s.input.w, s.input.c, torch), grid_dims_letters(torch, "C"),
          s.input.c > 1 ? channel_line("c", ch, s.input.c) : ""};
  // The kernel as the convention's layout has it: "2×2×1×1" and "[kh][kw][C_in][F]" / "[F][C_in][kh][kw] (OIHW)".
  const std::string k = core::kernel_shape_text(s, torch ? core::KernelLayout::torch : core::KernelLayout::keras);
  const auto space = k.find(' ');
  l[1] = {"kernel", k.substr(0, space), space == std::string::npos ? "" : k.substr(space + 1),
          s.input.c > 1 || g.out_channels > 1
              ? "c = " + std::to_string(ch) + ", f = " + std::to_string(f) +
                    (g.groups > 1 ? " (group " + std::to_string(g.group_of_filter(f)) + ")" : "")
              : ""};
  l[2] = {"output", grid_dims_numbers(g.out_h(), g.out_w(), g.out_channels, torch), grid_dims_letters(torch, "F"),
          g.out_channels > 1 ? channel_line("f", f, g.out_channels) : ""};
  return l;
}

std::array<GridLabel, 3> equivalent_labels(const model::Pane& p, const Shape& sh, int64_t ch, int64_t f) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const bool torch = torch_names(p);
  std::array<GridLabel, 3> l;
  l[0] = {"zero-inserted", grid_dims_numbers(sh.eq_rows, sh.eq_cols, s.input.c, torch) + " padded",
          grid_dims_letters(torch, "C"), s.input.c > 1 ? channel_line("c", ch, s.input.c) : ""};
  l[1] = {"rotated 180°", "w′[i,j] =",
          "w[" + std::to_string(s.kernel.kh - 1) + "−i," + std::to_string(s.kernel.kw - 1) + "−j]", ""};
  l[2] = {"same output", grid_dims_numbers(g.out_h(), g.out_w(), g.out_channels, torch), grid_dims_letters(torch, "F"),
          g.out_channels > 1 ? channel_line("f", f, g.out_channels) : ""};
  return l;
}

namespace {

RowSpec scatter_row(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  // The widest channel numbers the labels will show.
  const std::array<GridLabel, 3> l = grid_labels(p, s.input.c - 1, g.out_channels - 1);
  RowSpec row;
  row.bias = s.bias.has_value();
  row.cols.push_back({sh.in_cols, sh.in_rows, false, label_need(text, m, l[0], s.input.h)});
  row.cols.push_back({sh.k_cols, sh.k_rows, true, label_need(text, m, l[1], s.kernel.kh)});
  row.cols.push_back({sh.out_cols, sh.out_rows, false, label_need(text, m, l[2], g.out_h())});
  return row;
}

RowSpec equivalent_row(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const std::array<GridLabel, 3> l = equivalent_labels(p, sh, s.input.c - 1, g.out_channels - 1);
  RowSpec row;
  row.cols.push_back({sh.eq_cols, sh.eq_rows, false, label_need(text, m, l[0], s.input.h)});
  row.cols.push_back({sh.k_cols, sh.k_rows, true, label_need(text, m, l[1], s.kernel.kh)});
  row.cols.push_back({sh.eq_out_cols, sh.eq_out_rows, false, label_need(text, m, l[2], g.out_h())});
  return row;
}

// The equivalent row's heading, caption and step line, at a width.
struct EqText {
  TextLines caption;
  float height = 0;  // heading + caption + two step lines
};

// The caption gets a budget of two lines (it shrinks to fit them), so that the
// fit, which has no view at hand, and the layout agree on the height.
EqText equivalent_text(const model::EquivalentView* eq, const Metrics& m, const CanvasText& text, float width) {
  EqText t;
  const float heading = line_height(text.font(TextRole::title), m.s);
  const float small = line_height(text.font(TextRole::small), m.s);
  if (eq) t.caption = wrap_text(text, TextRole::small, eq->caption(), width, 2);
  t.height = heading + 2 * small + 2 * small + m.gap;
  return t;
}

// The smallest cell the fit tries: a 4096-cell grid is 64 px.
constexpr float kMinFitCell = 1.0f / 64;

// The largest cell for which both rows fit (w × h); kernels keep a readable floor when they can.
Cells fit_rows_with(const RowSpec& row1, const RowSpec* row2, float eq_text_h, const Metrics& m, float w, float h,
                    bool beside, bool narrow) {
  for (bool kernel_floor : {true, false}) {
    auto fits = [&](float c) {
      const RowSize a = row_size(row1, m, c, kernel_floor, narrow);
      if (!row2) return a.w <= w && a.h <= h;
      const RowSize b = row_size(*row2, m, c, kernel_floor, narrow);
      if (beside) return a.w + m.eq_side_gap + b.w <= w && std::max(a.h, eq_text_h + b.h) <= h;
      return std::max(a.w, b.w) <= w && a.h + m.eq_gap + eq_text_h + b.h <= h;
    };
    // Cells of 2 px and more are whole pixels: search those; below, fractions of a
    // pixel (grids are textures: a 2001×2001 output at 0.2 px is a heatmap that fits).
    float lo = kMinFitCell, hi = m.max_cell;
    if (!fits(lo)) continue;
    if (fits(hi)) {
      lo = hi;
    } else if (fits(2)) {
      int a = 2, b = static_cast<int>(hi);  // fits(a), !fits(b)
      while (b - a > 1) {
        const int mid = (a + b) / 2;
        (fits(static_cast<float>(mid)) ? a : b) = mid;
      }
      lo = static_cast<float>(a);
    } else {
      hi = 2;
      for (int i = 0; i < 12; ++i) {
        const float mid = (lo + hi) / 2;
        (fits(mid) ? lo : hi) = mid;
      }
    }
    const float cell = snap(lo);
    return {cell, snap(kernel_cell_for(cell, m, kernel_floor)), beside, narrow, row1.lines};
  }
  return {kMinFitCell, kMinFitCell, beside, narrow, row1.lines};
}

// Wide labels on one line unless narrow labels, or the grids wrapped onto two or
// three lines (tall, narrow panes), give clearly bigger cells.
Cells fit_rows(const RowSpec& row1, const RowSpec* row2, float eq_text_h, const Metrics& m, float w, float h, bool beside) {
  Cells best{};
  // The equivalent row keeps both rows on one line each: the two pictures line up.
  const std::vector<Arrangement> arrangements =
      row2 ? std::vector<Arrangement>{{0, 0, 0}} : std::vector<Arrangement>{{0, 0, 0}, {0, 0, 1}, {0, 1, 2}};
  for (const Arrangement& a : arrangements) {
    RowSpec row = row1;
    row.lines = a;
    for (bool narrow : {false, true}) {
      const Cells c = fit_rows_with(row, row2, eq_text_h, m, w, h, beside, narrow);
      if (c.cell > best.cell * 1.1f) best = c;
    }
  }
  return best;
}

}  // namespace

float line_height(const ImFont* f, float s) { return std::round(f->FontSize * 1.2f + 1 * s); }

std::vector<std::string> wrap_lines(const CanvasText& text, const ImFont* font, const std::string& s, float width) {
  return wrap_words(text, font, s, std::max(width, 8.0f));
}

std::array<std::string, 3> legend_swatches(bool window) { return {"padding", "current tap", window ? "window" : "stamp"}; }

std::string legend_note(bool kernel_own_scale) {
  return kernel_own_scale ? "colours: input and output on the bar's scale; the kernel on its own"
                          : "colours: one scale for input, kernel and output";
}

LegendLayout legend_layout(const CanvasText& text, const Metrics& m, float inner_w, bool window, bool kernel_own_scale,
                           bool compact) {
  LegendLayout l;
  const float s = m.s;
  const ImFont* small = text.font(TextRole::small);
  const float line = line_height(small, s);
  l.bar_w = std::round(std::min(150 * s, inner_w * 0.35f));
  l.bar_h = std::round(10 * s);
  // The bar and its numbers (and the kernel's own range under them).
  const float bar_block = l.bar_h + 2 * s + line * (kernel_own_scale ? 2 : 1);
  // The note right of the bar in two lines at most, else under it across the pane;
  // compact: no note, the swatches right of the bar.
  l.note_x = l.bar_w + std::round(14 * s);
  if (compact) {
    float x = l.note_x, y = -2 * s;
    l.swatch_size = std::round(12 * s);
    for (const std::string& label : legend_swatches(window)) {
      const float w = l.swatch_size + 4 * s + text.measure(small, label).x;
      if (x > l.note_x && x + w > inner_w) x = l.note_x, y += line;
      if (x + w > inner_w || y > line) break;  // no room: the rest are left out
      l.swatches.push_back({x, y});
      x += w + 14 * s;
    }
    l.height = bar_block + m.gap / 2;
    return l;
  }
  l.note = wrap_text(text, TextRole::small, legend_note(kernel_own_scale), inner_w - l.note_x, 2);
  float y = 0;
  if (l.note.lines.size() <= 2 && l.note.font == small) {
    l.note_y = -2 * s;
    y = std::max(bar_block, l.note.height() - 2 * s);
  } else {
    l.note = wrap_text(text, TextRole::small, legend_note(kernel_own_scale), inner_w, 3);
    l.note_x = 0;
    l.note_y = bar_block;
    y = bar_block + l.note.height();
  }
  // The swatches, flowing onto more lines when narrow.
  l.swatch_y = std::round(y + 4 * s);
  l.swatch_size = std::round(12 * s);
  float x = 0;
  y = l.swatch_y;
  for (const std::string& label : legend_swatches(window)) {
    const float w = l.swatch_size + 4 * s + text.measure(small, label).x;
    if (x > 0 && x + w > inner_w) {
      x = 0;
      y += line;
    }
    l.swatches.push_back({x, y});
    x += w + 14 * s;
  }
  l.height = y + line + m.gap / 2;
  return l;
}

TextLines wrap_text(const CanvasText& text, TextRole role, const std::string& s, float width, int max_lines) {
  TextLines t;
  width = std::max(width, 8.0f);
  // The largest size that fits in max_lines without breaking a word
  // ("Conv2DTranspos|e"); failing that, the largest that fits at all.
  TextLines fallback;
  for (int step = 0; step < text.steps(role); ++step) {
    t.font = text.font(role, step);
    t.split = false;
    t.lines = wrap_words(text, t.font, s, width, &t.split);
    const bool fits = static_cast<int>(t.lines.size()) <= max_lines;
    if (fits && !t.split) break;
    if (fits && !fallback.font) fallback = t;
  }
  if ((t.split || static_cast<int>(t.lines.size()) > max_lines) && fallback.font) t = fallback;
  t.line_h = line_height(t.font, text.scale());
  return t;
}

Shape shape_of(const model::Pane& p, const CanvasOptions& o) {
  const core::Geometry& g = p.geometry();
  const core::Scenario& s = p.scenario();
  Shape sh;
  sh.conv = !core::is_transpose(g.op);
  sh.window = sh.conv || p.order() == core::TraceOrder::gather;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  if (sh.conv) {
    const int64_t top = shown(ay.pad_before), bottom = shown(ay.pad_after), left = shown(ax.pad_before),
                  right = shown(ax.pad_after);
    sh.in_hidden = {ay.pad_before - top, ay.pad_after - bottom, ax.pad_before - left, ax.pad_after - right};
    sh.in_rows = top + s.input.h + bottom;
    sh.in_cols = left + s.input.w + right;
    sh.in_row0 = -top;
    sh.in_col0 = -left;
    sh.out_rows = g.out_h();
    sh.out_cols = g.out_w();
  } else {
    sh.in_rows = s.input.h;
    sh.in_cols = s.input.w;
    const int64_t mt = std::max<int64_t>(ay.crop_before, 0), mb = std::max<int64_t>(ay.crop_after, 0);
    const int64_t ml = std::max<int64_t>(ax.crop_before, 0), mr = std::max<int64_t>(ax.crop_after, 0);
    sh.out_hidden = {mt - shown(mt), mb - shown(mb), ml - shown(ml), mr - shown(mr)};
    sh.out_rows = shown(mt) + g.out_h() + shown(mb);
    sh.out_cols = shown(ml) + g.out_w() + shown(mr);
    sh.out_row0 = -shown(mt);
    sh.out_col0 = -shown(ml);
    if (o.equivalent) {
      // As core::transpose_as_conv lays it out: a valid stride-1 conv giving `out` needs out + dk − 1.
      sh.eq = true;
      sh.eq_rows = ay.equivalent_padded_length();
      sh.eq_cols = ax.equivalent_padded_length();
      sh.eq_out_rows = g.out_h();
      sh.eq_out_cols = g.out_w();
    }
  }
  sh.k_rows = s.kernel.kh;
  sh.k_cols = s.kernel.kw;
  return sh;
}

Metrics metrics_for(const CanvasOptions& o, const CanvasText& text) {
  Metrics m;
  const float s = m.s = o.content_scale;
  m.margin = std::round(14 * s);
  m.op_gap = std::round(34 * s);
  m.gap = std::round(10 * s);
  m.line_gap = std::round(2 * s);
  m.min_kernel_cell = std::round(30 * s);
  m.max_cell = std::round(140 * s);
  const float body = line_height(text.font(TextRole::body), s), small = line_height(text.font(TextRole::small), s),
              tiny = line_height(text.font(TextRole::tiny), s);
  m.label_h = body + 2 * small + tiny + m.line_gap;
  m.label_h_narrow = body + 3 * small + tiny + m.line_gap;
  m.bias_h = small + std::round(4 * s);
  m.eq_gap = std::round(16 * s);
  m.eq_side_gap = std::round(30 * s);
  return m;
}

Cells fit_cells(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text, float w, float h) {
  const RowSpec row1 = scatter_row(p, sh, m, text);
  if (!sh.eq) return fit_rows(row1, nullptr, 0, m, w, h, false);
  const RowSpec row2 = equivalent_row(p, sh, m, text);
  // Below reads best (the same output right under the scatter's); beside only
  // when it gives clearly bigger cells (large grids on a wide pane).
  const Cells below = fit_rows(row1, &row2, equivalent_text(nullptr, m, text, w).height, m, w, h, false);
  const Cells beside = fit_rows(row1, &row2, equivalent_text(nullptr, m, text, w / 2).height, m, w, h, true);
  return beside.cell > below.cell * 1.25f ? beside : below;
}

namespace {

// The header and text block of a pane at a width: what the band does not get.
struct PaneText {
  TextLines title, name, description, params, error, rule, h_line, w_line;
  ImFont* counter_font = nullptr;
  float counter_w = 0;
  bool counter_own_line = false;
  float header_h = 0, arithmetic_h = 0, formula_h = 0, legend_h = 0;
  float note_h = 0;  // the overlap map's legend, explanation and the hover line (Pane::overlap_map)
  int arithmetic_lines = 2;
  bool arithmetic_detail = true;  // the second, smaller line (what the step reads)
  int compact = 0;
  float block_h() const { return note_h + arithmetic_h + formula_h + legend_h; }
};

std::string params_text(const model::Pane& p, const Shape& sh) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  std::string sub = std::string(core::convention_title(s.spec.convention)) + " · strides " +
                    std::to_string(s.spec.strides[0]) + "×" + std::to_string(s.spec.strides[1]) + " · padding ";
  if (s.spec.padding == core::PaddingKind::explicit_pads)
    sub += s.spec.pad_before == s.spec.pad_after ? core::pair_text(s.spec.pad_before)
                                                 : core::pair_text(s.spec.pad_before) + "/" + core::pair_text(s.spec.pad_after);
  else
    sub += core::padding_kind_name(s.spec.padding);
  if (s.spec.dilation != core::Pair{1, 1})
    sub += " · dilation " + std::to_string(s.spec.dilation[0]) + "×" + std::to_string(s.spec.dilation[1]);
  if (s.spec.output_padding && core::is_transpose(g.op)) sub += " · output_padding " + core::pair_text(*s.spec.output_padding);
  if (g.groups > 1 && s.spec.op != core::Op::depthwise_conv2d) sub += " · groups " + std::to_string(g.groups);
  if (s.spec.op == core::Op::depthwise_conv2d) sub += " · depth multiplier " + std::to_string(g.out_per_group());
  if (s.bias) sub += " · bias";
  const auto& hidden = sh.conv ? sh.in_hidden : sh.out_hidden;
  if (*std::max_element(hidden.begin(), hidden.end()) > 0)
    sub += std::string(" · ") + (sh.conv ? "padding" : "crop margin") + " drawn up to " + std::to_string(kMaxShownMargin) +
           " cells per side (⋯ marks the rest)";
  return sub;
}

std::string title_text(const model::Pane& p) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const bool torch = torch_names(p);
  auto dims = [&](int64_t h, int64_t w, int64_t c) {
    const std::string hw = std::to_string(h) + "×" + std::to_string(w);
    if (c == 1) return hw;
    return torch ? std::to_string(c) + "×" + hw : hw + "×" + std::to_string(c);
  };
  return std::string(core::op_title(g.op)) + "  " + dims(s.input.h, s.input.w, s.input.c) + " → " +
         dims(g.out_h(), g.out_w(), g.out_channels);
}

// compact: 0 everything; 1 a one-line description and a legend without its
// note; 2 also the arithmetic on one line, without its second line — for panes
// too short to show their grids otherwise.
PaneText pane_text(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text,
                   const CanvasOptions& o, float inner_w, float pane_h, int compact = 0) {
  PaneText t;
  t.compact = compact;
  const float s = m.s;
  const float small = line_height(text.font(TextRole::small), s), body = line_height(text.font(TextRole::body), s);
  // Header.
  float y = std::round(10 * s);
  if (o.title) {
    // The counter's widest form, so the title does not move as the steps go.
    const int64_t count = p.trace().count();
    t.counter_font = text.font(TextRole::small);
    t.counter_w = std::max(text.measure(t.counter_font, model::step_position_text(-1, count)).x,
                           text.measure(t.counter_font, model::step_position_text(count - 1, count)).x);
    const float title_room = inner_w - t.counter_w - 16 * s;
    t.counter_own_line = title_room < inner_w * 0.45f;
    t.title = wrap_text(text, TextRole::title, title_text(p), t.counter_own_line ? inner_w : title_room, 2);
    if (t.title.split && !t.counter_own_line) {
      // A word of the title is wider than the room beside the counter: give it the whole line.
      t.counter_own_line = true;
      t.title = wrap_text(text, TextRole::title, title_text(p), inner_w, 2);
    }
    y += t.title.height();
    if (t.counter_own_line) y += body;
    const core::Scenario& sc = p.scenario();
    if (!sc.name.empty()) {
      t.name = wrap_text(text, TextRole::body, core::one_line(sc.name), inner_w, 2);
      y += t.name.height();
    }
    if (!sc.description.empty()) {
      t.description = wrap_text(text, TextRole::small, core::one_line(sc.description), inner_w, compact ? 1 : 2);
      y += t.description.height();
    }
    t.params = wrap_text(text, TextRole::small, params_text(p, sh), inner_w, 2);
    y += t.params.height();
  }
  if (!p.error().empty()) {
    t.error = wrap_text(text, TextRole::small, p.error(), inner_w, 3);
    y += t.error.height();
  }
  t.header_h = y + m.gap;
  // Text block: the arithmetic's fixed budget, the formula, the legend.
  // Short panes: one line each for the arithmetic (it shrinks or drops terms to fit).
  t.arithmetic_lines = pane_h < 560 * s || compact >= 2 ? 1 : 2;
  t.arithmetic_detail = compact < 2;
  if (o.arithmetic)
    t.arithmetic_h = static_cast<float>(t.arithmetic_lines) * (body + (t.arithmetic_detail ? small : 0)) + m.gap;
  if (o.formula) {
    const core::AxisFormula fy = core::axis_formula(p.scenario(), p.geometry(), 0);
    const core::AxisFormula fx = core::axis_formula(p.scenario(), p.geometry(), 1);
    t.rule = wrap_text(text, TextRole::small, fy.rule, inner_w, 2);
    t.h_line = wrap_text(text, TextRole::small, "H: " + fy.numbers + "   " + fy.sides, inner_w, 2);
    t.w_line = wrap_text(text, TextRole::small, "W: " + fx.numbers + "   " + fx.sides, inner_w, 2);
    t.formula_h = t.rule.height() + t.h_line.height() + t.w_line.height() + m.gap;
  }
  // The overlap map's note under the band: its legend line and two lines of
  // explanation (wrap_text shrinks them to fit).
  if (p.overlap_map) t.note_h = kOverlapNoteLines * small + m.gap / 2;
  if (o.legend) t.legend_h = legend_layout(text, m, inner_w, sh.window, o.kernel_own_scale, compact >= 1).height;
  return t;
}

// A pane's text and cells in a rectangle: the fullest text whose band still
// shows the grids at a useful size (a shorter text only if it gives the grids
// clearly more room).
struct PaneFit {
  PaneText text;
  Cells cells;
  float band_h = 0;
};

PaneFit fit_pane(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text, const CanvasOptions& o,
                 float pane_w, float pane_h) {
  const float inner_w = pane_w - 2 * m.margin;
  PaneFit best;
  for (int compact = 0; compact <= 2; ++compact) {
    PaneFit f;
    f.text = pane_text(p, sh, m, text, o, inner_w, pane_h, compact);
    f.band_h = std::max(8 * m.s, pane_h - f.text.header_h - m.margin / 2 - f.text.block_h());
    f.cells = fit_cells(p, sh, m, text, inner_w, f.band_h);
    if (compact == 0 || f.cells.cell > best.cells.cell * 1.5f) best = f;
    if (best.cells.cell >= 8 * m.s) break;  // big enough to read: keep the fuller text
  }
  return best;
}

}  // namespace

PaneLayout lay_out_pane(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text,
                        const CanvasOptions& o, const CanvasLayout::PaneRect& r, int index,
                        const model::EquivalentView* eq, std::vector<GridRect>& grids) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const float sc = m.s;
  PaneLayout lay;
  lay.r = r;
  lay.x0 = r.x + m.margin;
  lay.inner_w = r.w - 2 * m.margin;
  const PaneFit pf = fit_pane(p, sh, m, text, o, r.w, r.h);
  const PaneText& t = pf.text;
  lay.compact = t.compact;
  lay.arithmetic_detail = t.arithmetic_detail;

  // Header positions.
  float y = r.y + std::round(10 * sc);
  lay.title = t.title;
  lay.title_y = y;
  lay.counter_font = t.counter_font;
  if (o.title) {
    lay.counter_y = t.counter_own_line ? y + t.title.height() : y + 2 * sc;
    y += t.title.height() + (t.counter_own_line ? line_height(t.counter_font, sc) : 0);
    lay.name = t.name;
    lay.name_y = y;
    y += t.name.height();
    lay.description = t.description;
    lay.description_y = y;
    y += t.description.height();
    lay.params = t.params;
    lay.params_y = y;
    y += t.params.height();
  }
  lay.error = t.error;
  lay.error_y = y;
  y += t.error.height();
  y += m.gap;

  // The band: what is left between the header and the text block.
  lay.band_x = lay.x0;
  lay.band_w = lay.inner_w;
  lay.band_y = std::round(y);
  lay.band_h = pf.band_h;

  // Cells that fit the band at zoom 1, then the pane's zoom.
  RowSpec row1 = scatter_row(p, sh, m, text);
  const RowSpec row2 = eq ? equivalent_row(p, sh, m, text) : RowSpec{};
  const Cells& fit = pf.cells;
  row1.lines = lay.lines = fit.lines;
  lay.beside = eq && fit.beside;
  lay.narrow_labels = fit.narrow_labels;
  lay.label_h = fit.narrow_labels ? m.label_h_narrow : m.label_h;
  lay.base_cell = fit.cell;
  const float zoom = std::clamp(p.zoom, 1.0f, model::Pane::kMaxZoom);
  lay.cell = snap(fit.cell * zoom);
  // The kernel grows with the zoom once the others catch up with it.
  lay.kcell = snap(std::max(fit.kcell, lay.cell));
  const float eq_text_w = lay.beside ? lay.band_w / 2 : lay.band_w;
  const EqText eqt = equivalent_text(eq, m, text, eq_text_w);

  // The band's content at this zoom: one or two rows of label blocks and grids.
  const RowPlacement p1 = place_grids(row1, m, lay.cell, lay.kcell, lay.narrow_labels);
  RowPlacement p2;
  float content_w = p1.w, content_h = p1.h;
  float eq_x = 0, eq_y = 0;  // the equivalent row's corner in content coordinates
  if (eq) {
    p2 = place_grids(row2, m, lay.cell, lay.kcell, lay.narrow_labels);
    if (lay.beside) {
      eq_x = p1.w + m.eq_side_gap;
      content_w = eq_x + p2.w;
      content_h = std::max(p1.h, eqt.height + p2.h);
    } else {
      eq_y = p1.h + m.eq_gap;
      content_w = std::max(p1.w, p2.w);
      content_h = eq_y + eqt.height + p2.h;
    }
  }
  // Centred when it fits; else the pane's centre point (zoom and pan) decides.
  auto origin = [](float band0, float band_len, float len, float centre) {
    if (len <= band_len) return std::round(band0 + (band_len - len) / 2);
    const float o = band0 + band_len / 2 - std::clamp(centre, 0.0f, 1.0f) * len;
    return std::round(std::clamp(o, band0 + band_len - len, band0));
  };
  const float ox = origin(lay.band_x, lay.band_w, content_w, p.center_x);
  const float oy = origin(lay.band_y, lay.band_h, content_h, p.center_y);

  // The grids where place_grids put them, in canvas pixels, clipped to the band.
  auto place_row = [&](const RowSpec& row, const RowPlacement& pl, float x, float top, std::array<GridKind, 3> kinds,
                       std::array<std::array<int64_t, 4>, 3> coords, std::array<GridRect*, 3> into) {
    for (size_t i = 0; i < row.cols.size(); ++i) {
      const RowSpec::Col& c = row.cols[i];
      GridRect gr;
      gr.pane = index;
      gr.kind = kinds[i];
      gr.x = std::round(x + pl.grid_xy[i].x);
      gr.y = std::round(top + pl.grid_xy[i].y);
      gr.w = pl.grid_wh[i].x;
      gr.h = pl.grid_wh[i].y;
      gr.cell = c.kernel ? lay.kcell : lay.cell;
      gr.rows = c.rows;
      gr.cols = c.cols;
      gr.row0 = coords[i][0];
      gr.col0 = coords[i][1];
      gr.tensor_h = coords[i][2];
      gr.tensor_w = coords[i][3];
      // The visible part: the band clips zoomed grids.
      gr.clip_x = std::max(gr.x, lay.band_x);
      gr.clip_y = std::max(gr.y, lay.band_y);
      gr.clip_w = std::max(0.0f, std::min(gr.x + gr.w, lay.band_x + lay.band_w) - gr.clip_x);
      gr.clip_h = std::max(0.0f, std::min(gr.y + gr.h, lay.band_y + lay.band_h) - gr.clip_y);
      *into[i] = gr;
      grids.push_back(gr);
      lay.label_x[static_cast<size_t>(kinds[i])] = std::round(x + pl.label_x[i]);
    }
  };
  place_row(row1, p1, ox, oy, {GridKind::input, GridKind::kernel, GridKind::output},
            {{{sh.in_row0, sh.in_col0, s.input.h, s.input.w},
              {0, 0, s.kernel.kh, s.kernel.kw},
              {sh.out_row0, sh.out_col0, g.out_h(), g.out_w()}}},
            {&lay.input, &lay.kernel, &lay.output});
  if (eq) {
    lay.eq_top = oy + eq_y;
    // Below: the band's width; beside: the right part of the band, from the row's left edge.
    lay.eq_x0 = lay.beside ? ox + eq_x : lay.band_x;
    lay.eq_w = lay.beside ? std::max(lay.band_x + lay.band_w - lay.eq_x0, 40 * sc) : lay.band_w;
    lay.eq_caption = eqt.caption;
    const float heading = line_height(text.font(TextRole::title), sc);
    lay.eq_caption_y = lay.eq_top + heading;
    lay.eq_step_y = lay.eq_caption_y + eqt.caption.height();
    // In the coordinates of the zero-inserted input: input cell (y, x) at (y·s, x·s).
    place_row(row2, p2, ox + eq_x, oy + eq_y + eqt.height,
              {GridKind::equivalent_input, GridKind::equivalent_kernel, GridKind::equivalent_output},
              {{{-eq->pad_before(0), -eq->pad_before(1), eq->inserted_length(0), eq->inserted_length(1)},
                {0, 0, s.kernel.kh, s.kernel.kw},
                {0, 0, g.out_h(), g.out_w()}}},
              {&lay.eq_input, &lay.eq_kernel, &lay.eq_output});
  }

  // Text block under the band.
  float ty = lay.band_y + lay.band_h + m.gap / 2;
  lay.note_y = ty;
  lay.note_h = t.note_h;
  ty += t.note_h;
  lay.arithmetic_y = ty;
  lay.arithmetic_h = t.arithmetic_h;
  lay.arithmetic_lines = t.arithmetic_lines;
  ty += t.arithmetic_h;
  lay.formula_y = ty;
  lay.rule = t.rule;
  lay.h_line = t.h_line;
  lay.w_line = t.w_line;
  ty += t.formula_h;
  lay.legend_y = ty;
  lay.legend_h = t.legend_h;
  return lay;
}

std::vector<CanvasLayout::PaneRect> pane_rects(const std::vector<const model::Pane*>& panes, const CanvasOptions& o,
                                               const CanvasText& text, float w, float h) {
  std::vector<CanvasLayout::PaneRect> best;
  const size_t n = panes.size();
  if (n == 0) return best;
  const Metrics m = metrics_for(o, text);
  float best_score = -1;
  for (size_t cols = 1; cols <= n; ++cols) {
    const size_t rows = (n + cols - 1) / cols;
    if (rows > 1 && (rows - 1) * cols >= n) continue;  // an empty row
    const float pw = std::floor(w / static_cast<float>(cols)), ph = std::floor(h / static_cast<float>(rows));
    // The smallest pane's cell at zoom 1 decides.
    float smallest = 1e9f;
    for (const model::Pane* p : panes) {
      const Shape sh = shape_of(*p, o);
      smallest = std::min(smallest, fit_pane(*p, sh, m, text, o, pw, ph).cells.cell);
    }
    // Side by side reads as one picture: it wins unless stacking is clearly better.
    const float score = smallest * (rows == 1 ? 1.3f : 1.0f);
    if (score > best_score) {
      best_score = score;
      best.clear();
      for (size_t i = 0; i < n; ++i)
        best.push_back({static_cast<float>(i % cols) * pw, static_cast<float>(i / cols) * ph, pw, ph});
    }
  }
  return best;
}

Size natural_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, const CanvasText& text) {
  const Metrics m = metrics_for(opt, text);
  const float s = m.s;
  // Each pane at a comfortable cell (large grids smaller, so a frame stays within
  // about 1600×1000 × scale), its text measured at that width.
  float pane_w = 0, pane_h = 0;
  for (const model::Pane* p : panes) {
    const Shape sh = shape_of(*p, opt);
    const RowSpec row1 = scatter_row(*p, sh, m, text);
    // The scatter row sets the cell: an equivalent row adds to the canvas, never shrinks its cells.
    const int64_t cols = sh.in_cols + sh.k_cols + sh.out_cols;
    const int64_t rows = std::max({sh.in_rows, sh.out_rows, sh.k_rows});
    const float cell = std::clamp(std::min(900 * s / static_cast<float>(cols), 560 * s / static_cast<float>(rows)), 2 * s, 56 * s);
    RowSize size = row_size(row1, m, cell, true, false);
    float w = size.w + 2 * m.margin, h = size.h;
    if (sh.eq) {
      const RowSize b = row_size(equivalent_row(*p, sh, m, text), m, cell, true, false);
      w = std::max(w, b.w + 2 * m.margin);
      h += m.eq_gap + equivalent_text(nullptr, m, text, w - 2 * m.margin).height + b.h;
    }
    w = std::max(w, (sh.eq ? 640 : 520) * s);
    const PaneText t = pane_text(*p, sh, m, text, opt, w - 2 * m.margin, 1e9f);
    h += t.header_h + std::round(10 * s) + t.block_h() + m.margin;
    pane_w = std::max(pane_w, std::ceil(w));
    pane_h = std::max(pane_h, std::ceil(h));
  }
  const size_t n = std::max<size_t>(panes.size(), 1);
  const size_t cols = n <= 3 ? n : (n + 1) / 2;
  const size_t rows = (n + cols - 1) / cols;
  return frame_within_cap(pane_w * static_cast<float>(cols), pane_h * static_cast<float>(rows), s);
}

Size frame_within_cap(float w, float h, float scale) {
  // Clamped as floats: a float past INT_MAX cast to int is undefined (the fuzzer found one).
  Size sz;
  sz.w = static_cast<int>(std::clamp(w, 64.0f, 4096 * scale));
  sz.h = static_cast<int>(std::clamp(h, 64.0f, 4096 * scale));
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

}  // namespace render
