// Index expressions against PyTorch: one test per case of test/golden/index.json
// (tools/gen_golden_index.py). x.index(...) is Python's x[...], x.index_put_([...], v) is
// x[...] = v. Each case checks values, shape, dtype, the grad_fn nodes the expression adds,
// whether the result is a view (writing through it must change x exactly where PyTorch's did),
// gradients for PyTorch's grad_output, gradcheck in float64, and for bad input PyTorch's message
// with the tensor left as it was. The functional ops (index_put, masked_select, repeat, roll …)
// are cases of the op database (test/ops.test.ts).

import assert from "node:assert/strict";
import { test } from "node:test";
import torch, { type Tensor } from "typetorch";
import { type GoldenTensor, type GoldenValue, readGolden, fromGolden, assertClose, decodeNumber, valuesOf } from "./helpers.js";

type View = { op: "t" } | { op: "slice"; dim: number; start: number; step: number };
interface XSpec extends GoldenTensor { view: View | null }
type List = readonly (number | boolean | List)[];
type Item =
  | { int: number } | { slice: [number | null, number | null, number | null] } | { ellipsis: true } | { none: true }
  | { bool: boolean } | { tensor: GoldenTensor } | { list: List };
type Value = { tensor: GoldenTensor } | { scalar: GoldenValue };

interface Case {
  name: string;
  kind: "get" | "put" | "leaf" | "call";
  x: XSpec;
  items: Item[];
  error?: string;
  out?: GoldenTensor;
  /** grad_fn names from the output towards x, as far as the expression made them (null: unchecked) */
  grad_fn?: string[] | null;
  is_view?: boolean;
  after_write?: GoldenTensor;
  w?: GoldenTensor;
  grad?: GoldenTensor;
  grads?: GoldenTensor[];
  gradcheck?: boolean;
  gradgradcheck?: boolean;
  // put
  value?: Value;
  accumulate?: boolean;
  view?: View | null;
  return_view?: boolean;
  // call
  method?: "tril_" | "triu_" | "index_fill_";
  args?: ({ tensor: GoldenTensor } | { scalar: GoldenValue })[];
}

const golden = readGolden<{ cases: Case[] }>("index.json");

function applyView(x: Tensor, v: View | null | undefined): Tensor {
  if (!v) return x;
  return v.op === "t" ? x.t() : x.slice(v.dim, v.start, null, v.step);
}

function decodeItem(it: Item): torch.Index {
  if ("int" in it) return it.int;
  if ("slice" in it) return torch.slice(...it.slice);
  if ("ellipsis" in it) return "...";
  if ("none" in it) return null;
  if ("bool" in it) return it.bool;
  if ("tensor" in it) return fromGolden(it.tensor);
  return it.list;
}

const scalarOf = (v: GoldenValue): number | boolean => (typeof v === "boolean" ? v : decodeNumber(v));
const isFloat = (dtype: string): boolean => dtype.startsWith("float") || dtype === "bfloat16";

/** grad_fn names along the first edges, stopping at the leaf; the last `skip` belong to x's own view. */
function chainOf(t: Tensor, skip = 0): string[] {
  const names: string[] = [];
  for (let f = t.grad_fn; f && f.name() !== "AccumulateGrad";) {
    names.push(f.name());
    f = f.next_functions.find((e) => e[0] !== null)?.[0] ?? null;
  }
  return names.slice(0, names.length - skip);
}
// PyTorch's name() carries the C++ namespace of CopySlices / CopyBackwards; our nodes carry the class name alone.
const pyName = (n: string): string => n.replace("torch::autograd::", "");

function assertThrowsPyTorch(fn: () => unknown, expected: string): void {
  assert.throws(fn, (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    assert.ok(msg.includes(expected), `error message\n  ours:    ${msg}\n  PyTorch: ${expected}`);
    return true;
  }, `PyTorch raises: ${expected}`);
}

