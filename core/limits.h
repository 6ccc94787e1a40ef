// limits.h — the largest scenario convscope accepts, and the most work it will
// do for one, in one place.
//
// Every limit is checked by core::validate() (scenario.h) before anything is
// allocated or computed, so that whatever the program accepts finishes in
// bounded time and memory. README.md ("Limits") lists them for users.
#pragma once

#include <cstdint>

namespace core::limits {

// ---- reading ----
constexpr int64_t kMaxScenarioBytes = int64_t{256} << 20;  // a file or standard input: 256 MiB
constexpr int kMaxValueNesting = 3;       // lists inside a parameter ([[t, b], [l, r]] is 2)
constexpr int kMaxValueNumbers = 16;      // numbers and lists inside one parameter
constexpr int64_t kMaxTextLength = 4096;  // "name", "description" (bytes)

// ---- shapes ----
constexpr int64_t kMaxParameter = (int64_t{1} << 31) - 1;   // strides, dilation, pads, groups
constexpr int64_t kMaxSide = 16384;                          // H, W of input and output
constexpr int64_t kMaxChannels = 4096;                       // C_in and F
constexpr int64_t kMaxKernelSide = 1024;                     // kh, kw
constexpr int64_t kMaxInputElements = int64_t{1} << 25;      // 33.5 M values (4096×4096×1, 512×512×64 fit)
constexpr int64_t kMaxKernelElements = int64_t{1} << 24;     // 16.7 M weights
constexpr int64_t kMaxOutputElements = int64_t{1} << 26;     // 67 M values

// ---- work ----
// A full compute (`convscope compute`, the window's and the exporter's output
// grid) multiplies at most this many pairs: a few seconds on one core. Beyond
// it only the trace is available (step(n) costs O(kernel) whatever the count).
constexpr int64_t kMaxFullComputeMacs = int64_t{4} << 30;    // 4.3·10⁹
// The teaching views build grids of their own: the zero-inserted, padded input
// of a transpose's equivalent convolution (values) and the conv matrix (entries).
constexpr int64_t kMaxViewElements = int64_t{1} << 24;       // 16.7 M

}  // namespace core::limits
