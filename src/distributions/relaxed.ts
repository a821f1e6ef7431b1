// The relaxed (concrete / Gumbel-softmax) families of torch.distributions (relaxed_bernoulli.py,
// relaxed_categorical.py): reparameterizable stand-ins for Bernoulli and OneHotCategorical.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, broadcast_all, clamp_probs, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";
import { ProbsLogitsBase, Categorical, probsLogits, type ProbsLogits } from "./families.js";
import { TransformedDistribution } from "./transformed.js";
import { SigmoidTransform, ExpTransform } from "./transforms.js";


export class LogitRelaxedBernoulli extends ProbsLogitsBase {
  protected readonly binary = true;
  temperature: Tensor;
  constructor(temperature: Tensor, probs?: Scalar | null | ProbsLogits, logits?: Scalar | null | DistOpts, opts?: DistOpts) {
    super();
    this.temperature = temperature;
    const a = probsLogits(probs, logits, opts);
    this._init(this._holdParam(a), [], a.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.unit_interval, logits: C.real }; }
  override get support(): C.Constraint { return C.real; }
  override expand(batch_shape: readonly number[]): LogitRelaxedBernoulli {
    const n = this._newInstance();
    n.temperature = this.temperature;
    this._expandParams(n, [...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const probs = clamp_probs(this.probs.expand(shape));
    const uniforms = clamp_probs(torch.rand(shape, { dtype: probs.dtype }));
    return uniforms.log().sub(uniforms.neg().log1p()).add(probs.log()).sub(probs.neg().log1p()).div(this.temperature);
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value) as [Tensor, Tensor];
    const diff = logits.sub(v.mul(this.temperature));
    return this.temperature.log().add(diff).sub(diff.exp().log1p().mul(2));
  }
}

export class RelaxedBernoulli extends TransformedDistribution {
  declare base_dist: LogitRelaxedBernoulli;
  override has_rsample = true;
  constructor(temperature: Tensor, probs?: Scalar | null | ProbsLogits, logits?: Scalar | null | DistOpts, opts?: DistOpts) {
    const a = probsLogits(probs, logits, opts);
    super(new LogitRelaxedBernoulli(temperature, a.probs, a.logits), new SigmoidTransform(), { validate_args: a.validate_args });
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.unit_interval, logits: C.real }; }
  override get support(): C.Constraint { return C.unit_interval; }
  get temperature(): Tensor { return this.base_dist.temperature; }
  get logits(): Tensor { return this.base_dist.logits; }
  get probs(): Tensor { return this.base_dist.probs; }
}

export class ExpRelaxedCategorical extends Distribution {
  _categorical: Categorical;
  temperature: Tensor;
  override has_rsample = true;
  constructor(temperature: Tensor, probs?: Tensor | null | ProbsLogits, logits?: Tensor | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    this._categorical = new Categorical(a.probs as Tensor | null, a.logits as Tensor | null);
    this.temperature = temperature;
    this._init(this._categorical.batch_shape, this._categorical.param_shape.slice(-1), a.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.simplex, logits: C.real_vector }; }
  protected override _param_value(): Tensor | undefined { return undefined; } // probs/logits live in _categorical
  override get support(): C.Constraint { return C.real_vector; }
  get param_shape(): number[] { return this._categorical.param_shape; }
  get logits(): Tensor { return this._categorical.logits; }
  get probs(): Tensor { return this._categorical.probs; }
  override expand(batch_shape: readonly number[]): ExpRelaxedCategorical {
    const n = this._newInstance();
    n.temperature = this.temperature;
    n._categorical = this._categorical.expand(batch_shape);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const uniforms = clamp_probs(torch.rand(shape, { dtype: this.logits.dtype }));
    const gumbels = uniforms.log().neg().log().neg();
    const scores = this.logits.add(gumbels).div(this.temperature);
    return scores.sub(scores.logsumexp(-1, true));
  }
  override log_prob(value: Tensor): Tensor {
    const K = this._categorical._num_events;
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value) as [Tensor, Tensor];
    const logScale = torch.full_like(this.temperature, K).lgamma().sub(this.temperature.log().mul(-(K - 1)));
    let score = logits.sub(v.mul(this.temperature));
    score = score.sub(score.logsumexp(-1, true)).sum(-1);
    return score.add(logScale);
  }
}

export class RelaxedOneHotCategorical extends TransformedDistribution {
  declare base_dist: ExpRelaxedCategorical;
  override has_rsample = true;
  constructor(temperature: Tensor, probs?: Tensor | null | ProbsLogits, logits?: Tensor | null | DistOpts, opts?: DistOpts) {
    const a = probsLogits(probs, logits, opts);
    const o = { validate_args: a.validate_args };
    super(new ExpRelaxedCategorical(temperature, a.probs as Tensor | null, a.logits as Tensor | null, o), new ExpTransform(), o);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.simplex, logits: C.real_vector }; }
  override get support(): C.Constraint { return C.simplex; }
  get temperature(): Tensor { return this.base_dist.temperature; }
  get logits(): Tensor { return this.base_dist.logits; }
  get probs(): Tensor { return this.base_dist.probs; }
}
