// torch.special: PyTorch's names for the special functions, each the same op as its torch.*
// counterpart where one exists (so the grad_fn is that op's, as in PyTorch).

import type { Tensor } from "../core/tensor.js";
import { round as roundOp } from "./elementwise.js";

export {
  sigmoid as expit, logit, erf, erfc, exp2, expm1, log1p,
} from "./elementwise.js";
export {
  erfcx, erfinv, lgamma as gammaln, digamma, digamma as psi, polygamma, mvlgamma as multigammaln, i0, i0e, i1, i1e,
  ndtr, ndtri, log_ndtr, sinc, xlogy, xlog1py, entr, zeta, igamma as gammainc, igammac as gammaincc,
} from "./special_ops.js";
export { logsumexp, softmax, log_softmax } from "./reduce.js";

/** special.round(x, *, decimals=0): the decimals overload of round (RoundBackward1). */
export function round(x: Tensor, opts?: { decimals?: number }): Tensor {
  return roundOp(x, { decimals: opts?.decimals ?? 0 });
}
