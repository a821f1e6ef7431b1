// Indexing on the WebGPU device: index_select, index_add (an embedding's lookup and its
// gradient), gather, scatter and scatter_add. The kernels take contiguous tensors where they say
// so (./kernels.ts makes the copies).
//
// Note [Index shaders]: indices are checked on the CPU (PyTorch's errors, raised synchronously as
// its CPU kernels raise them, before anything is written): indices that came from the CPU keep
// their CPU copy (Note [Device memory]), and positions a kernel made (sort's order, argmax's) carry
// the bound they lie within (GpuMemory.bound), checked where they were made; so the checks of
// gather and scatter, and of the backwards built on them (sort's, topk's, max's), read nothing
// back, and only indices a kernel computed otherwise are read. gather and
// scatter read the index tensor on the device; index_select and index_add get the indices as an
// array (the op checked them) and upload them. Each kernel runs one thread per element of the
// index (or of the selected rows); the adds are atomic
// (ATOMIC_ADD_F32 in ./shader.ts for float32, atomicAdd for int32), so elements that meet add in
// the order threads reach them (float32 sums may differ from the CPU's in their last bits). A
// scatter that writes one element twice keeps one of the values, as PyTorch's CUDA kernel does.

import { Tensor, TensorStorage } from "../../core/tensor.js";
import { float32, int32 } from "../../core/dtype.js";
import { numel } from "../../core/shape.js";
import { indexOutOfBounds } from "../backend.js";
import { wgslType } from "./memory.js";
import { values } from "../ts/kernels.js";
import { rt, mem, onDevice, deviceEmpty, deviceZeros, deviceFrom, groups, header, paramsBinding, perElement, bitsOf, atomicUpdate, ATOMIC_ADD_F32 } from "./shader.js";

// ---- index_select and index_add: whole slices along dim d ------------------------------------

// P(0) total, P(1) n (indices), P(2) post, P(3) the size along d, P(4) x's (out's) offset,
// P(5) source's offset
const SLICE_POS = `  let i = i32(e); let post = P(2u); let n = P(1u);
  let j = i % post; let k = (i / post) % n; let p = i / (post * n);
  let at = u32(P(4u) + (p * P(3u) + ind[k]) * post + j);`;
const INDEX_SELECT = (ty: string) => `// index_select ${ty}
${header(8)}@group(0) @binding(0) var<storage, read_write> y: array<${ty}>;
@group(0) @binding(1) var<storage, read> x: array<${ty}>;
@group(0) @binding(2) var<storage, read> ind: array<i32>;
${paramsBinding(3)}${perElement(`${SLICE_POS}
  y[e] = x[at];`)}`;
const INDEX_ADD = `// index_add f32
${header(8)}@group(0) @binding(0) var<storage, read_write> y: array<atomic<u32>>;
@group(0) @binding(1) var<storage, read> src: array<f32>;
@group(0) @binding(2) var<storage, read> ind: array<i32>;
${paramsBinding(3)}${ATOMIC_ADD_F32}${perElement(`${SLICE_POS}
  atomicAddF32(&y[at], src[u32(P(5u)) + e]);`)}`;

function sliceParams(shape: readonly number[], d: number, n: number, offset: number, total: number, srcOffset = 0): Int32Array {
  return Int32Array.from([total, n, numel(shape.slice(d + 1)), shape[d]!, offset, srcOffset, 0, 0]);
}

/** x's slices idx[k] along dim d (index_select), for a contiguous x on the device. */
export function indexSelect(x: Tensor, d: number, idx: ArrayLike<number>): Tensor | null {
  if (!onDevice(x) || !x.is_contiguous()) return null;
  const shape = x._shape.slice();
  shape[d] = idx.length;
  const y = deviceEmpty(shape, x.dtype), total = y.numel();
  if (total === 0) return y;
  const ind = deviceFrom(Int32Array.from(idx), [idx.length], int32);
  rt().dispatch(rt().kernel(INDEX_SELECT(wgslType(x.dtype))), [mem(y).written(), mem(x).read(), mem(ind).read()], sliceParams(x._shape, d, idx.length, x._offset, total), groups(total));
  return y;
}

