#include "app/export/export_job.h"

#include <glad/gl.h>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <chrono>

#include "app/export/atomic_file.h"
#include "app/export/buffer_pool.h"
#include "app/export/export_palette.h"
#include "app/export/frame_folder.h"
#include "app/export/frame_limits.h"
#include "app/export/gif_writer.h"
#include "app/export/png_writer.h"
#include "core/errors.h"

namespace exporter {

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

bool ends_with(const std::string& s, const char* tail) {
  const size_t n = std::char_traits<char>::length(tail);
  if (s.size() < n) return false;
  for (size_t i = 0; i < n; ++i)
    if (std::tolower(static_cast<unsigned char>(s[s.size() - n + i])) != tail[i]) return false;
  return true;
}

// The regions the canvas redrew, one after the other, each as GL stores it (last
// row first): the encoder reads the rows in reverse, which saves
// CanvasRenderer::read_rgba's flip on the rendering thread.
void read_regions(const render::CanvasRenderer& canvas, const std::vector<render::PixelRect>& regions,
                  std::vector<uint8_t>& out) {
  const int h = canvas.size().h;
  size_t bytes = 0;
  for (const render::PixelRect& r : regions) bytes += static_cast<size_t>(r.area()) * 4;
  if (out.size() < bytes) out.resize(bytes);  // a recycled buffer only grows: no zero-fill of what it has
  GLint prev = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &prev);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, canvas.framebuffer());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  size_t at = 0;
  for (const render::PixelRect& r : regions) {
    glReadPixels(r.x0, h - r.y1, r.x1 - r.x0, r.y1 - r.y0, GL_RGBA, GL_UNSIGNED_BYTE, out.data() + at);
    at += static_cast<size_t>(r.area()) * 4;
  }
  glBindFramebuffer(GL_READ_FRAMEBUFFER, static_cast<GLuint>(prev));
}

}  // namespace

const char* format_name(Format f) {
  switch (f) {
    case Format::gif: return "GIF";
    case Format::png: return "PNG";
    case Format::png_frames: return "PNG frames";
  }
  return "GIF";
}

Format format_for_path(const std::string& out) {
  struct stat st {};
  if (!out.empty() && (out.back() == '/' || (stat(out.c_str(), &st) == 0 && S_ISDIR(st.st_mode))))
    return Format::png_frames;
  if (ends_with(out, ".gif")) return Format::gif;
  if (ends_with(out, ".png")) return Format::png;
  core::fail(core::ErrorCode::export_bad_output, out.empty() ? "\"\"" : out);
}

namespace {

int scale_of(const ExportSettings& s) { return std::clamp(s.scale, 1, 4); }

render::CanvasOptions canvas_options(const ExportSettings& s) {
  render::CanvasOptions o = s.canvas;
  o.content_scale = static_cast<float>(scale_of(s));
  return o;
}

void check_work(const std::vector<const model::Pane*>& panes) {
  // Every frame shows a partial output, which needs the full compute.
  for (const model::Pane* p : panes) core::check_full_compute(p->scenario(), p->geometry());
}

render::Size frame_size_of(const std::vector<const model::Pane*>& panes, const ExportSettings& s,
                           const render::CanvasRenderer& canvas) {
  if (s.size.w > 0 && s.size.h > 0) return s.size;
  return canvas.preferred_size(panes, canvas_options(s));
}

}  // namespace

render::Size check_export(const std::vector<const model::Pane*>& panes, const ExportSettings& settings,
                          const render::CanvasRenderer& canvas) {
  check_work(panes);
  const render::Size size = frame_size_of(panes, settings, canvas);
  check_frame_size(size);
  check_canvas_cells(canvas.grid_cells(panes, canvas_options(settings)));
  return size;
}

int default_delay_ms(Per per) {
  switch (per) {
    case Per::step: return 150;
    case Per::cell: return 1000;  // a slide: time to read the arithmetic line (conv_arithmetic uses 1 s)
    case Per::key: return 1000;
  }
  return 1000;
}

// Where encoded frames go: one of the three writers. Used by the worker only
// once the worker runs.
struct ExportJob::Sink {
  Format format;
  std::string out;
  int w = 0, h = 0;
  std::unique_ptr<GifWriter> gif;
  std::unique_ptr<FrameFolder> frames;
  std::vector<uint8_t> whole;  // PNGs: the frame so far, bottom-up (written at finish() for Format::png)
  std::vector<FrameRegion> regions;

