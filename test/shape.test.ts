// The shape ops against PyTorch: one test per case of test/golden/shape.json
// (tools/gen_golden_shape.py) through test/opdb_shape.ts, plus what the op db cannot express.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch from "typetorch";
import { OPS_SHAPE } from "./opdb_shape.js";
import { runOpDb } from "./opdb_runner.js";

// Every warning of this file's tests, in order (checked by the last test: each deprecation once).
const warnings: string[] = [];
console.warn = (m: unknown) => { warnings.push(String(m)); };

runOpDb("shape.json", OPS_SHAPE);

const dbl = { dtype: torch.float64 };

test("broadcast_shapes: PyTorch's result and errors", () => {
  assert.deepEqual(torch.broadcast_shapes([2, 1, 3], [4, 1], 3), [2, 4, 3]);
  assert.deepEqual(torch.broadcast_shapes(), []);
  assert.deepEqual(torch.broadcast_shapes([0, 1], [3]), [0, 3]);
  assert.throws(() => torch.broadcast_shapes([2], [3]), /Shape mismatch: objects cannot be broadcast to a single shape/);
  assert.throws(() => torch.broadcast_shapes([-1]), /Trying to create tensor with negative dimension \(-1\): \(-1\)/);
});

test("unravel_index (2.x): coordinates as int64 tensors, one per dim", () => {
  // 2.x: indices.unsqueeze(-1) // [12, 4, 1] % [2, 3, 4], unbound on the last dim
  const idx = torch.tensor([0n, 5n, 23n, 13n]);
  const out = torch.unravel_index(idx, [2, 3, 4]);
  assert.equal(out.length, 3);
  assert.deepEqual(out.map((t) => t.tolist()), [[0, 0, 1, 1], [0, 1, 2, 0], [0, 1, 3, 1]]);
  assert.ok(out.every((t) => t.dtype === torch.int64));
  const s = torch.unravel_index(torch.tensor(7n), 5);
  assert.deepEqual(s.map((t) => [t.shape, t.item() as number]), [[[], 2]]);
  const i32 = torch.unravel_index(torch.tensor([[3, 4]], { dtype: torch.int32 }), [2, 2]);
  assert.deepEqual(i32.map((t) => [t.dtype, t.tolist()]), [[torch.int64, [[1, 0]]], [torch.int64, [[1, 0]]]]);
  assert.throws(() => torch.unravel_index(torch.tensor([1.5]), [2]), /expected 'indices' to be integer dtype, but got torch.float32/);
  assert.throws(() => torch.unravel_index(torch.tensor([1n]), [2, -1]), /'shape' cannot have negative values, but got \(2, -1\)/);
});

test("slice_scatter: values, grad_fn and gradients (1.13's kernel takes a wrong slice; 2.x's semantics)", () => {
  const x = torch.arange(12, dbl).reshape(4, 3).requires_grad_();
  const src = torch.ones(2, 3, dbl).mul(-1).requires_grad_();
  const y = torch.slice_scatter(x, src, 0, 1, 3);
  assert.deepEqual(y.tolist(), [[0, 1, 2], [-1, -1, -1], [-1, -1, -1], [9, 10, 11]]);
  assert.equal(y.grad_fn!.name(), "SliceScatterBackward0");
  const z = x.slice_scatter(torch.zeros(4, 2, dbl), { dim: 1, start: 0, end: 4, step: 2 });
  assert.deepEqual(z.tolist(), [[0, 1, 0], [0, 4, 0], [0, 7, 0], [0, 10, 0]]);
  assert.deepEqual((torch.slice_scatter(x, torch.zeros(1, 3, dbl), { start: -1 }).tolist() as number[][])[3], [0, 0, 0]);
  const [gx, gs] = torch.autograd.grad([y], [x, src], { grad_outputs: [torch.arange(12, dbl).reshape(4, 3)] });
  assert.deepEqual(gx!.tolist(), [[0, 1, 2], [0, 0, 0], [0, 0, 0], [9, 10, 11]]);
  assert.deepEqual(gs!.tolist(), [[3, 4, 5], [6, 7, 8]]);
  const f = (a: torch.Tensor, b: torch.Tensor) => [torch.slice_scatter(a, b, 1, 0, 3, 2)];
  const a = torch.randn(3, 3, dbl).requires_grad_(), b = torch.randn(3, 2, dbl).requires_grad_();
  assert.ok(torch.autograd.gradcheck(f, [a, b]));
  assert.ok(torch.autograd.gradgradcheck(f, [a, b]));
});

