// scenario_fuzzer.cpp — the libFuzzer target: any bytes, read as a scenario
// file, through everything that handles a scenario without a GL context:
// read → validate → compute → trace → explain → views → canvas layout.
//
// Bad input must end in core::Error (the one-line message the CLI prints and
// the GUI shows in red): this harness catches it and moves on. Everything
// else is a finding and ends the run with the input saved: any other
// exception (std::terminate at the throw, see the end), a sanitizer report, a timeout
// (-timeout) or memory past -rss_limit_mb. A few identities the unit tests
// also check (the file round-trips, trace replay equals compute, the adjoint
// gives back the conv's input size) abort too: a wrong answer is a bug as
// much as a crash.
//
// Work per input is bounded, so that a scenario the core rightly accepts (an
// 8192×8192 output of a 64×64 kernel is valid, and minutes of arithmetic)
// does not read as a timeout: the full output (compute, partial_output, the
// adjoint) only up to kMaxFullWork multiply-adds — the app computes whatever
// the core accepts; limiting that is the core's business, not this harness's —
// the conv matrix only as small as the Matrix panel draws it, the arithmetic
// terms only up to kMaxTermWork. What the app does for every scenario it
// opens — the trace, step(n) and the lookups around it (O(kernel) each),
// explain, the zero-insertion view of a transpose, the layout — runs on every
// accepted input, unbounded.
//
// scenario_mutator.cpp edits inputs as JSON as well as bytes. Build: cmake
// -DCONVSCOPE_FUZZ=ON with clang (tests/fuzz/CMakeLists.txt); run:
// tests/fuzz/run_fuzz.sh (see the README's Tests section).
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "app/model/arithmetic_text.h"
#include "app/model/equivalent_view.h"
#include "app/model/pane.h"
#include "app/render/canvas_layout.h"
#include "core/compute.h"
#include "core/errors.h"
#include "core/explain.h"
#include "core/scenario.h"
#include "core/trace.h"
#include "core/views.h"

