// torch.optim.NAdam: PyTorch 2.x's _single_tensor_nadam, op for op (Note [Optimizer
// arithmetic]), with its decoupled_weight_decay option.

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, gradOf, slot, stateTensor, zerosLike, scalarTensor, stateScalar, incStep, mulScalar, withGrad } from "./_kernels.js";
import { pyNum } from "./_util.js";
import { optionsOf } from "./sgd.js";
import { checkBetas, checkLrEps, checkWeightDecay } from "./adam.js";

export interface NAdamOptions {
  lr?: number;
  betas?: [number, number] | readonly number[];
  eps?: number;
  weight_decay?: number;
  momentum_decay?: number;
  decoupled_weight_decay?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
}

export interface NAdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weight_decay: number;
  momentum_decay: number;
  decoupled_weight_decay: boolean;
  maximize: boolean;
}

export class NAdam extends Optimizer<NAdamGroup> {
  constructor(params: ParamsT, lr?: number | NAdamOptions, options?: NAdamOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 2e-3, betas: [...(o.betas ?? [0.9, 0.999])] as [number, number], eps: o.eps ?? 1e-8,
      weight_decay: o.weight_decay ?? 0, momentum_decay: o.momentum_decay ?? 4e-3,
      decoupled_weight_decay: o.decoupled_weight_decay ?? false, maximize: o.maximize ?? false,
      foreach: o.foreach ?? null, capturable: o.capturable ?? false, differentiable: o.differentiable ?? false,
    };
    checkLrEps(d.lr, d.eps);
    checkBetas(d.betas);
    checkWeightDecay(d.weight_decay);
    if (!(0 <= d.momentum_decay)) throw new Error(`Invalid momentum_decay value: ${pyNum(d.momentum_decay)}`);
    super(params, d);
  }

  protected override _update_group(group: NAdamGroup): void {
    const { lr, eps, weight_decay: wd, momentum_decay, decoupled_weight_decay: decoupled, maximize } = group;
    const [beta1, beta2] = group.betas;
    for (const p of withGrad(group.params)) {
      const st = this._state_of(p);
      if (Object.keys(st).length === 0) {
        st["step"] = scalarTensor(0);
        st["mu_product"] = scalarTensor(1);
        st["exp_avg"] = zerosLike(p);
        st["exp_avg_sq"] = zerosLike(p);
      }
      const { r, s, fma } = arith(p.dtype);
      const G = gradOf(p);
      const P = slot(p, "nadam"), EA = slot(stateTensor(st, "exp_avg", p)), EAS = slot(stateTensor(st, "exp_avg_sq", p));
      const step = incStep(stateScalar(st, "step"));
      const bias_correction2 = 1 - beta2 ** step;
      const mu = beta1 * (1.0 - 0.5 * 0.96 ** (step * momentum_decay));
      const mu_next = beta1 * (1.0 - 0.5 * 0.96 ** ((step + 1) * momentum_decay));
      const mu_product = mulScalar(stateScalar(st, "mu_product"), mu); // mu_product *= mu (a 0-d tensor)
      const mu_product_next = mu_product * mu_next;
      const pd = P.d, ea = EA.d, eas = EAS.d, n = pd.length;
      const wds = s(wd), decay = s(1 - lr * wd), w = s(1 - beta1), b2 = s(beta2), omb2 = s(1 - beta2);
      const bc2 = s(bias_correction2), epss = s(eps);
      const c1 = s((-lr * (1.0 - mu)) / (1.0 - mu_product));
      const c2 = s((-lr * mu_next) / (1.0 - mu_product_next));
      const small = Math.abs(w) < 0.5, coeff = small ? w : s(w - 1);
      for (let i = 0; i < n; i++) {
        let pi = pd[i]!;
        let g = maximize ? -G[i]! : G[i]!;
        if (wd !== 0) {
          if (decoupled) pi = r(pi * decay); // param.mul_(1 - lr * weight_decay)
          else g = r(fma(pi, wds, g)); // grad.add(param, alpha=weight_decay)
        }
        const m0 = ea[i]!;
        const m = r(fma(coeff, s(g - m0), small ? m0 : g)); // exp_avg.lerp_(grad, 1 - beta1)
        ea[i] = m;
        const v = r(fma(s(omb2 * g), g, r(eas[i]! * b2))); // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        eas[i] = v;
        const denom = r(r(Math.sqrt(r(v / bc2))) + epss); // exp_avg_sq.div(bias_correction2).sqrt(); denom.add_(eps)
        pi = r(pi + s(s(c1 * g) / denom)); // param.addcdiv_(grad, denom, value=...)
        pd[i] = r(pi + s(s(c2 * m) / denom)); // param.addcdiv_(exp_avg, denom, value=...)
      }
      EA.flush(); EAS.flush(); P.flush();
    }
  }
}
