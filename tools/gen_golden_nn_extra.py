#!/usr/bin/python3
"""Golden data for the less common torch.nn layers and functionals (test/nn_extra.test.ts),
computed by real PyTorch on CPU.

    /work/.venv-torch/bin/python tools/gen_golden_nn_extra.py

writes test/golden/nn_extra.json:
  cases    F.* calls: glu, softshrink, hardshrink, rrelu (seeded training draws, eval, in place),
           pairwise_distance, channel_shuffle, embedding_bag, and the hinge, soft-margin,
           multi-label, multi-margin, Poisson, Gaussian and triplet losses under every reduction,
           in float32 and float64, with 0-d, empty and non-contiguous (transposed or narrowed)
           inputs: values, grad_fn names and the gradients for a stored grad_output; for float64,
           whether PyTorch's gradgradcheck passes (the test then runs ours)
  modules  the nn.* layers (GLU, Softshrink, Hardshrink, RReLU, Softmax2d, the loss modules,
           PairwiseDistance, CosineSimilarity, Fold, Unfold, ChannelShuffle, EmbeddingBag):
           forward values and gradients, and seeded default initialisation of EmbeddingBag
  reprs    printed forms
  errors   PyTorch's error messages, for functions and for module constructors and forwards

An argument is stored as {"t": tensor, "view": v, "grad": bool}: the stored tensor is the leaf,
and the function sees it through the view v (None; "t": transpose(-1, -2); "n": narrow(0, 1,
size - 1)), so gradients are those of the stored leaves. Data are seeded per case (crc32 of its
name), so adding a case changes no other.

rrelu's cases keep upper - lower above 1e-6 (below it PyTorch's backward does not multiply by
the noise). An empty batch reduced by multilabel_margin_loss / multi_margin_loss is left
uninitialised by PyTorch; only 'none' is recorded for it.
"""

import json
import os
import sys
import warnings
import zlib

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import dname, enc_num, enc_tensor as T, gen, uniform  # noqa: E402

warnings.filterwarnings("ignore")

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "test", "golden", "nn_extra.json")
DTYPES = (torch.float32, torch.float64)
REDUCTIONS = ("mean", "sum", "none")


def rnd(name, shape, dtype, lo=-3.0, hi=3.0):
    return uniform(name, shape, dtype, lo, hi)


def rint(name, shape, lo, hi):
    return torch.randint(lo, hi, shape, generator=gen(name))


def signs(name, shape, dtype):
    return torch.where(torch.rand(shape, generator=gen(name)) > 0.5, 1.0, -1.0).to(dtype)


class A:
    """A tensor argument: a stored leaf, seen by the function through a view."""

    def __init__(self, base, grad=True, view=None):
        self.base, self.grad, self.view = base, grad and base.dtype.is_floating_point, view

    def make(self):
        self.leaf = self.base.clone().requires_grad_(self.grad)
        return apply_view(self.leaf, self.view)

    def spec(self):
        return {"t": T(self.base), "view": self.view, "grad": self.grad}


def apply_view(t, view):
    if view is None:
        return t
    if view == "t":
        return t.transpose(-1, -2)
    if view == "n":
        return t.narrow(0, 1, t.shape[0] - 1)
    raise ValueError(view)


def viewed(name, shape, dt, view, lo=-3.0, hi=3.0, grad=True):
    """An argument of `shape` as the function sees it, stored as the leaf behind `view`."""
    if view == "t":
        base = rnd(name, tuple(shape[:-2]) + (shape[-1], shape[-2]), dt, lo, hi)
    elif view == "n":
        base = rnd(name, (shape[0] + 1,) + tuple(shape[1:]), dt, lo, hi)
    else:
        base = rnd(name, shape, dt, lo, hi)
    return A(base, grad, view)


DISTANCES = {
    "cosine": lambda x, y: 1.0 - F.cosine_similarity(x, y),
    "l1": lambda x, y: F.pairwise_distance(x, y, p=1.0),
}


def enc_kw(kwargs):
    """Keyword arguments as JSON: tensors as specs, non-finite floats as "inf" / "-inf" / "nan"."""
    return {k: (v.spec() if isinstance(v, A) else enc_num(v) if isinstance(v, float) else v) for k, v in kwargs.items()}


def dec_kw(kwargs):
    out = {}
    for k, v in kwargs.items():
        if isinstance(v, A):
            out[k] = v.make()
        elif k == "distance_function" and isinstance(v, str):
            out[k] = DISTANCES[v]
        elif isinstance(v, list):
            out[k] = tuple(v)
        else:
            out[k] = v
    return out


def run(name, call, args, kwargs, seed):
    tensors = [a.make() if isinstance(a, A) else a for a in args]
    kw = dec_kw(kwargs)
    if seed is not None:
        torch.manual_seed(seed)
    out = call(*tensors, **kw)
    leaves = [a for a in list(args) + list(kwargs.values()) if isinstance(a, A)]
    w = rnd(name + "/w", out.shape, out.dtype, -1.0, 1.0) if out.dim() > 0 else torch.tensor(0.7, dtype=out.dtype)
    wrt = [a.leaf for a in leaves if a.grad]
    grads = list(torch.autograd.grad(out, wrt, w, allow_unused=True)) if wrt and out.requires_grad else [None] * len(wrt)
    it = iter(grads)
    return out, w, [T(g) if g is not None else None for g in (next(it) if a.grad else None for a in leaves)]