test("vander: values, grad_fn and gradient (1.13's own backward fails; ours is the formula's)", () => {
  const x = torch.tensor([1.5, -2, 0.5], dbl).requires_grad_();
  const v = torch.vander(x);
  assert.deepEqual(v.tolist(), [[2.25, 1.5, 1], [4, -2, 1], [0.25, 0.5, 1]]);
  assert.equal(v.grad_fn!.name(), "FlipBackward0");
  assert.equal(torch.vander(x, { increasing: true }).grad_fn!.name(), "CopySlices");
  const [g] = torch.autograd.grad([v.sum()], [x]);
  assert.deepEqual(g!.tolist(), [2 * 1.5 + 1, 2 * -2 + 1, 2 * 0.5 + 1]);
  for (const N of [1, 2, 4]) {
    const f = (t: torch.Tensor) => [torch.vander(t, N)];
    assert.ok(torch.autograd.gradcheck(f, [x]));
    assert.ok(torch.autograd.gradgradcheck(f, [x]));
  }
});

test("narrow_copy: 2.x's NarrowCopyBackward0 (1.13 has no derivative)", () => {
  const x = torch.randn(3, 4, dbl).requires_grad_();
  const y = torch.narrow_copy(x, 1, 1, 2);
  assert.equal(y.grad_fn!.name(), "NarrowCopyBackward0");
  assert.equal(y._storage === x._storage, false);
  const [g] = torch.autograd.grad([y.sum()], [x]);
  assert.deepEqual(g!.tolist(), [[0, 1, 1, 0], [0, 1, 1, 0], [0, 1, 1, 0]]);
  assert.ok(torch.autograd.gradcheck((t: torch.Tensor) => [t.narrow_copy(0, -2, 2)], [x]));
});

test("deprecations and missing arguments warn once, in PyTorch's words", () => {
  // (the op db's cases above called each of them several times)
  const a = torch.tensor([1, 2]);
  torch.meshgrid(a, a); torch.range(0, 2); torch.chain_matmul(torch.ones(2, 2));
  assert.deepEqual([...new Set(warnings)], warnings, "each warning once");
  assert.deepEqual(warnings.slice().sort(), [
    "UserWarning: torch.meshgrid: in an upcoming release, it will be required to pass the indexing argument.",
    "UserWarning: torch.range is deprecated and will be removed in a future release because its behavior is inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).",
    "UserWarning: torch.chain_matmul is deprecated and will be removed in a future PyTorch release. Use torch.linalg.multi_dot instead, which accepts a list of two or more tensors rather than multiple parameters.",
  ].sort());
});

test("atleast_nd returns its input itself when it has the dims; methods exist", () => {
  const x = torch.ones(2, 3);
  assert.equal(torch.atleast_1d(x), x);
  assert.equal(torch.atleast_2d(x), x);
  assert.deepEqual(torch.atleast_3d([torch.ones(2), x]).map((t) => t.shape), [[1, 2, 1], [2, 3, 1]]);
  assert.deepEqual(x.ravel().shape, [6]);
  assert.deepEqual(x.rot90().shape, [3, 2]);
  assert.deepEqual(x.hsplit(3).map((t) => t.shape), [[2, 1], [2, 1], [2, 1]]);
  assert.equal(torch.trace(torch.eye(3)).item(), 3);
});
