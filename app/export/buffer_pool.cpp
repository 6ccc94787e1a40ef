#include "app/export/buffer_pool.h"

namespace exporter {

BufferPool<uint8_t>& byte_buffers() {
  static BufferPool<uint8_t> pool;
  return pool;
}

BufferPool<uint32_t>& pixel_buffers() {
  static BufferPool<uint32_t> pool;
  return pool;
}

}  // namespace exporter
