// arithmetic_text.h — the words and indices of one step's arithmetic, shared by
// the canvas's arithmetic line (render/) and the Arithmetic panel (gui/), so
// both name a cell the same way. No GL.
//
// Indices follow the pane's convention, as `convscope explain` prints a file
// in that framework's layouts: Keras x[y,x,c], w[ky,kx,c,f] (a transpose's
// w[ky,kx,f,c]), y[y,x,f]; PyTorch x[c,y,x], w[f,c,ky,kx] (OIHW; a
// transpose's w[c,f,ky,kx]), y[f,y,x]. With one channel and one filter the
// channel indices are left out: x[y,x], w[ky,kx], y[y,x]. Step numbers are
// the trace's: 0 … count−1, like the CLI and --step; −1 is "before the first step".
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/trace.h"

namespace model {

struct ArithmeticNames {
  const core::Scenario* scenario = nullptr;
  core::Geometry geometry;
  bool torch = false;  // PyTorch's layouts (C×H×W, OIHW), else Keras'
  bool full() const { return geometry.in_channels > 1 || geometry.out_channels > 1; }
  std::string x(const core::Cell& in) const;
  std::string w(int64_t ky, int64_t kx, int64_t c, int64_t f) const;  // c: input channel, f: filter (absolute)
  std::string y(const core::Cell& out) const;
  // The weight a step multiplies (between the step's input channel and filter).
  std::string w_of(const core::Step& s) const;
};

ArithmeticNames arithmetic_names(const core::Trace& t);

// "b[2] (-3)"
std::string bias_term(int64_t filter, double value);

// A gather step as a term of its cell's sum: "x[0,0,1]·w[0,0,1,0] (3·(-2))",
// "x[-1,0]·w[0,0] (0·2, padding)", "0·w[1,1] (an inserted zero)" or "b[0] (-1)".
std::string conv_term(const ArithmeticNames& n, const core::Step& s);

// The terms of the gather cell of step `n`, from its first step through `n`,
// at most `limit` of them (then a last "…").
std::vector<std::string> conv_terms(const core::Trace& t, int64_t n, int64_t limit);

// A scatter step, as one line (the canvas's first line and the panel's text):
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
