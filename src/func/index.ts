// torch.func (functorch's function transforms): grad, grad_and_value, vjp, jvp, jacrev, jacfwd,
// hessian, vmap and functional_call, over pytrees of tensors (arrays for Python's tuples and lists,
// plain objects for dicts) as in PyTorch.
//
// Note [torch.func on reverse-mode autograd]: the transforms are built on torch.autograd.grad.
// Each call of a transformed function makes its differentiable inputs fresh graph roots (a view of
// an input that already requires grad, so that an enclosing transform or torch.autograd still
// reaches it; a detached leaf otherwise) and differentiates the function's outputs with respect to
// them. Nested transforms (hessian = jacfwd(jacrev(f)), grad(grad(f))) record their gradients'
// own graphs (create_graph) so that the enclosing one can differentiate them; a transform at top
// level on inputs that do not require grad records nothing, and its results carry no history.
// jvp and jacfwd compute forward-mode products with the double-vjp trick (the vjp is linear in its
// cotangent, so differentiating it along a tangent gives the jvp), the same numbers forward-mode
// AD gives.

import { Tensor } from "../core/tensor.js";
import { grad as autogradGrad } from "../autograd/api.js";
import { enable_grad } from "../autograd/grad_mode.js";
import { pyTypeName } from "../core/printing.js";
import { stack, cat } from "../ops/indexing.js";
import { zeros_like } from "../ops/creation.js";
import { get_rng_state } from "../core/random.js";
import { BatchedTensor, levels, checkNoDraws, recordingTransforms } from "./batched.js";
import { physical, physicalLike, batchedAtAllLevels, rewrap, dispatchOp } from "./batching_rules.js";
import type { Module } from "../nn/module.js";
import { isContainer, treeFlatten, treeStr } from "./pytree.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Fn = (...args: any[]) => any;
type Argnums = number | readonly number[];

const pyType = (x: unknown): string => `<class '${pyTypeName(x, "tuple")}'>`;

/** How many autograd transforms (grad, vjp, jvp, jac*) enclose the running code. */
let depth = 0;
function nested<T>(f: () => T): T {
  depth++;
  try { return enable_grad(f); } finally { depth--; }
}

/** A fresh graph root for x (Note [torch.func on reverse-mode autograd]); inside vmap, one
 *  batched at every level (Note [Gradients inside vmap]). */
function differentiable(x: unknown): Tensor {
  if (!(x instanceof Tensor)) throw new Error(`Thing passed to transform API must be Tensor, got ${pyType(x)}`);
  if (levels.length > 0) {
    const b = batchedAtAllLevels(x), p = physical(b);
    return rewrap(b, p.requires_grad ? p.view_as(p) : p.detach().requires_grad_(true));
  }
  return x.requires_grad ? x.view_as(x) : x.detach().requires_grad_(true);
}

/** Whether the gradients must be recorded: inside another transform, or for inputs that require
 *  grad themselves (torch.autograd through torch.func). */
function mustRecord(leaves: readonly unknown[]): boolean {
  return depth > 1 || leaves.some((l) => l instanceof Tensor && l.requires_grad);
}

/**
 * d outputs / d inputs along the cotangents, zeros for inputs the outputs do not depend on.
 *
 * Note [Gradients inside vmap]: the graph is recorded on the physical tensors under the batched
 * ones (func/batched.ts), so the gradient is taken there: the roots are batched at every running
 * vmap level (differentiable() expands a tensor the samples share), the samples never mix in the
 * batching rules, so the gradient of all the samples' outputs with respect to the batched root
 * holds each sample's own gradient in its place, laid out as the root, whose wrappers it gets.
 */
function vjpOf(outs: readonly Tensor[], cts: readonly Tensor[], ins: readonly Tensor[], createGraph: boolean): Tensor[] {
  const used = outs.map((o, i) => [o, cts[i]!] as const).filter(([o]) => o.requires_grad);
  const gs = used.length === 0 ? ins.map(() => null)
    : autogradGrad(used.map(([o]) => physical(o)), ins.map(physical), {
      grad_outputs: used.map(([o, c]) => physicalLike(c, o)), create_graph: createGraph, retain_graph: true, allow_unused: true,
    });
  return gs.map((g, i) => (g === null ? zeros_like(ins[i]!) : rewrap(ins[i]!, g)));
}

