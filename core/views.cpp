#include "core/views.h"

#include "core/compute.h"
#include "core/errors.h"

namespace core {

namespace {
void require_op(const Scenario& s, Op op) {
  if (s.spec.op != op) fail(ErrorCode::bad_choice, "op", std::string("\"") + op_name(op) + "\" here", op_name(s.spec.op));
}
}  // namespace

ZeroInsertionView transpose_as_conv(const Scenario& s) {
  require_op(s, Op::conv2d_transpose);
  const Geometry g = s.geometry();
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  ZeroInsertionView view;
  // Zero-inserted length (n−1)·s+1, padded by dk−1−crop before; after, whatever
  // makes a valid stride-1 conv come out `out` long. A negative pad crops.
  const int64_t before_y = gy.dilated_kernel - 1 - gy.crop_before;
  const int64_t before_x = gx.dilated_kernel - 1 - gx.crop_before;
  const int64_t len_y = gy.out + gy.dilated_kernel - 1;  // padded length
  const int64_t len_x = gx.out + gx.dilated_kernel - 1;
  view.offset_y = before_y;
  view.offset_x = before_x;

  Scenario& c = view.conv;
  c.spec.op = Op::conv2d;
  c.spec.convention = Convention::pytorch;
  c.spec.padding = PaddingKind::explicit_pads;
  c.spec.dilation = s.spec.dilation;
  c.name = s.name.empty() ? "zero-insertion view" : s.name + " (zero-insertion view)";
  c.input = Tensor(len_y, len_x, s.input.c);
  for (int64_t y = 0; y < s.input.h; ++y)
    for (int64_t x = 0; x < s.input.w; ++x) {
      const int64_t py = y * gy.stride + before_y, px = x * gx.stride + before_x;
      if (!c.input.contains(py, px)) continue;  // cropped past the padded grid
      for (int64_t ch = 0; ch < s.input.c; ++ch) c.input.at(py, px, ch) = s.input.at(y, x, ch);
    }
  const Kernel& k = s.kernel;
  c.kernel = Kernel(k.kh, k.kw, k.in_channels, k.out_channels);
  for (int64_t ky = 0; ky < k.kh; ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx)
      for (int64_t ci = 0; ci < k.in_channels; ++ci)
        for (int64_t co = 0; co < k.out_channels; ++co)
          c.kernel.at(ky, kx, ci, co) = k.at(k.kh - 1 - ky, k.kw - 1 - kx, ci, co);
  return view;
}

Tensor ZeroInsertionView::output() const { return compute(conv); }

int64_t view_step_of_scatter(const Trace& transpose, const ZeroInsertionView& view, const Step& scatter) {
  if (scatter.kind != StepKind::scatter || scatter.cropped) return -1;
  const Kernel& k = transpose.scenario().kernel;
  const Cell& o = scatter.output;
  const int64_t ky = k.kh - 1 - (*scatter.tap)[0], kx = k.kw - 1 - (*scatter.tap)[1];
  const int64_t W = view.conv.input.w - (k.kw - 1) * view.conv.spec.dilation[1];  // the view's output width
  const int64_t F = k.out_channels, C = k.in_channels;
  const int64_t per_cell = k.kh * k.kw * C;
  return ((o.y * W + o.x) * F + o.c) * per_cell + (ky * k.kw + kx) * C + scatter.input->c;
}

int64_t scatter_step_of_view(const Trace& transpose, const ZeroInsertionView& view, const Step& mac) {
  if (mac.kind != StepKind::mac || mac.padding) return -1;
  const Geometry& g = transpose.geometry();
  const Kernel& k = transpose.scenario().kernel;
  const int64_t py = mac.input->y - view.offset_y, px = mac.input->x - view.offset_x;
  if (py < 0 || px < 0 || py % g.axes[0].stride != 0 || px % g.axes[1].stride != 0) return -1;
  const int64_t iy = py / g.axes[0].stride, ix = px / g.axes[1].stride;
  const Tensor& in = transpose.scenario().input;
  if (!in.contains(iy, ix)) return -1;
  const int64_t ky = k.kh - 1 - (*mac.tap)[0], kx = k.kw - 1 - (*mac.tap)[1];
  return ((iy * in.w + ix) * in.c + mac.input->c) * (k.kh * k.kw * k.out_channels) + (ky * k.kw + kx) * k.out_channels +
         mac.output.c;
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

ConvMatrix conv_matrix(const Scenario& s) {
  require_op(s, Op::conv2d);
  const Geometry g = s.geometry();
  const AxisGeometry &gy = g.axes[0], &gx = g.axes[1];
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  ConvMatrix m;
  m.rows = g.out_h() * g.out_w() * g.out_channels;
  m.cols = in.size();
  for (int64_t oy = 0; oy < gy.out; ++oy)
    for (int64_t ox = 0; ox < gx.out; ++ox)
      for (int64_t f = 0; f < g.out_channels; ++f) {
        const int64_t row = (oy * gx.out + ox) * g.out_channels + f;
        for (int64_t ky = 0; ky < k.kh; ++ky)
          for (int64_t kx = 0; kx < k.kw; ++kx) {
            const int64_t iy = oy * gy.stride + ky * gy.dilation - gy.pad_before;
            const int64_t ix = ox * gx.stride + kx * gx.dilation - gx.pad_before;
            if (!in.contains(iy, ix)) continue;
            for (int64_t c = 0; c < in.c; ++c) m.entries.push_back({row, in.index(iy, ix, c), k.at(ky, kx, c, f)});
          }
      }
  return m;
}

MatrixPosition matrix_position(const Trace& conv, const Step& mac) {
  MatrixPosition p;
  if (mac.kind == StepKind::scatter) return p;
  const Geometry& g = conv.geometry();
  p.row = (mac.output.y * g.out_w() + mac.output.x) * g.out_channels + mac.output.c;
  if (mac.kind == StepKind::mac && !mac.padding) p.col = conv.scenario().input.index(mac.input->y, mac.input->x, mac.input->c);
  return p;
}

Scenario adjoint_transpose(const Scenario& conv, const Tensor& y) {
  require_op(conv, Op::conv2d);
  const Geometry g = conv.geometry();
  Scenario t;
  t.spec = conv.spec;
  t.spec.op = Op::conv2d_transpose;
  t.spec.output_padding.reset();
  t.input = y;
  // Conv kernel [kh][kw][C][F]; the transpose maps F → C, so its internal
  // [ky][kx][in = F][out = C] is the conv kernel with the channel axes swapped.
  const Kernel& k = conv.kernel;
  t.kernel = Kernel(k.kh, k.kw, k.out_channels, k.in_channels);
  for (int64_t ky = 0; ky < k.kh; ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx)
      for (int64_t c = 0; c < k.in_channels; ++c)
        for (int64_t f = 0; f < k.out_channels; ++f) t.kernel.at(ky, kx, f, c) = k.at(ky, kx, c, f);
  if (conv.spec.convention == Convention::pytorch) {
    // PyTorch: op = (n + 2p − dk) mod s gives back n; explicit per-side pads must be symmetric.
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
    t.spec.padding = PaddingKind::explicit_pads;
    if (op[0] || op[1]) t.spec.output_padding = op;
  } else {
    // Keras: pick output_padding so that deconv_output_length gives back n.
    Pair op{0, 0};
    for (int a = 0; a < 2; ++a) {
      const AxisGeometry& ax = g.axes[a];
      const int64_t pad = conv.spec.padding == PaddingKind::same ? ax.dilated_kernel / 2 : 0;
      op[a] = ax.in - ((ax.out - 1) * ax.stride + ax.dilated_kernel - 2 * pad);
    }
    t.spec.output_padding = op;
  }
  return t;
}

}  // namespace core
