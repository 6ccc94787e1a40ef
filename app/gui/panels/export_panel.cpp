// export_panel.cpp — the Export panel (see export_panel.h).
//
// The window stays responsive during a long export: the job renders on this
// (the UI) thread only while its budget lasts — kBudgetMs a UI frame, never a
// frame it predicts would overrun it, and nothing while its worker computes
// or has no room — and the worker encodes, writes and puts the output in
// place. Cancel returns at once; the worker removes the temporaries and the
// panel lets go of the job when it has stopped. The frame-size cap
// (export/frame_limits.h) bounds what one frame can cost. The job works on
// copies of the panes, so playing or editing meanwhile does not change what is
// exported.
#include "app/gui/panels/export_panel.h"

#include <imgui.h>
#include <imgui_stdlib.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <vector>

#include "app/export/export_job.h"
#include "app/export/temporaries.h"
#include "app/gui/app.h"
#include "app/gui/panels/panel_style.h"
#include "core/errors.h"

namespace gui {

namespace {

// Rendering time per UI frame: with the window's own ~15 ms, frames stay well
// under 50 ms and the window keeps answering.
constexpr double kBudgetMs = 10.0;
// A frame renders in one piece, and on llvmpipe one of ~2 megapixels already
// takes ~45 ms to render and read back (8 MP: 170–260 ms; measured on 2 busy
// cores): say so before the user starts.
constexpr int64_t kSlowFramePixels = int64_t{2} << 20;

using Clock = std::chrono::steady_clock;

const char* default_path(int what) {
  switch (what) {
    case ExportPanel::current_png: return "convscope.png";
    case ExportPanel::frames_png: return "convscope_frames/";
    default: return "convscope.gif";
  }
}

bool chosen(const ExportPanel& p, size_t pane) { return pane >= p.panes.size() || p.panes[pane]; }

std::vector<model::Pane> chosen_panes(const App& app, const ExportPanel& p) {
  std::vector<model::Pane> out;
  for (size_t i = 0; i < app.state.panes.size(); ++i)
    if (chosen(p, i)) out.push_back(app.state.panes[i]);
  return out;
}

exporter::ExportSettings settings_of(const ExportPanel& p, bool force) {
  exporter::ExportSettings s;
  s.format = p.what == ExportPanel::current_png  ? exporter::Format::png
             : p.what == ExportPanel::frames_png ? exporter::Format::png_frames
                                                 : exporter::Format::gif;
  s.out = p.path;
  s.per = static_cast<exporter::Per>(p.per);
  s.delay_ms = p.delay_ms;
  s.scale = p.scale;
  s.force = force;
  s.canvas.title = p.title;
  s.canvas.arithmetic = p.arithmetic;
  s.canvas.formula = p.formula;
  s.canvas.legend = p.legend;
  return s;
}

// The exporter's own renderer (shaders, font atlas, its ImGui context: ~0.1–0.2 s
// on llvmpipe), made when the panel first opens rather than in the UI frame that
// starts the first export. Throws like CanvasRenderer's constructor.
void make_renderer(const App& app, ExportPanel& p) {
  p.canvas = std::make_unique<render::CanvasRenderer>(app.canvas ? app.canvas->resource_dir() : app.resource_dir);
}

void show_error(App& app, ExportPanel& p, const std::string& message) {
  p.job.reset();
  p.message = message;
  p.message_error = true;
  app.set_status(p.message, true);  // not the previous export's "wrote …"
}

// `force`: the user confirmed replacing the frame_*.png of a folder holding other files.
void start(App& app, ExportPanel& p, bool force) {
  p.message.clear();
  p.confirm_replace = false;
  p.longest_step_ms = p.longest_step_cpu_ms = 0;
  try {
    if (p.what != ExportPanel::frames_png && p.path.empty()) core::fail(core::ErrorCode::export_bad_output, "\"\"");
    if (p.what == ExportPanel::frames_png && (p.path.empty() || p.path.back() != '/')) p.path += '/';
    std::vector<model::Pane> panes = chosen_panes(app, p);
    if (panes.empty()) core::fail(core::ErrorCode::usage, "nothing to export: tick at least one pane");
    if (!p.canvas) make_renderer(app, p);
    exporter::remove_temporaries_on_signals();
    p.job = std::make_unique<exporter::ExportJob>(std::move(panes), settings_of(p, force));  // the work limit
    p.job->begin(*p.canvas);  // frame size, grid cells, the output opened: a bad path fails here
  } catch (const core::Error& e) {
    show_error(app, p, e.what());
    p.confirm_replace = e.code() == core::ErrorCode::export_folder_not_frames;
  } catch (const std::exception& e) {
    show_error(app, p, e.what());
  }
}

void wrote(App& app, ExportPanel& p) {
  const int64_t n = p.job->frame_count();
  p.message = "wrote " + p.job->settings().out + " (" + std::to_string(n) + (n == 1 ? " frame)" : " frames)");
  p.message_error = false;
  app.set_status(p.message, false);
  p.job.reset();
}

double thread_cpu_ms() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) * 1e3 + static_cast<double>(t.tv_nsec) / 1e6;
}

