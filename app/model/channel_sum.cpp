#include "app/model/channel_sum.h"

#include "app/model/arithmetic_text.h"
#include "core/format.h"

namespace model {

ChannelSum channel_sum(const Pane& p) {
  ChannelSum cs;
  const int64_t n = p.cursor();
  if (n < 0) return cs;
  const core::Trace& trace = p.trace();
  const core::Geometry& g = trace.geometry();
  const core::Scenario& s = trace.scenario();
  const core::StepCoder& coder = trace.coder();
  const core::Step step = trace.step(n);
  if (step.cropped) return cs;
  const core::Cell out = step.output;
  if (out.y < 0 || out.x < 0 || out.y >= g.out_h() || out.x >= g.out_w()) return cs;
  cs.available = true;
  cs.output = out;
  cs.name = arithmetic_names(trace).y(out);
  cs.groups = g.groups;
  cs.group = g.group_of_filter(out.c);
  const int64_t c0 = cs.group * g.in_per_group();
  const int64_t kh = s.kernel.kh, kw = s.kernel.kw;
  for (int64_t c = c0; c < c0 + g.in_per_group(); ++c) {
    ChannelPart part;
    part.channel = c;
    for (int64_t ky = 0; ky < kh; ++ky)
      for (int64_t kx = 0; kx < kw; ++kx) {
        // The step that multiplies this tap for this output cell, and the input it reads.
        core::StepCode code;
        int64_t iy = 0, ix = 0;
        if (trace.gathers()) {
          iy = g.axes[0].conv_input_of(out.y, ky);
          ix = g.axes[1].conv_input_of(out.x, kx);
          code.unit = out;
          code.channel = c;
        } else {
          const std::optional<int64_t> ty = g.axes[0].transpose_input_of(out.y, ky);
          const std::optional<int64_t> tx = g.axes[1].transpose_input_of(out.x, kx);
          if (!ty || !tx) continue;  // no input cell stamps this tap here
          iy = *ty;
          ix = *tx;
          code.unit = {iy, ix, c};
          code.channel = out.c;
        }
        code.ky = ky;
        code.kx = kx;
        ++part.taps;
        if (coder.encode(code) > n) continue;
        ++part.taps_done;
        if (s.input.contains(iy, ix)) part.sum += s.input.at(iy, ix, c) * trace.weight(ky, kx, c, out.c);
      }
    cs.total += part.sum;
    cs.parts.push_back(part);
  }
  cs.value = cs.total;
  if (s.bias) {
    cs.has_bias = true;
    cs.bias = (*s.bias)[static_cast<size_t>(out.c)];
    core::StepCode code;
    code.unit = out;
    code.bias = true;
    cs.bias_done = coder.encode(code) <= n;
    if (cs.bias_done) cs.value += cs.bias;
  }
  return cs;
}

std::string channel_sum_text(const ChannelSum& cs) {
  if (!cs.available) return {};
  std::string t = cs.name + " = ";
  for (size_t i = 0; i < cs.parts.size(); ++i) {
    const ChannelPart& part = cs.parts[i];
    if (i) t += ", ";
    t += "c" + std::to_string(part.channel) + ": " + (part.taps_done ? core::format_short(part.sum) : "·");
  }
  t += " → " + core::format_short(cs.total);
  if (cs.has_bias) t += cs.bias_done ? ", + b = " + core::format_short(cs.value) : ", + b (" + core::format_short(cs.bias) + ") next";
  return t;
}

std::string group_text(const core::Geometry& g, int64_t group) {
  if (g.groups <= 1) return {};
  auto range = [](const char* letter, int64_t first, int64_t count) {
    const std::string a = letter + std::to_string(first);
    return count == 1 ? a : a + "–" + letter + std::to_string(first + count - 1);
  };
  return "group " + std::to_string(group) + " of " + std::to_string(g.groups) + ": " +
         range("c", group * g.in_per_group(), g.in_per_group()) + " → " +
         range("f", group * g.out_per_group(), g.out_per_group());
}

}  // namespace model
