// torch.nn.functional as programs and nn's modules call it: functional.ts's functions, each one an
// op the profiler records under PyTorch's aten name (Note [Profiler hook]).

import * as functional from "./functional.js";
import { profiled } from "../profiler/record.js";
import { levels, hasBatched, callBatched } from "../func/batched.js";

/** Where PyTorch's op is named otherwise than the function. */
export const ATEN: Readonly<Record<string, string>> = { cross_entropy: "cross_entropy_loss", nll_loss: "nll_loss_nd" };

function wrap<T extends object>(ns: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(ns)) {
    const aten = ATEN[name] ?? name;
    if (typeof v !== "function") { out[name] = v; continue; }
    const op = profiled(`aten::${aten}`, v as (...a: unknown[]) => unknown), key = `F.${name}`;
    // (inside vmap, a call on a batched tensor goes to its batching rule: Note [Batched tensors])
    out[name] = { [name]: (...args: unknown[]) => (levels.length > 0 && hasBatched(args) ? callBatched(key, op, args) : op(...args)) }[name];
  }
  return Object.freeze(out) as T;
}

export const F = wrap(functional);
