// bench_core — speed goals of the core, measured in one run and printed as ratios.
//
//   seek:    step(0) vs step(2·10⁹) of a 1.3·10¹⁰-step trace (goal: ratio ≤ 2)
//   compute: 256×256×16 → 16 filters, 3×3, same (report ms; compare with the
//            single-thread PyTorch figure in README.md, measured by torch_conv2d.py)
//   parse:   a 4096×4096×1 scenario file (goal ≤ 1.5 s, ≤ 300 MB peak RSS)
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <map>
#include <memory>

#include "core/compute.h"
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

void BM_Compute256(benchmark::State& state) {
  core::Scenario s;
  s.spec.padding = core::PaddingKind::same;
  s.input = core::Tensor(256, 256, 16);
  for (size_t i = 0; i < s.input.values.size(); ++i) s.input.values[i] = static_cast<double>(i % 11) * 0.1 - 0.5;
  s.kernel = core::Kernel(3, 3, 16, 16);
  for (size_t i = 0; i < s.kernel.values.size(); ++i) s.kernel.values[i] = static_cast<double>(i % 5) * 0.2 - 0.4;
  for (auto _ : state) benchmark::DoNotOptimize(core::compute(s));
  state.counters["MMAC/s"] = benchmark::Counter(256.0 * 256 * 16 * 16 * 9 / 1e6, benchmark::Counter::kIsRate);
}
BENCHMARK(BM_Compute256)->Unit(benchmark::kMillisecond);

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

struct ParseResult {
  double seconds = 0;
  double peak_mb = 0;
};

// Loads the file in a child process so its peak RSS is the load's alone.
ParseResult measure_parse(const std::string& path) {
  int pipe_fd[2];
  if (pipe(pipe_fd) != 0) return {};
  const pid_t pid = fork();
  if (pid == 0) {
    const auto t0 = std::chrono::steady_clock::now();
    const core::Scenario s = core::load_scenario(path);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    ParseResult r{seconds, usage.ru_maxrss / 1024.0};
    if (write(pipe_fd[1], &r, sizeof r) != sizeof r) _exit(1);
    _exit(s.input.h == 4096 ? 0 : 1);
  }
  ParseResult r;
  if (read(pipe_fd[0], &r, sizeof r) != sizeof r) r = {};
  waitpid(pid, nullptr, 0);
  close(pipe_fd[0]);
  close(pipe_fd[1]);
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
  benchmark::Initialize(&argc, argv);
  huge_trace();  // build outside the timings
  CollectingReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);

  std::printf("\n== convscope core goals (this run) ==\n");
  const double near = reporter.real_ns["BM_SeekStep/199"];
  const double far = reporter.real_ns["BM_SeekStep/1999999999"];
  if (near > 0 && far > 0)
    std::printf("seek: step 199 %.0f ns, step 1999999999 %.0f ns, ratio %.2f (goal <= 2)\n", near, far, far / near);
  const double compute_ms = reporter.real_ns["BM_Compute256"];  // reported in ms by ->Unit
  if (compute_ms > 0) std::printf("compute 256x256x16 -> 16, 3x3 same: %.1f ms\n", compute_ms);
  const ParseResult parse = measure_parse(big_scenario_file());
  std::printf("parse 4096x4096x1 scenario: %.2f s (goal <= 1.5), peak RSS %.0f MB (goal <= 300)\n", parse.seconds,
              parse.peak_mb);
  std::remove("/tmp/convscope_bench_4096.json");
  return 0;
}
