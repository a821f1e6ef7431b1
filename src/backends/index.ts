// The CPU's kernels, as ops see them: each call goes to the backend chosen at load (the best one
// available: native, then wasm; TYPETORCH_BACKEND=native|wasm|ts forces one), and to the
// reference kernels whenever that backend declines (Note [Declining kernels] in ./backend.ts).
// Ops import this module, never a backend folder: nothing outside backends/ knows which runs.

import { Tensor } from "../core/tensor.js";
import { type DType, type Storage, setStorageAllocator } from "../core/dtype.js";
import { type Shape, isContiguous } from "../core/shape.js";
import { iteratorStrides, outerToInner } from "../core/memory_format.js";
import type { Backend, BackendName, ReduceKind, Window2d, AxisWindows, AdamStep, SgdStep, AdadeltaStep, LstmCellResult, LstmLayerResult, LayerNormResult, GruCellResult, ChannelStats } from "./backend.js";
import * as ref from "./ts/kernels.js";
import { setFastSamplers } from "../core/random.js";
import * as refConv from "./ts/conv_kernels.js";
import { wasmBackend } from "./wasm/ops.js";
import { nativeBackend, nativeUnavailableReason } from "./native/backend.js";
import type { Kernels } from "./backend.js";
import {
  webgpuKernels, deviceOperands, fallback, deviceContiguousCopy, deviceFill, deviceHelpers, deviceScan, deviceSortOrder, deviceScatterReduce,
  deviceSearchSorted, deviceBinCount, deviceHistc, deviceNonzero, deviceTriangularSolve, deviceRepeatedIndices,
  deviceLuFactor, deviceLuPermutation, deviceCholeskyFactor, deviceHouseholderQr, deviceJacobiEigh, deviceJacobiSvd,
} from "./webgpu/index.js";
export { moveTo, cpuAsync, adoptDevice, gradientTo, onDeviceOf, operandsDevice, checkedIndices } from "./webgpu/index.js";

// The reference's helpers (element access, encoding, views) are no kernels: ops use them directly.
export {
  values, bigValues, fromNumbers, broadcastView, isNumberNative,
  type NumArray, type UnaryFn, type BinaryFn, type BigBinaryFn,
} from "./ts/kernels.js";
export { floatData, alloc, type FloatArray } from "./ts/conv_kernels.js";
export type { Backend, BackendName, ReduceKind, Window2d, AxisWindows, AdamStep, SgdStep, AdadeltaStep, LstmCellResult, LstmLayerResult, LayerNormResult, GruCellResult, ChannelStats };

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
  b?.setNumThreads(usableThreads());
  setStorageAllocator(b && ((d, n, zero) => b.allocate(d, n, zero)));
  setFastSamplers(b);
}

/** The backend ops run on now. */
export function getBackend(): BackendName { return fast?.name ?? "ts"; }

/** The backends that can run here, best first. */
export function availableBackends(): BackendName[] {
  return [...(["native", "wasm"] as const).filter((n) => FAST[n].available()), "ts"];
}

/** Hands a CPU storage array back to the fast backend's memory at once (Note [Freeing consumed
 *  gradients] in autograd/engine.ts): false where it is none of that backend's. */
export function freeStorage(s: Storage): boolean { return fast?.free?.(s) ?? false; }

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
  fast?.setNumThreads(usableThreads());
}
/** The threads the kernels run: get_num_threads says what was set, as PyTorch's does, but never
 *  more than the cores (a worker past them only waits for a core while the others spin for it). */
const usableThreads = () => Math.min(numThreads, cores);
/** torch.get_num_threads */
export function get_num_threads(): number { return numThreads; }

// ---- the kernels -------------------------------------------------------------------------------

// Tensors on a device (the WebGPU one) go to that device's kernels; what it declines runs the
// reference through the CPU, its result moved back to the device (Note [Device fallback] in
// ./webgpu/index.ts). CPU tensors go to the fast backend, then the reference.

/** The kernels for these operands: the device's when one is on a device, else the fast CPU ones. */
function pick(...ts: (Tensor | null | undefined)[]): Kernels | null {
  return deviceOperands(ts) ? webgpuKernels : fast;
}
/** The reference kernel `run`, through the CPU when an operand is on a device. */
function reference<T>(name: string, ts: (Tensor | null | undefined)[], run: () => T): T {
  return deviceOperands(ts) ? fallback(name, run) : run();
}

/** out[i] = f(x[i]), dtype d; `op` names f (an op of src/ops/elementwise.ts or an activation) for
 *  the fast backends, which cannot run a closure. */
