// torch.save / torch.load.
//
// torch.save writes PyTorch's own zip format (src/io/pt.ts), as PyTorch does, so that the file
// opens in PyTorch with torch.load(f, weights_only=True); it saves what a checkpoint holds:
// tensors (views of one storage stay views), Parameters, state dicts, optimizer state dicts,
// nested objects, arrays, Maps, numbers, strings, booleans and null. A path ending in
// ".safetensors" is written in the safetensors format instead (a state dict of tensors only),
// the counterpart of PyTorch's torch.load, which reads such a path with safetensors.
//
// torch.load reads what it finds (Note [Format sniffing]): a torch.save zip archive, PyTorch's
// pre-1.6 format, a safetensors file, or a sharded safetensors checkpoint (its index JSON or its
// directory); anything else is refused with a description of what the bytes look like.
// weights_only defaults to true, as in PyTorch 2.6+.
//
// Files go through Node's fs, read piece by piece and written as they are produced, so large
// checkpoints are never held twice. In a browser (or anywhere), torch.save(obj) without a path
// returns the bytes as a Uint8Array, and torch.load(bytes) reads a Uint8Array or ArrayBuffer.

import { Tensor } from "../core/tensor.js";
import { Device } from "../core/device.js";
import { serialize, readSafetensors, type Metadata } from "./safetensors.js";
import {
  type PathLike, type BytesLike, type ByteSource, isBytes, asBytes, withSource, toBytes, toFile, nodeFsFor,
} from "./files.js";
import { loadZip, loadLegacy, looksLegacy, planSave, type MapLocation } from "./pt.js";
import { load_sharded, toObject } from "./sharded.js";

export type SaveTarget = PathLike;
export interface SaveOptions {
  /** Metadata of a ".safetensors" file (string values). */
  metadata?: Metadata | null;
}
export interface LoadOptions {
  /** Where tensors go: "cpu", a device ("webgpu"), {saved location: new location}, or a function
   *  (storage, location) => storage | null. Files saved on CUDA need one (as in PyTorch). */
  map_location?: MapLocation | null;
  /** Only tensors, primitive types, dicts, lists and PyTorch's allow-listed globals, plus what
   *  torch.serialization.add_safe_globals added (default true, as PyTorch 2.6+). With false, other
   *  Python objects load as inert PyObjects; typetorch never runs code from a file either way. */
  weights_only?: boolean;
  /** Accepted as in PyTorch (files only, zip format only). typetorch always reads each storage
   *  from the file straight into its tensor, never holding the file in memory; there is no OS
   *  memory mapping in JavaScript. */
  mmap?: boolean;
}

/** Flattens a (possibly nested) state dict into [name, tensor] pairs in order, for safetensors. */
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

/** The safetensors bytes of a state dict (nested objects and Maps flattened with dotted keys). */
export function saveToBytes(obj: Record<string, unknown> | Map<string, unknown>, opts: SaveOptions = {}): Uint8Array {
  if (obj instanceof Tensor) throw new TypeError("torch.save: expected a state dict (an object of named tensors), got a Tensor; save {name: tensor} instead");
  if (obj === null || typeof obj !== "object" || Array.isArray(obj)) throw new TypeError("torch.save: expected a state dict (an object or Map of named tensors)");
  const pairs: [string, Tensor][] = [];
  flatten(obj, "", pairs);
  return serialize(pairs, opts.metadata ?? null);
}

const isSafetensorsPath = (f: PathLike) => String(f instanceof URL ? f.pathname : f).endsWith(".safetensors");

/**
 * torch.save(obj, f): writes `obj` to the file `f` in PyTorch's zip format (a ".safetensors"
 * path: in the safetensors format). Without `f`, returns the bytes instead.
 */
export function save(obj: unknown, f: SaveTarget, opts?: SaveOptions): void;
export function save(obj: unknown, f?: undefined | null, opts?: SaveOptions): Uint8Array;
export function save(obj: unknown, f?: SaveTarget | null, opts: SaveOptions = {}): Uint8Array | void {
  if (f !== undefined && f !== null && isSafetensorsPath(f)) {
    const bytes = saveToBytes(obj as Record<string, unknown>, opts);
    toFile(f, "torch.save", (sink) => sink.write(bytes));
    return;
  }
  if (opts.metadata) throw new TypeError("torch.save: metadata is for safetensors files (a path ending in .safetensors)");
  const archive = f === undefined || f === null ? "archive" : archiveName(f);
  const plan = planSave(obj, archive);
  if (f === undefined || f === null) return toBytes(plan.size, plan.write);
  toFile(f, "torch.save", plan.write);
}

/** PyTorch names the archive's folder after the file ("model.pt" → "model"); any name works. */
function archiveName(f: PathLike): string {
  const base = String(f instanceof URL ? f.pathname : f).split(/[/\\]/).pop() ?? "";
  const stem = base.replace(/\.[^.]*$/, "");
  return /^[\w.-]+$/.test(stem) ? stem : "archive";
}

