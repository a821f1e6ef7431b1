// vmap's batching rules against PyTorch 2.x (test/golden/vmap.json, from tools/gen_golden_vmap.py):
// each case runs the generator's program of the same name on the same inputs; the batched results
// also equal the function run once per sample; the per-sample-gradient and ensembling programs run
// without a per-sample fallback.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import { readGolden, assertClose, fromGolden, type GoldenTensor } from "./helpers.js";

const { grad, vmap, functional_call, stack_module_state } = torch.func;
const F = torch.nn.functional, nn = torch.nn;
const sl = torch.slice;
type Tree = GoldenTensor | Tree[] | { [k: string]: Tree | string };
type Fn = (...a: Tensor[]) => unknown;
const G = readGolden<{ cases: Record<string, { inputs: GoldenTensor[]; out: Tree }> }>("vmap.json").cases;

function assertTree(actual: unknown, expected: Tree | string, what: string, tol = { rtol: 1e-5, atol: 1e-5 }): void {
  if (typeof expected === "string") assert.equal(actual, expected, what);
  else if (Array.isArray(expected)) {
    assert.ok(Array.isArray(actual), `${what}: expected an array`);
    assert.equal((actual as unknown[]).length, expected.length, `${what}: length`);
    expected.forEach((e, i) => assertTree((actual as unknown[])[i], e, `${what}[${i}]`, tol));
  } else if ("dtype" in expected && "shape" in expected) {
    assert.ok(actual instanceof torch.Tensor, `${what}: expected a tensor`);
    assertClose(actual as Tensor, expected as GoldenTensor, what, tol);
  } else {
    for (const k of Object.keys(expected)) assertTree((actual as Record<string, unknown>)[k], (expected as Record<string, Tree>)[k]!, `${what}.${k}`, tol);
  }
}

/** The warnings printed while f runs (warnOnce prints each message once per process). */
function warningsOf(f: () => void): string[] {
  const seen: string[] = [], warn = console.warn;
  console.warn = (...a: unknown[]) => { seen.push(a.join(" ")); };
  try { f(); } finally { console.warn = warn; }
  return seen;
}
const fallbacks = (ws: string[]): string[] => ws.filter((w) => w.includes("performance drop"));

const views = (a: Tensor): Tensor[] => [
  a.contiguous().view(-1), a.reshape(4, 3), a.unsqueeze(1), a.index(null).squeeze(), a.transpose(0, 1), a.permute(1, 0), a.flatten(),
  a.t(), a.expand(2, 3, 4), a.index(1), a.index(sl(null), sl(1, 3)), a.index("...", null), a.select(1, 2), a.narrow(0, 1, 2),
];
const activations = (a: Tensor): Tensor[] => [F.relu(a), F.gelu(a), torch.sigmoid(a), a.tanh(), F.softmax(a, -1), F.log_softmax(a, 0)];
const reductions = (a: Tensor): Tensor[] => {
  const m = a.max(1);
  return [a.sum(), a.sum(0), a.mean(-1, true), a.amax(0), m.values, m.indices, a.argmax(), a.max(), a.logsumexp(1), a.min(0).values];
};

function cnnLoss(p: Record<string, Tensor>, x: Tensor, t: Tensor): Tensor {
  let h = F.conv2d(x.unsqueeze(0), p["conv.weight"]!, p["conv.bias"]!);
  h = F.max_pool2d(F.relu(h), 2).flatten(1);
  return F.cross_entropy(F.linear(h, p["fc.weight"]!, p["fc.bias"]!), t.unsqueeze(0));
}
const cnnParams = ([cw, cb, fw, fb]: Tensor[]): Record<string, Tensor> => ({ "conv.weight": cw!, "conv.bias": cb!, "fc.weight": fw!, "fc.bias": fb! });

