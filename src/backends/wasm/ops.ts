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
// reference's loop, measured on this project's machine (bench numbers in the report of issue 4):
// a 2x2 add stays in JavaScript, where it takes about a microsecond.
/** multiply-adds of a GEMM */
const MIN_GEMM_MACS = 4096;
/** elements of an elementwise op, reduction or softmax */
const MIN_ELEMENTS = 2048;
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
