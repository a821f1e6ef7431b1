// Statistics and running reductions: var, std, var_mean, std_mean, nansum, nanmean,
// count_nonzero, aminmax, cummax, cummin, logcumsumexp, diff, trapezoid, cumulative_trapezoid.
//
// Forward values are computed in float64 per reduction group (PyTorch's CPU kernels accumulate
// float in double too) and rounded once into the output dtype; each op records one node with
// PyTorch's formula beside it, written in Tensor ops so it is itself differentiable.

import { Tensor } from "../core/tensor.js";
import { type DType, int64, bool, scalarTypeName } from "../core/dtype.js";
import { normDim, normDims, numel } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { installMethods, isOptions, warnOnce } from "./util.js";
import type { DimArg, ReduceOpts, ValuesIndices } from "./reduce.js";
import { namedPair, reduceArgs, returnType } from "./_helpers.js";
import { where, mulScalar, divScalar } from "./elementwise.js";
import { cat } from "./indexing.js";

// ---- shared helpers --------------------------------------------------------------------------------

/** Reduction groups: x's values with the reduced dims moved last, so each run of `n` values is one
 *  output element's group (row-major over the kept dims). `dims` empty means all. */
export function groupsOf(x: Tensor, dims: readonly number[]): { v: ArrayLike<number>; n: number; count: number } {
  // (a 0-d x reduced over dim 0 or -1, as PyTorch allows, is one group of its one element)
  const all = dims.length && x.ndim > 0 ? dims : x.shape.map((_, i) => i);
  const keep = x.shape.map((_, i) => i).filter((i) => !all.includes(i));
  const v = K.values(x.detach().permute([...keep, ...all]));
  const n = all.reduce((p, i) => p * x.shape[i]!, 1);
  return { v, n, count: numel(keep.map((i) => x.shape[i]!)) };
}

/** The shape after reducing `dims` (empty: all), keeping them as size 1 when keepdim. */
export function reducedShape(shape: readonly number[], dims: readonly number[], keepdim: boolean): number[] {
  const s = new Set(dims.length ? dims : shape.map((_, i) => i));
  return keepdim ? shape.map((d, i) => (s.has(i) ? 1 : d)) : shape.filter((_, i) => !s.has(i));
}

/** A reduction's gradient brought back to the input's rank (the dropped dims as size 1). */
export function unsqueezeReduced(g: Tensor, ndim: number, dims: readonly number[], keepdim: boolean): Tensor {
  if (keepdim || ndim === 0) return g;
  const all = dims.length ? [...dims].sort((a, b) => a - b) : [...Array(ndim).keys()];
  for (const d of all) g = g.unsqueeze(d);
  return g;
}

function outTensor(o: ArrayLike<number>, shape: readonly number[], d: DType): Tensor {
  return Tensor.fromStorage(K.fromNumbers(o, d), shape, d);
}

// ---- var, std, var_mean, std_mean ------------------------------------------------------------------

export interface VarOpts { dim?: DimArg; correction?: number | null; unbiased?: boolean; keepdim?: boolean }
type VarA = DimArg | boolean | VarOpts;

/** PyTorch's overloads: var(x, unbiased), var(x, dim, unbiased, keepdim), var(x, dim, {correction, keepdim}),
 *  var(x, {dim, correction | unbiased, keepdim}). */
function varArgs(op: string, x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts): { dims: number[]; all: boolean; correction: number; keepdim: boolean } {
  const o: VarOpts = {};
  if (typeof a === "boolean") o.unbiased = a;
  else if (isOptions(a)) Object.assign(o, a);
  else if (a !== undefined) o.dim = a as DimArg;
  if (isOptions(b)) Object.assign(o, b); else if (typeof b === "boolean") o.unbiased = b;
  if (isOptions(c)) Object.assign(o, c); else if (typeof c === "boolean") o.keepdim = c;
  if (d) Object.assign(o, d);
  if (o.unbiased !== undefined && o.correction !== undefined && o.correction !== null)
    throw new Error("std and var: cannot specify both unbiased and correction");
  if (!x.dtype.is_floating_point) throw new Error(`${op} only support floating point and complex dtypes`);
  const dim = o.dim;
  const list = dim === null || dim === undefined ? [] : Array.isArray(dim) ? dim : [dim];
  const dims = normDims(list, x.ndim);
  return {
    // (a 0-d x reduced over dim 0 or -1 is reduced over everything)
    dims: x.ndim === 0 ? [] : dims, all: list.length === 0 || x.ndim === 0,
    correction: o.correction ?? (o.unbiased === false ? 0 : 1), keepdim: o.keepdim ?? false,
  };
}

