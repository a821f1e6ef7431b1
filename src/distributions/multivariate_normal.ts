// torch.distributions.MultivariateNormal (torch/distributions/multivariate_normal.py): loc and one
// of covariance_matrix / precision_matrix / scale_tril; everything computed from the (unbroadcast)
// lower Cholesky factor, the Mahalanobis term by a triangular solve.

import { Tensor } from "../core/tensor.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, type DistOpts, type SampleShape } from "./distribution.js";

/** _batch_mv: bmat @ bvec over broadcast batch dims. */
export function _batch_mv(bmat: Tensor, bvec: Tensor): Tensor {
  return torch.matmul(bmat, bvec.unsqueeze(-1)).squeeze(-1);
}

/** _batch_mahalanobis: xᵀ(LLᵀ)⁻¹x for L's batch broadcastable to x's, as PyTorch folds the
 *  batch dims (the same reshapes and permutes, so gradients flow the same way). */
export function _batch_mahalanobis(bL: Tensor, bx: Tensor): Tensor {
  const n = bx.shape[bx.ndim - 1]!;
  const bxBatch = bx.shape.slice(0, -1);
  const bxDims = bxBatch.length;
  const bLDims = bL.ndim - 2;
  const outer = bxDims - bLDims;
  const oldDims = outer + bLDims;
  const newDims = outer + 2 * bLDims;
  const newShape = bx.shape.slice(0, outer);
  const sLs = bL.shape.slice(0, -2), sxs = bx.shape.slice(outer, -1);
  for (let i = 0; i < sLs.length && i < sxs.length; i++) newShape.push(Math.floor(sxs[i]! / sLs[i]!), sLs[i]!);
  newShape.push(n);
  let x = bx.reshape(newShape);
  const perm: number[] = [];
  for (let i = 0; i < outer; i++) perm.push(i);
  for (let i = outer; i < newDims; i += 2) perm.push(i);
  for (let i = outer + 1; i < newDims; i += 2) perm.push(i);
  perm.push(newDims);
  x = x.permute(perm);
  const flatL = bL.reshape(-1, n, n);
  const flatX = x.reshape(-1, flatL.shape[0]!, n);
  const flatXSwap = flatX.permute(1, 2, 0);
  const MSwap = torch.linalg.solve_triangular(flatL, flatXSwap, { upper: false }).pow(2).sum(-2);
  const M = MSwap.t();
  const permutedM = M.reshape(x.shape.slice(0, -1));
  const inv: number[] = [];
  for (let i = 0; i < outer; i++) inv.push(i);
  for (let i = 0; i < bLDims; i++) inv.push(outer + i, oldDims + i);
  return permutedM.permute(inv).reshape(bxBatch);
}

/** _precision_to_scale_tril: L with LLᵀ = P⁻¹, from the Cholesky factor of P flipped. */
export function _precision_to_scale_tril(P: Tensor): Tensor {
  const Lf = torch.linalg.cholesky(torch.flip(P, [-2, -1]));
  const Linv = torch.transpose(torch.flip(Lf, [-2, -1]), -2, -1);
  const Id = torch.eye(P.shape[P.ndim - 1]!, { dtype: P.dtype });
  return torch.linalg.solve_triangular(Linv, Id, { upper: false });
}

export interface MVNOpts extends DistOpts {
  covariance_matrix?: Tensor | null; precision_matrix?: Tensor | null; scale_tril?: Tensor | null;
}
const isOpts = (x: unknown): x is MVNOpts => x !== null && x !== undefined && !(x instanceof Tensor) && typeof x === "object";
const LOG_2PI = Math.log(2 * Math.PI);

export class MultivariateNormal extends Distribution {
  loc: Tensor;
  _unbroadcasted_scale_tril!: Tensor;
  // the matrices given (or computed and cached): what __dict__ holds, and so what repr shows
  _covariance_matrix?: Tensor; _precision_matrix?: Tensor; _scale_tril?: Tensor;
  override has_rsample = true;

