// Matrix decompositions and the torch.linalg functions built on them: det, slogdet, inv, solve,
// cholesky, qr, eigh, svd, pinv, matrix_rank, matrix_power, matrix_exp, multi_dot, vecdot, and the
// torch.* forms (det, logdet, inverse, cholesky, qr, svd, pinverse …).
//
// Note [float64 decompositions]: every factorisation runs in float64 on the reference kernels
// (partial-pivoting LU as LAPACK's getrf, Cholesky as potrf, Householder QR with LAPACK's dlarfg
// sign convention so Q and R match geqrf/orgqr, cyclic Jacobi for the symmetric eigenproblem,
// one-sided Jacobi for the SVD) and rounds to float32 for float32 inputs. Results therefore agree
// with LAPACK's float32 ones to about cond(A)·2⁻²⁴, not bit for bit. Eigen- and singular vectors
// are unique only up to sign (and order among equal values), so they may differ from LAPACK's by
// a sign per vector; everything that is unique (values, reconstructions, projectors, gradients of
// sign-invariant losses) agrees. On the WebGPU device the same algorithms run in float32, step for
// step, in its kernels (Notes [Factorization shaders] and [Jacobi shaders] in
// src/backends/webgpu/linalg_kernels.ts), which the functions here call first.
//
// Note [decomposition backward]: each op is one record whose backward is PyTorch's formula from
// FunctionsManual.cpp written in Tensor ops (matmul, the linalg ops of this file, tril, diag_embed),
// so double backward works as in PyTorch.

import { Tensor } from "../core/tensor.js";
import { type DType, float32, float64, int32, int64, scalarTypeName } from "../core/dtype.js";
import { broadcastShapes, normDim } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record } from "../autograd/record.js";
import { no_grad, is_grad_enabled } from "../autograd/grad_mode.js";
import { installMethods, isOptions, pyError } from "./util.js";
import { where } from "./elementwise.js";
import { matmul, mm } from "./linalg.js";
import { arange, eye, zeros_like } from "./creation.js";
import { matrix_norm, type Ord } from "./norms.js";
import { fmtDouble } from "../core/printing.js";
import { cat } from "./indexing.js";
import { diag_embed } from "./index_ops.js";
import { sumTo } from "./_engine_ops.js";
import { checkFloatKernel } from "./_nn_args.js";
import { returnType } from "./_helpers.js";

// ---- helpers -------------------------------------------------------------------------------------

/** The results with their names, as PyTorch's torch.return_types.<type> where `type` is given
 *  (ops/_helpers.ts's returnType). */
function named<N extends string>(ts: Tensor[], names: readonly N[], type: string | null = null): Tensor[] & Record<N, Tensor> {
  return returnType(type, names, ts);
}

/** The linalg ops' dtype check (linalg.svd, linalg.matrix_norm, …). */
export function checkFloat(A: Tensor, op: string): void {
  if (!A.dtype.is_floating_point) throw new Error(`${op}: Expected a floating point or complex tensor as input. Got ${scalarTypeName(A.dtype)}`);
}
function checkMatrix(A: Tensor, op: string, name = "A"): void {
  if (A.ndim < 2) throw new Error(`${op}: The input tensor ${name} must have at least 2 dimensions.`);
}
function checkSquare(A: Tensor, op: string, name = "A"): void {
  checkMatrix(A, op, name);
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  if (m !== n) throw new Error(`${op}: ${name} must be batches of square matrices, but they are ${m} by ${n} matrices`);
}

interface Mats { batch: number[]; B: number; m: number; n: number; v: Float64Array }
/** A's matrices as one float64 row-major array. */
function mats(A: Tensor): Mats {
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const batch = A.shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  return { batch, B, m, n, v: Float64Array.from(K.values(A.detach().contiguous())) };
}
function mk(data: ArrayLike<number>, shape: number[], dtype: DType, like?: Tensor): Tensor {
  const t = Tensor.fromStorage(K.fromNumbers(data, dtype), shape, dtype);
  // (an output no graph node adopts, such as info or pivots: moved to the input's device here)
  return like ? K.onDeviceOf(t, like) : t;
}
/** Note [LAPACK's layout]: PyTorch returns the results of its LAPACK calls as LAPACK leaves them,
 *  a batch of column-major matrices (batched_matrix_contiguous_strides(shape, f_contig=true):
 *  strides [..., 1, m] for m×n matrices, the batch row-major over them), so that such a result
 *  is not contiguous, its .view(-1) fails and a .reshape(-1) copies (UnsafeViewBackward0). This
 *  is t, an op's fresh result, laid out so: its matrices transposed into row-major storage (no
 *  copy where they are there already) and seen through the permuted strides, as a result of its
 *  own, not a view (`rows`: the matrices' rows in that storage, LAPACK's leading dimension, where
 *  it exceeds t's, as lstsq's max(m, n)). The ops that return row-major results in PyTorch
 *  (linalg.lu's P, L, U, lu_unpack, pinv, matrix_exp, solve and lu_solve with left=False) do not
 *  use it. The gradients' layouts follow from the backward formulas, written as PyTorch's. */
/** at::native::batched_matrix_contiguous_strides(shape, f_contig=true): row-major over the batch
 *  (sizes taken as at least 1), each matrix column-major. */
function fContiguousStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) { st[d] = acc; acc *= Math.max(shape[d]!, 1); }
  if (shape.length >= 2) { st[shape.length - 1] = Math.max(shape[shape.length - 2]!, 1); st[shape.length - 2] = 1; }
  return st;
}

function columnMajor(t: Tensor, rows?: number): Tensor {
  let laid = t.contiguous();
  if (t.ndim >= 2) {
    const m = t.shape[t.ndim - 2]!, pad = (rows ?? m) - m;
    const full = pad > 0 ? cat([t, Tensor.empty([...t.shape.slice(0, -2), pad, t.shape[t.ndim - 1]!], t.dtype, t.device).fill_(0)], -2) : t;
    laid = full.mT.contiguous().mT.narrow(-2, 0, m);
    // (the strides batched_matrix_contiguous_strides gives, also along dims of size 1, where
    // contiguous() above may have kept others: a column's is its leading dimension)
    laid._strides = fContiguousStrides(full.shape);
  }
  // (a gradient computed under create_graph stays the differentiable view it is)
  return laid.requires_grad ? laid : new Tensor(laid._storage, laid.shape.slice(), laid._strides.slice(), laid._offset, laid.dtype, laid.device);
}

// ---- errors --------------------------------------------------------------------------------------------

/** torch.linalg.LinAlgError (also torch._C._LinAlgError; a RuntimeError in PyTorch): a matrix the
 *  factorization cannot go through (not positive-definite, singular, not of full rank, NaN given to
 *  an SVD). Its name is Python's type(e).__name__, as pyError's errors carry theirs. */
export class LinAlgError extends Error {
  override name = "_LinAlgError";
}

/** at::_linalg_check_errors: the error for the first nonzero LAPACK info among `infos` (one per
 *  matrix, in batch order; a tensor's read back from its device), worded by what `api` names as
 *  PyTorch words it, "(Batch element b)" naming the matrix unless `isMatrix` (the caller's test:
 *  mostly A.ndim == 2). A LinAlgError, but lu_factor's RuntimeError and, for an argument LAPACK
 *  refused (a NaN given to lstsq's drivers), PyTorch's internal assert. */
export function checkErrors(infos: Tensor | ArrayLike<number>, api: string, isMatrix: boolean): void {
  const v = infos instanceof Tensor ? K.values(infos) as ArrayLike<number> : infos;
  let b = 0;
  while (b < v.length && !v[b]) b++;
  if (b === v.length) return;
  const info = Number(v[b]), at = `${api}${isMatrix ? "" : `: (Batch element ${b})`}`;
  const assertFailed = (line: number, msg: string) => pyError("RuntimeError", `false INTERNAL ASSERT FAILED at "/__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp":${line}, please report a bug to PyTorch. ${msg}`);
  if (info < 0) {
    if (api.includes("svd") && info === -4) throw new LinAlgError(`${at}: The algorithm failed to converge because the input matrix contained non-finite values.`);
    throw assertFailed(1613, `${at}: Argument ${-info} has illegal value. Most certainly there is a bug in the implementation calling the backend library.`);
  }
  if (api.includes("inv")) throw new LinAlgError(`${at}: The diagonal element ${info} is zero, the inversion could not be completed because the input matrix is singular.`);
  if (api.includes("solve")) throw new LinAlgError(`${at}: The solver failed because the input matrix is singular.`);
  if (api.includes("cholesky")) throw new LinAlgError(`${at}: The factorization could not be completed because the input is not positive-definite (the leading minor of order ${info} is not positive-definite).`);
  if (api.includes("svd")) throw new LinAlgError(`${at}: The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated singular values (error code: ${info}).`);
  if (api.includes("eig") || api.includes("syevd")) throw new LinAlgError(`${at}: The algorithm failed to converge because the input matrix is ill-conditioned or has too many repeated eigenvalues (error code: ${info}).`);
  if (api.includes("lstsq")) throw new LinAlgError(`${at}: The least squares solution could not be computed because the input matrix does not have full rank (error code: ${info}).`);
  if (api.includes("lu_factor")) throw new Error(`${at}: U[${info},${info}] is zero and using it on lu_solve would result in a division by zero. If you still want to perform the factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, pivot)`);
  throw assertFailed(1642, `${api}: Unknown error code: ${info}.`);
}

/** trtri's info for each triangular matrix of T [..., n, n]: the 1-based position of the first
 *  zero on its diagonal, 0 where there is none. */
function zeroDiagonalInfo(T: Tensor): Int32Array {
  const n = T.shape[T.ndim - 1]!, B = T.shape.slice(0, -2).reduce((p, q) => p * q, 1);
  const d = K.values(T.detach().diagonal(0, -2, -1).contiguous()), info = new Int32Array(B);
  for (let b = 0; b < B; b++) for (let i = 0; i < n; i++) if (d[b * n + i] === 0) { info[b] = i + 1; break; }
  return info;
}

/** Whether any element of t is nonzero (read back from its device): a failed matrix of an info. */
function anyNonzero(info: Tensor): boolean {
  return Array.prototype.some.call(K.values(info), (x: number) => x !== 0);
}

// ---- on the device (Note [Factorization shaders]) ---------------------------------------------------

interface DeviceLU { LU: Tensor; pivots: Tensor; info: Tensor }
/** A's getrf on the device (float32 on the WebGPU device), or null: the ops' device path. */
function deviceLU(A: Tensor): DeviceLU | null {
  const r = K.luFactor(A.detach());
  return r && { LU: r[0], pivots: r[1], info: r[2] };
}
/** ±1 per matrix: the sign of the permutation of pivots [..., k] (-1 for an odd number of swaps). */
function pivotSign(pivots: Tensor): Tensor {
  const k = pivots.shape[pivots.ndim - 1]!;
  const identity = arange(1, k + 1, { dtype: int32, device: pivots.device });
  return pivots.ne(identity).sum(-1).remainder(2).mul(-2).add(1).to(float32);
}
/** X with A X = B from A's LU on the device (B with A's batch; null: the identity, X = A⁻¹): P's
 *  transpose applied, then the two triangular solves, which read only their triangle of LU (L's
 *  diagonal taken as ones). */
function luSolveOnDevice(d: DeviceLU, B: Tensor | null): Tensor {
  const Pt = K.luPermutation(d.pivots, d.LU.shape[d.LU.ndim - 1]!)!.mT;
  const PtB = B === null ? Pt : Pt.matmul(B);
  return K.triangularSolve(d.LU, K.triangularSolve(d.LU, PtB, false, true)!, true, false)!;
}

// ---- float64 kernels -------------------------------------------------------------------------------

/** In-place LU with partial pivoting of the m×n matrix at a[off..] (LAPACK getrf): min(m, n) pivots,
 *  0-based, into piv[poff..]; returns info (1-based index of the first zero pivot, 0 if none). */
function luInPlace(a: Float64Array, off: number, n: number, piv: Int32Array, poff: number, m = n): number {
  let info = 0;
  const k0 = Math.min(m, n);
  for (let k = 0; k < k0; k++) {
    let p = k, mx = Math.abs(a[off + k * n + k]!);
    for (let i = k + 1; i < m; i++) { const x = Math.abs(a[off + i * n + k]!); if (x > mx || (mx !== mx)) { mx = x; p = i; } }
    piv[poff + k] = p;
    const pv = a[off + p * n + k]!;
    if (pv !== 0) {
      if (p !== k) for (let j = 0; j < n; j++) { const t = a[off + k * n + j]!; a[off + k * n + j] = a[off + p * n + j]!; a[off + p * n + j] = t; }
      for (let i = k + 1; i < m; i++) a[off + i * n + k]! /= pv;
    } else if (info === 0) info = k + 1;
    for (let i = k + 1; i < m; i++) {
      const l = a[off + i * n + k]!;
      if (l !== 0) for (let j = k + 1; j < n; j++) a[off + i * n + j]! -= l * a[off + k * n + j]!;
    }
  }
  return info;
}

/** Solves LU·X = P·B in place for the n×r right-hand sides at b[boff..] (row-major n×r). */
function luSolve(lu: Float64Array, off: number, n: number, piv: Int32Array, poff: number, b: Float64Array, boff: number, r: number): void {
  for (let k = 0; k < n; k++) {
    const p = piv[poff + k]!;
    if (p !== k) for (let j = 0; j < r; j++) { const t = b[boff + k * r + j]!; b[boff + k * r + j] = b[boff + p * r + j]!; b[boff + p * r + j] = t; }
  }
  for (let i = 0; i < n; i++) for (let k = 0; k < i; k++) {
    const l = lu[off + i * n + k]!;
    if (l !== 0) for (let j = 0; j < r; j++) b[boff + i * r + j]! -= l * b[boff + k * r + j]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    for (let k = i + 1; k < n; k++) {
      const u = lu[off + i * n + k]!;
      if (u !== 0) for (let j = 0; j < r; j++) b[boff + i * r + j]! -= u * b[boff + k * r + j]!;
    }
    const d = lu[off + i * n + i]!;
    for (let j = 0; j < r; j++) b[boff + i * r + j]! /= d;
  }
}

