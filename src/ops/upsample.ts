// F.interpolate (nearest, nearest-exact, linear, bilinear, trilinear, bicubic, area; bilinear, bicubic and
// lanczos with antialias), its deprecated aliases
// F.upsample / upsample_nearest / upsample_bilinear, and F.pixel_shuffle / pixel_unshuffle, as
// PyTorch 2.x computes them on the CPU (torch/nn/functional.py, aten/src/ATen/native/UpSample.h,
// cpu/UpSampleKernel.cpp, PixelShuffle.cpp).
//
// Note [Resampling as index maps]: every mode here resamples each spatial dim on its own. Nearest
// modes map each output position to one input position (a gather over separable index maps, whose
// adjoint is the scatter-add over the same maps); linear modes blend two gathers per dim with
// weights λ₀, λ₁ (applied one dim after the other, W first, so out = λ₀ₕ·(λ₀w·x₀₀ + λ₁w·x₀₁) +
// λ₁ₕ·(…) as PyTorch's kernel sums; bicubic blends four, the antialiased modes as many as their
// filter reaches). Each op is one node under PyTorch's name
// (UpsampleBilinear2DBackward0 …) whose backward is the adjoint, recorded as PyTorch's
// …BackwardBackward0 node whose backward is the op again, so every order of derivative exists.
//
// Note [Nearest source index]: PyTorch computes the source index of output i in float32,
// floor(float(i · scale)) with scale = float(1 / scale_factor) when a scale factor reaches the
// kernel, else float(in / out), and clamps it to in − 1. Which kernel runs decides the details:
//   * 2-d outputs with oh + ow ≤ 128 or a channels-last input of more than 3 channels (2.x's
//     _use_vectorized_kernel_cond_2d: its channels-last kernel), and every backward, use
//     nearest_idx, which returns i when out = in and i >> 1 when out = 2·in whatever the scale;
//   * the generic kernel (1-d, and larger 2-d outputs) computes the scale in the input's own
//     precision (opmath: float32 for float32, double for float64) and rounds i · scale to float
//     only in floorf.
// So for a scale factor whose float reciprocal is not 1/2 (2.1 from 5 to 10) the two differ, and a
// 1-d nearest upsample's backward can read other positions than its forward: PyTorch's numbers,
// kept. 'nearest-exact' is floor((i + ½)·scale) the same two ways. Linear modes use
// area_pixel_compute_source_index and compute_source_index_and_lambda (an output as large as its
// input is a copy), in opmath, in forward and backward alike.
//
// Note [Antialiased resampling]: with antialias (bilinear, bicubic; lanczos always), PyTorch
// resamples as Pillow does (UpSampleKernel.cpp's upsample_separable_Nd_kernel_impl): each
// resized dim on its own, W first, output i reading the taps around center = scale·(i + ½) within
// `support` (half the filter's width, stretched by the scale when downsampling), weighted by the
// filter at (tap − center + ½)/max(scale, 1) and normalized to sum 1; an unchanged dim is left
// as it is. Scale, center, support and weights are computed in the input's dtype (float for
// float32). A linear mode's two weights are the two-tap case of the same blend.
//
// Note [Separable kernel's width-1 rows]: PyTorch's generic separable kernel (every antialiased
// float resampling, and the uint8 path's on more than 4 channels, where its AVX2 kernel does not
// run) reads the H pass's taps once per inner loop, taking that loop to run along W. When the
// output is one column wide and not channels-last (input.suggest_memory_format()) of more than one
// channel, TensorIterator runs it along H instead, so every output row blends with row 0's taps: each column holds its
// first value all the way down. The backward (its own kernel) is the adjoint of the true blend.
// PyTorch's numbers, kept: the forward uses row 0's taps for every row, the adjoint the true ones.
//
// Note [uint8 resampling]: on uint8 input, bilinear and bicubic (with antialias or without) and
// lanczos resample as Pillow does on 8-bit images (UpSampleKernel.cpp's
// compute_index_ranges_int16_weights, and the AVX2 kernels of UpSampleKernelAVXAntialias.h, which
// compute the same numbers): one dim's taps and weights are computed in double (the antialiased
// ones as above; without antialias the two or four taps of the float modes, those falling outside
// the input folded onto the edge ones: _compute_indices_min_size_weights, bicubic with a = −0.75),
// then scaled to int16 by 2^p, p the largest precision (below 22) that keeps the largest weight
// under 2^15 once doubled, and rounded half away from zero. Each pass, W first, then H, sums
// pixel·weight in int32 from 2^(p−1) (the rounding), shifts right by p and saturates to 0…255, so
// the intermediate image is uint8 too. PyTorch picks its AVX2 kernel or its generic loop by CPU and
// channel count; both compute this. (uint8 tensors cannot require grad, so no backward exists.)