/** var and mean of every group, in float64. */
function varMeanValues(x: Tensor, dims: number[], correction: number): { vr: Float64Array; mn: Float64Array } {
  const { v, n, count } = groupsOf(x, dims);
  const vr = new Float64Array(count), mn = new Float64Array(count);
  const dof = Math.max(0, n - correction);
  for (let j = 0; j < count; j++) {
    const s = j * n;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += v[s + k]!;
    const mean = sum / n;
    let ss = 0;
    for (let k = 0; k < n; k++) { const e = v[s + k]! - mean; ss += e * e; }
    mn[j] = mean; vr[j] = ss / dof; // n == correction gives x/0 (inf or nan), as PyTorch
  }
  return { vr, mn };
}

/** The var (or std) and mean of every group as tensors of `shape` on x's device: the CPU's
 *  float64 loop, or on a device its reductions, two passes as the loop (nothing read back). */
function varMean(kind: "var" | "std", x: Tensor, dims: number[], correction: number, shape: number[]): { s: Tensor; m: Tensor } {
  if (x.device.type === "cpu") {
    const { vr, mn } = varMeanValues(x, dims, correction);
    if (kind === "std") for (let i = 0; i < vr.length; i++) vr[i] = Math.sqrt(vr[i]!);
    return { s: outTensor(vr, shape, x.dtype), m: outTensor(mn, shape, x.dtype) };
  }
  return no_grad(() => {
    // (results, not views: reduced with keepdim as `shape` says)
    const d = dims.length ? dims : [...x.shape.keys()], xs = x.detach(), kd = shape.length === x.ndim && x.ndim > 0;
    const n = d.reduce((p, i) => p * x.shape[i]!, 1), mean = xs.mean(d, true);
    const v = xs.sub(mean).square().sum(d, kd).div(Math.max(0, n - correction));
    return { s: kind === "std" ? v.sqrt() : v, m: kd ? mean : xs.mean(d, false) };
  });
}

/** PyTorch's var_backward: 2/(N − correction) · g · (x − mean). */
function varBackward(g: Tensor, x: Tensor, dims: number[], all: boolean, correction: number, keepdim: boolean): Tensor {
  const n = all ? x.numel() : dims.reduce((p, i) => p * x.shape[i]!, 1);
  const gg = unsqueezeReduced(g, x.ndim, dims, keepdim || all);
  const centered = all ? x.sub(x.mean()) : x.sub(x.mean(dims, true));
  return gg.mul(2 / (n - correction)).mul(centered);
}

/** PyTorch's std_backward: the var gradient of g / (2·std), zero where std is zero. */
function stdToVarGrad(g: Tensor, std: Tensor): Tensor {
  return g.div(std.mul(2)).masked_fill(std.eq(0), 0);
}

/** PyTorch's warning (std_var_out) when a group has no more elements than the correction. */
function warnDof(op: string, x: Tensor, dims: number[], all: boolean, correction: number): void {
  const n = all ? x.numel() : dims.reduce((p, i) => p * x.shape[i]!, 1);
  if (n - correction <= 0)
    warnOnce(`${op}(): degrees of freedom is <= 0. Correction should be strictly less than the reduction factor (input numel divided by output numel).`);
}

function varStd(kind: "var" | "std", x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts): Tensor {
  const { dims, all, correction, keepdim } = varArgs("std and var", x, a, b, c, d);
  warnDof(kind, x, dims, all, correction);
  const y = varMean(kind, x, dims, correction, reducedShape(x.shape, dims, keepdim)).s;
  if (kind === "var") return record("VarBackward0", [x], y, ([g], [xs]) => [varBackward(g!, xs!, dims, all, correction, keepdim)], [x]);
  return record("StdBackward0", [x], y, ([g], [xs, ys]) => [varBackward(stdToVarGrad(g!, ys!), xs!, dims, all, correction, keepdim)], [x, y]);
}

