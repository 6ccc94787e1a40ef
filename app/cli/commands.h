// commands.h — the `convscope` command line (CLI11).
//
//   convscope compute FILE              the output as one JSON object
//   convscope trace FILE [--from N] [--count M]   steps as JSON Lines
//   convscope explain FILE              the arithmetic in plain text
//
// Every failure prints one line `convscope: error: …` on stderr, nothing on
// stdout, and returns 2; --help returns 0.
#pragma once

#include <iosfwd>
#include <string>

namespace cli {

int run(int argc, char** argv);

// Each command writes to `out` and throws core::Error on bad input.
void run_compute(const std::string& file, std::ostream& out);
void run_trace(const std::string& file, long long from, long long count, std::ostream& out);
void run_explain(const std::string& file, std::ostream& out);

// The one line a failure prints (without the newline).
std::string error_line(const std::string& message);

}  // namespace cli
