#include "core/scenario.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/checked.h"
#include "core/errors.h"
#include "core/limits.h"

namespace core {

using nlohmann::json;

namespace {

const char* const kAllowedKeys =
    "op, convention, input, kernel, bias, strides, padding, dilation, output_padding, groups, input_layout, "
    "kernel_layout, name, description";

bool is_known_key(const std::string& k) {
  static const char* const known[] = {"op",      "convention", "input",          "kernel",       "bias",
                                      "strides", "padding",    "dilation",       "output_padding", "groups",
                                      "input_layout", "kernel_layout", "name",   "description"};
  for (const char* name : known)
    if (k == name) return true;
  return false;
}
bool is_tensor_key(const std::string& key) { return key == "input" || key == "kernel" || key == "bias"; }
bool is_text_key(const std::string& key) { return key == "name" || key == "description"; }

// What a parameter key expects, for value_too_large.
const char* expectation(const std::string& key) {
  if (key == "strides" || key == "dilation" || key == "output_padding") return "[h, w] or one integer";
  if (key == "padding") return "\"valid\", \"same\", [ph, pw] or [[top, bottom], [left, right]]";
  if (key == "groups") return "one integer";
  return "a short string";
}

// The levels of nesting of each tensor key (input H×W×C, kernel 4 axes, bias F).
int tensor_levels(const std::string& name) { return name == "input" ? 3 : name == "kernel" ? 4 : 1; }

std::string tensor_hint(const std::string& name) {
  if (name == "input") return "H×W×C, or C×H×W with \"input_layout\": \"chw\"";
  if (name == "kernel") return "4 levels, see \"kernel_layout\"";
  return "one value per filter";
}

// A JSON value as an error message may quote it: compact, ≤ 60 characters, one line.
std::string value_text(const json& v) { return excerpt(v.dump(-1, ' ', false, json::error_handler_t::replace)); }

// A nested list of numbers read straight into a flat vector, with its shape.
struct NestedNumbers {
  std::vector<double> values;
  std::vector<int64_t> dims;  // entries per list at each nesting level
  bool present = false;
};

// Collects the events of one nested list of numbers, checking as it goes that
// it is rectangular, non-empty, numeric, no deeper than its levels and no
// larger than its limit: nothing past a limit is ever stored.
class NestedListReader {
 public:
  NestedListReader(std::string name, NestedNumbers* into, int64_t max_values)
      : name_(std::move(name)), into_(into), max_values_(max_values), max_depth_(tensor_levels(name_)) {}

  bool done() const { return depth_ == 0 && started_; }

  void start_list() {
    if (depth_ == max_depth_)
      fail(ErrorCode::tensor_rank, name_, max_depth_, tensor_hint(name_), "more than " + std::to_string(max_depth_));
    if (depth_ > 0) {
      if (leaf_depth_ != -1 && depth_ >= leaf_depth_) fail(ErrorCode::tensor_mixed, name_, depth_);
      ++counts_[static_cast<size_t>(depth_ - 1)];
    }
    started_ = true;
    ++depth_;
    if (static_cast<int>(counts_.size()) < depth_) {
      counts_.push_back(0);
      into_->dims.push_back(-1);
    }
    counts_[static_cast<size_t>(depth_ - 1)] = 0;
  }

  void end_list() {
    const int64_t count = counts_[static_cast<size_t>(depth_ - 1)];
    if (count == 0) fail(ErrorCode::tensor_empty, name_, depth_);
    int64_t& expected = into_->dims[static_cast<size_t>(depth_ - 1)];
    if (expected == -1)
      expected = count;
    else if (expected != count)
      fail(ErrorCode::tensor_ragged, name_, depth_, expected, count);
    --depth_;
  }

  // `text`: the number as written, for the error message (integers are always finite).
  void number(double v, const std::string* text = nullptr) {
    if (!std::isfinite(v)) fail(ErrorCode::tensor_not_finite, name_, text ? excerpt(*text) : std::to_string(v));
    if (leaf_depth_ == -1) {
      if (static_cast<int>(counts_.size()) > depth_) fail(ErrorCode::tensor_mixed, name_, depth_);
      leaf_depth_ = depth_;
    } else if (depth_ != leaf_depth_) {
      fail(ErrorCode::tensor_mixed, name_, depth_);
    }
    ++counts_[static_cast<size_t>(depth_ - 1)];
    if (static_cast<int64_t>(into_->values.size()) >= max_values_)
      fail(ErrorCode::over_limit, "\"" + name_ + "\" (values)", "larger", max_values_);
    into_->values.push_back(v);
  }

