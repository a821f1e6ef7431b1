// torch.optim.Optimizer: param groups with their hyperparameters, per-parameter state, and the
// state_dict layout of PyTorch 2.x ({state: {0: {...}}, param_groups: [{..., params: [0, 1]}]}),
// so that a state dict moves between an optimizer here and one in PyTorch key for key.
//
// Note [Optimizer arithmetic]: every optimizer here runs PyTorch's single-tensor ("for-loop")
// implementation, which is what PyTorch runs on CPU (foreach/fused kernels are for GPUs), and
// reproduces its arithmetic op by op: each PyTorch tensor op rounds its result to the dtype, and
// the CPU kernels fuse the multiply-adds they write as such (add with alpha, addcmul, lerp) into
// one rounding. We run the whole update of one parameter as one loop over its elements (no
// temporary tensors: this runs every training step), rounding where PyTorch rounds; see
// src/optim/_kernels.ts. The remaining differences are in sqrt (PyTorch's CPU sqrt goes
// through MKL's vector math and is not always correctly rounded; ours is) and in the last bit of
// Python's `**` against JS's, so results agree with PyTorch within float32 rounding, not always
// bit for bit.

import { Tensor } from "../core/tensor.js";
import { pyTypeName } from "../core/printing.js";
import { float32, float64, get_default_dtype, type DType } from "../core/dtype.js";
import * as K from "../backends/index.js";
import { enable_grad, no_grad } from "../autograd/grad_mode.js";
import { pyRepr, FLOAT_HYPERPARAMETERS } from "./_util.js";
import { profiling, recordScope } from "../profiler/record.js";
import { pyError } from "../ops/util.js";

/** One param group: its parameters and hyperparameters (lr, momentum, betas …), PyTorch's
 *  `optimizer.param_groups[i]`. Schedulers and users change the hyperparameters in place. */
export interface ParamGroup {
  params: Tensor[];
  lr: number;
  param_names?: string[];
  [key: string]: unknown;
}

/** A param group as given to a constructor or to add_param_group. */
export interface ParamGroupInput {
  params: Tensor | Iterable<Tensor> | Iterable<[string, Tensor]>;
  [key: string]: unknown;
}

/** What an optimizer takes: parameters (e.g. `model.parameters()`), named parameters
 *  (`model.named_parameters()`), or param groups. */
export type ParamsT = Iterable<Tensor> | Iterable<ParamGroupInput> | Iterable<[string, Tensor]>;

/** Per-parameter state (step, exp_avg, momentum_buffer …). */
export type ParamState = Record<string, unknown>;

/** Optimizer.state_dict(): state keyed by parameter index, groups with `params` as indices. */
export interface OptimizerStateDict {
  state: Record<number | string, ParamState>;
  param_groups: Record<string, unknown>[];
}

export type Closure = () => number | Tensor;
export type OptimizerPreHook = (opt: Optimizer, args: unknown[]) => void;
export type OptimizerPostHook = (opt: Optimizer, args: unknown[]) => void;

let nextHookId = 0;

/** torch.optim.Optimizer. Subclasses give their defaults and implement `_update_group` (or,
 *  as in PyTorch, override `step`). */
export class Optimizer<G extends ParamGroup = ParamGroup> {
  defaults: Record<string, unknown>;
  /** Per-parameter state, keyed by the parameter tensor (PyTorch's defaultdict(dict)). */
  state: Map<Tensor, ParamState> = new Map();
  param_groups: G[] = [];
  /** @internal */ _step_pre_hooks = new Map<number, OptimizerPreHook>();
  /** @internal */ _step_post_hooks = new Map<number, OptimizerPostHook>();

