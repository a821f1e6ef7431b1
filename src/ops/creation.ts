// Creating tensors: from data, filled, ranges, and the _like / new_ forms.

import { Tensor, TensorStorage } from "../core/tensor.js";
import {
  type DType, type Scalar, type Storage, bool, int64, float16, bfloat16, float32, float64, get_default_dtype, dtypeOfArray, arrayFor, viewOver,
  checkedConvert, scratch64,
} from "../core/dtype.js";
import { checkSizeNonNegative, checkInStorage, numel, contiguousStrides } from "../core/shape.js";
import { type Device, device as toDevice, checkAvailable } from "../core/device.js";
import * as K from "../backends/index.js";
import { fma32, fma64, powAcc, roundTo } from "../core/random.js";
import { installMethods, warnOnce, pyError } from "./util.js";
import { fmtDouble } from "../core/printing.js";
import { finishOpts, factoryDevice, sizeAndOptions, likeOf } from "./_helpers.js";
import { type memory_format, stridesFor } from "../core/memory_format.js";
import { isNdArrayLike } from "../core/argparse.js";

export interface TensorOptions {
  dtype?: DType | null;
  device?: string | Device | null;
  requires_grad?: boolean;
  pin_memory?: boolean;
  /** the layout of the result: torch.empty's and the _like factories' (Note [Memory formats]) */
  memory_format?: memory_format | null;
}

export type NestedData = Scalar | Tensor | ArrayBufferView | readonly NestedData[];


/** torch.tensor(data, {dtype, device, requires_grad}): always copies (a NumPy array too). */
export function tensor(data: NestedData | NdArrayLike, opts?: TensorOptions): Tensor {
  if (isNdArrayLike(data)) data = from_numpy(data);
  if (data instanceof Tensor) {
    const t = K.contiguousCopy(data, opts?.dtype ?? data.dtype);
    return finishOpts(t, opts);
  }
  // PyTorch's three passes (tensor_new.cpp): the sizes from each level's first element, the dtype
  // from every scalar, then the values, each level checked against the sizes
  const isSeq = (x: unknown): x is ArrayLike<NestedData> => Array.isArray(x) || (ArrayBuffer.isView(x) && !(x instanceof DataView));
  if (typeof data === "string") throw new TypeError("new(): invalid data type 'str'");
  const shape: number[] = [];
  for (let o: unknown = data; isSeq(o) || typeof o === "string"; o = o[0]) {
    if (typeof o === "string") throw pyError("ValueError", "too many dimensions 'str'");
    shape.push(o.length);
    if (o.length === 0) break;
  }
  let inferred: DType | null = null;
  const infer = (x: unknown): void => {
    let d: DType;
    if (ArrayBuffer.isView(x) && !(x instanceof DataView)) d = dtypeOfArray(x as ArrayBufferView);
    else if (Array.isArray(x)) { for (const e of x) infer(e); return; }
    else if (x instanceof Tensor) d = x.dtype;
    else if (typeof x === "boolean") d = bool;
    else if (typeof x === "bigint") d = int64;
    else if (typeof x === "number") d = get_default_dtype();
    else if (typeof x === "string") throw new TypeError("new(): invalid data type 'str'");
    else throw pyError("RuntimeError", `Could not infer dtype of ${x === null || x === undefined ? "NoneType" : Object.getPrototypeOf(x) === Object.prototype ? "dict" : "object"}`);
    inferred = !inferred || d.kind > inferred.kind ? d : inferred;
  };
  if (!opts?.dtype) infer(data);
  const dtype = opts?.dtype ?? inferred ?? get_default_dtype();
  const flat: (number | bigint | boolean)[] = [];
  const store = (x: NestedData, dim: number): void => {
    if (dim === shape.length) {
      if (x instanceof Tensor) {
        if (x.ndim !== 0) throw new Error("only one element tensors can be converted to Python scalars");
        flat.push(x._at(0));
      } else if (typeof x === "number" || typeof x === "bigint" || typeof x === "boolean") flat.push(x);
      else {
        const what = isSeq(x) ? "list" : x === null || x === undefined ? "NoneType" : typeof x === "string" ? "str" : "object";
        throw new TypeError(dtype.is_floating_point ? `must be real number, not ${what}` : `'${what}' object cannot be interpreted as an integer`);
      }
      return;
    }
    if (!isSeq(x)) throw new TypeError("not a sequence");
    if (x.length !== shape[dim]) throw pyError("ValueError", `expected sequence of length ${shape[dim]} at dim ${dim} (got ${x.length})`);
    for (let i = 0; i < x.length; i++) store(x[i]!, dim + 1);
  };
  if (numel(shape) > 0) store(data, 0);
  return finishOpts(fromFlat(flat, shape, dtype), opts);
}

