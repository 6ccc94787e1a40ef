#!/usr/bin/env python3
"""Guided lessons in the window (issue 12), driven by the keys a presentation
clicker sends, checked through --dump-state.

Run inside an X server (CTest wraps it in xvfb-run -s "-screen 0 1600x1000x24"):
    lessons.py CONVSCOPE PRESETS_DIR WORK_DIR
- `--lesson conv_shrinks` opens slide 1, which asks for the output shape and
  waits (not playing). A wrong answer gets the hint; 2x2 is right and the
  slide plays. (WORK_DIR/lesson_predict.png: the slide with its question.)
- PageDown / PageUp change slides; → steps (it changes slides only when presenting).
- F5 enters presenter mode (→/← change slides there), Esc leaves it.
- The slide is remembered: a window reopened on the same session shows it.
"""
import os
import shutil
import subprocess
import sys
import tempfile
from guitest import Checks, Window, click_widget, require_tools, xdo

require_tools("xdotool", "import")
exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="convscope_lessons_")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"))
session = os.path.join(tmp, "session.json")
check = Checks()


def lesson(s):
    return s["lesson"]


try:
    with Window(exe, work, "lessons", ["--lesson", "conv_shrinks", "--session", session], env) as w:
        s = w.focus()
        s = w.state(lambda s: lesson(s)["open"] and "lesson_answer" in s["widgets"])
        check("--lesson opens the lesson at slide 1", s and lesson(s)["stem"] == "conv_shrinks" and lesson(s)["slide"] == 0,
              s and lesson(s))
        check("a predicting slide waits for the answer", s and lesson(s)["waiting_for_answer"] and not s["playing"],
              s and (lesson(s), s["playing"]))
        check("the question asks for the output shape", s and "output" in lesson(s)["question"], s and lesson(s)["question"])

        # A wrong answer: the hint, still waiting.
        click_widget(s, "lesson_answer")
        xdo("type", "--delay", "60", "3x3")
        xdo("key", "Return")
        s = w.state(lambda s: lesson(s)["feedback"])
        check("a wrong answer gets the hint", s and lesson(s)["feedback"].startswith("Not yet. Hint:"), s and lesson(s))
        check("and the slide still waits", s and lesson(s)["waiting_for_answer"], s and lesson(s))
        xdo("mousemove", "--sync", "5", "995")  # no hover highlight in the picture
        subprocess.run(["import", "-window", "root", os.path.join(work, "lesson_predict.png")], check=False)

        # The right one: the slide plays its range (to step 3).
        s = w.state(lambda s: "lesson_answer" in s["widgets"])
        click_widget(s, "lesson_answer")
        w.state(lambda s: s["text_input"])
        # In one burst, as a fast typist or a slow frame delivers them: ImGui 1.86
        # acts on one key per frame and needs to see a key let go before it is
        # pressed again, so the window queues them in order (select all, clear,
        # "2x2xx", two Backspaces, Enter: "2x2").
        xdo("key", "--delay", "0", "ctrl+a", "BackSpace", "2", "x", "2", "x", "x", "BackSpace", "BackSpace", "Return")
        s = w.state(lambda s: lesson(s)["feedback"].startswith("Right"))
        check("2x2 is right", s and lesson(s)["feedback"].startswith("Right: 2×2"), s and lesson(s)["feedback"])
        s = w.state(lambda s: not s["playing"] and s["panes"][0]["cursor"] == 3, timeout=15)
        check("the slide played to its last step (3) and stopped", s and s["panes"][0]["cursor"] == 3,
              s and (s["playing"], s["panes"][0]["cursor"]))

        # Click on the canvas: the answer box no longer has the keyboard.
        xdo("mousemove", "--sync", "900", "120", "click", "1")
        xdo("key", "Next")  # PageDown
        s = w.state(lambda s: lesson(s)["slide"] == 1)
        check("PageDown: the next slide", s and lesson(s)["slide"] == 1, s and lesson(s))
        check("slide 2 shows step 3: y[0,0] = 4 in its caption", s and "y[0,0] = 4" in lesson(s)["caption"],
              s and lesson(s)["caption"])
        xdo("key", "Prior")  # PageUp
        s = w.state(lambda s: lesson(s)["slide"] == 0)
        check("PageUp: the previous slide", s and lesson(s)["slide"] == 0, s and lesson(s))
        xdo("key", "Next", "Next")
        s = w.state(lambda s: lesson(s)["slide"] == 2)
        check("PageDown twice: slide 3", s and lesson(s)["slide"] == 2, s and lesson(s))
        xdo("key", "space")  # pause whatever slide 3 is playing
        s = w.state(lambda s: not s["playing"])
        before = s["panes"][0]["cursor"]
        xdo("key", "Right")
        s = w.state(lambda s: s["panes"][0]["cursor"] != before)
        check("→ outside presenter mode steps, the slide stays",
              s and lesson(s)["slide"] == 2 and s["panes"][0]["cursor"] != before, s and (lesson(s), before))

        # Presenter mode.
        xdo("key", "F5")
        s = w.state(lambda s: lesson(s)["presenter"])
        check("F5: presenter mode", s and lesson(s)["presenter"], s and lesson(s))
        s = w.state(lambda s: s["window"][0] >= 1600 and "presenter_step" in s["widgets"])
        check("presenter mode fills the screen and shows the step line",
              s and s["window"] == [1600, 1000] and "presenter_step" in s["widgets"], s and s["window"])
        xdo("key", "Right")
        s = w.state(lambda s: lesson(s)["slide"] == 3)
        check("→ in presenter mode: the next slide", s and lesson(s)["slide"] == 3, s and lesson(s))
        xdo("key", "Left")
        s = w.state(lambda s: lesson(s)["slide"] == 2)
        check("← in presenter mode: the previous slide", s and lesson(s)["slide"] == 2, s and lesson(s))
        xdo("key", "Escape")
        s = w.state(lambda s: not lesson(s)["presenter"])
        check("Esc leaves presenter mode", s and not lesson(s)["presenter"], s and lesson(s))
        s = w.state(lambda s: s["window"][0] < 1600 or "presenter_step" not in s["widgets"])
        check("and the window comes back", s and "presenter_step" not in s["widgets"], s and s["window"])
        xdo("key", "ctrl+q")
        w.proc.wait(timeout=10)
        check("quits cleanly", w.proc.returncode == 0, w.errors())

    # The session remembers the lesson and its slide.
    with Window(exe, work, "lessons_again", ["--session", session], env) as w:
        s = w.state(lambda s: s["grids"] and lesson(s)["open"])
        check("the session reopens the lesson at slide 3", s and lesson(s)["stem"] == "conv_shrinks" and lesson(s)["slide"] == 2,
              s and lesson(s))
finally:
    shutil.rmtree(tmp, ignore_errors=True)
check.exit()
