"""Helpers shared by the Xvfb GUI tests: poll the app's --dump-state JSON, drive xdotool."""
import json
import subprocess
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


def xdo(*args):
    subprocess.run(["xdotool", *args], check=True)
