// Matrix products: matmul with PyTorch's broadcasting rules, and the named forms.

import { Tensor } from "../core/tensor.js";
import { promote_types } from "../core/dtype.js";
import { broadcastShapes } from "../core/shape.js";
import * as K from "../backends/ts/kernels.js";
import { record, savedFor } from "../autograd/record.js";
import { installMethods, type TensorOrScalar } from "./util.js";

function checkDtypes(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) {
    const n = (t: Tensor) => ({ float32: "float", float64: "double", int64: "long int", int32: "int", float16: "c10::Half", bfloat16: "c10::BFloat16" } as Record<string, string>)[t.dtype.name] ?? t.dtype.name;
    throw new Error(`expected m1 and m2 to have the same dtype, but got: ${n(a)} != ${n(b)}`.replace("m1 and m2", op === "mm" ? "m1 and m2" : "scalar type of m1 and m2"));
  }
}

/** [B, n, k] @ [B, k, m] through the backend's strided GEMM: transposed operands are read through
 *  their strides, never copied. */
function bmmRaw(a: Tensor, b: Tensor): Tensor { return K.bmm(a, b, promote_types(a.dtype, b.dtype)); }

export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2) throw new Error(`self must be a matrix`);
  if (b.ndim !== 2) throw new Error(`mat2 must be a matrix`);
  if (a.shape[1] !== b.shape[0])
    throw new Error(`mat1 and mat2 shapes cannot be multiplied (${a.shape[0]}x${a.shape[1]} and ${b.shape[0]}x${b.shape[1]})`);
  checkDtypes("mm", a, b);
  const y = bmmRaw(a.unsqueeze(0).detach(), b.unsqueeze(0).detach()).reshape(a.shape[0]!, b.shape[1]!).detach();
  return record("MmBackward0", [a, b], y, ([g], [as, bs], n) => [n[0] ? g!.mm(bs!.t()) : null, n[1] ? as!.t().mm(g!) : null],
    [savedFor(b, a), savedFor(a, b)]);
}

