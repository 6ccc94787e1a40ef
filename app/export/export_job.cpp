#include "app/export/export_job.h"

#include <glad/gl.h>

#include <sys/stat.h>

#include <algorithm>
#include <cctype>
#include <chrono>

#include "app/export/export_palette.h"
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

// The canvas's pixels as GL stores them (last row first): the encoder reads the
// rows in reverse, which saves CanvasRenderer::read_rgba's flip (three row
// copies per row) on the rendering thread.
void read_bottom_up(const render::CanvasRenderer& canvas, std::vector<uint8_t>& out) {
  const render::Size size = canvas.size();
  out.resize(static_cast<size_t>(size.w) * static_cast<size_t>(size.h) * 4);
  GLint prev = 0;
  glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &prev);
  glBindFramebuffer(GL_READ_FRAMEBUFFER, canvas.framebuffer());
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadPixels(0, 0, size.w, size.h, GL_RGBA, GL_UNSIGNED_BYTE, out.data());
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

int default_delay_ms(Per per) {
  switch (per) {
    case Per::step: return 150;
    case Per::cell: return 400;
    case Per::key: return 600;
  }
  return 400;
}

// Where encoded frames go: one of the three writers.
struct ExportJob::Sink {
  Format format;
  std::string out;
  int w = 0, h = 0;
  std::unique_ptr<GifWriter> gif;
  std::unique_ptr<PngFrames> frames;
  std::vector<uint8_t> single;  // Format::png: the frame, written at finish()

  void add(const Frame& f) {
    switch (format) {
      case Format::gif: gif->add_frame_bottom_up(f.rgba.data(), f.delay_cs); break;
      case Format::png_frames: frames->add_frame(w, h, f.rgba.data(), true); break;
      case Format::png: single = f.rgba; break;
    }
  }
  void finish() {
    switch (format) {
      case Format::gif: gif->finish(); break;
      case Format::png_frames: frames->finish(); break;
      case Format::png: write_png(out, w, h, single.data(), true, true); break;
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
  settings_.scale = std::clamp(settings_.scale, 1, 4);
  settings_.canvas.content_scale = static_cast<float>(settings_.scale);
  if (settings_.delay_ms <= 0) settings_.delay_ms = default_delay_ms(settings_.per);
  if (settings_.last_delay_ms <= 0) settings_.last_delay_ms = std::max(3 * settings_.delay_ms, 1500);
  std::vector<FramePlan> plans;
  for (const model::Pane& p : panes_) plans.emplace_back(p.trace(), settings_.per);
  schedule_ = Schedule(std::move(plans));
  for (const model::Pane& p : panes_) pane_ptrs_.push_back(&p);
}

ExportJob::~ExportJob() { cancel(); }

int64_t ExportJob::frame_count() const { return settings_.format == Format::png ? 1 : schedule_.count(); }

render::Size ExportJob::frame_size(const render::CanvasRenderer& canvas) const {
  if (settings_.size.w > 0 && settings_.size.h > 0) return settings_.size;
  return canvas.preferred_size(pane_ptrs_, settings_.canvas);
}

void ExportJob::begin(render::CanvasRenderer& canvas) {
  if (begun_) return;
  size_ = frame_size(canvas);
  auto sink = std::make_unique<Sink>();
  sink->format = settings_.format;
  sink->out = settings_.out;
  sink->w = size_.w;
  sink->h = size_.h;
  // Opening the output first: a bad path fails before any frame is rendered.
  switch (settings_.format) {
    case Format::gif: sink->gif = std::make_unique<GifWriter>(settings_.out, size_.w, size_.h, canvas_palette()); break;
    case Format::png_frames: sink->frames = std::make_unique<PngFrames>(settings_.out); break;
    case Format::png: {
      AtomicFile probe(settings_.out);  // checks that the folder is writable; removed at once
      break;
    }
  }
  sink_ = std::move(sink);
  begun_ = true;
  encoder_ = std::thread([this] { encoder_loop(); });
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
  canvas.render(pane_ptrs_, settings_.canvas, size_.w, size_.h);
  read_bottom_up(canvas, f.rgba);
  const bool last = frame + 1 == frame_count();
  f.delay_cs = gif_delay_cs(last ? settings_.last_delay_ms : settings_.delay_ms);
  render_ms_ += ms_since(t0);
  push(std::move(f));
}

void ExportJob::push(Frame f) {
  std::unique_lock<std::mutex> lock(mutex_);
  changed_.wait(lock, [this] { return queue_.size() < kQueue || encoder_error_ || abort_; });
  if (encoder_error_ || abort_) return;
  queue_.push_back(std::move(f));
  changed_.notify_all();
}

void ExportJob::encoder_loop() {
  for (;;) {
    Frame f;
    {
      std::unique_lock<std::mutex> lock(mutex_);
      changed_.wait(lock, [this] { return !queue_.empty() || closing_ || abort_; });
      if (abort_ || (queue_.empty() && closing_)) return;
      f = std::move(queue_.front());
      queue_.pop_front();
    }
    try {
      const auto t0 = Clock::now();
      sink_->add(f);
      encode_ms_ += ms_since(t0);
    } catch (...) {
      std::lock_guard<std::mutex> lock(mutex_);
      encoder_error_ = std::current_exception();
      changed_.notify_all();
      return;
    }
    std::lock_guard<std::mutex> lock(mutex_);
    spare_.push_back(std::move(f.rgba));
    changed_.notify_all();
  }
}

void ExportJob::rethrow_encoder_error() {
  std::exception_ptr err;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    err = encoder_error_;
  }
  if (err) {
    cancel();
    std::rethrow_exception(err);
  }
}

void ExportJob::stop_encoder() noexcept {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    abort_ = true;
    changed_.notify_all();
  }
  if (encoder_.joinable()) encoder_.join();
}

void ExportJob::finish_output() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    closing_ = true;
    changed_.notify_all();
  }
  encoder_.join();
  rethrow_encoder_error();
  try {
    sink_->finish();
  } catch (...) {
    cancel();
    throw;
  }
  finished_ = true;
}

bool ExportJob::run_for(render::CanvasRenderer& canvas, double budget_ms) {
  if (finished_ || cancelled_) return true;
  begin(canvas);
  const auto t0 = Clock::now();
  do {
    rethrow_encoder_error();
    if (rendered_ >= frame_count()) break;
    render_frame(canvas, rendered_);
    ++rendered_;
  } while (ms_since(t0) < budget_ms);
  if (rendered_ < frame_count()) return false;
  finish_output();
  return true;
}

void ExportJob::run(render::CanvasRenderer& canvas) {
  while (!run_for(canvas, 1e30)) {
  }
}

void ExportJob::cancel() noexcept {
  if (finished_ || cancelled_) return;
  cancelled_ = true;
  stop_encoder();
  if (sink_) sink_->cancel();
}

}  // namespace exporter
