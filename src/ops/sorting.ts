// Sorting and order statistics: sort, argsort, msort, topk, kthvalue, median, nanmedian, mode,
// quantile, nanquantile, unique, unique_consecutive.
//
// Note [Lanes]: every op here works along one dim. The input is viewed with that dim moved last
// (a view, no copy), its values read row-major, so each run of `len` values is one lane. Results
// that keep the dim (sort, topk) are built in that lane layout and moved back; reductions
// (median, kthvalue, mode) come out row-major over the other dims, which is already their layout.
//
// The forward values are picked from the input with `gather` off the graph, so every dtype
// (int64 exactly) keeps its bits; each op records one node whose backward scatters the gradient
// back to the chosen indices (PyTorch's value_selecting_reduction_backward).

import { Tensor } from "../core/tensor.js";
import { int64, float32, float64 } from "../core/dtype.js";
import { normDim } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { installMethods, isOptions } from "./util.js";
import type { ValuesIndices } from "./reduce.js";
import { namedPair } from "./_helpers.js";
import { where } from "./elementwise.js";
import { squeezeResult_ } from "./linalg.js";
import { likeLayout } from "./views.js";

type Num = number | bigint;

/** Note [Lanes]: values of x with dim d last, as numbers (or exact bigints for int64). */
export function lanesOf(x: Tensor, d: number): { v: ArrayLike<Num>; len: number; count: number; laneShape: number[] } {
  const y = x.ndim === 0 ? x.detach().reshape(1) : x.detach().movedim(d, -1);
  const len = y.shape[y.ndim - 1]!;
  const v: ArrayLike<Num> = x.dtype === int64 ? K.bigValues(y) : K.values(y);
  return { v, len, count: len === 0 ? 0 : v.length / len, laneShape: y.shape.slice() };
}

const isNaNv = (a: Num): boolean => a !== a;
/** a sorts strictly before b in ascending order, NaN last (PyTorch and NumPy put NaN on top). */
const before = (a: Num, b: Num): boolean => a < b || (isNaNv(b) && !isNaNv(a));

/** int64 indices laid out as lanes (shape laneShape), moved back so the lane dim is at d, on x's
 *  device (computed on the CPU: op's fallback there, Note [Device fallback]). */
function fromLanes(idx: ArrayLike<number>, laneShape: readonly number[], d: number, x: Tensor, op: string): Tensor {
  const big = new BigInt64Array(idx.length);
  for (let i = 0; i < idx.length; i++) big[i] = BigInt(idx[i]!);
  const t = Tensor.fromStorage(big, laneShape, int64);
  return K.onDeviceOf(x.ndim === 0 ? t.reshape([]) : t.movedim(-1, d).contiguous(), x, op);
}

/** The stable order of x's lanes along d (int64, x's shape): the device's kernel, else the CPU's. */
function order(x: Tensor, d: number, descending: boolean, op: string): Tensor {
  const onDevice = x.ndim > 0 ? K.sortOrder(x.detach(), d, descending) : null;
  if (onDevice) return onDevice;
  const { v, len, count, laneShape } = lanesOf(x, d);
  return fromLanes(laneOrder(v, len, count, descending), laneShape, d, x, op);
}

/** Picks x's values at `index` along d, off the graph (values keep their exact bits). */
function pick(x: Tensor, d: number, index: Tensor): Tensor {
  if (x.ndim === 0) return K.contiguousCopy(x);
  return x.detach().gather(d, index);
}

/** The backward of every value-selecting op: zeros of the input's shape with g at `indices`
 *  along d (keepdim says whether the reduced dim is still in g). */
function selectBackward(g: Tensor, indices: Tensor, inShape: readonly number[], d: number, keepdim: boolean): Tensor {
  if (inShape.length === 0) return g.reshape([]);
  const gi = keepdim ? g : g.unsqueeze(d);
  const ii = keepdim ? indices : indices.unsqueeze(d);
  return g.new_zeros(inShape.slice()).scatter(d, ii, gi);
}

// ---- sort ---------------------------------------------------------------------------------------

export interface SortOpts { dim?: number; descending?: boolean; stable?: boolean | null }

