// png_writer.h — PNG files through stb_image_write, written atomically.
//
//   exporter::write_png("frame.png", w, h, rgba);      // top-down RGBA rows; throws core::Error
//
// Files get mode 0666 & ~umask. The PNGs are RGB (alpha dropped): frames are
// opaque. Numbered frames into a folder: frame_folder.h.
#pragma once

#include <cstdint>
#include <string>

namespace exporter {

// `bottom_up`: rows stored last row first (glReadPixels order).
void write_png(const std::string& path, int width, int height, const uint8_t* rgba, bool sync = true,
               bool bottom_up = false);
// The same into an open file descriptor (not closed); `path` names it in errors.
void write_png_to_fd(int fd, const std::string& path, int width, int height, const uint8_t* rgba, bool bottom_up);

}  // namespace exporter
