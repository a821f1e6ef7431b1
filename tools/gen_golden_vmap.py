#!/usr/bin/env python3
"""Golden data for vmap's batching rules (test/vmap.test.ts), from PyTorch 2.x:

    /work/.venv-torch/bin/python tools/gen_golden_vmap.py

Each case draws its inputs (seeded by the case's name), runs one vmapped program and records the
inputs and the result; test/vmap.test.ts runs the same program on the same inputs, batched, and
also once per sample. The fallback case records PyTorch's warning.
"""
import os
import sys
import warnings

import torch
import torch.nn.functional as F
from torch.func import grad, hessian, vjp, vmap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tree as enc, write_cases  # noqa: E402

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
cases = {}


def vcase(*shapes, ints=None):
    """A case whose inputs are randn tensors of `shapes` (int64 in [0, high) where `ints` maps an
    input's position to its high), seeded by the case's name."""
    def deco(fn):
        torch.manual_seed(sum(map(ord, fn.__name__)))
        xs = [torch.randint(ints[i], s) if ints and i in ints else torch.randn(*s) for i, s in enumerate(shapes)]
        cases[fn.__name__] = {"inputs": enc(xs), "out": enc(fn(*xs))}
        return fn
    return deco


@vcase((3, 4), (4,))
def binary_broadcast(x, y):
    return vmap(lambda a, b: a * b + 2, in_dims=(0, None))(x, y)


@vcase((4, 3), (3, 2, 4))
def binary_in_dims(x, y):
    return vmap(lambda a, b: a - b, in_dims=(1, 0))(x, y)


@vcase((3, 4), (3,))
def scalar_promotion(x, s):
    return vmap(lambda a, c: (a * c, c.exp() + 1, a.div(c).sub(0.5, alpha=2)))(x, s.double())


@vcase((4, 3), (4,))
def masks_bounds(x, lo):
    return (vmap(lambda a: a.clamp(min=lo, max=lo + 1), in_dims=1)(x), vmap(lambda a: torch.where(a > 0, a, lo.double()), in_dims=1)(x),
            vmap(lambda a: a.masked_fill(a < 0, 0.5), in_dims=1)(x), vmap(lambda a: a.where(a > 0, torch.zeros(())))(x))


@vcase((3, 5))
def activations(x):
    return vmap(lambda a: (F.relu(a), F.gelu(a), torch.sigmoid(a), a.tanh(), F.softmax(a, -1), F.log_softmax(a, 0)))(x)


@vcase((2, 3, 4))
def reductions(x):
    return vmap(lambda a: (a.sum(), a.sum(0), a.mean(-1, keepdim=True), a.amax(0), a.max(1).values, a.max(1).indices,
                           a.argmax(), a.max(), a.logsumexp(1), a.min(0).values))(x)


def views(a):
    return (a.contiguous().view(-1), a.reshape(4, 3), a.unsqueeze(1), a[None].squeeze(), a.transpose(0, 1), a.permute(1, 0), a.flatten(),
            a.t(), a.expand(2, 3, 4), a[1], a[:, 1:3], a[..., None], a.select(1, 2), a.narrow(0, 1, 2))


@vcase((2, 3, 4))
def views_dim0(x):
    return vmap(views)(x)


@vcase((3, 2, 4))
def views_dim1(x):
    return vmap(views, in_dims=1)(x)


@vcase((2, 3, 4), (4, 5))
def mm_left(a, m):
    return vmap(torch.mm, in_dims=(0, None))(a, m)


@vcase((3, 4), (2, 4, 5))
def mm_right(p, n):
    return vmap(torch.mm, in_dims=(None, 0))(p, n)


@vcase((2, 3, 4), (2, 4, 5))
def mm_both(a, n):
    return vmap(torch.mm)(a, n)


@vcase((2, 4), (4, 5), (3, 4), (2, 4), (6, 4, 5))
def matmul_1d(v, m, m2, v2, t):
    return (vmap(torch.matmul, in_dims=(0, None))(v, m), vmap(torch.matmul, in_dims=(None, 0))(m2, v),
            vmap(torch.matmul)(v, v2), vmap(torch.dot)(v, v2), vmap(torch.matmul, in_dims=(0, None))(v, t))


