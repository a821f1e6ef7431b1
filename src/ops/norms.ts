// Norms and distances: torch.norm, torch.linalg.{vector_norm, matrix_norm, norm, svdvals},
// torch.dist, torch.cdist; the spectral norms reduce decompositions.ts's svdvals.
//
// PyTorch 2.x routes torch.norm through linalg.vector_norm / linalg.matrix_norm (torch/functional.py),
// so every vector norm here is one LinalgVectorNormBackward0 node with PyTorch's norm_backward,
// and the matrix norms are composed of vector norms, amax/amin, sum and svdvals as ATen composes them.

import { Tensor } from "../core/tensor.js";
import { type DType, scalarTypeName } from "../core/dtype.js";
import { normDim, normDims, broadcastShapes } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import { installMethods, isOptions } from "./util.js";
import { where } from "./elementwise.js";
import { groupsOf, reducedShape, unsqueezeReduced } from "./statistics.js";
import { svdvals, checkFloat } from "./decompositions.js";

export type Ord = number | "fro" | "nuc";

/** A norm order as c10::Scalar prints it in messages: inf, -inf, 2, 2.5. */
function ordStr(p: number | string): string {
  if (typeof p === "string") return p;
  return p === Infinity ? "inf" : p === -Infinity ? "-inf" : String(p);
}

/** p-norm of each group of values in float64. */
function pnorm(v: ArrayLike<number>, s: number, n: number, p: number): number {
  if (p === Infinity || p === -Infinity) {
    let m = p === Infinity ? -Infinity : Infinity;
    for (let k = 0; k < n; k++) {
      const a = Math.abs(v[s + k]!);
      if (a !== a) return NaN;
      if (p === Infinity ? a > m : a < m) m = a;
    }
    return n === 0 ? 0 : m;
  }
  let acc = 0;
  if (p === 0) { for (let k = 0; k < n; k++) acc += v[s + k] !== 0 ? 1 : 0; return acc; } // (NaN counts: it is not 0)
  if (p === 1) { for (let k = 0; k < n; k++) acc += Math.abs(v[s + k]!); return acc; }
  if (p === 2) { for (let k = 0; k < n; k++) { const e = v[s + k]!; acc += e * e; } return Math.sqrt(acc); }
  for (let k = 0; k < n; k++) acc += Math.abs(v[s + k]!) ** p;
  return acc ** (1 / p);
}

/** PyTorch's norm_backward (FunctionsManual.cpp): the gradient of ‖x‖_p over `dims` (empty: all),
 *  with its subgradients: 0 where the norm is 0 (p ≥ 1), shared among ties for ±inf. */
export function normBackward(grad: Tensor, self: Tensor, p: number, norm: Tensor, dims: readonly number[], keepdim: boolean): Tensor {
  if (!keepdim && self.ndim !== 0 && dims.length) {
    grad = unsqueezeReduced(grad, self.ndim, dims, false);
    norm = unsqueezeReduced(norm, self.ndim, dims, false);
  } else if (!keepdim && self.ndim !== 0) {
    grad = grad.reshape(self.shape.map(() => 1));
    norm = norm.reshape(self.shape.map(() => 1));
  }
  if (p === 0) return self.mul(0).mul(grad);
  if (p === 1) return self.sgn().mul(grad);
  if (p === 2) return grad.mul(self.div(norm).masked_fill(norm.eq(0), 0));
  if (!Number.isFinite(p)) {
    const a = self.abs();
    const mask = a.eq(norm).logical_or(a.isnan());
    const count = dims.length ? mask.sum({ dim: dims.slice(), keepdim: true }) : mask.sum();
    return self.sgn().mul(grad.div(count).mul(mask));
  }
  if (p < 1) {
    const scaled = self.sgn().mul(self.abs().pow(p - 1).masked_fill(self.eq(0), 0));
    return scaled.mul(grad).mul(norm.pow(1 - p));
  }
  if (p < 2) {
    const scaled = self.sgn().mul(self.abs().pow(p - 1));
    return scaled.mul(grad.div(norm.pow(p - 1)).masked_fill(norm.eq(0), 0));
  }
  const scaled = self.mul(self.abs().pow(p - 2));
  return scaled.mul(grad.div(norm.pow(p - 1)).masked_fill(norm.eq(0), 0));
}

// ---- linalg.vector_norm ------------------------------------------------------------------------------

