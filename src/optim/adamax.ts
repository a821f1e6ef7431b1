// torch.optim.Adamax: PyTorch 2.x's _single_tensor_adamax, op for op (Note [Optimizer
// arithmetic]).

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, gradOf, slot, stateTensor, zerosLike, scalarTensor, stateScalar, incStep, withGrad } from "./_kernels.js";
import { optionsOf } from "./sgd.js";
import { checkBetas, checkLrEps, checkWeightDecay } from "./adam.js";

export interface AdamaxOptions {
  lr?: number;
  betas?: [number, number] | readonly number[];
  eps?: number;
  weight_decay?: number;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
  capturable?: boolean;
}

export interface AdamaxGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weight_decay: number;
  maximize: boolean;
}

export class Adamax extends Optimizer<AdamaxGroup> {
  constructor(params: ParamsT, lr?: number | AdamaxOptions, options?: AdamaxOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 2e-3, betas: [...(o.betas ?? [0.9, 0.999])] as [number, number], eps: o.eps ?? 1e-8,
      weight_decay: o.weight_decay ?? 0, foreach: o.foreach ?? null, maximize: o.maximize ?? false,
      differentiable: o.differentiable ?? false, capturable: o.capturable ?? false,
    };
    checkLrEps(d.lr, d.eps);
    checkBetas(d.betas);
    checkWeightDecay(d.weight_decay);
    super(params, d);
  }

  protected override _update_group(group: AdamaxGroup): void {
    const { lr, eps, weight_decay: wd, maximize } = group;
    const [beta1, beta2] = group.betas;
    for (const p of withGrad(group.params)) {
      const st = this._state_of(p);
      if (Object.keys(st).length === 0) {
        st["step"] = scalarTensor(0);
        st["exp_avg"] = zerosLike(p);
        st["exp_inf"] = zerosLike(p);
      }
      const { r, s, fma } = arith(p.dtype);
      const G = gradOf(p);
      const P = slot(p, "adamax"), EA = slot(stateTensor(st, "exp_avg", p)), EI = slot(stateTensor(st, "exp_inf", p));
      const step = incStep(stateScalar(st, "step"));
      const pd = P.d, ea = EA.d, ei = EI.d, n = pd.length;
      const clr = lr / (1 - beta1 ** step);
      const wds = s(wd), w = s(1 - beta1), b2 = s(beta2), epss = s(eps), negClr = s(-clr);
      const small = Math.abs(w) < 0.5, coeff = small ? w : s(w - 1);
      for (let i = 0; i < n; i++) {
        const pi = pd[i]!;
        let g = maximize ? -G[i]! : G[i]!;
        if (wd !== 0) g = r(fma(pi, wds, g)); // grad.add(param, alpha=weight_decay)
        const m0 = ea[i]!;
        const m = r(fma(coeff, s(g - m0), small ? m0 : g)); // exp_avg.lerp_(grad, 1 - beta1)
        ea[i] = m;
        const u = Math.max(r(ei[i]! * b2), r(Math.abs(g) + epss)); // torch.maximum(exp_inf.mul_(beta2), grad.abs().add_(eps))
        ei[i] = u;
        pd[i] = r(pi + s(s(negClr * m) / u)); // param.addcdiv_(exp_avg, exp_inf, value=-clr)
      }
      EA.flush(); EI.flush(); P.flush();
    }
  }
}
