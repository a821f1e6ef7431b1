// Conv1d/2d/3d and ConvTranspose1d/2d/3d (torch/nn/modules/conv.py, PyTorch 2.x):
// weights, default initialisation, padding modes, output_size and printed form as PyTorch's.

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { Parameter } from "./parameter.js";
import { emptyParam, type FactoryOpts } from "./linear.js";
import * as init from "./init.js";
import { F } from "./F.js";
import { pad, type PadMode } from "../ops/padding.js";
import { expandParam, tupleRepr, listStr, type IntOrTuple } from "../ops/_nn_args.js";
import type { DType } from "../core/dtype.js";

const { conv1d, conv2d, conv3d, conv_transpose1d, conv_transpose2d, conv_transpose3d } = F; // (profiled: Note [Profiler hook])
const CONV = [conv1d, conv2d, conv3d], TRANSPOSED = [conv_transpose1d, conv_transpose2d, conv_transpose3d];

export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

/** A convolution module's arguments after the channels and kernel_size (the transposed ones take
 *  output_padding too). */
interface ConvArgs extends FactoryOpts {
  stride: IntOrTuple; padding: IntOrTuple | "same" | "valid"; output_padding: IntOrTuple; dilation: IntOrTuple; groups: number;
  bias: boolean; padding_mode: PaddingMode;
}

/** PyTorch's _ConvNd: the shared constructor, reset_parameters and extra_repr. */
export abstract class _ConvNd extends Module {
  in_channels: number;
  out_channels: number;
  kernel_size: number[];
  stride: number[];
  padding: number[] | "same" | "valid";
  dilation: number[];
  transposed = false;
  output_padding: number[];
  groups: number;
  padding_mode: PaddingMode;
  /** F.pad amounts for the non-zeros padding modes (last dim first), as PyTorch keeps them */
  _reversed_padding_repeated_twice: number[];
  weight!: Parameter;
  bias!: Parameter | null;

  constructor(n: number, in_channels: number, out_channels: number, kernel_size: IntOrTuple, o: ConvArgs, transposed = false) {
    super();
    const tuple = (v: IntOrTuple) => expandParam(v, n) ?? (v as number[]).slice();
    const groups = o.groups, stride = tuple(o.stride), dilation = tuple(o.dilation), k = tuple(kernel_size);
    if (groups <= 0) throw new Error("groups must be a positive integer");
    if (in_channels % groups !== 0) throw new Error("in_channels must be divisible by groups");
    if (out_channels % groups !== 0) throw new Error("out_channels must be divisible by groups");
    const padding = typeof o.padding === "string" ? o.padding : tuple(o.padding);
    if (typeof padding === "string") {
      if (padding !== "same" && padding !== "valid") throw new Error(`Invalid padding string '${padding}', should be one of {'valid', 'same'}`);
      if (padding === "same" && stride.some((s) => s !== 1)) throw new Error("padding='same' is not supported for strided convolutions");
    }
    const modes = ["zeros", "reflect", "replicate", "circular"];
    if (!modes.includes(o.padding_mode))
      throw new Error(`padding_mode must be one of {'zeros', 'reflect', 'replicate', 'circular'}, but got padding_mode='${o.padding_mode}'`);
    this.in_channels = in_channels;
    this.out_channels = out_channels;
    this.kernel_size = k;
    this.stride = stride;
    this.padding = padding;
    this.dilation = dilation;
    this.transposed = transposed;
    this.output_padding = transposed ? tuple(o.output_padding) : new Array<number>(n).fill(0);
    this.groups = groups;
    this.padding_mode = o.padding_mode;
    const rp: number[] = [];
    for (let i = n - 1; i >= 0; i--) {
      if (padding === "valid") rp.push(0, 0);
      else if (padding === "same") {
        // 'same': total d·(k−1), the odd element on the right
        const total = dilation[i]! * (k[i]! - 1), left = Math.floor(total / 2);
        rp.push(left, total - left);
      } else rp.push(padding[i]!, padding[i]!);
    }
    this._reversed_padding_repeated_twice = rp;
    // a transposed convolution's weight maps out_channels to in_channels: [in, out/groups, k…]
    this.weight = emptyParam(transposed ? [in_channels, out_channels / groups, ...k] : [out_channels, in_channels / groups, ...k], o);
    if (o.bias) this.bias = emptyParam([out_channels], o);
    else this.register_parameter("bias", null);
    this.reset_parameters();
  }

