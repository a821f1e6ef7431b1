// torch.autograd.Function: an op whose forward and backward the user writes, as PyTorch's
// torch/autograd/function.py with the C++ behind it (python_function.cpp: THPFunction_apply,
// process_outputs, PyNode::apply; custom_function.cpp: _process_backward_mode_ad).
//
//   class Exp extends torch.autograd.Function {
//     static forward(ctx: FunctionCtx, x: Tensor) { const y = x.exp(); ctx.save_for_backward(y); return y; }
//     static backward(ctx: FunctionCtx, g: Tensor) { const [y] = ctx.saved_tensors; return g.mul(y!); }
//   }
//   const y = Exp.apply(x);   // y.grad_fn is the ctx, named "ExpBackward"
//
// As in PyTorch, the ctx *is* the backward node: attributes set on it in forward are there in
// backward and on `y.grad_fn`.

import { Tensor } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { Node, TensorMeta, type Grads } from "./node.js";
import { is_grad_enabled, no_grad } from "./grad_mode.js";
import { rebaseHistory } from "../ops/inplace.js";
import { viewOf, detach, detach_ } from "../ops/views.js";
import { zeros } from "../ops/_engine_ops.js";

/** A JS value's type in Python's words; JS arrays stand for tuples here (a Function's outputs). */
const typeName = (v: unknown): string => pyTypeName(v, "tuple");

/** The ctx of a custom Function and, once forward has run with grad needed, the backward node of
 *  its outputs (PyTorch's BackwardCFunction). Any attribute may be set on it. */
export class FunctionCtx extends Node {
  // ctx.constant = 2, as in Python
  [attr: string]: any;

  /** Per forward argument: does it require grad (false for non-tensor arguments). */
  needs_input_grad: boolean[] = [];
  /** @internal the Function subclass whose backward this node runs */
  readonly _cls: FunctionClass;
  /** @internal per forward argument: is it a tensor (backward's gradients for the others must be null) */
  _isTensorInput: boolean[] = [];
  /** @internal what save_for_backward / mark_dirty / mark_non_differentiable were given, until
   *  apply() processes them after forward */
  _toSave: unknown[] | null = null;
  _dirty: unknown[] | null = null;
  _nonDifferentiable: unknown[] | null = null;
  /** @internal ctx.set_materialize_grads */
  _materializeGrads = true;

  constructor(cls: FunctionClass, edges: readonly Tensor[]) {
    super(`${cls.name}Backward`, null, edges);
    this._cls = cls;
  }

  save_for_backward(...tensors: (Tensor | null)[]): void { this._toSave = tensors; }
  /** Tensors the forward modified in place: they are returned as outputs and take this node as
   *  their history (their version is bumped once more, as PyTorch does). */
  mark_dirty(...tensors: Tensor[]): void { this._dirty = tensors; }
  /** Outputs that get no gradient: they do not require grad, and backward receives zeros for them. */
  mark_non_differentiable(...tensors: Tensor[]): void { this._nonDifferentiable = tensors; }
  /** With false, backward receives null (not zeros) for outputs no gradient reached. */
  set_materialize_grads(value: boolean): void { this._materializeGrads = value; }

  /** The tensors given to save_for_backward, version-checked (Note [Saved tensor versions]); a
   *  null saved stays null (typed as Tensor for the common case, as PyTorch's tuple of Tensors). */
  get saved_tensors(): Tensor[] { return this._unpack(); }

  override get _takesUndefinedGrads(): boolean { return true; }
  override get _returnsOwnTensors(): boolean { return false; }

  /** @internal PyTorch's PyNode::release_variables marks the buffers freed even when nothing was
   *  saved, so a second backward that reads ctx.saved_tensors fails either way. */
  override _release(): void { this._saved = null; this._freed = true; }

