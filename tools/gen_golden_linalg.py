#!/usr/bin/python3
"""Golden data for the matrix decompositions and the torch.linalg functions built on them
(test/golden/linalg.json, read by test/linalg.test.ts through test/opdb_runner.ts).

    /work/.venv-torch/bin/python tools/gen_golden_linalg.py

The op-database machinery of tools/gen_golden.py runs every case (values, grad_fn names, gradients
for random grad_outputs, PyTorch's gradcheck/gradgradcheck verdicts, error messages).

How each decomposition is compared (typetorch computes in float64 and rounds for float32, so
float32 values agree with LAPACK's float32 to about cond(A)·2⁻²⁴; the matrices below are well
conditioned: diagonally dominant or SPD, built from seeded random values):
  det, slogdet, logdet, inv, solve, cholesky, pinv, matrix_exp, matrix_power, multi_dot, vecdot,
      matrix_rank: unique, compared directly.
  qr: compared directly. Householder QR with LAPACK's dlarfg convention (β = -sign(α)‖x‖) is
      deterministic, and typetorch follows that convention, so Q and R match geqrf/orgqr's.
  eigh: eigenvalues (ascending, as LAPACK) directly; eigenvectors only up to sign, so the op
      returns (L, V²) (elementwise square: sign-invariant), and the input is A + Aᵀ so that
      gradcheck sees a function of every entry (eigh reads only one triangle).
  svd / torch.svd: (U², S, Vh²) (resp. V²) for the reduced SVD; with full_matrices=True the
      extra columns are not unique, so the op returns the reconstruction U[:, :k]·diag(S)·Vh[:k]
      plus S. Gradients are of these sign-invariant functions, so they are compared exactly.
  eigvalsh on a non-symmetric input: only the lower (or upper) triangle is read, so PyTorch's
      own gradcheck fails and only the gradient for the recorded grad_outputs is compared.
The data come from PyTorch 2.x (2.13): lstsq's derivative and det's gradient at a singular A (the
SVD path of linalg_det_backward), both of which 1.13 lacked, are compared like any other gradient.
Deviations of typetorch (documented in src/ops/decompositions.ts):
  lstsq computes every driver by the SVD (minimum-norm solution; equal to gelsy's/gels's for
      full-rank A), filling in the outputs each driver fills in PyTorch.
  solve_ex / inv_ex with a singular A: the result is NaN where LAPACK leaves unspecified
      non-finite values (only info is compared).
"""

import os
import sys

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import gen_golden as G  # noqa: E402
from gen_golden import T, S  # noqa: E402

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "linalg.json")
LA = torch.linalg


def _eigh_sq(A, **kw):
    L, V = LA.eigh(A + A.mT, **kw)
    return L, V * V


def _svd_sq(A, **kw):
    U, Sv, Vh = LA.svd(A, full_matrices=False, **kw)
    return U * U, Sv, Vh * Vh


def _svd_full_rec(A):
    U, Sv, Vh = LA.svd(A, full_matrices=True)
    k = Sv.shape[-1]
    return (U[..., :, :k] * Sv.unsqueeze(-2)) @ Vh[..., :k, :], Sv


def _torch_svd_sq(A, *a, **kw):
    U, Sv, V = torch.svd(A, *a, **kw)
    return U * U, Sv, V * V


