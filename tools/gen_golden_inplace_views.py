#!/usr/bin/env python3
"""Golden data for in-place ops on views (test/inplace_views.test.ts), computed by real PyTorch:
the grad_fn a view gets when its base or another view of the base was written in place, the
gradients through such views (chains of views, siblings, expand / transpose / diagonal / narrow),
and PyTorch's errors for the views that may not be written in place (made under no_grad or
inference_mode, outputs of split / chunk / unbind, views a custom Function returned).

    .venv-torch/bin/python tools/gen_golden_inplace_views.py   # writes test/golden/inplace_views.json

Each case is a short program that the TypeScript test repeats line for line (the case names
match). Inputs are written into the JSON too, so the test reads them instead of rebuilding them.

Written for 1.13 first (its notes below); the data are 2.13's, where those cases agree:
  - a view of a view made under no_grad, written in place in grad mode: 1.13 fails an internal
    assert; 2.x (handle_view_on_rebase) says "Output 0 of SliceBackward0 is a view of a view
    which was created in no_grad mode and is being modified inplace ...", built here from 2.x's
    wording;
  - node names in these errors are grad_fn->name() ("SplitBackward0"), as 2.0 to 2.8 print them
    and 1.13 too; later releases print the forward op's name ("Split") instead.
"""

import os
import sys
import warnings

import torch
from torch.autograd import Function

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import case_registry, enc_tensor_or_none as T, error_of as err, node_chain as chain, node_name as name, write_cases  # noqa: E402

warnings.filterwarnings("ignore")

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "inplace_views.json")

CASES, case = case_registry()


def data(shape, k):
    """Distinct float64 values of a shape, the k-th such set (the test reads them from the JSON)."""
    n = 1
    for s in shape:
        n *= s
    return (torch.arange(n, dtype=torch.float64) * 0.37 + k).sin().reshape(shape) + 1.5


def leaf(shape, k):
    return data(shape, k).requires_grad_()


NO_GRAD_HINT = (" Given that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by"
                " moving both the view and the inplace either both inside the no_grad block (if you don't want the"
                " inplace to be tracked) or both outside (if you want the inplace to be tracked).")


# ---- a view's grad_fn after an in-place op on its base or on another view ---------------------

@case
def issue_example():
    # the example of the issue, in float32
    a = torch.ones(4, 4, requires_grad=True)
    b = a * 2
    v = b.select(0, 1)
    vv = v.narrow(0, 1, 2)
    vv.mul_(3)
    out = {"names": [name(b.grad_fn), name(v.grad_fn), name(vv.grad_fn)],
           "v_chain": chain(v.grad_fn), "vv_chain": chain(vv.grad_fn), "v": T(v), "repr": repr(vv)}
    grads = []
    for t in (v, vv, b):
        a.grad = None
        t.sum().backward(retain_graph=True)
        grads.append(T(a.grad))
    out["grads"] = grads
    return out


@case
def chain_of_three():
    # a view of a view of a view written in place; every link then reads the rebased base
    a, w = leaf([3, 4, 5], 0), leaf([3, 3], 1)
    ws = [data([3, 4, 5], 2), data([5, 4, 3], 3), data([5, 3], 4), data([3, 3], 5)]
    b = a.clone()
    v1 = b.transpose(0, 2)
    v2 = v1.select(1, 2)
    v3 = v2.narrow(0, 1, 3)
    v3.mul_(w)
    out = {"inputs": [T(a), T(w)], "weights": [T(x) for x in ws],
           "names": [name(t.grad_fn) for t in (b, v1, v2, v3)], "v1": T(v1)}
    loss = sum((t * x).sum() for t, x in zip((b, v1, v2, v3), ws))
    loss.backward()
    out["grads"] = [T(a.grad), T(w.grad)]
    return out


@case
def base_then_older_views():
    # views taken before an in-place op on their base: transpose, narrow, diagonal, expand
    a = leaf([4, 4], 0)
    b = a.clone()
    n = b.narrow(0, 1, 2)
    t = b.t()
    d = b.diagonal()
    e = b[0].unsqueeze(0).expand(3, 4)
    b.exp_()
    views = (n, t, d, e)
    ws = [data(list(x.shape), 10 + i) for i, x in enumerate(views)]
    out = {"input": T(a), "weights": [T(x) for x in ws], "names": [name(x.grad_fn) for x in views],
           "n_chain": chain(n.grad_fn), "values": [T(x) for x in views]}
    sum((x * wx).sum() for x, wx in zip(views, ws)).backward()
    out["grad"] = T(a.grad)
    return out


