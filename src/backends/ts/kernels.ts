// The reference backend: a small closed set of primitive kernels on strided views, for every dtype.
// Composite ops never reach here. Values are computed as JS numbers (float64), which is exact for
// float32 +-*/ and sqrt after rounding on store, and int64 goes through BigInt where exactness
// matters (shared/API.md §4: int64 is exact).
//
// The dispatcher (../index.ts) tries the fast backends (../wasm, ../native) before these; the
// reference never calls them itself (Note [Declining kernels] in ../backend.ts).

import {
  type DType, type Storage, arrayFor, float16, bfloat16, int64, bool,
  halfToFloat, bf16ToFloat, floatToHalf, floatToBf16,
} from "../../core/dtype.js";
import { Tensor } from "../../core/tensor.js";
import { type Shape, numel, contiguousStrides, expandStrides } from "../../core/shape.js";
import { type ReduceKind, indexOutOfBounds } from "../backend.js";

export type NumArray = Float64Array | Float32Array | Int32Array | Int16Array | Int8Array | Uint8Array;

/** True when the dtype's storage array holds plain JS numbers we can use directly. */
export const isNumberNative = (d: DType): boolean => d !== int64 && d !== float16 && d !== bfloat16;

/** A tensor's elements in row-major order as numbers: the storage itself when already laid out
 *  that way (no copy), otherwise a gathered Float64Array. */
export function values(t: Tensor): ArrayLike<number> {
  const data = t._storage.data, n = t.numel();
  // one element broadcast everywhere (e.g. the gradient of a sum): no positions to list
  if (n > 1 && isNumberNative(t.dtype) && t._strides.every((s) => s === 0)) return new Float64Array(n).fill((data as NumArray)[t._offset]!);
  const pos = t._positions();
  if (pos === null && isNumberNative(t.dtype)) {
    const a = data as NumArray;
    return t._offset === 0 && a.length === n ? a : a.subarray(t._offset, t._offset + n);
  }
  const out = new Float64Array(n);
  const d = t.dtype;
  const at = (i: number): number => pos === null ? i + t._offset : pos[i]!;
  if (d === int64) {
    // each element from its two 32-bit halves (little-endian, as every JavaScript engine lays out
    // typed arrays here): reading a BigInt64Array element allocates a BigInt, and indices are
    // read on every embedding and loss; the sum rounds once, as Number(bigint) does
    const a = data as BigInt64Array, w = new Int32Array(a.buffer, a.byteOffset, 2 * a.length);
    for (let i = 0; i < n; i++) { const p = 2 * at(i); out[i] = (w[p]! >>> 0) + w[p + 1]! * 4294967296; }
  }
  else if (d === float16) { const a = data as Uint16Array; for (let i = 0; i < n; i++) out[i] = halfToFloat(a[at(i)]!); }
  else if (d === bfloat16) { const a = data as Uint16Array; for (let i = 0; i < n; i++) out[i] = bf16ToFloat(a[at(i)]!); }
  else { const a = data as NumArray; for (let i = 0; i < n; i++) out[i] = a[pos![i]!]!; }
  return out;
}

/** int64 elements in row-major order, exactly. */
export function bigValues(t: Tensor): BigInt64Array {
  const n = t.numel(), pos = t._positions(), data = t._storage.data;
  if (t.dtype === int64) {
    const a = data as BigInt64Array;
    if (pos === null) return a.subarray(t._offset, t._offset + n);
    const out = new BigInt64Array(n);
    for (let i = 0; i < n; i++) out[i] = a[pos[i]!]!;
    return out;
  }
  const v = values(t), out = new BigInt64Array(n);
  for (let i = 0; i < n; i++) out[i] = BigInt(Math.trunc(v[i]!));
  return out;
}

