#!/usr/bin/env python3
"""Drives the Export panel (Ctrl+E) with xdotool and checks the files it writes.

Run inside an X server (CTest wraps it in xvfb-run):
    export_panel.py CONVSCOPE PRESETS_DIR WORK_DIR
On the seed Conv2D (3×3 ⊛ 2×2 → 2×2 output): Ctrl+E opens the panel; animated
GIF, one frame per cell, output path <tmp>/seed.gif, Export → a GIF89a of 4
frames (one per output cell) with the usual permissions (0644 under umask 022,
not mkstemp's 0600). Then the path /proc/convscope_nope/x.gif → Export shows a
red error naming the path, the app keeps running, and seed.gif is untouched and
no partial file is left behind. Widget rectangles and the panel's state come
from the --dump-state JSON ("widgets", "export").
"""
import json, os, shutil, stat, subprocess, sys, tempfile, time
from guitest import poll_state, xdo

exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
dump = os.path.join(work, "state.json")
if os.path.exists(dump):
    os.remove(dump)
tmp = tempfile.mkdtemp(prefix="convscope_export_panel_")
os.umask(0o022)  # the app's exports take the umask: make the expected mode fixed
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
proc = subprocess.Popen([exe, "--dump-state", dump, os.path.join(presets, "seed_conv2d.json")], env=env)
failures = []


def state(wait_for=None, timeout=10.0):
    """The latest dumped state; with wait_for, polls until wait_for(state) holds."""
    return poll_state(dump, wait_for, timeout, proc)


def check(name, cond, s=None):
    print(("ok   " if cond else "FAIL ") + name)
    if not cond:
        failures.append(name)
        if s is not None:
            print(json.dumps(s.get("export") if isinstance(s, dict) else s)[:400])


def click(s, widget):
    r = s["widgets"][widget]
    xdo("mousemove", "--sync", str(int(r["x"] + r["w"] / 2)), str(int(r["y"] + r["h"] / 2)), "click", "1")


def set_path(path):
    """Clicks the output path field, selects all, types `path`; the state once the field holds it."""
    click(state(lambda s: "export.path" in s["widgets"]), "export.path")
    state(lambda s: s["text_input"])  # the field takes the keyboard on the frame after the click
    xdo("key", "ctrl+a")
    xdo("type", "--delay", "15", path)
    return state(lambda s: s["export"]["path"] == path)


def export():
    """Presses Export; the state once the panel is idle again with a new message.

    Waits for the message to change: the previous export's message is still shown
    until the click is handled, so "idle with a message" alone would race."""
    s = state(lambda s: "export.button" in s["widgets"])
    before = s["export"]["message"]
    done = lambda s: not s["export"]["busy"] and s["export"]["message"] not in ("", before)
    click(s, "export.button")
    after = state(done, timeout=5.0)
    if after is None or not done(after):  # a click lost under load: press once more
        click(state(lambda s: "export.button" in s["widgets"]), "export.button")
        after = state(done, timeout=15.0)
    return after


def gif_frames(data):
    """Number of image descriptors in a GIF, walking its blocks (GIF89a spec)."""
    def skip_sub_blocks(i):
        while data[i]:
            i += data[i] + 1
        return i + 1

    i = 13
    if data[10] & 0x80:  # global colour table
        i += 3 << ((data[10] & 7) + 1)
    frames = 0
    while i < len(data):
        b = data[i]
        if b == 0x3B:  # trailer
            return frames
        if b == 0x21:  # extension: label, then sub-blocks
            i = skip_sub_blocks(i + 2)
        elif b == 0x2C:  # image descriptor (9 bytes), local table, LZW code size, sub-blocks
            flags = data[i + 9]
            i += 10
            if flags & 0x80:
                i += 3 << ((flags & 7) + 1)
            i = skip_sub_blocks(i + 1)
            frames += 1
        else:
            raise ValueError("bad GIF block 0x%02x at %d" % (b, i))
    raise ValueError("GIF without a trailer")


try:
    s = state(lambda s: s["grids"])
    assert s, "the window never wrote its state"
    win = subprocess.run(["xdotool", "search", "--sync", "--name", "^convscope$"], capture_output=True, text=True).stdout.split()[0]
    xdo("windowfocus", "--sync", win)
    oh, ow = s["panes"][0]["output_shape"][:2]
    cells = oh * ow

    xdo("key", "ctrl+e")
    s = state(lambda s: s["export"]["open"] and "export.gif" in s["widgets"])
    check("Ctrl+E opens the Export panel", s["export"]["open"], s)
    click(s, "export.gif")
    s = state(lambda s: "export.per_cell" in s["widgets"])
    click(s, "export.per_cell")
    s = state(lambda s: s["export"]["frames"] == cells)
    check("GIF, one frame per cell: %d frames planned" % cells, s["export"]["frames"] == cells, s)

    # 1. A good export.
    good = os.path.join(tmp, "seed.gif")
    s = set_path(good)
    check("the path field holds " + good, s["export"]["path"] == good, s)
    s = export()
    e = s["export"]
    check("the export finishes without an error", not e["error"] and e["message"].startswith("wrote "), s)
    check("it reports the path and the frame count", good in e["message"] and "(%d frames)" % cells in e["message"], s)
    check("the status line says so", s["status"] == e["message"] and not s["status_error"], s)
    data = open(good, "rb").read() if os.path.exists(good) else b""
    check("seed.gif exists and is a GIF89a", data[:6] == b"GIF89a")
    n = gif_frames(data) if data[:6] == b"GIF89a" else -1
    check("its frame count is the output cell count, %d (got %d)" % (cells, n), n == cells)
    mode = stat.S_IMODE(os.stat(good).st_mode) if data else 0
    check("its mode is 0644, not 0600 (got %o)" % mode, mode == 0o644)

    # 2. An unwritable path: a red error, no crash, the earlier file untouched.
    bad = "/proc/convscope_nope/x.gif"
    s = set_path(bad)
    check("the path field holds " + bad, s["export"]["path"] == bad, s)
    s = export()
    e = s["export"]
    check("the panel shows an error", e["error"] and e["message"] != "", s)
    check("the error names the path", "/proc/convscope_nope" in e["message"], s)
    check("the status line shows it too, as an error", s["status"] == e["message"] and s["status_error"], s)
    check("the app is still running", proc.poll() is None)
    if shutil.which("import"):  # a picture of the panel with its error, for people
        subprocess.run(["import", "-window", "root", os.path.join(work, "export_error.png")], check=False)
    check("seed.gif is byte-identical", open(good, "rb").read() == data)
    left = sorted(f for f in os.listdir(tmp) if f != "config")
    check("no partial file left behind (%s)" % left, left == ["seed.gif"])
    s = state(lambda s: s["export"]["open"])
    check("the panel still answers", s["export"]["open"] and not s["export"]["busy"], s)

    xdo("mousemove", "10", "990")
    xdo("key", "ctrl+q")
    rc = proc.wait(timeout=10)
    check("Ctrl+Q quits with 0", rc == 0)
finally:
    if proc.poll() is None:
        proc.kill()
    shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failures else 0)
