// Shared test helpers: reading golden data written by tools/gen_*.py (real PyTorch), turning
// its tensors into ours, and comparing ours against it with dtype-appropriate tolerances.

import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";

/** A value as the generators write it: JSON numbers for finite floats and small ints, the
 *  strings "nan" / "inf" / "-inf" for non-finite floats, decimal strings for int64 beyond 2^53,
 *  JSON booleans for bool. */
export type GoldenValue = number | string | boolean;

/** A tensor as the generators write it: row-major values of `shape`. */
export interface GoldenTensor {
  dtype: string;
  shape: number[];
  data: GoldenValue[];
}

/** Reads a golden JSON file under test/golden/. */
export function readGolden<T>(name: string): T {
  // (node:fs looked up here, not imported: the op database's cases and these helpers are bundled
  // for a browser too, test/browser/opdb_page.ts, which fetches its golden files)
  const { readFileSync } = process.getBuiltinModule("node:fs") as typeof import("node:fs");
  return JSON.parse(readFileSync(new URL(`./golden/${name}`, import.meta.url), "utf8")) as T;
}

export function decodeNumber(v: GoldenValue): number {
  if (typeof v === "boolean") return v ? 1 : 0;
  if (typeof v === "number") return v;
  if (v === "nan") return NaN;
  if (v === "inf") return Infinity;
  if (v === "-inf") return -Infinity;
  return Number(v);
}

export function decodeBigInt(v: GoldenValue): bigint {
  if (typeof v === "boolean") return v ? 1n : 0n;
  return BigInt(v);
}

/** torch.<name> for a dtype name ("float32" → torch.float32). */
export function dtypeOf(name: string): torch.dtype {
  const d = (torch as unknown as Record<string, unknown>)[name];
  if (!(d instanceof torch.dtype)) throw new Error(`unknown dtype ${name}`);
  return d;
}

/** A fresh contiguous leaf holding the golden values (exact for every dtype, int64 included). */
export function fromGolden(g: GoldenTensor, opts: { requires_grad?: boolean } = {}): Tensor {
  const dtype = dtypeOf(g.dtype);
  const flat = g.dtype === "int64" ? g.data.map(decodeBigInt)
    : g.dtype === "bool" ? g.data.map((v) => decodeNumber(v) !== 0)
    : g.data.map(decodeNumber);
  // clone(): a leaf with its own storage, not a view of the 1-d tensor reshape starts from
  const t = torch.tensor(flat, { dtype }).reshape(g.shape).clone();
  if (opts.requires_grad) t.requires_grad_(true);
  return t;
}

export interface Tolerance { rtol: number; atol: number }

/**
 * Tolerances for comparing with PyTorch, per dtype. Integer and bool results must be exact.
 * - float64: both sides compute in double. Elementwise results differ by an ulp or two (V8's
 *   Math.* vs SLEEF/glibc), reductions by summation order (~n·2^-53); gradients chain a few ops.
 *   1e-10 relative keeps a margin of ~10^5 over that while any wrong formula is off by O(1).
 * - float32: PyTorch computes in float32 (vectorised, 1-2 ulp), we compute in double and
 *   round once; reductions accumulate differently. PyTorch's own assert_close defaults
 *   (rtol 1.3e-6, atol 1e-5) are for this situation.
 * - float16 / bfloat16: one rounding is 2^-11 / 2^-8 relative. Our backward formulas are tensor
 *   ops, each rounding to the low precision, where PyTorch's fused CPU kernels compute in float32
 *   and round once; after a cancellation (softmax's g − y·Σg) the error is relative to the terms,
 *   not the result. So for these dtypes atol also scales with the tensor's largest magnitude
 *   (see assertClose).
 */
export function tolerance(dtype: string): Tolerance {
  switch (dtype) {
    case "float64": return { rtol: 1e-10, atol: 1e-12 };
    case "float32": return { rtol: 1.3e-6, atol: 1e-5 };
    case "float16": return { rtol: 2e-3, atol: 1e-4 };
    case "bfloat16": return { rtol: 1.6e-2, atol: 1e-4 };
    default: return { rtol: 0, atol: 0 };
  }
}