/** The stable order of each lane (ascending or descending, NaN greatest). */
function laneOrder(v: ArrayLike<Num>, len: number, count: number, descending: boolean): Int32Array {
  const out = new Int32Array(len * count);
  const idx = new Array<number>(len);
  for (let l = 0; l < count; l++) {
    const s = l * len;
    for (let k = 0; k < len; k++) idx[k] = k;
    // Ties keep their original order (CPU sort in PyTorch is stable); the i - j tie-break makes
    // that explicit whatever the engine's sort does.
    idx.sort(descending
      ? (i, j) => (before(v[s + j]!, v[s + i]!) ? -1 : before(v[s + i]!, v[s + j]!) ? 1 : i - j)
      : (i, j) => (before(v[s + i]!, v[s + j]!) ? -1 : before(v[s + j]!, v[s + i]!) ? 1 : i - j));
    for (let k = 0; k < len; k++) out[s + k] = idx[k]!;
  }
  return out;
}

function sortArgs(a?: number | SortOpts | boolean, b?: boolean | SortOpts, c?: SortOpts): { dim: number; descending: boolean; stable: boolean | null } {
  let o: SortOpts = {};
  if (isOptions(a)) o = a as SortOpts;
  else {
    if (typeof a === "number") o.dim = a;
    if (isOptions(b)) Object.assign(o, b); else { if (typeof b === "boolean") o.descending = b; if (c) Object.assign(o, c); }
  }
  return { dim: o.dim ?? -1, descending: o.descending ?? false, stable: o.stable ?? null };
}

/** torch.sort(input, dim=-1, descending=False, *, stable=None) → (values, indices) */
export function sort(x: Tensor, dim?: number | SortOpts, descending?: boolean | SortOpts, opts?: SortOpts): ValuesIndices {
  const o = sortArgs(dim, descending, opts);
  const d = normDim(o.dim, x.ndim);
  // (both in the input's layout, as PyTorch's sort fills empty_like(self) ones)
  const ordered = order(x, d, o.descending, "sort");
  const values = likeLayout(pick(x, d, ordered), x), indices = likeLayout(ordered, x);
  const inShape = x.shape.slice();
  // sort.stable is a separate ATen overload: SortBackward1 when `stable` is given.
  record(o.stable === null ? "SortBackward0" : "SortBackward1", [x], [values, indices], ([g]) => [selectBackward(g!, indices, inShape, d, true)]);
  return namedPair(values, indices, "sort");
}

export function argsort(x: Tensor, dim?: number | SortOpts, descending?: boolean | SortOpts, opts?: SortOpts): Tensor {
  return sort(x, dim, descending, opts).indices;
}

/** torch.msort: sort along dim 0 (PyTorch composes it from sort, so the node is SortBackward0). */
export function msort(x: Tensor): Tensor { return sort(x, 0).values; }

// ---- topk ---------------------------------------------------------------------------------------

export interface TopkOpts { dim?: number; largest?: boolean; sorted?: boolean }

/** torch.topk(input, k, dim=-1, largest=True, sorted=True) → (values, indices). Ties are broken by
 *  the lower index first; PyTorch leaves their order unspecified. */
export function topk(x: Tensor, k: number, dim?: number | TopkOpts, largest?: boolean | TopkOpts, sorted?: boolean | TopkOpts, opts?: TopkOpts): ValuesIndices {
  const o: TopkOpts = {};
  for (const [i, a] of [dim, largest, sorted, opts].entries()) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) (o as Record<string, unknown>)[["dim", "largest", "sorted"][i]!] = a;
  }
  const d = normDim(o.dim ?? -1, x.ndim);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!Number.isInteger(k) || k < 0 || k > size) throw new Error("selected index k out of range");
  // the first k of the lanes' order
  const all = order(x, d, o.largest ?? true, "topk");
  const indices = x.ndim === 0 ? all : K.contiguousCopy(all.narrow(d, 0, k));
  const values = pick(x, d, indices);
  const inShape = x.shape.slice();
  record("TopkBackward0", [x], [values, indices], ([g]) => [selectBackward(g!, indices, inShape, d, true)]);
  return namedPair(values, indices, "topk");
}

// ---- kthvalue, median, nanmedian, mode ------------------------------------------------------------

