#!/usr/bin/env python3
"""Independent check of the golden files: recompute every case from its
scenario JSON alone, with plain loops (no torch, no tensorflow, no numpy), as the
scenario format specifies it, and compare with what the framework produced.

    python3 tests/golden/check_grouped.py            # the four golden files
    python3 tests/golden/check_grouped.py FILE...    # just these

The point is the grouped/depthwise files (torch_grouped_cases.json,
keras_grouped_cases.json): agreement proves that the scenario each generator
wrote means, under the rules below, what the framework computed. The older
files are checked too, which tests this reference itself on ~220 more results.

Rules (README "Scenario files" and issue 11):
  input   H×W×C, or C×H×W with "input_layout": "chw"; the output uses the same layout.
  groups  g ≥ 1 (default 1). conv2d: filter f is in group f // (F/g) and reads
          input channels grp·C_in/g … ; kernel [kh][kw][C_in/g][F], torch (F, C_in/g, kh, kw).
          conv2d_transpose (PyTorch only when g > 1): input channel c is in group
          c // (C_in/g) and scatters into filters grp·F/g + j; kernel [kh][kw][F/g][C_in],
          torch (C_in, F/g, kh, kw).
  depthwise_conv2d  kernel [kh][kw][C_in][M], torch (C_in·M, 1, kh, kw); output
          channel c·M + m reads input channel c only; no "groups" key.
  Keras   valid: floor((n−dk)/s)+1; same: ceil(n/s), total pad max((out−1)·s+dk−n, 0),
          floor(total/2) before. Transpose: deconv_output_length; the full scatter
          cropped by floor(max(full−out, 0)/2) before.
  PyTorch [ph, pw], per side [[t, b], [l, r]], "valid", "same" (stride 1; total
          d·(k−1), floor(total/2) before). Transpose: (n−1)·s − 2p + dk + op,
          y[i·s + t·d − p] += x[i]·K[t].

The self-test at the end re-reads the new files under plausible misreadings of
the spec (interleaved groups, depthwise order m·C_in + c, …) and requires each
to fail on some case: the files can tell those readings apart.
"""
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
NEW_FILES = ["torch_grouped_cases.json", "keras_grouped_cases.json"]
OLD_FILES = ["torch_cases.json", "keras_cases.json"]
KNOWN_KEYS = {"op", "convention", "input", "kernel", "bias", "strides", "padding", "dilation",
              "output_padding", "groups", "input_layout", "kernel_layout", "name", "description"}

# The spec as written. Each misreading in MISREADINGS flips one of these.
SPEC = {
    "groups_in_blocks": True,        # False: filter f in group f % g (interleaved)
    "depthwise_c_major": True,       # False: output channel m·C_in + c
    "same_extra_pad_after": True,    # False: the odd pad of a 'same' split goes before
    "per_side_rows_first": True,     # False: [[l, r], [t, b]]
}


class ScenarioError(Exception):
    pass


def require(cond, msg):
    if not cond:
        raise ScenarioError(msg)


def dims_of(v, depth, what):
    """Shape of a rectangular nested list of integers with `depth` levels."""
    if depth == 0:
        require(isinstance(v, int) and not isinstance(v, bool), "%s: not an integer" % what)
        return []
    require(isinstance(v, list) and v, "%s: expected a non-empty list" % what)
    inner = [dims_of(e, depth - 1, what) for e in v]
    require(all(d == inner[0] for d in inner), "%s: ragged" % what)
    return [len(v)] + inner[0]


def pair(v, default, what):
    if v is None:
        return [default, default]
    if isinstance(v, int) and not isinstance(v, bool):
        return [v, v]
    require(isinstance(v, list) and len(v) == 2 and all(isinstance(e, int) for e in v),
            "%s: expected an integer or [h, w]" % what)
    return list(v)


def read_input(scen):
    layout = scen.get("input_layout", "hwc")
    require(layout in ("hwc", "chw"), "input_layout")
    a, b, c = dims_of(scen["input"], 3, "input")
    v = scen["input"]
    if layout == "chw":
        C, H, W = a, b, c
        x = [[[v[ch][y][xx] for xx in range(W)] for y in range(H)] for ch in range(C)]
    else:
        H, W, C = a, b, c
        x = [[[v[y][xx][ch] for xx in range(W)] for y in range(H)] for ch in range(C)]
    return x, C, H, W, layout


