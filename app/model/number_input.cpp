#include "app/model/number_input.h"

#include <charconv>
#include <cmath>

#include "core/errors.h"

namespace model {

namespace {

std::string_view trimmed(std::string_view t) {
  const auto first = t.find_first_not_of(" \t");
  if (first == std::string_view::npos) return {};
  return t.substr(first, t.find_last_not_of(" \t") - first + 1);
}

// The whole of `t` as a decimal number (from_chars: no hex, no locale, no
// leading spaces); nullopt if anything is left over.
std::optional<double> whole_number(std::string_view t) {
  if (!t.empty() && t.front() == '+') t.remove_prefix(1);
  if (t.empty() || t.front() == '+' || t.front() == 'i' || t.front() == 'I' || t.front() == 'n' || t.front() == 'N')
    return std::nullopt;
  double v = 0;
  const auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v, std::chars_format::general);
  if (ec != std::errc() || end != t.data() + t.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

}  // namespace

NumberInput parse_number(std::string_view text) {
  NumberInput out;
  const std::string_view t = trimmed(text);
  if (const auto v = whole_number(t)) {
    out.value = *v;
    return out;
  }
  // A decimal comma where a point was meant: one comma between digits ("2,5", "-0,25").
  const auto comma = t.find(',');
  if (comma != std::string_view::npos && t.find(',', comma + 1) == std::string_view::npos) {
    std::string with_point(t);
    with_point[comma] = '.';
    if (whole_number(with_point)) {
      out.error = core::error_message(core::ErrorCode::decimal_comma, with_point);
      return out;
    }
  }
  out.error = core::error_message(core::ErrorCode::not_a_number, t.empty() ? std::string("(nothing typed)") : core::excerpt(t, 40));
  return out;
}

}  // namespace model
