#include "core/errors.h"

#include <algorithm>

namespace core {

std::string_view error_template(ErrorCode code) {
  switch (code) {
#define CONVSCOPE_ERROR_TEXT(name, text) \
  case ErrorCode::name:                  \
    return text;
    CONVSCOPE_ERRORS(CONVSCOPE_ERROR_TEXT)
#undef CONVSCOPE_ERROR_TEXT
  }
  return "unknown error";
}

std::string_view error_name(ErrorCode code) {
  switch (code) {
#define CONVSCOPE_ERROR_NAME(name, text) \
  case ErrorCode::name:                  \
    return #name;
    CONVSCOPE_ERRORS(CONVSCOPE_ERROR_NAME)
#undef CONVSCOPE_ERROR_NAME
  }
  return "unknown";
}

}  // namespace core

namespace core {

namespace {
// The length of the UTF-8 sequence starting with byte b (1 for stray bytes).
size_t utf8_length(unsigned char b) {
  if (b >= 0xF0 && b < 0xF8) return 4;
  if (b >= 0xE0) return b < 0xF0 ? 3 : 1;
  if (b >= 0xC0) return 2;
  return 1;
}

void append_escaped(std::string& out, unsigned char b) {
  switch (b) {
    case '\n': out += "\\n"; return;
    case '\r': out += "\\r"; return;
    case '\t': out += "\\t"; return;
    default: {
      static const char* const hex = "0123456789abcdef";
      out += "\\u00";
      out += hex[b >> 4];
      out += hex[b & 15];
    }
  }
}
}  // namespace

std::string excerpt(std::string_view text, size_t max_chars) {
  std::string out;
  size_t chars = 0;
  for (size_t i = 0; i < text.size();) {
    if (chars == max_chars) return out + "…";
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b < 0x20 || b == 0x7f) {
      append_escaped(out, b);
      ++i;
    } else {
      const size_t n = std::min(utf8_length(b), text.size() - i);
      out.append(text.substr(i, n));
      i += n;
    }
    ++chars;
  }
  return out;
}

std::string truncated(std::string_view text, size_t max_chars) {
  size_t i = 0;
  for (size_t chars = 0; i < text.size() && chars < max_chars; ++chars)
    i += std::min(utf8_length(static_cast<unsigned char>(text[i])), text.size() - i);
  return std::string(text.substr(0, i));
}

std::string one_line(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    const unsigned char b = static_cast<unsigned char>(c);
    if (b < 0x20 || b == 0x7f)
      append_escaped(out, b);
    else
      out += c;
  }
  return out;
}

}  // namespace core
