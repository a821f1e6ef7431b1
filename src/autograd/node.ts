// Autograd graph nodes, as PyTorch's torch::autograd::Node: a backward function with
// next_functions edges, saved tensors stamped with their versions, and hooks.

import { Tensor, legacyName, type RemovableHandle } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import type { Device } from "../core/device.js";

export type Edge = [Node | null, number];
export type Grads = (Tensor | null)[];
/** A backward formula: gradients of the outputs in, gradients of the inputs out (null = none).
 *  `needs[i]` says whether input i wants a gradient (PyTorch's needs_input_grad), so a formula
 *  can skip work, and saved tensors only one gradient reads may be absent. */
export type BackwardFn = (grads: Tensor[], saved: Tensor[], needs: boolean[]) => (Tensor | null | undefined)[];

/**
 * Note [Graph objects are not literals]: what the graph keeps until backward (nodes, the metadata
 * of their inputs and outputs, edges) is made with `new` of a class, or by map/slice/new Array,
 * never by an object or array literal. V8 gives each literal in the source an allocation site and
 * pretenures a site whose objects mostly survive a scavenge: from then on they are allocated in the
 * old generation. The graph of a training step is alive at every scavenge that comes during its
 * forward pass (the native allocator asks for one every ~32 MB of tensors, Note [Scavenging for
 * the cache] in backends/native/csrc/addon.c), so its literal sites were pretenured; every step's
 * graph then died in the old generation, which only a full collection (Mark-Compact, marking all
 * of the heap) reclaims, and each store of a young object into one took the write barrier's slow
 * path. Instances of classes carry no allocation site. Measured on B7 (one thread): 801 of 801
 * input metas and 585 of 597 output metas of a step's graph were allocated old; none after. (How
 * often full collections came did not change with this alone: those followed the code TurboFan
 * kept compiling, GraphTask in engine.ts.)
 */
/** A tensor's shape, dtype and device (absent: the CPU). */
export class TensorMeta {
  constructor(readonly shape: readonly number[], readonly dtype: DType, readonly device?: Device) {}
}
/** The metadata of t, as the graph keeps it (a tensor's shape array is never changed in place,
 *  only replaced, so it is kept, not copied). */
export const metaOf = (t: Tensor): TensorMeta => new TensorMeta(t._shape, t.dtype, t.device);

let sequence = 0;
/** A node's output metadata until record() (or the node's maker) sets it. */
const NO_META: readonly (TensorMeta | null)[] = Object.freeze([]);

/** Note [Saved tensor versions]: a tensor saved for backward remembers the version of its storage;
 *  if an in-place op moved it since, the saved value is not the one the formula needs, and
 *  unpacking throws PyTorch's error instead of computing a wrong gradient. The error names the node
 *  as PyTorch's SavedVariable::unpack does: a saved output of the saving node names that node (its
 *  history may have been rebased since); any other non-leaf names the tensor's grad_fn now, with
 *  output number 0; a tensor that was a leaf when saved names whatever grad_fn it has now, if any. */
export class SavedTensor {
  readonly version: number;
  /** saved as one of savedBy's own outputs (PyTorch's is_output), and which one */
  private readonly outputNr: number | null;
  private readonly wasLeaf: boolean;
  constructor(readonly tensor: Tensor, readonly savedBy: Node) {
    // Inference tensors keep no trustworthy version (PyTorch gives them no version counter).
    if (tensor.is_inference())
      throw new Error("Inference tensors cannot be saved for backward. Please do not use Tensors created in inference mode in computation tracked by autograd. To work around this, you can make a clone to get a normal tensor and use it in autograd.");
    this.version = tensor._version;
    this.wasLeaf = tensor.is_leaf;
    this.outputNr = tensor.grad_fn === savedBy ? tensor._output_nr : null;
  }
  unpack(): Tensor {
    const t = this.tensor;
    if (t._version !== this.version) {
      const [fn, nr] = this.outputNr !== null ? [this.savedBy, this.outputNr]
        : [t.grad_fn ?? (this.wasLeaf ? null : this.savedBy), 0];
      const of = fn ? `, which is output ${nr} of ${opNameOf(fn)},` : "";
      throw new Error(
        `one of the variables needed for gradient computation has been modified by an inplace operation: ` +
        `[${t.type()} [${t.shape.join(", ")}]]${of} is at version ${t._version}; expected version ${this.version} instead. ` +
        `Hint: enable anomaly detection to find the operation that failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, check_nan=False).`);
    }
    return t;
  }
}

export type PreHook = (grad: Tensor) => Tensor | void | undefined;
export type PostHook = (gradInputs: Grads, gradOutputs: Grads) => Grads | void | undefined;

/** A node's formula fused with its child's (Note [Fused backward pairs] in engine.ts): the
 *  gradients of the child's inputs, or null to decline. */
export type PairFormula = (grads: Tensor[], child: Node) => Grads | null;

export type NodePreHook = (g: Grads) => Grads | void | undefined;

export interface NodeHooks {
  /** tensor hooks of non-leaf outputs, by output number */
  tensorPre: Map<number, PreHook[]>;
  /** outputs whose gradient is stored in .grad (retain_grad) */
  retained: Map<number, WeakRef<Tensor>>;
  post: PostHook[];
  pre: NodePreHook[];
}

/** Appends fn to list; the handle removes it again. */
export function addHook<F>(list: F[], fn: F): RemovableHandle {
  list.push(fn);
  return { remove: () => { const i = list.indexOf(fn); if (i >= 0) list.splice(i, 1); } };
}

/** The op a node differentiates, as PyTorch 2.x's error messages name it: ExpBackward0 -> Exp, a
 *  custom Function's ExpBackward -> Exp. */
export function opNameOf(node: Node): string {
  return node.name().replace(/Backward\d*$/, "");
}

