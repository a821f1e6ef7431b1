// torch.numpy (np.save / np.load / np.savez / np.savez_compressed): numpy's own files
// (test/fixtures/numpy, made by tools/gen_golden_numpy.py with their contents in
// test/golden/numpy.json) read back exactly, our .npy bytes equal to numpy's for the same
// array, .npz both ways, and the files numpy's defaults refuse refused in numpy's words.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { type Tensor } from "typetorch";
import { readGolden, goldenNumpyTensor, bigValuesOf, type NumpyGolden, type NumpyGoldenArray } from "./helpers.js";

const G = readGolden<NumpyGolden>("numpy.json");
const fixture = (name: string) => readFileSync(new URL(`./fixtures/numpy/${name}`, import.meta.url));

/** Values that see NaN, -0 and int64 beyond 2^53. */
function bits(t: Tensor): string[] {
  if (t.dtype === torch.int64) return bigValuesOf(t).map(String);
  return ([t.contiguous().tolist()] as unknown[]).flat(Infinity as 1).map((v) => Object.is(v, -0) ? "-0" : String(v));
}
function assertMatches(t: Tensor, g: NumpyGoldenArray, what: string): void {
  assert.equal(t.dtype.name, g.dtype, `${what}: dtype`);
  assert.deepEqual(t.shape, g.shape, `${what}: shape`);
  assert.deepEqual(bits(t), bits(goldenNumpyTensor(g)), `${what}: values`);
  const rev = t.shape.map((_, i) => t.dim() - 1 - i);
  const fortran = !t.is_contiguous() && t.permute(rev).is_contiguous();
  assert.equal(fortran, g.fortran_order, `${what}: Fortran order`);
}

test("np.save's files load with their dtype, shape, order and values", () => {
  for (const [name, g] of Object.entries(G.npy)) assertMatches(torch.numpy.load(fixture(`${name}.npy`)) as Tensor, g, name);
});

test("numpy.save writes np.save's bytes (C and Fortran order, every shared dtype)", () => {
  let n = 0;
  for (const [name, g] of Object.entries(G.npy)) {
    if (name.endsWith("_be") || name === "v2") continue; // we write native little-endian, version 1.0
    assert.deepEqual(torch.numpy.save(null, goldenNumpyTensor(g)), new Uint8Array(fixture(`${name}.npy`)), name);
    n++;
  }
  assert.ok(n >= 20);
  // A non-contiguous tensor is written in C order as numpy writes a non-contiguous array.
  const x = torch.arange(12, { dtype: torch.float32 }).reshape(3, 4).index(torch.slice(null, null, 2));
  const back = torch.numpy.load(torch.numpy.save(null, x)) as Tensor;
  assert.ok(back.is_contiguous());
  assert.deepEqual(back.tolist(), x.tolist());
});

test("npz files from np.savez and np.savez_compressed load; ours round-trip", () => {
  for (const file of ["stored.npz", "compressed.npz"]) {
    const z = torch.numpy.load(fixture(file)) as Record<string, Tensor>;
    assert.deepEqual(Object.keys(z).sort(), Object.keys(G.npz).sort(), file);
    for (const [k, g] of Object.entries(G.npz)) assertMatches(z[k]!, g, `${file}[${k}]`);
  }
  const a = torch.tensor([1, 2, 3]), b = torch.ones(2, 2, { dtype: torch.int64 });
  for (const f of [torch.numpy.savez, torch.numpy.savez_compressed]) {
    const z = torch.numpy.load(f(null, a, { b })) as Record<string, Tensor>;
    assert.deepEqual(Object.keys(z), ["arr_0", "b"]);
    assert.deepEqual(z.arr_0!.tolist(), [1, 2, 3]);
    assert.equal(z.b!.dtype, torch.int64);
  }
  assert.throws(() => torch.numpy.savez(null, a, { arr_0: b }), { message: "Cannot use un-named variables and keyword arr_0" });
});

