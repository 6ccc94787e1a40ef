#include "core/compute.h"

namespace core {

namespace {

// out[ox][f] += a · w[f] over the F filters: the innermost, vectorisable loop.
inline void axpy(double* out, const double* w, double a, int64_t f) {
  for (int64_t i = 0; i < f; ++i) out[i] += a * w[i];
}

// One output pixel's filters f0 … f0+B−1, summed in registers over every tap
// (ky, kx) and channel c in the trace's order, then stored. B is a compile-time
// block so the compiler keeps the accumulators in vector registers.
// c0: the first input channel of the filters' group; the group has k.in_channels of them.
template <int B>
__attribute__((always_inline)) inline void conv_pixel_block(const Tensor& in, const Kernel& k, const AxisGeometry& gy,
                                                            const AxisGeometry& gx, int64_t oy, int64_t ox, int64_t c0,
                                                            int64_t f0, double* out) {
  double acc[B] = {};
  const int64_t F = k.out_channels, C = k.in_channels;
  for (int64_t ky = 0; ky < k.kh; ++ky) {
    const int64_t iy = gy.conv_input_of(oy, ky);
    if (iy < 0 || iy >= in.h) continue;  // a tap on padding adds nothing
    for (int64_t kx = 0; kx < k.kw; ++kx) {
      const int64_t ix = gx.conv_input_of(ox, kx);
      if (ix < 0 || ix >= in.w) continue;
      const double* a = &in.values[static_cast<size_t>(in.index(iy, ix, c0))];
      const double* w = &k.values[static_cast<size_t>(k.index(ky, kx, 0, f0))];
      for (int64_t c = 0; c < C; ++c, w += F) {
        const double av = a[c];
        for (int j = 0; j < B; ++j) acc[j] += av * w[j];
      }
    }
  }
  for (int j = 0; j < B; ++j) out[j] = acc[j];
}

// Cloned for AVX2 where the CPU has it (no FMA: a fused multiply-add would
// round differently from the trace's separate a·w and before + product).
__attribute__((target_clones("avx512f", "avx2", "default"))) Tensor conv2d(const Scenario& s, const Geometry& g) {
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const int64_t F = k.out_channels, Fg = g.out_per_group(), Cg = g.in_per_group();
  Tensor out(gy.out, gx.out, F);
  for (int64_t oy = 0; oy < gy.out; ++oy)
    for (int64_t ox = 0; ox < gx.out; ++ox) {
      double* o = &out.values[static_cast<size_t>(out.index(oy, ox, 0))];
      // Filters in blocks that stay inside one group (they share its input channels).
      for (int64_t grp = 0; grp < g.groups; ++grp) {
        const int64_t c0 = grp * Cg, end = (grp + 1) * Fg;
        int64_t f0 = grp * Fg;
        for (; f0 + 16 <= end; f0 += 16) conv_pixel_block<16>(in, k, gy, gx, oy, ox, c0, f0, o + f0);
        for (; f0 + 8 <= end; f0 += 8) conv_pixel_block<8>(in, k, gy, gx, oy, ox, c0, f0, o + f0);
        for (; f0 + 2 <= end; f0 += 2) conv_pixel_block<2>(in, k, gy, gx, oy, ox, c0, f0, o + f0);
        for (; f0 < end; ++f0) conv_pixel_block<1>(in, k, gy, gx, oy, ox, c0, f0, o + f0);
      }
    }
  return out;
}

Tensor conv2d_transpose(const Scenario& s, const Geometry& g) {
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const int64_t Fg = g.out_per_group(), C = in.c, Cg = g.in_per_group();
  Tensor out(gy.out, gx.out, g.out_channels);
  // Input cell by input cell, as the trace scatters, so that every output cell
  // sums its contributions in the same order as the trace does (equal bits).
  for (int64_t iy = 0; iy < in.h; ++iy) {
    for (int64_t ix = 0; ix < in.w; ++ix) {
      const double* a = &in.values[static_cast<size_t>(in.index(iy, ix, 0))];
      for (int64_t ky = 0; ky < k.kh; ++ky) {
        const int64_t oy = gy.transpose_output_of(iy, ky);
        if (oy < 0 || oy >= gy.out) continue;  // cropped away
        for (int64_t kx = 0; kx < k.kw; ++kx) {
          const int64_t ox = gx.transpose_output_of(ix, kx);
          if (ox < 0 || ox >= gx.out) continue;
          const double* w_tap = &k.values[static_cast<size_t>(k.index(ky, kx, 0, 0))];
          double* o = &out.values[static_cast<size_t>(out.index(oy, ox, 0))];
          // Input channel c stamps the filters of its group.
          for (int64_t c = 0; c < C; ++c) axpy(o + (c / Cg) * Fg, w_tap + c * Fg, a[c], Fg);
        }
      }
    }
  }
  return out;
}

}  // namespace

Tensor compute_without_bias(const Scenario& s, const Geometry& g) {
  check_full_compute(s, g);
  return is_transpose(s.spec.op) ? conv2d_transpose(s, g) : conv2d(s, g);
}

Tensor compute(const Scenario& s) {
  Tensor out = compute_without_bias(s, validate(s));
  if (s.bias) {
    const int64_t F = out.c;
    for (int64_t i = 0; i < out.h * out.w; ++i)
      for (int64_t f = 0; f < F; ++f) out.values[static_cast<size_t>(i * F + f)] += (*s.bias)[static_cast<size_t>(f)];
  }
  return out;
}

}  // namespace core
