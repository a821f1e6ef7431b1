#!/usr/bin/python3
"""Golden data for the memory layout of the linear-algebra results (test/golden/linalg_layout.json,
read by test/linalg_layout.test.ts).

    /work/.venv-torch/bin/python tools/gen_golden_linalg_layout.py

LAPACK works on column-major matrices, and PyTorch returns its results as LAPACK leaves them: a
batch of column-major ("Fortran-contiguous") matrices, so that `.is_contiguous()` is false, a
`.view(-1)` fails and a `.reshape(-1)` copies (UnsafeViewBackward0 rather than ViewBackward0).
Other results are row-major (linalg.lu's P, L, U, pinv, matrix_exp), and gradients take the
layout of the formula's last op. For every op of torch.linalg and its torch.* forms that
typetorch has, unbatched and batched (and with broadcast batches where the op takes two
matrices), each case records:
  outputs: per output, its shape, strides, is_contiguous, grad_fn, whether .view(-1) works and
      the node of .reshape(-1); null for an output that is not a tensor.
  grads: the strides of torch.autograd.grad of the differentiable outputs with respect to each
      input, for contiguous grad_outputs (torch.ones of each output's shape); null where an input
      gets no gradient.
Values are not recorded (test/golden/linalg.json compares them); the inputs are well-conditioned
float64 matrices (diagonally dominant, or SPD for the Cholesky-based ops), seeded per case.
"""

import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import write_cases, node_name, enc_tensor  # noqa: E402

warnings.filterwarnings("ignore")  # torch.cholesky, torch.qr, torch.lu … are deprecated
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "linalg_layout.json")
LA = torch.linalg
F64 = torch.float64


def gen(g, b, m, n):
    """A diagonally dominant m×n batch."""
    return torch.randn(*b, m, n, dtype=F64, generator=g) + 3 * torch.eye(m, n, dtype=F64)


def spd(g, b, n):
    A = torch.randn(*b, n, n, dtype=F64, generator=g)
    return A @ A.mT + n * torch.eye(n, dtype=F64)


def rhs(g, *shape):
    return torch.randn(*shape, dtype=F64, generator=g)


def lu_of(g, b, n):
    """linalg.lu_factor of a diagonally dominant batch: (LU, pivots); LU a row-major copy."""
    LU, piv = LA.lu_factor(gen(g, b, n, n))
    return LU.contiguous(), piv


# op name -> function of the inputs, as test/linalg_layout.test.ts's table names them
OPS = {
    "linalg.inv": lambda A: LA.inv(A),
    "linalg.inv_ex": lambda A: LA.inv_ex(A),
    "inverse": lambda A: torch.inverse(A),
    "matrix_power(-1)": lambda A: LA.matrix_power(A, -1),
    "matrix_power(-2)": lambda A: LA.matrix_power(A, -2),
    "matrix_power(3)": lambda A: LA.matrix_power(A, 3),
    "tensorinv": lambda A: LA.tensorinv(A, ind=2),
    "linalg.solve": lambda A, B: LA.solve(A, B),
    "linalg.solve(left=False)": lambda A, B: LA.solve(A, B, left=False),
    "linalg.solve_ex": lambda A, B: LA.solve_ex(A, B),
    "tensorsolve": lambda A, B: LA.tensorsolve(A, B),
    "linalg.cholesky": lambda A: LA.cholesky(A),
    "linalg.cholesky(upper)": lambda A: LA.cholesky(A, upper=True),
    "linalg.cholesky_ex": lambda A: LA.cholesky_ex(A),
    "cholesky": lambda A: torch.cholesky(A),
    "cholesky(upper)": lambda A: torch.cholesky(A, upper=True),
    "linalg.qr": lambda A: LA.qr(A),
    "linalg.qr(complete)": lambda A: LA.qr(A, mode="complete"),
    "linalg.qr(r)": lambda A: LA.qr(A, mode="r"),
    "qr": lambda A: torch.qr(A),
    "linalg.svd": lambda A: LA.svd(A),
    "linalg.svd(reduced)": lambda A: LA.svd(A, full_matrices=False),
    "svd": lambda A: torch.svd(A),
    "svd(some=False)": lambda A: torch.svd(A, some=False),
    "svd(compute_uv=False)": lambda A: torch.svd(A, compute_uv=False),
    "linalg.svdvals": lambda A: LA.svdvals(A),
    "linalg.eigh": lambda A: LA.eigh(A),
    "linalg.eigvalsh": lambda A: LA.eigvalsh(A),
    "linalg.lu_factor": lambda A: LA.lu_factor(A),
    "linalg.lu_factor_ex": lambda A: LA.lu_factor_ex(A),
    "lu": lambda A: torch.lu(A),
    "linalg.lu": lambda A: LA.lu(A),
    "lu_unpack": lambda LU, piv: torch.lu_unpack(LU, piv),
    "linalg.lu_solve": lambda LU, piv, B: LA.lu_solve(LU, piv, B),
    "linalg.lu_solve(adjoint)": lambda LU, piv, B: LA.lu_solve(LU, piv, B, adjoint=True),
    "linalg.lu_solve(left=False)": lambda LU, piv, B: LA.lu_solve(LU, piv, B, left=False),
    "lu_solve": lambda B, LU, piv: torch.lu_solve(B, LU, piv),
    "linalg.pinv": lambda A: LA.pinv(A),
    "linalg.pinv(hermitian)": lambda A: LA.pinv(A, hermitian=True),
    "pinverse": lambda A: torch.pinverse(A),
    "linalg.lstsq": lambda A, B: LA.lstsq(A, B),
    "linalg.lstsq(gelsd)": lambda A, B: LA.lstsq(A, B, driver="gelsd"),
    "linalg.lstsq(gels)": lambda A, B: LA.lstsq(A, B, driver="gels"),
    "linalg.solve_triangular": lambda A, B: LA.solve_triangular(A, B, upper=True),
    "linalg.solve_triangular(left=False)": lambda A, B: LA.solve_triangular(A, B, upper=False, left=False),
    "triangular_solve": lambda B, A: torch.triangular_solve(B, A),
    "triangular_solve(transpose)": lambda B, A: torch.triangular_solve(B, A, upper=False, transpose=True),
    "cholesky_solve": lambda B, L: torch.cholesky_solve(B, L),
    "cholesky_inverse": lambda L: torch.cholesky_inverse(L),
    "linalg.matrix_exp": lambda A: LA.matrix_exp(A),
    "linalg.det": lambda A: LA.det(A),
    "linalg.slogdet": lambda A: LA.slogdet(A),
    "logdet": lambda A: torch.logdet(A),
    "linalg.matrix_rank": lambda A: LA.matrix_rank(A),
}

