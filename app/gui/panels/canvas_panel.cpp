// canvas_panel.cpp — the teaching canvas, shown 1:1, and what the mouse does on it.
//
// The pixels come from render::CanvasRenderer (the same the exporter reads);
// this panel only draws hover/selection outlines on top and maps the mouse to
// cells through CanvasRenderer::hit_test(). Click an output cell (conv) or an
// input cell (transpose): jump to its first step. Click an input or kernel
// cell: select it; type a number or double-click to edit it; drag up/down or
// Ctrl+wheel to change it. The wheel zooms a pane's grids at the pointer; the
// middle button, or Space held, drags them; F fits them again, G follows the
// step (keys.cpp).
#include <glad/gl.h>
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"
#include "core/format.h"

namespace gui {

namespace {

std::optional<model::ValueRef> value_ref(const model::Pane& p, const render::CanvasHit& hit) {
  if (!hit.inside) return std::nullopt;
  if (hit.grid == render::GridKind::input) return model::ValueRef{model::Tensor::input, hit.y, hit.x, p.shown_channel(), 0};
  if (hit.grid == render::GridKind::kernel) return p.kernel_ref(hit.y, hit.x, p.shown_channel(), p.shown_filter());
  return std::nullopt;
}

// What hovering a cell links: an output cell, an input cell (also as it sits in
// the zero-inserted grid) or a kernel tap (also rotated in the equivalent row).
model::HoverTarget hover_target(const model::Pane& p, const render::CanvasHit& hit) {
  model::HoverTarget t;
  t.pane = hit.pane;
  t.filter = p.shown_filter();
  const core::Pair& stride = p.scenario().spec.strides;
  const core::Kernel& k = p.scenario().kernel;
  if (!hit.inside) return t;
  switch (hit.grid) {
    case render::GridKind::output:
    case render::GridKind::equivalent_output:
      t.kind = model::HoverKind::output;
      t.cell = {hit.y, hit.x, p.shown_filter()};
      break;
    case render::GridKind::input:
      t.kind = model::HoverKind::input;
      t.cell = {hit.y, hit.x, p.shown_channel()};
      break;
    case render::GridKind::equivalent_input:
      if (hit.y % stride[0] != 0 || hit.x % stride[1] != 0) break;  // an inserted zero
      t.kind = model::HoverKind::input;
      t.cell = {hit.y / stride[0], hit.x / stride[1], p.shown_channel()};
      break;
    case render::GridKind::kernel:
      t.kind = model::HoverKind::kernel;
      t.cell = {hit.y, hit.x, p.shown_channel()};
      break;
    case render::GridKind::equivalent_kernel:
      t.kind = model::HoverKind::kernel;
      t.cell = {k.kh - 1 - hit.y, k.kw - 1 - hit.x, p.shown_channel()};
      break;
  }
  return t;
}

struct Drag {
  bool active = false;
  int pane = -1;
  model::ValueRef ref;
  double start = 0;
  int group = 0;
};
Drag drag;

// Zoom and pan act on the pane whose band (grid area) is under the pointer.
int band_at(const render::CanvasLayout& lay, float x, float y) {
  for (size_t i = 0; i < lay.bands.size(); ++i) {
    const auto& b = lay.bands[i];
    if (x >= b.x && y >= b.y && x < b.x + b.w && y < b.y + b.h) return static_cast<int>(i);
  }
  return -1;
}

// Zoom pane p by `factor` keeping the content point under (x, y) where it is.
void zoom_at(model::Pane& p, const render::CanvasLayout::Band& b, float x, float y, float factor) {
  const float z0 = std::clamp(p.zoom, 1.0f, model::Pane::kMaxZoom);
  const float z1 = std::clamp(z0 * factor, 1.0f, model::Pane::kMaxZoom);
  if (z1 == z0 || b.content_w <= 0 || b.content_h <= 0) return;
  // The point under the pointer, as a fraction of the content; the content grows about as the cells do.
  const float u = (x - b.origin_x) / b.content_w, v = (y - b.origin_y) / b.content_h;
  const float w1 = b.content_w * z1 / z0, h1 = b.content_h * z1 / z0;
  p.zoom = z1;
  p.center_x = std::clamp(u + (b.x + b.w / 2 - x) / w1, 0.0f, 1.0f);
  p.center_y = std::clamp(v + (b.y + b.h / 2 - y) / h1, 0.0f, 1.0f);
  p.follow_step = false;
  if (z1 == 1.0f) p.center_x = p.center_y = 0.5f;
}

// The current step's cell (the window's tap, the stamp's target) in the middle of the band.
void follow(model::Pane& p, const render::CanvasLayout& lay, int index) {
  if (!p.follow_step || p.cursor() < 0 || index >= static_cast<int>(lay.bands.size())) return;
  const auto& b = lay.bands[static_cast<size_t>(index)];
  if (b.content_w <= b.w && b.content_h <= b.h) return;  // all in view
  const core::Step st = p.trace().step(p.cursor());
  render::GridKind kind = render::GridKind::output;
  core::Cell at = st.output;
  if (st.kind == core::StepKind::mac && st.input && !core::is_transpose(p.geometry().op)) kind = render::GridKind::input, at = *st.input;
  for (const render::GridRect& g : lay.grids) {
    if (g.pane != index || g.kind != kind) continue;
    const float cx = g.x + (static_cast<float>(at.x - g.col0) + 0.5f) * g.cell, cy = g.y + (static_cast<float>(at.y - g.row0) + 0.5f) * g.cell;
    p.center_x = std::clamp((cx - b.origin_x) / b.content_w, 0.0f, 1.0f);
    p.center_y = std::clamp((cy - b.origin_y) / b.content_h, 0.0f, 1.0f);
  }
}

struct Pan {
  bool active = false;
  int pane = -1;
  float last_x = 0, last_y = 0;
};
Pan pan;

struct BlitRequest {
  unsigned fbo = 0;
  int w = 0, h = 0;
  float x = 0, y = 0;
};
BlitRequest blit_request;

void blit_callback(const ImDrawList*, const ImDrawCmd*) {
  const BlitRequest& b = blit_request;
  const ImGuiIO& io = ImGui::GetIO();
  const int fb_h = static_cast<int>(io.DisplaySize.y * io.DisplayFramebufferScale.y);
  const int x = static_cast<int>(b.x), y = fb_h - static_cast<int>(b.y) - b.h;  // GL rows go up
  glDisable(GL_SCISSOR_TEST);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, b.fbo);
  glBindFramebuffer(GL_DRAW_FRAMEBUFFER, 0);
  glBlitFramebuffer(0, 0, b.w, b.h, x, y, x + b.w, y + b.h, GL_COLOR_BUFFER_BIT, GL_NEAREST);
  glBindFramebuffer(GL_FRAMEBUFFER, 0);
  glEnable(GL_SCISSOR_TEST);
}

void blit_canvas(ImDrawList* dl, const render::CanvasRenderer& canvas, ImVec2 pos) {
  blit_request = BlitRequest{canvas.framebuffer(), canvas.size().w, canvas.size().h, pos.x, pos.y};
  dl->AddCallback(blit_callback, nullptr);
  // The backend restores its own state after a callback when asked to.
  dl->AddCallback(ImDrawCallback_ResetRenderState, nullptr);
  ImGui::Dummy(ImVec2(static_cast<float>(blit_request.w), static_cast<float>(blit_request.h)));
}

}  // namespace

