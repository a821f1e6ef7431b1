// torch.optim.RMSprop: PyTorch 2.x's _single_tensor_rmsprop, op for op (Note [Optimizer
// arithmetic]).

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, gradOf, slot, stateTensor, zerosLike, scalarTensor, stateScalar, incStep, withGrad, type Slot } from "./_kernels.js";
import { pyNum } from "./_util.js";
import { optionsOf } from "./sgd.js";

export interface RMSpropOptions {
  lr?: number;
  alpha?: number;
  eps?: number;
  weight_decay?: number;
  momentum?: number;
  centered?: boolean;
  capturable?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
}

export interface RMSpropGroup extends ParamGroup {
  momentum: number;
  alpha: number;
  eps: number;
  centered: boolean;
  weight_decay: number;
  maximize: boolean;
}

export class RMSprop extends Optimizer<RMSpropGroup> {
  constructor(params: ParamsT, lr?: number | RMSpropOptions, options?: RMSpropOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 1e-2, momentum: o.momentum ?? 0, alpha: o.alpha ?? 0.99, eps: o.eps ?? 1e-8,
      centered: o.centered ?? false, weight_decay: o.weight_decay ?? 0, capturable: o.capturable ?? false,
      foreach: o.foreach ?? null, maximize: o.maximize ?? false, differentiable: o.differentiable ?? false,
    };
    if (!(0 <= d.lr)) throw new Error(`Invalid learning rate: ${pyNum(d.lr)}`);
    if (!(0 <= d.eps)) throw new Error(`Invalid epsilon value: ${pyNum(d.eps)}`);
    if (!(0 <= d.momentum)) throw new Error(`Invalid momentum value: ${pyNum(d.momentum)}`);
    if (!(0 <= d.weight_decay)) throw new Error(`Invalid weight_decay value: ${pyNum(d.weight_decay)}`);
    if (!(0 <= d.alpha)) throw new Error(`Invalid alpha value: ${pyNum(d.alpha)}`);
    super(params, d);
  }

  protected override _update_group(group: RMSpropGroup): void {
    const { lr, momentum, alpha, eps, centered, weight_decay: wd, maximize } = group;
    for (const p of withGrad(group.params)) {
      const st = this._state_of(p);
      if (Object.keys(st).length === 0) {
        st["step"] = scalarTensor(0);
        st["square_avg"] = zerosLike(p);
        if (momentum > 0) st["momentum_buffer"] = zerosLike(p);
        if (centered) st["grad_avg"] = zerosLike(p);
      }
      const { r, s, fma } = arith(p.dtype);
      const G = gradOf(p);
      const P = slot(p, "rmsprop"), SQ = slot(stateTensor(st, "square_avg", p));
      const GA: Slot | null = centered ? slot(stateTensor(st, "grad_avg", p, () => zerosLike(p))) : null;
      const B: Slot | null = momentum > 0 ? slot(stateTensor(st, "momentum_buffer", p, () => zerosLike(p))) : null;
      incStep(stateScalar(st, "step"));
      const pd = P.d, sq = SQ.d, ga = GA ? GA.d : null, bd = B ? B.d : null, n = pd.length;
      const wds = s(wd), a = s(alpha), oma = s(1 - alpha), epss = s(eps), mom = s(momentum), negLr = s(-lr);
      // grad_avg.lerp_(grad, 1 - alpha): see adam.ts for lerp's two forms.
      const small = Math.abs(oma) < 0.5, coeff = small ? oma : s(oma - 1);
      for (let i = 0; i < n; i++) {
        const pi = pd[i]!;
        let g = maximize ? -G[i]! : G[i]!;
        if (wd !== 0) g = r(fma(pi, wds, g)); // grad.add(param, alpha=weight_decay)
        const v = r(fma(s(oma * g), g, r(sq[i]! * a))); // square_avg.mul_(alpha).addcmul_(grad, grad, value=1 - alpha)
        sq[i] = v;
        let avg: number;
        if (ga) {
          const m0 = ga[i]!;
          const m = r(fma(coeff, s(g - m0), small ? m0 : g));
          ga[i] = m;
          avg = r(Math.sqrt(r(fma(-m, m, v)))); // square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
        } else {
          avg = r(Math.sqrt(v));
        }
        avg = r(avg + epss); // avg.add_(eps)
        if (bd) {
          const b = r(r(bd[i]! * mom) + s(g / avg)); // buf.mul_(momentum).addcdiv_(grad, avg)
          bd[i] = b;
          pd[i] = r(fma(b, negLr, pi)); // param.add_(buf, alpha=-lr)
        } else {
          pd[i] = r(pi + s(s(negLr * g) / avg)); // param.addcdiv_(grad, avg, value=-lr)
        }
      }
      SQ.flush(); GA?.flush(); B?.flush(); P.flush();
    }
  }
}
