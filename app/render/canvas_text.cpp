#include "app/render/canvas_text.h"

#include <backends/imgui_impl_opengl3.h>

#include <stdexcept>

#include "app/render/resources.h"
#include "core/errors.h"

namespace render {

namespace {

// Latin-1, Greek, punctuation, sub/superscripts, arrows, the math signs the
// formulas use (− × · ⊛ ≤ ≥ …) and a few geometric shapes.
const ImWchar kGlyphs[] = {0x0020, 0x00FF, 0x0391, 0x03C9, 0x2010, 0x203A, 0x2070, 0x209F, 0x2190, 0x21FF,
                           0x2200, 0x22FF, 0x25A0, 0x25FF, 0};

}  // namespace

struct CanvasText::Guard {
  explicit Guard(ImGuiContext* ctx) : saved(ImGui::GetCurrentContext()) { ImGui::SetCurrentContext(ctx); }
  ~Guard() { ImGui::SetCurrentContext(saved); }
  ImGuiContext* saved;
};

CanvasText::CanvasText() {
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
  if (!ImGui_ImplOpenGL3_Init("#version 330 core")) {
    ImGui::DestroyContext(ctx_);
    ImGui::SetCurrentContext(saved);
    throw std::runtime_error("cannot initialise ImGui's OpenGL3 backend for the canvas");
  }
  scale_ = 1.0f;
  build_fonts();
  // Device objects now, so that later font rebuilds replace the texture they own.
  ImGui_ImplOpenGL3_CreateDeviceObjects();
  ImGui::SetCurrentContext(saved);
}

CanvasText::~CanvasText() {
  Guard g(ctx_);
  ImGui_ImplOpenGL3_Shutdown();
  ImGui::DestroyContext(ctx_);
  if (g.saved == ctx_) g.saved = nullptr;
}

void CanvasText::build_fonts() {
  ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
  atlas.Clear();
  ImFontConfig cfg;
  cfg.OversampleH = 2;
  cfg.OversampleV = 1;
  cfg.PixelSnapH = true;
  small = atlas.AddFontFromFileTTF(regular_path_.c_str(), 12.0f * scale_, &cfg, kGlyphs);
  body = atlas.AddFontFromFileTTF(regular_path_.c_str(), 14.0f * scale_, &cfg, kGlyphs);
  bold = atlas.AddFontFromFileTTF(bold_path_.c_str(), 16.0f * scale_, &cfg, kGlyphs);
  cell = atlas.AddFontFromFileTTF(regular_path_.c_str(), 22.0f * scale_, &cfg, kGlyphs);
  if (!small || !body || !bold || !cell) throw std::runtime_error("cannot load " + regular_path_);
  atlas.Build();
}

void CanvasText::set_scale(float content_scale) {
  if (content_scale <= 0) content_scale = 1;
  if (content_scale == scale_) return;
  Guard g(ctx_);
  scale_ = content_scale;
  ImGui_ImplOpenGL3_DestroyFontsTexture();
  build_fonts();
  ImGui_ImplOpenGL3_CreateFontsTexture();
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

ImVec2 CanvasText::measure(ImFont* font, const std::string& text) const {
  if (text.empty()) return ImVec2(0, font->FontSize);
  return font->CalcTextSizeA(font->FontSize, 1e9f, 0.0f, text.c_str(), text.c_str() + text.size());
}

}  // namespace render
