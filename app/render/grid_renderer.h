// grid_renderer.h — a grid of cells drawn as ONE textured quad.
//
// Each grid is a texture with a texel per cell (RG32F: value, kind) read with
// texelFetch; the fragment shader (shaders/grid.frag) applies the colour map,
// cell borders, padding hatch, inserted-zero dots and crop-margin shading,
// with the colours of colors.h passed in as uniforms.
// On llvmpipe this is the cheapest way to show 128×128 cells (NOTES.md:
// 2.5 ms vs 34 ms as ImDrawList rectangles). GL only, no window.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "app/render/gl_objects.h"

namespace render {

// What a texel's second channel says about its cell (kept in step with grid.frag).
enum class CellKind { value = 0, padding = 1, inserted_zero = 2, blank = 3, margin = 4 };

class GridRenderer {
 public:
  struct Grid {
    GlTexture texture;
    int cols = 0, rows = 0;
    // What the texture holds, and what the last upload changed (for the
    // canvas's changed-region rendering, canvas_damage.h): `version` counts
    // uploads that changed anything, `changed` is the texel box of the last
    // (x = column, half-open; the whole grid when the size changed).
    std::vector<float> texels;
    uint64_t version = 0;
    int changed_x0 = 0, changed_y0 = 0, changed_x1 = 0, changed_y1 = 0;
  };

  explicit GridRenderer(const std::string& shader_dir);

  // Uploads cols×rows texels (row 0 first, 2 floats each: value, kind); a
  // grid whose texels are all unchanged is left alone.
  void upload(Grid& g, int cols, int rows, const std::vector<float>& texels) const;
  // Draws g into the bound framebuffer at the pixel rect (origin top-left).
  void draw(const Grid& g, float x, float y, float w, float h, float inv_range, float content_scale, int viewport_w,
            int viewport_h) const;

 private:
  void set_colours() const;

  GlProgram program_;
  GlVertexArray vao_;
  GLint u_rect_ = -1, u_viewport_ = -1, u_grid_ = -1, u_inv_range_ = -1, u_cell_px_ = -1, u_scale_ = -1, u_cells_ = -1;
};

// The colour map of grid.frag on the CPU (legend, overlays, GIF palette), from
// the same stops (colors::kDivergingStops): t in [−1, 1] → RGB 0..1.
void diverging_rgb(float t, float rgb[3]);

}  // namespace render
