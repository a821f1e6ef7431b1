// Pooling: F.max_pool1d/2d, F.avg_pool1d/2d, F.adaptive_avg_pool1d/2d, F.adaptive_max_pool1d/2d
// (PyTorch 2.x's ATen kernels, grad_fn names and checks).
//
// Every 2-d pooling is a set of rectangular windows per output position, described per axis
// (CK.AxisWindows), so fixed and adaptive pooling share the kernels. Max pooling records the flat
// plane index of each maximum; its gradient scatters into those positions and the gradient of that
// scatter gathers from them. Average pooling's gradient is the transpose of the window mean, whose
// gradient is the window mean again. The 1-d forms are the 2-d ones on a unit-height view
// (unsqueeze(-2) … squeeze(-2)), as ATen writes them, so their grad_fn is SqueezeBackward1.

import { Tensor, int64 } from "../core/tensor.js";
import * as CK from "../backends/index.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { listStr, checkFloatKernel, type IntOrTuple } from "./_nn_args.js";
import { asFormat } from "./views.js";
import { type memory_format, suggestMemoryFormat } from "../core/memory_format.js";
import type { ValuesIndices } from "./reduce.js";
import { namedPair } from "./_helpers.js";
import { pyError } from "./util.js";
import { checkSizeNonNegative } from "../core/shape.js";

/** [out, indices] of the pooling functions that return indices (also `.values`, `.indices`). */
export type PoolWithIndices = ValuesIndices;

// ---- windows --------------------------------------------------------------------------------

