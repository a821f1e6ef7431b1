// The WebAssembly backend: tensor-level entry points of the WebAssembly kernels, implementing the
// backend interface (../backend.ts). Each returns the result, or null when it has no fast kernel
// for the case (another dtype, a layout it does not handle, a tensor too small to pay for the
// copies), and the dispatcher runs the reference kernel instead (Note [Declining kernels]).
//
// Operands are copied into wasm memory and results copied out into fresh GC'd storage (Note
// [Scratch memory] in runtime.ts). A strided view is copied as the span of storage it covers, and
// the kernel reads it through its strides: a transposed or broadcast operand is never gathered
// into row-major order in JavaScript.

import { Tensor } from "../../core/tensor.js";
import { type DType, float32, int32, bool } from "../../core/dtype.js";
import { type Shape, contiguousStrides, expandStrides, numel } from "../../core/shape.js";
import { type Engine, type Kernel, getEngine, get_num_threads, set_num_threads } from "./runtime.js";
import { collapse } from "../strides.js";
import type { Backend, Window2d, AxisWindows, AdamStep, SgdStep, AdadeltaStep } from "../backend.js";

const engine = getEngine;

// Note [Fast path thresholds]: below these sizes the copies and the call cost more than the
// reference's loop. Measured: an add or exp of 64 floats takes 2-4 µs either way and the fast one
// wins 2x from 256 on; a 16x16x16 GEMM is 8 µs either way, a 64x64x64 one 30 µs against 1 ms.
/** multiply-adds of a GEMM */
const MIN_GEMM_MACS = 4096;
/** elements of an elementwise op, reduction or softmax */
const MIN_ELEMENTS = 128;
/** multiply-adds each thread of a GEMM must get to be worth waking: a wake-up costs 2-50 µs, and
 *  each thread packs its own copy of the shared operand. Measured (npm run bench, 2 cores): at
 *  2^19 a 128³ product ran slower on two threads than on one, and B4 (products of 0.6-6.4M)
 *  took 2.0-2.3 ms a step against 1.5 ms at 2^22. */
const MACS_PER_THREAD = 1 << 22;
/** elements each thread of a pooling op must get to be worth waking */
const POOL_ELEMENTS_PER_THREAD = 1 << 16;

let grainScale = 1;
/** Scales the work each thread must get (for tests: 0 splits every kernel over all threads, so
 *  that small inputs reach the multi-threaded code). */
export function _setThreadGrain(scale: number): void { grainScale = scale; }

/** The threads for `work` units at `grain` units per thread, at most `cap` (e.g. the images). */
const threadsFor = (e: Engine, work: number, grain: number, cap = Infinity): number =>
  e.threads(Math.min(get_num_threads(), cap, Math.max(1, Math.floor(work / (grain * grainScale)))));

const f32data = (t: Tensor) => t._storage.data as Float32Array;

/** The memory seen as elements of a float32 (4 bytes) or bool (1 byte) tensor. */
const viewFor = (e: Engine, d: DType): Float32Array | Uint8Array => (d === bool ? e.u8 : e.f32);

/** A float32 or bool view to copy into wasm memory: the span of storage it covers, or (for a
 *  sparse view, whose span is far larger than it) its elements gathered row-major. */
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
    this.bytes = t.dtype.itemsize * (this.gather ? n : this.hi - this.lo);
  }
  /** Copies the view to byte offset `at`; returns the byte offset of its first element and the
   *  element strides to read it with. */
  copy(e: Engine, at: number): [number, number[]] {
    const t = this.t, size = t.dtype.itemsize, src = t._storage.data as Float32Array | Uint8Array;
    const mem = viewFor(e, t.dtype), base = at / size;
    if (!this.gather) {
      mem.set(src.subarray(this.lo, this.hi), base);
      return [at + size * (t._offset - this.lo), t._strides];
    }
    t._rows((pos, k, len, step) => {
      if (step === 1) mem.set(src.subarray(pos, pos + len), base + k);
      else for (let j = 0; j < len; j++) mem[base + k + j] = src[pos + j * step]!;
    });
    return [at, contiguousStrides(t._shape)];
  }
}

/** A contiguous float32 (or bool) result read out of wasm memory into fresh storage. */
function result(e: Engine, at: number, shape: Shape, d: DType = float32): Tensor {
  const n = numel(shape), base = at / d.itemsize;
  return Tensor.fromStorage(viewFor(e, d).slice(base, base + n), shape, d);
}