import { Tensor } from "../core/tensor.js";
import * as CK from "../backends/index.js";
import { channels_last, channels_last_3d, suggestMemoryFormat } from "../core/memory_format.js";
import { asFormat } from "./views.js";
import { record } from "../autograd/record.js";
import { tensor } from "./creation.js";
import { adaptive_avg_pool1d, adaptive_avg_pool2d, adaptive_avg_pool3d } from "./pooling.js";
import { listStr, checkFloatKernel } from "./_nn_args.js";
import { int32, uint8 } from "../core/dtype.js";
import { formatPyFloat } from "../core/printing.js";
import { warnOnce, pyError } from "./util.js";
import "./elementwise.js";

// ---- index maps ---------------------------------------------------------------------------------

const f32 = Math.fround;
const ident = (v: number) => v;

/** PyTorch's compute_scales_value: 1 / scale when a scale factor reaches the kernel, else in / out,
 *  rounded by `cast` (float or double). */
const scalesValue = (scale: number | null, n: number, out: number, cast: (v: number) => number) =>
  scale !== null && scale > 0 ? cast(1 / scale) : cast(n / out);

type NearestRule = "idx" | "generic";

/** Note [Nearest source index]: the input position each of `out` positions reads. */
function nearestMap(n: number, out: number, scale: number | null, exact: boolean, rule: NearestRule, opmath: (v: number) => number): Int32Array {
  const m = new Int32Array(out);
  if (rule === "idx") {
    const s = scalesValue(scale, n, out, f32);
    for (let i = 0; i < out; i++) {
      const src = exact ? Math.floor(f32((i + 0.5) * s)) : out === n ? i : out === 2 * n ? i >> 1 : Math.floor(f32(i * s));
      m[i] = Math.min(src, n - 1);
    }
    return m;
  }
  const s = scalesValue(scale, n, out, opmath);
  for (let i = 0; i < out; i++) {
    let src: number;
    if (exact) {
      const real = Math.max(opmath(opmath(s * opmath(i + 0.5)) - 0.5), 0);
      src = Math.floor(f32(real + 0.5));
    } else src = Math.floor(f32(opmath(s * i)));
    m[i] = Math.min(src, n - 1);
  }
  return m;
}

/** A blend along one dim: output i is Σ_k w[k][i]·input[idx[k][i]] (taps in order), or null for a
 *  dim left as it is. With `precision` p, the weights are int16 scaled by 2^p and the pass rounds
 *  and saturates to uint8 (Note [uint8 resampling]). */
interface Taps { idx: Int32Array[]; w: number[][]; precision?: number }

/** PyTorch's area_pixel_compute_scale, area_pixel_compute_source_index and
 *  compute_source_index_and_lambda for one dim, in opmath (the weights rounded to the dtype). */
function linearAxis(n: number, out: number, scale: number | null, align_corners: boolean, opmath: (v: number) => number): Taps {
  const i0s = new Int32Array(out), i1s = new Int32Array(out), l0s = new Array<number>(out), l1s = new Array<number>(out);
  const s = align_corners ? (out > 1 ? opmath((n - 1) / (out - 1)) : 0) : scalesValue(scale, n, out, opmath);
  for (let i = 0; i < out; i++) {
    if (out === n) { i0s[i] = i1s[i] = i; l0s[i] = 1; l1s[i] = 0; continue; }
    const real = align_corners ? opmath(s * i) : Math.max(opmath(opmath(s * opmath(i + 0.5)) - 0.5), 0);
    const i0 = Math.min(Math.floor(f32(real)), n - 1);
    const l1 = Math.min(Math.max(opmath(real - i0), 0), 1);
    i0s[i] = i0;
    i1s[i] = i0 + (i0 < n - 1 ? 1 : 0);
    l1s[i] = l1;
    l0s[i] = opmath(1 - l1);
  }
  return { idx: [i0s, i1s], w: [l0s, l1s] };
}

/** Keys' cubic convolution kernel on [0, 1) and [1, 2) (UpSample.h's cubic_convolution1/2), in the
 *  dtype's precision. */
const cubic1 = (x: number, a: number, cast: (v: number) => number) => cast(cast(cast(cast((a + 2) * x) - (a + 3)) * x * x) + 1);
const cubic2 = (x: number, a: number, cast: (v: number) => number) => cast(cast(cast(cast(cast(a * x) - 5 * a) * x) + 8 * a) * x - 4 * a);

/** upsample_bicubic2d's taps for one dim (HelperInterpCubic::compute_indices_weights): the four
 *  inputs around area_pixel_compute_source_index (not clamped at 0: cubic), clamped to the
 *  input, weighted by get_cubic_upsample_coefficients (a = −0.75), in opmath. */