/** PyTorch's pooling_output_shape, with its checks. */
function poolOutSize(size: number, k: number, pad: number, stride: number, dilation: number, ceil: boolean): number {
  if (stride === 0) throw new Error("stride should not be zero");
  if (pad < 0) throw new Error(`pad must be non-negative, but got pad: ${pad}`);
  if (pad > Math.trunc(((k - 1) * dilation + 1) / 2))
    throw new Error(`pad should be at most half of effective kernel size, but got pad=${pad}, kernel_size=${k} and dilation=${dilation}`);
  let out = Math.floor((size + 2 * pad - dilation * (k - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1;
  // with ceil_mode the last window must start inside the input or its left padding
  if (ceil && (out - 1) * stride >= size + pad) out--;
  return out;
}

/** Windows of a fixed-size pooling along one axis: position o covers o·s − p + j·d for taps j,
 *  clipped to the input (the first tap advanced by whole dilations, as PyTorch's kernel does). */
function fixedWindows(size: number, out: number, k: number, s: number, p: number, d: number): CK.AxisWindows {
  const start = new Int32Array(out), end = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    let a = o * s - p;
    const b = Math.min(a + (k - 1) * d + 1, size);
    while (a < 0) a += d;
    start[o] = a; end[o] = b;
  }
  return { start, end, step: d };
}

/** Windows of adaptive pooling: position o covers [⌊o·I/O⌋, ⌈(o+1)·I/O⌉). */
function adaptiveWindows(size: number, out: number): CK.AxisWindows {
  const start = new Int32Array(out), end = new Int32Array(out);
  for (let o = 0; o < out; o++) {
    start[o] = Math.floor((o * size) / out);
    end[o] = Math.ceil(((o + 1) * size) / out);
  }
  return { start, end, step: 1 };
}

/** An input of 3 or 4 dims as [P planes, H, W], and the output shape for [oh, ow] windows. */
function planes(x: Tensor, oh: number, ow: number): { P: number; H: number; W: number; outShape: number[] } {
  const nd = x.ndim, H = x.shape[nd - 2]!, W = x.shape[nd - 1]!;
  return { P: x.numel() / (H * W), H, W, outShape: [...x.shape.slice(0, nd - 2), oh, ow] };
}

// ---- the recorded ops -----------------------------------------------------------------------

// The results and gradients take the input's memory format, as PyTorch's CPU pooling kernels
// lay them out (Note [Memory formats]): `fmt`, decided by the forward's input.

/** Max over windows, recorded as `name`; indices are the flat plane positions of the maxima. */
function maxPoolOp(x: Tensor, hw: CK.AxisWindows, ww: CK.AxisWindows, name: string, wantIndices: boolean): PoolWithIndices | Tensor {
  const oh = hw.start.length, ow = ww.start.length, fmt = formatOf(x);
  const { P, H, W, outShape } = planes(x, oh, ow);
  const [y, idx] = CK.maxPool2d(x.detach(), P, H, W, hw, ww, outShape);
  const inShape = x.shape.slice();
  const out = record(name, [x], asFormat(y, fmt), ([g]) => [scatterOp(g!, idx, P, H * W, inShape, `${name.slice(0, -1)}Backward0`, fmt)]);
  return wantIndices ? namedPair(out, asFormat(CK.contiguousCopy(idx, int64), fmt)) : out;
}

/** The gradient of max pooling: g scattered into the maxima's positions of a zero input. */
function scatterOp(g: Tensor, idx: Tensor, P: number, HW: number, inShape: number[], name: string, fmt: memory_format): Tensor {
  const y = CK.scatterPlanes(g.detach(), idx, P, HW, inShape);
  const outShape = g.shape.slice();
  return record(name, [g], asFormat(y, fmt), ([gg]) => [gatherOp(gg!, idx, P, HW, outShape, name, fmt)]);
}

function gatherOp(x: Tensor, idx: Tensor, P: number, HW: number, outShape: number[], scatterName: string, fmt: memory_format): Tensor {
  const y = CK.gatherPlanes(x.detach(), idx, P, HW, outShape);
  const inShape = x.shape.slice();
  return record("GatherBackward0", [x], asFormat(y, fmt), ([g]) => [scatterOp(g!, idx, P, HW, inShape, scatterName, fmt)]);
}

/** Window means (divisors `div` per output position), recorded as `name`. */
function avgPoolOp(x: Tensor, hw: CK.AxisWindows, ww: CK.AxisWindows, div: Float64Array, name: string, fmt = formatOf(x)): Tensor {
  const { P, H, W, outShape } = planes(x, hw.start.length, ww.start.length);
  const y = CK.windowMean(x.detach(), P, H, W, hw, ww, div, outShape);
  const inShape = x.shape.slice();
  return record(name, [x], asFormat(y, fmt), ([g]) => [avgAdjointOp(g!, hw, ww, div, P, H, W, inShape, name, fmt)]);
}

function avgAdjointOp(g: Tensor, hw: CK.AxisWindows, ww: CK.AxisWindows, div: Float64Array, P: number, H: number, W: number, inShape: number[], name: string,
  fmt: memory_format): Tensor {
  const y = CK.windowMeanAdjoint(g.detach(), P, H, W, hw, ww, div, inShape);
  return record(`${name.slice(0, -1)}Backward0`, [g], asFormat(y, fmt), ([gg]) => [avgPoolOp(gg!, hw, ww, div, name, fmt)]);
}

const formatOf = (x: Tensor): memory_format => suggestMemoryFormat(x._shape, x._strides);

// ---- argument checks ------------------------------------------------------------------------

/** An int or 1 or 2 ints as a pair; errors name the op as PyTorch's meta functions do. */
function pairArg(v: IntOrTuple, op: string, what: string, wording: string): number[] {
  const a = typeof v === "number" ? [v] : v;
  if (a.length !== 1 && a.length !== 2) throw new Error(`${op}: ${what} must ${wording}`);
  return a.length === 1 ? [a[0]!, a[0]!] : a.slice();
}

/** pool2d_shape_check (ATen Pool.h), after the output sizes are known. */
function pool2dShapeCheck(x: Tensor, k: number[], s: number[], p: number[], d: number[], oh: number, ow: number): void {
  if (!(k[0]! > 0 && k[1]! > 0)) throw new Error(`kernel size should be greater than zero, but got kH: ${k[0]} kW: ${k[1]}`);
  if (!(s[0]! > 0 && s[1]! > 0)) throw new Error(`stride should be greater than zero, but got dH: ${s[0]} dW: ${s[1]}`);
  if (!(d[0]! > 0 && d[1]! > 0)) throw new Error(`dilation should be greater than zero, but got dilationH: ${d[0]} dilationW: ${d[1]}`);
  const nd = x.ndim, validDims = x.shape[1] !== 0 && x.shape[2] !== 0;
  if (!((nd === 3 && x.shape[0] !== 0 && validDims) || (nd === 4 && validDims && x.shape[3] !== 0)))
    throw new Error(`Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, but got:${listStr(x.shape)}`);
  if (!(Math.trunc(k[1]! / 2) >= p[1]! && Math.trunc(k[0]! / 2) >= p[0]!))
    throw new Error(`pad should be smaller than or equal to half of kernel size, but got padW = ${p[1]}, padH = ${p[0]}, kW = ${k[1]}, kH = ${k[0]}`);
  if (!(ow >= 1 && oh >= 1)) {
    const C = x.shape[nd - 3]!, H = x.shape[nd - 2]!, W = x.shape[nd - 1]!;
    throw new Error(`Given input size: (${C}x${H}x${W}). Calculated output size: (${C}x${oh}x${ow}). Output size is too small`);
  }
}

// ---- max pooling ----------------------------------------------------------------------------

// The pooling functions take PyTorch's parameters by position, with its defaults; the options forms
// declared below are nn.functional's, whose parser (core/argparse.ts) turns them into positions.
export interface MaxPoolOpts {
  kernel_size?: IntOrTuple; stride?: IntOrTuple | null; padding?: IntOrTuple; dilation?: IntOrTuple;
  ceil_mode?: boolean; return_indices?: boolean;
}
interface MaxPoolArgs { k: IntOrTuple; s: IntOrTuple | null; p: IntOrTuple; d: IntOrTuple; ceil: boolean; indices: boolean }
/** stride None or [] is the kernel size (PyTorch's pooling functions) */
const strideGiven = (s: IntOrTuple | null): s is IntOrTuple => s !== null && !(Array.isArray(s) && s.length === 0);

function maxPool2dImpl(x: Tensor, o: MaxPoolArgs): PoolWithIndices | Tensor {
  const op = "max_pool2d";
  const k = pairArg(o.k, op, "kernel_size", "either be a single int, or a tuple of two ints");
  const s = strideGiven(o.s) ? pairArg(o.s, op, "stride", "either be omitted, a single int, or a tuple of two ints") : k;
  const p = pairArg(o.p, op, "padding", "either be a single int, or a tuple of two ints");
  const d = pairArg(o.d, op, "dilation", "be either a single int, or a tuple of two ints");
  if (x.ndim !== 3 && x.ndim !== 4) throw new Error("non-empty 3D or 4D (batch mode) tensor expected for input");
  const H = x.shape[x.ndim - 2]!, W = x.shape[x.ndim - 1]!;
  const oh = poolOutSize(H, k[0]!, p[0]!, s[0]!, d[0]!, o.ceil), ow = poolOutSize(W, k[1]!, p[1]!, s[1]!, d[1]!, o.ceil);
  pool2dShapeCheck(x, k, s, p, d, oh, ow);
  checkFloatKernel(x, "max_pool2d");
  return maxPoolOp(x, fixedWindows(H, oh, k[0]!, s[0]!, p[0]!, d[0]!), fixedWindows(W, ow, k[1]!, s[1]!, p[1]!, d[1]!),
    "MaxPool2DWithIndicesBackward0", o.indices);
}

/** 2-d max pooling over [N, C, H, W] or [C, H, W]: F.max_pool2d(input, kernel_size, stride=null
 *  (= kernel_size), padding=0, dilation=1, ceil_mode=false, return_indices=false). With
 *  return_indices, [output, indices] (flat h·W + w positions in each plane, int64). */
function max_pool2d_(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, dilation: IntOrTuple = 1,
  ceil_mode = false, return_indices = false): Tensor | PoolWithIndices {
  return maxPool2dImpl(input, { k: kernel_size, s: stride, p: padding, d: dilation, ceil: ceil_mode, indices: return_indices });
}
/** F.max_pool2d's and F.max_pool1d's forms, by position or with options (nn.functional's parser
 *  turns the options into positions before the function runs), typed by return_indices. */
export interface MaxPoolFn {
  (input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null | undefined, padding: IntOrTuple | undefined, dilation: IntOrTuple | undefined,
    ceil_mode: boolean | undefined, return_indices: true): PoolWithIndices;
  (input: Tensor, kernel_size: IntOrTuple, opts: MaxPoolOpts & { return_indices: true }): PoolWithIndices;
  (input: Tensor, opts: MaxPoolOpts & { return_indices: true }): PoolWithIndices;
  (input: Tensor, kernel_size: IntOrTuple, stride?: IntOrTuple | null, padding?: IntOrTuple, dilation?: IntOrTuple, ceil_mode?: boolean,
    return_indices?: boolean): Tensor;
}
export const max_pool2d = max_pool2d_ as MaxPoolFn;
export function max_pool2d_with_indices(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0,
  dilation: IntOrTuple = 1, ceil_mode = false): PoolWithIndices {
  return maxPool2dImpl(input, { k: kernel_size, s: stride, p: padding, d: dilation, ceil: ceil_mode, indices: true }) as PoolWithIndices;
}

/** 1-element argument of the 1-d pools: an int, or a list/tuple of one int. */
function single(v: IntOrTuple, check: (n: number) => string): number {
  const a = typeof v === "number" ? [v] : v;
  if (a.length !== 1) throw new Error(check(a.length));
  return a[0]!;
}

function maxPool1dImpl(x: Tensor, o: MaxPoolArgs): PoolWithIndices | Tensor {
  // check_max_pool1d (ATen MaxPooling.cpp)
  if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`max_pool1d() Expected 2D or 3D input tensor, but got ${listStr(x.shape)}`);
  const k = single(o.k, (n) => `max_pool1d() kernel_size must be an int, list of ints or tuple of ints of size 1 but got size ${n}`);
  const s = strideGiven(o.s) ? single(o.s, (n) => `max_pool1d() stride must be None, an int, list of ints, or tuple of ints of size 1 but got size ${n}`) : k;
  const p = single(o.p, (n) => `max_pool1d() padding must be an int, list of ints, or tuple of ints of size 1 but got size ${n}`);
  const d = single(o.d, (n) => `max_pool1d() dilation must be an int, list of ints or tuple of ints of size 1 but got size ${n}`);
  if (!(k > 0)) throw new Error(`max_pool1d() kernel_size must be greater than zero, but got ${k}`);
  if (!(s > 0)) throw new Error(`max_pool1d() stride must be greater than zero, but got ${s}`);
  if (!(p >= 0)) throw new Error(`max_pool1d() padding must be non-negative, but got ${p}`);
  if (!(p <= Math.trunc(k / 2))) throw new Error(`max_pool1d() padding should be at most half of kernel size, but got padding=${p} and kernel_size=${k}`);
  if (!(d > 0)) throw new Error(`max_pool1d() dilation must be greater than zero, but got ${d}`);
  const ow = poolOutSize(x.shape[x.ndim - 1]!, k, p, s, d, o.ceil);
  if (!(ow > 0)) throw new Error(`max_pool1d() Invalid computed output size: ${ow}`);
  const r = maxPool2dImpl(x.unsqueeze(-2), { ...o, k: [1, k], s: [1, s], p: [0, p], d: [1, d] });
  return r instanceof Tensor ? r.squeeze(-2) : namedPair(r[0].squeeze(-2), r[1].squeeze(-2));
}

/** 1-d max pooling over [N, C, L] or [C, L] (the 2-d pool on a unit-height view):
 *  F.max_pool1d(input, kernel_size, stride=null, padding=0, dilation=1, ceil_mode=false, return_indices=false). */
function max_pool1d_(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, dilation: IntOrTuple = 1,
  ceil_mode = false, return_indices = false): Tensor | PoolWithIndices {
  return maxPool1dImpl(input, { k: kernel_size, s: stride, p: padding, d: dilation, ceil: ceil_mode, indices: return_indices });
}
export const max_pool1d = max_pool1d_ as MaxPoolFn;
export function max_pool1d_with_indices(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0,
  dilation: IntOrTuple = 1, ceil_mode = false): PoolWithIndices {
  return maxPool1dImpl(input, { k: kernel_size, s: stride, p: padding, d: dilation, ceil: ceil_mode, indices: true }) as PoolWithIndices;
}

// ---- average pooling ------------------------------------------------------------------------


/** 2-d average pooling over [N, C, H, W] or [C, H, W]: F.avg_pool2d(input, kernel_size,
 *  stride=null (= kernel_size), padding=0, ceil_mode=false, count_include_pad=true,
 *  divisor_override=null) (AvgPool2DBackward0). */
export function avg_pool2d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, ceil_mode = false,
  count_include_pad = true, divisor_override: number | null = null): Tensor {
  const o = { kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override };
  const op = "avg_pool2d";
  const k = pairArg(o.kernel_size, op, "kernel_size", "either be a single int, or a tuple of two ints");
  const s = strideGiven(o.stride) ? pairArg(o.stride, op, "stride", "either be omitted, a single int, or a tuple of two ints") : k;
  const p = pairArg(o.padding, op, "padding", "either be a single int, or a tuple of two ints");
  if (o.divisor_override === 0) throw new Error("divisor must be not zero");
  const x = input, nd = x.ndim;
  // ATen reads input.size(-3) before any shape check
  if (nd < 3) throw new Error(`Dimension out of range (expected to be in range of [-${Math.max(nd, 1)}, ${Math.max(nd, 1) - 1}], but got -3)`);
  const H = x.shape[nd - 2]!, W = x.shape[nd - 1]!;
  const oh = poolOutSize(H, k[0]!, p[0]!, s[0]!, 1, o.ceil_mode), ow = poolOutSize(W, k[1]!, p[1]!, s[1]!, 1, o.ceil_mode);
  pool2dShapeCheck(x, k, s, p, [1, 1], oh, ow);
  if (x.dtype !== int64) checkFloatKernel(x, "avg_pool2d");
  // PyTorch's cpu_avg_pool: the window is clipped to input + padding for count_include_pad, and to
  // the input itself for the other divisor; both are products of per-axis extents
  const axis = (size: number, out: number, kk: number, ss: number, pp: number) => {
    const w = fixedWindows(size, out, kk, ss, pp, 1);
    const padded = new Float64Array(out);
    for (let i = 0; i < out; i++) { const a = i * ss - pp; padded[i] = Math.min(a + kk, size + pp) - a; }
    return { w, padded };
  };
  const ah = axis(H, oh, k[0]!, s[0]!, p[0]!), aw = axis(W, ow, k[1]!, s[1]!, p[1]!);
  const div = new Float64Array(oh * ow);
  for (let y = 0; y < oh; y++) {
    for (let z = 0; z < ow; z++) {
      div[y * ow + z] = o.divisor_override !== null ? o.divisor_override
        : o.count_include_pad ? ah.padded[y]! * aw.padded[z]!
        : (ah.w.end[y]! - ah.w.start[y]!) * (aw.w.end[z]! - aw.w.start[z]!);
    }
  }
  // (int64 too, as ATen's kernel: each window's sum divided as C++ divides integers, toward zero)
  if (x.dtype === int64) return no_grad(() => avgPoolOp(x.double(), ah.w, aw.w, div, "AvgPool2DBackward0").trunc().to(int64));
  return avgPoolOp(x, ah.w, aw.w, div, "AvgPool2DBackward0");
}

