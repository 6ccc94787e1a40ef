// gallery.h — the classic convolution-arithmetic catalogue as animated GIFs.
//
//   for (const exporter::GalleryCase& c : exporter::gallery_cases())  … c.name, c.scenario …
//   exporter::GalleryReport r = exporter::write_gallery("docs/gallery", canvas);
//
// The eight cases of Dumoulin & Visin's conv_arithmetic (same sizes, kernels,
// strides, pads, dilation), each with its transposed counterpart (the
// Conv2DTranspose that maps the conv's output shape back to its input shape,
// PyTorch convention with the same padding, output_padding where the stride
// leaves a remainder), plus what that set lacks: a rectangular case, Keras
// 'same' with an even input (asymmetric pads) and its transpose, the stride-2
// checkerboard of a transposed convolution, and the seed's two examples; then
// the channel presets drawn as volumes (channel_gallery_cases).
// Inputs are small integers −3 … 3 from a fixed seed and kernels a Sobel-style
// vertical-edge pattern, so colours and products differ from cell to cell; the
// checkerboard and the seed keep their ones (their point is counting overlaps).
// Each transposed case comes twice: its scatter (one frame per input cell) and
// its gather, conv_arithmetic's picture (one frame per output cell, the window
// moving over the zero-inserted input, drawn). One frame per unit, one file per
// case, named after it: no_padding_no_strides.gif,
// no_padding_no_strides_transposed_scatter.gif, no_padding_no_strides_transposed_gather.gif, …
#pragma once

#include <string>
#include <vector>

#include "core/scenario.h"
#include "core/spec.h"

namespace render {
class CanvasRenderer;
}

namespace exporter {

struct GalleryCase {
  std::string name;  // file stem
  core::Scenario scenario;
  bool conv_arithmetic = false;  // one of the 16 classic cases (either view of a transpose)
  core::TraceOrder order = core::TraceOrder::gather;  // a transpose: scatter or gather (a file each)
  bool volume = false;                         // drawn as volumes (channels as stacked slices)
  std::vector<core::Scenario> more_panes = {};  // panes beside the first (depthwise, then pointwise)
};

std::vector<GalleryCase> gallery_cases();

// The channel presets as volumes, one frame per output cell (the channel sum of
// each cell complete): the RGB image with 2 filters, grouped g = 2, depthwise
// 3×3, and depthwise separable (its two panes side by side). Read from the
// preset files in `presets_dir`, so the gallery shows what the Presets menu
// opens: rgb_image_2_filters_volume.gif, … Throws core::Error.
std::vector<GalleryCase> channel_gallery_cases(const std::string& presets_dir);

struct GalleryFile {
  std::string path;
  int64_t frames = 0;
  int width = 0, height = 0;
  long long bytes = 0;
};

struct GalleryReport {
  std::vector<GalleryFile> files;
  int64_t frames = 0;
  double total_ms = 0;   // plan + render + encode + write, every file (wall)
  double render_ms = 0;  // summed over the files (CanvasRenderer render + read-back, on the calling thread)
  double encode_ms = 0;  // palette mapping + LZW + write (on the encoder threads, overlapped with rendering)
};

// Writes `cases` (default: every case, the channel presets from the renderer's
// resource folder included) into `out_dir` (created if missing), one frame per
// unit, with `delay_ms` per frame, at content scale `scale`. Throws core::Error.
GalleryReport write_gallery(const std::string& out_dir, render::CanvasRenderer& canvas, int scale = 1,
                            int delay_ms = 0);
GalleryReport write_gallery(const std::string& out_dir, render::CanvasRenderer& canvas, int scale, int delay_ms,
                            const std::vector<GalleryCase>& cases);

// Creates `out_dir` if it does not exist. Throws core::Error.
void make_gallery_dir(const std::string& out_dir);

}  // namespace exporter