function runGet(c: Case): void {
  const float = isFloat(c.x.dtype);
  const base = fromGolden(c.x, { requires_grad: float });
  const x = applyView(base, c.x.view);
  const items = c.items.map(decodeItem);
  if (c.error !== undefined) { assertThrowsPyTorch(() => x.index(...items), c.error); return; }

  const out = x.index(...items);
  assertClose(out, c.out!, "output");
  if (c.grad_fn) assert.deepEqual(chainOf(out, chainOf(x).length), c.grad_fn, "grad_fn chain");
  if (c.is_view) assert.equal(out._base, x._base ?? x, "a view of x");
  else assert.notEqual(out._storage, x._storage, "a copy");
  // Writing through the result changes x where PyTorch's did (nowhere for a copy).
  const b2 = fromGolden(c.x);
  torch.no_grad(() => applyView(b2, c.x.view).index(...items).fill_(7));
  assertClose(b2, c.after_write!, "x's base after writing 7 through the result");

  if (c.grad) {
    const [g] = torch.autograd.grad([out], [base], { grad_outputs: [fromGolden(c.w!)], allow_unused: true });
    assertClose(g ?? torch.zeros_like(base), c.grad, "gradient");
  }
  const f = (b: Tensor) => applyView(b, c.x.view).index(...items);
  if (c.gradcheck) assert.ok(torch.autograd.gradcheck(f, [base]), "gradcheck");
  if (c.gradgradcheck) assert.ok(torch.autograd.gradgradcheck(f, [base]), "gradgradcheck");
}

function runPut(c: Case): void {
  const float = isFloat(c.x.dtype);
  const items = c.items.map(decodeItem);
  const vt = c.value && "tensor" in c.value ? c.value.tensor : null;
  const vLeaf = vt ? fromGolden(vt, { requires_grad: isFloat(vt.dtype) && c.kind === "put" }) : null;
  const value = vLeaf ?? scalarOf((c.value as { scalar: GoldenValue }).scalar);

  if (c.kind === "leaf") {
    const x = fromGolden(c.x, { requires_grad: true });
    assertThrowsPyTorch(() => x.index_put_(items, value), c.error!);
    assertClose(x, c.x, "the leaf is unchanged");
    return;
  }
  if (c.error !== undefined) {
    const y = fromGolden(c.x);
    assertThrowsPyTorch(() => applyView(y, c.view).index_put_(items, value, c.accumulate), c.error);
    assertClose(y, c.x, "the tensor is unchanged"); // PyTorch itself may have written part of it
    return;
  }

  const f = (xb: Tensor, v: Tensor | number | boolean): Tensor => {
    const y = xb.clone();
    const yv = applyView(y, c.view);
    yv.index_put_(items, v, c.accumulate);
    return c.return_view ? yv : y;
  };
  const xb = fromGolden(c.x, { requires_grad: float });
  const out = f(xb, value);
  assertClose(out, c.out!, "result");
  if (c.grad_fn) assert.deepEqual(chainOf(out), c.grad_fn.map(pyName), "grad_fn chain");
  if (c.grads) {
    const leaves = vLeaf && vLeaf.requires_grad ? [xb, vLeaf] : [xb];
    const gs = torch.autograd.grad([out], leaves, { grad_outputs: [fromGolden(c.w!)], allow_unused: true });
    leaves.forEach((l, i) => assertClose(gs[i] ?? torch.zeros_like(l), c.grads![i]!, i === 0 ? "gradient of x" : "gradient of the value"));
    if (c.gradcheck) {
      const fn = (...ls: Tensor[]) => f(ls[0]!, ls[1] ?? value);
      assert.ok(torch.autograd.gradcheck(fn, leaves), "gradcheck");
    }
  }
}

function runCall(c: Case): void {
  const xb = fromGolden(c.x, { requires_grad: true });
  const args = c.args!.map((a) => ("tensor" in a ? fromGolden(a.tensor) : scalarOf(a.scalar)));
  const f = (b: Tensor): Tensor => {
    const y = b.clone();
    if (c.method === "index_fill_") return y.index_fill_(args[0] as number, args[1] as Tensor, args[2] as number);
    return y[c.method!](...(args as number[]));
  };
  const out = f(xb);
  assertClose(out, c.out!, "result");
  assert.deepEqual(chainOf(out), c.grad_fn, "grad_fn chain");
  const [g] = torch.autograd.grad([out], [xb], { grad_outputs: [fromGolden(c.w!)] });
  assertClose(g!, c.grad!, "gradient");
  if (c.gradcheck) assert.ok(torch.autograd.gradcheck(f, [xb]), "gradcheck");
}

for (const c of golden.cases) test(c.name, () => (c.kind === "get" ? runGet(c) : c.kind === "call" ? runCall(c) : runPut(c)));

// ---- behaviour beyond single expressions -----------------------------------------------------------

const x34 = () => fromGolden(golden.cases.find((c) => c.name === "get list")!.x);

test("torch.slice(n) is Python's slice(n): the stop", () => {
  const x = x34();
  assert.deepEqual(x.index(torch.slice(2)).tolist(), x.index(torch.slice(null, 2)).tolist());
  assert.deepEqual(x.index(torch.slice(2, null)).shape, [1, 4]);
});