/** A contiguous tensor of `dtype` from row-major JS values. */
function fromFlat(flat: ArrayLike<number | bigint | boolean>, shape: readonly number[], dtype: DType): Tensor {
  const n = flat.length;
  if (!dtype.is_floating_point && dtype !== bool) for (let i = 0; i < n; i++) checkedConvert(flat[i]!, dtype, "tensor");
  let data: Storage;
  if (dtype === int64) {
    const a = new BigInt64Array(n);
    // (a float of exactly 2^63 passes the check and wraps to -2^63, as C++'s conversion does in PyTorch)
    for (let i = 0; i < n; i++) { const v = flat[i]!; a[i] = typeof v === "bigint" ? v : BigInt.asIntN(64, BigInt(Math.trunc(Number(v)))); }
    data = a;
  } else {
    const nums = new Float64Array(n);
    for (let i = 0; i < n; i++) nums[i] = Number(flat[i]!);
    data = K.fromNumbers(nums, dtype);
  }
  return Tensor.fromStorage(data, shape, dtype);
}


export function full(size: readonly number[] | number, fill_value: Scalar, opts?: TensorOptions): Tensor {
  const shape = typeof size === "number" ? [size] : size.slice();
  checkSizeNonNegative(shape);
  const d = opts?.dtype ?? (typeof fill_value === "boolean" ? bool : typeof fill_value === "bigint" ? int64 : get_default_dtype());
  checkedConvert(fill_value, d, "fill");
  return finishOpts(fillFresh(Tensor.empty(shape, d, factoryDevice(opts)), fill_value), opts);
}
/** Fills a fresh tensor with v (checked against its dtype). */
function fillFresh(t: Tensor, v: Scalar): Tensor {
  checkedConvert(v, t.dtype, "fill");
  // (the CPU's fresh storage is zero-filled already, as zeros relies on: a zero needs no second pass)
  const zero = v === false || v === 0n || (v === 0 && !Object.is(v, -0));
  if (!zero || t.device.type !== "cpu") K.fill(t, v);
  return t;
}

type SizeArgs = (number | number[] | TensorOptions)[];
export function empty(...args: SizeArgs): Tensor {
  const [shape, o] = sizeAndOptions(args);
  const strides = o.memory_format ? stridesFor(shape, o.memory_format) : undefined;
  return finishOpts(Tensor.empty(shape, o.dtype ?? get_default_dtype(), factoryDevice(o), true, strides), o);
}
/** torch.zeros: empty's zero-filled storage, with zeros' own check of the sizes (2.x). */
export function zeros(...args: SizeArgs): Tensor {
  if (args.some((a) => (typeof a === "number" && a < 0) || (Array.isArray(a) && a.some((s) => s < 0))))
    throw new RangeError("zeros: Dimension size must be non-negative.");
  return empty(...args);
}
export function ones(...args: SizeArgs): Tensor { const [shape, o] = sizeAndOptions(args); return full(shape, 1, o); }

export function zeros_like(x: Tensor, opts?: TensorOptions): Tensor { return full_like(x, 0, opts); }
export function ones_like(x: Tensor, opts?: TensorOptions): Tensor { return full_like(x, 1, opts); }
export function empty_like(x: Tensor, opts?: TensorOptions): Tensor { return full_like(x, 0, opts); }
export function full_like(x: Tensor, v: Scalar, opts?: TensorOptions): Tensor {
  return likeOf(x, opts, (shape, o) => full(shape, v, o), (t) => fillFresh(t, v));
}

