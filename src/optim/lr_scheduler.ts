// torch.optim.lr_scheduler: PyTorch 2.x's schedulers, formula for formula (most are recursive:
// each step scales the group's current lr, so the numbers match PyTorch's only when computed the
// same way; CosineAnnealingLR in particular is PyTorch's recursive form, not the closed form).
//
// Note [Scheduler fields before the initial step]: PyTorch's subclasses set their own fields and
// then call LRScheduler.__init__, which takes the first step (and so calls get_lr) at once. A
// JavaScript constructor cannot touch `this` before super(), so subclasses hand their fields to
// the base constructor (`super(optimizer, last_epoch, {step_size, gamma})`), which assigns them
// before that first step. Subclass fields are declared with `declare` so that no class-field
// initialiser overwrites them after super() returns. A user-defined scheduler does the same.

import { Tensor } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { Optimizer, type ParamGroup } from "./optimizer.js";
import { pymod, floordiv, pyNum } from "./_util.js";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyOptimizer = Optimizer<any>;

/** bisect.bisect_right on a sorted array. */
function bisectRight(a: readonly number[], x: number): number {
  let lo = 0, hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (x < a[mid]!) hi = mid; else lo = mid + 1;
  }
  return lo;
}

/** PyTorch's arguments after the optimizer, given positionally or as one options object (or
 *  positionally with an options object last): `new StepLR(opt, 30, 0.1)` ≡
 *  `new StepLR(opt, {step_size: 30, gamma: 0.1})` ≡ `new StepLR(opt, 30, {gamma: 0.1})`. */
function kwargs<T extends object>(names: readonly string[], args: readonly unknown[]): Partial<T> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (isPlainOptions(a)) { Object.assign(out, a); break; }
    if (a !== undefined && i < names.length) out[names[i]!] = a;
  }
  return out as Partial<T>;
}

function isPlainOptions(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof LRScheduler) && Object.getPrototypeOf(x) === Object.prototype;
}

/** Base class of the schedulers (torch.optim.lr_scheduler.LRScheduler). */
export class LRScheduler {
  optimizer!: AnyOptimizer;
  base_lrs!: number[];
  last_epoch!: number;
  _step_count = 0;
  _last_lr: number[] = [];
  _get_lr_called_within_step = false;
  _is_initial = false;

  /**
   * `fields` are the subclass's own attributes, set before the initial step (Note [Scheduler
   * fields before the initial step]). `init: false` skips LRScheduler.__init__ entirely, for the
   * subclasses that do not call it in PyTorch (SequentialLR, ReduceLROnPlateau, ChainedScheduler).
   */
  constructor(optimizer: AnyOptimizer, last_epoch = -1, fields: Record<string, unknown> = {}, init = true) {
    this._step_count = 0;
    this._last_lr = [];
    this._get_lr_called_within_step = false;
    this._is_initial = false;
    Object.assign(this, fields);
    if (!init) return;
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
    this.optimizer = optimizer;
    if (last_epoch === -1) {
      for (const g of optimizer.param_groups) if (!("initial_lr" in g)) g["initial_lr"] = g.lr;
    } else {
      optimizer.param_groups.forEach((g, i) => {
        if (!("initial_lr" in g)) {
          throw new Error(`param 'initial_lr' is not specified in param_groups[${i}] when resuming scheduler with last_epoch >= 0.\n` +
            "This typically happens when:\n" +
            "1. You're trying to resume training from a checkpoint but haven't properly loaded the optimizer state\n" +
            "2. You're using last_epoch >= 0 for a fresh training run (not recommended)");
        }
      });
    }
    this.base_lrs = optimizer.param_groups.map((g) => g["initial_lr"] as number);
    this.last_epoch = last_epoch;
    this._initial_step();
  }

  /** @internal Resets the step count and takes the first step. */
  _initial_step(): void {
    this._step_count = 0;
    this._is_initial = true;
    try { this.step(); } finally { this._is_initial = false; }
  }

  /** The learning rates the next step sets; subclasses implement it. */
  get_lr(): number[] {
    throw new Error(`${this.constructor.name}.get_lr is not implemented (NotImplementedError)`);
  }

  /** The learning rate of each param group after the latest step. */
  get_last_lr(): number[] {
    return this._last_lr.slice();
  }

  /** Advances one epoch (or, deprecated as in PyTorch, jumps to `epoch` with the closed form
   *  where the scheduler has one) and writes the new lrs into the optimizer's groups. */
  step(epoch?: number): void {
    this._step_count += 1;
    this._update_lr(epoch);
  }

  /** @internal */
  _update_lr(epoch?: number): void {
    let values: number[];
    this._get_lr_called_within_step = true;
    try {
      if (epoch === undefined || epoch === null) {
        this.last_epoch += 1;
        values = this.get_lr();
      } else {
        this.last_epoch = epoch;
        values = this._get_closed_form_lr !== undefined ? this._get_closed_form_lr() : this.get_lr();
      }
    } finally {
      this._get_lr_called_within_step = false;
    }
    const groups = this.optimizer.param_groups;
    if (values.length !== groups.length) throw new Error(`${this.constructor.name}: get_lr returned ${values.length} values for ${groups.length} param groups`);
    groups.forEach((g, i) => { g.lr = values[i]!; });
    this._last_lr = groups.map((g) => g.lr);
  }

  /** @internal The closed form used by step(epoch), on the schedulers that have one. */
  _get_closed_form_lr?(): number[];

