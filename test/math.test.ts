// The remaining pointwise math and torch.special against PyTorch: one test per case of
// test/golden/math.json (tools/gen_golden_math.py) through test/opdb_math.ts, plus what the op
// db cannot express.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch from "typetorch";
import { OPS_MATH } from "./opdb_math.js";
import { runOpDb } from "./opdb_runner.js";

runOpDb("math.json", OPS_MATH);

const dbl = { dtype: torch.float64 };

test("positive: the input itself; bool is PyTorch's error", () => {
  const x = torch.tensor([1, -2], dbl).requires_grad_();
  assert.equal(torch.positive(x), x);
  assert.equal(x.positive(), x);
  assert.throws(() => torch.positive(torch.tensor([true])), /The `\+` operator, on a bool tensor is not supported\./);
});

test("is_nonzero: one element's truth, PyTorch's errors otherwise", () => {
  assert.equal(torch.is_nonzero(torch.tensor([0.5])), true);
  assert.equal(torch.tensor(0, dbl).is_nonzero(), false);
  assert.equal(torch.is_nonzero(torch.tensor([[false]])), false);
  assert.throws(() => torch.is_nonzero(torch.tensor([1, 2])), /Boolean value of Tensor with more than one value is ambiguous/);
  assert.throws(() => torch.is_nonzero(torch.tensor([])), /Boolean value of Tensor with no values is ambiguous/);
});

test("frexp: a named pair, int32 exponents, mantissa·2^exponent rebuilds x (subnormals too)", () => {
  const vals = [3, -0.375, 1e-310, 5e-324, 1.7976931348623157e308, 2 ** -1022, 1];
  const x = torch.tensor(vals, dbl);
  const r = torch.frexp(x);
  const [m, e] = r;
  assert.equal(r.mantissa, m);
  assert.equal(r.exponent, e);
  assert.equal(e!.dtype, torch.int32);
  const ms = m!.tolist() as number[], es = e!.tolist() as number[];
  vals.forEach((v, i) => {
    assert.ok(Math.abs(ms[i]!) >= 0.5 && Math.abs(ms[i]!) < 1, `mantissa of ${v}`);
    const k = Math.trunc(es[i]! / 2);
    assert.equal(ms[i]! * 2 ** k * 2 ** (es[i]! - k), v);
  });
  assert.deepEqual(x.frexp().exponent.tolist(), es);
});

test("backward through ops without a derivative raises PyTorch's errors", () => {
  const x = torch.tensor([0.5, -1], dbl).requires_grad_(), y = torch.tensor([1, 2], dbl).requires_grad_();
  assert.throws(() => torch.heaviside(x, y).sum().backward(), /derivative for aten::heaviside is not implemented/);
  const s = torch.tensor([2, 3], dbl).requires_grad_(), q = torch.tensor([1.5, 2], dbl).requires_grad_();
  assert.throws(() => torch.special.zeta(s, q).sum().backward(), /the derivative for 'zeta' is not implemented\./);
  // the q-derivative alone is there: d/dq ζ(s, q) = −s·ζ(s+1, q)
  const [gq] = torch.autograd.grad([torch.special.zeta(s.detach(), q)], [q], { grad_outputs: [torch.ones(2, dbl)] });
  const want = torch.special.zeta(s.detach().add(1), q.detach()).mul(s.detach()).neg();
  assert.ok(torch.allclose(gq!, want));
  assert.throws(() => x.detach().add(2).requires_grad_().clone().acosh_().sum().backward(),
    /the derivative for 'inplace version of acosh' is not implemented\./);
});

test("ldexp_ (2.x): LdexpBackward0, and the gradient pow(2, e) in integers (0 for e < 0)", () => {
  const x = torch.tensor([1.5, -0.25, 3], dbl).requires_grad_();
  const e = torch.tensor([1n, -2n, 3n]);
  const y = x.clone().ldexp_(e);
  assert.deepEqual(y.tolist(), [3, -0.0625, 24]);
  assert.equal(y.grad_fn!.name(), "LdexpBackward0");
  y.sum().backward();
  assert.deepEqual(x.grad!.tolist(), [2, 0, 8]);
});