function newLike(x: Tensor, args: SizeArgs, v: Scalar): Tensor {
  const [shape, o] = sizeAndOptions(args);
  return full(shape, v, { dtype: x.dtype, device: x.device, ...o });
}
function new_zeros(x: Tensor, ...args: SizeArgs): Tensor { return newLike(x, args, 0); }
function new_ones(x: Tensor, ...args: SizeArgs): Tensor { return newLike(x, args, 1); }
function new_empty(x: Tensor, ...args: SizeArgs): Tensor { return newLike(x, args, 0); }
function new_full(x: Tensor, size: number[], v: Scalar, opts?: TensorOptions): Tensor { return full(size, v, { dtype: x.dtype, device: x.device, ...opts }); }
function new_tensor(x: Tensor, data: NestedData, opts?: TensorOptions): Tensor { return tensor(data, { dtype: x.dtype, device: x.device, ...opts }); }

/** RangeUtils.h's arange_check_bounds, on the bounds and step in the accumulate type. */
export function checkRangeBounds(start: number, end: number, step: number): void {
  if (!(step > 0 || step < 0)) throw new Error("step must be nonzero");
  if (!Number.isFinite(start) || !Number.isFinite(end)) throw new Error(`unsupported range: ${fmtDouble(start)} -> ${fmtDouble(end)}`);
  if (!((step > 0 && end >= start) || (step < 0 && end <= start))) throw new Error("upper bound and lower bound inconsistent with step sign");
}

/** torch.arange(end) / (start, end, step) as PyTorch 2.x's CPU kernel computes it
 *  (RangeFactoriesKernel.cpp): start and step in the accumulate type (double for float32/float64,
 *  float for float16/bfloat16, int64 for the integers, truncated), the size by RangeUtils.h's
 *  compute_arange_size (int64's in integers), and the values two AVX2 vectors at a time (8 floats,
 *  4 doubles or 16 halves each: the stub has no AVX-512 kernel), each vector from its base
 *  start + step·i (one fused multiply-add, rounded to the dtype) and lane j as base + j·step (fused,
 *  rounded), the remainder one element at a time as start + step·i. Beyond 32768 elements (the
 *  grain of at::parallel_for) PyTorch's threads split the range into min(threads, ⌈n/32768⌉) chunks
 *  of ⌈n/chunks⌉, and each chunk starts its vectors where it starts, its remainder at its end: the
 *  values depend on torch.get_num_threads(), so they follow ours. */
export function arange(a: number, b?: number | TensorOptions, c?: number | TensorOptions, d?: TensorOptions): Tensor {
  let start = 0, end: number, step = 1, o: TensorOptions | undefined;
  if (typeof b !== "number") { end = a; o = b; }
  else if (typeof c !== "number") { start = a; end = b; o = c; }
  else { start = a; end = b; step = c; o = d; }
  const dtype = o?.dtype ?? get_default_dtype();
  if (dtype === bool) throw new Error(`"arange_cpu" not implemented for 'Bool'`);
  const integral = !dtype.is_floating_point, half = dtype === float16 || dtype === bfloat16;
  const acc = accumulateType(dtype);
  const xs = acc(start), xe = acc(end), xst = acc(step);
  checkRangeBounds(xs, xe, xst);
  const n = dtype === int64 ? Math.trunc((xe - xs + xst - Math.sign(xst)) / xst) : Math.ceil((end - start) / step);
  const vals = scratch64(n, dtype);
  if (integral) {
    for (let i = 0; i < n; i++) vals[i] = xs + xst * i;
  } else {
    const r = (x: number) => roundTo(dtype, x), fma = half ? fma32 : fma64;
    const at = (i: number) => r(fma(xst, half ? Math.fround(i) : i, xs));
    const lanes = dtype === float64 ? 4 : dtype === float32 ? 8 : 16;
    const vector = (i: number) => {
      const base = at(i);
      vals[i] = base;
      for (let j = 1; j < lanes; j++) vals[i + j] = r(fma(j, xst, base));
    };
    const threads = K.get_num_threads(), grain = 32768;
    const chunks = n > grain && threads > 1 ? Math.min(threads, Math.ceil(n / grain)) : 1, size = Math.ceil(n / chunks);
    for (let first = 0; first < n; first += size) {
      const last = Math.min(n, first + size);
      let i = first;
      for (; i + 2 * lanes <= last; i += 2 * lanes) { vector(i); vector(i + lanes); }
      for (; i < last; i++) vals[i] = at(i);
    }
  }
  return finishOpts(Tensor.fromStorage(K.fromNumbers(vals, dtype), [n], dtype), o);
}