export function unary(x: Tensor, f: ref.UnaryFn, d: DType, op?: string, params?: readonly number[]): Tensor {
  return rowMajor(x._shape, x) ? unaryKernel(x, f, d, op, params) : laidOut(x._shape, [x], ([x]) => unaryKernel(x!, f, d, op, params));
}
function unaryKernel(x: Tensor, f: ref.UnaryFn, d: DType, op?: string, params?: readonly number[]): Tensor {
  // (the operands are asked once whether one is on the device: this runs for every op, B1)
  if (deviceOperands([x])) return (op !== undefined && webgpuKernels.unary(op, x, d, params)) || fallback(op ?? "unary", () => ref.unary(x, f, d));
  return (op !== undefined && fast?.unary(op, x, d, params)) || ref.unary(x, f, d);
}

/** out = f(a, b) broadcast to `shape`, dtype d (`big`: int64 exactly in BigInt); `op` and
 *  `params` as in unary. */
export function binary(a: Tensor, b: Tensor, f: ref.BinaryFn, d: DType, shape: Shape, big?: ref.BigBinaryFn, op?: string, params?: readonly number[]): Tensor {
  return rowMajor(shape, a) && rowMajor(shape, b) ? binaryKernel(a, b, f, d, shape, big, op, params)
    : laidOut(shape, [a, b], ([a, b], shape) => binaryKernel(a!, b!, f, d, shape, big, op, params));
}
function binaryKernel(a: Tensor, b: Tensor, f: ref.BinaryFn, d: DType, shape: Shape, big?: ref.BigBinaryFn, op?: string, params?: readonly number[]): Tensor {
  if (deviceOperands([a, b])) return (op !== undefined && webgpuKernels.binary(op, a, b, d, shape, params)) || fallback(op ?? "binary", () => ref.binary(a, b, f, d, shape, big));
  return (op !== undefined && fast?.binary(op, a, b, d, shape, params)) || ref.binary(a, b, f, d, shape, big);
}

/** out ← op(a, b, params) in out's own elements, where the backend can (else false: the caller
 *  computes a new tensor and copies it back). */
export function unaryInto(op: string, x: Tensor, out: Tensor): boolean {
  return pick(out, x)?.unaryInto?.(op, x, out) ?? false;
}

export function binaryInto(op: string, a: Tensor, b: Tensor, out: Tensor, params?: readonly number[]): boolean {
  return pick(out, a, b)?.binaryInto?.(op, a, b, out, params) ?? false;
}

/** torch.where's kernel; `layoutBy`: the tensors whose strides lay the result out, where a
 *  backward kernel of PyTorch's reads others than (c, a, b) (hardtanh_backward: grad, self). */
