#include "app/render/canvas_text.h"

#include <backends/imgui_impl_opengl3.h>

#include <algorithm>
#include <cmath>
#include <iterator>
#include <stdexcept>

#include "app/render/resources.h"
#include "core/errors.h"

namespace render {

namespace {

// Latin-1, Greek, punctuation, sub/superscripts (and ᵀ), arrows, the math
// signs the formulas use (− × · ⊛ ≤ ≥ … ⋯) and a few geometric shapes.
const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x0391, 0x03C9, 0x1D40, 0x1D40, 0x2010, 0x203A, 0x2070, 0x209F,
                           0x2190, 0x21FF, 0x2200, 0x22FF, 0x25A0, 0x25FF, 0};
// What a cell value is written with (format_short): digits, point, exponent, minus signs.
const ImWchar kValueGlyphs[] = {0x002D, 0x002E, 0x0030, 0x0039, 0x0065, 0x0065, 0x2212, 0x2212, 0};

// Baked sizes at content scale 1, largest first: a role shrinks down its ladder.
constexpr float kTitleSizes[] = {18, 16, 14, 13, 12, 11};
constexpr float kBodySizes[] = {15, 14, 13, 12, 11, 10};
constexpr float kSmallSizes[] = {13, 12, 11, 10};
constexpr float kTinySizes[] = {11, 10};
// Value sizes in physical pixels: from the legibility floor up, ~15 % apart.
constexpr float kValueSizes[] = {10, 11, 12, 13, 15, 17, 19, 22, 25, 29, 33, 38, 44, 50, 58, 66};

}  // namespace

struct CanvasText::Guard {
  explicit Guard(ImGuiContext* ctx) : saved(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(ctx); }
  ~Guard() { ImGui::SetCurrentContext(saved); }
  ImGuiContext* saved;
};

CanvasText::CanvasText(bool gl) : gl_(gl) {
  regular_path_ = find_font(false);
  bold_path_ = find_font(true);
  if (regular_path_.empty()) throw core::Error(core::ErrorCode::font_missing, missing_font_message());
  if (bold_path_.empty()) bold_path_ = regular_path_;

  ImGuiContext* saved = ImGui::GetCurrentContext();
  ctx_ = ImGui::CreateContext();  // current only if there was none before
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
  scale_ = 1.0f;
  build_fonts();
  // Device objects now, so that later font rebuilds replace the texture they own.
  if (gl_) ImGui_ImplOpenGL3_CreateDeviceObjects();
  ImGui::SetCurrentContext(saved);
}

CanvasText::~CanvasText() {
  Guard g(ctx_);
  if (gl_) ImGui_ImplOpenGL3_Shutdown();
  ImGui::DestroyContext(ctx_);
  if (g.saved == ctx_) g.saved = nullptr;
}

void CanvasText::build_fonts() {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  atlas.Clear();
  ImFontConfig cfg;
  cfg.OversampleH = 1;  // PixelSnapH: horizontal oversampling would only blur, and it doubles the atlas
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  auto ladder = [&](const std::string& path, const float* sizes, size_t n, std::vector<ImFont*>& into) {
    into.clear();
    for (size_t i = 0; i < n; ++i) {
      // Never below 10 physical pixels, whatever the scale.
      const float px = std::max(sizes[i] * scale_, CanvasText::kMinValuePx);
      ImFont* f = atlas.AddFontFromFileTTF(path.c_str(), std::round(px), &cfg, kGlyphs);
      if (!f) throw std::runtime_error("cannot load " + path);
      if (!into.empty() && into.back()->FontSize == f->FontSize) continue;  // same size after clamping
      into.push_back(f);
    }
  };
  ladder(bold_path_, kTitleSizes, std::size(kTitleSizes), title_);
  ladder(regular_path_, kBodySizes, std::size(kBodySizes), body_);
  ladder(regular_path_, kSmallSizes, std::size(kSmallSizes), small_);
  ladder(regular_path_, kTinySizes, std::size(kTinySizes), tiny_);
  value_fonts_.clear();
  for (float px : kValueSizes) {
    if (px > 66 * scale_) break;
    ImFont* f = atlas.AddFontFromFileTTF(regular_path_.c_str(), px, &cfg, kValueGlyphs);
    if (!f) throw std::runtime_error("cannot load " + regular_path_);
    value_fonts_.push_back(f);
  }
  atlas.Build();
}

ImFont* CanvasText::font(TextRole role, int smaller) const {
  const std::vector<ImFont*>& l = role == TextRole::title ? title_ : role == TextRole::body ? body_
                                  : role == TextRole::small                                ? small_
                                                                                           : tiny_;
  return l[static_cast<size_t>(std::clamp(smaller, 0, static_cast<int>(l.size()) - 1))];
}

int CanvasText::steps(TextRole role) const {
  const std::vector<ImFont*>& l = role == TextRole::title ? title_ : role == TextRole::body ? body_
                                  : role == TextRole::small                                ? small_
                                                                                           : tiny_;
  return static_cast<int>(l.size());
}

ImFont* CanvasText::value_font(float px) const {
  ImFont* best = nullptr;
  for (ImFont* f : value_fonts_)
    if (f->FontSize <= px + 0.01f) best = f;
  return best;
}

void CanvasText::set_scale(float content_scale) {
  if (content_scale <= 0) content_scale = 1;
  if (content_scale == scale_) return;
  Guard g(ctx_);
  scale_ = content_scale;
  if (gl_) ImGui_ImplOpenGL3_DestroyFontsTexture();
  build_fonts();
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

void CanvasText::end() {
  ImGui::Render();
  ImGui_ImplOpenGL3_RenderDrawData(ImGui::GetDrawData());
  ImGui::SetCurrentContext(saved_);
  saved_ = nullptr;
}

ImVec2 CanvasText::measure(const ImFont* font, const std::string& text) const {
  if (text.empty()) return ImVec2(0, font->FontSize);
  return font->CalcTextSizeA(font->FontSize, 1e9f, 0.0f, text.c_str(), text.c_str() + text.size());
}

}  // namespace render
