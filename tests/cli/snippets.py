#!/usr/bin/python3
"""The Formula panel's code snippets, run for real.

For every preset and golden case: `convscope snippet pytorch FILE` is executed
with Debian's python3-torch and its `y` (N×F×H×W) must equal `convscope compute
FILE` (H×W×F) to float64 rounding; `convscope snippet keras FILE` must compile
(py_compile; TensorFlow is not installable here).

usage: snippets.py CONVSCOPE SOURCE_DIR
"""
import contextlib
import glob
import io
import json
import os
import py_compile
import subprocess
import sys
import tempfile


def run(*args):
    r = subprocess.run(args, capture_output=True, text=True)
    if r.returncode != 0:
        raise SystemExit(f"{' '.join(args)} failed: {r.stderr.strip()}")
    return r.stdout


def main():
    exe, source = sys.argv[1], sys.argv[2]
    try:
        import torch  # noqa: F401 — Debian's python3-torch
    except ImportError:
        print("python3-torch is not installed (scripts/setup installs it)")
        return 77 if os.environ.get("CI") != "true" else 1
    files = sorted(glob.glob(os.path.join(source, "assets/presets/*.json")))
    # Golden cases cover the conventions, paddings, strides, dilations, output_padding, groups.
    files += sorted(glob.glob(os.path.join(source, "tests/golden/*_cases.json")))
    tmp = tempfile.mkdtemp(prefix="convscope-snippets-")
    checked = compiled = 0
    failures = []
    for f in files:
        with open(f) as fh:
            doc = json.load(fh)
        cases = doc if isinstance(doc, list) else [doc]
        for i, case in enumerate(cases):
            scenario = case.get("scenario", case)
            path = os.path.join(tmp, f"case{checked + compiled}.json")
            with open(path, "w") as fh:
                json.dump(scenario, fh)
            name = f"{os.path.basename(f)}[{i}]"
            try:
                expected = json.loads(run(exe, "compute", path))
            except SystemExit:
                continue  # a case the core rejects on purpose
            code = run(exe, "snippet", "pytorch", path)
            ns = {}
            with contextlib.redirect_stdout(io.StringIO()):
                try:
                    exec(compile(code, name, "exec"), ns)
                except SystemExit as e:
                    failures.append(f"{name}: the PyTorch snippet stopped: {e}")
                    continue
            y = ns["y"].detach().numpy()  # N×F×H×W
            out = expected["output"]  # H×W×F, or F×H×W for a C×H×W scenario
            if scenario.get("input_layout") == "chw":
                fch, h, w = expected["output_shape"]
                out = [[[out[c][r][q] for c in range(fch)] for q in range(w)] for r in range(h)]
            else:
                h, w, fch = expected["output_shape"]
            if tuple(y.shape) != (1, fch, h, w):
                failures.append(f"{name}: shape {tuple(y.shape)} vs convscope's {h}×{w}×{fch}")
                continue
            worst = max((abs(float(y[0, c, r, q]) - out[r][q][c]) for r in range(h) for q in range(w)
                         for c in range(fch)), default=0.0)
            scale = max((abs(v) for row in out for px in row for v in px), default=1.0) or 1.0
            if worst > 1e-9 * max(1.0, scale):
                failures.append(f"{name}: differs from convscope compute by {worst}")
            checked += 1
            keras = os.path.join(tmp, f"keras{compiled}.py")
            with open(keras, "w") as fh:
                fh.write(run(exe, "snippet", "keras", path))
            py_compile.compile(keras, doraise=True)
            compiled += 1
    # Bad input: one line on stderr, nothing on stdout, exit 2.
    preset = os.path.join(source, "assets/presets/seed_conv2d.json")
    for args in (["snippet", "tensorflow", preset], ["snippet", "pytorch", os.path.join(tmp, "missing.json")]):
        r = subprocess.run([exe, *args], capture_output=True, text=True)
        if r.returncode != 2 or r.stdout or len(r.stderr.strip().splitlines()) != 1:
            failures.append(f"{' '.join(args)}: exit {r.returncode}, stdout {r.stdout!r}, stderr {r.stderr!r}")
    print(f"{checked} PyTorch snippets equal convscope compute; {compiled} Keras snippets compile")
    for line in failures:
        print("FAIL", line)
    return 1 if failures or checked < 10 else 0


if __name__ == "__main__":
    sys.exit(main())