/** Stages broadcast operands (each copied once, not expanded), allocates a contiguous output of
 *  `shape` and dtype d, and runs `kernel(operands…, out, n0…n3, strides of each operand…)`;
 *  returns the output's byte offset, or null when it does not fit or the layout does not
 *  collapse to four dims. */
function broadcastKernel(e: Engine, kernel: Kernel, operands: Tensor[], shape: Shape, d: DType): number | null {
  const staged = operands.map((t) => new Staged(t));
  const at = e.allocate([...staged.map((s) => s.bytes), d.itemsize * numel(shape)]);
  if (!at) return null;
  const copied = staged.map((s, i) => s.copy(e, at[i]!));
  const dims = collapse(shape, copied.map(([, st], i) => expandStrides(operands[i]!._shape, st, shape)));
  if (!dims) return null;
  const out = at[operands.length]!;
  kernel(...copied.map(([p]) => p), out, ...dims[0], ...dims[1].flat());
  return out;
}

/** Splits [0, n) into `parts` ranges whose bounds are multiples of `step`; empty ranges dropped. */
function ranges(n: number, parts: number, step: number): [number, number][] {
  const per = Math.ceil(Math.ceil(n / step) / parts) * step, out: [number, number][] = [];
  for (let s = 0; s < n; s += per) out.push([s, Math.min(n, s + per)]);
  return out;
}

// ---- GEMM ---------------------------------------------------------------------------------------

