// test_support.h — small builders shared by the core tests.
#pragma once

#include <random>
#include <string>

#include "core/scenario.h"
#include "core/spec.h"

#include <vector>

namespace testing_support {

// A scenario from JSON text; fails the test (throws) if it does not parse.
inline core::Scenario scenario(const std::string& json) { return core::parse_scenario(json); }

// A grid of H×W×C filled with `value`.
inline core::Tensor filled(int64_t h, int64_t w, int64_t c, double value) { return core::Tensor(h, w, c, value); }

// Random small integers in [-3, 3] (exact sums) or random reals in [-1, 1].
inline void randomize(std::vector<double>& v, std::mt19937& rng, bool integers) {
  std::uniform_int_distribution<int> ints(-3, 3);
  std::uniform_real_distribution<double> reals(-1.0, 1.0);
  for (double& x : v) x = integers ? ints(rng) : reals(rng);
}

// A random valid scenario (op — conv2d, conv2d_transpose, depthwise_conv2d —,
// convention, groups, sizes, strides, dilation, padding, output_padding, bias).
// Invalid draws are retried until validate() accepts one.
core::Scenario random_scenario(std::mt19937& rng, bool integers = true);

// The trace orders an op has: gather for convolutions, scatter and gather for transposes.
std::vector<core::TraceOrder> orders_of(core::Op op);

}  // namespace testing_support
