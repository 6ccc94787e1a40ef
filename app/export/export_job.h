// export_job.h — one export: plan the frames, render each through the
// CanvasRenderer, encode and write them (GIF, one PNG, or numbered PNGs).
// Knows nothing of a window: the CLI, the gallery and the Export panel drive it.
//
//   exporter::ExportSettings s;  s.out = "seed.gif";  s.per = exporter::Per::cell;
//   exporter::ExportJob job({pane}, s);      // plans, checks the work limit: job.frame_count() before any work
//   job.begin(canvas);                       // checks the frame and grid sizes, opens the output
//   while (!job.run_for(canvas, 10.0)) { ... draw the UI; maybe job.request_cancel() ... }   // a window
//   job.run(canvas);                         // or everything at once (CLI, gallery)
//
// Threads. The calling thread renders (it owns the GL context, and the
// renderer's ImGui context cannot run beside the window's). A worker thread
// first computes every pane's direct result (up to the work limit: seconds),
// then maps each frame to the palette, encodes and writes it, and at the end
// puts the output in place (the GIF's rename, or the frame-set swap). So
// run_for() never waits for anything: it renders nothing while the worker is
// computing or has no room for another frame, starts a frame only while the
// last frame's time still fits in `budget_ms` (one frame at least when it
// renders at all), and returns true once the worker has put the output in
// place. request_cancel() returns at once (the worker finishes the frame in
// hand, removes the temporaries and stops: stopped()); cancel() and the
// destructor also wait for it.
//
// A PNG export (`Format::png`) renders the panes at the cursors they arrive
// with; GIF and numbered frames move every pane through the Schedule of `per`.
// Frames render at content scale `scale` whatever the monitor. The panes are
// the job's own copies: moving their cursors never touches the window's.
//
// Limits, checked before anything is written (core::Error): the work of a
// full compute (work_over_limit, at construction), the frame size
// (frame_too_large) and the grid cells the renderer lays out
// (canvas_too_large) in begin() — see frame_limits.h. Frames in flight are
// bounded by kInFlightBytes. Nothing reaches `out` before the last frame is
// written (temporary + rename, or FrameFolder's swap): a cancel or an error
// leaves any earlier file or frame set as it was, and no temporary behind.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "app/export/frame_plan.h"
#include "app/model/pane.h"
#include "app/render/canvas_renderer.h"

namespace exporter {

enum class Format { gif, png, png_frames };
const char* format_name(Format f);  // "GIF", "PNG", "PNG frames"

// .gif → gif, .png → png, an existing folder or a path ending in '/' → png_frames.
// Throws core::Error(export_bad_output) otherwise.
Format format_for_path(const std::string& out);

struct ExportSettings {
  Format format = Format::gif;
  std::string out;
  Per per = Per::step;
  int delay_ms = 0;       // 0 = default_delay_ms(per)
  int last_delay_ms = 0;  // 0 = the last frame holds max(3 × delay, 1.5 s)
  int scale = 1;          // 1 … 4: content scale of the frames
  render::Size size;      // canvas size in pixels; 0×0 = the renderer's preferred size at `scale`
  bool force = false;     // numbered frames into a folder holding other files: replace only its frame_*.png
  render::CanvasOptions canvas;  // title / arithmetic / formula / legend …; content_scale is set from `scale`
  // Instead of `per`: one frame per step from first to last of every pane
  // (clamped to each pane's trace), as a lesson slide plays.
  std::optional<std::pair<int64_t, int64_t>> steps;
};

int default_delay_ms(Per per);  // step 150 (plays), cell and key 1000 (slides)

// Every limit an export checks, without making a job (the Export panel shows
// the message before the user starts): the work of a full compute per pane,
// then the frame size and the grid cells (frame_limits.h) for `canvas`.
// Returns the frame size; throws core::Error. ExportJob checks the same.
render::Size check_export(const std::vector<const model::Pane*>& panes, const ExportSettings& settings,
                          const render::CanvasRenderer& canvas);

class ExportJob {
 public:
  // Throws core::Error: no pane, or a pane past the work limit.
  ExportJob(std::vector<model::Pane> panes, ExportSettings settings);
  ~ExportJob();
  ExportJob(const ExportJob&) = delete;
  ExportJob& operator=(const ExportJob&) = delete;