function cubicAxis(n: number, out: number, scale: number | null, align_corners: boolean, opmath: (v: number) => number): Taps {
  const idx = Array.from({ length: 4 }, () => new Int32Array(out)), w = Array.from({ length: 4 }, () => new Array<number>(out));
  const s = align_corners ? (out > 1 ? opmath((n - 1) / (out - 1)) : 0) : scalesValue(scale, n, out, opmath);
  const A = -0.75;
  for (let i = 0; i < out; i++) {
    const real = align_corners ? opmath(s * i) : opmath(opmath(s * opmath(i + 0.5)) - 0.5);
    // guard_index_and_lambda
    const i0 = Math.min(Math.floor(f32(real)), n - 1);
    const t = Math.min(Math.max(opmath(real - i0), 0), 1), t2 = opmath(1 - t);
    const coeffs = [cubic2(opmath(t + 1), A, opmath), cubic1(t, A, opmath), cubic1(t2, A, opmath), cubic2(opmath(t2 + 1), A, opmath)];
    for (let j = 0; j < 4; j++) {
      idx[j]![i] = Math.max(Math.min(i0 + j - 1, n - 1), 0);
      w[j]![i] = coeffs[j]!;
    }
  }
  return { idx, w };
}

/** The filters of the antialiased modes (Pillow's, as PyTorch takes them) and their widths in
 *  input positions at scale 1 (HelperInterpLinear / Cubic / Lanczos). */
interface AaFilter { size: number; fn: (x: number, cast: (v: number) => number) => number }
const sinc = (x: number, cast: (v: number) => number): number => {
  if (x === 0) return 1;
  const px = cast(x * cast(Math.PI));
  return cast(cast(Math.sin(px)) / px);
};
const AA_FILTERS: Record<"bilinear" | "bicubic" | "lanczos", AaFilter> = {
  bilinear: { size: 2, fn: (x) => (Math.abs(x) < 1 ? 1 - Math.abs(x) : 0) },
  // Keys' cubic convolution with a = −0.5 (Pillow's; the non-antialiased mode uses −0.75)
  bicubic: { size: 4, fn: (x, cast) => { const t = Math.abs(x); return t < 1 ? cubic1(t, -0.5, cast) : t < 2 ? cubic2(t, -0.5, cast) : 0; } },
  // Lanczos-3: sinc(x)·sinc(x/3) for |x| < 3
  lanczos: { size: 6, fn: (x, cast) => { const t = Math.abs(x); return t < 3 ? cast(sinc(t, cast) * sinc(cast(t / 3), cast)) : 0; } },
};

/** The taps of one antialiased dim (Note [Antialiased resampling]): _compute_index_ranges_weights
 *  and _compute_indices_min_size_weights_aa, in the dtype's precision (`cast`). */
function aaAxis(n: number, out: number, scale: number | null, align_corners: boolean, filter: AaFilter, cast: (v: number) => number): Taps {
  const s = align_corners ? (out > 1 ? cast((n - 1) / (out - 1)) : 0) : scalesValue(scale, n, out, cast);
  const support = s >= 1 ? cast(filter.size * 0.5 * s) : filter.size * 0.5;
  const taps = Math.ceil(support) * 2 + 1, invscale = s >= 1 ? cast(1 / s) : 1;
  const idx = Array.from({ length: taps }, () => new Int32Array(out)), w = Array.from({ length: taps }, () => new Array<number>(out).fill(0));
  for (let i = 0; i < out; i++) {
    const center = cast(s * (i + 0.5));
    const xmin = Math.max(Math.trunc(cast(center - support) + 0.5), 0);
    const xsize = Math.min(Math.max(Math.min(Math.trunc(cast(center + support) + 0.5), n) - xmin, 0), taps);
    const ws = new Array<number>(xsize);
    let total = 0;
    for (let j = 0; j < xsize; j++) {
      ws[j] = cast(filter.fn(cast((cast(j + xmin - center) + 0.5) * invscale), cast));
      total = cast(total + ws[j]!);
    }
    for (let j = 0; j < taps; j++) {
      // (taps past xsize read the last one with weight 0)
      idx[j]![i] = xmin + Math.min(j, Math.max(xsize - 1, 0));
      if (j < xsize && total !== 0) w[j]![i] = cast(ws[j]! / total);
    }
  }
  return { idx, w };
}

/** The uint8 path's taps without antialias (_compute_indices_min_size_weights, in double): the
 *  `size` (2 or 4) taps of the float modes around guard_index_and_lambda's index, those outside the
 *  input folded onto the first or last one inside; and the largest weight the running sums reach
 *  (what PyTorch scales by). */
