#include "app/render/canvas_renderer.h"

#include <glad/gl.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "app/model/equivalent_view.h"
#include "app/render/canvas_damage.h"
#include "app/render/canvas_layout.h"
#include "app/render/canvas_pane.h"
#include "app/render/canvas_text.h"
#include "app/render/canvas_volume.h"
#include "app/render/grid_renderer.h"
#include "app/render/resources.h"
#include "app/render/volume_layout.h"
#include "core/errors.h"

namespace render {

namespace {

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

}  // namespace

CanvasOptions CanvasOptions::from_view(const model::ViewOptions& v, float content_scale) {
  CanvasOptions o;
  o.values = v.values;
  o.arithmetic = v.arithmetic;
  // The window shows the formula in its Formula panel, wrapped to the panel: the
  // canvas keeps its room for the grids (exports, which have no panels, draw it).
  o.formula = false;
  o.legend = v.legend;
  o.equivalent = v.equivalent;
  o.kernel_own_scale = v.kernel_scale;
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
    std::shared_ptr<const core::Tensor> partial;  // output after the cursor (empty while not ready)
    bool partial_ready = false, range_ready = false;  // whether the model had the output (Pane::result_state)
    std::shared_ptr<const core::Trace> range_trace;
    bool range_kernel_own = false;
    ColourRanges ranges;
    WidestValues widest;
    // The equivalent Conv2D (transpose with CanvasOptions::equivalent).
    std::shared_ptr<const model::EquivalentView> eq;  // rebuilt when the scenario changes
    std::shared_ptr<const model::EquivalentView> eq_in_view, eq_k_view;
    int64_t eq_in_channel = -1, eq_k_c = -1, eq_k_f = -1;
    GridRenderer::Grid eq_input, eq_kernel;
    std::shared_ptr<const core::Trace> eq_out_trace;
    int64_t eq_out_cursor = -2, eq_out_f = -1;
    GridRenderer::Grid eq_output;
    // The overlap map (Pane::overlap_map) of the channel and filter on view.
    std::shared_ptr<const core::Scenario> cov_scenario;
    int64_t cov_c = -1, cov_f = -1;
    std::optional<core::Coverage> coverage;  // none past the view limits
    VolumeCache volume;  // the volume view's slices (canvas_volume.h)
  };

  std::string dir;
  GridRenderer grids;
  CanvasText text;
  GlFramebuffer fbo;
  GlTexture colour;
  int w = 0, h = 0;
  CanvasLayout layout;
  std::string rects_key;  // what the pane arrangement below was computed for
  std::vector<CanvasLayout::PaneRect> rects;
  std::vector<PaneCache> caches;
  std::vector<float> texels;
  // The grids of a frame, drawn after its overlays are built (so that a
  // changed-region frame knows its regions before it draws anything).
  struct GridDraw {
    const GridRenderer::Grid* grid;
    float x, y, w, h, inv_range, scale;
    PixelRect band;  // the pixels the grid's band lets through
  };
  std::vector<GridDraw> grid_draws;
  std::vector<GridDrawSig> grid_sigs;
  DamageTracker damage;
  std::vector<PixelRect> changes;  // what the last frame redrew
  uint64_t frames = 0;

  explicit Impl(const std::string& d) : dir(d), grids(d + "/shaders") {}
  Impl(const std::string& d, CanvasFonts fonts) : dir(d), grids(d + "/shaders"), text(std::move(fonts)) {}

  // True when the framebuffer was (re)made: its old pixels are gone.
  bool ensure_target(int width, int height);
  void render(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w, int h, bool changed_only);
  // Clear, grids, overlays: all of the frame, or only inside `clip`.
  void paint(const PixelRect* clip);
  void draw_pane(ImDrawList* dl, const model::Pane& p, PaneCache& cache, const CanvasOptions& o, int index,
                 const CanvasLayout::PaneRect& r);
  // draw_pane's steps that own GL objects or the caches.
  const model::EquivalentView* equivalent_view(const model::Pane& p, PaneCache& c, const Shape& sh);
  void update_colour_ranges(const model::Pane& p, PaneCache& c, bool kernel_own);
  // The output after the cursor; null when the full result is not available
  // (past the work limit), with the reason in `note`.
  const core::Tensor* partial_output(const model::Pane& p, PaneCache& c, std::string& note);
  const core::Coverage* coverage(const model::Pane& p, PaneCache& c);
  void upload_grids(const PanePainter& d, PaneCache& c);
  void draw_grids(const PanePainter& d, const PaneCache& c);
  // A pane in its volume view or with all channels side by side (canvas_volume.h).
  void draw_volume_pane(ImDrawList* dl, const model::Pane& p, PaneCache& cache, const CanvasOptions& o, int index,
                        const CanvasLayout::PaneRect& r);
};

