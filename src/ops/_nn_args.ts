// Argument handling shared by the convolution, pooling, normalisation and padding ops.

import { Tensor } from "../core/tensor.js";
import { scalarTypeName } from "../core/dtype.js";
import { isOptions } from "./util.js";

/** PyTorch's positional arguments after the fixed ones, or an options object last: fills `names`
 *  in order from the positional values, then the options object on top of the defaults
 *  (shared/API.md §2: F.conv2d(x, w, b, 2) ≡ F.conv2d(x, w, b, {stride: 2})). */
export function parseArgs<T extends object>(names: readonly (keyof T)[], defaults: T, given: readonly unknown[]): T {
  const out = { ...defaults } as Record<string, unknown>;
  let n = given.length;
  while (n > 0 && given[n - 1] === undefined) n--; // trailing optional parameters not passed
  const rest = given.slice(0, n), last = rest[n - 1];
  const opts = rest.length > 0 && isOptions(last) ? last : null;
  const pos = opts ? rest.slice(0, -1) : rest;
  pos.forEach((v, i) => { if (v !== undefined && i < names.length) out[names[i] as string] = v; });
  if (opts) for (const [k, v] of Object.entries(opts)) if (v !== undefined) out[k] = v;
  return out as T;
}

export type IntOrTuple = number | readonly number[];

/** An int, or a tuple of one or n ints, expanded to n ints (PyTorch's expand_param_if_needed);
 *  null when it has another length, for the caller's own error message. */
export function expandParam(v: IntOrTuple, n: number): number[] | null {
  if (typeof v === "number") return new Array<number>(n).fill(v);
  if (v.length === 1) return new Array<number>(n).fill(v[0]!);
  return v.length === n ? v.slice() : null;
}

/** Python's repr of an int or a tuple of ints, as PyTorch prints module arguments: 2, (2, 2), (3,). */
export function tupleRepr(v: IntOrTuple | null): string {
  if (v === null) return "None";
  if (typeof v === "number") return String(v);
  return v.length === 1 ? `(${v[0]},)` : `(${v.join(", ")})`;
}

/** [2, 3] as c10 prints an IntArrayRef. */
export const listStr = (s: readonly number[]): string => `[${s.join(", ")}]`;


/** Throws PyTorch's dispatch error unless t is float32 or float64 (the dtypes these kernels have). */
export function checkFloatKernel(t: Tensor, kernel: string): void {
  if (t.dtype.name !== "float32" && t.dtype.name !== "float64")
    throw new Error(`"${kernel}" not implemented for '${scalarTypeName(t.dtype)}'`);
}
