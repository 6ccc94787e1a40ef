#!/usr/bin/env python3
"""Monkey test: random keys, clicks, drags, wheel and typed values on every panel of the
window, checking after each batch that the app still answers.

Run inside an X server (CTest wraps it in xvfb-run, see on_xvfb.sh):
    monkey.py CONVSCOPE PRESETS_DIR WORK_DIR [--events N] [--seed S] [--kinds K,...]
    monkey.py CONVSCOPE PRESETS_DIR WORK_DIR --replay LOG [--upto I]

Events: every shortcut (keys.cpp and README's key table) and the keys around them (Space,
arrows, Home/End, + and -, digits, '.', Escape, Enter, Tab, Backspace, Ctrl+Z/Shift+Z/Y,
Ctrl+O/S/E/A/C/V/X); clicks, double and right clicks, Ctrl+clicks (a slider becomes a
text field), drags and the wheel on the grids' cells, the canvas, the controls, timeline,
arithmetic and formula panels, the menus and the Export panel's widgets; values typed
into cell editors and fields ("7", "-2.5", "1e308", "nan", "2,5", "100000", ...); paths
typed into the Open/Save dialog and the Export panel's path field, always inside
WORK_DIR/scratch. Rectangles come from the app's --dump-state JSON ("grids", "canvas",
"widgets"); the panels around the canvas are what lies outside it.

The app runs with HOME, XDG_CONFIG_HOME, XDG_DATA_HOME and its working folder inside
WORK_DIR/scratch, on copies of the presets: nothing it saves or exports can land in the
user's files or the source tree (whose presets are checked byte-identical at the end).

Checks:
  - after every event, the process is alive: an exit with 0 (File → Quit) restarts it,
    any other end is a crash;
  - after every batch of --batch events, it answers: a probe resizes the window by a few
    pixels and the new size must show in the --dump-state file within --hang-seconds
    (2 s), else a hang is counted; after --stall-seconds more it is killed, with a gdb
    backtrace of every thread, and restarted. (A resize changes the dumped state, so the
    probe works whether the app writes the file every few frames or after each event.)
  - all along, its resident memory stays under --memory-mb: a watchdog thread reads it
    every 50 ms and kills the process past the limit;
  - its stderr has no sanitizer report (AddressSanitizer, LeakSanitizer,
    UndefinedBehaviorSanitizer "runtime error:");
  - at the end Escape, Escape, Ctrl+Q must quit it with 0 (LeakSanitizer reports at exit).

The seed chooses the events; where they land also follows the state the app dumps, so
the same seed can differ in detail between runs. The event log (WORK_DIR/monkey.jsonl,
one JSON line per event, written before it is sent) records exactly what went to the X
server, and --replay LOG sends the same again at the same pace: starts, xdotool commands,
probes (what the app made of them can still differ by a frame). The log also holds what
the app showed after each batch ("observed": status line, panes, Export panel).
Prints `monkey: N events, C crashes, S sanitizer reports, H hangs > 2 s, M over the
memory limit`; exit 0 only when all are 0, the app quit on Ctrl+Q and the source tree's
presets are unchanged.
"""
import argparse
import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from guitest import poll_state  # noqa: E402

SANITIZER_REPORT = re.compile(r"ERROR: (Address|Leak|Thread|Memory)Sanitizer|runtime error:|"
                              r"SUMMARY: UndefinedBehaviorSanitizer|hard rss limit exhausted")
SCREEN_W, SCREEN_H = 1600, 1000
# Ctrl+A in a text field, then a pause: the window hands key releases to ImGui a frame
# late, and ImGui drops characters typed while it still sees Ctrl down.
SELECT_ALL = [["key", "ctrl+a"], ["sleep", "0.1"]]
MENU_H = 18  # ImGui's main menu bar at content scale 1 (15 px font + padding)

# Shortcuts of app/gui/keys.cpp and README's key table, then the keys around them. Ctrl+Q
# is left out (a quit ends the process the batch is checking; File → Quit still happens).
SHORTCUTS = ["space", "Left", "Right", "shift+Left", "shift+Right", "Home", "End", "KP_Add",
             "KP_Subtract", "plus", "minus", "equal", "underscore", "ctrl+z", "ctrl+shift+z",
             "ctrl+y", "ctrl+o", "ctrl+s", "ctrl+e"]