BATCHES = [(), (2,)]
SHAPES = [(3, 3), (3, 4), (4, 3)]


def case_inputs():
    """(op, label, inputs (tensors; those of floating dtype get requires_grad)) for every case."""
    for b in BATCHES:
        bs = "x".join(map(str, b)) + "x" if b else ""
        for op in ["linalg.inv", "linalg.inv_ex", "inverse", "matrix_power(-1)", "matrix_power(-2)",
                   "matrix_power(3)", "linalg.matrix_exp", "linalg.det", "linalg.slogdet"]:
            yield op, f"{bs}3x3", lambda g, b=b: [gen(g, b, 3, 3)]
        for op in ["linalg.cholesky", "linalg.cholesky(upper)", "linalg.cholesky_ex", "cholesky",
                   "cholesky(upper)", "linalg.eigh", "linalg.eigvalsh", "logdet", "linalg.pinv(hermitian)"]:
            yield op, f"{bs}3x3 SPD", lambda g, b=b: [spd(g, b, 3)]
        for m, n in SHAPES:
            for op in ["linalg.qr", "linalg.qr(complete)", "linalg.qr(r)", "qr", "linalg.svd", "linalg.svd(reduced)",
                       "svd", "svd(some=False)", "svd(compute_uv=False)", "linalg.svdvals", "linalg.lu_factor",
                       "linalg.lu_factor_ex", "lu", "linalg.lu", "linalg.pinv", "pinverse", "linalg.matrix_rank"]:
                yield op, f"{bs}{m}x{n}", lambda g, b=b, m=m, n=n: [gen(g, b, m, n)]
            for op in ["linalg.lstsq", "linalg.lstsq(gelsd)", "linalg.lstsq(gels)"]:
                yield op, f"{bs}{m}x{n}, B {m}x2", lambda g, b=b, m=m, n=n: [gen(g, b, m, n), rhs(g, *b, m, 2)]
                yield op, f"{bs}{m}x{n}, b ({m})", lambda g, b=b, m=m, n=n: [gen(g, b, m, n), rhs(g, *b, m)]
            yield "lu_unpack", f"{bs}{m}x{n}", lambda g, b=b, m=m, n=n: list(LA.lu_factor(gen(g, b, m, n)))
        for op in ["linalg.solve", "linalg.solve_ex"]:
            yield op, f"{bs}3x3, B {bs}3x2", lambda g, b=b: [gen(g, b, 3, 3), rhs(g, *b, 3, 2)]
            yield op, f"{bs}3x3, b {bs}3", lambda g, b=b: [gen(g, b, 3, 3), rhs(g, *b, 3)]
        yield "linalg.solve(left=False)", f"{bs}3x3, B {bs}2x3", lambda g, b=b: [gen(g, b, 3, 3), rhs(g, *b, 2, 3)]
        yield "linalg.solve_triangular", f"{bs}3x3, B {bs}3x2", lambda g, b=b: [gen(g, b, 3, 3).triu(), rhs(g, *b, 3, 2)]
        yield "linalg.solve_triangular(left=False)", f"{bs}3x3, B {bs}2x3", lambda g, b=b: [gen(g, b, 3, 3).tril(), rhs(g, *b, 2, 3)]
        yield "triangular_solve", f"B {bs}3x2, {bs}3x3", lambda g, b=b: [rhs(g, *b, 3, 2), gen(g, b, 3, 3).triu()]
        yield "triangular_solve(transpose)", f"B {bs}3x2, {bs}3x3", lambda g, b=b: [rhs(g, *b, 3, 2), gen(g, b, 3, 3).tril()]
        yield "cholesky_solve", f"B {bs}3x2, {bs}3x3", lambda g, b=b: [rhs(g, *b, 3, 2), LA.cholesky(spd(g, b, 3))]
        yield "cholesky_inverse", f"{bs}3x3", lambda g, b=b: [LA.cholesky(spd(g, b, 3))]
        for op in ["linalg.lu_solve", "linalg.lu_solve(adjoint)"]:
            yield op, f"{bs}3x3, B {bs}3x2", lambda g, b=b: [*lu_of(g, b, 3), rhs(g, *b, 3, 2)]
        yield "linalg.lu_solve(left=False)", f"{bs}3x3, B {bs}2x3", lambda g, b=b: [*lu_of(g, b, 3), rhs(g, *b, 2, 3)]
        yield "lu_solve", f"B {bs}3x2, {bs}3x3", lambda g, b=b: [rhs(g, *b, 3, 2), *lu_of(g, b, 3)]
    # broadcast batches, a vector right-hand side of a two-dimensional batch, the tensor forms
    yield "linalg.solve", "2x1x3x3, B 4x3x2", lambda g: [gen(g, (2, 1), 3, 3), rhs(g, 4, 3, 2)]
    yield "linalg.solve", "2x5x3x3, b 2x5x3", lambda g: [gen(g, (2, 5), 3, 3), rhs(g, 2, 5, 3)]
    yield "linalg.lstsq", "2x1x4x3, B 1x3x4x2", lambda g: [gen(g, (2, 1), 4, 3), rhs(g, 1, 3, 4, 2)]
    yield "linalg.solve_triangular", "2x1x3x3, B 4x3x2", lambda g: [gen(g, (2, 1), 3, 3).triu(), rhs(g, 4, 3, 2)]
    yield "cholesky_solve", "B 4x3x2, 2x1x3x3", lambda g: [rhs(g, 4, 3, 2), LA.cholesky(spd(g, (2, 1), 3))]
    yield "tensorinv", "4x2x8", lambda g: [rhs(g, 4, 2, 8) + 3 * torch.eye(8, dtype=F64).reshape(4, 2, 8)]
    yield "tensorsolve", "2x3x6, b 2x3", lambda g: [gen(g, (), 6, 6).reshape(2, 3, 6), rhs(g, 2, 3)]


