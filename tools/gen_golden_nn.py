#!/usr/bin/python3
"""Golden data for torch.nn (src/nn; test/nn_*.test.ts), computed by real PyTorch on CPU.

    /work/.venv-torch/bin/python tools/gen_golden_nn.py

writes
  test/golden/nn_functional.json  activations and losses: values, grad_fn names and gradients
                                  (float32 and float64), in-place variants, error messages
  test/golden/nn_modules.json     default initialisation of every layer after manual_seed, the
                                  nn.init functions, reprs, state_dict / named_* names,
                                  load_state_dict errors, forward passes of seeded models,
                                  dropout masks, embedding, gradient clipping

Values are lossless: floats as JSON numbers (the float64 repr of a float32 value is exact),
"nan"/"inf"/"-inf" for non-finite ones, int64 as numbers. Large parameter tensors are stored as
the crc32 of their raw float32 bytes plus their first values, since the TypeScript side must
reproduce them bit for bit anyway.

Data are seeded per case (crc32 of the case name), so adding a case changes no other.
"""

import json
import math
import os
import sys
import warnings
from collections import OrderedDict

import torch
import torch.nn as nn
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import crc, dname, enc_num, enc_tensor as T, gen, uniform  # noqa: E402

warnings.filterwarnings("ignore")  # PyTorch's deprecation and broadcasting warnings

HERE = os.path.dirname(os.path.abspath(__file__))
OUT_F = os.path.join(HERE, "..", "test", "golden", "nn_functional.json")
OUT_M = os.path.join(HERE, "..", "test", "golden", "nn_modules.json")


def rnd(name, shape, dtype, lo=-3.0, hi=3.0):
    return uniform(name, shape, dtype, lo, hi)


# ---------------------------------------------------------------------------------------------
# activations

ACTS = [
    # (case name, F function, kwargs, extra tensor args maker, inplace supported)
    ("relu", "relu", {}, True),
    ("relu6", "relu6", {}, True),
    ("leaky_relu", "leaky_relu", {"negative_slope": 0.2}, True),
    ("leaky_relu_default", "leaky_relu", {}, True),
    ("elu", "elu", {"alpha": 1.5}, True),
    ("elu_default", "elu", {}, True),
    ("selu", "selu", {}, True),
    ("celu", "celu", {"alpha": 0.7}, True),
    ("gelu", "gelu", {}, False),
    ("gelu_tanh", "gelu", {"approximate": "tanh"}, False),
    ("silu", "silu", {}, True),
    ("mish", "mish", {}, True),
    ("sigmoid", "sigmoid", {}, False),
    ("tanh", "tanh", {}, False),
    ("hardtanh", "hardtanh", {"min_val": -0.5, "max_val": 1.5}, True),
    ("hardtanh_default", "hardtanh", {}, True),
    ("hardswish", "hardswish", {}, True),
    ("hardsigmoid", "hardsigmoid", {}, True),
    ("softplus", "softplus", {}, False),
    ("softplus_beta", "softplus", {"beta": 2.0, "threshold": 3.0}, False),
    ("softsign", "softsign", {}, False),
    ("logsigmoid", "logsigmoid", {}, False),
    ("tanhshrink", "tanhshrink", {}, False),
    ("threshold", "threshold", {"threshold": 0.1, "value": 20.0}, True),
    ("softmax", "softmax", {"dim": 1}, False),
    ("softmax_dim0", "softmax", {"dim": 0}, False),
    ("log_softmax", "log_softmax", {"dim": 1}, False),
    ("softmin", "softmin", {"dim": 1}, False),
]


def act_call(fn, x, kwargs, inplace=False):
    f = getattr(F, fn)
    kw = dict(kwargs)
    if fn == "threshold":
        return f(x, kw["threshold"], kw["value"], inplace=inplace) if inplace else f(x, kw["threshold"], kw["value"])
    if inplace:
        kw["inplace"] = True
    return f(x, **kw)


def activation_cases():
    cases = []
    for name, fn, kwargs, has_inplace in ACTS:
        for dt in (torch.float32, torch.float64):
            cname = f"{name}_{dname(dt)}"
            x = rnd(cname, (4, 5), dt, -4.0, 4.0)
            # a few values in the tails, where the stable formulas matter
            x[0, 0] = 25.0
            x[0, 1] = -25.0
            w = rnd(cname + "/w", (4, 5), dt, -1.0, 1.0)
            xl = x.clone().requires_grad_(True)
            y = act_call(fn, xl, kwargs)
            (g,) = torch.autograd.grad(y, xl, w)
            case = {"name": cname, "fn": fn, "kwargs": kwargs, "x": T(x), "out": T(y), "grad_fn": type(y.grad_fn).__name__,
                    "w": T(w), "grad": T(g)}
            if has_inplace:
                xi = x.clone().requires_grad_(True)
                z = xi * 1  # a non-leaf, so the in-place op is allowed
                yi = act_call(fn, z, kwargs, inplace=True)
                name_i = type(yi.grad_fn).__name__
                (gi,) = torch.autograd.grad(yi, xi, w)
                case["inplace"] = {"out": T(yi), "grad_fn": name_i, "grad": T(gi)}
            cases.append(case)
    # prelu: a single weight and one per channel
    for dt in (torch.float32, torch.float64):
        for nw in (1, 5):
            cname = f"prelu_{nw}_{dname(dt)}"
            x = rnd(cname, (3, 5, 2), dt, -2.0, 2.0)
            wt = rnd(cname + "/weight", (nw,), dt, 0.05, 0.5)
            w = rnd(cname + "/w", (3, 5, 2), dt, -1.0, 1.0)
            xl = x.clone().requires_grad_(True)
            wl = wt.clone().requires_grad_(True)
            y = F.prelu(xl, wl)
            gx, gw = torch.autograd.grad(y, (xl, wl), w)
            cases.append({"name": cname, "fn": "prelu", "kwargs": {}, "x": T(x), "weight": T(wt), "out": T(y),
                          "grad_fn": type(y.grad_fn).__name__,
                          "w": T(w), "grad": T(gx), "grad_weight": T(gw)})
    return cases


