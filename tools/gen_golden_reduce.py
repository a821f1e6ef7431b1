#!/usr/bin/env python3
"""Golden data for the statistics, sorting, norm and contraction ops (test/golden/reduce2.json).

Runs under PyTorch 2.x (the committed data come from 2.13):

    /work/.venv-torch/bin/python tools/gen_golden_reduce.py

Each case calls one op as Python would, `fn(*pre, *inputs, *args, **kwargs)`, and records every
output and, for differentiable ones, the gradient of sum(output * g) for a fixed upstream g with
respect to each input that requires grad (the leaf: for a non-contiguous input, the base it views).
"""
import json
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_scalar as enc  # noqa: E402  (JSON-safe scalars: non-finite floats as strings)

torch.manual_seed(0)
inf, nan = float("inf"), float("nan")
f32, f64, i64 = torch.float32, torch.float64, torch.int64
DT = {f32: "float32", f64: "float64", i64: "int64", torch.bool: "bool"}


def enc_tensor(t):
    t = t.detach()
    return {"shape": list(t.shape), "dtype": DT[t.dtype], "data": [enc(v) for v in t.reshape(-1).tolist()]}


class In:
    """An input: data (nested list or tensor), dtype, an optional view making it non-contiguous,
    and whether it requires grad."""

    def __init__(self, data, dtype=f32, view=None, grad=True):
        self.base = data.to(dtype) if isinstance(data, torch.Tensor) else torch.tensor(data, dtype=dtype)
        self.view, self.grad = view, grad and dtype.is_floating_point

    def make(self):
        base = self.base.clone().requires_grad_(self.grad)
        t = base
        if self.view:
            kind, a = self.view
            t = t.transpose(*a) if kind == "transpose" else t.permute(*a) if kind == "permute" else t[a[0]:a[1]:a[2]]
        return base, t

    def spec(self):
        s = enc_tensor(self.base)
        s["requires_grad"] = self.grad
        if self.view:
            s["view"] = list(self.view)
        return s


def arg(v):
    if isinstance(v, torch.Tensor):
        return {"__tensor__": enc_tensor(v)}
    if isinstance(v, (list, tuple)):
        return [arg(e) for e in v]
    if isinstance(v, dict):
        return {k: arg(e) for k, e in v.items()}
    if isinstance(v, torch.dtype):
        return {"__dtype__": DT[v]}
    return enc(v)


OPS = {
    "linalg.vector_norm": torch.linalg.vector_norm, "linalg.matrix_norm": torch.linalg.matrix_norm,
    "linalg.norm": torch.linalg.norm, "linalg.svdvals": torch.linalg.svdvals, "linalg.cross": torch.linalg.cross,
}

# No gradient to compare: unique's has no formula (its backward raises, checked in the tests).
NO_GRAD = {"unique", "unique_consecutive"}

cases = []


def upstream(out, k):
    n = out.numel()
    return torch.cos(torch.arange(n, dtype=torch.float64) * 0.7 + 0.3 * k + 0.1).reshape(out.shape).to(out.dtype)


def case(op, inputs, args=(), kwargs=None, pre=(), grad=True, name=None):
    kwargs = kwargs or {}
    made = [i.make() for i in inputs]
    fn = OPS.get(op) or getattr(torch, op)
    res = fn(*pre, *[t for _, t in made], *args, **kwargs)
    outs = list(res) if isinstance(res, (tuple, list)) else [res]
    c = {"id": name or f"{op}#{len(cases)}", "op": op, "pre": arg(list(pre)), "inputs": [i.spec() for i in inputs],
         "args": arg(list(args)), "kwargs": arg(kwargs), "outputs": [enc_tensor(o) for o in outs]}
    gf = outs[0].grad_fn
    c["grad_fn"] = type(gf).__name__ if gf is not None else None
    leaves = [b for b, _ in made if b.requires_grad]
    diff = [o for o in outs if o.requires_grad]
    if grad and op not in NO_GRAD and leaves and diff:
        gs = [upstream(o, k) for k, o in enumerate(diff)]
        grads = torch.autograd.grad(diff, leaves, gs, allow_unused=True)
        c["upstream"] = [enc_tensor(g) for g in gs]
        c["grads"] = [enc_tensor(g) if g is not None else None for g in grads]
    cases.append(c)


def rnd(*shape, dtype=f32, scale=1.0):
    return (torch.randn(*shape, dtype=torch.float64) * scale).to(dtype)


