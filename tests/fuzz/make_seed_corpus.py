#!/usr/bin/env python3
"""Writes tests/fuzz/corpus/: the seed scenarios the fuzzer starts from.

Small valid scenarios that between them reach every branch of the format:
the presets (assets/presets), every sixth golden case (tests/golden, both
frameworks, both layouts, per-side pads, output_padding, dilation, bias) and
hand-written edge cases the goldens do not cover (scalar strides, escapes in
the text fields, -0 and exponents, a kernel shorter than the stride, ...).
One compact file each; run from anywhere:

    /usr/bin/python3 tests/fuzz/make_seed_corpus.py
"""
import json
import pathlib

ROOT = pathlib.Path(__file__).resolve().parents[2]
OUT = ROOT / "tests" / "fuzz" / "corpus"


def ones(*dims):
    if len(dims) == 1:
        return [1] * dims[0]
    return [ones(*dims[1:]) for _ in range(dims[0])]


def ramp(*dims, start=1):
    counter = [start]

    def build(level):
        if level == len(dims) - 1:
            row = list(range(counter[0], counter[0] + dims[level]))
            counter[0] += dims[level]
            return row
        return [build(level + 1) for _ in range(dims[level])]

    return build(0)


EDGE_CASES = {
    # The smallest scenario: one value, one weight, every default.
    "edge_minimal": {"op": "conv2d", "input": [[[2]]], "kernel": [[[[3]]]]},
    # One integer for both axes; null where null means "absent".
    "edge_scalar_pairs": {"op": "conv2d", "convention": "pytorch", "input": ones(5, 5, 1), "kernel": ones(2, 2, 1, 1),
                          "strides": 2, "dilation": 1, "padding": 1, "bias": None, "output_padding": None},
    # Per-side pads, PyTorch's F.pad then conv.
    "edge_pads_per_side": {"op": "conv2d", "convention": "pytorch", "input": ramp(3, 4, 1), "kernel": ones(2, 2, 1, 1),
                           "padding": [[0, 2], [1, 0]]},
    # PyTorch layouts for both tensors, with a bias.
    "edge_torch_layouts_bias": {"op": "conv2d", "convention": "pytorch", "input_layout": "chw", "kernel_layout": "torch",
                                "input": ramp(2, 3, 3), "kernel": ramp(3, 2, 2, 2, start=-4), "bias": [0.5, -1, 2]},
    # Keras "same" Conv2DTranspose with output_padding: TF's shape check passes.
    "edge_keras_transpose_same_op": {"op": "conv2d_transpose", "convention": "keras", "input": ones(2, 2, 1),
                                     "kernel": ones(3, 3, 1, 1), "strides": [2, 2], "padding": "same",
                                     "output_padding": [1, 1]},
    # A kernel shorter than the stride: output cells no stamp reaches (crop_after < 0).
    "edge_kernel_shorter_than_stride": {"op": "conv2d_transpose", "input": ramp(2, 3, 1), "kernel": ones(1, 1, 2, 1),
                                        "strides": [3, 3], "bias": [1, -1]},
    # PyTorch: output_padding below the dilation but not below the stride.
    "edge_torch_transpose_op_dilation": {"op": "conv2d_transpose", "convention": "pytorch", "input": ones(2, 2, 1),
                                         "kernel": ones(2, 2, 1, 1), "strides": 1, "dilation": [3, 2],
                                         "padding": [1, 0], "output_padding": [2, 1]},
    # PyTorch "same" with dilation (stride 1 only).
    "edge_torch_same_dilated": {"op": "conv2d", "convention": "pytorch", "input": ramp(6, 5, 1), "kernel": ones(2, 3, 1, 1),
                                "padding": "same", "dilation": 2},
    # Numbers as JSON writes them: exponents, fractions, -0, huge and tiny.
    "edge_number_forms": {"op": "conv2d", "input": [[[-0.0], [1e-3]], [[-2.5e2], [1.7976931348623157e308]]],
                          "kernel": [[[[1e308]]]], "bias": [-0.0]},
    # Text fields with escapes, a surrogate pair and a multi-byte character.
    "edge_text_escapes": {"name": "tab\there \"quoted\" \u00e9 \U0001F600", "description": "line\nbreak \\ slash /",
                          "op": "conv2d", "input": ones(2, 2, 1), "kernel": ones(1, 1, 1, 1)},
    # Channels and filters, Keras "same" with stride 2 (pads 0 before, 1 after).
    "edge_channels_same_stride2": {"op": "conv2d", "convention": "keras", "input": ramp(4, 4, 2),
                                   "kernel": ramp(3, 3, 2, 3, start=-20), "strides": [2, 2], "padding": "same",
                                   "bias": [1, 2, 3]},
    # A stride longer than the input: one output cell.
    "edge_stride_past_input": {"op": "conv2d", "input": ones(3, 3, 1), "kernel": ones(2, 2, 1, 1), "strides": [7, 9]},
    # Rectangular everything.
    "edge_rectangular": {"op": "conv2d_transpose", "convention": "pytorch", "input": ramp(1, 4, 1),
                         "kernel": ones(3, 1, 1, 1), "strides": [1, 3], "padding": [1, 0], "dilation": [2, 1]},
    # Parameters far larger than the tensors (valid: the output stays small), from
    # which a mutated digit reaches the limits: huge pads and strides, huge dilations.
    "edge_large_pads_strides": {"op": "conv2d", "convention": "pytorch", "input": ones(2, 1, 1),
                                "kernel": ones(1, 1, 1, 1), "padding": [[1000, 999], [0, 3000]],
                                "strides": [1000, 1500]},
    "edge_large_dilation_conv": {"op": "conv2d", "convention": "pytorch", "input": ones(1, 1, 1),
                                 "kernel": ones(2, 2, 1, 1), "dilation": 1000, "padding": 500},
    "edge_large_dilation_transpose": {"op": "conv2d_transpose", "convention": "pytorch", "input": ones(1, 1, 1),
                                      "kernel": ones(2, 1, 1, 1), "dilation": [1000, 1], "padding": [500, 0]},
    "edge_large_stride_transpose": {"op": "conv2d_transpose", "convention": "keras", "input": ones(2, 1, 1),
                                    "kernel": ones(1, 1, 1, 1), "strides": [1000, 1], "padding": "same"},
    # A 16×16 grid: bigger than the rest, still a millisecond of work.
    "edge_grid_16x16": {"op": "conv2d", "input": ramp(16, 16, 1), "kernel": ones(3, 3, 1, 1), "padding": "same"},
}


def write(name, scenario):
    (OUT / f"{name}.json").write_text(json.dumps(scenario, ensure_ascii=False, separators=(",", ":")) + "\n",
                                      encoding="utf-8")


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    for old in OUT.glob("*.json"):
        old.unlink()
    for preset in sorted((ROOT / "assets" / "presets").glob("*.json")):
        write("preset_" + preset.stem, json.loads(preset.read_text(encoding="utf-8")))
    for golden in ("torch_cases.json", "keras_cases.json"):
        cases = json.loads((ROOT / "tests" / "golden" / golden).read_text(encoding="utf-8"))
        for case in cases[::6]:
            write("golden_" + case["name"], case["scenario"])
    for name, scenario in EDGE_CASES.items():
        write(name, scenario)
    print(f"{len(list(OUT.glob('*.json')))} seeds in {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
