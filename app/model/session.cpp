#include "app/model/session.h"

#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "core/errors.h"

namespace model {

namespace {

using nlohmann::json;

// The view options a session keeps, in the order of the file's "view" object.
struct NamedOption {
  const char* name;
  bool ViewOptions::*field;
};
constexpr NamedOption kSessionView[] = {
    {"values", &ViewOptions::values},     {"arithmetic", &ViewOptions::arithmetic}, {"formula", &ViewOptions::formula},
    {"legend", &ViewOptions::legend},     {"equivalent", &ViewOptions::equivalent}, {"controls", &ViewOptions::controls},
    {"timeline", &ViewOptions::timeline}, {"presets", &ViewOptions::presets},       {"matrix", &ViewOptions::matrix},
};

// Numbers beyond what one pane can hold plus the session's own few (cursor, window, …).
constexpr int64_t kMaxSessionNumbers = kSessionInlineValues + 64 * kMaxPanes;

int64_t value_count(const core::Scenario& s) {
  return static_cast<int64_t>(s.input.values.size() + s.kernel.values.size() + (s.bias ? s.bias->size() : 0));
}

const char* kind_of(const json& v) {
  switch (v.type()) {
    case json::value_t::null: return "null";
    case json::value_t::boolean: return "a boolean";
    case json::value_t::string: return "a string";
    case json::value_t::array: return "a list";
    case json::value_t::object: return "an object";
    case json::value_t::binary: return "binary data";
    case json::value_t::discarded: return "nothing";
    default: return "a number";
  }
}

[[noreturn]] void bad_value(const std::string& what, const char* expected, const json& got) {
  core::fail(core::ErrorCode::session_bad_value, what, expected, kind_of(got));
}

// A JSON number as an integer in [lo, hi], clamped: a float or a huge value is
// never converted out of range (that would be undefined behaviour).
int64_t clamped_integer(const json& v, const std::string& what, int64_t lo, int64_t hi) {
  if (!v.is_number()) bad_value(what, "a number", v);
  if (v.is_number_integer()) {
    if (v.is_number_unsigned()) {  // may exceed INT64_MAX
      const uint64_t u = v.get<uint64_t>();
      if (hi < 0 || u > static_cast<uint64_t>(hi)) return hi;
      return std::max(static_cast<int64_t>(u), lo);
    }
    return std::clamp(v.get<int64_t>(), lo, hi);
  }
  const double d = v.get<double>();
  if (!(d > static_cast<double>(lo))) return lo;  // also NaN, which JSON cannot hold anyway
  if (!(d < static_cast<double>(hi))) return hi;
  return static_cast<int64_t>(d);
}

const json* member(const json& obj, const char* key) {
  const auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

std::string text_member(const json& obj, const char* key, const std::string& what) {
  const json* v = member(obj, key);
  if (!v) return {};
  if (!v->is_string()) bad_value(what, "a string", *v);
  return v->get<std::string>();
}

// Parses with the nesting depth and the count of numbers capped: a 70 000-deep
// list or a file of a million ignored numbers is refused before it is built.
json parse_capped(const std::string& text) {
  int64_t numbers = 0;
  json::parser_callback_t check = [&numbers](int depth, json::parse_event_t event, json&) {
    if (depth > kMaxSessionNesting) core::fail(core::ErrorCode::session_too_deep, kMaxSessionNesting);
    if (event == json::parse_event_t::value && ++numbers > kMaxSessionNumbers)
      core::fail(core::ErrorCode::over_limit, "the count of values in the session", "larger", kMaxSessionNumbers);
    return true;
  };
  try {
    return json::parse(text, check);
  } catch (const json::exception& e) {
    core::fail(core::ErrorCode::json_syntax, e.what());
  }
}

Pane pane_from_json(const json& pj, size_t index, std::vector<std::string>* notes) {
  const std::string where = "pane " + std::to_string(index + 1);
  if (!pj.is_object()) bad_value(where, "an object", pj);
  const std::string origin = text_member(pj, "origin", where + " \"origin\"");
  const json* inline_scenario = member(pj, "scenario");
  const json* file = member(pj, "file");
  if (!inline_scenario == !file) bad_value(where, "an object with \"scenario\" or \"file\"", pj);
  std::optional<Pane> made;
  if (inline_scenario) {
    if (!inline_scenario->is_object()) bad_value(where + " \"scenario\"", "an object", *inline_scenario);
    made.emplace(core::parse_scenario(inline_scenario->dump()), origin);
    if (!origin.empty()) made->reset_reads_origin();
  } else {
    if (!file->is_object()) bad_value(where + " \"file\"", "an object", *file);
    FileIdentity saved;
    saved.path = text_member(*file, "path", where + " \"file\" \"path\"");
    const json* size = member(*file, "size");
    if (!size) bad_value(where + " \"file\" \"size\"", "a number", json());
    saved.size = clamped_integer(*size, where + " \"file\" \"size\"", 0, INT64_MAX);
    if (!parse_hash_text(text_member(*file, "hash", where + " \"file\" \"hash\""), saved.hash)) {
      const json* h = member(*file, "hash");
      bad_value(where + " \"file\" \"hash\"", "16 hexadecimal digits", h ? *h : json());
    }
    LoadedScenario now = load_scenario_file(saved.path);  // throws: the session is bad
    if (notes && !now.identity.same_file_content(saved))
      notes->push_back(where + ": " + core::excerpt(saved.path, 200) +
                       " changed since the session was saved; the pane shows it as it is now");
    made.emplace(std::move(now.scenario), origin.empty() ? saved.path : origin);
    made->set_source_file(now.identity);
  }
  Pane& p = *made;
  // Before the cursor: the order sets the step count the cursor is clamped to.
  const std::string order = text_member(pj, "order", where + " \"order\"");
  if (order == "gather") p.set_order(core::TraceOrder::gather);
  else if (!order.empty() && order != "scatter") bad_value(where + " \"order\"", "\"scatter\" or \"gather\"", order);
  if (const json* c = member(pj, "cursor")) p.set_cursor(clamped_integer(*c, where + " \"cursor\"", -1, p.last_step()));
  const int64_t C = p.scenario().input.c, F = p.scenario().filters();
  if (const json* c = member(pj, "view_channel"))
    p.view_channel = static_cast<int>(clamped_integer(*c, where + " \"view_channel\"", -1, C - 1));
  if (const json* f = member(pj, "view_filter"))
    p.view_filter = static_cast<int>(clamped_integer(*f, where + " \"view_filter\"", -1, F - 1));
  auto flag = [&](const char* key, bool& field) {
    if (const json* b = member(pj, key)) {
      if (!b->is_boolean()) bad_value(where + " \"" + key + "\"", "true or false", *b);
      field = b->get<bool>();
    }
  };
  flag("volume", p.volume_view);
  flag("all_channels", p.all_channels);
  flag("overlap_map", p.overlap_map);
  flag("overlap_weights", p.overlap_weights);
  return std::move(*made);
}

}  // namespace

std::string session_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/convscope/session.json";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/convscope/session.json";
  return {};
}

SessionText session_to_json(const AppState& s) {
  SessionText out;
  json head;
  head["version"] = 2;
  head["speed"] = s.speed;
  json view = json::object();
  for (const NamedOption& o : kSessionView) view[o.name] = s.view.*o.field;
  head["view"] = view;
  head["window"] = {s.window_w, s.window_h};
  if (!s.lesson_path.empty()) head["lesson"] = {{"path", s.lesson_path}, {"slide", s.lesson_slide}};
  std::string panes;
  int64_t budget = kSessionInlineValues;
  int focused = 0;
  for (size_t i = 0; i < s.panes.size(); ++i) {
    const Pane& p = s.panes[i];
    const int64_t values = value_count(p.scenario());
    json meta;
    meta["cursor"] = p.cursor();
    meta["origin"] = p.origin();
    meta["order"] = core::trace_order_name(p.transpose_order());
    meta["view_channel"] = p.view_channel;
    meta["view_filter"] = p.view_filter;
    if (p.volume_view) meta["volume"] = true;
    if (p.all_channels) meta["all_channels"] = true;
    if (p.overlap_map) meta["overlap_map"] = true;
    if (p.overlap_weights) meta["overlap_weights"] = true;
    std::string raw;
    std::optional<FileIdentity> file;
    if (values > kSessionReferenceValues || values > budget) file = p.unchanged_source();
    if (file) {
      meta["file"] = {{"path", file->path}, {"size", file->size}, {"mtime_ns", file->mtime_ns}, {"hash", hash_text(file->hash)}};
    } else if (values <= budget) {
      raw = core::scenario_to_json(p.scenario(), false);
      budget -= values;
    } else {
      out.refused.push_back(
          core::error_message(core::ErrorCode::session_pane_not_kept, i + 1, values, kSessionInlineValues));
      continue;
    }
    std::string pane_text = meta.dump();
    if (!raw.empty()) pane_text = pane_text.substr(0, pane_text.size() - 1) + ",\"scenario\":" + raw + "}";
    panes += (out.panes_kept ? ",\n  " : "\n  ") + pane_text;
    if (static_cast<int>(i) == s.focused) focused = out.panes_kept;
    ++out.panes_kept;
  }
  head["focused"] = focused;
  std::string text = head.dump(1);  // "{\n …\n}"
  text.erase(text.size() - 2);
  out.text = text + ",\n \"panes\": [" + panes + "\n ]\n}\n";
  return out;
}

AppState session_from_json(const std::string& text, std::vector<std::string>* notes) {
  const json j = parse_capped(text);
  if (!j.is_object()) bad_value("the session", "a JSON object", j);
  if (const json* v = member(j, "version")) {
    if (!v->is_number_integer() || (v->get<int64_t>() != 1 && v->get<int64_t>() != 2))
      bad_value("\"version\"", "1 or 2", *v);
  }
  const json* panes = member(j, "panes");
  if (!panes || !panes->is_array()) bad_value("\"panes\"", "a list", panes ? *panes : json());
  if (panes->empty() || panes->size() > static_cast<size_t>(kMaxPanes))
    core::fail(core::ErrorCode::session_bad_value, "\"panes\"", "a list of 1 to " + std::to_string(kMaxPanes) + " panes",
               std::to_string(panes->size()));
  AppState s;
  for (size_t i = 0; i < panes->size(); ++i) s.panes.push_back(pane_from_json((*panes)[i], i, notes));
  if (const json* f = member(j, "focused"))
    s.focused = static_cast<int>(clamped_integer(*f, "\"focused\"", 0, static_cast<int64_t>(s.panes.size()) - 1));
  if (const json* v = member(j, "speed")) {
    if (!v->is_number()) bad_value("\"speed\"", "a number", *v);
    s.set_speed(v->get<double>());
  }
  if (const json* v = member(j, "view")) {
    if (!v->is_object()) bad_value("\"view\"", "an object", *v);
    for (const NamedOption& o : kSessionView)
      if (const json* b = member(*v, o.name)) {
        if (!b->is_boolean()) bad_value(std::string("\"view\" \"") + o.name + "\"", "true or false", *b);
        s.view.*o.field = b->get<bool>();
      }
  }
  if (const json* w = member(j, "window")) {
    if (!w->is_array() || w->size() != 2) bad_value("\"window\"", "a list of two numbers", *w);
    s.window_w = static_cast<int>(clamped_integer((*w)[0], "\"window\" width", 320, kMaxWindowSide));
    s.window_h = static_cast<int>(clamped_integer((*w)[1], "\"window\" height", 240, kMaxWindowSide));
  }
  // The lesson is reopened by the window (a lesson that no longer loads is dropped there, with a note).
  if (const json* l = member(j, "lesson")) {
    const json* path = l->is_object() ? member(*l, "path") : nullptr;
    if (!path || !path->is_string()) bad_value("\"lesson\"", "{\"path\": \"…\", \"slide\": n}", *l);
    s.lesson_path = path->get<std::string>();
    if (const json* slide = member(*l, "slide"))
      s.lesson_slide = static_cast<int>(clamped_integer(*slide, "\"lesson\" slide", 0, 9999));
  }
  return s;
}

SessionSave save_session(const AppState& s, const std::string& path) {
  SessionSave result;
  if (path.empty()) {
    result.error = "no session path (neither XDG_CONFIG_HOME nor HOME is set)";
    return result;
  }
  try {
    SessionText t = session_to_json(s);
    result.refused = std::move(t.refused);
    if (t.panes_kept == 0) return result;  // nothing worth replacing the previous session with
    result.error = save_text_atomically(path, t.text);
  } catch (const std::bad_alloc&) {
    result.error = core::error_message(core::ErrorCode::out_of_memory, "save the session");
  } catch (const std::exception& e) {
    result.error = core::one_line(e.what());
  }
  return result;
}

SessionLoad load_session(const std::string& path) {
  SessionLoad out;
  if (path.empty()) return out;
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0 && errno == ENOENT) return out;  // first run
  std::string why;
  try {
    out.state = session_from_json(core::read_text_file(path, kMaxSessionBytes), &out.notes);
    return out;
  } catch (const std::bad_alloc&) {
    why = "not enough memory";
  } catch (const std::exception& e) {
    why = e.what();
  }
  out.state.reset();
  out.notes.clear();
  // Kept for the user to look at (or repair), out of the way of the next save.
  const std::string bad = path + ".bad";
  std::error_code ec;
  std::filesystem::remove_all(bad, ec);
  std::string moved;
  if (std::rename(path.c_str(), bad.c_str()) == 0)
    moved = "it was moved to " + bad;
  else
    moved = "it could not be moved to " + bad + " (" + std::strerror(errno) + ")";
  out.problem = core::one_line(core::error_message(core::ErrorCode::session_unreadable, path, core::excerpt(why, 240), moved));
  return out;
}

