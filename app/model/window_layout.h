// window_layout.h — where the window's panels go: controls on the left, the
// canvas, the timeline and the two detail panels under it, and a column on the
// right for the tool windows (presets, conv matrix, export) when any is open,
// so that they never cover the controls or the canvas. Pure arithmetic (no
// ImGui): the window places its panels with it and the canvas tests size their
// canvas with it.
#pragma once

#include "app/model/app_state.h"

namespace model {

struct Rect {
  float x = 0, y = 0, w = 0, h = 0;
};

struct WindowLayout {
  Rect controls, canvas, timeline, arithmetic, formula, side;  // w = 0: not shown
};

// `top`: the height of the menu bar; `scale`: the content scale; `side_open`:
// whether a tool window (presets, conv matrix, export) is shown.
WindowLayout window_layout(float width, float height, float top, float scale, const ViewOptions& v, bool side_open);

}  // namespace model
