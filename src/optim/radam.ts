// torch.optim.RAdam: PyTorch 2.x's _single_tensor_radam, op for op (Note [Optimizer
// arithmetic]), with its decoupled_weight_decay option.

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, gradOf, slot, stateTensor, zerosLike, scalarTensor, stateScalar, incStep, withGrad } from "./_kernels.js";
import { optionsOf } from "./sgd.js";
import { checkBetas, checkLrEps, checkWeightDecay } from "./adam.js";

export interface RAdamOptions {
  lr?: number;
  betas?: [number, number] | readonly number[];
  eps?: number;
  weight_decay?: number;
  decoupled_weight_decay?: boolean;
  foreach?: boolean | null;
  maximize?: boolean;
  capturable?: boolean;
  differentiable?: boolean;
}

export interface RAdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weight_decay: number;
  decoupled_weight_decay: boolean;
  maximize: boolean;
}

export class RAdam extends Optimizer<RAdamGroup> {
  constructor(params: ParamsT, lr?: number | RAdamOptions, options?: RAdamOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 1e-3, betas: [...(o.betas ?? [0.9, 0.999])] as [number, number], eps: o.eps ?? 1e-8,
      weight_decay: o.weight_decay ?? 0, maximize: o.maximize ?? false, foreach: o.foreach ?? null,
      capturable: o.capturable ?? false, decoupled_weight_decay: o.decoupled_weight_decay ?? false,
      differentiable: o.differentiable ?? false,
    };
    checkLrEps(d.lr, d.eps);
    checkBetas(d.betas);
    checkWeightDecay(d.weight_decay);
    super(params, d);
  }

  protected override _update_group(group: RAdamGroup): void {
    const { lr, eps, weight_decay: wd, decoupled_weight_decay: decoupled, maximize } = group;
    const [beta1, beta2] = group.betas;
    for (const p of withGrad(group.params)) {
      const st = this._state_of(p);
      if (Object.keys(st).length === 0) {
        st["step"] = scalarTensor(0);
        st["exp_avg"] = zerosLike(p);
        st["exp_avg_sq"] = zerosLike(p);
      }
      const { r, s, fma } = arith(p.dtype);
      const G = gradOf(p);
      const P = slot(p, "radam"), EA = slot(stateTensor(st, "exp_avg", p)), EAS = slot(stateTensor(st, "exp_avg_sq", p));
      const step = incStep(stateScalar(st, "step"));
      const pd = P.d, ea = EA.d, eas = EAS.d, n = pd.length;
      const bias_correction1 = 1 - beta1 ** step;
      const bias_correction2 = 1 - beta2 ** step;
      const rho_inf = 2 / (1 - beta2) - 1;
      const rho_t = rho_inf - (2 * step * beta2 ** step) / bias_correction2;
      const rectified = rho_t > 5.0;
      const rect = rectified ? Math.sqrt(((rho_t - 4) * (rho_t - 2) * rho_inf) / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) : 0;
      const wds = s(wd), decay = s(1 - lr * wd), w = s(1 - beta1), b2 = s(beta2), omb2 = s(1 - beta2);
      const bc1 = s(bias_correction1), lrs = s(lr), epss = s(eps), bc2sqrt = s(Math.sqrt(bias_correction2)), rects = s(rect);
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
        let upd = r(r(m / bc1) * lrs); // bias_corrected_exp_avg * lr
        if (rectified) {
          // (bias_correction2 ** 0.5) / (exp_avg_sq.sqrt().add_(eps)): a float over a tensor is
          // reciprocal() * float in PyTorch.
          const adaptive = r(r(1 / r(r(Math.sqrt(v)) + epss)) * bc2sqrt);
          upd = r(r(upd * adaptive) * rects);
        }
        pd[i] = r(pi - upd); // param.add_(update, alpha=-1.0)
      }
      EA.flush(); EAS.flush(); P.flush();
    }
  }
}