const PROGRAMS: Record<string, (...xs: Tensor[]) => unknown> = {
  binary_broadcast: (x, y) => vmap((a: Tensor, b: Tensor) => a.mul(b).add(2), [0, null])(x, y),
  binary_in_dims: (x, y) => vmap((a: Tensor, b: Tensor) => a.sub(b), [1, 0])(x, y),
  scalar_promotion: (x, s) => vmap((a: Tensor, c: Tensor) => [a.mul(c), c.exp().add(1), a.div(c).sub(0.5, { alpha: 2 })])(x, s!.double()),
  masks_bounds: (x, lo) => [vmap((a: Tensor) => a.clamp({ min: lo, max: lo!.add(1) }), 1)(x), vmap((a: Tensor) => torch.where(a.gt(0), a, lo!.double()), 1)(x),
    vmap((a: Tensor) => a.masked_fill(a.lt(0), 0.5), 1)(x), vmap((a: Tensor) => a.where(a.gt(0), torch.zeros([])))(x)],
  activations: (x) => vmap(activations)(x),
  reductions: (x) => vmap(reductions)(x),
  views_dim0: (x) => vmap(views)(x),
  views_dim1: (x) => vmap(views, 1)(x),
  mm_left: (a, m) => vmap(torch.mm, [0, null])(a, m),
  mm_right: (p, n) => vmap(torch.mm, [null, 0])(p, n),
  mm_both: (a, n) => vmap(torch.mm)(a, n),
  matmul_1d: (v, m, m2, v2, t) => [vmap(torch.matmul, [0, null])(v, m), vmap(torch.matmul, [null, 0])(m2, v),
    vmap(torch.matmul)(v, v2), vmap(torch.dot)(v, v2), vmap(torch.matmul, [0, null])(v, t)],
  addmm: (b, a, m) => vmap((b: Tensor, m1: Tensor, m2: Tensor) => torch.addmm(b, m1, m2, { beta: 0.5, alpha: 2 }), [null, 0, null])(b, a, m),
  linear: (x, w, b, ws, bs, x2) => [vmap(F.linear, [0, null, null])(x, w, b), vmap(F.linear, [null, 0, 0])(x2, ws, bs),
    vmap(F.linear)(x, ws, bs), vmap(F.linear)(x!.select(1, 0), ws)],
  conv2d: (x, w, b, ws, bs) => [vmap(F.conv2d, [0, null, null])(x, w, b), vmap(F.conv2d, [0, null, null])(x!.select(1, 0), w, b),
    vmap(F.conv2d, [null, 0, 0])(x!.index(0), ws, bs), vmap(F.conv2d)(x, ws, bs), vmap(F.conv2d)(x!.select(1, 0), ws)],
  conv2d_groups: (x, w) => vmap((x: Tensor, w: Tensor) => F.conv2d(x, w, null, 2, 1, 1, 2))(x, w),
  conv1d: (x, w, b, w1) => [vmap((x: Tensor, w: Tensor, b: Tensor) => F.conv1d(x, w, b, { padding: "same" }))(x, w, b), vmap(F.conv1d, [0, null])(x, w1)],
  max_pool2d: (x) => [vmap((a: Tensor) => F.max_pool2d(a, 2))(x), vmap((a: Tensor) => F.max_pool2d(a, 3, 2, 1))(x!.select(1, 0)),
    vmap((a: Tensor) => F.avg_pool2d(a, 2))(x)],
  losses: (x, t, w, y) => [vmap(F.cross_entropy)(x, t), vmap(F.cross_entropy, [0, null])(x, t!.index(0)),
    vmap((a: Tensor, b: Tensor) => F.nll_loss(a.log_softmax(1), b, { weight: w!.abs(), ignore_index: 1 }))(x, t),
    vmap((a: Tensor, b: Tensor) => F.nll_loss(a, b, { reduction: "none" }))(x, t), vmap(F.nll_loss)(x!.select(1, 0), t!.select(1, 0)),
    vmap((a: Tensor, b: Tensor) => [F.mse_loss(a, b), F.mse_loss(a, b, { reduction: "sum" }), F.mse_loss(a, b, { reduction: "none" })])(x, y)],
  per_sample_grads: (cw, cb, fw, fb, x, t) => vmap(grad(cnnLoss), [null, 0, 0])(cnnParams([cw!, cb!, fw!, fb!]), x, t),
  per_sample_grads_conv1d: (cw, cb, c2, fw, fb, x, t) => vmap(grad((p: Record<string, Tensor>, x: Tensor, t: Tensor): Tensor => {
    let h = F.conv1d(x, p["cw"]!, p["cb"]!, { stride: 2, padding: 1, dilation: 2 }).relu();
    h = F.conv2d(h.index(null, null), p["c2"]!, null, [1, 2], [1, 2]).squeeze(0).squeeze(0);
    return F.mse_loss(F.linear(h, p["fw"]!, p["fb"]!), t);
  }), [null, 0, 0])({ cw: cw!, cb: cb!, c2: c2!, fw: fw!, fb: fb! }, x, t),
  per_sample_hessian: (w1, w2, x) => vmap(torch.func.hessian((w1: Tensor, w2: Tensor, x: Tensor) => F.linear(F.linear(x, w1).tanh(), w2).pow(2).sum(), [0, 1]), [null, null, 0])(w1, w2, x),
  nested: (a, n, x, w) => {
    const g = grad((x: Tensor, w: Tensor) => x.matmul(w).tanh().sum());
    return [vmap(vmap(torch.mm, [0, null]), [null, 0])(a, n), vmap(vmap((u: Tensor, v: Tensor) => u.mul(v).softmax(0).sum(0)), [0, null])(a, a!.index(0)),
      vmap(vmap(g, [0, null]), [null, 0])(x, w)];
  },
  in_out_dims: (x, y, z) => [vmap((d: Record<string, Tensor>) => d["a"]!.mul(d["b"]!), [{ a: 1, b: null }], 1)({ a: x, b: y }),
    vmap((a: Tensor) => [a.sum(), a.mul(2)], 0, [0, 1])(x), vmap((_a: Tensor) => torch.ones(2), 1)(x),
    vmap((a: Tensor) => a.softmax(0), { chunk_size: 2 })(z), vmap((a: Tensor) => a.sum(), -1)(x)],
  randomness: (x) => {
    torch.manual_seed(0);
    return [vmap((a: Tensor) => a.add(torch.rand(2)), { randomness: "different" })(x), vmap((a: Tensor) => a.add(torch.randn(2)), { randomness: "same" })(x),
      vmap((a: Tensor) => a.add(torch.randn([])), { randomness: "different" })(x)];
  },
  vmap_vjp: (x, cts) => {
    const [, fn] = torch.func.vjp((a: Tensor) => a.sin().mul(a).add(a.exp().sum()), x!) as [Tensor, (c: Tensor) => Tensor[]];
    return vmap(fn)(cts);
  },
  dropout_same: (x) => {
    torch.manual_seed(0);
    return vmap((a: Tensor) => F.dropout(a, 0.5), { randomness: "same" })(x);
  },
  dropout_different: (x) => {
    torch.manual_seed(0);
    return vmap((a: Tensor) => F.dropout(a, 0.5), { in_dims: 1, randomness: "different" })(x);
  },
  norm_embedding: (x, w, ws, bs, idx, table) => {
    const ln = (w: Tensor, b: Tensor, a: Tensor): Tensor => F.layer_norm(a, [3], w, b).pow(2).sum();
    return [vmap((a: Tensor) => F.layer_norm(a, [3], w, w!.cos()))(x),
      vmap((a: Tensor, w: Tensor, b: Tensor) => F.layer_norm(a, [4, 3], null, null, 1e-3).add(w.sum().mul(0)).add(b.sum()))(x, ws, bs),
      vmap((a: Tensor, w: Tensor, b: Tensor) => F.layer_norm(a, [3], w, b))(x, ws, bs), vmap(grad(ln, [0, 1]), [null, null, 0])(w, w!.sin(), x),
      vmap(F.embedding, [0, null])(idx, table)];
  },
  batch_norm: (x, w, b, rms, rvs) => {
    const rm = w!.sin(), rv = b!.exp();
    const out = [vmap((a: Tensor) => F.batch_norm(a, rm, rv, w, b, false, 0.1, 1e-3))(x), vmap((a: Tensor) => F.batch_norm(a, null, null, w, b, true))(x),
      vmap((a: Tensor) => F.batch_norm(a, null, null, { training: true }))(x!.select(3, 0))];
    const ms = rms!.clone(), vs = rvs!.exp();
    // (running statistics batched along with the input: per sample, each sample's own updated)
    const y = vmap((a: Tensor, m: Tensor, v: Tensor) => F.batch_norm(a, m, v, null, null, true, 0.2))(x, ms, vs);
    let error = "";
    try { vmap((a: Tensor) => F.batch_norm(a, rm, rv, { training: true }))(x); } catch (e) { error = (e as Error).message; }
    return { out, batched_stats: [y, ms, vs], error };
  },
  group_instance_norm: (x, w, ws, bs) => [vmap((a: Tensor) => F.group_norm(a, 2, w, w!.cos()))(x),
    vmap((a: Tensor, w: Tensor, b: Tensor) => F.group_norm(a, 4, w, b, 1e-3))(x, ws, bs), vmap(F.instance_norm)(x),
    vmap((a: Tensor, w: Tensor, b: Tensor) => F.instance_norm(a, { weight: w, bias: b }))(x, ws, bs),
    vmap(grad((w: Tensor, a: Tensor) => F.group_norm(a, 2, w).pow(2).sum()), [null, 0])(w, x),
    vmap(grad((a: Tensor) => F.instance_norm(a).sin().sum()))(x)],
  instance_norm_stats: (x, rm0, rv0, rms0, rvs0, ws) => {
    const rvE = rv0!.exp(), rvsE = rvs0!.exp();
    const rm = rm0!.clone(), rv = rvE.clone(), rms = rms0!.clone(), rvs = rvsE.clone();
    const ev = vmap((a: Tensor) => F.instance_norm(a, rm, rv, { use_input_stats: false, eps: 1e-3 }))(x);
    const evW = vmap((a: Tensor, w: Tensor) => F.instance_norm(a, rm, rv, { weight: w, bias: w.cos(), use_input_stats: false }))(x, ws);
    const tr = vmap((a: Tensor, m: Tensor, v: Tensor) => F.instance_norm(a, m, v, { use_input_stats: true, momentum: 0.2 }))(x, rms, rvs);
    const trStats = [rms.clone(), rvs.clone()];
    const evB = vmap((a: Tensor, m: Tensor, v: Tensor) => F.instance_norm(a, m, v, { use_input_stats: false }))(x, rms, rvs);
    const un = vmap((m: Tensor, v: Tensor) => F.instance_norm(x!.index(0), m, v, { weight: rm0, momentum: 0.3 }))(rms, rvs);
    const mixed = vmap((a: Tensor, m: Tensor) => F.instance_norm(a, m, rv, { use_input_stats: false }))(x, rms);
    const g = vmap(grad((a: Tensor) => F.instance_norm(a, rm0, rvE, { use_input_stats: false }).sin().sum()))(x);
    const mod = new nn.InstanceNorm1d(4, { affine: true, track_running_stats: true });
    torch.no_grad(() => { mod.weight!.copy_(rm0!); (mod.running_var as Tensor).copy_(rvE); });
    const yMod = vmap((a: Tensor) => mod.eval().forward(a))(x);
    const errors = [() => vmap((a: Tensor) => F.instance_norm(a, rm0!.clone(), rvE.clone()))(x),
      () => vmap((a: Tensor, m: Tensor) => F.instance_norm(a, m, rvE.clone()))(x, rms0!.clone()),
      () => vmap((a: Tensor) => mod.train().forward(a))(x)].map((f) => { try { f(); return null; } catch (e) { return (e as Error).message; } });
    const bm = rms0!.clone(), bv = rvsE.clone();
    const bn = vmap((a: Tensor, m: Tensor, v: Tensor, w: Tensor) => F.batch_norm(a, m, v, w, w.sin(), true, 0.3))(x, bm, bv, ws);
    return { eval: [ev, evW, rm, rv], train: [tr, ...trStats], eval_batched: [evB, rms, rvs], unbatched_input: un,
      mixed: [mixed, rms, rv], grad: g, module: yMod, errors, batch_norm: [bn, bm, bv] };
  },
  conv_transpose: (x, w, b, ws, bs, x2, w2s) => [vmap(F.conv_transpose1d, [0, null, null])(x, w, b),
    vmap((a: Tensor, w: Tensor, b: Tensor) => F.conv_transpose1d(a, w, b, 2, 1, 1))(x, ws, bs),
    vmap(F.conv_transpose1d, [0, null])(x!.select(1, 0), w),
    vmap((a: Tensor, w: Tensor) => F.conv_transpose2d(a, w, null, 2, 1))(x2, w2s),
    vmap((a: Tensor) => F.conv_transpose2d(a, w2s!.index(0), null, 1, 0, 0, 1, 2))(x2),
    vmap(grad((w: Tensor, a: Tensor) => F.conv_transpose1d(a, w).pow(2).sum()), [null, 0])(w, x),
    vmap(grad((a: Tensor, w: Tensor) => F.conv_transpose1d(a, w, null, 2).sin().sum()))(x, ws)],
  gather_scatter: (x, idx, idx0, sel, sel0) => {
    const uniq = x!.argsort(-1).index("...", sl(null, 2)); // distinct indices per row, for scatter's src
    return [vmap((a: Tensor, i: Tensor) => a.gather(1, i))(x, idx), vmap((a: Tensor) => a.gather(1, idx0!))(x),
      vmap((i: Tensor) => x!.index(0).gather(1, i))(idx),
      vmap((a: Tensor, i: Tensor) => a.scatter(1, i, 2.0))(x, idx), vmap((a: Tensor, i: Tensor) => a.scatter_add(1, i, a.index(sl(null), sl(null, 2))))(x, idx),
      vmap((a: Tensor, i: Tensor) => torch.scatter(a, 1, i, a.index(sl(null), sl(2, 4)).mul(3)))(x, uniq),
      vmap((a: Tensor) => a.index_select(0, sel0!))(x), vmap((a: Tensor, i: Tensor) => a.index_select(1, i))(x, sel),
      vmap((i: Tensor) => x!.index(0).index_select(1, i))(sel),
      vmap(grad((a: Tensor, i: Tensor) => a.gather(1, i).pow(2).sum()))(x, idx),
      vmap(grad((a: Tensor, i: Tensor) => a.scatter_add(1, i, a.index(sl(null), sl(null, 2)).exp()).sin().sum()))(x, idx),
      vmap(grad((a: Tensor, i: Tensor) => a.index_select(1, i).pow(3).sum()))(x, sel)];
  },
  sorting: (x) => [vmap((a: Tensor) => a.sort())(x), vmap((a: Tensor) => a.sort(0, { descending: true }))(x),
    vmap((a: Tensor) => torch.sort(a, { dim: 0, stable: true }))(x), vmap((a: Tensor) => a.argsort(1))(x), vmap((a: Tensor) => a.topk(2))(x),
    vmap((a: Tensor) => a.topk(3, 0, { largest: false }))(x),
    vmap(grad((a: Tensor) => a.sort(0).values.cumsum(0).pow(2).sum()))(x),
    vmap(grad((a: Tensor) => a.topk(2, 1).values.exp().sum()))(x)],
  linalg: (m, b, bs, b2) => {
    const spd = m!.matmul(m!.mT).add(torch.eye(4)), L = torch.linalg;
    return [vmap(L.det)(m), vmap(L.inv)(m), vmap(L.solve)(m, bs), vmap(L.solve, [0, null])(m, b),
      vmap(L.solve, [null, 0])(m!.index(0), bs), vmap(L.solve)(m, b2), vmap(L.cholesky)(spd),
      vmap((a: Tensor) => L.cholesky(a, { upper: true }))(spd), vmap(L.slogdet)(m),
      vmap(L.matrix_norm)(m), vmap((a: Tensor) => L.matrix_norm(a, 1))(m), vmap((a: Tensor) => L.matrix_norm(a, Infinity, { keepdim: true }))(m),
      vmap(L.vector_norm)(m), vmap((a: Tensor) => L.vector_norm(a, 1, { dim: 0 }))(m), vmap((a: Tensor) => L.vector_norm(a, 3, { dim: [0, 1], keepdim: true }))(m),
      vmap((a: Tensor) => L.vector_norm(a, { keepdim: true }))(m), vmap(L.vector_norm)(bs!.select(1, 0)),
      vmap(grad(L.det))(m), vmap(grad((a: Tensor, v: Tensor) => L.solve(a, v).sum(), [0, 1]))(m, bs),
      vmap(grad((a: Tensor) => L.inv(a).sum()))(m), vmap(grad((a: Tensor) => L.cholesky(a).sum()))(spd),
      vmap(grad((a: Tensor) => L.slogdet(a)[1]!))(m), vmap(grad(L.vector_norm))(m), vmap(grad(L.matrix_norm))(m)];
  },
  fallback: (x) => ({ out: vmap((a: Tensor) => torch.histc(a, 4, -2, 2))(x) }),
};

