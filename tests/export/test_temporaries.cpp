// Temporaries that never outlive an export (temporaries.h): their names, the
// signal handler's cleanup, signals held back during a swap, and the stale
// temporaries of processes that are gone. Signals are tested in forked
// children, so the test binary itself keeps its default handlers.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "app/export/atomic_file.h"
#include "app/export/temporaries.h"
#include "export_test_support.h"

using namespace exporter;
using export_test::TempDir;

namespace {

// Runs `body` in a child process; returns its wait status.
template <typename F>
int in_child(F body) {
  const pid_t pid = fork();
  if (pid == 0) {
    body();
    _exit(0);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return status;
}

pid_t gone_pid() {
  const pid_t pid = fork();
  if (pid == 0) _exit(0);
  waitpid(pid, nullptr, 0);
  return pid;
}

void touch(const std::string& path) { std::ofstream(path) << "x"; }

volatile sig_atomic_t g_flag = 0;
void set_flag(int) { g_flag = 1; }

}  // namespace

TEST(ExportTemporaries, NamesCarryTheirCreatorsPid) {
  const std::string pid = std::to_string(getpid());
  EXPECT_EQ(temporary_file_template("out/", "seed.gif"), "out/.seed.gif.convscope-" + pid + ".XXXXXX");
  EXPECT_EQ(temporary_folder_template("out", "frames"), "out/.convscope-frames-" + pid + ".XXXXXX");

  const auto file = parse_temporary_name(".seed.gif.convscope-4242.a1B2c3");
  ASSERT_TRUE(file);
  EXPECT_EQ(file->kind, TemporaryName::Kind::file);
  EXPECT_EQ(file->pid, 4242);
  const auto folder = parse_temporary_name(".convscope-replaced-17.Zz9Yy8");
  ASSERT_TRUE(folder);
  EXPECT_EQ(folder->kind, TemporaryName::Kind::folder);
  EXPECT_EQ(folder->role, "replaced");
  EXPECT_EQ(folder->pid, 17);
  // Names that merely look alike are somebody else's.
  for (const char* other : {"seed.gif", ".seed.gif.XXXXXX", ".seed.gif.convscope-12.abc", ".seed.gif.convscope-x.abcdef",
                            ".convscope-frames-12", ".convscope-mine-12.abcdef", ".convscope-12.abcdef", "frame_000001.png"})
    EXPECT_FALSE(parse_temporary_name(other)) << other;
}

TEST(ExportTemporaries, StaleOnesOfGoneProcessesAreRemovedOthersKept) {
  TempDir dir;
  const std::string gone = std::to_string(gone_pid()), alive = std::to_string(getpid());
  touch(dir / (".a.gif.convscope-" + gone + ".abcdef"));
  touch(dir / (".b.gif.convscope-" + alive + ".abcdef"));     // this process: still writing it
  touch(dir / (".c.gif.convscope-1.abcdef"));                  // pid 1 runs
  touch(dir / ".d.gif.abcdef");                                // not ours (an older convscope's name)
  touch(dir / "notes.txt");
  std::filesystem::create_directory(dir / (".convscope-frames-" + gone + ".abcdef"));
  touch(dir / (".convscope-frames-" + gone + ".abcdef/frame_000000.png"));
  EXPECT_EQ(clean_stale_temporaries(dir.path), 2);
  std::vector<std::string> left = dir.entries();
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{".b.gif.convscope-" + alive + ".abcdef", ".c.gif.convscope-1.abcdef",
                                            ".d.gif.abcdef", "notes.txt"}));
}

TEST(ExportTemporaries, AtomicFileCleansTheFolderItWritesInto) {
  TempDir dir;
  touch(dir / (".x.gif.convscope-" + std::to_string(gone_pid()) + ".abcdef"));  // a SIGKILLed export's
  {
    AtomicFile f(dir / "x.gif");
    ASSERT_EQ(write(f.fd(), "GIF", 3), 3);
    f.commit(false);
  }
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"x.gif"});
}