SessionAutosave::SessionAutosave(const AppState& as_loaded, double now) : last_(mark_of(as_loaded)), changed_at_(now) {}

SessionAutosave::Mark SessionAutosave::mark_of(const AppState& s) {
  Mark m;
  m.panes.reserve(s.panes.size());
  for (const Pane& p : s.panes)
    // While playing the cursor moves every frame: it is saved when playback stops.
    m.panes.push_back({p.scenario_ptr(), s.playing ? -2 : p.cursor(), p.view_channel, p.view_filter, p.volume_view,
                       p.all_channels, p.overlap_map, p.overlap_weights, p.origin(), p.transpose_order()});
  m.focused = s.focused;
  m.speed = s.speed;
  unsigned bit = 1;
  for (const NamedOption& o : kSessionView) {
    if (s.view.*o.field) m.view |= bit;
    bit <<= 1;
  }
  m.window_w = s.window_w;
  m.window_h = s.window_h;
  m.lesson_path = s.lesson_path;
  m.lesson_slide = s.lesson_slide;
  return m;
}

bool SessionAutosave::due(const AppState& s, double now) {
  Mark m = mark_of(s);
  if (!(m == last_)) {
    last_ = std::move(m);
    pending_ = true;
    changed_at_ = now;
  }
  return pending_ && now - changed_at_ >= kAutosaveDelay;
}

double SessionAutosave::seconds_until_due(double now) const {
  if (!pending_) return std::numeric_limits<double>::infinity();
  return std::max(0.0, changed_at_ + kAutosaveDelay - now);
}

}  // namespace model
