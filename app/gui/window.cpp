#include "app/gui/window.h"

#include <glad/gl.h>
// glad first: GLFW must not pull in a GL header of its own.
#include <GLFW/glfw3.h>
#include <sys/stat.h>
#include <backends/imgui_impl_glfw.h>
#include <backends/imgui_impl_opengl3.h>
#include <imgui.h>
#include <stb_image.h>
#include <stb_image_write.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <future>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>

#include "app/cli/commands.h"
#include "app/gui/app.h"
#include "app/gui/input_relay.h"
#include "app/gui/process_clock.h"
#include "app/model/lesson.h"
#include "app/model/result_worker.h"
#include "app/model/scenario_file.h"
#include "app/model/session.h"
#include "app/render/canvas_text.h"
#include "app/render/resources.h"
#include "core/errors.h"

namespace gui {

namespace {

const char* kHeadless = "use the headless commands: compute, trace, explain, export";

std::string glfw_error_text() {
  const char* desc = nullptr;
  glfwGetError(&desc);
  return desc ? desc : "unknown GLFW error";
}

void set_icon(GLFWwindow* win, const std::string& dir) {
  int w = 0, h = 0, n = 0;
  const std::string path = dir + "/assets/icons/convscope.png";
  unsigned char* pixels = stbi_load(path.c_str(), &w, &h, &n, 4);
  if (!pixels) return;
  GLFWimage img{w, h, pixels};
  glfwSetWindowIcon(win, 1, &img);
  stbi_image_free(pixels);
}

void load_fonts(float scale) {
  // As the canvas's (canvas_text.cpp), with ᵀ for the conv matrix's Cᵀ.
  static const ImWchar glyphs[] = {0x0020, 0x00FF, 0x0391, 0x03C9, 0x1D40, 0x1D40, 0x2010, 0x203A, 0x2070, 0x209F,
                                   0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
  const std::string font = render::find_font(false);
  ImGuiIO& io = ImGui::GetIO();
  if (!font.empty()) io.Fonts->AddFontFromFileTTF(font.c_str(), 15.0f * scale, nullptr, glyphs);
  else io.Fonts->AddFontDefault();
}

// The window's look at a content scale: ImGui's sizes and fonts rebuilt (the
// monitor changed, or View → Text size did).
void apply_ui_scale(float scale) {
  ImGuiStyle& style = ImGui::GetStyle();
  style = ImGuiStyle();
  ImGui::StyleColorsLight(&style);
  style.ScaleAllSizes(scale);
  style.WindowRounding = 0;
  ImGui::GetIO().Fonts->Clear();
  load_fonts(scale);
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  ImGui_ImplOpenGL3_CreateFontsTexture();
}

// The monitor's content scale, kept up to date by GLFW (a window moved to another screen).
float monitor_scale = 1.0f;

bool write_png(const std::string& path, int w, int h) {
  std::vector<unsigned char> px(static_cast<size_t>(w) * static_cast<size_t>(h) * 4);
  glPixelStorei(GL_PACK_ALIGNMENT, 1);
  glReadBuffer(GL_BACK);
  glReadPixels(0, 0, w, h, GL_RGBA, GL_UNSIGNED_BYTE, px.data());
  for (size_t i = 3; i < px.size(); i += 4) px[i] = 255;
  // GL rows are bottom-up; write from the last row with a negative stride.
  const int stride = w * 4;
  return stbi_write_png(path.c_str(), w, h, 4, px.data() + static_cast<size_t>(h - 1) * static_cast<size_t>(stride), -stride) != 0;
}

const char* result_state_name(model::ResultState r) {
  switch (r) {
    case model::ResultState::ready: return "ready";
    case model::ResultState::computing: return "computing";
    case model::ResultState::over_limit: return "over_limit";
    case model::ResultState::failed: return "failed";
  }
  return "?";
}

std::string state_json(const App& app, int win_w, int win_h) {
  using nlohmann::json;
  json j;
  j["playing"] = app.state.playing;
  j["speed"] = app.state.speed;
  j["focused"] = app.state.focused;
  j["window"] = {win_w, win_h};
  j["content_scale"] = app.content_scale;
  j["text_scale"] = app.state.text_scale;
  j["canvas"] = {{"x", app.canvas_x}, {"y", app.canvas_y}, {"w", app.canvas_w}, {"h", app.canvas_h},
                 {"font_rebakes", app.canvas ? app.canvas->font_rebakes() : 0}};
  j["status"] = app.status;
  j["status_error"] = app.status_error;
  const model::LessonPlayer& lp = app.lessons;
  j["lesson"] = {{"open", lp.active()}, {"stem", lp.active() ? lp.lesson().stem : ""},
                 {"slide", lp.active() ? static_cast<int64_t>(lp.slide()) : -1},
                 {"slides", static_cast<int64_t>(lp.slide_count())}, {"presenter", lp.presenter},
                 {"waiting_for_answer", lp.waiting_for_answer()}, {"panel", app.lessons_panel},
                 {"caption", lp.caption(app.state)}, {"question", lp.question(app.state)},
                 {"feedback", lp.feedback() ? lp.feedback()->message : ""}};
  j["panes"] = json::array();
  for (const model::Pane& p : app.state.panes) {
    const core::Scenario& s = p.scenario();
    const core::Geometry& g = p.geometry();
    json pj = {{"op", core::op_name(s.spec.op)},
               {"convention", core::convention_name(s.spec.convention)},
               {"cursor", p.cursor()},
               {"count", p.trace().count()},
               {"unit", p.current_unit()},
               {"input_shape", {s.input.h, s.input.w, s.input.c}},
               {"kernel_shape", {s.kernel.kh, s.kernel.kw, s.kernel.in_channels, s.kernel.out_channels}},
               {"output_shape", {g.out_h(), g.out_w(), g.out_channels}},
               {"error", p.error()},
               {"can_undo", p.can_undo()},
               {"zoom", p.zoom},
               {"follow_step", p.follow_step},
               {"volume", p.volume_view},
               {"all_channels", p.all_channels},
               {"result", result_state_name(p.result_state())},
               {"result_message", p.result_message()},
               {"overlap_map", p.overlap_map},
               {"overlap_weights", p.overlap_weights}};
    if (s.input.size() <= 4096) pj["input"] = s.input.values;
    if (s.kernel.size() <= 4096) pj["kernel"] = s.kernel.values;
    j["panes"].push_back(pj);
  }
  j["grids"] = json::array();
  if (app.canvas) {
    for (const render::GridRect& g : app.canvas->layout().grids) {
      static const char* const kinds[] = {"input", "kernel", "output", "equivalent_input", "equivalent_kernel", "equivalent_output"};
      const char* kind = kinds[static_cast<int>(g.kind)];
      j["grids"].push_back({{"pane", g.pane}, {"kind", kind}, {"x", app.canvas_x + g.x}, {"y", app.canvas_y + g.y},
                            {"w", g.w}, {"h", g.h}, {"cell", g.cell}, {"rows", g.rows}, {"cols", g.cols},
                            {"row0", g.row0}, {"col0", g.col0},
                            // Whether its numbers are drawn, and how big (else it is a heatmap: zoom to read it).
                            {"values", g.values}, {"value_px", g.value_px}, {"legible_cell", g.legible_cell},
                            {"visible_cells", g.visible_cells}, {"values_drawn", g.values_drawn}});
    }
  }
  {
    // The hover links on the canvas: the target, the pin and the cells lit (tests check them).
    const model::HoverState& hv = app.state.hover;
    json h = {{"target", model::hover_text(hv.target)}, {"kind", model::hover_kind_name(hv.target.kind)},
              {"pane", hv.target.pane}, {"pinned", hv.pinned}};
    if (hv.links && hv.links->target == hv.target) {
      const model::HoverLinks& l = *hv.links;
      auto cells = [](const std::vector<core::Cell>& v) {
        json a = json::array();
        for (size_t i = 0; i < v.size() && i < 4096; ++i) a.push_back({v[i].y, v[i].x, v[i].c});
        return a;
      };
      json taps = json::array();
      for (size_t i = 0; i < l.taps.size() && i < 4096; ++i) taps.push_back({l.taps[i][0], l.taps[i][1], l.taps[i][2]});
      h["summary"] = l.summary;
      h["products"] = l.products;
      h["padding"] = l.padding;
      h["cropped"] = l.cropped;
      h["inputs"] = cells(l.inputs);
      h["outputs"] = cells(l.outputs);
      h["taps"] = taps;
    }
    j["hover"] = h;
  }
  j["round_trip"] = {{"open", app.round_trip.open}};
  if (app.round_trip.result) {
    const model::RoundTrip& rt = *app.round_trip.result;
    j["round_trip"]["shape_restored"] = rt.shape_restored;
    j["round_trip"]["output_padding_needed"] = rt.output_padding_needed;
    j["round_trip"]["note"] = rt.output_padding_note;
    j["round_trip"]["max_difference"] = rt.max_difference;
  }
  // The volume view's slices (readable ones may carry numbers; the others are colour-only) and lit voxels.
  j["slices"] = json::array();
  j["lit"] = json::array();
  if (app.canvas) {
    static const char* const kinds[] = {"input", "kernel", "output", "equivalent_input", "equivalent_kernel", "equivalent_output"};
    for (const render::VolumeSlice& v : app.canvas->layout().slices)
      j["slices"].push_back({{"pane", v.pane}, {"kind", kinds[static_cast<int>(v.kind)]}, {"stack", v.stack},
                             {"index", v.index}, {"pulled", v.pulled}, {"readable", v.readable}, {"values", v.values},
                             {"values_drawn", v.values_drawn}, {"x", app.canvas_x + v.x}, {"y", app.canvas_y + v.y},
                             {"w", v.w}, {"h", v.h}, {"cell", v.cell}});
    for (const render::LitVoxel& l : app.canvas->layout().lit)
      j["lit"].push_back({{"pane", l.pane}, {"kind", kinds[static_cast<int>(l.kind)]}, {"stack", l.stack},
                          {"index", l.index}, {"y", l.y}, {"x", l.x}, {"pulled", l.pulled},
                          {"px", app.canvas_x + l.px}, {"py", app.canvas_y + l.py}, {"size", l.size}});
  }
  j["can_undo"] = app.state.can_undo();
  j["can_restore_pane"] = app.state.can_restore_pane();
  j["editor"] = {{"open", app.editor.open}, {"active", app.editor.active}, {"text", app.editor.text}, {"error", app.editor.error}};
  j["text_input"] = ImGui::GetIO().WantTextInput;  // a text field has the keyboard
  if (app.selected)
    j["selected"] = {{"pane", app.selected_pane}, {"y", app.selected->y}, {"x", app.selected->x},
                     {"tensor", app.selected->tensor == model::Tensor::input ? "input" : "kernel"}};
  j["file_dialog"] = {{"open", app.file_dialog}, {"save", app.file_dialog_save}, {"path", app.file_path},
                      {"confirm_overwrite", app.confirm_overwrite}};
  j["widgets"] = json::object();
  for (const App::WidgetRect& w : app.widgets) j["widgets"][w.name] = {{"x", w.x}, {"y", w.y}, {"w", w.w}, {"h", w.h}};
  const App::ExportStatus& e = app.export_status;
  j["export"] = {{"open", e.open}, {"busy", e.busy}, {"frames", e.frames}, {"frames_done", e.frames_done},
                 {"path", e.path}, {"message", e.message}, {"error", e.error},
                 {"longest_step_ms", e.longest_step_ms}, {"longest_step_cpu_ms", e.longest_step_cpu_ms}, {"limit", e.limit}};
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

// ---- idle: draw only when something happened ----
constexpr int kSettleFrames = 4;            // frames drawn after an event (ImGui settles hover, sizes, focus)
constexpr double kIdleWaitSeconds = 1.0;    // longest sleep between checks for a stop signal
constexpr double kMaxFrameSeconds = 0.1;    // playback advances at most this much per frame
constexpr int kDumpEveryFrames = 10;        // --dump-state while events keep the UI from settling

// Set by the GLFW input callbacks (main thread) and by the result worker (its thread).
bool g_input_seen = false;
std::atomic<bool> g_wake{false};

// Keyboard events for ImGui, in order (input_relay.h), and the app whose
// shortcuts read each press in the frame ImGui sees it.
gui::InputRelay input_relay;
App* input_app = nullptr;

void watch_input(GLFWwindow* win) {
  glfwSetCursorPosCallback(win, [](GLFWwindow*, double, double) { g_input_seen = true; });
  glfwSetMouseButtonCallback(win, [](GLFWwindow*, int, int action, int) {
    g_input_seen = true;
    if (action == GLFW_PRESS) input_relay.mouse_pressed();  // see input_relay.h
  });
  glfwSetScrollCallback(win, [](GLFWwindow*, double, double) { g_input_seen = true; });
  glfwSetCursorEnterCallback(win, [](GLFWwindow*, int) { g_input_seen = true; });
  glfwSetWindowFocusCallback(win, [](GLFWwindow*, int) { g_input_seen = true; });
  glfwSetWindowSizeCallback(win, [](GLFWwindow*, int, int) { g_input_seen = true; });
  glfwSetFramebufferSizeCallback(win, [](GLFWwindow*, int, int) { g_input_seen = true; });
  glfwSetWindowRefreshCallback(win, [](GLFWwindow*) { g_input_seen = true; });
  glfwSetWindowIconifyCallback(win, [](GLFWwindow*, int) { g_input_seen = true; });
}

void key_callback(GLFWwindow*, int key, int scancode, int action, int mods) {
  g_input_seen = true;
  input_relay.key(key, scancode, action, mods);
}

void char_callback(GLFWwindow*, unsigned codepoint) {
  g_input_seen = true;
  input_relay.character(codepoint);
}

// This frame's share of the queued keys and characters, to ImGui and the app's shortcuts.
void deliver_queued_input(GLFWwindow* win) {
  for (const gui::InputEvent& e : input_relay.take_frame()) {
    if (e.is_char) {
      ImGui_ImplGlfw_CharCallback(win, e.codepoint);
      continue;
    }
    ImGui_ImplGlfw_KeyCallback(win, e.key, e.scancode, e.action, e.mods);
    if (!input_app) continue;
    if (e.action != GLFW_RELEASE) input_app->key_presses.push_back({e.key, e.mods});
    else if (e.key == GLFW_KEY_SPACE) input_app->key_presses.push_back({e.key, e.mods, true});  // play on release
  }
}

double seconds_now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// ---- stop signals: the handler only sets a flag; the loop saves and exits ----
volatile std::sig_atomic_t g_stop_signal = 0;

void on_stop_signal(int sig) { g_stop_signal = sig; }

struct StopSignals {
  static constexpr int kSignals[3] = {SIGTERM, SIGINT, SIGHUP};
  struct sigaction previous[3];
  StopSignals() {
    g_stop_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: a wait for events returns at once
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &sa, &previous[i]);
  }
  ~StopSignals() {
    for (int i = 0; i < 3; ++i) sigaction(kSignals[i], &previous[i], nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;
};

// A session's (or the default) window size, within the primary monitor's work
// area: a session saying [100000, 100000] opens a normal window.
void clamp_to_work_area(model::AppState& st) {
  int x = 0, y = 0, w = 0, h = 0;
  float sx = 1, sy = 1;
  if (GLFWmonitor* monitor = glfwGetPrimaryMonitor()) {
    glfwGetMonitorWorkarea(monitor, &x, &y, &w, &h);
    glfwGetMonitorContentScale(monitor, &sx, &sy);
  }
  if (w <= 0 || h <= 0) {  // no monitor information: a size any screen takes
    w = 1600;
    h = 1000;
  }
  // GLFW_SCALE_TO_MONITOR multiplies the requested size by the content scale.
  w = static_cast<int>(static_cast<float>(w) / std::max(sx, 1.0f));
  h = static_cast<int>(static_cast<float>(h) / std::max(sy, 1.0f));
  st.window_w = std::clamp(st.window_w, 320, std::max(320, w));
  st.window_h = std::clamp(st.window_h, 240, std::max(240, h));
}

// One frame of UI, whatever it throws (App::frame guards each panel; this is for
// the rest): the state stays as it was before the failing action, ImGui's window
// stack is repaired, and the message shows in red.
void run_frame_safely(App& app, ImGuiContext* ui, double dt) {
  std::string failure;
  try {
    app.frame(dt);
    return;
  } catch (const std::bad_alloc&) {
    failure = core::error_message(core::ErrorCode::out_of_memory, "draw this frame");
  } catch (const std::exception& e) {
    failure = core::one_line(e.what());
  }
  recover_ui(ui, 1);  // all but ImGui's fallback window
  app.set_status(failure, true);
}

}  // namespace

int run_window(const WindowOptions& opt) {
  const bool test_mode = !opt.screenshot.empty() || opt.bench_frames > 0 || !opt.dump_state.empty() || opt.bench_startup;
  // Test modes keep rendering every frame; the window otherwise sleeps until something happens.
  const bool continuous = !opt.screenshot.empty() || opt.bench_frames > 0 || opt.bench_startup;
  // --bench-startup: where the time to the first frame goes (ms since process start).
  struct StartupMark {
    const char* stage;
    double wall_ms, cpu_ms;
  };
  std::vector<StartupMark> startup_marks;
  auto mark = [&](const char* stage) {
    if (opt.bench_startup) startup_marks.push_back({stage, wall_ms_since_process_start(), process_cpu_ms()});
  };
  mark("main");
  // The model first: a bad FILE (or a mistyped command, which CLI11 takes for
  // FILE) is reported before anything about displays.
  model::AppState state;
  for (const std::string& file : opt.files) {
    struct stat st {};
    const bool looks_like_a_word = file.find('/') == std::string::npos && file.find('.') == std::string::npos;
    if (file != "-" && looks_like_a_word && stat(file.c_str(), &st) != 0)
      core::fail(core::ErrorCode::unknown_command_or_file, core::excerpt(file), "compute, trace, explain, export, gallery");
    if (file == "-") {
      state.panes.emplace_back(core::load_scenario(file), file);  // throws core::Error → exit 2
    } else {
      model::LoadedScenario loaded = model::load_scenario_file(file);
      state.panes.emplace_back(std::move(loaded.scenario), file);
      state.panes.back().set_source_file(loaded.identity);
    }
  }

  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  if ((!display || !*display) && (!wayland || !*wayland))
    return cli::report_error(std::string("no display found (DISPLAY and WAYLAND_DISPLAY are unset); ") + kHeadless);

  const std::string dir = render::find_resource_dir();
  if (dir.empty()) return cli::report_error(render::missing_resources_message());
  // A bad --lesson is a one-line error before any window opens (throws core::Error).
  if (!opt.lesson.empty()) model::load_lesson(model::find_lesson(opt.lesson, dir + "/assets/lessons"));
  // The session: --session names one (also in test modes); otherwise the user's, except in test modes.
  const std::string session_file = !opt.session.empty() ? opt.session : test_mode ? std::string() : model::session_path();
  std::string startup_problem, startup_note;
  if (opt.files.empty()) {
    model::SessionLoad loaded = model::load_session(session_file);
    if (!loaded.problem.empty()) {
      startup_problem = loaded.problem;
      std::cerr << "convscope: warning: " << loaded.problem << "\n";
    }
    if (!loaded.notes.empty()) startup_note = loaded.notes.front();
    state = loaded.state ? std::move(*loaded.state) : model::seed_state(dir + "/assets/presets");
  }
  for (const auto& [name, on] : opt.view) {  // names checked by the CLI
    if (bool* option = model::view_option(state.view, name)) *option = on;
    else
      for (model::Pane& p : state.panes) *model::pane_view_option(p, name) = on;
  }
  // Teaching overlays asked for on the command line: the overlap map on every
  // pane; a hover pinned on the first pane (checked now, before any display).
  if (opt.overlap)
    for (model::Pane& p : state.panes) p.overlap_map = true;
  if (!opt.hover.empty() && !state.panes.empty()) {
    std::string why;
    const std::optional<model::HoverTarget> target = model::parse_hover(opt.hover, state.panes.front(), &why);
    if (!target) core::fail(core::ErrorCode::usage, why);
    state.hover.target = *target;
    state.hover.pinned = true;
  }
  if (opt.width > 0) state.window_w = opt.width;
  if (opt.height > 0) state.window_h = opt.height;
  if (test_mode && opt.width == 0 && opt.session.empty()) {
    state.window_w = 1600;
    state.window_h = 1000;
  }

  mark("model");
  // The canvas's fonts bake on a second core while this one opens the GL window
  // (loading the driver is most of start-up). Waited for before the window's ImGui
  // context exists (CanvasFonts says why); a failure is reported where the canvas is made.
  std::future<render::CanvasFonts> canvas_fonts =
      std::async(std::launch::async, [] { return render::CanvasFonts(1.0f); });
  glfwSetErrorCallback([](int, const char*) {});  // errors are read with glfwGetError
  if (!glfwInit()) return cli::report_error("no display found (" + glfw_error_text() + "); " + kHeadless);
  if (opt.width == 0) clamp_to_work_area(state);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MAJOR, 3);
  glfwWindowHint(GLFW_CONTEXT_VERSION_MINOR, 3);
  glfwWindowHint(GLFW_OPENGL_PROFILE, GLFW_OPENGL_CORE_PROFILE);
  glfwWindowHint(GLFW_OPENGL_FORWARD_COMPAT, GLFW_TRUE);
  glfwWindowHint(GLFW_SCALE_TO_MONITOR, GLFW_TRUE);
  // WM_CLASS, by which desktops match the window to its menu entry (StartupWMClass in packaging/).
  glfwWindowHintString(GLFW_X11_CLASS_NAME, "convscope");
  glfwWindowHintString(GLFW_X11_INSTANCE_NAME, "convscope");
  GLFWwindow* win = glfwCreateWindow(state.window_w, state.window_h, "convscope", nullptr, nullptr);
  if (!win) {
    const std::string why = glfw_error_text();
    glfwTerminate();
    return cli::report_error("cannot open an OpenGL 3.3 window (" + why + "); " + kHeadless);
  }
  glfwMakeContextCurrent(win);
  if (!gladLoadGL(reinterpret_cast<GLADloadfunc>(glfwGetProcAddress))) {
    glfwDestroyWindow(win);
    glfwTerminate();
    return cli::report_error("cannot load OpenGL 3.3 functions");
  }
  mark("window");
  glfwSwapInterval(opt.bench_frames > 0 || opt.bench_startup ? 0 : 1);
  set_icon(win, dir);
  watch_input(win);  // before ImGui's backend, which chains to these callbacks

  float xscale = 1, yscale = 1;
  glfwGetWindowContentScale(win, &xscale, &yscale);
  monitor_scale = std::clamp(xscale, 1.0f, 4.0f);
  // CONVSCOPE_CONTENT_SCALE overrides what the monitor says (README: "Text size").
  if (const char* forced = std::getenv("CONVSCOPE_CONTENT_SCALE"))
    monitor_scale = std::clamp(static_cast<float>(std::atof(forced)), 0.5f, 4.0f);
  else
    glfwSetWindowContentScaleCallback(win, [](GLFWwindow*, float x, float) { monitor_scale = std::clamp(x, 1.0f, 4.0f); });
  const float scale = monitor_scale * std::clamp(state.text_scale, model::kMinTextScale, model::kMaxTextScale);

  canvas_fonts.wait();
  IMGUI_CHECKVERSION();
  ImGuiContext* ui = ImGui::CreateContext();
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;  // the layout is computed, the session holds the rest
  ImGui::StyleColorsLight();
  ImGui::GetStyle().ScaleAllSizes(scale);
  ImGui::GetStyle().WindowRounding = 0;
  load_fonts(scale);
  ImGui_ImplGlfw_InitForOpenGL(win, true);
  glfwSetKeyCallback(win, key_callback);  // both queue for ImGui (input_relay.h)
  glfwSetCharCallback(win, char_callback);
  ImGui_ImplOpenGL3_Init("#version 330 core");
  mark("ui");

  int exit_code = cli::kExitOk;
  {
    StopSignals stop_signals;
    std::unique_ptr<render::CanvasRenderer> canvas;
    try {
      canvas = std::make_unique<render::CanvasRenderer>(dir, canvas_fonts.get());  // get() rethrows the bake's failure
    } catch (const std::exception& e) {
      exit_code = cli::report_error(e.what());
    }
    mark("canvas");
    App app(std::move(state), scale, dir);
    app.canvas = canvas.get();
    app.show_hover = opt.screenshot.empty();
    // Large output grids are computed on the worker's thread; when one is ready the
    // idle loop is woken to draw it.
    app.result_worker = std::make_shared<model::ResultWorker>([] {
      g_wake = true;
      glfwPostEmptyEvent();
    });
    app.state.set_result_worker(app.result_worker);
    if (!startup_problem.empty()) app.set_status(startup_problem, true);
    else if (!startup_note.empty()) app.set_status(startup_note, false);
    input_app = &app;
    // A lesson: named on the command line, or the one the session was showing.
    if (!opt.lesson.empty()) {
      app.open_lesson(opt.lesson);
      if (!app.lessons.active()) exit_code = cli::report_error(app.status);
      app.set_presenter(opt.present && app.lessons.active());
    } else if (!app.state.lesson_path.empty()) {
      app.open_lesson(app.state.lesson_path, static_cast<size_t>(app.state.lesson_slide), true);
      if (!app.lessons.active()) app.state.lesson_path.clear();  // the status line says why
    }
    if (opt.step_set) app.state.set_all_cursors(opt.step);
    if (opt.round_trip) app.round_trip.start(app);
    if (opt.bench_frames > 0) {
      app.state.set_speed(model::kMaxSpeed);
      app.state.playing = true;
    }
    std::optional<model::SessionAutosave> autosave;
    if (!session_file.empty()) autosave.emplace(app.state, seconds_now());
    auto save_session = [&](bool at_exit) {
      const model::SessionSave saved = model::save_session(app.state, session_file);
      if (!saved.error.empty()) {
        app.set_status("session not saved: " + saved.error, true);
        if (at_exit) std::cerr << "convscope: warning: session not saved: " << saved.error << "\n";
      } else if (!saved.refused.empty()) {
        app.set_status(saved.refused.front(), true);
        if (at_exit)
          for (const std::string& r : saved.refused) std::cerr << "convscope: warning: " << r << "\n";
      }
    };

    const bool profile = std::getenv("CONVSCOPE_PROFILE") != nullptr;  // per-stage times on stderr
    const char* renderer = reinterpret_cast<const char*>(glGetString(GL_RENDERER));
    const bool software_gl = renderer && (std::strstr(renderer, "llvmpipe") || std::strstr(renderer, "softpipe"));
    using clock = std::chrono::steady_clock;
    auto last = clock::now();
    std::vector<double> frame_ms;
    const int warmup = 3;
    int frame = 0;
    int settle = kSettleFrames;  // frames still to draw since the last event
    int frames_since_dump = 0;
    std::string last_dump;
    bool full_screen = false;
    int windowed[4] = {0, 0, 0, 0};  // x, y, w, h before presenter mode
    while (canvas && exit_code == cli::kExitOk && !glfwWindowShouldClose(win) && !app.quit && !g_stop_signal) {
      // Presenter mode fills the monitor; leaving it restores the window.
      if (app.lessons.presenter != full_screen) {
        full_screen = app.lessons.presenter;
        GLFWmonitor* monitor = glfwGetPrimaryMonitor();
        const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
        if (full_screen && mode) {
          glfwGetWindowPos(win, &windowed[0], &windowed[1]);
          glfwGetWindowSize(win, &windowed[2], &windowed[3]);
          glfwSetWindowMonitor(win, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
        } else if (!full_screen && windowed[2] > 0) {
          glfwSetWindowMonitor(win, nullptr, windowed[0], windowed[1], windowed[2], windowed[3], GLFW_DONT_CARE);
        }
        settle = kSettleFrames;
      }
      // Work that moves by itself: playback, an export, a test mode. Otherwise the
      // window draws only after an event (and a few frames more, for ImGui to settle).
      const bool busy = continuous || app.state.playing || app.export_status.busy;
      if (busy || settle > 0) {
        glfwPollEvents();
      } else {
        double wait = kIdleWaitSeconds;
        if (autosave) wait = std::min(wait, autosave->seconds_until_due(seconds_now()) + 0.01);
        glfwWaitEventsTimeout(std::max(wait, 0.005));  // a stop signal ends the wait early
      }
      if (g_stop_signal) break;
      deliver_queued_input(win);
      // The monitor or View → Text size changed the scale: rebuild the window's fonts and sizes.
      const float wanted = monitor_scale * std::clamp(app.state.text_scale, model::kMinTextScale, model::kMaxTextScale) *
                           (app.lessons.presenter ? App::kPresenterTextScale : 1.0f);
      if (std::fabs(wanted - app.content_scale) > 1e-3f) {
        apply_ui_scale(wanted);
        app.content_scale = wanted;
        settle = kSettleFrames;
      }
      const bool woken = g_wake.exchange(false);
      if (std::exchange(g_input_seen, false) || woken || !input_relay.empty()) settle = kSettleFrames;
      if (autosave && autosave->due(app.state, seconds_now())) {
        const std::string status_before = app.status;
        save_session(false);
        autosave->saved();
        if (app.status != status_before) settle = kSettleFrames;  // show what the save said
      }
      if (!busy && settle == 0) continue;  // nothing happened: nothing to draw
      if (settle > 0) --settle;

      const auto t0 = clock::now();
      ImGui_ImplOpenGL3_NewFrame();
      ImGui_ImplGlfw_NewFrame();
      ImGui::NewFrame();
      // A long sleep is not a long frame: playback never jumps by the idle time.
      const double dt = std::min(std::chrono::duration<double>(t0 - last).count(), kMaxFrameSeconds);
      last = t0;
      if (opt.bench_frames > 0 && !app.state.playing) app.state.toggle_play();  // loop the animation
      if (opt.step_set && !opt.screenshot.empty()) app.state.set_all_cursors(opt.step);
      run_frame_safely(app, ui, frame == 0 ? 0.0 : dt);
      if (profile) glFinish();
      const auto t1 = clock::now();
      ImGui::Render();
      int fw = 0, fh = 0;
      glfwGetFramebufferSize(win, &fw, &fh);
      glViewport(0, 0, fw, fh);
      glClearColor(0.94f, 0.94f, 0.95f, 1.0f);
      glClear(GL_COLOR_BUFFER_BIT);
      ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
      // ImGui needs a couple of frames to settle auto-sized windows.
      if (!opt.screenshot.empty() && frame == 3) {
        if (!write_png(opt.screenshot, fw, fh)) exit_code = cli::report_error("cannot write " + opt.screenshot);
        app.quit = true;
      }
      // llvmpipe: finishing before the swap is faster than letting the swap wait
      // (measured 13.5 vs 24 ms a frame under Xvfb at 1600×1000).
      if (software_gl) glFinish();
      const auto t2 = clock::now();
      glfwSwapBuffers(win);
      if (opt.bench_startup) {
        // The first frame is on screen: the figure scripts/test prints (issue 9's goal: ≤ 300 ms).
        const double wall = wall_ms_since_process_start(), cpu = process_cpu_ms();
        // Then each stage's wall/CPU ms: up to run_window ("main": exec, loading, the
        // command line), the scenarios, the GL window, ImGui and its font, the canvas renderer.
        std::printf("startup wall_ms %.1f cpu_ms %.1f main_thread_cpu_ms %.1f |", wall, cpu, thread_cpu_ms());
        StartupMark before{"", 0, 0};
        for (const StartupMark& m : startup_marks) {
          std::printf(" %s %.0f/%.0f", m.stage, m.wall_ms - before.wall_ms, m.cpu_ms - before.cpu_ms);
          before = m;
        }
        std::printf(" first_frame %.0f/%.0f\n", wall - before.wall_ms, cpu - before.cpu_ms);
        app.quit = true;
      }
      if (profile && frame % 50 == 0)
        std::fprintf(stderr, "ui+canvas %.2f  window render %.2f  swap %.2f\n",
                     std::chrono::duration<double, std::milli>(t1 - t0).count(),
                     std::chrono::duration<double, std::milli>(t2 - t1).count(),
                     std::chrono::duration<double, std::milli>(clock::now() - t2).count());
      if (opt.bench_frames > 0) {
        if (frame >= warmup) frame_ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t0).count());
        if (static_cast<int>(frame_ms.size()) >= opt.bench_frames) app.quit = true;
      }
      int ww = 0, wh = 0;
      glfwGetWindowSize(win, &ww, &wh);
      if (ww > 0 && wh > 0 && !full_screen && !glfwGetWindowAttrib(win, GLFW_ICONIFIED)) {
        app.state.window_w = ww;
        app.state.window_h = wh;
      }
      // After every event handled, once the UI has settled (the last of the frames drawn
      // after it: a window that just appeared has moved to its final place by then), or
      // at least every kDumpEveryFrames frames while events keep coming.
      ++frames_since_dump;
      if (!opt.dump_state.empty() && (settle == 0 || app.quit || frames_since_dump >= kDumpEveryFrames)) {
        frames_since_dump = 0;
        std::string text = state_json(app, ww, wh);
        if (text != last_dump) {
          model::save_text_atomically(opt.dump_state, text);
          last_dump = std::move(text);
        }
      }
      ++frame;
    }
    if (opt.bench_frames > 0 && !frame_ms.empty()) {
      std::vector<double> sorted = frame_ms;
      std::sort(sorted.begin(), sorted.end());
      const double median = sorted[sorted.size() / 2];
      const double p95 = sorted[std::min(sorted.size() - 1, static_cast<size_t>(static_cast<double>(sorted.size()) * 0.95))];
      std::printf("frames %zu median_ms %.2f p95_ms %.2f\n", frame_ms.size(), median, p95);
    }
    // Quit, closed, or SIGTERM/SIGINT/SIGHUP: the session is saved the same way.
    if (!session_file.empty() && exit_code == cli::kExitOk && canvas) {
      app.state.playing = false;
      save_session(true);
    }
    input_relay = gui::InputRelay{};
    input_app = nullptr;
    app.result_worker.reset();
    canvas.reset();  // GL objects go while the context is alive
  }
  ImGui_ImplOpenGL3_Shutdown();
  ImGui_ImplGlfw_Shutdown();
  ImGui::DestroyContext();
  glfwDestroyWindow(win);
  glfwTerminate();
  return exit_code;
}

}  // namespace gui
