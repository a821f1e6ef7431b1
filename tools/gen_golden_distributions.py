"""Golden data for torch.distributions (src/distributions/): test/golden/distributions.json.

    /work/.venv-torch/bin/python tools/gen_golden_distributions.py

A distribution is given as {family, args, kwargs}: each argument a number, null, or
{"t": tensor, "grad": bool} (a leaf, requiring grad where "grad"). Cases:
  evals:   a distribution and named evaluations (log_prob(value), entropy(), mean, ...): each value,
           and where it requires grad, the gradients of sum(out * w) (w_i = 1 + i/4 over out's flat
           elements) w.r.t. the grad leaves (None: unused);
  samples: torch.manual_seed(seed), then sample/rsample(sample_shape): value, rsample's gradients;
  kl:      kl_divergence(p, q) and its gradients;
  errors:  constructor or method calls that raise: PyTorch's message;
  reprs:   repr(dist), repr(dist.support), batch_shape, event_shape.
"""

import math
import os
import sys

import torch
import torch.distributions as D

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_common import enc_tensor, write_cases, error_of  # noqa: E402

f64, f32, i64 = torch.float64, torch.float32, torch.int64


def T(data, dtype=f64, grad=False):
    return {"t": torch.tensor(data, dtype=dtype), "grad": grad}


def build(spec):
    leaves = []

    def dec(a):
        if isinstance(a, dict) and "t" in a:
            t = a["t"].clone()
            if a["grad"]:
                t.requires_grad_(True)
                leaves.append(t)
            return t
        if isinstance(a, dict) and "dist" in a:
            return build_into(a["dist"], leaves)
        if isinstance(a, dict) and "tr" in a:
            return build_transform(a["tr"], dec)
        if isinstance(a, list):
            return [dec(x) for x in a]
        return a

    def build_into(s, _leaves):
        args = [dec(a) for a in s["args"]]
        kwargs = {k: dec(v) for k, v in s.get("kwargs", {}).items()}
        cls = D
        for part in s["family"].split("."):  # ("relaxed_bernoulli.LogitRelaxedBernoulli": a submodule's)
            cls = getattr(cls, part)
        return cls(*args, **kwargs)

    d = build_into(spec, leaves)
    return d, leaves


def build_transform(spec, dec):
    """A transform from {name, args, kwargs} ("inv": the inverse of the transform in args[0])."""
    args = [dec(a) for a in spec["args"]]
    kwargs = {k: dec(v) for k, v in spec["kwargs"].items()}
    if spec["name"] == "inv":
        return args[0].inv
    if spec["name"] == "identity_transform":
        return D.transforms.identity_transform
    return getattr(D.transforms, spec["name"])(*args, **kwargs)


def tr(name, *args, **kwargs):
    return {"tr": {"name": name, "args": list(args), "kwargs": kwargs}}


def enc_spec(spec):
    def enc(a):
        if isinstance(a, dict) and "t" in a:
            return {"t": enc_tensor(a["t"]), "grad": a["grad"]}
        if isinstance(a, dict) and "dist" in a:
            return {"dist": enc_spec(a["dist"])}
        if isinstance(a, dict) and "tr" in a:
            return {"tr": {"name": a["tr"]["name"], "args": [enc(x) for x in a["tr"]["args"]],
                           "kwargs": {k: enc(v) for k, v in a["tr"]["kwargs"].items()}}}
        if isinstance(a, list):
            return [enc(x) for x in a]
        return a
    return {"family": spec["family"], "args": [enc(a) for a in spec["args"]],
            "kwargs": {k: enc(v) for k, v in spec.get("kwargs", {}).items()}}


def dist(family, *args, **kwargs):
    return {"family": family, "args": list(args), "kwargs": kwargs}


def weights(out):
    n = out.numel()
    return (1 + torch.arange(n, dtype=out.dtype) / 4).reshape(out.shape)


def grads_of(out, leaves):
    if not out.requires_grad or not leaves:
        return None
    gs = torch.autograd.grad((out * weights(out)).sum(), leaves, allow_unused=True)
    return [None if g is None else enc_tensor(g) for g in gs]


def run_eval(d, ev):
    name = ev[0]
    if name in ("log_prob", "cdf", "icdf"):
        return getattr(d, name)(ev[1]["t"].clone())
    if name in ("entropy", "perplexity"):
        return getattr(d, name)()
    if name == "enumerate_support":
        return d.enumerate_support(ev[1])
    if name == "expand_log_prob":  # expand(batch_shape).log_prob(value)
        return d.expand(ev[1]).log_prob(ev[2]["t"].clone())
    return getattr(d, name)  # mean, mode, variance, stddev, probs, logits


def enc_ev(ev):
    return [ev[0]] + [{"t": enc_tensor(a["t"])} if isinstance(a, dict) else a for a in ev[1:]]


cases = {"evals": [], "samples": [], "kl": [], "errors": [], "reprs": [], "transforms": [], "registry": []}


def evals(name, spec, evs):
    out = []
    for ev in evs:
        d, leaves = build(spec)
        r = run_eval(d, ev)
        out.append({"ev": enc_ev(ev), "out": enc_tensor(r), "grads": grads_of(r, leaves)})
    cases["evals"].append({"name": name, "dist": enc_spec(spec), "evals": out})


def samples(name, spec, method, shape, seed=0):
    d, leaves = build(spec)
    torch.manual_seed(seed)
    r = getattr(d, method)(shape)
    cases["samples"].append({"name": name, "dist": enc_spec(spec), "method": method, "sample_shape": list(shape),
                             "seed": seed, "out": enc_tensor(r), "grads": grads_of(r, leaves)})


def kl(name, p, q):
    dp, lp = build(p)
    dq, lq = build(q)
    r = D.kl_divergence(dp, dq)
    cases["kl"].append({"name": name, "p": enc_spec(p), "q": enc_spec(q), "out": enc_tensor(r),
                        "grads": grads_of(r, lp + lq)})


def error(name, spec, call=None):
    """call: None (the constructor raises) or an eval list as in evals."""
    if call is None:
        msg = error_of(lambda: build(spec))
    else:
        d, _ = build(spec)
        msg = error_of(lambda: run_eval(d, call))
    cases["errors"].append({"name": name, "dist": enc_spec(spec), "call": None if call is None else enc_ev(call),
                            "error": msg})


def reprs(name, spec, touch=()):
    d, _ = build(spec)
    for a in touch:  # lazily computed parameters join the repr once computed
        getattr(d, a)
    try:
        sup = repr(d.support)
    except NotImplementedError:
        sup = None
    cases["reprs"].append({"name": name, "dist": enc_spec(spec), "touch": list(touch), "repr": repr(d),
                           "support": sup, "batch_shape": list(d.batch_shape), "event_shape": list(d.event_shape)})


V = lambda data, dtype=f64: ["log_prob", T(data, dtype)]
MOMENTS = [["mean"], ["mode"], ["variance"], ["stddev"]]

# ---------------------------------------------------------------------------------------------
# Normal
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    spec = dist("Normal", T([0.3, -1.2], dt, g), T([0.7, 2.5], dt, g))
    evals(f"normal_{dn}", spec, [V([[0.1, 2.0], [-3.0, 0.5], [1.0, -1.0]], dt), ["cdf", T([0.1, -2.0], dt)],
                                 ["icdf", T([0.2, 0.9], dt)], ["entropy"], ["perplexity"], *MOMENTS,
                                 ["expand_log_prob", [3, 2], T([0.5, 0.25], dt)]])
evals("normal_scalar_args", dist("Normal", 0.0, 1.0), [V([0.5, -1.5]), ["entropy"], ["mean"], ["stddev"]])
evals("normal_broadcast", dist("Normal", T([[0.0], [1.0]], f64, True), T([1.0, 2.0, 0.5], f64, True)),
      [V([0.3, 0.2, -0.1]), ["entropy"], ["cdf", T([[0.3], [-0.2]])]])
evals("normal_mixed_number", dist("Normal", T([0.0, 1.0], f64, True), 2.0), [V([0.3, 0.2]), ["entropy"]])
samples("normal_sample_f32", dist("Normal", T([0.0, 10.0], f32), T([1.0, 0.1], f32)), "sample", (3,))
samples("normal_rsample_f32", dist("Normal", T([0.0, 10.0], f32), T([1.0, 0.1], f32)), "rsample", (20,))
samples("normal_rsample_f64", dist("Normal", T([0.0, 10.0], f64, True), T([1.0, 0.1], f64, True)), "rsample", (4, 2))
samples("normal_sample_scalar", dist("Normal", 1.0, 2.0), "sample", (5,), seed=3)

# Bernoulli
bp = T([0.2, 0.5, 0.9], f64, True)
evals("bernoulli_probs", dist("Bernoulli", bp), [V([1.0, 0.0, 1.0]), V([[0.0], [1.0]]), ["entropy"], ["mean"], ["mode"],
                                                 ["variance"], ["logits"], ["enumerate_support", True],
                                                 ["enumerate_support", False]])
evals("bernoulli_logits", dist("Bernoulli", None, T([-1.0, 0.0, 2.5], f64, True)),
      [V([1.0, 0.0, 1.0]), ["entropy"], ["mean"], ["probs"], ["variance"], ["stddev"]])
evals("bernoulli_kw_logits_f32", dist("Bernoulli", logits=T([-1.0, 0.0, 2.5], f32)), [V([1.0, 0.0, 0.0], f32), ["entropy"]])
samples("bernoulli_sample", dist("Bernoulli", T([0.2, 0.5, 0.9])), "sample", (4,))
samples("bernoulli_sample_f32_logits", dist("Bernoulli", None, T([[-2.0], [3.0]], f32)), "sample", (3,), seed=7)