bool CanvasRenderer::Impl::ensure_target(int width, int height) {
  if (width == w && height == h && fbo) return false;
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
  return true;
}

// Through the model, which never blocks on a background compute nor throws past
// the work limit: while the output is not ready this is null and `note` holds
// the model's message (computing…, or the work limit), drawn over the output grid.
const core::Tensor* CanvasRenderer::Impl::partial_output(const model::Pane& p, PaneCache& c, std::string& note) {
  const bool ready = p.result_state() == model::ResultState::ready;
  if (ready != c.partial_ready) c.out_cursor = c.eq_out_cursor = -2;  // the output textures show the change
  c.partial_ready = ready;
  if (!ready) {
    note = p.result_message();
    c.partial.reset();
    return nullptr;
  }
  if (!c.partial || c.out_trace != p.trace_ptr() || c.out_cursor != p.cursor()) {
    std::optional<core::Tensor> out = p.partial_output();
    if (!out) {
      note = p.result_message();
      c.partial.reset();
      return nullptr;
    }
    c.partial = std::make_shared<const core::Tensor>(std::move(*out));
  }
  return c.partial.get();
}

CanvasRenderer::CanvasRenderer(const std::string& resource_dir) {
  const std::string dir = resource_dir.empty() ? render::find_resource_dir() : resource_dir;
  if (dir.empty())
    throw core::Error(core::ErrorCode::resources_missing, render::missing_resources_message());
  impl_ = std::make_unique<Impl>(dir);
}

CanvasRenderer::CanvasRenderer(const std::string& resource_dir, CanvasFonts fonts) {
  if (resource_dir.empty())
    throw core::Error(core::ErrorCode::resources_missing, render::missing_resources_message());
  impl_ = std::make_unique<Impl>(resource_dir, std::move(fonts));
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
    if (x < g.clip_x || y < g.clip_y || x >= g.clip_x + g.clip_w || y >= g.clip_y + g.clip_h) continue;
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

Size CanvasRenderer::preferred_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) const {
  impl_->text.set_scale(opt.content_scale);  // measures with the fonts of that scale
  impl_->text.set_small_as_body(opt.slide_text);
  for (const model::Pane* p : panes)
    if (shows_volume(*p, opt))
      return volume_canvas_size(panes, opt, impl_->text, volume_breakdown_height(impl_->text, metrics_for(opt, impl_->text)));
  return natural_size(panes, opt, impl_->text);
}

int64_t CanvasRenderer::grid_cells(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) const {
  return grid_cell_count(panes, opt);
}

void CanvasRenderer::render(const model::AppState& state, float content_scale, int w, int h) {
  std::vector<const model::Pane*> panes;
  for (const model::Pane& p : state.panes) panes.push_back(&p);
  CanvasOptions o = CanvasOptions::from_view(state.view, content_scale);
  o.hover = state.hover.links;
  render(panes, o, w, h);
}

void CanvasRenderer::render(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w, int h) {
  impl_->render(panes, opt, w, h, false);
}

void CanvasRenderer::render_changes(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w,
                                    int h) {
  impl_->render(panes, opt, w, h, true);
}

const std::vector<PixelRect>& CanvasRenderer::changed_regions() const { return impl_->changes; }
uint64_t CanvasRenderer::frames_drawn() const { return impl_->frames; }
int CanvasRenderer::font_rebakes() const { return impl_->text.rebakes(); }
void CanvasRenderer::redraw_all_next() { impl_->damage.invalidate(); }

