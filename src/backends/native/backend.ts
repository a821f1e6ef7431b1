// The native backend: C kernels (./csrc) through Node-API, on native memory. Storage of large
// tensors comes from the addon's caching allocator as external ArrayBuffers (Note [Caching
// allocator] in csrc/alloc.c), so the typed arrays the rest of the code uses stay as they are and
// kernels read and write tensors where they live: no staging copies, no fresh pages per op.
//
// The addon is built by npm's install step (tools/build_native.mjs, node-gyp). Where it is not
// there (no compiler at install, a browser), this backend is unavailable and says why.

import { Tensor } from "../../core/tensor.js";
import { type DType, type Storage, float32, float64, int32, int64, bool, arrayFor } from "../../core/dtype.js";
import { type Shape, expandStrides, numel, sameShape, contiguousStrides } from "../../core/shape.js";
import { type Backend, type ReduceKind, type Window2d, type AxisWindows, type AdamStep, type SgdStep, type AdadeltaStep, type LstmCellResult, type LstmLayerResult,
  type LayerNormResult, type GruCellResult, type ChannelStats, indexOutOfBounds } from "../backend.js";
import { loadAddon } from "../../core/native_addon.js";

/** The addon's exports (csrc/addon.c). Typed arrays are passed whole, with element offsets. */
interface Addon {
  /** A typed array of the Node-API typed-array type `type` on a cached block. */
  alloc(bytes: number, zero: boolean, type: number): Storage;
  /** Returns the block of an array alloc made to the cache now; false for any other array. */
  free(s: Storage): boolean;
  setCollector(collect: (() => void) | null): void;
  stats(): [number, number, number];
  emptyCache(): void;
  setNumThreads(n: number): void;
  readonly capability: string;
  readonly unaryOps: string[];
  readonly binaryOps: string[];
  unary(op: number, x: Float32Array, xoff: number, y: Float32Array, n: number): void;
  binary(op: number, a: Float32Array, b: Float32Array, y: Float32Array | Uint8Array, geo: Float64Array, alpha: number): void;
  where(c: Uint8Array, a: Float32Array, b: Float32Array, y: Float32Array, geo: Float64Array): void;
  copy(itemsize: number, x: Storage, y: Storage, geo: Float64Array): void;
  bmm(a: Float32Array, b: Float32Array, c: Float32Array, geo: Float64Array): void;
  addmm(input: Float32Array, a: Float32Array, b: Float32Array, c: Float32Array, geo: Float64Array): void;
  conv2d(x: Float32Array, w: Float32Array, bias: Float32Array | null, y: Float32Array, geo: Float64Array): void;
  conv2dInputGrad(w: Float32Array, gy: Float32Array, gx: Float32Array, geo: Float64Array): void;
  conv2dWeightGrad(x: Float32Array, gy: Float32Array, gw: Float32Array, gb: Float32Array | null, geo: Float64Array): void;
  maxPool2d(x: Float32Array, y: Float32Array, idx: Int32Array, hs: Int32Array, he: Int32Array, ws: Int32Array, we: Int32Array, geo: Float64Array): void;
  avgPool2d(x: Float32Array, y: Float32Array, hs: Int32Array, he: Int32Array, ws: Int32Array, we: Int32Array, div: Float64Array,
    P: number, H: number, W: number, backward: number): void;
  maxPool2dBackward(g: Float32Array, idx: Int32Array, gx: Float32Array, P: number, L: number, HW: number): void;
  lstmCell(gates: Float32Array, c: Float32Array, hy: Float32Array, cy: Float32Array, act: Float32Array, tcy: Float32Array, N: number, H: number): void;
  lstmCellBackward(ghy: Float32Array, gcy: Float32Array, c: Float32Array, act: Float32Array, tcy: Float32Array, ggates: Float32Array, gc: Float32Array, N: number, H: number): void;
  lstmLayer(gi: Float32Array, w_hh: Float32Array, b_hh: Float32Array | null, h0: Float32Array, c0: Float32Array, hs: Float32Array, cs: Float32Array, tcy: Float32Array,
    gates: Float32Array, T: number, N: number, H: number, reverse: number): void;
  lstmLayerBackward(gout: Float32Array, gh: Float32Array, gc: Float32Array, c0: Float32Array, cs: Float32Array, act: Float32Array, tcy: Float32Array,
    w_hh: Float32Array, ggates: Float32Array, T: number, N: number, H: number, reverse: number): void;
  softmaxBackward(g: Float32Array, y: Float32Array, gx: Float32Array, rows: number, len: number, log: number): void;
  logSoftmaxBackwardOnehot(y: Float32Array, cols: Int32Array, vals: Float32Array, gx: Float32Array, rows: number, len: number): void;
  layerNorm(x: Float32Array, w: Float32Array | null, b: Float32Array | null, y: Float32Array, mean: Float64Array, rstd: Float64Array, M: number, K: number, eps: number): void;
  layerNormBackward(g: Float32Array, x: Float32Array, w: Float32Array | null, mean: Float64Array, rstd: Float64Array, gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null, M: number, K: number): void;
  channelStats(x: Float32Array, mean: Float64Array, vr: Float64Array, P: number, Q: number, R: number): void;
  channelAffine(x: Float32Array, y: Float32Array, scale: Float64Array, shift: Float64Array, P: number, Q: number, R: number): void;
  batchNormBackward(g: Float32Array, x: Float32Array, w: Float32Array | null, mean: Float64Array, invstd: Float64Array,
    gx: Float32Array | null, gw: Float32Array | null, gb: Float32Array | null, N: number, C: number, S: number, train: number): void;
  gruCell(gi: Float32Array, gh: Float32Array, h: Float32Array, hy: Float32Array, act: Float32Array, N: number, H: number): void;
  gruCellBackward(ghy: Float32Array, h: Float32Array, act: Float32Array, ggi: Float32Array, ggh: Float32Array, gh: Float32Array, N: number, H: number): void;
  gather(x: Float32Array, idx: BigInt64Array, y: Float32Array, geo: Float64Array): number;
  scatter(out: Float32Array, idx: BigInt64Array, src: Float32Array | null, value: number, add: number, geo: Float64Array): number;
  indexSelect(x: Storage, y: Storage, idx: Float64Array, pre: number, size: number, n: number, bytes: number): void;
  indexAdd(out: Float32Array, idx: Float64Array, src: Float32Array, pre: number, size: number, n: number, post: number): void;
  reduce(kind: number, x: Float32Array, xoff: number, y: Float32Array, O: number, R: number, I: number): void;
  sumSquares(x: Float32Array, xoff: number, n: number): number;
  softmax(x: Float32Array, xoff: number, y: Float32Array, rows: number, len: number, log: number): void;
  adam(p: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, vmax: Float32Array | null, n: number, ...s: number[]): void;
  sgd(p: Float32Array, g: Float32Array, buf: Float32Array | null, n: number, ...s: number[]): void;
  adadelta(p: Float32Array, g: Float32Array, sq: Float32Array, ad: Float32Array, n: number, ...s: number[]): void;
  uniform(mt: Uint32Array, pos: Int32Array, out: Float32Array | Float64Array, n: number, double: number, from: number, to: number): void;
  normal(mt: Uint32Array, pos: Int32Array, out: Float32Array | Float64Array, n: number, double: number, mean: number, std: number): void;
  bernoulli(mt: Uint32Array, pos: Int32Array, out: Float32Array | Float64Array, n: number, double: number, p: number): void;
}