/** check1d of ATen's 1-d pooling wrappers. */
function check1d(fn: string, arg: string, v: IntOrTuple): number {
  return single(v, (n) => `${fn}() argument '${arg}' should contain one int (got ${n})`);
}
function checkDimRange(fn: string, x: Tensor): void {
  if (x.ndim < 2 || x.ndim >= 4)
    throw new Error(`Expected 2 to 3 dimensions, but got ${x.ndim}-dimensional tensor for argument #1 'self' (while checking arguments for ${fn})`);
}

/** 1-d average pooling over [N, C, L] or [C, L]: F.avg_pool1d(input, kernel_size, stride=null,
 *  padding=0, ceil_mode=false, count_include_pad=true). */
export function avg_pool1d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, ceil_mode = false,
  count_include_pad = true): Tensor {
  checkDimRange("avg_pool1d", input);
  const k = check1d("avg_pool1d", "kernel_size", kernel_size);
  const s = strideGiven(stride) ? check1d("avg_pool1d", "stride", stride) : k;
  const p = check1d("avg_pool1d", "padding", padding);
  return avg_pool2d(input.unsqueeze(-2), [1, k], [1, s], [0, p], ceil_mode, count_include_pad).squeeze(-2);
}

// ---- adaptive pooling -----------------------------------------------------------------------

