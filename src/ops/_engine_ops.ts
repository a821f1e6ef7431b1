// The few ops the autograd engine itself needs, gathered so engine.ts does not depend on the
// whole op surface.

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import type { Device } from "../core/device.js";
import * as K from "../backends/index.js";
import { contiguousStrides } from "../core/shape.js";
import { isNonOverlappingAndDense } from "../core/memory_format.js";
import { add as addOp } from "./elementwise.js";
import { detach as detachOp } from "./views.js";
import { profiled } from "../profiler/record.js";
import { levels, hasBatched, callBatched } from "../func/batched.js";

// (ops the profiler records as PyTorch's engine does: summing gradients is an aten::add; inside
// vmap, gradients may be batched, and go to the batching rules: Note [Batched tensors])
const batchable = <F extends (...a: never[]) => Tensor>(op: string, fn: F): F =>
  ((...a: never[]) => (levels.length > 0 && hasBatched(a) ? callBatched(op, fn, a) : fn(...a))) as F;
export const add = profiled("aten::add", batchable("add", addOp));
export const detach = profiled("aten::detach", batchable("detach", detachOp));

/** Sums a broadcast gradient back to `shape` (PyTorch's at::sum_to). */
export function sumTo(g: Tensor, shape: readonly number[]): Tensor {
  const lead = g.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < g.ndim; i++) if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) dims.push(i);
  let r = dims.length ? g.sum(dims, true) : g;
  if (lead > 0) r = r.reshape(shape.slice());
  else if (r.ndim !== shape.length) r = r.reshape(shape.slice());
  return r;
}

export const zeros = profiled("aten::zeros", (shape: readonly number[], dtype: DType, device?: Device): Tensor => Tensor.empty(shape, dtype, device));
/** PyTorch's Gradient Layout Contract (accumulate_grad.h's obeys_layout_contract): a leaf's .grad
 *  has the leaf's strides where the leaf is dense and non-overlapping (on its dims of size above
 *  one; a size-1 dim may not have stride 0), else is row-major (Note [Memory formats]). */
export function obeysLayoutContract(g: Tensor, v: Tensor): boolean {
  if (!isNonOverlappingAndDense(v._shape, v._strides)) return g.is_contiguous();
  for (let i = 0; i < g._shape.length; i++) {
    if (g._shape[i] !== 1 ? g._strides[i] !== v._strides[i] : g._strides[i] === 0) return false;
  }
  return true;
}
/** A copy of g that obeys the contract for v (clone_obey_contract): differentiable when grad
 *  mode is on (create_graph), as PyTorch's copy_ is. */
export function cloneObeyContract(g: Tensor, v: Tensor): Tensor {
  const strides = isNonOverlappingAndDense(v._shape, v._strides) ? v._strides : contiguousStrides(v._shape);
  return profiledEmpty(v._shape, v.dtype, v.device, strides).copy_(g);
}
const profiledEmpty = profiled("aten::empty_strided", (shape: readonly number[], dtype: DType, device: Device, strides: readonly number[]): Tensor =>
  Tensor.empty(shape, dtype, device, false, strides)); // (copy_ writes it all)
export function castTo(g: Tensor, dtype: DType): Tensor { return g.to(dtype); }
void K;