/** f() (the transformed function's call) counted among the transforms whose gradients are
 *  recorded, where they are. */
function callRecording<T>(record: boolean, f: () => T): T {
  if (!record) return f();
  recordingTransforms.count++;
  try { return f(); } finally { recordingTransforms.count--; }
}

const done = (t: Tensor, record: boolean): Tensor => (record ? t : t.detach());
const doneTree = (tree: unknown, record: boolean): unknown => {
  const [leaves, unflatten] = treeFlatten(tree);
  return unflatten(leaves.map((l) => (l instanceof Tensor ? done(l, record) : l)));
};

function wrapArgnum(argnum: unknown, n: number): number {
  if (typeof argnum !== "number" || !Number.isInteger(argnum)) throw new Error(`argnum must be int, got: ${pyType(argnum)}`);
  if (argnum >= 0 && argnum < n) return argnum;
  if (argnum < 0 && argnum >= -n) return argnum + n;
  throw new Error(`Got argnum=${argnum}, but only ${n} positional inputs`);
}

/** args[argnums] (a tuple of them for a tuple of argnums), the function that puts new values
 *  back in their places, and their flattened leaves. */
function sliceArgnums(args: readonly unknown[], argnums: Argnums): [unknown, (v: unknown) => unknown[]] {
  if (typeof argnums !== "number") {
    if (!Array.isArray(argnums)) throw new Error(`argnums must be int or Tuple[int, ...], got: ${pyType(argnums)}`);
    if (argnums.length === 0) throw new Error("argnums must be non-empty");
    const idx = argnums.map((a) => wrapArgnum(a, args.length));
    if (new Set(idx).size !== idx.length) throw new Error(`argnums elements must be unique, got (${argnums.join(", ")})`);
    return [idx.map((i) => args[i]), (v) => { const out = args.slice(); idx.forEach((i, k) => { out[i] = (v as unknown[])[k]; }); return out; }];
  }
  const i = wrapArgnum(argnums, args.length);
  return [args[i], (v) => { const out = args.slice(); out[i] = v; return out; }];
}

export interface GradOptions { argnums?: Argnums; has_aux?: boolean }

function gradOptions(argnums: Argnums | GradOptions | undefined, has_aux: boolean | undefined): Required<GradOptions> {
  if (argnums !== undefined && typeof argnums === "object" && !Array.isArray(argnums)) {
    const o = argnums as GradOptions;
    return { argnums: o.argnums ?? 0, has_aux: o.has_aux ?? false };
  }
  return { argnums: (argnums as Argnums | undefined) ?? 0, has_aux: has_aux ?? false };
}

function gradAndValueImpl(func: Fn, o: Required<GradOptions>, args: unknown[]): [unknown, Tensor, unknown] {
  return nested(() => {
    const [diffTree, replace] = sliceArgnums(args, o.argnums);
    const [leaves, unflatten] = treeFlatten(diffTree);
    const record = mustRecord(leaves);
    const diff = leaves.map(differentiable);
    const [output, aux] = splitAux(callRecording(record, () => func(...replace(unflatten(diff)))), o.has_aux, "grad_and_value(f)(*args)");
    if (!(output instanceof Tensor)) throw new Error(`grad_and_value(f)(*args): Expected f(*args) to return a Tensor, got ${pyType(output)}`);
    if (output.ndim !== 0) {
      throw new Error(`grad_and_value(f)(*args): Expected f(*args) to return a scalar Tensor, got tensor with ${output.ndim} dims. ` +
        "Maybe you wanted to use the vjp or jacrev APIs instead?");
    }
    const grads = vjpOf([output], [zeros_like(output).fill_(1)], diff, record);
    return [unflatten(grads.map((g) => done(g, record))), done(output, record), o.has_aux ? doneTree(aux, record) : undefined];
  });
}

