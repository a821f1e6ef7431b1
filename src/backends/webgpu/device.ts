// The WebGPU device as a device type (src/core/device.ts): tensors on it live in GpuMemory.

import { Device, _registerDeviceType } from "../../core/device.js";
import { GpuMemory } from "./memory.js";
import { gpu, unavailableReason } from "./runtime.js";

/** The device tensors on the GPU carry: webgpu:0 (one adapter: the one the platform offers first). */
export const webgpu = new Device("webgpu", 0);

_registerDeviceType("webgpu", {
  unavailableReason,
  allocate: (d, n) => new GpuMemory(gpu()!, d, n, "zero"),
});
