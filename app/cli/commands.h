// commands.h — the `convscope` command line (CLI11).
//
//   convscope compute FILE              the output as one JSON object
//   convscope trace FILE [--from N] [--count M] [--order scatter|gather]   steps as JSON Lines
//   convscope explain FILE              the arithmetic in plain text
//   convscope snippet pytorch|keras FILE   runnable Python reproducing the scenario (core/snippets.h)
//   convscope --version                 "convscope X.Y.Z"
//   (the window and the exporters register their own commands and options)
//
// Every failure prints one line `convscope: error: …` on stderr, nothing on
// stdout, and returns 2; --help returns 0.
#pragma once

#include <functional>
#include <initializer_list>
#include <iosfwd>
#include <string>

#include "core/spec.h"

namespace CLI {
class App;
}

namespace cli {

constexpr int kExitOk = 0;
constexpr int kExitError = 2;

// What the parsed command line asks for. A module's subcommand callback sets it;
// run() calls it after parsing, catching core::Error.
using Action = std::function<int()>;

// Each module adds its subcommands/options to `app` and, when they are chosen,
// stores the work in `chosen`. The program (main.cpp) hands run() the modules
// it is built with, so this library calls into none of them: the window and
// the exporter depend on it, never the other way round.
using Module = void (*)(CLI::App& app, Action& chosen);
void register_core_commands(CLI::App& app, Action& chosen);     // here
void register_window_commands(CLI::App& app, Action& chosen);   // gui/window_commands.cpp (or cli/no_window.cpp)
void register_export_commands(CLI::App& app, Action& chosen);   // export/export_commands.cpp: export, gallery

int run(int argc, char** argv, std::initializer_list<Module> modules);

// Each core command writes to `out` and throws core::Error on bad input.
void run_compute(const std::string& file, std::ostream& out);
// order: "scatter", "gather" or "" (the op's default).
void run_trace(const std::string& file, long long from, long long count, std::ostream& out,
               const std::string& order = {});
void run_explain(const std::string& file, std::ostream& out);
// framework: "pytorch" or "keras".
void run_snippet(const std::string& framework, const std::string& file, std::ostream& out);
// The value of --order (trace, export): "scatter" or "gather"; throws core::Error(usage) otherwise.
core::TraceOrder order_option(const std::string& text);

// The one line a failure prints (without the newline).
std::string error_line(const std::string& message);
// What `convscope --version` prints: "convscope X.Y.Z" (project(VERSION) in CMakeLists.txt).
std::string version_line();
// Prints error_line(message) to stderr and returns kExitError.
int report_error(const std::string& message);
// Flushes standard output; a failed write (a full disk, a closed stdout) is an
// error like any other: one line on stderr, kExitError.
int finish_stdout();

}  // namespace cli
