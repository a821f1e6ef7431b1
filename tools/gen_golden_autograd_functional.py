#!/usr/bin/python3
"""Golden data for torch.autograd.functional (test/autograd_functional.test.ts), computed by real
PyTorch: jacobian, hessian, vjp, jvp, hvp and vhp of a few functions with one and several inputs
and outputs, with create_graph, and the strict-mode and argument errors.

    /work/.venv-torch/bin/python tools/gen_golden_autograd_functional.py   # writes test/golden/autograd_functional.json

Each function below has a twin of the same name in the TS test (FUNCS there). Inputs are float64.
Results keep PyTorch's nesting: a tensor, or a list (Python's tuple) of tensors, or a list of lists.
With create_graph the record also has the result's grad_fn name and the gradient of the sum of
all its entries with respect to the inputs (so the graph built through the result is checked).

typetorch has no forward-mode AD: jacobian with strategy="forward-mode", vectorize=True gives the
reverse-mode Jacobian, which the TS test checks against the reverse-mode values recorded here
(PyTorch's forward-mode result is the same numbers).
"""

import json
import os
import sys
import warnings

import torch
from torch.autograd import functional as AF

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor  # noqa: E402

warnings.filterwarnings("ignore")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "autograd_functional.json")

D = torch.float64


def t(values):
    return torch.tensor(values, dtype=D)


# ---- the functions (twins in the TS test) -----------------------------------------------------

FUNCS = {
    # one input, one output
    "exp_reducer": lambda x: x.exp().sum(dim=1),
    # two inputs, one output
    "mul_sin": lambda x, y: x * y.sin() + 2 * x,
    # one input, two outputs
    "square_and_sum": lambda x: (x ** 2, x.sum()),
    # two inputs, two outputs (the second independent of x)
    "pair": lambda x, y: (x * y, y.exp() * 3),
    # scalar functions, for hessian / hvp / vhp
    "cubic": lambda x: (x ** 3).sum() + (x * x.sin()).sum(),
    "coupled": lambda x, y: (x ** 2).sum() * y.exp().sum() + (x * x).sum(),
    # y unused
    "ignores_y": lambda x, y: x.exp(),
    "linear": lambda x: (x * 3).sum(),
    "constant": lambda x: torch.ones(2, dtype=D),
}

INPUTS = {
    "exp_reducer": t([[0.5, -1., 2.], [1., 0.25, -0.5]]),
    "mul_sin": (t([1., 2., 3.]), t([0.5, -1., 2.])),
    "square_and_sum": t([1., -2., 3.]),
    "pair": (t([1., 2.]), t([0.5, -1.])),
    "cubic": t([[1., -2.], [0.5, 3.]]),
    "coupled": (t([1., -2.]), t([0.5, 0.25, -1.])),
    "ignores_y": (t([1., 2.]), t([3., 4.])),
    "linear": t([1., 2.]),
    "constant": t([1., 2.]),
}


def enc(r):
    if r is None:
        return None
    if isinstance(r, torch.Tensor):
        return enc_tensor(r)
    return [enc(x) for x in r]


def flat(r):
    if isinstance(r, torch.Tensor):
        return [r]
    return [u for x in r for u in flat(x)]


def fresh(fname, requires_grad=False):
    inp = INPUTS[fname]
    if isinstance(inp, tuple):
        return tuple(x.clone().requires_grad_(requires_grad) for x in inp)
    return inp.clone().requires_grad_(requires_grad)


def leaves(inp):
    return list(inp) if isinstance(inp, tuple) else [inp]


def grad_fn_names(r):
    return [None if x.grad_fn is None else type(x.grad_fn).__name__ for x in flat(r)]


def run(kind, fname, v=None, **kw):
    """One call; with create_graph, also the gradient of the sum of all result entries."""
    f = FUNCS[fname]
    create = kw.get("create_graph", False)
    inp = fresh(fname, requires_grad=create)
    fn = getattr(AF, kind)
    res = fn(f, inp, **kw) if kind in ("jacobian", "hessian") else fn(f, inp, v, **kw)
    rec = {"kind": kind, "func": fname, "v": enc(v), "options": kw, "result": enc(res)}
    if create:
        rec["requires_grad"] = [x.requires_grad for x in flat(res)]
        rec["grad_fn"] = grad_fn_names(res)
        total = sum(x.sum() for x in flat(res) if x.requires_grad)
        grads = torch.autograd.grad(total, leaves(inp), allow_unused=True)
        rec["input_grads"] = [enc(g) for g in grads]
    else:
        rec["requires_grad"] = [x.requires_grad for x in flat(res)]
    return rec


def enc_arg(a):
    """Inputs that are not tensors, for the argument errors: ints as {"int": n}."""
    if isinstance(a, int):
        return {"int": a}
    if isinstance(a, tuple):
        return [enc_arg(x) for x in a]
    return enc_tensor(a)


