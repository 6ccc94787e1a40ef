#include "core/explain.h"

#include <sstream>

#include "core/errors.h"
#include "core/format.h"
#include "core/trace.h"

namespace core {

namespace {

std::string side_names(int axis, bool before) {
  if (axis == 0) return before ? "top" : "bottom";
  return before ? "left" : "right";
}

std::string num(int64_t v) { return std::to_string(v); }

std::string tuple(const Pair& p) { return "(" + num(p[0]) + ", " + num(p[1]) + ")"; }


}  // namespace

AxisFormula axis_formula(const Scenario& s, const Geometry& g, int axis) {
  const AxisGeometry& a = g.axes[axis];
  AxisFormula f;
  std::ostringstream rule, nums, sides;
  const std::string dk = a.dilation == 1 ? num(a.dilated_kernel)
                                         : "(" + num(a.dilation) + "·(" + num(a.kernel) + "−1)+1 = " + num(a.dilated_kernel) + ")";
  if (!is_transpose(g.op)) {
    if (s.spec.padding == PaddingKind::same) {
      rule << "\"same\": out = ceil(n/s); pad total = max((out−1)·s + dk − n, 0), floor(total/2) before";
      nums << "ceil(" << a.in << "/" << a.stride << ") = " << a.out << "; total = max((" << a.out << "−1)·" << a.stride
           << " + " << a.dilated_kernel << " − " << a.in << ", 0) = " << (a.pad_before + a.pad_after);
    } else {
      rule << "out = floor((n + pad_before + pad_after − dk)/s) + 1";
      nums << "floor((" << a.in << " + " << a.pad_before << " + " << a.pad_after << " − " << dk << ")/" << a.stride
           << ") + 1 = " << a.out;
    }
    sides << "pads: " << a.pad_before << " before (" << side_names(axis, true) << "), " << a.pad_after << " after ("
          << side_names(axis, false) << ")";
  } else {
    const bool keras = s.spec.convention == Convention::keras;
    if (keras && !s.spec.output_padding) {
      if (s.spec.padding == PaddingKind::same) {
        rule << "\"same\", output_padding None: out = n·s";
        nums << a.in << "·" << a.stride << " = " << a.out;
      } else {
        rule << "\"valid\", output_padding None: out = n·s + max(dk − s, 0)";
        nums << a.in << "·" << a.stride << " + max(" << dk << " − " << a.stride << ", 0) = " << a.out;
      }
    } else if (keras) {
      const int64_t pad = s.spec.padding == PaddingKind::same ? a.dilated_kernel / 2 : 0;
      rule << "out = (n − 1)·s + dk − 2·pad + output_padding, pad = "
           << (s.spec.padding == PaddingKind::same ? "floor(dk/2)" : "0 (valid)");
      nums << "(" << a.in << " − 1)·" << a.stride << " + " << dk << " − 2·" << pad << " + " << a.output_padding << " = "
           << a.out;
    } else {
      rule << "out = (n − 1)·s − 2·p + dk + output_padding";
      nums << "(" << a.in << " − 1)·" << a.stride << " − 2·" << a.crop_before << " + " << dk << " + " << a.output_padding
           << " = " << a.out;
    }
    sides << "full scatter (n − 1)·s + dk = " << a.full << "; crop " << a.crop_before << " before ("
          << side_names(axis, true) << "), ";
    if (a.crop_after >= 0)
      sides << a.crop_after << " after (" << side_names(axis, false) << ")";
    else
      sides << "0 after, plus " << -a.crop_after << " extra " << (axis == 0 ? "row(s)" : "column(s)") << " at the "
            << side_names(axis, false) << " that no stamp reaches";
  }
  f.rule = rule.str();
  f.numbers = nums.str();
  f.sides = sides.str();
  return f;
}

std::string step_count_text(const Scenario& s, const Geometry& g, TraceOrder order) {
  std::ostringstream out;
  const int64_t out_cells = g.out_h() * g.out_w() * g.out_channels;
  const int64_t taps = s.kernel.kh * s.kernel.kw;
  const std::string group_note = g.groups > 1 ? " of its group" : "";
  if (order == TraceOrder::gather) {
    const int64_t Cg = g.in_per_group();
    out << step_count(s, g, order) << " steps: " << out_cells << " output cells (" << g.out_h() << "×" << g.out_w() << "×"
        << g.out_channels << ") × " << taps * Cg << " multiply-accumulates each (" << s.kernel.kh << "×"
        << s.kernel.kw << " taps × " << Cg << " channel" << (Cg == 1 ? "" : "s") << group_note << ")";
    if (is_transpose(g.op)) out << ", inserted zeros and padding included";
    if (s.bias) out << " + 1 bias step each";
  } else {
    const int64_t Fg = g.out_per_group();
    out << step_count(s, g, order) << " steps: " << s.input.size() << " input cells (" << s.input.h << "×" << s.input.w << "×"
        << s.input.c << ") × " << taps * Fg << " scatters each (" << s.kernel.kh << "×" << s.kernel.kw
        << " taps × " << Fg << " filter" << (Fg == 1 ? "" : "s") << group_note << ")";
    if (s.bias) out << " + " << out_cells << " bias steps";
  }
  return out.str();
}

std::string step_count_text(const Scenario& s, const Geometry& g) {
  return step_count_text(s, g, default_trace_order(g.op));
}

bool pads_are_keras_same(const Scenario& s, const Geometry& g) {
  // Keras "same" when its own split (from geometry_for) gives exactly these pads.
  if (is_transpose(s.spec.op)) return false;
  Spec keras_same = s.spec;
  keras_same.convention = Convention::keras;
  keras_same.padding = PaddingKind::same;
  keras_same.pads_per_side = false;
  keras_same.groups = s.spec.op == Op::depthwise_conv2d ? 1 : s.spec.groups;
  try {
    const Geometry k =
        geometry_for(keras_same, s.input.h, s.input.w, s.kernel.kh, s.kernel.kw, g.in_channels, g.out_channels);
    for (int a = 0; a < 2; ++a)
      if (k.axes[a].out != g.axes[a].out || k.axes[a].pad_before != g.axes[a].pad_before ||
          k.axes[a].pad_after != g.axes[a].pad_after)
        return false;
    return true;
  } catch (const Error&) {
    return false;
  }
}

std::optional<std::array<Pair, 2>> torch_transpose_padding(const Scenario& s, const Geometry& g) {
  if (!is_transpose(s.spec.op)) return std::nullopt;
  if (s.spec.convention == Convention::pytorch)
    return std::array<Pair, 2>{s.spec.pad_before, s.spec.output_padding ? *s.spec.output_padding : Pair{0, 0}};
  Pair p{0, 0}, op{0, 0};
  for (int a = 0; a < 2; ++a) {
    const AxisGeometry& ax = g.axes[a];
    p[a] = ax.crop_before;
    op[a] = ax.crop_before - ax.crop_after;
    if (op[a] < 0 || (op[a] >= ax.stride && op[a] >= ax.dilation)) return std::nullopt;
  }
  return std::array<Pair, 2>{p, op};
}

KerasTransposeFit keras_valid_fit(const Scenario& s, const Geometry& g) {
  // Keras "valid" with output_padding None crops nothing; its length comes from geometry_for.
  Spec keras_valid = s.spec;
  keras_valid.convention = Convention::keras;
  keras_valid.padding = PaddingKind::valid;
  keras_valid.output_padding.reset();
  keras_valid.pad_before = keras_valid.pad_after = {0, 0};
  keras_valid.groups = 1;
  const Geometry keras = geometry_for(keras_valid, s.input.h, s.input.w, s.kernel.kh, s.kernel.kw, 1, 1);
  KerasTransposeFit fit;
  for (int a = 0; a < 2; ++a) {
    const AxisGeometry& ax = g.axes[a];
    const int64_t keras_out = keras.axes[a].out;
    fit.crop[a][0] = ax.crop_before;
    fit.crop[a][1] = keras_out - ax.crop_before - ax.out;
    if (fit.crop[a][1] < 0) fit.extra[a] = -fit.crop[a][1], fit.crop[a][1] = 0;
  }
  return fit;
}

std::string keras_call(const Scenario& s, const Geometry& g) {
  std::ostringstream out;
  const Spec& sp = s.spec;
  const std::string common = "kernel_size=" + tuple({s.kernel.kh, s.kernel.kw}) + ", strides=" + tuple(sp.strides);
  const std::string dil = ", dilation_rate=" + tuple(sp.dilation);
  const std::string bias = std::string(", use_bias=") + (s.bias ? "True" : "False");
  const bool strided = sp.strides[0] > 1 || sp.strides[1] > 1;
  const bool dilated = sp.dilation[0] > 1 || sp.dilation[1] > 1;
  if (sp.convention == Convention::pytorch && strided && dilated)
    return "no single Keras layer: Keras does not allow a stride > 1 together with a dilation > 1 (strides " +
           tuple(sp.strides) + ", dilation " + tuple(sp.dilation) + ")";
  if (is_transpose(sp.op) && g.groups > 1)
    return "no Keras layer: Keras Conv2DTranspose has no groups (groups " + num(g.groups) + ")";
  if (!is_transpose(sp.op)) {
    std::string padding = "\"valid\"";
    if (sp.convention == Convention::keras) {
      padding = std::string("\"") + padding_kind_name(sp.padding) + "\"";
    } else if (g.axes[0].pad_before + g.axes[0].pad_after + g.axes[1].pad_before + g.axes[1].pad_after > 0) {
      if (pads_are_keras_same(s, g)) {
        padding = "\"same\"";
      } else {
        out << "keras.layers.ZeroPadding2D(padding=((" << g.axes[0].pad_before << ", " << g.axes[0].pad_after << "), ("
            << g.axes[1].pad_before << ", " << g.axes[1].pad_after << "))), then\n           ";
      }
    }
    if (sp.op == Op::depthwise_conv2d)
      out << "keras.layers.DepthwiseConv2D(" << common << ", padding=" << padding
          << ", depth_multiplier=" << g.out_per_group() << dil << bias << ")";
    else
      out << "keras.layers.Conv2D(filters=" << g.out_channels << ", " << common << ", padding=" << padding << dil
          << (g.groups > 1 ? ", groups=" + num(g.groups) : "") << bias << ")";
    return out.str();
  }
  if (sp.convention == Convention::keras) {
    out << "keras.layers.Conv2DTranspose(filters=" << g.out_channels << ", " << common << ", padding=\""
        << padding_kind_name(sp.padding) << "\", output_padding="
        << (sp.output_padding ? tuple(*sp.output_padding) : std::string("None")) << dil << bias << ")";
    return out.str();
  }
  // PyTorch transpose → Keras "valid" (nothing cropped) and then crop or pad to PyTorch's window.
  out << "keras.layers.Conv2DTranspose(filters=" << g.out_channels << ", " << common
      << ", padding=\"valid\", output_padding=None" << dil << bias << ")";
  const KerasTransposeFit fit = keras_valid_fit(s, g);
  const auto& crop = fit.crop;
  const auto& extra = fit.extra;
  if (crop[0][0] || crop[0][1] || crop[1][0] || crop[1][1])
    out << ", then\n           keras.layers.Cropping2D(cropping=((" << crop[0][0] << ", " << crop[0][1] << "), ("
        << crop[1][0] << ", " << crop[1][1] << ")))";
  if (extra[0] || extra[1])
    out << ", then\n           keras.layers.ZeroPadding2D(padding=((0, " << extra[0] << "), (0, " << extra[1]
        << ")))  (PyTorch's extra output_padding cells; add the bias there by hand)";
  return out.str();
}

std::string pytorch_call(const Scenario& s, const Geometry& g) {
  std::ostringstream out;
  const Spec& sp = s.spec;
  const std::string common = "kernel_size=" + tuple({s.kernel.kh, s.kernel.kw}) + ", stride=" + tuple(sp.strides);
  const std::string dil = ", dilation=" + tuple(sp.dilation);
  const std::string bias = std::string(", bias=") + (s.bias ? "True" : "False");
  const std::string groups = g.groups > 1 ? ", groups=" + num(g.groups) : "";
  if (!is_transpose(sp.op)) {
    const AxisGeometry &y = g.axes[0], &x = g.axes[1];
    std::string padding;
    if (y.pad_before == y.pad_after && x.pad_before == x.pad_after) {
      padding = tuple({y.pad_before, x.pad_before});
    } else {
      out << "x = torch.nn.functional.pad(x, (" << x.pad_before << ", " << x.pad_after << ", " << y.pad_before << ", "
          << y.pad_after << "))  # (left, right, top, bottom), then\n           ";
      padding = "0";
    }
    out << "torch.nn.Conv2d(in_channels=" << s.input.c << ", out_channels=" << g.out_channels << ", " << common
        << ", padding=" << padding << dil << groups << bias << ")";
    return out.str();
  }
  const std::string head = "torch.nn.ConvTranspose2d(in_channels=" + std::to_string(s.input.c) +
                           ", out_channels=" + std::to_string(g.out_channels) + ", " + common;
  if (sp.convention == Convention::pytorch) {
    out << head << ", padding=" << tuple(sp.pad_before) << ", output_padding="
        << tuple(sp.output_padding ? *sp.output_padding : Pair{0, 0}) << dil << groups << bias << ")";
    return out.str();
  }
  // Keras transpose → PyTorch: padding = crop before, output_padding = crop before − crop after, when allowed.
  if (const auto args = torch_transpose_padding(s, g)) {
    out << head << ", padding=" << tuple((*args)[0]) << ", output_padding=" << tuple((*args)[1]) << dil << bias << ")";
    return out.str();
  }
  out << head << ", padding=0, output_padding=0" << dil << bias << "), then\n           y = y[:, :, "
      << g.axes[0].crop_before << ":" << g.axes[0].crop_before + g.axes[0].out << ", " << g.axes[1].crop_before << ":"
      << g.axes[1].crop_before + g.axes[1].out << "]";
  if (g.axes[0].crop_after < 0 || g.axes[1].crop_after < 0)
    out << " after torch.nn.functional.pad(y, (0, " << std::max<int64_t>(-g.axes[1].crop_after, 0) << ", 0, "
        << std::max<int64_t>(-g.axes[0].crop_after, 0) << "))  (cells no stamp reaches; they get the bias only)";
  return out.str();
}

IndexNames index_names(const Scenario& s, const Geometry& g) {
  IndexNames n;
  n.chw = s.input_layout == InputLayout::chw;
  auto grid = [&](const std::string& name, const std::string& y, const std::string& x, const std::string& c) {
    return name + (n.chw ? "[" + c + ", " + y + ", " + x + "]" : "[" + y + ", " + x + ", " + c + "]");
  };
  n.input_pattern = grid("x", "iy", "ix", "c");
  n.output_pattern = grid("y", "oy", "ox", "f");
  n.input_pattern_gather = grid("x", "oy·s + ky·d − pad_top", "ox·s + kx·d − pad_left", "c");
  n.output_pattern_scatter = grid("y", "iy·s + ky·d − crop_top", "ix·s + kx·d − crop_left", "f");
  const bool torch = s.kernel_layout == KernelLayout::torch;
  const bool grouped = g.groups > 1 && s.spec.op != Op::depthwise_conv2d;
  switch (s.spec.op) {
    case Op::conv2d:
      n.weight_pattern = torch ? (grouped ? "w[f, c', ky, kx]" : "w[f, c, ky, kx]") : (grouped ? "w[ky, kx, c', f]" : "w[ky, kx, c, f]");
      if (grouped) n.weight_note = "  (c' = c − " + std::to_string(g.in_per_group()) + "·(f's group): the channel within the group)";
      break;
    case Op::depthwise_conv2d:
      n.weight_pattern = torch ? "w[f, 0, ky, kx]" : "w[ky, kx, c, m]";
      n.weight_note = "  (filter f = c·M + m reads input channel c only; M = " + std::to_string(g.out_per_group()) + ")";
      break;
    case Op::conv2d_transpose:
      n.weight_pattern = torch ? (grouped ? "w[c, f', ky, kx]" : "w[c, f, ky, kx]") : (grouped ? "w[ky, kx, f', c]" : "w[ky, kx, f, c]");
      if (grouped) n.weight_note = "  (f' = f − " + std::to_string(g.out_per_group()) + "·(c's group): the filter within the group)";
      break;
  }
  return n;
}

std::string input_index_text(const Scenario& s, const Cell& c) { return input_index_text(s, s.input_layout, c); }

std::string input_index_text(const Scenario&, InputLayout layout, const Cell& c) {
  const std::string y = std::to_string(c.y), x = std::to_string(c.x), ch = std::to_string(c.c);
  return layout == InputLayout::chw ? "[" + ch + "," + y + "," + x + "]" : "[" + y + "," + x + "," + ch + "]";
}

std::string weight_index_text(const Scenario& s, const Geometry& g, int64_t ky, int64_t kx, int64_t c, int64_t f) {
  return weight_index_text(s, g, s.kernel_layout, ky, kx, c, f);
}

std::string weight_index_text(const Scenario& s, const Geometry& g, KernelLayout layout, int64_t ky, int64_t kx,
                              int64_t c, int64_t f) {
  const bool torch = layout == KernelLayout::torch;
  const std::string y = std::to_string(ky), x = std::to_string(kx);
  auto idx = [](std::initializer_list<std::string> parts) {
    std::string out = "[";
    for (const std::string& p : parts) out += (out.size() > 1 ? "," : "") + p;
    return out + "]";
  };
  switch (s.spec.op) {
    case Op::conv2d: {
      const std::string cl = std::to_string(c - g.group_of_filter(f) * g.in_per_group()), fs = std::to_string(f);
      return torch ? idx({fs, cl, y, x}) : idx({y, x, cl, fs});
    }
    case Op::depthwise_conv2d: {
      const int64_t m = g.out_per_group();
      return torch ? idx({std::to_string(f), "0", y, x}) : idx({y, x, std::to_string(f / m), std::to_string(f % m)});
    }
    case Op::conv2d_transpose: {
      const std::string fl = std::to_string(f - g.group_of_input_channel(c) * g.out_per_group()), cs = std::to_string(c);
      return torch ? idx({cs, fl, y, x}) : idx({y, x, fl, cs});
    }
  }
  return "[]";
}

std::string explain(const Scenario& s) {
  const Geometry g = s.geometry();
  std::ostringstream out;
  const bool keras = s.spec.convention == Convention::keras;
  out << op_title(s.spec.op) << ", " << convention_title(s.spec.convention) << " convention";
  // The file's own words, on their lines: control characters escaped.
  if (!s.name.empty()) out << " — " << one_line(s.name);
  out << "\n";
  if (!s.description.empty()) out << "  " << one_line(s.description) << "\n";
  out << "\n";
  out << "  input   " << input_shape_text(s) << "\n";
  out << "  kernel  " << kernel_shape_text(s) << "\n";
  if (s.bias) {
    out << "  bias    " << s.bias->size() << " value" << (s.bias->size() == 1 ? "" : "s") << " [";
    for (size_t i = 0; i < s.bias->size() && i < 8; ++i) out << (i ? ", " : "") << format_number((*s.bias)[i]);
    out << (s.bias->size() > 8 ? ", …]" : "]") << "\n";
  } else {
    out << "  bias    none\n";
  }
  out << "  output  " << output_shape_text(s, g) << "\n";
  out << "  strides " << pair_text(s.spec.strides) << ", dilation " << pair_text(s.spec.dilation) << ", padding ";
  if (s.spec.padding == PaddingKind::explicit_pads)
    out << (s.spec.pads_per_side ? "per side" : pair_text(s.spec.pad_before));
  else
    out << "\"" << padding_kind_name(s.spec.padding) << "\"";
  if (g.groups > 1 && s.spec.op != Op::depthwise_conv2d) out << ", groups " << g.groups;
  if (s.spec.op == Op::depthwise_conv2d) out << ", depth multiplier " << g.out_per_group();
  if (is_transpose(s.spec.op))
    out << ", output_padding " << (s.spec.output_padding ? pair_text(*s.spec.output_padding) : "null");
  out << "\n\n";
  out << "Output length per axis (n input, k kernel, s stride, d dilation, dk = d·(k−1)+1 the dilated kernel):\n";
  for (int a = 0; a < 2; ++a) {
    const AxisFormula f = axis_formula(s, g, a);
    const AxisGeometry& ax = g.axes[a];
    out << "  " << axis_name(a) << ": n=" << ax.in << " k=" << ax.kernel << " s=" << ax.stride << " d=" << ax.dilation
        << " dk=" << ax.dilated_kernel << "\n";
    out << "    " << f.rule << "\n";
    out << "    " << f.numbers << "\n";
    out << "    " << f.sides << "\n";
  }
  out << "\n";
  // Indices in the order of the file's own layouts, so a reader can index their arrays with them.
  const IndexNames n = index_names(s, g);
  if (!is_transpose(s.spec.op)) {
    out << "Each output cell is a gather: " << n.output_pattern << " = Σ over ky, kx, c of " << n.input_pattern_gather
        << " · " << n.weight_pattern << (s.bias ? " + bias[f]" : "") << " (taps on padding read 0)";
    out << (g.groups > 1 ? ", c over the " + std::to_string(g.in_per_group()) + " input channel" +
                               (g.in_per_group() == 1 ? "" : "s") + " of f's group" : std::string())
        << ".\n";
    if (!n.weight_note.empty()) out << n.weight_note << "\n";
  } else {
    out << "Each input cell is a scatter: " << n.input_pattern << " · " << n.weight_pattern << " is added to "
        << n.output_pattern_scatter << "; overlapping stamps add up"
        << (s.bias ? ", then bias[f] is added to every output cell" : "");
    out << (g.groups > 1 ? ", f over the " + std::to_string(g.out_per_group()) + " filters of c's group" : std::string())
        << ".\n";
    if (!n.weight_note.empty()) out << n.weight_note << "\n";
    out << "Same as a stride-1 convolution over the input with s−1 zeros inserted between cells, padded by dk−1−crop "
           "(plus any extra cells at the bottom/right), with the kernel rotated 180°.\n";
  }
  out << step_count_text(s, g) << "\n\n";
  out << "Equivalent calls (batch and channel order aside):\n";
  out << "  Keras:   " << keras_call(s, g) << "\n";
  out << "  PyTorch: " << pytorch_call(s, g) << "\n";
  if (keras && is_transpose(s.spec.op) && (s.spec.dilation[0] > 1 || s.spec.dilation[1] > 1))
    out << "\nNote: this follows TF / Python Keras. TensorFlow.js silently ignores dilation in Conv2DTranspose and "
           "would give a different result.\n";
  return out.str();
}

}  // namespace core
