// The families of torch.distributions, each as PyTorch 2.x writes it (torch/distributions/<name>.py):
// the same formulas, the same random calls in the same order (so samples match after
// torch.manual_seed), the same validation.

import { Tensor } from "../core/tensor.js";
import { int64 } from "../core/dtype.js";
import { numel } from "../core/shape.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import {
  Distribution, ExponentialFamily, broadcast_all, probs_to_logits, logits_to_probs, finfo, sum_rightmost,
  type Scalar, type DistOpts, type SampleShape,
} from "./distribution.js";

const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));
const isNum = (x: unknown): x is number => typeof x === "number";
/** `F.binary_cross_entropy_with_logits(logits, target, reduction='none')`. */
const bce = (logits: Tensor, target: Tensor) => torch.nn.functional.binary_cross_entropy_with_logits(logits, target, { reduction: "none" });

export class Normal extends ExponentialFamily {
  loc: Tensor; scale: Tensor;
  override has_rsample = true;
  constructor(loc: Scalar, scale: Scalar, opts: DistOpts = {}) {
    super();
    [this.loc, this.scale] = broadcast_all(loc, scale) as [Tensor, Tensor];
    this._init(isNum(loc) && isNum(scale) ? [] : this.loc.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.real; }
  override get mean() { return this.loc; }
  override get mode() { return this.loc; }
  override get stddev() { return this.scale; }
  override get variance() { return this.stddev.pow(2); }
  override expand(batch_shape: readonly number[]): Normal { return this._expandFields(["loc", "scale"], batch_shape); }
  override sample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    return torch.no_grad(() => torch.normal(this.loc.expand(shape), this.scale.expand(shape)));
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = torch.randn(shape, { dtype: this.loc.dtype }); // _standard_normal: empty(shape).normal_()
    return this.loc.add(eps.mul(this.scale));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const v = this.scale.pow(2);
    return value.sub(this.loc).pow(2).neg().div(v.mul(2)).sub(this.scale.log()).sub(LOG_SQRT_2PI);
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return value.sub(this.loc).mul(this.scale.reciprocal()).div(Math.SQRT2).erf().add(1).mul(0.5);
  }
  override icdf(value: Tensor): Tensor {
    return this.loc.add(this.scale.mul(torch.erfinv(value.mul(2).sub(1))).mul(Math.SQRT2));
  }
  override entropy(): Tensor { return this.scale.log().add(0.5 + 0.5 * Math.log(2 * Math.PI)); }
}

export interface ProbsLogits extends DistOpts { probs?: Scalar | null; logits?: Scalar | null }
/** (probs?, logits?, {validate_args}) or ({probs | logits, validate_args}). */
export function probsLogits(a: Scalar | null | ProbsLogits | undefined, b: Scalar | null | DistOpts | undefined, c: DistOpts | undefined) {
  if (a !== null && a !== undefined && !(a instanceof Tensor) && typeof a === "object") return { probs: a.probs ?? null, logits: a.logits ?? null, validate_args: a.validate_args };
  if (b !== null && b !== undefined && !(b instanceof Tensor) && typeof b === "object") return { probs: a ?? null, logits: (b as ProbsLogits).logits ?? null, validate_args: b.validate_args };
  return { probs: a ?? null, logits: (b as Scalar | null | undefined) ?? null, validate_args: c?.validate_args };
}
export const EITHER = "Either `probs` or `logits` must be specified, but not both.";

/** probs/logits held as given, the other computed lazily (and then printed too, as PyTorch's
 *  lazy_property puts it into __dict__). */
