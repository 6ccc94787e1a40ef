// Reading and limits (issue 8): each case is a reproduction of something that
// crashed, hung or ate memory before; now it is a one-line core::Error, or it
// works within bounds.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/compute.h"
#include "core/errors.h"
#include "core/explain.h"
#include "core/limits.h"
#include "core/trace.h"
#include "core/views.h"

namespace {

namespace fs = std::filesystem;

// A scratch folder of this test's own, removed at the end.
struct Scratch {
  fs::path dir;
  Scratch() {
    dir = fs::temp_directory_path() / ("convscope_limits_" + std::to_string(::getpid()));
    fs::create_directories(dir);
  }
  ~Scratch() { fs::remove_all(dir); }
  std::string file(const std::string& name, const std::string& text) const {
    std::ofstream(dir / name, std::ios::binary) << text;
    return (dir / name).string();
  }
};

core::ErrorCode code_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const core::Error& e) {
    if (message) *message = e.what();
    return e.code();
  }
  ADD_FAILURE() << "no core::Error";
  return core::ErrorCode::usage;
}

TEST(Reading, AFolderIsAClearErrorNotAnAbort) {
  Scratch s;
  std::string message;
  EXPECT_EQ(code_of([&] { core::load_scenario(s.dir.string()); }, &message), core::ErrorCode::io_read);
  EXPECT_NE(message.find("it is a folder"), std::string::npos) << message;
  EXPECT_EQ(code_of([&] { core::load_scenario("."); }), core::ErrorCode::io_read);
}

TEST(Reading, AFifoIsRefusedWithoutWaitingForAWriter) {
  Scratch s;
  const std::string fifo = (s.dir / "pipe").string();
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  std::string message;
  EXPECT_EQ(code_of([&] { core::load_scenario(fifo); }, &message), core::ErrorCode::io_read);
  EXPECT_NE(message.find("pipe (FIFO)"), std::string::npos) << message;
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(2));
}

TEST(Reading, DevicesAreNotScenarioFiles) {
  std::string message;
  EXPECT_EQ(code_of([&] { core::load_scenario("/dev/zero"); }, &message), core::ErrorCode::io_read);
  EXPECT_NE(message.find("device"), std::string::npos) << message;
}

TEST(Reading, AFileOverTheSizeCapIsRefusedBeforeReading) {
  Scratch s;
  const std::string big = (s.dir / "big.json").string();
  { std::ofstream(big) << "{"; }
  fs::resize_file(big, static_cast<uintmax_t>(core::limits::kMaxScenarioBytes) + 1);  // sparse: no disk used
  EXPECT_EQ(code_of([&] { core::load_scenario(big); }), core::ErrorCode::io_too_large);
}

TEST(Reading, IgnoredTextKeysAreNeverMaterialised) {
  // 16 MB of '[' after "name": refused at the first '[' (it must be a string).
  std::string text = R"({"op": "conv2d", "name": )" + std::string(16 << 20, '[');
  EXPECT_EQ(code_of([&] { core::parse_scenario(text); }), core::ErrorCode::not_text);
  // 20 MB of "description": [1, 1, …] likewise.
  std::string ones = R"({"op": "conv2d", "description": [)";
  for (int i = 0; i < 10 << 20; ++i) ones += "1,";
  EXPECT_EQ(code_of([&] { core::parse_scenario(ones); }), core::ErrorCode::not_text);
}

TEST(Reading, ErrorTextsAreOneLineAndShort) {
  std::string message;
  code_of([&] { core::parse_scenario("{\"op\": \"conv\\n2d\\u001b[31m" + std::string(5000, 'x') + "\"}"); }, &message);
  EXPECT_EQ(message.find('\n'), std::string::npos);
  EXPECT_EQ(message.find('\x1b'), std::string::npos);
  EXPECT_NE(message.find("conv\\n2d\\u001b[31m"), std::string::npos) << message;
  EXPECT_LT(message.size(), 300u) << message;
}