void advance(App& app, ExportPanel& p) {
  if (!p.job) return;
  const auto t0 = Clock::now();
  const double cpu0 = thread_cpu_ms();
  try {
    if (p.job->cancelled()) {
      // Cancel pressed while the worker was already putting the output in
      // place: it finishes that, and the file is there after all.
      if (p.job->stopped() && p.job->finished()) {
        wrote(app, p);
      } else if (p.job->stopped()) {
        p.job.reset();
        p.message = "cancelled: nothing was written";
        p.message_error = false;
      }
    } else if (p.job->run_for(*p.canvas, kBudgetMs)) {
      wrote(app, p);
    }
  } catch (const std::exception& e) {
    show_error(app, p, e.what());
  }
  p.longest_step_ms = std::max(p.longest_step_ms, std::chrono::duration<double, std::milli>(Clock::now() - t0).count());
  p.longest_step_cpu_ms = std::max(p.longest_step_cpu_ms, thread_cpu_ms() - cpu0);
}

// What the export would be refused for (the work limit, the frame size, the
// grid cells), before the user starts it; "" when nothing. `size`: the frame size.
std::string limits_problem(const App& app, const ExportPanel& p, render::Size& size) {
  // The export's own renderer, as start() uses: asking the window's would bake its
  // fonts at the export's scale and back again every frame (seconds under ASan).
  if (!p.canvas) return {};  // no renderer to ask: start() finds out
  if (p.job) return {};      // it is drawing that export's frames: the next one is checked when it ends
  std::vector<const model::Pane*> panes;
  for (size_t i = 0; i < app.state.panes.size(); ++i)
    if (chosen(p, i)) panes.push_back(&app.state.panes[i]);
  if (panes.empty()) return {};
  try {
    size = exporter::check_export(panes, settings_of(p, false), *p.canvas);
  } catch (const core::Error& e) {
    return e.what();
  }
  return {};
}

// The frame count, before anything is rendered.
int64_t planned_frames(const App& app, const ExportPanel& p) {
  std::vector<exporter::FramePlan> plans;
  for (size_t i = 0; i < app.state.panes.size(); ++i)
    if (chosen(p, i)) plans.emplace_back(app.state.panes[i].trace(), static_cast<exporter::Per>(p.per));
  if (plans.empty()) return 0;
  return p.what == ExportPanel::current_png ? 1 : exporter::Schedule(std::move(plans)).count();
}

}  // namespace

ExportPanel::ExportPanel() = default;
ExportPanel::~ExportPanel() {
  job.reset();  // cancels, waits for the worker to remove the temporaries
}