# Categorical
cp = T([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], f64, True)
cl = T([[1.0, -0.5, 2.0], [0.0, 0.0, 3.0]], f64, True)
cv = ["log_prob", T([[0, 2], [1, 1], [2, 0]], i64)]
evals("categorical_probs", dist("Categorical", cp), [cv, ["entropy"], ["mode"], ["mean"], ["variance"], ["probs"], ["logits"],
                                                     ["enumerate_support", True], ["enumerate_support", False]])
evals("categorical_logits", dist("Categorical", None, cl), [cv, ["entropy"], ["mode"], ["probs"], ["logits"],
                                                            ["log_prob", T([2.0, 0.0])]])
evals("categorical_1d", dist("Categorical", T([1.0, 3.0, 4.0], f64, True)), [["log_prob", T(1, i64)], ["entropy"], ["probs"]])
evals("categorical_zero_prob", dist("Categorical", T([0.0, 0.4, 0.6])), [["entropy"], ["logits"]])
evals("categorical_f32", dist("Categorical", logits=T([[0.5, -0.5, 1.0, 2.0]], f32)), [["log_prob", T([3], i64)], ["entropy"]])
samples("categorical_sample", dist("Categorical", T([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), "sample", (5,))
samples("categorical_sample_2d", dist("Categorical", None, T([0.0, 1.0, 2.0, -1.0], f32)), "sample", (2, 3), seed=11)
# one draw per distribution: multinomial's single draw with replacement (2.x's Gumbel-max path)
samples("categorical_sample_single", dist("Categorical", T([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), "sample", (), seed=5)
samples("onehot_sample_single", dist("OneHotCategorical", None, T([0.3, -1.0, 2.0, 0.5], f32)), "sample", (), seed=6)

# OneHotCategorical
evals("onehot", dist("OneHotCategorical", cp), [["log_prob", T([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]])], ["entropy"], ["mean"],
                                                ["mode"], ["variance"], ["enumerate_support", True]])
samples("onehot_sample", dist("OneHotCategorical", T([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])), "sample", (3,))

# Uniform
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    u = dist("Uniform", T([0.0, -1.0], dt, g), T([2.0, 3.0], dt, g))
    evals(f"uniform_{dn}", u, [V([0.5, 2.9], dt), ["cdf", T([1.5, -0.5], dt)], ["icdf", T([0.25, 0.5], dt)], ["entropy"],
                               ["mean"], ["mode"], ["variance"], ["stddev"]])
    samples(f"uniform_rsample_{dn}", u, "rsample", (3,), seed=5)
evals("uniform_outside_novalidate", dist("Uniform", T([0.0]), T([1.0]), validate_args=False), [V([-0.5, 0.5, 1.0, 2.0])])

# Exponential
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    e = dist("Exponential", T([0.5, 2.0], dt, g))
    evals(f"exponential_{dn}", e, [V([0.3, 1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)],
                                   ["entropy"], *MOMENTS])
    samples(f"exponential_rsample_{dn}", e, "rsample", (3,), seed=2)

# Laplace
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    lp = dist("Laplace", T([0.0, 1.0], dt, g), T([1.0, 0.5], dt, g))
    evals(f"laplace_{dn}", lp, [V([0.3, -1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)],
                                ["entropy"], *MOMENTS])
    samples(f"laplace_rsample_{dn}", lp, "rsample", (3,), seed=4)

# Poisson (log_prob, moments)
evals("poisson", dist("Poisson", T([0.5, 3.0, 0.0], f64, True)), [V([0.0, 2.0, 0.0]), ["mean"], ["mode"], ["variance"]])
evals("poisson_grad", dist("Poisson", T([0.5, 3.0], f64, True)), [V([[1.0, 4.0], [0.0, 3.0]])])

# Binomial
evals("binomial_probs", dist("Binomial", 5, T([0.2, 0.7], f64, True)), [V([0.0, 3.0]), V([[5.0], [2.0]]), ["entropy"], ["mean"],
                                                                        ["mode"], ["variance"], ["logits"],
                                                                        ["enumerate_support", False]])
evals("binomial_logits", dist("Binomial", T([3.0, 10.0]), None, T([-0.5, 1.5], f64, True)),
      [V([1.0, 7.0]), ["mean"], ["variance"], ["probs"]])

# Independent
ind = dist("Independent", {"dist": dist("Normal", T([[0.0, 1.0, 2.0], [0.5, 0.5, 0.5]], f64, True),
                                        T([[1.0, 2.0, 0.5], [1.0, 1.0, 1.0]], f64, True))}, 1)
evals("independent_normal", ind, [V([[0.1, 0.2, 0.3], [0.0, 0.0, 0.0]]), V([0.1, 0.2, 0.3]), ["entropy"], ["mean"],
                                  ["variance"], ["expand_log_prob", [4, 2], T([0.1, 0.2, 0.3])]])
evals("independent_bernoulli_2", dist("Independent", {"dist": dist("Bernoulli", T([[0.2, 0.8], [0.5, 0.4]], f64, True))}, 2),
      [V([[1.0, 0.0], [0.0, 1.0]]), ["entropy"]])
samples("independent_rsample", ind, "rsample", (2,), seed=9)

# ---------------------------------------------------------------------------------------------
# KL
kl("kl_normal", dist("Normal", T([0.0, 1.0], f64, True), T([1.0, 2.0], f64, True)),
   dist("Normal", T([0.5, -1.0], f64, True), T([0.5, 3.0], f64, True)))
kl("kl_normal_f32", dist("Normal", T([0.0, 1.0], f32), T([1.0, 2.0], f32)), dist("Normal", 0.0, 1.0))
kl("kl_bernoulli", dist("Bernoulli", T([0.2, 0.6], f64, True)), dist("Bernoulli", None, T([0.3, -1.0], f64, True)))
kl("kl_bernoulli_edges", dist("Bernoulli", T([0.0, 1.0, 0.5, 0.5, 0.0])), dist("Bernoulli", T([0.5, 0.5, 0.0, 1.0, 0.0])))
kl("kl_categorical", dist("Categorical", cp), dist("Categorical", None, cl))
kl("kl_categorical_zeros", dist("Categorical", T([[0.0, 0.5, 0.5], [0.2, 0.3, 0.5]])),
   dist("Categorical", T([[0.3, 0.3, 0.4], [0.0, 0.5, 0.5]])))
kl("kl_onehot", dist("OneHotCategorical", cp), dist("OneHotCategorical", None, cl))
kl("kl_uniform", dist("Uniform", T([0.0, 0.0, -1.0], f64, True), T([1.0, 2.0, 1.0], f64, True)),
   dist("Uniform", T([-1.0, 0.5, -2.0]), T([2.0, 3.0, 0.5])))
kl("kl_exponential", dist("Exponential", T([0.5, 2.0], f64, True)), dist("Exponential", T([1.5, 0.2], f64, True)))
kl("kl_laplace", dist("Laplace", T([0.0, 1.0], f64, True), T([1.0, 0.5], f64, True)),
   dist("Laplace", T([0.5, -1.0], f64, True), T([2.0, 1.0], f64, True)))
kl("kl_poisson", dist("Poisson", T([0.5, 2.0], f64, True)), dist("Poisson", T([1.5, 0.2], f64, True)))
kl("kl_binomial", dist("Binomial", 5, T([0.2, 0.7], f64, True)), dist("Binomial", T([5.0, 3.0]), T([0.4, 0.5], f64, True)))
kl("kl_independent", ind, dist("Independent", {"dist": dist("Normal", T([[0.0, 0.0, 0.0], [1.0, 1.0, 1.0]]),
                                                             T([[1.0, 2.0, 3.0], [1.0, 0.5, 2.0]], f64, True))}, 1))

# ---------------------------------------------------------------------------------------------
# Errors (validate_args on, the 2.x default)
error("normal_nan_loc", dist("Normal", T([0.0, math.nan]), T([1.0, 1.0])))
error("normal_neg_scale", dist("Normal", 0.0, -1.0))
error("normal_zero_scale_vec", dist("Normal", T([0.0, 1.0, 2.0]), T([1.0, 0.0, 2.0])))
error("normal_value_shape", dist("Normal", T([0.0, 1.0]), T([1.0, 1.0])), V([0.0, 1.0, 2.0]))
error("normal_value_nan", dist("Normal", T([0.0, 1.0]), T([1.0, 1.0])), V([0.0, math.nan]))
error("bernoulli_neither", dist("Bernoulli"))
error("bernoulli_both", dist("Bernoulli", T([0.5]), T([0.0])))
error("bernoulli_probs_range", dist("Bernoulli", T([0.5, 1.5])))
error("bernoulli_value", dist("Bernoulli", T([0.5, 0.5])), V([0.5, 1.0]))
error("categorical_0d", dist("Categorical", T(0.5)))
error("categorical_0d_logits", dist("Categorical", None, T(0.5)))
error("categorical_simplex", dist("Categorical", T([-0.1, 1.1])))
error("categorical_value", dist("Categorical", T([0.2, 0.3, 0.5])), ["log_prob", T([3], i64)])
error("onehot_event_shape", dist("OneHotCategorical", T([0.2, 0.3, 0.5])), V([1.0, 0.0]))
error("onehot_value", dist("OneHotCategorical", T([0.2, 0.3, 0.5])), V([1.0, 1.0, 0.0]))
error("uniform_low_high", dist("Uniform", T([0.0, 2.0]), T([1.0, 1.0])))
error("uniform_value", dist("Uniform", T([0.0]), T([1.0])), V([1.5]))
error("exponential_rate", dist("Exponential", T([1.0, -2.0])))
error("exponential_value", dist("Exponential", 1.0), V([-1.0]))
error("laplace_scale", dist("Laplace", 0.0, T([0.0])))
error("poisson_value", dist("Poisson", T([1.0])), V([1.5]))
error("binomial_count", dist("Binomial", T([2.5]), T([0.5])))
error("binomial_value", dist("Binomial", 3, T([0.5])), V([4.0]))
error("independent_ndims", dist("Independent", {"dist": dist("Normal", T([0.0, 1.0]), T([1.0, 1.0]))}, 2))
error("independent_value", ind, V([[0.1, 0.2], [0.0, 0.0]]))

# ---------------------------------------------------------------------------------------------
# Printed forms
reprs("normal_vec", dist("Normal", T([0.0, 1.0]), T([1.0, 1.0])))
reprs("normal_scalar", dist("Normal", 0.0, 1.0))
reprs("normal_f32_2d", dist("Normal", T([[0.0, 1.0, 2.0]], f32), T([[1.0], [2.0]], f32)))
reprs("bernoulli_probs", dist("Bernoulli", T([0.3, 0.6])))
reprs("bernoulli_probs_touched", dist("Bernoulli", T([0.3, 0.6])), ["logits"])
reprs("bernoulli_logits_scalar", dist("Bernoulli", None, 0.25))
reprs("categorical", dist("Categorical", T([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]])))
reprs("categorical_logits_touched", dist("Categorical", None, T([1.0, 2.0])), ["probs"])
reprs("onehot", dist("OneHotCategorical", T([0.5, 0.5])))
reprs("uniform", dist("Uniform", T([0.0, 1.0]), T([1.0, 3.0])))
reprs("uniform_scalar", dist("Uniform", 0.0, 1.0))
reprs("exponential", dist("Exponential", T([2.0])))
reprs("laplace", dist("Laplace", 0.0, 2.0))
reprs("poisson", dist("Poisson", T([1.0, 2.0])))
reprs("binomial", dist("Binomial", 4, T([0.5, 0.2])))
reprs("binomial_scalar", dist("Binomial", T(3.0), T(0.5)))
reprs("independent", ind)

# ---------------------------------------------------------------------------------------------
# MultivariateNormal (appended after the cases above; kl/errors/reprs lists get these at their ends)
mv_loc = [0.5, -1.0, 2.0]
mv_cov = [[2.0, 0.3, 0.1], [0.3, 1.5, -0.2], [0.1, -0.2, 1.0]]
mv_tril = [[1.5, 0.0, 0.0], [0.4, 0.8, 0.0], [-0.3, 0.2, 1.2]]
mv_val = [[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]]
MV_EVS = [V(mv_val), V([0.4, -0.6, 1.5]), ["entropy"], ["mean"], ["mode"], ["variance"], ["stddev"],
          ["scale_tril"], ["covariance_matrix"], ["precision_matrix"], ["expand_log_prob", [2, 4], T([0.3, 0.3, 0.3])]]
evals("mvn_cov", dist("MultivariateNormal", T(mv_loc, f64, True), covariance_matrix=T(mv_cov, f64, True)), MV_EVS)
evals("mvn_prec", dist("MultivariateNormal", T(mv_loc, f64, True), precision_matrix=T(mv_cov, f64, True)), MV_EVS)
evals("mvn_tril", dist("MultivariateNormal", T(mv_loc, f64, True), scale_tril=T(mv_tril, f64, True)), MV_EVS)
evals("mvn_cov_positional", dist("MultivariateNormal", T([0.0, 1.0], f64, True), T([[1.0, 0.5], [0.5, 2.0]], f64, True)),
      [V([0.2, 0.1]), ["entropy"]])
evals("mvn_f32", dist("MultivariateNormal", T(mv_loc, f32), covariance_matrix=T(mv_cov, f32)),
      [V(mv_val, f32), ["entropy"], ["variance"], ["precision_matrix"], ["scale_tril"]])
# batch broadcasting: loc (2, 3) with one matrix; one loc with matrices (2, 3, 3); loc (2, 1, 3) with (4, 3, 3)
evals("mvn_batch_loc", dist("MultivariateNormal", T([mv_loc, [0.0, 0.0, 0.0]], f64, True), scale_tril=T(mv_tril, f64, True)),
      [V(mv_val), V([[[0.1, 0.2, 0.3]], [[1.0, 2.0, 3.0]], [[0.0, -1.0, 0.5]]]), ["entropy"], ["variance"], ["covariance_matrix"]])
evals("mvn_batch_mat", dist("MultivariateNormal", T(mv_loc, f64, True),
                            covariance_matrix=T([mv_cov, [[1.0, 0.0, 0.0], [0.0, 4.0, 1.0], [0.0, 1.0, 2.0]]], f64, True)),
      [V(mv_val), V([[[0.1, 0.2, 0.3]], [[1.0, 2.0, 3.0]], [[0.0, -1.0, 0.5]]]), ["entropy"], ["variance"], ["precision_matrix"]])
mv_trils4 = [mv_tril, [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]], [[0.5, 0.0, 0.0], [1.0, 2.0, 0.0], [0.3, -0.7, 0.9]],
             [[2.0, 0.0, 0.0], [-0.5, 0.6, 0.0], [0.1, 0.1, 0.4]]]
evals("mvn_batch_both", dist("MultivariateNormal", T([[mv_loc], [[0.0, 1.0, -1.0]]], f64, True), scale_tril=T(mv_trils4, f64, True)),
      [V([[[0.1, 0.2, 0.3], [1.0, 0.0, -1.0], [0.5, 0.5, 0.5], [-2.0, 1.0, 0.0]]]),
       V([[[[0.3, -0.2, 0.1]]], [[[1.0, 1.0, 1.0]]], [[[0.0, 0.0, 0.0]]]]), ["entropy"], ["mean"], ["variance"], ["scale_tril"]])
evals("mvn_novalidate_outside", dist("MultivariateNormal", T([0.0, 0.0]), scale_tril=T([[1.0, 0.0], [0.5, 2.0]]),
                                     validate_args=False), [V([math.nan, 1.0])])
samples("mvn_rsample_f64", dist("MultivariateNormal", T(mv_loc, f64, True), covariance_matrix=T(mv_cov, f64, True)), "rsample", (4,))
samples("mvn_rsample_tril_batch", dist("MultivariateNormal", T([mv_loc, [0.0, 0.0, 0.0]], f64, True),
                                       scale_tril=T(mv_tril, f64, True)), "rsample", (2, 3), seed=3)
samples("mvn_rsample_prec", dist("MultivariateNormal", T(mv_loc, f64, True), precision_matrix=T(mv_cov, f64, True)), "rsample", (2,),
        seed=1)
samples("mvn_sample_f32", dist("MultivariateNormal", T(mv_loc, f32), covariance_matrix=T(mv_cov, f32)), "sample", (5,), seed=7)
samples("mvn_sample_noshape", dist("MultivariateNormal", T(mv_loc, f32), scale_tril=T(mv_tril, f32)), "sample", (), seed=2)
kl("kl_mvn", dist("MultivariateNormal", T(mv_loc, f64, True), covariance_matrix=T(mv_cov, f64, True)),
   dist("MultivariateNormal", T([0.0, 1.0, -1.0], f64, True), scale_tril=T(mv_tril, f64, True)))
kl("kl_mvn_prec", dist("MultivariateNormal", T(mv_loc, f64, True), precision_matrix=T(mv_cov, f64, True)),
   dist("MultivariateNormal", T([0.0, 1.0, -1.0], f64, True), covariance_matrix=T(mv_cov, f64, True)))
kl("kl_mvn_batch", dist("MultivariateNormal", T([mv_loc, [0.0, 0.0, 0.0]], f64, True), scale_tril=T(mv_tril, f64, True)),
   dist("MultivariateNormal", T([[[1.0, 1.0, 1.0]], [[0.0, 1.0, 2.0]]], f64, True), scale_tril=T(mv_trils4[:2], f64, True)))
kl("kl_mvn_f32", dist("MultivariateNormal", T(mv_loc, f32), covariance_matrix=T(mv_cov, f32)),
   dist("MultivariateNormal", T([0.0, 0.0, 0.0], f32), scale_tril=T(mv_tril, f32)))
mv2 = dist("MultivariateNormal", T([0.0, 0.0]), covariance_matrix=T([[1.0, 0.0], [0.0, 1.0]]))
error("mvn_loc_0d", dist("MultivariateNormal", T(0.5), covariance_matrix=T([[1.0]])))
error("mvn_none", dist("MultivariateNormal", T([0.0, 0.0])))
error("mvn_two", dist("MultivariateNormal", T([0.0, 0.0]), covariance_matrix=T([[1.0, 0.0], [0.0, 1.0]]),
                      scale_tril=T([[1.0, 0.0], [0.0, 1.0]])))
error("mvn_tril_1d", dist("MultivariateNormal", T([0.0, 0.0]), scale_tril=T([1.0, 1.0])))
error("mvn_cov_1d", dist("MultivariateNormal", T([0.0, 0.0]), covariance_matrix=T([1.0, 1.0])))
error("mvn_prec_1d", dist("MultivariateNormal", T([0.0, 0.0]), precision_matrix=T([1.0, 1.0])))
error("mvn_cov_not_pd", dist("MultivariateNormal", T([0.0, 0.0]), covariance_matrix=T([[1.0, 2.0], [2.0, 1.0]])))
error("mvn_cov_not_symmetric", dist("MultivariateNormal", T([0.0, 0.0]), covariance_matrix=T([[1.0, 0.5], [0.0, 1.0]])))
error("mvn_cov_batch_not_pd", dist("MultivariateNormal", T([0.0, 0.0]),
                                   covariance_matrix=T([[[1.0, 0.0], [0.0, 1.0]], [[1.0, 0.0], [0.0, -1.0]]])))
error("mvn_prec_not_pd", dist("MultivariateNormal", T([0.0, 0.0]), precision_matrix=T([[0.0, 0.0], [0.0, 1.0]])))
error("mvn_tril_upper", dist("MultivariateNormal", T([0.0, 0.0]), scale_tril=T([[1.0, 0.5], [0.0, 1.0]])))
error("mvn_tril_diag", dist("MultivariateNormal", T([0.0, 0.0]), scale_tril=T([[1.0, 0.0], [0.5, 0.0]])))
error("mvn_loc_nan", dist("MultivariateNormal", T([0.0, math.nan]), scale_tril=T([[1.0, 0.0], [0.5, 1.0]])))
error("mvn_value_event", mv2, V([0.0, 1.0, 2.0]))
error("mvn_value_batch", dist("MultivariateNormal", T([[0.0, 0.0], [1.0, 1.0]]), scale_tril=T([[1.0, 0.0], [0.5, 1.0]])),
      V([[0.0, 1.0], [1.0, 2.0], [3.0, 4.0]]))
error("mvn_value_nan", mv2, V([0.0, math.nan]))
reprs("mvn_cov", mv2)
reprs("mvn_cov_touched", mv2, ["scale_tril", "precision_matrix"])
reprs("mvn_prec", dist("MultivariateNormal", T([0.0, 0.0]), precision_matrix=T([[2.0, 0.5], [0.5, 1.0]])))
reprs("mvn_prec_touched", dist("MultivariateNormal", T([0.0, 0.0]), precision_matrix=T([[2.0, 0.5], [0.5, 1.0]])), ["covariance_matrix"])
reprs("mvn_tril_batch", dist("MultivariateNormal", T([[0.0, 0.0]], f32), scale_tril=T([[[1.0, 0.0], [0.5, 1.0]]] * 3, f32)))
reprs("mvn_one_dim", dist("MultivariateNormal", T([1.5]), scale_tril=T([[2.0]])))

# ---------------------------------------------------------------------------------------------
# The gamma family: Gamma, Chi2, Beta, Dirichlet (samples through _standard_gamma/_sample_dirichlet,
# gradients through _standard_gamma_grad/_dirichlet_grad)
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    gm = dist("Gamma", T([0.5, 2.0, 9.0], dt, g), T([1.0, 0.5, 3.0], dt, g))
    evals(f"gamma_{dn}", gm, [V([0.3, 1.7, 0.0], dt), V([[0.1], [4.0]], dt), ["entropy"], *MOMENTS,
                              ["expand_log_prob", [2, 3], T([1.0, 2.0, 3.0], dt)]])
    samples(f"gamma_rsample_{dn}", gm, "rsample", (4,), seed=1)
    bt = dist("Beta", T([0.5, 2.0, 7.0, 0.8], dt, g), T([0.7, 3.0, 8.0, 0.6], dt, g))
    evals(f"beta_{dn}", bt, [V([0.3, 0.5, 0.45, 0.99], dt), V([[0.1], [0.9]], dt), ["entropy"], *MOMENTS,
                             ["concentration1"], ["concentration0"]])
    samples(f"beta_rsample_{dn}", bt, "rsample", (3,), seed=2)
    dr = dist("Dirichlet", T([[0.5, 2.0, 7.0], [0.3, 0.6, 0.9], [10.0, 12.0, 1.5]], dt, g))
    evals(f"dirichlet_{dn}", dr, [V([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8], [0.45, 0.45, 0.1]], dt), V([0.3, 0.3, 0.4], dt),
                                  ["entropy"], ["mean"], ["mode"], ["variance"], ["stddev"],
                                  ["expand_log_prob", [2, 3], T([0.3, 0.3, 0.4], dt)]])
    samples(f"dirichlet_rsample_{dn}", dr, "rsample", (2,), seed=3)