/** Encodes numbers into a fresh storage array of dtype d (rounding/truncating as a C++ cast does). */
export function fromNumbers(v: ArrayLike<number>, d: DType): Storage {
  const n = v.length, out = arrayFor(d, n);
  if (d === int64) { const o = out as BigInt64Array; for (let i = 0; i < n; i++) { const x = v[i]!; o[i] = Number.isFinite(x) ? BigInt(Math.trunc(x)) : 0n; } }
  else if (d === float16) { const o = out as Uint16Array; for (let i = 0; i < n; i++) o[i] = floatToHalf(v[i]!); }
  else if (d === bfloat16) { const o = out as Uint16Array; for (let i = 0; i < n; i++) o[i] = floatToBf16(v[i]!); }
  else if (d === bool) { const o = out as Uint8Array; for (let i = 0; i < n; i++) o[i] = v[i] !== 0 ? 1 : 0; } // NaN is true
  else (out as NumArray).set(v);
  return out;
}

/** A view of t read as if broadcast to `shape` (stride 0 on expanded dims). */
export function broadcastView(t: Tensor, shape: Shape): Tensor {
  if (t._shape.length === shape.length && t._shape.every((s, i) => s === shape[i])) return t;
  return new Tensor(t._storage, shape.slice(), expandStrides(t._shape, t._strides, shape), t._offset, t.dtype, t.device);
}

/** Output storage for a kernel computing dtype `d`: write into the typed array directly when
 *  it holds numbers, else compute into float64 and encode afterwards. */
function outArray(d: DType, n: number): NumArray {
  return isNumberNative(d) && d !== bool ? (arrayFor(d, n) as NumArray) : new Float64Array(n);
}
function finish(o: NumArray, d: DType, shape: Shape): Tensor {
  const data = isNumberNative(d) && d !== bool ? o : fromNumbers(o, d);
  return Tensor.fromStorage(data, shape, d);
}

export type UnaryFn = (x: number) => number;
export type BinaryFn = (a: number, b: number) => number;
export type BigBinaryFn = (a: bigint, b: bigint) => bigint | boolean;

/** out[i] = f(x[i]), result of dtype d. */
export function unary(x: Tensor, f: UnaryFn, d: DType): Tensor {
  const v = values(x), n = v.length, o = outArray(d, n);
  for (let i = 0; i < n; i++) o[i] = f(v[i]!);
  return finish(o, d, x._shape);
}

/** out = f(a, b) with broadcasting, result of dtype d. With `big`, int64 operands are combined
 *  exactly in BigInt. */
export function binary(a: Tensor, b: Tensor, f: BinaryFn, d: DType, shape: Shape, big?: BigBinaryFn): Tensor {
  const A = broadcastView(a, shape), B = broadcastView(b, shape), n = numel(shape);
  if (big && (d === int64 || (d === bool && (a.dtype === int64 || b.dtype === int64)))) {
    const x = bigValues(A), y = bigValues(B), o = arrayFor(d, n);
    for (let i = 0; i < n; i++) {
      const r = big(x[i]!, y[i]!);
      if (d === int64) (o as BigInt64Array)[i] = BigInt.asIntN(64, r as bigint); else (o as Uint8Array)[i] = r ? 1 : 0;
    }
    return Tensor.fromStorage(o, shape, d);
  }
  const x = values(A), y = values(B), o = outArray(d, n);
  for (let i = 0; i < n; i++) o[i] = f(x[i]!, y[i]!);
  return finish(o, d, shape);
}