test("paths: .npy and .npz suffixes added as numpy adds them", () => {
  const dir = mkdtempSync(join(tmpdir(), "tt-npy-"));
  try {
    torch.numpy.save(join(dir, "x"), torch.eye(2));
    torch.numpy.savez_compressed(join(dir, "y"), { w: torch.eye(2) });
    assert.ok(existsSync(join(dir, "x.npy")) && existsSync(join(dir, "y.npz")));
    assert.deepEqual((torch.numpy.load(join(dir, "x.npy")) as Tensor).tolist(), [[1, 0], [0, 1]]);
    assert.deepEqual((torch.numpy.load(join(dir, "y.npz")) as Record<string, Tensor>).w!.tolist(), [[1, 0], [0, 1]]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("object arrays and pickles are refused with numpy's words; dtypes typetorch lacks with PyTorch's", () => {
  assert.throws(() => torch.numpy.load(fixture("object.npy")), { message: G.refused["object.npy"]! });
  assert.throws(() => torch.numpy.load(fixture("pickle.npy")), { message: G.refused["pickle.npy"]! });
  assert.throws(() => torch.numpy.load(fixture("object.npy"), { allow_pickle: true }), /cannot load object arrays/);
  const only = "The only supported types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool.";
  assert.throws(() => torch.numpy.load(fixture("uint16.npy")), { message: `can't convert np.ndarray of type numpy.uint16. ${only}` });
  assert.throws(() => torch.numpy.load(fixture("complex64.npy")), { message: `can't convert np.ndarray of type numpy.complex64. ${only}` });
  assert.throws(() => torch.numpy.load(fixture("structured.npy")), /no structured dtypes: .*\[\('a', '<i4'\), \('b', '<f8'\)\]/);
  assert.throws(() => torch.numpy.save(null, torch.ones(2, { dtype: torch.bfloat16 })), { message: "Got unsupported ScalarType BFloat16" });
  assert.throws(() => torch.numpy.save(null, torch.ones(2, { requires_grad: true })), /Can't call numpy\(\) on Tensor that requires grad/);
});

test("malformed .npy files give numpy's errors, bounded by the bytes present", () => {
  const good = new Uint8Array(fixture("float32_c.npy"));
  const load = (b: Uint8Array) => torch.numpy.load(b);
  assert.throws(() => load(good.subarray(0, good.length - 4)), { message: "EOF: reading array data, expected 24 bytes got 20" });
  assert.throws(() => load(good.subarray(0, 9)), { message: "EOF: reading array header length, expected 2 bytes got 1" });
  assert.throws(() => load(good.subarray(0, 40)), { message: "EOF: reading array header, expected 118 bytes got 30" });
  const withHeader = (h: string) => {
    const b = new Uint8Array(good);
    b.fill(0x20, 10, 127);
    b.set(new TextEncoder().encode(h), 10);
    return b;
  };
  // A huge declared shape fails on the byte count, before any allocation.
  assert.throws(() => load(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (1000000000, 1000000000), }")),
    { message: "EOF: reading array data, expected 4000000000000000000 bytes got 24" });
  assert.throws(() => load(withHeader("{'descr': '<f4', 'fortran_order': False, }")),
    { message: "Header does not contain the correct keys: ['descr', 'fortran_order']" });
  assert.throws(() => load(withHeader("{'descr': '<f4', 'fortran_order': 0, 'shape': (2, 3), }")), { message: "fortran_order is not a valid bool: 0" });
  assert.throws(() => load(withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': [2, 3], }")), { message: "shape is not valid: [2, 3]" });
  assert.throws(() => load(withHeader("{'descr': 'x9', 'fortran_order': False, 'shape': (2, 3), }")), { message: "descr is not a valid dtype descriptor: 'x9'" });
  assert.throws(() => load(withHeader("[1, 2]")), { message: "Header is not a dictionary: [1, 2]" });
  assert.throws(() => load(withHeader("{'descr': __import__('os')}")), /^Error: Cannot parse header: /);
  const bad = new Uint8Array(good);
  bad[7] = 9;
  assert.throws(() => load(bad), { message: "we only support format version (1,0), (2,0), and (3,0), not (1, 9)" });
  assert.throws(() => load(new Uint8Array(0)), { message: "No data left in file" });
  const z = new Uint8Array(fixture("stored.npz"));
  assert.throws(() => load(z.subarray(0, z.length - 30)), { name: "BadZipFile" });
});
