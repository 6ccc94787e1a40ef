// spec.h — the parameters of one Conv2D or Conv2DTranspose, as the frameworks name them.
//
// Defaults equal the framework defaults (Keras: strides 1, dilation 1, "valid",
// output_padding None), so a call site names only what differs. A Spec says
// nothing about sizes; geometry_for() combines it with the tensors' shapes and
// is the only place that applies the shape rules.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>

namespace core {

enum class Op { conv2d, conv2d_transpose };
enum class Convention { keras, pytorch };

// valid and same are the frameworks' keywords; explicit_pads holds numbers
// (PyTorch's `padding=(ph, pw)` or per side through F.pad).
enum class PaddingKind { valid, same, explicit_pads };

// How the tensors are nested in the scenario file (the core always stores
// input as H×W×C and kernels as [kh][kw][C_in][F]).
enum class InputLayout { hwc, chw };
enum class KernelLayout { keras, torch };

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
};

const char* op_name(Op op);                      // "conv2d"
const char* op_title(Op op);                     // "Conv2D"
const char* convention_name(Convention c);       // "keras"
const char* convention_title(Convention c);      // "Keras"
const char* padding_kind_name(PaddingKind p);    // "valid"
std::string pair_text(const Pair& p);            // "[2, 1]"

}  // namespace core
