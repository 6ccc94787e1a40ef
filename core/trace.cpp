#include "core/trace.h"

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

int64_t step_count(const Scenario& s, const Geometry& g) {
  const int64_t out_cells = g.out_h() * g.out_w() * g.out_channels;
  const int64_t bias_steps = s.bias ? 1 : 0;
  if (g.op == Op::conv2d) return out_cells * (s.kernel.kh * s.kernel.kw * s.kernel.in_channels + bias_steps);
  return s.input.size() * s.kernel.kh * s.kernel.kw * s.kernel.out_channels + bias_steps * out_cells;
}

Trace::Trace(std::shared_ptr<const Scenario> scenario)
    : scenario_(std::move(scenario)), geometry_(scenario_->geometry()) {
  const Kernel& k = scenario_->kernel;
  const Tensor& in = scenario_->input;
  const int64_t out_cells = geometry_.out_h() * geometry_.out_w() * geometry_.out_channels;
  const int64_t bias_steps = scenario_->bias ? 1 : 0;
  if (geometry_.op == Op::conv2d) {
    taps_ = k.kh * k.kw * k.in_channels;
    per_unit_ = taps_ + bias_steps;
    main_steps_ = out_cells * per_unit_;
  } else {
    taps_ = k.kh * k.kw * k.out_channels;
    per_unit_ = taps_;
    main_steps_ = in.h * in.w * in.c * taps_;
  }
  count_ = step_count(*scenario_, geometry_);
}

const Tensor& Trace::sums() const {
  if (!sums_) sums_ = std::make_shared<const Tensor>(compute_without_bias(*scenario_, geometry_));
  return *sums_;
}

double Trace::conv_partial_sum(const Cell& out, int64_t taps) const {
  // Sum of the first `taps` products of output cell `out`, in step order.
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t C = s.input.c;
  double sum = 0;
  for (int64_t t = 0; t < taps; ++t) {
    const int64_t ky = t / (s.kernel.kw * C), kx = (t / C) % s.kernel.kw, c = t % C;
    const int64_t iy = out.y * gy.stride + ky * gy.dilation - gy.pad_before;
    const int64_t ix = out.x * gx.stride + kx * gx.dilation - gx.pad_before;
    if (!s.input.contains(iy, ix)) continue;  // padding: adds a·w = 0
    sum += s.input.at(iy, ix, c) * s.kernel.at(ky, kx, c, out.c);
  }
  return sum;
}

double Trace::scatter_sum_through(const Cell& out, int64_t n) const {
  // Sum of the scatters onto `out` with step index ≤ n, in step order: input
  // rows ascending (ky descending), then columns, then channels.
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t C = s.input.c, W = s.input.w;
  double sum = 0;
  for (int64_t ky = s.kernel.kh - 1; ky >= 0; --ky) {
    const int64_t ty = out.y + gy.crop_before - ky * gy.dilation;
    if (ty < 0 || ty % gy.stride != 0 || ty / gy.stride >= s.input.h) continue;
    const int64_t iy = ty / gy.stride;
    for (int64_t kx = s.kernel.kw - 1; kx >= 0; --kx) {
      const int64_t tx = out.x + gx.crop_before - kx * gx.dilation;
      if (tx < 0 || tx % gx.stride != 0 || tx / gx.stride >= W) continue;
      const int64_t ix = tx / gx.stride;
      for (int64_t c = 0; c < C; ++c) {
        const int64_t index = ((iy * W + ix) * C + c) * taps_ + (ky * s.kernel.kw + kx) * s.kernel.out_channels + out.c;
        if (index > n) return sum;  // later contributions come later in the trace too
        sum += s.input.at(iy, ix, c) * s.kernel.at(ky, kx, c, out.c);
      }
    }
  }
  return sum;
}

int64_t Trace::bias_step_of(const Cell& out) const {
  const int64_t cell = (out.y * geometry_.out_w() + out.x) * geometry_.out_channels + out.c;
  if (geometry_.op == Op::conv2d) return cell * per_unit_ + taps_;
  return main_steps_ + cell;
}