test("known values: digamma(1) = −γ, polygamma(1, 1) = π²/6, lgamma(1/2) = log √π, erfinv(erf(x)) = x", () => {
  const near = (a: number, b: number, tol = 1e-14) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
  near(torch.digamma(torch.tensor([1], dbl)).item() as number, -0.5772156649015329);
  // PyTorch's trigamma (6 recurrence steps, then the asymptotic series) is good to ~5e-10 here:
  // the same number as PyTorch's, 1.6449340676383375
  assert.equal(torch.polygamma(1, torch.tensor([1], dbl)).item(), 1.6449340676383375);
  near(torch.polygamma(2, torch.tensor([1], dbl)).item() as number, -2 * 1.2020569031595942);
  near(torch.lgamma(torch.tensor([0.5], dbl)).item() as number, 0.5 * Math.log(Math.PI));
  near(torch.lgamma(torch.tensor([-0.5], dbl)).item() as number, Math.log(2 * Math.sqrt(Math.PI)));
  near(torch.special.zeta(torch.tensor([2], dbl), 1).item() as number, Math.PI ** 2 / 6, 1e-15);
  const x = torch.linspace(-2.5, 2.5, 11, dbl);
  assert.ok(torch.allclose(torch.erfinv(torch.erf(x)), x, { rtol: 1e-12, atol: 1e-12 }));
  near(torch.special.ndtri(torch.special.ndtr(torch.tensor([1.25], dbl))).item() as number, 1.25, 1e-13);
});

test("torch.special: PyTorch's names, each the same op as torch.*'s", () => {
  const names = ["expit", "logit", "erf", "erfc", "erfcx", "erfinv", "gammaln", "digamma", "psi", "polygamma", "multigammaln",
    "i0", "i0e", "i1", "i1e", "ndtr", "ndtri", "log_ndtr", "log1p", "expm1", "exp2", "sinc", "round", "xlogy", "xlog1py",
    "entr", "logsumexp", "softmax", "log_softmax", "zeta"];
  for (const n of names) assert.equal(typeof (torch.special as Record<string, unknown>)[n], "function", n);
  const x = torch.tensor([0.3, 1.7], dbl).requires_grad_();
  // the same ops (torch.*'s forms only add PyTorch's out=, src/torch_out.ts)
  for (const [s, t] of [[torch.special.gammaln, torch.lgamma], [torch.special.psi, torch.digamma], [torch.special.expit, torch.sigmoid]] as const) {
    const [a, b] = [s(x), t(x)];
    assert.deepEqual(a.tolist(), b.tolist());
    assert.equal(a.grad_fn!.name(), b.grad_fn!.name());
  }
  assert.equal(torch.special.expit(x).grad_fn!.name(), "SigmoidBackward0");
  assert.equal(torch.special.multigammaln(x.add(1), 2).grad_fn!.name(), "MvlgammaBackward0");
  assert.equal(torch.special.round(x).grad_fn!.name(), "RoundBackward1");
});

test("method forms: polygamma(n), mvlgamma(p), addcmul/addcdiv with value, in-place writes", () => {
  const x = torch.tensor([0.7, 2.5], dbl);
  assert.deepEqual(x.polygamma(1).tolist(), torch.polygamma(1, x).tolist());
  assert.deepEqual(x.mvlgamma(2).tolist(), torch.mvlgamma(x, 2).tolist());
  const a = torch.tensor([1, 2], dbl), b = torch.tensor([4, 8], dbl);
  assert.deepEqual(x.clone().addcmul_(a, b, { value: 0.5 }).tolist(), [2.7, 10.5]);
  assert.deepEqual(x.clone().addcdiv_(a, b, { value: 2 }).tolist(), [1.2, 3]);
  const i = torch.tensor([12n, -18n]);
  assert.deepEqual(i.clone().gcd_(torch.tensor([8n, 12n])).tolist(), [4, 6]);
  assert.deepEqual(i.lcm(torch.tensor([8n, 12n])).tolist(), [24, 36]);
  assert.throws(() => torch.polygamma(-2, x), /polygamma\(n, x\) does not support negative n\./);
  assert.throws(() => torch.mvlgamma(x, 0), /p has to be greater than or equal to 1/);
});
