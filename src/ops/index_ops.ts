// Python's indexing, x[...] and x[...] = v, as x.index(...) and x.index_put_([...], v) (shared/API.md §2),
// and the remaining shape ops: repeat, repeat_interleave, tile, roll, tril/triu, nonzero/argwhere/where(cond),
// diag/diag_embed, masked_select, take, index_fill.
//
// Note [Indexing as PyTorch does it]: an index expression is split as PyTorch's applySlicing does
// (torch/csrc/autograd/python_variable_indexing.cpp, ATen/TensorIndexing.h). Integers, slices,
// `"..."` and `null` become view ops (select, slice, unsqueeze), so basic indexing returns a view
// sharing storage, with SelectBackward0 / SliceBackward0 / UnsqueezeBackward0 as grad_fn. Index
// tensors (masks too, and JS arrays, which are index tensors as Python lists are) are recorded at
// the dim they index and applied afterwards by one aten::index: a copy, grad_fn IndexBackward0.
// A mask takes as many dims as it has (2.x; 1.13 advanced by one only, so an index after a 2-d
// mask applied to the mask's second dim). PyTorch's quirks are kept so translated code gives
// PyTorch's answers: the "dimension" in an
// out-of-bounds message is the item's position for integers and the index tensor's number for
// tensors; a slice covering a whole dim (`:`, `0:`, `0:n` or beyond) is skipped when there are
// several items, or in an assignment (x[:] = v writes x itself).

import { Tensor } from "../core/tensor.js";
import { type DType, type Scalar, bool, uint8, int32, int64, scalarTypeName } from "../core/dtype.js";
import { normDim, broadcastShapes, contiguousStrides, parseSize, checkSizeNonNegative } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { is_grad_enabled } from "../autograd/grad_mode.js";
import { installMethods, isOptions, scalarTensor, type TensorOrScalar } from "./util.js";
import { inplace } from "./inplace.js";
import { tensor, zeros } from "./creation.js";
import { where as where3 } from "./elementwise.js";
import { cat, stack } from "./indexing.js";
import { as_strided, viewOf } from "./views.js";

// ---- index items --------------------------------------------------------------------------------

/** Python's slice object, for `x[start:stop:step]`; build it with torch.slice. */
export class Slice {
  constructor(readonly start: number | null, readonly stop: number | null, readonly step: number | null) {}
  toString(): string { return `slice(${this.start}, ${this.stop}, ${this.step})`.replace(/null/g, "None"); }
}

/**
 * torch.slice(start, stop, step?): Python's slice, so `x[1:3]` is `x.index(torch.slice(1, 3))` and
 * `x[::2]` is `torch.slice(null, null, 2)`. As Python's builtin, one argument is the stop:
 * `torch.slice(3)` is `:3`; write `torch.slice(3, null)` for `3:`.
 */
export function slice(...args: (number | null | undefined)[]): Slice {
  if (args.length === 1) return new Slice(null, args[0] ?? null, null);
  return new Slice(args[0] ?? null, args[1] ?? null, args[2] ?? null);
}

/** A JS array in an index is an index tensor, as a Python list is (nested arrays: more dims). */
export type IndexList = readonly (number | boolean | IndexList)[];
/** One item of an index expression: int, slice, "..." (Ellipsis), null (None: a new axis in
 *  x.index, the whole dim in index_put_ as in torch.index_put_'s indices), bool, tensor, list. */
export type Index = number | boolean | null | "..." | Slice | Tensor | IndexList;

const fmtShape = (shape: readonly number[]): string => `[${shape.join(", ")}]`;

/** Python's indexing_tensor_from_data: bool when every element is a bool, else int64 (truncating). */
function listToTensor(list: IndexList): Tensor {
  const allBool = (l: IndexList): boolean => l.every((e) => (Array.isArray(e) ? allBool(e) : typeof e === "boolean"));
  return tensor(list as never, { dtype: list.length > 0 && allBool(list) ? bool : int64 });
}

/** PyTorch's treatSequenceAsTuple (NumPy's old heuristic): `x[[[0, 1], [1, 2]]]` indexes with two
 *  tensors, as `x[[0, 1], [1, 2]]`, when the one list holds lists, tensors, slices, None or `...`. */
function treatAsTuple(list: readonly unknown[]): boolean {
  return list.length < 32 && list.some((e) => Array.isArray(e) || e instanceof Tensor || e instanceof Slice || e === null || e === "...");
}

const isMask = (t: Tensor): boolean => t.dtype === bool || t.dtype === uint8;

/** `true` indexes the new dim of size 1 as `0:`, `false` as empty (PyTorch's boolToIndexingTensor). */
const boolIndex = (b: boolean): Tensor => Tensor.fromStorage(new BigInt64Array(b ? 1 : 0), [b ? 1 : 0], int64);

/** Python's TypeError for an index item of another kind (a float, a string, undefined …). */
function invalidIndex(item: unknown): TypeError {
  const kind = typeof item === "number" ? "float" : item === undefined ? "undefined" : typeof item === "string" ? "str" : typeof item;
  return new TypeError(`only integers, slices (\`:\`), ellipsis (\`...\`), None and long or byte Variables are valid indices (got ${kind})`);
}

function applySelect(t: Tensor, dim: number, index: number, realDim: number): Tensor {
  if (!Number.isInteger(index)) throw invalidIndex(index);
  if (t.ndim === 0 && index === 0)
    throw new RangeError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number");
  const size = t.ndim === 0 ? 0 : t.shape[dim]!;
  if (index < -size || index >= size) throw new RangeError(`index ${index} is out of bounds for dimension ${realDim} with size ${size}`);
  return t.select(dim, index);
}

