// The command line as a user runs it: outputs, exit codes, one-line errors.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

struct Result {
  int code = -1;
  std::string out, err;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::string temp_dir() {
  static std::string dir = [] {
    char tmpl[] = "/tmp/convscope_cli_XXXXXX";
    return std::string(mkdtemp(tmpl));
  }();
  return dir;
}

std::string write_file(const std::string& name, const std::string& text) {
  const std::string path = temp_dir() + "/" + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

// Runs `convscope ARGS` with optional stdin text; DISPLAY unset so no window can open.
Result run(const std::string& args, const std::string& stdin_text = "") {
  const std::string dir = temp_dir();
  const std::string in = write_file("stdin.txt", stdin_text);
  const std::string cmd = "env -u DISPLAY -u WAYLAND_DISPLAY " + std::string(CONVSCOPE_BINARY) + " " + args + " < " +
                          in + " > " + dir + "/out.txt 2> " + dir + "/err.txt";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out.txt");
  r.err = slurp(dir + "/err.txt");
  return r;
}

// A memory limit for the shell commands that follow it: `ulimit -v` (address space), or,
// in a sanitizer build, AddressSanitizer's own resident-memory limit: ASan reserves
// terabytes of address space for its shadow at start, so it cannot run under any ulimit -v.
std::string memory_limit_mib(int mib) {
#ifdef CONVSCOPE_SANITIZED
  return "export ASAN_OPTIONS=\"${ASAN_OPTIONS:+$ASAN_OPTIONS:}hard_rss_limit_mb=" + std::to_string(mib) + "\"; ";
#else
  return "ulimit -v " + std::to_string(mib * 1024) + "; ";
#endif
}

std::string preset(const std::string& name) { return std::string(CONVSCOPE_SOURCE_DIR) + "/assets/presets/" + name; }

// A failure: exit 2, nothing on stdout, exactly one stderr line starting with the prefix.
void expect_one_line_error(const Result& r, const std::string& part) {
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err.rfind("convscope: error: ", 0), 0u) << r.err;
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_NE(r.err.find(part), std::string::npos) << r.err;
}

TEST(Compute, SeedConv2d) {
  const Result r = run("compute " + preset("seed_conv2d.json"));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"output_shape\": [2, 2, 1], \"output\": [[[4], [4]], [[4], [4]]]}\n");
  EXPECT_EQ(r.err, "");
}

TEST(Compute, SeedTransposeFromStdin) {
  const Result r = run("compute -", slurp(preset("seed_conv2d_transpose.json")));
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"output_shape\": [3, 3, 1], \"output\": [[[1], [2], [1]], [[2], [4], [2]], [[1], [2], [1]]]}\n");
}

TEST(Compute, KerasDefaultsGiveTheFrameworkShapes) {
  const auto conv = nlohmann::json::parse(run("compute " + preset("keras_defaults_conv2d.json")).out);
  const auto convt = nlohmann::json::parse(run("compute " + preset("keras_defaults_conv2d_transpose.json")).out);
  EXPECT_EQ(conv["output_shape"], nlohmann::json::parse("[2, 2, 1]"));
  EXPECT_EQ(convt["output_shape"], nlohmann::json::parse("[4, 4, 1]"));
}

TEST(Compute, ChwInputGivesFhwOutput) {
  const std::string f = write_file("chw.json", R"({"op": "conv2d", "convention": "pytorch", "input_layout": "chw",
      "kernel_layout": "torch", "input": [[[1, 2, 3]]], "kernel": [[[[1, 1]]], [[[1, -1]]]], "bias": [0.5, 0]})");
  const Result r = run("compute " + f);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out, "{\"output_shape\": [2, 1, 2], \"output\": [[[3.5, 5.5]], [[-1, -1]]]}\n");
}

