#include "app/render/grid_renderer.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "app/render/colors.h"
#include "app/render/resources.h"

namespace render {

GridRenderer::GridRenderer(const std::string& shader_dir)
    : program_(make_program(read_resource(shader_dir + "/grid.vert"), read_resource(shader_dir + "/grid.frag"), "grid")),
      vao_(make_vertex_array()) {
  const GLuint p = program_.get();
  u_rect_ = glGetUniformLocation(p, "u_rect");
  u_viewport_ = glGetUniformLocation(p, "u_viewport");
  u_grid_ = glGetUniformLocation(p, "u_grid");
  u_inv_range_ = glGetUniformLocation(p, "u_inv_range");
  u_cell_px_ = glGetUniformLocation(p, "u_cell_px");
  u_scale_ = glGetUniformLocation(p, "u_scale");
  u_cells_ = glGetUniformLocation(p, "u_cells");
  set_colours();
}

// The shader's colours, from colors.h; uniforms keep their values in the
// program object, so once is enough.
void GridRenderer::set_colours() const {
  using namespace colors;
  const GLuint p = program_.get();
  glUseProgram(p);
  static_assert(sizeof(UnitRgb) == 3 * sizeof(float), "kDivergingStops is passed as a flat vec3 array");
  glUniform3fv(glGetUniformLocation(p, "u_map"), kDivergingStopCount, &kDivergingStops[0].r);
  glUniform2f(glGetUniformLocation(p, "u_padding_hatch"), kPaddingHatchDark, kPaddingHatchLight);
  glUniform3f(glGetUniformLocation(p, "u_inserted_zero"), kInsertedZeroDot, kInsertedZeroGround, kInsertedZeroSmall);
  glUniform1f(glGetUniformLocation(p, "u_blank"), kBlankCell);
  glUniform1f(glGetUniformLocation(p, "u_margin"), kCropMargin);
  glUniform3f(glGetUniformLocation(p, "u_border"), kCellBorder, kBorderMix, kMarginBorderMix);
  glUseProgram(0);
}

void GridRenderer::upload(Grid& g, int cols, int rows, const std::vector<float>& texels) const {
  const bool same_size = g.texture && g.cols == cols && g.rows == rows && g.texels.size() == texels.size();
  if (same_size) {
    // The box of texels that differ: playing changes a cell or two of the output.
    int x0 = cols, y0 = rows, x1 = 0, y1 = 0;
    const size_t row_floats = static_cast<size_t>(cols) * 2;
    for (int y = 0; y < rows; ++y) {
      const float* a = texels.data() + static_cast<size_t>(y) * row_floats;
      const float* b = g.texels.data() + static_cast<size_t>(y) * row_floats;
      if (std::memcmp(a, b, row_floats * sizeof(float)) == 0) continue;
      y0 = std::min(y0, y), y1 = y + 1;
      for (int x = 0; x < cols; ++x)
        if (std::memcmp(a + 2 * x, b + 2 * x, 2 * sizeof(float)) != 0) x0 = std::min(x0, x), x1 = std::max(x1, x + 1);
    }
    if (y1 == 0) return;  // nothing changed
    g.changed_x0 = x0, g.changed_y0 = y0, g.changed_x1 = x1, g.changed_y1 = y1;
  } else {
    g.changed_x0 = 0, g.changed_y0 = 0, g.changed_x1 = cols, g.changed_y1 = rows;
  }
  g.texels = texels;
  ++g.version;
  if (!g.texture) g.texture = make_texture();
  glBindTexture(GL_TEXTURE_2D, g.texture.get());
  glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
  glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
  if (g.cols != cols || g.rows != rows) {
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RG32F, cols, rows, 0, GL_RG, GL_FLOAT, texels.data());
    g.cols = cols;
    g.rows = rows;
  } else {
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, cols, rows, GL_RG, GL_FLOAT, texels.data());
  }
}

void GridRenderer::draw(const Grid& g, float x, float y, float w, float h, float inv_range, float content_scale,
                        int viewport_w, int viewport_h) const {
  if (!g.texture || g.cols <= 0 || g.rows <= 0) return;
  glUseProgram(program_.get());
  glBindVertexArray(vao_.get());
  glActiveTexture(GL_TEXTURE0);
  glBindTexture(GL_TEXTURE_2D, g.texture.get());
  glUniform1i(u_cells_, 0);
  glUniform4f(u_rect_, x, y, w, h);
  glUniform2f(u_viewport_, static_cast<float>(viewport_w), static_cast<float>(viewport_h));
  glUniform2f(u_grid_, static_cast<float>(g.cols), static_cast<float>(g.rows));
  glUniform1f(u_inv_range_, inv_range);
  glUniform1f(u_cell_px_, w / static_cast<float>(g.cols));
  glUniform1f(u_scale_, content_scale);
  glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
  glBindVertexArray(0);
  glUseProgram(0);
}

void diverging_rgb(float t, float rgb[3]) {
  const colors::UnitRgb* c = colors::kDivergingStops;
  constexpr int kLast = colors::kDivergingStopCount - 1;
  constexpr float kHalf = kLast / 2.0f;  // t = 0 lands on the middle stop
  // NaN (an overflowed sum: inf − inf) takes the middle colour; ±inf the ends.
  const float x = (std::isnan(t) ? 0.0f : std::clamp(t, -1.0f, 1.0f)) * kHalf + kHalf;
  const int i = std::min(static_cast<int>(std::floor(x)), kLast - 1);
  const float f = x - static_cast<float>(i);
  rgb[0] = c[i].r + (c[i + 1].r - c[i].r) * f;
  rgb[1] = c[i].g + (c[i + 1].g - c[i].g) * f;
  rgb[2] = c[i].b + (c[i + 1].b - c[i].b) * f;
}

}  // namespace render
