#!/usr/bin/python3
"""Single-thread PyTorch reference for bench_core's compute figure.

Run with Debian's interpreter (python3-torch): /usr/bin/python3 tests/bench/torch_conv2d.py
"""
import time

import torch

torch.set_num_threads(1)
for dtype in (torch.float32, torch.float64):
    x = torch.randn(1, 16, 256, 256, dtype=dtype)
    w = torch.randn(16, 16, 3, 3, dtype=dtype)
    for _ in range(3):
        torch.nn.functional.conv2d(x, w, padding=1)
    runs = 20
    t0 = time.perf_counter()
    for _ in range(runs):
        torch.nn.functional.conv2d(x, w, padding=1)
    ms = (time.perf_counter() - t0) / runs * 1e3
    print(f"torch {torch.__version__} conv2d 256x256x16 -> 16, 3x3, {dtype}, 1 thread: {ms:.1f} ms")