function varStdMean(kind: "var" | "std", x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts): [Tensor, Tensor] {
  const { dims, all, correction, keepdim } = varArgs(`${kind}_mean`, x, a, b, c, d);
  warnDof(`${kind}_mean`, x, dims, all, correction);
  const { s, m } = varMean(kind, x, dims, correction, reducedShape(x.shape, dims, keepdim));
  const n = all ? x.numel() : dims.reduce((p, i) => p * x.shape[i]!, 1);
  const inShape = x.shape.slice();
  // var_mean_backward: the var part plus the mean's gradient spread evenly over each group
  record(kind === "var" ? "VarMeanBackward0" : "StdMeanBackward0", [x], [s, m], ([gs, gm], [xs, ss]) => {
    const gv = kind === "var" ? gs! : stdToVarGrad(gs!, ss!);
    const gmean = unsqueezeReduced(gm!, inShape.length, dims, keepdim || all).div(n).expand(inShape);
    return [varBackward(gv, xs!, dims, all, correction, keepdim).add(gmean)];
  }, [x, s]);
  return [s, m];
}

export const var_ = (x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts) => varStd("var", x, a, b, c, d);
export const std = (x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts) => varStd("std", x, a, b, c, d);
export const var_mean = (x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts) => varStdMean("var", x, a, b, c, d);
export const std_mean = (x: Tensor, a?: VarA, b?: boolean | VarOpts, c?: boolean | VarOpts, d?: VarOpts) => varStdMean("std", x, a, b, c, d);
export { var_ as var };

// ---- NaN-aware sums, count_nonzero ---------------------------------------------------------------

/** torch.nansum: sum treating NaN as zero (NansumBackward0: the gradient skips the NaNs). */
export function nansum(x: Tensor, a?: DimArg | ReduceOpts, b?: boolean | ReduceOpts, c?: ReduceOpts): Tensor {
  const { dims, keepdim, dtype } = reduceArgs(a, b, c);
  const nd = dims ? normDims(dims, x.ndim) : [];
  const outD = dtype ?? (x.dtype.is_floating_point ? x.dtype : int64);
  const src = x.dtype.is_floating_point ? where(x.detach().isnan(), 0, x.detach()) : x.detach();
  const y = K.reduce(src, nd, "sum", outD).reshape(reducedShape(x.shape, nd, keepdim));
  const inShape = x.shape.slice();
  // nansum_backward multiplies by the not-NaN mask (so an inf gradient becomes NaN there, as in PyTorch)
  return record("NansumBackward0", [x], K.contiguousCopy(y), ([g], [xs]) => [
    unsqueezeReduced(g!.to(xs!.dtype), inShape.length, nd, keepdim).expand(inShape).mul(xs!.isnan().logical_not()),
  ], [x]);
}

/** torch.nanmean = nansum / (number of non-NaN elements), composed as PyTorch does (DivBackward0). */
export function nanmean(x: Tensor, a?: DimArg | ReduceOpts, b?: boolean | ReduceOpts, c?: ReduceOpts): Tensor {
  if (!x.dtype.is_floating_point) throw new Error(`nanmean(): expected input to have floating point dtype but got ${scalarTypeName(x.dtype)}`);
  const { dims, keepdim, dtype } = reduceArgs(a, b, c);
  const count = x.isnan().logical_not().sum({ dim: dims, keepdim });
  return nansum(x, { dim: dims, keepdim, ...(dtype ? { dtype } : {}) }).div(count);
}

/** torch.count_nonzero(input, dim=None) → int64 */
export function count_nonzero(x: Tensor, dim?: number | number[] | null | { dim?: number | number[] | null }): Tensor {
  const d = isOptions(dim) ? (dim as { dim?: number | number[] | null }).dim : (dim as number | number[] | null | undefined);
  const list = d === null || d === undefined ? [] : Array.isArray(d) ? d : [d];
  const nd = normDims(list, x.ndim);
  return K.reduce(x.detach().ne(0), nd, "sum", int64).reshape(reducedShape(x.shape, nd, false));
}

// ---- aminmax ----------------------------------------------------------------------------------------

export interface MinMax { readonly 0: Tensor; readonly 1: Tensor; readonly length: 2; readonly min: Tensor; readonly max: Tensor; [Symbol.iterator](): Iterator<Tensor> }

/** torch.aminmax(input, *, dim=None, keepdim=False) → (min, max). The gradient of each output is
 *  shared among the elements equal to it, as amin/amax (recent PyTorch's aminmax_backward). */
