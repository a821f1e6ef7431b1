// torch.distributions.LowRankMultivariateNormal (lowrank_multivariate_normal.py): covariance
// W Wᵀ + diag(D), everything through the m x m capacitance matrix (Woodbury, matrix determinant lemma).

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, type DistOpts, type SampleShape } from "./distribution.js";
import { _batch_mv, _batch_mahalanobis } from "./multivariate_normal.js";
import { sizeStr } from "../core/printing.js";

const LOG_2PI = Math.log(2 * Math.PI);

/** _batch_capacitance_tril: the Cholesky factor of I + Wᵀ D⁻¹ W. */
function batchCapacitanceTril(W: Tensor, D: Tensor): Tensor {
  const m = W.shape[W.ndim - 1]!;
  const K = torch.matmul(W.mT.div(D.unsqueeze(-2)), W);
  return torch.linalg.cholesky(K.add(torch.eye(m, { dtype: K.dtype }))); // (K.view(-1, m*m)[:, ::m+1] += 1)
}
/** _batch_lowrank_logdet: log det(W Wᵀ + D). */
export function _batch_lowrank_logdet(_W: Tensor, D: Tensor, capacitance_tril: Tensor): Tensor {
  return capacitance_tril.diagonal(0, -2, -1).log().sum(-1).mul(2).add(D.log().sum(-1));
}
/** _batch_lowrank_mahalanobis: xᵀ (W Wᵀ + D)⁻¹ x. */
export function _batch_lowrank_mahalanobis(W: Tensor, D: Tensor, x: Tensor, capacitance_tril: Tensor): Tensor {
  const WtDinvX = _batch_mv(W.mT.div(D.unsqueeze(-2)), x);
  return x.pow(2).div(D).sum(-1).sub(_batch_mahalanobis(capacitance_tril, WtDinvX));
}