G.OPS.update({
    "linalg.det": LA.det,
    "linalg.slogdet": LA.slogdet,
    "linalg.inv": LA.inv,
    "linalg.inv_ex": LA.inv_ex,
    "linalg.solve": lambda A, B, **kw: LA.solve(A, B, **kw),
    "linalg.cholesky": lambda A, **kw: LA.cholesky(A, **kw),
    "linalg.qr": lambda A, *a, **kw: LA.qr(A, *a, **kw),
    "linalg.eigh_sq": _eigh_sq,
    "linalg.eigvalsh": lambda A, *a, **kw: LA.eigvalsh(A, *a, **kw),
    "linalg.svd_sq": _svd_sq,
    "linalg.svd_full_rec": _svd_full_rec,
    "linalg.svdvals": LA.svdvals,
    "linalg.pinv": lambda A, **kw: LA.pinv(A, **kw),
    "linalg.matrix_rank": lambda A, **kw: LA.matrix_rank(A, **kw),
    "linalg.matrix_power": lambda A, n: LA.matrix_power(A, n),
    "linalg.matrix_exp": LA.matrix_exp,
    "linalg.multi_dot": lambda ts: LA.multi_dot(ts),
    "linalg.vecdot": lambda x, y, **kw: LA.vecdot(x, y, **kw),
    "linalg.solve_triangular": lambda A, B, **kw: LA.solve_triangular(A, B, **kw),
    "triangular_solve": lambda b, A, *a, **kw: torch.triangular_solve(b, A, *a, **kw),
    "cholesky_solve": lambda B, L, *a: torch.cholesky_solve(B, L, *a),
    "cholesky_inverse": lambda L, *a: torch.cholesky_inverse(L, *a),
    "linalg.lu_factor": lambda A, **kw: LA.lu_factor(A, **kw),
    "linalg.lu_factor_ex": lambda A, **kw: LA.lu_factor_ex(A, **kw),
    "linalg.lu": lambda A, **kw: LA.lu(A, **kw),
    "lu": lambda A, *a, **kw: torch.lu(A, *a, **kw),
    "linalg.lstsq": lambda A, B, *a, **kw: LA.lstsq(A, B, *a, **kw),
    "linalg.tensorinv": lambda A, **kw: LA.tensorinv(A, **kw),
    "linalg.tensorsolve": lambda A, B, **kw: LA.tensorsolve(A, B, **kw),
    # factor inside the op, so gradients flow through lu_factor and lu_unpack / lu_solve together
    "lu_unpack_of": lambda A: torch.lu_unpack(*LA.lu_factor(A)),
    "linalg.lu_solve_of": lambda A, B, **kw: LA.lu_solve(*LA.lu_factor(A), B, **kw),
    "lu_solve_of": lambda A, B: torch.lu_solve(B, *LA.lu_factor(A)),
    # functions of every entry (the ops above read one triangle), so that gradcheck and
    # gradgradcheck apply: PyTorch's own OpInfos wrap these ops the same way
    "cholesky_of_spd": lambda A, **kw: LA.cholesky(A @ A.mT + torch.eye(A.shape[-1], dtype=A.dtype), **kw),
    "cholesky_solve_of_spd": lambda B, A, *a: torch.cholesky_solve(
        B, LA.cholesky(A @ A.mT + torch.eye(A.shape[-1], dtype=A.dtype), upper=bool(a and a[0])), *a),
    "cholesky_inverse_of_spd": lambda A, *a: torch.cholesky_inverse(
        LA.cholesky(A @ A.mT + torch.eye(A.shape[-1], dtype=A.dtype), upper=bool(a and a[0])), *a),
    "eigvalsh_sym": lambda A, *a: LA.eigvalsh(A + A.mT, *a),
    "pinv_hermitian_sym": lambda A: LA.pinv(A + A.mT, hermitian=True),
    "linalg.solve_ex": lambda A, B, **kw: LA.solve_ex(A, B, **kw),
    # for a singular A only info is specified (LAPACK leaves non-finite values in the result)
    "linalg.solve_ex_info": lambda A, B, **kw: LA.solve_ex(A, B, **kw).info,
    "svd_sq_nouv": lambda A, *a: _torch_svd_sq(A, *a, compute_uv=False),
    "det": torch.det,
    "logdet": torch.logdet,
    "slogdet": torch.slogdet,
    "inverse": torch.inverse,
    "cholesky": lambda A, *a, **kw: torch.cholesky(A, *a, **kw),
    "qr": lambda A, *a: torch.qr(A, *a),
    "svd_sq": _torch_svd_sq,
    "pinverse": lambda A, *a: torch.pinverse(A, *a),
    "matrix_power": lambda A, n: torch.matrix_power(A, n),
    "matrix_exp": torch.matrix_exp,
    "linalg.cond": lambda A, *a, **kw: LA.cond(A, *a, **kw),
    "linalg.diagonal": lambda A, **kw: LA.diagonal(A, **kw),
    "linalg.vander": lambda x, **kw: LA.vander(x, **kw),
    "linalg.matmul": LA.matmul,
    # double backward through a slice of a decomposition's values
    "eigvalsh_slice_sq": lambda A: LA.eigvalsh(A + A.mT)[..., 1:2].pow(2),
    "svdvals_slice_sq": lambda A: LA.svdvals(A)[..., 1:2].pow(2),
})

_seed = [0]


def _gen():
    _seed[0] += 1
    return torch.Generator().manual_seed(1000 + _seed[0])


def wc(shape, dtype="float64", view=None, rg=None):
    """A well-conditioned (diagonally dominant) batch of square matrices."""
    n = shape[-1]
    v = torch.rand(shape, generator=_gen(), dtype=torch.float64) * 2 - 1
    v = v + (n * 0.75 + 1) * torch.eye(n, dtype=torch.float64) * torch.sign(torch.rand(shape[:-1] + [1], generator=_gen()) - 0.3)
    return T(shape, dtype, values=v.reshape(-1).tolist(), view=view, rg=rg)


