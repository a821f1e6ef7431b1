// The WebGPU device, as the rest of the library sees it: moving tensors to and from it, the
// fallback through the CPU for what it has no kernel for, and torch.webgpu.

import { Tensor, TensorStorage } from "../../core/tensor.js";
import { type Device, cpu, device as toDeviceSpec } from "../../core/device.js";
import { manual_seed } from "../../core/random.js";
import { _register_accelerator } from "../../core/accelerator.js";
import type { Storage } from "../../core/dtype.js";
import { webgpu } from "./device.js";
import { GpuMemory } from "./memory.js";
import { gpu, openAsync, unavailableReason, type GpuCounters } from "./runtime.js";
import { webgpuKernels, deviceFrom, contiguousCopy, fill, im2col, col2im, addChannelBias, scan, sortOrder, scatterReduce, onDense } from "./kernels.js";
import { gatherPlanes, gatherMaps, scatterMaps } from "./pool_kernels.js";
import { takeAt, putAt } from "./index_kernels.js";
import { searchSorted, binCount, histc, nonzero, repeatedIndices } from "./search_kernels.js";
import { triangularSolve, luFactor, luPermutation, choleskyFactor, householderQr, jacobiEigh, jacobiSvd } from "./linalg_kernels.js";

export { webgpu, webgpuKernels, contiguousCopy as deviceContiguousCopy, fill as deviceFill, scan as deviceScan, sortOrder as deviceSortOrder, scatterReduce as deviceScatterReduce };
export { searchSorted as deviceSearchSorted, binCount as deviceBinCount, histc as deviceHistc, nonzero as deviceNonzero, triangularSolve as deviceTriangularSolve };
export { repeatedIndices as deviceRepeatedIndices, luFactor as deviceLuFactor, luPermutation as deviceLuPermutation, choleskyFactor as deviceCholeskyFactor, householderQr as deviceHouseholderQr, jacobiEigh as deviceJacobiEigh, jacobiSvd as deviceJacobiSvd };
/** A helper whose kernel reads its first argument contiguous (onDense in ./kernels.ts). */
const dense = <R extends unknown[], T>(f: (t: Tensor, ...r: R) => T) => (t: Tensor, ...r: R): T | null => onDense(t, (c) => f(c, ...r));

/** The reference's helpers the device has kernels for (see ../index.ts's `hosted`). */
export const deviceHelpers: Record<string, (...args: never[]) => unknown> = {
  col2im, add_channel_bias: addChannelBias, max_unpool_gather: gatherPlanes, index: takeAt, index_put: putAt,
  gather_maps: dense(gatherMaps), scatter_maps: dense(scatterMaps), im2col: dense(im2col),
};

/** (CPU storage has no device memory: asked first, since `instanceof` an imported class runs in
 *  optimized code as a generic builtin call, ~12% of B1's 2x2 add) */
export const isOnDevice = (t: Tensor): boolean => t._storage.mem !== null && t._storage.mem instanceof GpuMemory;

/** Notes that t's values, indices an op has checked, lie in [0, size): the device's bounds checks
 *  then read nothing back (Note [Index shaders]). t itself. */
export function checkedIndices(t: Tensor, size: number): Tensor {
  if (isOnDevice(t)) (t._storage.mem as GpuMemory).bound = size;
  return t;
}

/** t's elements in row-major order, in a new array: `host` is t's storage's elements. */
function elements(t: Tensor, host: Storage): Storage {
  const view = new Tensor(new TensorStorage(host), t._shape, t._strides, t._offset, t.dtype);
  const c = view.is_contiguous() ? view : view.contiguous();
  return c._storage.data.slice(c._offset, c._offset + c.numel()) as Storage;
}

/** A tensor's copy on the CPU (a new tensor; its elements read back from the device). */
export function toCpu(t: Tensor): Tensor {
  return Tensor.fromStorage(elements(t, (t._storage.mem as GpuMemory).host(false)), t._shape, t.dtype);
}

