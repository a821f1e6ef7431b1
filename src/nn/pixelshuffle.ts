// PixelShuffle and PixelUnshuffle (torch/nn/modules/pixelshuffle.py, PyTorch 2.x).

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { pixel_shuffle, pixel_unshuffle } from "../ops/upsample.js";

/** Rearranges [*, C·r², H, W] into [*, C, H·r, W·r]: PixelShuffle(upscale_factor). */
export class PixelShuffle extends Module {
  upscale_factor: number;
  constructor(upscale_factor: number | { upscale_factor: number }) {
    super();
    this.upscale_factor = typeof upscale_factor === "number" ? upscale_factor : upscale_factor.upscale_factor;
  }
  override forward(input: Tensor): Tensor { return pixel_shuffle(input, this.upscale_factor); }
  override extra_repr(): string { return `upscale_factor=${this.upscale_factor}`; }
}

/** Rearranges [*, C, H·r, W·r] into [*, C·r², H, W]: PixelUnshuffle(downscale_factor). */
export class PixelUnshuffle extends Module {
  downscale_factor: number;
  constructor(downscale_factor: number | { downscale_factor: number }) {
    super();
    this.downscale_factor = typeof downscale_factor === "number" ? downscale_factor : downscale_factor.downscale_factor;
  }
  override forward(input: Tensor): Tensor { return pixel_unshuffle(input, this.downscale_factor); }
  override extra_repr(): string { return `downscale_factor=${this.downscale_factor}`; }
}
