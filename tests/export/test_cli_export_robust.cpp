// `convscope export` and `convscope gallery` when things go wrong, as issue 8
// reproduced them: the real binary (DISPLAY unset), killed mid-export, a folder
// holding an older or someone else's files, a full disk, a frame or a grid too
// large, a scenario past the work limit. Each test lists the folder afterwards:
// nothing half-done, no temporary left, one line on stderr.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <thread>

#include "export_test_support.h"

using export_test::TempDir;

namespace {

// The sanitizer build (ASan's shadow and quarantine on top of the program) gets room;
// the bound that matters for users is the Release one.
#ifdef CONVSCOPE_SANITIZED
constexpr bool kSanitized = true;
constexpr long kRssBoundKb = 1200 * 1024;
#else
constexpr bool kSanitized = false;
constexpr long kRssBoundKb = 400 * 1024;
#endif

const std::string kBin = CONVSCOPE_BIN;
const std::string kPresets = std::string(CONVSCOPE_SOURCE_DIR) + "/assets/presets/";

// A running convscope; killed and reaped if a test ends before waiting for it.
struct Child {
  Child() = default;
  Child(Child&& o) noexcept : pid(o.pid), err_file(std::move(o.err_file)) { o.pid = -1; }
  Child(const Child&) = delete;
  ~Child() {
    if (pid > 0) kill(pid, SIGKILL), waitpid(pid, nullptr, 0);
  }
  pid_t pid = -1;
  std::string err_file;
};

// Starts convscope with `args`, DISPLAY unset, stderr into `err_file`, the
// signals a terminal sends at their default actions; `setup` runs in the child
// before exec (limits).
Child start(const std::vector<std::string>& args, const std::string& err_file,
          const std::function<void()>& setup = [] {}) {
  Child r;
  r.err_file = err_file;
  r.pid = fork();
  if (r.pid == 0) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) signal(sig, SIG_DFL);
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    if (!freopen(err_file.c_str(), "w", stderr)) _exit(126);
    if (!freopen("/dev/null", "w", stdout)) _exit(126);
    setup();
    std::vector<char*> argv{const_cast<char*>(kBin.c_str())};
    for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    execv(kBin.c_str(), argv.data());
    _exit(127);
  }
  return r;
}

int wait_for(Child& r, rusage* usage = nullptr) {
  int status = 0;
  rusage ru{};
  wait4(r.pid, &status, 0, &ru);
  r.pid = -1;
  if (usage) *usage = ru;
  return status;
}

struct Result {
  int code = -1;        // exit code, or -1 when killed
  std::string err;      // stderr
  long max_rss_kb = 0;  // the process's peak resident memory
};

Result run(const std::vector<std::string>& args, const TempDir& dir, const std::function<void()>& setup = [] {}) {
  Child r = start(args, dir.path + "/../" + std::filesystem::path(dir.path).filename().string() + ".stderr", setup);
  rusage ru{};
  const int status = wait_for(r, &ru);
  Result out;
  out.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  out.err = export_test::read_bytes(r.err_file);
  out.max_rss_kb = ru.ru_maxrss;
  std::filesystem::remove(r.err_file);
  return out;
}

std::vector<std::string> listing(const std::string& folder) {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(folder)) names.push_back(e.path().filename().string());
  std::sort(names.begin(), names.end());
  return names;
}

std::map<std::string, std::string> snapshot(const std::string& folder) {
  std::map<std::string, std::string> files;
  for (const std::string& name : listing(folder))
    if (std::filesystem::is_regular_file(folder + "/" + name)) files[name] = export_test::read_bytes(folder + "/" + name);
  return files;
}

std::vector<std::string> frame_names(int n) {
  std::vector<std::string> names;
  for (int i = 0; i < n; ++i) {
    char name[32];
    std::snprintf(name, sizeof name, "frame_%06d.png", i);
    names.push_back(name);
  }
  return names;
}

bool has_hidden(const std::string& folder) {
  for (const std::string& name : listing(folder))
    if (name[0] == '.') return true;
  return false;
}

