#include "app/export/export_palette.h"

#include <cmath>

#include "app/render/colors.h"
#include "app/render/grid_renderer.h"

namespace exporter {

namespace {

// As the GPU stores a float in an 8-bit channel: ×255 in float, round half to even.
Rgb from_unit(const float rgb[3]) {
  auto c = [](float v) { return static_cast<uint8_t>(std::nearbyint(std::fmin(std::fmax(v, 0.f), 1.f) * 255.f)); };
  return {c(rgb[0]), c(rgb[1]), c(rgb[2])};
}

Rgb grey(float v) {
  const float rgb[3] = {v, v, v};
  return from_unit(rgb);
}

Rgb opaque(render::colors::Rgba c) { return {c.r, c.g, c.b}; }

Rgb map_at(float t) {
  float rgb[3];
  render::diverging_rgb(t, rgb);
  return from_unit(rgb);
}

}  // namespace

PaletteSources canvas_palette_sources() {
  // The canvas colours, from the table the renderer and grid.frag use. The
  // palette test (tests/export/test_headless_export.cpp) renders real frames and
  // fails if the canvas draws colours (or blends) this list does not cover.
  namespace colors = render::colors;
  const Rgb background = opaque(colors::kBackground), text = opaque(colors::kText),
            muted = opaque(colors::kMutedText), white = opaque(colors::kTextOnDarkCell),
            frame = opaque(colors::kFrame), window = opaque(colors::kWindow),
            highlight = opaque(colors::kHighlight), error = opaque(colors::kError),
            separator = opaque(colors::kSeparator), swatch = opaque(colors::kPaddingSwatch),
            swatch_hatch = opaque(colors::kPaddingSwatchHatch), cropped_line = opaque(colors::kCroppedTapFrame);
  // grid.frag's cells: padding hatch, inserted zero (dot on its ground), not yet
  // computed, crop margin; borders mix kBorderMix (margin kMarginBorderMix) of the border grey.
  const Rgb border = grey(colors::kCellBorder), hatch_a = grey(colors::kPaddingHatchDark),
            hatch_b = grey(colors::kPaddingHatchLight), dot = grey(colors::kInsertedZeroDot),
            zero_ground = grey(colors::kInsertedZeroGround), blank = grey(colors::kBlankCell),
            margin = grey(colors::kCropMargin);

  PaletteSources src;
  for (Rgb c : {background, text, muted, frame, window, highlight, error, separator, white, swatch, swatch_hatch,
                cropped_line, hatch_a, hatch_b, dot, zero_ground, blank, margin, border})
    src.solid.push_back(c);
  for (const colors::Rgba& g : colors::kGroupColours) src.solid.push_back(opaque(g));  // volume view's group bands
  for (Rgb c : {hatch_a, hatch_b, zero_ground, blank, dot}) src.solid.push_back(blend(c, border, colors::kBorderMix));
  src.solid.push_back(blend(margin, border, colors::kMarginBorderMix));

  // The diverging colour map (render::diverging_rgb, the same as grid.frag),
  // 4 samples per segment of its 9-colour scheme (t in 16ths: values at a
  // quarter, half … of the grid's max land exactly), then cells with their
  // border, and the faded cropped taps of a transpose (kCroppedTapAlpha over the margin).
  const int kSamples = 32;
  for (int i = 0; i <= kSamples; ++i) src.solid.push_back(map_at(-1.0f + 2.0f * static_cast<float>(i) / kSamples));
  for (int i = 0; i <= 8; ++i) src.solid.push_back(blend(map_at(-1.0f + static_cast<float>(i) / 4), border, colors::kBorderMix));
  const float cropped_alpha = colors::kCroppedTapAlpha / 255.f;
  for (int i = 0; i <= 4; ++i) src.solid.push_back(blend(margin, map_at(-1.0f + static_cast<float>(i) / 2), cropped_alpha));
  // Their values in kCroppedTapText, see-through: its ink over the faded zero.
  const Rgb cropped_ground = blend(margin, map_at(0.0f), cropped_alpha);
  const Rgb cropped_text = blend(cropped_ground, opaque(colors::kCroppedTapText), colors::kCroppedTapText.a / 255.f);
  src.solid.push_back(cropped_text);
  // The equivalent view's legend: the inserted-zero swatch (its ground is the map's zero).
  for (Rgb c : {opaque(colors::kInsertedZeroSwatch), opaque(colors::kInsertedZeroSwatchDot),
                opaque(colors::kInsertedZeroSwatchFrame)})
    src.solid.push_back(c);
  // A dilated window's taps: kDilatedTap is the window ink made see-through, over
  // the light cells it mostly crosses (the map's zero, inserted zeros, blank, margin).
  const float dilated_alpha = colors::kDilatedTap.a / 255.f;
  for (Rgb ground : {map_at(0.0f), zero_ground, blank, margin}) src.solid.push_back(blend(ground, window, dilated_alpha));
  // The cells a dilated window reads (kDilatedTapTint) and skips (kDilationGapWash,
  // crossed in kDilationGapMark), over the map at eighths of its range.
  const Rgb tint = opaque(colors::kDilatedTapTint), wash = opaque(colors::kDilationGapWash),
            gap_mark = opaque(colors::kDilationGapMark);
  const float tint_alpha = colors::kDilatedTapTint.a / 255.f, wash_alpha = colors::kDilationGapWash.a / 255.f,
              mark_alpha = colors::kDilationGapMark.a / 255.f;
  for (int i = 0; i <= 8; ++i) {
    const Rgb cell = map_at(-1.0f + static_cast<float>(i) / 4);
    src.solid.push_back(blend(cell, tint, tint_alpha));
    src.solid.push_back(blend(blend(cell, wash, wash_alpha), gap_mark, mark_alpha));
    src.solid.push_back(blend(cell, wash, wash_alpha));
  }

  // Anti-aliased text and lines: each ink over the grounds it is drawn on;
  // text over the page and over the strongest cells gets the fine ramps.
  src.ramps.push_back({text, background, true});
  src.ramps.push_back({muted, background, true});
  src.ramps.push_back({white, map_at(1.0f), true});
  src.ramps.push_back({white, map_at(-1.0f), true});
  for (Rgb ink : {frame, window, highlight}) src.ramps.push_back({ink, background});
  for (float t : {0.0f, 0.25f, -0.25f, 0.5f, -0.5f}) src.ramps.push_back({text, map_at(t)});
  for (float t : {0.75f, -0.75f}) src.ramps.push_back({white, map_at(t)});
  src.ramps.push_back({text, blank});
  src.ramps.push_back({window, blank});
  src.ramps.push_back({highlight, window});
  // Values under a tap's tint and under a skipped cell's wash.
  src.ramps.push_back({blend(text, tint, tint_alpha), blend(map_at(0.0f), tint, tint_alpha)});
  src.ramps.push_back({blend(text, wash, wash_alpha), blend(map_at(0.0f), wash, wash_alpha)});
  for (float t : {1.0f, -1.0f}) src.ramps.push_back({window, map_at(t)});
  return src;
}

const Palette& canvas_palette() {
  static const Palette palette = [] {
    const PaletteSources src = canvas_palette_sources();
    return Palette::build(src.solid, src.ramps);
  }();
  return palette;
}

}  // namespace exporter