/** [B, M, K] @ [B, K, N] of float32 views with any strides (stride 0 on a broadcast batch). */
function bmm(a: Tensor, b: Tensor, d: DType): Tensor | null {
  const e = engine();
  if (!e || a.dtype !== float32 || b.dtype !== float32 || d !== float32) return null;
  const [B, M, K] = a._shape as [number, number, number], N = b._shape[2]!;
  const macs = B * M * N * K;
  if (macs < MIN_GEMM_MACS) return null; // (empty products included: the reference gives zeros)
  const sa = new Staged(a), sb = new Staged(b);
  const threads = threadsFor(e, macs, MACS_PER_THREAD);
  const ws = e.exports["gemm_workspace"]!();
  const at = e.allocate([sa.bytes, sb.bytes, 4 * B * M * N, ...new Array<number>(threads).fill(ws)]);
  if (!at) return null;
  let [pa, [bsA, rsA, csA]] = sa.copy(e, at[0]!);
  let [pb, [bsB, rsB, csB]] = sb.copy(e, at[1]!);
  let pc = at[2]!, m = M, n = N, rsC = N, csC = 1;
  const bsC = M * N, MR = e.exports["gemm_mr"]!(), NR = 8;
  // Note [Transposed problem]: C = A·B is also Cᵀ = Bᵀ·Aᵀ. The micro-kernel computes MR×NR
  // tiles, padding partial ones; when the transposed problem needs far fewer tiles (a narrow C,
  // as in a matrix-vector product or a 10-class output layer) solve that one, writing C through
  // its transposed strides. Those writes go element by element, so a saving of a few tiles (a
  // 128×512 C: 1376 against 1408) does not pay for them: ask for a fifth fewer.
  const tiles = (r: number, c: number) => Math.ceil(r / MR) * Math.ceil(c / NR);
  if (5 * tiles(N, M) < 4 * tiles(M, N)) {
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

// ---- convolution -------------------------------------------------------------------------------

/** The contiguous float32 elements of t (a copy only when t is not contiguous). */
// (a tensor that is not contiguous is copied by another kernel, which may reuse the engine's
// scratch: so every operand is made dense before a kernel allocates its regions)
const denseF32 = (t: Tensor): Float32Array => { const c = t.is_contiguous() ? t : t.contiguous(); return f32data(c).subarray(c._offset, c._offset + c.numel()); };

/** Runs one of the conv kernels (assembly/conv.ts) over N images: copies `inputs` in, gives each
 *  thread a range of images with its own columns scratch, GEMM workspace and `perThread` extra
 *  bytes; returns the byte offsets of the inputs, the output (`outBytes`) and each thread's extra
 *  region, or null when the memory would pass its ceiling. */
function convJobs(e: Engine, kernel: string, inputs: (Tensor | null)[], outBytes: number, perThread: number,
  N: number, C: number, O: number, g: Window2d, args: (input: number[], out: number, extra: number) => number[]): [number[], number, number[]] | null {
  const K = C * g.kh * g.kw, L = g.oh * g.ow, macs = N * O * K * L;
  const threads = threadsFor(e, macs, MACS_PER_THREAD, N);
  const colsBytes = (4 * K * L + 63) & ~63, ws = e.exports["gemm_workspace"]!(); // (keeps `extra` 8-aligned)
  const dense = inputs.map((t) => t && denseF32(t));
  const at = e.allocate([...inputs.map((t) => (t ? 4 * t.numel() : 0)), outBytes, 4 * 14,
    ...new Array<number>(threads).fill(colsBytes + ws + perThread)]);
  if (!at) return null;
  const f32 = e.f32;
  dense.forEach((d, i) => { if (d) f32.set(d, at[i]! >> 2); });
  const out = at[inputs.length]!, geo = at[inputs.length + 1]!;
  // Note [Conv geometry] in assembly/conv.ts
  new Int32Array(f32.buffer, geo, 14).set([C, g.H, g.W, O, g.kh, g.kw, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, g.oh, g.ow]);
  const ptrs = inputs.map((t, i) => (t ? at[i]! : 0));
  const extras: number[] = [];
  e.run(ranges(N, threads, 1).map(([n0, n1], i) => {
    const cols = at[inputs.length + 2 + i]!, extra = cols + colsBytes + ws;
    extras.push(extra);
    return [kernel, [...args(ptrs, out, extra), n0, n1, geo, cols, cols + colsBytes]] as const;
  }));
  return [ptrs, out, extras];
}

/** The engine, when the conv kernels take these operands (all float32) and the work pays for the copies. */
function convEngine(operands: (Tensor | null)[], N: number, C: number, O: number, g: Window2d): Engine | null {
  const e = engine();
  if (!e || operands.some((t) => t !== null && t.dtype !== float32)) return null;
  return N * O * C * g.kh * g.kw * g.oh * g.ow >= MIN_GEMM_MACS ? e : null;
}

/** conv2d of float32 x [N, C, H, W] by w [O, C, kh, kw] (+ bias [O]) over the windows g: [N, O, oh, ow]. */
function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, g: Window2d): Tensor | null {
  const [N, C] = x._shape as [number, number], O = w._shape[0]!, shape = [N, O, g.oh, g.ow];
  const e = convEngine([x, w, bias], N, C, O, g);
  if (!e) return null;
  const run = convJobs(e, "conv2d_forward", [x, w, bias], 4 * numel(shape), 0, N, C, O, g,
    ([px, pw, pb], out) => [px!, pw!, pb!, out, +!!bias]);
  return run && result(e, run[1], shape);
}

/** The gradient of conv2d with respect to x [N, C, H, W], from the weight and the output's gradient gy. */
function conv2dInputGrad(w: Tensor, gy: Tensor, C: number, g: Window2d): Tensor | null {
  const N = gy._shape[0]!, O = w._shape[0]!, x = [N, C, g.H, g.W];
  const e = convEngine([w, gy], N, C, O, g);
  if (!e) return null;
  const run = convJobs(e, "conv2d_backward_input", [w, gy], 4 * numel(x), 0, N, C, O, g,
    ([pw, pg], out) => [pw!, pg!, out]);
  return run && result(e, run[1], x);
}

/** The gradients of conv2d with respect to w [O, C, kh, kw] and (when wanted) the bias, from the
 *  input x and the output's gradient gy. */
function conv2dWeightGrad(x: Tensor, gy: Tensor, O: number, g: Window2d, wantBias: boolean): [Tensor, Tensor | null] | null {
  const [N, C] = x._shape as [number, number], K = C * g.kh * g.kw;
  const e = convEngine([x, gy], N, C, O, g);
  if (!e) return null;
  // each thread's extra region: its bias sums (float64, first, for their alignment), then its gwT
  const biasBytes = wantBias ? 8 * O : 0, run = convJobs(e, "conv2d_backward_weight", [x, gy], 0, biasBytes + 4 * K * O, N, C, O, g,
    ([px, pg], _out, extra) => [px!, pg!, extra + biasBytes, wantBias ? extra : 0]);
  if (!run) return null;
  // each thread's gwT [K, O] summed and transposed to [O, K]; its bias sums in float64
  const f32 = e.f32, gw = new Float32Array(O * K), gb = new Float64Array(wantBias ? O : 0);
  for (const extra of run[2]) {
    const p = (extra + biasBytes) >> 2;
    for (let k = 0; k < K; k++) for (let o = 0; o < O; o++) gw[o * K + k] += f32[p + k * O + o]!;
    if (wantBias) { const b = new Float64Array(f32.buffer, extra, O); for (let o = 0; o < O; o++) gb[o] += b[o]!; }
  }
  return [Tensor.fromStorage(gw, [O, C, g.kh, g.kw], float32), wantBias ? Tensor.fromStorage(Float32Array.from(gb), [O], float32) : null];
}

// ---- pooling -----------------------------------------------------------------------------------

/** Max pooling of float32 x, seen as [P, H, W], over the windows hw × ww (assembly/pool.ts): the
 *  result (of `shape`) and each maximum's flat position in its plane. */
function maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: Shape): [Tensor, Tensor] | null {
  const e = engine(), oh = hw.start.length, ow = ww.start.length, L = oh * ow;
  if (!e || x.dtype !== float32 || P * L < MIN_ELEMENTS) return null;
  const dense = denseF32(x);
  const at = e.allocate([4 * P * H * W, 4 * P * L, 4 * P * L, 4 * oh, 4 * oh, 4 * ow, 4 * ow]);
  if (!at) return null;
  const [px, py, pi, hs, he, ws, we] = at as [number, number, number, number, number, number, number];
  e.f32.set(dense, px >> 2);
  const i32 = new Int32Array(e.f32.buffer);
  i32.set(hw.start, hs >> 2); i32.set(hw.end, he >> 2); i32.set(ww.start, ws >> 2); i32.set(ww.end, we >> 2);
  const threads = threadsFor(e, P * H * W, POOL_ELEMENTS_PER_THREAD, P);
  e.run(ranges(P, threads, 1).map(([p0, p1]) => ["max_pool2d", [px, py, pi, p0, p1, H, W, oh, ow, hs, he, ws, we, hw.step, ww.step]] as const));
  return [result(e, py, shape), Tensor.fromStorage(i32.slice(pi >> 2, (pi >> 2) + P * L), shape, int32)];
}

