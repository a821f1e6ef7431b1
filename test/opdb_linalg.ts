// The op table of test/golden/linalg.json (tools/gen_golden_linalg.py): torch.linalg's
// decompositions and the torch.* forms, translated from the generator's Python calls by
// shared/API.md's rules. Ops whose results are unique only up to sign return the same
// sign-invariant functions of them as the generator (V², U², reconstructions): see its docstring.

import torch, { type Tensor } from "typetorch";
import type { OpFn } from "./opdb.js";

/* eslint-disable @typescript-eslint/no-explicit-any */
const LA = torch.linalg;
const opts = (kw: Record<string, any>): Record<string, any> | undefined => (Object.keys(kw).length ? kw : undefined);
const sq = (t: Tensor): Tensor => t.mul(t);

export const OPS_LINALG: Record<string, OpFn> = {
  "linalg.det": ([A]) => LA.det(A),
  "linalg.slogdet": ([A]) => LA.slogdet(A),
  "linalg.inv": ([A]) => LA.inv(A),
  "linalg.inv_ex": ([A]) => LA.inv_ex(A),
  "linalg.solve": ([A, B], kw) => LA.solve(A, B, opts(kw)),
  "linalg.cholesky": ([A], kw) => LA.cholesky(A, opts(kw)),
  "linalg.qr": ([A, ...a], kw) => (a.length ? LA.qr(A, a[0]) : LA.qr(A, opts(kw))),
  "linalg.eigh_sq": ([A], kw) => {
    const [L, V] = LA.eigh(A.add(A.mT), opts(kw));
    return [L!, sq(V!)];
  },
  "linalg.eigvalsh": ([A, ...a], kw) => LA.eigvalsh(A, a.length ? a[0] : opts(kw)),
  "linalg.svd_sq": ([A]) => {
    const [U, S, Vh] = LA.svd(A, { full_matrices: false });
    return [sq(U!), S!, sq(Vh!)];
  },
  "linalg.svd_full_rec": ([A]) => {
    const [U, S, Vh] = LA.svd(A, { full_matrices: true });
    const k = S!.shape[S!.ndim - 1]!;
    return [U!.narrow(-1, 0, k).mul(S!.unsqueeze(-2)).matmul(Vh!.narrow(-2, 0, k)), S!];
  },
  "linalg.svdvals": ([A]) => LA.svdvals(A),
  "linalg.pinv": ([A], kw) => LA.pinv(A, opts(kw)),
  "linalg.matrix_rank": ([A], kw) => LA.matrix_rank(A, opts(kw)),
  "linalg.matrix_power": ([A, n]) => LA.matrix_power(A, n),
  "linalg.matrix_exp": ([A]) => LA.matrix_exp(A),
  "linalg.multi_dot": ([ts]) => LA.multi_dot(ts),
  "linalg.vecdot": ([x, y], kw) => LA.vecdot(x, y, opts(kw)),
  det: ([A]) => torch.det(A),
  logdet: ([A]) => torch.logdet(A),
  slogdet: ([A]) => torch.slogdet(A),
  inverse: ([A]) => torch.inverse(A),
  cholesky: ([A, ...a], kw) => torch.cholesky(A, a.length ? a[0] : kw.upper ?? false),
  qr: ([A, ...a]) => torch.qr(A, a.length ? a[0] : true),
  svd_sq: ([A, ...a]) => {
    const [U, S, V] = torch.svd(A, a.length ? a[0] : true);
    return [sq(U!), S!, sq(V!)];
  },
  pinverse: ([A, ...a]) => torch.pinverse(A, a.length ? a[0] : 1e-15),
  matrix_power: ([A, n]) => torch.matrix_power(A, n),
  matrix_exp: ([A]) => torch.matrix_exp(A),
};

