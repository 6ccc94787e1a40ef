// round_trip.h — input → Conv2D → Conv2DTranspose with the same kernel,
// strides, padding and dilation: the shape comes back, the values do not.
//
//   model::RoundTrip rt = model::round_trip(pane.scenario());   // throws core::Error
//   rt.transpose      // the Conv2DTranspose applied to the conv's output (a pane's scenario)
//   rt.restored       // its output: the input's shape, other values
//
// The transpose is built the way "Duplicate as other op" builds it
// (model::other_op_on_output, app_state.h); output_padding is then chosen, per
// axis, as the smallest value that gives back the input's size — a stride > 1
// maps several input sizes to one output size, and output_padding says which.
// No GL, no ImGui.
#pragma once

#include <optional>
#include <string>

#include "core/scenario.h"

namespace model {

struct RoundTrip {
  core::Scenario conv;       // the source scenario
  core::Tensor output;       // conv(input)
  core::Scenario transpose;  // applied to `output`; validated
  core::Tensor restored;     // transpose(output), the input's shape when shape_restored
  bool shape_restored = false;
  bool output_padding_needed = false;  // the default (none) did not restore the shape
  std::string output_padding_note;     // why (or that no output_padding is needed)
  double max_difference = 0;           // max |restored − input| when the shape came back
};

constexpr const char* kRoundTripConclusion =
    "the shape comes back, the values do not: transposed convolution is not an inverse";

// Throws core::Error for a scenario that is not a valid Conv2D (or depthwise),
// or whose transpose the framework refuses (Keras: groups).
RoundTrip round_trip(const core::Scenario& conv);

}  // namespace model
