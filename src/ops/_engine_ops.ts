// The few ops the autograd engine itself needs, gathered so engine.ts does not depend on the
// whole op surface.

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import * as K from "../backends/index.js";
export { add } from "./elementwise.js";
export { detach } from "./views.js";

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

export function zeros(shape: readonly number[], dtype: DType): Tensor { return Tensor.empty(shape, dtype); }
export function castTo(g: Tensor, dtype: DType): Tensor { return g.to(dtype); }
void K;