evals("gamma_scalar", dist("Gamma", 2.0, 3.0), [V([0.5, 1.5]), ["entropy"], ["mean"], ["mode"]])
evals("gamma_novalidate_zero", dist("Gamma", T([1.0, 0.5]), T([1.0, 1.0]), validate_args=False), [V([0.0, 0.0])])
evals("chi2", dist("Chi2", T([1.0, 3.0, 10.0], f64, True)), [V([0.5, 2.0, 9.0]), ["entropy"], *MOMENTS, ["df"]])
evals("chi2_scalar", dist("Chi2", 4.0), [V([1.0, 3.0]), ["mean"]])
evals("beta_scalar", dist("Beta", 2.0, 5.0), [V([0.1, 0.5]), ["entropy"], ["mean"], ["mode"], ["variance"]])
evals("beta_broadcast", dist("Beta", T([[1.5], [3.0]], f64, True), T([2.0, 0.5], f64, True)),
      [V([0.2, 0.7]), ["entropy"], ["mode"]])
evals("beta_mode_edges", dist("Beta", T([0.5, 1.0, 1.0, 3.0]), T([0.5, 1.0, 3.0, 1.0])), [["mode"], ["entropy"]])
evals("dirichlet_mode_small", dist("Dirichlet", T([[0.5, 0.3, 0.9], [2.0, 0.5, 3.0]], f64, True)), [["mode"]])
samples("gamma_sample_small_alpha", dist("Gamma", T([0.01, 0.2, 0.9, 1.0]), T([1.0, 2.0, 1.0, 0.1])), "sample", (5,), seed=4)
samples("gamma_sample_large_alpha_f32", dist("Gamma", T([30.0, 100.0, 5.5], f32), T([1.0, 2.0, 1.0], f32)), "sample", (6,), seed=5)
samples("gamma_sample_scalar", dist("Gamma", 3.0, 1.0), "sample", (7,), seed=6)
samples("chi2_rsample", dist("Chi2", T([1.0, 4.0, 0.5], f64, True)), "rsample", (3,), seed=7)
samples("beta_sample_scalar", dist("Beta", 0.5, 0.5), "sample", (6,), seed=8)
samples("dirichlet_sample_f32", dist("Dirichlet", T([0.1, 1.0, 5.0, 0.02], f32)), "sample", (5,), seed=9)
samples("dirichlet_rsample_batch", dist("Dirichlet", T([[1.0, 1.0], [0.5, 4.0], [20.0, 30.0]], f64, True)), "rsample", (2, 2),
        seed=10)
