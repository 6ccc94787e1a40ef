#include "app/model/lesson.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <climits>
#include <filesystem>
#include <map>
#include <stdexcept>

#include "core/errors.h"
#include "core/scenario.h"

namespace model {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr int kMaxLessonNesting = 32;  // lists and objects inside one another (a scenario needs 6)

std::string value_text(const json& v) { return core::excerpt(v.dump(-1, ' ', false, json::error_handler_t::replace)); }

// The deepest nesting of lists and objects, strings skipped: checked before
// parsing, so a hostile file cannot make the parser (or dump) recurse deeply.
int nesting_of(std::string_view text) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

std::string slide_name(size_t index) { return "slide " + std::to_string(index + 1); }
std::string pane_name(size_t index) { return "p" + std::to_string(index); }

// Reads one lesson file's JSON into a Lesson, validating as it goes.
class LessonReader {
 public:
  LessonReader(const std::string& path, const std::string& presets_dir) : path_(path) {
    const fs::path p(path);
    base_dir_ = p.has_parent_path() ? p.parent_path() : fs::path(".");
    presets_dir_ = presets_dir.empty() ? (base_dir_ / ".." / "presets") : fs::path(presets_dir);
  }

  Lesson read(std::string_view text) {
    if (nesting_of(text) > kMaxLessonNesting)
      core::fail(core::ErrorCode::lesson_syntax, path_,
                 "lists and objects nest deeper than " + std::to_string(kMaxLessonNesting) + " levels");
    json doc;
    try {
      doc = json::parse(text.begin(), text.end());
    } catch (const json::exception& e) {
      core::fail(core::ErrorCode::lesson_syntax, path_, e.what());
    }
    Lesson lesson;
    lesson.path = path_;
    lesson.stem = fs::path(path_).stem().string();
    const std::string where = "the lesson";
    object(doc, where, {"title", "summary", "number", "slides"});
    lesson.title = text_of(doc, "title", where, true);
    lesson.summary = text_of(doc, "summary", where, false);
    if (doc.contains("number")) {
      const json& n = doc["number"];
      if (!n.is_number_integer() || n.get<int64_t>() < 0 || n.get<int64_t>() > 9999)
        bad(where + "'s \"number\"", "a whole number 0 … 9999 (the place in the list)", n);
      lesson.number = n.get<int>();
    }
    if (!doc.contains("slides")) missing(where, "slides", "a list of slides");
    const json& slides = doc["slides"];
    if (!slides.is_array() || slides.empty() || slides.size() > kMaxSlides)
      bad(where + "'s \"slides\"", "a list of 1 … " + std::to_string(kMaxSlides) + " slides", slides);
    for (size_t i = 0; i < slides.size(); ++i)
      lesson.slides.push_back(read_slide(slides[i], i, i ? &lesson.slides[i - 1] : nullptr));
    for (size_t i = 0; i < lesson.slides.size(); ++i) check_slide(lesson, i);
    return lesson;
  }

 private:
  [[noreturn]] void bad(const std::string& where, const std::string& expected, const json& got) const {
    core::fail(core::ErrorCode::lesson_bad_value, path_, where, expected, value_text(got));
  }
  [[noreturn]] void missing(const std::string& where, const std::string& key, const std::string& what) const {
    core::fail(core::ErrorCode::lesson_missing_key, path_, where, key, what);
  }

  // An object whose keys are all in `allowed`.
  void object(const json& j, const std::string& where, std::initializer_list<const char*> allowed) const {
    if (!j.is_object()) bad(where, "a JSON object {…}", j);
    std::string list;
    for (const char* k : allowed) list += (list.empty() ? "" : ", ") + std::string(k);
    for (auto it = j.begin(); it != j.end(); ++it) {
      bool known = false;
      for (const char* k : allowed) known = known || it.key() == k;
      if (!known) core::fail(core::ErrorCode::lesson_unknown_key, path_, core::excerpt(it.key()), where, list);
    }
  }

