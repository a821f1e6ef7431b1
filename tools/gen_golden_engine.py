#!/usr/bin/env python3
"""Golden data for the autograd engine's small exact tests (test/engine.test.ts), computed by real
PyTorch, in the spirit of candle's grad_tests.rs and tinygrad's test_gradient.py.

    .venv-torch/bin/python tools/gen_golden_engine.py     # writes test/golden/engine.json

Each case is a short program that the TypeScript test repeats line for line (the case names
match); the JSON holds what PyTorch computed: gradients as {dtype, shape, data}, grad_fn names and
next_functions chains as strings, flags as booleans, and error messages.

Node names are Python's class names (`type(fn).__name__`: "AccumulateGrad", "CopySlices"), the
names shared/API.md gives `grad_fn.name()`; C++ `Node.name()` adds the namespace to a few of them
("torch::autograd::AccumulateGrad").

Written for 1.13 first (its notes below); the data are 2.13's, where those cases agree:
  - autograd.grad(materialize_grads=True) is new in 2.1: unused inputs get zeros of their shape,
    recorded here as zeros_like(input);
  - reshape of a contiguous tensor is a view in 2.x, so its grad_fn is ViewBackward0 (1.13:
    ReshapeAliasBackward0).
"""

import os
import sys
import warnings

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import case_registry, enc_tensor_or_none as T, error_of as err, node_chain, node_name, write_cases  # noqa: E402

warnings.filterwarnings("ignore")  # PyTorch's advice on .grad of non-leaves and create_graph cycles

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "engine.json")

CASES, case = case_registry()


NAMES_2X = {"ReshapeAliasBackward0": "ViewBackward0"}


def name(fn):
    return node_name(fn, NAMES_2X)


def chain(fn):
    return node_chain(fn, NAMES_2X)


def leaf(values, dtype=torch.float32):
    return torch.tensor(values, dtype=dtype, requires_grad=True)


@case
def unused_inputs():
    x, y = leaf([1., 2., 3.]), leaf([4., 5., 6.])
    gx, gy = torch.autograd.grad((x * 2).sum(), [x, y], allow_unused=True)
    e = err(lambda: torch.autograd.grad((x * 2).sum(), [x, y]))
    # 2.x: materialize_grads=True gives zeros for y (1.13 lacks the option)
    return {"gx": T(gx), "gy": T(gy), "error": e, "materialized_gy": T(torch.zeros_like(y))}


@case
def used_twice():
    x = leaf([1., 2., 3.])
    (g1,) = torch.autograd.grad((x * x + x).sum(), x)
    (g2,) = torch.autograd.grad((x * x).sum(), x)
    y = x.exp()
    (g3,) = torch.autograd.grad((y * y.sin()).sum(), x)
    return {"x_mul_x_plus_x": T(g1), "x_mul_x": T(g2), "exp_twice": T(g3)}


@case
def broadcast():
    a = leaf([[1.], [2.], [3.]])
    b = leaf([[1., 2., 3., 4.]])
    (a * b + a).sum().backward()
    d = leaf([1., 2., 3., 4.])
    e = leaf([[1., 2., 3., 4.], [5., 6., 7., 8.], [9., 10., 11., 12.]])
    ((d + e) * d).sum().backward()
    s = leaf(2.)
    (s * e.detach()).sum().backward()
    return {"a": T(a.grad), "b": T(b.grad), "d": T(d.grad), "e": T(e.grad), "s": T(s.grad)}


@case
def nonscalar():
    x = leaf([1., 2., 3.])
    y = x * 2
    e1 = err(lambda: y.backward())
    y.backward(torch.tensor([1., 10., 100.]))
    e2 = err(lambda: (x * 2).backward(torch.ones(2)))
    e3 = err(lambda: torch.ones(3).sum().backward())
    return {"error": e1, "grad": T(x.grad), "shape_error": e2, "no_grad_fn_error": e3}


@case
def retain_graph():
    x = leaf([1., 2., 3.])
    s = (x ** 2).sum()
    s.backward(retain_graph=True)
    s.backward()
    g = x.grad.clone()
    e = err(lambda: s.backward())
    y = (x.exp() * 3).sum()
    torch.autograd.grad(y, x)
    e2 = err(lambda: torch.autograd.grad(y, x))
    return {"grad": T(g), "error": e, "grad_error": e2}


