// torch.distributions.Distribution: the base class (shapes, validation in PyTorch's words,
// printed form), and the helpers the families share (broadcast_all, probs/logits conversions).

import { Tensor } from "../core/tensor.js";
import { get_default_dtype, type DType } from "../core/dtype.js";
import { broadcastShapes, sameShape } from "../core/shape.js";
import { sizeStr, tupleStr, formatPyFloat as formatFloat } from "../core/printing.js";
import * as torch from "../torch.js";
import { type Constraint, is_dependent } from "./constraints.js";

export type Scalar = number | Tensor;
export interface DistOpts { validate_args?: boolean | null }


/** utils.broadcast_all: numbers become tensors of the first tensor's dtype (else the default
 *  dtype), then all are broadcast to one shape (as expanded views). */
export function broadcast_all(...values: Scalar[]): Tensor[] {
  const first = values.find((v): v is Tensor => v instanceof Tensor);
  const dtype: DType = first ? first.dtype : get_default_dtype();
  const ts = values.map((v) => (v instanceof Tensor ? v : torch.tensor(v, { dtype })));
  const shape = ts.reduce<number[]>((s, t) => broadcastShapes(s, t.shape), []);
  return ts.map((t) => (sameShape(t.shape, shape) ? t : t.expand(shape)));
}

export function clamp_probs(probs: Tensor): Tensor {
  const eps = finfo(probs.dtype).eps;
  return probs.clamp(eps, 1 - eps);
}
export function probs_to_logits(probs: Tensor, is_binary = false): Tensor {
  const p = clamp_probs(probs);
  return is_binary ? p.log().sub(p.neg().log1p()) : p.log();
}
export function logits_to_probs(logits: Tensor, is_binary = false): Tensor {
  return is_binary ? logits.sigmoid() : logits.softmax(-1);
}
export function finfo(d: DType): { eps: number; min: number; tiny: number } {
  switch (d.name) {
    case "float64": return { eps: 2.220446049250313e-16, min: -1.7976931348623157e308, tiny: 2.2250738585072014e-308 };
    case "float16": return { eps: 0.0009765625, min: -65504, tiny: 6.103515625e-5 };
    case "bfloat16": return { eps: 0.0078125, min: -3.3895313892515355e38, tiny: 1.1754943508222875e-38 };
    default: return { eps: 1.1920928955078125e-7, min: -3.4028234663852886e38, tiny: 1.1754943508222875e-38 };
  }
}
/** utils._sum_rightmost */
export function sum_rightmost(v: Tensor, dim: number): Tensor {
  if (dim === 0) return v;
  return v.reshape([...v.shape.slice(0, v.ndim - dim), -1]).sum(-1);
}

/** The sample shape argument: an array (torch.Size) or a single number. */
export type SampleShape = number | readonly number[];
/** sample_shape as torch.Size(sample_shape) takes it (an iterable of ints). */
function asShape(s: SampleShape | undefined): number[] {
  const shape = s === undefined ? [] : typeof s === "number" ? [s] : [...s];
  const bad = shape.findIndex((v) => !Number.isInteger(v));
  if (bad >= 0) throw new TypeError(`torch.Size() takes an iterable of 'int' (item ${bad} is '${typeof shape[bad] === "number" ? "float" : typeof shape[bad]}')`);
  return shape;
}

export abstract class Distribution {
  static _validate_args = true; // Python's __debug__: on unless python -O
  static set_default_validate_args(value: boolean): void {
    if (value !== true && value !== false) throw new Error("ValueError");
    Distribution._validate_args = value;
  }
  has_rsample = false;
  has_enumerate_support = false;
  protected _batch_shape: number[] = [];
  protected _event_shape: number[] = [];
  _validate_args = Distribution._validate_args;