/** Lower Cholesky factor in place (potrf on the lower triangle); returns info (order of the first
 *  leading minor that is not positive-definite, 0 if none). The strict upper part is zeroed. */
function choleskyInPlace(a: Float64Array, off: number, n: number): number {
  for (let j = 0; j < n; j++) {
    let d = a[off + j * n + j]!;
    for (let k = 0; k < j; k++) d -= a[off + j * n + k]! ** 2;
    if (!(d > 0)) return j + 1;
    d = Math.sqrt(d);
    a[off + j * n + j] = d;
    for (let i = j + 1; i < n; i++) {
      let s = a[off + i * n + j]!;
      for (let k = 0; k < j; k++) s -= a[off + i * n + k]! * a[off + j * n + k]!;
      a[off + i * n + j] = s / d;
    }
    for (let k = j + 1; k < n; k++) a[off + j * n + k] = 0;
  }
  return 0;
}

/** Householder QR of the m×n matrix a (row-major) with LAPACK's conventions (dgeqr2's dlarfg:
 *  β = -sign(α)‖x‖, τ = 0 where the column below the diagonal is already zero), then Q's first
 *  qc columns as dorg2r builds them. Returns R (the upper trapezoid, m×n) and Q (m×qc). */
function householderQr(a: Float64Array, m: number, n: number, qc: number): { R: Float64Array; Q: Float64Array } {
  const R = a.slice(), k = Math.min(m, n);
  const tau = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const alpha = R[j * n + j]!;
    let xn = 0;
    for (let i = j + 1; i < m; i++) xn += R[i * n + j]! ** 2;
    if (xn === 0) { tau[j] = 0; continue; }
    const beta = -(alpha >= 0 ? 1 : -1) * Math.sqrt(alpha * alpha + xn);
    tau[j] = (beta - alpha) / beta;
    const s = 1 / (alpha - beta);
    for (let i = j + 1; i < m; i++) R[i * n + j]! *= s;
    R[j * n + j] = beta;
    // apply H = I - τ v vᵀ (v = [1; R[j+1:, j]]) to the trailing columns
    for (let c = j + 1; c < n; c++) {
      let w = R[j * n + c]!;
      for (let i = j + 1; i < m; i++) w += R[i * n + j]! * R[i * n + c]!;
      w *= tau[j]!;
      R[j * n + c]! -= w;
      for (let i = j + 1; i < m; i++) R[i * n + c]! -= w * R[i * n + j]!;
    }
  }
  // Q = H_0 ⋯ H_{k-1} applied to the first qc columns of I (backwards, as dorg2r)
  const Q = new Float64Array(m * qc);
  for (let i = 0; i < Math.min(m, qc); i++) Q[i * qc + i] = 1;
  for (let j = k - 1; j >= 0; j--) {
    if (tau[j] === 0) continue;
    for (let c = 0; c < qc; c++) {
      let w = Q[j * qc + c]!;
      for (let i = j + 1; i < m; i++) w += R[i * n + j]! * Q[i * qc + c]!;
      w *= tau[j]!;
      Q[j * qc + c]! -= w;
      for (let i = j + 1; i < m; i++) Q[i * qc + c]! -= w * R[i * n + j]!;
    }
  }
  for (let i = 0; i < m; i++) for (let j = 0; j < Math.min(i, n); j++) R[i * n + j] = 0;
  return { R, Q };
}

/** Eigenvalues (ascending) and eigenvectors (columns, n×n row-major) of the symmetric n×n matrix
 *  s by cyclic Jacobi rotations in float64. */
function jacobiEigh(s: Float64Array, n: number): { L: Float64Array; V: Float64Array } {
  const a = s.slice(), V = new Float64Array(n * n);
  for (let i = 0; i < n; i++) V[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0, tot = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) { const x = a[i * n + j]! ** 2; tot += x; if (i !== j) off += x; }
    if (off <= 1e-32 * tot || off === 0) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) {
      const apq = a[p * n + q]!;
      if (apq === 0) continue;
      const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
      const t = (theta >= 0 ? 1 : -1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const c = 1 / Math.sqrt(t * t + 1), sn = t * c;
      for (let k = 0; k < n; k++) { // columns p, q
        const x = a[k * n + p]!, y = a[k * n + q]!;
        a[k * n + p] = c * x - sn * y; a[k * n + q] = sn * x + c * y;
      }
      for (let k = 0; k < n; k++) { // rows p, q
        const x = a[p * n + k]!, y = a[q * n + k]!;
        a[p * n + k] = c * x - sn * y; a[q * n + k] = sn * x + c * y;
      }
      for (let k = 0; k < n; k++) {
        const x = V[k * n + p]!, y = V[k * n + q]!;
        V[k * n + p] = c * x - sn * y; V[k * n + q] = sn * x + c * y;
      }
    }
  }
  const order = [...Array(n).keys()].sort((i, j) => a[i * n + i]! - a[j * n + j]! || i - j);
  const L = new Float64Array(n), Vs = new Float64Array(n * n);
  order.forEach((src, k) => { L[k] = a[src * n + src]!; for (let i = 0; i < n; i++) Vs[i * n + k] = V[i * n + src]!; });
  return { L, V: Vs };
}

/** The r×c column set M (row-major) made orthonormal and widened to cc columns: each column is
 *  re-orthogonalised against the ones before it (modified Gram–Schmidt, twice), and a column that
 *  is (nearly) zero, as the one-sided Jacobi SVD leaves for a zero singular value, or that is not
 *  independent of the others, as well as columns c..cc-1, is completed from unit vectors. */
function completeColumns(M: Float64Array, r: number, c: number, cc: number): Float64Array {
  const out = new Float64Array(r * cc);
  const have: number[] = [];
  const orth = (v: Float64Array): number => {
    for (let pass = 0; pass < 2; pass++) for (const h of have) {
      let d = 0; for (let i = 0; i < r; i++) d += v[i]! * out[i * cc + h]!;
      for (let i = 0; i < r; i++) v[i]! -= d * out[i * cc + h]!;
    }
    let nv = 0; for (let i = 0; i < r; i++) nv += v[i]! ** 2;
    return Math.sqrt(nv);
  };
  const put = (j: number, v: Float64Array, nv: number): void => { for (let i = 0; i < r; i++) out[i * cc + j] = v[i]! / nv; have.push(j); };
  for (let j = 0; j < cc; j++) {
    if (j < c) {
      const v = new Float64Array(r);
      for (let i = 0; i < r; i++) v[i] = M[i * c + j]!;
      const nv = orth(v);
      if (nv > 0.5) { put(j, v, nv); continue; }
    }
    for (let e = 0; e < r; e++) {
      const v = new Float64Array(r); v[e] = 1;
      const nv = orth(v);
      if (nv > 1e-3) { put(j, v, nv); break; }
    }
  }
  return out;
}

/** SVD of the m×n matrix a: U (m×uc), S (k), V (n×vc) with uc, vc = k (reduced) or m, n (full). */
function svdFull(a: Float64Array, m: number, n: number, full: boolean): { U: Float64Array; S: Float64Array; V: Float64Array } {
  // (norms.ts's one-sided Jacobi leaves zero columns in U for zero singular values: completed here)
  const { S, U, V } = jacobiSvd(a, m, n);
  const k = Math.min(m, n);
  return { S, U: completeColumns(U, m, k, full ? m : k), V: completeColumns(V, n, k, full ? n : k) };
}


// ---- det, slogdet, logdet ----------------------------------------------------------------------------

interface LU { LU: Float64Array; piv: Int32Array; info: Int32Array; n: number; B: number; batch: number[] }
function luBatched(A: Tensor): LU {
  const { batch, B, n, v } = mats(A);
  const piv = new Int32Array(B * n), info = new Int32Array(B);
  for (let b = 0; b < B; b++) info[b] = luInPlace(v, b * n * n, n, piv, b * n);
  return { LU: v, piv, info, n, B, batch };
}

/** A⁻¹ through A's LU with its zero pivots replaced by the dtype's eps. */
function invZeroPivotsEps(A: Tensor): Tensor {
  const e = eps(A.dtype), d = deviceLU(A);
  if (d) {
    const diag = d.LU.diagonal(0, -2, -1);
    return luSolveOnDevice({ ...d, LU: d.LU.add(diag_embed(diag.eq(0).mul(e))) }, null);
  }
  const { LU, piv, n, B, batch } = luBatched(A);
  const out = new Float64Array(B * n * n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      if (LU[b * n * n + i * n + i] === 0) LU[b * n * n + i * n + i] = e;
      out[b * n * n + i * n + i] = 1;
    }
    luSolve(LU, b * n * n, n, piv, b * n, out, b * n * n, n);
  }
  return mk(out, [...batch, n, n], A.dtype, A); // (on A's device: det's backward multiplies it there)
}

/** torch.linalg.det(A). Backward (linalg_det_backward): g·det(A)·A⁻ᵀ, the cofactor matrix times g;
 *  under create_graph, a differentiable formula: through A⁻¹, or the SVD where A is singular. */
export function det(A: Tensor): Tensor {
  checkMatrix(A, "linalg.det");
  checkFloat(A, "linalg.det");
  checkSquare(A, "linalg.det");
  const { y, singular } = detValues(A);
  return record("LinalgDetBackward0", [A], y, ([g], [As, ys]) => {
    if (As!.numel() === 0) return [zeros_like(As!)]; // (2.x: an empty gradient, not 1.13's None)
    const gd = g!.mul(ys!).unsqueeze(-1).unsqueeze(-1);
    // linalg_det_backward without create_graph: (g·det)·A⁻ᵀ solved with A's LU, its zero pivots
    // replaced by eps (a projection onto an invertible matrix), so 0 where A is exactly singular
    // (in LAPACK's layout, as lu_solve's result is in PyTorch's formula)
    if (!is_grad_enabled()) return [columnMajor(gd.mul(invZeroPivotsEps(As!).mT))];
    if (!singular()) return [gd.mul(inv(As!).mT)];
    // linalg_det_backward's singular case: through the SVD, det(A) = det(U)·det(Vh)·prod(S), with
    // prod's gradient taken without dividing by the (zero) singular values
    const [U, S, Vh] = svd(As!);
    const alpha = det(U!).mul(det(Vh!));
    return [U!.mul(prodSafeZerosBackward(alpha.mul(g!).unsqueeze(-1), S!).unsqueeze(-2)).matmul(Vh!)];
  }, [A, y]);
}

/** det(A), and whether a matrix is singular (asked only by det's double backward: on the device,
 *  a readback). */
function detValues(A: Tensor): { y: Tensor; singular: () => boolean } {
  const dev = deviceLU(A);
  if (dev) return { y: dev.LU.diagonal(0, -2, -1).prod(-1).mul(pivotSign(dev.pivots)), singular: () => anyNonzero(dev.info) };
  const { LU, piv, info, n, B, batch } = luBatched(A);
  const d = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let p = 1;
    for (let i = 0; i < n; i++) { p *= LU[b * n * n + i * n + i]!; if (piv[b * n + i] !== i) p = -p; }
    d[b] = p;
  }
  const singular = info.some((i) => i !== 0);
  return { y: mk(d, batch, A.dtype), singular: () => singular };
}

/** d prod(x)/dx_i = prod_{j≠i} x_j along the last dim, as exclusive cumulative products from both
 *  sides (PyTorch's prod_safe_zeros_backward), times grad. */
function prodSafeZerosBackward(grad: Tensor, x: Tensor): Tensor {
  const k = x.shape[x.ndim - 1]!;
  if (k === 0) return x.mul(0);
  const one = x.narrow(-1, 0, 1).mul(0).add(1);
  const left = cat([one, x.narrow(-1, 0, k - 1)], -1).cumprod(-1);
  const right = cat([x.narrow(-1, 1, k - 1), one], -1).flip([-1]).cumprod(-1).flip([-1]);
  return grad.mul(left).mul(right);
}

/** torch.linalg.slogdet(A) -> (sign, logabsdet). Backward: g_logabsdet·A⁻ᵀ. */
export function slogdet(A: Tensor): Tensor[] & { sign: Tensor; logabsdet: Tensor } {
  checkMatrix(A, "linalg.slogdet");
  checkFloat(A, "linalg.slogdet");
  checkSquare(A, "linalg.slogdet");
  const [sign, logabsdet] = slogdetValues(A);
  const outs = record("LinalgSlogdetBackward0", [A], [sign, logabsdet], ([, gl], [As]) =>
    [gl ? columnMajor(gl.unsqueeze(-1).unsqueeze(-1).mul(inv(As!).mT)) : null], [A]); // (LAPACK's layout, as lu_solve's)
  return named(outs, ["sign", "logabsdet"] as const);
}

function slogdetValues(A: Tensor): [Tensor, Tensor] {
  const d = deviceLU(A);
  if (d) {
    const diag = d.LU.diagonal(0, -2, -1);
    return [diag.sign().prod(-1).mul(pivotSign(d.pivots)), diag.abs().log().sum(-1)];
  }
  const { LU, piv, n, B, batch } = luBatched(A);
  const s = new Float64Array(B), l = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    let sg = 1, la = 0;
    for (let i = 0; i < n; i++) {
      const u = LU[b * n * n + i * n + i]!;
      if (u < 0) sg = -sg; else if (u === 0) sg *= 0; // (PyTorch's -0 where a row swap came first)
      la += Math.log(Math.abs(u));
      if (piv[b * n + i] !== i) sg = -sg;
    }
    s[b] = sg; l[b] = la;
  }
  return [mk(s, batch, A.dtype), mk(l, batch, A.dtype)];
}

/** torch.logdet(A): as 2.x, log|det| where det > 0, nan where det < 0 (composed of slogdet). */
export function logdet(A: Tensor): Tensor {
  checkSquare(A, "logdet");
  checkFloat(A, "logdet");
  const [sign, labs] = slogdet(A);
  return where(sign!.eq(-1), NaN, labs!);
}

// ---- inv, solve --------------------------------------------------------------------------------------

/** linalg.inv_ex's inverse and info, raising api's error for a singular A where `raise`. */
function invCore(A: Tensor, api: string, raise: boolean): { out: Tensor; info: Tensor } {
  checkMatrix(A, "linalg.inv");
  checkFloat(A, "linalg.inv");
  checkSquare(A, "linalg.inv");
  const { y, info } = inverseValues(A, api, raise);
  return { out: record("LinalgInvExBackward0", [A], y, ([g], [ys]) => {
    const iT = ys!.mT;
    return [iT.matmul(g!).matmul(iT).neg()];
  }, [y]), info };
}

