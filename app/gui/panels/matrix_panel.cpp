// matrix_panel.cpp — the Conv2D as a sparse matrix C (C·x = conv(x)); the
// Conv2DTranspose with the same kernel is Cᵀ. The row and column of the
// current step are highlighted.
#include <imgui.h>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "app/render/grid_renderer.h"
#include "core/views.h"

namespace gui {

namespace {

// An entry's colour: the canvas's colour map at ±1, so that C's signs read like
// the grids' strongest cells (and follow the map if it ever changes).
ImU32 map_end(float t) {
  float rgb[3];
  render::diverging_rgb(t, rgb);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(rgb[0], rgb[1], rgb[2], 1.0f));
}

}  // namespace

void draw_matrix_panel(App& app) {
  // Placed by the window in its side column (App::place_tool_window): never over the controls or the canvas.
  if (!ImGui::Begin("Conv matrix", &app.state.view.matrix, kToolWindow)) {
    ImGui::End();
    return;
  }
  const model::Pane& p = app.state.focused_pane();
  const bool conv = p.scenario().spec.op == core::Op::conv2d;
  const int64_t in_cells = p.scenario().input.size();
  const int64_t out_cells = p.geometry().out_h() * p.geometry().out_w() * p.geometry().out_channels;
  if (!conv) {
    ImGui::TextWrapped("A Conv2DTranspose multiplies by Cᵀ, where C is the matrix of the Conv2D with the same kernel, "
                       "strides and padding (rows: the transpose's input cells; columns: its output cells).");
  } else if (in_cells * out_cells > 256 * 256) {
    ImGui::TextWrapped("C is %lld × %lld: too big to draw.", static_cast<long long>(out_cells), static_cast<long long>(in_cells));
  } else {
    const core::ConvMatrix m = core::conv_matrix(p.scenario());
    core::MatrixPosition at;
    if (p.cursor() >= 0) {
      const core::Step st = p.trace().step(p.cursor());
      if (st.kind == core::StepKind::mac) at = core::matrix_position(p.trace(), st);
    }
    ImGui::Text("C: %lld rows (output cells) × %lld columns (input cells), %zu non-zeros", static_cast<long long>(m.rows),
                static_cast<long long>(m.cols), m.entries.size());
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float cell = std::max(2.0f, std::min(avail.x / static_cast<float>(m.cols), avail.y / static_cast<float>(m.rows)));
    const ImVec2 o = ImGui::GetCursorScreenPos();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(o, ImVec2(o.x + cell * static_cast<float>(m.cols), o.y + cell * static_cast<float>(m.rows)),
                      IM_COL32(250, 250, 250, 255));
    if (at.row >= 0)
      dl->AddRectFilled(ImVec2(o.x, o.y + cell * static_cast<float>(at.row)),
                        ImVec2(o.x + cell * static_cast<float>(m.cols), o.y + cell * static_cast<float>(at.row + 1)),
                        IM_COL32(255, 220, 0, 90));
    if (at.col >= 0)
      dl->AddRectFilled(ImVec2(o.x + cell * static_cast<float>(at.col), o.y),
                        ImVec2(o.x + cell * static_cast<float>(at.col + 1), o.y + cell * static_cast<float>(m.rows)),
                        IM_COL32(255, 220, 0, 90));
    for (const core::SparseEntry& e : m.entries) {
      const ImVec2 a(o.x + cell * static_cast<float>(e.col), o.y + cell * static_cast<float>(e.row));
      const ImU32 col = map_end(e.value >= 0 ? 1.0f : -1.0f);
      dl->AddRectFilled(ImVec2(a.x + 0.5f, a.y + 0.5f), ImVec2(a.x + cell - 0.5f, a.y + cell - 0.5f), col);
    }
    ImGui::Dummy(ImVec2(cell * static_cast<float>(m.cols), cell * static_cast<float>(m.rows)));
  }
  ImGui::End();
}

}  // namespace gui
