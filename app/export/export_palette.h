// export_palette.h — the GIF palette of every export, built once from the
// canvas colours (the renderer's colour table) and their anti-aliasing ramps.
//
//   const exporter::Palette& pal = exporter::canvas_palette();   // thread-safe, built on first use
//
// Solid entries: every UI colour of the canvas and the diverging colour map
// sampled finely; ramps: each text/line colour over each background it is
// drawn on (what anti-aliased glyph edges blend between).
#pragma once

#include <vector>

#include "app/export/palette.h"

namespace exporter {

struct PaletteSources {
  std::vector<Rgb> solid;
  std::vector<Palette::Ramp> ramps;
};

// The colours the canvas draws with (see the definition for where they come from).
PaletteSources canvas_palette_sources();
const Palette& canvas_palette();

}  // namespace exporter
