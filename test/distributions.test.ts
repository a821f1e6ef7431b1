// torch.distributions against PyTorch: test/golden/distributions.json (tools/gen_golden_distributions.py):
// values of log_prob/entropy/cdf/icdf/moments and their gradients, seeded samples (and rsample's
// gradients), kl_divergence, validation errors in PyTorch's words, printed forms.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { readGolden, fromGolden, assertClose, type GoldenTensor } from "./helpers.js";

type Arg = number | null | { t: GoldenTensor; grad: boolean } | { dist: Spec } | { tr: TrSpec } | Arg[];
interface TrSpec { name: string; args: Arg[]; kwargs: Record<string, Arg> }
interface Spec { family: string; args: Arg[]; kwargs: Record<string, Arg> }
type Ev = [string, ...unknown[]];
interface EvalCase { name: string; dist: Spec; evals: { ev: Ev; out: GoldenTensor; grads: (GoldenTensor | null)[] | null }[] }
interface SampleCase { name: string; dist: Spec; method: string; sample_shape: number[]; seed: number; out: GoldenTensor; grads: (GoldenTensor | null)[] | null }
interface KLCase { name: string; p: Spec; q: Spec; out: GoldenTensor; grads: (GoldenTensor | null)[] | null }
interface ErrCase { name: string; dist: Spec; call: Ev | null; error: string }
interface TransformCase {
  name: string; t: { tr: TrSpec }; x: GoldenTensor; y: GoldenTensor; ladj: GoldenTensor | null; x_inv: GoldenTensor; grad_x: GoldenTensor;
  repr: string; inv_repr: string; domain: string; codomain: string; bijective: boolean; forward_shape: number[]; inverse_shape: number[];
}
interface RegistryCase { which: "biject_to" | "transform_to"; constraint: string; repr: string | null; error: string | null }
interface ReprCase { name: string; dist: Spec; touch: string[]; repr: string; support: string | null; batch_shape: number[]; event_shape: number[] }
const G = readGolden<{ cases: {
  evals: EvalCase[]; samples: SampleCase[]; kl: KLCase[]; errors: ErrCase[]; reprs: ReprCase[]; transforms: TransformCase[]; registry: RegistryCase[];
} }>("distributions.json").cases;

const D = torch.distributions as unknown as Record<string, new (...a: unknown[]) => torch.distributions.Distribution>;

function build(spec: Spec, leaves: Tensor[] = []): torch.distributions.Distribution {
  const dec = (a: Arg): unknown => {
    if (a !== null && typeof a === "object" && "t" in a) {
      const t = fromGolden(a.t, { requires_grad: a.grad });
      if (a.grad) leaves.push(t);
      return t;
    }
    if (a !== null && typeof a === "object" && "dist" in a) return build(a.dist, leaves);
    if (a !== null && typeof a === "object" && "tr" in a) return buildTransform(a.tr, dec);
    if (Array.isArray(a)) return a.map(dec);
    return a;
  };
  const args = spec.args.map(dec);
  const kw = Object.fromEntries(Object.entries(spec.kwargs).map(([k, v]) => [k, dec(v)]));
  if (Object.keys(kw).length) args.push(kw);
  // ("relaxed_bernoulli.LogitRelaxedBernoulli": a class of a submodule)
  const Cls = spec.family.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], D) as new (...a: unknown[]) => torch.distributions.Distribution;
  return new Cls(...args);
}
const T = torch.distributions.transforms as unknown as Record<string, new (...a: unknown[]) => torch.distributions.Transform>;
function buildTransform(spec: TrSpec, dec: (a: Arg) => unknown): torch.distributions.Transform {
  const args = spec.args.map(dec);
  if (spec.name === "inv") return (args[0] as torch.distributions.Transform).inv;
  if (spec.name === "identity_transform") return torch.distributions.transforms.identity_transform;
  const kw = Object.fromEntries(Object.entries(spec.kwargs).map(([k, v]) => [k, dec(v)]));
  if (Object.keys(kw).length) args.push(kw);
  return new T[spec.name]!(...args);
}
const tens = (a: unknown) => fromGolden((a as { t: GoldenTensor }).t);
function runEval(d: torch.distributions.Distribution, ev: Ev): Tensor {
  const [name, a, b] = ev;
  const dd = d as unknown as Record<string, unknown>;
  if (name === "log_prob" || name === "cdf" || name === "icdf") return (dd[name] as (v: Tensor) => Tensor).call(d, tens(a));
  if (name === "entropy" || name === "perplexity") return (dd[name] as () => Tensor).call(d);
  if (name === "enumerate_support") return d.enumerate_support(a as boolean);
  if (name === "expand_log_prob") return d.expand(a as number[]).log_prob(tens(b));
  return dd[name] as Tensor;
}
function checkGrads(out: Tensor, leaves: Tensor[], grads: (GoldenTensor | null)[] | null, what: string): void {
  if (grads === null) return;
  assert.ok(out.requires_grad, `${what}: requires_grad`);
  const w = torch.arange(out.numel(), { dtype: out.dtype }).div(4).add(1).reshape([...out.shape]);
  const gs = torch.autograd.grad([out.mul(w).sum()], leaves, { allow_unused: true });
  grads.forEach((g, i) => {
    if (g === null) assert.equal(gs[i], null, `${what}: grad ${i} unused`);
    else assertClose(gs[i]!, g, `${what}: grad ${i}`, g.dtype === "float64" ? { rtol: 1e-9, atol: 1e-11 } : undefined);
  });
}

