// export_panel_stub.cpp — placeholder until app/export/export_panel.cpp exists.
#include <imgui.h>

#include "app/gui/app.h"
#include "app/gui/panels/export_panel.h"

namespace gui {

void draw_export_panel(App&, bool* open) {
  ImGui::SetNextWindowSize(ImVec2(360, 120), ImGuiCond_FirstUseEver);
  if (ImGui::Begin("Export", open)) {
    ImGui::TextWrapped("This build has no exporter yet. Headless: convscope export FILE.json --out OUT.gif");
  }
  ImGui::End();
}

}  // namespace gui
