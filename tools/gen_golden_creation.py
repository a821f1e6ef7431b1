#!/usr/bin/python3
"""Golden data for creation ops whose last bits depend on PyTorch's kernel (test/creation.test.ts).

    /work/.venv-torch/bin/python tools/gen_golden_creation.py     # writes test/golden/creation.json

linspace: PyTorch 2.x's CPU kernel computes each element on its own in the dtype, the first half
from `start` and the second from `end` (Note [linspace rounding] in src/ops/creation.ts); these
cases cover both halves and every dtype class: float32/float64 (one fused multiply-add each),
float16/bfloat16 (rounded after every operation), integers (a double step, truncated).
logspace: PyTorch's loop in RangeFactories.cpp (exponents in double, then C's pow), every dtype class.
arange: the vectorised kernel (two AVX2 vectors at a time, a fused multiply-add per lane), every
dtype class; the integers with their truncated bounds and step; beyond 32768 elements, the chunks
of PyTorch's threads, for several torch.get_num_threads().
range (deprecated): RangeFactories.cpp's loop in the accumulate type, every dtype class.
Run on an x86-64 CPU with FMA (AVX2 or AVX-512), where PyTorch's CPU kernels are compiled with it.
"""
import hashlib, json, math, os, sys, warnings
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

# arange beyond 32768 elements (the grain of at::parallel_for): each of min(threads, ⌈n/32768⌉) chunks
# of ⌈n/chunks⌉ starts its vectors where it starts, so the values depend on torch.get_num_threads().
# [start, end, step], dtype, threads; the values near each chunk's start and at both ends, and the
# sha256 of all of them (as little-endian float64).
AR_THREAD_CASES = [((-1.3, 20000.0, 0.37), dt, 2) for dt in (torch.float32, torch.float64)]
AR_THREAD_CASES += [((0.1, 10.0, 1e-4), dt, t) for dt in (torch.float32, torch.float64) for t in (1, 2, 3, 4)]
AR_THREAD_CASES += [((12345.678, 12300.0, -0.0011), dt, 2) for dt in (torch.float32, torch.float64)]
AR_THREAD_CASES += [((-2.5, 22938.0, 0.7), torch.float32, 2), ((-1000.0, 1000.0, 0.05), torch.float16, 2),
                    ((-1000.0, 1000.0, 0.05), torch.bfloat16, 3), ((-50000.0, 70000.0, 3.0), torch.int64, 2)]
arange_threads = []
threads_before = torch.get_num_threads()
for (start, end, step), dtype, threads in AR_THREAD_CASES:
    torch.set_num_threads(threads)
    v = torch.arange(start, end, step, dtype=dtype).double()
    n = v.numel()
    chunks = min(threads, -(-n // 32768)) if n > 32768 and threads > 1 else 1
    size = -(-n // chunks)
    windows = sorted({max(0, b - 24) for b in range(0, n, size)} | {n - 24})
    arange_threads.append({"start": start, "end": end, "step": step, "dtype": str(dtype).split(".")[1], "threads": threads,
                           "numel": n, "sha256": hashlib.sha256(v.numpy().astype("<f8").tobytes()).hexdigest(),
                           "windows": [[w, v[w:w + 48].tolist()] for w in windows]})
torch.set_num_threads(threads_before)

# torch.range (deprecated; end included): RangeFactories.cpp's loop, start + i·step in the accumulate
# type (float for float16/bfloat16, double for float32/float64, int64 truncated for the integers),
# its size ((end − start)/step + 1) in that type too
RANGE_CASES = [(0.1, 30.0, 0.1), (-3.3, 10.1, 0.37), (5.0, -5.0, -0.3), (0.001, 7.0, 0.0137), (-7.9, 12.6, 2.5), (0.0, 5.0, 1.0)]
range_cases = [(c, dt) for c in RANGE_CASES for dt in (torch.float16, torch.bfloat16, torch.float32, torch.float64)]
# (integers with a step that truncates to 0 crash 2.13 with SIGFPE: its size divides before the check)
range_cases += [(c, dt) for c in [(-7.9, 12.6, 2.5), (0.0, 5.0, 1.0), (10.0, -3.0, -2.0)] for dt in (torch.int64, torch.int32)]
ranges = []
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # torch.range is deprecated
    for (start, end, step), dtype in range_cases:
        v = torch.range(start, end, step, dtype=dtype)
        ranges.append({"start": start, "end": end, "step": step, "dtype": str(dtype).split(".")[1],
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
    json.dump({"torch_version": torch.__version__, "linspace": out, "errors": errors, "logspace": logspace, "arange": arange,
               "arange_threads": arange_threads, "range": ranges}, f, allow_nan=False)
print(f"wrote {len(out)} cases to {os.path.relpath(path)}")