for (const c of G.evals) {
  test(`distributions eval ${c.name}`, () => {
    for (const e of c.evals) {
      const leaves: Tensor[] = [];
      const d = build(c.dist, leaves);
      const out = runEval(d, e.ev);
      const what = `${c.name} ${JSON.stringify(e.ev[0])}`;
      assert.deepEqual(out.shape, e.out.shape, `${what}: shape`);
      assert.equal(out.dtype.name, e.out.dtype, `${what}: dtype`);
      assertClose(out, e.out, what, e.out.dtype === "float64" ? { rtol: 1e-9, atol: 1e-11 } : undefined);
      checkGrads(out, leaves, e.grads, what);
    }
  });
}

for (const c of G.samples) {
  test(`distributions ${c.method} ${c.name}`, () => {
    const leaves: Tensor[] = [];
    const d = build(c.dist, leaves);
    torch.manual_seed(c.seed);
    const out = (c.method === "sample" ? d.sample(c.sample_shape) : d.rsample(c.sample_shape));
    assert.deepEqual(out.shape, c.out.shape);
    assert.equal(out.dtype.name, c.out.dtype);
    // float64 samples through log (exponential_, normal_ below 16 elements): a few ulps (test/random.test.ts)
    assertClose(out, c.out, c.name, c.out.dtype === "float64" ? { rtol: 1e-13, atol: 1e-15 } : undefined);
    checkGrads(out, leaves, c.grads, c.name);
  });
}

for (const c of G.kl) {
  test(`distributions kl_divergence ${c.name}`, () => {
    const leaves: Tensor[] = [];
    const p = build(c.p, leaves), q = build(c.q, leaves);
    const out = torch.distributions.kl_divergence(p, q);
    assertClose(out, c.out, c.name, c.out.dtype === "float64" ? { rtol: 1e-9, atol: 1e-11 } : undefined);
    checkGrads(out, leaves, c.grads, c.name);
  });
}

for (const c of G.errors) {
  test(`distributions error ${c.name}`, () => {
    if (c.call === null) {
      assert.throws(() => build(c.dist), (e: Error) => { assert.equal(e.message, c.error); return true; });
    } else {
      const d = build(c.dist);
      assert.throws(() => runEval(d, c.call!), (e: Error) => { assert.equal(e.message, c.error); return true; });
    }
  });
}

for (const c of G.reprs) {
  test(`distributions repr ${c.name}`, () => {
    const d = build(c.dist);
    for (const a of c.touch) void (d as unknown as Record<string, unknown>)[a];
    assert.equal(String(d), c.repr);
    if (c.support !== null) assert.equal(String(d.support), c.support);
    assert.deepEqual(d.batch_shape, c.batch_shape);
    assert.deepEqual(d.event_shape, c.event_shape);
  });
}

