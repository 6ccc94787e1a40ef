#!/usr/bin/env python3
"""The window's "Equivalent view" option (View menu; --view equivalent for tests).

Run inside an X server (CTest wraps it in xvfb-run):
    equivalent_view.py CONVSCOPE PRESETS_DIR WORK_DIR
Worked example: the classic stride-2 checkerboard transpose (3×3 input, 3×3
kernel → 7×7) with the option on also shows the same arithmetic as a stride-1
conv over a 9×9 grid (the 3×3 input with one zero between cells is 5×5, padded
by dk−1−crop = 2 on each side) with the 3×3 kernel rotated, giving the same 7×7
output, in a row below the scatter. With the option off the window shows
none of it; the seed's Conv2D pane gets nothing extra; an unknown option name is
a usage error.
"""
import json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guitest import Checks, screenshot_with_state  # noqa: E402

exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))
preset = os.path.join(presets, "classic_transpose_stride2_checkerboard.json")
check = Checks()


def shot(name, *args):
    return screenshot_with_state(exe, env, work, name, check, *args)


def grids(state, pane, kind):
    return [g for g in state["grids"] if g["pane"] == pane and g["kind"] == kind]


def image_info(png):
    out = subprocess.run(["identify", "-format", "%w %h %k", png], capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1]), int(out[2])


off_png, off = shot("checkerboard_off", "--step", "40", preset)
on_png, on = shot("checkerboard_on", "--step", "40", "--view", "equivalent", preset)
for name, png in (("off", off_png), ("on", on_png)):
    w, h, colours = image_info(png)
    check(f"{name}: 1600×1000 and not blank", (w, h) == (1600, 1000) and colours > 200, (w, h, colours))
diff = subprocess.run(["compare", "-metric", "AE", off_png, on_png, "null:"], capture_output=True, text=True).stderr.split()
check("the option changes many pixels", diff and float(diff[0]) > 20000, diff)

check("off: no equivalent grids", not any(g["kind"].startswith("equivalent") for g in off["grids"]), off["grids"])
ein, ek, eout = grids(on, 0, "equivalent_input"), grids(on, 0, "equivalent_kernel"), grids(on, 0, "equivalent_output")
check("on: one padded grid, one rotated kernel, one output", len(ein) == len(ek) == len(eout) == 1, on["grids"])
if ein and ek and eout:
    g = ein[0]
    # Zero-inserted coordinates: the 5×5 zero-inserted input from (0, 0), two padding cells before it.
    check("padded grid is 9×9 starting at (−2, −2)", (g["rows"], g["cols"], g["row0"], g["col0"]) == (9, 9, -2, -2), g)
    check("rotated kernel is 3×3", (ek[0]["rows"], ek[0]["cols"]) == (3, 3), ek[0])
    check("the same output, 7×7 without margins", (eout[0]["rows"], eout[0]["cols"], eout[0]["row0"]) == (7, 7, 0), eout[0])
    out = grids(on, 0, "output")[0]
    # Below the scatter row, or beside it when that gives clearly bigger cells: never over it.
    check("below or beside the scatter row", g["y"] > out["y"] + out["h"] or g["x"] > out["x"] + out["w"], (g, out))
    check("same cell size as the scatter row", abs(g["cell"] - out["cell"]) < 1e-3, (g["cell"], out["cell"]))
    right = on["canvas"]["x"] + on["canvas"]["w"]
    bottom = on["canvas"]["y"] + on["canvas"]["h"]
    check("inside the canvas", all(x["x"] + x["w"] <= right and x["y"] + x["h"] <= bottom for x in on["grids"]), on["canvas"])

_, seed = shot("seed_on", "--step", "9", "--view", "equivalent")
check("seed: the Conv2D pane gets nothing extra",
      not any(g["kind"].startswith("equivalent") for g in seed["grids"] if g["pane"] == 0), seed["grids"])
check("seed: the Conv2DTranspose pane gets a 4×4 padded grid",
      [(g["rows"], g["cols"]) for g in grids(seed, 1, "equivalent_input")] == [(4, 4)], seed["grids"])

bad = subprocess.run([exe, "--screenshot", os.path.join(work, "bad.png"), "--view", "equivalent,bogus", preset],
                     env=env, capture_output=True, text=True, timeout=30)
check("an unknown view option is a usage error", bad.returncode != 0 and not os.path.exists(os.path.join(work, "bad.png")),
      (bad.returncode, bad.stderr))
check("the session was not written", not os.path.exists(os.path.join(work, "config", "convscope", "session.json")))
check.exit()
