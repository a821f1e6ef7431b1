// Activation modules (torch/nn/modules/activation.py): each holds its options and calls
// nn.functional; extra_repr prints them as PyTorch does (floats in Python's repr: 0.01, 1.0).

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import { get_default_dtype } from "../core/dtype.js";
import { formatPyFloat } from "../core/printing.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { F } from "./F.js";
import * as init from "./init.js";

const pyFloat = (x: number) => formatPyFloat(x);
type InplaceArg = boolean | { inplace?: boolean };
const inplaceOf = (a: InplaceArg | undefined) => (typeof a === "boolean" ? a : a?.inplace ?? false);

/** Base of the activations that only have an `inplace` flag, printed "Name()" or "Name(inplace=True)". */
abstract class InplaceActivation extends Module {
  inplace: boolean;
  constructor(inplace: InplaceArg = false) { super(); this.inplace = inplaceOf(inplace); }
  override extra_repr(): string { return this.inplace ? "inplace=True" : ""; }
}

export class ReLU extends InplaceActivation {
  override forward(input: Tensor): Tensor { return F.relu(input, this.inplace); }
}
export class SELU extends InplaceActivation {
  override forward(input: Tensor): Tensor { return F.selu(input, this.inplace); }
}
export class SiLU extends InplaceActivation {
  override forward(input: Tensor): Tensor { return F.silu(input, this.inplace); }
}
export class Mish extends InplaceActivation {
  override forward(input: Tensor): Tensor { return F.mish(input, this.inplace); }
}
/** Hardswish and Hardsigmoid take inplace but PyTorch prints neither with it. */
export class Hardswish extends InplaceActivation {
  override forward(input: Tensor): Tensor { return F.hardswish(input, this.inplace); }
  override extra_repr(): string { return ""; }
}
export class Hardsigmoid extends InplaceActivation {
  override forward(input: Tensor): Tensor { return F.hardsigmoid(input, this.inplace); }
  override extra_repr(): string { return ""; }
}

export class Threshold extends Module {
  threshold: number; value: number; inplace: boolean;
  constructor(threshold: number, value: number, inplace: InplaceArg = false) {
    super();
    this.threshold = threshold; this.value = value; this.inplace = inplaceOf(inplace);
  }
  override forward(input: Tensor): Tensor { return F.threshold(input, this.threshold, this.value, this.inplace); }
  override extra_repr(): string { return `threshold=${pyFloat(this.threshold)}, value=${pyFloat(this.value)}${this.inplace ? ", inplace=True" : ""}`; }
}

export interface HardtanhOpts { min_val?: number; max_val?: number; inplace?: boolean }
export class Hardtanh extends Module {
  min_val: number; max_val: number; inplace: boolean;
  constructor(min_val: number | HardtanhOpts = -1, max_val = 1, inplace = false) {
    super();
    const o = typeof min_val === "number" ? { min_val, max_val, inplace } : { min_val: -1, max_val: 1, inplace: false, ...min_val };
    this.min_val = o.min_val; this.max_val = o.max_val; this.inplace = o.inplace;
    if (!(this.max_val > this.min_val)) throw new Error("AssertionError: max_val must be greater than min_val");
  }
  override forward(input: Tensor): Tensor { return F.hardtanh(input, this.min_val, this.max_val, this.inplace); }
  override extra_repr(): string { return `min_val=${pyFloat(this.min_val)}, max_val=${pyFloat(this.max_val)}${this.inplace ? ", inplace=True" : ""}`; }
}

export class ReLU6 extends Hardtanh {
  constructor(inplace: InplaceArg = false) { super(0, 6, inplaceOf(inplace)); }
  override extra_repr(): string { return this.inplace ? "inplace=True" : ""; }
}

export class LeakyReLU extends Module {
  negative_slope: number; inplace: boolean;
  constructor(negative_slope: number | { negative_slope?: number; inplace?: boolean } = 0.01, inplace = false) {
    super();
    const o = typeof negative_slope === "number" ? { negative_slope, inplace } : { negative_slope: 0.01, inplace: false, ...negative_slope };
    this.negative_slope = o.negative_slope; this.inplace = o.inplace;
  }
  override forward(input: Tensor): Tensor { return F.leaky_relu(input, this.negative_slope, this.inplace); }
  override extra_repr(): string { return `negative_slope=${pyFloat(this.negative_slope)}${this.inplace ? ", inplace=True" : ""}`; }
}

class AlphaActivation extends Module {
  alpha: number; inplace: boolean;
  constructor(alpha: number | { alpha?: number; inplace?: boolean } = 1, inplace = false) {
    super();
    const o = typeof alpha === "number" ? { alpha, inplace } : { alpha: 1, inplace: false, ...alpha };
    this.alpha = o.alpha; this.inplace = o.inplace;
  }
  override extra_repr(): string { return `alpha=${pyFloat(this.alpha)}${this.inplace ? ", inplace=True" : ""}`; }
}
export class ELU extends AlphaActivation {
  override forward(input: Tensor): Tensor { return F.elu(input, this.alpha, this.inplace); }
}
export class CELU extends AlphaActivation {
  override forward(input: Tensor): Tensor { return F.celu(input, this.alpha, this.inplace); }
}

