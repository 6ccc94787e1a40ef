#include "app/render/canvas_renderer.h"

#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/model/equivalent_view.h"
#include "app/render/canvas_text.h"
#include "app/render/colors.h"
#include "app/render/grid_renderer.h"
#include "app/render/resources.h"
#include "core/errors.h"
#include "core/explain.h"
#include "core/format.h"

namespace render {

namespace {

// ---- colours: colors.h, packed as ImGui wants them (ABGR) ----
constexpr ImU32 packed(colors::Rgba c) { return IM_COL32(c.r, c.g, c.b, c.a); }
constexpr ImU32 kBackground = packed(colors::kBackground);
constexpr ImU32 kText = packed(colors::kText);
constexpr ImU32 kMuted = packed(colors::kMutedText);
constexpr ImU32 kFrame = packed(colors::kFrame);
constexpr ImU32 kWindow = packed(colors::kWindow);
constexpr ImU32 kHighlight = packed(colors::kHighlight);
constexpr ImU32 kError = packed(colors::kError);
constexpr ImU32 kSeparator = packed(colors::kSeparator);

// Cells are at most this big (× content scale); text and margins in px × scale.
constexpr float kMaxCell = 64.0f;
constexpr float kMinKernelCell = 26.0f;

std::string dims(int64_t h, int64_t w, int64_t c, bool show_c) {
  std::string s = std::to_string(h) + "×" + std::to_string(w);
  if (show_c) s += "×" + std::to_string(c);
  return s;
}

std::string num(double v) { return core::format_number(v); }
std::string factor(double v) { return core::format_factor(v); }

std::string index_text(int64_t y, int64_t x) { return "[" + std::to_string(y) + "," + std::to_string(x) + "]"; }
// "[y,x]", or "[y,x,c]" when the tensor has more than one channel.
std::string cell_text(const core::Cell& c, bool with_channel) {
  if (!with_channel) return index_text(c.y, c.x);
  return "[" + std::to_string(c.y) + "," + std::to_string(c.x) + "," + std::to_string(c.c) + "]";
}

// Cuts `s` (UTF-8) so that it fits in max_w pixels, ending with "…".
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

// `s` broken at spaces into at most max_lines lines of max_w pixels (the last one cut with "…").
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

ImU32 map_colour(float t, int alpha = 255) {
  float rgb[3];
  diverging_rgb(t, rgb);
  return IM_COL32(static_cast<int>(rgb[0] * 255 + 0.5f), static_cast<int>(rgb[1] * 255 + 0.5f),
                  static_cast<int>(rgb[2] * 255 + 0.5f), alpha);
}

bool dark_cell(float t) { return std::fabs(t) > 0.62f; }

float max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m > 0 ? static_cast<float>(m) : 1.0f;
}

// One cell as grid.frag reads it: a texel of (value, kind).
struct Texel {
  float value = 0;
  CellKind kind = CellKind::value;
};
Texel value_texel(double v) { return {static_cast<float>(v), CellKind::value}; }
Texel mark_texel(CellKind k) { return {0, k}; }

// Uploads a rows×cols grid into `grid`, cell(y, x) giving each texel (y, x
// from 0, row 0 first); `texels` is the caller's scratch buffer, reused.
template <class CellFn>
void upload_cells(const GridRenderer& grids, GridRenderer::Grid& grid, int64_t rows, int64_t cols,
                  std::vector<float>& texels, CellFn cell) {
  texels.resize(static_cast<size_t>(rows * cols * 2));
  for (int64_t y = 0; y < rows; ++y)
    for (int64_t x = 0; x < cols; ++x) {
      const Texel c = cell(y, x);
      float* t = &texels[static_cast<size_t>((y * cols + x) * 2)];
      t[0] = c.value;
      t[1] = static_cast<float>(static_cast<int>(c.kind));
    }
  grids.upload(grid, static_cast<int>(cols), static_cast<int>(rows), texels);
}

// Everything about a pane's picture that does not depend on the cursor.
struct Shape {
  bool conv = true;
  int64_t in_rows = 0, in_cols = 0, in_row0 = 0, in_col0 = 0;     // input, with pads (conv)
  int64_t k_rows = 0, k_cols = 0;
  int64_t out_rows = 0, out_cols = 0, out_row0 = 0, out_col0 = 0;  // output, with crop margins (transpose)
  // The equivalent Conv2D (transpose, CanvasOptions::equivalent): the
  // zero-inserted, padded input, the rotated kernel, the output without margins.
  bool eq = false;
  int64_t eq_rows = 0, eq_cols = 0, eq_out_rows = 0, eq_out_cols = 0;

