#!/usr/bin/python3
"""Golden data for creation ops whose last bits depend on PyTorch's kernel (test/creation.test.ts).

    /work/.venv-torch/bin/python tools/gen_golden_creation.py     # writes test/golden/creation.json

linspace: PyTorch 2.x's CPU kernel computes each element on its own in the dtype, the first half
from `start` and the second from `end` (Note [linspace rounding] in src/ops/creation.ts); these
cases cover both halves and every dtype class: float32/float64 (one fused multiply-add each),
float16/bfloat16 (rounded after every operation), integers (a double step, truncated).
logspace: PyTorch's loop in RangeFactories.cpp (exponents in double, then C's pow), every dtype class.
arange: the vectorised kernel (two AVX2 vectors at a time, a fused multiply-add per lane), every
dtype class; the integers with their truncated bounds and step.
Run on an x86-64 CPU with FMA (AVX2 or AVX-512), where PyTorch's CPU kernels are compiled with it.
"""
import json, math, os, sys
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_num  # noqa: E402  (non-finite floats as "nan"/"inf"/"-inf")

FLOAT_CASES = [
    (-math.pi, math.pi, 2000), (0.0, 1.0, 7), (0.0, 1.0, 37), (-3.3, 10.1, 101), (0.1, 0.7, 33),
    (1.0, -2.0, 50), (0.0, 10.0, 5), (-1.0, 1.0, 1000), (2.5, 2.5, 9), (0.0, 1.0, 1), (0.0, 1.0, 0),
    (0.0, 1.0, 2), (-5.0, 7.0, 16), (-5.0, 7.0, 17), (1e-3, 1e3, 31), (-0.3, 0.3, 64),
]
HALF_CASES = [(-math.pi, math.pi, 300), (0.1, 0.7, 33), (1.0, -2.0, 50), (-3.3, 10.1, 101)]
INT_CASES = [(0.0, 10.0, 7), (-7.9, 12.6, 9), (3.0, -4.0, 11), (-1.5, 1.5, 4), (0.0, 1000.0, 77)]

out = []
cases = [(c, dt) for c in FLOAT_CASES for dt in (torch.float32, torch.float64)]
cases += [(c, dt) for c in HALF_CASES for dt in (torch.float16, torch.bfloat16)]
cases += [(c, dt) for c in INT_CASES for dt in (torch.int64, torch.int32, torch.int16)]
cases += [((0.0, 250.0, 13), torch.uint8), ((-3.0, 100.0, 9), torch.int8)]
for (start, end, steps), dtype in cases:
    v = torch.linspace(start, end, steps, dtype=dtype)
    out.append({"start": start, "end": end, "steps": steps, "dtype": str(dtype).split(".")[1],
                "values": [float(x) for x in v.double().tolist()]})
# logspace: C's pow of exponents computed in double, the base a double
LOG_CASES = [(-2.0, 3.0, 37, 10.0), (0.0, 1.0, 20, 2.0), (-1.5, 2.5, 101, 10.0), (-10.0, 10.0, 401, 10.0),
             (-3.0, 7.0, 133, 2.5), (0.1, 5.0, 77, 1.7), (0.0, 2.0, 5, -2.0), (1.5, 2.0, 1, 10.0)]
log_cases = [(c, dt) for c in LOG_CASES for dt in (torch.float32, torch.float64)]
log_cases += [((0.5, 2.5, 9, 2.0), torch.float16), ((0.5, 2.5, 9, 2.0), torch.bfloat16),
              ((-1.5, 3.7, 6, 10.0), torch.int64), ((0.0, 2.0, 7, 3.0), torch.int32), ((0.5, 0.5, 1, 10.0), torch.int64)]
logspace = []
for (start, end, steps, base), dtype in log_cases:
    v = torch.logspace(start, end, steps, base=base, dtype=dtype)
    logspace.append({"start": start, "end": end, "steps": steps, "base": base, "dtype": str(dtype).split(".")[1],
                     "values": [enc_num(float(x)) for x in v.double().tolist()]})

# arange: [start, end, step] and dtype (the integers take truncated bounds and step, int64 its own size)
AR_CASES = [(0.0, 1.0, 0.1), (-3.3, 10.1, 0.37), (0.001, 7.0, 0.0137), (0.0, 100.0, 1.7), (5.0, -5.0, -0.3),
            (-1.0, 1.0, 0.001), (0.0, 5.0, 1.0)]
ar_cases = [(c, dt) for c in AR_CASES for dt in (torch.float32, torch.float64, torch.float16, torch.bfloat16)]
ar_cases += [(c, dt) for c in [(0.0, 10.0, 3.0), (-7.0, 20.0, 2.5), (0.5, 9.7, 1.3), (10.0, -3.0, -2.0)]
             for dt in (torch.int64, torch.int32, torch.uint8)]
arange = []
for (start, end, step), dtype in ar_cases:
    v = torch.arange(start, end, step, dtype=dtype)
    arange.append({"start": start, "end": end, "step": step, "dtype": str(dtype).split(".")[1],
                   "values": [float(x) for x in v.double().tolist()]})

# bad input: [fn, start, end, steps, dtype] and PyTorch's message
errors = []
for fn, start, end, steps, dtype in [("linspace", 0.0, 1.0, -1, torch.float32), ("linspace", 0.0, 1.0, 2, torch.bool),
                                     ("logspace", 0.0, 1.0, -1, torch.float32), ("logspace", 0.0, 1.0, 2, torch.bool)]:
    try:
        getattr(torch, fn)(start, end, steps, dtype=dtype)
        raise SystemExit(f"{fn}({start}, {end}, {steps}, {dtype}) raised nothing")
    except (RuntimeError, NotImplementedError) as e:
        errors.append({"fn": fn, "start": start, "end": end, "steps": steps, "dtype": str(dtype).split(".")[1], "error": str(e)})
for start, end, step, dtype in [(0.0, 5.0, 0.0, torch.float32), (5.0, 0.0, 1.0, torch.float32), (0.0, 3.0, 1.0, torch.bool),
                                (0.0, math.inf, 1.0, torch.float32), (0.0, 5.0, -1.0, torch.float64)]:
    try:
        torch.arange(start, end, step, dtype=dtype)
        raise SystemExit(f"arange({start}, {end}, {step}, {dtype}) raised nothing")
    except (RuntimeError, NotImplementedError) as e:
        errors.append({"fn": "arange", "start": start, "end": enc_num(end), "steps": step, "dtype": str(dtype).split(".")[1], "error": str(e)})
path = os.path.join(os.path.dirname(__file__), "..", "test", "golden", "creation.json")
with open(path, "w") as f:
    json.dump({"torch_version": torch.__version__, "linspace": out, "errors": errors, "logspace": logspace, "arange": arange}, f, allow_nan=False)
print(f"wrote {len(out)} cases to {os.path.relpath(path)}")
