// format.h — the one number format of convscope (cells, arithmetic, formulas, CLI text).
//
// Exact short decimals: integers print without a point ("4", "-2"), other values
// with at most `significant` significant digits and no trailing zeros ("0.25",
// "0.333333"). JSON output uses the shortest round-trip form instead.
#pragma once

#include <string>

namespace core {

std::string format_number(double v, int significant = 6);
// The short form a grid cell shows: at most 3 significant digits, whichever of
// fixed or exponent notation is shorter, and a true minus sign: "4", "0.12",
// "0.118", "−3.1", "1e4", "1.23e4", "1.5e−5". A grid too narrow for three
// digits asks for two ("0.12", "−8.9", "1.2e4"); integers below 1000 stay whole.
// The arithmetic line keeps format_number's full precision.
std::string format_short(double v, int significant = 3);
// A factor in a product: negatives in parentheses, so "2·(-1)" never reads as a subtraction.
std::string format_factor(double v);

}  // namespace core