function applySlice(t: Tensor, dim: number, s: Slice, skipWhole: boolean): Tensor {
  // Python's PySlice_Unpack: each bound an int or None (NaN, 1.5 … are no index)
  for (const v of [s.step, s.start, s.stop])
    if (v !== null && !Number.isInteger(v)) throw new TypeError("slice indices must be integers or None or have an __index__ method");
  const step = s.step ?? 1;
  if (step === 0) throw new Error("slice step cannot be zero");
  if (step < 0) throw new Error("step must be greater than zero");
  if (t.ndim === 0) throw new RangeError("slice() cannot be applied to a 0-dim tensor.");
  // 2.x's applySlice skips a slice from 0 to the end or beyond (`:`, `0:`, `0:100` of a dim of 3)
  if (skipWhole && (s.start ?? 0) === 0 && (s.stop === null || s.stop >= t.shape[dim]!) && step === 1) return t;
  return t.slice(dim, s.start, s.stop, step);
}

/** Items that take a dim of self (PyTorch's count_specified_dimensions). */
function specifiedDims(items: readonly Index[], nullTakesDim: boolean): number {
  let n = 0;
  for (const it of items) {
    if (it instanceof Tensor) n += isMask(it) ? it.ndim : 1;
    else if (it === null) n += nullTakesDim ? 1 : 0;
    else if (it !== "..." && typeof it !== "boolean") n++;
  }
  return n;
}

/**
 * Applies the basic items of an index expression as views of self and returns the view with the
 * index tensors recorded at the dims they index (null elsewhere). `forPut`: an item `null` keeps
 * its dim whole, as None in torch.index_put_'s indices, instead of adding an axis.
 */
function applySlicing(self: Tensor, list: readonly Index[], forPut: boolean): { view: Tensor; indices: (Tensor | null)[] } {
  const items = list.map((it) => (Array.isArray(it) ? listToTensor(it) : it)) as (Exclude<Index, IndexList>)[];
  const specified = specifiedDims(items, forPut);
  const single = items.length === 1 && (typeof items[0] === "number" || items[0] instanceof Slice);
  if (!single && specified > self.ndim) throw new RangeError(`too many indices for tensor of dimension ${self.ndim}`);
  let view = self, dim = 0;
  // the index tensors, a mask taking its ndim dims of `view` (planIndex expands it into as many)
  const indices: (Tensor | null)[] = [];
  let covered = 0;
  const recordIndex = (t: Tensor): void => {
    for (; covered < dim; covered++) indices.push(null);
    indices.push(t);
    dim += isMask(t) ? t.ndim : 1;
    covered = dim;
  };
  items.forEach((item, i) => {
    if (typeof item === "number") view = applySelect(view, dim, item, i);
    else if (item instanceof Slice) view = applySlice(view, dim++, item, forPut || items.length > 1);
    else if (item === "...") dim += self.ndim - specified;
    else if (item === null) { if (!forPut) view = view.unsqueeze(dim); dim++; }
    else if (typeof item === "boolean") { view = view.unsqueeze(dim); recordIndex(boolIndex(item)); }
    else if (!(item instanceof Tensor)) throw invalidIndex(item);
    else if (item.ndim === 0 && !item.dtype.is_floating_point) {
      // a 0-d integer tensor is an integer; a 0-d mask is a bool
      if (isMask(item)) { view = view.unsqueeze(dim); recordIndex(boolIndex(Number(item.item()) !== 0)); }
      else view = applySelect(view, dim, item.item(), i);
    } else recordIndex(item);
  });
  return { view, indices };
}

/** x[...] without tensors returns a new view even when nothing changed (PyTorch's alias). */
export function alias(x: Tensor): Tensor {
  const out = viewOf(x, { shape: x.shape.slice(), strides: x.stride(), offset: x._offset });
  return record("AliasBackward0", [x], out, ([g]) => [g]);
}

// ---- aten::index and aten::index_put --------------------------------------------------------------

/** Where the index tensors point, resolved as PyTorch's AdvancedIndex: masks replaced by their
 *  nonzero() columns, every index int64, broadcast together, and the result's shape. */
interface IndexPlan {
  /** the indices after mask expansion: int64 tensors or null, one per leading dim of self */
  indices: (Tensor | null)[];
  shape: readonly number[];
  /** the indexed dims, and each one's index values broadcast together (row-major) */
  advDims: number[];
  values: ArrayLike<number>[];
  /** dims of self not indexed that come before / after the index result in the output */
  before: number[];
  after: number[];
  outShape: number[];
}

function planIndex(self: Tensor, raw: readonly (Tensor | null)[]): IndexPlan {
  for (const t of raw)
    if (t && !isMask(t) && t.dtype !== int64 && t.dtype !== int32)
      // 2.x accepts int32 index tensors (1.13: "long, byte or bool")
      throw new RangeError("tensors used as indices must be long, int, byte or bool tensors");
  const indices: (Tensor | null)[] = [];
  for (const t of raw) {
    if (!t) { indices.push(null); continue; }
    if (!isMask(t)) { indices.push(t.dtype === int64 ? t : t.to(int64)); continue; }
    for (let j = 0; j < t.ndim; j++) {
      const src = indices.length + j;
      if (t.shape[j] !== self.size(src))
        throw new RangeError(`The shape of the mask ${fmtShape(t.shape)} at index ${j} does not match the shape of the indexed tensor ${fmtShape(self.shape)} at index ${src}`);
    }
    indices.push(...nonzeroColumns(t));
  }
  if (indices.length > self.ndim) throw new RangeError(`too many indices for tensor of dimension ${self.ndim} (got ${indices.length})`);
  const advDims = indices.flatMap((t, d) => (t ? [d] : []));
  const tensors = advDims.map((d) => indices[d]!);
  let bshape: number[] = [];
  try {
    for (const t of tensors) bshape = broadcastShapes(bshape, t.shape);
  } catch {
    throw new RangeError(`shape mismatch: indexing tensors could not be broadcast together with shapes ${tensors.map((t) => fmtShape(t.shape)).join(", ")}`);
  }
  if (advDims.some((d) => self.shape[d] === 0) && !bshape.includes(0))
    throw new RangeError("index is out of bounds for dimension with size 0");
  // Adjacent index tensors put the result's dims in their place; otherwise first (NumPy's rule).
  const rest = [...self.shape.keys()].filter((d) => !advDims.includes(d));
  const adjacent = advDims.length > 0 && advDims[advDims.length - 1]! - advDims[0]! === advDims.length - 1;
  const before = adjacent ? rest.filter((d) => d < advDims[0]!) : [];
  const after = rest.filter((d) => !before.includes(d));
  const outShape = [...before.map((d) => self.shape[d]!), ...bshape, ...after.map((d) => self.shape[d]!)];
  const values = tensors.map((t) => K.values(K.broadcastView(t, bshape)));
  return { indices, shape: self.shape.slice(), advDims, values, before, after, outShape };
}