  [[noreturn]] void not_a_number(const std::string& what) { fail(ErrorCode::tensor_not_number, name_, what); }

 private:
  std::string name_;
  NestedNumbers* into_;
  int64_t max_values_;
  int max_depth_;
  std::vector<int64_t> counts_;
  int depth_ = 0;
  int leaf_depth_ = -1;
  bool started_ = false;
};

// SAX handler for the top-level object: tensors go to a NestedListReader;
// every other key's value, capped in size and depth, into `params`.
class ScenarioSax : public nlohmann::json_sax<json> {
 public:
  explicit ScenarioSax(size_t text_size) : text_size_(text_size) {}

  json params = json::object();  // the scenario without input/kernel/bias
  NestedNumbers input, kernel, bias;
  bool saw_object = false;

  bool null() override {
    if (reader_) reader_->not_a_number("null");
    if (pending_ == "bias") {  // "bias": null is no bias
      pending_.clear();
      return true;
    }
    return scalar(json(nullptr), "null");
  }
  bool boolean(bool v) override {
    if (reader_) reader_->not_a_number(v ? "true" : "false");
    return scalar(json(v), v ? "true" : "false");
  }
  bool number_integer(number_integer_t v) override {
    if (reader_) return reader_->number(static_cast<double>(v)), true;
    return scalar(json(v), std::to_string(v));
  }
  bool number_unsigned(number_unsigned_t v) override {
    if (reader_) return reader_->number(static_cast<double>(v)), true;
    return scalar(json(v), std::to_string(v));
  }
  bool number_float(number_float_t v, const string_t& text) override {
    if (reader_) return reader_->number(v, &text), true;
    return scalar(json(v), text);
  }
  bool string(string_t& v) override {
    if (reader_) reader_->not_a_number("the string \"" + excerpt(v) + "\"");
    if (is_text_key(key_) && stack_.empty() && static_cast<int64_t>(v.size()) > limits::kMaxTextLength)
      fail(ErrorCode::not_text, key_, limits::kMaxTextLength, "a string of " + std::to_string(v.size()) + " bytes");
    // No parameter takes a long string: keep an excerpt, enough for the error it will cause.
    if (static_cast<int64_t>(v.size()) > limits::kMaxTextLength) v = truncated(v, 80);
    return scalar(json(std::move(v)), "a string");
  }
  bool binary(binary_t&) override { return false; }

  bool start_object(std::size_t) override {
    if (reader_) reader_->not_a_number("an object {...}");
    if (depth_ == 0) {  // the scenario itself
      saw_object = true;
      depth_ = 1;
      return true;
    }
    tensor_must_be_list("an object {...}");
    open(json::object());
    return true;
  }
  bool key(string_t& k) override {
    if (depth_ == 1 && stack_.empty()) {
      if (!is_known_key(k)) fail(ErrorCode::unknown_key, "\"" + excerpt(k) + "\"", kAllowedKeys);
      if (!seen_.insert(k).second) fail(ErrorCode::duplicate_key, k);
      key_ = k;
      if (is_tensor_key(k)) pending_ = k;
      return true;
    }
    inner_key_ = k;
    return true;
  }
  bool end_object() override {
    if (stack_.empty()) {  // the scenario ends
      depth_ = 0;
      return true;
    }
    close();
    return true;
  }
  bool start_array(std::size_t) override {
    if (depth_ == 0) fail(ErrorCode::json_not_object, "a list [...]");
    if (!reader_ && !pending_.empty()) begin_tensor();
    if (reader_) {
      reader_->start_list();
      return true;
    }
    open(json::array());
    return true;
  }
  bool end_array() override {
    if (reader_) {
      reader_->end_list();
      if (reader_->done()) reader_.reset();
      return true;
    }
    close();
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    // Drop nlohmann's "[json.exception.parse_error.101] " prefix; keep its line/column text.
    std::string what = ex.what();
    if (!what.empty() && what[0] == '[') {
      const auto close_bracket = what.find("] ");
      if (close_bracket != std::string::npos) what = what.substr(close_bracket + 2);
    }
    fail(ErrorCode::json_syntax, excerpt(what, 160));
  }

