// The gamma family of torch.distributions (gamma.py, beta.py, dirichlet.py, chi2.py): samples
// through torch._standard_gamma / torch._sample_dirichlet (ATen's CPU samplers, draw for draw) and
// gradients through their reparameterized-gradient ops (ops/distribution_ops.ts).

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import { record } from "../autograd/record.js";
import * as C from "./constraints.js";
import { Distribution, ExponentialFamily, broadcast_all, finfo, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";

const isNum = (x: unknown): x is number => typeof x === "number";
/** torch.as_tensor(value, dtype=like.dtype): numbers become tensors of the parameters' dtype. */
const asValue = (v: Tensor | number, like: Tensor) => (v instanceof Tensor ? v.to(like.dtype) : torch.tensor(v, { dtype: like.dtype }));

export class Gamma extends ExponentialFamily {
  concentration!: Tensor; rate!: Tensor;
  override has_rsample = true;
  constructor(concentration: Scalar, rate: Scalar, opts: DistOpts = {}) {
    super();
    [this.concentration, this.rate] = broadcast_all(concentration, rate) as [Tensor, Tensor];
    this._init(isNum(concentration) && isNum(rate) ? [] : this.concentration.shape, [], opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { concentration: C.positive, rate: C.positive }; }
  override get support(): C.Constraint { return C.nonnegative; }
  override get mean() { return this.concentration.div(this.rate); }
  override get mode() { return this.concentration.sub(1).div(this.rate).clamp(0); }
  override get variance() { return this.concentration.div(this.rate.pow(2)); }
  override expand(batch_shape: readonly number[]): Gamma { return this._expandFields(["concentration", "rate"], batch_shape); }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const value = torch._standard_gamma(this.concentration.expand(shape)).div(this.rate.expand(shape));
    value.detach().clamp_(finfo(value.dtype).tiny); // (not recorded in the graph)
    return value;
  }
  override log_prob(value: Tensor | number): Tensor {
    const v = asValue(value, this.rate);
    if (this._validate_args) this._validate_sample(v);
    return torch.xlogy(this.concentration, this.rate).add(torch.xlogy(this.concentration.sub(1), v))
      .sub(this.rate.mul(v)).sub(torch.lgamma(this.concentration));
  }
  override cdf(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return torch.special.gammainc(this.concentration, this.rate.mul(value));
  }
  override entropy(): Tensor {
    const a = this.concentration;
    return a.sub(torch.log(this.rate)).add(torch.lgamma(a)).add(a.rsub(1.0).mul(torch.digamma(a)));
  }
}

export class Chi2 extends Gamma {
  constructor(df: Scalar, opts: DistOpts = {}) {
    super(isNum(df) ? 0.5 * df : df.mul(0.5), 0.5, opts);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { df: C.positive }; }
  get df(): Tensor { return this.concentration.mul(2); }
  override expand(batch_shape: readonly number[]): Chi2 { return super.expand(batch_shape) as Chi2; }
}

/** _Dirichlet_backward: the reparameterized gradient of each sample through its Beta marginal. */
function dirichletBackward(x: Tensor, concentration: Tensor, grad_output: Tensor): Tensor {
  const total = concentration.sum(-1, true).expand_as(concentration);
  const grad = torch._dirichlet_grad(x, concentration, total);
  return grad.mul(grad_output.sub(x.mul(grad_output).sum(-1, true)));
}

export class Dirichlet extends ExponentialFamily {
  concentration!: Tensor;
  override has_rsample = true;
  constructor(concentration: Tensor, opts: DistOpts = {}) {
    super();
    if (concentration.ndim < 1) throw new Error("`concentration` parameter must be at least one-dimensional.");
    this.concentration = concentration;
    this._init(concentration.shape.slice(0, -1), concentration.shape.slice(-1), opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { concentration: C.independent(C.positive, 1) }; }
  override get support(): C.Constraint { return C.simplex; }
  override expand(batch_shape: readonly number[]): Dirichlet {
    const n = this._newInstance();
    n.concentration = this.concentration.expand([...batch_shape, ...this._event_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  /** _Dirichlet.apply: a custom Function whose backward is once differentiable. */
  override rsample(sample_shape?: SampleShape): Tensor {
    const concentration = this.concentration.expand(this._extended_shape(sample_shape));
    const x = torch.no_grad(() => torch._sample_dirichlet(concentration));
    return record("_DirichletBackward", [concentration], x,
      ([g], [xs, c]) => [torch.no_grad(() => dirichletBackward(xs!, c!, g!))], [x, concentration]);
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const a = this.concentration;
    return torch.xlogy(a.sub(1.0), value).sum(-1).add(torch.lgamma(a.sum(-1))).sub(torch.lgamma(a).sum(-1));
  }
  override get mean() { return this.concentration.div(this.concentration.sum(-1, true)); }
  override get mode() {
    const cm1 = this.concentration.sub(1).clamp(0.0);
    const mode = cm1.div(cm1.sum(-1, true));
    // mode[mask] = one_hot(mode[mask].argmax(-1)): rows where every concentration is below 1
    const mask = this.concentration.lt(1).all(-1).unsqueeze(-1);
    const k = cm1.shape[cm1.ndim - 1]!;
    return torch.where(mask, torch.nn.functional.one_hot(mode.detach().argmax(-1), k).to(mode.dtype), mode);
  }
  override get variance() {
    const a = this.concentration, con0 = a.sum(-1, true);
    return a.mul(con0.sub(a)).div(con0.pow(2).mul(con0.add(1)));
  }
  override entropy(): Tensor {
    const a = this.concentration, k = a.shape[a.ndim - 1]!, a0 = a.sum(-1);
    return torch.lgamma(a).sum(-1).sub(torch.lgamma(a0)).sub(a0.rsub(k).mul(torch.digamma(a0)))
      .sub(a.sub(1.0).mul(torch.digamma(a)).sum(-1));
  }
}

export class Beta extends ExponentialFamily {
  _dirichlet!: Dirichlet;
  override has_rsample = true;
  constructor(concentration1: Scalar, concentration0: Scalar, opts: DistOpts = {}) {
    super();
    let both: Tensor;
    if (isNum(concentration1) && isNum(concentration0)) both = torch.tensor([concentration1, concentration0]);
    else {
      const [c1, c0] = broadcast_all(concentration1, concentration0) as [Tensor, Tensor];
      both = torch.stack([c1, c0], -1);
    }
    this._dirichlet = new Dirichlet(both, opts);
    this._init(this._dirichlet.batch_shape, [], opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { concentration1: C.positive, concentration0: C.positive }; }
  override get support(): C.Constraint { return C.unit_interval; }
  get concentration1(): Tensor { return this._dirichlet.concentration.select(-1, 0); }
  get concentration0(): Tensor { return this._dirichlet.concentration.select(-1, 1); }
  override expand(batch_shape: readonly number[]): Beta {
    const n = this._newInstance();
    n._dirichlet = this._dirichlet.expand(batch_shape);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override get mean() { return this.concentration1.div(this.concentration1.add(this.concentration0)); }
  override get mode() { return this._dirichlet.mode.select(-1, 0); }
  override get variance() {
    const total = this.concentration1.add(this.concentration0);
    return this.concentration1.mul(this.concentration0).div(total.pow(2).mul(total.add(1)));
  }
  override rsample(sample_shape?: SampleShape): Tensor { return this._dirichlet.rsample(sample_shape).select(-1, 0); }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this._dirichlet.log_prob(torch.stack([value, value.rsub(1.0)], -1));
  }
  override entropy(): Tensor { return this._dirichlet.entropy(); }
}

const LGAMMA_HALF = 0.5723649429247004; // math.lgamma(0.5)

export interface StudentTOpts extends DistOpts { loc?: Scalar; scale?: Scalar }
export class StudentT extends Distribution {
  df!: Tensor; loc!: Tensor; scale!: Tensor;
  _chi2!: Chi2;
  override has_rsample = true;
  constructor(df: Scalar, loc: Scalar | StudentTOpts = 0.0, scale: Scalar | StudentTOpts = 1.0, opts: DistOpts = {}) {
    super();
    let o: StudentTOpts = opts;
    if (!(loc instanceof Tensor) && typeof loc === "object") { o = loc; loc = o.loc ?? 0.0; scale = o.scale ?? 1.0; }
    else if (!(scale instanceof Tensor) && typeof scale === "object") { o = scale; scale = o.scale ?? 1.0; }
    [this.df, this.loc, this.scale] = broadcast_all(df, loc, scale as Scalar) as [Tensor, Tensor, Tensor];
    this._chi2 = new Chi2(this.df);
    this._init(this.df.shape, [], o.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { df: C.positive, loc: C.real, scale: C.positive }; }
  override get support(): C.Constraint { return C.real; }
  override get mean() { return torch.where(this.df.le(1), NaN, this.loc.clone()); }
  override get mode() { return this.loc; }
  override get variance() {
    const df = this.df, big = df.gt(2);
    // m[df > 2] = scale^2 df / (df - 2), computed where df > 2 only (no 0/0 in the others' gradients)
    const dfs = torch.where(big, df, 3);
    const v = torch.where(big, this.scale, 1).pow(2).mul(dfs).div(dfs.sub(2));
    return torch.where(big, v, torch.where(df.le(2).logical_and(df.gt(1)), Infinity, torch.where(df.le(1), NaN, df.clone())));
  }
  override expand(batch_shape: readonly number[]): StudentT {
    const n = this._newInstance();
    n.df = this.df.expand([...batch_shape]);
    n.loc = this.loc.expand([...batch_shape]);
    n.scale = this.scale.expand([...batch_shape]);
    n._chi2 = this._chi2.expand(batch_shape);
    this._finishExpand(n, batch_shape);
    return n;
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const X = torch.empty(this._extended_shape(sample_shape), { dtype: this.df.dtype }).normal_();
    const Z = this._chi2.rsample(sample_shape);
    const Y = X.mul(torch.rsqrt(Z.div(this.df)));
    return this.loc.add(this.scale.mul(Y));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const df = this.df;
    const y = value.sub(this.loc).div(this.scale);
    const Z = this.scale.log().add(df.log().mul(0.5)).add(0.5 * Math.log(Math.PI))
      .add(torch.lgamma(df.mul(0.5))).sub(torch.lgamma(df.add(1.0).mul(0.5)));
    return df.add(1.0).mul(-0.5).mul(torch.log1p(y.pow(2.0).div(df))).sub(Z);
  }
  override entropy(): Tensor {
    const df = this.df;
    const lbeta = torch.lgamma(df.mul(0.5)).add(LGAMMA_HALF).sub(torch.lgamma(df.add(1).mul(0.5)));
    return this.scale.log()
      .add(df.add(1).mul(0.5).mul(torch.digamma(df.add(1).mul(0.5)).sub(torch.digamma(df.mul(0.5)))))
      .add(df.log().mul(0.5)).add(lbeta);
  }
}

export class FisherSnedecor extends Distribution {
  df1!: Tensor; df2!: Tensor;
  _gamma1!: Gamma; _gamma2!: Gamma;
  override has_rsample = true;
  constructor(df1: Scalar, df2: Scalar, opts: DistOpts = {}) {
    super();
    [this.df1, this.df2] = broadcast_all(df1, df2) as [Tensor, Tensor];
    this._gamma1 = new Gamma(this.df1.mul(0.5), this.df1);
    this._gamma2 = new Gamma(this.df2.mul(0.5), this.df2);
    this._init(isNum(df1) && isNum(df2) ? [] : this.df1.shape, [], opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { df1: C.positive, df2: C.positive }; }
  override get support(): C.Constraint { return C.positive; }
  override expand(batch_shape: readonly number[]): FisherSnedecor {
    const n = this._expandFields(["df1", "df2"], batch_shape);
    n._gamma1 = this._gamma1.expand(batch_shape);
    n._gamma2 = this._gamma2.expand(batch_shape);
    return n;
  }
  override get mean() {
    const df2 = torch.where(this.df2.le(2), NaN, this.df2.clone());
    return df2.div(df2.sub(2));
  }
  override get mode() {
    const mode = this.df1.sub(2).div(this.df1).mul(this.df2).div(this.df2.add(2));
    return torch.where(this.df1.le(2), NaN, mode);
  }
  override get variance() {
    const df2 = torch.where(this.df2.le(4), NaN, this.df2.clone());
    return df2.pow(2).mul(2).mul(this.df1.add(df2).sub(2)).div(this.df1.mul(df2.sub(2).pow(2)).mul(df2.sub(4)));
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const X1 = this._gamma1.rsample(sample_shape).view(shape);
    const tiny = finfo(X1.dtype).tiny;
    // (X2.clamp_ and Y.clamp_ of a graph's tensors: recorded, as out-of-place clamps)
    const X2 = this._gamma2.rsample(sample_shape).view(shape).clamp(tiny);
    return X1.div(X2).clamp(tiny);
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const ct1 = this.df1.mul(0.5), ct2 = this.df2.mul(0.5), ct3 = this.df1.div(this.df2);
    const t1 = ct1.add(ct2).lgamma().sub(ct1.lgamma()).sub(ct2.lgamma());
    const t2 = ct1.mul(ct3.log()).add(ct1.sub(1).mul(torch.log(value)));
    const t3 = ct1.add(ct2).mul(torch.log1p(ct3.mul(value)));
    return t1.add(t2).sub(t3);
  }
}