const [addon, whyNot] = loadAddon<Addon>("typetorch_native", "the native CPU engine", "native-unavailable.txt",
  "install a C compiler, make and Python 3 (Debian: apt-get install -y build-essential python3)");

/** Why the native backend is unavailable, or null when it runs (or cannot exist here). */
export function nativeUnavailableReason(): string | null { return whyNot; }

/** A minor collection (a scavenge), for the allocator to ask for when its cache is empty (Note
 *  [Scavenging for the cache] in csrc/addon.c); null where the runtime gives none. Node exposes
 *  V8's `gc` only to a context made while --expose-gc is set, so the flag is set for the one
 *  context that fetches it and cleared again (as jest's leak detector does); a program started
 *  with --expose-gc has it already. */
function minorCollector(): (() => void) | null {
  const g = globalThis as { gc?: (options: object) => void; process?: { getBuiltinModule?(id: string): unknown } };
  if (typeof g.gc === "function") { const gc = g.gc; return () => gc({ type: "minor" }); }
  try {
    const v8 = g.process!.getBuiltinModule!("node:v8") as typeof import("node:v8");
    const vm = g.process!.getBuiltinModule!("node:vm") as typeof import("node:vm");
    v8.setFlagsFromString("--expose-gc");
    const gc = vm.runInNewContext("gc") as ((options: object) => void) | undefined;
    v8.setFlagsFromString("--no-expose-gc");
    return typeof gc === "function" ? () => gc({ type: "minor" }) : null;
  } catch {
    return null;
  }
}
addon?.setCollector(minorCollector());

/** Storage of at least this many bytes comes from the addon. Below it V8's own allocation is as
 *  quick (an on-heap or malloc'd buffer). Above it V8 counts each new ArrayBuffer as external
 *  memory whole, so a loop making them runs V8's full collections often (a loop of 128 x 128
 *  matmuls: a third of its CPU marking and sweeping), where the cache's blocks are counted once
 *  and come back at a scavenge (Note [Scavenging for the cache] in csrc/addon.c). Measured (one
 *  thread, CPU per call, alternated): x.add(1) of 16 KB 4.1 -> 2.3 µs from the cache, of 32 KB
 *  4.0-8.0 -> 3.4, of 64 KB 30 -> 5; 128 x 128 matmul 40-54 -> 33-37 µs. */
const MIN_NATIVE_BYTES = 16384;
/** Elements an op needs before a kernel call pays for itself (Note [Fast path thresholds] in
 *  ../wasm/ops.ts: the call costs about as much as a JavaScript loop over this many). */
const MIN_ELEMENTS = 64;

const unaryCode = new Map(addon?.unaryOps.map((name, i) => [name, i]));
const binaryCode = new Map(addon?.binaryOps.map((name, i) => [name, i]));

/** Node-API's typed-array types (napi_typedarray_type) of each dtype's storage array. */
const NAPI_TYPE: Record<DType["name"], number> = {
  int8: 0, uint8: 1, bool: 1, int16: 3, float16: 4, bfloat16: 4, int32: 5, float32: 7, float64: 8, int64: 9,
};
/** A storage array of n elements of dtype d from the caching allocator (Note [Reused
 *  ArrayBuffers] in csrc/addon.c), zero-filled when asked. */
const cached = (d: DType, n: number, zero: boolean) => addon!.alloc(n * d.itemsize, zero, NAPI_TYPE[d.name]);

/** Node's Buffer, for memory V8 does not zero (where the addon loads, Node's modules are there). */
const NodeBuffer = addon ? ((globalThis as { process?: { getBuiltinModule?(id: string): unknown } }).process!
  .getBuiltinModule!("node:buffer") as typeof import("node:buffer")).Buffer : null;