export interface DimKeep { dim?: number; keepdim?: boolean }
function dimKeep(a?: number | DimKeep, b?: boolean | DimKeep, defDim?: number): { dim: number | undefined; keepdim: boolean } {
  const o: DimKeep = {};
  if (isOptions(a)) Object.assign(o, a); else if (a !== undefined) o.dim = a as number;
  if (isOptions(b)) Object.assign(o, b); else if (b !== undefined) o.keepdim = b as boolean;
  return { dim: o.dim ?? defDim, keepdim: o.keepdim ?? false };
}

/** Shared tail of the lane reductions: one chosen index per lane → (values, indices), keepdim. */
function laneReduction(name: string, x: Tensor, d: number, keepdim: boolean, laneIdx: ArrayLike<number> | Tensor): ValuesIndices {
  const outShape = x.ndim === 0 ? [] : x.shape.filter((_, i) => i !== d);
  const op = name.replace(/Backward\d*$/, "").toLowerCase();
  const flatIdx = laneIdx instanceof Tensor ? laneIdx : K.onDeviceOf(Tensor.fromStorage(BigInt64Array.from(laneIdx, (i) => BigInt(i)), outShape, int64), x, op);
  const keptIdx = x.ndim > 0 ? flatIdx.unsqueeze(d).contiguous() : flatIdx;
  const keptVals = pick(x, d, keptIdx);
  const squeeze = !keepdim && x.ndim > 0;
  const values = squeeze ? K.contiguousCopy(keptVals.squeeze(d)) : keptVals;
  const indices = squeeze ? flatIdx : keptIdx;
  const inShape = x.shape.slice();
  record(name, [x], [values, indices], ([g]) => [selectBackward(squeeze ? g!.unsqueeze(d) : g!, keptIdx, inShape, d, true)]);
  return namedPair(values, indices, op);
}

