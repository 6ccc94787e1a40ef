#include "core/scenario.h"

#include <cerrno>
#include <charconv>
#include <cstring>
#include <functional>
#include <cmath>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/errors.h"
#include "core/limits.h"

namespace core {

using nlohmann::json;

namespace {

const char* const kAllowedKeys =
    "op, convention, input, kernel, bias, strides, padding, dilation, output_padding, input_layout, "
    "kernel_layout, name, description";

bool is_tensor_key(const std::string& key) { return key == "input" || key == "kernel" || key == "bias"; }

// A nested list of numbers read straight into a flat vector, with its shape.
struct NestedNumbers {
  std::vector<double> values;
  std::vector<int64_t> dims;  // entries per list at each nesting level
  bool present = false;
};

// Collects the events of one nested list of numbers, checking that it is
// rectangular, non-empty and numeric as it goes.
class NestedListReader {
 public:
  NestedListReader(std::string name, NestedNumbers* into, int64_t max_values)
      : name_(std::move(name)), into_(into), max_values_(max_values) {}

  bool done() const { return depth_ == 0 && started_; }

  void start_list() {
    if (depth_ > 0) {
      if (leaf_depth_ != -1 && depth_ >= leaf_depth_) fail(ErrorCode::tensor_mixed, name_, depth_);
      ++counts_[depth_ - 1];
    }
    started_ = true;
    ++depth_;
    if (static_cast<int>(counts_.size()) < depth_) {
      counts_.push_back(0);
      into_->dims.push_back(-1);
    }
    counts_[depth_ - 1] = 0;
  }

  void end_list() {
    const int64_t count = counts_[depth_ - 1];
    if (count == 0) fail(ErrorCode::tensor_empty, name_, depth_);
    int64_t& expected = into_->dims[depth_ - 1];
    if (expected == -1)
      expected = count;
    else if (expected != count)
      fail(ErrorCode::tensor_ragged, name_, depth_, expected, count);
    --depth_;
  }

  void number(double v) {
    if (!std::isfinite(v)) fail(ErrorCode::tensor_not_finite, name_, v);
    if (leaf_depth_ == -1) {
      if (static_cast<int>(counts_.size()) > depth_) fail(ErrorCode::tensor_mixed, name_, depth_);
      leaf_depth_ = depth_;
    } else if (depth_ != leaf_depth_) {
      fail(ErrorCode::tensor_mixed, name_, depth_);
    }
    ++counts_[depth_ - 1];
    if (static_cast<int64_t>(into_->values.size()) >= max_values_)
      fail(ErrorCode::over_limit, "\"" + name_ + "\" (values)", "larger", max_values_);
    into_->values.push_back(v);
  }

  [[noreturn]] void not_a_number(const std::string& what) { fail(ErrorCode::tensor_not_number, name_, what); }

 private:
  std::string name_;
  NestedNumbers* into_;
  int64_t max_values_;
  std::vector<int64_t> counts_;
  int depth_ = 0;
  int leaf_depth_ = -1;
  bool started_ = false;
};

// SAX handler: tensors go to NestedListReader, every other (small) value into a json object.
class ScenarioSax : public nlohmann::json_sax<json> {
 public:
  ScenarioSax(size_t text_size) : text_size_(text_size) {}

  json small;  // the scenario without input/kernel/bias
  NestedNumbers input, kernel, bias;
  bool bias_null = false;

