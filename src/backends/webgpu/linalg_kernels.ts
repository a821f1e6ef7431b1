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
//
// Note [llvmpipe's loop limit]: Mesa's llvmpipe (22.x, the adapter of a machine without a GPU)
// ends every loop of a shader invocation once it has run 65,535 iterations in all, counted over
// the whole invocation (each entry costing about two more), and silently: a kernel looping longer
// computes garbage (found here: LU past ~130 rows, triangular solves past ~360). So the kernels
// that step through a matrix take their steps in several dispatches, each within LOOP_BUDGET
// iterations a loop (`chunks`), their state in storage between them; dispatches are cheap, and a
// real GPU does the same work. A matrix whose single step would exceed the budget (LU or QR past
// ~2,000 rows, eigh past 220) goes through the CPU (Note [Device fallback]), as it would be slow
// in one workgroup anyway.

import type { Tensor } from "../../core/tensor.js";
import { float32, int32 } from "../../core/dtype.js";
import { contiguousCopy } from "./kernels.js";
import { rt, mem, onDevice, deviceEmpty, deviceZeros, groups, header, paramsBinding, perElement } from "./shader.js";

/** The iterations a loop of one dispatch may run (Note [llvmpipe's loop limit]). */
const LOOP_BUDGET = 50_000;

/** `steps` sequential steps split into dispatches whose loops stay within LOOP_BUDGET, `cost(s)`
 *  bounding what step s adds to an invocation's loops (all of them together: a bound for each):
 *  the ranges [s0, s1) in order, or null where one step alone exceeds the budget. */
function chunks(steps: number, cost: (s: number) => number): [number, number][] | null {
  const out: [number, number][] = [];
  let s0 = 0, acc = 2; // (the dispatch's own loop over its steps: ~2 for entering it)
  for (let s = 0; s < steps; s++) {
    const c = cost(s) + 1;
    if (c + 2 > LOOP_BUDGET) return null;
    if (acc + c > LOOP_BUDGET) { out.push([s0, s]); s0 = s; acc = 2; }
    acc += c;
  }
  if (s0 < steps) out.push([s0, steps]);
  return out;
}

// P(0) batch · r (threads), P(1) n, P(2) r, P(3) P(4) the steps of this dispatch (rows in order of
// substitution); x holds the rows solved by the dispatches before
const TRSM = (upper: boolean, unit: boolean) => `// solve_triangular ${upper ? "upper" : "lower"}${unit ? " unit" : ""}
${header(5)}@group(0) @binding(0) var<storage, read_write> x: array<f32>;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
${paramsBinding(3)}${perElement(`  let n = u32(P(1u)); let r = u32(P(2u));
  let c = e % r; let b = e / r;
  let a0 = b * n * n; let x0 = b * n * r + c;
  for (var t = u32(P(3u)); t < u32(P(4u)); t++) {
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
  const n = A._shape[A.ndim - 1]!, r = B._shape[B.ndim - 1]!, threads = (B.numel() / Math.max(n, 1)) | 0;
  const steps = chunks(n, (t) => t + 2);
  const a = steps && contiguousCopy(A, float32), b = steps && contiguousCopy(B, float32);
  if (a === null || b === null) return null;
  const x = deviceEmpty(B._shape, float32);
  if (threads === 0) return x;
  for (const [t0, t1] of steps!)
    rt().dispatch(rt().kernel(TRSM(upper, unit)), [mem(x).written(), mem(a).read(), mem(b).read()], Int32Array.from([threads, n, r, t0, t1]), groups(threads));
  return x;
}

// ---- LU, Cholesky and QR (Note [Factorization shaders]) ----------------------------------------------

