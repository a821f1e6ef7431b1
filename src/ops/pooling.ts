// Pooling: F.max_pool1d/2d/3d, F.avg_pool1d/2d/3d, F.adaptive_avg_pool1d/2d/3d,
// F.adaptive_max_pool1d/2d/3d, F.max_unpool1d/2d/3d (PyTorch 2.x's ATen kernels, grad_fn names and
// checks), and F.lp_pool1d/2d/3d and F.local_response_norm, composed as F composes them.
//
// Every pooling is a set of box windows per output position, described per axis
// (CK.AxisWindows), so fixed and adaptive pooling share the kernels. Max pooling records the flat
// plane index of each maximum; its gradient scatters into those positions and the gradient of that
// scatter gathers from them. Average pooling's gradient is the transpose of the window mean, whose
// gradient is the window mean again. The 1-d forms are the 2-d ones on a unit-height view
// (unsqueeze(-2) … squeeze(-2)), as ATen writes them, so their grad_fn is SqueezeBackward1.
//
// Note [3-d pooling as two 2-d ones]: the backends' pooling kernels are 2-d. A box over (D, H, W) is
// a box over (H, W) in each depth slice, then a window over D of those results (with one-element
// windows over the oh·ow positions), so 3-d pooling is two passes of the 2-d kernels. The max keeps
// PyTorch's choice among ties and NaNs: the first pass takes each slice's first maximum (or last
// NaN) in (h, w) order, the second the first (last NaN) slice of those, which is the choice of
// PyTorch's 3-d kernel scanning in (d, h, w) order. Window means sum in the first pass (divisor 1)
// and divide by the 3-d divisors in the second.

import { Tensor, int64, float32, float64, bool } from "../core/tensor.js";
import { int32, scalarTypeName } from "../core/dtype.js";
import { zeros } from "./creation.js";
import { pad } from "./padding.js";
import * as CK from "../backends/index.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { listStr, checkFloatKernel, type IntOrTuple } from "./_nn_args.js";
import { asFormat } from "./views.js";
import { type memory_format, contiguous_format, suggestMemoryFormat } from "../core/memory_format.js";
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

/** Windows that each cover one position: the pass over D of Note [3-d pooling as two 2-d ones]. */
function pointWindows(n: number): CK.AxisWindows {
  const start = new Int32Array(n), end = new Int32Array(n);
  for (let i = 0; i < n; i++) { start[i] = i; end[i] = i + 1; }
  return { start, end, step: 1 };
}

/** An input pooled over its last axes.length dims as P planes of `sizes`, and the output shape. */
function planes(x: Tensor, axes: readonly CK.AxisWindows[]): { P: number; sizes: number[]; plane: number; outShape: number[] } {
  const r = axes.length, sizes = x.shape.slice(x.ndim - r), plane = sizes.reduce((a, b) => a * b, 1);
  return { P: x.numel() / plane, sizes, plane, outShape: [...x.shape.slice(0, x.ndim - r), ...axes.map((a) => a.start.length)] };
}

/** The maxima over the windows of x seen as [P, …sizes], and each one's flat plane position
 *  (int32): the 2-d kernel, or two passes of it (Note [3-d pooling as two 2-d ones]). */
function windowMax(x: Tensor, axes: readonly CK.AxisWindows[], P: number, sizes: number[], outShape: number[]): [Tensor, Tensor] {
  if (axes.length === 2) return CK.maxPool2d(x, P, sizes[0]!, sizes[1]!, axes[0]!, axes[1]!, outShape);
  const [D, H, W] = sizes as [number, number, number], [dw, hw, ww] = axes as [CK.AxisWindows, CK.AxisWindows, CK.AxisWindows];
  const L = hw.start.length * ww.start.length;
  const [y2, i2] = CK.maxPool2d(x.contiguous(), P * D, H, W, hw, ww, [P, D, L]);
  const [y, i3] = CK.maxPool2d(y2, P, D, L, dw, pointWindows(L), outShape);
  // i3 is d·L + l in the [D, L] plane of the first pass's results: the maximum sits at d·H·W + i2[d, l]
  // (int32 throughout, as the kernels give and take positions)
  const inSlice = CK.gatherPlanes(i2, i3, P, D * L, outShape);
  return [y, i3.div(L, { rounding_mode: "floor" }).mul(H * W).add(inSlice)];
}

