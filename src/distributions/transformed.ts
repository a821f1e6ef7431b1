// torch.distributions.TransformedDistribution (transformed_distribution.py) and the families
// PyTorch builds on it: LogNormal, Gumbel, HalfNormal, HalfCauchy, Weibull, Pareto, Kumaraswamy.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, broadcast_all, finfo, sum_rightmost, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";
import { Normal, Exponential, Uniform, Independent, Cauchy } from "./families.js";
import { Gamma } from "./gamma.js";
import { Transform, ComposeTransform, ExpTransform, AffineTransform, AbsTransform, PowerTransform, StickBreakingTransform, mulSign } from "./transforms.js";

const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const isNum = (x: unknown): x is number => typeof x === "number";
export const euler_constant = 0.5772156649015329;

export class TransformedDistribution extends Distribution {
  base_dist!: Distribution;
  transforms!: Transform[];
  constructor(base_distribution: Distribution, transforms: Transform | Transform[], opts: DistOpts = {}) {
    super();
    if (transforms instanceof Transform) this.transforms = [transforms];
    else if (Array.isArray(transforms)) {
      if (!transforms.every((t) => t instanceof Transform)) throw new Error("transforms must be a Transform or a list of Transforms");
      this.transforms = transforms;
    } else throw new Error(`transforms must be a Transform or list, but was ${String(transforms)}`);
    const baseShape = [...base_distribution.batch_shape, ...base_distribution.event_shape];
    const baseEventDim = base_distribution.event_shape.length;
    const transform = new ComposeTransform(this.transforms);
    const domainEventDim = transform.domain.event_dim;
    if (baseShape.length < domainEventDim) {
      throw new Error(`base_distribution needs to have shape with size at least ${domainEventDim}, but got ${tupleOf(baseShape)}.`);
    }
    const forwardShape = transform.forward_shape(baseShape);
    const expandedBaseShape = transform.inverse_shape(forwardShape);
    if (!sameShape(baseShape, expandedBaseShape)) {
      base_distribution = base_distribution.expand(expandedBaseShape.slice(0, expandedBaseShape.length - baseEventDim));
    }
    const reinterpreted = domainEventDim - baseEventDim;
    if (reinterpreted > 0) base_distribution = new Independent(base_distribution, reinterpreted);
    this.base_dist = base_distribution;
    this.has_rsample = base_distribution.has_rsample;
    const codomainEventDim = transform.codomain.event_dim;
    const eventDim = Math.max(codomainEventDim, baseEventDim + codomainEventDim - domainEventDim);
    const cut = forwardShape.length - eventDim;
    this._init(forwardShape.slice(0, cut), forwardShape.slice(cut), opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return {}; }
  override get support(): C.Constraint {
    if (!this.transforms.length) return this.base_dist.support;
    let support = this.transforms[this.transforms.length - 1]!.codomain;
    if (this._event_shape.length > support.event_dim) support = C.independent(support, this._event_shape.length - support.event_dim);
    return support;
  }
  /** The subclass's own parameters, expanded into `n` (the fields its Python expand sets). */
  protected _expandOwn(_n: this, _batch_shape: number[]): void { /* none here */ }
  override expand(batch_shape: readonly number[]): TransformedDistribution {
    const n = this._newInstance();
    this._expandOwn(n, [...batch_shape]);
    let shape = [...batch_shape, ...this._event_shape];
    for (const t of [...this.transforms].reverse()) shape = t.inverse_shape(shape);
    n.base_dist = this.base_dist.expand(shape.slice(0, shape.length - this.base_dist.event_shape.length));
    n.transforms = this.transforms;
    this._finishExpand(n, batch_shape);
    return n;
  }
  override sample(sample_shape?: SampleShape): Tensor {
    return torch.no_grad(() => {
      let x = this.base_dist.sample(sample_shape);
      for (const t of this.transforms) x = t.call(x);
      return x;
    });
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    let x = this.base_dist.rsample(sample_shape);
    for (const t of this.transforms) x = t.call(x);
    return x;
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    let eventDim = this._event_shape.length;
    let logProb: Tensor | null = null; // (0.0 until the first term)
    let y = value;
    for (const t of [...this.transforms].reverse()) {
      const x = t.inv.call(y);
      eventDim += t.domain.event_dim - t.codomain.event_dim;
      const term = sum_rightmost(t.log_abs_det_jacobian(x, y), eventDim - t.domain.event_dim);
      logProb = logProb === null ? term.rsub(0.0) : logProb.sub(term);
      y = x;
    }
    const base = sum_rightmost(this.base_dist.log_prob(y), eventDim - this.base_dist.event_shape.length);
    return logProb === null ? base.add(0.0) : logProb.add(base);
  }
  /** _monotonize_cdf: the cdf of a decreasing composition is 1 - cdf. */
  private _monotonize(value: Tensor): Tensor {
    let sign: number | Tensor = 1;
    for (const t of this.transforms) sign = mulSign(sign, t.sign);
    if (sign === 1) return value;
    return value.sub(0.5).mul(sign).add(0.5);
  }
  override cdf(value: Tensor): Tensor {
    for (const t of [...this.transforms].reverse()) value = t.inv.call(value);
    if (this._validate_args) this.base_dist._validate_sample(value);
    return this._monotonize(this.base_dist.cdf(value));
  }
  override icdf(value: Tensor): Tensor {
    value = this.base_dist.icdf(this._monotonize(value));
    for (const t of this.transforms) value = t.call(value);
    return value;
  }
}
const tupleOf = (s: readonly number[]) => `torch.Size([${s.join(", ")}])`;

export class LogNormal extends TransformedDistribution {
  declare base_dist: Normal;
  override has_rsample = true;
  constructor(loc: Scalar, scale: Scalar, opts: DistOpts = {}) {
    super(new Normal(loc, scale, opts), new ExpTransform(), opts);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.positive; }
  get loc(): Tensor { return this.base_dist.loc; }
  get scale(): Tensor { return this.base_dist.scale; }
  override get mean() { return this.loc.add(this.scale.pow(2).div(2)).exp(); }
  override get mode() { return this.loc.sub(this.scale.square()).exp(); }
  override get variance() {
    const s2 = this.scale.pow(2);
    return s2.expm1().mul(this.loc.mul(2).add(s2).exp());
  }
  override entropy(): Tensor { return this.base_dist.entropy().add(this.loc); }
}

export class Gumbel extends TransformedDistribution {
  loc!: Tensor; scale!: Tensor;
  constructor(loc: Scalar, scale: Scalar, opts: DistOpts = {}) {
    const [l, s] = broadcast_all(loc, scale) as [Tensor, Tensor];
    const fi = finfo(l.dtype);
    const base = isNum(loc) && isNum(scale)
      ? new Uniform(fi.tiny, 1 - fi.eps, opts)
      : new Uniform(torch.full_like(l, fi.tiny), torch.full_like(l, 1 - fi.eps), opts);
    super(base, [new ExpTransform().inv, new AffineTransform(0, torch.ones_like(s).neg()), new ExpTransform().inv, new AffineTransform(loc, s.neg())], opts);
    // (Python sets loc and scale before its base __init__ validates them: validated again here)
    this.loc = l;
    this.scale = s;
    this._init(this._batch_shape, this._event_shape, opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.real; }
  protected override _expandOwn(n: this, batch_shape: number[]): void {
    n.loc = this.loc.expand(batch_shape);
    n.scale = this.scale.expand(batch_shape);
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const y = this.loc.sub(value).div(this.scale);
    return y.sub(y.exp()).sub(this.scale.log());
  }
  override get mean() { return this.loc.add(this.scale.mul(euler_constant)); }
  override get mode() { return this.loc; }
  override get stddev() { return this.scale.mul(Math.PI / Math.sqrt(6)); }
  override get variance() { return this.stddev.pow(2); }
  override entropy(): Tensor { return this.scale.log().add(1 + euler_constant); }
}

/** |X| for X symmetric about 0 (HalfNormal, HalfCauchy): the density and cdf doubled on x >= 0. */
abstract class HalfSymmetric<B extends Normal | Cauchy> extends TransformedDistribution {
  declare base_dist: B;
  override has_rsample = true;
  override get arg_constraints(): Record<string, C.Constraint> { return { scale: C.positive }; }
  override get support(): C.Constraint { return C.nonnegative; }
  get scale(): Tensor { return this.base_dist.scale; }
  override get mode() { return torch.zeros_like(this.scale); }
  /** The value as log_prob takes it (HalfCauchy's is cast to the scale's dtype first). */
  protected _value(value: Tensor): Tensor { return value; }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const v = this._value(value);
    return torch.where(v.ge(0), this.base_dist.log_prob(v).add(Math.log(2)), -Infinity);
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.base_dist.cdf(value).mul(2).sub(1);
  }
  override icdf(prob: Tensor): Tensor { return this.base_dist.icdf(prob.add(1).div(2)); }
  override entropy(): Tensor { return this.base_dist.entropy().sub(Math.log(2)); }
}

export class HalfNormal extends HalfSymmetric<Normal> {
  constructor(scale: Scalar, opts: DistOpts = {}) {
    super(new Normal(0, scale, { validate_args: false }), new AbsTransform(), opts);
  }
  override get mean() { return this.scale.mul(Math.sqrt(2 / Math.PI)); }
  override get variance() { return this.scale.pow(2).mul(1 - 2 / Math.PI); }
}

export class HalfCauchy extends HalfSymmetric<Cauchy> {
  constructor(scale: Scalar, opts: DistOpts = {}) {
    super(new Cauchy(0, scale, { validate_args: false }), new AbsTransform(), opts);
  }
  override get mean() { return torch.full(this._extended_shape(), Infinity, { dtype: this.scale.dtype }); }
  override get variance() { return this.base_dist.variance; }
  protected override _value(value: Tensor): Tensor { return value.to(this.base_dist.scale.dtype); }
}

export class Weibull extends TransformedDistribution {
  scale!: Tensor; concentration!: Tensor; concentration_reciprocal!: Tensor;
  constructor(scale: Scalar, concentration: Scalar, opts: DistOpts = {}) {
    const [s, c] = broadcast_all(scale, concentration) as [Tensor, Tensor];
    const cr = c.reciprocal();
    super(new Exponential(torch.ones_like(s), opts), [new PowerTransform(cr), new AffineTransform(0, s)], opts);
    this.scale = s;
    this.concentration = c;
    this.concentration_reciprocal = cr;
    this._init(this._batch_shape, this._event_shape, opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { scale: C.positive, concentration: C.positive }; }
  override get support(): C.Constraint { return C.positive; }
  override expand(batch_shape: readonly number[]): Weibull {
    const n = this._newInstance();
    n.scale = this.scale.expand([...batch_shape]);
    n.concentration = this.concentration.expand([...batch_shape]);
    n.concentration_reciprocal = n.concentration.reciprocal();
    n.base_dist = this.base_dist.expand(batch_shape);
    n.transforms = [new PowerTransform(n.concentration_reciprocal), new AffineTransform(0, n.scale)];
    this._finishExpand(n, batch_shape);
    return n;
  }
  override get mean() { return this.scale.mul(torch.exp(torch.lgamma(this.concentration_reciprocal.add(1)))); }
  override get mode() {
    return this.scale.mul(this.concentration.sub(1).div(this.concentration).pow(this.concentration.reciprocal()));
  }
  override get variance() {
    const cr = this.concentration_reciprocal;
    return this.scale.pow(2).mul(torch.exp(torch.lgamma(cr.mul(2).add(1))).sub(torch.exp(torch.lgamma(cr.add(1)).mul(2))));
  }
  override entropy(): Tensor {
    const cr = this.concentration_reciprocal;
    return cr.rsub(1).mul(euler_constant).add(torch.log(this.scale.mul(cr))).add(1);
  }
}

export class Pareto extends TransformedDistribution {
  scale!: Tensor; alpha!: Tensor;
  constructor(scale: Scalar, alpha: Scalar, opts: DistOpts = {}) {
    const [s, a] = broadcast_all(scale, alpha) as [Tensor, Tensor];
    super(new Exponential(a, opts), [new ExpTransform(), new AffineTransform(0, s)], opts);
    this.scale = s;
    this.alpha = a;
    this._init(this._batch_shape, this._event_shape, opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { alpha: C.positive, scale: C.positive }; }
  override get support(): C.Constraint { return C.greater_than_eq(this.scale); }
  protected override _expandOwn(n: this, batch_shape: number[]): void {
    n.scale = this.scale.expand(batch_shape);
    n.alpha = this.alpha.expand(batch_shape);
  }
  override get mean() { const a = this.alpha.clamp(1); return a.mul(this.scale).div(a.sub(1)); }
  override get mode() { return this.scale; }
  override get variance() {
    const a = this.alpha.clamp(2);
    return this.scale.pow(2).mul(a).div(a.sub(1).pow(2).mul(a.sub(2)));
  }
  override entropy(): Tensor { return this.scale.div(this.alpha).log().add(this.alpha.reciprocal().add(1)); }
}

/** Kumaraswamy's _moments(a, b, n): b B(1 + n/a, b). */
function kumaraswamyMoments(a: Tensor, b: Tensor, n: number): Tensor {
  const arg1 = a.reciprocal().mul(n).add(1);
  const logValue = torch.lgamma(arg1).add(torch.lgamma(b)).sub(torch.lgamma(arg1.add(b)));
  return b.mul(torch.exp(logValue));
}

export class Kumaraswamy extends TransformedDistribution {
  override has_rsample = true;
  concentration1!: Tensor; concentration0!: Tensor;
  constructor(concentration1: Scalar, concentration0: Scalar, opts: DistOpts = {}) {
    const [c1, c0] = broadcast_all(concentration1, concentration0) as [Tensor, Tensor];
    const base = new Uniform(torch.full_like(c0, 0), torch.full_like(c0, 1), opts);
    super(base, [new PowerTransform(c0.reciprocal()), new AffineTransform(1.0, -1.0), new PowerTransform(c1.reciprocal())], opts);
    this.concentration1 = c1;
    this.concentration0 = c0;
    this._init(this._batch_shape, this._event_shape, opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { concentration1: C.positive, concentration0: C.positive }; }
  override get support(): C.Constraint { return C.unit_interval; }
  protected override _expandOwn(n: this, batch_shape: number[]): void {
    n.concentration1 = this.concentration1.expand(batch_shape);
    n.concentration0 = this.concentration0.expand(batch_shape);
  }
  override get mean() { return kumaraswamyMoments(this.concentration1, this.concentration0, 1); }
  override get mode() {
    const c0 = this.concentration0, c1 = this.concentration1;
    const logMode = c0.reciprocal().mul(c0.neg().log1p()).sub(c0.neg().mul(c1).log1p());
    return torch.where(c0.lt(1).logical_or(c1.lt(1)), NaN, logMode).exp();
  }
  override get variance() { return kumaraswamyMoments(this.concentration1, this.concentration0, 2).sub(torch.pow(this.mean, 2)); }
  override entropy(): Tensor {
    const t1 = this.concentration1.reciprocal().rsub(1);
    const t0 = this.concentration0.reciprocal().rsub(1);
    const H0 = torch.digamma(this.concentration0.add(1)).add(euler_constant);
    return t0.add(t1.mul(H0)).sub(torch.log(this.concentration1)).sub(torch.log(this.concentration0));
  }
}

export class InverseGamma extends TransformedDistribution {
  declare base_dist: Gamma;
  override has_rsample = true;
  constructor(concentration: Scalar, rate: Scalar, opts: DistOpts = {}) {
    const base = new Gamma(concentration, rate, opts);
    super(base, new PowerTransform(torch.ones([], { dtype: base.rate.dtype }).neg()), opts);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { concentration: C.positive, rate: C.positive }; }
  override get support(): C.Constraint { return C.positive; }
  get concentration(): Tensor { return this.base_dist.concentration; }
  get rate(): Tensor { return this.base_dist.rate; }
  override get mean() { return torch.where(this.concentration.gt(1), this.rate.div(this.concentration.sub(1)), Infinity); }
  override get mode() { return this.rate.div(this.concentration.add(1)); }
  override get variance() {
    const result = this.rate.square().div(this.concentration.sub(1).square().mul(this.concentration.sub(2)));
    return torch.where(this.concentration.gt(2), result, Infinity);
  }
  override entropy(): Tensor {
    const c = this.concentration;
    return c.add(this.rate.log()).add(c.lgamma()).sub(c.add(1).mul(c.digamma()));
  }
}

export class LogisticNormal extends TransformedDistribution {
  declare base_dist: Independent;
  override has_rsample = true;
  constructor(loc: Scalar, scale: Scalar, opts: DistOpts = {}) {
    let base: Normal = new Normal(loc, scale, opts);
    if (!base.batch_shape.length) base = base.expand([1]);
    super(base, new StickBreakingTransform(), opts);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.simplex; }
  get loc(): Tensor { return (this.base_dist.base_dist as Normal).loc; }
  get scale(): Tensor { return (this.base_dist.base_dist as Normal).scale; }
}
