// canvas_renderer.h — the teaching canvas: every pane's input → kernel →
// output grids, overlays and text, rendered into an offscreen framebuffer.
//
// The window shows this framebuffer 1:1 and the exporter reads it back, so a
// GIF frame equals the screen pixel for pixel. For each pane it draws: the
// title ("Conv2D 3×3 → 2×2"), the grids with labels (input / kernel / output),
// layout (H×W×C) and axis indices, values in cells big enough to hold them,
// padding hatched, crop margins and zero-inserted cells marked, the sliding
// window (conv) or the stamp footprint (transpose) with the current tap
// highlighted and cropped taps faded, the arithmetic line of the current
// cell, the formula lines and the legend of the colour map (diverging,
// colour-blind safe, centred on zero). With CanvasOptions::equivalent, a
// Conv2DTranspose pane also shows the same arithmetic as a stride-1 Conv2D
// (below its scatter row, or beside it when that leaves bigger cells): the
// zero-inserted, padded input (inserted zeros dotted, padding hatched), the
// kernel rotated 180° and the same output, with the window and tap of the
// conv step that multiplies the same a·w as the current scatter.
//
// The pixels depend only on the panes (scenario, trace, cursor, view
// channel/filter), the CanvasOptions and the size: never on a window, the
// time or the mouse. Hover and selection outlines are the window's business
// (it draws them over the image, using hit_test() and layout()).
//
// It never calls GLFW and never assumes a window. It needs a current OpenGL
// 3.3 core context with glad loaded, and uses its OWN Dear ImGui context (its
// own font atlas, DejaVu Sans) for text; it saves and restores the caller's
// current ImGui context, framebuffer binding and viewport.
//
// In the window:
//   render::CanvasRenderer canvas;                 // after gladLoadGL, once
//   canvas.render(state, options, w, h);           // each frame, before the window's ImGui::Render()
//   ImGui::Image((ImTextureID)(intptr_t)canvas.texture(), {w, h}, {0, 1}, {1, 0});  // flip V
//
// Headless (the exporter), no window, no X:
//   // EGL surfaceless 3.3 core context current (see shared NOTES.md), then
//   gladLoadGL((GLADloadfunc)eglGetProcAddress);
//   render::CanvasRenderer canvas;                 // finds shaders/ and assets/ itself
//   model::Pane pane(core::load_scenario("f.json"));
//   render::CanvasOptions opt;  opt.content_scale = K;   // 1 × --scale
//   const render::Size size = canvas.preferred_size({&pane}, opt);
//   for (int64_t n = -1; n < pane.trace().count(); ++n) {
//     pane.set_cursor(n);
//     canvas.render({&pane}, opt, size.w, size.h);
//     std::vector<uint8_t> rgba = canvas.read_rgba();   // size.w·size.h·4, top row first, alpha 255
//   }
// preferred_size() depends on the scenarios' shapes and the options only (not on
// cursors or values), so every frame of one export has the same size.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/model/app_state.h"
#include "app/render/canvas_damage.h"

