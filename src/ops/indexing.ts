// Joining, flipping, gathering and scattering.

import { Tensor } from "../core/tensor.js";
import { type DType, bool, int64, promote_types, cppTypeName } from "../core/dtype.js";
import { normDim, contiguousStrides, numel, broadcastShapes, sameShape } from "../core/shape.js";
import * as K from "../backends/index.js";
import { suggestMemoryFormat, stridesFor } from "../core/memory_format.js";
import { record } from "../autograd/record.js";
import { is_grad_enabled, no_grad } from "../autograd/grad_mode.js";
import { installMethods, resultType, type TensorOrScalar, asTensor, warnOnce } from "./util.js";
import { inplace } from "./inplace.js";

/** (Note [Internal overlap] in inplace.ts) */
const MASKED_FILL_OVERLAP = { warn: "Use of masked_fill_ on expanded tensors is deprecated. Please clone() the tensor before performing this operation. This also applies to advanced indexing e.g. tensor[mask] = scalar" };
import { checkIndexInRange, checkIndexOp } from "./_helpers.js";

export function cat(tensors: readonly Tensor[], dim: number | { dim?: number } = 0): Tensor {
  const dimArg = typeof dim === "number" ? dim : dim.dim ?? 0;
  if (tensors.length === 0) throw new Error("torch.cat(): expected a non-empty list of Tensors");
  // Legacy behaviour kept by PyTorch: 1-d empty tensors are skipped.
  const parts = tensors.filter((t) => !(t.ndim === 1 && t.shape[0] === 0));
  const ref = parts[0] ?? tensors[0]!;
  if (ref.ndim === 0) throw new Error("zero-dimensional tensor (at position 0) cannot be concatenated");
  const d = normDim(dimArg, ref.ndim);
  let dtype: DType = tensors[0]!.dtype;
  for (const t of tensors) dtype = promote_types(dtype, t.dtype);
  parts.forEach((t, i) => {
    if (t.ndim !== ref.ndim) throw new Error(`Tensors must have same number of dimensions: got ${ref.ndim} and ${t.ndim}`);
    t._shape.forEach((s, k) => {
      if (k !== d && s !== ref._shape[k]) throw new Error(`Sizes of tensors must match except in dimension ${d}. Expected size ${ref._shape[k]} but got size ${s} for tensor number ${i} in the list.`);
    });
  });
  const shape = ref._shape.slice();
  shape[d] = parts.reduce((a, t) => a + t._shape[d]!, 0);
  // the parts' memory format where they agree, else contiguous (cat_compute_output_memory_format)
  const fmts = new Set(parts.map((t) => suggestMemoryFormat(t._shape, t._strides)));
  const st = fmts.size === 1 ? stridesFor(shape, [...fmts][0]!) : contiguousStrides(shape);
  const out = Tensor.empty(shape, dtype, K.operandsDevice(parts), false, st); // (the parts cover it)
  let off = 0;
  const sizes: number[] = [];
  for (const t of parts) {
    // an empty part (e.g. [0, 1] beside [0, 2] along dim 1) has nothing to copy, and its offset may lie past the end
    if (t.numel() > 0) K.copyInto(new Tensor(out._storage, t._shape.slice(), st, off * st[d]!, dtype, out.device), t);
    off += t._shape[d]!; sizes.push(t._shape[d]!);
  }
  const inputs = tensors.slice();
  return record("CatBackward0", inputs, out, ([g]) => {
    let o = 0, j = 0;
    return inputs.map((t) => {
      if (t.ndim === 1 && t.shape[0] === 0 && ref.ndim !== 1) return g!.new_zeros([0]); // skipped legacy empty input
      const n = sizes[j++] ?? 0;
      const r = g!.narrow(d, o, n); o += n;
      return r;
    });
  });
}
export const concat = cat, concatenate = cat;