void CanvasRenderer::Impl::paint(const PixelRect* clip) {
  const PixelRect area = clip ? *clip : PixelRect{0, 0, w, h};
  auto scissor = [this](const PixelRect& r) { glScissor(r.x0, h - r.y1, r.x1 - r.x0, r.y1 - r.y0); };
  glEnable(GL_SCISSOR_TEST);
  scissor(area);
  glClear(GL_COLOR_BUFFER_BIT);
  glDisable(GL_BLEND);
  // Zoomed grids reach past their band: the scissor clips them to it, as ImGui clips the overlays.
  for (const GridDraw& d : grid_draws) {
    const PixelRect r = intersected(d.band, area);
    if (r.empty()) continue;
    scissor(r);
    grids.draw(*d.grid, d.x, d.y, d.w, d.h, d.inv_range, d.scale, w, h);
  }
  glDisable(GL_SCISSOR_TEST);
  glViewport(0, 0, w, h);
  text.draw(clip);
}

void CanvasRenderer::Impl::render(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w,
                                  int h, bool changed_only) {
  Impl& im = *this;
  w = std::max(w, 1);
  h = std::max(h, 1);
  GLint prev_fbo = 0, prev_viewport[4] = {0, 0, 0, 0};
  glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prev_fbo);
  glGetIntegerv(GL_VIEWPORT, prev_viewport);
  const GLboolean prev_scissor = glIsEnabled(GL_SCISSOR_TEST), prev_blend = glIsEnabled(GL_BLEND);

  // New fonts or a new framebuffer: nothing of the last frame can be kept.
  if (im.text.scale() != opt.content_scale) im.damage.invalidate();
  im.text.set_scale(opt.content_scale);
  im.text.set_small_as_body(opt.slide_text);
  if (im.ensure_target(w, h)) im.damage.invalidate();
  glBindFramebuffer(GL_FRAMEBUFFER, im.fbo.get());
  glViewport(0, 0, w, h);
  glDisable(GL_SCISSOR_TEST);
  glDisable(GL_BLEND);
  glDisable(GL_DEPTH_TEST);
  glDisable(GL_CULL_FACE);
  const ImVec4 bg = ImGui::ColorConvertU32ToFloat4(kBackground);
  glClearColor(bg.x, bg.y, bg.z, 1.0f);
  im.grid_draws.clear();

  im.layout = CanvasLayout{};
  im.layout.width = w;
  im.layout.height = h;
  // The arrangement of the panes is searched only when what it depends on changes
  // (sizes, options, scenarios, messages): not every frame of a play.
  std::string key = std::to_string(w) + "x" + std::to_string(h) + "/" + std::to_string(opt.content_scale) + "/" +
                    std::to_string(opt.title) + std::to_string(opt.arithmetic) + std::to_string(opt.formula) +
                    std::to_string(opt.legend) + std::to_string(opt.equivalent) + std::to_string(opt.kernel_own_scale) +
                    std::to_string(opt.slide_text);
  for (const model::Pane* p : panes)
    key += "|" + std::to_string(reinterpret_cast<uintptr_t>(p->scenario_ptr().get())) + p->error() +
           (p->overlap_map ? "+overlap" : "");
  if (key != im.rects_key) {
    im.rects = pane_rects(panes, opt, im.text, static_cast<float>(w), static_cast<float>(h));
    im.rects_key = std::move(key);
  }
  im.layout.panes = im.rects;
  if (im.caches.size() < panes.size()) im.caches.resize(panes.size());

  ImDrawList* dl = im.text.begin(w, h);
  for (size_t i = 0; i < panes.size(); ++i)
    im.draw_pane(dl, *panes[i], im.caches[i], opt, static_cast<int>(i), im.layout.panes[i]);
  const ImDrawData* frame = im.text.close();
  ++im.frames;
  im.changes.clear();
  // The volume view draws its slices with GL quads of its own, which the damage
  // tracking does not see: a pane shown as a volume redraws whole frames.
  const bool volume = std::any_of(panes.begin(), panes.end(), [&opt](const model::Pane* p) { return shows_volume(*p, opt); });
  if (changed_only && !volume) {
    im.grid_sigs.clear();
    for (const GridDraw& d : im.grid_draws) {
      const GridRenderer::Grid& g = *d.grid;
      im.grid_sigs.push_back({g.texture.get(), d.x, d.y, d.w, d.h, d.inv_range, d.scale, g.cols, g.rows, d.band,
                              g.version, PixelRect{g.changed_x0, g.changed_y0, g.changed_x1, g.changed_y1}});
    }
    im.changes = im.damage.update(*frame, im.grid_sigs, w, h);
    for (const PixelRect& r : im.changes) im.paint(&r);
  } else {
    // The window's way: everything, and no bookkeeping (a later render_changes() starts afresh).
    im.damage.invalidate();
    im.paint(nullptr);
    im.changes.push_back({0, 0, w, h});
  }
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

