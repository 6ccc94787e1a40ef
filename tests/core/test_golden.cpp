// Golden cases computed by the real frameworks (tests/golden/: PyTorch 1.13 via
// Debian's python3-torch, Keras semantics via @tensorflow/tfjs), committed so
// that CI needs neither framework.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "core/compute.h"
#include "core/scenario.h"
#include "core/trace.h"

namespace {

using nlohmann::json;

void flatten(const json& v, std::vector<double>& out) {
  if (v.is_array())
    for (const json& e : v) flatten(e, out);
  else
    out.push_back(v.get<double>());
}

void check_file(const std::string& name, size_t minimum_cases) {
  const json cases = json::parse(core::read_text_file(std::string(CONVSCOPE_SOURCE_DIR) + "/tests/golden/" + name));
  ASSERT_GE(cases.size(), minimum_cases);
  for (const json& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const core::Scenario s = core::parse_scenario(c["scenario"].dump());
    const json got = json::parse(core::output_to_json(s, core::compute(s)));
    EXPECT_EQ(got["output_shape"], c["expected"]["output_shape"]);
    std::vector<double> expected, actual;
    flatten(c["expected"]["output"], expected);
    flatten(got["output"], actual);
    ASSERT_EQ(actual.size(), expected.size());
    for (size_t i = 0; i < actual.size(); ++i) EXPECT_NEAR(actual[i], expected[i], 1e-6 * (1 + std::abs(expected[i])));
    // Replaying every step, in every order the op has, lands on the same numbers bit for bit.
    auto shared = std::make_shared<const core::Scenario>(s);
    const core::Tensor direct = core::compute(s);
    for (core::TraceOrder order : {core::TraceOrder::gather, core::TraceOrder::scatter}) {
      if (order == core::TraceOrder::scatter && !core::is_transpose(s.spec.op)) continue;
      const core::Trace trace(shared, order);
      core::Tensor replay(direct.h, direct.w, direct.c);
      for (int64_t n = 0; n < trace.count(); ++n) {
        const core::Step st = trace.step(n);
        if (st.cropped) continue;
        replay.at(st.output.y, st.output.x, st.output.c) = *st.after;
      }
      EXPECT_EQ(replay.values, direct.values) << core::trace_order_name(order);
    }
  }
}

TEST(Golden, PyTorch) { check_file("torch_cases.json", 100); }
TEST(Golden, KerasTfjs) { check_file("keras_cases.json", 100); }
// Grouped and depthwise convolution (issue 11): PyTorch groups for both ops and
// depthwise as Conv2d(groups=C_in); Keras DepthwiseConv2D and Conv2D(groups)
// from tfjs (generate_*_grouped.*, checked by check_grouped.py).
TEST(Golden, PyTorchGroupedAndDepthwise) { check_file("torch_grouped_cases.json", 70); }
TEST(Golden, KerasGroupedAndDepthwise) { check_file("keras_grouped_cases.json", 38); }

}  // namespace
