// bench_core — speed goals of the core, measured in one run and printed as ratios.
//
//   seek:    step(0) vs step(2·10⁹) of a 1.3·10¹⁰-step trace (goal: ratio ≤ 2)
//   compute: 256×256×16 → 16 filters, 3×3, same (report ms and the rate of the
//            multiply-accumulates it performs; compare with the single-thread
//            PyTorch figure in README.md, measured by torch_conv2d.py)
//   parse:   a 4096×4096×1 scenario file (goal ≤ 1.5 s, ≤ 300 MB peak RSS), in a
//            fresh process (this program run again as `bench_core --parse FILE`), so
//            the peak RSS is the parse's own and not this process's 64 MiB trace input
#include <benchmark/benchmark.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>

#include "core/compute.h"
#include "core/geometry.h"
#include "core/scenario.h"
#include "core/trace.h"

namespace {

std::shared_ptr<core::Scenario> huge_conv() {
  auto s = std::make_shared<core::Scenario>();
  s->spec.convention = core::Convention::pytorch;
  s->spec.padding = core::PaddingKind::explicit_pads;
  s->spec.pad_before = s->spec.pad_after = {2, 2};
  s->input = core::Tensor(1024, 1024, 8);
  for (size_t i = 0; i < s->input.values.size(); ++i) s->input.values[i] = static_cast<double>(i % 7) - 3;
  s->kernel = core::Kernel(5, 5, 8, 64);
  for (size_t i = 0; i < s->kernel.values.size(); ++i) s->kernel.values[i] = static_cast<double>(i % 5) - 2;
  return s;
}

const core::Trace& huge_trace() {
  static const core::Trace trace(huge_conv());
  return trace;
}

void BM_SeekStep(benchmark::State& state) {
  const core::Trace& trace = huge_trace();
  const int64_t n = state.range(0);
  for (auto _ : state) benchmark::DoNotOptimize(trace.step(n));
}
// The last tap of a cell costs the most (its `before` sums all earlier taps), so
// both probes are the last tap of their cell: 199 and 2·10⁹ − 1 (both ≡ 199 mod 200).
BENCHMARK(BM_SeekStep)->Arg(199)->Arg(1'999'999'999);

core::Scenario compute256() {
  core::Scenario s;
  s.spec.padding = core::PaddingKind::same;
  s.input = core::Tensor(256, 256, 16);
  for (size_t i = 0; i < s.input.values.size(); ++i) s.input.values[i] = static_cast<double>(i % 11) * 0.1 - 0.5;
  s.kernel = core::Kernel(3, 3, 16, 16);
  for (size_t i = 0; i < s.kernel.values.size(); ++i) s.kernel.values[i] = static_cast<double>(i % 5) * 0.2 - 0.4;
  return s;
}

// The multiply-accumulates compute() performs for a plain (ungrouped) conv: for each
// output cell and filter, the taps that read the input itself times the input channels.
// compute() skips the taps on the zero padding, so they are not counted: for 256×256,
// 3×3, same that is 766² tap positions per channel pair instead of 768², 150 209 536
// multiply-accumulates instead of 150 994 944.
double performed_macs(const core::Scenario& s) {
  const core::Geometry g = core::validate(s);
  auto inside = [](const core::AxisGeometry& a) {
    int64_t taps = 0;
    for (int64_t o = 0; o < a.out; ++o) {
      const auto [first, last] = a.conv_taps_inside(o);
      if (last >= first) taps += last - first + 1;
    }
    return static_cast<double>(taps);
  };
  return inside(g.axes[0]) * inside(g.axes[1]) * static_cast<double>(g.in_per_group() * g.out_channels);
}

void BM_Compute256(benchmark::State& state) {
  const core::Scenario s = compute256();
  for (auto _ : state) benchmark::DoNotOptimize(core::compute(s));
  // Per iteration, divided by the wall-clock time of one (UseRealTime): MAC/s.
  state.counters["MAC/s"] = benchmark::Counter(performed_macs(s), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_Compute256)->Unit(benchmark::kMillisecond)->UseRealTime();

std::string big_scenario_file() {
  const std::string path = "/tmp/convscope_bench_4096.json";
  std::ofstream out(path);
  out << R"({"op": "conv2d", "kernel": [[[[1]]]], "input": [)";
  std::string row;
  for (int y = 0; y < 4096; ++y) {
    row.clear();
    row += y ? ",[" : "[";
    for (int x = 0; x < 4096; ++x) {
      row += x ? ",[" : "[";
      row += std::to_string((x * 7 + y) % 10);
      row += ']';
    }
    row += ']';
    out << row;
  }
  out << "]}";
  return path;
}

// Peak resident memory of this process so far (VmHWM), in MB.
double peak_rss_mb() {
  std::ifstream status("/proc/self/status");
  for (std::string line; std::getline(status, line);)
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;
  return 0;
}

// `bench_core --parse FILE`, the child of measure_parse(): prints the seconds the load
// took, the peak RSS before it (the program itself) and after it.
int parse_child(const char* path) {
  const double before = peak_rss_mb();
  const auto t0 = std::chrono::steady_clock::now();
  const core::Scenario s = core::load_scenario(path);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  std::printf("%.6f %.1f %.1f\n", seconds, before, peak_rss_mb());
  return s.input.h == 4096 ? 0 : 1;
}

struct ParseResult {
  double seconds = 0;
  double baseline_mb = 0;  // the fresh process before parsing (program, libraries)
  double peak_mb = 0;      // its peak with the parse
  bool ok = false;
};

// Loads the file in a fresh process (this program exec'd again, not a fork of this one,
// which would carry the trace benchmark's input in its resident pages).
ParseResult measure_parse(const std::string& path) {
  ParseResult r;
  int out[2];
  if (pipe(out) != 0) return r;
  const pid_t pid = fork();
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    execl("/proc/self/exe", "bench_core", "--parse", path.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  close(out[1]);
  char text[128] = {};
  ssize_t n = 0, got = 0;
  while (got < static_cast<ssize_t>(sizeof text) - 1 && (n = read(out[0], text + got, sizeof text - 1 - got)) > 0) got += n;
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  r.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
         std::sscanf(text, "%lf %lf %lf", &r.seconds, &r.baseline_mb, &r.peak_mb) == 3;
  return r;
}

// Keeps the results so that main() can print ratios measured in this run.
class CollectingReporter : public benchmark::ConsoleReporter {
 public:
  std::map<std::string, double> real_ns;
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs)
      if (run.run_type == Run::RT_Iteration) real_ns[run.benchmark_name()] = run.GetAdjustedRealTime();
    ConsoleReporter::ReportRuns(runs);
  }
};

}  // namespace

int main(int argc, char** argv) {
  if (argc == 3 && std::strcmp(argv[1], "--parse") == 0) return parse_child(argv[2]);
  benchmark::Initialize(&argc, argv);
  huge_trace();  // build outside the timings
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  std::printf("\n== convscope core goals (this run) ==\n");
  const double near = reporter.real_ns["BM_SeekStep/199"];
  const double far = reporter.real_ns["BM_SeekStep/1999999999"];
  if (near > 0 && far > 0)
    std::printf("seek: step 199 %.0f ns, step 1999999999 %.0f ns, ratio %.2f (goal <= 2)\n", near, far, far / near);
  const double compute_ms = reporter.real_ns["BM_Compute256/real_time"];  // reported in ms by ->Unit
  const double macs = performed_macs(compute256());
  if (compute_ms > 0)
    std::printf("compute 256x256x16 -> 16, 3x3 same: %.1f ms, %.2f GMAC/s (%.0f multiply-accumulates, padding taps skipped)\n",
                compute_ms, macs / (compute_ms * 1e-3) / 1e9, macs);
  const ParseResult parse = measure_parse(big_scenario_file());
  if (parse.ok)
    std::printf("parse 4096x4096x1 scenario: %.2f s (goal <= 1.5), peak RSS %.0f MB in a fresh process, %.0f MB of it "
                "the program before parsing (goal <= 300)\n",
                parse.seconds, parse.peak_mb, parse.baseline_mb);
  else
    std::printf("parse 4096x4096x1 scenario: FAILED (the child process did not load it)\n");
  std::remove("/tmp/convscope_bench_4096.json");
  return 0;
}
