// The window's keyboard queue (app/gui/input_relay.h): which events reach ImGui
// in which frame. Each case is a burst that arrived in one poll, written out by
// hand with what ImGui 1.86 must see frame by frame.
#include "app/gui/input_relay.h"

#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

// One frame as text: "+A" a press, "-A" a release, "~A" a repeat, "'a'" a
// character; keys by name for the few used here.
std::string name_of(int key) {
  switch (key) {
    case GLFW_KEY_LEFT_CONTROL: return "Ctrl";
    case GLFW_KEY_BACKSPACE: return "BS";
    case GLFW_KEY_ENTER: return "Enter";
    case GLFW_KEY_SPACE: return "Space";
    case GLFW_KEY_RIGHT: return "Right";
    default: return std::string(1, static_cast<char>(key));
  }
}

std::string frame_text(const std::vector<gui::InputEvent>& frame) {
  std::string out;
  for (const gui::InputEvent& e : frame) {
    if (!out.empty()) out += " ";
    if (e.is_char) out += "'" + std::string(1, static_cast<char>(e.codepoint)) + "'";
    else out += (e.action == GLFW_PRESS ? "+" : e.action == GLFW_RELEASE ? "-" : "~") + name_of(e.key);
  }
  return out;
}

std::vector<std::string> frames_until_empty(gui::InputRelay& relay) {
  std::vector<std::string> frames;
  for (int i = 0; i < 100 && !relay.empty(); ++i) frames.push_back(frame_text(relay.take_frame()));
  return frames;
}

// A printable key as X sends it: press, its character, release.
void type(gui::InputRelay& r, char c) {
  const int key = c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c;
  r.key(key, 0, GLFW_PRESS, 0);
  r.character(static_cast<unsigned>(c));
  r.key(key, 0, GLFW_RELEASE, 0);
}

void tap(gui::InputRelay& r, int key, int mods = 0) {
  r.key(key, 0, GLFW_PRESS, mods);
  r.key(key, 0, GLFW_RELEASE, mods);
}

}  // namespace

// "Ctrl+A, Backspace, 2x2, Enter" in one poll: the select-all must act with Ctrl
// down, the Backspace after it, each character after the Backspace.
TEST(InputRelay, SelectAllBackspaceThenTextKeepsItsOrder) {
  gui::InputRelay r;
  r.key(GLFW_KEY_LEFT_CONTROL, 0, GLFW_PRESS, 0);
  tap(r, 'A', GLFW_MOD_CONTROL);
  r.key(GLFW_KEY_LEFT_CONTROL, 0, GLFW_RELEASE, GLFW_MOD_CONTROL);
  tap(r, GLFW_KEY_BACKSPACE);
  type(r, '2');
  type(r, 'x');
  type(r, '2');
  tap(r, GLFW_KEY_ENTER);
  EXPECT_EQ(frames_until_empty(r), (std::vector<std::string>{
                                       "+Ctrl +A",
                                       "-A -Ctrl +BS",
                                       "-BS +2 '2'",
                                       "-2 +X 'x'",
                                       "-X +2 '2'",
                                       "-2 +Enter",
                                       "-Enter",
                                   }));
}

// Backspace twice: ImGui must see it let go between the two presses, or the
// second is no press at all.
TEST(InputRelay, ASecondPressOfAKeyWaitsForAFrameAfterItsRelease) {
  gui::InputRelay r;
  tap(r, GLFW_KEY_BACKSPACE);
  tap(r, GLFW_KEY_BACKSPACE);
  EXPECT_EQ(frames_until_empty(r), (std::vector<std::string>{"+BS", "-BS", "+BS", "-BS"}));
}

// Ctrl pressed in the frame that carries a character would make the text field drop it.
TEST(InputRelay, AModifierWaitsWhenCharactersWentThisFrame) {
  gui::InputRelay r;
  r.character('c');  // a character on its own (an input method)
  r.key(GLFW_KEY_LEFT_CONTROL, 0, GLFW_PRESS, 0);
  tap(r, 'A', GLFW_MOD_CONTROL);
  EXPECT_EQ(frames_until_empty(r), (std::vector<std::string>{"'c'", "+Ctrl +A", "-A"}));
}

// Auto-repeats cost nothing (ImGui 1.86 ignores them; the app's shortcuts step
// on each): a held → never leaves its release stuck behind a pile of repeats.
TEST(InputRelay, RepeatsDoNotHoldBackTheRelease) {
  gui::InputRelay r;
  r.key(GLFW_KEY_RIGHT, 0, GLFW_PRESS, 0);
  for (int i = 0; i < 5; ++i) r.key(GLFW_KEY_RIGHT, 0, GLFW_REPEAT, 0);
  r.key(GLFW_KEY_RIGHT, 0, GLFW_RELEASE, 0);
  EXPECT_EQ(frames_until_empty(r), (std::vector<std::string>{"+Right", "~Right ~Right ~Right ~Right ~Right -Right"}));
}

// Space held is one press; its release still comes (the app plays on release).
TEST(InputRelay, SpaceHeldIsOnePress) {
  gui::InputRelay r;
  r.key(GLFW_KEY_SPACE, 0, GLFW_PRESS, 0);
  r.key(GLFW_KEY_SPACE, 0, GLFW_REPEAT, 0);
  r.key(GLFW_KEY_SPACE, 0, GLFW_REPEAT, 0);
  r.character(' ');
  r.key(GLFW_KEY_SPACE, 0, GLFW_RELEASE, 0);
  EXPECT_EQ(frames_until_empty(r), (std::vector<std::string>{"+Space ' '", "-Space"}));
}

// In the frame of a click nothing goes: the text field it activates takes keys
// from the next frame on (ImGui 1.86 ignores keys in its activation frame).
TEST(InputRelay, NothingGoesInTheFrameOfAClick) {
  gui::InputRelay r;
  r.mouse_pressed();
  type(r, 'v');
  EXPECT_EQ(frame_text(r.take_frame()), "");
  EXPECT_EQ(frames_until_empty(r), (std::vector<std::string>{"+V 'v'", "-V"}));
  EXPECT_TRUE(r.empty());
  EXPECT_EQ(frame_text(r.take_frame()), "");  // the click counted once
}

TEST(InputRelay, ModifierKeys) {
  for (int key : {GLFW_KEY_LEFT_CONTROL, GLFW_KEY_RIGHT_CONTROL, GLFW_KEY_LEFT_SHIFT, GLFW_KEY_RIGHT_SHIFT,
                  GLFW_KEY_LEFT_ALT, GLFW_KEY_RIGHT_ALT, GLFW_KEY_LEFT_SUPER, GLFW_KEY_RIGHT_SUPER})
    EXPECT_TRUE(gui::is_modifier_key(key)) << key;
  for (int key : {GLFW_KEY_A, GLFW_KEY_SPACE, GLFW_KEY_BACKSPACE, GLFW_KEY_F5})
    EXPECT_FALSE(gui::is_modifier_key(key)) << key;
}