export function aminmax(x: Tensor, opts: { dim?: number | null; keepdim?: boolean } = {}): MinMax {
  const hasDim = opts.dim !== undefined && opts.dim !== null;
  const keepdim = opts.keepdim ?? false;
  if (!hasDim && x.numel() === 0) throw new Error("aminmax(): cannot compute aminmax over an empty dimension as the operation has no identity.");
  const nd = hasDim && x.ndim > 0 ? [normDim(opts.dim as number, x.ndim)] : [];
  if (hasDim && x.ndim === 0) normDim(opts.dim as number, 0);
  if (nd.length && x.shape[nd[0]!] === 0) throw new RangeError(`aminmax: Expected reduction dim ${nd[0]} to have non-zero size.`);
  const shape = x.ndim === 0 ? [] : reducedShape(x.shape, nd, keepdim);
  const mn = K.reduce(x, nd, "min", x.dtype).reshape(shape), mx = K.reduce(x, nd, "max", x.dtype).reshape(shape);
  const lo = K.contiguousCopy(mn), hi = K.contiguousCopy(mx);
  const inShape = x.shape.slice();
  record("AminmaxBackward0", [x], [lo, hi], ([gl, gh], [xs, ls, hs]) => {
    const part = (g: Tensor, v: Tensor): Tensor => {
      const vv = unsqueezeReduced(v, inShape.length, nd, keepdim);
      const mask = xs!.eq(vv);
      const count = mask.sum({ dim: nd.length ? nd : null, keepdim: true });
      return unsqueezeReduced(g, inShape.length, nd, keepdim).mul(mask).div(count);
    };
    return [part(gl!, ls!).add(part(gh!, hs!))];
  }, [x, lo, hi]);
  return returnType("aminmax", ["min", "max"], [lo, hi]) as unknown as MinMax;
}

// ---- cummax, cummin, logcumsumexp -------------------------------------------------------------------

/** Note [Lanes] (see sorting.ts): run `step` over each lane of x along d, writing per-position
 *  outputs in lane layout, then move them back. */
function scanLanes(x: Tensor, d: number, step: (v: ArrayLike<number>, s: number, len: number, out: Float64Array, idx: Float64Array | null) => void, withIdx: boolean): { out: Tensor; idx: Tensor | null; } {
  const y = x.ndim === 0 ? x.detach().reshape(1) : x.detach().movedim(d, -1);
  const v = K.values(y), len = y.shape[y.ndim - 1]!, n = v.length;
  const out = new Float64Array(n), idx = withIdx ? new Float64Array(n) : null;
  if (len > 0) for (let s = 0; s < n; s += len) step(v, s, len, out, idx);
  const back = (a: ArrayLike<number>, dt: DType): Tensor => {
    const t = outTensor(a, y.shape, dt);
    return x.ndim === 0 ? t.reshape([]) : K.contiguousCopy(t.movedim(-1, d));
  };
  return { out: back(out, x.dtype), idx: idx ? back(idx, int64) : null };
}

function cumExtremum(kind: "max" | "min", x: Tensor, dim: number | { dim: number }): ValuesIndices {
  const d = normDim(typeof dim === "number" ? dim : dim.dim, x.ndim);
  // PyTorch's cummax_cummin_helper: a NaN always takes over (and keeps its index), ties move the
  // index forward (>= for max, <= for min).
  const ge = kind === "max" ? (a: number, b: number) => a >= b : (a: number, b: number) => a <= b;
  const exact = x.dtype === int64;
  if (exact) {
    // int64: pick indices on exact values, then gather
    const y = x.ndim === 0 ? x.detach().reshape(1) : x.detach().movedim(d, -1);
    const v = K.bigValues(y), len = y.shape[y.ndim - 1]!, idx = new BigInt64Array(v.length);
    for (let s = 0; s < v.length; s += len) {
      let best = v[s]!, bi = 0;
      for (let k = 0; k < len; k++) { const e = v[s + k]!; if (kind === "max" ? e >= best : e <= best) { best = e; bi = k; } idx[s + k] = BigInt(bi); }
    }
    const it = Tensor.fromStorage(idx, y.shape, int64);
    const indices = x.ndim === 0 ? it.reshape([]) : K.contiguousCopy(it.movedim(-1, d));
    return namedPair(x.ndim === 0 ? K.contiguousCopy(x) : x.detach().gather(d, indices), indices, `cum${kind}`);
  }
  const { out, idx } = scanLanes(x, d, (v, s, len, o, ix) => {
    let best = v[s]!, bi = 0;
    for (let k = 0; k < len; k++) {
      const e = v[s + k]!;
      if (e !== e || (best === best && ge(e, best))) { best = e; bi = k; }
      o[s + k] = best; ix![s + k] = bi;
    }
  }, true);
  const indices = idx!;
  const inShape = x.shape.slice();
  record(kind === "max" ? "CummaxBackward0" : "CumminBackward0", [x], [out, indices], ([g]) => [
    // cummaxmin_backward: every output's gradient goes to the element it copied
    inShape.length === 0 ? g! : g!.new_zeros(inShape).scatter_add(d, indices, g!),
  ]);
  return namedPair(out, indices, `cum${kind}`);
}
export const cummax = (x: Tensor, dim: number | { dim: number }) => cumExtremum("max", x, dim);
export const cummin = (x: Tensor, dim: number | { dim: number }) => cumExtremum("min", x, dim);

