#include "app/render/canvas_text.h"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iterator>
#include <stdexcept>

#include "app/render/resources.h"
#include "core/errors.h"

namespace render {

namespace {

// Latin-1, Greek, and the few signs convscope writes (— … ′ → − ≤ ≥ ⊛ ⋯ ᵀ …):
// every glyph is rasterised once per size at start-up, so the set is kept to
// what the text uses (a scenario's name in another script shows boxes).
const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x0391, 0x03C9, 0x1D40, 0x1D40, 0x2013, 0x2014, 0x2018, 0x201D,
                           0x2022, 0x2022, 0x2026, 0x2026, 0x2032, 0x2033, 0x2190, 0x2193, 0x2212, 0x2212,
                           0x2260, 0x2260, 0x2264, 0x2265, 0x229B, 0x229B, 0x22EF, 0x22EF, 0};
// What a cell value is written with (format_short): digits, point, exponent, minus signs.
const ImWchar kValueGlyphs[] = {0x002D, 0x002E, 0x0030, 0x0039, 0x0065, 0x0065, 0x2212, 0x2212, 0};

// Baked sizes at content scale 1, largest first: a role shrinks down its ladder.
// The regular roles share one ladder (body starts at 15, small at 13, tiny at 11).
constexpr float kTitleSizes[] = {18, 16, 14};
constexpr float kRegularSizes[] = {15, 14, 13, 12, 11, 10};
// Value sizes in physical pixels: from the legibility floor up, ~15 % apart.
constexpr float kValueSizes[] = {10, 11, 12, 13, 15, 17, 19, 22, 25, 29, 33, 38, 44, 50, 58, 66};

std::vector<char> read_font(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (!in.good() && !in.eof()) throw std::runtime_error("cannot read " + path);
  if (bytes.empty()) throw std::runtime_error("cannot load " + path);
  return bytes;
}

// The fonts' data is regular_ttf_ / bold_ttf_, which CanvasText frees itself.
void disown_font_data(ImFontAtlas& atlas) {
  for (ImFontConfig& c : atlas.ConfigData) c.FontDataOwnedByAtlas = false;
}

}  // namespace

struct CanvasText::Guard {
  explicit Guard(ImGuiContext* ctx) : saved(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(ctx); }
  ~Guard() { ImGui::SetCurrentContext(saved); }
  ImGuiContext* saved;
};

CanvasFonts::CanvasFonts(float content_scale) : atlas(std::make_unique<ImFontAtlas>()) {
  regular_path = find_font(false);
  bold_path = find_font(true);
  if (regular_path.empty()) throw core::Error(core::ErrorCode::font_missing, missing_font_message());
  if (bold_path.empty()) bold_path = regular_path;
  // Read each file once: AddFontFromFileTTF would read (and copy) the whole
  // 0.7 MB file again for every size of the ladders (a sixth of start-up).
  regular_ttf = read_font(regular_path);
  bold_ttf = bold_path == regular_path ? regular_ttf : read_font(bold_path);
  bake(content_scale);
}

CanvasFonts::~CanvasFonts() {
  if (atlas) disown_font_data(*atlas);
}

