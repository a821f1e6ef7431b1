// Loss modules (torch/nn/modules/loss.py): each holds `reduction` and its options, and calls
// nn.functional. Weighted losses register `weight` (and BCEWithLogitsLoss `pos_weight`) as
// buffers, so they move with .to() and appear in state_dict, as in PyTorch.

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { F } from "./F.js";
import type { DistanceFunction } from "./functional.js";
import { reductionOf } from "./_reduction.js";
import { formatPyFloat as pyFloat } from "../core/printing.js";
import { PairwiseDistance } from "./distance.js";

type Reduction = "none" | "mean" | "sum";
interface LegacyOpts { size_average?: boolean | null; reduce?: boolean | null }
export interface LossOpts<R extends string = Reduction> extends LegacyOpts { reduction?: R }

/** torch.nn.modules.loss._Loss */
export abstract class _Loss<R extends string = Reduction> extends Module {
  reduction: R;
  constructor(opts: LossOpts<R> = {}) {
    super();
    this.reduction = reductionOf(opts as LossOpts) as R;
  }
}

/** torch.nn.modules.loss._WeightedLoss: `weight` is a buffer (None when not given). */
export abstract class _WeightedLoss extends _Loss {
  declare weight: Tensor | null;
  constructor(weight: Tensor | null = null, opts: LossOpts = {}) {
    super(opts);
    this.register_buffer("weight", weight);
  }
}

/** A weight given positionally (PyTorch's first argument) or in the options object. */
function weightAndOpts<O extends { weight?: Tensor | null }>(a: Tensor | null | O | undefined, b: O | undefined): [Tensor | null, O] {
  if (a instanceof Tensor || a === null) return [a, (b ?? {}) as O];
  const o = { ...(a ?? {}), ...(b ?? {}) } as O;
  return [o.weight ?? null, o];
}

export class L1Loss extends _Loss {
  override forward(input: Tensor, target: Tensor): Tensor { return F.l1_loss(input, target, { reduction: this.reduction }); }
}

export class MSELoss extends _Loss {
  override forward(input: Tensor, target: Tensor): Tensor { return F.mse_loss(input, target, { reduction: this.reduction }); }
}

export class SmoothL1Loss extends _Loss {
  beta: number;
  constructor(opts: LossOpts & { beta?: number } = {}) { super(opts); this.beta = opts.beta ?? 1; }
  override forward(input: Tensor, target: Tensor): Tensor { return F.smooth_l1_loss(input, target, { reduction: this.reduction, beta: this.beta }); }
}

export class HuberLoss extends _Loss {
  delta: number;
  constructor(opts: { reduction?: Reduction; delta?: number } = {}) { super(opts); this.delta = opts.delta ?? 1; }
  override forward(input: Tensor, target: Tensor): Tensor { return F.huber_loss(input, target, { reduction: this.reduction, delta: this.delta }); }
}

export interface NLLLossOpts extends LossOpts { weight?: Tensor | null; ignore_index?: number }
export class NLLLoss extends _WeightedLoss {
  ignore_index: number;
  constructor(weight?: Tensor | null | NLLLossOpts, opts?: NLLLossOpts) {
    const [w, o] = weightAndOpts(weight, opts);
    super(w, o);
    this.ignore_index = o.ignore_index ?? -100;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.nll_loss(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction });
  }
}

export interface CrossEntropyLossOpts extends NLLLossOpts { label_smoothing?: number }
/** log_softmax + nll_loss over class dim 1 (or 0 for unbatched input), against class indices or
 *  class probabilities. */
export class CrossEntropyLoss extends _WeightedLoss {
  ignore_index: number;
  label_smoothing: number;
  constructor(weight?: Tensor | null | CrossEntropyLossOpts, opts?: CrossEntropyLossOpts) {
    const [w, o] = weightAndOpts(weight, opts);
    super(w, o);
    this.ignore_index = o.ignore_index ?? -100;
    this.label_smoothing = o.label_smoothing ?? 0;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.cross_entropy(input, target, { weight: this.weight, ignore_index: this.ignore_index, reduction: this.reduction, label_smoothing: this.label_smoothing });
  }
}

