#include "app/model/hover.h"

#include <cstdio>
#include <sstream>

#include "app/model/pane.h"
#include "core/links.h"

namespace model {

const char* hover_kind_name(HoverKind k) {
  switch (k) {
    case HoverKind::none: return "none";
    case HoverKind::output: return "out";
    case HoverKind::input: return "in";
    case HoverKind::kernel: return "kernel";
  }
  return "?";
}

namespace {

std::string plural(int64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

bool target_inside(const Pane& p, const HoverTarget& t) {
  const core::Scenario& s = p.scenario();
  const core::Geometry& g = p.geometry();
  const core::Cell& c = t.cell;
  switch (t.kind) {
    case HoverKind::none: return false;
    case HoverKind::output: return c.y >= 0 && c.x >= 0 && c.y < g.out_h() && c.x < g.out_w() && c.c >= 0 && c.c < g.out_channels;
    case HoverKind::input: return s.input.contains(c.y, c.x) && c.c >= 0 && c.c < s.input.c;
    case HoverKind::kernel:
      return c.y >= 0 && c.x >= 0 && c.y < s.kernel.kh && c.x < s.kernel.kw && c.c >= 0 && c.c < g.in_channels &&
             t.filter >= 0 && t.filter < g.out_channels;
  }
  return false;
}

}  // namespace

HoverLinks hover_links(const Pane& p, const HoverTarget& t) {
  HoverLinks l;
  l.target = t;
  if (!target_inside(p, t)) {
    if (t.kind != HoverKind::none) l.summary = "outside the grid";
    return l;
  }
  const core::Trace& trace = p.trace();
  const bool transpose = core::is_transpose(p.geometry().op);
  auto keep = [&](const core::Link& k) {
    ++l.products;
    l.padding += k.padding;
    l.cropped += k.cropped;
    if (l.products > kMaxHoverLinks) {
      l.truncated = true;
      return true;  // keep counting, stop collecting
    }
    l.inputs.push_back(k.input);
    l.outputs.push_back(k.output);
    l.taps.push_back({k.tap[0], k.tap[1], k.input.c});
    return true;
  };
  std::ostringstream text;
  switch (t.kind) {
    case HoverKind::output:
      core::visit_output_links(trace, t.cell, keep);
      if (transpose) {
        text << plural(l.products, "stamp lands", "stamps land") << " here (" << plural(l.products, "input", "inputs")
             << ", " << plural(l.products, "weight", "weights") << ")";
      } else {
        text << plural(l.products, "input", "inputs") << ", " << plural(l.products, "weight", "weights");
        if (l.padding) text << ", " << l.padding << (l.padding == 1 ? " is" : " are") << " padding";
      }
      break;
    case HoverKind::input:
      core::visit_input_links(trace, t.cell, keep);
      if (transpose) {
        text << "stamps " << plural(l.products, "output cell", "output cells");
        if (l.cropped) text << ", " << l.cropped << " cropped";
      } else {
        text << "read by " << plural(l.products, "window", "windows") << " (" << plural(l.products, "product", "products")
             << ")";
      }
      break;
    case HoverKind::kernel:
      core::visit_tap_links(trace, t.cell.y, t.cell.x, t.cell.c, t.filter, keep);
      text << "w[" << t.cell.y << "," << t.cell.x << "] takes part in " << plural(l.products, "product", "products")
           << (transpose ? " (one stamp per input cell)" : " (one per output cell)");
      if (l.padding) text << ", " << l.padding << " on padding";
      if (l.cropped) text << ", " << l.cropped << " cropped";
      if (l.products == 0) text << ": its channel is not in this filter's group";
      break;
    case HoverKind::none: break;
  }
  l.summary = text.str();
  return l;
}

std::string hover_caption(const HoverLinks& l) {
  const core::Cell& c = l.target.cell;
  const std::string at = "[" + std::to_string(c.y) + "," + std::to_string(c.x) + "]";
  std::string line;
  if (l.target.kind == HoverKind::output) line = "y" + at + ": ";
  if (l.target.kind == HoverKind::input) line = "x" + at + ": ";
  line += l.summary;
  if (l.truncated) line += " (the first " + std::to_string(l.inputs.size()) + " lit)";
  return line;
}

void HoverState::refresh(const std::vector<Pane>& panes) {
  if (target.kind == HoverKind::none || target.pane < 0 || target.pane >= static_cast<int>(panes.size())) {
    links.reset();
    trace_.reset();
    computed_for_ = HoverTarget{};
    return;
  }
  const Pane& p = panes[static_cast<size_t>(target.pane)];
  if (links && computed_for_ == target && trace_ == p.trace_ptr()) return;
  links = std::make_shared<const HoverLinks>(hover_links(p, target));
  computed_for_ = target;
  trace_ = p.trace_ptr();
}

std::optional<HoverTarget> parse_hover(const std::string& text, const Pane& p, std::string* error) {
  auto fail = [&](const std::string& why) -> std::optional<HoverTarget> {
    if (error) *error = why;
    return std::nullopt;
  };
  const size_t colon = text.find(':');
  if (colon == std::string::npos) return fail("--hover wants out:y,x[,c], in:y,x[,c] or kernel:y,x[,c], got \"" + text + "\"");
  const std::string kind = text.substr(0, colon), rest = text.substr(colon + 1);
  HoverTarget t;
  if (kind == "out") t.kind = HoverKind::output;
  else if (kind == "in") t.kind = HoverKind::input;
  else if (kind == "kernel") t.kind = HoverKind::kernel;
  else return fail("--hover: \"" + kind + "\" must be out, in or kernel");
  long long v[3] = {0, 0, -1};
  char tail = 0;
  const bool plain = !rest.empty() && rest.find_first_not_of("0123456789,-") == std::string::npos;
  const int n = plain ? std::sscanf(rest.c_str(), "%lld,%lld,%lld%c", &v[0], &v[1], &v[2], &tail) : 0;
  if (n < 2 || n > 3) return fail("--hover: \"" + rest + "\" must be y,x or y,x,c (whole numbers)");
  t.cell = {v[0], v[1], n == 3 ? v[2] : (t.kind == HoverKind::output ? p.shown_filter() : p.shown_channel())};
  t.filter = p.shown_filter();
  if (!target_inside(p, t)) return fail("--hover: " + text + " is outside the pane's grids");
  return t;
}

std::string hover_text(const HoverTarget& t) {
  if (t.kind == HoverKind::none) return "none";
  return std::string(hover_kind_name(t.kind)) + ":" + std::to_string(t.cell.y) + "," + std::to_string(t.cell.x) + "," +
         std::to_string(t.cell.c);
}

}  // namespace model
