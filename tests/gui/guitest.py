"""Helpers shared by the Xvfb GUI tests: poll the app's --dump-state JSON, drive xdotool."""
import json
import os
import subprocess
import sys
import time


def poll_state(dump, wait_for=None, timeout=10.0, proc=None):
    """The latest state the app dumped to `dump`; with wait_for, polls until
    wait_for(state) holds or `timeout` seconds pass (or `proc` exits)."""
    end = time.time() + timeout
    s = None
    while time.time() < end:
        try:
            with open(dump) as f:
                s = json.load(f)
            if wait_for is None or wait_for(s):
                return s
        except (OSError, ValueError, KeyError, TypeError):
            pass  # the file is being replaced, or the state lacks what wait_for reads yet
        if proc is not None and proc.poll() is not None:
            break
        time.sleep(0.05)
    return s


def screenshot_with_state(exe, env, work, name, check, *args):
    """Runs `exe --screenshot WORK/NAME.png --dump-state WORK/NAME.json ARGS` (stale files
    removed first), checks it exits 0 and returns (png path, the state JSON)."""
    png, dump = os.path.join(work, name + ".png"), os.path.join(work, name + ".json")
    for f in (png, dump):
        if os.path.exists(f):
            os.remove(f)
    rc = subprocess.run([exe, "--screenshot", png, "--dump-state", dump, *args], env=env, timeout=60).returncode
    check(name + ": exits 0", rc == 0, rc)
    with open(dump) as f:
        return png, json.load(f)


def xdo(*args):
    subprocess.run(["xdotool", *args], check=True)


class Window:
    """One convscope window started with --dump-state (and any other arguments),
    with the checks of a test script. Use as a context manager: the process is
    killed if the test leaves it running."""

    def __init__(self, exe, work, name, args=(), env=None):
        self.dump = os.path.join(work, name + ".state.json")
        if os.path.exists(self.dump):
            os.remove(self.dump)
        self.stderr_path = os.path.join(work, name + ".stderr")
        self.stderr = open(self.stderr_path, "w")
        self.proc = subprocess.Popen([exe, "--dump-state", self.dump, *args], env=env, stderr=self.stderr)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.stderr.close()

    def state(self, wait_for=None, timeout=10.0):
        return poll_state(self.dump, wait_for, timeout, self.proc)

    def focus(self):
        """Waits for the first state and gives the window the keyboard."""
        s = self.state(lambda s: s["grids"])
        assert s, "the window never wrote its state"
        win = subprocess.run(["xdotool", "search", "--sync", "--pid", str(self.proc.pid)],
                             capture_output=True, text=True, timeout=10).stdout.split()[0]
        xdo("windowfocus", "--sync", win)
        return s

    def errors(self):
        self.stderr.flush()
        with open(self.stderr_path) as f:
            return f.read()


def cell_centre(s, kind, y, x, pane=0):
    """Screen position of cell (y, x) of grid `kind` of `pane` in a dumped state."""
    g = next(g for g in s["grids"] if g["kind"] == kind and g["pane"] == pane)
    return (int(g["x"] + (x - g["col0"] + 0.5) * g["cell"]), int(g["y"] + (y - g["row0"] + 0.5) * g["cell"]))


def click_at(x, y):
    xdo("mousemove", "--sync", str(x), str(y), "click", "1")


def click_widget(s, name):
    r = s["widgets"][name]
    click_at(int(r["x"] + r["w"] / 2), int(r["y"] + r["h"] / 2))


class Checks:
    """ok/FAIL lines and the exit code of a test script."""

    def __init__(self):
        self.failures = []

    def __call__(self, name, cond, detail=""):
        print(("ok   " if cond else "FAIL ") + name + ("" if cond else "  " + str(detail)[:600]))
        if not cond:
            self.failures.append(name)
        return cond

    def exit(self):
        print(f"{len(self.failures)} failure(s)" if self.failures else "all passed")
        sys.exit(1 if self.failures else 0)


def require_tools(*tools):
    """Exits 77 (skipped) when a tool is missing — or 1 when CI=true: CI must not pass vacuously."""
    import shutil
    missing = [t for t in tools if shutil.which(t) is None]
    if missing:
        print("missing: " + ", ".join(missing))
        sys.exit(1 if os.environ.get("CI") == "true" else 77)