/** out = c ? a : b with broadcasting (torch.where). */
export function where(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor {
  const n = numel(shape);
  const C = values(broadcastView(c, shape));
  if (d === int64) {
    const x = bigValues(broadcastView(a, shape)), y = bigValues(broadcastView(b, shape)), o = new BigInt64Array(n);
    for (let i = 0; i < n; i++) o[i] = C[i] ? x[i]! : y[i]!;
    return Tensor.fromStorage(o, shape, d);
  }
  const x = values(broadcastView(a, shape)), y = values(broadcastView(b, shape)), o = outArray(d, n);
  for (let i = 0; i < n; i++) o[i] = C[i] ? x[i]! : y[i]!;
  return finish(o, d, shape);
}

/** Copies src (broadcast to dst's shape, cast to dst's dtype) into dst's strided elements. */
export function copyInto(dst: Tensor, src: Tensor): void {
  const S = broadcastView(src, dst._shape);
  const n = dst.numel(), pos = dst._positions(), data = dst._storage.data, off = dst._offset;
  if (dst.dtype === int64 || src.dtype === int64) {
    if (dst.dtype === int64) {
      const v = bigValues(S), a = data as BigInt64Array;
      for (let i = 0; i < n; i++) a[pos ? pos[i]! : off + i] = v[i]!;
      return;
    }
  }
  const v = values(S);
  const enc = fromNumbers(v, dst.dtype);
  if (pos === null) (data as Storage & { set(a: ArrayLike<number | bigint>, o: number): void }).set(enc as never, off);
  else for (let i = 0; i < n; i++) (data as unknown as (number | bigint)[])[pos[i]!] = (enc as unknown as (number | bigint)[])[i]!;
}

/** A contiguous copy of t with dtype d. */
export function contiguousCopy(t: Tensor, d: DType = t.dtype): Tensor {
  const out = Tensor.empty(t._shape, d);
  copyInto(out, t);
  return out;
}

export function fill(t: Tensor, value: number | bigint | boolean): void {
  const d = t.dtype, n = t.numel(), pos = t._positions(), data = t._storage.data;
  let enc: number | bigint;
  if (d === int64) enc = typeof value === "bigint" ? value : BigInt(Math.trunc(Number(value)));
  else if (d === float16) enc = floatToHalf(Number(value));
  else if (d === bfloat16) enc = floatToBf16(Number(value));
  else if (d === bool) enc = value ? 1 : 0;
  else enc = Number(value);
  const a = data as unknown as { fill(v: number | bigint, s: number, e: number): void; [i: number]: number | bigint };
  if (pos === null) a.fill(enc, t._offset, t._offset + n);
  else for (let i = 0; i < n; i++) a[pos[i]!] = enc;
}

export type { ReduceKind };

/**
 * Reduces over `dims` (already normalised, possibly empty meaning "all"). Iterates the output,
 * and for each output element the reduced block. Returns shape with kept dims (size 1).
 */
export function reduce(x: Tensor, dims: readonly number[], kind: ReduceKind, d: DType): Tensor {
  const nd = x._shape.length;
  let keptShape: number[], perm: Tensor;
  if ((dims.length === 0 || dims.length === nd) && x.is_contiguous()) {
    // all of a contiguous tensor: one block, already in order (the common tiny case, kept cheap)
    keptShape = new Array<number>(nd).fill(1);
    perm = x;
  } else {
    const all = dims.length === 0 ? [...Array(nd).keys()] : dims;
    const red = new Set(all);
    keptShape = x._shape.map((s, i) => (red.has(i) ? 1 : s));
    // Permute reduced dims last so each output's block is a contiguous run of the gathered values.
    const order = [...x._shape.keys()].filter((i) => !red.has(i)).concat(all);
    perm = new Tensor(x._storage, order.map((i) => x._shape[i]!), order.map((i) => x._strides[i]!), x._offset, x.dtype);
  }
  const outN = numel(keptShape), block = outN === 0 ? 0 : x.numel() / outN;
  const isBig = x.dtype === int64 && (kind === "sum" || kind === "prod" || kind === "max" || kind === "min");
  if (isBig) {
    const v = bigValues(perm), o = new BigInt64Array(outN);
    for (let j = 0; j < outN; j++) {
      let acc = kind === "prod" ? 1n : kind === "sum" ? 0n : v[j * block]!;
      for (let k = 0; k < block; k++) {
        const e = v[j * block + k]!;
        if (kind === "sum") acc += e; else if (kind === "prod") acc *= e;
        else if (kind === "max" ? e > acc : e < acc) acc = e;
      }
      o[j] = BigInt.asIntN(64, acc);
    }
    return d === int64 ? Tensor.fromStorage(o, keptShape, d) : unary(Tensor.fromStorage(o, keptShape, int64), (q) => q, d);
  }
  const v = values(perm), o = new Float64Array(outN);
  for (let j = 0; j < outN; j++) {
    const s = j * block;
    let acc: number;
    switch (kind) {
      case "sum": { acc = 0; for (let k = 0; k < block; k++) acc += v[s + k]!; break; }
      case "prod": { acc = 1; for (let k = 0; k < block; k++) acc *= v[s + k]!; break; }
      case "max": case "min": {
        acc = v[s]!;
        for (let k = 1; k < block && acc === acc; k++) {
          const e = v[s + k]!;
          if (e !== e || (kind === "max" ? e > acc : e < acc)) acc = e; // NaN propagates
        }
        break;
      }
      case "argmax": case "argmin": {
        let best = v[s]!; acc = 0;
        for (let k = 1; k < block && best === best; k++) {
          const e = v[s + k]!;
          if (e !== e || (kind === "argmax" ? e > best : e < best)) { best = e; acc = k; }
        }
        break;
      }
      // truth is x != 0, as in PyTorch (NaN is true)
      case "any": { acc = 0; for (let k = 0; k < block; k++) if (v[s + k] !== 0) { acc = 1; break; } break; }
      case "all": { acc = 1; for (let k = 0; k < block; k++) if (v[s + k] === 0) { acc = 0; break; } break; }
    }
    o[j] = acc;
  }
  return Tensor.fromStorage(fromNumbers(o, d), keptShape, d);
}

/** Batched matrix product of [B, n, k] by [B, k, m] views (any strides) into a new [B, n, m]. */
export function bmm(a: Tensor, b: Tensor, d: DType): Tensor {
  const [B, n, k] = a._shape as [number, number, number];
  const m = b._shape[2]!;
  const x = values(a), y = values(b);
  const o = outArray(d, B * n * m);
  const row = new Float64Array(m);
  for (let bi = 0; bi < B; bi++) {
    const xa = bi * n * k, yb = bi * k * m, ob = bi * n * m;
    for (let i = 0; i < n; i++) {
      row.fill(0);
      for (let p = 0; p < k; p++) {
        const s = x[xa + i * k + p]!;
        if (s === 0) continue;
        const yo = yb + p * m;
        for (let j = 0; j < m; j++) row[j] += s * y[yo + j]!;
      }
      for (let j = 0; j < m; j++) o[ob + i * m + j] = row[j]!;
    }
  }
  return finish(o, d, [B, n, m]);
}

/** Cumulative sum or product along the last dim of a contiguous-ordered value list. */
export function scan(x: Tensor, dim: number, kind: "sum" | "prod", d: DType): Tensor {
  const nd = x._shape.length;
  const order = [...x._shape.keys()].filter((i) => i !== dim).concat([dim]);
  const perm = new Tensor(x._storage, order.map((i) => x._shape[i]!), order.map((i) => x._strides[i]!), x._offset, x.dtype);
  const v = values(perm), n = v.length, len = x._shape[dim] ?? 1;
  const o = new Float64Array(n);
  for (let s = 0; s < n; s += len) {
    let acc = kind === "sum" ? 0 : 1;
    for (let k = 0; k < len; k++) { acc = kind === "sum" ? acc + v[s + k]! : acc * v[s + k]!; o[s + k] = acc; }
  }
  // Scatter back to the original dim order.
  const permShape = order.map((i) => x._shape[i]!);
  const res = Tensor.fromStorage(fromNumbers(o, d), permShape, d);
  const inv = new Array<number>(nd);
  order.forEach((od, i) => { inv[od] = i; });
  const st = contiguousStrides(permShape);
  return contiguousCopy(new Tensor(res._storage, x._shape.slice(), inv.map((i) => st[i]!), 0, d));
}

/** softmax (or log_softmax) along dim, max-shifted for stability. */
export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  const order = [...x._shape.keys()].filter((i) => i !== dim).concat([dim]);
  const perm = new Tensor(x._storage, order.map((i) => x._shape[i]!), order.map((i) => x._strides[i]!), x._offset, x.dtype);
  const v = values(perm), n = v.length, len = x._shape[dim] ?? 1;
  const o = new Float64Array(n);
  for (let s = 0; s < n; s += len) {
    let m = -Infinity;
    for (let k = 0; k < len; k++) if (v[s + k]! > m) m = v[s + k]!;
    if (m === -Infinity) m = 0;
    let z = 0;
    for (let k = 0; k < len; k++) z += Math.exp(v[s + k]! - m);
    if (log) { const lz = Math.log(z) + m; for (let k = 0; k < len; k++) o[s + k] = v[s + k]! - lz; }
    else for (let k = 0; k < len; k++) o[s + k] = Math.exp(v[s + k]! - m) / z;
  }
  const permShape = order.map((i) => x._shape[i]!);
  const res = Tensor.fromStorage(fromNumbers(o, x.dtype), permShape, x.dtype);
  const inv = new Array<number>(order.length);
  order.forEach((od, i) => { inv[od] = i; });
  const st = contiguousStrides(permShape);
  return contiguousCopy(new Tensor(res._storage, x._shape.slice(), inv.map((i) => st[i]!), 0, x.dtype));
}

