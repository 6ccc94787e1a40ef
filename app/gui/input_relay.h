// input_relay.h — keyboard events for Dear ImGui 1.86, in order.
//
// ImGui 1.86 keeps only key *state* per frame, and its text fields act on one
// key per frame (typed characters first). A press and its release in one poll,
// or "Ctrl+A, Backspace, 2x2" arriving together (a fast typist, a slow frame, a
// remote desktop), would lose keys or reorder the text. The window's GLFW
// callbacks queue key and character events here, and each frame takes its share:
//   - at most one key press a frame (with its modifiers and its character);
//   - a key's next event (its release, a second press) waits for the next
//     frame, so ImGui sees every state for a frame;
//   - a modifier press waits when characters went this frame (Ctrl held would
//     make the text field drop them);
//   - auto-repeats (ImGui 1.86 ignores them) and characters cost nothing; Space
//     held is one press;
//   - in the frame of a mouse press nothing goes: the field the click activates
//     takes keys from the next frame on.
//
//   gui::InputRelay relay;
//   relay.key(GLFW_KEY_A, sc, GLFW_PRESS, GLFW_MOD_CONTROL);   // from the callbacks
//   for (const gui::InputEvent& e : relay.take_frame()) …       // once a frame, to ImGui
//
// No ImGui, no GL: GLFW's key and action numbers only.
#pragma once

#include <deque>
#include <vector>

namespace gui {

struct InputEvent {
  bool is_char = false;
  int key = 0, scancode = 0, action = 0, mods = 0;  // GLFW's, for a key event
  unsigned codepoint = 0;                           // for a character
};

bool is_modifier_key(int key);  // Ctrl, Shift, Alt, Super (either side)

class InputRelay {
 public:
  void key(int key, int scancode, int action, int mods);
  void character(unsigned codepoint);
  void mouse_pressed();  // a mouse button went down in this poll
  bool empty() const { return pending_.empty(); }
  // This frame's share of the queue, in the order it came (see the rules above).
  std::vector<InputEvent> take_frame();

 private:
  std::deque<InputEvent> pending_;
  bool mouse_pressed_ = false;
};

}  // namespace gui
