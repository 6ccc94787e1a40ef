#include "app/gui/image_loader.h"

#include <stb_image.h>
#include <stb_image_resize.h>

#include <cmath>
#include <memory>

namespace gui {

std::vector<double> load_image_as_grid(const std::string& path, int64_t h, int64_t w, int channels, std::string& error) {
  int iw = 0, ih = 0, n = 0;
  std::unique_ptr<unsigned char, void (*)(void*)> pixels(stbi_load(path.c_str(), &iw, &ih, &n, channels), stbi_image_free);
  if (!pixels) {
    error = "cannot load image " + path + ": " + (stbi_failure_reason() ? stbi_failure_reason() : "unknown error");
    return {};
  }
  std::vector<unsigned char> out(static_cast<size_t>(h * w * channels));
  if (!stbir_resize_uint8(pixels.get(), iw, ih, 0, out.data(), static_cast<int>(w), static_cast<int>(h), 0, channels)) {
    error = "cannot resize image " + path;
    return {};
  }
  std::vector<double> values(out.size());
  for (size_t i = 0; i < out.size(); ++i) values[i] = std::round(out[i] / 255.0 * 1000) / 1000;
  return values;
}

}  // namespace gui