const inputs = (name: string): Tensor[] => G[name]!.inputs.map((g) => fromGolden(g));

test("vmap(grad) per-sample gradients and vmap over stack_module_state run batched: no per-sample fallback", () => {
  const ws = warningsOf(() => {
    torch.manual_seed(0);
    const model = new nn.Sequential(new nn.Conv2d(1, 4, 3), new nn.ReLU(), new nn.MaxPool2d(2), new nn.Flatten(), new nn.Linear(36, 3));
    const params = Object.fromEntries(model.named_parameters().map(([k, v]) => [k, v.detach()]));
    const loss = (p: Record<string, Tensor>, x: Tensor, t: Tensor): Tensor =>
      F.cross_entropy(functional_call(model, p, [x.unsqueeze(0)]) as Tensor, t.unsqueeze(0));
    const x = torch.randn(6, 1, 8, 8), t = torch.randint(3, [6]);
    const g = vmap(grad(loss), [null, 0, 0])(params, x, t) as Record<string, Tensor>;
    // the per-sample loop: autograd one sample at a time
    for (let i = 0; i < 6; i++) {
      const ps = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v.clone().requires_grad_()]));
      const gs = torch.autograd.grad(loss(ps, x.index(i), t.index(i)), Object.values(ps));
      Object.keys(ps).forEach((k, j) => assert.ok(torch.allclose(g[k]!.index(i), gs[j]!, { atol: 1e-6, rtol: 1e-5 }), `sample ${i} ${k}`));
    }
    const models = Array.from({ length: 4 }, () => new nn.Sequential(new nn.Linear(5, 8), new nn.GELU(), new nn.Linear(8, 2)));
    const [ps, bs] = stack_module_state(models);
    const xs = torch.randn(4, 7, 5);
    const ens = vmap((p: Record<string, Tensor>, b: Record<string, Tensor>, x: Tensor) => functional_call(models[0]!, [p, b], [x]))(ps, bs, xs) as Tensor;
    const shared = vmap((p: Record<string, Tensor>, b: Record<string, Tensor>, x: Tensor) => functional_call(models[0]!, [p, b], [x]), [0, 0, null])(ps, bs, xs.index(0)) as Tensor;
    models.forEach((m, i) => {
      assert.ok(torch.allclose(ens.index(i), m.forward(xs.index(i)) as Tensor, { atol: 1e-6 }));
      assert.ok(torch.allclose(shared.index(i), m.forward(xs.index(0)) as Tensor, { atol: 1e-6 }));
    });
  });
  assert.deepEqual(fallbacks(ws), []);
});