/** A⁻¹ (in LAPACK's layout; a singular matrix's NaN) and info, raising op's
 *  error for a singular matrix where `raise`. */
function inverseValues(A: Tensor, op: string, raise: boolean): { y: Tensor; info: Tensor } {
  const d = deviceLU(A);
  if (d) {
    if (raise) checkErrors(d.info, op, A.ndim === 2);
    const X = where(d.info.ne(0).unsqueeze(-1).unsqueeze(-1), NaN, luSolveOnDevice(d, null));
    return { y: columnMajor(X), info: d.info };
  }
  const { LU, piv, info, n, B, batch } = luBatched(A);
  if (raise) checkErrors(info, op, A.ndim === 2);
  const out = new Float64Array(B * n * n);
  for (let b = 0; b < B; b++) {
    if (info[b]) { out.fill(NaN, b * n * n, (b + 1) * n * n); continue; }
    for (let i = 0; i < n; i++) out[b * n * n + i * n + i] = 1;
    luSolve(LU, b * n * n, n, piv, b * n, out, b * n * n, n);
  }
  return { y: columnMajor(mk(out, [...batch, n, n], A.dtype)), info: mk(info, batch, int32, A) };
}

/** torch.linalg.inv(A) (torch.inverse). Backward: -A⁻ᵀ·g·A⁻ᵀ. */
export function inv(A: Tensor): Tensor { return invCore(A, "linalg.inv", true).out; }

/** torch.linalg.inv_ex(A) -> (inverse, info). */
export function inv_ex(A: Tensor, opts: { check_errors?: boolean } = {}): Tensor[] & { inverse: Tensor; info: Tensor } {
  const { out, info } = invCore(A, "linalg.inv_ex", opts.check_errors ?? false);
  return named([out, info], ["inverse", "info"] as const);
}

/** torch.linalg.solve(A, B, *, left=True). B is a batch of vectors when B.ndim == 1 or
 *  B.shape == A.shape[:-1]. Backward (linalg_solve_backward): gB = solve(Aᵀ, g, left), and
 *  gA = -gB·Xᵀ (left) or -Xᵀ·gB (right). */
export function solve(A: Tensor, B: Tensor, opts: { left?: boolean } = {}): Tensor {
  return solveCore(A, B, opts.left ?? true, "torch.linalg.solve", true).X;
}

/** torch.linalg.solve_ex(A, B, *, left=True, check_errors=False) -> (result, info). */
export function solve_ex(A: Tensor, B: Tensor, opts: { left?: boolean; check_errors?: boolean } = {}): Tensor[] & { result: Tensor; info: Tensor } {
  const { X, info } = solveCore(A, B, opts.left ?? true, "torch.linalg.solve_ex", opts.check_errors ?? false);
  return named([X, info], ["result", "info"] as const);
}

/** linalg.solve's X and info, the info of A's own LU (of A's batch, not the broadcast one, as
 *  PyTorch factors A once), raising api's error for a singular A where `raise`. Deviation: where
 *  LAPACK leaves unspecified non-finite values for a singular matrix, its X is NaN here. */
function solveCore(A: Tensor, Bt: Tensor, left: boolean, api: string, raise: boolean): { X: Tensor; info: Tensor } {
  checkMatrix(A, "linalg.solve");
  checkFloat(A, "linalg.solve");
  checkSquare(A, "linalg.solve");
  if (A.dtype !== Bt.dtype) throw new Error(`linalg.solve: Expected A and B to have the same dtype, but found A of type ${scalarTypeName(A.dtype)} and B of type ${scalarTypeName(Bt.dtype)} instead`);
  const n = A.shape[A.ndim - 1]!;
  const vector = Bt.ndim === 1 || (Bt.ndim === A.ndim - 1 && Bt.shape.every((s, i) => s === A.shape[i]));
  const Bm = vector ? Bt.unsqueeze(-1) : Bt;
  if (Bm.ndim < 2) throw new Error("linalg.solve: The input tensor B must have at least 2 dimensions.");
  // right: X A = B ⇔ Aᵀ Xᵀ = Bᵀ
  const Al = left ? A : A.mT, Bl = left ? Bm : Bm.mT;
  if (Bl.shape[Bl.ndim - 2] !== n) {
    const bs = Bm.shape;
    throw new Error(`linalg.solve: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${bs[bs.length - 2]}x${bs[bs.length - 1]})`);
  }
  // (PyTorch 2.x takes a vector B as a column on either side, so this comes after the shapes)
  if (!left && vector) throw new Error("linalg.solve: Vector broadcasting of the left hand side is not supported for left=False. In this case linalg.solve is equivalent to B / A.squeeze(-1)");
  const batch = broadcastShapes(Bm.shape.slice(0, -2), A.shape.slice(0, -2)); // (B's batch is "tensor a")
  const r = Bl.shape[Bl.ndim - 1]!;
  const Be = Bl.expand([...batch, n, r]);
  // (A's LU, its factors then broadcast over B's batch)
  const bcast = (t: Tensor, k: number) => t.expand([...batch, ...t.shape.slice(t.ndim - k)]).contiguous();
  let X: Tensor, info: Tensor;
  const d = deviceLU(Al);
  if (d) {
    info = d.info;
    if (raise) checkErrors(info, api, A.ndim === 2);
    X = luSolveOnDevice({ LU: bcast(d.LU, 2), pivots: bcast(d.pivots, 1), info }, Be.detach());
  } else {
    const lu = luBatched(Al);
    info = mk(lu.info, A.shape.slice(0, -2), int32, A);
    if (raise) checkErrors(lu.info, api, A.ndim === 2);
    const LU = mats(bcast(mk(lu.LU, Al.shape.slice(), float64), 2)).v, piv = Int32Array.from(K.values(bcast(mk(lu.piv, Al.shape.slice(0, -1), int32), 1)));
    const x = mats(Be).v, Bn = x.length / (n * r || 1);
    for (let b = 0; b < Bn; b++) luSolve(LU, b * n * n, n, piv, b * n, x, b * n * r, r);
    X = mk(x, [...batch, n, r], A.dtype);
  }
  if (!raise) X = where(bcast(info, 0).ne(0).unsqueeze(-1).unsqueeze(-1), NaN, X);
  // (left: LAPACK's layout, of the result's own shape where B is a batch of vectors, as
  // _linalg_solve_ex's meta function allocates it; right: row-major, the transpose of that)
  const y = left ? columnMajor(vector ? X.squeeze(-1) : X) : X.mT.contiguous();
  return { X: record("LinalgSolveExBackward0", [A, Bt], y, ([g], [As, ys]) => {
    const gm = vector ? g!.unsqueeze(-1) : g!;
    const gB = solve(As!.mT, gm, { left });
    const Xm = vector ? ys!.unsqueeze(-1) : ys!;
    const gA = A.requires_grad ? (left ? gB.matmul(Xm.mT) : Xm.mT.matmul(gB)).neg() : null;
    return [gA, Bt.requires_grad ? (vector ? gB.squeeze(-1) : gB) : null];
  }, [A, y]), info };
}

// ---- cholesky --------------------------------------------------------------------------------------

/** PyTorch's cholesky_backward: gA = ½(G + Gᵀ), G = L⁻ᵀ·Φ(Lᵀ·gL)·L⁻¹, Φ = tril with halved diagonal. */
function choleskyBackward(gL: Tensor, upper: boolean, L: Tensor): Tensor {
  if (upper) { L = L.mH; gL = gL.mH; }
  const Linv = inv(L);
  let phi = L.mH.matmul(gL).tril();
  phi = phi.sub(diag_embed(phi.diagonal(0, -2, -1).mul(0.5)));
  const G = Linv.mH.matmul(phi).matmul(Linv);
  return columnMajor(G.add(G.mH).mul(0.5)); // (in LAPACK's layout, as PyTorch's last triangular solve leaves it)
}

function choleskyCore(A: Tensor, upper: boolean, op: string, name: string, raise: boolean): { L: Tensor; info: Tensor } {
  // (linalg.cholesky_ex checks as linalg.cholesky; torch.cholesky's dtypes are its kernel's)
  const checks = op === "cholesky" ? op : "linalg.cholesky";
  checkMatrix(A, checks);
  if (op === "cholesky") checkFloatKernel(A, "cholesky_cpu"); else checkFloat(A, checks);
  checkSquare(A, checks);
  let [L, info] = K.choleskyFactor(A.detach()) ?? [null, null];
  if (L === null || info === null) {
    const { batch, B, n, v } = mats(A);
    const inf = new Int32Array(B);
    for (let b = 0; b < B; b++) inf[b] = choleskyInPlace(v, b * n * n, n);
    L = mk(v, [...batch, n, n], A.dtype);
    info = mk(inf, batch, int32, A);
  }
  if (raise) checkErrors(info, op, A.ndim === 2);
  L = columnMajor(upper ? L.mT : L);
  return { L: record(name, [A], L, ([g], [Ls]) => [choleskyBackward(g!, upper, Ls!)], [L]), info };
}

/** torch.linalg.cholesky(A, *, upper=False). */
export function linalg_cholesky(A: Tensor, opts: { upper?: boolean } = {}): Tensor {
  return choleskyCore(A, opts.upper ?? false, "linalg.cholesky", "LinalgCholeskyExBackward0", true).L;
}
/** torch.linalg.cholesky_ex(A, *, upper=False, check_errors=False) -> (L, info). */
export function cholesky_ex(A: Tensor, opts: { upper?: boolean; check_errors?: boolean } = {}): Tensor[] & { L: Tensor; info: Tensor } {
  const { L, info } = choleskyCore(A, opts.upper ?? false, "linalg.cholesky_ex", "LinalgCholeskyExBackward0", opts.check_errors ?? false);
  return named([L, info], ["L", "info"] as const);
}
/** torch.cholesky(A, upper=False) (deprecated in PyTorch, kept as CholeskyBackward0). */
export function cholesky(A: Tensor, upper: boolean | { upper?: boolean } = false): Tensor {
  const u = typeof upper === "boolean" ? upper : upper.upper ?? false;
  return choleskyCore(A, u, "cholesky", "CholeskyBackward0", true).L;
}

// ---- qr ----------------------------------------------------------------------------------------------

/** The gradient of A = QR for a square-or-tall R (m ≥ n, reduced), in Tensor ops:
 *  gA = Q·(gR + tril(QᵀgQ - gQᵀQ + R gRᵀ - gR Rᵀ)·R⁻ᵀ) + (gQ - Q QᵀgQ)·R⁻ᵀ. */
function qrBackwardTall(gQ: Tensor, gR: Tensor, Q: Tensor, R: Tensor): Tensor {
  const rinvT = (X: Tensor): Tensor => solve(R, X.mT).mT; // X·R⁻ᵀ
  const qdq = Q.mT.matmul(gQ), rdr = R.matmul(gR.mT);
  const tril = qdq.sub(qdq.mT).add(rdr.sub(rdr.mT)).tril();
  const ga = Q.matmul(gR.add(rinvT(tril)));
  const gb = rinvT(gQ.sub(Q.matmul(qdq)));
  return ga.add(gb);
}

function qrBackward(gQ: Tensor | null, gR: Tensor | null, Q: Tensor, R: Tensor, A: Tensor, mode: string): Tensor {
  if (mode === "r") throw new Error("The derivative of linalg.qr depends on Q, which is not computed when mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to differentiate through linalg.qr.");
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  if (mode === "complete" && m > n) throw new Error("The QR decomposition is not differentiable when mode='complete' and nrows > ncols.");
  const gq = gQ ?? Q.mul(0), gr = gR ?? R.mul(0);
  if (m >= n) return columnMajor(qrBackwardTall(gq, gr, Q, R)); // (PyTorch's ends in a triangular solve)
  // wide: A = Q·[U | V] with X = A[:, :m] = Q U and Y = A[:, m:] = Q V
  const U = R.narrow(-1, 0, m), gU = gr.narrow(-1, 0, m), gV = gr.narrow(-1, m, n - m);
  const Y = A.narrow(-1, m, n - m);
  const gX = qrBackwardTall(gq.add(Y.matmul(gV.mT)), gU, Q, U);
  return cat([gX, Q.matmul(gV)], -1);
}

/** torch.linalg.qr(A, mode='reduced') -> (Q, R); mode 'complete' or 'r' (Q empty). */
export function qr(A: Tensor, mode: string | { mode?: string } = "reduced"): Tensor[] & { Q: Tensor; R: Tensor } {
  const md = typeof mode === "string" ? mode : mode.mode ?? "reduced";
  checkMatrix(A, "linalg.qr");
  checkFloat(A, "linalg.qr");
  if (md !== "reduced" && md !== "complete" && md !== "r")
    throw new Error(`qr received unrecognized mode '${md}' but expected one of 'reduced' (default), 'r', or 'complete'`);
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const k = Math.min(m, n), qc = md === "complete" ? m : k, rr = md === "complete" ? m : k;
  let [Rv, Qv] = K.householderQr(A.detach(), md === "r" ? 0 : qc) ?? [null, null];
  if (Rv === null || Qv === null) {
    const { batch, B, v } = mats(A);
    const Qd = new Float64Array(B * m * qc), Rd = new Float64Array(B * rr * n);
    for (let b = 0; b < B; b++) {
      const { Q, R } = householderQr(v.subarray(b * m * n, (b + 1) * m * n), m, n, qc);
      Qd.set(Q, b * m * qc);
      Rd.set(R.subarray(0, rr * n), b * rr * n);
    }
    Rv = mk(Rd, [...batch, rr, n], A.dtype); Qv = mk(Qd, [...batch, m, qc], A.dtype);
  }
  const Q = md === "r" ? mk([], [0], A.dtype, A) : columnMajor(Qv);
  const R = columnMajor(Rv.narrow(-2, 0, rr));
  const outs = record("LinalgQrBackward0", [A], [Q, R], ([gQ, gR], [As, Qs, Rs]) =>
    [qrBackward(gQ ?? null, gR ?? null, Qs!, Rs!, As!, md)], [A, Q, R]);
  return named(outs, ["Q", "R"] as const);
}