/** The p-norms of x's groups over dims (empty: all), in float64 per group. */
function hostNorm(x: Tensor, p: number, dims: readonly number[], kd: boolean): Tensor {
  const all = dims.length === 0 || dims.length === x.ndim;
  const sq = p === 2 && all ? K.sumSquares(x) : null; // (clip_grad_norm_'s: every gradient's 2-norm)
  if (sq !== null) return Tensor.fromStorage(K.fromNumbers([Math.sqrt(sq)], x.dtype), reducedShape(x.shape, dims, kd), x.dtype);
  const { v, n, count } = groupsOf(x, dims);
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) out[j] = pnorm(v, j * n, n, p);
  return Tensor.fromStorage(K.fromNumbers(out, x.dtype), reducedShape(x.shape, dims, kd), x.dtype);
}

/** The same on a device, from its reductions: nothing is read back, so clip_grad_norm_ scales the
 *  gradients by a norm that stays on the device (as PyTorch computes its clip coefficient). */
function deviceNorm(x: Tensor, p: number, dims: readonly number[], kd: boolean): Tensor {
  const d = dims.length ? dims.slice() : [...x.shape.keys()];
  const a = x.abs();
  if (p === Infinity) return x.numel() === 0 ? x.new_zeros(reducedShape(x.shape, dims, kd)) : a.amax(d, kd);
  if (p === -Infinity) return a.amin(d, kd);
  if (p === 0) return x.ne(0).to(x.dtype).sum(d, kd);
  if (p === 1) return a.sum(d, kd);
  if (p === 2) return x.square().sum(d, kd).sqrt();
  return a.pow(p).sum(d, kd).pow(1 / p);
}

export interface VectorNormOpts { ord?: number; dim?: number | number[] | null; keepdim?: boolean; dtype?: DType }

/** torch.linalg.vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None) */
export function vector_norm(x: Tensor, ord?: number | VectorNormOpts, dim?: number | number[] | null | VectorNormOpts, keepdim?: boolean | VectorNormOpts, opts?: VectorNormOpts): Tensor {
  const o: VectorNormOpts = {};
  for (const [i, a] of [ord, dim, keepdim, opts].entries()) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) (o as Record<string, unknown>)[["ord", "dim", "keepdim"][i]!] = a;
  }
  checkFloat(x, "linalg.vector_norm");
  const p = o.ord ?? 2;
  const list = o.dim === null || o.dim === undefined ? null : Array.isArray(o.dim) ? o.dim : [o.dim];
  const dims = list ? normDims(list, x.ndim) : [];
  if (x.numel() === 0 && (p < 0 || p === Infinity)) {
    if (!list || list.length === 0)
      throw new Error(`linalg.vector_norm cannot compute the ${ordStr(p)} norm on an empty tensor because the operation does not have an identity`);
    for (const d of dims) if (x.shape[d] === 0)
      throw new Error(`linalg.vector_norm cannot compute the ${ordStr(p)} norm on the dimension ${d}because this dimension is empty and the operation does not have an identity`);
  }
  const src = o.dtype ? x.to(o.dtype) : x;
  const kd = o.keepdim ?? false;
  const y = src.device.type === "cpu" ? hostNorm(src, p, dims, kd) : no_grad(() => deviceNorm(src, p, dims, kd));
  return record("LinalgVectorNormBackward0", [src], y, ([g], [xs, ys]) => [normBackward(g!, xs!, p, ys!, dims, kd)], [src, y]);
}

// ---- linalg.matrix_norm, linalg.norm, torch.norm ----------------------------------------------------

export interface MatrixNormOpts { ord?: Ord; dim?: number[]; keepdim?: boolean; dtype?: DType }

function fmtDims(d: readonly number[]): string { return d.length === 1 ? String(d[0]) : `[${d.join(", ")}]`; }