/** torch.func.grad(func, argnums=0, has_aux=False): the function computing the gradient of func's
 *  scalar output with respect to args[argnums] (a pytree of tensors, or a tuple of them); with
 *  has_aux, func returns [output, aux] and the gradient function [gradient, aux]. */
export function grad(func: Fn, argnums?: Argnums | GradOptions, has_aux?: boolean): Fn {
  const o = gradOptions(argnums, has_aux);
  return (...args: unknown[]) => {
    const [g, , aux] = gradAndValueImpl(func, o, args);
    return o.has_aux ? [g, aux] : g;
  };
}

/** torch.func.grad_and_value: like grad, returning [gradient, value] ([[gradient, [value, aux]]]
 *  with has_aux, as PyTorch's ((grad), (value, aux))). */
export function grad_and_value(func: Fn, argnums?: Argnums | GradOptions, has_aux?: boolean): Fn {
  const o = gradOptions(argnums, has_aux);
  return (...args: unknown[]) => {
    const [g, value, aux] = gradAndValueImpl(func, o, args);
    return o.has_aux ? [g, [value, aux]] : [g, value];
  };
}

/** [output, aux] of a function called with has_aux (which must return that pair), else
 *  [output, undefined]. */
function splitAux(out: unknown, hasAux: boolean, api: string): [unknown, unknown] {
  if (!hasAux) return [out, undefined];
  if (!(Array.isArray(out) && out.length === 2)) throw new Error(`${api}: output of function f should be a tuple: (output, aux) if has_aux is True`);
  return [out[0], out[1]];
}

/** A trailing `{has_aux}` after a variable number of primals. */
function hasAuxOption(rest: unknown[]): [unknown[], boolean] {
  const last = rest[rest.length - 1];
  if (isContainer(last) && !Array.isArray(last) && Object.keys(last).length > 0 && Object.keys(last).every((k) => k === "has_aux")) {
    return [rest.slice(0, -1), Boolean((last as { has_aux?: boolean }).has_aux)];
  }
  return [rest, false];
}

/** The outputs' tensors, checked as PyTorch checks them. */
function outputLeaves(out: unknown, api: string): [Tensor[], (l: readonly unknown[]) => unknown] {
  const [leaves, unflatten] = treeFlatten(out);
  if (leaves.length === 0) throw new Error(`${api}: Expected f to be a function that has non-empty output (got output = ${treeStr(out)})`);
  for (const l of leaves) if (!(l instanceof Tensor)) throw new Error(`${api}: Expected f(*primals) to return only tensors, got unsupported type ${pyType(l)}`);
  return [leaves as Tensor[], unflatten];
}

/** torch.func.vjp(func, ...primals[, {has_aux}]): [func(...primals), vjp_fn] (and aux), where
 *  vjp_fn(cotangents) returns the vector-Jacobian product for each primal, as a tuple. */
export function vjp(func: Fn, ...rest: unknown[]): unknown[] {
  const [primals, hasAux] = hasAuxOption(rest);
  return nested(() => {
    const [leaves, unflatten] = treeFlatten(primals);
    const record = mustRecord(leaves);
    const diff = leaves.map(differentiable);
    const [out, aux] = splitAux(callRecording(record, () => func(...(unflatten(diff) as unknown[]))), hasAux, "vjp(f, *primals)");
    const [outs] = outputLeaves(out, "vjp(f, *primals)");
    const vjp_fn = (...cts: unknown[]): unknown => {
      const [ctLeaves] = treeFlatten(cts.length === 1 ? cts[0] : cts);
      if (ctLeaves.length !== outs.length) {
        throw new Error(`Expected pytree structure of cotangents to be the same as pytree structure of outputs to the function. cotangents: ${treeStr(cts.length === 1 ? cts[0] : cts)}, primal output: ${treeStr(out)}`);
      }
      ctLeaves.forEach((c, i) => {
        if (!(c instanceof Tensor)) throw new Error(`Expected cotangents to only contain tensors, got ${pyType(c)}`);
        if (c.shape.join() !== outs[i]!.shape.join()) {
          throw new Error(`Mismatch in shape: grad_output[${i}] has a shape of torch.Size([${c.shape.join(", ")}]) and output[${i}] has a shape of torch.Size([${outs[i]!.shape.join(", ")}]).`);
        }
      });
      return nested(() => unflatten(vjpOf(outs, ctLeaves as Tensor[], diff, record || depth > 1).map((g) => done(g, record || depth > 1))));
    };
    const result = [doneTree(out, record), vjp_fn];
    return hasAux ? [...result, doneTree(aux, record)] : result;
  });
}