@case
def sibling_view():
    # in place on one view, then a sibling view of the same base (a row, then a column)
    a, w = leaf([4, 4], 0), leaf([4], 1)
    b = a.clone()
    r0 = b[0]
    c1 = b[:, 1]
    before = name(c1.grad_fn)
    r0.mul_(w)
    wc, wr = data([4], 2), data([4], 3)
    out = {"inputs": [T(a), T(w)], "weights": [T(wc), T(wr)], "before": before,
           "names": [name(b.grad_fn), name(r0.grad_fn), name(c1.grad_fn)], "c1": T(c1),
           "b_chain": chain(b.grad_fn)}
    (c1 * wc).sum().backward(retain_graph=True)
    out["c1_grads"] = [T(a.grad), T(w.grad)]
    a.grad = w.grad = None
    (r0 * wr).sum().backward()
    out["r0_grads"] = [T(a.grad), T(w.grad)]
    return out


@case
def transpose_and_diagonal_written():
    # in place through a transposed view and through a diagonal
    a, w = leaf([2, 3], 0), leaf([3, 2], 1)
    b = a.clone()
    t = b.t()
    t.add_(w * w)
    wb, wt = data([2, 3], 2), data([3, 2], 3)
    out = {"inputs": [T(a), T(w)], "weights": [T(wb), T(wt)], "names": [name(b.grad_fn), name(t.grad_fn)], "b": T(b)}
    ((b * wb).sum() + (t * wt).sum()).backward()
    out["grads"] = [T(a.grad), T(w.grad)]
    c, u = leaf([3, 3], 4), leaf([3], 5)
    m = c.clone()
    d = m.diagonal()
    d.mul_(u)
    dd = m.diagonal(1)
    wm, wd = data([3, 3], 6), data([2], 7)
    out.update({"diag_inputs": [T(c), T(u)], "diag_weights": [T(wm), T(wd)],
                "diag_names": [name(m.grad_fn), name(d.grad_fn), name(dd.grad_fn)], "m": T(m)})
    ((m * wm).sum() + (dd * wd).sum()).backward()
    out["diag_grads"] = [T(c.grad), T(u.grad)]
    return out


@case
def written_under_no_grad():
    # a view made in grad mode, written under no_grad: its grad_fn is rebuilt, the base's is not
    a = leaf([4], 0)
    b = a * 2
    v = b[0:2]
    with torch.no_grad():
        v.mul_(3)
    out = {"input": T(a), "names": [name(b.grad_fn), name(v.grad_fn)], "v_chain": chain(v.grad_fn)}
    v.sum().backward()
    out["grad"] = T(a.grad)
    # a leaf written under no_grad: an older view of it reads the new values
    w = leaf([4], 1)
    lv = w[0:2]
    with torch.no_grad():
        w.mul_(2)
    out["leaf_view"] = [name(lv.grad_fn), chain(lv.grad_fn)]
    (lv * lv).sum().backward()
    out["leaf_grad"] = T(w.grad)
    return out


@case
def hard_cases():
    # variable.h's Note: a base that does not require grad, written through a view or as a whole
    var = leaf([2], 0)
    base = torch.zeros(4, dtype=torch.float64)
    base[1:3].copy_(var)
    (g1,) = torch.autograd.grad((base * data([4], 1)).sum(), var)
    var2 = leaf([4], 2)
    base2 = torch.zeros(4, dtype=torch.float64)
    view = base2[1:3]
    base2.copy_(var2 * 1)
    req = view.requires_grad
    (g2,) = torch.autograd.grad((view * data([2], 3)).sum(), var2)
    # the C++ in-place check reads the raw grad_fn: a view not yet refreshed counts as a leaf
    base3 = torch.zeros(3, dtype=torch.float64)
    v3 = base3[1:]
    base3.copy_(var2[0:3] * 1)
    e = err(lambda: v3.mul_(2))
    v3.mul(2)  # reads grad_fn: refreshed, no longer a leaf
    v3.mul_(2)
    return {"inputs": [T(var), T(var2)], "weights": [T(data([4], 1)), T(data([2], 3))],
            "copied_into_view": T(g1), "view_requires_grad": req, "view_name": name(view.grad_fn),
            "base_copied": T(g2), "stale_leaf_error": e, "v3": T(v3), "v3_name": name(v3.grad_fn)}


