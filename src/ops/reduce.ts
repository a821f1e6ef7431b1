// Reductions with dim/keepdim, and the softmax family.

import { Tensor } from "../core/tensor.js";
import { DType, bool, int64, uint8, get_default_dtype, scalarTypeName } from "../core/dtype.js";
import { normDims, normDim, numel } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { is_grad_enabled } from "../autograd/grad_mode.js";
import { ownsGradient } from "../autograd/engine.js";
import type { Node } from "../autograd/node.js";
import { installMethods } from "./util.js";
import { cat } from "./indexing.js";
import { arange } from "./creation.js";
import { namedPair, reduceArgs } from "./_helpers.js";

export type DimArg = number | number[] | null | undefined;
export interface ReduceOpts { dim?: DimArg; keepdim?: boolean; dtype?: DType }


/** Normalised reduction dims; a 0-d tensor accepts dim 0 or -1 and reduces "all" of itself. */
function redDims(dims: readonly number[] | null, ndim: number): number[] {
  if (!dims) return [];
  const nd = normDims(dims, ndim);
  return ndim === 0 ? [] : nd;
}

/** A 0-d tensor seen as [1] for the kernels that walk a dim. */
function as1d(t: Tensor): Tensor {
  return t.ndim === 0 ? new Tensor(t._storage, [1], [1], t._offset, t.dtype, t.device) : t;
}

/** The shape without (or with size-1) reduced dims. */
function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const s = new Set(dims.length ? dims : shape.map((_, i) => i));
  return keepdim ? shape.map((d, i) => (s.has(i) ? 1 : d)) : shape.filter((_, i) => !s.has(i));
}

function squeezeTo(t: Tensor, shape: number[]): Tensor {
  t._shape = shape; t._strides = t._strides.length === shape.length ? t._strides : contiguous(shape);
  return t;
}
function contiguous(shape: number[]): number[] { const st: number[] = []; let a = 1; for (let i = shape.length - 1; i >= 0; i--) { st[i] = a; a *= Math.max(shape[i]!, 1); } return st; }

/** Gradient of a reduction, broadcast back to the input: unsqueeze the reduced dims when they were dropped. */
function expandBack(g: Tensor, inShape: readonly number[], dims: readonly number[], keepdim: boolean): Tensor {
  if (!keepdim && inShape.length) {
    const all = dims.length ? [...dims].sort((a, b) => a - b) : inShape.map((_, i) => i);
    for (const d of all) g = g.unsqueeze(d);
  }
  return g.expand(inShape.slice());
}

function sumDtype(x: Tensor, d?: DType): DType {
  if (d) return d;
  return x.dtype.is_floating_point ? x.dtype : int64;
}

export function sum(x: Tensor, a?: DimArg | ReduceOpts, b?: boolean | ReduceOpts, c?: ReduceOpts): Tensor {
  const { dims, keepdim, dtype } = reduceArgs(a, b, c);
  const nd = redDims(dims, x.ndim);
  const outD = sumDtype(x, dtype);
  const src = x.dtype === bool ? x : x;
  const y = squeezeTo(K.reduce(src, nd, "sum", outD), reducedShape(x._shape, nd, keepdim));
  const inShape = x._shape.slice();
  return record(dims ? "SumBackward1" : "SumBackward0", [x], y, ([g]) => [expandBack(g!, inShape, nd, keepdim)]);
}

export function mean(x: Tensor, a?: DimArg | ReduceOpts, b?: boolean | ReduceOpts, c?: ReduceOpts): Tensor {
  const { dims, keepdim, dtype } = reduceArgs(a, b, c);
  const d = dtype ?? x.dtype;
  if (!d.is_floating_point)
    throw new Error(`mean(): could not infer output dtype. ${dtype ? "Optional" : "Input"} dtype must be either a floating point or complex dtype. Got: ${scalarTypeName(d)}`);
  const nd = redDims(dims, x.ndim);
  const count = nd.length ? nd.reduce((p, i) => p * x.shape[i]!, 1) : x.numel();
  const s = K.reduce(x, nd, "sum", d);
  const y = squeezeTo(K.unary(s, (v) => v / count, d, "div_scalar", [count]), reducedShape(x._shape, nd, keepdim));
  const inShape = x._shape.slice();
  // (expanded, then divided, as PyTorch's mean_backward: a fresh gradient, not a broadcast view)
  return record(dims ? "MeanBackward1" : "MeanBackward0", [x], y, ([g]) => [expandBack(g!, inShape, nd, keepdim).div(count)]);
}

