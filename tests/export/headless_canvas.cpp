#include "headless_canvas.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <memory>

#include "app/export/headless_gl.h"

namespace export_test {

namespace {

class Headless : public ::testing::Environment {
 public:
  void SetUp() override {
    unsetenv("DISPLAY");
    unsetenv("WAYLAND_DISPLAY");
    gl = std::make_unique<exporter::HeadlessGl>();
    canvas = std::make_unique<render::CanvasRenderer>();
  }
  void TearDown() override {
    canvas.reset();
    gl.reset();
  }
  static std::unique_ptr<exporter::HeadlessGl> gl;
  static std::unique_ptr<render::CanvasRenderer> canvas;
};
std::unique_ptr<exporter::HeadlessGl> Headless::gl;
std::unique_ptr<render::CanvasRenderer> Headless::canvas;
const auto* const kEnv = ::testing::AddGlobalTestEnvironment(new Headless);

}  // namespace

render::CanvasRenderer& headless_canvas() { return *Headless::canvas; }
const exporter::HeadlessGl& headless_gl() { return *Headless::gl; }

}  // namespace export_test
