// buffer_pool.h — frame-sized vectors handed on instead of freed, so that a
// gallery of two dozen GIFs allocates (and zero-fills) its frame buffers once.
//
//   std::vector<uint32_t> prev = exporter::pixel_buffers().take();   // empty, or a used one (any content)
//   if (prev.size() < n) prev.resize(n);                              // grows (and zero-fills) only the new part
//   ... exporter::pixel_buffers().give(std::move(prev));               // for the next GIF
//
// Thread-safe. Keeps a few buffers at most; a taken buffer holds whatever its
// last user left, so users write before they read.
#pragma once

#include <cstdint>
#include <mutex>
#include <vector>

namespace exporter {

template <class T>
class BufferPool {
 public:
  std::vector<T> take() {
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.empty()) return {};
    std::vector<T> v = std::move(free_.back());
    free_.pop_back();
    return v;
  }
  void give(std::vector<T> v) {
    if (v.capacity() == 0) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (free_.size() < kKeep) free_.push_back(std::move(v));
  }

 private:
  static constexpr size_t kKeep = 8;  // frames in flight (3 a job) of two jobs, and the encoders' last frames
  std::mutex mutex_;
  std::vector<std::vector<T>> free_;
};

BufferPool<uint8_t>& byte_buffers();     // frames in flight (RGBA bytes)
BufferPool<uint32_t>& pixel_buffers();   // an encoder's previous frame (RGBA words)

}  // namespace exporter
