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
  // Taps on padding add nothing: only the ones inside the input, in order.
  const std::array<int64_t, 2> ys = gy.conv_taps_inside(oy), xs = gx.conv_taps_inside(ox);
  const int64_t a_step = gx.dilation * in.c, w_step = C * F;
  for (int64_t ky = ys[0]; ky <= ys[1]; ++ky) {
    const double* a = &in.values[static_cast<size_t>(in.index(gy.conv_input_of(oy, ky), gx.conv_input_of(ox, xs[0]), c0))];
    const double* w_row = &k.values[static_cast<size_t>(k.index(ky, xs[0], 0, f0))];
    for (int64_t kx = xs[0]; kx <= xs[1]; ++kx, a += a_step, w_row += w_step) {
      const double* w = w_row;
      for (int64_t c = 0; c < C; ++c, w += F) {
        const double av = a[c];
        for (int j = 0; j < B; ++j) acc[j] += av * w[j];
      }
    }
  }
  for (int j = 0; j < B; ++j) out[j] = acc[j];
}

// Groups of one channel and one filter each (depthwise with M = 1): B groups
// side by side, each accumulating its own channel times its own filter —
// independent sums in vector lanes, in the trace's tap order.
template <int B>
__attribute__((always_inline)) inline void conv_pixel_diagonal(const Tensor& in, const Kernel& k, const AxisGeometry& gy,
                                                               const AxisGeometry& gx, int64_t oy, int64_t ox, int64_t g0,
                                                               double* out) {
  double acc[B] = {};
  const int64_t F = k.out_channels;
  const std::array<int64_t, 2> ys = gy.conv_taps_inside(oy), xs = gx.conv_taps_inside(ox);
  const int64_t a_step = gx.dilation * in.c;
  for (int64_t ky = ys[0]; ky <= ys[1]; ++ky) {
    const double* a = &in.values[static_cast<size_t>(in.index(gy.conv_input_of(oy, ky), gx.conv_input_of(ox, xs[0]), g0))];
    const double* w = &k.values[static_cast<size_t>(k.index(ky, xs[0], 0, g0))];
    for (int64_t kx = xs[0]; kx <= xs[1]; ++kx, a += a_step, w += F)
      for (int j = 0; j < B; ++j) acc[j] += a[j] * w[j];
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
      if (Cg == 1 && Fg == 1) {  // one channel, one filter per group
        int64_t g0 = 0;
        for (; g0 + 8 <= F; g0 += 8) conv_pixel_diagonal<8>(in, k, gy, gx, oy, ox, g0, o + g0);
        for (; g0 < F; ++g0) conv_pixel_diagonal<1>(in, k, gy, gx, oy, ox, g0, o + g0);
        continue;
      }
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

__attribute__((target_clones("avx512f", "avx2", "default"))) Tensor conv2d_transpose(const Scenario& s,
                                                                                        const Geometry& g) {
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const int64_t Fg = g.out_per_group(), C = in.c, Cg = g.in_per_group(), F = g.out_channels;
  Tensor out(gy.out, gx.out, F);
  // Input cell by input cell, as the trace scatters, so that every output cell
  // sums its contributions in the same order as the trace does (equal bits).
  // Taps that would be cropped away are skipped by range, not tested one by one.
  const int64_t o_step = gx.dilation * F, w_step = C * Fg;
  for (int64_t iy = 0; iy < in.h; ++iy) {
    const std::array<int64_t, 2> ys = gy.transpose_taps_inside(iy);
    for (int64_t ix = 0; ix < in.w; ++ix) {
      const std::array<int64_t, 2> xs = gx.transpose_taps_inside(ix);
      if (xs[0] > xs[1]) continue;
      const double* a = &in.values[static_cast<size_t>(in.index(iy, ix, 0))];
      for (int64_t ky = ys[0]; ky <= ys[1]; ++ky) {
        double* o = &out.values[static_cast<size_t>(out.index(gy.transpose_output_of(iy, ky), gx.transpose_output_of(ix, xs[0]), 0))];
        const double* w = &k.values[static_cast<size_t>(k.index(ky, xs[0], 0, 0))];
        const int64_t taps = xs[1] - xs[0] + 1;
        // Channel by channel (its group's filters), then along the kernel row: each
        // output cell still meets the input channels in ascending order.
        for (int64_t grp = 0; grp < g.groups; ++grp)
          for (int64_t c = grp * Cg; c < (grp + 1) * Cg; ++c) {
            const double av = a[c];
            double* oc = o + grp * Fg;
            const double* wc = w + c * Fg;
            if (Fg == 1) {
              for (int64_t t = 0; t < taps; ++t) oc[t * o_step] += av * wc[t * w_step];
            } else {
              for (int64_t t = 0; t < taps; ++t) axpy(oc + t * o_step, wc + t * w_step, av, Fg);
            }
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