for (const c of G.transforms) {
  test(`distributions transform ${c.name}`, () => {
    const dec = (a: Arg): unknown => a !== null && typeof a === "object" && "t" in a ? fromGolden(a.t)
      : a !== null && typeof a === "object" && "dist" in a ? build(a.dist)
      : a !== null && typeof a === "object" && "tr" in a ? buildTransform(a.tr, dec) : Array.isArray(a) ? a.map(dec) : a;
    const t = buildTransform(c.t.tr, dec);
    const x = fromGolden(c.x, { requires_grad: true });
    const y = t.call(x);
    assertClose(y, c.y, `${c.name}: y`);
    let obj = y.mul(torch.arange(y.numel(), { dtype: y.dtype }).div(4).add(1).reshape([...y.shape])).sum();
    if (c.ladj === null) assert.throws(() => t.log_abs_det_jacobian(x, y), /NotImplementedError/);
    else {
      const ladj = t.log_abs_det_jacobian(x, y);
      assertClose(ladj, c.ladj, `${c.name}: log_abs_det_jacobian`);
      obj = obj.add(ladj.mul(torch.arange(ladj.numel(), { dtype: ladj.dtype }).div(4).add(1).reshape([...ladj.shape])).sum());
    }
    assertClose(t.inv.call(y.detach()), c.x_inv, `${c.name}: inv`);
    assertClose(torch.autograd.grad([obj], [x])[0]!, c.grad_x, `${c.name}: grad`);
    assert.equal(String(t), c.repr);
    assert.equal(String(t.inv), c.inv_repr);
    assert.equal(String(t.domain), c.domain);
    assert.equal(String(t.codomain), c.codomain);
    assert.equal(t.bijective, c.bijective);
    assert.deepEqual(t.forward_shape(c.x.shape), c.forward_shape);
    assert.deepEqual(t.inverse_shape(c.y.shape), c.inverse_shape);
  });
}

test("distributions biject_to and transform_to", () => {
  const C = torch.distributions.constraints;
  const byName: Record<string, torch.distributions.constraints.Constraint> = {
    real: C.real, positive: C.positive, nonnegative: C.nonnegative, unit_interval: C.unit_interval, simplex: C.simplex,
    real_vector: C.real_vector, greater_than_2: C.greater_than(2.0), less_than_1: C.less_than(1.0), "interval_-1_3": C.interval(-1.0, 3.0),
    positive_definite: C.positive_definite, lower_cholesky: C.lower_cholesky, boolean: C.boolean, corr_cholesky: C.corr_cholesky,
    cat: C.cat([C.positive, C.unit_interval], 0, [1, 2]), stack: C.stack([C.real, C.simplex, C.positive], -1),
  };
  for (const c of G.registry) {
    const reg = torch.distributions[c.which];
    if (c.error !== null) assert.throws(() => reg(byName[c.constraint]!), (e: Error) => { assert.equal(e.message, c.error); return true; });
    else assert.equal(String(reg(byName[c.constraint]!)), c.repr, `${c.which}(${c.constraint})`);
  }
});

test("Categorical.sample() draws torch.multinomial(probs_2d, n, true).T (2.x's single-draw path included)", () => {
  const probs = torch.tensor([[0.1, 0.2, 0.7], [0.5, 0.25, 0.25]]);
  const d = new torch.distributions.Categorical(probs);
  for (const shape of [[], [1], [4]]) {
    torch.manual_seed(5);
    const s = d.sample(shape);
    torch.manual_seed(5);
    const n = shape.reduce((a, b) => a * b, 1);
    const ref = torch.multinomial(probs, n, true).T.reshape([...shape, 2]);
    assert.deepEqual(s.tolist(), ref.tolist());
    assert.equal(s.dtype, torch.int64);
  }
});