/** torch.func.jvp(func, primals, tangents[, {has_aux}]): [func(...primals), Jacobian-vector
 *  product] (and aux); primals and tangents are tuples (arrays) of the same structure. */
export function jvp(func: Fn, primals: unknown[], tangents: unknown[], opts: { has_aux?: boolean } = {}): unknown[] {
  if (!Array.isArray(primals)) throw new Error("jvp(f, primals, tangents): Expected primals to be a tuple. E.g. it should be valid to call f(*primals).");
  if (!Array.isArray(tangents)) throw new Error("jvp(f, primals, tangents): Expected tangents to be a tuple. E.g. it should be valid to call f(*primals).");
  const [leaves, unflatten] = treeFlatten(primals);
  const [tLeaves] = treeFlatten(tangents);
  if (tLeaves.length !== leaves.length || treeStr(primals) !== treeStr(tangents)) {
    throw new Error(`jvp(f, primals, tangents): Expected primals and tangents to have the same python structure. For example, if primals is a tuple of 3 tensors, tangents also must be. Got primals with structure ${treeStr(primals)} and tangents with structure ${treeStr(tangents)}`);
  }
  leaves.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new Error(`jvp(f, primals, tangents): Expected primals to only contain tensors, got ${pyType(p)}`);
    const t = tLeaves[i];
    if (!(t instanceof Tensor)) throw new Error(`jvp(f, primals, tangents): Expected tangents to only contain tensors, got ${pyType(t)}`);
  });
  return nested(() => {
    const record = mustRecord([...leaves, ...tLeaves]);
    const diff = leaves.map(differentiable);
    const [out, aux] = splitAux(callRecording(record, () => func(...(unflatten(diff) as unknown[]))), opts.has_aux ?? false, "jvp(f, primals, tangents)");
    const [outs, outUnflatten] = outputLeaves(out, "jvp(f, primals, tangents)");
    // the double-vjp trick: u ↦ uᵀJ is linear in u; its derivative along the tangents is Jt
    const us = outs.map((o) => zeros_like(o).requires_grad_(true));
    const back = vjpOf(outs, us, diff, true);
    const pairs = back.map((b, i) => [b, tLeaves[i] as Tensor] as const).filter(([b]) => b.requires_grad);
    const jv = pairs.length === 0 ? us.map(() => null)
      : autogradGrad(pairs.map(([b]) => physical(b)), us.map(physical), { grad_outputs: pairs.map(([b, t]) => physicalLike(t, b)), create_graph: record, allow_unused: true });
    const tangentsOut = jv.map((g, i) => done(g === null ? zeros_like(outs[i]!) : rewrap(us[i]!, g), record));
    const result = [doneTree(out, record), outUnflatten(tangentsOut)];
    return opts.has_aux ? [...result, doneTree(aux, record)] : result;
  });
}

export interface JacOptions { argnums?: Argnums; has_aux?: boolean; chunk_size?: number | null; randomness?: string }