def fcase(name, fn, args, kwargs=None, seed=None, gradcheck=True, inplace=False):
    """One F.<fn> call: args are A (tensors) or plain values, kwargs may hold A too."""
    kwargs = dict(kwargs or {})
    call = getattr(F, fn)
    if inplace:
        def call_inplace(x, *rest, **kw):
            z = x * 1  # a non-leaf, so that the in-place op is allowed
            return getattr(F, fn)(z, *rest, inplace=True, **kw)
        call = call_inplace
    out, w, grads = run(name, call, args, kwargs, seed)
    case = {"name": name, "fn": fn, "args": [a.spec() if isinstance(a, A) else a for a in args], "kwargs": enc_kw(kwargs),
            "seed": seed, "inplace": inplace, "out": T(out), "grad_fn": type(out.grad_fn).__name__ if out.grad_fn is not None else None,
            "w": T(w), "grads": grads, "gradcheck": gradcheck}
    if gradcheck and out.dtype == torch.float64 and out.numel() > 0:
        case["gradgradcheck"] = second_order_ok(call, args, kwargs, seed)
    return case


def second_order_ok(call, args, kwargs, seed):
    """Whether PyTorch's gradgradcheck passes for the call (with respect to the differentiable
    leaves): the TypeScript test runs ours where PyTorch's passes."""
    leaves = [a for a in list(args) + list(kwargs.values()) if isinstance(a, A) and a.grad]
    if not leaves:
        return False

    def fn(*ts):
        it = iter(ts)
        sub = lambda a: apply_view(next(it), a.view) if isinstance(a, A) and a.grad else (a.make() if isinstance(a, A) else a)  # noqa: E731
        xs = [sub(a) for a in args]
        kw = {k: sub(v) if isinstance(v, A) else v for k, v in kwargs.items()}
        if seed is not None:
            torch.manual_seed(seed)
        return call(*xs, **dec_kw(kw))
    try:
        return bool(torch.autograd.gradgradcheck(fn, [a.base.clone().requires_grad_(True) for a in leaves]))
    except Exception:  # noqa: BLE001 - PyTorch refuses (no double backward) or disagrees
        return False


def ferror(name, fn, args, kwargs=None):
    kwargs = dict(kwargs or {})
    try:
        getattr(F, fn)(*[a.make() if isinstance(a, A) else a for a in args], **dec_kw(kwargs))
    except Exception as e:  # noqa: BLE001 - recording PyTorch's message
        return {"name": name, "fn": fn, "args": [a.spec() if isinstance(a, A) else a for a in args], "kwargs": enc_kw(kwargs), "error": str(e)}
    raise AssertionError(f"{name}: no error")


# ---------------------------------------------------------------------------------------------
# activations

def activation_cases():
    cases = []
    for dt in DTYPES:
        d = dname(dt)
        for shape, dim, view in (((4, 6), -1, None), ((4, 6), 0, "t"), ((2, 4, 3), 1, None), ((6,), 0, None), ((0, 4), -1, None), ((3, 4), 1, "n")):
            n = f"glu_{'x'.join(map(str, shape))}_{dim}_{view}_{d}"
            cases.append(fcase(n, "glu", [viewed(n, shape, dt, view)], {"dim": dim}))
        for fn in ("softshrink", "hardshrink"):
            for shape, kw, view in (((4, 5), {}, None), ((4, 5), {"lambd": 1.2}, "t"), ((), {"lambd": 0.3}, None), ((0, 3), {}, None),
                                    ((3, 5), {"lambd": 0.0}, "n")):
                n = f"{fn}_{len(shape)}d_{kw.get('lambd')}_{view}_{d}"
                cases.append(fcase(n, fn, [viewed(n, shape, dt, view)], kw))
        # rrelu: evaluation (the mean slope), training (seeded draws), in place
        for kw, view, shape in (({}, None, (4, 5)), ({"lower": 0.05, "upper": 0.6}, "t", (4, 5)), ({"training": True}, None, (4, 5)),
                                ({"training": True, "lower": 0.2, "upper": 0.9}, "t", (5, 3)), ({"training": True}, None, ()),
                                ({"training": True}, None, (0, 3)), ({"training": True}, "n", (6, 7))):
            n = f"rrelu_{'_'.join(f'{k}{v}' for k, v in kw.items())}_{view}_{len(shape)}d_{d}"
            cases.append(fcase(n, "rrelu", [viewed(n, shape, dt, view)], kw, seed=zlib.crc32(n.encode()) % 100000))
        for kw in ({"training": True}, {}):
            n = f"rrelu_inplace_{'train' if kw else 'eval'}_{d}"
            cases.append(fcase(n, "rrelu", [viewed(n, (3, 4), dt, None)], kw, seed=7, inplace=True))
    return cases


# ---------------------------------------------------------------------------------------------
# distances, channel shuffle, embedding_bag