@vcase((3, 5), (2, 3, 4), (4, 5))
def addmm(b, a, m):
    return vmap(lambda b, m1, m2: torch.addmm(b, m1, m2, beta=0.5, alpha=2), in_dims=(None, 0, None))(b, a, m)


@vcase((2, 3, 4), (5, 4), (5,), (2, 5, 4), (2, 5), (3, 4))
def linear(x, w, b, ws, bs, x2):
    return (vmap(F.linear, in_dims=(0, None, None))(x, w, b), vmap(F.linear, in_dims=(None, 0, 0))(x2, ws, bs),
            vmap(F.linear)(x, ws, bs), vmap(F.linear)(x[:, 0], ws))


@vcase((2, 1, 3, 6, 6), (4, 3, 3, 3), (4,), (2, 4, 3, 3, 3), (2, 4))
def conv2d(x, w, b, ws, bs):
    return (vmap(F.conv2d, in_dims=(0, None, None))(x, w, b), vmap(F.conv2d, in_dims=(0, None, None))(x[:, 0], w, b),
            vmap(F.conv2d, in_dims=(None, 0, 0))(x[0], ws, bs), vmap(F.conv2d)(x, ws, bs),
            vmap(F.conv2d)(x[:, 0], ws))


@vcase((2, 1, 4, 7, 7), (2, 6, 2, 3, 3))
def conv2d_groups(x, w):
    return vmap(lambda x, w: F.conv2d(x, w, None, 2, 1, 1, 2))(x, w)


@vcase((2, 1, 3, 8), (2, 4, 3, 3), (2, 4), (4, 3, 3))
def conv1d(x, w, b, w1):
    return (vmap(lambda x, w, b: F.conv1d(x, w, b, padding="same"))(x, w, b), vmap(F.conv1d, in_dims=(0, None))(x, w1))


@vcase((2, 1, 3, 6, 6))
def max_pool2d(x):
    return (vmap(lambda a: F.max_pool2d(a, 2))(x), vmap(lambda a: F.max_pool2d(a, 3, 2, 1))(x[:, 0]),
            vmap(lambda a: F.avg_pool2d(a, 2))(x))


@vcase((3, 4, 5), (3, 4), (5,), (3, 4, 5), ints={1: 5})
def losses(x, t, w, y):
    return (vmap(F.cross_entropy)(x, t), vmap(F.cross_entropy, in_dims=(0, None))(x, t[0]),
            vmap(lambda a, b: F.nll_loss(a.log_softmax(1), b, weight=w.abs(), ignore_index=1))(x, t),
            vmap(lambda a, b: F.nll_loss(a, b, reduction="none"))(x, t), vmap(F.nll_loss)(x[:, 0], t[:, 0]),
            vmap(lambda a, b: (F.mse_loss(a, b), F.mse_loss(a, b, reduction="sum"), F.mse_loss(a, b, reduction="none")))(x, y))


def cnn_loss(p, x, t):
    h = F.conv2d(x.unsqueeze(0), p["conv.weight"], p["conv.bias"])
    h = F.max_pool2d(F.relu(h), 2).flatten(1)
    return F.cross_entropy(F.linear(h, p["fc.weight"], p["fc.bias"]), t.unsqueeze(0))


@vcase((4, 1, 3, 3), (4,), (3, 36), (3,), (5, 1, 8, 8), (5,), ints={5: 3})
def per_sample_grads(cw, cb, fw, fb, x, t):
    p = {"conv.weight": cw, "conv.bias": cb, "fc.weight": fw, "fc.bias": fb}
    return vmap(grad(cnn_loss), in_dims=(None, 0, 0))(p, x, t)


def conv1d_loss(p, x, t):
    h = F.conv1d(x, p["cw"], p["cb"], stride=2, padding=1, dilation=2).relu()
    h = F.conv2d(h[None, None], p["c2"], None, (1, 2), (1, 2)).squeeze(0).squeeze(0)
    return F.mse_loss(F.linear(h, p["fw"], p["fb"]), t)


@vcase((4, 2, 3), (4,), (1, 1, 3, 2), (5, 4), (5,), (6, 2, 9), (6, 4, 5))
def per_sample_grads_conv1d(cw, cb, c2, fw, fb, x, t):
    return vmap(grad(conv1d_loss), in_dims=(None, 0, 0))({"cw": cw, "cb": cb, "c2": c2, "fw": fw, "fb": fb}, x, t)


