#include "app/model/window_layout.h"

#include <algorithm>
#include <cmath>

namespace model {

WindowLayout window_layout(float width, float height, float top, float s, const ViewOptions& v, bool side_open) {
  WindowLayout l;
  const float W = width, H = height - top;
  // The canvas gets what the panels leave; on small windows they give way first.
  const float left = v.controls ? std::floor(std::clamp(W * 0.27f, std::min(280.0f * s, W * 0.35f), 340.0f * s)) : 0.0f;
  const float right = side_open ? std::floor(std::clamp(W * 0.26f, std::min(300.0f * s, W * 0.3f), 440.0f * s)) : 0.0f;
  const float timeline_h = v.timeline ? std::floor(74.0f * s) : 0.0f;
  const float details_h = (v.arithmetic || v.formula) ? std::floor(std::min(150.0f * s, H * 0.17f)) : 0.0f;
  const float middle = W - left - right;
  const float canvas_h = H - timeline_h - details_h;
  if (v.controls) l.controls = {0, top, left, H};
  l.canvas = {left, top, middle, canvas_h};
  if (v.timeline) l.timeline = {left, top + canvas_h, middle, timeline_h};
  const float details_y = top + canvas_h + timeline_h;
  const bool both = v.arithmetic && v.formula;
  const float half = std::floor(middle / 2);
  if (v.arithmetic) l.arithmetic = {left, details_y, both ? half : middle, details_h};
  if (v.formula) l.formula = {left + (both ? half : 0), details_y, both ? middle - half : middle, details_h};
  if (side_open) l.side = {left + middle, top, right, H};
  return l;
}

}  // namespace model
