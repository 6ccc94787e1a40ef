// explain.h — the arithmetic of a scenario in words a student can read.
//
// axis_formula() is what the GUI's formula panel shows; explain() is the whole
// text of `convscope explain`: shapes and layouts, the length formula per axis
// with the numbers put in, pads or crops per side, the step count, and the
// equivalent Keras and PyTorch calls.
#pragma once

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

// "16 multiply-accumulates (2×2×1 output cells × 4 taps)" etc.
std::string step_count_text(const Scenario& s, const Geometry& g);

std::string keras_call(const Scenario& s, const Geometry& g);
std::string pytorch_call(const Scenario& s, const Geometry& g);

// The full text of `convscope explain` (ends with a newline).
std::string explain(const Scenario& s);

}  // namespace core