  constructor(params: ParamsT, defaults: Record<string, unknown>) {
    this.defaults = defaults;
    if (params instanceof Tensor) {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params.type()}`);
    }
    if (params === null || params === undefined || typeof (params as Iterable<unknown>)[Symbol.iterator] !== "function") {
      throw new TypeError(`params argument given to the optimizer should be an iterable of Tensors or dicts, but got ${params === null ? "None" : typeof params}`);
    }
    let groups = [...(params as Iterable<unknown>)];
    if (groups.length === 0) throw new Error("optimizer got an empty parameter list");
    if (!isGroupInput(groups[0])) groups = [{ params: groups as Tensor[] }];
    for (const g of groups) this.add_param_group(g as ParamGroupInput);
  }

  /** Adds a param group, filling in the defaults it does not set (PyTorch's add_param_group,
   *  with its checks and messages). Nothing is added when a check fails. */
  add_param_group(param_group: ParamGroupInput): void {
    if (!isGroupInput(param_group)) throw new TypeError(`param_group must be a dict, but got ${typeof param_group}`);
    if (!("params" in param_group)) throw pyError("KeyError", "'params'"); // (param_group["params"])
    const raw = param_group.params;
    let list: unknown[];
    if (raw instanceof Tensor) list = [raw];
    else if (raw instanceof Set) {
      throw new TypeError("optimizer parameters need to be organized in ordered collections, but the ordering of tensors in sets will change between runs. Please use a list instead.");
    } else if (raw !== null && raw !== undefined && typeof (raw as Iterable<unknown>)[Symbol.iterator] === "function") {
      list = [...(raw as Iterable<unknown>)];
    } else {
      throw new TypeError("params argument given to the optimizer should be an iterable of Tensors or dicts");
    }
    const tensors: Tensor[] = [];
    const names: string[] = [];
    for (const p of list) {
      if (Array.isArray(p) && p.length === 2 && typeof p[0] === "string") { names.push(p[0]); tensors.push(p[1] as Tensor); }
      else tensors.push(p as Tensor);
    }
    if (names.length !== 0 && names.length !== tensors.length) {
      throw new Error("all optimizer params should be with/without names. Some param names are missing");
    }
    for (const p of tensors) {
      if (!(p instanceof Tensor)) throw new TypeError(`optimizer can only optimize Tensors, but one of the params is ${pyTypeName(p)}`);
      if (!this.defaults["differentiable"] && !(p.is_leaf || p.retains_grad)) throw new Error("can't optimize a non-leaf Tensor");
    }
    // The group keeps the caller's keys first, then the defaults it lacks (setdefault order).
    const group: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(param_group)) group[k] = k === "params" ? tensors : copyValue(v);
    if (names.length) group["param_names"] = names;
    for (const [k, v] of Object.entries(this.defaults)) if (!(k in group)) group[k] = copyValue(v);
    if (new Set(tensors).size !== tensors.length) {
      // PyTorch warns here ("optimizer contains a parameter group with duplicate parameters");
      // a duplicate would be updated twice per step.
      console.warn("UserWarning: optimizer contains a parameter group with duplicate parameters; in future, this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information");
    }
    const seen = new Set<Tensor>();
    for (const g of this.param_groups) {
      for (const p of g.params) seen.add(p);
      if (("param_names" in group) !== ("param_names" in g)) {
        const txt = "param_names" in group ? "with names" : "without names";
        throw new Error(`all optimizer param groups should be with/without names. cannot add param group ${txt} to the optimizer`);
      }
    }
    if (tensors.some((p) => seen.has(p))) throw new Error("some parameters appear in more than one parameter group");
    this._validate_group(group);
    this.param_groups.push(group as G);
    this._init_group_state(group as G);
  }

  /** @internal Hook for subclasses: checks a group's hyperparameters before it is added. */
  protected _validate_group(_group: Record<string, unknown>): void {
    if (_group["differentiable"]) throw new Error("differentiable=True is not supported: typetorch's optimizers update parameters outside autograd");
  }

  /** @internal Hook for subclasses that create state eagerly (Adagrad). */
  protected _init_group_state(_group: G): void {}

  /** The state of parameter `p`, created empty on first use (PyTorch's defaultdict). */
  protected _state_of(p: Tensor): ParamState {
    let s = this.state.get(p);
    if (!s) { s = {}; this.state.set(p, s); }
    return s;
  }

  /** Resets the gradients of every parameter: to null (the default), or to zeros in place. */
  zero_grad(set_to_none: boolean | { set_to_none?: boolean } = true): void {
    if (profiling.on) return recordScope(`Optimizer.zero_grad#${this.constructor.name}.zero_grad`, (t: boolean | { set_to_none?: boolean }) => this._zero_grad(t), set_to_none);
    this._zero_grad(set_to_none);
  }