def misc_cases():
    cases = []
    for dt in DTYPES:
        d = dname(dt)
        for s1, s2, kw, view in (((4, 5), (4, 5), {}, None), ((4, 5), (4, 5), {"p": 1.0}, "t"), ((4, 5), (4, 5), {"p": 3.0, "eps": 1e-3}, None),
                                 ((4, 5), (4, 5), {"p": float("inf")}, None), ((4, 5), (5,), {"keepdim": True}, None),
                                 ((5,), (5,), {}, None), ((), (), {}, None), ((0, 5), (0, 5), {}, None), ((2, 3, 4), (2, 3, 4), {"p": 1.5}, "n")):
            n = f"pairwise_{len(s1)}_{len(s2)}_{'_'.join(f'{k}{v}' for k, v in kw.items())}_{view}_{d}"
            cases.append(fcase(n, "pairwise_distance", [viewed(n + "/a", s1, dt, view), viewed(n + "/b", s2, dt, None)], kw))
        for shape, groups, view in (((2, 6, 3), 3, None), ((2, 4, 2, 2), 2, None), ((3, 6, 2), 2, "n"), ((2, 4, 3), 4, None), ((0, 4, 2), 2, None)):
            n = f"channel_shuffle_{'x'.join(map(str, shape))}_{groups}_{view}_{d}"
            cases.append(fcase(n, "channel_shuffle", [viewed(n, shape, dt, view), groups]))
        # embedding_bag: weight [10, 3]
        idx = torch.tensor([1, 2, 4, 5, 4, 3, 2, 9, 0, 4])
        for mode in ("sum", "mean", "max"):
            for kw, offsets in (({}, [0, 4, 4, 7]), ({"padding_idx": 4}, [0, 3, 6]), ({"padding_idx": -6, "include_last_offset": True}, [0, 5, 5, 10]),
                                ({"scale_grad_by_freq": True}, [0, 2, 9]), ({"include_last_offset": True}, [0, 3, 10])):
                if mode == "max" and kw.get("scale_grad_by_freq"):
                    continue
                n = f"embedding_bag_{mode}_{'_'.join(f'{k}{v}' for k, v in kw.items())}_{d}"
                # scale_grad_by_freq is not the derivative of the forward (it is meant not to be), and
                # PyTorch's CPU kernel scales by the wrong counts besides: no gradcheck there
                cases.append(fcase(n, "embedding_bag", [A(idx, False), A(rnd(n, (10, 3), dt))], {"mode": mode, "offsets": A(torch.tensor(offsets), False), **kw},
                                   gradcheck=not kw.get("scale_grad_by_freq")))
            n = f"embedding_bag_2d_{mode}_{d}"
            cases.append(fcase(n, "embedding_bag", [A(idx.view(2, 5), False), A(rnd(n, (10, 3), dt))], {"mode": mode}))
        n = f"embedding_bag_psw_{d}"
        cases.append(fcase(n, "embedding_bag", [A(idx, False), A(rnd(n, (10, 3), dt))],
                           {"mode": "sum", "offsets": A(torch.tensor([0, 6]), False), "per_sample_weights": A(rnd(n + "/psw", (10,), dt))}))
        n = f"embedding_bag_psw_pad_2d_{d}"
        cases.append(fcase(n, "embedding_bag", [A(idx.view(5, 2), False), viewed(n, (10, 3), dt, "t")],
                           {"mode": "sum", "padding_idx": 2, "per_sample_weights": A(rnd(n + "/psw", (5, 2), dt))}))
        n = f"embedding_bag_empty_{d}"
        cases.append(fcase(n, "embedding_bag", [A(torch.tensor([], dtype=torch.long), False), A(rnd(n, (10, 3), dt))], {"offsets": A(torch.tensor([0, 0]), False)}))
    return cases


# ---------------------------------------------------------------------------------------------
# losses