/** Threads per matrix of the factorizations. */
const FWG = 64;
/** Loop iterations of a thread striding over `count` items (Note [llvmpipe's loop limit]). */
const strided = (count: number): number => Math.ceil(Math.max(count, 0) / FWG) + 2;
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
/** Dispatches `code` over B matrices once per chunk of steps, params [B, ...fixed, s0, s1]. */
function stepped(code: string, bufs: Tensor[], B: number, fixed: number[], steps: [number, number][]): void {
  const k = rt().kernel(code), ids = bufs.map((t) => mem(t).written());
  for (const [s0, s1] of steps) rt().dispatch(k, ids, Int32Array.from([B, ...fixed, s0, s1]), B);
}

// P(0) matrices, P(1) m, P(2) n, P(3) P(4) this dispatch's columns; a: the matrices (row-major,
// factored in place), piv: getrf's 1-based pivots (min(m, n) a matrix), info: the first zero
// pivot's 1-based column (0: none; zero to begin with)
const LU = `// lu_factor
${header(5)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> piv: array<i32>;
@group(0) @binding(2) var<storage, read_write> info: array<i32>;
${paramsBinding(3)}var<workgroup> pivRow: u32;
var<workgroup> pivot: f32;
${perMatrix(`  let m = u32(P(1u)); let n = u32(P(2u)); let kn = min(m, n); let o = b * m * n;
  for (var k = u32(P(3u)); k < u32(P(4u)); k++) {
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
  const steps = chunks(Math.min(m, n), (k) => (m - k + 1) + strided(n) + strided(m - k) * (n - k + 2));
  const lu = steps && contiguousCopy(A, float32);
  if (lu === null) return null;
  const piv = deviceEmpty([...batch, Math.min(m, n)], int32), info = deviceZeros(batch, int32);
  if (B > 0) stepped(LU, [lu, piv, info], B, [m, n], steps!);
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
  const k = pivots._shape[pivots.ndim - 1]!;
  const piv = onDevice(pivots) && k + m + 4 < LOOP_BUDGET ? contiguousCopy(pivots, int32) : null;
  if (piv === null) return null;
  const batch = pivots._shape.slice(0, -1), threads = batch.reduce((p, q) => p * q, 1) * m;
  const y = deviceEmpty([...batch, m, m], float32);
  rt().dispatch(rt().kernel(PERMUTATION), [mem(y).written(), mem(piv).read()], Int32Array.from([threads, m, k]), groups(threads));
  return y;
}

