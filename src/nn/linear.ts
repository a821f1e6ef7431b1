// Identity, Linear, Bilinear, Flatten, Unflatten (torch/nn/modules/linear.py, flatten.py).

import { Tensor } from "../core/tensor.js";
import type { DType } from "../core/dtype.js";
import { get_default_dtype } from "../core/dtype.js";
import { checkSizeTuple } from "../core/shape.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { F } from "./F.js";
import * as init from "./init.js";

/** Factory keyword arguments of PyTorch's layers. */
export interface FactoryOpts { device?: string | null; dtype?: DType | null }

export function emptyParam(shape: number[], o: FactoryOpts): Parameter {
  checkSizeTuple("empty", shape);
  const t = Tensor.empty(shape, o.dtype ?? get_default_dtype());
  if (o.device) t.to(o.device); // checks the device exists, as PyTorch's factories do
  return new Parameter(t);
}

/** A placeholder that returns its input; any constructor arguments are ignored. */
export class Identity extends Module {
  constructor(..._args: unknown[]) { super(); }
  override forward(input: Tensor): Tensor { return input; }
}

export interface LinearOpts extends FactoryOpts { bias?: boolean }

/** y = x·Wᵀ + b. Weight [out_features, in_features] from kaiming_uniform_(a=√5), bias from
 *  U(−1/√in_features, 1/√in_features): PyTorch's default, drawn in PyTorch's order. */
export class Linear extends Module {
  in_features: number;
  out_features: number;
  weight!: Parameter;
  bias!: Parameter | null;

  constructor(in_features: number, out_features: number, bias: boolean | LinearOpts = true, opts: LinearOpts = {}) {
    super();
    const o: LinearOpts = typeof bias === "boolean" ? { ...opts, bias } : { ...opts, ...bias };
    this.in_features = in_features;
    this.out_features = out_features;
    this.weight = emptyParam([out_features, in_features], o);
    if (o.bias ?? true) this.bias = emptyParam([out_features], o);
    else this.register_parameter("bias", null);
    this.reset_parameters();
  }

  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      const bound = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
      init.uniform_(this.bias, -bound, bound);
    }
  }

  override forward(input: Tensor): Tensor { return F.linear(input, this.weight, this.bias); }

  override extra_repr(): string {
    return `in_features=${this.in_features}, out_features=${this.out_features}, bias=${this.bias !== null ? "True" : "False"}`;
  }
}

/** y = x1ᵀ·A·x2 + b; weight [out, in1, in2] and bias from U(−1/√in1, 1/√in1). */
export class Bilinear extends Module {
  in1_features: number;
  in2_features: number;
  out_features: number;
  weight!: Parameter;
  bias!: Parameter | null;

  constructor(in1_features: number, in2_features: number, out_features: number, bias: boolean | LinearOpts = true, opts: LinearOpts = {}) {
    super();
    const o: LinearOpts = typeof bias === "boolean" ? { ...opts, bias } : { ...opts, ...bias };
    this.in1_features = in1_features;
    this.in2_features = in2_features;
    this.out_features = out_features;
    this.weight = emptyParam([out_features, in1_features, in2_features], o);
    if (o.bias ?? true) this.bias = emptyParam([out_features], o);
    else this.register_parameter("bias", null);
    this.reset_parameters();
  }

  reset_parameters(): void {
    const bound = 1 / Math.sqrt(this.weight.size(1));
    init.uniform_(this.weight, -bound, bound);
    if (this.bias !== null) init.uniform_(this.bias, -bound, bound);
  }

  override forward(input1: Tensor, input2: Tensor): Tensor { return F.bilinear(input1, input2, this.weight, this.bias); }

  override extra_repr(): string {
    return `in1_features=${this.in1_features}, in2_features=${this.in2_features}, out_features=${this.out_features}, bias=${this.bias !== null ? "True" : "False"}`;
  }
}

/** Flattens dims start_dim..end_dim (default 1..-1: everything but the batch). */
export class Flatten extends Module {
  start_dim: number;
  end_dim: number;
  constructor(start_dim: number | { start_dim?: number; end_dim?: number } = 1, end_dim = -1) {
    super();
    const o = typeof start_dim === "number" ? { start_dim, end_dim } : start_dim;
    this.start_dim = o.start_dim ?? 1;
    this.end_dim = o.end_dim ?? -1;
  }
  override forward(input: Tensor): Tensor { return input.flatten(this.start_dim, this.end_dim); }
  override extra_repr(): string { return `start_dim=${this.start_dim}, end_dim=${this.end_dim}`; }
}

/** Expands dim into the shape unflattened_size. */
export class Unflatten extends Module {
  dim: number;
  unflattened_size: number[];
  constructor(dim: number, unflattened_size: readonly number[]) {
    super();
    if (!Array.isArray(unflattened_size)) throw new TypeError(`unflattened_size must be a tuple of ints, but found type ${typeof unflattened_size}`);
    unflattened_size.forEach((s, i) => {
      if (!Number.isInteger(s)) throw new TypeError(`unflattened_size must be tuple of ints, but found element of type ${typeof s} at pos ${i}`);
    });
    this.dim = dim;
    this.unflattened_size = unflattened_size.slice();
  }
  override forward(input: Tensor): Tensor { return input.unflatten(this.dim, this.unflattened_size); }
  // printed as the Python tuple PyTorch users pass: (2, 5)
  override extra_repr(): string {
    const s = this.unflattened_size;
    return `dim=${this.dim}, unflattened_size=${s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`}`;
  }
}