/** torch.linalg.matrix_norm(A, ord='fro', dim=(-2, -1), keepdim=False, *, dtype=None) */
export function matrix_norm(A: Tensor, ord?: Ord | MatrixNormOpts, dim?: number[] | MatrixNormOpts, keepdim?: boolean | MatrixNormOpts, opts?: MatrixNormOpts): Tensor {
  const o: MatrixNormOpts = {};
  for (const [i, a] of [ord, dim, keepdim, opts].entries()) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) (o as Record<string, unknown>)[["ord", "dim", "keepdim"][i]!] = a;
  }
  const p = o.ord ?? "fro", kd = o.keepdim ?? false;
  if (typeof p === "string" ? p !== "fro" && p !== "nuc" : ![1, 2, Infinity].includes(Math.abs(p)))
    throw new Error(`linalg.matrix_norm: Order ${ordStr(p)} not supported.`);
  if (A.ndim < 2) throw new Error("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.");
  checkFloat(A, "linalg.matrix_norm");
  const dl = o.dim ?? [-2, -1];
  if (dl.length !== 2) throw new Error(`linalg.matrix_norm: dim must be a 2-tuple. Got ${fmtDims(dl)}`);
  const dims = dl.map((d) => normDim(d, A.ndim));
  if (dims[0] === dims[1]) throw new Error(`linalg.matrix_norm: dims must be different. Got (${dims[0]}, ${dims[1]})`);
  const X = o.dtype ? A.to(o.dtype) : A;
  if (p === "fro") return vector_norm(X, 2, dims, kd);
  if (p === "nuc" || Math.abs(p) === 2) {
    // move the two dims to the end, reduce the singular values, and put a kept dim back
    const perm = [...Array(X.ndim).keys()].filter((i) => i !== dims[0] && i !== dims[1]).concat(dims);
    const sv = svdvals(X.permute(perm));
    let r = p === "nuc" ? sv.sum(-1, kd) : p > 0 ? sv.amax(-1, kd) : sv.amin(-1, kd);
    if (kd) {
      const inv = new Array<number>(perm.length);
      perm.forEach((d, i) => { inv[d] = i; });
      r = r.unsqueeze(-1).permute(inv);
    }
    return r;
  }
  // 1, -1, inf, -inf: a 1-norm down one dim, then max/min along the other (inf: the transpose)
  let [d0, d1] = dims as [number, number];
  if (Math.abs(p) === Infinity) [d0, d1] = [d1, d0];
  if (!kd && d0 < d1) d1--;
  const colNorms = vector_norm(X, 1, [d0], kd);
  return p > 0 ? colNorms.amax(d1, kd) : colNorms.amin(d1, kd);
}

export interface LinalgNormOpts { ord?: Ord | null; dim?: number | number[] | null; keepdim?: boolean; dtype?: DType }

/** torch.linalg.norm(A, ord=None, dim=None, keepdim=False, *, dtype=None) */
export function linalg_norm(A: Tensor, ord?: Ord | null | LinalgNormOpts, dim?: number | number[] | null | LinalgNormOpts, keepdim?: boolean | LinalgNormOpts, opts?: LinalgNormOpts): Tensor {
  const o: LinalgNormOpts = {};
  for (const [i, a] of [ord, dim, keepdim, opts].entries()) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) (o as Record<string, unknown>)[["ord", "dim", "keepdim"][i]!] = a;
  }
  const p = o.ord ?? null, kd = o.keepdim ?? false;
  const dl = o.dim === null || o.dim === undefined ? null : Array.isArray(o.dim) ? o.dim : [o.dim];
  const rest = { keepdim: kd, ...(o.dtype ? { dtype: o.dtype } : {}) };
  if (dl) {
    if (dl.length !== 1 && dl.length !== 2) throw new Error(`linalg.norm: If dim is specified, it must be of length 1 or 2. Got [${dl.join(", ")}]`);
  } else if (p !== null && A.ndim !== 1 && A.ndim !== 2) {
    throw new Error(`linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. Got ${A.ndim}D.`);
  }
  if (typeof p === "string") return matrix_norm(A, p, dl ?? [0, 1], kd, o.dtype ? { dtype: o.dtype } : {});
  if (p !== null && ((dl && dl.length === 2) || (!dl && A.ndim === 2))) return matrix_norm(A, p, dl ?? [0, 1], kd, o.dtype ? { dtype: o.dtype } : {});
  return vector_norm(A, { ord: p ?? 2, dim: dl, ...rest });
}

export interface NormOpts { p?: Ord | null; dim?: number | number[] | null; keepdim?: boolean; dtype?: DType }

/** torch.norm(input, p='fro', dim=None, keepdim=False, dtype=None), routed as PyTorch 2.x's
 *  torch/functional.py routes it: numbers and 'fro' (over ≤ 2 dims) to vector_norm, the rest to
 *  matrix_norm. */
export function norm(x: Tensor, p?: Ord | null | NormOpts, dim?: number | number[] | null | NormOpts, keepdim?: boolean | NormOpts, opts?: NormOpts): Tensor {
  const o: NormOpts = {};
  for (const [i, a] of [p, dim, keepdim, opts].entries()) {
    if (isOptions(a)) Object.assign(o, a);
    else if (a !== undefined) (o as Record<string, unknown>)[["p", "dim", "keepdim"][i]!] = a;
  }
  const pp = o.p === undefined ? "fro" : o.p, kd = o.keepdim ?? false;
  const dl = o.dim === null || o.dim === undefined ? null : Array.isArray(o.dim) ? o.dim : [o.dim];
  const dt = o.dtype ? { dtype: o.dtype } : {};
  if (typeof pp === "string") {
    if (pp === "fro" && (!dl || dl.length <= 2)) return vector_norm(x, { ord: 2, dim: dl, keepdim: kd, ...dt });
    return matrix_norm(x, pp, dl ?? [...Array(x.ndim).keys()], kd, dt);
  }
  return vector_norm(x, { ord: pp ?? 2, dim: dl, keepdim: kd, ...dt });
}