def err(kind, fname, v=None, **kw):
    f = FUNCS[fname]
    bad = kw.pop("inputs", None)
    inp = fresh(fname) if bad is None else bad
    fn = getattr(AF, kind)
    try:
        fn(f, inp, **kw) if kind in ("jacobian", "hessian") else fn(f, inp, v, **kw)
    except Exception as e:  # noqa: BLE001 - the message is what we record
        return {"kind": kind, "func": fname, "v": enc(v), "options": kw, "error": str(e), "type": type(e).__name__,
                "inputs": None if bad is None else enc_arg(bad)}
    raise AssertionError(f"{kind}({fname}) did not fail")


CASES = [
    run("jacobian", "exp_reducer"),
    run("jacobian", "exp_reducer", create_graph=True),
    run("jacobian", "exp_reducer", vectorize=True),
    run("jacobian", "mul_sin"),
    run("jacobian", "mul_sin", create_graph=True),
    run("jacobian", "square_and_sum"),
    run("jacobian", "pair"),
    run("jacobian", "pair", create_graph=True),
    run("jacobian", "ignores_y"),
    run("hessian", "cubic"),
    run("hessian", "cubic", create_graph=True),
    run("hessian", "coupled"),
    run("hessian", "coupled", create_graph=True),
    run("hessian", "linear"),
    run("vjp", "exp_reducer", t([1., 2.])),
    run("vjp", "exp_reducer", t([1., 2.]), create_graph=True),
    run("vjp", "mul_sin", t([1., -1., 2.])),
    run("vjp", "pair", (t([1., 2.]), t([-1., 0.5]))),
    run("vjp", "cubic"),
    run("vjp", "ignores_y", t([1., 1.])),
    run("jvp", "exp_reducer", t([[1., 0., 2.], [0.5, 1., -1.]])),
    run("jvp", "exp_reducer", t([[1., 0., 2.], [0.5, 1., -1.]]), create_graph=True),
    run("jvp", "mul_sin", (t([1., 0., -1.]), t([2., 1., 0.5]))),
    run("jvp", "square_and_sum", t([1., 2., 3.])),
    run("jvp", "pair", (t([1., 2.]), t([-1., 0.5]))),
    run("hvp", "cubic", t([[1., 0.], [2., -1.]])),
    run("hvp", "cubic", t([[1., 0.], [2., -1.]]), create_graph=True),
    run("hvp", "coupled", (t([1., 2.]), t([0.5, -1., 1.]))),
    run("vhp", "cubic", t([[1., 0.], [2., -1.]])),
    run("vhp", "coupled", (t([1., 2.]), t([0.5, -1., 1.]))),
    run("vhp", "coupled", (t([1., 2.]), t([0.5, -1., 1.])), create_graph=True),
]

ERRORS = [
    err("vjp", "exp_reducer"),
    err("vjp", "exp_reducer", t([1., 2., 3.])),
    err("vjp", "pair", (t([1., 2.]),)),
    err("vjp", "pair", (t([1., 2.]), t([1., 2., 3.]))),
    err("vjp", "ignores_y", t([1., 1.]), strict=True),
    err("vjp", "constant", t([1., 1.]), strict=True),
    err("jvp", "exp_reducer"),
    err("jvp", "mul_sin", (t([1., 0., -1.]), t([2., 1.]))),
    err("jvp", "ignores_y", (t([1., 1.]), t([1., 1.])), strict=True),
    err("jacobian", "ignores_y", strict=True),
    err("jacobian", "constant", strict=True),
    err("jacobian", "exp_reducer", strict=True, vectorize=True),
    err("jacobian", "exp_reducer", strategy="forward-mode"),
    err("jacobian", "exp_reducer", strategy="forward-mode", vectorize=True, create_graph=True),
    err("jacobian", "exp_reducer", strategy="forward-mode", vectorize=True, strict=True),
    err("hessian", "exp_reducer"),
    err("hessian", "square_and_sum"),
    err("hessian", "linear", strict=True),
    err("hvp", "square_and_sum", t([1., 1., 1.])),
    err("hvp", "exp_reducer", t([[1., 0., 2.], [0.5, 1., -1.]])),
    err("vhp", "cubic"),
    err("vhp", "linear", t([1., 1.]), strict=True),
    err("jacobian", "mul_sin", inputs=(t([1., 2., 3.]), 3)),
    err("jacobian", "exp_reducer", inputs=3),
]


def main():
    doc = {
        "generator": "tools/gen_golden_autograd_functional.py",
        "torch_version": torch.__version__,
        "inputs": {k: enc(list(v) if isinstance(v, tuple) else v) for k, v in INPUTS.items()},
        "input_is_tuple": {k: isinstance(v, tuple) for k, v in INPUTS.items()},
        "cases": CASES,
        "errors": ERRORS,
    }
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {len(CASES)} cases and {len(ERRORS)} errors to {os.path.relpath(OUT)}")


if __name__ == "__main__":
    main()
