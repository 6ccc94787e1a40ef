// gif_writer.h — an animated GIF through giflib, written atomically.
//
//   exporter::GifWriter gif("out.gif", w, h, palette);   // throws core::Error
//   gif.add_frame(rgba, delay_cs);                       // top-down RGBA rows, w·h·4 bytes
//   gif.add_frame_regions({{x, y, w, h, rows, stride}}, delay_cs);  // or only what may have changed
//   gif.finish();                                        // renames into place
//   // destroyed or cancel()ed before finish(): no file appears, an earlier out.gif stays as it was
//
// GIF89a (so delays are kept), loops forever (NETSCAPE2.0 {1, 0, 0}), one
// global palette, every frame after the first encodes only the rectangle that
// changed since the previous frame (disposal "do not dispose", so the rest
// stays), and inside it marks unchanged pixels transparent (long runs of one
// index, which LZW packs into almost nothing). The final file has mode 0666 & ~umask, not giflib's 0600.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "app/export/atomic_file.h"
#include "app/export/palette.h"

struct GifFileType;

namespace exporter {

// A rectangle of a frame's RGBA pixels: its row r (from the top) starts at
// rgba + r·stride bytes (a negative stride reads rows stored bottom-up, as
// glReadPixels returns them).
struct FrameRegion {
  int x = 0, y = 0, w = 0, h = 0;  // in the frame, origin top-left
  const uint8_t* rgba = nullptr;
  ptrdiff_t stride = 0;
};

// A frame delay in GIF units (centiseconds, 1 … 65535) from milliseconds.
int gif_delay_cs(int delay_ms);

class GifWriter {
 public:
  GifWriter(const std::string& path, int width, int height, const Palette& palette);
  ~GifWriter();
  GifWriter(const GifWriter&) = delete;
  GifWriter& operator=(const GifWriter&) = delete;

  void add_frame(const uint8_t* rgba, int delay_cs);
  // The same from rows stored bottom-up (as glReadPixels returns them), with no flip.
  void add_frame_bottom_up(const uint8_t* rgba, int delay_cs);
  // A frame given as the regions that may differ from the last frame (the
  // rest is unchanged; regions may overlap). The first frame must be one
  // region covering the whole image. Writes the same bytes as add_frame() of
  // the whole frame: the image is the box of pixels that really changed.
  void add_frame_regions(const std::vector<FrameRegion>& regions, int delay_cs);
  // The same from palette indices (width·height bytes).
  void add_indexed_frame(const uint8_t* indices, int delay_cs);
  void finish();
  void cancel() noexcept;

  int frames() const { return frames_; }
  int width() const { return width_; }
  int height() const { return height_; }
  // Pixels LZW-encoded so far (the sum of the changed rectangles).
  int64_t encoded_pixels() const { return encoded_pixels_; }

 private:
  void check(int gif_result);
  void put_graphics_control(int delay_cs);
  // `cur` row y is at cur + y·cur_stride (a negative stride reads bottom-up rows).
  template <typename Pixel, typename ToIndex>
  void encode(const Pixel* cur, ptrdiff_t cur_stride, Pixel* prev, int delay_cs, ToIndex&& to_index);

  std::unique_ptr<AtomicFile> file_;
  GifFileType* gif_ = nullptr;
  const Palette& palette_;
  int width_, height_;
  std::vector<uint8_t> prev_, row_;  // previous frame as indices (add_indexed_frame); one encoded row
  std::vector<uint32_t> prev_rgba_;  // previous frame as RGBA (add_frame; from pixel_buffers(), given back at the end)
  int frames_ = 0;
  int64_t encoded_pixels_ = 0;
};

}  // namespace exporter