export class LowRankMultivariateNormal extends Distribution {
  loc: Tensor; cov_factor: Tensor; cov_diag: Tensor;
  _unbroadcasted_cov_factor: Tensor; _unbroadcasted_cov_diag: Tensor; _capacitance_tril: Tensor;
  private _lazy: { variance?: Tensor; scale_tril?: Tensor; covariance_matrix?: Tensor; precision_matrix?: Tensor } = {};
  override has_rsample = true;
  constructor(loc: Tensor, cov_factor: Tensor, cov_diag: Tensor, opts: DistOpts = {}) {
    super();
    if (loc.ndim < 1) throw new Error("loc must be at least one-dimensional.");
    const n = loc.shape[loc.ndim - 1]!;
    if (cov_factor.ndim < 2) throw new Error("cov_factor must be at least two-dimensional, with optional leading batch dimensions");
    if (cov_factor.shape[cov_factor.ndim - 2] !== n) throw new Error(`cov_factor must be a batch of matrices with shape ${n} x m`);
    if (cov_diag.ndim < 1 || cov_diag.shape[cov_diag.ndim - 1] !== n) throw new Error(`cov_diag must be a batch of vectors with shape ${sizeStr([n])}`);
    let parts: Tensor[];
    try {
      parts = torch.broadcast_tensors(loc.unsqueeze(-1), cov_factor, cov_diag.unsqueeze(-1));
    } catch {
      throw new Error(`Incompatible batch shapes: loc ${sizeStr(loc.shape)}, cov_factor ${sizeStr(cov_factor.shape)}, cov_diag ${sizeStr(cov_diag.shape)}`);
    }
    this.cov_factor = parts[1]!;
    this.loc = parts[0]!.select(-1, 0);
    this.cov_diag = parts[2]!.select(-1, 0);
    this._unbroadcasted_cov_factor = cov_factor;
    this._unbroadcasted_cov_diag = cov_diag;
    this._capacitance_tril = batchCapacitanceTril(cov_factor, cov_diag);
    this._init(this.loc.shape.slice(0, -1), [n], opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> {
    return { loc: C.real_vector, cov_factor: C.independent(C.real, 2), cov_diag: C.independent(C.positive, 1) };
  }
  override get support(): C.Constraint { return C.real_vector; }
  override expand(batch_shape: readonly number[]): LowRankMultivariateNormal {
    const n = this._newInstance();
    const locShape = [...batch_shape, ...this._event_shape];
    n.loc = this.loc.expand(locShape);
    n.cov_diag = this.cov_diag.expand(locShape);
    n.cov_factor = this.cov_factor.expand([...locShape, this.cov_factor.shape[this.cov_factor.ndim - 1]!]);
    n._unbroadcasted_cov_factor = this._unbroadcasted_cov_factor;
    n._unbroadcasted_cov_diag = this._unbroadcasted_cov_diag;
    n._capacitance_tril = this._capacitance_tril;
    n._lazy = {};
    this._finishExpand(n, batch_shape);
    return n;
  }
  private get _matShape(): number[] { return [...this._batch_shape, ...this._event_shape, ...this._event_shape]; }
  override get mean() { return this.loc; }
  override get mode() { return this.loc; }
  override get variance() {
    return (this._lazy.variance ??= torch.enable_grad(() =>
      this._unbroadcasted_cov_factor.pow(2).sum(-1).add(this._unbroadcasted_cov_diag).expand([...this._batch_shape, ...this._event_shape])));
  }
  get scale_tril(): Tensor {
    return (this._lazy.scale_tril ??= torch.enable_grad(() => {
      const n = this._event_shape[0]!;
      const dSqrt = this._unbroadcasted_cov_diag.sqrt().unsqueeze(-1);
      const DinvsqrtW = this._unbroadcasted_cov_factor.div(dSqrt);
      const K = torch.matmul(DinvsqrtW, DinvsqrtW.mT).add(torch.eye(n, { dtype: dSqrt.dtype }));
      return dSqrt.mul(torch.linalg.cholesky(K)).expand(this._matShape);
    }));
  }
  get covariance_matrix(): Tensor {
    return (this._lazy.covariance_matrix ??= torch.enable_grad(() =>
      torch.matmul(this._unbroadcasted_cov_factor, this._unbroadcasted_cov_factor.mT)
        .add(torch.diag_embed(this._unbroadcasted_cov_diag)).expand(this._matShape)));
  }
  get precision_matrix(): Tensor {
    return (this._lazy.precision_matrix ??= torch.enable_grad(() => {
      const WtDinv = this._unbroadcasted_cov_factor.mT.div(this._unbroadcasted_cov_diag.unsqueeze(-2));
      const A = torch.linalg.solve_triangular(this._capacitance_tril, WtDinv, { upper: false });
      return torch.diag_embed(this._unbroadcasted_cov_diag.reciprocal()).sub(torch.matmul(A.mT, A)).expand(this._matShape);
    }));
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const wShape = [...shape.slice(0, -1), this.cov_factor.shape[this.cov_factor.ndim - 1]!];
    const epsW = torch.empty(wShape, { dtype: this.loc.dtype }).normal_();
    const epsD = torch.empty(shape, { dtype: this.loc.dtype }).normal_();
    return this.loc.add(_batch_mv(this._unbroadcasted_cov_factor, epsW)).add(this._unbroadcasted_cov_diag.sqrt().mul(epsD));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const W = this._unbroadcasted_cov_factor, D = this._unbroadcasted_cov_diag;
    const M = _batch_lowrank_mahalanobis(W, D, value.sub(this.loc), this._capacitance_tril);
    const logDet = _batch_lowrank_logdet(W, D, this._capacitance_tril);
    return logDet.add(this._event_shape[0]! * LOG_2PI).add(M).mul(-0.5);
  }
  override entropy(): Tensor {
    const logDet = _batch_lowrank_logdet(this._unbroadcasted_cov_factor, this._unbroadcasted_cov_diag, this._capacitance_tril);
    const H = logDet.add(this._event_shape[0]! * (1.0 + LOG_2PI)).mul(0.5);
    return this._batch_shape.length === 0 ? H : H.expand(this._batch_shape);
  }
}