# (the Box-Muller spare of one element's normal draws is used by the next element's)
samples("gamma_after_normal_spare", dist("Gamma", T([2.0, 0.4, 6.0], f64, True), T([1.0, 1.0, 2.0], f64, True)), "rsample", (5,),
        seed=11)
gp = dist("Gamma", T([0.5, 2.0, 9.0], f64, True), T([1.0, 0.5, 3.0], f64, True))
gq = dist("Gamma", T([1.5, 1.0, 4.0], f64, True), T([2.0, 0.7, 1.0], f64, True))
bp_ = dist("Beta", T([0.5, 2.0, 7.0], f64, True), T([0.7, 3.0, 8.0], f64, True))
bq_ = dist("Beta", T([1.0, 1.5, 2.0], f64, True), T([2.0, 0.5, 5.0], f64, True))
np_ = dist("Normal", T([0.5, -1.0, 2.0], f64, True), T([1.0, 2.0, 0.5], f64, True))
ep_ = dist("Exponential", T([0.5, 2.0, 1.0], f64, True))
up_ = dist("Uniform", T([0.1, 0.0, 0.5], f64, True), T([0.9, 0.5, 1.0], f64, True))
lp_ = dist("Laplace", T([0.5, -1.0, 2.0], f64, True), T([1.0, 2.0, 0.5], f64, True))
kl("kl_gamma_gamma", gp, gq)
kl("kl_gamma_gamma_f32", dist("Gamma", T([0.5, 2.0], f32), T([1.0, 0.5], f32)), dist("Gamma", T([1.5, 1.0], f32), 2.0))
kl("kl_chi2_chi2", dist("Chi2", T([1.0, 5.0], f64, True)), dist("Chi2", T([2.0, 3.0], f64, True)))
kl("kl_beta_beta", bp_, bq_)
kl("kl_dirichlet_dirichlet", dist("Dirichlet", T([[0.5, 2.0, 7.0], [1.0, 1.0, 1.0]], f64, True)),
   dist("Dirichlet", T([[1.0, 1.5, 2.0], [0.3, 4.0, 2.0]], f64, True)))
kl("kl_bernoulli_poisson", dist("Bernoulli", T([0.2, 0.6, 0.0], f64, True)), dist("Poisson", T([0.5, 2.0, 1.0], f64, True)))
kl("kl_beta_exponential", bp_, ep_)
kl("kl_beta_gamma", bp_, gq)
kl("kl_beta_normal", bp_, np_)
kl("kl_beta_uniform", bp_, dist("Uniform", T([0.0, -1.0, 0.2], f64, True), T([1.0, 2.0, 1.0], f64, True)))
kl("kl_exponential_gamma", ep_, gq)
kl("kl_exponential_normal", ep_, np_)
kl("kl_gamma_exponential", gp, ep_)
kl("kl_gamma_normal", gp, np_)
kl("kl_laplace_normal", lp_, np_)
kl("kl_normal_laplace", np_, lp_)
kl("kl_uniform_beta", up_, bq_)
kl("kl_uniform_beta_outside", dist("Uniform", T([-0.5, 0.2]), T([0.5, 1.5])), dist("Beta", T([1.0, 2.0]), T([2.0, 1.0])))
kl("kl_uniform_exponential", up_, ep_)
kl("kl_uniform_gamma", up_, gq)
kl("kl_uniform_gamma_outside", dist("Uniform", T([-0.5, 0.2]), T([0.5, 1.5])), dist("Gamma", T([1.0, 2.0]), T([2.0, 1.0])))
kl("kl_uniform_normal", up_, np_)
kl("kl_exponential_beta", ep_, bq_)
kl("kl_exponential_uniform", ep_, up_)
kl("kl_gamma_beta", gp, bq_)
kl("kl_gamma_uniform", gp, up_)
kl("kl_laplace_gamma", lp_, gq)
kl("kl_normal_beta", np_, bq_)
kl("kl_normal_exponential", np_, ep_)
kl("kl_poisson_bernoulli", dist("Poisson", T([0.5, 2.0], f64, True)), dist("Bernoulli", T([0.2, 0.6])))
kl("kl_poisson_binomial", dist("Poisson", T([0.5, 2.0], f64, True)), dist("Binomial", 4, T([0.2, 0.6])))
error("gamma_concentration", dist("Gamma", T([1.0, 0.0]), T([1.0, 1.0])))
error("gamma_rate", dist("Gamma", 1.0, -2.0))
error("gamma_value", dist("Gamma", T([1.0]), T([1.0])), V([-0.5]))
error("chi2_df", dist("Chi2", T([1.0, -1.0])))
error("beta_concentration", dist("Beta", T([1.0, 0.0]), T([1.0, 1.0])))
error("beta_scalar_concentration", dist("Beta", -1.0, 1.0))
error("beta_value", dist("Beta", T([1.0]), T([1.0])), V([1.5]))
error("dirichlet_0d", dist("Dirichlet", T(1.0)))
error("dirichlet_concentration", dist("Dirichlet", T([1.0, 0.0, 2.0])))
error("dirichlet_value_simplex", dist("Dirichlet", T([1.0, 1.0, 2.0])), V([0.5, 0.3, 0.3]))
error("dirichlet_value_event", dist("Dirichlet", T([1.0, 1.0, 2.0])), V([0.5, 0.5]))
reprs("gamma", dist("Gamma", T([1.0, 2.0]), T([1.0, 0.5])))
reprs("gamma_scalar", dist("Gamma", 1.0, 2.0))
reprs("chi2", dist("Chi2", T([1.0, 2.0])))
reprs("beta", dist("Beta", T([1.0, 2.0]), T([1.0, 0.5])))
reprs("beta_scalar", dist("Beta", 1.0, 2.0))
reprs("dirichlet", dist("Dirichlet", T([[1.0, 2.0, 3.0]])))
reprs("dirichlet_1", dist("Dirichlet", T([4.0])))