function uint8PlainAxis(n: number, out: number, scale: number | null, align_corners: boolean, size: 2 | 4): { taps: Taps; wtMax: number } {
  const s = align_corners ? (out > 1 ? (n - 1) / (out - 1) : 0) : scalesValue(scale, n, out, ident);
  const support = size / 2, cubic = size === 4;
  const filter = cubic ? (x: number) => { const t = Math.abs(x); return t < 1 ? cubic1(t, -0.75, ident) : t < 2 ? cubic2(t, -0.75, ident) : 0; }
    : AA_FILTERS.bilinear.fn;
  const idx = Array.from({ length: size }, () => new Int32Array(out)), w = Array.from({ length: size }, () => new Array<number>(out).fill(0));
  let wtMax = 0;
  for (let i = 0; i < out; i++) {
    // area_pixel_compute_source_index (clamped at 0 unless cubic) and guard_index_and_lambda
    const real = align_corners ? s * i : cubic ? s * (i + 0.5) - 0.5 : Math.max(s * (i + 0.5) - 0.5, 0);
    const i0 = Math.min(Math.floor(f32(real)), n - 1), lambda = Math.min(Math.max(real - i0, 0), 1);
    const lo = i0 - support + 1, min = Math.max(lo, 0);
    const count = Math.min(Math.max(Math.min(i0 + support + 1, n) - min, 0), size);
    let k = 0;
    for (let j = 0; j < size; j++) {
      if (lo + j <= 0) k = 0;
      else if (lo + j >= n - 1) k = count - 1;
      w[k]![i] += filter(j + 1 - support - lambda, ident);
      wtMax = Math.max(wtMax, w[k]![i]!);
      k++;
    }
    for (let j = 0; j < size; j++) idx[j]![i] = min + Math.min(j, Math.max(count - 1, 0));
  }
  return { taps: { idx, w }, wtMax };
}

/** Weights in double scaled to int16 (_compute_index_ranges_int16_weights): the precision p, from
 *  the largest weight, and each weight·2^p rounded half away from zero, wrapped to int16. */
function int16Taps({ idx, w }: Taps, wtMax: number): Taps {
  let p = 0;
  for (; p < 22; p++) if (Math.trunc(0.5 + wtMax * 2 ** (p + 1)) >= 2 ** 15) break;
  const fixed = w.map((row) => row.map((v) => { const x = v * 2 ** p; return (Math.trunc(x < 0 ? x - 0.5 : x + 0.5) << 16) >> 16; }));
  return { idx, w: fixed, precision: p };
}

/** One dim's taps of the uint8 path (Note [uint8 resampling]). */
function uint8Axis(n: number, out: number, scale: number | null, align_corners: boolean, mode: "bilinear" | "bicubic" | "lanczos", antialias: boolean): Taps {
  if (antialias) {
    const taps = aaAxis(n, out, scale, align_corners, AA_FILTERS[mode], ident);
    return int16Taps(taps, taps.w.reduce((m, row) => row.reduce((a, v) => Math.max(a, v), m), 0));
  }
  const { taps, wtMax } = uint8PlainAxis(n, out, scale, align_corners, mode === "bicubic" ? 4 : 2);
  return int16Taps(taps, wtMax);
}

const identity = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

// ---- the ops ------------------------------------------------------------------------------------

/** A resampling of x [N, C, ...in] to [N, C, ...out]: the forward and its adjoint on detached
 *  tensors, and PyTorch's node name (Note [Resampling as index maps]). */
interface Resampling {
  name: string; inShape: number[]; outShape: number[];
  forward(x: Tensor): Tensor;
  adjoint(g: Tensor): Tensor;
}

function resampleOp(x: Tensor, r: Resampling): Tensor {
  // (the result in the input's memory format, as PyTorch's kernels write it; its gradient is
  // row-major, as theirs: Note [Memory formats])
  const y = asFormat(r.forward(x.detach()), suggestMemoryFormat(x._shape, x._strides));
  return record(r.name, [x], y, ([g]) => [resampleAdjointOp(g!, r)]);
}

function resampleAdjointOp(g: Tensor, r: Resampling): Tensor {
  const y = r.adjoint(g.detach());
  return record(r.name.replace(/Backward0$/, "BackwardBackward0"), [g], y, ([gg]) => [resampleOp(gg!, r)]);
}

/** Nearest resampling by per-dim forward maps; the backward scatters by its own maps (which
 *  PyTorch computes by another rule, Note [Nearest source index]). */
function nearestResampling(name: string, inShape: number[], outShape: number[], fwd: Int32Array[], bwd: Int32Array[]): Resampling {
  const P = inShape[0]! * inShape[1]!, inDims = inShape.slice(2);
  return {
    name, inShape, outShape,
    forward: (x) => CK.gatherMaps(x, P, inDims, fwd, 0, outShape),
    adjoint: (g) => CK.scatterMaps(g, P, inDims, bwd, inShape),
  };
}

/** A blend of taps along each dim, one dim after the other (W first, then H; a null dim is left as
 *  it is), and its adjoint in reverse order; the forward by `fwdAxes` where PyTorch's forward
 *  kernel blends otherwise than its backward (Note [Separable kernel's width-1 rows]). */