def loss_cases():
    cases = []
    for dt in DTYPES:
        d = dname(dt)
        for r in REDUCTIONS:
            # hinge_embedding_loss: targets ±1 (and one 0: both terms)
            for shape, kw, view in (((4, 5), {}, None), ((4, 5), {"margin": 0.5}, "t"), ((7,), {"margin": 2.0}, None), ((), {}, None), ((0,), {}, None)):
                n = f"hinge_{len(shape)}d_{kw.get('margin')}_{view}_{r}_{d}"
                y = signs(n + "/y", shape, dt)
                if len(shape) == 2:
                    y[0, 0] = 0.0
                cases.append(fcase(n, "hinge_embedding_loss", [viewed(n, shape, dt, view), A(y, False)], {"reduction": r, **kw}))
            # soft_margin_loss: the target broadcasts to the input
            for shape, yshape, view in (((4, 5), (4, 5), None), ((4, 5), (5,), "t"), ((), (), None), ((0, 3), (0, 3), None), ((5, 3), (5, 3), "n")):
                n = f"soft_margin_{len(shape)}d_{len(yshape)}_{view}_{r}_{d}"
                cases.append(fcase(n, "soft_margin_loss", [viewed(n, shape, dt, view), A(signs(n + "/y", yshape, dt), False)], {"reduction": r}))
            # multilabel_soft_margin_loss
            for shape, weighted, view in (((4, 5), False, None), ((4, 5), True, "t"), ((5,), True, None), ((0, 5), False, None)):
                n = f"multilabel_soft_{len(shape)}d_{weighted}_{view}_{r}_{d}"
                kw = {"reduction": r}
                if weighted:
                    kw["weight"] = A(rnd(n + "/weight", (5,), dt, 0.2, 2.0), False)
                y = (torch.rand(shape, generator=gen(n + "/y")) > 0.5).to(dt)
                cases.append(fcase(n, "multilabel_soft_margin_loss", [viewed(n, shape, dt, view), A(y, True)], kw))
            # multilabel_margin_loss: targets listed until the first -1
            tgt = torch.tensor([[3, 0, -1, 1, 1], [1, 2, 4, -1, 0], [-1, 2, 2, 2, 2], [0, 1, 2, 3, 4]])
            for shape, t, view in (((4, 5), tgt, None), ((4, 5), tgt, "t"), ((5,), torch.tensor([4, 1, -1, 0, 0]), None), ((), torch.tensor(0), None),
                                   ((3, 5), tgt[:3], "n")):
                n = f"multilabel_margin_{len(shape)}d_{view}_{r}_{d}"
                cases.append(fcase(n, "multilabel_margin_loss", [viewed(n, shape, dt, view, -1.0, 1.0), A(t, False)], {"reduction": r}))
            # multi_margin_loss
            for shape, t, kw, view in (((4, 5), [0, 3, 1, 4], {}, None), ((4, 5), [2, 2, 0, 1], {"p": 2}, "t"), ((4, 5), [1, 0, 4, 4], {"margin": 0.5, "weighted": True}, None),
                                       ((4, 5), [3, 1, 2, 0], {"p": 2, "margin": 2.0, "weighted": True}, "n"), ((5,), [2], {}, None), ((5,), 3, {"p": 2}, None), ((), 0, {}, None)):
                kw = dict(kw)
                n = f"multi_margin_{len(shape)}d_{'_'.join(f'{k}{v}' for k, v in kw.items())}_{view}_{r}_{d}"
                if kw.pop("weighted", False):
                    kw["weight"] = A(rnd(n + "/weight", (5,), dt, 0.2, 2.0), False)
                cases.append(fcase(n, "multi_margin_loss", [viewed(n, shape, dt, view, -1.0, 1.0), A(torch.tensor(t), False)], {"reduction": r, **kw}))
            # poisson_nll_loss: counts 0..5 (log_input) or positive rates
            for log_input in (True, False):
                for full in (False, True):
                    for view in (None, "t"):
                        n = f"poisson_{log_input}_{full}_{view}_{r}_{d}"
                        x = viewed(n, (4, 5), dt, view, -2.0, 2.0) if log_input else viewed(n, (4, 5), dt, view, 0.1, 4.0)
                        y = rint(n + "/y", (4, 5), 0, 6).to(dt)
                        y[0, 0], y[0, 1] = 0.0, 1.0
                        # the target's gradient meets 0·log(0) under `full` (NaN, as in PyTorch)
                        cases.append(fcase(n, "poisson_nll_loss", [x, A(y, not full)], {"reduction": r, "log_input": log_input, "full": full, "eps": 1e-6}))
            # gaussian_nll_loss: var of the input's shape, one dim short, a trailing 1, a float, broadcast
            for vshape, kw, view in (((4, 5), {}, None), ((4,), {"full": True}, None), ((4, 1), {}, "t"), (None, {}, None),
                                     ((4, 1, 5), {"full": True}, None)):
                ishape = (4, 3, 5) if vshape == (4, 1, 5) else (4, 5)
                n = f"gaussian_{vshape}_{kw.get('full')}_{view}_{r}_{d}"
                var = 0.8 if vshape is None else A(rnd(n + "/var", vshape, dt, 0.1, 2.0))
                cases.append(fcase(n, "gaussian_nll_loss", [viewed(n, ishape, dt, view), viewed(n + "/y", ishape, dt, None), var], {"reduction": r, **kw}))
            n = f"gaussian_clamped_{r}_{d}"
            v = rnd(n + "/var", (3, 4), dt, 0.1, 2.0)
            v[0, 0], v[1, 1] = 1e-9, 0.0
            cases.append(fcase(n, "gaussian_nll_loss", [viewed(n, (3, 4), dt, None), viewed(n + "/y", (3, 4), dt, None), A(v)], {"reduction": r, "eps": 1e-3}, gradcheck=False))
            # triplet losses
            for shape, kw, view in (((4, 5), {}, None), ((4, 5), {"margin": 0.5, "p": 1.0}, "t"), ((4, 5), {"swap": True, "eps": 1e-3}, None),
                                    ((5,), {"margin": 3.0, "p": 3.0}, None), ((3, 2, 4), {"swap": True}, "n")):
                n = f"triplet_{len(shape)}d_{'_'.join(f'{k}{v}' for k, v in kw.items())}_{view}_{r}_{d}"
                args = [viewed(f"{n}/{k}", shape, dt, view, -1.5, 1.5) for k in "apn"]
                cases.append(fcase(n, "triplet_margin_loss", args, {"reduction": r, **kw}))
            for kw in ({}, {"distance_function": "cosine", "margin": 0.5}, {"swap": True, "margin": 2.0}, {"distance_function": "l1", "swap": True}):
                n = f"triplet_distance_{'_'.join(f'{k}{v}' for k, v in kw.items())}_{r}_{d}"
                args = [viewed(f"{n}/{k}", (4, 5), dt, None, -1.5, 1.5) for k in "apn"]
                cases.append(fcase(n, "triplet_margin_with_distance_loss", args, {"reduction": r, **kw}))
        # empty batches: only 'none' (PyTorch leaves the reduced output uninitialised)
        n = f"multilabel_margin_empty_{d}"
        cases.append(fcase(n, "multilabel_margin_loss", [A(rnd(n, (0, 4), dt)), A(torch.zeros(0, 4, dtype=torch.long), False)], {"reduction": "none"}))
        n = f"multi_margin_empty_{d}"
        cases.append(fcase(n, "multi_margin_loss", [A(rnd(n, (0, 4), dt)), A(torch.zeros(0, dtype=torch.long), False)], {"reduction": "none"}))
    return cases


