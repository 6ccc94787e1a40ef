#include "app/cli/commands.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <iostream>
#include <memory>
#include <sstream>

#include "core/compute.h"
#include "core/errors.h"
#include "core/explain.h"
#include "core/scenario.h"
#include "core/trace.h"

namespace cli {

namespace {

constexpr int kExitError = 2;

void append_number(std::string& out, double v) {
  char buf[32];
  if (v == 0) v = 0;
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, res.ptr);
}

void append_optional(std::string& out, const std::optional<double>& v) {
  if (v)
    append_number(out, *v);
  else
    out += "null";
}

void append_step_json(std::string& out, const core::Step& st) {
  out += "{\"step\": " + std::to_string(st.index) + ", \"kind\": \"" + core::step_kind_name(st.kind) + "\", \"in\": ";
  if (st.input)
    out += "[" + std::to_string(st.input->y) + ", " + std::to_string(st.input->x) + ", " + std::to_string(st.input->c) + "]";
  else
    out += "null";
  out += ", \"tap\": ";
  if (st.tap)
    out += "[" + std::to_string((*st.tap)[0]) + ", " + std::to_string((*st.tap)[1]) + "]";
  else
    out += "null";
  out += ", \"out\": [" + std::to_string(st.output.y) + ", " + std::to_string(st.output.x) + ", " +
         std::to_string(st.output.c) + "], \"a\": ";
  append_optional(out, st.a);
  out += ", \"w\": ";
  append_number(out, st.w);
  out += ", \"product\": ";
  append_number(out, st.product);
  out += ", \"before\": ";
  append_optional(out, st.before);
  out += ", \"after\": ";
  append_optional(out, st.after);
  out += std::string(", \"padding\": ") + (st.padding ? "true" : "false") + ", \"cropped\": " +
         (st.cropped ? "true" : "false") + "}\n";
}

}  // namespace

std::string error_line(const std::string& message) { return "convscope: error: " + message; }

void run_compute(const std::string& file, std::ostream& out) {
  const core::Scenario s = core::load_scenario(file);
  out << core::output_to_json(s, core::compute(s)) << "\n";
}

void run_trace(const std::string& file, long long from, long long count, std::ostream& out) {
  auto s = std::make_shared<const core::Scenario>(core::load_scenario(file));
  const core::Trace trace(s);
  if (from < 0 || from >= trace.count()) core::fail(core::ErrorCode::step_out_of_range, from, trace.count(), trace.count() - 1);
  if (count < 0) core::fail(core::ErrorCode::usage, "--count must be 0 or more, got " + std::to_string(count));
  const int64_t end = count == -1 || count > trace.count() - from ? trace.count() : from + count;
  std::string buf;
  for (int64_t n = from; n < end; ++n) {
    append_step_json(buf, trace.step(n));
    if (buf.size() > (1 << 16)) {
      out << buf;
      buf.clear();
    }
  }
  out << buf;
}

void run_explain(const std::string& file, std::ostream& out) { out << core::explain(core::load_scenario(file)); }

int run(int argc, char** argv) {
  CLI::App app{"convscope — watch Conv2D shrink a grid and Conv2DTranspose enlarge one, step by step.\n"
               "Scenario files are JSON (see README.md); FILE may be - for standard input."};
  app.require_subcommand(0, 1);

  std::string file;
  long long from = 0, count = -1;
  bool count_given = false;

  CLI::App* compute = app.add_subcommand("compute", "Print the output as JSON {\"output_shape\", \"output\"}");
  compute->add_option("FILE", file, "scenario JSON (- for stdin)")->required();

  CLI::App* trace = app.add_subcommand("trace", "Print the steps as JSON Lines (one multiply-accumulate or scatter a line)");
  trace->add_option("FILE", file, "scenario JSON (- for stdin)")->required();
  trace->add_option("--from", from, "first step (default 0)");
  trace->add_option_function<long long>(
      "--count", [&](const long long& m) { count = m, count_given = true; }, "number of steps (default: to the end)");

  CLI::App* explain = app.add_subcommand("explain", "Explain shapes, formulas, pads/crops, steps and equivalent calls");
  explain->add_option("FILE", file, "scenario JSON (- for stdin)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::cerr << error_line(e.what()) << " (see convscope --help)\n";
    return kExitError;
  }

  // Commands write into a buffer first so that a failure prints nothing on stdout.
  std::ostringstream out;
  try {
    if (*compute)
      run_compute(file, out);
    else if (*trace)
      run_trace(file, from, count_given ? count : -1, out);
    else if (*explain)
      run_explain(file, out);
    else {
      std::cerr << error_line("the desktop window is not built into this convscope yet; use the headless commands "
                              "compute, trace or explain (convscope --help)")
                << "\n";
      return kExitError;
    }
  } catch (const core::Error& e) {
    std::cerr << error_line(e.what()) << "\n";
    return kExitError;
  } catch (const std::bad_alloc&) {
    std::cerr << error_line("out of memory") << "\n";
    return kExitError;
  }
  std::cout << out.str();
  std::cout.flush();
  return std::cout ? 0 : kExitError;
}

}  // namespace cli
