// The safetensors format (torch.safetensors, and torch.save / torch.load of a ".safetensors" path): round trips of every dtype, a file written
// by Python's safetensors (test/fixtures/python_all_dtypes.safetensors, made by
// tools/gen_golden_safetensors.py, with its contents in test/golden/safetensors.json), our
// writer against Python's bytes, and each kind of malformed file.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import torch, { type Tensor } from "typetorch";
import * as io from "../src/io/index.js";
import { readGolden, fromGolden, bigValuesOf, type GoldenTensor } from "./helpers.js";

interface Golden {
  size: number; header_length: number; header_text: string; metadata: Record<string, string>;
  data_order: string[]; tensors: Record<string, GoldenTensor & { dtype_name: string }>;
}
const G = readGolden<Golden>("safetensors.json");
const FIXTURE = new URL("./fixtures/python_all_dtypes.safetensors", import.meta.url);

/** Element bits, for exact comparisons that see NaN payloads, -0 and int64 beyond 2^53. */
function bitsOf(t: Tensor): string[] {
  if (t.dtype === torch.int64) return bigValuesOf(t).map(String);
  const d = t.detach().contiguous().clone().numpy().data as unknown as ArrayLike<number>;
  assert.equal(d.length, t.numel());
  const out: string[] = [];
  if (t.dtype === torch.float32) for (const v of new Uint32Array(new Float32Array(Array.from(d)).buffer)) out.push(v.toString(16));
  else if (t.dtype === torch.float64) for (const v of new BigUint64Array(new Float64Array(Array.from(d)).buffer)) out.push(v.toString(16));
  else for (let i = 0; i < d.length; i++) out.push(String(d[i]));
  return out;
}
function assertSameTensor(a: Tensor, b: Tensor, what: string): void {
  assert.equal(a.dtype, b.dtype, `${what}: dtype`);
  assert.deepEqual(a.shape, b.shape, `${what}: shape`);
  assert.deepEqual(bitsOf(a), bitsOf(b), `${what}: values`);
}

function allDtypes(): Record<string, Tensor> {
  return {
    "f32": torch.tensor([[1.5, -0, NaN], [Infinity, -Infinity, 1e-45]]),
    "f64": torch.tensor([Math.PI, -1e300, 5e-324], { dtype: torch.float64 }),
    "f16": torch.tensor([1, -0.5, 65504, 6e-8, -Infinity, 0.1], { dtype: torch.float16 }),
    "bf16": torch.tensor([1, -3.140625, 1e30, 0.1], { dtype: torch.bfloat16 }),
    "i64": torch.tensor([0n, -1n, 2n ** 62n + 12345n, -(2n ** 63n), 2n ** 63n - 1n]),
    "i32": torch.tensor([7, -8, 2 ** 31 - 1, -(2 ** 31)], { dtype: torch.int32 }),
    "i16": torch.tensor([-32768, 32767, 5], { dtype: torch.int16 }),
    "i8": torch.tensor([-128, 127, 0], { dtype: torch.int8 }),
    "u8": torch.tensor([0, 255, 17], { dtype: torch.uint8 }),
    "bool": torch.tensor([[true, false], [false, true]]),
    "scalar": torch.tensor(2.5),
    "empty": torch.zeros(0, 3),
    "strided": torch.arange(12).reshape(3, 4).t(), // non-contiguous: saved row-major
    "offset": torch.arange(10, { dtype: torch.int64 }).narrow(0, 3, 4), // a view with a storage offset
  };
}

test("round trip of every dtype through bytes, in the saved order", () => {
  const sd = allDtypes();
  const bytes = io.safetensors.save(sd);
  assert.ok(bytes instanceof Uint8Array);
  const back = io.safetensors.load(bytes);
  assert.deepEqual(Object.keys(back), Object.keys(sd));
  for (const [k, t] of Object.entries(sd)) {
    assertSameTensor(back[k]!, t.contiguous(), k);
    assert.equal(back[k]!.requires_grad, false);
  }
  // The data starts at a multiple of 8 bytes, as Python's writer pads it.
  const n = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  assert.equal((8 + n) % 8, 0);
  // Loaded tensors own their memory: changing one leaves the bytes and the original alone.
  back["f32"]!.fill_(0);
  assertSameTensor(io.safetensors.load(bytes)["f32"]!, sd["f32"]!, "reloaded f32");
});

