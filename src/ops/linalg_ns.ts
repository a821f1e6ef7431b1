// torch.linalg: the namespace object's members, for `export * as linalg from "./ops/linalg_ns.js"`.
// (torch.linalg.norm is linalg_norm here, since torch.norm is a different function.)

import "./statistics.js";
import "./sorting.js";
export { vector_norm, matrix_norm, linalg_norm as norm, svdvals } from "./norms.js";
export { linalg_cross as cross } from "./einsum.js";
