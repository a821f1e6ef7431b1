#!/usr/bin/env python3
"""Golden data for src/core/printing.ts: repr(t) from real PyTorch.

Run with PyTorch 2.x (the data are 2.13's): .venv-torch/bin/python tools/gen_print_golden.py
Writes test/golden/printing.json. Each case holds the tensor's values (floats as the exact
float64 value of each element; "nan"/"inf"/"-inf" as strings; int64 as decimal strings so
values past 2^53 survive JSON), its shape and dtype, autograd state, the print options and
default dtype in force, the repr prefix (nn.Parameter's header) and torch's repr.
"""
import json
import math
import os

import torch

cases = []


def encode(t):
    flat = t.detach().reshape(-1)
    if t.dtype.is_floating_point:
        out = []
        for v in flat.double().tolist():
            if math.isnan(v):
                out.append("nan")
            elif math.isinf(v):
                out.append("inf" if v > 0 else "-inf")
            else:
                out.append(v)
        return out
    if t.dtype == torch.int64:
        return [str(v) for v in flat.tolist()]
    return flat.tolist()  # other ints as numbers, bools as true/false


def case(name, t, opts=None, default_dtype=None, parameter=False):
    if opts:
        torch.set_printoptions(**opts)
    if default_dtype is not None:
        torch.set_default_dtype(default_dtype)
    try:
        r = repr(t)
    finally:
        torch.set_printoptions(profile="default")
        torch.set_default_dtype(torch.float32)
    c = {
        "name": name,
        "shape": list(t.shape),
        "dtype": str(t.dtype).replace("torch.", ""),
        "values": encode(t),
        "repr": r,
    }
    if t.grad_fn is not None:
        c["grad_fn"] = type(t.grad_fn).__name__
    if t.requires_grad:
        c["requires_grad"] = True
    if opts:
        c["options"] = opts
    if default_dtype is not None:
        c["default_dtype"] = str(default_dtype).replace("torch.", "")
    if parameter:
        c["prefix"] = "Parameter containing:\ntensor("
        assert r.startswith(c["prefix"]), r
    cases.append(c)


def gen(seed):
    g = torch.Generator()
    g.manual_seed(seed)
    return g


nan, inf = float("nan"), float("inf")
f64 = torch.float64

# ---- 0-d -------------------------------------------------------------------------------
case("scalar float", torch.tensor(3.0))
case("scalar float fraction", torch.tensor(2.5))
case("scalar negative", torch.tensor(-0.123456))
case("scalar int", torch.tensor(5))
case("scalar bool", torch.tensor(True))
case("scalar float64", torch.tensor(1.0 / 3, dtype=f64))
case("scalar nan", torch.tensor(nan))
case("scalar -inf", torch.tensor(-inf))
case("scalar tiny", torch.tensor(1e-8))
case("scalar huge", torch.tensor(1e20))
case("scalar half", torch.tensor(1.5, dtype=torch.float16))

# ---- autograd suffixes ---------------------------------------------------------------------
x = torch.ones(2, 2, requires_grad=True)
y = x + 2
z = y * y * 3
out = z.mean()
case("leaf requires_grad", x)
case("AddBackward0", y)
case("MulBackward0", z)
case("MeanBackward0", out)
case("x*2 grad_fn", torch.tensor([1.0, 2.0, 3.0], requires_grad=True) * 2)
case("SumBackward0", (torch.randn(3, 3, generator=gen(1), requires_grad=True) ** 2).sum())
case("float64 leaf requires_grad", torch.tensor([1.5, -2.0], dtype=f64, requires_grad=True))
case("scalar requires_grad", torch.tensor(1.0, requires_grad=True))
for n in range(5, 11):
    # rows that end near the 80th column push the suffix onto its own line
    case(f"suffix wrap randn({n})*1000 grad", torch.randn(n, generator=gen(n), requires_grad=True) * 1000)
case("suffix wrap float64 dtype+grad", (torch.randn(7, dtype=f64, generator=gen(3), requires_grad=True) * 100).exp())
case("suffix wrap 2d grad", torch.randn(3, 9, generator=gen(4), requires_grad=True) * 10)