def error_cases():
    torch.manual_seed(0)
    x = A(torch.randn(3, 4))
    e = []
    add = e.append
    add(ferror("glu_odd", "glu", [A(torch.randn(3, 5))]))
    add(ferror("glu_scalar", "glu", [A(torch.tensor(1.0))]))
    add(ferror("glu_dim", "glu", [A(torch.randn(4, 2))], {"dim": 2}))
    add(ferror("glu_long", "glu", [A(torch.tensor([1, 2]))]))
    add(ferror("softshrink_negative", "softshrink", [x], {"lambd": -0.5}))
    add(ferror("softshrink_negative_int", "softshrink", [x], {"lambd": -1.0}))
    add(ferror("softshrink_negative_tiny", "softshrink", [x], {"lambd": -1e-7}))  # printed as C++ %g: -1e-07
    add(ferror("softshrink_long", "softshrink", [A(torch.tensor([1, 2]))]))
    add(ferror("hardshrink_long", "hardshrink", [A(torch.tensor([1, 2]))]))
    add(ferror("rrelu_bounds", "rrelu", [x], {"lower": 0.5, "upper": 0.1}))
    add(ferror("rrelu_long_eval", "rrelu", [A(torch.tensor([1, 2]))]))
    add(ferror("rrelu_long_train", "rrelu", [A(torch.tensor([1, 2]))], {"training": True}))
    add(ferror("pairwise_broadcast", "pairwise_distance", [A(torch.randn(2, 3)), A(torch.randn(4))]))
    add(ferror("channel_shuffle_dims", "channel_shuffle", [A(torch.randn(2, 4)), 2]))
    add(ferror("channel_shuffle_groups0", "channel_shuffle", [A(torch.randn(2, 4, 3)), 0]))
    add(ferror("channel_shuffle_negative", "channel_shuffle", [A(torch.randn(2, 4, 3)), -2]))
    add(ferror("channel_shuffle_divisible", "channel_shuffle", [A(torch.randn(2, 4, 3)), 3]))
    for r in ("avg",):
        for fn, args in (("hinge_embedding_loss", [x, A(torch.ones(3, 4), False)]), ("soft_margin_loss", [x, A(torch.ones(3, 4), False)]),
                         ("multilabel_margin_loss", [x, A(torch.zeros(3, 4, dtype=torch.long), False)]),
                         ("multi_margin_loss", [x, A(torch.zeros(3, dtype=torch.long), False)]),
                         ("triplet_margin_loss", [x, x, x]), ("triplet_margin_with_distance_loss", [x, x, x]),
                         ("poisson_nll_loss", [x, x]), ("multilabel_soft_margin_loss", [x, x]), ("gaussian_nll_loss", [x, x, A(torch.ones(3, 4))])):
            add(ferror(f"{fn}_reduction", fn, args, {"reduction": r}))
    add(ferror("hinge_broadcast", "hinge_embedding_loss", [x, A(torch.ones(2, 4), False)]))
    add(ferror("soft_margin_broadcast", "soft_margin_loss", [x, A(torch.ones(2, 4), False)]))
    add(ferror("soft_margin_grows", "soft_margin_loss", [x, A(torch.ones(1, 3, 4), False)]))
    add(ferror("soft_margin_target_grad", "soft_margin_loss", [x, A(torch.ones(3, 4), True)]))
    add(ferror("multilabel_soft_weight", "multilabel_soft_margin_loss", [x, x], {"weight": A(torch.ones(3), False)}))
    add(ferror("multilabel_margin_target_shape", "multilabel_margin_loss", [x, A(torch.zeros(2, 4, dtype=torch.long), False)]))
    add(ferror("multilabel_margin_target_1d", "multilabel_margin_loss", [A(torch.randn(4)), A(torch.zeros(3, dtype=torch.long), False)]))
    add(ferror("multilabel_margin_input_3d", "multilabel_margin_loss", [A(torch.randn(2, 3, 4)), A(torch.zeros(2, 3, 4, dtype=torch.long), False)]))
    add(ferror("multilabel_margin_input_empty", "multilabel_margin_loss", [A(torch.randn(3, 0)), A(torch.zeros(3, 0, dtype=torch.long), False)]))
    add(ferror("multilabel_margin_range_high", "multilabel_margin_loss", [x, A(torch.tensor([[0, 4, -1, 0]] * 3), False)]))
    add(ferror("multilabel_margin_range_low", "multilabel_margin_loss", [x, A(torch.tensor([[0, -2, -1, 0]] * 3), False)]))
    add(ferror("multilabel_margin_int_target", "multilabel_margin_loss", [x, A(torch.zeros(3, 4, dtype=torch.int32), False)]))
    add(ferror("multi_margin_target_size", "multi_margin_loss", [x, A(torch.tensor([0, 1]), False)]))
    add(ferror("multi_margin_weight_size", "multi_margin_loss", [x, A(torch.tensor([0, 1, 2]), False)], {"weight": A(torch.ones(3), False)}))
    add(ferror("multi_margin_input_3d", "multi_margin_loss", [A(torch.randn(2, 3, 4)), A(torch.zeros(2, dtype=torch.long), False)]))
    add(ferror("multi_margin_range", "multi_margin_loss", [x, A(torch.tensor([0, 1, 4]), False)]))
    add(ferror("multi_margin_range_negative", "multi_margin_loss", [x, A(torch.tensor([0, -1, 2]), False)]))
    add(ferror("multi_margin_p", "multi_margin_loss", [x, A(torch.tensor([0, 1, 2]), False)], {"p": 3}))
    add(ferror("multi_margin_weight_dim", "multi_margin_loss", [x, A(torch.tensor([0, 1, 2]), False)], {"weight": A(torch.ones(2, 2), False)}))
    add(ferror("multi_margin_weight_grad", "multi_margin_loss", [x, A(torch.tensor([0, 1, 2]), False)], {"weight": A(torch.ones(4), True)}))
    add(ferror("multi_margin_int_target", "multi_margin_loss", [x, A(torch.tensor([0, 1, 2], dtype=torch.int32), False)]))
    add(ferror("gaussian_var_size", "gaussian_nll_loss", [x, x, A(torch.ones(3, 2))]))
    add(ferror("gaussian_var_two_dims", "gaussian_nll_loss", [A(torch.randn(3, 4, 2)), A(torch.randn(3, 4, 2)), A(torch.ones(3, 1, 1))]))
    add(ferror("gaussian_var_negative", "gaussian_nll_loss", [x, x, A(-torch.ones(3, 4))]))
    add(ferror("gaussian_var_float_negative", "gaussian_nll_loss", [x, x, -1.0]))
    add(ferror("triplet_dims", "triplet_margin_loss", [x, x, A(torch.randn(4))]))
    add(ferror("triplet_distance_dims", "triplet_margin_with_distance_loss", [x, x, A(torch.randn(4))]))
    add(ferror("triplet_broadcast", "triplet_margin_loss", [x, x, A(torch.randn(2, 4))]))
    # embedding_bag
    w = A(torch.randn(10, 3))
    idx = A(torch.tensor([1, 2, 4, 5, 4, 3, 2, 9]), False)
    off = A(torch.tensor([0, 4]), False)
    add(ferror("bag_offsets_first", "embedding_bag", [idx, w], {"offsets": A(torch.tensor([1, 4]), False)}))
    add(ferror("bag_offsets_last", "embedding_bag", [idx, w], {"offsets": A(torch.tensor([0, 9]), False)}))
    add(ferror("bag_no_offsets", "embedding_bag", [idx, w]))
    add(ferror("bag_2d_offsets", "embedding_bag", [A(torch.tensor([[1, 2], [3, 4]]), False), w], {"offsets": off}))
    add(ferror("bag_3d", "embedding_bag", [A(torch.zeros(2, 2, 2, dtype=torch.long), False), w]))
    add(ferror("bag_offsets_2d", "embedding_bag", [idx, w], {"offsets": A(torch.tensor([[0, 4]]), False)}))
    add(ferror("bag_psw_mean", "embedding_bag", [idx, w], {"offsets": off, "per_sample_weights": A(torch.ones(8), False)}))
    add(ferror("bag_psw_shape", "embedding_bag", [idx, w], {"offsets": off, "mode": "sum", "per_sample_weights": A(torch.ones(7), False)}))
    add(ferror("bag_max_freq", "embedding_bag", [idx, w], {"offsets": off, "mode": "max", "scale_grad_by_freq": True}))
    add(ferror("bag_mode", "embedding_bag", [idx, w], {"offsets": off, "mode": "avg"}))
    add(ferror("bag_float_indices", "embedding_bag", [A(torch.tensor([1.0, 2.0]), False), w], {"offsets": A(torch.tensor([0]), False)}))
    add(ferror("bag_weight_1d", "embedding_bag", [idx, A(torch.randn(10))], {"offsets": off}))
    add(ferror("bag_padding_range", "embedding_bag", [idx, w], {"offsets": off, "padding_idx": 10}))
    add(ferror("bag_index_range_double", "embedding_bag", [A(torch.tensor([1, 2, 10]), False), A(torch.randn(10, 3, dtype=torch.float64))],
               {"offsets": A(torch.tensor([0]), False)}))
    add(ferror("bag_index_range_max", "embedding_bag", [A(torch.tensor([1, 2, -1]), False), w], {"offsets": A(torch.tensor([0]), False), "mode": "max"}))
    add(ferror("bag_index_range_float", "embedding_bag", [A(torch.tensor([1, 2, 10]), False), w], {"offsets": A(torch.tensor([0]), False)}))
    return e


