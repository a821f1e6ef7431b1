// Matrix products: matmul with PyTorch's broadcasting rules, and the named forms.

import { Tensor } from "../core/tensor.js";
import { promote_types, scalarTypeName, cppTypeName } from "../core/dtype.js";
import { broadcastShapes, contiguousStrides } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record, savedFor } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { installMethods, type TensorOrScalar } from "./util.js";

function checkDtypes(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    throw new Error(`expected m1 and m2 to have the same dtype, but got: ${cppTypeName(a.dtype)} != ${cppTypeName(b.dtype)}`.replace("m1 and m2", op === "mm" ? "m1 and m2" : "scalar type of m1 and m2"));
  }
}

/** [B, n, k] @ [B, k, m] through the backend's strided GEMM: transposed operands are read through
 *  their strides, never copied. */
function bmmRaw(a: Tensor, b: Tensor): Tensor { return K.bmm(a, b, promote_types(a.dtype, b.dtype)); }

/** A fresh contiguous result seen with another shape: a new tensor on the same storage, not a
 *  view of it (what PyTorch's _unsafe_view and in-place squeeze_ give). */
function reshapeResult(t: Tensor, shape: number[]): Tensor {
  return new Tensor(t._storage, shape, contiguousStrides(shape), t._offset, t.dtype, t.device);
}

/** t.squeeze_(dim) on an op's own fresh (contiguous) result, as PyTorch's C++ composites end
 *  (matmul of a vector and a matrix, quantile): the node of an in-place squeeze, SqueezeBackward4. */
export function squeezeResult_(t: Tensor, dim: number): Tensor {
  const d = dim < 0 ? dim + t.ndim : dim;
  return record("SqueezeBackward4", [t], reshapeResult(t, t.shape.filter((_, i) => i !== d)), ([g]) => [g!.unsqueeze(d)]);
}

/** A matrix seen as a batch of one, off the graph: a bare view for the batched kernel, so that a
 *  product records nothing but its own node (no unsqueeze, detach or reshape ops). */
function batchOfOne(t: Tensor): Tensor {
  return new Tensor(t._storage, [1, t._shape[0]!, t._shape[1]!], [0, t._strides[0]!, t._strides[1]!], t._offset, t.dtype, t.device);
}

/** at::_unsafe_view of an op's fresh result: UnsafeViewBackward0, as matmul records it. */
function unsafeView(t: Tensor, shape: number[]): Tensor {
  const inShape = t.shape.slice();
  return record("UnsafeViewBackward0", [t], reshapeResult(t, shape), ([g]) => [g!.reshape(inShape)]);
}

function checkMatShapes(a: Tensor, b: Tensor): void {
  if (a._shape[1] !== b._shape[0])
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
}

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new Error(`self must be a matrix`);
  if (b.ndim !== 2) throw new Error(`mat2 must be a matrix`);
  checkMatShapes(a, b);
  checkDtypes("mm", a, b);
  const y = reshapeResult(bmmRaw(batchOfOne(a), batchOfOne(b)), [a._shape[0]!, b._shape[1]!]);
  const aCols = colMajor(a), bCols = colMajor(b);
  return record("MmBackward0", [a, b], y, ([g], [as, bs], n) => [n[0] ? mat1Grad(g!, bs!, aCols) : null, n[1] ? mat2Grad(g!, as!, bCols) : null],
    [savedFor(b, a), savedFor(a, b)]);
}

/** Whether a matrix is column-major: a transposed contiguous one, as nn.Linear's weight.t(). */
const colMajor = (t: Tensor) => t.stride(0) === 1 && t.stride(1) === t._shape[0];

