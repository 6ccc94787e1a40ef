#include "core/geometry.h"

#include <algorithm>
#include <sstream>

#include "core/errors.h"
#include "core/checked.h"
#include "core/limits.h"

namespace core {

const char* op_name(Op op) {
  switch (op) {
    case Op::conv2d: return "conv2d";
    case Op::conv2d_transpose: return "conv2d_transpose";
    case Op::depthwise_conv2d: return "depthwise_conv2d";
  }
  return "?";
}
const char* op_title(Op op) {
  switch (op) {
    case Op::conv2d: return "Conv2D";
    case Op::conv2d_transpose: return "Conv2DTranspose";
    case Op::depthwise_conv2d: return "DepthwiseConv2D";
  }
  return "?";
}
const char* trace_order_name(TraceOrder o) { return o == TraceOrder::scatter ? "scatter" : "gather"; }
const char* convention_name(Convention c) { return c == Convention::keras ? "keras" : "pytorch"; }
const char* convention_title(Convention c) { return c == Convention::keras ? "Keras" : "PyTorch"; }
const char* padding_kind_name(PaddingKind p) {
  switch (p) {
    case PaddingKind::valid: return "valid";
    case PaddingKind::same: return "same";
    case PaddingKind::explicit_pads: return "explicit";
  }
  return "?";
}
std::string pair_text(const Pair& p) {
  std::ostringstream out;
  out << "[" << p[0] << ", " << p[1] << "]";
  return out.str();
}
const char* axis_name(int axis) { return axis == 0 ? "height" : "width"; }

namespace {

int64_t floor_div(int64_t a, int64_t b) {  // b > 0
  return a >= 0 ? a / b : -((-a + b - 1) / b);
}
int64_t ceil_div(int64_t a, int64_t b) { return -floor_div(-a, b); }

std::string pads_text(const Spec& spec) {
  if (spec.pads_per_side) {
    std::ostringstream out;
    out << "[[" << spec.pad_before[0] << ", " << spec.pad_after[0] << "], [" << spec.pad_before[1] << ", "
        << spec.pad_after[1] << "]]";
    return out.str();
  }
  return pair_text(spec.pad_before);
}

bool any_above_one(const Pair& p) { return p[0] > 1 || p[1] > 1; }

// What both ops know of an axis before their own rules: sizes, stride,
// dilation and the dilated kernel's extent d·(k − 1) + 1.
AxisGeometry axis_basics(const Spec& spec, int axis, int64_t n, int64_t k) {
  AxisGeometry g;
  g.in = n;
  g.kernel = k;
  g.stride = spec.strides[axis];
  g.dilation = spec.dilation[axis];
  g.dilated_kernel = g.dilation * (k - 1) + 1;
  return g;
}

// Conv2D along one axis.
AxisGeometry conv_axis(const Spec& spec, int axis, int64_t n, int64_t k) {
  AxisGeometry g = axis_basics(spec, axis, n, k);
  const int64_t s = g.stride, dk = g.dilated_kernel;
  if (spec.padding == PaddingKind::same) {
    // TF's SAME: out = ceil(n/s); the odd cell of padding goes after (bottom/right).
    // PyTorch's "same" (stride 1 only) splits total = d·(k−1) the same way.
    g.out = ceil_div(n, s);
    const int64_t total = std::max<int64_t>((g.out - 1) * s + dk - n, 0);
    g.pad_before = total / 2;
    g.pad_after = total - g.pad_before;
  } else if (spec.padding == PaddingKind::explicit_pads) {
    g.pad_before = spec.pad_before[axis];
    g.pad_after = spec.pad_after[axis];
  }
  if (spec.padding != PaddingKind::same) {
    const int64_t padded = n + g.pad_before + g.pad_after;
    if (padded < dk) {
      fail(ErrorCode::kernel_larger_than_input, axis_name(axis), dk,
           g.pad_before + g.pad_after > 0 ? "padded input" : "input", padded);
    }
    g.out = floor_div(padded - dk, s) + 1;
  }
  return g;
}

// Conv2DTranspose along one axis.
AxisGeometry transpose_axis(const Spec& spec, int axis, int64_t n, int64_t k) {
  AxisGeometry g = axis_basics(spec, axis, n, k);
  g.output_padding = spec.output_padding ? (*spec.output_padding)[axis] : 0;
  const int64_t s = g.stride, dk = g.dilated_kernel, op = g.output_padding;
  g.full = (n - 1) * s + dk;
  std::ostringstream formula;
  if (spec.convention == Convention::keras) {
    // keras.utils.conv_utils.deconv_output_length (TF / Python Keras).
    if (!spec.output_padding) {
      g.out = spec.padding == PaddingKind::same ? n * s : n * s + std::max<int64_t>(dk - s, 0);
      formula << (spec.padding == PaddingKind::same ? "n·s" : "n·s + max(dk − s, 0)");
    } else {
      const int64_t pad = spec.padding == PaddingKind::same ? dk / 2 : 0;
      g.out = (n - 1) * s + dk - 2 * pad + op;
      formula << "(n − 1)·s + dk − 2·" << pad << " + op";
    }
    // TF checks that a forward conv of the output gives back n; with "same" and
    // an even dk that fails exactly when output_padding is 0 on that axis.
    if (spec.output_padding && spec.padding == PaddingKind::same && (g.out + s - 1) / s != n)
      fail(ErrorCode::keras_transpose_shape_check, axis_name(axis), g.out, n, dk);
    // tf.nn.conv2d_transpose places the scatter as the gradient of a forward
    // conv of the output: its SAME padding puts floor(total/2) before.
    g.crop_before = std::max<int64_t>(g.full - g.out, 0) / 2;
  } else {
    // torch.nn.ConvTranspose2d: out = (n−1)·s − 2p + dk + op.
    const int64_t p = spec.pad_before[axis];
    g.out = (n - 1) * s - 2 * p + dk + op;
    g.crop_before = p;
    formula << "(n − 1)·s − 2·p + dk + op";
  }
  g.crop_after = g.full - g.crop_before - g.out;
  if (g.out < 1) fail(ErrorCode::output_not_positive, axis_name(axis), g.out, formula.str());
  return g;
}

void check_pair_min(const Pair& p, int64_t min, ErrorCode code) {
  if (p[0] < min || p[1] < min) fail(code, pair_text(p));
}

void check_pair_max(const Pair& p, const char* name) {
  for (int64_t v : p)
    if (v > limits::kMaxParameter) fail(ErrorCode::too_big_param, name, v);
}

}  // namespace

void check_spec(const Spec& spec) {
  check_pair_min(spec.strides, 1, ErrorCode::stride_not_positive);
  check_pair_min(spec.dilation, 1, ErrorCode::dilation_not_positive);
  check_pair_max(spec.strides, "strides");
  check_pair_max(spec.dilation, "dilation");
  if (spec.padding == PaddingKind::explicit_pads) {
    if (spec.pad_before[0] < 0 || spec.pad_before[1] < 0 || spec.pad_after[0] < 0 || spec.pad_after[1] < 0)
      fail(ErrorCode::negative_padding, pads_text(spec));
    check_pair_max(spec.pad_before, "padding");
    check_pair_max(spec.pad_after, "padding");
  }
  const bool keras = spec.convention == Convention::keras;
  if (keras && spec.padding == PaddingKind::explicit_pads)
    fail(ErrorCode::bad_padding, "Keras", op_name(spec.op), "\"valid\" or \"same\"", pads_text(spec));
  if (!keras && is_transpose(spec.op) &&
      (spec.padding != PaddingKind::explicit_pads || spec.pads_per_side))
    fail(ErrorCode::bad_padding, "PyTorch", op_name(spec.op), "[ph, pw] (two integers)",
         spec.padding == PaddingKind::explicit_pads ? pads_text(spec)
                                                    : std::string("\"") + padding_kind_name(spec.padding) + "\"");
  if (!keras && !is_transpose(spec.op) && spec.padding == PaddingKind::same && any_above_one(spec.strides))
    fail(ErrorCode::torch_same_needs_stride_1, pair_text(spec.strides));
  if (keras && any_above_one(spec.strides) && any_above_one(spec.dilation))
    fail(ErrorCode::keras_stride_and_dilation, pair_text(spec.strides), pair_text(spec.dilation));
  if (spec.groups < 1) fail(ErrorCode::groups_not_positive, spec.groups);
  if (spec.groups > limits::kMaxParameter) fail(ErrorCode::too_big_param, "groups", spec.groups);
  if (spec.op == Op::depthwise_conv2d && spec.groups != 1) fail(ErrorCode::groups_on_depthwise, spec.groups);
  if (keras && is_transpose(spec.op) && spec.groups != 1) fail(ErrorCode::groups_keras_transpose, spec.groups);
  if (spec.output_padding) {
    const Pair& op = *spec.output_padding;
    if (!is_transpose(spec.op)) fail(ErrorCode::output_padding_on_conv, op_name(spec.op), pair_text(op));
    check_pair_min(op, 0, ErrorCode::negative_output_padding);
    check_pair_max(op, "output_padding");
    for (int a = 0; a < 2; ++a) {
      if (keras && op[a] >= spec.strides[a])
        fail(ErrorCode::keras_output_padding_too_big, pair_text(op), pair_text(spec.strides));
      if (!keras && op[a] >= spec.strides[a] && op[a] >= spec.dilation[a])
        fail(ErrorCode::torch_output_padding_too_big, pair_text(op), pair_text(spec.strides),
             pair_text(spec.dilation));
    }
  }
}

int64_t groups_of(const Spec& spec, int64_t in_channels) {
  return spec.op == Op::depthwise_conv2d ? in_channels : spec.groups;
}

Geometry geometry_for(const Spec& spec, int64_t in_h, int64_t in_w, int64_t kernel_h, int64_t kernel_w,
                      int64_t in_channels, int64_t out_channels) {
  check_spec(spec);
  Geometry g;
  g.op = spec.op;
  g.in_channels = in_channels;
  g.out_channels = out_channels;
  g.groups = groups_of(spec, in_channels);
  if (in_channels % g.groups != 0 || out_channels % g.groups != 0)
    fail(ErrorCode::groups_not_dividing, g.groups, in_channels, out_channels);
  const int64_t in[2] = {in_h, in_w};
  const int64_t k[2] = {kernel_h, kernel_w};
  for (int a = 0; a < 2; ++a)
    g.axes[a] = is_transpose(spec.op) ? transpose_axis(spec, a, in[a], k[a]) : conv_axis(spec, a, in[a], k[a]);
  return g;
}

// ---- coordinate maps ----

std::optional<int64_t> AxisGeometry::conv_output_of(int64_t i, int64_t t) const {
  const int64_t num = i + pad_before - t * dilation;  // = o·s
  if (num < 0 || num % stride != 0 || num / stride >= out) return std::nullopt;
  return num / stride;
}

std::optional<int64_t> AxisGeometry::transpose_input_of(int64_t o, int64_t t) const {
  const int64_t num = o + crop_before - t * dilation;  // = i·s
  if (num < 0 || num % stride != 0 || num / stride >= in) return std::nullopt;
  return num / stride;
}

namespace {
// The taps t in [0, k) with lo ≤ base + t·d ≤ hi, as [first, last].
std::array<int64_t, 2> taps_between(int64_t base, int64_t d, int64_t k, int64_t lo, int64_t hi) {
  const int64_t first = std::max<int64_t>(0, ceil_div(lo - base, d));
  const int64_t last = std::min<int64_t>(k - 1, floor_div(hi - base, d));
  return {first, last};
}
}  // namespace

std::array<int64_t, 2> AxisGeometry::conv_taps_inside(int64_t o) const {
  return taps_between(conv_input_of(o, 0), dilation, kernel, 0, in - 1);
}

std::array<int64_t, 2> AxisGeometry::transpose_taps_inside(int64_t i) const {
  return taps_between(transpose_output_of(i, 0), dilation, kernel, 0, out - 1);
}

// ---- step numbers ----

TraceOrder default_trace_order(Op op) { return is_transpose(op) ? TraceOrder::scatter : TraceOrder::gather; }

void check_trace_order(Op op, TraceOrder order) {
  if (!is_transpose(op) && order == TraceOrder::scatter) fail(ErrorCode::order_not_for_conv, op_title(op));
}

StepCoder::StepCoder(const Geometry& g, int64_t in_h, int64_t in_w, TraceOrder order, bool bias)
    : order_(order), kh_(g.axes[0].kernel), kw_(g.axes[1].kernel) {
  check_trace_order(g.op, order);
  rotated_ = is_transpose(g.op) && order == TraceOrder::gather;
  out_w_ = g.out_w();
  out_c_ = g.out_channels;
  const int64_t out_cells = checked_mul({g.out_h(), g.out_w(), g.out_channels}, "the output size (values)");
  if (order == TraceOrder::gather) {
    unit_h_ = g.out_h(), unit_w_ = g.out_w(), unit_c_ = g.out_channels;
    tap_channels_ = g.in_per_group();
    unit_group_size_ = g.out_per_group();
    units_ = out_cells;
  } else {
    unit_h_ = in_h, unit_w_ = in_w, unit_c_ = g.in_channels;
    tap_channels_ = g.out_per_group();
    unit_group_size_ = g.in_per_group();
    units_ = checked_mul({in_h, in_w, g.in_channels}, "the input size (values)");
  }
  taps_ = checked_mul({kh_, kw_, tap_channels_}, "the taps per cell");
  per_unit_ = taps_ + (bias && order == TraceOrder::gather ? 1 : 0);
  count_ = checked_mul(units_, per_unit_, "the step count");
  if (bias && order == TraceOrder::scatter) count_ = checked_add(count_, out_cells, "the step count");
}

int64_t StepCoder::unit_index(const Cell& u) const {
  return (u.y * unit_w_ + u.x) * unit_c_ + u.c;
}

Cell StepCoder::unit_cell(int64_t u) const {
  return {u / (unit_w_ * unit_c_), (u / unit_c_) % unit_w_, u % unit_c_};
}

StepCode StepCoder::decode(int64_t n) const {
  StepCode code;
  const int64_t main = main_steps();
  if (n >= main) {  // the scatter's bias steps, output cell by output cell
    const int64_t cell = n - main;
    code.unit = {cell / (out_w_ * out_c_), (cell / out_c_) % out_w_, cell % out_c_};
    code.bias = true;
    return code;
  }
  const int64_t u = n / per_unit_, r = n % per_unit_;
  code.unit = unit_cell(u);
  if (r == taps_) {  // a gather unit's bias step
    code.bias = true;
    return code;
  }
  const int64_t t = r / tap_channels_, local = r % tap_channels_;
  code.ky = t / kw_;
  code.kx = t % kw_;
  if (rotated_) code.ky = kh_ - 1 - code.ky, code.kx = kw_ - 1 - code.kx;
  code.channel = (code.unit.c / unit_group_size_) * tap_channels_ + local;
  return code;
}

int64_t StepCoder::encode(const StepCode& code) const {
  if (code.bias) {
    if (order_ == TraceOrder::scatter) return main_steps() + (code.unit.y * out_w_ + code.unit.x) * out_c_ + code.unit.c;
    return unit_index(code.unit) * per_unit_ + taps_;
  }
  const int64_t ky = rotated_ ? kh_ - 1 - code.ky : code.ky, kx = rotated_ ? kw_ - 1 - code.kx : code.kx;
  const int64_t local = code.channel - (code.unit.c / unit_group_size_) * tap_channels_;
  return unit_index(code.unit) * per_unit_ + (ky * kw_ + kx) * tap_channels_ + local;
}

}  // namespace core
