// window_commands.cpp — the window's part of the command line.
//
//   convscope                          the window on the restored session (or the seed: two panes)
//   convscope FILE.json [FILE.json …]  those scenarios, one pane each
//   convscope --screenshot OUT.png [--step N] [FILE.json]   render, write the window's pixels, exit
//   convscope --bench-frames N [FILE.json]                  print `frames N median_ms X p95_ms Y`
//   convscope --bench-startup [FILE.json]                   print `startup wall_ms X cpu_ms Y main_thread_cpu_ms Z | …` after the first frame
//   convscope --dump-state OUT.json [FILE.json]             keep OUT.json up to date (tests)
//   … --view equivalent,values=off                          view options (as the View menu sets them)
//   … --session FILE                                        this session file instead of the user's
//   convscope --lesson LESSON | --present LESSON            a guided lesson (file or shipped name), presenter mode
// The test options neither read nor write the saved session unless --session names one.
#include <CLI/CLI.hpp>

#include <memory>
#include <sstream>

#include "app/model/app_state.h"
#include "app/model/session.h"

#include "app/cli/commands.h"
#include "app/gui/window.h"

namespace cli {

void register_window_commands(CLI::App& app, Action& chosen) {
  auto opt = std::make_shared<gui::WindowOptions>();
  auto step = std::make_shared<long long>(-1);
  app.add_option("FILE", opt->files, "scenario JSON files to open in the window, one pane each");
  app.add_option("--screenshot", opt->screenshot, "open the window, render, write its pixels to this PNG and exit");
  CLI::Option* step_opt = app.add_option("--step", *step, "with --screenshot: every pane's cursor at min(N, its last step)");
  app.add_option("--bench-frames", opt->bench_frames,
                 "play at full speed (vsync off) for N frames (after 3 warm-up frames) and print the median and p95 frame times")
      ->check(CLI::Range(1, 1000000));
  app.add_flag("--bench-startup", opt->bench_startup,
               "open the window, draw one frame and print the time from process start to its swap "
               "(`startup wall_ms X cpu_ms Y main_thread_cpu_ms Z | stage ms …`)");
  app.add_option("--dump-state", opt->dump_state, "keep this JSON file up to date with the state and the canvas layout");
  app.add_option("--session", opt->session,
                 "read and keep saving this session file instead of the user's (also with the test options above)");
  app.add_option("--window-size", [opt](const CLI::results_t& r) {
       if (r.size() != 2) return false;
       try {
         opt->width = std::stoi(r[0]);
         opt->height = std::stoi(r[1]);
       } catch (const std::exception&) {
         throw CLI::ValidationError("--window-size", "takes two whole numbers W H, got " + r[0] + " " + r[1]);
       }
       if (opt->width < 320 || opt->height < 240 || opt->width > model::kMaxWindowSide || opt->height > model::kMaxWindowSide)
         throw CLI::ValidationError("--window-size", "must be between 320 240 and " + std::to_string(model::kMaxWindowSide) +
                                                         " " + std::to_string(model::kMaxWindowSide) + ", got " + r[0] + " " + r[1]);
       return true;
     }, "window width and height in pixels")
      ->expected(2)
      ->type_name("W H");
  app.add_option("--view", [opt](const CLI::results_t& r) {
       for (const std::string& list : r) {
         std::stringstream items(list);
         std::string item;
         while (std::getline(items, item, ',')) {
           if (item.empty()) continue;
           const auto eq = item.find('=');
           const std::string name = item.substr(0, eq), value = eq == std::string::npos ? "on" : item.substr(eq + 1);
           model::ViewOptions probe;
           const bool per_pane = name == "volume" || name == "all_channels";  // model::pane_view_option
           if (!per_pane && !model::view_option(probe, name))
             throw CLI::ValidationError("--view", "unknown view option \"" + name +
                                                      "\" (names: values arithmetic formula legend equivalent "
                                                      "controls timeline presets matrix volume all_channels)");
           if (value != "on" && value != "off")
             throw CLI::ValidationError("--view", name + "=" + value + ": the value must be on or off");
           opt->view.emplace_back(name, value == "on");
         }
       }
       return true;
     }, "view options, e.g. equivalent or equivalent,values=off (names: values arithmetic formula legend "
        "equivalent controls timeline presets matrix volume all_channels)")
      ->type_name("NAME[=on|off],...");
  app.add_option("--hover", opt->hover,
                 "pin the hover links on the first pane: out:y,x[,f] (an output cell's window or stamps), in:y,x[,c] "
                 "(the outputs an input cell feeds), kernel:ky,kx[,c] (every product of a weight); P pins/unpins "
                 "in the window");
  app.add_flag("--overlap", opt->overlap,
               "show the overlap map on every pane: stamps per output cell of a transpose (the checkerboard), "
               "windows per input cell of a conv (View → Overlap map; export --overlap draws it too)");
  app.add_flag("--round-trip", opt->round_trip,
               "open the round trip of the first pane (a Conv2D): input → Conv2D → Conv2DTranspose");
  app.add_option("--lesson", opt->lesson, "open a guided lesson: a lesson file or a shipped lesson's name (conv_shrinks, …)");
  CLI::Option* present = app.add_option("--present", opt->lesson, "open a lesson in presenter mode (full screen; Esc leaves)");
  app.callback([&app, &chosen, opt, step, step_opt, present] {
    opt->present = present->count() > 0;
    if (chosen || !app.get_subcommands().empty()) return;
    opt->step_set = step_opt->count() > 0;
    opt->step = *step;
    chosen = [opt] { return gui::run_window(*opt); };
  });
}

}  // namespace cli