export function where(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape, layoutBy?: Tensor[]): Tensor {
  const plain = layoutBy ? layoutBy.every((t) => rowMajor(shape, t)) : rowMajor(shape, c) && rowMajor(shape, a) && rowMajor(shape, b);
  return plain ? whereKernel(c, a, b, d, shape) : laidOut(shape, [c, a, b], ([c, a, b], shape) => whereKernel(c!, a!, b!, d, shape), layoutBy);
}
function whereKernel(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor {
  return pick(c, a, b)?.where(c, a, b, d, shape) || reference("where", [c, a, b], () => ref.where(c, a, b, d, shape));
}

/** Whether t is a row-major (contiguous) tensor of the result's shape: where every operand that
 *  lays the result out is, the result is row-major (iteratorStrides' first case, decided here
 *  without laidOut's arrays and closures: this runs on every elementwise op, B1). */
function rowMajor(shape: Shape, t: Tensor): boolean {
  const s = t._shape;
  if (s.length !== shape.length) return false;
  for (let i = 0; i < s.length; i++) if (s[i] !== shape[i]) return false;
  return isContiguous(s, t._strides);
}

/** Runs an elementwise kernel (`run`: a row-major result of `shape` from operands broadcast to
 *  it) with its result laid out as PyTorch's TensorIterator lays it out (iteratorStrides, Note
 *  [Memory formats]): where that is not row-major, the kernel runs on the operands seen with
 *  their dims in the result's memory order, and its row-major result is seen back through the
 *  result's strides. The kernels themselves only ever write row-major results. */
function laidOut(shape: Shape, operands: Tensor[], run: (operands: Tensor[], shape: Shape) => Tensor, layoutBy = operands): Tensor {
  const strides = iteratorStrides(shape, layoutBy);
  if (strides === null) return run(operands, shape);
  const n = shape.length, perm = outerToInner(shape, strides);
  const permuted = operands.map((t) => {
    if (t._shape.length === 0) return t; // (a scalar broadcasts as it is, and stays a scalar for the device's checks)
    const off = n - t._shape.length, at = (a: Shape, d: number, pad: number) => (d < off ? pad : a[d - off]!);
    return new Tensor(t._storage, perm.map((d) => at(t._shape, d, 1)), perm.map((d) => at(t._strides, d, 0)), t._offset, t.dtype, t.device);
  });
  const r = run(permuted, perm.map((d) => shape[d]!));
  return new Tensor(r._storage, shape.slice(), strides, r._offset, r.dtype, r.device);
}

/** Copies src (broadcast to dst's shape, cast to dst's dtype) into dst's strided elements. */
export function copyInto(dst: Tensor, src: Tensor): void {
  // across devices (copy_ from or to the CPU) the reference moves the elements (Note [Device memory])
  const b = deviceOperands([dst]) ? webgpuKernels : deviceOperands([src]) ? null : fast;
  if (!b?.copyInto(dst, src)) ref.copyInto(dst, src);
}

/** A contiguous copy of t with dtype d, on t's device. */
export function contiguousCopy(t: Tensor, d: DType = t.dtype): Tensor {
  if (deviceOperands([t])) return deviceContiguousCopy(t, d) || ref.contiguousCopy(t, d);
  // (through copyInto, so that the fast backend moves the elements: clone, contiguous, .grad's copies)
  const out = Tensor.empty(t._shape, d, t.device, false); // (every element written below)
  copyInto(out, t);
  return out;
}

/** Sets t's elements to value. */
export function fill(t: Tensor, value: number | bigint | boolean): void {
  if (deviceOperands([t])) deviceFill(t, Number(value)); else ref.fill(t, value);
}

/** Notes that CPU code (an optimizer's element loop) computes on ts' storage: op's fallback when
 *  one of them is on a device (Note [Device fallback]). */
export function onHost(op: string, ts: Tensor[]): void { reference(op, ts, () => undefined); }

/** Cumulative sum or product along dim. */
export function scan(x: Tensor, dim: number, kind: "sum" | "prod", d: DType): Tensor {
  return (deviceOperands([x]) && deviceScan(x, dim, kind, d)) || reference(`cum${kind}`, [x], () => ref.scan(x, dim, kind, d));
}

/** The stable order of x's lanes along dim (int64 positions of x's shape, NaN greatest), on x's
 *  device; null where there is no kernel for it (the op orders the lanes on the CPU). */
export function sortOrder(x: Tensor, dim: number, descending: boolean): Tensor | null {
  return deviceOperands([x]) ? deviceSortOrder(x, dim, descending) : null;
}

/** scatter_reduce's values (self's copy with src reduced in along d at index), on the device;
 *  null where there is no kernel for it (the op reduces on the CPU). */
export function scatterReduce(self: Tensor, d: number, index: Tensor, src: Tensor, reduce: "sum" | "prod" | "mean" | "amax" | "amin", includeSelf: boolean): Tensor | null {
  return deviceOperands([self, index, src]) ? deviceScatterReduce(self, d, index, src, reduce, includeSelf) : null;
}

// Searching, counting, triangular solves and factorizations on the device
// (src/backends/webgpu/search_kernels.ts, linalg_kernels.ts), the op having checked its arguments;
// null off the device or where it has no kernel (the op computes on the CPU).

/** searchsorted's positions of x's values in seq's rows (dtype d: int32 or int64). */
export function searchSorted(seq: Tensor, x: Tensor, sorter: Tensor | null, right: boolean, d: DType): Tensor | null {
  return deviceOperands([seq, x, sorter]) ? deviceSearchSorted(seq, x, sorter, right, d) : null;
}
/** bincount's n bins of x (counts, or sums of float32 weights). */
export function binCount(x: Tensor, weights: Tensor | null, n: number): Tensor | null {
  return deviceOperands([x, weights]) ? deviceBinCount(x, weights, n) : null;
}
/** histc's counts of x in `bins` equal bins of [lo, hi]. */
export function histc(x: Tensor, bins: number, lo: number, hi: number): Tensor | null {
  return deviceOperands([x]) ? deviceHistc(x, bins, lo, hi) : null;
}
/** nonzero's int64 [count, x.ndim] coordinates (the count read back). */
export function nonzeroIndices(x: Tensor): Tensor | null {
  return deviceOperands([x]) ? deviceNonzero(x) : null;
}
/** repeat_interleave's indices [0 × counts[0], 1 × counts[1], …] (total of them, checked), dtype d. */
export function repeatedIndices(counts: Tensor, total: number, d: DType): Tensor | null {
  return deviceOperands([counts]) ? deviceRepeatedIndices(counts, total, d) : null;
}
/** X with A X = B, A [..., n, n] triangular (`unit`: ones on its diagonal), B [..., n, r]. */
export function triangularSolve(A: Tensor, B: Tensor, upper: boolean, unit: boolean): Tensor | null {
  return deviceOperands([A, B]) ? deviceTriangularSolve(A, B, upper, unit) : null;
}
/** getrf of A [..., m, n]: [the packed LU factors, 1-based int32 pivots, int32 info]. */
export function luFactor(A: Tensor): [Tensor, Tensor, Tensor] | null {
  return deviceOperands([A]) ? deviceLuFactor(A) : null;
}
/** The permutation matrices [..., m, m] of getrf's pivots [..., k]. */
export function luPermutation(pivots: Tensor, m: number): Tensor | null {
  return deviceOperands([pivots]) ? deviceLuPermutation(pivots, m) : null;
}
/** Householder QR of A [..., m, n]: [R (m × n), Q (m × qc)]. */
export function householderQr(A: Tensor, qc: number): [Tensor, Tensor] | null {
  return deviceOperands([A]) ? deviceHouseholderQr(A, qc) : null;
}
/** The eigenvalues (ascending) and eigenvectors (columns) of symmetric S [..., n, n]. */
export function jacobiEigh(S: Tensor): [Tensor, Tensor] | null {
  return deviceOperands([S]) ? deviceJacobiEigh(S) : null;
}
/** One-sided Jacobi SVD of A [..., r, c], r ≥ c: [U (r × c), S (descending), V (c × c)]. */
export function jacobiSvd(A: Tensor): [Tensor, Tensor, Tensor] | null {
  return deviceOperands([A]) ? deviceJacobiSvd(A) : null;
}
/** potrf (lower) of A [..., n, n]: [L, int32 info]. */
export function choleskyFactor(A: Tensor): [Tensor, Tensor] | null {
  return deviceOperands([A]) ? deviceCholeskyFactor(A) : null;
}

export function reduce(x: Tensor, dims: readonly number[], kind: ReduceKind, d: DType): Tensor {
  return pick(x)?.reduce(x, dims, kind, d) || reference(kind, [x], () => ref.reduce(x, dims, kind, d));
}

export function bmm(a: Tensor, b: Tensor, d: DType): Tensor {
  return pick(a, b)?.bmm(a, b, d) || reference("bmm", [a, b], () => ref.bmm(a, b, d));
}

/** input + a @ b (addmm with beta = alpha = 1) where the backend fuses it, else null. */
export function addmm(input: Tensor, a: Tensor, b: Tensor): Tensor | null {
  return pick(input, a, b)?.addmm?.(input, a, b) ?? null;
}

/** Σ x² over all of x in float64 where the backend has it (Backend.sumSquares), else null. */
export function sumSquares(x: Tensor): number | null {
  return pick(x)?.sumSquares?.(x) ?? null;
}

export function softmax(x: Tensor, dim: number, log: boolean): Tensor {
  return pick(x)?.softmax(x, dim, log) || reference(log ? "log_softmax" : "softmax", [x], () => ref.softmax(x, dim, log));
}

/** softmax's (log_softmax's) gradient, fused; null when the backend has none (the op then
 *  composes it from other ops). */
export function softmaxBackward(g: Tensor, y: Tensor, dim: number, log: boolean, reuse = false): Tensor | null {
  return pick(g, y)?.softmaxBackward(g, y, dim, log, reuse) ?? null;
}

/** log_softmax's gradient from a gradient of one nonzero per row, fused; null when the backend
 *  has no such kernel. */
export function logSoftmaxBackwardOnehot(y: Tensor, cols: Int32Array, vals: Float32Array): Tensor | null {
  return pick(y)?.logSoftmaxBackwardOnehot?.(y, cols, vals) ?? null;
}

/** Max pooling: the result and the maxima's positions (an int32 tensor on x's device). */
export function maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: Shape): [Tensor, Tensor] {
  return pick(x)?.maxPool2d(x, P, H, W, hw, ww, shape) || reference("max_pool2d", [x], () => refConv.maxPool2d(x, P, H, W, hw, ww, shape));
}