TEST(Trace, AllStepsAsJsonLines) {
  const Result r = run("trace " + preset("seed_conv2d.json"));
  EXPECT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string line;
  int n = 0;
  double last_after = 0;
  while (std::getline(lines, line)) {
    const auto step = nlohmann::json::parse(line);
    EXPECT_EQ(step["step"], n);
    EXPECT_EQ(step["kind"], "mac");
    for (const char* key : {"in", "tap", "out", "a", "w", "product", "before", "after", "padding", "cropped"})
      EXPECT_TRUE(step.contains(key)) << key;
    last_after = step["after"].get<double>();
    ++n;
  }
  EXPECT_EQ(n, 16);
  EXPECT_EQ(last_after, 4);
}

TEST(Trace, FromAndCount) {
  const Result r = run("trace " + preset("seed_conv2d_transpose.json") + " --from 12 --count 2");
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(r.out,
            "{\"step\": 12, \"kind\": \"scatter\", \"in\": [1, 1, 0], \"tap\": [0, 0], \"out\": [1, 1, 0], \"a\": 1, "
            "\"w\": 1, \"product\": 1, \"before\": 3, \"after\": 4, \"padding\": false, \"zero_inserted\": false, \"cropped\": false}\n"
            "{\"step\": 13, \"kind\": \"scatter\", \"in\": [1, 1, 0], \"tap\": [0, 1], \"out\": [1, 2, 0], \"a\": 1, "
            "\"w\": 1, \"product\": 1, \"before\": 1, \"after\": 2, \"padding\": false, \"zero_inserted\": false, \"cropped\": false}\n");
}

TEST(Trace, BiasAndCroppedStepsUseNull) {
  const std::string f = write_file("crop.json", R"({"op": "conv2d_transpose", "strides": [1, 2], "padding": "same",
      "bias": [1], "input": [[[1], [10]]], "kernel": [[[[1]], [[2]], [[3]], [[4]]]]})");
  const Result first = run("trace " + f + " --count 1");
  EXPECT_NE(first.out.find("\"out\": [0, -1, 0]"), std::string::npos) << first.out;
  EXPECT_NE(first.out.find("\"before\": null, \"after\": null, \"padding\": false, \"zero_inserted\": false, \"cropped\": true"), std::string::npos);
  const Result bias = run("trace " + f + " --from 8 --count 1");
  EXPECT_EQ(bias.out,
            "{\"step\": 8, \"kind\": \"bias\", \"in\": null, \"tap\": null, \"out\": [0, 0, 0], \"a\": null, \"w\": 1, "
            "\"product\": 1, \"before\": 2, \"after\": 3, \"padding\": false, \"zero_inserted\": false, \"cropped\": false}\n");
}

TEST(Trace, FromPastTheEndIsAnError) {
  expect_one_line_error(run("trace " + preset("seed_conv2d.json") + " --from 16"), "step 16 is out of range");
  expect_one_line_error(run("trace " + preset("seed_conv2d.json") + " --count -5"), "--count");
}

TEST(Explain, SeedConvReadsLikeATextbook) {
  const Result r = run("explain " + preset("seed_conv2d.json"));
  EXPECT_EQ(r.code, 0) << r.err;
  for (const char* part : {"Conv2D, Keras convention", "input   3×3×1 (H×W×C)", "kernel  2×2×1×1 [kh][kw][C_in][F]",
                           "output  2×2×1 (H×W×F)", "floor((3 + 0 + 0 − 2)/1) + 1 = 2", "pads: 0 before (top)",
                           "16 steps", "keras.layers.Conv2D(filters=1, kernel_size=(2, 2)",
                           "torch.nn.Conv2d(in_channels=1, out_channels=1, kernel_size=(2, 2)"})
    EXPECT_NE(r.out.find(part), std::string::npos) << part << "\n" << r.out;
}