function jacImpl(func: Fn, argnums: Argnums | JacOptions | undefined, opts: JacOptions, api: string): Fn {
  const o: JacOptions = argnums !== undefined && typeof argnums === "object" && !Array.isArray(argnums) ? argnums as JacOptions : { ...opts, argnums: argnums as Argnums | undefined };
  if (o.chunk_size !== undefined && o.chunk_size !== null && !(o.chunk_size > 0)) throw new Error(`${api}: \`chunk_size\` should be greater than 0.`);
  return (...args: unknown[]) => nested(() => {
    const [diffTree, replace] = sliceArgnums(args, o.argnums ?? 0);
    const [leaves, unflatten] = treeFlatten(diffTree);
    const record = mustRecord(leaves);
    const diff = leaves.map(differentiable);
    const [out, aux] = splitAux(callRecording(record, () => func(...replace(unflatten(diff)))), o.has_aux ?? false, `${api}(f, ...)(*args)`);
    const [outs, outUnflatten] = outputLeaves(out, `${api}(f, ...)(*args)`);
    // row k of output o's Jacobian: the vjp with the k-th unit cotangent
    const jac = outs.map((y) => {
      const rows: Tensor[][] = diff.map(() => []);
      const flat = y.reshape(-1);
      for (let k = 0; k < y.numel(); k++) {
        vjpOf([flat.select(0, k)], [zeros_like(flat.select(0, k)).fill_(1)], diff, record).forEach((g, j) => rows[j]!.push(g));
      }
      return unflatten(diff.map((x, j) => done(
        y.numel() === 0 ? zeros_like(x).reshape([...y.shape, ...x.shape])
          : (dispatchOp("stack", stack as Fn, [rows[j]!, 0]) as Tensor).reshape([...y.shape, ...x.shape]), record)));
    });
    const result = outUnflatten(jac);
    return o.has_aux ? [result, doneTree(aux, record)] : result;
  });
}

/** torch.func.jacrev(func, argnums=0, {has_aux, chunk_size}): the Jacobian of func with respect to
 *  args[argnums], by reverse mode: J has the output's shape followed by the input's. */
export function jacrev(func: Fn, argnums?: Argnums | JacOptions, opts: JacOptions = {}): Fn {
  return jacImpl(func, argnums, opts, "jacrev");
}

/** torch.func.jacfwd(func, argnums=0, {has_aux, randomness}): the same Jacobian as jacrev (see
 *  Note [torch.func on reverse-mode autograd]). */
export function jacfwd(func: Fn, argnums?: Argnums | JacOptions, opts: JacOptions = {}): Fn {
  return jacImpl(func, argnums, opts, "jacfwd");
}

/** torch.func.hessian(func, argnums=0): jacfwd(jacrev(func, argnums), argnums). */
export function hessian(func: Fn, argnums: Argnums = 0): Fn {
  return jacfwd(jacrev(func, argnums), argnums);
}

export interface VmapOptions {
  in_dims?: unknown;
  out_dims?: unknown;
  randomness?: "error" | "different" | "same";
  chunk_size?: number | null;
}

/**
 * torch.func.vmap(func, in_dims=0, out_dims=0, randomness="error", {chunk_size}): func mapped over
 * a dimension of its inputs (in_dims: one per argument, a pytree prefix of the arguments, null for
 * an argument that is not mapped), the results with the mapped dimension at out_dims.
 *
 * func runs once, on batched tensors (Note [Batched tensors] in func/batched.ts): each op runs
 * once for all samples by its batching rule (func/batching_rules.ts), or once per sample where it
 * has none, with PyTorch's warning. With chunk_size, func runs on chunks of that many samples and
 * the results are concatenated. randomness "error" raises PyTorch's error when func draws random
 * numbers; "same" gives every sample the same draws; "different" draws for each sample.
 */
