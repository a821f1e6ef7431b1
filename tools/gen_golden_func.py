#!/usr/bin/env python3
"""Golden data for torch.func (test/func.test.ts), from PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_func.py

Each case is a short program whose result (tensors, or trees of them) is recorded under its name;
test/func.test.ts runs the same program. Errors are recorded with PyTorch's messages.
"""
import os
import sys
import warnings

import torch
import torch.nn as nn
from torch.func import functional_call, grad, grad_and_value, hessian, jacfwd, jacrev, jvp, vjp, vmap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import case_registry, enc_tree as enc, error_of, write_cases  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
cases, case = case_registry()
D = torch.float64
X = torch.tensor([0.5, -1.25, 2.0], dtype=D)
Y = torch.tensor([1.5, 0.25, -0.75], dtype=D)
W = torch.tensor([[0.2, -0.4], [0.7, 0.1], [-0.3, 0.5]], dtype=D)
B = torch.tensor([[0.1, 0.2, 0.3], [-1.0, 0.5, 2.0], [0.0, -0.5, 1.5], [1.0, 1.0, -1.0]], dtype=D)


def f(x):
    return (x.sin() * x).sum()


@case
def grad_simple():
    return enc(grad(f)(X))


@case
def grad_argnums():
    return enc(grad(lambda x, y: (x * y.exp()).sum(), argnums=(0, 1))(X, Y))


@case
def grad_argnum_1():
    return enc(grad(lambda x, y: (x * y.exp()).sum(), argnums=1)(X, Y))


@case
def grad_has_aux():
    g, aux = grad(lambda x: (f(x), x.cos()), has_aux=True)(X)
    return enc([g, aux])


@case
def grad_and_value_simple():
    return enc(list(grad_and_value(f)(X)))


@case
def grad_dict():
    return enc(grad(lambda p, x: ((x @ p["w"]).tanh() * p["s"]).sum())({"w": W, "s": torch.tensor(2.0, dtype=D)}, X))


@case
def grad_of_grad():
    return enc(grad(lambda x: grad(f)(x).sum())(X))


@case
def vjp_simple():
    out, fn = vjp(lambda x, y: x * y.sin(), X, Y)
    return enc([out, list(fn(torch.tensor([1.0, -2.0, 0.5], dtype=D)))])


@case
def vjp_tuple_out():
    out, fn = vjp(lambda x: (x.exp(), (x * x).sum()), X)
    return enc([list(out), list(fn((torch.ones(3, dtype=D), torch.tensor(2.0, dtype=D))))])


@case
def jvp_simple():
    out, t = jvp(lambda x, y: x.exp() * y, (X, Y), (torch.tensor([1.0, 0.0, -1.0], dtype=D), torch.tensor([0.5, 0.5, 0.5], dtype=D)))
    return enc([out, t])


@case
def jacrev_simple():
    return enc(jacrev(lambda x: (x @ W).tanh())(X))


@case
def jacrev_argnums():
    return enc(list(jacrev(lambda x, w: (x @ w).tanh(), argnums=(0, 1))(X, W)))


@case
def jacfwd_simple():
    return enc(jacfwd(lambda x: x.sin() * x.sum())(X))


@case
def hessian_simple():
    return enc(hessian(lambda x: (x ** 3).sum() + x[0] * x[1])(X))


@case
def vmap_dot():
    return enc(vmap(torch.dot)(B, B.flip(0)))


@case
def vmap_in_dims():
    return enc(vmap(lambda x, y: x * y, in_dims=(1, None))(B.t(), Y))


@case
def vmap_out_dims():
    return enc(vmap(lambda x: x.outer(x), out_dims=1)(B))


@case
def vmap_tree():
    out = vmap(lambda d: {"s": d["a"].sum(), "p": d["a"] * d["b"]}, in_dims=({"a": 0, "b": None},))({"a": B, "b": Y})
    return enc(out)


@case
def vmap_jacrev():
    return enc(vmap(jacrev(lambda x: x.sin() * x.sum()))(B))


@case
def vmap_grad_functional_call():
    torch.manual_seed(0)
    model = nn.Linear(3, 2).double()
    params = {k: v.detach() for k, v in model.named_parameters()}
    def loss(p, x, t):
        return ((functional_call(model, p, (x.unsqueeze(0),)) - t) ** 2).sum()
    return enc(vmap(grad(loss), in_dims=(None, 0, 0))(params, B, B[:, :2]))


@case
def functional_call_simple():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)).double()
    new = {"0.weight": torch.ones(4, 3, dtype=D), "2.bias": torch.tensor([1.0, -1.0], dtype=D)}
    out = functional_call(model, new, (B,))
    return enc([out, model(B)])


@case
def functional_call_tied():
    lin = nn.Linear(3, 3, bias=False).double()
    model = nn.Sequential(lin, nn.Tanh(), lin)
    out = functional_call(model, {"0.weight": W @ W.t()}, B)
    return enc(out)


@case
def errors():
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return {
            "grad_not_scalar": error_of(lambda: grad(lambda x: x * 2)(X)),
            "grad_not_tensor": error_of(lambda: grad(lambda x: 2.5)(X)),
            "grad_argnum": error_of(lambda: grad(f, argnums=3)(X)),
            "grad_argnums_dup": error_of(lambda: grad(lambda x, y: (x * y).sum(), argnums=(0, 0))(X, Y)),
            "grad_aux": error_of(lambda: grad(f, has_aux=True)(X)),
            "vmap_sizes": error_of(lambda: vmap(torch.mul)(B, X)),
            "vmap_randomness": error_of(lambda: vmap(torch.sin, randomness="bad")(B)),
            "vmap_random_op": error_of(lambda: vmap(lambda x: x + torch.rand(()))(B)),
            "vmap_no_tensor": error_of(lambda: vmap(lambda x: x, in_dims=(None,))(X)),
            "jvp_primals": error_of(lambda: jvp(torch.sin, X, (X,))),
            "vmap_chunk_size": error_of(lambda: vmap(torch.sin, chunk_size=0)),
        }


write_cases(os.path.join(ROOT, "test", "golden", "func.json"), "tools/gen_golden_func.py", cases)
