// torch.optim.Adadelta: PyTorch 2.x's _single_tensor_adadelta, op for op (Note [Optimizer
// arithmetic]).

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, checkedGrad, slot, stateTensor, zerosLike, scalarTensor, stateScalar, incStep, withGrad } from "./_kernels.js";
import { pyNum } from "./_util.js";
import * as K from "../backends/index.js";
import { optionsOf } from "./sgd.js";

export interface AdadeltaOptions {
  lr?: number;
  rho?: number;
  eps?: number;
  weight_decay?: number;
  foreach?: boolean | null;
  capturable?: boolean;
  maximize?: boolean;
  differentiable?: boolean;
}

export interface AdadeltaGroup extends ParamGroup {
  rho: number;
  eps: number;
  weight_decay: number;
  maximize: boolean;
}

export class Adadelta extends Optimizer<AdadeltaGroup> {
  constructor(params: ParamsT, lr?: number | AdadeltaOptions, options?: AdadeltaOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 1.0, rho: o.rho ?? 0.9, eps: o.eps ?? 1e-6, weight_decay: o.weight_decay ?? 0,
      maximize: o.maximize ?? false, capturable: o.capturable ?? false, foreach: o.foreach ?? null,
      differentiable: o.differentiable ?? false,
    };
    if (!(0 <= d.lr)) throw new Error(`Invalid learning rate: ${pyNum(d.lr)}`);
    if (!(0 <= d.rho && d.rho <= 1)) throw new Error(`Invalid rho value: ${pyNum(d.rho)}`);
    if (!(0 <= d.eps)) throw new Error(`Invalid epsilon value: ${pyNum(d.eps)}`);
    if (!(0 <= d.weight_decay)) throw new Error(`Invalid weight_decay value: ${pyNum(d.weight_decay)}`);
    super(params, d);
  }

  protected override _update_group(group: AdadeltaGroup): void {
    const { lr, rho, eps, weight_decay: wd, maximize } = group;
    for (const p of withGrad(group.params)) {
      const st = this._state_of(p);
      if (Object.keys(st).length === 0) {
        st["step"] = scalarTensor(0);
        st["square_avg"] = zerosLike(p);
        st["acc_delta"] = zerosLike(p);
      }
      const { r, s, fma } = arith(p.dtype);
      const grad = checkedGrad(p), sqT = stateTensor(st, "square_avg", p), adT = stateTensor(st, "acc_delta", p);
      incStep(stateScalar(st, "step"));
      const wds = s(wd), rh = s(rho), omr = s(1 - rho), epss = s(eps), negLr = s(-lr);
      // the same loop, fused in WebAssembly, for float32 parameters (the same bits)
      if (K.adadelta(p, grad, sqT, adT, { maximize, weightDecay: wd !== 0, wds, rho: rh, omr, eps: epss, negLr })) {
        for (const t of [p, sqT, adT]) t._bumpVersion();
        continue;
      }
      const G = K.values(grad);
      const P = slot(p, "adadelta"), SQ = slot(sqT), AD = slot(adT);
      const pd = P.d, sq = SQ.d, ad = AD.d, n = pd.length;
      for (let i = 0; i < n; i++) {
        const pi = pd[i]!;
        let g = maximize ? -G[i]! : G[i]!;
        if (wd !== 0) g = r(fma(pi, wds, g)); // grad.add(param, alpha=weight_decay)
        const v = r(fma(s(omr * g), g, r(sq[i]! * rh))); // square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
        sq[i] = v;
        const std = r(Math.sqrt(r(v + epss))); // square_avg.add(eps).sqrt_()
        const a0 = ad[i]!;
        let delta = r(Math.sqrt(r(a0 + epss))); // acc_delta.add(eps).sqrt_()
        delta = r(r(delta / std) * g); // delta.div_(std).mul_(grad)
        ad[i] = r(fma(s(omr * delta), delta, r(a0 * rh))); // acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
        pd[i] = r(fma(delta, negLr, pi)); // param.add_(delta, alpha=-lr)
      }
      SQ.flush(); AD.flush(); P.flush();
    }
  }
}
