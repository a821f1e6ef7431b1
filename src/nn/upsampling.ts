// Upsample, UpsamplingNearest2d, UpsamplingBilinear2d (torch/nn/modules/upsampling.py, PyTorch
// 2.x): F.interpolate with the arguments kept; printed as PyTorch prints them (a scale factor as a
// float, the mode quoted).

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { interpolate, type InterpolateMode } from "../ops/upsample.js";
import { parseArgs, tupleRepr } from "../ops/_nn_args.js";
import { formatPyFloat } from "../core/printing.js";

type Size = number | readonly number[] | null;
export interface UpsampleOpts {
  size?: Size; scale_factor?: Size; mode?: InterpolateMode; align_corners?: boolean | null; recompute_scale_factor?: boolean | null;
}
type UpsampleArg = Size | string | boolean | UpsampleOpts | undefined;

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

  constructor(...args: UpsampleArg[]) {
    super();
    const o = parseArgs<UpsampleOpts>(["size", "scale_factor", "mode", "align_corners", "recompute_scale_factor"],
      { size: null, scale_factor: null, mode: "nearest", align_corners: null, recompute_scale_factor: null }, args);
    this.size = o.size ?? null;
    // PyTorch keeps float(scale_factor), or None for a missing (or zero) one
    const sf = o.scale_factor ?? null;
    this.scale_factor = sf === null || sf === 0 ? null : typeof sf === "number" ? sf : sf.slice();
    this.mode = o.mode!;
    this.align_corners = o.align_corners ?? null;
    this.recompute_scale_factor = o.recompute_scale_factor ?? null;
  }

  override forward(input: Tensor): Tensor {
    return interpolate(input, {
      size: this.size, scale_factor: this.scale_factor, mode: this.mode, align_corners: this.align_corners,
      recompute_scale_factor: this.recompute_scale_factor,
    });
  }

  override extra_repr(): string {
    const info = this.scale_factor !== null ? `scale_factor=${floatRepr(this.scale_factor)}` : `size=${tupleRepr(this.size)}`;
    return `${info}, mode='${this.mode}'`;
  }
}

/** UpsamplingNearest2d(size=null, scale_factor=null): Upsample with mode "nearest". */
export class UpsamplingNearest2d extends Upsample {
  constructor(...args: (Size | { size?: Size; scale_factor?: Size } | undefined)[]) {
    const o = parseArgs<{ size?: Size; scale_factor?: Size }>(["size", "scale_factor"], { size: null, scale_factor: null }, args);
    super(o.size ?? null, o.scale_factor ?? null, "nearest");
  }
}

/** UpsamplingBilinear2d(size=null, scale_factor=null): Upsample with mode "bilinear" and
 *  align_corners=true. */
export class UpsamplingBilinear2d extends Upsample {
  constructor(...args: (Size | { size?: Size; scale_factor?: Size } | undefined)[]) {
    const o = parseArgs<{ size?: Size; scale_factor?: Size }>(["size", "scale_factor"], { size: null, scale_factor: null }, args);
    super(o.size ?? null, o.scale_factor ?? null, "bilinear", true);
  }
}
