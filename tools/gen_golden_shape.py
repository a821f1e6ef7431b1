#!/usr/bin/python3
"""Golden data for the shape ops (test/shape.test.ts through test/opdb_shape.ts), computed by real
PyTorch with tools/gen_golden.py's case machinery:

    /work/.venv-torch/bin/python tools/gen_golden_shape.py     # writes test/golden/shape.json

bincount's weights are given without requires_grad: PyTorch records a NotImplemented node for them.
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden as G  # noqa: E402
from gen_golden import T, S, L, D, TR, SL, EX, case  # noqa: E402,F401

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "shape.json")

G.OPS.update({
    "atleast_1d": lambda *xs: torch.atleast_1d(*xs),
    "atleast_2d": lambda *xs: torch.atleast_2d(*xs),
    "atleast_3d": lambda *xs: torch.atleast_3d(*xs),
    "broadcast_tensors": lambda *xs: torch.broadcast_tensors(*xs),
    "block_diag": lambda *xs: torch.block_diag(*xs),
    "cartesian_prod": lambda *xs: torch.cartesian_prod(*xs),
    "combinations": lambda x, *a, **kw: torch.combinations(x, *a, **kw),
    "column_stack": lambda ts: torch.column_stack(ts),
    "dstack": lambda ts: torch.dstack(ts),
    "hsplit": lambda x, s: torch.hsplit(x, s),
    "vsplit": lambda x, s: torch.vsplit(x, s),
    "dsplit": lambda x, s: torch.dsplit(x, s),
    "diagflat": lambda x, *a: torch.diagflat(x, *a),
    "ravel": lambda x: torch.ravel(x),
    "rot90": lambda x, *a: torch.rot90(x, *a),
    "narrow_copy": lambda x, d, s, n: torch.narrow_copy(x, d, s, n),
    "unravel_index": lambda i, shape: torch.unravel_index(i, shape),
    "take_along_dim": lambda x, i, *d: torch.take_along_dim(x, i, *d),
    "meshgrid": lambda *xs, **kw: torch.meshgrid(*xs, **kw),
    "tril_indices": lambda *a, **kw: torch.tril_indices(*a, **kw),
    "triu_indices": lambda *a, **kw: torch.triu_indices(*a, **kw),
    "vander": lambda x, *a, **kw: torch.vander(x, *a, **kw),
    "range": lambda *a, **kw: torch.range(*a, **kw),
    "trace": lambda x: torch.trace(x),
    "vdot": lambda a, b: torch.vdot(a, b),
    "addr": lambda i, a, b, **kw: torch.addr(i, a, b, **kw),
    "chain_matmul": lambda *ms: torch.chain_matmul(*ms),
    "slice_scatter": lambda x, s, *a, **kw: torch.slice_scatter(x, s, *a, **kw),
    "select_scatter": lambda x, s, d, i: torch.select_scatter(x, s, d, i),
    "diagonal_scatter": lambda x, s, *a: torch.diagonal_scatter(x, s, *a),
    "scatter_reduce": lambda x, d, i, s, r, **kw: torch.scatter_reduce(x, d, i, s, r, **kw),
    "scatter_reduce_": lambda x, d, i, s, r, **kw: x.clone().scatter_reduce_(d, i, s, r, **kw),
    "index_reduce": lambda x, d, i, s, r, **kw: torch.index_reduce(x, d, i, s, r, **kw),
    "index_reduce_": lambda x, d, i, s, r, **kw: x.clone().index_reduce_(d, i, s, r, **kw),
    "index_copy": lambda x, d, i, s: torch.index_copy(x, d, i, s),
    "index_copy_": lambda x, d, i, s: x.clone().index_copy_(d, i, s),
    "searchsorted": lambda b, x, **kw: torch.searchsorted(b, x, **kw),
    "bucketize": lambda x, b, **kw: torch.bucketize(x, b, **kw),
    "bincount": lambda x, *a, **kw: torch.bincount(x, *a, **kw),
    "histc": lambda x, **kw: torch.histc(x, **kw),
    "cov": lambda x, **kw: torch.cov(x, **kw),
    "corrcoef": lambda x: torch.corrcoef(x),
    "renorm": lambda x, p, d, m: torch.renorm(x, p, d, m),
    "renorm_": lambda x, p, d, m: x.clone().renorm_(p, d, m),
})


def IV(vals, dt="int64"):
    """An index vector of these values."""
    return T([len(vals)], dt, values=vals)


def group3_cases():
    B = T([5], values=[-1.0, 0.0, 0.5, 2.0, 2.0])
    X = T([2, 4], values=[-2.0, 0.0, 0.25, 2.0, 2.0, 3.0, float("nan"), -1.0])
    case("searchsorted", "float32 left", [B, X])
    case("searchsorted", "float32 right", [B, X], {"right": True})
    case("searchsorted", "float32 side right", [B, X], {"side": "right"})
    case("searchsorted", "out_int32", [B, X], {"out_int32": True})
    case("searchsorted", "scalar", [B, S(0.5)])
    case("searchsorted", "float64 0-d", [T([4], "float64", values=[1.0, 2.0, 3.0, 4.0]), T([], "float64", values=2.5)])
    case("searchsorted", "n-d boundaries", [T([2, 3], values=[1.0, 2.0, 3.0, 0.0, 5.0, 10.0]), T([2, 2], values=[2.0, 0.0, 5.0, 11.0])])
    case("searchsorted", "n-d right", [T([2, 3], values=[1.0, 2.0, 3.0, 0.0, 5.0, 10.0]), T([2, 2], values=[2.0, 0.0, 5.0, 11.0])], {"right": True})
    case("searchsorted", "sorter", [T([4], values=[3.0, 1.0, 4.0, 2.0]), T([3], values=[2.5, 0.0, 4.0])], {"sorter": IV([1, 3, 0, 2])})
    case("searchsorted", "int64", [IV([1, 3, 5, 7]), IV([0, 3, 4, 8])])
    case("searchsorted", "promotion", [IV([1, 3, 5, 7]), T([3], values=[3.5, 3.0, -1.0])])
    case("searchsorted", "transposed values", [B, T([4, 2], view=TR)])
    case("searchsorted", "empty", [B, T([0])])
    case("searchsorted", "empty boundaries", [T([0]), T([3])])
    case("searchsorted", "error opposite side", [B, X], {"right": True, "side": "left"}, error=True)
    case("searchsorted", "error shapes", [T([1, 3]), T([2])], error=True)
    case("searchsorted", "error sorter dtype", [T([3]), T([2])], {"sorter": IV([0, 1, 2], "int32")}, error=True)
    case("searchsorted", "error sorter size", [T([3]), T([2])], {"sorter": IV([0, 1])}, error=True)
    case("bucketize", "float32", [X, B])
    case("bucketize", "right", [X, B], {"right": True})
    case("bucketize", "out_int32", [X, B], {"out_int32": True})
    case("bucketize", "scalar", [S(2.0), B])
    case("bucketize", "int64", [IV([0, 3, 4, 8]), IV([1, 3, 5, 7])])
    case("bucketize", "error 2-d", [T([2]), T([1, 2])], error=True)
    case("bincount", "int64", [IV([0, 2, 2, 5, 1])])
    case("bincount", "minlength", [IV([0, 2, 2]), None, 6])
    case("bincount", "minlength kw", [IV([1, 1])], {"minlength": 1})
    case("bincount", "float32 weights", [IV([0, 2, 2]), T([3], rg=False)])
    case("bincount", "float64 weights", [IV([0, 2, 2]), T([3], "float64", rg=False)], {"minlength": 4})
    case("bincount", "int weights", [IV([0, 2, 2]), IV([4, 5, 6])])
    case("bincount", "int32", [IV([3, 0, 3], "int32")])
    case("bincount", "uint8", [IV([3, 0, 3], "uint8")])
    case("bincount", "empty", [T([0], "int64")])
    case("bincount", "empty minlength", [T([0], "int64")], {"minlength": 3})
    case("bincount", "error negative", [IV([0, -1])], error=True)
    case("bincount", "error 2-d", [T([2, 2], "int64", lo=0, hi=3)], error=True)
    case("bincount", "error float", [T([2])], error=True)
    case("bincount", "error weights", [IV([0, 1]), T([3], rg=False)], error=True)
    case("bincount", "error minlength", [IV([0, 1])], {"minlength": -1}, error=True)
    case("histc", "float32", [T([20], rg=False)], {"bins": 4})
    case("histc", "float64 range", [T([3, 5], "float64", rg=False)], {"bins": 5, "min": -1, "max": 1})
    case("histc", "float32 default bins", [T([10], rg=False)])
    case("histc", "edges", [T([6], values=[0.0, 1.0, 2.0, 3.0, -0.5, 3.5], rg=False)], {"bins": 3, "min": 0, "max": 3})
    case("histc", "constant", [T([3], values=[2.0, 2.0, 2.0], rg=False)], {"bins": 4})
    case("histc", "float32 transposed", [T([3, 2], view=TR, rg=False)], {"bins": 3})
    case("histc", "float32 empty", [T([0], rg=False)], {"bins": 3})
    case("histc", "error int", [IV([1, 2])], {"bins": 3}, error=True)
    case("histc", "error bins", [T([3], rg=False)], {"bins": -1}, error=True)
    case("histc", "error min max", [T([3], rg=False)], {"bins": 3, "min": 3, "max": 0}, error=True)
    case("cov", "float32", [T([3, 5])])
    case("cov", "float64", [T([2, 6], "float64")])
    case("cov", "float64 1-d", [T([5], "float64")])
    case("cov", "float64 correction 0", [T([3, 4], "float64")], {"correction": 0})
    case("cov", "float64 correction 2", [T([2, 5], "float64")], {"correction": 2})
    case("cov", "float64 fweights", [T([2, 4], "float64")], {"fweights": IV([1, 2, 0, 3])})
    case("cov", "float64 aweights", [T([2, 4], "float64")], {"aweights": T([4], "float64", lo=0.5, hi=2)})
    case("cov", "float64 both weights", [T([3, 4], "float64")], {"fweights": IV([2, 1, 1, 3]), "aweights": T([4], "float64", lo=0.5, hi=2)})
    case("cov", "float64 both weights correction 0", [T([2, 4], "float64")], {"correction": 0, "fweights": IV([2, 1, 1, 3]), "aweights": T([4], "float64", lo=0.5, hi=2)})
    case("cov", "int64", [T([2, 4], "int64", lo=-5, hi=5)])
    case("cov", "float32 transposed", [T([3, 2], view=TR)])
    case("cov", "error 3-d", [T([2, 2, 2])], error=True)
    case("cov", "error fweights float", [T([2, 3])], {"fweights": T([3], rg=False)}, error=True)
    case("cov", "error aweights int", [T([2, 3])], {"aweights": IV([1, 2, 3])}, error=True)
    case("cov", "error fweights negative", [T([2, 3])], {"fweights": IV([1, -2, 3])}, error=True)
    case("cov", "error fweights numel", [T([2, 3])], {"fweights": IV([1, 2])}, error=True)
    case("corrcoef", "float32", [T([3, 5])])
    case("corrcoef", "float64", [T([2, 6], "float64")])
    case("corrcoef", "float64 1-d", [T([5], "float64")])
    case("corrcoef", "int64", [T([2, 4], "int64", lo=-5, hi=5)])
    case("corrcoef", "float32 transposed", [T([3, 2], view=TR)])
    case("corrcoef", "error 3-d", [T([2, 2, 2])], error=True)
    case("renorm", "float64 p=2", [T([3, 4], "float64"), 2, 0, 1.0])
    case("renorm", "float64 p=1 dim 1", [T([3, 4], "float64"), 1, 1, 1.5])
    case("renorm", "float64 p=3", [T([2, 3, 2], "float64"), 3, 1, 1.0])
    case("renorm", "float64 p=inf", [T([3, 4], "float64"), S(float("inf")), 0, 1.0])
    case("renorm", "float32 none exceed", [T([3, 4], lo=-0.1, hi=0.1), 2, 0, 5.0])
    case("renorm", "float32 negative dim", [T([2, 3]), 2, -1, 0.5])
    case("renorm", "float32 transposed", [T([3, 2], view=TR), 2, 0, 1.0])
    case("renorm", "float32 maxnorm 0", [T([2, 3]), 2, 0, 0.0])
    case("renorm_", "float32", [T([3, 4]), 2, 1, 1.0])
    case("renorm_", "float64", [T([3, 4], "float64"), 2, 1, 1.0])
    case("renorm", "error p", [T([2, 2]), -1, 0, 1.0], error=True)
    case("renorm", "error maxnorm", [T([2, 2]), 2, 0, -1.0], error=True)
    case("renorm", "error 1-d", [T([2]), 2, 0, 1.0], error=True)


def group2_cases():
    I = lambda shape, hi, **k: T(shape, "int64", lo=0, hi=hi, **k)
    for r in ("sum", "prod", "mean", "amax", "amin"):
        for inc in (True, False):
            kw = {} if inc else {"include_self": False}
            tag = "" if inc else " exclude self"
            lo = 0.5 if r == "prod" else -2.0
            case("scatter_reduce", f"{r}{tag} float64", [T([3, 4], "float64", lo=lo), 0, I([4, 4], 2), T([4, 4], "float64", lo=lo), r], kw)
            case("scatter_reduce", f"{r}{tag} float32 dim 1", [T([2, 5]), 1, I([2, 3], 4), T([2, 4]), r], kw)
            case("scatter_reduce", f"{r}{tag} int64", [T([5], "int64", lo=-5, hi=5), 0, I([6], 4), T([6], "int64", lo=-5, hi=5), r], kw)
        case("scatter_reduce", f"{r} float32 1-d", [T([4]), 0, IV([0, 1, 0, 3, 3]), T([5]), r])
        case("scatter_reduce", f"{r} float32 empty index", [T([3]), 0, T([0], "int64"), T([0]), r])
        case("scatter_reduce", f"{r} float32 transposed", [T([3, 2], view=TR), 1, I([2, 2], 2), T([2, 6], view=SL), r])
        case("scatter_reduce_", f"{r} float64", [T([4], "float64", lo=0.5), 0, IV([1, 1, 2]), T([3], "float64", lo=0.5), r])
    # ties: the gradient is shared among the maxima / minima
    case("scatter_reduce", "amax ties", [T([3], "float64", values=[1.0, 5.0, 0.0]), 0, IV([0, 0, 1, 2, 2]),
                                          T([5], "float64", values=[3.0, 3.0, 5.0, -1.0, 0.0]), "amax"])
    case("scatter_reduce", "amin ties exclude self", [T([3], "float64", values=[1.0, 5.0, 0.0]), 0, IV([0, 0, 1, 1]),
                                                      T([4], "float64", values=[-3.0, -3.0, 2.0, 4.0]), "amin"], {"include_self": False})
    case("scatter_reduce", "amax nan", [T([2], values=[1.0, 2.0]), 0, IV([0, 0]), T([2], values=[float("nan"), 3.0]), "amax"])
    # prod with zeros in self and src (one zero, two zeros at one position)
    case("scatter_reduce", "prod zeros", [T([3], "float64", values=[0.0, 2.0, 1.5]), 0, IV([0, 1, 1, 2, 2]),
                                          T([5], "float64", values=[2.0, 0.0, 3.0, 0.0, 0.0]), "prod"])
    case("scatter_reduce", "prod single zero", [T([3], "float64", values=[1.5, 2.0, 0.5]), 0, IV([0, 1, 1, 2]),
                                                T([4], "float64", values=[2.0, 0.0, 3.0, -1.0]), "prod"])
    case("scatter_reduce", "prod zero exclude self", [T([2], "float64", values=[0.0, 2.0]), 0, IV([0, 0, 1]),
                                                      T([3], "float64", values=[2.0, 0.5, 3.0]), "prod"], {"include_self": False})
    case("scatter_reduce", "mean int64 floor", [T([3], "int64", values=[1, -7, 4]), 0, IV([1, 1, 0]),
                                                T([3], "int64", values=[2, 0, -4]), "mean"])
    # "max" and "min" are amax's and amin's other names (in the forward only)
    case("scatter_reduce", "max alias", [T([3]), 0, IV([0, 0, 2]), T([3]), "max"])
    case("scatter_reduce", "min alias exclude self", [T([3]), 0, IV([0, 0, 2]), T([3]), "min"], {"include_self": False})
    case("scatter_reduce", "error reduce", [T([3]), 0, IV([0]), T([1]), "foo"], error=True)
    case("scatter_reduce", "int32 index", [T([3]), 0, T([2], "int32", values=[2, 2]), T([2]), "sum"])
    case("scatter_reduce", "error dtypes", [T([3]), 0, IV([0]), T([1], "float64"), "sum"], error=True)
    case("scatter_reduce", "error index ndim", [T([3]), 0, I([1, 1], 0), T([1, 1]), "sum"], error=True)
    case("scatter_reduce", "error index out of range", [T([3]), 0, IV([3]), T([1]), "sum"], error=True)
    for r in ("prod", "mean", "amax", "amin"):
        for inc in (True, False):
            kw = {} if inc else {"include_self": False}
            tag = "" if inc else " exclude self"
            lo = 0.5 if r == "prod" else -2.0
            case("index_reduce", f"{r}{tag} float64", [T([3, 2], "float64", lo=lo), 0, IV([0, 2, 0, 0]), T([4, 2], "float64", lo=lo), r], kw)
            case("index_reduce", f"{r}{tag} float32 dim 1", [T([2, 4]), 1, IV([3, 1, 3]), T([2, 3]), r], kw)
            case("index_reduce", f"{r}{tag} int64", [T([4], "int64", lo=-5, hi=5), 0, IV([1, 1, 3]), T([3], "int64", lo=-5, hi=5), r], kw)
        case("index_reduce", f"{r} float32 transposed", [T([3, 2], view=TR), 1, IV([1, 0, 1]), T([2, 6], view=SL), r])
        case("index_reduce_", f"{r} float64", [T([4], "float64", lo=0.5), 0, IV([1, 1, 2]), T([3], "float64", lo=0.5), r])
    case("index_reduce", "amax ties", [T([2, 2], "float64", values=[1.0, 2.0, 3.0, 4.0]), 0, IV([0, 0]),
                                        T([2, 2], "float64", values=[1.0, 0.0, 1.0, 2.0]), "amax"])
    case("index_reduce", "prod zeros", [T([2], "float64", values=[0.0, 2.0]), 0, IV([0, 1, 1, 1]),
                                         T([4], "float64", values=[3.0, 0.0, 2.0, 0.0]), "prod"])
    case("index_reduce", "float32 int32 index", [T([3]), 0, T([2], "int32", values=[2, 0]), T([2]), "amin"])
    case("index_reduce", "error count", [T([3]), 0, IV([0, 1]), T([1]), "prod"], error=True)
    case("index_reduce", "error dtypes", [T([3]), 0, IV([0]), T([1], "float64"), "prod"], error=True)
    case("index_reduce", "error reduce", [T([3]), 0, IV([0]), T([1]), "sum"], error=True)
    case("index_reduce", "error 2-d index", [T([3]), 0, T([1, 1], "int64", values=[0]), T([1]), "prod"], error=True)
    case("index_copy", "float32", [T([4, 3]), 0, IV([3, 0]), T([2, 3])])
    case("index_copy", "float64 dim 1", [T([2, 4], "float64"), 1, IV([1, 3, 0]), T([2, 3], "float64")])
    case("index_copy", "float64 0-d index", [T([3, 2], "float64"), 0, T([], "int64", values=1), T([1, 2], "float64")])
    case("index_copy", "int64", [T([4], "int64", lo=0, hi=9), 0, IV([2]), T([1], "int64", lo=10, hi=20)])
    case("index_copy", "float32 transposed", [T([3, 2], view=TR), 1, IV([0]), T([2, 1])])
    case("index_copy", "float32 empty", [T([3]), 0, T([0], "int64"), T([0])])
    case("index_copy_", "float64", [T([4, 2], "float64"), 0, IV([1, 2]), T([2, 2], "float64")])
    case("index_copy", "error dtypes", [T([3]), 0, IV([0]), T([1], "float64")], error=True)
    case("index_copy", "error count", [T([3, 2]), 0, IV([0, 1]), T([1, 2])], error=True)
    case("index_copy", "error 2-d index", [T([3]), 0, T([1, 1], "int64", values=[0]), T([1])], error=True)


def group1_cases():
    for n in (1, 2, 3):
        op = f"atleast_{n}d"
        case(op, "float32 0-d", [T([])])
        case(op, "float64 1-d", [T([3], "float64")])
        case(op, "float64 2-d", [T([2, 3], "float64")])
        case(op, "float32 3-d", [T([2, 1, 2])])
        case(op, "float32 transposed", [T([3, 2], view=TR)])
        case(op, "int64 1-d", [T([3], "int64", lo=-5, hi=5)])
        case(op, "float32 empty", [T([0])])
        case(op, "several", [T([]), T([2], "float64"), T([2, 2])])
    case("broadcast_tensors", "float32", [T([3]), T([2, 3])])
    case("broadcast_tensors", "float64 three", [T([2, 1, 3], "float64"), T([4, 1], "float64"), T([], "float64")])
    case("broadcast_tensors", "mixed dtypes", [T([3], "int64", lo=0, hi=5), T([2, 1])])
    case("broadcast_tensors", "float32 non-contiguous", [T([3, 2], view=TR), T([1, 3], view=EX)])
    case("broadcast_tensors", "float32 empty", [T([0, 1]), T([3])])
    case("broadcast_tensors", "error mismatch", [T([3]), T([4])], error=True)
    case("block_diag", "float32", [T([2, 2]), T([3]), T([])])
    case("block_diag", "float64", [T([2, 3], "float64"), T([1, 2], "float64")])
    case("block_diag", "promotion", [T([2], "int64", lo=-3, hi=3), T([1, 2])])
    case("block_diag", "float64 non-contiguous", [T([3, 2], "float64", view=TR), T([2, 6], "float64", view=SL)])
    case("block_diag", "empty block", [T([0, 2]), T([2, 1])])
    case("block_diag", "error 3-d", [T([2, 2]), T([1, 2, 2])], error=True)
    case("cartesian_prod", "float32 two", [T([3]), T([2])])
    case("cartesian_prod", "float64 three", [T([2], "float64"), T([3], "float64"), T([2], "float64")])
    case("cartesian_prod", "int64 one", [T([3], "int64", lo=0, hi=9)])
    case("cartesian_prod", "float32 sliced", [T([6], view=("slice", 0, 0, 2)), T([2])])
    case("cartesian_prod", "error 2-d", [T([2, 2]), T([2])], error=True)
    case("combinations", "float32", [T([4])])
    case("combinations", "float64 r=3", [T([5], "float64")], {"r": 3})
    case("combinations", "float64 with_replacement", [T([3], "float64")], {"with_replacement": True})
    case("combinations", "float32 r=3 with_replacement", [T([3])], {"r": 3, "with_replacement": True})
    case("combinations", "int64 r=1", [T([3], "int64", lo=0, hi=9)], {"r": 1})
    case("combinations", "float32 r=0", [T([3])], {"r": 0})
    case("combinations", "float32 r > n", [T([2])], {"r": 3})
    case("combinations", "error 2-d", [T([2, 2])], error=True)
    case("combinations", "error r<0", [T([3])], {"r": -1}, error=True)
    case("column_stack", "float32", [L(T([3]), T([3, 2]), T([3, 1]))])
    case("column_stack", "float64 1-d", [L(T([3], "float64"), T([3], "float64"))])
    case("column_stack", "0-d", [L(T([]), T([]))])
    case("column_stack", "promotion", [L(T([2], "int64", lo=0, hi=5), T([2, 2], "float64"))])
    case("column_stack", "float32 transposed", [L(T([3, 2], view=TR), T([2]))])
    case("dstack", "float32 2-d", [L(T([2, 3]), T([2, 3]))])
    case("dstack", "float64 1-d", [L(T([3], "float64"), T([3], "float64"))])
    case("dstack", "0-d", [L(T([]), T([]))])
    case("dstack", "3-d", [L(T([2, 2, 1]), T([2, 2, 3]))])
    for op, shape, n in (("hsplit", [2, 6], 3), ("vsplit", [4, 3], 2), ("dsplit", [2, 2, 4], 2)):
        case(op, "float32 sections", [T(shape), n])
        case(op, "float64 indices", [T(shape, "float64"), [1, 2]])
        case(op, "float32 indices out of range", [T(shape), [1, 10]])
        case(op, "error not divisible", [T(shape), 5], error=True)
    case("hsplit", "float32 1-d", [T([6]), 2])
    case("hsplit", "float32 transposed", [T([3, 2], view=TR), [1]])
    case("hsplit", "error 0-d", [T([]), 1], error=True)
    case("vsplit", "error 1-d", [T([4]), 2], error=True)
    case("dsplit", "error 2-d", [T([2, 4]), 2], error=True)
    for v, args in (("float32 1-d", [T([3])]), ("float64 2-d", [T([2, 2], "float64")]),
                    ("float64 offset 1", [T([3], "float64"), 1]), ("float32 offset -2", [T([2, 2]), -2]),
                    ("float32 0-d", [T([])]), ("float32 transposed", [T([3, 2], view=TR)]),
                    ("int64", [T([3], "int64", lo=-5, hi=5)]), ("float32 empty", [T([0])])):
        case("diagflat", v, args)
    case("ravel", "float32", [T([2, 3])])
    case("ravel", "float64 transposed", [T([3, 2], "float64", view=TR)])
    case("ravel", "float32 0-d", [T([])])
    case("ravel", "int64", [T([2, 2], "int64", lo=0, hi=9)])
    case("ravel", "float32 expanded", [T([1, 3], view=EX)])
    for k in (1, 2, 3, 0, -1, 5):
        case("rot90", f"float64 k={k}", [T([2, 3], "float64"), k])
    case("rot90", "float32 default", [T([2, 3])])
    case("rot90", "float32 3-d dims", [T([2, 3, 4]), 1, [2, 0]])
    case("rot90", "float64 negative dims", [T([2, 3, 4], "float64"), 3, [-1, -2]])
    case("rot90", "int64", [T([2, 3], "int64", lo=0, hi=9), 1])
    case("rot90", "float32 transposed", [T([3, 2], view=TR), 1])
    case("rot90", "float32 empty", [T([0, 3]), 1])
    case("rot90", "error 1-d", [T([3]), 1], error=True)
    case("rot90", "error same dims", [T([2, 3]), 1, [0, 0]], error=True)
    case("rot90", "error three dims", [T([2, 3, 4]), 1, [0, 1, 2]], error=True)
    case("rot90", "error dim out of range", [T([2, 3]), 1, [0, 5]], error=True)
    case("narrow_copy", "float32", [T([3, 4]), 1, 1, 2])
    case("narrow_copy", "float64 negative start", [T([4, 3], "float64"), 0, -3, 2])
    case("narrow_copy", "int64", [T([5], "int64", lo=0, hi=9), 0, 2, 3])
    case("narrow_copy", "float32 transposed", [T([3, 2], view=TR), 1, 0, 2])
    case("narrow_copy", "error length", [T([3]), 0, 2, 3], error=True)
    case("unravel_index", "int64", [IV([0, 5, 23, 13]), [2, 3, 4]])
    case("unravel_index", "0-d", [T([], "int64", values=7), 5])
    case("unravel_index", "int32 2-d", [T([1, 2], "int32", values=[[3, 4]]), [2, 2]])
    case("unravel_index", "negative", [IV([-1, -7]), [2, 3]])
    case("unravel_index", "error float", [T([1], values=[1.5]), [2]], error=True)
    case("unravel_index", "error negative shape", [IV([1]), [2, -1]], error=True)
    I = lambda shape, hi, **k: T(shape, "int64", lo=0, hi=hi, **k)
    case("take_along_dim", "float32 dim", [T([2, 3]), I([2, 2], 2), 1])
    case("take_along_dim", "float64 dim 0", [T([3, 2], "float64"), I([2, 2], 2), 0])
    case("take_along_dim", "float64 no dim", [T([2, 3], "float64"), I([4], 5)])
    case("take_along_dim", "float64 broadcast", [T([2, 1, 3], "float64"), I([1, 4, 2], 2), 2])
    case("take_along_dim", "float32 negative dim", [T([2, 3]), I([2, 1], 2), -1])
    case("take_along_dim", "int64 argsort-like", [T([2, 3], "int64", lo=-9, hi=9), I([2, 3], 2), 1])
    case("take_along_dim", "float32 transposed", [T([3, 2], view=TR), I([2, 3], 2), 1])
    case("take_along_dim", "error int32 index", [T([2, 3]), T([2, 2], "int32", lo=0, hi=1), 1], error=True)
    case("take_along_dim", "error ndim", [T([2, 3]), I([2], 1), 1], error=True)
    case("meshgrid", "float32 ij", [T([3]), T([2])], {"indexing": "ij"})
    case("meshgrid", "float64 xy", [T([3], "float64"), T([2], "float64")], {"indexing": "xy"})
    case("meshgrid", "float64 xy three", [T([3], "float64"), T([2], "float64"), T([4], "float64")], {"indexing": "xy"})
    case("meshgrid", "float32 ij 0-d", [T([]), T([2])], {"indexing": "ij"})
    case("meshgrid", "float32 xy one", [T([3])], {"indexing": "xy"})
    case("meshgrid", "float32 default", [T([2]), T([3])])
    case("meshgrid", "int64 ij", [T([2], "int64", lo=0, hi=9), T([2], "int64", lo=0, hi=9)], {"indexing": "ij"})
    case("meshgrid", "float32 sliced", [T([6], view=("slice", 0, 1, 2)), T([2])], {"indexing": "ij"})
    # (the message ends with the tensor as C++ prints it; its first line is compared)
    case("meshgrid", "error 2-d", [T([2, 2]), T([2])], {"indexing": "ij"}, error=True)
    case("meshgrid", "error 3-d", [T([2, 1, 2]), T([2])], {"indexing": "ij"}, error=True)
    case("meshgrid", "error 2-d float64 scaled", [T([1, 3], "float64", values=[[1e-3, 2.5e-3, -4e-4]]), T([2], "float64")], {"indexing": "ij"}, error=True)
    case("meshgrid", "error dtypes", [T([2]), T([2], "float64")], {"indexing": "ij"}, error=True)
    case("meshgrid", "error indexing", [T([2]), T([2])], {"indexing": "ji"}, error=True)
    for op in ("tril_indices", "triu_indices"):
        case(op, "3x3", [3, 3])
        case(op, "3x4 offset 1", [3, 4, 1])
        case(op, "4x3 offset -1", [4, 3, -1])
        case(op, "2x5 offset 9", [2, 5, 9])
        case(op, "0x3", [0, 3])
        case(op, "int32", [3, 2], {"dtype": D("int32")})
        case(op, "error negative row", [-1, 3], error=True)
    case("vander", "float32", [T([3])])
    case("vander", "float64 N=4", [T([3], "float64"), 4])
    case("vander", "float64 N=1", [T([3], "float64"), 1])
    case("vander", "float64 increasing", [T([3], "float64")], {"increasing": True})
    case("vander", "float64 N=2 increasing", [T([4], "float64")], {"N": 2, "increasing": True})
    case("vander", "float32 N=1", [T([3]), 1])
    case("vander", "float32 N=0", [T([3]), 0])
    case("vander", "int64", [T([3], "int64", lo=-3, hi=3)])
    case("vander", "int32", [T([3], "int32", lo=-3, hi=3)])
    case("vander", "float32 empty", [T([0])])
    case("vander", "float32 sliced", [T([6], view=("slice", 0, 0, 2))])
    case("vander", "error 2-d", [T([2, 2])], error=True)
    case("vander", "error negative N", [T([2]), -1], error=True)
    case("range", "0 to 3", [0, 3])
    case("range", "step 0.5", [S(1.0), S(2.5), S(0.5)])
    case("range", "negative step", [5, 1, -2])
    case("range", "float64", [0, 4], {"dtype": D("float64")})
    case("range", "int64", [0, 4], {"dtype": D("int64")})
    case("range", "error step sign", [0, 3, -1], error=True)
    case("trace", "float32", [T([3, 3])])
    case("trace", "float64 rectangular", [T([2, 4], "float64")])
    case("trace", "float64 tall", [T([4, 2], "float64")])
    case("trace", "float32 transposed", [T([3, 2], view=TR)])
    case("trace", "int64", [T([3, 3], "int64", lo=-9, hi=9)])
    case("trace", "int32", [T([2, 2], "int32", lo=-9, hi=9)])
    case("trace", "float32 empty", [T([0, 3])])
    case("trace", "error 1-d", [T([3])], error=True)
    case("vdot", "float32", [T([4]), T([4])])
    case("vdot", "float64", [T([3], "float64"), T([3], "float64")])
    case("vdot", "int64", [T([3], "int64", lo=-5, hi=5), T([3], "int64", lo=-5, hi=5)])
    case("vdot", "float32 sliced", [T([6], view=("slice", 0, 0, 2)), T([3])])
    case("vdot", "float32 empty", [T([0]), T([0])])
    case("vdot", "error dtypes", [T([3]), T([3], "float64")], error=True)
    case("vdot", "error 2-d", [T([2, 2]), T([4])], error=True)
    case("vdot", "error sizes", [T([3]), T([4])], error=True)
    case("addr", "float32", [T([2, 3]), T([2]), T([3])])
    case("addr", "float64 alpha beta", [T([2, 3], "float64"), T([2], "float64"), T([3], "float64")], {"beta": 0.5, "alpha": 2.0})
    case("addr", "float64 broadcast input", [T([3], "float64"), T([2], "float64"), T([3], "float64")])
    case("addr", "float64 0-d input", [T([], "float64"), T([2], "float64"), T([3], "float64")])
    case("addr", "float32 beta 0 nan", [T([2, 2], values=[float("nan"), 1.0, 2.0, float("inf")]), T([2]), T([2])], {"beta": 0})
    case("addr", "int64", [T([2, 2], "int64", lo=-3, hi=3), T([2], "int64", lo=-3, hi=3), T([2], "int64", lo=-3, hi=3)], {"alpha": 2})
    case("addr", "float32 non-contiguous", [T([3, 2], view=TR), T([4], view=("slice", 0, 0, 2)), T([3])])
    case("addr", "error 2-d vec", [T([2, 3]), T([2, 1]), T([3])], error=True)
    case("chain_matmul", "float32 two", [T([2, 3]), T([3, 4])])
    case("chain_matmul", "float64 three", [T([2, 3], "float64"), T([3, 4], "float64"), T([4, 2], "float64")])
    case("chain_matmul", "float64 four", [T([2, 3], "float64"), T([3, 1], "float64"), T([1, 4], "float64"), T([4, 2], "float64")])
    case("chain_matmul", "float32 one", [T([2, 3])])
    case("chain_matmul", "error 1-d", [T([2, 3]), T([3])], error=True)
    case("chain_matmul", "error shapes", [T([2, 3]), T([2, 3])], error=True)
    # scatters of views
    case("slice_scatter", "float64", [T([4, 3], "float64"), T([2, 3], "float64"), 0, 1, 3])
    case("slice_scatter", "float64 dim 1 step 2", [T([3, 3], "float64"), T([3, 2], "float64"), 1, 0, 3, 2])
    case("slice_scatter", "float32 kwargs", [T([4, 4]), T([4, 2])], {"dim": 1, "start": 0, "end": 4, "step": 2})
    case("slice_scatter", "float32 negative start", [T([4, 3]), T([1, 3])], {"start": -1})
    case("slice_scatter", "float32 transposed", [T([3, 2], view=TR), T([1, 3])], {"start": 1})
    case("slice_scatter", "error size", [T([4, 3]), T([3, 3])], {"start": 1, "end": 3}, error=True)
    case("select_scatter", "float32", [T([3, 4]), T([4]), 0, 1])
    case("select_scatter", "float64 dim 1", [T([3, 4], "float64"), T([3], "float64"), 1, -1])
    case("select_scatter", "float64 0-d src", [T([3], "float64"), T([], "float64"), 0, 2])
    case("select_scatter", "float32 transposed", [T([3, 2], view=TR), T([3]), 0, 1])
    case("select_scatter", "error size", [T([3, 4]), T([3]), 0, 1], error=True)
    case("diagonal_scatter", "float32", [T([3, 3]), T([3])])
    case("diagonal_scatter", "float64 offset", [T([3, 4], "float64"), T([3], "float64"), 1])
    case("diagonal_scatter", "float64 negative offset", [T([3, 4], "float64"), T([2], "float64"), -1])
    case("diagonal_scatter", "float64 3-d dims", [T([2, 3, 3], "float64"), T([2, 3], "float64"), 0, 1, 2])
    case("diagonal_scatter", "float32 transposed", [T([3, 2], view=TR), T([2])])
    case("diagonal_scatter", "error size", [T([3, 3]), T([2])], error=True)


def main():
    group1_cases()
    group2_cases()
    group3_cases()
    G.write_op_db(OUT, "tools/gen_golden_shape.py")


if __name__ == "__main__":
    main()
