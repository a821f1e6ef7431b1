// Upsample, UpsamplingNearest2d, UpsamplingBilinear2d (torch/nn/modules/upsampling.py, PyTorch
// 2.x): F.interpolate with the arguments kept; printed as PyTorch prints them (a scale factor as a
// float, the mode quoted).

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { interpolate, type InterpolateMode } from "../ops/upsample.js";
import { tupleRepr } from "../ops/_nn_args.js";
import { formatPyFloat } from "../core/printing.js";

type Size = number | readonly number[] | null;

/** Python's repr of a float or a tuple of floats. */
const floatRepr = (v: number | readonly number[]) =>
  typeof v === "number" ? formatPyFloat(v) : v.length === 1 ? `(${formatPyFloat(v[0]!)},)` : `(${v.map(formatPyFloat).join(", ")})`;

/** Upsample(size=null, scale_factor=null, mode="nearest", align_corners=null,
 *  recompute_scale_factor=null): F.interpolate as a layer. */
export class Upsample extends Module {
  size: Size;
  scale_factor: number | readonly number[] | null;
  mode: InterpolateMode;
  align_corners: boolean | null;
  recompute_scale_factor: boolean | null;

  constructor(size: Size = null, scale_factor: Size = null, mode: InterpolateMode = "nearest", align_corners: boolean | null = null,
    recompute_scale_factor: boolean | null = null) {
    super();
    this.size = size;
    // PyTorch keeps float(scale_factor), or None for a missing (or zero) one
    this.scale_factor = scale_factor === null || scale_factor === 0 ? null : typeof scale_factor === "number" ? scale_factor : scale_factor.slice();
    this.mode = mode;
    this.align_corners = align_corners;
    this.recompute_scale_factor = recompute_scale_factor;
  }

  override forward(input: Tensor): Tensor {
    return interpolate(input, this.size, this.scale_factor, this.mode, this.align_corners, this.recompute_scale_factor);
  }

  override extra_repr(): string {
    const info = this.scale_factor !== null ? `scale_factor=${floatRepr(this.scale_factor)}` : `size=${tupleRepr(this.size)}`;
    return `${info}, mode='${this.mode}'`;
  }
}

/** UpsamplingNearest2d(size=null, scale_factor=null): Upsample with mode "nearest". */
export class UpsamplingNearest2d extends Upsample {
  constructor(size: Size = null, scale_factor: Size = null) {
    super(size, scale_factor, "nearest");
  }
}

/** UpsamplingBilinear2d(size=null, scale_factor=null): Upsample with mode "bilinear" and
 *  align_corners=true. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(size: Size = null, scale_factor: Size = null) {
    super(size, scale_factor, "bilinear", true);
  }
}
