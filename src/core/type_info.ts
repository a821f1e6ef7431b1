// torch.finfo / torch.iinfo: the numerical limits of a dtype, with PyTorch's fields and printed
// form (torch/csrc/TypeInfo.cpp, which prints each value with C++'s `ostream << double`, %g).

import {
  type DType, bool, float16, bfloat16, float32, float64, get_default_dtype, int64,
} from "./dtype.js";
import { fmtDouble } from "./printing.js";

/** torch.finfo(dtype): the limits of a floating dtype (the default dtype when none is given). */
export class FInfo {
  readonly bits: number;
  /** the smallest x with 1 + x != 1 */
  readonly eps: number;
  readonly max: number;
  readonly min: number;
  /** the smallest positive normal number (an alias of smallest_normal, as in PyTorch) */
  readonly tiny: number;
  readonly smallest_normal: number;
  /** 10 ** -(decimal digits of precision), NumPy's and PyTorch's resolution */
  readonly resolution: number;
  /** the dtype's name without "torch." (PyTorch's finfo.dtype is a string) */
  readonly dtype: string;

  constructor(type: DType = get_default_dtype()) {
    const f = FLOAT_LIMITS.get(type);
    if (f === undefined) {
      throw new TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle 'torch.finfo'");
    }
    this.bits = type.itemsize * 8;
    this.eps = f.eps;
    this.max = f.max;
    this.min = -f.max;
    this.tiny = this.smallest_normal = f.tiny;
    this.resolution = f.resolution;
    this.dtype = type.name;
  }

  toString(): string {
    return `finfo(resolution=${fmtDouble(this.resolution)}, min=${fmtDouble(this.min)}, max=${fmtDouble(this.max)}, ` +
      `eps=${fmtDouble(this.eps)}, smallest_normal=${fmtDouble(this.smallest_normal)}, tiny=${fmtDouble(this.tiny)}, dtype=${this.dtype})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

/** torch.iinfo(dtype): the limits of an integer dtype. int64's bounds are bigints, the exact values
 *  (a JS number cannot hold 2**63 - 1; torch.tensor(bigint) takes them as they are). */
export class IInfo {
  readonly bits: number;
  readonly max: number | bigint;
  readonly min: number | bigint;
  readonly dtype: string;

  constructor(type: DType) {
    if (type === bool) throw new TypeError("torch.bool is not supported by torch.iinfo");
    if (type.is_floating_point) throw new TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle 'torch.iinfo'");
    this.bits = type.itemsize * 8;
    this.dtype = type.name;
    if (type === int64) { this.max = 2n ** 63n - 1n; this.min = -(2n ** 63n); return; }
    this.max = type.is_signed ? 2 ** (this.bits - 1) - 1 : 2 ** this.bits - 1;
    this.min = type.is_signed ? -(2 ** (this.bits - 1)) : 0;
  }

  toString(): string {
    return `iinfo(min=${fmtDouble(Number(this.min))}, max=${fmtDouble(Number(this.max))}, dtype=${this.dtype})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

const FLOAT_LIMITS = new Map<DType, { eps: number; max: number; tiny: number; resolution: number }>([
  [float16, { eps: 2 ** -10, max: 65504, tiny: 2 ** -14, resolution: 1e-3 }],
  [bfloat16, { eps: 2 ** -7, max: (2 - 2 ** -7) * 2 ** 127, tiny: 2 ** -126, resolution: 1e-2 }],
  [float32, { eps: 2 ** -23, max: (2 - 2 ** -23) * 2 ** 127, tiny: 2 ** -126, resolution: 1e-6 }],
  [float64, { eps: 2 ** -52, max: Number.MAX_VALUE, tiny: 2 ** -1022, resolution: 1e-15 }],
]);

/** Called as in PyTorch, `torch.finfo(torch.float16).max`, or with `new`. */
export const finfo = callable(FInfo, "finfo") as { (type?: DType): FInfo; new (type?: DType): FInfo };
/** Called as in PyTorch, `torch.iinfo(torch.int32).max`, or with `new`. */
export const iinfo = callable(IInfo, "iinfo") as { (type: DType): IInfo; new (type: DType): IInfo };

function callable<A extends unknown[], R>(cls: new (...args: A) => R, name: string): unknown {
  const f = function (...args: A): R { return new cls(...args); };
  Object.defineProperty(f, "name", { value: name });
  Object.defineProperty(f, Symbol.hasInstance, { value: (x: unknown) => x instanceof cls });
  return f;
}
