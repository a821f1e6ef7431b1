// torch.linalg decompositions and their torch.* forms: the op database of test/golden/linalg.json
// (tools/gen_golden_linalg.py), plus focused checks the op database cannot express: lstsq's
// derivative against pinv's, det's gradient at singular matrices with and without create_graph,
// names on returned tuples, Tensor methods, and the factorisations' defining identities.

import { test } from "node:test";
import assert from "node:assert/strict";
import torch, { type Tensor } from "typetorch";
import { runOpDb } from "./opdb_runner.js";
import { OPS_LINALG } from "./opdb_linalg.js";

runOpDb("linalg.json", OPS_LINALG);

const f64 = torch.float64;
const LA = torch.linalg;
const mat = (rows: number[][], rg = true): Tensor => torch.tensor(rows, { dtype: f64, requires_grad: rg });
const close = (a: Tensor, b: Tensor | number[][] | number[], tol = 1e-10): void => {
  const e = b instanceof torch.Tensor ? b : torch.tensor(b as number[], { dtype: f64 });
  assert.deepEqual(a.shape, e.shape);
  const d = a.detach().sub(e.detach()).abs().max().item() as number;
  assert.ok(d <= tol, `max difference ${d}`);
};
const A43 = (): Tensor => mat([[0.3, -1.2, 0.5], [1.1, 0.4, -0.7], [-0.6, 0.9, 1.3], [0.8, -0.2, 0.1]]);
const B42 = (): Tensor => mat([[0.5, -0.1], [1.2, 0.3], [-0.4, 0.9], [0.2, 0.7]]);

test("lstsq: 2.x's derivative (pinv_backward) equals pinv(A)·B's, and passes gradcheck/gradgradcheck", () => {
  const A = A43(), B = B42();
  const [X] = LA.lstsq(A, B);
  assert.equal(X!.grad_fn?.name(), "LinalgLstsqBackward0");
  const w = torch.tensor([[0.3, -0.5], [0.7, 0.2], [-0.4, 0.9]], { dtype: f64 });
  const [gA, gB] = torch.autograd.grad([X!], [A, B], { grad_outputs: [w] });
  const A2 = A43(), B2 = B42();
  const [hA, hB] = torch.autograd.grad([LA.pinv(A2).matmul(B2)], [A2, B2], { grad_outputs: [w] });
  close(gA!, hA!); close(gB!, hB!);
  close(X!, LA.pinv(A).matmul(B));
  assert.ok(torch.autograd.gradcheck((a: Tensor, b: Tensor) => LA.lstsq(a, b)[0]!, [A43(), B42()]));
  assert.ok(torch.autograd.gradgradcheck((a: Tensor, b: Tensor) => LA.lstsq(a, b)[0]!, [A43(), B42()]));
  // vector b
  assert.ok(torch.autograd.gradcheck((a: Tensor, b: Tensor) => LA.lstsq(a, b)[0]!, [A43(), torch.tensor([0.1, 0.5, -0.3, 0.8], { dtype: f64, requires_grad: true })]));
});

test("det at a singular matrix (2.x): 0 without create_graph (g·det·A⁻ᵀ, det = 0), the cofactor matrix under it (SVD path)", () => {
  const A = mat([[1, 2], [2, 4]]);
  close(torch.autograd.grad([LA.det(A)], [A])[0]!, [[0, 0], [0, 0]]);
  close(torch.autograd.grad([LA.det(A)], [A], { create_graph: true })[0]!, [[4, -2], [-2, 1]]);
  const B = mat([[4, 2, 2], [2, 1, 1], [1, 1, 2]]);
  // cofactors of B (PyTorch 2.13: the same, to 1e-15)
  close(torch.autograd.grad([torch.det(B)], [B], { create_graph: true })[0]!, [[1, -3, 1], [-2, 6, -2], [0, 0, 0]], 1e-9);
  // an invertible A: g·det·A⁻ᵀ either way
  const C = mat([[2, 1], [1, 3]]);
  close(torch.autograd.grad([LA.det(C)], [C])[0]!, [[3, -1], [-1, 2]]);
  assert.ok(torch.autograd.gradcheck((x: Tensor) => LA.det(x), [mat([[2, 1, 0.5], [1, 3, 0.2], [0.5, 0.2, 4]])]));
});

