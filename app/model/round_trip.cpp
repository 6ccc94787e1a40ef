#include "app/model/round_trip.h"

#include <algorithm>
#include <cmath>

#include "app/model/app_state.h"
#include "core/compute.h"
#include "core/errors.h"

namespace model {

RoundTrip round_trip(const core::Scenario& conv) {
  const core::Geometry g = core::validate(conv);
  if (g.op != core::Op::conv2d)
    core::fail(core::ErrorCode::usage, std::string("the round trip starts from a Conv2D pane (this one is a ") +
                                           core::op_title(g.op) + ")");
  RoundTrip rt;
  rt.conv = conv;
  rt.output = core::compute(conv);
  core::Scenario t = other_op_on_output(conv, &rt.output);
  const int64_t want[2] = {conv.input.h, conv.input.w};
  auto restores = [&](const core::Scenario& s) {
    try {
      const core::Geometry tg = core::validate(s);
      return tg.out_h() == want[0] && tg.out_w() == want[1];
    } catch (const core::Error&) {
      return false;
    }
  };
  if (restores(t)) {
    rt.output_padding_note = "no output_padding needed: the transpose's default size is the input's";
  } else {
    // The smallest output_padding per axis that gives back the input's size:
    // both frameworks accept values below the stride (PyTorch: or the dilation).
    std::optional<core::Pair> found;
    const int64_t limit[2] = {std::max(conv.spec.strides[0], conv.spec.dilation[0]),
                              std::max(conv.spec.strides[1], conv.spec.dilation[1])};
    for (int64_t py = 0; py < limit[0] && !found; ++py)
      for (int64_t px = 0; px < limit[1] && !found; ++px) {
        core::Scenario c = t;
        c.spec.output_padding = core::Pair{py, px};
        if (restores(c)) found = core::Pair{py, px}, t = c;
      }
    rt.output_padding_needed = true;
    if (found)
      rt.output_padding_note = "output_padding " + core::pair_text(*found) + " needed: stride " +
                               core::pair_text(conv.spec.strides) + " maps more than one input size to " +
                               std::to_string(g.out_h()) + "×" + std::to_string(g.out_w()) +
                               ", and output_padding says which one to give back";
    else
      rt.output_padding_note = "no output_padding gives back " + std::to_string(want[0]) + "×" +
                               std::to_string(want[1]) + " with this padding";
  }
  core::validate(t);  // throws the framework's reason when even the default is refused
  rt.transpose = t;
  rt.restored = core::compute(t);
  rt.shape_restored = rt.restored.h == conv.input.h && rt.restored.w == conv.input.w && rt.restored.c == conv.input.c;
  if (rt.shape_restored)
    for (size_t i = 0; i < rt.restored.values.size(); ++i)
      rt.max_difference = std::max(rt.max_difference, std::fabs(rt.restored.values[i] - conv.input.values[i]));
  return rt;
}

}  // namespace model