/** Window sums of x seen as [P, …sizes] over divisors `div` (one per output position). */
function windowMean(x: Tensor, axes: readonly CK.AxisWindows[], div: Float64Array, P: number, sizes: number[], outShape: number[]): Tensor {
  if (axes.length === 2) return CK.windowMean(x, P, sizes[0]!, sizes[1]!, axes[0]!, axes[1]!, div, outShape);
  const [D, H, W] = sizes as [number, number, number], L = axes[1]!.start.length * axes[2]!.start.length;
  const sums = CK.windowMean(x.contiguous(), P * D, H, W, axes[1]!, axes[2]!, new Float64Array(L).fill(1), [P, D, L]);
  return CK.windowMean(sums, P, D, L, axes[0]!, pointWindows(L), div, outShape);
}

/** windowMean's adjoint: g [P, …out] spread over inputs of `inShape`. */
function windowMeanAdjoint(g: Tensor, axes: readonly CK.AxisWindows[], div: Float64Array, P: number, sizes: number[], inShape: number[]): Tensor {
  if (axes.length === 2) return CK.windowMeanAdjoint(g, P, sizes[0]!, sizes[1]!, axes[0]!, axes[1]!, div, inShape);
  const [D, H, W] = sizes as [number, number, number], L = axes[1]!.start.length * axes[2]!.start.length;
  const sums = CK.windowMeanAdjoint(g.contiguous(), P, D, L, axes[0]!, pointWindows(L), div, [P, D, L]);
  return CK.windowMeanAdjoint(sums, P * D, H, W, axes[1]!, axes[2]!, new Float64Array(L).fill(1), inShape);
}

// ---- the recorded ops -----------------------------------------------------------------------

// The results and gradients take the input's memory format, as PyTorch's CPU pooling kernels
// lay them out (Note [Memory formats]): `fmt`, decided by the forward's input; the 3-d average and
// adaptive poolings give row-major results and gradients whatever the input's layout.