/** The adjoint of maxPool2d: float32 g [P, L] added into positions idx of a zero [P, HW] (of `shape`). */
function maxPool2dBackward(g: Tensor, ind: Tensor, P: number, HW: number, shape: Shape): Tensor | null {
  // (maxPool2d's positions: a contiguous int32 tensor of their own)
  const e = engine(), L = ind.numel() / P, idx = (ind._storage.data as Int32Array).subarray(ind._offset, ind._offset + P * L);
  if (!e || g.dtype !== float32 || P * L < MIN_ELEMENTS) return null;
  const dense = denseF32(g);
  const at = e.allocate([4 * P * L, 4 * P * L, 4 * P * HW]);
  if (!at) return null;
  const [pg, pi, pd] = at as [number, number, number];
  e.f32.set(dense, pg >> 2);
  new Int32Array(e.f32.buffer).set(idx, pi >> 2);
  const threads = threadsFor(e, P * HW, POOL_ELEMENTS_PER_THREAD, P);
  e.run(ranges(P, threads, 1).map(([p0, p1]) => ["max_pool2d_backward", [pg, pi, pd, p0, p1, L, HW]] as const));
  return result(e, pd, shape);
}

// ---- elementwise --------------------------------------------------------------------------------

/** Elements per chunk of a streamed op (Note [Streaming]). */
const CHUNK = 16384;

// Note [Streaming]: an op on contiguous operands (and single-element ones, broadcast) runs in
// chunks: copy a chunk of each operand in, run the kernel, copy the chunk of the result out.
// The chunks stay in L1/L2, so main memory sees each operand read once and the result written
// once, as a native kernel does, instead of the whole arrays going through memory three times
// (copy in, compute, copy out).

