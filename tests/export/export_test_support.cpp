#include "export_test_support.h"

#include <sys/stat.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace export_test {

core::Scenario scenario(const std::string& json) { return core::parse_scenario(json); }

core::Scenario seed_conv() {
  return scenario(R"({"op": "conv2d", "input": [[[1],[1],[1]],[[1],[1],[1]],[[1],[1],[1]]],
                      "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})");
}

core::Scenario seed_transpose() {
  return scenario(R"({"op": "conv2d_transpose", "input": [[[1],[1]],[[1],[1]]],
                      "kernel": [[[[1]],[[1]]],[[[1]],[[1]]]]})");
}

core::Trace trace_of(const core::Scenario& s) { return core::Trace(std::make_shared<const core::Scenario>(s)); }

TempDir::TempDir() {
  const char* base = std::getenv("TMPDIR");
  std::string tmpl = std::string(base && *base ? base : "/tmp") + "/convscope-export-test.XXXXXX";
  path = mkdtemp(tmpl.data());
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(path, ec);
}

std::vector<std::string> TempDir::entries() const {
  std::vector<std::string> names;
  for (const auto& e : std::filesystem::directory_iterator(path)) names.push_back(e.path().filename().string());
  return names;
}

std::string read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

unsigned file_mode(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) return 0;
  return static_cast<unsigned>(st.st_mode) & 07777u;
}

DecodedGif::DecodedGif(const std::string& path) {
  gif = DGifOpenFileName(path.c_str(), &error);
  if (gif && DGifSlurp(gif) != GIF_OK) error = gif->Error;
}

DecodedGif::~DecodedGif() {
  int err = 0;
  if (gif) DGifCloseFile(gif, &err);
}

int DecodedGif::delay_cs(int frame) const {
  GraphicsControlBlock gcb{};
  if (DGifSavedExtensionToGCB(gif, frame, &gcb) != GIF_OK) return -1;
  return gcb.DelayTime;
}

bool DecodedGif::loops_forever() const {
  // giflib files the application extension with the image that follows it.
  for (int i = 0; i < gif->ImageCount; ++i) {
    const SavedImage& im = gif->SavedImages[i];
    for (int e = 0; e + 1 < im.ExtensionBlockCount; ++e) {
      const ExtensionBlock& a = im.ExtensionBlocks[e];
      const ExtensionBlock& b = im.ExtensionBlocks[e + 1];
      if (a.Function == APPLICATION_EXT_FUNC_CODE && a.ByteCount == 11 &&
          std::memcmp(a.Bytes, "NETSCAPE2.0", 11) == 0 && b.ByteCount == 3 && b.Bytes[0] == 1 && b.Bytes[1] == 0 &&
          b.Bytes[2] == 0)
        return true;
    }
  }
  return false;
}

std::vector<uint8_t> DecodedGif::composite(int frame) const {
  const int W = gif->SWidth, H = gif->SHeight;
  std::vector<uint8_t> rgb(static_cast<size_t>(W * H * 3), 0);
  for (int f = 0; f <= frame; ++f) {
    const SavedImage& im = gif->SavedImages[f];
    const ColorMapObject* map = im.ImageDesc.ColorMap ? im.ImageDesc.ColorMap : gif->SColorMap;
    const GifImageDesc& d = im.ImageDesc;
    GraphicsControlBlock gcb{};
    gcb.TransparentColor = NO_TRANSPARENT_COLOR;
    DGifSavedExtensionToGCB(gif, f, &gcb);
    for (int y = 0; y < d.Height; ++y)
      for (int x = 0; x < d.Width; ++x) {
        const int index = im.RasterBits[y * d.Width + x];
        if (index == gcb.TransparentColor) continue;  // the previous frame shows through
        const GifColorType c = map->Colors[index];
        uint8_t* p = &rgb[static_cast<size_t>(((d.Top + y) * W + d.Left + x) * 3)];
        p[0] = c.Red, p[1] = c.Green, p[2] = c.Blue;
      }
  }
  return rgb;
}

}  // namespace export_test
