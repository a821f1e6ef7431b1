// Tensor-level entry points of the WebAssembly kernels. Each returns the result, or null when it
// has no fast kernel for the case (another dtype, a layout it does not handle, a tensor too small
// to pay for the copies, the backend switched off), and the reference kernel runs instead: the
// reference (src/backends/ts/kernels.ts) calls these first.
//
// Operands are copied into wasm memory and results copied out into fresh GC'd storage (Note
// [Scratch memory] in runtime.ts). A strided view is copied as the span of storage it covers, and
// the kernel reads it through its strides: a transposed or broadcast operand is never gathered
// into row-major order in JavaScript.

import { Tensor } from "../../core/tensor.js";
import { type DType, float32 } from "../../core/dtype.js";
import { type Shape, contiguousStrides, expandStrides, numel } from "../../core/shape.js";
import { type Engine, getEngine, envBackend, get_num_threads } from "./runtime.js";

let enabled = envBackend !== "ts";

/** Switches the fast kernels on ("wasm", the default unless TYPETORCH_BACKEND=ts) or off ("ts":
 *  every op runs on the reference kernels). For tests and benchmarks. */
export function setBackend(name: "wasm" | "ts"): void { enabled = name === "wasm"; }
/** The backend ops run on now: "wasm" only when switched on and WebAssembly SIMD is available. */
export function getBackend(): "wasm" | "ts" { return enabled && getEngine() ? "wasm" : "ts"; }

const engine = (): Engine | null => (enabled ? getEngine() : null);

// Note [Fast path thresholds]: below these sizes the copies and the call cost more than the
// reference's loop. Measured: an add or exp of 64 floats takes 2-4 µs either way and the fast one
// wins 2x from 256 on; a 16x16x16 GEMM is 8 µs either way, a 64x64x64 one 30 µs against 1 ms.
/** multiply-adds of a GEMM */
const MIN_GEMM_MACS = 4096;
/** elements of an elementwise op, reduction or softmax */
const MIN_ELEMENTS = 128;
/** multiply-adds each thread of a GEMM must get to be worth waking (a wake-up costs 2-50 µs) */
const MACS_PER_THREAD = 1 << 19;

const f32data = (t: Tensor) => t._storage.data as Float32Array;

/** A float32 view to copy into wasm memory: the span of storage it covers, or (for a sparse view,
 *  whose span is far larger than it) its elements gathered row-major. */
class Staged {
  readonly bytes: number;
  private readonly lo: number;
  private readonly hi: number;
  private readonly gather: boolean;
  constructor(readonly t: Tensor) {
    let lo = t._offset, hi = t._offset;
    t._shape.forEach((s, d) => { const e = (s - 1) * t._strides[d]!; if (e < 0) lo += e; else hi += e; });
    const n = t.numel();
    this.gather = hi + 1 - lo > 2 * n + 16;
    this.lo = lo; this.hi = hi + 1;
    this.bytes = 4 * (this.gather ? n : this.hi - this.lo);
  }
  /** Copies the view to byte offset `at`; returns the byte offset of its first element and the
   *  element strides to read it with. */
  copy(e: Engine, at: number): [number, number[]] {
    const t = this.t, src = f32data(t), f32 = e.f32, base = at >> 2;
    if (!this.gather) {
      f32.set(src.subarray(this.lo, this.hi), base);
      return [at + 4 * (t._offset - this.lo), t._strides];
    }
    const pos = t._positions()!;
    for (let i = 0; i < pos.length; i++) f32[base + i] = src[pos[i]!]!;
    return [at, contiguousStrides(t._shape)];
  }
}

/** A contiguous float32 result read out of wasm memory into fresh storage. */
function result(e: Engine, at: number, shape: Shape): Tensor {
  const n = numel(shape);
  return Tensor.fromStorage(e.f32.slice(at >> 2, (at >> 2) + n), shape, float32);
}

/** Splits [0, n) into `parts` ranges whose bounds are multiples of `step`; empty ranges dropped. */
function ranges(n: number, parts: number, step: number): [number, number][] {
  const per = Math.ceil(Math.ceil(n / step) / parts) * step, out: [number, number][] = [];
  for (let s = 0; s < n; s += per) out.push([s, Math.min(n, s + per)]);
  return out;
}