  /** kaiming_uniform_(a=√5) on the weight, the bias from U(−1/√fan_in, 1/√fan_in) with fan_in as
   *  init computes it from the weight's dim 1 (out_channels/groups · k… for a transposed one). */
  reset_parameters(): void {
    init.kaiming_uniform_(this.weight, { a: Math.sqrt(5) });
    if (this.bias !== null) {
      const [fanIn] = init._calculate_fan_in_and_fan_out(this.weight);
      if (fanIn !== 0) {
        const bound = 1 / Math.sqrt(fanIn);
        init.uniform_(this.bias, -bound, bound);
      }
    }
  }

  /** The input padded for a non-zeros padding_mode, and the padding the convolution adds itself. */
  protected _padded(input: Tensor): [Tensor, IntOrTuple | "same" | "valid"] {
    if (this.padding_mode === "zeros") return [input, this.padding];
    return [pad(input, this._reversed_padding_repeated_twice, this.padding_mode as PadMode), 0];
  }

  /** Conv1d/2d/3d's forward (the transposed ones have their own). */
  override forward(input: Tensor): Tensor {
    const [x, padding] = this._padded(input);
    return CONV[this.kernel_size.length - 1]!(x, this.weight, this.bias, this.stride, padding, this.dilation, this.groups);
  }

  override extra_repr(): string {
    const isZero = (v: number[]) => v.every((x) => x === 0);
    let s = `${this.in_channels}, ${this.out_channels}, kernel_size=${tupleRepr(this.kernel_size)}, stride=${tupleRepr(this.stride)}`;
    if (typeof this.padding === "string") s += `, padding=${this.padding}`;
    else if (!isZero(this.padding)) s += `, padding=${tupleRepr(this.padding)}`;
    if (this.dilation.some((d) => d !== 1)) s += `, dilation=${tupleRepr(this.dilation)}`;
    if (!isZero(this.output_padding)) s += `, output_padding=${tupleRepr(this.output_padding)}`;
    if (this.groups !== 1) s += `, groups=${this.groups}`;
    if (this.bias === null) s += ", bias=False";
    if (this.padding_mode !== "zeros") s += `, padding_mode=${this.padding_mode}`;
    return s;
  }
}

/** 2-d convolution over [N, C, H, W] (or [C, H, W]): Conv2d(in_channels, out_channels,
 *  kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=true, padding_mode="zeros"). */
export class Conv2d extends _ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple | "same" | "valid" = 0,
    dilation: IntOrTuple = 1, groups = 1, bias = true, padding_mode: PaddingMode = "zeros", device: string | null = null, dtype: DType | null = null) {
    super(2, in_channels, out_channels, kernel_size, { stride, padding, output_padding: 0, dilation, groups, bias, padding_mode, device, dtype });
  }
}

/** 3-d convolution over [N, C, D, H, W] (or [C, D, H, W]): Conv3d(in_channels, out_channels,
 *  kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=true, padding_mode="zeros"). */
export class Conv3d extends _ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple | "same" | "valid" = 0,
    dilation: IntOrTuple = 1, groups = 1, bias = true, padding_mode: PaddingMode = "zeros", device: string | null = null, dtype: DType | null = null) {
    super(3, in_channels, out_channels, kernel_size, { stride, padding, output_padding: 0, dilation, groups, bias, padding_mode, device, dtype });
  }
}

/** 1-d convolution over [N, C, L] (or [C, L]): Conv1d(in_channels, out_channels, kernel_size, …). */
export class Conv1d extends _ConvNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple | "same" | "valid" = 0,
    dilation: IntOrTuple = 1, groups = 1, bias = true, padding_mode: PaddingMode = "zeros", device: string | null = null, dtype: DType | null = null) {
    super(1, in_channels, out_channels, kernel_size, { stride, padding, output_padding: 0, dilation, groups, bias, padding_mode, device, dtype });
  }
}

/** PyTorch's _ConvTransposeNd: only zero padding, and the output_padding that makes forward's
 *  output_size (when given) the output's size. */
export abstract class _ConvTransposeNd extends _ConvNd {
  declare padding: number[];

