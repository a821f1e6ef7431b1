// The WebGPU device's storage: a GPU buffer with a lazily synchronised CPU copy.
//
// Note [Device memory]: kernels on the device read and write the buffer; CPU code (a reference
// kernel running as a fallback, printing, item()) reads `storage.data`, which reads the buffer
// back once and hands out the CPU copy. Three states say which side is current: "gpu" (the buffer
// is newer: a kernel wrote it), "both", "host" (the CPU copy is newer: someone may have written
// it since `data` handed it out; it is uploaded before a kernel next uses the buffer). Reading for
// printing or item() (`storage.readable`) keeps "both", so a later kernel uploads nothing. Integer
// tensors moved from the CPU start as "both".
//
// Note [WebGPU element types]: WGSL has f32, i32 and u32 and nothing narrower or wider, so every
// element on the device is 4 bytes: float32 as f32; bool, uint8, int8, int16, int32 and int64 as
// i32. int64 is stored as int32: moving an int64 tensor whose values do not fit in 32 bits to the
// device throws (a RangeError naming the value), and integer arithmetic on the device wraps at 32
// bits where the CPU's would not. Values read back are exact int64 again (sign-extended). float64,
// float16 and bfloat16 are refused (as PyTorch's MPS device refuses float64): use float32.

import type { DeviceMemory } from "../../core/tensor.js";
import { type DType, type Storage, arrayFor, float32, int64, bool } from "../../core/dtype.js";
import type { GpuBuffer, GpuRuntime } from "./runtime.js";

/** The device's element type for a dtype (WGSL's name), or throws for one it cannot hold. */
export function wgslType(d: DType): "f32" | "i32" {
  if (d === float32) return "f32";
  if (d.kind !== 2) return "i32";
  throw new TypeError(`Cannot convert a WebGPU tensor to ${d.name} dtype as WebGPU doesn't support ${d.name}. Please use float32 instead.`);
}

/** The device's 4-byte elements for CPU storage of dtype d. */
function encode(s: Storage, d: DType): Float32Array | Int32Array {
  if (d === float32) return s as Float32Array;
  if (s instanceof Int32Array) return s;
  const out = new Int32Array(s.length);
  if (d === int64) {
    const a = s as BigInt64Array;
    for (let i = 0; i < a.length; i++) {
      const v = a[i]!;
      if (v > 2147483647n || v < -2147483648n)
        throw new RangeError(`value ${v} of an int64 tensor does not fit on the webgpu device, which stores int64 as int32 (WGSL has no 64-bit integers)`);
      out[i] = Number(v);
    }
  } else out.set(s as ArrayLike<number> as Int32Array);
  return out;
}

/** CPU storage of dtype d from the device's elements. */
function decode(bytes: ArrayBuffer, n: number, d: DType): Storage {
  if (d === float32) return new Float32Array(bytes, 0, n);
  const words = new Int32Array(bytes, 0, n);
  if (d.name === "int32") return words;
  const out = arrayFor(d, n);
  if (d === int64) { const o = out as BigInt64Array; for (let i = 0; i < n; i++) o[i] = BigInt(words[i]!); }
  else if (d === bool) { const o = out as Uint8Array; for (let i = 0; i < n; i++) o[i] = words[i] !== 0 ? 1 : 0; }
  else (out as Int32Array).set(words);
  return out;
}

/**
 * Note [Collecting device memory]: a tensor's buffer returns to the allocator when the tensor is
 * garbage-collected (a FinalizationRegistry). Two things stand in the way in JavaScript: the
 * engine sees only the small objects, not the GPU memory behind them, so it may never collect
 * them; and it runs finalizers only between tasks, never inside a synchronous training loop. So
 * in Node, once the bytes allocated since the last collection pass a threshold, the allocator
 * collects: a full garbage collection, then the registry's cleanupSome() (V8 provides both to a
 * fresh context once its flags --expose-gc and --harmony-weak-refs-with-cleanup-some are set,
 * which only a process that opens the GPU does). Where they are not to be had, buffers return
 * when the engine collects on its own.
 */
