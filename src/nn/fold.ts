// Fold and Unfold (torch/nn/modules/fold.py, PyTorch 2.x): col2im and im2col as modules. Their
// arguments are printed as given, an int or a tuple: "Unfold(kernel_size=(2, 3), dilation=1, …)".

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { fold, unfold } from "../ops/conv.js";
import { tupleRepr, type IntOrTuple } from "../ops/_nn_args.js";

/** Extracts sliding local blocks: Unfold(kernel_size, dilation=1, padding=0, stride=1). */
export class Unfold extends Module {
  kernel_size: IntOrTuple;
  dilation: IntOrTuple;
  padding: IntOrTuple;
  stride: IntOrTuple;
  constructor(kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0, stride: IntOrTuple = 1) {
    super();
    this.kernel_size = kernel_size; this.dilation = dilation; this.padding = padding; this.stride = stride;
  }
  override forward(input: Tensor): Tensor { return unfold(input, this.kernel_size, this.dilation, this.padding, this.stride); }
  override extra_repr(): string {
    return `kernel_size=${tupleRepr(this.kernel_size)}, dilation=${tupleRepr(this.dilation)}, padding=${tupleRepr(this.padding)}, stride=${tupleRepr(this.stride)}`;
  }
}

/** Combines sliding local blocks into a tensor: Fold(output_size, kernel_size, dilation=1,
 *  padding=0, stride=1). */
export class Fold extends Module {
  output_size: IntOrTuple;
  kernel_size: IntOrTuple;
  dilation: IntOrTuple;
  padding: IntOrTuple;
  stride: IntOrTuple;
  constructor(output_size: IntOrTuple, kernel_size: IntOrTuple, dilation: IntOrTuple = 1, padding: IntOrTuple = 0, stride: IntOrTuple = 1) {
    super();
    this.output_size = output_size; this.kernel_size = kernel_size; this.dilation = dilation; this.padding = padding; this.stride = stride;
  }
  override forward(input: Tensor): Tensor { return fold(input, this.output_size, this.kernel_size, this.dilation, this.padding, this.stride); }
  override extra_repr(): string {
    return `output_size=${tupleRepr(this.output_size)}, kernel_size=${tupleRepr(this.kernel_size)}, dilation=${tupleRepr(this.dilation)}, padding=${tupleRepr(this.padding)}, stride=${tupleRepr(this.stride)}`;
  }
}