# ---------------------------------------------------------------------------------------------
# losses

def loss_case(name, fn, inputs, diff, kwargs=None, kwtensors=None, gradcheck=True):
    """inputs: list of tensors (float64 or float32 or int64), diff: which need gradients."""
    kwargs = dict(kwargs or {})
    kwt = dict(kwtensors or {})
    leaves = [t.clone().requires_grad_(d) for t, d in zip(inputs, diff)]
    out = getattr(F, fn)(*leaves, **kwargs, **kwt)
    case = {"name": name, "fn": fn, "inputs": [T(t) for t in inputs], "diff": diff, "kwargs": kwargs,
            "kwtensors": {k: T(v) for k, v in kwt.items()}, "out": T(out),
            "grad_fn": type(out.grad_fn).__name__ if out.grad_fn is not None else None,
            "gradcheck": gradcheck}
    w = rnd(name + "/w", out.shape, out.dtype, -1.0, 1.0) if out.dim() > 0 else torch.tensor(0.7, dtype=out.dtype)
    wrt = [l for l, d in zip(leaves, diff) if d]
    grads = torch.autograd.grad(out, wrt, w, allow_unused=True)
    it = iter(grads)
    case["w"] = T(w)
    case["grads"] = [T(next(it)) if d else None for d in diff]
    return case


def loss_error(name, fn, inputs, kwargs=None, kwtensors=None):
    try:
        getattr(F, fn)(*inputs, **(kwargs or {}), **(kwtensors or {}))
    except Exception as e:  # noqa: BLE001 - recording PyTorch's message
        return {"name": name, "fn": fn, "inputs": [T(t) for t in inputs], "kwargs": kwargs or {},
                "kwtensors": {k: T(v) for k, v in (kwtensors or {}).items()}, "error": str(e)}
    raise AssertionError(f"{name}: no error")