// PyTorch's mm_mat1_backward / mm_mat2_backward: the gradient of a column-major operand is
// computed transposed and returned column-major too, so that accumulating it into the leaf's
// .grad (nn.Linear's weight, behind weight.t()) needs no transposing copy. The same products
// summed in the same order: the same values.
const mat1Grad = (g: Tensor, mat2: Tensor, cols: boolean) => (cols ? mat2.mm(g.t()).t() : g.mm(mat2.t()));
const mat2Grad = (g: Tensor, mat1: Tensor, cols: boolean) => (cols ? g.t().mm(mat1).t() : mat1.t().mm(g));

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new Error(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new Error(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0] || a.shape[2] !== b.shape[1])
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  checkDtypes("bmm", a, b);
  const y = bmmRaw(a, b);
  return record("BmmBackward0", [a, b], y, ([g], [as, bs], n) => [n[0] ? g!.bmm(bs!.transpose(1, 2)) : null, n[1] ? as!.transpose(1, 2).bmm(g!) : null],
    [savedFor(b, a), savedFor(a, b)]);
}

export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.ndim !== 2 || v.ndim !== 1) throw new Error(`vector + matrix @ vector expected, got ${a.ndim}, ${v.ndim}, ${v.ndim}`);
  if (a.shape[1] !== v.shape[0]) throw new Error(`size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${v.shape[0]})`);
  const y = reshapeResult(bmmRaw(batchOfOne(a), new Tensor(v._storage, [1, v.shape[0]!, 1], [0, v._strides[0]!, 1], v._offset, v.dtype, v.device)), [a.shape[0]!]);
  return record("MvBackward0", [a, v], y, ([g], [as, vs], n) => [n[0] ? g!.outer(vs!) : null, n[1] ? as!.t().mv(g!) : null],
    [savedFor(v, a), savedFor(a, v)]);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) throw new Error(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  if (a.dtype !== b.dtype) throw new Error(`dot : expected both vectors to have same dtype, but found ${scalarTypeName(a.dtype)} and ${scalarTypeName(b.dtype)}`);
  const y = bmmRaw(a.detach().reshape(1, 1, -1), b.detach().reshape(1, -1, 1)).reshape([]);
  return record("DotBackward0", [a, b], y, ([g], [as, bs], n) => [n[0] ? g!.mul(bs!) : null, n[1] ? g!.mul(as!) : null],
    [savedFor(b, a), savedFor(a, b)]);
}
export const inner = (a: Tensor, b: Tensor) => (a.ndim <= 1 && b.ndim <= 1 ? (a.ndim === 0 || b.ndim === 0 ? a.mul(b) : dot(a, b)) : matmul(a, b.mT));

export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1) throw new Error(`outer: Expected 1-D argument self, but got ${a.ndim}-D`);
  if (b.ndim !== 1) throw new Error(`outer: Expected 1-D argument vec2, but got ${b.ndim}-D`);
  return a.unsqueeze(1).mul(b.unsqueeze(0));
}
export const ger = outer;

const prod = (s: readonly number[]) => s.reduce((p, q) => p * q, 1);

/** PyTorch's should_fold: multiply a batched operand by a matrix/vector with one mm/mv over its
 *  folded batch. Taken when the small operand requires grad (its gradient is then one mm, not a
 *  batch of them summed), or when the large one folds without a copy (and is not the right-hand
 *  side of a 2-d @ batched product, whose transposed result would need one). */
function shouldFold(a: Tensor, b: Tensor): boolean {
  const aLarger = a.ndim >= b.ndim;
  const big = aLarger ? a : b, small = aLarger ? b : a;
  if (!(big.ndim >= 3 && small.ndim <= 2)) return false;
  if (small.requires_grad) return true;
  if (a.ndim === 2) return false;
  if (big.numel() === 0) return true;
  // geometry of the large operand as folded (b.mT when b is the large one)
  const sz = big.shape.slice(), st = big.stride(), nd = sz.length;
  if (!aLarger) { [sz[nd - 1], sz[nd - 2]] = [sz[nd - 2]!, sz[nd - 1]!]; [st[nd - 1], st[nd - 2]] = [st[nd - 2]!, st[nd - 1]!]; }
  for (let i = 0; i < nd - 1; i++) if (st[i] !== st[i + 1]! * sz[i + 1]!) return false;
  return true;
}

