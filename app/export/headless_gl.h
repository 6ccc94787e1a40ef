// headless_gl.h — an OpenGL 3.3 core context with no window and no X server.
//
//   exporter::HeadlessGl gl;   // EGL surfaceless (Mesa), context current, glad loaded
//   render::CanvasRenderer canvas;  ... render into its framebuffer ...
//   // destroyed: context released and destroyed, display terminated
//
// Uses EGL_PLATFORM_SURFACELESS_MESA with EGL_NO_CONFIG_KHR (no surface at
// all: everything draws into framebuffer objects), falling back to the default
// EGL display with a pbuffer-less context. Never opens a window and never
// reads $DISPLAY. Mesa may print "DRI2: failed to load driver" and fall back
// to llvmpipe: harmless. Throws core::Error(export_no_gl) with EGL's reason
// when no context can be made.
//
// Unless $LP_NUM_THREADS is set, it asks llvmpipe to rasterize on the calling
// thread (LP_NUM_THREADS=0): an export already keeps the second core busy
// encoding, and llvmpipe's own raster threads would only fight it (measured on
// 2 cores: the gallery went from 1.04–1.5 s to 0.93 s).
#pragma once

#include <string>

namespace exporter {

class HeadlessGl {
 public:
  HeadlessGl();
  ~HeadlessGl();
  HeadlessGl(const HeadlessGl&) = delete;
  HeadlessGl& operator=(const HeadlessGl&) = delete;

  // Binds the context to the calling thread (it is current on the creating
  // thread after construction); release() unbinds it.
  void make_current();
  void release();

  // "llvmpipe (LLVM 15.0.6, 256 bits)" — GL_RENDERER, for logs and the benchmark.
  std::string renderer_name() const;

 private:
  void* display_ = nullptr;
  void* context_ = nullptr;
};

}  // namespace exporter
