// torch.nn.functional as programs and nn's modules call it: functional.ts's functions, each one an
// op the profiler records under PyTorch's aten name (Note [Profiler hook]).

import * as functional from "./functional.js";
import { profiled } from "../profiler/record.js";

/** Where PyTorch's op is named otherwise than the function. */
const ATEN: Record<string, string> = { cross_entropy: "cross_entropy_loss", nll_loss: "nll_loss_nd" };
function wrap<T extends object>(ns: T): T {
  const out: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(ns)) {
    const aten = ATEN[name] ?? name;
    out[name] = typeof v === "function" ? profiled(`aten::${aten}`, v as (...a: never[]) => unknown) : v;
  }
  return Object.freeze(out) as T;
}

export const F = wrap(functional);
