// torch.optim.LBFGS: PyTorch 2.x's lbfgs.py line for line, with its strong-Wolfe line search
// (ported there from Torch7's lswolfe.lua / polyinterp.lua).
//
// Note [Python numbers and 0-d tensors in LBFGS]: PyTorch's LBFGS mixes Python floats (the
// losses, `float(closure())`) with 0-d tensors (every dot product, and what is computed from one:
// gtd, ys, ro, H_diag, the step t once a line search or `1/|g|_1` set it). Arithmetic with a
// tensor runs in the tensor's dtype (float32 for float32 parameters), arithmetic between Python
// numbers in double precision, and which one a value is changes from step to step. To get
// PyTorch's numbers step for step we keep that distinction: a `Num` is a JS number or a 0-d
// tensor, and the helpers below do what Python's operators and builtins do with each.

import { Tensor } from "../core/tensor.js";
import { Optimizer, type ParamsT, type Closure } from "./optimizer.js";
import { enable_grad, no_grad } from "../autograd/grad_mode.js";
import { add, sub, mul, div, gt, lt, le, ge, abs, sqrt } from "../ops/elementwise.js";
import { cat } from "../ops/indexing.js";
import { zeros } from "../ops/creation.js";
import { optionsOf } from "./sgd.js";
import { pyNum } from "./_util.js";
import { profiling } from "../profiler/record.js";

type Num = number | Tensor;

const T = (x: unknown): x is Tensor => x instanceof Tensor;
const nadd = (a: Num, b: Num): Num => (T(a) || T(b) ? add(a, b) : a + b);
const nsub = (a: Num, b: Num): Num => (T(a) || T(b) ? sub(a, b) : a - b);
const nmul = (a: Num, b: Num): Num => (T(a) || T(b) ? mul(a, b) : a * b);
const ndiv = (a: Num, b: Num): Num => (T(a) || T(b) ? div(a, b) : a / b);
const nneg = (a: Num): Num => (T(a) ? a.neg() : -a);
const nabs = (a: Num): Num => (T(a) ? abs(a) : Math.abs(a));
/** Python's truth of a comparison: a bool tensor's item, or the comparison of two numbers. */
const truth = (x: Num | boolean): boolean => (T(x) ? Boolean(x.item()) : Boolean(x));
const ngt = (a: Num, b: Num): boolean => (T(a) || T(b) ? truth(gt(a, b)) : a > b);
const nlt = (a: Num, b: Num): boolean => (T(a) || T(b) ? truth(lt(a, b)) : a < b);
const nle = (a: Num, b: Num): boolean => (T(a) || T(b) ? truth(le(a, b)) : a <= b);
const nge = (a: Num, b: Num): boolean => (T(a) || T(b) ? truth(ge(a, b)) : a >= b);
/** Python's min/max of two: the first argument unless the second is strictly smaller/larger. */
const nmin = (a: Num, b: Num): Num => (nlt(b, a) ? b : a);
const nmax = (a: Num, b: Num): Num => (ngt(b, a) ? b : a);
/** float(x) / a Scalar argument (alpha=): a tensor's value as a double. */
const num = (x: Num): number => (T(x) ? x.item() : x);

/** polyinterp.lua's cubic interpolation of two points with values and derivatives: the minimiser
 *  of the cubic through them, clamped to the bounds (their midpoint when the cubic has none). */
function cubicInterpolate(x1: Num, f1: Num, g1: Num, x2: Num, f2: Num, g2: Num, bounds?: [Num, Num]): Num {
  const [xminBound, xmaxBound] = bounds ?? (nle(x1, x2) ? [x1, x2] : [x2, x1]);
  const d1 = nsub(nadd(g1, g2), ndiv(nmul(3, nsub(f1, f2)), nsub(x1, x2)));
  const d2Square = nsub(T(d1) ? d1.pow(2) : d1 ** 2, nmul(g1, g2));
  if (nge(d2Square, 0)) {
    const d2 = T(d2Square) ? sqrt(d2Square) : Math.sqrt(d2Square);
    const minPos = nle(x1, x2)
      ? nsub(x2, nmul(nsub(x2, x1), ndiv(nsub(nadd(g2, d2), d1), nadd(nsub(g2, g1), nmul(2, d2)))))
      : nsub(x1, nmul(nsub(x1, x2), ndiv(nsub(nadd(g1, d2), d1), nadd(nsub(g1, g2), nmul(2, d2)))));
    return nmin(nmax(minPos, xminBound), xmaxBound);
  }
  return ndiv(nadd(xminBound, xmaxBound), 2.0);
}

type ObjFunc = (x: Tensor[], t: Num, d: Tensor) => [number, Tensor];