export function vmap(func: Fn, in_dims: unknown = 0, out_dims: unknown = 0, randomness: string = "error", opts: { chunk_size?: number | null } = {}): Fn {
  if (isContainer(in_dims) && !Array.isArray(in_dims)) {
    const o = in_dims as VmapOptions;
    return vmap(func, o.in_dims ?? 0, o.out_dims ?? 0, o.randomness ?? "error", { chunk_size: o.chunk_size ?? null });
  }
  if (randomness !== "error" && randomness !== "different" && randomness !== "same")
    throw new Error(`Only allowed values for randomness are 'error', 'different', or 'same'. Got ${randomness}`);
  const chunk = opts.chunk_size ?? null;
  if (!(chunk === null || chunk > 0)) throw new Error(`vmap: chunk_size should be None or greater than 0. (got ${chunk})`);
  const name = func.name || "<lambda>";
  const dimsStr = (d: unknown): string => (Array.isArray(d) ? treeStr(d).replace(/\*/g, "·") : String(d ?? "None"));
  return (...args: unknown[]) => {
    if (args.length === 0) {
      throw new Error(`vmap(${name})(<inputs>): got no inputs. Maybe you forgot to add inputs, or you are trying to vmap over a function with no inputs. The latter is unsupported.`);
    }
    if (!(in_dims === null || typeof in_dims === "number" || Array.isArray(in_dims))) {
      throw new Error(`vmap(${name}, in_dims=${String(in_dims)}, ...)(<inputs>): expected \`in_dims\` to be int or a (potentially nested) tuple matching the structure of inputs, got: ${pyType(in_dims)}.`);
    }
    const [leaves, unflatten] = treeFlatten(args);
    const dims = broadcastPrefix(in_dims, args, () =>
      `vmap(${name}, in_dims=${dimsStr(in_dims)}, ...)(<inputs>): in_dims is not compatible with the structure of \`inputs\`. in_dims has structure ${treeStr(in_dims)} but inputs has structure ${treeStr(args)}.`);
    const sizes: number[] = [];
    const mapped = leaves.map((l, i): number | null => {
      const d = dims[i];
      if (d === null || d === undefined) return null;
      if (typeof d !== "number" || !Number.isInteger(d))
        throw new Error(`vmap(${name}, in_dims=${dimsStr(in_dims)}, ...)(<inputs>): Got in_dim=${String(d)} for an input but in_dim must be either an integer dimension or None.`);
      if (!(l instanceof Tensor)) {
        throw new Error(`vmap(${name}, in_dims=${dimsStr(in_dims)}, ...)(<inputs>): Got in_dim=${d} for an input but the input is of type ${pyType(l)}. ` +
          "We cannot vmap over non-Tensor arguments, please use None as the respective in_dim");
      }
      if (d < -l.ndim || d >= l.ndim) {
        throw new Error(`vmap(${name}, in_dims=${dimsStr(in_dims)}, ...)(<inputs>): Got in_dim=${d} for some input, but that input is a Tensor of dimensionality ${l.ndim} so expected in_dim to satisfy -${l.ndim} <= in_dim < ${l.ndim}.`);
      }
      const nd = d < 0 ? d + l.ndim : d;
      sizes.push(l.shape[nd]!);
      return nd;
    });
    if (sizes.length === 0) throw new Error("vmap: Expected at least one Tensor to vmap over");
    if (sizes.some((s) => s !== sizes[0])) {
      throw new Error(`vmap: Expected all tensors to have the same size in the mapped dimension, got sizes [${sizes.join(", ")}] for the mapped dimension`);
    }
    const B = sizes[0]!, step = chunk === null ? B : Math.min(chunk, B);
    const run = (from: number, n: number): unknown => {
      const inputs = leaves.map((l, i) => {
        const d = mapped[i];
        if (d === null || d === undefined) return l;
        return new BatchedTensor(n === B ? l as Tensor : (l as Tensor).narrow(d, from, n), d, levels.length + 1);
      });
      levels.push({ size: n, randomness });
      try {
        const before = randomness === "error" ? get_rng_state() : null;
        const out = func(...(unflatten(inputs) as unknown[]));
        if (before !== null) checkNoDraws(before, get_rng_state());
        return unbatchOutputs(out, out_dims, name, levels.length, n);
      } finally { levels.pop(); }
    };
    if (step === B) return run(0, B);
    const chunks: unknown[] = [];
    for (let from = 0; from < B; from += step) chunks.push(run(from, Math.min(step, B - from)));
    const [first, unflattenOut] = treeFlatten(chunks[0]);
    const outDims = broadcastPrefix(out_dims, chunks[0], () => "");
    return unflattenOut(first.map((_, i) => {
      const d = outDims[i];
      return d === null || d === undefined ? first[i] : cat(chunks.map((c) => treeFlatten(c)[0][i] as Tensor), d as number);
    }));
  };
}

/** The in_dims (or out_dims) of each leaf of `tree`: `spec` is a pytree prefix of tree, each of
 *  its leaves applying to the whole subtree it stands at. */