  /** The scheduler's attributes, except the optimizer (PyTorch: `__dict__` less `optimizer`). */
  state_dict(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this)) {
      if (k === "optimizer" || typeof v === "function" || v === undefined) continue;
      out[k] = Array.isArray(v) ? v.slice() : v;
    }
    return out;
  }

  load_state_dict(state_dict: Record<string, unknown>): void {
    for (const [k, v] of Object.entries(state_dict)) {
      (this as unknown as Record<string, unknown>)[k] = Array.isArray(v) ? v.slice() : v;
    }
  }

  /** @internal group[key] for every group. */
  protected _groups(key = "lr"): number[] {
    return this.optimizer.param_groups.map((g: ParamGroup) => g[key] as number);
  }
}

/** Alias kept by PyTorch for old code. */
export { LRScheduler as _LRScheduler };

type LrLambda = (epoch: number) => number;

function lambdasFor(optimizer: AnyOptimizer, lr_lambda: LrLambda | LrLambda[]): LrLambda[] {
  const n = optimizer.param_groups.length;
  if (!Array.isArray(lr_lambda)) return new Array<LrLambda>(n).fill(lr_lambda);
  if (lr_lambda.length !== n) throw new Error(`Expected ${n} lr_lambdas, but got ${lr_lambda.length}`);
  return lr_lambda.slice();
}

/** lr = base_lr * lr_lambda(epoch). */
export class LambdaLR extends LRScheduler {
  declare lr_lambdas: LrLambda[];
  constructor(optimizer: AnyOptimizer, ...args: (LrLambda | LrLambda[] | number | { lr_lambda: LrLambda | LrLambda[]; last_epoch?: number })[]) {
    const o = kwargs<{ lr_lambda: LrLambda | LrLambda[]; last_epoch: number }>(["lr_lambda", "last_epoch"], args);
    super(optimizer, o.last_epoch ?? -1, { lr_lambdas: lambdasFor(optimizer, o.lr_lambda!) });
  }
  override get_lr(): number[] {
    return this.base_lrs.map((b, i) => b * this.lr_lambdas[i]!(this.last_epoch));
  }
  /** The lambdas are not saved (PyTorch saves only callable objects' attributes). */
  override state_dict(): Record<string, unknown> {
    const sd = super.state_dict();
    delete sd["lr_lambdas"];
    sd["lr_lambdas"] = this.lr_lambdas.map(() => null);
    return sd;
  }
  override load_state_dict(state_dict: Record<string, unknown>): void {
    const { lr_lambdas: _ignored, ...rest } = state_dict;
    super.load_state_dict(rest);
  }
}

/** lr = lr * lr_lambda(epoch) at every step after the first. */
export class MultiplicativeLR extends LRScheduler {
  declare lr_lambdas: LrLambda[];
  constructor(optimizer: AnyOptimizer, ...args: (LrLambda | LrLambda[] | number | { lr_lambda: LrLambda | LrLambda[]; last_epoch?: number })[]) {
    const o = kwargs<{ lr_lambda: LrLambda | LrLambda[]; last_epoch: number }>(["lr_lambda", "last_epoch"], args);
    const last_epoch = o.last_epoch ?? -1;
    const lambdas = lambdasFor(optimizer, o.lr_lambda!);
    for (const f of lambdas) if (typeof f !== "function") throw new TypeError(`lr_lambda should be a function, but got ${pyTypeName(f)}`);
    super(optimizer, last_epoch, { lr_lambdas: lambdas });
  }
  override get_lr(): number[] {
    if (this._is_initial) return this._groups();
    return this._groups().map((lr, i) => lr * this.lr_lambdas[i]!(this.last_epoch));
  }
  override state_dict(): Record<string, unknown> { return LambdaLR.prototype.state_dict.call(this); }
  override load_state_dict(sd: Record<string, unknown>): void { LambdaLR.prototype.load_state_dict.call(this, sd); }
}

/** Multiplies the lr by gamma every step_size epochs. */
export class StepLR extends LRScheduler {
  declare step_size: number;
  declare gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { step_size?: number; gamma?: number; last_epoch?: number })[]) {
    const o = kwargs<{ step_size: number; gamma: number; last_epoch: number }>(["step_size", "gamma", "last_epoch"], args);
    super(optimizer, o.last_epoch ?? -1, { step_size: o.step_size, gamma: o.gamma ?? 0.1 });
  }
  override get_lr(): number[] {
    if (this.last_epoch === 0 || pymod(this.last_epoch, this.step_size) !== 0) return this._groups();
    return this._groups().map((lr) => lr * this.gamma);
  }
  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * this.gamma ** floordiv(this.last_epoch, this.step_size));
  }
}

/** Multiplies the lr by gamma at each milestone (by gamma^k for a milestone given k times). */
export class MultiStepLR extends LRScheduler {
  declare milestones: Map<number, number>;
  declare gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: (Iterable<number> | number | { milestones?: Iterable<number>; gamma?: number; last_epoch?: number })[]) {
    const o = kwargs<{ milestones: Iterable<number>; gamma: number; last_epoch: number }>(["milestones", "gamma", "last_epoch"], args);
    const counts = new Map<number, number>();
    for (const m of o.milestones ?? []) counts.set(m, (counts.get(m) ?? 0) + 1);
    super(optimizer, o.last_epoch ?? -1, { milestones: counts, gamma: o.gamma ?? 0.1 });
  }
  override get_lr(): number[] {
    const k = this.milestones.get(this.last_epoch);
    if (k === undefined) return this._groups();
    return this._groups().map((lr) => lr * this.gamma ** k);
  }
  override _get_closed_form_lr(): number[] {
    const sorted: number[] = [];
    for (const [m, k] of this.milestones) for (let i = 0; i < k; i++) sorted.push(m);
    sorted.sort((a, b) => a - b);
    return this.base_lrs.map((b) => b * this.gamma ** bisectRight(sorted, this.last_epoch));
  }
}

