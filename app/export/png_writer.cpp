#include "app/export/png_writer.h"

#include <stb/stb_image_write.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
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
    if (n < 0) {
      if (errno == EINTR) continue;
      sink->err = errno;
      return;
    }
    p += n;
    size -= static_cast<int>(n);
  }
}

}  // namespace

void write_png(const std::string& path, int width, int height, const uint8_t* rgba, bool sync, bool bottom_up) {
  AtomicFile file(path);
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
  FdSink sink{file.fd()};
  if (!stbi_write_png_to_func(write_to_fd, &sink, width, height, 3, rgb.data(), width * 3))
    fail_write(path, sink.err ? std::strerror(sink.err) : "the PNG encoder failed");
  if (sink.err) fail_write_errno(path, sink.err);
  file.commit(sync);
}

std::string frame_file_name(int64_t index) {
  char name[40];
  std::snprintf(name, sizeof name, "frame_%06lld.png", static_cast<long long>(index));
  return name;
}

PngFrames::PngFrames(std::string folder) : folder_(std::move(folder)) {
  while (folder_.size() > 1 && folder_.back() == '/') folder_.pop_back();
  if (folder_.empty()) folder_ = ".";
  if (mkdir(folder_.c_str(), 0777) != 0 && errno != EEXIST) fail_write_errno(folder_ + "/", errno);
  std::string tmpl = folder_ + "/.convscope-frames.XXXXXX";
  if (!mkdtemp(tmpl.data())) fail_write_errno(folder_ + "/", errno);
  temp_ = tmpl;
}

PngFrames::~PngFrames() { cancel(); }

void PngFrames::add_frame(int width, int height, const uint8_t* rgba, bool bottom_up) {
  write_png(temp_ + "/" + frame_file_name(frames_), width, height, rgba, false, bottom_up);
  ++frames_;
}

void PngFrames::finish() {
  for (int64_t i = 0; i < frames_; ++i) {
    const std::string name = frame_file_name(i);
    if (std::rename((temp_ + "/" + name).c_str(), (folder_ + "/" + name).c_str()) != 0) {
      const int err = errno;
      cancel();
      fail_write_errno(folder_ + "/" + name, err);
    }
  }
  cancel();  // removes the (now empty) temporary folder
}

void PngFrames::cancel() noexcept {
  if (done_) return;
  done_ = true;
  std::error_code ec;
  std::filesystem::remove_all(temp_, ec);
}

}  // namespace exporter
