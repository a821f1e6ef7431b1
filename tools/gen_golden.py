#!/usr/bin/python3
"""Golden data for the op database (test/opdb.ts, test/ops.test.ts), computed by real PyTorch.

Run with PyTorch 2.x (the committed data come from 2.13):

    /work/.venv-torch/bin/python tools/gen_golden.py          # writes test/golden/ops.json

Every case below is one call of one op on a set of sample inputs (PyTorch's OpInfo in spirit:
broadcast pairs, 0-d, empty, non-contiguous views, each supported dtype). For each case the
JSON records, losslessly:

  inputs    each tensor as {dtype, shape, data} of its *base* (a contiguous leaf), plus the view
            op that turns the base into the argument ("t", "transpose", "permute", "slice",
            "expand"), so the TypeScript side builds non-contiguous inputs through its own views;
            scalars, ints, lists, dtypes and tensor lists as tagged values
  outputs   values, shape, dtype and grad_fn name of every output
  grads     for differentiable floating cases: the gradients of the bases for grad_outputs `w`
            (a fixed random tensor per output, stored too), i.e. autograd.grad(outs, bases, w)
  checks    whether PyTorch's own gradcheck / gradgradcheck pass on the float64 cases (a case
            sitting on a kink, like max with ties, is marked so the TS side skips gradcheck)
  errors    for bad-input cases, PyTorch's message (the TS side checks ours contains it)

Values: floats as JSON numbers (float64 repr round-trips exactly; float32/16 and bfloat16
values are exact float64 values), non-finite floats as "nan"/"inf"/"-inf", int64 beyond 2^53
as decimal strings, bools as JSON booleans.

Data are seeded per case (crc32 of the case name), so adding a case does not change the others.

Some generators still give a case hand-written 2.x values from when their data came from
Debian's PyTorch 1.13: `grad_fn_2x` (a node 2.x names otherwise) and `error_2x` (a message 2.x
words otherwise, or an error where 1.13 computes a result), which 1.13's run records beside its
own. Run on PyTorch 2.x, its own output is the datum and such an override is only reported, to be
removed.
"""

import json
import math
import os
import sys
import zlib

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import RUNNING_2X, enc_num, enc_tensor  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "ops.json")

DTYPES = {n: getattr(torch, n) for n in
          ["bool", "uint8", "int8", "int16", "int32", "int64", "float16", "bfloat16", "float32", "float64"]}
FLOATS = {"float16", "bfloat16", "float32", "float64"}


# ---------------------------------------------------------------------------------------------
# Argument specs. A tensor spec describes a base leaf and the view op applied to it.

class T:
    """A tensor argument: base of `shape` and `dtype`, values from `values` (flat or nested) or
    random in [lo, hi] (integers for integer dtypes), optionally seen through `view`."""

    def __init__(self, shape, dtype="float32", lo=-2.0, hi=2.0, values=None, view=None, rg=None,
                 nonzero=False):
        self.shape, self.dtype, self.lo, self.hi = list(shape), dtype, lo, hi
        self.values, self.view, self.rg, self.nonzero = values, view, rg, nonzero

    def make_base(self, gen):
        dt = DTYPES[self.dtype]
        if self.values is not None:
            v = torch.tensor(self.values, dtype=torch.float64)
            if self.dtype == "int64":
                v = torch.tensor(self.values, dtype=torch.int64)
            return v.reshape(self.shape).to(dt)
        n = 1
        for s in self.shape:
            n *= s
        if self.dtype == "bool":
            return (torch.rand(n, generator=gen, dtype=torch.float64) < 0.5).reshape(self.shape)
        if self.dtype in FLOATS:
            v = self.lo + (self.hi - self.lo) * torch.rand(n, generator=gen, dtype=torch.float64)
            if self.nonzero:  # keep away from 0 (division, reciprocal)
                v = torch.where(v.abs() < 0.25, v.sign() * 0.25 + v, v)
            return v.reshape(self.shape).to(dt)
        v = torch.randint(int(self.lo), int(self.hi) + 1, (n,), generator=gen, dtype=torch.int64)
        if self.nonzero:
            v = torch.where(v == 0, torch.ones_like(v), v)
        return v.reshape(self.shape).to(dt)

    def requires_grad(self):
        return self.dtype in FLOATS if self.rg is None else self.rg


def apply_view(x, view):
    if view is None:
        return x
    kind = view[0]
    if kind == "t":
        return x.t()
    if kind == "transpose":
        return x.transpose(view[1], view[2])
    if kind == "permute":
        return x.permute(*view[1])
    if kind == "slice":  # ("slice", dim, start, step)
        dim, start, step = view[1], view[2], view[3]
        idx = [slice(None)] * x.dim()
        idx[dim] = slice(start, None, step)
        return x[tuple(idx)]
    if kind == "expand":
        return x.expand(*view[1])
    raise ValueError(view)


def view_json(view):
    if view is None:
        return None
    kind = view[0]
    if kind == "t":
        return {"op": "t"}
    if kind == "transpose":
        return {"op": "transpose", "dim0": view[1], "dim1": view[2]}
    if kind == "permute":
        return {"op": "permute", "dims": list(view[1])}
    if kind == "slice":
        return {"op": "slice", "dim": view[1], "start": view[2], "step": view[3]}
    if kind == "expand":
        return {"op": "expand", "size": list(view[1])}
    raise ValueError(view)


# Views used by many cases: a logical [2, 3] argument laid out in three non-contiguous ways.
TR = ("t",)                      # base [3, 2] -> [2, 3], strides (1, 2)
SL = ("slice", 1, 0, 2)          # base [2, 6] -> [2, 3], every other column
EX = ("expand", [2, 3])          # base [1, 3] -> [2, 3], stride 0 on dim 0


class S:
    """A scalar argument (a JS number or boolean). Integer-valued numbers are Python ints, as a
    JS number with an integral value is a weak int scalar (shared/API.md §4)."""

    def __init__(self, v):
        self.v = v

    def py(self):
        v = self.v
        if isinstance(v, bool):
            return v
        if isinstance(v, float) and math.isfinite(v) and v == int(v):
            return int(v)
        return v


class L:
    """A list of tensor arguments (cat, stack)."""

    def __init__(self, *items):
        self.items = list(items)


class D:
    """A dtype argument."""

    def __init__(self, name):
        self.name = name


# ---------------------------------------------------------------------------------------------
# Value encoding

def enc_value(v):
    if isinstance(v, float) or isinstance(v, int):
        return enc_num(v)
    return v


# ---------------------------------------------------------------------------------------------
# The ops, as PyTorch calls. Names are the keys of test/opdb.ts.

def _unary(name):
    return lambda x: getattr(torch, name)(x)


OPS = {}
UNARY = ["abs", "neg", "exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt",
         "square", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "sigmoid",
         "relu", "erf", "erfc", "sign", "sgn", "floor", "ceil", "round", "trunc", "frac", "reciprocal"]
for _n in UNARY:
    OPS[_n] = _unary(_n)
OPS.update({
    "round_decimals": lambda x, **kw: torch.round(x, **kw),
    "logit": lambda x, **kw: torch.logit(x, **kw),
    "clamp": lambda x, **kw: torch.clamp(x, **kw),
    "nan_to_num": lambda x, **kw: torch.nan_to_num(x, **kw),
    "logical_not": torch.logical_not,
    "bitwise_not": torch.bitwise_not,
    "isnan": torch.isnan, "isinf": torch.isinf, "isfinite": torch.isfinite,
})
BINARY = ["add", "sub", "mul", "div", "pow", "atan2", "maximum", "minimum", "fmod", "remainder",
          "floor_divide", "eq", "ne", "lt", "le", "gt", "ge", "logical_and", "logical_or",
          "logical_xor", "bitwise_and", "bitwise_or", "bitwise_xor", "bitwise_left_shift",
          "bitwise_right_shift"]
for _n in BINARY:
    OPS[_n] = (lambda n: lambda a, b, **kw: getattr(torch, n)(a, b, **kw))(_n)
OPS.update({
    "rsub": lambda a, b, **kw: torch.rsub(a, b, **kw),
    "lerp": lambda a, b, w: torch.lerp(a, b, w),
    "where": lambda c, a, b: torch.where(c, a, b),
    "isclose": lambda a, b, **kw: torch.isclose(a, b, **kw),
    # reductions
    "sum": lambda x, **kw: torch.sum(x, **kw),
    "mean": lambda x, **kw: torch.mean(x, **kw),
    "prod": lambda x, **kw: torch.prod(x, **kw),
    "max": lambda x, **kw: torch.max(x, **kw),
    "min": lambda x, **kw: torch.min(x, **kw),
    "amax": lambda x, **kw: torch.amax(x, **kw),
    "amin": lambda x, **kw: torch.amin(x, **kw),
    "argmax": lambda x, **kw: torch.argmax(x, **kw),
    "argmin": lambda x, **kw: torch.argmin(x, **kw),
    "any": lambda x, **kw: torch.any(x, **kw),
    "all": lambda x, **kw: torch.all(x, **kw),
    "softmax": lambda x, dim, **kw: torch.softmax(x, dim, **kw),
    "log_softmax": lambda x, dim, **kw: torch.log_softmax(x, dim, **kw),
    "logsumexp": lambda x, dim, keepdim=False: torch.logsumexp(x, dim, keepdim),
    "cumsum": lambda x, dim, **kw: torch.cumsum(x, dim, **kw),
    "cumprod": lambda x, dim, **kw: torch.cumprod(x, dim, **kw),
    # views
    "view": lambda x, shape: x.view(shape),
    "reshape": lambda x, shape: torch.reshape(x, shape),
    "permute": lambda x, dims: torch.permute(x, dims),
    "transpose": lambda x, a, b: torch.transpose(x, a, b),
    "t": lambda x: torch.t(x),
    "squeeze": lambda x, *dim: torch.squeeze(x, *dim),
    "unsqueeze": lambda x, d: torch.unsqueeze(x, d),
    "expand": lambda x, shape: x.expand(shape),
    "flatten": lambda x, *a: torch.flatten(x, *a),
    "unflatten": lambda x, d, sizes: torch.unflatten(x, d, sizes),
    "narrow": lambda x, d, s, n: torch.narrow(x, d, s, n),
    "select": lambda x, d, i: torch.select(x, d, i),
    "diagonal": lambda x, *a: torch.diagonal(x, *a),
    "split": lambda x, s, d: torch.split(x, s, d),
    "chunk": lambda x, c, d: torch.chunk(x, c, d),
    "unbind": lambda x, d: torch.unbind(x, d),
    "movedim": lambda x, s, d: torch.movedim(x, s, d),
    # indexing
    "cat": lambda ts, d: torch.cat(ts, d),
    "stack": lambda ts, d: torch.stack(ts, d),
    "flip": lambda x, dims: torch.flip(x, dims),
    "gather": lambda x, d, i: torch.gather(x, d, i),
    "scatter": lambda x, d, i, s: torch.scatter(x, d, i, s),
    "scatter_add": lambda x, d, i, s: torch.scatter_add(x, d, i, s),
    "index_select": lambda x, d, i: torch.index_select(x, d, i),
    "masked_fill": lambda x, m, v: torch.masked_fill(x, m, v),
    # advanced indexing and the remaining shape ops (src/ops/index_ops.ts)
    "index_put": lambda x, idx, v, *acc: torch.index_put(x, idx, v, *acc),
    "masked_select": lambda x, m: torch.masked_select(x, m),
    "masked_scatter": lambda x, m, s: torch.masked_scatter(x, m, s),
    "take": lambda x, i: torch.take(x, i),
    "index_fill": lambda x, d, i, v: torch.index_fill(x, d, i, v),
    "nonzero": lambda x, **kw: torch.nonzero(x, **kw),
    "argwhere": lambda x: torch.argwhere(x),
    "where_cond": lambda c: torch.where(c),
    "repeat": lambda x, sizes: x.repeat(sizes),
    "repeat_interleave": lambda x, r, *dim, **kw: torch.repeat_interleave(x, r, *dim, **kw),
    "repeat_interleave_method": lambda x, r, *dim, **kw: x.repeat_interleave(r, *dim, **kw),
    # the one-argument form: torch.repeat_interleave(repeats) -> indices
    "repeat_interleave_repeats": lambda r, **kw: torch.repeat_interleave(r, **kw),
    "tile": lambda x, dims: torch.tile(x, dims),
    "roll": lambda x, shifts, *dims: torch.roll(x, shifts, *dims),
    "tril": lambda x, *k: torch.tril(x, *k),
    "triu": lambda x, *k: torch.triu(x, *k),
    "diag": lambda x, *k: torch.diag(x, *k),
    "diag_embed": lambda x, *a: torch.diag_embed(x, *a),
    # linalg
    "matmul": torch.matmul, "mm": torch.mm, "bmm": torch.bmm, "mv": torch.mv, "dot": torch.dot,
    "outer": torch.outer,
    "addmm": lambda i, a, b, **kw: torch.addmm(i, a, b, **kw),
    "baddbmm": lambda i, a, b, **kw: torch.baddbmm(i, a, b, **kw),
    # conversion
    "to": lambda x, d: x.to(d),
})