function broadcastPrefix(spec: unknown, tree: unknown, message: () => string): unknown[] {
  const out: unknown[] = [];
  const walk = (s: unknown, t: unknown): void => {
    if (!isContainer(s)) { out.push(...treeFlatten(t)[0].map(() => s)); return; }
    if (Array.isArray(s)) {
      if (!Array.isArray(t) || t.length !== s.length) throw new Error(message());
      s.forEach((si, i) => walk(si, t[i]));
      return;
    }
    if (!isContainer(t) || Array.isArray(t)) throw new Error(message());
    const keys = Object.keys(s);
    if (keys.length !== Object.keys(t).length || keys.some((k) => !(k in t))) throw new Error(message());
    for (const k of Object.keys(t)) walk((s as Record<string, unknown>)[k], (t as Record<string, unknown>)[k]);
  };
  walk(spec, tree);
  return out;
}

/** func's outputs of vmap level `lv` as ordinary tensors, the mapped dimension (of size n) at
 *  out_dims; an output that is not batched is expanded there, as PyTorch's. */
function unbatchOutputs(out: unknown, out_dims: unknown, name: string, lv: number, n: number): unknown {
  const [leaves, unflatten] = treeFlatten(out);
  for (const l of leaves) {
    if (!(l instanceof Tensor)) {
      throw new Error(`vmap(${name}, ...): \`${name}\` must only return Tensors, got type ${pyType(l)}. Did you mean to set out_dims= to None for output?`);
    }
  }
  if (!(out_dims === null || typeof out_dims === "number" || Array.isArray(out_dims))) {
    throw new Error(`vmap(${name}, ..., out_dims=${String(out_dims)}): \`out_dims\` must be an int, None or a python collection of ints representing where in the outputs the vmapped dimension should appear.`);
  }
  const dims = broadcastPrefix(out_dims, out, () =>
    `vmap(${name}, ..., out_dims=${String(out_dims)})(<inputs>): out_dims is not compatible with the structure of \`outputs\`. out_dims has structure ${treeStr(out_dims)} but outputs has structure ${treeStr(out)}.`);
  return unflatten((leaves as Tensor[]).map((t, i) => {
    const d = dims[i] as number | null | undefined;
    const isBatched = t instanceof BatchedTensor && t.level === lv;
    if (d === null || d === undefined) {
      if (isBatched) throw new Error(`vmap(${name}, ..., out_dims=${String(out_dims)})(<inputs>): Cannot return a batched tensor for an output with out_dim=None. Please make sure the output is not batched.`);
      return t;
    }
    if (isBatched) return t.value.movedim(t.bdim, d);
    const u = t.unsqueeze(d), shape = u.shape.slice();
    shape[d < 0 ? d + u.ndim : d] = n;
    return u.expand(shape);
  }));
}

/**
 * torch.func.functional_call(module, parameter_and_buffer_dicts, args, kwargs, {tie_weights,
 * strict}): module's forward with some of its parameters and buffers replaced by the given
 * tensors (keys as in named_parameters(): "fc1.weight"; a dict, a Map, or an array of them), the
 * module left as it was afterwards. With tie_weights, a tensor given for one of several names of
 * one parameter is used for all of them.
 */
