// The CPU's kernels, as ops see them: each call goes to the backend chosen at load (the best one
// available: native, then wasm; TYPETORCH_BACKEND=native|wasm|ts forces one), and to the
// reference kernels whenever that backend declines (Note [Declining kernels] in ./backend.ts).
// Ops import this module, never a backend folder: nothing outside backends/ knows which runs.

import type { Tensor } from "../core/tensor.js";
import { type DType, setStorageAllocator } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";
import type { Backend, BackendName, ReduceKind, Window2d, AxisWindows, AdamStep, SgdStep, AdadeltaStep, LstmCellResult } from "./backend.js";
import * as ref from "./ts/kernels.js";
import * as refConv from "./ts/conv_kernels.js";
import { wasmBackend } from "./wasm/ops.js";
import { nativeBackend, nativeUnavailableReason } from "./native/backend.js";

// The reference's helpers (element access, encoding, views) are no kernels: ops use them directly.
export {
  values, bigValues, fromNumbers, broadcastView, isNumberNative, contiguousCopy, fill, scan,
  type NumArray, type UnaryFn, type BinaryFn, type BigBinaryFn,
} from "./ts/kernels.js";
export {
  floatData, alloc, im2col, col2im, addChannelBias, gatherPlanes, windowMean, windowMeanAdjoint,
  channelStats, channelAffine, gatherMaps, scatterMaps, type FloatArray,
} from "./ts/conv_kernels.js";
export type { Backend, BackendName, ReduceKind, Window2d, AxisWindows, AdamStep, SgdStep, AdadeltaStep, LstmCellResult };

const FAST: Record<Exclude<BackendName, "ts">, Backend> = { native: nativeBackend, wasm: wasmBackend };

/** The fast backend in use, or null when every kernel runs on the reference. */
let fast: Backend | null = null;

/** Runs ops on the named backend from now on ("ts": the reference alone). Throws when it cannot
 *  run here. For TYPETORCH_BACKEND, tests and benchmarks. */
export function setBackend(name: BackendName): void {
  if (name !== "ts" && name !== "native" && name !== "wasm")
    throw new Error(`TYPETORCH_BACKEND must be one of native, wasm, ts, not '${name as string}'`);
  const b = name === "ts" ? null : FAST[name];
  if (b && !b.available())
    throw new Error(name === "native" ? `the native backend is not available: ${nativeUnavailableReason()}` : "the wasm backend needs WebAssembly SIMD, which this runtime lacks");
  fast = b;
  b?.setNumThreads(numThreads);
  setStorageAllocator(b && ((d, n) => b.allocate(d, n)));
}

/** The backend ops run on now. */
export function getBackend(): BackendName { return fast?.name ?? "ts"; }

/** The backends that can run here, best first. */
export function availableBackends(): BackendName[] {
  return [...(["native", "wasm"] as const).filter((n) => FAST[n].available()), "ts"];
}

/** torch.backends.cpu.get_cpu_capability(): what the kernels in use are compiled for. */
export function get_cpu_capability(): string { return fast?.capability() ?? "DEFAULT"; }

// ---- threads -----------------------------------------------------------------------------------

interface NodeProcess { getBuiltinModule?(id: string): unknown; env?: Record<string, string | undefined> }
const proc = (globalThis as { process?: NodeProcess }).process;
const os = proc?.getBuiltinModule?.("node:os") as { availableParallelism(): number } | undefined;
const cores = Math.max(1, os?.availableParallelism() ?? (globalThis as { navigator?: { hardwareConcurrency?: number } }).navigator?.hardwareConcurrency ?? 1);
// OMP_NUM_THREADS sets the default, as in PyTorch (typetorch-run sets it to 1 for each process)
const ompThreads = Number(proc?.env?.OMP_NUM_THREADS);
let numThreads = Number.isInteger(ompThreads) && ompThreads > 0 ? ompThreads : cores;

/** torch.set_num_threads: how many threads (the calling one included) the kernels may use. */
export function set_num_threads(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error("set_num_threads expects a positive integer");
  numThreads = n;
  // get_num_threads says n, as PyTorch's does; the kernels never run more threads than cores (a
  // worker past them only waits for a core while the others spin for it)
  fast?.setNumThreads(Math.min(n, cores));
}
/** torch.get_num_threads */
export function get_num_threads(): number { return numThreads; }

// ---- the kernels -------------------------------------------------------------------------------

/** out[i] = f(x[i]), dtype d; `op` names f (an op of src/ops/elementwise.ts or an activation) for
 *  the fast backends, which cannot run a closure. */