  /** Distribution.__init__: shapes, then the parameters' checks (arg_constraints). Subclasses
   *  call it once their parameters are set. */
  protected _init(batch_shape: readonly number[], event_shape: readonly number[] = [], validate_args?: boolean | null): void {
    this._batch_shape = [...batch_shape];
    this._event_shape = [...event_shape];
    if (validate_args !== undefined && validate_args !== null) this._validate_args = validate_args;
    if (!this._validate_args) return;
    for (const [param, constraint] of Object.entries(this.arg_constraints)) {
      if (is_dependent(constraint)) continue;
      const value = this._param_value(param);
      if (value === undefined) continue; // lazily computed (probs from logits …)
      if (!constraint.check(value).all().item()) {
        throw new Error(
          `Expected parameter ${param} (Tensor of shape ${tupleStr(value.shape)}) of distribution ${this.toString()} ` +
          `to satisfy the constraint ${String(constraint)}, but found invalid values:\n${pyValue(value)}`);
      }
    }
  }
  /** The parameter as set (not lazily computed): undefined where the instance does not hold it. */
  protected _param_value(name: string): Tensor | undefined {
    const self = this as unknown as Record<string, unknown>;
    const v = `_${name}` in self ? self[`_${name}`] : self[name]; // never runs a lazy getter
    return v instanceof Tensor ? v : undefined;
  }

  get batch_shape(): number[] { return [...this._batch_shape]; }
  get event_shape(): number[] { return [...this._event_shape]; }
  get arg_constraints(): Record<string, Constraint> { throw new Error("NotImplementedError"); }
  get support(): Constraint { throw new Error("NotImplementedError"); }
  get mean(): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement mean`); }
  get mode(): Tensor { throw new Error(`<class 'torch.distributions.${this.constructor.name}'> does not implement mode`); }
  get variance(): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement variance`); }
  get stddev(): Tensor { return this.variance.sqrt(); }

  sample(sample_shape?: SampleShape): Tensor { return torch.no_grad(() => this.rsample(sample_shape)); }
  rsample(_sample_shape?: SampleShape): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement rsample`); }
  sample_n(n: number): Tensor {
    console.warn("FutureWarning: `sample_n(n)` will be deprecated. Use `sample((n,))` instead.");
    return this.sample([n]);
  }
  log_prob(_value: Tensor): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement log_prob`); }
  cdf(_value: Tensor): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement cdf`); }
  icdf(_value: Tensor): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement icdf`); }
  enumerate_support(_expand = true): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement enumerate_support`); }
  entropy(): Tensor { throw new Error(`NotImplementedError: ${this.constructor.name} does not implement entropy`); }
  perplexity(): Tensor { return this.entropy().exp(); }
  expand(_batch_shape: readonly number[]): Distribution { throw new Error("NotImplementedError"); }

  _extended_shape(sample_shape?: SampleShape): number[] {
    return [...asShape(sample_shape), ...this._batch_shape, ...this._event_shape];
  }

  /** Distribution._validate_sample: value's rightmost dims against batch_shape+event_shape,
   *  then the support. */
  _validate_sample(value: Tensor): void {
    if (!(value instanceof Tensor)) throw new Error("The value argument to log_prob must be a Tensor");
    const ev = this._event_shape;
    const start = value.ndim - ev.length;
    if (start < 0 || !sameShape(value.shape.slice(start), ev)) {
      throw new Error(`The right-most size of value must match event_shape: ${sizeStr(value.shape)} vs ${sizeStr(ev)}.`);
    }
    const actual = value.shape, expected = [...this._batch_shape, ...ev];
    for (let i = actual.length - 1, j = expected.length - 1; i >= 0 && j >= 0; i--, j--) {
      const a = actual[i]!, b = expected[j]!;
      if (a !== 1 && b !== 1 && a !== b) {
        throw new Error(`Value is not broadcastable with batch_shape+event_shape: ${sizeStr(actual)} vs ${sizeStr(expected)}.`);
      }
    }
    let support: Constraint;
    try { support = this.support; } catch {
      console.warn(`UserWarning: <class 'torch.distributions.${this.constructor.name}'> does not define \`support\` to enable sample validation. Please initialize the distribution with \`validate_args=False\` to turn off validation.`);
      return;
    }
    if (!support.check(value).all().item()) {
      throw new Error(
        `Expected value argument (Tensor of shape ${tupleStr(value.shape)}) to be within the support (${String(support)}) ` +
        `of the distribution ${this.toString()}, but found invalid values:\n${pyValue(value)}`);
    }
  }

  /** A new instance of this class, fields to be filled by expand (Distribution._get_checked_instance). */
  protected _newInstance<T extends Distribution>(this: T): T {
    return Object.create(Object.getPrototypeOf(this) as object) as T;
  }
  /** expand for the families whose parameters are tensors of batch_shape: a new instance with
   *  each named field expanded. */
  protected _expandFields<T extends Distribution>(this: T, names: readonly (keyof T & string)[], batch_shape: readonly number[]): T {
    const n = this._newInstance();
    for (const k of names) (n as Record<string, unknown>)[k] = (this[k] as Tensor).expand([...batch_shape]);
    this._finishExpand(n, batch_shape);
    return n;
  }
  /** expand's tail: Distribution.__init__(batch_shape, validate_args=False), then the validation flag copied. */
  protected _finishExpand(nw: Distribution, batch_shape: readonly number[], event_shape: readonly number[] = this._event_shape): void {
    nw.has_rsample = this.has_rsample;
    nw.has_enumerate_support = this.has_enumerate_support;
    nw._init(batch_shape, event_shape, false);
    nw._validate_args = this._validate_args;
  }

  /** Distribution.__repr__: the parameters this instance holds (in its __dict__: fields, not
   *  properties such as Beta's concentration1 or Chi2's df), in arg_constraints' order, each as
   *  its value when it has one element, else its size. */
  toString(): string {
    const parts: string[] = [];
    const own = (k: string) => Object.prototype.hasOwnProperty.call(this, k) ? (this as unknown as Record<string, unknown>)[k] : undefined;
    for (const k of Object.keys(this.arg_constraints)) {
      const v = own(`_${k}`) ?? own(k);
      if (!(v instanceof Tensor)) continue;
      parts.push(`${k}: ${v.numel() === 1 ? pyValue(v) : sizeStr(v.shape)}`);
    }
    return `${this.constructor.name}(${parts.join(", ")})`;
  }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

