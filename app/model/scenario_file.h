// scenario_file.h — scenario files as the window reads and writes them.
//
// A scenario read from a file remembers the file's identity (size, mtime and a
// hash of its bytes): the session refers to a large scenario by its file instead
// of writing its values out, but only while the pane still shows exactly what
// the file holds (session.h). Writing is atomic: a temporary file in the same
// folder, flushed to disk, then renamed over the target, so a crash or a full
// disk never leaves half a file. Saving defaults to the user's data folder,
// never to the program's own presets (render::is_inside_resources refuses those).
//
// No GL, no ImGui.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/scenario.h"

namespace model {

struct FileIdentity {
  std::string path;
  int64_t size = 0;
  int64_t mtime_ns = 0;  // modification time, nanoseconds since the epoch
  uint64_t hash = 0;     // FNV-1a 64 of the bytes
  bool same_file_content(const FileIdentity& o) const { return size == o.size && hash == o.hash; }
};

// FNV-1a, 64 bits: cheap, and enough to notice a file that changed under us.
uint64_t content_hash(std::string_view bytes);
std::string hash_text(uint64_t hash);              // 16 hex digits
bool parse_hash_text(const std::string& text, uint64_t& hash);

struct LoadedScenario {
  core::Scenario scenario;
  FileIdentity identity;
};
// Reads and validates a scenario file (core::read_text_file: regular files only,
// size capped) and records its identity. Throws core::Error.
LoadedScenario load_scenario_file(const std::string& path);

// True while `id.path` still has the size and mtime it had when read (a stat, no
// reading): what the session checks before it refers to the file.
bool file_unchanged(const FileIdentity& id);

// Writes `text` to `path` atomically (temporary file in the same folder, fsync,
// rename; creates the folder). Returns an error message, or "" on success.
// `written` (optional) receives the new file's identity.
std::string save_text_atomically(const std::string& path, const std::string& text, FileIdentity* written = nullptr);

// Where Save proposes to write: $XDG_DATA_HOME/convscope (or ~/.local/share/convscope);
// "" when neither XDG_DATA_HOME nor HOME is set.
std::string user_data_dir();
// The file name part of a path ("a/b.json" → "b.json").
std::string file_name_of(const std::string& path);
bool file_exists(const std::string& path);

}  // namespace model
