// torch.linalg: the namespace object's members, for `export * as linalg from "./ops/linalg_ns.js"`.
// (torch.linalg.norm is linalg_norm here, since torch.norm is a different function.)

import "./statistics.js";
import "./sorting.js";
export { vector_norm, matrix_norm, linalg_norm as norm } from "./norms.js";
export { linalg_cross as cross } from "./einsum.js";
export {
  det, slogdet, inv, inv_ex, solve, svdvals, linalg_cholesky as cholesky, cholesky_ex, qr, eigh, eigvalsh, svd, pinv,
  matrix_rank, matrix_power, matrix_exp, multi_dot, vecdot, solve_triangular, lu_factor, lu_factor_ex, linalg_lu as lu,
  lstsq, tensorinv, tensorsolve, lu_solve, solve_ex, cond, LinAlgError,
} from "./decompositions.js";
export { matmul } from "./linalg.js";
export { linalg_diagonal as diagonal, linalg_vander as vander } from "./decompositions.js";