/** A storage array of n elements of dtype d, not zeroed: the kernels writing it write every
 *  element. Below MIN_NATIVE_BYTES it is Node's unzeroed memory (Buffer.allocUnsafeSlow, glibc's
 *  reused chunks) rather than a typed array, which V8 zero-fills: at 64 KB, a 128 x 128 matmul's
 *  output, the zeroing was 13% of the call. */
function empty(d: DType, n: number): Storage {
  const bytes = n * d.itemsize;
  return bytes >= MIN_NATIVE_BYTES ? cached(d, n, false) : arrayFor(d, NodeBuffer!.allocUnsafeSlow(bytes).buffer);
}

const f32 = (t: Tensor) => t._storage.data as Float32Array;
const isF32 = (t: Tensor) => t.dtype === float32;
/** The dense row-major run a contiguous tensor occupies starts at its offset. */
const dense = (t: Tensor) => t.is_contiguous();

/** The geometry block the elementwise kernels read: n[4], then each operand's offset and strides. */
const geo = new Float64Array(4 + 5 * 3);
function setGeo(shape: Shape, operands: Tensor[], strides: (readonly number[])[]): boolean {
  // collapse()'s rule (../strides.ts), written straight into geo: this runs on every op
  const m = operands.length;
  let d = 0;
  for (let i = 0; i < shape.length; i++) {
    const size = shape[i]!;
    if (size === 1) continue;
    let merge = d > 0;
    for (let k = 0; merge && k < m; k++) merge = geo[5 + 5 * k + d - 1] === strides[k]![i]! * size;
    if (merge) {
      geo[d - 1]! *= size;
      for (let k = 0; k < m; k++) geo[5 + 5 * k + d - 1] = strides[k]![i]!;
      continue;
    }
    if (d === 4) return false;
    geo[d] = size;
    for (let k = 0; k < m; k++) geo[5 + 5 * k + d] = strides[k]![i]!;
    d++;
  }
  const pad = 4 - d; // left-pad to four dims
  for (let j = 3; j >= 0; j--) {
    const from = j - pad;
    geo[j] = from >= 0 ? geo[from]! : 1;
    for (let k = 0; k < m; k++) geo[5 + 5 * k + j] = from >= 0 ? geo[5 + 5 * k + from]! : 0;
  }
  for (let k = 0; k < m; k++) geo[4 + 5 * k] = operands[k]!._offset;
  return true;
}
/** t's strides seen at `shape` (broadcast dims: stride 0); its own where the shapes agree. */
const stridesAt = (t: Tensor, shape: Shape): readonly number[] => (sameShape(t._shape, shape) ? t._strides : expandStrides(t._shape, t._strides, shape));

function unary(op: string, x: Tensor, d: DType): Tensor | null {
  const n = x.numel();
  if (n < MIN_ELEMENTS) return null;
  const code = unaryCode.get(op);
  if (code === undefined || !isF32(x) || d !== float32) return null;
  const y = empty(float32, n) as Float32Array;
  if (dense(x)) addon!.unary(code, f32(x), x._offset, y, n);
  else {
    // a strided view (a chunk of an LSTM's gates, a transposed matrix): gathered, then in place
    if (!copyStrided(x, Tensor.fromStorage(y, x._shape, float32), 4)) return null;
    addon!.unary(code, y, 0, y, n);
  }
  return Tensor.fromStorage(y, x._shape, float32);
}

function unaryInto(op: string, x: Tensor, out: Tensor): boolean {
  const code = unaryCode.get(op), n = out.numel();
  if (code === undefined || n < MIN_ELEMENTS || !isF32(x) || !isF32(out) || !dense(x) || !dense(out) || x.numel() !== n) return false;
  const y = f32(out);
  addon!.unary(code, f32(x), x._offset, out._offset === 0 ? y : y.subarray(out._offset), n);
  return true;
}

/** y (contiguous, `shape`) ← op `code` of a and b broadcast to `shape`; false where the geometry
 *  does not collapse to the kernels' four dims. */
function runBinary(code: number, a: Tensor, b: Tensor, shape: Shape, y: Float32Array | Uint8Array, params?: readonly number[]): boolean {
  if (!setGeo(shape, [a, b], [stridesAt(a, shape), stridesAt(b, shape)])) return false;
  addon!.binary(code, f32(a), f32(b), y, geo, params?.[0] ?? 0);
  return true;
}

function binary(op: string, a: Tensor, b: Tensor, d: DType, shape: Shape, params?: readonly number[]): Tensor | null {
  const n = numel(shape);
  if (n < MIN_ELEMENTS) return null; // (first: tiny ops, B1, skip the name's lookup)
  const code = binaryCode.get(op);
  if (code === undefined || !isF32(a) || !isF32(b) || d !== (code >= binaryCode.get("eq")! ? bool : float32)) return null;
  const y = empty(d, n) as Float32Array | Uint8Array;
  return runBinary(code, a, b, shape, y, params) ? Tensor.fromStorage(y, shape, d) : null;
}

function binaryInto(op: string, a: Tensor, b: Tensor, out: Tensor, params?: readonly number[]): boolean {
  const code = binaryCode.get(op);
  if (code === undefined || code >= binaryCode.get("eq")! || out.numel() < MIN_ELEMENTS || !isF32(a) || !isF32(b) || !isF32(out) || !dense(out)) return false;
  const y = f32(out);
  return runBinary(code, a, b, out._shape, out._offset === 0 ? y : y.subarray(out._offset), params);
}