  void add(Frame& f) {
    if (format == Format::gif) {
      regions.clear();
      const uint8_t* at = f.rgba.data();
      for (const render::PixelRect& r : f.regions) {
        const ptrdiff_t row = static_cast<ptrdiff_t>(r.x1 - r.x0) * 4;
        regions.push_back({r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0, at + (r.y1 - r.y0 - 1) * row, -row});
        at += r.area() * 4;
      }
      gif->add_frame_regions(regions, f.delay_cs);
      return;
    }
    apply(f);
    if (format == Format::png_frames) frames->add_frame(w, h, whole.data(), true);
  }
  // PNGs are whole frames: the regions go into `whole` (the first frame covers it all).
  void apply(const Frame& f) {
    const size_t row = static_cast<size_t>(w) * 4;
    whole.resize(row * static_cast<size_t>(h));
    const uint8_t* at = f.rgba.data();
    for (const render::PixelRect& r : f.regions) {
      const size_t n = static_cast<size_t>(r.x1 - r.x0) * 4;
      for (int y = r.y1 - 1; y >= r.y0; --y, at += n)  // bottom-up: frame row y is GL row h − 1 − y
        std::memcpy(whole.data() + static_cast<size_t>(h - 1 - y) * row + static_cast<size_t>(r.x0) * 4, at, n);
    }
  }
  void finish() {
    switch (format) {
      case Format::gif: gif->finish(); break;
      case Format::png_frames: frames->finish(); break;
      case Format::png: write_png(out, w, h, whole.data(), true, true); break;
    }
  }
  void cancel() noexcept {
    if (gif) gif->cancel();
    if (frames) frames->cancel();
  }
};

ExportJob::ExportJob(std::vector<model::Pane> panes, ExportSettings settings)
    : panes_(std::move(panes)), settings_(std::move(settings)) {
  if (panes_.empty()) core::fail(core::ErrorCode::usage, "nothing to export: no pane is selected");
  for (const model::Pane& p : panes_) pane_ptrs_.push_back(&p);
  check_work(pane_ptrs_);
  settings_.canvas = canvas_options(settings_);
  settings_.scale = scale_of(settings_);
  if (settings_.delay_ms <= 0) settings_.delay_ms = default_delay_ms(settings_.per);
  if (settings_.last_delay_ms <= 0) settings_.last_delay_ms = std::max(3 * settings_.delay_ms, 1500);
  std::vector<FramePlan> plans;
  for (const model::Pane& p : panes_) {
    if (settings_.steps) plans.emplace_back(p.trace(), settings_.steps->first, settings_.steps->second);
    else plans.emplace_back(p.trace(), settings_.per);
  }
  schedule_ = Schedule(std::move(plans));
}

ExportJob::~ExportJob() {
  cancel();
  // The frame buffers go on to the next job (a gallery runs two dozen).
  for (std::vector<uint8_t>& b : spare_) byte_buffers().give(std::move(b));
  for (Frame& f : queue_) byte_buffers().give(std::move(f.rgba));
}

int64_t ExportJob::frame_count() const { return settings_.format == Format::png ? 1 : schedule_.count(); }

render::Size ExportJob::frame_size(const render::CanvasRenderer& canvas) const {
  return frame_size_of(pane_ptrs_, settings_, canvas);
}

void ExportJob::check_limits(const render::CanvasRenderer& canvas) const { check_export(pane_ptrs_, settings_, canvas); }

void ExportJob::begin(render::CanvasRenderer& canvas) {
  if (begun_) return;
  size_ = check_export(pane_ptrs_, settings_, canvas);
  const int64_t frame_bytes = int64_t{size_.w} * size_.h * 4;
  depth_ = static_cast<size_t>(std::clamp<int64_t>(kInFlightBytes / std::max<int64_t>(frame_bytes, 1), 1, 3));
  auto sink = std::make_unique<Sink>();
  sink->format = settings_.format;
  sink->out = settings_.out;
  sink->w = size_.w;
  sink->h = size_.h;
  // Opening the output first: a bad path fails before any frame is rendered.
  switch (settings_.format) {
    case Format::gif: sink->gif = std::make_unique<GifWriter>(settings_.out, size_.w, size_.h, canvas_palette()); break;
    case Format::png_frames: {
      FrameFolder::Options o;
      o.force = settings_.force;
      sink->frames = std::make_unique<FrameFolder>(settings_.out, o);
      break;
    }
    case Format::png: {
      AtomicFile probe(settings_.out);  // checks that the folder is writable; removed at once
      break;
    }
  }
  sink_ = std::move(sink);
  begun_ = true;
  worker_ = std::thread([this] { worker_loop(); });
}

void ExportJob::compute_results() {
  // Trace::final_output computes the direct result once per trace; the trace is
  // shared with the window's pane, so a result the window has is not computed
  // again. (The copy it returns is dropped: Trace has no call that computes
  // without returning the output.)
  for (const model::Pane& p : panes_) {
    if (abort_) return;
    if (!p.trace().has_result()) p.trace().final_output();
  }
}