  int64_t rows1() const { return std::max({in_rows, out_rows, k_rows}); }
  int64_t rows2() const { return eq ? std::max({eq_rows, eq_out_rows, k_rows}) : 0; }
  int64_t cols1() const { return in_cols + k_cols + out_cols; }
  int64_t cols2() const { return eq ? eq_cols + k_cols + eq_out_cols : 0; }
};

Shape shape_of(const model::Pane& p, const CanvasOptions& o) {
  const core::Geometry& g = p.geometry();
  const core::Scenario& s = p.scenario();
  Shape sh;
  sh.conv = g.op == core::Op::conv2d;
  const auto &ay = g.axes[0], &ax = g.axes[1];
  if (sh.conv) {
    sh.in_rows = ay.pad_before + s.input.h + ay.pad_after;
    sh.in_cols = ax.pad_before + s.input.w + ax.pad_after;
    sh.in_row0 = -ay.pad_before;
    sh.in_col0 = -ax.pad_before;
    sh.out_rows = g.out_h();
    sh.out_cols = g.out_w();
  } else {
    sh.in_rows = s.input.h;
    sh.in_cols = s.input.w;
    const int64_t mt = std::max<int64_t>(ay.crop_before, 0), mb = std::max<int64_t>(ay.crop_after, 0);
    const int64_t ml = std::max<int64_t>(ax.crop_before, 0), mr = std::max<int64_t>(ax.crop_after, 0);
    sh.out_rows = mt + g.out_h() + mb;
    sh.out_cols = ml + g.out_w() + mr;
    sh.out_row0 = -mt;
    sh.out_col0 = -ml;
    if (o.equivalent) {
      // As core::transpose_as_conv lays it out: a valid stride-1 conv giving `out` needs out + dk − 1.
      sh.eq = true;
      sh.eq_rows = g.out_h() + ay.dilated_kernel - 1;
      sh.eq_cols = g.out_w() + ax.dilated_kernel - 1;
      sh.eq_out_rows = g.out_h();
      sh.eq_out_cols = g.out_w();
    }
  }
  sh.k_rows = s.kernel.kh;
  sh.k_cols = s.kernel.kw;
  return sh;
}

// Vertical metrics of a pane (px), from the options alone.
struct Metrics {
  float s = 1;
  float margin = 0, header = 0, label = 0, gutter = 0, op_gap = 0, text_block = 0, bottom = 0;
  // The equivalent row: its heading, caption and step line; the gap that sets it
  // off the scatter row (below) and the gap between the two rows side by side.
  // Beside, the row is narrower: caption and step line get two lines each.
  float eq_header = 0, eq_header_beside = 0, eq_gap = 0, eq_side_gap = 0;
};

Metrics metrics_for(const CanvasOptions& o) {
  Metrics m;
  const float s = m.s = o.content_scale;
  m.margin = 14 * s;
  m.header = o.title ? 46 * s : 8 * s;
  m.label = 50 * s;   // "input" + shape line + column indices
  m.gutter = 28 * s;  // row indices left of each grid
  m.op_gap = 34 * s;  // the operator glyph between grids
  float tb = 10 * s;
  if (o.arithmetic) tb += 40 * s;
  if (o.formula) tb += 50 * s;
  if (o.legend) tb += 40 * s;
  m.text_block = tb;
  m.bottom = 8 * s;
  m.eq_header = 58 * s;
  m.eq_header_beside = 96 * s;
  m.eq_gap = 14 * s;
  m.eq_side_gap = 30 * s;
  return m;
}

struct Cells {
  float cell = 0, kcell = 0;
  bool beside = false;  // the equivalent row right of the scatter row (else below it)
};

// The cell sizes that fit `sh` into a pane of w×h (px) with the equivalent row
// (if any) below the scatter row, or beside it.
Cells fit_arrangement(const Shape& sh, const Metrics& m, float w, float h, bool beside) {
  const float s = m.s;
  const int rows_of_grids = sh.eq ? 2 : 1;
  float avail_w = w - 2 * m.margin - 3 * m.gutter - 2 * m.op_gap;
  float avail_h = h - m.header - m.label - m.text_block - m.bottom;
  float rows = 0, grid_rows = 0, all_cols = 0, other_cols = 0, k_cols = 0, k_rows = 0;
  const float in_out1 = static_cast<float>(std::max(sh.in_rows, sh.out_rows));
  const float in_out2 = static_cast<float>(std::max(sh.eq_rows, sh.eq_out_rows));
  if (sh.eq && beside) {
    avail_w -= 3 * m.gutter + 2 * m.op_gap + m.eq_side_gap;
    avail_h -= m.eq_header_beside;
    rows = static_cast<float>(std::max(sh.rows1(), sh.rows2()));
    grid_rows = std::max(in_out1, in_out2);
    all_cols = static_cast<float>(sh.cols1() + sh.cols2());
    k_cols = static_cast<float>(2 * sh.k_cols);
    k_rows = static_cast<float>(sh.k_rows);
  } else {
    if (sh.eq) avail_h -= m.eq_gap + m.eq_header + m.label;
    rows = static_cast<float>(sh.rows1() + sh.rows2());
    grid_rows = in_out1 + (sh.eq ? in_out2 : 0);
    all_cols = static_cast<float>(std::max(sh.cols1(), sh.cols2()));
    k_cols = static_cast<float>(sh.k_cols);
    k_rows = static_cast<float>(rows_of_grids * sh.k_rows);
  }
  other_cols = all_cols - k_cols;
  float cell = std::min({kMaxCell * s, avail_w / all_cols, avail_h / rows});
  float kcell = cell;
  if (cell < kMinKernelCell * s) {
    // Big grids: keep the kernel readable and share the rest.
    kcell = std::min({kMinKernelCell * s, avail_w * 0.25f / k_cols, avail_h / k_rows});
    const float rest = avail_w - kcell * k_cols;
    cell = std::min({cell, rest / other_cols, avail_h / grid_rows});
    kcell = std::max(kcell, cell);
  }
  cell = std::max(cell, 0.25f);
  kcell = std::max(kcell, 0.25f);
  // Whole pixels while cells are big enough for borders to show.
  if (cell >= 6) cell = std::floor(cell);
  if (kcell >= 6) kcell = std::floor(kcell);
  return {cell, kcell, beside};
}

// Below reads best (the same output right under the scatter's); side by side
// only when it gives clearly bigger cells (large grids on a wide pane).
Cells fit_cells(const Shape& sh, const Metrics& m, float w, float h) {
  const Cells below = fit_arrangement(sh, m, w, h, false);
  if (!sh.eq) return below;
  const Cells beside = fit_arrangement(sh, m, w, h, true);
  return beside.cell > below.cell * 1.25f ? beside : below;
}

}  // namespace

CanvasOptions CanvasOptions::from_view(const model::ViewOptions& v, float content_scale) {
  CanvasOptions o;
  o.values = v.values;
  o.arithmetic = v.arithmetic;
  o.formula = v.formula;
  o.legend = v.legend;
  o.equivalent = v.equivalent;
  o.content_scale = content_scale;
  return o;
}

struct CanvasRenderer::Impl {
  struct PaneCache {
    std::shared_ptr<const core::Scenario> in_scenario;
    int64_t in_channel = -1;
    GridRenderer::Grid input;
    std::shared_ptr<const core::Scenario> k_scenario;
    int64_t k_c = -1, k_f = -1;
    GridRenderer::Grid kernel;
    std::shared_ptr<const core::Trace> out_trace;
    int64_t out_cursor = -2, out_f = -1;
    GridRenderer::Grid output;
    std::shared_ptr<const core::Tensor> partial;  // output after the cursor
    std::shared_ptr<const core::Trace> range_trace;
    float in_max = 1, k_max = 1, out_max = 1;
    // The equivalent Conv2D (transpose with CanvasOptions::equivalent).
    std::shared_ptr<const model::EquivalentView> eq;  // rebuilt when the scenario changes
    std::shared_ptr<const model::EquivalentView> eq_in_view, eq_k_view;
    int64_t eq_in_channel = -1, eq_k_c = -1, eq_k_f = -1;
    GridRenderer::Grid eq_input, eq_kernel;
    std::shared_ptr<const core::Trace> eq_out_trace;
    int64_t eq_out_cursor = -2, eq_out_f = -1;
    GridRenderer::Grid eq_output;
  };