def loss_cases():
    cases = []
    R = ["mean", "sum", "none"]
    for dt in (torch.float64, torch.float32):
        d = dname(dt)
        for r in R:
            x = rnd(f"x/{d}/{r}", (3, 4), dt)
            y = rnd(f"y/{d}/{r}", (3, 4), dt)
            cases.append(loss_case(f"mse_{r}_{d}", "mse_loss", [x, y], [True, True], {"reduction": r}))
            cases.append(loss_case(f"l1_{r}_{d}", "l1_loss", [x, y], [True, True], {"reduction": r}))
            cases.append(loss_case(f"smooth_l1_{r}_{d}", "smooth_l1_loss", [x, y], [True, True], {"reduction": r}))
            cases.append(loss_case(f"smooth_l1_beta_{r}_{d}", "smooth_l1_loss", [x, y], [True, True], {"reduction": r, "beta": 2.5}))
            # (beta=0 is l1_loss: F.smooth_l1_loss's `if beta == 0.0: return l1_loss(...)`)
            cases.append(loss_case(f"smooth_l1_beta0_{r}_{d}", "smooth_l1_loss", [x, y], [True, True], {"reduction": r, "beta": 0.0}))
            cases.append(loss_case(f"huber_{r}_{d}", "huber_loss", [x, y], [True, True], {"reduction": r}))
            cases.append(loss_case(f"huber_delta_{r}_{d}", "huber_loss", [x, y], [True, True], {"reduction": r, "delta": 2.5}))
            # classification: logits [N, C], targets, weights
            logits = rnd(f"logits/{d}/{r}", (5, 4), dt)
            tgt = torch.tensor([0, 3, 1, 1, 2])
            wts = rnd(f"cw/{d}/{r}", (4,), dt, 0.2, 2.0)
            cases.append(loss_case(f"ce_{r}_{d}", "cross_entropy", [logits, tgt], [True, False], {"reduction": r}))
            cases.append(loss_case(f"ce_weight_{r}_{d}", "cross_entropy", [logits, tgt], [True, False], {"reduction": r}, {"weight": wts}))
            tgt_ign = torch.tensor([0, -100, 1, 3, -100])
            cases.append(loss_case(f"ce_ignore_{r}_{d}", "cross_entropy", [logits, tgt_ign], [True, False], {"reduction": r}))
            tgt_ign2 = torch.tensor([0, 2, 1, 2, 3])
            cases.append(loss_case(f"ce_ignore_index_{r}_{d}", "cross_entropy", [logits, tgt_ign2], [True, False], {"reduction": r, "ignore_index": 2}, {"weight": wts}))
            cases.append(loss_case(f"ce_smooth_{r}_{d}", "cross_entropy", [logits, tgt], [True, False], {"reduction": r, "label_smoothing": 0.1}))
            cases.append(loss_case(f"ce_smooth_weight_ignore_{r}_{d}", "cross_entropy", [logits, tgt_ign], [True, False],
                                   {"reduction": r, "label_smoothing": 0.25}, {"weight": wts}))
            probs = torch.softmax(rnd(f"probs/{d}/{r}", (5, 4), dt), 1)
            cases.append(loss_case(f"ce_probs_{r}_{d}", "cross_entropy", [logits, probs], [True, True], {"reduction": r}))
            cases.append(loss_case(f"ce_probs_smooth_weight_{r}_{d}", "cross_entropy", [logits, probs], [True, True],
                                   {"reduction": r, "label_smoothing": 0.2}, {"weight": wts}))
            # K-dim: [N, C, d1] and [N, C, d1, d2]
            l3 = rnd(f"l3/{d}/{r}", (2, 4, 3), dt)
            t3 = torch.tensor([[0, 3, 1], [2, 2, -100]])
            cases.append(loss_case(f"ce_3d_{r}_{d}", "cross_entropy", [l3, t3], [True, False], {"reduction": r}, {"weight": wts}))
            l4 = rnd(f"l4/{d}/{r}", (2, 4, 2, 3), dt)
            t4 = torch.tensor([[[0, 3, 1], [2, 2, 1]], [[3, 0, 1], [1, 1, 2]]])
            cases.append(loss_case(f"ce_4d_{r}_{d}", "cross_entropy", [l4, t4], [True, False], {"reduction": r}))
            cases.append(loss_case(f"ce_4d_smooth_{r}_{d}", "cross_entropy", [l4, t4], [True, False], {"reduction": r, "label_smoothing": 0.3}, {"weight": wts}))
            l1d = rnd(f"l1d/{d}/{r}", (4,), dt)
            cases.append(loss_case(f"ce_unbatched_{r}_{d}", "cross_entropy", [l1d, torch.tensor(2)], [True, False], {"reduction": r}))
            logp = torch.log_softmax(logits, 1)
            cases.append(loss_case(f"nll_{r}_{d}", "nll_loss", [logp, tgt], [True, False], {"reduction": r}))
            cases.append(loss_case(f"nll_weight_ignore_{r}_{d}", "nll_loss", [logp, tgt_ign], [True, False], {"reduction": r}, {"weight": wts}))
            cases.append(loss_case(f"nll_3d_{r}_{d}", "nll_loss", [l3, t3], [True, False], {"reduction": r}))
            # binary
            p = rnd(f"p/{d}/{r}", (3, 4), dt, 0.05, 0.95)
            yb = (rnd(f"yb/{d}/{r}", (3, 4), dt, 0.0, 1.0) > 0.5).to(dt)
            ysoft = rnd(f"ys/{d}/{r}", (3, 4), dt, 0.0, 1.0)
            bw = rnd(f"bw/{d}/{r}", (4,), dt, 0.2, 2.0)
            cases.append(loss_case(f"bce_{r}_{d}", "binary_cross_entropy", [p, yb], [True, False], {"reduction": r}))
            cases.append(loss_case(f"bce_soft_{r}_{d}", "binary_cross_entropy", [p, ysoft], [True, True], {"reduction": r}))
            cases.append(loss_case(f"bce_weight_{r}_{d}", "binary_cross_entropy", [p, ysoft], [True, True], {"reduction": r}, {"weight": bw}))
            pe = torch.tensor([0.0, 1.0, 0.5, 1e-30], dtype=dt)
            ye = torch.tensor([1.0, 0.0, 1.0, 1.0], dtype=dt)
            cases.append(loss_case(f"bce_clamp_{r}_{d}", "binary_cross_entropy", [pe, ye], [True, False], {"reduction": r}, gradcheck=False))
            z = rnd(f"z/{d}/{r}", (3, 4), dt, -5.0, 5.0)
            z[0, 0] = 40.0
            z[0, 1] = -40.0
            pw = rnd(f"pw/{d}/{r}", (4,), dt, 0.5, 3.0)
            cases.append(loss_case(f"bce_logits_{r}_{d}", "binary_cross_entropy_with_logits", [z, ysoft], [True, True], {"reduction": r}))
            cases.append(loss_case(f"bce_logits_pos_{r}_{d}", "binary_cross_entropy_with_logits", [z, ysoft], [True, True], {"reduction": r}, {"pos_weight": pw}))
            cases.append(loss_case(f"bce_logits_both_{r}_{d}", "binary_cross_entropy_with_logits", [z, yb], [True, True], {"reduction": r},
                                   {"pos_weight": pw, "weight": rnd(f"bw2/{d}/{r}", (3, 4), dt, 0.2, 2.0)}))
            # kl_div: input log-probabilities, target probabilities (or log-probabilities)
            lq = torch.log_softmax(rnd(f"lq/{d}/{r}", (3, 5), dt), 1)
            pt = torch.softmax(rnd(f"pt/{d}/{r}", (3, 5), dt), 1)
            cases.append(loss_case(f"kl_{r}_{d}", "kl_div", [lq, pt], [True, True], {"reduction": r}))
            cases.append(loss_case(f"kl_log_target_{r}_{d}", "kl_div", [lq, pt.log()], [True, True], {"reduction": r, "log_target": True}))
            # pairs
            a = rnd(f"a/{d}/{r}", (4, 3), dt)
            b = rnd(f"b/{d}/{r}", (4, 3), dt)
            ct = torch.tensor([1, -1, 1, -1], dtype=dt)
            cases.append(loss_case(f"cosine_{r}_{d}", "cosine_embedding_loss", [a, b, ct], [True, True, False], {"reduction": r}))
            cases.append(loss_case(f"cosine_margin_{r}_{d}", "cosine_embedding_loss", [a, b, ct], [True, True, False], {"reduction": r, "margin": -0.3}))
            a1 = rnd(f"a1/{d}/{r}", (5,), dt)
            b1 = rnd(f"b1/{d}/{r}", (5,), dt)
            mt = torch.tensor([1, -1, 1, 1, -1], dtype=dt)
            cases.append(loss_case(f"margin_ranking_{r}_{d}", "margin_ranking_loss", [a1, b1, mt], [True, True, False], {"reduction": r, "margin": 0.5}))
        cases.append(loss_case(f"kl_batchmean_{d}", "kl_div", [torch.log_softmax(rnd(f"lqb/{d}", (3, 5), dt), 1), torch.softmax(rnd(f"ptb/{d}", (3, 5), dt), 1)],
                               [True, True], {"reduction": "batchmean"}))
        cases.append(loss_case(f"cosine_0d_{d}", "cosine_embedding_loss", [rnd(f"c0a/{d}", (3,), dt), rnd(f"c0b/{d}", (3,), dt), torch.tensor(-1.0, dtype=dt)],
                               [True, True, False], {"margin": 0.1}))
        # every target ignored: 'mean' is 0/0 = nan, the gradient is zero
        for r in R:
            cases.append(loss_case(f"ce_all_ignored_{r}_{d}", "cross_entropy", [rnd(f"ai/{d}", (3, 4), dt), torch.tensor([-100, -100, -100])],
                                   [True, False], {"reduction": r}, gradcheck=False))
        # broadcasting target (PyTorch warns, then broadcasts)
        cases.append(loss_case(f"mse_broadcast_{d}", "mse_loss", [rnd(f"mb/{d}", (3, 4), dt), rnd(f"mby/{d}", (3, 1), dt)], [True, True]))
    return cases