void ExportJob::worker_loop() {
  try {
    compute_results();
    results_ready_ = true;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      changed_.notify_all();
    }
    for (;;) {
      Frame f;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        changed_.wait(lock, [this] { return !queue_.empty() || closing_ || abort_; });
        if (abort_) break;
        if (queue_.empty()) {  // closing: every frame is encoded
          lock.unlock();
          sink_->finish();
          finished_ = true;
          break;
        }
        f = std::move(queue_.front());
        queue_.pop_front();
        changed_.notify_all();
      }
      const auto t0 = Clock::now();
      sink_->add(f);
      encode_ms_ = encode_ms_ + ms_since(t0);
      std::lock_guard<std::mutex> lock(mutex_);
      if (!f.rgba.empty()) spare_.push_back(std::move(f.rgba));
    }
  } catch (...) {
    std::lock_guard<std::mutex> lock(mutex_);
    worker_error_ = std::current_exception();
  }
  if (!finished_) sink_->cancel();  // an error or a cancel: the temporaries go here, off the UI thread
  std::lock_guard<std::mutex> lock(mutex_);
  stopped_ = true;
  changed_.notify_all();
}

void ExportJob::render_frame(render::CanvasRenderer& canvas, int64_t frame) {
  const auto t0 = Clock::now();
  if (settings_.format != Format::png) {
    const std::vector<int64_t> steps = schedule_.steps_of(frame);
    for (size_t i = 0; i < panes_.size(); ++i) panes_[i].set_cursor(steps[i]);
  }
  Frame f;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!spare_.empty()) {
      f.rgba = std::move(spare_.back());
      spare_.pop_back();
    }
  }
  if (f.rgba.empty()) f.rgba = byte_buffers().take();
  // Only what changed since this job's last frame, unless someone else drew on the canvas since.
  if (rendered_ == 0 || canvas.frames_drawn() != canvas_frame_) canvas.redraw_all_next();
  canvas.render_changes(pane_ptrs_, settings_.canvas, size_.w, size_.h);
  canvas_frame_ = canvas.frames_drawn();
  f.regions = canvas.changed_regions();
  read_regions(canvas, f.regions, f.rgba);
  const bool last = frame + 1 == frame_count();
  f.delay_cs = gif_delay_cs(last ? settings_.last_delay_ms : settings_.delay_ms);
  last_frame_ms_ = ms_since(t0);
  render_ms_ += last_frame_ms_;
  std::lock_guard<std::mutex> lock(mutex_);
  queue_.push_back(std::move(f));
  changed_.notify_all();
}

bool ExportJob::room_for_frame() {
  std::lock_guard<std::mutex> lock(mutex_);
  return queue_.size() < depth_;
}

void ExportJob::collect_worker() {
  if (!stopped_ || !worker_.joinable()) return;
  worker_.join();
  std::exception_ptr err;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    err = worker_error_;
    worker_error_ = nullptr;
  }
  if (err) std::rethrow_exception(err);
}

bool ExportJob::run_for(render::CanvasRenderer& canvas, double budget_ms) {
  if (finished_) return true;
  if (cancelled_) return true;
  begin(canvas);
  if (stopped_) {  // finished, or failed
    collect_worker();
    return finished_;
  }
  if (!results_ready_) return false;
  const auto t0 = Clock::now();
  int64_t this_call = 0;
  while (rendered_ < frame_count() && room_for_frame()) {
    if (this_call > 0 && ms_since(t0) + last_frame_ms_ > budget_ms) break;
    render_frame(canvas, rendered_);
    ++rendered_;
    ++this_call;
  }
  if (rendered_ == frame_count()) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!closing_) {
      closing_ = true;
      changed_.notify_all();
    }
  }
  if (stopped_) {
    collect_worker();
    return finished_;
  }
  return false;
}

void ExportJob::wait_for_worker() {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] {
    return stopped_ || (results_ready_ && !closing_ && queue_.size() < depth_);
  });
}

void ExportJob::run(render::CanvasRenderer& canvas) {
  while (!run_for(canvas, 1e30)) {
    if (cancelled_) return;
    wait_for_worker();
  }
}

void ExportJob::render_all(render::CanvasRenderer& canvas) {
  while (!run_for(canvas, 1e30) && !cancelled_ && rendered_ < frame_count()) wait_for_worker();
}

void ExportJob::request_cancel() noexcept {
  if (finished_ || cancelled_) return;
  cancelled_ = true;
  std::lock_guard<std::mutex> lock(mutex_);
  abort_ = true;
  changed_.notify_all();
}

void ExportJob::cancel() noexcept {
  request_cancel();
  if (worker_.joinable()) worker_.join();
  if (sink_ && !finished_) sink_->cancel();  // also when the worker never started
}

}  // namespace exporter
