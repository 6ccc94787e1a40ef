#include "app/export/gif_writer.h"

#include <gif_lib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "app/export/buffer_pool.h"
#include "core/errors.h"

namespace exporter {

int gif_delay_cs(int delay_ms) { return std::clamp((delay_ms + 5) / 10, 1, 65535); }

namespace {

// `err`: errno right after the failed giflib call.
std::string gif_reason(int code, int err) {
  // A failed write is best explained by the system's reason ("No space left on
  // device", "File too large"): giflib reports it as WRITE_FAILED or DISK_IS_FULL.
  if ((code == E_GIF_ERR_WRITE_FAILED || code == E_GIF_ERR_DISK_IS_FULL) && err != 0) return std::strerror(err);
  const char* text = GifErrorString(code);
  return text ? text : "giflib error " + std::to_string(code);
}

}  // namespace

GifWriter::GifWriter(const std::string& path, int width, int height, const Palette& palette)
    : palette_(palette), width_(width), height_(height) {
  if (width < 1 || height < 1 || width > 65535 || height > 65535)
    fail_write(path, "a GIF frame must be 1 … 65535 pixels a side, got " + std::to_string(width) + "×" +
                         std::to_string(height));
  file_ = std::make_unique<AtomicFile>(path);
  // giflib closes the descriptor it is given; the AtomicFile keeps its own.
  const int fd = dup(file_->fd());
  if (fd < 0) fail_write_errno(path, errno);
  int err = 0;
  gif_ = EGifOpenFileHandle(fd, &err);
  if (!gif_) {
    const int sys = errno;
    close(fd);
    fail_write(path, gif_reason(err, sys));
  }
  // Before the screen descriptor, or giflib writes GIF87a and drops the delays.
  EGifSetGifVersion(gif_, true);
  std::vector<GifColorType> colours(Palette::kSize);
  for (int i = 0; i < Palette::kSize; ++i) {
    const Rgb& c = palette.colours()[static_cast<size_t>(i)];
    colours[static_cast<size_t>(i)] = {c.r, c.g, c.b};
  }
  ColorMapObject* map = GifMakeMapObject(Palette::kSize, colours.data());
  const int put = EGifPutScreenDesc(gif_, width, height, 8, 0, map);
  GifFreeMapObject(map);
  check(put);
  // Loop forever: NETSCAPE2.0, sub-block 1, loop count 0.
  static const unsigned char kApp[11] = {'N', 'E', 'T', 'S', 'C', 'A', 'P', 'E', '2', '.', '0'};
  static const unsigned char kLoop[3] = {1, 0, 0};
  check(EGifPutExtensionLeader(gif_, APPLICATION_EXT_FUNC_CODE));
  check(EGifPutExtensionBlock(gif_, sizeof kApp, kApp));
  check(EGifPutExtensionBlock(gif_, sizeof kLoop, kLoop));
  check(EGifPutExtensionTrailer(gif_));
}

GifWriter::~GifWriter() { cancel(); }

void GifWriter::check(int gif_result) {
  const int err = errno;
  if (gif_result == GIF_OK) return;
  const std::string reason = gif_reason(gif_ ? gif_->Error : 0, err);
  const std::string path = file_->path();
  cancel();
  fail_write(path, reason);
}

void GifWriter::add_frame(const uint8_t* rgba, int delay_cs) {
  add_frame_regions({{0, 0, width_, height_, rgba, static_cast<ptrdiff_t>(width_) * 4}}, delay_cs);
}

void GifWriter::add_frame_bottom_up(const uint8_t* rgba, int delay_cs) {
  const ptrdiff_t row = static_cast<ptrdiff_t>(width_) * 4;
  add_frame_regions({{0, 0, width_, height_, rgba + (height_ - 1) * row, -row}}, delay_cs);
}

void GifWriter::add_frame_regions(const std::vector<FrameRegion>& regions, int delay_cs) {
  if (!gif_) fail_write(file_ ? file_->path() : "", "the GIF was already closed");
  const size_t w = static_cast<size_t>(width_);
  for (const FrameRegion& r : regions)
    if (r.x < 0 || r.y < 0 || r.w < 0 || r.h < 0 || r.x + r.w > width_ || r.y + r.h > height_)
      fail_write(file_->path(), "a frame region lies outside the image");
  if (frames_ == 0) {
    if (regions.size() != 1 || regions[0].x != 0 || regions[0].y != 0 || regions[0].w != width_ ||
        regions[0].h != height_)
      fail_write(file_->path(), "the first frame must cover the whole image");
    // A pooled buffer: the first frame overwrites all of it before anything reads it.
    prev_rgba_ = pixel_buffers().take();
    if (prev_rgba_.size() < w * static_cast<size_t>(height_)) prev_rgba_.resize(w * static_cast<size_t>(height_));
  }
  auto row_of = [](const FrameRegion& r, int y) {  // frame row y of region r, as RGBA words
    return reinterpret_cast<const uint32_t*>(r.rgba + (y - r.y) * r.stride) - r.x;
  };
  // The box of pixels that differ from the previous frame (everything for the
  // first), found inside the regions only: outside them nothing changed.
  int top = 0, bottom = height_ - 1, left = 0, right = width_ - 1;
  if (frames_ > 0) {
    top = height_, bottom = -1, left = width_, right = -1;
    for (const FrameRegion& r : regions)
      for (int y = r.y; y < r.y + r.h; ++y) {
        const uint32_t* a = row_of(r, y);
        const uint32_t* b = prev_rgba_.data() + static_cast<size_t>(y) * w;
        int l = r.x, rr = r.x + r.w - 1;
        while (l <= rr && a[l] == b[l]) ++l;
        if (l > rr) continue;
        while (a[rr] == b[rr]) --rr;
        top = std::min(top, y), bottom = std::max(bottom, y);
        left = std::min(left, l), right = std::max(right, rr);
      }
    if (bottom < 0) top = bottom = left = right = 0;  // nothing changed; a GIF image needs at least one pixel
  }
  put_graphics_control(delay_cs);
  const int rw = right - left + 1, rh = bottom - top + 1;
  check(EGifPutImageDesc(gif_, left, top, rw, rh, false, nullptr));
  row_.resize(static_cast<size_t>(rw));
  uint32_t run_px = 0;
  uint8_t run_index = 0;
  bool have_run = false;
  auto to_index = [&](uint32_t px) {  // runs of one colour map once
    if (!have_run || px != run_px) {
      const uint8_t* c = reinterpret_cast<const uint8_t*>(&px);
      run_px = px;
      run_index = palette_.index_of(c[0], c[1], c[2]);
      have_run = true;
    }
    return run_index;
  };
  for (int y = top; y <= bottom; ++y) {
    // Unchanged pixels are transparent: they show the previous frame through.
    std::fill(row_.begin(), row_.end(), Palette::kTransparent);
    const uint32_t* old = prev_rgba_.data() + static_cast<size_t>(y) * w;
    for (const FrameRegion& r : regions) {
      if (y < r.y || y >= r.y + r.h) continue;
      const uint32_t* src = row_of(r, y);
      const int x0 = std::max(left, r.x), x1 = std::min(right + 1, r.x + r.w);
      for (int x = x0; x < x1; ++x)
        row_[static_cast<size_t>(x - left)] = frames_ > 0 && src[x] == old[x] ? Palette::kTransparent : to_index(src[x]);
    }
    check(EGifPutLine(gif_, row_.data(), rw));
  }
  // Only now (regions may overlap, and every one is compared with the previous frame).
  for (const FrameRegion& r : regions)
    for (int y = r.y; y < r.y + r.h; ++y)
      std::memcpy(prev_rgba_.data() + static_cast<size_t>(y) * w + r.x, row_of(r, y) + r.x,
                  static_cast<size_t>(r.w) * sizeof(uint32_t));
  encoded_pixels_ += static_cast<int64_t>(rw) * rh;
  ++frames_;
}

void GifWriter::put_graphics_control(int delay_cs) {
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.UserInputFlag = false;
  gcb.DelayTime = std::clamp(delay_cs, 0, 65535);
  gcb.TransparentColor = frames_ > 0 ? Palette::kTransparent : NO_TRANSPARENT_COLOR;
  GifByteType ext[4];
  const size_t ext_len = EGifGCBToExtension(&gcb, ext);
  check(EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(ext_len), ext));
}

