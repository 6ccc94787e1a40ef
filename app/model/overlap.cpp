#include "app/model/overlap.h"

#include "app/model/pane.h"
#include "core/errors.h"

namespace model {

const core::Coverage* CoverageCache::get(const Pane& p) {
  const int64_t c = p.shown_channel(), f = p.shown_filter();
  if (for_ != p.scenario_ptr() || c != c_ || f != f_) {
    for_ = p.scenario_ptr();
    c_ = c;
    f_ = f;
    try {
      coverage_ = core::coverage(p.scenario(), c, f);
    } catch (const core::Error&) {
      coverage_.reset();
    }
  }
  return coverage_ ? &*coverage_ : nullptr;
}

bool apply_even_kernel(Pane& p, const core::Coverage& cov) {
  if (!cov.even_kernel) {
    p.set_error("the coverage is even already, or no kernel size makes it even (dilation sharing a factor with the stride)");
    return false;
  }
  return p.set_kernel_size((*cov.even_kernel)[0], (*cov.even_kernel)[1]);
}

}  // namespace model
