// The user-facing autograd API: Tensor.backward, retain_grad, register_hook, torch.autograd.grad.

import { Tensor, type TensorHook, type RemovableHandle } from "../core/tensor.js";
import { runBackward, type BackwardOptions, type Capture } from "./engine.js";
import { accumulatorOf, addHook, edgeOf, type Node } from "./node.js";
import { installMethods, pyError, warnOnce } from "../ops/util.js";
import { stack } from "../ops/indexing.js";

/** The implicit gradient of a scalar output, or the user's, checked against the output's shape. */
function makeGrads(outputs: readonly Tensor[], grads: readonly (Tensor | null | undefined)[] | null): Tensor[] {
  return outputs.map((o, i) => {
    const g = grads?.[i];
    if (g === undefined || g === null) {
      if (o.requires_grad && o.numel() !== 1) throw new Error("grad can be implicitly created only for scalar outputs");
      return o.new_ones(o._shape.slice());
    }
    if (g._shape.length !== o._shape.length || g._shape.some((s, k) => s !== o._shape[k]))
      throw new Error(`Mismatch in shape: grad_output[${i}] has a shape of torch.Size([${g.shape.join(", ")}]) and output[${i}] has a shape of torch.Size([${o.shape.join(", ")}]).`);
    return g;
  });
}

/** tensor.backward(gradient?, {retain_graph, create_graph, inputs}) */
export function backward(self: Tensor, gradient?: Tensor | null | BackwardOptions, opts?: BackwardOptions): void {
  if (gradient && !(gradient instanceof Tensor)) { opts = gradient; gradient = null; }
  autogradBackward([self], gradient ? [gradient as Tensor] : null, opts);
}