test("REINFORCE-style use: log_prob of a sample backpropagates to the logits", () => {
  const logits = torch.tensor([0.5, -0.2, 0.1], { requires_grad: true });
  const d = new torch.distributions.Categorical({ logits });
  torch.manual_seed(0);
  const a = d.sample();
  assert.deepEqual(a.shape, []);
  d.log_prob(a).mul(-2).backward();
  const p = logits.detach().softmax(-1);
  const onehot = torch.nn.functional.one_hot(a, 3).to(torch.float32);
  assertClose(logits.grad!, { dtype: "float32", shape: [3], data: [...(p.sub(onehot).mul(2).tolist() as number[])] }, "grad");
});

test("kl_divergence: unregistered pairs, cross exponential families, register_kl", () => {
  const n = new torch.distributions.Normal(0, 1), b = new torch.distributions.Bernoulli(0.5);
  const c = new torch.distributions.Categorical(torch.tensor([0.5, 0.5]));
  assert.throws(() => torch.distributions.kl_divergence(c, n), { message: "No KL(p || q) is implemented for p type Categorical and q type Normal" });
  assert.throws(() => torch.distributions.kl_divergence(n, b),
    { message: "The cross KL-divergence between different exponential families cannot                             be computed using Bregman divergences" });
  class MyNormal extends torch.distributions.Normal {}
  const m = new MyNormal(1, 2);
  assertClose(torch.distributions.kl_divergence(m, n), { dtype: "float32", shape: [], data: [0.5 * (4 + 1 - 1 - Math.log(4))] }, "subclass");
  torch.distributions.register_kl(MyNormal, torch.distributions.Normal)(() => torch.tensor(42));
  assert.equal(torch.distributions.kl_divergence(m, n).item(), 42);
});

test("validate_args: off per instance and by default", () => {
  const d = new torch.distributions.Normal(torch.tensor([0]), torch.tensor([-1]), { validate_args: false });
  assert.ok(Number.isNaN(d.log_prob(torch.tensor([0])).item() as number));
  torch.distributions.Distribution.set_default_validate_args(false);
  try {
    new torch.distributions.Exponential(-1);
  } finally {
    torch.distributions.Distribution.set_default_validate_args(true);
  }
  assert.throws(() => new torch.distributions.Exponential(-1), /to satisfy the constraint GreaterThan\(lower_bound=0.0\)/);
});

test("flags and expand", () => {
  const n = new torch.distributions.Normal(torch.zeros(3), torch.ones(3));
  assert.equal(n.has_rsample, true);
  const ind = new torch.distributions.Independent(n, 1);
  assert.equal(ind.has_rsample, true);
  assert.equal(ind.has_enumerate_support, false);
  const e = n.expand([2, 3]);
  assert.deepEqual(e.batch_shape, [2, 3]);
  assert.equal(String(e), "Normal(loc: torch.Size([2, 3]), scale: torch.Size([2, 3]))");
  const cat = new torch.distributions.Categorical(torch.tensor([0.2, 0.8])).expand([4]);
  assert.deepEqual(cat.sample([3]).shape, [3, 4]);
  assert.equal(new torch.distributions.Bernoulli(0.3).has_enumerate_support, true);
});

test("MultivariateNormal: expand keeps the cached matrices, lazies join the repr, positional and options forms", () => {
  const D = torch.distributions;
  const m = new D.MultivariateNormal(torch.zeros(2), { covariance_matrix: torch.eye(2) });
  assert.equal(m.has_rsample, true);
  void m.scale_tril;
  const e = m.expand([3]);
  assert.deepEqual(e.batch_shape, [3]);
  assert.equal(String(e), "MultivariateNormal(loc: torch.Size([3, 2]), covariance_matrix: torch.Size([3, 2, 2]), scale_tril: torch.Size([3, 2, 2]))");
  assert.deepEqual(e.precision_matrix.shape, [3, 2, 2]);
  assert.equal(String(e), "MultivariateNormal(loc: torch.Size([3, 2]), covariance_matrix: torch.Size([3, 2, 2]), precision_matrix: torch.Size([3, 2, 2]), scale_tril: torch.Size([3, 2, 2]))");
  assert.deepEqual(e.sample([4]).shape, [4, 3, 2]);
  assert.deepEqual(e.log_prob(torch.zeros(2)).shape, [3]);
  // positional (loc, covariance_matrix, precision_matrix, scale_tril, {validate_args}) as in Python
  const L = torch.tensor([[1.0, 0.0], [0.5, 2.0]]);
  const a = new D.MultivariateNormal(torch.zeros(2), null, null, L, { validate_args: false });
  const b = new D.MultivariateNormal(torch.zeros(2), { scale_tril: L });
  assert.deepEqual(a.log_prob(torch.ones(2)).tolist(), b.log_prob(torch.ones(2)).tolist());
  assert.equal(String(a), "MultivariateNormal(loc: torch.Size([2]), scale_tril: torch.Size([2, 2]))");
  assert.equal(String(a.support), "IndependentConstraint(Real(), 1)");
});

