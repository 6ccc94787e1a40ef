// geometry.h — the shape rules of Keras and PyTorch, per axis, in one place.
//
// geometry_for() takes a Spec and the input and kernel sizes and returns, for
// each spatial axis, the output length and where the window or the stamps sit:
//   Conv2D:          input coordinate  = o·s + t·d − pad_before
//   Conv2DTranspose: output coordinate = i·s + t·d − crop_before
// It throws core::Error (see errors.h) for every combination the framework
// itself rejects. Nothing else in convscope re-derives these numbers.
#pragma once

#include <array>
#include <cstdint>
#include <string>

#include "core/spec.h"

namespace core {

struct AxisGeometry {
  int64_t in = 0;              // n: input length
  int64_t kernel = 0;          // k
  int64_t stride = 1;          // s
  int64_t dilation = 1;        // d
  int64_t dilated_kernel = 0;  // dk = d·(k−1)+1
  int64_t out = 0;             // output length
  // Conv2D: zeros added before/after the input.
  int64_t pad_before = 0, pad_after = 0;
  // Conv2DTranspose: the full scatter spans `full` = (n−1)·s+dk cells; crop_before
  // cells are cut at the start and crop_after at the end. crop_after < 0 means the
  // output is longer than the full scatter: those −crop_after cells get no stamp
  // (output_padding past the scatter, or a kernel shorter than the stride).
  int64_t full = 0;
  int64_t crop_before = 0, crop_after = 0;
  int64_t output_padding = 0;  // 0 when absent
};

struct Geometry {
  Op op = Op::conv2d;
  std::array<AxisGeometry, 2> axes;  // [0] = height (y), [1] = width (x)
  int64_t in_channels = 0;           // C_in
  int64_t out_channels = 0;          // F
  int64_t out_h() const { return axes[0].out; }
  int64_t out_w() const { return axes[1].out; }
};

// Validates spec (strides, dilation, padding, output_padding, the framework's
// rules) and computes both axes. Throws core::Error.
Geometry geometry_for(const Spec& spec, int64_t in_h, int64_t in_w, int64_t kernel_h, int64_t kernel_w,
                      int64_t in_channels, int64_t out_channels);

// Only the parameter checks that need no sizes (used while parsing and by the GUI
// to flag a control before anything is computed). Throws core::Error.
void check_spec(const Spec& spec);

const char* axis_name(int axis);  // "height" / "width"

}  // namespace core
