#include "app/gui/app.h"

#include <glad/gl.h>
#include <imgui.h>
#include <imgui_internal.h>  // the window stack, and ImGui's own error recovery

#include <algorithm>
#include <cmath>
#include <utility>

#include "app/gui/image_loader.h"
#include "app/gui/keys.h"
#include "app/gui/panels/export_panel.h"
#include "app/gui/panels/panels.h"
#include "app/model/number_input.h"
#include "app/model/scenario_file.h"
#include "app/model/session.h"
#include "app/model/window_layout.h"
#include "app/render/resources.h"
#include "core/errors.h"
#include "core/format.h"

namespace gui {

int open_windows(ImGuiContext* ui) { return ui->CurrentWindowStack.Size; }

void recover_ui(ImGuiContext* ui, int keep_windows) {
  if (ImGui::GetCurrentContext() != ui) {
    // The canvas renderer draws text in an ImGui context of its own: end its frame.
    ImGui::ErrorCheckEndFrameRecover(nullptr);
    ImGui::EndFrame();
    ImGui::SetCurrentContext(ui);
    glBindFramebuffer(GL_FRAMEBUFFER, 0);
  }
  while (ui->CurrentWindowStack.Size > std::max(keep_windows, 1)) {
    ImGui::ErrorCheckEndWindowRecover(nullptr);  // ID, style, colour, group stacks of that window
    if (ui->CurrentWindow->Flags & ImGuiWindowFlags_ChildWindow)
      ImGui::EndChild();
    else
      ImGui::End();
  }
}

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

void App::show_file_dialog(bool save) {
  file_dialog = true;
  file_dialog_save = save;
  confirm_overwrite.clear();
  if (state.panes.empty()) return;
  file_path = save ? default_save_path() : state.focused_pane().origin();
}

std::string App::default_save_path() const {
  const std::string& origin = state.focused_pane().origin();
  if (!origin.empty() && !render::is_inside_resources(origin, resource_dir)) return origin;
  const std::string dir = model::user_data_dir();
  const std::string name = origin.empty() ? std::string("scenario.json") : model::file_name_of(origin);
  return dir.empty() ? name : dir + "/" + name;
}

void App::open_file(const std::string& path) {
  guarded("open the file", [&] {
    model::LoadedScenario loaded = model::load_scenario_file(path);
    model::Pane& p = state.focused_pane();
    if (p.replace(std::move(loaded.scenario), path, loaded.identity))
      set_status("opened " + path, false);
    else
      set_status(p.error(), true);
  });
}

void App::save_file(const std::string& path, bool overwrite) {
  guarded("save the scenario", [&] {
    // The presets are the program's own files (read-only once installed): a preset the
    // user changed is saved elsewhere, even where the folder happens to be writable.
    if (render::is_inside_resources(path, resource_dir)) {
      const std::string elsewhere = model::user_data_dir() + "/" + model::file_name_of(path);
      set_status(core::error_message(core::ErrorCode::save_into_resources, path, elsewhere), true);
      return;
    }
    if (!overwrite && model::file_exists(path)) {
      confirm_overwrite = path;  // the dialog asks; nothing is written yet
      set_status("", false);
      return;
    }
    confirm_overwrite.clear();
    model::Pane& p = state.focused_pane();
    model::FileIdentity written;
    const std::string err = model::save_text_atomically(path, core::scenario_to_json(p.scenario()) + "\n", &written);
    if (err.empty()) {
      p.set_origin(path);
      p.set_source_file(written);  // the pane now is that file's content: the session may refer to it
      set_status("saved " + path, false);
    } else {
      set_status(err, true);
    }
  });
}

void App::load_image(const std::string& path) {
  guarded("load the image", [&] {
    model::Pane& p = state.focused_pane();
    const core::Tensor& in = p.scenario().input;
    const int channels = image_colour ? 3 : 1;
    const core::Kernel& k = p.scenario().kernel;
    // The grid it becomes must be within the limits before anything is decoded.
    core::check_tensor_sizes(in.h, in.w, channels, k.kh, k.kw, channels, k.out_channels);
    std::string err;
    const int64_t h = in.h, w = in.w;
    std::vector<double> values = load_image_as_grid(path, h, w, channels, err);
    if (!err.empty()) {
      set_status(err, true);
      return;
    }
    if (p.load_input_pixels(h, w, channels, values))
      set_status("loaded " + path, false);
    else
      set_status(p.error(), true);
  });
}

void App::load_preset(const std::string& path, bool new_pane) {
  guarded("open the preset", [&] {
    model::LoadedScenario loaded = model::load_scenario_file(path);
    if (new_pane) {
      model::Pane p(std::move(loaded.scenario), path);
      p.set_source_file(loaded.identity);
      p.set_result_worker(result_worker);
      std::string why;
      if (!state.add_pane(std::move(p), &why)) set_status(why, true);
    } else {
      model::Pane& p = state.focused_pane();
      if (!p.replace(std::move(loaded.scenario), path, loaded.identity)) set_status(p.error(), true);
    }
  });
}

void App::undo() {
  guarded("undo", [&] {
    const size_t panes = state.panes.size();
    if (state.undo()) set_status(state.panes.size() > panes ? "restored the removed pane" : "undo", false);
  });
}

void App::redo() {
  guarded("redo", [&] {
    if (state.redo()) set_status("redo", false);
  });
}

void App::remove_focused_pane() {
  guarded("remove the pane", [&] {
    if (state.panes.size() <= 1) return;
    const int index = state.focused;
    state.remove_pane(index);
    selected.reset();
    editor.open = false;
    set_status("removed pane " + std::to_string(index + 1) + " (Ctrl+Z restores it)", false);
  });
}

std::string value_ref_text(const model::ValueRef& r) {
  const std::string yx = std::to_string(r.y) + "," + std::to_string(r.x);
  if (r.tensor == model::Tensor::input) return "x[" + yx + "," + std::to_string(r.c) + "]";
  if (r.tensor == model::Tensor::kernel) return "w[" + yx + "," + std::to_string(r.c) + "," + std::to_string(r.f) + "]";
  return "b[" + std::to_string(r.f) + "]";
}

void App::start_cell_value(std::string text) {
  if (text.empty() || editor.open || !selected || selected_pane < 0) return;
  const char c = text.front();
  if (!((c >= '0' && c <= '9') || c == '-' || c == '.')) return;
  editor = CellEditor{true, true, selected_pane, *selected, std::move(text), {}, 0, 0, true, false};
}

void App::commit_cell_editor() {
  CellEditor& e = editor;
  if (!e.open) return;
  guarded("set the value", [&] {
    if (e.pane < 0 || e.pane >= static_cast<int>(state.panes.size())) {
      e.open = false;
      return;
    }
    const model::NumberInput n = model::parse_number(e.text);
    if (!n.value) {
      e.error = n.error;  // the editor stays open on the text, with the reason in red
      e.focus = true;
      set_status(n.error, true);
      return;
    }
    model::Pane& p = state.panes[static_cast<size_t>(e.pane)];
    if (p.set_value(e.ref, *n.value))
      set_status(value_ref_text(e.ref) + " = " + core::format_number(*n.value), false);
    else
      set_status(p.error(), true);
    e.open = false;
  });
}

void App::duplicate_focused_pane() {
  guarded("duplicate the pane", [&] {
    if (!state.duplicate_as_other_op(state.focused)) set_status(state.focused_pane().error(), true);
  });
}

void App::open_lesson(const std::string& name_or_path, size_t slide, bool resume) {
  guarded("open the lesson", [&] {
    model::Lesson l = model::load_lesson(model::find_lesson(name_or_path, lessons_dir()));
    for (model::Pane& p : state.panes) p.set_result_worker(result_worker);
    if (resume) {
      lessons.resume(std::move(l), slide, state);
    } else {
      lessons.open(std::move(l), slide, state);
      selected.reset();
      editor.open = false;
    }
    set_status("lesson: " + lessons.heading(), false);
  });
}

void App::set_presenter(bool on) {
  lessons.presenter = on;  // without a lesson: the panes full screen with the step line
}

void App::note_item(const char* name) {
  const ImVec2 a = ImGui::GetItemRectMin(), size = ImGui::GetItemRectSize();
  widgets.push_back({name, a.x, a.y, size.x, size.y});
}

void App::frame(double dt) {
  widgets.clear();
  export_status = ExportStatus{};
  if (state.panes.empty()) return;
  if (result_worker) state.set_result_worker(result_worker);  // panes added anywhere get it too
  handle_keys(*this);
  lessons.tick(state, dt);  // a lesson's slide plays its own range
  state.enforce_undo_budget();
  if (state.panes.empty()) return;
  state.focused = std::clamp(state.focused, 0, static_cast<int>(state.panes.size()) - 1);
  if (selected_pane >= static_cast<int>(state.panes.size())) {
    selected.reset();
    selected_pane = -1;
  }

  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGuiContext* ui = ImGui::GetCurrentContext();
  if (lessons.presenter) {
    draw_guarded(ui, [&] { draw_presenter(*this); });
    return;
  }
  draw_guarded(ui, [&] { draw_menu_bar(*this); });
  const model::ViewOptions& v = state.view;
  // Tool windows (presets, conv matrix, export) stack in a column of their own.
  const bool side_open = v.presets || v.matrix || v.export_panel || lessons_panel || round_trip.open;
  const model::WindowLayout L =
      model::window_layout(vp->WorkSize.x, vp->WorkSize.y + vp->WorkPos.y, vp->WorkPos.y, content_scale, v, side_open);
  auto place = [&](const model::Rect& r) {
    ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + r.x, r.y));
    ImGui::SetNextWindowSize(ImVec2(r.w, r.h));
  };
  if (v.controls) {
    place(L.controls);
    draw_guarded(ui, [&] { draw_controls_panel(*this); });
  }
  // A lesson's caption takes the bottom of the canvas area.
  model::Rect canvas_rect = L.canvas;
  if (lessons.active()) {
    const float caption_h = lesson_caption_height(*this, canvas_rect.w);
    model::Rect caption{canvas_rect.x, canvas_rect.y + canvas_rect.h - caption_h, canvas_rect.w, caption_h};
    canvas_rect.h -= caption_h;
    place(caption);
    draw_guarded(ui, [&] { draw_lesson_caption(*this, false); });
  }
  place(canvas_rect);
  draw_guarded(ui, [&] { draw_canvas_panel(*this); });
  if (v.timeline) {
    place(L.timeline);
    draw_guarded(ui, [&] { draw_timeline_panel(*this); });
  }
  if (v.arithmetic) {
    place(L.arithmetic);
    draw_guarded(ui, [&] { draw_arithmetic_panel(*this); });
  }
  if (v.formula) {
    place(L.formula);
    draw_guarded(ui, [&] { draw_formula_panel(*this); });
  }
  // The tool windows share the side column, top to bottom, each its part of it.
  side = L.side;
  const float tools = static_cast<float>(v.presets + v.matrix + v.export_panel + lessons_panel + round_trip.open);
  float from = 0;
  if (lessons_panel) {
    place_tool_window(from, 1 / tools);
    from += 1 / tools;
    draw_guarded(ui, [&] { draw_lessons_panel(*this); });
  }
  if (v.presets) {
    place_tool_window(from, 1 / tools);
    from += 1 / tools;
    draw_guarded(ui, [&] { draw_presets_panel(*this); });
  }
  if (v.matrix) {
    place_tool_window(from, 1 / tools);
    from += 1 / tools;
    draw_guarded(ui, [&] { draw_matrix_panel(*this); });
  }
  if (round_trip.open) {
    place_tool_window(from, 1 / tools);
    from += 1 / tools;
    draw_guarded(ui, [&] { draw_round_trip_panel(*this, round_trip); });
  }
  if (file_dialog) draw_guarded(ui, [&] { draw_file_dialog(*this); });
  if (state.view.export_panel) {
    place_tool_window(from, 1 / tools);
    bool open = true;
    draw_guarded(ui, [&] { draw_export_panel(*this, export_panel, &open); });
    if (!open) state.view.export_panel = false;
  }
}

void App::place_tool_window(float from, float share) const {
  const ImGuiViewport* vp = ImGui::GetMainViewport();
  ImGui::SetNextWindowPos(ImVec2(vp->WorkPos.x + side.x, side.y + side.h * from));
  ImGui::SetNextWindowSize(ImVec2(side.w, std::floor(side.h * share)));
}

}  // namespace gui