type OutSize = number | readonly (number | null)[] | null;

/** output_size as a pair, None entries taking the input's size (F's _list_with_default: a list
 *  needs more dims than it has entries). */
function adaptiveSize(x: Tensor, output_size: OutSize, n: number): number[] {
  if (typeof output_size === "number") return new Array<number>(n).fill(output_size);
  const a = (output_size ?? []).slice();
  if (x.ndim <= a.length) throw pyError("ValueError", `Input dimension should be at least ${a.length + 1}`);
  return a.map((v, i) => (v === null ? x.shape[x.ndim - a.length + i]! : v));
}

/** 2-d adaptive average pooling to output_size (an int, a pair, None entries keeping the input's
 *  size): F.adaptive_avg_pool2d(input, output_size) (AdaptiveAvgPool2DBackward0; an output of
 *  1×1 is the mean over H and W, as PyTorch computes it: MeanBackward1). */
export function adaptive_avg_pool2d(input: Tensor, output_size: OutSize): Tensor {
  const os = adaptiveSize(input, output_size, 2);
  if (os.length !== 2) throw new Error("adaptive_avg_pool2d: output_size must be 2");
  if (os.some((s) => s < 0)) throw new Error(`adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received {${os.join(", ")}}`);
  const x = input, nd = x.ndim;
  // (PyTorch's shortcut comes before _adaptive_avg_pool2d's checks: any rank, empty planes too)
  // (laid out as PyTorch restrides it: channels-last for a channels-last input)
  if (os[0] === 1 && os[1] === 1) return asFormat(x.mean([-1, -2], true), formatOf(x));
  if (nd !== 3 && nd !== 4) throw new Error(`adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got ${listStr(x.shape)}`);
  for (const i of [-2, -1])
    if (!(x.shape[nd + i]! > 0))
      throw new Error(`adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${listStr(x.shape)} with dimension ${i + nd} being empty`);
  checkFloatKernel(x, "adaptive_avg_pool2d");
  const H = x.shape[nd - 2]!, W = x.shape[nd - 1]!;
  const hw = adaptiveWindows(H, os[0]!), ww = adaptiveWindows(W, os[1]!);
  const div = new Float64Array(os[0]! * os[1]!);
  for (let y = 0; y < os[0]!; y++)
    for (let z = 0; z < os[1]!; z++) div[y * os[1]! + z] = (hw.end[y]! - hw.start[y]!) * (ww.end[z]! - ww.start[z]!);
  return avgPoolOp(x, hw, ww, div, "AdaptiveAvgPool2DBackward0");
}

