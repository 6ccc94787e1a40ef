// ExportJob as a window drives it (a few milliseconds a UI frame, Cancel at
// any time) and the limits it checks before writing anything.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <thread>

#include "app/export/export_job.h"
#include "app/export/frame_limits.h"
#include "core/errors.h"
#include "export_test_support.h"
#include "headless_canvas.h"

using namespace exporter;
using export_test::TempDir;

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

render::CanvasRenderer& canvas() { return export_test::headless_canvas(); }

// Ones: an h×w input under a k×k kernel (PyTorch), explicit padding and strides.
core::Scenario ones(int64_t h, int64_t w, int64_t k, core::Pair padding = {0, 0}, core::Pair strides = {1, 1}) {
  core::Scenario s;
  s.spec.convention = core::Convention::pytorch;
  s.spec.strides = strides;
  s.spec.padding = core::PaddingKind::explicit_pads;
  s.spec.pad_before = s.spec.pad_after = padding;
  s.input = core::Tensor(h, w, 1, 1.0);
  s.kernel = core::Kernel(k, k, 1, 1, 1.0);
  return s;
}

std::vector<model::Pane> panes_of(const core::Scenario& s) {
  std::vector<model::Pane> v;
  v.emplace_back(s);
  return v;
}

ExportSettings gif(const std::string& out, Per per = Per::step) {
  ExportSettings s;
  s.format = Format::gif;
  s.out = out;
  s.per = per;
  return s;
}

// The renderer's first frame of a shape compiles shaders and sizes textures:
// not the export's doing.
void warm_up(const core::Scenario& s, render::Size size = {}) {
  model::Pane p(s);
  render::CanvasOptions o;
  if (size.w == 0) size = canvas().preferred_size({&p}, o);
  canvas().render({&p}, o, size.w, size.h);
}

double percentile(std::vector<double> v, double q) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))];
}

}  // namespace

// A window calls run_for(canvas, 10) once a UI frame. Issue 8 asks that a UI
// frame never takes more than ~50 ms because of the export: run_for renders
// only while its budget lasts (never starting a frame that its last frame's
// time says would overrun it), never waits for the encoder, and leaves the
// output's commit to the worker. Time is measured as this thread's CPU time:
// what the export costs the UI thread, not what a busy machine's scheduler
// adds (llvmpipe rasterises on this thread here: LP_NUM_THREADS=0).
TEST(ExportJob, RunForHoldsTheWindowBrieflyEveryCall) {
  TempDir dir;
  const core::Scenario s = ones(12, 12, 3);  // 10×10 cells × 9 taps = 900 frames
  warm_up(s);
  ExportJob job(panes_of(s), gif(dir / "long.gif"));
  job.begin(canvas());
  std::vector<double> cpu, wall, idle_wall;  // per call; calls that rendered nothing
  int64_t most_frames = 0;
  bool done = false;
  const auto t_start = Clock::now();
  while (!done) {
    const int64_t before = job.frames_done();
    timespec c0{}, c1{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
    const auto t0 = Clock::now();
    done = job.run_for(canvas(), 10.0);
    wall.push_back(ms_since(t0));
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
    cpu.push_back((c1.tv_sec - c0.tv_sec) * 1e3 + (c1.tv_nsec - c0.tv_nsec) / 1e6);
    most_frames = std::max(most_frames, job.frames_done() - before);
    if (job.frames_done() == before) idle_wall.push_back(wall.back());
    std::this_thread::sleep_for(std::chrono::milliseconds(4));  // the rest of the UI frame
    ASSERT_LT(ms_since(t_start), 120000.0) << "the export did not finish";
  }
  const double frame_ms = job.render_ms() / static_cast<double>(job.frame_count());
  RecordProperty("calls", static_cast<int>(wall.size()));
  RecordProperty("mean_frame_ms", std::to_string(frame_ms));
  RecordProperty("cpu_p99_ms", std::to_string(percentile(cpu, 0.99)));
  RecordProperty("wall_median_ms", std::to_string(percentile(wall, 0.5)));
  RecordProperty("wall_max_ms", std::to_string(percentile(wall, 1.0)));
  EXPECT_EQ(export_test::DecodedGif(dir / "long.gif").frames(), 900);
  // The 10 ms budget and at most about one frame past it.
  EXPECT_LT(percentile(cpu, 0.99), 50.0) << "mean frame " << frame_ms << " ms, at most " << most_frames << " a call";
  EXPECT_LT(percentile(cpu, 1.0), 50.0 + 2 * frame_ms);
  EXPECT_LT(percentile(wall, 0.5), 50.0);
  // Calls that found the encoder behind (or the commit under way) return at once.
  if (!idle_wall.empty()) {
    EXPECT_LT(percentile(idle_wall, 0.5), 2.0);
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"long.gif"});
}