/** lswolfe.lua: a step t along d satisfying the strong Wolfe conditions; returns the loss and
 *  flat gradient there, t, and the number of function evaluations. */
function strongWolfe(
  objFunc: ObjFunc, x: Tensor[], t: Num, d: Tensor, f: number, g: Tensor, gtd: Tensor,
  c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25,
): [number, Tensor, Num, number] {
  const dNorm = abs(d).max();
  g = g.clone();
  let [fNew, gNew] = objFunc(x, t, d);
  let lsFuncEvals = 1;
  let gtdNew: Tensor = gNew.dot(d);

  // bracket an interval containing a point satisfying the Wolfe criteria
  let tPrev: Num = 0, fPrev: number = f, gPrev: Tensor = g, gtdPrev: Tensor = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: Num[] = [], bracketF: number[] = [], bracketG: Tensor[] = [], bracketGtd: Tensor[] = [];
  while (lsIter < maxLs) {
    if (ngt(fNew, nadd(f, nmul(nmul(c1, t), gtd))) || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.clone()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (nle(nabs(gtdNew), nmul(-c2, gtd))) {
      bracket = [t]; bracketF = [fNew]; bracketG = [gNew];
      done = true;
      break;
    }
    if (nge(gtdNew, 0)) {
      bracket = [tPrev, t]; bracketF = [fPrev, fNew]; bracketG = [gPrev, gNew.clone()]; bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // interpolate
    const minStep = nadd(t, nmul(0.01, nsub(t, tPrev)));
    const maxStep = nmul(t, 10);
    const tmp = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    // next step
    tPrev = tmp; fPrev = fNew; gPrev = gNew.clone(); gtdPrev = gtdNew;
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d);
    lsIter += 1;
  }
  // reached the maximum number of iterations?
  if (lsIter === maxLs) {
    bracket = [0, t]; bracketF = [f, fNew]; bracketG = [g, gNew];
  }

  // zoom phase: we now have a point satisfying the criteria, or a bracket around it; refine the
  // bracket until we find the exact point satisfying the criteria
  let insufProgress = false;
  let [lowPos, highPos] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  const bmax = (): Num => nmax(bracket[0]!, bracket[1]!);
  const bmin = (): Num => nmin(bracket[0]!, bracket[1]!);
  while (!done && lsIter < maxLs) {
    // the line-search bracket is too small
    if (nlt(nmul(nabs(nsub(bracket[1]!, bracket[0]!)), dNorm), toleranceChange)) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);
    // Move t away from the bracket's ends by 0.1 of its length when it is too close to one of
    // them after an insufficient step, or outside the bracket.
    const eps = nmul(0.1, nsub(bmax(), bmin()));
    if (nlt(nmin(nsub(bmax(), t), nsub(t, bmin())), eps)) {
      if (insufProgress || nge(t, bmax()) || nle(t, bmin())) {
        t = nlt(nabs(nsub(t, bmax())), nabs(nsub(t, bmin()))) ? nsub(bmax(), eps) : nadd(bmin(), eps);
        insufProgress = false;
      } else {
        insufProgress = true;
      }
    } else {
      insufProgress = false;
    }
    // evaluate the new point
    [fNew, gNew] = objFunc(x, t, d);
    lsFuncEvals += 1;
    gtdNew = gNew.dot(d);
    lsIter += 1;
    if (ngt(fNew, nadd(f, nmul(nmul(c1, t), gtd))) || fNew >= bracketF[lowPos]!) {
      // Armijo condition not satisfied or not lower than the lowest point
      bracket[highPos] = t; bracketF[highPos] = fNew; bracketG[highPos] = gNew.clone(); bracketGtd[highPos] = gtdNew;
      [lowPos, highPos] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (nle(nabs(gtdNew), nmul(-c2, gtd))) {
        done = true; // Wolfe conditions satisfied
      } else if (nge(nmul(gtdNew, nsub(bracket[highPos]!, bracket[lowPos]!)), 0)) {
        // the old high becomes the new low
        bracket[highPos] = bracket[lowPos]!; bracketF[highPos] = bracketF[lowPos]!;
        bracketG[highPos] = bracketG[lowPos]!; bracketGtd[highPos] = bracketGtd[lowPos]!;
      }
      // the new point becomes the new low
      bracket[lowPos] = t; bracketF[lowPos] = fNew; bracketG[lowPos] = gNew.clone(); bracketGtd[lowPos] = gtdNew;
    }
  }
  return [bracketF[lowPos]!, bracketG[lowPos]!, bracket[lowPos]!, lsFuncEvals];
}

export interface LBFGSOptions {
  lr?: number;
  max_iter?: number;
  /** default: max_iter * 5 // 4 */
  max_eval?: number | null;
  tolerance_grad?: number;
  tolerance_change?: number;
  history_size?: number;
  line_search_fn?: "strong_wolfe" | null;
}