/** Multiplies the lr by a constant factor until total_iters. */
export class ConstantLR extends LRScheduler {
  declare factor: number;
  declare total_iters: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { factor?: number; total_iters?: number; last_epoch?: number })[]) {
    const opts = kwargs<{ factor: number; total_iters: number; last_epoch: number }>(["factor", "total_iters", "last_epoch"], args);
    const factor = opts.factor ?? 1.0 / 3;
    if (factor > 1.0 || factor < 0) throw new Error("Constant multiplicative factor expected to be between 0 and 1.");
    super(optimizer, opts.last_epoch ?? -1, { factor, total_iters: opts.total_iters ?? 5 });
  }
  override get_lr(): number[] {
    if (this.last_epoch === 0) return this._groups().map((lr) => lr * this.factor);
    if (this.last_epoch !== this.total_iters) return this._groups();
    return this._groups().map((lr) => lr * (1.0 / this.factor));
  }
  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * (this.factor + (this.last_epoch >= this.total_iters ? 1 : 0) * (1 - this.factor)));
  }
}

/** Scales the lr by a factor going linearly from start_factor to end_factor over total_iters. */
export class LinearLR extends LRScheduler {
  declare start_factor: number;
  declare end_factor: number;
  declare total_iters: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { start_factor?: number; end_factor?: number; total_iters?: number; last_epoch?: number })[]) {
    const opts = kwargs<{ start_factor: number; end_factor: number; total_iters: number; last_epoch: number }>(["start_factor", "end_factor", "total_iters", "last_epoch"], args);
    const start_factor = opts.start_factor ?? 1.0 / 3, end_factor = opts.end_factor ?? 1.0;
    if (start_factor > 1.0 || start_factor <= 0) throw new Error("Starting multiplicative factor expected to be greater than 0 and less or equal to 1.");
    if (end_factor > 1.0 || end_factor < 0) throw new Error("Ending multiplicative factor expected to be between 0 and 1.");
    super(optimizer, opts.last_epoch ?? -1, { start_factor, end_factor, total_iters: opts.total_iters ?? 5 });
  }
  override get_lr(): number[] {
    if (this.last_epoch === 0) return this._groups().map((lr) => lr * this.start_factor);
    if (this._is_initial || this.last_epoch > this.total_iters) return this._groups();
    const { start_factor: s, end_factor: e, total_iters: t } = this;
    return this._groups().map((lr) => lr * (1.0 + (e - s) / (t * s + (this.last_epoch - 1) * (e - s))));
  }
  override _get_closed_form_lr(): number[] {
    const { start_factor: s, end_factor: e, total_iters: t } = this;
    return this.base_lrs.map((b) => b * (s + ((e - s) * Math.min(t, this.last_epoch)) / t));
  }
}

/** Multiplies the lr by gamma every epoch. */
export class ExponentialLR extends LRScheduler {
  declare gamma: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { gamma?: number; last_epoch?: number })[]) {
    const o = kwargs<{ gamma: number; last_epoch: number }>(["gamma", "last_epoch"], args);
    super(optimizer, o.last_epoch ?? -1, { gamma: o.gamma });
  }
  override get_lr(): number[] {
    if (this._is_initial) return this._groups();
    return this._groups().map((lr) => lr * this.gamma);
  }
  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * this.gamma ** this.last_epoch);
  }
}

/** Decays the lr with a polynomial of the given power over total_iters. */
export class PolynomialLR extends LRScheduler {
  declare total_iters: number;
  declare power: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { total_iters?: number; power?: number; last_epoch?: number })[]) {
    const opts = kwargs<{ total_iters: number; power: number; last_epoch: number }>(["total_iters", "power", "last_epoch"], args);
    super(optimizer, opts.last_epoch ?? -1, { total_iters: opts.total_iters ?? 5, power: opts.power ?? 1.0 });
  }
  override get_lr(): number[] {
    if (this._is_initial || this.last_epoch > this.total_iters) return this._groups();
    const t = this.total_iters;
    const decay = ((1.0 - this.last_epoch / t) / (1.0 - (this.last_epoch - 1) / t)) ** this.power;
    return this._groups().map((lr) => lr * decay);
  }
  override _get_closed_form_lr(): number[] {
    return this.base_lrs.map((b) => b * (1.0 - Math.min(this.total_iters, this.last_epoch) / this.total_iters) ** this.power);
  }
}

/** Cosine annealing from the base lr down to eta_min over T_max epochs, in PyTorch's recursive
 *  form (each step rescales the current lr), then back up, periodically. */