/** PyTorch's _log_add_exp_helper: log(exp(x) + exp(y)) without overflow, infinities exact. */
function logAddExp(x: number, y: number): number {
  const mn = y !== y ? y : Math.min(x, y), mx = y !== y ? y : Math.max(x, y);
  if (mn !== mx || Number.isFinite(mn)) return Math.log1p(Math.exp(mn - mx)) + mx;
  return x;
}

const lowest: Record<string, number> = { float32: -3.4028234663852886e38, float64: -Number.MAX_VALUE, float16: -65504, bfloat16: -3.3895313892515355e38 };

export function logcumsumexp(x: Tensor, dim: number | { dim: number }): Tensor {
  if (!x.dtype.is_floating_point) throw new Error(`"logcumsumexp_out_cpu" not implemented for '${scalarTypeName(x.dtype)}'`);
  const d = normDim(typeof dim === "number" ? dim : dim.dim, x.ndim);
  const { out } = scanLanes(x, d, (v, s, len, o) => {
    let acc = -Infinity;
    for (let k = 0; k < len; k++) { acc = logAddExp(v[s + k]!, acc); o[s + k] = acc; }
  }, false);
  return record("LogcumsumexpBackward0", [x], out, ([g], [xs, ys]) => {
    const gg = g!;
    if (gg.ndim === 0 || gg.numel() === 0) return [gg];
    // PyTorch's logcumsumexp_backward (TensorFlow's formula): positive and negative parts of the
    // gradient go through a reversed logcumsumexp in log space, so nothing overflows.
    const low = lowest[gg.dtype.name]!;
    const rev = (t: Tensor): Tensor => t.flip([d]).logcumsumexp(d).flip([d]);
    const logAbs = gg.abs().log();
    const pos = where(gg.gt(0), logAbs, low), neg = where(gg.lt(0), logAbs, low);
    const outPos = rev(pos.sub(ys!)).add(xs!).exp();
    const outNeg = rev(neg.sub(ys!)).add(xs!).exp();
    return [outPos.sub(outNeg)];
  }, [x, out]);
}

// ---- diff, trapezoid ----------------------------------------------------------------------------------

export interface DiffOpts { n?: number; dim?: number; prepend?: Tensor | null; append?: Tensor | null }

/** torch.diff(input, n=1, dim=-1, prepend=None, append=None): composed of narrow and sub (or
 *  logical_xor for bool), as PyTorch does. */
export function diff(x: Tensor, n?: number | DiffOpts, dim?: number | DiffOpts, prepend?: Tensor | null | DiffOpts, append?: Tensor | null | DiffOpts): Tensor {
  const o: DiffOpts = {};
  for (const [i, a] of [n, dim, prepend, append].entries()) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) (o as Record<string, unknown>)[["n", "dim", "prepend", "append"][i]!] = a;
  }
  if (x.ndim === 0) throw new Error("diff expects input to be at least one-dimensional");
  const times = o.n ?? 1;
  if (times < 0) throw new Error(`order must be non-negative but got ${times}`);
  const d = normDim(o.dim ?? -1, x.ndim);
  for (const other of [o.prepend, o.append]) {
    if (!other) continue;
    if (other.ndim !== x.ndim) throw new Error("diff expects prepend or append to be the same dimension as input");
    const i = x.shape.findIndex((s, j) => j !== d && other.shape[j] !== s);
    if (i >= 0)
      throw new Error(`diff expects the shape of tensor to prepend or append to match that of input except along the differencing dimension; input.size(${i}) = ${x.shape[i]}, but got tensor.size(${i}) = ${other.shape[i]}`);
  }
  let t = x;
  if (o.prepend || o.append) t = cat([...(o.prepend ? [o.prepend] : []), x, ...(o.append ? [o.append] : [])], d);
  for (let k = 0; k < times; k++) {
    const len = t.shape[d]!;
    if (len === 0) break;
    const hi = t.narrow(d, 1, len - 1), lo = t.narrow(d, 0, len - 1);
    t = t.dtype === bool ? hi.logical_xor(lo) : hi.sub(lo);
  }
  return t;
}

