// torch.optim against real PyTorch (test/golden/optim.json, written by tools/gen_golden_optim.py
// under PyTorch 2.13): every optimizer and option variant over 20 steps of a small two-layer
// network written in tensors.
//
// Two runs per configuration:
// - "replay" feeds each step the very gradients PyTorch computed, so the parameters follow
//   PyTorch's trajectory exactly and only the update arithmetic is compared. It agrees to the
//   bit for SGD and Adamax and within a few float32 ulps elsewhere (PyTorch's CPU sqrt is MKL's,
//   not correctly rounded; see Note [Optimizer arithmetic] in src/optim/optimizer.ts).
// - "train" computes the loss and gradients with our own ops, so matmul's summation order
//   differs from PyTorch's by float32 rounding and the differences compound over the steps.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import * as optim from "../src/optim/index.js";
import { readGolden, fromGolden, assertClose, type GoldenTensor } from "./helpers.js";

interface Case {
  name: string;
  optimizer: string;
  options: Record<string, unknown>;
  groups: ({ params: number[] } & Record<string, unknown>)[] | null;
  dtype: "float32" | "float64";
  repr: string;
  losses: number[];
  grads_b64: string[];
  final: Record<string, GoldenTensor>;
  state_dict: { state: Record<string, Record<string, GoldenTensor>>; param_groups: Record<string, unknown>[] };
}
interface Golden {
  steps: number;
  model: { x: GoldenTensor; y: GoldenTensor; init: Record<string, GoldenTensor>; names: string[] };
  cases: Case[];
  errors: { optimizer: string; options: Record<string, unknown>; error: string }[];
  structural: Record<string, string>;
}

const G = readGolden<Golden>("optim.json");
const NAMES = G.model.names;
type OptCtor = new (params: optim.ParamsT, opts?: Record<string, unknown>) => optim.Optimizer;
const ctor = (name: string): OptCtor => (optim as unknown as Record<string, OptCtor>)[name]!;
const dtypeOf = (c: Case) => (c.dtype === "float64" ? torch.float64 : torch.float32);

function makeParams(c: Case): Tensor[] {
  return NAMES.map((k) => fromGolden(G.model.init[k]!).to(dtypeOf(c)).clone().requires_grad_(true));
}

function makeOptimizer(c: Case, ps: Tensor[]): optim.Optimizer {
  const params = c.groups ? c.groups.map((g) => ({ ...g, params: g.params.map((i) => ps[i]!) })) : ps;
  return new (ctor(c.optimizer))(params, c.options);
}

/** The gradients PyTorch fed the optimizer at `step`, one tensor per parameter. */
function goldenGrads(c: Case, step: number, ps: Tensor[]): Tensor[] {
  const bytes = Buffer.from(c.grads_b64[step]!, "base64");
  const buf = new ArrayBuffer(bytes.length);
  new Uint8Array(buf).set(bytes);
  const all = c.dtype === "float64" ? new Float64Array(buf) : new Float32Array(buf);
  let off = 0;
  return ps.map((p) => {
    const n = p.numel();
    const t = torch.from_numpy({ data: all.slice(off, off + n), shape: p.shape.slice() });
    off += n;
    return t;
  });
}

function lossOf(ps: Tensor[], x: Tensor, y: Tensor): Tensor {
  const [W1, b1, W2, b2] = ps as [Tensor, Tensor, Tensor, Tensor];
  return x.matmul(W1.t()).add(b1).relu().matmul(W2.t()).add(b2).sub(y).pow(2).mean();
}

function replay(c: Case, opt: optim.Optimizer, ps: Tensor[], from: number, to: number): void {
  for (let s = from; s < to; s++) {
    opt.zero_grad();
    goldenGrads(c, s, ps).forEach((g, i) => { ps[i]!.grad = g; });
    opt.step();
  }
}

// Replay: same gradients, so only the update rounding differs (a few float32 ulps at most).
const REPLAY_TOL = { float32: { rtol: 2e-6, atol: 2e-7 }, float64: { rtol: 1e-12, atol: 1e-14 } };
// Train: our forward/backward rounds differently from PyTorch's (matmul order), compounding.
const TRAIN_TOL = { float32: { rtol: 1e-5, atol: 3e-6 }, float64: { rtol: 1e-10, atol: 1e-12 } };

/** Compares our state_dict with PyTorch's: the same entries, tensors close, the same groups
 *  with the same keys in the same order. */