export class CosineAnnealingLR extends LRScheduler {
  declare T_max: number;
  declare eta_min: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { T_max?: number; eta_min?: number; last_epoch?: number })[]) {
    const o = kwargs<{ T_max: number; eta_min: number; last_epoch: number }>(["T_max", "eta_min", "last_epoch"], args);
    super(optimizer, o.last_epoch ?? -1, { T_max: o.T_max, eta_min: o.eta_min ?? 0.0 });
  }
  override get_lr(): number[] {
    const { T_max: T, eta_min: eta } = this;
    if (this._is_initial) return this._groups();
    if (this._step_count === 1 && this.last_epoch > 0) {
      return this.base_lrs.map((b) => eta + ((b - eta) * (1 + Math.cos((this.last_epoch * Math.PI) / T))) / 2);
    }
    if (pymod(this.last_epoch - 1 - T, 2 * T) === 0) {
      return this._groups().map((lr, i) => lr + ((this.base_lrs[i]! - eta) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return this._groups().map((lr) =>
      ((1 + Math.cos((Math.PI * this.last_epoch) / T)) / (1 + Math.cos((Math.PI * (this.last_epoch - 1)) / T))) * (lr - eta) + eta);
  }
  override _get_closed_form_lr(): number[] {
    const { T_max: T, eta_min: eta } = this;
    return this.base_lrs.map((b) => eta + ((b - eta) * (1 + Math.cos((Math.PI * this.last_epoch) / T))) / 2);
  }
}

/** Cosine annealing with warm restarts (SGDR): the period starts at T_0 and is multiplied by
 *  T_mult after each restart. `step(epoch)` accepts fractional epochs, as in PyTorch. */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  declare T_0: number;
  declare T_i: number;
  declare T_mult: number;
  declare eta_min: number;
  declare T_cur: number;
  constructor(optimizer: AnyOptimizer, ...args: (number | { T_0?: number; T_mult?: number; eta_min?: number; last_epoch?: number })[]) {
    const o = kwargs<{ T_0: number; T_mult: number; eta_min: number; last_epoch: number }>(["T_0", "T_mult", "eta_min", "last_epoch"], args);
    const t0 = o.T_0 as number, tm = o.T_mult ?? 1, le = o.last_epoch ?? -1;
    if (t0 <= 0 || !Number.isInteger(t0)) throw new Error(`Expected positive integer T_0, but got ${t0}`);
    if (tm < 1 || !Number.isInteger(tm)) throw new Error(`Expected integer T_mult >= 1, but got ${tm}`);
    const em = o.eta_min ?? 0.0;
    if (typeof em !== "number") throw new Error(`Expected float or int eta_min, but got ${String(em)} of type ${pyTypeName(em)}`);
    super(optimizer, le, { T_0: t0, T_i: t0, T_mult: tm, eta_min: em, T_cur: le });
  }
  override get_lr(): number[] {
    return this.base_lrs.map((b) => this.eta_min + ((b - this.eta_min) * (1 + Math.cos((Math.PI * this.T_cur) / this.T_i))) / 2);
  }
  override step(epoch?: number): void {
    if ((epoch === undefined || epoch === null) && this.last_epoch < 0) epoch = 0;
    if (epoch === undefined || epoch === null) {
      epoch = this.last_epoch + 1;
      this.T_cur = this.T_cur + 1;
      if (this.T_cur >= this.T_i) {
        this.T_cur = pymod(this.T_cur, this.T_i);
        this.T_i = this.T_i * this.T_mult;
      }
    } else {
      if (epoch < 0) throw new Error(`Expected non-negative epoch, but got ${pyNum(epoch)}`);
      if (epoch >= this.T_0) {
        if (this.T_mult === 1) {
          this.T_cur = pymod(epoch, this.T_0);
        } else {
          // int(math.log(x, T_mult)): Python computes log(x) / log(base).
          const n = Math.trunc(Math.log((epoch / this.T_0) * (this.T_mult - 1) + 1) / Math.log(this.T_mult));
          this.T_cur = epoch - (this.T_0 * (this.T_mult ** n - 1)) / (this.T_mult - 1);
          this.T_i = this.T_0 * this.T_mult ** n;
        }
      } else {
        this.T_i = this.T_0;
        this.T_cur = epoch;
      }
    }
    this.last_epoch = Math.floor(epoch);
    this._get_lr_called_within_step = true;
    let values: number[];
    try { values = this.get_lr(); } finally { this._get_lr_called_within_step = false; }
    this.optimizer.param_groups.forEach((g: ParamGroup, i: number) => { g.lr = values[i]!; });
    this._last_lr = this._groups();
  }
}

export interface OneCycleLROptions {
  max_lr?: number | number[];
  total_steps?: number | null;
  epochs?: number | null;
  steps_per_epoch?: number | null;
  pct_start?: number;
  anneal_strategy?: "cos" | "linear";
  cycle_momentum?: boolean;
  base_momentum?: number | number[];
  max_momentum?: number | number[];
  div_factor?: number;
  final_div_factor?: number;
  three_phase?: boolean;
  last_epoch?: number;
}

interface SchedulePhase { end_step: number; start_lr: string; end_lr: string; start_momentum: string; end_momentum: string }

/** The 1cycle policy: the lr anneals from max_lr/div_factor up to max_lr and down to
 *  initial_lr/final_div_factor, with the momentum (or Adam's beta1) cycled inversely. */
export class OneCycleLR extends LRScheduler {
  declare total_steps: number;
  declare _schedule_phases: SchedulePhase[];
  declare _anneal_func_type: "cos" | "linear";
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;

  constructor(optimizer: AnyOptimizer, ...args: (number | number[] | OneCycleLROptions | null)[]) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
    const o = kwargs<OneCycleLROptions>(["max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy",
      "cycle_momentum", "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase", "last_epoch"], args) as OneCycleLROptions;
    let total_steps: number;
    if (o.total_steps !== undefined && o.total_steps !== null) {
      if (o.total_steps <= 0 || !Number.isInteger(o.total_steps)) throw new Error(`Expected positive integer total_steps, but got ${o.total_steps}`);
      total_steps = o.total_steps;
    } else if (o.epochs != null && o.steps_per_epoch != null) {
      if (!Number.isInteger(o.epochs) || o.epochs <= 0) throw new Error(`Expected positive integer epochs, but got ${o.epochs}`);
      if (!Number.isInteger(o.steps_per_epoch) || o.steps_per_epoch <= 0) throw new Error(`Expected positive integer steps_per_epoch, but got ${o.steps_per_epoch}`);
      total_steps = o.epochs * o.steps_per_epoch;
    } else {
      throw new Error("You must define either total_steps OR (epochs AND steps_per_epoch)");
    }
    const pct_start = o.pct_start ?? 0.3;
    const phases: SchedulePhase[] = o.three_phase
      ? [
        { end_step: pct_start * total_steps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
        { end_step: 2 * pct_start * total_steps - 2, start_lr: "max_lr", end_lr: "initial_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
        { end_step: total_steps - 1, start_lr: "initial_lr", end_lr: "min_lr", start_momentum: "max_momentum", end_momentum: "max_momentum" },
      ]
      : [
        { end_step: pct_start * total_steps - 1, start_lr: "initial_lr", end_lr: "max_lr", start_momentum: "max_momentum", end_momentum: "base_momentum" },
        { end_step: total_steps - 1, start_lr: "max_lr", end_lr: "min_lr", start_momentum: "base_momentum", end_momentum: "max_momentum" },
      ];
    if (pct_start < 0 || pct_start > 1 || typeof pct_start !== "number") throw new Error(`Expected float between 0 and 1 pct_start, but got ${pyNum(pct_start)}`);
    const strategy = o.anneal_strategy ?? "cos";
    if (strategy !== "cos" && strategy !== "linear") throw new Error(`anneal_strategy must be one of 'cos' or 'linear', instead got ${String(strategy)}`);
    const groups = optimizer.param_groups;
    if (o.max_lr === undefined) throw new TypeError("OneCycleLR.__init__() missing 1 required positional argument: 'max_lr'");
    const max_lrs = formatParam("max_lr", optimizer, o.max_lr);
    const div_factor = o.div_factor ?? 25.0, final_div_factor = o.final_div_factor ?? 1e4;
    const last_epoch = o.last_epoch ?? -1;
    const cycle_momentum = o.cycle_momentum ?? true;
    let use_beta1 = false;
    let max_m: number[] = [], base_m: number[] = [];
    if (cycle_momentum) {
      if (!("momentum" in optimizer.defaults) && !("betas" in optimizer.defaults)) {
        throw new Error("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
      }
      use_beta1 = "betas" in optimizer.defaults;
      max_m = formatParam("max_momentum", optimizer, o.max_momentum ?? 0.95);
      base_m = formatParam("base_momentum", optimizer, o.base_momentum ?? 0.85);
    }
    // All checks are done: now write the groups, as PyTorch does before LRScheduler.__init__.
    if (last_epoch === -1) {
      groups.forEach((g, i) => {
        g["initial_lr"] = max_lrs[i]! / div_factor;
        g["max_lr"] = max_lrs[i]!;
        g["min_lr"] = (g["initial_lr"] as number) / final_div_factor;
      });
    }
    if (cycle_momentum && last_epoch === -1) {
      groups.forEach((g, i) => {
        setMomentum(g, use_beta1, max_m[i]!);
        g["max_momentum"] = max_m[i]!;
        g["base_momentum"] = base_m[i]!;
      });
    }
    super(optimizer, last_epoch, {
      total_steps, _schedule_phases: phases, _anneal_func_type: strategy, cycle_momentum, use_beta1,
    });
  }

  private _anneal(start: number, end: number, pct: number): number {
    if (this._anneal_func_type === "cos") {
      const cos_out = Math.cos(Math.PI * pct) + 1;
      return end + ((start - end) / 2.0) * cos_out;
    }
    return (end - start) * pct + start;
  }

  override get_lr(): number[] {
    const lrs: number[] = [];
    const step_num = this.last_epoch;
    if (step_num > this.total_steps) {
      throw new Error(`Tried to step ${step_num} times. The specified number of total steps is ${this.total_steps}`);
    }
    for (const group of this.optimizer.param_groups as ParamGroup[]) {
      let start_step = 0.0;
      let lr = 0, momentum = 0;
      const phases = this._schedule_phases;
      for (let i = 0; i < phases.length; i++) {
        const ph = phases[i]!;
        if (step_num <= ph.end_step || i === phases.length - 1) {
          const pct = (step_num - start_step) / (ph.end_step - start_step);
          lr = this._anneal(group[ph.start_lr] as number, group[ph.end_lr] as number, pct);
          if (this.cycle_momentum) momentum = this._anneal(group[ph.start_momentum] as number, group[ph.end_momentum] as number, pct);
          break;
        }
        start_step = ph.end_step;
      }
      lrs.push(lr);
      if (this.cycle_momentum) {
        setMomentum(group, this.use_beta1, momentum);
      }
    }
    return lrs;
  }
}

export interface CyclicLROptions {
  base_lr?: number | number[];
  max_lr?: number | number[];
  step_size_up?: number;
  step_size_down?: number | null;
  mode?: "triangular" | "triangular2" | "exp_range";
  gamma?: number;
  /** a custom scaling policy (replaces mode's); called with the cycle or the iteration */
  scale_fn?: ((x: number) => number) | null;
  scale_mode?: "cycle" | "iterations";
  cycle_momentum?: boolean;
  base_momentum?: number | number[];
  max_momentum?: number | number[];
  last_epoch?: number;
}

/** Cyclical learning rates (Smith, 2017): the lr goes from base_lr up to max_lr over step_size_up
 *  iterations and back down over step_size_down, scaled per cycle ("triangular2": halved each
 *  cycle) or per iteration ("exp_range": gamma ** iteration); momentum cycles the other way.
 *  It is stepped after every batch. */
export class CyclicLR extends LRScheduler {
  declare max_lrs: number[];
  declare total_size: number;
  declare step_ratio: number;
  declare mode: string;
  declare gamma: number;
  declare _scale_fn_custom: ((x: number) => number) | null;
  declare scale_mode: "cycle" | "iterations";
  declare cycle_momentum: boolean;
  declare use_beta1: boolean;
  declare base_momentums: number[];
  declare max_momentums: number[];

  constructor(optimizer: AnyOptimizer, ...args: (number | number[] | string | boolean | CyclicLROptions | null | ((x: number) => number))[]) {
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
    const o = kwargs<CyclicLROptions>(["base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "scale_fn",
      "scale_mode", "cycle_momentum", "base_momentum", "max_momentum", "last_epoch"], args) as CyclicLROptions;
    if (o.base_lr === undefined || o.max_lr === undefined) {
      throw new TypeError(`CyclicLR.__init__() missing 1 required positional argument: '${o.base_lr === undefined ? "base_lr" : "max_lr"}'`);
    }
    const last_epoch = o.last_epoch ?? -1;
    const base_lrs = formatParam("base_lr", optimizer, o.base_lr);
    const max_lrs = formatParam("max_lr", optimizer, o.max_lr);
    const up = o.step_size_up ?? 2000;
    const down = o.step_size_down ?? up;
    const total_size = up + down;
    const mode = o.mode ?? "triangular";
    const scale_fn = o.scale_fn ?? null;
    if (!["triangular", "triangular2", "exp_range"].includes(mode) && scale_fn === null) throw new Error("mode is invalid and scale_fn is None");
    // the built-in modes fix the scale mode; a custom scale_fn uses the given one
    const scale_mode = scale_fn !== null ? o.scale_mode ?? "cycle" : mode === "exp_range" ? "iterations" : "cycle";
    const cycle_momentum = o.cycle_momentum ?? true;
    let use_beta1 = false, base_momentums: number[] = [], max_momentums: number[] = [];
    if (cycle_momentum) {
      if (!("momentum" in optimizer.defaults) && !("betas" in optimizer.defaults)) {
        throw new Error("optimizer must support momentum or beta1 with `cycle_momentum` option enabled");
      }
      use_beta1 = "betas" in optimizer.defaults;
      base_momentums = formatParam("base_momentum", optimizer, o.base_momentum ?? 0.8);
      max_momentums = formatParam("max_momentum", optimizer, o.max_momentum ?? 0.9);
    }
    // All checks are done: now write the groups, as PyTorch does before LRScheduler.__init__.
    if (last_epoch === -1) optimizer.param_groups.forEach((g, i) => { g.lr = base_lrs[i]!; });
    if (cycle_momentum && last_epoch === -1) {
      optimizer.param_groups.forEach((g, i) => {
        setMomentum(g, use_beta1, max_momentums[i]!);
        g["max_momentum"] = max_momentums[i]!;
        g["base_momentum"] = base_momentums[i]!;
      });
    }
    super(optimizer, last_epoch, {
      max_lrs, total_size, step_ratio: up / total_size, mode, gamma: o.gamma ?? 1.0, _scale_fn_custom: scale_fn, scale_mode,
      cycle_momentum, use_beta1, base_momentums, max_momentums,
    });
    this.base_lrs = base_lrs;
  }

  /** The scaling policy: the custom scale_fn, or mode's. */
  scale_fn(x: number): number {
    if (this._scale_fn_custom !== null) return this._scale_fn_custom(x);
    if (this.mode === "triangular2") return 1 / 2.0 ** (x - 1);
    if (this.mode === "exp_range") return this.gamma ** x;
    return 1.0;
  }

  override get_lr(): number[] {
    const cycle = Math.floor(1 + this.last_epoch / this.total_size);
    const x = 1.0 + this.last_epoch / this.total_size - cycle;
    const scale_factor = x <= this.step_ratio ? x / this.step_ratio : (x - 1) / (this.step_ratio - 1);
    const scale = this.scale_fn(this.scale_mode === "cycle" ? cycle : this.last_epoch);
    const lrs = this.base_lrs.map((base_lr, i) => base_lr + (this.max_lrs[i]! - base_lr) * scale_factor * scale);
    if (this.cycle_momentum) {
      this.optimizer.param_groups.forEach((g: ParamGroup, i: number) => {
        const max_m = this.max_momentums[i]!;
        const momentum = max_m - (max_m - this.base_momentums[i]!) * scale_factor * scale;
        setMomentum(g, this.use_beta1, momentum);
      });
    }
    return lrs;
  }

  /** A custom scale_fn is not saved (PyTorch saves only callable objects' attributes). */
  override state_dict(): Record<string, unknown> {
    const sd = super.state_dict();
    sd["_scale_fn_custom"] = null;
    return sd;
  }
  override load_state_dict(state_dict: Record<string, unknown>): void {
    const { _scale_fn_custom: _ignored, ...rest } = state_dict;
    super.load_state_dict(rest);
  }
}

/** The momentum the cyclic schedulers set: beta1 of Adam-like optimizers, else momentum. */
function setMomentum(group: ParamGroup, useBeta1: boolean, momentum: number): void {
  if (useBeta1) group["betas"] = [momentum, ...(group["betas"] as number[]).slice(1)];
  else group["momentum"] = momentum;
}

function formatParam(name: string, optimizer: AnyOptimizer, param: number | readonly number[]): number[] {
  const n = optimizer.param_groups.length;
  if (Array.isArray(param)) {
    if (param.length !== n) {
      throw new Error(`${name} must have the same length as optimizer.param_groups. ${name} has ${param.length} values, param_groups has ${n}.`);
    }
    return param.slice();
  }
  return new Array<number>(n).fill(param as number);
}

/** Runs schedulers one after another, switching at the milestones. */
export class SequentialLR extends LRScheduler {
  declare _schedulers: LRScheduler[];
  declare _milestones: number[];

  constructor(optimizer: AnyOptimizer, ...args: (LRScheduler[] | number[] | number | { schedulers?: LRScheduler[]; milestones?: number[]; last_epoch?: number })[]) {
    const o = kwargs<{ schedulers: LRScheduler[]; milestones: number[]; last_epoch: number }>(["schedulers", "milestones", "last_epoch"], args);
    const schedulers = o.schedulers ?? [], milestones = o.milestones ?? [];
    const last_epoch = o.last_epoch ?? -1;
    if (schedulers.length < 1) throw new Error("SequentialLR expects at least one scheduler, but got no scheduler.");
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler) || !s.optimizer) throw new TypeError(`SequentialLR at index ${i} should have \`optimizer\` as its attribute.`);
      if (s instanceof ReduceLROnPlateau) {
        throw new Error(`SequentialLR does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`);
      }
      if (optimizer !== s.optimizer) {
        throw new Error(`SequentialLR expects all schedulers to belong to the same optimizer, but got scheduler ${s.constructor.name} at index ${i} has ${String(s.optimizer)}, which is different from ${optimizer.constructor.name}.`);
      }
    });
    if (milestones.length !== schedulers.length - 1) {
      throw new Error(`Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone points, but got number of schedulers ${schedulers.length} and the number of milestones to be equal to ${milestones.length}`);
    }
    super(optimizer, last_epoch, { _schedulers: schedulers.slice(), _milestones: milestones.slice() }, false);
    this.last_epoch = last_epoch + 1;
    this.optimizer = optimizer;
    // Reset the lrs to their initial values, undo the initial step each scheduler took when it
    // was built, and take the first scheduler's initial step again.
    for (const g of optimizer.param_groups) g.lr = g["initial_lr"] as number;
    this._recursive_undo();
    const idx = bisectRight(this._milestones, 0);
    this._schedulers[idx]!._initial_step();
    this._last_lr = this._schedulers[idx]!.get_last_lr();
  }

  private _recursive_undo(sched: LRScheduler = this): void {
    const subs = (sched as SequentialLR)._schedulers;
    if (subs !== undefined) for (const s of subs) this._recursive_undo(s);
    else sched.last_epoch -= 1;
  }

  override step(): void {
    this.last_epoch += 1;
    const idx = bisectRight(this._milestones, this.last_epoch);
    const s = this._schedulers[idx]!;
    if (idx > 0 && this._milestones[idx - 1] === this.last_epoch) s._update_lr(0);
    else s.step();
    this._last_lr = s.get_last_lr();
  }

  override state_dict(): Record<string, unknown> {
    const sd = super.state_dict();
    sd["_schedulers"] = this._schedulers.map((s) => s.state_dict());
    return sd;
  }

  override load_state_dict(state_dict: Record<string, unknown>): void {
    const { _schedulers, ...rest } = state_dict;
    super.load_state_dict(rest);
    (_schedulers as Record<string, unknown>[]).forEach((s, i) => this._schedulers[i]!.load_state_dict(s));
  }
}

