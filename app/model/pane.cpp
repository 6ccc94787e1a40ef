#include "app/model/pane.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <utility>
#include <new>

#include "app/model/convention_switch.h"
#include "app/model/result_worker.h"
#include "core/errors.h"

namespace model {

namespace {

constexpr size_t kMaxUndo = 200;

// One numbering for the undo entries of every pane (and the app's removed panes).
uint64_t next_history_seq() {
  static std::atomic<uint64_t> seq{0};
  return ++seq;
}

int64_t clamp_index(int64_t v, int64_t n) { return std::clamp<int64_t>(v, 0, n - 1); }

// A resized tensor keeps the values where old and new overlap and extends the
// edge values outward, so a grid of ones stays a grid of ones.
core::Tensor resized(const core::Tensor& t, int64_t h, int64_t w, int64_t c) {
  core::Tensor r(h, w, c);
  for (int64_t y = 0; y < h; ++y)
    for (int64_t x = 0; x < w; ++x)
      for (int64_t ch = 0; ch < c; ++ch)
        r.at(y, x, ch) = t.at(clamp_index(y, t.h), clamp_index(x, t.w), clamp_index(ch, t.c));
  return r;
}

core::Kernel resized(const core::Kernel& k, int64_t kh, int64_t kw, int64_t in, int64_t out) {
  core::Kernel r(kh, kw, in, out);
  for (int64_t y = 0; y < kh; ++y)
    for (int64_t x = 0; x < kw; ++x)
      for (int64_t i = 0; i < in; ++i)
        for (int64_t o = 0; o < out; ++o)
          r.at(y, x, i, o) =
              k.at(clamp_index(y, k.kh), clamp_index(x, k.kw), clamp_index(i, k.in_channels), clamp_index(o, k.out_channels));
  return r;
}

// A small deterministic generator (the same fill on every machine).
struct Lcg {
  uint32_t state;
  uint32_t next() {
    state = state * 1664525u + 1013904223u;
    return state >> 8;
  }
  int64_t in_range(int64_t lo, int64_t hi) { return lo + static_cast<int64_t>(next() % static_cast<uint32_t>(hi - lo + 1)); }
};

}  // namespace

size_t scenario_bytes(const core::Scenario& s) {
  const size_t values = s.input.values.size() + s.kernel.values.size() + (s.bias ? s.bias->size() : 0);
  return values * sizeof(double) + sizeof(core::Scenario);
}

uint64_t take_history_seq() { return next_history_seq(); }

const char* fill_name(Fill f) {
  switch (f) {
    case Fill::ones: return "ones";
    case Fill::zeros: return "zeros";
    case Fill::random_integers: return "random integers";
    case Fill::ramp: return "ramp";
    case Fill::identity: return "identity";
    case Fill::edge: return "edge detector";
    case Fill::blur: return "blur";
  }
  return "?";
}

Pane::Pane(core::Scenario scenario, std::string preset_path) : origin_(std::move(preset_path)) {
  auto s = std::make_shared<const core::Scenario>(std::move(scenario));
  auto t = trace_of(s);  // throws if invalid
  adopt(s, t);
  cursor_ = -1;
  preset_ = s;
}

// ---- cursor ----

void Pane::set_cursor(int64_t n) { cursor_ = std::clamp<int64_t>(n, -1, last_step()); }

void Pane::step(int64_t delta) {
  // Saturating: a huge delta must not overflow.
  if (delta > 0 && cursor_ > last_step() - delta) {
    cursor_ = last_step();
    return;
  }
  set_cursor(cursor_ + delta);
}

void Pane::step_cell(int delta) {
  const core::Trace& t = *trace_;
  if (t.count() == 0) return;
  if (delta > 0) {
    for (int i = 0; i < delta && !at_end(); ++i) {
      const int64_t unit = cursor_ < 0 ? 0 : t.unit_of_step(cursor_);
      const int64_t end = t.last_step_of_unit(unit);
      cursor_ = cursor_ < end ? end : t.last_step_of_unit(unit + 1);
    }
  } else {
    for (int i = 0; i < -delta && cursor_ >= 0; ++i) {
      const int64_t unit = t.unit_of_step(cursor_);
      if (cursor_ > t.last_step_of_unit(unit)) continue;  // cannot happen; keeps the loop honest
      cursor_ = unit == 0 ? -1 : t.last_step_of_unit(unit - 1);
    }
  }
}

void Pane::step_row(int delta) {
  const core::Geometry& g = geometry();
  const int64_t per_row = g.op == core::Op::conv2d ? g.out_w() * g.out_channels
                                                   : scenario().input.w * scenario().input.c;
  const int64_t units = trace_->unit_count();
  int64_t unit = cursor_ < 0 ? -1 : trace_->unit_of_step(cursor_);
  unit += delta * per_row;
  if (unit < 0)
    cursor_ = -1;
  else
    cursor_ = trace_->last_step_of_unit(std::min(unit, units - 1));
}

bool Pane::jump_to_output_cell(const core::Cell& cell) {
  try {
    const int64_t n = trace_->first_step_of_output_cell(cell);
    if (n < 0) return false;
    cursor_ = n;
    return true;
  } catch (const core::Error&) {
    return false;
  }
}

bool Pane::jump_to_input_cell(const core::Cell& cell) {
  try {
    const int64_t n = trace_->first_step_of_input_cell(cell);
    if (n < 0) return false;
    cursor_ = n;
    return true;
  } catch (const core::Error&) {
    return false;
  }
}

int64_t Pane::shown_channel() const {
  const int64_t C = scenario().input.c;
  if (view_channel >= 0) return std::min<int64_t>(view_channel, C - 1);
  if (cursor_ < 0) return 0;
  const core::Step st = trace_->step(cursor_);
  return st.input ? st.input->c : 0;
}

int64_t Pane::shown_filter() const {
  const int64_t F = scenario().filters();
  if (view_filter >= 0) return std::min<int64_t>(view_filter, F - 1);
  if (cursor_ < 0) return 0;
  return trace_->step(cursor_).output.c;
}

// ---- edits ----

void Pane::adopt(std::shared_ptr<const core::Scenario> s, std::shared_ptr<const core::Trace> t) {
  // The timeline keeps its place: finished stays finished, otherwise the same
  // step index as far as the new trace reaches.
  const bool was_end = trace_ && cursor_ >= 0 && at_end();
  scenario_ = std::move(s);
  trace_ = std::move(t);
  cursor_ = was_end ? last_step() : std::min(cursor_, last_step());
  try {
    macs_ = core::full_compute_macs(*scenario_, trace_->geometry());
  } catch (const core::Error&) {
    macs_ = std::numeric_limits<int64_t>::max();  // beyond 64 bits: certainly over the limit
  }
  within_work_limit_ = macs_ <= core::limits::kMaxFullComputeMacs;
  result_error_.clear();
  submit_result();
}

std::shared_ptr<const core::Trace> Pane::trace_of(const std::shared_ptr<const core::Scenario>& s) const {
  return std::make_shared<const core::Trace>(s, core::is_transpose(s->spec.op) ? transpose_order_ : core::TraceOrder::gather);
}

void Pane::set_order(core::TraceOrder order) {
  core::check_trace_order(scenario_->spec.op, order);  // scatter on a Conv2D: refused, nothing changed
  if (order == transpose_order_ && order == trace_->order()) return;
  transpose_order_ = order;
  if (order != trace_->order()) adopt(scenario_, trace_of(scenario_));
}

void Pane::refuse(const std::exception& e) {
  if (dynamic_cast<const std::bad_alloc*>(&e))
    error_ = core::error_message(core::ErrorCode::out_of_memory, "make this edit");
  else
    error_ = core::one_line(e.what());
}

bool Pane::commit(core::Scenario next, const std::string& group) {
  return guarded([&] {
    auto s = std::make_shared<const core::Scenario>(std::move(next));
    auto t = trace_of(s);  // throws core::Error if the core rejects it
    // Room for the undo entry before anything changes (a bad_alloc here refuses the edit whole).
    if (group.empty() || group != last_group_) {
      undo_.reserve(undo_.size() + 1);
      undo_.push_back({scenario_, next_history_seq()});
      if (undo_.size() > kMaxUndo) undo_.erase(undo_.begin());
    }
    error_.clear();
    last_group_ = group;
    redo_.clear();
    adopt(std::move(s), std::move(t));
    return true;
  });
}

bool Pane::undo() { return travel(undo_, redo_); }
bool Pane::redo() { return travel(redo_, undo_); }

// Undo and redo are one move in opposite directions: take the newest scenario
// of `from`, keep the current one on `to`. Ends any edit group, so the next
// edit is undone on its own.
bool Pane::travel(History& from, History& to) {
  if (from.empty()) return false;
  return guarded([&] {
    auto s = from.back().scenario;
    auto t = trace_of(s);
    to.push_back({scenario_, next_history_seq()});
    from.pop_back();
    adopt(s, t);
    error_.clear();
    last_group_.clear();
    return true;
  });
}

bool Pane::reset_to_preset() {
  if (reset_reads_origin_ && !origin_.empty()) {
    return guarded([&] {
      LoadedScenario file = load_scenario_file(origin_);
      if (!commit(std::move(file.scenario), {})) return false;
      loaded_ = preset_ = scenario_;
      source_ = file.identity;
      reset_reads_origin_ = false;
      return true;
    });
  }
  return commit(*preset_, {});
}

bool Pane::replace(core::Scenario s, const std::string& origin, const std::optional<FileIdentity>& file) {
  auto keep = cursor_;
  cursor_ = -1;  // a new scenario starts at the beginning
  if (!commit(std::move(s), {})) {
    cursor_ = keep;
    return false;
  }
  cursor_ = -1;
  if (!origin.empty()) origin_ = origin;
  preset_ = scenario_;
  reset_reads_origin_ = false;
  if (file) set_source_file(*file);
  return true;
}

void Pane::set_source_file(const FileIdentity& file) {
  loaded_ = scenario_;
  source_ = file;
}

std::optional<FileIdentity> Pane::unchanged_source() const {
  if (!loaded_ || loaded_ != scenario_ || !file_unchanged(source_)) return std::nullopt;
  return source_;
}

uint64_t Pane::oldest_history_seq() const {
  uint64_t oldest = std::numeric_limits<uint64_t>::max();
  if (!undo_.empty()) oldest = std::min(oldest, undo_.front().seq);
  if (!redo_.empty()) oldest = std::min(oldest, redo_.front().seq);
  return oldest;
}

size_t Pane::history_bytes() const {
  size_t bytes = 0;
  for (const History* h : {&undo_, &redo_})
    for (const Entry& e : *h) bytes += scenario_bytes(*e.scenario);
  return bytes;
}

bool Pane::drop_oldest_history() {
  // Entries are numbered in the order they were made: each list's front is its oldest.
  const bool undo_first = !undo_.empty() && (redo_.empty() || undo_.front().seq < redo_.front().seq);
  History& h = undo_first ? undo_ : redo_;
  if (h.empty()) return false;
  h.erase(h.begin());
  return true;
}

bool Pane::sizes_ok(int64_t in_h, int64_t in_w, int64_t in_c, int64_t kh, int64_t kw, int64_t k_in, int64_t k_out) {
  try {
    core::check_tensor_sizes(in_h, in_w, in_c, kh, kw, k_in, k_out);
    return true;
  } catch (const core::Error& e) {
    error_ = e.what();
    return false;
  }
}

// ---- the output grid ----

void Pane::set_result_worker(std::shared_ptr<ResultWorker> worker) {
  if (worker_ == worker) return;
  worker_ = std::move(worker);
  submit_result();
}

void Pane::submit_result() {
  if (!worker_ || !within_work_limit_ || macs_ <= kBackgroundMacs || trace_->has_result()) return;
  try {
    worker_->submit(trace_);
  } catch (const std::exception&) {
    result_error_ = core::error_message(core::ErrorCode::out_of_memory, "compute the output");
  }
}

ResultState Pane::result_state() const {
  if (trace_->has_result()) return ResultState::ready;
  if (!within_work_limit_) return ResultState::over_limit;
  if (!result_error_.empty()) return ResultState::failed;
  if (worker_ && macs_ > kBackgroundMacs) return worker_->failure(trace_.get()) ? ResultState::failed : ResultState::computing;
  return ResultState::ready;  // small enough to compute on demand
}

std::string Pane::result_message() const {
  switch (result_state()) {
    case ResultState::ready: return {};
    case ResultState::computing: return "computing … (" + std::to_string(macs_) + " MACs)";
    case ResultState::over_limit:
      return core::error_message(core::ErrorCode::work_over_limit, macs_, core::limits::kMaxFullComputeMacs);
    case ResultState::failed: {
      if (!result_error_.empty()) return result_error_;
      const auto why = worker_ ? worker_->failure(trace_.get()) : std::nullopt;
      return why ? *why : core::error_message(core::ErrorCode::out_of_memory, "compute the output");
    }
  }
  return {};
}

std::optional<core::Tensor> Pane::partial_output() const {
  if (result_state() != ResultState::ready) return std::nullopt;
  try {
    return trace_->partial_output(cursor_);
  } catch (const std::bad_alloc&) {
    result_error_ = core::error_message(core::ErrorCode::out_of_memory, "compute the output");
  } catch (const std::exception& e) {
    result_error_ = core::one_line(e.what());
  }
  return std::nullopt;
}

std::optional<core::Tensor> Pane::final_output() const {
  if (result_state() != ResultState::ready) return std::nullopt;
  try {
    return trace_->final_output();
  } catch (const std::bad_alloc&) {
    result_error_ = core::error_message(core::ErrorCode::out_of_memory, "compute the output");
  } catch (const std::exception& e) {
    result_error_ = core::one_line(e.what());
  }
  return std::nullopt;
}

namespace {

// The kernel's channel axes of an op with C input channels, F output channels
// and `groups` (core/tensor.h: conv2d [C/g][F], transpose [C][F/g], depthwise
// [1][C·M]). A count the groups do not divide is kept whole: validate() then
// refuses the edit with the framework's rule.
std::pair<int64_t, int64_t> kernel_channels(core::Op op, int64_t C, int64_t F, int64_t groups) {
  const int64_t g = std::max<int64_t>(groups, 1);
  switch (op) {
    case core::Op::conv2d: return {C % g == 0 ? C / g : C, F};
    case core::Op::conv2d_transpose: return {C, F % g == 0 ? F / g : F};
    case core::Op::depthwise_conv2d: return {1, F};
  }
  return {C, F};
}

// The kernel (and bias) of `s` reshaped for C input channels and F filters under its op and groups.
void reshape_channels(core::Scenario& s, int64_t C, int64_t F) {
  const auto [in, out] = kernel_channels(s.spec.op, C, F, s.spec.groups);
  s.kernel = resized(s.kernel, s.kernel.kh, s.kernel.kw, in, out);
  if (s.bias) s.bias->resize(static_cast<size_t>(F), 0.0);
}

}  // namespace

bool Pane::set_op(core::Op op) {
  return edit([op](core::Scenario& s) {
    if (s.spec.op == op) return;
    const core::Op was = s.spec.op;
    const int64_t C = s.input.c;
    int64_t F = s.filters();
    s.spec.op = op;
    // output_padding exists only for the transpose.
    if (op != core::Op::conv2d_transpose) s.spec.output_padding.reset();
    if (op == core::Op::depthwise_conv2d) {
      // Depth multiplier M: F = C·M when F allows it, else 1.
      F = C * (F % C == 0 ? F / C : 1);
      s.spec.groups = 1;  // a depthwise op's groups are its channels (the spec keeps 1)
    } else if (was == core::Op::depthwise_conv2d) {
      s.spec.groups = 1;
    }
    reshape_channels(s, C, F);
  });
}

bool Pane::set_groups(int64_t groups) {
  return edit([groups](core::Scenario& s) {
    s.spec.groups = groups;
    reshape_channels(s, s.input.c, s.filters());
  });
}

bool Pane::set_depth_multiplier(int64_t m) {
  const core::Scenario& now = scenario();
  if (!sizes_ok(now.input.h, now.input.w, now.input.c, now.kernel.kh, now.kernel.kw, 1, now.input.c * m)) return false;
  return edit([m](core::Scenario& s) { reshape_channels(s, s.input.c, s.input.c * m); }, "depth multiplier");
}

int64_t Pane::depth_multiplier() const {
  const core::Scenario& s = scenario();
  return s.spec.op == core::Op::depthwise_conv2d ? s.filters() / s.input.c : 1;
}

bool Pane::set_convention(core::Convention c) {
  // The switch keeps the arithmetic or is refused with the other framework's
  // equivalent (convention_switch.h).
  return guarded([&] {
    const ConventionSwitch to = switch_convention(*scenario_, c);
    if (!to.spec) {
      error_ = to.refusal;
      return false;
    }
    return edit([&](core::Scenario& s) { s.spec = *to.spec; });
  });
}

bool Pane::set_input_size(int64_t h, int64_t w) {
  const core::Scenario& now = scenario();
  if (!sizes_ok(h, w, now.input.c, now.kernel.kh, now.kernel.kw, now.kernel.in_channels, now.kernel.out_channels)) return false;
  return edit([h, w](core::Scenario& s) { s.input = resized(s.input, h, w, s.input.c); }, "input size");
}

bool Pane::set_channels(int64_t c_in) {
  const core::Scenario& now = scenario();
  // A depthwise op keeps its depth multiplier: C·M filters.
  const bool depthwise = now.spec.op == core::Op::depthwise_conv2d;
  const int64_t filters = depthwise ? c_in * depth_multiplier() : now.filters();
  const auto [k_in, k_out] = kernel_channels(now.spec.op, c_in, filters, now.spec.groups);
  if (!sizes_ok(now.input.h, now.input.w, c_in, now.kernel.kh, now.kernel.kw, k_in, k_out)) return false;
  return edit(
      [c_in, filters](core::Scenario& s) {
        s.input = resized(s.input, s.input.h, s.input.w, c_in);
        reshape_channels(s, c_in, filters);
      },
      "channels");
}

bool Pane::set_filters(int64_t f) {
  const core::Scenario& now = scenario();
  const auto [k_in, k_out] = kernel_channels(now.spec.op, now.input.c, f, now.spec.groups);
  if (!sizes_ok(now.input.h, now.input.w, now.input.c, now.kernel.kh, now.kernel.kw, k_in, k_out)) return false;
  return edit([f](core::Scenario& s) { reshape_channels(s, s.input.c, f); }, "filters");
}

bool Pane::set_kernel_size(int64_t kh, int64_t kw) {
  const core::Scenario& now = scenario();
  if (!sizes_ok(now.input.h, now.input.w, now.input.c, kh, kw, now.kernel.in_channels, now.kernel.out_channels)) return false;
  return edit([kh, kw](core::Scenario& s) { s.kernel = resized(s.kernel, kh, kw, s.kernel.in_channels, s.kernel.out_channels); },
              "kernel size");
}

bool Pane::set_strides(core::Pair st) {
  return edit([st](core::Scenario& s) { s.spec.strides = st; });
}

bool Pane::set_padding(core::PaddingKind kind, core::Pair before, core::Pair after) {
  return edit([&](core::Scenario& s) {
    s.spec.padding = kind;
    if (kind == core::PaddingKind::explicit_pads) {
      s.spec.pad_before = before;
      s.spec.pad_after = after;
      s.spec.pads_per_side = before != after;
    } else {
      s.spec.pad_before = s.spec.pad_after = {0, 0};
      s.spec.pads_per_side = false;
    }
  });
}

bool Pane::set_dilation(core::Pair d) {
  return edit([d](core::Scenario& s) { s.spec.dilation = d; });
}

bool Pane::set_output_padding(std::optional<core::Pair> op) {
  return edit([op](core::Scenario& s) { s.spec.output_padding = op; });
}

bool Pane::set_bias(bool on) {
  return edit([on](core::Scenario& s) {
    if (on && !s.bias)
      s.bias = std::vector<double>(static_cast<size_t>(s.filters()), 0.0);
    else if (!on)
      s.bias.reset();
  });
}

std::optional<ValueRef> Pane::kernel_ref(int64_t ky, int64_t kx, int64_t c, int64_t f) const {
  const core::Geometry& g = geometry();
  if (g.group_of_input_channel(c) != g.group_of_filter(f)) return std::nullopt;
  const int64_t group = g.group_of_filter(f);
  switch (scenario().spec.op) {
    case core::Op::conv2d: return ValueRef{Tensor::kernel, ky, kx, c - group * g.in_per_group(), f};
    case core::Op::depthwise_conv2d: return ValueRef{Tensor::kernel, ky, kx, 0, f};
    case core::Op::conv2d_transpose: return ValueRef{Tensor::kernel, ky, kx, c, f - group * g.out_per_group()};
  }
  return std::nullopt;
}

double Pane::value(const ValueRef& r) const {
  const core::Scenario& s = scenario();
  switch (r.tensor) {
    case Tensor::input: return s.input.at(r.y, r.x, r.c);
    case Tensor::kernel: return s.kernel.at(r.y, r.x, r.c, r.f);
    case Tensor::bias: return s.bias ? (*s.bias)[static_cast<size_t>(r.f)] : 0.0;
  }
  return 0.0;
}

bool Pane::set_value(const ValueRef& r, double v, const std::string& group) {
  const core::Scenario& cur = scenario();
  bool in_range = false;
  switch (r.tensor) {
    case Tensor::input: in_range = cur.input.contains(r.y, r.x) && r.c >= 0 && r.c < cur.input.c; break;
    case Tensor::kernel:
      in_range = r.y >= 0 && r.y < cur.kernel.kh && r.x >= 0 && r.x < cur.kernel.kw && r.c >= 0 &&
                 r.c < cur.kernel.in_channels && r.f >= 0 && r.f < cur.kernel.out_channels;
      break;
    case Tensor::bias: in_range = cur.bias && r.f >= 0 && r.f < static_cast<int64_t>(cur.bias->size()); break;
  }
  if (!in_range) {
    error_ = core::error_message(core::ErrorCode::usage, "that cell is not in the scenario");
    return false;
  }
  if (!std::isfinite(v)) {
    error_ = core::error_message(core::ErrorCode::tensor_not_finite, "value", v);
    return false;
  }
  return edit(
      [&](core::Scenario& s) {
        switch (r.tensor) {
          case Tensor::input: s.input.at(r.y, r.x, r.c) = v; break;
          case Tensor::kernel: s.kernel.at(r.y, r.x, r.c, r.f) = v; break;
          case Tensor::bias: (*s.bias)[static_cast<size_t>(r.f)] = v; break;
        }
      },
      group);
}

bool Pane::fill_input(Fill f, uint32_t seed) {
  return edit([f, seed](core::Scenario& s) {
    core::Tensor& t = s.input;
    Lcg rng{seed};
    const double cy = (t.h - 1) / 2.0, cx = (t.w - 1) / 2.0;
    const double sigma = std::max<double>(1.0, std::min(t.h, t.w) / 4.0);
    for (int64_t y = 0; y < t.h; ++y)
      for (int64_t x = 0; x < t.w; ++x)
        for (int64_t c = 0; c < t.c; ++c) {
          double v = 0;
          switch (f) {
            case Fill::ones: v = 1; break;
            case Fill::zeros: v = 0; break;
            case Fill::random_integers: v = static_cast<double>(rng.in_range(0, 9)); break;
            case Fill::ramp: v = static_cast<double>(y * t.w + x + 1); break;
            case Fill::identity: v = y == x ? 1 : 0; break;
            case Fill::edge: v = x >= t.w / 2 ? 1 : 0; break;  // a vertical step edge
            case Fill::blur: {
              const double d2 = (y - cy) * (y - cy) + (x - cx) * (x - cx);
              v = std::round(std::exp(-d2 / (2 * sigma * sigma)) * 100) / 100;
              break;
            }
          }
          t.at(y, x, c) = v;
        }
  });
}

bool Pane::fill_kernel(Fill f, uint32_t seed) {
  return edit([f, seed](core::Scenario& s) {
    core::Kernel& k = s.kernel;
    Lcg rng{seed};
    const int64_t cy = k.kh / 2, cx = k.kw / 2;
    const double taps = static_cast<double>(k.kh * k.kw);
    for (int64_t y = 0; y < k.kh; ++y)
      for (int64_t x = 0; x < k.kw; ++x)
        for (int64_t i = 0; i < k.in_channels; ++i)
          for (int64_t o = 0; o < k.out_channels; ++o) {
            double v = 0;
            const bool centre = y == cy && x == cx;
            switch (f) {
              case Fill::ones: v = 1; break;
              case Fill::zeros: v = 0; break;
              case Fill::random_integers: v = static_cast<double>(rng.in_range(-2, 2)); break;
              case Fill::ramp: v = static_cast<double>(y * k.kw + x + 1); break;
              // Identity-like: the centre tap passes channel i to filter i.
              case Fill::identity: v = centre && (i == o % k.in_channels) ? 1 : 0; break;
              // Laplacian-style edge detector: the centre against its neighbours, summing to 0.
              case Fill::edge: v = centre ? taps - 1 : -1; break;
              case Fill::blur: v = std::round(1.0 / taps * 1e4) / 1e4; break;
            }
            k.at(y, x, i, o) = v;
          }
  });
}

bool Pane::load_input_pixels(int64_t h, int64_t w, int64_t c, const std::vector<double>& values) {
  const core::Kernel& k = scenario().kernel;
  if (!sizes_ok(h, w, c, k.kh, k.kw, c, k.out_channels)) return false;
  if (static_cast<int64_t>(values.size()) != h * w * c) {
    error_ = core::error_message(core::ErrorCode::usage, "the image does not have " + std::to_string(h * w * c) + " values");
    return false;
  }
  return edit([&](core::Scenario& s) {
    s.input = core::Tensor(h, w, c);
    s.input.values = values;
    if (s.kernel.in_channels != c) s.kernel = resized(s.kernel, s.kernel.kh, s.kernel.kw, c, s.kernel.out_channels);
  });
}

}  // namespace model