for (const name of Object.keys(PROGRAMS)) {
  test(`vmap ${name}: PyTorch's numbers`, () => {
    if (name === "fallback") return; // (its own test below)
    if (name === "dropout_same") { assertTree(PROGRAMS[name]!(...inputs(name)), G[name]!.out, name); return; } // (per sample: randomness "same")
    const ws = warningsOf(() => assertTree(PROGRAMS[name]!(...inputs(name)), G[name]!.out, name));
    assert.deepEqual(fallbacks(ws), [], `${name} ran an op per sample`);
  });
}

test("an op without a batching rule runs per sample, with PyTorch's warning", () => {
  const expected = G["fallback"]!.out as unknown as { out: Tree; warning: string };
  const ws = warningsOf(() => assertTree(PROGRAMS["fallback"]!(...inputs("fallback")), { out: expected.out }, "fallback"));
  assert.deepEqual(ws, [`UserWarning: ${expected.warning}`]);
});

/** vmap as a loop: f once per sample (in_dims a number or null per argument), stacked on dim 0. */
function loop(f: Fn, dims: (number | null)[]): Fn {
  return (...xs) => {
    const n = xs[dims.findIndex((d) => d !== null)]!.shape[dims.find((d) => d !== null)!]!;
    const outs = Array.from({ length: n }, (_, i) => f(...xs.map((x, j) => (dims[j] === null ? x : x.select(dims[j]!, i)))));
    const first = outs[0];
    return Array.isArray(first) ? first.map((_, k) => torch.stack(outs.map((o) => (o as Tensor[])[k]!))) : torch.stack(outs as Tensor[]);
  };
}