/** torch.matmul, following PyTorch 2.x's _matmul_impl path for path (so grad_fn names match):
 *  dot, mv, mm; a folded mm/mv when should_fold; else batches broadcast and one bmm. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.ndim, db = b.ndim;
  if (da === 0 || db === 0) throw new Error(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) {
    // PyTorch: a.unsqueeze(0).mm(b).squeeze_(0)
    return squeezeResult_(mm(a.unsqueeze(0), b), 0);
  }
  if (da === 2 && db === 2) return mm(a, b);
  if (shouldFold(a, b)) {
    const transpose = db > da;
    const t1 = transpose ? b.mT : a;
    const t2 = !transpose ? b : da === 2 ? a.t() : a;
    const s1 = t1.shape, outShape = s1.slice(0, -1);
    const t1f = t1.reshape(prod(outShape), s1[s1.length - 1]!);
    if (t2.ndim === 2) {
      outShape.push(t2.shape[1]!);
      const out = unsafeView(t1f.mm(t2), outShape);
      return transpose ? out.mT.contiguous() : out;
    }
    return unsafeView(t1f.mv(t2), outShape);
  }
  const n = da > 1 ? a.shape[da - 2]! : 1, m1 = a.shape[da - 1]!;
  const m2 = db > 1 ? b.shape[db - 2]! : b.shape[0]!, p = db > 1 ? b.shape[db - 1]! : 1;
  const batch1 = a.shape.slice(0, Math.max(da - 2, 0)), batch2 = b.shape.slice(0, Math.max(db - 2, 0));
  if (da === 3 && db === 3 && batch1[0] !== batch2[0]) {
    // a batch of 1 that requires grad is squeezed and folded instead of broadcast (as PyTorch)
    if (batch1[0] === 1 && a.requires_grad) return matmul(a.squeeze(0), b);
    if (batch2[0] === 1 && b.requires_grad) return matmul(a, b.squeeze(0));
  }
  const outShape = broadcastShapes(batch1, batch2), nb = prod(outShape);
  const a3 = a.expand([...outShape, n, m1]).reshape(nb, n, m1);
  const vectorRhs = db === 1;
  const b3 = vectorRhs ? b.expand([...outShape, m2]).reshape(nb, m2).unsqueeze(2) : b.expand([...outShape, m2, p]).reshape(nb, m2, p);
  if (da > 1) outShape.push(n);
  if (db > 1) outShape.push(p);
  return unsafeView(vectorRhs ? a3.bmm(b3).squeeze(-1) : a3.bmm(b3), outShape);
}

/** beta·input + alpha·(m1 @ m2) */
export function addmm(input: Tensor, m1: Tensor, m2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  // ATen's ADDMM_META: the dtypes (self's first), then the ranks; mm checks the shapes
  const sameDtype = (a: Tensor, b: Tensor, what: string) => {
    if (a.dtype !== b.dtype) throw new Error(`${what} and mat2 must have the same dtype, but got ${scalarTypeName(a.dtype)} and ${scalarTypeName(b.dtype)}`);
  };
  sameDtype(input, m2, "self");
  sameDtype(m1, m2, "mat1");
  for (const [m, what] of [[m1, "mat1"], [m2, "mat2"]] as const)
    if (m.ndim !== 2) throw new Error(`${what} must be a matrix, got ${m.ndim}-D tensor`);
  checkMatShapes(m1, m2);
  input.expand([m1._shape[0]!, m2._shape[1]!]); // (expand_size: input must expand to the product's shape)
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  const y = (beta === 1 && alpha === 1 && fusableAddmm(input, m1, m2) && K.addmm(input.detach(), m1.detach(), m2.detach()))
    || addScaled(input, mm(m1.detach(), m2.detach()), beta, alpha);
  const m1Cols = colMajor(m1), m2Cols = colMajor(m2);
  // AddmmBackward0; the engine sums input's gradient back to its (broadcast) shape
  return record("AddmmBackward0", [input, m1, m2], y, ([g], [m1s, m2s], n) => [
    n[0] ? scaleBy(g!, beta) : null,
    n[1] ? scaleBy(mat1Grad(g!, m2s!, m1Cols), alpha) : null,
    n[2] ? scaleBy(mat2Grad(g!, m1s!, m2Cols), alpha) : null,
  ], [savedFor(m2, m1), savedFor(m1, m2)]);
}