/** torch.qr(A, some=True) -> (Q, R): linalg.qr with mode 'reduced' or 'complete'. */
export function torch_qr(A: Tensor, some: boolean | { some?: boolean } = true): Tensor[] & { Q: Tensor; R: Tensor } {
  const s = typeof some === "boolean" ? some : some.some ?? true;
  return qr(A, s ? "reduced" : "complete");
}

// ---- eigh, eigvalsh ----------------------------------------------------------------------------------

/** torch.linalg.eigh(A, UPLO='L') -> (eigenvalues ascending, eigenvectors as columns). Only the
 *  UPLO triangle is read. Backward (linalg_eig_backward, Hermitian):
 *  gA = V·(skew(VᵀgV)/E + diag(gL))·Vᵀ with skew(X) = ½(X - Xᵀ), E_ij = L_j - L_i (1 on the diagonal). */
export function eigh(A: Tensor, UPLO: string | { UPLO?: string } = "L"): Tensor[] & { eigenvalues: Tensor; eigenvectors: Tensor } {
  const uplo = typeof UPLO === "string" ? UPLO : UPLO.UPLO ?? "L";
  checkMatrix(A, "linalg.eigh");
  if (!A.dtype.is_floating_point) throw new Error(`"linalg_eigh_cpu" not implemented for '${scalarTypeName(A.dtype)}'`);
  checkSquare(A, "linalg.eigh");
  if (uplo !== "L" && uplo !== "U" && uplo !== "l" && uplo !== "u") throw new Error(`Expected UPLO argument to be 'L' or 'U', but got ${uplo}`);
  const lower = uplo === "L" || uplo === "l";
  // (on the device: the symmetric matrix of the UPLO triangle, then its kernel)
  const Ad = A.detach();
  const onDevice = A.device.type !== "cpu" ? K.jacobiEigh(lower ? Ad.tril().add(Ad.tril(-1).mT) : Ad.triu().add(Ad.triu(1).mT)) : null;
  let [L, V] = onDevice ?? [null, null];
  if (L === null || V === null) {
    const { batch, B, n, v } = mats(A);
    const Ld = new Float64Array(B * n), Vd = new Float64Array(B * n * n);
    const s = new Float64Array(n * n);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
        const [r, c] = (lower ? i >= j : i <= j) ? [i, j] : [j, i];
        s[i * n + j] = v[b * n * n + r * n + c]!;
      }
      const { L, V } = jacobiEigh(s, n);
      Ld.set(L, b * n); Vd.set(V, b * n * n);
    }
    L = mk(Ld, [...batch, n], A.dtype); V = mk(Vd, [...batch, n, n], A.dtype);
  }
  V = columnMajor(V);
  const outs = record("LinalgEighBackward0", [A], [L, V], ([gL, gV], [Ls, Vs]) => [eighBackward(gL ?? null, gV ?? null, Ls!, Vs!)], [L, V]);
  return named(outs, ["eigenvalues", "eigenvectors"] as const);
}

function eighBackward(gL: Tensor | null, gV: Tensor | null, L: Tensor, V: Tensor): Tensor {
  let gA: Tensor | null = null;
  if (gV) {
    const E = L.unsqueeze(-2).sub(L.unsqueeze(-1));
    const Ed = E.add(eye(L.shape[L.ndim - 1]!, { dtype: L.dtype, device: L.device }));
    let X = V.mT.matmul(gV);
    X = X.sub(X.mT).mul(0.5);
    gA = X.div(Ed);
  }
  if (gL) gA = gA ? gA.add(diag_embed(gL)) : diag_embed(gL);
  return V.matmul(gA!.matmul(V.mT));
}

/** torch.linalg.eigvalsh(A, UPLO='L'): eigh's eigenvalues (as 2.x, through eigh when grad is on). */
export function eigvalsh(A: Tensor, UPLO: string | { UPLO?: string } = "L"): Tensor {
  return eigh(A, UPLO)[0]!;
}

// ---- svd -----------------------------------------------------------------------------------------------

/** PyTorch's svd_backward (real case), U/Vh narrowed to k columns/rows when full_matrices. */
function svdBackward(gU: Tensor | null, gS: Tensor | null, gVh: Tensor | null, U: Tensor, S: Tensor, Vh: Tensor): Tensor {
  const m = U.shape[U.ndim - 2]!, n = Vh.shape[Vh.ndim - 1]!, k = S.shape[S.ndim - 1]!;
  if (!gU && !gVh) {
    const gs = gS!;
    return m >= n ? U.matmul(gs.unsqueeze(-1).mul(Vh)) : U.mul(gs.unsqueeze(-2)).matmul(Vh);
  }
  void k;
  const V = Vh.mT, gV = gVh ? gVh.mT : null;
  const skew = (X: Tensor): Tensor => X.sub(X.mT);
  const UhgU = gU ? skew(U.mT.matmul(gU)) : null;
  const VhgV = gV ? skew(Vh.matmul(gV)) : null;
  const S2 = S.mul(S);
  const E = S2.unsqueeze(-2).sub(S2.unsqueeze(-1)).add(eye(k, { dtype: S.dtype, device: S.device }));
  let gA = UhgU && VhgV ? UhgU.mul(S.unsqueeze(-2)).add(S.unsqueeze(-1).mul(VhgV)).div(E)
    : UhgU ? UhgU.div(E).mul(S.unsqueeze(-2)) : S.unsqueeze(-1).mul(VhgV!.div(E));
  if (gS) gA = gA.add(diag_embed(gS));
  if (m > n && gU) {
    gA = U.matmul(gA);
    const gUSinv = gU.div(S.unsqueeze(-2));
    gA = gA.add(gUSinv).sub(U.matmul(U.mT.matmul(gUSinv)));
    return gA.matmul(Vh);
  }
  if (m < n && gV) {
    gA = gA.matmul(Vh);
    const gVSinv = gV.div(S.unsqueeze(-2));
    gA = gA.add(gVSinv.mT).sub(gVSinv.mT.matmul(V).matmul(Vh));
    return U.matmul(gA);
  }
  return m >= n ? U.matmul(gA.matmul(Vh)) : U.matmul(gA).matmul(Vh);
}

/** torch.linalg.svd(A, full_matrices=True) -> (U, S, Vh). */
export function svd(A: Tensor, full_matrices: boolean | { full_matrices?: boolean } = true): Tensor[] & { U: Tensor; S: Tensor; Vh: Tensor } {
  const full = typeof full_matrices === "boolean" ? full_matrices : full_matrices.full_matrices ?? true;
  checkMatrix(A, "linalg.svd");
  checkFloat(A, "linalg.svd");
  // (LAPACK's gesdd refuses a matrix holding a NaN, info -4; one holding an infinity gives NaNs)
  checkErrors(A.detach().isnan().flatten(-2).any(-1).to(int32).mul(-4), "linalg.svd", A.ndim === 2);
  const infinite = A.detach().isinf().flatten(-2).any(-1);
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const k = Math.min(m, n), uc = full ? m : k, vc = full ? n : k;
  let [Uv, S, Vhv] = (A.device.type !== "cpu" ? svdOnDevice(A.detach(), uc, vc) : null) ?? [null, null, null];
  if (Uv === null || S === null || Vhv === null) {
    const { batch, B, v } = mats(A);
    const Ud = new Float64Array(B * m * uc), Sd = new Float64Array(B * k), Vhd = new Float64Array(B * vc * n);
    for (let b = 0; b < B; b++) {
      const { U, S, V } = svdFull(v.subarray(b * m * n, (b + 1) * m * n), m, n, full);
      Ud.set(U, b * m * uc); Sd.set(S, b * k);
      for (let i = 0; i < vc; i++) for (let j = 0; j < n; j++) Vhd[b * vc * n + i * n + j] = V[j * vc + i]!;
    }
    Uv = mk(Ud, [...batch, m, uc], A.dtype); S = mk(Sd, [...batch, k], A.dtype); Vhv = mk(Vhd, [...batch, vc, n], A.dtype);
  }
  if (anyNonzero(infinite)) {
    const nan = (t: Tensor, mat: boolean) => where(mat ? infinite.unsqueeze(-1).unsqueeze(-1) : infinite.unsqueeze(-1), NaN, t);
    [Uv, S, Vhv] = [nan(Uv, true), nan(S, false), nan(Vhv, true)];
  }
  const U = columnMajor(Uv), Vh = columnMajor(Vhv);
  const outs = record("LinalgSvdBackward0", [A], [U, S, Vh], ([gU, gS, gVh], [Us, Ss, Vhs]) => {
    if (!gU && !gS && !gVh) return [null];
    const nar = (t: Tensor | null | undefined, d: number): Tensor | null => (t ? (full ? t.narrow(d, 0, k) : t) : null);
    return [svdBackward(nar(gU, -1), gS ?? null, nar(gVh, -2), nar(Us!, -1)!, Ss!, nar(Vhs!, -2)!)];
  }, [U, S, Vh]);
  return named(outs, ["U", "S", "Vh"] as const, "linalg_svd");
}

/** svd's U [..., m, uc], S and Vh [..., vc, n] of A on the device (Note [Jacobi shaders]), or null:
 *  the one-sided Jacobi SVD of A's tall orientation (Aᵀ's where A is wide, its U and V swapped
 *  back), then, as svdFull, U's and V's columns completed to an orthonormal set of uc and vc: here
 *  by Householder QR (the columns times the signs of R's diagonal are themselves; a zero column,
 *  of a zero singular value, and the ones past k become the QR's own orthonormal completion). */
function svdOnDevice(A: Tensor, uc: number, vc: number): [Tensor, Tensor, Tensor] | null {
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const r = K.jacobiSvd(m >= n ? A : A.mT);
  if (r === null) return null;
  const [Ut, S, Vt] = r;
  const complete = (M: Tensor, cols: number): Tensor | null => {
    const qr = K.householderQr(M, cols);
    if (qr === null) return null;
    const d = qr[0].diagonal(0, -2, -1), k = d.shape[d.ndim - 1]!;
    const signs = d.sign().add(d.eq(0)), ones = Tensor.empty([...d.shape.slice(0, -1), cols - k], d.dtype, d.device).fill_(1);
    return qr[1].mul(cat([signs, ones], -1).unsqueeze(-2));
  };
  const U = complete(m >= n ? Ut : Vt, uc), V = complete(m >= n ? Vt : Ut, vc);
  return U && V && [U, S, V.mT];
}

/** Singular values (descending) of an m×n row-major matrix, with U (m×k) and V (n×k), k = min(m, n),
 *  by Hestenes' one-sided Jacobi rotations in float64: accurate to machine precision for the small
 *  matrices this reference backend is for. */
export function jacobiSvd(a: ArrayLike<number>, m: number, n: number): { S: Float64Array; U: Float64Array; V: Float64Array } {
  const tr = m < n; // work on the tall orientation; swap U and V back at the end
  const r = tr ? n : m, c = tr ? m : n;
  const W = new Float64Array(r * c); // columns are rotated in place (W = A·V)
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) W[i * c + j] = tr ? a[j * n + i]! : a[i * n + j]!;
  const V = new Float64Array(c * c);
  for (let j = 0; j < c; j++) V[j * c + j] = 1;
  for (let sweep = 0; sweep < 80; sweep++) {
    let rotated = false;
    for (let p = 0; p < c - 1; p++) for (let q = p + 1; q < c; q++) {
      let alpha = 0, beta = 0, gamma = 0;
      for (let i = 0; i < r; i++) { const x = W[i * c + p]!, y = W[i * c + q]!; alpha += x * x; beta += y * y; gamma += x * y; }
      if (gamma === 0 || Math.abs(gamma) <= 1e-15 * Math.sqrt(alpha * beta)) continue;
      rotated = true;
      const zeta = (beta - alpha) / (2 * gamma);
      const t = Math.sign(zeta || 1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
      const cs = 1 / Math.sqrt(1 + t * t), sn = cs * t;
      for (let i = 0; i < r; i++) { const x = W[i * c + p]!, y = W[i * c + q]!; W[i * c + p] = cs * x - sn * y; W[i * c + q] = sn * x + cs * y; }
      for (let i = 0; i < c; i++) { const x = V[i * c + p]!, y = V[i * c + q]!; V[i * c + p] = cs * x - sn * y; V[i * c + q] = sn * x + cs * y; }
    }
    if (!rotated) break;
  }
  const sig = new Float64Array(c);
  for (let j = 0; j < c; j++) { let s = 0; for (let i = 0; i < r; i++) s += W[i * c + j]! ** 2; sig[j] = Math.sqrt(s); }
  const order = [...Array(c).keys()].sort((i, j) => sig[j]! - sig[i]! || i - j);
  const S = new Float64Array(c), Ut = new Float64Array(r * c), Vt = new Float64Array(c * c);
  order.forEach((src, k) => {
    S[k] = sig[src]!;
    for (let i = 0; i < r; i++) Ut[i * c + k] = sig[src]! > 0 ? W[i * c + src]! / sig[src]! : 0;
    for (let i = 0; i < c; i++) Vt[i * c + k] = V[i * c + src]!;
  });
  // tall: A = Ut S Vtᵀ; wide: Aᵀ = Ut S Vtᵀ, so A = Vt S Utᵀ
  return tr ? { S, U: Vt, V: Ut } : { S, U: Ut, V: Vt };
}

/** torch.linalg.svdvals(A): as 2.x when a gradient may be wanted, linalg.svd's S (LinalgSvdBackward0,
 *  whose backward U·diag(gS)·Vh is differentiable again through the saved U and Vh). */
export function svdvals(A: Tensor): Tensor {
  return svd(A, false)[1]!;
}