 private:
  void tensor_must_be_list(const std::string& got) {
    if (pending_.empty()) return;
    fail(ErrorCode::tensor_not_list, pending_, tensor_hint(pending_), got);
  }

  void begin_tensor() {
    NestedNumbers* into = pending_ == "input" ? &input : pending_ == "kernel" ? &kernel : &bias;
    into->present = true;
    const int64_t max_values = pending_ == "input"    ? limits::kMaxInputElements
                               : pending_ == "kernel" ? limits::kMaxKernelElements
                                                      : limits::kMaxChannels;
    // Reserve for the input from the text size (a number takes at least 2 bytes),
    // so that a large grid is read without repeated reallocation.
    if (pending_ == "input") into->values.reserve(std::min<size_t>(text_size_ / 2 + 1, static_cast<size_t>(max_values)));
    reader_.emplace(pending_, into, max_values);
    pending_.clear();
  }

  // One more number, string, list or object inside the current parameter.
  void count_one() {
    if (++numbers_ > limits::kMaxValueNumbers || static_cast<int>(stack_.size()) > limits::kMaxValueNesting)
      fail(ErrorCode::value_too_large, key_, limits::kMaxValueNumbers, limits::kMaxValueNesting, expectation(key_));
  }

  bool scalar(json v, const std::string& what) {
    if (depth_ == 0) fail(ErrorCode::json_not_object, excerpt(what));
    tensor_must_be_list(what);
    if (stack_.empty()) {  // a whole parameter
      if (is_text_key(key_) && !v.is_string())
        fail(ErrorCode::not_text, key_, limits::kMaxTextLength, value_text(v));
      params[key_] = std::move(v);
      return true;
    }
    count_one();
    add(std::move(v));
    return true;
  }

  void open(json container) {
    if (stack_.empty()) {
      if (is_text_key(key_)) fail(ErrorCode::not_text, key_, limits::kMaxTextLength, "a list or an object");
      numbers_ = 0;
      params[key_] = std::move(container);
      stack_.push_back(&params[key_]);
      return;
    }
    count_one();
    stack_.push_back(add(std::move(container)));
  }
  void close() { stack_.pop_back(); }

  json* add(json v) {
    json& top = *stack_.back();
    if (top.is_array()) {
      top.push_back(std::move(v));
      return &top.back();
    }
    top[inner_key_] = std::move(v);
    return &top[inner_key_];
  }