void CanvasFonts::bake(float content_scale) {
  scale = content_scale;
  disown_font_data(*atlas);
  atlas->Clear();
  ImFontConfig cfg;
  cfg.OversampleH = 1;  // PixelSnapH: horizontal oversampling would only blur, and it doubles the atlas
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  // ImGui copies font data it does not own, once per size: 25 copies of the file
  // (page faults that cost ~80 ms of start-up on this VM). Marked "owned", it
  // reads our one copy; disown_font_data() takes the mark back before the atlas
  // is cleared or destroyed, so it never frees our buffers.
  cfg.FontDataOwnedByAtlas = true;
  auto add_font = [&](std::vector<char>& ttf, const std::string& path, float px, const ImWchar* glyphs) {
    ImFont* f = atlas->AddFontFromMemoryTTF(ttf.data(), static_cast<int>(ttf.size()), px, &cfg, glyphs);
    if (!f) throw std::runtime_error("cannot load " + path);
    return f;
  };
  // Each size once (never below 10 physical pixels, whatever the scale); `first`
  // keeps where each role's part of the ladder starts.
  auto ladder = [&](std::vector<char>& ttf, const std::string& path, const float* sizes, size_t n,
                    std::vector<ImFont*>& into, std::vector<size_t>& first) {
    into.clear();
    first.clear();
    for (size_t i = 0; i < n; ++i) {
      const float px = std::round(std::max(sizes[i] * scale, CanvasText::kMinValuePx));
      first.push_back(into.empty() || into.back()->FontSize != px ? into.size() : into.size() - 1);
      if (!into.empty() && into.back()->FontSize == px) continue;
      into.push_back(add_font(ttf, path, px, kGlyphs));
    }
  };
  std::vector<size_t> first, unused;
  ladder(bold_ttf, bold_path, kTitleSizes, std::size(kTitleSizes), title, unused);
  std::vector<ImFont*> regular;
  ladder(regular_ttf, regular_path, kRegularSizes, std::size(kRegularSizes), regular, first);
  // body from 15, small from 13, tiny from 11 (their places in kRegularSizes).
  body.assign(regular.begin() + static_cast<std::ptrdiff_t>(first[0]), regular.end());
  small.assign(regular.begin() + static_cast<std::ptrdiff_t>(first[2]), regular.end());
  tiny.assign(regular.begin() + static_cast<std::ptrdiff_t>(first[4]), regular.end());
  values.clear();
  for (float px : kValueSizes) {
    if (px > 66 * scale) break;
    values.push_back(add_font(regular_ttf, regular_path, px, kValueGlyphs));
  }
  atlas->Build();
  // The RGBA copy the GL backend uploads, made here too (off the window's thread when baked early).
  unsigned char* pixels = nullptr;
  int width = 0, height = 0;
  atlas->GetTexDataAsRGBA32(&pixels, &width, &height);
}

CanvasText::CanvasText(bool gl) : CanvasText(CanvasFonts(1.0f), gl) {}

CanvasText::CanvasText(CanvasFonts fonts, bool gl) : fonts_(std::move(fonts)), gl_(gl) {
  ImGuiContext* saved = ImGui::GetCurrentContext();
  ctx_ = ImGui::CreateContext(fonts_.atlas.get());  // current only if there was none before
  ImGui::SetCurrentContext(ctx_);
  ImGuiIO& io = ImGui::GetIO();
  io.IniFilename = nullptr;
  io.LogFilename = nullptr;
  io.DisplaySize = ImVec2(64, 64);
  io.DeltaTime = 1.0f / 60.0f;
  if (gl_ && !ImGui_ImplOpenGL3_Init("#version 330 core")) {
    ImGui::DestroyContext(ctx_);
    ImGui::SetCurrentContext(saved);
    throw std::runtime_error("cannot initialise ImGui's OpenGL3 backend for the canvas");
  }
  // Device objects now, so that later font rebuilds replace the texture they own.
  if (gl_) ImGui_ImplOpenGL3_CreateDeviceObjects();
  ImGui::SetCurrentContext(saved);
}

CanvasText::~CanvasText() {
  Guard g(ctx_);
  if (gl_) ImGui_ImplOpenGL3_Shutdown();
  ImGui::DestroyContext(ctx_);  // the atlas is fonts_', freed after
  if (g.saved == ctx_) g.saved = nullptr;
}

ImFont* CanvasText::font(TextRole role, int smaller) const {
  const std::vector<ImFont*>& l = role == TextRole::title ? fonts_.title : role == TextRole::body ? fonts_.body
                                  : role == TextRole::small                                        ? (small_as_body_ ? fonts_.body : fonts_.small)
                                                                                                   : fonts_.tiny;
  return l[static_cast<size_t>(std::clamp(smaller, 0, static_cast<int>(l.size()) - 1))];
}

int CanvasText::steps(TextRole role) const {
  const std::vector<ImFont*>& l = role == TextRole::title ? fonts_.title : role == TextRole::body ? fonts_.body
                                  : role == TextRole::small                                        ? (small_as_body_ ? fonts_.body : fonts_.small)
                                                                                                   : fonts_.tiny;
  return static_cast<int>(l.size());
}

ImFont* CanvasText::value_font(float px) const {
  ImFont* best = nullptr;
  for (ImFont* f : fonts_.values)
    if (f->FontSize <= px + 0.01f) best = f;
  return best;
}

void CanvasText::set_scale(float content_scale) {
  if (content_scale <= 0) content_scale = 1;
  if (content_scale == fonts_.scale) return;
  Guard g(ctx_);
  if (gl_) ImGui_ImplOpenGL3_DestroyFontsTexture();
  fonts_.bake(content_scale);
  ++rebakes_;
  if (gl_) ImGui_ImplOpenGL3_CreateFontsTexture();
}