// SIGTERM with the default action: the registered file and folder go, and the
// process still dies of SIGTERM.
TEST(ExportTemporaries, SignalRemovesWhatIsRegisteredThenDiesOfIt) {
  TempDir dir;
  for (int sig : {SIGTERM, SIGINT, SIGHUP}) {
    SCOPED_TRACE(strsignal(sig));
    const int status = in_child([&] {
      signal(sig, SIG_DFL);
      remove_temporaries_on_signals();
      touch(dir / "t.tmp");
      std::filesystem::create_directory(dir / "folder");
      touch(dir / "folder/frame_000000.png");
      touch(dir / "folder/frame_000001.png");
      TempRegistration a(dir / "t.tmp", TempKind::file), b(dir / "folder", TempKind::folder);
      touch(dir / "kept.txt");  // not registered
      raise(sig);
      _exit(3);  // not reached
    });
    ASSERT_TRUE(WIFSIGNALED(status)) << status;
    EXPECT_EQ(WTERMSIG(status), sig);
    EXPECT_EQ(dir.entries(), std::vector<std::string>{"kept.txt"});
    std::filesystem::remove(dir / "kept.txt");
  }
}

TEST(ExportTemporaries, ReleasedPathsAndOtherProcessesPathsStay) {
  TempDir dir;
  touch(dir / "done.gif");
  touch(dir / "parents.tmp");
  TempRegistration parents(dir / "parents.tmp", TempKind::file);  // registered before the fork: the parent's
  const int status = in_child([&] {
    remove_temporaries_on_signals();
    TempRegistration done(dir / "done.gif", TempKind::file);
    done.release();  // committed: no longer a temporary
    raise(SIGTERM);
  });
  EXPECT_TRUE(WIFSIGNALED(status));
  std::vector<std::string> left = dir.entries();
  std::sort(left.begin(), left.end());
  EXPECT_EQ(left, (std::vector<std::string>{"done.gif", "parents.tmp"}));
}

// A signal during a swap waits for its end.
TEST(ExportTemporaries, SignalsWaitWhileDeferred) {
  TempDir dir;
  const int status = in_child([&] {
    remove_temporaries_on_signals();
    touch(dir / "t.tmp");
    TempRegistration t(dir / "t.tmp", TempKind::file);
    {
      SignalsDeferred hold;
      raise(SIGINT);
      // Still alive, the file still there: the swap goes on.
      if (access((dir / "t.tmp").c_str(), F_OK) != 0) _exit(4);
      touch(dir / "swapped");
    }
    _exit(5);  // not reached: the held signal acts when `hold` goes
  });
  ASSERT_TRUE(WIFSIGNALED(status)) << (WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  EXPECT_EQ(WTERMSIG(status), SIGINT);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{"swapped"});
}

// Installed over the program's own handler, it cleans up and then calls it.
TEST(ExportTemporaries, AnEarlierHandlerStillRuns) {
  TempDir dir;
  const int status = in_child([&] {
    signal(SIGTERM, set_flag);
    remove_temporaries_on_signals();
    touch(dir / "t.tmp");
    TempRegistration t(dir / "t.tmp", TempKind::file);
    raise(SIGTERM);
    _exit(g_flag ? 7 : 8);
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 7);
  EXPECT_EQ(dir.entries(), std::vector<std::string>{});
}

// nohup: an ignored signal stays ignored.
TEST(ExportTemporaries, AnIgnoredSignalStaysIgnored) {
  TempDir dir;
  const int status = in_child([&] {
    signal(SIGHUP, SIG_IGN);
    remove_temporaries_on_signals();
    touch(dir / "t.tmp");
    TempRegistration t(dir / "t.tmp", TempKind::file);
    raise(SIGHUP);
    _exit(access((dir / "t.tmp").c_str(), F_OK) == 0 ? 9 : 10);
  });
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 9);
}