  size_t text_size_;
  int depth_ = 0;              // 1 inside the scenario object
  std::set<std::string> seen_;
  std::string key_;            // the top-level key whose value is being read
  std::string inner_key_;      // a key inside an object inside a parameter
  std::string pending_;        // a tensor key whose list has not started yet
  std::vector<json*> stack_;   // open containers of the current parameter
  int numbers_ = 0;            // values inside the current parameter
  std::optional<NestedListReader> reader_;
};

std::string choice_of(const json& obj, const char* key, std::initializer_list<const char*> allowed,
                      const char* fallback) {
  if (!obj.contains(key)) return fallback;
  const json& v = obj.at(key);
  std::string allowed_text;
  for (const char* a : allowed) allowed_text += std::string(allowed_text.empty() ? "" : " or ") + "\"" + a + "\"";
  if (!v.is_string()) fail(ErrorCode::bad_choice, key, allowed_text, value_text(v));
  for (const char* a : allowed)
    if (v.get<std::string>() == a) return a;
  fail(ErrorCode::bad_choice, key, allowed_text, value_text(v));
}

int64_t integer_of(const json& v, const char* key, const json& whole) {
  if (!v.is_number_integer()) fail(ErrorCode::not_integer, key, value_text(whole));
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(limits::kMaxParameter))
    fail(ErrorCode::too_big_param, key, value_text(v));
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
    fail(ErrorCode::not_integer_pair, key, names, value_text(v));
  return {integer_of(v[0], key, v), integer_of(v[1], key, v)};
}

void read_padding(const json& obj, Spec& spec) {
  const bool keras = spec.convention == Convention::keras;
  const bool gather = !is_transpose(spec.op);
  const char* allowed = keras    ? "\"valid\" or \"same\""
                        : gather ? "[ph, pw], [[top, bottom], [left, right]], \"valid\" or \"same\""
                                 : "[ph, pw] (two integers)";
  auto bad = [&](const json& v) {
    fail(ErrorCode::bad_padding, convention_title(spec.convention), op_name(spec.op), allowed, value_text(v));
  };
  if (!obj.contains("padding") || obj.at("padding").is_null()) {
    spec.padding = keras ? PaddingKind::valid : PaddingKind::explicit_pads;
    return;
  }
  const json& v = obj.at("padding");
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s == "valid" && (keras || gather)) {
      spec.padding = PaddingKind::valid;
      return;
    }
    if (s == "same" && (keras || gather)) {
      spec.padding = PaddingKind::same;
      return;
    }
    bad(v);
  }
  if (keras) bad(v);
  spec.padding = PaddingKind::explicit_pads;
  if (gather && v.is_array() && v.size() == 2 && v[0].is_array() && v[1].is_array()) {
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

// File layouts of the kernel, and which file axis holds ky, kx, in-channel, out-channel
// (depthwise: Keras' [kh][kw][C_in][M] reads as [kh][kw][1][C_in·M], so its last
// two axes are handled by kernel_from).
struct KernelAxes {
  int ky, kx, ci, co;
};
KernelAxes kernel_axes(Op op, KernelLayout layout) {
  const bool transpose = is_transpose(op);
  if (layout == KernelLayout::keras) return transpose ? KernelAxes{0, 1, 3, 2} : KernelAxes{0, 1, 2, 3};
  return transpose ? KernelAxes{2, 3, 0, 1} : KernelAxes{2, 3, 1, 0};
}

Kernel kernel_from(const NestedNumbers& n, Op op, KernelLayout layout, int64_t input_channels, bool grouped) {
  const std::string hint = kernel_layout_text(op, layout, grouped);
  if (!n.present) fail(ErrorCode::missing_key, "kernel", "a nested list " + hint);
  if (n.dims.size() != 4) fail(ErrorCode::tensor_rank, "kernel", 4, hint, n.dims.size());
  if (op == Op::depthwise_conv2d && layout == KernelLayout::keras) {
    // [kh][kw][C_in][M] is [kh][kw][1][C_in·M] value for value: filter c·M + m.
    if (n.dims[2] != input_channels)
      fail(ErrorCode::depthwise_kernel_channels, hint, "third axis", n.dims[2], input_channels);
    Kernel k(n.dims[0], n.dims[1], 1, n.dims[2] * n.dims[3]);
    k.values = n.values;
    return k;
  }
  if (op == Op::depthwise_conv2d) {  // PyTorch's (C_in·M, 1, kh, kw)
    if (n.dims[1] != 1) fail(ErrorCode::depthwise_kernel_channels, hint, "second axis (must be 1)", n.dims[1], input_channels);
    if (n.dims[0] % input_channels != 0)
      fail(ErrorCode::depthwise_kernel_channels, hint, "first axis (a multiple of C_in)", n.dims[0], input_channels);
  }
  const KernelAxes ax = kernel_axes(op, layout);
  Kernel k(n.dims[static_cast<size_t>(ax.ky)], n.dims[static_cast<size_t>(ax.kx)], n.dims[static_cast<size_t>(ax.ci)],
           n.dims[static_cast<size_t>(ax.co)]);
  int64_t stride[4];
  stride[3] = 1;
  for (int i = 2; i >= 0; --i) stride[i] = stride[i + 1] * n.dims[static_cast<size_t>(i + 1)];
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

[[noreturn]] void fail_read(const std::string& path, const std::string& why) {
  fail(ErrorCode::io_read, excerpt(path, 200), why);
}

// Reads from fd until EOF, at most max_bytes (one more byte means too large).
std::string read_all(int fd, const std::string& name, int64_t max_bytes) {
  std::string text;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n == 0) return text;
    if (n < 0) {
      if (errno == EINTR) continue;
      fail_read(name, std::strerror(errno));
    }
    if (static_cast<int64_t>(text.size()) + n > max_bytes) fail(ErrorCode::io_too_large, excerpt(name, 200), max_bytes);
    text.append(buf, static_cast<size_t>(n));
  }
}

}  // namespace