# ---------------------------------------------------------------------------------------------
# The cases

CASES = []
SKIPPED = []

def case(op, variant, args, kwargs=None, grad_fn_2x=None, error=False, error_2x=None):
    """One sample: `op` called on `args` (+ `kwargs`).
    grad_fn_2x: {1.13 name: (applies(args), 2.x name, why)} where PyTorch 2.x names this case's node
    differently. error_2x: (2.x message, why) for a bad-input case 2.x words differently (or, where
    1.13 computes a result, rejects)."""
    name = f"{op} {variant}"
    assert name not in {c["name"] for c in CASES}, name
    assert op in OPS, op
    assert error_2x is None or error, name
    CASES.append({"name": name, "op": op, "args": args, "kwargs": kwargs or {},
                  "grad_fn_2x": grad_fn_2x, "error": error, "error_2x": error_2x})


# Domains for unary ops: (lo, hi) of random inputs, and whether 0 must be avoided.
DOMAIN = {
    "log": (0.2, 3.0), "log2": (0.2, 3.0), "log10": (0.2, 3.0), "sqrt": (0.2, 3.0),
    "rsqrt": (0.2, 3.0), "log1p": (-0.8, 2.0), "asin": (-0.9, 0.9), "acos": (-0.9, 0.9),
    "tan": (-1.2, 1.2),
}
# Integer inputs: PyTorch computes these ops on ints (result int or promoted to float32).
INT_OK = {"abs", "neg", "exp", "log", "sqrt", "square", "sin", "sigmoid", "relu", "sign", "sgn",
          "floor", "ceil", "round", "trunc", "reciprocal", "tanh", "erf", "log1p", "exp2"}
# float16 on CPU in 1.13 only for a few unary kernels; bfloat16 for most.
HALF_OK = {"abs", "neg"}
BF16_OK = {"exp", "sin", "abs", "sigmoid", "tanh", "log", "sqrt", "neg", "relu", "floor"}
SPECIAL = [float("nan"), float("inf"), float("-inf"), 0.0, -0.0, 1.5, -2.5, 0.5]


def unary_cases(op):
    lo, hi = DOMAIN.get(op, (-2.0, 2.0))
    nz = op in ("reciprocal", "abs", "sign", "sgn", "relu")  # kinks / poles at 0
    if op in ("reciprocal",):
        lo, hi = -3.0, 3.0
    if op in ("frac", "floor", "ceil", "round", "trunc"):
        nz = True
    case(op, "float32", [T([2, 3], lo=lo, hi=hi, nonzero=nz)])
    case(op, "float64", [T([2, 3], "float64", lo=lo, hi=hi, nonzero=nz)])
    case(op, "float32 0-d", [T([], lo=lo, hi=hi, nonzero=nz)])
    case(op, "float32 empty", [T([0, 3], lo=lo, hi=hi)])
    case(op, "float32 transposed", [T([3, 2], lo=lo, hi=hi, nonzero=nz, view=TR)])
    case(op, "float64 sliced", [T([2, 6], "float64", lo=lo, hi=hi, nonzero=nz, view=SL)])
    case(op, "float64 expanded", [T([1, 3], "float64", lo=lo, hi=hi, nonzero=nz, view=EX)])
    if op in INT_OK:
        ilo, ihi = (1, 9) if op in ("log", "sqrt", "reciprocal", "log1p") else (-5, 5)
        case(op, "int64", [T([2, 3], "int64", lo=ilo, hi=ihi)])
        case(op, "int32", [T([2, 3], "int32", lo=ilo, hi=ihi)])
    if op in ("abs", "neg", "sign", "relu", "floor", "exp", "sqrt"):
        case(op, "uint8" if op != "neg" else "int8", [T([5], "uint8" if op != "neg" else "int8", lo=0, hi=9)])
    if op in ("abs", "exp", "sqrt", "floor", "sin"):
        case(op, "bool", [T([4], "bool")])
    if op in HALF_OK:
        case(op, "float16", [T([2, 3], "float16", lo=lo, hi=hi, nonzero=nz)])
    if op in BF16_OK:
        case(op, "bfloat16", [T([2, 3], "bfloat16", lo=lo, hi=hi, nonzero=nz)])
    if op not in ("frac",):
        case(op, "float32 special values", [T([8], values=SPECIAL)])


def binary_cases(op, lo=-2.0, hi=2.0, blo=None, bhi=None, nz_b=False, ints=True, extra_int=True,
                 scalars=True):
    blo = lo if blo is None else blo
    bhi = hi if bhi is None else bhi
    A = lambda shape, dt="float32", **k: T(shape, dt, lo=lo, hi=hi, **k)
    B = lambda shape, dt="float32", **k: T(shape, dt, lo=blo, hi=bhi, nonzero=nz_b, **k)
    case(op, "float32", [A([2, 3]), B([2, 3])])
    case(op, "float64", [A([2, 3], "float64"), B([2, 3], "float64")])
    case(op, "float32 broadcast", [A([2, 1, 3]), B([4, 1])])
    case(op, "float64 broadcast", [A([2, 1, 3], "float64"), B([4, 1], "float64")])
    case(op, "float32 0-d", [A([]), B([])])
    case(op, "float32 0-d with 2-d", [A([]), B([2, 3])])
    case(op, "float32 empty", [A([0, 3]), B([3])])
    case(op, "float32 non-contiguous", [A([3, 2], view=TR), B([2, 6], view=SL)])
    case(op, "float64 expanded", [A([1, 3], "float64", view=EX), B([3, 2], "float64", view=TR)])
    if scalars:
        case(op, "float32 scalar", [A([2, 3]), S(1.5)])
        case(op, "float32 int scalar", [A([2, 3]), S(2.0)])
    case(op, "float32 with float64", [A([2, 3]), B([3], "float64")])
    if ints:
        case(op, "int64", [T([2, 3], "int64", lo=-6, hi=6), T([2, 3], "int64", lo=-4, hi=4, nonzero=nz_b)])
        case(op, "int64 broadcast", [T([2, 1], "int64", lo=-6, hi=6), T([3], "int64", lo=-4, hi=4, nonzero=nz_b)])
        case(op, "int32 with int64", [T([3], "int32", lo=-6, hi=6), T([3], "int64", lo=1, hi=4)])
        if scalars:
            case(op, "int64 int scalar", [T([2, 3], "int64", lo=-6, hi=6), S(3.0)])
            case(op, "int64 float scalar", [T([2, 3], "int64", lo=-6, hi=6), S(2.5)])
        case(op, "int64 with float32", [T([2, 3], "int64", lo=-6, hi=6), B([3])])
        if extra_int:
            case(op, "uint8 with int8", [T([4], "uint8", lo=0, hi=9), T([4], "int8", lo=1, hi=5)])
            case(op, "bool with int64", [T([4], "bool"), T([4], "int64", lo=1, hi=5)])


