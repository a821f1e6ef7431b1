// torch.optim.Adam and AdamW: PyTorch 2.x's _single_tensor_adam, op for op (Note [Optimizer
// arithmetic]). AdamW is Adam with decoupled weight decay, as in PyTorch 2.x.

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, checkedGrad, slot, stateTensor, zerosLike, scalarTensor, stateScalar, incStep, withGrad, type Slot } from "./_kernels.js";
import * as K from "../backends/index.js";
import { pyNum } from "./_util.js";
import { optionsOf } from "./sgd.js";

export interface AdamOptions {
  lr?: number;
  betas?: [number, number] | readonly number[];
  eps?: number;
  weight_decay?: number;
  amsgrad?: boolean;
  maximize?: boolean;
  foreach?: boolean | null;
  capturable?: boolean;
  differentiable?: boolean;
  fused?: boolean | null;
  decoupled_weight_decay?: boolean;
}

export interface AdamGroup extends ParamGroup {
  betas: [number, number];
  eps: number;
  weight_decay: number;
  amsgrad: boolean;
  maximize: boolean;
  decoupled_weight_decay: boolean;
}

/** The checks PyTorch's Adam-family constructors share, in their order. */
export function checkLrEps(lr: number, eps: number): void {
  if (!(0 <= lr)) throw new Error(`Invalid learning rate: ${pyNum(lr)}`);
  if (!(0 <= eps)) throw new Error(`Invalid epsilon value: ${pyNum(eps)}`);
}
export function checkBetas(betas: readonly number[]): void {
  if (!(0 <= betas[0]! && betas[0]! < 1)) throw new Error(`Invalid beta parameter at index 0: ${pyNum(betas[0]!)}`);
  if (!(0 <= betas[1]! && betas[1]! < 1)) throw new Error(`Invalid beta parameter at index 1: ${pyNum(betas[1]!)}`);
}
export function checkWeightDecay(wd: number): void {
  if (!(0 <= wd)) throw new Error(`Invalid weight_decay value: ${pyNum(wd)}`);
}

export class Adam extends Optimizer<AdamGroup> {
  constructor(params: ParamsT, lr?: number | AdamOptions, options?: AdamOptions) {
    const o = optionsOf(lr, options);
    const d = adamDefaults(o, 0, false);
    super(params, d);
  }

  protected override _update_group(group: AdamGroup): void {
    adamUpdate(this, group);
  }

  /** @internal */ _st(p: Tensor): Record<string, unknown> { return this._state_of(p); }
}

export class AdamW extends Adam {
  constructor(params: ParamsT, lr?: number | AdamOptions, options?: AdamOptions) {
    const o = optionsOf(lr, options);
    // AdamW's own defaults: weight_decay 1e-2, and always decoupled.
    super(params, { ...o, weight_decay: o.weight_decay ?? 1e-2, decoupled_weight_decay: true });
  }
}

function adamDefaults(o: AdamOptions, wdDefault: number, decoupled: boolean): Record<string, unknown> {
  const d = {
    lr: o.lr ?? 1e-3, betas: [...(o.betas ?? [0.9, 0.999])] as [number, number], eps: o.eps ?? 1e-8,
    weight_decay: o.weight_decay ?? wdDefault, amsgrad: o.amsgrad ?? false, maximize: o.maximize ?? false,
    foreach: o.foreach ?? null, capturable: o.capturable ?? false, differentiable: o.differentiable ?? false,
    fused: o.fused ?? null, decoupled_weight_decay: o.decoupled_weight_decay ?? decoupled,
  };
  checkLrEps(d.lr, d.eps);
  checkBetas(d.betas);
  checkWeightDecay(d.weight_decay);
  return d;
}

function adamUpdate(opt: Adam, group: AdamGroup): void {
  const { lr, eps, weight_decay: wd, amsgrad, maximize, decoupled_weight_decay: decoupled } = group;
  const [beta1, beta2] = group.betas;
  for (const p of withGrad(group.params)) {
    const st = opt._st(p);
    if (Object.keys(st).length === 0) {
      st["step"] = scalarTensor(0);
      st["exp_avg"] = zerosLike(p);
      st["exp_avg_sq"] = zerosLike(p);
      if (amsgrad) st["max_exp_avg_sq"] = zerosLike(p);
    }
    const { r, s, fma } = arith(p.dtype);
    const grad = checkedGrad(p);
    const expAvg = stateTensor(st, "exp_avg", p), expAvgSq = stateTensor(st, "exp_avg_sq", p);
    const maxExpAvgSq = amsgrad ? stateTensor(st, "max_exp_avg_sq", p, () => zerosLike(p)) : null;
    const step = incStep(stateScalar(st, "step"));

    const bias_correction1 = 1 - beta1 ** step;
    const bias_correction2 = 1 - beta2 ** step;
    const step_size = lr / bias_correction1;
    const bias_correction2_sqrt = Math.sqrt(bias_correction2);
    // Scalar arguments as the kernels see them.
    const wds = s(wd), decay = s(1 - lr * wd), w = s(1 - beta1), b2 = s(beta2), omb2 = s(1 - beta2);
    const bc2 = s(bias_correction2_sqrt), epss = s(eps), negStep = s(-step_size);
    // lerp_(grad, w): fma(w, end - self, self) for |w| < 0.5, else fma(w - 1, end - self, end).
    const small = Math.abs(w) < 0.5, coeff = small ? w : s(w - 1);
    // the same loop, fused in WebAssembly, for float32 parameters (the same bits)
    if (K.adam(p, grad, expAvg, expAvgSq, maxExpAvgSq, {
      maximize, weightDecay: wd !== 0, decoupled, small, decay, wds, coeff, b2, omb2, bc2, eps: epss, negStep,
    })) {
      for (const t of [p, expAvg, expAvgSq, maxExpAvgSq]) t?._bumpVersion();
      continue;
    }
    const G = K.values(grad);
    const P = slot(p, "adam"), EA = slot(expAvg), EAS = slot(expAvgSq), MX: Slot | null = maxExpAvgSq ? slot(maxExpAvgSq) : null;
    const pd = P.d, ea = EA.d, eas = EAS.d, mx = MX ? MX.d : null, n = pd.length;
    for (let i = 0; i < n; i++) {
      let pi = pd[i]!;
      let g = maximize ? -G[i]! : G[i]!;
      if (wd !== 0) {
        if (decoupled) pi = r(pi * decay); // param.mul_(1 - lr * weight_decay)
        else g = r(fma(pi, wds, g)); // grad = grad.add(param, alpha=weight_decay)
      }
      const m0 = ea[i]!;
      const m = r(fma(coeff, s(g - m0), small ? m0 : g)); // exp_avg.lerp_(grad, 1 - beta1)
      ea[i] = m;
      const v = r(fma(s(omb2 * g), g, r(eas[i]! * b2))); // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
      eas[i] = v;
      let vmax = v;
      if (mx) { vmax = Math.max(mx[i]!, v); mx[i] = vmax; } // torch.maximum(max_exp_avg_sq, exp_avg_sq, out=...)
      const denom = r(r(r(Math.sqrt(vmax)) / bc2) + epss); // (sqrt() / bias_correction2_sqrt).add_(eps)
      pd[i] = r(pi + s(s(negStep * m) / denom)); // param.addcdiv_(exp_avg, denom, value=-step_size)
    }
    EA.flush(); EAS.flush(); MX?.flush(); P.flush();
  }
}
