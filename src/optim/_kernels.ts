// The element loops of the optimizers work on flat arrays (Note [Optimizer arithmetic] in
// optimizer.ts). This module gives them those arrays and the rounding of each dtype.

import { Tensor } from "../core/tensor.js";
import {
  type DType, float32, float64, float16, bfloat16, halfToFloat, floatToHalf, bf16ToFloat, floatToBf16,
} from "../core/dtype.js";
import * as K from "../backends/index.js";
import { scalarDtype } from "./optimizer.js";

export type Num = Float32Array | Float64Array;

/**
 * The arithmetic PyTorch's CPU kernels do for one dtype:
 * - `r(x)`: the rounding of a kernel's result to the tensor's dtype (every tensor op ends with it);
 * - `s(x)`: the rounding inside a kernel, to its "opmath" type, which is also what a Python
 *   scalar argument is cast to (float for float32/float16/bfloat16, double for float64);
 * - `fma(a, b, c)`: a*b + c with one rounding to the opmath type, as the kernels compute add with
 *   alpha (fmadd(other, alpha, self)), addcmul (fma(value*t1, t2, self)) and lerp
 *   (fmadd(weight, end - self, self)): explicitly in their vectorized forms, by GCC's
 *   contraction in the scalar ones. For float32 this is fround(a*b + c): the product of two
 *   floats is exact in a double, and rounding the double sum again to float differs from a fused
 *   result only when the sum lands exactly on a float32 tie, which has probability ~2^-29.
 *   For float64 it is a*b + c with two roundings: an exact fused multiply-add needs an emulation
 *   (src/core/random.ts has one) that made float64 steps ten times slower for a difference in
 *   the last bit of a double.
 */
export interface Arith {
  r(x: number): number;
  s(x: number): number;
  fma(a: number, b: number, c: number): number;
}

const ident = (x: number): number => x;
const F32: Arith = { r: Math.fround, s: Math.fround, fma: (a, b, c) => Math.fround(a * b + c) };
const F64: Arith = { r: ident, s: ident, fma: (a, b, c) => a * b + c };
const F16: Arith = { r: (x) => halfToFloat(floatToHalf(x)), s: Math.fround, fma: (a, b, c) => Math.fround(a * b + c) };
const BF16: Arith = { r: (x) => bf16ToFloat(floatToBf16(x)), s: Math.fround, fma: (a, b, c) => Math.fround(a * b + c) };

export function arith(d: DType): Arith {
  if (d === float32) return F32;
  if (d === float64) return F64;
  if (d === float16) return F16;
  if (d === bfloat16) return BF16;
  throw new Error(`optimizers update floating point parameters only, got ${d.toString()}`);
}

/** A tensor's elements as a writable flat array: its own storage when it is a contiguous float32
 *  or float64 tensor (the common case: no copy), else a float64 copy that `flush` writes back.
 *  `flush` also bumps the version counter, as PyTorch's in-place ops do. */
export interface Slot { d: Num; flush(): void }

/** t's Slot; the parameter's own passes `step`, the optimizer's name: its element loop, run on the
 *  CPU, is that step's fallback when the parameter is on a device (counted and warned once, Note
 *  [Device fallback]; the fused steps of SGD, Adam and Adadelta run there instead). */
export function slot(t: Tensor, step?: string): Slot {
  if (step !== undefined) K.onHost(`${step}_step`, [t]);
  const n = t.numel();
  if ((t.dtype === float32 || t.dtype === float64) && t.is_contiguous()) {
    const data = t._storage.data as Num;
    const d = t._offset === 0 && data.length === n ? data : data.subarray(t._offset, t._offset + n);
    return { d, flush: () => t._bumpVersion() };
  }
  const d = Float64Array.from(K.values(t));
  return {
    d,
    flush: () => { K.copyInto(t, Tensor.fromStorage(d, t.shape, float64)); t._bumpVersion(); },
  };
}

/** A parameter's gradient, checked against it. */
export function checkedGrad(p: Tensor): Tensor {
  const g = p.grad!;
  if (g.numel() !== p.numel()) {
    throw new Error(`gradient of shape [${g.shape.join(", ")}] does not match the parameter's shape [${p.shape.join(", ")}]`);
  }
  return g;
}

/** A parameter's gradient as a flat read-only array in row-major order, checked against it. */
export function gradOf(p: Tensor): ArrayLike<number> {
  return K.values(checkedGrad(p));
}

/** state[key] of parameter p, checked to be a tensor with p's number of elements (a state
 *  loaded from another model would otherwise be read out of bounds). `init` makes it when it is
 *  missing (e.g. amsgrad switched on after some steps, where PyTorch raises a KeyError). */
export function stateTensor(state: Record<string, unknown>, key: string, p: Tensor, init?: () => Tensor): Tensor {
  let t = state[key];
  if (!(t instanceof Tensor)) {
    if (!init) throw new Error(`optimizer state '${key}' of a parameter of shape [${p.shape.join(", ")}] is missing`);
    t = state[key] = init();
  }
  const s = t as Tensor;
  if (s.numel() !== p.numel()) {
    throw new Error(`optimizer state '${key}' has shape [${s.shape.join(", ")}], but its parameter has shape [${p.shape.join(", ")}]`);
  }
  return s;
}

/** zeros_like(p) on p's device (contiguous; PyTorch keeps p's strides, which changes no value). */
export function zerosLike(p: Tensor): Tensor {
  return Tensor.empty(p.shape, p.dtype, p.device);
}

/** full_like(p, v) on p's device. */
export function fullLike(p: Tensor, v: number): Tensor {
  const t = Tensor.empty(p.shape, p.dtype, p.device);
  if (v !== 0) K.fill(t, v);
  return t;
}

/** A 0-d tensor of the optimizers' scalar dtype holding v (state["step"], mu_product). */
export function scalarTensor(v: number): Tensor {
  const t = Tensor.empty([], scalarDtype());
  K.fill(t, v);
  return t;
}

/** The value of a 0-d state tensor (PyTorch's _get_value: step_t.item()). A plain number, as
 *  PyTorch's state dicts from before 1.12 hold, is turned into a tensor first. */
export function stateScalar(state: Record<string, unknown>, key: string): Tensor {
  const v = state[key];
  if (v instanceof Tensor && (v.dtype === float32 || v.dtype === float64) && v.numel() === 1) return v;
  const t = scalarTensor(v instanceof Tensor ? v.item() : typeof v === "number" ? v : 0);
  state[key] = t;
  return t;
}

/** step_t += 1 on a 0-d counter, in its dtype; returns the new value. */
export function incStep(t: Tensor): number {
  const d = t._storage.data as Num;
  d[t._offset] = d[t._offset]! + 1;
  t._bumpVersion();
  return d[t._offset]!;
}

/** t *= v on a 0-d tensor, in its dtype (NAdam's mu_product); returns the new value. */
export function mulScalar(t: Tensor, v: number): number {
  const d = t._storage.data as Num;
  const a = arith(t.dtype);
  d[t._offset] = a.r(d[t._offset]! * a.s(v));
  t._bumpVersion();
  return d[t._offset]!;
}

/** Parameters of a group that have a gradient, in order (the `params_with_grad` of PyTorch's
 *  _init_group). */
export function withGrad(params: readonly Tensor[]): Tensor[] {
  return params.filter((p) => p.grad !== null);
}
