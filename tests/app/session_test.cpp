// Sessions that survive (issue 8): every kind of unreadable session is moved to
// session.json.bad with a one-line message and the app starts from the seed;
// numbers out of range are clamped, never converted out of range; large panes
// are written by reference to their file only while unchanged, else left out
// with a message; saves are debounced until the state has been still.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "app/model/session.h"
#include "core/errors.h"

namespace {

namespace fs = std::filesystem;

struct TempDir {
  fs::path path;
  TempDir() {
    static int n = 0;
    path = fs::temp_directory_path() / ("convscope_session_test_" + std::to_string(::getpid()) + "_" + std::to_string(++n));
    fs::remove_all(path);
    fs::create_directories(path);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path, ec);
  }
  std::string operator/(const std::string& name) const { return (path / name).string(); }
};

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

const char* kSmallScenario = R"({"op": "conv2d", "input": [[[1],[2]],[[3],[4]]], "kernel": [[[[1]]]]})";

std::string session_with(const std::string& panes, const std::string& extra = "") {
  return std::string(R"({"version": 2, "focused": 0)") + extra + R"(, "panes": [)" + panes + "]}";
}

std::string pane_with(const std::string& scenario, const std::string& extra = "") {
  return R"({"cursor": 1)" + extra + R"(, "scenario": )" + scenario + "}";
}

// A scenario whose input is h×w ones (JSON text of about 2·h·w bytes).
std::string ones_scenario(int64_t h, int64_t w) {
  std::string s = R"({"op": "conv2d", "kernel": [[[[1]]]], "input": [)";
  for (int64_t y = 0; y < h; ++y) {
    s += y ? ",[" : "[";
    for (int64_t x = 0; x < w; ++x) s += x ? ",[1]" : "[1]";
    s += "]";
  }
  return s + "]}";
}

// ---- unreadable sessions ----

struct BadSession {
  const char* what;
  std::string text;
};

class UnreadableSession : public ::testing::TestWithParam<BadSession> {};

TEST_P(UnreadableSession, IsMovedToBadWithAMessageAndTheSeedStarts) {
  TempDir dir;
  const std::string path = dir / "session.json";
  const std::string text = GetParam().text;
  write(path, text);
  const auto t0 = std::chrono::steady_clock::now();
  const model::SessionLoad load = model::load_session(path);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 5.0);
  EXPECT_FALSE(load.state.has_value());  // the window starts the seed
  // One line naming the file and where it went.
  EXPECT_EQ(load.problem.find('\n'), std::string::npos) << load.problem;
  EXPECT_NE(load.problem.find("the session " + path + " could not be read"), std::string::npos) << load.problem;
  EXPECT_NE(load.problem.find("it was moved to " + path + ".bad"), std::string::npos) << load.problem;
  EXPECT_FALSE(fs::exists(path));
  EXPECT_EQ(read(path + ".bad"), text);
}

std::string deep(const std::string& key, int depth) {
  return R"({"version": 2, "panes": [{"scenario": {"op": "conv2d", ")" + key + R"(": )" + std::string(depth, '[') + "1" +
         std::string(depth, ']') + R"(, "input": [[[1]]], "kernel": [[[[1]]]]}}]})";
}

