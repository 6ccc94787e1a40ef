#include "app/export/palette.h"

#include <algorithm>
#include <cmath>

namespace exporter {

Rgb blend(Rgb a, Rgb b, float t) {
  auto mix = [t](uint8_t x, uint8_t y) {
    return static_cast<uint8_t>(std::lround(static_cast<float>(x) * (1.0f - t) + static_cast<float>(y) * t));
  };
  return {mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b)};
}

namespace {

// "Redmean" weighted distance: cheap and much closer to perceived difference
// than plain RGB distance, which matters for the dark ramps of text.
int distance(int r1, int g1, int b1, const Rgb& c) {
  const int rm = (r1 + c.r) / 2;
  const int dr = r1 - c.r, dg = g1 - c.g, db = b1 - c.b;
  return (((512 + rm) * dr * dr) >> 8) + 4 * dg * dg + (((767 - rm) * db * db) >> 8);
}

}  // namespace

// Blocks of index + 1 for 256 blue levels, one per red-green pair, made on first use.
struct Palette::Cache {
  using Block = std::atomic<uint8_t>[256];
  std::unique_ptr<std::atomic<Block*>[]> blocks{new std::atomic<Block*>[size_t{1} << 16]()};
  ~Cache() {
    for (size_t i = 0; i < (size_t{1} << 16); ++i) delete[] blocks[i].load(std::memory_order_relaxed);
  }
  std::atomic<uint8_t>& slot(uint8_t r, uint8_t g, uint8_t b) {
    std::atomic<Block*>& at = blocks[static_cast<size_t>(r) << 8 | g];
    Block* block = at.load(std::memory_order_acquire);
    if (!block) {
      Block* fresh = new Block[1]();
      // Another thread may have made it first: then its block is used and ours freed.
      if (at.compare_exchange_strong(block, fresh, std::memory_order_acq_rel)) block = fresh;
      else delete[] fresh;
    }
    return (*block)[b];
  }
};

Palette Palette::build(const std::vector<Rgb>& solid, const std::vector<Ramp>& ramps) {
  Palette p;
  auto add = [&p](Rgb c) {
    if (p.used_ >= kTransparent) return;
    if (std::find(p.colours_.begin(), p.colours_.end(), c) != p.colours_.end()) return;
    p.colours_.push_back(c);
    ++p.used_;
  };
  for (const Rgb& c : solid) add(c);
  // Sixteenths in bisection order: when room runs out, every ramp still has
  // its most distinct levels. Coarse ramps stop after the eighths.
  const int order[15] = {8, 4, 12, 2, 6, 10, 14, 1, 3, 5, 7, 9, 11, 13, 15};
  for (int i = 0; i < 15; ++i)
    for (const Ramp& r : ramps)
      if (r.fine || i < 7) add(blend(r.bg, r.fg, static_cast<float>(order[i]) / 16));
  p.colours_.resize(kSize, Rgb{0, 0, 0});

  p.cache_ = std::make_shared<Cache>();
  return p;
}

uint8_t Palette::nearest(int r, int g, int b) const {
  int best = 0, best_d = distance(r, g, b, colours_[0]);
  for (int i = 1; i < used_ && best_d > 0; ++i) {
    const int d = distance(r, g, b, colours_[static_cast<size_t>(i)]);
    if (d < best_d) best_d = d, best = i;
  }
  return static_cast<uint8_t>(best);
}

uint8_t Palette::index_of(uint8_t r, uint8_t g, uint8_t b) const {
  std::atomic<uint8_t>& slot = cache_->slot(r, g, b);
  uint8_t v = slot.load(std::memory_order_relaxed);
  if (v == 0) {
    v = static_cast<uint8_t>(nearest(r, g, b) + 1);
    slot.store(v, std::memory_order_relaxed);
  }
  return static_cast<uint8_t>(v - 1);
}

void Palette::map(const uint8_t* rgba, size_t pixels, uint8_t* indices) const {
  // Canvases are mostly runs of one colour: compare with the previous pixel first.
  uint32_t last = 0;
  uint8_t last_index = 0;
  bool have_last = false;
  for (size_t i = 0; i < pixels; ++i, rgba += 4) {
    const uint32_t px = static_cast<uint32_t>(rgba[0]) << 16 | static_cast<uint32_t>(rgba[1]) << 8 | rgba[2];
    if (!have_last || px != last) {
      last = px;
      last_index = index_of(rgba[0], rgba[1], rgba[2]);
      have_last = true;
    }
    indices[i] = last_index;
  }
}

}  // namespace exporter