def read_kernel(scen, op, cin, groups, reading):
    """Kernel in one internal form:
    conv2d (and depthwise):  K[f][ci][ky][kx], ci the channel within f's group;
    conv2d_transpose:        K[c][j][ky][kx], j the filter within c's group.
    Returns (K, F, kh, kw, groups)."""
    layout = scen.get("kernel_layout", "keras")
    require(layout in ("keras", "torch"), "kernel_layout")
    v = scen["kernel"]
    d = dims_of(v, 4, "kernel")
    if op == "depthwise_conv2d":
        if layout == "keras":
            kh, kw, c_k, M = d
        else:
            require(d[1] == 1 and d[0] % cin == 0, "depthwise torch kernel is (C_in·M, 1, kh, kw)")
            M, c_k, kh, kw = d[0] // cin, cin, d[2], d[3]
        require(c_k == cin, "depthwise kernel has %d channels, input %d" % (c_k, cin))

        def out_channel(c, m):
            return c * M + m if reading["depthwise_c_major"] else m * cin + c

        K = [[[[0] * kw for _ in range(kh)]] for _ in range(cin * M)]
        for c in range(cin):
            for m in range(M):
                o = out_channel(c, m)
                for ky in range(kh):
                    for kx in range(kw):
                        K[o][0][ky][kx] = (v[ky][kx][c][m] if layout == "keras"
                                           else v[c * M + m][0][ky][kx])
        return K, cin * M, kh, kw, cin

    require(cin % groups == 0, "C_in %d not divisible by groups %d" % (cin, groups))
    if layout == "keras":
        kh, kw, a, b = d
        K = [[[[v[ky][kx][i][o] for kx in range(kw)] for ky in range(kh)] for i in range(a)]
             for o in range(b)]
        a, b = b, a  # K is [outer][inner]: conv2d [F][C_in/g], transpose [C_in][F/g]
    else:
        a, b, kh, kw = d
        K = v
    if op == "conv2d":
        F = a
        require(b * groups == cin, "conv2d kernel reads %d channels per group, C_in/g = %d"
                % (b, cin // groups))
    else:
        require(a == cin, "conv2d_transpose kernel has %d input channels, input %d" % (a, cin))
        F = b * groups
    require(F % groups == 0, "F %d not divisible by groups %d" % (F, groups))
    return K, F, kh, kw, groups


def group_of(index, count, groups, reading):
    """Group of channel/filter `index` among `count` split into `groups`."""
    if reading["groups_in_blocks"]:
        return index // (count // groups)
    return index % groups


def member(grp, j, count, groups, reading):
    """Index of the j-th channel/filter of group grp (inverse of group_of)."""
    if reading["groups_in_blocks"]:
        return grp * (count // groups) + j
    return j * groups + grp


def conv_axis(conv, n, k, s, d, padding, ax, reading):
    """(output length, padding before) of a forward conv along one axis."""
    dk = d * (k - 1) + 1
    if conv == "keras":
        require(padding in ("valid", "same"), "Keras padding is 'valid' or 'same'")
        if padding == "valid":
            return ((n - dk) // s + 1 if n >= dk else 0), 0
        out = -(-n // s)
        total = max((out - 1) * s + dk - n, 0)
        return out, (total // 2 if reading["same_extra_pad_after"] else total - total // 2)
    if isinstance(padding, str):
        require(padding in ("valid", "same"), "padding")
        if padding == "valid":
            before = after = 0
        else:
            require(s == 1, "PyTorch 'same' needs stride 1")
            total = d * (k - 1)
            before = total // 2 if reading["same_extra_pad_after"] else total - total // 2
            after = total - before
    elif isinstance(padding, list) and padding and isinstance(padding[0], list):
        sides = padding[ax] if reading["per_side_rows_first"] else padding[1 - ax]
        before, after = sides
    else:
        before = after = pair(padding, 0, "padding")[ax]
    return (n + before + after - dk) // s + 1, before


def transpose_axis(conv, n, k, s, d, padding, op, ax):
    """(output length, crop before) of a transposed conv along one axis."""
    dk = d * (k - 1) + 1
    full = (n - 1) * s + dk
    if conv == "pytorch":
        p = pair(padding, 0, "padding")[ax]
        o = op[ax] if op is not None else 0
        require(o < s or o < d, "output_padding must be < stride or < dilation")
        return full - 2 * p + o, p
    require(padding in ("valid", "same"), "Keras padding is 'valid' or 'same'")
    if op is None:
        out = n * s + max(dk - s, 0) if padding == "valid" else n * s
    else:
        out = full - 2 * (dk // 2 if padding == "same" else 0) + op[ax]
    return out, max(full - out, 0) // 2


def evaluate(scen, reading=SPEC):
    """(output_shape, output) of a scenario, in the input's layout."""
    unknown = set(scen) - KNOWN_KEYS
    require(not unknown, "unknown keys %s" % sorted(unknown))
    op = scen["op"]
    conv = scen.get("convention", "keras")
    require(op in ("conv2d", "conv2d_transpose", "depthwise_conv2d"), "op")
    require(conv in ("keras", "pytorch"), "convention")
    groups = scen.get("groups", 1)
    require(isinstance(groups, int) and not isinstance(groups, bool) and groups >= 1,
            "groups must be an integer >= 1")
    require(not (op == "depthwise_conv2d" and "groups" in scen), "groups with depthwise_conv2d")
    require(not (op == "conv2d_transpose" and conv == "keras" and groups > 1),
            "Keras Conv2DTranspose has no groups")

    x, cin, H, W, layout = read_input(scen)
    K, F, kh, kw, groups = read_kernel(scen, op, cin, groups, reading)
    bias = scen.get("bias")
    if bias is not None:
        require(dims_of(bias, 1, "bias") == [F], "bias length must be %d" % F)
    strides = pair(scen.get("strides"), 1, "strides")
    dil = pair(scen.get("dilation"), 1, "dilation")
    padding = scen.get("padding", "valid" if conv == "keras" else 0)
    op_pad = scen.get("output_padding")
    if op_pad is not None:
        op_pad = pair(op_pad, 0, "output_padding")
    if conv == "keras" and op != "conv2d_transpose":
        require(not (max(strides) > 1 and max(dil) > 1), "Keras: stride > 1 with dilation > 1")

    if op == "conv2d_transpose":
        (OH, crop_y), (OW, crop_x) = [
            transpose_axis(conv, (H, W)[a], (kh, kw)[a], strides[a], dil[a], padding, op_pad, a)
            for a in (0, 1)]
        y = [[[0] * OW for _ in range(OH)] for _ in range(F)]
        fg = F // groups
        for c in range(cin):
            grp = group_of(c, cin, groups, reading)
            for j in range(fg):
                f = member(grp, j, F, groups, reading)
                for iy in range(H):
                    for ix in range(W):
                        for ky in range(kh):
                            oy = iy * strides[0] + ky * dil[0] - crop_y
                            if not 0 <= oy < OH:
                                continue
                            for kx in range(kw):
                                ox = ix * strides[1] + kx * dil[1] - crop_x
                                if 0 <= ox < OW:
                                    y[f][oy][ox] += x[c][iy][ix] * K[c][j][ky][kx]
    else:
        (OH, pad_y), (OW, pad_x) = [
            conv_axis(conv, (H, W)[a], (kh, kw)[a], strides[a], dil[a], padding, a, reading)
            for a in (0, 1)]
        y = [[[0] * OW for _ in range(OH)] for _ in range(F)]
        cg = cin // groups
        for f in range(F):
            grp = group_of(f, F, groups, reading)
            for ci in range(cg):
                c = member(grp, ci, cin, groups, reading)
                for oy in range(OH):
                    for ox in range(OW):
                        acc = 0
                        for ky in range(kh):
                            iy = oy * strides[0] - pad_y + ky * dil[0]
                            if not 0 <= iy < H:
                                continue
                            for kx in range(kw):
                                ix = ox * strides[1] - pad_x + kx * dil[1]
                                if 0 <= ix < W:
                                    acc += x[c][iy][ix] * K[f][ci][ky][kx]
                        y[f][oy][ox] += acc
    require(OH >= 1 and OW >= 1, "empty output")
    if bias is not None:
        for f in range(F):
            for row in y[f]:
                for i in range(OW):
                    row[i] += bias[f]
    if layout == "chw":
        return [F, OH, OW], y
    return [OH, OW, F], [[[y[f][oy][ox] for f in range(F)] for ox in range(OW)] for oy in range(OH)]


def load(name):
    with open(os.path.join(HERE, name)) as fh:
        return json.load(fh)


def mismatches(cases, reading):
    """Names of the cases whose recomputation under `reading` differs."""
    bad = []
    for case in cases:
        try:
            shape, out = evaluate(case["scenario"], reading)
        except ScenarioError:
            bad.append(case["name"])
            continue
        if shape != case["expected"]["output_shape"] or out != case["expected"]["output"]:
            bad.append(case["name"])
    return bad


def main(argv):
    files = argv or NEW_FILES + OLD_FILES
    failed = False
    for name in files:
        cases = load(name)
        bad = mismatches(cases, SPEC)
        for case_name in bad:
            case = next(c for c in cases if c["name"] == case_name)
            try:
                got = evaluate(case["scenario"])
            except ScenarioError as e:
                got = "error: %s" % e
            print("MISMATCH %s: %s\n  expected %s\n  got      %s"
                  % (name, case_name, case["expected"], got))
        print("%-26s %3d cases, %d mismatches" % (name, len(cases), len(bad)))
        failed |= bool(bad)

    if not argv:
        new_cases = [c for name in NEW_FILES for c in load(name)]
        for flag in SPEC:
            reading = dict(SPEC, **{flag: not SPEC[flag]})
            n = len(mismatches(new_cases, reading))
            print("misreading %-22s fails %3d of %d new cases" % (flag + "=False", n, len(new_cases)))
            if n == 0:
                print("  the new cases cannot tell this misreading from the spec")
                failed = True
    print("FAILED" if failed else "OK")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
