// export_test_support.h — small scenarios written out in full, temp folders,
// and a GIF decoder wrapper for the export tests.
#pragma once

#include <gif_lib.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/scenario.h"
#include "core/trace.h"

namespace export_test {

// The seed: 3×3 ones ⊛ 2×2 ones → 2×2 of 4s (16 MACs), and its transpose
// 2×2 ones → 3×3 (16 scatters).
core::Scenario seed_conv();
core::Scenario seed_transpose();
core::Scenario scenario(const std::string& json);
core::Trace trace_of(const core::Scenario& s);

// A fresh folder under $TMPDIR, removed with the object.
struct TempDir {
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path;
  std::string operator/(const std::string& name) const { return path + "/" + name; }
  std::vector<std::string> entries() const;  // names, including hidden ones
};

std::string read_bytes(const std::string& path);
unsigned file_mode(const std::string& path);

// DGifSlurp with RAII; the frames composited the way a viewer shows them
// (disposal "do not dispose": each frame paints its rectangle over the last).
struct DecodedGif {
  explicit DecodedGif(const std::string& path);
  ~DecodedGif();
  GifFileType* gif = nullptr;
  int error = 0;
  int frames() const { return gif ? gif->ImageCount : 0; }
  int delay_cs(int frame) const;
  bool loops_forever() const;
  // Frame `frame` as RGB, width·height·3, after compositing frames 0..frame.
  std::vector<uint8_t> composite(int frame) const;
};

}  // namespace export_test