// P(0) matrices, P(1) n, P(2) P(3) this dispatch's columns; a: the matrices (row-major; the lower
// factor made in place, the strict upper part of the rows done zeroed), info: potrf's (the order
// of the first leading minor that is not positive-definite; zero to begin with, and the steps
// after it do nothing: the rest of the matrix is left as it was, as the CPU's)
const CHOLESKY = `// cholesky
${header(4)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> info: array<i32>;
${paramsBinding(2)}var<workgroup> diag: f32;
var<workgroup> failed: i32;
${perMatrix(`  let n = u32(P(1u)); let o = b * n * n;
  for (var j = u32(P(2u)); j < u32(P(3u)); j++) {
    if (li == 0u) {
      failed = info[b];
      if (failed == 0) {
        var d = a[o + j * n + j];
        for (var k = 0u; k < j; k++) { d = d - a[o + j * n + k] * a[o + j * n + k]; }
        if (d > 0.0) { diag = sqrt(d); a[o + j * n + j] = diag; } else { failed = i32(j) + 1; info[b] = failed; }
      }
    }
    ${SYNC}
    if (failed == 0) {
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
  const steps = chunks(n, (j) => j + 2 + strided(n - j) * (j + 3));
  const L = steps && contiguousCopy(A, float32);
  if (L === null) return null;
  const info = deviceZeros(batch, int32);
  if (B > 0) stepped(CHOLESKY, [L, info], B, [n], steps!);
  return [L, info];
}

// P(0) matrices, P(1) m, P(2) n, P(3) Q's columns, P(4) the phase, P(5) P(6) its steps; a: the
// matrices (row-major; R made in place), tau: the reflections' scales (min(m, n) a matrix), q: Q
// (m × P(3) a matrix). The CPU's householderQr step for step: LAPACK's dgeqr2 (dlarfg's
// β = -sign(α)·‖x‖, τ = 0 where the column below the diagonal is zero; phase 0, columns in order),
// then dorg2r's Q, the reflections applied to the identity's first columns from the last (phase 1
// sets the identity, phase 2 applies them, its steps counted from the last), and R's zeros below
// its diagonal, where the reflections were kept (phase 3).
/** WGSL: the reflection H_j = I - τ v vᵀ (τ: tj, v = [1; a's column j below the diagonal])
 *  applied to the column of `x` whose row i is x[at(i)]. */
const reflect = (x: string, at: (i: string) => string): string => `
          var w = ${x}[${at("j")}];
          for (var i = j + 1u; i < m; i++) { w = w + a[o + i * n + j] * ${x}[${at("i")}]; }
          w = w * tj;
          ${x}[${at("j")}] = ${x}[${at("j")}] - w;
          for (var i = j + 1u; i < m; i++) { ${x}[${at("i")}] = ${x}[${at("i")}] - w * a[o + i * n + j]; }`;
const QR = `// qr
${header(7)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> tau: array<f32>;
@group(0) @binding(2) var<storage, read_write> q: array<f32>;
${paramsBinding(3)}var<workgroup> scale: f32;
${perMatrix(`  let m = u32(P(1u)); let n = u32(P(2u)); let qc = u32(P(3u)); let kn = min(m, n);
  let o = b * m * n; let t0 = b * kn; let q0 = b * m * qc;
  let phase = P(4u); let s0 = u32(P(5u)); let s1 = u32(P(6u));
  if (phase == 0) {
    for (var j = s0; j < s1; j++) {
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
        // the trailing columns, a thread each
        for (var c = j + 1u + li; c < n; c += ${FWG}u) { ${reflect("a", (i) => `o + ${i} * n + c`)} }
      }
      ${SYNC}
    }
  } else if (phase == 1) {
    for (var e = li; e < m * qc; e += ${FWG}u) { q[q0 + e] = select(0.0, 1.0, e / qc == e % qc); }
  } else if (phase == 2) {
    for (var jj = s0; jj < s1; jj++) {
      let j = kn - 1u - jj; let tj = tau[t0 + j];
      if (tj != 0.0) {
        for (var c = li; c < qc; c += ${FWG}u) { ${reflect("q", (i) => `q0 + ${i} * qc + c`)} }
      }
      ${SYNC}
    }
  } else {
    for (var e = li; e < m * n; e += ${FWG}u) { if (e % n < e / n) { a[o + e] = 0.0; } }
  }`)}`;

/** Householder QR of float32 matrices A [..., m, n] on the device: R [..., m, n] (zeros below its
 *  diagonal) and Q [..., m, qc] (qc of its columns: min(m, n) or m; 0, none); null off the device. */
export function householderQr(A: Tensor, qc: number): [Tensor, Tensor] | null {
  if (A.dtype !== float32 || !onDevice(A)) return null;
  const m = A._shape[A.ndim - 2]!, n = A._shape[A.ndim - 1]!, batch = A._shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const kn = Math.min(m, n);
  const factor = chunks(kn, (j) => (m - j + 1) + strided(m - j) + strided(n - j) * 2 * (m - j + 2));
  const apply = chunks(kn, (jj) => strided(qc) * 2 * (m - kn + jj + 3));
  if (factor === null || apply === null || strided(m * Math.max(n, qc)) > LOOP_BUDGET) return null;
  const R = contiguousCopy(A, float32);
  if (R === null) return null;
  const tau = deviceEmpty([Math.max(B * kn, 1)], float32), Q = deviceEmpty([...batch, m, qc], float32);
  const q = qc > 0 ? Q : deviceEmpty([1], float32); // (a zero-sized Q still binds a buffer)
  if (B * m * n === 0) return [R, Q];
  const bufs = [R, tau, q], fixed = [m, n, qc];
  stepped(QR, bufs, B, [...fixed, 0], factor);
  if (qc > 0) {
    stepped(QR, bufs, B, [...fixed, 1], [[0, 0]]);
    stepped(QR, bufs, B, [...fixed, 2], apply);
  }
  stepped(QR, bufs, B, [...fixed, 3], [[0, 0]]);
  return [R, Q];
}

