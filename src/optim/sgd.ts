// torch.optim.SGD: PyTorch 2.x's _single_tensor_sgd, op for op (Note [Optimizer arithmetic]).

import type { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamGroup, type ParamsT } from "./optimizer.js";
import { arith, checkedGrad, slot, stateTensor, zerosLike, withGrad } from "./_kernels.js";
import * as K from "../backends/index.js";
import { pyNum } from "./_util.js";

export interface SGDOptions {
  lr?: number;
  momentum?: number;
  dampening?: number;
  weight_decay?: number;
  nesterov?: boolean;
  maximize?: boolean;
  /** Accepted for compatibility with PyTorch's state dicts; the single-tensor update always runs. */
  foreach?: boolean | null;
  differentiable?: boolean;
  fused?: boolean | null;
}

export interface SGDGroup extends ParamGroup {
  momentum: number;
  dampening: number;
  weight_decay: number;
  nesterov: boolean;
  maximize: boolean;
}

/** `lr` alone or PyTorch's keyword arguments; `(params, lr, {momentum})` also works. */
export function optionsOf<O extends { lr?: number }>(lr: number | O | undefined, opts: O | undefined): O {
  if (typeof lr === "number") return { ...(opts ?? {}), lr } as O;
  return { ...(lr ?? {}) } as O;
}

export class SGD extends Optimizer<SGDGroup> {
  constructor(params: ParamsT, lr?: number | SGDOptions, options?: SGDOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 1e-3, momentum: o.momentum ?? 0, dampening: o.dampening ?? 0, weight_decay: o.weight_decay ?? 0,
      nesterov: o.nesterov ?? false, maximize: o.maximize ?? false, foreach: o.foreach ?? null,
      differentiable: o.differentiable ?? false, fused: o.fused ?? null,
    };
    if (d.lr < 0) throw new Error(`Invalid learning rate: ${pyNum(d.lr)}`);
    if (d.momentum < 0) throw new Error(`Invalid momentum value: ${pyNum(d.momentum)}`);
    if (d.weight_decay < 0) throw new Error(`Invalid weight_decay value: ${pyNum(d.weight_decay)}`);
    if (d.nesterov && (d.momentum <= 0 || d.dampening !== 0)) throw new Error("Nesterov momentum requires a momentum and zero dampening");
    super(params, d);
  }

  protected override _update_group(group: SGDGroup): void {
    const { lr, momentum, dampening, weight_decay: wd, nesterov, maximize } = group;
    for (const p of withGrad(group.params)) {
      const A = arith(p.dtype);
      const { r, s, fma } = A;
      const grad = checkedGrad(p);
      const wds = s(wd), negLr = s(-lr), mom = s(momentum), oneMinusDamp = s(1 - dampening);
      let buf: Tensor | null = null;
      let first = false;
      if (momentum !== 0) {
        const st = this._state_of(p);
        // PyTorch keeps momentum_buffer None until the first step with momentum fills it.
        if (!st["momentum_buffer"]) first = true;
        buf = stateTensor(st, "momentum_buffer", p, () => zerosLike(p));
      }
      // the same loop, fused in WebAssembly, for float32 parameters (the same bits)
      if (K.sgd(p, grad, buf, { maximize, weightDecay: wd !== 0, nesterov, first, wds, negLr, mom, omd: oneMinusDamp })) {
        p._bumpVersion();
        buf?._bumpVersion();
        continue;
      }
      const G = K.values(grad);
      const P = slot(p, "sgd"), B = buf ? slot(buf) : null;
      const pd = P.d, n = pd.length;
      const bd = B ? B.d : null;
      for (let i = 0; i < n; i++) {
        const pi = pd[i]!;
        // grad = -grad if maximize; grad = grad.add(param, alpha=weight_decay)
        let g = maximize ? -G[i]! : G[i]!;
        if (wd !== 0) g = r(fma(pi, wds, g));
        if (bd) {
          // buf = grad.clone() on the first step, else buf.mul_(momentum).add_(grad, alpha=1 - dampening)
          const b = first ? g : r(fma(g, oneMinusDamp, r(bd[i]! * mom)));
          bd[i] = b;
          // grad = grad.add(buf, alpha=momentum) if nesterov else buf
          g = nesterov ? r(fma(b, mom, g)) : b;
        }
        // param.add_(grad, alpha=-lr)
        pd[i] = r(fma(g, negLr, pi));
      }
      B?.flush();
      P.flush();
    }
  }
}
