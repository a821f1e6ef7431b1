// torch.nn.functional against PyTorch: test/golden/nn_functional.json (tools/gen_golden_nn.py).
// Activations and losses in float32 and float64: values, grad_fn names, gradients for PyTorch's
// grad_outputs, the in-place variants, and PyTorch's error messages; float64 cases also pass our gradcheck and gradgradcheck.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import * as F from "../src/nn/functional.js";
import { type GoldenTensor, readGolden, fromGolden, assertClose } from "./helpers.js";

interface ActCase {
  name: string; fn: string; kwargs: Record<string, unknown>;
  x: GoldenTensor; out: GoldenTensor; grad_fn: string; w: GoldenTensor; grad: GoldenTensor;
  weight?: GoldenTensor; grad_weight?: GoldenTensor;
  inplace?: { out: GoldenTensor; grad_fn: string; grad: GoldenTensor };
}
interface LossCase {
  name: string; fn: string; inputs: GoldenTensor[]; diff: boolean[]; kwargs: Record<string, unknown>;
  kwtensors: Record<string, GoldenTensor>; out: GoldenTensor; grad_fn: string | null; gradcheck: boolean;
  w: GoldenTensor; grads: (GoldenTensor | null)[];
}
interface LossError { name: string; fn: string; inputs: GoldenTensor[]; kwargs: Record<string, unknown>; kwtensors: Record<string, GoldenTensor>; error: string }

const golden = readGolden<{ activations: ActCase[]; losses: LossCase[]; loss_errors: LossError[] }>("nn_functional.json");
// (the golden cases call with keyword arguments: through the parsed functions, as users do)
const Fn = torch.nn.functional as unknown as Record<string, (...a: unknown[]) => Tensor>;

function callAct(c: ActCase, x: Tensor, inplace = false): Tensor {
  if (c.fn === "prelu") return F.prelu(x, fromGolden(c.weight!));
  if (c.fn === "threshold") return F.threshold(x, c.kwargs.threshold as number, c.kwargs.value as number, inplace);
  return Fn[c.fn]!(x, { ...c.kwargs, ...(inplace ? { inplace: true } : {}) });
}

for (const c of golden.activations) {
  test(`F.${c.fn}: ${c.name}`, () => {
    const x = fromGolden(c.x, { requires_grad: true });
    const weight = c.weight ? fromGolden(c.weight, { requires_grad: true }) : null;
    const y = c.fn === "prelu" ? F.prelu(x, weight!) : callAct(c, x);
    assertClose(y, c.out, "output");
    assert.equal(y.grad_fn?.name(), c.grad_fn);
    const grads = torch.autograd.grad(y, weight ? [x, weight] : [x], { grad_outputs: fromGolden(c.w) });
    assertClose(grads[0]!, c.grad, "grad");
    if (weight) assertClose(grads[1]!, c.grad_weight!, "grad weight");
    if (c.inplace) {
      const xi = fromGolden(c.x, { requires_grad: true });
      const z = xi.mul(1);
      const yi = callAct(c, z, true);
      assert.ok(yi === z, "in place: the result is the input tensor");
      assertClose(yi, c.inplace.out, "in-place output");
      assert.equal(yi.grad_fn?.name(), c.inplace.grad_fn);
      const [gi] = torch.autograd.grad(yi, [xi], { grad_outputs: fromGolden(c.w) });
      assertClose(gi!, c.inplace.grad, "in-place grad");
    }
    if (c.x.dtype === "float64") {
      // gradcheck away from the ±25 tail entries of row 0 (finite differences there test nothing new)
      const x0 = fromGolden(c.x);
      const xs = (c.fn === "prelu" ? x0 : x0.narrow(0, 1, 3)).contiguous().requires_grad_(true);
      const ins = weight ? [xs, fromGolden(c.weight!, { requires_grad: true })] : [xs];
      const fn = (...t: Tensor[]) => (c.fn === "prelu" ? F.prelu(t[0]!, t[1]!) : callAct(c, t[0]!));
      assert.ok(torch.autograd.gradcheck(fn, ins));
      assert.ok(torch.autograd.gradgradcheck(fn, ins));
    }
  });
}