export interface LBFGSGroup {
  params: Tensor[];
  lr: number;
  max_iter: number;
  max_eval: number;
  tolerance_grad: number;
  tolerance_change: number;
  history_size: number;
  line_search_fn: string | null;
  [key: string]: unknown;
}

/** torch.optim.LBFGS. One param group only; `step(closure)` needs the closure, which it calls
 *  several times per step (with gradients enabled) and whose first loss it returns. */
export class LBFGS extends Optimizer<LBFGSGroup> {
  /** LBFGS's lr default is the int 1, and it has no other integral float: all print as given. */
  static override _float_hyperparameters: ReadonlySet<string> = new Set();
  /** @internal */ _params: Tensor[];
  /** @internal */ _numel_cache: number | null = null;

  constructor(params: ParamsT, lr?: number | LBFGSOptions, options?: LBFGSOptions) {
    const o = optionsOf(lr, options);
    const d = {
      lr: o.lr ?? 1, max_iter: o.max_iter ?? 20, max_eval: o.max_eval ?? null, tolerance_grad: o.tolerance_grad ?? 1e-7,
      tolerance_change: o.tolerance_change ?? 1e-9, history_size: o.history_size ?? 100, line_search_fn: o.line_search_fn ?? null,
    };
    if (!(0.0 <= d.lr)) throw new Error(`Invalid learning rate: ${pyNum(d.lr)}`);
    if (d.max_eval === null) d.max_eval = Math.floor((d.max_iter * 5) / 4);
    super(params, d);
    if (this.param_groups.length !== 1) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    this._params = this.param_groups[0]!.params;
  }

  /** @internal */ _numel(): number {
    if (this._numel_cache === null) this._numel_cache = this._params.reduce((s, p) => s + p.numel(), 0);
    return this._numel_cache;
  }

  /** @internal All gradients as one flat vector (zeros for a parameter without one). */
  _gather_flat_grad(): Tensor {
    return cat(this._params.map((p) => (p.grad === null ? zeros(p.numel(), { dtype: p.dtype }) : p.grad.reshape(-1))), 0);
  }

  /** @internal p += step_size * update, parameter by parameter. */
  _add_grad(stepSize: Num, update: Tensor): void {
    let offset = 0;
    const alpha = num(stepSize);
    for (const p of this._params) {
      const n = p.numel();
      p.add_(update.narrow(0, offset, n).view_as(p), { alpha });
      offset += n;
    }
    if (offset !== this._numel()) throw new Error(`Expected offset ${offset} to equal ${this._numel()}`);
  }

  /** @internal */ _clone_param(): Tensor[] { return this._params.map((p) => p.clone()); }

  /** @internal */ _set_param(data: Tensor[]): void { this._params.forEach((p, i) => p.copy_(data[i]!)); }

  /** @internal The loss and flat gradient at x + t d (the parameters are put back to x after). */
  _directional_evaluate(closure: Closure, x: Tensor[], t: Num, d: Tensor): [number, Tensor] {
    this._add_grad(t, d);
    const loss = num(closure());
    const flatGrad = this._gather_flat_grad();
    this._set_param(x);
    return [loss, flatGrad];
  }

  /** One optimization step: up to max_iter L-BFGS iterations. Returns the closure's first loss. */
  override step(closure?: Closure): number | Tensor {
    return profiling.on ? this._profile_step((c?: Closure) => this._step_lbfgs(c), closure) : this._step_lbfgs(closure);
  }

  private _step_lbfgs(closure?: Closure): number | Tensor {
    if (typeof closure !== "function") throw new TypeError("LBFGS.step() missing 1 required positional argument: 'closure'");
    const args: unknown[] = [closure];
    for (const h of this._step_pre_hooks.values()) h(this as unknown as Optimizer, args);
    const result = no_grad(() => this._lbfgs(() => enable_grad(closure)));
    for (const h of this._step_post_hooks.values()) h(this as unknown as Optimizer, args);
    return result;
  }

