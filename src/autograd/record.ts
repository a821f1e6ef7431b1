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
 */
export function record<T extends Tensor | readonly Tensor[]>(
  name: string, inputs: readonly (Tensor | null | undefined)[], out: T, backward: BackwardFn, save: readonly Tensor[] = [],
): T {
  if (!needsGrad(inputs)) return out;
  const node = new Node(name, backward, inputs);
  const outs: readonly Tensor[] = out instanceof Tensor ? [out] : (out as readonly Tensor[]);
  node._outputMeta = outs.map((o) => ({ shape: o.shape.slice(), dtype: o.dtype }));
  outs.forEach((o, i) => {
    if (!o.dtype.is_floating_point) return;
    o._grad_fn = node;
    o._output_nr = i;
  });
  if (save.length) node._save(save);
  return out;
}
