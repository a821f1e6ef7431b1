#!/usr/bin/python3
"""Golden data for creation ops whose last bits depend on PyTorch's kernel (test/creation.test.ts).

    /usr/bin/python3 tools/gen_golden_creation.py     # writes test/golden/creation.json

linspace: PyTorch computes in the dtype, half from each end, two SIMD vectors at a time with a
fused multiply-add per vector (Note [linspace rounding] in src/ops/creation.ts); these cases
cover both halves, the vector and the remainder paths, and both float dtypes.
"""
import json, math, os
import torch

CASES = [
    (-math.pi, math.pi, 2000), (0.0, 1.0, 7), (0.0, 1.0, 37), (-3.3, 10.1, 101), (0.1, 0.7, 33),
    (1.0, -2.0, 50), (0.0, 10.0, 5), (-1.0, 1.0, 1000), (2.5, 2.5, 9), (0.0, 1.0, 1), (0.0, 1.0, 0),
    (0.0, 1.0, 2), (-5.0, 7.0, 16), (-5.0, 7.0, 17), (1e-3, 1e3, 31), (-0.3, 0.3, 64),
]
out = []
for start, end, steps in CASES:
    for dtype in (torch.float32, torch.float64):
        v = torch.linspace(start, end, steps, dtype=dtype)
        out.append({"start": start, "end": end, "steps": steps, "dtype": str(dtype).split(".")[1],
                    "values": [float(x) for x in v.double().tolist()]})
path = os.path.join(os.path.dirname(__file__), "..", "test", "golden", "creation.json")
with open(path, "w") as f:
    json.dump({"torch_version": torch.__version__, "linspace": out}, f)
