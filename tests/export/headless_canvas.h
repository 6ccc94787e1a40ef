// headless_canvas.h — one EGL surfaceless GL context and CanvasRenderer for a
// whole test binary (start-up costs ~0.1 s), set up as a GoogleTest global
// environment with DISPLAY unset. Link headless_canvas.cpp into the binary.
#pragma once

#include "app/export/headless_gl.h"
#include "app/render/canvas_renderer.h"

namespace export_test {

render::CanvasRenderer& headless_canvas();
const exporter::HeadlessGl& headless_gl();

}  // namespace export_test