/** out[…, idx[k], …] += source[…, k, …] along dim d, in place (float32, out and source
 *  contiguous on the device). */
export function indexAdd(out: Tensor, d: number, idx: ArrayLike<number>, source: Tensor): boolean {
  if (out.dtype !== float32 || source.dtype !== float32 || !onDevice(out) || !onDevice(source) || !out.is_contiguous() || !source.is_contiguous()) return false;
  const total = source.numel();
  if (total === 0) return true;
  const ind = deviceFrom(Int32Array.from(idx), [idx.length], int32);
  rt().dispatch(rt().kernel(INDEX_ADD), [mem(out).written(), mem(source).read(), mem(ind).read()], sliceParams(out._shape, d, idx.length, out._offset, total, source._offset), groups(total));
  return true;
}

/** PyTorch's bounds check of gather and scatter: no index outside [0, size) (no negative ones);
 *  positions a kernel made within the size (sort's, argmax's) are not read back to be checked. */
function checkBounds(index: Tensor, d: number, size: number): void {
  const made = mem(index).bound;
  if (made !== null && made <= size) return;
  // (read through `readable`: the CPU copy stays current, so the next kernel uploads nothing)
  const v = values(new Tensor(new TensorStorage(index._storage.readable), index._shape, index._strides, index._offset, index.dtype));
  for (let k = 0; k < v.length; k++) if (v[k]! < 0 || v[k]! >= size) throw indexOutOfBounds(v[k]!, d, size);
}

// ---- gather and scatter: one element per index element -----------------------------------------

/** WGSL walking index element e of an nd-dim index: its coordinates c0 … (sizes at P(at) …) and
 *  the index's value k (the index read through its offset P(2) and strides at P(at + nd) …); `pos`
 *  is then the element of a tensor whose strides are at P(st) … at those coordinates, with dim d's
 *  replaced by k (or `alongD`). */
function walk(nd: number, d: number, at: number): { coords: string; pos: (st: number, base: string, alongD?: string) => string } {
  let coords = "  var r = e;\n  var ip = P(2u);\n";
  for (let a = nd - 1; a >= 0; a--) {
    coords += `  let c${a} = i32(r % u32(P(${at + a}u))); r = r / u32(P(${at + a}u));\n  ip += c${a} * P(${at + nd + a}u);\n`;
  }
  coords += "  let k = ind[u32(ip)];\n";
  const pos = (st: number, base: string, alongD = "k") => `u32(${base}${Array.from({ length: nd }, (_, a) => ` + ${a === d ? alongD : `c${a}`} * P(${st + a}u)`).join("")})`;
  return { coords, pos };
}

/** gather of x along dim d by index (both of nd ≥ 1 dims), on the device. */
export function gather(x: Tensor, d: number, index: Tensor): Tensor | null {
  const nd = x.ndim;
  if (nd === 0 || index.ndim !== nd || !onDevice(x) || !onDevice(index)) return null;
  checkBounds(index, d, x._shape[d]!);
  const y = deviceEmpty(index._shape, x.dtype), n = y.numel();
  if (n === 0) return y;
  const ty = wgslType(x.dtype), w = walk(nd, d, 4);
  // P(0) n, P(1) x's offset, P(2) the index's offset; from P(4): the index's sizes, its strides, x's strides
  const code = `// gather ${ty} (${nd} dims along ${d})
${header(4 + 3 * nd)}@group(0) @binding(0) var<storage, read_write> y: array<${ty}>;
@group(0) @binding(1) var<storage, read> x: array<${ty}>;
@group(0) @binding(2) var<storage, read> ind: array<i32>;
${paramsBinding(3)}${perElement(`${w.coords}  y[e] = x[${w.pos(4 + 2 * nd, "P(1u)")}];`)}`;
  const p = Int32Array.from([n, x._offset, index._offset, 0, ...index._shape, ...index._strides, ...x._strides]);
  rt().dispatch(rt().kernel(code), [mem(y).written(), mem(x).read(), mem(index).read()], p, groups(n));
  mem(y).bound = mem(x).bound; // (positions gathered from positions stay within theirs)
  return y;
}