/** torch.svd(A, some=True, compute_uv=True) -> (U, S, V): linalg.svd with V = Vhᵀ. */
export function torch_svd(A: Tensor, some: boolean | { some?: boolean; compute_uv?: boolean } = true, compute_uv = true): Tensor[] & { U: Tensor; S: Tensor; V: Tensor } {
  let s = true, cuv = compute_uv;
  if (typeof some === "boolean") s = some; else { s = some.some ?? true; cuv = some.compute_uv ?? true; }
  if (!cuv) {
    checkMatrix(A, "linalg.svd");
    const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!, batch = A.shape.slice(0, -2);
    const S = svd(A, false)[1]!;
    // (as ATen's svd: V is the adjoint of an n×n Vh of zeros)
    return named([Tensor.empty([...batch, m, m], A.dtype).fill_(0), S, Tensor.empty([...batch, n, n], A.dtype).fill_(0).mT], ["U", "S", "V"] as const, "svd");
  }
  const [U, S, Vh] = svd(A, !s);
  return named([U!, S!, Vh!.mT], ["U", "S", "V"] as const, "svd");
}

// ---- pinv, matrix_rank --------------------------------------------------------------------------------

export interface TolOpts { atol?: number | Tensor | null; rtol?: number | Tensor | null; hermitian?: boolean }
function eps(d: DType): number { return d.name === "float64" ? 2.220446049250313e-16 : 1.1920928955078125e-7; }

/** torch.linalg.pinv(A, *, atol=None, rtol=None, hermitian=False): V·diag(1/S where S > tol)·Uᵀ,
 *  tol = max(atol, rtol·σ₁), rtol defaulting to eps·max(m, n) when neither is given (for
 *  hermitian, the eigendecomposition with |λ|). One LinalgPinvBackward0 node with pinv_backward. */
export function pinv(A: Tensor, opts: TolOpts | number = {}): Tensor {
  const o: TolOpts = typeof opts === "number" ? { rtol: opts } : opts;
  if (A.ndim < 2 || !A.dtype.is_floating_point)
    throw new Error(`linalg.pinv(${scalarTypeName(A.dtype)}{[${A.shape.join(", ")}]}): expected a tensor with 2 or more dimensions of float, double, cfloat or cdouble types`);
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const atol = o.atol ?? 0;
  const rtol = o.rtol ?? (o.atol === undefined || o.atol === null ? eps(A.dtype) * Math.max(m, n) : 0);
  const y = no_grad(() => {
    if (A.numel() === 0) return Tensor.empty([...A.shape.slice(0, -2), n, m], A.dtype).fill_(0);
    const tolOf = (maxv: Tensor): Tensor => {
      const rt = maxv.mul(rtol);
      return typeof atol === "number" ? rt.clamp(atol) : rt.maximum((atol as Tensor).unsqueeze(-1));
    };
    if (o.hermitian) {
      const [L, V] = eigh(A);
      const absL = L!.abs();
      const Linv = where(absL.gt(tolOf(absL.amax(-1, true))), L!.reciprocal(), 0);
      return matmul(V!.mul(Linv.unsqueeze(-2)), V!.mT);
    }
    const [U, S, Vh] = svd(A, false);
    const Sinv = where(S!.gt(tolOf(S!.narrow(-1, 0, 1))), S!.reciprocal(), 0);
    return matmul(Vh!.mT.mul(Sinv.unsqueeze(-2)), U!.mT).contiguous();
  });
  return record("LinalgPinvBackward0", [A], y, ([g], [As, ys]) => [pinvBackward(g!, ys!, As!)], [A, y]);
}

/** PyTorch's pinv_backward (FunctionsManual.cpp), arranged for the smaller of m, n; in LAPACK's
 *  layout, as PyTorch's sum takes it from its first term, an adjoint. */
function pinvBackward(grad: Tensor, pinvA: Tensor, A: Tensor): Tensor { return columnMajor(pinvBackwardTerms(grad, pinvA, A)); }
function pinvBackwardTerms(grad: Tensor, pinvA: Tensor, A: Tensor): Tensor {
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const pinvAh = pinvA.mT, gradh = grad.mT;
  if (m <= n) {
    const K = gradh.matmul(pinvA), KpinvAh = K.matmul(pinvAh);
    return pinvA.matmul(K).mT.neg().add(KpinvAh).sub(A.matmul(pinvA).matmul(KpinvAh))
      .add(pinvAh.matmul(pinvA).matmul(gradh.sub(K.matmul(A))));
  }
  const K = pinvA.matmul(gradh), pinvAhK = pinvAh.matmul(K);
  return K.matmul(pinvA).mT.neg().add(gradh.sub(A.matmul(K)).matmul(pinvA).matmul(pinvAh))
    .add(pinvAhK).sub(pinvAhK.matmul(pinvA).matmul(A));
}

/** torch.pinverse(A, rcond=1e-15): linalg.pinv with rtol = rcond. */
export function pinverse(A: Tensor, rcond: number | { rcond?: number } = 1e-15): Tensor {
  const r = typeof rcond === "number" ? rcond : rcond.rcond ?? 1e-15;
  return pinv(A, { rtol: r, atol: 0 });
}

/** torch.linalg.matrix_rank(A, *, atol=None, rtol=None, hermitian=False) -> int64. */
export function matrix_rank(A: Tensor, opts: TolOpts & { tol?: number } | number = {}): Tensor {
  const o: TolOpts & { tol?: number } = typeof opts === "number" ? { atol: opts, rtol: 0 } : opts;
  checkMatrix(A, "linalg.matrix_rank");
  if (!A.dtype.is_floating_point) throw new Error("This function doesn't handle types other than float and double");
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  const atol = (o.atol ?? o.tol ?? 0) as number;
  const rtol = (o.rtol ?? ((o.atol === undefined || o.atol === null) && o.tol === undefined ? eps(A.dtype) * Math.max(m, n) : 0)) as number;
  const S = o.hermitian ? eigvalsh(A.detach()).abs() : svd(A.detach(), false)[1]!;
  if (S.shape[S.ndim - 1] === 0) return Tensor.empty(A.shape.slice(0, -2), int64).fill_(0);
  const tol = S.amax(-1, true).mul(rtol).clamp(atol);
  return S.gt(tol).sum(-1);
}

// ---- cond ----------------------------------------------------------------------------------------------

/** torch.linalg.cond(A, p=None): as ATen's linalg_cond. p = None or ±2: the ratio of the extreme
 *  singular values (A may be rectangular); ±1, ±inf, 'fro', 'nuc': norm(A)·norm(A⁻¹) of square A,
 *  A⁻¹ = inf where A is singular (inv_ex's info), a product of 0 and inf taken as inf ('nuc': the
 *  sum of the singular values times that of their reciprocals); an empty A gives zeros. */
export function cond(A: Tensor, p: Ord | null | { p?: Ord | null } = null): Tensor {
  const ord: Ord = (p !== null && typeof p === "object" ? p.p : p) ?? 2;
  const numeric = typeof ord === "number";
  const checkOrd = () => {
    if (numeric ? ![1, 2, Infinity].includes(Math.abs(ord)) : ord !== "fro" && ord !== "nuc")
      throw new Error(`linalg.cond got an invalid norm type: ${numeric ? fmtDouble(ord) : ord}`);
  };
  // (ATen's order: a numeric ord is checked before the shapes and an empty A returns early; a
  // string one after the square check)
  if (numeric) {
    if (A.ndim < 2) throw new Error("linalg.cond: The input tensor must have at least 2 dimensions.");
    checkOrd();
  } else {
    checkSquare(A, `linalg.cond(ord=${ord})`);
    checkOrd();
  }
  if (A.numel() === 0) return Tensor.empty(A.shape.slice(0, -2), A.dtype, A.device).fill_(0);
  if (numeric && Math.abs(ord) === 2) {
    const S = svdvals(A), k = S.shape[S.ndim - 1]!;
    const sMax = S.narrow(-1, 0, 1), sMin = S.narrow(-1, k - 1, 1);
    return (ord === -2 ? sMin.div(sMax) : sMax.div(sMin)).squeeze(-1);
  }
  if (numeric) checkSquare(A, `linalg.cond(ord=${fmtDouble(ord)})`);
  if (ord === "nuc") {
    const S = svdvals(A);
    return S.sum(-1).mul(S.reciprocal().sum(-1));
  }
  // (in place, as ATen: the inverse inv_ex's backward saved is modified, so that, as in PyTorch,
  // these orders cannot be differentiated)
  const [inverse, info] = inv_ex(A);
  inverse!.masked_fill_(info!.gt(0).unsqueeze(-1).unsqueeze(-1), Infinity);
  return matrix_norm(A, ord).mul(matrix_norm(inverse!, ord)).nan_to_num_(Infinity, Infinity, -Infinity);
}

// ---- torch.linalg's forms of diagonal and vander ---------------------------------------------------------

/** torch.linalg.diagonal(A, *, offset=0, dim1=-2, dim2=-1): torch.diagonal with the batch-first defaults. */
export function linalg_diagonal(A: Tensor, opts: { offset?: number; dim1?: number; dim2?: number } = {}): Tensor {
  return A.diagonal(opts.offset ?? 0, opts.dim1 ?? -2, opts.dim2 ?? -1);
}

/** torch.linalg.vander(x, *, N=None): the powers x⁰ … x^(N-1) along a new last dim (N defaults to
 *  x.shape[-1]), as ATen composes it: a row of ones, then the cumulative product of x repeated
 *  (so integers give int64). */
export function linalg_vander(x: Tensor, opts: { N?: number | null } = {}): Tensor {
  if (!(x.dtype === float32 || x.dtype === float64 || (!x.dtype.is_floating_point && x.dtype.name !== "bool")))
    throw new Error(`linalg.vander supports floating point, complex, and integer tensors, but got ${scalarTypeName(x.dtype)}`);
  const x1 = x.ndim === 0 ? x.unsqueeze(-1) : x;
  const shape = x1.shape.slice(), n = opts.N ?? shape[shape.length - 1]!;
  if (!(n > 1)) throw new Error("N must be greater than 1.");
  const powers = x1.unsqueeze(-1).expand([...shape, n - 1]).cumprod(-1);
  return cat([Tensor.empty([...shape, 1], powers.dtype, powers.device).fill_(1), powers], -1);
}

// ---- matrix_power, matrix_exp, multi_dot, vecdot -------------------------------------------------------

/** torch.linalg.matrix_power(A, n) as ATen composes it (clone, inv, matmul by binary powering). */
export function matrix_power(A: Tensor, k: number | { n?: number }): Tensor {
  let n = typeof k === "number" ? k : k.n ?? 1;
  checkSquare(A, "linalg.matrix_power");
  if (n === 0) {
    const e = eye(A.shape[A.ndim - 1]!, { dtype: A.dtype, device: A.device }).expand(A.shape.slice());
    return A.clone().copy_(e);
  }
  let a = A;
  if (n < 0) { a = inv(A); n = -n; if (n === 1) return a; }
  if (n === 1) return a.clone();
  if (n === 2) return matmul(a, a);
  if (n === 3) return matmul(matmul(a, a), a);
  let z: Tensor | null = null, result: Tensor | null = null;
  while (n > 0) {
    const bit = n % 2;
    n = Math.floor(n / 2);
    z = z ? matmul(z, z) : a;
    if (bit === 1) result = result ? matmul(result, z) : z;
  }
  return result!;
}

/** exp(A) of the n×n float64 matrix a: scaling and squaring of a Taylor series. */
function expm(a: Float64Array, n: number): Float64Array {
  let norm = 0;
  for (let j = 0; j < n; j++) { let c = 0; for (let i = 0; i < n; i++) c += Math.abs(a[i * n + j]!); norm = Math.max(norm, c); }
  const s = norm > 0.25 ? Math.ceil(Math.log2(norm / 0.25)) : 0;
  const sc = 2 ** -s;
  const X: Float64Array = Float64Array.from(a, (x) => x * sc);
  const mul = (P: Float64Array, Q: Float64Array): Float64Array => {
    const R = new Float64Array(n * n);
    for (let i = 0; i < n; i++) for (let k = 0; k < n; k++) { const p = P[i * n + k]!; if (p !== 0) for (let j = 0; j < n; j++) R[i * n + j]! += p * Q[k * n + j]!; }
    return R;
  };
  let E: Float64Array = new Float64Array(n * n), term: Float64Array = new Float64Array(n * n);
  for (let i = 0; i < n; i++) { E[i * n + i] = 1; term[i * n + i] = 1; }
  for (let k = 1; k <= 30; k++) {
    term = mul(term, X).map((x) => x / k);
    let mx = 0;
    for (let i = 0; i < n * n; i++) { E[i]! += term[i]!; mx = Math.max(mx, Math.abs(term[i]!)); }
    if (mx < 1e-18) break;
  }
  for (let i = 0; i < s; i++) E = mul(E, E);
  return E;
}

/** exp(A) of float32 matrices on the device, composed of its matmuls as expm is: each matrix
 *  scaled by 2^-s to a 1-norm of at most 1/4, a Taylor series of 12 terms in Horner's form (the
 *  next, 0.25^13/13!, far below float32's rounding), squared s times. The largest s (the loop's
 *  length) is read back, as PyTorch reads the norms back on CUDA to pick its approximation. */
function expmOnDevice(A: Tensor): Tensor {
  const n = A.shape[A.ndim - 1]!;
  const norm = A.abs().sum(-2).amax(-1).unsqueeze(-1).unsqueeze(-1);
  const s = norm.div(0.25).log2().ceil().clamp_min(0);
  const squarings = s.amax().item() as number;
  const X = A.mul(s.neg().exp2());
  const I = eye(n, { dtype: A.dtype, device: A.device });
  let E = I;
  for (let k = 12; k >= 1; k--) E = X.matmul(E).div(k).add(I);
  for (let t = 0; t < squarings; t++) E = where(s.gt(t), E.matmul(E), E);
  return E;
}

/** torch.linalg.matrix_exp(A). Backward (linalg_matrix_exp_differential, adjoint): the upper-right
 *  block of exp([[Aᵀ, g], [0, Aᵀ]]). */
export function matrix_exp(A: Tensor): Tensor {
  checkSquare(A, "linalg.matrix_exp");
  checkFloat(A, "linalg.matrix_exp");
  const n = A.shape[A.ndim - 1]!;
  let y: Tensor;
  if (A.device.type !== "cpu" && A.dtype === float32 && A.numel() > 0) y = no_grad(() => expmOnDevice(A));
  else {
    const { batch, B, v } = mats(A);
    const out = new Float64Array(B * n * n);
    for (let b = 0; b < B; b++) out.set(expm(v.subarray(b * n * n, (b + 1) * n * n), n), b * n * n);
    y = mk(out, [...batch, n, n], A.dtype);
  }
  return record("LinalgMatrixExpBackward0", [A], y, ([g], [As]) => {
    const At = As!.mT;
    const top = cat([At, g!], -1), bottom = cat([At.mul(0), At], -1);
    return [matrix_exp(cat([top, bottom], -2)).narrow(-2, 0, n).narrow(-1, n, n)];
  }, [A]);
}

