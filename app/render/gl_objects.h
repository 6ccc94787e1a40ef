// gl_objects.h — small RAII owners for OpenGL objects (move-only).
//
// Each owner deletes its object when destroyed, so nothing leaks when a
// renderer is torn down or an exception unwinds. They need the GL context
// that created them to be current when they die.
#pragma once

#include <glad/gl.h>

#include <string>
#include <utility>

namespace render {

template <void (*Delete)(GLuint)>
class GlName {
 public:
  GlName() = default;
  explicit GlName(GLuint id) : id_(id) {}
  ~GlName() { reset(); }
  GlName(GlName&& o) noexcept : id_(std::exchange(o.id_, 0)) {}
  GlName& operator=(GlName&& o) noexcept {
    if (this != &o) {
      reset();
      id_ = std::exchange(o.id_, 0);
    }
    return *this;
  }
  GlName(const GlName&) = delete;
  GlName& operator=(const GlName&) = delete;
  GLuint get() const { return id_; }
  explicit operator bool() const { return id_ != 0; }
  void reset() {
    if (id_) Delete(id_);
    id_ = 0;
  }

 private:
  GLuint id_ = 0;
};

void delete_texture(GLuint id);
void delete_framebuffer(GLuint id);
void delete_vertex_array(GLuint id);
void delete_buffer(GLuint id);
void delete_program(GLuint id);
void delete_shader(GLuint id);

using GlTexture = GlName<delete_texture>;
using GlFramebuffer = GlName<delete_framebuffer>;
using GlVertexArray = GlName<delete_vertex_array>;
using GlBuffer = GlName<delete_buffer>;
using GlProgram = GlName<delete_program>;
using GlShader = GlName<delete_shader>;

GlTexture make_texture();
GlFramebuffer make_framebuffer();
GlVertexArray make_vertex_array();

// Compiles and links a program from GLSL sources; throws std::runtime_error
// with the driver's log (and `name`) on failure.
GlProgram make_program(const std::string& vertex_src, const std::string& fragment_src, const std::string& name);

}  // namespace render