def loss_errors():
    torch.manual_seed(0)  # the inputs are stored too
    x = torch.randn(3, 5)
    errs = [
        loss_error("ce_batch_mismatch", "cross_entropy", [x, torch.tensor([1, 2, 3, 4])]),
        loss_error("ce_target_oob", "cross_entropy", [x, torch.tensor([1, 5, 0])]),
        loss_error("ce_target_negative", "cross_entropy", [x, torch.tensor([1, -3, 0])]),
        loss_error("ce_float_target", "cross_entropy", [x, torch.tensor([1.0, 2.0, 0.0])]),
        loss_error("nll_weight_size", "nll_loss", [x, torch.tensor([1, 2, 0])], {}, {"weight": torch.ones(4)}),
        loss_error("nll_multi_target", "nll_loss", [x, torch.tensor([[1, 2, 0]])]),
        loss_error("nll_3d_target_size", "nll_loss", [torch.randn(2, 5, 3), torch.tensor([[1, 2], [0, 1]])]),
        loss_error("ce_probs_int", "cross_entropy", [x, torch.ones(3, 5, dtype=torch.long)]),
        loss_error("bce_range", "binary_cross_entropy", [torch.tensor([0.5, 1.5]), torch.tensor([1.0, 0.0])]),
        loss_error("bce_size", "binary_cross_entropy", [torch.rand(3, 1), torch.rand(3)]),
        loss_error("bce_logits_size", "binary_cross_entropy_with_logits", [torch.rand(3, 1), torch.rand(3)]),
        loss_error("mse_bad_reduction", "mse_loss", [x, x], {"reduction": "avg"}),
        loss_error("huber_delta", "huber_loss", [x, x], {"delta": 0.0}),
        loss_error("smooth_l1_beta", "smooth_l1_loss", [x, x], {"beta": -1.0}),
        loss_error("margin_dims", "margin_ranking_loss", [torch.randn(3), torch.randn(3), torch.randn(3, 1)]),
        loss_error("cosine_target_dims", "cosine_embedding_loss", [torch.randn(3, 2), torch.randn(3, 2), torch.ones(3, 1)]),
        loss_error("cosine_input_dims", "cosine_embedding_loss", [torch.randn(3), torch.randn(3), torch.ones(3)]),
        loss_error("ce_smoothing_range", "cross_entropy", [x, torch.tensor([1, 2, 0])], {"label_smoothing": 1.5}),
    ]
    return errs


# ---------------------------------------------------------------------------------------------
# modules: default init, nn.init, reprs, state dicts, load errors, forward passes


def params_json(m, big=2000):
    out = []
    for name, p in m.named_parameters():
        entry = {"name": name, "dtype": dname(p.dtype), "shape": list(p.shape), "requires_grad": p.requires_grad}
        if p.numel() > big:
            entry["crc32"] = crc(p)
            entry["head"] = [float(v) for v in p.detach().reshape(-1)[:8].tolist()]
            entry["sum"] = float(p.detach().double().sum())
        else:
            entry["data"] = [enc_num(v) for v in p.detach().reshape(-1).tolist()]
        out.append(entry)
    return out


LAYERS = OrderedDict([
    ("Linear(4, 3)", lambda: nn.Linear(4, 3)),
    ("Linear(1000, 100)", lambda: nn.Linear(1000, 100)),
    ("Linear(5, 2, bias=False)", lambda: nn.Linear(5, 2, bias=False)),
    ("Linear(3, 4, dtype=float64)", lambda: nn.Linear(3, 4, dtype=torch.float64)),
    ("Linear(7, 0)", lambda: nn.Linear(7, 0)),
    ("Bilinear(3, 4, 2)", lambda: nn.Bilinear(3, 4, 2)),
    ("Bilinear(2, 2, 3, bias=False)", lambda: nn.Bilinear(2, 2, 3, bias=False)),
    ("Embedding(10, 4)", lambda: nn.Embedding(10, 4)),
    ("Embedding(10, 4, padding_idx=2)", lambda: nn.Embedding(10, 4, padding_idx=2)),
    ("Embedding(5, 3, padding_idx=-1)", lambda: nn.Embedding(5, 3, padding_idx=-1)),
    ("PReLU()", lambda: nn.PReLU()),
    ("PReLU(3, init=0.1)", lambda: nn.PReLU(3, init=0.1)),
    ("MLP 1000-100-10", lambda: nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))),
])


def init_layers():
    out = []
    for name, make in LAYERS.items():
        torch.manual_seed(0)
        m = make()
        after = torch.rand(3)  # the generator's position after construction
        out.append({"name": name, "params": params_json(m), "after_rand": T(after)})
    return out