function where(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor | null {
  const n = numel(shape);
  if (n < MIN_ELEMENTS || c.dtype !== bool || !isF32(a) || !isF32(b) || d !== float32) return null;
  const st = [stridesAt(c, shape), stridesAt(a, shape), stridesAt(b, shape)];
  if (!setGeo(shape, [c, a, b], st)) return null;
  const y = empty(float32, n) as Float32Array;
  addon!.where(c._storage.data as Uint8Array, f32(a), f32(b), y, geo);
  return Tensor.fromStorage(y, shape, float32);
}

/** dst ← src (same shape, same dtype, any strides), element by element as words of `size` bytes. */
function copyStrided(src: Tensor, dst: Tensor, size: number): boolean {
  if (!setGeo(dst._shape, [src, dst], [src._strides, dst._strides])) return false;
  addon!.copy(size, src._storage.data, dst._storage.data, geo);
  return true;
}

function copyInto(dst: Tensor, src: Tensor): boolean {
  // any dtype moves as words; casts are the reference's
  if (src.dtype !== dst.dtype || dst.numel() < MIN_ELEMENTS) return false;
  const s = new Tensor(src._storage, dst._shape, expandStrides(src._shape, src._strides, dst._shape), src._offset, src.dtype);
  return copyStrided(s, dst, dst.dtype.itemsize);
}

/** Multiply-adds below which the call costs more than the reference's loop. */
const MIN_GEMM_MACS = 4096;
const gemmGeo = new Float64Array(12);

/** [B, M, K] @ [B, K, N] of float32 views with any strides (stride 0 on a broadcast batch). */
function bmm(a: Tensor, b: Tensor, d: DType): Tensor | null {
  if (!isF32(a) || !isF32(b) || d !== float32) return null;
  const [B, M, K] = a._shape as [number, number, number], N = b._shape[2]!;
  if (B * M * N * K < MIN_GEMM_MACS) return null; // (empty products included: the reference gives zeros)
  const g = gemmGeo, sa = a._strides, sb = b._strides; // (element by element: no array per call)
  g[0] = B; g[1] = M; g[2] = N; g[3] = K;
  g[4] = a._offset; g[5] = sa[0]!; g[6] = sa[1]!; g[7] = sa[2]!;
  g[8] = b._offset; g[9] = sb[0]!; g[10] = sb[1]!; g[11] = sb[2]!;
  const c = empty(float32, B * M * N) as Float32Array;
  addon!.bmm(f32(a), f32(b), c, gemmGeo);
  return Tensor.fromStorage(c, [B, M, N], float32);
}

/** input + a @ b for a [M, K], b [K, N] and input broadcast to [M, N]: each tile of the result
 *  starts as the input's and the GEMM adds the product onto it (BLAS's beta = 1, as PyTorch's
 *  addmm), so the bias costs no pass of its own. */
function addmm(input: Tensor, a: Tensor, b: Tensor): Tensor | null {
  if (!isF32(input) || !isF32(a) || !isF32(b)) return null;
  const [M, K] = a._shape as [number, number], N = b._shape[1]!;
  if (M * N * K < MIN_GEMM_MACS) return null;
  const [rs, cs] = expandStrides(input._shape, input._strides, [M, N]);
  gemmGeo.set([M, N, K, input._offset, rs!, cs!, a._offset, ...a._strides, b._offset, ...b._strides]);
  const c = empty(float32, M * N) as Float32Array;
  addon!.addmm(f32(input), f32(a), f32(b), c, gemmGeo);
  return Tensor.fromStorage(c, [M, N], float32);
}

// ---- convolution and pooling ------------------------------------------------------------------

const convGeo = new Float64Array(15);
/** The contiguous float32 elements of t (a copy only when t is not contiguous), or null. */
function elements(t: Tensor | null): Float32Array | null {
  if (t === null) return null;
  const c = dense(t) ? t : t.contiguous();
  return c._offset === 0 && f32(c).length === c.numel() ? f32(c) : f32(c).subarray(c._offset, c._offset + c.numel());
}
/** Sets the conv geometry when the operands are float32 and the work pays for the call. */
function convSetup(operands: (Tensor | null)[], N: number, C: number, O: number, g: Window2d): boolean {
  if (operands.some((t) => t !== null && !isF32(t))) return false;
  if (N * O * C * g.kh * g.kw * g.oh * g.ow < MIN_GEMM_MACS) return false;
  convGeo.set([N, C, g.H, g.W, O, g.kh, g.kw, g.oh, g.ow, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw]);
  return true;
}

function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, g: Window2d): Tensor | null {
  const [N, C] = x._shape as [number, number], O = w._shape[0]!, shape = [N, O, g.oh, g.ow];
  if (!convSetup([x, w, bias], N, C, O, g)) return null;
  const y = empty(float32, numel(shape)) as Float32Array;
  addon!.conv2d(elements(x)!, elements(w)!, elements(bias), y, convGeo);
  return Tensor.fromStorage(y, shape, float32);
}

function conv2dInputGrad(w: Tensor, gy: Tensor, C: number, g: Window2d): Tensor | null {
  const N = gy._shape[0]!, O = w._shape[0]!, shape = [N, C, g.H, g.W];
  if (!convSetup([w, gy], N, C, O, g)) return null;
  const gx = empty(float32, numel(shape)) as Float32Array;
  addon!.conv2dInputGrad(elements(w)!, elements(gy)!, gx, convGeo);
  return Tensor.fromStorage(gx, shape, float32);
}

function conv2dWeightGrad(x: Tensor, gy: Tensor, O: number, g: Window2d, wantBias: boolean): [Tensor, Tensor | null] | null {
  const [N, C] = x._shape as [number, number], shape = [O, C, g.kh, g.kw];
  if (!convSetup([x, gy], N, C, O, g)) return null;
  const gw = empty(float32, numel(shape)) as Float32Array, gb = wantBias ? new Float32Array(O) : null;
  addon!.conv2dWeightGrad(elements(x)!, elements(gy)!, gw, gb, convGeo);
  return [Tensor.fromStorage(gw, shape, float32), gb && Tensor.fromStorage(gb, [O], float32)];
}

