// convention_switch.h — what a scenario's Spec becomes when its pane switches
// between the Keras and the PyTorch convention.
//
// A switch keeps the arithmetic: the new Spec must give the same geometry
// (output length and pads or crops on each side, per axis) as the old one, so
// the grids a class is looking at do not change under it. The frameworks name
// padding differently — Keras only by the keywords "valid" and "same", PyTorch
// by numbers — so:
//   - PyTorch → Keras: explicit pads become "same" when they equal Keras' own
//     "same" split (geometry_for says what that is), "valid" when they are zero;
//     any other pads have no Keras keyword, and the switch is refused with the
//     Keras equivalent in one line, e.g.
//       ZeroPadding2D(((1, 1), (1, 1))) + Conv2D(padding="valid")
//   - Keras → PyTorch: "same" and "valid" become the pads (conv) or padding
//     and output_padding (transpose) that give the same geometry; PyTorch's
//     own "same" (stride 1) is kept as it is.
// Pane::set_convention applies the result. No GL, no ImGui, no I/O.
#pragma once

#include <optional>
#include <string>

#include "core/scenario.h"

namespace model {

struct ConventionSwitch {
  std::optional<core::Spec> spec;  // the Spec in the new convention, when one keeps the arithmetic
  std::string refusal;             // otherwise why not, in one line, with the other framework's equivalent
};

// `s` is a valid scenario; switching to its own convention returns its Spec unchanged.
ConventionSwitch switch_convention(const core::Scenario& s, core::Convention to);

}  // namespace model