test("torch.linalg's decompositions batch over leading dims: the per-sample loop's results, without the fallback", () => {
  torch.manual_seed(0);
  const m = torch.randn(3, 4, 4, { dtype: torch.float64 }), spd = m.matmul(m.mT).add(torch.eye(4, { dtype: torch.float64 }));
  const v = torch.randn(3, 4, { dtype: torch.float64 }), L = torch.linalg;
  const checks: [string, Fn, Tensor[]][] = [
    ["inv_ex", (a) => L.inv_ex(a!), [m]], ["solve_ex", (a, b) => L.solve_ex(a!, b!), [m, v]], ["cholesky_ex", (a) => L.cholesky_ex(a!), [spd]],
    ["lu_factor", (a) => L.lu_factor(a!), [m]], ["lu_factor_ex", (a) => L.lu_factor_ex(a!), [m]], ["matrix_exp", (a) => L.matrix_exp(a!), [m]],
    ["eigh", (a) => L.eigh(a!), [spd]], ["eigvalsh", (a) => L.eigvalsh(a!), [spd]], ["svd", (a) => L.svd(a!), [m]],
    ["svdvals", (a) => L.svdvals(a!), [m]], ["qr", (a) => L.qr(a!), [m]], ["vecdot", (a, b) => L.vecdot(a!, b!), [v, v.flip(0)]],
  ];
  const ws = warningsOf(() => {
    for (const [what, f, xs] of checks) {
      const batched = vmap(f)(...xs), looped = loop(f, xs.map(() => 0))(...xs);
      const bs = Array.isArray(batched) ? batched as Tensor[] : [batched as Tensor], ls = Array.isArray(looped) ? looped as Tensor[] : [looped as Tensor];
      assert.equal(bs.length, ls.length, what);
      bs.forEach((b, i) => assert.ok(torch.allclose(b.to(torch.float64), ls[i]!.to(torch.float64), { atol: 1e-9, rtol: 1e-9 }), `${what}[${i}]`));
    }
  });
  assert.deepEqual(fallbacks(ws), []);
});