/** Steps several schedulers at once, each on the lrs the previous one left. */
export class ChainedScheduler extends LRScheduler {
  declare _schedulers: LRScheduler[];
  constructor(schedulers: LRScheduler[], optimizer?: AnyOptimizer) {
    if (schedulers.length < 1) throw new Error("ChainedScheduler expects at least one scheduler to be chained, but got no scheduler.");
    const opt = optimizer ?? schedulers[0]!.optimizer;
    schedulers.forEach((s, i) => {
      if (!(s instanceof LRScheduler) || !s.optimizer) throw new TypeError(`ChainedScheduler at index ${i} should have \`optimizer\` as its attribute.`);
      if (s instanceof ReduceLROnPlateau) {
        throw new Error(`ChainedScheduler does not support \`ReduceLROnPlateau\` scheduler as it requires additional kwargs to be specified when calling \`step\`, but got one at index ${i} in the given schedulers sequence.`);
      }
      if (opt !== s.optimizer) {
        throw new Error(`ChainedScheduler expects all schedulers to belong to the same optimizer, but got scheduler ${s.constructor.name} at index ${i} has ${String(s.optimizer)}, which is different from ${opt.constructor.name}.`);
      }
    });
    super(opt, -1, { _schedulers: schedulers.slice() }, false);
    this.optimizer = opt;
    this._last_lr = this._schedulers[this._schedulers.length - 1]!.optimizer.param_groups.map((g: ParamGroup) => g.lr);
  }
  override step(): void {
    for (const s of this._schedulers) s.step();
    this._last_lr = this._schedulers[this._schedulers.length - 1]!.optimizer.param_groups.map((g: ParamGroup) => g.lr);
  }
  override state_dict(): Record<string, unknown> { return SequentialLR.prototype.state_dict.call(this); }
  override load_state_dict(sd: Record<string, unknown>): void { SequentialLR.prototype.load_state_dict.call(this, sd); }
}