void draw_export_panel(App& app, ExportPanel& p, bool* open) {
  if (!p.canvas && !p.renderer_failed) {
    try {
      make_renderer(app, p);
    } catch (const std::exception&) {
      p.renderer_failed = true;  // start() tries again and shows why
    }
  }
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
  bool changed = ImGui::RadioButton("current frame (PNG)", &p.what, ExportPanel::current_png);
  changed |= ImGui::RadioButton("every frame (numbered PNGs)", &p.what, ExportPanel::frames_png);
  app.note_item("export.frames");
  changed |= ImGui::RadioButton("animated GIF", &p.what, ExportPanel::gif);
  app.note_item("export.gif");
  if (changed && !p.path_edited) p.path = default_path(p.what);

  if (p.what != ExportPanel::current_png) {
    ImGui::TextUnformatted("One frame per");
    ImGui::RadioButton("step (MAC / scatter)", &p.per, static_cast<int>(exporter::Per::step));
    app.note_item("export.per_step");
    ImGui::SameLine();
    ImGui::RadioButton("cell", &p.per, static_cast<int>(exporter::Per::cell));
    app.note_item("export.per_cell");
    ImGui::SameLine();
    ImGui::RadioButton("key frames", &p.per, static_cast<int>(exporter::Per::key));
    if (p.what == ExportPanel::gif) {
      const int shown = p.delay_ms > 0 ? p.delay_ms : exporter::default_delay_ms(static_cast<exporter::Per>(p.per));
      int d = shown;
      ImGui::SetNextItemWidth(200 * s);
      if (ImGui::SliderInt("delay (ms per frame)", &d, 20, 2000)) p.delay_ms = d;
    }
  }
  ImGui::SetNextItemWidth(200 * s);
  ImGui::SliderInt("scale", &p.scale, 1, 4, "%d×", ImGuiSliderFlags_AlwaysClamp);
  app.note_item("export.scale");

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
  if (ImGui::InputTextWithHint("##path", default_path(p.what), &p.path)) p.path_edited = true, changed = true;
  app.note_item("export.path");
  if (changed) p.confirm_replace = false;  // the question was about another folder

  const int64_t frames = planned_frames(app, p);
  render::Size size;
  const std::string problem = limits_problem(app, p, size);
  const bool large = exporter::is_large_export(frames);
  if (large) ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
  std::string count = exporter::frame_count_text(frames, static_cast<exporter::Per>(p.per));
  if (size.w > 0) count += ", " + std::to_string(size.w) + "×" + std::to_string(size.h) + " px";
  ImGui::TextWrapped("%s", count.c_str());
  if (large) {
    ImGui::PopStyleColor();
    if (p.per == static_cast<int>(exporter::Per::step) && ImGui::SmallButton("one frame per cell"))
      p.per = static_cast<int>(exporter::Per::cell);
    ImGui::SameLine();
    if (ImGui::SmallButton("key frames only")) p.per = static_cast<int>(exporter::Per::key);
  }
  ImGui::EndDisabled();
  if (!problem.empty()) {  // refused before it starts: a frame too large, past the work limit
    ImGui::PushStyleColor(ImGuiCol_Text, kErrorColour);
    ImGui::TextWrapped("%s", problem.c_str());
    ImGui::PopStyleColor();
    app.note_item("export.limit");
  } else if (int64_t{size.w} * size.h > kSlowFramePixels) {
    ImGui::TextWrapped("Frames this large take a while each: the window answers slowly until the export ends.");
  }

  if (!busy) {
    ImGui::BeginDisabled(frames == 0 || !problem.empty());
    const bool pressed = ImGui::Button(large ? "Export anyway" : "Export");
    app.note_item("export.button");
    ImGui::EndDisabled();
    bool replace = false;
    if (p.confirm_replace) {
      ImGui::SameLine();
      replace = ImGui::Button("Replace only its frame_*.png");
      app.note_item("export.replace");
    }
    if (pressed || replace) start(app, p, replace);
  } else if (p.job->cancelled()) {
    ImGui::TextUnformatted("cancelling…");
  } else {
    const double done = p.job->progress();
    const std::string over = p.job->writing() ? std::string("writing…")
                                              : std::to_string(p.job->frames_done()) + " / " +
                                                    std::to_string(p.job->frame_count());
    ImGui::ProgressBar(static_cast<float>(done), ImVec2(-90 * s, 0), over.c_str());
    ImGui::SameLine();
    const bool cancel = ImGui::Button("Cancel");
    app.note_item("export.cancel");
    if (cancel) p.job->request_cancel();  // the worker removes what was written; advance() lets go of the job
  }
  if (!p.message.empty()) {
    ImGui::PushStyleColor(ImGuiCol_Text, p.message_error ? kErrorColour : kOkColour);
    ImGui::TextWrapped("%s", p.message.c_str());
    ImGui::PopStyleColor();
  }
  // For --dump-state.
  app.export_status = {true, p.job != nullptr, p.message_error, frames, p.job ? p.job->frames_done() : 0, p.path,
                       p.message, p.longest_step_ms, p.longest_step_cpu_ms, problem};
  ImGui::End();
}

}  // namespace gui
