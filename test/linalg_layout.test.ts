// The memory layout of the linear-algebra results, against PyTorch 2.13 (test/golden/linalg_layout.json,
// tools/gen_golden_linalg_layout.py): LAPACK's column-major matrices where PyTorch returns them
// (strides, is_contiguous, whether .view(-1) works and the node .reshape(-1) records), row-major
// ones elsewhere, and the strides of the gradients for contiguous grad_outputs. The same cases
// run again on the WebGPU device (float32 there): its LU and Cholesky kernels' results, and the
// results of the factorizations that fall back to the CPU, moved with their layout.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import { readGolden, fromGolden, type GoldenTensor } from "./helpers.js";

interface OutRecord { shape: number[]; stride: number[]; contiguous: boolean; grad_fn: string | null; view: boolean; reshape: string | null }
interface Case { op: string; label: string; inputs: GoldenTensor[]; outputs: (OutRecord | null)[]; grads: (number[] | null)[] | null }

const LA = torch.linalg;
type Op = (...xs: Tensor[]) => Tensor | Tensor[];
// the calls of the generator's OPS table, name for name
const OPS: Record<string, Op> = {
  "linalg.inv": (A) => LA.inv(A!),
  "linalg.inv_ex": (A) => LA.inv_ex(A!),
  "inverse": (A) => torch.inverse(A!),
  "matrix_power(-1)": (A) => LA.matrix_power(A!, -1),
  "matrix_power(-2)": (A) => LA.matrix_power(A!, -2),
  "matrix_power(3)": (A) => LA.matrix_power(A!, 3),
  "tensorinv": (A) => LA.tensorinv(A!, { ind: 2 }),
  "linalg.solve": (A, B) => LA.solve(A!, B!),
  "linalg.solve(left=False)": (A, B) => LA.solve(A!, B!, { left: false }),
  "linalg.solve_ex": (A, B) => LA.solve_ex(A!, B!),
  "tensorsolve": (A, B) => LA.tensorsolve(A!, B!),
  "linalg.cholesky": (A) => LA.cholesky(A!),
  "linalg.cholesky(upper)": (A) => LA.cholesky(A!, { upper: true }),
  "linalg.cholesky_ex": (A) => LA.cholesky_ex(A!),
  "cholesky": (A) => torch.cholesky(A!),
  "cholesky(upper)": (A) => torch.cholesky(A!, true),
  "linalg.qr": (A) => LA.qr(A!),
  "linalg.qr(complete)": (A) => LA.qr(A!, { mode: "complete" }),
  "linalg.qr(r)": (A) => LA.qr(A!, { mode: "r" }),
  "qr": (A) => torch.qr(A!),
  "linalg.svd": (A) => LA.svd(A!),
  "linalg.svd(reduced)": (A) => LA.svd(A!, { full_matrices: false }),
  "svd": (A) => torch.svd(A!),
  "svd(some=False)": (A) => torch.svd(A!, { some: false }),
  "svd(compute_uv=False)": (A) => torch.svd(A!, { compute_uv: false }),
  "linalg.svdvals": (A) => LA.svdvals(A!),
  "linalg.eigh": (A) => LA.eigh(A!),
  "linalg.eigvalsh": (A) => LA.eigvalsh(A!),
  "linalg.lu_factor": (A) => LA.lu_factor(A!),
  "linalg.lu_factor_ex": (A) => LA.lu_factor_ex(A!),
  "lu": (A) => torch.lu(A!),
  "linalg.lu": (A) => LA.lu(A!),
  "lu_unpack": (LU, piv) => torch.lu_unpack(LU!, piv!),
  "linalg.lu_solve": (LU, piv, B) => LA.lu_solve(LU!, piv!, B!),
  "linalg.lu_solve(adjoint)": (LU, piv, B) => LA.lu_solve(LU!, piv!, B!, { adjoint: true }),
  "linalg.lu_solve(left=False)": (LU, piv, B) => LA.lu_solve(LU!, piv!, B!, { left: false }),
  "lu_solve": (B, LU, piv) => torch.lu_solve(B!, LU!, piv!),
  "linalg.pinv": (A) => LA.pinv(A!),
  "linalg.pinv(hermitian)": (A) => LA.pinv(A!, { hermitian: true }),
  "pinverse": (A) => torch.pinverse(A!),
  "linalg.lstsq": (A, B) => LA.lstsq(A!, B!),
  "linalg.lstsq(gelsd)": (A, B) => LA.lstsq(A!, B!, { driver: "gelsd" }),
  "linalg.lstsq(gels)": (A, B) => LA.lstsq(A!, B!, { driver: "gels" }),
  "linalg.solve_triangular": (A, B) => LA.solve_triangular(A!, B!, { upper: true }),
  "linalg.solve_triangular(left=False)": (A, B) => LA.solve_triangular(A!, B!, { upper: false, left: false }),
  "triangular_solve": (B, A) => torch.triangular_solve(B!, A!),
  "triangular_solve(transpose)": (B, A) => torch.triangular_solve(B!, A!, { upper: false, transpose: true }),
  "cholesky_solve": (B, L) => torch.cholesky_solve(B!, L!),
  "cholesky_inverse": (L) => torch.cholesky_inverse(L!),
  "linalg.matrix_exp": (A) => LA.matrix_exp(A!),
  "linalg.det": (A) => LA.det(A!),
  "linalg.slogdet": (A) => LA.slogdet(A!),
  "logdet": (A) => torch.logdet(A!),
  "linalg.matrix_rank": (A) => LA.matrix_rank(A!),
};

