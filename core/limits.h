// limits.h — the largest scenario convscope accepts, in one place.
//
// Generous enough for 4096×4096×1 and 512×512×64 inputs; small enough that the
// output and every index fit comfortably in int64 and memory.
#pragma once

#include <cstdint>

namespace core::limits {

constexpr int64_t kMaxParameter = (int64_t{1} << 31) - 1;   // strides, dilation, pads
constexpr int64_t kMaxSide = 16384;                          // H, W of input and output
constexpr int64_t kMaxChannels = 4096;                       // C_in and F
constexpr int64_t kMaxKernelSide = 1024;                     // kh, kw
constexpr int64_t kMaxInputElements = int64_t{1} << 25;      // 33.5 M values
constexpr int64_t kMaxKernelElements = int64_t{1} << 24;     // 16.7 M weights
constexpr int64_t kMaxOutputElements = int64_t{1} << 26;     // 67 M values

}  // namespace core::limits
