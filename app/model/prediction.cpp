#include "app/model/prediction.h"

#include <cctype>
#include <charconv>
#include <cmath>

namespace model {

namespace {

std::string trimmed(std::string_view t) {
  size_t a = 0, b = t.size();
  while (a < b && std::isspace(static_cast<unsigned char>(t[a]))) ++a;
  while (b > a && std::isspace(static_cast<unsigned char>(t[b - 1]))) --b;
  return std::string(t.substr(a, b - a));
}

// Replaces every occurrence of `from` in `s` by `to`.
void replace_all(std::string& s, std::string_view from, std::string_view to) {
  for (size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
}

std::string with_sentence(const std::string& head, const std::string& tail) {
  return tail.empty() ? head : head + " " + tail;
}

}  // namespace

const char* verdict_name(Verdict v) {
  switch (v) {
    case Verdict::right: return "right";
    case Verdict::not_yet: return "not yet";
    case Verdict::answer_shown: return "answer shown";
    case Verdict::unreadable: return "unreadable";
  }
  return "unreadable";
}

std::optional<std::vector<int64_t>> parse_shape_answer(std::string_view text) {
  std::string s = trimmed(text);
  replace_all(s, "\u00d7", " ");  // ×
  std::vector<int64_t> dims;
  std::string digits;
  bool open = false, closed = false;  // one pair of ( ) or [ ] around the whole
  auto flush = [&] {
    if (digits.empty()) return true;
    int64_t v = 0;
    const auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    digits.clear();
    if (res.ec != std::errc() || v < 0) return false;
    dims.push_back(v);
    return true;
  };
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    if (std::isdigit(static_cast<unsigned char>(c))) {
      if (closed) return std::nullopt;
      digits += c;
      continue;
    }
    if (!flush()) return std::nullopt;
    if (c == '(' || c == '[') {
      if (open || !dims.empty()) return std::nullopt;
      open = true;
    } else if (c == ')' || c == ']') {
      if (!open || closed) return std::nullopt;
      closed = true;
    } else if (!(c == 'x' || c == 'X' || c == '*' || c == ',' || std::isspace(static_cast<unsigned char>(c)))) {
      return std::nullopt;
    }
  }
  if (!flush() || open != closed || dims.empty()) return std::nullopt;
  return dims;
}

std::optional<double> parse_number_answer(std::string_view text, int* decimals) {
  std::string s = trimmed(text);
  replace_all(s, "\u2212", "-");  // a true minus sign, as the canvas prints it
  if (!s.empty() && s[0] == '+') s.erase(0, 1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  const auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  if (res.ec != std::errc() || res.ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  if (decimals) {
    const size_t point = s.find('.');
    const size_t exponent = s.find_first_of("eE");
    *decimals = point == std::string::npos ? 0
                                           : static_cast<int>((exponent == std::string::npos ? s.size() : exponent) - point - 1);
    if (exponent != std::string::npos) *decimals = 0;  // "1e3": taken as exact
  }
  return v;
}

std::string answer_message(const Quoted& expected, const std::string& explanation) {
  return with_sentence("The answer is " + expected.text() + ".", explanation);
}

PredictionCheck check_answer(const Quoted& expected, std::string_view text, int attempt, const std::string& hint,
                             const std::string& explanation) {
  PredictionCheck r;
  bool right = false;
  if (expected.kind == Quoted::Kind::shape) {
    const auto dims = parse_shape_answer(text);
    if (!dims || dims->size() < 2) {
      r.message = "Type a shape, such as 2×2 or 2x2.";
      return r;
    }
    right = *dims == expected.shape || *dims == expected.full_shape;
  } else {
    int decimals = 0;
    const auto v = parse_number_answer(text, &decimals);
    if (!v) {
      r.message = "Type a number, such as 4 or 0.5.";
      return r;
    }
    const double b = expected.number;
    // Exact up to the core's own rounding, or rounded to the digits typed.
    const double exact = 1e-9 * std::max(1.0, std::fabs(b));
    const double typed = decimals > 0 ? 0.5 * std::pow(10.0, -decimals) : 0.0;
    right = std::fabs(*v - b) <= std::max(exact, typed + exact);
  }
  if (right) {
    r.verdict = Verdict::right;
    r.message = with_sentence("Right: " + expected.text() + ".", explanation);
  } else if (attempt < kAttemptsBeforeAnswer) {
    r.verdict = Verdict::not_yet;
    r.message = hint.empty() ? "Not yet. Try again." : "Not yet. Hint: " + hint;
  } else {
    r.verdict = Verdict::answer_shown;
    r.message = answer_message(expected, explanation);
  }
  return r;
}

}  // namespace model
