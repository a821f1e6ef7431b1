// F.interpolate (nearest, nearest-exact, linear, bilinear, area), its deprecated aliases
// F.upsample / upsample_nearest / upsample_bilinear, and F.pixel_shuffle / pixel_unshuffle, as
// PyTorch 2.x computes them on the CPU (torch/nn/functional.py, aten/src/ATen/native/UpSample.h,
// cpu/UpSampleKernel.cpp, PixelShuffle.cpp).
//
// Note [Resampling as index maps]: every mode here resamples each spatial dim on its own. Nearest
// modes map each output position to one input position (a gather over separable index maps, whose
// adjoint is the scatter-add over the same maps); linear modes blend two gathers per dim with
// weights λ₀, λ₁ (applied one dim after the other, W first, so out = λ₀ₕ·(λ₀w·x₀₀ + λ₁w·x₀₁) +
// λ₁ₕ·(…) as PyTorch's kernel sums). Each op is one node under PyTorch's name
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

import { Tensor } from "../core/tensor.js";
import * as CK from "../backends/index.js";
import { record } from "../autograd/record.js";
import { tensor } from "./creation.js";
import { adaptive_avg_pool1d, adaptive_avg_pool2d } from "./pooling.js";
import { listStr, checkFloatKernel } from "./_nn_args.js";
import { formatPyFloat } from "../core/printing.js";
import { warnOnce } from "./util.js";
import "./elementwise.js";
import "./views.js";

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

/** One dim of a linear interpolation: the two input positions each output blends, and their weights. */
interface LinearAxis { i0: Int32Array; i1: Int32Array; l0: number[]; l1: number[] }

/** PyTorch's area_pixel_compute_scale, area_pixel_compute_source_index and
 *  compute_source_index_and_lambda for one dim, in opmath (the weights rounded to the dtype). */
