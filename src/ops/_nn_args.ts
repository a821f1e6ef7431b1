// Argument helpers shared by the convolution, pooling, normalisation and padding ops (their
// arguments themselves come from the one parser: core/argparse.ts).

import { Tensor } from "../core/tensor.js";
import { scalarTypeName } from "../core/dtype.js";

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
