#include "core/compute.h"

namespace core {

namespace {

// out[ox][f] += a · w[f] over the F filters: the innermost, vectorisable loop.
inline void axpy(double* out, const double* w, double a, int64_t f) {
  for (int64_t i = 0; i < f; ++i) out[i] += a * w[i];
}

Tensor conv2d(const Scenario& s, const Geometry& g) {
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const int64_t F = k.out_channels, C = in.c;
  Tensor out(gy.out, gx.out, F);
  for (int64_t oy = 0; oy < gy.out; ++oy) {
    double* out_row = &out.values[static_cast<size_t>(out.index(oy, 0, 0))];
    for (int64_t ky = 0; ky < k.kh; ++ky) {
      const int64_t iy = oy * gy.stride + ky * gy.dilation - gy.pad_before;
      if (iy < 0 || iy >= in.h) continue;  // a tap on padding adds 0
      for (int64_t kx = 0; kx < k.kw; ++kx) {
        const double* w_tap = &k.values[static_cast<size_t>(k.index(ky, kx, 0, 0))];
        const int64_t x_offset = kx * gx.dilation - gx.pad_before;
        // Output columns whose tap lands inside the input: 0 ≤ ox·s + x_offset < W.
        int64_t ox_first = x_offset >= 0 ? 0 : (-x_offset + gx.stride - 1) / gx.stride;
        int64_t ox_end = in.w - x_offset <= 0 ? 0 : (in.w - x_offset + gx.stride - 1) / gx.stride;
        if (ox_end > gx.out) ox_end = gx.out;
        for (int64_t ox = ox_first; ox < ox_end; ++ox) {
          const double* a = &in.values[static_cast<size_t>(in.index(iy, ox * gx.stride + x_offset, 0))];
          double* o = out_row + ox * F;
          for (int64_t c = 0; c < C; ++c) axpy(o, w_tap + c * F, a[c], F);
        }
      }
    }
  }
  return out;
}

Tensor conv2d_transpose(const Scenario& s, const Geometry& g) {
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const int64_t F = k.out_channels, C = in.c;
  Tensor out(gy.out, gx.out, F);
  // Input cell by input cell, as the trace scatters, so that every output cell
  // sums its contributions in the same order as the trace does (equal bits).
  for (int64_t iy = 0; iy < in.h; ++iy) {
    for (int64_t ix = 0; ix < in.w; ++ix) {
      const double* a = &in.values[static_cast<size_t>(in.index(iy, ix, 0))];
      for (int64_t ky = 0; ky < k.kh; ++ky) {
        const int64_t oy = iy * gy.stride + ky * gy.dilation - gy.crop_before;
        if (oy < 0 || oy >= gy.out) continue;  // cropped away
        for (int64_t kx = 0; kx < k.kw; ++kx) {
          const int64_t ox = ix * gx.stride + kx * gx.dilation - gx.crop_before;
          if (ox < 0 || ox >= gx.out) continue;
          const double* w_tap = &k.values[static_cast<size_t>(k.index(ky, kx, 0, 0))];
          double* o = &out.values[static_cast<size_t>(out.index(oy, ox, 0))];
          for (int64_t c = 0; c < C; ++c) axpy(o, w_tap + c * F, a[c], F);
        }
      }
    }
  }
  return out;
}

}  // namespace

Tensor compute_without_bias(const Scenario& s, const Geometry& g) {
  return s.spec.op == Op::conv2d ? conv2d(s, g) : conv2d_transpose(s, g);
}

Tensor compute(const Scenario& s) {
  Tensor out = compute_without_bias(s, s.geometry());
  if (s.bias) {
    const int64_t F = out.c;
    for (int64_t i = 0; i < out.h * out.w; ++i)
      for (int64_t f = 0; f < F; ++f) out.values[static_cast<size_t>(i * F + f)] += (*s.bias)[static_cast<size_t>(f)];
  }
  return out;
}

}  // namespace core
