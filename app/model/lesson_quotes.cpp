#include "app/model/lesson_quotes.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

#include "core/format.h"
#include "core/scenario.h"

namespace model {

namespace {

// An expression taken apart: pane, name, and the [index] if there is one.
struct Expression {
  size_t pane = 0;
  std::string name;
  std::optional<std::vector<int64_t>> index;
};

bool parse_int(std::string_view text, int64_t& out) {
  if (text.empty()) return false;
  const char* end = text.data() + text.size();
  const auto res = std::from_chars(text.data(), end, out);
  return res.ec == std::errc() && res.ptr == end;
}

Expression parse(const std::string& placeholder, std::string_view text) {
  std::string e;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) e += c;
  Expression ex;
  // "p1." picks a pane; "pad.top" is not one (no digits after the p).
  if (e.size() > 2 && e[0] == 'p' && std::isdigit(static_cast<unsigned char>(e[1]))) {
    const size_t dot = e.find('.');
    int64_t pane = 0;
    if (dot == std::string::npos || !parse_int(std::string_view(e).substr(1, dot - 1), pane) || pane > 99)
      throw QuoteError(placeholder, "a pane is named p0, p1, … followed by a dot, as in p1.out.shape");
    ex.pane = static_cast<size_t>(pane);
    e.erase(0, dot + 1);
  }
  const size_t open = e.find('[');
  if (open == std::string::npos) {
    ex.name = e;
    return ex;
  }
  if (e.back() != ']') throw QuoteError(placeholder, "an index ends with ] and nothing after it");
  ex.name = e.substr(0, open);
  std::vector<int64_t> index;
  std::string_view list = std::string_view(e).substr(open + 1, e.size() - open - 2);
  while (true) {
    const size_t comma = list.find(',');
    int64_t v = 0;
    if (!parse_int(list.substr(0, comma), v) || index.size() == 4)
      throw QuoteError(placeholder, "an index is up to four whole numbers separated by commas, as in y[1,0]");
    index.push_back(v);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
  ex.index = index;
  return ex;
}

Quoted number(double v) {
  Quoted q;
  q.number = v;
  return q;
}

Quoted shape(std::vector<int64_t> shown, std::vector<int64_t> full) {
  Quoted q;
  q.kind = Quoted::Kind::shape;
  q.shape = std::move(shown);
  q.full_shape = std::move(full);
  return q;
}

// A grid's shape in the file's layout; its channel axis left out when it is 1.
Quoted grid_shape(const core::Scenario& s, int64_t h, int64_t w, int64_t c) {
  const bool chw = s.input_layout == core::InputLayout::chw;
  std::vector<int64_t> full = chw ? std::vector<int64_t>{c, h, w} : std::vector<int64_t>{h, w, c};
  return shape(c == 1 ? std::vector<int64_t>{h, w} : full, full);
}

std::string cell_text(const std::string& name, const std::vector<int64_t>& index) {
  std::string t = name + "[";
  for (size_t i = 0; i < index.size(); ++i) t += (i ? "," : "") + std::to_string(index[i]);
  return t + "]";
}

class Resolver {
 public:
  Resolver(std::string placeholder, const QuoteContext& ctx) : placeholder_(std::move(placeholder)), ctx_(ctx) {}

  Quoted resolve(const Expression& ex) const {
    if (ex.pane >= ctx_.panes.size())
      fail("there is no pane " + std::to_string(ex.pane) + " on this slide (it has " +
           std::to_string(ctx_.panes.size()) + ", numbered from 0)");
    const Pane& p = *ctx_.panes[ex.pane];
    if (ex.index) return cell(p, ex.name, *ex.index);
    return named(p, ex.name);
  }

 private:
  [[noreturn]] void fail(const std::string& why) const { throw QuoteError(placeholder_, why); }

  Quoted named(const Pane& p, const std::string& name) const {
    const core::Scenario& s = p.scenario();
    const core::Geometry& g = p.geometry();
    const bool transpose = core::is_transpose(g.op);
    if (name == "out.shape") return grid_shape(s, g.out_h(), g.out_w(), g.out_channels);
    if (name == "in.shape") return grid_shape(s, s.input.h, s.input.w, s.input.c);
    if (name == "kernel.shape") {
      std::vector<int64_t> full = core::kernel_file_dims(s, s.kernel_layout);
      const bool single = s.input.c == 1 && g.out_channels == 1;
      return shape(single ? std::vector<int64_t>{s.kernel.kh, s.kernel.kw} : full, full);
    }
    if (name == "out.h") return number(static_cast<double>(g.out_h()));
    if (name == "out.w") return number(static_cast<double>(g.out_w()));
    if (name == "out.c") return number(static_cast<double>(g.out_channels));
    if (name == "in.h") return number(static_cast<double>(s.input.h));
    if (name == "in.w") return number(static_cast<double>(s.input.w));
    if (name == "in.c") return number(static_cast<double>(s.input.c));
    if (name == "kernel.h") return number(static_cast<double>(s.kernel.kh));
    if (name == "kernel.w") return number(static_cast<double>(s.kernel.kw));
    if (name == "kernel.weights") return number(static_cast<double>(s.kernel.size()));
    if (name == "kernel.per_filter")
      return number(static_cast<double>(s.kernel.kh * s.kernel.kw * g.in_per_group()));
    if (name == "steps") return number(static_cast<double>(p.trace().count()));
    for (int axis = 0; axis < 2; ++axis) {
      const std::string suffix = axis == 0 ? ".h" : ".w";
      const core::AxisGeometry& a = g.axes[static_cast<size_t>(axis)];
      if (name == "stride" + suffix) return number(static_cast<double>(a.stride));
      if (name == "dilation" + suffix) return number(static_cast<double>(a.dilation));
      if (name == "span" + suffix) return number(static_cast<double>(a.dilated_kernel));
    }
    for (const char* side : {"top", "bottom", "left", "right"}) {
      const std::string sd = side;
      const int axis = sd == "top" || sd == "bottom" ? 0 : 1;
      const bool before = sd == "top" || sd == "left";
      const core::AxisGeometry& a = g.axes[static_cast<size_t>(axis)];
      if (name == "pad." + sd) {
        if (transpose) fail("pad." + sd + " is a convolution's padding; a transposed convolution crops: crop." + sd);
        return number(static_cast<double>(before ? a.pad_before : a.pad_after));
      }
      if (name == "crop." + sd) {
        if (!transpose) fail("crop." + sd + " is a transposed convolution's crop; a convolution pads: pad." + sd);
        return number(static_cast<double>(before ? a.crop_before : a.crop_after));
      }
    }
    fail("unknown name \"" + name +
         "\" (known: out.shape, in.shape, kernel.shape, out.h, out.w, out.c, in.h, in.w, in.c, kernel.h, kernel.w, "
         "kernel.weights, kernel.per_filter, steps, stride.h, stride.w, dilation.h, dilation.w, span.h, span.w, pad.*, "
         "crop.*, y[…], x[…], w[…], b[…])");
  }

