// no_window.cpp — the window's entry points when convscope is built without
// the GUI (sanitizer builds): no arguments explains what to use instead.
#include <CLI/CLI.hpp>

#include "app/cli/commands.h"

namespace cli {

void register_window_commands(CLI::App& app, Action& chosen) {
  app.callback([&app, &chosen] {
    if (!chosen && app.get_subcommands().empty())
      chosen = [] {
        return report_error("this convscope was built without the window; use the headless commands compute, "
                            "trace, explain (convscope --help)");
      };
  });
}

void register_export_commands(CLI::App&, Action&) {}

}  // namespace cli