const poolGeo = new Float64Array(5);
function maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: Shape): [Tensor, Tensor] | null {
  const L = hw.start.length * ww.start.length;
  if (!isF32(x) || P * L < MIN_ELEMENTS) return null;
  const y = empty(float32, P * L) as Float32Array, idx = empty(int32, P * L) as Int32Array;
  poolGeo.set([P, H, W, hw.step, ww.step]);
  addon!.maxPool2d(elements(x)!, y, idx, hw.start, hw.end, ww.start, ww.end, poolGeo);
  return [Tensor.fromStorage(y, shape, float32), Tensor.fromStorage(idx, shape, int32)];
}

function maxPool2dBackward(g: Tensor, ind: Tensor, P: number, HW: number, shape: Shape): Tensor | null {
  const L = ind.numel() / P;
  if (!isF32(g) || P * L < MIN_ELEMENTS) return null;
  const gx = empty(float32, P * HW) as Float32Array;
  // (maxPool2d's positions: a contiguous int32 tensor of their own)
  addon!.maxPool2dBackward(elements(g)!, (ind._storage.data as Int32Array).subarray(ind._offset, ind._offset + P * L), gx, P, L, HW);
  return Tensor.fromStorage(gx, shape, float32);
}

function avgPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape): Tensor | null {
  const L = hw.start.length * ww.start.length;
  if (!isF32(x) || hw.step !== 1 || ww.step !== 1 || P * L < MIN_ELEMENTS) return null;
  const y = empty(float32, P * L) as Float32Array;
  addon!.avgPool2d(elements(x)!, y, hw.start, hw.end, ww.start, ww.end, div, P, H, W, 0);
  return Tensor.fromStorage(y, shape, float32);
}

function avgPool2dBackward(g: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape): Tensor | null {
  if (!isF32(g) || hw.step !== 1 || ww.step !== 1 || P * H * W < MIN_ELEMENTS) return null;
  const gx = empty(float32, P * H * W) as Float32Array;
  addon!.avgPool2d(elements(g)!, gx, hw.start, hw.end, ww.start, ww.end, div, P, H, W, 1);
  return Tensor.fromStorage(gx, shape, float32);
}

// ---- layer norm -------------------------------------------------------------------------------

function layerNorm(x: Tensor, M: number, Kn: number, w: Tensor | null, b: Tensor | null, eps: number): LayerNormResult | null {
  if (!isF32(x) || (w && !isF32(w)) || (b && !isF32(b)) || M * Kn < MIN_ELEMENTS) return null;
  const y = empty(float32, M * Kn) as Float32Array, mean = new Float64Array(M), rstd = new Float64Array(M);
  addon!.layerNorm(elements(x)!, elements(w), elements(b), y, mean, rstd, M, Kn, eps);
  return { y: Tensor.fromStorage(y, x._shape, float32), mean: Tensor.fromStorage(mean, [M], float64), rstd: Tensor.fromStorage(rstd, [M], float64) };
}

