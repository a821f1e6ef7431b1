#!/usr/bin/env python3
"""Golden data for custom autograd Functions (test/autograd_function.test.ts), computed by real
PyTorch: the examples of PyTorch's "Extending torch.autograd" docs (Exp, LinearFunction,
MulConstant), mark_dirty, mark_non_differentiable, set_materialize_grads, needs_input_grad, and
the errors, each a short program the TypeScript test repeats (the case names match).

    .venv-torch/bin/python tools/gen_golden_autograd_function.py   # writes test/golden/autograd_function.json

Inputs are float64 so the values compare tightly. Written for 1.13 first; the data are 2.13's (2.x-only
cases kept as they were written):
  - setup_context (forward without ctx) is new in 2.0: the TS test runs both styles of the same
    Function against values computed here in the ctx style, which 2.x treats identically;
  - node names are Python's class names (type(fn).__name__), as shared/API.md's grad_fn.name().
"""

import os
import sys
import warnings

import torch
from torch.autograd import Function

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import case_registry, enc_tensor_or_none as T, error_of as err, node_chain as chain, node_name as name, write_cases  # noqa: E402

warnings.filterwarnings("ignore")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "autograd_function.json")

CASES, case = case_registry()


def leaf(values):
    return torch.tensor(values, dtype=torch.float64, requires_grad=True)


# ---- the Functions (the TS test defines the same classes) ------------------------------------

class Exp(Function):
    @staticmethod
    def forward(ctx, i):
        result = i.exp()
        ctx.save_for_backward(result)
        return result

    @staticmethod
    def backward(ctx, grad_output):
        result, = ctx.saved_tensors
        return grad_output * result


class LinearFunction(Function):
    @staticmethod
    def forward(ctx, input, weight, bias=None):
        ctx.save_for_backward(input, weight, bias)
        output = input.mm(weight.t())
        if bias is not None:
            output += bias.unsqueeze(0).expand_as(output)
        return output

    @staticmethod
    def backward(ctx, grad_output):
        input, weight, bias = ctx.saved_tensors
        grad_input = grad_weight = grad_bias = None
        if ctx.needs_input_grad[0]:
            grad_input = grad_output.mm(weight)
        if ctx.needs_input_grad[1]:
            grad_weight = grad_output.t().mm(input)
        if bias is not None and ctx.needs_input_grad[2]:
            grad_bias = grad_output.sum(0)
        return grad_input, grad_weight, grad_bias


class MulConstant(Function):
    @staticmethod
    def forward(ctx, tensor, constant):
        ctx.constant = constant
        return tensor * constant

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output * ctx.constant, None


class Cube(Function):
    """backward written with differentiable ops, so double backward works"""
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * 3 * x ** 2


class AddOneInplace(Function):
    @staticmethod
    def forward(ctx, x):
        x.add_(1)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        return g


class MulInplace(Function):
    """x *= y in place: the gradient of x's history is g * y, of y is g * (x before)"""
    @staticmethod
    def forward(ctx, x, y):
        ctx.save_for_backward(x.clone(), y)
        x.mul_(y)
        ctx.mark_dirty(x)
        return x

    @staticmethod
    def backward(ctx, g):
        x0, y = ctx.saved_tensors
        return g * y, g * x0


class SortValues(Function):
    """The docs' mark_non_differentiable example: sorted values and their (integer) indices."""
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    def backward(ctx, g1, g2):
        idx, = ctx.saved_tensors
        grad_input = torch.zeros_like(g1)
        grad_input.index_add_(0, idx, g1)
        return grad_input


SEEN = []


class TwoOutputs(Function):
    """(2x, 3x); records what backward receives for each output"""
    @staticmethod
    def forward(ctx, x, materialize):
        ctx.set_materialize_grads(materialize)
        return x * 2, x * 3

    @staticmethod
    def backward(ctx, g1, g2):
        SEEN.append([T(g1), T(g2)])
        out = None
        for g, k in ((g1, 2), (g2, 3)):
            if g is not None:
                out = g * k if out is None else out + g * k
        return out, None


class HalfNonDiff(Function):
    """(2x, 3x) with the second output marked non-differentiable"""
    @staticmethod
    def forward(ctx, x):
        a, b = x * 2, x * 3
        ctx.mark_non_differentiable(b)
        return a, b

    @staticmethod
    def backward(ctx, g1, g2):
        SEEN.append([T(g1), T(g2)])
        return g1 * 2