/** Offsets of every element of a strided block, row-major. */
function offsetsOf(sizes: readonly number[], strides: readonly number[]): Float64Array {
  let out = new Float64Array([0]);
  sizes.forEach((n, i) => {
    const next = new Float64Array(out.length * n);
    let k = 0;
    for (const o of out) for (let j = 0; j < n; j++) next[k++] = o + j * strides[i]!;
    out = next;
  });
  return out;
}

/** Storage position of every element of the index result in a tensor of the plan's shape laid out
 *  with `strides` from `offset`. Checks bounds here, after the value checks, as PyTorch's kernel. */
function positions(p: IndexPlan, strides: readonly number[], offset: number): Float64Array {
  const n = p.values[0]?.length ?? 1;
  const adv = new Float64Array(n);
  for (let b = 0; b < n; b++) {
    let o = 0;
    for (let j = 0; j < p.advDims.length; j++) {
      const size = p.shape[p.advDims[j]!]!, v = p.values[j]![b]!;
      if (v < -size || v >= size) throw new RangeError(`index ${v} is out of bounds for dimension ${j} with size ${size}`);
      o += (v < 0 ? v + size : v) * strides[p.advDims[j]!]!;
    }
    adv[b] = o;
  }
  const pre = offsetsOf(p.before.map((d) => p.shape[d]!), p.before.map((d) => strides[d]!));
  const post = offsetsOf(p.after.map((d) => p.shape[d]!), p.after.map((d) => strides[d]!));
  const out = new Float64Array(pre.length * n * post.length);
  let k = 0;
  for (const a of pre) for (const b of adv) for (const c of post) out[k++] = offset + a + b + c;
  return out;
}

/** A fresh contiguous result given another shape: not a view (in-place ops on it need no CopySlices). */
const reshaped = (t: Tensor, shape: readonly number[]): Tensor => new Tensor(t._storage, shape.slice(), contiguousStrides(shape), 0, t.dtype, t.device);

/** aten::index on already-split indices (tensors or null per dim). */
function indexTensors(self: Tensor, raw: readonly (Tensor | null)[]): Tensor {
  const p = planIndex(self, raw);
  const out = K.takeAt(self.detach(), positions(p, self._strides, self._offset), p.outShape);
  const shape = self.shape.slice();
  return record("IndexBackward0", [self], out, ([g]) => [indexPutTensors(Tensor.empty(shape, g!.dtype, g!.device), p.indices, g!, true)]);
}

/** aten::index_put (out of place) on already-split indices: self's values with `values` (broadcast to
 *  the index result) written, or added with `accumulate`, at the indexed places. */
function indexPutTensors(self: Tensor, raw: readonly (Tensor | null)[], values: Tensor, accumulate: boolean): Tensor {
  const p = planIndex(self, raw);
  const vs = values.shape, os = p.outShape;
  if (vs.length > os.length || vs.some((s, i) => s !== 1 && s !== os[os.length - vs.length + i]))
    throw new Error(`shape mismatch: value tensor of shape ${fmtShape(vs)} cannot be broadcast to indexing result of shape ${fmtShape(os)}`);
  if (values.dtype !== self.dtype)
    throw new Error(`Index put requires the source and destination dtypes match, got ${scalarTypeName(self.dtype)} for the destination and ${scalarTypeName(values.dtype)} for the source.`);
  const out = K.contiguousCopy(self.detach());
  // (a number's tensor, made on the CPU, goes where self is)
  K.putAt(out, positions(p, out._strides, 0), K.onDeviceOf(K.contiguousCopy(K.broadcastView(values.detach(), os)), out), accumulate);
  return record("IndexPutBackward0", [self, values], out, ([g], _s, needs) => [
    needs[0] ? (accumulate ? g! : indexPutTensors(g!, p.indices, Tensor.empty([], g!.dtype), false)) : null,
    needs[1] ? indexTensors(g!, p.indices) : null, // the engine sums it back to values' shape
  ]);
}

// ---- x[...] and x[...] = v ------------------------------------------------------------------------

/**
 * x.index(...items) is Python's x[items]: `x[0, 1:3]` → `x.index(0, torch.slice(1, 3))`,
 * `x[..., None]` → `x.index("...", null)`, `x[mask]` → `x.index(mask)`, `x[[0, 2]]` → `x.index([0, 2])`.
 * Without index tensors the result is a view of x (Note [Indexing as PyTorch does it]).
 */
export function index(x: Tensor, ...items: Index[]): Tensor {
  const its = items.length === 1 && Array.isArray(items[0]) && treatAsTuple(items[0]) ? (items[0] as Index[]) : items;
  const { view, indices } = applySlicing(x, its, false);
  if (!indices.some((t) => t)) return view === x ? alias(x) : view;
  return indexTensors(view, indices);
}

/** NumPy's rule for assignment, kept by PyTorch: leading 1s of the value's shape are dropped. */
function dropLeadingOnes(v: Tensor): Tensor {
  const k = v.shape.findIndex((s) => s !== 1);
  const shape = v.shape.slice(k < 0 ? v.ndim : k);
  return shape.length === v.ndim ? v : v.view(shape);
}

/** PyTorch's copy_to for `x[basic] = v`. */
function copyTo(dst: Tensor, src: Tensor): void {
  if (src.ndim === dst.ndim && src.shape.every((s, i) => s === dst.shape[i])) dst.copy_(src);
  else if (src.ndim === 0) dst.fill_(src);
  else dst.copy_(dropLeadingOnes(src).expand(dst.shape.slice()));
}

