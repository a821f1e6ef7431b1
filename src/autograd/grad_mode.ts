// `using` guards need the Disposable types (ES2024+): the reference keeps them in the published
// .d.ts, so a consumer compiling for an older lib (a browser project without @types/node) still
// type-checks them.
/// <reference lib="esnext.disposable" preserve="true" />
// Grad mode: PyTorch's thread-local GradMode / InferenceMode, as a module-level flag (JS is single-threaded).
// Each guard works both ways shared/API.md §2 asks: with a callback, or as a `using` disposable.

let gradEnabled = true;
let inferenceEnabled = false;

export function is_grad_enabled(): boolean { return gradEnabled; }
export function is_inference_mode_enabled(): boolean { return inferenceEnabled; }

export interface GradModeGuard extends Disposable { readonly prev: boolean }

/** Restores the modes it saw when disposed. (A class: an object literal with a computed
 *  [Symbol.dispose] key is slow to build, and every backward makes one.) */
class Guard implements GradModeGuard {
  readonly prev: boolean;
  private readonly prevInf: boolean;
  constructor(setTo: boolean, inference?: boolean) {
    this.prev = gradEnabled;
    this.prevInf = inferenceEnabled;
    gradEnabled = setTo;
    if (inference !== undefined) inferenceEnabled = inference;
  }
  [Symbol.dispose](): void { gradEnabled = this.prev; inferenceEnabled = this.prevInf; }
}

const guard = (setTo: boolean, inference?: boolean): GradModeGuard => new Guard(setTo, inference);

function scoped<R>(setTo: boolean, fn: (() => R) | undefined, inference?: boolean): R | GradModeGuard {
  const g = guard(setTo, inference);
  if (fn === undefined) return g;
  try { return fn(); } finally { g[Symbol.dispose](); }
}

export function no_grad(): GradModeGuard;
export function no_grad<R>(fn: () => R): R;
export function no_grad<R>(fn?: () => R): R | GradModeGuard { return scoped(false, fn); }

export function enable_grad(): GradModeGuard;
export function enable_grad<R>(fn: () => R): R;
export function enable_grad<R>(fn?: () => R): R | GradModeGuard { return scoped(true, fn); }

export function set_grad_enabled(mode: boolean): GradModeGuard;
export function set_grad_enabled<R>(mode: boolean, fn: () => R): R;
export function set_grad_enabled<R>(mode: boolean, fn?: () => R): R | GradModeGuard { return scoped(mode, fn); }

export function inference_mode(): GradModeGuard;
export function inference_mode<R>(fn: () => R): R;
export function inference_mode<R>(mode: boolean): GradModeGuard;
export function inference_mode<R>(mode: boolean, fn: () => R): R;
export function inference_mode<R>(a?: boolean | (() => R), b?: () => R): R | GradModeGuard {
  const mode = typeof a === "boolean" ? a : true;
  const fn = typeof a === "function" ? a : b;
  return scoped(mode ? false : gradEnabled, fn, mode);
}
