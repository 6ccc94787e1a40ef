#include "app/model/arithmetic_text.h"

#include "core/explain.h"
#include "core/format.h"

namespace model {

namespace {

std::string idx(std::initializer_list<int64_t> v) {
  std::string s = "[";
  for (int64_t i : v) s += (s.size() > 1 ? "," : "") + std::to_string(i);
  return s + "]";
}

std::string num(double v) { return core::format_number(v); }
std::string factor(double v) { return core::format_factor(v); }

}  // namespace

std::string ArithmeticNames::x(const core::Cell& in) const {
  if (!full()) return "x" + idx({in.y, in.x});
  return "x" + core::input_index_text(*scenario, torch ? core::InputLayout::chw : core::InputLayout::hwc, in);
}

std::string ArithmeticNames::w(int64_t ky, int64_t kx, int64_t c, int64_t f) const {
  if (!full()) return "w" + idx({ky, kx});
  return "w" + core::weight_index_text(*scenario, geometry, torch ? core::KernelLayout::torch : core::KernelLayout::keras,
                                       ky, kx, c, f);
}

std::string ArithmeticNames::y(const core::Cell& out) const {
  if (!full()) return "y" + idx({out.y, out.x});
  return "y" + core::input_index_text(*scenario, torch ? core::InputLayout::chw : core::InputLayout::hwc, out);
}

std::string ArithmeticNames::w_of(const core::Step& s) const {
  const auto& tap = *s.tap;
  // The step's input channel: the cell it reads, or for a transpose's gather tap
  // on an inserted zero / padding (no input cell) the one its weight belongs to.
  const int64_t c = s.input ? s.input->c : s.zero_inserted_at ? s.zero_inserted_at->c : 0;
  return w(tap[0], tap[1], c, s.output.c);
}

ArithmeticNames arithmetic_names(const core::Trace& t) {
  return ArithmeticNames{&t.scenario(), t.geometry(), t.scenario().spec.convention == core::Convention::pytorch};
}

std::string bias_term(int64_t filter, double value) {
  return "b[" + std::to_string(filter) + "] (" + num(value) + ")";
}

std::string conv_term(const ArithmeticNames& n, const core::Step& s) {
  if (s.kind == core::StepKind::bias) return bias_term(s.output.c, s.w);
  if (!s.input)  // a transpose's gather: the equivalent convolution reads a zero there
    return "0·" + n.w_of(s) + (s.zero_inserted ? " (an inserted zero)" : " (padding)");
  return n.x(*s.input) + "·" + n.w_of(s) + " (" + factor(s.a.value_or(0)) + "·" + factor(s.w) +
         (s.padding ? ", padding" : "") + ")";
}

std::vector<std::string> conv_terms(const core::Trace& t, int64_t n, int64_t limit) {
  const ArithmeticNames names = arithmetic_names(t);
  const int64_t first = t.first_step_of_unit(t.unit_of_step(n));
  std::vector<std::string> terms;
  for (int64_t i = first; i <= n && i - first < limit; ++i) terms.push_back(conv_term(names, t.step(i)));
  if (n - first >= limit) terms.push_back("…");
  return terms;
}

std::string transpose_step_line(const ArithmeticNames& n, const core::Step& s) {
  if (s.kind == core::StepKind::bias)
    return n.y(s.output) + " += " + bias_term(s.output.c, s.w) + " → " + num(s.after.value_or(0));
  const std::string xs = n.x(*s.input), ws = n.w_of(s), ys = n.y(s.output);
  if (s.cropped)
    return xs + "·" + ws + " = " + factor(*s.a) + "·" + factor(s.w) + " = " + num(s.product) + " lands on " + ys +
           ": cropped, outside the output";
  return ys + " += " + xs + "·" + ws + " = " + factor(*s.a) + "·" + factor(s.w) + " → " + num(s.after.value_or(0));
}

std::string step_position_text(int64_t cursor, int64_t count) {
  const std::string steps = std::to_string(count) + (count == 1 ? " step" : " steps");
  if (cursor < 0) return "before the first step · " + steps;
  return "step " + std::to_string(cursor) + " · " + steps;
}

std::string unit_text(const core::Trace& t, int64_t cursor) {
  if (cursor < 0 || cursor >= t.count()) return {};
  const int64_t unit = t.unit_of_step(cursor);
  if (t.gathers()) return "output cell " + std::to_string(unit + 1) + " of " + std::to_string(t.unit_count());
  const core::Scenario& s = t.scenario();
  const int64_t in_cells = s.input.h * s.input.w * s.input.c;
  if (t.step(cursor).kind == core::StepKind::bias)
    return "bias steps (after the " + std::to_string(in_cells) + " input cells)";
  return "input cell " + std::to_string(unit + 1) + " of " + std::to_string(in_cells);
}

}  // namespace model