// One pane, in the order its pieces stack up: GL grids first (ImGui draws over
// them), then the overlays from back to front.
void CanvasRenderer::Impl::draw_pane(ImDrawList* dl, const model::Pane& p, PaneCache& cache, const CanvasOptions& o,
                                     int index, const CanvasLayout::PaneRect& r) {
  if (shows_volume(p, o)) return draw_volume_pane(dl, p, cache, o, index, r);
  const Shape sh = shape_of(p, o);
  const Metrics m = metrics_for(o, text);
  const model::EquivalentView* eq = sh.eq ? equivalent_view(p, cache, sh) : nullptr;
  Shape drawn = sh;
  drawn.eq = eq != nullptr;  // a view past its limits: the scatter row alone (its caption says why)
  const PaneLayout lay = lay_out_pane(p, drawn, m, text, o, r, index, eq, layout.grids);
  layout.bands.push_back({lay.band_x, lay.band_y, lay.band_w, lay.band_h, 0, 0, 0, 0, lay.base_cell, lay.cell});
  {
    // The content's extent: the grids' union (zoom and pan move it inside the band).
    CanvasLayout::Band& b = layout.bands.back();
    float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
    for (const GridRect& g : layout.grids)
      if (g.pane == index) x0 = std::min(x0, g.x), y0 = std::min(y0, g.y - m.label_h), x1 = std::max(x1, g.x + g.w), y1 = std::max(y1, g.y + g.h);
    b.origin_x = x0, b.origin_y = y0, b.content_w = x1 - x0, b.content_h = y1 - y0;
  }
  update_colour_ranges(p, cache, o.kernel_own_scale);
  std::string note;
  const core::Tensor* partial = partial_output(p, cache, note);
  if (sh.eq && !eq) note = note.empty() ? std::string() : note;  // (the equivalent row's absence is said in its place)
  const PanePainter pane(dl, text, o, p, drawn, m, lay, eq, partial, note, cache.ranges, cache.widest, layout);
  upload_grids(pane, cache);
  draw_grids(pane, cache);

  dl->PushClipRect(ImVec2(r.x, r.y), ImVec2(r.x + r.w, r.y + r.h), false);
  pane.draw_pane_header();
  // The band: grids and what goes with them, clipped to it (zoom and pan move them).
  dl->PushClipRect(ImVec2(lay.band_x, lay.band_y), ImVec2(lay.band_x + lay.band_w, lay.band_y + lay.band_h), true);
  pane.draw_values();
  if (eq) pane.draw_equivalent_values();
  pane.draw_grid_labels();
  if (eq) pane.draw_equivalent_row();
  if (sh.conv) pane.draw_conv_window();
  else pane.draw_transpose_stamp();
  if (eq) pane.draw_equivalent_step();
  const core::Coverage* cov = p.overlap_map ? coverage(p, cache) : nullptr;
  if (cov) pane.draw_overlap_map(*cov);
  if (o.hover && o.hover->target.pane == index && o.hover->target.kind != model::HoverKind::none)
    pane.draw_hover(*o.hover);
  dl->PopClipRect();
  if (o.arithmetic) pane.draw_arithmetic();
  if (o.formula) pane.draw_formula();
  if (o.legend) pane.draw_legend();
  dl->PopClipRect();
}

// Recomputed when the scenario or the channel/filter on view changes; null past the view limits.
const core::Coverage* CanvasRenderer::Impl::coverage(const model::Pane& p, PaneCache& cache) {
  const int64_t c = p.shown_channel(), f = p.shown_filter();
  if (cache.cov_scenario != p.scenario_ptr() || cache.cov_c != c || cache.cov_f != f) {
    cache.cov_scenario = p.scenario_ptr();
    cache.cov_c = c;
    cache.cov_f = f;
    try {
      cache.coverage = core::coverage(p.scenario(), c, f);
    } catch (const core::Error&) {
      cache.coverage.reset();
    }
  }
  return cache.coverage ? &*cache.coverage : nullptr;
}