OTHER_KEYS = ["0", "1", "2", "5", "9", "period", "minus", "Escape", "Return", "KP_Enter", "Tab",
              "shift+Tab", "BackSpace", "Delete", "Up", "Down", "Page_Up", "Page_Down",
              "ctrl+a", "ctrl+c", "ctrl+v", "ctrl+x", "F1", "alt+f", "shift+space"]
# How often each kind of event comes (per 100).
EVENT_WEIGHTS = {"key": 24, "click": 20, "ctrl_click": 8, "drag": 8, "wheel": 7, "edit_cell": 11, "type": 5,
                 "file_dialog": 5, "export": 7, "menu": 5}
# Values for sliders turned into text fields: sizes and counts at and past their limits.
SIZES = ["0", "1", "-1", "8", "9", "64", "65", "100", "4096", "100000", "2147483647", "2147483648", "1e9", "-5"]
VALUES = ["7", "-3", "0", "1", "2.5", "-0.125", "42", "1e3", "1e308", "-1e308", "1e309", "nan",
          "inf", "-inf", "2,5", "abc", "", "99999999999999999999", "100000", "64", "65", "8", "9",
          "0.000001", "-", ".", "1e-320", "3.14159", "4096", "2147483648", "-2147483649", "-0",
          "12abc", " 5", "0x10"]


def now():
    return time.monotonic()