  /** Runs the user's backward: one gradient per forward output in, one per forward argument out. */
  override apply(grads: (Tensor | null)[]): Grads {
    const meta = this._outputMeta;
    const gradOutputs = grads.map((g, i) => {
      if (g || !this._materializeGrads) return g ?? null;
      const m = meta[i];
      return m ? zeros(m.shape, m.dtype, m.device) : null;
    });
    const cls = this._cls;
    if (cls.backward !== Function.backward && cls.vjp !== Function.vjp)
      throw new Error("Implementing both 'backward' and 'vjp' for a custom Function is not allowed. You should only implement one of them.");
    const fn = cls.vjp !== Function.vjp ? cls.vjp : cls.backward;
    const r: unknown = fn.call(cls, this, ...gradOutputs);
    // A non-array result is a 1-tuple (Python's ensure_tuple); undefined is a JS function's None.
    let res = (Array.isArray(r) ? r : [r]).map((v) => v ?? null);
    const n = this._isTensorInput.length;
    // Returning too many results is fine as long as the extra ones are all null.
    if (res.length > n && res.slice(n).every((v) => v === null)) res = res.slice(0, n);
    if (res.length !== n)
      throw new Error(`function ${this.name()} returned an incorrect number of gradients (expected ${n}, got ${res.length})`);
    const out: Grads = [];
    res.forEach((v, i) => {
      if (!this._isTensorInput[i]) {
        if (v !== null)
          throw new Error(`function ${this.name()} returned a gradient different than None at position ${i + 1}, but the corresponding forward input was not a Variable`);
        return;
      }
      if (v !== null && !(v instanceof Tensor)) throw new Error(`expected Variable or None (got ${typeName(v)})`);
      out.push(v);
    });
    return out;
  }
}

export type FunctionClass = typeof Function;

/** forward's arguments after ctx (or all of them, for a forward used with setup_context). */
type ApplyArgs<F> = F extends (ctx: FunctionCtx, ...args: infer A) => unknown ? A
  : F extends (...args: infer A) => unknown ? A : never;
type ApplyResult<F> = F extends (...args: never[]) => infer R ? R : never;

export class Function {
  /** forward(ctx, ...args), or forward(...args) when setup_context is overridden. Runs under no_grad. */
  static forward(..._args: any[]): any {
    throw new Error("You must implement the forward function for custom autograd.Function.");
  }
  /** PyTorch 2.x style: forward takes no ctx, and this records what backward needs. */
  static setup_context(_ctx: FunctionCtx, _inputs: unknown[], _output: unknown): void {
    throw new Error("setup_context is not implemented.");
  }
  static backward(_ctx: FunctionCtx, ..._grad_outputs: any[]): any {
    throw new Error("You must implement either the backward or vjp method for your custom autograd.Function to use it with backward mode AD.");
  }
  /** backward under its other name: a Function defines one of the two. */
  static vjp(ctx: FunctionCtx, ...grad_outputs: any[]): any { return Function.backward(ctx, ...grad_outputs); }

  /** Runs forward and, when an input requires grad (and grad mode is on), records the ctx as the
   *  outputs' grad_fn. */
  static apply<C extends FunctionClass>(this: C | void, ...args: ApplyArgs<C["forward"]>): ApplyResult<C["forward"]> {
    const cls = this as FunctionClass;
    const isTensor = args.map((a) => a instanceof Tensor);
    const inputs = args.filter((a): a is Tensor => a instanceof Tensor);
    const needs = args.map((a) => a instanceof Tensor && a.requires_grad);
    const executable = is_grad_enabled() && needs.some(Boolean);
    const ctx = new FunctionCtx(cls, executable ? inputs : []);
    ctx.needs_input_grad = needs;
    ctx._isTensorInput = isTensor;
    const raw: unknown = no_grad(() => {
      if (cls.setup_context === Function.setup_context) return cls.forward(ctx, ...args);
      const out: unknown = cls.forward(...args);
      cls.setup_context(ctx, args, out);
      return out;
    });
    const single = !Array.isArray(raw);
    const outputs = processOutputs(ctx, inputs, single ? [raw] : (raw as unknown[]).slice(), executable);
    return (single ? outputs[0] : outputs) as ApplyResult<C["forward"]>;
  }
}

// Note [apply is a classmethod]: Python binds Function.apply to the class it is read from, so
// `const P3 = LegendrePolynomial3.apply; P3(x)` works. The getter does the same: reading `apply` off
// any subclass gives the method bound to that subclass.
const applyMethod = Function.apply;
Object.defineProperty(Function, "apply", {
  get(this: FunctionClass) { return applyMethod.bind(this as never); },
  configurable: true,
});

function tensorsOf(list: unknown[] | null, what: (i: number, v: unknown) => string): Set<Tensor> {
  const set = new Set<Tensor>();
  (list ?? []).forEach((v, i) => {
    if (!(v instanceof Tensor)) throw new TypeError(what(i, v));
    set.add(v);
  });
  return set;
}

/** Connects forward's outputs to the graph, as PyTorch's process_outputs: dirty inputs bumped and
 *  rebased onto the ctx, inputs returned as-is replaced by views of themselves (so they can take a
 *  new grad_fn), non-differentiable outputs detached, then the saved tensors recorded (after the
 *  outputs have their history, so saving an output refers to this node). */
