// colors.h — every colour the canvas draws with, defined once.
//
//   dl->AddRect(a, b, packed(colors::kWindow), …);   // canvas_pane.h, ImGui packs ABGR
//   glUniform1f(…"u_blank", colors::kBlankCell);      // grid_renderer.cpp → shaders/grid.frag
//   const Rgb ink = opaque(colors::kText);             // export_palette.cpp, the GIF palette
//
// Three readers share this table so that they cannot drift apart: the canvas
// renderer (ImGui draw lists: text, frames, outlines, legend swatches), the grid
// shader (shaders/grid.frag gets the cell greys and the colour map as uniforms
// from GridRenderer; it has no colours of its own) and the exporter's GIF
// palette (which must contain every colour the canvas produces, or GIF frames
// would differ from the window).
//
// Overlay colours are 8-bit sRGB as ImGui packs them. Grid colours are unit
// floats, as the shader computes in float and GL rounds once when storing to the
// 8-bit framebuffer: writing them as bytes would move some pixels by one level.
// Header only, no GL, no ImGui; the GUI's own widget colours
// (gui/panels/panel_style.h) are not canvas colours and live there.
#pragma once

#include <cstdint>

namespace render::colors {

struct Rgba {
  uint8_t r = 0, g = 0, b = 0, a = 255;
};

constexpr Rgba with_alpha(Rgba c, uint8_t a) {
  c.a = a;
  return c;
}

// ---- overlays (ImGui draw lists) ----
constexpr Rgba kBackground{240, 241, 243};
constexpr Rgba kText{25, 25, 28};
constexpr Rgba kMutedText{95, 99, 108};      // captions, sizes, indices, the legend's labels
constexpr Rgba kTextOnDarkCell{255, 255, 255};  // values on the strong ends of the colour map
constexpr Rgba kFrame{60, 62, 68};            // around each grid and the legend bar
constexpr Rgba kWindow{20, 20, 24};           // the conv window / transpose stamp outline
constexpr Rgba kDilatedTap = with_alpha(kWindow, 160);  // each tap of a dilated window, lighter than the window
constexpr Rgba kDilatedTapTint{255, 200, 0, 90};        // over the cell each tap of a dilated window reads
constexpr Rgba kDilationGapWash{240, 240, 242, 170};     // over a cell a dilated window skips (its value fades)
constexpr Rgba kDilationGapMark{120, 120, 128, 200};     // the cross on a skipped cell
constexpr Rgba kHighlight{255, 200, 0};       // current tap / cell (yellow, not in the colour map)
constexpr Rgba kError{200, 30, 30};
constexpr Rgba kSeparator{205, 207, 212};     // between panes, above the equivalent view

// Cropped taps of a transpose: the product faded over the crop margin, framed and
// labelled more quietly than a real output cell.
constexpr uint8_t kCroppedTapAlpha = 110;
constexpr Rgba kCroppedTapFrame{120, 120, 130, 200};
constexpr Rgba kCroppedTapText{90, 90, 100, 220};

// Hover links: the cells linked to the hovered one (tinted, thinly framed), those
// on padding or the crop margin more quietly; the notes' box over the band.
constexpr Rgba kHoverTint{255, 200, 0, 120};
constexpr Rgba kHoverOffTint{150, 150, 160, 120};
constexpr Rgba kHoverFrame{20, 20, 24, 200};
constexpr Rgba kNoteBox{255, 255, 255, 235};
// The overlap map's own ramp (counts: light to dark purple, ColorBrewer "Purples"),
// and its cell borders.
constexpr Rgba kOverlapLow{239, 237, 245};
constexpr Rgba kOverlapHigh{84, 39, 143};
constexpr Rgba kOverlapBorder{255, 255, 255, 160};

// Legend swatches: padding (hatched) and inserted zero (a dot), drawn as ImGui
// shapes at a fixed size, so they only resemble the shader's cells.
constexpr Rgba kPaddingSwatch{219, 219, 219};
constexpr Rgba kPaddingSwatchHatch{150, 150, 150};
constexpr Rgba kInsertedZeroSwatch{247, 247, 247};
constexpr Rgba kInsertedZeroSwatchDot{140, 140, 140};
constexpr Rgba kInsertedZeroSwatchFrame{120, 120, 120};

// The channel groups of a grouped or depthwise op (volume view bands), cycled;
// none is in the colour map or the highlight's yellow (Tol's "bright" scheme).
constexpr int kGroupColourCount = 4;
constexpr Rgba kGroupColours[kGroupColourCount] = {{34, 136, 51}, {170, 51, 119}, {102, 204, 238}, {153, 102, 51}};

// ---- grid cells (shaders/grid.frag), greys as unit floats ----
constexpr float kPaddingHatchDark = 0.70f, kPaddingHatchLight = 0.86f;  // the padding's diagonal stripes
constexpr float kInsertedZeroDot = 0.55f, kInsertedZeroGround = 0.97f;  // a zero of the zero-insertion, big cells
constexpr float kInsertedZeroSmall = 0.90f;  // the same, cells too small for a dot
constexpr float kBlankCell = 0.985f;         // output not yet computed
constexpr float kCropMargin = 0.93f;         // outside a transpose's output
// Cell borders: this grey mixed over the cell by kBorderMix (crop margin: kMarginBorderMix).
constexpr float kCellBorder = 0.25f, kBorderMix = 0.45f, kMarginBorderMix = 0.15f;

// ---- the diverging colour map (values −max … 0 … +max) ----
// Paul Tol's "BuRd": colour-blind safe, white at zero. Nine stops, linear in
// between; as unit floats for the shader and render::diverging_rgb.
struct UnitRgb {
  float r = 0, g = 0, b = 0;
};
constexpr int kDivergingStopCount = 9;
constexpr UnitRgb kDivergingStops[kDivergingStopCount] = {
    {0.129f, 0.400f, 0.675f},  // #2166AC
    {0.263f, 0.576f, 0.765f},  // #4393C3
    {0.573f, 0.773f, 0.871f},  // #92C5DE
    {0.820f, 0.898f, 0.941f},  // #D1E5F0
    {0.969f, 0.969f, 0.969f},  // #F7F7F7
    {0.992f, 0.859f, 0.780f},  // #FDDBC7
    {0.957f, 0.647f, 0.510f},  // #F4A582
    {0.839f, 0.376f, 0.302f},  // #D6604D
    {0.698f, 0.094f, 0.169f},  // #B2182B
};

}  // namespace render::colors