export function stack(tensors: readonly Tensor[], dim = 0): Tensor {
  if (tensors.length === 0) throw new Error("stack expects a non-empty TensorList");
  const s0 = tensors[0]!._shape;
  tensors.forEach((t, i) => {
    if (t._shape.length !== s0.length || t._shape.some((s, k) => s !== s0[k]))
      throw new Error(`stack expects each tensor to be equal size, but got [${s0.join(", ")}] at entry 0 and [${t.shape.join(", ")}] at entry ${i}`);
  });
  const d = normDim(dim, s0.length + 1);
  // values through cat on detached inputs, as PyTorch's stack: along an existing dim, cat then
  // that dim split in two (so the result keeps the inputs' memory format), the split being the
  // result's own geometry over cat's fresh storage, not a view (stack's result has no base in
  // PyTorch: an in-place op on it is an ordinary one); after the last dim, cat of the inputs
  // unsqueezed there. The node is stack's own (StackBackward0: unbind).
  const detached = tensors.map((t) => t.detach());
  let out = cat(d < s0.length ? detached : detached.map((t) => t.unsqueeze(d)), d);
  if (d < s0.length) {
    const split = out.view([...s0.slice(0, d), tensors.length, ...s0.slice(d)]);
    out = new Tensor(split._storage, split._shape, split._strides, split._offset, split.dtype, split.device);
  }
  const inputs = tensors.slice();
  return record("StackBackward0", inputs, out, ([g]) => inputs.map((t, i) => {
    const gi = g!.select(d, i);
    return gi.dtype === t.dtype ? gi : gi.to(t.dtype);
  }));
}
export const hstack = (ts: readonly Tensor[]) => cat(ts.map((t) => (t.ndim === 0 ? t.reshape(1) : t)), ts[0]!.ndim <= 1 ? 0 : 1);
export const vstack = (ts: readonly Tensor[]) => cat(ts.map((t) => (t.ndim < 2 ? t.reshape(1, -1) : t)), 0);

export function flip(x: Tensor, ...dims: (number | number[])[]): Tensor {
  const list = (dims.length === 1 && Array.isArray(dims[0]) ? dims[0] : dims) as number[];
  const nd = list.map((d) => normDim(d, x.ndim));
  nd.forEach((d, i) => { if (nd.indexOf(d) !== i) throw new Error(`dim ${d} appears multiple times in the list of dims`); });
  // a reversed view (negative strides) copied out: PyTorch's flip returns a copy too
  let offset = x._offset;
  const strides = x._strides.slice();
  for (const d of nd) { if (x.shape[d]! > 0) offset += (x.shape[d]! - 1) * strides[d]!; strides[d] = -strides[d]!; }
  const y = K.contiguousCopy(new Tensor(x._storage, x.shape.slice(), strides, offset, x.dtype));
  return record("FlipBackward0", [x], y, ([g]) => [g!.flip(nd)]);
}
export const fliplr = (x: Tensor) => flip(x, [1]);
export const flipud = (x: Tensor) => flip(x, [0]);

/** gather's and scatter's index shape (gather_shape_check, scatter_shape_check): no larger than
 *  self apart from dim d, and, for scatter, no larger than src; else the index would read or
 *  write past them. */
export function checkIndexShape(self: Tensor, d: number, index: Tensor, src: Tensor | null, op: "gather" | "scatter"): void {
  // ensure_nonempty_dim / ensure_nonempty_size: a 0-d tensor counts as one element along one dim
  const dims = (t: Tensor) => Math.max(t.ndim, 1), size = (t: Tensor, i: number) => (t.ndim === 0 ? 1 : t.shape[normDim(i, t.ndim)]!);
  const sh = (t: Tensor) => `[${t.shape.join(", ")}]`;
  if (op === "gather") {
    if (dims(index) !== dims(self)) throw new Error("Index tensor must have the same number of dimensions as input tensor");
    for (let a = 0; a < dims(self); a++)
      if (a !== d && size(index, a) > size(self, a))
        throw new Error(`Size does not match at dimension ${a} expected index ${sh(index)} to be no larger than self ${sh(self)} apart from dimension ${d}`);
    return;
  }
  if (index.numel() === 0) return;
  if (dims(index) !== dims(self)) throw new Error("Index tensor must have the same number of dimensions as self tensor");
  let wrong = false;
  for (let a = 0; a < dims(self) && !wrong; a++) wrong = a !== d && size(index, a) > size(self, a);
  // (src's sizes are read along self's dims: fewer dims is an index error, as PyTorch's loop meets it)
  for (let a = 0; src && a < dims(self) && !wrong; a++) wrong = size(index, a) > size(src, a);
  if (src && dims(src) !== dims(index)) throw new Error("Index tensor must have the same number of dimensions as src tensor");
  if (wrong)
    throw new Error(`Expected index ${sh(index)} to be no larger than self ${sh(self)} apart from dimension ${d}${src ? ` and to be no larger size than src ${sh(src)}` : ""}`);
}

/** A 0-d tensor as one element along one dim (ensure_nonempty_dim), for the gather and scatter
 *  kernels, which take operands of equal rank; and a fresh contiguous result given its shape back. */
const nonempty = (t: Tensor): Tensor => (t.ndim === 0 ? new Tensor(t._storage, [1], [1], t._offset, t.dtype, t.device) : t);
const reshaped = (t: Tensor, shape: readonly number[]): Tensor =>
  (t.ndim === shape.length ? t : new Tensor(t._storage, shape.slice(), contiguousStrides(shape), t._offset, t.dtype, t.device));

