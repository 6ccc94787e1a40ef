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
  // strides 1, dilation and groups as the transpose's, padding valid (PyTorch
  // convention, explicit 0), no bias (the transpose's bias is added to its
  // output as usual). It has passed core::validate().
  Scenario conv;
  Geometry geometry;  // conv's
  // Where input cell (y, x) of the transpose sits in conv.input: (y·s + offset_y, x·s + offset_x).
  int64_t offset_y = 0, offset_x = 0;
  // The transposed output (what conv computes, plus the bias).
  Tensor output() const;
};

// Throws core::Error unless s is a valid conv2d_transpose, or view_over_limit
// when the padded grid would hold more than limits::kMaxViewElements values
// (huge dilation or padding).
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

// Throws core::Error unless s is a valid convolution (conv2d, depthwise), or
// view_over_limit past limits::kMaxViewElements entries. Padding taps and
// channels outside a filter's group contribute no entry.
ConvMatrix conv_matrix(const Scenario& s);

// A Conv2DTranspose as a sparse matrix Cᵀ (rows = its output cells, columns =
// its input cells, both row-major) with Cᵀ·x = convT(x) without bias: C is the
// matrix of the convolution it is the adjoint of. Cropped stamps contribute no
// entry. Throws core::Error unless s is a valid conv2d_transpose, or
// view_over_limit past limits::kMaxViewElements entries.
ConvMatrix transpose_matrix(const Scenario& s);

// Row (output cell) and column (input cell) of a mac or scatter step in C (or
// Cᵀ); column −1 on padding or an inserted zero, row −1 for a cropped scatter.
struct MatrixPosition {
  int64_t row = -1, col = -1;
};
MatrixPosition matrix_position(const Trace& trace, const Step& step);

// The Conv2DTranspose whose matrix is Cᵀ: same kernel numbers (Keras layout
// [kh][kw][C/g][F] read as [kh][kw][F_t = C/g][C_in_t = F]), strides, dilation,
// padding and groups, with output_padding chosen so that it gives back the
// conv's input size (Keras: None where that is exact, as TF allows no
// output_padding equal to the stride). `y` is the conv's output-shaped input of
// the transpose. A Keras convolution with groups (or depthwise) gets the
// PyTorch ConvTranspose2d, Keras' transposed layer having no groups.
// Throws core::Error when no transposed layer of the convention gives Cᵀ:
// uneven pads before/after (PyTorch crops both ends alike; Keras' output_padding
// must stay below the stride on every axis at once).
Scenario adjoint_transpose(const Scenario& conv, const Tensor& y);

// Whether adjoint_transpose(conv, …) exists, by the rule above (no throw).
bool has_adjoint_transpose(const Scenario& conv);

}  // namespace core