@case
def saved_view_version():
    a = torch.ones(4, requires_grad=True) * 1
    v = a[0:2]
    z = v * v
    a.mul_(2)
    return {"error": err(lambda: z.sum().backward())}


@case
def retain_grad_moves():
    x = leaf([3], 0)
    y = x * 2
    y.retain_grad()
    y.mul_(3)
    y.sum().backward()
    out = {"nonview": T(y.grad)}
    x = leaf([4], 1)
    b = x * 2
    v = b[0:2]
    v.retain_grad()
    b.mul_(2)
    v.sum().backward()
    out.update({"view": T(v.grad), "view_x": T(x.grad)})
    x = leaf([4], 2)
    b = x * 1
    b.retain_grad()
    b[0:2].mul_(2)
    (b * data([4], 3)).sum().backward()
    out.update({"base": T(b.grad), "base_x": T(x.grad), "weight": T(data([4], 3))})
    return out


# ---- views that may not be written in place ---------------------------------------------------

def snapshot(*ts):
    return [[T(t), t._version] for t in ts]


@case
def no_grad_views():
    w = leaf([3], 0)
    with torch.no_grad():
        nv = w[0:2]
    out = {"flags": [nv.requires_grad, nv.is_leaf, nv.grad_fn is None],
           "zero": err(lambda: nv.zero_()), "mul": err(lambda: nv.mul_(2)), "after": snapshot(w, nv)}
    y = nv * 2
    out["use"] = [y.requires_grad, chain(y.grad_fn)]
    y.sum().backward()
    out["use_grads"] = [w.grad is None, nv.grad is None]
    # a non-leaf base: direct error, then the base written: the view's grad_fn is refused
    b = w * 1
    with torch.no_grad():
        nv = b[0:2]
    out["nonleaf"] = err(lambda: nv.mul_(2))
    b.mul_(2)
    out["indirect"] = [err(lambda: nv.grad_fn), err(lambda: nv * 1)]
    # a view of it made in grad mode: 2.x names the view's node (1.13 fails an internal assert)
    b = w * 1
    with torch.no_grad():
        nv = b[0:2]
    v2 = nv[0:1]
    out["view_of_view"] = [name(v2.grad_fn), v2.requires_grad]
    out["view_of_view_error"] = (f"Output 0 of {name(v2.grad_fn)} is a view of a view which was created in no_grad mode"
                                 " and is being modified inplace with grad mode enabled." + NO_GRAD_HINT)
    # a base that does not require grad: only a write that would be tracked is refused
    base = torch.zeros(3, dtype=torch.float64)
    with torch.no_grad():
        nv = base[0:2]
    out["copy"] = err(lambda: nv.copy_(w[0:2]))
    out["copy_after"] = snapshot(base)
    nv.mul_(2)
    out["untracked_ok"] = [nv.requires_grad, name(nv.grad_fn)]
    # made and written under no_grad: reading its grad_fn afterwards is refused
    b = w * 2
    with torch.no_grad():
        v = b[0:2]
        v.mul_(3)
    out["written_under_no_grad"] = err(lambda: v.grad_fn)
    # the base starts requiring grad later
    base = torch.zeros(3, dtype=torch.float64)
    with torch.no_grad():
        nv = base[0:2]
    gv = base[1:3]
    base.requires_grad_()
    out["late"] = [nv.requires_grad, err(lambda: nv.mul_(2)), err(lambda: gv.mul_(2))]
    return out


@case
def inference_mode_views():
    x = leaf([3], 0) * 1
    with torch.inference_mode():
        iv = x[0:2]
    out = {"flags": [iv.is_inference(), iv.requires_grad], "direct": err(lambda: iv.mul_(2)), "after": snapshot(x)}
    x.mul_(2)
    out["indirect"] = err(lambda: iv.grad_fn)
    return out