function tapsResampling(name: string, inShape: number[], outShape: number[], axes: (Taps | null)[], fwdAxes = axes): Resampling {
  const P = inShape[0]! * inShape[1]!, k = axes.length;
  // the shape after resampling dims d, d+1, … (dims before d still at their input size)
  const shapeFrom = (d: number) => [...inShape.slice(0, 2 + d), ...outShape.slice(2 + d)];
  const weights = (x: Tensor, d: number, l: number[], dtype = x.dtype) => {
    const shape = new Array<number>(k - d).fill(1);
    shape[0] = l.length;
    return tensor(l, { dtype, device: x.device }).view(shape);
  };
  // maps that gather (or scatter) dim d of a tensor of shape `from`'s spatial sizes by `m`
  const mapsFor = (from: number[], d: number, m: Int32Array) => from.slice(2).map((n, j) => (j === d ? m : identity(n)));
  return {
    name, inShape, outShape,
    forward: (x) => {
      let t = x;
      for (let d = k - 1; d >= 0; d--) {
        const from = shapeFrom(d + 1), to = shapeFrom(d), a = fwdAxes[d];
        if (!a) continue;
        const p = a.precision;
        let sum: Tensor | null = null;
        a.idx.forEach((m, j) => {
          const taken = CK.gatherMaps(t, P, from.slice(2), mapsFor(from, d, m), 0, to);
          const term = p === undefined ? taken.mul(weights(x, d, a.w[j]!)) : taken.to(int32).mul(weights(x, d, a.w[j]!, int32));
          sum = sum === null ? term : sum.add(term);
        });
        // Note [uint8 resampling]: round, shift and saturate each pass
        t = p === undefined ? sum! : sum!.add(2 ** (p - 1)).bitwise_right_shift(p).clamp(0, 255).to(uint8);
      }
      return t;
    },
    adjoint: (g) => {
      let t = g;
      for (let d = 0; d < k; d++) {
        const from = shapeFrom(d + 1), a = axes[d];
        if (!a) continue;
        let sum: Tensor | null = null;
        a.idx.forEach((m, j) => {
          const term = CK.scatterMaps(t.mul(weights(g, d, a.w[j]!)), P, from.slice(2), mapsFor(from, d, m), from);
          sum = sum === null ? term : sum.add(term);
        });
        t = sum!;
      }
      return t;
    },
  };
}

/** The checks of upsample_{1,2}d_common_check and the kernels' meta functions, in their order; then
 *  the dtype: float32 and float64, and uint8 where PyTorch has a uint8 path (`takesUint8`), else
 *  PyTorch's dispatch error naming the kernel the input reaches. */
function checkUpsample(x: Tensor, out: number[], kernel: string, takesUint8: boolean): void {
  const inSp = x.shape.slice(2);
  if (inSp.length === 1) {
    if (!(inSp[0]! > 0 && out[0]! > 0)) throw new Error(`Input and output sizes should be greater than 0, but got input (W: ${inSp[0]}) and output (W: ${out[0]})`);
  } else if (!(inSp.every((s) => s > 0) && out.every((s) => s > 0))) {
    const sizes = (v: number[]) => v.map((n, i) => `${"DHW"[3 - v.length + i]}: ${n}`).join(", ");
    throw new Error(`Input and output sizes should be greater than 0, but got input (${sizes(inSp)}) output (${sizes(out)})`);
  }
  if (x.numel() === 0 && x.shape.slice(1).some((s) => s === 0))
    throw new Error(`Non-empty ${x.ndim}D data tensor expected but got a tensor with sizes ${listStr(x.shape)}`);
  if (!(takesUint8 && x.dtype === uint8)) checkFloatKernel(x, kernel);
}

const opmathOf = (x: Tensor) => (x.dtype.name === "float32" ? f32 : ident);

/** _use_vectorized_kernel_cond_2d: whether a 2-d nearest or bilinear resampling takes PyTorch's
 *  channels-last kernel (a channels-last input of more than 3 channels, or a small output). */
const vectorized2d = (x: Tensor, out: number[]) => (x.is_contiguous({ memory_format: channels_last }) && x.shape[1]! > 3) || out[0]! + out[1]! <= 128;
/** Whether a nearest or linear resampling of `out` takes PyTorch's channels-last kernel: in 3-d, a
 *  channels_last_3d input of more than 3 channels only (a small output takes the generic kernel). */
const vectorized = (x: Tensor, out: number[]) =>
  (out.length === 2 && vectorized2d(x, out)) || (out.length === 3 && x.is_contiguous({ memory_format: channels_last_3d }) && x.shape[1]! > 3);

/** The H pass's taps as the generic separable kernel applies them (Note [Separable kernel's width-1
 *  rows]): row 0's for every row when the output is one column wide and not channels-last. */
function separableForward(x: Tensor, out: number[], axes: (Taps | null)[]): (Taps | null)[] {
  const h = axes[0];
  // (a channels-last output of one channel steps along H innermost too)
  if (!h || out[1] !== 1 || (suggestMemoryFormat(x._shape, x._strides) === channels_last && x.shape[1]! > 1)) return axes;
  return [{ ...h, idx: h.idx.map((m) => new Int32Array(m.length).fill(m[0]!)), w: h.w.map((l) => l.map(() => l[0]!)) }, axes[1]!];
}

