// Anomaly detection (torch/autograd/anomaly_mode.py, torch/csrc/autograd/anomaly_mode.h): while it
// is on, the engine checks each backward formula's gradients for NaN (with check_nan) and stops at
// the first node that made one, naming it, as PyTorch's engine does. (PyTorch also prints the
// Python traceback of the node's forward call, which typetorch does not record.)

import type { Tensor } from "../core/tensor.js";
import type { Node } from "./node.js";
import { no_grad } from "./grad_mode.js";
import { warnOnce } from "../core/warnings.js";

let enabled = false, checkNan = true;

/** torch.is_anomaly_enabled() */
export const is_anomaly_enabled = (): boolean => enabled;
/** torch.is_anomaly_check_nan_enabled() */
export const is_anomaly_check_nan_enabled = (): boolean => checkNan;
/** torch.set_anomaly_enabled(enabled, check_nan=True) */
export function set_anomaly_enabled(mode: boolean, check_nan: boolean | { check_nan?: boolean } = true): void {
  enabled = mode;
  checkNan = typeof check_nan === "boolean" ? check_nan : check_nan.check_nan ?? true;
}

/** The previous mode, restored when the scope ends (the context managers' __exit__). */
function scoped<R>(mode: boolean, check_nan: boolean, fn?: () => R): R | Disposable {
  const prev = [enabled, checkNan] as const;
  set_anomaly_enabled(mode, check_nan);
  const guard: Disposable = { [Symbol.dispose]: () => { [enabled, checkNan] = prev; } };
  if (!fn) return guard;
  try { return fn(); } finally { guard[Symbol.dispose](); }
}
const checkNanOf = (o: boolean | { check_nan?: boolean } | undefined) => (typeof o === "boolean" ? o : o?.check_nan ?? true);

/** torch.autograd.set_detect_anomaly(mode, check_nan=True): on or off from now (as PyTorch's
 *  constructor sets it), or for a callback or a `using` scope, the previous mode restored after. */
export function set_detect_anomaly(mode: boolean, check_nan?: boolean | { check_nan?: boolean }): Disposable;
export function set_detect_anomaly<R>(mode: boolean, check_nan: boolean | { check_nan?: boolean }, fn: () => R): R;
export function set_detect_anomaly<R>(mode: boolean, check_nan?: boolean | { check_nan?: boolean }, fn?: () => R): R | Disposable {
  return scoped(mode, checkNanOf(check_nan), fn);
}

/** torch.autograd.detect_anomaly(check_nan=True): anomaly detection on, for a callback or a `using`
 *  scope, with PyTorch's warning that it slows things down. */
export function detect_anomaly(check_nan?: boolean | { check_nan?: boolean }): Disposable;
export function detect_anomaly<R>(fn: () => R): R;
export function detect_anomaly<R>(check_nan: boolean | { check_nan?: boolean }, fn: () => R): R;
export function detect_anomaly<R>(a?: boolean | { check_nan?: boolean } | (() => R), fn?: () => R): R | Disposable {
  warnOnce("Anomaly Detection has been enabled. This mode will increase the runtime and should only be enabled for debugging.");
  return typeof a === "function" ? scoped(true, true, a) : scoped(true, checkNanOf(a), fn);
}

/** The engine's check after a formula ran (engine.cpp's evaluate_function): PyTorch's error for the
 *  first gradient holding a NaN. */
export function checkAnomaly(node: Node, outs: readonly (Tensor | null | undefined)[]): void {
  if (!enabled || !checkNan) return;
  for (let i = 0; i < outs.length; i++) {
    const g = outs[i];
    if (g && no_grad(() => g.isnan().any().item()))
      throw new Error(`Function '${node.name()}' returned nan values in its ${i}th output.`);
  }
}
