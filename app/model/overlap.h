// overlap.h — the overlap map (core::coverage) of a pane for the controls, and
// its fix: the kernel size that covers evenly.
//
//   model::CoverageCache cache;                       // a panel's own
//   if (const core::Coverage* c = cache.get(pane)) …  // recomputed only when the scenario or channel/filter change
//   model::apply_even_kernel(pane, *c);               // "Fix: kernel 4" (an undoable edit)
//
// The renderer keeps its own copy per pane (it draws the map); this one is for
// the window's controls. No GL, no ImGui.
#pragma once

#include <memory>
#include <optional>

#include "core/links.h"

namespace model {

class Pane;

class CoverageCache {
 public:
  // Null when the map is past the core's view limits.
  const core::Coverage* get(const Pane& p);

 private:
  std::shared_ptr<const core::Scenario> for_;
  int64_t c_ = -1, f_ = -1;
  std::optional<core::Coverage> coverage_;
};

// Sets the pane's kernel to cov.even_kernel (Pane::set_kernel_size: the new
// taps are filled as that edit fills them). False (and the pane's error) if
// there is no such fix or the core refuses it.
bool apply_even_kernel(Pane& p, const core::Coverage& cov);

}  // namespace model