/** upsample_nearest{1,2,3}d / _upsample_nearest_exact{1,2,3}d(input, output_size, scales). */
function upsampleNearest(x: Tensor, out: number[], scales: (number | null)[], exact: boolean): Tensor {
  const k = out.length, dname = `${k}D`;
  const cl = vectorized(x, out);
  checkUpsample(x, out, cl ? `upsample_nearest${k}d_channels_last` : "compute_indices_weights_nearest", true);
  const inSp = x.shape.slice(2), opmath = opmathOf(x);
  const fwdRule: NearestRule = cl ? "idx" : "generic";
  const fwd = inSp.map((n, d) => nearestMap(n, out[d]!, scales[d]!, exact, fwdRule, opmath));
  const bwd = inSp.map((n, d) => nearestMap(n, out[d]!, scales[d]!, exact, "idx", opmath));
  const name = `UpsampleNearest${exact ? "Exact" : ""}${dname}Backward0`;
  return resampleOp(x, nearestResampling(name, x.shape.slice(), [...x.shape.slice(0, 2), ...out], fwd, bwd));
}

/** upsample_linear1d / upsample_bilinear2d / upsample_trilinear3d(input, output_size, align_corners,
 *  scales); bilinear on uint8 by Note [uint8 resampling]. */
function upsampleLinear(x: Tensor, out: number[], align_corners: boolean, scales: (number | null)[]): Tensor {
  const k = out.length;
  checkUpsample(x, out, vectorized(x, out) ? `upsample_${["", "", "bi", "tri"][k]}linear${k}d_channels_last` : "compute_indices_weights_linear", k === 2);
  const opmath = opmathOf(x), inSp = x.shape.slice(2);
  const axes = x.dtype === uint8
    ? inSp.map((n, d) => (n === out[d] ? null : uint8Axis(n, out[d]!, scales[d]!, align_corners, "bilinear", false)))
    : inSp.map((n, d) => linearAxis(n, out[d]!, scales[d]!, align_corners, opmath));
  const name = ["", "UpsampleLinear1DBackward0", "UpsampleBilinear2DBackward0", "UpsampleTrilinear3DBackward0"][k]!;
  // uint8 on more than 4 channels: PyTorch's generic separable kernel
  const fwd = x.dtype === uint8 && x.shape[1]! > 4 ? separableForward(x, out, axes) : axes;
  return resampleOp(x, tapsResampling(name, x.shape.slice(), [...x.shape.slice(0, 2), ...out], axes, fwd));
}

/** upsample_bicubic2d(input, output_size, align_corners, scales); on uint8 by Note [uint8 resampling]. */
function upsampleBicubic(x: Tensor, out: number[], align_corners: boolean, scales: (number | null)[]): Tensor {
  checkUpsample(x, out, "compute_indices_weights_cubic", true);
  const opmath = opmathOf(x), inSp = x.shape.slice(2);
  const axes = x.dtype === uint8
    ? inSp.map((n, d) => (n === out[d] ? null : uint8Axis(n, out[d]!, scales[d]!, align_corners, "bicubic", false)))
    : inSp.map((n, d) => cubicAxis(n, out[d]!, scales[d]!, align_corners, opmath));
  const fwd = x.dtype === uint8 && x.shape[1]! > 4 ? separableForward(x, out, axes) : axes;
  return resampleOp(x, tapsResampling("UpsampleBicubic2DBackward0", x.shape.slice(), [...x.shape.slice(0, 2), ...out], axes, fwd));
}

/** _upsample_{bilinear,bicubic,lanczos}2d_aa(input, output_size, align_corners, scales)
 *  (Note [Antialiased resampling]; on uint8, Note [uint8 resampling]). */
function upsampleAntialiased(x: Tensor, out: number[], mode: "bilinear" | "bicubic" | "lanczos", align_corners: boolean, scales: (number | null)[]): Tensor {
  checkUpsample(x, out, "compute_index_ranges_weights", true);
  const cast = opmathOf(x), inSp = x.shape.slice(2);
  const axes = inSp.map((n, d) => (n === out[d] ? null : x.dtype === uint8
    ? uint8Axis(n, out[d]!, scales[d]!, align_corners, mode, true)
    : aaAxis(n, out[d]!, scales[d]!, align_corners, AA_FILTERS[mode], cast)));
  const name = `Upsample${mode[0]!.toUpperCase()}${mode.slice(1)}2DAaBackward0`;
  // PyTorch's generic separable kernel, but for uint8 on at most 4 channels (its AVX2 kernel)
  const fwd = x.dtype !== uint8 || x.shape[1]! > 4 ? separableForward(x, out, axes) : axes;
  return resampleOp(x, tapsResampling(name, x.shape.slice(), [...x.shape.slice(0, 2), ...out], axes, fwd));
}

// ---- F.interpolate ------------------------------------------------------------------------------

export type InterpolateMode = "nearest" | "linear" | "bilinear" | "bicubic" | "trilinear" | "area" | "nearest-exact" | "lanczos";
type SizeArg = number | readonly number[] | null;

/** Python's repr of a list of numbers as a user wrote it (ints as ints). */
const pyList = (v: readonly number[]) => `[${v.map((x) => (Number.isInteger(x) ? String(x) : formatPyFloat(x))).join(", ")}]`;