  bool null() override {
    if (reader_) reader_->not_a_number("null");
    if (pending_tensor_ == "bias") {
      bias_null = true;
      pending_tensor_.clear();
      return true;
    }
    tensor_must_be_list("null");
    return put(json(nullptr));
  }
  bool boolean(bool v) override {
    if (reader_) reader_->not_a_number(v ? "true" : "false");
    tensor_must_be_list(v ? "true" : "false");
    return put(json(v));
  }
  bool number_integer(number_integer_t v) override {
    if (reader_) return reader_->number(static_cast<double>(v)), true;
    tensor_must_be_list(std::to_string(v));
    return put(json(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (reader_) return reader_->number(static_cast<double>(v)), true;
    tensor_must_be_list(std::to_string(v));
    return put(json(v));
  }
  bool number_float(number_float_t v, const string_t& text) override {
    if (reader_) return reader_->number(v), true;
    tensor_must_be_list(text);
    return put(json(v));
  }
  bool string(string_t& v) override {
    if (reader_) reader_->not_a_number("the string \"" + v + "\"");
    tensor_must_be_list("\"" + v + "\"");
    return put(json(v));
  }
  bool binary(binary_t&) override { return false; }
  bool start_object(std::size_t) override {
    if (reader_) reader_->not_a_number("an object {...}");
    tensor_must_be_list("an object {...}");
    if (stack_.empty()) {
      small = json::object();
      stack_.push_back(&small);
      return true;
    }
    json* child = put(json::object()) ? last_ : nullptr;
    stack_.push_back(child);
    return true;
  }
  bool key(string_t& k) override {
    if (stack_.size() == 1) {
      if (!is_known_key(k)) fail(ErrorCode::unknown_key, k, kAllowedKeys);
      if (is_tensor_key(k)) pending_tensor_ = k;
    }
    key_ = k;
    return true;
  }
  bool end_object() override {
    stack_.pop_back();
    return true;
  }
  bool start_array(std::size_t) override {
    if (!reader_ && !pending_tensor_.empty()) begin_tensor();
    if (reader_) {
      reader_->start_list();
      return true;
    }
    if (stack_.empty()) fail(ErrorCode::json_not_object, "a list [...]");
    json* child = put(json::array()) ? last_ : nullptr;
    stack_.push_back(child);
    return true;
  }
  bool end_array() override {
    if (reader_) {
      reader_->end_list();
      if (reader_->done()) reader_.reset();
      return true;
    }
    stack_.pop_back();
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& ex) override {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix; keep its line/column text.
    std::string what = ex.what();
    if (!what.empty() && what[0] == '[') {
      const auto close = what.find("] ");
      if (close != std::string::npos) what = what.substr(close + 2);
    }
    (void)position;
    fail(ErrorCode::json_syntax, what);
  }

 private:
  static bool is_known_key(const std::string& k) {
    static const char* const known[] = {"op",      "convention",     "input",        "kernel",        "bias",
                                        "strides", "padding",        "dilation",     "output_padding", "input_layout",
                                        "kernel_layout", "name",     "description"};
    for (const char* name : known)
      if (k == name) return true;
    return false;
  }

  void tensor_must_be_list(const std::string& got) {
    if (pending_tensor_.empty()) return;
    fail(ErrorCode::tensor_not_list, pending_tensor_, tensor_hint(pending_tensor_), got);
  }

  void begin_tensor() {
    NestedNumbers* into = pending_tensor_ == "input" ? &input : pending_tensor_ == "kernel" ? &kernel : &bias;
    *into = NestedNumbers{};
    into->present = true;
    const int64_t max_values = pending_tensor_ == "input"    ? limits::kMaxInputElements
                               : pending_tensor_ == "kernel" ? limits::kMaxKernelElements
                                                             : limits::kMaxChannels;
    // Reserve for the input from the text size (a number takes at least 2 bytes),
    // so that a large grid is read without repeated reallocation.
    if (pending_tensor_ == "input")
      into->values.reserve(std::min<size_t>(text_size_ / 2 + 1, static_cast<size_t>(max_values)));
    reader_.emplace(pending_tensor_, into, max_values);
    pending_tensor_.clear();
  }

  // Adds v to the open container; returns true and sets last_ to where it went.
  bool put(json v) {
    if (stack_.empty()) fail(ErrorCode::json_not_object, v.dump());
    json* top = stack_.back();
    if (top == nullptr) return true;
    if (top->is_array()) {
      top->push_back(std::move(v));
      last_ = &top->back();
    } else {
      (*top)[key_] = std::move(v);
      last_ = &(*top)[key_];
    }
    return true;
  }

 public:
  static std::string tensor_hint(const std::string& name) {
    if (name == "input") return "H×W×C, or C×H×W with \"input_layout\": \"chw\"";
    if (name == "kernel") return "4 levels, see \"kernel_layout\"";
    return "one value per filter";
  }

 private:
  size_t text_size_;
  std::vector<json*> stack_;
  json* last_ = nullptr;
  std::string key_;
  std::string pending_tensor_;
  std::optional<NestedListReader> reader_;
};

std::string json_text(const json& v) { return v.dump(); }

std::string choice_of(const json& obj, const char* key, std::initializer_list<const char*> allowed,
                      const char* fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  std::string allowed_text;
  for (const char* a : allowed) allowed_text += std::string(allowed_text.empty() ? "" : " or ") + "\"" + a + "\"";
  if (!v.is_string()) fail(ErrorCode::bad_choice, key, allowed_text, json_text(v));
  for (const char* a : allowed)
    if (v.get<std::string>() == a) return a;
  fail(ErrorCode::bad_choice, key, allowed_text, json_text(v));
}

int64_t integer_of(const json& v, const char* key, const json& whole) {
  if (!v.is_number_integer()) fail(ErrorCode::not_integer, key, json_text(whole));
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(limits::kMaxParameter))
    fail(ErrorCode::too_big_param, key, json_text(v));
  const int64_t i = v.get<int64_t>();
  if (i > limits::kMaxParameter) fail(ErrorCode::too_big_param, key, i);
  return i;
}

// [a, b] or a single integer a (→ [a, a]), as Keras and PyTorch both accept.
Pair pair_of(const json& v, const char* key, const char* names) {
  if (v.is_number()) {
    const int64_t i = integer_of(v, key, v);
    return {i, i};
  }
  if (!v.is_array() || v.size() != 2 || !v[0].is_number() || !v[1].is_number())
    fail(ErrorCode::not_integer_pair, key, names, json_text(v));
  return {integer_of(v[0], key, v), integer_of(v[1], key, v)};
}

void read_padding(const json& obj, Spec& spec) {
  const bool keras = spec.convention == Convention::keras;
  const bool conv = spec.op == Op::conv2d;
  const char* allowed = keras  ? "\"valid\" or \"same\""
                        : conv ? "[ph, pw], [[top, bottom], [left, right]], \"valid\" or \"same\""
                               : "[ph, pw] (two integers)";
  auto bad = [&](const json& v) {
    fail(ErrorCode::bad_padding, convention_title(spec.convention), op_name(spec.op), allowed, json_text(v));
  };
  if (!obj.contains("padding") || obj.at("padding").is_null()) {
    spec.padding = keras ? PaddingKind::valid : PaddingKind::explicit_pads;
    return;
  }
  const json& v = obj.at("padding");
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "valid" && (keras || conv)) {
      spec.padding = PaddingKind::valid;
      return;
    }
    if (s == "same" && (keras || conv)) {
      spec.padding = PaddingKind::same;
      return;
    }
    bad(v);
  }
  if (keras) bad(v);
  spec.padding = PaddingKind::explicit_pads;
  if (conv && v.is_array() && v.size() == 2 && v[0].is_array() && v[1].is_array()) {
    const Pair rows = pair_of(v[0], "padding", "top, bottom");
    const Pair cols = pair_of(v[1], "padding", "left, right");
    spec.pad_before = {rows[0], cols[0]};
    spec.pad_after = {rows[1], cols[1]};
    spec.pads_per_side = true;
    return;
  }
  if (!(v.is_number() || (v.is_array() && v.size() == 2 && v[0].is_number() && v[1].is_number()))) bad(v);
  spec.pad_before = spec.pad_after = pair_of(v, "padding", "ph, pw");
}

Tensor input_from(NestedNumbers& n, InputLayout layout) {
  const char* hint = layout == InputLayout::hwc ? "H×W×C" : "C×H×W";
  if (!n.present) fail(ErrorCode::missing_key, "input", std::string("a nested list ") + hint);
  if (n.dims.size() != 3)
    fail(ErrorCode::tensor_rank, "input", 3, hint, std::to_string(n.dims.size()) + " (wrap each number in a list)");
  Tensor t;
  if (layout == InputLayout::hwc) {
    t.h = n.dims[0], t.w = n.dims[1], t.c = n.dims[2];
    t.values = std::move(n.values);  // a 4096² grid is 128 MB: never copy it
  } else {
    t = Tensor(n.dims[1], n.dims[2], n.dims[0]);
    for (int64_t c = 0; c < t.c; ++c)
      for (int64_t y = 0; y < t.h; ++y)
        for (int64_t x = 0; x < t.w; ++x) t.at(y, x, c) = n.values[static_cast<size_t>((c * t.h + y) * t.w + x)];
  }
  return t;
}

// File layouts of the kernel, and which file axis holds ky, kx, in-channel, out-channel.
struct KernelAxes {
  int ky, kx, ci, co;
};
KernelAxes kernel_axes(Op op, KernelLayout layout) {
  if (layout == KernelLayout::keras) return op == Op::conv2d ? KernelAxes{0, 1, 2, 3} : KernelAxes{0, 1, 3, 2};
  return op == Op::conv2d ? KernelAxes{2, 3, 1, 0} : KernelAxes{2, 3, 0, 1};
}

Kernel kernel_from(const NestedNumbers& n, Op op, KernelLayout layout) {
  const std::string hint = kernel_layout_text(op, layout);
  if (!n.present) fail(ErrorCode::missing_key, "kernel", "a nested list " + hint);
  if (n.dims.size() != 4) fail(ErrorCode::tensor_rank, "kernel", 4, hint, n.dims.size());
  const KernelAxes ax = kernel_axes(op, layout);
  Kernel k(n.dims[ax.ky], n.dims[ax.kx], n.dims[ax.ci], n.dims[ax.co]);
  int64_t stride[4];
  stride[3] = 1;
  for (int i = 2; i >= 0; --i) stride[i] = stride[i + 1] * n.dims[i + 1];
  for (int64_t ky = 0; ky < k.kh; ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx)
      for (int64_t ci = 0; ci < k.in_channels; ++ci)
        for (int64_t co = 0; co < k.out_channels; ++co)
          k.at(ky, kx, ci, co) = n.values[static_cast<size_t>(ky * stride[ax.ky] + kx * stride[ax.kx] +
                                                              ci * stride[ax.ci] + co * stride[ax.co])];
  return k;
}

void append_number(std::string& out, double v) {
  char buf[32];
  if (v == 0) v = 0;  // no "-0"
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

// Writes a nested list of dims.size() levels; value(i) gives the i-th value in row-major order.
// break_level: lists at this level start on a new line (pretty files), -1 for one line.
template <typename ValueAt>
void append_nested(std::string& out, const std::vector<int64_t>& dims, ValueAt value, int break_level,
                   const std::string& indent) {
  int64_t next = 0;
  std::function<void(size_t)> write = [&](size_t level) {
    out += '[';
    for (int64_t i = 0; i < dims[level]; ++i) {
      if (i) out += static_cast<int>(level) == break_level - 1 ? ",\n" + indent + std::string(level + 1, ' ') : ", ";
      if (level + 1 == dims.size())
        append_number(out, value(next++));
      else
        write(level + 1);
    }
    out += ']';
  };
  write(0);
}

}  // namespace

std::string kernel_layout_text(Op op, KernelLayout layout) {
  if (layout == KernelLayout::keras) return op == Op::conv2d ? "[kh][kw][C_in][F]" : "[kh][kw][F][C_in]";
  return op == Op::conv2d ? "[F][C_in][kh][kw] (OIHW)" : "[C_in][F][kh][kw]";
}

Geometry Scenario::geometry() const {
  if (input.h > limits::kMaxSide || input.w > limits::kMaxSide)
    fail(ErrorCode::over_limit, "the input size", std::to_string(input.h) + "×" + std::to_string(input.w),
         std::to_string(limits::kMaxSide) + " per side");
  if (input.c > limits::kMaxChannels) fail(ErrorCode::over_limit, "the input channel count", input.c, limits::kMaxChannels);
  if (kernel.out_channels > limits::kMaxChannels) fail(ErrorCode::over_limit, "the filter count", kernel.out_channels, limits::kMaxChannels);
  if (kernel.kh > limits::kMaxKernelSide || kernel.kw > limits::kMaxKernelSide)
    fail(ErrorCode::over_limit, "the kernel size", std::to_string(kernel.kh) + "×" + std::to_string(kernel.kw),
         std::to_string(limits::kMaxKernelSide) + " per side");
  if (kernel.in_channels != input.c)
    fail(ErrorCode::channel_mismatch, kernel.in_channels, input.c,
         "kernel " + kernel_layout_text(spec.op, kernel_layout) + " is " + kernel_shape_text(*this));
  if (bias && static_cast<int64_t>(bias->size()) != kernel.out_channels)
    fail(ErrorCode::bias_length, kernel.out_channels, bias->size());
  return geometry_for(spec, input.h, input.w, kernel.kh, kernel.kw, input.c, kernel.out_channels);
}

Scenario parse_scenario(std::string_view text) {
  ScenarioSax sax(text.size());
  json::sax_parse(text.begin(), text.end(), &sax);
  if (!sax.small.is_object()) fail(ErrorCode::json_not_object, "nothing");
  const json& obj = sax.small;

  Scenario s;
  s.spec.op = choice_of(obj, "op", {"conv2d", "conv2d_transpose"}, "") == std::string("conv2d_transpose")
                  ? Op::conv2d_transpose
                  : Op::conv2d;
  if (!obj.contains("op")) fail(ErrorCode::missing_key, "op", "\"conv2d\" or \"conv2d_transpose\"");
  s.spec.convention =
      choice_of(obj, "convention", {"keras", "pytorch"}, "keras") == std::string("pytorch") ? Convention::pytorch
                                                                                            : Convention::keras;
  s.input_layout = choice_of(obj, "input_layout", {"hwc", "chw"}, "hwc") == std::string("chw") ? InputLayout::chw
                                                                                                : InputLayout::hwc;
  s.kernel_layout = choice_of(obj, "kernel_layout", {"keras", "torch"}, "keras") == std::string("torch")
                        ? KernelLayout::torch
                        : KernelLayout::keras;
  if (obj.contains("name") && obj["name"].is_string()) s.name = obj["name"].get<std::string>();
  if (obj.contains("description") && obj["description"].is_string())
    s.description = obj["description"].get<std::string>();
  if (obj.contains("strides")) s.spec.strides = pair_of(obj["strides"], "strides", "sh, sw");
  if (obj.contains("dilation")) s.spec.dilation = pair_of(obj["dilation"], "dilation", "dh, dw");
  read_padding(obj, s.spec);
  if (obj.contains("output_padding") && !obj["output_padding"].is_null())
    s.spec.output_padding = pair_of(obj["output_padding"], "output_padding", "oh, ow");
  check_spec(s.spec);

  s.input = input_from(sax.input, s.input_layout);
  s.kernel = kernel_from(sax.kernel, s.spec.op, s.kernel_layout);
  if (sax.bias.present) {
    if (sax.bias.dims.size() != 1) fail(ErrorCode::tensor_rank, "bias", 1, "one value per filter", sax.bias.dims.size());
    s.bias = std::move(sax.bias.values);
  }
  s.geometry();  // validates the whole
  return s;
}

std::string read_text_file(const std::string& path) {
  if (path == "-") {
    std::ostringstream buf;
    buf << std::cin.rdbuf();
    return buf.str();
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) fail(ErrorCode::io_read, path, std::strerror(errno));
  std::string text;
  in.seekg(0, std::ios::end);
  const std::streamoff size = in.tellg();
  if (size < 0) fail(ErrorCode::io_read, path, "not a regular file");
  text.resize(static_cast<size_t>(size));
  in.seekg(0);
  in.read(text.data(), size);
  if (!in) fail(ErrorCode::io_read, path, "read failed");
  return text;
}

Scenario load_scenario(const std::string& path) { return parse_scenario(read_text_file(path)); }

namespace {
std::vector<int64_t> input_dims(const Scenario& s, int64_t h, int64_t w, int64_t c) {
  return s.input_layout == InputLayout::hwc ? std::vector<int64_t>{h, w, c} : std::vector<int64_t>{c, h, w};
}
template <typename Value>
std::function<double(int64_t)> grid_value_in_layout(const Scenario& s, const Tensor& t) {
  if (s.input_layout == InputLayout::hwc) return [&t](int64_t i) { return t.values[static_cast<size_t>(i)]; };
  return [&t](int64_t i) {
    const int64_t x = i % t.w, y = (i / t.w) % t.h, c = i / (t.w * t.h);
    return t.at(y, x, c);
  };
}
std::string dims_text(const std::vector<int64_t>& dims) {
  std::string out;
  for (size_t i = 0; i < dims.size(); ++i) out += (i ? "×" : "") + std::to_string(dims[i]);
  return out;
}
}  // namespace

std::string scenario_to_json(const Scenario& s, bool pretty) {
  const std::string nl = pretty ? "\n" : "";
  const std::string ind = pretty ? "  " : "";
  std::string out = "{" + nl;
  auto field = [&](const std::string& key, const std::string& value) {
    out += ind + "\"" + key + "\": " + value + "," + nl;
  };
  auto pair_json = [](const Pair& p) { return "[" + std::to_string(p[0]) + ", " + std::to_string(p[1]) + "]"; };
  if (!s.name.empty()) field("name", json(s.name).dump());
  if (!s.description.empty()) field("description", json(s.description).dump());
  field("op", json(op_name(s.spec.op)).dump());
  field("convention", json(convention_name(s.spec.convention)).dump());
  if (s.input_layout == InputLayout::chw) field("input_layout", "\"chw\"");
  if (s.kernel_layout == KernelLayout::torch) field("kernel_layout", "\"torch\"");
  field("strides", pair_json(s.spec.strides));
  if (s.spec.padding == PaddingKind::explicit_pads) {
    field("padding", s.spec.pads_per_side ? "[" + pair_json({s.spec.pad_before[0], s.spec.pad_after[0]}) + ", " +
                                                pair_json({s.spec.pad_before[1], s.spec.pad_after[1]}) + "]"
                                          : pair_json(s.spec.pad_before));
  } else {
    field("padding", json(padding_kind_name(s.spec.padding)).dump());
  }
  field("dilation", pair_json(s.spec.dilation));
  field("output_padding", s.spec.output_padding ? pair_json(*s.spec.output_padding) : "null");
  if (s.bias) {
    std::string b;
    append_nested(b, {static_cast<int64_t>(s.bias->size())}, [&](int64_t i) { return (*s.bias)[static_cast<size_t>(i)]; },
                  -1, "");
    field("bias", b);
  }
  std::string in;
  append_nested(in, input_dims(s, s.input.h, s.input.w, s.input.c), grid_value_in_layout<double>(s, s.input),
                pretty ? 1 : -1, ind + "          ");
  field("input", in);
  // The kernel in its file layout.
  const KernelAxes ax = kernel_axes(s.spec.op, s.kernel_layout);
  std::vector<int64_t> kdims(4);
  kdims[ax.ky] = s.kernel.kh, kdims[ax.kx] = s.kernel.kw, kdims[ax.ci] = s.kernel.in_channels,
  kdims[ax.co] = s.kernel.out_channels;
  std::string k;
  append_nested(
      k, kdims,
      [&](int64_t i) {
        int64_t idx[4];
        for (int a = 3; a >= 0; --a) idx[a] = i % kdims[a], i /= kdims[a];
        return s.kernel.at(idx[ax.ky], idx[ax.kx], idx[ax.ci], idx[ax.co]);
      },
      pretty ? 1 : -1, ind + "           ");
  out += ind + "\"kernel\": " + k + nl + "}" + nl;
  return out;
}

std::string output_to_json(const Scenario& s, const Tensor& output) {
  const std::vector<int64_t> dims = input_dims(s, output.h, output.w, output.c);
  std::string out = "{\"output_shape\": [" + std::to_string(dims[0]) + ", " + std::to_string(dims[1]) + ", " +
                    std::to_string(dims[2]) + "], \"output\": ";
  out.reserve(static_cast<size_t>(output.size()) * 6 + 64);
  append_nested(out, dims, grid_value_in_layout<double>(s, output), -1, "");
  out += "}";
  return out;
}

std::string input_shape_text(const Scenario& s) {
  return dims_text(input_dims(s, s.input.h, s.input.w, s.input.c)) +
         (s.input_layout == InputLayout::hwc ? " (H×W×C)" : " (C×H×W)");
}

std::string kernel_shape_text(const Scenario& s) {
  const KernelAxes ax = kernel_axes(s.spec.op, s.kernel_layout);
  std::vector<int64_t> kdims(4);
  kdims[ax.ky] = s.kernel.kh, kdims[ax.kx] = s.kernel.kw, kdims[ax.ci] = s.kernel.in_channels,
  kdims[ax.co] = s.kernel.out_channels;
  return dims_text(kdims) + " " + kernel_layout_text(s.spec.op, s.kernel_layout);
}

std::string output_shape_text(const Scenario& s, const Geometry& g) {
  return dims_text(input_dims(s, g.out_h(), g.out_w(), g.out_channels)) +
         (s.input_layout == InputLayout::hwc ? " (H×W×F)" : " (F×H×W)");
}

}  // namespace core