std::vector<int64_t> kernel_file_dims(const Scenario& s, KernelLayout layout) {
  const Kernel& k = s.kernel;
  if (s.spec.op == Op::depthwise_conv2d && layout == KernelLayout::keras)
    return {k.kh, k.kw, s.input.c, s.input.c > 0 ? k.out_channels / s.input.c : 0};
  const KernelAxes ax = kernel_axes(s.spec.op, layout);
  std::vector<int64_t> kdims(4);
  kdims[static_cast<size_t>(ax.ky)] = k.kh, kdims[static_cast<size_t>(ax.kx)] = k.kw;
  kdims[static_cast<size_t>(ax.ci)] = k.in_channels, kdims[static_cast<size_t>(ax.co)] = k.out_channels;
  return kdims;
}

std::string kernel_layout_text(Op op, KernelLayout layout, bool grouped) {
  if (op == Op::depthwise_conv2d) return layout == KernelLayout::keras ? "[kh][kw][C_in][M]" : "[C_in·M][1][kh][kw]";
  const std::string c = grouped ? "C_in/g" : "C_in", f = grouped ? "F/g" : "F";
  if (layout == KernelLayout::keras) return op == Op::conv2d ? "[kh][kw][" + c + "][F]" : "[kh][kw][" + f + "][C_in]";
  return op == Op::conv2d ? "[F][" + c + "][kh][kw] (OIHW)" : "[C_in][" + f + "][kh][kw]";
}

int64_t Scenario::filters() const {
  return is_transpose(spec.op) ? kernel.out_channels * spec.groups : kernel.out_channels;
}

Geometry Scenario::geometry() const { return validate(*this); }

void check_tensor_sizes(int64_t in_h, int64_t in_w, int64_t in_c, int64_t kh, int64_t kw, int64_t k_in, int64_t k_out) {
  if (in_h < 1 || in_w < 1 || in_c < 1) fail(ErrorCode::tensor_empty, "input", 1);
  if (kh < 1 || kw < 1 || k_in < 1 || k_out < 1) fail(ErrorCode::tensor_empty, "kernel", 1);
  if (in_h > limits::kMaxSide || in_w > limits::kMaxSide)
    fail(ErrorCode::over_limit, "the input size", std::to_string(in_h) + "×" + std::to_string(in_w),
         std::to_string(limits::kMaxSide) + " per side");
  if (in_c > limits::kMaxChannels) fail(ErrorCode::over_limit, "the input channel count", in_c, limits::kMaxChannels);
  const int64_t in_values = checked_mul({in_h, in_w, in_c}, "the input size (values)");
  if (in_values > limits::kMaxInputElements)
    fail(ErrorCode::over_limit, "the input size (values)", in_values, limits::kMaxInputElements);
  if (kh > limits::kMaxKernelSide || kw > limits::kMaxKernelSide)
    fail(ErrorCode::over_limit, "the kernel size", std::to_string(kh) + "×" + std::to_string(kw),
         std::to_string(limits::kMaxKernelSide) + " per side");
  if (k_in > limits::kMaxChannels || k_out > limits::kMaxChannels)
    fail(ErrorCode::over_limit, "a kernel channel count", std::max(k_in, k_out), limits::kMaxChannels);
  const int64_t k_values = checked_mul({kh, kw, k_in, k_out}, "the kernel size (values)");
  if (k_values > limits::kMaxKernelElements)
    fail(ErrorCode::over_limit, "the kernel size (values)", k_values, limits::kMaxKernelElements);
}