export interface TrapezoidOpts { x?: Tensor | null; dx?: number | null; dim?: number }

function trapezoidArgs(a?: Tensor | TrapezoidOpts | null, b?: TrapezoidOpts): { x: Tensor | null; dx: number; dim: number } {
  const o: TrapezoidOpts = {};
  if (a instanceof Tensor) o.x = a; else if (isOptions(a)) Object.assign(o, a);
  if (b) Object.assign(o, b);
  if (o.x && o.dx !== undefined && o.dx !== null) throw new Error("trapezoid: received both x and dx");
  return { x: o.x ?? null, dx: o.dx ?? 1, dim: o.dim ?? -1 };
}

/** torch.cumulative_trapezoid(y, x=None, *, dx=None, dim=-1) */
export function cumulative_trapezoid(y: Tensor, a?: Tensor | TrapezoidOpts | null, b?: TrapezoidOpts): Tensor {
  const { x, dx, dim } = trapezoidArgs(a, b);
  if (y.ndim === 0) throw new RangeError("slice() cannot be applied to a 0-dim tensor.");
  const d = normDim(dim, y.ndim), len = y.shape[d]!;
  if (len === 0) return y.narrow(d, 0, 0).mul(1);
  const left = y.narrow(d, 0, len - 1), right = y.narrow(d, 1, len - 1);
  if (!x) return left.add(right).mul(dx / 2).cumsum(d);
  const dxs = x.ndim === 1 ? diff(x).reshape(y.shape.map((_, i) => (i === d ? len - 1 : 1))) : diff(x, { dim: d });
  return divScalar(dxs.mul(left.add(right)).cumsum(d), 2);
}

/** torch.trapezoid(y, x=None, *, dx=None, dim=-1) */
export function trapezoid(y: Tensor, a?: Tensor | TrapezoidOpts | null, b?: TrapezoidOpts): Tensor {
  const { x, dx, dim } = trapezoidArgs(a, b);
  const d = normDim(dim, y.ndim), len = y.shape[d]!;
  if (len === 0) return y.sum(d).mul(0);
  // (Integration.cpp multiplies and divides by C++ numbers: the Scalar overloads' nodes)
  if (!x) return mulScalar(y.sum(d).sub(mulScalar(y.select(d, 0).add(y.select(d, len - 1)), 0.5)), dx);
  const dxs = x.ndim === 1 ? diff(x).reshape(y.shape.map((_, i) => (i === d ? len - 1 : 1))) : diff(x, { dim: d });
  return divScalar(dxs.mul(y.narrow(d, 0, len - 1).add(y.narrow(d, 1, len - 1))).sum(d), 2);
}
export const trapz = trapezoid;

installMethods({
  var: var_, std, var_mean, std_mean, nansum, nanmean, count_nonzero, aminmax, cummax, cummin, logcumsumexp, diff,
});

declare module "../core/tensor.js" {
  interface Tensor {
    var(dim?: VarA, unbiased?: boolean | VarOpts, keepdim?: boolean | VarOpts, opts?: VarOpts): Tensor;
    std(dim?: VarA, unbiased?: boolean | VarOpts, keepdim?: boolean | VarOpts, opts?: VarOpts): Tensor;
    var_mean(dim?: VarA, unbiased?: boolean | VarOpts, keepdim?: boolean | VarOpts, opts?: VarOpts): [Tensor, Tensor];
    std_mean(dim?: VarA, unbiased?: boolean | VarOpts, keepdim?: boolean | VarOpts, opts?: VarOpts): [Tensor, Tensor];
    nansum(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts, opts?: ReduceOpts): Tensor;
    nanmean(dim?: DimArg | ReduceOpts, keepdim?: boolean | ReduceOpts, opts?: ReduceOpts): Tensor;
    count_nonzero(dim?: number | number[] | null | { dim?: number | number[] | null }): Tensor;
    aminmax(opts?: { dim?: number | null; keepdim?: boolean }): MinMax;
    cummax(dim: number | { dim: number }): ValuesIndices;
    cummin(dim: number | { dim: number }): ValuesIndices;
    logcumsumexp(dim: number | { dim: number }): Tensor;
    diff(n?: number | DiffOpts, dim?: number | DiffOpts, prepend?: Tensor | null | DiffOpts, append?: Tensor | null | DiffOpts): Tensor;
  }
}