// ---- GEMM ---------------------------------------------------------------------------------------

/** [B, M, K] @ [B, K, N] of float32 views with any strides (stride 0 on a broadcast batch). */
export function bmm(a: Tensor, b: Tensor, d: DType): Tensor | null {
  const e = engine();
  if (!e || a.dtype !== float32 || b.dtype !== float32 || d !== float32) return null;
  const [B, M, K] = a._shape as [number, number, number], N = b._shape[2]!;
  const macs = B * M * N * K;
  if (macs < MIN_GEMM_MACS) return null; // (empty products included: the reference gives zeros)
  const sa = new Staged(a), sb = new Staged(b);
  const threads = e.threads(Math.min(get_num_threads(), Math.max(1, Math.floor(macs / MACS_PER_THREAD))));
  const ws = e.exports["gemm_workspace"]!();
  const at = e.allocate([sa.bytes, sb.bytes, 4 * B * M * N, ...new Array<number>(threads).fill(ws)]);
  if (!at) return null;
  let [pa, [bsA, rsA, csA]] = sa.copy(e, at[0]!);
  let [pb, [bsB, rsB, csB]] = sb.copy(e, at[1]!);
  let pc = at[2]!, m = M, n = N, rsC = N, csC = 1;
  const bsC = M * N, MR = e.exports["gemm_mr"]!(), NR = 8;
  // Note [Transposed problem]: C = A·B is also Cᵀ = Bᵀ·Aᵀ. The micro-kernel computes MR×NR
  // tiles, padding partial ones; when the transposed problem needs fewer tiles (a narrow C, as in
  // a matrix-vector product or a 10-class output layer) solve that one, writing C through its
  // transposed strides.
  const tiles = (r: number, c: number) => Math.ceil(r / MR) * Math.ceil(c / NR);
  if (tiles(N, M) < tiles(M, N)) {
    [pa, rsA, csA, pb, rsB, csB] = [pb, csB!, rsB!, pa, csA!, rsA!];
    [bsA, bsB] = [bsB, bsA];
    [m, n, rsC, csC] = [N, M, 1, N];
  }
  const job = (ba: number, bb: number, c: number, mm: number, nn: number, batch: number, w: number) =>
    ["gemm", [ba, bb, c, mm, nn, K, rsA!, csA!, rsB!, csB!, rsC, csC, batch, bsA!, bsB!, bsC, w]] as const;
  const work = (t: number) => at[3 + t]!;
  let jobs;
  if (threads === 1) jobs = [job(pa, pb, pc, m, n, B, work(0))];
  else if (B >= threads) {
    jobs = ranges(B, threads, 1).map(([s, t], i) => job(pa + 4 * s * bsA!, pb + 4 * s * bsB!, pc + 4 * s * bsC, m, n, t - s, work(i)));
  } else if (Math.ceil(m / MR) >= Math.ceil(n / NR)) {
    jobs = ranges(m, threads, MR).map(([s, t], i) => job(pa + 4 * s * rsA!, pb, pc + 4 * s * rsC, t - s, n, B, work(i)));
  } else {
    jobs = ranges(n, threads, NR).map(([s, t], i) => job(pa, pb + 4 * s * csB!, pc + 4 * s * csC, m, t - s, B, work(i)));
  }
  e.run(jobs);
  return result(e, pc, [B, M, N]);
}

// ---- elementwise --------------------------------------------------------------------------------

/** Elements per chunk of a streamed op (Note [Streaming]). */
const CHUNK = 16384;

// Note [Streaming]: an op on contiguous operands (and single-element ones, broadcast) runs in
// chunks: copy a chunk of each operand in, run the kernel, copy the chunk of the result out.
// The chunks stay in L1/L2, so main memory sees each operand read once and the result written
// once, as a native kernel does, instead of the whole arrays going through memory three times
// (copy in, compute, copy out).

