// torch.optim.lr_scheduler against real PyTorch (test/golden/lr_scheduler.json, written by
// tools/gen_golden_optim.py under PyTorch 2.13): the lr of each of two param groups (and the
// momentum / betas OneCycleLR cycles) after construction and after each of 26 steps.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch from "typetorch";
import * as optim from "../src/optim/index.js";
import { readGolden } from "./helpers.js";

const { lr_scheduler } = optim;
type Spec = { type: string; args?: Record<string, unknown> };
interface Case {
  name: string;
  optimizer?: { type?: string };
  scheduler: Spec;
  last_lr: number[][];
  group_lr?: number[][];
  momenta?: (number | number[] | null)[][];
  last_epoch?: (number | null)[];
  overstep_error?: string;
  metrics?: number[];
  epochs?: number[];
}
interface Golden { cases: Case[]; closed_form: (Case & { epochs: number[] })[]; errors: Record<string, string> }
const G = readGolden<Golden>("lr_scheduler.json");

// The same functions as the generator's LAMBDAS.
const LAMBDAS: Record<string, (e: number) => number> = {
  pow095: (e) => 0.95 ** e,
  warmup5: (e) => Math.min(1.0, (e + 1) / 5),
  halve_every_4: (e) => 0.5 ** Math.floor(e / 4),
  const095: () => 0.95,
  mult_by_epoch: (e) => (e % 3 ? 1.0 : 0.5),
};

function makeOpt(spec: { type?: string } = {}): optim.Optimizer {
  const a = torch.zeros(2, { requires_grad: true }), b = torch.zeros(2, { requires_grad: true });
  const groups = [{ params: [a], lr: 0.1 }, { params: [b], lr: 0.01 }];
  return (spec.type ?? "SGD") === "SGD"
    ? new optim.SGD(groups, { lr: 0.1, momentum: 0.9 })
    : new optim.Adam(groups, { lr: 0.1, betas: [0.9, 0.999] });
}

type Ctor = new (...args: unknown[]) => optim.lr_scheduler.LRScheduler;
function makeSched(opt: optim.Optimizer, spec: Spec): optim.lr_scheduler.LRScheduler {
  const args: Record<string, unknown> = { ...(spec.args ?? {}) };
  if (typeof args["lr_lambda"] === "string") args["lr_lambda"] = LAMBDAS[args["lr_lambda"]]!;
  if (Array.isArray(args["schedulers"])) args["schedulers"] = (args["schedulers"] as Spec[]).map((s) => makeSched(opt, s));
  if (spec.type === "ChainedScheduler") return new lr_scheduler.ChainedScheduler(args["schedulers"] as optim.lr_scheduler.LRScheduler[]);
  const cls = (lr_scheduler as unknown as Record<string, Ctor>)[spec.type]!;
  return new cls(opt, args);
}

function close(a: number, b: number): boolean {
  // Both sides compute in double; Math.cos / ** can differ from glibc's in the last bit.
  return Math.abs(a - b) <= 1e-15 + 1e-12 * Math.abs(b);
}
function assertLrs(actual: readonly number[], expected: readonly number[], what: string): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) => assert.ok(close(v, expected[i]!), `${what}[${i}]: ${v}, PyTorch ${expected[i]}`));
}
function assertMomenta(opt: optim.Optimizer, expected: (number | number[] | null)[], what: string): void {
  opt.param_groups.forEach((g, i) => {
    const e = expected[i];
    if (Array.isArray(e)) assertLrs(g["betas"] as number[], e, `${what} betas`);
    else if (typeof e === "number") assert.ok(close(g["momentum"] as number, e), `${what} momentum ${String(g["momentum"])}, PyTorch ${e}`);
  });
}

for (const c of G.cases.filter((x) => x.scheduler.type !== "ReduceLROnPlateau" && !x.epochs)) {
  test(`${c.name}: ${c.scheduler.type} lr sequence`, () => {
    const opt = makeOpt(c.optimizer);
    const s = makeSched(opt, c.scheduler);
    const steps = c.last_lr.length - 1;
    for (let k = 0; k <= steps; k++) {
      if (k > 0) { opt.step(); s.step(); }
      assertLrs(s.get_last_lr(), c.last_lr[k]!, `${c.name} step ${k} get_last_lr`);
      assertLrs(opt.param_groups.map((g) => g.lr), c.group_lr![k]!, `${c.name} step ${k} group lr`);
      assertMomenta(opt, c.momenta![k]!, `${c.name} step ${k}`);
      if (c.last_epoch![k] !== null) assert.equal(s.last_epoch, c.last_epoch![k], `${c.name} step ${k} last_epoch`);
    }
    if (c.overstep_error) {
      assert.throws(() => { s.step(); s.step(); }, { message: c.overstep_error });
    }
  });
}

