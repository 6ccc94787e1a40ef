// palette.h — the fixed 256-colour GIF palette of an export and its fast
// RGBA → index mapping.
//
//   exporter::Palette pal = exporter::Palette::build({solid colours...}, {{text, background}...});
//   pal.map(rgba, pixels, indices);   // nearest palette colour of every pixel
//
// Why fixed: anti-aliased text produces thousands of colours per frame, but they
// all lie on the blend between a text colour and the background it sits on. A
// palette of the app's own colours plus those blend ramps keeps text crisp and
// colours faithful, costs no per-frame quantisation, and keeps frames
// comparable (unchanged pixels keep their index, so the changed rectangle is small).
//
// Mapping: the nearest entry (redmean-weighted RGB distance) of each exact
// 24-bit colour, computed on first sight and cached, shared by all threads; a
// pixel equal to its left neighbour reuses its index. The cache is made as
// colours are seen: a block of 256 blue levels per red-green pair (a canvas
// sees a few hundred pairs: ~100 KiB, instead of zero-filling a 16 MiB table
// at start-up, which cost more than all the lookups of a gallery). A
// 5-5-5 table (32 KiB) was measured first and rejected: the canvas background
// #F0F1F3, the colour map's zero #F7F7F7 and the blank cell #FBFBFB share one
// 5-5-5 bucket, so 10 % of a frame's pixels came out as a neighbour's colour.
// Solid colours therefore always map to themselves.
#pragma once

#include <cstddef>
#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

namespace exporter {

struct Rgb {
  uint8_t r = 0, g = 0, b = 0;
  bool operator==(const Rgb& o) const { return r == o.r && g == o.g && b == o.b; }
  bool operator!=(const Rgb& o) const { return !(*this == o); }
};

// a·(1 − t) + b·t, rounded.
Rgb blend(Rgb a, Rgb b, float t);

class Palette {
 public:
  static constexpr int kSize = 256;
  // The last entry is never a colour: GIF frames use it as "transparent" for
  // pixels that did not change (they show the previous frame through).
  static constexpr uint8_t kTransparent = 255;
  // A blend ramp: what anti-aliased edges of `fg` drawn over `bg` produce.
  struct Ramp {
    Rgb fg, bg;
    bool fine = false;  // 15 levels (text over its usual grounds) instead of 7
  };

  // `solid` colours come first and are kept exactly (up to 255); then the ramps'
  // levels strictly between their ends, coarse levels of every ramp before the
  // finer ones, as long as room remains. Duplicates are dropped. Unused entries
  // are black. Index kTransparent is never chosen by map().
  static Palette build(const std::vector<Rgb>& solid, const std::vector<Ramp>& ramps);

  const std::vector<Rgb>& colours() const { return colours_; }  // always kSize entries
  int used() const { return used_; }                             // distinct colours placed

  uint8_t index_of(uint8_t r, uint8_t g, uint8_t b) const;
  // RGBA (4 bytes a pixel, alpha ignored) → indices. Thread-safe.
  void map(const uint8_t* rgba, size_t pixels, uint8_t* indices) const;

 private:
  uint8_t nearest(int r, int g, int b) const;

  std::vector<Rgb> colours_;
  int used_ = 0;
  // index + 1 per 24-bit colour, 0 = not computed yet. Relaxed atomics: two
  // threads racing on a colour store the same value.
  struct Cache;
  std::shared_ptr<Cache> cache_;
};

}  // namespace exporter