TEST(Limits, FullComputeHasAWorkLimitButTheTraceDoesNot) {
  // 1024×1024 input, 1024×1024 kernel, Keras same: 2^20 output cells × 2^20 taps = 2^40 MACs.
  core::Scenario s;
  s.spec.padding = core::PaddingKind::same;
  s.input = core::Tensor(1024, 1024, 1, 1.0);
  s.kernel = core::Kernel(1024, 1024, 1, 1, 1.0);
  const core::Geometry g = core::validate(s);
  EXPECT_EQ(core::full_compute_macs(s, g), int64_t{1} << 40);
  std::string message;
  EXPECT_EQ(code_of([&] { core::compute(s); }, &message), core::ErrorCode::work_over_limit);
  EXPECT_NE(message.find("convscope trace"), std::string::npos) << message;
  const core::Trace trace(std::make_shared<const core::Scenario>(s));
  EXPECT_FALSE(trace.can_compute());
  EXPECT_EQ(trace.count(), int64_t{1} << 40);
  // Output (512, 512), tap (0, 0) reads input (0, 0): same pads 511 before (1023 total, floor half).
  const core::Step st = trace.step(((512 * 1024) + 512) * (int64_t{1} << 20));
  EXPECT_EQ(*st.input, (core::Cell{1, 1, 0}));
  EXPECT_EQ(code_of([&] { trace.partial_output(0); }), core::ErrorCode::work_over_limit);
}

TEST(Limits, HugePaddingAndStrideAreValidAndCheap) {
  // PyTorch conv, padding and stride 2^31 − 1 on a 2×2 input: 3×3 output, nothing huge allocated.
  const core::Scenario s = core::parse_scenario(
      R"({"op": "conv2d", "convention": "pytorch", "padding": 2147483647, "strides": 2147483647,
          "input": [[[1], [2]], [[3], [4]]], "kernel": [[[[1]]]]})");
  const core::Geometry g = core::validate(s);
  EXPECT_EQ(g.out_h(), 3);
  EXPECT_EQ(g.axes[0].padded_in(), 2 + 2 * int64_t{2147483647});
  // Output (1, 1) reads input 1·s − p = 0 on both axes; every other window lies in the padding.
  EXPECT_EQ(core::compute(s).values, (std::vector<double>{0, 0, 0, 0, 1, 0, 0, 0, 0}));
  // Keras dilation 2^30 with "same" on a 1×1 input and a 3×3 kernel: pads of 2^30 each side,
  // one output cell whose middle tap reads the input.
  const core::Scenario d = core::parse_scenario(
      R"({"op": "conv2d", "padding": "same", "dilation": 1073741824, "input": [[[5]]],
          "kernel": [[[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]], [[[1]], [[1]], [[1]]]]})");
  EXPECT_EQ(core::validate(d).axes[1].pad_before, 1073741824);
  EXPECT_EQ(core::compute(d).values, (std::vector<double>{5}));
}

TEST(Limits, InputValuesAreCountedWhateverBuiltTheScenario) {
  // 128×128 × 4096 channels = 2^26 values: over the 2^25 input limit, refused before any work.
  core::Scenario s;
  s.input.h = 128, s.input.w = 128, s.input.c = 4096;  // shapes only: validate looks before touching values
  s.kernel = core::Kernel(1, 1, 4096, 1);
  std::string message;
  EXPECT_EQ(code_of([&] { core::validate(s); }, &message), core::ErrorCode::over_limit);
  EXPECT_NE(message.find("input size (values)"), std::string::npos) << message;
}

TEST(Explain, NeverFailsForAValidScenario) {
  // An 8192×1 PyTorch transpose, s = 2, k = 3, p = 1 (output 16383): its Keras equivalent's own
  // length (16385) is past convscope's output limit, which must not matter to a text.
  core::Scenario s;
  s.spec.op = core::Op::conv2d_transpose;
  s.spec.convention = core::Convention::pytorch;
  s.spec.padding = core::PaddingKind::explicit_pads;
  s.spec.pad_before = s.spec.pad_after = {1, 0};
  s.spec.strides = {2, 1};
  s.spec.output_padding = core::Pair{0, 0};
  s.input = core::Tensor(8192, 1, 1, 1.0);
  s.kernel = core::Kernel(3, 1, 1, 1, 1.0);
  EXPECT_EQ(core::validate(s).out_h(), 16383);
  EXPECT_NE(core::explain(s).find("Cropping2D"), std::string::npos);
  // Dilation 10000 with padding 9999 along the width: a 1×9999 output.
  const core::Scenario d = core::parse_scenario(
      R"({"op": "conv2d", "convention": "pytorch", "dilation": [1, 10000], "padding": [0, 9999], "input": [[[1]]],
          "kernel": [[[[1]], [[1]]]]})");
  EXPECT_EQ(core::validate(d).out_w(), 9999);
  EXPECT_NE(core::explain(d).find("torch.nn.Conv2d"), std::string::npos);
}

}  // namespace
