#!/usr/bin/env python3
"""Drives the convscope window with xdotool and checks the state it dumps.

Run inside an X server (CTest wraps it in xvfb-run):
    interact.py CONVSCOPE PRESETS_DIR WORK_DIR
Each check is a worked example on the seed Conv2D (3×3 ones ⊛ 2×2 ones, 16 steps):
→ three times is step 2; End is step 15; Home is before the first step; Space
plays; a click on output cell (1,1) jumps to its first step, 12; clicking input
cell (0,0) and typing 7 sets it, so y[0,0] becomes 7+1+1+1 = 10; Ctrl+Z undoes it.
"""
import json, os, subprocess, sys, time
from guitest import poll_state, xdo

exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
dump = os.path.join(work, "state.json")
if os.path.exists(dump):
    os.remove(dump)
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))
proc = subprocess.Popen([exe, "--dump-state", dump, os.path.join(presets, "seed_conv2d.json")], env=env)
failures = []


def state(wait_for=None, timeout=10.0):
    """The latest dumped state; with wait_for, polls until wait_for(state) holds."""
    return poll_state(dump, wait_for, timeout, proc)


def check(name, cond, s):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        print(json.dumps(s["panes"] if s else s)[:400])


def cell_centre(s, kind, y, x):
    g = next(g for g in s["grids"] if g["kind"] == kind and g["pane"] == 0)
    return (int(g["x"] + (x - g["col0"] + 0.5) * g["cell"]), int(g["y"] + (y - g["row0"] + 0.5) * g["cell"]))


try:
    s = state(lambda s: s["grids"])
    assert s, "the window never wrote its state"
    win = subprocess.run(["xdotool", "search", "--sync", "--name", "^convscope$"], capture_output=True, text=True).stdout.split()[0]
    xdo("windowfocus", "--sync", win)
    cursor = lambda s: s["panes"][0]["cursor"]
    check("starts before the first step", cursor(s) == -1, s)
    for _ in range(3):
        xdo("key", "Right")
    s = state(lambda s: cursor(s) == 2)
    check("→ ×3 is step 2", cursor(s) == 2, s)
    xdo("key", "shift+Right")
    s = state(lambda s: cursor(s) == 3)
    check("Shift+→ ends the output cell: step 3", cursor(s) == 3, s)
    xdo("key", "End")
    s = state(lambda s: cursor(s) == 15)
    check("End is the last step, 15", cursor(s) == 15, s)
    xdo("key", "Home")
    s = state(lambda s: cursor(s) == -1)
    check("Home is before the first step", cursor(s) == -1, s)
    xdo("key", "space")
    s = state(lambda s: s["playing"])
    check("Space plays", s["playing"], s)
    xdo("key", "space")
    s = state(lambda s: not s["playing"])
    check("Space pauses", not s["playing"], s)
    # Click output cell (1,1): jump to its first step.
    x, y = cell_centre(s, "output", 1, 1)
    xdo("mousemove", "--sync", str(x), str(y), "click", "1")
    s = state(lambda s: cursor(s) == 12)
    check("click on output (1,1) jumps to step 12", cursor(s) == 12, s)
    # Click input cell (0,0), type 7, Enter.
    x, y = cell_centre(s, "input", 0, 0)
    xdo("mousemove", "--sync", str(x), str(y), "click", "1")
    time.sleep(0.2)
    xdo("type", "--delay", "80", "7")
    time.sleep(0.2)
    xdo("key", "Return")
    s = state(lambda s: s["panes"][0]["input"][0] == 7)
    check("typing 7 into input (0,0) sets it", s["panes"][0]["input"][0] == 7, s)
    check("and the edit is undoable", s["panes"][0]["can_undo"], s)
    xdo("mousemove", "10", "990")
    xdo("key", "ctrl+z")
    s = state(lambda s: s["panes"][0]["input"][0] == 1)
    check("Ctrl+Z brings back 1", s["panes"][0]["input"][0] == 1, s)
    xdo("key", "ctrl+q")
    rc = proc.wait(timeout=10)
    check("Ctrl+Q quits with 0", rc == 0, s)
    check("the session was not written", not os.path.exists(os.path.join(work, "config", "convscope", "session.json")), s)
finally:
    if proc.poll() is None:
        proc.kill()
sys.exit(1 if failures else 0)