/** The rounding of ATen's accumulate type for a dtype's range factories: int64 (truncation) for
 *  the integers, float for float16 and bfloat16, double (none) for float32 and float64. */
function accumulateType(dtype: DType): (x: number) => number {
  return !dtype.is_floating_point ? Math.trunc : dtype === float16 || dtype === bfloat16 ? Math.fround : (x) => x;
}

/** torch.range(start, end, step=1): deprecated (warns), `end` included, the default float dtype.
 *  As RangeFactories.cpp's loop (built without FMA): bounds, step and size ((end − start)/step + 1,
 *  truncated) in the accumulate type, each element start + i·step in it (i itself in float for
 *  float16 and bfloat16), rounded to the dtype. */
export function range(start: number, end: number, stepArg: number | TensorOptions = 1, opts?: TensorOptions): Tensor {
  let step = 1;
  if (typeof stepArg === "number") step = stepArg; else opts = stepArg;
  warnOnce("torch.range is deprecated and will be removed in a future release because its behavior is inconsistent with Python's range builtin. Instead, use torch.arange, which produces values in [start, end).");
  const dtype = opts?.dtype ?? get_default_dtype();
  if (dtype === bool) throw new Error(`"range_cpu" not implemented for 'Bool'`);
  const acc = accumulateType(dtype);
  const xs = acc(start), xe = acc(end), xst = acc(step);
  checkRangeBounds(xs, xe, xst);
  const n = Math.trunc(acc(acc(acc(xe - xs) / xst) + 1));
  const vals = scratch64(n, dtype);
  for (let i = 0; i < n; i++) vals[i] = roundTo(dtype, acc(xs + acc(acc(i) * xst)));
  return finishOpts(Tensor.fromStorage(K.fromNumbers(vals, dtype), [n], dtype), opts);
}

export function linspace(start: number, end: number, steps: number, opts?: TensorOptions): Tensor {
  if (steps < 0) throw new Error("number of steps must be non-negative");
  const dtype = opts?.dtype ?? get_default_dtype();
  return finishOpts(Tensor.fromStorage(K.fromNumbers(linspaceValues(start, end, steps, dtype), dtype), [steps], dtype), opts);
}

/** Note [linspace rounding]: PyTorch 2.x's CPU kernel (linspace_kernel, no longer vectorised as 1.13's was) computes
 *  each element on its own in the dtype, the first half from `start` and the second from `end` (so
 *  the end is exact): `start + step * i`, `end - step * (steps - 1 - i)`, with `step` computed in
 *  the dtype too. GCC contracts each into one fused multiply-add in float32 and float64 (the CPU
 *  kernels are built for AVX2/AVX-512, which have FMA: Note [FMA contraction] in core/random.ts);
 *  float16 and bfloat16 round after every operation (c10::Half's operators go through float, the
 *  index cast to the dtype first); integer dtypes take `start` and `end` truncated to the dtype, a
 *  double `step` and truncate the fused result. The last bit of every element depends on this, so
 *  we follow it (checked against PyTorch element for element in test/creation.test.ts). */
function linspaceValues(start: number, end: number, steps: number, dtype: DType): Float64Array {
  const vals = scratch64(steps, dtype);
  if (steps === 1) { vals[0] = start; return vals; } // PyTorch fills it with start
  if (dtype === bool && steps > 1) throw new Error(`"linspace_cpu" not implemented for 'Bool'`);
  const half = Math.floor(steps / 2);
  let at: (i: number) => number;
  if (dtype.is_floating_point) {
    const r = (x: number) => roundTo(dtype, x);
    const s = r(start), e = r(end), n = r(steps - 1), step = r(r(e - s) / n);
    if (dtype === float32 || dtype === float64) {
      const fma = dtype === float32 ? fma32 : fma64;
      at = (i) => (i < half ? fma(step, r(i), s) : fma(-step, r(steps - 1 - i), e));
    } else {
      at = (i) => (i < half ? r(s + r(step * r(i))) : r(e - r(step * r(steps - 1 - i))));
    }
  } else {
    const s = Math.trunc(start), e = Math.trunc(end), step = (e - s) / (steps - 1);
    at = (i) => Math.trunc(i < half ? fma64(step, i, s) : fma64(-step, steps - 1 - i, e));
  }
  for (let i = 0; i < steps; i++) vals[i] = at(i);
  return vals;
}

