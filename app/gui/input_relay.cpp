#include "app/gui/input_relay.h"

#include <GLFW/glfw3.h>

#include <algorithm>

namespace gui {

bool is_modifier_key(int key) {
  switch (key) {
    case GLFW_KEY_LEFT_CONTROL: case GLFW_KEY_RIGHT_CONTROL: case GLFW_KEY_LEFT_SHIFT: case GLFW_KEY_RIGHT_SHIFT:
    case GLFW_KEY_LEFT_ALT: case GLFW_KEY_RIGHT_ALT: case GLFW_KEY_LEFT_SUPER: case GLFW_KEY_RIGHT_SUPER:
      return true;
    default:
      return false;
  }
}

void InputRelay::key(int key, int scancode, int action, int mods) {
  if (action == GLFW_REPEAT && key == GLFW_KEY_SPACE) return;  // held: one press
  InputEvent e;
  e.key = key, e.scancode = scancode, e.action = action, e.mods = mods;
  pending_.push_back(e);
}

void InputRelay::character(unsigned codepoint) {
  InputEvent e;
  e.is_char = true;
  e.codepoint = codepoint;
  pending_.push_back(e);
}

void InputRelay::mouse_pressed() { mouse_pressed_ = true; }

std::vector<InputEvent> InputRelay::take_frame() {
  std::vector<InputEvent> out;
  if (mouse_pressed_) {
    mouse_pressed_ = false;
    return out;
  }
  std::vector<int> keys_this_frame;
  bool chars_this_frame = false;
  auto take = [&] {
    out.push_back(pending_.front());
    pending_.pop_front();
  };
  while (!pending_.empty()) {
    const InputEvent e = pending_.front();
    if (e.is_char) {
      take();
      chars_this_frame = true;
      continue;
    }
    if (e.action == GLFW_REPEAT) {
      take();
      continue;
    }
    if (std::find(keys_this_frame.begin(), keys_this_frame.end(), e.key) != keys_this_frame.end()) break;
    const bool modifier = is_modifier_key(e.key);
    if (e.action == GLFW_PRESS && modifier && chars_this_frame) break;
    take();
    keys_this_frame.push_back(e.key);
    if (e.action == GLFW_PRESS && !modifier) {
      while (!pending_.empty() && pending_.front().is_char) take();  // its character goes with it
      break;
    }
  }
  return out;
}

}  // namespace gui
