#include "app/gui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/image_loader.h"
#include "app/gui/keys.h"
#include "app/gui/panels/export_panel.h"
#include "app/gui/panels/panels.h"
#include "app/model/session.h"
#include "app/render/resources.h"
#include "core/errors.h"

namespace gui {

App::App(model::AppState s, float scale, std::string dir)
    : state(std::move(s)), content_scale(scale), resource_dir(std::move(dir)) {
  if (!state.panes.empty()) file_path = state.focused_pane().origin();
}

void App::set_status(std::string message, bool error) {
  status = std::move(message);
  status_error = error;
}

void App::step_all(int64_t delta) {
  state.playing = false;
  for (model::Pane& p : state.panes) p.step(delta);
}

void App::step_cells(int delta) {
  state.playing = false;
  for (model::Pane& p : state.panes) p.step_cell(delta);
}

void App::home_all() {
  for (model::Pane& p : state.panes) p.home();
}

void App::end_all() {
  state.playing = false;
  for (model::Pane& p : state.panes) p.end();
}

void App::open_file(const std::string& path) {
  try {
    core::Scenario s = core::load_scenario(path);
    model::Pane& p = state.focused_pane();
    if (p.replace(std::move(s), path))
      set_status("opened " + path, false);
    else
      set_status(p.error(), true);
  } catch (const core::Error& e) {
    set_status(e.what(), true);
  }
}

void App::save_file(const std::string& path) {
  // The presets are the program's own files (read-only once installed): a preset the
  // user changed is saved elsewhere, even where the folder happens to be writable.
  if (render::is_inside_resources(path, resource_dir)) {
    set_status(path + " is one of convscope's own files; save the scenario elsewhere", true);
    return;
  }
  const std::string err = model::save_text_atomically(path, core::scenario_to_json(state.focused_pane().scenario()) + "\n");
  if (err.empty()) {
    state.focused_pane().set_origin(path);
    set_status("saved " + path, false);
  } else {
    set_status(err, true);
  }
}

void App::load_image(const std::string& path) {
  model::Pane& p = state.focused_pane();
  const core::Tensor& in = p.scenario().input;
  std::string err;
  std::vector<double> values = load_image_as_grid(path, in.h, in.w, image_colour ? 3 : 1, err);
  if (!err.empty()) {
    set_status(err, true);
    return;
  }
  if (p.load_input_pixels(in.h, in.w, image_colour ? 3 : 1, values))
    set_status("loaded " + path, false);
  else
    set_status(p.error(), true);
}

void App::load_preset(const std::string& path, bool new_pane) {
  try {
    core::Scenario s = core::load_scenario(path);
    if (new_pane) {
      state.add_pane(model::Pane(std::move(s), path));
    } else {
      model::Pane& p = state.focused_pane();
      if (!p.replace(std::move(s), path)) set_status(p.error(), true);
    }
  } catch (const core::Error& e) {
    set_status(e.what(), true);
  }
}

void App::note_item(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  widgets.push_back({name, a.x, a.y, size.x, size.y});
}

void App::frame(double dt) {
  widgets.clear();
  export_status = ExportStatus{};
  handle_keys(*this);
  state.tick(dt);
  if (state.panes.empty()) return;
  state.focused = std::clamp(state.focused, 0, static_cast<int>(state.panes.size()) - 1);

  const float s = content_scale;
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  draw_menu_bar(*this);
  const float top = vp->WorkPos.y;
  const float W = vp->WorkSize.x, H = vp->WorkSize.y;
  const model::ViewOptions& v = state.view;
  const float left = v.controls ? std::floor(std::min(340.0f * s, W * 0.3f)) : 0.0f;
  const float timeline_h = v.timeline ? std::floor(74.0f * s) : 0.0f;
  const float details_h = (v.arithmetic || v.formula) ? std::floor(std::min(150.0f * s, H * 0.22f)) : 0.0f;
  const float canvas_h = H - timeline_h - details_h;

  if (v.controls) {
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x, top));
    ImGui::SetNextWindowSize(ImVec2(left, H));
    draw_controls_panel(*this);
  }
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + left, top));
  ImGui::SetNextWindowSize(ImVec2(W - left, canvas_h));
  draw_canvas_panel(*this);
  if (v.timeline) {
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + left, top + canvas_h));
    ImGui::SetNextWindowSize(ImVec2(W - left, timeline_h));
    draw_timeline_panel(*this);
  }
  if (details_h > 0) {
    const float half = std::floor((W - left) / 2);
    const bool both = v.arithmetic && v.formula;
    if (v.arithmetic) {
      ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + left, top + canvas_h + timeline_h));
      ImGui::SetNextWindowSize(ImVec2(both ? half : W - left, details_h));
      draw_arithmetic_panel(*this);
    }
    if (v.formula) {
      ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + left + (both ? half : 0), top + canvas_h + timeline_h));
      ImGui::SetNextWindowSize(ImVec2(both ? W - left - half : W - left, details_h));
      draw_formula_panel(*this);
    }
  }
  if (v.presets) draw_presets_panel(*this);
  if (v.matrix) draw_matrix_panel(*this);
  if (file_dialog) draw_file_dialog(*this);
  if (state.view.export_panel) {
    bool open = true;
    draw_export_panel(*this, export_panel, &open);
    if (!open) state.view.export_panel = false;
  }
}

}  // namespace gui
