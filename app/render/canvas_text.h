// canvas_text.h — the canvas's own Dear ImGui context: fonts and draw lists.
//
// The canvas draws its text and overlays with ImGui draw lists but must not
// depend on the window's ImGui context (the exporter has none). CanvasText
// owns a separate ImGuiContext with its own font atlas (DejaVu Sans at the
// content scale) and the OpenGL3 backend's device objects. begin() makes it
// current (remembering the caller's context) and returns the background draw
// list of a frame of w×h pixels; end() renders that list into the bound
// framebuffer and restores the caller's context.
//
// Fonts come in ladders of baked sizes, so that text can shrink to fit
// without being scaled (blurred) and every cell value of one grid can share
// one crisp size:
//   text(role, step)   — regular / bold text at the role's size, or `step`
//                        sizes smaller (a title that would not fit shrinks);
//   value_font(px)     — digits only, the largest baked size ≤ px, down to 10
//                        physical pixels (the legibility floor).
#pragma once

#include <imgui.h>

#include <memory>
#include "app/render/canvas_damage.h"

#include <string>
#include <vector>

namespace render {

// What a piece of text is, which sets its size (at content scale 1):
// title 18 bold, body 15, small 13, tiny 11 (indices of dense grids).
enum class TextRole { title, body, small, tiny };

// The canvas's fonts at one content scale: DejaVu Sans from fonts-dejavu-core
// (resources.h: find_font), read once, and an atlas baked with every ladder.
// Baking needs neither a GL context nor an ImGui context, so the window bakes
// it on a second thread while glfwCreateWindow loads the GL driver. It must
// finish before any ImGui context exists: ImGui's allocator counts into the
// current context, which is not meant to be shared between threads.
// Throws core::Error (font_missing) or std::runtime_error (unreadable file).
struct CanvasFonts {
  explicit CanvasFonts(float content_scale = 1);
  ~CanvasFonts();
  CanvasFonts(CanvasFonts&&) noexcept = default;
  CanvasFonts& operator=(CanvasFonts&&) = delete;
  void bake(float content_scale);  // (re)builds the atlas at that scale

  std::string regular_path, bold_path;
  std::vector<char> regular_ttf, bold_ttf;  // the font files, read once for every size
  std::unique_ptr<ImFontAtlas> atlas;
  float scale = 0;
  std::vector<ImFont*> title, body, small, tiny;  // largest first
  std::vector<ImFont*> values;                    // smallest first
};

class CanvasText {
 public:
  // With gl = false only the fonts are built (measuring text needs no GL
  // context: the layout's tests and the fuzz target use it so); begin()/end()
  // then must not be called. The first form bakes the fonts at scale 1 itself.
  explicit CanvasText(bool gl = true);
  explicit CanvasText(CanvasFonts fonts, bool gl = true);
  ~CanvasText();
  CanvasText(const CanvasText&) = delete;
  CanvasText& operator=(const CanvasText&) = delete;

  // Rebakes the fonts when the scale changes (needs the GL context).
  void set_scale(float content_scale);
  float scale() const { return fonts_.scale; }
  int rebakes() const { return rebakes_; }  // set_scale's bakes so far (each costs ~0.1 s)
  // Slides (CanvasOptions::slide_text): the small role takes the body's sizes.
  void set_small_as_body(bool on) { small_as_body_ = on; }

  // A frame: begin() returns the draw list to fill; close() builds the frame's
  // draw data (nothing drawn yet); draw() renders it into the bound
  // framebuffer, only inside `clip` when given (each command's clip rectangle is
  // cut to it: the OpenGL3 backend sets glScissor per command, so a scissor of
  // the caller's would be overridden); end() restores the caller's context.
  ImDrawList* begin(int w, int h);
  ImDrawData* close();
  void draw(const PixelRect* clip = nullptr);
  void end();

  // The font of a role, `smaller` steps down its ladder (clamped at the ladder's end).
  ImFont* font(TextRole role, int smaller = 0) const;
  int steps(TextRole role) const;  // how many sizes the role's ladder has
  // The largest value font whose size is ≤ px; nullptr if px is below the floor.
  ImFont* value_font(float px) const;
  // All value sizes, smallest first (physical pixels).
  const std::vector<ImFont*>& value_fonts() const { return fonts_.values; }
  // The smallest size values are ever drawn at (physical pixels).
  static constexpr float kMinValuePx = 10.0f;

  // Text size in pixels at the font's own size (works outside begin/end too).
  ImVec2 measure(const ImFont* font, const std::string& text) const;

 private:
  struct Guard;  // switches to our context and back
  CanvasFonts fonts_;  // outlives ctx_, which shares its atlas
  ImGuiContext* ctx_ = nullptr;
  ImGuiContext* saved_ = nullptr;
  bool gl_ = true;
  bool small_as_body_ = false;  // slides: the small role draws at the body's sizes
  int rebakes_ = 0;
  // draw() with a clip: the commands as built (put back after), and per list the
  // triangles kept for the clip (swapped in for the list's own indices meanwhile).
  struct SavedCmd {
    ImVec4 clip;
    unsigned idx_offset, elem_count;
  };
  std::vector<SavedCmd> saved_cmds_;
  std::vector<ImVector<ImDrawIdx>> kept_;
};

}  // namespace render
