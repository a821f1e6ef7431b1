// PyTorch's out= arguments: `torch.matmul(a, b, {out})` writes the result into `out` and returns
// it. One helper for every function PyTorch gives an `out` (torch_out.ts lists them): the op is
// computed as usual, then the result is written into `out` under PyTorch's rules, each checked
// before anything is written, so a refused call changes nothing:
//  1. autograd: out= variants are not differentiable. With grad mode on, an argument (or `out`)
//     that requires grad is refused, unless the op has no differentiable output (eq, argmax …).
//  2. memory: an `out` whose elements overlap each other (an expanded tensor), or that partly
//     overlaps an input, is refused (TensorIterator's compute_mem_overlaps).
//  3. dtype: per op, as PyTorch's kernels check it (OutKind below).
//  4. shape: an `out` of another shape is resized (resize_: contiguous strides, storage grown
//     when too small, kept otherwise), with PyTorch's deprecation warning when it had elements.
// A function with several outputs (max(dim), sort …) takes an array of tensors, one per output.

import { Tensor } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { type DType, type Storage, arrayFor, can_cast, cppTypeName, scalarTypeName } from "../core/dtype.js";
import { contiguousStrides, numel, sameShape, parseSize, checkSizeNonNegative } from "../core/shape.js";
import { is_grad_enabled, no_grad } from "../autograd/grad_mode.js";
import * as K from "../backends/index.js";
import { type memory_format, preserve_format, stridesFor } from "../core/memory_format.js";
import { installMethods, isOptions, warnResized } from "./util.js";
import { profiling, recordCall } from "../profiler/record.js";
import { assertNoInternalOverlap } from "./inplace.js";
import { isSharedStorage } from "../core/untyped_storage.js";
import { parse, signaturesOf } from "../core/argparse.js";

/** How an op checks `out`'s dtype against its result's (R: the result's dtype, O: out's):
 *  - "cast": TensorIterator ops: any dtype R can be cast to (add, exp, eq …);
 *  - "exact": structured kernels: R itself (matmul, gather, softmax, the outputs of max(dim) …);
 *  - "same": the unary ops that keep their input's dtype (abs, floor, clamp …);
 *  - "dtype": `out`'s dtype is the dtype to compute in, as a dtype= argument (zeros, randn, sum …);
 *  - a message: R itself, with the op's own message. */
export type OutKind = "cast" | "exact" | "same" | "dtype" | { msg: (r: DType, o: DType) => string; cast?: boolean; type?: boolean };

const MESSAGES = {
  cast: (r: DType, o: DType) => `result type ${scalarTypeName(r)} can't be cast to the desired output type ${scalarTypeName(o)}`,
  exact: (r: DType, o: DType) => `Expected out tensor to have dtype ${cppTypeName(r)}, but got ${cppTypeName(o)} instead`,
  same: (r: DType, o: DType) => `Found dtype ${scalarTypeName(o)} but expected ${scalarTypeName(r)}`,
};

type Outs = Tensor | readonly Tensor[];

/** The calls that give `out`: any leading part of F's parameters, then an options object with
 *  `out` (and whichever of F's keyword options). */
type Leading<P extends readonly unknown[]> =
  number extends P["length"] ? P : // varargs (torch.zeros(...sizes)): as they are
  P extends readonly [] ? [] :
  P extends readonly [infer H, ...infer T] ? [] | [H, ...Leading<T>] :
  P extends readonly [(infer H)?, ...infer T] ? [] | [H, ...Leading<T>] :
  [];
export type WithOut<F> = F extends (...args: infer P) => infer R
  ? F & ((...args: [...Leading<P>, { out: Outs | null; [option: string]: unknown }]) => R) : F;

/** Writers that compute an op straight into `out` (Note [Writing in place] in elementwise.ts), by
 *  the op's name: given out, the call's other arguments and its options without `out`, each
 *  returns false, with nothing written, where it cannot (then the op is computed and copied). They
 *  run only where none of the checks below could refuse the call: no gradient wanted, and each
 *  writer takes only an `out` of the result's shape and dtype that its inputs do not overlap. */
type DirectOut = (out: Tensor, args: readonly unknown[], opts: Record<string, unknown>) => boolean;
const directOuts = new Map<string, DirectOut>();
export function directOut(name: string, write: DirectOut): void { directOuts.set(name, write); }