void GifWriter::add_indexed_frame(const uint8_t* indices, int delay_cs) {
  if (prev_.empty()) prev_.resize(static_cast<size_t>(width_) * static_cast<size_t>(height_));
  encode(indices, width_, prev_.data(), delay_cs, [](uint8_t i) { return i; });
}

template <typename Pixel, typename ToIndex>
void GifWriter::encode(const Pixel* cur, ptrdiff_t cur_stride, Pixel* prev, int delay_cs, ToIndex&& to_index) {
  if (!gif_) fail_write(file_ ? file_->path() : "", "the GIF was already closed");
  const size_t w = static_cast<size_t>(width_);
  const size_t row_bytes = w * sizeof(Pixel);
  // The rectangle that differs from the previous frame (everything for the first).
  int top = 0, bottom = height_ - 1, left = 0, right = width_ - 1;
  if (frames_ > 0) {
    auto row_same = [&](int y) { return std::memcmp(cur + y * cur_stride, prev + y * w, row_bytes) == 0; };
    while (top < height_ && row_same(top)) ++top;
    if (top == height_) {
      // Nothing changed; a GIF image needs at least one pixel.
      top = bottom = left = right = 0;
    } else {
      while (row_same(bottom)) --bottom;
      left = width_, right = -1;
      for (int y = top; y <= bottom; ++y) {
        const Pixel* a = cur + y * cur_stride;
        const Pixel* b = prev + y * w;
        int l = 0;
        while (l < left && a[l] == b[l]) ++l;
        left = std::min(left, l);
        int r = width_ - 1;
        while (r > right && a[r] == b[r]) --r;
        right = std::max(right, r);
      }
    }
  }
  put_graphics_control(delay_cs);
  const int rw = right - left + 1, rh = bottom - top + 1;
  check(EGifPutImageDesc(gif_, left, top, rw, rh, false, nullptr));
  row_.resize(static_cast<size_t>(rw));
  for (int y = top; y <= bottom; ++y) {
    const Pixel* src = cur + y * cur_stride + left;
    Pixel* old = prev + y * w + static_cast<size_t>(left);
    if (frames_ == 0) {
      for (int x = 0; x < rw; ++x) row_[static_cast<size_t>(x)] = to_index(src[x]);
    } else {
      for (int x = 0; x < rw; ++x) row_[static_cast<size_t>(x)] = src[x] == old[x] ? Palette::kTransparent : to_index(src[x]);
    }
    check(EGifPutLine(gif_, row_.data(), rw));
    std::memcpy(old, src, static_cast<size_t>(rw) * sizeof(Pixel));  // outside the rectangle nothing changed
  }
  encoded_pixels_ += static_cast<int64_t>(rw) * rh;
  ++frames_;
}

void GifWriter::finish() {
  if (!gif_) fail_write(file_ ? file_->path() : "", "the GIF was already closed");
  if (frames_ == 0) {
    const std::string path = file_->path();
    cancel();
    fail_write(path, "a GIF needs at least one frame");
  }
  int err = 0;
  errno = 0;
  const int closed = EGifCloseFile(gif_, &err);
  const int sys = errno;
  gif_ = nullptr;
  if (closed != GIF_OK) {
    const std::string path = file_->path();
    file_->discard();
    fail_write(path, gif_reason(err, sys));
  }
  file_->commit();
  pixel_buffers().give(std::move(prev_rgba_));
  prev_rgba_.clear();
}

void GifWriter::cancel() noexcept {
  pixel_buffers().give(std::move(prev_rgba_));
  prev_rgba_.clear();
  if (gif_) {
    int err = 0;
    EGifCloseFile(gif_, &err);
    gif_ = nullptr;
  }
  if (file_) file_->discard();
}

}  // namespace exporter
