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

std::string format_factor(double v) { return v < 0 ? "(" + format_number(v) + ")" : format_number(v); }

}  // namespace core
