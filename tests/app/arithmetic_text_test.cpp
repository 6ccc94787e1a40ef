// The arithmetic words the canvas and the Arithmetic panel share: indices with
// channel/filter as soon as C_in > 1 or F > 1, bias as b[f] (v), the bias phase
// of a transpose named as such, and the CLI's step numbers (0 … count−1).
#include <gtest/gtest.h>

#include <cstdio>

#include "app/model/arithmetic_text.h"
#include "core/scenario.h"

namespace {

core::Trace trace_of(const std::string& json) {
  return core::Trace(std::make_shared<const core::Scenario>(core::parse_scenario(json)));
}

// Keras, 2×2×2 input, 1×1 kernel, 2 channels → 2 filters, bias (−1, 1).
const char* kTwoByTwo =
    R"({"op": "%s", "convention": "keras", "input": [[[3, 2], [2, 1]], [[-1, 2], [-2, -3]]],
        "kernel": [[[[-2, 1], [-2, -3]]]], "bias": [-1, 1], "strides": [1, 1], "padding": "valid"})";

std::string with_op(const char* op) {
  char buf[512];
  std::snprintf(buf, sizeof buf, kTwoByTwo, op);
  return buf;
}

TEST(ArithmeticText, ConvTermsCarryChannelAndFilter) {
  const core::Trace t = trace_of(with_op("conv2d"));
  // Step 2 is the bias step of y[0,0,0]: x[0,0,0]·w[0,0,0,0] + x[0,0,1]·w[0,0,1,0] + b[0].
  const std::vector<std::string> terms = model::conv_terms(t, 2, 400);
  ASSERT_EQ(terms.size(), 3u);
  EXPECT_EQ(terms[0], "x[0,0,0]·w[0,0,0,0] (3·(-2))");
  EXPECT_EQ(terms[1], "x[0,0,1]·w[0,0,1,0] (2·(-2))");
  EXPECT_EQ(terms[2], "b[0] (-1)");
  EXPECT_EQ(model::unit_text(t, 2), "output cell 1 of 8");
}

TEST(ArithmeticText, TransposeBiasPhaseIsNotAnInputCell) {
  const core::Trace t = trace_of(with_op("conv2d_transpose"));
  const model::ArithmeticNames n = model::arithmetic_names(t);
  EXPECT_EQ(model::unit_text(t, 0), "input cell 1 of 8");
  const int64_t last = t.count() - 1;
  const core::Step s = t.step(last);
  ASSERT_EQ(s.kind, core::StepKind::bias);
  EXPECT_EQ(model::unit_text(t, last), "bias steps (after the 8 input cells)");
  const std::string line = model::transpose_step_line(n, s);
  EXPECT_EQ(line.rfind("y[1,1,1] += b[1] (1) → ", 0), 0u) << line;
}

TEST(ArithmeticText, StepNumbersAreTheCliOnes) {
  EXPECT_EQ(model::step_position_text(10, 16), "step 10 · 16 steps");
  EXPECT_EQ(model::step_position_text(-1, 16), "before the first step · 16 steps");
}

}  // namespace