export function scatterPlanes(g: Tensor, idx: Tensor, P: number, HW: number, shape: Shape): Tensor {
  return pick(g, idx)?.maxPool2dBackward(g, idx, P, HW, shape) || reference("max_pool2d_backward", [g, idx], () => refConv.scatterPlanes(g, idx, P, HW, shape));
}

// The reference's helpers of convolution, pooling and normalization: through the CPU for tensors
// on a device (Note [Device fallback]), where the helpers' own index tensors may sit on the CPU.
// The device's kernel for a helper, where it has one, runs first (a result, or true for the in-place
// ones; null or false: declined).
function hosted<A extends unknown[], R>(name: string, fn: (...args: A) => R): (...args: A) => R {
  const onDevice = deviceHelpers[name] as ((...args: A) => R | null | boolean) | undefined;
  return (...args) => {
    if (!args.some((a) => a instanceof Object && (a as Tensor)._storage?.mem)) return fn(...args);
    const r = onDevice?.(...args);
    return r !== undefined && r !== null && r !== false ? (r === true ? undefined : r) as R : fallback(name, () => fn(...args));
  };
}
export const im2col = hosted("im2col", refConv.im2col), col2im = hosted("col2im", refConv.col2im);
export const addChannelBias = hosted("add_channel_bias", refConv.addChannelBias);
export const gatherPlanes = hosted("max_unpool_gather", refConv.gatherPlanes);
const hostedMean = hosted("avg_pool", refConv.windowMean), hostedMeanAdjoint = hosted("avg_pool_backward", refConv.windowMeanAdjoint);
/** Average pooling: window sums over divisors (empty windows: 0). */
export function windowMean(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape): Tensor {
  return pick(x)?.avgPool2d(x, P, H, W, hw, ww, div, shape) || hostedMean(x, P, H, W, hw, ww, div, shape);
}
/** Its adjoint. */
export function windowMeanAdjoint(g: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape): Tensor {
  return pick(g)?.avgPool2dBackward(g, P, H, W, hw, ww, div, shape) || hostedMeanAdjoint(g, P, H, W, hw, ww, div, shape);
}
/** Advanced indexing: x's storage elements at positions pos, as a new tensor of `shape`. */
export const takeAt = hosted("index", ref.takeAt);
/** Its write, in place: out's storage elements at pos set to (accumulate: increased by) v's. */
export const putAt = hosted("index_put", ref.putAt);
export const gatherMaps = hosted("gather_maps", refConv.gatherMaps), scatterMaps = hosted("scatter_maps", refConv.scatterMaps);
const hostedSelect = hosted("index_select", ref.indexSelect);
const hostedStats = hosted("batch_norm_stats", refConv.channelStats), hostedAffine = hosted("batch_norm_affine", refConv.channelAffine);
const hostedIndexAdd = hosted("index_add", ref.indexAddInto);