/** A CPU tensor's copy on the device (a new contiguous tensor). */
export function toDevice(t: Tensor): Tensor {
  return deviceFrom(elements(t, t._storage.data), t._shape, t.dtype);
}

/** Whether t's elements fill the span of its storage from its offset densely, in some order of
 *  its dims (a row-major or column-major matrix, a transposed copy): PyTorch's non-overlapping
 *  and dense. */
function denseSpan(t: Tensor): boolean {
  const dims = t._shape.map((n, d) => [n, t._strides[d]!] as const).filter(([n]) => n > 1).sort((a, b) => a[1] - b[1]);
  let step = 1;
  for (const [n, s] of dims) { if (s !== step) return false; step *= n; }
  return true;
}

/** The result of an op computed on the CPU, on the device: laid out as it is where its elements
 *  fill their span densely (LAPACK's column-major results keep their strides, Note [LAPACK's
 *  layout]), else contiguous. */
function resultToDevice(t: Tensor): Tensor {
  if (!denseSpan(t) || t.numel() === 0) return toDevice(t);
  const d = deviceFrom(t._storage.data.slice(t._offset, t._offset + t.numel()) as Storage, [t.numel()], t.dtype);
  return new Tensor(d._storage, t._shape, t._strides, 0, t.dtype, webgpu);
}

/** A contiguous copy of t on `dev` (the CPU or the device). */
export function moveTo(t: Tensor, dev: Device): Tensor {
  return dev.type === "cpu" ? toCpu(t) : toDevice(t);
}

/** t on the CPU, its elements read back without blocking (t itself when on the CPU). */
export async function cpuAsync(t: Tensor): Promise<Tensor> {
  if (!isOnDevice(t)) return t;
  await (t._storage.mem as GpuMemory).hostAsync();
  return toCpu(t);
}

// ---- Note [Device fallback] -----------------------------------------------------------------------

/**
 * Note [Device fallback]: an op on device tensors whose kernel the device lacks runs the CPU's
 * reference kernel, as PyTorch's MPS fallback does: the inputs are read back (storage.data, Note
 * [Device memory]), the result is moved to the device, and the first time each op falls back a
 * warning names it. The fallbacks are counted per op, so tests and the bench can show that their
 * hot paths have none.
 */
const fallbacks = new Map<string, number>(), warned = new Set<string>();

/** Runs `cpuRun` for `name` on device operands and moves the result (tensors) to the device. */
export function fallback<T>(name: string, cpuRun: () => T): T {
  fallbacks.set(name, (fallbacks.get(name) ?? 0) + 1);
  if (!warned.has(name) && warned.add(name))
    console.warn(`UserWarning: The operator '${name}' is not currently supported on the WebGPU backend and will fall back to run on the CPU. This may have performance implications.`);
  return moveResults(cpuRun());
}

function moveResults<T>(r: T): T {
  if (r instanceof Tensor) return (r.device.type === "cpu" ? resultToDevice(r) : r) as T;
  if (Array.isArray(r)) return r.map((x) => (x instanceof Tensor ? moveResults(x) : x)) as T;
  return r;
}

/** The operator's name PyTorch's warning would give for a graph node's name ("IndexBackward0":
 *  "index"). */
const opName = (node: string): string => node.replace(/Backward\d*$/, "").replace(/(?<=[a-z0-9])([A-Z])/g, "_$1").toLowerCase();

/** Whether one of ts is on the device (an indexed loop: it runs for every recorded op). */
function anyOnDevice(ts: readonly (Tensor | null | undefined)[]): boolean {
  for (let i = 0; i < ts.length; i++) if (ts[i] && isOnDevice(ts[i]!)) return true;
  return false;
}

/** After an op on device inputs computed its result on the CPU (code that reads storage.data
 *  rather than calling a kernel: Note [Device fallback]), moves the result to the device in place,
 *  counted as that op's fallback. Called by autograd's record(), which every differentiable op
 *  passes its result through; ToCopyBackward0 (to(), cpu()) and CopyBackwards (copy_ from another
 *  device) change devices on purpose. */