/** torch.logspace as PyTorch 2.x's CPU loop computes it (RangeFactories.cpp): start and end cast
 *  to the dtype, a double step ((end − start) in the dtype, over steps − 1), the exponent
 *  start + step·i for the first half and end − step·(steps − 1 − i) for the second in double
 *  (that file is built without FMA), and C's pow in double (powAcc, Note [libm accuracy]), cast to
 *  the dtype (truncated for integers). */
export function logspace(start: number, end: number, steps: number, base: number | (TensorOptions & { base?: number }) = 10, opts?: TensorOptions): Tensor {
  // (base is PyTorch's fourth parameter; the options form is kept for callers that name it there)
  if (typeof base !== "number") ({ base = 10, ...opts } = base);
  if (steps < 0) throw new Error("number of steps must be non-negative");
  const dtype = opts?.dtype ?? get_default_dtype();
  const vals = scratch64(steps, dtype);
  const cast = dtype.is_floating_point ? (x: number) => roundTo(dtype, x) : dtype === bool ? (x: number) => +(x !== 0) : Math.trunc;
  if (steps === 1) vals[0] = cast(powAcc(base, start)); // fill_(pow(base, start))
  else if (steps > 1) {
    if (dtype === bool) throw new Error(`"logspace_cpu" not implemented for 'Bool'`);
    const s = cast(start), e = cast(end), step = cast(e - s) / (steps - 1), half = Math.floor(steps / 2);
    for (let i = 0; i < steps; i++) vals[i] = cast(powAcc(base, i < half ? s + step * i : e - step * (steps - 1 - i)));
  }
  return finishOpts(Tensor.fromStorage(K.fromNumbers(vals, dtype), [steps], dtype), opts);
}

export function eye(n: number, m?: number | TensorOptions, opts?: TensorOptions): Tensor {
  const cols = typeof m === "number" ? m : n;
  const o = typeof m === "number" ? opts : m;
  if (n < 0) throw new Error(`n must be greater or equal to 0, got ${n}`);
  if (cols < 0) throw new Error(`m must be greater or equal to 0, got ${cols}`);
  const t = Tensor.empty([n, cols], o?.dtype ?? get_default_dtype());
  const diag = new Tensor(t._storage, [Math.min(n, cols)], [cols + 1], 0, t.dtype);
  K.fill(diag, 1);
  return finishOpts(t, o);
}

export function scalar_tensor(v: Scalar, opts?: TensorOptions): Tensor { return full([], v, opts); }

/** torch.as_tensor: shares memory with a tensor of the same dtype, else copies. */
export function as_tensor(data: NestedData, opts?: TensorOptions): Tensor {
  if (data instanceof Tensor && (!opts?.dtype || opts.dtype === data.dtype)) return data;
  if (ArrayBuffer.isView(data) && !(data instanceof DataView) && (!opts?.dtype || opts.dtype === dtypeOfArray(data))) {
    const d = dtypeOfArray(data);
    return Tensor.fromStorage(data as unknown as Storage, [(data as unknown as ArrayLike<number>).length], d);
  }
  return tensor(data, opts);
}

export interface NdArrayLike { data: ArrayBufferView; shape: readonly number[]; strides?: readonly number[]; dtype?: string }

/** torch.from_numpy: a tensor sharing the array's memory (strides in elements, as PyTorch's are).
 *  A NumPy array is consistent by construction; this one is checked: its shape and strides must
 *  stay within its data (set_'s check), its strides non-negative (PyTorch's own refusal). */
export function from_numpy(a: NdArrayLike): Tensor {
  const dtype = dtypeOfArray(a.data);
  const strides = a.strides ? a.strides.slice() : contiguousStrides(a.shape);
  if (strides.length !== a.shape.length) throw new Error("mismatch in length of strides and shape");
  if (strides.some((st) => st < 0))
    throw new Error("At least one stride in the given numpy array is negative, and tensors with negative strides are not currently supported. (You can probably work around this by making a copy of your array  with array.copy().) ");
  const data = a.data as unknown as Storage;
  checkInStorage(a.shape, strides, 0, dtype.itemsize, data.length);
  return new Tensor(new TensorStorage(data), a.shape.slice(), strides, 0, dtype);
}