@case
def double_backward():
    x = leaf([1., 2., 3.])
    y = x ** 3
    (g1,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    (g2,) = torch.autograd.grad(g1.sum(), x, create_graph=True)
    (g3,) = torch.autograd.grad(g2.sum(), x, create_graph=True)
    (g4,) = torch.autograd.grad(g3.sum(), x, allow_unused=True)
    # backward(create_graph=True) leaves a .grad with history
    z = leaf([1., 2., 3.])
    (z ** 3).sum().backward(create_graph=True)
    zg = z.grad
    (h,) = torch.autograd.grad(zg.sum(), z)
    w = leaf([0.5, -1., 2.], dtype=torch.float64)
    (gs,) = torch.autograd.grad((w.sin() * w.exp()).sum(), w, create_graph=True)
    (gs2,) = torch.autograd.grad(gs.sum(), w)
    return {"g1": T(g1), "g2": T(g2), "g3": T(g3), "g4": T(g4), "g1_grad_fn": name(g1.grad_fn),
            "g1_requires_grad": g1.requires_grad, "zgrad": T(zg), "zgrad_grad_fn": name(zg.grad_fn),
            "h": T(h), "sin_exp_g1": T(gs), "sin_exp_g2": T(gs2)}


@case
def hooks():
    x = leaf([1., 2., 3.])
    a = x * 2
    seen = []
    h = a.register_hook(lambda g: g * 10)
    a.register_hook(lambda g: seen.append(g.clone()))  # returns None: gradient unchanged
    b = (a * a).sum()
    b.backward(retain_graph=True)
    g_hooked = x.grad.clone()
    x.grad = None
    h.remove()
    b.backward()
    g_removed = x.grad.clone()
    y = leaf([1., 2., 3.])
    hy = y.register_hook(lambda g: g + 1)
    (y * 3).sum().backward()
    g_leaf = y.grad.clone()
    hy.remove()
    (y * 3).sum().backward()
    # two hooks compose in registration order: (g * 2) + 1
    z = leaf([1., 2., 3.])
    c = z * 1
    c.register_hook(lambda g: g * 2)
    c.register_hook(lambda g: g + 1)
    c.sum().backward()
    e = err(lambda: torch.ones(3).register_hook(lambda g: g))
    return {"hooked": T(g_hooked), "removed": T(g_removed), "seen": [T(s) for s in seen],
            "leaf_hooked": T(g_leaf), "leaf_after_remove": T(y.grad), "composed": T(z.grad), "error": e}


@case
def retain_grad():
    x = leaf([1., 2., 3.])
    a = x * 2
    a.retain_grad()
    c = a * 3
    b = (a * c).sum()
    b.backward()
    e = err(lambda: torch.ones(3).retain_grad())
    return {"a_grad": T(a.grad), "x_grad": T(x.grad), "a_retains": a.retains_grad, "c_retains": c.retains_grad,
            "c_grad_is_none": c.grad is None, "x_retains": x.retains_grad, "error": e}


@case
def accumulate():
    x = leaf([1., 2., 3.])
    (x * 2).sum().backward()
    first = x.grad
    first_values = first.clone()
    (x * x).sum().backward()
    same_object = x.grad is first
    second = first.clone()
    x.grad.zero_()
    (x * 5).sum().backward()
    return {"first": T(first_values), "second": T(second), "same_object": same_object, "after_zero": T(x.grad)}


@case
def backward_inputs():
    x, y = leaf([1., 2., 3.]), leaf([4., 5., 6.])
    (x * y).sum().backward(inputs=[x])
    gx, gy_none = x.grad.clone(), y.grad is None
    a = x * 2
    a.retain_grad()
    (a * y).sum().backward(inputs=[a, y])
    # a non-leaf among the inputs gets its .grad as if retain_grad() had been called
    b = x * 3
    (b * y).sum().backward(inputs=[b])
    e = err(lambda: (x * 2).sum().backward(inputs=[]))
    # PyTorch calls retain_grad() on each input before checking that it requires grad
    e2 = err(lambda: (x * 2).sum().backward(inputs=[torch.ones(3)]))
    return {"x": T(gx), "y_is_none": gy_none, "x_unchanged": T(x.grad), "a": T(a.grad), "y": T(y.grad),
            "b": T(b.grad), "b_retains": b.retains_grad, "empty_error": e, "no_grad_error": e2}


@case
def requires_grad():
    x, w = leaf([1., 2., 3.]), torch.tensor([4., 5., 6.])
    out = {
        "x_leaf": x.is_leaf, "w_leaf": w.is_leaf, "w_requires": w.requires_grad,
        "xw_requires": (x * w).requires_grad, "xw_leaf": (x * w).is_leaf,
        "ww_requires": (w * w).requires_grad, "ww_leaf": (w * w).is_leaf,
        "int_error": err(lambda: torch.tensor([1, 2]).requires_grad_()),
        "nonleaf_error": err(lambda: (x * 2).requires_grad_(False)),
        "argmax_requires": x.argmax().requires_grad,
    }
    v = torch.ones(3)
    v.requires_grad_()
    out["set_requires"] = v.requires_grad
    out["set_leaf"] = v.is_leaf
    return out


@case
def detach():
    x = leaf([1., 2., 3.])
    a = x * 2
    d = a.detach()
    flags = {"d_requires": d.requires_grad, "d_leaf": d.is_leaf, "d_grad_fn": name(d.grad_fn)}
    d[0] = 10.  # shares storage with a
    a_after = a.clone()
    b = x * 3
    b.detach_()
    flags.update({"b_requires": b.requires_grad, "b_leaf": b.is_leaf, "b_grad_fn": name(b.grad_fn)})
    e = err(lambda: x.exp().sin().detach_().sum().backward())
    return {**flags, "a_after_write": T(a_after), "error": e}


@case
def grad_modes():
    x = leaf([1., 2., 3.])
    with torch.no_grad():
        ng = (x * 2).requires_grad
        with torch.enable_grad():
            eg = (x * 2).requires_grad
    with torch.set_grad_enabled(False):
        sg_off = (x * 2).requires_grad
    with torch.set_grad_enabled(True):
        sg_on = (x * 2).requires_grad
    with torch.inference_mode():
        im = x * 2
        view_of_normal = x.view(3)
    im_flags = [im.requires_grad, im.is_inference()]
    inference_views = [view_of_normal.is_inference(), im.view(3).is_inference()]
    # 2.x's wording (saved_variable.cpp); 1.13 says "... backward. To work around you can make a clone ..."
    saved_error = ("Inference tensors cannot be saved for backward. Please do not use Tensors created in "
                   "inference mode in computation tracked by autograd. To work around this, you can make a "
                   "clone to get a normal tensor and use it in autograd.")
    assert err(lambda: im * x).startswith("Inference tensors cannot be saved for backward.")
    inplace_error = err(lambda: im.add_(1))
    with torch.inference_mode(False):
        im_off = (x * 2).requires_grad
    return {"no_grad": ng, "enable_inside_no_grad": eg, "set_off": sg_off, "set_on": sg_on,
            "inference": im_flags, "inference_false": im_off, "after": (x * 2).requires_grad,
            "inference_views": inference_views, "saved_error": saved_error, "inplace_error": inplace_error,
            "add_ok": name((im + x).grad_fn)}


@case
def version_errors():
    out = {}
    x = leaf([1., 2., 3.])
    y = x.exp()
    y.add_(1)
    out["output_saved"] = err(lambda: y.sum().backward())
    x = leaf([1., 2., 3.])
    a = x * 2
    b = a.sin()
    a.mul_(2)
    out["input_saved"] = err(lambda: b.sum().backward())
    x, w = leaf([1., 2., 3.]), torch.ones(3)
    b = x * w
    w.mul_(x)
    out["leaf_then_rebased"] = err(lambda: b.sum().backward())
    x = leaf([1., 2., 3.])
    b = x.sin()
    with torch.no_grad():
        x.add_(1)
    out["leaf_saved"] = err(lambda: b.sum().backward())
    x = leaf([[1., 2., 3.], [4., 5., 6.]], dtype=torch.float64)
    y = x.exp()
    y[0, 0] = 2.
    out["view_write_2d"] = err(lambda: y.sum().backward())
    # an in-place op on a tensor nothing saved is fine
    x = leaf([1., 2., 3.])
    y = x * 2
    y.add_(1)
    y.sum().backward()
    out["unsaved_ok"] = T(x.grad)
    t = torch.ones(2)
    v0 = t._version
    t.add_(1)
    t.mul_(2)
    out["versions"] = [v0, t._version]
    return out


@case
def inplace_leaf():
    x = leaf([1., 2., 3.])
    out = {
        "leaf": err(lambda: x.add_(1)),
        "view_of_leaf": err(lambda: x.view(3).mul_(2)),
        "slice_of_leaf": err(lambda: x[0:2].zero_()),
        "unchanged": T(x),
    }
    with torch.no_grad():
        x.mul_(2)
    out["no_grad_ok"] = T(x)
    out["still_leaf"] = x.is_leaf
    return out


@case
def inplace_view():
    lf = leaf([1., 2., 3., 4.])
    a = lf.clone()
    v = a.view(2, 2)
    v.mul_(2)
    names = {"base": name(a.grad_fn), "view": name(v.grad_fn), "base_chain": chain(a.grad_fn)}
    (a * torch.tensor([1., 2., 3., 4.])).sum().backward()
    g_view = lf.grad.clone()
    lf.grad = None
    a = lf.clone()
    s = a[1:3]
    s.mul_(lf[0:2])
    out = {**names, "view_grad": T(g_view), "slice_value": T(a), "slice_chain": chain(a.grad_fn),
           "slice_view_fn": name(s.grad_fn)}
    (a * torch.tensor([1., 2., 3., 4.])).sum().backward()
    out["slice_grad"] = T(lf.grad)
    lf.grad = None
    # the view's own gradient reads its region of the rebased base
    a = lf.clone()
    s = a[1:3]
    s.mul_(3)
    (s * torch.tensor([1., 10.])).sum().backward()
    out["view_output_grad"] = T(lf.grad)
    return out


@case
def next_functions():
    x, y, w = leaf([1., 2., 3.]), leaf([4., 5., 6.]), torch.tensor([7., 8., 9.])
    b = (x * 2 + y) * w
    m = torch.mm(x.view(1, 3), y.view(3, 1)).mean()
    return {"mul_add": chain(b.grad_fn), "mm_mean": chain(m.grad_fn),
            "leaf_grad_fn": name(x.grad_fn),
            "names": [name(t.grad_fn) for t in
                      [x + y, x - y, x * y, x / y, x.sum(), x.mean(), x.exp(), x.pow(2), x.view(3, 1), x.t(),
                       x.unsqueeze(0), x.relu(), x.sigmoid(), x.tanh(), x.neg(), x.clone(), x.expand(2, 3),
                       x[1:], x[0], x.reshape(3, 1), torch.cat([x, y]), torch.stack([x, y])]]}


@case
def autograd_backward():
    x, y = leaf([1., 2., 3.]), leaf([4., 5., 6.])
    p, q = x * y, x + y
    torch.autograd.backward([p, q], [torch.tensor([1., 2., 3.]), torch.tensor([10., 10., 10.])])
    gx, gy = x.grad.clone(), y.grad.clone()
    outs = torch.autograd.grad([(x * y).sum(), (x * x).sum()], [x, y])
    (gg,) = torch.autograd.grad(x * y, x, grad_outputs=torch.tensor([1., 0., 2.]))
    return {"x": T(gx), "y": T(gy), "grad_multi": [T(o) for o in outs], "grad_outputs": T(gg)}


@case
def dtype_and_shape():
    # float32 leaf combined with a float64 one: each gradient has its own leaf's dtype
    a = leaf([1., 2.], dtype=torch.float32)
    b = leaf([3., 4.], dtype=torch.float64)
    (a * b).sum().backward()
    # a 0-d leaf broadcast against a matrix, and a [3,1] against [1,3]
    s = leaf(3.)
    m = leaf([[1.], [2.], [3.]])
    n = leaf([[1., 2., 3.]])
    (s * m * n).sum().backward()
    return {"a": T(a.grad), "b": T(b.grad), "s": T(s.grad), "m": T(m.grad), "n": T(n.grad)}


@case
def double_backward_inplace():
    # second derivatives through in-place ops whose formulas read self's old value (mul_, renorm_,
    # div_): PyTorch saves original_self as a clone with its history
    x, y = leaf([1.5, -2., 0.5], dtype=torch.float64), leaf([0.3, 1.2, -0.7], dtype=torch.float64)
    a = x * 1
    a.mul_(y)
    a.div_(y + 2)
    (gx, gy) = torch.autograd.grad((a * a).sum(), [x, y], create_graph=True)
    (hx, hy) = torch.autograd.grad((gx * gy).sum(), [x, y])
    m = leaf([[1.5, -2.], [0.5, 0.1]], dtype=torch.float64)
    r = (m * 1).renorm_(2, 0, 1.0)
    (gm,) = torch.autograd.grad((r * r * r).sum(), m, create_graph=True)
    (hm,) = torch.autograd.grad(gm.sum(), m)
    return {"gx": T(gx), "gy": T(gy), "hx": T(hx), "hy": T(hy), "gm": T(gm), "hm": T(hm)}


def main():
    write_cases(OUT, "tools/gen_golden_engine.py", CASES)


if __name__ == "__main__":
    main()