/** scatter (or scatter_add) into `out` (a contiguous copy of x of nd ≥ 1 dims, on the device, in
 *  place): along dim d, the element at index[c] set to (increased by) src[c] (src read at index's
 *  coordinates through its strides) or the number src. False where it has no kernel. */
export function scatterInto(out: Tensor, d: number, index: Tensor, src: Tensor | number, add: boolean): boolean {
  return scatterFold(out, d, index, src, add ? "sum" : "set");
}

/** How scatterFold folds a value v into the element o it lands on (float32; NaN wins max and min,
 *  as the CPU's scatter_reduce). */
type Fold = "set" | "sum" | "prod" | "amax" | "amin";
const FOLD: Record<Exclude<Fold, "set">, { f32: string; i32: string }> = {
  sum: { f32: "o + v", i32: "o + v" }, prod: { f32: "o * v", i32: "o * v" },
  amax: { f32: "select(o, v, isnan_(v) || v > o)", i32: "max(o, v)" }, amin: { f32: "select(o, v, isnan_(v) || v < o)", i32: "min(o, v)" },
};

/** scatterInto with any fold: each src[c] (or the number src) set into, or folded into, out's
 *  element at index[c] along d, in place. False where it has no kernel. */
function scatterFold(out: Tensor, d: number, index: Tensor, src: Tensor | number, fold: Fold): boolean {
  const nd = out.ndim;
  if (nd === 0 || index.ndim !== nd || !onDevice(out) || !onDevice(index)
    || (typeof src !== "number" && (!onDevice(src) || src.dtype !== out.dtype || src.ndim !== nd))) return false;
  checkBounds(index, d, out._shape[d]!);
  const ty = wgslType(out.dtype), n = index.numel();
  if (n === 0) return true;
  const w = walk(nd, d, 4), outSt = 4 + 2 * nd, srcSt = 4 + 3 * nd;
  const value = typeof src === "number" ? (ty === "f32" ? "PF(3u)" : "P(3u)") : `src[${w.pos(srcSt, "P(1u)", `c${d}`)}]`;
  const store = fold === "set" ? `y[${w.pos(outSt, "0")}] = v;` : `fold(&y[${w.pos(outSt, "0")}], v);`;
  const yTy = fold === "set" ? ty : ty === "f32" ? "atomic<u32>" : "atomic<i32>";
  // P(0) n, P(1) src's offset, P(2) the index's offset, P(3) the number src; from P(4): the index's
  // sizes, its strides, out's strides, src's strides
  const code = `// scatter ${fold} ${ty} (${nd} dims along ${d}${typeof src === "number" ? ", a number" : ""})
${header(4 + 4 * nd)}@group(0) @binding(0) var<storage, read_write> y: array<${yTy}>;
@group(0) @binding(1) var<storage, read> ind: array<i32>;
${typeof src === "number" ? "" : `@group(0) @binding(2) var<storage, read> src: array<${ty}>;\n`}${paramsBinding(typeof src === "number" ? 2 : 3)}${fold === "set" ? "" : atomicUpdate("fold", ty, FOLD[fold][ty])}${perElement(`${w.coords}  let v = ${value};
  ${store}`)}`;
  const srcT = typeof src === "number" ? null : src;
  const p = Int32Array.from([n, srcT?._offset ?? 0, index._offset, typeof src === "number" ? bitsOf(src, ty) : 0,
    ...index._shape, ...index._strides, ...out._strides, ...(srcT?._strides ?? index._shape.map(() => 0))]);
  const bufs = srcT ? [mem(out).written(), mem(index).read(), mem(srcT).read()] : [mem(out).written(), mem(index).read()];
  rt().dispatch(rt().kernel(code), bufs, p, groups(n));
  return true;
}

// ---- advanced indexing: elements at storage positions the op computed ----------------------------