/** The slices idx[k] (already checked) of x along dim d, in order: a new contiguous tensor with
 *  idx.length in dim d. Whole runs of the slices are copied with the typed array's set (every
 *  dtype alike: the storage's own elements move). */
export function indexSelect(x: Tensor, d: number, idx: ArrayLike<number>): Tensor {
  const c = x.is_contiguous() ? x : contiguousCopy(x);
  const shape = x._shape.slice(), size = shape[d]!, n = idx.length;
  const pre = numel(shape.slice(0, d)), post = numel(shape.slice(d + 1));
  shape[d] = n;
  const out = Tensor.empty(shape, x.dtype);
  const src = c._storage.data as unknown as { subarray(a: number, b: number): Storage }, dst = out._storage.data as unknown as { set(a: Storage, at: number): void };
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < n; k++) {
      const from = c._offset + (p * size + idx[k]!) * post;
      dst.set(src.subarray(from, from + post), (p * n + k) * post);
    }
  }
  return out;
}

/** out[…, idx[k], …] += source[…, k, …] along dim d, in place, for a contiguous out and source
 *  of one numbers-native dtype (index_add's loop, in scatter_add's order: the same sums). */
export function indexAddInto(out: Tensor, d: number, idx: ArrayLike<number>, source: Tensor): void {
  const s = source.is_contiguous() ? source : contiguousCopy(source);
  const size = out._shape[d]!, n = idx.length;
  const pre = numel(out._shape.slice(0, d)), post = numel(out._shape.slice(d + 1));
  const o = out._storage.data as NumArray, v = s._storage.data as NumArray;
  for (let p = 0; p < pre; p++) {
    for (let k = 0; k < n; k++) {
      const at = out._offset + (p * size + idx[k]!) * post, from = s._offset + (p * n + k) * post;
      for (let j = 0; j < post; j++) o[at + j] = o[at + j]! + v[from + j]!;
    }
  }
}