/** `fn` taking PyTorch's out= in its trailing options object (shared/API.md §2), under `name`.
 *  It is also the op `aten::<name>` to the profiler (Note [Profiler hook]). `key` names its
 *  signatures (core/argparse.ts): a call with an out binds to one that has out, as PyTorch's
 *  parser binds it (torch.where(c, x, 1.5, {out}) fits only where(Tensor, Tensor, Tensor, *, out):
 *  PyTorch's TypeError for the 1.5), the call without it then being fn's. */
export function withOut<F extends (...args: never[]) => unknown>(name: string, fn: F, kind: OutKind = "cast", key?: string): F {
  const f = fn as unknown as (...args: unknown[]) => unknown;
  const sigs = key === undefined ? null : signaturesOf(key, true);
  const call = (...args: unknown[]): unknown => {
    const last = args[args.length - 1];
    if (!isOptions(last) || !("out" in last)) return f(...args);
    const { out, ...rest } = last as { out?: Outs | null };
    // the call as it would be without out (no options object when out was its only option)
    const call = () => f(...args.slice(0, -1), ...(Object.keys(rest).length ? [rest] : []));
    if (out === null || out === undefined) return call();
    if (sigs) parse(sigs, args);
    const outs = out instanceof Tensor ? [out] : out;
    if (!Array.isArray(outs) || outs.some((t) => !(t instanceof Tensor)))
      throw new TypeError(`${name}(): argument 'out' must be Tensor, not ${pyTypeName(out)}`);
    const inputs = tensorsIn(args.slice(0, -1));
    const given = (rest as { dtype?: DType | null }).dtype;
    if (given && given !== outs[0]!.dtype) throw new Error(dtypeMismatch(name, given, outs[0]!.dtype, inputs.length === 0));
    if (kind === "dtype") (rest as { dtype?: DType }).dtype = outs[0]!.dtype;
    const gradCheck = is_grad_enabled() && (inputs.some((t) => t.requires_grad) || outs.some((t) => t.requires_grad));
    const direct = directOuts.get(name);
    if (direct && !gradCheck && out instanceof Tensor && direct(out, args.slice(0, -1), rest)) {
      out._bumpVersion();
      return out;
    }
    // computed without a graph: the check below refuses the call if a graph was wanted
    const result = no_grad(call) as Outs;
    const results = result instanceof Tensor ? [result] : result;
    if (results.length !== outs.length) throw new TypeError(`expected tuple of ${results.length} elements but got ${outs.length}`);
    if (gradCheck && results.some((r) => r.dtype.is_floating_point)) {
      const op = kind === "dtype" ? `aten::${name}` : name;
      throw new Error(`${op}(): functions with out=... arguments don't support automatic differentiation, but one of the arguments requires grad.`);
    }
    results.forEach((r, i) => checkOut(outs[i]!, r, inputs, kind));
    results.forEach((r, i) => writeInto(outs[i]!, r));
    if (out instanceof Tensor) return out;
    // the outs, carrying the result's names as the result does (max(dim).indices …)
    const named = [...out];
    for (const k of Object.getOwnPropertyNames(results)) {
      if (k === "length" || /^\d+$/.test(k)) continue;
      const i = results.indexOf((results as unknown as Record<string, Tensor>)[k]!);
      Object.defineProperty(named, k, { value: outs[i], enumerable: false });
    }
    return named;
  };
  const event = `aten::${name}`;
  const wrapped = (...args: unknown[]): unknown => (profiling.on ? recordCall(event, args, call, ...args) : call(...args));
  Object.defineProperty(wrapped, "name", { value: fn.name });
  return wrapped as unknown as F;
}

/** PyTorch's error for a dtype= argument other than out's dtype: the factories' (the argument
 *  parser's check), nansum's (which nanmean calls), the other ops' (their structured kernels'). */
function dtypeMismatch(name: string, dtype: DType, outDtype: DType, factory: boolean): string {
  if (factory) return `dtype ${scalarTypeName(dtype)} does not match dtype of out parameter (${scalarTypeName(outDtype)})`;
  if (name === "nansum" || name === "nanmean") return `nansum: provided dtype must match dtype of result. Got ${scalarTypeName(outDtype)} and ${scalarTypeName(dtype)}.`;
  return MESSAGES.exact(dtype, outDtype);
}

/** The tensors among a call's arguments (cat's list included). */
function tensorsIn(args: readonly unknown[]): Tensor[] {
  const ts: Tensor[] = [];
  for (const a of args) {
    if (a instanceof Tensor) ts.push(a);
    else if (Array.isArray(a)) for (const x of a) if (x instanceof Tensor) ts.push(x);
  }
  return ts;
}

