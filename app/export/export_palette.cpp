#include "app/export/export_palette.h"

#include <cmath>

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

Rgb map_at(float t) {
  float rgb[3];
  render::diverging_rgb(t, rgb);
  return from_unit(rgb);
}

}  // namespace

PaletteSources canvas_palette_sources() {
  // The canvas colours. TODO(colors.h): these mirror the constants at the top
  // of app/render/canvas_renderer.cpp and the greys of shaders/grid.frag; point
  // them at a shared app/render/colors.h once the renderer exports one. The
  // palette test (tests/export/test_headless_export.cpp) renders real frames
  // and fails if the canvas starts using colours this table does not cover.
  const Rgb background{240, 241, 243}, text{25, 25, 28}, muted{95, 99, 108}, frame{60, 62, 68}, window{20, 20, 24},
      highlight{255, 200, 0}, error{200, 30, 30}, separator{205, 207, 212}, white{255, 255, 255},
      swatch{219, 219, 219}, swatch_hatch{150, 150, 150}, cropped_line{120, 120, 130};
  // grid.frag: padding hatch (0.70 / 0.86), inserted zero (0.55 dot on 0.97),
  // not yet computed (0.985), crop margin (0.93); borders mix 45 % (margin 15 %) of 0.25 grey.
  const Rgb border = grey(0.25f), hatch_a = grey(0.70f), hatch_b = grey(0.86f), dot = grey(0.55f),
            zero_ground = grey(0.97f), blank = grey(0.985f), margin = grey(0.93f);

  PaletteSources src;
  for (Rgb c : {background, text, muted, frame, window, highlight, error, separator, white, swatch, swatch_hatch,
                cropped_line, hatch_a, hatch_b, dot, zero_ground, blank, margin, border})
    src.solid.push_back(c);
  for (Rgb c : {hatch_a, hatch_b, zero_ground, blank, dot}) src.solid.push_back(blend(c, border, 0.45f));
  src.solid.push_back(blend(margin, border, 0.15f));

  // The diverging colour map (render::diverging_rgb, the same as grid.frag),
  // 4 samples per segment of its 9-colour scheme (t in 16ths: values at a
  // quarter, half … of the grid's max land exactly), then cells with their
  // border, and the faded cropped taps of a transpose (alpha 110 over the margin).
  const int kSamples = 32;
  for (int i = 0; i <= kSamples; ++i) src.solid.push_back(map_at(-1.0f + 2.0f * static_cast<float>(i) / kSamples));
  for (int i = 0; i <= 8; ++i) src.solid.push_back(blend(map_at(-1.0f + static_cast<float>(i) / 4), border, 0.45f));
  for (int i = 0; i <= 4; ++i) src.solid.push_back(blend(margin, map_at(-1.0f + static_cast<float>(i) / 2), 110.f / 255));

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