# ---------------------------------------------------------------------------------------------
# modules

def module_spec(cls, args=(), kwargs=None):
    kwargs = dict(kwargs or {})
    return {"module": cls, "args": [a.spec() if isinstance(a, A) else a for a in args], "kwargs": enc_kw(kwargs)}


def build(cls, args, kwargs):
    return getattr(nn, cls)(*[a.make() if isinstance(a, A) else (tuple(a) if isinstance(a, list) else a) for a in args], **dec_kw(kwargs))


def mcase(name, cls, args, kwargs, inputs, train=True, seed=None):
    """A module's forward: values, and gradients for its inputs and then its parameters (in
    named_parameters order)."""
    m = build(cls, args, kwargs)
    m.train(train)
    xs = [a.make() if isinstance(a, A) else a for a in inputs]
    if seed is not None:
        torch.manual_seed(seed)
    out = m(*xs)
    w = rnd(name + "/w", out.shape, out.dtype, -1.0, 1.0) if out.dim() > 0 else torch.tensor(0.7, dtype=out.dtype)
    leaves = [a for a in inputs if isinstance(a, A)]
    params = [p for _, p in m.named_parameters()]
    wrt = [a.leaf for a in leaves if a.grad] + params
    grads = list(torch.autograd.grad(out, wrt, w, allow_unused=True))
    it = iter(grads)
    c = {"name": name, **module_spec(cls, args, kwargs), "train": train, "seed": seed, "inputs": [a.spec() if isinstance(a, A) else a for a in inputs],
         "out": T(out), "grad_fn": type(out.grad_fn).__name__ if out.grad_fn is not None else None, "w": T(w),
         "grads": [T(next(it)) if a.grad else None for a in leaves], "param_grads": [T(next(it)) for _ in params]}
    return c


