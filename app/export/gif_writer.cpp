#include "app/export/gif_writer.h"

#include <gif_lib.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

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

void GifWriter::add_frame(const uint8_t* rgba, int delay_cs) { add_rgba(rgba, false, delay_cs); }

void GifWriter::add_frame_bottom_up(const uint8_t* rgba, int delay_cs) { add_rgba(rgba, true, delay_cs); }

void GifWriter::add_rgba(const uint8_t* rgba, bool bottom_up, int delay_cs) {
  // RGBA pixels as one 32-bit word each; the comparison with the previous
  // frame happens on them, so only pixels that changed are mapped to the palette.
  if (prev_rgba_.empty()) prev_rgba_.resize(static_cast<size_t>(width_) * static_cast<size_t>(height_));
  uint32_t run_px = 0;
  uint8_t run_index = 0;
  bool have_run = false;
  const ptrdiff_t w = width_;
  const uint32_t* first_row = reinterpret_cast<const uint32_t*>(rgba) + (bottom_up ? (height_ - 1) * w : 0);
  encode(first_row, bottom_up ? -w : w, prev_rgba_.data(), delay_cs, [&](uint32_t px) {
    if (!have_run || px != run_px) {
      const uint8_t* c = reinterpret_cast<const uint8_t*>(&px);
      run_px = px;
      run_index = palette_.index_of(c[0], c[1], c[2]);
      have_run = true;
    }
    return run_index;
  });
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
  GraphicsControlBlock gcb{};
  gcb.DisposalMode = DISPOSE_DO_NOT;
  gcb.UserInputFlag = false;
  gcb.DelayTime = std::clamp(delay_cs, 0, 65535);
  gcb.TransparentColor = frames_ > 0 ? Palette::kTransparent : NO_TRANSPARENT_COLOR;
  GifByteType ext[4];
  const size_t ext_len = EGifGCBToExtension(&gcb, ext);
  check(EGifPutExtension(gif_, GRAPHICS_EXT_FUNC_CODE, static_cast<int>(ext_len), ext));
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
}

void GifWriter::cancel() noexcept {
  if (gif_) {
    int err = 0;
    EGifCloseFile(gif_, &err);
    gif_ = nullptr;
  }
  if (file_) file_->discard();
}

}  // namespace exporter
