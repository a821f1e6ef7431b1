// torch.accelerator (PyTorch 2.6+): device-agnostic access to "the" accelerator of this build.
// PyTorch answers with the accelerator it was compiled with (CUDA, MPS, XPU …), even when no such
// device is present at run time (current_accelerator(check_available=True) checks that too); a
// CPU-only build has none: current_accelerator() is None, is_available() False, device_count() 0.
//
// typetorch's accelerator is the WebGPU device (Note [The accelerator] in
// src/backends/webgpu/index.ts): it registers its device module here with `_register_accelerator`,
// and the functions below delegate to it, as PyTorch's do to torch.get_device_module(acc); those
// that need a device throw PyTorch's error, saying why, where it is not usable.

import { Device, device as toDevice } from "./device.js";

/** What an accelerator's device module (torch.cuda, torch.webgpu …) provides to torch.accelerator. */
export interface AcceleratorModule {
  is_available(): boolean;
  device_count(): number;
  current_device(): number;
  set_device(index: number): void;
  synchronize(device?: Device | string | number | null): void;
  /** Why the device is not usable now (null when it is): added to the error of the functions
   *  that need it. */
  unavailable_reason(): string | null;
}

let accelerator: { type: string; module: AcceleratorModule } | null = null;

/** @internal Registers the accelerator of this build (at most one, as in PyTorch). */
export function _register_accelerator(type: string, module: AcceleratorModule): void {
  if (accelerator !== null && accelerator.type !== type) {
    throw new Error(`an accelerator (${accelerator.type}) is already registered; cannot register ${type}`);
  }
  accelerator = { type, module };
}

/** The accelerator's module, when its device is usable; PyTorch's error otherwise (saying why). */
function usable(): AcceleratorModule {
  if (accelerator !== null && accelerator.module.is_available()) return accelerator.module;
  const why = accelerator?.module.unavailable_reason();
  throw new Error(`Cannot access accelerator device when none is available.${why ? ` (${why})` : ""}`);
}

/** The accelerator's device type (index null), or null where this build has none; with
 *  `check_available`, also null when its device is not present at run time. */
export function current_accelerator(check_available: boolean | { check_available?: boolean } = false): Device | null {
  const check = typeof check_available === "boolean" ? check_available : check_available?.check_available ?? false;
  if (accelerator === null || (check && !accelerator.module.is_available())) return null;
  return new Device(accelerator.type);
}

/** Whether the accelerator of this build is present at run time. */
export function is_available(): boolean {
  return accelerator !== null && accelerator.module.is_available();
}

/** The number of accelerator devices usable (0 without one). */
export function device_count(): number {
  return accelerator === null ? 0 : accelerator.module.device_count();
}

/** The index of the current accelerator device. */
export function current_device_index(): number {
  return usable().current_device();
}

/** Makes `device` (an index, or a device of the accelerator's type) the current accelerator device. */
export function set_device_index(device: Device | string | number): void {
  usable().set_device(typeof device === "number" ? device : toDevice(device).index ?? 0);
}

/** Waits for the accelerator's queued work to finish. */
export function synchronize(device: Device | string | number | null = null): void {
  usable().synchronize(device);
}