/** y = op(x) for float32 x, when the kernels have `unary_<op>`; contiguous x only. */
export function unary(op: string, x: Tensor, d: DType): Tensor | null {
  const e = engine();
  if (!e || x.dtype !== float32 || d !== float32 || !x.is_contiguous()) return null;
  const n = x.numel(), kernel = e.exports[`unary_${op}`];
  if (n < MIN_ELEMENTS || !kernel) return null;
  const at = e.allocate([4 * Math.min(n, CHUNK)]);
  if (!at) return null;
  const src = f32data(x), out = new Float32Array(n), p = at[0]!, f32 = e.f32;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    f32.set(src.subarray(x._offset + s, x._offset + s + len), p >> 2);
    kernel(p, p, len);
    out.set(f32.subarray(p >> 2, (p >> 2) + len), s);
  }
  return Tensor.fromStorage(out, x._shape, float32);
}

/** The shape with a's and b's element strides, size-1 dims dropped and neighbours that both
 *  operands step through as one run merged, left-padded to four dims; null past four. */
function collapse(shape: Shape, sa: readonly number[], sb: readonly number[]): [number[], number[], number[]] | null {
  const n: number[] = [], ta: number[] = [], tb: number[] = [];
  shape.forEach((s, i) => {
    if (s === 1) return;
    const k = n.length - 1;
    if (k >= 0 && ta[k] === sa[i]! * s && tb[k] === sb[i]! * s) { n[k] *= s; ta[k] = sa[i]!; tb[k] = sb[i]!; return; }
    n.push(s); ta.push(sa[i]!); tb.push(sb[i]!);
  });
  if (n.length > 4) return null;
  while (n.length < 4) { n.unshift(1); ta.unshift(0); tb.unshift(0); }
  return [n, ta, tb];
}

/** out = op(a, b) for float32 a, b broadcast to `shape`, when the kernels have `binary_<op>`. */
export function binary(op: string, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor | null {
  const e = engine();
  if (!e || a.dtype !== float32 || b.dtype !== float32 || d !== float32) return null;
  const n = numel(shape), kernel = e.exports[`binary_${op}`];
  if (n < MIN_ELEMENTS || !kernel) return null;
  const streams = (t: Tensor) => t.numel() === 1 || (t.numel() === n && t.is_contiguous());
  if (streams(a) && streams(b)) return binaryStreamed(e, kernel, a, b, shape);
  // staged as broadcast views: a broadcast operand is copied once, not expanded
  const sa = new Staged(a), sb = new Staged(b);
  const at = e.allocate([sa.bytes, sb.bytes, 4 * n]);
  if (!at) return null;
  const [pa, stridesA] = sa.copy(e, at[0]!), [pb, stridesB] = sb.copy(e, at[1]!);
  const dims = collapse(shape, expandStrides(a._shape, stridesA, shape), expandStrides(b._shape, stridesB, shape));
  if (!dims) return null;
  const [[n0, n1, n2, n3], ta, tb] = dims;
  kernel(pa, pb, at[2]!, n0!, n1!, n2!, n3!, ...ta, ...tb);
  return result(e, at[2]!, shape);
}

/** binary() of operands that are contiguous or single elements, chunk by chunk (Note [Streaming]). */
function binaryStreamed(e: Engine, kernel: (...args: number[]) => number, a: Tensor, b: Tensor, shape: Shape): Tensor {
  const n = numel(shape), len0 = Math.min(n, CHUNK);
  const at = e.allocate([4 * len0, 4 * len0])!;
  const f32 = e.f32, out = new Float32Array(n), A = f32data(a), B = f32data(b);
  const sa = a.numel() === 1 ? 0 : 1, sb = b.numel() === 1 ? 0 : 1;
  const [pa, pb] = at as [number, number];
  if (!sa) f32[pa >> 2] = A[a._offset]!;
  if (!sb) f32[pb >> 2] = B[b._offset]!;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    if (sa) f32.set(A.subarray(a._offset + s, a._offset + s + len), pa >> 2);
    if (sb) f32.set(B.subarray(b._offset + s, b._offset + s + len), pb >> 2);
    // the result overwrites a contiguous operand's chunk, which is read before each store
    const y = sa ? pa : pb;
    kernel(pa, pb, y, 1, 1, 1, len, 0, 0, 0, sa, 0, 0, 0, sb);
    out.set(f32.subarray(y >> 2, (y >> 2) + len), s);
  }
  return Tensor.fromStorage(out, shape, float32);
}

// ---- reductions and softmax ---------------------------------------------------------------------

