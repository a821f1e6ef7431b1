// The count families of torch.distributions (geometric.py, negative_binomial.py, multinomial.py).

import { Tensor } from "../core/tensor.js";
import { int64 } from "../core/dtype.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, broadcast_all, finfo, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";
import { ProbsLogitsBase, Categorical, Binomial, probsLogits, EITHER, type ProbsLogits } from "./families.js";
import { Gamma } from "./gamma.js";
import { tupleStr } from "../core/printing.js";

const F = () => torch.nn.functional;

export class Geometric extends ProbsLogitsBase {
  protected readonly binary = true;
  constructor(probs?: Scalar | null | ProbsLogits, logits?: Scalar | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    this._init(this._holdParam(a), [], a.validate_args);
    if (this._validate_args && a.probs !== null) {
      const t = this._probs!, valid = t.gt(0);
      if (!valid.all().item()) {
        throw new Error(`Expected parameter probs (Tensor of shape ${tupleStr(t.shape)}) of distribution ${this.toString()} ` +
          `to be positive but found invalid values:\n${String(t.detach().masked_select(valid.logical_not()))}`);
      }
    }
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.unit_interval, logits: C.real }; }
  override get support(): C.Constraint { return C.nonnegative_integer; }
  override get mean() { return this.probs.reciprocal().sub(1.0); }
  override get mode() { return torch.zeros_like(this.probs); }
  override get variance() { return this.probs.reciprocal().sub(1.0).div(this.probs); }
  override expand(batch_shape: readonly number[]): Geometric {
    const n = this._newInstance();
    this._expandParams(n, [...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const probs = this.probs;
    return torch.no_grad(() => {
      const u = torch.empty(shape, { dtype: probs.dtype }).uniform_(finfo(probs.dtype).tiny, 1);
      return u.log().div(probs.neg().log1p()).floor();
    });
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [v, p] = broadcast_all(value, this.probs) as [Tensor, Tensor];
    const probs = torch.where(p.eq(1).logical_and(v.eq(0)), 0, p.clone());
    return v.mul(probs.neg().log1p()).add(this.probs.log());
  }
  override entropy(): Tensor {
    return F().binary_cross_entropy_with_logits(this.logits, this.probs, { reduction: "none" }).div(this.probs);
  }
}

export class NegativeBinomial extends ProbsLogitsBase {
  protected readonly binary = true;
  total_count: Tensor;
  private _gammaDist?: Gamma;
  constructor(total_count: Scalar, probs?: Scalar | null | ProbsLogits, logits?: Scalar | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    if ((a.probs === null) === (a.logits === null)) throw new Error(EITHER);
    const [tc, p] = broadcast_all(total_count, (a.probs ?? a.logits)!) as [Tensor, Tensor];
    this.total_count = tc.to(p.dtype);
    if (a.probs !== null) this._probs = p; else this._logits = p;
    this._init(p.shape, [], a.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> {
    return { total_count: C.greater_than_eq(0), probs: C.half_open_interval(0.0, 1.0), logits: C.real };
  }
  override get support(): C.Constraint { return C.nonnegative_integer; }
  override get mean() { return this.total_count.mul(torch.exp(this.logits)); }
  override get mode() { return this.total_count.sub(1).mul(this.logits.exp()).floor().clamp(0.0); }
  override get variance() { return this.mean.div(torch.sigmoid(this.logits.neg())); }
  override expand(batch_shape: readonly number[]): NegativeBinomial {
    const n = this._newInstance();
    n.total_count = this.total_count.expand([...batch_shape]);
    n._gammaDist = undefined;
    this._expandParams(n, [...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  /** _gamma (a lazy_property): Gamma(total_count, exp(-logits)). */
  get _gamma(): Gamma {
    return (this._gammaDist ??= torch.enable_grad(() => new Gamma(this.total_count, torch.exp(this.logits.neg()), { validate_args: false })));
  }
  override sample(sample_shape?: SampleShape): Tensor {
    return torch.no_grad(() => torch.poisson(this._gamma.sample(sample_shape)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const tc = this.total_count, logits = this.logits;
    const lup = tc.mul(F().logsigmoid(logits.neg())).add(value.mul(F().logsigmoid(logits)));
    const ln = torch.lgamma(tc.add(value)).neg().add(torch.lgamma(value.add(1.0))).add(torch.lgamma(tc))
      .masked_fill(tc.add(value).eq(0.0), 0.0);
    return lup.sub(ln);
  }
}

export interface MultinomialOpts extends ProbsLogits { total_count?: number }
export class Multinomial extends Distribution {
  total_count: number;
  _categorical: Categorical;
  _binomial: Binomial;
  constructor(total_count: number | MultinomialOpts = 1, probs?: Tensor | null | ProbsLogits, logits?: Tensor | null | DistOpts, opts?: DistOpts) {
    super();
    let a: ReturnType<typeof probsLogits>;
    if (typeof total_count === "object") { a = probsLogits(total_count, undefined, undefined); total_count = total_count.total_count ?? 1; }
    else a = probsLogits(probs, logits, opts);
    if (!Number.isInteger(total_count)) throw new Error("inhomogeneous total_count is not supported");
    this.total_count = total_count;
    this._categorical = new Categorical(a.probs as Tensor | null, a.logits as Tensor | null);
    this._binomial = new Binomial(total_count, this.probs);
    this._init(this._categorical.batch_shape, this._categorical.param_shape.slice(-1), a.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { probs: C.simplex, logits: C.real_vector }; }
  protected override _param_value(): Tensor | undefined { return undefined; } // probs/logits live in _categorical
  override get support(): C.Constraint { return C.multinomial(this.total_count); }
  get probs(): Tensor { return this._categorical.probs; }
  get logits(): Tensor { return this._categorical.logits; }
  get param_shape(): number[] { return this._categorical.param_shape; }
  override get mean() { return this.probs.mul(this.total_count); }
  override get variance() { return this.probs.mul(this.total_count).mul(this.probs.rsub(1)); }
  override expand(batch_shape: readonly number[]): Multinomial {
    const n = this._newInstance();
    n.total_count = this.total_count;
    n._categorical = this._categorical.expand(batch_shape);
    n._binomial = this._binomial;
    this._finishExpand(n, batch_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const ss = sample_shape === undefined ? [] : typeof sample_shape === "number" ? [sample_shape] : [...sample_shape];
    let samples = this._categorical.sample([this.total_count, ...ss]);
    const perm = [...Array(samples.ndim).keys()];
    perm.push(perm.shift()!);
    samples = samples.permute(perm);
    const counts = torch.zeros(this._extended_shape(ss), { dtype: int64 });
    counts.scatter_add_(-1, samples, torch.ones_like(samples));
    return counts.type_as(this.probs);
  }
  override entropy(): Tensor {
    const n = torch.tensor(this.total_count, { dtype: int64 });
    const term1 = n.mul(this._categorical.entropy()).sub(torch.lgamma(n.add(1)));
    const support = this._binomial.enumerate_support(false).narrow(0, 1, this.total_count);
    const binomialProbs = torch.exp(this._binomial.log_prob(support));
    const weights = torch.lgamma(support.add(1));
    return term1.add(binomialProbs.mul(weights).sum([0, -1]));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits0, v] = broadcast_all(this.logits, value) as [Tensor, Tensor];
    const logFactorialN = torch.lgamma(v.sum(-1).add(1));
    const logFactorialXs = torch.lgamma(v.add(1)).sum(-1);
    const logits = torch.where(v.eq(0).logical_and(logits0.eq(-Infinity)), 0, logits0.clone());
    return logFactorialN.sub(logFactorialXs).add(logits.mul(v).sum(-1));
  }
}