export function unary(x: Tensor, f: ref.UnaryFn, d: DType, op?: string): Tensor {
  return (op !== undefined && fast?.unary(op, x, d)) || ref.unary(x, f, d);
}

/** out = f(a, b) broadcast to `shape`, dtype d (`big`: int64 exactly in BigInt); `op` as in unary. */
export function binary(a: Tensor, b: Tensor, f: ref.BinaryFn, d: DType, shape: Shape, big?: ref.BigBinaryFn, op?: string): Tensor {
  return (op !== undefined && fast?.binary(op, a, b, d, shape)) || ref.binary(a, b, f, d, shape, big);
}

export function where(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor {
  return fast?.where(c, a, b, d, shape) || ref.where(c, a, b, d, shape);
}

/** Copies src (broadcast to dst's shape, cast to dst's dtype) into dst's strided elements. */
export function copyInto(dst: Tensor, src: Tensor): void {
  if (!fast?.copyInto(dst, src)) ref.copyInto(dst, src);
}

export function reduce(x: Tensor, dims: readonly number[], kind: ReduceKind, d: DType): Tensor {
  return fast?.reduce(x, dims, kind, d) || ref.reduce(x, dims, kind, d);
}

export function bmm(a: Tensor, b: Tensor, d: DType): Tensor {
  return fast?.bmm(a, b, d) || ref.bmm(a, b, d);
}

export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  return fast?.softmax(x, dim, log) || ref.softmax(x, dim, log);
}

/** softmax's (log_softmax's) gradient, fused; null when the backend has none (the op then
 *  composes it from other ops). */
export function softmaxBackward(g: Tensor, y: Tensor, dim: number, log: boolean): Tensor | null {
  return fast?.softmaxBackward(g, y, dim, log) ?? null;
}

export function maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: Shape): [Tensor, Int32Array] {
  return fast?.maxPool2d(x, P, H, W, hw, ww, shape) || refConv.maxPool2d(x, P, H, W, hw, ww, shape);
}

export function scatterPlanes(g: Tensor, idx: Int32Array, P: number, HW: number, shape: Shape): Tensor {
  return fast?.maxPool2dBackward(g, idx, P, HW, shape) || refConv.scatterPlanes(g, idx, P, HW, shape);
}

// The fused kernels below have no reference counterpart: the op composes them from other ops
// (src/ops/conv.ts: im2col and a matmul; src/optim: tensor ops) when the backend declines.

/** conv2d, fused; null when the backend has no kernel for it. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, g: Window2d): Tensor | null {
  return fast?.conv2d(x, w, bias, g) ?? null;
}
export function conv2dInputGrad(w: Tensor, gy: Tensor, C: number, g: Window2d): Tensor | null {
  return fast?.conv2dInputGrad(w, gy, C, g) ?? null;
}
export function conv2dWeightGrad(x: Tensor, gy: Tensor, O: number, g: Window2d, wantBias: boolean): [Tensor, Tensor | null] | null {
  return fast?.conv2dWeightGrad(x, gy, O, g, wantBias) ?? null;
}
export function lstmCell(gates: Tensor, c: Tensor): LstmCellResult | null {
  return fast?.lstmCell(gates, c) ?? null;
}
export function lstmCellBackward(ghy: Tensor, gcy: Tensor, c: Tensor, saved: LstmCellResult): [Tensor, Tensor] | null {
  return fast?.lstmCellBackward(ghy, gcy, c, saved) ?? null;
}
export function adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean {
  return fast?.adam(p, g, m, v, vmax, s) ?? false;
}
export function sgd(p: Tensor, g: Tensor, buf: Tensor | null, s: SgdStep): boolean {
  return fast?.sgd(p, g, buf, s) ?? false;
}
export function adadelta(p: Tensor, g: Tensor, squareAvg: Tensor, accDelta: Tensor, s: AdadeltaStep): boolean {
  return fast?.adadelta(p, g, squareAvg, accDelta, s) ?? false;
}

// ---- choosing at load --------------------------------------------------------------------------

const envBackend = proc?.env?.["TYPETORCH_BACKEND"];
if (envBackend !== undefined && envBackend !== "") setBackend(envBackend as BackendName);
else {
  setBackend(availableBackends()[0]!);
  const why = nativeUnavailableReason();
  // Note [Native engine notice]: in Node, say once why the native engine is not running and how
  // to get it; browsers never have it, so they hear nothing.
  if (why !== null && os !== undefined) console.warn(`typetorch: ${why}; running on the ${getBackend() === "wasm" ? "WebAssembly" : "TypeScript"} kernels instead`);
}