/** Mean and biased variance of each q of x seen as [P, Q, R]. */
export function channelStats(x: Tensor, P: number, Q: number, R: number): ChannelStats {
  return pick(x)?.channelStats(x, P, Q, R) || hostedStats(x, P, Q, R);
}
/** y = x·scale[q] + shift[q] (then ·colScale[r] + colShift[r]) over x seen as [P, Q, R]. */
export function channelAffine(x: Tensor, P: number, Q: number, R: number, scale: Float64Array, shift: Float64Array,
  colScale: ArrayLike<number> | null = null, colShift: ArrayLike<number> | null = null): Tensor {
  return pick(x)?.channelAffine(x, P, Q, R, scale, shift, colScale, colShift) || hostedAffine(x, P, Q, R, scale, shift, colScale, colShift);
}
/** The slices idx[k] of x along d (idx checked by the caller). */
export function indexSelect(x: Tensor, d: number, idx: ArrayLike<number>): Tensor {
  return pick(x)?.indexSelect(x, d, idx) || hostedSelect(x, d, idx);
}
/** out[…, idx[k], …] += source[…, k, …] along d, in place (idx checked by the caller). */
export function indexAddInto(out: Tensor, d: number, idx: ArrayLike<number>, source: Tensor): void {
  if (!pick(out, source)?.indexAdd(out, d, idx, source)) hostedIndexAdd(out, d, idx, source);
}
/** torch.gather along d (indices checked: PyTorch's error, nothing written). */
export function gather(x: Tensor, d: number, index: Tensor): Tensor {
  return pick(x, index)?.gather(x, d, index) || reference("gather", [x, index], () => ref.gather(x, d, index));
}
/** A copy of x with src (a tensor or a number) written, or added, at index along d. */
export function scatter(x: Tensor, d: number, index: Tensor, src: Tensor | number, add: boolean): Tensor {
  const s = src instanceof Tensor ? src : null;
  return pick(x, index, s)?.scatter(x, d, index, src, add) || reference(add ? "scatter_add" : "scatter", [x, index, s], () => ref.scatter(x, d, index, src, add));
}