INSTANTIATE_TEST_SUITE_P(
    Issue8, UnreadableSession,
    ::testing::Values(
        BadSession{"truncated", session_with(pane_with(kSmallScenario)).substr(0, 60)},
        BadSession{"garbage", std::string("\x00\xff\x13garbage\x7f{", 12)},
        BadSession{"empty", ""},
        BadSession{"not_an_object", "[1, 2, 3]"},
        BadSession{"panes_not_a_list", R"({"panes": "two"})"},
        BadSession{"no_panes", R"({"panes": []})"},
        BadSession{"order_unknown", session_with(pane_with(kSmallScenario, R"(, "order": "sideways")"))},
        BadSession{"cursor_is_text", session_with(pane_with(kSmallScenario, R"(, "view_channel": "zero")"))},
        BadSession{"window_of_text", session_with(pane_with(kSmallScenario), R"(, "window": ["wide", 1])")},
        BadSession{"window_of_three", session_with(pane_with(kSmallScenario), R"(, "window": [800, 600, 1])")},
        BadSession{"view_not_bool", session_with(pane_with(kSmallScenario), R"(, "view": {"values": 1})")},
        BadSession{"version_3", R"({"version": 3, "panes": [)" + pane_with(kSmallScenario) + "]}"},
        BadSession{"origin_not_text", session_with(pane_with(kSmallScenario, R"(, "origin": 7)"))},
        // One invalid pane among valid ones: a 2×2 kernel on a 1×1 input.
        BadSession{"one_invalid_pane",
                   session_with(pane_with(kSmallScenario) + "," +
                                pane_with(R"({"op": "conv2d", "input": [[[1]]], "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})") +
                                "," + pane_with(kSmallScenario))},
        BadSession{"scenario_and_file", session_with(R"({"scenario": {}, "file": {}})")},
        BadSession{"file_missing", session_with(R"({"file": {"path": "/nonexistent/x.json", "size": 1, "hash": "0000000000000000"}})")},
        BadSession{"file_is_a_folder", session_with(R"({"file": {"path": "/", "size": 1, "hash": "0000000000000000"}})")},
        BadSession{"deep_strides_70000", deep("strides", 70000)},
        BadSession{"deep_padding_70000", deep("padding", 70000)},
        BadSession{"deep_top_level_70000", std::string(70000, '[') + std::string(70000, ']')},
        BadSession{"deep_unknown_key", R"({"panes": [], "x": )" + std::string(70000, '{') }),
    [](const ::testing::TestParamInfo<BadSession>& info) { return std::string(info.param.what); });

TEST(UnreadableSessionFile, AFolderIsMovedAside) {
  TempDir dir;
  const std::string path = dir / "session.json";
  fs::create_directories(path);
  write(path + "/inside", "kept");
  const model::SessionLoad load = model::load_session(path);
  EXPECT_FALSE(load.state);
  EXPECT_NE(load.problem.find("it is a folder"), std::string::npos) << load.problem;
  EXPECT_NE(load.problem.find("moved to " + path + ".bad"), std::string::npos) << load.problem;
  EXPECT_TRUE(fs::is_directory(path + ".bad"));
  EXPECT_EQ(read(path + ".bad/inside"), "kept");
  // The next save writes a fresh session where the folder was.
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  EXPECT_EQ(model::save_session(st, path).error, "");
  EXPECT_TRUE(model::load_session(path).state.has_value());
}

TEST(UnreadableSessionFile, AFifoIsRefusedWithoutWaiting) {
  TempDir dir;
  const std::string path = dir / "session.json";
  ASSERT_EQ(::mkfifo(path.c_str(), 0600), 0);
  const auto t0 = std::chrono::steady_clock::now();
  const model::SessionLoad load = model::load_session(path);
  EXPECT_LT(std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count(), 2.0);
  EXPECT_FALSE(load.state);
  EXPECT_NE(load.problem.find("FIFO"), std::string::npos) << load.problem;
  struct stat st {};
  ASSERT_EQ(::lstat((path + ".bad").c_str(), &st), 0);
  EXPECT_TRUE(S_ISFIFO(st.st_mode));
}

TEST(UnreadableSessionFile, UnreadableFileAndAnOlderBadOne) {
  TempDir dir;
  const std::string path = dir / "session.json";
  write(path + ".bad", "an older bad session");
  write(path, session_with(pane_with(kSmallScenario)));
  ::chmod(path.c_str(), 0);
  if (::access(path.c_str(), R_OK) == 0) {
    // Root reads anything: make it unreadable another way, a file over the size cap.
    ::chmod(path.c_str(), 0600);
    fs::resize_file(path, static_cast<uintmax_t>(model::kMaxSessionBytes) + 1);
  }
  const model::SessionLoad load = model::load_session(path);
  EXPECT_FALSE(load.state);
  EXPECT_NE(load.problem.find("moved to"), std::string::npos) << load.problem;
  EXPECT_FALSE(fs::exists(path));
  EXPECT_NE(read(path + ".bad"), "an older bad session");  // replaced by this one
}

