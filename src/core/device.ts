// Devices: the CPU, and the device types a module of this build registers (the WebGPU device,
// src/backends/webgpu); asking for another fails clearly (shared/API.md §4).

import type { DType } from "./dtype.js";
import type { DeviceMemory } from "./tensor.js";

export class Device {
  constructor(readonly type: string, readonly index: number | null = null) {}
  toString(): string { return this.index === null ? this.type : `${this.type}:${this.index}`; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return `device(type='${this.type}'${this.index === null ? "" : `, index=${this.index}`})`; }
}

export const cpu = new Device("cpu");

const KNOWN = new Set(["cpu", "cuda", "mps", "meta", "xpu", "webgpu"]);

export function device(spec: string | Device, index?: number): Device {
  if (spec instanceof Device) return spec;
  const m = /^([a-z]+)(?::(\d+))?$/.exec(spec);
  if (!m || !KNOWN.has(m[1]!))
    throw new Error(`Expected one of cpu, cuda, mps, meta, xpu device type at start of device string: ${spec}`);
  const idx = m[2] !== undefined ? Number(m[2]) : index ?? null;
  return m[1] === "cpu" ? (idx === null ? cpu : new Device("cpu", idx)) : new Device(m[1]!, idx);
}

/** A device type besides the CPU, as its module registers it: whether it runs here, and its memory. */
export interface DeviceType {
  /** null when the device runs here, else why not (an error message) */
  unavailableReason(): string | null;
  /** n zero-filled elements of dtype d in the device's memory (throws for a dtype it cannot hold) */
  allocate(d: DType, n: number): DeviceMemory;
}

const registered = new Map<string, DeviceType>();
/** @internal */
export function _registerDeviceType(type: string, t: DeviceType): void { registered.set(type, t); }
/** @internal The registered device type a tensor on `d` lives through (throws for the CPU). */
export function deviceType(d: Device): DeviceType { return registered.get(d.type)!; }

/** The device a tensor may live on in this build (with its index: tensors on an indexed device
 *  always carry one, as `cuda:0`); anything else throws naming the device. */
export function checkAvailable(d: Device): Device {
  if (d.type === "cpu") return cpu;
  const t = registered.get(d.type);
  if (t !== undefined) {
    const why = t.unavailableReason();
    if (why !== null) throw new Error(why);
    if (d.index !== null && d.index !== 0) throw new Error(`Invalid device '${d}': this machine has one ${d.type} device (index 0)`);
    return d.index === 0 ? d : new Device(d.type, 0);
  }
  if (d.type === "cuda") throw new Error(`Torch not compiled with CUDA enabled (asked for device '${d}')`);
  throw new Error(`device '${d}' is not available in this build of typetorch`);
}