// ---- eigh (Note [Jacobi shaders]) -----------------------------------------------------------------

/**
 * Note [Jacobi shaders]: the symmetric eigenproblem (eigh) and the SVD run the CPU's Jacobi methods
 * (cyclic two-sided rotations; Hestenes' one-sided ones) in the same order of pairs, a workgroup
 * per matrix: one thread computes each rotation from its pair (for the SVD, from the pair of
 * columns' sums of squares and products), the workgroup's threads apply it to the rows and columns
 * it touches, with a barrier between. Rotations in the same order give the CPU's eigen- and
 * singular vectors, signs included, to float32's rounding (mostly: where two columns are near a
 * tie, float32 may rotate them the other way, which flips a vector's sign, as the signs differ
 * between PyTorch's CPU and CUDA). A rotation is skipped where the pair is already orthogonal to
 * float32's precision (eigh: |a_pq| ≤ ε·√|a_pp·a_qq|, ε = 2⁻²⁴; the SVD: |γ| ≤ √m·ε·√(αβ), LAPACK
 * sgesvj's threshold; rotating by the rounding noise of a converged matrix only stirs it), and
 * the sweeps stop (the rest of the dispatches returning at once) when eigh's off-diagonal part is
 * below n²ε² of the whole, or when an SVD sweep rotated nothing; 30 sweeps at most (the CPU's:
 * 100 and 80, in float64). The sweeps are dispatched in chunks of rotations (Note [llvmpipe's
 * loop limit]), the matrix's flags in storage between them.
 */
/** WGSL: `body` for each pair (p, q) numbered P(s0) to P(s1) of a sweep over n columns (p < q, row
 *  by row, as the CPU's loops take them). */
const eachPair = (n: string, s0: number, body: string): string => `    var p = 0u; var first = u32(P(${s0}u));
    loop { if (first < ${n} - 1u - p) { break; } first = first - (${n} - 1u - p); p = p + 1u; }
    var q = p + 1u + first;
    for (var pair = u32(P(${s0}u)); pair < u32(P(${s0 + 1}u)); pair++) {
${body}
      q = q + 1u;
      if (q == ${n}) { p = p + 1u; q = p + 1u; }
    }`;
/** WGSL: the rotation's tangent t = sign(x)/(|x| + √(x² + 1)) for the cotangent of twice its angle
 *  (1/(2x) past 1e18, where x² would overflow), as the CPU's. */
const tangent = (x: string): string => `select(select(-1.0, 1.0, ${x} >= 0.0) / (abs(${x}) + sqrt(${x} * ${x} + 1.0)), 0.5 / ${x}, abs(${x}) > 1e18)`;
/** WGSL: elements i and j of `arr` rotated by (c, sn). */
const rotate = (arr: string, i: string, j: string): string =>
  `{ let x = ${arr}[${i}]; let y = ${arr}[${j}]; ${arr}[${i}] = c * x - sn * y; ${arr}[${j}] = sn * x + c * y; }`;
/** WGSL: `order[base + k]`, k < n, the indices 0 … n-1 sorted by key(i) (`after(a, b)`: whether a
 *  goes after b), ties in their order: an insertion sort, stable. */
const stableOrder = (n: string, base: string, key: (i: string) => string, after: (a: string, b: string) => string): string => `    for (var i = 0u; i < ${n}; i++) {
      var j = i;
      loop {
        if (j == 0u) { break; }
        let prev = aux[${base} + j - 1u];
        if (!(${after(key("prev"), key("i"))})) { break; }
        aux[${base} + j] = prev; j = j - 1u;
      }
      aux[${base} + j] = i;
    }`;
