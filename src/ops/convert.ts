// dtype and device conversion: to, float, double, long … (ToCopyBackward0).

import { Tensor } from "../core/tensor.js";
import { DType, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool } from "../core/dtype.js";
import { Device, device as toDevice, checkAvailable } from "../core/device.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { installMethods, isOptions } from "./util.js";

export interface ToOptions { dtype?: DType; device?: string | Device; copy?: boolean; non_blocking?: boolean }

/** x.to(dtype) / x.to(device) / x.to(other) / x.to({dtype, device, copy}) */
export function to(x: Tensor, a?: DType | string | Device | Tensor | ToOptions, b?: DType | ToOptions): Tensor {
  let dtype: DType | undefined, dev: Device | undefined, copy = false;
  const take = (v: unknown): void => {
    if (v instanceof DType) dtype = v;
    else if (v instanceof Tensor) { dtype = v.dtype; dev = v.device; }
    else if (typeof v === "string" || v instanceof Device) dev = toDevice(v);
    else if (isOptions(v)) {
      const o = v as ToOptions;
      if (o.dtype) dtype = o.dtype;
      if (o.device) dev = toDevice(o.device);
      copy = o.copy ?? false;
    }
  };
  take(a); take(b);
  if (dev) checkAvailable(dev);
  if ((!dtype || dtype === x.dtype) && !copy) return x;
  const d = dtype ?? x.dtype;
  const y = K.contiguousCopy(x, d);
  const src = x.dtype;
  return record("ToCopyBackward0", [x], y, ([g]) => [g!.to(src)]);
}

export function type_as(x: Tensor, other: Tensor): Tensor { return to(x, other.dtype); }

const cast = (d: DType) => (x: Tensor) => to(x, d);
installMethods({
  to, type_as, float: cast(float32), double: cast(float64), half: cast(float16), bfloat16: cast(bfloat16),
  long: cast(int64), int: cast(int32), short: cast(int16), char: cast(int8), byte: cast(uint8), bool: cast(bool),
  cpu: (x: Tensor) => x,
  cuda: (x: Tensor, d?: string | number) => { checkAvailable(toDevice(typeof d === "number" ? `cuda:${d}` : d ?? "cuda")); return x; },
});

declare module "../core/tensor.js" {
  interface Tensor {
    to(a?: DType | string | Device | Tensor | ToOptions, b?: DType | ToOptions): Tensor;
    type_as(other: Tensor): Tensor;
    float(): Tensor; double(): Tensor; half(): Tensor; bfloat16(): Tensor; long(): Tensor; int(): Tensor;
    short(): Tensor; char(): Tensor; byte(): Tensor; bool(): Tensor; cpu(): Tensor; cuda(device?: string | number): Tensor;
  }
}