# ---- floats: modes ---------------------------------------------------------------------
case("randn(3,4)", torch.randn(3, 4, generator=gen(0)))
case("randn(5,5)*100", torch.randn(5, 5, generator=gen(5)) * 100)
case("randn(4,4)*1e-3", torch.randn(4, 4, generator=gen(6)) * 1e-3)
case("randn(3,3)*1e5", torch.randn(3, 3, generator=gen(7)) * 1e5)
case("randn(6)*1e-6", torch.randn(6, generator=gen(8)) * 1e-6)
case("randn(2,3)*1e9", torch.randn(2, 3, generator=gen(9)) * 1e9)
case("sci 1e-5 1e5", torch.tensor([1e-5, 1e5]))
case("fixed", torch.tensor([1.5, 2.25, -3.125]))
case("tenths", torch.tensor([0.1, 0.2, 0.3]))
case("int-valued floats", torch.tensor([1.0, 2.0, -30.0]))
case("int mode ratio>1000", torch.tensor([1.0, 5000.0]))
case("int mode >1e8", torch.tensor([123456789.0, 1.0, 2.0]))
case("int mode wide", torch.tensor([10000001.0, -20000000.0]))
case("min<1e-4", torch.tensor([0.5, 0.00005]))
case("nan inf int mode", torch.tensor([nan, 1.0, inf, -inf]))
case("nan inf fixed", torch.tensor([nan, 1.5, -inf]))
case("all nan", torch.tensor([nan, nan]))
case("zeros", torch.zeros(2, 3))
case("negative zero int", torch.tensor([-0.0, 1.0]))
case("negative zero fixed", torch.tensor([-0.0, 1.5]))
case("negative zero only", torch.tensor([-0.0, 0.0]))
case("inf only", torch.tensor([inf]))
case("sci with nan", torch.tensor([1e-7, nan, 3.0]))
case("float64 3-digit exponent", torch.tensor([1e-300, 1e300], dtype=f64))
case("float64 subnormal", torch.tensor([5e-324, 1.0], dtype=f64))
case("float64 ties precision 2", torch.tensor([0.125, 2.5, 0.375], dtype=f64), {"precision": 2})

# ---- dtype suffixes ------------------------------------------------------------------------
case("float64 vector", torch.tensor([1.5, 2.0], dtype=f64))
case("float64 int-valued", torch.tensor([1.0, 2.0], dtype=f64))
case("default float64: float64", torch.tensor([1.5, 2.0], dtype=f64), default_dtype=f64)
case("default float64: float32", torch.tensor([1.5, 2.0], dtype=torch.float32), default_dtype=f64)
case("default float64: empty float32", torch.zeros(0, dtype=torch.float32), default_dtype=f64)
case("default float64: empty float64", torch.zeros(0, 2, dtype=f64), default_dtype=f64)
case("default float64: int64", torch.tensor([1, 2]), default_dtype=f64)
case("float16", torch.tensor([1.5, 2.0, -0.333], dtype=torch.float16))
case("float16 max", torch.tensor([65504.0, 1.0], dtype=torch.float16))
case("float16 sci", torch.tensor([1e-3, 60000.0, 0.5], dtype=torch.float16))
case("bfloat16 randn", torch.randn(2, 3, generator=gen(10)).bfloat16())
case("bfloat16 int-valued", torch.tensor([1.0, 256.0], dtype=torch.bfloat16))

# ---- ints and bools ------------------------------------------------------------------------
case("int64", torch.tensor([1, 2]))
case("arange(10)", torch.arange(10))
case("int64 large magnitude", torch.tensor([123456789012, -5, 7]))
case("int64 beyond 2^53", torch.tensor([2**60 + 1, -(2**62) - 3, 0]))
case("int32", torch.tensor([1, -2, 3], dtype=torch.int32))
case("int16 2d", torch.tensor([[1, -200], [30, 4]], dtype=torch.int16))
case("int8", torch.tensor([-128, 127], dtype=torch.int8))
case("uint8", torch.tensor([0, 255, 7], dtype=torch.uint8))
case("int64 3d", torch.arange(24).reshape(2, 3, 4))
case("int64 wide row", torch.arange(100000, 100040))
case("bool", torch.tensor([True, False]))
case("bool 2d", torch.tensor([[True, False, True], [False, False, True]]))
case("bool summarised", torch.rand(2000, generator=gen(11)) > 0.5)
case("randint 50x50 summarised", torch.randint(-1000, 1000, (50, 50), generator=gen(12)))

# ---- empty ---------------------------------------------------------------------------------
case("empty", torch.tensor([]))
case("empty 0x3", torch.zeros(0, 3))
case("empty 2x0x3", torch.zeros(2, 0, 3))
case("empty int64", torch.tensor([], dtype=torch.int64))
case("empty int64 2d", torch.zeros(3, 0, dtype=torch.int64))
case("empty bool", torch.tensor([], dtype=torch.bool))
case("empty float64", torch.tensor([], dtype=f64))
case("empty int32 2d", torch.zeros(0, 4, dtype=torch.int32))
case("empty requires_grad", torch.zeros(0, 3, requires_grad=True))

