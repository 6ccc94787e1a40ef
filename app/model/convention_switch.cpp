// convention_switch.cpp — see convention_switch.h. The shape rules stay in
// core::geometry_for: a candidate Spec is accepted only when geometry_for gives
// it the same geometry as the scenario has now.
#include "app/model/convention_switch.h"

#include <initializer_list>
#include <sstream>
#include <vector>

#include "core/errors.h"
#include "core/geometry.h"

namespace model {

namespace {

core::Geometry geometry_with(const core::Scenario& s, const core::Spec& spec) {
  return core::geometry_for(spec, s.input.h, s.input.w, s.kernel.kh, s.kernel.kw, s.input.c, s.filters());
}

// The same output and the same cells of padding or cropping on every side.
bool same_arithmetic(const core::Geometry& a, const core::Geometry& b) {
  for (int i = 0; i < 2; ++i) {
    const core::AxisGeometry &x = a.axes[static_cast<size_t>(i)], &y = b.axes[static_cast<size_t>(i)];
    if (x.out != y.out || x.pad_before != y.pad_before || x.pad_after != y.pad_after ||
        x.crop_before != y.crop_before || x.crop_after != y.crop_after)
      return false;
  }
  return true;
}

// "((1, 2), (0, 1))": (top, bottom), (left, right) as Keras' padding layers take them.
std::string sides_text(int64_t top, int64_t bottom, int64_t left, int64_t right) {
  std::ostringstream out;
  out << "((" << top << ", " << bottom << "), (" << left << ", " << right << "))";
  return out.str();
}

core::Spec keras_keyword(core::Spec spec, core::PaddingKind kind, std::optional<core::Pair> output_padding) {
  spec.convention = core::Convention::keras;
  spec.padding = kind;
  spec.pad_before = spec.pad_after = {0, 0};
  spec.pads_per_side = false;
  spec.output_padding = output_padding;
  return spec;
}

// The one line that says what Keras writes instead of PyTorch's pads.
std::string keras_refusal(const core::Scenario& s, const core::Geometry& g) {
  const core::AxisGeometry &y = g.axes[0], &x = g.axes[1];
  std::string head = "Keras names no padding but \"valid\" and \"same\"; the pane stays PyTorch. In Keras: ";
  if (!core::is_transpose(s.spec.op))
    return head + "ZeroPadding2D(" + sides_text(y.pad_before, y.pad_after, x.pad_before, x.pad_after) + ") + " +
           core::op_title(s.spec.op) + "(padding=\"valid\")";
  // Keras "valid" crops nothing: crop PyTorch's cells after it, and add the
  // cells that PyTorch's output_padding leaves without a stamp.
  const core::Geometry valid = geometry_with(s, keras_keyword(s.spec, core::PaddingKind::valid, std::nullopt));
  int64_t crop_after[2], extra[2];
  for (size_t a = 0; a < 2; ++a) {
    crop_after[a] = valid.axes[a].out - g.axes[a].crop_before - g.axes[a].out;
    extra[a] = crop_after[a] < 0 ? -crop_after[a] : 0;
    if (crop_after[a] < 0) crop_after[a] = 0;
  }
  std::string text = head + "Conv2DTranspose(padding=\"valid\") + Cropping2D(" +
                     sides_text(y.crop_before, crop_after[0], x.crop_before, crop_after[1]) + ")";
  if (extra[0] || extra[1]) text += " + ZeroPadding2D(" + sides_text(0, extra[0], 0, extra[1]) + ")";
  return text;
}

std::string pytorch_refusal(const core::Geometry& g) {
  const core::AxisGeometry &y = g.axes[0], &x = g.axes[1];
  std::ostringstream out;
  out << "PyTorch's padding crops both ends alike and output_padding only adds at the end; the pane stays Keras. "
         "In PyTorch: ConvTranspose2d(padding=0) then y[:, :, "
      << y.crop_before << ":" << y.crop_before + y.out << ", " << x.crop_before << ":" << x.crop_before + x.out << "]";
  return out.str();
}

}  // namespace

ConventionSwitch switch_convention(const core::Scenario& s, core::Convention to) {
  const core::Spec& now = s.spec;
  if (now.convention == to) return {now, {}};
  const core::Geometry g = geometry_with(s, now);
  const bool transpose = core::is_transpose(now.op);

  std::vector<core::Spec> candidates;
  if (to == core::Convention::keras) {
    if (now.padding != core::PaddingKind::explicit_pads) {
      candidates.push_back(keras_keyword(now, now.padding, now.output_padding));
    } else {
      // Keras' default output_padding (None) first: it is what a Keras user writes.
      std::vector<std::optional<core::Pair>> output_paddings{std::nullopt};
      if (transpose && now.output_padding) output_paddings.push_back(now.output_padding);
      for (core::PaddingKind kind : {core::PaddingKind::valid, core::PaddingKind::same})
        for (const auto& op : output_paddings)
          candidates.push_back(keras_keyword(now, kind, transpose ? op : std::nullopt));
    }
  } else {
    core::Spec torch = now;
    torch.convention = core::Convention::pytorch;
    if (!transpose) {
      candidates.push_back(torch);  // "valid", and "same" at stride 1, mean the same in PyTorch
      torch.padding = core::PaddingKind::explicit_pads;
      for (size_t a = 0; a < 2; ++a) {
        torch.pad_before[a] = g.axes[a].pad_before;
        torch.pad_after[a] = g.axes[a].pad_after;
      }
      torch.pads_per_side = torch.pad_before != torch.pad_after;
      candidates.push_back(torch);
    } else {
      // ConvTranspose2d crops `padding` at both ends and gives output_padding
      // cells back at the end: padding = crop before, output_padding = its difference.
      torch.padding = core::PaddingKind::explicit_pads;
      torch.pads_per_side = false;
      bool expressible = true;
      core::Pair op{0, 0};
      for (size_t a = 0; a < 2; ++a) {
        torch.pad_before[a] = torch.pad_after[a] = g.axes[a].crop_before;
        op[a] = g.axes[a].crop_before - g.axes[a].crop_after;
        if (op[a] < 0) expressible = false;
      }
      torch.output_padding = op;
      if (expressible) candidates.push_back(torch);
    }
  }

  std::string first_error;
  for (const core::Spec& spec : candidates) {
    try {
      if (same_arithmetic(geometry_with(s, spec), g)) return {spec, {}};
    } catch (const core::Error& e) {
      if (first_error.empty()) first_error = e.what();
    }
  }
  // A rule of the other framework (Keras' stride with dilation, groups) is the
  // reason when the plain candidate failed; else the padding has no keyword there.
  if (!first_error.empty() && (now.padding != core::PaddingKind::explicit_pads || to == core::Convention::pytorch))
    return {std::nullopt, first_error};
  if (to == core::Convention::keras) {
    try {
      return {std::nullopt, keras_refusal(s, g)};
    } catch (const core::Error& e) {
      return {std::nullopt, e.what()};
    }
  }
  return {std::nullopt, pytorch_refusal(g)};
}

}  // namespace model
