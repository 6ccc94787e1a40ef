#include "app/cli/commands.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <optional>
#include <memory>
#include <sstream>

#include "core/compute.h"
#include "core/errors.h"
#include "core/explain.h"
#include "core/scenario.h"
#include "core/snippets.h"
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
  out += std::string(", \"padding\": ") + (st.padding ? "true" : "false") + ", \"zero_inserted\": " +
         (st.zero_inserted ? "true" : "false") + ", \"cropped\": " + (st.cropped ? "true" : "false") + "}\n";
}

}  // namespace

std::string error_line(const std::string& message) { return "convscope: error: " + message; }

std::string version_line() { return std::string("convscope ") + CONVSCOPE_VERSION; }

void run_compute(const std::string& file, std::ostream& out) {
  const core::Scenario s = core::load_scenario(file);
  out << core::output_to_json(s, core::compute(s)) << "\n";
}


void run_trace(const std::string& file, long long from, long long count, std::ostream& out, const std::string& order) {
  // Everything is checked before the first line is written.
  auto s = std::make_shared<const core::Scenario>(core::load_scenario(file));
  core::TraceOrder chosen = core::default_trace_order(s->spec.op);
  if (!order.empty()) chosen = order_option(order);
  const core::Trace trace(s, chosen);
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

void run_snippet(const std::string& framework, const std::string& file, std::ostream& out) {
  const core::Scenario s = core::load_scenario(file);
  out << (framework == "keras" ? core::keras_snippet(s) : core::pytorch_snippet(s));
}

int report_error(const std::string& message) {
  std::cerr << error_line(core::one_line(message)) << "\n";
  return kExitError;
}

int finish_stdout() {
  std::cout.flush();
  if (std::cout && std::fflush(stdout) == 0) return kExitOk;
  return report_error(core::error_message(core::ErrorCode::output_write_failed,
                                          errno ? std::strerror(errno) : "standard output is closed or full"));
}

void register_core_commands(CLI::App& app, Action& chosen) {
  // Options live as long as the parse; CLI11 keeps pointers to them.
  struct Options {
    std::string file, order, framework;
    long long from = 0, count = -1;
  };
  auto opt = std::make_shared<Options>();

  // Output is buffered so that a failure leaves stdout empty.
  auto buffered = [](std::function<void(std::ostream&)> work) {
    std::ostringstream out;
    work(out);
    errno = 0;
    std::cout << out.str();
    return finish_stdout();
  };

  CLI::App* compute = app.add_subcommand("compute", "Print the output as JSON {\"output_shape\", \"output\"}");
  compute->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  compute->callback([&chosen, opt, buffered] {
    chosen = [opt, buffered] { return buffered([&](std::ostream& out) { run_compute(opt->file, out); }); };
  });

  CLI::App* trace =
      app.add_subcommand("trace", "Print the steps as JSON Lines (one multiply-accumulate or scatter a line)");
  trace->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  // CLI11 turns "" into 0 for a number: a step must be written out.
  const auto whole_number = CLI::Validator(
      [](std::string& text) {
        long long v = 0;
        const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
        if (text.empty() || ec != std::errc() || end != text.data() + text.size())
          return std::string("must be a whole number, got \"") + core::excerpt(text) + "\"";
        return std::string();
      },
      "INT");
  trace->add_option("--from", opt->from, "first step (default 0)")->check(whole_number);
  trace->add_option("--count", opt->count, "number of steps (default: to the end)")->check(whole_number);
  trace->add_option("--order", opt->order,
                    "scatter (a Conv2DTranspose's default: input cell by input cell) or gather (output cell by "
                    "output cell over the zero-inserted input, as a convolution; the only order of a Conv2D)");
  trace->callback([&chosen, opt] {
    // Streams: run_trace checks everything before its first line.
    chosen = [opt] {
      errno = 0;
      run_trace(opt->file, opt->from, opt->count, std::cout, opt->order);
      return finish_stdout();
    };
  });

  CLI::App* explain =
      app.add_subcommand("explain", "Explain shapes, formulas, pads/crops, steps and the equivalent Keras/PyTorch calls");
  explain->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  explain->callback([&chosen, opt, buffered] {
    chosen = [opt, buffered] { return buffered([&](std::ostream& out) { run_explain(opt->file, out); }); };
  });

  CLI::App* snippet = app.add_subcommand(
      "snippet", "Print complete Python that reproduces the scenario in PyTorch or Keras (as the Formula panel copies)");
  snippet->add_option("FRAMEWORK", opt->framework, "pytorch or keras")
      ->required()
      ->check(CLI::IsMember({"pytorch", "keras"}));
  snippet->add_option("FILE", opt->file, "scenario JSON (- for stdin)")->required();
  snippet->callback([&chosen, opt, buffered] {
    chosen = [opt, buffered] {
      return buffered([&](std::ostream& out) { run_snippet(opt->framework, opt->file, out); });
    };
  });
}

int run(int argc, char** argv, std::initializer_list<Module> modules) {
  CLI::App app{"convscope — watch Conv2D shrink a grid and Conv2DTranspose enlarge one, step by step.\n"
               "Scenario files are JSON (see README.md); FILE may be - for standard input."};
  app.require_subcommand(0, 1);
  app.set_version_flag("--version", version_line(), "Print \"" + version_line() + "\" and exit");
  Action chosen;
  try {
    for (Module add_commands : modules) add_commands(app, chosen);
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
  } catch (const std::exception& e) {
    // Not an error the program knows: still one line and exit 2, never an abort.
    return report_error(std::string("unexpected failure: ") + e.what());
  } catch (...) {
    return report_error("unexpected failure");
  }
}

core::TraceOrder order_option(const std::string& text) {
  if (text == "scatter") return core::TraceOrder::scatter;
  if (text == "gather") return core::TraceOrder::gather;
  core::fail(core::ErrorCode::usage, "--order must be scatter or gather, got " + core::excerpt(text));
}

}  // namespace cli