# ---------------------------------------------------------------------------------------------
# Transforms: call, inverse, log_abs_det_jacobian (and their gradients w.r.t. x), shapes, printed
# forms, domains; biject_to / transform_to of each constraint


def tdec(a):
    if isinstance(a, dict) and "t" in a:
        return a["t"].clone()
    if isinstance(a, dict) and "dist" in a:
        return build(a["dist"])[0]
    if isinstance(a, dict) and "tr" in a:
        return build_transform(a["tr"], tdec)
    if isinstance(a, list):
        return [tdec(x) for x in a]
    return a


def transform_case(name, spec, x):
    """t(x), t.inv(t(x)), log_abs_det_jacobian (None where the transform has none), the gradient
    w.r.t. x of sum(y * w) (+ sum(ladj * w)), shapes, printed forms, domain and codomain."""
    xt = x["t"].clone().requires_grad_(True)
    t = tdec(spec)
    y = t(xt)
    try:
        ladj = t.log_abs_det_jacobian(xt, y)
    except NotImplementedError:
        ladj = None
    xi = t.inv(y.detach())
    obj = (y * weights(y)).sum() + (0 if ladj is None else (ladj * weights(ladj)).sum())
    g = torch.autograd.grad(obj, xt)[0]
    cases["transforms"].append({
        "name": name, "t": enc_spec({"family": "", "args": [spec]})["args"][0], "x": enc_tensor(x["t"]),
        "y": enc_tensor(y), "ladj": None if ladj is None else enc_tensor(ladj), "x_inv": enc_tensor(xi),
        "grad_x": enc_tensor(g), "repr": repr(t), "inv_repr": repr(t.inv), "domain": repr(t.domain),
        "codomain": repr(t.codomain), "bijective": bool(t.bijective),
        "forward_shape": list(t.forward_shape(x["t"].shape)), "inverse_shape": list(t.inverse_shape(y.shape))})


transform_case("exp", tr("ExpTransform"), T([-1.0, 0.5, 2.0]))
transform_case("exp_inv", tr("inv", tr("ExpTransform")), T([0.3, 1.5, 4.0]))
transform_case("affine_numbers", tr("AffineTransform", 1.5, -2.0), T([-1.0, 0.5, 2.0]))
transform_case("affine_tensors", tr("AffineTransform", T([0.0, 1.0, -1.0]), T([2.0, 0.5, -3.0])), T([[-1.0, 0.5, 2.0]]))
transform_case("affine_event_dim", tr("AffineTransform", 0.5, T([[2.0, 0.5], [1.0, 4.0]]), event_dim=2),
               T([[[1.0, 2.0], [3.0, 4.0]]]))
transform_case("sigmoid", tr("SigmoidTransform"), T([-3.0, 0.0, 2.5, 40.0]))
transform_case("sigmoid_f32", tr("SigmoidTransform"), T([-3.0, 0.0, 2.5, 20.0], f32))
transform_case("tanh", tr("TanhTransform"), T([-3.0, 0.1, 2.5]))
transform_case("softplus", tr("SoftplusTransform"), T([-3.0, 0.1, 2.5]))
transform_case("power", tr("PowerTransform", T([2.0, 0.5, -1.5])), T([0.3, 1.5, 4.0]))
transform_case("abs", tr("AbsTransform"), T([-1.0, 0.5, -2.0]))
transform_case("softmax", tr("SoftmaxTransform"), T([[0.1, -0.5, 2.0], [1.0, 1.0, 1.0]]))
transform_case("stick_breaking", tr("StickBreakingTransform"), T([[0.1, -0.5, 2.0], [1.0, 0.0, -1.0]]))
transform_case("lower_cholesky", tr("LowerCholeskyTransform"), T([[1.0, 5.0], [0.5, -1.0]]))
transform_case("positive_definite", tr("PositiveDefiniteTransform"), T([[1.0, 5.0], [0.5, -1.0]]))
transform_case("compose", tr("ComposeTransform", [tr("ExpTransform"), tr("AffineTransform", 1.0, 2.0), tr("TanhTransform")]),
               T([-1.0, 0.2, 0.5]))
transform_case("compose_event", tr("ComposeTransform", [tr("AffineTransform", 0.5, 2.0), tr("StickBreakingTransform")]),
               T([[0.1, -0.5], [1.0, 0.0]]))
transform_case("independent", tr("IndependentTransform", tr("SigmoidTransform"), 1), T([[0.1, -0.5, 2.0], [1.0, 0.0, -1.0]]))


def registry_case(which, cname, c):
    reg = getattr(D, which)
    try:
        out = {"repr": repr(reg(c)), "error": None}
    except Exception as e:  # noqa: BLE001
        out = {"repr": None, "error": error_of(lambda: reg(c))}
    cases["registry"].append({"which": which, "constraint": cname, **out})


for which in ("biject_to", "transform_to"):
    for cname, c in (("real", D.constraints.real), ("positive", D.constraints.positive), ("nonnegative", D.constraints.nonnegative),
                     ("unit_interval", D.constraints.unit_interval), ("simplex", D.constraints.simplex),
                     ("real_vector", D.constraints.real_vector), ("greater_than_2", D.constraints.greater_than(2.0)),
                     ("less_than_1", D.constraints.less_than(1.0)), ("interval_-1_3", D.constraints.interval(-1.0, 3.0)),
                     ("positive_definite", D.constraints.positive_definite), ("lower_cholesky", D.constraints.lower_cholesky),
                     ("boolean", D.constraints.boolean)):
        registry_case(which, cname, c)

# ---------------------------------------------------------------------------------------------
# StudentT, Cauchy, and the transformed families
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    st = dist("StudentT", T([0.7, 1.5, 5.0], dt, g), T([0.0, 1.0, -2.0], dt, g), T([1.0, 2.0, 0.5], dt, g))
    evals(f"studentt_{dn}", st, [V([0.3, -1.7, 0.0], dt), ["entropy"], *MOMENTS])
    samples(f"studentt_rsample_{dn}", st, "rsample", (20,), seed=1)
    ca = dist("Cauchy", T([0.0, 1.0], dt, g), T([1.0, 0.5], dt, g))
    evals(f"cauchy_{dn}", ca, [V([0.3, -1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)], ["entropy"],
                               ["mean"], ["mode"], ["variance"]])
    samples(f"cauchy_rsample_{dn}", ca, "rsample", (3,), seed=2)
    ln = dist("LogNormal", T([0.0, 1.0], dt, g), T([1.0, 0.5], dt, g))
    evals(f"lognormal_{dn}", ln, [V([0.3, 1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)], ["entropy"],
                                  *MOMENTS, ["loc"], ["scale"], ["expand_log_prob", [3, 2], T([0.5, 2.0], dt)]])
    samples(f"lognormal_rsample_{dn}", ln, "rsample", (3,), seed=3)
    gu = dist("Gumbel", T([0.0, 1.0], dt, g), T([1.0, 0.5], dt, g))
    evals(f"gumbel_{dn}", gu, [V([0.3, -1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)], ["entropy"], *MOMENTS,
                               ["expand_log_prob", [3, 2], T([0.5, 2.0], dt)]])
    samples(f"gumbel_rsample_{dn}", gu, "rsample", (3,), seed=4)
    hn = dist("HalfNormal", T([1.0, 0.5], dt, g))
    evals(f"halfnormal_{dn}", hn, [V([0.3, 1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)], ["entropy"], *MOMENTS])
    samples(f"halfnormal_rsample_{dn}", hn, "rsample", (3,), seed=5)
    hc = dist("HalfCauchy", T([1.0, 0.5], dt, g))
    evals(f"halfcauchy_{dn}", hc, [V([0.3, 1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)], ["entropy"],
                                   ["mean"], ["mode"]])
    samples(f"halfcauchy_rsample_{dn}", hc, "rsample", (3,), seed=6)
    wb = dist("Weibull", T([1.0, 2.0], dt, g), T([0.5, 3.0], dt, g))
    evals(f"weibull_{dn}", wb, [V([0.3, 1.7], dt), ["cdf", T([0.3, 1.7], dt)], ["icdf", T([0.1, 0.8], dt)], ["entropy"], *MOMENTS,
                                ["expand_log_prob", [3, 2], T([0.5, 2.0], dt)]])
    samples(f"weibull_rsample_{dn}", wb, "rsample", (3,), seed=7)
    pa = dist("Pareto", T([1.0, 2.0, 0.5], dt, g), T([0.5, 3.0, 1.5], dt, g))
    evals(f"pareto_{dn}", pa, [V([1.3, 2.7, 0.6], dt), ["cdf", T([1.3, 2.7, 0.6], dt)], ["icdf", T([0.1, 0.8, 0.5], dt)],
                               ["entropy"], *MOMENTS, ["expand_log_prob", [2, 3], T([1.5, 2.5, 3.5], dt)]])
    samples(f"pareto_rsample_{dn}", pa, "rsample", (3,), seed=8)
    ku = dist("Kumaraswamy", T([0.5, 2.0, 3.0], dt, g), T([0.7, 3.0, 1.5], dt, g))
    evals(f"kumaraswamy_{dn}", ku, [V([0.3, 0.7, 0.5], dt), ["entropy"], *MOMENTS])
    samples(f"kumaraswamy_rsample_{dn}", ku, "rsample", (3,), seed=9)