test("MultivariateNormal kl_divergence with different event shapes", () => {
  const D = torch.distributions;
  const p = new D.MultivariateNormal(torch.zeros(2), { covariance_matrix: torch.eye(2) });
  const q = new D.MultivariateNormal(torch.zeros(3), { covariance_matrix: torch.eye(3) });
  assert.throws(() => D.kl_divergence(p, q),
    { message: "KL-divergence between two Multivariate Normals with                          different event shapes cannot be computed" });
});

test("matrix constraints: check and printed form", () => {
  const C = torch.distributions.constraints;
  const bools = (t: Tensor) => t.tolist();
  assert.deepEqual(bools(C.lower_cholesky.check(torch.tensor([[[1, 0], [0.5, 1]], [[1, 1], [0, 1]], [[0, 0], [1, 1]]]))), [true, false, false]);
  assert.deepEqual(bools(C.positive_definite.check(torch.tensor([[[2, 1], [1, 2]], [[1, 2], [2, 1]]]))), [true, false]);
  assert.deepEqual(bools(C.positive_definite.check(torch.tensor([[[2, 1], [0, 2]], [[1, 0], [0, 1]]]))), [false, true]);
  assert.equal(C.square.check(torch.zeros(2, 3)).item(), false);
  assert.equal(C.positive_semidefinite.check(torch.tensor([[1, 0], [0, 0]])).item(), true);
  assert.equal(C.lower_triangular.check(torch.tensor([[1, 0], [-1, 0]])).item(), true);
  assert.equal(C.lower_cholesky.event_dim, 2);
  assert.equal(C.positive_definite.event_dim, 2);
  assert.deepEqual([String(C.lower_cholesky), String(C.positive_definite), String(C.symmetric)], ["LowerCholesky()", "PositiveDefinite()", "Symmetric()"]);
});

test("second derivatives through torch.erfinv (Normal.icdf) and torch.lgamma (Binomial.log_prob) as PyTorch", () => {
  const D = torch.distributions;
  const f64 = { dtype: torch.float64 };
  const v = torch.tensor([0.2, 0.9], { ...f64, requires_grad: true });
  const y = new D.Normal(torch.tensor(0.5, f64), torch.tensor(2.0, f64)).icdf(v).sum();
  const [g] = torch.autograd.grad([y], [v], { create_graph: true });
  const [h] = torch.autograd.grad([g!.sum()], [v]);
  assertClose(h!, { dtype: "float64", shape: [2], data: [-21.475770377658723, 83.2185405839956] }, "icdf''", { rtol: 1e-9, atol: 0 });
  const n = torch.tensor([5.0, 7.5], { ...f64, requires_grad: true });
  const lp = new D.Binomial(n, torch.tensor([0.3, 0.6], f64), { validate_args: false }).log_prob(torch.tensor([2.0, 3.0], f64)).sum();
  const [gn] = torch.autograd.grad([lp], [n], { create_graph: true });
  const [hn] = torch.autograd.grad([gn!.sum()], [n]);
  // PyTorch's trigamma is good to ~1e-10 relative here
  assertClose(hn!, { dtype: "float64", shape: [2], data: [-0.10250000002623941, -0.07450426807885427] }, "lgamma''", { rtol: 1e-8, atol: 0 });
});