/** gather's and scatter's index dtype: int64, or int32 since PyTorch 2.x. */
function checkIndexTensor(index: Tensor, op: string): void {
  if (index.dtype !== int64 && index.dtype.name !== "int32") throw new Error(`${op}(): Expected dtype int32/int64 for index`);
}

export function gather(x: Tensor, dim: number, index: Tensor): Tensor {
  checkIndexTensor(index, "gather");
  const d = normDim(dim, Math.max(x.ndim, 1));
  checkIndexShape(x, d, index, null, "gather");
  // (the kernel checks the indices: no negative ones, unlike indexing; PyTorch's bounds error)
  const out = reshaped(K.gather(nonempty(x.detach()), d, nonempty(index)), index.shape);
  const inShape = x.shape.slice();
  return record("GatherBackward0", [x], out, ([g]) => [g!.new_zeros(inShape).scatter_add(d, index, g!)]);
}

function scatterImpl(x: Tensor, dim: number, index: Tensor, src: Tensor | number, reduce: "none" | "add"): Tensor {
  checkIndexTensor(index, reduce === "add" ? "scatter_add" : "scatter");
  if (src instanceof Tensor && src.dtype !== x.dtype) throw new Error("scatter(): Expected self.dtype to be equal to src.dtype");
  const d = normDim(dim, Math.max(x.ndim, 1));
  checkIndexShape(x, d, index, src instanceof Tensor ? src : null, "scatter");
  // (the kernel checks the indices and writes a copy of x: an error changes nothing)
  const res = reshaped(K.scatter(nonempty(x.detach()), d, nonempty(index), src instanceof Tensor ? nonempty(src.detach()) : src, reduce === "add"), x.shape);
  const srcT = src instanceof Tensor ? src : null;
  return record(reduce === "add" ? "ScatterAddBackward0" : srcT ? "ScatterBackward0" : "ScatterBackward1", [x, srcT], res, ([g]) => [
    reduce === "add" ? g! : g!.scatter(d, index, 0),
    srcT ? g!.gather(d, index) : null,
  ]);
}
/** x.scatter(dim, index, src, {reduce}): `reduce` ("add" or "multiply") combines instead of
 *  writing, PyTorch's legacy form (scatter_reduce's predecessor: a deprecation warning for a tensor
 *  src, and no derivative: its node's backward throws, as PyTorch's NotImplemented node). */
export function scatter(x: Tensor, dim: number, index: Tensor, src: Tensor | number, opts?: { reduce?: string }): Tensor {
  const reduce = opts?.reduce;
  if (reduce === undefined) return scatterImpl(x, dim, index, src, "none");
  if (reduce !== "add" && reduce !== "multiply") throw new Error("reduce argument must be either add or multiply.");
  if (src instanceof Tensor)
    warnOnce("The reduce argument of torch.scatter with Tensor src is deprecated and will be removed in a future PyTorch release. Use torch.scatter_reduce instead for more reduction options.");
  const y = no_grad(() => {
    const s = src instanceof Tensor ? src : asTensor(src, x.dtype).expand(index.shape.slice());
    return reduce === "add" ? scatterImpl(x, dim, index, s, "add") : x.scatter_reduce(dim, index, s, "prod");
  });
  return record("NotImplemented", [x, src instanceof Tensor ? src : null], y, () => { throw new Error("derivative for aten::scatter is not implemented"); });
}
export const scatter_add = (x: Tensor, dim: number, index: Tensor, src: Tensor) => scatterImpl(x, dim, index, src, "add");

export function index_select(x: Tensor, dim: number, index: Tensor): Tensor {
  if (index.ndim > 1) throw new Error("index_select(): Index is supposed to be a vector");
  if (index.dtype !== int64 && index.dtype.name !== "int32") throw new Error("index_select(): Expected dtype int32 or int64 for index");
  const d = normDim(dim, Math.max(x.ndim, 1));
  const idx = K.values(index);
  const size = x.ndim === 0 ? 1 : x.shape[d]!;
  for (let k = 0; k < idx.length; k++) {
    const i = idx[k]!;
    // no negative indices; PyTorch's CPU kernel words the check by its path: the dim-0 copy, or
    // the strided gather along an inner dim
    if (i < 0 || i >= size)
      throw new RangeError(x.ndim > 1 && d > 0 ? `INDICES element is out of DATA bounds, id=${i} axis_dim=${size}` : "index out of range in self");
  }
  const inShape = x.shape.slice();
  const y = x.ndim === 0 ? (idx.length ? K.contiguousCopy(x.detach()) : Tensor.empty([], x.dtype)) : K.indexSelect(x.detach(), d, idx);
  return record("IndexSelectBackward0", [x], y, ([g]) => [g!.new_zeros(inShape).index_add(d, index.reshape(-1), g!)]);
}

