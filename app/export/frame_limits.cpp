#include "app/export/frame_limits.h"

#include "core/errors.h"

namespace exporter {

void check_frame_size(render::Size size) {
  const int64_t pixels = int64_t{size.w} * size.h;
  if (size.w > kMaxFrameSide || size.h > kMaxFrameSide || pixels > kMaxFramePixels)
    core::fail(core::ErrorCode::frame_too_large, size.w, size.h, kMaxFrameSide, kMaxFramePixels >> 20);
}

void check_canvas_cells(int64_t cells) {
  if (cells > kMaxCanvasCells) core::fail(core::ErrorCode::canvas_too_large, cells, kMaxCanvasCells);
}

}  // namespace exporter