# ---- shapes, nesting, summarisation, wrapping --------------------------------------------
case("shape 1x1x1", torch.tensor([[[7.0]]]))
case("shape 3x1", torch.tensor([[1.5], [2.5], [3.5]]))
case("4-d small", torch.arange(16.0).reshape(2, 2, 2, 2))
case("randn(3,4,5,6)", torch.randn(3, 4, 5, 6, generator=gen(13)))
case("randn(2000)", torch.randn(2000, generator=gen(14)))
case("arange(2000.)", torch.arange(2000.0))
case("randn(40,40)", torch.randn(40, 40, generator=gen(15)))
case("randn(10,10,12) summarised", torch.randn(10, 10, 12, generator=gen(16)))
case("randn(6,6,6,6) summarised", torch.randn(6, 6, 6, 6, generator=gen(17)) * 10)
hidden = torch.arange(2000.0) / 4
hidden[1000] = 1e12
case("summarised formatter ignores hidden value", hidden)
hidden2 = torch.ones(40, 40)
hidden2[20, 20] = 0.5
case("summarised hidden fraction keeps int mode", hidden2)
case("randn(1,30)", torch.randn(1, 30, generator=gen(18)))
case("randn(30)", torch.randn(30, generator=gen(19)))
case("arange(30.)", torch.arange(30.0))
case("randn(3,30)*10", torch.randn(3, 30, generator=gen(20)) * 10)
case("float64 wide", torch.randn(25, dtype=f64, generator=gen(21)))
case("sci wide", torch.randn(20, generator=gen(22)) * 1e-5)
case("Parameter", torch.nn.Parameter(torch.randn(2, 3, generator=gen(23))), parameter=True)
case("Parameter wide", torch.nn.Parameter(torch.randn(1, 20, generator=gen(24))), parameter=True)
case("Parameter 3d", torch.nn.Parameter(torch.randn(2, 2, 9, generator=gen(25))), parameter=True)

# ---- print options ---------------------------------------------------------------------
case("precision=2", torch.randn(3, 3, generator=gen(26)), {"precision": 2})
case("precision=6", torch.randn(4, generator=gen(27)), {"precision": 6})
case("precision=0 fixed ties", torch.tensor([0.5, 1.5, 2.5, 3.25], dtype=f64), {"precision": 0})
case("precision=0 sci", torch.tensor([1e-5, 2.5e5]), {"precision": 0})
case("precision=2 sci", torch.tensor([1.125e-7, 3.0], dtype=f64), {"precision": 2})
case("sci_mode=False", torch.tensor([1e-5, 1e5]), {"sci_mode": False})
case("sci_mode=False huge", torch.tensor([1e25, 1.5], dtype=f64), {"sci_mode": False})
case("sci_mode=False tiny", torch.tensor([1e-7, 0.5]), {"sci_mode": False})
case("sci_mode=True", torch.tensor([1.5, 2.5]), {"sci_mode": True})
case("sci_mode=True int-valued", torch.tensor([1.0, 2.0, 300.0]), {"sci_mode": True})
case("sci_mode=True zeros", torch.zeros(3), {"sci_mode": True})
case("profile=full arange(1200)", torch.arange(1200), {"profile": "full"})
case("profile=full (arange(1100.)/4).reshape(10,110)", (torch.arange(1100.0) / 4).reshape(10, 110), {"profile": "full"})
case("profile=short", torch.randn(3, 3, generator=gen(29)), {"profile": "short"})
case("profile=short summarised", torch.randn(2000, generator=gen(30)), {"profile": "short"})
case("linewidth=40 vector", torch.randn(20, generator=gen(31)), {"linewidth": 40})
case("linewidth=40 2d", torch.randn(3, 12, generator=gen(32)), {"linewidth": 40})
case("linewidth=40 suffix", torch.randn(4, dtype=f64, generator=gen(33), requires_grad=True) * 3, {"linewidth": 40})
case("linewidth=120", torch.randn(2, 25, generator=gen(34)), {"linewidth": 120})
case("linewidth=10", torch.arange(12.0), {"linewidth": 10})
case("threshold=5 edgeitems=2 arange(10)", torch.arange(10), {"threshold": 5, "edgeitems": 2})
case("threshold=5 edgeitems=2 4x4", torch.randn(4, 4, generator=gen(35)), {"threshold": 5, "edgeitems": 2})
case("threshold=5 edgeitems=2 3d", torch.randn(5, 5, 5, generator=gen(36)), {"threshold": 5, "edgeitems": 2})
case("threshold=5 edgeitems=2 not exceeded", torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0]), {"threshold": 5, "edgeitems": 2})
case("threshold=0 scalar", torch.tensor(2.5), {"threshold": 0})
case("threshold=5 edgeitems=1", torch.arange(20.0).reshape(4, 5), {"threshold": 5, "edgeitems": 1})
case("threshold=10 edgeitems=3 small dim", torch.randn(2, 9, generator=gen(37)), {"threshold": 10})

os.makedirs(os.path.join(os.path.dirname(__file__), "..", "test", "golden"), exist_ok=True)
path = os.path.join(os.path.dirname(__file__), "..", "test", "golden", "printing.json")
with open(path, "w") as f:
    # one case a line: compact, and diffs stay readable
    f.write('{"torch_version": %s,\n "cases": [\n' % json.dumps(torch.__version__))
    f.write(",\n".join(json.dumps(c, allow_nan=False) for c in cases))
    f.write("\n]}\n")
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