def module_cases():
    out = []
    for dt in DTYPES:
        d = dname(dt)

        def x(n, shape, lo=-3.0, hi=3.0, view=None):
            return viewed(f"{n}/{len(out)}", shape, dt, view, lo, hi)
        out.append(mcase(f"GLU_{d}", "GLU", [], {"dim": 0}, [x("glu", (4, 3))]))
        out.append(mcase(f"Softshrink_{d}", "Softshrink", [0.7], {}, [x("ss", (3, 4))]))
        out.append(mcase(f"Hardshrink_{d}", "Hardshrink", [], {"lambd": 1.1}, [x("hs", (3, 4), view="t")]))
        out.append(mcase(f"RReLU_train_{d}", "RReLU", [0.1, 0.4], {}, [x("rr", (4, 5))], seed=11))
        out.append(mcase(f"RReLU_eval_{d}", "RReLU", [], {}, [x("rre", (4, 5))], train=False))
        out.append(mcase(f"Softmax2d_4d_{d}", "Softmax2d", [], {}, [x("sm", (2, 3, 2, 2))]))
        out.append(mcase(f"Softmax2d_3d_{d}", "Softmax2d", [], {}, [x("sm3", (3, 2, 2))]))
        out.append(mcase(f"HingeEmbeddingLoss_{d}", "HingeEmbeddingLoss", [], {"margin": 0.5, "reduction": "sum"}, [x("he", (3, 4)), A(signs("hey", (3, 4), dt), False)]))
        out.append(mcase(f"SoftMarginLoss_{d}", "SoftMarginLoss", [], {}, [x("sm", (3, 4)), A(signs("smy", (3, 4), dt), False)]))
        out.append(mcase(f"MultiLabelMarginLoss_{d}", "MultiLabelMarginLoss", [], {"reduction": "none"},
                         [x("mlm", (2, 4), -1.0, 1.0), A(torch.tensor([[3, 0, -1, 1], [1, -1, 0, 0]]), False)]))
        out.append(mcase(f"MultiLabelSoftMarginLoss_{d}", "MultiLabelSoftMarginLoss", [A(rnd("mlsw", (4,), dt, 0.5, 2.0), False)], {},
                         [x("mls", (3, 4)), A((torch.rand(3, 4, generator=gen("mlsy")) > 0.5).to(dt), False)]))
        out.append(mcase(f"MultiMarginLoss_{d}", "MultiMarginLoss", [], {"p": 2, "margin": 0.8, "weight": A(rnd("mmw", (4,), dt, 0.5, 2.0), False)},
                         [x("mm", (3, 4), -1.0, 1.0), A(torch.tensor([0, 3, 1]), False)]))
        out.append(mcase(f"PoissonNLLLoss_{d}", "PoissonNLLLoss", [], {"log_input": False, "full": True},
                         [x("pn", (3, 4), 0.1, 3.0), A(rint("pny", (3, 4), 0, 5).to(dt), False)]))
        out.append(mcase(f"GaussianNLLLoss_{d}", "GaussianNLLLoss", [], {"full": True, "reduction": "none"},
                         [x("gn", (3, 4)), x("gny", (3, 4)), A(rnd("gnv", (3, 1), dt, 0.1, 2.0))]))
        out.append(mcase(f"TripletMarginLoss_{d}", "TripletMarginLoss", [], {"margin": 0.7, "p": 1.0, "swap": True},
                         [x("ta", (3, 4)), x("tp", (3, 4)), x("tn", (3, 4))]))
        out.append(mcase(f"TripletMarginWithDistanceLoss_{d}", "TripletMarginWithDistanceLoss", [], {"reduction": "none"},
                         [x("twa", (3, 4)), x("twp", (3, 4)), x("twn", (3, 4))]))
        out.append(mcase(f"PairwiseDistance_{d}", "PairwiseDistance", [1.0], {"keepdim": True}, [x("pa", (3, 4)), x("pb", (3, 4))]))
        out.append(mcase(f"CosineSimilarity_{d}", "CosineSimilarity", [], {"dim": 0}, [x("ca", (3, 4)), x("cb", (3, 4))]))
        out.append(mcase(f"Unfold_{d}", "Unfold", [[2, 3]], {"padding": 1, "stride": [1, 2]}, [x("uf", (2, 3, 4, 5))]))
        out.append(mcase(f"Fold_{d}", "Fold", [[4, 5], 2], {"dilation": [1, 2]}, [x("fo", (2, 12, 9))]))
        out.append(mcase(f"ChannelShuffle_{d}", "ChannelShuffle", [3], {}, [x("cs", (2, 6, 2))]))
        wbag = A(rnd("ebw", (10, 3), dt))
        out.append(mcase(f"EmbeddingBag_{d}", "EmbeddingBag", [10, 3], {"mode": "sum", "_weight": wbag},
                         [A(torch.tensor([1, 2, 4, 5, 4, 3]), False), A(torch.tensor([0, 2]), False), A(rnd("ebp", (6,), dt))]))
    return out