test("round trip through a file, with metadata; ArrayBuffer input", () => {
  const dir = mkdtempSync(join(tmpdir(), "typetorch-io-"));
  try {
    const path = join(dir, "w.safetensors");
    const sd = allDtypes();
    assert.equal(io.save(sd, path, { metadata: { format: "pt", epoch: "3" } }), undefined);
    const back = io.load(path);
    for (const [k, t] of Object.entries(sd)) assertSameTensor(back[k]!, t.contiguous(), k);
    assert.deepEqual(io.load_metadata(path), { format: "pt", epoch: "3" });
    const raw = readFileSync(path);
    const ab = raw.buffer.slice(raw.byteOffset, raw.byteOffset + raw.byteLength);
    assertSameTensor(io.load(ab)["i64"]!, sd["i64"]!, "from an ArrayBuffer");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a Map keeps every key's order, integer-like ones included; nested objects flatten with dots", () => {
  const m = new Map<string, unknown>([["10", torch.ones(1)], ["2", torch.zeros(1)], ["b", { c: torch.ones(2), d: new Map([["e", torch.zeros(2)]]) }]]);
  const { tensors } = io.deserialize(io.saveToBytes(m));
  assert.deepEqual([...tensors.keys()], ["10", "2", "b.c", "b.d.e"]);
  const state = io.load(io.saveToBytes({ encoder: { layer: { weight: torch.ones(2, 2), bias: torch.zeros(2) } }, head: torch.ones(1) }));
  assert.deepEqual(Object.keys(state), ["encoder.layer.weight", "encoder.layer.bias", "head"]);
});

test("torch.save refuses what safetensors cannot hold", () => {
  assert.throws(() => io.saveToBytes({ w: torch.ones(1), step: 3 as unknown as Tensor }), { name: "TypeError", message: "torch.save: 'step' is a number, not a Tensor: the safetensors format holds tensors only (save a state_dict)" });
  assert.throws(() => io.saveToBytes({ w: [torch.ones(1)] as unknown as Tensor }), /'w' is an array, not a Tensor/);
  assert.throws(() => io.saveToBytes(torch.ones(2) as unknown as Record<string, Tensor>), /got a Tensor/);
  assert.throws(() => io.saveToBytes({ __metadata__: torch.ones(1) }), /'__metadata__' is reserved/);
  assert.throws(() => io.saveToBytes({ w: torch.ones(1) }, { metadata: { epoch: 3 as unknown as string } }), /metadata value of 'epoch' is a number/);
});

test("a file written by Python's safetensors loads with every dtype and value", () => {
  const bytes = readFileSync(FIXTURE);
  assert.equal(bytes.length, G.size);
  const { tensors, metadata } = io.deserialize(bytes);
  assert.deepEqual(metadata, G.metadata);
  assert.deepEqual([...tensors.keys()], G.data_order);
  const state: Record<string, Tensor> = io.load(FIXTURE); // a file: URL, as fs takes it
  assert.deepEqual(Object.keys(state).sort(), Object.keys(G.tensors).sort());
  for (const [name, g] of Object.entries(G.tensors)) {
    const t = state[name]!;
    assert.equal(io.SAFETENSORS_DTYPE[t.dtype.name], g.dtype_name, name);
    assertSameTensor(t, fromGolden(g), name);
  }
});

test("our writer produces Python's bytes for the same tensors in the same order", () => {
  const bytes = readFileSync(FIXTURE);
  const { tensors, metadata } = io.deserialize(bytes);
  const ours = io.serialize([...tensors], metadata);
  assert.equal(new TextDecoder().decode(ours.subarray(8, 8 + G.header_length)), G.header_text);
  assert.deepEqual(Buffer.from(ours), bytes);
});

// ---- malformed files ------------------------------------------------------------------------

/** A buffer with the given header text (and data bytes), its length field set to match. */
function withHeader(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const h = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + h.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(h.length), true);
  out.set(h, 8);
  out.set(data, 8 + h.length);
  return out;
}
function rejects(bytes: Uint8Array, pattern: RegExp, what: string): void {
  assert.throws(() => io.deserialize(bytes), (e: Error) => {
    assert.ok(e instanceof io.SafetensorError, `${what}: a SafetensorError, got ${e.name}: ${e.message}`);
    assert.match(e.message, pattern, what);
    return true;
  }, what);
}

