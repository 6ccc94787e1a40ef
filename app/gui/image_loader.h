// image_loader.h — an image file as an input grid (stb_image, PNG/JPEG/…).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace gui {

// The image resized to h×w (stb_image_resize), grey (channels 1) or RGB (3),
// values 0..1 in steps of 1/255 rounded to 3 decimals, row-major H×W×C.
// On failure returns {} and sets `error`.
std::vector<double> load_image_as_grid(const std::string& path, int64_t h, int64_t w, int channels, std::string& error);

}  // namespace gui