// The header and text block as the slice view lays them out; the band holds
// the volume instead of the three grids (zoom and pan do not apply to it).
void CanvasRenderer::Impl::draw_volume_pane(ImDrawList* dl, const model::Pane& p, PaneCache& cache,
                                            const CanvasOptions& o, int index, const CanvasLayout::PaneRect& r) {
  CanvasOptions plain = o;
  plain.equivalent = false;
  const Shape sh = shape_of(p, plain);
  const Metrics m = metrics_for(plain, text);
  const PaneLayout lay = lay_out_pane(p, sh, m, text, plain, r, index, nullptr, layout.grids);
  layout.grids.erase(std::remove_if(layout.grids.begin(), layout.grids.end(),
                                    [index](const GridRect& g) { return g.pane == index; }),
                     layout.grids.end());
  update_colour_ranges(p, cache, o.kernel_own_scale);
  std::string note;
  const core::Tensor* partial = partial_output(p, cache, note);
  const PanePainter pane(dl, text, plain, p, sh, m, lay, nullptr, partial, note, cache.ranges, cache.widest, layout);
  dl->PushClipRect(ImVec2(r.x, r.y), ImVec2(r.x + r.w, r.y + r.h), false);
  pane.draw_pane_header();
  const VolumeDraw d{dl, grids, text, plain, p, sh, m, lay, partial, note, cache.ranges, cache.widest, index};
  const std::array<float, 4> box = draw_volume(d, cache.volume, texels, layout);
  layout.bands.push_back({lay.band_x, lay.band_y, lay.band_w, lay.band_h, box[2], box[3], box[0], box[1], lay.base_cell,
                          lay.cell});
  if (o.arithmetic) pane.draw_arithmetic();
  if (o.formula) pane.draw_formula();
  if (o.legend) pane.draw_legend();
  dl->PopClipRect();
}

// Null when the view cannot be built or disagrees with the layout's shape:
// the pane then shows its scatter row alone rather than a wrong picture.
const model::EquivalentView* CanvasRenderer::Impl::equivalent_view(const model::Pane& p, PaneCache& cache,
                                                                   const Shape& sh) {
  if (!cache.eq || cache.eq->source() != p.scenario_ptr()) {
    try {
      cache.eq = std::make_shared<const model::EquivalentView>(p.scenario_ptr());
    } catch (const core::Error&) {
      cache.eq.reset();
    }
  }
  if (cache.eq && cache.eq->rows() == sh.eq_rows && cache.eq->cols() == sh.eq_cols) return cache.eq.get();
  return nullptr;
}

// Over the whole trace, so that a cell keeps its colour while the steps play:
// one scale for the pane (max |value| of input, kernel, output and bias), or
// the kernel on a scale of its own.
void CanvasRenderer::Impl::update_colour_ranges(const model::Pane& p, PaneCache& cache, bool kernel_own) {
  const bool ready = p.result_state() == model::ResultState::ready;
  if (cache.range_trace == p.trace_ptr() && cache.range_kernel_own == kernel_own && cache.range_ready == ready) return;
  const core::Scenario& s = p.scenario();
  cache.range_trace = p.trace_ptr();
  cache.range_kernel_own = kernel_own;
  cache.range_ready = ready;
  const float in_max = max_abs(s.input.values), k_max = max_abs(s.kernel.values);
  float out_max = std::max(in_max, k_max);
  std::shared_ptr<const core::Tensor> final_output;
  if (std::optional<core::Tensor> out = ready ? p.final_output() : std::nullopt) {
    final_output = std::make_shared<const core::Tensor>(std::move(*out));
    std::vector<double> outv = final_output->values;
    if (s.bias) outv.insert(outv.end(), s.bias->begin(), s.bias->end());
    out_max = max_abs(outv);
  }
  ColourRanges& r = cache.ranges;
  r.kernel_own = kernel_own;
  const float pane_max = std::max({in_max, k_max, out_max});
  r.input = r.output = kernel_own ? std::max(in_max, out_max) : pane_max;
  r.kernel = kernel_own ? k_max : pane_max;
  cache.widest = widest_values(s, final_output.get());
}

