// Triangular solves on the WebGPU device (linalg.solve_triangular, triangular_solve, and the
// solves of cholesky_solve and lu_solve built on them): a thread per column of the right-hand
// side, substituting row by row in order, as the CPU's trsm does (in float32 here).
//
// The factorizations themselves (LU, Cholesky, QR, eigh, SVD) run through the CPU (Note [Device
// fallback]): each is a sequential sweep over one matrix, and their errors (a singular matrix, one
// not positive-definite) are found in the values, which would be read back anyway.

import type { Tensor } from "../../core/tensor.js";
import { float32 } from "../../core/dtype.js";
import { contiguousCopy } from "./kernels.js";
import { rt, mem, onDevice, deviceEmpty, groups, header, paramsBinding, perElement } from "./shader.js";

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