/** Down/up-samples to `size` or by `scale_factor`: F.interpolate(input, size=null,
 *  scale_factor=null, mode="nearest", align_corners=null, recompute_scale_factor=null,
 *  antialias=false) on [N, C, L], [N, C, H, W] or [N, C, D, H, W] input. Modes nearest, nearest-exact,
 *  linear (3-d), bilinear and bicubic (4-d), trilinear (5-d), area, and with antialias bilinear, bicubic and lanczos (4-d; lanczos
 *  only so). A scale factor that reaches the kernel (recompute_scale_factor not
 *  true) is the one the source indices are computed with, as PyTorch does. */
export function interpolate(input: Tensor, size: SizeArg = null, scale_factor: SizeArg = null, mode: InterpolateMode = "nearest",
  align_corners: boolean | null = null, recompute_scale_factor: boolean | null = null, antialias = false): Tensor {
  let align = align_corners;
  if (mode === "nearest" || mode === "area" || mode === "nearest-exact") {
    if (align !== null) throw new Error("align_corners option can only be set with the interpolating modes: linear | bilinear | bicubic | trilinear");
  } else align ??= false;
  const dim = input.ndim - 2, spatial = input.shape.slice(2);
  let outSize: number[] | null = null, scales: number[] | null = null;
  if (size !== null && scale_factor !== null) throw new Error("only one of size or scale_factor should be defined");
  if (size !== null) {
    if (typeof size !== "number") {
      if (size.length !== dim)
        throw new Error(`Input and output must have the same number of spatial dimensions, but got input with spatial dimensions of ${listStr(spatial)} and output size of ${pyList(size)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and output size in (o1, o2, ...,oK) format.`);
      if (!size.every((s) => Number.isInteger(s)))
        throw new Error(`expected size to be one of int or Tuple[int] or Tuple[int, int] or Tuple[int, int, int], but got size with types [${size.map((s) => (Number.isInteger(s) ? "<class 'int'>" : "<class 'float'>")).join(", ")}]`);
      outSize = size.slice();
    } else outSize = new Array<number>(Math.max(dim, 0)).fill(size);
  } else if (scale_factor !== null) {
    if (typeof scale_factor !== "number") {
      if (scale_factor.length !== dim)
        throw new Error(`Input and scale_factor must have the same number of spatial dimensions, but got input with spatial dimensions of ${listStr(spatial)} and scale_factor of shape ${pyList(scale_factor)}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.`);
      scales = scale_factor.slice();
    } else scales = new Array<number>(Math.max(dim, 0)).fill(scale_factor);
  } else throw new Error("either size or scale_factor should be defined");
  let recompute = recompute_scale_factor;
  if (recompute && size !== null) throw new Error("recompute_scale_factor is not meaningful with an explicit size.");
  if (mode === "area" && outSize === null) recompute = true;
  if (recompute) {
    outSize = scales!.map((s, i) => Math.floor(spatial[i]! * s));
    scales = null;
  }
  if (antialias && !((mode === "bilinear" || mode === "bicubic" || mode === "lanczos") && input.ndim === 4))
    throw new Error("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D tensor as input");

  // the C++ ops' compute_output_size: a scale factor gives trunc(in · scale)
  const osize = () => outSize ?? scales!.map((s, i) => Math.trunc(spatial[i]! * s));
  const sc = () => (scales ?? new Array<number | null>(dim).fill(null)) as (number | null)[];
  const nd = input.ndim;
  if ((nd === 3 || nd === 4) && (mode === "nearest" || mode === "nearest-exact")) return upsampleNearest(input, osize(), sc(), mode === "nearest-exact");
  if (nd === 3 && mode === "area") return adaptive_avg_pool1d(input, outSize!);
  if (nd === 5 && (mode === "nearest" || mode === "nearest-exact")) return upsampleNearest(input, osize(), sc(), mode === "nearest-exact");
  if (nd === 4 && mode === "area") return adaptive_avg_pool2d(input, outSize!);
  if (nd === 5 && mode === "area") return adaptive_avg_pool3d(input, outSize!);
  if (nd === 3 && mode === "linear") return upsampleLinear(input, osize(), align!, sc());
  if (nd === 5 && mode === "trilinear") return upsampleLinear(input, osize(), align!, sc());
  if (nd === 4 && mode === "bilinear") return antialias ? upsampleAntialiased(input, osize(), "bilinear", align!, sc()) : upsampleLinear(input, osize(), align!, sc());
  if (nd === 4 && mode === "bicubic") return antialias ? upsampleAntialiased(input, osize(), "bicubic", align!, sc()) : upsampleBicubic(input, osize(), align!, sc());
  if (nd === 4 && mode === "lanczos") {
    if (align) throw pyError("ValueError", "Lanczos mode does not support align_corners=True");
    if (!antialias) throw pyError("ValueError", "Lanczos mode requires antialias=True");
    return upsampleAntialiased(input, osize(), "lanczos", false, sc());
  }
  const needs: Record<string, number> = { linear: 3, bilinear: 4, trilinear: 5 };
  if ((nd === 3 || nd === 4 || nd === 5) && needs[mode] !== undefined && needs[mode] !== nd)
    throw new Error(`Got ${nd}D input, but ${mode} mode needs ${needs[mode]}D input`);
  throw new Error(`Input Error: Only 3D, 4D and 5D input Tensors supported (got ${nd}D) for the modes: nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact (got ${mode})`);
}