def run_cases():
    # ---- unary
    for op in UNARY:
        unary_cases(op)
    case("round_decimals", "float32 decimals=2", [T([2, 3], lo=-20, hi=20)], {"decimals": 2})
    case("round_decimals", "float64 decimals=1", [T([2, 3], "float64", lo=-20, hi=20)], {"decimals": 1})
    case("round_decimals", "float64 decimals=-1", [T([2, 3], "float64", lo=-200, hi=200)], {"decimals": -1})
    case("round_decimals", "float32 half-way", [T([6], values=[0.5, 1.5, 2.5, -0.5, -1.5, 0.25])], {"decimals": 0})
    case("logit", "float32", [T([2, 3], lo=0.05, hi=0.95)])
    case("logit", "float64", [T([2, 3], "float64", lo=0.05, hi=0.95)])
    case("logit", "float64 eps", [T([6], "float64", values=[0.01, 0.05, 0.3, 0.7, 0.95, 0.99])], {"eps": 0.1})
    case("logit", "float32 eps", [T([2, 3], lo=0.0, hi=1.0)], {"eps": 0.2})
    case("logit", "int64", [T([4], "int64", lo=0, hi=1)])
    case("clamp", "float32 min max", [T([2, 3])], {"min": S(-0.5), "max": S(0.5)})
    case("clamp", "float64 min max", [T([2, 3], "float64", values=[-1.5, -0.3, 0.1, 0.4, 0.9, 1.7])], {"min": S(-0.5), "max": S(0.5)})
    case("clamp", "float32 min only", [T([2, 3])], {"min": S(0.0)})
    case("clamp", "float32 max only", [T([2, 3])], {"max": S(0.25)})
    case("clamp", "float32 0-d", [T([])], {"min": S(-0.5), "max": S(0.5)})
    case("clamp", "float32 transposed", [T([3, 2], view=TR)], {"min": S(-1.0), "max": S(1.0)})
    case("clamp", "int64 int bounds", [T([2, 3], "int64", lo=-6, hi=6)], {"min": S(-2.0), "max": S(3.0)})
    case("clamp", "int64 float bounds", [T([2, 3], "int64", lo=-6, hi=6)], {"min": S(-2.5), "max": S(3.5)})
    case("clamp", "float32 nan", [T([4], values=[float("nan"), -3.0, 0.2, 3.0])], {"min": S(-1.0), "max": S(1.0)})
    case("clamp", "float32 tensor bounds", [T([2, 3])], {"min": T([3], lo=-1.0, hi=-0.2), "max": T([2, 1], lo=0.2, hi=1.0)})
    case("clamp", "float64 tensor bounds", [T([2, 3], "float64", values=[-1.5, -0.3, 0.1, 0.4, 0.9, 1.7])],
         {"min": T([3], "float64", values=[-0.5, -0.4, -0.2]), "max": T([2, 1], "float64", values=[0.5, 0.6])})
    case("clamp", "float32 tensor min only", [T([2, 3])], {"min": T([3], lo=-0.5, hi=0.5)})
    case("nan_to_num", "float32", [T([6], values=[float("nan"), float("inf"), float("-inf"), 1.5, -2.0, 0.0])])
    case("nan_to_num", "float64", [T([6], "float64", values=[float("nan"), float("inf"), float("-inf"), 1.5, -2.0, 0.0])])
    case("nan_to_num", "float32 replacements", [T([6], values=[float("nan"), float("inf"), float("-inf"), 1.5, -2.0, 0.0])],
         {"nan": 0.5, "posinf": 10.0, "neginf": -10.0})
    case("nan_to_num", "float64 finite", [T([2, 3], "float64")])
    case("nan_to_num", "int64", [T([3], "int64", lo=-5, hi=5)])
    case("nan_to_num", "bfloat16", [T([4], "bfloat16", values=[float("nan"), float("inf"), float("-inf"), 1.5])])
    case("nan_to_num", "float16", [T([4], "float16", values=[float("nan"), float("inf"), float("-inf"), 1.5])])
    for op in ("logical_not", "isnan", "isinf", "isfinite"):
        case(op, "float32", [T([8], values=SPECIAL)])
        case(op, "int64", [T([5], "int64", lo=-2, hi=2)])
        case(op, "bool", [T([5], "bool")])
    case("bitwise_not", "int64", [T([2, 3], "int64", lo=-100, hi=100)])
    case("bitwise_not", "int64 large", [T([3], "int64", values=[2 ** 62 + 1, -(2 ** 60), 0])])
    case("bitwise_not", "int32", [T([4], "int32", lo=-100, hi=100)])
    case("bitwise_not", "uint8", [T([4], "uint8", lo=0, hi=255)])
    case("bitwise_not", "bool", [T([4], "bool")])

    # ---- binary arithmetic
    binary_cases("add")
    case("add", "float32 alpha", [T([2, 3]), T([3])], {"alpha": 2.5})
    case("add", "float64 alpha", [T([2, 3], "float64"), T([3], "float64")], {"alpha": -0.5})
    case("add", "int64 alpha", [T([2, 3], "int64", lo=-5, hi=5), T([3], "int64", lo=-5, hi=5)], {"alpha": 3})
    case("add", "bool with bool", [T([4], "bool"), T([4], "bool")])
    case("add", "float16", [T([2, 3], "float16"), T([3], "float16")])
    case("add", "bfloat16", [T([2, 3], "bfloat16"), T([3], "bfloat16")])
    case("add", "int64 large", [T([2], "int64", values=[2 ** 62, -(2 ** 62) - 5]), T([2], "int64", values=[12345, 3])])
    case("add", "float64 0-d with float32 1-d", [T([], "float64"), T([3])])
    case("add", "scalar first", [S(2.5), T([2, 3])])
    binary_cases("sub", extra_int=False)
    case("sub", "float32 alpha", [T([2, 3]), T([3])], {"alpha": 2.0})
    case("sub", "float64 alpha", [T([2, 3], "float64"), T([3], "float64")], {"alpha": 1.5})
    case("sub", "uint8 with int8", [T([4], "uint8", lo=0, hi=9), T([4], "int8", lo=1, hi=5)])
    case("sub", "float16", [T([2, 3], "float16"), T([3], "float16")])
    case("rsub", "float32 scalar", [T([2, 3]), S(10.0)])
    case("rsub", "float64 tensor", [T([2, 3], "float64"), T([3], "float64")])
    case("rsub", "int64 scalar", [T([2, 3], "int64", lo=-5, hi=5), S(10.0)])
    binary_cases("mul")
    case("mul", "float16", [T([2, 3], "float16"), T([3], "float16")])
    case("mul", "bfloat16", [T([2, 3], "bfloat16"), T([3], "bfloat16")])
    case("mul", "bool with bool", [T([4], "bool"), T([4], "bool")])
    case("mul", "promotion int64 * 2.5", [T([3], "int64", lo=-5, hi=5), S(2.5)])
    case("mul", "promotion float64 0-d * float32 1-d", [T([], "float64"), T([3])])
    case("mul", "promotion int64 1-d * float32 0-d", [T([3], "int64", lo=-5, hi=5), T([])])
    case("mul", "promotion int32 0-d * int64 1-d", [T([], "int32", lo=-5, hi=5), T([3], "int64", lo=-5, hi=5)])
    case("mul", "promotion float32 0-d * int64 0-d", [T([]), T([], "int64", lo=-5, hi=5)])
    case("mul", "int64 large", [T([2], "int64", values=[2 ** 40 + 7, -(2 ** 35)]), T([2], "int64", values=[2 ** 20, 3])])
    case("add", "promotion int64 + 1", [T([3], "int64", lo=-5, hi=5), S(1.0)])
    case("add", "promotion uint8 + int8", [T([4], "uint8", lo=0, hi=255), T([4], "int8", lo=-128, hi=127)])
    case("add", "promotion bool + bool", [T([4], "bool"), T([4], "bool")])
    case("add", "promotion uint8 + 300", [T([3], "uint8", lo=0, hi=255), S(300.0)])
    case("add", "promotion int32 + float64 0-d", [T([3], "int32", lo=-5, hi=5), T([], "float64")])
    case("add", "promotion bool + 1.5", [T([3], "bool"), S(1.5)])
    binary_cases("div", blo=0.5, bhi=3.0, nz_b=True)
    case("div", "promotion int / int", [T([4], "int64", lo=-9, hi=9), T([4], "int64", values=[2, -3, 4, 7])])
    case("div", "float16", [T([2, 3], "float16"), T([3], "float16", lo=0.5, hi=2)])
    for mode in ("trunc", "floor"):
        kw = {"rounding_mode": mode}
        case("div", f"float32 {mode}", [T([2, 3], lo=-9, hi=9), T([3], lo=0.5, hi=3, nonzero=True)], kw)
        case("div", f"float64 {mode}", [T([2, 3], "float64", lo=-9, hi=9), T([3], "float64", lo=-3, hi=3, nonzero=True)], kw)
        case("div", f"int64 {mode}", [T([2, 4], "int64", lo=-9, hi=9), T([4], "int64", values=[2, -3, 4, -7])], kw)
        case("div", f"int64 {mode} scalar", [T([5], "int64", lo=-9, hi=9), S(-2.0)], kw)
        case("div", f"float32 {mode} scalar", [T([5], lo=-9, hi=9), S(2.5)], kw)
    # pow: positive bases for float exponents
    case("pow", "float32 tensor^scalar", [T([2, 3]), S(3.0)])
    case("pow", "float64 tensor^scalar", [T([2, 3], "float64"), S(3.0)])
    case("pow", "float64 tensor^0.5", [T([2, 3], "float64", lo=0.2, hi=3), S(0.5)])
    case("pow", "float64 tensor^0", [T([2, 3], "float64"), S(0.0)])
    case("pow", "float64 tensor^-2", [T([2, 3], "float64", lo=0.5, hi=3), S(-2.0)])
    case("pow", "float32 scalar^tensor", [S(2.5), T([2, 3])])
    case("pow", "float64 scalar^tensor", [S(2.5), T([2, 3], "float64")])
    case("pow", "float64 int scalar^tensor", [S(3.0), T([2, 3], "float64")])
    case("pow", "float32 tensor^tensor", [T([2, 3], lo=0.2, hi=3), T([3])])
    case("pow", "float64 tensor^tensor", [T([2, 3], "float64", lo=0.2, hi=3), T([3], "float64")])
    case("pow", "float64 tensor^tensor broadcast", [T([2, 1, 3], "float64", lo=0.2, hi=3), T([4, 1], "float64")])
    case("pow", "float64 zero base", [T([4], "float64", values=[0.0, 0.0, 1.5, 2.0]), T([4], "float64", values=[2.0, 0.0, 1.0, 0.5])])
    case("pow", "float32 0-d", [T([], lo=0.2, hi=3), T([])])
    case("pow", "float32 non-contiguous", [T([3, 2], lo=0.2, hi=3, view=TR), T([2, 6], view=SL)])
    case("pow", "float32 empty", [T([0, 3], lo=0.2, hi=3), S(2.0)])
    case("pow", "int64 tensor^int", [T([2, 3], "int64", lo=-4, hi=4), S(3.0)])
    case("pow", "int64 tensor^tensor", [T([5], "int64", lo=-4, hi=4), T([5], "int64", lo=0, hi=4)])
    case("pow", "int64 tensor^float", [T([5], "int64", lo=1, hi=4), S(0.5)])
    case("pow", "int scalar^int64 tensor", [S(2.0), T([5], "int64", lo=0, hi=10)])
    case("pow", "bfloat16", [T([4], "bfloat16", lo=0.5, hi=2), S(2.0)])
    case("pow", "float16 tensor^scalar", [T([4], "float16", lo=0.5, hi=2), S(3.0)])
    binary_cases("atan2", ints=False, scalars=False)
    case("atan2", "int64", [T([4], "int64", lo=-3, hi=3), T([4], "int64", lo=-3, hi=3)])
    for op in ("maximum", "minimum"):
        binary_cases(op, ints=True, scalars=False)
        case(op, "float32 nan", [T([4], values=[float("nan"), 1.0, -1.0, 2.0]), T([4], values=[0.0, float("nan"), 3.0, -5.0])])
        case(op, "float64 ties", [T([4], "float64", values=[1.0, 2.0, -1.0, 0.5]), T([4], "float64", values=[1.0, 3.0, -1.0, 0.25])])
        case(op, "bfloat16", [T([4], "bfloat16"), T([4], "bfloat16")])
    for op in ("fmod", "remainder"):
        binary_cases(op, lo=-9, hi=9, blo=-3, bhi=3, nz_b=True)
        case(op, "int64 negative", [T([6], "int64", values=[7, -7, 7, -7, 0, 5]), T([6], "int64", values=[3, 3, -3, -3, 2, 5])])
        case(op, "float64 negative", [T([4], "float64", values=[7.5, -7.5, 7.5, -7.5]), T([4], "float64", values=[2.0, 2.0, -2.0, -2.0])])
    binary_cases("floor_divide", lo=-9, hi=9, blo=-3, bhi=3, nz_b=True)
    case("floor_divide", "int64 negative", [T([6], "int64", values=[7, -7, 7, -7, 0, 6]), T([6], "int64", values=[3, 3, -3, -3, 2, 3])])
    for op in ("eq", "ne", "lt", "le", "gt", "ge"):
        case(op, "float32", [T([2, 3], values=[1.0, 2.0, 3.0, -1.0, 0.5, 2.0]), T([2, 3], values=[1.0, 1.0, 4.0, -1.0, 0.25, 3.0])])
        case(op, "float32 broadcast", [T([2, 1, 3], lo=-1, hi=1), T([4, 1], lo=-1, hi=1)])
        case(op, "float32 scalar", [T([5], values=[0.5, 1.0, 1.5, -1.0, float("nan")]), S(1.0)])
        case(op, "float64 with float32", [T([3], "float64", values=[0.1, 0.5, 1.0]), T([3], values=[0.1, 0.5, 1.0])])
        case(op, "int64", [T([2, 3], "int64", lo=-2, hi=2), T([3], "int64", lo=-2, hi=2)])
        case(op, "int64 float scalar", [T([4], "int64", lo=-2, hi=2), S(0.5)])
        case(op, "bool", [T([4], "bool"), T([4], "bool")])
        case(op, "float32 non-contiguous", [T([3, 2], view=TR), T([2, 6], view=SL)])
        case(op, "float32 0-d", [T([]), T([])])
        case(op, "float32 empty", [T([0, 2]), T([2])])
        case(op, "int64 large", [T([2], "int64", values=[2 ** 60, 2 ** 60 + 1]), T([2], "int64", values=[2 ** 60 + 1, 2 ** 60 + 1])])
    for op in ("logical_and", "logical_or", "logical_xor"):
        case(op, "bool", [T([2, 3], "bool"), T([3], "bool")])
        case(op, "float32", [T([4], values=[0.0, 1.5, 0.0, -2.0]), T([4], values=[0.0, 0.0, 3.0, float("nan")])])
        case(op, "int64 with bool", [T([4], "int64", lo=-1, hi=1), T([4], "bool")])
    for op in ("bitwise_and", "bitwise_or", "bitwise_xor"):
        case(op, "int64", [T([2, 3], "int64", lo=-100, hi=100), T([3], "int64", lo=-100, hi=100)])
        case(op, "int64 large", [T([2], "int64", values=[2 ** 62 + 3, -(2 ** 61) - 1]), T([2], "int64", values=[2 ** 62 + 1, 2 ** 40 - 1])])
        case(op, "int32", [T([4], "int32", lo=-100, hi=100), T([4], "int32", lo=-100, hi=100)])
        case(op, "uint8", [T([4], "uint8", lo=0, hi=255), T([4], "uint8", lo=0, hi=255)])
        case(op, "bool", [T([4], "bool"), T([4], "bool")])
        case(op, "int64 int scalar", [T([4], "int64", lo=-100, hi=100), S(12.0)])
        case(op, "uint8 with int8", [T([4], "uint8", lo=0, hi=255), T([4], "int8", lo=-128, hi=127)])
    for op in ("bitwise_left_shift", "bitwise_right_shift"):
        case(op, "int64", [T([4], "int64", lo=-100, hi=100), T([4], "int64", lo=0, hi=5)])
        case(op, "int32", [T([4], "int32", lo=-100, hi=100), T([4], "int32", lo=0, hi=5)])
        case(op, "int64 int scalar", [T([4], "int64", lo=-100, hi=100), S(3.0)])
    case("lerp", "float32 scalar weight", [T([2, 3]), T([2, 3]), S(0.3)])
    case("lerp", "float64 scalar weight", [T([2, 3], "float64"), T([2, 3], "float64"), S(0.3)])
    case("lerp", "float64 tensor weight", [T([2, 3], "float64"), T([3], "float64"), T([2, 1], "float64", lo=0, hi=1)])
    case("lerp", "float32 broadcast", [T([2, 1, 3]), T([4, 1]), T([3], lo=0, hi=1)])
    case("lerp", "float32 0-d", [T([]), T([]), S(0.75)])
    case("lerp", "float32 non-contiguous", [T([3, 2], view=TR), T([2, 6], view=SL), S(0.5)])
    case("lerp", "float32 large weight", [T([4]), T([4]), S(0.9)])
    case("where", "float32", [T([2, 3], "bool"), T([2, 3]), T([2, 3])])
    case("where", "float64 broadcast", [T([2, 1, 3], "bool"), T([4, 1], "float64"), T([3], "float64")])
    case("where", "float32 scalar other", [T([2, 3], "bool"), T([2, 3]), S(0.0)])
    case("where", "float32 scalar both", [T([2, 3], "bool"), S(1.5), S(-1.0)])
    case("where", "int64", [T([4], "bool"), T([4], "int64", lo=-5, hi=5), T([4], "int64", lo=-5, hi=5)])
    case("where", "int64 with float32", [T([4], "bool"), T([4], "int64", lo=-5, hi=5), T([4])])
    case("where", "float32 non-contiguous", [T([3, 2], "bool", view=TR), T([2, 6], view=SL), T([1, 3], view=EX)])
    case("where", "float32 0-d", [T([], "bool"), T([]), T([])])
    case("where", "float32 empty", [T([0, 3], "bool"), T([3]), T([0, 1])])
    case("isclose", "float32", [T([5], values=[1.0, 1.0, float("nan"), float("inf"), 0.0]),
                                T([5], values=[1.0 + 1e-6, 1.1, float("nan"), float("inf"), 1e-9])])
    case("isclose", "float32 equal_nan", [T([3], values=[float("nan"), 1.0, float("-inf")]),
                                          T([3], values=[float("nan"), 1.0, float("inf")])], {"equal_nan": True})
    case("isclose", "float64 tolerances", [T([4], "float64", values=[1.0, 100.0, 0.0, -5.0]),
                                           T([4], "float64", values=[1.05, 101.0, 0.01, -5.2])], {"rtol": 0.01, "atol": 0.02})
    case("isclose", "float32 broadcast", [T([2, 3]), T([3])])
    case("isclose", "int64", [T([4], "int64", values=[1, 2, 3, 100]), T([4], "int64", values=[1, 3, 3, 101])], {"rtol": 0.0, "atol": 1.0})

    # ---- reductions
    X23, X234 = [2, 3], [2, 3, 4]
    for op in ("sum", "mean"):
        case(op, "float32 all", [T(X234)])
        case(op, "float64 all", [T(X23, "float64")])
        case(op, "float32 dim", [T(X234)], {"dim": 1})
        case(op, "float64 dim keepdim", [T(X234, "float64")], {"dim": -1, "keepdim": True})
        case(op, "float32 dims", [T(X234)], {"dim": [0, 2]})
        case(op, "float64 dims keepdim", [T(X234, "float64")], {"dim": [2, 0], "keepdim": True})
        case(op, "float32 0-d", [T([])])
        case(op, "float32 0-d dim", [T([])], {"dim": 0})
        case(op, "float32 empty all", [T([0, 3])])
        case(op, "float32 empty dim", [T([0, 3])], {"dim": 0})
        case(op, "float32 non-contiguous", [T([4, 3, 2], view=("permute", [2, 1, 0]))], {"dim": 1})
        case(op, "float64 expanded", [T([1, 3], "float64", view=EX)], {"dim": 0})
        case(op, "float32 dtype float64", [T(X23)], {"dtype": D("float64")})
        case(op, "bfloat16", [T(X23, "bfloat16")], {"dim": 1})
        case(op, "float16", [T(X23, "float16")])
    case("sum", "int64", [T(X23, "int64", lo=-9, hi=9)], {"dim": 1})
    case("sum", "int32 all", [T(X23, "int32", lo=-9, hi=9)])
    case("sum", "uint8 all", [T([4], "uint8", lo=100, hi=255)])
    case("sum", "bool", [T([2, 5], "bool")], {"dim": 1})
    case("sum", "int64 large", [T([2], "int64", values=[2 ** 62, 2 ** 61 + 1])])
    case("mean", "int64 dtype float32", [T(X23, "int64", lo=-9, hi=9)], {"dtype": D("float32")})
    case("prod", "float32 all", [T(X23, lo=0.5, hi=1.5)])
    case("prod", "float64 all", [T(X23, "float64", lo=0.5, hi=1.5)])
    case("prod", "float64 dim", [T(X234, "float64", lo=0.5, hi=1.5)], {"dim": 1})
    case("prod", "float64 dim keepdim", [T(X23, "float64", lo=0.5, hi=1.5)], {"dim": 0, "keepdim": True})
    case("prod", "float64 one zero", [T(X23, "float64", values=[0.5, 0.0, 2.0, 1.5, -1.0, 3.0])])
    case("prod", "float64 dim one zero", [T(X23, "float64", values=[0.5, 0.0, 2.0, 1.5, -1.0, 3.0])], {"dim": 1})
    case("prod", "float64 two zeros", [T([4], "float64", values=[0.0, 2.0, 0.0, 3.0])])
    case("prod", "float32 0-d", [T([])])
    case("prod", "float32 empty", [T([0, 3])])
    case("prod", "float32 empty dim", [T([0, 3])], {"dim": 0})
    case("prod", "float32 non-contiguous", [T([3, 2], view=TR)], {"dim": 1})
    case("prod", "int64", [T(X23, "int64", lo=-4, hi=4)], {"dim": 1})
    case("prod", "bool all", [T([4], "bool")])
    for op in ("max", "min"):
        case(op, "float32 all", [T(X234)])
        case(op, "float64 all", [T(X23, "float64")])
        case(op, "float64 all ties", [T([5], "float64", values=[1.0, 3.0, 3.0, -2.0, -2.0])])
        case(op, "float32 dim", [T(X234)], {"dim": 1})
        case(op, "float64 dim keepdim", [T(X234, "float64")], {"dim": -1, "keepdim": True})
        case(op, "float64 dim ties", [T([2, 3], "float64", values=[1.0, 3.0, 3.0, -2.0, -2.0, -5.0])], {"dim": 1})
        case(op, "float32 0-d", [T([])])
        case(op, "float32 0-d dim", [T([])], {"dim": 0})
        case(op, "float32 empty dim", [T([0, 3])], {"dim": 1})
        case(op, "float32 non-contiguous", [T([3, 2], view=TR)], {"dim": 0})
        case(op, "int64 all", [T(X23, "int64", lo=-9, hi=9)])
        case(op, "int64 dim", [T(X23, "int64", lo=-9, hi=9)], {"dim": 1})
        case(op, "bool dim", [T(X23, "bool")], {"dim": 0})
        case(op, "float32 nan", [T([2, 3], values=[1.0, float("nan"), 3.0, -1.0, 2.0, 0.5])], {"dim": 1})
        case(op, "bfloat16 dim", [T(X23, "bfloat16")], {"dim": 1})
    for op in ("amax", "amin"):
        case(op, "float32 all", [T(X234)])
        case(op, "float64 dim", [T(X234, "float64")], {"dim": 1})
        case(op, "float64 dims keepdim", [T(X234, "float64")], {"dim": [0, 2], "keepdim": True})
        case(op, "float64 ties", [T([2, 3], "float64", values=[1.0, 3.0, 3.0, -2.0, -2.0, -5.0])], {"dim": 1})
        case(op, "float64 all ties", [T([2, 3], "float64", values=[1.0, 3.0, 3.0, -2.0, 3.0, -5.0])])
        case(op, "float32 0-d", [T([])])
        case(op, "float32 non-contiguous", [T([3, 2], view=TR)], {"dim": 1})
        case(op, "int64", [T(X23, "int64", lo=-9, hi=9)], {"dim": 0})
        case(op, "float32 empty", [T([0, 3])], {"dim": 1})
    for op in ("argmax", "argmin"):
        case(op, "float32 all", [T(X234)])
        case(op, "float32 dim", [T(X234)], {"dim": 1})
        case(op, "float32 dim keepdim", [T(X234)], {"dim": -1, "keepdim": True})
        case(op, "float32 ties", [T([2, 3], values=[1.0, 3.0, 3.0, -2.0, -2.0, -5.0])], {"dim": 1})
        case(op, "float32 nan", [T([4], values=[1.0, float("nan"), 3.0, float("nan")])])
        case(op, "int64", [T(X23, "int64", lo=-3, hi=3)], {"dim": 0})
        case(op, "float32 0-d", [T([])])
        case(op, "float32 non-contiguous", [T([3, 2], view=TR)], {"dim": 1})
        case(op, "float32 keepdim all", [T(X23)], {"keepdim": True})
    for op in ("any", "all"):
        case(op, "bool all", [T(X23, "bool")])
        case(op, "bool dim", [T([3, 4], "bool")], {"dim": 1})
        case(op, "bool dim keepdim", [T([3, 4], "bool")], {"dim": 0, "keepdim": True})
        case(op, "float32 all", [T([4], values=[0.0, 0.0, 1.5, 0.0])])
        case(op, "int64 dim", [T([2, 3], "int64", values=[0, 0, 0, 1, 2, 3])], {"dim": 1})
        case(op, "bool empty", [T([0], "bool")])
        case(op, "bool 0-d", [T([], "bool")])
        case(op, "uint8 all", [T([3], "uint8", values=[0, 2, 0])])
        case(op, "bool non-contiguous", [T([3, 2], "bool", view=TR)], {"dim": 1})
        case(op, "float32 nan is true", [T([2, 2], values=[float("nan"), 0.0, float("nan"), 1.0])], {"dim": 1})
    for op in ("softmax", "log_softmax"):
        case(op, "float32 dim 1", [T(X234), 1])
        case(op, "float64 dim -1", [T(X234, "float64"), -1])
        case(op, "float64 dim 0", [T(X23, "float64"), 0])
        case(op, "float32 0-d", [T([]), 0])
        case(op, "float32 empty", [T([0, 3]), 1])
        case(op, "float32 non-contiguous", [T([3, 2], view=TR), 1])
        case(op, "float32 large values", [T([4], values=[1000.0, 1001.0, -1000.0, 0.0]), 0])
        case(op, "float32 -inf", [T([4], values=[float("-inf"), 1.0, 2.0, float("-inf")]), 0])
        case(op, "float32 dtype float64", [T(X23), 1], {"dtype": D("float64")})
        case(op, "bfloat16", [T(X23, "bfloat16"), 1])
    case("logsumexp", "float32 dim", [T(X234), 1])
    case("logsumexp", "float64 dim", [T(X234, "float64"), -1])
    case("logsumexp", "float64 dims keepdim", [T(X234, "float64"), [0, 2], True])
    case("logsumexp", "float32 large values", [T([2, 2], values=[1000.0, 1000.0, -1000.0, 0.0]), 1])
    case("logsumexp", "float32 -inf", [T([2, 2], values=[float("-inf"), float("-inf"), float("-inf"), 1.0]), 1])
    case("logsumexp", "float32 0-d", [T([]), 0])
    case("logsumexp", "float32 non-contiguous", [T([3, 2], view=TR), 0])
    case("logsumexp", "int64", [T(X23, "int64", lo=-3, hi=3), 1])
    for op in ("cumsum", "cumprod"):
        lo, hi = (-2.0, 2.0) if op == "cumsum" else (0.5, 1.5)
        case(op, "float32 dim 1", [T(X234, lo=lo, hi=hi), 1])
        case(op, "float64 dim 0", [T(X23, "float64", lo=lo, hi=hi), 0])
        case(op, "float64 dim -1", [T(X234, "float64", lo=lo, hi=hi), -1])
        case(op, "float32 0-d", [T([], lo=lo, hi=hi), 0])
        case(op, "float32 empty", [T([0, 3]), 1])
        case(op, "float32 non-contiguous", [T([3, 2], lo=lo, hi=hi, view=TR), 1])
        case(op, "int64", [T(X23, "int64", lo=-3, hi=3), 1])
        case(op, "bool", [T([5], "bool"), 0])
        case(op, "int64 dtype float64", [T(X23, "int64", lo=-3, hi=3), 1], {"dtype": D("float64")})
        case(op, "float16", [T([4], "float16", lo=lo, hi=hi), 0])
    case("cumprod", "float64 with zero", [T([2, 4], "float64", values=[1.5, 0.0, 2.0, -1.0, 0.5, 2.0, 0.0, 3.0]), 1])
    case("cumprod", "float64 with two zeros", [T([5], "float64", values=[1.5, 0.0, 2.0, 0.0, 3.0]), 0])

    # ---- views
    for dt in ("float32", "float64"):
        case("view", f"{dt}", [T(X234, dt), [6, 4]])
        case("view", f"{dt} infer", [T(X234, dt), [-1, 2]])
        case("view", f"{dt} to 0-d", [T([1], dt), []])
        case("view", f"{dt} from 0-d", [T([], dt), [1, 1]])
        case("reshape", f"{dt}", [T(X234, dt), [4, -1]])
        case("reshape", f"{dt} transposed copies", [T([3, 2], dt, view=TR), [6]])
        case("reshape", f"{dt} sliced", [T([2, 6], dt, view=SL), [3, 2]])
        case("permute", f"{dt}", [T(X234, dt), [2, 0, 1]])
        case("permute", f"{dt} negative dims", [T(X234, dt), [-1, -3, -2]])
        case("transpose", f"{dt}", [T(X234, dt), 0, 2])
        case("transpose", f"{dt} negative", [T(X23, dt), -1, -2])
        case("t", f"{dt}", [T(X23, dt)])
        case("t", f"{dt} 1-d", [T([3], dt)])
        case("t", f"{dt} 0-d", [T([], dt)])
        case("squeeze", f"{dt} all", [T([2, 1, 3, 1], dt)])
        case("squeeze", f"{dt} dim", [T([2, 1, 3], dt), 1])
        case("squeeze", f"{dt} dim not 1", [T([2, 1, 3], dt), 0])
        case("squeeze", f"{dt} negative dim", [T([2, 3, 1], dt), -1])
        case("squeeze", f"{dt} 0-d", [T([], dt)])
        case("unsqueeze", f"{dt} 0", [T(X23, dt), 0])
        case("unsqueeze", f"{dt} -1", [T(X23, dt), -1])
        case("unsqueeze", f"{dt} middle", [T(X23, dt), 1])
        case("unsqueeze", f"{dt} 0-d", [T([], dt), 0])
        case("expand", f"{dt}", [T([3, 1], dt), [3, 4]])
        case("expand", f"{dt} new dims and -1", [T([3, 1], dt), [2, -1, 4]])
        case("expand", f"{dt} 0-d", [T([], dt), [2, 2]])
        case("flatten", f"{dt}", [T(X234, dt)])
        case("flatten", f"{dt} range", [T(X234, dt), 1, 2])
        case("flatten", f"{dt} non-contiguous", [T([3, 2], dt, view=TR)])
        case("flatten", f"{dt} 0-d", [T([], dt)])
        case("unflatten", f"{dt}", [T([2, 6], dt), 1, [2, 3]])
        case("unflatten", f"{dt} infer", [T([6, 2], dt), 0, [-1, 2]])
        case("narrow", f"{dt}", [T([4, 3], dt), 0, 1, 2])
        case("narrow", f"{dt} negative start", [T([4, 3], dt), 1, -2, 2])
        case("select", f"{dt}", [T(X234, dt), 1, 2])
        case("select", f"{dt} negative index", [T(X23, dt), 0, -1])
        case("diagonal", f"{dt}", [T([3, 3], dt)])
        case("diagonal", f"{dt} offset", [T([3, 4], dt), 1])
        case("diagonal", f"{dt} negative offset", [T([3, 4], dt), -1])
        case("diagonal", f"{dt} dims", [T(X234, dt), 0, 2, 0])
        case("split", f"{dt} size", [T([5, 2], dt), 2, 0])
        case("split", f"{dt} sizes", [T([2, 5], dt), [1, 3, 1], 1])
        case("chunk", f"{dt}", [T([5, 2], dt), 3, 0])
        case("chunk", f"{dt} dim 1", [T([2, 6], dt), 2, 1])
        case("unbind", f"{dt}", [T(X23, dt), 0])
        case("unbind", f"{dt} dim 1", [T(X23, dt), 1])
        case("movedim", f"{dt}", [T(X234, dt), 0, 2])
        case("movedim", f"{dt} lists", [T(X234, dt), [0, 1], [2, 0]])
    case("view", "int64", [T(X23, "int64", lo=-9, hi=9), [3, 2]])
    case("view", "bool", [T(X23, "bool"), [6]])
    case("view", "float32 empty", [T([0, 3]), [3, 0]])
    case("view", "float32 transposed compatible", [T([3, 2], view=TR), [2, 3, 1]])
    case("reshape", "float16", [T(X23, "float16"), [3, 2]])
    case("reshape", "float32 empty", [T([0, 3]), [0, 1, 3]])
    case("permute", "int64", [T(X23, "int64", lo=-9, hi=9), [1, 0]])
    case("permute", "float32 non-contiguous", [T([3, 2], view=TR), [1, 0]])
    case("transpose", "float32 non-contiguous", [T([2, 6], view=SL), 0, 1])
    case("transpose", "float32 empty", [T([0, 3]), 0, 1])
    case("squeeze", "float32 empty", [T([0, 1]), 1])
    case("squeeze", "float32 transposed", [T([1, 3], view=TR)])
    case("expand", "float32 non-contiguous", [T([2, 6], view=("slice", 1, 1, 6)), [3, 2, 1]])
    case("expand", "int64", [T([3, 1], "int64", lo=-9, hi=9), [3, 2]])
    case("narrow", "float32 non-contiguous", [T([3, 2], view=TR), 1, 1, 2])
    case("select", "float32 non-contiguous", [T([2, 6], view=SL), 1, 2])
    case("diagonal", "float32 non-contiguous", [T([3, 3], view=TR), 1])
    case("split", "float32 non-contiguous", [T([3, 2], view=TR), 1, 1])
    case("unbind", "int64", [T(X23, "int64", lo=-9, hi=9), 1])
    case("movedim", "bool", [T(X23, "bool"), 1, 0])

    # ---- indexing
    for dt in ("float32", "float64"):
        case("cat", f"{dt} dim 0", [L(T([2, 3], dt), T([1, 3], dt)), 0])
        case("cat", f"{dt} dim 1", [L(T([2, 3], dt), T([2, 1], dt), T([2, 2], dt)), 1])
        case("cat", f"{dt} dim -1", [L(T([2, 2], dt), T([2, 3], dt)), -1])
        case("stack", f"{dt} dim 0", [L(T([2, 3], dt), T([2, 3], dt)), 0])
        case("stack", f"{dt} dim 1", [L(T([2, 3], dt), T([2, 3], dt), T([2, 3], dt)), 1])
        case("stack", f"{dt} dim -1", [L(T([3], dt), T([3], dt)), -1])
        case("flip", f"{dt}", [T(X234, dt), [0]])
        case("flip", f"{dt} dims", [T(X234, dt), [0, 2]])
        case("gather", f"{dt} dim 0", [T([3, 2], dt), 0, T([2, 2], "int64", values=[[0, 2], [1, 0]])])
        case("gather", f"{dt} dim 1", [T([2, 3], dt), 1, T([2, 4], "int64", values=[[0, 2, 2, 1], [1, 0, 1, 1]])])
        case("scatter", f"{dt} src", [T([3, 4], dt), 0, T([2, 4], "int64", values=[[0, 1, 2, 0], [2, 0, 1, 1]]), T([2, 4], dt)])
        case("scatter", f"{dt} value", [T([3, 4], dt), 1, T([3, 1], "int64", values=[[0], [3], [2]]), S(-7.5)])
        case("scatter", f"{dt} src larger than index", [T([3, 4], dt), 1, T([3, 2], "int64", values=[[0, 1], [3, 2], [2, 0]]), T([3, 4], dt, rg=False)])
        case("scatter_add", f"{dt}", [T([3, 4], dt), 0, T([2, 4], "int64", values=[[0, 1, 2, 0], [0, 1, 1, 0]]), T([2, 4], dt)])
        case("scatter_add", f"{dt} dim 1", [T([2, 3], dt), 1, T([2, 4], "int64", values=[[0, 0, 2, 1], [1, 1, 1, 0]]), T([2, 4], dt)])
        case("index_select", f"{dt} dim 0", [T([4, 3], dt), 0, T([3], "int64", values=[3, 0, 3])])
        case("index_select", f"{dt} dim 1", [T([2, 4], dt), 1, T([2], "int64", values=[1, 2])])
        case("masked_fill", f"{dt} scalar", [T(X23, dt), T(X23, "bool"), S(-1.5)])
        case("masked_fill", f"{dt} broadcast mask", [T(X23, dt), T([3], "bool"), S(2.0)])
        case("masked_fill", f"{dt} 0-d tensor value", [T(X23, dt), T(X23, "bool"), T([], dt)])
    case("cat", "int64", [L(T([2], "int64", lo=-9, hi=9), T([3], "int64", lo=-9, hi=9)), 0])
    case("cat", "float32 with float64 promotes", [L(T([2]), T([2], "float64")), 0])
    case("cat", "int64 with float32 promotes", [L(T([2], "int64", lo=-9, hi=9), T([2])), 0])
    case("cat", "float32 legacy empty 1-d skipped", [L(T([2, 3]), T([0])), 0])
    case("cat", "float32 empty part", [L(T([2, 3]), T([0, 3])), 0])
    case("cat", "float32 non-contiguous", [L(T([3, 2], view=TR), T([2, 6], view=SL)), 1])
    case("cat", "bool", [L(T([2], "bool"), T([1], "bool")), 0])
    case("cat", "float16", [L(T([2], "float16"), T([1], "float16")), 0])
    case("stack", "int64", [L(T([2], "int64", lo=-9, hi=9), T([2], "int64", lo=-9, hi=9)), 0])
    case("stack", "float32 0-d", [L(T([]), T([])), 0])
    case("stack", "float32 non-contiguous", [L(T([3, 2], view=TR), T([2, 6], view=SL)), 2])
    case("flip", "int64", [T(X23, "int64", lo=-9, hi=9), [1]])
    case("flip", "float32 negative dim", [T(X23), [-1]])
    case("flip", "float32 non-contiguous", [T([3, 2], view=TR), [0, 1]])
    case("flip", "float32 0-d", [T([]), [0]])
    case("flip", "bool", [T([4], "bool"), [0]])
    case("gather", "int64", [T([2, 3], "int64", lo=-9, hi=9), 1, T([2, 2], "int64", values=[[2, 0], [1, 1]])])
    case("gather", "float32 non-contiguous", [T([3, 2], view=TR), 1, T([2, 2], "int64", values=[[2, 0], [1, 1]])])
    case("gather", "float32 negative dim", [T([2, 3]), -1, T([2, 1], "int64", values=[[2], [0]])])
    case("scatter", "int64", [T([2, 3], "int64", lo=-9, hi=9), 1, T([2, 1], "int64", values=[[2], [0]]), T([2, 1], "int64", lo=-9, hi=9)])
    case("scatter_add", "int64", [T([2, 3], "int64", lo=-9, hi=9), 1, T([2, 2], "int64", values=[[2, 2], [0, 1]]), T([2, 2], "int64", lo=-9, hi=9)])
    case("index_select", "int64", [T([3, 2], "int64", lo=-9, hi=9), 0, T([2], "int64", values=[2, 0])])
    case("index_select", "float32 int32 index", [T([3, 2]), 0, T([2], "int32", values=[2, 1])])
    case("index_select", "float32 non-contiguous", [T([3, 2], view=TR), 1, T([2], "int64", values=[2, 1])])
    case("index_select", "float32 empty index", [T([3, 2]), 0, T([0], "int64", values=[])])
    case("masked_fill", "int64", [T([4], "int64", lo=-9, hi=9), T([4], "bool"), S(7.0)])
    case("masked_fill", "float32 non-contiguous", [T([3, 2], view=TR), T([2, 6], "bool", view=SL), S(0.0)])
    case("masked_fill", "bool", [T([4], "bool"), T([4], "bool"), S(True)])

    index_ops_cases()

    # ---- linalg
    for dt in ("float32", "float64"):
        case("matmul", f"{dt} 1-d @ 1-d", [T([3], dt), T([3], dt)])
        case("matmul", f"{dt} 2-d @ 1-d", [T([2, 3], dt), T([3], dt)])
        case("matmul", f"{dt} 1-d @ 2-d", [T([3], dt), T([3, 4], dt)],
             grad_fn_2x={"SqueezeBackward3": (lambda args: True, "SqueezeBackward4",
                         "2.0 added squeeze.dims before the in-place overloads in derivatives.yaml, so matmul's squeeze_(0) is SqueezeBackward4")})
        case("matmul", f"{dt} 2-d @ 2-d", [T([2, 3], dt), T([3, 4], dt)])
        case("matmul", f"{dt} 3-d @ 2-d", [T([2, 2, 3], dt), T([3, 4], dt)])
        case("matmul", f"{dt} 3-d @ 1-d", [T([2, 2, 3], dt), T([3], dt)])
        case("matmul", f"{dt} 1-d @ 3-d", [T([3], dt), T([2, 3, 4], dt)])
        case("matmul", f"{dt} 2-d @ 3-d", [T([2, 3], dt), T([4, 3, 2], dt)])
        case("matmul", f"{dt} 3-d @ 3-d", [T([2, 2, 3], dt), T([2, 3, 4], dt)])
        case("matmul", f"{dt} broadcast batch", [T([2, 1, 2, 3], dt), T([3, 3, 2], dt)])
        case("mm", f"{dt}", [T([2, 3], dt), T([3, 4], dt)])
        case("bmm", f"{dt}", [T([2, 2, 3], dt), T([2, 3, 4], dt)])
        case("mv", f"{dt}", [T([2, 3], dt), T([3], dt)])
        case("dot", f"{dt}", [T([4], dt), T([4], dt)])
        case("outer", f"{dt}", [T([3], dt), T([2], dt)])
        case("addmm", f"{dt}", [T([2, 4], dt), T([2, 3], dt), T([3, 4], dt)])
        case("addmm", f"{dt} beta alpha", [T([4], dt), T([2, 3], dt), T([3, 4], dt)], {"beta": 0.5, "alpha": 2.0})
        case("baddbmm", f"{dt}", [T([2, 2, 4], dt), T([2, 2, 3], dt), T([2, 3, 4], dt)])
        case("baddbmm", f"{dt} beta alpha", [T([2, 4], dt), T([2, 2, 3], dt), T([2, 3, 4], dt)], {"beta": 2.0, "alpha": -1.0})
    case("matmul", "float32 non-contiguous", [T([3, 2], view=TR), T([4, 3], view=TR)])
    case("matmul", "float32 empty", [T([0, 3]), T([3, 2])])
    case("matmul", "float32 empty inner", [T([2, 0]), T([0, 3])])
    case("matmul", "int64 2-d @ 2-d", [T([2, 3], "int64", lo=-5, hi=5), T([3, 2], "int64", lo=-5, hi=5)])
    case("mm", "float32 non-contiguous", [T([3, 2], view=TR), T([3, 8], view=("slice", 1, 0, 2))])
    case("mm", "int64", [T([2, 3], "int64", lo=-5, hi=5), T([3, 2], "int64", lo=-5, hi=5)])
    case("mm", "float32 expanded", [T([1, 3], view=EX), T([3, 2])])
    case("bmm", "float32 non-contiguous", [T([2, 3, 2], view=("transpose", 1, 2)), T([2, 3, 4])])
    case("mv", "float32 non-contiguous", [T([3, 2], view=TR), T([6], view=("slice", 0, 0, 2))])
    case("dot", "float32 non-contiguous", [T([6], view=("slice", 0, 1, 2)), T([3])])
    case("dot", "int64", [T([3], "int64", lo=-5, hi=5), T([3], "int64", lo=-5, hi=5)])
    case("outer", "int64", [T([3], "int64", lo=-5, hi=5), T([2], "int64", lo=-5, hi=5)])
    case("addmm", "float32 beta 0", [T([2, 4]), T([2, 3]), T([3, 4])], {"beta": 0.0})

    # ---- conversion
    case("to", "float32 to float64", [T(X23), D("float64")])
    case("to", "float64 to float32", [T([4], "float64", values=[0.1, 1.0 / 3.0, 1e-40, 3.4e38 * 2])] + [D("float32")])
    case("to", "float32 to int64", [T([6], values=[-2.7, -0.5, 0.0, 0.5, 2.7, 1e10]), D("int64")])
    case("to", "float32 to int32", [T([4], values=[-2.7, -0.5, 0.5, 2.7]), D("int32")])
    case("to", "float32 to bool", [T([4], values=[0.0, -0.0, 0.5, float("nan")]), D("bool")])
    case("to", "float32 to float16", [T([5], values=[0.1, 65504.0, 70000.0, 1e-8, -2.5]), D("float16")])
    case("to", "float32 to bfloat16", [T([4], values=[0.1, 1.0 / 3.0, 3e38, -2.5]), D("bfloat16")])
    case("to", "float16 to float32", [T([3], "float16"), D("float32")])
    case("to", "int64 to float32", [T([3], "int64", values=[2 ** 24 + 1, -7, 0]), D("float32")])
    case("to", "int64 to uint8", [T([4], "int64", values=[300, -1, 255, 7]), D("uint8")])
    case("to", "int64 to int8", [T([3], "int64", values=[200, -129, 5]), D("int8")])
    case("to", "bool to float32", [T([3], "bool"), D("float32")])
    case("to", "int32 to int64", [T([3], "int32", lo=-9, hi=9), D("int64")])
    case("to", "float32 non-contiguous", [T([3, 2], view=TR), D("float64")])
    case("to", "float64 to float64 is identity", [T([3], "float64"), D("float64")])

    # ---- errors (PyTorch's wording must appear in ours)
    case("add", "error broadcast", [T([2, 3]), T([4])], error=True)
    case("mul", "error broadcast", [T([2, 3]), T([2, 2])], error=True)
    case("sum", "error dim out of range", [T([2, 3])], {"dim": 2}, error=True)
    case("mean", "error dim out of range", [T([2, 3])], {"dim": -3}, error=True)
    case("softmax", "error dim out of range", [T([2, 3]), 2], error=True)
    case("transpose", "error dim out of range", [T([2, 3]), 0, 2], error=True)
    case("unsqueeze", "error dim out of range", [T([2, 3]), 3], error=True)
    case("mm", "error shapes", [T([2, 3]), T([2, 3])], error=True)
    case("view", "error invalid shape", [T([2, 3]), [4, 2]], error=True)
    case("cat", "error sizes", [L(T([2, 3]), T([2, 4])), 0], error=True)
    case("gather", "error index out of bounds", [T([2, 3]), 0, T([1, 1], "int64", values=[[5]])], error=True)
    case("matmul", "error 0-d", [T([]), T([2, 3])], error=True)
    case("where", "error broadcast", [T([2], "bool"), T([3]), T([3])], error=True)