/** Row-major values of t as numbers (bool → 0/1). */
export function valuesOf(t: Tensor): number[] {
  const flat: number[] = [];
  const walk = (x: unknown): void => {
    if (Array.isArray(x)) for (const y of x) walk(y);
    else flat.push(typeof x === "boolean" ? (x ? 1 : 0) : (x as number));
  };
  walk(t.detach().tolist());
  return flat;
}

/** Row-major int64 values of t, exactly (tolist() would round past 2^53). */
export function bigValuesOf(t: Tensor): bigint[] {
  const data = t.detach().cpu().clone({ memory_format: torch.contiguous_format }).numpy().data; // (row-major storage from offset 0)
  return Array.from(data as BigInt64Array);
}

const fmt = (shape: readonly number[]) => `[${shape.join(", ")}]`;

/**
 * Asserts that `actual` matches the golden tensor: same dtype, same shape, and values equal
 * (integers, bools) or close within `tol` (floats; NaN where PyTorch has NaN, infinities equal).
 */
export function assertClose(actual: Tensor, expected: GoldenTensor, what: string, tol: Tolerance = tolerance(expected.dtype)): void {
  assert.equal(actual.dtype.name, expected.dtype, `${what}: dtype ${actual.dtype.name}, PyTorch ${expected.dtype}`);
  assert.deepEqual(actual.shape.slice(), expected.shape, `${what}: shape ${fmt(actual.shape)}, PyTorch ${fmt(expected.shape)}`);
  if (expected.dtype === "int64") {
    const a = bigValuesOf(actual), e = expected.data.map(decodeBigInt);
    const i = a.findIndex((v, k) => v !== e[k]);
    assert.ok(i < 0, `${what}: element ${i} is ${a[i]}, PyTorch ${e[i]}`);
    return;
  }
  const a = valuesOf(actual), e = expected.data.map(decodeNumber);
  if (expected.dtype === "float16" || expected.dtype === "bfloat16") {
    let scale = 0;
    for (const y of e) if (Number.isFinite(y)) scale = Math.max(scale, Math.abs(y));
    tol = { rtol: tol.rtol, atol: Math.max(tol.atol, tol.rtol * scale) };
  }
  for (let k = 0; k < e.length; k++) {
    const x = a[k]!, y = e[k]!;
    const ok = Number.isNaN(y) ? Number.isNaN(x)
      : !Number.isFinite(y) || tol.rtol + tol.atol === 0 ? x === y
      : Math.abs(x - y) <= tol.atol + tol.rtol * Math.abs(y);
    if (!ok) {
      let worst = 0;
      for (let j = 0; j < e.length; j++) if (Number.isFinite(e[j]!)) worst = Math.max(worst, Math.abs(a[j]! - e[j]!));
      assert.fail(`${what}: element ${k} of ${fmt(expected.shape)} is ${x}, PyTorch ${y} ` +
        `(rtol ${tol.rtol}, atol ${tol.atol}; largest finite difference ${worst})`);
    }
  }
}

/** An argument as tools/gen_golden_conv.py and gen_golden_upconv.py write it: a tensor, a zeros
 *  placeholder, a list (a Python tuple), a scalar or null. */
export type GoldenArg = GoldenTensor | { zeros: number[]; dtype: string } | number | string | boolean | null | GoldenArg[];

const isTensorJson = (a: unknown): a is GoldenTensor => typeof a === "object" && a !== null && "data" in a && "shape" in a;

/** A golden argument as the call takes it: tensors made, lists kept (tuples), null as null. */
export function goldenArg(a: GoldenArg): unknown {
  if (isTensorJson(a)) return fromGolden(a);
  if (a !== null && typeof a === "object" && "zeros" in a) return torch.zeros(a.zeros, { dtype: dtypeOf(a.dtype) });
  if (Array.isArray(a)) return a.map(goldenArg);
  return a;
}

/** A result as tools/gen_golden_signatures.py writes it: a tensor's shape and values, a module's
 *  repr, a plain value, a tuple of results, or the error PyTorch raised. */
export type GoldenResult =
  | { shape: number[]; values: number[] } | { repr: string } | { value: unknown } | { error: string; message: string }
  | GoldenResult[];

/** Runs `f` and checks what it returns or throws against PyTorch's result: errors by type and
 *  exact message, tensors by shape and values (float32 rounding allowed), modules by repr. */