function lossInputs(c: LossCase, grad: boolean): Tensor[] {
  return c.inputs.map((t, i) => fromGolden(t, { requires_grad: grad && c.diff[i]! }));
}
function lossOpts(c: { kwargs: Record<string, unknown>; kwtensors: Record<string, GoldenTensor> }): Record<string, unknown> {
  const o: Record<string, unknown> = { ...c.kwargs };
  for (const [k, t] of Object.entries(c.kwtensors)) o[k] = fromGolden(t);
  return o;
}

// PyTorch warns about a broadcasting target and kl_div's 'mean' once; keep the test output clean
const warn = console.warn;
console.warn = (...a: unknown[]) => { if (!String(a[0]).startsWith("UserWarning")) warn(...a); };

for (const c of golden.losses) {
  test(`F.${c.fn}: ${c.name}`, () => {
    const ins = lossInputs(c, true);
    const opts = lossOpts(c);
    const out = Fn[c.fn]!(...ins, opts);
    assertClose(out, c.out, "loss");
    assert.equal(out.grad_fn?.name() ?? null, c.grad_fn);
    const wrt = ins.filter((_, i) => c.diff[i]);
    const grads = torch.autograd.grad(out, wrt, { grad_outputs: fromGolden(c.w), allow_unused: true });
    let k = 0;
    c.grads.forEach((g, i) => { if (g) assertClose(grads[k++]!, g, `grad of input ${i}`); });
    if (c.inputs[0]!.dtype === "float64" && c.gradcheck) {
      const base = lossInputs(c, true);
      const fn = (...t: Tensor[]) => {
        let j = 0;
        const all = base.map((b, i) => (c.diff[i] ? t[j++]! : b));
        return Fn[c.fn]!(...all, opts);
      };
      assert.ok(torch.autograd.gradcheck(fn, base.filter((_, i) => c.diff[i])));
      assert.ok(torch.autograd.gradgradcheck(fn, base.filter((_, i) => c.diff[i])));
    }
  });
}

test("loss errors carry PyTorch's messages and change nothing", () => {
  for (const c of golden.loss_errors) {
    const ins = c.inputs.map((t) => fromGolden(t));
    assert.throws(() => Fn[c.fn]!(...ins, lossOpts(c)), (e: Error) => {
      assert.equal(e.message, c.error, c.name);
      return true;
    });
  }
});

test("positional arguments as in PyTorch", () => {
  const F = torch.nn.functional; // (the parsed functions: the options forms are the parser's)
  const x = torch.linspace(-3, 3, 13, { dtype: torch.float64 });
  assert.ok(F.leaky_relu(x, 0.2).equal(F.leaky_relu(x, { negative_slope: 0.2 })));
  assert.ok(F.elu(x, 0.5).equal(F.elu(x, { alpha: 0.5 })));
  assert.ok(F.hardtanh(x, -2, 2).equal(F.hardtanh(x, { min_val: -2, max_val: 2 })));
  assert.ok(F.softplus(x, 2, 3).equal(F.softplus(x, { beta: 2, threshold: 3 })));
  // approximate is keyword-only: gelu(x, "tanh") is refused, as in PyTorch
  assert.throws(() => (F.gelu as (...a: unknown[]) => Tensor)(x, "tanh"), { name: "TypeError", message: "gelu() takes 1 positional argument but 2 were given" });
  const logits = torch.tensor([[1, 2, 3], [0, 0, 1]], { dtype: torch.float64 });
  const t = torch.tensor([2n, 0n]);
  const w = torch.tensor([1, 2, 3], { dtype: torch.float64 });
  assert.ok(F.cross_entropy(logits, t, w).equal(F.cross_entropy(logits, t, { weight: w })));
  assert.ok(F.softmax(logits, 1).equal(F.softmax(logits, { dim: 1 })));
  assert.throws(() => F.gelu(x, { approximate: "exact" }), /approximate argument must be either none or tanh/);
  assert.throws(() => F.hardtanh(x, 2, 1), /min_val cannot be greater than max_val/);
});