void write_text(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

// A conv with n×n output cells of a 3×3 kernel: 9·n² steps.
std::string conv_of_side(const TempDir& dir, int n, const std::string& name) {
  std::string input = "[";
  for (int y = 0; y < n + 2; ++y) {
    input += y ? ",[" : "[";
    for (int x = 0; x < n + 2; ++x) input += (x ? ",[" : "[") + std::to_string((x + y) % 5) + "]";
    input += "]";
  }
  input += "]";
  const std::string path = dir / name;
  write_text(path, R"({"op": "conv2d", "kernel": [[[[1]],[[0]],[[1]]],[[[0]],[[1]],[[0]]],[[[1]],[[0]],[[1]]]], "input": )" +
                       input + "}");
  return path;
}

// Waits until `folder` holds an entry whose name contains `part`.
bool wait_for_entry(const std::string& folder, const std::string& part, double seconds = 20) {
  const auto until = std::chrono::steady_clock::now() + std::chrono::duration<double>(seconds);
  while (std::chrono::steady_clock::now() < until) {
    std::error_code ec;
    for (const auto& e : std::filesystem::directory_iterator(folder, ec))
      if (e.path().filename().string().find(part) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return false;
}

bool one_error_line(const std::string& err) {
  return err.rfind("convscope: error: ", 0) == 0 && !err.empty() && err.back() == '\n' &&
         std::count(err.begin(), err.end(), '\n') == 1;
}

}  // namespace

// ---- frame folders ----

TEST(CliExportFolders, SixteenFramesOverEightyOneLeaveExactlySixteen) {
  TempDir dir;
  const std::string scenario = conv_of_side(dir, 3, "s81.json");  // 3×3 outputs × 9 taps = 81 steps
  ASSERT_EQ(run({"export", scenario, "-q", "--out", dir / "frames/"}, dir).code, 0);
  ASSERT_EQ(listing(dir / "frames"), frame_names(81));
  const Result r = run({"export", kPresets + "seed_conv2d.json", "-q", "--out", dir / "frames/"}, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_EQ(listing(dir / "frames"), frame_names(16));
}

TEST(CliExportFolders, AFolderWithOtherFilesIsRefusedAndUntouched) {
  TempDir dir;
  ASSERT_EQ(run({"export", kPresets + "seed_conv2d.json", "-q", "--per", "key", "--out", dir / "frames/"}, dir).code, 0);
  write_text(dir / "frames/slides.odp", "my slides");
  const auto before = snapshot(dir / "frames");
  const Result r = run({"export", kPresets + "seed_conv2d.json", "--out", dir / "frames"}, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "convscope: error: " + dir.path + "/frames/ holds files other than numbered frames (slides.odp); "
                   "choose an empty or new folder, or replace only its frame_*.png with --force\n");
  EXPECT_EQ(snapshot(dir / "frames"), before);
  EXPECT_FALSE(has_hidden(dir / "frames"));
}

TEST(CliExportFolders, ForceReplacesOnlyFramePngs) {
  TempDir dir;
  const std::string scenario = conv_of_side(dir, 3, "s81.json");
  ASSERT_EQ(run({"export", scenario, "-q", "--out", dir / "frames/"}, dir).code, 0);
  write_text(dir / "frames/slides.odp", "my slides");
  write_text(dir / "frames/frame_7.png", "not numbered our way");
  const Result r = run({"export", kPresets + "seed_conv2d.json", "-q", "--per", "cell", "--force", "--out", dir / "frames"}, dir);
  ASSERT_EQ(r.code, 0) << r.err;
  std::vector<std::string> want = frame_names(4);
  want.push_back("frame_7.png");
  want.push_back("slides.odp");
  EXPECT_EQ(listing(dir / "frames"), want);
  EXPECT_EQ(export_test::read_bytes(dir / "frames/slides.odp"), "my slides");
  // --force means frames: a GIF does not take it.
  const Result gif = run({"export", kPresets + "seed_conv2d.json", "--force", "--out", dir / "x.gif"}, dir);
  EXPECT_EQ(gif.code, 2);
  EXPECT_TRUE(one_error_line(gif.err)) << gif.err;
}

// A rename that fails part-way (a folder named like frame 5 is in the way):
// issue 8 found frames 0–4 already replaced.
TEST(CliExportFolders, ARenameFailingPartWayLeavesTheOldSetIntact) {
  TempDir dir;
  const std::string scenario = conv_of_side(dir, 3, "s81.json");
  ASSERT_EQ(run({"export", scenario, "-q", "--per", "cell", "--out", dir / "frames/"}, dir).code, 0);  // 9 frames
  std::filesystem::remove(dir / "frames/frame_000005.png");
  std::filesystem::create_directory(dir / "frames/frame_000005.png");
  write_text(dir / "frames/frame_000005.png/keep", "in the way");
  const auto before = snapshot(dir / "frames");
  const Result r = run({"export", kPresets + "seed_conv2d.json", "--force", "--out", dir / "frames"}, dir);  // 16 frames
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(one_error_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("frames/frame_000005.png: Is a directory"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(dir / "frames"), before);
  EXPECT_FALSE(has_hidden(dir / "frames"));
  EXPECT_EQ(export_test::read_bytes(dir / "frames/frame_000005.png/keep"), "in the way");
}

// ---- signals ----

// Ctrl+C or a plain kill in the middle of a long export: the process dies of
// the signal and leaves nothing (issue 8: .NAME.gif.XXXXXX and
// .convscope-frames.XXXXXX/ stayed behind).
TEST(CliExportSignals, SigintAndSigtermMidExportLeaveNothing) {
  for (int sig : {SIGINT, SIGTERM}) {
    for (const char* out : {"anim.gif", "frames/"}) {
      SCOPED_TRACE(std::string(strsignal(sig)) + " into " + out);
      TempDir dir, work;
      const std::string scenario = conv_of_side(work, 24, "long.json");  // 5184 steps: minutes of frames
      Child r = start({"export", scenario, "-q", "--out", dir / out}, work / "stderr.txt");
      const std::string watch = std::string(out) == "frames/" ? dir / "frames" : dir.path;
      // Once frames are being written (the temporary holds some bytes), kill it.
      ASSERT_TRUE(wait_for_entry(watch, ".convscope-")) << export_test::read_bytes(work / "stderr.txt");
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      kill(r.pid, sig);
      const int status = wait_for(r);
      ASSERT_TRUE(WIFSIGNALED(status)) << "exit " << WEXITSTATUS(status) << ": " << export_test::read_bytes(work / "stderr.txt");
      EXPECT_EQ(WTERMSIG(status), sig);
      EXPECT_EQ(dir.entries(), std::vector<std::string>{});  // not even the frames/ folder it had made
    }
  }
}

TEST(CliExportSignals, AfterSigkillTheNextExportIntoTheFolderCleansUp) {
  TempDir dir, work;
  const std::string scenario = conv_of_side(work, 24, "long.json");
  ASSERT_EQ(run({"export", kPresets + "seed_conv2d.json", "-q", "--per", "key", "--out", dir / "frames/"}, dir).code, 0);
  for (const char* out : {"anim.gif", "frames/"}) {
    SCOPED_TRACE(out);
    Child r = start({"export", scenario, "-q", "--out", dir / out}, work / "stderr.txt");
    const std::string watch = std::string(out) == "frames/" ? dir / "frames" : dir.path;
    ASSERT_TRUE(wait_for_entry(watch, ".convscope-"));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    kill(r.pid, SIGKILL);
    wait_for(r);
    EXPECT_TRUE(has_hidden(watch));  // no handler runs for SIGKILL
  }
  // The next exports into the same folders remove what the dead process left.
  ASSERT_EQ(run({"export", kPresets + "seed_conv2d.json", "-q", "--per", "cell", "--out", dir / "frames/"}, dir).code, 0);
  ASSERT_EQ(run({"export", kPresets + "seed_conv2d.json", "-q", "--per", "cell", "--out", dir / "anim.gif"}, dir).code, 0);
  EXPECT_EQ(listing(dir / "frames"), frame_names(4));
  EXPECT_EQ(dir.entries().size(), 2u);  // anim.gif, frames
  EXPECT_FALSE(has_hidden(dir.path));
}

// The gallery has two GIFs in the making at a time (one rendering, the one
// before it still encoding): a SIGTERM removes both temporaries.
TEST(CliExportSignals, SigtermDuringGalleryLeavesNoTemporary) {
  TempDir dir, work;
  Child r = start({"gallery", dir / "g"}, work / "stderr.txt");
  ASSERT_TRUE(wait_for_entry(dir / "g", ".convscope-"));
  kill(r.pid, SIGTERM);
  const int status = wait_for(r);
  EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGTERM) << status;
  // Nothing is left a moment later (the handler removed the temporaries before the process ended).
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (has_hidden(dir / "g") && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_FALSE(has_hidden(dir / "g"));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_FALSE(has_hidden(dir / "g"));  // and nothing new appears: no thread or process of it is left
  for (const auto& [name, bytes] : snapshot(dir / "g")) EXPECT_EQ(bytes.back(), ';') << name;  // whole GIFs only
}

// ---- a full disk ----

// RLIMIT_FSIZE stands in for a full disk without root: a write past it fails
// with EFBIG once SIGXFSZ is ignored. The larger gallery GIFs (> 100 KB) fail.
TEST(CliExportFullDisk, GalleryPastAFileSizeLimitLeavesNoTemporary) {
  TempDir dir;
  const Result r = run({"gallery", dir / "g"}, dir, [] {
    signal(SIGXFSZ, SIG_IGN);
    const rlimit lim{100 * 1024, 100 * 1024};
    setrlimit(RLIMIT_FSIZE, &lim);
  });
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(one_error_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("File too large"), std::string::npos) << r.err;
  EXPECT_FALSE(has_hidden(dir / "g"));
  for (const auto& [name, bytes] : snapshot(dir / "g")) {  // what is there is whole
    EXPECT_EQ(bytes.substr(0, 6), "GIF89a") << name;
    EXPECT_EQ(bytes.back(), ';') << name;  // the GIF trailer
  }
}

// A real full disk: a 640 KiB tmpfs (needs root; skipped otherwise).
struct SmallDisk {
  explicit SmallDisk(const std::string& at, const char* size) : path(at) {
    std::filesystem::create_directories(at);
    mounted = geteuid() == 0 && mount("tmpfs", at.c_str(), "tmpfs", 0, (std::string("size=") + size).c_str()) == 0;
  }
  ~SmallDisk() {
    if (mounted) umount2(path.c_str(), MNT_DETACH);
  }
  std::string path;
  bool mounted = false;
};

TEST(CliExportFullDisk, GalleryOnAFullDiskLeavesNoTemporary) {
  TempDir dir;
  SmallDisk disk(dir / "disk", "640k");
  if (!disk.mounted) GTEST_SKIP() << "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)";
  const Result r = run({"gallery", disk.path}, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(one_error_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_FALSE(has_hidden(disk.path));
}

TEST(CliExportFullDisk, FramesOnAFullDiskLeaveTheOldSetIntact) {
  TempDir dir;
  SmallDisk disk(dir / "disk", "640k");
  if (!disk.mounted) GTEST_SKIP() << "cannot mount a tmpfs here (not root, or no CAP_SYS_ADMIN)";
  const std::string frames = disk.path + "/frames/";
  ASSERT_EQ(run({"export", kPresets + "seed_conv2d.json", "-q", "--per", "key", "--out", frames}, dir).code, 0);
  const auto before = snapshot(disk.path + "/frames");
  const std::string scenario = conv_of_side(dir, 8, "s576.json");  // 576 frames: far more than 640 KiB
  const Result r = run({"export", scenario, "--out", frames}, dir);
  EXPECT_EQ(r.code, 2);
  EXPECT_TRUE(one_error_line(r.err)) << r.err;
  EXPECT_NE(r.err.find("No space left on device"), std::string::npos) << r.err;
  EXPECT_EQ(snapshot(disk.path + "/frames"), before);
  EXPECT_FALSE(has_hidden(disk.path + "/frames"));
}

// ---- limits ----

TEST(CliExportLimits, FramesOverTheSizeCapAreRefusedAtOnce) {
  TempDir dir;
  const Result size = run({"export", kPresets + "seed_conv2d.json", "--size", "8193", "600", "--out", dir / "x.png"}, dir);
  EXPECT_EQ(size.code, 2);
  EXPECT_EQ(size.err, "convscope: error: a 8193×600 frame is over the limit of 8192 pixels a side and 32 megapixels; "
                      "use a smaller --scale or --size\n");
  const Result area = run({"export", kPresets + "seed_conv2d.json", "--size", "8192", "8192", "--out", dir / "x.gif"}, dir);
  EXPECT_EQ(area.code, 2);
  EXPECT_NE(area.err.find("a 8192×8192 frame is over the limit"), std::string::npos) << area.err;
  // Big grids grow the preferred size with --scale: 1000 cells of padding on
  // each side at scale 4 asked for a 16384×16384 frame (issue 8: 87 s, 4.9 GB).
  write_text(dir / "pad1000.json",
             R"({"op": "conv2d", "convention": "pytorch", "input": [[[1]]], "kernel": [[[[1]]]], "padding": [1000, 1000]})");
  const auto t0 = std::chrono::steady_clock::now();
  const Result scaled = run({"export", dir / "pad1000.json", "--scale", "4", "--out", dir / "x.png"}, dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(scaled.code, 2);
  EXPECT_EQ(scaled.err, "convscope: error: a 16384×16384 frame is over the limit of 8192 pixels a side and 32 megapixels; "
                        "use a smaller --scale or --size\n");
  EXPECT_LT(seconds, 10.0);
  EXPECT_LT(scaled.max_rss_kb, kRssBoundKb);
  EXPECT_EQ(listing(dir.path), (std::vector<std::string>{"pad1000.json"}));
}

// Issue 8: a 135-byte PyTorch conv with padding 20 000 and stride 10 000 took
// more than 10 GB: the renderer lays the padded input out cell by cell
// (40 002² cells). Refused before anything is allocated.
// Padding 20 000 with stride 10 000 (once > 10 GB): drawn elided — six cells of
// padding per side and a break mark — so it exports in bounded memory.
TEST(CliExportLimits, HugePaddingExportsWithinBoundedMemory) {
  TempDir dir;
  write_text(dir / "pad.json",
             R"({"op":"conv2d","convention":"pytorch","input":[[[1],[1]],[[1],[1]]],"kernel":[[[[1]]]],"strides":[10000,10000],"padding":[20000,20000]})");
  const Result r = run({"export", dir / "pad.json", "--out", dir / "pad.gif"}, dir, [] {
    // Whatever happens, not the machine's memory. ASan reserves terabytes of address
    // space for its shadow and cannot start under RLIMIT_AS: its own RSS limit instead.
    if (kSanitized) {
      const char* before = std::getenv("ASAN_OPTIONS");
      const std::string options = std::string(before ? before : "") + (before ? ":" : "") + "hard_rss_limit_mb=4096";
      setenv("ASAN_OPTIONS", options.c_str(), 1);
    } else {
      const rlimit lim{rlim_t{4} << 30, rlim_t{4} << 30};
      setrlimit(RLIMIT_AS, &lim);
    }
  });
  EXPECT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("wrote"), std::string::npos) << r.err;
  EXPECT_LT(r.max_rss_kb, kRssBoundKb);
  EXPECT_EQ(listing(dir.path), (std::vector<std::string>{"pad.gif", "pad.json"}));
}

// Past the work limit: refused before a GL context, a file or a folder exists.
TEST(CliExportLimits, AScenarioPastTheWorkLimitIsRefusedBeforeRendering) {
  TempDir dir;
  // A 1×1 input padded by 4000 under a 64×64 kernel: 7938² outputs × 4096 taps = 2.6·10¹¹ MACs.
  std::string kernel = "[";
  for (int y = 0; y < 64; ++y) {
    kernel += y ? ",[" : "[";
    for (int x = 0; x < 64; ++x) kernel += x ? ",[[1]]" : "[[1]]";
    kernel += "]";
  }
  kernel += "]";
  write_text(dir / "work.json",
             R"({"op": "conv2d", "convention": "pytorch", "input": [[[1]]], "padding": [4000, 4000], "kernel": )" + kernel + "}");
  const auto t0 = std::chrono::steady_clock::now();
  const Result r = run({"export", dir / "work.json", "--out", dir / "new/"}, dir);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(r.err, "convscope: error: the full output needs 258096513024 multiply-accumulates, over the limit of "
                   "4294967296 for a full compute; `convscope trace` still shows any step\n");
  EXPECT_EQ(listing(dir.path), (std::vector<std::string>{"work.json"}));  // no new/ folder
  EXPECT_LT(seconds, 1.0);  // no EGL, no renderer start-up
}
