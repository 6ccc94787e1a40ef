// canvas_damage.h — which parts of the canvas differ from the last frame drawn,
// so that a frame can redraw and read back only those (the exporter: a play
// changes ~3 % of the pixels from one frame to the next).
//
//   render::DamageTracker damage;
//   std::vector<render::PixelRect> rects = damage.update(draw_data, grid_draws, w, h);
//   // rects empty: the frame equals the last one; rects == {whole canvas}: first frame, resize, invalidate()
//
// What a frame draws is a clear, then the grid quads (GL, each clipped to its
// band), then ImGui's triangles (each clipped by its command's clip rect).
// Every pixel follows from those alone, so two frames differ only where
//   - a triangle (3 vertices: position, uv, colour; its clip rect and texture)
//     is in one frame and not in the other: its clipped bounding box; the
//     comparison is of multisets, so text that moves in the draw list keeps
//     its place on the canvas and costs nothing;
//   - a grid draw differs (place, size, colour range, band): the grid in both
//     places; or its texels changed: the changed cells' rectangle.
// The rectangles found are merged into a few clusters (near boxes into one),
// each redrawn in full by the caller, in canvas pixels (origin top-left).
// The tracker never looks at pixels and knows no GL; it assumes the frames go
// into the same framebuffer and nothing else draws there in between
// (invalidate() after anything else did).
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

struct ImDrawData;

namespace render {

// Half-open pixel rectangle [x0, x1) × [y0, y1), origin top-left.
struct PixelRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  bool empty() const { return x1 <= x0 || y1 <= y0; }
  int64_t area() const { return empty() ? 0 : int64_t{x1 - x0} * (y1 - y0); }
  bool operator==(const PixelRect& o) const { return x0 == o.x0 && y0 == o.y0 && x1 == o.x1 && y1 == o.y1; }
};
PixelRect united(const PixelRect& a, const PixelRect& b);
PixelRect intersected(const PixelRect& a, const PixelRect& b);

// The pixels glScissor(x, y, w, h) lets through, as ImGui's OpenGL3 backend
// computes them from a float rectangle (origin top-left): truncating each
// coordinate as the backend does, so an intersection made here clips exactly
// like the original box.
PixelRect scissor_pixels(float x0, float y0, float x1, float y1, int canvas_h);

// One grid quad of a frame, as the tracker compares it.
struct GridDrawSig {
  unsigned texture = 0;
  float x = 0, y = 0, w = 0, h = 0, inv_range = 0, scale = 0;
  int cols = 0, rows = 0;
  PixelRect band;         // the scissor it is drawn with
  uint64_t version = 0;   // bumped by each upload that changed texels
  PixelRect changed_cells;  // texels (x = column) changed by the upload that made `version`
};

class DamageTracker {
 public:
  // The regions where this frame differs from the previous update()'s frame.
  // `draw_data` is read before any clipping of the caller's.
  const std::vector<PixelRect>& update(const ImDrawData& draw_data, const std::vector<GridDrawSig>& grids, int w,
                                       int h);
  // The next update() reports the whole canvas.
  void invalidate() { valid_ = false; }

  // At most this many rectangles come out; more are merged (each costs a
  // render pass of the caller's).
  static constexpr size_t kMaxRects = 4;

 private:
  struct Tri {
    uint64_t hash;
    PixelRect box;
    bool operator<(const Tri& o) const { return hash < o.hash; }
  };
  void collect_triangles(const ImDrawData& dd, int h);

  bool valid_ = false;
  int w_ = 0, h_ = 0;
  std::vector<Tri> tris_, prev_tris_;  // sorted by hash
  std::vector<GridDrawSig> prev_grids_;
  std::vector<PixelRect> boxes_, rects_;
};

// Merges boxes into at most `max_rects` rectangles covering all of them:
// boxes whose union costs little more than they do apart become one.
std::vector<PixelRect> cluster_boxes(std::vector<PixelRect> boxes, size_t max_rects);

}  // namespace render
