#!/usr/bin/python3
"""Golden data for index expressions (test/index.test.ts): Python's x[...] and x[...] = v, and the
in-place shape ops, computed by real PyTorch.

    /work/.venv-torch/bin/python tools/gen_golden_index.py     # writes test/golden/index.json

The functional ops (index_put, masked_select, take, repeat, roll, tril, diag …) are cases of the op
database (tools/gen_golden.py); this file holds what needs Python's indexing syntax. Each case is
one of:

  get    out = x[items]: the result (values, shape, dtype), the chain of grad_fn names from it to
         the leaf, whether it is a view of x, the base of x after writing 7 through the result
         (changed only when the result is a view), the gradient of x's base for a random grad_output
         w, and whether PyTorch's gradcheck (and gradgradcheck) pass for float64 x
  put    y = x.clone(); y[items] = value (or y.index_put_(items, value, accumulate=True), and
         aten's index_put_ where None keeps a dim whole): y after,
         its grad_fn chain, the gradients of x's base and of the value tensor, gradcheck.
         With `view`, the write goes through a view of y; with `return_view`, that view is the output
  leaf   the same write straight into a leaf that requires grad: PyTorch's error
  call   an in-place method on y = x.clone() (tril_, triu_, index_fill_)

Index items are encoded as {"int"}, {"slice": [start, stop, step]}, {"ellipsis"}, {"none"},
{"bool"}, {"tensor"} or {"list"} (a Python list, which indexes as a tensor does).
"""

import json
import os
import sys
import zlib

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from gen_golden import T, TR, SL, apply_view, view_json, FLOATS  # noqa: E402
from golden_common import enc_tensor, enc_num  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "index.json")

class Whole:
    """None in index_put_'s indices (aten::index_put_'s list of optional tensors): the dim kept
    whole. A put with one is made by aten's index_put_, not by Python's y[...] = v (where None is
    a new axis)."""


def t(values, dtype=torch.int64):
    return torch.tensor(values, dtype=dtype)


def enc_item(it):
    if it is Ellipsis:
        return {"ellipsis": True}
    if it is None:
        return {"none": True}
    if isinstance(it, Whole):
        return {"none": True}
    if isinstance(it, bool):
        return {"bool": it}
    if isinstance(it, int):
        return {"int": it}
    if isinstance(it, slice):
        return {"slice": [it.start, it.stop, it.step]}
    if isinstance(it, torch.Tensor):
        return {"tensor": enc_tensor(it)}
    if isinstance(it, list):
        return {"list": it}
    raise ValueError(it)


def py_item(it):
    if isinstance(it, Whole):
        return None
    if isinstance(it, list):
        return torch.tensor(it)
    return it


def py_items(items):
    """The Python index: x[a] for one item (x.index(a) is x[a], not x[(a,)], which PyTorch treats a
    little differently), else the tuple x[a, b, …]."""
    if len(items) == 1:
        return items[0]
    return tuple(items)


def chain(x):
    names, f = [], x.grad_fn
    while f is not None and not f.name().endswith("AccumulateGrad"):
        names.append(f.name())
        nxt = [n for n, _ in f.next_functions if n is not None]
        f = nxt[0] if nxt else None
    return names


def error_text(e):
    return str(e).split("\n")[0]


CASES = []


def get(name, x, items, gg=False):
    CASES.append({"kind": "get", "name": f"get {name}", "x": x, "items": items, "gg": gg})


def put(name, x, items, value, accumulate=False, view=None, return_view=False):
    CASES.append({"kind": "put", "name": f"put {name}", "x": x, "items": items, "value": value, "accumulate": accumulate,
                  "view": view, "return_view": return_view})


def leaf(name, x, items, value):
    CASES.append({"kind": "leaf", "name": f"put {name}", "x": x, "items": items, "value": value})


def call(name, x, method, args):
    CASES.append({"kind": "call", "name": f"call {name}", "x": x, "method": method, "args": args})


S = slice
M34 = [[True, False, True, False], [False, False, True, True], [True, True, False, False]]
M23 = [[True, False, True], [False, True, True]]


