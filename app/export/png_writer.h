// png_writer.h — PNG files through stb_image_write, written atomically.
//
//   exporter::write_png("frame.png", w, h, rgba);      // top-down RGBA rows; throws core::Error
//
//   exporter::PngFrames frames("out/");                // numbered frames into a folder
//   frames.add_frame(w, h, rgba);                      // frame_000000.png, frame_000001.png, …
//   frames.finish();                                   // moves them all into out/
//
// Frames are written into a hidden temporary folder inside the destination and
// moved into place by finish(); cancel() (or destruction before finish())
// removes the temporary folder, so earlier frames in the destination stay as
// they were and no partial set appears. Files get mode 0666 & ~umask.
// The PNGs are RGB (alpha dropped): frames are opaque.
#pragma once

#include <cstdint>
#include <string>

namespace exporter {

// `bottom_up`: rows stored last row first (glReadPixels order).
void write_png(const std::string& path, int width, int height, const uint8_t* rgba, bool sync = true,
               bool bottom_up = false);

// "frame_000042.png"
std::string frame_file_name(int64_t index);

class PngFrames {
 public:
  explicit PngFrames(std::string folder);  // creates `folder` if missing (one level)
  ~PngFrames();
  PngFrames(const PngFrames&) = delete;
  PngFrames& operator=(const PngFrames&) = delete;

  void add_frame(int width, int height, const uint8_t* rgba, bool bottom_up = false);
  void finish();
  void cancel() noexcept;
  int64_t frames() const { return frames_; }

 private:
  std::string folder_, temp_;
  int64_t frames_ = 0;
  bool done_ = false;
};

}  // namespace exporter