for (const c of G.cases.filter((x) => x.scheduler.type === "ReduceLROnPlateau")) {
  test(`${c.name}: ReduceLROnPlateau lr sequence`, () => {
    const opt = makeOpt();
    const s = new lr_scheduler.ReduceLROnPlateau(opt, c.scheduler.args as optim.lr_scheduler.ReduceLROnPlateauOptions);
    assertLrs(s.get_last_lr(), c.last_lr[0]!, `${c.name} initial`);
    c.metrics!.forEach((m, k) => {
      opt.step();
      // Metrics may be numbers or one-element tensors, as in PyTorch.
      s.step(k % 2 ? m : torch.tensor(m, { dtype: torch.float64 }));
      assertLrs(s.get_last_lr(), c.last_lr[k + 1]!, `${c.name} after metric ${k} (${m})`);
    });
  });
}

for (const c of G.cases.filter((x) => x.epochs)) {
  test(`${c.name}: CosineAnnealingWarmRestarts stepped with explicit epochs`, () => {
    const opt = makeOpt();
    const s = makeSched(opt, c.scheduler);
    assertLrs(s.get_last_lr(), c.last_lr[0]!, `${c.name} initial`);
    c.epochs!.forEach((e, k) => {
      s.step(e);
      assertLrs(s.get_last_lr(), c.last_lr[k + 1]!, `${c.name} epoch ${e}`);
    });
  });
}

for (const c of G.closed_form) {
  test(`${c.name}: step(epoch) uses the closed form`, () => {
    const opt = makeOpt(c.optimizer);
    const s = makeSched(opt, c.scheduler);
    c.epochs.forEach((e, k) => {
      s.step(e);
      assertLrs(s.get_last_lr(), c.last_lr[k]!, `${c.name} epoch ${e}`);
    });
  });
}

test("constructor errors carry PyTorch's messages", () => {
  const E = G.errors;
  const opt = makeOpt();
  const L = lr_scheduler;
  const cases: [string, () => unknown][] = [
    ["plateau_factor", () => new L.ReduceLROnPlateau(opt, { factor: 1.0 })],
    ["plateau_mode", () => new L.ReduceLROnPlateau(opt, { mode: "avg" as "min" })],
    ["plateau_threshold_mode", () => new L.ReduceLROnPlateau(opt, { threshold_mode: "x" as "rel" })],
    ["plateau_min_lrs", () => new L.ReduceLROnPlateau(opt, { min_lr: [0.1] })],
    ["linear_start", () => new L.LinearLR(opt, { start_factor: 0 })],
    ["linear_end", () => new L.LinearLR(opt, { end_factor: 1.5 })],
    ["warm_t0", () => new L.CosineAnnealingWarmRestarts(opt, { T_0: 0 })],
    ["warm_tmult", () => new L.CosineAnnealingWarmRestarts(opt, { T_0: 2, T_mult: 0 })],
    ["onecycle_total", () => new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 0 })],
    ["onecycle_missing", () => new L.OneCycleLR(opt, { max_lr: 0.1 })],
    ["onecycle_strategy", () => new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 5, anneal_strategy: "exp" as "cos" })],
    ["onecycle_pct", () => new L.OneCycleLR(opt, { max_lr: 0.1, total_steps: 5, pct_start: 1.5 })],
    ["onecycle_max_lr_len", () => new L.OneCycleLR(opt, { max_lr: [0.1], total_steps: 5 })],
    ["lambda_count", () => new L.LambdaLR(opt, [LAMBDAS["pow095"]!])],
    ["sequential_milestones", () => new L.SequentialLR(opt, { schedulers: [new L.StepLR(opt, 2), new L.StepLR(opt, 3)], milestones: [] })],
    ["sequential_empty", () => new L.SequentialLR(opt, { schedulers: [], milestones: [] })],
    ["cyclic_mode", () => new L.CyclicLR(opt, 0.01, 0.1, { mode: "triangular3" as "triangular" })],
    ["cyclic_momentum", () => new L.CyclicLR(new optim.Adagrad([torch.zeros(1)]), 0.01, 0.1)],
  ];
  for (const [key, fn] of cases) assert.throws(fn, (e: Error) => e.message === E[key], `${key}: expected "${E[key]}"`);
});

