// lesson_quotes.h — the live values a lesson's caption quotes and a prediction
// expects, each computed by the core from the panes a slide shows.
//
//   model::QuoteContext ctx{{&pane0, &pane1}, slide_step};
//   model::Quoted q = model::quote("p1.y[0,2]", ctx);        // q.text() == "4"
//   std::string s = model::fill_quotes("{out.shape}: {y[1,1]}", ctx);   // "2×2: 4"
//
// Expressions (spaces ignored; "pN." in front picks pane N, default pane 0):
//   out.shape in.shape kernel.shape   shapes: "2×2" for one channel; with more
//                                     channels every axis in the file's layout
//                                     ("4×4×3", "3×3×3×2", "2×4×4" for C×H×W)
//   out.h out.w out.c in.h in.w in.c kernel.h kernel.w      one length
//   kernel.weights                    every weight of the kernel
//   kernel.per_filter                 the weights one filter (output channel) reads
//   steps                             the trace's step count (in the slide's order)
//   stride.h stride.w dilation.h dilation.w   the parameters per axis
//   span.h span.w                     the dilated kernel's extent d·(k − 1) + 1
//   pad.top pad.bottom pad.left pad.right     a convolution's zero padding
//   crop.top crop.bottom crop.left crop.right a transpose's crop of the full scatter
//                                             (negative: cells no stamp reaches)
//   y[i,j] y[i,j,f]     the output cell after the slide's step (0 before any step)
//   x[i,j] x[i,j,c]     an input value          b[f]   a bias value
//   w[i,j] w[i,j,c,f]   the weight between input channel c and filter f at tap (i, j)
// Indices are [row, column, channel] whatever the file's layout; a missing
// channel is 0. Numbers print with core::format_number.
//
// In text, {expression} is replaced by its value; {{ and }} are literal braces.
// Anything that does not resolve (no such pane, a cell outside its grid, an
// unknown name, an unclosed brace) throws QuoteError, which names the
// placeholder and says why; the lesson loader turns it into a core::Error that
// names the slide. No GL, no ImGui, no files.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "app/model/pane.h"

namespace model {

// A number or a shape.
struct Quoted {
  enum class Kind { number, shape };
  Kind kind = Kind::number;
  double number = 0;
  std::vector<int64_t> shape;       // as captions show it: "2×2" when there is one channel
  std::vector<int64_t> full_shape;  // every axis, unit channels included: "2×2×1"
  std::string text() const;         // "4", "0.5", "2×2"
};

// "2×2×1".
std::string shape_text(const std::vector<int64_t>& dims);

// The panes a slide shows and the step its values are taken after (each pane
// at min(step, its last step); −1 = before the first step).
struct QuoteContext {
  std::vector<const Pane*> panes;
  int64_t step = -1;
};

class QuoteError : public std::runtime_error {
 public:
  QuoteError(std::string placeholder, const std::string& reason)
      : std::runtime_error(reason), placeholder_(std::move(placeholder)) {}
  // The placeholder as written, braces included ("{y[9,9]}").
  const std::string& placeholder() const { return placeholder_; }

 private:
  std::string placeholder_;
};

// One expression (no braces). Throws QuoteError.
Quoted quote(std::string_view expression, const QuoteContext& ctx);
// Text with every {expression} replaced. Throws QuoteError.
std::string fill_quotes(std::string_view text, const QuoteContext& ctx);

}  // namespace model