TEST(Explain, KerasSameStrideTwoNeedsFPadInPyTorch) {
  // k=3, s=2, n=4: TF pads (0, 1), which PyTorch's symmetric padding cannot express.
  const std::string f = write_file("same.json", R"({"op": "conv2d", "padding": "same", "strides": [2, 2],
      "input": [[[1],[1],[1],[1]],[[1],[1],[1],[1]],[[1],[1],[1],[1]],[[1],[1],[1],[1]]],
      "kernel": [[[[1]],[[1]],[[1]]],[[[1]],[[1]],[[1]]],[[[1]],[[1]],[[1]]]]})");
  const Result r = run("explain " + f);
  EXPECT_NE(r.out.find("pads: 0 before (top), 1 after (bottom)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("torch.nn.functional.pad(x, (0, 1, 0, 1))"), std::string::npos) << r.out;
}

TEST(Explain, PyTorchPerSidePaddingNeedsZeroPadding2dInKeras) {
  const std::string f = write_file("side.json", R"({"op": "conv2d", "convention": "pytorch",
      "padding": [[1, 0], [0, 2]], "input": [[[1],[1]],[[1],[1]]], "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})");
  const Result r = run("explain " + f);
  EXPECT_NE(r.out.find("keras.layers.ZeroPadding2D(padding=((1, 0), (0, 2)))"), std::string::npos) << r.out;
}

TEST(Explain, PyTorchStrideWithDilationHasNoKerasLayer) {
  const std::string f = write_file("sd.json", R"({"op": "conv2d", "convention": "pytorch", "strides": [2, 1],
      "dilation": [1, 2], "input": [[[1],[1],[1]],[[1],[1],[1]],[[1],[1],[1]]], "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})");
  const Result r = run("explain " + f);
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("Keras:   no single Keras layer: Keras does not allow a stride > 1 together with a dilation > 1"),
            std::string::npos)
      << r.out;
}

TEST(Explain, PyTorchTransposeIsKerasValidThenCropped) {
  // s=2, k=3, p=1, op=1 on n=3: PyTorch out 6; Keras "valid" gives the full 7, crop 1 before, 0 after.
  const std::string f = write_file("tc.json", R"({"op": "conv2d_transpose", "convention": "pytorch", "strides": 2,
      "padding": [1, 1], "output_padding": [1, 1], "input": [[[1],[1],[1]],[[1],[1],[1]],[[1],[1],[1]]],
      "kernel": [[[[1]],[[1]],[[1]]],[[[1]],[[1]],[[1]]],[[[1]],[[1]],[[1]]]]})");
  const Result r = run("explain " + f);
  EXPECT_NE(r.out.find("keras.layers.Cropping2D(cropping=((1, 0), (1, 0)))"), std::string::npos) << r.out;
}

TEST(Explain, IndicesFollowTheFileLayouts) {
  // Keras Conv2DTranspose kernels are [kh][kw][F][C_in]: the weight of channel c, filter f is w[ky, kx, f, c].
  const std::string keras_t = write_file("kt.json", R"({"op": "conv2d_transpose", "input": [[[1, 2]]],
      "kernel": [[[[1, 2], [3, 4], [5, 6]]]]})");
  EXPECT_NE(run("explain " + keras_t).out.find("x[iy, ix, c] · w[ky, kx, f, c] is added to y["), std::string::npos);
  // PyTorch layouts: input C×H×W, conv2d weight OIHW.
  const std::string torch_c = write_file("tc2.json", R"({"op": "conv2d", "convention": "pytorch", "input_layout": "chw",
      "kernel_layout": "torch", "input": [[[1, 2, 3]]], "kernel": [[[[1, 1]]]]})");
  const Result r = run("explain " + torch_c);
  EXPECT_NE(r.out.find("y[f, oy, ox] = Σ over ky, kx, c of x[c, oy·s + ky·d − pad_top, ox·s + kx·d − pad_left] · "
                       "w[f, c, ky, kx]"),
            std::string::npos)
      << r.out;
}

TEST(Explain, KerasTransposeWithDilationMentionsTfjs) {
  const std::string f = write_file("dil.json", R"({"op": "conv2d_transpose", "dilation": [2, 2],
      "input": [[[1],[1]],[[1],[1]]], "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})");
  const Result r = run("explain " + f);
  EXPECT_NE(r.out.find("TensorFlow.js silently ignores dilation"), std::string::npos) << r.out;
}

