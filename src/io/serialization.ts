// torch.save / torch.load, in the safetensors format (src/io/safetensors.ts): the format
// Python's `safetensors` package reads and writes, with none of pickle's risks.
//
// What is saved is a state dict: an object or Map from names to tensors (nested objects and
// Maps are flattened with dotted keys, "encoder.layer.weight", as state_dict keys are). Other
// values are refused: the format holds tensors only. `torch.load` gives back a plain object in
// the saved order.
//
// Files go through Node's fs. In a browser (or anywhere), `torch.save(obj)` without a path
// returns the bytes as a Uint8Array, and `torch.load(bytes)` reads a Uint8Array or ArrayBuffer.

import { Tensor } from "../core/tensor.js";
import { serialize, deserialize, SafetensorError, type Metadata } from "./safetensors.js";
import { nodeFs } from "./node.js";

export type SaveTarget = string | URL;
export interface SaveOptions { metadata?: Metadata | null }
export interface LoadOptions {
  /** Accepted for PyTorch compatibility: tensors are always loaded on the CPU. */
  map_location?: unknown;
  /** Accepted for PyTorch compatibility: safetensors files hold only tensors anyway. */
  weights_only?: boolean;
}

const nodeFsFor = (what: string) =>
  nodeFs(`${what} to a path`, "elsewhere use torch.save(obj) to get a Uint8Array and torch.load(bytes)");

/** Flattens a (possibly nested) state dict into [name, tensor] pairs in order. */
function flatten(obj: unknown, prefix: string, out: [string, Tensor][]): void {
  const entries: [string, unknown][] = obj instanceof Map ? [...obj].map(([k, v]) => [String(k), v]) : Object.entries(obj as object);
  for (const [k, v] of entries) {
    const key = prefix + k;
    if (v instanceof Tensor) out.push([key, v]);
    else if (v instanceof Map || (v !== null && typeof v === "object" && !Array.isArray(v) && !ArrayBuffer.isView(v)
      && (Object.getPrototypeOf(v) === Object.prototype || Object.getPrototypeOf(v) === null))) flatten(v, key + ".", out);
    else {
      const what = v === null ? "null" : Array.isArray(v) ? "an array" : typeof v === "object" ? `a ${(v as object).constructor?.name ?? "object"}` : `a ${typeof v}`;
      throw new TypeError(`torch.save: '${key}' is ${what}, not a Tensor: the safetensors format holds tensors only (save a state_dict)`);
    }
  }
}

/** The safetensors bytes of a state dict. */
export function saveToBytes(obj: Record<string, unknown> | Map<string, unknown>, opts: SaveOptions = {}): Uint8Array {
  if (obj instanceof Tensor) throw new TypeError("torch.save: expected a state dict (an object of named tensors), got a Tensor; save {name: tensor} instead");
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new TypeError("torch.save: expected a state dict (an object or Map of named tensors)");
  const pairs: [string, Tensor][] = [];
  flatten(obj, "", pairs);
  return serialize(pairs, opts.metadata ?? null);
}

/**
 * torch.save(obj, f): writes the state dict `obj` to the file `f` in the safetensors format.
 * Without `f`, returns the bytes instead.
 */
export function save(obj: Record<string, unknown> | Map<string, unknown>, f: SaveTarget, opts?: SaveOptions): void;
export function save(obj: Record<string, unknown> | Map<string, unknown>, f?: undefined | null, opts?: SaveOptions): Uint8Array;
export function save(obj: Record<string, unknown> | Map<string, unknown>, f?: SaveTarget | null, opts: SaveOptions = {}): Uint8Array | void {
  const bytes = saveToBytes(obj, opts);
  if (f === undefined || f === null) return bytes;
  nodeFsFor("torch.save").writeFileSync(f, bytes);
}

/** torch.load(f): the tensors of a safetensors file (a path), or of its bytes. */
export function load(f: SaveTarget | Uint8Array | ArrayBuffer, _opts: LoadOptions = {}): Record<string, Tensor> {
  let bytes: Uint8Array;
  if (f instanceof Uint8Array || f instanceof ArrayBuffer) bytes = f instanceof ArrayBuffer ? new Uint8Array(f) : f;
  else if (typeof f === "string" || f instanceof URL) bytes = nodeFsFor("torch.load").readFileSync(f);
  else throw new TypeError("torch.load: expected a path, a Uint8Array or an ArrayBuffer");
  const { tensors } = deserialize(bytes);
  const out: Record<string, Tensor> = {};
  // Own data properties, even for a name like "__proto__".
  for (const [k, t] of tensors) Object.defineProperty(out, k, { value: t, enumerable: true, writable: true, configurable: true });
  return out;
}

/** The metadata of a safetensors file or buffer (null when it has none). */
export function load_metadata(f: SaveTarget | Uint8Array | ArrayBuffer): Metadata | null {
  const bytes = f instanceof Uint8Array ? f : f instanceof ArrayBuffer ? new Uint8Array(f) : nodeFsFor("torch.load").readFileSync(f);
  return deserialize(bytes).metadata;
}

export { SafetensorError };