void draw_canvas_panel(App& app) {
  ImGui::PushStyleVar(ImGuiStyleVar_WindowPadding, ImVec2(0, 0));
  // No background: the canvas covers the whole panel.
  const bool open = ImGui::Begin("Canvas", nullptr, kFixedPanel | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar |
                                                        ImGuiWindowFlags_NoScrollWithMouse | ImGuiWindowFlags_NoBackground);
  ImGui::PopStyleVar();
  if (!open || !app.canvas) {
    ImGui::End();
    return;
  }
  model::AppState& st = app.state;
  const ImVec2 avail = ImGui::GetContentRegionAvail();
  const int w = std::max(1, static_cast<int>(avail.x)), h = std::max(1, static_cast<int>(avail.y));
  st.hover.refresh(st.panes);  // the links, recomputed only when the hovered cell changed
  app.canvas->render(st, app.content_scale, w, h);
  ImVec2 pos = ImGui::GetCursorScreenPos();
  pos = ImVec2(std::floor(pos.x), std::floor(pos.y));
  ImGui::SetCursorScreenPos(pos);
  if (std::getenv("CONVSCOPE_CANVAS_AS_IMAGE")) {
    // The textbook way: the FBO's texture as an ImGui image (flip V).
    ImGui::Image(reinterpret_cast<ImTextureID>(static_cast<intptr_t>(app.canvas->texture())),
                 ImVec2(static_cast<float>(w), static_cast<float>(h)), ImVec2(0, 1), ImVec2(1, 0));
  } else {
    // The same pixels copied 1:1 with glBlitFramebuffer at this point of the draw
    // list: on llvmpipe a blit is a memcpy, where a textured, blended quad costs
    // ~10 ms for a full-HD canvas.
    blit_canvas(ImGui::GetWindowDrawList(), *app.canvas, pos);
  }
  app.canvas_x = pos.x;
  app.canvas_y = pos.y;
  app.canvas_w = static_cast<float>(w);
  app.canvas_h = static_cast<float>(h);
  ImGui::SetCursorScreenPos(pos);
  ImGui::InvisibleButton("canvas", ImVec2(static_cast<float>(w), static_cast<float>(h)));
  const bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImGuiIO& io = ImGui::GetIO();
  const render::CanvasLayout& lay = app.canvas->layout();

  auto cell_rect = [&](int pane, render::GridKind kind, int64_t y, int64_t x, ImVec2& a, ImVec2& b) {
    for (const render::GridRect& g : lay.grids)
      if (g.pane == pane && g.kind == kind) {
        a = ImVec2(pos.x + g.x + static_cast<float>(x - g.col0) * g.cell, pos.y + g.y + static_cast<float>(y - g.row0) * g.cell);
        b = ImVec2(a.x + g.cell, a.y + g.cell);
        return true;
      }
    return false;
  };

  // Focus frame around the focused pane when there are several.
  if (st.panes.size() > 1 && st.focused < static_cast<int>(lay.panes.size())) {
    const auto& r = lay.panes[static_cast<size_t>(st.focused)];
    dl->AddRect(ImVec2(pos.x + r.x + 2, pos.y + r.y + 2), ImVec2(pos.x + r.x + r.w - 2, pos.y + r.y + r.h - 2),
                IM_COL32(70, 120, 200, 160), 4.0f, 0, 2.0f);
  }

  // Selected cell.
  if (app.selected && app.selected_pane >= 0 && app.selected_pane < static_cast<int>(st.panes.size())) {
    ImVec2 a, b;
    const auto kind = app.selected->tensor == model::Tensor::input ? render::GridKind::input : render::GridKind::kernel;
    if (cell_rect(app.selected_pane, kind, app.selected->y, app.selected->x, a, b))
      dl->AddRect(ImVec2(a.x - 1, a.y - 1), ImVec2(b.x + 1, b.y + 1), IM_COL32(0, 110, 255, 255), 0, 0, 3.0f);
  }

  std::optional<render::CanvasHit> hit;
  if (hovered && app.show_hover) hit = app.canvas->hit_test(io.MousePos.x - pos.x, io.MousePos.y - pos.y);
  // Hover links: the cell under the pointer is the target, unless one is pinned (P).
  if (!st.hover.pinned)
    st.hover.target = hit && hit->pane < static_cast<int>(st.panes.size())
                          ? hover_target(st.panes[static_cast<size_t>(hit->pane)], *hit)
                          : model::HoverTarget{};
  if (hit && hit->pane < static_cast<int>(st.panes.size())) {
    model::Pane& p = st.panes[static_cast<size_t>(hit->pane)];
    ImVec2 a, b;
    if (cell_rect(hit->pane, hit->grid, hit->y, hit->x, a, b)) dl->AddRect(a, b, IM_COL32(0, 110, 255, 200), 0, 0, 2.0f);
    // Tooltip: what the cell is.
    std::string tip;
    const auto ref = value_ref(p, *hit);
    // The equivalent Conv2D's padded grid (zero-inserted coordinates): a real input cell sits at (y·s, x·s).
    const core::Pair& stride = p.scenario().spec.strides;
    std::optional<core::Cell> eq_input;
    if (hit->grid == render::GridKind::equivalent_input && hit->inside && hit->y % stride[0] == 0 && hit->x % stride[1] == 0)
      eq_input = core::Cell{hit->y / stride[0], hit->x / stride[1], p.shown_channel()};
    if (ref) {
      tip = value_ref_text(*ref) + " = " + core::format_number(p.value(*ref));
    } else if (eq_input) {
      tip = "x[" + std::to_string(eq_input->y) + "," + std::to_string(eq_input->x) + "," + std::to_string(eq_input->c) +
            "] = " + core::format_number(p.scenario().input.at(eq_input->y, eq_input->x, eq_input->c)) +
            " (the input, its cells s apart)";
    } else if (hit->grid == render::GridKind::equivalent_input) {
      tip = hit->inside ? "inserted zero (s−1 zeros between input cells)" : "padding (dk−1−crop zeros)";
    } else if (hit->grid == render::GridKind::equivalent_kernel) {
      const core::Kernel& k = p.scenario().kernel;
      const int64_t ky = k.kh - 1 - hit->y, kx = k.kw - 1 - hit->x;
      tip = "w′[" + std::to_string(hit->y) + "," + std::to_string(hit->x) + "] = w[" + std::to_string(ky) + "," +
            std::to_string(kx) + "] = " + core::format_number(p.trace().weight(ky, kx, p.shown_channel(), p.shown_filter())) +
            " (kernel rotated 180°)";
    } else if ((hit->grid == render::GridKind::output || hit->grid == render::GridKind::equivalent_output) && hit->inside) {
      const int64_t f = p.shown_filter();
      // Both values from the trace in O(kernel): the final value is the value after the
      // last step, so hovering never waits for (or copies) the whole output.
      tip = "y[" + std::to_string(hit->y) + "," + std::to_string(hit->x) + "," + std::to_string(f) + "] = " +
            core::format_number(p.trace().value_after({hit->y, hit->x, f}, p.cursor())) + "  (final " +
            core::format_number(p.trace().value_after({hit->y, hit->x, f}, p.last_step())) + ")";
    } else {
      tip = hit->grid == render::GridKind::input ? "padding (zeros)" : "outside the output (cropped)";
    }
    const bool jumpable = eq_input.has_value() ||
                          (hit->inside && ((hit->grid == render::GridKind::output && p.trace().gathers()) ||
                                           (hit->grid == render::GridKind::input && !p.trace().gathers())));
    if (jumpable) tip += "\nclick: jump to its first step";
    if (ref) tip += "\nclick + type, double-click, drag or scroll to edit";
    ImGui::SetTooltip("%s", tip.c_str());

    if (ImGui::IsMouseClicked(ImGuiMouseButton_Left)) {
      app.editor.open = false;  // a click elsewhere on the canvas drops a half-typed value
      st.focused = hit->pane;
      if (jumpable) {
        st.playing = false;
        if (eq_input)
          p.jump_to_input_cell(*eq_input);
        else if (hit->grid == render::GridKind::output)
          p.jump_to_output_cell({hit->y, hit->x, p.shown_filter()});
        else
          p.jump_to_input_cell({hit->y, hit->x, p.shown_channel()});
      }
      if (ref) {
        app.selected = ref;
        app.selected_pane = hit->pane;
        drag = Drag{true, hit->pane, *ref, p.value(*ref), drag.group + 1};
      } else if (!jumpable) {
        app.selected.reset();
      }
    }
    if (ref && ImGui::IsMouseDoubleClicked(ImGuiMouseButton_Left)) {
      app.editor = CellEditor{true, true, hit->pane, *ref, core::format_number(p.value(*ref)), {}, b.x + 4, a.y};
    }
    if (ref && io.MouseWheel != 0 && io.KeyCtrl) {
      const double stepv = io.KeyShift ? 0.1 : 1.0;
      if (!p.set_value(*ref, p.value(*ref) + (io.MouseWheel > 0 ? stepv : -stepv), "wheel")) app.set_status(p.error(), true);
    }
  }
  // Zoom and pan: the wheel over a pane's grids zooms at the pointer (Ctrl+wheel
  // edits a value instead); the middle button, or Space held with the left, drags them.
  const float mx = io.MousePos.x - pos.x, my = io.MousePos.y - pos.y;
  const int band = hovered ? band_at(lay, mx, my) : -1;
  if (band >= 0 && band < static_cast<int>(st.panes.size()) && io.MouseWheel != 0 && !io.KeyCtrl)
    zoom_at(st.panes[static_cast<size_t>(band)], lay.bands[static_cast<size_t>(band)], mx, my,
            std::pow(1.25f, io.MouseWheel));
  const bool space_drag = app.space_held && ImGui::IsMouseClicked(ImGuiMouseButton_Left);
  if (band >= 0 && (ImGui::IsMouseClicked(ImGuiMouseButton_Middle) || space_drag)) {
    pan = Pan{true, band, mx, my};
    if (space_drag) app.panned_with_space = true;
  }
  if (pan.active) {
    const bool down = ImGui::IsMouseDown(ImGuiMouseButton_Middle) || (app.space_held && ImGui::IsMouseDown(ImGuiMouseButton_Left));
    if (!down || pan.pane >= static_cast<int>(st.panes.size()) || pan.pane >= static_cast<int>(lay.bands.size())) {
      pan.active = false;
    } else {
      model::Pane& p = st.panes[static_cast<size_t>(pan.pane)];
      const auto& b = lay.bands[static_cast<size_t>(pan.pane)];
      if (b.content_w > 0) p.center_x = std::clamp(p.center_x - (mx - pan.last_x) / b.content_w, 0.0f, 1.0f);
      if (b.content_h > 0) p.center_y = std::clamp(p.center_y - (my - pan.last_y) / b.content_h, 0.0f, 1.0f);
      p.follow_step = false;
      pan.last_x = mx;
      pan.last_y = my;
    }
  }
  for (size_t i = 0; i < st.panes.size(); ++i) follow(st.panes[i], lay, static_cast<int>(i));
  // Zoomed: how to get back, in the band's corner (the window's, not part of the picture).
  for (size_t i = 0; i < st.panes.size() && i < lay.bands.size(); ++i) {
    const model::Pane& p = st.panes[i];
    if (p.zoom <= 1.0f) continue;
    const auto& b = lay.bands[i];
    char hint[96];
    std::snprintf(hint, sizeof hint, "zoom %.1f×  ·  F fit  ·  G %s", static_cast<double>(p.zoom),
                  p.follow_step ? "stop following" : "follow the step");
    const ImVec2 ts = ImGui::CalcTextSize(hint);
    const ImVec2 a(pos.x + b.x + b.w - ts.x - 8, pos.y + b.y + 2);
    dl->AddRectFilled(ImVec2(a.x - 4, a.y - 1), ImVec2(a.x + ts.x + 4, a.y + ts.y + 1), IM_COL32(255, 255, 255, 225), 3.0f);
    dl->AddText(a, IM_COL32(40, 40, 46, 255), hint);
  }
  // Drag a value up/down: 1 per 12 px (0.1 with Shift).
  if (drag.active) {
    if (!ImGui::IsMouseDown(ImGuiMouseButton_Left)) {
      drag.active = false;
    } else if (drag.pane < static_cast<int>(st.panes.size())) {
      const float dy = ImGui::GetMouseDragDelta(ImGuiMouseButton_Left, 6.0f).y;
      if (dy != 0) {
        const double unit = io.KeyShift ? 0.1 : 1.0;
        const double v = drag.start + std::round(-dy / 12.0f) * unit;
        model::Pane& p = st.panes[static_cast<size_t>(drag.pane)];
        if (v != p.value(drag.ref) && !p.set_value(drag.ref, std::round(v * 1e6) / 1e6, "drag" + std::to_string(drag.group)))
          app.set_status(p.error(), true);
      }
    }
  }
  ImGui::End();

  // The cell editor: a small window at the cell.
  if (app.editor.open) {
    CellEditor& e = app.editor;
    if (e.x == 0 && e.y == 0) {
      ImVec2 a, b;
      const auto kind = e.ref.tensor == model::Tensor::input ? render::GridKind::input : render::GridKind::kernel;
      if (cell_rect(e.pane, kind, e.ref.y, e.ref.x, a, b)) {
        e.x = b.x + 4;
        e.y = a.y;
      }
    }
    ImGui::SetNextWindowPos(ImVec2(e.x, e.y));
    ImGui::Begin("##cell_editor", nullptr,
                 ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_AlwaysAutoResize | ImGuiWindowFlags_NoSavedSettings);
    ImGui::TextUnformatted((value_ref_text(e.ref) + " =").c_str());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90 * app.content_scale);
    // Until the field has the keyboard: a focus request can be lost to a click or a
    // window appearing in the same frame, and typing would then go nowhere.
    if (e.focus || !e.active) {
      ImGui::SetKeyboardFocusHere();
      e.focus = false;
    }
    // No character filter: the text is kept as typed, so "2,5" is refused with a
    // reason instead of silently becoming 25.
    auto caret_to_end = [](ImGuiInputTextCallbackData* data) {
      auto* editor = static_cast<CellEditor*>(data->UserData);
      if (editor->caret_to_end) {
        data->CursorPos = data->SelectionStart = data->SelectionEnd = data->BufTextLen;
        editor->caret_to_end = false;
      }
      return 0;
    };
    ImGui::InputText("##value", &e.text, ImGuiInputTextFlags_CallbackAlways, caret_to_end, &e);
    app.note_item("cell_editor");
    e.active = ImGui::IsItemActive();
    // Enter and Escape: handle_keys (App::commit_cell_editor), from the key events.
    if (!e.error.empty()) ImGui::TextColored(kErrorColour, "%s", e.error.c_str());
    ImGui::End();
  }
}

}  // namespace gui
