// The backend interface: the small, closed set of primitive kernels that ops call (shared/DESIGN.md
// principle 3), implemented once per backend folder:
//
//   ts/      the reference: every kernel for every dtype, the oracle the others are tested against
//   wasm/    WebAssembly SIMD kernels (browsers, and Node without the native build)
//   native/  C kernels through Node-API on native memory (Node)
//   webgpu/  WGSL kernels for tensors on the WebGPU device, in its memory (Note [Device fallback]
//            in webgpu/index.ts: what it declines runs the reference through the CPU)
//
// Note [Declining kernels]: a fast backend implements the kernels it has and declines the rest by
// returning null (or false for the in-place ones): another dtype, a layout it does not handle, a
// size too small to pay for the call. The dispatcher (./index.ts) then runs the reference kernel.
// Backends never call each other, and nothing outside backends/ knows which one runs.

import type { Tensor } from "../core/tensor.js";
import type { DType, Storage } from "../core/dtype.js";
import type { Shape } from "../core/shape.js";
import type { FastSamplers } from "../core/random.js";

export type BackendName = "native" | "wasm" | "ts";

/** The reductions every backend knows (argmax/argmin give int64 positions along the block). */
export type ReduceKind = "sum" | "prod" | "max" | "min" | "argmax" | "argmin" | "any" | "all";

/** The geometry of a 2-d convolution (or of im2col's windows) on one image. */
export interface Window2d {
  H: number; W: number; kh: number; kw: number; sh: number; sw: number;
  ph: number; pw: number; dh: number; dw: number; oh: number; ow: number;
}

/** Pooling windows along one axis: output i covers input positions [start[i], end[i]) with the
 *  given step (the dilation). Fixed and adaptive pooling both reduce to these. */
export interface AxisWindows { start: Int32Array; end: Int32Array; step: number }

/** The scalars of one Adam/AdamW step, as src/optim/adam.ts computes them (rounded to float32). */
export interface AdamStep {
  maximize: boolean; weightDecay: boolean; decoupled: boolean; small: boolean;
  decay: number; wds: number; coeff: number; b2: number; omb2: number; bc2: number; eps: number; negStep: number;
}

/** The scalars of one SGD step, as src/optim/sgd.ts computes them (rounded to float32). */
export interface SgdStep {
  maximize: boolean; weightDecay: boolean; nesterov: boolean; first: boolean;
  wds: number; negLr: number; mom: number; omd: number;
}

/** The scalars of one Adadelta step, as src/optim/adadelta.ts computes them (rounded to float32). */
export interface AdadeltaStep { maximize: boolean; weightDecay: boolean; wds: number; rho: number; omr: number; eps: number; negLr: number }

/** The LSTM cell's pointwise part, fused: the new states and what its backward reads. */
export interface LstmCellResult { hy: Tensor; cy: Tensor; act: Tensor; tcy: Tensor }

/** An LSTM layer's recurrence, fused: its outputs hs, the cell states cs [T, N, H], and what its
 *  backward reads (the gates' activations act [T, N, 4H] and tanh(cs) tcy). */
export interface LstmLayerResult { hs: Tensor; cs: Tensor; act: Tensor; tcy: Tensor }

/** The GRU cell's pointwise part, fused: the new state and what its backward reads (act [N, 4H]:
 *  the r, z, n gates and the n part of the hidden gates). */
export interface GruCellResult { hy: Tensor; act: Tensor }

/** Per-channel statistics, float64: the mean and the biased variance. */
export interface ChannelStats { mean: Float64Array; var: Float64Array }

/** Layer norm's output with the statistics its backward reads: a mean and a reciprocal standard
 *  deviation per row, as tensors [M] where the backend keeps them (the CPU's in float64, the
 *  GPU's in float32 on the device, so its backward reads nothing back). */
export interface LayerNormResult { y: Tensor; mean: Tensor; rstd: Tensor }

/**
 * The kernels of one backend. Elementwise ops are named by their op (`op`: "add", "exp", … as in
 * src/ops/elementwise.ts); every tensor argument is a strided view, read through its strides.
 * Results are new contiguous tensors. Each kernel may decline (Note [Declining kernels]). The
 * samplers (uniform, normal) draw from a Generator's state (Note [Fast samplers] in core/random.ts).
 */
