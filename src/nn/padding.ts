// Padding layers (torch/nn/modules/padding.py, PyTorch 2.x): ConstantPad1d/2d/3d, ZeroPad1d/2d/3d,
// ReflectionPad1d/2d/3d, ReplicationPad1d/2d/3d, CircularPad1d/2d/3d, each F.pad with its mode.
// `padding` is kept as PyTorch keeps it: an int expanded to 2·n amounts, a tuple as given.

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { pad, type PadMode } from "../ops/padding.js";
import { tupleRepr } from "../ops/_nn_args.js";
import { formatPyFloat } from "../core/printing.js";

type Padding = number | readonly number[];

/** The padding of an n-d pad layer: an int repeated 2·n times, else the given amounts. */
const amounts = (p: Padding, n: number) => (typeof p === "number" ? new Array<number>(2 * n).fill(p) : p.slice());

/** The fill value as Python prints the number passed (an integral JS number as an int). */
const pyNumber = (v: number) => (Number.isInteger(v) ? String(v) : formatPyFloat(v));

abstract class _PadNd extends Module {
  padding: number[];
  constructor(n: number, padding: Padding, private readonly _mode: PadMode) {
    super();
    this.padding = amounts(padding, n);
  }
  override forward(input: Tensor): Tensor { return pad(input, this.padding, this._mode); }
  override extra_repr(): string { return tupleRepr(this.padding); }
}

abstract class _ConstantPadNd extends Module {
  padding: number[];
  value: number;
  constructor(n: number, padding: Padding, value: number) {
    super();
    this.padding = amounts(padding, n);
    this.value = value;
  }
  override forward(input: Tensor): Tensor { return pad(input, this.padding, "constant", this.value); }
  override extra_repr(): string { return `padding=${tupleRepr(this.padding)}, value=${pyNumber(this.value)}`; }
}

export class ConstantPad1d extends _ConstantPadNd { constructor(padding: Padding, value: number) { super(1, padding, value); } }
export class ConstantPad2d extends _ConstantPadNd { constructor(padding: Padding, value: number) { super(2, padding, value); } }
export class ConstantPad3d extends _ConstantPadNd { constructor(padding: Padding, value: number) { super(3, padding, value); } }

/** Zero padding: ConstantPadNd with value 0, printed as its amounts alone. */
export class ZeroPad1d extends _ConstantPadNd {
  constructor(padding: Padding) { super(1, padding, 0); }
  override extra_repr(): string { return tupleRepr(this.padding); }
}
export class ZeroPad2d extends _ConstantPadNd {
  constructor(padding: Padding) { super(2, padding, 0); }
  override extra_repr(): string { return tupleRepr(this.padding); }
}
export class ZeroPad3d extends _ConstantPadNd {
  constructor(padding: Padding) { super(3, padding, 0); }
  override extra_repr(): string { return tupleRepr(this.padding); }
}

export class ReflectionPad1d extends _PadNd { constructor(padding: Padding) { super(1, padding, "reflect"); } }
export class ReflectionPad2d extends _PadNd { constructor(padding: Padding) { super(2, padding, "reflect"); } }
export class ReflectionPad3d extends _PadNd { constructor(padding: Padding) { super(3, padding, "reflect"); } }
export class ReplicationPad1d extends _PadNd { constructor(padding: Padding) { super(1, padding, "replicate"); } }
export class ReplicationPad2d extends _PadNd { constructor(padding: Padding) { super(2, padding, "replicate"); } }
export class ReplicationPad3d extends _PadNd { constructor(padding: Padding) { super(3, padding, "replicate"); } }

/** Circular padding; PyTorch checks the input's rank first (2-d or 3-d input for CircularPad1d …). */
abstract class _CircularPadNd extends _PadNd {
  constructor(private readonly _n: number, padding: Padding) { super(_n, padding, "circular"); }
  override forward(input: Tensor): Tensor {
    const n = this._n;
    if (input.ndim !== n + 1 && input.ndim !== n + 2) throw new Error(`expected ${n + 1}D or ${n + 2}D input (got ${input.ndim}D input)`);
    // an unbatched input is padded as a batch of one
    return input.ndim === n + 1 ? super.forward(input.unsqueeze(0)).squeeze(0) : super.forward(input);
  }
}
export class CircularPad1d extends _CircularPadNd { constructor(padding: Padding) { super(1, padding); } }
export class CircularPad2d extends _CircularPadNd { constructor(padding: Padding) { super(2, padding); } }
export class CircularPad3d extends _CircularPadNd { constructor(padding: Padding) { super(3, padding); } }
