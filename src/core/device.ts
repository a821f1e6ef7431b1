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

/** Note [Default device]: torch.set_default_device's device, where the factories (torch.zeros,
 *  torch.tensor, torch.randn …, through ops/_helpers.ts's factoryDevice) make a tensor that names
 *  no device; null is the CPU. As in PyTorch, tensors made over existing memory (from_numpy,
 *  frombuffer) and those made like another (zeros_like, new_zeros) do not follow it. */
let defaultDevice: Device | null = null;
/** @internal */ export function _setDefaultDevice(d: Device | null): void { defaultDevice = d; }
/** @internal */ export function _defaultDevice(): Device | null { return defaultDevice; }

/** PyTorch's device types (c10's parse_type), in the order its message lists them; and the WebGPU
 *  device, this build's own (as a PrivateUse1 backend registers its name in PyTorch). */
const PYTORCH_TYPES = ["cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip", "ve", "fpga", "maia", "xla", "lazy",
  "vulkan", "mps", "meta", "hpu", "mtia", "privateuseone"];
const KNOWN = new Set([...PYTORCH_TYPES, "webgpu"]);

export function device(spec: string | Device, index?: number): Device {
  if (spec instanceof Device) return spec;
  if (spec === "") throw new Error("Device string must not be empty");
  // c10's Device(string): ([a-zA-Z_]+)(?::([1-9]\d*|0))?
  const m = /^([a-zA-Z_]+)(?::([1-9]\d*|0))?$/.exec(spec);
  if (!m) throw new Error(`Invalid device string: '${spec}'`);
  if (!KNOWN.has(m[1]!))
    throw new Error(`Expected one of ${PYTORCH_TYPES.join(", ")} device type at start of device string: ${spec}`);
  if (index !== undefined && index !== null) {
    if (m[2] !== undefined) throw new Error(`type (string) must not include an index because index was passed explicitly: ${spec}`);
    if (index < 0) throw new Error("Device index must not be negative");
  }
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