export interface Backend extends FastSamplers {
  readonly name: BackendName;
  /** Whether it can run here (the WebAssembly engine needs SIMD, the native one its build). */
  available(): boolean;
  /** torch.backends.cpu.get_cpu_capability(): "AVX512", "AVX2", "NEON", "DEFAULT", "WASM_SIMD". */
  capability(): string;
  /** A storage array of n elements of dtype d, zero-filled unless `zero` is false (the caller
   *  writes every element), from the backend's own memory; null to let the platform allocate it
   *  (small arrays, dtypes it does not keep). */
  allocate(d: DType, n: number, zero: boolean): Storage | null;
  /** Hands an array allocate() made back to the backend's memory now, for the next allocation
   *  (Note [Freeing consumed gradients] in autograd/engine.ts); false for any other array. The
   *  caller guarantees that nothing uses the array again. Optional: memory the garbage collector
   *  owns cannot be handed back. */
  free?(s: Storage): boolean;
  /** torch.set_num_threads / get_num_threads: threads the kernels may use, the caller included. */
  setNumThreads(n: number): void;

  /** y = op(x), dtype d; `params`: the numbers of the ops that take some (clamp's bounds). */
  unary(op: string, x: Tensor, d: DType, params?: readonly number[]): Tensor | null;
  /** y = op(a, b) with a, b broadcast to `shape`, dtype d (bool for comparisons); `params` as
   *  unary's ("add_alpha": a + params[0]·b, in float64 as the reference). */
  binary(op: string, a: Tensor, b: Tensor, d: DType, shape: Shape, params?: readonly number[]): Tensor | null;
  /** out ← op(a, b, params) with a, b broadcast to out's shape, written into out's own elements
   *  (Note [Writing in place] in src/ops/elementwise.ts); false where the backend cannot. Optional:
   *  a backend without it is asked for a new tensor, which the caller copies back. */
  binaryInto?(op: string, a: Tensor, b: Tensor, out: Tensor, params?: readonly number[]): boolean;
  /** out ← op(x), x of out's shape, written into out's own elements (x may be out itself); false
   *  where the backend cannot. Optional, as binaryInto. */
  unaryInto?(op: string, x: Tensor, out: Tensor): boolean;
  /** torch.where(c, a, b), broadcast to `shape`. */
  where(c: Tensor, a: Tensor, b: Tensor, d: DType, shape: Shape): Tensor | null;
  /** Copies src, broadcast to dst's shape and cast to dst's dtype, into dst's elements. */
  copyInto(dst: Tensor, src: Tensor): boolean;
  /** Reduces over `dims` (normalised; empty: all), keeping them as size 1. */
  reduce(x: Tensor, dims: readonly number[], kind: ReduceKind, d: DType): Tensor | null;
  /** [B, n, k] @ [B, k, m] (any strides, stride 0 on a broadcast batch) into a new [B, n, m]. */
  bmm(a: Tensor, b: Tensor, d: DType): Tensor | null;
  /** input + a @ b for a [M, K], b [K, N] and input broadcast to [M, N] (addmm with beta = alpha =
   *  1: the product added onto the input, as BLAS's beta = 1). Optional: the dispatcher adds the
   *  input to bmm's product where a backend lacks it. */
  addmm?(input: Tensor, a: Tensor, b: Tensor): Tensor | null;
  /** The sum of the squares of all of x's elements, in float64 (the 2-norm's, as the reference
   *  sums them). Optional: vector_norm sums them itself where a backend lacks it. */
  sumSquares?(x: Tensor): number | null;
  /** softmax or log_softmax along dim. */
  softmax(x: Tensor, dim: number, log: boolean): Tensor | null;
  /** Their gradient along dim from the output's gradient g and the output y; reuse: g is the
   *  caller's alone (ownsGradient in autograd/engine.ts), so the result may be written over it. */
  softmaxBackward(g: Tensor, y: Tensor, dim: number, log: boolean, reuse?: boolean): Tensor | null;
  /** log_softmax's gradient along the last dim of y [rows, len] (its output) from a gradient that
   *  is vals[r] at column cols[r] of row r and zero elsewhere (none where cols[r] < 0): nll_loss's,
   *  never written out (Note [Fused backward pairs] in autograd/engine.ts). The same numbers as
   *  softmaxBackward of that gradient. Optional: the pair then runs as two formulas. */
  logSoftmaxBackwardOnehot?(y: Tensor, cols: Int32Array, vals: Float32Array): Tensor | null;

