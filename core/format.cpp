#include "core/format.h"

#include <cmath>
#include <cstdio>

namespace core {

std::string format_number(double v, int significant) {
  if (v == 0) return "0";  // also folds −0
  if (std::nearbyint(v) == v && std::fabs(v) < 1e15) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.0f", v);
    return buf;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*g", significant, v);
  std::string s = buf;
  const auto e = s.find('e');
  std::string mantissa = s.substr(0, e), exponent = e == std::string::npos ? "" : s.substr(e);
  if (mantissa.find('.') != std::string::npos) {
    while (!mantissa.empty() && mantissa.back() == '0') mantissa.pop_back();
    if (!mantissa.empty() && mantissa.back() == '.') mantissa.pop_back();
  }
  return mantissa + exponent;
}

namespace {
// "1.23e+04" → "1.23e4", "1.5e-05" → "1.5e-5": no plus sign, no leading zeros in the exponent.
std::string tidy_exponent(std::string s) {
  const auto e = s.find('e');
  if (e == std::string::npos) return s;
  std::string mantissa = s.substr(0, e), exponent = s.substr(e + 1);
  if (mantissa.find('.') != std::string::npos) {
    while (mantissa.back() == '0') mantissa.pop_back();
    if (mantissa.back() == '.') mantissa.pop_back();
  }
  const bool negative = !exponent.empty() && exponent[0] == '-';
  if (!exponent.empty() && (exponent[0] == '-' || exponent[0] == '+')) exponent.erase(0, 1);
  while (exponent.size() > 1 && exponent[0] == '0') exponent.erase(0, 1);
  return mantissa + "e" + (negative ? "-" : "") + exponent;
}
}  // namespace

std::string format_short(double v, int significant) {
  significant = significant < 1 ? 1 : significant > 6 ? 6 : significant;
  if (v == 0 || !std::isfinite(v)) return v == 0 ? "0" : format_number(v);
  std::string s;
  if (std::nearbyint(v) == v && std::fabs(v) < 1000) {
    s = format_number(v);
  } else {
    char fixed[64], expo[64];
    std::snprintf(fixed, sizeof fixed, "%.*g", significant, v);  // %g picks exponent form itself for tiny/huge values
    std::snprintf(expo, sizeof expo, "%.*e", significant - 1, v);
    std::string a = tidy_exponent(fixed), b = tidy_exponent(expo);
    // %.3g never gives "1230" for 1234 (it gives 1.23e+03); keep whichever is shorter.
    s = b.size() < a.size() ? b : a;
  }
  std::string out;  // a true minus (U+2212), in the exponent too: a cell is read from afar
  for (char c : s) {
    if (c == '-') out += "\u2212";
    else out += c;
  }
  return out;
}

std::string format_factor(double v) { return v < 0 ? "(" + format_number(v) + ")" : format_number(v); }

}  // namespace core
