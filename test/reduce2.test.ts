// Statistics, sorting, norms and contractions against PyTorch: every case of
// test/golden/reduce2.json (tools/gen_golden_reduce.py) for forward values, gradients and
// grad_fn names; then the behaviours the golden file cannot show (errors, NaN rules, ties).

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import "../src/ops/statistics.js";
import "../src/ops/sorting.js";
import "../src/ops/norms.js";
import "../src/ops/einsum.js";
import * as S from "../src/ops/statistics.js";
import * as O from "../src/ops/sorting.js";
import * as N from "../src/ops/norms.js";
import * as E from "../src/ops/einsum.js";
import * as linalg from "../src/ops/linalg_ns.js";
import { loadGolden, makeInput, decArg, assertTensor, type Case } from "./reduce2_helpers.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (...a: any[]) => unknown;
/** Python's call `fn(*pre, *inputs, *args, **kwargs)` in our API: keyword arguments become the
 *  trailing options object (omitted when Python passed none). */
const OPS: Record<string, Fn> = {
  var: S.var, std: S.std, var_mean: S.var_mean, std_mean: S.std_mean,
  nansum: S.nansum, nanmean: S.nanmean, count_nonzero: S.count_nonzero, aminmax: S.aminmax,
  cummax: S.cummax, cummin: S.cummin, logcumsumexp: S.logcumsumexp, diff: S.diff,
  cumulative_trapezoid: S.cumulative_trapezoid, trapezoid: S.trapezoid,
  sort: O.sort, argsort: O.argsort, msort: O.msort, topk: O.topk, kthvalue: O.kthvalue,
  median: O.median as Fn, nanmedian: O.nanmedian as Fn, mode: O.mode, quantile: O.quantile, nanquantile: O.nanquantile,
  unique: (x: Tensor, o?: any) => O.unique(x, o), unique_consecutive: (x: Tensor, o?: any) => O.unique_consecutive(x, o),
  norm: N.norm, dist: N.dist, cdist: N.cdist,
  "linalg.vector_norm": linalg.vector_norm, "linalg.matrix_norm": linalg.matrix_norm, "linalg.norm": linalg.norm,
  "linalg.svdvals": linalg.svdvals, "linalg.cross": linalg.cross,
  einsum: E.einsum as Fn, tensordot: E.tensordot, kron: E.kron, cross: E.cross,
  prod: (x: Tensor, ...a: any[]) => torch.prod(x, ...a), cumprod: (x: Tensor, d: number) => torch.cumprod(x, d),
};

function run(c: Case): { outs: Tensor[]; leaves: Tensor[] } {
  const made = c.inputs.map(makeInput);
  const fn = OPS[c.op];
  assert.ok(fn, `no op ${c.op}`);
  const kw = decArg(c.kwargs) as Record<string, unknown>;
  const call = [...(decArg(c.pre) as unknown[]), ...made.map((m) => m.x), ...(decArg(c.args) as unknown[])];
  if (Object.keys(kw).length) call.push(kw);
  const r = fn(...call);
  const outs = r instanceof torch.Tensor ? [r] : Array.from(r as Iterable<Tensor>);
  return { outs, leaves: made.filter((m, i) => c.inputs[i]!.requires_grad).map((m) => m.leaf) };
}

const cases = loadGolden();

function check(c: Case): void {
  const { outs, leaves } = run(c);
  assert.equal(outs.length, c.outputs.length, `${c.id}: number of outputs`);
  outs.forEach((o, i) => assertTensor(o, c.outputs[i]!, `${c.id} output ${i}`));
  if (c.grad_fn !== null) assert.equal(outs[0]!.grad_fn?.name() ?? null, c.grad_fn, `${c.id}: grad_fn ${outs[0]!.grad_fn?.name()} vs ${c.grad_fn}`);
  if (!c.grads) return;
  const diffOuts = outs.filter((o) => o.requires_grad);
  const ups = c.upstream!.map((u) => torch.tensor(u.data.map(Number), { dtype: diffOuts[0]!.dtype }).reshape(u.shape));
  const gs = torch.autograd.grad(diffOuts, leaves, { grad_outputs: ups, allow_unused: true });
  gs.forEach((g, i) => {
    const want = c.grads![i];
    if (!want) return;
    assert.ok(g, `${c.id}: gradient ${i} missing`);
    // gradients go through a few more roundings than the forward in float32
    assertTensor(g, want, `${c.id} grad ${i}`, want.dtype === "float32" ? [1e-4, 2e-5] : undefined);
  });
}

// One test per op: every golden case of it (forward values, gradients, grad_fn name).
const byOp = new Map<string, Case[]>();
for (const c of cases) byOp.set(c.op, [...(byOp.get(c.op) ?? []), c]);
for (const [op, cs] of byOp) {
  test(`golden ${op}: ${cs.length} cases`, () => {
    const failures: string[] = [];
    for (const c of cs) try { check(c); } catch (e) { failures.push(`${c.id}: ${(e as Error).message.split("\n")[0]}`); }
    assert.deepEqual(failures, []);
  });
}

test("golden file covers every op", () => {
  assert.deepEqual([...byOp.keys()].filter((op) => !(op in OPS)), []);
  assert.deepEqual(Object.keys(OPS).filter((op) => !byOp.has(op)), []);
});