/** Python's f"{tensor}": a 0-d tensor as its item, otherwise its repr. */
function pyValue(t: Tensor): string {
  if (t.ndim !== 0) return String(t);
  const v = t.item();
  if (typeof v === "boolean") return v ? "True" : "False";
  return t.dtype.is_floating_point ? formatFloat(v) : String(v);
}
/** ExponentialFamily (exp_family.py): densities p(x) = h(x) exp(<θ, t(x)> - F(θ)); subclasses
 *  give their natural parameters θ, the log normalizer F and the carrier measure's mean E[log h],
 *  from which the entropy and (kl.ts) the Bregman-divergence KL follow. */
export class ExponentialFamily extends Distribution {
  get _natural_params(): Tensor[] { throw new Error("NotImplementedError"); }
  _log_normalizer(..._natural_params: Tensor[]): Tensor { throw new Error("NotImplementedError"); }
  get _mean_carrier_measure(): number { throw new Error("NotImplementedError"); }
  /** The entropy through the log normalizer's gradient (its Bregman form). */
  override entropy(): Tensor {
    const nparams = this._natural_params.map((p) => p.detach().requires_grad_());
    const lgNormal = this._log_normalizer(...nparams);
    const gradients = torch.autograd.grad([lgNormal.sum()], nparams, { create_graph: true });
    let result = lgNormal.add(-this._mean_carrier_measure);
    nparams.forEach((np, i) => { result = result.sub(np.mul(gradients[i]!).reshape([...this._batch_shape, -1]).sum(-1)); });
    return result;
  }
}
