// Fused optimizer steps for float32 parameters: the element loops of src/optim/adam.ts and
// sgd.ts, operation for operation, so that both give the same bits (Note [Optimizer arithmetic]
// in src/optim/optimizer.ts). Its float32 operations (+ - · / sqrt max of float32 values) round as
// the reference's float64 ones do once rounded to float32; its multiply-adds, float32 inputs
// computed in float64 and rounded once, are computed in float64 here too.

/** fround(a·b + c) of float32 lanes, the product and sum in float64 (the reference's fma). */
@inline function fma4(a: v128, b: v128, c: v128): v128 {
  const lo = f64x2.add(f64x2.mul(f64x2.promote_low_f32x4(a), f64x2.promote_low_f32x4(b)), f64x2.promote_low_f32x4(c));
  const hi = f64x2.add(f64x2.mul(high(a), high(b)), high(c));
  return i32x4.shuffle(f32x4.demote_f64x2_zero(lo), f32x4.demote_f64x2_zero(hi), 0, 1, 4, 5);
}

/** The high two float32 lanes of v, as float64. */
@inline function high(v: v128): v128 { return f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)); }

/** One step on four elements: updates p, m, v (and vmax) in place at the given addresses. */
@inline function step4(p: usize, g: usize, m: usize, v: usize, vmax: usize, lanes: i32,
  maximize: bool, weightDecay: bool, decoupled: bool, amsgrad: bool, small: bool,
  decay: v128, wds: v128, coeff: v128, b2: v128, omb2: v128, bc2: v128, eps: v128, negStep: v128): void {
  let pi = load4(p, lanes), gi = load4(g, lanes);
  if (maximize) gi = f32x4.neg(gi);
  if (weightDecay) {
    if (decoupled) pi = f32x4.mul(pi, decay); // param.mul_(1 - lr·weight_decay)
    else gi = fma4(pi, wds, gi); // grad = grad.add(param, alpha=weight_decay)
  }
  const m0 = load4(m, lanes);
  // exp_avg.lerp_(grad, 1 - beta1), from the nearer end as PyTorch's lerp
  const mi = fma4(coeff, f32x4.sub(gi, m0), small ? m0 : gi);
  // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
  const vi = fma4(f32x4.mul(omb2, gi), gi, f32x4.mul(load4(v, lanes), b2));
  let vm = vi;
  if (amsgrad) { vm = f32x4.max(load4(vmax, lanes), vi); store4(vmax, vm, lanes); }
  // (sqrt() / bias_correction2_sqrt).add_(eps), then param.addcdiv_(exp_avg, denom, value=-step_size)
  const denom = f32x4.add(f32x4.div(f32x4.sqrt(vm), bc2), eps);
  store4(p, f32x4.add(pi, f32x4.div(f32x4.mul(negStep, mi), denom)), lanes);
  store4(m, mi, lanes);
  store4(v, vi, lanes);
}

/** Four floats at p, or (lanes == 1) the one float at p in lane 0. */
@inline function load4(p: usize, lanes: i32): v128 {
  return lanes == 4 ? v128.load(p) : f32x4.splat(load<f32>(p));
}
@inline function store4(p: usize, x: v128, lanes: i32): void {
  if (lanes == 4) v128.store(p, x); else store<f32>(p, f32x4.extract_lane(x, 0));
}

/**
 * Adam/AdamW's update of n parameters p with gradients g and states m (exp_avg), v (exp_avg_sq)
 * and, with amsgrad, vmax (max_exp_avg_sq). The scalars are the reference's, already rounded to
 * float32: decay = 1 - lr·wd, wds = wd, coeff = lerp's weight (1 - beta1, or its complement when
 * `small` is false), b2 = beta2, omb2 = 1 - beta2, bc2 = sqrt(bias_correction2), negStep = -lr/bias_correction1.
 */
export function adam(p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  maximize: bool, weightDecay: bool, decoupled: bool, amsgrad: bool, small: bool,
  decay: f32, wds: f32, coeff: f32, b2: f32, omb2: f32, bc2: f32, eps: f32, negStep: f32): void {
  const D = f32x4.splat(decay), W = f32x4.splat(wds), C = f32x4.splat(coeff), B2 = f32x4.splat(b2);
  const O = f32x4.splat(omb2), BC = f32x4.splat(bc2), E = f32x4.splat(eps), S = f32x4.splat(negStep);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    step4(p + o, g + o, m + o, v + o, vmax + o, 4, maximize, weightDecay, decoupled, amsgrad, small, D, W, C, B2, O, BC, E, S);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    step4(p + o, g + o, m + o, v + o, vmax + o, 1, maximize, weightDecay, decoupled, amsgrad, small, D, W, C, B2, O, BC, E, S);
  }
}