  constructor(n: number, in_channels: number, out_channels: number, kernel_size: IntOrTuple, o: ConvArgs) {
    if (o.padding_mode !== "zeros") throw new Error(`Only "zeros" padding mode is supported for ${new.target.name}`);
    // (PyTorch takes a string here for a tuple of its characters and fails later)
    if (typeof o.padding === "string") throw new Error(`${new.target.name} takes integer padding, not '${String(o.padding)}'`);
    super(n, in_channels, out_channels, kernel_size, o, true);
  }

  /** PyTorch's _output_padding: this.output_padding, or for an output_size (spatial sizes, or
   *  with the batch and channel sizes in front) the amounts that reach it, checked against the
   *  range of sizes the strides allow. */
  protected _output_padding(input: Tensor, output_size: readonly number[] | null | undefined, n: number): number[] {
    if (output_size === null || output_size === undefined) return this.output_padding.slice();
    const nonSpatial = input.ndim === n + 2 ? 2 : 1;
    let size = output_size.slice();
    if (size.length === nonSpatial + n) size = size.slice(nonSpatial);
    if (size.length !== n)
      throw new Error(`ConvTranspose${n}D: for ${input.ndim}D input, output_size must have ${n} or ${nonSpatial + n} elements (got ${size.length})`);
    const min: number[] = [], max: number[] = [];
    for (let d = 0; d < n; d++) {
      min.push((input.shape[d + nonSpatial]! - 1) * this.stride[d]! - 2 * this.padding[d]! + this.dilation[d]! * (this.kernel_size[d]! - 1) + 1);
      max.push(min[d]! + this.stride[d]! - 1);
    }
    // (PyTorch prints input.size()[2:], the spatial sizes only for a batched input)
    if (size.some((s, i) => s < min[i]! || s > max[i]!))
      throw new Error(`requested an output size of ${listStr(size)}, but valid sizes range from ${listStr(min)} to ${listStr(max)} (for an input of torch.Size(${listStr(input.shape.slice(2))}))`);
    return size.map((s, i) => s - min[i]!);
  }

  /** forward(input, output_size?): output_size picks the output_padding that reaches it. */
  override forward(input: Tensor, output_size: readonly number[] | null = null): Tensor {
    const n = this.kernel_size.length, output_padding = this._output_padding(input, output_size, n);
    return TRANSPOSED[n - 1]!(input, this.weight, this.bias, this.stride, this.padding, output_padding, this.groups, this.dilation);
  }
}

/** 2-d transposed convolution over [N, Cin, H, W] (or [Cin, H, W]): ConvTranspose2d(in_channels,
 *  out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=true,
 *  dilation=1, padding_mode="zeros"); forward(input, output_size?) picks the output_padding that
 *  gives output_size. */
export class ConvTranspose2d extends _ConvTransposeNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0, groups = 1, bias = true, dilation: IntOrTuple = 1, padding_mode: PaddingMode = "zeros",
    device: string | null = null, dtype: DType | null = null) {
    super(2, in_channels, out_channels, kernel_size, { stride, padding, output_padding, dilation, groups, bias, padding_mode, device, dtype });
  }
}

/** 3-d transposed convolution over [N, Cin, D, H, W] (or [Cin, D, H, W]): ConvTranspose3d(
 *  in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=true,
 *  dilation=1, padding_mode="zeros"); forward(input, output_size?) as ConvTranspose2d's. */
export class ConvTranspose3d extends _ConvTransposeNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0, groups = 1, bias = true, dilation: IntOrTuple = 1, padding_mode: PaddingMode = "zeros",
    device: string | null = null, dtype: DType | null = null) {
    super(3, in_channels, out_channels, kernel_size, { stride, padding, output_padding, dilation, groups, bias, padding_mode, device, dtype });
  }
}

/** 1-d transposed convolution over [N, Cin, L] (or [Cin, L]): ConvTranspose1d(in_channels,
 *  out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1, bias=true,
 *  dilation=1, padding_mode="zeros"). */
export class ConvTranspose1d extends _ConvTransposeNd {
  constructor(in_channels: number, out_channels: number, kernel_size: IntOrTuple, stride: IntOrTuple = 1, padding: IntOrTuple = 0,
    output_padding: IntOrTuple = 0, groups = 1, bias = true, dilation: IntOrTuple = 1, padding_mode: PaddingMode = "zeros",
    device: string | null = null, dtype: DType | null = null) {
    super(1, in_channels, out_channels, kernel_size, { stride, padding, output_padding, dilation, groups, bias, padding_mode, device, dtype });
  }
}
