// compute.h — the direct result of a scenario, with no trace.
//
// Loops ordered for speed (output row → tap → output column → channels, the
// filter axis innermost and contiguous), so this is also the reference the
// trace is checked against and the value the GUI shows for finished cells.
#pragma once

#include "core/scenario.h"

namespace core {

// Output H×W×F. Throws core::Error if the scenario is invalid, or
// work_over_limit when it needs more than limits::kMaxFullComputeMacs.
Tensor compute(const Scenario& s);

// The sums of products alone, before the bias is added (g = validate(s));
// checks the work limit too.
// Each output cell sums its products in the trace's order, so the trace's
// running values match these bit for bit.
Tensor compute_without_bias(const Scenario& s, const Geometry& g);

}  // namespace core