def spd(shape, dtype="float64", view=None):
    n = shape[-1]
    m = torch.rand(shape, generator=_gen(), dtype=torch.float64) * 2 - 1
    v = m @ m.mT + n * 0.5 * torch.eye(n, dtype=torch.float64)
    return T(shape, dtype, values=v.reshape(-1).tolist(), view=view)


def rnd(shape, dtype="float64", view=None, rg=None):
    """A general (rectangular) matrix with well-separated singular values."""
    return T(shape, dtype, values=(torch.rand(shape, generator=_gen(), dtype=torch.float64) * 2 - 1).reshape(-1).tolist(),
             view=view, rg=rg)


def cases():
    c = G.case
    for dt in ("float32", "float64"):
        c("linalg.det", dt, [wc([3, 3], dt)])
        c("linalg.slogdet", dt, [wc([3, 3], dt)])
        c("linalg.inv", dt, [wc([3, 3], dt)])
        c("linalg.solve", dt, [wc([3, 3], dt), rnd([3, 2], dt)])
        c("linalg.cholesky", dt, [spd([3, 3], dt)])
        c("linalg.qr", f"{dt} tall", [rnd([4, 3], dt)])
        c("linalg.eigh_sq", dt, [rnd([3, 3], dt)])
        c("linalg.svd_sq", f"{dt} tall", [rnd([4, 3], dt)])
        c("linalg.pinv", f"{dt} tall", [rnd([4, 3], dt)])
        c("linalg.matrix_exp", dt, [rnd([3, 3], dt)])
        c("linalg.matrix_power", f"{dt} 3", [rnd([3, 3], dt), 3])
        c("linalg.multi_dot", f"{dt} 3", [G.L(rnd([2, 3], dt), rnd([3, 4], dt), rnd([4, 2], dt))])
        c("linalg.vecdot", dt, [rnd([2, 3], dt), rnd([3], dt)])
        c("linalg.matrix_rank", dt, [rnd([3, 4], dt)])

    # det / slogdet / logdet
    c("linalg.det", "batched", [wc([2, 3, 3])])
    c("linalg.det", "1x1", [wc([1, 1])])
    c("linalg.det", "4x4 transposed", [wc([4, 4], view=("t",))])
    c("linalg.det", "empty 0x0", [T([0, 0], "float64")])
    c("linalg.det", "empty batch", [T([0, 2, 2], "float64")])
    c("linalg.det", "batch of 0x0", [T([2, 0, 0], "float64")])
    # Singular A: linalg_det_backward (without create_graph) solves with the LU, its zero pivots
    # replaced by eps, for g·det·A⁻ᵀ: 0 where det is exactly 0. These matrices are singular in any
    # arithmetic (their LU multipliers are powers of two); whether LAPACK finds a numerically
    # singular A exactly singular depends on its rounding (MKL's fused multiply-adds), which decides
    # between 0 and the cofactor matrix there.
    c("linalg.det", "singular", [T([2, 2], "float64", values=[1, 2, 2, 4])])
    c("linalg.det", "singular 3x3", [T([3, 3], "float64", values=[4, 2, 2, 2, 1, 1, 1, 1, 2])])
    c("linalg.det", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.det", "error 1-d", [T([3], "float64")], error=True)
    c("linalg.det", "error non-square", [T([2, 3], "float64")], error=True)
    c("linalg.slogdet", "batched negative det", [wc([3, 3, 3])])
    c("linalg.slogdet", "empty 0x0", [T([0, 0], "float64")])
    c("linalg.slogdet", "error non-square", [T([2, 3], "float64")], error=True)
    c("det", "float64", [wc([3, 3])])
    c("det", "float32 batched", [wc([2, 2, 2], "float32")])
    c("slogdet", "float64", [wc([3, 3])])
    c("logdet", "positive det", [spd([3, 3])])
    c("logdet", "negative det", [T([2, 2], "float64", values=[0, 1, 1, 0], rg=False)])

    # inv / inv_ex
    c("linalg.inv", "batched", [wc([2, 3, 3])])
    c("linalg.inv", "transposed", [wc([3, 3], view=("t",))])
    c("linalg.inv", "batch dims 2x2", [wc([2, 2, 2, 2])])
    c("linalg.inv", "empty", [T([0, 0], "float64")])
    c("linalg.inv", "empty batch", [T([0, 3, 3], "float64")])
    c("linalg.inv", "error singular", [T([2, 2], "float64", values=[1, 2, 2, 4])], error=True)
    c("linalg.inv", "error singular 3x3", [T([3, 3], "float64", values=[1, 2, 3, 2, 4, 6, 1, 0, 1])], error=True)
    c("linalg.inv", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.inv", "error non-square", [T([2, 3], "float64")], error=True)
    c("linalg.inv", "error 1-d", [T([3], "float64")], error=True)
    c("linalg.inv_ex", "float64", [wc([3, 3])])
    c("inverse", "float64", [wc([3, 3])])
    c("inverse", "float32 batched", [wc([2, 3, 3], "float32")])

    # solve
    c("linalg.solve", "vector b", [wc([3, 3]), rnd([3])])
    c("linalg.solve", "batched vector b", [wc([2, 3, 3]), rnd([2, 3])])
    c("linalg.solve", "broadcast B", [wc([2, 3, 3]), rnd([3, 2])])
    c("linalg.solve", "broadcast A", [wc([3, 3]), rnd([2, 3, 1])])
    c("linalg.solve", "left=False", [wc([3, 3]), rnd([2, 3])], {"left": False})
    c("linalg.solve", "transposed A", [wc([3, 3], view=("t",)), rnd([3, 2])])
    c("linalg.solve", "error singular", [T([2, 2], "float64", values=[1, 2, 2, 4]), rnd([2, 1])], error=True)
    c("linalg.solve", "error shapes", [wc([3, 3]), rnd([2, 2])], error=True)
    c("linalg.solve", "left=False vector", [wc([3, 3]), rnd([3])], {"left": False}, error=True)
    c("linalg.solve", "left=False vector 1x1", [wc([1, 1]), rnd([1])], {"left": False}, error=True)
    c("linalg.solve", "left=False error shapes", [wc([3, 3]), rnd([3, 2])], {"left": False}, error=True)
    c("linalg.solve", "error dtype", [wc([3, 3]), rnd([3, 2], "float32")], error=True)

    # cholesky
    c("linalg.cholesky", "batched", [spd([2, 3, 3])])
    c("linalg.cholesky", "upper", [spd([3, 3])], {"upper": True})
    c("linalg.cholesky", "float32 upper batched", [spd([2, 2, 2], "float32")], {"upper": True})
    c("linalg.cholesky", "empty", [T([0, 0], "float64")])
    c("linalg.cholesky", "error not pd", [T([2, 2], "float64", values=[1, 2, 2, 1])], error=True)
    c("linalg.cholesky", "error not pd order 3", [T([3, 3], "float64", values=[4, 0, 0, 0, 1, 0, 0, 0, -1])], error=True)
    c("linalg.cholesky", "error non-square", [T([2, 3], "float64")], error=True)
    c("linalg.cholesky", "error int", [T([2, 2], "int64")], error=True)
    c("cholesky", "float64", [spd([3, 3])])
    c("cholesky", "upper", [spd([3, 3])], {"upper": True})
    c("cholesky", "upper positional", [spd([3, 3]), True])
    c("cholesky", "error not pd", [T([2, 2], "float64", values=[1, 2, 2, 1])], error=True)

    # qr
    c("linalg.qr", "square", [rnd([3, 3])])
    c("linalg.qr", "wide", [rnd([3, 5])])
    c("linalg.qr", "batched", [rnd([2, 4, 3])])
    c("linalg.qr", "complete square", [rnd([3, 3])], {"mode": "complete"})
    c("linalg.qr", "complete wide", [rnd([2, 4])], {"mode": "complete"})
    c("linalg.qr", "complete tall (no grad)", [rnd([4, 2])], {"mode": "complete"})
    c("linalg.qr", "mode r", [rnd([4, 3])], {"mode": "r"})
    c("linalg.qr", "transposed", [rnd([3, 4], view=("t",))])
    c("linalg.qr", "error mode", [rnd([3, 3])], {"mode": "bad"}, error=True)
    c("linalg.qr", "error 1-d", [rnd([3])], error=True)
    c("qr", "float64", [rnd([4, 3])])
    c("qr", "some=False", [rnd([3, 3]), False])

    # eigh / eigvalsh
    c("linalg.eigh_sq", "batched", [rnd([2, 3, 3])])
    c("linalg.eigh_sq", "UPLO=U", [rnd([4, 4])], {"UPLO": "U"})
    c("linalg.eigh_sq", "1x1", [rnd([1, 1])])
    c("linalg.eigh_sq", "empty", [T([0, 0], "float64")])
    c("linalg.eigvalsh", "lower", [rnd([3, 3])])
    c("linalg.eigvalsh", "upper", [rnd([3, 3]), "U"])
    c("linalg.eigvalsh", "float32 batched", [rnd([2, 3, 3], "float32")])
    c("linalg.eigvalsh", "error non-square", [rnd([2, 3])], error=True)
    c("linalg.eigvalsh", "error int", [T([2, 2], "int64")], error=True)

    # svd
    c("linalg.svd_sq", "wide", [rnd([2, 4])])
    c("linalg.svd_sq", "square", [rnd([3, 3])])
    c("linalg.svd_sq", "batched", [rnd([2, 3, 2])])
    c("linalg.svd_sq", "transposed", [rnd([2, 3], view=("t",))])
    c("linalg.svd_full_rec", "tall", [rnd([4, 2])])
    c("linalg.svd_full_rec", "wide", [rnd([2, 3])])
    c("linalg.svd_full_rec", "float32 square", [rnd([3, 3], "float32")])
    c("linalg.svdvals", "float64", [rnd([3, 2])])
    c("svd_sq", "float64", [rnd([4, 3])])
    c("svd_sq", "wide", [rnd([2, 3])])
    c("svd_sq", "float32 batched", [rnd([2, 3, 3], "float32")])

    # pinv / pinverse / matrix_rank
    c("linalg.pinv", "wide", [rnd([2, 4])])
    c("linalg.pinv", "batched", [rnd([2, 3, 3])])
    c("linalg.pinv", "hermitian", [spd([3, 3])], {"hermitian": True})
    c("linalg.pinv", "rank deficient (no grad)", [T([3, 3], "float64", values=[1, 2, 3, 2, 4, 6, 1, 0, 1], rg=False)])
    c("linalg.pinv", "rtol", [rnd([3, 2])], {"rtol": 0.1})
    c("linalg.pinv", "empty", [T([0, 3], "float64")])
    c("pinverse", "float64", [rnd([3, 2])])
    c("pinverse", "rcond", [rnd([2, 3]), 0.01])
    c("linalg.matrix_rank", "deficient", [T([3, 3], "float64", values=[1, 2, 3, 2, 4, 6, 1, 0, 1])])
    c("linalg.matrix_rank", "batched", [T([2, 2, 2], "float64", values=[1, 2, 2, 4, 1, 0, 0, 1])])
    c("linalg.matrix_rank", "zero", [T([2, 3], "float64", values=[0] * 6)])
    c("linalg.matrix_rank", "atol", [T([2, 2], "float64", values=[1, 0, 0, 0.01])], {"atol": 0.1})
    c("linalg.matrix_rank", "hermitian", [T([2, 2], "float64", values=[1, 2, 2, 4])], {"hermitian": True})
    c("linalg.matrix_rank", "error int", [T([2, 2], "int64")], error=True)

    # matrix_power / matrix_exp
    for k in (0, 1, 2, 5, -1, -3):
        c("linalg.matrix_power", f"n={k}", [wc([3, 3]), k])
    c("linalg.matrix_power", "batched n=4", [rnd([2, 2, 2]), 4])
    c("linalg.matrix_power", "int64 n=3", [T([2, 2], "int64", lo=-3, hi=3), 3])
    c("linalg.matrix_power", "error non-square", [rnd([2, 3]), 2], error=True)
    c("matrix_power", "float64", [rnd([3, 3]), 2])
    c("linalg.matrix_exp", "batched", [rnd([2, 3, 3])])
    c("linalg.matrix_exp", "large norm", [T([2, 2], "float64", values=[3, 1, -2, 4])])
    c("linalg.matrix_exp", "1x1", [rnd([1, 1])])
    c("linalg.matrix_exp", "empty", [T([0, 0], "float64")])
    c("linalg.matrix_exp", "error non-square", [rnd([2, 3])], error=True)
    c("linalg.matrix_exp", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.pinv", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.pinv", "error 1-d", [rnd([3])], error=True)
    c("linalg.qr", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.svd_sq", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.matrix_power", "error 1-d", [rnd([3]), 2], error=True)
    c("matrix_exp", "float64", [rnd([2, 2])])

    # multi_dot / vecdot
    c("linalg.multi_dot", "2", [G.L(rnd([2, 3]), rnd([3, 2]))])
    c("linalg.multi_dot", "4", [G.L(rnd([2, 3]), rnd([3, 4]), rnd([4, 5]), rnd([5, 2]))])
    c("linalg.multi_dot", "1-d first", [G.L(rnd([3]), rnd([3, 4]), rnd([4, 2]))])
    c("linalg.multi_dot", "1-d last", [G.L(rnd([2, 3]), rnd([3, 4]), rnd([4]))])
    c("linalg.multi_dot", "1-d both", [G.L(rnd([3]), rnd([3, 4]), rnd([4]))])
    c("linalg.multi_dot", "error shapes", [G.L(rnd([2, 3]), rnd([4, 2]))], error=True)
    c("linalg.multi_dot", "error one", [G.L(rnd([2, 3]))], error=True)
    c("linalg.vecdot", "dim=0", [rnd([3, 2]), rnd([3, 2])], {"dim": 0})
    c("linalg.vecdot", "broadcast", [rnd([2, 1, 3]), rnd([4, 3])])

    # batched errors name the batch element; non-contiguous inputs
    sing = [1, 0, 0, 1, 1, 2, 2, 4]
    c("linalg.inv", "error batched singular", [T([2, 2, 2], "float64", values=sing)], error=True)
    c("linalg.solve", "error batched singular", [T([2, 2, 2], "float64", values=sing), rnd([2, 2, 1])], error=True)
    c("linalg.cholesky", "error batched not pd", [T([2, 2, 2], "float64", values=[1, 0, 0, 1, 1, 2, 2, 1])], error=True)
    c("linalg.lu_factor", "error batched singular", [T([2, 2, 2], "float64", values=sing)], error=True)
    c("linalg.cholesky", "transposed", [spd([3, 3], view=("t",))])
    c("linalg.eigh_sq", "transposed", [rnd([3, 3], view=("t",))])
    c("linalg.eigvalsh", "sliced", [rnd([3, 6], view=("slice", 1, 0, 2))])
    c("linalg.lu_factor", "transposed", [wc([3, 3], view=("t",))])
    c("linalg.matrix_exp", "transposed", [rnd([3, 3], view=("t",))])
    c("linalg.pinv", "sliced", [rnd([3, 4], view=("slice", 1, 1, 2))])
    c("linalg.slogdet", "expanded batch", [T([1, 2, 2], "float64", values=[2, 1, 0.5, 3], view=("expand", [3, 2, 2]))])

    # triangular solves
    for dt in ("float32", "float64"):
        c("linalg.solve_triangular", f"{dt} upper", [tri([3, 3], True, dt), rnd([3, 2], dt)], {"upper": True})
        c("triangular_solve", dt, [rnd([3, 2], dt), tri([3, 3], True, dt)])
        c("cholesky_solve", dt, [rnd([3, 2], dt), tri([3, 3], False, dt)])
        c("cholesky_inverse", dt, [tri([3, 3], False, dt)])
        c("linalg.lu_factor", dt, [wc([3, 3], dt)])
        c("linalg.lstsq", f"{dt} tall", [rnd([4, 3], dt), rnd([4, 2], dt)])
    c("linalg.solve_triangular", "lower", [tri([3, 3], False), rnd([3, 2])], {"upper": False})
    c("linalg.solve_triangular", "full input, lower read", [wc([3, 3]), rnd([3, 2])], {"upper": False})
    c("linalg.solve_triangular", "right", [tri([3, 3], True), rnd([2, 3])], {"upper": True, "left": False})
    c("linalg.solve_triangular", "unitriangular", [tri([3, 3], False), rnd([3, 2])], {"upper": False, "unitriangular": True})
    c("linalg.solve_triangular", "batched broadcast", [tri([2, 3, 3], True), rnd([3, 1])], {"upper": True})
    c("linalg.solve_triangular", "error shapes", [tri([3, 3], True), rnd([2, 2])], {"upper": True}, error=True)
    c("triangular_solve", "lower transpose", [rnd([3, 2]), tri([3, 3], False)], {"upper": False, "transpose": True})
    c("triangular_solve", "unitriangular", [rnd([3, 2]), tri([3, 3], True), True, False, True])
    c("triangular_solve", "batched", [rnd([2, 3, 2]), tri([2, 3, 3], True)])
    c("cholesky_solve", "upper", [rnd([3, 2]), tri([3, 3], True), True])
    c("cholesky_solve", "batched", [rnd([2, 3, 1]), tri([2, 3, 3], False)])
    c("cholesky_inverse", "upper", [tri([3, 3], True), True])
    c("cholesky_inverse", "batched", [tri([2, 2, 2], False)])
    # LU
    c("linalg.lu_factor", "batched", [wc([2, 3, 3])])
    c("linalg.lu_factor", "tall", [rnd([4, 3])])
    c("linalg.lu_factor", "wide", [rnd([2, 4])])
    c("linalg.lu_factor", "error singular", [T([2, 2], "float64", values=[1, 2, 2, 4])], error=True)
    c("linalg.lu_factor_ex", "singular info", [T([2, 2], "float64", values=[1, 2, 2, 4], rg=False)])
    c("linalg.lu", "square", [wc([3, 3])])
    c("linalg.lu", "tall", [rnd([4, 3])])
    c("linalg.lu", "wide", [rnd([3, 5])])
    c("linalg.lu", "batched", [rnd([2, 3, 3])])
    c("lu", "float64", [wc([3, 3])])
    c("lu", "get_infos", [wc([3, 3])], {"get_infos": True})
    # lu_unpack / lu_solve on factors computed in the case (the LU input is a leaf of factor values)
    for name, shape in (("square", [3, 3]), ("tall", [4, 3]), ("wide", [3, 4]), ("batched", [2, 3, 3])):
        c("lu_unpack_of", name, [wc(shape) if shape[-1] == shape[-2] else rnd(shape)])
    for dt in ("float32", "float64"):
        c("linalg.lu_solve_of", dt, [wc([3, 3], dt), rnd([3, 2], dt)])
    c("linalg.lu_solve_of", "adjoint", [wc([3, 3]), rnd([3, 2])], {"adjoint": True})
    c("linalg.lu_solve_of", "right", [wc([3, 3]), rnd([2, 3])], {"left": False})
    c("linalg.lu_solve_of", "right adjoint", [wc([3, 3]), rnd([2, 3])], {"left": False, "adjoint": True})
    c("linalg.lu_solve_of", "batched", [wc([2, 3, 3]), rnd([2, 3, 1])])
    c("lu_solve_of", "float64", [wc([3, 3]), rnd([3, 2])])

    # gradcheck / gradgradcheck through the one-triangle ops
    c("cholesky_of_spd", "float64", [rnd([3, 3])])
    c("cholesky_of_spd", "upper batched", [rnd([2, 3, 3])], {"upper": True})
    c("cholesky_solve_of_spd", "lower", [rnd([3, 2]), rnd([3, 3])])
    c("cholesky_solve_of_spd", "upper", [rnd([3, 2]), rnd([3, 3]), True])
    c("cholesky_inverse_of_spd", "lower", [rnd([3, 3])])
    c("cholesky_inverse_of_spd", "upper", [rnd([3, 3]), True])
    c("eigvalsh_sym", "lower", [rnd([3, 3])])
    c("eigvalsh_sym", "upper", [rnd([3, 3]), "U"])
    c("pinv_hermitian_sym", "float64", [wc([3, 3])])

    # solve_ex, torch.svd(compute_uv=False), empty matrices
    c("linalg.solve_ex", "float64", [wc([3, 3]), rnd([3])])
    c("linalg.solve_ex_info", "singular", [T([2, 2], "float64", values=[1, 2, 2, 4], rg=False), rnd([2, 1], rg=False)])
    c("svd_sq_nouv", "tall", [rnd([3, 2])])
    c("svd_sq_nouv", "some=False", [rnd([2, 3]), False])
    c("linalg.qr", "empty rows", [T([0, 3], "float64")])
    c("linalg.svd_full_rec", "empty cols", [T([3, 0], "float64")])
    c("linalg.lu_factor", "empty", [T([0, 0], "float64")])
    c("linalg.matrix_rank", "empty", [T([0, 3], "float64")])
    c("linalg.solve", "empty", [T([0, 0], "float64"), T([0, 2], "float64")])

    # lstsq
    c("linalg.lstsq", "wide min-norm", [rnd([2, 4]), rnd([2, 1])])
    c("linalg.lstsq", "vector b", [rnd([4, 3]), rnd([4])])
    c("linalg.lstsq", "gelsd", [rnd([4, 3]), rnd([4, 2])], {"driver": "gelsd"})
    c("linalg.lstsq", "gelss", [rnd([4, 3]), rnd([4, 2])], {"driver": "gelss"})
    c("linalg.lstsq", "gels", [rnd([4, 3]), rnd([4, 2])], {"driver": "gels"})
    c("linalg.lstsq", "batched", [rnd([2, 4, 3]), rnd([2, 4, 2])])
    c("linalg.lstsq", "error driver", [rnd([4, 3], rg=False), rnd([4, 2], rg=False)], {"driver": "bad"}, error=True)
    # tensorinv / tensorsolve
    c("linalg.tensorinv", "ind=2", [T([2, 3, 6], "float64", values=(torch.eye(6, dtype=torch.float64) * 3 + torch.rand(6, 6, generator=_gen(), dtype=torch.float64)).reshape(-1).tolist())], {"ind": 2})
    c("linalg.tensorinv", "ind=1", [wc([4, 2, 2])], {"ind": 1})
    c("linalg.tensorsolve", "float64", [T([6, 2, 3], "float64", values=(torch.eye(6, dtype=torch.float64) * 3 + torch.rand(6, 6, generator=_gen(), dtype=torch.float64)).reshape(-1).tolist()), rnd([6])])
    c("linalg.tensorinv", "error", [rnd([2, 3])], {"ind": 1}, error=True)

    # cond (p = None/±2 through the singular values, the others as norm(A)·norm(A⁻¹)), diagonal,
    # vander, matmul
    # (±1, ±inf and 'fro' are not differentiable in PyTorch: their backward raises, as typetorch's
    # does; None/±2 differentiate through slices of svdvals' values, twice under gradgradcheck)
    for dt in ("float32", "float64"):
        c("linalg.cond", dt, [wc([3, 3], dt)])
    for p in (-2, 1, -1, S(float("inf")), S(float("-inf")), "fro", "nuc"):
        c("linalg.cond", f"p={p.v if isinstance(p, S) else p}", [wc([3, 3]), p])
    c("linalg.cond", "batched", [wc([2, 3, 3])])
    c("linalg.cond", "wide", [rnd([2, 4])])
    c("linalg.cond", "tall p=-2", [rnd([4, 3]), -2])
    c("eigvalsh_slice_sq", "float64", [rnd([3, 3])])
    c("svdvals_slice_sq", "wide", [rnd([2, 4])])
    c("linalg.cond", "singular p=1", [T([2, 2], "float64", values=[1, 2, 2, 4], rg=False), 1])
    c("linalg.cond", "singular fro", [T([2, 2], "float64", values=[1, 2, 2, 4], rg=False), "fro"])
    c("linalg.cond", "empty batch of 0x0", [T([2, 0, 0], "float64")])
    c("linalg.cond", "empty 0x3 p=1", [T([0, 3], "float64"), 1])
    c("linalg.cond", "error p=3", [wc([3, 3]), 3], error=True)
    c("linalg.cond", "error p=0.5", [wc([3, 3]), 0.5], error=True)
    c("linalg.cond", "error p=bad", [wc([3, 3]), "bad"], error=True)
    c("linalg.cond", "error p=bad wide", [rnd([2, 3]), "bad"], error=True)
    c("linalg.cond", "error non-square p=1", [rnd([2, 3]), 1], error=True)
    c("linalg.cond", "error non-square p=inf", [rnd([2, 3]), S(float("inf"))], error=True)
    c("linalg.cond", "error non-square nuc", [rnd([2, 3]), "nuc"], error=True)
    c("linalg.cond", "error 1-d", [rnd([3])], error=True)
    c("linalg.cond", "error int", [T([2, 2], "int64")], error=True)
    c("linalg.diagonal", "float64", [rnd([2, 3, 4])])
    c("linalg.diagonal", "offset dims", [rnd([2, 3, 4])], {"offset": 1, "dim1": 0, "dim2": 2})
    c("linalg.vander", "float64", [rnd([3])])
    c("linalg.vander", "N=5 batched", [rnd([2, 3])], {"N": 5})
    c("linalg.vander", "float32 N=2", [rnd([4], "float32")], {"N": 2})
    c("linalg.vander", "int32", [T([3], "int32", lo=-3, hi=3)])
    c("linalg.vander", "error bool", [T([3], "bool")], error=True)
    c("linalg.vander", "error float16", [T([3], "float16")], error=True)
    c("linalg.vander", "error N=1", [rnd([3])], {"N": 1}, error=True)
    c("linalg.vander", "error 0-d", [rnd([])], error=True)
    c("linalg.matmul", "matrix vector", [rnd([2, 3]), rnd([3])])
    c("linalg.matmul", "batched", [rnd([2, 2, 3]), rnd([3, 4])])


def tri(shape, upper, dtype="float64"):
    """A well-conditioned triangular matrix (the other triangle holds values that must be ignored
    only where the op reads one triangle; here it is zero so cholesky_solve's L·Lᵀ is its input's)."""
    n = shape[-1]
    v = torch.rand(shape, generator=_gen(), dtype=torch.float64) * 2 - 1 + (n * 0.5 + 1) * torch.eye(n, dtype=torch.float64)
    v = v.triu() if upper else v.tril()
    return T(shape, dtype, values=v.reshape(-1).tolist())


if __name__ == "__main__":
    cases()
    G.write_op_db(OUT, "tools/gen_golden_linalg.py")