export class GELU extends Module {
  approximate: "none" | "tanh";
  constructor(approximate: "none" | "tanh" | { approximate?: "none" | "tanh" } = "none") {
    super();
    this.approximate = typeof approximate === "string" ? approximate : approximate.approximate ?? "none";
  }
  override forward(input: Tensor): Tensor { return F.gelu(input, this.approximate); }
  override extra_repr(): string { return `approximate='${this.approximate}'`; }
}

export class Sigmoid extends Module {
  override forward(input: Tensor): Tensor { return input.sigmoid(); }
}
export class Tanh extends Module {
  override forward(input: Tensor): Tensor { return input.tanh(); }
}
export class Softsign extends Module {
  override forward(input: Tensor): Tensor { return F.softsign(input); }
}
export class Tanhshrink extends Module {
  override forward(input: Tensor): Tensor { return F.tanhshrink(input); }
}
export class LogSigmoid extends Module {
  override forward(input: Tensor): Tensor { return F.logsigmoid(input); }
}

export class Softplus extends Module {
  beta: number; threshold: number;
  constructor(beta: number | { beta?: number; threshold?: number } = 1, threshold = 20) {
    super();
    const o = typeof beta === "number" ? { beta, threshold } : { beta: 1, threshold: 20, ...beta };
    this.beta = o.beta; this.threshold = o.threshold;
  }
  override forward(input: Tensor): Tensor { return F.softplus(input, this.beta, this.threshold); }
  override extra_repr(): string { return `beta=${pyFloat(this.beta)}, threshold=${pyFloat(this.threshold)}`; }
}

class DimActivation extends Module {
  dim: number | null;
  constructor(dim: number | null | { dim?: number | null } = null) {
    super();
    this.dim = dim !== null && typeof dim === "object" ? dim.dim ?? null : dim;
  }
  override extra_repr(): string { return `dim=${this.dim === null ? "None" : this.dim}`; }
}
export class Softmax extends DimActivation {
  override forward(input: Tensor): Tensor { return F.softmax(input, this.dim); }
}
export class LogSoftmax extends DimActivation {
  override forward(input: Tensor): Tensor { return F.log_softmax(input, this.dim); }
}
export class Softmin extends DimActivation {
  override forward(input: Tensor): Tensor { return F.softmin(input, this.dim); }
}

export interface PReLUOpts { num_parameters?: number; init?: number; device?: string | null; dtype?: DType | null }
/** max(0, x) + a·min(0, x) with a learnable a (one, or one per channel), initialised to `init`. */
export class PReLU extends Module {
  num_parameters: number;
  init: number;
  weight!: Parameter;
  constructor(num_parameters: number | PReLUOpts = 1, init_ = 0.25, opts: PReLUOpts = {}) {
    super();
    const o = typeof num_parameters === "number" ? { ...opts, num_parameters, init: init_ } : { num_parameters: 1, init: 0.25, ...num_parameters };
    this.num_parameters = o.num_parameters!;
    this.init = o.init!;
    this.weight = new Parameter(Tensor.empty([this.num_parameters], o.dtype ?? get_default_dtype()));
    this.reset_parameters();
  }
  reset_parameters(): void { init.constant_(this.weight, this.init); }
  override forward(input: Tensor): Tensor { return F.prelu(input, this.weight); }
  override extra_repr(): string { return `num_parameters=${this.num_parameters}`; }
}

/** GLU(dim=-1): the first half of `dim` gated by the sigmoid of the second. */
export class GLU extends Module {
  dim: number;
  constructor(dim: number | { dim?: number } = -1) {
    super();
    this.dim = typeof dim === "number" ? dim : dim.dim ?? -1;
  }
  override forward(input: Tensor): Tensor { return F.glu(input, this.dim); }
  override extra_repr(): string { return `dim=${this.dim}`; }
}

/** Softshrink and Hardshrink print their λ alone: "Softshrink(0.5)". */
abstract class Shrink extends Module {
  lambd: number;
  constructor(lambd: number | { lambd?: number } = 0.5) {
    super();
    this.lambd = typeof lambd === "number" ? lambd : lambd.lambd ?? 0.5;
  }
  override extra_repr(): string { return pyFloat(this.lambd); }
}
export class Softshrink extends Shrink {
  override forward(input: Tensor): Tensor { return F.softshrink(input, this.lambd); }
}
export class Hardshrink extends Shrink {
  override forward(input: Tensor): Tensor { return F.hardshrink(input, this.lambd); }
}

/** RReLU(lower=1/8, upper=1/3, inplace=false): random negative slopes while training, their mean
 *  (lower + upper) / 2 in eval mode. */
export class RReLU extends Module {
  lower: number; upper: number; inplace: boolean;
  constructor(lower = 1 / 8, upper = 1 / 3, inplace = false) {
    super();
    this.lower = lower; this.upper = upper; this.inplace = inplace;
  }
  override forward(input: Tensor): Tensor { return F.rrelu(input, this.lower, this.upper, this.training, this.inplace); }
  override extra_repr(): string { return `lower=${pyFloat(this.lower)}, upper=${pyFloat(this.upper)}${this.inplace ? ", inplace=True" : ""}`; }
}

/** Softmax over the channels of [N, C, H, W] or [C, H, W] (dim -3). */
export class Softmax2d extends Module {
  override forward(input: Tensor): Tensor {
    if (input.ndim !== 3 && input.ndim !== 4) throw new Error(`Softmax2d: expected input to be 3D or 4D, got ${input.ndim}D instead`);
    return F.softmax(input, -3);
  }
}