class Identity(Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 5


class Broadcasting(Function):
    """backward returns the gradient at a broadcast shape: the engine sums it back"""
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return (g * 2).expand(2, *g.shape)


# ---- cases ------------------------------------------------------------------------------------

@case
def exp():
    x = leaf([0.5, -1., 2.])
    y = Exp.apply(x)
    out = {"y": T(y), "grad_fn": name(y.grad_fn), "chain": chain(y.grad_fn), "saved": T(y.grad_fn.saved_tensors[0])}
    y.sum().backward(retain_graph=True)
    out["grad"] = T(x.grad.clone())
    y.sum().backward()
    out["grad_twice"] = T(x.grad)
    out["third"] = err(lambda: y.sum().backward())
    out["saved_after"] = err(lambda: y.grad_fn.saved_tensors)
    y2 = Exp.apply(x)
    y2.add_(1)
    out["version"] = err(lambda: y2.sum().backward())
    return out


@case
def linear():
    x = leaf([[1., 2., 3.], [4., 5., 6.]])
    w = leaf([[0.5, -1., 2.], [1., 0., -0.5]])
    b = leaf([0.25, -0.75])
    y = LinearFunction.apply(x, w, b)
    y.backward(torch.tensor([[1., 2.], [3., 4.]], dtype=torch.float64))
    out = {"y": T(y), "x": T(x.grad), "w": T(w.grad), "b": T(b.grad)}
    x.grad = w.grad = None
    y2 = LinearFunction.apply(x, w)
    y2.sum().backward()
    out.update({"y_nobias": T(y2), "x_nobias": T(x.grad), "w_nobias": T(w.grad)})
    xd = x.detach()
    y3 = LinearFunction.apply(xd, w, b)
    out["needs_input_grad"] = list(y3.grad_fn.needs_input_grad)
    out["chain"] = chain(y3.grad_fn)
    return out


@case
def mul_constant():
    x = leaf([1., 2., 3.])
    y = MulConstant.apply(x, 2.5)
    y.sum().backward()
    return {"y": T(y), "grad": T(x.grad), "constant": y.grad_fn.constant,
            "needs_input_grad": list(y.grad_fn.needs_input_grad), "chain": chain(y.grad_fn)}


@case
def cube():
    x = leaf([1., -2., 0.5])
    y = Cube.apply(x)
    (g1,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), x)
    z = leaf([1., -2., 0.5])
    checks = [torch.autograd.gradcheck(Cube.apply, (z,)), torch.autograd.gradgradcheck(Cube.apply, (z,)),
              torch.autograd.gradcheck(Exp.apply, (z,)), torch.autograd.gradgradcheck(Exp.apply, (z,))]
    return {"y": T(y), "g1": T(g1), "g1_grad_fn": name(g1.grad_fn), "g2": T(g2), "checks": checks}


@case
def mark_dirty():
    lf = leaf([1., 2., 3.])
    a = lf.clone()
    v0 = a._version
    s = a.sin()  # saves a, which the Function then modifies
    b = AddOneInplace.apply(a)
    out = {"same_object": b is a, "versions": [v0, a._version], "grad_fn": name(a.grad_fn), "chain": chain(a.grad_fn),
           "value": T(a)}
    (a * a).sum().backward()
    out["grad"] = T(lf.grad)
    out["saved_version"] = err(lambda: s.sum().backward())
    lf2 = leaf([1., 2., 3.])
    out["leaf_error"] = err(lambda: AddOneInplace.apply(lf2))
    out["leaf_after"] = T(lf2)  # the forward ran before the check, as in PyTorch
    # the in-place Function on a view of a non-leaf: CopySlices on the base
    lf3 = leaf([1., 2., 3., 4.])
    y = leaf([10., 20.])
    base = lf3.clone()
    view = base[1:3]
    MulInplace.apply(view, y)
    out["view_value"] = T(base)
    out["view_chain"] = chain(base.grad_fn)
    out["view_grad_fn"] = name(view.grad_fn)
    (base * torch.tensor([1., 2., 3., 4.], dtype=torch.float64)).sum().backward()
    out["view_grads"] = [T(lf3.grad), T(y.grad)]
    # under no_grad: the forward still bumps the version twice, and nothing is recorded
    c = leaf([1., 2.]).clone()
    with torch.no_grad():
        d = AddOneInplace.apply(c)
    out["no_grad"] = [c._version, name(c.grad_fn), d is c]
    return out


@case
def dirty_not_returned():
    class Bad(Function):
        @staticmethod
        def forward(ctx, x):
            x.add_(1)
            ctx.mark_dirty(x)
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return g

    return {"error": err(lambda: Bad.apply(leaf([1., 2.]).clone()))}


