// scenario.h — one convolution to show: its Spec, input, kernel and bias, and
// the JSON file format that the CLI, the GUI and the presets share.
//
//   core::Scenario s = core::load_scenario(path);    // throws core::Error
//   core::Geometry g = core::validate(s);            // every rule and limit; shapes, pads, crops
//   std::string text = core::scenario_to_json(s);    // round-trips
//
// validate() is the one boundary: every scenario — read from a file, built by
// a view, the adjoint, a GUI edit, a session or a lesson — passes it before
// it is traced or drawn. Whatever it accepts can be traced (step(n) in
// O(kernel)); a full compute additionally needs check_full_compute().
//
// Reading cannot be abused: regular files only (a folder, FIFO or device is a
// clear error, never a hang), at most limits::kMaxScenarioBytes from a file or
// standard input, nesting capped while parsing, parameters capped in size
// before they are stored, and error texts quote at most ~60 characters of a
// value, control characters escaped. Parsing streams through nlohmann's SAX
// interface straight into flat buffers, so a 4096×4096 input never becomes a
// DOM of millions of nodes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.h"
#include "core/limits.h"
#include "core/spec.h"
#include "core/tensor.h"

namespace core {

struct Scenario {
  Spec spec;
  Tensor input;    // H×W×C_in
  Kernel kernel;   // [kh][kw][C_in][F] whatever the op (see tensor.h)
  std::optional<std::vector<double>> bias;  // F values, or no bias at all
  InputLayout input_layout = InputLayout::hwc;     // how the file nests input and output
  KernelLayout kernel_layout = KernelLayout::keras;
  std::string name;         // optional title (presets, gallery)
  std::string description;  // optional teaching note

  // F: the output channels (a grouped transpose's kernel holds F/g per group).
  int64_t filters() const;
  // core::validate(*this).
  Geometry geometry() const;
};

// Checks every rule and every limit (spec, channels and groups, bias, sizes,
// step count) and returns the shapes. Throws core::Error.
Geometry validate(const Scenario& s);

// The size limits alone, for code about to allocate tensors of these shapes
// (a GUI edit that resizes): throws core::Error(over_limit) before anything is
// allocated. validate() applies the same checks to a whole scenario.
void check_tensor_sizes(int64_t in_h, int64_t in_w, int64_t in_c, int64_t kh, int64_t kw, int64_t k_in, int64_t k_out);

// The multiply-accumulates a full compute performs (the trace's steps without
// the bias steps), and the check that they are within limits::kMaxFullComputeMacs
// (core::Error work_over_limit otherwise). compute() and Trace::partial_output()
// call it; step(n) never needs it.
int64_t full_compute_macs(const Scenario& s, const Geometry& g);
void check_full_compute(const Scenario& s, const Geometry& g);

// Reads a scenario from JSON text. Throws core::Error naming the offending key.
Scenario parse_scenario(std::string_view json_text);
// Reads a file ("-" is standard input). Throws core::Error.
Scenario load_scenario(const std::string& path);
// Reads a whole regular file, or standard input for "-", of at most `max_bytes`.
// Throws core::Error: io_read (missing, a folder, a FIFO, a device, unreadable)
// or io_too_large.
std::string read_text_file(const std::string& path, int64_t max_bytes = limits::kMaxScenarioBytes);

// Writes the scenario in its own layouts; parse_scenario(scenario_to_json(s)) == s.
std::string scenario_to_json(const Scenario& s, bool pretty = true);

// `{"output_shape": [H, W, F], "output": ...}` in the scenario's input layout
// ([F, H, W] for chw).
std::string output_to_json(const Scenario& s, const Tensor& output);

// The shape of a tensor as the file writes it, e.g. "3×3×1 (H×W×C)", or as
// another layout would ("1×3×3 (C×H×W)": the app names a PyTorch pane's
// tensors in PyTorch's layouts whatever its file used).
std::string input_shape_text(const Scenario& s);
std::string input_shape_text(const Scenario& s, InputLayout layout);
std::string kernel_shape_text(const Scenario& s);
std::string kernel_shape_text(const Scenario& s, KernelLayout layout);
std::string output_shape_text(const Scenario& s, const Geometry& g);
std::string output_shape_text(const Scenario& s, const Geometry& g, InputLayout layout);

// The kernel's dimensions as a layout nests them: Keras conv2d [kh, kw, C_in/g, F],
// depthwise [kh, kw, C_in, M], conv2d_transpose [kh, kw, F/g, C_in]; PyTorch
// [F, C_in/g, kh, kw] (depthwise [C_in·M, 1, kh, kw]) and [C_in, F/g, kh, kw].
std::vector<int64_t> kernel_file_dims(const Scenario& s, KernelLayout layout);

// A kernel layout description: "[kh][kw][C_in][F]", with groups "[kh][kw][C_in/g][F]", etc.
std::string kernel_layout_text(Op op, KernelLayout layout, bool grouped = false);

}  // namespace core
