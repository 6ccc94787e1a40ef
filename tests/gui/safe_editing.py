#!/usr/bin/env python3
"""Safe saving and editing (issue 8), in the window under Xvfb.

Run inside an X server (CTest wraps it in xvfb-run -s "-screen 0 1600x1000x24"):
    safe_editing.py CONVSCOPE PRESETS_DIR WORK_DIR
On the seed's two panes (Conv2D 3×3 ones ⊛ 2×2 ones, and its transpose):
1. typing "2,5" into x[0,0] is refused in red ("use a point: 2.5"), x[0,0] stays 1,
   Escape closes the editor;
2. Ctrl+Z with a half-typed value undoes the last edit (the editor lets it through);
3. "Remove" takes the transpose pane away, Ctrl+Z brings it back with its values;
4. Ctrl+S proposes $XDG_DATA_HOME/convscope/seed_conv2d.json (not the installed
   preset), Enter saves there; Ctrl+S again on that file asks before replacing it —
   Enter does not replace it, only the Replace button does;
5. the program's own preset path is refused in red;
6. nine quick edits (click, digit, Enter 50 ms apart) each land in their own cell;
7. Ctrl+Q quits while the cell editor is open.
"""
import json, os, shutil, subprocess, sys, tempfile, time
from guitest import Checks, Window, cell_centre, click_at, click_widget, require_tools, xdo

require_tools("xdotool")
exe, presets, work = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(work, exist_ok=True)
tmp = tempfile.mkdtemp(prefix="convscope_editing_")
data = os.path.join(tmp, "data")
env = dict(os.environ, XDG_CONFIG_HOME=os.path.join(tmp, "config"), XDG_DATA_HOME=data)
check = Checks()
x00 = lambda s: s["panes"][0]["input"][0]


def type_into_cell(w, s, y, x, text):
    click_at(*cell_centre(s, "input", y, x))
    time.sleep(0.2)
    xdo("type", "--delay", "80", text)
    return w.state(lambda s: s["editor"]["open"] and s["editor"]["text"] == text)


