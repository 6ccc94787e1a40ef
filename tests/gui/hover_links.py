#!/usr/bin/env python3
"""Hover links in the window (issue 12): the pointer over a cell lights what it
is linked to, the dumped state says which cells, and P pins it.

Run inside an X server (CTest wraps it in xvfb-run):
    hover_links.py CONVSCOPE PRESETS_DIR WORK_DIR
Worked examples, on paper:
  - pane 0, Conv2D 5×5, 3×3 kernel, "same" (one cell of padding per side):
    output y[0,1] reads rows −1…1, columns 0…2: 9 inputs, 9 weights, 3 are padding;
    input x[2,2] is read by the 9 windows of outputs y[1…3, 1…3].
  - pane 1, the seed Conv2DTranspose (2×2 ones stamping a 2×2 kernel):
    weight w[0,0] takes part in 4 products, input (y, x) landing on (y, x).
  - P pins the kernel tap while the pointer moves on; P again lets it follow.
  - The checkerboard transpose (3×3 kernel, stride 2): the controls' "Overlap map"
    turns the map on, its "Fix: kernel 4" sets a 4×4 kernel.
  - A 6×6 Conv2D, 3×3, stride 2 (docs/round_trip.json): "Round trip" adds the
    transpose with output_padding 1, and the 6×6 shape comes back.
"""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guitest import Checks, Window, cell_centre, click_widget, require_tools, xdo  # noqa: E402

require_tools("xdotool")
exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(work, "config"))
check = Checks()
files = [os.path.join(presets, "classic_conv2d_same_padding.json"), os.path.join(presets, "seed_conv2d_transpose.json")]


def hover(w, s, kind, y, x, pane, target):
    px, py = cell_centre(s, kind, y, x, pane)
    xdo("mousemove", "--sync", str(px), str(py))
    return w.state(lambda st: st["hover"]["target"] == target and st["hover"]["pane"] == pane and "summary" in st["hover"])


def cells(h, key):
    return {tuple(c[:2]) for c in h.get(key, [])}


with Window(exe, work, "hover", ["--window-size", "1600", "1000", *files], env=env) as w:
    s = w.focus()

    st = hover(w, s, "output", 0, 1, 0, "out:0,1,0")
    h = st["hover"] if st else {}
    check("output cell: 9 products, 3 on padding", h.get("products") == 9 and h.get("padding") == 3, h)
    check("output cell: the summary counts them", h.get("summary") == "9 inputs, 9 weights, 3 are padding", h.get("summary"))
    want = {(y, x) for y in (-1, 0, 1) for x in (0, 1, 2)}
    check("output cell: its window over the padded input", cells(h, "inputs") == want, h.get("inputs"))
    check("output cell: every kernel tap", {tuple(t[:2]) for t in h.get("taps", [])} == {(y, x) for y in range(3) for x in range(3)},
          h.get("taps"))

    st = hover(w, s, "input", 2, 2, 0, "in:2,2,0")
    h = st["hover"] if st else {}
    check("input cell: read by 9 windows", h.get("products") == 9, h)
    check("input cell: the outputs y[1…3, 1…3]", cells(h, "outputs") == {(y, x) for y in (1, 2, 3) for x in (1, 2, 3)},
          h.get("outputs"))

    st = hover(w, s, "kernel", 0, 0, 1, "kernel:0,0,0")
    h = st["hover"] if st else {}
    check("kernel tap of the transpose: one product per input cell", h.get("products") == 4, h)
    check("kernel tap: input (y, x) lands on (y, x)", cells(h, "outputs") == {(0, 0), (0, 1), (1, 0), (1, 1)}, h.get("outputs"))

    xdo("key", "p")
    st = w.state(lambda st: st["hover"]["pinned"])
    check("P pins the links", st and st["hover"]["pinned"], st and st["hover"])
    px, py = cell_centre(s, "output", 1, 1, 1)
    xdo("mousemove", "--sync", str(px), str(py))
    st = w.state(lambda st: st["hover"]["target"] != "kernel:0,0,0", timeout=1.5)
    check("pinned: the pointer moving does not change them", st and st["hover"]["target"] == "kernel:0,0,0",
          st and st["hover"])

    xdo("key", "p")
    xdo("mousemove", "--sync", str(px + 1), str(py + 1))
    st = w.state(lambda st: not st["hover"]["pinned"] and st["hover"]["target"] == "out:1,1,0" and "summary" in st["hover"])
    h = st["hover"] if st else {}
    check("P again: the links follow the pointer (the centre gets 4 stamps)", h.get("products") == 4, h)
    check("no errors on stderr", "error" not in w.errors().lower(), w.errors())

checkerboard = os.path.join(presets, "classic_transpose_stride2_checkerboard.json")
with Window(exe, work, "overlap", ["--window-size", "1600", "1000", checkerboard], env=env) as w:
    s = w.focus()
    click_widget(s, "overlap_map")
    st = w.state(lambda st: st["panes"][0]["overlap_map"] and "overlap_fix" in st["widgets"])
    check("the controls turn the overlap map on", st and st["panes"][0]["overlap_map"], st and st["panes"][0])
    if st and "overlap_fix" in st["widgets"]:
        click_widget(st, "overlap_fix")
        st = w.state(lambda st: st["panes"][0]["kernel_shape"][0] == 4)
        check("Fix: kernel 4 sets a 4×4 kernel", st and st["panes"][0]["kernel_shape"][:2] == [4, 4], st and st["panes"][0])
        st = w.state(lambda st: "overlap_fix" not in st["widgets"])
        check("then the coverage is even: no fix offered", st and "overlap_fix" not in st["widgets"], st and st["widgets"])

round_trip = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), "docs", "round_trip.json")
with Window(exe, work, "round_trip", ["--window-size", "1600", "1000", round_trip], env=env) as w:
    s = w.focus()
    click_widget(s, "round_trip")
    st = w.state(lambda st: st["round_trip"]["open"] and len(st["panes"]) == 2)
    rt = st["round_trip"] if st else {}
    check("Round trip adds the transpose", st and st["panes"][1]["op"] == "conv2d_transpose", st and st["panes"])
    check("the 6×6 shape comes back, with output_padding", rt.get("shape_restored") and rt.get("output_padding_needed")
          and st["panes"][1]["output_shape"] == [6, 6, 1], rt)
    check("the values do not", rt.get("max_difference", 0) > 0, rt)
check.exit()
