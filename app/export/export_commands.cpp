// export_commands.cpp — `convscope export` and `convscope gallery`: frames
// and GIFs rendered headless (EGL surfaceless), the same renderer as the window.
#include <CLI/CLI.hpp>

#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "app/cli/commands.h"
#include "app/export/export_job.h"
#include "app/export/frame_limits.h"
#include "app/export/gallery.h"
#include "app/export/headless_gl.h"
#include "app/export/lesson_export.h"
#include "app/render/resources.h"
#include "app/export/temporaries.h"
#include "app/render/canvas_renderer.h"
#include "core/errors.h"
#include "core/scenario.h"

namespace cli {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

// User + system CPU time of this process's threads and of its waited-for children, in ms.
double cpu_ms_self_and_children() {
  double ms = 0;
  for (const int who : {RUSAGE_SELF, RUSAGE_CHILDREN}) {
    rusage u{};
    getrusage(who, &u);
    ms += (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
  }
  return ms;
}

// The renderer's own failures (missing shaders or font) are std::runtime_error.
std::unique_ptr<render::CanvasRenderer> make_canvas() {
  try {
    return std::make_unique<render::CanvasRenderer>();
  } catch (const core::Error&) {
    throw;
  } catch (const std::exception& e) {
    core::fail(core::ErrorCode::export_no_gl, e.what());
  }
}

struct ExportOptions {
  std::string file, out, per = "step", order;
  long long step = -2;  // -2: not given
  int scale = 1, delay = 0;
  std::vector<int> size;
  bool no_title = false, no_arithmetic = false, no_formula = false, no_legend = false, quiet = false;
  bool equivalent = false, force = false;
  std::string hover;                          // out|in|kernel:y,x[,c]
  bool overlap = false, overlap_weights = false;
  bool volume = false, all_channels = false;  // the pane's volume view / its slice view with every channel
};

int run_export(const ExportOptions& o) {
  exporter::ExportSettings s;
  s.out = o.out;
  s.format = exporter::format_for_path(o.out);
  const auto per = exporter::parse_per(o.per);
  if (!per) core::fail(core::ErrorCode::usage, "--per must be step, cell or key, got " + o.per);
  s.per = *per;
  if (o.scale < 1 || o.scale > 4) core::fail(core::ErrorCode::usage, "--scale must be 1 … 4, got " + std::to_string(o.scale));
  if (o.delay < 0 || o.delay > 655350)
    core::fail(core::ErrorCode::usage, "--delay must be 0 … 655350 ms, got " + std::to_string(o.delay));
  if (o.step != -2 && s.format != exporter::Format::png)
    core::fail(core::ErrorCode::usage, "--step picks the frame of a .png output; a GIF or a folder gets every frame of --per");
  s.scale = o.scale;
  s.delay_ms = o.delay;
  if (!o.size.empty()) {
    if (o.size.size() != 2 || o.size[0] < 16 || o.size[1] < 16)
      core::fail(core::ErrorCode::usage, "--size takes a width and a height of at least 16 pixels");
    s.size = {o.size[0], o.size[1]};
    exporter::check_frame_size(s.size);  // before the scenario is even read
  }
  if (o.force && s.format != exporter::Format::png_frames)
    core::fail(core::ErrorCode::usage, "--force applies to numbered frames into a folder");
  s.force = o.force;
  s.canvas.title = !o.no_title;
  s.canvas.arithmetic = !o.no_arithmetic;
  s.canvas.formula = !o.no_formula;
  s.canvas.legend = !o.no_legend;
  s.canvas.equivalent = o.equivalent;

  model::Pane pane(core::load_scenario(o.file), o.file);
  pane.volume_view = o.volume;
  pane.all_channels = o.all_channels;
  if (!o.order.empty()) {
    const core::TraceOrder order = cli::order_option(o.order);
    pane.set_order(order);  // scatter on a Conv2D: the core's one-line refusal
    // A transpose gathering is conv_arithmetic's picture: its window moves over the zero-inserted grid.
    if (order == core::TraceOrder::gather && core::is_transpose(pane.scenario().spec.op)) s.canvas.equivalent = true;
  }
  if (s.format == exporter::Format::png) {
    // Default: the finished picture. -1 is the state before the first step.
    const long long last = pane.last_step();
    const long long n = o.step == -2 ? last : o.step;
    if (n < -1 || n > last) core::fail(core::ErrorCode::step_out_of_range, n, last + 1, last);
    pane.set_cursor(n);
  }
  // The teaching overlays, as the window draws them (hover pinned, overlap map on).
  pane.overlap_map = o.overlap || o.overlap_weights;
  pane.overlap_weights = o.overlap_weights;
  if (!o.hover.empty()) {
    std::string why;
    const std::optional<model::HoverTarget> target = model::parse_hover(o.hover, pane, &why);
    if (!target) core::fail(core::ErrorCode::usage, why);
    s.canvas.hover = std::make_shared<const model::HoverLinks>(model::hover_links(pane, *target));
  }
  std::vector<model::Pane> panes;
  panes.push_back(std::move(pane));
  exporter::ExportJob job(std::move(panes), s);  // refuses a scenario past the work limit
  exporter::HeadlessGl gl;
  auto canvas = make_canvas();
  exporter::remove_temporaries_on_signals();
  job.run(*canvas);
  if (!o.quiet) {
    const render::Size size = job.frame_size(*canvas);
    std::cerr << "convscope: wrote " << o.out << " (" << exporter::format_name(s.format) << ", " << job.frame_count()
              << (job.frame_count() == 1 ? " frame, " : " frames, ") << size.w << "×" << size.h << ")\n";
  }
  return kExitOk;
}

struct LessonExportOptions {
  std::string lesson, out;
  int scale = 1;
  bool quiet = false;
};

int run_export_lesson(const LessonExportOptions& o) {
  if (o.scale < 1 || o.scale > 4) core::fail(core::ErrorCode::usage, "--scale must be 1 … 4, got " + std::to_string(o.scale));
  const std::string dir = render::find_resource_dir();
  if (dir.empty()) core::fail(core::ErrorCode::usage, render::missing_resources_message());
  // The lesson is read and checked whole before anything is rendered or written.
  const model::Lesson lesson = model::load_lesson(model::find_lesson(o.lesson, dir + "/assets/lessons"));
  exporter::HeadlessGl gl;
  auto canvas = make_canvas();
  exporter::remove_temporaries_on_signals();
  const exporter::LessonExport r = exporter::export_lesson(lesson, o.out, *canvas, o.scale);
  if (!o.quiet)
    std::cerr << "convscope: wrote " << o.out << (o.out.empty() || o.out.back() == '/' ? "" : "/") << "index.html and "
              << r.files.size() - 1 << " slide images\n";
  return kExitOk;
}

struct GalleryOptions {
  std::string out_dir;
  int scale = 1, delay = 0;
  bool bench = false;
};

// conv_arithmetic's LaTeX → PDF → PNG → GIF pipeline, measured on this project's
// machine kind (issue 10): about 1.3 s of CPU per frame.
constexpr double kConvArithmeticMsPerFrame = 1300;

// One process: this thread renders (one EGL context, shaders and font atlas made
// once), each GIF's worker thread encodes beside it (gallery.cpp's pipeline).
int run_gallery(const GalleryOptions& o) {
  if (o.scale < 1 || o.scale > 4) core::fail(core::ErrorCode::usage, "--scale must be 1 … 4, got " + std::to_string(o.scale));
  const auto t0 = Clock::now();
  exporter::make_gallery_dir(o.out_dir);
  exporter::remove_temporaries_on_signals();
  exporter::HeadlessGl gl;
  auto canvas = make_canvas();
  const double startup_ms = ms_since(t0);
  const exporter::GalleryReport r = exporter::write_gallery(o.out_dir, *canvas, o.scale, o.delay);
  const double total_ms = ms_since(t0), total_cpu_ms = cpu_ms_self_and_children();
  for (const exporter::GalleryFile& f : r.files)
    std::cout << f.path << "  " << f.frames << " frames  " << f.width << "×" << f.height << "  " << f.bytes
              << " bytes\n";
  if (o.bench) {
    const double frames = static_cast<double>(std::max<int64_t>(r.frames, 1));
    char line[600];
    std::snprintf(line, sizeof line,
                  "gallery: %zu files, %lld frames, one process (start-up %.0f ms once: EGL, shaders, font; a "
                  "render thread and an encoder thread per GIF, two GIFs at a time): wall %.0f ms = %.2f ms/frame; "
                  "CPU (user+sys, all threads and children) %.0f ms = %.2f ms/frame (render %.2f, encode+write %.2f "
                  "ms/frame); conv_arithmetic ~%.1f s/frame of CPU: %.0f× faster; renderer %s\n",
                  r.files.size(), static_cast<long long>(r.frames), startup_ms, total_ms, total_ms / frames,
                  total_cpu_ms, total_cpu_ms / frames, r.render_ms / frames, r.encode_ms / frames,
                  kConvArithmeticMsPerFrame / 1000, kConvArithmeticMsPerFrame / (total_cpu_ms / frames),
                  gl.renderer_name().c_str());
    std::cout << line;
  }
  std::cout.flush();
  return std::cout ? kExitOk : kExitError;
}

}  // namespace

void register_export_commands(CLI::App& app, Action& chosen) {
  auto eo = std::make_shared<ExportOptions>();
  CLI::App* ex = app.add_subcommand(
      "export",
      "Render a scenario's steps headless (no display needed) as an animated GIF, one PNG, or numbered PNG frames");
  ex->add_option("FILE", eo->file, "scenario JSON (- for stdin)")->required();
  ex->add_option("--out,-o", eo->out,
                 "OUT.gif: one animation; OUT.png: the frame at --step; a folder (or a path ending in /): "
                 "frame_000000.png …")
      ->required();
  ex->add_option("--per", eo->per,
                 "step: one frame per multiply-accumulate/scatter (default); cell: one per output cell (a Conv2D, or a "
                 "Conv2DTranspose with --order gather) or input cell (a scattering Conv2DTranspose), after its last "
                 "step; key: the first step, each cell's end, the end");
  ex->add_option("--order", eo->order,
                 "scatter (a Conv2DTranspose's default: input cell by input cell, each stamping the kernel) or "
                 "gather (output cell by output cell, as conv_arithmetic draws it: the window of the equivalent "
                 "convolution moves over the zero-inserted input, which is drawn; --per cell then gives one frame "
                 "per output cell). A Conv2D always gathers");
  ex->add_option("--step", eo->step, "for OUT.png: the step shown (default: the last; -1: before the first)");
  ex->add_option("--scale", eo->scale, "content scale 1 … 4 (default 1), whatever the monitor");
  ex->add_option("--delay", eo->delay,
                 "milliseconds per frame (default: 150 per step, so a run of steps plays; 1000 per cell and key, "
                 "slides long enough to read the arithmetic line); the last frame holds 3× longer (at least 1.5 s)");
  ex->add_option("--size", eo->size,
                 "canvas width and height in pixels (default: its natural size at --scale); e.g. the window's "
                 "canvas size, to get the window's exact pixels. At most 8192 a side and 32 megapixels")
      ->expected(2)
      ->type_name("W H");
  ex->add_flag("--no-title", eo->no_title, "leave out the title line");
  ex->add_flag("--no-arithmetic", eo->no_arithmetic, "leave out the arithmetic line");
  ex->add_flag("--no-formula", eo->no_formula, "leave out the output-length formula");
  ex->add_flag("--no-legend", eo->no_legend, "leave out the colour legend");
  ex->add_flag("--equivalent", eo->equivalent,
               "under a Conv2DTranspose, also draw the same arithmetic as a stride-1 convolution over the "
               "zero-inserted input (View → Equivalent view)");
  ex->add_option("--hover", eo->hover,
                 "light what a cell is linked to, as hovering it in the window does: out:y,x[,f] (its window or "
                 "stamps), in:y,x[,c] (the outputs it feeds), kernel:ky,kx[,c] (every product of that weight)");
  ex->add_flag("--overlap", eo->overlap,
               "the overlap map: taps landing on each output cell of a transpose (the checkerboard), windows reading "
               "each input cell of a conv, with its legend and explanation");
  ex->add_flag("--overlap-weights", eo->overlap_weights, "the overlap map as the sum of the weights landing on each cell");
  ex->add_flag("--volume", eo->volume,
               "draw the tensors as volumes: channels as stacked slices, each filter a stack, the current slices "
               "pulled out with their numbers, the sum over channels spelled out");
  ex->add_flag("--all-channels", eo->all_channels,
               "slice view with every input channel side by side (and the current filter's weight slices)");
  ex->add_flag("--force", eo->force,
               "numbered frames into a folder that holds other files too: replace only its frame_*.png (the other "
               "files stay); without it such a folder is refused");
  ex->add_flag("--quiet,-q", eo->quiet, "no summary line on stderr");
  ex->callback([&chosen, eo] { chosen = [eo] { return run_export(*eo); }; });

  auto lo = std::make_shared<LessonExportOptions>();
  CLI::App* el = app.add_subcommand(
      "export-lesson",
      "Write a lesson as a self-contained web page: DIR/index.html with each slide's caption and picture, a GIF of "
      "the steps it plays or a PNG of a still slide (no network, no scripts)");
  el->add_option("LESSON", lo->lesson, "a lesson file or a shipped lesson's name (conv_shrinks, checkerboard, …)")
      ->required();
  el->add_option("--out,-o", lo->out, "the folder for index.html and slide_NN.gif / .png (created if missing)")->required();
  el->add_option("--scale", lo->scale, "content scale 1 … 4 (default 1)");
  el->add_flag("--quiet,-q", lo->quiet, "no summary line on stderr");
  el->callback([&chosen, lo] { chosen = [lo] { return run_export_lesson(*lo); }; });

  auto go = std::make_shared<GalleryOptions>();
  CLI::App* gal = app.add_subcommand(
      "gallery",
      "Write the convolution-arithmetic catalogue (conv_arithmetic's cases, their transposes, rectangular, Keras "
      "'same', the seed) as GIFs, one frame per cell, into OUT_DIR");
  gal->add_option("OUT_DIR", go->out_dir, "folder for the GIFs (created if missing)")->required();
  gal->add_option("--scale", go->scale, "content scale 1 … 4 (default 1)");
  gal->add_option("--delay", go->delay, "milliseconds per frame (default 1000: slides, one per cell)");
  gal->add_flag("--bench", go->bench,
               "print frames, wall and CPU time per frame (this process and its threads), start-up, and the ratio "
               "to conv_arithmetic's ~1.3 s of CPU per frame");
  gal->callback([&chosen, go] { chosen = [go] { return run_gallery(*go); }; });
}

}  // namespace cli
