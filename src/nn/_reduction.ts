// torch.nn._reduction: the reduction a loss applies, from its `reduction` argument or the legacy
// size_average / reduce ones (shared by nn.functional's losses and nn's loss modules).

import { warnOnce } from "../ops/util.js";

export type LegacyReduction = { size_average?: boolean | null; reduce?: boolean | null; reduction?: string };

/** _Reduction.get_enum's check, and the legacy size_average/reduce arguments. */
export function reductionOf(o: LegacyReduction, dflt = "mean"): string {
  let r = o.reduction ?? dflt;
  if ((o.size_average !== undefined && o.size_average !== null) || (o.reduce !== undefined && o.reduce !== null)) {
    const sa = o.size_average ?? true, rd = o.reduce ?? true;
    r = sa && rd ? "mean" : rd ? "sum" : "none";
    warnOnce(`size_average and reduce args will be deprecated, please use reduction='${r}' instead.`);
  }
  return r;
}
