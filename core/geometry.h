// geometry.h — the shape rules of Keras and PyTorch, per axis, and every map
// between coordinates and step numbers, in one place.
//
// geometry_for() takes a Spec and the input and kernel sizes and returns, for
// each spatial axis, the output length and where the window or the stamps sit:
//   gather  (Conv2D, DepthwiseConv2D): input coordinate  = o·s + t·d − pad_before
//   scatter (Conv2DTranspose):         output coordinate = i·s + t·d − crop_before
// It throws core::Error (see errors.h) for every combination the framework
// itself rejects. It applies the frameworks' rules only: convscope's own size
// and work limits are core::validate()'s (scenario.h).
//
// StepCoder numbers the steps of a trace (which unit, which tap) and back.
// Nothing else in convscope re-derives these numbers: the trace, the views, the
// renderer and the exporter call the functions below.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
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

  // ---- gather (convolution) ----
  // The input coordinate that tap t of output o reads (< 0 or ≥ n on padding).
  int64_t conv_input_of(int64_t o, int64_t t) const { return o * stride + t * dilation - pad_before; }
  // The output whose tap t reads input coordinate i (i may be on the padding), if any.
  std::optional<int64_t> conv_output_of(int64_t i, int64_t t) const;
  // The taps [first, last] of output o that read the input itself (not padding);
  // first > last when every tap lands on padding.
  std::array<int64_t, 2> conv_taps_inside(int64_t o) const;
  // The input with its padding: pad_before + n + pad_after.
  int64_t padded_in() const { return pad_before + in + pad_after; }

  // ---- scatter (transposed convolution) ----
  // Where tap t of input i lands on the output (outside [0, out) when cropped).
  int64_t transpose_output_of(int64_t i, int64_t t) const { return i * stride + t * dilation - crop_before; }
  // The input whose tap t lands on output o, if any.
  std::optional<int64_t> transpose_input_of(int64_t o, int64_t t) const;
  // The taps [first, last] of input i that land on the output (not cropped).
  std::array<int64_t, 2> transpose_taps_inside(int64_t i) const;

  // ---- the transposed convolution as a direct one (zero insertion) ----
  // The input with s−1 zeros between cells is (n−1)·s+1 long; it is padded by
  // dk−1−crop_before before (negative: cropped) and by what a stride-1 "valid"
  // convolution giving `out` cells needs after; the whole is out + dk − 1 long.
  int64_t zero_inserted_length() const { return (in - 1) * stride + 1; }
  int64_t equivalent_pad_before() const { return dilated_kernel - 1 - crop_before; }
  int64_t equivalent_padded_length() const { return out + dilated_kernel - 1; }
  int64_t equivalent_pad_after() const {
    return equivalent_padded_length() - equivalent_pad_before() - zero_inserted_length();
  }
  // The zero-inserted coordinate that output o reads through (unrotated) tap t:
  // o − t·d + crop_before; an input cell sits at i·s, anything else is an
  // inserted zero (inside [0, (n−1)·s]) or padding (outside).
  int64_t zero_inserted_of(int64_t o, int64_t t) const { return o - t * dilation + crop_before; }
};

struct Geometry {
  Op op = Op::conv2d;
  std::array<AxisGeometry, 2> axes;  // [0] = height (y), [1] = width (x)
  int64_t in_channels = 0;           // C_in
  int64_t out_channels = 0;          // F
  int64_t groups = 1;                // depthwise: C_in
  int64_t out_h() const { return axes[0].out; }
  int64_t out_w() const { return axes[1].out; }
  int64_t in_per_group() const { return in_channels / groups; }
  int64_t out_per_group() const { return out_channels / groups; }
  int64_t group_of_input_channel(int64_t c) const { return c / in_per_group(); }
  int64_t group_of_filter(int64_t f) const { return f / out_per_group(); }
};

// Validates spec (strides, dilation, padding, output_padding, groups: the
// framework's rules) and computes both axes. Throws core::Error. Sizes must be
// ≥ 1; the arithmetic is exact for any sizes below convscope's limits.
Geometry geometry_for(const Spec& spec, int64_t in_h, int64_t in_w, int64_t kernel_h, int64_t kernel_w,
                      int64_t in_channels, int64_t out_channels);

// Only the parameter checks that need no sizes (used while parsing and by the GUI
// to flag a control before anything is computed). Throws core::Error.
void check_spec(const Spec& spec);

