#!/usr/bin/env python3
"""Long work off the UI thread (issue 8), in the window under Xvfb.

Run inside an X server (CTest wraps it in xvfb-run -s "-screen 0 1600x1000x24"):
    background_results.py CONVSCOPE PRESETS_DIR WORK_DIR
1. A 512×512 input with a 64×64 kernel, 'same': 512²·64² = 1 073 741 824
   multiply-accumulates, seconds of work. The window opens at once, its output
   grid says "computing … (1073741824 MACs)", the arrow keys step meanwhile, and
   the output arrives by itself (no event needed).
2. A 1024×1024 input with a 128×128 kernel: 1.7·10¹⁰ MACs, over the 4.3·10⁹ work
   limit. The output grid shows the core's message; End still goes to the last step.
"""
import json, os, sys, tempfile, time
from guitest import Checks, Window, require_tools, xdo

require_tools("xdotool")
exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="convscope_background_")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
check = Checks()


def scenario(n, k):
    path = os.path.join(tmp, f"same_{n}_{k}.json")
    with open(path, "w") as f:
        json.dump({"op": "conv2d", "padding": "same", "input": [[[1]] * n] * n, "kernel": [[[[1]]] * k] * k}, f)
    return path


try:
    started = time.time()
    with Window(exe, work, "computing", [scenario(512, 64)], env) as w:
        s = w.state(lambda s: s["grids"], timeout=30)
        opened = time.time() - started
        pane = s["panes"][0] if s else {}
        check(f"the window opens at once ({opened:.1f} s) with the output computing",
              pane.get("result") == "computing" and pane.get("result_message") == "computing … (1073741824 MACs)", pane)
        w.focus()
        for _ in range(3):
            xdo("key", "Right")
        s = w.state(lambda s: s["panes"][0]["cursor"] == 2, timeout=5)
        check("→ steps meanwhile (the UI thread does not wait)", s and s["panes"][0]["cursor"] == 2,
              s and (s["panes"][0]["cursor"], s["panes"][0]["result"]))
        s = w.state(lambda s: s["panes"][0]["result"] == "ready", timeout=90)
        check(f"the output arrives by itself ({time.time() - started:.1f} s)", s and s["panes"][0]["result"] == "ready",
              s and s["panes"][0])
        xdo("key", "ctrl+q")
        check("quits with 0", w.proc.wait(timeout=15) == 0)

    with Window(exe, work, "over_limit", [scenario(1024, 128)], env) as w:
        s = w.state(lambda s: s["grids"], timeout=30)
        pane = s["panes"][0] if s else {}
        check("over the work limit: the output grid says so",
              pane.get("result") == "over_limit" and pane.get("result_message", "").startswith(
                  "the full output needs 17179869184 multiply-accumulates, over the limit"), pane)
        check("and it is not an error of the window", s and not s["status_error"], s and s["status"])
        w.focus()
        xdo("key", "End")
        s = w.state(lambda s: s["panes"][0]["cursor"] == 17179869183, timeout=5)
        check("End is still the last step, 17179869183", s and s["panes"][0]["cursor"] == 17179869183, s and s["panes"][0])
        xdo("key", "ctrl+q")
        check("quits with 0", w.proc.wait(timeout=15) == 0)
finally:
    import shutil
    shutil.rmtree(tmp, ignore_errors=True)
check.exit()