export interface ReduceLROnPlateauOptions {
  mode?: "min" | "max";
  factor?: number;
  patience?: number;
  threshold?: number;
  threshold_mode?: "rel" | "abs";
  cooldown?: number;
  min_lr?: number | number[];
  eps?: number;
}

/** Reduces the lr by `factor` once a metric has stopped improving for `patience` epochs. */
export class ReduceLROnPlateau extends LRScheduler {
  declare factor: number;
  declare default_min_lr: number | null;
  declare min_lrs: number[];
  declare patience: number;
  declare cooldown: number;
  declare eps: number;
  declare mode: "min" | "max";
  declare threshold: number;
  declare threshold_mode: "rel" | "abs";
  declare mode_worse: number;
  declare best: number;
  declare cooldown_counter: number;
  declare num_bad_epochs: number;

  constructor(optimizer: AnyOptimizer, ...args: (string | number | number[] | ReduceLROnPlateauOptions)[]) {
    const opts = kwargs<ReduceLROnPlateauOptions>(["mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"], args);
    const factor = opts.factor ?? 0.1;
    if (factor >= 1.0) throw new Error("Factor should be < 1.0.");
    if (!(optimizer instanceof Optimizer)) throw new TypeError(`${pyTypeName(optimizer)} is not an Optimizer`);
    const n = optimizer.param_groups.length;
    const min_lr = opts.min_lr ?? 0;
    let default_min_lr: number | null, min_lrs: number[];
    if (Array.isArray(min_lr)) {
      if (min_lr.length !== n) throw new Error(`expected ${n} min_lrs, got ${min_lr.length}`);
      default_min_lr = null;
      min_lrs = min_lr.slice();
    } else {
      default_min_lr = min_lr as number;
      min_lrs = new Array<number>(n).fill(min_lr as number);
    }
    const mode = opts.mode ?? "min", threshold_mode = opts.threshold_mode ?? "rel";
    if (mode !== "min" && mode !== "max") throw new Error(`mode ${String(mode)} is unknown!`);
    if (threshold_mode !== "rel" && threshold_mode !== "abs") throw new Error(`threshold mode ${String(threshold_mode)} is unknown!`);
    super(optimizer, 0, {
      factor, default_min_lr, min_lrs, patience: opts.patience ?? 10, cooldown: opts.cooldown ?? 0,
      eps: opts.eps ?? 1e-8, mode, threshold: opts.threshold ?? 1e-4, threshold_mode,
      mode_worse: mode === "min" ? Infinity : -Infinity,
    }, false);
    this.optimizer = optimizer;
    this.last_epoch = 0;
    this._last_lr = this._groups();
    this._reset();
  }