Object.assign(OPS_LINALG, {
  "linalg.solve_triangular": ([A, B], kw) => LA.solve_triangular(A, B, kw as any),
  triangular_solve: ([b, A, ...a], kw) => (a.length ? torch.triangular_solve(b, A, a[0], a[1], a[2]) : torch.triangular_solve(b, A, opts(kw) ?? true)),
  cholesky_solve: ([B, L, ...a]) => torch.cholesky_solve(B, L, a.length ? a[0] : false),
  cholesky_inverse: ([L, ...a]) => torch.cholesky_inverse(L, a.length ? a[0] : false),
  "linalg.lu_factor": ([A], kw) => LA.lu_factor(A, opts(kw)),
  "linalg.lu_factor_ex": ([A], kw) => LA.lu_factor_ex(A, opts(kw)),
  "linalg.lu": ([A], kw) => LA.lu(A, opts(kw)),
  lu: ([A, ...a], kw) => (a.length ? torch.lu(A, a[0], a[1]) : torch.lu(A, opts(kw) ?? true)),
  "linalg.lstsq": ([A, B, ...a], kw) => LA.lstsq(A, B, a.length ? a[0] : opts(kw)),
  "linalg.tensorinv": ([A], kw) => LA.tensorinv(A, opts(kw) ?? 2),
  "linalg.tensorsolve": ([A, B], kw) => LA.tensorsolve(A, B, opts(kw) ?? null),
} satisfies Record<string, OpFn>);

Object.assign(OPS_LINALG, {
  lu_unpack_of: ([A]) => { const [LU, piv] = LA.lu_factor(A); return torch.lu_unpack(LU!, piv!); },
  "linalg.lu_solve_of": ([A, B], kw) => { const [LU, piv] = LA.lu_factor(A); return LA.lu_solve(LU!, piv!, B, opts(kw)); },
  lu_solve_of: ([A, B]) => { const [LU, piv] = LA.lu_factor(A); return torch.lu_solve(B, LU!, piv!); },
} satisfies Record<string, OpFn>);

const spdOf = (A: Tensor): Tensor => A.matmul(A.mT).add(torch.eye(A.shape[A.ndim - 1]!, { dtype: A.dtype }));
Object.assign(OPS_LINALG, {
  cholesky_of_spd: ([A], kw) => LA.cholesky(spdOf(A), opts(kw)),
  cholesky_solve_of_spd: ([B, A, ...a]) => torch.cholesky_solve(B, LA.cholesky(spdOf(A), { upper: !!a[0] }), a.length ? a[0] : false),
  cholesky_inverse_of_spd: ([A, ...a]) => torch.cholesky_inverse(LA.cholesky(spdOf(A), { upper: !!a[0] }), a.length ? a[0] : false),
  eigvalsh_sym: ([A, ...a]) => LA.eigvalsh(A.add(A.mT), a.length ? a[0] : "L"),
  pinv_hermitian_sym: ([A]) => LA.pinv(A.add(A.mT), { hermitian: true }),
} satisfies Record<string, OpFn>);

Object.assign(OPS_LINALG, {
  "linalg.solve_ex": ([A, B], kw) => LA.solve_ex(A, B, opts(kw)),
  svd_sq_nouv: ([A, ...a]) => {
    const [U, S, V] = torch.svd(A, a.length ? a[0] : true, false);
    return [sq(U!), S!, sq(V!)];
  },
} satisfies Record<string, OpFn>);
OPS_LINALG["linalg.solve_ex_info"] = ([A, B], kw) => LA.solve_ex(A, B, opts(kw)).info;
Object.assign(OPS_LINALG, {
  "linalg.cond": ([A, ...a]) => (a.length ? LA.cond(A, a[0]) : LA.cond(A)),
  "linalg.diagonal": ([A], kw) => LA.diagonal(A, opts(kw)),
  "linalg.vander": ([x], kw) => LA.vander(x, opts(kw)),
  "linalg.matmul": ([a, b]) => LA.matmul(a, b),
  eigvalsh_slice_sq: ([A]) => LA.eigvalsh(A.add(A.mT)).narrow(-1, 1, 1).pow(2),
  svdvals_slice_sq: ([A]) => LA.svdvals(A).narrow(-1, 1, 1).pow(2),
} satisfies Record<string, OpFn>);
