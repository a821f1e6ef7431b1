// Factorizations and triangular solves on the WebGPU device. Triangular solves
// (linalg.solve_triangular, triangular_solve, and the solves of inv, solve, cholesky_solve and
// lu_solve built on them): a thread per column of the right-hand side, substituting row by row in
// order, as the CPU's trsm does (in float32 here).
//
// Note [Factorization shaders]: LU (getrf's partial pivoting), Cholesky (potrf) and Householder
// QR (geqrf, orgqr) run one workgroup per matrix, stepping over its columns in order: at each step
// one thread does the step's sequential part (the pivot's search, the diagonal's sum, the
// reflection's norm) and the workgroup's threads split the rest among the rows or columns (the
// row swap, the column below the diagonal, the trailing update), with a barrier between the
// parts. They follow the CPU's kernels step for step, in float32 where those compute in float64
// (Note [float64 decompositions]), and their errors (a zero pivot, a matrix not positive-definite)
// land in info on the device, read back only by the ops that raise them.

import type { Tensor } from "../../core/tensor.js";
import { float32, int32 } from "../../core/dtype.js";
import { contiguousCopy } from "./kernels.js";
import { rt, mem, onDevice, deviceEmpty, deviceZeros, groups, header, paramsBinding, perElement } from "./shader.js";

// P(0) batch · r (threads), P(1) n, P(2) r
const TRSM = (upper: boolean, unit: boolean) => `// solve_triangular ${upper ? "upper" : "lower"}${unit ? " unit" : ""}
${header(3)}@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
${paramsBinding(3)}${perElement(`  let n = u32(P(1u)); let r = u32(P(2u));
  let c = e % r; let b = e / r;
  let a0 = b * n * n; let x0 = b * n * r + c;
  for (var t = 0u; t < n; t++) {
    let i = ${upper ? "n - 1u - t" : "t"};
    var s = B[x0 + i * r];
    for (var u = 0u; u < t; u++) {
      let k = ${upper ? "n - 1u - u" : "u"};
      s = s - A[a0 + i * n + k] * x[x0 + k * r];
    }
    x[x0 + i * r] = ${unit ? "s" : "s / A[a0 + i * n + i]"};
  }`)}`;

/** X with A X = B for batches of triangular A [..., n, n] (upper or lower; `unit`: its diagonal
 *  taken as ones) and B [..., n, r] of one batch shape, float32 on the device: X [..., n, r]. */
export function triangularSolve(A: Tensor, B: Tensor, upper: boolean, unit: boolean): Tensor | null {
  if (A.dtype !== float32 || B.dtype !== float32 || !onDevice(A) || !onDevice(B)) return null;
  const a = contiguousCopy(A, float32), b = contiguousCopy(B, float32);
  if (a === null || b === null) return null;
  const n = A._shape[A.ndim - 1]!, r = B._shape[B.ndim - 1]!, threads = (B.numel() / Math.max(n, 1)) | 0;
  const x = deviceEmpty(B._shape, float32);
  if (threads === 0) return x;
  rt().dispatch(rt().kernel(TRSM(upper, unit)), [mem(x).written(), mem(a).read(), mem(b).read()], Int32Array.from([threads, n, r]), groups(threads));
  return x;
}

// ---- LU and Cholesky (Note [Factorization shaders]) -------------------------------------------------

/** Threads per matrix of the factorizations. */
const FWG = 64;
/** The entry point of a kernel with a workgroup per matrix (P(0) of them): b, the matrix, and li,
 *  the thread; workgroup-uniform, so the body may use barriers. */
const perMatrix = (body: string): string => `@compute @workgroup_size(${FWG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let b = wid.x + wid.y * nwg.x;
  if (b >= u32(P(0u))) { return; }
${body}
}`;
/** The barrier between a factorization's parts: the threads' writes to the matrix made visible. */
const SYNC = "storageBarrier(); workgroupBarrier();";

// P(0) matrices, P(1) m, P(2) n; a: the matrices (row-major, factored in place), piv: getrf's
// 1-based pivots (min(m, n) a matrix), info: the first zero pivot's 1-based column (0: none)
const LU = `// lu_factor
${header(3)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> piv: array<i32>;
@group(0) @binding(2) var<storage, read_write> info: array<i32>;
${paramsBinding(3)}var<workgroup> pivRow: u32;
var<workgroup> pivot: f32;
${perMatrix(`  let m = u32(P(1u)); let n = u32(P(2u)); let kn = min(m, n); let o = b * m * n;
  if (li == 0u) { info[b] = 0; }
  for (var k = 0u; k < kn; k++) {
    if (li == 0u) {
      // the first row of the largest magnitude in column k, at or below the diagonal (as the CPU's)
      var p = k; var mx = abs(a[o + k * n + k]);
      for (var i = k + 1u; i < m; i++) { let x = abs(a[o + i * n + k]); if (x > mx || isnan_(mx)) { mx = x; p = i; } }
      piv[b * kn + k] = i32(p) + 1;
      pivRow = p; pivot = a[o + p * n + k];
      if (pivot == 0.0 && info[b] == 0) { info[b] = i32(k) + 1; }
    }
    ${SYNC}
    let p = pivRow; let pv = pivot;
    if (pv != 0.0 && p != k) {
      for (var j = li; j < n; j += ${FWG}u) { let t = a[o + k * n + j]; a[o + k * n + j] = a[o + p * n + j]; a[o + p * n + j] = t; }
    }
    ${SYNC}
    if (pv != 0.0) {
      for (var i = k + 1u + li; i < m; i += ${FWG}u) {
        let l = a[o + i * n + k] / pv;
        a[o + i * n + k] = l;
        for (var j = k + 1u; j < n; j++) { a[o + i * n + j] = a[o + i * n + j] - l * a[o + k * n + j]; }
      }
    }
    ${SYNC}
  }`)}`;

