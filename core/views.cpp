#include "core/views.h"

#include "core/checked.h"
#include "core/compute.h"
#include "core/errors.h"
#include "core/limits.h"

namespace core {

namespace {

void require_transpose(const Scenario& s) {
  if (!is_transpose(s.spec.op))
    fail(ErrorCode::bad_choice, "op", "\"conv2d_transpose\" here", op_name(s.spec.op));
}
void require_gather(const Scenario& s) {
  if (is_transpose(s.spec.op)) fail(ErrorCode::bad_choice, "op", "\"conv2d\" or \"depthwise_conv2d\" here", op_name(s.spec.op));
}

std::string dims_text(int64_t h, int64_t w, int64_t c) {
  return std::to_string(h) + "×" + std::to_string(w) + "×" + std::to_string(c);
}

// The transpose with output padding `op` (or none) as the framework computes it, if the framework allows it.
std::optional<Geometry> try_geometry(const Spec& spec, const Tensor& y, const Kernel& k, int64_t c_out) {
  try {
    return geometry_for(spec, y.h, y.w, k.kh, k.kw, y.c, c_out);
  } catch (const Error&) {
    return std::nullopt;
  }
}

}  // namespace

ZeroInsertionView transpose_as_conv(const Scenario& s) {
  require_transpose(s);
  const Geometry g = validate(s);
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const int64_t len_y = gy.equivalent_padded_length(), len_x = gx.equivalent_padded_length();
  const int64_t values = checked_mul({len_y, len_x, s.input.c}, "the zero-insertion view");
  if (values > limits::kMaxViewElements || len_y > limits::kMaxSide || len_x > limits::kMaxSide)
    fail(ErrorCode::view_over_limit, "the zero-insertion view (" + dims_text(len_y, len_x, s.input.c) + ")", values,
         limits::kMaxViewElements);
  ZeroInsertionView view;
  view.offset_y = gy.equivalent_pad_before();
  view.offset_x = gx.equivalent_pad_before();

  Scenario& c = view.conv;
  c.spec.op = Op::conv2d;
  c.spec.convention = Convention::pytorch;
  c.spec.padding = PaddingKind::explicit_pads;
  c.spec.dilation = s.spec.dilation;
  c.spec.groups = g.groups;
  c.name = s.name.empty() ? "zero-insertion view" : s.name + " (zero-insertion view)";
  c.input = Tensor(len_y, len_x, s.input.c);
  for (int64_t y = 0; y < s.input.h; ++y)
    for (int64_t x = 0; x < s.input.w; ++x) {
      const int64_t py = y * gy.stride + view.offset_y, px = x * gx.stride + view.offset_x;
      if (!c.input.contains(py, px)) continue;  // cropped past the padded grid
      for (int64_t ch = 0; ch < s.input.c; ++ch) c.input.at(py, px, ch) = s.input.at(y, x, ch);
    }
  // The transpose's [kh][kw][C_in][F/g] becomes the conv's [kh][kw][C_in/g][F], rotated 180°.
  const Kernel& k = s.kernel;
  const int64_t Cg = g.in_per_group(), Fg = g.out_per_group();
  c.kernel = Kernel(k.kh, k.kw, Cg, g.out_channels);
  for (int64_t ky = 0; ky < k.kh; ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx)
      for (int64_t f = 0; f < g.out_channels; ++f) {
        const int64_t grp = f / Fg;
        for (int64_t cl = 0; cl < Cg; ++cl)
          c.kernel.at(ky, kx, cl, f) = k.at(k.kh - 1 - ky, k.kw - 1 - kx, grp * Cg + cl, f - grp * Fg);
      }
  view.geometry = validate(c);
  return view;
}

Tensor ZeroInsertionView::output() const { return compute(conv); }

int64_t view_step_of_scatter(const Trace& transpose, const ZeroInsertionView& view, const Step& scatter) {
  if (scatter.kind != StepKind::scatter || scatter.cropped) return -1;
  const Kernel& k = transpose.scenario().kernel;
  const StepCoder coder(view.geometry, view.conv.input.h, view.conv.input.w, TraceOrder::gather, false);
  // The view's kernel is the transpose's rotated: tap (ky, kx) is the view's (kh−1−ky, kw−1−kx).
  return coder.encode({scatter.output, k.kh - 1 - (*scatter.tap)[0], k.kw - 1 - (*scatter.tap)[1], scatter.input->c, false});
}

int64_t scatter_step_of_view(const Trace& transpose, const ZeroInsertionView& view, const Step& mac) {
  if (mac.kind != StepKind::mac || mac.padding || !mac.input) return -1;
  const Geometry& g = transpose.geometry();
  const Kernel& k = transpose.scenario().kernel;
  const int64_t zy = mac.input->y - view.offset_y, zx = mac.input->x - view.offset_x;  // zero-inserted coordinates
  if (zy < 0 || zx < 0 || zy % g.axes[0].stride != 0 || zx % g.axes[1].stride != 0) return -1;
  const Cell in{zy / g.axes[0].stride, zx / g.axes[1].stride, mac.input->c};
  if (!transpose.scenario().input.contains(in.y, in.x)) return -1;
  const StepCoder coder(g, transpose.scenario().input.h, transpose.scenario().input.w, TraceOrder::scatter,
                        transpose.scenario().bias.has_value());
  return coder.encode({in, k.kh - 1 - (*mac.tap)[0], k.kw - 1 - (*mac.tap)[1], mac.output.c, false});
}

std::vector<double> ConvMatrix::multiply(const std::vector<double>& x) const {
  std::vector<double> y(static_cast<size_t>(rows), 0.0);
  for (const SparseEntry& e : entries) y[static_cast<size_t>(e.row)] += e.value * x[static_cast<size_t>(e.col)];
  return y;
}

std::vector<double> ConvMatrix::multiply_transposed(const std::vector<double>& y) const {
  std::vector<double> x(static_cast<size_t>(cols), 0.0);
  for (const SparseEntry& e : entries) x[static_cast<size_t>(e.col)] += e.value * y[static_cast<size_t>(e.row)];
  return x;
}

namespace {
// A matrix view holds at most kMaxViewElements entries; `most` counts them before any is made.
void check_matrix_entries(int64_t most, const char* what) {
  if (most > limits::kMaxViewElements)
    fail(ErrorCode::view_over_limit, what, std::to_string(most) + " (at most)", limits::kMaxViewElements);
}
}  // namespace

ConvMatrix conv_matrix(const Scenario& s) {
  require_gather(s);
  const Geometry g = validate(s);
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const int64_t Cg = g.in_per_group();
  check_matrix_entries(checked_mul({g.out_h(), g.out_w(), g.out_channels, k.kh, k.kw, Cg}, "the conv matrix"),
                       "the conv matrix");
  ConvMatrix m;
  m.rows = g.out_h() * g.out_w() * g.out_channels;
  m.cols = in.size();
  for (int64_t oy = 0; oy < gy.out; ++oy)
    for (int64_t ox = 0; ox < gx.out; ++ox)
      for (int64_t f = 0; f < g.out_channels; ++f) {
        const int64_t row = (oy * gx.out + ox) * g.out_channels + f;
        const int64_t c0 = g.group_of_filter(f) * Cg;
        for (int64_t ky = 0; ky < k.kh; ++ky)
          for (int64_t kx = 0; kx < k.kw; ++kx) {
            const int64_t iy = gy.conv_input_of(oy, ky), ix = gx.conv_input_of(ox, kx);
            if (!in.contains(iy, ix)) continue;
            for (int64_t c = 0; c < Cg; ++c) m.entries.push_back({row, in.index(iy, ix, c0 + c), k.at(ky, kx, c, f)});
          }
      }
  return m;
}

ConvMatrix transpose_matrix(const Scenario& s) {
  require_transpose(s);
  const Geometry g = validate(s);
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  const int64_t Fg = g.out_per_group();
  check_matrix_entries(checked_mul({in.h, in.w, in.c, k.kh, k.kw, Fg}, "the transposed conv matrix"),
                       "the transposed conv matrix");
  ConvMatrix m;
  m.rows = g.out_h() * g.out_w() * g.out_channels;
  m.cols = in.size();
  // Scatter order: column by column (input cells), each stamp's taps.
  for (int64_t iy = 0; iy < in.h; ++iy)
    for (int64_t ix = 0; ix < in.w; ++ix)
      for (int64_t c = 0; c < in.c; ++c) {
        const int64_t col = in.index(iy, ix, c), f0 = g.group_of_input_channel(c) * Fg;
        for (int64_t ky = 0; ky < k.kh; ++ky)
          for (int64_t kx = 0; kx < k.kw; ++kx) {
            const int64_t oy = gy.transpose_output_of(iy, ky), ox = gx.transpose_output_of(ix, kx);
            if (oy < 0 || ox < 0 || oy >= g.out_h() || ox >= g.out_w()) continue;  // cropped
            for (int64_t f = 0; f < Fg; ++f)
              m.entries.push_back({(oy * g.out_w() + ox) * g.out_channels + f0 + f, col, k.at(ky, kx, c, f)});
          }
      }
  return m;
}

MatrixPosition matrix_position(const Trace& trace, const Step& step) {
  MatrixPosition p;
  if (step.kind == StepKind::bias) {
    const Geometry& g = trace.geometry();
    p.row = (step.output.y * g.out_w() + step.output.x) * g.out_channels + step.output.c;
    return p;
  }
  const Geometry& g = trace.geometry();
  if (!step.cropped) p.row = (step.output.y * g.out_w() + step.output.x) * g.out_channels + step.output.c;
  if (step.input && !step.padding && !step.zero_inserted)
    p.col = trace.scenario().input.index(step.input->y, step.input->x, step.input->c);
  return p;
}

namespace {

// The pieces of the adjoint: spec and kernel, before output_padding is chosen.
Scenario adjoint_base(const Scenario& conv, const Geometry& g, const Tensor& y) {
  Scenario t;
  t.spec = conv.spec;
  t.spec.op = Op::conv2d_transpose;
  t.spec.output_padding.reset();
  t.spec.groups = g.groups;
  t.input = y;
  // Conv kernel [kh][kw][C/g][F]; the transpose maps F → C in the same groups,
  // so its [ky][kx][in = F][out = C/g] is the conv kernel with the channel axes swapped.
  const Kernel& k = conv.kernel;
  t.kernel = Kernel(k.kh, k.kw, k.out_channels, k.in_channels);
  for (int64_t ky = 0; ky < k.kh; ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx)
      for (int64_t c = 0; c < k.in_channels; ++c)
        for (int64_t f = 0; f < k.out_channels; ++f) t.kernel.at(ky, kx, f, c) = k.at(ky, kx, c, f);
  return t;
}

// Keras: output_padding None where that gives back n with the conv's pads,
// else output_padding per axis; nullopt when neither is a legal Keras layer.
std::optional<std::optional<Pair>> keras_output_padding(const Scenario& conv, const Geometry& g, const Scenario& t) {
  auto exact = [&](const std::optional<Pair>& op) {
    Spec spec = t.spec;
    spec.output_padding = op;
    const std::optional<Geometry> tg = try_geometry(spec, t.input, t.kernel, g.in_channels);
    if (!tg) return false;
    for (int a = 0; a < 2; ++a)
      if (tg->axes[a].out != g.axes[a].in || tg->axes[a].crop_before != g.axes[a].pad_before) return false;
    return true;
  };
  if (exact(std::nullopt)) return std::optional<Pair>();
  Pair op{0, 0};
  for (int a = 0; a < 2; ++a) {
    const AxisGeometry& ax = g.axes[a];
    const int64_t pad = conv.spec.padding == PaddingKind::same ? ax.dilated_kernel / 2 : 0;
    op[a] = ax.in - ((ax.out - 1) * ax.stride + ax.dilated_kernel - 2 * pad);
  }
  if (exact(op)) return std::optional<Pair>(op);
  return std::nullopt;
}

bool symmetric_pads(const Geometry& g) {
  return g.axes[0].pad_before == g.axes[0].pad_after && g.axes[1].pad_before == g.axes[1].pad_after;
}

}  // namespace

bool has_adjoint_transpose(const Scenario& conv) {
  if (is_transpose(conv.spec.op)) return false;
  const Geometry g = validate(conv);
  const Scenario t = adjoint_base(conv, g, Tensor(g.out_h(), g.out_w(), g.out_channels));
  if (conv.spec.convention == Convention::keras && g.groups == 1) return keras_output_padding(conv, g, t).has_value();
  return symmetric_pads(g);
}

Scenario adjoint_transpose(const Scenario& conv, const Tensor& y) {
  require_gather(conv);
  const Geometry g = validate(conv);
  Scenario t = adjoint_base(conv, g, y);
  if (conv.spec.convention == Convention::keras && g.groups == 1) {
    const auto op = keras_output_padding(conv, g, t);
    if (!op)
      fail(ErrorCode::usage, "no Keras Conv2DTranspose is the adjoint of this Conv2D: it would need output_padding "
                             "equal to the stride on one axis and below it on the other");
    t.spec.output_padding = *op;
  } else {
    // PyTorch's ConvTranspose2d (also for a Keras convolution with groups: Keras'
    // transposed layer has none): crop p at both ends, op = (n + 2p − dk) mod s gives back n.
    t.spec.convention = Convention::pytorch;
    t.spec.padding = PaddingKind::explicit_pads;
    t.spec.pads_per_side = false;
    Pair op{0, 0};
    for (int a = 0; a < 2; ++a) {
      const AxisGeometry& ax = g.axes[a];
      if (ax.pad_before != ax.pad_after)  // ConvTranspose2d crops both ends alike
        fail(ErrorCode::bad_padding, "PyTorch", op_name(Op::conv2d_transpose), "[ph, pw] (the same on both sides)",
             std::to_string(ax.pad_before) + " before and " + std::to_string(ax.pad_after) + " after on the " +
                 axis_name(a) + " axis");
      t.spec.pad_before[a] = t.spec.pad_after[a] = ax.pad_before;
      op[a] = (ax.in + 2 * ax.pad_before - ax.dilated_kernel) % ax.stride;
    }
    if (op[0] || op[1]) t.spec.output_padding = op;
    else t.spec.output_padding = Pair{0, 0};
  }
  validate(t);
  return t;
}

}  // namespace core