/** 1-d adaptive average pooling over [N, C, L] or [C, L]. */
export function adaptive_avg_pool1d(input: Tensor, output_size: number | readonly number[]): Tensor {
  checkDimRange("adaptive_avg_pool1d", input);
  const o = check1d("adaptive_avg_pool1d", "output_size", output_size);
  return adaptive_avg_pool2d(input.unsqueeze(-2), [1, o]).squeeze(-2);
}

export interface AdaptiveMaxOpts { output_size?: OutSize; return_indices?: boolean }

function adaptiveMax2d(x: Tensor, output_size: OutSize, wantIndices: boolean): Tensor | PoolWithIndices {
  const os = adaptiveSize(x, output_size, 2), nd = x.ndim;
  if (nd !== 3 && nd !== 4) throw new Error(`adaptive_max_pool2d(): Expected 3D or 4D tensor, but got: ${listStr(x.shape)}`);
  for (let i = 1; i < nd; i++)
    if (!(x.shape[i]! > 0))
      throw new Error(`adaptive_max_pool2d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${listStr(x.shape)} with dimension ${i} being empty`);
  if (os.length !== 2) throw new Error("adaptive_max_pool2d(): internal error: output_size.size() must be 2");
  checkSizeNonNegative([...x.shape.slice(0, nd - 2), ...os]);
  checkFloatKernel(x, "adaptive_max_pool2d");
  return maxPoolOp(x, adaptiveWindows(x.shape[nd - 2]!, os[0]!), adaptiveWindows(x.shape[nd - 1]!, os[1]!), "AdaptiveMaxPool2DBackward0", wantIndices);
}

