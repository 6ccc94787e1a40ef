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

std::string version_line() { return std::string("convscope ") + CONVSCOPE_VERSION; }

void run_compute(const std::string& file, std::ostream& out) {
  const core::Scenario s = core::load_scenario(file);
  out << core::output_to_json(s, core::compute(s)) << "\n";
}

void run_trace(const std::string& file, long long from, long long count, std::ostream& out) {
  // Everything is checked before the first line is written.
  auto s = std::make_shared<const core::Scenario>(core::load_scenario(file));
  const core::Trace trace(s);
  if (from < 0 || from >= trace.count()) core::fail(core::ErrorCode::step_out_of_range, from, trace.count(), trace.count() - 1);
  if (count < -1) core::fail(core::ErrorCode::usage, "--count must be 0 or more, got " + std::to_string(count));
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

int report_error(const std::string& message) {
  std::cerr << error_line(message) << "\n";
  return kExitError;
}

void register_core_commands(CLI::App& app, Action& chosen) {
  // Options live as long as the parse; CLI11 keeps pointers to them.
  struct Options {
    std::string file;
    long long from = 0, count = -1;
  };
  auto opt = std::make_shared<Options>();

  // Output is buffered so that a failure leaves stdout empty.
  auto buffered = [](std::function<void(std::ostream&)> work) {
    std::ostringstream out;
    work(out);
    std::cout << out.str();
    std::cout.flush();
    return std::cout ? kExitOk : kExitError;
  };

  CLI::App* compute = app.add_subcommand("compute", "Print the output as JSON {\"output_shape\", \"output\"}");
  compute->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  compute->callback([&chosen, opt, buffered] {
    chosen = [opt, buffered] { return buffered([&](std::ostream& out) { run_compute(opt->file, out); }); };
  });

  CLI::App* trace =
      app.add_subcommand("trace", "Print the steps as JSON Lines (one multiply-accumulate or scatter a line)");
  trace->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  trace->add_option("--from", opt->from, "first step (default 0)");
  trace->add_option("--count", opt->count, "number of steps (default: to the end)");
  trace->callback([&chosen, opt] {
    // Streams: run_trace checks everything before its first line.
    chosen = [opt] {
      run_trace(opt->file, opt->from, opt->count, std::cout);
      std::cout.flush();
      return std::cout ? kExitOk : kExitError;
    };
  });

  CLI::App* explain =
      app.add_subcommand("explain", "Explain shapes, formulas, pads/crops, steps and the equivalent Keras/PyTorch calls");
  explain->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  explain->callback([&chosen, opt, buffered] {
    chosen = [opt, buffered] { return buffered([&](std::ostream& out) { run_explain(opt->file, out); }); };
  });
}

int run(int argc, char** argv) {
  CLI::App app{"convscope — watch Conv2D shrink a grid and Conv2DTranspose enlarge one, step by step.\n"
               "Scenario files are JSON (see README.md); FILE may be - for standard input."};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", version_line(), "Print \"" + version_line() + "\" and exit");
  Action chosen;
  try {
    register_core_commands(app, chosen);
    register_window_commands(app, chosen);
    register_export_commands(app, chosen);
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report_error(std::string(e.what()) + " (see convscope --help)");
  }
  if (!chosen) return report_error("nothing to do (see convscope --help)");
  try {
    return chosen();
  } catch (const core::Error& e) {
    return report_error(e.what());
  } catch (const std::bad_alloc&) {
    return report_error("out of memory");
  }
}

}  // namespace cli