// P(0) n, P(1) v's offset
const TAKE_AT = (ty: string) => `// take_at ${ty}
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<${ty}>;
@group(0) @binding(1) var<storage, read> x: array<${ty}>;
@group(0) @binding(2) var<storage, read> pos: array<i32>;
${paramsBinding(3)}${perElement("  y[e] = x[u32(pos[e])];")}`;
const PUT_AT = (ty: string, accumulate: boolean) => `// put_at ${ty}${accumulate ? " accumulate" : ""}
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<${!accumulate ? ty : ty === "f32" ? "atomic<u32>" : "atomic<i32>"}>;
@group(0) @binding(1) var<storage, read> v: array<${ty}>;
@group(0) @binding(2) var<storage, read> pos: array<i32>;
${paramsBinding(3)}${accumulate && ty === "f32" ? ATOMIC_ADD_F32 : ""}${perElement(`  let x = v[u32(P(1u)) + e];
  ${!accumulate ? "y[u32(pos[e])] = x;" : ty === "f32" ? "atomicAddF32(&y[u32(pos[e])], x);" : "atomicAdd(&y[u32(pos[e])], x);"}`)}`;

/** x's storage elements at positions pos (advanced indexing's read), a new tensor of `shape`. */
export function takeAt(x: Tensor, pos: Float64Array, shape: readonly number[]): Tensor | null {
  if (!onDevice(x)) return null;
  const y = deviceEmpty(shape, x.dtype), n = pos.length;
  if (n === 0) return y;
  const p = deviceFrom(Int32Array.from(pos), [n], int32);
  rt().dispatch(rt().kernel(TAKE_AT(wgslType(x.dtype))), [mem(y).written(), mem(x).read(), mem(p).read()], Int32Array.from([n, 0, 0, 0]), groups(n));
  return y;
}

/** out's storage elements at positions pos set to (accumulate: increased by, atomically) the
 *  contiguous v's, in place (advanced indexing's write; a position written twice keeps one value,
 *  as PyTorch's CUDA kernel). */
export function putAt(out: Tensor, pos: Float64Array, v: Tensor, accumulate: boolean): boolean {
  if (!onDevice(out) || !onDevice(v) || v.dtype !== out.dtype || !v.is_contiguous()) return false;
  const n = pos.length;
  if (n === 0) return true;
  const p = deviceFrom(Int32Array.from(pos), [n], int32);
  rt().dispatch(rt().kernel(PUT_AT(wgslType(out.dtype), accumulate)), [mem(out).written(), mem(v).read(), mem(p).read()], Int32Array.from([n, v._offset, 0, 0]), groups(n));
  return true;
}

// P(0) n, P(1) what each count starts from (1 with x's own values, else 0); integers divide
// rounding down, as the CPU's
const DIVIDE_COUNTS = (ty: "f32" | "i32") => `// scatter_reduce mean ${ty}
${header(4)}@group(0) @binding(0) var<storage, read_write> y: array<${ty}>;
@group(0) @binding(1) var<storage, read> count: array<i32>;
${paramsBinding(2)}${perElement(ty === "f32" ? "  y[e] = y[e] / f32(max(count[e] + P(1u), 1));"
    : "  let c = max(count[e] + P(1u), 1); let a = y[e]; let q = a / c; y[e] = select(q, q - 1, q * c != a && a < 0);")}`;

/** scatter_reduce's values on the device, into `out` (a contiguous copy of self, in place): src
 *  (read at index's coordinates) reduced into the elements index names along d, with self's own
 *  values or (not includeSelf) without them. False where it has no kernel. */
export function scatterReduceInto(out: Tensor, d: number, index: Tensor, src: Tensor, reduce: Exclude<Fold, "set"> | "mean", includeSelf: boolean): boolean {
  const fold = reduce === "mean" ? "sum" : reduce;
  const identity = { sum: 0, prod: 1, amax: -Infinity, amin: Infinity }[fold];
  if ((!includeSelf && !scatterFold(out, d, index, identity, "set")) || !scatterFold(out, d, index, src, fold)) return false;
  if (reduce === "mean") {
    const count = deviceZeros(out._shape, int32);
    scatterFold(count, d, index, 1, "sum");
    rt().dispatch(rt().kernel(DIVIDE_COUNTS(wgslType(out.dtype))), [mem(out).written(), mem(count).read()], Int32Array.from([out.numel(), +includeSelf, 0, 0]), groups(out.numel()));
  }
  return true;
}
