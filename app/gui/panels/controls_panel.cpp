// controls_panel.cpp — every parameter of the focused pane, live.
//
// Each control calls one named edit of model::Pane; the core re-runs at once.
// When the core rejects a value its message shows in red under that control
// and the picture keeps the last valid scenario.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <string>

#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "app/gui/panels/panels.h"

namespace gui {

namespace {

// Shows the rejected edit's message under the control that caused it.
void error_after(App& app, const char* id) {
  const model::Pane& p = app.state.focused_pane();
  if (app.error_control == id && !p.error().empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", p.error().c_str());
    ImGui::PopStyleColor();
  }
}

// Runs an edit; remembers which control to show a rejection under.
template <typename F>
void apply(App& app, const char* id, F&& edit) {
  if (!edit()) app.error_control = id;
  else if (app.error_control == id) app.error_control.clear();
}

// Sliders clamp what is typed into them (Ctrl+click) to their range, so no
// control asks the model for a size it would refuse only after allocating.
constexpr ImGuiSliderFlags kClamp = ImGuiSliderFlags_AlwaysClamp;

bool slider_pair(const char* label, int64_t a, int64_t b, int lo, int hi, int& out_a, int& out_b) {
  int v[2] = {static_cast<int>(std::min<int64_t>(a, 1 << 30)), static_cast<int>(std::min<int64_t>(b, 1 << 30))};
  const bool changed = ImGui::SliderInt2(label, v, lo, hi, "%d", kClamp);
  out_a = std::max(v[0], lo == 0 ? 0 : 1);
  out_b = std::max(v[1], lo == 0 ? 0 : 1);
  return changed;
}

std::string pane_title(const model::Pane& p, size_t i) {
  const core::Geometry& g = p.geometry();
  return std::to_string(i + 1) + ": " + core::op_title(g.op) + " " + std::to_string(p.scenario().input.h) + "×" +
         std::to_string(p.scenario().input.w) + " → " + std::to_string(g.out_h()) + "×" + std::to_string(g.out_w());
}

// The focused pane's overlap map: on/off, counts or weight sums, what it shows, and the fix.
void draw_overlap_controls(App& app) {
  model::Pane& p = app.state.focused_pane();
  ImGui::Checkbox("Overlap map", &p.overlap_map);
  app.note_item("overlap_map");
  if (!p.overlap_map) return;
  ImGui::SameLine();
  ImGui::Checkbox("weight sums", &p.overlap_weights);
  const core::Coverage* cov = app.coverage_cache.get(p);
  if (!cov) {
    ImGui::TextColored(kMutedColour, "the map is too large to compute");
    return;
  }
  ImGui::PushTextWrapPos(0);
  ImGui::TextColored(cov->even ? kOkColour : kErrorColour, "%s", cov->explanation.c_str());
  ImGui::PopTextWrapPos();
  if (cov->even_kernel) {
    const auto& k = *cov->even_kernel;
    const std::string label = k[0] == k[1] ? "Fix: kernel " + std::to_string(k[0])
                                           : "Fix: kernel " + std::to_string(k[0]) + "×" + std::to_string(k[1]);
    if (ImGui::Button(label.c_str()) && !model::apply_even_kernel(p, *cov)) app.set_status(p.error(), true);
    app.note_item("overlap_fix");
  }
}

}  // namespace


void draw_controls_panel(App& app) {
  if (!ImGui::Begin("Controls", nullptr, kFixedPanel)) {
    ImGui::End();
    return;
  }
  model::AppState& st = app.state;
  const float s = app.content_scale;
  ImGui::PushItemWidth(-110 * s);

  // ---- panes ----
  for (size_t i = 0; i < st.panes.size(); ++i) {
    if (ImGui::Selectable(pane_title(st.panes[i], i).c_str(), st.focused == static_cast<int>(i))) {
      st.focused = static_cast<int>(i);
      app.file_path = st.panes[i].origin();
    }
  }
  if (ImGui::SmallButton("Duplicate as other op")) app.duplicate_focused_pane();
  same_line_if_fits("Round trip");
  ImGui::BeginDisabled(st.focused_pane().geometry().op != core::Op::conv2d);
  if (ImGui::SmallButton("Round trip")) app.round_trip.start(app);
  app.note_item("round_trip");
  ImGui::EndDisabled();
  same_line_if_fits("Presets…");
  if (ImGui::SmallButton("Presets…")) st.view.presets = true;
  same_line_if_fits("Remove");
  ImGui::BeginDisabled(st.panes.size() <= 1);
  if (ImGui::SmallButton("Remove")) app.remove_focused_pane();
  app.note_item("remove_pane");
  ImGui::EndDisabled();
  if (st.can_restore_pane()) {
    same_line_if_fits("Restore");
    if (ImGui::SmallButton("Restore")) app.guarded("restore the pane", [&] { st.restore_removed_pane(); });
  }
  draw_overlap_controls(app);
  ImGui::Separator();

  model::Pane& p = st.focused_pane();
  const core::Scenario& sc = p.scenario();
  const bool transpose = sc.spec.op == core::Op::conv2d_transpose;

  // ---- operation & convention ----
  const bool depthwise = sc.spec.op == core::Op::depthwise_conv2d;
  int op = transpose ? 1 : depthwise ? 2 : 0;
  if (ImGui::RadioButton("Conv2D", &op, 0)) apply(app, "op", [&] { return p.set_op(core::Op::conv2d); });
  same_line_if_fits("O Conv2DTranspose");  // the radio's circle is about a letter wide
  if (ImGui::RadioButton("Conv2DTranspose", &op, 1)) apply(app, "op", [&] { return p.set_op(core::Op::conv2d_transpose); });
  ImGui::SameLine();
  if (ImGui::RadioButton("Depthwise", &op, 2)) apply(app, "op", [&] { return p.set_op(core::Op::depthwise_conv2d); });
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("DepthwiseConv2D: each input channel its own kh×kw filters (depth multiplier M)");
  error_after(app, "op");
  int conv = sc.spec.convention == core::Convention::keras ? 0 : 1;
  if (ImGui::RadioButton("Keras", &conv, 0)) apply(app, "convention", [&] { return p.set_convention(core::Convention::keras); });
  app.note_item("keras");
  ImGui::SameLine();
  if (ImGui::RadioButton("PyTorch", &conv, 1))
    apply(app, "convention", [&] { return p.set_convention(core::Convention::pytorch); });
  error_after(app, "convention");

  // ---- shapes ----
  if (ImGui::CollapsingHeader("Shapes", ImGuiTreeNodeFlags_DefaultOpen)) {
    int a, b;
    if (slider_pair("input H×W", sc.input.h, sc.input.w, 1, 64, a, b))
      apply(app, "input", [&] { return p.set_input_size(a, b); });
    error_after(app, "input");
    int c_in = static_cast<int>(sc.input.c), f = static_cast<int>(sc.filters());
    if (ImGui::SliderInt("channels C_in", &c_in, 1, 8, "%d", kClamp))
      apply(app, "channels", [&] { return p.set_channels(std::max(c_in, 1)); });
    app.note_item("channels");
    error_after(app, "channels");
    if (depthwise) {
      int m = static_cast<int>(p.depth_multiplier());
      if (ImGui::SliderInt("depth mult. M", &m, 1, 4, "%d", kClamp))
        apply(app, "filters", [&] { return p.set_depth_multiplier(std::max(m, 1)); });
    } else if (ImGui::SliderInt("filters F", &f, 1, 8, "%d", kClamp)) {
      apply(app, "filters", [&] { return p.set_filters(std::max(f, 1)); });
    }
    error_after(app, "filters");
    draw_groups_control(app, p);
    if (slider_pair("kernel kh×kw", sc.kernel.kh, sc.kernel.kw, 1, 9, a, b))
      apply(app, "kernel", [&] { return p.set_kernel_size(a, b); });
    error_after(app, "kernel");
    // Which channel and filter the grids show (follow the step by default).
    auto chooser = [&](const char* label, int& value, int64_t count, const char* letter) {
      std::string preview = value < 0 ? "follow the step" : std::string(letter) + " " + std::to_string(value);
      if (ImGui::BeginCombo(label, preview.c_str())) {
        if (ImGui::Selectable("follow the step", value < 0)) value = -1;
        for (int i = 0; i < count; ++i)
          if (ImGui::Selectable((std::string(letter) + " " + std::to_string(i)).c_str(), value == i)) value = i;
        ImGui::EndCombo();
      }
    };
    chooser("shown channel", p.view_channel, sc.input.c, "c");
    chooser("shown filter", p.view_filter, sc.filters(), "f");
    draw_channel_view_toggles(p);
  }

  // ---- parameters ----
  if (ImGui::CollapsingHeader("Parameters", ImGuiTreeNodeFlags_DefaultOpen)) {
    int a, b;
    if (slider_pair("strides", sc.spec.strides[0], sc.spec.strides[1], 1, 4, a, b))
      apply(app, "strides", [&] { return p.set_strides({a, b}); });
    error_after(app, "strides");
    if (slider_pair("dilation", sc.spec.dilation[0], sc.spec.dilation[1], 1, 4, a, b))
      apply(app, "dilation", [&] { return p.set_dilation({a, b}); });
    error_after(app, "dilation");
    const char* kinds[] = {"valid", "same", "explicit"};
    int kind = static_cast<int>(sc.spec.padding);
    if (ImGui::Combo("padding", &kind, kinds, 3)) {
      apply(app, "padding", [&] {
        return p.set_padding(static_cast<core::PaddingKind>(kind), sc.spec.pad_before, sc.spec.pad_after);
      });
    }
    if (sc.spec.padding == core::PaddingKind::explicit_pads) {
      int tb[2] = {static_cast<int>(sc.spec.pad_before[0]), static_cast<int>(sc.spec.pad_after[0])};
      int lr[2] = {static_cast<int>(sc.spec.pad_before[1]), static_cast<int>(sc.spec.pad_after[1])};
      bool changed = ImGui::SliderInt2("top, bottom", tb, 0, 8, "%d", kClamp);
      changed |= ImGui::SliderInt2("left, right", lr, 0, 8, "%d", kClamp);
      if (changed)
        apply(app, "padding", [&] {
          return p.set_padding(core::PaddingKind::explicit_pads, {std::max(tb[0], 0), std::max(lr[0], 0)},
                               {std::max(tb[1], 0), std::max(lr[1], 0)});
        });
    }
    error_after(app, "padding");
    if (transpose) {
      bool has = sc.spec.output_padding.has_value();
      if (ImGui::Checkbox("output_padding", &has))
        apply(app, "output_padding", [&] { return p.set_output_padding(has ? std::optional<core::Pair>(core::Pair{0, 0}) : std::nullopt); });
      if (sc.spec.output_padding) {
        if (slider_pair("##output_padding", (*sc.spec.output_padding)[0], (*sc.spec.output_padding)[1], 0, 3, a, b))
          apply(app, "output_padding", [&] { return p.set_output_padding(core::Pair{a, b}); });
      } else {
        ImGui::SameLine();
        ImGui::TextDisabled(sc.spec.convention == core::Convention::keras ? "None" : "0");
      }
      error_after(app, "output_padding");
    }
    bool bias = sc.bias.has_value();
    if (ImGui::Checkbox("bias", &bias)) apply(app, "bias", [&] { return p.set_bias(bias); });
    if (sc.bias) {
      for (size_t i = 0; i < sc.bias->size() && i < 8; ++i) {
        double v = (*sc.bias)[i];
        ImGui::PushID(static_cast<int>(i));
        if (ImGui::InputDouble(("b[" + std::to_string(i) + "]").c_str(), &v, 0.5, 1.0, "%.4g"))
          apply(app, "bias", [&] {
            return p.set_value({model::Tensor::bias, 0, 0, 0, static_cast<int64_t>(i)}, v, "bias" + std::to_string(i));
          });
        ImGui::PopID();
      }
    }
    error_after(app, "bias");
  }

  // ---- values ----
  if (ImGui::CollapsingHeader("Values", ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::PushStyleColor(ImGuiCol_Text, ImGui::GetStyle().Colors[ImGuiCol_TextDisabled]);
    ImGui::TextWrapped("Click a cell and type, or drag it up/down.");  // wrapped: a narrow column cut it
    ImGui::PopStyleColor();
    const model::Fill fills[] = {model::Fill::ones, model::Fill::zeros, model::Fill::random_integers, model::Fill::ramp,
                                 model::Fill::identity, model::Fill::edge, model::Fill::blur};
    static uint32_t seed = 1;
    ImGui::TextUnformatted("fill input:");
    for (size_t i = 0; i < std::size(fills); ++i) {
      if (i > 0) same_line_if_fits(model::fill_name(fills[i]));
      ImGui::PushID(static_cast<int>(i));
      if (ImGui::SmallButton(model::fill_name(fills[i]))) apply(app, "fill", [&] { return p.fill_input(fills[i], seed++); });
      ImGui::PopID();
    }
    ImGui::TextUnformatted("fill kernel:");
    for (size_t i = 0; i < std::size(fills); ++i) {
      if (i > 0) same_line_if_fits(model::fill_name(fills[i]));
      ImGui::PushID(100 + static_cast<int>(i));
      if (ImGui::SmallButton(model::fill_name(fills[i]))) apply(app, "fill", [&] { return p.fill_kernel(fills[i], seed++); });
      ImGui::PopID();
    }
    error_after(app, "fill");
  }

  // ---- image ----
  if (ImGui::CollapsingHeader("Image as input")) {
    ImGui::InputTextWithHint("##image", "path to a PNG or JPEG", &app.image_path);
    ImGui::Checkbox("keep 3 colour channels", &app.image_colour);
    same_line_if_fits("Load");
    if (ImGui::Button("Load")) app.load_image(app.image_path);
    ImGui::TextDisabled("resized to the input's H×W");
  }

  ImGui::Separator();
  ImGui::BeginDisabled(!st.can_undo());
  if (ImGui::Button("Undo")) app.undo();
  ImGui::EndDisabled();
  same_line_if_fits("Redo");
  ImGui::BeginDisabled(!p.can_redo());
  if (ImGui::Button("Redo")) app.redo();
  ImGui::EndDisabled();
  same_line_if_fits("Reset to preset");
  if (ImGui::Button("Reset to preset") && !p.reset_to_preset()) app.set_status(p.error(), true);
  if (!app.status.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, app.status_error ? kErrorColour : kOkColour);
    ImGui::TextWrapped("%s", app.status.c_str());
    ImGui::PopStyleColor();
  }
  ImGui::PopItemWidth();
  ImGui::End();
}

}  // namespace gui
