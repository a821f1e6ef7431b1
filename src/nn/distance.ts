// PairwiseDistance and CosineSimilarity (torch/nn/modules/distance.py, PyTorch 2.x). Neither has an
// extra_repr: PyTorch prints them as "PairwiseDistance()" and "CosineSimilarity()".

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { F } from "./F.js";

/** ‖x1 − x2 + eps‖_p over the last dim: PairwiseDistance(p=2, eps=1e-6, keepdim=false). The order
 *  is kept as `norm`, PyTorch's attribute name. */
export class PairwiseDistance extends Module {
  norm: number;
  eps: number;
  keepdim: boolean;
  constructor(p = 2, eps = 1e-6, keepdim = false) {
    super();
    this.norm = p; this.eps = eps; this.keepdim = keepdim;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor { return F.pairwise_distance(x1, x2, this.norm, this.eps, this.keepdim); }
}

/** Cosine similarity along dim: CosineSimilarity(dim=1, eps=1e-8). */
export class CosineSimilarity extends Module {
  dim: number;
  eps: number;
  constructor(dim = 1, eps = 1e-8) {
    super();
    this.dim = dim; this.eps = eps;
  }
  override forward(x1: Tensor, x2: Tensor): Tensor { return F.cosine_similarity(x1, x2, this.dim, this.eps); }
}