test("truncated files: no length, a header past the end, data past the end", () => {
  const good = io.saveToBytes({ a: torch.ones(4), b: torch.arange(6, { dtype: torch.int64 }) });
  rejects(new Uint8Array(0), /the file is 0 bytes long, too short to hold the 8-byte header length/, "empty");
  rejects(good.subarray(0, 5), /the file is 5 bytes long/, "5 bytes");
  rejects(good.subarray(0, 20), /the header length \d+ runs past the end of the file \(20 bytes/, "cut in the header");
  rejects(good.subarray(0, good.length - 1), /tensor 'b': data_offsets \[16, 64\] run past the end of the data \(63 bytes\): the file is truncated/, "cut in the data");
});

test("oversized or absurd header lengths are refused before reading", () => {
  rejects(withHeader("{}", undefined, 1n << 40n), /the header length 1099511627776 is larger than the 100000000 bytes allowed/, "2^40");
  rejects(withHeader("{}", undefined, (1n << 64n) - 1n), /the header length 18446744073709551615 is larger/, "2^64 - 1");
  rejects(withHeader("{}", undefined, 100_000_000n), /runs past the end of the file/, "at the limit but past the end");
});

test("malformed headers: not JSON, not an object, bad UTF-8", () => {
  rejects(withHeader('{"a": {"dtype": "F32",'), /the header is not valid JSON/, "cut JSON");
  rejects(withHeader("[1, 2]"), /the header does not start with '\{'/, "an array");
  rejects(withHeader("  {}"), /does not start with '\{'/, "leading spaces");
  const bad = withHeader('{"a":1}');
  bad[10] = 0xff; // inside the key: not UTF-8
  rejects(bad, /the header is not valid UTF-8/, "bad UTF-8");
  rejects(withHeader('{"__metadata__": {"k": 1}}'), /metadata value of 'k' is not a string/, "metadata value");
  rejects(withHeader('{"__metadata__": [1]}'), /'__metadata__' is not an object of strings/, "metadata array");
  rejects(withHeader('{"a": 3}'), /tensor 'a': its header entry is not an object/, "entry not an object");
});

test("bad tensor entries: dtype, shape, offsets, byte counts", () => {
  const four = new Uint8Array(16);
  const entry = (e: string) => withHeader(`{"w":${e}}`, four);
  rejects(entry('{"shape":[4],"data_offsets":[0,16]}'), /tensor 'w': 'dtype' is missing or not a string/, "no dtype");
  rejects(entry('{"dtype":"F12","shape":[4],"data_offsets":[0,16]}'), /tensor 'w': unknown dtype 'F12'/, "unknown dtype");
  rejects(entry('{"dtype":"U32","shape":[4],"data_offsets":[0,16]}'), /tensor 'w': dtype U32 is not supported by typetorch/, "unsupported dtype");
  rejects(entry('{"dtype":"F32","shape":[-4],"data_offsets":[0,16]}'), /'shape' must be an array of non-negative integers, got \[-4\]/, "negative shape");
  rejects(entry('{"dtype":"F32","shape":[2.5],"data_offsets":[0,16]}'), /'shape' must be an array of non-negative integers/, "fractional shape");
  rejects(entry('{"dtype":"F32","shape":4,"data_offsets":[0,16]}'), /'shape' must be an array/, "shape not an array");
  rejects(entry('{"dtype":"F32","shape":[4],"data_offsets":[0]}'), /'data_offsets' must be two non-negative integers/, "one offset");
  rejects(entry('{"dtype":"F32","shape":[4],"data_offsets":[16,0]}'), /data_offsets \[16, 0\] end before they begin/, "reversed");
  rejects(entry('{"dtype":"F32","shape":[3],"data_offsets":[0,16]}'), /tensor 'w': shape \[3\] of F32 takes 12 bytes, but data_offsets \[0, 16\] hold 16/, "byte count");
  rejects(entry('{"dtype":"F64","shape":[4],"data_offsets":[0,16]}'), /shape \[4\] of F64 takes 32 bytes/, "dtype size");
  rejects(entry('{"dtype":"F32","shape":[4],"data_offsets":[0,32]}'), /data_offsets \[0, 32\] run past the end of the data \(16 bytes\)/, "past the end");
  rejects(entry('{"dtype":"F32","shape":[9007199254740991, 9007199254740991],"data_offsets":[0,16]}'), /takes \d+ bytes, but data_offsets \[0, 16\] hold 16/, "overflowing shape");
});

test("the tensors must tile the data: no overlap, no gap, nothing after", () => {
  const data = new Uint8Array(16);
  rejects(withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', data),
    /the data of tensor 'b' \(bytes \[4, 12\)\) overlaps that of 'a' \(bytes \[0, 8\)\)/, "overlap");
  rejects(withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[12,16]}}', data),
    /bytes \[8, 12\) of the data belong to no tensor \(a gap before 'b'\)/, "gap");
  rejects(withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}', data), /the file has 8 bytes after the last tensor's data/, "trailing bytes");
  rejects(withHeader('{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"F32","shape":[2],"data_offsets":[8,16]}}', data),
    /bytes \[0, 8\) of the data belong to no tensor/, "a duplicated name hides the first tensor's bytes");
  // Empty tensors may share an offset with their neighbours.
  const ok = io.safetensors.load(withHeader('{"e":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}', data));
  assert.deepEqual(ok["e"]!.shape, [0]);
  assert.deepEqual(ok["a"]!.tolist(), [0, 0, 0, 0]);
});

test("random corruption of a valid file gives a tensor dict or a SafetensorError, never anything else", () => {
  const good = io.saveToBytes({ a: torch.arange(5), b: torch.ones(2, 3, { dtype: torch.float64 }), c: torch.tensor([true, false]) }, { metadata: { k: "v" } });
  let seed = 12345;
  const rand = (n: number) => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed % n; };
  let rejected = 0;
  for (let k = 0; k < 400; k++) {
    const b = good.slice(0, k % 3 === 0 ? rand(good.length + 1) : good.length);
    const flips = 1 + rand(3);
    for (let f = 0; f < flips && b.length; f++) b[rand(b.length)] = rand(256);
    try {
      const out = io.safetensors.load(b);
      for (const t of Object.values(out)) assert.ok(t instanceof torch.Tensor);
    } catch (e) {
      assert.ok(e instanceof io.SafetensorError, `corruption ${k}: ${(e as Error).name}: ${(e as Error).message}`);
      rejected++;
    }
  }
  assert.ok(rejected > 100, `most corruptions are caught (${rejected} of 400)`);
});
