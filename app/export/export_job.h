// export_job.h — one export: plan the frames, render each through the
// CanvasRenderer, encode and write them (GIF, one PNG, or numbered PNGs).
//
//   exporter::ExportSettings s;  s.out = "seed.gif";  s.per = exporter::Per::cell;
//   exporter::ExportJob job({pane}, s);      // plans only: job.frame_count() before any work
//   job.begin(canvas);                       // fixes the frame size, opens the temporary file
//   while (!job.run_for(canvas, 8.0)) { ... draw the UI, maybe job.cancel() ... }   // the window
//   job.run(canvas);                         // or everything at once (CLI, gallery)
//
// Frames are rendered on the calling thread (it owns the GL context) while a
// worker thread maps the previous frame to the palette and LZW-encodes it, so
// rendering and encoding overlap on two cores. The panes are the job's own
// copies: moving their cursors never touches the window's panes.
//
// A PNG export (`Format::png`) renders the panes at the cursors they arrive
// with; GIF and numbered frames move every pane through the Schedule of
// `per`. Frames render at content scale `scale` whatever the monitor.
// Nothing reaches `out` before the last frame is written (temporary + rename):
// cancel() or an error leaves any earlier file untouched. Errors throw core::Error.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
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
  render::CanvasOptions canvas;  // title / arithmetic / formula / legend …; content_scale is set from `scale`
};

int default_delay_ms(Per per);  // step 150, cell 400, key 600

class ExportJob {
 public:
  ExportJob(std::vector<model::Pane> panes, ExportSettings settings);
  ~ExportJob();
  ExportJob(const ExportJob&) = delete;
  ExportJob& operator=(const ExportJob&) = delete;

  const ExportSettings& settings() const { return settings_; }
  int64_t frame_count() const;  // known before begin()
  int64_t frames_done() const { return rendered_; }
  double progress() const { return frame_count() ? static_cast<double>(rendered_) / frame_count() : 1.0; }
  bool finished() const { return finished_; }
  bool cancelled() const { return cancelled_; }

  // The frame size: settings.size, or else preferred_size at `scale`.
  render::Size frame_size(const render::CanvasRenderer& canvas) const;

  void begin(render::CanvasRenderer& canvas);
  // Renders frames until `budget_ms` has passed (at least one); when all are
  // rendered, waits for the encoder and puts the file in place. True when done.
  bool run_for(render::CanvasRenderer& canvas, double budget_ms);
  // begin() if needed, then every frame.
  void run(render::CanvasRenderer& canvas);
  // Stops, removes the temporary output. Safe at any time, also after an error.
  void cancel() noexcept;

  // Timing of the last run (for the benchmark), milliseconds.
  double render_ms() const { return render_ms_; }
  double encode_ms() const { return encode_ms_; }

 private:
  struct Sink;
  struct Frame {
    std::vector<uint8_t> rgba;
    int delay_cs = 0;
  };
  void render_frame(render::CanvasRenderer& canvas, int64_t frame);
  void encoder_loop();
  void push(Frame f);
  void finish_output();
  void rethrow_encoder_error();
  void stop_encoder() noexcept;

  std::vector<model::Pane> panes_;
  std::vector<const model::Pane*> pane_ptrs_;
  ExportSettings settings_;
  Schedule schedule_;
  render::Size size_;
  std::unique_ptr<Sink> sink_;
  int64_t rendered_ = 0;
  bool begun_ = false, finished_ = false, cancelled_ = false;
  double render_ms_ = 0, encode_ms_ = 0;

  // Render → encode hand-over: at most kQueue frames in flight.
  static constexpr size_t kQueue = 3;
  std::thread encoder_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<Frame> queue_;
  std::vector<std::vector<uint8_t>> spare_;  // recycled frame buffers
  bool closing_ = false;
  std::atomic<bool> abort_{false};
  std::exception_ptr encoder_error_;
};

}  // namespace exporter