test("positional arguments work as in PyTorch", () => {
  const o1 = makeOpt(), o2 = makeOpt();
  const a = new lr_scheduler.StepLR(o1, 3, 0.5);
  const b = new lr_scheduler.StepLR(o2, { step_size: 3, gamma: 0.5 });
  for (let k = 0; k < 7; k++) { a.step(); b.step(); }
  assert.deepEqual(a.get_last_lr(), b.get_last_lr());
  const o3 = makeOpt();
  const m = new lr_scheduler.MultiStepLR(o3, [2, 4], 0.1);
  for (let k = 0; k < 5; k++) m.step();
  assertLrs(m.get_last_lr(), [0.1 * 0.1 * 0.1, 0.01 * 0.1 * 0.1], "MultiStepLR positional");
  const o4 = makeOpt();
  const oc = new lr_scheduler.OneCycleLR(o4, 1.0, { total_steps: 26 });
  const golden = G.cases.find((c) => c.name === "onecycle")!;
  assertLrs(oc.get_last_lr(), golden.last_lr[0]!, "OneCycleLR(opt, max_lr, {total_steps})");
});

test("scheduler state_dict round trip resumes the same lr sequence", () => {
  for (const name of ["cosine", "onecycle", "sequential_three", "warm_restarts_mult", "lambda", "multistep"]) {
    const c = G.cases.find((x) => x.name === name)!;
    const opt = makeOpt(c.optimizer);
    const s = makeSched(opt, c.scheduler);
    for (let k = 1; k <= 10; k++) { opt.step(); s.step(); }
    const osd = opt.state_dict(), ssd = s.state_dict();
    assert.equal(ssd["optimizer"], undefined, "the optimizer is not part of a scheduler's state");
    // A fresh optimizer and scheduler (as after a restart), loaded from the two state dicts.
    const opt2 = makeOpt(c.optimizer);
    const s2 = makeSched(opt2, c.scheduler);
    opt2.load_state_dict(osd);
    s2.load_state_dict(ssd);
    for (let k = 11; k < c.last_lr.length; k++) {
      opt2.step(); s2.step();
      assertLrs(s2.get_last_lr(), c.last_lr[k]!, `${name} resumed, step ${k}`);
    }
  }
});

test("ReduceLROnPlateau state_dict keeps best, counters and mode", () => {
  const c = G.cases.find((x) => x.name === "plateau_options")!;
  const opt = makeOpt();
  const s = new lr_scheduler.ReduceLROnPlateau(opt, c.scheduler.args as optim.lr_scheduler.ReduceLROnPlateauOptions);
  c.metrics!.slice(0, 12).forEach((m) => s.step(m));
  const sd = s.state_dict();
  assert.equal(sd["best"], s.best);
  const opt2 = makeOpt();
  const s2 = new lr_scheduler.ReduceLROnPlateau(opt2, {});
  opt2.load_state_dict(opt.state_dict());
  s2.load_state_dict(sd);
  c.metrics!.slice(12).forEach((m, k) => {
    s2.step(m);
    assertLrs(s2.get_last_lr(), c.last_lr[13 + k]!, `resumed plateau step ${12 + k}`);
  });
});

test("a scheduler adds initial_lr to the groups and refuses a non-optimizer", () => {
  const opt = makeOpt();
  new lr_scheduler.ExponentialLR(opt, 0.5);
  assert.deepEqual(opt.param_groups.map((g) => g["initial_lr"]), [0.1, 0.01]);
  assert.throws(() => new lr_scheduler.ExponentialLR({} as optim.Optimizer, 0.5), { name: "TypeError", message: "dict is not an Optimizer" });
  const fresh = makeOpt();
  assert.throws(() => new lr_scheduler.StepLR(fresh, { step_size: 2, last_epoch: 3 }), /param 'initial_lr' is not specified in param_groups\[0\]/);
});