/** torch.linalg.multi_dot(tensors): mm's in the cheapest order; 1-d ends as row/column vectors. */
export function multi_dot(tensors: readonly Tensor[]): Tensor {
  const n = tensors.length;
  if (n < 2) throw new Error(`multi_dot(): expected at least 2 tensors but got ${n}`);
  const first = tensors[0]!, last = tensors[n - 1]!;
  if (first.ndim !== 1 && first.ndim !== 2) throw new Error(`multi_dot(): the first tensor must be 1D or 2D but got ${first.ndim}D`);
  if (last.ndim !== 1 && last.ndim !== 2) throw new Error(`multi_dot(): the last tensor must be 1D or 2D but got ${last.ndim}D`);
  for (let i = 1; i < n - 1; i++) if (tensors[i]!.ndim !== 2) throw new Error(`multi_dot(): tensor ${i} must be 2D but got ${tensors[i]!.ndim}D`);
  const ts = tensors.slice();
  if (first.ndim === 1) ts[0] = first.unsqueeze(0);
  if (last.ndim === 1) ts[n - 1] = last.unsqueeze(1);
  for (let i = 0; i + 1 < n; i++) {
    if (ts[i]!.shape[1] !== ts[i + 1]!.shape[0]) {
      const f = (t: Tensor) => `[${t.shape.join(", ")}]`;
      throw new Error(`multi_dot(): tensors ${i} and ${i + 1} with shapes ${f(ts[i]!)} and ${f(ts[i + 1]!)} cannot be multiplied`);
    }
  }
  let r: Tensor;
  if (n === 2) r = mm(ts[0]!, ts[1]!);
  else if (n === 3) {
    const a = ts[0]!.shape[0]!, b = ts[1]!.shape[0]!, c = ts[2]!.shape[0]!, d = ts[2]!.shape[1]!;
    const cost1 = a * c * (b + d), cost2 = b * d * (a + c);
    r = cost1 > cost2 ? mm(ts[0]!, mm(ts[1]!, ts[2]!)) : mm(mm(ts[0]!, ts[1]!), ts[2]!);
  } else {
    const p = [ts[0]!.shape[0]!, ...ts.map((t) => t.shape[1]!)];
    const M = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    const S = Array.from({ length: n }, () => new Array<number>(n).fill(0));
    for (let l = 1; l < n; l++) for (let i = 0; i < n - l; i++) {
      const j = i + l;
      M[i]![j] = Infinity;
      for (let k = i; k < j; k++) {
        const q = M[i]![k]! + M[k + 1]![j]! + p[i]! * p[k + 1]! * p[j + 1]!;
        if (q < M[i]![j]!) { M[i]![j] = q; S[i]![j] = k; }
      }
    }
    const go = (i: number, j: number): Tensor => (i === j ? ts[i]! : mm(go(i, S[i]![j]!), go(S[i]![j]! + 1, j)));
    r = go(0, n - 1);
  }
  // multi_dot reshapes its result at the end (ViewBackward0), also for two matrices
  if (first.ndim === 1 && last.ndim === 1) return r.view([]);
  if (first.ndim === 1 || last.ndim === 1) return r.view([-1]);
  return r.view(r.shape.slice());
}

/** torch.linalg.vecdot(x, y, *, dim=-1): (x·y).sum(dim) for real inputs. */
export function vecdot(x: Tensor, y: Tensor, opts: { dim?: number } | number = {}): Tensor {
  const dim = typeof opts === "number" ? opts : opts.dim ?? -1;
  if (x.dtype !== y.dtype) throw new Error(`linalg.vecdot: Expected x and y to have the same dtype, but found x of type ${scalarTypeName(x.dtype)} and y of type ${scalarTypeName(y.dtype)} instead`);
  return x.mul(y).sum(dim);
}

installMethods({
  det: (self: Tensor) => det(self),
  logdet: (self: Tensor) => logdet(self),
  slogdet: (self: Tensor) => slogdet(self),
  inverse: (self: Tensor) => inv(self),
  cholesky: (self: Tensor, upper?: boolean) => cholesky(self, upper ?? false),
  qr: (self: Tensor, some?: boolean) => torch_qr(self, some ?? true),
  svd: (self: Tensor, some?: boolean, compute_uv?: boolean) => torch_svd(self, some ?? true, compute_uv ?? true),
  pinverse: (self: Tensor, rcond?: number) => pinverse(self, rcond ?? 1e-15),
  matrix_power: (self: Tensor, n: number) => matrix_power(self, n),
  matrix_exp: (self: Tensor) => matrix_exp(self),
});

declare module "../core/tensor.js" {
  interface Tensor {
    det(): Tensor;
    logdet(): Tensor;
    slogdet(): Tensor[] & { sign: Tensor; logabsdet: Tensor };
    inverse(): Tensor;
    cholesky(upper?: boolean): Tensor;
    qr(some?: boolean): Tensor[] & { Q: Tensor; R: Tensor };
    svd(some?: boolean, compute_uv?: boolean): Tensor[] & { U: Tensor; S: Tensor; V: Tensor };
    pinverse(rcond?: number): Tensor;
    matrix_power(n: number): Tensor;
    matrix_exp(): Tensor;
  }
}

// ---- triangular solves -----------------------------------------------------------------------------

/** Solves op(T)·X = B in place for the n×n triangular T at t[toff..] (upper or lower, unit diagonal
 *  or not; only that triangle is read) and the n×r right-hand sides at b[boff..]. */
function trsm(t: ArrayLike<number>, toff: number, n: number, upper: boolean, unit: boolean, b: Float64Array, boff: number, r: number): void {
  const at = (i: number, j: number): number => t[toff + i * n + j]!;
  const order = upper ? [...Array(n).keys()].reverse() : [...Array(n).keys()];
  for (const i of order) {
    const ks = upper ? [i + 1, n] : [0, i];
    for (let k = ks[0]!; k < ks[1]!; k++) {
      const u = at(i, k);
      if (u !== 0) for (let j = 0; j < r; j++) b[boff + i * r + j]! -= u * b[boff + k * r + j]!;
    }
    if (!unit) { const d = at(i, i); for (let j = 0; j < r; j++) b[boff + i * r + j]! /= d; }
  }
}

/** Batched triangular solve with broadcast batch dims: X with A·X = B (left) or X·A = B (right). */
function triSolveValues(A: Tensor, B: Tensor, upper: boolean, left: boolean, unit: boolean): Tensor {
  const n = A.shape[A.ndim - 1]!;
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
  // right: X A = B ⇔ Aᵀ Xᵀ = Bᵀ, and Aᵀ has the other triangle
  const Al = left ? A : A.mT, Bl = left ? B : B.mT, up = left ? upper : !upper;
  const r = Bl.shape[Bl.ndim - 1]!;
  const Ae = Al.expand([...batch, n, n]), Be = Bl.expand([...batch, n, r]);
  const X = K.triangularSolve(Ae.detach(), Be.detach(), up, unit) ?? (() => {
    const a = mats(Ae).v, x = mats(Be).v;
    const Bn = batch.reduce((p, q) => p * q, 1);
    for (let b = 0; b < Bn; b++) trsm(a, b * n * n, n, up, unit, x, b * n * r, r);
    return mk(x, [...batch, n, r], A.dtype);
  })();
  // (LAPACK's layout either way: the transpose of Xᵀ's row-major result is it)
  return columnMajor(left ? X : X.mT);
}

export interface SolveTriangularOpts { upper: boolean; left?: boolean; unitriangular?: boolean }

/** torch.linalg.solve_triangular(A, B, *, upper, left=True, unitriangular=False). Backward
 *  (linalg_solve_triangular_backward): gB = solve_triangular(Aᵀ, g, !upper), gA = -gB·Xᵀ (left) or
 *  -Xᵀ·gB (right), restricted to A's triangle (strictly, when unitriangular). */
export function solve_triangular(A: Tensor, B: Tensor, opts: SolveTriangularOpts): Tensor {
  if (!opts || typeof opts.upper !== "boolean") throw new Error("linalg_solve_triangular() missing 1 required keyword-only argument: 'upper'");
  const upper = opts.upper, left = opts.left ?? true, unit = opts.unitriangular ?? false;
  checkMatrix(A, "linalg.solve_triangular");
  checkMatrix(B, "linalg.solve_triangular", "B");
  checkFloat(A, "linalg.solve_triangular");
  checkSquare(A, "linalg.solve_triangular");
  if (A.dtype !== B.dtype) throw new Error(`linalg.solve_triangular: Expected A and B to have the same dtype, but found A of type ${scalarTypeName(A.dtype)} and B of type ${scalarTypeName(B.dtype)} instead`);
  const n = A.shape[A.ndim - 1]!, bm = B.shape[B.ndim - 2]!, bn = B.shape[B.ndim - 1]!;
  if ((left ? bm : bn) !== n)
    throw new Error(`linalg.solve_triangular: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${bm}x${bn})`);
  const X = triSolveValues(A, B, upper, left, unit);
  return record("LinalgSolveTriangularBackward0", [A, B], X, ([g], [As, Xs]) => {
    const gB = solve_triangular(As!.mT, g!, { upper: !upper, left, unitriangular: unit });
    let gA: Tensor | null = null;
    if (A.requires_grad) {
      gA = (left ? gB.matmul(Xs!.mT) : Xs!.mT.matmul(gB)).neg();
      gA = upper ? gA.triu(unit ? 1 : 0) : gA.tril(unit ? -1 : 0);
    }
    return [gA, B.requires_grad ? gB : null];
  }, [A, X]);
}

/** torch.triangular_solve(b, A, upper=True, transpose=False, unitriangular=False) ->
 *  (solution, cloned_coefficient), deprecated in PyTorch for linalg.solve_triangular. */
export function triangular_solve(b: Tensor, A: Tensor, upper: boolean | { upper?: boolean; transpose?: boolean; unitriangular?: boolean } = true,
  transpose = false, unitriangular = false): Tensor[] & { solution: Tensor; cloned_coefficient: Tensor } {
  let up = true, tr = transpose, unit = unitriangular;
  if (typeof upper === "boolean") up = upper;
  else { up = upper.upper ?? true; tr = upper.transpose ?? false; unit = upper.unitriangular ?? false; }
  if (b.ndim < 2) throw new Error(`torch.triangular_solve: The input tensor B must have at least 2 dimensions.`);
  if (A.ndim < 2) throw new Error(`torch.triangular_solve: The input tensor A must have at least 2 dimensions.`);
  checkFloat(A, "triangular_solve");
  checkSquare(A, "triangular_solve");
  const n = A.shape[A.ndim - 1]!;
  if (b.shape[b.ndim - 2] !== n)
    throw new Error(`Incompatible matrix sizes for triangular_solve: each A matrix is ${n} by ${n} but each b matrix is ${b.shape[b.ndim - 2]} by ${b.shape[b.ndim - 1]}`);
  const batch = broadcastShapes(A.shape.slice(0, -2), b.shape.slice(0, -2));
  const X = triSolveValues(tr ? A.mT : A, b, tr ? !up : up, true, unit);
  const M = columnMajor(A.detach().expand([...batch, n, n]).contiguous()); // (a copy, A's layout or not)
  const outs = record("TriangularSolveBackward0", [b, A], [X, M], ([gX, gM], [As, Xs]) => {
    let gb: Tensor | null = null, gA: Tensor | null = null;
    if (gX) {
      gb = triangular_solve(gX, As!, up, !tr, unit)[0]!;
      if (A.requires_grad) {
        gA = (tr ? Xs!.matmul(gb.mT) : gb.matmul(Xs!.mT)).neg();
        gA = up ? gA.triu(unit ? 1 : 0) : gA.tril(unit ? -1 : 0);
      }
    }
    if (gM && A.requires_grad) gA = gA ? gA.add(gM) : gM;
    return [b.requires_grad ? gb : null, gA];
  }, [A, X]);
  return named(outs, ["solution", "cloned_coefficient"] as const);
}

// ---- cholesky_solve, cholesky_inverse -----------------------------------------------------------------

/** torch.cholesky_solve(B, L, upper=False): X = (L·Lᵀ)⁻¹·B (or (UᵀU)⁻¹·B). Backward
 *  (cholesky_solve_backward): gB = cholesky_solve(g, L), gL = -(C + Cᵀ)·L (or -U·(C + Cᵀ)), C = gB·Xᵀ. */
export function cholesky_solve(B: Tensor, L: Tensor, upper: boolean | { upper?: boolean } = false): Tensor {
  const up = typeof upper === "boolean" ? upper : upper.upper ?? false;
  if (B.ndim < 2) throw new Error("b should have at least 2 dimensions, but has 1 dimensions instead");
  if (L.ndim < 2) throw new Error("u should have at least 2 dimensions, but has 1 dimensions instead");
  checkFloat(L, "cholesky_solve");
  checkSquare(L, "cholesky_solve", "A");
  if (B.dtype !== L.dtype) throw new Error(`Expected b and A to have the same dtype, but found b of type ${scalarTypeName(B.dtype)} and A of type ${scalarTypeName(L.dtype)} instead.`);
  const n = L.shape[L.ndim - 1]!;
  if (B.shape[B.ndim - 2] !== n)
    throw new Error(`Incompatible matrix sizes for cholesky_solve: each A matrix is ${n} by ${n} but each b matrix is ${B.shape[B.ndim - 2]} by ${B.shape[B.ndim - 1]}`);
  const Y = up ? triSolveValues(L.mT, B, false, true, false) : triSolveValues(L, B, false, true, false);
  const X = up ? triSolveValues(L, Y, true, true, false) : triSolveValues(L.mT, Y, true, true, false);
  return record("CholeskySolveBackward0", [B, L], X, ([g], [Ls, Xs]) => {
    const gB = cholesky_solve(g!, Ls!, up);
    let gL: Tensor | null = null;
    if (L.requires_grad) {
      let C = gB.matmul(Xs!.mT);
      C = C.add(C.mT);
      gL = (up ? Ls!.matmul(C) : C.matmul(Ls!)).neg();
    }
    return [B.requires_grad ? gB : null, gL];
  }, [L, X]);
}