/** 2-d adaptive max pooling: F.adaptive_max_pool2d(input, output_size, return_indices=false). */
function adaptive_max_pool2d_(input: Tensor, output_size: OutSize, return_indices = false): Tensor | PoolWithIndices {
  return adaptiveMax2d(input, output_size, return_indices);
}

/** F.adaptive_max_pool2d's forms (as MaxPoolFn). */
export interface AdaptiveMaxPoolFn<S> {
  (input: Tensor, output_size: S, return_indices: true): PoolWithIndices;
  (input: Tensor, output_size: S, opts: AdaptiveMaxOpts & { return_indices: true }): PoolWithIndices;
  (input: Tensor, opts: AdaptiveMaxOpts & { return_indices: true }): PoolWithIndices;
  (input: Tensor, output_size: S, return_indices?: boolean): Tensor;
}
export const adaptive_max_pool2d = adaptive_max_pool2d_ as AdaptiveMaxPoolFn<OutSize>;

/** 1-d adaptive max pooling over [N, C, L] or [C, L]. */
function adaptive_max_pool1d_(input: Tensor, output_size: number | readonly number[], return_indices = false): Tensor | PoolWithIndices {
  checkDimRange("adaptive_max_pool1d", input);
  const o = check1d("adaptive_max_pool1d", "output_size", output_size);
  const r = adaptiveMax2d(input.unsqueeze(-2), [1, o], return_indices);
  return r instanceof Tensor ? r.squeeze(-2) : namedPair(r[0].squeeze(-2), r[1].squeeze(-2));
}
export const adaptive_max_pool1d = adaptive_max_pool1d_ as AdaptiveMaxPoolFn<number | readonly number[]>;
