// Shared pieces of the op modules: scalar/tensor arguments, result dtypes, method installation.

import { Tensor } from "../core/tensor.js";
import { profiling, recordCall } from "../profiler/record.js";
import { markParsed, methodParser } from "../core/argparse.js";
import { levels, hasBatched, BatchedTensor, callBatched } from "../func/batched.js";
import {
  type DType, type Scalar, bool, int64, get_default_dtype, promote_types, scalarKind,
} from "../core/dtype.js";

export type TensorOrScalar = Tensor | Scalar;

/** torch.result_type over tensors and weak scalars, following PyTorch's three categories
 *  (dimensioned tensors, 0-d tensors, wrapped numbers) and combine_categories. */
export function resultType(...args: readonly TensorOrScalar[]): DType {
  let dim: DType | null = null, zero: DType | null = null, wrapped: DType | null = null;
  for (let i = 0; i < args.length; i++) { // (indexed: every elementwise op passes here)
    const a = args[i]!;
    if (a instanceof Tensor) {
      if (a.ndim > 0) dim = dim ? promote_types(dim, a.dtype) : a.dtype;
      else zero = zero ? promote_types(zero, a.dtype) : a.dtype;
    } else {
      const k = scalarKind(a);
      const d = k === 0 ? bool : k === 1 ? int64 : get_default_dtype();
      wrapped = wrapped ? promote_types(wrapped, d) : d;
    }
  }
  return combine(dim, combine(zero, wrapped))!;
}

function combine(higher: DType | null, lower: DType | null): DType | null {
  if (!higher) return lower;
  if (!lower) return higher;
  if (higher.is_floating_point) return higher;
  if (higher === bool || lower.is_floating_point) return promote_types(higher, lower);
  return higher;
}

/** A 0-d tensor holding a scalar operand, in the dtype the op computes in. */
export function scalarTensor(s: Scalar, d: DType): Tensor {
  const t = Tensor.empty([], d);
  const data = t._storage.data;
  if (d === int64) (data as BigInt64Array)[0] = typeof s === "bigint" ? s : BigInt(Math.trunc(Number(s)));
  else t._storage.data = fromScalarArray(Number(s), d);
  return t;
}

import { fromNumbers } from "../backends/index.js";
function fromScalarArray(v: number, d: DType) { return fromNumbers([v], d); }

export function asTensor(x: TensorOrScalar, d: DType): Tensor {
  return x instanceof Tensor ? x : scalarTensor(x, d);
}

type AnyFn = (...args: never[]) => unknown;

/** Installs `fn(self, ...args)` as Tensor.prototype[name](...args): one definition serves both
 *  torch.fn(x, …) and x.fn(…). The method's arguments are parsed by its PyTorch signatures
 *  (core/argparse.ts, Note [Signatures]). Each method is an op the profiler records as
 *  `aten::<name>` (Note [Profiler hook]); `ops: false` installs methods that are no ops (backward,
 *  hooks). */
export function installMethods(fns: Record<string, AnyFn>, ops = true): void {
  for (const [name, fn] of Object.entries(fns)) {
    const f = fn as (...a: unknown[]) => unknown, event = `aten::${name}`;
    const parser = methodParser(name), parse = parser ?? ((args: unknown[]) => args);
    const method = ops
      ? function (this: Tensor, ...args: unknown[]) {
        const a = parse(args);
        // (inside vmap, a batched tensor goes to its batching rule: Note [Batched tensors])
        if (levels.length > 0 && (this instanceof BatchedTensor || hasBatched(a))) return callBatched(name, f, [this, ...a]);
        return profiling.on ? recordCall(event, [this, ...a], f, this, ...a) : f(this, ...a);
      }
      : function (this: Tensor, ...args: unknown[]) { return f(this, ...parse(args)); };
    Object.defineProperty(Tensor.prototype, name, { value: parser ? markParsed(method) : method, writable: true, configurable: true });
  }
}

/** Options object detection: the trailing `{…}` of a call (shared/API.md §2). */
export function isOptions(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !(x instanceof Tensor) && !Array.isArray(x) && !ArrayBuffer.isView(x);
}

/** Method type for `fn(self, ...rest)`. */
export type Method<F> = F extends (self: Tensor, ...rest: infer A) => infer R ? (...rest: A) => R : never;

import { warnOnce } from "../core/warnings.js";
export { warnOnce };

/** PyTorch's warning when a kernel resizes an output that had elements (at::native::resize_output). */
export function warnResized(from: readonly number[], to: readonly number[]): void {
  warnOnce(`An output with one or more elements was resized since it had shape [${from.join(", ")}], which does not match the required output shape [${to.join(", ")}]. This behavior is deprecated, and in a future PyTorch release outputs will not be resized unless they have zero elements. You can explicitly reuse an out tensor t by resizing it, inplace, to zero elements with t.resize_(0).`);
}

/** An Error carrying Python's exception class as its name (str(e) is the message). */
export function pyError(kind: "AssertionError" | "ValueError" | "RuntimeError" | "KeyError" | "AttributeError" | "InvalidBackend", msg: string): Error {
  const e = new Error(msg);
  e.name = kind;
  return e;
}
