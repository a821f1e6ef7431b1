// torch.distributions.ContinuousBernoulli (continuous_bernoulli.py): the density proportional to
// p^x (1-p)^(1-x) on [0, 1], with Taylor expansions inside the unstable region around p = 1/2.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { broadcast_all, clamp_probs, logits_to_probs, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";
import { ProbsLogitsBase, probsLogits, type ProbsLogits } from "./families.js";

export interface ContinuousBernoulliOpts extends ProbsLogits { lims?: [number, number] }
const bce = (logits: Tensor, target: Tensor) => torch.nn.functional.binary_cross_entropy_with_logits(logits, target, { reduction: "none" });

export class ContinuousBernoulli extends ProbsLogitsBase {
  static _exp_family = true; // an ExponentialFamily in PyTorch (kl.ts's dispatch reads this)
  protected readonly binary = true;
  override has_rsample = true;
  _lims: [number, number];
  constructor(probs?: Scalar | null | ContinuousBernoulliOpts, logits?: Scalar | null | ContinuousBernoulliOpts,
    lims?: [number, number] | ContinuousBernoulliOpts, opts?: DistOpts) {
    super();
    const o = [probs, logits, lims, opts].find((x): x is ContinuousBernoulliOpts =>
      x !== null && x !== undefined && !(x instanceof Tensor) && !Array.isArray(x) && typeof x === "object") ?? {};
    const a = probsLogits(probs as Scalar | null | ProbsLogits, logits as Scalar | null | DistOpts, opts);
    const validate_args = o.validate_args ?? a.validate_args;
    this._lims = (Array.isArray(lims) ? lims : o.lims) ?? [0.499, 0.501];
    const shape = this._holdParam(a);
    if (this._probs !== undefined) {
      if (validate_args !== undefined && validate_args !== null && !C.unit_interval.check(this._probs).all().item()) {
        throw new Error("The parameter probs has invalid values");
      }
      this._probs = clamp_probs(this._probs);
    }
    this._init(shape, [], validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.unit_interval, logits: C.real }; }
  override get support(): C.Constraint { return C.unit_interval; }
  override get probs(): Tensor { return (this._probs ??= torch.enable_grad(() => clamp_probs(logits_to_probs(this._logits!, true)))); }
  override expand(batch_shape: readonly number[]): ContinuousBernoulli {
    const n = this._newInstance();
    n._lims = this._lims;
    this._expandParams(n, [...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  _outside_unstable_region(): Tensor { return torch.le(this.probs, this._lims[0]).logical_or(torch.gt(this.probs, this._lims[1])); }
  _cut_probs(): Tensor { return torch.where(this._outside_unstable_region(), this.probs, this._lims[0]); }
  /** The log normalizing constant, by its Taylor expansion near p = 1/2. */
  _cont_bern_log_norm(): Tensor {
    const cut = this._cut_probs();
    const below = torch.where(torch.le(cut, 0.5), cut, 0), above = torch.where(torch.ge(cut, 0.5), cut, 1);
    const logNorm = torch.log(torch.abs(torch.log1p(cut.neg()).sub(torch.log(cut))))
      .sub(torch.where(torch.le(cut, 0.5), torch.log1p(below.mul(-2.0)), torch.log(above.mul(2.0).sub(1.0))));
    const x = torch.pow(this.probs.sub(0.5), 2);
    const taylor = x.mul(104.0 / 45.0).add(4.0 / 3.0).mul(x).add(Math.log(2.0));
    return torch.where(this._outside_unstable_region(), logNorm, taylor);
  }
  override get mean() {
    const cut = this._cut_probs();
    const mus = cut.div(cut.mul(2.0).sub(1.0)).add(torch.log1p(cut.neg()).sub(torch.log(cut)).reciprocal());
    const x = this.probs.sub(0.5);
    const taylor = torch.pow(x, 2).mul(16.0 / 45.0).add(1.0 / 3.0).mul(x).add(0.5);
    return torch.where(this._outside_unstable_region(), mus, taylor);
  }
  override get stddev() { return torch.sqrt(this.variance); }
  override get variance() {
    const cut = this._cut_probs();
    const vars = cut.mul(cut.sub(1.0)).div(torch.pow(cut.mul(2.0).rsub(1.0), 2))
      .add(torch.pow(torch.log1p(cut.neg()).sub(torch.log(cut)), 2).reciprocal());
    const x = torch.pow(this.probs.sub(0.5), 2);
    const taylor = x.mul(128.0 / 945.0).rsub(1.0 / 15.0).mul(x).rsub(1.0 / 12.0);
    return torch.where(this._outside_unstable_region(), vars, taylor);
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const u = torch.rand(this._extended_shape(sample_shape), { dtype: this.probs.dtype });
    return torch.no_grad(() => this.icdf(u));
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    return this.icdf(torch.rand(this._extended_shape(sample_shape), { dtype: this.probs.dtype }));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value) as [Tensor, Tensor];
    return bce(logits, v).neg().add(this._cont_bern_log_norm());
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const cut = this._cut_probs();
    const cdfs = torch.pow(cut, value).mul(torch.pow(cut.rsub(1.0), value.rsub(1.0))).add(cut).sub(1.0).div(cut.mul(2.0).sub(1.0));
    const unbounded = torch.where(this._outside_unstable_region(), cdfs, value);
    return torch.where(torch.le(value, 0.0), torch.zeros_like(value), torch.where(torch.ge(value, 1.0), torch.ones_like(value), unbounded));
  }
  override icdf(value: Tensor): Tensor {
    const cut = this._cut_probs();
    const inner = torch.log1p(cut.neg().add(value.mul(cut.mul(2.0).sub(1.0)))).sub(torch.log1p(cut.neg()))
      .div(torch.log(cut).sub(torch.log1p(cut.neg())));
    return torch.where(this._outside_unstable_region(), inner, value);
  }
  override entropy(): Tensor {
    const lp0 = torch.log1p(this.probs.neg()), lp1 = torch.log(this.probs);
    return this.mean.mul(lp0.sub(lp1)).sub(this._cont_bern_log_norm()).sub(lp0);
  }
  get _natural_params(): Tensor[] { return [this.logits]; }
  _log_normalizer(x: Tensor): Tensor {
    const out = torch.le(x, this._lims[0] - 0.5).logical_or(torch.gt(x, this._lims[1] - 0.5));
    const cut = torch.where(out, x, this._lims[0] - 0.5);
    const logNorm = torch.log(torch.abs(torch.special.expm1(cut))).sub(torch.log(torch.abs(cut)));
    const taylor = x.mul(0.5).add(torch.pow(x, 2).div(24.0)).sub(torch.pow(x, 4).div(2880.0));
    return torch.where(out, logNorm, taylor);
  }
}