export function functional_call(
  module: Module, parameter_and_buffer_dicts: ParamDict | readonly ParamDict[], args: unknown = [], kwargs: Record<string, unknown> | null = null,
  opts: { tie_weights?: boolean; strict?: boolean } = {},
): unknown {
  const dicts = Array.isArray(parameter_and_buffer_dicts) ? parameter_and_buffer_dicts as readonly ParamDict[] : [parameter_and_buffer_dicts as ParamDict];
  const given = new Map<string, Tensor>();
  for (const d of dicts) {
    for (const [k, v] of d instanceof Map ? d.entries() : Object.entries(d)) {
      if (given.has(k)) throw new Error(`${k} appeared in multiple dictionaries; behavior of functional call is ambiguous`);
      given.set(k, v);
    }
  }
  const tie = opts.tie_weights ?? true, strict = opts.strict ?? false;
  // every name of every parameter and buffer, duplicates (tied weights) included
  const names = new Map<string, Tensor>();
  for (const [k, p] of module.named_parameters({ remove_duplicate: false })) names.set(k, p);
  for (const [k, b] of module.named_buffers({ remove_duplicate: false })) names.set(k, b);
  if (strict) {
    const missing = [...names.keys()].filter((k) => !given.has(k)), unexpected = [...given.keys()].filter((k) => !names.has(k));
    if (missing.length || unexpected.length) {
      const parts: string[] = [];
      if (unexpected.length) parts.push(`Unexpected key(s): ${unexpected.map((k) => `'${k}'`).join(", ")}.`);
      if (missing.length) parts.push(`Missing key(s): ${missing.map((k) => `'${k}'`).join(", ")}.`);
      throw new Error(`Error(s) in reparametrizing for ${module.constructor.name}:\n\t${parts.join("\n\t")}`);
    }
  }
  const swaps = new Map(given);
  if (tie) {
    const byTensor = new Map<Tensor, Tensor>();
    for (const [k, v] of given) { const orig = names.get(k); if (orig) byTensor.set(orig, v); }
    for (const [k, orig] of names) if (!swaps.has(k) && byTensor.has(orig)) swaps.set(k, byTensor.get(orig)!);
  }
  const restore: [Module, "param" | "buffer", string, unknown][] = [];
  try {
    for (const [k, v] of swaps) {
      const i = k.lastIndexOf(".");
      const owner = i < 0 ? module : module.get_submodule(k.slice(0, i));
      const leaf = k.slice(i + 1);
      const kind = owner._kindOf(leaf);
      if (kind === "module") throw new Error(`functional_call: '${k}' is a module, not a parameter or buffer`);
      const slot = kind ?? "buffer";
      restore.push([owner, slot, leaf, kind === null ? undefined : kind === "param" ? owner._parameters.get(leaf) : owner._buffers.get(leaf)]);
      owner._setMember(slot, leaf, v);
    }
    const callArgs = Array.isArray(args) ? args : [args];
    // module(...args): through the forward hooks, as PyTorch calls it
    return kwargs === null ? module._call_impl(...callArgs) : module._call_impl(...callArgs, kwargs);
  } finally {
    for (const [owner, slot, leaf, old] of restore.reverse()) {
      if (old === undefined) owner._deleteMember(leaf);
      else owner._setMember(slot, leaf, old);
    }
  }
}

type ParamDict = Record<string, Tensor> | Map<string, Tensor>;

/**
 * torch.func.stack_module_state(models): the parameters and buffers of M models of one class,
 * each stacked along a new first dim and keyed by name, [params, buffers], for ensembling with
 * vmap over functional_call. The stacked parameters are new leaves (optimizable), as PyTorch's.
 */
export function stack_module_state(models: readonly Module[] | Iterable<Module>): [Record<string, Tensor>, Record<string, Tensor>] {
  const ms = [...models];
  if (ms.length === 0) throw new Error("stack_module_state: Expected at least one model, got 0.");
  if (!(ms.every((m) => m.training) || ms.every((m) => !m.training)))
    throw new Error("stack_module_state: Expected all models to have the same training/eval mode.");
  if (!ms.every((m) => m.constructor === ms[0]!.constructor))
    throw new Error("stack_module_state: Expected all models to be of the same class.");
  const stacked = (named: (m: Module) => [string, Tensor][]): Record<string, Tensor> => {
    const all = ms.map((m) => new Map(named(m)));
    return Object.fromEntries([...all[0]!.keys()].map((k) => {
      const ts = all.map((d) => d.get(k)!);
      const every = ts.every((t) => t.requires_grad), none = ts.every((t) => !t.requires_grad);
      if (!every && !none) throw new Error(`Expected ${k} from each model to have the same .requires_grad`);
      const result = stack(ts);
      return [k, every ? result.detach().requires_grad_() : result];
    }));
  };
  return [stacked((m) => m.named_parameters()), stacked((m) => m.named_buffers())];
}
