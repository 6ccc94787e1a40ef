// hover.h — what the pointer (or a pin, or `export --hover`) points at, and
// the cells that are linked to it: the hover links of a pane.
//
//   model::HoverTarget t{model::HoverKind::output, 0, {1, 1, 0}};
//   model::HoverLinks l = model::hover_links(pane, t);   // cells to light, "9 inputs, 9 weights, 2 are padding"
//   auto t2 = model::parse_hover("kernel:1,1", pane, &why);  // the CLI's --hover
//
// The links come from core::visit_*_links (core/links.h): nothing here knows
// the coordinate maps. hover_links visits at most kMaxHoverLinks products (a
// kernel tap of a huge grid takes part in millions); past that the cells stop
// and `truncated` says so, while the counts still cover every product. Called
// only when the target changes (App keeps the last result), so hovering costs
// nothing per frame. No GL, no ImGui.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.h"

namespace model {

class Pane;

enum class HoverKind { none, output, input, kernel };
const char* hover_kind_name(HoverKind k);  // "none", "out", "in", "kernel"

struct HoverTarget {
  HoverKind kind = HoverKind::none;
  int pane = 0;
  // output: (y, x, filter); input: (y, x, channel); kernel: (ky, kx, input channel)
  // with the filter in `filter`.
  core::Cell cell;
  int64_t filter = 0;
  bool operator==(const HoverTarget& o) const {
    return kind == o.kind && (kind == HoverKind::none || (pane == o.pane && cell == o.cell && filter == o.filter));
  }
  bool operator!=(const HoverTarget& o) const { return !(*this == o); }
};

constexpr int64_t kMaxHoverLinks = int64_t{1} << 18;

struct HoverLinks {
  HoverTarget target;
  // The cells lit, with their channel (input channel / filter); inputs of a
  // convolution are signed (outside the input on padding), outputs of a
  // transpose may lie on its crop margin.
  std::vector<core::Cell> inputs, outputs;
  std::vector<std::array<int64_t, 3>> taps;  // (ky, kx, input channel); the filter is the target's or the output's
  int64_t products = 0, padding = 0, cropped = 0;
  bool truncated = false;  // the cells stop at kMaxHoverLinks products
  std::string summary;     // "9 inputs, 9 weights, 2 are padding"
};

// Throws nothing; an out-of-range target gives empty links and a summary saying so.
HoverLinks hover_links(const Pane& p, const HoverTarget& t);
// The line the canvas writes while hovering: the cell, then the summary
// ("y[0,1]: 9 inputs, 9 weights, 3 are padding"; a kernel tap's summary names it).
std::string hover_caption(const HoverLinks& l);

// The window's hover: the target under the pointer, or a pinned one (key P),
// and its links, recomputed only when the target or the pane's trace changes.
struct HoverState {
  HoverTarget target;
  bool pinned = false;  // the target stays when the pointer moves (screenshots, exports)
  // Brings `links` up to date with the target and the panes (cheap when nothing changed).
  void refresh(const std::vector<Pane>& panes);
  // The links last computed (null when nothing is hovered).
  std::shared_ptr<const HoverLinks> links;

 private:
  HoverTarget computed_for_;
  std::shared_ptr<const void> trace_;  // the trace they were computed on
};

// "out:y,x[,c]", "in:y,x[,c]", "kernel:y,x[,c]" (c: the channel / filter; for
// kernel the input channel, the filter on view being the pane's shown filter).
// nullopt and `error` set when the text or the cell is not one of the pane's.
std::optional<HoverTarget> parse_hover(const std::string& text, const Pane& p, std::string* error);
// The same text back ("out:1,1,0").
std::string hover_text(const HoverTarget& t);

}  // namespace model