export class Node {
  /** @internal order of creation: the engine runs later nodes first, as PyTorch's ready queue does */
  readonly _seq = sequence++;
  next_functions: Edge[];
  /** @internal shape and dtype of each input, so the engine can sum a broadcast gradient back */
  _inputMeta: (TensorMeta | null)[];
  /** @internal shape and dtype of each output, to make zero gradients for outputs nobody used
   *  (null: a custom Function's output that is not a tensor, PyTorch's undefined_input) */
  _outputMeta: readonly (TensorMeta | null)[] = NO_META;
  /** @internal */ _saved: (SavedTensor | null)[] | null = null;
  /** @internal */ _freed = false;
  /** @internal hooks and retain_grad, made on first use: most nodes have none, and a node is
   *  created for every op that records, so its constructor stays small (bench B1). */
  _hooks: NodeHooks | null = null;
  /** @internal one formula for this node and the node its gradient goes to (Note [Fused backward
   *  pairs] in engine.ts) */
  _pair: PairFormula | null = null;
  private _metadata: Record<string, unknown> | null = null;
  /** Arbitrary per-node data a custom Function keeps (ctx fields). */
  get metadata(): Record<string, unknown> { return (this._metadata ??= {}); }

  constructor(private readonly _name: string, readonly _backward: BackwardFn | null, inputs: readonly (Tensor | null | undefined)[]) {
    const n = inputs.length, next = new Array<Edge>(n), meta = new Array<TensorMeta | null>(n);
    for (let i = 0; i < n; i++) { // (one pass: a node is made for every op that records)
      const t = inputs[i];
      if (t && t.requires_grad) { next[i] = edgeOf(t); meta[i] = metaOf(t); } else { next[i] = NO_EDGE; meta[i] = null; }
    }
    this.next_functions = next;
    this._inputMeta = meta;
  }

  /** @internal false: the engine hands apply() zeros for outputs no gradient reached. A custom
   *  Function's node takes them as null instead and materializes them itself, as PyTorch's PyNode
   *  does (ctx.set_materialize_grads). A getter, so nodes carry no field for it. */
  get _takesUndefinedGrads(): boolean { return false; }
  /** @internal Whether what the formula returns is new or the engine's own, never a tensor the
   *  user holds: false for a custom Function, whose backward may return anything (Note [Stealing
   *  gradients] in engine.ts). */
  get _returnsOwnTensors(): boolean { return true; }

  name(): string { return this._name; }
  toString(): string { return `<${this._name} object>`; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }

  /** @internal null entries are tensors a formula only reads for an input that needs no gradient */
  _save(tensors: readonly (Tensor | null)[]): void {
    this._saved = tensors.map((t) => (t ? new SavedTensor(t, this) : null));
  }

  /** @internal */ _unpack(): Tensor[] {
    if (this._freed)
      throw new Error("Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). Saved intermediate values of the graph are freed when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");
    return this._saved ? this._saved.map((s) => (s ? s.unpack() : (null as unknown as Tensor))) : [];
  }

  /** @internal Release saved tensors after a backward without retain_graph. */
  _release(): void {
    if (this._saved !== null && this._saved.length > 0) { this._saved = null; this._freed = true; }
  }

  /** Runs the backward formula (the engine calls this; users may too, as in PyTorch). */
  apply(grads: Tensor[]): Grads {
    if (!this._backward) throw new Error(`${this._name} has no backward`);
    const next = this.next_functions, n = next.length, needs = new Array<boolean>(n);
    for (let i = 0; i < n; i++) needs[i] = next[i]![0] !== null;
    const out = this._backward(grads, this._unpack(), needs);
    const res: Grads = new Array(n);
    for (let i = 0; i < n; i++) res[i] = out[i] ?? null;
    return res;
  }

  /** @internal */ _hooksForUpdate(): NodeHooks {
    return (this._hooks ??= { tensorPre: new Map(), retained: new Map(), post: [], pre: [] });
  }

  register_hook(fn: PostHook): RemovableHandle {
    return addHook(this._hooksForUpdate().post, fn);
  }
  register_prehook(fn: NodePreHook): RemovableHandle {
    return addHook(this._hooksForUpdate().pre, fn);
  }
}

/** The leaf's sink: adds the incoming gradient into `.grad` (PyTorch's AccumulateGrad). */
export class AccumulateGrad extends Node {
  constructor(readonly variable: Tensor) {
    super("AccumulateGrad", null, []);
    this._outputMeta = [new TensorMeta(variable._shape.slice(), variable.dtype)];
  }
}

/** The edge of an input no gradient flows to, PyTorch's (None, 0): one frozen pair for all (edges
 *  are never changed, as Python's tuples). */
const NO_EDGE = Object.freeze([null, 0]) as unknown as Edge;

/** An edge, made without a literal (Note [Graph objects are not literals]). */
function edgeTo(fn: Node, nr: number): Edge {
  const e = new Array(2) as unknown as Edge;
  e[0] = fn; e[1] = nr;
  return e;
}

/** The edge a gradient for tensor t travels along: its grad_fn, or its leaf accumulator. A view
 *  that requires grad only through its base and has no grad_fn (made under no_grad) has neither,
 *  as PyTorch's grad_accumulator() is null for it: gradients stop there. */
export function edgeOf(t: Tensor | null | undefined): Edge {
  if (!t || !t.requires_grad) return NO_EDGE;
  const fn = t.grad_fn;
  if (fn) return edgeTo(fn, t._output_nr);
  return t._requires_grad ? edgeTo(accumulatorOf(t), 0) : NO_EDGE;
}

export function accumulatorOf(t: Tensor): Node {
  return (t._accumulator ??= new AccumulateGrad(t));
}

export { legacyName };