/** getrf of float32 matrices A [..., m, n] on the device: the packed LU factors (row-major), the
 *  1-based int32 pivots [..., min(m, n)] and int32 info [...]; null off the device. */
export function luFactor(A: Tensor): [Tensor, Tensor, Tensor] | null {
  if (A.dtype !== float32 || !onDevice(A)) return null;
  const m = A._shape[A.ndim - 2]!, n = A._shape[A.ndim - 1]!, batch = A._shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const lu = contiguousCopy(A, float32);
  if (lu === null) return null;
  const piv = deviceEmpty([...batch, Math.min(m, n)], int32), info = deviceZeros(batch, int32);
  if (m * n > 0) rt().dispatch(rt().kernel(LU), [mem(lu).written(), mem(piv).written(), mem(info).written()], Int32Array.from([B, m, n]), B);
  return [lu, piv, info];
}

// P(0) matrices · m (threads), P(1) m, P(2) pivots a matrix
const PERMUTATION = `// lu permutation
${header(3)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> piv: array<i32>;
${paramsBinding(2)}${perElement(`  let m = u32(P(1u)); let kn = u32(P(2u));
  let i = e % m; let b = e / m;
  // where row i of the identity ends up after the swaps, traced back from the last
  var r = i;
  for (var t = kn; t > 0u; t--) {
    let q = u32(piv[b * kn + t - 1u] - 1);
    if (r == t - 1u) { r = q; } else if (r == q) { r = t - 1u; }
  }
  for (var j = 0u; j < m; j++) { y[b * m * m + j * m + i] = select(0.0, 1.0, j == r); }`)}`;

/** The permutation matrices P [..., m, m] (float32) of getrf's 1-based pivots [..., k] on the
 *  device, with A = P·L·U. */
export function luPermutation(pivots: Tensor, m: number): Tensor | null {
  const piv = onDevice(pivots) ? contiguousCopy(pivots, int32) : null;
  if (piv === null) return null;
  const batch = pivots._shape.slice(0, -1), k = pivots._shape[pivots.ndim - 1]!, threads = batch.reduce((p, q) => p * q, 1) * m;
  const y = deviceEmpty([...batch, m, m], float32);
  rt().dispatch(rt().kernel(PERMUTATION), [mem(y).written(), mem(piv).read()], Int32Array.from([threads, m, k]), groups(threads));
  return y;
}

// P(0) matrices, P(1) n; a: the matrices (row-major; the lower factor made in place, the strict
// upper part of the rows done zeroed), info: potrf's (the order of the first leading minor that is
// not positive-definite; the rest of the matrix is left as it was, as the CPU's)
const CHOLESKY = `// cholesky
${header(2)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> info: array<i32>;
${paramsBinding(2)}var<workgroup> diag: f32;
var<workgroup> failed: u32;
${perMatrix(`  let n = u32(P(1u)); let o = b * n * n;
  if (li == 0u) { info[b] = 0; failed = 0u; }
  for (var j = 0u; j < n; j++) {
    if (li == 0u && failed == 0u) {
      var d = a[o + j * n + j];
      for (var k = 0u; k < j; k++) { d = d - a[o + j * n + k] * a[o + j * n + k]; }
      if (d > 0.0) { diag = sqrt(d); a[o + j * n + j] = diag; } else { failed = 1u; info[b] = i32(j) + 1; }
    }
    ${SYNC}
    if (failed == 0u) {
      let d = diag;
      for (var i = j + 1u + li; i < n; i += ${FWG}u) {
        var s = a[o + i * n + j];
        for (var k = 0u; k < j; k++) { s = s - a[o + i * n + k] * a[o + j * n + k]; }
        a[o + i * n + j] = s / d;
        a[o + j * n + i] = 0.0;
      }
    }
    ${SYNC}
  }`)}`;

/** potrf (lower) of float32 matrices A [..., n, n] on the device: L (row-major) and int32 info
 *  [...]; null off the device. */
