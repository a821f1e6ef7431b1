// torch.optim.LBFGS against PyTorch 2.x (test/golden/lbfgs.json, from tools/gen_golden_lbfgs.py):
// for every step of each run, the loss step() returns, how often it called the closure, the
// parameters after it and the state's counters. The runs minimise Rosenbrock's function and the
// two-layer model of test/optim.test.ts, with and without the strong-Wolfe line search.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { optim, type Tensor } from "typetorch";
import { readGolden, fromGolden, assertClose, type GoldenTensor } from "./helpers.js";

interface Step { loss: number; calls: number; params: GoldenTensor[]; func_evals: number; n_iter: number }
interface Run { name: string; problem: "rosenbrock" | "mlp"; dtype: "float32" | "float64"; options: optim.LBFGSOptions; steps: Step[]; repr: string }
const G = readGolden<{ runs: Run[]; errors: Record<string, string> }>("lbfgs.json");
const M = readGolden<{ model: { x: GoldenTensor; y: GoldenTensor; init: Record<string, GoldenTensor>; names: string[] } }>("optim.json").model;

/** The problem's parameters and loss, with PyTorch's op sequence (so float32 rounds alike). */
function problem(run: Run): [Tensor[], () => Tensor] {
  const dtype = run.dtype === "float64" ? torch.float64 : torch.float32;
  if (run.problem === "rosenbrock") {
    const x = torch.tensor([-1.5, 2.0], { dtype, requires_grad: true });
    // (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2
    return [[x], () => torch.rsub(x.select(0, 0), 1).pow(2).add(x.select(0, 1).sub(x.select(0, 0).pow(2)).pow(2).mul(100))];
  }
  const p = M.names.map((k) => fromGolden(M.init[k]!).to(dtype).requires_grad_(true));
  const x = fromGolden(M.x).to(dtype), y = fromGolden(M.y).to(dtype);
  const [W1, b1, W2, b2] = p as [Tensor, Tensor, Tensor, Tensor];
  return [p, () => torch.relu(x.matmul(W1.t()).add(b1)).matmul(W2.t()).add(b2).sub(y).pow(2).mean()];
}

for (const run of G.runs) {
  test(`LBFGS ${run.name}: PyTorch's losses, closure calls and parameters step for step`, () => {
    const [params, f] = problem(run);
    const opt = new optim.LBFGS(params, run.options);
    assert.equal(String(opt), run.repr);
    let calls = 0;
    const closure = (): Tensor => {
      calls++;
      opt.zero_grad();
      const loss = f();
      loss.backward();
      return loss;
    };
    // float32 runs go through up to 25 closure calls a step, each rounding a little differently
    // from PyTorch's summation order; float64 ones agree to near the last digit.
    const tol = run.dtype === "float64" ? { rtol: 1e-9, atol: 1e-11 } : { rtol: 2e-4, atol: 2e-5 };
    run.steps.forEach((s, i) => {
      calls = 0;
      const loss = opt.step(closure) as Tensor;
      const what = `${run.name} step ${i}`;
      assert.ok(Math.abs(loss.item() - s.loss) <= tol.atol + tol.rtol * Math.abs(s.loss), `${what}: loss ${loss.item()} vs ${s.loss}`);
      assert.equal(calls, s.calls, `${what}: closure calls`);
      const st = opt.state.get(params[0]!)!;
      assert.equal(st["func_evals"], s.func_evals, `${what}: func_evals`);
      assert.equal(st["n_iter"], s.n_iter, `${what}: n_iter`);
      params.forEach((p, j) => assertClose(p, s.params[j]!, `${what}: param ${j}`, tol));
    });
  });
}

test("LBFGS errors carry PyTorch's messages", () => {
  const a = torch.zeros(2, { requires_grad: true }), b = torch.zeros(3, { requires_grad: true });
  assert.throws(() => new optim.LBFGS([{ params: [a] }, { params: [b] }]), { message: G.errors["groups"] });
  assert.throws(() => new optim.LBFGS([a], { lr: -0.5 }), { message: G.errors["lr"] });
  const c = torch.ones(2, { requires_grad: true });
  const opt = new optim.LBFGS([c], { line_search_fn: "armijo" as "strong_wolfe" });
  const closure = (): Tensor => { c.grad = null; const l = c.mul(c).sum(); l.backward(); return l; };
  assert.throws(() => opt.step(closure), { message: G.errors["line_search"] });
});

test("LBFGS positional lr and a step without a closure", () => {
  const a = torch.ones(2, { requires_grad: true });
  const opt = new optim.LBFGS([a], 0.5, { history_size: 3 });
  assert.equal(opt.param_groups[0]!.lr, 0.5);
  assert.equal(opt.param_groups[0]!.max_eval, 25);
  assert.throws(() => opt.step(), TypeError);
});