def init_funcs():
    import torch.nn.init as I
    cases = []

    def case(name, shape, fn, dtype=torch.float32, exact=True):
        torch.manual_seed(0)
        t = torch.empty(shape, dtype=dtype)
        fn(t)
        after = torch.rand(2)
        cases.append({"name": name, "shape": list(shape), "dtype": dname(dtype), "exact": exact,
                      "value": T(t), "after_rand": T(after)})

    case("uniform_(-2, 3)", (5, 4), lambda t: I.uniform_(t, -2.0, 3.0))
    case("uniform_ float64", (3, 3), lambda t: I.uniform_(t), torch.float64)
    case("normal_(1, 2) 20", (5, 4), lambda t: I.normal_(t, 1.0, 2.0))
    case("normal_ 16", (4, 4), lambda t: I.normal_(t), exact=False)
    case("normal_ small", (3,), lambda t: I.normal_(t, 0.0, 0.5), exact=False)
    case("normal_ float64", (6,), lambda t: I.normal_(t, 0.0, 1.0), torch.float64, exact=False)
    case("constant_", (2, 3), lambda t: I.constant_(t, 0.3))
    case("ones_", (2, 2), lambda t: I.ones_(t))
    case("zeros_", (2, 2), lambda t: I.zeros_(t))
    case("eye_ 3x5", (3, 5), lambda t: I.eye_(t))
    case("eye_ 4x2", (4, 2), lambda t: I.eye_(t))
    case("dirac_ 3d", (4, 2, 3), lambda t: I.dirac_(t))
    case("dirac_ 4d groups", (4, 2, 3, 3), lambda t: I.dirac_(t, groups=2))
    case("xavier_uniform_ gain 2", (6, 4), lambda t: I.xavier_uniform_(t, gain=2.0))
    case("xavier_uniform_ conv", (4, 3, 2, 2), lambda t: I.xavier_uniform_(t))
    case("xavier_normal_", (20, 30), lambda t: I.xavier_normal_(t), exact=False)
    case("kaiming_uniform_ default", (8, 6), lambda t: I.kaiming_uniform_(t))
    case("kaiming_uniform_ sqrt5", (8, 6), lambda t: I.kaiming_uniform_(t, a=math.sqrt(5)))
    case("kaiming_uniform_ fan_out relu", (8, 6), lambda t: I.kaiming_uniform_(t, mode="fan_out", nonlinearity="relu"))
    case("kaiming_uniform_ leaky 0.1", (5, 7), lambda t: I.kaiming_uniform_(t, a=0.1))
    case("kaiming_normal_", (8, 6), lambda t: I.kaiming_normal_(t), exact=False)
    case("kaiming_normal_ fan_out tanh", (8, 6, 3), lambda t: I.kaiming_normal_(t, mode="fan_out", nonlinearity="tanh"), exact=False)
    case("orthogonal_ 3x5", (3, 5), lambda t: I.orthogonal_(t), exact=False)
    case("orthogonal_ 6x4", (6, 4), lambda t: I.orthogonal_(t), exact=False)
    case("orthogonal_ 4x2x3 gain", (4, 2, 3), lambda t: I.orthogonal_(t, gain=2.0), exact=False)
    case("orthogonal_ float64", (5, 5), lambda t: I.orthogonal_(t), torch.float64, exact=False)
    case("trunc_normal_", (50,), lambda t: I.trunc_normal_(t, mean=0.5, std=2.0, a=-1.0, b=3.0), exact=False)
    case("trunc_normal_ default", (4, 5), lambda t: I.trunc_normal_(t), exact=False)
    case("trunc_normal_ small", (7,), lambda t: I.trunc_normal_(t, a=-0.5, b=1.5), exact=False)
    # [a, b] holding under 30% of the normal: 2.x's rejection sampling of uniform candidates
    case("trunc_normal_ tail", (40,), lambda t: I.trunc_normal_(t, mean=0.0, std=1.0, a=1.5, b=4.0), exact=False)
    case("trunc_normal_ tail float64", (9,), lambda t: I.trunc_normal_(t, mean=1.0, std=0.1, a=-2.0, b=0.9), torch.float64, exact=False)
    case("sparse_", (10, 4), lambda t: I.sparse_(t, 0.3), exact=False)
    gains = []
    for nl, param in [("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                      ("leaky_relu", None), ("leaky_relu", 0.2), ("leaky_relu", math.sqrt(5)), ("selu", None)]:
        gains.append({"nonlinearity": nl, "param": param, "gain": I.calculate_gain(nl, param)})
    fans = []
    for shape in [(3, 4), (8, 3, 5), (16, 3, 3, 3), (2, 0)]:
        fi, fo = I._calculate_fan_in_and_fan_out(torch.empty(shape))
        fans.append({"shape": list(shape), "fan_in": fi, "fan_out": fo})
    errors = []
    for name, f in [("fan 1d", lambda: I.xavier_uniform_(torch.empty(3))),
                    ("kaiming mode", lambda: I.kaiming_uniform_(torch.empty(3, 3), mode="fan_avg")),
                    ("gain unknown", lambda: I.calculate_gain("swish")),
                    ("eye 3d", lambda: I.eye_(torch.empty(2, 2, 2))),
                    ("orthogonal 1d", lambda: I.orthogonal_(torch.empty(3))),
                    ("dirac 2d", lambda: I.dirac_(torch.empty(3, 3)))]:
        try:
            f()
        except Exception as e:  # noqa: BLE001
            errors.append({"name": name, "error": str(e)})
    return cases, gains, fans, errors


# ---- reprs and names ----


class Net(nn.Module):
    """A custom module holding a nested Sequential, a buffer and a shared layer."""

    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 8), nn.Tanh()))
        self.head = nn.Linear(8, 3)
        self.register_buffer("running", torch.zeros(3))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)
        self.dropout = nn.Dropout(0.25)

    def forward(self, x):
        return self.head(self.dropout(self.features(x))) + self.running


class Shared(nn.Module):
    def __init__(self):
        super().__init__()
        self.a = nn.Linear(2, 2)
        self.b = self.a
        self.seq = nn.Sequential(self.a, nn.ReLU())
        self.w = nn.Parameter(torch.ones(2))
        self.v = self.w


class WithLists(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(3, 3) for _ in range(3)] + [nn.Linear(3, 1)])
        self.acts = nn.ModuleDict({"relu": nn.ReLU(), "prelu": nn.PReLU(), "gelu": nn.GELU(approximate="tanh")})
        self.params = nn.ParameterList([nn.Parameter(torch.ones(2, 3)), nn.Parameter(torch.zeros(4, dtype=torch.float64))])
        self.pdict = nn.ParameterDict({"beta": nn.Parameter(torch.ones(3)), "alpha": nn.Parameter(torch.ones(1, 2))})
        self.empty = nn.ModuleList()