test("identities: P·L·U, Q·R, V·diag(L)·Vᵀ, U·diag(S)·Vh, L·Lᵀ, A·inv(A), solve, matrix_exp of a diagonal", () => {
  const A = mat([[4, 1, 2, 0.5], [1, 3, 0.5, 0.2], [2, 0.5, 5, 1], [0.5, 0.2, 1, 2]], false);
  const [P, L, U] = LA.lu(A);
  close(P!.matmul(L!).matmul(U!), A);
  const [Q, R] = LA.qr(A);
  close(Q!.matmul(R!), A); close(Q!.mT.matmul(Q!), torch.eye(4, { dtype: f64 }));
  const [ev, V] = LA.eigh(A);
  close(V!.mul(ev!.unsqueeze(-2)).matmul(V!.mT), A);
  const [Us, S, Vh] = LA.svd(A.narrow(0, 0, 3));
  close(Us!.narrow(-1, 0, 3).mul(S!.unsqueeze(-2)).matmul(Vh!.narrow(-2, 0, 3)), A.narrow(0, 0, 3));
  close(Vh!.matmul(Vh!.mT), torch.eye(4, { dtype: f64 })); // the completed row is orthonormal too
  const C = LA.cholesky(A);
  close(C.matmul(C.mT), A);
  close(A.matmul(LA.inv(A)), torch.eye(4, { dtype: f64 }));
  const b = torch.tensor([1, 2, 3, 4], { dtype: f64 });
  close(A.matmul(LA.solve(A, b)), b);
  close(LA.matrix_exp(torch.diag(torch.tensor([1, -2], { dtype: f64 }))), [[Math.E, 0], [0, Math.exp(-2)]], 1e-14);
  close(LA.cholesky_ex(A).L, C);
  assert.equal(LA.cholesky_ex(mat([[1, 2], [2, 1]], false)).info.item(), 2);
  assert.equal(LA.inv_ex(mat([[1, 2], [2, 4]], false)).info.item(), 2);
});

test("named tuples, dtypes and Tensor methods", () => {
  const A = mat([[2, 1], [1, 3]], false);
  assert.equal(LA.slogdet(A).sign.item(), 1);
  assert.ok(Math.abs((LA.slogdet(A).logabsdet.item() as number) - Math.log(5)) < 1e-14);
  assert.equal(LA.qr(A).Q.shape.join(), "2,2");
  assert.equal(LA.eigh(A).eigenvalues.shape.join(), "2");
  assert.equal(LA.svd(A).Vh.shape.join(), "2,2");
  assert.equal(torch.svd(A).V.shape.join(), "2,2");
  const f = LA.lu_factor(A);
  assert.equal(f.pivots.dtype, torch.int32);
  assert.deepEqual(f.pivots.tolist(), [1, 2]);
  assert.equal(LA.lu_factor_ex(A).info.dtype, torch.int32);
  assert.equal(LA.matrix_rank(A).dtype, torch.int64);
  assert.equal(LA.lstsq(A, A).rank.dtype, torch.int64);
  assert.equal(A.det().item(), 5);
  close(A.inverse(), LA.inv(A));
  close(A.matrix_power(3), A.matmul(A).matmul(A));
  close(A.matrix_exp(), LA.matrix_exp(A));
  close(A.cholesky(), LA.cholesky(A));
  close(A.pinverse(), LA.inv(A), 1e-12);
  close(torch.tensor([[1, 0], [2, 1]], { dtype: f64 }).triangular_solve(A, true).solution, LA.solve_triangular(A, torch.tensor([[1, 0], [2, 1]], { dtype: f64 }), { upper: true }));
  close(A.cholesky().cholesky_inverse(), LA.inv(A), 1e-14);
  assert.ok(Math.abs((A.logdet().item() as number) - Math.log(5)) < 1e-14);
  assert.equal(A.qr().R.shape.join(), "2,2");
  assert.equal(A.svd().S.shape.join(), "2");
  assert.equal(A.lu().length, 2);
});

test("linalg.inv names the zero pivot of A's own LU, contiguous, transposed or batched (as PyTorch 2.13)", () => {
  const A = torch.tensor([[1, 2, 3], [2, 4, 6], [1, 0, 1]], { dtype: f64 });
  assert.throws(() => LA.inv(A), /The diagonal element 3 is zero/);
  assert.throws(() => LA.inv(A.mT.contiguous().mT), /The diagonal element 3 is zero/);
  assert.throws(() => LA.inv(torch.stack([torch.eye(3, { dtype: f64 }), A])), /linalg.inv: \(Batch element 1\): The diagonal element 3 is zero/);
});