function assertStateDict(c: Case, sd: optim.OptimizerStateDict, what: string): void {
  const gold = c.state_dict;
  assert.deepEqual(Object.keys(sd.state), Object.keys(gold.state), `${what}: state keys`);
  for (const [k, entry] of Object.entries(gold.state)) {
    const ours = sd.state[k]!;
    assert.deepEqual(Object.keys(ours), Object.keys(entry), `${what}: state[${k}] keys`);
    for (const [key, value] of Object.entries(entry)) {
      const t = ours[key];
      assert.ok(t instanceof torch.Tensor, `${what}: state[${k}].${key} is a tensor`);
      assertClose(t as Tensor, value, `${what}: state[${k}].${key}`, REPLAY_TOL[c.dtype]);
    }
  }
  assert.equal(sd.param_groups.length, gold.param_groups.length);
  sd.param_groups.forEach((g, i) => {
    assert.deepEqual(Object.keys(g), Object.keys(gold.param_groups[i]!), `${what}: group ${i} keys in PyTorch's order`);
    assert.deepEqual(g, gold.param_groups[i], `${what}: group ${i}`);
  });
}

for (const c of G.cases) {
  test(`${c.name}: replaying PyTorch's gradients gives PyTorch's parameters and state`, () => {
    const ps = makeParams(c);
    const opt = makeOptimizer(c, ps);
    replay(c, opt, ps, 0, G.steps);
    // SGD and Adamax take no square root, so every rounding is PyTorch's: bit for bit (this
    // checks the fused multiply-adds of add(alpha=...) and lerp, which a tolerance would not).
    const exact = c.dtype === "float32" && (c.optimizer === "SGD" || c.optimizer === "Adamax");
    NAMES.forEach((k, i) => assertClose(ps[i]!.detach(), c.final[k]!, `${c.name} ${k}`, exact ? { rtol: 0, atol: 0 } : REPLAY_TOL[c.dtype]));
    assertStateDict(c, opt.state_dict(), c.name);
    assert.equal(String(opt), c.repr);
    // The update runs outside autograd and leaves the parameters leaves.
    for (const p of ps) { assert.ok(p.is_leaf); assert.equal(p.grad_fn, null); }
  });

  test(`${c.name}: training with our autograd follows PyTorch's losses`, () => {
    const ps = makeParams(c);
    const opt = makeOptimizer(c, ps);
    const x = fromGolden(G.model.x).to(dtypeOf(c)), y = fromGolden(G.model.y).to(dtypeOf(c));
    for (let s = 0; s < G.steps; s++) {
      opt.zero_grad();
      const loss = lossOf(ps, x, y);
      loss.backward();
      const expected = c.losses[s]!;
      const tol = TRAIN_TOL[c.dtype];
      assert.ok(Math.abs(loss.item() - expected) <= tol.atol + tol.rtol * Math.abs(expected),
        `${c.name} step ${s}: loss ${loss.item()}, PyTorch ${expected}`);
      opt.step();
    }
    NAMES.forEach((k, i) => assertClose(ps[i]!.detach(), c.final[k]!, `${c.name} ${k}`, TRAIN_TOL[c.dtype]));
  });
}

test("invalid hyperparameters throw PyTorch's messages", () => {
  for (const e of G.errors) {
    assert.throws(() => new (ctor(e.optimizer))([torch.zeros(2, { requires_grad: true })], e.options),
      (err: Error) => err.message === e.error, `${e.optimizer}(${JSON.stringify(e.options)}) should throw ${e.error}`);
  }
});

test("param group errors: duplicates, empty lists, non-leaves, bare tensors", () => {
  const a = torch.zeros(2, { requires_grad: true }), b = torch.zeros(3, { requires_grad: true });
  assert.throws(() => new optim.SGD([{ params: [a] }, { params: [a, b] }], { lr: 0.1 }), { message: G.structural["duplicate"] });
  assert.throws(() => new optim.SGD([], { lr: 0.1 }), { message: G.structural["empty"] });
  assert.throws(() => new optim.SGD([a.mul(2)], { lr: 0.1 }), { message: G.structural["non_leaf"] });
  assert.throws(() => new optim.SGD(a as unknown as Tensor[], { lr: 0.1 }),
    { message: "params argument given to the optimizer should be an iterable of Tensors or dicts, but got torch.FloatTensor" });
  const opt = new optim.SGD([a], { lr: 0.1 });
  assert.throws(() => opt.add_param_group({ params: [a] }), { message: G.structural["duplicate"] });
  assert.equal(opt.param_groups.length, 1, "a failed add_param_group adds nothing");
  opt.add_param_group({ params: b, lr: 0.5 });
  assert.deepEqual(Object.keys(opt.param_groups[1]!), ["params", "lr", "momentum", "dampening", "weight_decay", "nesterov", "maximize", "foreach", "differentiable", "fused"]);
  assert.equal(opt.param_groups[1]!.lr, 0.5);
  assert.equal(opt.param_groups[1]!["momentum"], 0);
  assert.deepEqual(opt.param_groups[1]!.params, [b]);
});