Geometry validate(const Scenario& s) {
  const Tensor& in = s.input;
  const Kernel& k = s.kernel;
  check_tensor_sizes(in.h, in.w, in.c, k.kh, k.kw, k.in_channels, k.out_channels);
  const int64_t in_values = in.h * in.w * in.c, k_values = k.kh * k.kw * k.in_channels * k.out_channels;
  // The flat buffers must hold what the shapes say (a scenario built in code could get this wrong).
  if (static_cast<int64_t>(in.values.size()) != in_values || static_cast<int64_t>(k.values.size()) != k_values)
    fail(ErrorCode::usage, "internal: a tensor's values do not match its shape");

  check_spec(s.spec);
  const int64_t groups = groups_of(s.spec, in.c);
  const bool transpose = is_transpose(s.spec.op);
  // The kernel's channel axes as one group sees them (tensor.h).
  const int64_t kernel_in = transpose ? k.in_channels : checked_mul(k.in_channels, groups, "C_in");
  const int64_t filters = transpose ? checked_mul(k.out_channels, groups, "F") : k.out_channels;
  if (s.spec.op == Op::depthwise_conv2d && k.in_channels != 1)
    fail(ErrorCode::depthwise_kernel_channels, kernel_layout_text(s.spec.op, s.kernel_layout), "in-channel axis",
         k.in_channels, in.c);
  if (kernel_in != in.c) {
    std::string detail = "kernel " + kernel_layout_text(s.spec.op, s.kernel_layout, groups > 1) + " is " + kernel_shape_text(s);
    if (groups > 1) detail += ", groups " + std::to_string(groups);
    fail(ErrorCode::channel_mismatch, kernel_in, in.c, detail);
  }
  if (filters > limits::kMaxChannels) fail(ErrorCode::over_limit, "the filter count", filters, limits::kMaxChannels);
  if (s.bias && static_cast<int64_t>(s.bias->size()) != filters) fail(ErrorCode::bias_length, filters, s.bias->size());

  const Geometry g = geometry_for(s.spec, in.h, in.w, k.kh, k.kw, in.c, filters);
  for (int a = 0; a < 2; ++a)
    if (g.axes[a].out > limits::kMaxSide)
      fail(ErrorCode::over_limit, std::string("the output ") + axis_name(a), g.axes[a].out, limits::kMaxSide);
  const int64_t out_values = checked_mul({g.out_h(), g.out_w(), g.out_channels}, "the output size (values)");
  if (out_values > limits::kMaxOutputElements)
    fail(ErrorCode::over_limit, "the output size (values)", out_values, limits::kMaxOutputElements);
  // Both orders' step counts fit in 64 bits (StepCoder checks as it multiplies).
  StepCoder(g, in.h, in.w, TraceOrder::gather, s.bias.has_value());
  if (transpose) StepCoder(g, in.h, in.w, TraceOrder::scatter, s.bias.has_value());
  return g;
}

int64_t full_compute_macs(const Scenario& s, const Geometry& g) {
  // The trace's mac/scatter steps: what the direct loops multiply (cropped scatters included).
  if (is_transpose(g.op)) return checked_mul({s.input.h, s.input.w, s.input.c, s.kernel.kh, s.kernel.kw, g.out_per_group()}, "the work");
  return checked_mul({g.out_h(), g.out_w(), g.out_channels, s.kernel.kh, s.kernel.kw, g.in_per_group()}, "the work");
}

void check_full_compute(const Scenario& s, const Geometry& g) {
  const int64_t macs = full_compute_macs(s, g);
  if (macs > limits::kMaxFullComputeMacs) fail(ErrorCode::work_over_limit, macs, limits::kMaxFullComputeMacs);
}

