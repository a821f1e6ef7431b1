// Pooling layers (torch/nn/modules/pooling.py, PyTorch 2.x): MaxPool1d/2d/3d, AvgPool1d/2d/3d,
// AdaptiveAvgPool1d/2d/3d, AdaptiveMaxPool1d/2d/3d, MaxUnpool1d/2d/3d, LPPool1d/2d/3d. Arguments are kept as given (an int stays an int,
// stride defaults to kernel_size) so the printed form is PyTorch's; AvgPool1d keeps 1-tuples, as
// PyTorch's _single does.

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
// (through nn.functional, as PyTorch's modules call it: the profiler and vmap see the op)
import { F as P } from "./F.js";
import { tupleRepr, type IntOrTuple } from "../ops/_nn_args.js";

const pyBool = (b: boolean) => (b ? "True" : "False");
type OutSize = number | readonly (number | null)[];
const outSizeRepr = (v: OutSize) => (typeof v === "number" ? String(v) : `(${v.map((x) => (x === null ? "None" : String(x))).join(", ")}${v.length === 1 ? "," : ""})`);


/** PyTorch's _MaxPoolNd: note the constructor takes return_indices before ceil_mode. */
abstract class _MaxPoolNd extends Module {
  kernel_size: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  dilation: IntOrTuple;
  return_indices: boolean;
  ceil_mode: boolean;
  constructor(kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, dilation: IntOrTuple = 1,
    return_indices = false, ceil_mode = false) {
    super();
    this.kernel_size = kernel_size;
    this.stride = stride ?? kernel_size;
    this.padding = padding;
    this.dilation = dilation;
    this.return_indices = return_indices;
    this.ceil_mode = ceil_mode;
  }
  override extra_repr(): string {
    return `kernel_size=${tupleRepr(this.kernel_size)}, stride=${tupleRepr(this.stride)}, padding=${tupleRepr(this.padding)}, dilation=${tupleRepr(this.dilation)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

/** MaxPool2d(kernel_size, stride=null, padding=0, dilation=1, return_indices=false, ceil_mode=false). */
export class MaxPool2d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor {
    return P.max_pool2d(input, this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode, this.return_indices);
  }
}

/** MaxPool3d(kernel_size, stride=null, padding=0, dilation=1, return_indices=false, ceil_mode=false). */
export class MaxPool3d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor {
    return P.max_pool3d(input, this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode, this.return_indices);
  }
}

/** MaxPool1d(kernel_size, stride=null, padding=0, dilation=1, return_indices=false, ceil_mode=false). */
export class MaxPool1d extends _MaxPoolNd {
  override forward(input: Tensor): Tensor {
    return P.max_pool1d(input, this.kernel_size, this.stride, this.padding, this.dilation, this.ceil_mode, this.return_indices);
  }
}


/** PyTorch's AvgPool2d and AvgPool3d: the arguments as given, stride defaulting to kernel_size. */
abstract class _AvgPoolNd extends Module {
  kernel_size: IntOrTuple;
  stride: IntOrTuple;
  padding: IntOrTuple;
  ceil_mode: boolean;
  count_include_pad: boolean;
  divisor_override: number | null;
  constructor(kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, ceil_mode = false,
    count_include_pad = true, divisor_override: number | null = null) {
    super();
    this.kernel_size = kernel_size;
    this.stride = stride ?? kernel_size;
    this.padding = padding;
    this.ceil_mode = ceil_mode;
    this.count_include_pad = count_include_pad;
    this.divisor_override = divisor_override;
  }
  override extra_repr(): string { return `kernel_size=${tupleRepr(this.kernel_size)}, stride=${tupleRepr(this.stride)}, padding=${tupleRepr(this.padding)}`; }
}

/** AvgPool2d(kernel_size, stride=null, padding=0, ceil_mode=false, count_include_pad=true,
 *  divisor_override=null). */
export class AvgPool2d extends _AvgPoolNd {
  override forward(input: Tensor): Tensor {
    return P.avg_pool2d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override);
  }
}

/** AvgPool3d(kernel_size, stride=null, padding=0, ceil_mode=false, count_include_pad=true,
 *  divisor_override=null). */
export class AvgPool3d extends _AvgPoolNd {
  override forward(input: Tensor): Tensor {
    return P.avg_pool3d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad, this.divisor_override);
  }
}

/** AvgPool1d(kernel_size, stride=null, padding=0, ceil_mode=false, count_include_pad=true). */
export class AvgPool1d extends Module {
  kernel_size: number[];
  stride: number[];
  padding: number[];
  ceil_mode: boolean;
  count_include_pad: boolean;
  constructor(kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0, ceil_mode = false, count_include_pad = true) {
    super();
    const single = (v: IntOrTuple) => (typeof v === "number" ? [v] : v.slice());
    this.kernel_size = single(kernel_size);
    this.stride = single(stride ?? kernel_size);
    this.padding = single(padding);
    this.ceil_mode = ceil_mode;
    this.count_include_pad = count_include_pad;
  }
  override forward(input: Tensor): Tensor {
    return P.avg_pool1d(input, this.kernel_size, this.stride, this.padding, this.ceil_mode, this.count_include_pad);
  }
  override extra_repr(): string { return `kernel_size=${tupleRepr(this.kernel_size)}, stride=${tupleRepr(this.stride)}, padding=${tupleRepr(this.padding)}`; }
}

/** AdaptiveAvgPool2d(output_size): an int, or a pair whose null entries keep the input's size. */
export class AdaptiveAvgPool2d extends Module {
  constructor(public output_size: OutSize) { super(); }
  override forward(input: Tensor): Tensor { return P.adaptive_avg_pool2d(input, this.output_size); }
  override extra_repr(): string { return `output_size=${outSizeRepr(this.output_size)}`; }
}

/** AdaptiveAvgPool3d(output_size): an int, or a triple whose null entries keep the input's size. */
export class AdaptiveAvgPool3d extends Module {
  constructor(public output_size: OutSize) { super(); }
  override forward(input: Tensor): Tensor { return P.adaptive_avg_pool3d(input, this.output_size); }
  override extra_repr(): string { return `output_size=${outSizeRepr(this.output_size)}`; }
}

/** AdaptiveAvgPool1d(output_size). */
export class AdaptiveAvgPool1d extends Module {
  constructor(public output_size: number | readonly number[]) { super(); }
  override forward(input: Tensor): Tensor { return P.adaptive_avg_pool1d(input, this.output_size); }
  override extra_repr(): string { return `output_size=${outSizeRepr(this.output_size)}`; }
}

/** PyTorch's _AdaptiveMaxPoolNd: output_size and return_indices, printed as output_size=. */
abstract class _AdaptiveMaxPoolNd<Size extends OutSize> extends Module {
  return_indices: boolean;
  constructor(public output_size: Size, return_indices = false) {
    super();
    this.return_indices = return_indices;
  }
  override extra_repr(): string { return `output_size=${outSizeRepr(this.output_size)}`; }
}

/** AdaptiveMaxPool2d(output_size, return_indices=false). */
export class AdaptiveMaxPool2d extends _AdaptiveMaxPoolNd<OutSize> {
  override forward(input: Tensor): Tensor { return P.adaptive_max_pool2d(input, this.output_size, this.return_indices); }
}

/** AdaptiveMaxPool3d(output_size, return_indices=false). */
export class AdaptiveMaxPool3d extends _AdaptiveMaxPoolNd<OutSize> {
  override forward(input: Tensor): Tensor { return P.adaptive_max_pool3d(input, this.output_size, this.return_indices); }
}

/** AdaptiveMaxPool1d(output_size, return_indices=false). */
export class AdaptiveMaxPool1d extends _AdaptiveMaxPoolNd<number | readonly number[]> {
  override forward(input: Tensor): Tensor { return P.adaptive_max_pool1d(input, this.output_size, this.return_indices); }
}

/** PyTorch's _MaxUnpoolNd: kernel_size, stride (default kernel_size) and padding kept as n-tuples;
 *  forward(input, indices, output_size?). */
abstract class _MaxUnpoolNd extends Module {
  kernel_size: number[];
  stride: number[];
  padding: number[];
  constructor(n: number, kernel_size: IntOrTuple, stride: IntOrTuple | null, padding: IntOrTuple) {
    super();
    const tuple = (v: IntOrTuple) => (typeof v === "number" ? new Array<number>(n).fill(v) : v.slice());
    this.kernel_size = tuple(kernel_size);
    this.stride = tuple(stride ?? kernel_size);
    this.padding = tuple(padding);
  }
  override extra_repr(): string { return `kernel_size=${tupleRepr(this.kernel_size)}, stride=${tupleRepr(this.stride)}, padding=${tupleRepr(this.padding)}`; }
}

/** MaxUnpool1d(kernel_size, stride=null, padding=0): max_pool1d's partial inverse. */
export class MaxUnpool1d extends _MaxUnpoolNd {
  constructor(kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0) { super(1, kernel_size, stride, padding); }
  override forward(input: Tensor, indices: Tensor, output_size: readonly number[] | null = null): Tensor {
    return P.max_unpool1d(input, indices, this.kernel_size, this.stride, this.padding, output_size);
  }
}

/** MaxUnpool2d(kernel_size, stride=null, padding=0): max_pool2d's partial inverse. */
export class MaxUnpool2d extends _MaxUnpoolNd {
  constructor(kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0) { super(2, kernel_size, stride, padding); }
  override forward(input: Tensor, indices: Tensor, output_size: readonly number[] | null = null): Tensor {
    return P.max_unpool2d(input, indices, this.kernel_size, this.stride, this.padding, output_size);
  }
}

/** MaxUnpool3d(kernel_size, stride=null, padding=0): max_pool3d's partial inverse. */
export class MaxUnpool3d extends _MaxUnpoolNd {
  constructor(kernel_size: IntOrTuple, stride: IntOrTuple | null = null, padding: IntOrTuple = 0) { super(3, kernel_size, stride, padding); }
  override forward(input: Tensor, indices: Tensor, output_size: readonly number[] | null = null): Tensor {
    return P.max_unpool3d(input, indices, this.kernel_size, this.stride, this.padding, output_size);
  }
}

/** PyTorch's _LPPoolNd: norm_type, kernel_size and stride kept as given. */
abstract class _LPPoolNd extends Module {
  stride: IntOrTuple | null;
  constructor(public norm_type: number, public kernel_size: IntOrTuple, stride: IntOrTuple | null = null, public ceil_mode = false) {
    super();
    this.stride = stride;
  }
  override extra_repr(): string {
    return `norm_type=${this.norm_type}, kernel_size=${tupleRepr(this.kernel_size)}, stride=${tupleRepr(this.stride)}, ceil_mode=${pyBool(this.ceil_mode)}`;
  }
}

/** LPPool1d(norm_type, kernel_size, stride=null, ceil_mode=false): power-average pooling. */
export class LPPool1d extends _LPPoolNd {
  override forward(input: Tensor): Tensor { return P.lp_pool1d(input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode); }
}
/** LPPool2d(norm_type, kernel_size, stride=null, ceil_mode=false). */
export class LPPool2d extends _LPPoolNd {
  override forward(input: Tensor): Tensor { return P.lp_pool2d(input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode); }
}
/** LPPool3d(norm_type, kernel_size, stride=null, ceil_mode=false). */
export class LPPool3d extends _LPPoolNd {
  override forward(input: Tensor): Tensor { return P.lp_pool3d(input, this.norm_type, this.kernel_size, this.stride, this.ceil_mode); }
}