def cases():
    X, X64, X3 = T([3, 4]), T([3, 4], "float64"), T([2, 3, 4])
    # ---- basic indexing: views
    get("int", X, [1])
    get("negative int", X, [-1])
    get("two ints", X3, [0, 1])
    get("int and negative int", X, [1, -2])
    get("slice", X, [S(1, 3)])
    get("slice second dim", X, [S(None), S(1, 3)])
    get("slice with step", X, [S(None, None, 2)])
    get("slice start and step", X, [S(None), S(1, None, 2)])
    get("negative start", X, [S(-2, None)])
    get("negative stop", X, [S(None, -1), S(-3, None)])
    get("start past the end", X, [S(5, None)])
    get("stop past the end", X, [S(1, 100)])
    get("start before the beginning", X, [S(-100, 2)])
    get("stop before start", X, [S(2, 1)])
    get("whole-dim slice skipped with several items", X, [S(0, 3), 1])
    get("slice past the end skipped with several items", X, [S(0, 100), 1])
    get("open slice skipped with several items", X, [S(0, None), S(1, 3)])
    get("whole slice alone", X, [S(None)])
    get("two whole slices", X, [S(None), S(None)])
    get("ellipsis", X, [Ellipsis])
    get("ellipsis int", X, [Ellipsis, 1])
    get("ellipsis slice 3-d", X3, [Ellipsis, S(1, 3)])
    get("int ellipsis", X3, [0, Ellipsis])
    get("ellipsis None", X, [Ellipsis, None])
    get("int ellipsis int 3-d", X3, [1, Ellipsis, 2])
    get("None", X, [None])
    get("slice None", X, [S(None), None])
    get("None int None", X, [None, 1, None])
    get("empty tuple", X, [])
    get("True", X, [True])
    get("False", X, [False])
    get("int True", X, [0, True])
    get("0-d None", T([]), [None])
    get("0-d ellipsis", T([]), [Ellipsis])
    get("0-d True", T([]), [True])
    get("0-d empty tuple", T([]), [])
    get("0-d tensor int", X, [t(2)])
    get("0-d tensor bool", X, [t(True, torch.bool)])
    get("transposed int slice", T([4, 3], view=TR), [1, S(1, None)])
    get("sliced view", T([3, 8], view=("slice", 1, 0, 2)), [S(None), S(1, 3)])
    get("float64 basic", X64, [S(None), 1], gg=True)
    get("int64 basic", T([3, 4], "int64", lo=-9, hi=9), [S(1, None), 2])
    get("bool basic", T([3, 4], "bool"), [1])
    # ---- advanced indexing: copies
    get("list", X, [[0, 2]])
    get("list duplicates", X, [[2, 0, 2]])
    get("list negative", X, [[-1]])
    get("2-d index tensor", X, [t([[0, 1], [2, 0]])])
    get("int32 index tensor", X, [t([0, 2], torch.int32)])
    get("empty list", X, [[]])
    get("slice then list", X, [S(None), [1, 3]])
    get("slice then list duplicates", X, [S(1, None), [0, 0, 3]])
    get("list then slice", X, [[0, 2], S(1, 3)])
    get("two lists", X, [[0, 2], [1, 3]])
    get("two lists broadcast", X, [[[0], [2]], [1, 3, 0]])
    get("non-adjacent", X3, [[0, 1], S(None), [1, 2]])
    get("adjacent after slice", X3, [S(None), [0, 1], [1, 2]])
    get("int between lists", X3, [[0, 1], 1, [1, 2]])
    get("None between lists", X3, [None, [0, 1], None, [1, 2]])
    get("ellipsis list", X3, [Ellipsis, [0, 1]])
    get("int ellipsis 2-d list", X3, [1, Ellipsis, [[0], [2]]])
    get("nested list is a tuple", X, [[[0, 1], [1, 2]]])
    get("mask", X, [t(M34, torch.bool)])
    get("mask dim 0", X, [t([True, False, True], torch.bool)])
    get("slice mask", X, [S(None), t([False, True, True, False], torch.bool)])
    get("mask slice", X, [t([True, False, True], torch.bool), S(1, 3)])
    get("slice mask 3-d", X3, [S(1, None), t([True, False, True], torch.bool)])
    get("mask 2-d of 3-d", X3, [t([[True, False, True], [False, True, True]], torch.bool)])
    get("mask all false", X, [t([[False] * 4] * 3, torch.bool)])
    get("list of bools", X, [[True, False, True]])
    get("uint8 mask", X, [t([1, 0, 1], torch.uint8)])
    get("mask and list", X, [t([True, False, True], torch.bool), [0, 3]])
    # a 2-d mask takes two dims (1.13 advanced by one: the next item indexed the mask's second dim)
    get("mask 2-d then int", X3, [t(M23, torch.bool), 0])
    get("mask 2-d then slice", X3, [t(M23, torch.bool), S(1, 3)])
    get("mask 2-d then list", X3, [t(M23, torch.bool), [0, 1, 2, 3]])
    get("mask 2-d, whole dim, list", T([2, 3, 4, 2]), [t(M23, torch.bool), S(None), [1, 0, 0, 1]])
    get("int then mask 2-d", X3, [0, t([[True] * 4, [False, True] * 2, [False] * 4], torch.bool)])
    get("transposed list slice", T([4, 3], view=TR), [[0, 2], S(1, None)])
    get("sliced view list", T([3, 8], view=("slice", 1, 0, 2)), [S(None), [2, 0]])
    get("float64 list", X64, [[2, 0, 2]], gg=True)
    get("float64 two lists", X64, [[0, 2], [1, 3]], gg=True)
    get("float64 mask", X64, [t(M34, torch.bool)])
    get("float64 non-adjacent", T([2, 3, 4], "float64"), [[0, 1, 1], S(None), [3, 2, 3]])
    get("int64 list", T([3, 4], "int64", lo=-9, hi=9), [[1, 1], S(2, None)])
    get("bool mask of bool", T([3, 4], "bool"), [t(M34, torch.bool)])
    get("float16 list", T([4], "float16"), [[3, 0]])
    # ---- errors
    get("error int out of bounds", X, [5])
    get("error negative int out of bounds", X, [-4])
    get("error too many indices", X, [0, 0, 0])
    get("error int out of bounds second dim", X, [S(None), 9])
    get("error int after None", X, [None, 5])
    get("error list out of bounds", X, [[5]])
    get("error list out of bounds second dim", X, [S(None), [4]])
    get("error second list out of bounds", X, [[0], [9]])
    get("error float index", X, [t([1.0], torch.float32)])
    get("error int16 index", X, [t([1], torch.int16)])
    get("error mask shape", X, [t([True, True, False, True], torch.bool)])
    get("error mask shape second dim", X, [S(None), t([True, True], torch.bool)])
    get("error second mask shape", T([2, 3, 4, 5]), [t(M23, torch.bool), t(M23, torch.bool)])
    get("error lists do not broadcast", X, [[0, 1], [0, 1, 2]])
    get("error negative step", X, [S(None, None, -1)])
    get("error zero step", X, [S(None), S(0, 3, 0)])
    get("error 0-d int", T([]), [0])
    get("error 0-d int 1", T([]), [1])
    get("error 0-d slice", T([]), [S(0, 1)])
    get("error 0-d list", T([]), [[0]])
    get("error empty dim", T([0, 3]), [[0]])

    # ---- assignment
    v = lambda shape, dt="float32": T(shape, dt)
    put("int scalar", X, [1], 5.0)
    put("whole slice scalar", X, [S(None)], 5.0)
    put("whole slice 0-d tensor", X, [S(None)], v([]))
    put("two whole slices tensor", X, [S(None), S(None)], v([4]))
    put("slice tensor", X, [S(None), S(1, 3)], v([3, 2]))
    put("int slice tensor", X, [0, S(1, 3)], v([2]))
    put("ellipsis broadcast", X, [Ellipsis], v([4]))
    put("int 0-d tensor", X, [2], v([]))
    put("list rows", X, [[0, 2]], v([2, 4]))
    put("list broadcast value", X, [[0, 2]], v([4]))
    put("list duplicates", X, [[1, 1]], v([2, 4]))
    put("mask scalar", X, [t(M34, torch.bool)], 0.0)
    put("mask values", X, [t(M34, torch.bool)], v([6]))
    put("mask 0-d tensor", X, [t(M34, torch.bool)], v([]))
    put("slice list", X, [S(None), [1, 3]], v([3, 2]))
    put("list slice", X, [[0, 2], S(1, 3)], v([2, 2]))
    put("two lists 0-d value", X, [[0, 2], [1, 3]], v([]))
    put("non-adjacent", X3, [[0, 1], S(None), [1, 2]], v([2, 3]))
    put("value with leading ones", X, [[1]], v([1, 1, 4]))
    put("basic value with leading ones", X, [1], v([1, 4]))
    put("empty list", X, [[]], v([4]))
    put("int32 index", X, [t([2], torch.int32)], v([4]))
    put("whole dim (None) and list", X, [Whole(), [0, 3]], v([3, 2]))
    put("accumulate duplicates", X, [t([1, 1, 0, 1])], v([4, 4]), accumulate=True)
    put("accumulate two indices duplicates", X, [t([0, 0, 2]), t([1, 1, 3])], v([3]), accumulate=True)
    put("accumulate mask", X, [t(M34, torch.bool)], v([6]), accumulate=True)
    put("through a transposed view", X, [[0], S(1, None)], v([1, 2]), view=TR)
    put("through a sliced view, view returned", X, [0, [1]], 5.0, view=("slice", 0, 1, 1), return_view=True)
    put("float64 list", X64, [[0, 2, 0]], v([3, 4], "float64"))
    put("float64 accumulate", X64, [t([2, 0, 2])], v([3, 4], "float64"), accumulate=True)
    put("float64 slice list", X64, [S(1, None), [3, 0]], v([2, 2], "float64"))
    put("float64 mask", X64, [t(M34, torch.bool)], v([], "float64"))
    put("int64", T([3, 4], "int64", lo=-9, hi=9), [[0, 2]], 7)
    put("int64 accumulate", T([5], "int64", lo=-9, hi=9), [t([4, 4, 1])], T([3], "int64", lo=-9, hi=9), accumulate=True)
    put("bool", T([3, 4], "bool"), [1, [0, 2]], True)
    put("error list out of bounds", X, [[0, 9]], 1.0)
    put("error int out of bounds", X, [5], 1.0)
    put("error value shape", X, [[0]], v([3]))
    put("error value dtype", X, [[0]], v([4], "float64"))
    put("error basic value shape", X, [0], v([2, 4]))
    put("error mask shape", X, [t([True, False], torch.bool)], 1.0)
    leaf("error view of a leaf", X, [0], 1.0)
    leaf("error leaf", X, [[0]], 1.0)
    # ---- in-place methods
    call("tril_", X, "tril_", [])
    call("triu_ diagonal 1", X64, "triu_", [1])
    call("index_fill_", X64, "index_fill_", [1, t([0, 3]), -2.5])


