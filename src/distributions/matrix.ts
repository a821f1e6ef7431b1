// The matrix-valued families of torch.distributions: LKJCholesky (lkj_cholesky.py) and Wishart
// (wishart.py).

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, ExponentialFamily, broadcast_all, finfo, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";
import { Beta, Chi2 } from "./gamma.js";
import { _precision_to_scale_tril, type MVNOpts } from "./multivariate_normal.js";
import { pyFormat } from "./constraints.js";
import { vec_to_tril_matrix } from "./transforms.js";

const LOG_2 = Math.log(2);
const asShape = (s?: SampleShape) => (s === undefined ? [] : typeof s === "number" ? [s] : [...s]);

export class LKJCholesky extends Distribution {
  dim: number;
  concentration: Tensor;
  _beta: Beta;
  constructor(dim: number, concentration: Scalar = 1.0, opts: DistOpts = {}) {
    super();
    if (dim < 2) throw new Error(`Expected dim to be an integer greater than or equal to 2. Found dim=${dim}.`);
    this.dim = dim;
    [this.concentration] = broadcast_all(concentration) as [Tensor];
    const marginalConc = this.concentration.add(0.5 * (dim - 2));
    let offset = torch.arange(dim - 1, { dtype: this.concentration.dtype });
    offset = torch.cat([torch.zeros(1, { dtype: offset.dtype }), offset]);
    this._beta = new Beta(offset.add(0.5), marginalConc.unsqueeze(-1).sub(offset.mul(0.5)));
    this._init(this.concentration.shape, [dim, dim], opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { concentration: C.positive }; }
  override get support(): C.Constraint { return C.corr_cholesky; }
  override expand(batch_shape: readonly number[]): LKJCholesky {
    const n = this._newInstance();
    n.dim = this.dim;
    n.concentration = this.concentration.expand([...batch_shape]);
    n._beta = this._beta.expand([...batch_shape, this.dim]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  /** The onion method (Ghosh and Henderson; Lewandowski, Kurowicka and Joe). */
  override sample(sample_shape?: SampleShape): Tensor {
    return torch.no_grad(() => {
      const y = this._beta.sample(sample_shape).unsqueeze(-1);
      const uNormal = torch.randn(this._extended_shape(sample_shape), { dtype: y.dtype }).tril(-1);
      const rows = this.dim;
      // u_hypersphere[..., 0, :] = 0 (its norm is 0: 0/0)
      const firstRow = torch.arange(rows).eq(0).unsqueeze(-1);
      const uHypersphere = torch.where(firstRow, 0, uNormal.div(torch.linalg.vector_norm(uNormal, 2, -1, true)));
      const w = torch.sqrt(y).mul(uHypersphere);
      const diagElems = torch.clamp(torch.sum(w.pow(2), -1).rsub(1), finfo(w.dtype).tiny).sqrt();
      return w.add(torch.diag_embed(diagElems));
    });
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const diagElems = value.diagonal(0, -1, -2).narrow(-1, 1, this.dim - 1);
    const order = this.concentration.sub(1).unsqueeze(-1).mul(2).add(this.dim).sub(torch.arange(2, this.dim + 1));
    const unnormalized = torch.sum(order.mul(diagElems.log()), -1);
    const dm1 = this.dim - 1;
    const alpha = this.concentration.add(0.5 * dm1);
    const denominator = torch.lgamma(alpha).mul(dm1);
    const numerator = torch.mvlgamma(alpha.sub(0.5), dm1);
    const normalizeTerm = numerator.add(0.5 * dm1 * Math.log(Math.PI)).sub(denominator);
    return unnormalized.sub(normalizeTerm);
  }
}

/** _mvdigamma: the multivariate digamma function, Σ_j digamma(x − j/2). */
function mvdigamma(x: Tensor, p: number): Tensor {
  if (!x.gt((p - 1) / 2).all().item()) throw new Error("Wrong domain for multivariate digamma function.");
  return torch.digamma(x.unsqueeze(-1).sub(torch.arange(p, { dtype: x.dtype }).div(2).expand([...x.shape, -1]))).sum(-1);
}

export class Wishart extends ExponentialFamily {
  df: Tensor;
  _unbroadcasted_scale_tril!: Tensor;
  _covariance_matrix?: Tensor; _precision_matrix?: Tensor; _scale_tril?: Tensor;
  _batch_dims: number[];
  _dist_chi2: Chi2;
  override has_rsample = true;
  /** Wishart(df, covariance_matrix?, precision_matrix?, scale_tril?, {validate_args}), the
   *  matrices positional or in the options object. */
  constructor(df: Scalar, covariance_matrix?: Tensor | null | MVNOpts, precision_matrix?: Tensor | null | MVNOpts,
    scale_tril?: Tensor | null | MVNOpts, opts?: MVNOpts) {
    super();
    const pos = [covariance_matrix, precision_matrix, scale_tril, opts];
    const isOpts = (x: unknown): x is MVNOpts => x !== null && x !== undefined && !(x instanceof Tensor) && typeof x === "object";
    const k = pos.findIndex(isOpts);
    const o: MVNOpts = k >= 0 ? (pos[k] as MVNOpts) : {};
    const at = (i: number, name: keyof MVNOpts): Tensor | null =>
      ((k >= 0 && i >= k ? undefined : (pos[i] as Tensor | null | undefined)) ?? (o[name] as Tensor | null | undefined)) ?? null;
    const cov = at(0, "covariance_matrix"), prec = at(1, "precision_matrix"), tril = at(2, "scale_tril");
    if ((cov !== null ? 1 : 0) + (tril !== null ? 1 : 0) + (prec !== null ? 1 : 0) !== 1) {
      throw new Error("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.");
    }
    const param = (cov ?? prec ?? tril)!;
    if (param.ndim < 2) throw new Error("scale_tril must be at least two-dimensional, with optional leading batch dimensions");
    let batch_shape: number[];
    if (typeof df === "number") {
      batch_shape = param.shape.slice(0, -2);
      this.df = torch.tensor(df, { dtype: param.dtype });
    } else {
      batch_shape = torch.broadcast_shapes(param.shape.slice(0, -2), df.shape);
      this.df = df.expand(batch_shape);
    }
    const event_shape = param.shape.slice(-2);
    const p = event_shape[1]!;
    if (this.df.le(p - 1).any().item()) {
      throw new Error(`Value of df=${typeof df === "number" ? pyFormat(df, true) : String(df)} expected to be greater than ndim - 1 = ${p - 1}.`);
    }
    if (tril !== null) this._scale_tril = param.expand([...batch_shape, -1, -1]);
    else if (cov !== null) this._covariance_matrix = param.expand([...batch_shape, -1, -1]);
    else this._precision_matrix = param.expand([...batch_shape, -1, -1]);
    if (this.df.lt(p).any().item()) {
      console.warn("UserWarning: Low df values detected. Singular samples are highly likely to occur for ndim - 1 < df < ndim.");
    }
    this._init(batch_shape, event_shape, o.validate_args);
    this._batch_dims = batch_shape.map((_, x) => -(x + 1));
    if (tril !== null) this._unbroadcasted_scale_tril = tril;
    else if (cov !== null) this._unbroadcasted_scale_tril = torch.linalg.cholesky(cov);
    else this._unbroadcasted_scale_tril = _precision_to_scale_tril(prec!);
    this._dist_chi2 = this._chi2For(batch_shape);
  }
  /** Chi2(df - i) for the i-th diagonal entry of the Bartlett factor. */
  private _chi2For(batch_shape: number[]): Chi2 {
    const p = this._event_shape[1]!;
    return new Chi2(this.df.unsqueeze(-1).sub(torch.arange(p, { dtype: this._unbroadcasted_scale_tril.dtype }).expand([...batch_shape, -1])));
  }
  override get arg_constraints(): Record<string, C.Constraint> {
    return {
      covariance_matrix: C.positive_definite, precision_matrix: C.positive_definite, scale_tril: C.lower_cholesky,
      df: C.greater_than(this._event_shape[this._event_shape.length - 1]! - 1),
    };
  }
  override get support(): C.Constraint { return C.positive_definite; }
  override expand(batch_shape: readonly number[]): Wishart {
    const n = this._newInstance();
    const covShape = [...batch_shape, ...this._event_shape];
    n._unbroadcasted_scale_tril = this._unbroadcasted_scale_tril.expand(covShape);
    n.df = this.df.expand([...batch_shape]);
    n._batch_dims = batch_shape.map((_, x) => -(x + 1));
    n._covariance_matrix = this._covariance_matrix?.expand(covShape);
    n._scale_tril = this._scale_tril?.expand(covShape);
    n._precision_matrix = this._precision_matrix?.expand(covShape);
    this._finishExpand(n, batch_shape);
    n._dist_chi2 = n._chi2For([...batch_shape]);
    return n;
  }
  private get _matShape(): number[] { return [...this._batch_shape, ...this._event_shape]; }
  get scale_tril(): Tensor {
    return (this._scale_tril ??= torch.enable_grad(() => this._unbroadcasted_scale_tril.expand(this._matShape)));
  }
  get covariance_matrix(): Tensor {
    return (this._covariance_matrix ??= torch.enable_grad(() =>
      torch.matmul(this._unbroadcasted_scale_tril, this._unbroadcasted_scale_tril.transpose(-2, -1)).expand(this._matShape)));
  }
  get precision_matrix(): Tensor {
    return (this._precision_matrix ??= torch.enable_grad(() => {
      const identity = torch.eye(this._event_shape[1]!, { dtype: this._unbroadcasted_scale_tril.dtype });
      return torch.cholesky_solve(identity, this._unbroadcasted_scale_tril).expand(this._matShape);
    }));
  }
  private get _dfMat(): Tensor { return this.df.view([...this._batch_shape, 1, 1]); }
  override get mean() { return this._dfMat.mul(this.covariance_matrix); }
  override get mode() {
    const factor = this.df.sub(this.covariance_matrix.shape[this.covariance_matrix.ndim - 1]!).sub(1);
    return torch.where(factor.le(0), NaN, factor).view([...this._batch_shape, 1, 1]).mul(this.covariance_matrix);
  }
  override get variance() {
    const V = this.covariance_matrix, diagV = V.diagonal(0, -2, -1);
    return this._dfMat.mul(V.pow(2).add(torch.einsum("...i,...j->...ij", diagV, diagV)));
  }
  /** _bartlett_sampling: L A Aᵀ Lᵀ with A lower triangular, chi(df - i) on its diagonal and
   *  standard normals below (the chi2 draws first, then the normals). */
  private _bartlett(sample_shape: number[]): Tensor {
    const p = this._event_shape[1]!;
    const diag = this._dist_chi2.rsample(sample_shape).sqrt();
    const noiseDiag = diag.clamp(finfo(diag.dtype).eps).diag_embed(0, -2, -1);
    const below = torch.randn([...sample_shape, ...this._batch_shape, (p * (p - 1)) / 2], { dtype: noiseDiag.dtype });
    const noise = noiseDiag.add(vec_to_tril_matrix(below, -1));
    const chol = torch.matmul(this._unbroadcasted_scale_tril, noise);
    return torch.matmul(chol, chol.transpose(-2, -1));
  }
  /** rsample as 2.13 runs it: the check it calls `is_singular` is support.check, true for the
   *  positive-definite samples, so each of those is drawn once more (with its warning). */
  override rsample(sample_shape?: SampleShape, max_try_correction = 10): Tensor {
    const ss = asShape(sample_shape);
    let sample = this._bartlett(ss);
    const reduceBatch = (t: Tensor) => (this._batch_shape.length ? t.amax(this._batch_dims) : t);
    let isSingular = reduceBatch(this.support.check(sample));
    if (isSingular.any().item()) {
      console.warn("UserWarning: Singular sample detected.");
      for (let i = 0; i < max_try_correction; i++) {
        const where = isSingular.reshape(-1).nonzero().reshape(-1);
        const sampleNew = this._bartlett([where.numel()]);
        // sample[is_singular] = sample_new
        const flat = sample.reshape([-1, ...sample.shape.slice(ss.length)]);
        sample = flat.index_copy(0, where, sampleNew).reshape(sample.shape.slice());
        const isSingularNew = reduceBatch(this.support.check(sampleNew).logical_not());
        // is_singular[is_singular] = is_singular_new
        isSingular = isSingular.reshape(-1).index_copy(0, where, isSingularNew).reshape(isSingular.shape.slice());
        if (!isSingular.any().item()) break;
      }
    }
    return sample;
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const nu = this.df, p = this._event_shape[1]!;
    const halfLogDet = this._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1);
    return nu.neg().mul(halfLogDet.add(p * LOG_2 / 2))
      .sub(torch.mvlgamma(nu.div(2), p))
      .add(nu.sub(p).sub(1).div(2).mul(torch.linalg.slogdet(value).logabsdet))
      .sub(torch.cholesky_solve(value, this._unbroadcasted_scale_tril).diagonal(0, -2, -1).sum(-1).div(2));
  }
  override entropy(): Tensor {
    const nu = this.df, p = this._event_shape[1]!;
    const halfLogDet = this._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1);
    return halfLogDet.add(p * LOG_2 / 2).mul(p + 1)
      .add(torch.mvlgamma(nu.div(2), p))
      .sub(nu.sub(p).sub(1).div(2).mul(mvdigamma(nu.div(2), p)))
      .add(nu.mul(p).div(2));
  }
  override get _mean_carrier_measure(): number { return 0; }
  override get _natural_params(): Tensor[] {
    const p = this._event_shape[1]!;
    return [this.precision_matrix.neg().div(2), this.df.sub(p).sub(1).div(2)];
  }
  override _log_normalizer(x: Tensor, y: Tensor): Tensor {
    const p = this._event_shape[1]!;
    const yp = y.add((p + 1) / 2);
    return yp.mul(torch.linalg.slogdet(x.mul(-2)).logabsdet.neg().add(LOG_2 * p)).add(torch.mvlgamma(yp, p));
  }
}