const deprecated = (name: string): void => warnOnce(`nn.functional.${name} is deprecated. Use nn.functional.interpolate instead.`);

/** F.upsample(input, size=null, scale_factor=null, mode="nearest", align_corners=null): deprecated
 *  F.interpolate (warns once). */
export function upsample(input: Tensor, size: SizeArg = null, scale_factor: SizeArg = null, mode: InterpolateMode = "nearest", align_corners: boolean | null = null): Tensor {
  deprecated("upsample");
  return interpolate(input, size, scale_factor, mode, align_corners);
}

/** F.upsample_nearest(input, size=null, scale_factor=null): deprecated interpolate(mode="nearest"). */
export function upsample_nearest(input: Tensor, size: SizeArg = null, scale_factor: SizeArg = null): Tensor {
  deprecated("upsample_nearest");
  return interpolate(input, size, scale_factor, "nearest");
}

/** F.upsample_bilinear(input, size=null, scale_factor=null): deprecated interpolate(mode="bilinear",
 *  align_corners=true). */
export function upsample_bilinear(input: Tensor, size: SizeArg = null, scale_factor: SizeArg = null): Tensor {
  deprecated("upsample_bilinear");
  return interpolate(input, size, scale_factor, "bilinear", true);
}

// ---- pixel shuffle ------------------------------------------------------------------------------

/** [*, C·r², H, W] → [*, C, H·r, W·r] (or back), as a fresh tensor: a reshape, a permute and a copy. */
function shuffled(x: Tensor, r: number, up: boolean): Tensor {
  const s = x.shape, lead = s.slice(0, -3), L = lead.length;
  const [c, h, w] = s.slice(-3) as [number, number, number];
  let y: Tensor;
  if (up) {
    const oc = c / (r * r);
    y = x.reshape([...lead, oc, r, r, h, w]).permute([...lead.keys(), L, L + 3, L + 1, L + 4, L + 2]).reshape([...lead, oc, h * r, w * r]);
  } else {
    const oh = h / r, ow = w / r;
    y = x.reshape([...lead, c, oh, r, ow, r]).permute([...lead.keys(), L, L + 2, L + 4, L + 1, L + 3]).reshape([...lead, c * r * r, oh, ow]);
  }
  // PyTorch's kernels write a new tensor even when the reshapes copy nothing (r = 1)
  return y._storage === x._storage ? y.clone() : y;
}

/** Rearranges [*, C·r², H, W] into [*, C, H·r, W·r]: F.pixel_shuffle(input, upscale_factor). */
export function pixel_shuffle(input: Tensor, upscale_factor: number | { upscale_factor: number }): Tensor {
  const r = typeof upscale_factor === "number" ? upscale_factor : upscale_factor.upscale_factor;
  if (input.ndim < 3) throw new Error(`pixel_shuffle expects input to have at least 3 dimensions, but got input with ${input.ndim} dimension(s)`);
  if (!(r > 0)) throw new Error(`pixel_shuffle expects a positive upscale_factor, but got ${r}`);
  const c = input.shape[input.ndim - 3]!;
  if (c % (r * r) !== 0)
    throw new Error(`pixel_shuffle expects its input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=${c} is not divisible by ${r * r}`);
  // (both shuffles keep the input's memory format, as PyTorch's kernels)
  const y = asFormat(shuffled(input.detach(), r, true), suggestMemoryFormat(input._shape, input._strides));
  return record("PixelShuffleBackward0", [input], y, ([g]) => [pixel_unshuffle(g!, r)]);
}

/** Rearranges [*, C, H·r, W·r] into [*, C·r², H, W], the inverse of pixel_shuffle:
 *  F.pixel_unshuffle(input, downscale_factor). */
export function pixel_unshuffle(input: Tensor, downscale_factor: number | { downscale_factor: number }): Tensor {
  const r = typeof downscale_factor === "number" ? downscale_factor : downscale_factor.downscale_factor;
  if (input.ndim < 3) throw new Error(`pixel_unshuffle expects input to have at least 3 dimensions, but got input with ${input.ndim} dimension(s)`);
  if (!(r > 0)) throw new Error(`pixel_unshuffle expects a positive downscale_factor, but got ${r}`);
  const h = input.shape[input.ndim - 2]!, w = input.shape[input.ndim - 1]!;
  if (h % r !== 0) throw new Error(`pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=${h} is not divisible by ${r}`);
  if (w % r !== 0) throw new Error(`pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=${w} is not divisible by ${r}`);
  const y = asFormat(shuffled(input.detach(), r, false), suggestMemoryFormat(input._shape, input._strides));
  return record("PixelUnshuffleBackward0", [input], y, ([g]) => [pixel_shuffle(g!, r)]);
}
