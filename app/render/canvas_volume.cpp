#include "app/render/canvas_volume.h"

#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <functional>

#include "app/model/channel_sum.h"
#include "app/render/volume_layout.h"
#include "core/format.h"

namespace render {

namespace {

ImU32 group_colour(int64_t group) {
  return packed(colors::kGroupColours[static_cast<size_t>(group % colors::kGroupColourCount)]);
}

// Uploads a rows×cols slice; cell(ty, tx) gives (value, kind) for each tensor coordinate.
template <class CellFn>
void upload_slice(const GridRenderer& grids, GridRenderer::Grid& grid, const SliceStack& st,
                  std::vector<float>& texels, CellFn cell) {
  texels.resize(static_cast<size_t>(st.rows * st.cols * 2));
  for (int64_t y = 0; y < st.rows; ++y)
    for (int64_t x = 0; x < st.cols; ++x) {
      const std::pair<float, CellKind> c = cell(y + st.row0, x + st.col0);
      float* t = &texels[static_cast<size_t>((y * st.cols + x) * 2)];
      t[0] = c.first;
      t[1] = static_cast<float>(static_cast<int>(c.second));
    }
  grids.upload(grid, static_cast<int>(st.cols), static_cast<int>(st.rows), texels);
}

// The value font of a slice: as the slice view chooses it (canvas_pane.cpp,
// grid_values) — at most 55 % of a cell high, the widest value within the cell
// less a margin, never under the 10 px floor; nullptr when none fits.
const ImFont* slice_value_font(const CanvasText& text, float cell, const std::string& widest) {
  const float pad = std::max(2.0f, 0.12f * cell);
  const ImFont* font = nullptr;
  for (const ImFont* candidate : text.value_fonts())
    if (candidate->FontSize <= cell * 0.55f && text.measure(candidate, widest).x <= cell - pad) font = candidate;
  return font;
}

class Painter {
 public:
  Painter(const VolumeDraw& d, const VolumeLayout& v, CanvasLayout& out)
      : d(d), v(v), out(out), dl(d.dl), s(d.p.scenario()), g(d.p.geometry()), trace(d.p.trace()), sc(d.m.s) {
    C = s.input.c;
    F = g.out_channels;
    Cg = g.in_per_group();
    ch = d.p.shown_channel();
    f = d.p.shown_filter();
    const int64_t c0 = g.group_of_filter(f) * Cg;
    j = std::clamp<int64_t>(ch - c0, 0, Cg - 1);
    if (d.p.cursor() >= 0) step = trace.step(d.p.cursor());
    unit = d.p.current_unit();
  }

  // ---- GL: every slice, back to front ----
  void upload(VolumeCache& c, std::vector<float>& texels) const;
  void draw_slices(const VolumeCache& c) const;
  // ---- overlays ----
  void frames() const;
  void group_bands() const;
  void current_slices() const;
  void labels() const;
  void values();
  void lit_voxels();
  void breakdown() const;

 private:
  const VolumeDraw& d;
  const VolumeLayout& v;
  CanvasLayout& out;
  ImDrawList* dl;
  const core::Scenario& s;
  const core::Geometry& g;
  const core::Trace& trace;
  float sc;
  int64_t C = 1, F = 1, Cg = 1, ch = 0, f = 0, j = 0, unit = -1;
  std::optional<core::Step> step;

