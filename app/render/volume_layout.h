// volume_layout.h — where the volume view puts its stacks of slices.
//
// Internal to the renderer (canvas_volume.cpp draws what this places). A pane
// in its volume view (model::Pane::volume_view) shows the input H×W×C as C
// slices stacked in a cabinet projection — slice i drawn i·depth px right of
// and above slice 0, the front — each filter as a stack of its kh×kw×C_in/g
// weights (depthwise: one kh×kw slice per filter), the output as F slices.
// The slice that holds the current step is also drawn pulled out above its
// stack, big enough for its numbers: values are readable on the front slices
// and the pulled-out copies, the other slices show colour only.
//
// The slice view's "all channels" (Pane::all_channels) is the same picture
// exploded: the input's channel slices side by side on one line, the current
// filter's weight slices and its output slice on the next, every slice readable.
//
// Like canvas_layout.h, everything here depends on shapes, options and sizes —
// never on the cursor or the values — so every frame of an export agrees.
#pragma once

#include <cstdint>
#include <vector>

#include "app/render/canvas_layout.h"

namespace render {

// A stack of n slices of rows×cols cells. Slice i's top-left corner is
// (x + i·step_x, y + i·step_y): the volume view steps right and up by `depth`,
// the exploded view steps right by a slice and a gap.
struct SliceStack {
  float x = 0, y = 0;  // slice 0's top-left corner
  float cell = 0;
  int64_t rows = 0, cols = 0, row0 = 0, col0 = 0;  // drawn cells; tensor coordinate of the top-left one
  int64_t n = 0;
  float step_x = 0, step_y = 0;
  float slice_w() const { return cell * static_cast<float>(cols); }
  float slice_h() const { return cell * static_cast<float>(rows); }
  float slice_x(int64_t i) const { return x + step_x * static_cast<float>(i); }
  float slice_y(int64_t i) const { return y + step_y * static_cast<float>(i); }
  // The box around every slice.
  float left() const { return x; }
  float top() const { return step_y < 0 ? y + step_y * static_cast<float>(n - 1) : y; }
  float right() const { return slice_x(n - 1) + slice_w(); }
  float bottom() const { return (step_y > 0 ? slice_y(n - 1) : y) + slice_h(); }
};

struct VolumeLayout {
  bool exploded = false;  // the slice view's "all channels"
  SliceStack input;       // C slices (padding as the slice view shows it)
  SliceStack output;      // F slices (crop margins as the slice view shows them)
  // Volume: one stack per filter (n = C_in/g slices; 1 for depthwise), kcols
  // stacks a row. Exploded: one stack, the current filter's slices.
  std::vector<SliceStack> filters;
  int kcols = 1;
  // The pulled-out copies of the current slices (volume view only; n = 1).
  bool pulled = false;
  SliceStack input_pulled, kernel_pulled, output_pulled;
  float label_h = 0;      // one small line above each stack and pulled copy
  float breakdown_y = 0;  // the channel-sum breakdown and the groups line, under the stacks
  float breakdown_h = 0;
  float x = 0, y = 0, content_w = 0, content_h = 0;  // the whole picture (centred in the band)
};

// The volume (or exploded) picture of pane p in the band (bx, by, bw, bh),
// largest cells that fit. The breakdown gets `breakdown_h` px under the stacks.
VolumeLayout lay_out_volume(const model::Pane& p, const Shape& sh, const Metrics& m, float bx, float by, float bw,
                            float bh, float breakdown_h);

// Whether pane p can be drawn as volumes (or all channels): at most
// kMaxVolumeStack slices a stack, kMaxVolumeSlices slices and kMaxVolumeCells
// cells in all (each slice is a texture; a 512-channel grouped conv would ask
// for 262 144), and no grid over kMaxVolumeSide cells a side (a slice drawn
// in perspective needs a few pixels a cell to read; a 2001×2001 padded grid
// would ask for a frame over the export limit). A pane past them is drawn in
// its slice view.
constexpr int64_t kMaxVolumeStack = 64, kMaxVolumeSlices = 1024, kMaxVolumeCells = int64_t{1} << 23;
constexpr int64_t kMaxVolumeSide = 256;
bool volume_fits(const model::Pane& p, const Shape& sh);
// Pane p is shown as volumes or with all channels (asked for, and volume_fits).
bool shows_volume(const model::Pane& p, const CanvasOptions& o);

// The px a slice is drawn behind the one in front of it, for a stack of n slices.
float volume_depth(float cell, int64_t rows, int64_t cols, int64_t n, float content_scale);

// CanvasRenderer::preferred_size when a pane shows volumes or all its channels:
// such panes at cells up to the metrics' largest (shrunk to stay within
// 1600×1000 × scale, as natural_size does), the others at their natural
// size, side by side; at most 4096 × scale a side (frame_within_cap). `breakdown_h`: canvas_volume.h's volume_breakdown_height.
Size volume_canvas_size(const std::vector<const model::Pane*>& panes, const CanvasOptions& o, const CanvasText& text,
                        float breakdown_h);

}  // namespace render
