// Dropout (torch/nn/modules/dropout.py): active in training mode, the identity in eval mode.

import { Tensor } from "../core/tensor.js";
import { formatPyFloat } from "../core/printing.js";
import { Module } from "./module.js";
import { F } from "./F.js";

export class Dropout extends Module {
  p: number;
  inplace: boolean;
  constructor(p: number | { p?: number; inplace?: boolean } = 0.5, inplace = false) {
    super();
    const o = typeof p === "number" ? { p, inplace } : { p: 0.5, inplace: false, ...p };
    if (o.p < 0 || o.p > 1) throw new Error(`dropout probability has to be between 0 and 1, but got ${formatPyFloat(o.p)}`);
    this.p = o.p;
    this.inplace = o.inplace;
  }
  override forward(input: Tensor): Tensor { return F.dropout(input, this.p, this.training, this.inplace); }
  override extra_repr(): string { return `p=${formatPyFloat(this.p)}, inplace=${this.inplace ? "True" : "False"}`; }
}

/** Zeroes whole channels of [N, C, H, W] with probability p in training (F.dropout2d). */
export class Dropout2d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout2d(input, this.p, this.training, this.inplace); }
}

/** Zeroes whole channels of [N, C, L] or [C, L] with probability p in training (F.dropout1d). */
export class Dropout1d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout1d(input, this.p, this.training, this.inplace); }
}

/** Zeroes whole channels of [N, C, D, H, W] or [C, D, H, W] with probability p in training
 *  (F.dropout3d). */
export class Dropout3d extends Dropout {
  override forward(input: Tensor): Tensor { return F.dropout3d(input, this.p, this.training, this.inplace); }
}

/** Dropout that keeps SELU's self-normalisation, in training (F.alpha_dropout). */
export class AlphaDropout extends Dropout {
  override forward(input: Tensor): Tensor { return F.alpha_dropout(input, this.p, this.training); }
}

/** Alpha dropout of whole channels, in training (F.feature_alpha_dropout). */
export class FeatureAlphaDropout extends Dropout {
  override forward(input: Tensor): Tensor { return F.feature_alpha_dropout(input, this.p, this.training); }
}
