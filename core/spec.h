// spec.h — the parameters of one convolution layer, as the frameworks name them.
//
// Defaults equal the framework defaults (Keras: strides 1, dilation 1, "valid",
// output_padding None, groups 1), so a call site names only what differs. A
// Spec says nothing about sizes; geometry_for() combines it with the tensors'
// shapes and is the only place that applies the shape rules.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace core {

// conv2d: Keras Conv2D / torch.nn.Conv2d (groups allowed);
// conv2d_transpose: Keras Conv2DTranspose / torch.nn.ConvTranspose2d (groups: PyTorch only);
// depthwise_conv2d: Keras DepthwiseConv2D(depth_multiplier=M) / Conv2d(C, C·M, groups=C).
enum class Op { conv2d, conv2d_transpose, depthwise_conv2d };
enum class Convention { keras, pytorch };

// A convolution gathers (each output cell sums its window); a transposed one scatters.
inline bool is_transpose(Op op) { return op == Op::conv2d_transpose; }

// valid and same are the frameworks' keywords; explicit_pads holds numbers
// (PyTorch's `padding=(ph, pw)` or per side through F.pad).
enum class PaddingKind { valid, same, explicit_pads };

// How the tensors are nested in the scenario file (the core always stores
// input as H×W×C and kernels as in tensor.h).
enum class InputLayout { hwc, chw };
enum class KernelLayout { keras, torch };

// The order in which a trace visits the multiply-accumulates. A convolution is
// always a gather (output cell by output cell). A transposed convolution is a
// scatter by default (input cell by input cell, each stamping the kernel); its
// gather order visits output cells as the equivalent direct convolution over
// the zero-inserted input does (conv_arithmetic's pictures).
enum class TraceOrder { scatter, gather };

using Pair = std::array<int64_t, 2>;  // [height axis, width axis]

struct Spec {
  Op op = Op::conv2d;
  Convention convention = Convention::keras;
  Pair strides{1, 1};
  Pair dilation{1, 1};
  PaddingKind padding = PaddingKind::valid;
  // With explicit_pads: cells of zeros before/after the input on each axis (conv2d),
  // or cells cropped from both ends of the full scatter (PyTorch conv_transpose2d).
  Pair pad_before{0, 0};
  Pair pad_after{0, 0};
  // Whether the file wrote [[top, bottom], [left, right]] rather than [ph, pw].
  bool pads_per_side = false;
  // Keras distinguishes None from (0, 0); PyTorch treats absent as 0.
  std::optional<Pair> output_padding;
  // Channel groups (conv2d, PyTorch conv2d_transpose). A depthwise op keeps 1
  // here: its groups are its input channels (Geometry::groups says so).
  int64_t groups = 1;
};

const char* op_name(Op op);                      // "conv2d"
const char* op_title(Op op);                     // "Conv2D"
const char* convention_name(Convention c);       // "keras"
const char* convention_title(Convention c);      // "Keras"
const char* padding_kind_name(PaddingKind p);    // "valid"
const char* trace_order_name(TraceOrder o);      // "scatter"
std::string pair_text(const Pair& p);            // "[2, 1]"

}  // namespace core
