#include "app/model/session.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sys/stat.h>
#include <unistd.h>

#include "core/errors.h"

namespace model {

namespace {

using nlohmann::json;

std::string parent_dir(const std::string& path) {
  const auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string(".") : path.substr(0, slash);
}

// mkdir -p
bool make_dirs(const std::string& dir) {
  if (dir.empty()) return true;
  struct stat st;
  if (::stat(dir.c_str(), &st) == 0) return S_ISDIR(st.st_mode);
  if (!make_dirs(parent_dir(dir)) && parent_dir(dir) != dir) return false;
  return ::mkdir(dir.c_str(), 0755) == 0 || errno == EEXIST;
}

}  // namespace

std::string session_path() {
  const char* xdg = std::getenv("XDG_CONFIG_HOME");
  if (xdg && *xdg) return std::string(xdg) + "/convscope/session.json";
  const char* home = std::getenv("HOME");
  if (home && *home) return std::string(home) + "/.config/convscope/session.json";
  return {};
}

std::string session_to_json(const AppState& s) {
  json j;
  j["version"] = 1;
  j["panes"] = json::array();
  for (const Pane& p : s.panes) {
    json pj;
    pj["scenario"] = json::parse(core::scenario_to_json(p.scenario(), false));
    pj["cursor"] = p.cursor();
    pj["origin"] = p.origin();
    pj["view_channel"] = p.view_channel;
    pj["view_filter"] = p.view_filter;
    j["panes"].push_back(pj);
  }
  j["focused"] = s.focused;
  j["speed"] = s.speed;
  const ViewOptions& v = s.view;
  j["view"] = {{"values", v.values},       {"arithmetic", v.arithmetic}, {"formula", v.formula},
               {"legend", v.legend},       {"equivalent", v.equivalent}, {"controls", v.controls},
               {"timeline", v.timeline},   {"presets", v.presets},       {"matrix", v.matrix}};
  j["window"] = {s.window_w, s.window_h};
  return j.dump(1);
}

AppState session_from_json(const std::string& text) {
  json j;
  try {
    j = json::parse(text);
  } catch (const json::exception& e) {
    core::fail(core::ErrorCode::json_syntax, e.what());
  }
  AppState s;
  try {
    for (const json& pj : j.at("panes")) {
      Pane p(core::parse_scenario(pj.at("scenario").dump()), pj.value("origin", std::string()));
      // "Reset to preset" returns to the file the pane came from when it still loads.
      if (!p.origin().empty()) {
        try {
          p.set_preset(std::make_shared<const core::Scenario>(core::load_scenario(p.origin())));
        } catch (const core::Error&) {
        }
      }
      p.set_cursor(pj.value("cursor", int64_t{-1}));
      p.view_channel = pj.value("view_channel", -1);
      p.view_filter = pj.value("view_filter", -1);
      s.panes.push_back(std::move(p));
    }
    s.focused = j.value("focused", 0);
    s.set_speed(j.value("speed", 2.0));
    if (j.contains("view")) {
      const json& v = j["view"];
      ViewOptions& o = s.view;
      o.values = v.value("values", o.values);
      o.arithmetic = v.value("arithmetic", o.arithmetic);
      o.formula = v.value("formula", o.formula);
      o.legend = v.value("legend", o.legend);
      o.equivalent = v.value("equivalent", o.equivalent);
      o.controls = v.value("controls", o.controls);
      o.timeline = v.value("timeline", o.timeline);
      o.presets = v.value("presets", o.presets);
      o.matrix = v.value("matrix", o.matrix);
    }
    if (j.contains("window")) {
      s.window_w = std::clamp(j["window"].at(0).get<int>(), 320, 16384);
      s.window_h = std::clamp(j["window"].at(1).get<int>(), 240, 16384);
    }
  } catch (const json::exception& e) {
    core::fail(core::ErrorCode::json_syntax, std::string("session: ") + e.what());
  }
  if (s.panes.empty()) core::fail(core::ErrorCode::usage, "the session has no panes");
  s.focused = std::clamp(s.focused, 0, static_cast<int>(s.panes.size()) - 1);
  return s;
}

std::string save_text_atomically(const std::string& path, const std::string& text) {
  if (path.empty()) return "no file name given";
  if (!make_dirs(parent_dir(path))) return "cannot create the folder " + parent_dir(path);
  const std::string tmp = path + ".tmp." + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::remove(tmp.c_str());
      return "cannot write " + path + ": " + std::strerror(errno);
    }
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) {
    const std::string why = std::strerror(errno);
    std::remove(tmp.c_str());
    return "cannot write " + path + ": " + why;
  }
  return {};
}

std::string save_session(const AppState& s, const std::string& path) {
  if (path.empty()) return "no session path (neither XDG_CONFIG_HOME nor HOME is set)";
  return save_text_atomically(path, session_to_json(s) + "\n");
}

std::optional<AppState> load_session(const std::string& path) {
  if (path.empty()) return std::nullopt;
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  try {
    return session_from_json(text);
  } catch (const core::Error&) {
    return std::nullopt;
  }
}

}  // namespace model