export function adoptDevice(node: string, inputs: readonly (Tensor | null | undefined)[], out: Tensor | readonly Tensor[]): void {
  if (node === "ToCopyBackward0" || node === "CopyBackwards" || !anyOnDevice(inputs)) return;
  for (const o of out instanceof Tensor ? [out] : out) {
    // (an in-place op's result is its CPU input, which stays where it is: copy_ from the device)
    if (o.device.type !== "cpu" || inputs.some((t) => t?._storage === o._storage)) continue;
    const moved = fallback(opName(node), () => resultToDevice(o));
    o._storage = moved._storage; o._strides = moved._strides; o._offset = 0;
    (o as { device: Device }).device = webgpu;
  }
}

/** t, made on the CPU by an op on `like`, on like's device: a constant the op built from shapes
 *  alone (op omitted: an upload, not a fallback), or a result it computed on the CPU (counted as
 *  op's fallback). */
export function onDeviceOf(t: Tensor, like: Tensor, op?: string): Tensor {
  if (!isOnDevice(like) || isOnDevice(t)) return t;
  return op === undefined ? toDevice(t) : fallback(op, () => toDevice(t));
}

/** A gradient a formula computed on the CPU, moved to its input's device (counted as a fallback of
 *  the node's op; copy_'s, from a source on another device, moves on purpose). */
export function gradientTo(node: string, g: Tensor, dev: Device): Tensor {
  return dev.type === "cpu" || node === "CopyBackwards" ? moveTo(g, dev) : fallback(`${opName(node)}_backward`, () => moveTo(g, dev));
}

/** The device of tensors that meet in one op (throwing PyTorch's error when two differ, a
 *  zero-dimensional CPU tensor excepted). */
export function operandsDevice(ts: readonly Tensor[]): Device {
  return deviceOperands(ts) ? webgpu : ts[0]?.device ?? cpu;
}

/** The device of operands that meet in one op: the device when any is on it, else null. A CPU
 *  tensor may join device ones only with zero dims (a wrapped scalar), as in PyTorch. */
export function deviceOperands(ts: readonly (Tensor | null | undefined)[]): boolean {
  let dev = false, host: Tensor | null = null;
  for (let i = 0; i < ts.length; i++) { // (indexed: runs on every op)
    const t = ts[i];
    if (!t) continue;
    if (isOnDevice(t)) dev = true;
    else if (t.ndim > 0) host = t;
  }
  if (dev && host !== null)
    throw new Error(`Expected all tensors to be on the same device, but found at least two devices, ${webgpu} and cpu!`);
  return dev;
}

// ---- torch.webgpu -------------------------------------------------------------------------------

const deviceIndex = (d?: Device | string | number | null): void => {
  if (d === undefined || d === null || d === 0) return;
  const dev = typeof d === "number" ? null : toDeviceSpec(d);
  if (typeof d === "number" || dev!.type !== "webgpu" || (dev!.index ?? 0) !== 0) throw new Error(`Invalid device ${String(d)}: this machine has one webgpu device (index 0)`);
};