export function choleskyFactor(A: Tensor): [Tensor, Tensor] | null {
  if (A.dtype !== float32 || !onDevice(A)) return null;
  const n = A._shape[A.ndim - 1]!, batch = A._shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const L = contiguousCopy(A, float32);
  if (L === null) return null;
  const info = deviceZeros(batch, int32);
  if (n > 0) rt().dispatch(rt().kernel(CHOLESKY), [mem(L).written(), mem(info).written()], Int32Array.from([B, n]), B);
  return [L, info];
}

// P(0) matrices, P(1) m, P(2) n, P(3) Q's columns (0: no Q); a: the matrices (row-major; R made in
// place, zeros below its diagonal), tau: the reflections' scales (min(m, n) a matrix), q: Q (m × P(3)
// a matrix). The CPU's householderQr step for step: LAPACK's dgeqr2 (dlarfg's β = -sign(α)·‖x‖,
// τ = 0 where the column below the diagonal is zero), then dorg2r's Q, the reflections applied to
// the identity's first columns from the last.
const QR = `// qr
${header(4)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> tau: array<f32>;
@group(0) @binding(2) var<storage, read_write> q: array<f32>;
${paramsBinding(3)}var<workgroup> scale: f32;
${perMatrix(`  let m = u32(P(1u)); let n = u32(P(2u)); let qc = u32(P(3u)); let kn = min(m, n);
  let o = b * m * n; let t0 = b * kn; let q0 = b * m * qc;
  for (var j = 0u; j < kn; j++) {
    if (li == 0u) {
      let alpha = a[o + j * n + j];
      var xn = 0.0;
      for (var i = j + 1u; i < m; i++) { xn = xn + a[o + i * n + j] * a[o + i * n + j]; }
      if (xn == 0.0) { tau[t0 + j] = 0.0; } else {
        let beta = -select(-1.0, 1.0, alpha >= 0.0) * sqrt(alpha * alpha + xn);
        tau[t0 + j] = (beta - alpha) / beta;
        scale = 1.0 / (alpha - beta);
        a[o + j * n + j] = beta;
      }
    }
    ${SYNC}
    let tj = tau[t0 + j];
    if (tj != 0.0) {
      let s = scale;
      for (var i = j + 1u + li; i < m; i += ${FWG}u) { a[o + i * n + j] = a[o + i * n + j] * s; }
    }
    ${SYNC}
    if (tj != 0.0) {
      // H = I - τ v vᵀ (v = [1; the column below the diagonal]) on the trailing columns, a thread each
      for (var c = j + 1u + li; c < n; c += ${FWG}u) {
        var w = a[o + j * n + c];
        for (var i = j + 1u; i < m; i++) { w = w + a[o + i * n + j] * a[o + i * n + c]; }
        w = w * tj;
        a[o + j * n + c] = a[o + j * n + c] - w;
        for (var i = j + 1u; i < m; i++) { a[o + i * n + c] = a[o + i * n + c] - w * a[o + i * n + j]; }
      }
    }
    ${SYNC}
  }
  for (var e = li; e < m * qc; e += ${FWG}u) { q[q0 + e] = select(0.0, 1.0, e / qc == e % qc); }
  ${SYNC}
  for (var jj = kn; jj > 0u; jj--) {
    let j = jj - 1u; let tj = tau[t0 + j];
    if (tj != 0.0) {
      for (var c = li; c < qc; c += ${FWG}u) {
        var w = q[q0 + j * qc + c];
        for (var i = j + 1u; i < m; i++) { w = w + a[o + i * n + j] * q[q0 + i * qc + c]; }
        w = w * tj;
        q[q0 + j * qc + c] = q[q0 + j * qc + c] - w;
        for (var i = j + 1u; i < m; i++) { q[q0 + i * qc + c] = q[q0 + i * qc + c] - w * a[o + i * n + j]; }
      }
    }
    ${SYNC}
  }
  for (var e = li; e < m * n; e += ${FWG}u) { if (e % n < e / n) { a[o + e] = 0.0; } }`)}`;

/** Householder QR of float32 matrices A [..., m, n] on the device: R [..., m, n] (zeros below its
 *  diagonal) and Q [..., m, qc] (qc of its columns: min(m, n) or m; 0, none); null off the device. */
export function householderQr(A: Tensor, qc: number): [Tensor, Tensor] | null {
  if (A.dtype !== float32 || !onDevice(A)) return null;
  const m = A._shape[A.ndim - 2]!, n = A._shape[A.ndim - 1]!, batch = A._shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const R = contiguousCopy(A, float32);
  if (R === null) return null;
  const tau = deviceEmpty([Math.max(B * Math.min(m, n), 1)], float32), Q = deviceEmpty([...batch, m, qc], float32);
  // (a zero-sized Q still binds a buffer)
  const q = qc > 0 ? Q : deviceEmpty([1], float32);
  if (m * n > 0) rt().dispatch(rt().kernel(QR), [mem(R).written(), mem(tau).written(), mem(q).written()], Int32Array.from([B, m, n, qc]), B);
  return [R, Q];
}
