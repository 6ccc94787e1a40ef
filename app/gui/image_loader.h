// image_loader.h — an image file as an input grid (stb_image, PNG/JPEG/…).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gui {

// Images larger than this many pixels are refused before they are decoded
// (8192×4096; an RGB decode of that is 100 MB).
constexpr int64_t kMaxImagePixels = int64_t{1} << 25;

// The image resized to h×w (stb_image_resize), grey (channels 1) or RGB (3),
// values 0..1 in steps of 1/255 rounded to 3 decimals, row-major H×W×C.
// Regular files only (a folder or a FIFO is refused without opening it), and
// the size is read from the header before anything is decoded.
// On failure returns {} and sets `error` (one line).
std::vector<double> load_image_as_grid(const std::string& path, int64_t h, int64_t w, int channels, std::string& error);

}  // namespace gui