/** (Note [Internal overlap] in inplace.ts) */
const INDEX_PUT_OVERLAP = { warn: "Use of index_put_ on expanded tensors is deprecated. Please clone() the tensor before performing this operation. This also applies to advanced indexing e.g. tensor[indices] = tensor" };

const INDEX_FILL_OVERLAP = { warn: "Use of index_fill_ on expanded tensors is deprecated. Please clone() the tensor before performing this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar" };

function accumulateOpt(a: boolean | { accumulate?: boolean } | undefined): boolean {
  return typeof a === "boolean" ? a : a?.accumulate ?? false;
}

/**
 * x.index_put_(indices, values, accumulate = false): Python's `x[indices] = values` (and `+=` of
 * repeated places with accumulate), in place. `indices` is the index expression as an array, with
 * the items x.index takes: `x[0, 1:3] = v` → `x.index_put_([0, torch.slice(1, 3)], v)`,
 * `x[idx] = v` → `x.index_put_([idx], v)`, and torch.index_put_'s tuple of tensors, where null
 * keeps a dim whole (as `:`). `values` is a tensor of x's dtype or a number; it broadcasts to the
 * indexed shape after dropping leading 1s, as Python's assignment does.
 */
export function index_put_(x: Tensor, indices: readonly Index[], values: TensorOrScalar, accumulate?: boolean | { accumulate?: boolean }): Tensor {
  const acc = accumulateOpt(accumulate);
  const { view, indices: idx } = applySlicing(x, indices, true);
  const v = values instanceof Tensor ? values : scalarTensor(values, x.dtype);
  if (!idx.some((t) => t)) {
    if (acc) view.add_(dropLeadingOnes(v)); else copyTo(view, v);
  } else {
    const vs = dropLeadingOnes(v);
    inplace(view, () => indexPutTensors(view, idx, vs, acc), INDEX_PUT_OVERLAP);
  }
  if (view !== x) refreshViewHistory(x);
  return x;
}

/** When x is itself a view and the write went through a view of x, rebaseHistory gave the common base
 *  its CopySlices node; x must now read its region of that base too, as PyTorch regenerates a
 *  view's grad_fn after an in-place change of its base. */
function refreshViewHistory(x: Tensor): void {
  const base = x._base;
  if (!base || !is_grad_enabled() || !base.requires_grad) return;
  const fresh = as_strided(base, x.shape, x.stride(), x._offset);
  x._grad_fn = fresh._grad_fn;
  x._output_nr = 0;
}

/** torch.index_put(x, indices, values, accumulate = false): index_put_ on a copy. */
export function index_put(x: Tensor, indices: readonly Index[], values: TensorOrScalar, accumulate?: boolean | { accumulate?: boolean }): Tensor {
  const { view, indices: idx } = applySlicing(x, indices, true);
  if (view === x && idx.some((t) => t)) {
    // tensors only: one IndexPutBackward0 on x, as aten::index_put
    const v = values instanceof Tensor ? values : scalarTensor(values, x.dtype);
    return indexPutTensors(x, idx, dropLeadingOnes(v), accumulateOpt(accumulate));
  }
  return index_put_(x.clone(), indices, values, accumulate);
}

// ---- nonzero, argwhere, where(cond) ---------------------------------------------------------------

/** Flat row-major positions of x's nonzero elements (NaN counts as nonzero, as in C++). */
function nonzeroFlat(x: Tensor): number[] {
  const v = K.values(x), out: number[] = [];
  for (let k = 0; k < v.length; k++) if (v[k] !== 0) out.push(k);
  return out;
}

/** nonzero(x) as one int64 tensor per dim of x, each of length n. */
function nonzeroColumns(x: Tensor): Tensor[] {
  const flat = nonzeroFlat(x), st = contiguousStrides(x.shape);
  return x.shape.map((s, d) => {
    const col = new BigInt64Array(flat.length);
    flat.forEach((k, i) => { col[i] = BigInt(Math.floor(k / st[d]!) % s); });
    return Tensor.fromStorage(col, [flat.length], int64);
  });
}

/** torch.nonzero(x): int64 [n, x.ndim] of the nonzero elements' indices; {as_tuple: true}: one
 *  1-d tensor per dim (a 0-d x counts as 1-d there, as PyTorch's nonzero_numpy). */
export function nonzero(x: Tensor, opts: { as_tuple: true }): Tensor[];
export function nonzero(x: Tensor, opts?: { as_tuple?: boolean }): Tensor;
export function nonzero(x: Tensor, opts?: { as_tuple?: boolean }): Tensor | Tensor[] {
  // (on a device: its kernels, the count read back; as_tuple's columns are views, as PyTorch's)
  const onDevice = K.nonzeroIndices(opts?.as_tuple && x.ndim === 0 ? x.reshape(1) : x);
  if (onDevice) return opts?.as_tuple ? onDevice.unbind(1) : onDevice;
  if (opts?.as_tuple) return nonzeroColumns(x.ndim === 0 ? x.reshape(1) : x).map((c) => K.onDeviceOf(c, x, "nonzero"));
  const cols = nonzeroColumns(x), n = nonzeroFlat(x).length, out = new BigInt64Array(n * x.ndim);
  cols.forEach((c, d) => { const v = c._storage.data as BigInt64Array; for (let i = 0; i < n; i++) out[i * x.ndim + d] = v[i]!; });
  return K.onDeviceOf(Tensor.fromStorage(out, [n, x.ndim], int64), x, "nonzero");
}

export function argwhere(x: Tensor): Tensor { return nonzero(x); }

/** torch.where(condition, input, other), and torch.where(condition) = nonzero(condition, {as_tuple: true}). */
export function where(condition: Tensor): Tensor[];
export function where(condition: Tensor, input: TensorOrScalar, other: TensorOrScalar): Tensor;
export function where(condition: Tensor, input?: TensorOrScalar, other?: TensorOrScalar): Tensor | Tensor[] {
  if (input === undefined && other === undefined) return nonzero(condition, { as_tuple: true });
  if (input === undefined || other === undefined) throw new TypeError("where() missing required argument: 'input' and 'other' go together");
  return where3(condition, input, other);
}

