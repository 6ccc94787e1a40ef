// frame_limits.h — the largest frame an export renders, so that one frame's
// memory (and the time it holds the window's UI thread) stays bounded.
//
//   exporter::check_frame_size({w, h});        // throws core::Error(frame_too_large)
//   exporter::check_canvas_cells(cells);       // throws core::Error(canvas_too_large)
//
// Every frame size goes through check_frame_size: --size, the renderer's
// preferred size at --scale (which grows with the grids: up to 4096 px a side
// per unit of scale), and the Export panel's settings. At the limit a frame is
// 128 MiB of RGBA; an export holds a few of them (the framebuffer, the frame
// being encoded, the frames queued for it, the GIF's previous frame): about
// 0.8 GB at most (measured: 780 MB for a GIF of 8192×4096 frames), and 0.3–1 s
// to render and read back on llvmpipe.
//
// check_canvas_cells bounds what the renderer allocates for the grids themselves
// (a texel per drawn cell, padding and crop margins included, its GL copy, and
// the output's tensors: ~25 bytes a cell in all; measured at the limit, a 1×1
// input padded by 2800 on each side: 1.6 GB and 25 s for one PNG): a PyTorch
// conv with padding 20 000 would lay out 1.6·10⁹ cells. The largest inputs
// the core accepts fit with their outputs (4096×4096, 'same': 3.4·10⁷ cells).
#pragma once

#include <cstdint>

#include "app/render/canvas_renderer.h"

namespace exporter {

constexpr int kMaxFrameSide = 8192;                         // pixels, width and height
constexpr int64_t kMaxFramePixels = int64_t{32} << 20;      // 32 megapixels (8192×4096, 5792²)
constexpr int64_t kMaxCanvasCells = int64_t{1} << 26;       // 67 M cells of grids
// Frames waiting for the encoder: at most 3, and at most this many bytes.
constexpr int64_t kInFlightBytes = int64_t{256} << 20;

void check_frame_size(render::Size size);
void check_canvas_cells(int64_t cells);

}  // namespace exporter
