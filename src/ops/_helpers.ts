// Helpers that op modules share and that are no part of torch.*: torch.ts passes the op modules'
// exports through (export *), so what they share but PyTorch has not lives here.

import { Tensor } from "../core/tensor.js";
import { type DType, int64, scalarTypeName } from "../core/dtype.js";
import { parseSize, checkSizeNonNegative, sameShape, contiguousStrides, broadcastShapes } from "../core/shape.js";
import { record } from "../autograd/record.js";
import { preserve_format, stridesLike } from "../core/memory_format.js";
import { type Device, device as toDevice, checkAvailable, _defaultDevice } from "../core/device.js";
import * as K from "../backends/index.js";
import { isOptions } from "./util.js";
import type { TensorOptions } from "./creation.js";
import type { DimArg, ReduceOpts, ValuesIndices } from "./reduce.js";

/** The device a factory makes its tensor on: the one its options name, else the default device
 *  (Note [Default device]); undefined for the CPU by default. */
export function factoryDevice(o: TensorOptions | undefined): Device | undefined {
  const d = o?.device ?? _defaultDevice();
  return d ? checkAvailable(toDevice(d)) : undefined;
}

/** Applies a factory's {device, requires_grad} to the tensor it made (on the CPU, or already on
 *  the device). */
export function finishOpts(t: Tensor, o: TensorOptions | undefined): Tensor {
  const dev = factoryDevice(o);
  if (dev !== undefined && dev.type !== t.device.type) t = K.moveTo(t, dev);
  if (o?.requires_grad) {
    // (the factories' own check, in other words than requires_grad_'s)
    if (!t.dtype.is_floating_point) throw new Error("Only Tensors of floating point and complex dtype can require gradients");
    t.requires_grad_(true);
  }
  return t;
}

/** A _like factory's result (empty_like, zeros_like, rand_like …) of x's shape in the memory
 *  format asked for (preserve_format by default: Note [Memory formats]): `make(shape, options)`
 *  makes a row-major one, `fill(t, options)` fills a fresh tensor of another layout in place, as
 *  PyTorch's empty_like and fill kernels do (rand_like draws in memory order). */
export function likeOf<O extends TensorOptions>(x: Tensor, o: O | undefined, make: (shape: number[], o: O) => Tensor, fill: (t: Tensor, o: O) => Tensor): Tensor {
  const { memory_format: fmt, requires_grad, ...rest } = o ?? ({} as O);
  const opts = { dtype: x.dtype, device: x.device, ...rest } as O;
  const strides = stridesLike(x._shape, x._strides, fmt ?? preserve_format);
  // (strides compared exactly: size-0 and size-1 dims may carry other strides than row-major's)
  // (on x's device or the one asked for, never the default device: Note [Default device])
  const done = { requires_grad, device: opts.device };
  if (sameShape(strides, contiguousStrides(x._shape))) return finishOpts(make(x.shape.slice(), opts), done);
  const t = Tensor.empty(x._shape, opts.dtype!, checkAvailable(toDevice(opts.device!)), true, strides);
  return finishOpts(fill(t, opts), done);
}

/** g where `mask` is false, else 0 (the gradient of relu, threshold and hardtanh), laid out as
 *  PyTorch's backward kernels over (g, x) lay it out: by g first (Note [Memory formats]). */
export function zeroWhere(g: Tensor, mask: Tensor, x: Tensor): Tensor {
  const y = K.where(mask, Tensor.empty([], g.dtype), g, g.dtype, broadcastShapes(mask.shape, g.shape), [g, x]);
  return record("WhereBackward0", [g], y, ([gg]) => [zeroWhere(gg!, mask, x)]);
}

/** Splits PyTorch's `(…sizes, {options})` call form. */
export function sizeAndOptions(args: readonly unknown[]): [number[], TensorOptions] {
  const last = args[args.length - 1];
  const opts = isOptions(last) ? (last as TensorOptions) : {};
  const sizes = isOptions(last) ? args.slice(0, -1) : args;
  const shape = parseSize(sizes);
  checkSizeNonNegative(shape);
  return [shape, opts];
}

