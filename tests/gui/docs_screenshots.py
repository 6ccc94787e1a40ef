#!/usr/bin/python3
"""The README's canvas screenshots (issue 9), regenerated: run inside an X server
(scripts/docs_screenshots wraps it in xvfb-run).

    docs_screenshots.py CONVSCOPE OUT_DIR

Writes the scenarios it shows (OUT_DIR/*.json, so a reader can open them) and:
  three_panes_decimals.png   three panes of 6×6 grids of decimals, 1600×1000
  equivalent_1024.png        the Equivalent view of a stride-2 transpose, 1024×700
  zoom_64x64.png             a 64×64 input zoomed on its centre (the wheel, as a user would)
  input_1x64.png             a 1×64 input
  pytorch_pane.png           a PyTorch pane: C×H×W, x[c,y,x], w[f,c,ky,kx]
  matrix_transpose.png       the Conv matrix panel of a transpose (Cᵀ)
and checks from each window's own layout data (--dump-state) that every grid
whose cells are legible has all its values drawn. Exits 1 on a failed check."""
import json
import math
import os
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guitest import Checks, Window, poll_state, require_tools, xdo  # noqa: E402

exe, out = os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])
os.makedirs(out, exist_ok=True)
require_tools("xdotool", "import")
check = Checks()
work = tempfile.mkdtemp(prefix="convscope_docs_")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))


def decimals(h, w, c=1, seed=1.7):
    """An image-like input: values in −1…1 with two decimals, H×W×C."""
    return [[[round(math.sin((((y * w) + x) * c + k) * seed) * 100) / 100 for k in range(c)] for x in range(w)]
            for y in range(h)]


def kernel(k, c_in=1, f=1, seed=2.3):
    return [[[[round(math.cos((((ky * k) + kx) * c_in + ci) * f * seed + fi) * 100) / 100 for fi in range(f)]
              for ci in range(c_in)] for kx in range(k)] for ky in range(k)]


def scenario(file_name, **fields):
    path = os.path.join(out, file_name + ".json")
    text = json.dumps(fields, ensure_ascii=False, indent=1)
    if len(text) > 8000:  # a 64×64 input: one line, not 4096 of them
        text = json.dumps(fields, ensure_ascii=False)
    with open(path, "w") as fh:
        fh.write(text + "\n")
    return path


def legible_grids_show_values(state, what):
    grids = state["grids"]
    bad = [g for g in grids if g["cell"] >= g["legible_cell"] and g["values_drawn"] != g["visible_cells"]]
    check(what + ": every legible grid shows all its values", grids and not bad, bad)


def screenshot(name, files, size, step, view=None):
    """--screenshot, then the same window once more with --dump-state for its layout data."""
    png = os.path.join(out, name + ".png")
    args = ["--window-size", str(size[0]), str(size[1]), "--step", str(step)] + (["--view", view] if view else [])
    subprocess.run([exe, "--screenshot", png, *args, *files], env=env, check=True, stderr=subprocess.DEVNULL)
    with Window(exe, work, name, [*args, *files], env=env) as w:
        s = w.state(lambda s: s["grids"] and s["window"] == list(size))
        check(name + ": window state", s is not None)
        if s:
            legible_grids_show_values(s, name)
    print("wrote " + png)
    return s


three = [scenario("decimals_conv_a", name="Conv2D on image values", op="conv2d", input=decimals(6, 6),
                  kernel=kernel(3)),
         scenario("decimals_conv_b", name="Conv2D, same padding", op="conv2d", padding="same",
                  input=decimals(6, 6, seed=0.9), kernel=kernel(3, seed=1.1)),
         scenario("decimals_transpose", name="Conv2DTranspose, stride 2", op="conv2d_transpose", strides=[2, 2],
                  input=decimals(3, 3, seed=0.7), kernel=kernel(2, seed=0.4))]
screenshot("three_panes_decimals", three, (1600, 1000), 20)

presets = os.path.join(os.path.dirname(exe), "assets", "presets")
checkerboard = os.path.join(presets, "classic_transpose_stride2_checkerboard.json")
screenshot("equivalent_1024", [checkerboard], (1024, 700), 14, "equivalent")

wide = scenario("input_1x64", name="A 1×64 signal", description="one row of 64 values through a 1×3 kernel",
                op="conv2d", input=decimals(1, 64), kernel=[[[[0.25]], [[0.5]], [[0.25]]]])
screenshot("input_1x64", [wide], (1600, 1000), 40)

torch = scenario("pytorch_pane", name="PyTorch: 2 channels, 2 filters", op="conv2d", convention="pytorch",
                 input_layout="chw", kernel_layout="torch", padding=[1, 1],
                 input=[[[round(math.sin((c * 16 + y * 4 + x) * 1.3), 1) for x in range(4)] for y in range(4)]
                        for c in range(2)],
                 kernel=[[[[round(math.cos((f * 18 + c * 9 + ky * 3 + kx) * 0.8), 1) for kx in range(3)]
                           for ky in range(3)] for c in range(2)] for f in range(2)])
screenshot("pytorch_pane", [torch], (1600, 1000), 30)

screenshot("matrix_transpose", [os.path.join(presets, "seed_conv2d_transpose.json")], (1600, 1000), 6, "matrix")

# A 64×64 input zoomed on its centre: the wheel over the input grid, as a user would.
big = scenario("input_64x64", name="A 64×64 image", description="zoomed on its centre with the mouse wheel",
               op="conv2d", input=decimals(64, 64), kernel=kernel(3))
with Window(exe, work, "zoom", ["--window-size", "1600", "1000", "--step", "4000", big], env=env) as w:
    s = w.focus()
    g = next(g for g in s["grids"] if g["kind"] == "input")
    check("64×64 at fit: a heatmap", not g["values"], g)
    cx, cy = int(g["x"] + g["w"] / 2), int(g["y"] + g["h"] / 2)
    xdo("mousemove", "--sync", str(cx), str(cy))
    def zoom_in():
        """One notch of the wheel up (zoom at the pointer); the state once the zoom has changed."""
        before = w.state()["panes"][0]["zoom"]
        xdo("click", "4")
        return w.state(lambda s: s["panes"][0]["zoom"] > before, timeout=5)

    for _ in range(40):
        s = zoom_in()
        g = next(g for g in s["grids"] if g["kind"] == "input")
        if g["values"]:
            break
    s = zoom_in()  # one notch more: numbers a size above the floor
    # The pointer off the grids and menus: no hover box over the numbers.
    xdo("mousemove", "--sync", str(int(s["canvas"]["x"] + s["canvas"]["w"] - 30)), str(int(s["canvas"]["y"] + 30)))
    time.sleep(0.5)
    s = w.state()
    g = next(g for g in s["grids"] if g["kind"] == "input")
    check("64×64 zoomed: the input shows its numbers", g["values"] and g["values_drawn"] == g["visible_cells"], g)
    legible_grids_show_values(s, "zoom_64x64")
    win = subprocess.run(["xdotool", "search", "--sync", "--pid", str(w.proc.pid)], capture_output=True, text=True,
                         timeout=10).stdout.split()[0]
    png = os.path.join(out, "zoom_64x64.png")
    subprocess.run(["import", "-window", win, png], check=True)
    print("wrote " + png)

check.exit()