  /** MultivariateNormal(loc, covariance_matrix?, precision_matrix?, scale_tril?, {validate_args}),
   *  the matrices positional or in the options object. */
  constructor(loc: Tensor, covariance_matrix?: Tensor | null | MVNOpts, precision_matrix?: Tensor | null | MVNOpts,
    scale_tril?: Tensor | null | MVNOpts, opts?: MVNOpts) {
    super();
    const pos = [covariance_matrix, precision_matrix, scale_tril, opts];
    const k = pos.findIndex(isOpts);
    const o: MVNOpts = k >= 0 ? (pos[k] as MVNOpts) : {};
    const at = (i: number, name: keyof MVNOpts): Tensor | null => {
      const p = k >= 0 && i >= k ? undefined : (pos[i] as Tensor | null | undefined);
      return (p ?? (o[name] as Tensor | null | undefined)) ?? null;
    };
    const cov = at(0, "covariance_matrix"), prec = at(1, "precision_matrix"), tril = at(2, "scale_tril");
    if (loc.dim() < 1) throw new Error("loc must be at least one-dimensional.");
    if ((cov !== null ? 1 : 0) + (tril !== null ? 1 : 0) + (prec !== null ? 1 : 0) !== 1) {
      throw new Error("Exactly one of covariance_matrix or precision_matrix or scale_tril may be specified.");
    }
    let batch_shape: number[];
    if (tril !== null) {
      if (tril.dim() < 2) throw new Error("scale_tril matrix must be at least two-dimensional, with optional leading batch dimensions");
      batch_shape = torch.broadcast_shapes(tril.shape.slice(0, -2), loc.shape.slice(0, -1));
      this._scale_tril = tril.expand([...batch_shape, -1, -1]);
    } else if (cov !== null) {
      if (cov.dim() < 2) throw new Error("covariance_matrix must be at least two-dimensional, with optional leading batch dimensions");
      batch_shape = torch.broadcast_shapes(cov.shape.slice(0, -2), loc.shape.slice(0, -1));
      this._covariance_matrix = cov.expand([...batch_shape, -1, -1]);
    } else {
      if (prec!.dim() < 2) throw new Error("precision_matrix must be at least two-dimensional, with optional leading batch dimensions");
      batch_shape = torch.broadcast_shapes(prec!.shape.slice(0, -2), loc.shape.slice(0, -1));
      this._precision_matrix = prec!.expand([...batch_shape, -1, -1]);
    }
    this.loc = loc.expand([...batch_shape, -1]);
    this._init(batch_shape, this.loc.shape.slice(-1), o.validate_args);
    if (tril !== null) this._unbroadcasted_scale_tril = tril;
    else if (cov !== null) this._unbroadcasted_scale_tril = torch.linalg.cholesky(cov);
    else this._unbroadcasted_scale_tril = _precision_to_scale_tril(prec!);
  }
  override get arg_constraints() {
    return { loc: C.real_vector, covariance_matrix: C.positive_definite, precision_matrix: C.positive_definite, scale_tril: C.lower_cholesky };
  }
  override get support(): C.Constraint { return C.real_vector; }
  private get _matShape(): number[] { return [...this._batch_shape, ...this._event_shape, ...this._event_shape]; }
  // lazy_property: computed once (with grad enabled, as a lazy_property's body is), then held
  get scale_tril(): Tensor {
    return (this._scale_tril ??= torch.enable_grad(() => this._unbroadcasted_scale_tril.expand(this._matShape)));
  }
  get covariance_matrix(): Tensor {
    return (this._covariance_matrix ??= torch.enable_grad(() =>
      torch.matmul(this._unbroadcasted_scale_tril, this._unbroadcasted_scale_tril.mT).expand(this._matShape)));
  }
  get precision_matrix(): Tensor {
    return (this._precision_matrix ??= torch.enable_grad(() => torch.cholesky_inverse(this._unbroadcasted_scale_tril).expand(this._matShape)));
  }
  override get mean() { return this.loc; }
  override get mode() { return this.loc; }
  override get variance() {
    return this._unbroadcasted_scale_tril.pow(2).sum(-1).expand([...this._batch_shape, ...this._event_shape]);
  }
  override expand(batch_shape: readonly number[]): MultivariateNormal {
    const nw = this._newInstance();
    const ev = this._event_shape;
    nw.loc = this.loc.expand([...batch_shape, ...ev]);
    nw._unbroadcasted_scale_tril = this._unbroadcasted_scale_tril;
    const cov_shape = [...batch_shape, ...ev, ...ev];
    // each cached one expanded; the others own (undefined) fields, so the repr never computes them
    nw._covariance_matrix = this._covariance_matrix?.expand(cov_shape);
    nw._scale_tril = this._scale_tril?.expand(cov_shape);
    nw._precision_matrix = this._precision_matrix?.expand(cov_shape);
    this._finishExpand(nw, batch_shape);
    return nw;
  }
  override rsample(sample_shape?: SampleShape): Tensor {
    const shape = this._extended_shape(sample_shape);
    const eps = torch.empty(shape, { dtype: this.loc.dtype }).normal_(); // _standard_normal
    return this.loc.add(_batch_mv(this._unbroadcasted_scale_tril, eps));
  }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    const diff = value.sub(this.loc);
    const M = _batch_mahalanobis(this._unbroadcasted_scale_tril, diff);
    const half_log_det = this._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1);
    return M.add(this._event_shape[0]! * LOG_2PI).mul(-0.5).sub(half_log_det);
  }
  override entropy(): Tensor {
    const half_log_det = this._unbroadcasted_scale_tril.diagonal(0, -2, -1).log().sum(-1);
    const H = half_log_det.add(0.5 * this._event_shape[0]! * (1.0 + LOG_2PI));
    return this._batch_shape.length === 0 ? H : H.expand(this._batch_shape);
  }
}