Scenario parse_scenario(std::string_view text) {
  if (static_cast<int64_t>(text.size()) > limits::kMaxScenarioBytes)
    fail(ErrorCode::io_too_large, "the scenario", limits::kMaxScenarioBytes);
  ScenarioSax sax(text.size());
  json::sax_parse(text.begin(), text.end(), &sax);
  if (!sax.saw_object) fail(ErrorCode::json_not_object, "nothing");
  const json& obj = sax.params;

  Scenario s;
  if (!obj.contains("op")) fail(ErrorCode::missing_key, "op", "\"conv2d\", \"conv2d_transpose\" or \"depthwise_conv2d\"");
  const std::string op = choice_of(obj, "op", {"conv2d", "conv2d_transpose", "depthwise_conv2d"}, "");
  s.spec.op = op == "conv2d_transpose" ? Op::conv2d_transpose : op == "depthwise_conv2d" ? Op::depthwise_conv2d : Op::conv2d;
  s.spec.convention =
      choice_of(obj, "convention", {"keras", "pytorch"}, "keras") == std::string("pytorch") ? Convention::pytorch
                                                                                            : Convention::keras;
  s.input_layout = choice_of(obj, "input_layout", {"hwc", "chw"}, "hwc") == std::string("chw") ? InputLayout::chw
                                                                                                : InputLayout::hwc;
  s.kernel_layout = choice_of(obj, "kernel_layout", {"keras", "torch"}, "keras") == std::string("torch")
                        ? KernelLayout::torch
                        : KernelLayout::keras;
  if (obj.contains("name")) s.name = obj["name"].get<std::string>();
  if (obj.contains("description")) s.description = obj["description"].get<std::string>();
  if (obj.contains("strides")) s.spec.strides = pair_of(obj["strides"], "strides", "sh, sw");
  if (obj.contains("dilation")) s.spec.dilation = pair_of(obj["dilation"], "dilation", "dh, dw");
  read_padding(obj, s.spec);
  if (obj.contains("output_padding") && !obj["output_padding"].is_null())
    s.spec.output_padding = pair_of(obj["output_padding"], "output_padding", "oh, ow");
  if (obj.contains("groups")) {
    const json& v = obj["groups"];
    if (s.spec.op == Op::depthwise_conv2d) fail(ErrorCode::groups_on_depthwise, value_text(v));
    if (!v.is_number()) fail(ErrorCode::not_integer, "groups", value_text(v));
    s.spec.groups = integer_of(v, "groups", v);
  }
  check_spec(s.spec);

  s.input = input_from(sax.input, s.input_layout);
  s.kernel = kernel_from(sax.kernel, s.spec.op, s.kernel_layout, s.input.c, s.spec.groups > 1);
  if (sax.bias.present) {
    if (sax.bias.dims.size() != 1) fail(ErrorCode::tensor_rank, "bias", 1, "one value per filter", sax.bias.dims.size());
    s.bias = std::move(sax.bias.values);
  }
  validate(s);
  return s;
}

std::string read_text_file(const std::string& path, int64_t max_bytes) {
  if (path == "-") return read_all(STDIN_FILENO, "standard input", max_bytes);
  if (path.empty()) fail_read("\"\"", "no file name given");
  // O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then says what it is.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) fail_read(path, std::strerror(errno));
  struct Closer {
    int fd;
    ~Closer() { ::close(fd); }
  } closer{fd};
  struct stat st {};
  if (::fstat(fd, &st) != 0) fail_read(path, std::strerror(errno));
  if (S_ISDIR(st.st_mode)) fail_read(path, "it is a folder, not a scenario file");
  if (S_ISFIFO(st.st_mode)) fail_read(path, "it is a pipe (FIFO), not a regular file (use - to read standard input)");
  if (S_ISCHR(st.st_mode) || S_ISBLK(st.st_mode)) fail_read(path, "it is a device, not a regular file");
  if (!S_ISREG(st.st_mode)) fail_read(path, "it is not a regular file");
  if (st.st_size > max_bytes) fail(ErrorCode::io_too_large, excerpt(path, 200), max_bytes);
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return read_all(fd, path, max_bytes);
}

Scenario load_scenario(const std::string& path) { return parse_scenario(read_text_file(path)); }