// ---- dist, cdist ---------------------------------------------------------------------------------------

/** torch.dist(input, other, p=2) = ‖input − other‖_p (broadcast), one DistBackward0 node. */
export function dist(a: Tensor, b: Tensor, p: number | { p?: number } = 2): Tensor {
  const pp = typeof p === "number" ? p : p.p ?? 2;
  if (!a.dtype.is_floating_point) throw new Error(`norm(): input dtype should be either floating point or complex. Got ${scalarTypeName(a.dtype)} instead.`);
  broadcastShapes(a.shape, b.shape);
  const diffv = a.detach().sub(b.detach());
  const { v } = groupsOf(diffv, []);
  const y = Tensor.fromStorage(K.fromNumbers([pnorm(v, 0, v.length, pp)], diffv.dtype), [], diffv.dtype);
  return record("DistBackward0", [a, b], y, ([g], [as, bs, ys]) => {
    const gd = normBackward(g!, as!.sub(bs!), pp, ys!, [], false);
    return [gd, gd.neg()];
  }, [a, b, y]);
}

/** torch.cdist(x1, x2, p=2): pairwise p-norm distances [..., P, M] × [..., R, M] → [..., P, R]
 *  (PyTorch's direct path, CdistBackward0; PyTorch switches to a matmul form for p = 2 with more
 *  than 25 rows, which rounds differently). */
export function cdist(x1: Tensor, x2: Tensor, p: number | { p?: number; compute_mode?: string } = 2): Tensor {
  const pp = typeof p === "number" ? p : p.p ?? 2;
  if (x1.ndim < 2) throw new Error(`cdist only supports at least 2D tensors, X1 got: ${x1.ndim}D`);
  if (x2.ndim < 2) throw new Error(`cdist only supports at least 2D tensors, X2 got: ${x2.ndim}D`);
  const M = x1.shape[x1.ndim - 1]!, M2 = x2.shape[x2.ndim - 1]!;
  if (M !== M2) throw new Error(`X1 and X2 must have the same number of columns. X1: ${M} X2: ${M2}`);
  if (!(pp >= 0)) throw new Error("cdist only supports non-negative p values");
  if (!x1.dtype.is_floating_point) throw new Error(`cdist only supports floating-point dtypes, X1 got: ${scalarTypeName(x1.dtype)}`);
  const diffv = x1.detach().unsqueeze(-2).sub(x2.detach().unsqueeze(-3)); // [..., P, R, M]
  const { v, n, count } = groupsOf(diffv, [diffv.ndim - 1]);
  const out = new Float64Array(count);
  for (let j = 0; j < count; j++) out[j] = pnorm(v, j * n, n, pp);
  const y = Tensor.fromStorage(K.fromNumbers(out, diffv.dtype), diffv.shape.slice(0, -1), diffv.dtype);
  return record("CdistBackward0", [x1, x2], y, ([g], [as, bs, ys]) => {
    const d = as!.unsqueeze(-2).sub(bs!.unsqueeze(-3)), dd = ys!.unsqueeze(-1), gg = g!.unsqueeze(-1);
    let G: Tensor;
    // _cdist_backward's per-element formulas (DistanceOpsKernel.cpp)
    if (pp === 0) G = d.mul(0);
    else if (pp === 1) G = gg.mul(d.sgn());
    else if (pp === Infinity) G = gg.mul(d.sgn()).mul(d.abs().eq(dd));
    else if (pp === 2) G = where(dd.eq(0), 0, gg.mul(d).div(dd));
    else if (pp < 2) {
      G = where(dd.eq(0), 0, d.sgn().mul(d.abs().pow(pp - 1)).mul(gg).div(dd.pow(pp - 1)));
      if (pp < 1) G = G.masked_fill(d.eq(0), 0);
    } else G = where(dd.eq(0), 0, d.mul(d.abs().pow(pp - 2)).mul(gg).div(dd.pow(pp - 1)));
    return [G.sum(-2), G.sum(-3).neg()];
  }, [x1, x2, y]);
}

installMethods({ norm, dist });

declare module "../core/tensor.js" {
  interface Tensor {
    norm(p?: Ord | null | NormOpts, dim?: number | number[] | null | NormOpts, keepdim?: boolean | NormOpts, opts?: NormOpts): Tensor;
    dist(other: Tensor, p?: number | { p?: number }): Tensor;
  }
}