def xdo_run(args, timeout=15):
    """One xdotool invocation; False when it failed or timed out (the window may be gone)."""
    try:
        return subprocess.run(["xdotool", *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                              timeout=timeout).returncode == 0
    except subprocess.TimeoutExpired:
        return False


def rss_mb(pid):
    """Resident memory of process `pid` in MB (0 once it is gone)."""
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0


def tree_digest(folder):
    h = hashlib.sha256()
    for root, dirs, files in sorted(os.walk(folder)):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(root, name)
            h.update(path.encode())
            with open(path, "rb") as f:
                h.update(f.read())
    return h.hexdigest()


class Scratch:
    """WORK_DIR/scratch: the app's home, working folder, inputs and outputs."""

    def __init__(self, work, presets):
        self.root = os.path.join(work, "scratch")
        shutil.rmtree(self.root, ignore_errors=True)
        self.home = os.path.join(self.root, "home")
        self.cwd = os.path.join(self.root, "cwd")
        self.inputs = os.path.join(self.root, "in")
        self.out = os.path.join(self.root, "out")
        for d in (self.home, self.cwd, self.inputs, self.out, os.path.join(self.inputs, "a_folder.json")):
            os.makedirs(d, exist_ok=True)
        self.presets = sorted(f for f in os.listdir(presets) if f.endswith(".json"))
        for f in self.presets:
            shutil.copy(os.path.join(presets, f), os.path.join(self.inputs, f))
        seed = open(os.path.join(presets, self.presets[0]), "rb").read()
        bad = {"empty.json": b"", "truncated.json": seed[: len(seed) // 2], "garbage.json": bytes(range(256)) * 4,
               "not_an_object.json": b"[1, 2, 3]",
               "deep.json": b'{"op": "conv2d", "strides": ' + b"[" * 70000 + b"]" * 70000 + b"}",
               "huge_stride.json": b'{"op": "conv2d", "convention": "pytorch", "input": [[[1],[1]],[[1],[1]]], '
                                   b'"kernel": [[[[1]]]], "strides": [2147483647, 2147483647], "padding": [1, 1]}'}
        for name, data in bad.items():
            with open(os.path.join(self.inputs, name), "wb") as f:
                f.write(data)
        os.mkfifo(os.path.join(self.inputs, "fifo.json"))
        docs = os.path.join(os.path.dirname(os.path.abspath(presets)), "..", "docs", "seed.png")
        if os.path.exists(docs):
            shutil.copy(docs, os.path.join(self.inputs, "image.png"))
        with open(os.path.join(self.out, "unrelated.txt"), "w") as f:
            f.write("an unrelated file in the export folder\n")

    def env(self):
        env = dict(os.environ)
        env.update(HOME=self.home, XDG_CONFIG_HOME=os.path.join(self.home, ".config"),
                   XDG_DATA_HOME=os.path.join(self.home, ".local", "share"),
                   XDG_CACHE_HOME=os.path.join(self.home, ".cache"), TMPDIR=self.root)
        return env

    def expand(self, text):
        return text.replace("{scratch}", self.root)


class App:
    """The convscope process under test, its stderr file and its window. A watchdog
    thread reads its resident memory every 50 ms and kills it past `memory_mb`, so a
    runaway allocation cannot take the machine's memory while the monkey waits."""

    def __init__(self, exe, scratch, work, dump, memory_mb):
        self.exe, self.scratch, self.work, self.dump = exe, scratch, work, dump
        self.memory_mb = memory_mb
        self.proc = None
        self.win = None
        self.starts = 0
        self.stderr_path = None
        self.stderr_seen = 0
        self.width = SCREEN_W
        self.killed_at_mb = 0  # resident MB when the watchdog killed the process, else 0

    def watch_memory(self, proc):
        while proc.poll() is None:
            rss = rss_mb(proc.pid)
            if rss > self.memory_mb:
                self.killed_at_mb = rss
                proc.kill()
                return
            time.sleep(0.05)

    def start(self, args):
        self.stop()
        self.starts += 1
        if os.path.exists(self.dump):
            os.remove(self.dump)
        self.stderr_path = os.path.join(self.work, "stderr_%d.txt" % self.starts)
        self.stderr_seen = 0
        with open(self.stderr_path, "wb") as err:
            self.proc = subprocess.Popen([self.exe, "--dump-state", self.dump, *[self.scratch.expand(a) for a in args]],
                                         cwd=self.scratch.cwd, env=self.scratch.env(), stdout=subprocess.DEVNULL,
                                         stderr=err)
        self.killed_at_mb = 0
        threading.Thread(target=self.watch_memory, args=(self.proc,), daemon=True).start()
        self.width = SCREEN_W
        self.win = None
        s = poll_state(self.dump, lambda s: s["grids"] is not None, timeout=60, proc=self.proc)
        if s is None or self.proc.poll() is not None:
            return False
        try:
            out = subprocess.run(["xdotool", "search", "--sync", "--pid", str(self.proc.pid)], capture_output=True,
                                 text=True, timeout=30).stdout.split()
        except subprocess.TimeoutExpired:
            out = []
        self.win = out[0] if out else None
        xdo_run(["keyup", "ctrl", "shift", "alt"])  # modifiers a killed run may have left down
        if self.win:
            xdo_run(["windowfocus", "--sync", self.win])
        return True

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def new_stderr(self):
        """stderr text written since the last call."""
        try:
            with open(self.stderr_path, "rb") as f:
                f.seek(self.stderr_seen)
                data = f.read()
        except OSError:
            return ""
        self.stderr_seen += len(data)
        return data.decode(errors="replace")

    def backtrace(self, path):
        """Every thread's stack of the running process, into `path` (gdb), for hang reports."""
        if shutil.which("gdb") is None:
            return
        with open(path, "w") as f:
            try:
                subprocess.run(["gdb", "-p", str(self.proc.pid), "-batch", "-ex", "thread apply all bt 30"],
                               stdout=f, stderr=subprocess.STDOUT, timeout=120)
            except subprocess.TimeoutExpired:
                f.write("gdb took more than 120 s\n")

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


class Monkey:
    def __init__(self, opt):
        self.opt = opt
        self.work = os.path.abspath(opt.work)
        os.makedirs(self.work, exist_ok=True)
        self.presets = os.path.abspath(opt.presets)
        self.scratch = Scratch(self.work, self.presets)
        self.app = App(os.path.abspath(opt.exe), self.scratch, self.work, os.path.join(self.scratch.root, "state.json"),
                       opt.memory_mb)
        self.rng = random.Random(opt.seed)
        self.events = 0
        self.crashes, self.reports, self.hangs, self.memory = [], [], [], []
        self.latencies = []
        self.state = None
        self.log = None
        self.last_event = None
        self.presets_digest = tree_digest(self.presets)

    # ---- the log ----
    def record(self, entry):
        entry["t"] = round(now() - self.t0, 3)
        self.log.write(json.dumps(entry) + "\n")
        self.log.flush()

    def finding(self, kind, what):
        where = "after event %d (log %s)" % (self.events, self.log_path)
        print("FAIL %s %s: %s" % (kind, where, what), flush=True)
        self.record({"finding": kind, "what": what, "after_event": self.events})

    # ---- app state ----
    def refresh(self):
        s = poll_state(self.app.dump)
        if s:
            self.state = s
        return self.state

    def start_app(self, args):
        self.record({"start": args})
        if not self.app.start(args):
            self.check_process("at start")
            if self.app.alive():  # running but no state or window within 60 s
                self.hangs.append("start")
                self.finding("hang", "no state dumped within 60 s of the start")
                self.app.stop()
            return False
        self.refresh()
        return True

    def random_start_args(self):
        if self.rng.random() < 0.4:
            return []  # the seed: a Conv2D and a Conv2DTranspose pane
        return ["{scratch}/in/" + self.rng.choice(self.scratch.presets)]

    # ---- checks ----
    def check_stderr(self):
        text = self.app.new_stderr()
        hits = [line for line in text.splitlines() if SANITIZER_REPORT.search(line)]
        if hits:
            self.reports.append(hits[0])
            self.finding("sanitizer report", "%s (stderr: %s)" % (hits[0].strip(), self.app.stderr_path))

    def check_process(self, when):
        """False when the process has ended: a quit, or a crash or the memory limit,
        counted here."""
        if self.app.alive():
            return True
        if self.app.proc is None:
            return False
        self.check_stderr()
        rc = self.app.proc.returncode
        if self.app.killed_at_mb:
            self.memory.append(self.app.killed_at_mb)
            self.finding("memory", "%.0f MB resident, over %d MB, %s; killed; last event %s"
                         % (self.app.killed_at_mb, self.opt.memory_mb, when, json.dumps(self.last_event)))
        elif rc == 0:
            self.record({"exit": 0, "after_event": self.events})  # File → Quit
        else:
            what = "signal %d" % -rc if rc < 0 else "exit code %d" % rc
            self.crashes.append(what)
            tail = open(self.app.stderr_path, errors="replace").read()[-1500:]
            self.finding("crash", "%s %s, last event %s; stderr %s:\n%s" % (what, when, json.dumps(self.last_event),
                                                                          self.app.stderr_path, tail))
        self.app.proc = None
        return False

    def probe(self, width=None):
        """Resizes the window by a few pixels and waits for --dump-state to show it."""
        if not self.app.alive() or not self.app.win:
            return
        if width is None:
            width = SCREEN_W - 8 if self.app.width == SCREEN_W else SCREEN_W
        self.record({"probe": width})
        self.app.width = width
        sent = now()
        xdo_run(["windowsize", self.app.win, str(width), str(SCREEN_H)])
        answered = lambda s: s["window"][0] == width
        s = poll_state(self.app.dump, answered, timeout=self.opt.hang_seconds, proc=self.app.proc)
        waited = now() - sent
        if s is not None and answered(s):
            self.latencies.append(waited)
            self.state = s
            self.observe(s, waited)
            return
        if not self.check_process("while probed"):
            return
        # Alive, and no answer within the limit: a hang. Waiting longer tells a slow answer
        # from a stall (killed, with every thread's stack) or an end (a crash, the memory
        # limit: counted as well).
        self.hangs.append(waited)
        s = poll_state(self.app.dump, answered, timeout=self.opt.stall_seconds, proc=self.app.proc)
        waited = now() - sent
        if s is not None and answered(s):
            self.finding("hang", "answered a probe after %.1f s (limit %.1f s), last event %s"
                         % (waited, self.opt.hang_seconds, json.dumps(self.last_event)))
            self.state = s
            return
        if not self.check_process("while probed"):
            self.finding("hang", "no answer to a probe for %.1f s before the process ended, last event %s"
                         % (waited, json.dumps(self.last_event)))
            return
        trace = os.path.join(self.work, "hang_%d_backtrace.txt" % self.events)
        self.app.backtrace(trace)
        self.finding("hang", "no answer to a probe in %.0f s, last event %s; killed; stacks in %s"
                     % (waited, json.dumps(self.last_event), trace))
        self.app.stop()
        self.check_stderr()
        self.app.proc = None

    def observe(self, s, waited):
        """What the app shows after a batch, in the log: for reading a run, not for replay."""
        panes = [[p.get("op"), p.get("input_shape"), p.get("kernel_shape"), p.get("output_shape"), p.get("cursor"),
                  p.get("error", "")[:80]] for p in s.get("panes", [])]
        e = s.get("export") or {}
        self.record({"observed": {"answer_s": round(waited, 3), "status": s.get("status", "")[:160],
                                  "panes": panes, "playing": s.get("playing"),
                                  "export": [e.get("open"), e.get("busy"), e.get("frames"), e.get("message", "")[:120]]}})

    # ---- where to act ----
    def regions(self):
        """Named rectangles (x, y, w, h) of what is on screen, from the latest dump."""
        s = self.state or {}
        W = (s.get("window") or [SCREEN_W, SCREEN_H])[0]
        H = (s.get("window") or [SCREEN_W, SCREEN_H])[1]
        c = s.get("canvas") or {"x": 0, "y": 0, "w": 0, "h": 0}
        r = {"window": (0, 0, W, H), "menu": (0, 0, min(W, 260), MENU_H)}
        if c["w"] > 0:
            r["canvas"] = (c["x"], c["y"], c["w"], c["h"])
            if c["x"] > 20:  # the controls fill about the upper 70 % of their panel, labels on the right
                r["controls"] = (0, MENU_H, c["x"] * 0.75, (H - MENU_H) * 0.7)
            below = c["y"] + c["h"]
            if H - below > 20:
                r["timeline_and_details"] = (c["x"], below, W - c["x"], H - below)
        for g in s.get("grids") or []:
            r["grid:%d:%s" % (g["pane"], g["kind"])] = (g["x"], g["y"], g["w"], g["h"])
        for name, w in (s.get("widgets") or {}).items():
            r["widget:" + name] = (w["x"], w["y"], w["w"], w["h"])
        export = [w for n, w in (s.get("widgets") or {}).items() if n.startswith("export.")]
        if export:  # the Export panel: around its named widgets
            x0 = min(w["x"] for w in export) - 10
            y0 = min(w["y"] for w in export) - 120
            x1 = max(w["x"] + w["w"] for w in export) + 10
            y1 = max(w["y"] + w["h"] for w in export) + 60
            r["export_panel"] = (x0, y0, x1 - x0, y1 - y0)
        return r

    def point_in(self, rect):
        x, y, w, h = rect
        px = int(x + self.rng.random() * max(w - 1, 1))
        py = int(y + self.rng.random() * max(h - 1, 1))
        return max(0, min(px, SCREEN_W - 1)), max(0, min(py, SCREEN_H - 1))

    def random_point(self):
        r = self.regions()
        names = list(r)
        weight = {"window": 3, "menu": 1, "canvas": 3, "controls": 6, "timeline_and_details": 3, "export_panel": 4}
        ws = [weight.get(n, 2 if n.startswith("grid:") else 1) for n in names]
        name = self.rng.choices(names, ws)[0]
        return name, self.point_in(r[name])

    def cell_point(self):
        grids = [g for g in (self.state or {}).get("grids") or [] if g["rows"] > 0 and g["cols"] > 0]
        if not grids:
            return None
        kinds = {"input": 4, "kernel": 3, "output": 2}
        g = self.rng.choices(grids, [kinds.get(g["kind"], 1) for g in grids])[0]
        y, x = self.rng.randrange(g["rows"]), self.rng.randrange(g["cols"])
        return g["kind"], (int(g["x"] + (x + 0.5) * g["cell"]), int(g["y"] + (y + 0.5) * g["cell"]))

    def value(self):
        if self.rng.random() < 0.3:
            return str(self.rng.choice([self.rng.randint(-9, 9), round(self.rng.uniform(-100, 100), 3)]))
        return self.rng.choice(VALUES)

    def where(self, folder):
        """WORK_DIR/scratch/FOLDER/ as the app sees it: mostly relative to its working folder
        (scratch/cwd; shorter to type), sometimes absolute."""
        return ("../%s/" if self.rng.random() < 0.75 else "{scratch}/%s/") % folder

    def open_path(self):
        names = self.scratch.presets + ["empty.json", "truncated.json", "garbage.json", "not_an_object.json",
                                        "deep.json", "huge_stride.json", "fifo.json", "a_folder.json",
                                        "missing.json", "image.png"]
        return self.where("in") + self.rng.choice(names)

    def save_path(self):
        k = self.rng.randrange(5)
        return self.rng.choice([self.where("out") + "saved_%d.json" % k, self.where("out"), self.where("in") + "fifo.json",
                                self.where("in") + "a_folder.json", "saved_%d.json" % k, "/proc/convscope_nope/x.json",
                                ""])

    def export_path(self):
        k = self.rng.randrange(4)
        out = self.where("out")
        return self.rng.choice([out + "export_%d.gif" % k, out + "export_%d.png" % k, out + "frames_%d/" % k, out,
                                out + "unrelated.txt", self.where("in") + "a_folder.json", "export_%d.gif" % k,
                                "/proc/convscope_nope/x.gif", ""])

    def typed(self, text, delay=12):
        return [["type", "--delay", str(delay), "--", text]] if text else []

    # ---- events: lists of xdotool commands ----
    def make_event(self):
        kinds = [k for k in EVENT_WEIGHTS if not self.opt.kinds or k in self.opt.kinds]
        kind = self.rng.choices(kinds, [EVENT_WEIGHTS[k] for k in kinds])[0]
        rng = self.rng
        cmds, where = [], None
        if kind == "key":
            pool = SHORTCUTS if rng.random() < 0.6 else OTHER_KEYS
            cmds = [["key", "--delay", "30", *[rng.choice(pool) for _ in range(rng.choice([1, 1, 1, 2, 3]))]]]
        elif kind == "click":
            where, (x, y) = self.random_point()
            button = rng.choices(["1", "3", "2"], [12, 2, 1])[0]
            repeat = rng.choices(["1", "2"], [6, 1])[0]
            cmds = [["mousemove", str(x), str(y)], ["click", "--repeat", repeat, "--delay", "60", button]]
        elif kind == "ctrl_click":  # a slider or drag field becomes a text field; type a value
            region = self.regions().get("controls") or self.regions().get("export_panel") or self.regions()["window"]
            x, y = self.point_in(region)
            where = "controls"
            cmds = [["mousemove", str(x), str(y)], ["keydown", "ctrl"], ["click", "1"], ["keyup", "ctrl"],
                    ["sleep", "0.1"], *SELECT_ALL, *self.typed(rng.choice(SIZES) if rng.random() < 0.6 else self.value()),
                    ["key", rng.choice(["Return", "Return", "Tab", "Escape"])]]
        elif kind == "drag":
            cell = self.cell_point() if rng.random() < 0.5 else None
            if cell:
                where, (x, y) = cell
                x2, y2 = x + rng.randint(-20, 20), y + rng.randint(-300, 300)
            else:
                where, (x, y) = self.random_point()
                x2, y2 = x + rng.randint(-400, 400), y + rng.randint(-100, 100)
            x2, y2 = max(0, min(x2, SCREEN_W - 1)), max(0, min(y2, SCREEN_H - 1))
            cmds = [["mousemove", str(x), str(y)], ["mousedown", "1"], ["sleep", "0.05"],
                    ["mousemove", str((x + x2) // 2), str((y + y2) // 2)], ["sleep", "0.05"],
                    ["mousemove", str(x2), str(y2)], ["sleep", "0.05"], ["mouseup", "1"]]
        elif kind == "wheel":
            cell = self.cell_point() if rng.random() < 0.4 else None
            where, (x, y) = cell if cell else self.random_point()
            button = rng.choice(["4", "5", "4", "5", "6", "7"])
            mods = [["keydown", "shift"]] if rng.random() < 0.15 else []
            cmds = [["mousemove", str(x), str(y)], *mods,
                    ["click", "--repeat", str(rng.randint(1, 6)), "--delay", "20", button]]
            if mods:
                cmds.append(["keyup", "shift"])
        elif kind == "edit_cell":
            cell = self.cell_point()
            if cell is None:
                return self.make_event()
            where, (x, y) = cell
            clicks = rng.choice(["1", "1", "2"])  # a click selects (then typing opens the editor); two open it
            end = rng.choices(["Return", "Escape", "Tab", None, "ctrl+z", "shortcut"], [8, 3, 2, 2, 1, 1])[0]
            cmds = [["mousemove", str(x), str(y)], ["click", "--repeat", clicks, "--delay", "60", "1"],
                    ["sleep", "0.1"], *self.typed(self.value())]
            if end == "shortcut":  # a shortcut while the editor is open, then close both
                cmds += [["key", "ctrl+s"], ["sleep", "0.1"], ["key", "Escape", "Escape"]]
            elif end:
                cmds.append(["key", end])
        elif kind == "type":  # into whatever has the keyboard
            text = self.value() if rng.random() < 0.7 else rng.choice([self.open_path(), self.save_path()])
            cmds = [*SELECT_ALL, *self.typed(text)]
            if rng.random() < 0.5:
                cmds.append(["key", "Return"])
        elif kind == "file_dialog":
            save = rng.random() < 0.5
            path = self.save_path() if save else self.open_path()
            finish = rng.choices(["Return", "Escape", None], [6, 2, 1])[0]
            cmds = [["key", "ctrl+s" if save else "ctrl+o"], ["sleep", "0.15"], *SELECT_ALL,
                    *self.typed(path)]
            if finish:
                cmds.append(["key", finish])
            where = "save dialog" if save else "open dialog"
        elif kind == "export":
            widgets = (self.state or {}).get("widgets") or {}
            if "export.path" not in widgets:
                cmds = [["key", "ctrl+e"]]
                where = "open the Export panel"
            else:
                action = rng.choices(["path_and_export", "widget", "panel", "close"], [5, 3, 4, 1])[0]
                where = "export " + action
                if action == "path_and_export":
                    r = widgets["export.path"]
                    x, y = int(r["x"] + r["w"] / 2), int(r["y"] + r["h"] / 2)
                    cmds = [["mousemove", str(x), str(y)], ["click", "1"], ["sleep", "0.1"],
                            *SELECT_ALL, *self.typed(self.export_path())]
                    button = widgets.get("export.button")
                    if button and rng.random() < 0.8:
                        bx, by = int(button["x"] + button["w"] / 2), int(button["y"] + button["h"] / 2)
                        cmds += [["sleep", "0.1"], ["mousemove", str(bx), str(by)], ["click", "1"]]
                elif action == "widget":
                    name = rng.choice(sorted(widgets))
                    x, y = self.point_in((widgets[name]["x"], widgets[name]["y"], widgets[name]["w"], widgets[name]["h"]))
                    cmds = [["mousemove", str(x), str(y)], ["click", "1"]]
                elif action == "panel":
                    x, y = self.point_in(self.regions()["export_panel"])
                    cmds = [["mousemove", str(x), str(y)], ["click", "1"]]
                else:
                    cmds = [["key", "ctrl+e"]]
        else:  # menu: open one of File, Edit, View, Panes and click somewhere in what drops down
            x = rng.choice([15, 50, 85, 125]) + rng.randint(-5, 5)
            x2, y2 = x + rng.randint(-10, 250), MENU_H + rng.randint(2, 330)
            cmds = [["mousemove", str(x), str(MENU_H // 2)], ["click", "1"], ["sleep", "0.15"],
                    ["mousemove", str(x2), str(y2)], ["sleep", "0.1"], ["click", "1"]]
            where = "menu"
        return {"kind": kind, "where": where, "xdo": cmds}

    def send(self, event):
        """Sends an event's xdotool commands. xdotool chains commands in one process, but
        `key` and `type` take every argument after them as keys or text, so each ends one."""
        self.last_event = event
        chain = []
        for c in event["xdo"]:
            chain += [self.scratch.expand(a) for a in c]
            if c[0] in ("key", "type"):
                xdo_run(chain)
                chain = []
        if chain:
            xdo_run(chain)
        time.sleep(self.opt.pause)

    # ---- runs ----
    def open_log(self, path, mode):
        self.log_path = path
        self.log = open(path, mode)
        self.t0 = now()

    def run(self):
        self.open_log(os.path.join(self.work, "monkey.jsonl"), "w")
        self.record({"seed": self.opt.seed, "events": self.opt.events, "exe": self.app.exe})
        failed_starts = 0
        next_progress = 500
        self.start_app([])
        while self.events < self.opt.events:
            if not self.app.alive():
                failed_starts = 0 if self.start_app(self.random_start_args()) else failed_starts + 1
                if failed_starts == 3:
                    print("FAIL the app did not start three times in a row; giving up", flush=True)
                    self.crashes.append("start")
                    break
                continue
            for _ in range(self.opt.batch):
                self.refresh()
                event = self.make_event()
                self.events += 1
                event["i"] = self.events
                self.record(event)
                self.send(event)
                if not self.check_process("after event %d" % self.events) or self.events >= self.opt.events:
                    break
            if self.app.alive():
                self.probe()
                self.check_stderr()
            if self.events >= next_progress:
                self.progress()
                next_progress += 500
        return self.finish()

    def replay(self):
        """Sends a log's starts, events and probes again, each event no sooner after its
        start than it was sent originally: the pace between events shapes what the window
        makes of them (which frame a key lands in)."""
        entries = [json.loads(line) for line in open(self.opt.replay)]
        self.open_log(os.path.join(self.work, "monkey_replay.jsonl"), "w")
        offset = 0.0  # replay clock minus original clock, set at each start
        for e in entries:
            if "seed" in e:
                self.record(dict(e, replay_of=os.path.abspath(self.opt.replay)))
            elif "start" in e:
                if self.opt.upto and self.events >= self.opt.upto:
                    break
                self.start_app(e["start"])
                offset = (now() - self.t0) - e["t"]
            elif "probe" in e:
                self.probe(e["probe"])
                self.check_stderr()
            elif "xdo" in e:
                if self.opt.upto and e["i"] > self.opt.upto:
                    break
                time.sleep(max(0.0, e["t"] + offset - (now() - self.t0)))
                self.events += 1
                self.record(e)
                if self.app.alive():
                    self.send(e)
                    self.check_process("after event %d" % e["i"])
        return self.finish()

    def progress(self):
        lat = sorted(self.latencies) or [0]
        print("... %d events, %d starts, probe answered in median %.2f s, max %.2f s" %
              (self.events, self.app.starts, lat[len(lat) // 2], lat[-1]), flush=True)

    def quit_app(self):
        """Escape, Escape, Ctrl+Q: True when the app quit with 0 (or had already ended);
        its exit code and LeakSanitizer's report at exit are checked."""
        if not self.app.alive():
            return True
        xdo_run(["key", "--delay", "100", "Escape", "Escape"])
        xdo_run(["mousemove", "5", str(SCREEN_H - 5)])
        self.record({"quit": "ctrl+q"})
        xdo_run(["key", "ctrl+q"])
        try:
            self.app.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            print("FAIL the app did not quit on Escape, Escape, Ctrl+Q within 30 s; killed (last event %s)"
                  % json.dumps(self.last_event), flush=True)
            self.app.stop()
            self.check_stderr()
            return False
        crashes = len(self.crashes) + len(self.memory)
        self.check_process("at the final Ctrl+Q")
        return len(self.crashes) + len(self.memory) == crashes

    def finish(self):
        quit_ok = self.quit_app()
        self.app.stop()
        self.progress()
        untouched = tree_digest(self.presets) == self.presets_digest
        if not untouched:
            print("FAIL the source tree's presets changed during the run: %s" % self.presets, flush=True)
        line = ("monkey: %d events, %d crashes, %d sanitizer reports, %d hangs > %g s, %d over the memory limit"
                % (self.events, len(self.crashes), len(self.reports), len(self.hangs), self.opt.hang_seconds,
                   len(self.memory)))
        failed = self.crashes or self.reports or self.hangs or self.memory or not untouched or not quit_ok
        self.record({"result": line})
        self.log.close()
        print(line + ("  (log %s)" % self.log_path if failed else ""), flush=True)
        if not failed:
            shutil.rmtree(self.scratch.root, ignore_errors=True)
        return 1 if failed else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("exe")
    ap.add_argument("presets")
    ap.add_argument("work")
    ap.add_argument("--events", type=int, default=2000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--batch", type=int, default=10, help="events between two probes")
    ap.add_argument("--pause", type=float, default=0.02, help="seconds after each event")
    ap.add_argument("--hang-seconds", type=float, default=2.0)
    ap.add_argument("--stall-seconds", type=float, default=30.0, help="when a hung app is killed")
    ap.add_argument("--memory-mb", type=int, default=2048)
    ap.add_argument("--kinds", type=lambda t: set(t.split(",")), default=set(),
                    help="only these kinds of event, e.g. export,file_dialog (default: all)")
    ap.add_argument("--replay", help="a monkey.jsonl log to send again")
    ap.add_argument("--upto", type=int, default=0, help="with --replay: stop after this event")
    opt = ap.parse_args()
    if shutil.which("xdotool") is None:
        sys.exit("monkey: xdotool is missing (scripts/setup installs it)")
    m = Monkey(opt)
    try:
        sys.exit(m.replay() if opt.replay else m.run())
    finally:
        m.app.stop()


if __name__ == "__main__":
    main()