TEST(SessionFile, MissingIsNoProblem) {
  TempDir dir;
  const model::SessionLoad load = model::load_session(dir / "session.json");
  EXPECT_FALSE(load.state);
  EXPECT_EQ(load.problem, "");
  EXPECT_FALSE(fs::exists(dir / "session.json.bad"));
}

// ---- numbers of every kind, clamped ----

TEST(SessionNumbers, FloatsAndHugeValuesAreClampedNotConverted) {
  const std::string text = session_with(
      pane_with(kSmallScenario, R"(, "view_channel": 2.7, "view_filter": 18446744073709551615)") + "," +
          R"({"cursor": 1e300, "view_channel": -1e300, "scenario": )" + kSmallScenario + "}," +
          R"({"cursor": -9223372036854775808, "scenario": )" + kSmallScenario + "}",
      R"(, "window": [100000, 100000], "speed": 1e308)");
  model::AppState st = model::session_from_json(text);
  ASSERT_EQ(st.panes.size(), 3u);
  EXPECT_EQ(st.window_w, model::kMaxWindowSide);  // the window clamps further, to the monitor
  EXPECT_EQ(st.window_h, model::kMaxWindowSide);
  EXPECT_EQ(st.speed, model::kMaxSpeed);
  EXPECT_EQ(st.panes[0].view_channel, 0);  // C = 1
  EXPECT_EQ(st.panes[0].view_filter, 0);   // F = 1
  EXPECT_EQ(st.panes[1].cursor(), st.panes[1].last_step());
  EXPECT_EQ(st.panes[1].view_channel, -1);
  EXPECT_EQ(st.panes[2].cursor(), -1);

  st = model::session_from_json(session_with(pane_with(kSmallScenario), R"(, "window": [1.5e300, -5.5], "focused": 7.9)"));
  EXPECT_EQ(st.window_w, model::kMaxWindowSide);
  EXPECT_EQ(st.window_h, 240);
  EXPECT_EQ(st.focused, 0);
}

TEST(SessionOrigin, AFolderAsOriginLoadsAndResetSaysWhy) {
  TempDir dir;
  const std::string text = session_with(pane_with(kSmallScenario, R"(, "origin": ")" + dir.path.string() + R"(")"));
  model::AppState st = model::session_from_json(text);
  model::Pane& p = st.panes[0];
  EXPECT_EQ(p.value({model::Tensor::input, 1, 1, 0, 0}), 4);
  EXPECT_FALSE(p.reset_to_preset());
  EXPECT_NE(p.error().find("it is a folder"), std::string::npos) << p.error();
  EXPECT_EQ(p.value({model::Tensor::input, 1, 1, 0, 0}), 4);  // nothing changed
}

// ---- bounded size: by reference, or refused ----

TEST(SessionSize, LargeUnchangedPaneIsSavedByReferenceToItsFile) {
  TempDir dir;
  const std::string file = dir / "big.json";
  write(file, ones_scenario(300, 300));  // 90 000 values: more than kSessionReferenceValues
  model::LoadedScenario loaded = model::load_scenario_file(file);
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  ASSERT_TRUE(st.panes[1].replace(std::move(loaded.scenario), file, loaded.identity));
  st.panes[1].set_cursor(12345);

  model::SessionText t = model::session_to_json(st);
  EXPECT_TRUE(t.refused.empty());
  EXPECT_LT(t.text.size(), 4000u) << "the values are not written out";
  EXPECT_NE(t.text.find("\"file\""), std::string::npos);
  EXPECT_NE(t.text.find(model::hash_text(loaded.identity.hash)), std::string::npos);

  std::vector<std::string> notes;
  model::AppState back = model::session_from_json(t.text, &notes);
  EXPECT_TRUE(notes.empty());
  ASSERT_EQ(back.panes.size(), 2u);
  EXPECT_EQ(back.panes[1].scenario().input.h, 300);
  EXPECT_EQ(back.panes[1].cursor(), 12345);
  EXPECT_TRUE(back.panes[1].unchanged_source().has_value());  // and stays a reference on the next save

  // Changed in the window: written out (90 000 values fit the session's budget).
  ASSERT_TRUE(st.panes[1].set_value({model::Tensor::input, 0, 0, 0, 0}, 5));
  t = model::session_to_json(st);
  EXPECT_EQ(t.text.find("\"file\""), std::string::npos);
  EXPECT_GT(t.text.size(), 90000u * 2);
  // Undone: the very scenario read from the file again, so a reference again.
  ASSERT_TRUE(st.panes[1].undo());
  EXPECT_NE(model::session_to_json(st).text.find("\"file\""), std::string::npos);

  // The file changed on disk since it was read: no longer a reference.
  write(file, ones_scenario(300, 301));
  EXPECT_FALSE(st.panes[1].unchanged_source().has_value());
  EXPECT_EQ(model::session_to_json(st).text.find("\"file\""), std::string::npos);
}