@case
def multi_output_views():
    lf = leaf([4, 2], 0)
    out = {"input": T(lf)}
    makers = {"split": lambda t: t.split(2), "chunk": lambda t: t.chunk(2), "unbind": lambda t: t.unbind(),
              "split_with_sizes": lambda t: t.split([1, 3])}
    for key, make in makers.items():
        a = lf * 1
        outs = make(a)
        rec = {"names": [name(o.grad_fn) for o in outs], "direct": err(lambda: outs[1].mul_(2)),
               "after": snapshot(a, outs[1])}
        q = outs[0][0:1]
        rec["view_of_output"] = err(lambda: q.add_(1))
        # used out of place, they are ordinary views
        ws = [data(list(o.shape), 5 + i) for i, o in enumerate(outs)]
        lf.grad = None
        sum((o * x).sum() for o, x in zip(outs, ws)).backward()
        rec["weights"] = [T(x) for x in ws]
        rec["grad"] = T(lf.grad)
        # the base written: reading an output's grad_fn is refused, also when written under no_grad
        a.mul_(2)
        rec["indirect"] = [err(lambda: outs[0].grad_fn), err(lambda: outs[0].sum())]
        a = lf * 1
        outs = make(a)
        with torch.no_grad():
            a.mul_(2)
        rec["indirect_no_grad"] = err(lambda: outs[0].grad_fn)
        out[key] = rec
    a = lf * 1
    with torch.no_grad():
        p, _ = a.split(2)
    out["made_under_no_grad"] = err(lambda: p.mul_(2))
    p, _ = torch.ones(4, dtype=torch.float64).split(2)
    p.mul_(2)
    out["no_grad_needed"] = T(p)
    return out


class ViewOf(Function):
    @staticmethod
    def forward(ctx, x):
        return x[0:2]

    @staticmethod
    def backward(ctx, g):
        r = g.new_zeros(4)
        r[0:2] = g * 10
        return r


class Ident(Function):
    @staticmethod
    def forward(ctx, x):
        return x

    @staticmethod
    def backward(ctx, g):
        return g * 10


class ViewOfTemp(Function):
    @staticmethod
    def forward(ctx, x):
        t = x * 2
        return t[0:2]

    @staticmethod
    def backward(ctx, g):
        r = g.new_zeros(4)
        r[0:2] = g * 2
        return r


class Two(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2, x[1:3]

    @staticmethod
    def backward(ctx, g1, g2):
        r = g1 * 2
        r[1:3] += g2
        return r


@case
def custom_function_views():
    lf = leaf([4], 0)
    out = {"input": T(lf)}
    for F in (ViewOf, Ident, ViewOfTemp):
        a = lf * 1
        o = F.apply(a)
        rec = {"name": name(o.grad_fn), "base_is_input": o._base is a, "direct": err(lambda: o.mul_(2)),
               "after": snapshot(a, o)}
        o0 = o[0]
        rec["view_of_output"] = err(lambda: o0.mul_(2))
        # a clone may be written: gradients go through the custom backward
        c = o.clone()
        c.mul_(3)
        lf.grad = None
        c.sum().backward()
        rec["clone_grad"] = T(lf.grad)
        a.mul_(2)  # the input written: an output viewing it is refused on use
        rec["indirect"] = None if F is ViewOfTemp else err(lambda: o.grad_fn)
        rec["after_input_written"] = name(o.grad_fn) if F is ViewOfTemp else None
        out[F.__name__] = rec
    a = lf * 1
    o1, o2 = Two.apply(a)
    out["Two"] = {"names": [name(o1.grad_fn), name(o2.grad_fn)], "view": err(lambda: o2.mul_(2)),
                  "after": snapshot(a, o2)}
    o1.mul_(2)
    out["Two"]["not_a_view"] = [T(o1), name(o1.grad_fn)]
    a = lf * 1
    with torch.no_grad():
        o = ViewOf.apply(a)
    out["applied_under_no_grad"] = [o.requires_grad, err(lambda: o.mul_(2))]
    o = ViewOf.apply(torch.ones(4, dtype=torch.float64))
    o.mul_(2)
    out["no_grad_needed"] = T(o)
    out["leaf_input"] = err(lambda: ViewOf.apply(lf).mul_(2))
    return out


def main():
    # data(shape, k) is a prefix of data([64], k): the test reads every case's inputs from here
    write_cases(OUT, "tools/gen_golden_inplace_views.py", CASES, data=[T(data([64], k)) for k in range(16)])


if __name__ == "__main__":
    main()