  void check_inside(const std::string& what, const std::vector<int64_t>& index, const std::vector<int64_t>& extent,
                    const std::string& grid) const {
    for (size_t i = 0; i < index.size(); ++i)
      if (index[i] < 0 || index[i] >= extent[i])
        fail(cell_text(what, index) + " is outside the " + grid + " (" + shape_text(extent) + ")");
  }

  Quoted cell(const Pane& p, const std::string& name, const std::vector<int64_t>& index) const {
    const core::Scenario& s = p.scenario();
    const core::Geometry& g = p.geometry();
    const auto at = [&index](size_t i) { return i < index.size() ? index[i] : 0; };
    if (name == "y" || name == "x") {
      if (index.size() < 2 || index.size() > 3)
        fail(name + " takes [row, column] or [row, column, channel], got " + cell_text(name, index));
      const bool out = name == "y";
      const std::vector<int64_t> extent =
          out ? std::vector<int64_t>{g.out_h(), g.out_w(), g.out_channels} : std::vector<int64_t>{s.input.h, s.input.w, s.input.c};
      check_inside(name, index, extent, out ? "output" : "input");
      const core::Cell c{at(0), at(1), at(2)};
      if (!out) return number(s.input.at(c.y, c.x, c.c));
      if (ctx_.step < 0)
        fail("the slide shows step -1, before any step, where every output cell is still 0: quote " + name +
             "[…] on a slide that shows or plays to a later step");
      const int64_t step = std::min(ctx_.step, p.last_step());
      return number(p.trace().value_after(c, step));
    }
    if (name == "w") {
      if (index.size() != 2 && index.size() != 4)
        fail("w takes [row, column] or [row, column, input channel, filter], got " + cell_text(name, index));
      check_inside(name, index, {s.kernel.kh, s.kernel.kw, g.in_channels, g.out_channels}, "kernel taps × channels × filters");
      const int64_t c = at(2), f = at(3);
      if (g.group_of_input_channel(c) != g.group_of_filter(f))
        fail(cell_text(name, index) + ": input channel " + std::to_string(c) + " and filter " + std::to_string(f) +
             " are in different groups, so no weight joins them");
      return number(p.trace().weight(at(0), at(1), c, f));
    }
    if (name == "b") {
      if (index.size() != 1) fail("b takes [filter], got " + cell_text(name, index));
      if (!s.bias) fail("this pane has no bias");
      check_inside(name, index, {g.out_channels}, "bias");
      return number((*s.bias)[static_cast<size_t>(index[0])]);
    }
    fail("unknown grid \"" + name + "\" (known: y, x, w, b)");
  }

  std::string placeholder_;
  const QuoteContext& ctx_;
};

}  // namespace

std::string shape_text(const std::vector<int64_t>& dims) {
  std::string t;
  for (size_t i = 0; i < dims.size(); ++i) t += (i ? "×" : "") + std::to_string(dims[i]);
  return t;
}

std::string Quoted::text() const { return kind == Kind::shape ? shape_text(shape) : core::format_number(number); }

Quoted quote(std::string_view expression, const QuoteContext& ctx) {
  const std::string placeholder = "{" + std::string(expression) + "}";
  return Resolver(placeholder, ctx).resolve(parse(placeholder, expression));
}

std::string fill_quotes(std::string_view text, const QuoteContext& ctx) {
  std::string out;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {  // {{ and }}
      out += c;
      ++i;
      continue;
    }
    if (c != '{') {
      out += c;
      continue;
    }
    const size_t close = text.find('}', i + 1);
    const size_t reopen = text.find('{', i + 1);
    if (close == std::string_view::npos || reopen < close)
      throw QuoteError(std::string(text.substr(i, std::min<size_t>(text.size() - i, 24))),
                       "the brace is never closed (write {{ for a brace of its own)");
    const std::string_view inner = text.substr(i + 1, close - i - 1);
    if (inner.find_first_not_of(" \t") == std::string_view::npos) throw QuoteError("{}", "the placeholder is empty");
    out += quote(inner, ctx).text();
    i = close;
  }
  return out;
}

}  // namespace model