/**
 * Note [Format sniffing]: what the first bytes say a file is. A zip starts with a local header
 * ("PK\3\4"; an empty one with its end record), the legacy format with pickle's PROTO opcode and
 * the LONG1 magic number, safetensors with its header length and "{".
 */
type Format = "zip" | "legacy" | "safetensors";

function sniff(src: ByteSource): Format {
  const head = src.read(0, Math.min(src.size, 16)).slice();
  const sig = head.length >= 4 ? new DataView(head.buffer).getUint32(0, true) : -1;
  if (sig === 0x04034b50 || sig === 0x06054b50) return "zip";
  if (looksLegacy(head)) return "legacy";
  if (head.length >= 9 && head[8] === 0x7b) {
    const n = new DataView(head.buffer).getBigUint64(0, true);
    if (n + 8n <= BigInt(src.size)) return "safetensors";
  }
  throw new Error(`torch.load: ${describe(src, head)}; expected a torch.save file (a zip archive, or PyTorch's pre-1.6 pickle format) or a safetensors file`);
}

function describe(src: ByteSource, head: Uint8Array): string {
  if (src.size === 0) return "the file is empty";
  const text = new TextDecoder("latin1").decode(src.read(0, Math.min(src.size, 64)));
  if (src.size >= 262) {
    const tar = new TextDecoder("latin1").decode(src.read(257, 5));
    if (tar === "ustar") return "this is a tar archive: PyTorch's tar format (before PyTorch 0.4) is not supported";
  }
  if (text.startsWith("version https://git-lfs")) return "this is a Git LFS pointer, not the file itself (fetch it with `git lfs pull`)";
  if (text.startsWith("\x93NUMPY")) return "this is a NumPy .npy file";
  if (/^\s*(<!doctype|<html|<\?xml)/i.test(text)) return "this is an HTML or XML page, not a checkpoint (a download that went wrong?)";
  if (/^\s*[{[]/.test(text)) return "this looks like JSON text, not a checkpoint";
  if (head[0] === 0x80) return `this is a pickle (protocol ${head[1]}) but not one torch.save wrote (no PyTorch magic number)`;
  const hex = [...head].map((b) => b.toString(16).padStart(2, "0")).join(" ");
  return `the file (${src.size} bytes) is none of the formats it knows: it starts with bytes ${hex} (${JSON.stringify(text.slice(0, 16).replace(/[^\x20-\x7e]/g, "."))})`;
}

/** torch.load(f, {map_location, weights_only, mmap}). */
export function load(f: SaveTarget | BytesLike, opts: LoadOptions = {}): any {
  if (!isBytes(f) && typeof f !== "string" && !(f instanceof URL)) throw new TypeError("torch.load: expected a path, a Uint8Array or an ArrayBuffer");
  const weightsOnly = opts.weights_only ?? true;
  const mapLocation = opts.map_location ?? undefined;
  if (mapLocation !== undefined && !(typeof mapLocation === "string" || mapLocation instanceof Device || typeof mapLocation === "function"
    || (typeof mapLocation === "object" && !Array.isArray(mapLocation)))) {
    throw new TypeError("torch.load: map_location must be a string, a torch.device, a dict or a function");
  }
  if (opts.mmap && isBytes(f)) throw new Error("f must be a file path in order to use the mmap argument");
  if (!isBytes(f)) {
    const p = f instanceof URL ? f.pathname : f;
    if (p.endsWith(".index.json") || nodeFsFor("torch.load").statSync(f).isDirectory()) return moveAll(load_sharded(p), mapLocation);
  }
  return withSource(isBytes(f) ? asBytes(f) : f, "torch.load", (src) => {
    const format = sniff(src);
    if (format === "safetensors") return moveAll(toObject(readSafetensors(src).tensors), mapLocation);
    if (format === "zip") return loadZip(src, { weightsOnly, mapLocation });
    if (opts.mmap) {
      const name = typeof f === "string" ? `${f}, ` : "";
      throw new Error(`mmap can only be used with files saved with \`torch.save(${name}_use_new_zipfile_serialization=True), please torch.save your checkpoint with this option in order to use mmap.`);
    }
    return loadLegacy(src, { weightsOnly, mapLocation });
  });
}

/** A safetensors state dict moved where map_location says (a device only, as PyTorch's
 *  torch.load of a .safetensors path). */
function moveAll(sd: Record<string, Tensor>, map: MapLocation | undefined): Record<string, Tensor> {
  if (map === undefined) return sd;
  if (typeof map !== "string" && !(map instanceof Device)) {
    throw new Error(`Loading safetensors file with ${typeof map === "function" ? "callable" : "dict"} map_location is not supported. Use a device string or torch.device instead.`);
  }
  for (const k of Object.keys(sd)) sd[k] = sd[k]!.to(map);
  return sd;
}

/** The metadata of a safetensors file or buffer (null when it has none). */
export function load_metadata(f: SaveTarget | BytesLike): Metadata | null {
  return withSource(f, "torch.load", readSafetensors).metadata;
}
