#include "app/export/gallery.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <deque>
#include <memory>

#include "app/export/atomic_file.h"
#include "app/export/export_job.h"
#include "app/model/pane.h"
#include "app/render/canvas_renderer.h"
#include "core/trace.h"
#include "core/views.h"

namespace exporter {

namespace {

using core::Op;
using core::Pair;

struct Shape {
  int64_t in_h, in_w, k_h, k_w;
  Pair strides{1, 1}, pads{0, 0}, dilation{1, 1};
  Pair output_padding{0, 0};
};

core::Scenario ones(Op op, const Shape& sh, core::Convention conv = core::Convention::pytorch) {
  core::Scenario s;
  s.spec.op = op;
  s.spec.convention = conv;
  s.spec.strides = sh.strides;
  s.spec.dilation = sh.dilation;
  s.spec.padding = core::PaddingKind::explicit_pads;
  s.spec.pad_before = sh.pads;
  s.spec.pad_after = sh.pads;
  if (op == Op::conv2d_transpose) s.spec.output_padding = sh.output_padding;
  s.input = core::Tensor(sh.in_h, sh.in_w, 1, 1.0);
  s.kernel = core::Kernel(sh.k_h, sh.k_w, 1, 1, 1.0);
  return s;
}

// Small integers −3 … 3 from a fixed seed (a 32-bit LCG, the same on every
// standard library — std:: distributions are not): each cell its own colour,
// each product a real multiplication, every GIF the same from run to run.
void fill_small_integers(core::Tensor& t, uint32_t seed) {
  uint32_t state = seed * 2654435761u + 12345u;
  for (double& v : t.values) {
    state = state * 1664525u + 1013904223u;
    v = static_cast<double>(static_cast<int>((state >> 16) % 7) - 3);
  }
}

// A vertical-edge kernel in the manner of Sobel's: +1 left of the centre
// column, −1 right of it, 0 on it; the centre rows weigh 2 ([[1,0,−1],[2,0,−2],[1,0,−1]] at 3×3).
// Symmetric neither way, so the transposed convolution's 180° rotation shows.
void edge_kernel(core::Kernel& k) {
  for (int64_t ky = 0; ky < k.kh; ++ky)
    for (int64_t kx = 0; kx < k.kw; ++kx) {
      const int64_t twice_x = 2 * kx - (k.kw - 1), twice_y = 2 * ky - (k.kh - 1);  // ×2 from the centre
      const double column = twice_x < 0 ? 1 : twice_x > 0 ? -1 : 0;
      const double row = std::abs(twice_y) <= 1 ? 2 : 1;
      k.at(ky, kx, 0, 0) = row * column;
    }
}

// The gallery's values: varied small inputs and the edge kernel (the seed cases keep their ones).
core::Scenario with_teaching_values(core::Scenario s, uint32_t seed) {
  fill_small_integers(s.input, seed);
  edge_kernel(s.kernel);
  return s;
}

// The transpose whose output has the conv's input shape: core's adjoint (same
// kernel, stride, padding and dilation; output_padding takes up what the
// stride's floor dropped), on small integers from `seed`.
core::Scenario transposed(const core::Scenario& conv, uint32_t seed) {
  const core::Geometry g = conv.geometry();
  core::Tensor y(g.out_h(), g.out_w(), g.out_channels, 0.0);
  fill_small_integers(y, seed);
  return core::adjoint_transpose(conv, y);
}

// A transposed case twice: its scatter, and conv_arithmetic's gather over the zero-inserted input.
// The caption says which picture it is.
void add_transposed(std::vector<GalleryCase>& cases, const std::string& stem, const core::Scenario& tr, bool classic) {
  core::Scenario scatter = tr, gather = tr;
  scatter.name += " — scatter: each input cell stamps the kernel";
  gather.name += " — gather: a stride-1 convolution over the zero-inserted input";
  cases.push_back({stem + "_scatter", std::move(scatter), classic, core::TraceOrder::scatter});
  cases.push_back({stem + "_gather", std::move(gather), classic, core::TraceOrder::gather});
}

std::string shape_text(const core::Scenario& s) {
  const core::Geometry g = s.geometry();
  return std::to_string(s.input.h) + "×" + std::to_string(s.input.w) + " → " + std::to_string(g.out_h()) + "×" +
         std::to_string(g.out_w());
}

}  // namespace

std::vector<GalleryCase> gallery_cases() {
  struct Classic {
    const char* name;
    const char* title;
    Shape shape;
  };
  // Dumoulin & Visin, "A guide to convolution arithmetic for deep learning" (2016),
  // and the animations of github.com/vdumoulin/conv_arithmetic.
  const Classic classic[] = {
      {"no_padding_no_strides", "No padding, no strides", {4, 4, 3, 3}},
      {"arbitrary_padding_no_strides", "Arbitrary padding, no strides", {5, 5, 4, 4, {1, 1}, {2, 2}}},
      {"same_padding_no_strides", "Half (same) padding, no strides", {5, 5, 3, 3, {1, 1}, {1, 1}}},
      {"full_padding_no_strides", "Full padding, no strides", {5, 5, 3, 3, {1, 1}, {2, 2}}},
      {"no_padding_strides", "No padding, strides", {5, 5, 3, 3, {2, 2}}},
      {"padding_strides", "Padding, strides", {5, 5, 3, 3, {2, 2}, {1, 1}}},
      {"padding_strides_odd", "Padding, strides (odd)", {6, 6, 3, 3, {2, 2}, {1, 1}}},
      {"dilation", "Dilation", {7, 7, 3, 3, {1, 1}, {0, 0}, {2, 2}}},
  };
  std::vector<GalleryCase> cases;
  uint32_t values_seed = 1;  // one per tensor, in catalogue order
  for (const Classic& c : classic) {
    core::Scenario conv = with_teaching_values(ones(Op::conv2d, c.shape), values_seed++);
    conv.name = std::string(c.title) + ": Conv2D " + shape_text(conv);
    core::Scenario tr = transposed(conv, values_seed++);
    tr.name = std::string(c.title) + ", transposed: Conv2DTranspose " + shape_text(tr);
    cases.push_back({c.name, conv, true});
    add_transposed(cases, std::string(c.name) + "_transposed", tr, true);
  }

  // Rectangular: different sizes, kernel sides and strides per axis.
  core::Scenario rect = with_teaching_values(ones(Op::conv2d, {5, 7, 3, 2, {2, 1}, {1, 0}}), values_seed++);
  rect.name = "Rectangular: Conv2D " + shape_text(rect) + ", kernel 3×2, strides (2, 1)";
  core::Scenario rect_t = transposed(rect, values_seed++);
  rect_t.name = "Rectangular, transposed: Conv2DTranspose " + shape_text(rect_t);
  cases.push_back({"rectangular", rect, false});
  add_transposed(cases, "rectangular_transposed", rect_t, false);

  // Keras 'same' with stride 2 on an even input: TF puts the odd pad after
  // (top 0, bottom 1), which no symmetric padding can express.
  core::Scenario same = with_teaching_values(ones(Op::conv2d, {6, 6, 3, 3, {2, 2}}, core::Convention::keras), values_seed++);
  same.spec.padding = core::PaddingKind::same;
  same.spec.pad_before = same.spec.pad_after = {0, 0};
  same.name = "Keras padding='same', strides 2: Conv2D " + shape_text(same);
  core::Scenario same_t =
      with_teaching_values(ones(Op::conv2d_transpose, {3, 3, 3, 3, {2, 2}}, core::Convention::keras), values_seed++);
  same_t.spec.padding = core::PaddingKind::same;
  same_t.spec.pad_before = same_t.spec.pad_after = {0, 0};
  same_t.spec.output_padding.reset();
  same_t.name = "Keras padding='same', strides 2: Conv2DTranspose " + shape_text(same_t);
  cases.push_back({"keras_same_strides", same, false});
  add_transposed(cases, "keras_same_strides_transposed", same_t, false);

  // Stride 2 with a 3×3 kernel: stamps overlap on every other row and column, the
  // checkerboard of Odena et al., "Deconvolution and Checkerboard Artifacts" (2016).
  // Ones here: the picture is the count of overlapping stamps.
  core::Scenario checker = ones(Op::conv2d_transpose, {3, 3, 3, 3, {2, 2}}, core::Convention::keras);
  checker.spec.padding = core::PaddingKind::valid;
  checker.spec.pad_before = checker.spec.pad_after = {0, 0};
  checker.spec.output_padding.reset();
  checker.name = "Checkerboard: Conv2DTranspose " + shape_text(checker) + ", kernel 3×3, strides 2";
  add_transposed(cases, "checkerboard_transposed", checker, false);

  // The seed: 3×3 ones ⊛ 2×2 ones → 2×2 of 4s, and 2×2 → 3×3 with 1-2-1 / 2-4-2 overlaps.
  core::Scenario seed = ones(Op::conv2d, {3, 3, 2, 2}, core::Convention::keras);
  seed.spec.padding = core::PaddingKind::valid;
  seed.name = "Seed: Conv2D shrinks 3×3 to 2×2";
  core::Scenario seed_t = ones(Op::conv2d_transpose, {2, 2, 2, 2}, core::Convention::keras);
  seed_t.spec.padding = core::PaddingKind::valid;
  seed_t.spec.output_padding.reset();
  seed_t.name = "Seed: Conv2DTranspose enlarges 2×2 to 3×3";
  cases.push_back({"seed_conv2d", seed, false});
  add_transposed(cases, "seed_conv2d_transposed", seed_t, false);
  return cases;
}

std::vector<GalleryCase> channel_gallery_cases(const std::string& presets_dir) {
  auto preset = [&presets_dir](const char* stem) {
    return core::load_scenario(presets_dir + "/" + stem + ".json");
  };
  std::vector<GalleryCase> cases;
  for (const char* stem : {"rgb_image_2_filters", "grouped_conv_g2", "depthwise_3x3"}) {
    GalleryCase c{std::string(stem) + "_volume", preset(stem)};
    c.volume = true;
    cases.push_back(std::move(c));
  }
  GalleryCase separable{"depthwise_separable_volume", preset("depthwise_separable_1_depthwise")};
  separable.volume = true;
  separable.more_panes.push_back(preset("depthwise_separable_2_pointwise"));
  cases.push_back(std::move(separable));
  return cases;
}

namespace {
// Jobs alive at once: one rendering, one finishing its encoding (more would only
// hold more frames in memory: the encoders keep up with the renderer).
constexpr size_t kGalleryJobsInFlight = 2;

std::string without_trailing_slash(std::string dir) {
  while (dir.size() > 1 && dir.back() == '/') dir.pop_back();
  return dir;
}
}  // namespace

void make_gallery_dir(const std::string& out_dir) {
  const std::string dir = without_trailing_slash(out_dir);
  if (mkdir(dir.c_str(), 0777) != 0 && errno != EEXIST) fail_write_errno(dir + "/", errno);
}

GalleryReport write_gallery(const std::string& out_dir, render::CanvasRenderer& canvas, int scale, int delay_ms) {
  std::vector<GalleryCase> cases = gallery_cases();
  for (GalleryCase& c : channel_gallery_cases(canvas.resource_dir() + "/assets/presets")) cases.push_back(std::move(c));
  return write_gallery(out_dir, canvas, scale, delay_ms, cases);
}

GalleryReport write_gallery(const std::string& out_dir, render::CanvasRenderer& canvas, int scale, int delay_ms,
                            const std::vector<GalleryCase>& cases) {
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  make_gallery_dir(out_dir);
  const std::string dir = without_trailing_slash(out_dir);
  GalleryReport report;
  // A pipeline on the two cores: this thread renders one case after the other
  // while each job's worker encodes its frames; a job whose frames are all
  // rendered finishes encoding beside the next one's rendering.
  struct Writing {
    std::unique_ptr<ExportJob> job;
    GalleryFile file;
  };
  std::deque<Writing> writing;
  auto finish_oldest = [&] {
    Writing& w = writing.front();
    w.job->run(canvas);  // waits for its worker to put the file in place
    report.render_ms += w.job->render_ms();
    report.encode_ms += w.job->encode_ms();
    report.frames += w.job->frame_count();
    struct stat st {};
    stat(w.file.path.c_str(), &st);
    w.file.bytes = static_cast<long long>(st.st_size);
    w.file.frames = w.job->frame_count();
    report.files.push_back(w.file);
    writing.pop_front();
  };
  for (const GalleryCase& c : cases) {
    ExportSettings s;
    s.format = Format::gif;
    s.out = dir + "/" + c.name + ".gif";
    s.per = Per::cell;
    s.scale = scale;
    s.delay_ms = delay_ms;
    std::vector<model::Pane> panes;
    panes.emplace_back(c.scenario);
    panes.back().set_order(c.order);
    for (const core::Scenario& more : c.more_panes) panes.emplace_back(more);
    for (model::Pane& p : panes) p.volume_view = c.volume;
    // A gathering transpose is conv_arithmetic's picture: the window over the zero-inserted grid.
    s.canvas.equivalent = c.order == core::TraceOrder::gather && core::is_transpose(c.scenario.spec.op);
    s.canvas.slide_text = true;  // read from the back of a room
    auto job = std::make_unique<ExportJob>(std::move(panes), s);
    const render::Size size = job->frame_size(canvas);
    if (writing.size() >= kGalleryJobsInFlight) finish_oldest();
    job->render_all(canvas);
    writing.push_back({std::move(job), {s.out, 0, size.w, size.h, 0}});
  }
  while (!writing.empty()) finish_oldest();
  report.total_ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  return report;
}

}  // namespace exporter
