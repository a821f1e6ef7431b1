// Note [Fused backward pairs] (src/autograd/engine.ts): nll_loss after log_softmax (and
// cross_entropy, which is that pair) differentiated in one step where the engine may, against
// PyTorch's two steps (test/golden/fused_backward.json, tools/gen_golden_fused_backward.py) and bit
// for bit against our own two steps; and wherever something observes the gradient between them,
// or the graph is differentiated again, the two steps as before.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, readGolden, assertClose } from "./helpers.js";
import { getBackend } from "../src/backends/index.js";

const F = torch.nn.functional;
interface Case { name: string; fn: "nll_loss" | "cross_entropy"; reduction: "mean" | "sum" | "none"; weighted: boolean; ignore_index: number; loss: GoldenTensor; grad: GoldenTensor }
const golden = readGolden<{ cases: Case[]; N: number; C: number }>("fused_backward.json");
const { N, C } = golden;

/** The generator's inputs, the same float32 numbers (its docstring). */
function inputs(): { x: Tensor; t: Tensor; w: Tensor } {
  const i = torch.arange(N, { dtype: torch.float64 }).view(N, 1), j = torch.arange(C, { dtype: torch.float64 }).view(1, C);
  const x = i.mul(37).add(j.mul(11)).remainder(101).div(101).mul(6).sub(3).float();
  const t = torch.arange(N, { dtype: torch.int64 }).mul(7).remainder(C);
  const w = torch.arange(C, { dtype: torch.int64 }).remainder(5).div(4).add(0.5).float();
  return { x, t, w };
}

/** The case's loss and its gradient, and whether the pair ran fused (no LogSoftmaxBackward0 of its own). */
function run(c: Case, observe?: (logp: Tensor) => void): { loss: Tensor; grad: Tensor; fused: boolean } {
  const { x, t, w } = inputs();
  x.requires_grad_(true);
  const opts = { reduction: c.reduction, ignore_index: c.ignore_index, weight: c.weighted ? w : null };
  let loss: Tensor | null = null;
  const prof = torch.profiler.profile(() => {
    if (c.fn === "cross_entropy") loss = F.cross_entropy(x, t, opts);
    else { const logp = F.log_softmax(x, 1); observe?.(logp); loss = F.nll_loss(logp, t, opts); }
    loss.backward(c.reduction === "none" ? torch.arange(N).div(8).add(1) : torch.tensor(1.5));
  });
  return { loss: loss!, grad: x.grad!, fused: !prof.events().some((e) => e.name === "LogSoftmaxBackward0") };
}

const bits = (t: Tensor): number[] => Array.from(new Int32Array(Float32Array.from(t.reshape(-1).tolist() as number[]).buffer));

test("nll_loss after log_softmax and cross_entropy: PyTorch's gradients, our two steps' bits", () => {
  for (const c of golden.cases) {
    const fused = run(c);
    assertClose(fused.loss, c.loss, `${c.name}: loss`);
    assertClose(fused.grad, c.grad, `${c.name}: gradient`);
    // anomaly mode runs the two formulas one by one
    const plain = torch.autograd.detect_anomaly(() => run(c));
    assert.equal(plain.fused, false, c.name);
    assert.deepEqual(bits(fused.grad), bits(plain.grad), `${c.name}: fused and two-step gradients differ`);
    // the native engine has the fused kernel; elsewhere the pair declines and runs as two steps
    assert.equal(fused.fused, getBackend() === "native", `${c.name}: fused`);
  }
});

test("the pair runs as two formulas wherever the gradient between them is observed or reused", () => {
  const c = golden.cases.find((k) => k.fn === "nll_loss" && k.reduction === "mean")!;
  const want = run(c).grad;
  // retain_grad: log_softmax's output gets nll_loss's gradient in .grad
  let logp: Tensor | null = null;
  const retained = run(c, (y) => { logp = y; y.retain_grad(); });
  assert.equal(retained.fused, false);
  assert.deepEqual(bits(retained.grad), bits(want));
  const g = logp!.grad!;
  assert.deepEqual(g.ne(0).sum(1).tolist(), new Array(N).fill(1)); // one nonzero a row: -1.5/N at the target
  assert.ok(g.sum().add(1.5).abs().item() < 1e-6);
  // a tensor hook sees the same gradient, and what it returns is what log_softmax's backward gets
  let seen: Tensor | null = null;
  const hooked = run(c, (y) => y.register_hook((gy) => { seen = gy; return gy.mul(2); }));
  assert.equal(hooked.fused, false);
  assert.deepEqual(bits(seen!), bits(g));
  assert.ok(hooked.grad.sub(want.mul(2)).abs().max().item() < 1e-6);
  // log_softmax's output used by another op too: its gradient is a sum
  const twice = run(c, (y) => { y.sum().mul(0).backward({ retain_graph: true } as never); });
  assert.deepEqual(bits(twice.grad.sub(want)), bits(torch.zeros(N, C)));
});

test("the pair under create_graph, retain_graph, a second backward and log_softmax over another dim", () => {
  const { x, t } = inputs();
  x.requires_grad_(true);
  // create_graph: the gradient is differentiable (the formulas as written), as PyTorch's
  const [gx] = torch.autograd.grad([F.cross_entropy(x, t)], [x], { create_graph: true });
  const [ggx] = torch.autograd.grad([gx!.pow(2).sum()], [x]);
  const want = torch.autograd.detect_anomaly(() => {
    const [g] = torch.autograd.grad([F.cross_entropy(x, t)], [x], { create_graph: true });
    return torch.autograd.grad([g!.pow(2).sum()], [x])[0]!;
  });
  assert.deepEqual(bits(ggx!), bits(want));
  // retain_graph: the second backward accumulates the same gradient; without it, PyTorch's error
  const loss = F.cross_entropy(x, t);
  loss.backward({ retain_graph: true });
  const once = x.grad!.clone();
  loss.backward();
  assert.deepEqual(bits(x.grad!), bits(once.mul(2)));
  assert.throws(() => loss.backward(), /Trying to backward through the graph a second time/);
  // log_softmax over the batch dim is no pair for nll_loss's classes
  x.grad = null;
  F.nll_loss(F.log_softmax(x, 0), t).backward();
  const across = x.grad!;
  const plain = torch.autograd.detect_anomaly(() => { x.grad = null; F.nll_loss(F.log_softmax(x, 0), t).backward(); return x.grad!; });
  assert.deepEqual(bits(across), bits(plain));
});