/** Reads PyTorch's (dim, keepdim) from positional or options form: x.sum(1, true) ≡ x.sum({dim: 1, keepdim: true}). */
export function reduceArgs(a?: DimArg | ReduceOpts, b?: boolean | ReduceOpts, c?: ReduceOpts): { dims: number[] | null; keepdim: boolean; dtype?: DType } {
  let o: ReduceOpts = {};
  if (isOptions(a)) o = a as ReduceOpts;
  else {
    o.dim = a as DimArg;
    if (isOptions(b)) Object.assign(o, b); else { o.keepdim = b as boolean | undefined; if (c) Object.assign(o, c); }
  }
  const dim = o.dim;
  const dims = dim === null || dim === undefined ? null : Array.isArray(dim) ? dim : [dim];
  return { dims, keepdim: o.keepdim ?? false, ...(o.dtype ? { dtype: o.dtype } : {}) };
}

/** (values, indices) with their names; as PyTorch's torch.return_types.<type> where it returns one
 *  (max, sort, topk …: `type`), a plain pair where it returns a tuple (the pools' indices). */
export function namedPair(values: Tensor, indices: Tensor, type?: string): ValuesIndices {
  return returnType(type ?? null, ["values", "indices"], [values, indices]) as unknown as ValuesIndices;
}

/** PyTorch's torch.return_types.<type> (a structseq): an array of the values that destructures in
 *  PyTorch's order and carries the field names (`x.max(1).indices`), none of them enumerable (it
 *  is still deepStrictEqual to the array), printing as PyTorch prints one:
 *  `torch.return_types.max(\nvalues=tensor([2., 3.]),\nindices=tensor([0, 1]))`. With type null,
 *  the names only (a tuple in PyTorch, which prints as the array). */
export function returnType<N extends string>(type: string | null, names: readonly N[], values: readonly Tensor[]): Tensor[] & Record<N, Tensor> {
  const fields: PropertyDescriptorMap = Object.fromEntries(names.map((n, i) => [n, { value: values[i] }]));
  const repr = () => `torch.return_types.${type}(\n${names.map((n, i) => `${n}=${String(values[i])}`).join(",\n")})`;
  const printing: PropertyDescriptorMap = type === null ? {} : { toString: { value: repr }, [Symbol.for("nodejs.util.inspect.custom")]: { value: repr } };
  return Object.defineProperties(values.slice(), { ...fields, ...printing }) as Tensor[] & Record<N, Tensor>;
}

/** index_add's and index_reduce's checks (ATen's index_func_meta_impl; `op` is "index_add_" or
 *  "index_reduce_"), d being the normalised dim. */
export function checkIndexOp(op: string, self: Tensor, d: number, index: Tensor, source: Tensor): void {
  const fmt = (s: readonly number[]): string => `[${s.join(", ")}]`;
  if (index.ndim > 1) throw new RangeError(`${op}(): Index is supposed to be a vector, but got dim: ${index.ndim} with type: ${scalarTypeName(index.dtype)} and size: ${fmt(index.shape)}`);
  if (index.dtype !== int64 && index.dtype.name !== "int32") throw new Error(`${op}(): Expected dtype int32/int64 for index but got: ${scalarTypeName(index.dtype)}`);
  if (self.dtype !== source.dtype)
    throw new Error(`${op}(): self (${scalarTypeName(self.dtype)}) and source (${scalarTypeName(source.dtype)}) must have the same scalar type`);
  if (!(d === 0 || d < source.ndim)) throw new Error(`${op}(): Indexing dim ${d} is out of bounds of the source tensor with dim ${source.ndim}`);
  const n = source.ndim === 0 ? 1 : source.shape[d]!;
  if (index.numel() !== n) throw new Error(`${op}(): Number of indices (${index.numel()}) should be equal to source.size(dim): (${n}), for dim: ${d}`);
  const others = (t: Tensor) => (source.ndim !== 0 && self.ndim !== 0 ? t.shape.filter((_, i) => i !== d) : t.shape.slice());
  const a = others(self), b = others(source);
  if (a.length !== b.length || a.some((x, i) => x !== b[i]))
    throw new Error(`source tensor shape must match self tensor shape, excluding the specified dimension. Got self.shape = ${fmt(self.shape)} source.shape = ${fmt(source.shape)}`);
}

/** index_add's and index_reduce's bounds check: no negative indices, PyTorch's IndexError. */
export function checkIndexInRange(index: Tensor, size: number): void {
  for (const i of K.bigValues(index)) if (i < 0n || i >= BigInt(size)) throw new RangeError("index out of range in self");
}
