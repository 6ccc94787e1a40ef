#!/usr/bin/env python3
"""Sessions that survive (issue 8), in the window under Xvfb.

Run inside an X server (CTest wraps it in xvfb-run -s "-screen 0 1600x1000x24"):
    session_survival.py CONVSCOPE PRESETS_DIR WORK_DIR
Each window reads and saves its own session (--session):
1. a pane that refers to a folder as its file, 2. a value nested 70 000 lists
   deep: the session is moved to session.json.bad, one warning line on stderr,
   the status line says so in red, the seed's two panes open, and quitting
   writes a fresh session;
3. a pane whose origin is a folder loads as it was saved;
4. "window": [100000, 100000] opens a window no larger than the 1600×1000 screen;
5. an edit (7 typed into x[0,0]) then SIGTERM at once: exit 0, the next start shows 7;
6. an edit then SIGKILL 2.5 s later (no chance to save at exit): the debounced save had it;
7. SIGINT and SIGHUP also save (the cursor moved by → is there).
"""
import json, os, signal, subprocess, sys, tempfile, time
from guitest import Checks, Window, cell_centre, click_at, require_tools, xdo

require_tools("xdotool")
exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="convscope_sessions_")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"), XDG_DATA_HOME=os.path.join(tmp, "data"))
check = Checks()
seed = json.load(open(os.path.join(presets, "seed_conv2d.json")))


def session_file(name, content):
    path = os.path.join(tmp, name, "session.json")
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(content if isinstance(content, str) else json.dumps(content))
    return path


def quit_window(w):
    xdo("key", "ctrl+q")
    return w.proc.wait(timeout=15)


def unreadable(name, content, what):
    path = session_file(name, content)
    with Window(exe, work, name, ["--session", path], env) as w:
        s = w.state(lambda s: s["grids"])
        check(f"{what}: the seed opens", s and len(s["panes"]) == 2 and s["panes"][1]["op"] == "conv2d_transpose", s and s["panes"])
        check(f"{what}: the status line says it in red",
              s and s["status_error"] and "could not be read" in s["status"] and path + ".bad" in s["status"], s and s["status"])
        check(f"{what}: moved to session.json.bad", os.path.exists(path + ".bad") and not os.path.exists(path))
        w.focus()
        rc = quit_window(w)
        errors = w.errors().splitlines()
        check(f"{what}: one warning line on stderr", len(errors) == 1 and errors[0].startswith("convscope: warning: the session"), errors)
        check(f"{what}: quits with 0 and writes a fresh session", rc == 0 and json.load(open(path))["version"] == 2, rc)


try:
    folder = os.path.join(tmp, "a_folder")
    os.makedirs(folder)
    # 1. A pane that refers to a folder (it used to abort at every start).
    unreadable("file_folder", {"version": 2, "panes": [{"file": {"path": folder, "size": 1, "hash": "0" * 16}}]},
               "a folder as a pane's file")
    # 2. 70 000-deep nesting (it used to overflow the stack at every start).
    deep = '{"version": 2, "panes": [{"scenario": {"op": "conv2d", "strides": ' + "[" * 70000 + "1" + "]" * 70000 + \
           ', "input": [[[1]]], "kernel": [[[[1]]]]}}]}'
    unreadable("deep", deep, "70 000-deep nesting")

    # 3. A folder as a pane's origin: the pane loads as saved.
    path = session_file("origin_folder", {"version": 2, "panes": [{"scenario": seed, "origin": folder, "cursor": 5}]})
    with Window(exe, work, "origin_folder", ["--session", path], env) as w:
        s = w.state(lambda s: s["grids"])
        check("a folder as origin: the pane loads at its cursor", s and len(s["panes"]) == 1 and s["panes"][0]["cursor"] == 5,
              s and s["panes"])
        check("a folder as origin: no error", s and not s["status_error"], s and s["status"])

    # 4. A 100000×100000 window in the session.
    path = session_file("huge_window", {"version": 2, "panes": [{"scenario": seed}], "window": [100000, 100000]})
    with Window(exe, work, "huge_window", ["--session", path], env) as w:
        s = w.state(lambda s: s["grids"])
        check("window [100000, 100000]: within the 1600×1000 screen",
              s and 320 <= s["window"][0] <= 1600 and 240 <= s["window"][1] <= 1000, s and s["window"])
        w.focus()
        rc = quit_window(w)
        check("window [100000, 100000]: the window answers and quits", rc == 0, (rc, w.errors()))
        saved = json.load(open(path))["window"]
        check("window [100000, 100000]: saved with the real size", saved[0] <= 1600 and saved[1] <= 1000, saved)

    # 5. An edit, then SIGTERM right away.
    path = os.path.join(tmp, "edits", "session.json")
    with Window(exe, work, "sigterm", ["--session", path], env) as w:
        s = w.focus()
        click_at(*cell_centre(s, "input", 0, 0))
        time.sleep(0.2)
        xdo("type", "--delay", "80", "7")
        time.sleep(0.2)
        xdo("key", "Return")
        s = w.state(lambda s: s["panes"][0]["input"][0] == 7)
        check("typed 7 into x[0,0]", s and s["panes"][0]["input"][0] == 7, s and s["panes"][0])
        w.proc.send_signal(signal.SIGTERM)
        rc = w.proc.wait(timeout=15)
        check("SIGTERM: exits 0", rc == 0, rc)
    with Window(exe, work, "after_sigterm", ["--session", path], env) as w:
        s = w.state(lambda s: s["grids"])
        check("SIGTERM then restart: the edit is there", s and s["panes"][0]["input"][0] == 7, s and s["panes"][0])
        # 6. Another edit; SIGKILL after the debounce delay: saved without any exit.
        w.focus()
        click_at(*cell_centre(s, "input", 0, 1))
        time.sleep(0.2)
        xdo("type", "--delay", "80", "5")
        time.sleep(0.2)
        xdo("key", "Return")
        s = w.state(lambda s: s["panes"][0]["input"][1] == 5)
        check("typed 5 into x[0,1]", s and s["panes"][0]["input"][1] == 5,
              s and (s["panes"][0]["input"], s.get("selected"), s["editor"], s["status"]))
        time.sleep(2.5)
        w.proc.kill()
        w.proc.wait()
    with Window(exe, work, "after_sigkill", ["--session", path], env) as w:
        s = w.state(lambda s: s["grids"])
        check("SIGKILL 2.5 s after an edit: the debounced save has it",
              s and s["panes"][0]["input"][0] == 7 and s["panes"][0]["input"][1] == 5, s and s["panes"][0])

    # 7. SIGINT and SIGHUP save too.
    for sig, moves in ((signal.SIGINT, 2), (signal.SIGHUP, 3)):
        with Window(exe, work, "signal_" + sig.name, ["--session", path], env) as w:
            w.focus()
            xdo("key", "Home")
            for _ in range(moves):
                xdo("key", "Right")
            s = w.state(lambda s: s["panes"][0]["cursor"] == moves - 1)
            w.proc.send_signal(sig)
            rc = w.proc.wait(timeout=15)
            saved = json.load(open(path))
            check(f"{sig.name}: exits 0 and the session holds cursor {moves - 1}",
                  rc == 0 and saved["panes"][0]["cursor"] == moves - 1, (rc, saved["panes"][0].get("cursor")))
finally:
    subprocess.run(["rm", "-rf", tmp])
check.exit()
