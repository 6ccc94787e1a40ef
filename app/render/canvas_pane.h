// canvas_pane.h — drawing one pane's overlays and text, step by step.
//
// Internal to the renderer. CanvasRenderer::Impl::draw_pane lays the pane
// out (canvas_layout.h), draws its grids as GL quads, then builds a
// PanePainter and calls its steps in the order the reader sees the pane:
// header, the band (values, grid labels, the equivalent row, the window or
// stamp, the equivalent row's step), the text block. Later steps paint over
// earlier ones, so that order is part of the picture.
//
// The steps live in three files: canvas_pane.cpp (header, grids' labels and
// values, text block, legend), canvas_overlays.cpp (the conv window and the
// transpose stamp of the current step) and canvas_equivalent.cpp (the
// equivalent Conv2D row of a transpose). A painter reads the pane and writes
// only the draw list and what it drew into the canvas layout (texts, and per
// grid whether and how big its numbers are): caches, textures and the layout
// of the grids are the renderer's.
#pragma once

#include <imgui.h>

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "app/model/equivalent_view.h"
#include "app/model/hover.h"
#include "core/links.h"
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
std::string num(double v);
std::string factor(double v);
std::string index_text(int64_t y, int64_t x);

// ---- the colour map as overlays use it ----
ImU32 map_colour(float t, int alpha = 255);
// Where the map is dark enough for white text.
bool dark_cell(float t);

// The colour ranges of a pane's grids: max |value| of each, or one for all
// (one scale per pane: the same value has the same colour everywhere).
struct ColourRanges {
  float input = 1, kernel = 1, output = 1;
  bool kernel_own = false;  // the kernel on its own scale
};

// The widest short value each grid of a pane may show (format_short), from the
// scenario alone: the font of a grid's numbers is chosen once from it, so that
// it does not change as the steps play.
// A grid's widest short value with 3 significant digits, and with 2 (for a grid too narrow for 3).
struct Widest {
  std::string digits3, digits2;
};
struct WidestValues {
  Widest input, kernel, output;
};
WidestValues widest_values(const core::Scenario& s, const core::Tensor* final_output);

class PanePainter {
 public:
  // `partial` is the output after the cursor (null: not computed — too much
  // work, or still computing; `output_note` says which). All are borrowed for
  // the painter's lifetime.
  PanePainter(ImDrawList* dl, const CanvasText& text, const CanvasOptions& o, const model::Pane& p, const Shape& sh,
              const Metrics& m, const PaneLayout& lay, const model::EquivalentView* eq, const core::Tensor* partial,
              std::string output_note, const ColourRanges& ranges, const WidestValues& widest, CanvasLayout& out);

  // The steps, in drawing order (see the top of this file).
  void draw_pane_header() const;
  void draw_values() const;
  void draw_equivalent_values() const;
  void draw_grid_labels() const;      // frames, names and shapes, indices, operators, bias, break marks
  void draw_equivalent_row() const;   // its labels, heading, marks and caption
  void draw_conv_window() const;
  void draw_transpose_stamp() const;
  void draw_equivalent_step() const;
  void draw_arithmetic() const;
  void draw_formula() const;
  void draw_legend() const;
  // Teaching overlays (canvas_teaching.cpp): the overlap map with its note under
  // the band (PaneLayout::note_y), the hover links with their count line (the
  // arithmetic's second line, or a box at the band's foot without it).
  void draw_overlap_map(const core::Coverage& cov) const;
  void draw_hover(const model::HoverLinks& links) const;
  bool hover_here() const;  // CanvasOptions::hover targets this pane

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
  const core::Tensor* partial;      // the output after the cursor, when computed
  std::string output_note;          // why it is not (drawn over the output grid)
  ColourRanges ranges;
  const WidestValues& widest;
  CanvasLayout& out;  // texts drawn, grid value statistics
  float sc;
  int64_t cursor;
  std::optional<core::Step> step;  // none before the first step
  int64_t C, F;                    // input channels, filters
  int64_t ch, f;                   // the channel and filter on view
  int64_t unit;                    // the output unit being computed
  bool torch;                      // names in PyTorch's layouts

  // Gather: output cell (oy, ox) of the filter on view has started (done or partial).
  bool conv_cell_done(int64_t oy, int64_t ox) const;
  // The step counter sits beside the arithmetic's second line (not in the title
  // row) when that line has its room: all text a step changes is then one
  // block, so an export redraws and encodes one small box per frame.
  bool counter_by_arithmetic() const;

 private:
  // Text drawn and recorded (CanvasLayout::texts). Returns its width.
  float put(const ImFont* font, float x, float y, ImU32 col, const std::string& t) const;
  void put_lines(const TextLines& lines, float x, float y, ImU32 col) const;
  // Shapes in tensor coordinates of a grid; the one place that maps a cell to pixels.
  ImVec2 cell_min(const GridRect& gr, int64_t ty, int64_t tx) const;
  ImVec2 cell_max(const GridRect& gr, int64_t ty, int64_t tx) const;
  bool cell_drawn(const GridRect& gr, int64_t ty, int64_t tx) const;  // inside the grid's drawn cells
  void outline(const GridRect& gr, int64_t y0, int64_t x0, int64_t y1, int64_t x1, ImU32 col, float thick) const;
  void highlight(const GridRect& gr, int64_t ty, int64_t tx) const;
  // The numbers of one grid: value_at(ty, tx) gives the value or nullopt (no number there).
  void grid_values(GridKind kind, const Widest& widest, float range,
                   const std::function<std::optional<double>(int64_t, int64_t)>& value_at) const;
  void frame(const GridRect& gr) const;
  void label(const GridRect& gr, const GridLabel& l) const;
  void indices(const GridRect& gr, int64_t step_y = 1, int64_t step_x = 1) const;
  void op_glyph(const GridRect& left, const GridRect& right, const char* glyph) const;
  void break_marks(const GridRect& gr, const std::array<int64_t, 4>& hidden) const;
  // The dilated window's taps, each outlined lighter than the window.
  void dilated_taps(const GridRect& gr, int64_t y0, int64_t x0, float thick) const;
  float overlay_thickness() const;
  void overlay_number(const GridRect& gr, int64_t ty, int64_t tx, const std::string& label, ImU32 col) const;
  void band_note(const std::vector<std::string>& paragraphs, float bottom) const;
  GridRect* stats(GridKind kind) const;  // this pane's grid in the layout
};

}  // namespace render