/** Max over windows, recorded as `name`; indices are the flat plane positions of the maxima. */
function maxPoolOp(x: Tensor, axes: readonly CK.AxisWindows[], name: string, wantIndices: boolean, fmt = formatOf(x)): PoolWithIndices | Tensor {
  const { P, sizes, plane, outShape } = planes(x, axes);
  const [y, idx] = windowMax(x.detach(), axes, P, sizes, outShape);
  const inShape = x.shape.slice();
  const out = record(name, [x], asFormat(y, fmt), ([g]) => [scatterOp(g!, idx, P, plane, inShape, `${name.slice(0, -1)}Backward0`, fmt)]);
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
function avgPoolOp(x: Tensor, axes: readonly CK.AxisWindows[], div: Float64Array, name: string, fmt = formatOf(x)): Tensor {
  const { P, sizes, outShape } = planes(x, axes);
  const y = windowMean(x.detach(), axes, div, P, sizes, outShape);
  const inShape = x.shape.slice();
  return record(name, [x], asFormat(y, fmt), ([g]) => [avgAdjointOp(g!, axes, div, P, sizes, inShape, name, fmt)]);
}

function avgAdjointOp(g: Tensor, axes: readonly CK.AxisWindows[], div: Float64Array, P: number, sizes: number[], inShape: number[], name: string,
  fmt: memory_format): Tensor {
  const y = windowMeanAdjoint(g.detach(), axes, div, P, sizes, inShape);
  return record(`${name.slice(0, -1)}Backward0`, [g], asFormat(y, fmt), ([gg]) => [avgPoolOp(gg!, axes, div, name, fmt)]);
}

/** Per-output-position products of per-axis factors (row-major over the axes). */
function outerProduct(factors: readonly ArrayLike<number>[]): Float64Array {
  let acc = new Float64Array([1]);
  for (const f of factors) {
    const next = new Float64Array(acc.length * f.length);
    for (let i = 0; i < acc.length; i++) for (let j = 0; j < f.length; j++) next[i * f.length + j] = acc[i]! * f[j]!;
    acc = next;
  }
  return acc;
}

const formatOf = (x: Tensor): memory_format => suggestMemoryFormat(x._shape, x._strides);

// ---- argument checks ------------------------------------------------------------------------

/** An int, or 1 or n ints, as n ints; errors name the op as PyTorch's meta functions do. */
function tupleArg(v: IntOrTuple, n: number, op: string, what: string, wording: string): number[] {
  const a = typeof v === "number" ? [v] : v;
  if (a.length !== 1 && a.length !== n) throw new Error(`${op}: ${what} must ${wording}`);
  return a.length === 1 ? new Array<number>(n).fill(a[0]!) : a.slice();
}
const pairArg = (v: IntOrTuple, op: string, what: string, wording: string) => tupleArg(v, 2, op, what, wording);

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

/** pool3d_shape_check (ATen Pool.h), after the output sizes are known; `checkSize` for average
 *  pooling, whose check also wants the kernel inside the input. */
function pool3dShapeCheck(x: Tensor, fn: string, k: number[], s: number[], p: number[], d: number[], out: number[], checkSize: boolean): void {
  if (!k.every((v) => v > 0)) throw new Error(`kernel size should be greater than zero, but got kT: ${k[0]} kH: ${k[1]} kW: ${k[2]}`);
  if (!s.every((v) => v > 0)) throw new Error(`stride should be greater than zero, but got dT: ${s[0]} dH: ${s[1]} dW: ${s[2]}`);
  if (!d.every((v) => v > 0)) throw new Error(`dilation should be greater than zero, but got dilationT: ${d[0]} dilationH: ${d[1]} dilationW: ${d[2]}`);
  const nd = x.ndim;
  if (nd !== 4 && nd !== 5) throw new Error(`${fn}: Expected 4D or 5D tensor for input, but got: ${listStr(x.shape)}`);
  for (let i = nd - 4; i < nd; i++) {
    if (!(x.shape[i]! > 0))
      throw new Error(`${fn}: Expected input's non-batch dimensions to have positive length, but input has a shape of ${listStr(x.shape)} and non-batch dimension ${x.shape[i]} has length zero!`);
  }
  const [T, H, W] = x.shape.slice(nd - 3) as [number, number, number];
  if (checkSize && !(T >= k[0]! && H >= k[1]! && W >= k[2]!))
    throw new Error(`input image (T: ${T} H: ${H} W: ${W}) smaller than kernel size (kT: ${k[0]} kH: ${k[1]} kW: ${k[2]})`);
  if (!k.every((v, i) => Math.trunc(v / 2) >= p[i]!))
    throw new Error(`pad should be smaller than or equal to half of kernel size, but got kT: ${k[0]} kW: ${k[2]} kH: ${k[1]} padT: ${p[0]} padW: ${p[2]} padH: ${p[1]}`);
  if (!out.every((v) => v >= 1)) {
    const C = x.shape[nd - 4]!;
    throw new Error(`Given input size: (${C}x${T}x${H}x${W}). Calculated output size: (${C}x${out.join("x")}). Output size is too small`);
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

const NUM = ["", "", "two", "three"];

/** F.max_pool2d / max_pool3d (n spatial dims): checks, then one MaxPool{n}DWithIndicesBackward0 node. */
function maxPoolImpl(x: Tensor, o: MaxPoolArgs, n: 2 | 3): PoolWithIndices | Tensor {
  const op = `max_pool${n}d`, tuple = `a tuple of ${NUM[n]} ints`;
  const k = tupleArg(o.k, n, op, "kernel_size", `either be a single int, or ${tuple}`);
  const s = strideGiven(o.s) ? tupleArg(o.s, n, op, "stride", `either be omitted, a single int, or ${tuple}`) : k;
  const p = tupleArg(o.p, n, op, "padding", `either be a single int, or ${tuple}`);
  const d = tupleArg(o.d, n, op, "dilation", `be either a single int, or ${tuple}`);
  if (x.ndim !== n + 1 && x.ndim !== n + 2) throw new Error(`non-empty ${n + 1}D or ${n + 2}D (batch mode) tensor expected for input`);
  const sizes = x.shape.slice(x.ndim - n);
  const out = sizes.map((size, i) => poolOutSize(size, k[i]!, p[i]!, s[i]!, d[i]!, o.ceil));
  if (n === 2) pool2dShapeCheck(x, k, s, p, d, out[0]!, out[1]!);
  else pool3dShapeCheck(x, "max_pool3d_with_indices_out_cpu_template()", k, s, p, d, out, false);
  if (x.dtype === bool) throw new Error(`"${op}" not implemented for 'Bool'`);
  const axes = sizes.map((size, i) => fixedWindows(size, out[i]!, k[i]!, s[i]!, p[i]!, d[i]!));
  const name = `MaxPool${n}DWithIndicesBackward0`;
  if (x.dtype === float32 || x.dtype === float64) return maxPoolOp(x, axes, name, o.indices);
  // PyTorch's kernels take the other dtypes too (integers, float16, bfloat16): pooled in float64,
  // which holds each of their values exactly, and the maxima given back in the input's dtype
  const r = maxPoolOp(x.double(), axes, name, o.indices);
  return r instanceof Tensor ? r.to(x.dtype) : namedPair(r[0].to(x.dtype), r[1]);
}
const maxPool2dImpl = (x: Tensor, o: MaxPoolArgs) => maxPoolImpl(x, o, 2);

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

/** 3-d max pooling over [N, C, D, H, W] or [C, D, H, W]: F.max_pool3d(input, kernel_size,
 *  stride=null (= kernel_size), padding=0, dilation=1, ceil_mode=false, return_indices=false). With
 *  return_indices, [output, indices] (flat d·H·W + h·W + w positions in each volume, int64). */
function max_pool3d_(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, dilation: IntOrTuple = 1,
  ceil_mode = false, return_indices = false): Tensor | PoolWithIndices {
  return maxPoolImpl(input, { k: kernel_size, s: stride, p: padding, d: dilation, ceil: ceil_mode, indices: return_indices }, 3);
}
export const max_pool3d = max_pool3d_ as MaxPoolFn;
export function max_pool3d_with_indices(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0,
  dilation: IntOrTuple = 1, ceil_mode = false): PoolWithIndices {
  return maxPoolImpl(input, { k: kernel_size, s: stride, p: padding, d: dilation, ceil: ceil_mode, indices: true }, 3) as PoolWithIndices;
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
  // (without indices, ATen's own 1-d kernel runs: floating dtypes only)
  if (!o.indices && !x.requires_grad && !x.dtype.is_floating_point) throw new Error(`"max_pool1d_impl" not implemented for '${scalarTypeName(x.dtype)}'`);
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
  return avgPoolImpl(input, { kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override }, 2);
}

/** 3-d average pooling over [N, C, D, H, W] or [C, D, H, W]: F.avg_pool3d(input, kernel_size,
 *  stride=null (= kernel_size), padding=0, ceil_mode=false, count_include_pad=true,
 *  divisor_override=null) (AvgPool3DBackward0). */
export function avg_pool3d(input: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, ceil_mode = false,
  count_include_pad = true, divisor_override: number | null = null): Tensor {
  return avgPoolImpl(input, { kernel_size, stride, padding, ceil_mode, count_include_pad, divisor_override }, 3);
}

interface AvgPoolArgs {
  kernel_size: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple; ceil_mode: boolean; count_include_pad: boolean; divisor_override: number | null;
}

function avgPoolImpl(x: Tensor, o: AvgPoolArgs, n: 2 | 3): Tensor {
  const op = `avg_pool${n}d`, tuple = `a tuple of ${NUM[n]} ints`;
  // (the 2-d meta function says "must either be", the 3-d one "must be")
  const must = n === 2 ? "either be" : "be";
  const k = tupleArg(o.kernel_size, n, op, "kernel_size", `${must} a single int, or ${tuple}`);
  const s = strideGiven(o.stride) ? tupleArg(o.stride, n, op, "stride", `${must} omitted, a single int, or ${tuple}`) : k;
  const p = tupleArg(o.padding, n, op, "padding", `${must} a single int, or ${tuple}`);
  const nd = x.ndim;
  if (n === 3 && nd !== 4 && nd !== 5) throw new Error("non-empty 4D or 5D (batch mode) tensor expected for input");
  if (o.divisor_override === 0) throw new Error("divisor must be not zero");
  // ATen's 2-d function reads input.size(-3) before any shape check
  if (nd < 3) throw new Error(`Dimension out of range (expected to be in range of [-${Math.max(nd, 1)}, ${Math.max(nd, 1) - 1}], but got -3)`);
  const sizes = x.shape.slice(nd - n);
  const out = sizes.map((size, i) => poolOutSize(size, k[i]!, p[i]!, s[i]!, 1, o.ceil_mode));
  if (n === 2) pool2dShapeCheck(x, k, s, p, [1, 1], out[0]!, out[1]!);
  else pool3dShapeCheck(x, "avg_pool3d()", k, s, p, [1, 1, 1], out, true);
  if (x.dtype !== int64) checkFloatKernel(x, n === 2 ? op : "avg_pool3d_out_frame");
  // PyTorch's cpu_avg_pool: the window is clipped to input + padding for count_include_pad, and to
  // the input itself for the other divisor; both are products of per-axis extents
  const axes = sizes.map((size, i) => fixedWindows(size, out[i]!, k[i]!, s[i]!, p[i]!, 1));
  const extents = sizes.map((size, i) => {
    const e = new Float64Array(out[i]!), w = axes[i]!;
    for (let j = 0; j < out[i]!; j++) {
      const a = j * s[i]! - p[i]!;
      e[j] = o.count_include_pad ? Math.min(a + k[i]!, size + p[i]!) - a : w.end[j]! - w.start[j]!;
    }
    return e;
  });
  const div = o.divisor_override !== null ? new Float64Array(out.reduce((a, b) => a * b, 1)).fill(o.divisor_override) : outerProduct(extents);
  const name = `AvgPool${n}DBackward0`;
  // (int64 too, as ATen's kernel: each window's sum divided as C++ divides integers, toward zero)
  const fmt = n === 3 ? contiguous_format : formatOf(x);
  if (x.dtype === int64) return no_grad(() => avgPoolOp(x.double(), axes, div, name, fmt).trunc().to(int64));
  return avgPoolOp(x, axes, div, name, fmt);
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
  return adaptiveAvgOp(x, os);
}

/** Adaptive window means of x's last os.length dims (AdaptiveAvgPool{2,3}DBackward0). */
function adaptiveAvgOp(x: Tensor, os: number[]): Tensor {
  const axes = os.map((o, i) => adaptiveWindows(x.shape[x.ndim - os.length + i]!, o));
  const div = outerProduct(axes.map((w) => w.end.map((e, j) => e - w.start[j]!)));
  return avgPoolOp(x, axes, div, `AdaptiveAvgPool${os.length}DBackward0`, os.length === 3 ? contiguous_format : formatOf(x));
}

/** 3-d adaptive average pooling to output_size (an int, a triple, None entries keeping the input's
 *  size): F.adaptive_avg_pool3d(input, output_size) (AdaptiveAvgPool3DBackward0; an output of
 *  1×1×1 is the mean over D, H and W, as PyTorch computes it: MeanBackward1). */
export function adaptive_avg_pool3d(input: Tensor, output_size: OutSize): Tensor {
  const os = adaptiveSize(input, output_size, 3);
  if (os.length !== 3) throw new Error("adaptive_avg_pool3d: output_size must be 3");
  // (2.13's message has no space before the third size)
  if (os.some((s) => s < 0)) throw new Error(`adaptive_avg_pool3d: elements of output_size must be greater than or equal to 0 but received {${os[0]}, ${os[1]},${os[2]}}`);
  const x = input, nd = x.ndim;
  if (os.every((s) => s === 1)) return asFormat(x.mean([-1, -2, -3], true), formatOf(x));
  for (let i = 1; i < nd; i++)
    if (!(x.shape[i]! > 0))
      throw new Error(`adaptive_avg_pool3d(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${listStr(x.shape)} with dimension ${i} being empty`);
  if (nd !== 4 && nd !== 5) throw new Error(`adaptive_avg_pool3d(): Expected 4D or 5D tensor, but got ${listStr(x.shape)}`);
  checkFloatKernel(x, "adaptive_avg_pool3d_cpu");
  return adaptiveAvgOp(x, os);
}

/** 1-d adaptive average pooling over [N, C, L] or [C, L]. */
export function adaptive_avg_pool1d(input: Tensor, output_size: number | readonly number[]): Tensor {
  checkDimRange("adaptive_avg_pool1d", input);
  const o = check1d("adaptive_avg_pool1d", "output_size", output_size);
  return adaptive_avg_pool2d(input.unsqueeze(-2), [1, o]).squeeze(-2);
}

export interface AdaptiveMaxOpts { output_size?: OutSize; return_indices?: boolean }

/** F.adaptive_max_pool2d / adaptive_max_pool3d (n spatial dims). */
function adaptiveMaxImpl(x: Tensor, output_size: OutSize, wantIndices: boolean, n: 2 | 3): Tensor | PoolWithIndices {
  const os = adaptiveSize(x, output_size, n), nd = x.ndim, fn = `adaptive_max_pool${n}d`;
  if (nd !== n + 1 && nd !== n + 2) throw new Error(`${fn}(): Expected ${n + 1}D or ${n + 2}D tensor, but got: ${listStr(x.shape)}`);
  for (let i = 1; i < nd; i++)
    if (!(x.shape[i]! > 0))
      throw new Error(`${fn}(): Expected input to have non-zero size for non-batch dimensions, but input has sizes ${listStr(x.shape)} with dimension ${i} being empty`);
  if (os.length !== n) throw new Error(`${fn}(): internal error: output_size.size() must be ${n}`);
  checkSizeNonNegative([...x.shape.slice(0, nd - n), ...os]);
  checkFloatKernel(x, n === 2 ? fn : `${fn}_cpu`);
  const axes = os.map((o, i) => adaptiveWindows(x.shape[nd - n + i]!, o));
  return maxPoolOp(x, axes, `AdaptiveMaxPool${n}DBackward0`, wantIndices, n === 3 ? contiguous_format : formatOf(x));
}
const adaptiveMax2d = (x: Tensor, output_size: OutSize, wantIndices: boolean) => adaptiveMaxImpl(x, output_size, wantIndices, 2);

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
/** F.adaptive_max_pool2d_with_indices(input, output_size, return_indices=false): [output, indices]
 *  whatever the flag (F's boolean dispatch target). */
export function adaptive_max_pool2d_with_indices(input: Tensor, output_size: OutSize, _return_indices = false): PoolWithIndices {
  return adaptiveMax2d(input, output_size, true) as PoolWithIndices;
}

/** 3-d adaptive max pooling: F.adaptive_max_pool3d(input, output_size, return_indices=false). */
function adaptive_max_pool3d_(input: Tensor, output_size: OutSize, return_indices = false): Tensor | PoolWithIndices {
  return adaptiveMaxImpl(input, output_size, return_indices, 3);
}
export const adaptive_max_pool3d = adaptive_max_pool3d_ as AdaptiveMaxPoolFn<OutSize>;
export function adaptive_max_pool3d_with_indices(input: Tensor, output_size: OutSize, _return_indices = false): PoolWithIndices {
  return adaptiveMaxImpl(input, output_size, true, 3) as PoolWithIndices;
}

/** 1-d adaptive max pooling over [N, C, L] or [C, L]. */
function adaptive_max_pool1d_(input: Tensor, output_size: number | readonly number[], return_indices = false): Tensor | PoolWithIndices {
  checkDimRange("adaptive_max_pool1d", input);
  const o = check1d("adaptive_max_pool1d", "output_size", output_size);
  const r = adaptiveMax2d(input.unsqueeze(-2), [1, o], return_indices);
  return r instanceof Tensor ? r.squeeze(-2) : namedPair(r[0].squeeze(-2), r[1].squeeze(-2));
}
export const adaptive_max_pool1d = adaptive_max_pool1d_ as AdaptiveMaxPoolFn<number | readonly number[]>;
/** F.adaptive_max_pool1d_with_indices(input, output_size, return_indices=false): [output, indices]. */
export function adaptive_max_pool1d_with_indices(input: Tensor, output_size: number | readonly number[], _return_indices = false): PoolWithIndices {
  return adaptive_max_pool1d_(input, output_size, true) as PoolWithIndices;
}

// ---- max unpooling --------------------------------------------------------------------------

/** F's _unpool_output_size: the spatial sizes of an unpooling's output, the default one or
 *  output_size (spatial sizes, or with batch and channels in front) within a stride of it. */
function unpoolOutputSize(x: Tensor, k: number[], s: number[], p: number[], output_size: readonly number[] | null): number[] {
  const n = k.length, dflt = k.map((kk, d) => (x.shape[x.ndim - n + d]! - 1) * s[d]! + kk - 2 * p[d]!);
  let ret = dflt;
  if (output_size !== null) {
    const size = output_size.length === n + 2 ? output_size.slice(2) : output_size.slice();
    if (size.length !== n)
      throw pyError("ValueError", `output_size should be a sequence containing ${n} or ${n + 2} elements, but it has a length of '${size.length}'`);
    for (let d = 0; d < n; d++) {
      const min = dflt[d]! - s[d]!, max = dflt[d]! + s[d]!;
      if (!(min < size[d]! && size[d]! < max)) throw pyError("ValueError", `invalid output_size "${listStr(size)}" (dim ${d} must be between ${min} and ${max})`);
    }
    ret = size;
  }
  ret.forEach((v, d) => {
    if (v < 0) throw pyError("ValueError", `max_unpooling: output_size must contain non-negative spatial dimensions, but got output_size[${d}]=${v}`);
  });
  return ret;
}

/** ATen's max_unpool2d / max_unpool3d: each value of x written at its plane's position given by
 *  `indices` in a zero output of spatial `size` (MaxUnpool{n}DBackward0, whose gradient gathers
 *  from those positions). A position given twice takes one of its values, as PyTorch's kernel
 *  writes them (overlapping pooling windows repeat a maximum). */
function maxUnpoolOp(x: Tensor, indices: Tensor, size: number[], n: 2 | 3, stride: number[]): Tensor {
  const dims = n === 2 ? "two elements (height, width)" : "three elements (depth, height, width)";
  if (indices.dtype !== int64) throw new Error(`elements in indices should be type int64${n === 2 ? ` but got: ${scalarTypeName(indices.dtype)}` : ""}`);
  if (size.length !== n) throw new Error(`There should be exactly ${dims} in output_size, but got ${size.length} elements.`);
  if (x.ndim !== n + 1 && x.ndim !== n + 2)
    throw new Error(`Input to max_unpooling${n}d should be a ${n + 1}d or ${n + 2}d Tensor, but got a tensor with ${x.ndim} dimensions.`);
  if (listStr(x.shape) !== listStr(indices.shape))
    throw new Error(`Expected shape of indices to be same as that of the input tensor (${listStr(x.shape)}) but got indices tensor with shape: ${listStr(indices.shape)}`);
  for (let i = 1; i < x.ndim; i++) {
    if (!(x.shape[i]! > 0))
      throw new Error(`max_unpooling${n}d_forward_out_cpu(): Expected input to have non-zero size for non-batch dimensions, but got ${listStr(x.shape)} with dimension ${i} being empty.`);
  }
  if (stride.some((v) => v <= 0)) throw new Error(`strides should be greater than zero, but got stride: ${listStr(stride)}`);
  checkFloatKernel(x, `max_unpool${n}d`);
  const plane = size.reduce((a, b) => a * b, 1), L = x.shape.slice(x.ndim - n).reduce((a, b) => a * b, 1), P = x.numel() / L;
  const flat = indices.reshape(-1), bad = flat.lt(0).logical_or(flat.ge(plane));
  // (PyTorch's kernel keeps the last invalid index its thread met: the last one, on one thread)
  if (bad.any().item()) throw new Error(`Found an invalid max index: ${flat.index(bad).index(-1).item()} (output volumes are of size ${size.join("x")})`);
  const outShape = [...x.shape.slice(0, x.ndim - n), ...size], fmt = formatOf(x);
  const y = CK.scatter(zeros([P, plane], { dtype: x.dtype, device: x.device }), 1, indices.reshape(P, L), x.detach().reshape(P, L), false);
  const idx = CK.contiguousCopy(indices, int32), inShape = x.shape.slice();
  return record(`MaxUnpool${n}DBackward0`, [x], asFormat(y.view(outShape), fmt), ([g]) => [gatherOp(g!, idx, P, plane, inShape, "ScatterAddBackward0", fmt)]);
}

/** F.max_unpool1d/2d/3d's arguments after input and indices. */
interface UnpoolArgs { kernel_size: IntOrTuple; stride: IntOrTuple | null; padding: IntOrTuple; output_size: readonly number[] | null }

/** F.max_unpool{n}d: the output size as F computes it, then ATen's op (1-d: the 2-d one on a
 *  unit-width view, as F writes it). */
function maxUnpoolImpl(x: Tensor, indices: Tensor, o: UnpoolArgs, n: 1 | 2 | 3): Tensor {
  const tuple = (v: IntOrTuple) => (typeof v === "number" ? new Array<number>(n).fill(v) : v.slice());
  const k = tuple(o.kernel_size), s = o.stride === null ? k : tuple(o.stride), p = tuple(o.padding);
  const size = unpoolOutputSize(x, k, s, p, o.output_size);
  if (n === 1) return maxUnpoolOp(x.unsqueeze(-1), indices.unsqueeze(-1), [...size, 1], 2, []).squeeze(-1);
  return maxUnpoolOp(x, indices, size, n, n === 3 ? s : []);
}

/** Partial inverse of max_pool1d: F.max_unpool1d(input, indices, kernel_size, stride=null,
 *  padding=0, output_size=null). */
export function max_unpool1d(input: Tensor, indices: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0,
  output_size: readonly number[] | null = null): Tensor {
  return maxUnpoolImpl(input, indices, { kernel_size, stride, padding, output_size }, 1);
}

/** Partial inverse of max_pool2d: F.max_unpool2d(input, indices, kernel_size, stride=null,
 *  padding=0, output_size=null): zeros but at the maxima's positions. */
export function max_unpool2d(input: Tensor, indices: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0,
  output_size: readonly number[] | null = null): Tensor {
  return maxUnpoolImpl(input, indices, { kernel_size, stride, padding, output_size }, 2);
}

/** Partial inverse of max_pool3d: F.max_unpool3d(input, indices, kernel_size, stride=null,
 *  padding=0, output_size=null). */
export function max_unpool3d(input: Tensor, indices: Tensor, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0,
  output_size: readonly number[] | null = null): Tensor {
  return maxUnpoolImpl(input, indices, { kernel_size, stride, padding, output_size }, 3);
}

// ---- power-average pooling ------------------------------------------------------------------

/** F.lp_pool{n}d as F writes it: (Σ xᵖ over each window)^(1/p) from the average pooling of xᵖ
 *  times the window size (sign(s)·relu(|s|): a negative sum, from odd p, gives 0 rather than
 *  NaN); p = inf is the max of |x| over each window, p = -inf its min. */
function lpPool(x: Tensor, p: number, kernel_size: IntOrTuple, stride: IntOrTuple | null, ceil_mode: boolean, n: 1 | 2 | 3): Tensor {
  const maxPool = [max_pool1d, max_pool2d, max_pool3d][n - 1]!, avgPool = [avg_pool1d, avg_pool2d, avg_pool3d][n - 1]!;
  if (p === Infinity) return maxPool(x.abs(), kernel_size, stride, 0, 1, ceil_mode);
  if (p === -Infinity) return maxPool(x.abs().neg(), kernel_size, stride, 0, 1, ceil_mode).neg();
  const k = typeof kernel_size === "number" ? kernel_size ** n : kernel_size.reduce((a, b) => a * b, 1);
  const s = avgPool(x.pow(p), kernel_size, stride, 0, ceil_mode);
  return s.sign().mul(s.abs().relu()).mul(k).pow(1 / p);
}

/** F.lp_pool1d(input, norm_type, kernel_size, stride=null, ceil_mode=false): power-average pooling
 *  over [N, C, L] or [C, L]. */
export function lp_pool1d(input: Tensor, norm_type: number, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, ceil_mode = false): Tensor {
  return lpPool(input, norm_type, kernel_size, stride, ceil_mode, 1);
}
/** F.lp_pool2d(input, norm_type, kernel_size, stride=null, ceil_mode=false). */
export function lp_pool2d(input: Tensor, norm_type: number, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, ceil_mode = false): Tensor {
  return lpPool(input, norm_type, kernel_size, stride, ceil_mode, 2);
}
/** F.lp_pool3d(input, norm_type, kernel_size, stride=null, ceil_mode=false). */
export function lp_pool3d(input: Tensor, norm_type: number, kernel_size: IntOrTuple, stride: IntOrTuple | null = null, ceil_mode = false): Tensor {
  return lpPool(input, norm_type, kernel_size, stride, ceil_mode, 3);
}

// ---- local response normalization -----------------------------------------------------------

/** F.local_response_norm(input, size, alpha=1e-4, beta=0.75, k=1.0) as F composes it: x divided by
 *  (k + alpha·mean of x² over `size` neighbouring channels)^beta, the mean an average pooling of
 *  the zero-padded squares along the channels (2-d for a 3-d input, 3-d otherwise). */
export function local_response_norm(input: Tensor, size: number, alpha = 1e-4, beta = 0.75, k = 1): Tensor {
  const dim = input.ndim;
  if (dim < 3) throw pyError("ValueError", `Expected 3D or higher dimensionality                          input (got ${dim} dimensions)`);
  if (input.numel() === 0) return input;
  let div = input.mul(input);
  const before = Math.floor(size / 2), after = Math.floor((size - 1) / 2);
  if (dim === 3) {
    div = avg_pool2d(pad(div.unsqueeze(1), [0, 0, before, after]), [size, 1], 1).squeeze(1);
  } else {
    const sizes = input.shape.slice();
    div = div.view(sizes[0]!, 1, sizes[1]!, sizes[2]!, -1);
    div = avg_pool3d(pad(div, [0, 0, 0, 0, before, after]), [size, 1, 1], 1).squeeze(1).view(sizes);
  }
  return input.div(div.mul(alpha).add(k).pow(beta));
}