/** torch.webgpu: the device module, as torch.cuda and torch.mps are. */
export const webgpuModule = {
  /** Opens the device where that cannot happen synchronously (in a browser: call it once before
   *  using the device); resolves to whether it is available. */
  init: async (): Promise<boolean> => (await openAsync()) !== null,
  /** Whether a WebGPU adapter is present (opens it on first call). */
  is_available: (): boolean => gpu() !== null,
  /** Why there is none (null when there is). */
  unavailable_reason: (): string | null => unavailableReason(),
  device_count: (): number => (gpu() !== null ? 1 : 0),
  current_device: (): number => 0,
  set_device: (d: Device | string | number): void => deviceIndex(d),
  /** The adapter's name. */
  get_device_name: (_d?: Device | string | number | null): string => need().info.name,
  /** Waits until the work queued on the device has run. */
  synchronize: (d?: Device | string | number | null): void => { deviceIndex(d); need().synchronize(); },
  /** The same, without blocking (a browser's main thread may not block). */
  synchronize_async: async (): Promise<void> => {
    const rt = need(), b = rt.alloc(4);
    await rt.readAsync(b, 4);
    rt.release(b);
  },
  /** Seeds the device's generator: random numbers on the device are drawn on the CPU's generator
   *  and moved, so this seeds that one (torch.manual_seed). */
  manual_seed: (seed: number | bigint): void => { manual_seed(seed); },
  manual_seed_all: (seed: number | bigint): void => { manual_seed(seed); },
  /** Bytes of device memory held by tensors now, and their peak. */
  memory_allocated: (_d?: Device | string | number | null): number => gpu()?.allocated ?? 0,
  max_memory_allocated: (_d?: Device | string | number | null): number => gpu()?.peak ?? 0,
  reset_peak_memory_stats: (_d?: Device | string | number | null): void => { const r = gpu(); if (r) r.peak = r.allocated; },
  /** Bytes held by the caching allocator (in use and cached). */
  memory_reserved: (_d?: Device | string | number | null): number => { const r = gpu(); return r ? r.allocated + r.cached : 0; },
  /** Returns the cached buffers to the device. */
  empty_cache: (): void => { gpu()?.emptyCache(); },
  /** Ops that ran through the CPU (Note [Device fallback]) and how often, and the device's
   *  counters: dispatches, submits, uploads and readbacks. */
  stats: (): { fallbacks: Record<string, number> } & GpuCounters => ({ fallbacks: Object.fromEntries(fallbacks), ...(gpu()?.counters ?? { dispatches: 0, submits: 0, uploads: 0, readbacks: 0 }) }),
  /** Clears those counters. */
  reset_stats: (): void => { fallbacks.clear(); const c = gpu()?.counters; if (c) { c.dispatches = c.submits = c.uploads = c.readbacks = 0; } },
};

function need() {
  const r = gpu();
  if (r === null) throw new Error(unavailableReason()!);
  return r;
}

// ---- torch.accelerator ---------------------------------------------------------------------------

/**
 * Note [The accelerator]: the WebGPU device is torch.accelerator's, as PyTorch's mps and xpu builds
 * register theirs, so the programs that choose "the accelerator when there is one"
 * (`torch.accelerator.is_available() ? current_accelerator().type : "cpu"`, the tutorials' idiom)
 * run on the GPU unchanged. current_accelerator() is webgpu on every machine, as a CUDA build's
 * is cuda without a GPU; is_available() (and current_accelerator({check_available: true})) asks
 * whether it is usable, opening the device on first call, not on import.
 *
 * An adapter that rasterizes in software (Mesa's llvmpipe, SwiftShader, WARP: what a machine
 * without a GPU offers) does not count: the user of that idiom expects a GPU, and such an adapter
 * runs the same program many times slower than the CPU engine does (the CPU's cores emulating a
 * GPU through a graphics driver). It is still the webgpu device, by name ("webgpu",
 * torch.webgpu.is_available()); TYPETORCH_ACCELERATOR_SOFTWARE=1 in the environment (Node) makes it
 * the accelerator too, which the tests use to run the tutorials on llvmpipe.
 */
const SOFTWARE_OPT_IN = "TYPETORCH_ACCELERATOR_SOFTWARE";

/** Why the device is not torch.accelerator's now (null when it is). */
function notAccelerator(): string | null {
  const rt = gpu();
  if (rt === null) return unavailableReason();
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  if (rt.info.software && env?.[SOFTWARE_OPT_IN] !== "1")
    return `the WebGPU adapter (${rt.info.name}) renders in software: set ${SOFTWARE_OPT_IN}=1 to use it as the accelerator`;
  return null;
}

_register_accelerator("webgpu", {
  is_available: () => notAccelerator() === null,
  unavailable_reason: notAccelerator,
  device_count: () => (notAccelerator() === null ? 1 : 0),
  current_device: () => 0,
  set_device: deviceIndex,
  synchronize: webgpuModule.synchronize,
});
