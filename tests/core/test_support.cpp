#include "test_support.h"

#include "core/errors.h"

namespace testing_support {

core::Scenario random_scenario(std::mt19937& rng, bool integers) {
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  for (;;) {
    core::Scenario s;
    const int op = pick(0, 5);  // conv2d and transposes most, depthwise a sixth
    s.spec.op = op == 5 ? core::Op::depthwise_conv2d : op % 2 ? core::Op::conv2d_transpose : core::Op::conv2d;
    s.spec.convention = pick(0, 1) ? core::Convention::pytorch : core::Convention::keras;
    // Groups: conv2d in both conventions, transposes in PyTorch's; depthwise has C_in groups.
    const bool may_group = s.spec.op == core::Op::conv2d ||
                           (s.spec.op == core::Op::conv2d_transpose && s.spec.convention == core::Convention::pytorch);
    const int64_t g = may_group && pick(0, 2) == 0 ? pick(2, 3) : 1;
    s.spec.groups = g;
    const int64_t c = g * pick(1, 2), f = g * pick(1, 2);
    s.input = core::Tensor(pick(1, 7), pick(1, 7), c);
    if (s.spec.op == core::Op::depthwise_conv2d)
      s.kernel = core::Kernel(pick(1, 4), pick(1, 4), 1, c * pick(1, 3));
    else if (s.spec.op == core::Op::conv2d)
      s.kernel = core::Kernel(pick(1, 4), pick(1, 4), c / g, f);
    else
      s.kernel = core::Kernel(pick(1, 4), pick(1, 4), c, f / g);
    s.spec.strides = {pick(1, 3), pick(1, 3)};
    s.spec.dilation = {pick(1, 3), pick(1, 3)};
    const bool keras = s.spec.convention == core::Convention::keras;
    if (keras && pick(0, 1)) s.spec.dilation = {1, 1};
    if (keras && pick(0, 1)) s.spec.strides = {1, 1};
    if (keras) {
      s.spec.padding = pick(0, 1) ? core::PaddingKind::same : core::PaddingKind::valid;
    } else if (!core::is_transpose(s.spec.op) && pick(0, 3) == 0) {
      s.spec.padding = core::PaddingKind::explicit_pads;
      s.spec.pads_per_side = true;
      s.spec.pad_before = {pick(0, 2), pick(0, 2)};
      s.spec.pad_after = {pick(0, 2), pick(0, 2)};
    } else {
      s.spec.padding = core::PaddingKind::explicit_pads;
      s.spec.pad_before = s.spec.pad_after = {pick(0, 2), pick(0, 2)};
    }
    if (s.spec.op == core::Op::conv2d_transpose && pick(0, 1))
      s.spec.output_padding = core::Pair{pick(0, 2), pick(0, 2)};
    if (pick(0, 1)) {
      s.bias = std::vector<double>(static_cast<size_t>(s.filters()));
      randomize(*s.bias, rng, integers);
    }
    randomize(s.input.values, rng, integers);
    randomize(s.kernel.values, rng, integers);
    try {
      s.geometry();
      return s;
    } catch (const core::Error&) {
      continue;  // the frameworks reject this draw; draw again
    }
  }
}

std::vector<core::TraceOrder> orders_of(core::Op op) {
  if (core::is_transpose(op)) return {core::TraceOrder::scatter, core::TraceOrder::gather};
  return {core::TraceOrder::gather};
}

}  // namespace testing_support