/** y = op(x) for float32 x of any strides, when the kernels have `unary_<op>`. */
function unary(op: string, x: Tensor, d: DType): Tensor | null {
  const e = engine();
  if (!e || x.dtype !== float32 || d !== float32) return null;
  const n = x.numel(), kernel = e.exports[`unary_${op}`];
  if (n < MIN_ELEMENTS || !kernel) return null;
  if (!x.is_contiguous()) {
    // (a strided view, such as a chunk of an LSTM's gates: gathered by the copy kernel, then in place)
    const out = broadcastKernel(e, e.exports["copy"]!, [x], x._shape, float32);
    if (out === null) return null;
    kernel(out, out, n);
    return result(e, out, x._shape);
  }
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

/** out = op(a, b) for float32 a, b broadcast to `shape`, when the kernels have `binary_<op>`: a
 *  float32 result, or a bool one for the comparisons. */
function binary(op: string, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor | null {
  const e = engine(), n = numel(shape);
  if (!e || n < MIN_ELEMENTS || a.dtype !== float32 || b.dtype !== float32 || (d !== float32 && d !== bool)) return null;
  const kernel = e.exports[`binary_${op}`];
  if (!kernel) return null;
  const streams = (t: Tensor) => t.numel() === 1 || (t.numel() === n && t.is_contiguous());
  if (streams(a) && streams(b)) return binaryStreamed(e, kernel, a, b, shape, d);
  const out = broadcastKernel(e, kernel, [a, b], shape, d);
  return out === null ? null : result(e, out, shape, d);
}

/** binary() of operands that are contiguous or single elements, chunk by chunk (Note [Streaming]). */
function binaryStreamed(e: Engine, kernel: Kernel, a: Tensor, b: Tensor, shape: Shape, d: DType): Tensor {
  const n = numel(shape), len0 = Math.min(n, CHUNK);
  const [pa, pb, py] = e.allocate([4 * len0, 4 * len0, d.itemsize * len0]) as [number, number, number];
  const f32 = e.f32, mem = viewFor(e, d), A = f32data(a), B = f32data(b);
  const out = d === bool ? new Uint8Array(n) : new Float32Array(n), y = py / d.itemsize;
  const sa = a.numel() === 1 ? 0 : 1, sb = b.numel() === 1 ? 0 : 1;
  if (!sa) f32[pa >> 2] = A[a._offset]!;
  if (!sb) f32[pb >> 2] = B[b._offset]!;
  for (let s = 0; s < n; s += CHUNK) {
    const len = Math.min(CHUNK, n - s);
    if (sa) f32.set(A.subarray(a._offset + s, a._offset + s + len), pa >> 2);
    if (sb) f32.set(B.subarray(b._offset + s, b._offset + s + len), pb >> 2);
    kernel(pa, pb, py, 1, 1, 1, len, 0, 0, 0, sa, 0, 0, 0, sb);
    out.set(mem.subarray(y, y + len), s);
  }
  return Tensor.fromStorage(out, shape, d);
}

/** Copies float32 src, broadcast to contiguous float32 dst's shape, into dst; false when it did
 *  nothing. (Making a transposed gradient contiguous, as autograd's accumulation does, is a
 *  gather the reference does element by element through a list of positions.) */
function copyInto(dst: Tensor, src: Tensor): boolean {
  const e = engine(), n = dst.numel();
  if (!e || n < MIN_ELEMENTS || src.dtype !== float32 || dst.dtype !== float32 || !dst.is_contiguous()) return false;
  const out = broadcastKernel(e, e.exports["copy"]!, [src], dst._shape, float32);
  if (out === null) return false;
  f32data(dst).set(e.f32.subarray(out >> 2, (out >> 2) + n), dst._offset);
  return true;
}

/** torch.where(c, a, b) for a bool c and float32 a, b broadcast to `shape`. */
function where(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor | null {
  const e = engine(), n = numel(shape);
  if (!e || n < MIN_ELEMENTS || c.dtype !== bool || a.dtype !== float32 || b.dtype !== float32 || d !== float32) return null;
  const out = broadcastKernel(e, e.exports["where"]!, [c, a, b], shape, d);
  return out === null ? null : result(e, out, shape, d);
}

// ---- reductions and softmax ---------------------------------------------------------------------

/** sum, max or min of a contiguous float32 x over `dims` (normalised; empty: all) when they are
 *  consecutive, with the reduced dims kept as size 1 (the reference's layout). */
function reduce(x: Tensor, dims: readonly number[], kind: string, d: DType): Tensor | null {
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
function softmax(x: Tensor, dim: number, log: boolean): Tensor | null {
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

/** Runs `step(pointers, len)` over n-element contiguous float32 tensors chunk by chunk, copying
 *  each chunk in and the chunks of the tensors marked `written` back out (Note [Streaming]);
 *  false, doing nothing, when a tensor is not a contiguous float32 one of n elements. */
function streamInPlace(tensors: Tensor[], written: boolean[], step: (e: Engine, ptrs: number[], len: number) => void): boolean {
  const e = engine(), n = tensors[0]!.numel();
  if (!e || n < MIN_ELEMENTS || tensors.some((t) => t.dtype !== float32 || !t.is_contiguous() || t.numel() !== n)) return false;
  const at = e.allocate(tensors.map(() => 4 * Math.min(n, CHUNK)))!;
  const f32 = e.f32, views = tensors.map((t) => f32data(t).subarray(t._offset, t._offset + n));
  for (let c = 0; c < n; c += CHUNK) {
    const len = Math.min(CHUNK, n - c);
    views.forEach((a, i) => f32.set(a.subarray(c, c + len), at[i]! >> 2));
    step(e, at, len);
    views.forEach((a, i) => { if (written[i]) a.set(f32.subarray(at[i]! >> 2, (at[i]! >> 2) + len), c); });
  }
  return true;
}

/** Adam/AdamW's update of a float32 parameter p in place, with its gradient g and states m, v
 *  (and vmax with amsgrad), when all are contiguous float32 tensors; false when it did nothing. */
function adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean {
  const tensors = vmax ? [p, g, m, v, vmax] : [p, g, m, v];
  return streamInPlace(tensors, tensors.map((_, i) => i !== 1), (e, at, len) => e.exports["adam"]!(
    at[0]!, at[1]!, at[2]!, at[3]!, at[4] ?? 0, len, +s.maximize, +s.weightDecay, +s.decoupled, +!!vmax, +s.small,
    s.decay, s.wds, s.coeff, s.b2, s.omb2, s.bc2, s.eps, s.negStep));
}

/** SGD's update of a float32 parameter p in place, with its gradient g and (with momentum) its
 *  momentum buffer, when all are contiguous float32 tensors; false when it did nothing. */
function sgd(p: Tensor, g: Tensor, buf: Tensor | null, s: SgdStep): boolean {
  const tensors = buf ? [p, g, buf] : [p, g];
  return streamInPlace(tensors, tensors.map((_, i) => i !== 1), (e, at, len) => e.exports["sgd"]!(
    at[0]!, at[1]!, at[2] ?? 0, len, +s.maximize, +s.weightDecay, +!!buf, +s.first, +s.nesterov, s.wds, s.negLr, s.mom, s.omd));
}

/** Adadelta's update of a float32 parameter p in place, with its gradient g and states
 *  square_avg and acc_delta, when all are contiguous float32 tensors; false when it did nothing. */
function adadelta(p: Tensor, g: Tensor, squareAvg: Tensor, accDelta: Tensor, s: AdadeltaStep): boolean {
  return streamInPlace([p, g, squareAvg, accDelta], [true, false, true, true], (e, at, len) => e.exports["adadelta"]!(
    at[0]!, at[1]!, at[2]!, at[3]!, len, +s.maximize, +s.weightDecay, s.wds, s.rho, s.omr, s.eps, s.negLr));
}

export const wasmBackend: Backend = {
  name: "wasm",
  available: () => getEngine() !== null,
  capability: () => "WASM_SIMD",
  allocate: () => null, // storage stays in GC'd ArrayBuffers (Note [Scratch memory] in runtime.ts)
  setNumThreads: set_num_threads,
  unary, binary, where, copyInto, reduce, bmm, softmax,
  conv2d, conv2dInputGrad, conv2dWeightGrad, maxPool2d, maxPool2dBackward,
  softmaxBackward: () => null,
  layerNorm: () => null,
  layerNormBackward: () => null,
  lstmCell: () => null,
  lstmCellBackward: () => null,
  avgPool2d: () => null,
  avgPool2dBackward: () => null,
  gruCell: () => null,
  gruCellBackward: () => null,
  channelStats: () => null,
  channelAffine: () => null,
  batchNormBackward: () => null,
  gather: () => null,
  scatter: () => null,
  indexSelect: () => null,
  indexAdd: () => false,
  adam, sgd, adadelta,
  // (the samplers are the reference's: Note [Fast samplers] in core/random.ts)
  uniform: () => false, normal: () => false, bernoulli: () => false,
};
