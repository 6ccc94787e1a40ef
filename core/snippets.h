// snippets.h — complete, runnable Python that reproduces a scenario in
// PyTorch and in Keras: the values, the layouts each framework wants, the call
// and a print of the output. The Formula panel's Copy buttons give these.
//
//   std::string py = core::pytorch_snippet(s);   // import torch … print(y)
//   std::string kr = core::keras_snippet(s);     // import keras … print(…)
//
// PyTorch: the input as an N×C×H×W float64 tensor, the weight in PyTorch's
// layout (conv2d [F][C_in/g][kh][kw], conv_transpose2d [C_in][F/g][kh][kw]:
// Keras' kernel permuted, never flipped), the bias, and one torch.nn.functional
// call with the scenario's stride, padding, dilation, groups and
// output_padding. Pads PyTorch cannot say in `padding` (Keras "same" with an
// odd total, per-side pads) become F.pad first; a Keras transpose whose crop
// PyTorch's output_padding cannot express is computed whole and cropped. The
// output `y` is printed as N×F×H×W.
//
// Keras: the input N×H×W×C, the layer with the scenario's arguments, its
// weights set from the scenario in Keras' layouts (conv2d [kh][kw][C_in/g][F],
// depthwise [kh][kw][C_in][M], conv2d_transpose [kh][kw][F][C_in]), and the
// output printed as N×H×W×F. A PyTorch-convention scenario gets
// ZeroPadding2D / Cropping2D around the layer as `explain` describes; one with
// no Keras layer (a grouped transpose; a stride > 1 with a dilation > 1) gets
// a snippet that says so and stops (SystemExit).
//
// Numbers are written in their shortest exact form, so the PyTorch result
// matches core::compute to float64 rounding. Both throw core::Error for an
// invalid scenario (core::validate). Pure text: no I/O.
#pragma once

#include <string>

#include "core/scenario.h"

namespace core {

std::string pytorch_snippet(const Scenario& s);
std::string keras_snippet(const Scenario& s);

}  // namespace core