test("load_state_dict: PyTorch's checks, and nothing changes on a mismatch", () => {
  const c = G.cases.find((x) => x.name === "adam")!;
  const ps = makeParams(c);
  const opt = makeOptimizer(c, ps);
  replay(c, opt, ps, 0, 3);
  const before = opt.state_dict();
  const stateBefore = opt.state;
  const twoGroups = new optim.Adam([{ params: [ps[0]!] }, { params: ps.slice(1) }], { lr: 0.5 });
  const threeParams = new optim.Adam(ps.slice(1), { lr: 0.5 });
  assert.throws(() => opt.load_state_dict(twoGroups.state_dict()), { message: G.structural["group_count"] });
  assert.throws(() => opt.load_state_dict(threeParams.state_dict()), { message: G.structural["group_size"] });
  assert.equal(opt.state, stateBefore);
  assert.deepEqual(opt.state_dict().param_groups, before.param_groups);
  assert.equal(opt.param_groups[0]!.lr, 0.01);
});

test("state_dict round trip: an optimizer loaded mid-run continues exactly as the original", () => {
  for (const name of ["sgd_momentum", "adam_amsgrad", "adagrad_options", "rmsprop_all", "adadelta_options", "adamax", "nadam", "radam", "adam_groups"]) {
    const c = G.cases.find((x) => x.name === name)!;
    const ps = makeParams(c);
    const opt = makeOptimizer(c, ps);
    replay(c, opt, ps, 0, 10);
    // A second model and optimizer, built fresh, take the parameters and the optimizer state.
    const ps2 = makeParams(c);
    ps2.forEach((p, i) => torch.no_grad(() => p.copy_(ps[i]!)));
    const opt2 = makeOptimizer({ ...c, options: { ...c.options, lr: 123 } }, ps2);
    opt2.load_state_dict(opt.state_dict());
    assert.equal(opt2.param_groups[0]!.lr, opt.param_groups[0]!.lr, `${name}: hyperparameters come from the state dict`);
    replay(c, opt, ps, 10, G.steps);
    replay(c, opt2, ps2, 10, G.steps);
    ps.forEach((p, i) => assert.deepEqual(ps2[i]!.tolist(), p.tolist(), `${name}: parameter ${i} after the round trip`));
    // The loaded state is a copy: the two optimizers never shared a tensor.
    for (const [p, s] of opt2.state) {
      const orig = opt.state.get(ps[ps2.indexOf(p)]!)!;
      for (const k of Object.keys(s)) if (s[k] instanceof torch.Tensor) assert.notEqual(s[k], orig[k], `${name}: ${k} copied`);
    }
  }
});

test("load_state_dict takes PyTorch's state dict (tensors rebuilt from the golden JSON)", () => {
  const c = G.cases.find((x) => x.name === "adam_groups")!;
  const ps = NAMES.map((k) => fromGolden(c.final[k]!).requires_grad_(true));
  const opt = makeOptimizer(c, ps);
  const state: Record<string, Record<string, Tensor>> = {};
  for (const [k, entry] of Object.entries(c.state_dict.state)) {
    state[k] = Object.fromEntries(Object.entries(entry).map(([key, g]) => [key, fromGolden(g)]));
  }
  opt.load_state_dict({ state, param_groups: c.state_dict.param_groups });
  assertStateDict(c, opt.state_dict(), "reloaded");
  assert.equal(String(opt), c.repr);
});

test("zero_grad: to None by default, or zeroed in place", () => {
  const p = torch.ones(3, { requires_grad: true });
  const opt = new optim.SGD([p], { lr: 0.1 });
  p.sum().backward();
  const g = p.grad!;
  opt.zero_grad(false);
  assert.equal(p.grad, g, "set_to_none=false keeps the same tensor");
  assert.deepEqual(g.tolist(), [0, 0, 0]);
  opt.zero_grad();
  assert.equal(p.grad, null);
  opt.zero_grad({ set_to_none: true });
  assert.equal(p.grad, null);
});

test("step(closure) evaluates the closure with grad enabled and returns its loss, in every optimizer", () => {
  for (const c of G.cases) {
    const ps = makeParams(c);
    const opt = makeOptimizer(c, ps);
    const x = fromGolden(G.model.x).to(dtypeOf(c)), y = fromGolden(G.model.y).to(dtypeOf(c));
    for (let s = 0; s < 5; s++) {
      const loss = torch.no_grad(() => opt.step(() => {
        opt.zero_grad();
        const l = lossOf(ps, x, y);
        l.backward();
        return l;
      })) as Tensor;
      assert.ok(Math.abs(loss.item() - c.losses[s]!) < 1e-5, `${c.name}: closure loss ${loss.item()} vs ${c.losses[s]}`);
    }
  }
});