type RawArray = { [i: number]: number | bigint; length: number };

/** Advanced indexing's read: a new contiguous tensor of `shape` whose element k is x's storage
 *  element pos[k] (same dtype: elements copy as they are, int64 and half bits, bools). */
export function takeAt(x: Tensor, pos: Float64Array, shape: Shape): Tensor {
  const out = Tensor.empty(shape, x.dtype);
  const src = x._storage.data as unknown as RawArray, dst = out._storage.data as unknown as RawArray;
  for (let k = 0; k < pos.length; k++) dst[k] = src[pos[k]!]!;
  return out;
}

/** Advanced indexing's write, in place: out's storage element pos[k] set to (with `accumulate`,
 *  increased by) v's element k, for a contiguous v of out's dtype. */
export function putAt(out: Tensor, pos: Float64Array, v: Tensor, accumulate: boolean): void {
  const d = out.dtype, od = out._storage.data as unknown as RawArray, vd = v._storage.data as unknown as RawArray, vo = v._offset;
  if (!accumulate) for (let k = 0; k < pos.length; k++) od[pos[k]!] = vd[vo + k]!;
  else if (d === int64) for (let k = 0; k < pos.length; k++) od[pos[k]!] = (od[pos[k]!] as bigint) + (vd[vo + k] as bigint);
  else if (isNumberNative(d) && d !== bool) {
    // in the dtype's own array, so each addition rounds as PyTorch's sequential CPU kernel does
    for (let k = 0; k < pos.length; k++) od[pos[k]!] = (od[pos[k]!] as number) + (vd[vo + k] as number);
  } else {
    // half, bfloat16 and bool (where adding is `or`) accumulate as numbers and encode once
    const acc = Float64Array.from(values(out)), add = values(v);
    for (let k = 0; k < pos.length; k++) acc[pos[k]!] = acc[pos[k]!]! + add[k]!;
    out._storage.data = fromNumbers(acc, d);
  }
}