export function checkResult(expected: GoldenResult, f: () => unknown, what: string): void {
  if (!Array.isArray(expected) && "error" in expected) {
    assert.throws(f, (e: Error) => {
      // (PyTorch's RuntimeError and ValueError are Errors here, shared/API.md §7; its TypeError a TypeError)
      const jsClass = ({ RuntimeError: "Error", ValueError: "Error" } as Record<string, string>)[expected.error] ?? expected.error;
      assert.equal(e.constructor.name, jsClass, `${what}: error type`);
      assert.equal(e.message, expected.message, what);
      return true;
    }, what);
    return;
  }
  const compare = (exp: GoldenResult, got: unknown, path: string): void => {
    if (Array.isArray(exp)) {
      const list = [...(got as Iterable<unknown>)];
      assert.equal(list.length, exp.length, `${path}: length`);
      exp.forEach((e, i) => compare(e, list[i], `${path}[${i}]`));
    } else if ("shape" in exp) {
      const t = got as Tensor;
      assert.deepEqual(t.shape, exp.shape, `${path}: shape`);
      const vals = (t.reshape(-1).tolist() as (number | boolean)[]).map(Number);
      exp.values.forEach((v, i) => assert.ok(Math.abs(vals[i]! - v) <= 1e-6 * Math.max(1, Math.abs(v)), `${path}: element ${i} is ${vals[i]}, PyTorch ${v}`));
    } else if ("repr" in exp) assert.equal(String(got), exp.repr, path);
    else assert.deepEqual(got, (exp as { value: unknown }).value, path);
  };
  compare(expected, f(), what);
}

/** An array of test/golden/numpy.json (tools/gen_golden_numpy.py): a GoldenTensor with numpy's order. */
export interface NumpyGoldenArray extends GoldenTensor { fortran_order: boolean }
export interface NumpyGolden {
  npy: Record<string, NumpyGoldenArray>;
  npz: Record<string, NumpyGoldenArray>;
  refused: Record<string, string | null>;
}

/** The golden array as a tensor laid out as numpy's was: C-contiguous, or Fortran-contiguous
 *  (column-major strides) where numpy's array was. */
export function goldenNumpyTensor(g: NumpyGoldenArray): Tensor {
  const t = fromGolden(g);
  if (!g.fortran_order) return t;
  const rev = g.shape.map((_, i) => g.shape.length - 1 - i);
  return t.permute(rev).contiguous().permute(rev);
}

/** The SummaryWriter calls of tools/gen_golden_tensorboard.py's sample(), made with typetorch
 *  (for test/tensorboard.test.ts and tools/write_tensorboard_samples.ts). */
export function writeTensorboardSample(logdir: string): void {
  const w = new torch.utils.tensorboard.SummaryWriter(logdir);
  w.add_scalar("loss", 0.5, 0);
  w.add_scalar("loss", torch.tensor(0.25), 1, 1700000001.5);
  w.add_scalar("neg/step", -3.1, -2);
  w.add_scalars("acc", { train: 0.75, test: 0.5 }, 3);
  const vals = torch.tensor([-1.5, 0.0, 0.0, 2.0, 3.25, 0.125, 100.0, -0.5]);
  w.add_histogram("weights", vals, 4);
  w.add_histogram("int_bins", torch.arange(10, { dtype: torch.float64 }), 5, 4);
  w.add_histogram("max_bins", vals, 6, "tensorflow", null, 20);
  w.add_histogram("edges", torch.tensor([1.0, 2.0, 2.0, 7.5]), 7, [0.0, 1.0, 2.0, 4.0, 8.0]);
  const img = torch.tensor([[[0.0, 0.5, 1.0, 1.5], [-0.2, 0.25, 0.75, 0.999]],
    [[1.0, 0.0, 0.2, 0.4], [0.6, 0.8, 0.1, 0.3]],
    [[0.3, 0.3, 0.3, 0.3], [0.9, 0.9, 0.9, 0.9]]]);
  w.add_image("img", img, 8);
  w.add_image("gray", torch.tensor([[0, 64, 128], [192, 255, 1]], { dtype: torch.uint8 }), 9, null, "HW");
  w.add_text("note", "h\u00e9llo **world**", 10);
  w.add_hparams({ lr: 0.1, bsize: 32, opt: "adam", nesterov: true, skip: null },
    { "hparam/accuracy": 0.875 }, { opt: ["adam", "sgd"] }, "hp", 11);
  w.flush();
  w.close();
}
