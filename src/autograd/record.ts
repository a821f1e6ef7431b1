// Connecting an op's result to the graph: the one place where ops meet autograd.

import { Tensor } from "../core/tensor.js";
import { is_grad_enabled, no_grad, enable_grad } from "./grad_mode.js";
import { grad } from "./api.js";
import { Node, metaOf, type BackwardFn, type TensorMeta } from "./node.js";
import { adoptDevice } from "../backends/index.js";

/** True when an op on these inputs must record a node. */
export function needsGrad(inputs: readonly (Tensor | null | undefined)[]): boolean {
  if (!is_grad_enabled()) return false;
  for (let i = 0; i < inputs.length; i++) if (inputs[i]?.requires_grad) return true;
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
  adoptDevice(name, inputs, out);
  if (!needsGrad(inputs)) return out;
  const node = new Node(name, backward, inputs);
  if (out instanceof Tensor) {
    // (new Array, not a literal: Note [Graph objects are not literals])
    const meta = node._outputMeta = new Array<TensorMeta>(1);
    meta[0] = metaOf(out);
    if (out.dtype.is_floating_point) { out._grad_fn = node; out._output_nr = 0; }
  } else {
    const outs = out as readonly Tensor[];
    node._outputMeta = outs.map(metaOf);
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

/**
 * Note [Named composite nodes]: some ops are compositions of other ops (grid_sample, affine_grid)
 * but PyTorch shows them as one node with its own name (GridSampler2DBackward0). `recordComposite`
 * runs `f` without recording, then records one node named `name` whose backward runs `f` again
 * with recording on and takes the vector-Jacobian product of that graph (the engine is
 * reentrant); under create_graph that product is itself recorded, so double backward works. The
 * gradients are exactly those of the composition.
 */
export function recordComposite(name: string, inputs: readonly Tensor[], f: (...xs: Tensor[]) => Tensor): Tensor {
  if (!needsGrad(inputs)) return f(...inputs);
  const out = no_grad(() => f(...inputs));
  return record(name, inputs, out, ([g]) => {
    const createGraph = is_grad_enabled(); // the engine runs backward with grad mode = create_graph
    const wanted = inputs.filter((x) => x.requires_grad);
    const grads = enable_grad(() => grad([f(...inputs)], wanted, { grad_outputs: [g!], create_graph: createGraph, allow_unused: true }));
    // (an input the composition does not differentiate through, such as grid_sample's grid in
    // mode "nearest", gets zeros, as from PyTorch's kernel)
    return inputs.map((x) => (x.requires_grad ? grads[wanted.indexOf(x)] ?? Tensor.empty(x.shape, x.dtype) : null));
  });
}