test("gamma family: float64 gradcheck of log_prob, entropy and kl_divergence; rsample's gradients are ATen's approximations", () => {
  const D = torch.distributions, f64 = { dtype: torch.float64, requires_grad: true };
  const a = torch.tensor([0.7, 2.0, 9.0], f64), b = torch.tensor([1.5, 0.5, 3.0], f64);
  const v = torch.tensor([0.3, 0.6, 0.2], { dtype: torch.float64 });
  const check = (f: (...xs: Tensor[]) => Tensor, xs: Tensor[]) => assert.equal(torch.autograd.gradcheck(f, xs), true);
  check((x, y) => new D.Gamma(x, y).log_prob(v), [a, b]);
  check((x, y) => new D.Gamma(x, y).entropy(), [a, b]);
  check((x, y) => new D.Beta(x, y).log_prob(v), [a, b]);
  check((x, y) => new D.Beta(x, y).entropy(), [a, b]);
  check((x) => new D.Dirichlet(x).log_prob(v.div(v.sum())), [a]);
  check((x, y) => D.kl_divergence(new D.Dirichlet(x), new D.Dirichlet(y)), [a, b]);
  check((x, y) => D.kl_divergence(new D.Beta(x, y), new D.Gamma(y, x)), [a, b]);
  // d(sample)/d(alpha) of Gamma(alpha, 1) is -(dF/dalpha)/f at the sample: compared with the
  // finite difference of the regularized incomplete gamma function's quantile, to 1e-3
  torch.manual_seed(0);
  const x = torch._standard_gamma(torch.tensor([2.5], { dtype: torch.float64 }));
  const g = torch._standard_gamma_grad(torch.tensor([2.5], { dtype: torch.float64 }), x).item() as number;
  const cdf = (al: number, t: number) => { // series for the lower regularized gamma P(al, t)
    let sum = 1 / al, term = 1 / al;
    for (let n = 1; n < 200; n++) { term *= t / (al + n); sum += term; }
    return sum * Math.exp(-t + al * Math.log(t) - (torch.lgamma(torch.tensor(al, { dtype: torch.float64 })).item() as number));
  };
  const t = x.item() as number, h = 1e-6;
  const dFda = (cdf(2.5 + h, t) - cdf(2.5 - h, t)) / (2 * h), dFdt = (cdf(2.5, t + h) - cdf(2.5, t - h)) / (2 * h);
  assert.ok(Math.abs(g - -dFda / dFdt) < 1e-3 * Math.abs(g), `${g} vs ${-dFda / dFdt}`);
});

test("Gamma.cdf is differentiable in the value and the rate, not the concentration (igamma's not_implemented)", () => {
  const a = torch.tensor([2.0], { dtype: torch.float64, requires_grad: true });
  const cdf = new torch.distributions.Gamma(a, torch.tensor([1.0], { dtype: torch.float64 })).cdf(torch.tensor([1.5], { dtype: torch.float64 }));
  assert.throws(() => cdf.sum().backward(), { message: "the derivative for 'igamma: input' is not implemented." });
  const x = torch.tensor([0.5, 2.0], { dtype: torch.float64, requires_grad: true });
  assert.equal(torch.autograd.gradcheck((v: Tensor) => torch.special.gammaincc(torch.tensor([1.5, 3.0], { dtype: torch.float64 }), v), [x]), true);
});

test("ExponentialFamily's entropy through its log normalizer (Bregman form) agrees with Wishart's closed form", () => {
  const cov = torch.tensor([[2.0, 0.3], [0.3, 1.5]], { dtype: torch.float64 });
  const w = new torch.distributions.Wishart(torch.tensor([4.0, 6.5], { dtype: torch.float64 }), { covariance_matrix: cov });
  const viaBregman = torch.distributions.ExponentialFamily.prototype.entropy.call(w);
  assertClose(viaBregman, { dtype: "float64", shape: [2], data: [...(w.entropy().tolist() as number[])] }, "entropy", { rtol: 1e-12, atol: 1e-12 });
});