function checkNonEmptyDim(op: string, x: Tensor, d: number): void {
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${op}: Expected reduction dim ${d} to have non-zero size.`);
}

/** PyTorch's quick_select_template (Sedgewick's quicksort partitioning, median of three), ported
 *  step for step so that kthvalue picks the same index as PyTorch among equal values. */
function quickSelect(arr: Num[], ind: number[], k: number): void {
  const gt = (a: Num, b: Num): boolean => (isNaNv(a) && !isNaNv(b)) || a > b;
  const swap = (i: number, j: number): void => {
    const t = arr[i]!; arr[i] = arr[j]!; arr[j] = t;
    const u = ind[i]!; ind[i] = ind[j]!; ind[j] = u;
  };
  let L = 0, R = arr.length - 1;
  for (;;) {
    if (R <= L) return;
    if (R === L + 1) { if (gt(arr[L]!, arr[R]!)) swap(L, R); return; }
    const P = (L + R) >> 1;
    swap(P, L + 1);
    if (gt(arr[L + 1]!, arr[R]!)) swap(L + 1, R);
    if (gt(arr[L]!, arr[R]!)) swap(L, R);
    if (gt(arr[L + 1]!, arr[L]!)) swap(L + 1, L);
    let i = L + 1, j = R;
    const piv = arr[L]!;
    for (;;) {
      do i++; while (gt(piv, arr[i]!));
      do j--; while (gt(arr[j]!, piv));
      if (j < i) break;
      swap(i, j);
    }
    swap(L, j);
    if (j <= k) L = i;
    if (j >= k) R = j - 1;
  }
}

/** torch.kthvalue(input, k, dim=-1, keepdim=False) → (values, indices) */
export function kthvalue(x: Tensor, k: number, dim?: number | DimKeep, keepdim?: boolean | DimKeep): ValuesIndices {
  const o = dimKeep(dim, keepdim, -1);
  const d = normDim(o.dim!, x.ndim);
  checkNonEmptyDim("kthvalue()", x, d);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  if (!(k >= 1 && k <= size)) throw new Error(`kthvalue(): selected number k out of range for dimension ${d}`);
  const { v, len, count } = lanesOf(x, d);
  const out = new Int32Array(count);
  for (let l = 0; l < count; l++) {
    const arr = Array.from({ length: len }, (_, j) => v[l * len + j]!), ind = Array.from({ length: len }, (_, j) => j);
    quickSelect(arr, ind, k - 1);
    out[l] = ind[k - 1]!;
  }
  return laneReduction("KthvalueBackward0", x, d, o.keepdim, out);
}

/** The index of the lane's median: the element of rank (n-1)/2 in (value, index) order, as
 *  PyTorch's nth_element with that comparator; with NaN present, median returns the first NaN. */
function medianIndex(v: ArrayLike<Num>, s: number, len: number, ignoreNan: boolean): number {
  const idx: number[] = [];
  let nans = 0, firstNan = -1;
  for (let k = 0; k < len; k++) {
    if (isNaNv(v[s + k]!)) { nans++; if (firstNan < 0) firstNan = k; } else idx.push(k);
  }
  if (nans > 0 && !ignoreNan) return firstNan;
  if (idx.length === 0) return firstNan; // nanmedian of all-NaN: a NaN
  idx.sort((i, j) => (v[s + i]! < v[s + j]! ? -1 : v[s + i]! > v[s + j]! ? 1 : i - j));
  return idx[Math.trunc((idx.length - 1) / 2)]!;
}

function medianImpl(ignoreNan: boolean, x: Tensor, dim?: number | DimKeep, keepdim?: boolean | DimKeep): Tensor | ValuesIndices {
  const o = dimKeep(dim, keepdim);
  if (o.dim === undefined) {
    // All elements: the lower median; NaN when any (median) or all (nanmedian) are NaN, and for
    // an empty input.
    if (x.numel() === 0) {
      const y = Tensor.empty([], x.dtype); K.fill(y, NaN);
      return record(ignoreNan ? "NanmedianBackward0" : "MedianBackward0", [x], y, ([g]) => [g!.expand(x.shape.slice()).mul(0)]);
    }
    const { v } = lanesOf(x.detach().reshape(-1), 0);
    const i = medianIndex(v, 0, v.length, ignoreNan);
    const y = K.contiguousCopy(x.detach().reshape(-1).narrow(0, i, 1).reshape([]));
    return record(ignoreNan ? "NanmedianBackward0" : "MedianBackward0", [x], y, ([g], [xs, ys]) => [evenlyDistribute(g!, xs!, ys!)], [x, y]);
  }
  const d = normDim(o.dim, x.ndim);
  checkNonEmptyDim("median()", x, d); // (nanmedian shares median's message)
  const name = ignoreNan ? "NanmedianBackward1" : "MedianBackward1";
  const ord = x.ndim > 0 ? K.sortOrder(x.detach(), d, false) : null;
  if (ord) {
    // on a device: the element of that rank in the lane's stable order, which puts NaN last (so a
    // lane's first NaN, median's answer where there is one, sits at n - nans)
    const n = x.shape[d]!, nans = x.detach().isnan().sum(d, true);
    const pos = ignoreNan ? nans.rsub(n - 1).floor_divide(2).clamp(0, null) : where(nans.gt(0), nans.rsub(n), Math.trunc((n - 1) / 2));
    return laneReduction(name, x, d, o.keepdim, ord.gather(d, K.checkedIndices(pos, n)).squeeze(d));
  }
  const { v, len, count } = lanesOf(x, d);
  const out = new Int32Array(count);
  for (let l = 0; l < count; l++) out[l] = medianIndex(v, l * len, len, ignoreNan);
  return laneReduction(name, x, d, o.keepdim, out);
}

/** PyTorch's evenly_distribute_backward: the gradient of a value chosen from several equal
 *  elements is shared among them (NaN counts as equal to NaN). */
export function evenlyDistribute(g: Tensor, input: Tensor, value: Tensor): Tensor {
  const mask = (value.isnan().item() as unknown as boolean) ? input.isnan() : input.eq(value);
  return where(mask, g.div(mask.sum()), 0).to(g.dtype);
}

export function median(x: Tensor): Tensor;
export function median(x: Tensor, dim: number | DimKeep, keepdim?: boolean): ValuesIndices;
export function median(x: Tensor, dim?: number | DimKeep, keepdim?: boolean | DimKeep): Tensor | ValuesIndices { return medianImpl(false, x, dim, keepdim); }
export function nanmedian(x: Tensor): Tensor;
export function nanmedian(x: Tensor, dim: number | DimKeep, keepdim?: boolean): ValuesIndices;
export function nanmedian(x: Tensor, dim?: number | DimKeep, keepdim?: boolean | DimKeep): Tensor | ValuesIndices { return medianImpl(true, x, dim, keepdim); }

/** torch.mode(input, dim=-1, keepdim=False): the most frequent value (the smallest among equally
 *  frequent ones) and the last index where it occurs. */
export function mode(x: Tensor, dim?: number | DimKeep, keepdim?: boolean | DimKeep): ValuesIndices {
  const o = dimKeep(dim, keepdim, -1);
  const d = normDim(o.dim!, x.ndim);
  checkNonEmptyDim("mode()", x, d);
  const { v, len, count } = lanesOf(x, d);
  const out = new Int32Array(count);
  const idx = new Array<number>(len);
  for (let l = 0; l < count; l++) {
    const s = l * len;
    for (let k = 0; k < len; k++) idx[k] = k;
    idx.sort((i, j) => (before(v[s + i]!, v[s + j]!) ? -1 : before(v[s + j]!, v[s + i]!) ? 1 : i - j));
    let best = 0, bestFreq = 0, run = 0;
    for (let k = 0; k < len; k++) {
      run++;
      const a = v[s + idx[k]!]!, b = k + 1 < len ? v[s + idx[k + 1]!]! : undefined;
      if (b === undefined || a !== b) {
        if (run > bestFreq) { bestFreq = run; best = idx[k]!; }
        run = 0;
      }
    }
    out[l] = best;
  }
  return laneReduction("ModeBackward0", x, d, o.keepdim, out);
}

// ---- quantile -------------------------------------------------------------------------------------

export type Interpolation = "linear" | "lower" | "higher" | "midpoint" | "nearest";
export interface QuantileOpts { dim?: number | null; keepdim?: boolean; interpolation?: Interpolation }

function quantileImpl(ignoreNan: boolean, x: Tensor, q: number | Tensor, dim?: number | null | QuantileOpts, keepdim?: boolean | QuantileOpts, opts?: QuantileOpts): Tensor {
  const o: QuantileOpts = {};
  if (isOptions(dim)) Object.assign(o, dim); else if (dim !== undefined) o.dim = dim as number | null;
  if (isOptions(keepdim)) Object.assign(o, keepdim); else if (keepdim !== undefined) o.keepdim = keepdim as boolean;
  if (opts) Object.assign(o, opts);
  const interp = o.interpolation ?? "linear";
  if (typeof q === "number" && !(q >= 0 && q <= 1)) throw new Error(`quantile() q must be in the range [0, 1] but got ${q}`);
  if (x.numel() === 0) throw new Error("quantile() input tensor must be non-empty");
  const qt = typeof q === "number" ? Tensor.fromStorage(K.fromNumbers([q], x.dtype), [], x.dtype) : q;
  if (qt.ndim > 1) throw new Error("quantile() q must be a scalar or 1D tensor");
  if (x.dtype !== float32 && x.dtype !== float64) throw new Error("quantile() input tensor must be either float or double dtype");
  if (qt.dtype !== x.dtype) throw new Error("quantile() q tensor must be same dtype as the input tensor");
  if (!["linear", "lower", "higher", "midpoint", "nearest"].includes(interp))
    throw new Error(`quantile() interpolation must be one of linear, lower, higher, midpoint or nearest, but got ${interp}`);
  const qv = K.values(qt);
  for (let i = 0; i < qv.length; i++) if (!(qv[i]! >= 0 && qv[i]! <= 1)) throw new Error("quantile() q values must be in the range [0, 1]");
  const hasDim = o.dim !== undefined && o.dim !== null;
  const d = hasDim ? normDim(o.dim as number, x.ndim) : 0;
  const kd = o.keepdim ?? false;
  // Output shape (PyTorch's quantile_impl): q's size first, then the reduced shape.
  let outShape: number[] = [];
  if (hasDim && x.ndim > 0) { outShape = x.shape.slice(); if (kd) outShape[d] = 1; else outShape.splice(d, 1); }
  else if (kd) outShape = x.shape.map(() => 1);
  // Sort with the reduced dim last; composed from differentiable ops (sort, gather, where) as
  // PyTorch composes it, so the gradient flows to the chosen elements.
  const sv = !hasDim ? sort(x.reshape(-1)).values : sort(x.ndim === 0 ? x.reshape(1) : x.movedim(d, -1), -1).values;
  const n = sv.shape[sv.ndim - 1]!;
  const qq = qt.reshape(-1);
  const Q = qq.numel();
  // ranks[..., j] for every quantile j, in the input's dtype as PyTorch computes them
  const lead = sv.shape.slice(0, -1);
  let ranks: Tensor;
  if (ignoreNan) {
    const valid = sv.detach().isnan().logical_not().sum(-1, true).to(x.dtype).sub(1);
    ranks = qq.mul(valid);
    ranks = ranks.masked_fill(ranks.lt(0), 0);
  } else {
    const anyNan = sv.detach().isnan().any(-1, true);
    ranks = where(anyNan, n - 1, qq.mul(n - 1).expand([...lead, Q]));
  }
  ranks = ranks.expand([...lead, Q]).contiguous().detach();
  if (interp === "lower") ranks = ranks.floor();
  else if (interp === "higher") ranks = ranks.ceil();
  else if (interp === "nearest") ranks = ranks.round();
  const below = ranks.to(int64);
  let values = sv.gather(-1, below);
  if (interp === "linear" || interp === "midpoint") {
    const w = interp === "midpoint" ? ranks.mul(0).add(0.5) : ranks.sub(below.to(x.dtype));
    const above = sv.gather(-1, ranks.ceil().to(int64));
    // PyTorch's lerp: start + w·(end − start) for w < 0.5, else end − (end − start)·(1 − w)
    const diffv = above.sub(values);
    values = where(w.lt(0.5), values.add(w.mul(diffv)), above.sub(diffv.mul(w.rsub(1))));
  }
  // values: [...lead, Q] → [Q, ...outShape] (or outShape for a scalar q), PyTorch ending with an
  // in-place squeeze_(-1) of [..., 1] either way
  const pre = qt.ndim === 0 ? values.reshape([...outShape, 1]) : values.movedim(-1, 0).reshape([Q, ...outShape, 1]);
  return squeezeResult_(pre.contiguous(), -1);
}

export function quantile(x: Tensor, q: number | Tensor, dim?: number | null | QuantileOpts, keepdim?: boolean | QuantileOpts, opts?: QuantileOpts): Tensor {
  return quantileImpl(false, x, q, dim, keepdim, opts);
}
export function nanquantile(x: Tensor, q: number | Tensor, dim?: number | null | QuantileOpts, keepdim?: boolean | QuantileOpts, opts?: QuantileOpts): Tensor {
  return quantileImpl(true, x, q, dim, keepdim, opts);
}

// ---- unique -----------------------------------------------------------------------------------------

export interface UniqueOpts { sorted?: boolean; return_inverse?: boolean; return_counts?: boolean; dim?: number | null }

/** PyTorch marks unique's values differentiable but has no formula: a node whose backward throws. */
function notImplemented(name: string, aten: string, x: Tensor, outs: Tensor[]): void {
  record(name, [x], outs, () => { throw new Error(`the derivative for '${aten}' is not implemented.`); });
}

/** Groups of equal slices along d (dim=null: elements), in first-seen or sorted order. */
function uniqueCore(x: Tensor, dim: number | null, consecutive: boolean): { keep: number[]; inverse: number[]; counts: number[] } {
  let keyOf: (i: number) => Num[];
  let n: number;
  if (dim === null) {
    const v: ArrayLike<Num> = x.dtype === int64 ? K.bigValues(x) : K.values(x);
    n = v.length; keyOf = (i) => [v[i]!];
  } else {
    const { v, len, count } = lanesOf(x, dim); // lanes run along dim: slice i is v[l*len + i] for every l
    n = len; keyOf = (i) => Array.from({ length: count }, (_, l) => v[l * len + i]!);
  }
  const keys = Array.from({ length: n }, (_, i) => keyOf(i));
  // Order: lexicographic with NaN greatest; equality is exact, so every NaN is its own group
  // (PyTorch's CPU unique compares with ==).
  const order3 = (a: Num[], b: Num[]): number => {
    for (let k = 0; k < a.length; k++) { if (before(a[k]!, b[k]!)) return -1; if (before(b[k]!, a[k]!)) return 1; }
    return 0;
  };
  const same = (a: Num[], b: Num[]): boolean => a.every((e, k) => e === b[k]);
  const order = Array.from({ length: n }, (_, i) => i);
  if (!consecutive) order.sort((i, j) => order3(keys[i]!, keys[j]!) || i - j);
  const keep: number[] = [], counts: number[] = [], inverse = new Array<number>(n);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (keep.length && same(keys[order[k - 1]!]!, keys[i]!)) counts[counts.length - 1]!++;
    else { keep.push(i); counts.push(1); }
    inverse[i] = keep.length - 1;
  }
  return { keep, inverse, counts };
}

function uniqueResult(name: string, aten: string, x: Tensor, dim: number | null, consecutive: boolean, o: UniqueOpts): Tensor | Tensor[] {
  const d = dim === null ? null : normDim(dim, x.ndim);
  const flat = d === null ? x.detach().reshape(-1) : x.detach();
  const { keep, inverse, counts } = uniqueCore(flat, d, consecutive);
  const sel = Tensor.fromStorage(BigInt64Array.from(keep, BigInt), [keep.length], int64);
  const out = d === null ? flat.index_select(0, sel) : flat.index_select(d, sel);
  notImplemented(name, aten, x, [out]);
  const res: Tensor[] = [out];
  if (o.return_inverse) res.push(Tensor.fromStorage(BigInt64Array.from(inverse, BigInt), [inverse.length], int64).reshape(d === null ? x.shape.slice() : [inverse.length]));
  if (o.return_counts) res.push(Tensor.fromStorage(BigInt64Array.from(counts, BigInt), [counts.length], int64));
  return res.length === 1 ? out : res;
}

/** torch.unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None).
 *  Returns the tensor alone, or [output, inverse?, counts?] as Python's tuple. The output is
 *  always sorted (PyTorch leaves the order unspecified for sorted=False). */
export function unique(x: Tensor, opts: UniqueOpts = {}): Tensor | Tensor[] {
  const dim = opts.dim ?? null;
  return dim === null ? uniqueResult("Unique2Backward0", "_unique2", x, null, false, opts) : uniqueResult("UniqueDimBackward0", "unique_dim", x, dim, false, opts);
}

/** torch.unique_consecutive(input, return_inverse=False, return_counts=False, dim=None) */
export function unique_consecutive(x: Tensor, opts: Omit<UniqueOpts, "sorted"> = {}): Tensor | Tensor[] {
  return uniqueResult("UniqueConsecutiveBackward0", "unique_consecutive", x, opts.dim ?? null, true, opts);
}

installMethods({ sort, argsort, msort, topk, kthvalue, median, nanmedian, mode, quantile, nanquantile, unique, unique_consecutive });

declare module "../core/tensor.js" {
  interface Tensor {
    sort(dim?: number | SortOpts, descending?: boolean | SortOpts, opts?: SortOpts): ValuesIndices;
    argsort(dim?: number | SortOpts, descending?: boolean | SortOpts, opts?: SortOpts): Tensor;
    msort(): Tensor;
    topk(k: number, dim?: number | TopkOpts, largest?: boolean | TopkOpts, sorted?: boolean | TopkOpts, opts?: TopkOpts): ValuesIndices;
    kthvalue(k: number, dim?: number | DimKeep, keepdim?: boolean | DimKeep): ValuesIndices;
    median(): Tensor; median(dim: number | DimKeep, keepdim?: boolean): ValuesIndices;
    nanmedian(): Tensor; nanmedian(dim: number | DimKeep, keepdim?: boolean): ValuesIndices;
    mode(dim?: number | DimKeep, keepdim?: boolean | DimKeep): ValuesIndices;
    quantile(q: number | Tensor, dim?: number | null | QuantileOpts, keepdim?: boolean | QuantileOpts, opts?: QuantileOpts): Tensor;
    nanquantile(q: number | Tensor, dim?: number | null | QuantileOpts, keepdim?: boolean | QuantileOpts, opts?: QuantileOpts): Tensor;
    unique(opts?: UniqueOpts): Tensor | Tensor[];
    unique_consecutive(opts?: Omit<UniqueOpts, "sorted">): Tensor | Tensor[];
  }
}

