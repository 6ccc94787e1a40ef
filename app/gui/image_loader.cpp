#include "app/gui/image_loader.h"

#include <stb_image.h>
#include <stb_image_resize.h>
#include <sys/stat.h>

#include <cmath>
#include <memory>

#include "core/errors.h"

namespace gui {

std::vector<double> load_image_as_grid(const std::string& path, int64_t h, int64_t w, int channels, std::string& error) {
  auto fail = [&](const std::string& why) {
    error = core::one_line(core::error_message(core::ErrorCode::io_read, core::excerpt(path, 200), why));
    return std::vector<double>{};
  };
  struct stat st {};
  if (path.empty()) return fail("no file name given");
  if (::stat(path.c_str(), &st) != 0) return fail("no such file");
  if (S_ISDIR(st.st_mode)) return fail("it is a folder, not an image");
  if (!S_ISREG(st.st_mode)) return fail("it is not a regular file");
  int iw = 0, ih = 0, n = 0;
  if (!stbi_info(path.c_str(), &iw, &ih, &n))
    return fail(std::string("not an image stb_image reads (") + (stbi_failure_reason() ? stbi_failure_reason() : "unknown") + ")");
  if (iw < 1 || ih < 1 || static_cast<int64_t>(iw) * ih > kMaxImagePixels)
    return fail(core::error_message(core::ErrorCode::over_limit, "the image", std::to_string(iw) + "×" + std::to_string(ih),
                                    std::to_string(kMaxImagePixels) + " pixels"));
  std::unique_ptr<unsigned char, void (*)(void*)> pixels(stbi_load(path.c_str(), &iw, &ih, &n, channels), stbi_image_free);
  if (!pixels) return fail(stbi_failure_reason() ? stbi_failure_reason() : "unknown error");
  std::vector<unsigned char> out(static_cast<size_t>(h * w * channels));
  if (!stbir_resize_uint8(pixels.get(), iw, ih, 0, out.data(), static_cast<int>(w), static_cast<int>(h), 0, channels))
    return fail("cannot resize it");
  std::vector<double> values(out.size());
  for (size_t i = 0; i < out.size(); ++i) values[i] = std::round(out[i] / 255.0 * 1000) / 1000;
  return values;
}

}  // namespace gui