namespace render {

struct CanvasFonts;  // canvas_text.h

struct Size {
  int w = 0, h = 0;
};

struct CanvasOptions {
  bool title = true;        // "Conv2D 3×3 → 2×2" above each pane
  bool arithmetic = true;   // the arithmetic line of the current output cell
  bool formula = true;      // the output-length formula per axis, pads/crops per side
  bool legend = true;       // the colour map legend
  bool values = true;       // numbers in cells that are big enough
  bool equivalent = false;  // Conv2DTranspose: also the equivalent Conv2D over the zero-inserted input
  // Colours: one scale per pane (the same value has the same colour in input,
  // kernel and output); or the kernel on a scale of its own.
  bool kernel_own_scale = false;
  // Slides for a room (the gallery): annotations — the step's note, the formula,
  // the legend, the captions — at the body size instead of the small one.
  bool slide_text = false;
  float content_scale = 1.0f;  // multiplies fonts, cell sizes, margins (HiDPI, export --scale)
  // The hover links to light (model/hover.h; the window's pointer or pin, `export --hover`):
  // cells of pane hover->target.pane. Null: none.
  std::shared_ptr<const model::HoverLinks> hover;
  // Options as the window's view menu sets them.
  static CanvasOptions from_view(const model::ViewOptions& v, float content_scale);
};

// The equivalent_* grids exist only for Conv2DTranspose panes with
// CanvasOptions::equivalent. equivalent_input is in the coordinates of the
// zero-inserted input (input cell (y, x) at (y·s, x·s); < 0 or past
// (n−1)·s on the dk−1−crop padding); equivalent_kernel is the rotated kernel
// (cell (i, j) holds w[kh−1−i, kw−1−j]); equivalent_output is the output
// without crop margins.
enum class GridKind { input, kernel, output, equivalent_input, equivalent_kernel, equivalent_output };

// Where one grid sits on the canvas (pixels, origin top-left).
struct GridRect {
  int pane = 0;       // index into the pane list given to render()
  GridKind kind = GridKind::input;
  float x = 0, y = 0, w = 0, h = 0;  // the whole drawn grid, margins (padding, crop) included; may reach
                                     // past the pane's band when zoomed (then it is clipped to the band)
  float cell = 0;                    // cell side in pixels (a whole number from 2 px up)
  int64_t rows = 0, cols = 0;        // drawn cells
  int64_t row0 = 0, col0 = 0;        // tensor coordinate of the top-left drawn cell (< 0 on padding/crop margins)
  int64_t tensor_h = 0, tensor_w = 0;  // the real tensor's extent (cells 0..h−1, 0..w−1)
  // What was drawn (filled in by render()): the visible part (grid ∩ band),
  // whether numbers were drawn and at what size. A grid too dense for
  // numbers at 10 physical pixels is a heatmap (values false): zoom in to read it.
  float clip_x = 0, clip_y = 0, clip_w = 0, clip_h = 0;
  bool values = false;
  float value_px = 0;
  float legible_cell = 0;  // the smallest cell at which this grid's numbers are drawn (10 px physical)
  float value_w = 0;       // the widest number drawn (px): the current-step ring stays clear of it
  int digits = 3;          // significant digits of its numbers (2 when 3 do not fit)
  int64_t visible_cells = 0, values_drawn = 0;  // value cells (not padding/margins) in view, and numbers drawn
};

// A string the canvas drew and the rectangle it covers: the layout tests check
// that every text lies inside its pane and no two overlap.
struct TextRect {
  int pane = 0;
  float x = 0, y = 0, w = 0, h = 0;
  std::string text;
};

// The volume view (Pane::volume_view) and the slice view's "all channels"
// (Pane::all_channels) draw slices instead of one grid per tensor: each is
// recorded here. `stack` is the filter of a kernel slice (0 for input and
// output); `index` the slice within its stack (input channel c, the filter's
// weight slice for its group's channel, output filter f). Only `readable`
// slices (the fronts of the stacks, the pulled-out copies of the current
// slices, every slice of "all channels") may carry numbers; the others are
// colour-only by design.
struct VolumeSlice {
  int pane = 0;
  GridKind kind = GridKind::input;
  int64_t stack = 0, index = 0;
  bool pulled = false;      // the copy of the current slice drawn out of its stack
  bool readable = false;    // numbers allowed (drawn when its cells are big enough)
  bool values = false;      // numbers drawn
  int64_t values_drawn = 0;
  float x = 0, y = 0, w = 0, h = 0, cell = 0;
  int64_t rows = 0, cols = 0, row0 = 0, col0 = 0;
};
// A cell the current step lights: the input voxel, the weight, the output
// voxel (a transpose: its stamp's target), on the stacks and the pulled-out copies.
struct LitVoxel {
  int pane = 0;
  GridKind kind = GridKind::input;
  int64_t stack = 0, index = 0, y = 0, x = 0;  // slice as in VolumeSlice; tensor cell (y, x)
  bool pulled = false;
  float px = 0, py = 0, size = 0;  // its square on the canvas
};

struct CanvasLayout {
  int width = 0, height = 0;
  std::vector<GridRect> grids;
  std::vector<VolumeSlice> slices;  // volume panes only
  std::vector<LitVoxel> lit;        // volume panes only
  struct PaneRect {
    float x = 0, y = 0, w = 0, h = 0;
  };
  std::vector<PaneRect> panes;
  // Per pane: the band its grids sit in (zoom and pan act there), and the
  // content of the band at the current zoom — its size and where its top-left
  // corner is drawn (origin < band when panned).
  struct Band {
    float x = 0, y = 0, w = 0, h = 0;
    float content_w = 0, content_h = 0, origin_x = 0, origin_y = 0;
    float base_cell = 0, cell = 0;  // the cell at zoom 1, and now
  };
  std::vector<Band> bands;
  std::vector<TextRect> texts;
  // Texts drawn partly outside the clip rectangle in force (a zoomed band cuts
  // labels at its edge); at zoom 1 there are none.
  std::vector<TextRect> clipped_texts;
};

// A canvas pixel mapped to a cell.
struct CanvasHit {
  int pane = 0;
  GridKind grid = GridKind::input;
  int64_t y = 0, x = 0;  // tensor coordinates (may be < 0 or ≥ size on margins)
  bool inside = false;   // within the real tensor (not on padding / crop margins)
};

class CanvasRenderer {
 public:
  // Needs a current GL 3.3 core context (glad loaded). `resource_dir` holds
  // shaders/ and assets/; empty = render::find_resource_dir() (resources.h).
  // Throws core::Error (resources_missing, font_missing) if shaders/ or the font cannot be
  // found, std::runtime_error if they cannot be loaded.
  explicit CanvasRenderer(const std::string& resource_dir = {});
  // With fonts baked beforehand (CanvasFonts: the window bakes them while its GL context is made).
  CanvasRenderer(const std::string& resource_dir, CanvasFonts fonts);
  ~CanvasRenderer();
  CanvasRenderer(const CanvasRenderer&) = delete;
  CanvasRenderer& operator=(const CanvasRenderer&) = delete;

