// explain.h — the arithmetic of a scenario in words a student can read.
//
// axis_formula() is what the GUI's formula panel shows; explain() is the whole
// text of `convscope explain`: shapes and layouts, the length formula per axis
// with the numbers put in, pads or crops per side, the step count, and the
// equivalent Keras and PyTorch calls.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/scenario.h"

namespace core {

struct AxisFormula {
  std::string rule;      // "out = floor((n + p_before + p_after − dk)/s) + 1"
  std::string numbers;   // "floor((3 + 0 + 0 − 2)/1) + 1 = 2"
  std::string sides;     // "pads: 0 before (top), 0 after (bottom)"
};

AxisFormula axis_formula(const Scenario& s, const Geometry& g, int axis);

// "16 steps: 4 output cells (2×2×1) × 4 multiply-accumulates each …" etc., for
// the op's default order or the given one.
std::string step_count_text(const Scenario& s, const Geometry& g);
std::string step_count_text(const Scenario& s, const Geometry& g, TraceOrder order);

// How the scenario file's own layouts index its tensors — the one source for
// explain's formulas and the app's labels (x[c, y, x] for C×H×W input,
// w[f, c, ky, kx] for OIHW weights, w[ky, kx, f, c] for Keras transposes …).
struct IndexNames {
  bool chw = false;
  std::string input_pattern;           // "x[iy, ix, c]"
  std::string output_pattern;          // "y[oy, ox, f]"
  std::string input_pattern_gather;    // "x[oy·s + ky·d − pad_top, …, c]"
  std::string output_pattern_scatter;  // "y[iy·s + ky·d − crop_top, …, f]"
  std::string weight_pattern;          // "w[ky, kx, c, f]"
  std::string weight_note;             // what c' / f' / m mean with groups; "" without
};
IndexNames index_names(const Scenario& s, const Geometry& g);
// A cell's index in the file's layout: "[1,2,0]" (H×W×C) or "[0,1,2]" (C×H×W).
std::string input_index_text(const Scenario& s, const Cell& c);
// The weight between input channel c and filter f at tap (ky, kx), indexed as
// the file's kernel is: "[1,0,2,0]" (Keras conv), "[0,2,1,0]" (OIHW), …
std::string weight_index_text(const Scenario& s, const Geometry& g, int64_t ky, int64_t kx, int64_t c, int64_t f);
// The same in another layout (the app names a pane's tensors in its convention's layouts).
std::string weight_index_text(const Scenario& s, const Geometry& g, KernelLayout layout, int64_t ky, int64_t kx,
                              int64_t c, int64_t f);
std::string input_index_text(const Scenario& s, InputLayout layout, const Cell& c);

// How one framework's call reproduces the other's convention (keras_call,
// pytorch_call and the snippets of snippets.h share these rules).
// A convolution's pads are exactly what Keras "same" would give (Keras' own split).
bool pads_are_keras_same(const Scenario& s, const Geometry& g);
// A transpose as PyTorch's padding and output_padding ([0] padding, [1] output_padding):
// the file's own for the PyTorch convention; for Keras crop before and crop before −
// crop after, when PyTorch allows that output_padding (nullopt otherwise: crop by hand).
std::optional<std::array<Pair, 2>> torch_transpose_padding(const Scenario& s, const Geometry& g);
// A transpose from Keras' "valid" one (output_padding None, nothing cropped): the
// cells to crop per axis [axis][before, after], then the extra cells no stamp
// reaches to add at the bottom / right per axis.
struct KerasTransposeFit {
  int64_t crop[2][2] = {{0, 0}, {0, 0}};
  int64_t extra[2] = {0, 0};
};
KerasTransposeFit keras_valid_fit(const Scenario& s, const Geometry& g);

std::string keras_call(const Scenario& s, const Geometry& g);
std::string pytorch_call(const Scenario& s, const Geometry& g);

// The full text of `convscope explain` (ends with a newline).
std::string explain(const Scenario& s);

}  // namespace core