  /** conv2d of x [N, C, H, W] by w [O, C, kh, kw] (+ bias [O]): [N, O, oh, ow]. */
  conv2d(x: Tensor, w: Tensor, bias: Tensor | null, g: Window2d): Tensor | null;
  /** conv2d's gradient with respect to x [N, C, H, W]. */
  conv2dInputGrad(w: Tensor, gy: Tensor, C: number, g: Window2d): Tensor | null;
  /** conv2d's gradients with respect to w [O, C, kh, kw] and (when wanted) its bias. */
  conv2dWeightGrad(x: Tensor, gy: Tensor, O: number, g: Window2d, wantBias: boolean): [Tensor, Tensor | null] | null;
  /** Max pooling of x seen as [P, H, W]: the result (of `shape`) and each maximum's flat position
   *  in its plane, as a contiguous int32 tensor of `shape` on x's device (ops make it int64). */
  maxPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, shape: Shape): [Tensor, Tensor] | null;
  /** maxPool2d's adjoint: g [P, L] added into positions idx (maxPool2d's int32 tensor) of a zero
   *  [P, HW] (of `shape`). */
  maxPool2dBackward(g: Tensor, idx: Tensor, P: number, HW: number, shape: Shape): Tensor | null;

  /** Average pooling of x seen as [P, H, W] over windows (step 1): each window's sum divided by
   *  div[y·ow + z] (an empty window gives 0), a result of `shape`. */
  avgPool2d(x: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape): Tensor | null;
  /** Its adjoint: each g[p, y, z] / div spread over its window of a zero [P, H, W] (of `shape`). */
  avgPool2dBackward(g: Tensor, P: number, H: number, W: number, hw: AxisWindows, ww: AxisWindows, div: Float64Array, shape: Shape): Tensor | null;

  /** Layer norm of the rows of x seen as [M, K], with the affine w, b [K] when given. */
  layerNorm(x: Tensor, M: number, K: number, w: Tensor | null, b: Tensor | null, eps: number): LayerNormResult | null;
  /** Its backward: the gradients of x, w and b (each when wanted). */
  layerNormBackward(g: Tensor, x: Tensor, w: Tensor | null, saved: LayerNormResult, needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null;
  /** The LSTM cell from its gate pre-activations gates [N, 4H] (i, f, g, o) and cell state c
   *  [N, H]: hy = σ(o)·tanh(cy), cy = σ(f)·c + σ(i)·tanh(g), with the gates' activations (act) and
   *  tanh(cy) (tcy) for the backward. */
  lstmCell(gates: Tensor, c: Tensor): LstmCellResult | null;
  /** Its backward: the gradients of gates and c from those of hy and cy. */
  lstmCellBackward(ghy: Tensor, gcy: Tensor, c: Tensor, saved: LstmCellResult): [Tensor, Tensor] | null;
  /** A whole LSTM layer over T steps, each the hidden-hidden GEMM and the cell (Note [Fused LSTM
   *  layer] in nn/rnn.ts): gi [T, N, 4H] = x·W_ihᵀ + b_ih for every step (a fresh tensor, the
   *  kernel's to overwrite), w_hh [4H, H], b_hh [4H] or null, initial states h0, c0 [N, H];
   *  reverse walks from the last step. Optional: without it the layer runs step by step. */
  lstmLayer?(gi: Tensor, w_hh: Tensor, b_hh: Tensor | null, h0: Tensor, c0: Tensor, reverse: boolean): LstmLayerResult | null;
  /** Its backward, from the outputs' gradient gout [T, N, H] and the final states' gh, gc [N, H]:
   *  the gradients of the gate pre-activations [T, N, 4H], h0 and c0. */
  lstmLayerBackward?(gout: Tensor, gh: Tensor, gc: Tensor, c0: Tensor, w_hh: Tensor, saved: LstmLayerResult, reverse: boolean): [Tensor, Tensor, Tensor] | null;

  /** The GRU cell from its gate inputs gi = x·W_ihᵀ + b_ih and gh = h·W_hhᵀ + b_hh [N, 3H] (r, z,
   *  n) and state h [N, H]: hy = (h − n)·z + n with r = σ(ir + hr), z = σ(iz + hz),
   *  n = tanh(in + r·hn). */
  gruCell(gi: Tensor, gh: Tensor, h: Tensor): GruCellResult | null;
  /** Its backward: the gradients of gi, gh and h from that of hy. */
  gruCellBackward(ghy: Tensor, h: Tensor, saved: GruCellResult): [Tensor, Tensor, Tensor] | null;

  /** Mean and biased variance of each q of x seen as [P, Q, R] (batch norm's channels; group and
   *  layer norm's groups and rows). */
  channelStats(x: Tensor, P: number, Q: number, R: number): ChannelStats | null;
  /** y[p, q, r] = x[p, q, r]·scale[q] + shift[q], then ·colScale[r] + colShift[r] when given,
   *  in float64 rounded once; y has x's shape. */
  channelAffine(x: Tensor, P: number, Q: number, R: number, scale: Float64Array, shift: Float64Array,
    colScale: ArrayLike<number> | null, colShift: ArrayLike<number> | null): Tensor | null;
  /** batch_norm's backward over x, g [N, C, *] from the mean and 1/std per channel the forward
   *  used (train: the batch's, a function of x; else the running ones, constants): the gradients
   *  of x, w and b (each when wanted). */
  batchNormBackward(g: Tensor, x: Tensor, w: Tensor | null, mean: Float64Array, invstd: Float64Array, train: boolean,
    needs: readonly boolean[]): [Tensor | null, Tensor | null, Tensor | null] | null;

  /** torch.gather along d by an int64/int32 index (checked: indexOutOfBounds). */
  gather(x: Tensor, d: number, index: Tensor): Tensor | null;
  /** A copy of x with src's elements (or the number src) written (add: added) at index along d:
   *  scatter and scatter_add (checked: indexOutOfBounds; x is never changed). */
  scatter(x: Tensor, d: number, index: Tensor, src: Tensor | number, add: boolean): Tensor | null;
  /** The slices idx[k] (already checked) of x along d, in order (index_select, embedding), any dtype. */
  indexSelect(x: Tensor, d: number, idx: ArrayLike<number>): Tensor | null;
  /** out[…, idx[k], …] += source[…, k, …] along d, in place, for a contiguous out and source of one
   *  dtype; idx already checked (index_add's loop, scatter_add's order: the same sums). */
  indexAdd(out: Tensor, d: number, idx: ArrayLike<number>, source: Tensor): boolean;

  /** The fused optimizer steps: update p and the states in place. */
  adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean;
  sgd(p: Tensor, g: Tensor, buf: Tensor | null, s: SgdStep): boolean;
  adadelta(p: Tensor, g: Tensor, squareAvg: Tensor, accDelta: Tensor, s: AdadeltaStep): boolean;
}

/** The error of an index outside [0, size) along dim d met by gather or scatter, in PyTorch's
 *  words: the kernels raise it before writing anything. */
export function indexOutOfBounds(i: number | bigint, d: number, size: number): RangeError {
  return new RangeError(`index ${i} is out of bounds for dimension ${d} with size ${size}`);
}

/** The kernels alone: what a device's backend implements for tensors in its memory (webgpu/).
 *  Random numbers are drawn on the CPU for every device (Note [Fast samplers] in core/random.ts). */
export type Kernels = Omit<Backend, "name" | "available" | "capability" | "allocate" | "setNumThreads" | keyof FastSamplers>;
