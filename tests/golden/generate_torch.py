#!/usr/bin/python3
"""Generate PyTorch golden cases for convscope -> torch_cases.json.

Run with Debian's interpreter (needs python3-torch, python3-numpy):
    /usr/bin/python3 tests/golden/generate_torch.py

Every case is computed by torch.nn.functional.conv2d / conv_transpose2d in
float64 with small integer data, so the expected outputs are exact.
Deterministic: a fixed-seed RNG drives all data and the random sweep.
"""
import json
import os
import random

import warnings

import torch
import torch.nn.functional as F

# padding="same" with even kernels warns about an internal padded copy; harmless.
warnings.filterwarnings("ignore", message=".*padding='same'.*")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "torch_cases.json")
SOURCE = "torch " + torch.__version__.split("+")[0]

rng = random.Random(20240611)


def rand_tensor(shape):
    n = 1
    for s in shape:
        n *= s
    vals = [float(rng.randint(-3, 3)) for _ in range(n)]
    return torch.tensor(vals, dtype=torch.float64).reshape(shape)


def int_list(t):
    """Nested list of Python ints (asserts the values are exact integers)."""
    flat = t.flatten().tolist()
    for v in flat:
        assert v == int(v), v
    return t.to(torch.int64).tolist()


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def name_of(c):
    op = "conv2d" if c["op"] == "conv2d" else "convT"
    p = c["padding"]
    if isinstance(p, str):
        ps = p
    elif isinstance(p[0], list):
        ps = "ps%d%d%d%d" % (p[0][0], p[0][1], p[1][0], p[1][1])
    else:
        ps = "p%dx%d" % tuple(p)
    parts = [
        "torch", op,
        "h%dw%dc%d" % (c["H"], c["W"], c["cin"]),
        "k%dx%df%d" % (c["kh"], c["kw"], c["f"]),
        "s%dx%d" % tuple(c["stride"]),
        "d%dx%d" % tuple(c["dilation"]),
        ps,
    ]
    if c.get("output_padding"):
        parts.append("op%dx%d" % tuple(c["output_padding"]))
    parts.append("bias" if c["bias"] else "nobias")
    parts.append(c["layout"])
    return "_".join(parts)


def run_case(c):
    """c: dict with op, H, W, cin, f, kh, kw, stride, dilation, padding,
    output_padding (transpose only, list or None), bias (bool),
    layout ("hwc" -> hwc input + keras kernel, "chw" -> chw input + torch kernel),
    optional ones=True (all-ones data), optional name."""
    H, W, cin, f, kh, kw = c["H"], c["W"], c["cin"], c["f"], c["kh"], c["kw"]
    if c.get("ones"):
        x = torch.ones((1, cin, H, W), dtype=torch.float64)
    else:
        x = rand_tensor((1, cin, H, W))
    if c["op"] == "conv2d":
        wshape = (f, cin, kh, kw)
    else:
        wshape = (cin, f, kh, kw)
    w = torch.ones(wshape, dtype=torch.float64) if c.get("ones") else rand_tensor(wshape)
    b = rand_tensor((f,)) if c["bias"] else None

    stride, dil, pad = c["stride"], c["dilation"], c["padding"]
    op_pad = c.get("output_padding")
    if c["op"] == "conv2d":
        if isinstance(pad, str):
            y = F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dil)
        elif isinstance(pad[0], list):
            (t, bo), (l, r) = pad
            y = F.conv2d(F.pad(x, (l, r, t, bo)), w, b, stride=stride, padding=0, dilation=dil)
        else:
            y = F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dil)
    else:
        y = F.conv_transpose2d(x, w, b, stride=stride, padding=pad,
                               output_padding=op_pad if op_pad else 0, dilation=dil)

    scen = {"op": c["op"], "convention": "pytorch"}
    if c["layout"] == "chw":
        scen["input"] = int_list(x[0])
        scen["kernel"] = int_list(w)
        out = y[0]
    else:
        scen["input"] = int_list(x[0].permute(1, 2, 0))
        # conv2d: OIHW -> HWIO ; conv_transpose2d: (in,out,kh,kw) -> (kh,kw,out,in)
        scen["kernel"] = int_list(w.permute(2, 3, 1, 0))
        out = y[0].permute(1, 2, 0)
    if b is not None:
        scen["bias"] = int_list(b)
    scen["strides"] = list(stride)
    scen["padding"] = pad
    scen["dilation"] = list(dil)
    scen["output_padding"] = list(op_pad) if (c["op"] == "conv2d_transpose" and op_pad) else None
    scen["input_layout"] = c["layout"]
    scen["kernel_layout"] = "torch" if c["layout"] == "chw" else "keras"
    return {
        "name": c.get("name") or name_of(c),
        "source": SOURCE,
        "scenario": scen,
        "expected": {"output_shape": list(out.shape), "output": int_list(out)},
    }


