// ChannelShuffle (torch/nn/modules/channelshuffle.py, PyTorch 2.x).

import { Tensor } from "../core/tensor.js";
import { Module } from "./module.js";
import { F } from "./F.js";

/** Divides the channels of [N, C, *] into `groups` groups and interleaves them. */
export class ChannelShuffle extends Module {
  groups: number;
  constructor(groups: number | { groups: number }) {
    super();
    this.groups = typeof groups === "number" ? groups : groups.groups;
  }
  override forward(input: Tensor): Tensor { return F.channel_shuffle(input, this.groups); }
  override extra_repr(): string { return `groups=${this.groups}`; }
}