ARCHS = OrderedDict([
    ("mlp", lambda: nn.Sequential(nn.Linear(1000, 100), nn.ReLU(), nn.Linear(100, 10))),
    ("named_sequential", lambda: nn.Sequential(OrderedDict([("fc1", nn.Linear(3, 4)), ("act", nn.ReLU(inplace=True)), ("fc2", nn.Linear(4, 2, bias=False))]))),
    ("net", Net),
    ("shared", Shared),
    ("with_lists", WithLists),
    ("losses", lambda: nn.ModuleDict({"ce": nn.CrossEntropyLoss(weight=torch.ones(3)), "bce": nn.BCEWithLogitsLoss(pos_weight=torch.ones(2)),
                                      "mse": nn.MSELoss(), "nll": nn.NLLLoss()})),
])

SINGLE = OrderedDict([
    ("Linear(3, 4, bias=False)", lambda: nn.Linear(3, 4, bias=False)),
    ("Bilinear(2, 3, 4)", lambda: nn.Bilinear(2, 3, 4)),
    ("Identity()", lambda: nn.Identity(54, unused="x")),
    ("Flatten()", lambda: nn.Flatten()),
    ("Flatten(0, 2)", lambda: nn.Flatten(0, 2)),
    ("Unflatten(1, (2, 5))", lambda: nn.Unflatten(1, (2, 5))),
    ("Dropout()", lambda: nn.Dropout()),
    ("Dropout(0.2, inplace=True)", lambda: nn.Dropout(0.2, inplace=True)),
    ("Embedding(10, 3)", lambda: nn.Embedding(10, 3)),
    ("Embedding(10, 3, padding_idx=1, max_norm=1.5, norm_type=1.0, scale_grad_by_freq=True, sparse=True)",
     lambda: nn.Embedding(10, 3, padding_idx=1, max_norm=1.5, norm_type=1.0, scale_grad_by_freq=True, sparse=True)),
    ("ReLU()", lambda: nn.ReLU()),
    ("ReLU(inplace=True)", lambda: nn.ReLU(inplace=True)),
    ("ReLU6()", lambda: nn.ReLU6()),
    ("ReLU6(inplace=True)", lambda: nn.ReLU6(inplace=True)),
    ("LeakyReLU()", lambda: nn.LeakyReLU()),
    ("LeakyReLU(0.2, inplace=True)", lambda: nn.LeakyReLU(0.2, inplace=True)),
    ("PReLU()", lambda: nn.PReLU()),
    ("PReLU(3)", lambda: nn.PReLU(3)),
    ("ELU()", lambda: nn.ELU()),
    ("ELU(alpha=0.5, inplace=True)", lambda: nn.ELU(alpha=0.5, inplace=True)),
    ("SELU()", lambda: nn.SELU()),
    ("SELU(inplace=True)", lambda: nn.SELU(inplace=True)),
    ("CELU(alpha=2.0)", lambda: nn.CELU(alpha=2.0)),
    ("GELU()", lambda: nn.GELU()),
    ("GELU(approximate='tanh')", lambda: nn.GELU(approximate="tanh")),
    ("SiLU()", lambda: nn.SiLU()),
    ("SiLU(inplace=True)", lambda: nn.SiLU(inplace=True)),
    ("Mish()", lambda: nn.Mish()),
    ("Sigmoid()", lambda: nn.Sigmoid()),
    ("Tanh()", lambda: nn.Tanh()),
    ("Hardtanh()", lambda: nn.Hardtanh()),
    ("Hardtanh(-2.0, 2.5, inplace=True)", lambda: nn.Hardtanh(-2.0, 2.5, inplace=True)),
    ("Hardswish()", lambda: nn.Hardswish()),
    ("Hardsigmoid(inplace=True)", lambda: nn.Hardsigmoid(inplace=True)),
    ("Softplus()", lambda: nn.Softplus()),
    ("Softplus(beta=2.0, threshold=10.0)", lambda: nn.Softplus(beta=2.0, threshold=10.0)),
    ("Softsign()", lambda: nn.Softsign()),
    ("Softmax()", lambda: nn.Softmax()),
    ("Softmax(dim=1)", lambda: nn.Softmax(dim=1)),
    ("LogSoftmax(dim=-1)", lambda: nn.LogSoftmax(dim=-1)),
    ("Softmin(dim=0)", lambda: nn.Softmin(dim=0)),
    ("Threshold(0.1, 20.0)", lambda: nn.Threshold(0.1, 20.0)),
    ("LogSigmoid()", lambda: nn.LogSigmoid()),
    ("Tanhshrink()", lambda: nn.Tanhshrink()),
    ("MSELoss()", lambda: nn.MSELoss()),
    ("L1Loss(reduction='sum')", lambda: nn.L1Loss(reduction="sum")),
    ("CrossEntropyLoss()", lambda: nn.CrossEntropyLoss()),
    ("KLDivLoss(reduction='batchmean')", lambda: nn.KLDivLoss(reduction="batchmean")),
    ("HuberLoss()", lambda: nn.HuberLoss()),
    ("SmoothL1Loss()", lambda: nn.SmoothL1Loss()),
    ("NLLLoss()", lambda: nn.NLLLoss()),
    ("BCELoss()", lambda: nn.BCELoss()),
    ("BCEWithLogitsLoss()", lambda: nn.BCEWithLogitsLoss()),
    ("CosineEmbeddingLoss()", lambda: nn.CosineEmbeddingLoss()),
    ("MarginRankingLoss()", lambda: nn.MarginRankingLoss()),
    ("ModuleList()", lambda: nn.ModuleList()),
    ("ModuleList([Linear, Linear, ReLU, Linear])", lambda: nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 2)])),
    ("Sequential()", lambda: nn.Sequential()),
])


