// torch.autograd.functional: Jacobians, Hessians and their products with vectors, built on
// torch.autograd.grad exactly as PyTorch's torch/autograd/functional.py builds them (same
// preprocessing of inputs, same double-backward trick for jvp/hvp, same strict-mode checks and
// words). Python tuples are JS arrays: a function of several inputs gets an array of inputs, and
// results nest as PyTorch's tuples do (jacobian(f, [x, y]) of a tuple-valued f is J[i][j]).

import { Tensor } from "../core/tensor.js";
import { grad } from "./api.js";
import { enable_grad, is_grad_enabled, set_grad_enabled } from "./grad_mode.js";
import { pyTypeName } from "../core/printing.js";
import { stack } from "../ops/indexing.js";
import { zeros_like } from "../ops/creation.js";
import { isOptions } from "../ops/util.js";

type Tensors = Tensor | Tensor[];
type Func<O> = (...inputs: Tensor[]) => O;
/** Like the inputs (or outputs): a tensor for a tensor, an array for an array. */
type Like<T> = T extends Tensor ? Tensor : Tensor[];
/** jacobian's result: J[i][j] for output i and input j, with a level dropped where PyTorch drops it. */
export type Jacobian<O, I> = O extends Tensor ? Like<I> : I extends Tensor ? Tensor[] : Tensor[][];
export type Hessian<I> = I extends Tensor ? Tensor : Tensor[][];

export interface ProductOptions { create_graph?: boolean; strict?: boolean }
export type Strategy = "forward-mode" | "reverse-mode";
export interface JacobianOptions extends ProductOptions { vectorize?: boolean; strategy?: Strategy }
export interface HessianOptions extends ProductOptions { vectorize?: boolean; outer_jacobian_strategy?: Strategy }

type Stage = "back" | "back_trick" | "double_back" | "double_back_trick";
type Check = "outputs" | "grad_inputs" | "jacobian" | "hessian";

/** Whether x was an array (Python: a tuple), and x as an array of tensors. */
function asTuple(x: unknown, argName: string, fnName: string): [boolean, Tensor[]] {
  const isTuple = Array.isArray(x);
  const list: unknown[] = isTuple ? x : [x];
  list.forEach((el, i) => {
    if (el instanceof Tensor) return;
    const where = isTuple ? `value at index ${i}` : `given ${argName}`;
    throw new TypeError(`The ${argName} given to ${fnName} must be either a Tensor or a tuple of Tensors but the ${where} has type <class '${pyTypeName(el, "tuple")}'>.`);
  });
  return [isTuple, list as Tensor[]];
}

/** Undoes asTuple on a result: `unpack` is whether it was a tuple, or [outer, inner] for nested results. */
function tuplePostprocess(res: unknown[], unpack: boolean | [boolean, boolean]): any {
  if (Array.isArray(unpack)) {
    if (!unpack[1]) res = res.map((el) => (el as unknown[])[0]);
    return unpack[0] ? res : res[0];
  }
  return unpack ? res : res[0];
}

/** New tensor objects for the inputs, so that gradients are taken with respect to these and not to
 *  the same tensors captured by the user's function (pytorch/pytorch#32576): differentiable views
 *  when create_graph should reach the caller's inputs, detached leaves otherwise. */
function gradPreprocess(inputs: readonly Tensor[], createGraph: boolean, needGraph: boolean): Tensor[] {
  return inputs.map((x) => (createGraph && x.requires_grad ? x.view_as(x) : x.detach().requires_grad_(needGraph)));
}

/** Drops the history of results when the caller did not ask for a graph. */
function gradPostprocess<T extends Tensor[] | Tensor[][]>(xs: T, createGraph: boolean): T {
  if (createGraph) return xs;
  return xs.map((x) => (x instanceof Tensor ? x.detach() : gradPostprocess(x, createGraph))) as T;
}