  private _zero_grad(set_to_none: boolean | { set_to_none?: boolean }): void {
    const toNone = typeof set_to_none === "boolean" ? set_to_none : set_to_none.set_to_none ?? true;
    for (const group of this.param_groups) {
      for (const p of group.params) {
        const g = p.grad;
        if (g === null) continue;
        if (toNone) { p.grad = null; continue; }
        if (g.grad_fn !== null) g.detach_();
        else g.requires_grad_(false);
        K.fill(g, 0);
        g._bumpVersion();
      }
    }
  }

  /**
   * Performs one optimization step. `closure`, if given, re-evaluates the model and returns the
   * loss; it runs with gradients enabled and its value is returned. The update itself runs under
   * no_grad, in place on each parameter's storage.
   */
  step(closure?: Closure): number | Tensor | undefined {
    // PyTorch's profile_hook_step: the whole step, hooks included, is one profiler event
    if (profiling.on) return this._profile_step((c?: Closure) => this._step(c), closure);
    return this._step(closure);
  }

  /** @internal Runs a step as one profiler event, `Optimizer.step#<class>.step` (for the
   *  subclasses that override step, as LBFGS does). */
  protected _profile_step<R>(body: (closure?: Closure) => R, closure?: Closure): R {
    return recordScope(`Optimizer.step#${this.constructor.name}.step`, body, closure);
  }

  private _step(closure?: Closure): number | Tensor | undefined {
    let loss: number | Tensor | undefined;
    const args: unknown[] = closure ? [closure] : [];
    for (const h of this._step_pre_hooks.values()) h(this as unknown as Optimizer, args);
    if (closure) loss = enable_grad(closure);
    no_grad(() => { for (const group of this.param_groups) this._update_group(group); });
    for (const h of this._step_post_hooks.values()) h(this as unknown as Optimizer, args);
    return loss;
  }

  /** @internal The update of one param group; subclasses implement it. */
  protected _update_group(_group: G): void {
    throw new Error(`${this.constructor.name}.step is not implemented (NotImplementedError)`);
  }

  register_step_pre_hook(hook: OptimizerPreHook): { remove(): void } {
    const id = nextHookId++;
    this._step_pre_hooks.set(id, hook);
    return { remove: () => { this._step_pre_hooks.delete(id); } };
  }

  register_step_post_hook(hook: OptimizerPostHook): { remove(): void } {
    const id = nextHookId++;
    this._step_post_hooks.set(id, hook);
    return { remove: () => { this._step_post_hooks.delete(id); } };
  }

