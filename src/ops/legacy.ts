// The tutorials' older spellings: legacy typed constructors and autograd.Variable, plus torch.cuda.

import { Tensor } from "../core/tensor.js";
import { type DType, float32, float64, int64, int32, uint8, bool, float16, int16, int8 } from "../core/dtype.js";
import { tensor, zeros, type NestedData } from "./creation.js";
import { detach } from "./views.js";

/** torch.FloatTensor(data) copies data; torch.FloatTensor(2, 3) makes a (zero-filled) tensor of that size. */
function legacy(d: DType) {
  return (...args: (NestedData | number)[]): Tensor => {
    const first = args[0];
    if (args.length === 0) return zeros(0, { dtype: d });
    if (typeof first === "number" && args.every((a) => typeof a === "number")) return zeros(...(args as number[]), { dtype: d });
    return tensor(first as NestedData, { dtype: d });
  };
}
export const FloatTensor = legacy(float32), DoubleTensor = legacy(float64), HalfTensor = legacy(float16);
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
