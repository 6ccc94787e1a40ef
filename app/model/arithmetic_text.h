// arithmetic_text.h — the words and indices of one step's arithmetic, shared by
// the canvas's arithmetic line (render/) and the Arithmetic panel (gui/), so
// both name a cell the same way. No GL.
//
// Indices: with one channel and one filter, x[y,x], w[ky,kx], y[y,x]; as soon
// as C_in > 1 or F > 1, x[y,x,c], w[ky,kx,c,f], y[y,x,f] (the canvas's kernel
// is kh×kw×C×F). Step numbers are the trace's: 0 … count−1, like the CLI and
// --step; −1 is "before the first step".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.h"

namespace model {

struct ArithmeticNames {
  int64_t channels = 1, filters = 1;  // C_in, F
  bool full() const { return channels > 1 || filters > 1; }
  std::string x(const core::Cell& in) const;
  std::string w(int64_t ky, int64_t kx, int64_t c, int64_t f) const;
  std::string y(const core::Cell& out) const;
  // The weight a step multiplies: conv w[ky,kx,c_in,f_out]; transpose w[ky,kx,c_in,f_out] too.
  std::string w_of(const core::Step& s) const;
};

ArithmeticNames arithmetic_names(const core::Trace& t);

// "b[2] (-3)"
std::string bias_term(int64_t filter, double value);

// A conv step as a term of its cell's sum: "x[0,0,1]·w[0,0,1,0] (3·(-2))",
// "x[-1,0]·w[0,0] (0·2, padding)" or "b[0] (-1)".
std::string conv_term(const ArithmeticNames& n, const core::Step& s);

// The terms of the conv cell of step `n`, from its first step through `n`,
// at most `limit` of them (then a last "…").
std::vector<std::string> conv_terms(const core::Trace& t, int64_t n, int64_t limit);

// A transpose step, as one line (the canvas's first line and the panel's text):
//   "y[1,1,1] += x[0,0,1]·w[1,1,1,1] = 3·(-2) → 4"
//   "x[0,0]·w[0,0] = 3·(-2) = -6 lands on y[-1,-1]: cropped, outside the output"
//   "y[0,4,2] += b[2] (-3) → 4"
std::string transpose_step_line(const ArithmeticNames& n, const core::Step& s);

// Where the cursor is, in the CLI's numbering: "step 10 · 16 steps",
// "before the first step · 16 steps".
std::string step_position_text(int64_t cursor, int64_t count);

// The unit the cursor is in, e.g. "output cell 3 of 4", "input cell 5 of 18",
// "bias steps (after the 18 input cells)"; "" before the first step.
std::string unit_text(const core::Trace& t, int64_t cursor);

}  // namespace model
