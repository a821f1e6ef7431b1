// The few ops the autograd engine itself needs, gathered so engine.ts does not depend on the
// whole op surface.

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import type { Device } from "../core/device.js";
import * as K from "../backends/index.js";
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
export function castTo(g: Tensor, dtype: DType): Tensor { return g.to(dtype); }
void K;