def mk(op, H, W, cin, f, kh, kw, stride=(1, 1), dilation=(1, 1), padding=(0, 0),
       output_padding=None, bias=False, layout="hwc", **kw_):
    c = dict(op=op, H=H, W=W, cin=cin, f=f, kh=kh, kw=kw, stride=pair(stride),
             dilation=pair(dilation),
             padding=padding if isinstance(padding, str) else
             ([list(padding[0]), list(padding[1])] if isinstance(padding[0], (list, tuple))
              else pair(padding)),
             output_padding=list(output_padding) if output_padding else None,
             bias=bias, layout=layout)
    c.update(kw_)
    return c


def out_len_conv(n, k, s, d, p_total):
    return (n + p_total - d * (k - 1) - 1) // s + 1


def out_len_convT(n, k, s, d, p, op):
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def valid_case(c):
    for ax in (0, 1):
        n = (c["H"], c["W"])[ax]
        k = (c["kh"], c["kw"])[ax]
        s, d = c["stride"][ax], c["dilation"][ax]
        p = c["padding"]
        if c["op"] == "conv2d":
            if isinstance(p, str):
                if any(v != 1 for v in c["stride"]):
                    return False
                tot = 0 if p == "valid" else d * (k - 1)
            elif isinstance(p[0], list):
                tot = p[ax][0] + p[ax][1]
            else:
                tot = 2 * p[ax]
            if out_len_conv(n, k, s, d, tot) < 1:
                return False
        else:
            op = c["output_padding"][ax] if c["output_padding"] else 0
            if op >= s and op >= d:
                return False
            if out_len_convT(n, k, s, d, p[ax], op) < 1:
                return False
    return True


cases = []

# ---- seed cases (all-ones data) -------------------------------------------
for layout in ("hwc", "chw"):
    cases.append(mk("conv2d", 3, 3, 1, 1, 2, 2, padding=(0, 0), layout=layout, ones=True,
                    name="seed_torch_conv2d_valid_" + layout))
    cases.append(mk("conv2d_transpose", 2, 2, 1, 1, 2, 2, padding=(0, 0), layout=layout,
                    ones=True, name="seed_torch_conv2d_transpose_valid_" + layout))
cases.append(mk("conv2d", 3, 3, 1, 1, 2, 2, padding="valid", ones=True,
                name="seed_torch_conv2d_valid_string_hwc"))

# ---- conv2d: strides / dilation / symmetric padding -----------------------
L = ["hwc", "chw"]
i = 0
for s in [(1, 1), (2, 2), (3, 3), (2, 1), (1, 3), (3, 2)]:
    for p in [(0, 0), (1, 1), (2, 1)]:
        cases.append(mk("conv2d", 7, 8, 2, 2, 3, 3, stride=s, padding=p,
                        bias=(i % 2 == 0), layout=L[i % 2]))
        i += 1
for d in [(2, 2), (3, 3), (2, 1), (1, 3)]:
    for s in [(1, 1), (2, 1)]:
        cases.append(mk("conv2d", 9, 9, 1, 2, 3, 2, stride=s, dilation=d, padding=(1, 2),
                        bias=(i % 2 == 1), layout=L[i % 2]))
        i += 1

# ---- conv2d: per-side padding (F.pad then conv) ----------------------------
for p, s, d in [(((0, 1), (1, 0)), (1, 1), (1, 1)),
                (((2, 0), (0, 1)), (2, 2), (1, 1)),
                (((1, 2), (0, 2)), (2, 1), (1, 1)),
                (((0, 0), (2, 1)), (1, 2), (2, 1)),
                (((1, 1), (0, 0)), (3, 3), (1, 1)),
                (((2, 1), (1, 2)), (1, 1), (2, 2))]:
    cases.append(mk("conv2d", 5, 6, 2, 3, 3, 2, stride=s, dilation=d, padding=p,
                    bias=(i % 2 == 0), layout=L[i % 2]))
    i += 1

# ---- conv2d: "same" / "valid" strings (stride 1 only) ----------------------
for pstr in ("same", "valid"):
    for (kh, kw), d in [((3, 3), (1, 1)), ((2, 2), (1, 1)), ((4, 4), (1, 1)),
                        ((2, 3), (2, 2)), ((4, 2), (2, 1)), ((3, 4), (2, 2)),
                        ((1, 1), (1, 1))]:
        cases.append(mk("conv2d", 7, 9, 2, 2, kh, kw, dilation=d, padding=pstr,
                        bias=(i % 2 == 1), layout=L[i % 2]))
        i += 1

