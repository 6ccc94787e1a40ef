// export_panel.cpp — the Export panel (Ctrl+E): current frame as PNG, every
// frame as numbered PNGs, or an animated GIF, of the chosen panes.
//
// The export renders with its own render::CanvasRenderer in the window's GL
// context, a few milliseconds of frames per UI frame (ExportJob::run_for), while
// the job's worker thread encodes: the window keeps drawing and answering, and
// Cancel takes effect at once. The job works on copies of the panes, so
// playing or editing meanwhile does not change what is exported. Errors show
// in red with the same message the CLI prints.
#include <imgui.h>
#include <imgui_stdlib.h>

#include <cstdlib>
#include <memory>
#include <vector>

#include "app/export/export_job.h"
#include "app/gui/app.h"
#include "app/gui/panels/export_panel.h"
#include "app/gui/panels/panel_style.h"
#include "core/errors.h"

namespace gui {

namespace {

enum What { kCurrentPng = 0, kFramesPng = 1, kGif = 2 };

struct PanelState {
  int what = kGif;
  int per = 1;  // exporter::Per: step, cell, key
  int delay_ms = 0;
  int scale = 1;
  bool title = true, arithmetic = true, formula = true, legend = true;
  std::vector<bool> panes;  // which panes to export (all by default)
  std::string path = "convscope.gif";
  bool path_edited = false;
  std::string message;
  bool message_error = false;
  std::unique_ptr<exporter::ExportJob> job;
  // The exporter's own renderer (created on first use, in the window's context).
  // Never destroyed: at exit the GL context is already gone.
  render::CanvasRenderer* canvas = nullptr;
};

PanelState& panel() {
  // Leaked on purpose (see `canvas`); an unfinished export's temporary file is
  // removed at exit by the atexit hook below.
  static PanelState* p = [] {
    auto* s = new PanelState;
    std::atexit([] {
      if (panel().job) panel().job->cancel();
    });
    return s;
  }();
  return *p;
}

const char* default_path(int what) {
  switch (what) {
    case kCurrentPng: return "convscope.png";
    case kFramesPng: return "convscope_frames/";
    default: return "convscope.gif";
  }
}

std::vector<model::Pane> chosen_panes(const App& app, const PanelState& p) {
  std::vector<model::Pane> out;
  for (size_t i = 0; i < app.state.panes.size(); ++i)
    if (i >= p.panes.size() || p.panes[i]) out.push_back(app.state.panes[i]);
  return out;
}

exporter::ExportSettings settings_of(const PanelState& p) {
  exporter::ExportSettings s;
  s.format = p.what == kCurrentPng ? exporter::Format::png
             : p.what == kFramesPng ? exporter::Format::png_frames
                                    : exporter::Format::gif;
  s.out = p.path;
  s.per = static_cast<exporter::Per>(p.per);
  s.delay_ms = p.delay_ms;
  s.scale = p.scale;
  s.canvas.title = p.title;
  s.canvas.arithmetic = p.arithmetic;
  s.canvas.formula = p.formula;
  s.canvas.legend = p.legend;
  return s;
}

void start(App& app, PanelState& p) {
  p.message.clear();
  try {
    if (p.what != kFramesPng && p.path.empty()) core::fail(core::ErrorCode::export_bad_output, "\"\"");
    if (p.what == kFramesPng && p.path.back() != '/') p.path += '/';
    std::vector<model::Pane> panes = chosen_panes(app, p);
    if (panes.empty()) core::fail(core::ErrorCode::usage, "nothing to export: tick at least one pane");
    if (!p.canvas) p.canvas = new render::CanvasRenderer(app.canvas ? app.canvas->resource_dir() : app.resource_dir);
    p.job = std::make_unique<exporter::ExportJob>(std::move(panes), settings_of(p));
    p.job->begin(*p.canvas);  // opens the temporary file now: a bad path fails here
  } catch (const std::exception& e) {
    p.job.reset();
    p.message = e.what();
    p.message_error = true;
    app.set_status(p.message, true);  // not the previous export's "wrote …"
  }
}

void advance(App& app, PanelState& p) {
  if (!p.job) return;
  try {
    // ~10 ms of rendering per UI frame keeps the window at interactive rates.
    if (p.job->run_for(*p.canvas, 10.0)) {
      const int64_t n = p.job->frame_count();
      p.message = "wrote " + p.job->settings().out + " (" + std::to_string(n) + (n == 1 ? " frame)" : " frames)");
      p.message_error = false;
      app.set_status(p.message, false);
      p.job.reset();
    }
  } catch (const std::exception& e) {
    p.job.reset();
    p.message = e.what();
    p.message_error = true;
    app.set_status(p.message, true);
  }
}

}  // namespace

void draw_export_panel(App& app, bool* open) {
  PanelState& p = panel();
  advance(app, p);
  if (p.panes.size() != app.state.panes.size()) p.panes.assign(app.state.panes.size(), true);

  const float s = app.content_scale;
  // Grows with its content, so the progress bar and messages are never scrolled away.
  ImGui::SetNextWindowSizeConstraints(ImVec2(420 * s, 0), ImVec2(640 * s, 10000));
  if (!ImGui::Begin("Export", open,
                    ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoSavedSettings | ImGuiWindowFlags_AlwaysAutoResize)) {
    ImGui::End();
    return;
  }
  const bool busy = p.job != nullptr;
  ImGui::BeginDisabled(busy);

  ImGui::TextUnformatted("What");
  bool what_changed = ImGui::RadioButton("current frame (PNG)", &p.what, kCurrentPng);
  what_changed |= ImGui::RadioButton("every frame (numbered PNGs)", &p.what, kFramesPng);
  what_changed |= ImGui::RadioButton("animated GIF", &p.what, kGif);
  app.note_item("export.gif");
  if (what_changed && !p.path_edited) p.path = default_path(p.what);

  if (p.what != kCurrentPng) {
    ImGui::TextUnformatted("One frame per");
    ImGui::RadioButton("step (MAC / scatter)", &p.per, static_cast<int>(exporter::Per::step));
    ImGui::SameLine();
    ImGui::RadioButton("cell", &p.per, static_cast<int>(exporter::Per::cell));
    app.note_item("export.per_cell");
    ImGui::SameLine();
    ImGui::RadioButton("key frames", &p.per, static_cast<int>(exporter::Per::key));
    if (p.what == kGif) {
      const int shown = p.delay_ms > 0 ? p.delay_ms : exporter::default_delay_ms(static_cast<exporter::Per>(p.per));
      int d = shown;
      ImGui::SetNextItemWidth(200 * s);
      if (ImGui::SliderInt("delay (ms per frame)", &d, 20, 2000)) p.delay_ms = d;
    }
  }
  ImGui::SetNextItemWidth(200 * s);
  ImGui::SliderInt("scale", &p.scale, 1, 4, "%d×");

  ImGui::TextUnformatted("Panes");
  for (size_t i = 0; i < app.state.panes.size(); ++i) {
    const model::Pane& pane = app.state.panes[i];
    std::string label = std::to_string(i + 1) + ": " + core::op_title(pane.geometry().op) + " " +
                        std::to_string(pane.scenario().input.h) + "×" + std::to_string(pane.scenario().input.w) + "##pane" +
                        std::to_string(i);
    bool on = p.panes[i];
    if (ImGui::Checkbox(label.c_str(), &on)) p.panes[i] = on;
    if (i + 1 < app.state.panes.size()) ImGui::SameLine();
  }
  ImGui::TextUnformatted("Include");
  ImGui::Checkbox("title", &p.title);
  ImGui::SameLine();
  ImGui::Checkbox("arithmetic", &p.arithmetic);
  ImGui::SameLine();
  ImGui::Checkbox("formula", &p.formula);
  ImGui::SameLine();
  ImGui::Checkbox("legend", &p.legend);

  ImGui::SetNextItemWidth(-1);
  if (ImGui::InputTextWithHint("##path", default_path(p.what), &p.path)) p.path_edited = true;
  app.note_item("export.path");

  // The frame count, before anything is rendered.
  const std::vector<model::Pane> panes = chosen_panes(app, p);
  int64_t frames = 0;
  if (!panes.empty()) {
    if (p.what == kCurrentPng) {
      frames = 1;
    } else {
      std::vector<exporter::FramePlan> plans;
      for (const model::Pane& pane : panes) plans.emplace_back(pane.trace(), static_cast<exporter::Per>(p.per));
      frames = exporter::Schedule(std::move(plans)).count();
    }
  }
  const bool large = exporter::is_large_export(frames);
  if (large) ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
  ImGui::TextWrapped("%s", exporter::frame_count_text(frames, static_cast<exporter::Per>(p.per)).c_str());
  if (large) {
    ImGui::PopStyleColor();
    if (p.per == static_cast<int>(exporter::Per::step) && ImGui::SmallButton("one frame per cell"))
      p.per = static_cast<int>(exporter::Per::cell);
    ImGui::SameLine();
    if (ImGui::SmallButton("key frames only")) p.per = static_cast<int>(exporter::Per::key);
  }
  ImGui::EndDisabled();

  if (!busy) {
    ImGui::BeginDisabled(frames == 0);
    const bool pressed = ImGui::Button(large ? "Export anyway" : "Export");
    app.note_item("export.button");
    if (pressed) start(app, p);
    ImGui::EndDisabled();
  } else {
    const double done = p.job->progress();
    const std::string over = std::to_string(p.job->frames_done()) + " / " + std::to_string(p.job->frame_count());
    ImGui::ProgressBar(static_cast<float>(done), ImVec2(-90 * s, 0), over.c_str());
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel");
    app.note_item("export.cancel");
    if (cancel) {
      p.job->cancel();
      p.job.reset();
      p.message = "cancelled: nothing was written";
      p.message_error = false;
    }
  }
  if (!p.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.message_error ? kErrorColour : kOkColour);
    ImGui::TextWrapped("%s", p.message.c_str());
    ImGui::PopStyleColor();
  }
  // For --dump-state.
  app.export_status = {true, p.job != nullptr, p.message_error, frames, p.job ? p.job->frames_done() : 0, p.path, p.message};
  ImGui::End();
}

}  // namespace gui