@vcase((3, 2), (2, 3), (4, 2))
def per_sample_hessian(w1, w2, x):
    loss = lambda w1, w2, x: F.linear(F.linear(x, w1).tanh(), w2).pow(2).sum()
    return vmap(hessian(loss, argnums=(0, 1)), in_dims=(None, None, 0))(w1, w2, x)


@vcase((2, 3, 4), (5, 4, 6), (3, 4), (5, 4, 2))
def nested(a, n, x, w):
    g = grad(lambda x, w: (x @ w).tanh().sum())
    return (vmap(vmap(torch.mm, in_dims=(0, None)), in_dims=(None, 0))(a, n),
            vmap(vmap(lambda u, v: (u * v).softmax(0).sum(0)), in_dims=(0, None))(a, a[0]),
            vmap(vmap(g, in_dims=(0, None)), in_dims=(None, 0))(x, w))


@vcase((3, 4), (3,), (5, 3))
def in_out_dims(x, y, z):
    return (vmap(lambda d: d["a"] * d["b"], in_dims=({"a": 1, "b": None},), out_dims=1)({"a": x, "b": y}),
            vmap(lambda a: (a.sum(), a * 2), out_dims=(0, 1))(x), vmap(lambda a: torch.ones(2), in_dims=1)(x),
            vmap(lambda a: a.softmax(0), chunk_size=2)(z), vmap(lambda a: a.sum(), in_dims=-1)(x))


@vcase((3, 2))
def randomness(x):
    torch.manual_seed(0)
    return (vmap(lambda a: a + torch.rand(2), randomness="different")(x),
            vmap(lambda a: a + torch.randn(2), randomness="same")(x),
            vmap(lambda a: a + torch.randn(()), randomness="different")(x))


@vcase((3,), (4, 3))
def vmap_vjp(x, cts):
    _, fn = vjp(lambda a: a.sin() * a + a.exp().sum(), x)
    return vmap(fn)(cts)


@vcase((3, 6))
def dropout_same(x):
    torch.manual_seed(0)
    return vmap(lambda a: F.dropout(a, 0.5), randomness="same")(x)


@vcase((6, 3))
def dropout_different(x):
    torch.manual_seed(0)
    return vmap(lambda a: F.dropout(a, 0.5), in_dims=1, randomness="different")(x)


@vcase((2, 4, 3), (3,), (2, 3), (2, 3), (2, 4), (5, 3), ints={4: 5})
def norm_embedding(x, w, ws, bs, idx, table):
    ln = lambda w, b, a: F.layer_norm(a, (3,), w, b).pow(2).sum()
    return (vmap(lambda a: F.layer_norm(a, (3,), w, w.cos()))(x), vmap(lambda a, w, b: F.layer_norm(a, (4, 3), None, None, 1e-3) + 0 * w.sum() + b.sum())(x, ws, bs),
            vmap(lambda a, w, b: F.layer_norm(a, (3,), w, b))(x, ws, bs), vmap(grad(ln, argnums=(0, 1)), in_dims=(None, None, 0))(w, w.sin(), x),
            vmap(F.embedding, in_dims=(0, None))(idx, table))


@vcase((2, 4, 3, 5), (3,), (3,), (2, 3), (2, 3))
def batch_norm(x, w, b, rms, rvs):
    rm, rv, rvs = w.sin(), b.exp(), rvs.exp()
    out = (vmap(lambda a: F.batch_norm(a, rm, rv, w, b, False, 0.1, 1e-3))(x), vmap(lambda a: F.batch_norm(a, None, None, w, b, True))(x),
           vmap(lambda a: F.batch_norm(a, None, None, training=True))(x[:, :, :, 0]))
    ms, vs = rms.clone(), rvs.clone()
    y = vmap(lambda a, m, v: F.batch_norm(a, m, v, None, None, True, 0.2))(x, ms, vs)
    try:
        vmap(lambda a: F.batch_norm(a, rm, rv, training=True))(x)
    except RuntimeError as e:
        err = str(e)
    return {"out": out, "batched_stats": [y, ms, vs], "error": err}