/** Dispatches a Jacobi kernel's phases (0: start, then 30 sweeps of 1: check and 2: rotate, then
 *  3: finish), params [B, ...fixed, phase, s0, s1]. */
function jacobiSweeps(code: string, bufs: Tensor[], B: number, fixed: number[], rotations: [number, number][]): void {
  stepped(code, bufs, B, [...fixed, 0], [[0, 0]]);
  for (let sweep = 0; sweep < 30; sweep++) {
    stepped(code, bufs, B, [...fixed, 1], [[0, 0]]);
    stepped(code, bufs, B, [...fixed, 2], rotations);
  }
  stepped(code, bufs, B, [...fixed, 3], [[0, 0]]);
}

// P(0) matrices, P(1) n, P(2) phase, P(3) P(4) its steps; a: the symmetric matrices (row-major,
// rotated in place to diagonal, then the eigenvectors as columns, ordered), v: the rotations'
// product, l: the eigenvalues ascending, aux: their order (n a matrix), then the matrices' "done"
// flags. Phase 0 sets v to the identity;
// phase 1 checks convergence (a sweep's start); phase 2 rotates the pairs numbered P(3)..P(4) of
// a sweep (p < q, row by row); phase 3 orders the eigenvalues and the eigenvectors.
const EIGH = `// eigh
${header(5)}@group(0) @binding(0) var<storage, read_write> a: array<f32>;
@group(0) @binding(1) var<storage, read_write> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> l: array<f32>;
@group(0) @binding(3) var<storage, read_write> aux: array<u32>;
${paramsBinding(4)}var<workgroup> rot: vec2<f32>;
var<workgroup> finished: u32;
${perMatrix(`  let n = u32(P(1u)); let o = b * n * n; let phase = P(2u);
  let doneAt = u32(P(0u)) * n + b;
  if (phase == 0) {
    for (var e = li; e < n * n; e += ${FWG}u) { v[o + e] = select(0.0, 1.0, e / n == e % n); }
    if (li == 0u) { aux[doneAt] = 0u; }
    return;
  }
  if (phase == 1) {
    if (li == 0u && aux[doneAt] == 0u) {
      var off = 0.0; var tot = 0.0;
      for (var e = 0u; e < n * n; e++) { let x = a[o + e] * a[o + e]; tot = tot + x; if (e / n != e % n) { off = off + x; } }
      if (off <= f32(n * n) * 3.5527137e-15 * tot) { aux[doneAt] = 1u; }
    }
    return;
  }
  if (phase == 2) {
    if (li == 0u) { finished = aux[doneAt]; }
    if (workgroupUniformLoad(&finished) != 0u) { return; }
${eachPair("n", 3, `      if (li == 0u) {
        let apq = a[o + p * n + q]; let app = a[o + p * n + p]; let aqq = a[o + q * n + q];
        if (abs(apq) <= 5.9604645e-8 * sqrt(abs(app * aqq)) || apq == 0.0) { rot = vec2<f32>(1.0, 0.0); } else {
          let t = ${tangent("((aqq - app) / (2.0 * apq))")};
          let c = 1.0 / sqrt(t * t + 1.0);
          rot = vec2<f32>(c, t * c);
        }
      }
      ${SYNC}
      let c = rot.x; let sn = rot.y;
      if (sn != 0.0) {
        for (var k = li; k < n; k += ${FWG}u) ${rotate("a", "o + k * n + p", "o + k * n + q")}
      }
      ${SYNC}
      if (sn != 0.0) {
        for (var k = li; k < n; k += ${FWG}u) {
          ${rotate("a", "o + p * n + k", "o + q * n + k")}
          ${rotate("v", "o + k * n + p", "o + k * n + q")}
        }
      }
      ${SYNC}`)}
    return;
  }
  if (li == 0u) {
${stableOrder("n", "b * n", (i) => `a[o + ${i} * n + ${i}]`, (x, y) => `${x} > ${y}`)}
    for (var k = 0u; k < n; k++) { let src = aux[b * n + k]; l[b * n + k] = a[o + src * n + src]; }
  }
  ${SYNC}
  for (var e = li; e < n * n; e += ${FWG}u) { a[o + e] = v[o + (e / n) * n + aux[b * n + e % n]]; }`)}`;