def index_ops_cases():
    """Advanced indexing's functional forms and the shape ops of src/ops/index_ops.ts (index
    expressions themselves are in tools/gen_golden_index.py)."""
    I = lambda values, dt="int64": T([len(values)] if not isinstance(values[0], list) else [len(values), len(values[0])],
                                     dt, values=values)
    for dt in ("float32", "float64"):
        case("index_put", f"{dt}", [T([4, 3], dt), L(I([2, 0])), T([2, 3], dt)])
        case("index_put", f"{dt} accumulate duplicates", [T([4, 3], dt), L(I([1, 3, 1, 1])), T([4, 3], dt), True])
        case("index_put", f"{dt} two indices broadcast", [T([3, 4], dt), L(I([[0], [2]]), I([1, 3, 0])), T([3], dt)])
        case("index_put", f"{dt} mask 0-d value", [T([2, 3], dt), L(T([2, 3], "bool")), T([], dt)])
        case("masked_select", f"{dt}", [T([2, 3], dt), T([2, 3], "bool", values=[[True, False, True], [False, True, True]])])
        case("masked_select", f"{dt} broadcast mask", [T([2, 3], dt), T([3], "bool", values=[True, False, True])])
        case("masked_select", f"{dt} broadcast input", [T([3], dt), T([2, 3], "bool", values=[[True, False, True], [True, True, False]])])
        case("masked_scatter", f"{dt}", [T([2, 3], dt), T([2, 3], "bool", values=[[True, False, True], [False, True, True]]), T([5], dt)])
        case("masked_scatter", f"{dt} broadcast mask", [T([2, 3], dt), T([3], "bool", values=[True, False, True]), T([2, 3], dt)])
        case("masked_scatter", f"{dt} broadcast input", [T([3], dt), T([2, 3], "bool", values=[[True, False, True], [False, True, False]]), T([2, 2], dt)])
        case("take", f"{dt}", [T([2, 3], dt), I([[0, 5], [-1, 2]])])
        case("take", f"{dt} duplicates", [T([2, 3], dt), I([4, 4, 0, -2, 4])])
        case("index_fill", f"{dt} dim 0", [T([3, 4], dt), 0, I([2, 0]), S(-1.5)])
        case("index_fill", f"{dt} dim 1 duplicates", [T([3, 4], dt), 1, I([1, -1, 1]), S(2.0)])
        case("index_fill", f"{dt} tensor value", [T([3, 4], dt), -1, I([0, 3, 0]), T([], dt)])
        case("repeat", f"{dt}", [T([2, 3], dt), [2, 1]])
        case("repeat", f"{dt} new dims", [T([2, 3], dt), [2, 1, 2]])
        case("tile", f"{dt}", [T([2, 3], dt), [2]])
        case("tile", f"{dt} more dims", [T([2, 3], dt), [2, 1, 3]])
        case("roll", f"{dt} flattened", [T([2, 3], dt), 2])
        case("roll", f"{dt} dim", [T([2, 3], dt), -1, 1])
        case("roll", f"{dt} dims", [T([3, 4], dt), [1, -5], [0, 1]])
        for op in ("tril", "triu"):
            case(op, f"{dt}", [T([3, 4], dt)])
            case(op, f"{dt} diagonal 1", [T([3, 4], dt), 1])
            case(op, f"{dt} diagonal -1 batched", [T([2, 3, 3], dt), -1])
        case("diag", f"{dt} 1-d", [T([3], dt)])
        case("diag", f"{dt} 1-d offset 1", [T([3], dt), 1])
        case("diag", f"{dt} 1-d offset -2", [T([2], dt), -2])
        case("diag", f"{dt} 2-d", [T([3, 4], dt)])
        case("diag", f"{dt} 2-d offset 1", [T([3, 4], dt), 1])
        case("diag", f"{dt} 2-d offset -1", [T([3, 4], dt), -1])
        case("diag_embed", f"{dt}", [T([2, 3], dt)])
        case("diag_embed", f"{dt} offset 1 dims 0 2", [T([2, 3], dt), 1, 0, 2])
        case("diag_embed", f"{dt} offset -1 dims 2 0", [T([2, 3], dt), -1, 2, 0])
    case("index_put", "int64", [T([5], "int64", lo=-9, hi=9), L(I([4, 0])), T([2], "int64", lo=-9, hi=9)])
    case("index_put", "int64 accumulate", [T([5], "int64", lo=-9, hi=9), L(I([4, 4, 0])), T([3], "int64", lo=-9, hi=9), True])
    case("index_put", "bool", [T([4], "bool"), L(I([1, 2])), T([], "bool")])
    case("index_put", "float32 non-contiguous", [T([3, 2], view=TR), L(I([1])), T([3])])
    case("index_put", "float32 empty index", [T([3, 2]), L(T([0], "int64", values=[])), T([2])])
    case("index_put", "error shape mismatch", [T([3, 4]), L(I([0])), T([3])], error=True)
    case("index_put", "error dtype mismatch", [T([3, 4]), L(I([0])), T([4], "float64")], error=True)
    case("index_put", "error index out of bounds", [T([3, 4]), L(I([3])), T([4])], error=True)
    case("masked_select", "int64", [T([4], "int64", lo=-9, hi=9), T([4], "bool", values=[True, True, False, True])])
    case("masked_select", "float32 non-contiguous", [T([3, 2], view=TR), T([2, 6], "bool", view=SL)])
    case("masked_select", "float32 0-d", [T([]), T([], "bool", values=True)])
    case("masked_scatter", "int64", [T([4], "int64", lo=-9, hi=9), T([4], "bool", values=[True, True, False, True]), T([3], "int64", lo=-9, hi=9)])
    case("masked_scatter", "float32 non-contiguous", [T([3, 2], view=TR), T([2, 6], "bool", view=SL), T([2, 6], view=SL)])
    case("masked_scatter", "float32 0-d", [T([]), T([], "bool", values=True), T([2])])
    case("masked_scatter", "float32 none selected", [T([2, 3]), T([2, 3], "bool", values=[[False] * 3] * 2), T([0])])
    case("masked_scatter", "error source too small", [T([2, 3]), T([2, 3], "bool", values=[[True] * 3] * 2), T([5])], error=True)
    case("masked_select", "float32 none selected", [T([2, 3]), T([2, 3], "bool", values=[[False] * 3] * 2)])
    case("masked_select", "error float mask", [T([2, 3]), T([2, 3])], error=True)
    case("take", "int64", [T([2, 3], "int64", lo=-9, hi=9), I([5, 0])])
    case("take", "float32 non-contiguous", [T([3, 2], view=TR), I([1, 4])])
    case("take", "float32 0-d index", [T([2, 3]), T([], "int64", values=4)])
    case("take", "error out of range", [T([2, 3]), I([6])], error=True)
    case("take", "error float index", [T([2, 3]), T([1], values=[1.0])], error=True)
    case("index_fill", "int64", [T([3, 2], "int64", lo=-9, hi=9), 0, I([1]), S(7.0)])
    case("index_fill", "float32 non-contiguous", [T([3, 2], view=TR), 1, I([2]), S(0.5)])
    case("index_fill", "float32 0-d", [T([]), 0, T([], "int64", values=0), S(3.0)])
    case("index_fill", "error index out of bounds", [T([3, 4]), 1, I([4]), S(1.0)], error=True)
    case("index_fill", "error int32 index", [T([3, 4]), 1, I([0], "int32"), S(1.0)], error=True)
    case("repeat", "float32 0-d", [T([]), [3]])
    case("repeat", "float32 non-contiguous", [T([3, 2], view=TR), [2, 2]])
    case("repeat", "float32 zero repeats", [T([2, 3]), [2, 0]])
    case("repeat", "float32 empty", [T([0, 2]), [2, 1]])
    case("repeat", "int64", [T([3], "int64", lo=-9, hi=9), [2]])
    case("repeat", "bool", [T([2], "bool"), [1, 2]])
    case("repeat", "error too few sizes", [T([2, 3]), [2]], error=True)
    case("tile", "float32 non-contiguous", [T([3, 2], view=TR), [1, 2]])
    case("tile", "int64", [T([3], "int64", lo=-9, hi=9), [2, 2]])
    case("roll", "float32 non-contiguous", [T([3, 2], view=TR), 1, 0])
    case("roll", "float32 large shift", [T([5]), 7, 0])
    case("roll", "float32 0-d", [T([]), 1])
    case("roll", "float32 empty", [T([0, 3]), 1, 0])
    case("roll", "int64", [T([2, 3], "int64", lo=-9, hi=9), [1, 1], [0, 1]])
    case("roll", "error shifts and dims", [T([2, 3]), [1, 2], 0], error=True)
    for op in ("tril", "triu"):
        case(op, "float32 non-contiguous", [T([4, 3], view=TR)])
        case(op, "float32 large diagonal", [T([3, 4]), 100])
        case(op, "float32 empty", [T([0, 3])])
        case(op, "int64", [T([3, 3], "int64", lo=-9, hi=9)])
        case(op, "bool", [T([2, 3], "bool"), 1])
    case("diag", "float32 2-d non-contiguous", [T([4, 3], view=TR)])
    case("diag", "int64 1-d", [T([3], "int64", lo=-9, hi=9)])
    case("diag", "int64 2-d", [T([3, 3], "int64", lo=-9, hi=9)])
    case("diag_embed", "int64", [T([2, 2], "int64", lo=-9, hi=9)])
    case("diag_embed", "float32 non-contiguous", [T([3, 2], view=TR)])
    case("diag_embed", "error identical dims", [T([3]), 0, 0, 0], error=True)
    repeat_interleave_cases()
    SPARSE = [[0.0, 1.5, 0.0], [-2.0, 0.0, float("nan")]]
    case("nonzero", "float32", [T([2, 3], values=SPARSE)])
    case("nonzero", "float32 as_tuple", [T([2, 3], values=SPARSE)], {"as_tuple": True})
    case("nonzero", "int64 3-d", [T([2, 2, 3], "int64", lo=-1, hi=1)])
    case("nonzero", "bool", [T([5], "bool")])
    case("nonzero", "float32 0-d", [T([], values=2.0)])
    case("nonzero", "float32 0-d as_tuple", [T([], values=0.0)], {"as_tuple": True})
    case("nonzero", "float32 empty", [T([0, 3])])
    case("nonzero", "float32 non-contiguous", [T([3, 2], values=[[0.0, 1.0], [2.0, 0.0], [0.0, 3.0]], view=TR)])
    case("argwhere", "float32", [T([2, 3], values=SPARSE)])
    case("argwhere", "bool", [T([2, 2], "bool")])
    case("where_cond", "bool", [T([2, 3], "bool")])
    case("where_cond", "float32", [T([2, 3], values=SPARSE)])