@vcase((3, 2, 4, 5), (4,), (3, 4), (3, 4))
def group_instance_norm(x, w, ws, bs):
    return (vmap(lambda a: F.group_norm(a, 2, w, w.cos()))(x), vmap(lambda a, w, b: F.group_norm(a, 4, w, b, 1e-3))(x, ws, bs),
            vmap(F.instance_norm)(x), vmap(lambda a, w, b: F.instance_norm(a, weight=w, bias=b))(x, ws, bs),
            vmap(grad(lambda w, a: F.group_norm(a, 2, w).pow(2).sum()), in_dims=(None, 0))(w, x),
            vmap(grad(lambda a: F.instance_norm(a).sin().sum()))(x))


@vcase((3, 2, 4, 5), (4,), (4,), (3, 4), (3, 4), (3, 4))
def instance_norm_stats(x, rm0, rv0, rms0, rvs0, ws):
    """instance_norm with running statistics: batch_norm over [1, N*C, *] under functorch's
    batch_norm rule (the statistics after each call too: their mean over N is written back)."""
    rv0, rvs0 = rv0.exp(), rvs0.exp()
    stats = lambda: (rm0.clone(), rv0.clone(), rms0.clone(), rvs0.clone())
    rm, rv, rms, rvs = stats()
    ev = vmap(lambda a: F.instance_norm(a, rm, rv, use_input_stats=False, eps=1e-3))(x)
    ev_w = vmap(lambda a, w: F.instance_norm(a, rm, rv, weight=w, bias=w.cos(), use_input_stats=False))(x, ws)
    tr = vmap(lambda a, m, v: F.instance_norm(a, m, v, use_input_stats=True, momentum=0.2))(x, rms, rvs)
    tr_stats = [rms.clone(), rvs.clone()]
    ev_b = vmap(lambda a, m, v: F.instance_norm(a, m, v, use_input_stats=False))(x, rms, rvs)
    un = vmap(lambda m, v: F.instance_norm(x[0], m, v, weight=rm0, momentum=0.3))(rms, rvs)
    mixed = vmap(lambda a, m: F.instance_norm(a, m, rv, use_input_stats=False))(x, rms)
    g = vmap(grad(lambda a: F.instance_norm(a, rm0, rv0, use_input_stats=False).sin().sum()))(x)
    mod = torch.nn.InstanceNorm1d(4, affine=True, track_running_stats=True)
    with torch.no_grad():
        mod.weight.copy_(rm0)
        mod.running_var.copy_(rv0)
    y_mod = vmap(mod.eval())(x)
    errors = []
    for f in (lambda: vmap(lambda a: F.instance_norm(a, rm0.clone(), rv0.clone()))(x),
              lambda: vmap(lambda a, m: F.instance_norm(a, m, rv0.clone()))(x, rms0.clone()),
              lambda: vmap(mod.train())(x)):
        try:
            f()
            errors.append(None)
        except RuntimeError as e:
            errors.append(str(e))
    bm, bv = rms0.clone(), rvs0.clone()
    bn = vmap(lambda a, m, v, w: F.batch_norm(a, m, v, w, w.sin(), True, 0.3))(x, bm, bv, ws)
    return {"eval": [ev, ev_w, rm, rv], "train": [tr, *tr_stats], "eval_batched": [ev_b, rms, rvs], "unbatched_input": un,
            "mixed": [mixed, rms, rv], "grad": g, "module": y_mod, "errors": errors, "batch_norm": [bn, bm, bv]}


@vcase((2, 1, 3, 5), (3, 2, 3), (2,), (2, 3, 2, 3), (2, 2), (2, 1, 2, 4, 4), (2, 2, 3, 3, 3))
def conv_transpose(x, w, b, ws, bs, x2, w2s):
    return (vmap(F.conv_transpose1d, in_dims=(0, None, None))(x, w, b),
            vmap(lambda a, w, b: F.conv_transpose1d(a, w, b, 2, 1, 1))(x, ws, bs),
            vmap(F.conv_transpose1d, in_dims=(0, None))(x[:, 0], w),
            vmap(lambda a, w: F.conv_transpose2d(a, w, None, 2, 1))(x2, w2s),
            vmap(lambda a: F.conv_transpose2d(a, w2s[0], None, 1, 0, 0, 1, 2))(x2),
            vmap(grad(lambda w, a: F.conv_transpose1d(a, w).pow(2).sum()), in_dims=(None, 0))(w, x),
            vmap(grad(lambda a, w: F.conv_transpose1d(a, w, None, 2).sin().sum()))(x, ws))