// Each texture is re-uploaded only when what it shows changed: playing
// re-uploads the output alone.
void CanvasRenderer::Impl::upload_grids(const PanePainter& d, PaneCache& cache) {
  const core::Scenario& s = d.s;
  const Shape& sh = d.sh;
  const int64_t ch = d.ch, f = d.f;
  const model::Pane& p = d.p;
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
                 [&](int64_t ky, int64_t kx) { return value_texel(d.trace.weight(ky, kx, ch, f)); });
    cache.k_scenario = p.scenario_ptr();
    cache.k_c = ch;
    cache.k_f = f;
  }
  const core::Tensor* partial = d.partial;
  const core::Geometry& g = d.g;
  if (cache.out_trace != p.trace_ptr() || cache.out_cursor != d.cursor || cache.out_f != f || !partial) {
    upload_cells(grids, cache.output, sh.out_rows, sh.out_cols, texels, [&](int64_t ry, int64_t rx) {
      const int64_t ty = ry + sh.out_row0, tx = rx + sh.out_col0;
      if (ty < 0 || tx < 0 || ty >= g.out_h() || tx >= g.out_w()) return mark_texel(CellKind::margin);
      if (!partial || !d.conv_cell_done(ty, tx)) return mark_texel(CellKind::blank);
      return value_texel(partial->at(ty, tx, f));
    });
    cache.out_trace = p.trace_ptr();
    cache.out_cursor = d.cursor;
    cache.out_f = f;
  }
  const model::EquivalentView* eq = d.eq;
  if (!eq) return;
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
                 [&](int64_t ky, int64_t kx) {
                   return value_texel(d.trace.weight(s.kernel.kh - 1 - ky, s.kernel.kw - 1 - kx, ch, f));
                 });
    cache.eq_k_view = cache.eq;
    cache.eq_k_c = ch;
    cache.eq_k_f = f;
  }
  // The same output as the scatter row, without its crop margins.
  if (cache.eq_out_trace != p.trace_ptr() || cache.eq_out_cursor != d.cursor || cache.eq_out_f != f || !partial) {
    upload_cells(grids, cache.eq_output, sh.eq_out_rows, sh.eq_out_cols, texels, [&](int64_t ty, int64_t tx) {
      if (!partial || !d.conv_cell_done(ty, tx)) return mark_texel(CellKind::blank);
      return value_texel(partial->at(ty, tx, f));
    });
    cache.eq_out_trace = p.trace_ptr();
    cache.eq_out_cursor = d.cursor;
    cache.eq_out_f = f;
  }
}

void CanvasRenderer::Impl::draw_grids(const PanePainter& d, const PaneCache& cache) {
  const PaneLayout& lay = d.lay;
  const float sc = d.sc;
  const int vh = layout.height;
  // The band as glScissor(x, vh − y − h, w, h) with truncated coordinates would pass it.
  const int gl_y = static_cast<int>(static_cast<float>(vh) - lay.band_y - lay.band_h);
  const int bx = static_cast<int>(lay.band_x), bw = static_cast<int>(lay.band_w), bh = static_cast<int>(lay.band_h);
  const PixelRect band = bw > 0 && bh > 0 ? PixelRect{bx, vh - gl_y - bh, bx + bw, vh - gl_y} : PixelRect{};
  auto draw = [&](const GridRenderer::Grid& grid, const GridRect& gr, float max) {
    if (grid.texture && grid.cols > 0 && grid.rows > 0)
      grid_draws.push_back({&grid, gr.x, gr.y, gr.w, gr.h, 1.0f / max, sc, band});
  };
  const ColourRanges& r = cache.ranges;
  draw(cache.input, lay.input, r.input);
  draw(cache.kernel, lay.kernel, r.kernel);
  draw(cache.output, lay.output, r.output);
  if (d.eq) {
    draw(cache.eq_input, lay.eq_input, r.input);
    draw(cache.eq_kernel, lay.eq_kernel, r.kernel);
    draw(cache.eq_output, lay.eq_output, r.output);
  }
}

}  // namespace render