// ---- masked_select, take, index_fill --------------------------------------------------------------

/** torch.masked_select(x, mask): the elements of x (broadcast with mask) where mask is true, 1-d. */
export function masked_select(x: Tensor, mask: Tensor): Tensor {
  if (mask.dtype !== bool) throw new Error("masked_select: expected BoolTensor for mask"); // (2.x: uint8 masks too)
  const b = broadcastShapes(mask.shape, x.shape);
  const shape = b.length ? b : [1]; // the result is 1-d even for 0-d operands
  const m = K.broadcastView(mask, shape);
  if (mask.dtype === uint8 && Array.from(K.values(mask)).some((v) => v > 1)) throw new Error("Mask tensor can take 0 and 1 values only");
  const cols = nonzeroColumns(m);
  // x broadcast, indexed by the mask's coordinates: the same gather aten::index does
  const y = indexTensors(K.broadcastView(x.detach(), shape), cols);
  return record("MaskedSelectBackward0", [x], y, ([g]) => [indexPutTensors(Tensor.empty(shape, g!.dtype, g!.device), cols, g!, true)]);
}

/** torch.masked_scatter(x, mask, source): x and mask broadcast together, with the places where
 *  mask is true filled in row-major order from source's first elements. As 2.x: the mask must be
 *  bool and source of x's dtype, checked (with the count) before anything is written. */
export function masked_scatter(x: Tensor, mask: Tensor, source: Tensor): Tensor {
  if (x.dtype !== source.dtype)
    throw new Error(`masked_scatter_: expected self and source to have same dtypes but got ${scalarTypeName(x.dtype)} and ${scalarTypeName(source.dtype)}`);
  if (mask.dtype !== bool) throw new Error(`masked_scatter_ only supports boolean masks, but got mask with dtype ${scalarTypeName(mask.dtype)}`);
  const shape = broadcastShapes(mask.shape, x.shape), flat = shape.length ? shape : [1];
  const cols = nonzeroColumns(K.broadcastView(mask.reshape(mask.ndim ? [...mask.shape] : [1]), flat));
  const count = cols[0]!.numel();
  if (count > source.numel()) throw new Error("Number of elements of source < number of ones in mask");
  const xs = K.contiguousCopy(K.broadcastView(x.detach().reshape(x.ndim ? [...x.shape] : [1]), flat));
  const y = reshaped(indexPutTensors(xs, cols, source.detach().reshape(-1).narrow(0, 0, count), false), shape);
  const sourceShape = source.shape.slice(), n = source.numel();
  return record("MaskedScatterBackward0", [x, source], y, ([g], _saved, needs) => {
    // source's gradient: g at the filled places, then zeros for the source elements left unused
    let gs: Tensor | null = null;
    if (needs[1]) {
      const picked = g!.masked_select(mask);
      gs = (count < n ? cat([picked, zeros([n - count], { dtype: g!.dtype, device: g!.device })], 0) : picked).view(sourceShape);
    }
    return [needs[0] ? g!.masked_fill(mask, 0) : null, gs];
  });
}

/** torch.take(x, index): x read as 1-d at `index` (int64), in index's shape. */
export function take(x: Tensor, index: Tensor): Tensor {
  if (index.dtype !== int64) throw new Error(`take(): Expected a long tensor for index, but got ${scalarTypeName(index.dtype)}`);
  const n = x.numel();
  if (n === 0 && index.numel() > 0) throw new RangeError("take(): tried to take from an empty tensor");
  const iv = K.values(index);
  for (let k = 0; k < iv.length; k++)
    if (iv[k]! < -n || iv[k]! >= n) throw new RangeError(`out of range: tried to access index ${iv[k]} on a tensor of ${n} elements.`);
  const flatIdx = [index.reshape(-1)];
  const y = reshaped(indexTensors(x.detach().reshape(-1), flatIdx), index.shape);
  const shape = x.shape.slice();
  return record("TakeBackward0", [x], y, ([g]) => [indexPutTensors(Tensor.empty([n], g!.dtype, g!.device), flatIdx, g!.reshape(-1), true).view(shape)]);
}