test("parameters without a gradient are skipped and get no state", () => {
  const a = torch.ones(2, { requires_grad: true }), b = torch.ones(2, { requires_grad: true });
  const opt = new optim.Adam([a, b], { lr: 0.1 });
  a.grad = torch.tensor([1, -1]);
  opt.step();
  assert.deepEqual(b.tolist(), [1, 1]);
  assert.ok(opt.state.has(a) && !opt.state.has(b));
  assert.deepEqual(Object.keys(opt.state_dict().state), ["0"]);
  // PyTorch's first Adam step moves each element by lr (times the sign of its gradient).
  const v = a.tolist() as number[];
  assert.ok(Math.abs(v[0]! - 0.9) < 1e-6 && Math.abs(v[1]! - 1.1) < 1e-6, String(v));
});

test("a non-contiguous parameter is updated through its strides like a contiguous one", () => {
  const base = torch.tensor([[1, 2, 3], [4, 5, 6]]);
  const viewed = base.t().detach().requires_grad_(true); // a [3, 2] leaf with strides [1, 3]
  const plain = base.t().contiguous().requires_grad_(true);
  assert.ok(!viewed.is_contiguous());
  const o1 = new optim.RMSprop([viewed], { lr: 0.1, momentum: 0.5, centered: true });
  const o2 = new optim.RMSprop([plain], { lr: 0.1, momentum: 0.5, centered: true });
  for (let s = 0; s < 3; s++) {
    const g = torch.tensor([[0.5, -1], [2, 0.25], [-3, 1.5]]).mul(s + 1);
    viewed.grad = g.clone();
    plain.grad = g.clone();
    o1.step(); o2.step();
  }
  assert.deepEqual(viewed.tolist(), plain.tolist());
  // detach() shares storage: the update went through the view into base, as in PyTorch.
  assert.deepEqual(base.t().tolist(), viewed.tolist());
});

test("float16 and bfloat16 parameters are updated in their precision", () => {
  for (const dtype of [torch.float16, torch.bfloat16]) {
    const p = torch.tensor([0.5, -1.25, 2], { dtype }).requires_grad_(true);
    const ref = torch.tensor([0.5, -1.25, 2]).requires_grad_(true);
    const o = new optim.Adam([p], { lr: 0.1 }), oref = new optim.Adam([ref], { lr: 0.1 });
    for (let s = 0; s < 3; s++) {
      p.grad = torch.tensor([0.3, -0.2, 0.1], { dtype });
      ref.grad = torch.tensor([0.3, -0.2, 0.1]);
      o.step(); oref.step();
    }
    assert.equal(p.dtype, dtype);
    const got = p.float().tolist() as number[], want = ref.tolist() as number[];
    got.forEach((v, i) => assert.ok(Math.abs(v - want[i]!) <= 0.02 * Math.abs(want[i]!), `${dtype}: ${v} vs ${want[i]}`));
    assert.equal((o.state.get(p)!["exp_avg"] as Tensor).dtype, dtype);
  }
});

test("the version counter moves with each update (saved tensors see the change)", () => {
  const p = torch.ones(2, { requires_grad: true });
  const opt = new optim.SGD([p], { lr: 0.1 });
  const y = p.mul(p); // saves p for backward
  p.grad = torch.ones(2);
  opt.step();
  assert.throws(() => y.sum().backward(), /modified by an inplace operation/);
});

test("positional lr and named parameters", () => {
  const a = torch.ones(2, { requires_grad: true });
  const opt = new optim.SGD([["weight", a]] as Iterable<[string, Tensor]>, 0.25, { momentum: 0.5 });
  assert.equal(opt.param_groups[0]!.lr, 0.25);
  assert.equal(opt.param_groups[0]!["momentum"], 0.5);
  assert.deepEqual(opt.param_groups[0]!.param_names, ["weight"]);
  assert.deepEqual(opt.state_dict().param_groups[0]!["param_names"], ["weight"]);
});

test("a loaded state of the wrong shape is refused at the step, before the parameter is written", () => {
  const a = torch.ones(3, { requires_grad: true }), b = torch.ones(2, 2, { requires_grad: true });
  const src = new optim.Adam([a], { lr: 0.1 });
  a.grad = torch.ones(3);
  src.step();
  const dst = new optim.Adam([b], { lr: 0.1 });
  dst.load_state_dict(src.state_dict()); // PyTorch checks group sizes only, so this loads
  b.grad = torch.ones(2, 2);
  assert.throws(() => dst.step(), { message: "optimizer state 'exp_avg' has shape [3], but its parameter has shape [2, 2]" });
  assert.deepEqual(b.tolist(), [[1, 1], [1, 1]]);
  assert.equal((dst.state.get(b)!["step"] as Tensor).item(), 1, "the step counter did not move");
});
