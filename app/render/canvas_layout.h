// canvas_layout.h — where a pane's pieces go: the panes on the canvas, each
// pane's header, grid band, equivalent row and text block, the cell sizes.
//
// Internal to the renderer (canvas_*.cpp). Everything here depends on shapes,
// options, sizes, the fonts and the pane's zoom — never on the cursor or the
// values — so that preferred_size() and every frame of one export agree.
// Text that changes with the cursor (the arithmetic lines, the step counter)
// gets a fixed budget measured from its longest form.
//
//   const Shape sh = shape_of(pane, opt);
//   const Metrics m = metrics_for(opt, text);
//   const PaneLayout lay = lay_out_pane(pane, sh, m, text, rect, index, eq, layout.grids);
//
// Rules the layout keeps (the canvas tests check them on the layout data):
//   - grids scale to the pane's width and height; cells grow before margins;
//   - text wraps or shrinks down its font ladder, never cut with "…";
//   - cell edges land on whole pixels (cells ≥ 2 px are whole numbers);
//   - huge padding or crop margins are drawn as a few cells and a break mark,
//     never allocated cell by cell.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "app/model/equivalent_view.h"
#include "app/render/canvas_renderer.h"
#include "app/render/canvas_text.h"

namespace render {

// Lines of small text reserved under the band of a pane with the overlap map on.
constexpr int kOverlapNoteLines = 3;

// The most padding / crop margin drawn per side; past it the rest is a break mark.
constexpr int64_t kMaxShownMargin = 6;

// Which line each of a row's three grids goes on: {0, 0, 0} one line,
// {0, 0, 1} the output under input ⊛ kernel, {0, 1, 2} one grid a line.
using Arrangement = std::array<int, 3>;


// Everything about a pane's picture that does not depend on the cursor.
struct Shape {
  bool conv = true;
  // The outline gathers: a conv's window, or a transpose played in gather order
  // (the input cells that reach the output cell); else a transpose's stamp.
  bool window = true;
  // Input with its (shown) pads (conv); input cells (transpose).
  int64_t in_rows = 0, in_cols = 0, in_row0 = 0, in_col0 = 0;
  int64_t k_rows = 0, k_cols = 0;
  // Output, with (shown) crop margins (transpose).
  int64_t out_rows = 0, out_cols = 0, out_row0 = 0, out_col0 = 0;
  // Cells of padding / margin not drawn, per side: top, bottom, left, right.
  std::array<int64_t, 4> in_hidden{0, 0, 0, 0}, out_hidden{0, 0, 0, 0};
  // The equivalent Conv2D (transpose, CanvasOptions::equivalent): the
  // zero-inserted, padded input, the rotated kernel, the output without margins.
  bool eq = false;
  int64_t eq_rows = 0, eq_cols = 0, eq_out_rows = 0, eq_out_cols = 0;
};

Shape shape_of(const model::Pane& p, const CanvasOptions& o);

// Fixed measures of a pane (px), from the options and the fonts alone.
struct Metrics {
  float s = 1;
  float margin = 0, op_gap = 0, gap = 0, line_gap = 0;
  float min_kernel_cell = 0, max_cell = 0;
  // Above each grid: its name, shape, channel and the column indices; narrow
  // labels put the shape's numbers and its letters ("3×3×1" / "(H×W×C)") on two lines.
  float label_h = 0, label_h_narrow = 0;
  float bias_h = 0;   // under the kernel: "b[f] = …"
  float eq_gap = 0, eq_side_gap = 0;
};

Metrics metrics_for(const CanvasOptions& o, const CanvasText& text);

// Lines of one piece of text, wrapped (and shrunk down its font ladder) to a width.
struct TextLines {
  ImFont* font = nullptr;
  std::vector<std::string> lines;
  float line_h = 0;
  bool split = false;  // a word had to be broken between characters (no size let it fit whole)
  float height() const { return line_h * static_cast<float>(lines.size()); }
};

// `s` broken at spaces into lines of at most `width` px, at the role's largest
// size that needs no more than `max_lines` and breaks no word (else the largest
// that needs no more than `max_lines`); at the smallest size it takes as many
// lines as it needs (a word wider than the line is broken between characters).
// Never cuts the text.
TextLines wrap_text(const CanvasText& text, TextRole role, const std::string& s, float width, int max_lines);
// The lines of `s` wrapped at `width` with one font (never cut).
std::vector<std::string> wrap_lines(const CanvasText& text, const ImFont* font, const std::string& s, float width);
// The distance from one line of text to the next in a font.
float line_height(const ImFont* font, float content_scale);

// The legend under a pane: the colour bar with its numbers under it, a note
// on the scale beside it (two lines at most), then the marks' swatches,
// flowing onto a second line when the pane is narrow. Offsets from its top-left.
struct LegendLayout {
  float bar_w = 0, bar_h = 0, note_x = 0, note_y = 0, swatch_y = 0, swatch_size = 0, height = 0;
  TextLines note;
  std::vector<std::array<float, 2>> swatches;  // each swatch's corner; its label follows it
};
// The swatch labels of a gathering pane (its outline a window) or a scattering one (a stamp).
std::array<std::string, 3> legend_swatches(bool window);
// What the bar's colours are for: one scale for the pane, or the kernel on its own.
std::string legend_note(bool kernel_own_scale);
// compact: no note, the swatches right of the bar (short panes).
LegendLayout legend_layout(const CanvasText& text, const Metrics& m, float inner_w, bool window, bool kernel_own_scale,
                           bool compact);
// CanvasRenderer::grid_cells: the cells render() allocates a texel for (padding and margins as drawn).
int64_t grid_cell_count(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt);

// Where one pane's pieces sit (px, canvas coordinates): what its drawing steps share.
struct PaneLayout {
  CanvasLayout::PaneRect r;
  float x0 = 0, inner_w = 0;  // the column that titles and text lines fill
  // Header: title (with the step counter right of it or under it), the
  // scenario's name and description, the parameters line, a rejected edit.
  float title_y = 0;
  TextLines title;
  float counter_y = 0;  // the step counter, right-aligned at x0 + inner_w
  ImFont* counter_font = nullptr;
  float name_y = 0, description_y = 0, params_y = 0, error_y = 0;
  TextLines name, description, params, error;
  // The grid band (zoom and pan move the grids inside it; it clips them).
  float band_x = 0, band_y = 0, band_w = 0, band_h = 0;
  float base_cell = 0;        // the cell that fits at zoom 1
  float cell = 0, kcell = 0;  // input/output cells, kernel cells (after zoom)
  bool beside = false;        // the equivalent row right of the scatter row (else below it)
  bool narrow_labels = false; // the grids' labels in their narrow form (see Metrics::label_h)
  Arrangement lines{0, 0, 0}; // the scatter row's grids on one, two or three lines
  float label_h = 0;          // the height of the labels in use
  GridRect input, kernel, output;
  GridRect eq_input, eq_kernel, eq_output;  // only when there is an equivalent view
  std::array<float, 6> label_x{};           // where each grid's label starts (by GridKind)
  float eq_top = 0;                         // the equivalent row's heading
  float eq_x0 = 0, eq_w = 0;                // where its heading, caption and step line go
  TextLines eq_caption;
  float eq_caption_y = 0, eq_step_y = 0;  // the caption, the line of the current conv step
  // Text block under the band.
  float note_y = 0, note_h = 0;  // the overlap map's note (0 high when the map is off)
  float arithmetic_y = 0, formula_y = 0, legend_y = 0;
  float arithmetic_h = 0;  // the budget: `arithmetic_lines` body lines and as many small lines
  int arithmetic_lines = 2;  // 1 on short panes
  bool arithmetic_detail = true;  // its second, smaller line
  int compact = 0;                // how much text gave way to the grids (0 none … 2)
  TextLines rule, h_line, w_line;  // the formula
  float legend_h = 0;
};

// The cell size at which a pane's grids fill a band of w×h px (zoom 1).
struct Cells {
  float cell = 0, kcell = 0;
  bool beside = false;
  bool narrow_labels = false;
  Arrangement lines{0, 0, 0};
};
Cells fit_cells(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text, float w, float h);

// Lays out pane `index` in r and appends its grids to `grids` (input, kernel,
// output, then the equivalent row's when `eq` is given).
PaneLayout lay_out_pane(const model::Pane& p, const Shape& sh, const Metrics& m, const CanvasText& text,
                        const CanvasOptions& o, const CanvasLayout::PaneRect& r, int index,
                        const model::EquivalentView* eq, std::vector<GridRect>& grids);

// Panes on a canvas of w×h: the arrangement (columns × rows) whose smallest
// pane gets the largest cells; two panes go side by side unless stacking them
// gives clearly larger cells.
std::vector<CanvasLayout::PaneRect> pane_rects(const std::vector<const model::Pane*>& panes, const CanvasOptions& o,
                                               const CanvasText& text, float w, float h);

// A preferred frame of w×h px: between 64 px and 4096 × scale a side, even
// sizes (video encoders like them). The one rule for every canvas's preferred size.
Size frame_within_cap(float w, float h, float scale);

// CanvasRenderer::preferred_size.
Size natural_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& opt, const CanvasText& text);

// Names in the pane's convention: PyTorch panes C×H×W, Keras panes H×W×C.
bool torch_names(const model::Pane& p);
// "3×3×1 (H×W×C)" or "1×3×3 (C×H×W)" for a grid of that convention; the
// numbers and the letters apart for narrow labels.
std::string grid_dims(int64_t h, int64_t w, int64_t c, bool torch, const char* channel_letter);
std::string grid_dims_numbers(int64_t h, int64_t w, int64_t c, bool torch);
std::string grid_dims_letters(bool torch, const char* channel_letter);
// A grid label: its name, the shape in numbers and in letters, the channel line.
struct GridLabel {
  std::string name, numbers, letters, channel;
};
// The labels of a pane's three grids for the channel/filter on view.
std::array<GridLabel, 3> grid_labels(const model::Pane& p, int64_t channel, int64_t filter);
std::array<GridLabel, 3> equivalent_labels(const model::Pane& p, const Shape& sh, int64_t channel, int64_t filter);

}  // namespace render