  private _reset(): void {
    this.best = this.mode_worse;
    this.cooldown_counter = 0;
    this.num_bad_epochs = 0;
  }

  get in_cooldown(): boolean { return this.cooldown_counter > 0; }

  /** Records a new value of the metric (a number or a one-element tensor). */
  override step(metrics?: number | Tensor, epoch?: number): void {
    if (metrics === undefined) throw new TypeError("ReduceLROnPlateau.step() missing 1 required positional argument: 'metrics'");
    const current = metrics instanceof Tensor ? metrics.item() : Number(metrics);
    if (epoch === undefined || epoch === null) epoch = this.last_epoch + 1;
    this.last_epoch = epoch;
    if (this._is_better(current, this.best)) {
      this.best = current;
      this.num_bad_epochs = 0;
    } else {
      this.num_bad_epochs += 1;
    }
    if (this.in_cooldown) {
      this.cooldown_counter -= 1;
      this.num_bad_epochs = 0;
    }
    if (this.num_bad_epochs > this.patience) {
      this._reduce_lr();
      this.cooldown_counter = this.cooldown;
      this.num_bad_epochs = 0;
    }
    this._last_lr = this._groups();
  }

  private _reduce_lr(): void {
    const groups = this.optimizer.param_groups;
    if (groups.length !== this.min_lrs.length) {
      if (this.default_min_lr === null) {
        throw new Error(`The number of param groups in the \`optimizer\` (${groups.length}) differs from when \`ReduceLROnPlateau\` was initialized (${this.min_lrs.length}), usually due to a new param group being added to the optimizer. Please modify the \`min_lrs\` field to match the length of the \`optimizer\` param groups.`);
      }
      this.min_lrs = new Array<number>(groups.length).fill(this.default_min_lr);
    }
    groups.forEach((g: ParamGroup, i: number) => {
      const old_lr = Number(g.lr);
      const new_lr = Math.max(old_lr * this.factor, this.min_lrs[i]!);
      if (old_lr - new_lr > this.eps) g.lr = new_lr;
    });
  }

  private _is_better(a: number, best: number): boolean {
    if (this.mode === "min" && this.threshold_mode === "rel") return a < best * (1.0 - this.threshold);
    if (this.mode === "min" && this.threshold_mode === "abs") return a < best - this.threshold;
    if (this.mode === "max" && this.threshold_mode === "rel") return a > best * (this.threshold + 1.0);
    return a > best + this.threshold;
  }

  override load_state_dict(state_dict: Record<string, unknown>): void {
    super.load_state_dict(state_dict);
    if (this.mode !== "min" && this.mode !== "max") throw new Error(`mode ${String(this.mode)} is unknown!`);
    if (this.threshold_mode !== "rel" && this.threshold_mode !== "abs") throw new Error(`threshold mode ${String(this.threshold_mode)} is unknown!`);
    this.mode_worse = this.mode === "min" ? Infinity : -Infinity;
  }
}
