#include "app/export/png_writer.h"

#include <stb/stb_image_write.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "app/export/atomic_file.h"

namespace exporter {

namespace {

struct FdSink {
  int fd;
  int err = 0;
};

void write_to_fd(void* context, void* data, int size) {
  auto* sink = static_cast<FdSink*>(context);
  const char* p = static_cast<const char*>(data);
  while (size > 0 && !sink->err) {
    const ssize_t n = write(sink->fd, p, static_cast<size_t>(size));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      sink->err = n < 0 ? errno : EIO;
      return;
    }
    p += n;
    size -= static_cast<int>(n);
  }
}

}  // namespace

void write_png_to_fd(int fd, const std::string& path, int width, int height, const uint8_t* rgba, bool bottom_up) {
  // Opaque frames: RGB is a quarter smaller and views identically.
  std::vector<uint8_t> rgb(static_cast<size_t>(width) * static_cast<size_t>(height) * 3);
  const size_t w = static_cast<size_t>(width);
  for (size_t y = 0; y < static_cast<size_t>(height); ++y) {
    const uint8_t* src = rgba + (bottom_up ? static_cast<size_t>(height) - 1 - y : y) * w * 4;
    uint8_t* dst = rgb.data() + y * w * 3;
    for (size_t x = 0; x < w; ++x) {
      dst[x * 3] = src[x * 4];
      dst[x * 3 + 1] = src[x * 4 + 1];
      dst[x * 3 + 2] = src[x * 4 + 2];
    }
  }
  FdSink sink{fd};
  if (!stbi_write_png_to_func(write_to_fd, &sink, width, height, 3, rgb.data(), width * 3))
    fail_write(path, sink.err ? std::strerror(sink.err) : "the PNG encoder failed");
  if (sink.err) fail_write_errno(path, sink.err);
}

void write_png(const std::string& path, int width, int height, const uint8_t* rgba, bool sync, bool bottom_up) {
  AtomicFile file(path);
  write_png_to_fd(file.fd(), path, width, height, rgba, bottom_up);
  file.commit(sync);
}

}  // namespace exporter