def make(spec, gen):
    base = spec.make_base(gen)
    j = enc_tensor(base)
    j["view"] = view_json(spec.view)
    return base, j


def value_of(val, gen):
    """(json, tensor or None, python value) of a put's value."""
    if isinstance(val, T):
        b = val.make_base(gen)
        return {"tensor": enc_tensor(b)}, b, None
    return {"scalar": enc_num(val)}, None, val


def put_fn(spec, items):
    def f(xb, vb, scalar):
        y = xb.clone()
        yv = apply_view(y, spec["view"])
        val = vb if vb is not None else scalar
        if spec["accumulate"] or any(isinstance(i, Whole) for i in items):
            # (Tensor.index_put_'s binding refuses None: aten's op takes it, as typetorch's index_put_)
            torch.ops.aten.index_put_(yv, [py_item(i) for i in items], val if isinstance(val, torch.Tensor) else torch.tensor(val),
                                      spec["accumulate"])
        else:
            yv[py_items(items)] = val
        return yv if spec["return_view"] else y
    return f


def run(spec):
    gen = torch.Generator().manual_seed(zlib.crc32(spec["name"].encode()))
    xs = spec["x"]
    base, xj = make(xs, gen)
    rec = {"name": spec["name"], "kind": spec["kind"], "x": xj}
    is_float = xs.dtype in FLOATS
    items = spec.get("items", [])
    rec["items"] = [enc_item(i) for i in items]

    if spec["kind"] == "get":
        leafx = base.clone().requires_grad_(is_float)
        try:
            out = apply_view(leafx, xs.view)[py_items(items)]
        except Exception as e:  # noqa: BLE001 - the message is the golden datum
            rec["error"] = error_text(e)
            return rec
        rec["out"] = enc_tensor(out)
        xv = apply_view(leafx, xs.view)
        rec["is_view"] = out._is_view() and out._base is (xv._base if xv._base is not None else xv)
        b2 = base.clone()
        with torch.no_grad():
            apply_view(b2, xs.view)[py_items(items)].fill_(7)
        rec["after_write"] = enc_tensor(b2)
        if is_float:
            # the nodes the index expression added, not those of the view that made x
            rec["grad_fn"] = chain(out)[:len(chain(out)) - len(chain(xv))]
            w = (torch.rand(out.shape, generator=gen, dtype=torch.float64) * 2 - 1).to(out.dtype)
            rec["w"] = enc_tensor(w)
            (g,) = torch.autograd.grad(out, leafx, w, allow_unused=True)
            rec["grad"] = enc_tensor(g if g is not None else torch.zeros_like(base))
            if xs.dtype == "float64":
                f = lambda x: apply_view(x, xs.view)[py_items(items)]
                rec["gradcheck"] = bool(torch.autograd.gradcheck(f, (leafx,), raise_exception=False))
                if spec["gg"]:
                    rec["gradgradcheck"] = bool(torch.autograd.gradgradcheck(f, (leafx,), raise_exception=False))
        return rec

    if spec["kind"] == "call":
        args = spec["args"]
        rec["method"] = spec["method"]
        rec["args"] = [{"tensor": enc_tensor(a)} if isinstance(a, torch.Tensor) else {"scalar": enc_num(a)} for a in args]
        leafx = base.clone().requires_grad_(True)
        f = lambda x: getattr(x.clone(), spec["method"])(*args)
        out = f(leafx)
        rec["out"] = enc_tensor(out)
        rec["grad_fn"] = chain(out)
        w = (torch.rand(out.shape, generator=gen, dtype=torch.float64) * 2 - 1).to(out.dtype)
        rec["w"] = enc_tensor(w)
        rec["grad"] = enc_tensor(torch.autograd.grad(out, leafx, w)[0])
        if xs.dtype == "float64":
            rec["gradcheck"] = bool(torch.autograd.gradcheck(f, (leafx,), raise_exception=False))
        return rec

    vj, vb, scalar = value_of(spec["value"], gen)
    rec["value"] = vj
    if spec["kind"] == "leaf":
        leafx = base.clone().requires_grad_(True)
        try:
            leafx[py_items(items)] = vb if vb is not None else scalar
        except Exception as e:  # noqa: BLE001
            rec["error"] = error_text(e)
            return rec
        raise AssertionError(f"{spec['name']}: expected an error")

    rec["accumulate"] = spec["accumulate"]
    rec["view"] = view_json(spec["view"])
    rec["return_view"] = spec["return_view"]
    f = put_fn(spec, items)
    leafx = base.clone().requires_grad_(is_float)
    leafv = vb.clone().requires_grad_(vb.dtype in (torch.float32, torch.float64)) if vb is not None else None
    try:
        out = f(leafx, leafv, scalar)
    except Exception as e:  # noqa: BLE001
        rec["error"] = error_text(e)
        return rec
    rec["out"] = enc_tensor(out)
    if is_float:
        rec["grad_fn"] = chain(out)
        w = (torch.rand(out.shape, generator=gen, dtype=torch.float64) * 2 - 1).to(out.dtype)
        rec["w"] = enc_tensor(w)
        leaves = [leafx] + ([leafv] if leafv is not None and leafv.requires_grad else [])
        gs = torch.autograd.grad(out, leaves, w, allow_unused=True)
        rec["grads"] = [enc_tensor(g if g is not None else torch.zeros_like(l)) for g, l in zip(gs, leaves)]
        if xs.dtype == "float64":
            fn = lambda *ls: f(ls[0], ls[1] if len(ls) > 1 else None, scalar)
            rec["gradcheck"] = bool(torch.autograd.gradcheck(fn, tuple(leaves), raise_exception=False))
    return rec


def main():
    cases()
    names = [c["name"] for c in CASES]
    assert len(names) == len(set(names)), "duplicate case names"
    recs = []
    for spec in CASES:
        try:
            recs.append(run(spec))
        except Exception:
            print(f"while generating {spec['name']}:", file=sys.stderr)
            raise
    doc = {"generator": "tools/gen_golden_index.py", "torch_version": torch.__version__, "cases": recs}
    with open(OUT, "w") as fh:
        json.dump(doc, fh, separators=(",", ":"), allow_nan=False)
        fh.write("\n")
    print(f"wrote {len(recs)} cases to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