def repr_cases():
    specs = [
        ("GLU", [], {}), ("GLU", [], {"dim": 1}), ("Softshrink", [], {}), ("Softshrink", [1.5], {}), ("Hardshrink", [], {"lambd": 0.25}),
        ("RReLU", [], {}), ("RReLU", [0.1, 0.3, True], {}), ("Softmax2d", [], {}), ("HingeEmbeddingLoss", [], {"margin": 2.0}),
        ("SoftMarginLoss", [], {}), ("MultiLabelMarginLoss", [], {}), ("MultiLabelSoftMarginLoss", [], {}), ("MultiMarginLoss", [], {"p": 2}),
        ("PoissonNLLLoss", [], {}), ("GaussianNLLLoss", [], {}), ("TripletMarginLoss", [], {"swap": True}), ("TripletMarginWithDistanceLoss", [], {}),
        ("PairwiseDistance", [], {}), ("CosineSimilarity", [], {"dim": 0}), ("Fold", [4, 2], {}), ("Fold", [[4, 5], [2, 3]], {"padding": [1, 0], "stride": 2}),
        ("Unfold", [[2, 3]], {"padding": 1}), ("Unfold", [3], {"dilation": 2, "stride": [1, 2]}), ("ChannelShuffle", [2], {}),
        ("EmbeddingBag", [10, 3], {}), ("EmbeddingBag", [10, 3], {"mode": "max", "padding_idx": 0}),
        ("EmbeddingBag", [10, 3], {"max_norm": 1.0, "norm_type": 1.0, "scale_grad_by_freq": True, "mode": "sum"}),
    ]
    out = []
    for cls, args, kwargs in specs:
        out.append({**module_spec(cls, args, kwargs), "repr": repr(build(cls, args, kwargs))})
    return out


def module_errors():
    e = []

    def err(cls, args, kwargs, inputs=None):
        try:
            m = build(cls, args, kwargs)
            if inputs is not None:
                m(*[a.make() if isinstance(a, A) else a for a in inputs])
            msg = None
        except Exception as ex:  # noqa: BLE001
            msg = str(ex) or type(ex).__name__
        if msg is None:
            raise AssertionError(f"{cls}: no error")
        e.append({**module_spec(cls, args, kwargs), "inputs": [a.spec() for a in inputs] if inputs is not None else None, "error": msg})
    err("MultiMarginLoss", [], {"p": 3})
    err("MultiMarginLoss", [], {"weight": A(torch.ones(2, 2), False)})
    err("TripletMarginLoss", [], {"margin": 0.0})
    err("TripletMarginWithDistanceLoss", [], {"margin": -1.0})
    err("Softmax2d", [], {}, [A(torch.randn(3, 3))])
    err("EmbeddingBag", [10, 3], {"padding_idx": 10})
    err("EmbeddingBag", [10, 3], {"padding_idx": -11})
    err("EmbeddingBag", [10, 3], {"_weight": A(torch.ones(3, 10))})
    err("ChannelShuffle", [4], {}, [A(torch.randn(2, 6, 3))])
    return e


def init_cases():
    """Default initialisation after manual_seed, as nn.Embedding's (normal_, padding row zeroed)."""
    out = []
    for kwargs in ({}, {"padding_idx": 2, "mode": "sum"}):
        torch.manual_seed(5)
        m = nn.EmbeddingBag(6, 4, **kwargs)
        out.append({"seed": 5, "num_embeddings": 6, "embedding_dim": 4, "kwargs": kwargs, "weight": T(m.weight)})
    return out


def main():
    data = {"torch_version": torch.__version__, "cases": activation_cases() + misc_cases() + loss_cases(), "errors": error_cases(),
            "modules": module_cases(), "reprs": repr_cases(), "module_errors": module_errors(), "init": init_cases()}
    with open(OUT, "w") as f:
        json.dump(data, f, separators=(",", ":"))
        f.write("\n")
    n = sum(len(v) for v in data.values() if isinstance(v, list))
    print(f"wrote {os.path.relpath(OUT)} ({os.path.getsize(OUT) // 1024} KiB, {n} cases)")


if __name__ == "__main__":
    main()
