#include "app/render/grid_renderer.h"

#include <algorithm>
#include <cmath>

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
}

void GridRenderer::upload(Grid& g, int cols, int rows, const std::vector<float>& texels) const {
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
  static const float c[9][3] = {{0.129f, 0.400f, 0.675f}, {0.263f, 0.576f, 0.765f}, {0.573f, 0.773f, 0.871f},
                                {0.820f, 0.898f, 0.941f}, {0.969f, 0.969f, 0.969f}, {0.992f, 0.859f, 0.780f},
                                {0.957f, 0.647f, 0.510f}, {0.839f, 0.376f, 0.302f}, {0.698f, 0.094f, 0.169f}};
  const float x = std::clamp(t, -1.0f, 1.0f) * 4.0f + 4.0f;
  const int i = std::min(static_cast<int>(std::floor(x)), 7);
  const float f = x - static_cast<float>(i);
  for (int k = 0; k < 3; ++k) rgb[k] = c[i][k] + (c[i + 1][k] - c[i][k]) * f;
}

}  // namespace render