/** torch.cholesky_inverse(L, upper=False): (L·Lᵀ)⁻¹. Backward (cholesky_inverse_backward):
 *  C = inv·(g + gᵀ)·inv, gL = -C·L (or -U·C). */
export function cholesky_inverse(L: Tensor, upper: boolean | { upper?: boolean } = false): Tensor {
  const up = typeof upper === "boolean" ? upper : upper.upper ?? false;
  checkSquare(L, "cholesky_inverse");
  checkFloatKernel(L, "cholesky_inverse_out_cpu");
  // (potri's trtri: a zero on the factor's diagonal, 1-based, is its info)
  checkErrors(zeroDiagonalInfo(L), "cholesky_inverse", L.ndim === 2);
  const n = L.shape[L.ndim - 1]!;
  const I = eye(n, { dtype: L.dtype, device: L.device }).expand([...L.shape.slice(0, -2), n, n]);
  const y = no_grad(() => cholesky_solve(I, L.detach(), up));
  return record("CholeskyInverseBackward0", [L], y, ([g], [Ls, ys]) => {
    const C = ys!.matmul(g!.add(g!.mT)).matmul(ys!);
    return [(up ? Ls!.matmul(C) : C.matmul(Ls!)).neg()];
  }, [L, y]);
}

// ---- LU: lu_factor, lu_factor_ex, lu, torch.lu, lu_unpack ---------------------------------------------

/** getrf of A [..., m, n]: the packed factors, the 1-based int32 pivots, info, and the permutation
 *  matrices P with A = P·L·U. */
interface LUParts { LU: Tensor; pivots: Tensor; info: Tensor; P: Tensor; m: number; n: number; k: number }
function luParts(A: Tensor): LUParts {
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!, k = Math.min(m, n);
  const d = deviceLU(A);
  if (d) return { ...d, LU: columnMajor(d.LU), P: K.luPermutation(d.pivots, m)!, m, n, k };
  const { batch, B, v } = mats(A);
  const piv = new Int32Array(B * k), info = new Int32Array(B);
  for (let b = 0; b < B; b++) info[b] = luInPlace(v, b * m * n, n, piv, b * k, m);
  return {
    LU: columnMajor(mk(v, [...batch, m, n], A.dtype)), pivots: mk(Array.from(piv, (p) => p + 1), [...batch, k], int32, A),
    info: mk(info, batch, int32, A), P: permMatrices(piv, B, m, k, batch, A.dtype, A), m, n, k,
  };
}

/** The permutation matrices P (m×m) of getrf's 0-based row swaps, with A = P·L·U. */
function permMatrices(piv: Int32Array, B: number, m: number, k: number, batch: number[], dtype: DType, like: Tensor): Tensor {
  const P = new Float64Array(B * m * m);
  for (let b = 0; b < B; b++) {
    const perm = [...Array(m).keys()];
    for (let i = 0; i < k; i++) { const p = piv[b * k + i]!; const t = perm[i]!; perm[i] = perm[p]!; perm[p] = t; }
    for (let i = 0; i < m; i++) P[b * m * m + perm[i]! * m + i] = 1;
  }
  return mk(P, [...batch, m, m], dtype, like);
}

/** PyTorch's linalg_lu_backward: the gradient of A = P·L·U for gL (m×k, strictly lower part used)
 *  and gU (k×n, upper part used), for square, wide and tall A. */
function luBackward(gL: Tensor | null, gU: Tensor | null, P: Tensor, L: Tensor, U: Tensor): Tensor {
  const m = L.shape[L.ndim - 2]!, n = U.shape[U.ndim - 1]!, k = Math.min(m, n);
  const st = (T: Tensor, X: Tensor, o: SolveTriangularOpts) => solve_triangular(T, X, o);
  let gA: Tensor;
  if (m === n) {
    let R: Tensor | null = gL ? L.mT.matmul(gL).tril(-1) : null;
    if (gU) { const t = gU.matmul(U.mT).triu(); R = R ? R.add(t) : t; }
    gA = st(U.mT, R!, { upper: false, left: false });
    gA = st(L.mT, gA, { upper: true, left: true, unitriangular: true });
  } else if (m < n) {
    const U1 = U.narrow(-1, 0, k);
    let R: Tensor | null = gL ? L.mT.matmul(gL) : null;
    if (gU) { const t = gU.triu().matmul(U.mT); R = R ? R.sub(t) : t.neg(); }
    gA = st(U1.mT, R!.tril(-1), { upper: false, left: false });
    if (gU) gA = cat([gA.add(gU.narrow(-1, 0, k).triu()), gU.narrow(-1, k, n - k)], -1);
    gA = st(L.mT, gA, { upper: true, left: true, unitriangular: true });
    if (!gU) gA = cat([gA, U.narrow(-1, k, n - k).mul(0)], -1);
  } else {
    const L1 = L.narrow(-2, 0, k);
    let R: Tensor | null = gU ? gU.matmul(U.mT) : null;
    if (gL) { const t = L.mT.matmul(gL.tril(-1)); R = R ? R.sub(t) : t.neg(); }
    gA = st(L1.mT, R!.triu(), { upper: true, left: true, unitriangular: true });
    if (gL) gA = cat([gA.add(gL.narrow(-2, 0, k).tril(-1)), gL.narrow(-2, k, m - k)], -2);
    gA = st(U.mT, gA, { upper: false, left: false });
    if (!gL) gA = cat([gA, L.narrow(-2, k, m - k).mul(0)], -2);
  }
  return P.matmul(gA);
}

function unpackLU(LU: Tensor, m: number, n: number): { L: Tensor; U: Tensor } {
  const k = Math.min(m, n);
  const L = LU.narrow(-1, 0, k).tril(-1).add(eye(m, k, { dtype: LU.dtype, device: LU.device }));
  const U = LU.narrow(-2, 0, k).triu();
  return { L, U };
}

/** getrf's checks: a matrix (op naming the function), of a dtype its kernel has. */
function checkLU(A: Tensor, op: string): void {
  if (A.ndim < 2) throw new Error(`${op}: Expected tensor with 2 or more dimensions. Got size: [${A.shape.join(", ")}] instead`);
  checkFloatKernel(A, "lu_cpu");
}

function luFactorCore(A: Tensor, op: string, raise: boolean, pivot: boolean): Tensor[] {
  checkLU(A, "torch.lu_factor");
  if (!pivot) throw new Error(`linalg.lu_factor: LU without pivoting is not implemented on the CPU`);
  const { LU, pivots, info, P, m, n, k } = luParts(A);
  if (raise) checkErrors(info, op, A.ndim === 2);
  const LUr = record("LinalgLuFactorExBackward0", [A], LU, ([g], [LUs]) => {
    const { L, U } = unpackLU(LUs!, m, n);
    return [luBackward(g!.narrow(-1, 0, k).tril(-1), g!.narrow(-2, 0, k).triu(), P, L, U)];
  }, [LU]);
  return [LUr, pivots, info];
}

/** torch.linalg.lu_factor(A, *, pivot=True) -> (LU, pivots): getrf's packed LU and 1-based int32 pivots. */
export function lu_factor(A: Tensor, opts: { pivot?: boolean } = {}): Tensor[] & { LU: Tensor; pivots: Tensor } {
  const [LU, piv] = luFactorCore(A, "torch.linalg.lu_factor", true, opts.pivot ?? true);
  return named([LU!, piv!], ["LU", "pivots"] as const);
}
/** torch.linalg.lu_factor_ex(A, *, pivot=True, check_errors=False) -> (LU, pivots, info). */
export function lu_factor_ex(A: Tensor, opts: { pivot?: boolean; check_errors?: boolean } = {}): Tensor[] & { LU: Tensor; pivots: Tensor; info: Tensor } {
  return named(luFactorCore(A, "torch.linalg.lu_factor_ex", opts.check_errors ?? false, opts.pivot ?? true), ["LU", "pivots", "info"] as const);
}
/** torch.lu(A, pivot=True, get_infos=False) -> (LU, pivots[, infos]). */
export function lu(A: Tensor, pivot: boolean | { pivot?: boolean; get_infos?: boolean } = true, get_infos = false): Tensor[] {
  let pv = true, gi = get_infos;
  if (typeof pivot === "boolean") pv = pivot; else { pv = pivot.pivot ?? true; gi = pivot.get_infos ?? false; }
  const r = luFactorCore(A, "torch.linalg.lu_factor", !gi, pv);
  return gi ? r : r.slice(0, 2);
}

/** torch.linalg.lu(A, *, pivot=True) -> (P, L, U), one LinalgLuBackward0 node (linalg_lu_backward). */
export function linalg_lu(A: Tensor, opts: { pivot?: boolean } = {}): Tensor[] & { P: Tensor; L: Tensor; U: Tensor } {
  checkLU(A, "linalg.lu");
  if (!(opts.pivot ?? true)) throw new Error("linalg.lu: LU without pivoting is not implemented on the CPU");
  const { LU, P, m, n } = luParts(A);
  const { L, U } = no_grad(() => unpackLU(LU, m, n));
  const Lc = L.contiguous(), Uc = U.contiguous();
  // P is not differentiable (PyTorch's output_differentiability: no grad_fn)
  const [Lr, Ur] = record("LinalgLuBackward0", [A], [Lc, Uc], ([gL, gU], [Ls, Us]) =>
    [gL || gU ? luBackward(gL ?? null, gU ?? null, P, Ls!, Us!) : null], [Lc, Uc]);
  return named([P, Lr!, Ur!], ["P", "L", "U"] as const);
}

// ---- lstsq ---------------------------------------------------------------------------------------------

/** torch.linalg.lstsq(A, B, rcond=None, *, driver=None) -> (solution, residuals, rank, singular_values).
 *  B is a batch of vectors when it has one dim fewer than A (then its batch is B.shape[:-1]), and
 *  the batches broadcast; rank and singular_values have A's own batch shape, as PyTorch computes
 *  them once per matrix of A. Deviation: every driver is computed by the SVD (the minimum-norm
 *  solution, singular values below rcond·σ₁ dropped), which is what gelsd/gelss compute and equals
 *  gelsy's/gels's solution for full-rank A; the outputs each driver fills in are PyTorch's (gelsy,
 *  the CPU default: rank only; gelsd/gelss: rank, singular values, residuals when m > n and every
 *  matrix has rank n; gels: residuals when m > n). gels raises, as LAPACK's, for a triangular
 *  factor with a zero on its diagonal (an A of full rank in exact arithmetic is solved, where
 *  LAPACK's rounding may leave a huge solution for a nearly rank-deficient one); for an A of zeros
 *  its solution and residuals are zeros, as dgels leaves them.
 *  Backward (2.x linalg_lstsq_backward, through pinv): gA = pinv_backward(gX·Bᵀ), gB = pinv(A)ᵀ·gX. */
export function lstsq(A: Tensor, B: Tensor, rcond?: number | null | { rcond?: number | null; driver?: string | null }, opts: { driver?: string | null } = {}): Tensor[] & { solution: Tensor; residuals: Tensor; rank: Tensor; singular_values: Tensor } {
  let rc: number | null = null, driver: string | null = opts.driver ?? null;
  if (typeof rcond === "number") rc = rcond;
  else if (rcond && typeof rcond === "object") { rc = rcond.rcond ?? null; driver = rcond.driver ?? driver; }
  if (A.ndim < 2) throw new Error("torch.linalg.lstsq: input must have at least 2 dimensions.");
  if (B.ndim < 1) throw new Error("torch.linalg.lstsq: other must have at least 1 dimension.");
  if (A.dtype !== B.dtype) throw new Error(`torch.linalg.lstsq: Expected input and other to have the same dtype, but got input's dtype ${scalarTypeName(A.dtype)} and other's dtype ${scalarTypeName(B.dtype)}`);
  const dimDiff = A.ndim - B.ndim;
  if (dimDiff < 0 || dimDiff > 1)
    throw new Error("torch.linalg.lstsq: input.dim() must be greater or equal to other.dim() and (input.dim() - other.dim()) <= 1");
  const drv = driver ?? "gelsy";
  if (!["gels", "gelsy", "gelsd", "gelss"].includes(drv))
    throw new Error(`torch.linalg.lstsq: parameter \`driver\` should be one of (gels, gelsy, gelsd, gelss)`);
  const m = A.shape[A.ndim - 2]!, n = A.shape[A.ndim - 1]!;
  // (linalg_solve_is_vector_rhs; B of one dim fewer that is not A's batch of vectors is one matrix,
  // yet its batch is, as ATen's broadcast_batch_size takes it, its first A.ndim - 2 dims)
  const vector = B.ndim === 1 || (dimDiff === 1 && B.shape.every((s, i) => s === A.shape[i]));
  const Bm = vector ? B.unsqueeze(-1) : B;
  if (Bm.shape[Bm.ndim - 2] !== m)
    throw new Error(`torch.linalg.lstsq: input.size(-2) should match other.size(${vector ? -1 : -2})`);
  const batch = broadcastShapes(A.shape.slice(0, -2), Bm.shape.slice(0, A.ndim - 2));
  const Bx = Bm.expand([...batch, m, Bm.shape[Bm.ndim - 1]!]);
  if (!A.dtype.is_floating_point) throw new Error("This function doesn't handle types other than float and double");
  checkErrors(lstsqInfo(A, drv), "torch.linalg.lstsq", A.shape.slice(0, -2).reduce((p, q) => p * q, 1) <= 1);
  const r = rc ?? eps(A.dtype) * Math.max(m, n);
  // (the SVD of A's own batch: rank and singular values have its batch shape, as in PyTorch)
  const { X, S, rank } = no_grad(() => {
    const [U, Sv, Vh] = svd(A.detach(), false);
    const keep = Sv!.gt(Sv!.narrow(-1, 0, Math.min(1, Sv!.shape[Sv!.ndim - 1]!)).mul(r));
    const Sinv = where(keep, Sv!.reciprocal(), 0);
    const Xs = matmul(Vh!.mT.mul(Sinv.unsqueeze(-2)), matmul(U!.mT, Bx.detach()));
    // LAPACK's layout (Note [LAPACK's layout]) of the max(m, n) rows gels* overwrite B with, the
    // solution the first n of them (the rest, residual information there, zeros here)
    return { X: columnMajor(Xs, Math.max(m, n)), S: Sv!, rank: keep.sum(-1) };
  });
  // (the residuals: where m > n, gels's always, gelsd's and gelss's where every matrix has rank n,
  // as PyTorch sums the squares of the rows past n LAPACK leaves in B, which dgels zeroes for an A
  // of zeros)
  const fullRank = () => Array.prototype.every.call(K.values(rank), (v: number | bigint) => Number(v) === n);
  const resid = (m > n && (drv === "gels" || (drv !== "gelsy" && fullRank())))
    ? no_grad(() => {
      const rs = matmul(A.detach(), X).sub(Bx.detach()).pow(2).sum(-2);
      return (drv === "gels" ? where(A.detach().eq(0).flatten(-2).all(-1).unsqueeze(-1), 0, rs) : rs).contiguous();
    })
    : Tensor.empty([0], A.dtype, A.device);
  const rankOut = drv === "gels" ? Tensor.empty([0], int64, A.device) : rank;
  const svOut = drv === "gelsd" || drv === "gelss" ? S.contiguous() : Tensor.empty([0], A.dtype, A.device);
  const sol = vector ? X.squeeze(-1) : X;
  // linalg_lstsq_backward: the solution is pinv(A)·B; the residuals ‖AX − B‖² (columnwise), at the
  // minimum, vary as 2(AX − B)Xᵀ with A and −2(AX − B) with B (2.x differentiates both outputs)
  // (each summed back over the batch dims it was broadcast along)
  const [solution, residuals] = record("LinalgLstsqBackward0", [A, B], [sol, resid], ([g, gL], [As, Bs, Xs], needs) => {
    const col = (t: Tensor) => (vector ? t.unsqueeze(-1) : t);
    const gX = col(g!), Bc = col(Bs!).expand([...batch, m, Bx.shape[Bx.ndim - 1]!]);
    const pinvA = pinv(As!);
    let gA = needs[0] ? pinvBackward(gX.matmul(Bc.mT), pinvA, As!) : null;
    let gB = needs[1] ? pinvA.mT.matmul(gX) : null;
    if (gL!.numel() > 0) {
      const Xc = col(Xs!), gr = gL!.unsqueeze(-2).mul(As!.matmul(Xc).sub(Bc));
      if (gA) gA = columnMajor(gA.add(gr.matmul(Xc.mT).mul(2)));
      if (gB) gB = gB.add(gr.mul(-2));
    }
    if (gA) gA = sumTo(gA, A.shape);
    if (gB) gB = sumTo(gB, Bm.shape);
    return [gA, gB && vector ? gB.squeeze(-1) : gB];
  }, [A, B, sol]);
  return named([solution!, residuals!, rankOut, svOut], ["solution", "residuals", "rank", "singular_values"] as const);
}

