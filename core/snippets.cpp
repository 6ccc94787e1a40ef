#include "core/snippets.h"

#include <charconv>
#include <functional>
#include <sstream>

#include "core/errors.h"
#include "core/explain.h"

namespace core {

namespace {

// The shortest text that reads back as the same double (Python parses it exactly).
std::string exact(double v) {
  if (v == 0) return "0.0";  // no "-0"
  char buf[32];
  const auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string t(buf, res.ptr);
  if (t.find_first_of(".en") == std::string::npos) t += ".0";  // a float literal, as the dtype is
  return t;
}

using ValueAt = std::function<double(const std::vector<int64_t>&)>;

// A nested Python list of `dims`, one innermost list per line.
std::string nested(const std::vector<int64_t>& dims, const ValueAt& value, const std::string& indent) {
  std::vector<int64_t> at(dims.size(), 0);
  std::function<std::string(size_t)> level = [&](size_t l) {
    std::string out = "[";
    for (int64_t i = 0; i < dims[l]; ++i) {
      at[l] = i;
      if (l + 1 == dims.size()) {
        out += (i ? ", " : "") + exact(value(at));
      } else {
        if (i) out += ",\n" + indent + std::string(l + 1, ' ');
        out += level(l + 1);
      }
    }
    return out + "]";
  };
  return level(0);
}

std::string pair(int64_t a, int64_t b) { return "(" + std::to_string(a) + ", " + std::to_string(b) + ")"; }
std::string pair(const Pair& p) { return pair(p[0], p[1]); }
std::string dims_text(std::initializer_list<int64_t> dims) {
  std::string t;
  for (int64_t d : dims) t += (t.empty() ? "" : "×") + std::to_string(d);
  return t;
}

std::string title_line(const Scenario& s, const Geometry& g, const char* framework) {
  std::ostringstream out;
  out << "# convscope: " << op_title(s.spec.op) << " " << s.input.h << "×" << s.input.w << " → " << g.out_h() << "×"
      << g.out_w() << ", " << convention_title(s.spec.convention) << " convention, in " << framework << ".\n";
  if (!s.name.empty()) out << "# " << one_line(s.name) << "\n";
  return out.str();
}

bool has_pads(const Geometry& g) {
  return g.axes[0].pad_before || g.axes[0].pad_after || g.axes[1].pad_before || g.axes[1].pad_after;
}

}  // namespace

std::string pytorch_snippet(const Scenario& s) {
  const Geometry g = validate(s);
  const Kernel& k = s.kernel;
  const bool transpose = is_transpose(s.spec.op);
  std::ostringstream out;
  out << title_line(s, g, "PyTorch");
  out << "import torch\nimport torch.nn.functional as F\n\n";
  out << "# The input, N×C×H×W (PyTorch's layout): " << dims_text({1, s.input.c, s.input.h, s.input.w}) << ".\n";
  out << "x = torch.tensor("
      << nested({1, s.input.c, s.input.h, s.input.w},
                [&](const std::vector<int64_t>& i) { return s.input.at(i[2], i[3], i[1]); }, "                 ")
      << ", dtype=torch.float64)\n";
  if (!transpose) {
    out << "# The weight, F×C_in" << (g.groups > 1 ? "/groups" : "") << "×kh×kw (torch.nn.Conv2d's layout): "
        << dims_text({k.out_channels, k.in_channels, k.kh, k.kw}) << ", Keras' kernel permuted, not flipped.\n";
    out << "w = torch.tensor("
        << nested({k.out_channels, k.in_channels, k.kh, k.kw},
                  [&](const std::vector<int64_t>& i) { return k.at(i[2], i[3], i[1], i[0]); }, "                 ")
        << ", dtype=torch.float64)\n";
  } else {
    out << "# The weight, C_in×F" << (g.groups > 1 ? "/groups" : "") << "×kh×kw (torch.nn.ConvTranspose2d's layout): "
        << dims_text({k.in_channels, k.out_channels, k.kh, k.kw}) << ", Keras' kernel permuted, not flipped.\n";
    out << "w = torch.tensor("
        << nested({k.in_channels, k.out_channels, k.kh, k.kw},
                  [&](const std::vector<int64_t>& i) { return k.at(i[2], i[3], i[0], i[1]); }, "                 ")
        << ", dtype=torch.float64)\n";
  }
  if (s.bias)
    out << "b = torch.tensor(" << nested({static_cast<int64_t>(s.bias->size())},
                                         [&](const std::vector<int64_t>& i) { return (*s.bias)[static_cast<size_t>(i[0])]; }, "")
        << ", dtype=torch.float64)  # one per filter\n";
  else
    out << "b = None  # no bias\n";
  const std::string groups = g.groups > 1 ? ", groups=" + std::to_string(g.groups) : "";
  const std::string stride = "stride=" + pair(s.spec.strides), dilation = "dilation=" + pair(s.spec.dilation);
  if (!transpose) {
    const AxisGeometry &y = g.axes[0], &x = g.axes[1];
    std::string padding;
    if (s.spec.convention == Convention::pytorch && s.spec.padding != PaddingKind::explicit_pads) {
      padding = std::string("\"") + padding_kind_name(s.spec.padding) + "\"";
    } else if (y.pad_before == y.pad_after && x.pad_before == x.pad_after) {
      padding = pair(y.pad_before, x.pad_before);
    } else {
      out << "# Pads differ before and after, which conv2d's padding cannot say: pad first (left, right, top, bottom).\n";
      out << "x = F.pad(x, (" << x.pad_before << ", " << x.pad_after << ", " << y.pad_before << ", " << y.pad_after
          << "))\n";
      padding = "0";
    }
    out << "y = F.conv2d(x, w, b, " << stride << ", padding=" << padding << ", " << dilation << groups << ")\n";
  } else if (const auto args = torch_transpose_padding(s, g)) {
    out << "y = F.conv_transpose2d(x, w, b, " << stride << ", padding=" << pair((*args)[0])
        << ", output_padding=" << pair((*args)[1]) << groups << ", " << dilation << ")\n";
  } else {
    const AxisGeometry &y = g.axes[0], &x = g.axes[1];
    out << "# Keras crops this transpose in a way PyTorch's output_padding cannot say: scatter in full, then crop.\n";
    out << "y = F.conv_transpose2d(x, w, None, " << stride << groups << ", " << dilation << ")  # "
        << y.full << "×" << x.full << ": every stamp\n";
    if (y.crop_after < 0 || x.crop_after < 0)
      out << "y = F.pad(y, (0, " << std::max<int64_t>(-x.crop_after, 0) << ", 0, " << std::max<int64_t>(-y.crop_after, 0)
          << "))  # cells at the bottom/right that no stamp reaches\n";
    out << "y = y[:, :, " << y.crop_before << ":" << y.crop_before + y.out << ", " << x.crop_before << ":"
        << x.crop_before + x.out << "]\n";
    if (s.bias) out << "y = y + b.view(1, -1, 1, 1)\n";
  }
  out << "print(y)  # N×F×H×W: " << dims_text({1, g.out_channels, g.out_h(), g.out_w()}) << "\n";
  return out.str();
}

std::string keras_snippet(const Scenario& s) {
  const Geometry g = validate(s);
  const Kernel& k = s.kernel;
  const Spec& sp = s.spec;
  const bool transpose = is_transpose(sp.op);
  std::ostringstream out;
  out << title_line(s, g, "Keras");
  const bool strided = sp.strides[0] > 1 || sp.strides[1] > 1;
  const bool dilated = sp.dilation[0] > 1 || sp.dilation[1] > 1;
  std::string no_layer;
  if (transpose && g.groups > 1)
    no_layer = "Keras Conv2DTranspose has no groups (this transpose has groups=" + std::to_string(g.groups) + ")";
  else if (strided && dilated)
    no_layer = "Keras does not allow a stride > 1 together with a dilation > 1 (strides " + pair(sp.strides) +
               ", dilation " + pair(sp.dilation) + ")";
  if (!no_layer.empty()) {
    out << "# No single Keras layer computes this: " << no_layer << ".\n";
    out << "raise SystemExit(\"no Keras layer: " << no_layer << "\")\n";
    return out.str();
  }
  out << "import numpy as np\n\ntry:\n    import keras  # Keras 3, or Keras 2 as TensorFlow installs it\n"
         "except ImportError:\n    from tensorflow import keras\n\n";
  out << "# The input, N×H×W×C (Keras' layout): " << dims_text({1, s.input.h, s.input.w, s.input.c}) << ".\n";
  out << "x = np.array("
      << nested({1, s.input.h, s.input.w, s.input.c},
                [&](const std::vector<int64_t>& i) { return s.input.at(i[1], i[2], i[3]); }, "             ")
      << ", dtype=\"float32\")\n";
  const std::string common = "kernel_size=" + pair(k.kh, k.kw) + ", strides=" + pair(sp.strides);
  const std::string dil = ", dilation_rate=" + pair(sp.dilation);
  const bool keras = sp.convention == Convention::keras;
  // PyTorch's transposes crop and pad around Keras' "valid" one; the bias then goes on at the end.
  const bool bias_after = transpose && !keras && s.bias;
  const std::string use_bias = std::string(", use_bias=") + (s.bias && !bias_after ? "True" : "False");
  std::string layer, padding = "\"valid\"";
  std::string before, after;
  if (!transpose) {
    if (keras)
      padding = std::string("\"") + padding_kind_name(sp.padding) + "\"";
    else if (has_pads(g) && pads_are_keras_same(s, g))
      padding = "\"same\"";
    else if (has_pads(g))
      before = "y = keras.layers.ZeroPadding2D(padding=(" + pair(g.axes[0].pad_before, g.axes[0].pad_after) + ", " +
               pair(g.axes[1].pad_before, g.axes[1].pad_after) + "))(y)  # PyTorch's pads (top, bottom), (left, right)\n";
    if (sp.op == Op::depthwise_conv2d) {
      const int64_t m = g.out_per_group();
      out << "# The depthwise kernel, [kh][kw][C_in][M] (Keras' layout): " << dims_text({k.kh, k.kw, s.input.c, m})
          << ".\n";
      out << "kernel = np.array("
          << nested({k.kh, k.kw, s.input.c, m},
                    [&](const std::vector<int64_t>& i) { return k.at(i[0], i[1], 0, i[2] * m + i[3]); }, "                  ")
          << ", dtype=\"float32\")\n";
      layer = "keras.layers.DepthwiseConv2D(" + common + ", padding=" + padding + ", depth_multiplier=" +
              std::to_string(m) + dil + use_bias + ")";
    } else {
      out << "# The kernel, [kh][kw][C_in" << (g.groups > 1 ? "/groups" : "") << "][F] (Keras' layout): "
          << dims_text({k.kh, k.kw, k.in_channels, k.out_channels}) << ".\n";
      out << "kernel = np.array("
          << nested({k.kh, k.kw, k.in_channels, k.out_channels},
                    [&](const std::vector<int64_t>& i) { return k.at(i[0], i[1], i[2], i[3]); }, "                  ")
          << ", dtype=\"float32\")\n";
      layer = "keras.layers.Conv2D(filters=" + std::to_string(g.out_channels) + ", " + common + ", padding=" + padding +
              dil + (g.groups > 1 ? ", groups=" + std::to_string(g.groups) : "") + use_bias + ")";
    }
  } else {
    out << "# The kernel, [kh][kw][F][C_in] (Keras' Conv2DTranspose layout): "
        << dims_text({k.kh, k.kw, k.out_channels, k.in_channels}) << ".\n";
    out << "kernel = np.array("
        << nested({k.kh, k.kw, k.out_channels, k.in_channels},
                  [&](const std::vector<int64_t>& i) { return k.at(i[0], i[1], i[3], i[2]); }, "                  ")
        << ", dtype=\"float32\")\n";
    std::string output_padding = "None";
    if (keras) {
      padding = std::string("\"") + padding_kind_name(sp.padding) + "\"";
      if (sp.output_padding) output_padding = pair(*sp.output_padding);
    } else {
      const KerasTransposeFit fit = keras_valid_fit(s, g);
      if (fit.crop[0][0] || fit.crop[0][1] || fit.crop[1][0] || fit.crop[1][1])
        after += "y = keras.layers.Cropping2D(cropping=(" + pair(fit.crop[0][0], fit.crop[0][1]) + ", " +
                 pair(fit.crop[1][0], fit.crop[1][1]) + "))(y)  # PyTorch's padding crops the full scatter\n";
      if (fit.extra[0] || fit.extra[1])
        after += "y = keras.layers.ZeroPadding2D(padding=((0, " + std::to_string(fit.extra[0]) + "), (0, " +
                 std::to_string(fit.extra[1]) + ")))(y)  # output_padding cells that no stamp reaches\n";
    }
    layer = "keras.layers.Conv2DTranspose(filters=" + std::to_string(g.out_channels) + ", " + common +
            ", padding=" + padding + ", output_padding=" + output_padding + dil + use_bias + ")";
  }
  if (s.bias)
    out << "bias = np.array(" << nested({static_cast<int64_t>(s.bias->size())},
                                        [&](const std::vector<int64_t>& i) { return (*s.bias)[static_cast<size_t>(i[0])]; }, "")
        << ", dtype=\"float32\")  # one per filter\n";
  out << "\nlayer = " << layer << "\n";
  out << "y = x\n" << before;
  out << "layer.build(y.shape)\n";
  out << "layer.set_weights([kernel" << (s.bias && !bias_after ? ", bias" : "") << "])\n";
  out << "y = layer(y)\n" << after;
  if (bias_after) out << "y = y + bias  # PyTorch adds the bias to every output cell\n";
  out << "print(np.asarray(y))  # N×H×W×F: " << dims_text({1, g.out_h(), g.out_w(), g.out_channels}) << "\n";
  return out.str();
}

}  // namespace core
