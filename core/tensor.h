// tensor.h — the two dense arrays of a scenario: an H×W×C grid and a kernel.
//
// Plain flat vectors in a fixed order, so that the trace and the renderer can
// index them without conversions. Values are double: teaching cases print
// exact short decimals, and the frameworks' float32 results round-trip.
#pragma once

#include <cstdint>
#include <vector>

#include "core/checked.h"

namespace core {

// A grid of H rows, W columns, C channels, stored row-major as [y][x][c].
struct Tensor {
  int64_t h = 0, w = 0, c = 0;
  std::vector<double> values;

  Tensor() = default;
  Tensor(int64_t h_, int64_t w_, int64_t c_, double fill = 0.0)
      : h(h_), w(w_), c(c_), values(static_cast<size_t>(checked_mul({h_, w_, c_}, "a grid's size")), fill) {}

  int64_t size() const { return h * w * c; }
  int64_t index(int64_t y, int64_t x, int64_t ch) const { return (y * w + x) * c + ch; }
  double at(int64_t y, int64_t x, int64_t ch) const { return values[static_cast<size_t>(index(y, x, ch))]; }
  double& at(int64_t y, int64_t x, int64_t ch) { return values[static_cast<size_t>(index(y, x, ch))]; }
  bool contains(int64_t y, int64_t x) const { return y >= 0 && y < h && x >= 0 && x < w; }
};

// The weights of an op, stored as [ky][kx][in_channel][out_channel], each
// channel axis as one group of the op sees it (groups: geometry.h):
//   Conv2D          [kh][kw][C_in/g][F]   — the Keras layout itself;
//   DepthwiseConv2D [kh][kw][1][C_in·M]   — Keras' [kh][kw][C_in][M], its last two
//                                           axes read as one (filter c·M + m);
//   Conv2DTranspose [kh][kw][C_in][F/g]   — Keras' [kh][kw][F][C_in] with its last
//                                           two axes swapped (scenario.cpp does it).
struct Kernel {
  int64_t kh = 0, kw = 0, in_channels = 0, out_channels = 0;
  std::vector<double> values;

  Kernel() = default;
  Kernel(int64_t kh_, int64_t kw_, int64_t in_, int64_t out_, double fill = 0.0)
      : kh(kh_), kw(kw_), in_channels(in_), out_channels(out_),
        values(static_cast<size_t>(checked_mul({kh_, kw_, in_, out_}, "a kernel's size")), fill) {}

  int64_t size() const { return kh * kw * in_channels * out_channels; }
  int64_t index(int64_t ky, int64_t kx, int64_t ci, int64_t co) const {
    return ((ky * kw + kx) * in_channels + ci) * out_channels + co;
  }
  double at(int64_t ky, int64_t kx, int64_t ci, int64_t co) const {
    return values[static_cast<size_t>(index(ky, kx, ci, co))];
  }
  double& at(int64_t ky, int64_t kx, int64_t ci, int64_t co) {
    return values[static_cast<size_t>(index(ky, kx, ci, co))];
  }
};

}  // namespace core