def out_record(o):
    if not isinstance(o, torch.Tensor):
        return None
    try:
        o.view(-1)
        view = True
    except RuntimeError:
        view = False
    return {"shape": list(o.shape), "stride": list(o.stride()), "contiguous": o.is_contiguous(),
            "grad_fn": node_name(o.grad_fn), "view": view,
            "reshape": node_name(o.reshape(-1).grad_fn) if o.requires_grad else None}


def run(op, label, make, seed):
    g = torch.Generator().manual_seed(seed)
    inputs = [t.detach().clone().requires_grad_(t.is_floating_point()) for t in make(g)]
    outs = OPS[op](*inputs)
    outs = (outs,) if isinstance(outs, torch.Tensor) else tuple(outs)
    diff = [o for o in outs if isinstance(o, torch.Tensor) and o.grad_fn is not None]
    leaves = [t for t in inputs if t.requires_grad]
    try:
        grads = torch.autograd.grad(diff, leaves, [torch.ones(o.shape, dtype=o.dtype) for o in diff], allow_unused=True) if diff else [None] * len(leaves)
    except RuntimeError:  # qr's mode 'r', or 'complete' of a tall A: not differentiable (an error case elsewhere)
        grads = None
    it = iter(grads or [])
    return {
        "op": op, "label": label,
        "inputs": [enc_tensor(t) for t in inputs],
        "outputs": [out_record(o) for o in outs],
        "grads": None if grads is None else
        [(lambda gr: list(gr.stride()) if gr is not None else None)(next(it)) if t.requires_grad else None for t in inputs],
    }


if __name__ == "__main__":
    cases = [run(op, label, make, seed) for seed, (op, label, make) in enumerate(case_inputs())]
    write_cases(OUT, "tools/gen_golden_linalg_layout.py", cases)
