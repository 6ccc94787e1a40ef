#!/usr/bin/python3
"""Switching a pane to Keras from the Controls (issue 9), as a user would: a click
on the Keras radio.

Run inside an X server (CTest wraps it in xvfb-run):
    convention_switch.py CONVSCOPE PRESETS_DIR WORK_DIR
Worked on paper: a 4×4 input, 3×3 kernel, stride 2.
  - PyTorch pads 1 on every side: floor((4 + 2 − 3)/2) + 1 = 2, but Keras "same"
    pads (0, 1), not (1, 1): the pane stays PyTorch and names the Keras equivalent,
    ZeroPadding2D(((1, 1), (1, 1))) + Conv2D(padding="valid"), in one line.
  - PyTorch pads (0, 1), (0, 1): Keras' own "same" split (total
    max((2 − 1)·2 + 3 − 4, 0) = 1, floor(1/2) = 0 before): the pane becomes Keras "same".
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guitest import Checks, Window, click_widget, require_tools  # noqa: E402

exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
require_tools("xdotool")
check = Checks()
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))


def scenario(name, padding):
    path = os.path.join(work, name + ".json")
    with open(path, "w") as f:
        json.dump({"op": "conv2d", "convention": "pytorch", "strides": [2, 2], "padding": padding,
                   "input": [[[float(y * 4 + x)] for x in range(4)] for y in range(4)],
                   "kernel": [[[[1.0]], [[0.0]], [[-1.0]]] for _ in range(3)]}, f)
    return path


with Window(exe, work, "refused", ["--window-size", "1600", "1000", scenario("pads_1", [1, 1])], env=env) as w:
    s = w.focus()
    click_widget(s, "keras")
    s = w.state(lambda s: s["panes"][0]["error"] != "", timeout=10)
    pane = s["panes"][0] if s else {}
    check("pads (1, 1): the pane stays PyTorch", pane.get("convention") == "pytorch", pane)
    check("pads (1, 1): the Keras equivalent in one line",
          'ZeroPadding2D(((1, 1), (1, 1))) + Conv2D(padding="valid")' in pane.get("error", "")
          and "\n" not in pane.get("error", ""), pane.get("error"))
    check("pads (1, 1): the output is still 2×2", pane.get("output_shape") == [2, 2, 1], pane.get("output_shape"))

with Window(exe, work, "same", ["--window-size", "1600", "1000", scenario("pads_same", [[0, 1], [0, 1]])], env=env) as w:
    s = w.focus()
    click_widget(s, "keras")
    s = w.state(lambda s: s["panes"][0]["convention"] == "keras", timeout=10)
    pane = s["panes"][0] if s else {}
    check("pads (0, 1), (0, 1): the pane becomes Keras", pane.get("convention") == "keras", pane)
    check("… with no message", pane.get("error") == "", pane.get("error"))
    check("… and the same 2×2 output", pane.get("output_shape") == [2, 2, 1], pane.get("output_shape"))
    check("… and its undo entry", pane.get("can_undo") is True, pane)

check.exit()