/** torch.autograd.backward(tensors, grad_tensors, {retain_graph, create_graph, inputs}) */
export function autogradBackward(tensors: Tensor | Tensor[], grad_tensors?: Tensor | (Tensor | null)[] | null,
  opts?: BackwardOptions & { grad_variables?: Tensor | (Tensor | null)[] | null }): void {
  if (opts?.grad_variables != null) {
    console.warn("FutureWarning: `grad_variables` is deprecated. Use `grad_tensors` instead.");
    if (grad_tensors != null) throw new Error("`grad_tensors` and `grad_variables` (deprecated) arguments both passed to `backward()`. Please only use `grad_tensors`.");
    grad_tensors = opts.grad_variables;
  }
  const outs = Array.isArray(tensors) ? tensors : [tensors];
  const gs = grad_tensors instanceof Tensor ? [grad_tensors] : grad_tensors ?? null;
  outs.forEach((t, i) => { if (!t.requires_grad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`); });
  const grads = makeGrads(outs, gs);
  const create = opts?.create_graph ?? false;
  let only: Set<Node> | undefined;
  if (opts?.inputs) {
    const ins = opts.inputs instanceof Tensor ? [opts.inputs] : opts.inputs;
    if (ins.length === 0) throw new Error("`inputs` argument to `backward()` cannot be empty.");
    // PyTorch calls retain_grad() on every input (so a non-leaf input gets its .grad), and so
    // words a missing requires_grad as retain_grad does; all are checked before any is changed.
    for (const t of ins) if (!t.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
    for (const t of ins) t.retain_grad();
    only = new Set(ins.map((t) => (t.is_leaf ? accumulatorOf(t) : t.grad_fn!)));
  }
  runBackward(outs, grads, { retain_graph: opts?.retain_graph ?? create, create_graph: create, ...(only ? { accumulateOnly: only } : {}) });
}

export interface GradOptions {
  grad_outputs?: Tensor | (Tensor | null)[] | null; retain_graph?: boolean | null; create_graph?: boolean; only_inputs?: boolean;
  allow_unused?: boolean | null; is_grads_batched?: boolean; materialize_grads?: boolean;
}

/** torch.autograd.grad(outputs, inputs, {grad_outputs, retain_graph, create_graph, allow_unused}) */
export function grad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts?: GradOptions): (Tensor | null)[] {
  if (opts?.materialize_grads && opts.allow_unused === false)
    throw pyError("ValueError", "Expected allow_unused to be True or not passed when materialize_grads=True, but got: allow_unused=False.");
  if (opts?.only_inputs === false) warnOnce("only_inputs argument is deprecated and is ignored now (defaults to True). To accumulate gradient for other parts of the graph, please use torch.autograd.backward.");
  if (opts?.is_grads_batched) return batchedGrad(outputs, inputs, opts);
  const outs = Array.isArray(outputs) ? outputs : [outputs];
  const ins = Array.isArray(inputs) ? inputs : [inputs];
  outs.forEach((t, i) => { if (!t.requires_grad) throw new Error(`element ${i} of tensors does not require grad and does not have a grad_fn`); });
  const go = opts?.grad_outputs instanceof Tensor ? [opts.grad_outputs] : opts?.grad_outputs ?? null;
  const grads = makeGrads(outs, go);
  const captures: Capture[] = ins.map((t) => {
    if (!t.requires_grad) throw new Error("One of the differentiated Tensors does not require grad");
    const [node, nr] = edgeOf(t);
    return { node: node!, nr, grad: null };
  });
  const create = opts?.create_graph ?? false;
  runBackward(outs, grads, { retain_graph: opts?.retain_graph ?? create, create_graph: create, captures });
  return captures.map((c, i) => {
    if (c.grad === null) {
      if (opts?.materialize_grads) return ins[i]!.new_zeros(ins[i]!.shape.slice());
      if (!(opts?.allow_unused ?? opts?.materialize_grads))
        throw new Error(`The differentiated Tensor at index ${i} appears to not have been used in the graph. Set allow_unused=True if this is the desired behavior.`);
      return null;
    }
    const meta = ins[i]!;
    let g = c.grad;
    if (g._shape.length !== meta.shape.length || g._shape.some((s, k) => s !== meta.shape[k])) g = g.sum_to_size(meta.shape.slice());
    return g;
  });
}

/** grad with is_grads_batched: each grad_output's first dim is a batch of vectors, one
 *  vector-Jacobian product per row, stacked (PyTorch runs them under vmap; the rows are
 *  independent, so one product after another computes the same). */
function batchedGrad(outputs: Tensor | Tensor[], inputs: Tensor | Tensor[], opts: GradOptions): (Tensor | null)[] {
  const gos = opts.grad_outputs instanceof Tensor ? [opts.grad_outputs] : opts.grad_outputs ?? [];
  const n = gos.find((g) => g !== null)?.shape[0] ?? 0;
  const rows = Array.from({ length: n }, (_, b) => grad(outputs, inputs, {
    ...opts, is_grads_batched: false, retain_graph: b < n - 1 ? true : opts.retain_graph, grad_outputs: gos.map((g) => g?.select(0, b) ?? null),
  }));
  return (Array.isArray(inputs) ? inputs : [inputs]).map((_, i) => (rows[0]?.[i] == null ? null : stack(rows.map((r) => r[i]!))));
}

export function retain_grad(self: Tensor): void {
  if (!self.requires_grad) throw new Error("can't retain_grad on Tensor that has requires_grad=False");
  if (self.is_leaf) return; // leaves keep .grad anyway
  if (self._retains_grad) return;
  self._retains_grad = true;
  self.grad_fn!._hooksForUpdate().retained.set(self._output_nr, new WeakRef(self));
}

export function register_hook(self: Tensor, hook: TensorHook): RemovableHandle {
  if (!self.requires_grad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  if (self.is_leaf) return addHook((self._hooks ??= []), hook);
  const hooks = self.grad_fn!._hooksForUpdate().tensorPre, nr = self._output_nr;
  let list = hooks.get(nr);
  if (!list) hooks.set(nr, (list = []));
  return addHook(list, hook);
}

/** Tensor.register_post_accumulate_grad_hook: hook(param) runs after a gradient was accumulated
 *  into this leaf's .grad (DDP starts its bucket all-reduces from here). */
export function register_post_accumulate_grad_hook(self: Tensor, hook: (param: Tensor) => void): RemovableHandle {
  if (!self.requires_grad) throw new Error("cannot register a hook on a tensor that doesn't require gradient");
  if (!self.is_leaf) throw new Error("post accumulate grad hooks cannot be registered on non-leaf tensors");
  return addHook((self._postAccumulateGradHooks ??= []), hook);
}

/** Sums to the given size (Tensor.sum_to_size). */
export function sum_to_size(self: Tensor, ...size: (number | number[])[]): Tensor {
  const shape = (size.length === 1 && Array.isArray(size[0]) ? size[0] : size) as number[];
  const lead = self.ndim - shape.length;
  const dims: number[] = [];
  for (let i = 0; i < self.ndim; i++) if (i < lead || (shape[i - lead] === 1 && self.shape[i] !== 1)) dims.push(i);
  let r = dims.length ? self.sum(dims, true) : self;
  if (r.ndim !== shape.length) r = r.reshape(shape);
  return r;
}

installMethods({ sum_to_size });
installMethods({ backward, retain_grad, register_hook, register_post_accumulate_grad_hook }, false);

declare module "../core/tensor.js" {
  interface Tensor {
    backward(gradient?: Tensor | null | BackwardOptions, opts?: BackwardOptions): void;
    retain_grad(): void;
    register_hook(hook: TensorHook): RemovableHandle;
    register_post_accumulate_grad_hook(hook: (param: Tensor) => void): RemovableHandle;
    sum_to_size(...size: (number | number[])[]): Tensor;
  }
}