def repeat_interleave_cases():
    """torch.repeat_interleave and Tensor.repeat_interleave (src/ops/index_ops.ts), both overloads and
    the one-argument form. Counts are exact (ints, int64/int32 tensors)."""
    I = lambda values, dt="int64": T([len(values)], dt, values=values)
    RI = "repeat_interleave"
    for dt in ("float32", "float64"):
        case(RI, f"{dt} int flattened", [T([2, 3], dt), 2])
        case(RI, f"{dt} int dim 1", [T([2, 3], dt), 3, 1])
        case(RI, f"{dt} int dim -2", [T([2, 3], dt), 2, -2])
        case(RI, f"{dt} tensor dim 0", [T([2, 3], dt), I([1, 2]), 0])
        case(RI, f"{dt} tensor flattened", [T([2, 3], dt), I([1, 0, 2, 3, 1, 1])])
        case(RI, f"{dt} tensor dim -1 with zero", [T([2, 3], dt), I([0, 2, 1]), -1])
        case(RI, f"{dt} 0-d tensor repeats", [T([2, 3], dt), T([], "int64", values=2), 1])
        case(RI, f"{dt} one-element tensor repeats", [T([2, 3], dt), I([3]), 0])
    case(RI, "float32 int32 repeats", [T([2, 3]), I([2, 1], "int32"), 0])
    case(RI, "float32 int32 repeats flattened", [T([2, 2]), I([0, 3, 1, 2], "int32")])
    case(RI, "float32 dim None", [T([2, 3]), 2, None])
    case(RI, "float32 tensor dim None", [T([2, 3]), I([2]), None])
    case(RI, "float32 dim keyword", [T([2, 3]), 2], {"dim": 1})
    case(RI, "float32 3-d tensor dim 1", [T([2, 3, 2]), I([1, 3, 0]), 1])
    case(RI, "float32 3-d int dim 2", [T([2, 3, 2]), 2, 2])
    case(RI, "float32 0-d input", [T([]), 3])
    case(RI, "float32 0-d input 0-d repeats", [T([]), T([], "int64", values=2)])
    case(RI, "float32 empty", [T([0, 3]), 2, 0])
    case(RI, "float32 empty flattened", [T([0, 3]), 2])
    case(RI, "float32 empty tensor repeats other dim", [T([0, 3]), I([1, 2, 0]), 1])
    case(RI, "float32 empty one-element repeats", [T([0, 3]), I([4]), 0])
    case(RI, "float32 zero count", [T([2, 3]), 0, 1])
    case(RI, "float32 all-zero tensor repeats", [T([2, 3]), I([0, 0]), 0])
    case(RI, "float32 non-contiguous flattened", [T([3, 2], view=TR), 2])
    case(RI, "float32 non-contiguous tensor repeats", [T([2, 6], view=SL), I([2, 0, 1]), 1])
    case(RI, "float64 expanded", [T([1, 3], "float64", view=EX), 2, 0])
    case(RI, "float64 transposed tensor repeats", [T([3, 2], "float64", view=TR), I([1, 3]), 0])
    case(RI, "int64", [T([2, 3], "int64", lo=-9, hi=9), 2, 1])
    case(RI, "int64 large values", [T([2], "int64", values=[2 ** 62 + 1, -(2 ** 60) - 3]), I([2, 1])])
    case(RI, "int32 tensor repeats", [T([4], "int32", lo=-9, hi=9), I([1, 0, 2, 1])])
    case(RI, "uint8", [T([3], "uint8", lo=0, hi=255), 2])
    case(RI, "bool", [T([2, 2], "bool"), 3])
    case(RI, "bool tensor repeats", [T([3], "bool"), I([2, 1, 0]), 0])
    case(RI, "float16", [T([3], "float16"), 2])
    case(RI, "bfloat16 tensor repeats", [T([3], "bfloat16"), I([1, 2, 0])])
    case(RI, "float32 output_size int", [T([2, 3]), 2, 1], {"output_size": 6})
    case(RI, "float32 output_size tensor", [T([2, 3]), I([1, 2]), 0], {"output_size": 3})
    case(RI, "float32 output_size flattened", [T([2, 3]), I([1, 0, 2, 3, 1, 1])], {"output_size": 8})
    case(RI, "error negative int", [T([2, 3]), -1], error=True)
    case(RI, "error negative int with dim", [T([2, 3]), -2, 1], error=True)
    case(RI, "error negative tensor", [T([2, 3]), I([1, -2]), 0], error=True)
    case(RI, "error negative 0-d tensor", [T([2, 3]), T([], "int64", values=-1), 0], error=True)
    case(RI, "error repeats size", [T([2, 3]), I([1, 2]), 1], error=True)
    case(RI, "error repeats size negative dim", [T([2, 3]), I([1, 2, 3]), -2], error=True)
    case(RI, "error repeats size flattened", [T([2, 3]), I([1, 2])], error=True)
    case(RI, "error 2-d repeats", [T([2, 3]), T([1, 2], "int64", values=[[1, 2]]), 0], error=True)
    case(RI, "error float repeats", [T([2, 3]), T([2], values=[1.0, 2.0]), 0], error=True)
    case(RI, "error float 0-d repeats", [T([2, 3]), T([], "float64", values=2.0), 0], error=True)
    case(RI, "error bool repeats", [T([2, 3]), T([2], "bool", values=[True, False]), 0], error=True)
    case(RI, "error int8 repeats", [T([2, 3]), I([1, 2], "int8"), 0], error=True)
    case(RI, "error int16 repeats flattened", [T([2]), I([1, 2], "int16")], error=True)
    case(RI, "error output_size int", [T([2, 3]), 2, 1], {"output_size": 5}, error=True)
    case(RI, "error output_size tensor", [T([2, 3]), I([1, 2]), 0], {"output_size": 4}, error=True)
    case(RI, "error negative tensor with output_size", [T([2, 3]), I([3, -1]), 0], {"output_size": 5}, error=True)
    case(RI, "error dim out of range", [T([2, 3]), 2, 2], error=True)
    case(RI, "error tensor dim out of range", [T([2, 3]), I([1, 2, 3]), -3], error=True)
    case(RI, "error 0-d input with dim", [T([]), 2, 0], error=True)
    case(RI, "error 0-d input tensor repeats with dim", [T([]), T([], "int64", values=2), 0], error=True)
    case(RI, "error float count", [T([2, 3]), S(2.5)], error=True)
    RM = "repeat_interleave_method"
    case(RM, "float32 int dim 1", [T([2, 3]), 2, 1])
    case(RM, "float64 tensor dim 0", [T([2, 3], "float64"), I([2, 1]), 0])
    case(RM, "int64 flattened output_size", [T([2, 2], "int64", lo=-9, hi=9), I([1, 2, 0, 1])], {"output_size": 4})
    case(RM, "error negative", [T([3]), -3], error=True)
    R1 = "repeat_interleave_repeats"
    case(R1, "int64", [I([2, 0, 3, 1])])
    case(R1, "int32", [I([1, 2, 0], "int32")])
    case(R1, "int64 empty", [T([0], "int64", values=[])])
    case(R1, "int32 empty", [T([0], "int32", values=[])])
    case(R1, "int64 zeros", [I([0, 0, 0])])
    case(R1, "int64 non-contiguous", [T([6], "int64", lo=0, hi=3, view=("slice", 0, 1, 2))])
    case(R1, "int64 output_size", [I([2, 1])], {"output_size": 3})
    case(R1, "error 2-d", [T([2, 2], "int64", lo=0, hi=2)], error=True)
    case(R1, "error 0-d", [T([], "int64", values=3)], error=True)
    case(R1, "error negative", [I([1, -1])], error=True)
    case(R1, "error float", [T([2], values=[1.0, 2.0])], error=True)
    case(R1, "error int16", [I([1, 2], "int16")], error=True)
    case(R1, "error uint8", [I([1, 2], "uint8")], error=True)
    case(R1, "error output_size", [I([2, 1])], {"output_size": 2}, error=True)
    case(R1, "error negative output_size", [I([2, 1])], {"output_size": -1}, error=True)


