// The tutorials' older spellings: legacy typed constructors and autograd.Variable, plus torch.cuda.

import { Tensor, _setLegacyConstructor, legacyName } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { type DType, float32, float64, int64, int32, uint8, bool, float16, bfloat16, int16, int8, get_default_dtype, cppTypeName } from "../core/dtype.js";
import { tensor, zeros, from_numpy, type NestedData, type NdArrayLike } from "./creation.js";
import { detach } from "./views.js";
import { alias } from "./index_ops.js";
import { isNdArrayLike } from "../core/argparse.js";

/**
 * PyTorch's legacy constructor (torch.Tensor(...), torch.FloatTensor(...) …; `dtype` null is the
 * default dtype): sizes give a tensor of that size (PyTorch's is uninitialised; ours zero-filled),
 * a nested array gives a copy of the data, another tensor gives a tensor sharing its storage, a
 * NumPy array (an ndarray-like, as torch.from_numpy takes) one sharing its memory where it has the
 * dtype and a copy cast to the dtype otherwise (torch.LongTensor(np.zeros((n, 10), np.int32))),
 * no argument an empty tensor.
 */
export function legacyNew(dtype: DType | null, args: unknown[]): Tensor {
  const d = dtype ?? get_default_dtype();
  if (args.length === 0) return zeros(0, { dtype: d });
  const first = args[0];
  if (args.length === 1 && first instanceof Tensor) {
    if (dtype !== null && first.dtype !== dtype) {
      throw new TypeError(`expected ${tensorOptionsStr(dtype)} (got ${tensorOptionsStr(first.dtype)})`);
    }
    return alias(first); // shares first's storage, as PyTorch's
  }
  if (args.length === 1 && (Array.isArray(first) || ArrayBuffer.isView(first))) return tensor(first as NestedData, { dtype: d });
  if (args.length === 1 && isNdArrayLike(first)) {
    const t = from_numpy(first);
    return t.dtype === d ? t : t.to(d);
  }
  if (args.length === 1 && !(typeof first === "number" && Number.isInteger(first))) {
    if (typeof first === "string") throw new TypeError("new(): invalid data type 'str'");
    throw new TypeError(`new(): data must be a sequence (got ${pyTypeName(first)})`);
  }
  const bad = args.findIndex((a) => !(typeof a === "number" && Number.isInteger(a)));
  if (bad >= 0) {
    throw new TypeError(`new(): argument 'size' failed to unpack the object at pos ${bad + 1} with error "type must be tuple of ints,but got ${pyTypeName(args[bad])}"`);
  }
  const sizes = args as number[];
  const neg = sizes.find((n) => n < 0);
  if (neg !== undefined) throw new Error(`Trying to create tensor with negative dimension ${neg}: [${sizes.join(", ")}]`);
  return zeros(...sizes, { dtype: d });
}
_setLegacyConstructor(legacyNew);

/** How C++ prints the TensorOptions of a legacy constructor's dtype check. */
function tensorOptionsStr(d: DType): string {
  return `TensorOptions(dtype=${cppTypeName(d)}, device=cpu, layout=Strided, requires_grad=false (default), pinned_memory=false (default), memory_format=(nullopt))`;
}

/** torch.FloatTensor and its siblings: the legacy constructor for one dtype, callable with or
 *  without `new`, and `x instanceof torch.FloatTensor` is true for float32 tensors as Python's
 *  isinstance(x, torch.FloatTensor). */
function legacy(d: DType): LegacyTensorType {
  const ctor = function (...args: unknown[]): Tensor { return legacyNew(d, args); } as unknown as LegacyTensorType;
  Object.defineProperty(ctor, "name", { value: legacyName(d) });
  Object.defineProperty(ctor, Symbol.hasInstance, { value: (x: unknown) => x instanceof Tensor && x.dtype === d });
  return ctor;
}
export interface LegacyTensorType {
  (...sizes: number[]): Tensor;
  (data: NestedData | NdArrayLike): Tensor;
  new (...sizes: number[]): Tensor;
  new (data: NestedData | NdArrayLike): Tensor;
}
export const FloatTensor = legacy(float32), DoubleTensor = legacy(float64), HalfTensor = legacy(float16);
export const BFloat16Tensor = legacy(bfloat16);
export const LongTensor = legacy(int64), IntTensor = legacy(int32), ShortTensor = legacy(int16), CharTensor = legacy(int8);
export const ByteTensor = legacy(uint8), BoolTensor = legacy(bool);

/** torch.autograd.Variable(t, {requires_grad}): since PyTorch 0.4 it returns a Tensor. */
export function Variable(t: Tensor, opts?: { requires_grad?: boolean; volatile?: boolean }): Tensor {
  const v = detach(t);
  if (opts?.requires_grad) v.requires_grad_(true);
  return v;
}

export const cuda = {
  is_available: (): boolean => false,
  device_count: (): number => 0,
  manual_seed: (_seed: number): void => {},
  manual_seed_all: (_seed: number): void => {},
  synchronize: (): void => {},
};

export const is_tensor = (x: unknown): x is Tensor => x instanceof Tensor;
export const is_floating_point = (x: Tensor): boolean => x.dtype.is_floating_point;
export const numel = (x: Tensor): number => x.numel();