function viewWorks(t: Tensor): boolean {
  try { t.view(-1); return true; } catch { return false; }
}

const deviceSkip = process.env["TYPETORCH_BACKEND"] ? "the device's kernels do not depend on the CPU backend: they run in the default pass only"
  : torch.webgpu.is_available() ? false : `no WebGPU adapter here (${torch.webgpu.unavailable_reason()})`;

const { cases } = readGolden<{ cases: Case[] }>("linalg_layout.json");
for (const device of ["cpu", "webgpu"] as const) for (const c of cases) {
  const on = device === "cpu" ? "" : " on the WebGPU device";
  test(`${c.op} (${c.label})${on}: strides of the results and of their gradients as PyTorch 2.13's`, { skip: device === "cpu" ? false : deviceSkip }, () => {
    const inputs = c.inputs.map((g) => {
      const t = fromGolden(g), float = g.dtype.startsWith("float");
      return (device === "cpu" ? t : t.to(float ? torch.float32 : torch.int32).to(device)).requires_grad_(float);
    });
    const r = OPS[c.op]!(...inputs);
    const outs = r instanceof torch.Tensor ? [r] : Array.from(r);
    assert.equal(outs.length, c.outputs.length);
    c.outputs.forEach((e, i) => {
      const o = outs[i]!, what = `output ${i}`;
      if (e === null) return;
      assert.deepEqual(o.shape, e.shape, `${what}: shape`);
      assert.deepEqual(o.stride(), e.stride, `${what}: strides`);
      assert.equal(o.is_contiguous(), e.contiguous, `${what}: is_contiguous`);
      assert.equal(o.grad_fn?.name() ?? null, e.grad_fn, `${what}: grad_fn`);
      assert.equal(viewWorks(o), e.view, `${what}: view(-1)`);
      if (e.reshape !== null) assert.equal(o.reshape(-1).grad_fn?.name(), e.reshape, `${what}: reshape(-1)'s node`);
    });
    const diff = outs.filter((o) => o.grad_fn !== null);
    const leaves = inputs.filter((t) => t.requires_grad);
    if (diff.length === 0) return;
    const grad = () => torch.autograd.grad(diff, leaves, { grad_outputs: diff.map((o) => torch.ones([...o.shape], { dtype: o.dtype, device: o.device })), allow_unused: true });
    if (c.grads === null) { assert.throws(grad); return; }
    const gs = grad();
    let k = 0;
    c.grads.forEach((e, i) => {
      if (!inputs[i]!.requires_grad) return;
      const g = gs[k++];
      if (e === null) assert.equal(g ?? null, null, `grad ${i}`);
      else assert.deepEqual(g!.stride(), e, `grad ${i}: strides`);
    });
  });
}