namespace {
std::vector<int64_t> input_dims(const Scenario& s, int64_t h, int64_t w, int64_t c) {
  return s.input_layout == InputLayout::hwc ? std::vector<int64_t>{h, w, c} : std::vector<int64_t>{c, h, w};
}
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
  if (!s.name.empty()) field("name", json(s.name).dump(-1, ' ', false, json::error_handler_t::replace));
  if (!s.description.empty()) field("description", json(s.description).dump(-1, ' ', false, json::error_handler_t::replace));
  field("op", json(op_name(s.spec.op)).dump());
  field("convention", json(convention_name(s.spec.convention)).dump());
  if (s.input_layout == InputLayout::chw) field("input_layout", "\"chw\"");
  if (s.kernel_layout == KernelLayout::torch) field("kernel_layout", "\"torch\"");
  if (s.spec.groups != 1) field("groups", std::to_string(s.spec.groups));
  field("strides", pair_json(s.spec.strides));
  if (s.spec.padding == PaddingKind::explicit_pads) {
    field("padding", s.spec.pads_per_side ? "[" + pair_json({s.spec.pad_before[0], s.spec.pad_after[0]}) + ", " +
                                                pair_json({s.spec.pad_before[1], s.spec.pad_after[1]}) + "]"
                                          : pair_json(s.spec.pad_before));
  } else {
    field("padding", json(padding_kind_name(s.spec.padding)).dump());
  }
  field("dilation", pair_json(s.spec.dilation));
  if (is_transpose(s.spec.op)) field("output_padding", s.spec.output_padding ? pair_json(*s.spec.output_padding) : "null");
  if (s.bias) {
    std::string b;
    append_nested(b, {static_cast<int64_t>(s.bias->size())}, [&](int64_t i) { return (*s.bias)[static_cast<size_t>(i)]; },
                  -1, "");
    field("bias", b);
  }
  std::string in;
  append_nested(in, input_dims(s, s.input.h, s.input.w, s.input.c), grid_value_in_layout(s, s.input),
                pretty ? 1 : -1, ind + "          ");
  field("input", in);
  // The kernel in its file layout.
  const std::vector<int64_t> kdims = kernel_file_dims(s, s.kernel_layout);
  std::string k;
  if (s.spec.op == Op::depthwise_conv2d && s.kernel_layout == KernelLayout::keras) {
    append_nested(k, kdims, [&](int64_t i) { return s.kernel.values[static_cast<size_t>(i)]; }, pretty ? 1 : -1,
                  ind + "           ");
  } else {
    const KernelAxes ax = kernel_axes(s.spec.op, s.kernel_layout);
    append_nested(
        k, kdims,
        [&](int64_t i) {
          int64_t idx[4];
          for (int a = 3; a >= 0; --a) idx[a] = i % kdims[static_cast<size_t>(a)], i /= kdims[static_cast<size_t>(a)];
          return s.kernel.at(idx[ax.ky], idx[ax.kx], idx[ax.ci], idx[ax.co]);
        },
        pretty ? 1 : -1, ind + "           ");
  }
  out += ind + "\"kernel\": " + k + nl + "}" + nl;
  return out;
}

std::string output_to_json(const Scenario& s, const Tensor& output) {
  const std::vector<int64_t> dims = input_dims(s, output.h, output.w, output.c);
  std::string out = "{\"output_shape\": [" + std::to_string(dims[0]) + ", " + std::to_string(dims[1]) + ", " +
                    std::to_string(dims[2]) + "], \"output\": ";
  out.reserve(static_cast<size_t>(output.size()) * 6 + 64);
  append_nested(out, dims, grid_value_in_layout(s, output), -1, "");
  out += "}";
  return out;
}

std::string input_shape_text(const Scenario& s) { return input_shape_text(s, s.input_layout); }

std::string input_shape_text(const Scenario& s, InputLayout layout) {
  const Tensor& t = s.input;
  return layout == InputLayout::hwc ? dims_text({t.h, t.w, t.c}) + " (H×W×C)" : dims_text({t.c, t.h, t.w}) + " (C×H×W)";
}

std::string kernel_shape_text(const Scenario& s) { return kernel_shape_text(s, s.kernel_layout); }

std::string kernel_shape_text(const Scenario& s, KernelLayout layout) {
  return dims_text(kernel_file_dims(s, layout)) + " " + kernel_layout_text(s.spec.op, layout, s.spec.groups > 1);
}

std::string output_shape_text(const Scenario& s, const Geometry& g) { return output_shape_text(s, g, s.input_layout); }

std::string output_shape_text(const Scenario&, const Geometry& g, InputLayout layout) {
  return layout == InputLayout::hwc ? dims_text({g.out_h(), g.out_w(), g.out_channels}) + " (H×W×F)"
                                    : dims_text({g.out_channels, g.out_h(), g.out_w()}) + " (F×H×W)";
}

}  // namespace core
