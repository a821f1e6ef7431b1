// Connecting an op's result to the graph: the one place where ops meet autograd.

import { Tensor } from "../core/tensor.js";
import { is_grad_enabled } from "./grad_mode.js";
import { Node, type BackwardFn } from "./node.js";

/** True when an op on these inputs must record a node. */
export function needsGrad(inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!is_grad_enabled()) return false;
  for (const t of inputs) if (t && t.requires_grad) return true;
  return false;
}

/**
 * Records `out = op(inputs)` in the graph when grad mode is on and an input requires grad:
 * a Node named `name` (PyTorch's class name, e.g. "ExpBackward0") whose formula is `backward`,
 * with `save` kept for it (version-checked on use). Non-floating outputs stay off the graph.
 * Use `savedFor(input, tensor)` to save a tensor only when the gradient that reads it is wanted.
 */
export function record<T extends Tensor | readonly Tensor[]>(
  name: string, inputs: readonly (Tensor | null | undefined)[], out: T, backward: BackwardFn, save: readonly (Tensor | null)[] = [],
): T {
  if (!needsGrad(inputs)) return out;
  const node = new Node(name, backward, inputs);
  if (out instanceof Tensor) {
    node._outputMeta = [{ shape: out._shape, dtype: out.dtype }]; // (shapes are replaced, never changed in place)
    if (out.dtype.is_floating_point) { out._grad_fn = node; out._output_nr = 0; }
  } else {
    const outs = out as readonly Tensor[];
    node._outputMeta = outs.map((o) => ({ shape: o._shape, dtype: o.dtype }));
    outs.forEach((o, i) => {
      if (!o.dtype.is_floating_point) return;
      o._grad_fn = node;
      o._output_nr = i;
    });
  }
  if (save.length) node._save(save);
  return out;
}

/** `t` when input `forInput` will want a gradient, else null: PyTorch saves a tensor only for the
 *  formulas that will run, so e.g. `x.mul(w)` with x not requiring grad keeps no reference to w,
 *  and an in-place change to w afterwards is no error. */
export function savedFor(forInput: Tensor | null | undefined, t: Tensor): Tensor | null {
  return forInput && forInput.requires_grad ? t : null;
}