# ---- var / std -------------------------------------------------------------------------------------
A = rnd(3, 4)
A3 = rnd(2, 3, 4)
for op in ["var", "std"]:
    case(op, [In(A)])
    case(op, [In(A)], [1])
    case(op, [In(A)], [[0, 1]], {"keepdim": True})
    case(op, [In(A)], kwargs={"dim": 0, "correction": 0})
    case(op, [In(A)], kwargs={"correction": 2})
    case(op, [In(A)], [1, False, True])
    case(op, [In(A)], [False])
    case(op, [In(A3, view=("transpose", (0, 2)))], [-1])
    case(op, [In(A3, dtype=f64)], kwargs={"dim": [0, 2], "unbiased": False})
    case(op, [In([1.5])], [0])
    case(op, [In([[1.0, 1.0, 1.0]])], [1])  # zero variance: std's gradient is defined as 0
for op in ["var_mean", "std_mean"]:
    case(op, [In(A)], [1])
    case(op, [In(A3)], kwargs={"dim": [0, 2], "keepdim": True, "correction": 0})
    case(op, [In(A)])

# ---- norms -------------------------------------------------------------------------------------------
Z = torch.tensor([[0.0, 0.0, 0.0], [1.0, -2.0, 0.0], [3.0, -3.0, 1.0]])  # a zero row: subgradients
for p in [2, 1, 3, 0.5, 1.5, inf, -inf, 0, -1]:
    case("linalg.vector_norm", [In(A)], [p])
    case("linalg.vector_norm", [In(Z)], [p], {"dim": 1})
case("linalg.vector_norm", [In(A3)], [2, [0, 2], True])
case("linalg.vector_norm", [In(A3, view=("permute", (2, 0, 1)))], kwargs={"ord": 3, "dim": -1})
case("linalg.vector_norm", [In(A)], kwargs={"dtype": f64})
case("linalg.vector_norm", [In([[3.0, -3.0, 1.0], [2.0, -3.0, 3.0]])], [inf], {"dim": 1})  # ties share the gradient
case("linalg.vector_norm", [In(torch.tensor(2.5))], [1])
case("norm", [In(A)])
case("norm", [In(A)], [1])
case("norm", [In(A)], [3, 1])
case("norm", [In(Z)], [inf], {"dim": 0, "keepdim": True})
case("norm", [In(Z)], [0])
case("norm", [In(A3)], ["fro", [1, 2]])
case("norm", [In(A)], ["nuc"])
M = rnd(3, 3)
M34 = rnd(2, 3, 4)
for o in ["fro", "nuc", 2, -2, 1, -1, inf, -inf]:
    case("linalg.matrix_norm", [In(M)], [o])
    case("linalg.matrix_norm", [In(M34)], [o])
case("linalg.matrix_norm", [In(M34)], kwargs={"ord": 1, "dim": (0, 2), "keepdim": True})
case("linalg.matrix_norm", [In(M34)], kwargs={"ord": "nuc", "dim": (2, 0), "keepdim": True})
case("linalg.matrix_norm", [In(M34)], kwargs={"ord": -2, "dim": (-1, 0)})
case("linalg.matrix_norm", [In(M34)], kwargs={"ord": inf, "dim": (1, 2), "keepdim": True})
case("linalg.norm", [In(A)])
case("linalg.norm", [In(A)], [inf])
case("linalg.norm", [In(A[0])], [3])
case("linalg.norm", [In(A3)], kwargs={"dim": 1})
case("linalg.norm", [In(A3)], kwargs={"ord": -1, "dim": (2, 1)})
case("linalg.norm", [In(M)], ["nuc"])
case("linalg.svdvals", [In(M34)])
case("linalg.svdvals", [In(rnd(4, 2, dtype=f64))])
B1, B2 = rnd(2, 3), rnd(3)
for p in [2, 1, inf, 0.5, 3, 0]:
    case("dist", [In(B1), In(B2)], [p], grad=p != 0)  # p=0: PyTorch's backward fails on an undefined gradient
X1, X2 = rnd(2, 3, 4), rnd(5, 4)
for p in [2, 1, 0, inf, 3, 0.5, 1.5]:
    case("cdist", [In(X1), In(X2)], [p])