try:
    with Window(exe, work, "editing", ["--session", os.path.join(tmp, "session.json")], env) as w:
        s = w.focus()
        check("the seed's two panes", len(s["panes"]) == 2, s["panes"])

        # 1. A decimal comma.
        s = type_into_cell(w, s, 0, 0, "2,5")
        check("the editor holds 2,5 as typed", s and s["editor"]["text"] == "2,5", s and s["editor"])
        xdo("key", "Return")
        s = w.state(lambda s: s["editor"]["error"])
        check("2,5 is refused: use a point: 2.5",
              s and s["editor"]["error"] == "use a point: 2.5" and s["status_error"] and s["status"] == "use a point: 2.5",
              s and (s["editor"], s["status"]))
        check("x[0,0] is still 1 (not 25)", s and x00(s) == 1, s and s["panes"][0]["input"])
        xdo("key", "Escape")
        s = w.state(lambda s: not s["editor"]["open"])
        check("Escape closes the editor", s and not s["editor"]["open"], s and s["editor"])

        # 2. Ctrl+Z while a value is half typed.
        s = type_into_cell(w, s, 0, 0, "4")
        xdo("key", "Return")
        s = w.state(lambda s: x00(s) == 4)
        check("typed 4 into x[0,0]", s and x00(s) == 4, s and s["panes"][0]["input"])
        s = type_into_cell(w, s, 0, 1, "9")
        check("the editor is open on x[0,1]", s and s["editor"]["open"], s and s["editor"])
        xdo("key", "ctrl+z")
        s = w.state(lambda s: not s["editor"]["open"] and x00(s) == 1)
        check("Ctrl+Z closes the editor and undoes the 4",
              s and not s["editor"]["open"] and x00(s) == 1 and s["panes"][0]["input"][1] == 1, s and (s["editor"], s["panes"][0]["input"]))

        # 3. Remove a pane, undo it.
        xdo("key", "ctrl+y")  # redo: x[0,0] = 4 again, then remove the transpose pane
        s = w.state(lambda s: x00(s) == 4)
        transpose = s["panes"][1]
        xdo("mousemove", "--sync", "10", "990")
        click_at(*cell_centre(s, "input", 0, 0, pane=1))  # focus the transpose pane
        s = w.state(lambda s: s["focused"] == 1)
        xdo("key", "Escape")
        click_widget(s, "remove_pane")
        s = w.state(lambda s: len(s["panes"]) == 1)
        check("Remove takes the transpose pane away", s and len(s["panes"]) == 1 and s["can_restore_pane"], s and s["panes"])
        check("and says how to get it back", s and "Ctrl+Z" in s["status"], s and s["status"])
        xdo("mousemove", "--sync", "10", "990")
        xdo("key", "ctrl+z")
        s = w.state(lambda s: len(s["panes"]) == 2)
        check("Ctrl+Z restores it in its place",
              s and len(s["panes"]) == 2 and s["panes"][1]["op"] == "conv2d_transpose" and s["panes"][1]["input"] == transpose["input"],
              s and s["panes"])
        check("the other pane's edit is untouched", s and x00(s) == 4, s and s["panes"][0]["input"])

        # 4. Save: the user's data folder, then a question before replacing.
        click_at(*cell_centre(s, "input", 1, 1, pane=0))  # focus pane 0 (origin: the installed preset)
        xdo("key", "Escape")
        s = w.state(lambda s: s["focused"] == 0)
        xdo("key", "ctrl+s")
        target = os.path.join(data, "convscope", "seed_conv2d.json")
        s = w.state(lambda s: s["file_dialog"]["open"] and s["text_input"])
        check("Ctrl+S proposes the data folder, not the installed preset",
              s and s["file_dialog"]["save"] and s["file_dialog"]["path"] == target, s and s["file_dialog"])
        xdo("key", "Return")
        s = w.state(lambda s: not s["file_dialog"]["open"])
        check("Enter saves a new file", s and os.path.exists(target) and s["status"] == "saved " + target, s and s["status"])
        check("with the edit in it", json.load(open(target))["input"][0][0] == [4])
        before = open(target).read()
        s = type_into_cell(w, s, 0, 0, "6")
        xdo("key", "Return")
        s = w.state(lambda s: x00(s) == 6)
        xdo("key", "ctrl+s")
        s = w.state(lambda s: s["file_dialog"]["open"] and s["text_input"])
        check("Ctrl+S again proposes that file", s and s["file_dialog"]["path"] == target, s and s["file_dialog"])
        xdo("key", "Return")
        s = w.state(lambda s: s["file_dialog"]["confirm_overwrite"])
        check("it exists: the dialog asks", s and s["file_dialog"]["confirm_overwrite"] == target and s["file_dialog"]["open"],
              s and s["file_dialog"])
        xdo("key", "Return")
        time.sleep(0.5)
        check("a second Enter does not replace it", open(target).read() == before)
        s = w.state(lambda s: "file.replace" in s["widgets"])
        click_widget(s, "file.replace")
        s = w.state(lambda s: not s["file_dialog"]["open"])
        check("Replace replaces it", s and json.load(open(target))["input"][0][0] == [6], s and s["status"])

        # 5. The program's own preset is refused.
        own = os.path.join(os.path.dirname(os.path.abspath(exe)), "assets", "presets", "seed_conv2d.json")
        own_before = open(own).read()
        xdo("key", "ctrl+s")
        s = w.state(lambda s: s["file_dialog"]["open"] and s["text_input"])
        xdo("key", "ctrl+a")
        xdo("type", "--delay", "10", own)
        s = w.state(lambda s: s["file_dialog"]["path"] == own)
        xdo("key", "Return")
        s = w.state(lambda s: s["status_error"])
        check("the installed preset is refused in red",
              s and s["status_error"] and "one of convscope's own files" in s["status"] and open(own).read() == own_before,
              s and s["status"])
        xdo("key", "Escape")
        s = w.state(lambda s: not s["file_dialog"]["open"])

        # 6. Quick edits (click, digit, Enter 50 ms apart): each lands in its own cell.
        lost = []
        for i in range(9):
            y, x = divmod(i, 3)
            click_at(*cell_centre(s, "input", y, x))
            time.sleep(0.05)
            xdo("type", "--delay", "30", str(i + 1))
            time.sleep(0.05)
            xdo("key", "Return")
            s2 = w.state(lambda s: s["panes"][0]["input"][i] == i + 1, timeout=5)
            if not s2 or s2["panes"][0]["input"][i] != i + 1:
                lost.append((i, s2 and (s2["panes"][0]["input"], s2.get("selected"), s2["editor"])))
            s = s2 or s
        check("9 quick edits, each in its cell: x = 1 … 9", not lost, lost)

        # 7. Ctrl+Q with the editor open.
        s = type_into_cell(w, s, 0, 0, "3")
        check("the editor is open", s and s["editor"]["open"], s and s["editor"])
        xdo("key", "ctrl+q")
        try:
            rc = w.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            rc = None
        check("Ctrl+Q quits with the editor open", rc == 0, rc)
finally:
    shutil.rmtree(tmp, ignore_errors=True)
check.exit()