# ---------------------------------------------------------------------------------------------
# Running a case

def build(spec, gen):
    """Returns (json args, json kwargs, leaves, thunk) where thunk(leaves) builds the call's
    Python arguments from the leaves (so gradcheck can rebuild the views from perturbed leaves)."""
    tensors = []  # (T, base tensor)

    def enc(a):
        if isinstance(a, T):
            base = a.make_base(gen)
            tensors.append((a, base))
            j = enc_tensor(base)
            j["view"] = view_json(a.view)
            j["requires_grad"] = bool(a.requires_grad())
            return {"tensor": j}, len(tensors) - 1
        if isinstance(a, L):
            items = [enc(x) for x in a.items]
            return {"tensors": [i[0]["tensor"] for i in items]}, [i[1] for i in items]
        if isinstance(a, S):
            return {"scalar": enc_value(a.v)}, None
        if isinstance(a, D):
            return {"dtype": a.name}, None
        return {"value": a}, None

    jargs, refs = [], []
    for a in spec["args"]:
        j, r = enc(a)
        jargs.append(j)
        refs.append(r)
    jkw, kwrefs = {}, {}
    for k, a in spec["kwargs"].items():
        j, r = enc(a)
        jkw[k] = j
        kwrefs[k] = r

    def py(a, r, leaves):
        if isinstance(a, T):
            return apply_view(leaves[r], a.view)
        if isinstance(a, L):
            return [apply_view(leaves[i], tensors[i][0].view) for i in r]
        if isinstance(a, S):
            return a.py()
        if isinstance(a, D):
            return DTYPES[a.name]
        return a

    def thunk(leaves):
        args = [py(a, r, leaves) for a, r in zip(spec["args"], refs)]
        kwargs = {k: py(a, kwrefs[k], leaves) for k, a in spec["kwargs"].items()}
        return args, kwargs

    return jargs, jkw, tensors, thunk


