// checked.h — 64-bit size arithmetic that cannot overflow silently.
//
// Sizes, step counts and extents are products of user numbers (a stride of
// 2³¹−1 times a 16384-cell side, say). These helpers throw core::Error
// (over_limit, naming `what`) instead of wrapping around, so a huge scenario is
// refused with a message rather than allocating a negative size.
#pragma once

#include <cstdint>
#include <string>

#include "core/errors.h"

namespace core {

inline int64_t checked_mul(int64_t a, int64_t b, const char* what) {
  int64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r)) fail(ErrorCode::over_limit, what, "larger than 2^63", "2^63");
  return r;
}

inline int64_t checked_add(int64_t a, int64_t b, const char* what) {
  int64_t r = 0;
  if (__builtin_add_overflow(a, b, &r)) fail(ErrorCode::over_limit, what, "larger than 2^63", "2^63");
  return r;
}

inline int64_t checked_mul(std::initializer_list<int64_t> factors, const char* what) {
  int64_t r = 1;
  for (int64_t f : factors) r = checked_mul(r, f, what);
  return r;
}

}  // namespace core