  /**
   * The optimizer's state as PyTorch lays it out: `state` maps each parameter's index (counted
   * across the groups in order) to its state; each entry of `param_groups` has the group's
   * hyperparameters and `params`, the indices of its parameters. As in PyTorch the state's
   * tensors are the live ones, not copies.
   */
  state_dict(): OptimizerStateDict {
    const mapping = new Map<Tensor, number>();
    let start = 0;
    const param_groups = this.param_groups.map((g) => {
      const packed: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(g)) if (k !== "params") packed[k] = copyValue(v);
      g.params.forEach((p, i) => { if (!mapping.has(p)) mapping.set(p, start + i); });
      packed["params"] = g.params.map((p) => mapping.get(p)!);
      start += g.params.length;
      return packed;
    });
    const state: Record<number, ParamState> = {};
    for (const [p, s] of this.state) {
      const id = mapping.get(p);
      if (id !== undefined) state[id] = { ...s };
    }
    return { state, param_groups };
  }

  /**
   * Loads a state dict from state_dict() (here or PyTorch's, e.g. via JSON): checks that it has
   * as many groups of the same sizes, then takes its state (tensors cast to the parameter's
   * dtype, `step` kept as is) and its hyperparameters. Nothing changes when a check fails.
   *
   * Unlike PyTorch, which keeps the very tensors of the loaded dict (so two optimizers loaded
   * from one dict would share and both update them), the state tensors are copied.
   */
  load_state_dict(state_dict: OptimizerStateDict): void {
    if (state_dict === null || typeof state_dict !== "object" || !Array.isArray(state_dict.param_groups)
      || state_dict.state === null || typeof state_dict.state !== "object") {
      throw new TypeError("load_state_dict expects a dict with 'state' and 'param_groups' (from Optimizer.state_dict())");
    }
    const groups = this.param_groups;
    const saved = state_dict.param_groups;
    if (groups.length !== saved.length) throw new Error("loaded state dict has a different number of parameter groups");
    for (let i = 0; i < groups.length; i++) {
      const ids = saved[i]!["params"];
      if (!Array.isArray(ids) || ids.length !== groups[i]!.params.length) {
        throw new Error("loaded state dict contains a parameter group that doesn't match the size of optimizer's group");
      }
    }
    const idMap = new Map<number, Tensor>();
    saved.forEach((g, i) => (g["params"] as unknown[]).forEach((id, j) => idMap.set(Number(id), groups[i]!.params[j]!)));
    // Build everything first, then swap it in, so that an error leaves the optimizer as it was.
    const state = new Map<Tensor, ParamState>();
    for (const [k, v] of Object.entries(state_dict.state)) {
      const p = idMap.get(Number(k));
      if (p === undefined) continue; // PyTorch keeps such entries under their raw key; they are never used
      if (v === null || typeof v !== "object") throw new TypeError(`state of parameter ${k} is not a dict`);
      const s: ParamState = {};
      for (const [key, value] of Object.entries(v)) s[key] = castState(p, key, value);
      state.set(p, s);
    }
    const newGroups = groups.map((g, i) => {
      const ng: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(saved[i]!)) ng[k] = k === "params" ? g.params : copyValue(v);
      if (g.param_names && !("param_names" in ng)) ng["param_names"] = g.param_names;
      return ng as G;
    });
    this.state = state;
    this.param_groups = newGroups;
  }

  /** @internal The hyperparameters this optimizer declares as floats, which print as Python floats
   *  even when integral (see FLOAT_HYPERPARAMETERS). */
  static _float_hyperparameters: ReadonlySet<string> = FLOAT_HYPERPARAMETERS;

  /** PyTorch's repr: the class name, then each group's hyperparameters in sorted order. */
  toString(): string {
    const floats = (this.constructor as typeof Optimizer)._float_hyperparameters;
    let s = `${this.constructor.name} (`;
    this.param_groups.forEach((g, i) => {
      s += `\nParameter Group ${i}\n`;
      for (const k of Object.keys(g).sort()) {
        if (k === "params") continue;
        // Python formats each value with str(): a string without quotes (LBFGS's line_search_fn)
        const v = g[k];
        s += `    ${k}: ${typeof v === "string" ? v : pyRepr(v, floats.has(k))}\n`;
      }
    });
    return s + ")";
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

/** A group is a dict: an object that is no tensor nor list (PyTorch's isinstance(x, dict)). */
function isGroupInput(x: unknown): x is ParamGroupInput {
  return typeof x === "object" && x !== null && !(x instanceof Tensor) && !Array.isArray(x);
}

/** Hyperparameter values are copied so that a group never aliases the caller's arrays. */
function copyValue(v: unknown): unknown {
  return Array.isArray(v) ? v.slice() : v;
}

/** Optimizer._process_value_according_to_param_policy, with a copy (see load_state_dict). */
function castState(p: Tensor, key: string, value: unknown): unknown {
  if (value instanceof Tensor) {
    if (key === "step") return value.detach().clone();
    const d = p.is_floating_point() ? p.dtype : value.dtype;
    return K.contiguousCopy(value.detach(), d);
  }
  if (value !== null && typeof value === "object" && !Array.isArray(value)) {
    const o: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) o[k] = castState(p, k, v);
    return o;
  }
  if (Array.isArray(value)) return value.map((v) => castState(p, "", v));
  return value;
}

/** _get_scalar_dtype(): the dtype of the `step` counters: float64 when the default dtype is
 *  float64, else float32. */
export function scalarDtype(): DType {
  return get_default_dtype() === float64 ? float64 : float32;
}