double Trace::value_after(const Cell& out, int64_t n) const {
  const Scenario& s = *scenario_;
  const bool has_bias = s.bias.has_value();
  if (geometry_.op == Op::conv2d) {
    const int64_t first = ((out.y * geometry_.out_w() + out.x) * geometry_.out_channels + out.c) * per_unit_;
    if (n < first) return 0.0;
    const int64_t done = std::min(n - first + 1, taps_);
    const double sum = conv_partial_sum(out, done);
    if (has_bias && n >= first + taps_) return sum + (*s.bias)[static_cast<size_t>(out.c)];
    return sum;
  }
  const double sum = scatter_sum_through(out, n);
  if (has_bias && n >= bias_step_of(out)) return sum + (*s.bias)[static_cast<size_t>(out.c)];
  return sum;
}

Step Trace::step(int64_t n) const {
  if (n < 0 || n >= count_) fail(ErrorCode::step_out_of_range, n, count_, count_ - 1);
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t F = geometry_.out_channels, C = s.input.c;
  Step st;
  st.index = n;
  if (geometry_.op == Op::conv2d) {
    const int64_t unit = n / per_unit_, r = n % per_unit_;
    st.output = {unit / (geometry_.out_w() * F), (unit / F) % geometry_.out_w(), unit % F};
    if (r == taps_) {  // the bias step of this cell
      st.kind = StepKind::bias;
      st.w = st.product = (*s.bias)[static_cast<size_t>(st.output.c)];
      st.before = conv_partial_sum(st.output, taps_);
      st.after = *st.before + st.product;
      return st;
    }
    st.kind = StepKind::mac;
    const int64_t ky = r / (s.kernel.kw * C), kx = (r / C) % s.kernel.kw, c = r % C;
    st.tap = std::array<int64_t, 2>{ky, kx};
    st.input = Cell{st.output.y * gy.stride + ky * gy.dilation - gy.pad_before,
                    st.output.x * gx.stride + kx * gx.dilation - gx.pad_before, c};
    st.padding = !s.input.contains(st.input->y, st.input->x);
    st.a = st.padding ? 0.0 : s.input.at(st.input->y, st.input->x, c);
    st.w = s.kernel.at(ky, kx, c, st.output.c);
    st.product = *st.a * st.w;
    st.before = conv_partial_sum(st.output, r);
    st.after = *st.before + st.product;
    return st;
  }
  if (n >= main_steps_) {  // bias phase of the transpose
    const int64_t cell = n - main_steps_;
    st.kind = StepKind::bias;
    st.output = {cell / (geometry_.out_w() * F), (cell / F) % geometry_.out_w(), cell % F};
    st.w = st.product = (*s.bias)[static_cast<size_t>(st.output.c)];
    st.before = scatter_sum_through(st.output, main_steps_ - 1);
    st.after = *st.before + st.product;
    return st;
  }
  st.kind = StepKind::scatter;
  const int64_t unit = n / taps_, r = n % taps_;
  st.input = Cell{unit / (s.input.w * C), (unit / C) % s.input.w, unit % C};
  const int64_t ky = r / (s.kernel.kw * F), kx = (r / F) % s.kernel.kw, f = r % F;
  st.tap = std::array<int64_t, 2>{ky, kx};
  st.output = {st.input->y * gy.stride + ky * gy.dilation - gy.crop_before,
               st.input->x * gx.stride + kx * gx.dilation - gx.crop_before, f};
  st.a = s.input.at(st.input->y, st.input->x, st.input->c);
  st.w = s.kernel.at(ky, kx, st.input->c, f);
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
  Tensor out(H, W, F);
  if (n < 0) return out;
  if (n >= count_) n = count_ - 1;
  const Tensor& full = sums();
  auto finished = [&](const Cell& c) {
    double v = full.at(c.y, c.x, c.c);
    if (s.bias && n >= bias_step_of(c)) v += (*s.bias)[static_cast<size_t>(c.c)];
    return v;
  };
  if (geometry_.op == Op::conv2d) {
    const int64_t current = n / per_unit_;  // the output cell being summed
    for (int64_t cell = 0; cell < H * W * F; ++cell) {
      const Cell c{cell / (W * F), (cell / F) % W, cell % F};
      if (cell < current)
        out.values[static_cast<size_t>(cell)] = finished(c);
      else if (cell == current)
        out.values[static_cast<size_t>(cell)] = value_after(c, n);
      else
        break;
    }
    return out;
  }
  // Transpose: output rows whose every source input row is done are finished;
  // rows no processed input row reaches are still 0; only the band between is summed.
  const AxisGeometry& gy = geometry_.axes[0];
  const int64_t current_row = n >= main_steps_ ? s.input.h : (n / taps_) / (s.input.w * s.input.c);
  for (int64_t oy = 0; oy < H; ++oy) {
    const int64_t t = oy + gy.crop_before;
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

int64_t Trace::unit_count() const {
  if (geometry_.op == Op::conv2d) return geometry_.out_h() * geometry_.out_w() * geometry_.out_channels;
  const int64_t in_cells = scenario_->input.h * scenario_->input.w * scenario_->input.c;
  return in_cells + (count_ > main_steps_ ? 1 : 0);
}

int64_t Trace::unit_of_step(int64_t n) const {
  if (n < 0 || n >= count_) fail(ErrorCode::step_out_of_range, n, count_, count_ - 1);
  if (geometry_.op == Op::conv2d) return n / per_unit_;
  if (n >= main_steps_) return unit_count() - 1;
  return n / taps_;
}

int64_t Trace::first_step_of_unit(int64_t unit) const {
  if (geometry_.op != Op::conv2d && unit == unit_count() - 1 && count_ > main_steps_) return main_steps_;
  return unit * per_unit_;
}

int64_t Trace::last_step_of_unit(int64_t unit) const {
  if (geometry_.op != Op::conv2d && unit == unit_count() - 1 && count_ > main_steps_) return count_ - 1;
  return unit * per_unit_ + per_unit_ - 1;
}

int64_t Trace::first_step_of_output_cell(const Cell& cell) const {
  const int64_t H = geometry_.out_h(), W = geometry_.out_w(), F = geometry_.out_channels;
  if (cell.y < 0 || cell.y >= H || cell.x < 0 || cell.x >= W || cell.c < 0 || cell.c >= F)
    fail(ErrorCode::cell_out_of_range, "output", cell_text(cell), "output", shape_text(H, W, F));
  if (geometry_.op == Op::conv2d) return ((cell.y * W + cell.x) * F + cell.c) * per_unit_;
  // The first contribution in step order is the first one scatter_sum_through meets.
  const Scenario& s = *scenario_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  for (int64_t ky = s.kernel.kh - 1; ky >= 0; --ky) {
    const int64_t ty = cell.y + gy.crop_before - ky * gy.dilation;
    if (ty < 0 || ty % gy.stride != 0 || ty / gy.stride >= s.input.h) continue;
    for (int64_t kx = s.kernel.kw - 1; kx >= 0; --kx) {
      const int64_t tx = cell.x + gx.crop_before - kx * gx.dilation;
      if (tx < 0 || tx % gx.stride != 0 || tx / gx.stride >= s.input.w) continue;
      return (((ty / gy.stride) * s.input.w + tx / gx.stride) * s.input.c) * taps_ +
             (ky * s.kernel.kw + kx) * F + cell.c;
    }
  }
  return s.bias ? bias_step_of(cell) : -1;
}

int64_t Trace::first_step_of_input_cell(const Cell& cell) const {
  const Scenario& s = *scenario_;
  if (!s.input.contains(cell.y, cell.x) || cell.c < 0 || cell.c >= s.input.c)
    fail(ErrorCode::cell_out_of_range, "input", cell_text(cell), "input", shape_text(s.input.h, s.input.w, s.input.c));
  if (geometry_.op != Op::conv2d) return ((cell.y * s.input.w + cell.x) * s.input.c + cell.c) * taps_;
  const AxisGeometry &gy = geometry_.axes[0], &gx = geometry_.axes[1];
  const int64_t W = geometry_.out_w(), F = geometry_.out_channels;
  int64_t best = -1;
  for (int64_t ky = 0; ky < s.kernel.kh; ++ky) {
    const int64_t ty = cell.y + gy.pad_before - ky * gy.dilation;
    if (ty < 0 || ty % gy.stride != 0 || ty / gy.stride >= gy.out) continue;
    for (int64_t kx = 0; kx < s.kernel.kw; ++kx) {
      const int64_t tx = cell.x + gx.pad_before - kx * gx.dilation;
      if (tx < 0 || tx % gx.stride != 0 || tx / gx.stride >= gx.out) continue;
      const int64_t step =
          (((ty / gy.stride) * W + tx / gx.stride) * F) * per_unit_ + (ky * s.kernel.kw + kx) * s.input.c + cell.c;
      if (best < 0 || step < best) best = step;
    }
  }
  return best;
}

}  // namespace core