export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3) throw new Error(`batch1 must be a 3D tensor`);
  if (b.ndim !== 3) throw new Error(`batch2 must be a 3D tensor`);
  if (a.shape[0] !== b.shape[0]) throw new Error(`batch1 and batch2 must have same number of batches, got ${a.shape[0]} and ${b.shape[0]}`);
  if (a.shape[2] !== b.shape[1])
    throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${a.shape[0]}, ${a.shape[2]}] but got: [${b.shape[0]}, ${b.shape[1]}].`);
  checkDtypes("bmm", a, b);
  const y = bmmRaw(a, b);
  return record("BmmBackward0", [a, b], y, ([g], [as, bs], n) => [n[0] ? g!.bmm(bs!.transpose(1, 2)) : null, n[1] ? as!.transpose(1, 2).bmm(g!) : null],
    [savedFor(b, a), savedFor(a, b)]);
}

export function mv(a: Tensor, v: Tensor): Tensor {
  if (a.ndim !== 2 || v.ndim !== 1) throw new Error(`vector + matrix @ vector expected, got ${a.ndim}, ${v.ndim}, ${v.ndim}`);
  if (a.shape[1] !== v.shape[0]) throw new Error(`size mismatch, got input (${a.shape[0]}), mat (${a.shape[0]}x${a.shape[1]}), vec (${v.shape[0]})`);
  return mm(a, v.unsqueeze(1)).squeeze(1);
}

export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) throw new Error(`1D tensors expected, but got ${a.ndim}D and ${b.ndim}D tensors`);
  if (a.shape[0] !== b.shape[0]) throw new Error(`inconsistent tensor size, expected tensor [${a.shape[0]}] and src [${b.shape[0]}] to have the same number of elements, but got ${a.shape[0]} and ${b.shape[0]} elements respectively`);
  if (a.dtype !== b.dtype) throw new Error(`dot : expected both vectors to have same dtype, but found ${a.dtype.name === "float32" ? "Float" : a.dtype.name} and ${b.dtype.name === "float32" ? "Float" : b.dtype.name}`);
  const y = bmmRaw(a.detach().reshape(1, 1, -1), b.detach().reshape(1, -1, 1)).reshape([]);
  return record("DotBackward0", [a, b], y, ([g], [as, bs], n) => [n[0] ? g!.mul(bs!) : null, n[1] ? g!.mul(as!) : null],
    [savedFor(b, a), savedFor(a, b)]);
}
export const inner = (a: Tensor, b: Tensor) => (a.ndim <= 1 && b.ndim <= 1 ? (a.ndim === 0 || b.ndim === 0 ? a.mul(b) : dot(a, b)) : matmul(a, b.mT));

export function outer(a: Tensor, b: Tensor): Tensor { return a.unsqueeze(1).mul(b.unsqueeze(0)); }
export const ger = outer;

/** torch.matmul with PyTorch's rules: 1-d operands are promoted and the added dim removed after;
 *  batch dims broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const da = a.ndim, db = b.ndim;
  if (da === 0 || db === 0) throw new Error(`both arguments to matmul need to be at least 1D, but they are ${da}D and ${db}D`);
  if (da === 1 && db === 1) return dot(a, b);
  if (da === 2 && db === 1) return mv(a, b);
  if (da === 1 && db === 2) return mm(a.unsqueeze(0), b).squeeze(0);
  if (da === 2 && db === 2) return mm(a, b);
  // Batched: fold a's batch into rows when b is a matrix (one GEMM), else broadcast batches and bmm.
  if (db <= 2 && da >= 3) {
    const bb = db === 1 ? b.unsqueeze(1) : b;
    const k = a.shape[da - 1]!;
    if (k !== bb.shape[0]) throw new Error(`mat1 and mat2 shapes cannot be multiplied (${a.numel() / k}x${k} and ${bb.shape[0]}x${bb.shape[1]})`);
    const out = mm(a.reshape(-1, k), bb).reshape([...a.shape.slice(0, -1), bb.shape[1]!]);
    return db === 1 ? out.squeeze(-1) : out;
  }
  const A = da === 1 ? a.unsqueeze(0) : a, B = db === 1 ? b.unsqueeze(1) : b;
  const n = A.shape[A.ndim - 2]!, k = A.shape[A.ndim - 1]!, k2 = B.shape[B.ndim - 2]!, m = B.shape[B.ndim - 1]!;
  if (k !== k2) throw new Error(`Expected size for first two dimensions of batch2 tensor to be: [${A.shape.slice(0, -2).reduce((p, q) => p * q, 1)}, ${k}] but got: [${B.shape.slice(0, -2).reduce((p, q) => p * q, 1)}, ${k2}].`);
  const batch = broadcastShapes(A.shape.slice(0, -2), B.shape.slice(0, -2));
  const nb = batch.reduce((p, q) => p * q, 1);
  const A3 = A.expand([...batch, n, k]).reshape(nb, n, k);
  const B3 = B.expand([...batch, k, m]).reshape(nb, k, m);
  let out = bmm(A3, B3).reshape([...batch, n, m]);
  if (da === 1) out = out.squeeze(-2);
  if (db === 1) out = out.squeeze(-1);
  return out;
}

/** beta·input + alpha·(m1 @ m2) */
export function addmm(input: Tensor, m1: Tensor, m2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  let p = mm(m1, m2);
  if (alpha !== 1) p = p.mul(alpha);
  return beta === 0 ? p.add(input.mul(0)) : beta === 1 ? input.add(p) : input.mul(beta).add(p);
}
export function addmv(input: Tensor, mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  return addmm(input.unsqueeze(1), mat, vec.unsqueeze(1), opts).squeeze(1);
}
export function baddbmm(input: Tensor, b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  let p = bmm(b1, b2);
  if (alpha !== 1) p = p.mul(alpha);
  return beta === 0 ? p : beta === 1 ? input.add(p) : input.mul(beta).add(p);
}
export function addbmm(input: Tensor, b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor {
  const beta = opts?.beta ?? 1, alpha = opts?.alpha ?? 1;
  let p = bmm(b1, b2).sum(0);
  if (alpha !== 1) p = p.mul(alpha);
  return beta === 0 ? p : beta === 1 ? input.add(p) : input.mul(beta).add(p);
}

installMethods({ mm, bmm, mv, dot, inner, outer, ger, matmul, addmm, addmv, baddbmm, addbmm });

declare module "../core/tensor.js" {
  interface Tensor {
    mm(b: Tensor): Tensor; bmm(b: Tensor): Tensor; mv(v: Tensor): Tensor; dot(b: Tensor): Tensor; inner(b: Tensor): Tensor;
    outer(b: Tensor): Tensor; ger(b: Tensor): Tensor; matmul(b: Tensor): Tensor;
    addmm(m1: Tensor, m2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    addmv(mat: Tensor, vec: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    baddbmm(b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
    addbmm(b1: Tensor, b2: Tensor, opts?: { beta?: number; alpha?: number }): Tensor;
  }
}
export type { TensorOrScalar };