// The groups of an op with C_in input channels: the spec's, or C_in for a depthwise op.
int64_t groups_of(const Spec& spec, int64_t in_channels);

const char* axis_name(int axis);  // "height" / "width"

// A cell of a grid: (y, x) and a channel (input channel or filter).
struct Cell {
  int64_t y = 0, x = 0, c = 0;
  bool operator==(const Cell& o) const { return y == o.y && x == o.x && c == o.c; }
};

// What a step number stands for.
//   gather:  unit = output cell (y, x, f); tap (ky, kx) and the input channel c
//            (of the unit's group). Transposes in gather order walk the taps of
//            the equivalent convolution, whose kernel is rotated 180°: ky, kx
//            here are the ORIGINAL kernel's indices.
//   scatter: unit = input cell (y, x, c); tap (ky, kx) and the filter f (of the
//            unit's group).
//   bias:    the bias step of a gather unit, or of output cell `unit` in the
//            scatter's bias steps (after every stamp).
struct StepCode {
  Cell unit;
  int64_t ky = 0, kx = 0;
  int64_t channel = 0;  // gather: input channel c; scatter: filter f (absolute, not within the group)
  bool bias = false;
};

// The numbering of a trace's steps:
//   gather:  unit u = (y·W + x)·F + f over the output, then per unit the taps
//            (ky, kx, c) row-major over the group's channels, then its bias step;
//   scatter: unit u = (y·W + x)·C + c over the input, then per unit the taps
//            (ky, kx, f) row-major over the group's filters; after every unit,
//            one bias step per output cell (y, x, f) row-major.
// encode() and decode() are inverse; both are O(1). Counts use checked 64-bit
// arithmetic (a count that would overflow throws core::Error over_limit).
class StepCoder {
 public:
  StepCoder() = default;
  // `in_h`, `in_w`: the input's extent (the scatter's units).
  StepCoder(const Geometry& g, int64_t in_h, int64_t in_w, TraceOrder order, bool bias);

  TraceOrder order() const { return order_; }
  int64_t count() const { return count_; }
  int64_t units() const { return units_; }           // gather: output cells; scatter: input cells
  int64_t taps() const { return taps_; }             // kh·kw·(channels of a group)
  int64_t per_unit() const { return per_unit_; }     // gather: taps (+1 with bias); scatter: taps
  int64_t main_steps() const { return units_ * per_unit_; }
  bool has_bias_tail() const { return count_ > main_steps(); }  // the scatter's bias steps

  StepCode decode(int64_t n) const;
  int64_t encode(const StepCode& code) const;
  // Calls fn(ky, kx, channel) for the first `count` taps of unit `unit`, in step
  // order (what decode() gives for its steps, without a division per tap).
  template <class Fn>
  void visit_taps(const Cell& unit, int64_t count, Fn&& fn) const {
    const int64_t c0 = (unit.c / unit_group_size_) * tap_channels_;
    int64_t left = count;
    for (int64_t ty = 0; ty < kh_; ++ty)
      for (int64_t tx = 0; tx < kw_; ++tx)
        for (int64_t local = 0; local < tap_channels_; ++local) {
          if (left-- <= 0) return;
          fn(rotated_ ? kh_ - 1 - ty : ty, rotated_ ? kw_ - 1 - tx : tx, c0 + local);
        }
  }
  // The unit's index in the walk, and back (the scatter's bias steps are unit `units()`).
  int64_t unit_index(const Cell& unit) const;
  Cell unit_cell(int64_t u) const;

 private:
  TraceOrder order_ = TraceOrder::gather;
  bool rotated_ = false;  // a transpose in gather order: taps walk the rotated kernel
  int64_t kh_ = 1, kw_ = 1;
  int64_t unit_h_ = 0, unit_w_ = 0, unit_c_ = 0;  // the grid the units walk
  int64_t tap_channels_ = 1;                      // channels of one group on the tap side
  int64_t unit_group_size_ = 1;                   // unit channels per group
  int64_t out_w_ = 0, out_c_ = 0;                 // the scatter's bias steps walk the output
  int64_t taps_ = 0, per_unit_ = 0, units_ = 0, count_ = 0;
};

// The trace orders an op has: a gather for convolutions; scatter (default) or
// gather for a transposed convolution. Throws core::Error(order_not_for_conv)
// for scatter on a convolution.
void check_trace_order(Op op, TraceOrder order);
TraceOrder default_trace_order(Op op);

}  // namespace core