  std::string dir;
  GridRenderer grids;
  CanvasText text;
  GlFramebuffer fbo;
  GlTexture colour;
  int w = 0, h = 0;
  CanvasLayout layout;
  std::vector<PaneCache> caches;
  std::vector<float> texels;

  explicit Impl(const std::string& d) : dir(d), grids(d + "/shaders"), text(d) {}

  void ensure_target(int width, int height);
  void draw_pane(ImDrawList* dl, const model::Pane& p, PaneCache& cache, const CanvasOptions& o, int index,
                 const CanvasLayout::PaneRect& r);
  const core::Tensor& partial_output(const model::Pane& p, PaneCache& c);
};

void CanvasRenderer::Impl::ensure_target(int width, int height) {
  if (width == w && height == h && fbo) return;
  colour = make_texture();
  glBindTexture(GL_TEXTURE_2D, colour.get());
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
  glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
  glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
  if (!fbo) fbo = make_framebuffer();
  glBindFramebuffer(GL_FRAMEBUFFER, fbo.get());
  glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, colour.get(), 0);
  if (glCheckFramebufferStatus(GL_FRAMEBUFFER) != GL_FRAMEBUFFER_COMPLETE)
    throw std::runtime_error("the canvas framebuffer is incomplete");
  w = width;
  h = height;
}

const core::Tensor& CanvasRenderer::Impl::partial_output(const model::Pane& p, PaneCache& c) {
  if (!c.partial || c.out_trace != p.trace_ptr() || c.out_cursor != p.cursor()) {
    c.partial = std::make_shared<const core::Tensor>(p.trace().partial_output(p.cursor()));
  }
  return *c.partial;
}

CanvasRenderer::CanvasRenderer(const std::string& resource_dir) {
  const std::string dir = resource_dir.empty() ? render::find_resource_dir() : resource_dir;
  if (dir.empty())
    throw std::runtime_error("cannot find shaders/ and assets/ next to the program (set CONVSCOPE_RESOURCE_DIR)");
  impl_ = std::make_unique<Impl>(dir);
}

CanvasRenderer::~CanvasRenderer() = default;

unsigned CanvasRenderer::texture() const { return impl_->colour.get(); }
unsigned CanvasRenderer::framebuffer() const { return impl_->fbo.get(); }
Size CanvasRenderer::size() const { return {impl_->w, impl_->h}; }
const CanvasLayout& CanvasRenderer::layout() const { return impl_->layout; }
const std::string& CanvasRenderer::resource_dir() const { return impl_->dir; }

std::vector<uint8_t> CanvasRenderer::read_rgba() const {
  std::vector<uint8_t> out;
  read_rgba(out);
  return out;
}

void CanvasRenderer::read_rgba(std::vector<uint8_t>& out) const {
  const int w = impl_->w, h = impl_->h;
  out.resize(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  if (!impl_->fbo || w == 0 || h == 0) return;
  GLint prev = 0;
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev);
  glBindFramebuffer(GL_FRAMEBUFFER, impl_->fbo.get());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev));
  // GL rows are bottom-up.
  const size_t row = static_cast<size_t>(w) * 4;
  std::vector<uint8_t> tmp(row);
  for (int y = 0; y < h / 2; ++y) {
    uint8_t* a = out.data() + static_cast<size_t>(y) * row;
    uint8_t* b = out.data() + static_cast<size_t>(h - 1 - y) * row;
    std::copy(a, a + row, tmp.data());
    std::copy(b, b + row, a);
    std::copy(tmp.data(), tmp.data() + row, b);
  }
}

std::optional<CanvasHit> CanvasRenderer::hit_test(float x, float y) const {
  for (const GridRect& g : impl_->layout.grids) {
    if (x < g.x || y < g.y || x >= g.x + g.w || y >= g.y + g.h) continue;
    CanvasHit hit;
    hit.pane = g.pane;
    hit.grid = g.kind;
    hit.x = g.col0 + std::min<int64_t>(static_cast<int64_t>((x - g.x) / g.cell), g.cols - 1);
    hit.y = g.row0 + std::min<int64_t>(static_cast<int64_t>((y - g.y) / g.cell), g.rows - 1);
    hit.inside = hit.y >= 0 && hit.x >= 0 && hit.y < g.tensor_h && hit.x < g.tensor_w;
    return hit;
  }
  return std::nullopt;
}

namespace {

// Panes side by side; more than three wrap onto a second row.
std::vector<CanvasLayout::PaneRect> pane_rects(size_t n, float w, float h) {
  std::vector<CanvasLayout::PaneRect> r;
  if (n == 0) return r;
  const size_t cols = n <= 3 ? n : (n + 1) / 2;
  const size_t rows = (n + cols - 1) / cols;
  const float pw = std::floor(w / static_cast<float>(cols)), ph = std::floor(h / static_cast<float>(rows));
  for (size_t i = 0; i < n; ++i)
    r.push_back({static_cast<float>(i % cols) * pw, static_cast<float>(i / cols) * ph, pw, ph});
  return r;
}

}  // namespace

Size CanvasRenderer::preferred_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) const {
  const Metrics m = metrics_for(opt);
  const float s = m.s;
  // Each pane at its natural cell size, grids at most ~420 px wide together.
  float pane_w = 0, pane_h = 0;
  for (const model::Pane* p : panes) {
    const Shape sh = shape_of(*p, opt);
    // The equivalent row goes below the scatter row: it widens the pane to the
    // wider row and adds its heading, labels and grids to the height.
    const float cols = static_cast<float>(std::max(sh.cols1(), sh.cols2()));
    const float rows = static_cast<float>(sh.rows1() + sh.rows2());
    float cell = std::min({kMaxCell * s, 520 * s / cols, (sh.eq ? 600 : 420) * s / rows});
    cell = std::max(cell, 2.0f * s);
    const float grids_w = 2 * m.margin + 3 * m.gutter + 2 * m.op_gap + cols * cell + 24 * s;
    // The equivalent row's caption is one line of up to ~100 characters.
    const float w = std::max(grids_w, (sh.eq ? 640 : 470) * s);
    const float eq_h = sh.eq ? m.eq_gap + m.eq_header + m.label : 0;
    const float h = m.header + m.label + rows * cell + eq_h + m.text_block + m.bottom + 8 * s;
    pane_w = std::max(pane_w, w);
    pane_h = std::max(pane_h, h);
  }
  const size_t n = std::max<size_t>(panes.size(), 1);
  const size_t cols = n <= 3 ? n : (n + 1) / 2;
  const size_t rows = (n + cols - 1) / cols;
  Size sz;
  sz.w = static_cast<int>(std::ceil(pane_w * static_cast<float>(cols)));
  sz.h = static_cast<int>(std::ceil(pane_h * static_cast<float>(rows)));
  sz.w = std::clamp(sz.w, 64, static_cast<int>(4096 * s));
  sz.h = std::clamp(sz.h, 64, static_cast<int>(4096 * s));
  // Even sizes (video encoders like them; GIF does not care).
  sz.w += sz.w & 1;
  sz.h += sz.h & 1;
  return sz;
}

