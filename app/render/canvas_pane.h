// canvas_pane.h — drawing one pane's overlays and text, step by step.
//
// Internal to the renderer. CanvasRenderer::Impl::draw_pane lays the pane
// out (canvas_layout.h), draws its grids as GL quads, then builds a
// PanePainter and calls its steps in the order the reader sees the pane:
// header, values, grid labels, the equivalent row, the window or stamp, the
// equivalent row's step, the text block. Later steps paint over earlier ones,
// so that order is part of the picture.
//
// The steps live in three files: canvas_pane.cpp (header, grids' labels,
// text block, legend), canvas_overlays.cpp (the conv window and the transpose
// stamp of the current step) and canvas_equivalent.cpp (the equivalent
// Conv2D row of a transpose). A painter only reads: caches, textures and the
// canvas layout are the renderer's.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "app/model/equivalent_view.h"
#include "app/render/canvas_layout.h"
#include "app/render/canvas_renderer.h"
#include "app/render/canvas_text.h"
#include "app/render/colors.h"

namespace render {

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

// ---- text ----
std::string dims(int64_t h, int64_t w, int64_t c, bool show_c);
std::string num(double v);
std::string factor(double v);
std::string index_text(int64_t y, int64_t x);
// "[y,x]", or "[y,x,c]" when the tensor has more than one channel.
std::string cell_text(const core::Cell& c, bool with_channel);
// Cuts `s` (UTF-8) so that it fits in max_w pixels, ending with "…".
std::string fit(const CanvasText& t, ImFont* font, const std::string& s, float max_w);
// `s` broken at spaces into at most max_lines lines of max_w pixels (the last one cut with "…").
std::vector<std::string> wrap(const CanvasText& t, ImFont* font, const std::string& s, float max_w, int max_lines);

// ---- the colour map as overlays use it ----
ImU32 map_colour(float t, int alpha = 255);
// Where the map is dark enough for white text.
bool dark_cell(float t);

class PanePainter {
 public:
  // `partial` is the output after the cursor; in/k/out_max the colour ranges
  // of the grids. All are borrowed for the painter's lifetime.
  PanePainter(ImDrawList* dl, const CanvasText& text, const CanvasOptions& o, const model::Pane& p, const Shape& sh,
              const Metrics& m, const PaneLayout& lay, const model::EquivalentView* eq, const core::Tensor& partial,
              float in_max, float k_max, float out_max);

  // The steps, in drawing order (see the top of this file).
  void draw_pane_header() const;
  void draw_values() const;
  void draw_equivalent_values() const;
  void draw_grid_labels() const;     // frames, names and shapes, indices, operators, bias
  float draw_equivalent_row() const;  // its labels, heading, marks and caption; returns where its step line goes
  void draw_conv_window() const;
  void draw_transpose_stamp() const;
  void draw_equivalent_step(float line_y) const;
  float text_top() const;  // where the text block starts, under the lowest grids
  float draw_arithmetic(float ty) const;  // each returns where the next line goes
  float draw_formula(float ty) const;
  void draw_legend(float ty) const;

  // What the steps read; upload_grids reads them too.
  ImDrawList* dl;
  const CanvasText& text;
  const CanvasOptions& o;
  const model::Pane& p;
  const core::Scenario& s;
  const core::Geometry& g;
  const core::Trace& trace;
  const Shape& sh;
  const Metrics& m;
  const PaneLayout& lay;
  const model::EquivalentView* eq;  // the equivalent Conv2D, when shown
  const core::Tensor& partial;
  float in_max, k_max, out_max;
  float sc;
  int64_t cursor;
  std::optional<core::Step> step;  // none before the first step
  int64_t C, F;                    // input channels, filters
  int64_t ch, f;                   // the channel and filter on view
  int64_t unit;                    // the output unit being computed

  // Conv: output cell (oy, ox) of the filter on view has started (done or partial).
  bool conv_cell_done(int64_t oy, int64_t ox) const;

 private:
  // Shapes in tensor coordinates of a grid; the one place that maps a cell to pixels.
  ImVec2 cell_min(const GridRect& gr, int64_t ty, int64_t tx) const;
  ImVec2 cell_max(const GridRect& gr, int64_t ty, int64_t tx) const;
  void outline(const GridRect& gr, int64_t y0, int64_t x0, int64_t y1, int64_t x1, ImU32 col, float thick) const;
  void highlight(const GridRect& gr, int64_t ty, int64_t tx) const;
  // `forced`: a colour for the text instead of the one that reads on the cell.
  void draw_value(const GridRect& gr, int64_t ty, int64_t tx, double v, float inv_range, ImU32 forced = 0) const;
  void frame(const GridRect& gr) const;
  void label(const GridRect& gr, const std::string& name, const std::string& detail) const;
  void indices(const GridRect& gr) const;
  void op_glyph(const GridRect& left, const char* glyph) const;
  // The dilated window's taps, each outlined lighter than the window.
  void dilated_taps(const GridRect& gr, int64_t y0, int64_t x0, float thick) const;
  float overlay_thickness() const;
};

}  // namespace render
