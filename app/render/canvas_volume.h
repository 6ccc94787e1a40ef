// canvas_volume.h — a pane drawn as volumes (Pane::volume_view) or with all
// its channel slices side by side (Pane::all_channels).
//
// Internal to the renderer: CanvasRenderer::Impl::draw_pane hands a pane in
// either mode to draw_volume() after laying out its header and text block;
// volume_layout.h places the stacks. Every slice is a GridRenderer texture
// (one quad each, drawn back to front, so a 64×64×8 volume costs a few dozen
// quads); the overlays — frames of the visible edges, group bands, labels,
// numbers on readable slices, the lit voxels of the current step, the
// channel-sum breakdown (model/channel_sum.h) — are ImGui draw-list shapes on
// top, like the slice view's. What was drawn goes into CanvasLayout::slices,
// ::lit and ::texts (the tests and --dump-state read them).
#pragma once

#include <imgui.h>

#include <memory>
#include <vector>

#include "app/render/canvas_layout.h"
#include "app/render/canvas_pane.h"
#include "app/render/grid_renderer.h"

namespace render {

// The slice textures of one pane, re-uploaded only when what they show changes.
struct VolumeCache {
  std::shared_ptr<const core::Scenario> in_scenario, k_scenario;
  std::vector<GridRenderer::Grid> input, kernel;  // kernel: filter-major, C_in/g slices each
  std::shared_ptr<const core::Trace> out_trace;
  int64_t out_cursor = -2;
  const core::Tensor* out_partial = nullptr;
  std::vector<GridRenderer::Grid> output;
};

struct VolumeDraw {
  ImDrawList* dl;
  const GridRenderer& grids;
  const CanvasText& text;
  const CanvasOptions& o;
  const model::Pane& p;
  const Shape& sh;
  const Metrics& m;
  const PaneLayout& lay;
  const core::Tensor* partial;  // the output after the cursor; null while not computed
  const std::string& output_note;
  const ColourRanges& ranges;
  const WidestValues& widest;
  int index;
};

// Draws the band of pane `d.index` (GL slices now, overlays into d.dl) and
// records it in `out`. Returns the band's content box (x, y, w, h).
std::array<float, 4> draw_volume(const VolumeDraw& d, VolumeCache& cache, std::vector<float>& texels,
                                 CanvasLayout& out);

// The band height the breakdown and groups lines take (pane layout reserves it inside the band).
float volume_breakdown_height(const CanvasText& text, const Metrics& m);

}  // namespace render
