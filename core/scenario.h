// scenario.h — one convolution to show: its Spec, input, kernel and bias, and
// the JSON file format that the CLI, the GUI and the presets share.
//
//   core::Scenario s = core::parse_scenario(text);   // throws core::Error
//   core::Geometry g = s.geometry();                 // shapes, pads, crops
//   std::string text = core::scenario_to_json(s);    // round-trips
//
// Parsing streams through nlohmann's SAX interface straight into flat buffers,
// so a 4096×4096 input never becomes a DOM of millions of nodes.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/geometry.h"
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

  int64_t filters() const { return kernel.out_channels; }
  // Validates everything (spec rules, channels, bias, sizes) and returns the shapes.
  Geometry geometry() const;
};

// Reads a scenario from JSON text. Throws core::Error naming the offending key.
Scenario parse_scenario(std::string_view json_text);
// Reads a file ("-" is standard input). Throws core::Error.
Scenario load_scenario(const std::string& path);
// Reads a whole file into a string ("-" is standard input). Throws core::Error(io_read).
std::string read_text_file(const std::string& path);

// Writes the scenario in its own layouts; parse_scenario(scenario_to_json(s)) == s.
std::string scenario_to_json(const Scenario& s, bool pretty = true);

// `{"output_shape": [H, W, F], "output": ...}` in the scenario's input layout
// ([F, H, W] for chw).
std::string output_to_json(const Scenario& s, const Tensor& output);

// The shape of a tensor as the file writes it, e.g. "3×3×1 (H×W×C)".
std::string input_shape_text(const Scenario& s);
std::string kernel_shape_text(const Scenario& s);
std::string output_shape_text(const Scenario& s, const Geometry& g);

// A kernel layout description: "[kh][kw][C_in][F]" etc.
std::string kernel_layout_text(Op op, KernelLayout layout);

}  // namespace core