/** torch.index_fill(x, dim, index, value): x with the slices at `index` along dim set to value. */
export function index_fill(x: Tensor, dim: number, index: Tensor, value: Scalar | Tensor): Tensor {
  if (index.dtype !== int64) throw new RangeError("index_fill_(): Expected dtype int64 for index.");
  if (value instanceof Tensor && value.ndim !== 0)
    throw new Error(`index_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  const d = normDim(dim, x.ndim);
  if (index.ndim > 1) throw new Error("Index has to be a vector/scalar");
  const size = x.ndim === 0 ? 1 : x.shape[d]!, iv = K.values(index);
  for (let k = 0; k < iv.length; k++)
    if (iv[k]! < -size || iv[k]! >= size) throw new RangeError(`index ${iv[k]} is out of bounds for dimension ${d} with size ${size}`);
  const vT = value instanceof Tensor ? value : null;
  const v = vT ? vT.detach().to(x.dtype) : scalarTensor(value as Scalar, x.dtype);
  // a 0-d x is filled as 1-d of one element
  const xs = x.ndim === 0 ? x.detach().reshape(1) : x.detach();
  const idx = [...Array<null>(d).fill(null), index.reshape(-1)];
  const y = reshaped(indexPutTensors(xs, idx, v, false), x.shape);
  return record(vT ? "IndexFillBackward1" : "IndexFillBackward0", [x, vT], y, ([g]) => {
    const kept = g!.index_fill(d, index, 0);
    // value's gradient: g summed over the filled places, each counted once however often index names it
    return [kept, vT ? g!.sub(kept).sum() : null];
  });
}

// ---- repeat, tile, roll -----------------------------------------------------------------------------

/** x.repeat(...sizes): x tiled sizes[i] times along each dim (leading sizes add dims). */
export function repeat(x: Tensor, ...sizes: (number | number[])[]): Tensor {
  const reps = parseSize(sizes);
  if (reps.length < x.ndim) throw new Error("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor");
  const padded = [...Array<number>(reps.length - x.ndim).fill(1), ...x.shape];
  const outShape = padded.map((s, i) => s * reps[i]!);
  checkSizeNonNegative(outShape);
  // [r0, s0, r1, s1, …]: each dim read r times through a stride-0 view, copied once
  const inter = padded.flatMap((s, i) => [reps[i]!, s]);
  const src = x.detach().reshape(padded.flatMap((s) => [1, s])).expand(inter);
  const y = reshaped(K.contiguousCopy(src), outShape);
  const inShape = x.shape.slice(), repDims = reps.map((_, i) => 2 * i);
  return record("RepeatBackward0", [x], y, ([g]) => [repDims.length ? g!.reshape(inter).sum(repDims).reshape(inShape) : g!]);
}

/** torch.tile(x, dims): repeat, with dims padded by leading 1s to x's rank. */
export function tile(x: Tensor, ...dims: (number | number[])[]): Tensor {
  const reps = parseSize(dims);
  return repeat(x, [...Array<number>(Math.max(x.ndim - reps.length, 0)).fill(1), ...reps]);
}

/** torch.roll(x, shifts, dims?): elements shifted along dims, wrapping around; without dims, x is
 *  rolled as if flattened. */
export function roll(x: Tensor, shifts: number | number[], dims?: number | number[] | null): Tensor {
  const sh = Array.isArray(shifts) ? shifts : [shifts];
  const ds = dims === undefined || dims === null ? [] : Array.isArray(dims) ? dims : [dims];
  if (sh.length === 0) throw new Error("`shifts` required");
  const flat = ds.length === 0 && sh.length === 1;
  if (!flat && sh.length !== ds.length) throw new Error(`shifts and dimensions must align. shifts: ${sh.length}, dims:${ds.length}`);
  const nd = ds.map((d) => normDim(d, x.ndim, false));
  let r = flat ? x.detach().reshape(-1) : x.detach();
  (flat ? [0] : nd).forEach((d, i) => {
    const n = r.shape[d]!, k = n === 0 ? 0 : ((sh[i]! % n) + n) % n;
    if (k) r = cat([r.narrow(d, n - k, k), r.narrow(d, 0, n - k)], d);
  });
  const y = reshaped(K.contiguousCopy(r), x.shape);
  return record("RollBackward0", [x], y, ([g]) => [g!.roll(sh.map((s) => -s), flat ? null : nd)]);
}

// ---- repeat_interleave ------------------------------------------------------------------------------

/** torch.repeat_interleave's keyword arguments: `dim` (also positional) and the keyword-only `output_size`. */
export interface RepeatInterleaveOpts { dim?: number | null; output_size?: number | null }

/** Python's TypeError for an argument no overload of repeat_interleave takes (a float count, no repeats). */
const badRepeatArgs = (got: string): TypeError =>
  new TypeError(`repeat_interleave() received an invalid combination of arguments - got (${got}), but expected one of:\n` +
    " * (Tensor repeats, *, int output_size)\n * (Tensor input, Tensor repeats, int dim, *, int output_size)\n" +
    " * (Tensor input, int repeats, int dim, *, int output_size)");

/**
 * The counts of aten::repeat_interleave.Tensor (Repeat.h's repeat_interleave_common with Repeat.cpp's
 * CPU kernel), checked in PyTorch 2.x's order: the kernel's dispatch (int32 and int64 only), 1-d,
 * then without output_size none negative, with it the total (negative counts included) against
 * output_size first and the signs after, as the kernel reads them.
 * `expandTo`: a one-element repeats broadcast to that many counts (the self_Tensor overload's
 * reshape({1}).expand), read only once its dtype has passed. On the device the counts' sum and
 * least are read back at once (one readback: the result's size, as on PyTorch's MPS device).
 */
function checkRepeatCounts(repeats: Tensor, output_size: number | null | undefined, expandTo?: number): { counts: Tensor; total: number } {
  const d = repeats.dtype;
  if (d !== int64 && d !== int32) throw new Error(`"repeat_interleave_cpu" not implemented for '${scalarTypeName(d)}'`);
  if (expandTo === undefined && repeats.ndim !== 1) throw new Error("repeat_interleave only accept 1D vector as repeat");
  const counts = expandTo === undefined ? repeats : repeats.reshape(1).expand(expandTo);
  if (counts.numel() === 0) return { counts, total: 0 }; // empty_like(repeats), output_size unread
  let total = 0, least = 0;
  if (counts.device.type !== "cpu") [total, least] = (stack([counts.sum(), counts.amin()]).tolist() as number[]).map(Number) as [number, number];
  else {
    const v = K.values(counts);
    least = v[0]!;
    for (let i = 0; i < v.length; i++) { total += v[i]!; least = Math.min(least, v[i]!); }
  }
  const negative = () => { if (least < 0) throw new Error("repeats can not be negative"); };
  if (output_size === undefined || output_size === null) negative();
  else {
    checkSizeNonNegative([output_size]); // at::empty({output_size})
    if (output_size !== total) throw new Error("allocated size does not match required size");
    negative();
  }
  return { counts, total };
}

/** [0, …(counts[0] times), 1, …, n-1 …] in `dtype` (the repeats' own: int32 repeats give int32
 *  indices), on the counts' device. */
function repeatedIndices(counts: Tensor, total: number, dtype: DType): Tensor {
  const onDevice = K.repeatedIndices(counts, total, dtype);
  if (onDevice !== null) return onDevice;
  const c = K.values(counts), out = new Float64Array(total);
  for (let i = 0, k = 0; i < c.length; i++) out.fill(i, k, (k += c[i]!));
  return Tensor.fromStorage(K.fromNumbers(out, dtype), [total], dtype);
}

/**
 * torch.repeat_interleave(input, repeats, dim = null, {output_size}): each element (each slice along
 * `dim`) repeated, numpy.repeat's way; without dim, input is flattened first. `repeats` is a count, a
 * 0-d or one-element tensor (broadcast), or an int64/int32 tensor of input.size(dim) counts.
 * torch.repeat_interleave(repeats, {output_size}) is the one-argument form: the indices
 * [0 × repeats[0], 1 × repeats[1], …] in repeats' dtype.
 *
 * Both overloads are CompositeImplicitAutograd in 2.x (Repeat.cpp), so they are written here in the
 * ops PyTorch decomposes them into and record what those ops record:
 * - an integer count (2.x, since 2.1): x unsqueezed after dim, expanded, copied and flattened back,
 *   grad_fn the flatten's ViewBackward0 and the gradient the expand's sum over each group
 *   (1.13 turned the count into a tensor and took the index_select path: IndexSelectBackward0);
 * - a tensor of counts: x.index_select(dim, repeat_interleave(repeats)), IndexSelectBackward0.
 * Every check runs before the first op, in PyTorch's order, so a bad call allocates nothing.
 */
export function repeat_interleave(repeats: Tensor, opts?: { output_size?: number | null }): Tensor;
export function repeat_interleave(x: Tensor, repeats: number | Tensor, dim?: number | null | RepeatInterleaveOpts, opts?: RepeatInterleaveOpts): Tensor;
export function repeat_interleave(
  x: Tensor, repeats?: number | Tensor | RepeatInterleaveOpts, dim?: number | null | RepeatInterleaveOpts, opts?: RepeatInterleaveOpts,
): Tensor {
  if (repeats === undefined || isOptions(repeats)) {
    if (dim !== undefined || opts !== undefined) throw badRepeatArgs("Tensor, dict, ...");
    const { counts, total } = checkRepeatCounts(x, (repeats as RepeatInterleaveOpts | undefined)?.output_size);
    return repeatedIndices(counts, total, x.dtype);
  }
  const o: RepeatInterleaveOpts = {};
  for (const a of [dim, opts]) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) o.dim = a as number | null;
  }
  const d = o.dim ?? null, output_size = o.output_size ?? null;
  if (typeof repeats === "number") {
    if (!Number.isInteger(repeats)) throw badRepeatArgs("Tensor, float");
    return repeatInterleaveCount(x, repeats, d, output_size);
  }
  return repeatInterleaveTensor(x, repeats as Tensor, d, output_size);
}

/** The self_int overload, as 2.x's repeat_interleave_symint(self, SymInt repeats, …). */
function repeatInterleaveCount(x: Tensor, repeats: number, dim: number | null, output_size: number | null): Tensor {
  const d = normDim(dim ?? 0, x.ndim); // wrapped against self's rank, as 2.x (a 0-d self takes 0 and -1)
  if (repeats < 0) throw new Error("Repeats must be non-negative");
  const inShape = dim === null ? [x.numel()] : x.shape;
  normDim(d + 1, inShape.length + 1, false); // unsqueeze(d + 1)'s check: a 0-d self with a dim fails here in 2.x
  const size = inShape[d]!;
  if (output_size !== null && output_size !== repeats * size)
    throw new Error(`repeat_interleave: Invalid output_size, expected ${repeats * size} but got ${output_size}`);
  const input = dim === null ? x.flatten() : x;
  const u = input.unsqueeze(d + 1);
  const shape = u.shape.slice();
  shape[d + 1] = repeats;
  // clone(Contiguous) then flatten: a view of a contiguous copy, so ViewBackward0 as 2.x's reshape gives
  return u.expand(shape).clone().flatten(d, d + 1);
}

/** The self_Tensor overload, as 2.x's repeat_interleave_symint(self, Tensor repeats, …). */
function repeatInterleaveTensor(x: Tensor, repeats: Tensor, dim: number | null, output_size: number | null): Tensor {
  const inShape = dim === null ? [x.numel()] : x.shape;
  const d = dim ?? 0;
  // input.size(dim): wrapped without scalar wrapping, so a 0-d self with a dim fails here
  const sizeAt = (): number => inShape[normDim(d, inShape.length, false)]!;
  let expandTo: number | undefined;
  if (repeats.ndim === 0 || (repeats.ndim === 1 && repeats.shape[0] === 1)) {
    expandTo = sizeAt(); // repeats.reshape({1}).expand({input.size(dim)})
  } else if (repeats.ndim === 1) {
    const n = sizeAt();
    if (repeats.shape[0] !== n)
      throw new Error(`repeats must have the same size as input along dim, but got repeats.size(0) = ${repeats.shape[0]} and input.size(${d}) = ${n}`);
  } else throw new Error("repeats must be 0-dim or 1-dim tensor");
  const c = checkRepeatCounts(repeats, output_size, expandTo);
  const index = repeatedIndices(c.counts, c.total, repeats.dtype);
  // the one op that records: IndexSelectBackward0, whose backward (index_add) sums each group
  return (dim === null ? x.flatten() : x).index_select(d, index);
}

// ---- tril, triu -----------------------------------------------------------------------------------

function triangle(x: Tensor, diagonal: number, upper: boolean): Tensor {
  const name = upper ? "triu" : "tril";
  // 2.x's wording (1.13 fails on the dim lookup instead)
  if (x.ndim < 2) throw new Error(`${name}: input tensor must have at least 2 dimensions`);
  const [m, n] = x.shape.slice(-2) as [number, number];
  const keep = new Uint8Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) keep[i * n + j] = (upper ? j - i >= diagonal : j - i <= diagonal) ? 1 : 0;
  const y = K.where(K.onDeviceOf(Tensor.fromStorage(keep, [m, n], bool), x), x, Tensor.empty([], x.dtype), x.dtype, x.shape);
  return record(upper ? "TriuBackward0" : "TrilBackward0", [x], y, ([g]) => [triangle(g!, diagonal, upper)]);
}
export const tril = (x: Tensor, diagonal = 0): Tensor => triangle(x, diagonal, false);
export const triu = (x: Tensor, diagonal = 0): Tensor => triangle(x, diagonal, true);

// ---- diag, diag_embed -------------------------------------------------------------------------------

/** Zeros of `shape` with src on the diagonal (offset, d1, d2): the adjoint of diagonal(). */
function onDiagonal(src: Tensor, shape: readonly number[], offset: number, d1: number, d2: number): Tensor {
  const out = Tensor.empty(shape, src.dtype, src.device);
  K.copyInto(out.diagonal(offset, d1, d2), src);
  return out;
}

/** PyTorch's diagonal_backward as an op of its own, so double backward works. */
function diagonalBackward(g: Tensor, shape: readonly number[], offset: number, d1: number, d2: number): Tensor {
  const y = onDiagonal(g.detach(), shape, offset, d1, d2);
  return record("DiagonalBackwardBackward0", [g], y, ([gg]) => [gg!.diagonal(offset, d1, d2)]);
}

/** torch.diag_embed(x, offset = 0, dim1 = -2, dim2 = -1): x's last dim on the diagonal of two new dims. */
export function diag_embed(x: Tensor, offset = 0, dim1 = -2, dim2 = -1): Tensor {
  const nd = x.ndim + 1, a = normDim(dim1, nd), b = normDim(dim2, nd);
  if (a === b) throw new Error(`diagonal dimensions cannot be identical ${dim1}, ${dim2}`);
  const n = x.shape[x.ndim - 1]! + Math.abs(offset);
  const rest = x.shape.slice(0, -1);
  let k = 0;
  const shape = [...Array(nd).keys()].map((d) => (d === a || d === b ? n : rest[k++]!));
  const y = onDiagonal(x.detach(), shape, offset, a, b);
  return record("DiagEmbedBackward0", [x], y, ([g]) => [g!.diagonal(offset, a, b)]);
}

/** torch.diag(x, diagonal = 0): a 1-d x on the diagonal of a square matrix, or a copy of a 2-d x's diagonal.
 *  As 2.x, this is diag_embed for 1-d (DiagEmbedBackward0) and diagonal_copy for 2-d, whose node the
 *  autograd codegen names DiagonalBackward0_copy (1.13 had one DiagBackward0). */
export function diag(x: Tensor, diagonal = 0): Tensor {
  if (x.ndim !== 1 && x.ndim !== 2) throw new Error(`diag(): Supports 1D or 2D tensors. Got ${x.ndim}D`);
  if (x.ndim === 1) return diag_embed(x, diagonal, 0, 1);
  const y = K.contiguousCopy(x.detach().diagonal(diagonal));
  const shape = x.shape.slice();
  return record("DiagonalBackward0_copy", [x], y, ([g]) => [diagonalBackward(g!, shape, diagonal, 0, 1)]);
}

// ---- methods ----------------------------------------------------------------------------------------

type FillOpts = boolean | { accumulate?: boolean };
installMethods({
  index, index_put, index_put_, nonzero, argwhere, masked_select, masked_scatter, take, index_fill, repeat, tile, roll, tril, triu, diag, diag_embed,
  // the method has no one-argument form: Tensor.repeat_interleave needs repeats, as in Python
  repeat_interleave: (x: Tensor, repeats?: number | Tensor, dim?: number | null | RepeatInterleaveOpts, opts?: RepeatInterleaveOpts) => {
    if (repeats === undefined || isOptions(repeats)) throw badRepeatArgs("");
    return repeat_interleave(x, repeats, dim, opts);
  },
  masked_scatter_: (x: Tensor, mask: Tensor, source: Tensor) => {
    mask.expand([...x.shape]); // expand_inplace's check (and its errors): the result keeps x's shape
    return inplace(x, () => masked_scatter(x, mask, source));
  },
  tril_: (x: Tensor, diagonal = 0) => inplace(x, () => tril(x, diagonal), "allow"),
  triu_: (x: Tensor, diagonal = 0) => inplace(x, () => triu(x, diagonal), "allow"),
  index_fill_: (x: Tensor, dim: number, index: Tensor, value: Scalar | Tensor) => inplace(x, () => index_fill(x, dim, index, value), INDEX_FILL_OVERLAP),
});

declare module "../core/tensor.js" {
  interface Tensor {
    /** Python's x[items] (see index_ops.ts `index`). */
    index(...items: Index[]): Tensor;
    index_put_(indices: readonly Index[], values: TensorOrScalar, accumulate?: FillOpts): Tensor;
    index_put(indices: readonly Index[], values: TensorOrScalar, accumulate?: FillOpts): Tensor;
    nonzero(opts: { as_tuple: true }): Tensor[];
    nonzero(opts?: { as_tuple?: boolean }): Tensor;
    argwhere(): Tensor;
    masked_select(mask: Tensor): Tensor;
    masked_scatter(mask: Tensor, source: Tensor): Tensor;
    masked_scatter_(mask: Tensor, source: Tensor): Tensor;
    take(index: Tensor): Tensor;
    index_fill(dim: number, index: Tensor, value: Scalar | Tensor): Tensor;
    index_fill_(dim: number, index: Tensor, value: Scalar | Tensor): Tensor;
    repeat(...sizes: (number | number[])[]): Tensor;
    /** x.repeat_interleave(repeats, dim?, {output_size}) (see index_ops.ts `repeat_interleave`). */
    repeat_interleave(repeats: number | Tensor, dim?: number | null | RepeatInterleaveOpts, opts?: RepeatInterleaveOpts): Tensor;
    tile(...dims: (number | number[])[]): Tensor;
    roll(shifts: number | number[], dims?: number | number[] | null): Tensor;
    tril(diagonal?: number): Tensor; triu(diagonal?: number): Tensor;
    tril_(diagonal?: number): Tensor; triu_(diagonal?: number): Tensor;
    diag(diagonal?: number): Tensor;
    diag_embed(offset?: number, dim1?: number, dim2?: number): Tensor;
  }
}