function linearAxis(n: number, out: number, scale: number | null, align_corners: boolean, opmath: (v: number) => number): LinearAxis {
  const a: LinearAxis = { i0: new Int32Array(out), i1: new Int32Array(out), l0: new Array<number>(out), l1: new Array<number>(out) };
  const s = align_corners ? (out > 1 ? opmath((n - 1) / (out - 1)) : 0) : scalesValue(scale, n, out, opmath);
  for (let i = 0; i < out; i++) {
    if (out === n) { a.i0[i] = a.i1[i] = i; a.l0[i] = 1; a.l1[i] = 0; continue; }
    const real = align_corners ? opmath(s * i) : Math.max(opmath(opmath(s * opmath(i + 0.5)) - 0.5), 0);
    const i0 = Math.min(Math.floor(f32(real)), n - 1);
    const l1 = Math.min(Math.max(opmath(real - i0), 0), 1);
    a.i0[i] = i0;
    a.i1[i] = i0 + (i0 < n - 1 ? 1 : 0);
    a.l1[i] = l1;
    a.l0[i] = opmath(1 - l1);
  }
  return a;
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
  const y = r.forward(x.detach());
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

/** Linear resampling, one dim after the other (W first, then H), and its adjoint in reverse order. */
function linearResampling(name: string, inShape: number[], outShape: number[], axes: LinearAxis[]): Resampling {
  const P = inShape[0]! * inShape[1]!, k = axes.length;
  // the shape after resampling dims d, d+1, … (dims before d still at their input size)
  const shapeFrom = (d: number) => [...inShape.slice(0, 2 + d), ...outShape.slice(2 + d)];
  const weights = (x: Tensor, d: number, l: number[]) => {
    const shape = new Array<number>(k - d).fill(1);
    shape[0] = l.length;
    return tensor(l, { dtype: x.dtype, device: x.device }).view(shape);
  };
  // maps that gather (or scatter) dim d of a tensor of shape `from`'s spatial sizes by `m`
  const mapsFor = (from: number[], d: number, m: Int32Array) => from.slice(2).map((n, j) => (j === d ? m : identity(n)));
  return {
    name, inShape, outShape,
    forward: (x) => {
      let t = x;
      for (let d = k - 1; d >= 0; d--) {
        const from = shapeFrom(d + 1), to = shapeFrom(d), a = axes[d]!;
        const g0 = CK.gatherMaps(t, P, from.slice(2), mapsFor(from, d, a.i0), 0, to);
        const g1 = CK.gatherMaps(t, P, from.slice(2), mapsFor(from, d, a.i1), 0, to);
        t = g0.mul(weights(x, d, a.l0)).add(g1.mul(weights(x, d, a.l1)));
      }
      return t;
    },
    adjoint: (g) => {
      let t = g;
      for (let d = 0; d < k; d++) {
        const from = shapeFrom(d + 1), a = axes[d]!;
        const s0 = CK.scatterMaps(t.mul(weights(g, d, a.l0)), P, from.slice(2), mapsFor(from, d, a.i0), from);
        const s1 = CK.scatterMaps(t.mul(weights(g, d, a.l1)), P, from.slice(2), mapsFor(from, d, a.i1), from);
        t = s0.add(s1);
      }
      return t;
    },
  };
}

/** The checks of upsample_{1,2}d_common_check and the kernels' meta functions, in their order. */
function checkUpsample(x: Tensor, out: number[], kernel: string): void {
  const inSp = x.shape.slice(2);
  if (inSp.length === 1) {
    if (!(inSp[0]! > 0 && out[0]! > 0)) throw new Error(`Input and output sizes should be greater than 0, but got input (W: ${inSp[0]}) and output (W: ${out[0]})`);
  } else if (!(inSp.every((s) => s > 0) && out.every((s) => s > 0))) {
    throw new Error(`Input and output sizes should be greater than 0, but got input (H: ${inSp[0]}, W: ${inSp[1]}) output (H: ${out[0]}, W: ${out[1]})`);
  }
  if (x.numel() === 0 && x.shape.slice(1).some((s) => s === 0))
    throw new Error(`Non-empty ${x.ndim}D data tensor expected but got a tensor with sizes ${listStr(x.shape)}`);
  checkFloatKernel(x, kernel);
}

const opmathOf = (x: Tensor) => (x.dtype.name === "float32" ? f32 : ident);

/** PyTorch's is_contiguous(memory_format=channels_last) of a 4-d tensor: strides that step
 *  through C, then W, then H, then N densely (size-1 dims ignored). */
function isChannelsLast(x: Tensor): boolean {
  const st = x.stride();
  let expected = 1;
  for (const d of [1, 3, 2, 0]) {
    const n = x.shape[d]!;
    if (n === 1) continue;
    if (st[d] !== expected) return false;
    expected *= n;
  }
  return true;
}

/** upsample_nearest{1,2}d / _upsample_nearest_exact{1,2}d(input, output_size, scales). */
function upsampleNearest(x: Tensor, out: number[], scales: (number | null)[], exact: boolean): Tensor {
  const k = out.length, dname = `${k}D`;
  const kernel = k === 1 ? "compute_indices_weights_nearest" : "upsample_nearest2d_channels_last";
  checkUpsample(x, out, kernel);
  const inSp = x.shape.slice(2), opmath = opmathOf(x);
  const vectorized = k === 2 && ((isChannelsLast(x) && x.shape[1]! > 3) || out[0]! + out[1]! <= 128);
  const fwdRule: NearestRule = vectorized ? "idx" : "generic";
  const fwd = inSp.map((n, d) => nearestMap(n, out[d]!, scales[d]!, exact, fwdRule, opmath));
  const bwd = inSp.map((n, d) => nearestMap(n, out[d]!, scales[d]!, exact, "idx", opmath));
  const name = `UpsampleNearest${exact ? "Exact" : ""}${dname}Backward0`;
  return resampleOp(x, nearestResampling(name, x.shape.slice(), [...x.shape.slice(0, 2), ...out], fwd, bwd));
}

/** upsample_linear1d / upsample_bilinear2d(input, output_size, align_corners, scales). */
function upsampleLinear(x: Tensor, out: number[], align_corners: boolean, scales: (number | null)[]): Tensor {
  const k = out.length;
  checkUpsample(x, out, k === 1 ? "compute_indices_weights_linear" : "upsample_bilinear2d_channels_last");
  const opmath = opmathOf(x);
  const axes = x.shape.slice(2).map((n, d) => linearAxis(n, out[d]!, scales[d]!, align_corners, opmath));
  const name = k === 1 ? "UpsampleLinear1DBackward0" : "UpsampleBilinear2DBackward0";
  return resampleOp(x, linearResampling(name, x.shape.slice(), [...x.shape.slice(0, 2), ...out], axes));
}

// ---- F.interpolate ------------------------------------------------------------------------------

export type InterpolateMode = "nearest" | "linear" | "bilinear" | "bicubic" | "trilinear" | "area" | "nearest-exact";
type SizeArg = number | readonly number[] | null;

/** Python's repr of a list of numbers as a user wrote it (ints as ints). */
const pyList = (v: readonly number[]) => `[${v.map((x) => (Number.isInteger(x) ? String(x) : formatPyFloat(x))).join(", ")}]`;

/** Down/up-samples to `size` or by `scale_factor`: F.interpolate(input, size=null,
 *  scale_factor=null, mode="nearest", align_corners=null, recompute_scale_factor=null,
 *  antialias=false) on [N, C, L] or [N, C, H, W] input. Modes nearest, nearest-exact, linear (3-d),
 *  bilinear (4-d) and area. A scale factor that reaches the kernel (recompute_scale_factor not
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
  if (antialias && !((mode === "bilinear" || mode === "bicubic") && input.ndim === 4))
    throw new Error("Anti-alias option is restricted to bilinear, bicubic, and lanczos modes and requires a 4-D tensor as input");

  // the C++ ops' compute_output_size: a scale factor gives trunc(in · scale)
  const osize = () => outSize ?? scales!.map((s, i) => Math.trunc(spatial[i]! * s));
  const sc = () => (scales ?? new Array<number | null>(dim).fill(null)) as (number | null)[];
  const nd = input.ndim;
  if ((nd === 3 || nd === 4) && (mode === "nearest" || mode === "nearest-exact")) return upsampleNearest(input, osize(), sc(), mode === "nearest-exact");
  if (nd === 3 && mode === "area") return adaptive_avg_pool1d(input, outSize!);
  if (nd === 4 && mode === "area") return adaptive_avg_pool2d(input, outSize!);
  if (nd === 3 && mode === "linear") return upsampleLinear(input, osize(), align!, sc());
  if (nd === 4 && mode === "bilinear") {
    if (antialias) throw new Error("interpolate: antialias=True is not implemented in typetorch");
    return upsampleLinear(input, osize(), align!, sc());
  }
  if ((nd === 5 && (mode === "nearest" || mode === "nearest-exact" || mode === "area" || mode === "trilinear")) || (nd === 4 && mode === "bicubic"))
    throw new Error(`interpolate: mode '${mode}' on ${nd}D input is not implemented in typetorch`);
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
  const y = shuffled(input.detach(), r, true);
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
  const y = shuffled(input.detach(), r, false);
  return record("PixelUnshuffleBackward0", [input], y, ([g]) => [pixel_shuffle(g!, r)]);
}