/** Whether addmm's operands are well formed for the fast backend's fused kernel (else the
 *  general path runs, and reports what is wrong). */
function fusableAddmm(input: Tensor, m1: Tensor, m2: Tensor): boolean {
  if (m1.ndim !== 2 || m2.ndim !== 2 || m1._shape[1] !== m2._shape[0] || input.ndim > 2) return false;
  const out = [m1._shape[0]!, m2._shape[1]!];
  return input._shape.every((s, i) => s === 1 || s === out[i + 2 - input.ndim]);
}

/** beta·input + alpha·product, values only; with beta 0 the input is ignored (NaN included). */
function addScaled(input: Tensor, product: Tensor, beta: number, alpha: number): Tensor {
  const p = alpha === 1 ? reshapeResult(product, product.shape.slice()) : product.mul(alpha);
  if (beta === 0) return p;
  return (beta === 1 ? input.detach() : input.detach().mul(beta)).add(p);
}
/** PyTorch's maybe_multiply: t·s, or t itself when s is 1. */
const scaleBy = (t: Tensor, s: number) => (s === 1 ? t : t.mul(s));
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  // (the values: addmm's of a column, with its checks)
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  const i = input.detach();
  const y = no_grad(() => addmm(i.ndim === 0 ? i : i.unsqueeze(1), mat.detach(), vec.detach().unsqueeze(1), opts).squeeze(1));
  return record("AddmvBackward0", [input, mat, vec], y, ([g], [vs, ms], n) => [
    n[0] ? scaleBy(g!, beta) : null,
    n[1] ? scaleBy(g!.unsqueeze(1).mul(vs!), alpha) : null,
    n[2] ? scaleBy(ms!.t().mv(g!), alpha) : null,
  ], [savedFor(mat, vec), savedFor(vec, mat)]);
}
export function baddbmm(input: Tensor, b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  const y = addScaled(input, bmm(b1.detach(), b2.detach()), beta, alpha);
  return record("BaddbmmBackward0", [input, b1, b2], y, ([g], [b1s, b2s], n) => [
    n[0] ? scaleBy(g!, beta) : null,
    n[1] ? scaleBy(g!.bmm(b2s!.transpose(1, 2)), alpha) : null,
    n[2] ? scaleBy(b1s!.transpose(1, 2).bmm(g!), alpha) : null,
  ], [savedFor(b2, b1), savedFor(b1, b2)]);
}
export function addbmm(input: Tensor, b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  let p = bmm(b1, b2).sum(0);
  if (alpha !== 1) p = p.mul(alpha);
  return beta === 0 ? p : beta === 1 ? input.add(p) : input.mul(beta).add(p);
}

installMethods({ mm, bmm, mv, dot, inner, outer, ger, matmul, addmm, addmv, baddbmm, addbmm });

declare module "../core/tensor.js" {
  interface Tensor {
    mm(b: Tensor): Tensor; bmm(b: Tensor): Tensor; mv(v: Tensor): Tensor; dot(b: Tensor): Tensor; inner(b: Tensor): Tensor;
    outer(b: Tensor): Tensor; ger(b: Tensor): Tensor; matmul(b: Tensor): Tensor;
    addmm(m1: Tensor, m2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    addmv(mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    baddbmm(b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    addbmm(b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
  }
}
export type { TensorOrScalar };