test("in-place activations on a leaf that requires grad are refused, as in PyTorch", () => {
  const x = torch.randn(3, { requires_grad: true });
  assert.throws(() => F.relu(x, true), /a leaf Variable that requires grad is being used in an in-place operation/);
  assert.throws(() => F.gelu(torch.tensor([1n, 2n])), /not implemented for 'Long'/);
});

test("one_hot, cosine_similarity and normalize", () => {
  const oh = F.one_hot(torch.tensor([0n, 2n, 1n]), 4);
  assert.deepEqual(oh.tolist(), [[1, 0, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]);
  assert.equal(oh.dtype, torch.int64);
  assert.deepEqual(F.one_hot(torch.tensor([1n, 3n])).shape, [2, 4]);
  assert.throws(() => F.one_hot(torch.tensor([3n]), 2), /Class values must be smaller than num_classes/);
  const a = torch.tensor([[3, 4], [1, 0]], { dtype: torch.float64 });
  const b = torch.tensor([[3, 4], [0, 2]], { dtype: torch.float64 });
  assert.deepEqual(F.cosine_similarity(a, b).tolist(), [1, 0]);
  assert.deepEqual(F.normalize(a).tolist(), [[0.6, 0.8], [1, 0]]);
  const z = torch.zeros(1, 3, { dtype: torch.float64 });
  assert.deepEqual(F.cosine_similarity(z, z).tolist(), [0]); // norms clamped at eps: no NaN
});

test("torch.* has the functionals PyTorch also puts there with F.*'s arguments, as the same ops", () => {
  // (each is its own parsed entry point, with its own signature: compared by what they compute)
  const a = torch.tensor([[0.5, -1.5, 2.0, -0.25]]), b = torch.tensor([[1.0, 2.0, -3.0, 0.5]]);
  const same = (t: unknown, f: unknown) => assert.deepEqual((t as torch.Tensor).tolist(), (f as torch.Tensor).tolist());
  const T = torch as unknown as Record<string, (...a: unknown[]) => unknown>, FF = F as unknown as Record<string, (...a: unknown[]) => unknown>;
  for (const name of ["celu", "selu", "hardshrink"]) same(T[name]!(a), FF[name]!(a));
  for (const name of ["cosine_similarity", "pairwise_distance"]) same(T[name]!(a, b), FF[name]!(a, b));
  same(T.channel_shuffle!(a.view(1, 4, 1), 2), FF.channel_shuffle!(a.view(1, 4, 1), 2));
  same(T.prelu!(a, torch.tensor([0.25])), FF.prelu!(a, torch.tensor([0.25])));
  same(T.threshold!(a, 0.1, 20), FF.threshold!(a, 0.1, 20));
  assert.equal(typeof T.rrelu, "function");
});

test("embedding's gradient skips padding_idx's rows (a NaN there stays out) and divides by counts with scale_grad_by_freq", () => {
  // by hand (PyTorch 2.13 gives the same): index 2 takes rows [2, 3] and [7, 8], index 3 [5, 6];
  // the rows at padding_idx 1, one of them NaN and one infinite, add nothing
  const idx = torch.tensor([[1, 2, 1, 3, 2]], { dtype: torch.int64 });
  const g = torch.tensor([[[NaN, 1], [2, 3], [Infinity, 4], [5, 6], [7, 8]]]);
  for (const [freq, want] of [[false, [[0, 0], [0, 0], [9, 11], [5, 6]]], [true, [[0, 0], [0, 0], [4.5, 5.5], [5, 6]]]] as const) {
    for (const createGraph of [false, true]) {
      const w = torch.zeros(4, 2, { requires_grad: true });
      const [gw] = torch.autograd.grad([F.embedding(idx, w, 1, null, 2, freq)], [w], { grad_outputs: [g], create_graph: createGraph });
      assert.deepEqual(gw!.tolist(), want, `scale_grad_by_freq=${freq} create_graph=${createGraph}`);
    }
  }
});
