#include "core/trace.h"

#include <atomic>

#include "core/compute.h"
#include "core/errors.h"

namespace core {

const char* step_kind_name(StepKind k) {
  switch (k) {
    case StepKind::mac: return "mac";
    case StepKind::scatter: return "scatter";
    case StepKind::bias: return "bias";
  }
  return "?";
}

namespace {
std::string shape_text(int64_t h, int64_t w, int64_t c) {
  return std::to_string(h) + "×" + std::to_string(w) + "×" + std::to_string(c);
}
std::string cell_text(const Cell& c) {
  return "[" + std::to_string(c.y) + ", " + std::to_string(c.x) + ", " + std::to_string(c.c) + "]";
}
}  // namespace

int64_t step_count(const Scenario& s, const Geometry& g, TraceOrder order) {
  return StepCoder(g, s.input.h, s.input.w, order, s.bias.has_value()).count();
}

int64_t step_count(const Scenario& s, const Geometry& g) { return step_count(s, g, default_trace_order(g.op)); }

Trace::Trace(std::shared_ptr<const Scenario> scenario) : Trace(scenario, default_trace_order(scenario->spec.op)) {}

Trace::Trace(std::shared_ptr<const Scenario> scenario, TraceOrder order)
    : scenario_(std::move(scenario)),
      geometry_(validate(*scenario_)),
      coder_(geometry_, scenario_->input.h, scenario_->input.w, order, scenario_->bias.has_value()) {}

const Tensor& Trace::sums() const {
  // call_once: a second thread asking meanwhile waits for the first's result;
  // an exception (work_over_limit) leaves the flag unset for the next caller.
  std::call_once(result_->once, [this] {
    auto result = std::make_shared<const Tensor>(compute_without_bias(*scenario_, geometry_));
    std::atomic_store(&result_->sums, std::move(result));
  });
  return *std::atomic_load(&result_->sums);
}

bool Trace::has_result() const { return std::atomic_load(&result_->sums) != nullptr; }

bool Trace::can_compute() const {
  return full_compute_macs(*scenario_, geometry_) <= limits::kMaxFullComputeMacs;
}

double Trace::weight(int64_t ky, int64_t kx, int64_t c, int64_t f) const {
  const Kernel& k = scenario_->kernel;
  // Channels of different groups are not connected: their weight is 0, as in the
  // dense kernel a grouped convolution equals (and the views may ask for any pair).
  if (geometry_.group_of_input_channel(c) != geometry_.group_of_filter(f)) return 0.0;
  // Gather kernels hold the group's input channels, transposed kernels the group's filters (tensor.h).
  if (is_transpose(geometry_.op)) return k.at(ky, kx, c, f - geometry_.group_of_filter(f) * geometry_.out_per_group());
  return k.at(ky, kx, c - geometry_.group_of_filter(f) * geometry_.in_per_group(), f);
}

Trace::Read Trace::gather_read(const Cell& out, const StepCode& tap) const {
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  Read r;
  if (!is_transpose(geometry_.op)) {
    r.at = {gy.conv_input_of(out.y, tap.ky), gx.conv_input_of(out.x, tap.kx), tap.channel};
    r.padding = !s.input.contains(r.at.y, r.at.x);
    if (!r.padding) r.input = r.at;
    return r;
  }
  // The equivalent convolution reads the zero-inserted input at o − t·d + crop.
  const int64_t zy = gy.zero_inserted_of(out.y, tap.ky), zx = gx.zero_inserted_of(out.x, tap.kx);
  const bool inside = zy >= 0 && zx >= 0 && zy < gy.zero_inserted_length() && zx < gx.zero_inserted_length();
  r.at = {zy, zx, tap.channel};
  if (!inside) {
    r.padding = true;
  } else if (zy % gy.stride != 0 || zx % gx.stride != 0) {
    r.zero_inserted = true;
  } else {
    r.input = Cell{zy / gy.stride, zx / gx.stride, tap.channel};
  }
  return r;
}

double Trace::gather_partial_sum(const Cell& out, int64_t taps) const {
  const Scenario& s = *scenario_;
  double sum = 0;
  coder_.visit_taps(out, taps, [&](int64_t ky, int64_t kx, int64_t c) {
    const Read r = gather_read(out, StepCode{out, ky, kx, c, false});
    if (!r.input) return;  // padding or an inserted zero: adds a·w = 0
    sum += s.input.at(r.input->y, r.input->x, r.input->c) * weight(ky, kx, c, out.c);
  });
  return sum;
}

double Trace::scatter_sum_through(const Cell& out, int64_t n) const {
  // Sum of the scatters onto `out` with step index ≤ n, in step order: input
  // rows ascending (ky descending), then columns, then the group's channels.
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t Cg = geometry_.in_per_group(), c0 = geometry_.group_of_filter(out.c) * Cg;
  double sum = 0;
  for (int64_t ky = s.kernel.kh - 1; ky >= 0; --ky) {
    const std::optional<int64_t> iy = gy.transpose_input_of(out.y, ky);
    if (!iy) continue;
    for (int64_t kx = s.kernel.kw - 1; kx >= 0; --kx) {
      const std::optional<int64_t> ix = gx.transpose_input_of(out.x, kx);
      if (!ix) continue;
      for (int64_t c = c0; c < c0 + Cg; ++c) {
        if (coder_.encode({{*iy, *ix, c}, ky, kx, out.c, false}) > n) return sum;  // later ones come later too
        sum += s.input.at(*iy, *ix, c) * weight(ky, kx, c, out.c);
      }
    }
  }
  return sum;
}

int64_t Trace::bias_step_of(const Cell& out) const { return coder_.encode({out, 0, 0, 0, true}); }

double Trace::value_after(const Cell& out, int64_t n) const {
  const Scenario& s = *scenario_;
  const bool has_bias = s.bias.has_value();
  double sum;
  if (gathers()) {
    const int64_t first = coder_.unit_index(out) * coder_.per_unit();
    if (n < first) return 0.0;
    sum = gather_partial_sum(out, std::min(n - first + 1, coder_.taps()));
  } else {
    sum = scatter_sum_through(out, n);
  }
  if (has_bias && n >= bias_step_of(out)) return sum + (*s.bias)[static_cast<size_t>(out.c)];
  return sum;
}

Step Trace::step(int64_t n) const {
  if (n < 0 || n >= count()) fail(ErrorCode::step_out_of_range, n, count(), count() - 1);
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const StepCode code = coder_.decode(n);
  Step st;
  st.index = n;
  if (code.bias) {
    st.kind = StepKind::bias;
    st.output = code.unit;
    st.w = st.product = (*s.bias)[static_cast<size_t>(st.output.c)];
    st.before = gathers() ? gather_partial_sum(st.output, coder_.taps())
                          : scatter_sum_through(st.output, coder_.main_steps() - 1);
    st.after = *st.before + st.product;
    return st;
  }
  st.tap = std::array<int64_t, 2>{code.ky, code.kx};
  if (gathers()) {
    st.kind = StepKind::mac;
    st.output = code.unit;
    const Read r = gather_read(st.output, code);
    st.padding = r.padding;
    st.zero_inserted = r.zero_inserted;
    if (is_transpose(geometry_.op)) st.zero_inserted_at = r.at;
    // A convolution names the padding cell it reads; a transpose's gather has no input cell there.
    if (!is_transpose(geometry_.op) || r.input) st.input = is_transpose(geometry_.op) ? *r.input : r.at;
    st.a = r.input ? s.input.at(r.input->y, r.input->x, r.input->c) : 0.0;
    st.w = weight(code.ky, code.kx, code.channel, st.output.c);
    st.product = r.real() ? *st.a * st.w : 0.0;
    st.before = gather_partial_sum(st.output, n - coder_.unit_index(st.output) * coder_.per_unit());
    st.after = *st.before + st.product;
    return st;
  }
  st.kind = StepKind::scatter;
  st.input = code.unit;
  st.output = {gy.transpose_output_of(code.unit.y, code.ky), gx.transpose_output_of(code.unit.x, code.kx), code.channel};
  st.a = s.input.at(code.unit.y, code.unit.x, code.unit.c);
  st.w = weight(code.ky, code.kx, code.unit.c, code.channel);
  st.product = *st.a * st.w;
  st.cropped = st.output.y < 0 || st.output.y >= gy.out || st.output.x < 0 || st.output.x >= gx.out;
  if (!st.cropped) {
    st.before = scatter_sum_through(st.output, n - 1);
    st.after = *st.before + st.product;
  }
  return st;
}

Tensor Trace::final_output() const {
  Tensor out = sums();
  if (scenario_->bias) {
    const int64_t F = out.c;
    for (int64_t i = 0; i < out.h * out.w; ++i)
      for (int64_t f = 0; f < F; ++f)
        out.values[static_cast<size_t>(i * F + f)] += (*scenario_->bias)[static_cast<size_t>(f)];
  }
  return out;
}

Tensor Trace::partial_output(int64_t n) const {
  const Scenario& s = *scenario_;
  const int64_t H = geometry_.out_h(), W = geometry_.out_w(), F = geometry_.out_channels;
  const Tensor& full = sums();  // checks the work limit, also for n < 0
  Tensor out(H, W, F);
  if (n < 0) return out;
  if (n >= count()) n = count() - 1;
  auto finished = [&](const Cell& c) {
    double v = full.at(c.y, c.x, c.c);
    if (s.bias && n >= bias_step_of(c)) v += (*s.bias)[static_cast<size_t>(c.c)];
    return v;
  };
  if (gathers()) {
    const int64_t current = n / coder_.per_unit();  // the output cell being summed
    for (int64_t cell = 0; cell < H * W * F && cell <= current; ++cell) {
      const Cell c = coder_.unit_cell(cell);
      out.values[static_cast<size_t>(cell)] = cell < current ? finished(c) : value_after(c, n);
    }
    return out;
  }
  // Scatter: output rows whose every source input row is done are finished;
  // rows no processed input row reaches are still 0; only the band between is summed.
  const AxisGeometry& gy = geometry_.axes[0];
  const int64_t current_row = n >= coder_.main_steps() ? s.input.h : coder_.decode(n).unit.y;
  for (int64_t oy = 0; oy < H; ++oy) {
    const int64_t t = oy + gy.crop_before;  // = i·s + ky·d
    const int64_t last_source = t < 0 ? -1 : std::min(t / gy.stride, s.input.h - 1);
    const int64_t first_source_num = t - (gy.dilated_kernel - 1);
    const int64_t first_source = first_source_num <= 0 ? 0 : (first_source_num + gy.stride - 1) / gy.stride;
    for (int64_t ox = 0; ox < W; ++ox)
      for (int64_t f = 0; f < F; ++f) {
        const Cell c{oy, ox, f};
        double v;
        if (last_source < current_row)
          v = finished(c);
        else if (first_source > current_row)
          v = 0.0;
        else
          v = value_after(c, n);
        out.at(oy, ox, f) = v;
      }
  }
  return out;
}

int64_t Trace::unit_count() const { return coder_.units() + (coder_.has_bias_tail() ? 1 : 0); }

int64_t Trace::unit_of_step(int64_t n) const {
  if (n < 0 || n >= count()) fail(ErrorCode::step_out_of_range, n, count(), count() - 1);
  if (n >= coder_.main_steps()) return coder_.units();
  return n / coder_.per_unit();
}

int64_t Trace::first_step_of_unit(int64_t unit) const {
  if (unit >= coder_.units()) return coder_.main_steps();
  return unit * coder_.per_unit();
}

int64_t Trace::last_step_of_unit(int64_t unit) const {
  if (unit >= coder_.units()) return count() - 1;
  return unit * coder_.per_unit() + coder_.per_unit() - 1;
}

int64_t Trace::first_step_of_output_cell(const Cell& cell) const {
  const int64_t H = geometry_.out_h(), W = geometry_.out_w(), F = geometry_.out_channels;
  if (cell.y < 0 || cell.y >= H || cell.x < 0 || cell.x >= W || cell.c < 0 || cell.c >= F)
    fail(ErrorCode::cell_out_of_range, "output", cell_text(cell), "output", shape_text(H, W, F));
  if (gathers()) return coder_.unit_index(cell) * coder_.per_unit();
  // The first contribution in step order is the first one scatter_sum_through meets.
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t c0 = geometry_.group_of_filter(cell.c) * geometry_.in_per_group();
  for (int64_t ky = s.kernel.kh - 1; ky >= 0; --ky) {
    const std::optional<int64_t> iy = gy.transpose_input_of(cell.y, ky);
    if (!iy) continue;
    for (int64_t kx = s.kernel.kw - 1; kx >= 0; --kx) {
      const std::optional<int64_t> ix = gx.transpose_input_of(cell.x, kx);
      if (ix) return coder_.encode({{*iy, *ix, c0}, ky, kx, cell.c, false});
    }
  }
  return s.bias ? bias_step_of(cell) : -1;
}

int64_t Trace::first_step_of_input_cell(const Cell& cell) const {
  const Scenario& s = *scenario_;
  if (!s.input.contains(cell.y, cell.x) || cell.c < 0 || cell.c >= s.input.c)
    fail(ErrorCode::cell_out_of_range, "input", cell_text(cell), "input", shape_text(s.input.h, s.input.w, s.input.c));
  if (!gathers()) return coder_.unit_index(cell) * coder_.per_unit();
  // Gather: the earliest (output cell, tap) that reads it; the first filter of
  // its group reads it first at each output cell.
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t f0 = geometry_.group_of_input_channel(cell.c) * geometry_.out_per_group();
  const bool transpose = is_transpose(geometry_.op);
  int64_t best = -1;
  for (int64_t ky = 0; ky < s.kernel.kh; ++ky) {
    std::optional<int64_t> oy;
    if (!transpose) oy = gy.conv_output_of(cell.y, ky);
    else if (const int64_t o = gy.transpose_output_of(cell.y, ky); o >= 0 && o < gy.out) oy = o;
    if (!oy) continue;
    for (int64_t kx = 0; kx < s.kernel.kw; ++kx) {
      std::optional<int64_t> ox;
      if (!transpose) ox = gx.conv_output_of(cell.x, kx);
      else if (const int64_t o = gx.transpose_output_of(cell.x, kx); o >= 0 && o < gx.out) ox = o;
      if (!ox) continue;
      const int64_t step = coder_.encode({{*oy, *ox, f0}, ky, kx, cell.c, false});
      if (best < 0 || step < best) best = step;
    }
  }
  return best;
}

}  // namespace core