TEST(SessionSize, AReferencedFileThatChangedLoadsWithANote) {
  TempDir dir;
  const std::string file = dir / "big.json";
  write(file, ones_scenario(300, 300));
  model::LoadedScenario loaded = model::load_scenario_file(file);
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  ASSERT_TRUE(st.panes[0].replace(std::move(loaded.scenario), file, loaded.identity));
  const std::string text = model::session_to_json(st).text;
  write(file, ones_scenario(300, 299));
  std::vector<std::string> notes;
  model::AppState back = model::session_from_json(text, &notes);
  EXPECT_EQ(back.panes[0].scenario().input.w, 299);
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("changed since the session was saved"), std::string::npos);
}

TEST(SessionSize, ALargeChangedPaneIsLeftOutWithAMessageNeverWrittenOut) {
  TempDir dir;
  const std::string file = dir / "huge.json";
  write(file, ones_scenario(1100, 1000));  // 1.1 M values: over kSessionInlineValues
  model::LoadedScenario loaded = model::load_scenario_file(file);
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  ASSERT_TRUE(st.panes[1].replace(std::move(loaded.scenario), file, loaded.identity));
  ASSERT_TRUE(st.panes[1].set_value({model::Tensor::input, 3, 3, 0, 0}, 2));
  st.focused = 1;

  const std::string path = dir / "session.json";
  const model::SessionSave save = model::save_session(st, path);
  EXPECT_EQ(save.error, "");
  ASSERT_EQ(save.refused.size(), 1u);
  EXPECT_EQ(save.refused[0],
            "pane 2 is not kept in the session: its 1100001 values are over the 1048576 a session writes out, and it "
            "differs from the file it was opened from; save it (Ctrl+S) to keep it");
  EXPECT_LT(fs::file_size(path), 4000u);
  model::SessionLoad back = model::load_session(path);
  ASSERT_TRUE(back.state);
  EXPECT_EQ(back.state->panes.size(), 1u);  // the seed Conv2D
  EXPECT_EQ(back.state->focused, 0);

  // Saved as a file (Ctrl+S does this), it is a reference again.
  model::FileIdentity written;
  ASSERT_EQ(model::save_text_atomically(dir / "huge2.json", core::scenario_to_json(st.panes[1].scenario(), false), &written), "");
  st.panes[1].set_source_file(written);
  const model::SessionText t = model::session_to_json(st);
  EXPECT_TRUE(t.refused.empty());
  EXPECT_LT(t.text.size(), 4000u);
}

TEST(SessionSize, NothingKeptLeavesThePreviousSession) {
  TempDir dir;
  const std::string file = dir / "huge.json";
  write(file, ones_scenario(1100, 1000));
  model::LoadedScenario loaded = model::load_scenario_file(file);
  model::AppState st;
  st.panes.emplace_back(std::move(loaded.scenario), file);
  const std::string path = dir / "session.json";
  write(path, "previous");
  const model::SessionSave save = model::save_session(st, path);
  EXPECT_EQ(save.refused.size(), 1u);
  EXPECT_EQ(read(path), "previous");
}

// ---- saving shortly after every change ----

