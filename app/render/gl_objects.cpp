#include "app/render/gl_objects.h"

#include <stdexcept>

namespace render {

void delete_texture(GLuint id) { glDeleteTextures(1, &id); }
void delete_framebuffer(GLuint id) { glDeleteFramebuffers(1, &id); }
void delete_vertex_array(GLuint id) { glDeleteVertexArrays(1, &id); }
void delete_buffer(GLuint id) { glDeleteBuffers(1, &id); }
void delete_program(GLuint id) { glDeleteProgram(id); }
void delete_shader(GLuint id) { glDeleteShader(id); }

GlTexture make_texture() {
  GLuint id = 0;
  glGenTextures(1, &id);
  return GlTexture(id);
}

GlFramebuffer make_framebuffer() {
  GLuint id = 0;
  glGenFramebuffers(1, &id);
  return GlFramebuffer(id);
}

GlVertexArray make_vertex_array() {
  GLuint id = 0;
  glGenVertexArrays(1, &id);
  return GlVertexArray(id);
}

namespace {

GlShader compile(GLenum kind, const std::string& src, const std::string& name) {
  GlShader sh(glCreateShader(kind));
  const char* text = src.c_str();
  glShaderSource(sh.get(), 1, &text, nullptr);
  glCompileShader(sh.get());
  GLint ok = 0;
  glGetShaderiv(sh.get(), GL_COMPILE_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetShaderInfoLog(sh.get(), sizeof log, nullptr, log);
    throw std::runtime_error("cannot compile shader " + name + ": " + log);
  }
  return sh;
}

}  // namespace

GlProgram make_program(const std::string& vertex_src, const std::string& fragment_src, const std::string& name) {
  GlShader vs = compile(GL_VERTEX_SHADER, vertex_src, name + ".vert");
  GlShader fs = compile(GL_FRAGMENT_SHADER, fragment_src, name + ".frag");
  GlProgram prog(glCreateProgram());
  glAttachShader(prog.get(), vs.get());
  glAttachShader(prog.get(), fs.get());
  glLinkProgram(prog.get());
  GLint ok = 0;
  glGetProgramiv(prog.get(), GL_LINK_STATUS, &ok);
  if (!ok) {
    char log[2048] = {};
    glGetProgramInfoLog(prog.get(), sizeof log, nullptr, log);
    throw std::runtime_error("cannot link shader program " + name + ": " + log);
  }
  glDetachShader(prog.get(), vs.get());
  glDetachShader(prog.get(), fs.get());
  return prog;
}

}  // namespace render