  private _lbfgs(closure: Closure): number | Tensor {
    const group = this.param_groups[0]!;
    const { lr, max_iter: maxIter, max_eval: maxEval, tolerance_grad: toleranceGrad, tolerance_change: toleranceChange,
      line_search_fn: lineSearchFn, history_size: historySize } = group;
    // LBFGS's state is global; PyTorch registers it as the first parameter's (which helps with
    // casting in load_state_dict).
    const state = this._state_of(this._params[0]!) as unknown as LBFGSState;
    state.func_evals ??= 0;
    state.n_iter ??= 0;

    // evaluate the initial f(x) and df/dx
    const origLoss = closure();
    let loss = num(origLoss);
    let currentEvals = 1;
    state.func_evals += 1;
    let flatGrad = this._gather_flat_grad();
    let optCond = nle(abs(flatGrad).max(), toleranceGrad);
    if (optCond) return origLoss;

    // tensors cached in state
    let d = state.d, t = state.t, oldDirs = state.old_dirs, oldStps = state.old_stps, ro = state.ro;
    let hDiag = state.H_diag, prevFlatGrad = state.prev_flat_grad, prevLoss = state.prev_loss;

    let nIter = 0;
    while (nIter < maxIter) {
      nIter += 1;
      state.n_iter += 1;

      // compute the descent direction
      if (state.n_iter === 1) {
        d = flatGrad.neg();
        oldDirs = []; oldStps = []; ro = [];
        hDiag = 1;
      } else {
        // L-BFGS update (update the memory)
        const y = flatGrad.sub(prevFlatGrad!);
        const s = d!.mul(t!);
        const ys = y.dot(s);
        if (ngt(ys, 1e-10)) {
          if (oldDirs!.length === historySize) {
            // shift the history by one (limited memory)
            oldDirs!.shift(); oldStps!.shift(); ro!.shift();
          }
          oldDirs!.push(y); oldStps!.push(s); ro!.push(div(1.0, ys));
          // update the scale of the initial Hessian approximation
          hDiag = ys.div(y.dot(y));
        }
        // the approximate inverse Hessian times the gradient (the two-loop recursion)
        const numOld = oldDirs!.length;
        state.al ??= new Array<Tensor | null>(historySize).fill(null);
        const al = state.al;
        const q = flatGrad.neg();
        for (let i = numOld - 1; i >= 0; i--) {
          al[i] = oldStps![i]!.dot(q).mul(ro![i]!);
          q.add_(oldDirs![i]!, { alpha: -num(al[i]!) });
        }
        // multiply by the initial Hessian; r/d is the final direction
        const r = mul(q, hDiag!);
        d = r;
        for (let i = 0; i < numOld; i++) {
          const be_i = oldDirs![i]!.dot(r).mul(ro![i]!);
          r.add_(oldStps![i]!, { alpha: num(nsub(al[i]!, be_i)) });
        }
      }
      if (prevFlatGrad === undefined || prevFlatGrad === null) prevFlatGrad = flatGrad.clone();
      else prevFlatGrad.copy_(flatGrad);
      prevLoss = loss;

      // compute the step length: reset the initial guess
      t = state.n_iter === 1 ? nmul(nmin(1.0, div(1.0, abs(flatGrad).sum())), lr) : lr;

      // directional derivative, stop when below tolerance
      const gtd = flatGrad.dot(d);
      if (ngt(gtd, -toleranceChange)) break;

      let lsFuncEvals = 0;
      if (lineSearchFn !== null && lineSearchFn !== undefined) {
        if (lineSearchFn !== "strong_wolfe") throw new Error("only 'strong_wolfe' is supported");
        const xInit = this._clone_param();
        const objFunc: ObjFunc = (x, tt, dd) => this._directional_evaluate(closure, x, tt, dd);
        [loss, flatGrad, t, lsFuncEvals] = strongWolfe(objFunc, xInit, t, d, loss, flatGrad, gtd, 1e-4, 0.9, 1e-9, maxEval - currentEvals);
        this._add_grad(t, d);
        optCond = nle(abs(flatGrad).max(), toleranceGrad);
      } else {
        // no line search: a fixed step
        this._add_grad(t, d);
        if (nIter !== maxIter) {
          // re-evaluate the function only if not in the last iteration (in a stochastic setting
          // there is no use re-evaluating it here)
          loss = num(closure());
          flatGrad = this._gather_flat_grad();
          optCond = nle(abs(flatGrad).max(), toleranceGrad);
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      state.func_evals += lsFuncEvals;

      // check the stopping conditions
      if (nIter === maxIter) break;
      if (currentEvals >= maxEval) break;
      if (optCond) break; // optimal
      if (nle(abs(d.mul(t)).max(), toleranceChange)) break; // lack of progress
      if (Math.abs(loss - prevLoss) < toleranceChange) break;
    }
    Object.assign(state, {
      d, t, old_dirs: oldDirs, old_stps: oldStps, ro, H_diag: hDiag, prev_flat_grad: prevFlatGrad, prev_loss: prevLoss,
    });
    return origLoss;
  }
}

/** LBFGS's state, kept on the first parameter with PyTorch's keys. */
interface LBFGSState {
  func_evals: number;
  n_iter: number;
  d?: Tensor;
  t?: Num;
  old_dirs?: Tensor[];
  old_stps?: Tensor[];
  ro?: Tensor[];
  H_diag?: Num;
  prev_flat_grad?: Tensor | null;
  prev_loss?: number;
  al?: (Tensor | null)[];
}
