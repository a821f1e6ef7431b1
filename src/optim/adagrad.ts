// torch.optim.Adagrad: PyTorch 2.x's _single_tensor_adagrad, op for op (Note [Optimizer
// arithmetic]). As in PyTorch, the state (step, sum) is created when a group is added.

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, gradOf, slot, stateTensor, fullLike, scalarTensor, stateScalar, incStep, withGrad } from "./_kernels.js";
import { pyNum } from "./_util.js";
import { optionsOf } from "./sgd.js";

export interface AdagradOptions {
  lr?: number;
  lr_decay?: number;
  weight_decay?: number;
  initial_accumulator_value?: number;
  eps?: number;
  foreach?: boolean | null;
  maximize?: boolean;
  differentiable?: boolean;
  fused?: boolean | null;
}

export interface AdagradGroup extends ParamGroup {
  lr_decay: number;
  eps: number;
  weight_decay: number;
  initial_accumulator_value: number;
  maximize: boolean;
}

export class Adagrad extends Optimizer<AdagradGroup> {
  constructor(params: ParamsT, lr?: number | AdagradOptions, options?: AdagradOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 1e-2, lr_decay: o.lr_decay ?? 0, eps: o.eps ?? 1e-10, weight_decay: o.weight_decay ?? 0,
      initial_accumulator_value: o.initial_accumulator_value ?? 0, foreach: o.foreach ?? null,
      maximize: o.maximize ?? false, differentiable: o.differentiable ?? false, fused: o.fused ?? null,
    };
    if (!(0 <= d.lr)) throw new Error(`Invalid learning rate: ${pyNum(d.lr)}`);
    if (!(0 <= d.lr_decay)) throw new Error(`Invalid lr_decay value: ${pyNum(d.lr_decay)}`);
    if (!(0 <= d.weight_decay)) throw new Error(`Invalid weight_decay value: ${pyNum(d.weight_decay)}`);
    if (!(0 <= d.initial_accumulator_value)) throw new Error(`Invalid initial_accumulator_value value: ${pyNum(d.initial_accumulator_value)}`);
    if (!(0 <= d.eps)) throw new Error(`Invalid epsilon value: ${pyNum(d.eps)}`);
    super(params, d);
  }

  protected override _init_group_state(group: AdagradGroup): void {
    for (const p of group.params) this._init_param(p, group);
  }

  private _init_param(p: Tensor, group: AdagradGroup): Record<string, unknown> {
    const st = this._state_of(p);
    if (!("sum" in st)) {
      st["step"] = scalarTensor(0);
      st["sum"] = fullLike(p, group.initial_accumulator_value);
    }
    return st;
  }

  protected override _update_group(group: AdagradGroup): void {
    const { lr, lr_decay, eps, weight_decay: wd, maximize } = group;
    for (const p of withGrad(group.params)) {
      const st = this._init_param(p, group);
      const { r, s, fma } = arith(p.dtype);
      const G = gradOf(p);
      const P = slot(p, "adagrad"), S = slot(stateTensor(st, "sum", p));
      const step = incStep(stateScalar(st, "step"));
      const pd = P.d, sd = S.d, n = pd.length;
      const clr = lr / (1 + (step - 1) * lr_decay);
      const wds = s(wd), epss = s(eps), negClr = s(-clr);
      for (let i = 0; i < n; i++) {
        const pi = pd[i]!;
        let g = maximize ? -G[i]! : G[i]!;
        if (wd !== 0) g = r(fma(pi, wds, g)); // grad.add(param, alpha=weight_decay)
        const sum = r(fma(g, g, sd[i]!)); // state_sum.addcmul_(grad, grad, value=1)
        sd[i] = sum;
        const std = r(r(Math.sqrt(sum)) + epss); // state_sum.sqrt().add_(eps)
        pd[i] = r(pi + s(s(negClr * g) / std)); // param.addcdiv_(grad, std, value=-clr)
      }
      S.flush(); P.flush();
    }
  }
}