// The fused kernels below have no reference counterpart: the op composes them from other ops
// (src/ops/conv.ts: im2col and a matmul; src/optim: tensor ops) when the backend declines.

/** conv2d, fused; null when the backend has no kernel for it. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, g: Window2d): Tensor | null {
  return pick(x, w, bias)?.conv2d(x, w, bias, g) ?? null;
}
export function conv2dInputGrad(w: Tensor, gy: Tensor, C: number, g: Window2d): Tensor | null {
  return pick(w, gy)?.conv2dInputGrad(w, gy, C, g) ?? null;
}
export function conv2dWeightGrad(x: Tensor, gy: Tensor, O: number, g: Window2d, wantBias: boolean): [Tensor, Tensor | null] | null {
  return pick(x, gy)?.conv2dWeightGrad(x, gy, O, g, wantBias) ?? null;
}
export function layerNorm(x: Tensor, M: number, Kn: number, w: Tensor | null, b: Tensor | null, eps: number): LayerNormResult | null {
  return pick(x, w, b)?.layerNorm(x, M, Kn, w, b, eps) ?? null;
}
export function layerNormBackward(g: Tensor, x: Tensor, w: Tensor | null, saved: LayerNormResult, needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null {
  return pick(g, x, w)?.layerNormBackward(g, x, w, saved, needs) ?? null;
}
export function lstmCell(gates: Tensor, c: Tensor): LstmCellResult | null {
  return pick(gates, c)?.lstmCell(gates, c) ?? null;
}
export function lstmCellBackward(ghy: Tensor, gcy: Tensor, c: Tensor, saved: LstmCellResult): [Tensor, Tensor] | null {
  return pick(ghy, gcy, c)?.lstmCellBackward(ghy, gcy, c, saved) ?? null;
}
/** A fused LSTM layer (Backend.lstmLayer), or null where the backend runs it step by step. */
export function lstmLayer(gi: Tensor, w_hh: Tensor, b_hh: Tensor | null, h0: Tensor, c0: Tensor, reverse: boolean): LstmLayerResult | null {
  return pick(gi, w_hh, h0, c0)?.lstmLayer?.(gi, w_hh, b_hh, h0, c0, reverse) ?? null;
}
export function lstmLayerBackward(gout: Tensor, gh: Tensor, gc: Tensor, c0: Tensor, w_hh: Tensor, saved: LstmLayerResult, reverse: boolean): [Tensor, Tensor, Tensor] | null {
  return pick(gout, gh, gc)?.lstmLayerBackward?.(gout, gh, gc, c0, w_hh, saved, reverse) ?? null;
}
export function gruCell(gi: Tensor, gh: Tensor, h: Tensor): GruCellResult | null {
  return pick(gi, gh, h)?.gruCell(gi, gh, h) ?? null;
}
export function gruCellBackward(ghy: Tensor, h: Tensor, saved: GruCellResult): [Tensor, Tensor, Tensor] | null {
  return pick(ghy, h)?.gruCellBackward(ghy, h, saved) ?? null;
}
export function batchNormBackward(g: Tensor, x: Tensor, w: Tensor | null, mean: Float64Array, invstd: Float64Array, train: boolean,
  needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null {
  return pick(g, x, w)?.batchNormBackward(g, x, w, mean, invstd, train, needs) ?? null;
}
export function adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean {
  return pick(p, g, m, v, vmax)?.adam(p, g, m, v, vmax, s) ?? false;
}
export function sgd(p: Tensor, g: Tensor, buf: Tensor | null, s: SgdStep): boolean {
  return pick(p, g, buf)?.sgd(p, g, buf, s) ?? false;
}
export function adadelta(p: Tensor, g: Tensor, squareAvg: Tensor, accDelta: Tensor, s: AdadeltaStep): boolean {
  return pick(p, g, squareAvg, accDelta)?.adadelta(p, g, squareAvg, accDelta, s) ?? false;
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