/** The eigenvalues (ascending) [..., n] and eigenvectors (columns) [..., n, n] of symmetric float32
 *  matrices S [..., n, n] on the device; null off the device. */
export function jacobiEigh(S: Tensor): [Tensor, Tensor] | null {
  if (S.dtype !== float32 || !onDevice(S)) return null;
  const n = S._shape[S.ndim - 1]!, batch = S._shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const pairs = (n * (n - 1)) / 2;
  const rotations = chunks(pairs, () => 2 * strided(n) + 1);
  // (one thread's loops: the convergence sum over n², the sort's n²/2 and the pair search's n)
  if (rotations === null || n * n + 2 > LOOP_BUDGET) return null;
  const a = contiguousCopy(S, float32);
  if (a === null) return null;
  const v = deviceEmpty([B * n * n], float32), L = deviceEmpty([...batch, n], float32), aux = deviceEmpty([B * (n + 1)], int32);
  if (B * n === 0) return [L, a];
  jacobiSweeps(EIGH, [a, v, L, aux], B, [n], rotations);
  return [L, a];
}

// ---- svd (Note [Jacobi shaders]) ---------------------------------------------------------------

// P(0) matrices, P(1) r, P(2) c (r ≥ c: the tall orientation), P(3) phase, P(4) P(5) its steps;
// w: the matrices (r × c row-major, their columns rotated in place: W = A·V), v: the rotations'
// product (c × c), s: the singular values descending, aux: their order (c a matrix), then each
// matrix's flags ("done", "rotated in this sweep"), u: W's columns ordered and normalized (r × c;
// zero for a zero singular value), vo: V's columns ordered. Phase 0 sets v to the identity;
// phase 1 starts a sweep (done where the last one rotated nothing); phase 2 rotates the pairs
// numbered P(4)..P(5) of a sweep (p < q, row by row); phase 3 orders and normalizes.
const SVD = `// svd
${header(6)}@group(0) @binding(0) var<storage, read_write> w: array<f32>;
@group(0) @binding(1) var<storage, read_write> v: array<f32>;
@group(0) @binding(2) var<storage, read_write> s: array<f32>;
@group(0) @binding(3) var<storage, read_write> aux: array<u32>;
@group(0) @binding(4) var<storage, read_write> u: array<f32>;
@group(0) @binding(5) var<storage, read_write> vo: array<f32>;
${paramsBinding(6)}var<workgroup> rot: vec2<f32>;
var<workgroup> finished: u32;
${perMatrix(`  let r = u32(P(1u)); let nc = u32(P(2u)); let phase = P(3u);
  let o = b * r * nc; let ov = b * nc * nc; let flags = u32(P(0u)) * nc + 2u * b;
  if (phase == 0) {
    for (var e = li; e < nc * nc; e += ${FWG}u) { v[ov + e] = select(0.0, 1.0, e / nc == e % nc); }
    if (li == 0u) { aux[flags] = 0u; aux[flags + 1u] = 1u; }
    return;
  }
  if (phase == 1) {
    if (li == 0u && aux[flags] == 0u) { aux[flags] = select(0u, 1u, aux[flags + 1u] == 0u); aux[flags + 1u] = 0u; }
    return;
  }
  if (phase == 2) {
    if (li == 0u) { finished = aux[flags]; }
    if (workgroupUniformLoad(&finished) != 0u) { return; }
${eachPair("nc", 4, `      if (li == 0u) {
        var alpha = 0.0; var beta = 0.0; var gamma = 0.0;
        for (var i = 0u; i < r; i++) { let x = w[o + i * nc + p]; let y = w[o + i * nc + q]; alpha = alpha + x * x; beta = beta + y * y; gamma = gamma + x * y; }
        if (gamma == 0.0 || abs(gamma) <= 5.9604645e-8 * sqrt(f32(r)) * sqrt(alpha * beta)) { rot = vec2<f32>(1.0, 0.0); } else {
          aux[flags + 1u] = 1u;
          let t = ${tangent("((beta - alpha) / (2.0 * gamma))")};
          let cs = 1.0 / sqrt(1.0 + t * t);
          rot = vec2<f32>(cs, cs * t);
        }
      }
      ${SYNC}
      let c = rot.x; let sn = rot.y;
      if (sn != 0.0) {
        for (var i = li; i < r; i += ${FWG}u) ${rotate("w", "o + i * nc + p", "o + i * nc + q")}
        for (var i = li; i < nc; i += ${FWG}u) ${rotate("v", "ov + i * nc + p", "ov + i * nc + q")}
      }
      ${SYNC}`)}
    return;
  }
  if (li == 0u) {
    for (var j = 0u; j < nc; j++) {
      var t = 0.0;
      for (var i = 0u; i < r; i++) { t = t + w[o + i * nc + j] * w[o + i * nc + j]; }
      s[b * nc + j] = sqrt(t);
    }
${stableOrder("nc", "b * nc", (i) => `s[b * nc + ${i}]`, (x, y) => `${x} < ${y}`)}
  }
  ${SYNC}
  for (var e = li; e < r * nc; e += ${FWG}u) {
    let src = aux[b * nc + e % nc]; let sg = s[b * nc + src];
    u[o + e] = select(0.0, w[o + (e / nc) * nc + src] / sg, sg > 0.0);
  }
  for (var e = li; e < nc * nc; e += ${FWG}u) { vo[ov + e] = v[ov + (e / nc) * nc + aux[b * nc + e % nc]]; }
  ${SYNC}
  if (li == 0u) {
    // the values in their order, through aux (the order is no longer needed)
    for (var k = 0u; k < nc; k++) { aux[b * nc + k] = bitcast<u32>(s[b * nc + aux[b * nc + k]]); }
    for (var k = 0u; k < nc; k++) { s[b * nc + k] = bitcast<f32>(aux[b * nc + k]); }
  }`)}`;