function validateV(v: readonly Tensor[], other: readonly Tensor[], isOtherTuple: boolean): void {
  if (v.length !== other.length) {
    throw new Error(isOtherTuple ? `v is a tuple of invalid length: should be ${other.length} but got ${v.length}.`
      : "The given v should contain a single Tensor.");
  }
  v.forEach((el, i) => {
    const want = other[i]!.shape, got = el.shape;
    if (want.length !== got.length || want.some((s, k) => s !== got[k])) {
      const prepend = isOtherTuple ? `Entry ${i} in ` : "";
      throw new Error(`${prepend}v has invalid size: should be torch.Size([${want.join(", ")}]) but got torch.Size([${got.join(", ")}]).`);
    }
  });
}

/** Strict mode's checks that everything that should depend on the inputs does. */
function checkRequiresGrad(xs: readonly (Tensor | null)[], kind: Check, strict: boolean): void {
  if (!strict) return;
  xs.forEach((x, i) => {
    if (x === null)
      throw new Error(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
    if (x.requires_grad) return;
    switch (kind) {
      case "hessian":
        throw new Error(`The hessian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is thrice differentiable and that the hessian depends on the inputs.`);
      case "jacobian":
        throw new Error(`While computing the hessian, found that the jacobian of the user-provided function with respect to input ${i} is independent of the input. This is not allowed in strict mode. You should ensure that your function is twice differentiable and that the jacobian depends on the inputs (this would be violated by a linear function for example).`);
      case "grad_inputs":
        throw new Error(`The gradient with respect to input ${i} is independent of the inputs of the user-provided function. This is not allowed in strict mode.`);
      default:
        throw new Error(`Output ${i} of the user-provided function does not require gradients. The outputs must be computed in a differentiable manner from the input when running in strict mode.`);
    }
  });
}

/** autograd.grad that skips outputs which are null or need no gradient (all nulls when none is left). */
function autogradGrad(
  outputs: readonly (Tensor | null)[], inputs: readonly Tensor[], gradOutputs: readonly (Tensor | null)[] | null,
  opts: { create_graph: boolean; retain_graph?: boolean },
): (Tensor | null)[] {
  const outs: Tensor[] = [], gos: (Tensor | null)[] = [];
  outputs.forEach((o, i) => {
    if (o !== null && o.requires_grad) { outs.push(o); gos.push(gradOutputs?.[i] ?? null); }
  });
  if (outs.length === 0) return inputs.map(() => null);
  return grad(outs, inputs.slice(), { grad_outputs: gos, allow_unused: true, create_graph: opts.create_graph, retain_graph: opts.retain_graph ?? null });
}

/** Replaces missing gradients by zeros shaped like `refs`, or, in strict mode, throws the error
 *  that says which stage found the independence. */
function fillInZeros(grads: readonly (Tensor | null)[], refs: readonly Tensor[], strict: boolean, createGraph: boolean, stage: Stage): Tensor[] {
  return grads.map((g, i) => {
    if (g === null) {
      if (strict) {
        switch (stage) {
          case "back":
            throw new Error(`The output of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
          case "back_trick":
            throw new Error(`The gradient with respect to the input is independent of entry ${i} in the grad_outputs when using the double backward trick to compute forward mode gradients. This is not allowed in strict mode.`);
          case "double_back":
            throw new Error(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode.`);
          default:
            throw new Error(`The hessian of the user-provided function is independent of entry ${i} in the grad_jacobian. This is not allowed in strict mode as it prevents from using the double backward trick to replace forward mode AD.`);
        }
      }
      return zeros_like(refs[i]!);
    }
    if (strict && createGraph && !g.requires_grad) {
      const what = stage.includes("double") ? "hessian" : "jacobian";
      throw new Error(`The ${what} of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
    }
    return g;
  });
}

/** The optional vector v and the options object, either of which may be left out. */
function vAndOptions(v: Tensors | null | undefined | ProductOptions, opts?: ProductOptions): [Tensors | null, Required<ProductOptions>] {
  if (isOptions(v)) { opts = v as ProductOptions; v = null; }
  return [(v as Tensors | null | undefined) ?? null, { create_graph: opts?.create_graph ?? false, strict: opts?.strict ?? false }];
}

/** Prepares v for a product: checked against `like`, or, when absent, allowed only if `like` is a
 *  single one-element tensor (`noV` is PyTorch's error for that case). */
function prepareV(v: Tensors | null, like: readonly Tensor[], likeIsTuple: boolean, fnName: string, createGraph: boolean, noV: string): Tensor[] | null {
  if (v === null) {
    if (like.length !== 1 || like[0]!.numel() !== 1) throw new Error(noV);
    return null;
  }
  const vs = gradPreprocess(asTuple(v, "v", fnName)[1], createGraph, false);
  validateV(vs, like, likeIsTuple);
  return vs;
}

const OUTPUTS = "outputs of the user-provided function";

/** The vector-Jacobian product vᵀJ at the inputs: [func(inputs), vjp], vjp shaped like the inputs. */
export function vjp<I extends Tensors, O extends Tensors>(func: Func<O>, inputs: I, v?: Tensors | null | ProductOptions, opts?: ProductOptions): [O, Like<I>] {
  const [v0, { create_graph, strict }] = vAndOptions(v, opts);
  const [isInputsTuple, ins, isOutputsTuple, outs, vs] = enable_grad(() => {
    const [isInputsTuple, ins0] = asTuple(inputs, "inputs", "vjp");
    const ins = gradPreprocess(ins0, create_graph, true);
    const [isOutputsTuple, outs] = asTuple(func(...ins), OUTPUTS, "vjp");
    checkRequiresGrad(outs, "outputs", strict);
    const vs = prepareV(v0, outs, isOutputsTuple, "vjp", create_graph,
      "The vector v can only be None if the user-provided function returns a single Tensor with a single element.");
    return [isInputsTuple, ins, isOutputsTuple, outs, vs] as const;
  });
  const res = set_grad_enabled(create_graph || is_grad_enabled(), () =>
    fillInZeros(autogradGrad(outs, ins, vs, { create_graph }), ins, strict, create_graph, "back"));
  return [tuplePostprocess(gradPostprocess(outs, create_graph), isOutputsTuple), tuplePostprocess(gradPostprocess(res, create_graph), isInputsTuple)];
}

/** The Jacobian-vector product Jv at the inputs: [func(inputs), jvp], jvp shaped like the outputs.
 *  Computed, as PyTorch does, by the double-backward trick: the vjp u ↦ uᵀJ is linear in u, so
 *  differentiating it with respect to u along v gives Jv. */
export function jvp<I extends Tensors, O extends Tensors>(func: Func<O>, inputs: I, v?: Tensors | null | ProductOptions, opts?: ProductOptions): [O, Like<O>] {
  const [v0, { create_graph, strict }] = vAndOptions(v, opts);
  const [outs, isOutputsTuple, gradOutputs, gradInputs, vs] = enable_grad(() => {
    const [isInputsTuple, ins0] = asTuple(inputs, "inputs", "jvp");
    const ins = gradPreprocess(ins0, create_graph, true);
    const vs = prepareV(v0, ins, isInputsTuple, "jvp", create_graph,
      "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.");
    const [isOutputsTuple, outs] = asTuple(func(...ins), OUTPUTS, "jvp");
    checkRequiresGrad(outs, "outputs", strict);
    // The backward is linear in grad_outputs, so their value does not matter as long as it is finite.
    const gradOutputs = outs.map((o) => zeros_like(o).requires_grad_(true));
    const gradInputs = autogradGrad(outs, ins, gradOutputs, { create_graph: true });
    checkRequiresGrad(gradInputs, "grad_inputs", strict);
    return [outs, isOutputsTuple, gradOutputs, gradInputs, vs] as const;
  });
  const compute = (): Tensor[] =>
    fillInZeros(autogradGrad(gradInputs, gradOutputs, vs, { create_graph }), outs, strict, create_graph, "back_trick");
  const res = create_graph ? enable_grad(compute) : compute();
  return [tuplePostprocess(gradPostprocess(outs, create_graph), isOutputsTuple), tuplePostprocess(gradPostprocess(res, create_graph), isOutputsTuple)];
}

/** The Jacobian of func at the inputs, one reverse pass per output element. J[i][j] has the shape
 *  of output i followed by the shape of input j, and the dtype of input j. */
export function jacobian<I extends Tensors, O extends Tensors>(func: Func<O>, inputs: I, opts: JacobianOptions = {}): Jacobian<O, I> {
  const create_graph = opts.create_graph ?? false, strict = opts.strict ?? false;
  const vectorize = opts.vectorize ?? false, strategy = opts.strategy ?? "reverse-mode";
  if (strategy !== "forward-mode" && strategy !== "reverse-mode")
    throw new Error('Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your function has more outputs than inputs, "forward-mode" tends to be more performant. Otherwise, prefer to use "reverse-mode".');
  if (strategy === "forward-mode") {
    if (create_graph)
      throw new Error('torch.autograd.functional.jacobian: `create_graph=True` and `strategy="forward-mode"` are not supported together (yet). Please either set `create_graph=False` or `strategy="reverse-mode"`.');
    if (strict)
      throw new Error('torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` are not supported together (yet). Please either set `strict=False` or `strategy="reverse-mode"`.');
    if (!vectorize)
      throw new Error("Computing Jacobian using forward-AD or forward-over-reverse Hessian isonly implemented for `vectorize=True`.");
    // typetorch has no forward-mode AD: the strategy and vectorize are performance hints, and the
    // reverse-mode loop below computes the same Jacobian.
  }
  return enable_grad(() => {
    const [isInputsTuple, ins0] = asTuple(inputs, "inputs", "jacobian");
    const ins = gradPreprocess(ins0, create_graph, true);
    const [isOutputsTuple, outs] = asTuple(func(...ins), OUTPUTS, "jacobian");
    checkRequiresGrad(outs, "outputs", strict);
    if (vectorize && strict)
      throw new Error("torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not supported together. Please either set `strict=False` or `vectorize=False`.");
    // (vectorize batches the rows with vmap in PyTorch; row by row gives the same Jacobian.)
    const jac = outs.map((out, i) => {
      const rows: Tensor[][] = ins.map(() => []);
      const flat = out.reshape(-1);
      for (let k = 0; k < out.numel(); k++) {
        const vj = autogradGrad([flat.select(0, k)], ins, null, { create_graph, retain_graph: true });
        vj.forEach((g, j) => {
          if (g !== null) {
            if (strict && create_graph && !g.requires_grad)
              throw new Error(`The jacobian of the user-provided function is independent of input ${i}. This is not allowed in strict mode when create_graph=True.`);
            rows[j]!.push(g);
          } else {
            if (strict)
              throw new Error(`Output ${i} of the user-provided function is independent of input ${j}. This is not allowed in strict mode.`);
            rows[j]!.push(zeros_like(ins[j]!));
          }
        });
      }
      return rows.map((r, j) => stack(r, 0).view([...out.shape, ...ins[j]!.shape]));
    });
    return tuplePostprocess(gradPostprocess(jac, create_graph), [isOutputsTuple, isInputsTuple]);
  });
}

/** The Hessian of a scalar function: the Jacobian of its gradient. H[i][j] has the shape of
 *  input i followed by that of input j. */
export function hessian<I extends Tensors>(func: Func<Tensors>, inputs: I, opts: HessianOptions = {}): Hessian<I> {
  const strict = opts.strict ?? false, outer = opts.outer_jacobian_strategy ?? "reverse-mode";
  const [isInputsTuple, ins] = asTuple(inputs, "inputs", "hessian");
  if (outer !== "forward-mode" && outer !== "reverse-mode") throw new Error('Expected strategy to be either "forward-mode" or "reverse-mode".');
  const singleOutput = (...xs: Tensor[]): Tensor => {
    const out = func(...xs);
    const [isOutTuple, tOut] = asTuple(out, OUTPUTS, "hessian");
    checkRequiresGrad(tOut, "outputs", strict);
    if (isOutTuple) throw new Error("The function given to hessian should return a single Tensor");
    const o = tOut[0]!;
    if (o.numel() !== 1) throw new Error("The Tensor returned by the function given to hessian should contain a single element");
    return o.squeeze();
  };
  const jacFunc = (...xs: Tensor[]): Tensor[] => {
    if (outer === "forward-mode") xs = xs.map((t) => t.requires_grad_(true));
    const jac = jacobian(singleOutput, xs, { create_graph: true });
    checkRequiresGrad(jac, "jacobian", strict);
    return jac;
  };
  const res = jacobian(jacFunc, ins, { create_graph: opts.create_graph ?? false, strict, vectorize: opts.vectorize ?? false, strategy: outer });
  return tuplePostprocess(res, [isInputsTuple, isInputsTuple]);
}

/** Checks shared by vhp and hvp: func returns one single-element tensor. */
function scalarOutput(out: unknown, strict: boolean, fnName: string): [boolean, Tensor[]] {
  const [isOutputsTuple, outs] = asTuple(out, OUTPUTS, fnName);
  checkRequiresGrad(outs, "outputs", strict);
  if (isOutputsTuple) throw new Error(`The function given to ${fnName} should return a single Tensor`);
  if (outs[0]!.numel() !== 1) throw new Error(`The Tensor returned by the function given to ${fnName} should contain a single element`);
  return [isOutputsTuple, outs];
}

const NO_V_FOR_INPUT = "The vector v can only be None if the input to the user-provided function is a single Tensor with a single element.";

/** The vector-Hessian product vᵀH of a scalar function: [func(inputs), vhp], shaped like the inputs. */
export function vhp<I extends Tensors>(func: Func<Tensors>, inputs: I, v?: Tensors | null | ProductOptions, opts?: ProductOptions): [Tensor, Like<I>] {
  const [v0, { create_graph, strict }] = vAndOptions(v, opts);
  const [isInputsTuple, ins, outs, vs, jac] = enable_grad(() => {
    const [isInputsTuple, ins0] = asTuple(inputs, "inputs", "vhp");
    const ins = gradPreprocess(ins0, create_graph, true);
    const vs = prepareV(v0, ins, isInputsTuple, "vhp", create_graph, NO_V_FOR_INPUT);
    const [, outs] = scalarOutput(func(...ins), strict, "vhp");
    const jac = autogradGrad(outs, ins, null, { create_graph: true });
    checkRequiresGrad(jac, "jacobian", strict);
    return [isInputsTuple, ins, outs, vs, jac] as const;
  });
  const res = set_grad_enabled(create_graph || is_grad_enabled(), () =>
    fillInZeros(autogradGrad(jac, ins, vs, { create_graph }), ins, strict, create_graph, "double_back"));
  return [gradPostprocess(outs, create_graph)[0]!, tuplePostprocess(gradPostprocess(res, create_graph), isInputsTuple)];
}

/** The Hessian-vector product Hv of a scalar function: [func(inputs), hvp], shaped like the inputs.
 *  Like jvp, by the double-backward trick (for a twice continuously differentiable function it
 *  equals vhp, which is cheaper). */
export function hvp<I extends Tensors>(func: Func<Tensors>, inputs: I, v?: Tensors | null | ProductOptions, opts?: ProductOptions): [Tensor, Like<I>] {
  const [v0, { create_graph, strict }] = vAndOptions(v, opts);
  const [isInputsTuple, ins, outs, vs, gradJac, doubleBack] = enable_grad(() => {
    const [isInputsTuple, ins0] = asTuple(inputs, "inputs", "hvp");
    const ins = gradPreprocess(ins0, create_graph, true);
    const vs = prepareV(v0, ins, isInputsTuple, "hvp", create_graph, NO_V_FOR_INPUT);
    const [, outs] = scalarOutput(func(...ins), strict, "hvp");
    const jac = autogradGrad(outs, ins, null, { create_graph: true });
    checkRequiresGrad(jac, "jacobian", strict);
    const gradJac = ins.map((x) => zeros_like(x).requires_grad_(true));
    const doubleBack = autogradGrad(jac, ins, gradJac, { create_graph: true });
    checkRequiresGrad(jac, "hessian", strict);
    return [isInputsTuple, ins, outs, vs, gradJac, doubleBack] as const;
  });
  const res = set_grad_enabled(create_graph || is_grad_enabled(), () =>
    fillInZeros(autogradGrad(doubleBack, gradJac, vs, { create_graph }), ins, strict, create_graph, "double_back_trick"));
  return [gradPostprocess(outs, create_graph)[0]!, tuplePostprocess(gradPostprocess(res, create_graph), isInputsTuple)];
}