void CanvasRenderer::render(const model::AppState& state, float content_scale, int w, int h) {
  std::vector<const model::Pane*> panes;
  for (const model::Pane& p : state.panes) panes.push_back(&p);
  render(panes, CanvasOptions::from_view(state.view, content_scale), w, h);
}

void CanvasRenderer::render(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w, int h) {
  Impl& im = *impl_;
  w = std::max(w, 1);
  h = std::max(h, 1);
  GLint prev_fbo = 0, prev_viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
  glGetIntegerv(GL_VIEWPORT, prev_viewport);
  const GLboolean prev_scissor = glIsEnabled(GL_SCISSOR_TEST), prev_blend = glIsEnabled(GL_BLEND);

  im.text.set_scale(opt.content_scale);
  im.ensure_target(w, h);
  glBindFramebuffer(GL_FRAMEBUFFER, im.fbo.get());
  glViewport(0, 0, w, h);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(kBackground);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  glClear(GL_COLOR_BUFFER_BIT);

  im.layout = CanvasLayout{};
  im.layout.width = w;
  im.layout.height = h;
  im.layout.panes = pane_rects(panes.size(), static_cast<float>(w), static_cast<float>(h));
  if (im.caches.size() < panes.size()) im.caches.resize(panes.size());

  ImDrawList* dl = im.text.begin(w, h);
  for (size_t i = 0; i < panes.size(); ++i)
    im.draw_pane(dl, *panes[i], im.caches[i], opt, static_cast<int>(i), im.layout.panes[i]);
  // The grids are GL quads under the ImGui overlay: draw them first.
  glDisable(GL_BLEND);
  glViewport(0, 0, w, h);
  im.text.end();

  // Alpha stays 1 everywhere: the background is cleared opaque, the grids write
  // alpha 1 and ImGui's OpenGL3 backend (since 1.81) blends alpha as
  // src + dst·(1 − src), which keeps 1.

  // Submit now: llvmpipe then rasterises the canvas while the caller builds the
  // rest of its frame (measured: 21 → 12 ms a window frame under Xvfb).
  glFlush();
  glBindFramebuffer(GL_FRAMEBUFFER, static_cast<GLuint>(prev_fbo));
  glViewport(prev_viewport[0], prev_viewport[1], prev_viewport[2], prev_viewport[3]);
  if (prev_scissor) glEnable(GL_SCISSOR_TEST);
  if (prev_blend) glEnable(GL_BLEND);
}