/** x.index_add(dim, index, source, {alpha}) */
export function index_add(x: Tensor, dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor {
  const d = normDim(dim, Math.max(x.ndim, 1));
  const alpha = opts?.alpha ?? 1;
  checkIndexOp("index_add_", x, d, index, source);
  checkIndexInRange(index, x.ndim === 0 ? 1 : x.shape[d]!);
  const src = alpha === 1 ? source : source.mul(alpha);
  if (!is_grad_enabled() || !(x.requires_grad || source.requires_grad)) {
    // the values alone (an embedding's gradient, say): row by row into a copy of x
    if (x.ndim > 0 && x.dtype === src.dtype && K.isNumberNative(x.dtype) && sameShape(src.shape, x.shape.map((s, i) => (i === d ? numel(index.shape) : s)))) {
      const out = K.contiguousCopy(x.detach());
      K.indexAddInto(out, d, K.values(index), src.detach());
      return out;
    }
  }
  // expand the 1-d index along the other dims and reuse scatter_add
  const shape = source.shape.slice();
  const view = shape.map((_, i) => (i === d ? shape[d]! : 1));
  // (int32 indices too; checked above, which scatter_add's check on a device need not read again)
  const idx = K.checkedIndices(index.to(int64).reshape(view).expand(shape).contiguous(), x.ndim === 0 ? 1 : x.shape[d]!);
  return scatter_add(x, d, idx, src);
}

export function masked_fill(x: Tensor, mask: Tensor, value: TensorOrScalar): Tensor {
  if (mask.dtype !== bool) throw new Error(`masked_fill_ only supports boolean masks, but got mask with dtype ${cppTypeName(mask.dtype)}`);
  if (value instanceof Tensor && value.ndim !== 0)
    throw new Error(`masked_fill_ only supports a 0-dimensional value tensor, but got tensor with ${value.ndim} dimension(s).`);
  const v = value instanceof Tensor ? value : asTensor(value, x.dtype);
  const shape = broadcastShapes(mask.shape, x.shape); // (expand_outplace(mask, self): the mask is "tensor a")
  // (row-major whatever the operands' layouts: PyTorch's masked_fill fills a contiguous clone of x)
  const y = K.where(mask, v.to(x.dtype), x, x.dtype, shape, []);
  const vT = value instanceof Tensor ? value : null;
  return record(vT ? "MaskedFillBackward1" : "MaskedFillBackward0", [x, vT], y, ([g]) => [g!.masked_fill(mask, 0), vT ? g!.masked_fill(mask.logical_not(), 0).sum() : null]);
}

installMethods({
  masked_fill_: (x: Tensor, mask: Tensor, value: TensorOrScalar) => inplace(x, () => masked_fill(x, mask, value), MASKED_FILL_OVERLAP),
  scatter_: (x: Tensor, dim: number, index: Tensor, src: Tensor | number, opts?: { reduce?: string }) => inplace(x, () => scatter(x, dim, index, src, opts)),
  scatter_add_: (x: Tensor, dim: number, index: Tensor, src: Tensor) => inplace(x, () => scatter_add(x, dim, index, src)),
  index_add_: (x: Tensor, dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }) => inplace(x, () => index_add(x, dim, index, source, opts)),
});
installMethods({ flip, fliplr, flipud, gather, scatter, scatter_add, index_select, index_add, masked_fill });

declare module "../core/tensor.js" {
  interface Tensor {
    flip(...dims: (number | number[])[]): Tensor; fliplr(): Tensor; flipud(): Tensor;
    gather(dim: number, index: Tensor): Tensor;
    scatter(dim: number, index: Tensor, src: Tensor | number, opts?: { reduce?: string }): Tensor;
    scatter_add(dim: number, index: Tensor, src: Tensor): Tensor;
    index_select(dim: number, index: Tensor): Tensor;
    index_add(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
    masked_fill(mask: Tensor, value: TensorOrScalar): Tensor;
    masked_fill_(mask: Tensor, value: TensorOrScalar): Tensor;
    scatter_(dim: number, index: Tensor, src: Tensor | number): Tensor;
    scatter_add_(dim: number, index: Tensor, src: Tensor): Tensor;
    index_add_(dim: number, index: Tensor, source: Tensor, opts?: { alpha?: number }): Tensor;
  }
}
void resultType;