function processOutputs(ctx: FunctionCtx, inputs: readonly Tensor[], outputs: unknown[], executable: boolean): unknown[] {
  const toSave = ctx._toSave ?? [];
  if (executable) toSave.forEach((t, i) => {
    if (t !== null && t !== undefined && !(t instanceof Tensor))
      throw new TypeError(`save_for_backward can only save variables, but argument ${i} is of type ${typeName(t)}`);
  });
  // (PyTorch 2.13's messages end there: its formatting drops the argument's number and type)
  const nonDiff = tensorsOf(ctx._nonDifferentiable, () => "mark_non_differentiable only accepts variable arguments, but got ");
  const dirty = tensorsOf(ctx._dirty, () => "mark_dirty can only accept variables, but argument ");
  ctx._toSave = ctx._dirty = ctx._nonDifferentiable = null;
  for (const t of dirty) t._bumpVersion();

  const isInput = new Set(inputs);
  const meta: (TensorMeta | null)[] = [];
  let diffOutputs = 0;
  const result = outputs.map((o, i) => {
    if (!(o instanceof Tensor)) { meta.push(null); return o; }
    let v = o;
    meta.push(new TensorMeta(v.shape.slice(), v.dtype));
    const input = isInput.has(v), modified = dirty.has(v);
    const differentiable = executable && !nonDiff.has(v) && v.dtype.is_floating_point;
    if (!differentiable) {
      if (!v.requires_grad) return markCustomView(input && !modified ? selfView(v) : v, input, modified);
      // Detached aliases of inputs, rather than changing the inputs' requires_grad.
      if (input) return detach(v);
      // (a view keeps requiring grad through its base, as a view made under no_grad does)
      if (v._creationMeta === null) detach_(v);
      return markCustomView(v, input, modified);
    }
    if (modified) {
      if (v.is_leaf && v.requires_grad) throw new Error("a leaf Variable that requires grad has been used in an in-place operation.");
      if (!input) console.warn("Only input Tensors should be given to ctx.mark_dirty(). If a Tensor is not an input, there is no need to pass it to mark_dirty().");
      if (v._creationMeta !== null && outputs.length > 1)
        throw new Error("If your Function modifies inplace an input that is a view of another Tensor, your Function cannot return more than one Tensor. This is not supported by the current autograd engine. You should either make sure the input is not a view (using .clone() for example) or make your Function only return one Tensor (potentially splitting it into two Functions: one doing the inplace that returns a single Tensor and a second one that does the other operations). You can ask on the forum https://discuss.pytorch.org/ if you need help to do this change.");
      v.grad = null;
      rebaseHistory(v, ctx, i, input ? inputs.indexOf(v) : -1);
      diffOutputs++;
      return markCustomView(v, input, modified);
    }
    if (input) v = selfView(v);
    v._grad_fn = ctx;
    v._output_nr = i;
    v._attrVersion = v._version; // (a view's grad_fn is recorded now, after whatever forward wrote)
    diffOutputs++;
    return markCustomView(v, input, modified);
  });
  // Several differentiable outputs: their views count as a multi-output node's (as split's).
  if (diffOutputs > 1) for (const o of result) if (o instanceof Tensor && o._creationMeta !== null) o._creationMeta = "multi_output_node";
  for (const t of dirty) {
    if (!outputs.includes(t))
      throw new Error("Some elements marked as dirty during the forward method were not returned as output. The inputs that are modified inplace must all be outputs of the Function.");
  }
  if (executable) {
    ctx._outputMeta = meta;
    ctx._save(toSave.map((t) => (t instanceof Tensor ? t : null)));
  }
  return result;
}

/** Outputs that are views may not be written in place, since the rebase would bypass the custom
 *  backward (Note [Differentiable views]); an input marked dirty and returned is exempt, as in
 *  PyTorch's _process_backward_mode_ad. */
function markCustomView(v: Tensor, input: boolean, modified: boolean): Tensor {
  if (!(input && modified) && v._creationMeta !== null) v._creationMeta = "in_custom_function";
  return v;
}

/** x.view_as(x) without recording: a new tensor object on x's storage, so that an input returned
 *  as-is can take the custom node as its grad_fn without the input changing. */
function selfView(x: Tensor): Tensor {
  return viewOf(x, { shape: x.shape.slice(), strides: x.stride(), offset: x.storage_offset() });
}