void CanvasRenderer::Impl::draw_pane(ImDrawList* dl, const model::Pane& p, PaneCache& cache, const CanvasOptions& o,
                                     int index, const CanvasLayout::PaneRect& r) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const core::Trace& trace = p.trace();
  const Shape sh = shape_of(p, o);
  const Metrics m = metrics_for(o);
  const float sc = m.s;
  const int64_t cursor = p.cursor();
  core::Step current;
  if (cursor >= 0) current = trace.step(cursor);
  const core::Step* step = cursor >= 0 ? &current : nullptr;  // none before the first step
  const int64_t C = s.input.c, F = g.out_channels;
  const int64_t ch = p.shown_channel(), f = p.shown_filter();
  const ImVec2 clip_min(r.x, r.y), clip_max(r.x + r.w, r.y + r.h);
  dl->PushClipRect(clip_min, clip_max, false);

  // Separator between panes.
  if (r.x > 0) dl->AddLine(ImVec2(r.x + 0.5f, r.y + 8 * sc), ImVec2(r.x + 0.5f, r.y + r.h - 8 * sc), kSeparator, 1.0f * sc);

  const float x0 = r.x + m.margin, inner_w = r.w - 2 * m.margin;

  // ---- title ----
  float y = r.y + 10 * sc;
  if (o.title) {
    const std::string title = std::string(core::op_title(g.op)) + "  " + dims(s.input.h, s.input.w, C, C > 1) + " → " +
                              dims(g.out_h(), g.out_w(), F, F > 1);
    const std::string count = "step " + std::to_string(cursor + 1) + " / " + std::to_string(trace.count());
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
  y = r.y + m.header;

  // ---- grid geometry ----
  const Cells cells = fit_cells(sh, m, r.w, r.h);
  const float cell = cells.cell, kcell = cells.kcell;
  const float in_w = cell * static_cast<float>(sh.in_cols), in_h = cell * static_cast<float>(sh.in_rows);
  const float k_w = kcell * static_cast<float>(sh.k_cols), k_h = kcell * static_cast<float>(sh.k_rows);
  const float out_w = cell * static_cast<float>(sh.out_cols), out_h = cell * static_cast<float>(sh.out_rows);
  const float content_w = 3 * m.gutter + 2 * m.op_gap + in_w + k_w + out_w;
  // The equivalent row (transpose with the option on): below the scatter row, or beside it.
  const float eq_in_w = cell * static_cast<float>(sh.eq_cols), eq_in_h = cell * static_cast<float>(sh.eq_rows);
  const float eq_out_w = cell * static_cast<float>(sh.eq_out_cols), eq_out_h = cell * static_cast<float>(sh.eq_out_rows);
  const float eq_content_w = sh.eq ? 3 * m.gutter + 2 * m.op_gap + eq_in_w + k_w + eq_out_w : 0;
  const bool beside = sh.eq && cells.beside;
  const float bias_h = s.bias ? 10 * sc : 0;
  float rows_h = std::max({in_h, k_h, out_h});
  float eq_rows_h = sh.eq ? std::max({eq_in_h, k_h, eq_out_h}) : 0;
  if (beside) rows_h = eq_rows_h = std::max(rows_h, eq_rows_h);
  // Grids and text sit together, centred in the room below the title.
  float content_h = m.label + rows_h + bias_h;
  if (sh.eq) content_h = beside ? m.eq_header_beside + content_h : content_h + m.eq_gap + m.eq_header + m.label + eq_rows_h;
  const float spare = std::max(0.0f, r.h - m.header - m.text_block - m.bottom - content_h);
  const float top = y + spare / 2;
  const float grid_y = std::round(top + (beside ? m.eq_header_beside : 0) + m.label);
  const float eq_top = std::round(beside ? top : grid_y + rows_h + bias_h + m.eq_gap);
  const float eq_grid_y = std::round(beside ? grid_y : eq_top + m.eq_header + m.label);
  float gx, eq_x0;
  if (beside) {
    gx = std::round(x0 + std::max(0.0f, (inner_w - content_w - m.eq_side_gap - eq_content_w) / 2));
    eq_x0 = gx + content_w + m.eq_side_gap;
  } else {
    gx = std::round(x0 + std::max(0.0f, (inner_w - content_w) / 2));
    eq_x0 = std::round(x0 + std::max(0.0f, (inner_w - eq_content_w) / 2));
  }
  float row_y = grid_y, row_h = rows_h;  // the row `place` puts grids in
  auto place = [&](GridKind kind, float width, float height, float c, int64_t rows, int64_t cols, int64_t row0,
                   int64_t col0, int64_t th, int64_t tw) {
    GridRect gr;
    gr.pane = index;
    gr.kind = kind;
    gr.x = std::round(gx + m.gutter);
    gr.y = std::round(row_y + (row_h - height) / 2);
    gr.w = width;
    gr.h = height;
    gr.cell = c;
    gr.rows = rows;
    gr.cols = cols;
    gr.row0 = row0;
    gr.col0 = col0;
    gr.tensor_h = th;
    gr.tensor_w = tw;
    gx = gr.x + width + m.op_gap;
    layout.grids.push_back(gr);
    return gr;
  };
  const GridRect gin = place(GridKind::input, in_w, in_h, cell, sh.in_rows, sh.in_cols, sh.in_row0, sh.in_col0, s.input.h, s.input.w);
  const GridRect gk = place(GridKind::kernel, k_w, k_h, kcell, sh.k_rows, sh.k_cols, 0, 0, s.kernel.kh, s.kernel.kw);
  const GridRect gout =
      place(GridKind::output, out_w, out_h, cell, sh.out_rows, sh.out_cols, sh.out_row0, sh.out_col0, g.out_h(), g.out_w());
  // The equivalent Conv2D's grids, in the coordinates of the zero-inserted input.
  const model::EquivalentView* eq = nullptr;
  if (sh.eq) {
    if (!cache.eq || cache.eq->source() != p.scenario_ptr()) {
      try {
        cache.eq = std::make_shared<const model::EquivalentView>(p.scenario_ptr());
      } catch (const core::Error&) {
        cache.eq.reset();
      }
    }
    if (cache.eq && cache.eq->rows() == sh.eq_rows && cache.eq->cols() == sh.eq_cols) eq = cache.eq.get();
  }
  GridRect gein, gek, geout;
  if (eq) {
    row_y = eq_grid_y;
    row_h = eq_rows_h;
    gx = eq_x0;
    gein = place(GridKind::equivalent_input, eq_in_w, eq_in_h, cell, sh.eq_rows, sh.eq_cols, -eq->pad_before(0),
                 -eq->pad_before(1), eq->inserted_length(0), eq->inserted_length(1));
    gek = place(GridKind::equivalent_kernel, k_w, k_h, kcell, sh.k_rows, sh.k_cols, 0, 0, s.kernel.kh, s.kernel.kw);
    geout = place(GridKind::equivalent_output, eq_out_w, eq_out_h, cell, sh.eq_out_rows, sh.eq_out_cols, 0, 0, g.out_h(),
                  g.out_w());
  }

  // ---- colour ranges (per grid, stable over the whole trace) ----
  if (cache.range_trace != p.trace_ptr()) {
    cache.range_trace = p.trace_ptr();
    cache.in_max = max_abs(s.input.values);
    cache.k_max = max_abs(s.kernel.values);
    std::vector<double> outv = trace.final_output().values;
    if (s.bias) outv.insert(outv.end(), s.bias->begin(), s.bias->end());
    cache.out_max = max_abs(outv);
  }

  // ---- textures ----
  if (cache.in_scenario != p.scenario_ptr() || cache.in_channel != ch) {
    upload_cells(grids, cache.input, sh.in_rows, sh.in_cols, texels, [&](int64_t ry, int64_t rx) {
      const int64_t ty = ry + sh.in_row0, tx = rx + sh.in_col0;
      return s.input.contains(ty, tx) ? value_texel(s.input.at(ty, tx, ch)) : mark_texel(CellKind::padding);
    });
    cache.in_scenario = p.scenario_ptr();
    cache.in_channel = ch;
  }
  if (cache.k_scenario != p.scenario_ptr() || cache.k_c != ch || cache.k_f != f) {
    upload_cells(grids, cache.kernel, sh.k_rows, sh.k_cols, texels,
                 [&](int64_t ky, int64_t kx) { return value_texel(s.kernel.at(ky, kx, ch, f)); });
    cache.k_scenario = p.scenario_ptr();
    cache.k_c = ch;
    cache.k_f = f;
  }
  const int64_t unit = p.current_unit();
  const int64_t OW = g.out_w();
  auto conv_cell_done = [&](int64_t oy, int64_t ox) {  // conv: the cell's unit has started (done or partial)
    const int64_t u = (oy * OW + ox) * F + f;
    return u <= unit;
  };
  const core::Tensor& partial = partial_output(p, cache);
  if (cache.out_trace != p.trace_ptr() || cache.out_cursor != cursor || cache.out_f != f) {
    upload_cells(grids, cache.output, sh.out_rows, sh.out_cols, texels, [&](int64_t ry, int64_t rx) {
      const int64_t ty = ry + sh.out_row0, tx = rx + sh.out_col0;
      if (!partial.contains(ty, tx)) return mark_texel(CellKind::margin);
      if (sh.conv && !conv_cell_done(ty, tx)) return mark_texel(CellKind::blank);
      return value_texel(partial.at(ty, tx, f));
    });
    cache.out_trace = p.trace_ptr();
    cache.out_cursor = cursor;
    cache.out_f = f;
  }
  if (eq) {
    // The padded grid: real input cells in their colours, inserted zeros dotted, padding hatched.
    if (cache.eq_in_view != cache.eq || cache.eq_in_channel != ch) {
      const core::Tensor& vin = eq->conv().input;
      upload_cells(grids, cache.eq_input, sh.eq_rows, sh.eq_cols, texels, [&](int64_t py, int64_t px) {
        const model::PaddedCell c = eq->cell(py, px);
        if (c == model::PaddedCell::input) return value_texel(vin.at(py, px, ch));
        return mark_texel(c == model::PaddedCell::inserted_zero ? CellKind::inserted_zero : CellKind::padding);
      });
      cache.eq_in_view = cache.eq;
      cache.eq_in_channel = ch;
    }
    if (cache.eq_k_view != cache.eq || cache.eq_k_c != ch || cache.eq_k_f != f) {
      upload_cells(grids, cache.eq_kernel, sh.k_rows, sh.k_cols, texels,
                   [&](int64_t ky, int64_t kx) { return value_texel(eq->conv().kernel.at(ky, kx, ch, f)); });
      cache.eq_k_view = cache.eq;
      cache.eq_k_c = ch;
      cache.eq_k_f = f;
    }
    // The same output as the scatter row, without its crop margins.
    if (cache.eq_out_trace != p.trace_ptr() || cache.eq_out_cursor != cursor || cache.eq_out_f != f) {
      upload_cells(grids, cache.eq_output, sh.eq_out_rows, sh.eq_out_cols, texels,
                   [&](int64_t ty, int64_t tx) { return value_texel(partial.at(ty, tx, f)); });
      cache.eq_out_trace = p.trace_ptr();
      cache.eq_out_cursor = cursor;
      cache.eq_out_f = f;
    }
  }
  const int vw = layout.width, vh = layout.height;
  grids.draw(cache.input, gin.x, gin.y, gin.w, gin.h, 1.0f / cache.in_max, sc, vw, vh);
  grids.draw(cache.kernel, gk.x, gk.y, gk.w, gk.h, 1.0f / cache.k_max, sc, vw, vh);
  grids.draw(cache.output, gout.x, gout.y, gout.w, gout.h, 1.0f / cache.out_max, sc, vw, vh);
  if (eq) {
    grids.draw(cache.eq_input, gein.x, gein.y, gein.w, gein.h, 1.0f / cache.in_max, sc, vw, vh);
    grids.draw(cache.eq_kernel, gek.x, gek.y, gek.w, gek.h, 1.0f / cache.k_max, sc, vw, vh);
    grids.draw(cache.eq_output, geout.x, geout.y, geout.w, geout.h, 1.0f / cache.out_max, sc, vw, vh);
  }

  // ---- helpers in tensor coordinates ----
  auto cell_min = [](const GridRect& gr, int64_t ty, int64_t tx) {
    return ImVec2(gr.x + static_cast<float>(tx - gr.col0) * gr.cell, gr.y + static_cast<float>(ty - gr.row0) * gr.cell);
  };
  auto cell_max = [&](const GridRect& gr, int64_t ty, int64_t tx) {
    const ImVec2 a = cell_min(gr, ty, tx);
    return ImVec2(a.x + gr.cell, a.y + gr.cell);
  };
  auto outline = [&](const GridRect& gr, int64_t y0, int64_t x0c, int64_t y1, int64_t x1, ImU32 col, float thick) {
    const ImVec2 a = cell_min(gr, y0, x0c), b = cell_max(gr, y1, x1);
    const float inset = thick / 2;
    dl->AddRect(ImVec2(a.x + inset, a.y + inset), ImVec2(b.x - inset, b.y - inset), col, 0, 0, thick);
  };
  // The current tap/cell: a black ring around a yellow one (visible on every colour of the map).
  auto highlight = [&](const GridRect& gr, int64_t ty, int64_t tx) {
    const float t = std::max(1.5f * sc, std::min(3.0f * sc, gr.cell / 6));
    const ImVec2 a = cell_min(gr, ty, tx), b = cell_max(gr, ty, tx);
    dl->AddRect(a, b, kWindow, 0, 0, t * 2);
    dl->AddRect(ImVec2(a.x + t, a.y + t), ImVec2(b.x - t, b.y - t), kHighlight, 0, 0, t);
  };

  // ---- values in cells ----
  auto draw_value = [&](const GridRect& gr, int64_t ty, int64_t tx, double v, float inv_range, ImU32 forced = 0) {
    const float c = gr.cell;
    if (!o.values || c < 16 * sc) return;
    ImFont* fonts[3] = {text.cell, text.body, text.small};
    std::string label = num(v);
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
  };
  if (o.values && cell >= 16 * sc) {
    for (int64_t ty = 0; ty < s.input.h; ++ty)
      for (int64_t tx = 0; tx < s.input.w; ++tx) draw_value(gin, ty, tx, s.input.at(ty, tx, ch), 1.0f / cache.in_max);
    for (int64_t ty = 0; ty < g.out_h(); ++ty)
      for (int64_t tx = 0; tx < g.out_w(); ++tx)
        if (!sh.conv || conv_cell_done(ty, tx)) draw_value(gout, ty, tx, partial.at(ty, tx, f), 1.0f / cache.out_max);
  }
  if (o.values)
    for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
      for (int64_t kx = 0; kx < s.kernel.kw; ++kx) draw_value(gk, ky, kx, s.kernel.at(ky, kx, ch, f), 1.0f / cache.k_max);
  if (eq && o.values) {
    if (cell >= 16 * sc) {
      // Real input cells only: the dots say "inserted zero", the hatch "padding".
      for (int64_t ty = 0; ty < s.input.h; ++ty)
        for (int64_t tx = 0; tx < s.input.w; ++tx) {
          const int64_t zy = ty * g.axes[0].stride, zx = tx * g.axes[1].stride;  // zero-inserted coordinates
          if (eq->cell(zy + eq->pad_before(0), zx + eq->pad_before(1)) != model::PaddedCell::input) continue;  // cropped
          draw_value(gein, zy, zx, s.input.at(ty, tx, ch), 1.0f / cache.in_max);
        }
      for (int64_t ty = 0; ty < g.out_h(); ++ty)
        for (int64_t tx = 0; tx < g.out_w(); ++tx) draw_value(geout, ty, tx, partial.at(ty, tx, f), 1.0f / cache.out_max);
    }
    for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
      for (int64_t kx = 0; kx < s.kernel.kw; ++kx)
        draw_value(gek, ky, kx, eq->conv().kernel.at(ky, kx, ch, f), 1.0f / cache.k_max);
  }

  // ---- frames, labels, indices ----
  auto frame = [&](const GridRect& gr) {
    // The real tensor's frame (padding and crop margins lie outside it), where it is drawn.
    const int64_t fy0 = std::max<int64_t>(0, gr.row0), fx0 = std::max<int64_t>(0, gr.col0);
    const int64_t fy1 = std::min(gr.tensor_h, gr.row0 + gr.rows) - 1, fx1 = std::min(gr.tensor_w, gr.col0 + gr.cols) - 1;
    if (fy1 < fy0 || fx1 < fx0) return;
    const ImVec2 a = cell_min(gr, fy0, fx0), b = cell_max(gr, fy1, fx1);
    dl->AddRect(ImVec2(a.x - 0.5f * sc, a.y - 0.5f * sc), ImVec2(b.x + 0.5f * sc, b.y + 0.5f * sc), kFrame, 0, 0,
                1.5f * sc);
  };
  frame(gin);
  frame(gk);
  frame(gout);
  auto label = [&](const GridRect& gr, const std::string& name, const std::string& detail) {
    const float lx = gr.x - m.gutter + 4 * sc;
    const float max_w = gr.w + m.gutter + m.op_gap - 8 * sc;
    const float ly = gr.y - m.label;
    ImFont* name_font = text.measure(text.body, name).x <= max_w ? text.body : text.small;
    dl->AddText(name_font, name_font->FontSize, ImVec2(lx, std::round(ly)), kText, fit(text, name_font, name, max_w).c_str());
    dl->AddText(text.small, text.small->FontSize, ImVec2(lx, std::round(ly + 17 * sc)), kMuted,
                fit(text, text.small, detail, max_w).c_str());
  };
  label(gin, "input", dims(s.input.h, s.input.w, C, true) + " (H×W×C)" + (C > 1 ? " · c=" + std::to_string(ch) : ""));
  label(gk, "kernel", std::to_string(s.kernel.kh) + "×" + std::to_string(s.kernel.kw) + "×" + std::to_string(C) + "×" +
                          std::to_string(F) + (C > 1 || F > 1 ? " · c=" + std::to_string(ch) + " f=" + std::to_string(f) : ""));
  label(gout, "output", dims(g.out_h(), g.out_w(), F, true) + " (H×W×F)" + (F > 1 ? " · f=" + std::to_string(f) : ""));
  auto indices = [&](const GridRect& gr) {
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
  };
  indices(gin);
  indices(gk);
  indices(gout);
  // Operators between the grids: input ⊛ kernel → output; transpose: each input value × kernel → output.
  auto op_glyph = [&](const GridRect& left, const char* glyph) {
    const ImVec2 ts = text.measure(text.cell, glyph);
    const float cx = left.x + left.w + (m.op_gap + m.gutter) / 2 - ts.x / 2;
    dl->AddText(text.cell, text.cell->FontSize, ImVec2(std::round(cx), std::round(left.y + left.h / 2 - ts.y / 2)), kMuted,
                glyph);
  };
  op_glyph(gin, sh.conv ? "⊛" : "×");
  op_glyph(gk, "→");
  if (s.bias) {
    const std::string b = "bias b[" + std::to_string(f) + "] = " + num((*s.bias)[static_cast<size_t>(f)]);
    dl->AddText(text.small, text.small->FontSize, ImVec2(gk.x - m.gutter + 4 * sc, gk.y + gk.h + 6 * sc), kText,
                fit(text, text.small, b, gk.w + m.gutter + m.op_gap).c_str());
  }

  // ---- the equivalent Conv2D: frames, labels, indices, heading and caption ----
  float eq_step_y = 0;  // where the step line goes, under the caption
  if (eq) {
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
      dl->AddLine(ImVec2(lx, eq_top), ImVec2(lx, eq_grid_y + eq_rows_h), kSeparator, 1.0f * sc);
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
    eq_step_y = cy;
  }

  // ---- the window (conv) or the stamp (transpose), the current tap ----
  const auto &ay = g.axes[0], &ax = g.axes[1];
  if (step && sh.conv) {
    const int64_t oy = step->output.y, ox = step->output.x;
    const int64_t iy0 = oy * ay.stride - ay.pad_before, ix0 = ox * ax.stride - ax.pad_before;
    const float thick = std::max(1.5f * sc, std::min(3.0f * sc, cell / 5));
    outline(gin, iy0, ix0, iy0 + ay.dilated_kernel - 1, ix0 + ax.dilated_kernel - 1, kWindow, thick);
    if (ay.dilation > 1 || ax.dilation > 1)
      for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
        for (int64_t kx = 0; kx < s.kernel.kw; ++kx)
          outline(gin, iy0 + ky * ay.dilation, ix0 + kx * ax.dilation, iy0 + ky * ay.dilation, ix0 + kx * ax.dilation,
                  packed(colors::kDilatedTap), std::max(1.0f, thick / 2));
    if (step->kind == core::StepKind::mac) {
      highlight(gin, step->input->y, step->input->x);
      highlight(gk, (*step->tap)[0], (*step->tap)[1]);
    }
    if (step->output.c == f) highlight(gout, oy, ox);
    else outline(gout, oy, ox, oy, ox, kWindow, thick);
  } else if (step && !sh.conv && step->kind == core::StepKind::scatter) {
    const int64_t iy = step->input->y, ix = step->input->x;
    const int64_t y0 = iy * ay.stride - ay.crop_before, x0s = ix * ax.stride - ax.crop_before;
    const float thick = std::max(1.5f * sc, std::min(3.0f * sc, cell / 5));
    highlight(gin, iy, ix);
    highlight(gk, (*step->tap)[0], (*step->tap)[1]);
    // The stamp's footprint, and the cropped taps faded outside the output frame.
    outline(gout, y0, x0s, y0 + ay.dilated_kernel - 1, x0s + ax.dilated_kernel - 1, kWindow, thick);
    const int64_t done_taps = cursor - trace.first_step_of_unit(trace.unit_of_step(cursor));  // index within the stamp
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
        dl->AddRectFilled(a, b, map_colour(static_cast<float>(v) / cache.out_max, colors::kCroppedTapAlpha));
        dl->AddRect(a, b, packed(colors::kCroppedTapFrame), 0, 0, 1.0f * sc);
        draw_value(gout, ty, tx, v, 1.0f / cache.out_max, packed(colors::kCroppedTapText));
      }
    if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
  } else if (step && !sh.conv) {  // a bias step
    if (step->output.c == f) highlight(gout, step->output.y, step->output.x);
  }

  // ---- the equivalent Conv2D's step: the window and tap that multiply the same a·w ----
  if (eq) {
    std::string line;
    const std::optional<core::Step> mac =
        step && step->kind == core::StepKind::scatter ? eq->mac_of_scatter(trace, *step) : std::nullopt;
    if (mac) {
      const int64_t offy = eq->pad_before(0), offx = eq->pad_before(1);
      // Stride 1, no padding: the window of output cell (oy, ox) starts at (oy, ox) of the padded grid.
      const int64_t wy = mac->output.y - offy, wx = mac->output.x - offx;
      const float thick = std::max(1.5f * sc, std::min(3.0f * sc, cell / 5));
      outline(gein, wy, wx, wy + ay.dilated_kernel - 1, wx + ax.dilated_kernel - 1, kWindow, thick);
      if (ay.dilation > 1 || ax.dilation > 1)
        for (int64_t ky = 0; ky < s.kernel.kh; ++ky)
          for (int64_t kx = 0; kx < s.kernel.kw; ++kx)
            outline(gein, wy + ky * ay.dilation, wx + kx * ax.dilation, wy + ky * ay.dilation, wx + kx * ax.dilation,
                    packed(colors::kDilatedTap), std::max(1.0f, thick / 2));
      highlight(gein, mac->input->y - offy, mac->input->x - offx);
      highlight(gek, (*mac->tap)[0], (*mac->tap)[1]);
      if (mac->output.c == f) highlight(geout, mac->output.y, mac->output.x);
      else outline(geout, mac->output.y, mac->output.x, mac->output.y, mac->output.x, kWindow, thick);
      const core::Cell in = *step->input;
      line = "conv step " + std::to_string(mac->index + 1) + " of " + std::to_string(eq->trace()->count()) + ": window of y" +
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
    const float hx = beside ? std::round(eq_x0 + 4 * sc) : x0;
    const float hw = beside ? r.x + r.w - m.margin - hx : inner_w;
    float ly = eq_step_y;
    for (const std::string& l : wrap(text, text.small, line, hw, beside ? 2 : 1)) {
      dl->AddText(text.small, text.small->FontSize, ImVec2(hx, ly), kMuted, l.c_str());
      ly += 16 * sc;
    }
  }

  // ---- text block: arithmetic, formula, legend ----
  const float grids_bottom = eq && !beside ? eq_grid_y + eq_rows_h : grid_y + rows_h + bias_h;
  float ty = std::round(grids_bottom + 16 * sc);
  if (o.arithmetic) {
    std::string line1, line2;
    if (!step) {
      line1 = "Before the first step: press Space to play or → to step.";
      line2 = core::step_count_text(s, g);
    } else if (sh.conv) {
      const core::Cell out = step->output;
      const std::string target = "y" + cell_text(out, F > 1);
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
        line2 = "tap " + index_text((*step->tap)[0], (*step->tap)[1]) + (C > 1 ? " c=" + std::to_string(step->input->c) : "") +
                " reads x" + index_text(step->input->y, step->input->x) + (step->padding ? " (padding: 0)" : "") + " · tap " +
                std::to_string(done) + " of " + std::to_string(taps) + " of this output cell";
      else
        line2 = "bias b[" + std::to_string(out.c) + "] = " + num(step->w) + " added: the cell is done";
    } else if (step->kind == core::StepKind::scatter) {
      const core::Cell in = *step->input;
      const std::string xs = "x" + cell_text(in, C > 1);
      const std::string ws = "w" + index_text((*step->tap)[0], (*step->tap)[1]);
      const std::string ys = "y" + cell_text(step->output, F > 1);
      if (step->cropped)
        line1 = xs + "·" + ws + " = " + factor(*step->a) + "·" + factor(step->w) + " = " + num(step->product) + " lands on " + ys +
                ": cropped, outside the output";
      else
        line1 = ys + " += " + xs + "·" + ws + " = " + factor(*step->a) + "·" + factor(step->w) + " → " + num(step->after.value_or(0));
      line2 = "stamp of " + xs + " = " + num(*step->a) + ": the kernel × " + num(*step->a) + " onto y[" +
              std::to_string(in.y * ay.stride - ay.crop_before) + "…" +
              std::to_string(in.y * ay.stride - ay.crop_before + ay.dilated_kernel - 1) + ", " +
              std::to_string(in.x * ax.stride - ax.crop_before) + "…" +
              std::to_string(in.x * ax.stride - ax.crop_before + ax.dilated_kernel - 1) + "]";
    } else {
      const core::Cell out = step->output;
      line1 = "y" + index_text(out.y, out.x) + " += b[" + std::to_string(out.c) + "] = " + num(step->w) + " → " +
              num(step->after.value_or(0));
      line2 = "bias: added once to every output cell after all stamps";
    }
    dl->AddText(text.body, text.body->FontSize, ImVec2(x0, ty), kText, fit(text, text.body, line1, inner_w).c_str());
    dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty + 19 * sc), kMuted, fit(text, text.small, line2, inner_w).c_str());
    ty += 40 * sc;
  }
  if (o.formula) {
    const core::AxisFormula fy = core::axis_formula(s, g, 0), fx = core::axis_formula(s, g, 1);
    dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty), kMuted, fit(text, text.small, fy.rule, inner_w).c_str());
    const std::string hy = "H: " + fy.numbers + "   " + fy.sides, hx = "W: " + fx.numbers + "   " + fx.sides;
    dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty + 16 * sc), kText, fit(text, text.small, hy, inner_w).c_str());
    dl->AddText(text.small, text.small->FontSize, ImVec2(x0, ty + 32 * sc), kText, fit(text, text.small, hx, inner_w).c_str());
    ty += 50 * sc;
  }
  if (o.legend) {
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
    const std::string maxes = "max |v|: input " + num(cache.in_max) + ", kernel " + num(cache.k_max) + ", output " +
                              num(cache.out_max);
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
  dl->PopClipRect();
}

}  // namespace render