TEST(Errors, EachKindIsOneLineWithExitTwo) {
  expect_one_line_error(run("compute /nonexistent/x.json"), "cannot read /nonexistent/x.json");
  expect_one_line_error(run("compute -", "{\"op\": "), "not valid JSON");
  expect_one_line_error(run("compute -", R"({"op": "conv2d", "strides": [0, 1], "input": [[[1]]], "kernel": [[[[1]]]]})"),
                        "\"strides\" must be at least 1 on each axis, got [0, 1]");
  expect_one_line_error(run("compute -", R"({"op": "conv2d", "input": [[[1],[1]],[[1]]], "kernel": [[[[1]]]]})"),
                        "ragged");
  expect_one_line_error(run("compute -", R"({"op": "conv2d", "bias": [1, 2], "input": [[[1]]], "kernel": [[[[1]]]]})"),
                        "\"bias\" needs one value per filter (F = 1), got 2");
  expect_one_line_error(run("explain -", R"({"op": "conv2d", "input": [[[1]]], "kernel": [[[[1]],[[1]]]]})"),
                        "width axis: the dilated kernel spans 2 cells but the input is only 1");
  expect_one_line_error(run("trace -", R"({"op": "conv2d_transpose", "strides": 2, "output_padding": [2, 2],
                                          "input": [[[1]]], "kernel": [[[[1]]]]})"),
                        "must be smaller than \"strides\"");
}

TEST(Usage, ErrorsAndHelp) {
  expect_one_line_error(run("compute"), "FILE is required");
  expect_one_line_error(run("frobnicate"), "frobnicate");
  expect_one_line_error(run("trace x.json --from abc"), "--from");
  const Result help = run("--help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("compute"), std::string::npos);
  EXPECT_NE(help.out.find("explain"), std::string::npos);
}

TEST(Usage, NoDisplayNamesTheHeadlessCommands) {
  const Result r = run("");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  for (const char* command : {"compute", "trace", "explain"}) EXPECT_NE(r.err.find(command), std::string::npos) << r.err;
}

// ---- Hardening (issue 8): each a reproduction of a crash, hang or runaway ----

// Runs a shell command line (the binary is $B), with a time limit; returns its result.
Result sh(const std::string& script, int seconds = 20) {
  const std::string dir = temp_dir();
  const std::string cmd = "cd " + dir + " && env -u DISPLAY -u WAYLAND_DISPLAY B=" + std::string(CONVSCOPE_BINARY) +
                          " timeout " + std::to_string(seconds) + " sh -c '" + script + "' > " + dir + "/out.txt 2> " +
                          dir + "/err.txt";
  const int status = std::system(cmd.c_str());
  Result r;
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = slurp(dir + "/out.txt");
  r.err = slurp(dir + "/err.txt");
  return r;
}

TEST(Hardening, AFolderAsTheScenarioIsOneLineForEveryCommand) {
  for (const char* command : {"compute", "trace", "explain", "export", ""}) {
    const std::string extra = std::string(command) == "export" ? " --out x.gif" : "";
    expect_one_line_error(run(std::string(command) + " " + temp_dir() + extra), "it is a folder");
  }
  expect_one_line_error(run("."), "it is a folder");
}

TEST(Hardening, AFifoIsRefusedAtOnce) {
  const Result r = sh("rm -f fifo && mkfifo fifo && $B compute fifo", 5);
  expect_one_line_error(r, "pipe (FIFO)");
}

TEST(Hardening, EndlessStandardInputStopsAtTheSizeCap) {
  // /dev/zero never ends: the read stops at 256 MiB (under a 1 GiB address-space limit).
  const Result r = sh(memory_limit_mib(1024) + "$B compute - < /dev/zero", 30);
  expect_one_line_error(r, "standard input is larger than 268435456 bytes");
}

TEST(Hardening, AFullDiskIsAnErrorNotASilentExit) {
  const Result r = sh("$B compute " + preset("seed_conv2d.json") + " > /dev/full");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("convscope: error: cannot write the output"), std::string::npos) << r.err;
}

