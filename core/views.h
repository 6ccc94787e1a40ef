// views.h — two equivalent ways of seeing the same arithmetic, for teaching.
//
// (a) transpose_as_conv(): a Conv2DTranspose is a stride-1 "valid" Conv2D over
//     the zero-inserted input (s−1 zeros between cells), padded by dk−1−crop
//     before (and what the output length needs after), with the kernel rotated
//     180° and its channel axes swapped. ZeroInsertionView holds that input and
//     kernel, computes the same output, and maps steps of one onto the other.
// (b) conv_matrix(): a Conv2D as a sparse matrix C (rows = output cells (y, x, f),
//     columns = input cells (y, x, c), both row-major) with C·x = conv(x). Its
//     transpose Cᵀ·y is the Conv2DTranspose with the same kernel numbers.
#pragma once

#include <cstdint>
#include <vector>

#include "core/scenario.h"
#include "core/trace.h"

namespace core {

struct ZeroInsertionView {
  // The Conv2D scenario equivalent to a Conv2DTranspose: input is the
  // zero-inserted, padded grid; kernel is rot180 with in/out channels swapped;
  // strides 1, dilation as the transpose's, padding valid (PyTorch convention,
  // explicit 0), no bias (the transpose's bias is added to its output as usual).
  Scenario conv;
  // Where input cell (y, x) of the transpose sits in conv.input: (y·s + offset_y, x·s + offset_x).
  int64_t offset_y = 0, offset_x = 0;
  // The transposed output (what conv computes, plus the bias).
  Tensor output() const;
};

// Throws core::Error unless s is a valid conv2d_transpose.
ZeroInsertionView transpose_as_conv(const Scenario& s);

// The step of the view's Conv2D trace that multiplies the same input value by
// the same weight as scatter step `scatter` of the transpose's trace (−1 for a
// cropped scatter, which no output cell of the view reads).
int64_t view_step_of_scatter(const Trace& transpose, const ZeroInsertionView& view, const Step& scatter);
// The reverse: the transpose's scatter step for a mac of the view, or −1 when
// that mac reads an inserted zero or padding.
int64_t scatter_step_of_view(const Trace& transpose, const ZeroInsertionView& view, const Step& view_mac);

struct SparseEntry {
  int64_t row = 0, col = 0;
  double value = 0;
};

struct ConvMatrix {
  int64_t rows = 0, cols = 0;          // output cells, input cells
  std::vector<SparseEntry> entries;    // sorted by row, then by step order within a row
  std::vector<double> multiply(const std::vector<double>& x) const;            // C·x
  std::vector<double> multiply_transposed(const std::vector<double>& y) const;  // Cᵀ·y
};

// Throws core::Error unless s is a valid conv2d. Padding taps contribute no entry.
ConvMatrix conv_matrix(const Scenario& s);

// Row (output cell) and column (input cell) of a mac step in C; column −1 on padding.
struct MatrixPosition {
  int64_t row = -1, col = -1;
};
MatrixPosition matrix_position(const Trace& conv, const Step& mac);

// The Conv2DTranspose whose matrix is Cᵀ: same kernel numbers (Keras layout
// [kh][kw][C][F] read as [kh][kw][F_t = C][C_in_t = F]), strides, dilation and
// padding, with output_padding chosen so that it gives back the conv's input
// size. `y` is the conv's output-shaped input of the transpose.
Scenario adjoint_transpose(const Scenario& conv, const Tensor& y);

}  // namespace core
