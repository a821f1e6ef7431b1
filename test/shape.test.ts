// The shape ops against PyTorch: one test per case of test/golden/shape.json
// (tools/gen_golden_shape.py) through test/opdb_shape.ts, plus what the op db cannot express.

import assert from "node:assert/strict";
import { test } from "node:test";
import torch from "typetorch";
import { OPS_SHAPE } from "./opdb_shape.js";
import { runOpDb } from "./opdb_runner.js";
import { fromGolden, readGolden, type GoldenTensor } from "./helpers.js";

// Every warning of this file's tests, in order (checked by the last test: each deprecation once).
const warnings: string[] = [];
console.warn = (m: unknown) => { warnings.push(String(m)); };

runOpDb("shape.json", OPS_SHAPE);

// A tensor quoted in a message is printed as C++ prints it (tools/gen_golden_cpp_print.py): the
// op db compares such a message's first line only, these cases the whole of it.
const cppPrint = readGolden<{ cases: { name: string; tensor: GoldenTensor; error: string }[] }>("cpp_print.json");
for (const c of cppPrint.cases) {
  test(`meshgrid's error quotes a ${c.name} tensor as C++ prints it`, () => {
    const t = fromGolden(c.tensor);
    assert.throws(() => torch.meshgrid(t, t.new_zeros(2), { indexing: "ij" }), { message: c.error });
  });
}

test("broadcast_shapes: PyTorch's result and errors", () => {
  assert.deepEqual(torch.broadcast_shapes([2, 1, 3], [4, 1], 3), [2, 4, 3]);
  assert.deepEqual(torch.broadcast_shapes(), []);
  assert.deepEqual(torch.broadcast_shapes([0, 1], [3]), [0, 3]);
  assert.throws(() => torch.broadcast_shapes([2], [3]), /Shape mismatch: objects cannot be broadcast to a single shape/);
  assert.throws(() => torch.broadcast_shapes([-1]), /Trying to create tensor with negative dimension \(-1\): \(-1\)/);
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