TEST(Hardening, AnEmptyStepNumberIsNotZero) {
  expect_one_line_error(run("trace " + preset("seed_conv2d.json") + " --from \"\""), "must be a whole number");
}

TEST(Hardening, ControlCharactersNeverReachTheTerminal) {
  const Result r = run("compute -", "{\"op\": \"conv2d\", \"a\\nb\\u001b[2J\": 1}");
  expect_one_line_error(r, "a\\nb\\u001b[2J");
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos);
}

TEST(Hardening, TextAfterAKeyIsNeverMaterialised) {
  // 16 MB of '[' after "name": refused at the first bracket, under a small memory limit.
  const Result r = sh("head -c 16000000 /dev/zero | tr \"\\0\" \"[\" > brackets && "
                      "(printf \"{\\\"op\\\": \\\"conv2d\\\", \\\"name\\\": \"; cat brackets) > deep.json && "
                      + memory_limit_mib(390) + "$B compute deep.json");
  expect_one_line_error(r, "\"name\" must be a string");
}

TEST(Hardening, WorkPastTheLimitPointsToTrace) {
  // 1024×1024 input, 1024×1024 kernel, "same": 2^40 multiply-accumulates.
  std::string grid = "[";
  for (int y = 0; y < 1024; ++y) {
    grid += y ? ",[" : "[";
    for (int x = 0; x < 1024; ++x) grid += x ? ",[1]" : "[1]";
    grid += "]";
  }
  grid += "]";
  std::string kernel = "[";
  for (int y = 0; y < 1024; ++y) {
    kernel += y ? ",[" : "[";
    for (int x = 0; x < 1024; ++x) kernel += x ? ",[[1]]" : "[[1]]";
    kernel += "]";
  }
  kernel += "]";
  const std::string f = write_file("huge_work.json", R"({"op": "conv2d", "padding": "same", "input": )" + grid +
                                                         R"(, "kernel": )" + kernel + "}");
  expect_one_line_error(run("compute " + f), "`convscope trace` still shows any step");
  const Result t = run("trace " + f + " --from 549755813888 --count 1");  // the middle of 2^40 steps
  EXPECT_EQ(t.code, 0) << t.err;
  EXPECT_NE(t.out.find("\"step\": 549755813888"), std::string::npos) << t.out;
  EXPECT_EQ(run("explain " + f).code, 0);
}

TEST(Trace, GatherOrderOfATransposeReadsPaddingAndInsertedZeros) {
  const Result r = run("trace " + preset("seed_conv2d_transpose.json") + " --order gather --count 4");
  ASSERT_EQ(r.code, 0) << r.err;
  std::istringstream lines(r.out);
  std::string first, fourth, line;
  std::getline(lines, first);
  for (int i = 0; i < 3; ++i) std::getline(lines, fourth);
  EXPECT_EQ(first, "{\"step\": 0, \"kind\": \"mac\", \"in\": null, \"tap\": [1, 1], \"out\": [0, 0, 0], \"a\": 0, "
                   "\"w\": 1, \"product\": 0, \"before\": 0, \"after\": 0, \"padding\": true, \"zero_inserted\": false, "
                   "\"cropped\": false}");
  EXPECT_NE(fourth.find("\"in\": [0, 0, 0], \"tap\": [0, 0]"), std::string::npos) << fourth;
  EXPECT_NE(fourth.find("\"after\": 1"), std::string::npos) << fourth;
  expect_one_line_error(run("trace " + preset("seed_conv2d.json") + " --order scatter"), "always a gather");
  expect_one_line_error(run("trace " + preset("seed_conv2d.json") + " --order sideways"), "scatter or gather");
}

}  // namespace