evals("studentt_df_only", dist("StudentT", T([1.0, 2.0, 3.0], f64, True)), [V([0.5, 1.5, -2.0]), ["variance"], ["mean"]])
evals("studentt_scalar", dist("StudentT", 4.0, 1.0, 2.0), [V([0.5, 1.5]), ["entropy"], ["variance"]])
evals("gumbel_scalar", dist("Gumbel", 1.0, 2.0), [V([0.5, 1.5]), ["entropy"], ["mean"]])
evals("transformed_compose", dist("TransformedDistribution", {"dist": dist("Normal", T([0.0, 1.0], f64, True), T([1.0, 2.0], f64, True))},
                                  [tr("AffineTransform", 0.5, 2.0), tr("SigmoidTransform")]),
      [V([0.3, 0.9]), ["cdf", T([0.3, 0.9])], ["icdf", T([0.3, 0.9])], ["expand_log_prob", [3, 2], T([0.5, 0.25])]])
evals("transformed_stick_breaking", dist("TransformedDistribution",
                                         {"dist": dist("Normal", T([[0.0, 1.0], [0.5, -0.5]], f64, True), T([1.0, 2.0], f64, True))},
                                         tr("StickBreakingTransform")),
      [V([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]])])
evals("transformed_decreasing", dist("TransformedDistribution", {"dist": dist("Exponential", T([1.0, 2.0], f64, True))},
                                     [tr("AffineTransform", 1.0, -1.0)]),
      [V([0.3, -0.9]), ["cdf", T([0.3, -0.9])], ["icdf", T([0.3, 0.9])]])
samples("transformed_rsample", dist("TransformedDistribution", {"dist": dist("Normal", T([0.0, 1.0], f64, True), T([1.0, 2.0], f64, True))},
                                    [tr("AffineTransform", 0.5, 2.0), tr("TanhTransform")]), "rsample", (3,), seed=10)
kl("kl_cauchy_cauchy", dist("Cauchy", T([0.0, 1.0], f64, True), T([1.0, 0.5], f64, True)),
   dist("Cauchy", T([1.0, -1.0], f64, True), T([2.0, 0.5], f64, True)))
gu_p = dist("Gumbel", T([0.0, 1.0, 0.5], f64, True), T([1.0, 0.5, 2.0], f64, True))
gu_q = dist("Gumbel", T([1.0, -1.0, 0.0], f64, True), T([2.0, 0.5, 1.0], f64, True))
pa_p = dist("Pareto", T([1.0, 2.0, 0.5], f64, True), T([0.5, 3.0, 2.5], f64, True))
pa_q = dist("Pareto", T([0.5, 2.5, 0.5], f64, True), T([1.5, 1.0, 2.0], f64, True))
kl("kl_gumbel_gumbel", gu_p, gu_q)
kl("kl_halfnormal_halfnormal", dist("HalfNormal", T([1.0, 0.5], f64, True)), dist("HalfNormal", T([2.0, 0.3], f64, True)))
kl("kl_lognormal_lognormal", dist("LogNormal", T([0.0, 1.0], f64, True), T([1.0, 0.5], f64, True)),
   dist("LogNormal", T([1.0, -1.0], f64, True), T([2.0, 0.5], f64, True)))
kl("kl_pareto_pareto", pa_p, pa_q)
kl("kl_exponential_gumbel", ep_, gu_q)
kl("kl_gamma_gumbel", gp, gu_q)
kl("kl_gumbel_normal", gu_p, np_)
kl("kl_normal_gumbel", np_, gu_q)
kl("kl_uniform_gumbel", up_, gu_q)
kl("kl_pareto_exponential", pa_p, ep_)
kl("kl_pareto_gamma", pa_p, gq)
kl("kl_pareto_normal", pa_p, np_)
kl("kl_uniform_pareto", dist("Uniform", T([0.6, 2.5, 0.5], f64, True), T([0.9, 3.0, 1.0], f64, True)), pa_q)
kl("kl_gumbel_beta", gu_p, bq_)
kl("kl_normal_pareto", np_, pa_q)
kl("kl_pareto_uniform", pa_p, up_)
error("studentt_df", dist("StudentT", T([1.0, -1.0])))
error("cauchy_scale", dist("Cauchy", 0.0, -1.0))
error("lognormal_scale", dist("LogNormal", T([0.0]), T([-1.0])))
error("lognormal_value", dist("LogNormal", T([0.0]), T([1.0])), V([-1.0]))
error("gumbel_scale", dist("Gumbel", T([0.0]), T([-1.0])))
error("halfnormal_scale", dist("HalfNormal", T([-1.0])))
error("halfnormal_value", dist("HalfNormal", T([1.0])), V([-1.0]))
error("weibull_scale", dist("Weibull", T([-1.0]), T([1.0])))
error("pareto_alpha", dist("Pareto", T([1.0]), T([0.0])))
error("pareto_value", dist("Pareto", T([1.0]), T([2.0])), V([0.5]))
error("kumaraswamy_value", dist("Kumaraswamy", T([1.0]), T([2.0])), V([1.5]))
error("transformed_not_transform", dist("TransformedDistribution", {"dist": dist("Normal", 0.0, 1.0)}, [1.0]))
reprs("studentt", dist("StudentT", T([1.0, 2.0])))
reprs("cauchy", dist("Cauchy", 0.0, 1.0))
reprs("lognormal", dist("LogNormal", T([0.0, 1.0]), T([1.0, 2.0])))
reprs("gumbel", dist("Gumbel", T([0.0, 1.0]), T([1.0, 2.0])))
reprs("halfnormal", dist("HalfNormal", T([1.0, 2.0])))
reprs("halfcauchy", dist("HalfCauchy", 1.0))
reprs("weibull", dist("Weibull", T([1.0, 2.0]), T([1.0, 2.0])))
reprs("pareto", dist("Pareto", T([1.0, 2.0]), T([1.0, 2.0])))
reprs("kumaraswamy", dist("Kumaraswamy", T([1.0, 2.0]), T([1.0, 2.0])))
reprs("transformed", dist("TransformedDistribution", {"dist": dist("Normal", T([0.0, 1.0]), T([1.0, 2.0]))},
                          [tr("ExpTransform"), tr("AffineTransform", 1.0, 2.0)]))
reprs("transformed_event", dist("TransformedDistribution", {"dist": dist("Normal", T([[0.0, 1.0]]), T([1.0, 2.0]))},
                                [tr("StickBreakingTransform")]))

# ---------------------------------------------------------------------------------------------
# Counts (torch.poisson / torch.binomial samples), Geometric, NegativeBinomial, Multinomial, the
# relaxed families
samples("poisson_sample", dist("Poisson", T([0.0, 0.5, 4.0, 12.0, 300.0])), "sample", (4,), seed=1)
samples("poisson_sample_f32", dist("Poisson", T([[0.5], [40.0]], f32)), "sample", (3,), seed=2)
samples("binomial_sample", dist("Binomial", T([0.0, 5.0, 20.0, 100.0, 60.0]), T([0.3, 0.5, 0.9, 0.2, 1.0])), "sample", (4,), seed=3)
samples("binomial_sample_f32_logits", dist("Binomial", 30, None, T([-2.0, 0.5, 3.0], f32)), "sample", (3,), seed=4)
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    ge = dist("Geometric", T([0.2, 0.5, 1.0], dt, g))
    evals(f"geometric_{dn}", ge, [V([0.0, 3.0, 0.0], dt), ["entropy"], *MOMENTS, ["logits"]])
    samples(f"geometric_sample_{dn}", ge, "sample", (4,), seed=5)
    nb = dist("NegativeBinomial", T([3.0, 0.5, 10.0], dt, g), T([0.2, 0.5, 0.7], dt, g))
    evals(f"negative_binomial_{dn}", nb, [V([0.0, 3.0, 12.0], dt), *MOMENTS, ["logits"]])
    samples(f"negative_binomial_sample_{dn}", nb, "sample", (3,), seed=6)
    mn = dist("Multinomial", 5, T([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], dt, g))
    evals(f"multinomial_{dn}", mn, [V([[1.0, 2.0, 2.0], [0.0, 0.0, 5.0]], dt), ["entropy"], ["mean"], ["variance"]])
    samples(f"multinomial_sample_{dn}", mn, "sample", (2,), seed=7)
    rb = dist("RelaxedBernoulli", T(0.5, dt), T([0.2, 0.5, 0.9], dt, g))
    evals(f"relaxed_bernoulli_{dn}", rb, [V([0.3, 0.5, 0.99], dt)])
    samples(f"relaxed_bernoulli_rsample_{dn}", rb, "rsample", (3,), seed=8)
    rc = dist("RelaxedOneHotCategorical", T(0.7, dt), T([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], dt, g))
    evals(f"relaxed_onehot_{dn}", rc, [V([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], dt)])
    samples(f"relaxed_onehot_rsample_{dn}", rc, "rsample", (2,), seed=9)
