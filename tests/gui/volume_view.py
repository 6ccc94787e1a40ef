#!/usr/bin/env python3
"""The volume view in the window (README "Channels as volumes"), from its --dump-state.

Run inside an X server (CTest wraps it in xvfb-run):
    volume_view.py CONVSCOPE PRESETS_DIR WORK_DIR
Worked example: the RGB preset (5×5×3 ⊛ 3×3×3×2 → 3×3×2) at step 265 = unit 9
(output cell (1, 1) of filter 1) · 28 steps + tap 13 = (ky 1, kx 1, channel 1).
In the volume view the pane shows 3 input slices, 2 filters of 3 weight slices,
2 output slices and the 3 pulled-out current slices: 14, of which 7 carry
numbers (each stack's front and the pulled-out copies); the step lights input
(2, 2) of c1, weight (1, 1) of filter 1's slice 1 and output (1, 1) of f1, each
in its stack and on its pulled-out copy. A session pane with "volume": true opens
in the volume view; "all channels" lays out 3 + 3 + 1 readable slices.
"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guitest import Checks, screenshot_with_state  # noqa: E402

exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))
rgb = os.path.join(presets, "rgb_image_2_filters.json")
check = Checks()


def shot(name, *args):
    return screenshot_with_state(exe, env, work, name, check, *args)[1]


s = shot("volume", "--step", "265", "--view", "volume", rgb)
check("volume: the pane says so", s["panes"][0]["volume"] is True)
check("volume: the pulled-out slices are the pane's grids (hover, click, edit)",
      sorted(g["kind"] for g in s["grids"]) == ["input", "kernel", "output"], s["grids"])
check("volume: 14 slices", len(s["slices"]) == 14, len(s["slices"]))
readable = [x for x in s["slices"] if x["readable"]]
check("volume: 7 readable (fronts and pulled-out)", len(readable) == 7, readable)
check("volume: back slices colour-only", all(not x["values"] for x in s["slices"] if not x["readable"]))
check("volume: pulled-out slices show their numbers", all(x["values"] for x in s["slices"] if x["pulled"]))
lit = sorted((l["kind"], l["stack"], l["index"], l["y"], l["x"], l["pulled"]) for l in s["lit"])
want = sorted([("input", 0, 1, 2, 2, False), ("input", 0, 1, 2, 2, True),
               ("kernel", 1, 1, 1, 1, False), ("kernel", 1, 1, 1, 1, True),
               ("output", 0, 1, 1, 1, False), ("output", 0, 1, 1, 1, True)])
check("volume: lit voxels", lit == want, lit)

# From a session: the pane's "volume" flag.
session = os.path.join(work, "saved_session.json")
with open(session, "w") as f:
    json.dump({"version": 2, "panes": [{"scenario": json.load(open(rgb)), "cursor": 10, "volume": True}]}, f)
s = shot("from_session", "--session", session)
check("session: the pane opens in the volume view", s["panes"][0]["volume"] is True and len(s["slices"]) == 14,
      (s["panes"][0].get("volume"), len(s["slices"])))

s = shot("all_channels", "--step", "265", "--view", "all_channels", rgb)
check("all channels: 3 input + 3 weight + 1 output slices", len(s["slices"]) == 7, len(s["slices"]))
check("all channels: every slice readable, with numbers", all(x["readable"] and x["values"] for x in s["slices"]))

rc = subprocess.run([exe, "--view", "volumes", "--screenshot", os.path.join(work, "x.png"), rgb], env=env,
                    capture_output=True, text=True, timeout=60)
check("unknown view name: usage error naming volume", rc.returncode == 2 and "volume" in rc.stderr, rc.stderr)

check.exit()
