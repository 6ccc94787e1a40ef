#!/usr/bin/python3
"""Generate PyTorch golden cases for grouped and depthwise convolution
-> torch_grouped_cases.json.

Run with Debian's interpreter (needs python3-torch, python3-numpy):
    /usr/bin/python3 tests/golden/generate_torch_grouped.py

Covers the scenario keys added for issue 11:
  * conv2d with "groups": g            -> F.conv2d(..., groups=g)
  * conv2d_transpose with "groups": g  -> F.conv_transpose2d(..., groups=g)
  * op "depthwise_conv2d", convention pytorch
                                       -> F.conv2d(..., groups=C_in), C_in*M filters
Each case is written in one of the four combinations of input layout (hwc, chw)
and kernel layout (keras, torch), so the layouts are exercised independently.
float64 with small integer data from a fixed-seed RNG: outputs are exact and
regeneration is deterministic. check_grouped.py re-derives every output from the
scenario alone, without torch.
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
OUT = os.path.join(HERE, "torch_grouped_cases.json")
SOURCE = "torch " + torch.__version__.split("+")[0]

rng = random.Random(20240711)

# (input layout, kernel layout), cycled through so every op meets all four.
LAYOUTS = [("hwc", "keras"), ("chw", "torch"), ("hwc", "torch"), ("chw", "keras")]


def rand_tensor(shape):
    n = 1
    for s in shape:
        n *= s
    vals = [float(rng.randint(-3, 3)) for _ in range(n)]
    return torch.tensor(vals, dtype=torch.float64).reshape(shape)


def int_list(t):
    """Nested list of Python ints (asserts the values are exact integers)."""
    for v in t.flatten().tolist():
        assert v == int(v), v
    return t.to(torch.int64).tolist()


def pair(v):
    return [v, v] if isinstance(v, int) else list(v)


def weight_shape(c):
    """PyTorch's own weight shape for the case (what kernel_layout "torch" stores)."""
    if c["op"] == "conv2d":
        return (c["f"], c["cin"] // c["groups"], c["kh"], c["kw"])
    if c["op"] == "conv2d_transpose":
        return (c["cin"], c["f"] // c["groups"], c["kh"], c["kw"])
    return (c["cin"] * c["m"], 1, c["kh"], c["kw"])  # depthwise


def keras_kernel(c, w):
    """The same numbers in the scenario's Keras kernel layout:
    conv2d [kh][kw][C_in/g][F], conv2d_transpose [kh][kw][F/g][C_in],
    depthwise [kh][kw][C_in][M] (output channel c*M + m)."""
    if c["op"] == "depthwise_conv2d":
        return w.reshape(c["cin"], c["m"], c["kh"], c["kw"]).permute(2, 3, 0, 1)
    return w.permute(2, 3, 1, 0)


def out_channels(c):
    return c["cin"] * c["m"] if c["op"] == "depthwise_conv2d" else c["f"]


def padding_text(p):
    if isinstance(p, str):
        return p
    if isinstance(p[0], list):
        return "ps%d%d%d%d" % (p[0][0], p[0][1], p[1][0], p[1][1])
    return "p%dx%d" % tuple(p)


def name_of(c):
    op = {"conv2d": "gconv2d", "conv2d_transpose": "gconvT", "depthwise_conv2d": "dw"}[c["op"]]
    if c["op"] == "depthwise_conv2d":
        kernel = "k%dx%dm%d" % (c["kh"], c["kw"], c["m"])
    else:
        kernel = "k%dx%df%dg%d" % (c["kh"], c["kw"], c["f"], c["groups"])
    parts = ["torch", op, "h%dw%dc%d" % (c["H"], c["W"], c["cin"]), kernel,
             "s%dx%d" % tuple(c["stride"]), "d%dx%d" % tuple(c["dilation"]),
             padding_text(c["padding"])]
    if c.get("output_padding"):
        parts.append("op%dx%d" % tuple(c["output_padding"]))
    parts.append("bias" if c["bias"] else "nobias")
    parts.append("%s-%s" % (c["input_layout"], c["kernel_layout"]))
    return "_".join(parts)


def run_case(c):
    """c: dict from mk(); optional input/kernel (torch layouts) for hand cases."""
    x = c["x"] if c.get("x") is not None else rand_tensor((1, c["cin"], c["H"], c["W"]))
    w = c["w"] if c.get("w") is not None else rand_tensor(weight_shape(c))
    assert tuple(w.shape) == weight_shape(c), (w.shape, weight_shape(c))
    b = rand_tensor((out_channels(c),)) if c["bias"] else None

    stride, dil, pad = c["stride"], c["dilation"], c["padding"]
    groups = c["cin"] if c["op"] == "depthwise_conv2d" else c["groups"]
    if c["op"] == "conv2d_transpose":
        op_pad = c.get("output_padding")
        y = F.conv_transpose2d(x, w, b, stride=stride, padding=pad,
                               output_padding=op_pad if op_pad else 0, groups=groups,
                               dilation=dil)
    elif not isinstance(pad, str) and isinstance(pad[0], list):
        (t, bo), (l, r) = pad  # per side: F.pad then an unpadded conv, as the scenario spec says
        y = F.conv2d(F.pad(x, (l, r, t, bo)), w, b, stride=stride, padding=0, dilation=dil,
                     groups=groups)
    else:
        y = F.conv2d(x, w, b, stride=stride, padding=pad, dilation=dil, groups=groups)

    scen = {"op": c["op"], "convention": "pytorch"}
    if c["input_layout"] == "chw":
        scen["input"] = int_list(x[0])
        out = y[0]
    else:
        scen["input"] = int_list(x[0].permute(1, 2, 0))
        out = y[0].permute(1, 2, 0)
    scen["kernel"] = int_list(w if c["kernel_layout"] == "torch" else keras_kernel(c, w))
    if b is not None:
        scen["bias"] = int_list(b)
    scen["strides"] = list(stride)
    scen["padding"] = pad
    scen["dilation"] = list(dil)
    if c["op"] != "depthwise_conv2d":
        scen["groups"] = c["groups"]
    op_pad = c.get("output_padding")
    scen["output_padding"] = list(op_pad) if (c["op"] == "conv2d_transpose" and op_pad) else None
    scen["input_layout"] = c["input_layout"]
    scen["kernel_layout"] = c["kernel_layout"]
    return {
        "name": c.get("name") or name_of(c),
        "source": SOURCE,
        "scenario": scen,
        "expected": {"output_shape": list(out.shape), "output": int_list(out)},
    }


layout_counter = [0]


def mk(op, H, W, cin, kh, kw, f=None, groups=1, m=None, stride=(1, 1), dilation=(1, 1),
       padding=(0, 0), output_padding=None, bias=False, layouts=None, **extra):
    """One case spec. layouts=None takes the next (input, kernel) layout pair in turn."""
    if layouts is None:
        layouts = LAYOUTS[layout_counter[0] % len(LAYOUTS)]
        layout_counter[0] += 1
    c = dict(op=op, H=H, W=W, cin=cin, f=f, groups=groups, m=m, kh=kh, kw=kw,
             stride=pair(stride), dilation=pair(dilation),
             padding=padding if isinstance(padding, str) else
             ([list(padding[0]), list(padding[1])] if isinstance(padding[0], (list, tuple))
              else pair(padding)),
             output_padding=list(output_padding) if output_padding else None,
             bias=bias, input_layout=layouts[0], kernel_layout=layouts[1])
    c.update(extra)
    return c


def out_len_conv(n, k, s, d, p_total):
    return (n + p_total - d * (k - 1) - 1) // s + 1


def out_len_convT(n, k, s, d, p, op):
    return (n - 1) * s - 2 * p + d * (k - 1) + op + 1


def valid_case(c):
    """What PyTorch accepts and what keeps the files small."""
    if c["op"] == "depthwise_conv2d":
        if out_channels(c) > 8:
            return False
    elif c["cin"] % c["groups"] or c["f"] % c["groups"] or c["f"] > 8:
        return False
    if c["cin"] > 8 or c["H"] > 7 or c["W"] > 7 or c["kh"] > 3 or c["kw"] > 3:
        return False
    for ax in (0, 1):
        n = (c["H"], c["W"])[ax]
        k = (c["kh"], c["kw"])[ax]
        s, d = c["stride"][ax], c["dilation"][ax]
        p = c["padding"]
        if c["op"] == "conv2d_transpose":
            op = c["output_padding"][ax] if c["output_padding"] else 0
            if op >= s and op >= d:
                return False
            if out_len_convT(n, k, s, d, p[ax], op) < 1:
                return False
            continue
        if isinstance(p, str):
            if any(v != 1 for v in c["stride"]):
                return False  # PyTorch: string padding only with stride 1
            tot = 0 if p == "valid" else d * (k - 1)
        elif isinstance(p[0], list):
            tot = p[ax][0] + p[ax][1]
        else:
            tot = 2 * p[ax]
        if out_len_conv(n, k, s, d, tot) < 1:
            return False
    return True


cases = []

# ---- hand-checkable cases --------------------------------------------------
# Channel 0 holds 1s and channel 1 holds 10s, so each output shows which input
# channels reached it: with groups=2 a filter sees only its own group's channel.
ones_tens = torch.tensor([[[[1.0, 1.0], [1.0, 1.0]], [[10.0, 10.0], [10.0, 10.0]]]],
                         dtype=torch.float64)
for layouts in (("hwc", "keras"), ("chw", "torch")):
    suffix = "%s-%s" % layouts
    cases.append(mk("conv2d", 2, 2, 2, 1, 1, f=2, groups=2, layouts=layouts,
                    x=ones_tens, w=torch.ones((2, 1, 1, 1), dtype=torch.float64),
                    name="seed_torch_gconv2d_g2_1x1_" + suffix))
    # conv_transpose2d, groups=2, 2 filters per group: input channel c scatters
    # into filters 2c and 2c+1 with weights w[c][j] = 1 + j (+2 for channel 1).
    cases.append(mk("conv2d_transpose", 2, 2, 2, 1, 1, f=4, groups=2, layouts=layouts,
                    x=ones_tens,
                    w=torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64).reshape(2, 2, 1, 1),
                    name="seed_torch_gconvT_g2_1x1_" + suffix))
    # depthwise, M=2: output channel c*M + m gets input channel c times k[c][m].
    cases.append(mk("depthwise_conv2d", 2, 2, 2, 1, 1, m=2, layouts=layouts, x=ones_tens,
                    w=torch.tensor([1.0, 2.0, 3.0, 4.0], dtype=torch.float64).reshape(4, 1, 1, 1),
                    name="seed_torch_dw_m2_1x1_" + suffix))
# a 2×2 kernel of ones per group: each group's own 1 2 1 / 2 4 2 / 1 2 1 stamp
cases.append(mk("conv2d_transpose", 2, 2, 2, 2, 2, f=2, groups=2, layouts=("hwc", "keras"),
                x=ones_tens, w=torch.ones((2, 1, 2, 2), dtype=torch.float64),
                name="seed_torch_gconvT_g2_2x2_ones_hwc-keras"))

# ---- grouped conv2d: groups 1..4, every padding form -----------------------
conv_groups = [  # (C_in, F, g)
    (2, 3, 1), (4, 2, 2), (2, 4, 2), (6, 4, 2), (3, 6, 3),
    (6, 3, 3), (6, 6, 3), (4, 8, 4), (8, 4, 4), (8, 8, 4), (4, 4, 4),
]
conv_variants = [  # (stride, dilation, padding, (kh, kw))
    ((1, 1), (1, 1), (1, 1), (3, 3)),
    ((2, 2), (1, 1), (0, 1), (3, 2)),
    ((1, 1), (1, 1), "same", (3, 3)),
    ((1, 1), (2, 2), "valid", (2, 3)),
    ((2, 1), (1, 1), ((0, 1), (1, 0)), (2, 2)),
    ((1, 1), (2, 1), "same", (2, 2)),
    ((1, 3), (1, 1), ((2, 1), (0, 2)), (3, 3)),
    ((1, 1), (1, 2), (2, 0), (2, 3)),
    ((3, 2), (1, 1), (1, 1), (3, 3)),
    ((1, 1), (1, 1), "valid", (1, 1)),
    ((2, 2), (2, 1), ((1, 0), (1, 1)), (3, 2)),
    ((1, 1), (1, 1), "same", (1, 3)),
]
sizes = [(5, 6), (6, 5), (7, 7), (4, 5), (5, 5), (6, 7)]
i = 0
for cin, f, g in conv_groups:
    for rep in range(2):
        s, d, p, (kh, kw) = conv_variants[(2 * i + rep * 7) % len(conv_variants)]
        H, W = sizes[(i + rep) % len(sizes)]
        cases.append(mk("conv2d", H, W, cin, kh, kw, f=f, groups=g, stride=s, dilation=d,
                        padding=p, bias=((i + rep) % 2 == 0)))
    i += 1

# ---- grouped conv_transpose2d ----------------------------------------------
transpose_groups = [  # (C_in, F, g)
    (2, 2, 1), (4, 2, 2), (2, 4, 2), (6, 6, 2), (3, 6, 3), (6, 3, 3), (4, 4, 4), (8, 4, 4),
    (4, 8, 4),
]
transpose_variants = [  # (stride, padding, output_padding, dilation, (kh, kw))
    ((1, 1), (0, 0), None, (1, 1), (3, 3)),
    ((2, 2), (1, 1), (1, 1), (1, 1), (3, 3)),
    ((2, 1), (0, 1), (1, 0), (1, 1), (2, 3)),
    ((3, 2), (1, 0), (2, 1), (1, 1), (3, 2)),
    ((1, 1), (1, 1), (1, 0), (2, 2), (2, 2)),   # output_padding < dilation (stride 1)
    ((2, 2), (2, 1), (1, 1), (2, 3), (3, 2)),
    ((1, 2), (0, 0), None, (2, 1), (3, 3)),
    ((3, 3), (0, 0), (2, 2), (1, 1), (1, 1)),   # kernel smaller than stride
]
t_sizes = [(3, 4), (4, 3), (3, 3), (2, 3)]
for cin, f, g in transpose_groups:
    for rep in range(2):
        s, p, op, d, (kh, kw) = transpose_variants[(2 * i + rep * 3) % len(transpose_variants)]
        H, W = t_sizes[(i + rep) % len(t_sizes)]
        cases.append(mk("conv2d_transpose", H, W, cin, kh, kw, f=f, groups=g, stride=s,
                        dilation=d, padding=p, output_padding=op, bias=((i + rep) % 2 == 1)))
    i += 1

# ---- depthwise, PyTorch convention: Conv2d(C_in, C_in*M, groups=C_in) ------
depthwise_shapes = [(1, 3), (2, 1), (2, 2), (2, 3), (3, 1), (3, 2), (4, 2), (8, 1)]  # (C_in, M)
for cin, m in depthwise_shapes:
    for rep in range(2):
        s, d, p, (kh, kw) = conv_variants[(3 * i + rep * 5) % len(conv_variants)]
        H, W = sizes[(i + 2 * rep) % len(sizes)]
        cases.append(mk("depthwise_conv2d", H, W, cin, kh, kw, m=m, stride=s, dilation=d,
                        padding=p, bias=((i + rep) % 2 == 0)))
    i += 1

# ---- random sweep: everything mixed ----------------------------------------
target, tries = 7, 0
while target > 0 and tries < 10000:
    tries += 1
    op = rng.choice(["conv2d", "conv2d_transpose", "depthwise_conv2d"])
    g = rng.choice([1, 2, 3, 4])
    cin = g * rng.randint(1, 2)
    f = g * rng.randint(1, 2)
    m = rng.randint(1, 3)
    H, W = rng.randint(1, 7), rng.randint(1, 7)
    kh, kw = rng.randint(1, 3), rng.randint(1, 3)
    stride = [rng.randint(1, 3), rng.randint(1, 3)]
    dil = [rng.choice([1, 1, 2]), rng.choice([1, 1, 2])]
    opad = None
    if op == "conv2d_transpose":
        H, W = rng.randint(1, 4), rng.randint(1, 4)
        pad = [rng.randint(0, 2), rng.randint(0, 2)]
        if rng.random() < 0.5:
            opad = [rng.randint(0, max(stride[a], dil[a]) - 1) for a in (0, 1)]
    else:
        r = rng.random()
        if r < 0.2:
            stride = [1, 1]
            pad = rng.choice(["same", "valid"])
        elif r < 0.5:
            pad = [[rng.randint(0, 2), rng.randint(0, 2)], [rng.randint(0, 2), rng.randint(0, 2)]]
        else:
            pad = [rng.randint(0, 2), rng.randint(0, 2)]
    c = mk(op, H, W, cin, kh, kw, f=f, groups=g, m=m, stride=stride, dilation=dil, padding=pad,
           output_padding=opad, bias=rng.random() < 0.5,
           layouts=LAYOUTS[rng.randrange(len(LAYOUTS))])
    if op == "depthwise_conv2d":
        c["f"], c["groups"] = None, 1
    if not valid_case(c):
        continue
    c["name"] = name_of(c) + "_r%02d" % (7 - target)
    cases.append(c)
    target -= 1

results = []
for c in cases:
    assert valid_case(c), name_of(c)
    results.append(run_case(c))

names = [r["name"] for r in results]
dups = {n for n in names if names.count(n) > 1}
assert not dups, dups

# ---- hand-known results ------------------------------------------------------
by = {r["name"]: r for r in results}
assert by["seed_torch_gconv2d_g2_1x1_hwc-keras"]["expected"]["output"] == [[[1, 10]] * 2] * 2
assert by["seed_torch_gconv2d_g2_1x1_chw-torch"]["expected"]["output"] == \
    [[[1, 1], [1, 1]], [[10, 10], [10, 10]]]
assert by["seed_torch_gconvT_g2_1x1_hwc-keras"]["expected"]["output"] == [[[1, 2, 30, 40]] * 2] * 2
assert by["seed_torch_gconvT_g2_1x1_hwc-keras"]["scenario"]["kernel"] == [[[[1, 3], [2, 4]]]]
assert by["seed_torch_dw_m2_1x1_hwc-keras"]["expected"]["output"] == [[[1, 2, 30, 40]] * 2] * 2
assert by["seed_torch_dw_m2_1x1_hwc-keras"]["scenario"]["kernel"] == [[[[1, 2], [3, 4]]]]
assert by["seed_torch_dw_m2_1x1_chw-torch"]["scenario"]["kernel"] == [[[[1]]], [[[2]]], [[[3]]], [[[4]]]]
stamp = [[1, 2, 1], [2, 4, 2], [1, 2, 1]]
assert by["seed_torch_gconvT_g2_2x2_ones_hwc-keras"]["expected"]["output"] == \
    [[[v, 10 * v] for v in row] for row in stamp]

with open(OUT, "w") as fh:
    fh.write("[\n")
    fh.write(",\n".join(json.dumps(r, separators=(",", ":")) for r in results))
    fh.write("\n]\n")
counts = {}
for c in cases:
    counts[c["op"]] = counts.get(c["op"], 0) + 1
print("wrote %d cases to %s (%d bytes): %s" % (len(results), OUT, os.path.getsize(OUT),
                                               ", ".join("%s %d" % kv for kv in sorted(counts.items()))))