evals("geometric_logits", dist("Geometric", None, T([-1.0, 0.5], f64, True)), [V([0.0, 2.0]), ["probs"], ["entropy"], ["mean"]])
evals("negative_binomial_logits", dist("NegativeBinomial", 4.0, None, T([-1.0, 0.5], f64, True)), [V([0.0, 2.0]), ["mean"], ["mode"]])
evals("multinomial_logits", dist("Multinomial", 3, None, T([0.0, -1.0, 1.0], f64, True)), [V([1.0, 0.0, 2.0]), ["entropy"]])
evals("multinomial_zero_prob", dist("Multinomial", 3, T([0.0, 0.5, 0.5])), [V([0.0, 1.0, 2.0])])
evals("logit_relaxed_bernoulli", dist("relaxed_bernoulli.LogitRelaxedBernoulli", T(0.5), None, T([-1.0, 0.5], f64, True)), [V([0.3, -2.0])])
evals("exp_relaxed_categorical", dist("relaxed_categorical.ExpRelaxedCategorical", T(0.5), T([0.2, 0.3, 0.5], f64, True)),
      [V([-1.0, -2.0, -0.5])])
kl("kl_geometric_geometric", dist("Geometric", T([0.2, 0.5], f64, True)), dist("Geometric", T([0.4, 0.1], f64, True)))
error("geometric_zero_probs", dist("Geometric", T([0.0, 0.5])))
error("geometric_probs_range", dist("Geometric", T([1.5, 0.5])))
error("negative_binomial_probs", dist("NegativeBinomial", 3.0, T([1.0])))
error("multinomial_value", dist("Multinomial", 3, T([0.2, 0.8])), V([2.0, 2.0]))
error("multinomial_float_count", dist("Multinomial", 2.5, T([0.2, 0.8])))
reprs("geometric", dist("Geometric", T([0.2, 0.5])))
reprs("negative_binomial", dist("NegativeBinomial", 3.0, T([0.2, 0.5])))
reprs("multinomial", dist("Multinomial", 4, T([0.2, 0.8])))
reprs("relaxed_bernoulli", dist("RelaxedBernoulli", T(0.5), T([0.2, 0.8])))
reprs("logit_relaxed_bernoulli", dist("relaxed_bernoulli.LogitRelaxedBernoulli", T(0.5), T([0.2, 0.8])))
reprs("relaxed_onehot", dist("RelaxedOneHotCategorical", T(0.5), T([0.2, 0.8])))

# ---------------------------------------------------------------------------------------------
# MixtureSameFamily, VonMises, LowRankMultivariateNormal
mix_cat = {"dist": dist("Categorical", T([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], f64, True))}
mix_norm = {"dist": dist("Normal", T([[0.0, 1.0, -1.0], [2.0, 0.5, 0.0]], f64, True), T([[1.0, 0.5, 2.0], [1.0, 1.0, 0.3]], f64, True))}
mix = dist("MixtureSameFamily", mix_cat, mix_norm)
evals("mixture_normal", mix, [V([0.3, -1.0]), V([[0.3], [1.5], [-2.0]]), ["cdf", T([0.3, -1.0])], ["mean"], ["variance"]])
samples("mixture_normal_sample", mix, "sample", (4,), seed=1)
mix_mvn = dist("MixtureSameFamily", {"dist": dist("Categorical", T([0.3, 0.7], f64, True))},
               {"dist": dist("Independent", {"dist": dist("Normal", T([[0.0, 1.0], [2.0, -1.0]], f64, True),
                                                         T([[1.0, 0.5], [0.3, 2.0]], f64, True))}, 1)})
evals("mixture_independent", mix_mvn, [V([0.3, -1.0]), V([[0.3, 0.2], [1.5, 2.0]]), ["mean"], ["variance"]])
samples("mixture_independent_sample", mix_mvn, "sample", (3,), seed=2)
error("mixture_not_categorical", dist("MixtureSameFamily", {"dist": dist("Normal", 0.0, 1.0)}, mix_norm))
error("mixture_count", dist("MixtureSameFamily", {"dist": dist("Categorical", T([0.5, 0.5]))}, mix_norm))
reprs("mixture", mix)
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    vm = dist("VonMises", T([0.0, 1.0, -2.0], dt, g), T([0.5, 4.0, 1e-6], dt, g))
    evals(f"von_mises_{dn}", vm, [V([0.3, -1.7, 3.0], dt), ["mean"], ["mode"], ["variance"]])
    samples(f"von_mises_sample_{dn}", vm, "sample", (4,), seed=3)
lr_loc = [0.5, -1.0, 2.0]
lr_W = [[1.0, 0.5], [0.3, -0.2], [0.0, 1.5]]
lr_D = [0.5, 1.0, 2.0]
LR_EVS = [V([[0.1, 0.2, 0.3], [1.0, 0.0, -1.0]]), ["entropy"], ["mean"], ["variance"], ["scale_tril"], ["covariance_matrix"],
          ["precision_matrix"], ["expand_log_prob", [2, 2], T([0.3, 0.3, 0.3])]]
lr = dist("LowRankMultivariateNormal", T(lr_loc, f64, True), T(lr_W, f64, True), T(lr_D, f64, True))
evals("lowrank_mvn", lr, LR_EVS)
evals("lowrank_mvn_batch", dist("LowRankMultivariateNormal", T([lr_loc, [0.0, 0.0, 0.0]], f64, True), T(lr_W, f64, True),
                                T(lr_D, f64, True)), [V([0.1, 0.2, 0.3]), ["entropy"], ["variance"]])
evals("lowrank_mvn_f32", dist("LowRankMultivariateNormal", T(lr_loc, f32), T(lr_W, f32), T(lr_D, f32)),
      [V([[0.1, 0.2, 0.3]], f32), ["entropy"], ["precision_matrix"]])
samples("lowrank_mvn_rsample", lr, "rsample", (3,), seed=4)
lr_q = dist("LowRankMultivariateNormal", T([0.0, 1.0, -1.0], f64, True), T([[0.5], [1.0], [-0.5]], f64, True),
            T([1.0, 0.5, 1.5], f64, True))
kl("kl_lowrank_lowrank", lr, lr_q)
kl("kl_mvn_lowrank", dist("MultivariateNormal", T(mv_loc, f64, True), covariance_matrix=T(mv_cov, f64, True)), lr_q)
kl("kl_lowrank_mvn", lr, dist("MultivariateNormal", T([0.0, 1.0, -1.0], f64, True), scale_tril=T(mv_tril, f64, True)))
error("lowrank_cov_factor_shape", dist("LowRankMultivariateNormal", T(lr_loc), T([[1.0, 0.5], [0.3, -0.2]]), T(lr_D)))
error("lowrank_cov_diag_shape", dist("LowRankMultivariateNormal", T(lr_loc), T(lr_W), T([1.0, 2.0])))
error("lowrank_cov_diag_positive", dist("LowRankMultivariateNormal", T(lr_loc), T(lr_W), T([1.0, 0.0, 2.0])))
error("lowrank_batch", dist("LowRankMultivariateNormal", T([lr_loc, lr_loc]), T([lr_W, lr_W, lr_W]), T(lr_D)))
reprs("lowrank_mvn", lr)
reprs("von_mises", dist("VonMises", T([0.0, 1.0]), T([1.0, 2.0])))

# Gamma.cdf and Chi2.cdf: torch.special.gammainc, differentiable in x only (so the concentration
# is no grad leaf here), over its series, continued-fraction and asymptotic regimes
for dt, dn in ((f64, "f64"), (f32, "f32")):
    gc = dist("Gamma", T([0.5, 1.0, 2.5, 25.0, 30.0, 150.0, 500.0, 1e-3, 7.0], dt),
              T([1.0, 0.5, 2.0, 1.0, 1.0, 1.0, 1.0, 1.0, 3.0], dt, dt == f64))
    evals(f"gamma_cdf_{dn}", gc, [["cdf", T([0.3, 3.4, 0.3, 24.0, 36.0, 155.0, 520.0, 0.5, 0.7], dt)],
                                  ["cdf", T([[0.0], [1.0]], dt)]])
evals("chi2_cdf", dist("Chi2", T([1.0, 3.0, 10.0])), [["cdf", T([0.5, 2.0, 9.0])]])

# ---------------------------------------------------------------------------------------------
# LKJCholesky (and CorrCholeskyTransform), Wishart (and the Bregman-divergence KL)
transform_case("corr_cholesky", tr("CorrCholeskyTransform"), T([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4]]))
registry_case("biject_to", "corr_cholesky", D.constraints.corr_cholesky)
registry_case("transform_to", "corr_cholesky", D.constraints.corr_cholesky)
corr3 = D.transforms.CorrCholeskyTransform()(torch.tensor([[0.3, -1.2, 0.5], [2.0, 0.1, -0.4]], dtype=f64)).tolist()
for dt, dn in ((f64, "f64"), (f32, "f32")):
    lkj = dist("LKJCholesky", 3, T([0.5, 2.0], dt, dt == f64))
    evals(f"lkj_cholesky_{dn}", lkj, [V(corr3, dt), ["expand_log_prob", [3, 2], T(corr3[0], dt)]])
    samples(f"lkj_cholesky_sample_{dn}", lkj, "sample", (2,), seed=1)