// The direct result (up to seconds at the work limit) is computed by the
// worker: meanwhile run_for renders nothing and returns at once.
TEST(ExportJob, TheDirectResultIsComputedOffTheCallingThread) {
  TempDir dir;
  const core::Scenario s = ones(640, 640, 48);  // 593² × 2304 = 8.1·10⁸ MACs
  ExportSettings settings = gif(dir / "big.gif", Per::key);
  settings.size = {640, 400};
  model::Pane fresh(s);  // its trace has no result yet
  ASSERT_FALSE(fresh.trace().has_result());
  std::vector<model::Pane> panes{fresh};
  ExportJob job(std::move(panes), settings);
  job.begin(canvas());
  int waiting_calls = 0;
  double longest_wait_ms = 0;
  while (job.frames_done() == 0) {
    const auto t0 = Clock::now();
    job.run_for(canvas(), 10.0);
    if (job.frames_done() == 0) ++waiting_calls, longest_wait_ms = std::max(longest_wait_ms, ms_since(t0));
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  EXPECT_GT(waiting_calls, 3);  // it took a while…
  EXPECT_LT(longest_wait_ms, 20.0);  // …and none of it on this thread
  EXPECT_TRUE(fresh.trace().has_result());  // shared with the pane it was copied from
  job.request_cancel();
}

TEST(ExportJob, CancelReturnsAtOnceAndTheWorkerLeavesNothing) {
  TempDir dir;
  const core::Scenario s = ones(16, 16, 3);
  warm_up(s);
  for (Format format : {Format::gif, Format::png_frames}) {
    ExportSettings settings = gif(dir / (format == Format::gif ? "long.gif" : "frames/"));
    settings.format = format;
    ExportJob job(panes_of(s), settings);
    job.begin(canvas());
    while (job.frames_done() < 40) job.run_for(canvas(), 10.0);
    const auto t0 = Clock::now();
    job.request_cancel();
    EXPECT_LT(ms_since(t0), 20.0);  // no join, no file removal: a flag and a notify (room for a busy machine)
    EXPECT_TRUE(job.cancelled());
    EXPECT_TRUE(job.run_for(canvas(), 10.0));  // nothing more to do
    const auto t1 = Clock::now();
    while (!job.stopped()) {
      ASSERT_LT(ms_since(t1), 10000.0);
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    EXPECT_EQ(dir.entries(), std::vector<std::string>{}) << format_name(format);  // no temporary, no frames/ folder
  }
}

TEST(ExportJob, LimitsAreCheckedBeforeAnythingIsWritten) {
  TempDir dir;
  {  // a frame over the size cap
    ExportSettings s = gif(dir / "a.gif");
    s.size = {kMaxFrameSide + 2, 100};
    ExportJob job(panes_of(export_test::seed_conv()), s);
    try {
      job.begin(canvas());
      FAIL() << "no error";
    } catch (const core::Error& e) {
      EXPECT_EQ(e.code(), core::ErrorCode::frame_too_large);
    }
    s.size = {8192, 4097};  // each side within the cap, the area not
    ExportJob area(panes_of(export_test::seed_conv()), s);
    EXPECT_THROW(area.begin(canvas()), core::Error);
    s.size = {8192, 4096};  // exactly the cap: fine (only checked here, not rendered)
    ExportJob fits(panes_of(export_test::seed_conv()), s);
    EXPECT_NO_THROW(fits.check_limits(canvas()));
  }
  {  // padding 20 000 (issue 8: > 10 GB once): drawn elided, a few cells per side and a break mark
    std::vector<model::Pane> panes = panes_of(ones(2, 2, 1, {20000, 20000}, {10000, 10000}));
    std::vector<const model::Pane*> ptrs;
    for (const model::Pane& p : panes) ptrs.push_back(&p);
    EXPECT_LT(canvas().grid_cells(ptrs, render::CanvasOptions{}), 1000);
    ExportJob job(std::move(panes), gif(dir / "b.gif"));
    EXPECT_NO_THROW(job.begin(canvas()));
    job.request_cancel();
  }
  // Past the work limit: refused when the job is made.
  try {
    ExportJob job(panes_of(ones(1, 1, 64, {4000, 4000})), gif(dir / "c.gif"));
    FAIL() << "no error";
  } catch (const core::Error& e) {
    EXPECT_EQ(e.code(), core::ErrorCode::work_over_limit);
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

TEST(ExportJob, GridCellsCountPaddingAndTheEquivalentRow) {
  model::Pane conv(ones(5, 5, 3, {2, 1}));  // padded 9×7 input + 3×3 kernel + 7×5 output
  render::CanvasOptions o;
  EXPECT_EQ(canvas().grid_cells({&conv}, o), 9 * 7 + 9 + 7 * 5);
  // The seed transpose, 2×2 → 3×3, with its equivalent conv: the 3+2-1 = 4×4
  // zero-inserted padded input, the rotated 2×2 kernel and the 3×3 output.
  model::Pane tr(export_test::seed_transpose());
  o.equivalent = true;
  EXPECT_EQ(canvas().grid_cells({&tr}, o), 4 + 4 + 9 + 16 + 4 + 9);
  EXPECT_EQ(canvas().grid_cells({&conv, &tr}, o), 9 * 7 + 9 + 7 * 5 + 46);
}