@vcase((3, 4, 5), (3, 4, 2), (4, 2), (3, 3), (3,), ints={1: 5, 2: 5, 3: 5, 4: 4})
def gather_scatter(x, idx, idx0, sel, sel0):
    uniq = x.argsort(-1)[..., :2]  # distinct indices per row, for scatter's src
    return (vmap(lambda a, i: a.gather(1, i))(x, idx), vmap(lambda a: a.gather(1, idx0))(x), vmap(lambda i: x[0].gather(1, i))(idx),
            vmap(lambda a, i: a.scatter(1, i, 2.0))(x, idx), vmap(lambda a, i: a.scatter_add(1, i, a[:, :2]))(x, idx),
            vmap(lambda a, i: torch.scatter(a, 1, i, a[:, 2:4] * 3))(x, uniq),
            vmap(lambda a: a.index_select(0, sel0))(x), vmap(lambda a, i: a.index_select(1, i))(x, sel),
            vmap(lambda i: x[0].index_select(1, i))(sel),
            vmap(grad(lambda a, i: a.gather(1, i).pow(2).sum()))(x, idx),
            vmap(grad(lambda a, i: a.scatter_add(1, i, a[:, :2].exp()).sin().sum()))(x, idx),
            vmap(grad(lambda a, i: a.index_select(1, i).pow(3).sum()))(x, sel))


@vcase((3, 4, 5))
def sorting(x):
    return (vmap(lambda a: a.sort())(x), vmap(lambda a: a.sort(0, descending=True))(x), vmap(lambda a: torch.sort(a, dim=0, stable=True))(x),
            vmap(lambda a: a.argsort(1))(x), vmap(lambda a: a.topk(2))(x), vmap(lambda a: a.topk(3, 0, largest=False))(x),
            vmap(grad(lambda a: a.sort(0).values.cumsum(0).pow(2).sum()))(x),
            vmap(grad(lambda a: a.topk(2, 1).values.exp().sum()))(x))


@vcase((3, 4, 4), (4,), (3, 4), (3, 4, 2))
def linalg(m, b, bs, b2):
    spd = m @ m.mT + torch.eye(4)
    L = torch.linalg
    return (vmap(L.det)(m), vmap(L.inv)(m), vmap(L.solve)(m, bs), vmap(L.solve, in_dims=(0, None))(m, b),
            vmap(L.solve, in_dims=(None, 0))(m[0], bs), vmap(L.solve)(m, b2), vmap(L.cholesky)(spd),
            vmap(lambda a: L.cholesky(a, upper=True))(spd), vmap(L.slogdet)(m),
            vmap(L.matrix_norm)(m), vmap(lambda a: L.matrix_norm(a, 1))(m), vmap(lambda a: L.matrix_norm(a, float("inf"), keepdim=True))(m),
            vmap(L.vector_norm)(m), vmap(lambda a: L.vector_norm(a, 1, dim=0))(m), vmap(lambda a: L.vector_norm(a, 3, dim=(0, 1), keepdim=True))(m),
            vmap(lambda a: L.vector_norm(a, keepdim=True))(m), vmap(L.vector_norm)(bs[:, 0]),
            vmap(grad(L.det))(m), vmap(grad(lambda a, v: L.solve(a, v).sum(), argnums=(0, 1)))(m, bs),
            vmap(grad(lambda a: L.inv(a).sum()))(m), vmap(grad(lambda a: L.cholesky(a).sum()))(spd),
            vmap(grad(lambda a: L.slogdet(a)[1]))(m), vmap(grad(L.vector_norm))(m), vmap(grad(L.matrix_norm))(m))


@vcase((3, 10))
def fallback(x):
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        out = vmap(lambda a: torch.histc(a, bins=4, min=-2, max=2))(x)
    msg = str(w[0].message)
    return {"out": out, "warning": msg[:msg.index(" (Triggered internally")]}


write_cases(os.path.join(ROOT, "test", "golden", "vmap.json"), "tools/gen_golden_vmap.py", cases)