  const ExportSettings& settings() const { return settings_; }
  int64_t frame_count() const;  // known before begin()
  int64_t frames_done() const { return rendered_; }
  double progress() const { return frame_count() ? static_cast<double>(rendered_) / frame_count() : 1.0; }
  // Every frame rendered; the worker is encoding the last ones and putting the output in place.
  bool writing() const { return begun_ && rendered_ == frame_count() && !finished(); }
  bool finished() const { return finished_; }
  bool cancelled() const { return cancelled_; }
  // The worker has stopped (after finishing, an error or a cancel), or never started.
  bool stopped() const { return !worker_.joinable() || stopped_; }

  // The frame size: settings.size, or else the preferred size at `scale`.
  render::Size frame_size(const render::CanvasRenderer& canvas) const;
  // The frame-size and grid-cell limits for this canvas (begin() checks them first).
  void check_limits(const render::CanvasRenderer& canvas) const;

  void begin(render::CanvasRenderer& canvas);
  // Renders what fits in `budget_ms` (see above). True when the output is in
  // place; throws core::Error if the export failed (nothing is left behind).
  bool run_for(render::CanvasRenderer& canvas, double budget_ms);
  // begin() if needed, then every frame, waiting for the worker as needed.
  void run(render::CanvasRenderer& canvas);
  // The same up to the last frame handed to the worker, which may still be
  // encoding: the caller can render the next job meanwhile, and run() later
  // waits for this one's output to be in place (the gallery's pipeline).
  void render_all(render::CanvasRenderer& canvas);
  // Stops without waiting; the worker removes the temporaries.
  void request_cancel() noexcept;
  // Stops and waits until the temporaries are gone. Safe at any time.
  void cancel() noexcept;

  // Timing of the last run (for the benchmark), milliseconds.
  double render_ms() const { return render_ms_; }
  double encode_ms() const { return encode_ms_; }

 private:
  struct Sink;
  // What the renderer redrew for a frame: the regions that may differ from the
  // frame before (the whole canvas for the first), their pixels one after the
  // other, each region's rows bottom-up as GL returns them.
  struct Frame {
    std::vector<uint8_t> rgba;
    std::vector<render::PixelRect> regions;
    int delay_cs = 0;
  };
  void render_frame(render::CanvasRenderer& canvas, int64_t frame);
  void worker_loop();
  void compute_results();
  bool room_for_frame();
  // Joins a worker that has stopped and rethrows its error, if any.
  void collect_worker();
  void wait_for_worker();

  std::vector<model::Pane> panes_;
  std::vector<const model::Pane*> pane_ptrs_;
  ExportSettings settings_;
  Schedule schedule_;
  render::Size size_;
  std::unique_ptr<Sink> sink_;
  int64_t rendered_ = 0;
  bool begun_ = false;
  // The canvas's frame count after this job's last frame: if anything else drew
  // on the canvas since, the next frame is drawn and read whole.
  uint64_t canvas_frame_ = 0;
  double render_ms_ = 0, last_frame_ms_ = 0;
  std::atomic<double> encode_ms_{0};

  // Render → encode hand-over: at most depth_ frames waiting.
  size_t depth_ = 3;
  std::thread worker_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Frame> queue_;
  std::vector<std::vector<uint8_t>> spare_;  // recycled frame buffers
  bool closing_ = false;                     // every frame is queued
  std::atomic<bool> results_ready_{false}, abort_{false}, stopped_{false}, finished_{false}, cancelled_{false};
  std::exception_ptr worker_error_;
};

}  // namespace exporter
