// canvas_text.h — the canvas's own Dear ImGui context: fonts and draw lists.
//
// The canvas draws its text and overlays with ImGui draw lists but must not
// depend on the window's ImGui context (the exporter has none). CanvasText
// owns a separate ImGuiContext with its own font atlas (DejaVu Sans at the
// content scale) and the OpenGL3 backend's device objects. begin() makes it
// current (remembering the caller's context) and returns the background draw
// list of a frame of w×h pixels; end() renders that list into the bound
// framebuffer and restores the caller's context.
#pragma once

#include <imgui.h>

#include <string>

namespace render {

class CanvasText {
 public:
  // DejaVu Sans from fonts-dejavu-core (render::find_font); throws core::Error(font_missing) without it.
  CanvasText();
  ~CanvasText();
  CanvasText(const CanvasText&) = delete;
  CanvasText& operator=(const CanvasText&) = delete;

  // Rebakes the fonts when the scale changes (needs the GL context).
  void set_scale(float content_scale);
  float scale() const { return scale_; }

  ImDrawList* begin(int w, int h);
  void end();

  // Text size in pixels (works outside begin/end too).
  ImVec2 measure(ImFont* font, const std::string& text) const;

  ImFont* small = nullptr;  // 12 px × scale: indices, layouts, formula
  ImFont* body = nullptr;   // 14 px × scale: labels, arithmetic
  ImFont* bold = nullptr;   // 16 px × scale, bold: titles
  ImFont* cell = nullptr;   // 22 px × scale: values in big cells (drawn smaller as needed)

 private:
  void build_fonts();
  struct Guard;  // switches to our context and back
  ImGuiContext* ctx_ = nullptr;
  ImGuiContext* saved_ = nullptr;
  std::string regular_path_, bold_path_;
  float scale_ = 0;
};

}  // namespace render
