// matrix_panel.cpp — the focused pane as a sparse matrix: a convolution is C
// (C·x = conv(x), rows = output cells, columns = input cells); a transposed
// convolution is Cᵀ (Cᵀ·x = convT(x)), C being the matrix of the convolution
// it is the adjoint of. The row and column the current step uses are
// highlighted and move with the steps; each entry is one weight.
#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "app/render/grid_renderer.h"
#include "core/errors.h"
#include "core/format.h"
#include "core/views.h"

namespace gui {

namespace {

// An entry's colour: the canvas's colour map at ±1, so that the signs read like
// the grids' strongest cells (and follow the map if it ever changes).
ImU32 map_end(float t) {
  float rgb[3];
  render::diverging_rgb(t, rgb);
  return ImGui::ColorConvertFloat4ToU32(ImVec4(rgb[0], rgb[1], rgb[2], 1.0f));
}

// Cells drawn one by one: past this many the matrix is summarised, not drawn.
constexpr int64_t kMaxDrawnCells = 256 * 256;

}  // namespace

void draw_matrix_panel(App& app) {
  // Placed by the window in its side column (App::place_tool_window): never over the controls or the canvas.
  if (!ImGui::Begin("Conv matrix", &app.state.view.matrix, kToolWindow)) {
    ImGui::End();
    return;
  }
  const model::Pane& p = app.state.focused_pane();
  const bool transpose = core::is_transpose(p.scenario().spec.op);
  const int64_t in_cells = p.scenario().input.size();
  const int64_t out_cells = p.geometry().out_h() * p.geometry().out_w() * p.geometry().out_channels;
  ImGui::PushTextWrapPos(0.0f);
  if (transpose)
    ImGui::TextWrapped("Cᵀ: %lld rows (output cells) × %lld columns (input cells). A Conv2DTranspose multiplies by "
                       "the transpose of C, the matrix of the convolution with the same kernel that maps its output "
                       "shape back to its input shape. Each column is one input cell's stamp.",
                       static_cast<long long>(out_cells), static_cast<long long>(in_cells));
  else
    ImGui::TextWrapped("C: %lld rows (output cells) × %lld columns (input cells); C·x = conv(x). Each row is one "
                       "output cell's window.",
                       static_cast<long long>(out_cells), static_cast<long long>(in_cells));
  ImGui::PopTextWrapPos();
  if (in_cells * out_cells > kMaxDrawnCells) {
    ImGui::TextWrapped("%lld × %lld cells: too many to draw here (at most %lld).", static_cast<long long>(out_cells),
                       static_cast<long long>(in_cells), static_cast<long long>(kMaxDrawnCells));
    ImGui::End();
    return;
  }
  core::ConvMatrix m;
  try {
    m = transpose ? core::transpose_matrix(p.scenario()) : core::conv_matrix(p.scenario());
  } catch (const core::Error& e) {
    ImGui::TextColored(kErrorColour, "%s", e.what());
    ImGui::End();
    return;
  }
  core::MatrixPosition at;
  if (p.cursor() >= 0) at = core::matrix_position(p.trace(), p.trace().step(p.cursor()));
  ImGui::Text("%zu non-zero entries · current step: row %lld, column %lld", m.entries.size(), static_cast<long long>(at.row),
              static_cast<long long>(at.col));
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
    // The weight itself where the cell holds it (the canvas's short form), white on the map's dark ends.
    const std::string label = core::format_short(e.value);
    const ImVec2 ts = ImGui::CalcTextSize(label.c_str());
    if (ts.x + 4 <= cell && ts.y + 2 <= cell)
      dl->AddText(ImVec2(std::round(a.x + (cell - ts.x) / 2), std::round(a.y + (cell - ts.y) / 2)),
                  IM_COL32(255, 255, 255, 255), label.c_str());
  }
  // The entry the step multiplies by, ringed.
  if (at.row >= 0 && at.col >= 0)
    dl->AddRect(ImVec2(o.x + cell * static_cast<float>(at.col) - 1, o.y + cell * static_cast<float>(at.row) - 1),
                ImVec2(o.x + cell * static_cast<float>(at.col + 1) + 1, o.y + cell * static_cast<float>(at.row + 1) + 1),
                IM_COL32(20, 20, 24, 255), 0, 0, 2.0f);
  ImGui::Dummy(ImVec2(cell * static_cast<float>(m.cols), cell * static_cast<float>(m.rows)));
  ImGui::End();
}

}  // namespace gui