TEST(SessionOrder, AGatheringTransposeComesBackGatheringWithItsCursor) {
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);  // pane 1: the seed transpose, 2×2 → 3×3
  model::SessionAutosave autosave(st, 0.0);
  st.panes[1].set_order(core::TraceOrder::gather);
  EXPECT_FALSE(autosave.due(st, 10.0));  // the order is a change worth saving: due after the delay
  EXPECT_TRUE(autosave.due(st, 10.0 + model::kAutosaveDelay));
  st.panes[1].set_cursor(30);           // past the scatter's 16 steps: only the gather has it
  const model::AppState back = model::session_from_json(model::session_to_json(st).text);
  EXPECT_EQ(back.panes[0].order(), core::TraceOrder::gather);  // a Conv2D
  EXPECT_EQ(back.panes[1].order(), core::TraceOrder::gather);
  EXPECT_EQ(back.panes[1].trace().count(), 36);
  EXPECT_EQ(back.panes[1].cursor(), 30);
  st.panes[1].set_order(core::TraceOrder::scatter);
  EXPECT_EQ(model::session_from_json(model::session_to_json(st).text).panes[1].order(), core::TraceOrder::scatter);
}

TEST(SessionAutosave, SavesOnceTheStateHasBeenStillForTheDelay) {
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  model::SessionAutosave autosave(st, 0.0);
  EXPECT_FALSE(autosave.due(st, 10.0));  // nothing changed since it was loaded
  EXPECT_EQ(autosave.seconds_until_due(10.0), std::numeric_limits<double>::infinity());

  st.panes[0].set_value({model::Tensor::input, 0, 0, 0, 0}, 7);
  EXPECT_FALSE(autosave.due(st, 11.0));
  EXPECT_DOUBLE_EQ(autosave.seconds_until_due(11.0), model::kAutosaveDelay);
  EXPECT_FALSE(autosave.due(st, 11.0 + model::kAutosaveDelay / 2));
  // Another change restarts the delay (debounced): typing a number saves once, at the end.
  st.panes[0].set_value({model::Tensor::input, 0, 1, 0, 0}, 8);
  EXPECT_FALSE(autosave.due(st, 12.0));
  EXPECT_FALSE(autosave.due(st, 12.0 + model::kAutosaveDelay - 0.01));
  EXPECT_TRUE(autosave.due(st, 12.0 + model::kAutosaveDelay));
  autosave.saved();
  EXPECT_FALSE(autosave.due(st, 20.0));

  // Cursor, focus, view and window changes count; a playing cursor does not (until it stops).
  st.panes[1].step(1);
  EXPECT_FALSE(autosave.due(st, 21.0));
  EXPECT_TRUE(autosave.due(st, 23.0));
  autosave.saved();
  st.playing = true;
  EXPECT_FALSE(autosave.due(st, 24.0));  // playing starts: one change
  autosave.saved();
  st.panes[0].step(3);
  EXPECT_FALSE(autosave.due(st, 30.0));
  EXPECT_FALSE(autosave.pending());
  st.playing = false;
  EXPECT_FALSE(autosave.due(st, 31.0));
  EXPECT_TRUE(autosave.due(st, 33.0));
  autosave.saved();
  st.window_w = 1000;
  EXPECT_FALSE(autosave.due(st, 40.0));
  EXPECT_TRUE(autosave.due(st, 42.0));
}

TEST(SessionSave, AtomicAndFlushedNoTemporaryLeft) {
  TempDir dir;
  const std::string path = dir / "sub/session.json";
  model::AppState st = model::seed_state(CONVSCOPE_PRESETS_DIR);
  EXPECT_EQ(model::save_session(st, path).error, "");
  int files = 0;
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path())) files += e.is_regular_file();
  EXPECT_EQ(files, 1);
  // A folder in the way: an error message, nothing written, nothing left behind.
  fs::create_directories(dir / "taken");
  const model::SessionSave save = model::save_session(st, dir / "taken");
  EXPECT_NE(save.error.find("it is a folder"), std::string::npos) << save.error;
}

}  // namespace