/** lstsq's LAPACK info per matrix of A: -(the position of A among the driver's arguments) where A
 *  holds a NaN (MKL refuses it, which PyTorch reports as an internal assert); for gels, the
 *  1-based position of the first zero on the diagonal of A's triangular factor (R of A = QR where
 *  m ≥ n, L of A = LQ otherwise), as dtrtrs reports it, except for an A of zeros, which dgels solves
 *  by X = 0. */
function lstsqInfo(A: Tensor, driver: string): Int32Array {
  const { B, m, n, v } = mats(A);
  const info = new Int32Array(B), k = Math.min(m, n);
  for (let b = 0; b < B; b++) {
    const a = v.subarray(b * m * n, (b + 1) * m * n);
    if (a.some(Number.isNaN)) { info[b] = driver === "gels" ? -5 : -4; continue; }
    if (driver !== "gels" || a.every((x) => x === 0)) continue;
    const tall = m >= n ? a : Float64Array.from({ length: m * n }, (_, i) => a[(i % m) * n + Math.floor(i / m)]!);
    const rows = Math.max(m, n), cols = k, { R } = householderQr(tall, rows, cols, 0);
    for (let i = 0; i < k; i++) if (R[i * cols + i] === 0) { info[b] = i + 1; break; }
  }
  return info;
}

// ---- tensorinv, tensorsolve ------------------------------------------------------------------------------

/** torch.linalg.tensorinv(A, ind=2): inv of A reshaped to (prod(shape[:ind]), prod(shape[ind:])). */
export function tensorinv(A: Tensor, ind: number | { ind?: number } = 2): Tensor {
  const i = typeof ind === "number" ? ind : ind.ind ?? 2;
  if (i <= 0) throw new Error(`Expected a strictly positive integer for 'ind', but got ${i}`);
  const outer = A.shape.slice(0, i), inner = A.shape.slice(i);
  const p = outer.reduce((a, b) => a * b, 1), q = inner.reduce((a, b) => a * b, 1);
  if (p !== q) throw new Error(`Expected self to satisfy the requirement prod(self.shape[ind:]) == prod(self.shape[:ind]), but got ${q} != ${p}`);
  return invCore(A.reshape([p, q]), "inv", true).out.reshape([...inner, ...outer]);
}

/** torch.linalg.tensorsolve(A, B, dims=None): solve of A reshaped to (B.numel(), rest). */
export function tensorsolve(A: Tensor, B: Tensor, dims: number[] | null | { dims?: number[] | null } = null): Tensor {
  const ds = Array.isArray(dims) ? dims : dims && !Array.isArray(dims) ? dims.dims ?? null : null;
  let a = A;
  if (ds && ds.length) {
    const nd = ds.map((d) => normDim(d, A.ndim));
    const rest = [...Array(A.ndim).keys()].filter((d) => !nd.includes(d));
    a = A.permute([...rest, ...nd]);
  }
  const resultShape = a.shape.slice(B.ndim);
  const q = resultShape.reduce((x, y) => x * y, 1), p = B.numel();
  if (p !== q) throw new Error(`Expected self to satisfy the requirement prod(self.shape[other.ndim:]) == prod(self.shape[:other.ndim]), but got ${q} != ${p}`);
  return solve(a.reshape([p, q]), B.reshape([p])).reshape(resultShape);
}

installMethods({
  triangular_solve: (self: Tensor, A: Tensor, upper?: boolean, transpose?: boolean, unitriangular?: boolean) =>
    triangular_solve(self, A, upper ?? true, transpose ?? false, unitriangular ?? false),
  cholesky_solve: (self: Tensor, L: Tensor, upper?: boolean) => cholesky_solve(self, L, upper ?? false),
  cholesky_inverse: (self: Tensor, upper?: boolean) => cholesky_inverse(self, upper ?? false),
  lu: (self: Tensor, pivot?: boolean, get_infos?: boolean) => lu(self, pivot ?? true, get_infos ?? false),
});

declare module "../core/tensor.js" {
  interface Tensor {
    triangular_solve(A: Tensor, upper?: boolean, transpose?: boolean, unitriangular?: boolean): Tensor[] & { solution: Tensor; cloned_coefficient: Tensor };
    cholesky_solve(L: Tensor, upper?: boolean): Tensor;
    cholesky_inverse(upper?: boolean): Tensor;
    lu(pivot?: boolean, get_infos?: boolean): Tensor[];
  }
}

// ---- lu_unpack, lu_solve ---------------------------------------------------------------------------------

/** LAPACK's 1-based pivots as 0-based row swaps. */
function pivotsOf(pivots: Tensor): Int32Array {
  const v = K.values(pivots.contiguous());
  return Int32Array.from({ length: v.length }, (_, i) => Number(v[i]) - 1);
}

/** torch.lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True) -> (P, L, U). */
export function lu_unpack(LU: Tensor, pivots: Tensor, unpack_data: boolean | { unpack_data?: boolean; unpack_pivots?: boolean } = true, unpack_pivots = true): Tensor[] & { P: Tensor; L: Tensor; U: Tensor } {
  let ud = true, up = unpack_pivots;
  if (typeof unpack_data === "boolean") ud = unpack_data; else { ud = unpack_data.unpack_data ?? true; up = unpack_data.unpack_pivots ?? true; }
  checkMatrix(LU, "torch.lu_unpack");
  if (pivots.dtype !== int32) throw new Error(`torch.lu_unpack: LU_pivots is expected to be a contiguous tensor of torch.int32 dtype.\nNote: this function is intended to be used with the output produced by torch.linalg.lu_factor`);
  const m = LU.shape[LU.ndim - 2]!, n = LU.shape[LU.ndim - 1]!, k = Math.min(m, n);
  const batch = LU.shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const P = up ? permMatrices(pivotsOf(pivots.expand([...batch, k])), B, m, k, batch, LU.dtype, LU) : Tensor.empty([0], LU.dtype, LU.device);
  if (!ud) return named([P, Tensor.empty([0], LU.dtype, LU.device), Tensor.empty([0], LU.dtype, LU.device)], ["P", "L", "U"] as const);
  const { L, U } = no_grad(() => unpackLU(LU.detach(), m, n));
  const [Lr, Ur] = record("LuUnpackBackward0", [LU], [L.contiguous(), U.contiguous()], ([gL, gU]) => {
    let g: Tensor | null = null;
    if (gL) g = m < n ? cat([gL.tril(-1), gL.narrow(-1, 0, 1).mul(0).expand([...gL.shape.slice(0, -1), n - m])], -1) : gL.tril(-1);
    if (gU) {
      const u = m > n ? cat([gU.triu(), gU.narrow(-2, 0, 1).mul(0).expand([...gU.shape.slice(0, -2), m - n, n])], -2) : gU.triu();
      g = g ? g.add(u) : u;
    }
    return [g];
  });
  return named([P, Lr!, Ur!], ["P", "L", "U"] as const);
}

/** X from the factorisation A = P·L·U: A·X = B, or Aᵀ·X = B (adjoint), or X·A = B / X·Aᵀ = B (right). */
function luSolveValues(LU: Tensor, pivots: Tensor, Bm: Tensor, left: boolean, adjoint: boolean): Tensor {
  const [P, L, U] = lu_unpack(LU, pivots);
  const st = (T: Tensor, X: Tensor, o: SolveTriangularOpts) => solve_triangular(T, X, o);
  const leftSolve = (Bx: Tensor, adj: boolean): Tensor => adj
    ? P!.matmul(st(L!.mT, st(U!.mT, Bx, { upper: false }), { upper: true, unitriangular: true }))
    : st(U!, st(L!, P!.mT.matmul(Bx), { upper: false, unitriangular: true }), { upper: true });
  return left ? leftSolve(Bm, adjoint) : leftSolve(Bm.mT, !adjoint).mT;
}

/** torch.linalg.lu_solve(LU, pivots, B, *, left=True, adjoint=False). Backward: gB = lu_solve(LU,
 *  pivots, g, left, !adjoint), and gLU as PyTorch's linalg_lu_solve_LU. */
export function lu_solve(LU: Tensor, pivots: Tensor, B: Tensor, opts: { left?: boolean; adjoint?: boolean } = {}): Tensor {
  const left = opts.left ?? true, adjoint = opts.adjoint ?? false;
  checkSquare(LU, "linalg.lu_solve", "LU");
  checkFloat(LU, "torch.linalg.lu_solve");
  if (pivots.dtype !== int32) throw new Error("linalg.lu_solve: pivots should be a Tensor of scalar type torch.int32");
  if (pivots.shape[pivots.ndim - 1] !== LU.shape[LU.ndim - 1]) throw new Error("linalg.lu_solve: Number of pivots per batch should be same as the dimension of the matrix");
  checkMatrix(B, "linalg.lu_solve", "B");
  const n = LU.shape[LU.ndim - 1]!;
  if ((left ? B.shape[B.ndim - 2] : B.shape[B.ndim - 1]) !== n) {
    const bs = B.shape;
    throw new Error(`linalg.lu_solve: Incompatible shapes of A and B for the equation ${left ? "AX = B" : "XA = B"} (${n}x${n} and ${bs[bs.length - 2]}x${bs[bs.length - 1]})`);
  }
  const X0 = no_grad(() => luSolveValues(LU.detach(), pivots, B.detach(), left, adjoint));
  const X = left ? columnMajor(X0) : X0.contiguous(); // (as PyTorch: LAPACK's layout for AX = B only)
  return record("LinalgLuSolveBackward0", [LU, B], X, ([g], [LUs, Xs]) => {
    const gB = B.requires_grad ? lu_solve(LUs!, pivots, g!, { left, adjoint: !adjoint }) : null;
    let gLU: Tensor | null = null;
    if (LU.requires_grad) {
      const [P, L, U] = lu_unpack(LUs!, pivots);
      const st = (T: Tensor, Y: Tensor, o: SolveTriangularOpts) => solve_triangular(T, Y, o);
      if (left !== adjoint) {
        const gR = st(U!.mT, (left ? g! : g!.mT).neg().matmul(left ? Xs!.mT : Xs!), { upper: false });
        const gL = st(L!.mT, gR.matmul(U!.mT), { upper: true, left: true, unitriangular: true }).tril(-1);
        gLU = gL.add(gR.triu());
      } else {
        let gR = P!.mT.matmul(left ? Xs! : Xs!.mT).matmul(left ? g!.mT : g!).matmul(P!).neg();
        gR = st(L!.mT, gR, { upper: true, left: false, unitriangular: true });
        const gU = st(U!.mT, L!.mT.matmul(gR), { upper: false, left: false }).triu();
        gLU = gR.tril(-1).add(gU);
      }
    }
    return [gLU, gB];
  }, [LU, X]);
}

/** torch.lu_solve(b, LU_data, LU_pivots): linalg.lu_solve(LU_data, LU_pivots, b). */
export function torch_lu_solve(b: Tensor, LU: Tensor, pivots: Tensor): Tensor { return lu_solve(LU, pivots, b); }

installMethods({
  lu_solve: (self: Tensor, LU: Tensor, pivots: Tensor) => lu_solve(LU, pivots, self),
});

declare module "../core/tensor.js" {
  interface Tensor {
    lu_solve(LU_data: Tensor, LU_pivots: Tensor): Tensor;
  }
}
