#include "core/links.h"

#include <algorithm>
#include <numeric>
#include <sstream>

#include "core/errors.h"
#include "core/limits.h"

namespace core {

namespace {

// The channels a unit's taps run over: input channels of filter f's group
// (gather), filters of input channel c's group (scatter). Absolute indices.
struct ChannelRange {
  int64_t first = 0, count = 0;
};
ChannelRange input_channels_of_filter(const Geometry& g, int64_t f) {
  return {g.group_of_filter(f) * g.in_per_group(), g.in_per_group()};
}
ChannelRange filters_of_input_channel(const Geometry& g, int64_t c) {
  return {g.group_of_input_channel(c) * g.out_per_group(), g.out_per_group()};
}

bool inside(const AxisGeometry& ay, const AxisGeometry& ax, int64_t y, int64_t x, bool of_output) {
  const int64_t h = of_output ? ay.out : ay.in, w = of_output ? ax.out : ax.in;
  return y >= 0 && y < h && x >= 0 && x < w;
}

}  // namespace

void visit_output_links(const Trace& trace, const Cell& out, const LinkVisitor& visit) {
  const Geometry& g = trace.geometry();
  const AxisGeometry &ay = g.axes[0], &ax = g.axes[1];
  const int64_t kh = ay.kernel, kw = ax.kernel;
  const ChannelRange cs = input_channels_of_filter(g, out.c);
  for (int64_t ky = 0; ky < kh; ++ky)
    for (int64_t kx = 0; kx < kw; ++kx) {
      Link l;
      l.tap = {ky, kx};
      l.output = out;
      if (!is_transpose(g.op)) {
        l.input = {ay.conv_input_of(out.y, ky), ax.conv_input_of(out.x, kx), 0};
        l.padding = !inside(ay, ax, l.input.y, l.input.x, false);
      } else {
        const std::optional<int64_t> iy = ay.transpose_input_of(out.y, ky), ix = ax.transpose_input_of(out.x, kx);
        if (!iy || !ix) continue;  // no input cell stamps this tap here
        l.input = {*iy, *ix, 0};
      }
      for (int64_t c = cs.first; c < cs.first + cs.count; ++c) {
        l.input.c = c;
        if (!visit(l)) return;
      }
    }
}

void visit_input_links(const Trace& trace, const Cell& in, const LinkVisitor& visit) {
  const Geometry& g = trace.geometry();
  const AxisGeometry &ay = g.axes[0], &ax = g.axes[1];
  const ChannelRange fs = filters_of_input_channel(g, in.c);
  for (int64_t ky = 0; ky < ay.kernel; ++ky)
    for (int64_t kx = 0; kx < ax.kernel; ++kx) {
      Link l;
      l.tap = {ky, kx};
      l.input = in;
      if (!is_transpose(g.op)) {
        const std::optional<int64_t> oy = ay.conv_output_of(in.y, ky), ox = ax.conv_output_of(in.x, kx);
        if (!oy || !ox) continue;  // no window reads this cell through this tap
        l.output = {*oy, *ox, 0};
      } else {
        l.output = {ay.transpose_output_of(in.y, ky), ax.transpose_output_of(in.x, kx), 0};
        l.cropped = !inside(ay, ax, l.output.y, l.output.x, true);
      }
      for (int64_t f = fs.first; f < fs.first + fs.count; ++f) {
        l.output.c = f;
        if (!visit(l)) return;
      }
    }
}

void visit_tap_links(const Trace& trace, int64_t ky, int64_t kx, int64_t c, int64_t f, const LinkVisitor& visit) {
  const Geometry& g = trace.geometry();
  const AxisGeometry &ay = g.axes[0], &ax = g.axes[1];
  if (ky < 0 || ky >= ay.kernel || kx < 0 || kx >= ax.kernel || c < 0 || c >= g.in_channels || f < 0 ||
      f >= g.out_channels)
    return;
  // A weight joins an input channel to a filter of the same group only.
  if (g.group_of_input_channel(c) != g.group_of_filter(f)) return;
  Link l;
  l.tap = {ky, kx};
  if (!is_transpose(g.op)) {
    for (int64_t oy = 0; oy < ay.out; ++oy)
      for (int64_t ox = 0; ox < ax.out; ++ox) {
        l.output = {oy, ox, f};
        l.input = {ay.conv_input_of(oy, ky), ax.conv_input_of(ox, kx), c};
        l.padding = !inside(ay, ax, l.input.y, l.input.x, false);
        if (!visit(l)) return;
      }
    return;
  }
  for (int64_t iy = 0; iy < ay.in; ++iy)
    for (int64_t ix = 0; ix < ax.in; ++ix) {
      l.input = {iy, ix, c};
      l.output = {ay.transpose_output_of(iy, ky), ax.transpose_output_of(ix, kx), f};
      l.cropped = !inside(ay, ax, l.output.y, l.output.x, true);
      if (!visit(l)) return;
    }
}

// ---- coverage ----

namespace {

// Along one axis: for each cell of the map (transpose: output, conv: input),
// the taps that land on / read it (coordinate maps of geometry.h).
std::vector<std::vector<int64_t>> taps_per_cell(const AxisGeometry& a, bool transpose) {
  const int64_t n = transpose ? a.out : a.in;
  std::vector<std::vector<int64_t>> taps(static_cast<size_t>(n));
  for (int64_t p = 0; p < n; ++p)
    for (int64_t t = 0; t < a.kernel; ++t)
      if (transpose ? a.transpose_input_of(p, t).has_value() : a.conv_output_of(p, t).has_value())
        taps[static_cast<size_t>(p)].push_back(t);
  return taps;
}

// The cells of an axis every stamp / window that could touch them exists for:
// away from the first and last dk − 1 cells of the full scatter (transpose),
// or of the padded input (conv). [first, last]; first > last when none.
std::array<int64_t, 2> interior_of(const AxisGeometry& a, bool transpose) {
  if (transpose)  // full-scatter position p = o + crop ∈ [dk − 1, (n − 1)·s]
    return {std::max<int64_t>(0, a.dilated_kernel - 1 - a.crop_before),
            std::min<int64_t>(a.out - 1, (a.in - 1) * a.stride - a.crop_before)};
  // padded position p = i + pad ∈ [dk − 1, (out − 1)·s]
  return {std::max<int64_t>(0, a.dilated_kernel - 1 - a.pad_before),
          std::min<int64_t>(a.in - 1, (a.out - 1) * a.stride - a.pad_before)};
}

// The per-axis rule: the interior is covered evenly iff gcd(d, s) = 1 and s divides k.
struct AxisReason {
  bool dilation_shares_factor = false;  // gcd(d, s) > 1: some cells get nothing, whatever k
  bool kernel_not_multiple = false;     // s ∤ k
  int64_t even_kernel = 0;              // the next k' ≥ k that s divides (when gcd(d, s) = 1)
};
AxisReason reason_of(const AxisGeometry& a) {
  AxisReason r;
  r.dilation_shares_factor = std::gcd(a.dilation, a.stride) > 1;
  r.kernel_not_multiple = a.kernel % a.stride != 0;
  r.even_kernel = (a.kernel + a.stride - 1) / a.stride * a.stride;
  return r;
}

std::string axis_prefix(const Geometry& g, int axis) {
  // Name the axis only when the two axes differ.
  const AxisGeometry &a = g.axes[0], &b = g.axes[1];
  const bool same = a.kernel == b.kernel && a.stride == b.stride && a.dilation == b.dilation;
  return same ? std::string() : std::string(axis_name(axis)) + ": ";
}

}  // namespace

Coverage coverage(const Scenario& s, int64_t c, int64_t f) {
  // A non-owning Trace over `s` (aliasing constructor, empty owner): for its
  // geometry and its weight lookup, without copying the scenario.
  const Trace trace(std::shared_ptr<const Scenario>(std::shared_ptr<const Scenario>(), &s));
  const Geometry& g = trace.geometry();
  const bool transpose = is_transpose(g.op);
  const AxisGeometry &ay = g.axes[0], &ax = g.axes[1];
  if (c < 0 || c >= g.in_channels)
    fail(ErrorCode::cell_out_of_range, "input", "[·, ·, " + std::to_string(c) + "]", "input", input_shape_text(s));
  if (f < 0 || f >= g.out_channels)
    fail(ErrorCode::cell_out_of_range, "output", "[·, ·, " + std::to_string(f) + "]", "output",
         output_shape_text(s, g));

  Coverage m;
  m.of_output = transpose;
  m.h = transpose ? ay.out : ay.in;
  m.w = transpose ? ax.out : ax.in;
  if (m.h * m.w > limits::kMaxViewElements)
    fail(ErrorCode::view_over_limit, "the overlap map", m.h * m.w, limits::kMaxViewElements);
  const auto ty = taps_per_cell(ay, transpose), tx = taps_per_cell(ax, transpose);
  int64_t rows_taps = 0, cols_taps = 0;
  for (const auto& t : ty) rows_taps += static_cast<int64_t>(t.size());
  for (const auto& t : tx) cols_taps += static_cast<int64_t>(t.size());
  // The weight sums visit every landing once: bound that work like a view's size.
  if (rows_taps > 0 && cols_taps > 4 * limits::kMaxViewElements / rows_taps)
    fail(ErrorCode::view_over_limit, "the overlap map's weight sums", rows_taps * cols_taps,
         4 * limits::kMaxViewElements);

  // The weight of tap (ky, kx) from channel c to filter f; 0 when f does not read c (groups).
  const bool joined = g.group_of_input_channel(c) == g.group_of_filter(f);
  m.counts.assign(static_cast<size_t>(m.h * m.w), 0);
  m.weight_sums.assign(static_cast<size_t>(m.h * m.w), 0.0);
  for (int64_t y = 0; y < m.h; ++y)
    for (int64_t x = 0; x < m.w; ++x) {
      const auto& row_taps = ty[static_cast<size_t>(y)];
      const auto& col_taps = tx[static_cast<size_t>(x)];
      const size_t i = static_cast<size_t>(y * m.w + x);
      m.counts[i] = static_cast<int64_t>(row_taps.size() * col_taps.size());
      if (!joined) continue;
      double sum = 0;
      for (int64_t ky : row_taps)
        for (int64_t kx : col_taps) sum += trace.weight(ky, kx, c, f);
      m.weight_sums[i] = sum;
    }
  const auto [lo, hi] = std::minmax_element(m.counts.begin(), m.counts.end());
  m.min = *lo, m.max = *hi;

  // The interior; an axis too short to have one is taken whole.
  std::array<int64_t, 2> iy = interior_of(ay, transpose), ix = interior_of(ax, transpose);
  const bool has_interior = iy[0] <= iy[1] && ix[0] <= ix[1];
  if (!has_interior) iy = {0, m.h - 1}, ix = {0, m.w - 1};
  m.interior_min = m.count(iy[0], ix[0]), m.interior_max = m.interior_min;
  for (int64_t y = iy[0]; y <= iy[1]; ++y)
    for (int64_t x = ix[0]; x <= ix[1]; ++x) {
      m.interior_min = std::min(m.interior_min, m.count(y, x));
      m.interior_max = std::max(m.interior_max, m.count(y, x));
    }
  m.even = m.interior_min == m.interior_max;

  // The explanation: what the map shows, then why (the per-axis rule), then a fix.
  const char* what = transpose ? "stamps" : "windows";
  const char* cells = transpose ? "output cells receive" : "input cells are read by";
  std::ostringstream text;
  std::vector<std::string> reasons;
  std::array<int64_t, 2> fix{ay.kernel, ax.kernel};
  bool kernel_fixes = true, any_kernel_reason = false;
  for (int a = 0; a < 2; ++a) {
    const AxisReason r = reason_of(g.axes[a]);
    const AxisGeometry& ga = g.axes[a];
    std::string why;
    if (r.dilation_shares_factor) {
      kernel_fixes = false;
      why = axis_prefix(g, a) + "dilation " + std::to_string(ga.dilation) + " shares a factor with stride " +
            std::to_string(ga.stride) + " (some cells get none, whatever the kernel)";
    } else if (r.kernel_not_multiple) {
      any_kernel_reason = true;
      fix[a] = r.even_kernel;
      why = axis_prefix(g, a) + "kernel " + std::to_string(ga.kernel) + " is not a multiple of stride " +
            std::to_string(ga.stride);
    }
    if (!why.empty() && std::find(reasons.begin(), reasons.end(), why) == reasons.end()) reasons.push_back(why);
  }
  if (!has_interior && reasons.empty()) {
    // Too small for an interior: only the edges make the map uneven.
    text << (transpose ? "Even inside: only cells near the edges receive fewer stamps ("
                       : "Even inside: only the border cells are read by fewer windows (")
         << m.min << " against " << m.max << " in the middle)";
    if (!transpose) text << ", the reason for padding";
  } else if (m.even) {
    text << "Even: every interior " << (transpose ? "output cell receives " : "input cell is read by ")
         << m.interior_max << " " << what;
    if (reasons.empty() && transpose)
      text << " (kernel a multiple of the stride, dilation coprime with it): no checkerboard";
    // An interior too small to show what the rule says a larger grid would.
    for (size_t i = 0; i < reasons.size(); ++i)
      text << (i == 0 ? ", only because the grid is small: " : " and ") << reasons[i];
    if (!reasons.empty()) text << " makes larger grids uneven";
  } else {
    text << "Uneven: interior " << cells << " " << m.interior_min << " to " << m.interior_max << " " << what;
    for (size_t i = 0; i < reasons.size(); ++i) text << (i == 0 ? " because " : " and ") << reasons[i];
    if (transpose) text << " — the checkerboard";
  }
  if (!transpose && has_interior && m.min < m.interior_min)
    text << "; the border cells are read by fewer (" << m.min << "), the reason for padding";
  if (!m.even && any_kernel_reason && kernel_fixes) {
    m.even_kernel = fix;
    text << ". Fix: kernel " << (fix[0] == fix[1] ? std::to_string(fix[0]) : pair_text(fix));
    if (transpose) text << ", or resize then a stride-1 conv";
  } else if (!m.even && transpose) {
    text << ". Fix: resize then a stride-1 conv";
  }
  text << ".";
  m.explanation = text.str();
  return m;
}

}  // namespace core