def names_of(m):
    return {
        "state_dict": [[k, list(v.shape), dname(v.dtype)] for k, v in m.state_dict().items()],
        "named_parameters": [n for n, _ in m.named_parameters()],
        "named_parameters_nodedup": [n for n, _ in m.named_parameters(remove_duplicate=False)],
        "named_parameters_norecurse": [n for n, _ in m.named_parameters(recurse=False)],
        "named_buffers": [n for n, _ in m.named_buffers()],
        "named_modules": [[n, type(s).__name__] for n, s in m.named_modules()],
        "named_modules_nodedup": [[n, type(s).__name__] for n, s in m.named_modules(remove_duplicate=False)],
        "named_children": [[n, type(s).__name__] for n, s in m.named_children()],
        "num_parameters": len(list(m.parameters())),
        "num_modules": len(list(m.modules())),
    }


def reprs_and_names():
    reprs = []
    names = []
    for name, make in ARCHS.items():
        torch.manual_seed(0)
        m = make()
        reprs.append({"name": name, "repr": repr(m)})
        names.append({"name": name, **names_of(m)})
    for name, make in SINGLE.items():
        reprs.append({"name": name, "repr": repr(make())})
    params = [
        {"name": "param 2x2", "repr": repr(nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]])))},
        {"name": "param float64 no grad", "repr": repr(nn.Parameter(torch.tensor([[1.0, 2.0], [3.0, 4.0]], dtype=torch.float64), requires_grad=False))},
        {"name": "param 0-d", "repr": repr(nn.Parameter(torch.tensor(1.5)))},
        {"name": "param long row", "repr": repr(nn.Parameter(torch.arange(30, dtype=torch.float32) / 7))},
        {"name": "param empty", "repr": repr(nn.Parameter())},
    ]
    return reprs, names, params


def load_errors():
    out = []

    def attempt(name, model_fn, sd_fn, strict=True):
        torch.manual_seed(0)
        m = model_fn()
        sd = sd_fn()
        try:
            r = m.load_state_dict(sd, strict=strict)
            out.append({"name": name, "strict": strict, "result": repr(r),
                        "missing_keys": list(r.missing_keys), "unexpected_keys": list(r.unexpected_keys)})
        except RuntimeError as e:
            out.append({"name": name, "strict": strict, "error": str(e)})

    lin = lambda: nn.Linear(3, 4)  # noqa: E731
    attempt("ok", lin, lambda: {"weight": torch.zeros(4, 3), "bias": torch.zeros(4)})
    attempt("missing", lin, lambda: {"weight": torch.zeros(4, 3)})
    attempt("unexpected", lin, lambda: {"weight": torch.zeros(4, 3), "bias": torch.zeros(4), "extra": torch.zeros(1)})
    attempt("size", lin, lambda: {"weight": torch.zeros(3, 4), "bias": torch.zeros(4)})
    attempt("all three", lin, lambda: {"weight": torch.zeros(3, 3), "foo.bar": torch.zeros(4)})
    attempt("non-strict", lin, lambda: {"weight": torch.zeros(4, 3), "foo": torch.zeros(4)}, strict=False)
    attempt("non-strict size", lin, lambda: {"weight": torch.zeros(2, 3)}, strict=False)
    mlp = lambda: nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 1))  # noqa: E731
    attempt("sequential missing and unexpected", mlp, lambda: {"0.weight": torch.zeros(3, 2), "0.bias": torch.zeros(3), "1.weight": torch.zeros(1, 3), "2.bias": torch.zeros(1)})
    attempt("net buffers", Net, lambda: {k: v for k, v in Net().state_dict().items() if k != "running"})
    attempt("net extra child key", Net, lambda: {**Net().state_dict(), "features.3.weight": torch.zeros(1), "dropout.p": torch.zeros(1)})
    return out


# ---- forward passes of seeded models ----

def forward_cases():
    out = []
    # the tutorial's MLP: manual_seed(0), model, then data, one forward and backward
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3))
    x = torch.randn(5, 4)
    y = torch.randn(5, 3)
    pred = model(x)
    loss = nn.MSELoss()(pred, y)
    loss.backward()
    out.append({"name": "mlp", "x": T(x), "y": T(y), "pred": T(pred), "loss": T(loss), "grad_fn": type(pred.grad_fn).__name__,
                "grads": {n: T(p.grad) for n, p in model.named_parameters()}})
    # Linear on 1-d, 2-d, 3-d inputs, with and without bias
    torch.manual_seed(1)
    lin = nn.Linear(4, 3)
    nob = nn.Linear(4, 3, bias=False)
    for shape in [(4,), (2, 4), (2, 3, 4)]:
        xx = torch.randn(shape, requires_grad=True)
        for name, m in (("bias", lin), ("nobias", nob)):
            yy = m(xx)
            w = torch.randn(yy.shape)
            gx, gw = torch.autograd.grad(yy, (xx, m.weight), w)
            c = {"name": f"linear_{name}_{len(shape)}d", "weight": T(m.weight), "bias": T(m.bias) if m.bias is not None else None,
                 "x": T(xx), "out": T(yy), "grad_fn": type(yy.grad_fn).__name__, "w": T(w), "grad_x": T(gx), "grad_weight": T(gw)}
            out.append(c)
    # Bilinear
    torch.manual_seed(2)
    bl = nn.Bilinear(3, 2, 4)
    x1 = torch.randn(5, 3, requires_grad=True)
    x2 = torch.randn(5, 2, requires_grad=True)
    yb = bl(x1, x2)
    w = torch.randn(yb.shape)
    g = torch.autograd.grad(yb, (x1, x2, bl.weight, bl.bias), w)
    out.append({"name": "bilinear", "weight": T(bl.weight), "bias": T(bl.bias), "x1": T(x1), "x2": T(x2), "out": T(yb),
                "grad_fn": type(yb.grad_fn).__name__, "w": T(w), "grads": [T(t) for t in g]})
    return out