function checkOut(out: Tensor, r: Tensor, inputs: readonly Tensor[], kind: OutKind): void {
  assertNoInternalOverlap(out);
  for (const x of inputs) if (partlyOverlaps(x, out))
    throw new Error("unsupported operation: some elements of the input tensor and the written-to tensor refer to a single memory location. Please clone() the tensor before performing the operation.");
  if (kind === "dtype") return;
  const R = r.dtype, O = out.dtype;
  if (kind === "cast") { if (!can_cast(R, O)) throw new Error(MESSAGES.cast(R, O)); return; }
  if (typeof kind === "object") {
    if (kind.cast ? !can_cast(R, O) : R !== O) {
      const msg = kind.msg(R, O);
      throw kind.type ? new TypeError(msg) : new Error(msg);
    }
    return;
  }
  if (R !== O) throw new Error(MESSAGES[kind](R, O));
}

/** at::get_overlap_status's PARTIAL for the cases it decides: two dense tensors on one storage,
 *  neither the very same view, whose element ranges intersect. (A strided pair is TOO_HARD there,
 *  and allowed; the result is computed apart from `out` here, so it is right either way.) */
function partlyOverlaps(a: Tensor, b: Tensor): boolean {
  if (a._storage !== b._storage || a.numel() === 0 || b.numel() === 0 || !a.is_contiguous() || !b.is_contiguous()) return false;
  if (a._offset === b._offset && sameShape(a.shape, b.shape)) return false;
  return a._offset < b._offset + b.numel() && b._offset < a._offset + a.numel();
}

/** out.resize_(r.shape) as at::native::resize_output does it (with PyTorch's deprecation warning
 *  when out had elements), then the values written (cast to out's dtype) and out's version
 *  bumped, as an in-place op does. */
function writeInto(out: Tensor, r: Tensor): void {
  if (!sameShape(out.shape, r.shape) && out.numel() !== 0)
    warnResized(out.shape, r.shape);
  resizeTo(out, r.shape);
  if (r.numel() > 0) K.copyInto(out, r);
  out._bumpVersion();
}

/** Tensor.resize_'s geometry: the same shape keeps its strides; another gets contiguous strides
 *  over the same storage, grown in place (for every tensor viewing it, as StorageImpl's realloc)
 *  when too small. Returns whether the shape changed. */
function resizeTo(t: Tensor, shape: readonly number[]): boolean {
  if (sameShape(t.shape, shape)) return false;
  const need = t._offset + numel(shape);
  const data = t._storage.data;
  if (data.length < need) {
    // (a storage in shared memory stays where the workers sharing it see it: Note [Shared memory])
    if (isSharedStorage(t._storage)) throw new Error("Trying to resize storage that is not resizable");
    const grown = arrayFor(t.dtype, need) as Storage & { set(a: ArrayLike<number>): void };
    grown.set(data as unknown as ArrayLike<number>);
    t._storage.data = grown;
  }
  t._shape = shape.slice();
  t._strides = contiguousStrides(shape);
  return true;
}

/** self.resize_(*sizes): the tensor takes the new shape in place (new elements are zeros here,
 *  uninitialized memory in PyTorch); what the warning above advises for reusing an out tensor. */
export function resize_(self: Tensor, ...args: (number | number[] | { memory_format?: memory_format | null })[]): Tensor {
  if (self.requires_grad) throw new Error("cannot resize variables that require grad");
  const last = args[args.length - 1], fmt = isOptions(last) ? (last as { memory_format?: memory_format | null }).memory_format ?? null : null;
  const size = (isOptions(last) ? args.slice(0, -1) : args) as (number | number[])[];
  const shape = parseSize(size);
  checkSizeNonNegative(shape);
  // a memory format restrides the result to it (empty_tensor_restride), checked before anything changes
  if (fmt === preserve_format) throw new Error("Unsupported memory formatPreserve");
  const strides = fmt === null ? null : stridesFor(shape, fmt);
  const changed = resizeTo(self, shape);
  if (strides !== null) self._strides = strides;
  if (changed) self._bumpVersion();
  return self;
}

installMethods({ resize_ });

declare module "../core/tensor.js" {
  interface Tensor { resize_(...size: (number | number[] | { memory_format?: memory_format | null })[]): Tensor }
}
