// links.h — what a cell is connected to: the hover links and the coverage maps
// a teacher shows.
//
//   core::visit_output_links(trace, {1, 1, 0}, [](const core::Link& l) { … });  // its window / the stamps it gets
//   core::visit_input_links(trace, {0, 0, 0}, …);   // every output it feeds (conv) or stamps (transpose)
//   core::visit_tap_links(trace, 1, 1, 0, 0, …);    // every product weight w[1,1] (c 0, f 0) takes part in
//   core::Coverage m = core::coverage(scenario, 0, 0);  // taps landing per cell, and what that means
//
// A link is one product a·w of the trace: an input position, a kernel tap, an
// output cell. Channels follow the groups (a filter reads its group's channels
// only). The coordinate maps are geometry.h's; nothing here re-derives them.
// Every visit is bounded by the kernel (one cell's links) or by the grid
// (a tap's links: one per output cell or per input cell) — callers that draw
// may stop early by returning false from the callback.
#pragma once

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/trace.h"

namespace core {

struct Link {
  // Convolution: the input coordinate the tap reads (outside the input on padding).
  // Transposed convolution: the input cell that stamps.
  Cell input;
  bool padding = false;  // a convolution's tap on padding (a = 0)
  std::array<int64_t, 2> tap{0, 0};  // (ky, kx) of the kernel as the file has it
  Cell output;           // may lie outside the output for a cropped stamp
  bool cropped = false;  // a transposed convolution's stamp outside the output
};

// Return false to stop visiting.
using LinkVisitor = std::function<bool(const Link&)>;

// The products summed into output cell `out`: a convolution's window (taps on
// padding included, flagged); a transposed convolution's stamps that land there.
void visit_output_links(const Trace& trace, const Cell& out, const LinkVisitor& visit);
// The products input cell `in` takes part in: the outputs whose windows read it
// (convolution), or its stamp (transposed convolution, cropped taps flagged).
void visit_input_links(const Trace& trace, const Cell& in, const LinkVisitor& visit);
// The products weight (ky, kx) between input channel c and filter f takes part
// in: one per output cell (convolution), one per input cell (transposed) —
// weight sharing made visible.
void visit_tap_links(const Trace& trace, int64_t ky, int64_t kx, int64_t c, int64_t f, const LinkVisitor& visit);

// How many products land on each cell of a grid: a transposed convolution's
// output (taps landing per output cell — uneven coverage is the checkerboard),
// or a convolution's input (windows reading each input cell — borders are read
// less, the reason for padding). Spatial: channels and filters aside, except
// weight_sums, which add the weights of filter f from channel c that land there.
struct Coverage {
  bool of_output = true;  // transposed: the output's map; convolution: the input's
  int64_t h = 0, w = 0;
  std::vector<int64_t> counts;       // h·w, row-major
  std::vector<double> weight_sums;   // h·w, row-major
  int64_t min = 0, max = 0;          // over the whole map
  int64_t interior_min = 0, interior_max = 0;  // away from the edges, where every stamp / window could reach
  bool even = true;                  // the interior is covered the same everywhere
  // One line a student can read, derived from the map: what it shows and why
  // (kernel not a multiple of the stride, dilation sharing a factor with it, borders).
  std::string explanation;
  // A kernel size that covers evenly, per axis, when the kernel is what makes it uneven.
  std::optional<std::array<int64_t, 2>> even_kernel;
  int64_t count(int64_t y, int64_t x) const { return counts[static_cast<size_t>(y * w + x)]; }
};

// Throws core::Error for an invalid scenario, or view_over_limit past
// limits::kMaxViewElements cells.
Coverage coverage(const Scenario& s, int64_t c = 0, int64_t f = 0);

}  // namespace core