def embedding_cases():
    out = []
    idx = torch.tensor([[1, 2, 4, 5], [4, 3, 2, 9]])
    for name, kw in [("plain", {}), ("padding", {"padding_idx": 2}), ("freq", {"scale_grad_by_freq": True}),
                     ("padding_freq", {"padding_idx": 4, "scale_grad_by_freq": True}),
                     ("max_norm", {"max_norm": 1.0}), ("max_norm_p1", {"max_norm": 1.5, "norm_type": 1.0})]:
        torch.manual_seed(3)
        e = nn.Embedding(10, 3, **kw)
        w0 = e.weight.detach().clone()
        y = e(idx)
        g = torch.randn(y.shape)
        (gw,) = torch.autograd.grad(y, e.weight, g)
        out.append({"name": name, "kwargs": kw, "weight_before": T(w0), "weight_after": T(e.weight), "indices": T(idx),
                    "out": T(y), "grad_fn": type(y.grad_fn).__name__, "g": T(g), "grad_weight": T(gw)})
    pre = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    e = nn.Embedding.from_pretrained(pre)
    out.append({"name": "from_pretrained", "repr": repr(e), "requires_grad": e.weight.requires_grad,
                "out": T(e(torch.tensor([1, 0, 1])))})
    errs = []
    for name, f in [("oob", lambda: nn.Embedding(5, 2)(torch.tensor([5]))),
                    ("float idx", lambda: nn.Embedding(5, 2)(torch.tensor([1.0]))),
                    ("padding", lambda: nn.Embedding(5, 2, padding_idx=5))]:
        try:
            f()
        except Exception as ex:  # noqa: BLE001
            errs.append({"name": name, "error": str(ex)})
    return out, errs


def dropout_cases():
    out = []
    for p in (0.3, 0.5, 0.9):
        torch.manual_seed(0)
        x = torch.arange(1, 21, dtype=torch.float32).reshape(4, 5)
        y = F.dropout(x, p=p, training=True)
        out.append({"name": f"F.dropout p={p}", "p": p, "x": T(x), "out": T(y)})
    torch.manual_seed(5)
    d = nn.Dropout(0.4)
    x = torch.randn(3, 6, requires_grad=True)
    y = d(x)
    w = torch.randn(3, 6)
    (gx,) = torch.autograd.grad(y, x, w)
    out.append({"name": "module train", "p": 0.4, "x": T(x), "out": T(y), "grad_fn": type(y.grad_fn).__name__, "w": T(w), "grad": T(gx),
                "after_rand": T(torch.rand(2))})
    torch.manual_seed(0)
    x64 = torch.ones(17, dtype=torch.float64)
    out.append({"name": "float64", "p": 0.25, "x": T(x64), "out": T(F.dropout(x64, 0.25))})
    return out


def clip_cases():
    out = []
    for norm_type in (2.0, 1.0, float("inf"), 3.0):
        for max_norm in (0.5, 100.0):
            g = gen(f"clip/{norm_type}/{max_norm}")
            ps = [torch.nn.Parameter(torch.randn(3, 4, generator=g)), torch.nn.Parameter(torch.randn(5, generator=g))]
            grads = [torch.randn(p.shape, generator=g) for p in ps]
            for p, gr in zip(ps, grads):
                p.grad = gr.clone()
            total = torch.nn.utils.clip_grad_norm_(ps, max_norm, norm_type=norm_type)
            out.append({"name": f"norm {norm_type} max {max_norm}", "norm_type": enc_num(norm_type), "max_norm": max_norm,
                        "grads": [T(gr) for gr in grads], "total": T(total), "clipped": [T(p.grad) for p in ps]})
    ps = [torch.nn.Parameter(torch.zeros(2)), torch.nn.Parameter(torch.zeros(2))]
    ps[0].grad = torch.tensor([1.0, float("nan")])
    ps[1].grad = torch.tensor([1.0, 2.0])
    try:
        torch.nn.utils.clip_grad_norm_(ps, 1.0, error_if_nonfinite=True)
        err = None
    except RuntimeError as e:
        err = str(e)
    g = gen("clip_value")
    grads = [torch.randn(3, 4, generator=g), torch.randn(2, generator=g)]
    ps = [torch.nn.Parameter(torch.zeros(3, 4)), torch.nn.Parameter(torch.zeros(2))]
    for p, gr in zip(ps, grads):
        p.grad = gr.clone()
    torch.nn.utils.clip_grad_value_(ps, 0.5)
    value = {"grads": [T(gr) for gr in grads], "clip_value": 0.5, "clipped": [T(p.grad) for p in ps]}
    return out, err, value


def main():
    functional = {"torch_version": torch.__version__, "activations": activation_cases(), "losses": loss_cases(),
                  "loss_errors": loss_errors()}
    init_cases, gains, fans, init_errors = init_funcs()
    reprs, names, params = reprs_and_names()
    emb, emb_errors = embedding_cases()
    clip, clip_err, clip_value = clip_cases()
    modules = {"torch_version": torch.__version__, "init_layers": init_layers(), "init_funcs": init_cases, "gains": gains,
               "fans": fans, "init_errors": init_errors, "reprs": reprs, "names": names, "param_reprs": params,
               "load": load_errors(), "forward": forward_cases(), "embedding": emb, "embedding_errors": emb_errors,
               "dropout": dropout_cases(), "clip": clip, "clip_nonfinite_error": clip_err, "clip_value": clip_value}
    for path, data in ((OUT_F, functional), (OUT_M, modules)):
        with open(path, "w") as f:
            json.dump(data, f, separators=(",", ":"))
            f.write("\n")
        print(f"wrote {os.path.relpath(path)} ({os.path.getsize(path) // 1024} KiB)")


if __name__ == "__main__":
    main()
