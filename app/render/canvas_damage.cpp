#include "app/render/canvas_damage.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace render {

PixelRect united(const PixelRect& a, const PixelRect& b) {
  if (a.empty()) return b;
  if (b.empty()) return a;
  return {std::min(a.x0, b.x0), std::min(a.y0, b.y0), std::max(a.x1, b.x1), std::max(a.y1, b.y1)};
}

PixelRect intersected(const PixelRect& a, const PixelRect& b) {
  PixelRect r{std::max(a.x0, b.x0), std::max(a.y0, b.y0), std::min(a.x1, b.x1), std::min(a.y1, b.y1)};
  return r.empty() ? PixelRect{} : r;
}

PixelRect scissor_pixels(float x0, float y0, float x1, float y1, int canvas_h) {
  // imgui_impl_opengl3.cpp: glScissor((int)x0, (int)(fb_h − y1), (int)(x1 − x0), (int)(y1 − y0)).
  if (x1 <= x0 || y1 <= y0) return {};
  const int gl_x = static_cast<int>(x0), gl_w = static_cast<int>(x1 - x0);
  const int gl_y = static_cast<int>(static_cast<float>(canvas_h) - y1), gl_h = static_cast<int>(y1 - y0);
  const PixelRect r{gl_x, canvas_h - gl_y - gl_h, gl_x + gl_w, canvas_h - gl_y};
  return r.empty() ? PixelRect{} : r;
}

namespace {

// Boxes this much apart (in pixels of area) are still worth one rectangle:
// a render pass and a read-back cost more than redrawing a few extra pixels.
constexpr int64_t kMergeSlack = 64 * 64;

uint64_t mix(uint64_t h, uint64_t v) {
  h ^= v + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
  return h * 0xFF51AFD7ED558CCDull;
}

uint64_t mix_bytes(uint64_t h, const void* p, size_t n) {
  const unsigned char* b = static_cast<const unsigned char*>(p);
  for (; n >= 8; n -= 8, b += 8) {
    uint64_t v;
    std::memcpy(&v, b, 8);
    h = mix(h, v);
  }
  uint64_t tail = 0;
  std::memcpy(&tail, b, n);
  return mix(h, tail ^ n);
}

// The pixels a quad of floats can touch: its bounding box widened to whole pixels, one more each side.
PixelRect covering(float x0, float y0, float x1, float y1) {
  return {static_cast<int>(std::floor(x0)) - 1, static_cast<int>(std::floor(y0)) - 1,
          static_cast<int>(std::ceil(x1)) + 1, static_cast<int>(std::ceil(y1)) + 1};
}

PixelRect grid_box(const GridDrawSig& g, const PixelRect& canvas) {
  return intersected(intersected(covering(g.x, g.y, g.x + g.w, g.y + g.h), g.band), canvas);
}

PixelRect cells_box(const GridDrawSig& g, const PixelRect& cells, const PixelRect& canvas) {
  if (cells.empty() || g.cols <= 0 || g.rows <= 0) return {};
  const float cw = g.w / static_cast<float>(g.cols), ch = g.h / static_cast<float>(g.rows);
  // grid.frag clamps pixels past the last cell into it: the last column or row reaches the quad's edge.
  const float x1 = cells.x1 >= g.cols ? g.x + g.w : g.x + static_cast<float>(cells.x1) * cw;
  const float y1 = cells.y1 >= g.rows ? g.y + g.h : g.y + static_cast<float>(cells.y1) * ch;
  const PixelRect px = covering(g.x + static_cast<float>(cells.x0) * cw, g.y + static_cast<float>(cells.y0) * ch, x1, y1);
  return intersected(intersected(px, g.band), canvas);
}

bool same_placement(const GridDrawSig& a, const GridDrawSig& b) {
  return a.texture == b.texture && a.x == b.x && a.y == b.y && a.w == b.w && a.h == b.h && a.inv_range == b.inv_range &&
         a.scale == b.scale && a.cols == b.cols && a.rows == b.rows && a.band == b.band;
}

}  // namespace

void DamageTracker::collect_triangles(const ImDrawData& dd, int h) {
  tris_.clear();
  const PixelRect canvas{0, 0, w_, h_};
  for (int l = 0; l < dd.CmdListsCount; ++l) {
    const ImDrawList& list = *dd.CmdLists[l];
    for (const ImDrawCmd& cmd : list.CmdBuffer) {
      if (cmd.UserCallback) {  // never drawn by the canvas; if it were, nothing here could tell what it draws
        valid_ = false;
        continue;
      }
      const PixelRect clip = intersected(
          scissor_pixels(cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w, h), canvas);
      uint64_t base = mix_bytes(0, &cmd.ClipRect, sizeof cmd.ClipRect);
      const uintptr_t tex = reinterpret_cast<uintptr_t>(cmd.TextureId);
      base = mix(base, tex);
      const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned i = 0; i + 2 < cmd.ElemCount; i += 3) {
        uint64_t hsh = base;
        float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
        for (unsigned k = 0; k < 3; ++k) {
          const ImDrawVert& v = vtx[idx[i + k]];
          hsh = mix_bytes(hsh, &v, sizeof v);
          x0 = std::min(x0, v.pos.x), y0 = std::min(y0, v.pos.y);
          x1 = std::max(x1, v.pos.x), y1 = std::max(y1, v.pos.y);
        }
        tris_.push_back({hsh, intersected(covering(x0, y0, x1, y1), clip)});
      }
    }
  }
  std::sort(tris_.begin(), tris_.end());
}