/** One SGD step on four elements (or lane 0): updates p, and buf with momentum, in place. */
@inline function sgd4(p: usize, g: usize, buf: usize, lanes: i32, maximize: bool, weightDecay: bool,
  momentum: bool, first: bool, nesterov: bool, wds: v128, negLr: v128, mom: v128, omd: v128): void {
  const pi = load4(p, lanes);
  let gi = load4(g, lanes);
  if (maximize) gi = f32x4.neg(gi);
  if (weightDecay) gi = fma4(pi, wds, gi); // grad = grad.add(param, alpha=weight_decay)
  if (momentum) {
    // buf = grad.clone() on the first step, else buf.mul_(momentum).add_(grad, alpha=1 - dampening)
    const b = first ? gi : fma4(gi, omd, f32x4.mul(load4(buf, lanes), mom));
    store4(buf, b, lanes);
    // grad = grad.add(buf, alpha=momentum) if nesterov else buf
    gi = nesterov ? fma4(b, mom, gi) : b;
  }
  store4(p, fma4(gi, negLr, pi), lanes); // param.add_(grad, alpha=-lr)
}

/**
 * SGD's update of n parameters p with gradients g and, with `momentum`, the momentum buffer buf
 * (`first`: the step that creates it). The scalars are the reference's, rounded to float32:
 * wds = weight_decay, negLr = -lr, mom = momentum, omd = 1 - dampening.
 */
export function sgd(p: usize, g: usize, buf: usize, n: i32, maximize: bool, weightDecay: bool,
  momentum: bool, first: bool, nesterov: bool, wds: f32, negLr: f32, mom: f32, omd: f32): void {
  const W = f32x4.splat(wds), L = f32x4.splat(negLr), M = f32x4.splat(mom), D = f32x4.splat(omd);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    sgd4(p + o, g + o, buf + o, 4, maximize, weightDecay, momentum, first, nesterov, W, L, M, D);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    sgd4(p + o, g + o, buf + o, 1, maximize, weightDecay, momentum, first, nesterov, W, L, M, D);
  }
}

/** One Adadelta step on four elements (or lane 0): updates p, sq and ad in place. */
@inline function adadelta4(p: usize, g: usize, sq: usize, ad: usize, lanes: i32, maximize: bool, weightDecay: bool,
  wds: v128, rho: v128, omr: v128, eps: v128, negLr: v128): void {
  const pi = load4(p, lanes);
  let gi = load4(g, lanes);
  if (maximize) gi = f32x4.neg(gi);
  if (weightDecay) gi = fma4(pi, wds, gi); // grad.add(param, alpha=weight_decay)
  // square_avg.mul_(rho).addcmul_(grad, grad, value=1 - rho)
  const v = fma4(f32x4.mul(omr, gi), gi, f32x4.mul(load4(sq, lanes), rho));
  store4(sq, v, lanes);
  const std = f32x4.sqrt(f32x4.add(v, eps)); // square_avg.add(eps).sqrt_()
  const a0 = load4(ad, lanes);
  // acc_delta.add(eps).sqrt_().div_(std).mul_(grad)
  const delta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(a0, eps)), std), gi);
  // acc_delta.mul_(rho).addcmul_(delta, delta, value=1 - rho)
  store4(ad, fma4(f32x4.mul(omr, delta), delta, f32x4.mul(a0, rho)), lanes);
  store4(p, fma4(delta, negLr, pi), lanes); // param.add_(delta, alpha=-lr)
}

/**
 * Adadelta's update of n parameters p with gradients g and states sq (square_avg) and ad
 * (acc_delta). The scalars are the reference's, rounded to float32: wds = weight_decay,
 * rho, omr = 1 - rho, eps, negLr = -lr.
 */
export function adadelta(p: usize, g: usize, sq: usize, ad: usize, n: i32, maximize: bool, weightDecay: bool,
  wds: f32, rho: f32, omr: f32, eps: f32, negLr: f32): void {
  const W = f32x4.splat(wds), R = f32x4.splat(rho), O = f32x4.splat(omr), E = f32x4.splat(eps), L = f32x4.splat(negLr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    adadelta4(p + o, g + o, sq + o, ad + o, 4, maximize, weightDecay, W, R, O, E, L);
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    adadelta4(p + o, g + o, sq + o, ad + o, 1, maximize, weightDecay, W, R, O, E, L);
  }
}
