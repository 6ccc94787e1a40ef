#!/usr/bin/env python3
"""Idle costs nothing (issue 8): the window, left alone, sleeps.

Run inside an X server (CTest wraps it in xvfb-run -s "-screen 0 1600x1000x24"):
    idle_cpu.py CONVSCOPE PRESETS_DIR WORK_DIR
The seed's two panes, not playing, nothing exported, no input: the process's CPU
time (utime + stime from /proc/PID/stat) over 10 s must stay under 2 % of one
core. Before the fix the window drew frames continuously whatever happened. Then the window must still answer: → moves the cursor.
Prints the figure: `idle cpu 0.3% of one core over 10.0 s`.
"""
import os, sys, tempfile, time
from guitest import Checks, Window, require_tools, xdo

require_tools("xdotool")
exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="convscope_idle_")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
check = Checks()
ticks = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14 and 15)


try:
    with Window(exe, work, "idle", ["--session", os.path.join(tmp, "session.json")], env) as w:
        w.focus()
        xdo("mousemove", "--sync", "5", "995")  # the pointer parked, then nothing more happens
        time.sleep(2.0)                         # ImGui's settling frames and the session's first save
        c0, t0 = cpu_seconds(w.proc.pid), time.time()
        time.sleep(10.0)
        c1, t1 = cpu_seconds(w.proc.pid), time.time()
        percent = 100.0 * (c1 - c0) / (t1 - t0)
        print(f"idle cpu {percent:.1f}% of one core over {t1 - t0:.1f} s")
        check("idle CPU under 2 % of one core", percent < 2.0, f"{percent:.1f}%")
        xdo("key", "Right")
        s = w.state(lambda s: s["panes"][0]["cursor"] == 0, timeout=5)
        check("and the window still answers", s and s["panes"][0]["cursor"] == 0, s and s["panes"][0]["cursor"])
finally:
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
check.exit()