samples("lkj_cholesky_sample_scalar", dist("LKJCholesky", 4, 1.5), "sample", (), seed=2)
error("lkj_dim", dist("LKJCholesky", 1, 1.0))
error("lkj_value", dist("LKJCholesky", 2, 1.0), V([[1.0, 0.0], [0.5, 0.5]]))
reprs("lkj_cholesky", dist("LKJCholesky", 3, T([0.5, 2.0])))
wi_cov = [[2.0, 0.3, 0.1], [0.3, 1.5, -0.2], [0.1, -0.2, 1.0]]
wi_val = [[[3.0, 0.5, 0.2], [0.5, 2.0, 0.1], [0.2, 0.1, 1.5]], [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]]
WI_EVS = [V(wi_val), ["entropy"], ["mean"], ["mode"], ["variance"], ["covariance_matrix"], ["precision_matrix"], ["scale_tril"]]
evals("wishart_cov", dist("Wishart", T([4.0, 6.5], f64, True), covariance_matrix=T(wi_cov, f64, True)), WI_EVS)
evals("wishart_tril", dist("Wishart", T(5.0, f64, True), scale_tril=T(mv_tril, f64, True)), WI_EVS)
evals("wishart_prec", dist("Wishart", 4.0, precision_matrix=T(wi_cov, f64, True)), [V(wi_val[0]), ["entropy"], ["mean"]])
evals("wishart_f32", dist("Wishart", T([4.0, 6.5], f32), covariance_matrix=T(wi_cov, f32)), [V(wi_val, f32), ["entropy"], ["variance"]])
# (values only: 2.13's rsample re-draws every positive-definite sample through index_put_ with a
# mask it then modifies in place, so backward through it raises there)
samples("wishart_rsample", dist("Wishart", T([4.0, 6.5]), covariance_matrix=T(wi_cov)), "rsample", (2,), seed=3)
samples("wishart_rsample_scalar_df", dist("Wishart", 5.0, scale_tril=T(mv_tril)), "rsample", (), seed=4)
samples("wishart_rsample_f32", dist("Wishart", T(3.5, f32), covariance_matrix=T(wi_cov, f32)), "rsample", (3,), seed=5)
kl("kl_wishart_wishart", dist("Wishart", T(4.0, f64, True), covariance_matrix=T(wi_cov, f64, True)),
   dist("Wishart", T(6.0, f64, True), scale_tril=T(mv_tril, f64, True)))
error("wishart_df", dist("Wishart", 1.5, covariance_matrix=T(wi_cov)))
error("wishart_none", dist("Wishart", 4.0))
error("wishart_not_pd", dist("Wishart", 4.0, covariance_matrix=T([[1.0, 2.0], [2.0, 1.0]])))
reprs("wishart", dist("Wishart", T([4.0, 5.0]), covariance_matrix=T(wi_cov)))

# ---------------------------------------------------------------------------------------------
# FisherSnedecor, InverseGamma, LogisticNormal
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    fs = dist("FisherSnedecor", T([1.5, 3.0, 10.0], dt, g), T([1.0, 5.0, 12.0], dt, g))
    evals(f"fisher_snedecor_{dn}", fs, [V([0.3, 1.7, 0.9], dt), ["mean"], ["mode"], ["variance"]])
    samples(f"fisher_snedecor_rsample_{dn}", fs, "rsample", (3,), seed=1)
    ig = dist("InverseGamma", T([0.5, 2.5, 4.0], dt, g), T([1.0, 0.5, 3.0], dt, g))
    evals(f"inverse_gamma_{dn}", ig, [V([0.3, 1.7, 0.9], dt), ["entropy"], ["mean"], ["mode"], ["variance"]])
    evals(f"inverse_gamma_cdf_{dn}", dist("InverseGamma", T([0.5, 2.5, 4.0], dt), T([1.0, 0.5, 3.0], dt, g)),
          [["cdf", T([0.3, 1.7, 0.9], dt)]])
    samples(f"inverse_gamma_rsample_{dn}", ig, "rsample", (3,), seed=2)
    ln_ = dist("LogisticNormal", T([[0.0, 1.0], [0.5, -0.5]], dt, g), T([1.0, 2.0], dt, g))
    evals(f"logistic_normal_{dn}", ln_, [V([[0.2, 0.3, 0.5], [0.6, 0.3, 0.1]], dt), ["loc"], ["scale"]])
    samples(f"logistic_normal_rsample_{dn}", ln_, "rsample", (2,), seed=3)
evals("logistic_normal_scalar", dist("LogisticNormal", 0.5, 1.5), [V([0.4, 0.6])])
reprs("fisher_snedecor", dist("FisherSnedecor", T([1.0, 2.0]), T([3.0, 4.0])))
reprs("inverse_gamma", dist("InverseGamma", T([1.0, 2.0]), T([3.0, 4.0])))
reprs("logistic_normal", dist("LogisticNormal", T([1.0, 2.0]), T([3.0, 4.0])))
error("fisher_snedecor_df", dist("FisherSnedecor", T([1.0, -2.0]), T([3.0, 4.0])))
error("inverse_gamma_value", dist("InverseGamma", T([1.0]), T([3.0])), V([-1.0]))

# ---------------------------------------------------------------------------------------------
# ContinuousBernoulli (inside and outside its unstable region around 1/2) and its KL pairs
for dt, dn in ((f64, "f64"), (f32, "f32")):
    g = dt == f64
    cb = dist("ContinuousBernoulli", T([0.2, 0.4995, 0.7, 0.95], dt, g))
    evals(f"continuous_bernoulli_{dn}", cb, [V([0.3, 0.5, 0.9, 0.01], dt), ["cdf", T([0.3, 0.5, 0.9, 0.01], dt)],
                                             ["icdf", T([0.3, 0.5, 0.9, 0.01], dt)], ["entropy"], ["mean"], ["variance"],
                                             ["stddev"], ["logits"]])
    samples(f"continuous_bernoulli_rsample_{dn}", cb, "rsample", (3,), seed=1)
evals("continuous_bernoulli_logits", dist("ContinuousBernoulli", None, T([-1.5, 0.001, 2.0], f64, True)),
      [V([0.3, 0.5, 0.9]), ["probs"], ["mean"], ["entropy"]])
evals("continuous_bernoulli_lims", dist("ContinuousBernoulli", T([0.45, 0.6], f64, True), None, (0.4, 0.55)), [V([0.3, 0.5]), ["mean"]])
cb_p = dist("ContinuousBernoulli", T([0.2, 0.4995, 0.7], f64, True))
cb_q = dist("ContinuousBernoulli", None, T([0.5, -1.0, 0.0001], f64, True))
kl("kl_cont_bern_cont_bern", cb_p, cb_q)
kl("kl_beta_cont_bern", bp_, cb_q)
kl("kl_uniform_cont_bern", dist("Uniform", T([0.1, 0.0, 0.5], f64, True), T([0.9, 0.5, 1.0], f64, True)), cb_q)
kl("kl_cont_bern_exponential", cb_p, ep_)
kl("kl_cont_bern_normal", cb_p, np_)
kl("kl_cont_bern_uniform", cb_p, dist("Uniform", T([-0.5, 0.0, -1.0], f64, True), T([1.5, 1.0, 0.9], f64, True)))
kl("kl_gamma_cont_bern", gp, cb_q)
kl("kl_cont_bern_pareto", cb_p, pa_q)
error("continuous_bernoulli_probs", dist("ContinuousBernoulli", T([1.5]), validate_args=True))
reprs("continuous_bernoulli", dist("ContinuousBernoulli", T([0.2, 0.8])))

# ---------------------------------------------------------------------------------------------
# GeneralizedPareto, OneHotCategoricalStraightThrough, ReshapeTransform, CumulativeDistributionTransform
gpd = dist("GeneralizedPareto", T([0.0, 1.0, -1.0], f32, True), T([1.0, 2.0, 0.5], f32, True), T([0.0, 0.3, -0.4], f32, True))
evals("generalized_pareto_f32", gpd, [V([0.5, 2.0, -0.5], f32), ["cdf", T([0.5, 2.0, -0.5], f32)], ["icdf", T([0.3, 0.5, 0.9], f32)],
                                      ["entropy"], ["mean"], ["mode"], ["variance"]])
evals("generalized_pareto_f64_icdf", dist("GeneralizedPareto", T([0.0, 1.0], f64, True), T([1.0, 2.0], f64, True), T([0.0, 0.3], f64, True)),
      [["icdf", T([0.3, 0.5])], ["mean"], ["variance"], ["entropy"]])
samples("generalized_pareto_rsample", gpd, "rsample", (3,), seed=1)
error("generalized_pareto_f64_log_prob", dist("GeneralizedPareto", T([0.0, 1.0]), T([1.0, 2.0]), T([0.0, 0.3])), V([0.5, 2.0]))
error("generalized_pareto_value", dist("GeneralizedPareto", T([0.0], f32), T([1.0], f32), T([-0.5], f32)), V([3.0], f32))
reprs("generalized_pareto", dist("GeneralizedPareto", 0.0, 1.0, 0.2))
samples("onehot_straight_through", dist("OneHotCategoricalStraightThrough", T([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]], f64, True)),
        "rsample", (2,), seed=2)
transform_case("reshape", tr("ReshapeTransform", [2, 3], [3, 2]), T([[[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]]))
transform_case("cumulative_distribution", tr("CumulativeDistributionTransform", {"dist": dist("Normal", T([0.0, 1.0]), T([1.0, 2.0]))}),
               T([0.3, -0.5]))

transform_case("cat", tr("CatTransform", [tr("ExpTransform"), tr("AffineTransform", 1.0, 2.0), tr("SigmoidTransform")], 1, [1, 2, 1]),
               T([[0.3, -0.5, 1.0, 2.0], [1.5, 0.0, -1.0, -2.0]]))
transform_case("stack", tr("StackTransform", [tr("ExpTransform"), tr("TanhTransform")], 1), T([[0.3, -0.5], [1.5, 0.2], [-1.0, 2.0]]))
registry_case("biject_to", "cat", D.constraints.cat([D.constraints.positive, D.constraints.unit_interval], 0, [1, 2]))
registry_case("transform_to", "stack", D.constraints.stack([D.constraints.real, D.constraints.simplex, D.constraints.positive], -1))

write_cases(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "test", "golden", "distributions.json"),
            "tools/gen_golden_distributions.py", cases)