namespace {

// Multiply-adds (one per trace step) plus output cells. Everything the harness
// does per output cell (compute, three partial outputs, JSON, the comparisons)
// costs ~1.2 µs under the fuzzer's instrumentation (measured: a 1.25 M-cell
// output took 1.5 s), so this keeps the largest inputs near 80 ms.
constexpr int64_t kMaxFullWork = int64_t{1} << 16;
// The Matrix panel draws C only when rows × columns ≤ 256² (gui/panels/matrix_panel.cpp).
constexpr int64_t kMaxMatrixCells = 256 * 256;
// conv_terms costs O(terms × taps); the Arithmetic panel asks for up to 400 terms.
constexpr int64_t kMaxTermWork = int64_t{1} << 20;
constexpr int64_t kPanelTerms = 400;

[[noreturn]] void finding(const std::string& what) {
  std::fprintf(stderr, "scenario_fuzzer: %s\n", what.c_str());
  std::fflush(stderr);
  std::abort();
}

void require(bool ok, const std::string& what) {
  if (!ok) finding("identity broken: " + what);
}

// Trace replay equals compute bit for bit (the trace sums in compute's order);
// a sum that overflowed to inf − inf is NaN on both sides.
bool same_value(double a, double b) { return a == b || (std::isnan(a) && std::isnan(b)); }

bool same_tensor(const core::Tensor& a, const core::Tensor& b) {
  if (a.h != b.h || a.w != b.w || a.c != b.c || a.values.size() != b.values.size()) return false;
  for (size_t i = 0; i < a.values.size(); ++i)
    if (!same_value(a.values[i], b.values[i])) return false;
  return true;
}

// Runs one stage; its core::Error is an accepted outcome (a view the op has no
// use for, an adjoint PyTorch cannot express) and must not skip later stages.
template <typename Stage>
void stage(Stage&& run) {
  try {
    run();
  } catch (const core::Error&) {
  }
}

// Deterministic choices per input (positions, options), so a saved input
// replays exactly: FNV-1a of the bytes, then a small generator.
struct Choices {
  uint64_t state;
  explicit Choices(std::string_view bytes) : state(1469598103934665603ull) {
    for (unsigned char c : bytes) state = (state ^ c) * 1099511628211ull;
  }
  uint64_t next() {
    state = state * 6364136223846793005ull + 1442695040888963407ull;
    return state >> 17;
  }
  int64_t below(int64_t n) { return n <= 0 ? 0 : static_cast<int64_t>(next() % static_cast<uint64_t>(n)); }
  bool flip() { return (next() & 1) != 0; }
};

// Coverage for magnitudes. libFuzzer keeps an input when it reaches new code,
// but a stride of 2 and one of 2³⁰ run the same code: the overflows and huge
// allocations that parameters near the limits cause stay out of reach. One
// function per (quantity, bit length) makes each new power of two new
// coverage, so the corpus climbs toward the limits one digit at a time.
enum class Quantity { dilated_kernel, pads_or_crop, stride, equivalent_grid, count };

template <int Q, int Bits>
__attribute__((noinline)) void magnitude_reached() {
  static volatile int hits;
  hits = hits + 1;  // a body of its own, so no two instances fold into one function
}

template <int Q, size_t... Bits>
constexpr std::array<void (*)(), sizeof...(Bits)> magnitude_marks(std::index_sequence<Bits...>) {
  return {&magnitude_reached<Q, static_cast<int>(Bits)>...};
}

template <size_t... Qs>
constexpr auto all_magnitude_marks(std::index_sequence<Qs...>) {
  return std::array<std::array<void (*)(), 65>, sizeof...(Qs)>{
      magnitude_marks<static_cast<int>(Qs)>(std::make_index_sequence<65>{})...};
}

void note_magnitude(Quantity q, int64_t v) {
  static constexpr auto kMarks = all_magnitude_marks(std::make_index_sequence<static_cast<size_t>(Quantity::count)>{});
  const uint64_t u = v < 0 ? 0 - static_cast<uint64_t>(v) : static_cast<uint64_t>(v);
  const int bits = u == 0 ? 0 : 64 - __builtin_clzll(u);
  kMarks[static_cast<size_t>(q)][static_cast<size_t>(bits)]();
}

void note_magnitudes(const core::Geometry& g) {
  for (const core::AxisGeometry& a : g.axes) {
    note_magnitude(Quantity::dilated_kernel, a.dilated_kernel);
    note_magnitude(Quantity::pads_or_crop, std::max({a.pad_before, a.pad_after, a.crop_before, a.crop_after}));
    note_magnitude(Quantity::stride, a.stride);
    if (g.op == core::Op::conv2d_transpose) note_magnitude(Quantity::equivalent_grid, a.out + a.dilated_kernel - 1);
  }
}

int64_t output_cells(const core::Geometry& g) { return g.out_h() * g.out_w() * g.out_channels; }

// What compute() (or final_output) costs: one multiply-add per step, one write per output cell.
int64_t full_work(const core::Trace& t) { return t.count() + output_cells(t.geometry()); }

// What partial_output(n) costs beyond the cached full result: a Conv2D sums at
// most one output cell; a Conv2DTranspose sums a band of up to dk output rows,
// each cell over the kernel.
// (In double: the product of six sizes can pass 2⁶³.)
double partial_work(const core::Trace& t) {
  const core::Geometry& g = t.geometry();
  const core::Kernel& k = t.scenario().kernel;
  const double kernel_taps = static_cast<double>(k.kh) * static_cast<double>(k.kw) * static_cast<double>(k.in_channels);
  if (g.op == core::Op::conv2d) return static_cast<double>(output_cells(g)) + kernel_taps;
  const double band_cells = static_cast<double>(std::min(g.out_h(), g.axes[0].dilated_kernel)) *
                            static_cast<double>(g.out_w()) * static_cast<double>(g.out_channels);
  return static_cast<double>(output_cells(g)) + band_cells * kernel_taps;
}

// Every field the file holds survives writing and reading back.
void check_round_trip(const core::Scenario& s) {
  const core::Scenario back = core::parse_scenario(core::scenario_to_json(s, /*pretty=*/false));
  require(back.spec.op == s.spec.op && back.spec.convention == s.spec.convention &&
              back.spec.strides == s.spec.strides && back.spec.dilation == s.spec.dilation &&
              back.spec.padding == s.spec.padding && back.spec.pad_before == s.spec.pad_before &&
              back.spec.pad_after == s.spec.pad_after && back.spec.pads_per_side == s.spec.pads_per_side &&
              back.spec.output_padding == s.spec.output_padding,
          "scenario_to_json → parse_scenario changes the spec");
  require(back.input_layout == s.input_layout && back.kernel_layout == s.kernel_layout && back.name == s.name &&
              back.description == s.description,
          "scenario_to_json → parse_scenario changes the layouts or the text");
  require(back.input.h == s.input.h && back.input.w == s.input.w && back.input.c == s.input.c &&
              back.input.values == s.input.values,
          "scenario_to_json → parse_scenario changes the input");
  require(back.kernel.kh == s.kernel.kh && back.kernel.kw == s.kernel.kw &&
              back.kernel.in_channels == s.kernel.in_channels && back.kernel.out_channels == s.kernel.out_channels &&
              back.kernel.values == s.kernel.values,
          "scenario_to_json → parse_scenario changes the kernel");
  require(back.bias == s.bias, "scenario_to_json → parse_scenario changes the bias");
}

// The steps a user can land on: both ends, the middle, a few anywhere.
std::vector<int64_t> positions(const core::Trace& t, Choices& choose) {
  const int64_t n = t.count();
  std::vector<int64_t> at = {0, n / 2, n - 1};
  for (int i = 0; i < 3; ++i) at.push_back(choose.below(n));
  return at;
}

// Everything the cursor, the timeline, the arithmetic line and the click-to-jump read.
void exercise_step(const core::Trace& t, int64_t n, const model::ArithmeticNames& names) {
  const core::Step st = t.step(n);
  require(st.index == n, "step(n).index != n");
  const int64_t unit = t.unit_of_step(n);
  require(t.first_step_of_unit(unit) <= n && n <= t.last_step_of_unit(unit), "step n outside its own unit");
  const core::Geometry& g = t.geometry();
  const bool on_output = st.output.y >= 0 && st.output.y < g.out_h() && st.output.x >= 0 && st.output.x < g.out_w();
  if (on_output) {
    const int64_t first = t.first_step_of_output_cell(st.output);
    require(first >= 0 && first <= n, "first_step_of_output_cell comes after a step that writes the cell");
    if (st.after) require(same_value(t.value_after(st.output, n), *st.after), "value_after(n) != step(n).after");
  }
  if (st.input && t.scenario().input.contains(st.input->y, st.input->x)) {
    const int64_t first = t.first_step_of_input_cell(*st.input);
    require(first >= 0 && first <= n, "first_step_of_input_cell comes after a step that reads the cell");
  }
  if (g.op == core::Op::conv2d) {
    (void)model::conv_term(names, st);
    const int64_t taps = std::max<int64_t>(t.steps_per_unit(), 1);
    (void)model::conv_terms(t, n, std::min(kPanelTerms, std::max<int64_t>(kMaxTermWork / taps, 1)));
  } else {
    (void)model::transpose_step_line(names, st);
  }
  (void)model::unit_text(t, n);
  (void)model::step_position_text(n, t.count());
}

// The trace, and the full output where the app would compute it.
void exercise_trace(const std::shared_ptr<const core::Scenario>& scenario, Choices& choose) {
  const core::Trace t(scenario);
  require(t.count() >= 1, "a valid scenario with an empty trace");
  const model::ArithmeticNames names = model::arithmetic_names(t);
  const std::vector<int64_t> at = positions(t, choose);
  for (int64_t n : at) stage([&] { exercise_step(t, n, names); });
  // Out of range is a core::Error, never a crash.
  stage([&] { (void)t.step(t.count()); });
  stage([&] { (void)t.step(-1); });
  stage([&] { (void)t.first_step_of_output_cell({t.geometry().out_h(), 0, 0}); });
  stage([&] { (void)t.first_step_of_input_cell({-1, 0, 0}); });

  if (full_work(t) > kMaxFullWork) return;
  const core::Tensor direct = core::compute(*scenario);
  require(same_tensor(direct, t.final_output()), "Trace::final_output != compute");
  (void)core::output_to_json(*scenario, direct);
  if (partial_work(t) > static_cast<double>(kMaxFullWork)) return;
  for (size_t i = 0; i < at.size(); i += 2) {  // three positions: a partial output costs a whole output
    const int64_t n = at[i];
    const core::Tensor partial = t.partial_output(n);
    const core::Step st = t.step(n);
    if (st.after)
      require(same_value(partial.at(st.output.y, st.output.x, st.output.c), *st.after),
              "partial_output(n) != step(n).after at the step's output cell");
  }
  require(same_tensor(t.partial_output(t.count() - 1), direct), "partial_output(last) != compute");
}

// The zero-insertion view of a transpose, as the canvas and the step mapping use it.
void exercise_transpose_views(const model::EquivalentView& eq, const std::shared_ptr<const core::Scenario>& scenario,
                              Choices& choose) {
  (void)eq.caption();
  for (int i = 0; i < 4; ++i) {
    const int64_t y = choose.below(eq.rows() + 2) - 1, x = choose.below(eq.cols() + 2) - 1;
    (void)eq.cell(y, x);
    (void)eq.input_cell(y, x);
  }
  const core::Trace t(scenario);
  for (int64_t n : positions(t, choose)) {
    const core::Step st = t.step(n);
    const std::optional<core::Step> mac = eq.mac_of_scatter(t, st);
    if (!mac) continue;
    require(same_value(*mac->a, *st.a) && same_value(mac->w, st.w),
            "the equivalent view's mac multiplies other numbers than the scatter");
    require(core::scatter_step_of_view(t, eq.view(), *mac) == n, "scatter_step_of_view(mac_of_scatter(n)) != n");
  }
}

// The conv matrix (as the Matrix panel draws it) and the adjoint transpose (as the gallery builds it).
void exercise_conv_views(const std::shared_ptr<const core::Scenario>& scenario, Choices& choose) {
  const core::Trace t(scenario);
  const core::Geometry& g = t.geometry();
  if (scenario->input.size() * output_cells(g) <= kMaxMatrixCells) {
    const core::ConvMatrix m = core::conv_matrix(*scenario);
    for (int64_t n : positions(t, choose)) {
      const core::Step st = t.step(n);
      if (st.kind != core::StepKind::mac) continue;
      const core::MatrixPosition p = core::matrix_position(t, st);
      require(p.row >= 0 && p.row < m.rows && p.col >= -1 && p.col < m.cols, "matrix_position outside C");
    }
  }
  if (full_work(t) > kMaxFullWork) return;
  stage([&] {
    const core::Scenario adjoint =
        core::adjoint_transpose(*scenario, core::Tensor(g.out_h(), g.out_w(), g.out_channels, 1.0));
    const core::Geometry ag = adjoint.geometry();
    require(ag.out_h() == scenario->input.h && ag.out_w() == scenario->input.w &&
                ag.out_channels == scenario->input.c,
            "adjoint_transpose does not give back the conv's input shape");
    const core::Trace at(std::make_shared<const core::Scenario>(adjoint));
    if (full_work(at) <= kMaxFullWork) (void)core::compute(adjoint);
  });
}

// The renderer's layout arithmetic (render/canvas_layout.cpp), as a frame and an export run it.
// `view`: the pane's zero-insertion view, if the core could build one.
void exercise_layout(const model::Pane& pane, const model::EquivalentView* view, Choices& choose) {
  render::CanvasOptions opt;
  opt.title = choose.flip();
  opt.arithmetic = choose.flip();
  opt.formula = choose.flip();
  opt.legend = choose.flip();
  opt.equivalent = choose.flip();
  static constexpr float kScales[] = {1.0f, 1.5f, 2.0f, 4.0f};
  const size_t scale = static_cast<size_t>(choose.below(4));
  opt.content_scale = kScales[scale];
  // The layout measures text: fonts only, no GL (one set per scale, built once: a rebuild costs ~50 ms).
  static std::vector<std::unique_ptr<render::CanvasText>> fonts = [] {
    std::vector<std::unique_ptr<render::CanvasText>> f;
    for (float s : kScales) {
      f.push_back(std::make_unique<render::CanvasText>(/*gl=*/false));
      f.back()->set_scale(s);
    }
    return f;
  }();
  const render::CanvasText& text = *fonts[scale];

  const render::Shape sh = render::shape_of(pane, opt);
  const render::Metrics m = render::metrics_for(opt, text);
  // As CanvasRenderer::Impl::equivalent_view: none when the core refused it or it disagrees with the shape.
  const model::EquivalentView* eq =
      sh.eq && view && view->rows() == sh.eq_rows && view->cols() == sh.eq_cols ? view : nullptr;
  const render::Size natural = render::natural_size({&pane}, opt, text);
  require(natural.w >= 64 && natural.h >= 64, "natural_size below its 64 px floor");
  const render::Size sizes[] = {natural,
                                {320, 240},
                                {static_cast<int>(1 + choose.below(6000)), static_cast<int>(1 + choose.below(6000))}};
  for (const render::Size& size : sizes) {
    const std::vector<const model::Pane*> panes(static_cast<size_t>(1 + choose.below(6)), &pane);
    const auto rects = render::pane_rects(panes, opt, text, static_cast<float>(size.w), static_cast<float>(size.h));
    const int index = static_cast<int>(choose.below(static_cast<int64_t>(panes.size())));
    std::vector<render::GridRect> grids;
    (void)render::lay_out_pane(pane, sh, m, text, opt, rects[static_cast<size_t>(index)], index, eq, grids);
    require(grids.size() == (eq ? 6u : 3u), "lay_out_pane placed the wrong number of grids");
  }
}

void exercise(std::string_view text) {
  std::shared_ptr<const core::Scenario> scenario;
  try {
    scenario = std::make_shared<const core::Scenario>(core::parse_scenario(text));
  } catch (const core::Error&) {
    return;  // rejected with a message: what bad input must get
  }
  note_magnitudes(scenario->geometry());
  Choices choose(text);
  stage([&] { check_round_trip(*scenario); });
  stage([&] { (void)core::explain(*scenario); });
  stage([&] { exercise_trace(scenario, choose); });
  // A transpose's zero-insertion view, built once as the renderer builds it once per scenario.
  std::unique_ptr<const model::EquivalentView> view;
  if (scenario->spec.op == core::Op::conv2d_transpose) {
    stage([&] { view = std::make_unique<const model::EquivalentView>(scenario); });
    if (view) stage([&] { exercise_transpose_views(*view, scenario, choose); });
  } else {
    stage([&] { exercise_conv_views(scenario, choose); });
  }
  stage([&] {
    const model::Pane pane(*scenario);
    exercise_layout(pane, view.get(), choose);
  });
}

}  // namespace

// Deliberately no catch-all: an exception other than core::Error finds no
// handler, so std::terminate runs at the throw ("terminate called after
// throwing an instance of 'std::length_error'") with the stack unwound no
// further, and libFuzzer's report shows the function that threw.
extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  exercise(std::string_view(reinterpret_cast<const char*>(data), size));
  return 0;
}