export interface BCELossOpts extends LossOpts { weight?: Tensor | null }
export class BCELoss extends _WeightedLoss {
  constructor(weight?: Tensor | null | BCELossOpts, opts?: BCELossOpts) {
    const [w, o] = weightAndOpts(weight, opts);
    super(w, o);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

export interface BCEWithLogitsLossOpts extends BCELossOpts { pos_weight?: Tensor | null }
export class BCEWithLogitsLoss extends _Loss {
  declare weight: Tensor | null;
  declare pos_weight: Tensor | null;
  constructor(weight?: Tensor | null | BCEWithLogitsLossOpts, opts?: BCEWithLogitsLossOpts) {
    const [w, o] = weightAndOpts(weight, opts);
    super(o);
    this.register_buffer("weight", w);
    this.register_buffer("pos_weight", o.pos_weight ?? null);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.binary_cross_entropy_with_logits(input, target, { weight: this.weight, pos_weight: this.pos_weight, reduction: this.reduction });
  }
}

export class KLDivLoss extends _Loss<Reduction | "batchmean"> {
  log_target: boolean;
  constructor(opts: LossOpts<Reduction | "batchmean"> & { log_target?: boolean } = {}) { super(opts); this.log_target = opts.log_target ?? false; }
  override forward(input: Tensor, target: Tensor): Tensor { return F.kl_div(input, target, { reduction: this.reduction, log_target: this.log_target }); }
}

export class CosineEmbeddingLoss extends _Loss {
  margin: number;
  constructor(opts: LossOpts & { margin?: number } = {}) { super(opts); this.margin = opts.margin ?? 0; }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.cosine_embedding_loss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

export class MarginRankingLoss extends _Loss {
  margin: number;
  constructor(opts: LossOpts & { margin?: number } = {}) { super(opts); this.margin = opts.margin ?? 0; }
  override forward(input1: Tensor, input2: Tensor, target: Tensor): Tensor {
    return F.margin_ranking_loss(input1, input2, target, { margin: this.margin, reduction: this.reduction });
  }
}

export class HingeEmbeddingLoss extends _Loss {
  margin: number;
  constructor(opts: LossOpts & { margin?: number } = {}) { super(opts); this.margin = opts.margin ?? 1; }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.hinge_embedding_loss(input, target, { margin: this.margin, reduction: this.reduction });
  }
}

export class SoftMarginLoss extends _Loss {
  override forward(input: Tensor, target: Tensor): Tensor { return F.soft_margin_loss(input, target, { reduction: this.reduction }); }
}

export class MultiLabelMarginLoss extends _Loss {
  override forward(input: Tensor, target: Tensor): Tensor { return F.multilabel_margin_loss(input, target, { reduction: this.reduction }); }
}

export interface MultiLabelSoftMarginLossOpts extends LossOpts { weight?: Tensor | null }
export class MultiLabelSoftMarginLoss extends _WeightedLoss {
  constructor(weight?: Tensor | null | MultiLabelSoftMarginLossOpts, opts?: MultiLabelSoftMarginLossOpts) {
    const [w, o] = weightAndOpts(weight, opts);
    super(w, o);
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multilabel_soft_margin_loss(input, target, { weight: this.weight, reduction: this.reduction });
  }
}

export interface MultiMarginLossOpts extends LossOpts { p?: number; margin?: number; weight?: Tensor | null }
export class MultiMarginLoss extends _WeightedLoss {
  p: number;
  margin: number;
  constructor(opts: MultiMarginLossOpts = {}) {
    super(opts.weight ?? null, opts);
    const p = opts.p ?? 1;
    if (p !== 1 && p !== 2) throw new Error("only p == 1 and p == 2 supported");
    if (opts.weight && opts.weight.ndim !== 1)
      throw new Error(`MultiMarginLoss: expected weight to be None or 1D tensor, got ${opts.weight.ndim}D instead`);
    this.p = p;
    this.margin = opts.margin ?? 1;
  }
  override forward(input: Tensor, target: Tensor): Tensor {
    return F.multi_margin_loss(input, target, { p: this.p, margin: this.margin, weight: this.weight, reduction: this.reduction });
  }
}

export interface PoissonNLLLossOpts extends LossOpts { log_input?: boolean; full?: boolean; eps?: number }
export class PoissonNLLLoss extends _Loss {
  log_input: boolean;
  full: boolean;
  eps: number;
  constructor(opts: PoissonNLLLossOpts = {}) {
    super(opts);
    this.log_input = opts.log_input ?? true;
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-8;
  }
  override forward(log_input: Tensor, target: Tensor): Tensor {
    return F.poisson_nll_loss(log_input, target, { log_input: this.log_input, full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

export interface GaussianNLLLossOpts { full?: boolean; eps?: number; reduction?: Reduction }
export class GaussianNLLLoss extends _Loss {
  full: boolean;
  eps: number;
  constructor(opts: GaussianNLLLossOpts = {}) {
    super(opts);
    this.full = opts.full ?? false;
    this.eps = opts.eps ?? 1e-6;
  }
  override forward(input: Tensor, target: Tensor, variance: Tensor | number): Tensor {
    return F.gaussian_nll_loss(input, target, variance, { full: this.full, eps: this.eps, reduction: this.reduction });
  }
}

export interface TripletMarginLossOpts extends LossOpts { margin?: number; p?: number; eps?: number; swap?: boolean }
export class TripletMarginLoss extends _Loss {
  margin: number;
  p: number;
  eps: number;
  swap: boolean;
  constructor(opts: TripletMarginLossOpts = {}) {
    super(opts);
    this.margin = opts.margin ?? 1;
    this.p = opts.p ?? 2;
    this.eps = opts.eps ?? 1e-6;
    this.swap = opts.swap ?? false;
    if (this.margin <= 0) throw new Error(`TripletMarginLoss: expected margin to be greater than 0, got ${pyFloat(this.margin)} instead`);
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.triplet_margin_loss(anchor, positive, negative, { margin: this.margin, p: this.p, eps: this.eps, swap: this.swap, reduction: this.reduction });
  }
}

export interface TripletMarginWithDistanceLossOpts { distance_function?: DistanceFunction | null; margin?: number; swap?: boolean; reduction?: Reduction }
/** The default distance is a PairwiseDistance() submodule, printed as PyTorch prints it. */
export class TripletMarginWithDistanceLoss extends _Loss {
  distance_function: DistanceFunction;
  margin: number;
  swap: boolean;
  constructor(opts: TripletMarginWithDistanceLossOpts = {}) {
    super(opts);
    const margin = opts.margin ?? 1;
    if (margin <= 0) throw new Error(`TripletMarginWithDistanceLoss: expected margin to be greater than 0, got ${pyFloat(margin)} instead`);
    this.distance_function = opts.distance_function ?? new PairwiseDistance();
    this.margin = margin;
    this.swap = opts.swap ?? false;
  }
  override forward(anchor: Tensor, positive: Tensor, negative: Tensor): Tensor {
    return F.triplet_margin_with_distance_loss(anchor, positive, negative, {
      distance_function: this.distance_function, margin: this.margin, swap: this.swap, reduction: this.reduction,
    });
  }
}

/** The Connectionist Temporal Classification loss (F.ctc_loss): CTCLoss(blank=0, reduction="mean",
 *  zero_infinity=False); forward(log_probs, targets, input_lengths, target_lengths). */
export class CTCLoss extends _Loss {
  blank: number;
  zero_infinity: boolean;
  constructor(opts: LossOpts & { blank?: number; zero_infinity?: boolean } = {}) {
    super(opts);
    this.blank = opts.blank ?? 0;
    this.zero_infinity = opts.zero_infinity ?? false;
  }
  override forward(log_probs: Tensor, targets: Tensor, input_lengths: Tensor | number[], target_lengths: Tensor | number[]): Tensor {
    return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, { blank: this.blank, reduction: this.reduction, zero_infinity: this.zero_infinity });
  }
}