  std::string text_of(const json& j, const char* key, const std::string& where, bool required) const {
    if (!j.contains(key)) {
      if (required) missing(where, key, "a text");
      return {};
    }
    const json& v = j[key];
    if (!v.is_string() || v.get_ref<const std::string&>().size() > kMaxLessonText ||
        (required && v.get_ref<const std::string&>().empty()))
      bad(where + "'s \"" + key + "\"", std::string(required ? "a non-empty" : "a") + " text of at most " +
                                           std::to_string(kMaxLessonText) + " bytes", v);
    return v.get<std::string>();
  }

  bool flag_of(const json& j, const char* key, const std::string& where) const {
    if (!j.contains(key)) return false;
    if (!j[key].is_boolean()) bad(where + "'s \"" + key + "\"", "true or false", j[key]);
    return j[key].get<bool>();
  }

  // −1, a step index, or "end" (when allowed).
  int64_t step_of(const json& v, const std::string& where, bool end_allowed) const {
    if (end_allowed && v.is_string() && v.get_ref<const std::string&>() == "end") return kEndStep;
    if (!v.is_number_integer() || v.get<int64_t>() < -1 || v.get<int64_t>() > (int64_t{1} << 62))
      bad(where, end_allowed ? "-1, a step index or \"end\"" : "-1 or a step index", v);
    return v.get<int64_t>();
  }

