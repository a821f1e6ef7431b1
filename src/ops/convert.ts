// dtype and device conversion: to, float, double, long … (ToCopyBackward0).

import { Tensor } from "../core/tensor.js";
import { DType, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool } from "../core/dtype.js";
import { Device, device as toDevice, checkAvailable } from "../core/device.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { installMethods, isOptions } from "./util.js";
import { type memory_format, preserve_format, suggestMemoryFormat } from "../core/memory_format.js";
import { copyAs } from "./views.js";

export interface ToOptions { dtype?: DType; device?: string | Device; copy?: boolean; non_blocking?: boolean; memory_format?: memory_format | null }

/** x.to(dtype) / x.to(device) / x.to(other) / x.to({dtype, device, copy}) */
function to(x: Tensor, a?: DType | string | Device | Tensor | ToOptions, b?: DType | ToOptions): Tensor {
  let dtype: DType | undefined, dev: Device | undefined, copy = false, fmt = preserve_format;
  const take = (v: unknown): void => {
    if (v instanceof DType) dtype = v;
    else if (v instanceof Tensor) { dtype = v.dtype; dev = v.device; }
    else if (typeof v === "string" || v instanceof Device) dev = toDevice(v);
    else if (isOptions(v)) {
      const o = v as ToOptions;
      if (o.dtype) dtype = o.dtype;
      if (o.device) dev = toDevice(o.device);
      copy = o.copy ?? false;
      if (o.memory_format) fmt = o.memory_format;
    }
  };
  take(a); take(b);
  const target = dev ? checkAvailable(dev) : x.device;
  const moving = target.type !== x.device.type;
  // (PyTorch's to_will_alias: a format that the strides already suggest needs no copy, even
  // where they are not dense)
  const sameFormat = fmt === preserve_format || suggestMemoryFormat(x._shape, x._strides) === fmt;
  if ((!dtype || dtype === x.dtype) && !copy && !moving && sameFormat) return x;
  const d = dtype ?? x.dtype;
  // a cast runs where the device can hold both dtypes: on the CPU before a move to the device
  // (float64 to float32 before leaving), on the CPU after a move back
  let y: Tensor;
  if (!moving) y = copyAs(x, fmt, d);
  else if (target.type === "cpu") { y = K.moveTo(x, target); if (d !== x.dtype) y = K.contiguousCopy(y, d); }
  else y = K.moveTo(d !== x.dtype ? K.contiguousCopy(x, d) : x, target);
  const src = x.dtype, srcDevice = x.device;
  return record("ToCopyBackward0", [x], y, ([g]) => [g!.to({ dtype: src, device: srcDevice })]);
}

/** x on the CPU once its elements are read back, without blocking (a browser's main thread may
 *  not block: there `x.cpu()` of a device tensor throws, naming this). */
export async function cpu_async(x: Tensor): Promise<Tensor> {
  return K.cpuAsync(x);
}

function type_as(x: Tensor, other: Tensor): Tensor { return to(x, other.dtype); }

const cast = (d: DType) => (x: Tensor, opts?: { memory_format?: memory_format | null }) => to(x, d, opts);
installMethods({
  to, type_as, float: cast(float32), double: cast(float64), half: cast(float16), bfloat16: cast(bfloat16),
  long: cast(int64), int: cast(int32), short: cast(int16), char: cast(int8), byte: cast(uint8), bool: cast(bool),
  cpu: (x: Tensor, opts?: CastOptions) => to(x, "cpu", opts),
  cpu_async,
  item_async: async (x: Tensor) => (await K.cpuAsync(x)).item(),
  tolist_async: async (x: Tensor) => (await K.cpuAsync(x)).tolist(),
  cuda: (x: Tensor, d?: string | number) => { checkAvailable(toDevice(typeof d === "number" ? `cuda:${d}` : d ?? "cuda")); return x; },
});

/** The options of float(), double() … (PyTorch's keyword memory_format). */
export interface CastOptions { memory_format?: memory_format | null }

declare module "../core/tensor.js" {
  interface Tensor {
    to(a?: DType | string | Device | Tensor | ToOptions, b?: DType | ToOptions): Tensor;
    type_as(other: Tensor): Tensor;
    float(opts?: CastOptions): Tensor; double(opts?: CastOptions): Tensor; half(opts?: CastOptions): Tensor; bfloat16(opts?: CastOptions): Tensor;
    long(opts?: CastOptions): Tensor; int(opts?: CastOptions): Tensor; short(opts?: CastOptions): Tensor; char(opts?: CastOptions): Tensor;
    byte(opts?: CastOptions): Tensor; bool(opts?: CastOptions): Tensor; cpu(opts?: CastOptions): Tensor; cuda(device?: string | number): Tensor;
    /** The awaitable twins of cpu(), item() and tolist() (shared/API.md §4). */
    cpu_async(): Promise<Tensor>; item_async(): Promise<number>; tolist_async(): Promise<unknown>;
  }
}
