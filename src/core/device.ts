// Devices: the CPU is the only one this build has; asking for another fails clearly (shared/API.md §4).

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

/** The device a tensor may live on in this build; anything else throws naming the device. */
export function checkAvailable(d: Device): Device {
  if (d.type === "cpu") return cpu;
  if (d.type === "cuda") throw new Error(`Torch not compiled with CUDA enabled (asked for device '${d}')`);
  throw new Error(`device '${d}' is not available in this build of typetorch`);
}