ImDrawList* CanvasText::begin(int w, int h) {
  saved_ = ImGui::GetCurrentContext();
  ImGui::SetCurrentContext(ctx_);
  ImGuiIO& io = ImGui::GetIO();
  io.DisplaySize = ImVec2(static_cast<float>(w), static_cast<float>(h));
  io.DisplayFramebufferScale = ImVec2(1, 1);
  io.DeltaTime = 1.0f / 60.0f;
  ImGui_ImplOpenGL3_NewFrame();
  ImGui::NewFrame();
  ImDrawList* dl = ImGui::GetBackgroundDrawList();
  return dl;
}

ImDrawData* CanvasText::close() {
  ImGui::Render();
  return ImGui::GetDrawData();
}

void CanvasText::draw(const PixelRect* clip) {
  ImDrawData* dd = ImGui::GetDrawData();
  if (!clip) {
    ImGui_ImplOpenGL3_RenderDrawData(dd);
    return;
  }
  const int h = static_cast<int>(dd->DisplaySize.y);
  const float cx0 = static_cast<float>(clip->x0), cy0 = static_cast<float>(clip->y0);
  const float cx1 = static_cast<float>(clip->x1), cy1 = static_cast<float>(clip->y1);
  saved_cmds_.clear();
  kept_.resize(static_cast<size_t>(dd->CmdListsCount));
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    ImDrawList& list = *dd->CmdLists[l];
    // Only the triangles that can reach `clip` (their box, a pixel wider): llvmpipe
    // sets up every triangle it is given, even those its scissor then drops.
    ImVector<ImDrawIdx>& kept = kept_[static_cast<size_t>(l)];
    kept.resize(0);
    for (ImDrawCmd& cmd : list.CmdBuffer) {
      saved_cmds_.push_back({cmd.ClipRect, cmd.IdxOffset, cmd.ElemCount});
      // In whole pixels, as the backend would scissor the original rectangle, so the
      // cut clips exactly like a full frame does inside `clip`.
      const PixelRect r = intersected(scissor_pixels(cmd.ClipRect.x, cmd.ClipRect.y, cmd.ClipRect.z, cmd.ClipRect.w, h), *clip);
      cmd.ClipRect = ImVec4(static_cast<float>(r.x0), static_cast<float>(r.y0), static_cast<float>(r.x1),
                            static_cast<float>(r.y1));
      const unsigned first = static_cast<unsigned>(kept.Size);
      const ImDrawIdx* idx = list.IdxBuffer.Data + cmd.IdxOffset;
      const ImDrawVert* vtx = list.VtxBuffer.Data + cmd.VtxOffset;
      for (unsigned i = 0; !r.empty() && i + 2 < cmd.ElemCount; i += 3) {
        const ImVec2 &a = vtx[idx[i]].pos, &b = vtx[idx[i + 1]].pos, &c = vtx[idx[i + 2]].pos;
        if (std::max({a.x, b.x, c.x}) + 1 < cx0 || std::min({a.x, b.x, c.x}) - 1 > cx1 ||
            std::max({a.y, b.y, c.y}) + 1 < cy0 || std::min({a.y, b.y, c.y}) - 1 > cy1)
          continue;
        kept.push_back(idx[i]), kept.push_back(idx[i + 1]), kept.push_back(idx[i + 2]);
      }
      cmd.IdxOffset = first;
      cmd.ElemCount = static_cast<unsigned>(kept.Size) - first;
    }
    list.IdxBuffer.swap(kept);
  }
  ImGui_ImplOpenGL3_RenderDrawData(dd);
  size_t i = 0;
  for (int l = 0; l < dd->CmdListsCount; ++l) {
    ImDrawList& list = *dd->CmdLists[l];
    list.IdxBuffer.swap(kept_[static_cast<size_t>(l)]);
    for (ImDrawCmd& cmd : list.CmdBuffer) {
      const SavedCmd& c = saved_cmds_[i++];
      cmd.ClipRect = c.clip;
      cmd.IdxOffset = c.idx_offset;
      cmd.ElemCount = c.elem_count;
    }
  }
}

void CanvasText::end() {
  ImGui::SetCurrentContext(saved_);
  saved_ = nullptr;
}

ImVec2 CanvasText::measure(const ImFont* font, const std::string& text) const {
  if (text.empty()) return ImVec2(0, font->FontSize);
  return font->CalcTextSizeA(font->FontSize, 1e9f, 0.0f, text.c_str(), text.c_str() + text.size());
}

}  // namespace render