/** Calls f(k, coord) for every element of `shape` in row-major order (k its flat position). */
function forEachIndex(shape: readonly number[], f: (k: number, coord: number[]) => void): void {
  const n = numel(shape), nd = shape.length, c = new Array<number>(nd).fill(0);
  for (let k = 0; k < n; k++) {
    f(k, c);
    for (let d = nd - 1; d >= 0; d--) { if (++c[d]! < shape[d]!) break; c[d] = 0; }
  }
}

/** torch.gather along d: out (index's shape) at c is x at c with coordinate d replaced by
 *  index[c]. Indices outside [0, size) raise PyTorch's error (no negative ones, unlike indexing). */
export function gather(x: Tensor, d: number, index: Tensor): Tensor {
  const src = contiguousCopy(x), st = contiguousStrides(x._shape);
  const idx = bigValues(index), out = Tensor.empty(index._shape, x.dtype);
  const size = x._shape.length === 0 ? 1 : x._shape[d]!;
  const sd = src._storage.data as unknown as (number | bigint)[], od = out._storage.data as unknown as (number | bigint)[];
  forEachIndex(index._shape, (k, c) => {
    const i = Number(idx[k]!);
    if (i < 0 || i >= size) throw indexOutOfBounds(i, d, size);
    let pos = 0;
    for (let a = 0; a < c.length; a++) pos += (a === d ? i : c[a]!) * st[a]!;
    od[k] = sd[pos]!;
  });
  return out;
}

/** A copy of x with src's elements (or the number src) written, or added when `add`, at index
 *  along d (scatter, scatter_add): src is read at index's coordinates. Indices outside [0, size)
 *  raise PyTorch's error (x is never changed: the kernel writes a copy). */
export function scatter(x: Tensor, d: number, index: Tensor, src: Tensor | number, add: boolean): Tensor {
  const out = contiguousCopy(x), st = contiguousStrides(x._shape);
  const idx = bigValues(index);
  // (src may be larger than index: its leading block, a view with index's shape, is what is read)
  const sv = typeof src === "number" ? null : values(numel(src._shape) === numel(index._shape) ? src
    : new Tensor(src._storage, index._shape.slice(), src._strides, src._offset, src.dtype));
  const size = x._shape.length === 0 ? 1 : x._shape[d]!;
  const o = values(out) as Float64Array; // numbers-native dtypes and the float64 path share this view
  const native = o === (out._storage.data as unknown);
  const acc = native ? o : Float64Array.from(o);
  forEachIndex(index._shape, (k, c) => {
    const i = Number(idx[k]!);
    if (i < 0 || i >= size) throw indexOutOfBounds(i, d, size);
    let pos = 0;
    for (let a = 0; a < c.length; a++) pos += (a === d ? i : c[a]!) * st[a]!;
    const v = sv ? sv[k]! : (src as number);
    acc[pos] = add ? acc[pos]! + v : v;
  });
  return native ? out : Tensor.fromStorage(fromNumbers(acc, x.dtype), x._shape.slice(), x.dtype);
}