case("cdist", [In(torch.tensor([[0.0, 1.0], [2.0, 2.0]])), In(torch.tensor([[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]))], [2])  # a zero distance

# ---- sorting -----------------------------------------------------------------------------------------
TIES = torch.tensor([[3.0, 1.0, 2.0, 1.0, 3.0, 2.0], [0.5, 0.5, 0.5, -1.0, 2.0, -1.0]])
NANS = torch.tensor([[2.0, nan, 1.0, nan, 0.0], [nan, 3.0, 3.0, -1.0, 4.0]])
for kw in [{}, {"dim": 0}, {"descending": True}, {"stable": True, "descending": True}, {"dim": 1, "stable": True}]:
    case("sort", [In(TIES)], kwargs=kw)
case("sort", [In(NANS)])
case("sort", [In(NANS)], kwargs={"descending": True})
case("sort", [In(A3, view=("transpose", (1, 2)))], [1, True])
case("sort", [In([[5, -3, 9007199254740993, 2]], dtype=i64)])
case("sort", [In(torch.tensor(4.0))])
case("sort", [In([[True, False, True]], dtype=torch.bool)])
case("argsort", [In(TIES)], kwargs={"descending": True, "stable": True})
case("argsort", [In(TIES)], [0])
case("msort", [In(TIES)])
case("topk", [In(A)], [2])
case("topk", [In(A)], [3], {"dim": 0, "largest": False})
case("topk", [In(A3, view=("transpose", (0, 2)))], [1, 1])
case("topk", [In([[1.0, nan, 3.0, 2.0]])], [2])
case("kthvalue", [In(TIES)], [3])
case("kthvalue", [In(TIES)], [1, 0, True])
case("kthvalue", [In(A3)], [2, 1])
case("kthvalue", [In(torch.tensor([[3.0, 1.0, 2.0, 1.0, 3.0, 2.0, 5.0, 1.0, 2.0, 2.0, 0.0, 2.0]]))], [6])
case("median", [In(TIES)])
case("median", [In(TIES)], [1])
case("median", [In(TIES)], [0, True])
case("median", [In(A3, view=("permute", (2, 0, 1)))], [2])
case("median", [In(NANS)], [1])
case("median", [In(NANS)])
case("median", [In([4.0, 1.0, 4.0, 2.0])])
case("nanmedian", [In(NANS)])
case("nanmedian", [In(NANS)], [1])
case("nanmedian", [In(torch.tensor([[nan, nan], [1.0, nan]]))], [1])
case("median", [In([[5, 1, 3, 3]], dtype=i64)], [1])
case("mode", [In(TIES)])
case("mode", [In(TIES)], [0])
case("mode", [In([[2, 1, 2, 3, 1]], dtype=i64)], [1, True])
Q = rnd(3, 5)
case("quantile", [In(Q)], [0.3])
case("quantile", [In(Q)], [torch.tensor([0.0, 0.25, 0.5, 1.0])], {"dim": 1, "keepdim": True})
for interp in ["lower", "higher", "midpoint", "nearest"]:
    case("quantile", [In(Q)], [0.4], {"dim": 0, "interpolation": interp})
case("quantile", [In(NANS)], [0.5], {"dim": 1})
case("nanquantile", [In(NANS)], [torch.tensor([0.2, 0.9])], {"dim": 1})
case("nanquantile", [In(NANS)], [0.5])
U = torch.tensor([[2.0, 1.0, 2.0], [0.0, 1.0, 2.0], [2.0, 1.0, 2.0]])
case("unique", [In(U)])
case("unique", [In(U)], kwargs={"return_inverse": True, "return_counts": True})
case("unique", [In(U)], kwargs={"return_counts": True})
case("unique", [In(U)], kwargs={"dim": 0, "return_inverse": True, "return_counts": True})
case("unique", [In(U)], kwargs={"dim": 1, "return_inverse": True})
case("unique", [In([[3, 1, 3], [7, 1, 1]], dtype=i64)], kwargs={"return_inverse": True})
# (unique with NaN is not here: 1.13's CPU kernel maps every NaN to inverse 0 with count 0, which
# 2.x's sort-based kernel fixed; the tests check 2.x's answer.)
case("unique_consecutive", [In([1.0, 1.0, 2.0, 2.0, 3.0, 1.0, 1.0, 2.0])], kwargs={"return_inverse": True, "return_counts": True})
case("unique_consecutive", [In([[1, 1], [1, 1], [2, 3], [1, 1]], dtype=i64)], kwargs={"dim": 0, "return_counts": True})

# ---- statistics ----------------------------------------------------------------------------------------
for op in ["nansum", "nanmean"]:
    case(op, [In(NANS)])
    case(op, [In(NANS)], [1])
    case(op, [In(NANS)], [[0, 1]], {"keepdim": True})
    case(op, [In(torch.tensor([[nan, nan], [1.0, 2.0]]))], [1])
case("nansum", [In([[1, 2], [3, 4]], dtype=i64)], [0])
case("count_nonzero", [In(Z)])
case("count_nonzero", [In(Z)], [1])
case("count_nonzero", [In(Z)], kwargs={"dim": (0, 1)})
case("aminmax", [In(TIES)])
case("aminmax", [In(TIES)], kwargs={"dim": 1, "keepdim": True})
case("aminmax", [In([[5, -2, 9]], dtype=i64)], kwargs={"dim": 1})
CM = torch.tensor([[1.0, 3.0, 2.0, 3.0, nan, 5.0, 0.0], [2.0, 2.0, 1.0, 1.0, 0.0, 7.0, 7.0]])
for op in ["cummax", "cummin"]:
    case(op, [In(CM)], [1])
    case(op, [In(TIES)], [0])
    case(op, [In([[4, 2, 4, 9, 1]], dtype=i64)], [1])
    case(op, [In(torch.tensor(2.0))], [0])
case("logcumsumexp", [In(A)], [1])
case("logcumsumexp", [In(A3, view=("transpose", (0, 1)))], [0])
case("logcumsumexp", [In([[-inf, 0.0, 100.0, -inf, 1.0], [-inf, -inf, 2.0, 3.0, 3.0]])], [1])
case("logcumsumexp", [In([[1000.0, 1000.0, -1000.0]], dtype=f64)], [1])
case("diff", [In(A)])
case("diff", [In(A)], [2, 0])
case("diff", [In(A)], kwargs={"dim": 1, "prepend": torch.zeros(3, 1), "append": torch.ones(3, 2)})
case("diff", [In([[True, False, False, True]], dtype=torch.bool)])
case("diff", [In([[1, 4, 9, 16]], dtype=i64)], kwargs={"n": 2})
case("cumulative_trapezoid", [In(A)])
case("cumulative_trapezoid", [In(A)], kwargs={"dx": 0.5, "dim": 0})
case("cumulative_trapezoid", [In(A)], [torch.tensor([0.0, 1.0, 3.0, 3.5])])
case("trapezoid", [In(A)])
case("trapezoid", [In(A)], [torch.tensor([0.0, 1.0, 3.0, 3.5])])
case("trapezoid", [In(A)], kwargs={"dx": 2.0, "dim": 0})
P = torch.tensor([[2.0, 0.5, 3.0, -1.0], [1.5, 0.0, 2.0, 4.0], [0.0, 2.0, 0.0, 1.0]])
case("prod", [In(A)])
case("prod", [In(A)], [1])
case("prod", [In(P)])                   # two zeros: all-reduce gradient
case("prod", [In(P[1:2])])               # one zero
case("prod", [In(P)], [1, True])
case("prod", [In(P)], [0])
case("prod", [In(P, view=("transpose", (0, 1)))], [1])
case("cumprod", [In(A)], [1])
case("cumprod", [In(P)], [1])
case("cumprod", [In(P)], [0])
case("cumprod", [In([[2.0, 0.0, 3.0, 0.0, 5.0], [0.0, 0.0, 1.0, 2.0, 3.0]])], [1])
case("cumprod", [In(P, view=("transpose", (0, 1)))], [0])

# ---- contractions --------------------------------------------------------------------------------------
a34, b45, c3, d4 = rnd(3, 4), rnd(4, 5), rnd(3), rnd(4)
sq = rnd(3, 3)
bat1, bat2 = rnd(2, 3, 4), rnd(2, 4, 5)
for eq, ins in [
    ("ij,jk->ik", [a34, b45]), ("ij,jk", [a34, b45]), ("ii->i", [sq]), ("ii", [sq]), ("ij->ji", [a34]), ("ij", [a34]),
    ("i,i", [c3, c3]), ("i,j->ij", [c3, d4]), ("bij,bjk->bik", [bat1, bat2]), ("...ij,...jk->...ik", [bat1, rnd(4, 2)]),
    ("...ij,jk", [rnd(2, 1, 3, 4), rnd(4, 2)]), ("bij,bij,bij->b", [bat1, bat1 * 2, bat1 + 1]), ("ij,ij->", [a34, a34]),
    ("iij->j", [rnd(3, 3, 2)]), ("Ab,bA->A", [rnd(2, 3), rnd(3, 2)]), ("i j , j k -> i k", [a34, b45]),
    ("ijk,jil->kl", [rnd(2, 3, 4), rnd(3, 2, 5)]), ("b...,b...->b", [rnd(2, 3, 2), rnd(2, 3, 2)]), ("i,i->i", [c3, rnd(1)]),
    ("ij,kj->ikj", [a34, rnd(2, 4)]), ("bn,anm,bm->ba", [rnd(2, 3), rnd(4, 3, 5), rnd(2, 5)]),
]:
    case("einsum", [In(t) for t in ins], pre=[eq])
case("einsum", [In(a34, view=("transpose", (0, 1))), In(rnd(3, 2))], pre=["ij,jk->ik"])
case("tensordot", [In(a34), In(b45)], [1])
case("tensordot", [In(bat1), In(rnd(3, 4, 2))], [2])
case("tensordot", [In(bat1), In(rnd(4, 2, 3))], kwargs={"dims": ([1, 2], [2, 0])})
case("tensordot", [In(a34), In(d4)], kwargs={"dims": ([1], [0])})
case("kron", [In(rnd(2, 3)), In(rnd(2, 2))])
case("kron", [In(c3), In(rnd(2, 2))])
case("kron", [In([[1, 2], [3, 4]], dtype=i64), In([[0, 1], [1, 0]], dtype=i64)])
case("linalg.cross", [In(rnd(4, 3)), In(rnd(1, 3))])
case("linalg.cross", [In(rnd(3, 2)), In(rnd(3, 2))], kwargs={"dim": 0})
case("cross", [In(rnd(2, 3)), In(rnd(2, 3))], kwargs={"dim": 1})

# ---- empty inputs, where PyTorch allows them ---------------------------------------------------------------
E0, E20 = torch.zeros(0), torch.zeros(2, 0)
case("sort", [In(E0)])
case("sort", [In(E20)], [1])
case("argsort", [In(E20)], [0])
case("topk", [In(E20)], [0])
case("median", [In(E0)])
case("nanmedian", [In(E0)])
case("median", [In(torch.zeros(0, 3))], [1])
case("var", [In(E0)])
case("std", [In(torch.zeros(0, 3))], [0])
case("var_mean", [In(E20)], [1])
case("linalg.vector_norm", [In(E0)])
case("linalg.vector_norm", [In(E20)], [1], {"dim": 1})
case("norm", [In(E20)], [-inf], {"dim": 0})
case("count_nonzero", [In(E20)], [0])
case("nansum", [In(E20)], [1])
case("nanmean", [In(E0)])
case("logcumsumexp", [In(E20)], [1])
case("cummax", [In(E20)], [1])
case("cummin", [In(E0)], [0])
case("unique", [In(E0)], kwargs={"return_inverse": True, "return_counts": True})
case("einsum", [In(E0), In(E0)], pre=["i,i"])
case("einsum", [In(E20), In(torch.zeros(0, 3))], pre=["ij,jk->ik"])
case("diff", [In(E20)])
case("prod", [In(E0)])
case("prod", [In(E20)], [1])
case("cumprod", [In(E20)], [1])
case("aminmax", [In(torch.zeros(0, 2))], kwargs={"dim": 1})
case("kron", [In(E20), In(torch.ones(2, 2))])
case("cdist", [In(torch.zeros(0, 3)), In(torch.ones(2, 3))])

# ---- a 0-d input reduced over dim 0 or -1 (PyTorch wraps the dim as if it had one) ---------------
case("linalg.vector_norm", [In(torch.tensor(-2.5))], [2, -1])
case("linalg.vector_norm", [In(torch.tensor(-2.5))], [3, 0, True])
case("var", [In(torch.tensor(1.5))], [-1], {"correction": 0})
case("std", [In(torch.tensor(1.5))], [0], {"correction": 0})

out = {"torch_version": torch.__version__, "cases": cases}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "reduce2.json")
os.makedirs(os.path.dirname(path), exist_ok=True)
with open(path, "w") as f:
    json.dump(out, f, separators=(",", ":"))
print(f"wrote {len(cases)} cases to {os.path.normpath(path)}")
