// no_window.cpp — the window's entry points when convscope is built without
// the GUI (sanitizer builds). The same command lines are accepted, so a user
// (or a test) gets one line naming what to use instead, not a parse error.
#include <CLI/CLI.hpp>

#include "app/cli/commands.h"

namespace cli {

namespace {
int without_window() {
  return report_error(
      "this convscope was built without the window; use the headless commands compute, trace, explain "
      "(convscope --help)");
}
}  // namespace

void register_window_commands(CLI::App& app, Action& chosen) {
  // Whatever the window would take (FILE..., --screenshot, --session, ...) is accepted unread.
  app.allow_extras();
  app.callback([&app, &chosen] {
    if (app.get_subcommands().empty()) {
      if (!chosen) chosen = [] { return without_window(); };
    } else if (!app.remaining().empty()) {
      // A headless command with a stray argument is still a mistake, as in the full build.
      const std::string stray = app.remaining().front();
      chosen = [stray] { return report_error("The following argument was not expected: " + stray + " (see convscope --help)"); };
    }
  });
}

void register_export_commands(CLI::App& app, Action& chosen) {
  CLI::App* exporter = app.add_subcommand("export", "PNG/GIF export (not in this build)");
  exporter->allow_extras();
  exporter->callback([&chosen] { chosen = [] { return without_window(); }; });
}

}  // namespace cli