/** sum, max or min of a contiguous float32 x over `dims` (normalised; empty: all) when they are
 *  consecutive, with the reduced dims kept as size 1 (the reference's layout). */
export function reduce(x: Tensor, dims: readonly number[], kind: string, d: DType): Tensor | null {
  const e = engine();
  if (!e || x.dtype !== float32 || d !== float32 || !x.is_contiguous()) return null;
  const kernel = e.exports[`reduce_${kind}`], shape = x._shape, n = x.numel();
  if (!kernel || n < MIN_ELEMENTS) return null;
  const red = dims.length ? [...dims].sort((p, q) => p - q) : shape.map((_, i) => i);
  if (red.some((r, i) => i > 0 && r !== red[i - 1]! + 1)) return null;
  const first = red[0] ?? 0, last = red[red.length - 1] ?? -1;
  const O = numel(shape.slice(0, first)), R = numel(shape.slice(first, last + 1)), I = numel(shape.slice(last + 1));
  const at = e.allocate([4 * n, 4 * O * I, 8 * I]);
  if (!at) return null;
  e.f32.set(f32data(x).subarray(x._offset, x._offset + n), at[0]! >> 2);
  kernel(at[0]!, at[1]!, O, R, I, at[2]!);
  return result(e, at[1]!, shape.map((s, i) => (i >= first && i <= last ? 1 : s)));
}

/** softmax or log_softmax of a contiguous float32 x along its last dim (or a dim followed only
 *  by size-1 dims). */
export function softmax(x: Tensor, dim: number, log: boolean): Tensor | null {
  const e = engine();
  if (!e || x.dtype !== float32 || !x.is_contiguous()) return null;
  const shape = x._shape, n = x.numel(), len = shape[dim]!;
  if (n < MIN_ELEMENTS || shape.slice(dim + 1).some((s) => s !== 1)) return null;
  const at = e.allocate([4 * n, 4 * n]);
  if (!at) return null;
  e.f32.set(f32data(x).subarray(x._offset, x._offset + n), at[0]! >> 2);
  e.exports[log ? "log_softmax" : "softmax"]!(at[0]!, at[1]!, n / len, len);
  return result(e, at[1]!, shape);
}

// ---- optimizers -------------------------------------------------------------------------------

/** The scalars of one Adam/AdamW step, as src/optim/adam.ts computes them (rounded to float32). */
export interface AdamStep {
  maximize: boolean; weightDecay: boolean; decoupled: boolean; small: boolean;
  decay: number; wds: number; coeff: number; b2: number; omb2: number; bc2: number; eps: number; negStep: number;
}

/** Adam/AdamW's update of a float32 parameter p in place, with its gradient g and states m, v
 *  (and vmax with amsgrad), when all are contiguous float32 tensors; false when it did nothing. */
export function adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean {
  const e = engine(), n = p.numel();
  const tensors = vmax ? [p, g, m, v, vmax] : [p, g, m, v];
  if (!e || n < MIN_ELEMENTS || tensors.some((t) => t.dtype !== float32 || !t.is_contiguous() || t.numel() !== n)) return false;
  const len0 = Math.min(n, CHUNK);
  const at = e.allocate(tensors.map(() => 4 * len0))!;
  const f32 = e.f32, views = tensors.map((t) => f32data(t).subarray(t._offset, t._offset + n));
  const kernel = e.exports["adam"]!, ptr = (i: number) => at[i] ?? 0;
  // Note [Streaming]: chunk by chunk; every state is read and written, the gradient only read
  for (let c = 0; c < n; c += CHUNK) {
    const len = Math.min(CHUNK, n - c);
    views.forEach((a, i) => f32.set(a.subarray(c, c + len), at[i]! >> 2));
    kernel(ptr(0), ptr(1), ptr(2), ptr(3), ptr(4), len, +s.maximize, +s.weightDecay, +s.decoupled, +!!vmax, +s.small,
      s.decay, s.wds, s.coeff, s.b2, s.omb2, s.bc2, s.eps, s.negStep);
    views.forEach((a, i) => { if (i !== 1) a.set(f32.subarray(at[i]! >> 2, (at[i]! >> 2) + len), c); });
  }
  return true;
}
