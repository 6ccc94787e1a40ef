// session.h — save and restore the AppState between runs.
//
// The session file is JSON: {"version": 1, "panes": [{"scenario": {...},
// "cursor": n, "origin": "...", "view_channel": c, "view_filter": f}],
// "focused": i, "speed": x, "view": {...}, "window": [w, h]}; each scenario is
// the same object `convscope compute` reads. It lives in
// $XDG_CONFIG_HOME/convscope/session.json (or ~/.config/convscope/) and is
// written atomically (a temporary file in the same folder, then rename), so a
// crash never leaves half a session.
#pragma once

#include <optional>
#include <string>

#include "app/model/app_state.h"

namespace model {

// The session path ("" if neither XDG_CONFIG_HOME nor HOME is set).
std::string session_path();

std::string session_to_json(const AppState& s);
// Throws core::Error (json_syntax, or the scenario's own errors) on a bad file.
AppState session_from_json(const std::string& text);

// Writes `text` to `path` atomically (temporary file in the same folder, then
// rename; creates the folder). Returns an error message, or "" on success.
std::string save_text_atomically(const std::string& path, const std::string& text);

// Writes atomically; returns an error message, or "" on success.
std::string save_session(const AppState& s, const std::string& path);
// nullopt if the file is missing or unreadable/invalid (then start from the seed).
std::optional<AppState> load_session(const std::string& path);

}  // namespace model
