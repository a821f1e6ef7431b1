// torch.distributions.VonMises (von_mises.py): a circular distribution, sampled by Best and
// Fisher's rejection method in float64 as PyTorch does.

import { Tensor } from "../core/tensor.js";
import { float64 } from "../core/dtype.js";
import * as torch from "../torch.js";
import * as C from "./constraints.js";
import { Distribution, broadcast_all, type Scalar, type DistOpts, type SampleShape } from "./distribution.js";

const I0_COEF_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2];
const I0_COEF_LARGE = [0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2, -0.2057706e-1, 0.2635537e-1, -0.1647633e-1, 0.392377e-2];
const I1_COEF_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2, 0.32411e-3];
const I1_COEF_LARGE = [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1, 0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2];

/** _eval_poly: Horner from the highest coefficient (the first step with a number). */
function evalPoly(y: Tensor, coef: readonly number[]): Tensor {
  let result = y.mul(coef[coef.length - 1]!).add(coef[coef.length - 2]!);
  for (let i = coef.length - 3; i >= 0; i--) result = y.mul(result).add(coef[i]!);
  return result;
}

/** _log_modified_bessel_fn: log I_order(x) for order 0 or 1 (Abramowitz and Stegun's polynomials). */
export function _log_modified_bessel_fn(x: Tensor, order = 0): Tensor {
  if (order !== 0 && order !== 1) throw new Error(`order must be 0 or 1, got ${order}`);
  let y = x.div(3.75);
  y = y.mul(y);
  let small = evalPoly(y, order === 0 ? I0_COEF_SMALL : I1_COEF_SMALL);
  if (order === 1) small = x.abs().mul(small);
  small = small.log();
  y = x.reciprocal().mul(3.75);
  const large = x.sub(x.log().mul(0.5)).add(evalPoly(y, order === 0 ? I0_COEF_LARGE : I1_COEF_LARGE).log());
  return torch.where(x.lt(3.75), small, large);
}

export class VonMises extends Distribution {
  loc: Tensor; concentration: Tensor;
  private _varianceCache?: Tensor;
  constructor(loc: Scalar, concentration: Scalar, opts: DistOpts = {}) {
    super();
    [this.loc, this.concentration] = broadcast_all(loc, concentration) as [Tensor, Tensor];
    this._init(this.loc.shape, [], opts.validate_args);
  }
  override get arg_constraints(): Record<string, C.Constraint> { return { loc: C.real, concentration: C.positive }; }
  override get support(): C.Constraint { return C.real; }
  override log_prob(value: Tensor): Tensor {
    if (this._validate_args) this._validate_sample(value);
    return this.concentration.mul(torch.cos(value.sub(this.loc))).sub(Math.log(2 * Math.PI))
      .sub(_log_modified_bessel_fn(this.concentration, 0));
  }
  /** _proposal_r of the float64 concentration. */
  private _proposalR(kappa: Tensor): Tensor {
    const tau = kappa.pow(2).mul(4).add(1).sqrt().add(1);
    const rho = tau.sub(tau.mul(2).sqrt()).div(kappa.mul(2));
    const r = rho.pow(2).add(1).div(rho.mul(2));
    return torch.where(kappa.lt(1e-5), kappa.reciprocal().add(kappa), r);
  }
  override sample(sample_shape?: SampleShape): Tensor {
    return torch.no_grad(() => {
      const shape = this._extended_shape(sample_shape);
      const loc = this.loc.to(float64), kappa = this.concentration.to(float64);
      const proposalR = this._proposalR(kappa);
      // _rejection_sample
      let x = torch.empty(shape, { dtype: float64 });
      let done = torch.zeros(shape, { dtype: torch.bool });
      while (!done.all().item()) {
        const [u1, u2, u3] = torch.rand([3, ...shape], { dtype: float64 }).unbind() as [Tensor, Tensor, Tensor];
        const z = torch.cos(u1.mul(Math.PI));
        const f = proposalR.mul(z).add(1).div(proposalR.add(z));
        const c = kappa.mul(proposalR.sub(f));
        const accept = c.mul(c.rsub(2)).sub(u2).gt(0).logical_or(c.div(u2).log().add(1).sub(c).ge(0));
        if (accept.any().item()) {
          x = torch.where(accept, u3.sub(0.5).sign().mul(f.acos()), x);
          done = done.logical_or(accept);
        }
      }
      return x.add(Math.PI).add(loc).remainder(2 * Math.PI).sub(Math.PI).to(this.loc.dtype);
    });
  }
  override expand(batch_shape: readonly number[]): VonMises {
    return new VonMises(this.loc.expand([...batch_shape]), this.concentration.expand([...batch_shape]), { validate_args: this._validate_args });
  }
  override get mean() { return this.loc; }
  override get mode() { return this.loc; }
  override get variance() {
    return (this._varianceCache ??= torch.enable_grad(() =>
      _log_modified_bessel_fn(this.concentration, 1).sub(_log_modified_bessel_fn(this.concentration, 0)).exp().rsub(1)));
  }
}