def as_list(out):
    if isinstance(out, torch.Tensor):
        return [out], False
    return list(out), True


def first_line(e):
    return str(e).split("\n")[0]


def run_case(spec):
    gen = torch.Generator().manual_seed(zlib.crc32(spec["name"].encode()))
    jargs, jkw, tensors, thunk = build(spec, gen)
    rec = {"name": spec["name"], "op": spec["op"], "args": jargs, "kwargs": jkw}
    leaves = [b.clone().requires_grad_(t.requires_grad()) for t, b in tensors]
    fn = OPS[spec["op"]]

    def call(*ls):
        a, k = thunk(list(ls))
        return fn(*a, **k)

    if spec["error"]:
        try:
            call(*leaves)
            err = None  # 1.13 computes a result where 2.x raises
        except Exception as e:  # noqa: BLE001 - the message is the golden datum
            err = first_line(e)
        rec["error"] = err
        msg2 = spec["error_2x"][0] if spec["error_2x"] is not None else None
        if RUNNING_2X:
            # PyTorch 2.x's own words are the datum; a hand-written 2.x message is reported stale
            if msg2 is not None:
                print(f"note: {spec['name']}: stale error_2x (PyTorch {torch.__version__} says {err!r})", file=sys.stderr)
            assert err is not None, f"{spec['name']}: expected an error"
            return rec
        assert msg2 != err, f"{spec['name']}: error_2x is 1.13's message"
        if msg2 is not None:
            rec["error_2x"], rec["error_2x_why"] = spec["error_2x"]
        assert err is not None or msg2 is not None, f"{spec['name']}: expected an error"
        return rec

    try:
        out = call(*leaves)
    except RuntimeError as e:
        # A dtype variant PyTorch (1.13, CPU) does not implement: left out, and listed.
        SKIPPED.append(f"{spec['name']}: {first_line(e)}")
        return None
    outs, multi = as_list(out)
    rec["multi"] = multi
    rec["out"] = []
    for o in outs:
        j = enc_tensor(o)
        # shared/API.md's grad_fn.name(): the class name (name() adds the C++ namespace of the
        # hand-written nodes: torch::autograd::CopyBackwards, ::NotImplemented)
        gf = type(o.grad_fn).__name__ if o.grad_fn is not None else None
        renames = {} if RUNNING_2X else spec["grad_fn_2x"] or {}
        if gf in renames and renames[gf][0](thunk(leaves)[0]):
            j["grad_fn_1_13"] = gf
            _, gf, j["grad_fn_2x_why"] = renames[gf]
        j["grad_fn"] = gf
        rec["out"].append(j)

    # Gradients: autograd.grad(differentiable outputs, leaves that require grad, w).
    diff = [o for o in outs if o.requires_grad]
    want = [i for i, (t, _) in enumerate(tensors) if t.requires_grad()]
    if diff and want:
        ws = []
        for i, o in enumerate(outs):
            if o.requires_grad:
                w = (torch.rand(o.shape, generator=gen, dtype=torch.float64) * 2 - 1).to(o.dtype)
                ws.append(w)
                rec["out"][i]["w"] = enc_tensor(w)
        try:
            gs = torch.autograd.grad(diff, [leaves[i] for i in want], ws, allow_unused=True)
            grads = [None] * len(tensors)
            for i, g in zip(want, gs):
                grads[i] = enc_tensor(g) if g is not None else None
            rec["grads"] = grads
        except RuntimeError as e:
            rec["grad_error"] = first_line(e)

        # float64: does PyTorch's own gradcheck pass here (no kink, no tie, no pole)?
        if "grads" in rec and all(tensors[i][1].dtype == torch.float64 for i in want) \
                and all(o.dtype == torch.float64 for o in diff):
            ok = True
            try:
                ok = torch.autograd.gradcheck(call, tuple(leaves), raise_exception=False)
            except RuntimeError:
                ok = False
            rec["gradcheck"] = bool(ok)
            if ok:
                try:
                    gg = torch.autograd.gradgradcheck(call, tuple(leaves), raise_exception=False)
                except RuntimeError:
                    gg = False
                rec["gradgradcheck"] = bool(gg)
                if not gg:
                    print(f"note: gradgradcheck fails in PyTorch for {spec['name']}", file=sys.stderr)
    return rec


def write_op_db(out, generator):
    """Runs every case registered with case() in PyTorch and writes them to `out`. Other
    generators of op-db files (read by test/opdb_runner.ts) import this module, add their ops to
    OPS and their cases with case(), and call this with their own file."""
    recs = []
    for spec in CASES:
        try:
            rec = run_case(spec)
            if rec is not None:
                recs.append(rec)
        except Exception:
            print(f"while generating {spec['name']}:", file=sys.stderr)
            raise
    doc = {
        "generator": generator,
        "torch_version": torch.__version__,
        "note": "values are exact: floats as JSON numbers, non-finite as strings, int64 beyond 2^53 as strings",
        "cases": recs,
    }
    os.makedirs(os.path.dirname(out), exist_ok=True)
    with open(out, "w") as f:
        json.dump(doc, f, separators=(",", ":"), allow_nan=False)
        f.write("\n")
    for line in SKIPPED:
        print(f"skipped (PyTorch raises) {line}", file=sys.stderr)
    print(f"wrote {len(recs)} cases to {os.path.relpath(out)}")


def main():
    run_cases()
    write_op_db(OUT, "tools/gen_golden.py")


if __name__ == "__main__":
    main()