export abstract class ProbsLogitsBase extends Distribution {
  _probs?: Tensor; _logits?: Tensor;
  protected abstract readonly binary: boolean;
  get probs(): Tensor { return (this._probs ??= torch.enable_grad(() => logits_to_probs(this._logits!, this.binary))); }
  get logits(): Tensor { return (this._logits ??= torch.enable_grad(() => probs_to_logits(this._probs!, this.binary))); }
  get _param(): Tensor { return this._probs ?? this._logits!; }
  /** Holds the probs or logits given (exactly one, else PyTorch's error), broadcast; returns the
   *  batch shape they make (none for a number). */
  protected _holdParam(a: { probs: Scalar | null; logits: Scalar | null }): number[] {
    if ((a.probs === null) === (a.logits === null)) throw new Error(EITHER);
    const given = (a.probs ?? a.logits)!;
    const [t] = broadcast_all(given) as [Tensor];
    if (a.probs !== null) this._probs = t; else this._logits = t;
    return isNum(given) ? [] : t.shape.slice();
  }
  get param_shape(): number[] { return this._param.shape.slice(); }
  /** expand for parameters of shape `param_shape`. */
  protected _expandParams(n: ProbsLogitsBase, param_shape: number[]): void {
    if (this._probs !== undefined && this._probs === this._param) n._probs = this._probs.expand(param_shape);
    else if (this._logits !== undefined) n._logits = this._logits.expand(param_shape);
    // PyTorch expands each of the two that is in __dict__; the computed one is recomputed on demand
    if (this._probs !== undefined && n._probs === undefined) n._probs = this._probs.expand(param_shape);
    if (this._logits !== undefined && n._logits === undefined) n._logits = this._logits.expand(param_shape);
  }
}
// An ExponentialFamily in PyTorch: it shares the probs/logits plumbing here, so kl.ts's dispatch
// reads that from _exp_family.
export class Bernoulli extends ProbsLogitsBase {
  static _exp_family = true;
  protected readonly binary = true;
  override has_enumerate_support = true;
  constructor(probs?: Scalar | null | ProbsLogits, logits?: Scalar | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    this._init(this._holdParam(a), [], a.validate_args);
  }
  override get arg_constraints() { return { probs: C.unit_interval, logits: C.real }; }
  override get support(): C.Constraint { return C.boolean; }
  override get mean() { return this.probs; }
  override get mode() {
    const p = this.probs;
    return p.ge(0.5).to(p.dtype).masked_fill(p.eq(0.5), NaN);
  }
  override get variance() { return this.probs.mul(this.probs.rsub(1)); }
  override expand(batch_shape: readonly number[]): Bernoulli {
    const n = this._newInstance();
    this._expandParams(n, [...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    return torch.no_grad(() => torch.bernoulli(this.probs.expand(shape)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [logits, v] = broadcast_all(this.logits, value) as [Tensor, Tensor];
    return bce(logits, v).neg();
  }
  override entropy(): Tensor { return bce(this.logits, this.probs); }
  override enumerate_support(expand = true): Tensor {
    let values = torch.arange(2, { dtype: this._param.dtype }).view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}

export class Categorical extends ProbsLogitsBase {
  protected readonly binary = false;
  override has_enumerate_support = true;
  _num_events: number;
  constructor(probs?: Tensor | null | ProbsLogits, logits?: Tensor | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    if ((a.probs === null) === (a.logits === null)) throw new Error(EITHER);
    if (a.probs !== null) {
      const p = a.probs as Tensor;
      if (p.dim() < 1) throw new Error("`probs` parameter must be at least one-dimensional.");
      this._probs = p.div(p.sum(-1, true));
    } else {
      const l = a.logits as Tensor;
      if (l.dim() < 1) throw new Error("`logits` parameter must be at least one-dimensional.");
      this._logits = l.sub(l.logsumexp(-1, true));
    }
    this._num_events = this._param.shape[this._param.ndim - 1]!;
    this._init(this._param.ndim > 1 ? this._param.shape.slice(0, -1) : [], [], a.validate_args);
  }
  override get arg_constraints() { return { probs: C.simplex, logits: C.real_vector }; }
  override get support(): C.Constraint { return C.integer_interval(0, this._num_events - 1); }
  override get mean() { return torch.full(this._extended_shape(), NaN, { dtype: this.probs.dtype }); }
  override get mode() { return this.probs.argmax(-1); }
  override get variance() { return torch.full(this._extended_shape(), NaN, { dtype: this.probs.dtype }); }
  override expand(batch_shape: readonly number[]): Categorical {
    const n = this._newInstance();
    this._expandParams(n, [...batch_shape, this._num_events]);
    n._num_events = this._num_events;
    this._finishExpand(n, batch_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const probs2d = this.probs.reshape(-1, this._num_events);
    const ext = this._extended_shape(sample_shape);
    const n = numel(ext.slice(0, ext.length - this._batch_shape.length)); // sample_shape.numel()
    const s2d = torch.no_grad(() => torch.multinomial(probs2d, n, true)).T;
    return s2d.reshape(this._extended_shape(sample_shape));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const v = value.long().unsqueeze(-1);
    const logits = this.logits;
    const shape = torch.broadcast_shapes(v.shape, logits.shape);
    const idx = v.expand(shape).narrow(-1, 0, 1);
    return logits.expand(shape).gather(-1, idx).squeeze(-1);
  }
  override entropy(): Tensor {
    const logits = this.logits.clamp(finfo(this.logits.dtype).min);
    return logits.mul(this.probs).sum(-1).neg();
  }
  override enumerate_support(expand = true): Tensor {
    let values = torch.arange(this._num_events, { dtype: int64 }).view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}

export class OneHotCategorical extends Distribution {
  _categorical: Categorical;
  override has_enumerate_support = true;
  constructor(probs?: Tensor | null | ProbsLogits, logits?: Tensor | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    this._categorical = new Categorical(a.probs as Tensor | null, a.logits as Tensor | null);
    this._init(this._categorical.batch_shape, this._categorical.param_shape.slice(-1), a.validate_args);
  }
  override get arg_constraints() { return { probs: C.simplex, logits: C.real_vector }; }
  protected override _param_value(): Tensor | undefined { return undefined; } // probs/logits live in _categorical
  override get support(): C.Constraint { return C.one_hot; }
  get _param(): Tensor { return this._categorical._param; }
  get probs(): Tensor { return this._categorical.probs; }
  get logits(): Tensor { return this._categorical.logits; }
  get param_shape(): number[] { return this._categorical.param_shape; }
  override get mean() { return this._categorical.probs; }
  override get mode() {
    const p = this._categorical.probs;
    return torch.nn.functional.one_hot(p.argmax(-1), p.shape[p.ndim - 1]!).to(p.dtype);
  }
  override get variance() { const p = this._categorical.probs; return p.mul(p.rsub(1)); }
  override expand(batch_shape: readonly number[]): OneHotCategorical {
    const n = this._newInstance();
    n._categorical = this._categorical.expand(batch_shape);
    this._finishExpand(n, batch_shape, this._event_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const probs = this._categorical.probs;
    const indices = this._categorical.sample(sample_shape);
    return torch.nn.functional.one_hot(indices, this._categorical._num_events).to(probs.dtype);
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const indices = value.max(-1)[1]!;
    return this._categorical.log_prob(indices);
  }
  override entropy(): Tensor { return this._categorical.entropy(); }
  override enumerate_support(expand = true): Tensor {
    const n = this._event_shape[0]!;
    let values = torch.eye(n, { dtype: this._param.dtype }).view([n, ...this._batch_shape.map(() => 1), n]);
    if (expand) values = values.expand([n, ...this._batch_shape, n]);
    return values;
  }
}

export class Uniform extends Distribution {
  low: Tensor; high: Tensor;
  override has_rsample = true;
  constructor(low: Scalar, high: Scalar, opts: DistOpts = {}) {
    super();
    [this.low, this.high] = broadcast_all(low, high) as [Tensor, Tensor];
    this._init(isNum(low) && isNum(high) ? [] : this.low.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { low: C.less_than(this.high), high: C.greater_than(this.low) }; }
  override get support(): C.Constraint { return C.interval(this.low, this.high); }
  override get mean() { return this.high.add(this.low).div(2); }
  override get mode() { return this.high.mul(NaN); }
  override get stddev() { return this.high.sub(this.low).div(12 ** 0.5); }
  override get variance() { return this.high.sub(this.low).pow(2).div(12); }
  override expand(batch_shape: readonly number[]): Uniform { return this._expandFields(["low", "high"], batch_shape); }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const rand = torch.rand(shape, { dtype: this.low.dtype });
    return this.low.add(rand.mul(this.high.sub(this.low)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const lb = this.low.le(value).to(this.low.dtype);
    const ub = this.high.gt(value).to(this.low.dtype);
    return lb.mul(ub).log().sub(this.high.sub(this.low).log());
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return value.sub(this.low).div(this.high.sub(this.low)).clamp(0, 1);
  }
  override icdf(value: Tensor): Tensor { return value.mul(this.high.sub(this.low)).add(this.low); }
  override entropy(): Tensor { return this.high.sub(this.low).log(); }
}

export class Exponential extends ExponentialFamily {
  rate: Tensor;
  override has_rsample = true;
  constructor(rate: Scalar, opts: DistOpts = {}) {
    super();
    [this.rate] = broadcast_all(rate) as [Tensor];
    this._init(isNum(rate) ? [] : this.rate.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { rate: C.positive }; }
  override get support(): C.Constraint { return C.nonnegative; }
  override get mean() { return this.rate.reciprocal(); }
  override get mode() { return torch.zeros_like(this.rate); }
  override get stddev() { return this.rate.reciprocal(); }
  override get variance() { return this.rate.pow(-2); }
  override expand(batch_shape: readonly number[]): Exponential { return this._expandFields(["rate"], batch_shape); }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    return torch.empty(shape, { dtype: this.rate.dtype }).exponential_().div(this.rate);
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.rate.log().sub(this.rate.mul(value));
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return torch.rsub(torch.exp(this.rate.neg().mul(value)), 1);
  }
  override icdf(value: Tensor): Tensor { return value.rsub(1).log().neg().div(this.rate); }
  override entropy(): Tensor { return this.rate.log().rsub(1.0); }
}

export class Laplace extends Distribution {
  loc: Tensor; scale: Tensor;
  override has_rsample = true;
  constructor(loc: Scalar, scale: Scalar, opts: DistOpts = {}) {
    super();
    [this.loc, this.scale] = broadcast_all(loc, scale) as [Tensor, Tensor];
    this._init(isNum(loc) && isNum(scale) ? [] : this.loc.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.real; }
  override get mean() { return this.loc; }
  override get mode() { return this.loc; }
  override get variance() { return this.scale.pow(2).mul(2); }
  override get stddev() { return this.scale.mul(2 ** 0.5); }
  override expand(batch_shape: readonly number[]): Laplace { return this._expandFields(["loc", "scale"], batch_shape); }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const u = torch.empty(shape, { dtype: this.loc.dtype }).uniform_(finfo(this.loc.dtype).eps - 1, 1);
    return this.loc.sub(this.scale.mul(u.sign()).mul(u.abs().neg().log1p()));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.scale.mul(2).log().neg().sub(value.sub(this.loc).abs().div(this.scale));
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const d = value.sub(this.loc);
    return torch.rsub(d.sign().mul(0.5).mul(d.abs().neg().div(this.scale).expm1()), 0.5);
  }
  override icdf(value: Tensor): Tensor {
    const term = value.sub(0.5);
    return this.loc.sub(this.scale.mul(term.sign()).mul(term.abs().mul(-2).log1p()));
  }
  override entropy(): Tensor { return this.scale.mul(2).log().add(1); }
}

export class Poisson extends ExponentialFamily {
  rate: Tensor;
  constructor(rate: Scalar, opts: DistOpts = {}) {
    super();
    [this.rate] = broadcast_all(rate) as [Tensor];
    this._init(isNum(rate) ? [] : this.rate.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { rate: C.nonnegative }; }
  override get support(): C.Constraint { return C.nonnegative_integer; }
  override get mean() { return this.rate; }
  override get mode() { return this.rate.floor(); }
  override get variance() { return this.rate; }
  override expand(batch_shape: readonly number[]): Poisson { return this._expandFields(["rate"], batch_shape); }
  override sample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    return torch.no_grad(() => torch.poisson(this.rate.expand(shape)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const [rate, v] = broadcast_all(this.rate, value) as [Tensor, Tensor];
    return v.xlogy(rate).sub(rate).sub(v.add(1).lgamma());
  }
}

const clampByZero = (x: Tensor) => x.clamp(0).add(x).sub(x.clamp(null, 0)).div(2);

export class Binomial extends ProbsLogitsBase {
  protected readonly binary = true;
  override has_enumerate_support = true;
  total_count: Tensor;
  constructor(total_count: Scalar = 1, probs?: Scalar | null | ProbsLogits, logits?: Scalar | null | DistOpts, opts?: DistOpts) {
    super();
    const a = probsLogits(probs, logits, opts);
    if ((a.probs === null) === (a.logits === null)) throw new Error(EITHER);
    const [tc, p] = broadcast_all(total_count, (a.probs ?? a.logits)!) as [Tensor, Tensor];
    this.total_count = tc.to(p.dtype);
    if (a.probs !== null) this._probs = p; else this._logits = p;
    this._init(p.shape, [], a.validate_args);
  }
  override get arg_constraints() { return { total_count: C.nonnegative_integer, probs: C.unit_interval, logits: C.real }; }
  override get support(): C.Constraint { return C.integer_interval(0, this.total_count); }
  override get mean() { return this.total_count.mul(this.probs); }
  override get mode() { return this.total_count.add(1).mul(this.probs).floor().clamp(null, this.total_count); }
  override get variance() { return this.total_count.mul(this.probs).mul(this.probs.rsub(1)); }
  override expand(batch_shape: readonly number[]): Binomial {
    const n = this._newInstance();
    n.total_count = this.total_count.expand([...batch_shape]);
    this._expandParams(n, [...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    return torch.no_grad(() => torch.binomial(this.total_count.expand(shape), this.probs.expand(shape)));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const n = this.total_count, logits = this.logits;
    const lfn = torch.lgamma(n.add(1)), lfk = torch.lgamma(value.add(1)), lfnmk = torch.lgamma(n.sub(value).add(1));
    const norm = n.mul(clampByZero(logits)).add(n.mul(logits.abs().neg().exp().log1p())).sub(lfn);
    return value.mul(logits).sub(lfk).sub(lfnmk).sub(norm);
  }
  private _homogeneous(what: string): number {
    const tc = this.total_count.max().item() as number;
    if (Math.trunc(this.total_count.min().item() as number) !== Math.trunc(tc) || this.total_count.min().item() !== Math.trunc(tc)) {
      throw new Error(`Inhomogeneous total count not supported by \`${what}\`.`);
    }
    return Math.trunc(tc);
  }
  override entropy(): Tensor {
    this._homogeneous("entropy");
    const lp = this.log_prob(this.enumerate_support(false));
    return lp.exp().mul(lp).sum(0).neg();
  }
  override enumerate_support(expand = true): Tensor {
    const tc = this._homogeneous("enumerate_support");
    let values = torch.arange(1 + tc, { dtype: this._param.dtype }).view([-1, ...this._batch_shape.map(() => 1)]);
    if (expand) values = values.expand([-1, ...this._batch_shape]);
    return values;
  }
}

export class Independent extends Distribution {
  base_dist: Distribution;
  reinterpreted_batch_ndims: number;
  constructor(base_distribution: Distribution, reinterpreted_batch_ndims: number, opts: DistOpts = {}) {
    super();
    const bs = base_distribution.batch_shape;
    if (reinterpreted_batch_ndims > bs.length) {
      throw new Error(`Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), actual ${reinterpreted_batch_ndims} vs ${bs.length}`);
    }
    const shape = [...bs, ...base_distribution.event_shape];
    const eventDim = reinterpreted_batch_ndims + base_distribution.event_shape.length;
    this.base_dist = base_distribution;
    this.reinterpreted_batch_ndims = reinterpreted_batch_ndims;
    // PyTorch's properties, read from the base distribution; plain fields as in every other
    // family (a getter over the base class's field would not type-check in the published .d.ts)
    this.has_rsample = base_distribution.has_rsample;
    this.has_enumerate_support = reinterpreted_batch_ndims > 0 ? false : base_distribution.has_enumerate_support;
    this._init(shape.slice(0, shape.length - eventDim), shape.slice(shape.length - eventDim), opts.validate_args);
  }
  override get arg_constraints() { return {}; }
  override get support(): C.Constraint {
    const r = this.base_dist.support;
    return this.reinterpreted_batch_ndims ? C.independent(r, this.reinterpreted_batch_ndims) : r;
  }
  override get mean() { return this.base_dist.mean; }
  override get mode() { return this.base_dist.mode; }
  override get variance() { return this.base_dist.variance; }
  override expand(batch_shape: readonly number[]): Independent {
    const n = this._newInstance();
    n.base_dist = this.base_dist.expand([...batch_shape, ...this._event_shape.slice(0, this.reinterpreted_batch_ndims)]);
    n.reinterpreted_batch_ndims = this.reinterpreted_batch_ndims;
    this._finishExpand(n, batch_shape, this._event_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor { return this.base_dist.sample(sample_shape); }
  override rsample(sample_shape?: SampleShape): Tensor { return this.base_dist.rsample(sample_shape); }
  override log_prob(value: Tensor): Tensor { return sum_rightmost(this.base_dist.log_prob(value), this.reinterpreted_batch_ndims); }
  override entropy(): Tensor { return sum_rightmost(this.base_dist.entropy(), this.reinterpreted_batch_ndims); }
  override enumerate_support(expand = true): Tensor {
    if (this.reinterpreted_batch_ndims > 0) throw new Error("Enumeration over cartesian product is not implemented");
    return this.base_dist.enumerate_support(expand);
  }
  override toString(): string { return `Independent(${String(this.base_dist)}, ${this.reinterpreted_batch_ndims})`; }
}

export class Cauchy extends Distribution {
  loc: Tensor; scale: Tensor;
  override has_rsample = true;
  constructor(loc: Scalar, scale: Scalar, opts: DistOpts = {}) {
    super();
    [this.loc, this.scale] = broadcast_all(loc, scale) as [Tensor, Tensor];
    this._init(isNum(loc) && isNum(scale) ? [] : this.loc.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.real; }
  override get mean() { return torch.full(this._extended_shape(), NaN, { dtype: this.loc.dtype }); }
  override get mode() { return this.loc; }
  override get variance() { return torch.full(this._extended_shape(), Infinity, { dtype: this.loc.dtype }); }
  override expand(batch_shape: readonly number[]): Cauchy { return this._expandFields(["loc", "scale"], batch_shape); }
  override rsample(sample_shape?: SampleShape): Tensor {
    const eps = torch.empty(this._extended_shape(sample_shape), { dtype: this.loc.dtype }).cauchy_();
    return this.loc.add(eps.mul(this.scale));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.scale.log().rsub(-Math.log(Math.PI)).sub(value.sub(this.loc).div(this.scale).pow(2).log1p());
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return torch.atan(value.sub(this.loc).div(this.scale)).div(Math.PI).add(0.5);
  }
  override icdf(value: Tensor): Tensor { return torch.tan(value.sub(0.5).mul(Math.PI)).mul(this.scale).add(this.loc); }
  override entropy(): Tensor { return this.scale.log().add(Math.log(4 * Math.PI)); }
}

export class GeneralizedPareto extends Distribution {
  loc!: Tensor; scale!: Tensor; concentration!: Tensor;
  override has_rsample = true;
  constructor(loc: Scalar, scale: Scalar, concentration: Scalar, opts: DistOpts = {}) {
    super();
    [this.loc, this.scale, this.concentration] = broadcast_all(loc, scale, concentration) as [Tensor, Tensor, Tensor];
    this._init(isNum(loc) && isNum(scale) && isNum(concentration) ? [] : this.loc.shape, [], opts.validate_args);
  }
  override get arg_constraints() { return { loc: C.real, scale: C.positive, concentration: C.real }; }
  override get support(): C.Constraint {
    const lower = this.loc;
    return C.interval(lower, torch.where(this.concentration.lt(0), lower.sub(this.scale.div(this.concentration)), Infinity));
  }
  override expand(batch_shape: readonly number[]): GeneralizedPareto { return this._expandFields(["loc", "scale", "concentration"], batch_shape); }
  override rsample(sample_shape?: SampleShape): Tensor {
    return this.icdf(torch.rand(this._extended_shape(sample_shape), { dtype: this.loc.dtype }));
  }
  private _z(x: Tensor): Tensor { return x.sub(this.loc).div(this.scale); }
  /** (isclose(concentration, 0), the concentration with 1 where it is 0); 2.13 compares with a
   *  default-dtype 0, so float64 parameters meet isclose's dtype error there too. */
  private _safe(other: Tensor = torch.tensor(0.0)): [Tensor, Tensor] {
    const eqZero = torch.isclose(this.concentration, other);
    return [eqZero, torch.where(eqZero, torch.ones_like(this.concentration), this.concentration)];
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const z = this._z(value);
    const [eqZero, safe] = this._safe();
    const y = safe.reciprocal().add(torch.ones_like(z));
    const whereNonzero = torch.where(y.eq(0), y, y.mul(torch.log1p(safe.mul(z))));
    return this.scale.log().neg().sub(torch.where(eqZero, z, whereNonzero));
  }
  log_survival_function(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const z = this._z(value);
    const [eqZero, safe] = this._safe();
    return torch.where(eqZero, z.neg(), torch.log1p(safe.mul(z)).neg().div(safe));
  }
  log_cdf(value: Tensor): Tensor { return torch.log1p(torch.exp(this.log_survival_function(value)).neg()); }
  override cdf(value: Tensor): Tensor { return torch.exp(this.log_cdf(value)); }
  override icdf(value: Tensor): Tensor {
    const [eqZero, safe] = this._safe(torch.zeros_like(this.concentration));
    const logu = torch.log1p(value.neg());
    const whereNonzero = this.loc.add(this.scale.div(safe).mul(torch.expm1(safe.neg().mul(logu))));
    return torch.where(eqZero, this.loc.sub(this.scale.mul(logu)), whereNonzero);
  }
  override get mean() {
    const valid = this.concentration.lt(1);
    const safe = torch.where(valid, this.concentration, 0.5);
    return torch.where(valid, this.loc.add(this.scale.div(safe.rsub(1))), NaN);
  }
  override get variance() {
    const valid = this.concentration.lt(0.5);
    const safe = torch.where(valid, this.concentration, 0.25);
    return torch.where(valid, this.scale.pow(2).div(safe.rsub(1).pow(2).mul(safe.mul(2).rsub(1))), NaN);
  }
  override entropy(): Tensor { return torch.broadcast_to(torch.log(this.scale).add(this.concentration).add(1), this._batch_shape); }
  override get mode() { return this.loc; }
}

export class OneHotCategoricalStraightThrough extends OneHotCategorical {
  override has_rsample = true;
  /** A one-hot sample whose gradient is the probabilities' (the straight-through estimator). */
  override rsample(sample_shape?: SampleShape): Tensor {
    const samples = this.sample(sample_shape);
    const probs = this._categorical.probs;
    return samples.add(probs.sub(probs.detach()));
  }
}