function layerNormBackward(g: Tensor, x: Tensor, w: Tensor | null, s: LayerNormResult, needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null {
  if (!isF32(g) || !isF32(x) || (w && !isF32(w))) return null;
  const M = s.mean.numel(), Kn = x.numel() / M;
  const gx = needs[0] ? empty(float32, M * Kn) as Float32Array : null;
  const gw = needs[1] ? new Float32Array(Kn) : null, gb = needs[2] ? new Float32Array(Kn) : null;
  // (the statistics are the float64 tensors layerNorm made)
  addon!.layerNormBackward(elements(g)!, elements(x)!, elements(w), s.mean._storage.data as Float64Array, s.rstd._storage.data as Float64Array, gx, gw, gb, M, Kn);
  const t = (a: Float32Array | null, shape: readonly number[]) => a && Tensor.fromStorage(a, shape, float32);
  return [t(gx, x._shape), t(gw, [Kn]), t(gb, [Kn])];
}

// ---- the LSTM cell ----------------------------------------------------------------------------

function lstmCell(gates: Tensor, c: Tensor): LstmCellResult | null {
  const [N, H4] = gates._shape as [number, number], H = H4 / 4;
  if (gates.dim() !== 2 || !isF32(gates) || !isF32(c) || N * H < MIN_ELEMENTS || c.numel() !== N * H) return null;
  const out = (n: number) => Tensor.fromStorage(empty(float32, n) as Float32Array, n === N * H ? [N, H] : [N, 4 * H], float32);
  const r = { hy: out(N * H), cy: out(N * H), act: out(4 * N * H), tcy: out(N * H) };
  addon!.lstmCell(elements(gates)!, elements(c)!, f32(r.hy), f32(r.cy), f32(r.act), f32(r.tcy), N, H);
  return r;
}

function lstmCellBackward(ghy: Tensor, gcy: Tensor, c: Tensor, s: LstmCellResult): [Tensor, Tensor] | null {
  const [N, H] = s.hy._shape as [number, number];
  if (!isF32(ghy) || !isF32(gcy)) return null;
  const gg = empty(float32, 4 * N * H) as Float32Array, gc = empty(float32, N * H) as Float32Array;
  addon!.lstmCellBackward(elements(ghy)!, elements(gcy)!, elements(c)!, f32(s.act), f32(s.tcy), gg, gc, N, H);
  return [Tensor.fromStorage(gg, [N, 4 * H], float32), Tensor.fromStorage(gc, [N, H], float32)];
}

function lstmLayer(gi: Tensor, w_hh: Tensor, b_hh: Tensor | null, h0: Tensor, c0: Tensor, reverse: boolean): LstmLayerResult | null {
  const [T, N, H4] = gi._shape as [number, number, number], H = H4 / 4;
  if (gi.dim() !== 3 || !dense(gi) || ![w_hh, h0, c0, ...(b_hh ? [b_hh] : [])].every(isF32) || !isF32(gi) || N * H < MIN_ELEMENTS) return null;
  const state = (n: number) => Tensor.fromStorage(empty(float32, n) as Float32Array, [T, N, H], float32);
  const r = { hs: state(T * N * H), cs: state(T * N * H), act: gi, tcy: state(T * N * H) };
  addon!.lstmLayer(elements(gi)!, elements(w_hh)!, elements(b_hh), elements(h0)!, elements(c0)!, f32(r.hs), f32(r.cs), f32(r.tcy),
    empty(float32, N * H4) as Float32Array, T, N, H, reverse ? 1 : 0);
  return r;
}

function lstmLayerBackward(gout: Tensor, gh: Tensor, gc: Tensor, c0: Tensor, w_hh: Tensor, s: LstmLayerResult, reverse: boolean): [Tensor, Tensor, Tensor] | null {
  const [T, N, H] = s.hs._shape as [number, number, number];
  if (![gout, gh, gc, c0, w_hh].every(isF32)) return null;
  // the final states' gradients become h0's and c0's in place: copies of them
  const state = (g: Tensor) => { const a = empty(float32, N * H) as Float32Array; a.set(elements(g)!); return Tensor.fromStorage(a, [N, H], float32); };
  const gh0 = state(gh), gc0 = state(gc), gg = empty(float32, T * N * 4 * H) as Float32Array;
  addon!.lstmLayerBackward(elements(gout)!, f32(gh0), f32(gc0), elements(c0)!, f32(s.cs), elements(s.act)!, f32(s.tcy), elements(w_hh)!, gg, T, N, H, reverse ? 1 : 0);
  return [Tensor.fromStorage(gg, [T, N, 4 * H], float32), gh0, gc0];
}

// ---- the GRU cell ------------------------------------------------------------------------------

function gruCell(gi: Tensor, gh: Tensor, h: Tensor): GruCellResult | null {
  const [N, H3] = gi._shape as [number, number], H = H3 / 3;
  if (gi.dim() !== 2 || !isF32(gi) || !isF32(gh) || !isF32(h) || N * H < MIN_ELEMENTS || !sameShape(gh._shape, gi._shape) || h.numel() !== N * H) return null;
  const hy = empty(float32, N * H) as Float32Array, act = empty(float32, 4 * N * H) as Float32Array;
  addon!.gruCell(elements(gi)!, elements(gh)!, elements(h)!, hy, act, N, H);
  return { hy: Tensor.fromStorage(hy, [N, H], float32), act: Tensor.fromStorage(act, [N, 4 * H], float32) };
}

function gruCellBackward(ghy: Tensor, h: Tensor, s: GruCellResult): [Tensor, Tensor, Tensor] | null {
  const [N, H] = s.hy._shape as [number, number];
  if (!isF32(ghy) || !isF32(h)) return null;
  const ggi = empty(float32, 3 * N * H) as Float32Array, ggh = empty(float32, 3 * N * H) as Float32Array, gh = empty(float32, N * H) as Float32Array;
  addon!.gruCellBackward(elements(ghy)!, elements(h)!, f32(s.act), ggi, ggh, gh, N, H);
  return [Tensor.fromStorage(ggi, [N, 3 * H], float32), Tensor.fromStorage(ggh, [N, 3 * H], float32), Tensor.fromStorage(gh, h._shape, float32)];
}

// ---- batch norm (and the per-channel kernels of group, instance and layer norm) ---------------

function channelStats(x: Tensor, P: number, Q: number, R: number): ChannelStats | null {
  if (!isF32(x) || P * Q * R < MIN_ELEMENTS) return null;
  const mean = new Float64Array(Q), vr = new Float64Array(Q);
  addon!.channelStats(elements(x)!, mean, vr, P, Q, R);
  return { mean, var: vr };
}

function channelAffine(x: Tensor, P: number, Q: number, R: number, scale: Float64Array, shift: Float64Array,
  colScale: ArrayLike<number> | null, colShift: ArrayLike<number> | null): Tensor | null {
  if (!isF32(x) || colScale || colShift || P * Q * R < MIN_ELEMENTS) return null;
  const y = empty(float32, P * Q * R) as Float32Array;
  addon!.channelAffine(elements(x)!, y, scale, shift, P, Q, R);
  return Tensor.fromStorage(y, x._shape, float32);
}

function batchNormBackward(g: Tensor, x: Tensor, w: Tensor | null, mean: Float64Array, invstd: Float64Array, train: boolean,
  needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null {
  const n = x.numel(), [N, C] = x._shape as [number, number];
  if (!isF32(g) || !isF32(x) || (w && !isF32(w)) || n < MIN_ELEMENTS || !sameShape(g._shape, x._shape)) return null;
  const gx = needs[0] ? empty(float32, n) as Float32Array : null;
  const gw = needs[1] ? new Float32Array(C) : null, gb = needs[2] ? new Float32Array(C) : null;
  addon!.batchNormBackward(elements(g)!, elements(x)!, elements(w), mean, invstd, gx, gw, gb, N, C, n / (N * C), +train);
  const t = (a: Float32Array | null, shape: readonly number[]) => a && Tensor.fromStorage(a, shape, float32);
  return [t(gx, x._shape), t(gw, [C]), t(gb, [C])];
}

// ---- gather, scatter, index_add -----------------------------------------------------------------

const indexGeo = new Float64Array(3 + 3 * 8);
/** The index geometry (nd, d, size, index's shape, then each operand's strides), or false when
 *  the kernels cannot take these operands (float32 values, contiguous int64 indices, 1 to 8 dims). */
function setIndexGeo(values: (Tensor | null)[], index: Tensor, d: number, size: number, strides: (readonly number[])[]): boolean {
  const nd = index.dim();
  if (nd < 1 || nd > 8 || index.dtype !== int64 || !dense(index) || values.some((t) => t !== null && (!isF32(t) || t.dim() !== nd))) return false;
  indexGeo.set([nd, d, size, ...index._shape, ...strides.flat()]);
  return true;
}
const int64Elements = (t: Tensor) => (t._storage.data as BigInt64Array).subarray(t._offset, t._offset + t.numel());

function gather(x: Tensor, d: number, index: Tensor): Tensor | null {
  const n = index.numel(), size = x._shape[d]!;
  if (n < MIN_ELEMENTS || !setIndexGeo([x], index, d, size, [x._strides])) return null;
  const y = empty(float32, n) as Float32Array;
  const bad = addon!.gather(f32(x).subarray(x._offset), int64Elements(index), y, indexGeo);
  if (bad >= 0) throw indexOutOfBounds(int64Elements(index)[bad]!, d, size);
  return Tensor.fromStorage(y, index._shape, float32);
}

function scatter(x: Tensor, d: number, index: Tensor, src: Tensor | number, add: boolean): Tensor | null {
  const n = index.numel(), size = x._shape[d]!, s = src instanceof Tensor ? src : null;
  if (n < MIN_ELEMENTS || !setIndexGeo([x, s], index, d, size, [contiguousStrides(x._shape), s ? s._strides : []])) return null;
  const out = Tensor.fromStorage(empty(float32, x.numel()) as Float32Array, x._shape, float32);
  if (!copyInto(out, x)) return null;
  const bad = addon!.scatter(f32(out), int64Elements(index), s && f32(s).subarray(s._offset), s ? 0 : src as number, +add, indexGeo);
  if (bad >= 0) throw indexOutOfBounds(int64Elements(index)[bad]!, d, size);
  return out;
}

function indexSelect(x: Tensor, d: number, idx: ArrayLike<number>): Tensor | null {
  const shape = x._shape.slice(), pre = numel(shape.slice(0, d)), post = numel(shape.slice(d + 1)), size = shape[d]!;
  if (!dense(x) || pre * idx.length * post < MIN_ELEMENTS) return null;
  shape[d] = idx.length;
  const ix = idx instanceof Float64Array ? idx : Float64Array.from(idx), data = x._storage.data as unknown as { subarray(a: number, b: number): Storage };
  const y = empty(x.dtype, numel(shape));
  addon!.indexSelect(data.subarray(x._offset, x._offset + x.numel()), y, ix, pre, size, ix.length, post * x.dtype.itemsize);
  return Tensor.fromStorage(y, shape, x.dtype);
}

function indexAdd(out: Tensor, d: number, idx: ArrayLike<number>, source: Tensor): boolean {
  if (!isF32(out) || !isF32(source) || !dense(out) || !dense(source) || source.numel() < MIN_ELEMENTS) return false;
  const shape = out._shape, pre = numel(shape.slice(0, d)), post = numel(shape.slice(d + 1));
  const ix = idx instanceof Float64Array ? idx : Float64Array.from(idx);
  addon!.indexAdd(elements(out)!, ix, elements(source)!, pre, shape[d]!, ix.length, post);
  return true;
}

const REDUCE_CODE: Partial<Record<ReduceKind, number>> = { sum: 0, max: 1, min: 2 };

function sumSquares(x: Tensor): number | null {
  return isF32(x) && dense(x) && x.numel() >= MIN_ELEMENTS ? addon!.sumSquares(f32(x), x._offset, x.numel()) : null;
}

/** sum, max or min of a contiguous float32 x over consecutive `dims` (empty: all), kept as size 1. */
function reduce(x: Tensor, dims: readonly number[], kind: ReduceKind, d: DType): Tensor | null {
  const code = REDUCE_CODE[kind], shape = x._shape, n = x.numel();
  if (code === undefined || !isF32(x) || d !== float32 || !dense(x) || n < MIN_ELEMENTS) return null;
  const red = dims.length ? [...dims].sort((p, q) => p - q) : shape.map((_, i) => i);
  if (red.some((r, i) => i > 0 && r !== red[i - 1]! + 1)) return null;
  const first = red[0] ?? 0, last = red[red.length - 1] ?? -1;
  const O = numel(shape.slice(0, first)), R = numel(shape.slice(first, last + 1)), I = numel(shape.slice(last + 1));
  if (R === 0) return null; // (the reference knows the identities and the errors)
  const y = empty(float32, O * I) as Float32Array;
  addon!.reduce(code, f32(x), x._offset, y, O, R, I);
  return Tensor.fromStorage(y, shape.map((s, i) => (i >= first && i <= last ? 1 : s)), float32);
}

/** softmax or log_softmax of a contiguous float32 x along its last dim (or one followed only by
 *  size-1 dims). */
function softmax(x: Tensor, dim: number, log: boolean): Tensor | null {
  const shape = x._shape, n = x.numel(), len = shape[dim]!;
  if (!isF32(x) || !dense(x) || n < MIN_ELEMENTS || shape.slice(dim + 1).some((s) => s !== 1)) return null;
  const y = empty(float32, n) as Float32Array;
  addon!.softmax(f32(x), x._offset, y, n / len, len, +log);
  return Tensor.fromStorage(y, shape, float32);
}

function softmaxBackward(g: Tensor, y: Tensor, dim: number, log: boolean, reuse = false): Tensor | null {
  const shape = y._shape, n = y.numel(), len = shape[dim]!;
  if (!isF32(g) || !isF32(y) || !dense(y) || n < MIN_ELEMENTS || shape.slice(dim + 1).some((s) => s !== 1) || !sameShape(g._shape, shape)) return null;
  // (written over g where the caller may give it: a large gradient spared a fresh buffer)
  const over = reuse && dense(g), gx = over ? elements(g)! : empty(float32, n) as Float32Array;
  addon!.softmaxBackward(elements(g)!, elements(y)!, gx, n / len, len, +log);
  return over ? g : Tensor.fromStorage(gx, shape, float32);
}

function logSoftmaxBackwardOnehot(y: Tensor, cols: Int32Array, vals: Float32Array): Tensor | null {
  const n = y.numel(), rows = cols.length;
  if (!isF32(y) || !dense(y) || n < MIN_ELEMENTS || rows === 0 || vals.length !== rows || n % rows !== 0) return null;
  const gx = empty(float32, n) as Float32Array;
  addon!.logSoftmaxBackwardOnehot(elements(y)!, cols, vals, gx, rows, n / rows);
  return Tensor.fromStorage(gx, y._shape, float32);
}

/** The elements of contiguous float32 tensors of n elements each, or null when one is not. */
function denseF32(ts: (Tensor | null)[], n: number): (Float32Array | null)[] | null {
  if (n < MIN_ELEMENTS || ts.some((t) => t !== null && (!isF32(t) || !dense(t) || t.numel() !== n))) return null;
  return ts.map((t) => t && (t._offset === 0 && f32(t).length === n ? f32(t) : f32(t).subarray(t._offset, t._offset + n)));
}

function adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean {
  const n = p.numel(), a = denseF32([p, g, m, v, vmax], n);
  if (!a) return false;
  addon!.adam(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, n, +s.maximize, +s.weightDecay, +s.decoupled, +s.small,
    s.decay, s.wds, s.coeff, s.b2, s.omb2, s.bc2, s.eps, s.negStep);
  return true;
}

function sgd(p: Tensor, g: Tensor, buf: Tensor | null, s: SgdStep): boolean {
  const n = p.numel(), a = denseF32([p, g, buf], n);
  if (!a) return false;
  addon!.sgd(a[0]!, a[1]!, a[2]!, n, +s.maximize, +s.weightDecay, +s.first, +s.nesterov, s.wds, s.negLr, s.mom, s.omd);
  return true;
}

function adadelta(p: Tensor, g: Tensor, squareAvg: Tensor, accDelta: Tensor, s: AdadeltaStep): boolean {
  const n = p.numel(), a = denseF32([p, g, squareAvg, accDelta], n);
  if (!a) return false;
  addon!.adadelta(a[0]!, a[1]!, a[2]!, a[3]!, n, +s.maximize, +s.weightDecay, s.wds, s.rho, s.omr, s.eps, s.negLr);
  return true;
}

// ---- random numbers (Note [Fast samplers] in core/random.ts) -------------------------------------

function uniform(out: Storage, d: DType, from: number, to: number, mt: Uint32Array, pos: Int32Array): boolean {
  if ((d !== float32 && d !== float64) || out.length < MIN_ELEMENTS) return false;
  addon!.uniform(mt, pos, out as Float32Array | Float64Array, out.length, +(d === float64), from, to);
  return true;
}

function normal(out: Storage, d: DType, mean: number, std: number, mt: Uint32Array, pos: Int32Array): boolean {
  if ((d !== float32 && d !== float64) || out.length < MIN_ELEMENTS) return false;
  addon!.normal(mt, pos, out as Float32Array | Float64Array, out.length, +(d === float64), mean, std);
  return true;
}

function bernoulli(out: Storage, d: DType, p: number, mt: Uint32Array, pos: Int32Array): boolean {
  if ((d !== float32 && d !== float64) || out.length < MIN_ELEMENTS) return false;
  addon!.bernoulli(mt, pos, out as Float32Array | Float64Array, out.length, +(d === float64), p);
  return true;
}

/** torch's memory counters for the CPU: bytes in use, cached, and the peak in use. */
export function nativeMemoryStats(): { allocated: number; cached: number; peak: number } | null {
  if (!addon) return null;
  const [allocated, cached, peak] = addon.stats();
  return { allocated, cached, peak };
}
/** Returns the cached blocks to the system. */
export function nativeEmptyCache(): void { addon?.emptyCache(); }

export const nativeBackend: Backend = {
  name: "native",
  available: () => addon !== null,
  capability: () => addon?.capability ?? "DEFAULT",
  allocate: (d, n, zero) => (n * d.itemsize >= MIN_NATIVE_BYTES ? cached(d, n, zero) : null),
  free: (s) => s.byteLength >= MIN_NATIVE_BYTES && addon!.free(s),
  setNumThreads: (n) => addon?.setNumThreads(n),
  unary, unaryInto, binary, binaryInto, where, copyInto, reduce, sumSquares, bmm, addmm, softmax, softmaxBackward, logSoftmaxBackwardOnehot,
  conv2d, conv2dInputGrad, conv2dWeightGrad, maxPool2d, maxPool2dBackward, avgPool2d, avgPool2dBackward,
  layerNorm, layerNormBackward,
  lstmCell, lstmCellBackward, lstmLayer, lstmLayerBackward, gruCell, gruCellBackward,
  channelStats, channelAffine, batchNormBackward, gather, scatter, indexSelect, indexAdd,
  adam, sgd, adadelta,
  uniform, normal, bernoulli,
};