interface Collector { gc(): void; FR: typeof FinalizationRegistry }
interface NodeProcess { getBuiltinModule?(id: string): unknown }
function collector(): Collector | null {
  const proc = (globalThis as { process?: NodeProcess }).process;
  const v8 = proc?.getBuiltinModule?.("node:v8") as { setFlagsFromString(f: string): void } | undefined;
  const vm = proc?.getBuiltinModule?.("node:vm") as { runInNewContext(code: string): unknown } | undefined;
  if (v8 === undefined || vm === undefined) return null;
  try {
    v8.setFlagsFromString("--expose-gc");
    v8.setFlagsFromString("--harmony-weak-refs-with-cleanup-some");
    const c = vm.runInNewContext("({ gc: typeof gc === 'function' ? gc : null, FR: FinalizationRegistry })") as Collector;
    return typeof c.gc === "function" && typeof (c.FR.prototype as { cleanupSome?: unknown }).cleanupSome === "function" ? c : null;
  } catch { return null; }
}
const gcHooks = collector();
type Released = { rt: GpuRuntime; buf: GpuBuffer };
const released = new (gcHooks?.FR ?? FinalizationRegistry)<Released>(({ rt, buf }) => rt.release(buf)) as FinalizationRegistry<Released> & { cleanupSome?(): void };
/** Bytes allocated since the last collection that start the next one: 64 MiB, or as much as
 *  was in use after the last one (a collection costs about the same however much it frees). */
let collectEvery = 64 << 20, sinceCollect = 0;

/** Returns the buffers of collected tensors now, when enough was allocated since last time. */
function collectIfDue(rt: GpuRuntime, bytes: number): void {
  sinceCollect += bytes;
  if (gcHooks === null || sinceCollect < collectEvery) return;
  gcHooks.gc();
  released.cleanupSome!();
  sinceCollect = 0;
  collectEvery = Math.max(64 << 20, rt.allocated);
}

export class GpuMemory implements DeviceMemory {
  /** "zero": a new buffer the GPU cleared, whose CPU copy is made (zeros) when first asked for */
  private state: "gpu" | "both" | "host" | "zero";
  private copy: Storage | null;

  /** n elements of dtype d in a new buffer: `init` uploaded (and not kept), zeros (`init` "zero"),
   *  or left as the buffer comes (a kernel will write every element). */
  constructor(readonly rt: GpuRuntime, readonly dtype: DType, readonly n: number, init: Storage | "zero" | null) {
    wgslType(dtype);
    const words = init === null || init === "zero" || n === 0 ? null : encode(init, dtype); // (throws before allocating)
    collectIfDue(rt, n * 4);
    this.buf = rt.alloc(Math.max(4, n * 4));
    released.register(this, { rt, buf: this.buf });
    if (words !== null) rt.write(this.buf, words);
    if (init === "zero") rt.clear(this.buf);
    // integers moved from the CPU (indices, mostly) keep their CPU copy: ops check indices there
    // (Note [Index shaders] in ./index_kernels.ts) without reading them back
    const keep = init !== null && init !== "zero" && dtype !== float32;
    this.copy = keep ? init : null;
    this.state = init === "zero" ? "zero" : keep ? "both" : "gpu";
  }
  readonly buf: GpuBuffer;
  /** Positions a kernel made (sort's order, argmax's) lie in [0, bound): an index check against a
   *  size at least this reads nothing back (Note [Index shaders]). Forgotten on any write. */
  bound: number | null = null;

  host(write: boolean): Storage {
    if (this.state === "zero") { this.copy = arrayFor(this.dtype, this.n); this.state = "both"; }
    if (this.state === "gpu") {
      this.copy = this.n === 0 ? arrayFor(this.dtype, 0) : decode(this.rt.readSync(this.buf, this.n * 4, "the awaitable twins (await x.item_async(), x.tolist_async(), x.cpu_async())"), this.n, this.dtype);
      this.state = "both";
    }
    if (write) { this.state = "host"; this.bound = null; }
    return this.copy!;
  }

  replace(s: Storage): void {
    this.copy = s;
    this.state = "host";
    this.bound = null;
  }

  /** The buffer, current for a kernel to read (uploading the CPU copy when it is newer). */
  read(): GpuBuffer {
    if (this.state === "zero") this.state = "gpu";
    if (this.state === "host") {
      if (this.n > 0) this.rt.write(this.buf, encode(this.copy!, this.dtype));
      this.state = "both";
    }
    return this.buf;
  }

  /** The buffer for a kernel that writes it (its other elements uploaded first when newer here). */
  written(): GpuBuffer {
    const b = this.read();
    this.state = "gpu";
    this.copy = null;
    this.bound = null;
    return b;
  }

  /** The elements, read back without blocking. */
  async hostAsync(): Promise<Storage> {
    if (this.state === "zero") return this.host(false);
    if (this.state === "gpu") {
      const bytes = this.n === 0 ? new ArrayBuffer(0) : await this.rt.readAsync(this.buf, this.n * 4);
      if (this.state === "gpu") { this.copy = decode(bytes, this.n, this.dtype); this.state = "both"; }
    }
    return this.copy!;
  }
}