  int64_t channel_of(int64_t filter, int64_t slice) const { return g.group_of_filter(filter) * Cg + slice; }
  bool output_done(int64_t oy, int64_t ox, int64_t filter) const {
    if (!trace.gathers()) return true;
    return trace.coder().unit_index({oy, ox, filter}) <= unit;
  }
  std::optional<double> input_value(int64_t y, int64_t x, int64_t c) const {
    if (!s.input.contains(y, x)) return std::nullopt;
    return s.input.at(y, x, c);
  }
  std::optional<double> output_value(int64_t y, int64_t x, int64_t filter) const {
    if (!d.partial || !d.partial->contains(y, x) || !output_done(y, x, filter)) return std::nullopt;
    return d.partial->at(y, x, filter);
  }
  // The kernel stack that shows filter `filter` (exploded: only the shown filter's).
  const SliceStack* filter_stack(int64_t filter) const {
    if (v.exploded) return filter == f ? &v.filters[0] : nullptr;
    return &v.filters[static_cast<size_t>(filter)];
  }
  ImVec2 cell_min(const SliceStack& st, int64_t i, int64_t ty, int64_t tx) const {
    return ImVec2(st.slice_x(i) + static_cast<float>(tx - st.col0) * st.cell,
                  st.slice_y(i) + static_cast<float>(ty - st.row0) * st.cell);
  }
  // A slice of a volume stack behind its front slice (what is drawn on it shows through the front).
  bool hidden(const SliceStack& st, int64_t i) const { return i > 0 && st.step_y != 0; }
  bool drawn(const SliceStack& st, int64_t ty, int64_t tx) const {
    return ty >= st.row0 && tx >= st.col0 && ty < st.row0 + st.rows && tx < st.col0 + st.cols;
  }
  float put(const ImFont* font, float x, float y, ImU32 col, const std::string& t) const {
    const ImVec2 size = d.text.measure(font, t);
    x = std::round(x);
    y = std::round(y);
    dl->AddText(const_cast<ImFont*>(font), font->FontSize, ImVec2(x, y), col, t.c_str());
    out.texts.push_back({d.index, x, y, size.x, size.y, t});
    return size.x;
  }
  void slice_frame(const SliceStack& st, int64_t i, ImU32 col, float thick) const;
  void slice_values(const SliceStack& st, int64_t i, GridKind kind, int64_t stack, int64_t index, bool pulled,
                    bool readable, const std::string& widest, float range,
                    const std::function<std::optional<double>(int64_t, int64_t)>& value_at);
  void light(const SliceStack& st, int64_t i, GridKind kind, int64_t stack, int64_t index, bool pulled, int64_t ty,
             int64_t tx);
  void footprint(const SliceStack& st, int64_t i, int64_t y0, int64_t x0, ImU32 col, float thick) const;
};

void Painter::upload(VolumeCache& c, std::vector<float>& texels) const {
  const GridRenderer& grids = d.grids;
  if (c.in_scenario != d.p.scenario_ptr()) {
    c.input.resize(static_cast<size_t>(C));
    for (int64_t i = 0; i < C; ++i)
      upload_slice(grids, c.input[static_cast<size_t>(i)], v.input, texels, [&](int64_t ty, int64_t tx) {
        return s.input.contains(ty, tx) ? std::make_pair(static_cast<float>(s.input.at(ty, tx, i)), CellKind::value)
                                        : std::make_pair(0.0f, CellKind::padding);
      });
    c.in_scenario = d.p.scenario_ptr();
  }
  if (c.k_scenario != d.p.scenario_ptr()) {
    c.kernel.resize(static_cast<size_t>(F * Cg));
    SliceStack k = v.filters[0];
    k.row0 = k.col0 = 0;
    for (int64_t filter = 0; filter < F; ++filter)
      for (int64_t i = 0; i < Cg; ++i)
        upload_slice(grids, c.kernel[static_cast<size_t>(filter * Cg + i)], k, texels, [&](int64_t ky, int64_t kx) {
          return std::make_pair(static_cast<float>(trace.weight(ky, kx, channel_of(filter, i), filter)), CellKind::value);
        });
    c.k_scenario = d.p.scenario_ptr();
  }
  if (c.out_trace != d.p.trace_ptr() || c.out_cursor != d.p.cursor() || c.out_partial != d.partial || !d.partial) {
    c.output.resize(static_cast<size_t>(F));
    for (int64_t filter = 0; filter < F; ++filter)
      upload_slice(grids, c.output[static_cast<size_t>(filter)], v.output, texels, [&](int64_t ty, int64_t tx) {
        if (ty < 0 || tx < 0 || ty >= g.out_h() || tx >= g.out_w()) return std::make_pair(0.0f, CellKind::margin);
        const std::optional<double> val = output_value(ty, tx, filter);
        return val ? std::make_pair(static_cast<float>(*val), CellKind::value) : std::make_pair(0.0f, CellKind::blank);
      });
    c.out_trace = d.p.trace_ptr();
    c.out_cursor = d.p.cursor();
    c.out_partial = d.partial;
  }
}

void Painter::draw_slices(const VolumeCache& c) const {
  const int vw = out.width, vh = out.height;
  const PaneLayout& lay = d.lay;
  // GL clips to the band, and a slice behind another to the strips the one in
  // front leaves visible (its top and its right side): a deep stack then costs
  // about one slice of fill, not one per channel (llvmpipe fills every pixel).
  auto scissor = [&](float x0, float y0, float x1, float y1) {
    x0 = std::max(x0, lay.band_x), y0 = std::max(y0, lay.band_y);
    x1 = std::min(x1, lay.band_x + lay.band_w), y1 = std::min(y1, lay.band_y + lay.band_h);
    if (x1 <= x0 || y1 <= y0) return false;
    const GLint gx = static_cast<GLint>(std::floor(x0)), gy = static_cast<GLint>(std::floor(static_cast<float>(vh) - y1));
    glScissor(gx, gy, static_cast<GLsizei>(std::ceil(x1) - static_cast<float>(gx)),
              static_cast<GLsizei>(std::ceil(static_cast<float>(vh) - y0) - static_cast<float>(gy)));
    return true;
  };
  auto draw = [&](const GridRenderer::Grid& grid, const SliceStack& st, int64_t i, float range) {
    const float x = st.slice_x(i), y = st.slice_y(i), w = st.slice_w(), h = st.slice_h();
    if (!hidden(st, i)) {
      if (scissor(x, y, x + w, y + h)) d.grids.draw(grid, x, y, w, h, 1.0f / range, sc, vw, vh);
      return;
    }
    const float depth = st.step_x;
    if (scissor(x, y, x + w, y + std::min(depth, h))) d.grids.draw(grid, x, y, w, h, 1.0f / range, sc, vw, vh);
    if (scissor(x + std::max(0.0f, w - depth), y + depth, x + w, y + h))
      d.grids.draw(grid, x, y, w, h, 1.0f / range, sc, vw, vh);
  };
  const ColourRanges& r = d.ranges;
  for (int64_t i = C - 1; i >= 0; --i) draw(c.input[static_cast<size_t>(i)], v.input, i, r.input);
  for (int64_t filter = 0; filter < F; ++filter)
    if (const SliceStack* k = filter_stack(filter))
      for (int64_t i = Cg - 1; i >= 0; --i) draw(c.kernel[static_cast<size_t>(filter * Cg + i)], *k, i, r.kernel);
  if (v.exploded) {
    draw(c.output[static_cast<size_t>(f)], v.output, 0, r.output);
    return;
  }
  for (int64_t i = F - 1; i >= 0; --i) draw(c.output[static_cast<size_t>(i)], v.output, i, r.output);
  draw(c.input[static_cast<size_t>(ch)], v.input_pulled, 0, r.input);
  draw(c.kernel[static_cast<size_t>(f * Cg + j)], v.kernel_pulled, 0, r.kernel);
  draw(c.output[static_cast<size_t>(f)], v.output_pulled, 0, r.output);
}

// The edges of slice i that the slice in front of it leaves visible: all of a
// front slice; of a slice behind, its top and right edges and the ends of its
// left and bottom edges that stick out (a volume stack steps right and up).
void Painter::slice_frame(const SliceStack& st, int64_t i, ImU32 col, float thick) const {
  const float x0 = st.slice_x(i), y0 = st.slice_y(i), x1 = x0 + st.slice_w(), y1 = y0 + st.slice_h();
  if (i == 0 || st.step_y == 0) {
    dl->AddRect(ImVec2(x0, y0), ImVec2(x1, y1), col, 0, 0, thick);
    return;
  }
  const float dx = st.step_x, dy = -st.step_y;
  dl->AddLine(ImVec2(x0, y0), ImVec2(x1, y0), col, thick);
  dl->AddLine(ImVec2(x1, y0), ImVec2(x1, y1), col, thick);
  dl->AddLine(ImVec2(x0, y0), ImVec2(x0, y0 + dy), col, thick);
  dl->AddLine(ImVec2(x1 - dx, y1), ImVec2(x1, y1), col, thick);
}

void Painter::frames() const {
  const float thin = 1.0f * sc;
  auto stack_frames = [&](const SliceStack& st, int64_t n) {
    for (int64_t i = 0; i < n; ++i) slice_frame(st, i, kFrame, thin);
  };
  stack_frames(v.input, C);
  for (int64_t filter = 0; filter < F; ++filter)
    if (const SliceStack* k = filter_stack(filter)) stack_frames(*k, Cg);
  stack_frames(v.output, v.exploded ? 1 : F);
}

// The current slices: outlined in their stacks, pulled out above them and linked to their place.
void Painter::current_slices() const {
  if (v.exploded) return;
  const float thick = 2.5f * sc;
  slice_frame(v.input, ch, kHighlight, thick);
  slice_frame(v.filters[static_cast<size_t>(f)], j, kHighlight, thick);
  slice_frame(v.output, f, kHighlight, thick);
  for (const SliceStack* st : {&v.input_pulled, &v.kernel_pulled, &v.output_pulled})
    dl->AddRect(ImVec2(st->x, st->y), ImVec2(st->x + st->slice_w(), st->y + st->slice_h()), kFrame, 0, 0, 1.5f * sc);
  // Where each pulled-out copy comes from: a line to its slice's corner in the stack.
  const ImU32 link = packed(colors::with_alpha(colors::kHighlight, 255));
  auto link_to = [&](const SliceStack& pulled, const SliceStack& st, int64_t i) {
    dl->AddLine(ImVec2(pulled.x + pulled.slice_w(), pulled.y + pulled.slice_h()),
                ImVec2(st.slice_x(i) + st.slice_w(), st.slice_y(i)), link, 2.0f * sc);
  };
  link_to(v.input_pulled, v.input, ch);
  link_to(v.kernel_pulled, v.filters[static_cast<size_t>(f)], j);
  link_to(v.output_pulled, v.output, f);
}

// The classic grouped-conv picture: each group's colour along the input
// channels it reads, under the filters it feeds and along their output slices.
void Painter::group_bands() const {
  if (g.groups <= 1) return;
  const float t = 4.0f * sc;
  // A volume stack: a band along its top-left depth edge, just outside it, over slices [first, last].
  auto depth_band = [&](const SliceStack& st, int64_t first, int64_t last, ImU32 col) {
    const float off = 3.0f * sc + t / 2;
    const float half = std::max(st.step_x, 2.0f * sc) / 2;
    ImVec2 a(st.slice_x(first) - off - half * 0.7f, st.slice_y(first) - off + half * 0.7f);
    ImVec2 b(st.slice_x(last) - off + half * 0.7f, st.slice_y(last) - off - half * 0.7f);
    dl->AddLine(a, b, col, t);
  };
  // An exploded row: a bar under slices [first, last].
  auto under_bar = [&](const SliceStack& st, int64_t first, int64_t last, ImU32 col) {
    const float y = st.slice_y(first) + st.slice_h() + 2.0f * sc;
    dl->AddRectFilled(ImVec2(st.slice_x(first), y), ImVec2(st.slice_x(last) + st.slice_w(), y + t), col);
  };
  // A volume slice's top edge in its group's colour: the strips of the stack show the groups.
  auto top_edges = [&](const SliceStack& st, int64_t first, int64_t last, ImU32 col) {
    for (int64_t i = first; i <= last; ++i)
      dl->AddLine(ImVec2(st.slice_x(i), st.slice_y(i)), ImVec2(st.slice_x(i) + st.slice_w(), st.slice_y(i)), col,
                  2.5f * sc);
  };
  for (int64_t grp = 0; grp < g.groups; ++grp) {
    const ImU32 col = group_colour(grp);
    const int64_t c0 = grp * Cg, c1 = c0 + Cg - 1, f0 = grp * g.out_per_group(), f1 = f0 + g.out_per_group() - 1;
    if (v.exploded) {
      under_bar(v.input, c0, c1, col);
    } else {
      depth_band(v.input, c0, c1, col);
      depth_band(v.output, f0, f1, col);
      top_edges(v.input, c0, c1, col);
      top_edges(v.output, f0, f1, col);
    }
  }
  for (int64_t filter = 0; filter < F; ++filter)
    if (const SliceStack* k = filter_stack(filter)) {
      const float y = k->bottom() + 2.0f * sc;
      dl->AddRectFilled(ImVec2(k->left(), y), ImVec2(k->right(), y + t), group_colour(g.group_of_filter(filter)));
    }
  if (v.exploded) under_bar(v.output, 0, 0, group_colour(g.group_of_filter(f)));
}

void Painter::labels() const {
  const ImFont* font = d.text.font(TextRole::small);
  const ImFont* tiny = d.text.font(TextRole::tiny);
  const bool torch = torch_names(d.p);
  // Above a rectangle: the label, smaller when it is wider than the rectangle's column.
  auto above = [&](float x, float top, float room, const std::string& t) {
    const ImFont* use = d.text.measure(font, t).x <= room ? font : tiny;
    put(use, x, top - v.label_h, kMuted, t);
  };
  const float kroom = v.filters[0].right() - v.filters[0].left();  // the next stack starts a gap further
  const std::string cin = "c" + std::to_string(ch), fname = "f" + std::to_string(f);
  if (v.exploded) {
    for (int64_t i = 0; i < C; ++i)
      above(v.input.slice_x(i), v.input.top(), v.input.slice_w() + d.m.gap,
            i == 0 ? "input c0" : "c" + std::to_string(i));
    const SliceStack& k = v.filters[0];
    for (int64_t i = 0; i < Cg; ++i)
      above(k.slice_x(i), k.top(), k.slice_w() + d.m.gap,
            (i == 0 ? fname + " " : std::string()) + "c" + std::to_string(channel_of(f, i)));
    above(v.output.x, v.output.top(), v.output.slice_w() + d.m.op_gap, "output " + fname);
    return;
  }
  above(v.input.left(), v.input.top(), v.input.right() - v.input.left() + d.m.op_gap,
        "input " + grid_dims_numbers(s.input.h, s.input.w, C, torch));
  above(v.output.left(), v.output.top(), v.output.right() - v.output.left() + d.m.op_gap,
        "output " + grid_dims_numbers(g.out_h(), g.out_w(), F, torch));
  // Each filter with its weights: "f0: 3×3×3 = 27 weights" (the count beginners ask about), or just "f0".
  const int64_t weights = s.kernel.kh * s.kernel.kw * Cg;
  for (int64_t filter = 0; filter < F; ++filter) {
    const SliceStack& k = v.filters[static_cast<size_t>(filter)];
    const std::string name = "f" + std::to_string(filter);
    const std::string full = name + ": " + std::to_string(s.kernel.kh) + "×" + std::to_string(s.kernel.kw) + "×" +
                             std::to_string(Cg) + " = " + std::to_string(weights) + " weights";
    above(k.left(), k.top(), kroom, d.text.measure(tiny, full).x < kroom ? full : name);
  }
  // The pulled-out copies: which slice each is; the long form when it fits its column.
  auto pulled_label = [&](const SliceStack& st, const std::string& longer, const std::string& shorter) {
    const float room = st.slice_w() + d.m.op_gap;
    above(st.x, st.y, room, d.text.measure(tiny, longer).x <= room ? longer : shorter);
  };
  const std::string kc = "c" + std::to_string(channel_of(f, j));
  pulled_label(v.input_pulled, "input, channel " + cin, cin);
  pulled_label(v.kernel_pulled, "filter " + fname + ", channel " + kc, fname + " · " + kc);
  pulled_label(v.output_pulled, "output, filter " + fname, fname);
}

void Painter::slice_values(const SliceStack& st, int64_t i, GridKind kind, int64_t stack, int64_t index, bool pulled,
                           bool readable, const std::string& widest, float range,
                           const std::function<std::optional<double>(int64_t, int64_t)>& value_at) {
  VolumeSlice rec;
  rec.pane = d.index;
  rec.kind = kind;
  rec.stack = stack;
  rec.index = index;
  rec.pulled = pulled;
  rec.readable = readable;
  rec.x = st.slice_x(i), rec.y = st.slice_y(i), rec.w = st.slice_w(), rec.h = st.slice_h(), rec.cell = st.cell;
  rec.rows = st.rows, rec.cols = st.cols, rec.row0 = st.row0, rec.col0 = st.col0;
  const ImFont* font = readable && d.o.values ? slice_value_font(d.text, st.cell, widest) : nullptr;
  rec.values = font != nullptr;
  if (font) {
    const float pad = std::max(2.0f, 0.12f * st.cell);
    for (int64_t ty = st.row0; ty < st.row0 + st.rows; ++ty)
      for (int64_t tx = st.col0; tx < st.col0 + st.cols; ++tx) {
        const std::optional<double> val = value_at(ty, tx);
        if (!val) continue;
        const std::string label = core::format_short(*val);
        const ImVec2 ts = d.text.measure(font, label);
        if (ts.x > st.cell - pad) continue;  // a partial sum wider than the grid's widest: colour only
        const ImVec2 a = cell_min(st, i, ty, tx);
        const ImU32 col = dark_cell(static_cast<float>(*val) / range) ? packed(colors::kTextOnDarkCell) : kText;
        dl->AddText(const_cast<ImFont*>(font), font->FontSize,
                    ImVec2(std::round(a.x + (st.cell - ts.x) / 2), std::round(a.y + (st.cell - ts.y) / 2)), col,
                    label.c_str());
        ++rec.values_drawn;
      }
  }
  out.slices.push_back(rec);
}

void Painter::values() {
  const ColourRanges& r = d.ranges;
  auto in_at = [&](int64_t c) { return [this, c](int64_t y, int64_t x) { return input_value(y, x, c); }; };
  auto k_at = [&](int64_t filter, int64_t i) {
    return [this, filter, i](int64_t y, int64_t x) -> std::optional<double> {
      return trace.weight(y, x, channel_of(filter, i), filter);
    };
  };
  auto out_at = [&](int64_t filter) { return [this, filter](int64_t y, int64_t x) { return output_value(y, x, filter); }; };
  // Readable: every slice of the exploded view; the front slice of each stack and the pulled-out copies.
  for (int64_t i = 0; i < C; ++i)
    slice_values(v.input, i, GridKind::input, 0, i, false, v.exploded || i == 0, d.widest.input, r.input, in_at(i));
  for (int64_t filter = 0; filter < F; ++filter)
    if (const SliceStack* k = filter_stack(filter))
      for (int64_t i = 0; i < Cg; ++i)
        slice_values(*k, i, GridKind::kernel, filter, i, false, v.exploded || i == 0, d.widest.kernel, r.kernel,
                     k_at(filter, i));
  if (v.exploded) {
    slice_values(v.output, 0, GridKind::output, 0, f, false, true, d.widest.output, r.output, out_at(f));
    return;
  }
  for (int64_t i = 0; i < F; ++i)
    slice_values(v.output, i, GridKind::output, 0, i, false, i == 0, d.widest.output, r.output, out_at(i));
  slice_values(v.input_pulled, 0, GridKind::input, 0, ch, true, true, d.widest.input, r.input, in_at(ch));
  slice_values(v.kernel_pulled, 0, GridKind::kernel, f, j, true, true, d.widest.kernel, r.kernel, k_at(f, j));
  slice_values(v.output_pulled, 0, GridKind::output, 0, f, true, true, d.widest.output, r.output, out_at(f));
}

void Painter::light(const SliceStack& st, int64_t i, GridKind kind, int64_t stack, int64_t index, bool pulled,
                    int64_t ty, int64_t tx) {
  if (!drawn(st, ty, tx)) return;
  const ImVec2 a = cell_min(st, i, ty, tx), b(a.x + st.cell, a.y + st.cell);
  if (hidden(st, i)) {
    // Behind the front slice: a thin outline seen through it, which leaves the front's numbers readable.
    dl->AddRect(a, b, kHighlight, 0, 0, 2.0f * sc);
  } else {
    const float t = std::max(1.5f * sc, std::min(3.0f * sc, st.cell / 6));
    dl->AddRect(a, b, kWindow, 0, 0, t * 2);
    dl->AddRect(ImVec2(a.x + t, a.y + t), ImVec2(b.x - t, b.y - t), kHighlight, 0, 0, t);
  }
  out.lit.push_back({d.index, kind, stack, index, ty, tx, pulled, a.x, a.y, st.cell});
}

// The kh×kw taps (dilated) from (y0, x0), outlined on slice i.
void Painter::footprint(const SliceStack& st, int64_t i, int64_t y0, int64_t x0, ImU32 col, float thick) const {
  const int64_t dy = g.axes[0].dilation, dx = g.axes[1].dilation;
  const int64_t y1 = y0 + (s.kernel.kh - 1) * dy, x1 = x0 + (s.kernel.kw - 1) * dx;
  const int64_t cy0 = std::max(y0, st.row0), cx0 = std::max(x0, st.col0);
  const int64_t cy1 = std::min(y1, st.row0 + st.rows - 1), cx1 = std::min(x1, st.col0 + st.cols - 1);
  if (cy1 < cy0 || cx1 < cx0) return;
  const ImVec2 a = cell_min(st, i, cy0, cx0), b = cell_min(st, i, cy1 + 1, cx1 + 1);
  if (hidden(st, i)) dl->AddRect(a, b, (col & ~IM_COL32_A_MASK) | IM_COL32(0, 0, 0, 150), 0, 0, 1.0f * sc);
  else dl->AddRect(a, b, col, 0, 0, thick);
}

void Painter::lit_voxels() {
  if (!step) return;
  const core::Step& st = *step;
  const float thick = std::max(1.5f * sc, std::min(3.0f * sc, v.input.cell / 5));
  const bool pulled_view = !v.exploded;
  // In the exploded view the slice index of a stack is its position on the line.
  auto out_slice = [&](int64_t filter) { return v.exploded ? 0 : filter; };
  if (st.kind == core::StepKind::bias) {
    light(v.output, out_slice(st.output.c), GridKind::output, 0, st.output.c, false, st.output.y, st.output.x);
    if (pulled_view) light(v.output_pulled, 0, GridKind::output, 0, st.output.c, true, st.output.y, st.output.x);
    return;
  }
  const bool gather = trace.gathers();
  const int64_t c = gather ? (st.input ? st.input->c : ch) : st.input->c;
  const int64_t filter = st.output.c;
  const int64_t slice = c - g.group_of_filter(filter) * Cg;
  const int64_t ky = (*st.tap)[0], kx = (*st.tap)[1];
  // The input voxel (a padding tap lights the padding cell it reads).
  int64_t iy = 0, ix = 0;
  if (gather) {
    iy = g.axes[0].conv_input_of(st.output.y, ky);
    ix = g.axes[1].conv_input_of(st.output.x, kx);
    const int64_t y0 = g.axes[0].conv_input_of(st.output.y, 0), x0 = g.axes[1].conv_input_of(st.output.x, 0);
    footprint(v.input, c, y0, x0, kWindow, thick);
    if (pulled_view && c == ch) footprint(v.input_pulled, 0, y0, x0, kWindow, thick);
  } else {
    iy = st.input->y;
    ix = st.input->x;
  }
  light(v.input, c, GridKind::input, 0, c, false, iy, ix);
  if (pulled_view && c == ch) light(v.input_pulled, 0, GridKind::input, 0, c, true, iy, ix);
  if (const SliceStack* k = filter_stack(filter)) light(*k, slice, GridKind::kernel, filter, slice, false, ky, kx);
  if (pulled_view && filter == f && slice == j) light(v.kernel_pulled, 0, GridKind::kernel, filter, slice, true, ky, kx);
  if (!gather) {
    // The stamp lands on every output slice of the input channel's group.
    const int64_t y0 = g.axes[0].transpose_output_of(st.input->y, 0), x0 = g.axes[1].transpose_output_of(st.input->x, 0);
    const int64_t f0 = g.group_of_input_channel(c) * g.out_per_group();
    for (int64_t o = f0; o < f0 + g.out_per_group(); ++o)
      if (!v.exploded || o == f) footprint(v.output, out_slice(o), y0, x0, kWindow, thick);
    if (pulled_view) footprint(v.output_pulled, 0, y0, x0, kWindow, thick);
  }
  if (!st.cropped) {
    if (!v.exploded || filter == f)
      light(v.output, out_slice(filter), GridKind::output, 0, filter, false, st.output.y, st.output.x);
    if (pulled_view && filter == f) light(v.output_pulled, 0, GridKind::output, 0, filter, true, st.output.y, st.output.x);
  }
}

void Painter::breakdown() const {
  // Under the picture, from its left edge when that leaves room for the line.
  const float x = std::max(d.lay.band_x, std::min(v.x, d.lay.band_x + d.lay.band_w / 2));
  const float w = d.lay.band_x + d.lay.band_w - x;
  float y = v.breakdown_y;
  const model::ChannelSum cs = model::channel_sum(d.p);
  std::string line = cs.available ? model::channel_sum_text(cs)
                                  : (d.p.cursor() < 0 ? "the sum over channels fills in as the steps go"
                                                      : "this scatter lands outside the output (cropped)");
  const TextLines lines = wrap_text(d.text, TextRole::body, line, w, 2);
  for (const std::string& l : lines.lines) {
    put(lines.font, x, y, kText, l);
    y += lines.line_h;
  }
  if (g.groups <= 1) return;
  const int64_t grp = cs.available ? cs.group : g.group_of_filter(f);
  const std::string what = s.spec.op == core::Op::depthwise_conv2d
                               ? "depthwise: each filter reads one input channel (" + std::to_string(g.groups) + " groups)"
                               : model::group_text(g, grp);
  const ImFont* small = d.text.font(TextRole::small);
  const float box = std::round(small->FontSize * 0.8f);
  dl->AddRectFilled(ImVec2(x, y + 2 * sc), ImVec2(x + box, y + 2 * sc + box), group_colour(grp));
  put(small, x + box + 4 * sc, y, kMuted, what);
}

}  // namespace

float volume_breakdown_height(const CanvasText& text, const Metrics& m) {
  return 2 * line_height(text.font(TextRole::body), m.s) + line_height(text.font(TextRole::small), m.s);
}

std::array<float, 4> draw_volume(const VolumeDraw& d, VolumeCache& cache, std::vector<float>& texels,
                                 CanvasLayout& out) {
  const PaneLayout& lay = d.lay;
  const VolumeLayout v = lay_out_volume(d.p, d.sh, d.m, lay.band_x, lay.band_y, lay.band_w, lay.band_h,
                                        volume_breakdown_height(d.text, d.m));
  Painter painter(d, v, out);
  painter.upload(cache, texels);
  glEnable(GL_SCISSOR_TEST);
  painter.draw_slices(cache);
  glDisable(GL_SCISSOR_TEST);
  d.dl->PushClipRect(ImVec2(lay.band_x, lay.band_y), ImVec2(lay.band_x + lay.band_w, lay.band_y + lay.band_h), true);
  painter.values();
  painter.frames();
  painter.group_bands();
  painter.current_slices();
  painter.labels();
  painter.lit_voxels();
  painter.breakdown();
  if (!d.output_note.empty())
    d.dl->AddText(d.text.font(TextRole::small), d.text.font(TextRole::small)->FontSize,
                  ImVec2(v.output.left(), v.output.bottom() + 2 * d.m.s), kError, d.output_note.c_str());
  d.dl->PopClipRect();
  return {v.x, v.y, v.content_w, v.content_h};
}

}  // namespace render
