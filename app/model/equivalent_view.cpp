#include "app/model/equivalent_view.h"

#include "core/errors.h"

namespace model {

EquivalentView::EquivalentView(std::shared_ptr<const core::Scenario> transpose)
    : source_(std::move(transpose)), view_(core::transpose_as_conv(*source_)) {
  const core::Geometry g = source_->geometry();
  for (int a = 0; a < 2; ++a) {
    const core::AxisGeometry& ax = g.axes[static_cast<size_t>(a)];
    stride_[static_cast<size_t>(a)] = ax.stride;
    in_len_[static_cast<size_t>(a)] = ax.in;
    // The padded length is out + dk − 1 (a valid stride-1 conv gives `out`), so
    // what follows the zero-inserted input is dk − 1 − crop_after.
    pad_after_[static_cast<size_t>(a)] = ax.dilated_kernel - 1 - ax.crop_after;
  }
  try {
    trace_ = std::make_shared<const core::Trace>(std::make_shared<const core::Scenario>(view_.conv));
  } catch (const core::Error&) {
    trace_.reset();  // beyond the core's limits as a scenario of its own: the picture still shows
  }
}

int64_t EquivalentView::inserted(int axis) const { return stride_[static_cast<size_t>(axis)] - 1; }

int64_t EquivalentView::inserted_length(int axis) const {
  const size_t a = static_cast<size_t>(axis);
  return (in_len_[a] - 1) * stride_[a] + 1;
}

int64_t EquivalentView::pad_before(int axis) const { return axis == 0 ? view_.offset_y : view_.offset_x; }
int64_t EquivalentView::pad_after(int axis) const { return pad_after_[static_cast<size_t>(axis)]; }

PaddedCell EquivalentView::cell(int64_t y, int64_t x) const {
  if (y < 0 || x < 0 || y >= rows() || x >= cols()) return PaddedCell::padding;
  const int64_t ry = y - view_.offset_y, rx = x - view_.offset_x;  // within the zero-inserted input
  if (ry < 0 || rx < 0 || ry >= inserted_length(0) || rx >= inserted_length(1)) return PaddedCell::padding;
  if (ry % stride_[0] != 0 || rx % stride_[1] != 0) return PaddedCell::inserted_zero;
  return PaddedCell::input;
}

std::optional<std::array<int64_t, 2>> EquivalentView::input_cell(int64_t y, int64_t x) const {
  if (cell(y, x) != PaddedCell::input) return std::nullopt;
  return std::array<int64_t, 2>{(y - view_.offset_y) / stride_[0], (x - view_.offset_x) / stride_[1]};
}

namespace {

std::string dims(int64_t h, int64_t w) { return std::to_string(h) + "×" + std::to_string(w); }

std::string signed_text(int64_t v) { return v < 0 ? "−" + std::to_string(-v) : std::to_string(v); }

}  // namespace

std::string EquivalentView::caption() const {
  const core::Kernel& k = view_.conv.kernel;
  const core::Pair& d = view_.conv.spec.dilation;
  std::string s = "zero-insert s−1 = ";
  s += inserted(0) == inserted(1) ? std::to_string(inserted(0))
                                  : std::to_string(inserted(0)) + " (H), " + std::to_string(inserted(1)) + " (W)";
  s += " between cells → " + dims(inserted_length(0), inserted_length(1));
  // Pads per axis: "2", or "2/1" (before/after) when the sides differ.
  auto axis_pads = [&](int a) {
    return pad_before(a) == pad_after(a) ? signed_text(pad_before(a)) : signed_text(pad_before(a)) + "/" + signed_text(pad_after(a));
  };
  const bool sides_differ = pad_before(0) != pad_after(0) || pad_before(1) != pad_after(1);
  s += ", pad dk−1−crop = ";
  s += axis_pads(0) == axis_pads(1) ? axis_pads(0) : axis_pads(0) + " (H), " + axis_pads(1) + " (W)";
  if (sides_differ) s += " before/after";
  s += " → " + dims(rows(), cols());
  s += ", " + dims(k.kh, k.kw) + " kernel rotated 180°, stride 1";
  if (d != core::Pair{1, 1}) s += ", dilation " + dims(d[0], d[1]);
  return s;
}

std::optional<core::Step> EquivalentView::mac_of_scatter(const core::Trace& transpose, const core::Step& scatter) const {
  if (!trace_) return std::nullopt;
  const int64_t m = core::view_step_of_scatter(transpose, view_, scatter);
  if (m < 0 || m >= trace_->count()) return std::nullopt;
  return trace_->step(m);
}

}  // namespace model
