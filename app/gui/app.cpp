#include "app/gui/app.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "app/gui/image_loader.h"
#include "app/gui/keys.h"
#include "app/gui/panels/export_panel.h"
#include "app/gui/panels/panels.h"
#include "app/model/session.h"
#include "app/model/window_layout.h"
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

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  draw_menu_bar(*this);
  const model::ViewOptions& v = state.view;
  // Tool windows (presets, conv matrix, export) stack in a column of their own.
  const bool side_open = v.presets || v.matrix || v.export_panel;
  const model::WindowLayout L =
      model::window_layout(vp->WorkSize.x, vp->WorkSize.y + vp->WorkPos.y, vp->WorkPos.y, content_scale, v, side_open);
  auto place = [&](const model::Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
  };
  if (v.controls) {
    place(L.controls);
    draw_controls_panel(*this);
  }
  place(L.canvas);
  draw_canvas_panel(*this);
  if (v.timeline) {
    place(L.timeline);
    draw_timeline_panel(*this);
  }
  if (v.arithmetic) {
    place(L.arithmetic);
    draw_arithmetic_panel(*this);
  }
  if (v.formula) {
    place(L.formula);
    draw_formula_panel(*this);
  }
  // The tool windows share the side column, top to bottom, each its part of it.
  side = L.side;
  const float tools = static_cast<float>(v.presets + v.matrix + v.export_panel);
  float from = 0;
  if (v.presets) {
    place_tool_window(from, 1 / tools);
    from += 1 / tools;
    draw_presets_panel(*this);
  }
  if (v.matrix) {
    place_tool_window(from, 1 / tools);
    from += 1 / tools;
    draw_matrix_panel(*this);
  }
  if (file_dialog) draw_file_dialog(*this);
  if (state.view.export_panel) {
    place_tool_window(from, 1 / tools);
    bool open = true;
    draw_export_panel(*this, export_panel, &open);
    if (!open) state.view.export_panel = false;
  }
}

void App::place_tool_window(float from, float share) const {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + side.x, side.y + side.h * from));
  ImGui::SetNextWindowSize(ImVec2(side.w, std::floor(side.h * share)));
}

}  // namespace gui