test("non-contiguous index tensors index as their values", () => {
  const x = x34();
  const idx = torch.tensor([[0n, 2n], [1n, 1n]]).t();
  assert.deepEqual(x.index(idx).tolist(), x.index(idx.contiguous()).tolist());
  const y = x.clone(), z = x.clone();
  y.index_put_([idx], torch.tensor(5), true);
  z.index_put_([idx.contiguous()], torch.tensor(5), true);
  assert.deepEqual(y.tolist(), z.tolist());
});

test("index_put_ bumps the version: a saved tensor it overwrote fails backward", () => {
  const a = torch.ones(3, { requires_grad: true }).clone();
  const b = a.sin(); // sin saves a
  a.index_put_([[0]], 2);
  assert.throws(() => b.sum().backward(), /one of the variables needed for gradient computation has been modified by an inplace operation/);
});

test("a failed index_put_ leaves the version as it was", () => {
  const a = torch.ones(3, { requires_grad: true }).clone();
  const b = a.sin();
  assert.throws(() => a.index_put_([[0, 9]], 2), /index 9 is out of bounds for dimension 0 with size 3/);
  assert.throws(() => a.index_put_([[0]], torch.ones(2)), /shape mismatch/);
  b.sum().backward();
  assert.deepEqual(valuesOf(a), [1, 1, 1]);
});

// 2.x behaviour of ops outside this file's golden data, checked by hand against 2.x's sources:
test("tril/triu need 2 dims (2.x TriangularOps.cpp meta check)", () => {
  assert.throws(() => torch.tril(torch.ones(3)), /tril: input tensor must have at least 2 dimensions/);
  assert.throws(() => torch.ones(3).triu_(), /triu: input tensor must have at least 2 dimensions/);
});

test("diag: 2.x's message for other ranks, and an empty diagonal past the end (TensorShape.cpp)", () => {
  assert.throws(() => torch.diag(torch.ones(2, 2, 2)), /diag\(\): Supports 1D or 2D tensors. Got 3D/);
  // 2.x diagonal_copy: offset 7 of a 3x4 matrix has no elements (1.13 overflows computing numel)
  assert.deepEqual(torch.diag(torch.ones(3, 4), 7).shape, [0]);
});

test("masked_scatter: 2.x's checks come before any write (TensorAdvancedIndexing.cpp, IndexKernel.cpp)", () => {
  // 1.13 only warned for a uint8 mask and worded the dtype check differently; 2.x refuses both.
  const x = torch.zeros(2, 3), m = torch.tensor([[true, false, true], [false, true, true]]), s = torch.arange(6).view(2, 3);
  assert.throws(() => x.masked_scatter_(m.to(torch.uint8), s), { message: "masked_scatter_ only supports boolean masks, but got mask with dtype Byte" });
  assert.throws(() => x.masked_scatter_(m, s.to(torch.int64)), { message: "masked_scatter_: expected self and source to have same dtypes but got Float and Long" });
  assert.throws(() => x.masked_scatter_(m, torch.arange(3)), { message: "Number of elements of source < number of ones in mask" });
  // the mask must expand to x's shape in place (expand_inplace)
  assert.throws(() => torch.zeros(2, 2).masked_scatter_(m, s), /The expanded size of the tensor \(2\) must match the existing size \(3\)/);
  assert.deepEqual(x.tolist(), [[0, 0, 0], [0, 0, 0]]);
  assert.equal(x._version, 0);
});

test("masked_scatter_ writes in place, source in row-major order, and records MaskedScatterBackward0", () => {
  const x = torch.zeros(2, 3), s = torch.arange(6).view(2, 3);
  assert.equal(x.masked_scatter_(torch.tensor([true, false, true]), s), x);
  assert.deepEqual(x.tolist(), [[0, 0, 1], [2, 0, 3]]);
  const w = torch.randn(2, 3, { requires_grad: true }), src = torch.randn(4, { requires_grad: true });
  const y = w.mul(1);
  y.masked_scatter_(torch.tensor([[true, false, true], [false, false, true]]), src);
  assert.equal(y.grad_fn!.name(), "MaskedScatterBackward0");
  y.backward(torch.arange(6).view(2, 3));
  // (by hand: x's gradient is g where the mask is false, source's the picked g then zeros)
  assert.deepEqual(w.grad!.tolist(), [[0, 1, 0], [3, 4, 0]]);
  assert.deepEqual(src.grad!.tolist(), [0, 2, 5, 0]);
});