# ---- conv_transpose2d ------------------------------------------------------
for s, p, op, d in [((1, 1), (0, 0), None, (1, 1)),
                    ((2, 2), (0, 0), None, (1, 1)),
                    ((2, 2), (1, 1), (1, 1), (1, 1)),
                    ((3, 3), (1, 1), (2, 1), (1, 1)),
                    ((3, 2), (2, 0), (1, 1), (1, 1)),
                    ((1, 3), (0, 1), (0, 2), (1, 1)),
                    ((2, 1), (1, 0), (1, 0), (1, 1)),
                    ((1, 1), (0, 0), None, (2, 2)),
                    ((1, 1), (1, 2), (1, 2), (2, 3)),   # op < dilation (stride 1)
                    ((2, 2), (1, 1), (1, 2), (2, 3)),   # op < stride or < dilation
                    ((3, 1), (2, 1), (2, 1), (3, 2)),
                    ((2, 3), (0, 2), None, (3, 1)),
                    ((3, 3), (0, 0), (2, 2), (1, 1)),
                    ((2, 2), (2, 2), None, (1, 1))]:
    cases.append(mk("conv2d_transpose", 3, 4, 2, 2, 3, 2, stride=s, dilation=d, padding=p,
                    output_padding=op, bias=(i % 2 == 0), layout=L[i % 2]))
    i += 1
# kernel smaller than stride
for k, s in [(1, 3), (2, 3), (1, 2)]:
    cases.append(mk("conv2d_transpose", 3, 3, 1, 2, k, k, stride=(s, s), padding=(0, 0),
                    output_padding=(1, 1), bias=(i % 2 == 0), layout=L[i % 2]))
    i += 1
    cases.append(mk("conv2d_transpose", 2, 3, 2, 1, k, k + 1, stride=(s, s), padding=(0, 0),
                    bias=(i % 2 == 0), layout=L[i % 2]))
    i += 1

# ---- random sweep (multi-channel, rectangular, everything mixed) ----------
target = 40
tries = 0
while target > 0 and tries < 10000:
    tries += 1
    op = rng.choice(["conv2d", "conv2d_transpose"])
    H, W = rng.randint(1, 9), rng.randint(1, 9)
    cin, f = rng.randint(1, 3), rng.randint(1, 3)
    kh, kw = rng.randint(1, 4), rng.randint(1, 4)
    stride = [rng.randint(1, 3), rng.randint(1, 3)]
    dil = [rng.choice([1, 1, 2, 3]), rng.choice([1, 1, 2, 3])]
    bias = rng.random() < 0.5
    layout = rng.choice(["hwc", "chw"])
    opad = None
    if op == "conv2d":
        r = rng.random()
        if r < 0.15:
            stride = [1, 1]
            pad = rng.choice(["same", "valid"])
        elif r < 0.4:
            pad = [[rng.randint(0, 2), rng.randint(0, 2)], [rng.randint(0, 2), rng.randint(0, 2)]]
        else:
            pad = [rng.randint(0, 2), rng.randint(0, 2)]
    else:
        if H > 5 or W > 5:
            H, W = rng.randint(1, 5), rng.randint(1, 5)
        pad = [rng.randint(0, 2), rng.randint(0, 2)]
        if rng.random() < 0.5:
            opad = [rng.randint(0, max(stride[a], dil[a]) - 1) for a in (0, 1)]
    c = mk(op, H, W, cin, f, kh, kw, stride=stride, dilation=dil, padding=pad,
           output_padding=opad, bias=bias, layout=layout)
    if not valid_case(c):
        continue
    c["name"] = name_of(c) + "_r%02d" % (40 - target)
    cases.append(c)
    target -= 1

results = []
for c in cases:
    assert valid_case(c), c
    results.append(run_case(c))

names = [r["name"] for r in results]
dups = {n for n in names if names.count(n) > 1}
assert not dups, dups

# seed sanity checks
by = {r["name"]: r for r in results}
assert by["seed_torch_conv2d_valid_hwc"]["expected"]["output"] == [[[4], [4]], [[4], [4]]]
assert by["seed_torch_conv2d_valid_chw"]["expected"]["output"] == [[[4, 4], [4, 4]]]
assert by["seed_torch_conv2d_transpose_valid_chw"]["expected"]["output"] == \
    [[[1, 2, 1], [2, 4, 2], [1, 2, 1]]]

with open(OUT, "w") as fh:
    fh.write("[\n")
    fh.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in results))
    fh.write("\n]\n")
print("wrote %d cases to %s (%d bytes)" % (len(results), OUT, os.path.getsize(OUT)))