  std::shared_ptr<const core::Scenario> scenario_of(const json& v, const std::string& slide, size_t pane,
                                                     std::string& origin) {
    if (v.is_object()) {
      origin.clear();
      try {
        return std::make_shared<const core::Scenario>(core::parse_scenario(v.dump()));
      } catch (const core::Error& e) {
        core::fail(core::ErrorCode::lesson_pane, path_, slide, pane_name(pane), "inline scenario", e.what());
      }
    }
    if (!v.is_string() || v.get_ref<const std::string&>().empty())
      bad(slide + ", pane " + pane_name(pane), "a preset's file stem, a path ending in .json or a scenario object", v);
    const std::string& name = v.get_ref<const std::string&>();
    const bool is_path = name.find('/') != std::string::npos ||
                         (name.size() > 5 && name.compare(name.size() - 5, 5, ".json") == 0);
    fs::path file;
    if (is_path) {
      file = base_dir_ / name;
    } else {
      for (char c : name)
        if (!std::isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-')
          bad(slide + ", pane " + pane_name(pane), "a preset's file stem (letters, digits, _ and -) or a path ending in .json", v);
      file = presets_dir_ / (name + ".json");
    }
    origin = file.lexically_normal().string();
    auto cached = cache_.find(origin);
    if (cached != cache_.end()) return cached->second;
    try {
      auto s = std::make_shared<const core::Scenario>(core::load_scenario(origin));
      cache_[origin] = s;
      return s;
    } catch (const core::Error& e) {
      core::fail(core::ErrorCode::lesson_pane, path_, slide, pane_name(pane), "\"" + core::excerpt(name) + "\"", e.what());
    }
  }

  SlidePane read_pane(const json& v, const std::string& slide, size_t index) {
    SlidePane p;
    if (!v.is_object() || !v.contains("scenario")) {
      p.scenario = scenario_of(v, slide, index, p.origin);
      return p;
    }
    const std::string where = slide + ", pane " + pane_name(index);
    object(v, where, {"scenario", "channel", "filter", "zoom", "center", "follow"});
    p.scenario = scenario_of(v["scenario"], slide, index, p.origin);
    for (const char* key : {"channel", "filter"}) {
      if (!v.contains(key)) continue;
      const json& c = v[key];
      if (!c.is_number_integer() || c.get<int64_t>() < -1 || c.get<int64_t>() > INT_MAX)
        bad(where + "'s \"" + key + "\"", "-1 (follow the step) or a channel index", c);
      (std::string(key) == "channel" ? p.channel : p.filter) = c.get<int>();
    }
    if (v.contains("zoom")) {
      const json& z = v["zoom"];
      if (!z.is_number() || !(z.get<double>() >= 1.0) || z.get<double>() > Pane::kMaxZoom)
        bad(where + "'s \"zoom\"", "a number from 1 (fit) to " + std::to_string(static_cast<int>(Pane::kMaxZoom)), z);
      p.zoom = z.get<float>();
    }
    if (v.contains("center")) {
      const json& c = v["center"];
      if (!c.is_array() || c.size() != 2 || !c[0].is_number() || !c[1].is_number() || !(c[0].get<double>() >= 0) ||
          !(c[0].get<double>() <= 1) || !(c[1].get<double>() >= 0) || !(c[1].get<double>() <= 1))
        bad(where + "'s \"center\"", "[x, y], each 0 … 1 (across and down the grids)", c);
      p.center_x = c[0].get<float>();
      p.center_y = c[1].get<float>();
    }
    p.follow = flag_of(v, "follow", where);
    return p;
  }

  Slide read_slide(const json& j, size_t index, const Slide* previous) {
    const std::string where = slide_name(index);
    object(j, where,
           {"title", "panes", "step", "play", "speed", "order", "equivalent", "kernel_scale", "volume", "overlap",
            "hover", "caption", "predict"});
    Slide s;
    s.title = text_of(j, "title", where, false);
    if (j.contains("panes")) {
      const json& panes = j["panes"];
      if (!panes.is_array() || panes.empty() || panes.size() > kMaxSlidePanes)
        bad(where + "'s \"panes\"", "a list of 1 … " + std::to_string(kMaxSlidePanes) + " panes", panes);
      for (size_t i = 0; i < panes.size(); ++i) s.panes.push_back(read_pane(panes[i], where, i));
    } else if (previous) {
      s.panes = previous->panes;
    } else {
      missing(where, "panes", "the first slide names its panes; later ones show the previous slide's by default");
    }
    if (j.contains("step") && j.contains("play"))
      bad(where + "'s \"step\" and \"play\"", "one or the other (a still slide, or a range it plays)", j["play"]);
    if (j.contains("step")) s.first_step = s.last_step = step_of(j["step"], where + "'s \"step\"", true);
    if (j.contains("play")) {
      const json& p = j["play"];
      if (!p.is_array() || p.size() != 2) bad(where + "'s \"play\"", "[from, to]", p);
      s.first_step = step_of(p[0], where + "'s \"play\" start", false);
      s.last_step = step_of(p[1], where + "'s \"play\" end", true);
      if (s.last_step <= s.first_step) bad(where + "'s \"play\"", "[from, to] with from < to", p);
    }
    if (j.contains("speed")) {
      const json& v = j["speed"];
      if (!v.is_number() || !(v.get<double>() >= kMinSpeed) || !(v.get<double>() <= kMaxSpeed))
        bad(where + "'s \"speed\"", "steps per second, 0.5 … 1000", v);
      s.speed = v.get<double>();
    }
    if (j.contains("order")) {
      const json& o = j["order"];
      if (o == "scatter") s.order = core::TraceOrder::scatter;
      else if (o == "gather") s.order = core::TraceOrder::gather;
      else bad(where + "'s \"order\"", "\"scatter\" or \"gather\"", o);
    }
    s.equivalent = flag_of(j, "equivalent", where);
    s.kernel_scale = flag_of(j, "kernel_scale", where);
    s.volume = flag_of(j, "volume", where);
    s.overlap = flag_of(j, "overlap", where);
    if (j.contains("hover")) s.hover = read_hover(j["hover"], where);
    s.caption = text_of(j, "caption", where, true);
    if (j.contains("predict")) {
      const json& p = j["predict"];
      const std::string pw = where + "'s \"predict\"";
      object(p, pw, {"question", "answer", "hint", "explanation"});
      Prediction pr;
      pr.question = text_of(p, "question", pw, true);
      pr.hint = text_of(p, "hint", pw, false);
      pr.explanation = text_of(p, "explanation", pw, false);
      if (!p.contains("answer")) missing(pw, "answer", "an expression such as \"out.shape\", a number or a shape");
      pr = with_answer(std::move(pr), p["answer"], pw);
      s.predict = std::move(pr);
    }
    return s;
  }

  Prediction with_answer(Prediction pr, const json& a, const std::string& where) const {
    const std::string expected = "an expression (\"out.shape\", \"y[1,1]\"), a number, or a shape ([2, 2] or \"2×2\")";
    Quoted q;
    if (a.is_number()) {
      q.number = a.get<double>();
      pr.literal = q;
    } else if (a.is_array()) {
      q.kind = Quoted::Kind::shape;
      for (const json& d : a) {
        if (!d.is_number_integer() || d.get<int64_t>() < 0) bad(where + "'s \"answer\"", expected, a);
        q.shape.push_back(d.get<int64_t>());
      }
      if (q.shape.size() < 2 || q.shape.size() > 4) bad(where + "'s \"answer\"", expected, a);
      q.full_shape = q.shape;
      pr.literal = q;
    } else if (a.is_string() && !a.get_ref<const std::string&>().empty() &&
               a.get_ref<const std::string&>().size() <= kMaxLessonText) {
      const std::string& t = a.get_ref<const std::string&>();
      if (const auto dims = parse_shape_answer(t); dims && dims->size() >= 2) {
        q.kind = Quoted::Kind::shape;
        q.shape = q.full_shape = *dims;
        pr.literal = q;
      } else if (const auto v = parse_number_answer(t)) {
        q.number = *v;
        pr.literal = q;
      } else {
        pr.expression = t;  // resolved in check_slide
      }
    } else {
      bad(where + "'s \"answer\"", expected, a);
    }
    return pr;
  }

  HoverPin read_hover(const json& h, const std::string& slide) const {
    const std::string where = slide + "'s \"hover\"";
    object(h, where, {"pane", "grid", "cell"});
    HoverPin pin;
    if (h.contains("pane")) {
      if (!h["pane"].is_number_integer() || h["pane"].get<int64_t>() < 0 || h["pane"].get<int64_t>() >= 100)
        bad(where + " \"pane\"", "a pane index from 0", h["pane"]);
      pin.pane = h["pane"].get<int>();
    }
    if (!h.contains("grid")) missing(where, "grid", "\"output\", \"input\" or \"kernel\"");
    const json& g = h["grid"];
    if (g == "output") pin.grid = HoverGrid::output;
    else if (g == "input") pin.grid = HoverGrid::input;
    else if (g == "kernel") pin.grid = HoverGrid::kernel;
    else bad(where + " \"grid\"", "\"output\", \"input\" or \"kernel\"", g);
    if (!h.contains("cell")) missing(where, "cell", "[y, x] or [y, x, c]");
    const json& c = h["cell"];
    if (!c.is_array() || c.size() < 2 || c.size() > 3) bad(where + " \"cell\"", "[y, x] or [y, x, c]", c);
    for (const json& v : c)
      if (!v.is_number_integer()) bad(where + " \"cell\"", "[y, x] or [y, x, c] of whole numbers", c);
    pin.y = c[0].get<int64_t>();
    pin.x = c[1].get<int64_t>();
    pin.c = c.size() == 3 ? c[2].get<int64_t>() : 0;
    return pin;
  }

  // Everything that needs the panes: built, traced, stepped and quoted as the window would.
  void check_slide(const Lesson& lesson, size_t index) const {
    const Slide& s = lesson.slides[index];
    const std::string where = slide_name(index);
    for (size_t i = 0; i < s.panes.size(); ++i) {
      const SlidePane& sp = s.panes[i];
      const std::string origin = sp.origin.empty() ? "inline scenario" : "\"" + core::excerpt(sp.origin) + "\"";
      try {
        const core::Geometry g = core::validate(*sp.scenario);
        core::check_full_compute(*sp.scenario, g);
        if (sp.channel >= sp.scenario->input.c)
          core::fail(core::ErrorCode::usage, "\"channel\" " + std::to_string(sp.channel) + " is past the input's " +
                                                 std::to_string(sp.scenario->input.c) + " channel(s)");
        if (sp.filter >= g.out_channels)
          core::fail(core::ErrorCode::usage, "\"filter\" " + std::to_string(sp.filter) + " is past the output's " +
                                                 std::to_string(g.out_channels) + " filter(s)");
      } catch (const core::Error& e) {
        core::fail(core::ErrorCode::lesson_pane, path_, index + 1, pane_name(i), origin, e.what());
      }
    }
    AppState state;
    apply_slide(lesson, index, state);
    int64_t longest = -1;
    for (const Pane& p : state.panes) longest = std::max(longest, p.last_step());
    auto check_step = [&](int64_t step, const std::string& what) {
      if (step != kEndStep && step > longest)
        core::fail(core::ErrorCode::lesson_step, path_, index + 1, what + " " + std::to_string(step), longest + 1, longest);
    };
    if (s.plays()) {
      check_step(s.first_step, "\"play\" start");
      check_step(s.last_step, "\"play\" end");
      if (s.last_step == kEndStep && s.first_step >= longest)
        core::fail(core::ErrorCode::lesson_step, path_, index + 1, "\"play\" start " + std::to_string(s.first_step),
                   longest + 1, longest);
    } else {
      check_step(s.first_step, "\"step\"");
    }
    if (s.hover) check_hover(*s.hover, state, index);
    // Every text and answer resolves (these throw core::Error naming the slide).
    caption_of(lesson, index, state);
    if (s.predict) {
      question_of(lesson, index, state);
      answer_of(lesson, index, state);
    }
  }

  void check_hover(const HoverPin& pin, const AppState& state, size_t index) const {
    if (pin.pane >= static_cast<int>(state.panes.size()))
      core::fail(core::ErrorCode::lesson_hover, path_, index + 1,
                 "names pane " + std::to_string(pin.pane) + " but the slide has " + std::to_string(state.panes.size()) +
                     " (numbered from 0)");
    const Pane& p = state.panes[static_cast<size_t>(pin.pane)];
    const core::Scenario& s = p.scenario();
    const core::Geometry& g = p.geometry();
    std::vector<int64_t> extent;
    switch (pin.grid) {
      case HoverGrid::output: extent = {g.out_h(), g.out_w(), g.out_channels}; break;
      case HoverGrid::input: extent = {s.input.h, s.input.w, s.input.c}; break;
      case HoverGrid::kernel: extent = {s.kernel.kh, s.kernel.kw, g.out_channels}; break;
    }
    const int64_t cell[3] = {pin.y, pin.x, pin.c};
    for (size_t i = 0; i < 3; ++i)
      if (cell[i] < 0 || cell[i] >= extent[i])
        core::fail(core::ErrorCode::lesson_hover, path_, index + 1,
                   "cell [" + std::to_string(pin.y) + ", " + std::to_string(pin.x) + ", " + std::to_string(pin.c) +
                       "] is outside the " + hover_grid_name(pin.grid) + " (" + shape_text(extent) + ")");
  }

  std::string path_;
  fs::path base_dir_, presets_dir_;
  std::map<std::string, std::shared_ptr<const core::Scenario>> cache_;  // a preset used on many slides is read once
};

const Slide& slide_at(const Lesson& lesson, size_t index) {
  if (index >= lesson.slides.size())
    throw std::out_of_range("slide " + std::to_string(index + 1) + " of a lesson with " +
                            std::to_string(lesson.slides.size()));
  return lesson.slides[index];
}

// Runs `fill`, turning a QuoteError into the core::Error that names the slide.
template <typename F>
auto quoting(const Lesson& lesson, size_t index, const char* what, F&& fill) {
  try {
    return fill();
  } catch (const QuoteError& e) {
    core::fail(core::ErrorCode::lesson_placeholder, lesson.path, index + 1, e.placeholder(), what, e.what());
  }
}

const Prediction& prediction_of(const Lesson& lesson, size_t index) {
  const Slide& s = slide_at(lesson, index);
  if (!s.predict) throw std::logic_error(slide_name(index) + " asks for no prediction");
  return *s.predict;
}

}  // namespace

const char* hover_grid_name(HoverGrid g) {
  switch (g) {
    case HoverGrid::input: return "input";
    case HoverGrid::kernel: return "kernel";
    case HoverGrid::output: return "output";
  }
  return "output";
}

Lesson parse_lesson(std::string_view json_text, const std::string& path, const std::string& presets_dir) {
  return LessonReader(path, presets_dir).read(json_text);
}

Lesson load_lesson(const std::string& path, const std::string& presets_dir) {
  std::string text;
  try {
    text = core::read_text_file(path, kMaxLessonBytes);
  } catch (const core::Error& e) {
    if (e.code() != core::ErrorCode::io_too_large) throw;
    core::fail(core::ErrorCode::lesson_too_large, path, kMaxLessonBytes);
  }
  return parse_lesson(text, path, presets_dir);
}

std::string find_lesson(const std::string& name_or_path, const std::string& lessons_dir) {
  std::error_code ec;
  if (fs::is_regular_file(name_or_path, ec)) return name_or_path;
  if (!name_or_path.empty() && name_or_path.find('/') == std::string::npos && !lessons_dir.empty()) {
    const bool has_json = name_or_path.size() > 5 && name_or_path.compare(name_or_path.size() - 5, 5, ".json") == 0;
    const fs::path shipped = fs::path(lessons_dir) / (has_json ? name_or_path : name_or_path + ".json");
    if (fs::is_regular_file(shipped, ec)) return shipped.string();
  }
  std::vector<std::string> stems;
  if (!lessons_dir.empty())
    for (const auto& e : fs::directory_iterator(lessons_dir, ec))
      if (e.path().extension() == ".json") stems.push_back(e.path().stem().string());
  std::sort(stems.begin(), stems.end());
  std::string list;
  for (const std::string& s : stems) list += (list.empty() ? "" : ", ") + s;
  core::fail(core::ErrorCode::lesson_not_found, core::excerpt(name_or_path), list.empty() ? "none found" : list);
}

std::vector<LessonEntry> list_lessons(const std::string& lessons_dir) {
  std::vector<LessonEntry> entries;
  std::error_code ec;
  for (const auto& e : fs::directory_iterator(lessons_dir, ec)) {
    if (e.path().extension() != ".json") continue;
    LessonEntry entry;
    entry.path = e.path().string();
    entry.stem = e.path().stem().string();
    entry.title = entry.stem;
    try {
      const Lesson l = load_lesson(entry.path);
      entry.title = l.title;
      entry.summary = l.summary;
      entry.number = l.number;
      entry.slides = l.slides.size();
    } catch (const core::Error& err) {
      entry.error = err.what();
    }
    entries.push_back(std::move(entry));
  }
  std::sort(entries.begin(), entries.end(), [](const LessonEntry& a, const LessonEntry& b) {
    const int na = a.number.value_or(INT_MAX), nb = b.number.value_or(INT_MAX);
    return na != nb ? na < nb : a.title != b.title ? a.title < b.title : a.path < b.path;
  });
  return entries;
}

void apply_slide(const Lesson& lesson, size_t index, AppState& state) {
  const Slide& s = slide_at(lesson, index);
  std::vector<Pane> panes;
  panes.reserve(s.panes.size());
  for (const SlidePane& sp : s.panes) {
    Pane p(*sp.scenario, sp.origin);
    // A slide's order applies to its transposes; a convolution always gathers.
    if (core::is_transpose(p.scenario().spec.op)) p.set_order(s.order);
    p.view_channel = sp.channel;
    p.view_filter = sp.filter;
    p.zoom = sp.zoom;
    p.center_x = sp.center_x;
    p.center_y = sp.center_y;
    p.follow_step = sp.follow;
    p.volume_view = s.volume;
    p.overlap_map = s.overlap;
    p.set_cursor(s.first_step);  // clamped: "end" is each pane's own last step
    panes.push_back(std::move(p));
  }
  state.panes = std::move(panes);
  state.focused = 0;
  state.view.equivalent = s.equivalent;
  state.view.kernel_scale = s.kernel_scale;
  // A slide's pinned highlight (checked against the panes when the lesson loaded); none clears the last slide's.
  state.hover.target = HoverTarget{};
  state.hover.pinned = false;
  if (s.hover) {
    const HoverPin& pin = *s.hover;
    HoverTarget t;
    t.kind = pin.grid == HoverGrid::output  ? HoverKind::output
             : pin.grid == HoverGrid::input ? HoverKind::input
                                            : HoverKind::kernel;
    t.pane = pin.pane;
    t.cell = {pin.y, pin.x, pin.c};
    const Pane& on = state.panes[static_cast<size_t>(pin.pane)];
    t.filter = pin.grid == HoverGrid::kernel ? std::max(on.view_filter, 0) : 0;
    state.hover.target = t;
    state.hover.pinned = true;
  }
  if (s.speed) state.set_speed(*s.speed);
  state.playing = false;
  if (s.plays() && !s.predict) start_slide_play(lesson, index, state);
}

void start_slide_play(const Lesson& lesson, size_t index, AppState& state) {
  const Slide& s = slide_at(lesson, index);
  for (Pane& p : state.panes) p.set_cursor(s.first_step);
  if (!state.playing) state.toggle_play();
}

bool slide_finished(const Lesson& lesson, size_t index, const AppState& state) {
  const Slide& s = slide_at(lesson, index);
  return std::all_of(state.panes.begin(), state.panes.end(),
                     [&s](const Pane& p) { return p.cursor() >= std::min(s.last_step, p.last_step()); });
}

void tick_slide(const Lesson& lesson, size_t index, AppState& state, double dt) {
  const Slide& s = slide_at(lesson, index);
  if (!s.plays() || !state.playing) {
    state.tick(dt);
    return;
  }
  state.tick(dt);
  bool all = true;
  for (Pane& p : state.panes) {
    const int64_t stop = std::min(s.last_step, p.last_step());
    if (p.cursor() >= stop) p.set_cursor(stop);
    else all = false;
  }
  if (all) state.playing = false;
}

void toggle_slide_play(const Lesson& lesson, size_t index, AppState& state) {
  const Slide& s = slide_at(lesson, index);
  if (s.plays() && !state.playing && slide_finished(lesson, index, state)) {
    start_slide_play(lesson, index, state);
    return;
  }
  state.toggle_play();
}

QuoteContext quote_context(const Lesson& lesson, size_t index, const AppState& state) {
  QuoteContext ctx;
  ctx.step = slide_at(lesson, index).last_step;
  for (const Pane& p : state.panes) ctx.panes.push_back(&p);
  return ctx;
}

std::string caption_of(const Lesson& lesson, size_t index, const AppState& state) {
  const QuoteContext ctx = quote_context(lesson, index, state);
  return quoting(lesson, index, "caption", [&] { return fill_quotes(slide_at(lesson, index).caption, ctx); });
}

std::string question_of(const Lesson& lesson, size_t index, const AppState& state) {
  const Slide& s = slide_at(lesson, index);
  if (!s.predict) return {};
  const QuoteContext ctx = quote_context(lesson, index, state);
  return quoting(lesson, index, "question", [&] { return fill_quotes(s.predict->question, ctx); });
}

Quoted expected_answer(const Lesson& lesson, size_t index, const AppState& state) {
  const Prediction& p = prediction_of(lesson, index);
  if (p.literal) return *p.literal;
  const QuoteContext ctx = quote_context(lesson, index, state);
  return quoting(lesson, index, "answer", [&] { return quote(p.expression, ctx); });
}

namespace {
struct FilledPrediction {
  std::string hint, explanation;
};
FilledPrediction filled(const Lesson& lesson, size_t index, const AppState& state) {
  const Prediction& p = prediction_of(lesson, index);
  const QuoteContext ctx = quote_context(lesson, index, state);
  FilledPrediction f;
  f.hint = quoting(lesson, index, "hint", [&] { return fill_quotes(p.hint, ctx); });
  f.explanation = quoting(lesson, index, "explanation", [&] { return fill_quotes(p.explanation, ctx); });
  return f;
}
}  // namespace

PredictionCheck check_prediction(const Lesson& lesson, size_t index, const AppState& state, std::string_view text,
                                 int attempt) {
  const Quoted expected = expected_answer(lesson, index, state);
  const FilledPrediction f = filled(lesson, index, state);
  return check_answer(expected, text, attempt, f.hint, f.explanation);
}

std::string answer_of(const Lesson& lesson, size_t index, const AppState& state) {
  const Quoted expected = expected_answer(lesson, index, state);
  return answer_message(expected, filled(lesson, index, state).explanation);
}

}  // namespace model