  // The natural size for these panes (cells up to 56 px × content_scale;
  // large grids shrink so the canvas stays within 1600×1000 × scale).
  Size preferred_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) const;
  // The cells render() lays out and allocates a texel for, all grids of all
  // panes (padding, crop margins and the equivalent row included; saturates at
  // INT64_MAX). Shapes and options only, like preferred_size(). The exporter
  // refuses frames above its limit (export/frame_limits.h).
  int64_t grid_cells(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt) const;

  // Renders the panes side by side into the framebuffer, resized to w×h pixels.
  void render(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w, int h);
  // All panes of `state`, with options from state.view.
  void render(const model::AppState& state, float content_scale, int w, int h);
  // The same frame as render() pixel for pixel, but drawing only the regions
  // that differ from the last frame this renderer drew (canvas_damage.h): the
  // exporter's way, where a step changes a few % of the canvas. The first
  // frame, one after render(), a resize or a new scale draws everything.
  void render_changes(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, int w, int h);
  // What the last render or render_changes() drew (at most DamageTracker::kMaxRects
  // rectangles, origin top-left; empty when the frame equals the previous one).
  const std::vector<PixelRect>& changed_regions() const;
  // Frames drawn so far (a caller that keeps its own copy of the pixels checks
  // that nobody else drew in between), and a way to make the next
  // render_changes() draw everything (after the caller lost track).
  uint64_t frames_drawn() const;
  void redraw_all_next();
  // How often the fonts were baked again for another scale (the window's renderer
  // should do it only when the text size or the monitor changes).
  int font_rebakes() const;

  // The colour attachment (GL_RGBA8, rows bottom-up as GL stores them).
  unsigned texture() const;
  // The framebuffer object holding it (for glBlitFramebuffer / glReadPixels).
  unsigned framebuffer() const;
  Size size() const;
  // The last frame as RGBA8, top row first, alpha 255 (glReadPixels + row flip).
  std::vector<uint8_t> read_rgba() const;
  void read_rgba(std::vector<uint8_t>& out) const;

  // Where everything sat in the last frame; hit_test maps a canvas pixel
  // (origin top-left) to a cell, the one screen → cell function.
  const CanvasLayout& layout() const;
  std::optional<CanvasHit> hit_test(float x, float y) const;

  // Where shaders/ and assets/ were found.
  const std::string& resource_dir() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace render