/** The SVD of float32 matrices A [..., r, c] with r ≥ c on the device, by one-sided Jacobi:
 *  U [..., r, c] (a zero column for a zero singular value), S [..., c] descending and V
 *  [..., c, c], A = U·diag(S)·Vᵀ; null off the device. */
export function jacobiSvd(A: Tensor): [Tensor, Tensor, Tensor] | null {
  if (A.dtype !== float32 || !onDevice(A)) return null;
  const r = A._shape[A.ndim - 2]!, c = A._shape[A.ndim - 1]!, batch = A._shape.slice(0, -2), B = batch.reduce((p, q) => p * q, 1);
  const pairs = (c * (c - 1)) / 2;
  const rotations = chunks(pairs, () => r + 3 + strided(r) + strided(c));
  // (one thread's loops in the last phase: the columns' sums over r·c, the sort's c²/2)
  if (rotations === null || r < c || r * c + c * c + 4 > LOOP_BUDGET) return null;
  const w = contiguousCopy(A, float32);
  if (w === null) return null;
  const v = deviceEmpty([B * c * c], float32), S = deviceEmpty([...batch, c], float32), aux = deviceEmpty([B * (c + 2)], int32);
  const U = deviceEmpty([...batch, r, c], float32), V = deviceEmpty([...batch, c, c], float32);
  if (B * c === 0) return [U, S, V];
  jacobiSweeps(SVD, [w, v, S, aux, U, V], B, [r, c], rotations);
  return [U, S, V];
}