export function prod(x: Tensor, dim?: number | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor {
  const { dims, keepdim: kd, dtype } = reduceArgs(dim as DimArg, keepdim);
  const nd = dims ? normDims(dims, x.ndim) : [];
  const y = squeezeTo(K.reduce(x, nd, "prod", sumDtype(x, dtype)), reducedShape(x.shape, nd, kd));
  // PyTorch's prod_backward: g·result/x when x has no zero; otherwise the products of everything
  // before and after each element (prod_safe_zeros_backward), which needs no division. The
  // all-reduce with two or more zeros has a zero gradient, returned directly unless the backward
  // itself is being differentiated.
  const safeZeros = (g: Tensor, inp: Tensor, d: number): Tensor => {
    if (inp.numel() === 0) return g.expand(inp.shape.slice());
    const n = inp.shape[d]!;
    const onesShape = inp.shape.slice(); onesShape[d] = 1;
    const ones = g.new_ones(onesShape);
    const before = cat([ones, inp.narrow(d, 0, n - 1)], d).cumprod(d);
    const after = cat([ones, inp.narrow(d, 1, n - 1).flip([d])], d).cumprod(d).flip([d]);
    return g.mul(before.mul(after));
  };
  return record(dims ? "ProdBackward1" : "ProdBackward0", [x], y, ([g], [xs, ys]) => {
    const inp = xs!;
    let gg = g!, res = ys!;
    if (inp.ndim === 0) return [gg];
    const zeros = (K.reduce(inp.eq(0), [], "sum", int64).item() as number);
    if (!dims) {
      if (zeros === 0) return [gg.mul(res.div(inp))];
      if (zeros > 1 && !is_grad_enabled()) return [inp.mul(0)];
      return [safeZeros(gg.reshape(1), inp.contiguous().view(-1), 0).view(inp.shape.slice())];
    }
    const d = nd[0]!;
    if (!kd) { gg = gg.unsqueeze(d); res = res.unsqueeze(d); }
    return [zeros === 0 ? gg.mul(res.div(inp)) : safeZeros(gg, inp, d)];
  }, [x, y]);
}

/** max/min: all-reduce (one value), or along dim (values and indices, PyTorch's named tuple). */
/** PyTorch's (values, indices) named tuple: destructures as an array, and carries the names.
 *  (`values` shadows Array.prototype.values on the instance; iteration uses Symbol.iterator.) */
export interface ValuesIndices {
  readonly 0: Tensor; readonly 1: Tensor; readonly length: 2;
  readonly values: Tensor; readonly indices: Tensor;
  [Symbol.iterator](): Iterator<Tensor>;
}

function extremum(kind: "max" | "min", x: Tensor, dim?: number | Tensor | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor | ValuesIndices {
  if (dim instanceof Tensor) return kind === "max" ? x.maximum(dim) : x.minimum(dim);
  const { dims, keepdim: kd } = reduceArgs(dim as DimArg, keepdim);
  if (!dims) {
    if (x.numel() === 0) throw new Error(`${kind}(): Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    const y = K.reduce(x, [], kind, x.dtype);
    squeezeTo(y, []);
    return record(kind === "max" ? "MaxBackward1" : "MinBackward1", [x], y, ([g], [xs, ys]) => {
      // evenly distributed among ties (PyTorch's evenly_distribute_backward)
      const mask = xs!.eq(ys!);
      return [mask.mul(g!.div(mask.sum()))];
    }, [x, y]);
  }
  const d = normDim(dims[0]!, x.ndim);
  if (x.ndim === 0) {
    // a 0-d tensor is its own max along dim 0, at index 0
    const v = K.contiguousCopy(x), i = K.onDeviceOf(Tensor.empty([], int64), x); // (zero, on x's device)
    record(kind === "max" ? "MaxBackward0" : "MinBackward0", [x], [v, i], ([g]) => [g!]);
    return namedPair(v, i, kind);
  }
  if (x.shape[d] === 0) throw new Error(`${kind}(): Expected reduction dim ${d} to have non-zero size.`);
  const values = squeezeTo(K.reduce(x, [d], kind, x.dtype), reducedShape(x.shape, [d], kd));
  const indices = squeezeTo(K.reduce(x, [d], kind === "max" ? "argmax" : "argmin", int64), reducedShape(x.shape, [d], kd));
  const inShape = x._shape.slice();
  record(kind === "max" ? "MaxBackward0" : "MinBackward0", [x], [values, indices], ([g]) => [indexBack(g!, indices, inShape, d, kd)]);
  return namedPair(values, indices, kind);
}

/** Scatters g into zeros of inShape at `indices` along dim (the backward of max(dim), gather …). */
function indexBack(g: Tensor, indices: Tensor, inShape: readonly number[], d: number, keepdim: boolean): Tensor {
  const gi = keepdim || inShape.length === 0 ? g : g.unsqueeze(d);
  const ii = keepdim || inShape.length === 0 ? indices : indices.unsqueeze(d);
  return g.new_zeros(inShape.slice()).scatter(d, ii, gi);
}

export function max(x: Tensor): Tensor;
export function max(x: Tensor, other: Tensor): Tensor;
export function max(x: Tensor, dim: number | ReduceOpts, keepdim?: boolean): ValuesIndices;
export function max(x: Tensor, dim?: number | Tensor | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor | ValuesIndices { return extremum("max", x, dim, keepdim); }
export function min(x: Tensor): Tensor;
export function min(x: Tensor, other: Tensor): Tensor;
export function min(x: Tensor, dim: number | ReduceOpts, keepdim?: boolean): ValuesIndices;
export function min(x: Tensor, dim?: number | Tensor | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor | ValuesIndices { return extremum("min", x, dim, keepdim); }

function amaxmin(kind: "max" | "min", x: Tensor, a?: DimArg | ReduceOpts, b?: boolean): Tensor {
  const { dims, keepdim } = reduceArgs(a, b);
  const nd = redDims(dims, x.ndim);
  if (x.numel() === 0) { // (zero_numel_check_dims: no identity to start from)
    const fn = `a${kind}()`;
    if (!dims || dims.length === 0) throw new Error(`${fn}: Expected reduction dim to be specified for input.numel() == 0. Specify the reduction dim with the 'dim' argument.`);
    for (const d of dims) if (x.shape[normDim(d, x.ndim)] === 0) throw new RangeError(`${fn}: Expected reduction dim ${d} to have non-zero size.`);
  }
  const y = squeezeTo(K.reduce(x, nd, kind, x.dtype), reducedShape(x._shape, nd, keepdim));
  const inShape = x._shape.slice();
  return record(kind === "max" ? "AmaxBackward0" : "AminBackward0", [x], y, ([g], [xs, ys]) => {
    const yy = expandBack(ys!, inShape, nd, keepdim);
    const mask = xs!.eq(yy);
    const count = expandBack(mask.sum({ dim: nd.length ? nd : null, keepdim }), inShape, nd, keepdim);
    return [expandBack(g!, inShape, nd, keepdim).mul(mask).div(count)];
  }, [x, y]);
}
export const amax = (x: Tensor, dim?: DimArg | ReduceOpts, keepdim?: boolean) => amaxmin("max", x, dim, keepdim);
export const amin = (x: Tensor, dim?: DimArg | ReduceOpts, keepdim?: boolean) => amaxmin("min", x, dim, keepdim);

function argOp(kind: "argmax" | "argmin", x: Tensor, dim?: number | null | ReduceOpts, keepdim?: boolean): Tensor {
  const { dims, keepdim: kd } = reduceArgs(dim as DimArg, keepdim);
  if (!dims) {
    if (x.numel() === 0) throw new RangeError(`${kind}(): Expected reduction dim to be specified for input.numel() == 0.`);
    const flat = x.reshape(-1);
    const y = squeezeTo(K.reduce(flat, [0], kind, int64), []);
    return kd ? y.reshape(x.shape.map(() => 1)) : y;
  }
  const d = normDim(dims[0]!, x.ndim);
  if (x.ndim > 0 && x.shape[d] === 0) throw new RangeError(`${kind}(): Expected reduction dim ${d} to have non-zero size.`);
  return squeezeTo(K.reduce(x, [d], kind, int64), reducedShape(x.shape, [d], kd));
}
export const argmax = (x: Tensor, dim?: number | null | ReduceOpts, keepdim?: boolean) => argOp("argmax", x, dim, keepdim);
export const argmin = (x: Tensor, dim?: number | null | ReduceOpts, keepdim?: boolean) => argOp("argmin", x, dim, keepdim);

function boolReduce(kind: "any" | "all", x: Tensor, dim?: DimArg | ReduceOpts, keepdim?: boolean): Tensor {
  const { dims, keepdim: kd } = reduceArgs(dim, keepdim);
  const nd = redDims(dims, x.ndim);
  // uint8 in, uint8 out: PyTorch keeps this legacy behaviour of any/all
  return squeezeTo(K.reduce(x, nd, kind, x.dtype === uint8 ? uint8 : bool), reducedShape(x.shape, nd, kd));
}
export const any = (x: Tensor, dim?: DimArg | ReduceOpts, keepdim?: boolean) => boolReduce("any", x, dim, keepdim);
export const all = (x: Tensor, dim?: DimArg | ReduceOpts, keepdim?: boolean) => boolReduce("all", x, dim, keepdim);

/** softmax along dim, composed from differentiable ops' values but with its own fused backward
 *  (PyTorch's SoftmaxBackward0: g·y − y·Σ(g·y)). */
// Note [Fused backward]: a formula written in Tensor ops is what double backward differentiates,
// so it is what runs under create_graph (the engine runs a backward with grad mode on exactly
// then); otherwise the backend's fused kernel, where it has one, computes the same gradient in
// one pass.

/** softmax's and log_softmax's input: cast to the dtype= given, which must then be floating as the
 *  input itself otherwise (PyTorch has no integer kernel: its error names the kernel the dim would
 *  run). */
function softmaxInput(x: Tensor, dim: number, dtype: DType | undefined, log: boolean): Tensor {
  const src = dtype ? x.to(dtype) : x;
  if (!src.dtype.is_floating_point) {
    const last = src.ndim === 0 || normDim(dim, src.ndim) === src.ndim - 1;
    throw new Error(`"${log ? "log_" : ""}softmax_${last ? "lastdim_" : ""}kernel_impl" not implemented for '${scalarTypeName(src.dtype)}'`);
  }
  return src;
}

/** softmax's dtype, PyTorch's third parameter, given by position or in an options object. */
const dtypeOpt = (o: { dtype?: DType } | DType | null | undefined): { dtype?: DType } => (o instanceof DType ? { dtype: o } : o ?? {});

export function softmax(x: Tensor, dim: number | { dim: number; dtype?: DType }, opts?: { dtype?: DType } | DType | null): Tensor {
  const o = typeof dim === "number" ? { dim, ...dtypeOpt(opts) } : dim;
  const src = softmaxInput(x, o.dim, o.dtype, false);
  const d = normDim(o.dim, src.ndim);
  const y = squeezeTo(K.softmax(as1d(src), d, false), src.shape.slice());
  return record("SoftmaxBackward0", [src], y, ([g], [ys]) => {
    const fused = !is_grad_enabled() && K.softmaxBackward(g!, ys!, d, false, ownsGradient(g!)); // (Note [Fused backward])
    if (fused) return [fused];
    const gy = g!.mul(ys!);
    return [gy.sub(ys!.mul(gy.sum(d, true)))];
  }, [y]);
}

export function log_softmax(x: Tensor, dim: number | { dim: number; dtype?: DType }, opts?: { dtype?: DType } | DType | null): Tensor {
  const o = typeof dim === "number" ? { dim, ...dtypeOpt(opts) } : dim;
  const src = softmaxInput(x, o.dim, o.dtype, true);
  const d = normDim(o.dim, src.ndim);
  const y = squeezeTo(K.softmax(as1d(src), d, true), src.shape.slice());
  record("LogSoftmaxBackward0", [src], y, ([g], [ys]) => {
    const fused = !is_grad_enabled() && K.softmaxBackward(g!, ys!, d, true, ownsGradient(g!));
    return [fused || g!.sub(ys!.exp().mul(g!.sum(d, true)))];
  }, [y]);
  if (y._grad_fn && d === y.ndim - 1) lastDimLogSoftmax.add(y._grad_fn);
  return y;
}

/** The nodes of log_softmax over its output's last dim. */
const lastDimLogSoftmax = new WeakSet<Node>();

/** log_softmax's input gradient, where `node` is the node of a log_softmax over the last dim of
 *  its output y [rows, len] (else null), from a gradient of y that is vals[r] at column cols[r] of
 *  row r and zero elsewhere: nll_loss's half of Note [Fused backward pairs] in autograd/engine.ts.
 *  Null too where the backend has no kernel for it. */
export function logSoftmaxOnehotBackward(node: Node, cols: Int32Array, vals: Float32Array): Tensor | null {
  return lastDimLogSoftmax.has(node) ? K.logSoftmaxBackwardOnehot(node._unpack()[0]!, cols, vals) : null;
}

export function logsumexp(x: Tensor, dim: number | number[], keepdim = false): Tensor {
  const dims = redDims(Array.isArray(dim) ? dim : [dim], x.ndim);
  const src = x.dtype.is_floating_point ? x : x.to(get_default_dtype());
  // values from the max-shifted sum (an infinite max is not subtracted), one node for the op
  const s = src.detach();
  // (an empty tensor has no max to shift by: log of the empty sum, as PyTorch)
  const m = s.numel() === 0 ? null : s.amax(dims, true);
  const safe = m === null ? 0 : m.masked_fill(m.isinf(), 0);
  let y = s.sub(safe).exp().sum(dims, true).log().add(safe);
  if (!keepdim) y = y.squeeze(dims);
  y = K.contiguousCopy(y); // a fresh tensor, not a view of the computation
  const unsq = (t: Tensor) => (keepdim ? t : [...dims].sort((a, b) => a - b).reduce((u, d) => u.unsqueeze(d), t));
  return record("LogsumexpBackward0", [src], y, ([g], [xs, ys]) => [unsq(g!).mul(xs!.sub(unsq(ys!)).exp())], [src, y]);
}

export function cumsum(x: Tensor, dim: number, opts?: { dtype?: DType }): Tensor {
  const d = normDim(dim, x.ndim);
  const y = x.ndim === 0 ? K.contiguousCopy(x, sumDtype(x, opts?.dtype)) : K.scan(x, d, "sum", sumDtype(x, opts?.dtype));
  return record("CumsumBackward0", [x], y, ([g]) => [x.ndim === 0 ? g! : g!.flip([d]).cumsum(d).flip([d])]);
}

export function cumprod(x: Tensor, dim: number, opts?: { dtype?: DType }): Tensor {
  const d = normDim(dim, x.ndim);
  const y = x.ndim === 0 ? K.contiguousCopy(x, sumDtype(x, opts?.dtype)) : K.scan(x, d, "prod", sumDtype(x, opts?.dtype));
  // PyTorch's cumprod_backward. Without zeros: Σ_{j≥i} g_j·y_j / x_i (a reversed cumsum). With
  // zeros, only the elements up to the first zero z1 of each lane get a gradient: before z1 the
  // same sum restricted to j < z1, and at z1 Σ_{z1≤j<z2} g_j·y_{z1−1}·Π_{z1<i≤j} x_i (z2: the
  // second zero). That O(n) form is computed directly; when the backward is itself being
  // differentiated (create_graph), PyTorch's O(n²) composition of prod and cumprod is used instead.
  return record("CumprodBackward0", [x], y, ([g], [xs, ys]) => {
    const inp = xs!, out = ys!, gg = g!.to(inp.dtype);
    if (inp.numel() <= 1 || inp.shape[d] === 1) return [gg];
    const rev = (t: Tensor): Tensor => t.flip([d]).cumsum(d).flip([d]);
    if ((K.reduce(inp.eq(0), [], "sum", int64).item() as number) === 0) return [rev(out.mul(gg)).div(inp)];
    const n = inp.shape[d]!;
    if (!is_grad_enabled()) {
      const lane = (t: Tensor) => K.values(t.detach().movedim(d, -1).contiguous());
      const xv = lane(inp), yv = lane(out), gv = lane(gg);
      const r = new Float64Array(xv.length);
      for (let s = 0; s < xv.length; s += n) {
        let z1 = n, z2 = n;
        for (let k = 0; k < n; k++) if (xv[s + k] === 0) { if (z1 === n) z1 = k; else { z2 = k; break; } }
        let acc = 0;
        for (let k = z1 - 1; k >= 0; k--) { acc += gv[s + k]! * yv[s + k]!; r[s + k] = acc / xv[s + k]!; }
        if (z1 < n) {
          const pre = z1 === 0 ? 1 : yv[s + z1 - 1]!;
          let run = 1, sum = 0;
          for (let j = z1; j < z2; j++) { if (j > z1) run *= xv[s + j]!; sum += gv[s + j]! * run; }
          r[s + z1] = sum * pre;
        }
      }
      const laneShape = inp.movedim(d, -1).shape.slice();
      return [Tensor.fromStorage(K.fromNumbers(r, inp.dtype), laneShape, inp.dtype).movedim(-1, d).contiguous()];
    }
    const parts: Tensor[] = [];
    const onesShape = inp.shape.slice(); onesShape[d] = 1;
    const ones = gg.new_ones(onesShape);
    for (let k = 0; k < n; k++) {
      let omitted: Tensor;
      if (k === 0) omitted = cat([ones, inp.narrow(d, 1, n - 1).cumprod(d)], d);
      else {
        const until = inp.narrow(d, 0, k).prod(d, true);
        if (k === n - 1) omitted = until;
        else {
          const from = inp.narrow(d, k + 1, n - k - 1).cumprod(d);
          omitted = cat([until, until.expand(from.shape.slice()).mul(from)], d);
        }
      }
      parts.push(gg.narrow(d, k, n - k).mul(omitted).sum(d, true));
    }
    return [cat(parts, d)];
  }, [x, y]);
}

installMethods({ sum, mean, prod, max, min, amax, amin, argmax, argmin, any, all, softmax, log_softmax, logsumexp, cumsum, cumprod });

declare module "../core/tensor.js" {
  interface Tensor {
    sum(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts, opts?: ReduceOpts): Tensor;
    mean(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts, opts?: ReduceOpts): Tensor;
    prod(dim?: number | ReduceOpts | null, keepdim?: boolean | ReduceOpts): Tensor;
    max(): Tensor; max(other: Tensor): Tensor; max(dim: number | ReduceOpts, keepdim?: boolean): ValuesIndices;
    min(): Tensor; min(other: Tensor): Tensor; min(dim: number | ReduceOpts, keepdim?: boolean): ValuesIndices;
    amax(dim?: DimArg | ReduceOpts, keepdim?: boolean): Tensor; amin(dim?: DimArg | ReduceOpts, keepdim?: boolean): Tensor;
    argmax(dim?: number | null | ReduceOpts, keepdim?: boolean): Tensor; argmin(dim?: number | null | ReduceOpts, keepdim?: boolean): Tensor;
    any(dim?: DimArg | ReduceOpts, keepdim?: boolean): Tensor; all(dim?: DimArg | ReduceOpts, keepdim?: boolean): Tensor;
    softmax(dim: number | { dim: number; dtype?: DType }, opts?: { dtype?: DType }): Tensor;
    log_softmax(dim: number | { dim: number; dtype?: DType }, opts?: { dtype?: DType }): Tensor;
    logsumexp(dim: number | number[], keepdim?: boolean): Tensor;
    cumsum(dim: number, opts?: { dtype?: DType }): Tensor; cumprod(dim: number, opts?: { dtype?: DType }): Tensor;
  }
}
void numel;