test("batched results equal the per-sample loop", () => {
  const [x3] = inputs("views_dim0");
  const [cx, cw, cb, cws, cbs] = inputs("conv2d");
  const [lx, lt] = inputs("losses");
  const [ma, mm] = inputs("mm_left");
  const checks: [string, Fn, (number | null)[], Tensor[]][] = [
    ["views", views as Fn, [0], [x3!]], ["reductions", reductions as Fn, [0], [x3!]], ["activations", activations as Fn, [0], [x3!]],
    ["matmul", (a, b) => a!.matmul(b!), [0, null], [ma!, mm!]],
    ["conv2d", (x, w, b) => F.conv2d(x!, w!, b!, 1, 1), [0, null, null], [cx!, cw!, cb!]],
    ["conv2d batched weights", (x, w, b) => F.conv2d(x!, w!, b!, 2), [0, 0, 0], [cx!, cws!, cbs!]],
    ["cross_entropy", (a, b) => F.cross_entropy(a!, b!), [0, 0], [lx!, lt!]],
  ];
  for (const [what, f, dims, xs] of checks) {
    const batched = vmap(f, dims)(...xs), looped = loop(f, dims)(...xs);
    const bs = Array.isArray(batched) ? batched as Tensor[] : [batched as Tensor], ls = Array.isArray(looped) ? looped as Tensor[] : [looped as Tensor];
    bs.forEach((b, i) => {
      assert.deepEqual(b.shape, ls[i]!.shape, `${what}[${i}]: shape`);
      assert.ok(torch.allclose(b.to(torch.float64), ls[i]!.to(torch.float64), { atol: 1e-6, rtol: 1e-5 }), `${what}[${i}]`);
    });
  }
});

test("vmap's errors inside the mapped function are PyTorch's", () => {
  const x = torch.randn(3, 4);
  assert.throws(() => vmap((a: Tensor) => a.item())(x), /^Error: vmap: It looks like you're calling \.item\(\) on a Tensor/);
  assert.throws(() => vmap((a: Tensor, b: Tensor) => b.add_(a), [0, null])(x, torch.zeros(4)),
    { message: /^vmap: add_\(self, \*extra_args\) is not possible because there exists a Tensor `other` in extra_args that has more elements than `self`/ });
  assert.throws(() => vmap((a: Tensor) => a.sum(2))(x), { message: "Dimension out of range (expected to be in range of [-1, 0], but got 2)" });
  assert.throws(() => vmap((a: Tensor) => a.add(torch.rand(4)))(x), /randomness error mode/);
  assert.equal(String(vmap((a: Tensor) => { assert.match(String(a), /^BatchedTensor\(lvl=1, bdim=0, value=\n {4}tensor/); return a; })(x).shape), "torch.Size([3, 4])");
});
