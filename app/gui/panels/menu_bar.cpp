// menu_bar.cpp — File, Edit, View, Panes.
#include <imgui.h>

#include "app/gui/app.h"
#include "app/gui/panels/panels.h"

namespace gui {

void draw_menu_bar(App& app) {
  model::AppState& st = app.state;
  if (!ImGui::BeginMainMenuBar()) return;
  if (ImGui::BeginMenu("File")) {
    if (ImGui::MenuItem("Open scenario…", "Ctrl+O")) app.show_file_dialog(false);
    if (ImGui::MenuItem("Save scenario…", "Ctrl+S")) app.show_file_dialog(true);
    if (ImGui::MenuItem("Export…", "Ctrl+E")) st.view.export_panel = true;
    ImGui::Separator();
    if (ImGui::MenuItem("Quit", "Ctrl+Q")) app.quit = true;
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Edit")) {
    model::Pane& p = st.focused_pane();
    if (ImGui::MenuItem("Undo", "Ctrl+Z", false, st.can_undo())) app.undo();
    if (ImGui::MenuItem("Redo", "Ctrl+Shift+Z", false, p.can_redo())) app.redo();
    if (ImGui::MenuItem("Reset to preset") && !p.reset_to_preset()) app.set_status(p.error(), true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("View")) {
    model::ViewOptions& v = st.view;
    ImGui::MenuItem("Values in cells", nullptr, &v.values);
    ImGui::MenuItem("Arithmetic", nullptr, &v.arithmetic);
    ImGui::MenuItem("Formula", nullptr, &v.formula);
    ImGui::MenuItem("Legend", nullptr, &v.legend);
    ImGui::MenuItem("Equivalent view", nullptr, &v.equivalent);
    ImGui::MenuItem("Kernel on its own colour scale", nullptr, &v.kernel_scale);
    // The focused pane's overlap map; the hover pin (panels/canvas_panel.cpp draws the links).
    ImGui::MenuItem("Overlap map", nullptr, &st.focused_pane().overlap_map);
    ImGui::MenuItem("Overlap map: weight sums", nullptr, &st.focused_pane().overlap_weights, st.focused_pane().overlap_map);
    ImGui::MenuItem("Pin the hover links", "P", &st.hover.pinned, st.hover.target.kind != model::HoverKind::none);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Off: one colour scale for the pane (the same value, the same colour in input, kernel and output)");
    if (ImGui::BeginMenu("Text size")) {
      if (ImGui::MenuItem("Larger", "Ctrl+=")) st.text_larger();
      if (ImGui::MenuItem("Smaller", "Ctrl+-")) st.text_smaller();
      if (ImGui::MenuItem("Reset", "Ctrl+0")) st.text_reset();
      ImGui::Text("now ×%.2f", static_cast<double>(st.text_scale));
      ImGui::EndMenu();
    }
    if (ImGui::MenuItem("Fit the zoom", "F")) {
      model::Pane& p = st.focused_pane();
      p.zoom = 1.0f;
      p.center_x = p.center_y = 0.5f;
      p.follow_step = false;
    }
    ImGui::MenuItem("Zoom follows the step", "G", &st.focused_pane().follow_step);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("Conv2DTranspose panes also show the same arithmetic as a stride-1 Conv2D\n"
                        "over the zero-inserted, padded input with the kernel rotated 180°");
    ImGui::MenuItem("Volume view (this pane)", "V", &st.focused_pane().volume_view);
    ImGui::MenuItem("Show all channels (this pane)", nullptr, &st.focused_pane().all_channels);
    ImGui::Separator();
    ImGui::MenuItem("Controls", nullptr, &v.controls);
    ImGui::MenuItem("Timeline", nullptr, &v.timeline);
    ImGui::MenuItem("Presets", nullptr, &v.presets);
    ImGui::MenuItem("Conv matrix", nullptr, &v.matrix);
    ImGui::MenuItem("Export", "Ctrl+E", &v.export_panel);
    ImGui::MenuItem("Lessons", nullptr, &app.lessons_panel);
    if (ImGui::MenuItem("Presenter mode", "F5")) app.set_presenter(true);
    ImGui::EndMenu();
  }
  if (ImGui::BeginMenu("Panes")) {
    if (ImGui::MenuItem("Duplicate as the other operation")) app.duplicate_focused_pane();
    if (ImGui::MenuItem("Round trip: Conv2D then Conv2DTranspose", nullptr, false,
                        st.focused_pane().geometry().op == core::Op::conv2d))
      app.round_trip.start(app);
    if (ImGui::MenuItem("Add the seed Conv2D")) app.load_preset(app.presets_dir() + "/seed_conv2d.json", true);
    if (ImGui::MenuItem("Add the seed Conv2DTranspose"))
      app.load_preset(app.presets_dir() + "/seed_conv2d_transpose.json", true);
    if (ImGui::MenuItem("Remove this pane", nullptr, false, st.panes.size() > 1)) app.remove_focused_pane();
    if (ImGui::MenuItem("Restore removed pane", "Ctrl+Z", false, st.can_restore_pane()))
      app.guarded("restore the pane", [&] { st.restore_removed_pane(); });
    ImGui::EndMenu();
  }
  ImGui::EndMainMenuBar();
}

}  // namespace gui