/** torch.frombuffer(buffer, {dtype, count=-1, offset=0, requires_grad}): a 1-d tensor sharing the
 *  bytes of an ArrayBuffer (or of a typed array's range), with PyTorch's checks of count and
 *  offset. JavaScript's typed arrays need views aligned to the element size, so an offset that is
 *  not a multiple of it is refused here (PyTorch reads unaligned memory). */
export function frombuffer(buffer: ArrayBufferLike | ArrayBufferView, opts: TensorOptions & { count?: number; offset?: number }): Tensor {
  const dtype = opts.dtype;
  if (!dtype) throw new TypeError("frombuffer() missing required keyword argument 'dtype'");
  const count = opts.count ?? -1, offset = opts.offset ?? 0, size = dtype.itemsize;
  const [buf, start, len] = ArrayBuffer.isView(buffer) ? [buffer.buffer, buffer.byteOffset, buffer.byteLength] : [buffer, 0, buffer.byteLength];
  if (len <= 0 || count === 0) throw new Error(`both buffer length (${len}) and count (${count}) must not be 0`);
  if (offset < 0 || offset >= len) throw new Error(`offset (${offset} bytes) must be non-negative and no greater than buffer length (${len} bytes) minus 1`);
  if (count < 0 && (len - offset) % size !== 0)
    throw new Error(`buffer length (${len - offset} bytes) after offset (${offset} bytes) must be a multiple of element size (${size})`);
  if (count > 0 && len - offset < count * size)
    throw new Error(`requested buffer length (${count} * ${size} bytes) after offset (${offset} bytes) must not be greater than actual buffer length (${len} bytes)`);
  if ((start + offset) % size !== 0)
    throw new Error(`frombuffer: offset (${offset} bytes) must be a multiple of the element size (${size}): JavaScript's typed arrays are aligned views`);
  const n = count < 0 ? (len - offset) / size : count;
  const data = ArrayBuffer.isView(buffer) ? viewOver(dtype, buffer, start + offset, n) : arrayFor(dtype, buf, offset, n);
  // (over the buffer, on the CPU whatever the default device: Note [Default device])
  return finishOpts(Tensor.fromStorage(data, [n], dtype), { ...opts, device: "cpu" });
}

/** t.numpy(): {data, shape, strides, dtype} sharing memory with the tensor's storage: `data` is the
 *  part of the storage the tensor reaches, from its first element (a view of a row, x[i], starts
 *  at the row, as NumPy's array of it does), so that from_numpy(t.numpy()) is the same view. */
export function numpy(t: Tensor): { data: Storage; shape: number[]; strides: number[]; dtype: string } {
  if (t.requires_grad) throw new Error("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.");
  if (t.device.type !== "cpu") throw new TypeError(`can't convert ${t.device} device type tensor to numpy. Use Tensor.cpu() to copy the tensor to host memory first.`);
  const reach = t._shape.some((s) => s === 0) ? 0 : 1 + t._shape.reduce((acc, s, i) => acc + (s - 1) * t._strides[i]!, 0);
  // (over the same memory, keeping the storage's own array alive: viewOver, Note [Reused ArrayBuffers])
  const all = t._storage.data;
  const data = t._offset === 0 && reach === all.length ? all : viewOver(t.dtype, all, all.byteOffset + t._offset * t.dtype.itemsize, reach);
  return { data, shape: t.shape.slice(), strides: t.stride(), dtype: t.dtype.name };
}

installMethods({ new_zeros, new_ones, new_empty, new_full, new_tensor, numpy });

declare module "../core/tensor.js" {
  interface Tensor {
    new_zeros(...args: SizeArgs): Tensor; new_ones(...args: SizeArgs): Tensor; new_empty(...args: SizeArgs): Tensor;
    new_full(size: number[], v: Scalar, opts?: TensorOptions): Tensor; new_tensor(data: NestedData, opts?: TensorOptions): Tensor;
    numpy(): { data: Storage; shape: number[]; strides: number[]; dtype: string };
  }
}
void numel; void float32;