@case
def non_differentiable():
    SEEN.clear()
    x = leaf([3., 1., 2.])
    values, idx = SortValues.apply(x)
    out = {"values": T(values), "idx": T(idx), "idx_requires": idx.requires_grad, "values_grad_fn": name(values.grad_fn)}
    (values * torch.tensor([1., 10., 100.], dtype=torch.float64)).sum().backward()
    out["grad"] = T(x.grad)
    z = leaf([1., 2.])
    a, b = HalfNonDiff.apply(z)
    out["half"] = [a.requires_grad, b.requires_grad, name(b.grad_fn), b.is_leaf]
    a.sum().backward()
    out["half_grad"] = T(z.grad)
    out["half_seen"] = SEEN[0]
    return out


@case
def materialize_grads():
    SEEN.clear()
    x = leaf([1., 2.])
    a, _ = TwoOutputs.apply(x, True)
    a.sum().backward()
    g_on = T(x.grad)
    x.grad = None
    a, _ = TwoOutputs.apply(x, False)
    a.sum().backward()
    return {"seen": SEEN[:], "grad_on": g_on, "grad_off": T(x.grad)}


@case
def needs_input_grad():
    seen = []

    class Probe(Function):
        @staticmethod
        def forward(ctx, x, y, k):
            seen.append([list(ctx.needs_input_grad), torch.is_grad_enabled()])
            return x * y * k

        @staticmethod
        def backward(ctx, g):
            seen.append(list(ctx.needs_input_grad))
            x_g = g * 2 if ctx.needs_input_grad[0] else None
            y_g = g * 3 if ctx.needs_input_grad[1] else None
            return x_g, y_g, None

    x, y = leaf([1., 2.]), torch.tensor([3., 4.], dtype=torch.float64)
    out = Probe.apply(x, y, 2.)
    out.sum().backward()
    with torch.no_grad():
        r = Probe.apply(x, y, 2.)
    return {"seen": seen, "grad": T(x.grad), "no_grad": [r.requires_grad, name(r.grad_fn)]}


@case
def identity():
    x = leaf([1., 2.])
    y = Identity.apply(x)
    res = {"same_object": y is x, "base_is_x": y._base is x, "grad_fn": name(y.grad_fn), "x_leaf": x.is_leaf,
           "x_grad_fn": name(x.grad_fn)}
    y.sum().backward()
    res["grad"] = T(x.grad)
    plain = torch.tensor([1., 2.])
    p = Identity.apply(plain)
    res["plain"] = [p is plain, p.requires_grad, p._base is plain]
    return res


@case
def broadcast_gradient():
    x = leaf([1., 2., 3.])
    Broadcasting.apply(x).sum().backward()
    return {"grad": T(x.grad)}


@case
def errors():
    x = leaf([1., 2.])

    class SaveInt(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(3)
            return x * 2

    class GradForConstant(Function):
        @staticmethod
        def forward(ctx, x, k):
            return x * k

        @staticmethod
        def backward(ctx, g):
            return g, 3

    class ReturnsInt(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return 3

    class TooFew(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g

    class TooMany(Function):
        @staticmethod
        def forward(ctx, x, y):
            return x * y

        @staticmethod
        def backward(ctx, g):
            return g, g, g

    class NoForward(Function):
        pass

    class NoBackward(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

    class BadShape(Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, g):
            return torch.ones(3, dtype=torch.float64)

    class DirtyInt(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(3)
            return x * 2

    class NonDiffInt(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_non_differentiable(3)
            return x * 2

    return {
        "save_int": err(lambda: SaveInt.apply(x)),
        "grad_for_constant": err(lambda: GradForConstant.apply(x, 2.).sum().backward()),
        "returns_int": err(lambda: ReturnsInt.apply(x).sum().backward()),
        "too_few": err(lambda: TooFew.apply(x, x).sum().backward()),
        "too_many": err(lambda: TooMany.apply(x, x).sum().backward()),
        "no_forward": err(lambda: NoForward.apply(x)),
        "no_backward": err(lambda: NoBackward.apply(x).sum().backward()),
        "bad_shape": err(lambda: BadShape.apply(x).sum().backward()),
        "dirty_int": err(lambda: DirtyInt.apply(x)),
        "non_diff_int": err(lambda: NonDiffInt.apply(x)),
        "x_grad_untouched": x.grad is None,
    }


def main():
    write_cases(OUT, "tools/gen_golden_autograd_function.py", CASES)


if __name__ == "__main__":
    main()