const std::vector<PixelRect>& DamageTracker::update(const ImDrawData& dd, const std::vector<GridDrawSig>& grids,
                                                    int w, int h) {
  const bool comparable = valid_ && w == w_ && h == h_;
  w_ = w, h_ = h;
  valid_ = true;
  collect_triangles(dd, h);  // may clear valid_ (for the next frame)
  const PixelRect canvas{0, 0, w, h};
  rects_.clear();
  if (!comparable) {
    rects_.push_back(canvas);
  } else {
    boxes_.clear();
    // Triangles in one frame and not the other (both lists sorted by hash).
    size_t a = 0, b = 0;
    while (a < tris_.size() || b < prev_tris_.size()) {
      if (b == prev_tris_.size() || (a < tris_.size() && tris_[a].hash < prev_tris_[b].hash)) {
        boxes_.push_back(tris_[a++].box);
      } else if (a == tris_.size() || prev_tris_[b].hash < tris_[a].hash) {
        boxes_.push_back(prev_tris_[b++].box);
      } else {
        ++a, ++b;
      }
    }
    for (size_t i = 0; i < std::max(grids.size(), prev_grids_.size()); ++i) {
      if (i >= grids.size()) {
        boxes_.push_back(grid_box(prev_grids_[i], canvas));
      } else if (i >= prev_grids_.size()) {
        boxes_.push_back(grid_box(grids[i], canvas));
      } else if (!same_placement(grids[i], prev_grids_[i])) {
        boxes_.push_back(grid_box(prev_grids_[i], canvas));
        boxes_.push_back(grid_box(grids[i], canvas));
      } else if (grids[i].version == prev_grids_[i].version + 1) {
        boxes_.push_back(cells_box(grids[i], grids[i].changed_cells, canvas));
      } else if (grids[i].version != prev_grids_[i].version) {
        boxes_.push_back(grid_box(grids[i], canvas));
      }
    }
    rects_ = cluster_boxes(boxes_, kMaxRects);
  }
  std::swap(tris_, prev_tris_);
  prev_grids_ = grids;
  return rects_;
}

std::vector<PixelRect> cluster_boxes(std::vector<PixelRect> boxes, size_t max_rects) {
  boxes.erase(std::remove_if(boxes.begin(), boxes.end(), [](const PixelRect& r) { return r.empty(); }), boxes.end());
  std::sort(boxes.begin(), boxes.end(),
            [](const PixelRect& a, const PixelRect& b) { return a.y0 != b.y0 ? a.y0 < b.y0 : a.x0 < b.x0; });
  auto cheap_union = [](const PixelRect& a, const PixelRect& b) {
    return united(a, b).area() <= a.area() + b.area() + kMergeSlack;
  };
  std::vector<PixelRect> out;
  for (const PixelRect& b : boxes) {
    auto it = std::find_if(out.begin(), out.end(), [&](const PixelRect& c) { return cheap_union(c, b); });
    if (it == out.end()) out.push_back(b);
    else *it = united(*it, b);
  }
  // Clusters that grew into each other, then the cheapest pairs until few enough remain.
  for (bool merged = true; merged;) {
    merged = false;
    for (size_t i = 0; i < out.size() && !merged; ++i)
      for (size_t j = i + 1; j < out.size() && !merged; ++j)
        if (cheap_union(out[i], out[j]) || out.size() > std::max<size_t>(max_rects, 1)) {
          if (out.size() > max_rects && !cheap_union(out[i], out[j])) {
            // Too many: merge the pair whose union adds the least.
            size_t bi = 0, bj = 1;
            int64_t best = INT64_MAX;
            for (size_t p = 0; p < out.size(); ++p)
              for (size_t q = p + 1; q < out.size(); ++q) {
                const int64_t extra = united(out[p], out[q]).area() - out[p].area() - out[q].area();
                if (extra < best) best = extra, bi = p, bj = q;
              }
            i = bi, j = bj;
          }
          out[i] = united(out[i], out[j]);
          out.erase(out.begin() + static_cast<std::ptrdiff_t>(j));
          merged = true;
        }
  }
  return out;
}

}  // namespace render
