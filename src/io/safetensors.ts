// The safetensors format (https://github.com/huggingface/safetensors), read and written so that
// Python's `safetensors` reads our files and we read its files:
//
//   8 bytes    N, the header's length: an unsigned 64-bit little-endian integer
//   N bytes    the header: UTF-8 JSON, {"__metadata__": {str: str}, name: {"dtype": "F32",
//              "shape": [2, 3], "data_offsets": [begin, end]}, ...}, padded with spaces
//   the rest   the tensors' bytes, little-endian and row-major; offsets are relative to here
//
// Reading trusts nothing in the file: the header length is checked against the file and a
// limit before anything is read, the JSON and every field are validated, each tensor's byte
// count must equal its shape times its dtype's size, and the tensors must tile the data exactly
// (no overlap, no gap, nothing past the end, nothing after it), as Python's reader requires.
// Every failure is an Error naming what is wrong; nothing reads outside the buffer.

import { Tensor } from "../core/tensor.js";
import {
  type DType, type DTypeName, type Storage, arrayFor, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool,
} from "../core/dtype.js";
import * as K from "../backends/index.js";
import { type ByteSource, bufferSource, LITTLE_ENDIAN, swapBytes } from "./files.js";

/** safetensors' dtype names for the dtypes typetorch has. */
export const SAFETENSORS_DTYPE: Readonly<Record<DTypeName, string>> = {
  float32: "F32", float64: "F64", float16: "F16", bfloat16: "BF16", int64: "I64", int32: "I32",
  int16: "I16", int8: "I8", uint8: "U8", bool: "BOOL",
};
const FROM_NAME: Readonly<Record<string, DType>> = {
  F32: float32, F64: float64, F16: float16, BF16: bfloat16, I64: int64, I32: int32, I16: int16, I8: int8, U8: uint8, BOOL: bool,
};
/** Valid safetensors dtypes that typetorch has no tensor type for. */
const UNSUPPORTED = new Set(["U16", "U32", "U64", "F8_E5M2", "F8_E4M3", "F8_E8M0", "F6_E2M3", "F6_E3M2", "F4", "C64"]);

/** The largest header Python's safetensors accepts (MAX_HEADER_SIZE). */
export const MAX_HEADER_SIZE = 100_000_000;

export class SafetensorError extends Error {
  constructor(message: string) {
    super(`safetensors: ${message}`);
    this.name = "SafetensorError";
  }
}

export type Metadata = Record<string, string>;

interface Entry { name: string; dtype: DType; shape: number[]; begin: number; end: number }

/** The raw little-endian bytes of a tensor's elements in row-major order (numpy.ts shares it). */
export function tensorBytes(t: Tensor): Uint8Array {
  const c = t.is_contiguous() ? t : K.contiguousCopy(t);
  const data = c._storage.data;
  const size = c.dtype.itemsize, n = c.numel();
  const view = new Uint8Array(data.buffer, data.byteOffset + c._offset * size, n * size);
  if (c.dtype === bool) {
    // A bool tensor's bytes are 0 or 1 already; copy so the caller may keep them.
    return view.slice();
  }
  return LITTLE_ENDIAN || size === 1 ? view : swapBytes(view.slice(), size);
}

function checkName(name: string): void {
  if (name === "__metadata__") throw new SafetensorError("'__metadata__' is reserved for the metadata and cannot name a tensor");
}

/**
 * Serializes named tensors (in the order given, which is also the order of their bytes) with
 * optional string metadata. Like Python's writer, it pads the header with spaces so that the
 * data starts at a multiple of 8 bytes.
 */
export function serialize(tensors: Iterable<[string, Tensor]> | Record<string, Tensor>, metadata: Metadata | null = null): Uint8Array {
  const entries: [string, Tensor][] = isIterable(tensors) ? [...tensors] : Object.entries(tensors);
  const seen = new Set<string>();
  const parts: Uint8Array[] = [];
  const header: string[] = [];
  if (metadata !== null && metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new SafetensorError(`metadata value of '${k}' is a ${typeof v}: metadata maps strings to strings`);
    }
    header.push(`"__metadata__":${jsonObject(Object.entries(metadata).map(([k, v]) => [k, JSON.stringify(v)]))}`);
  }
  let offset = 0;
  for (const [name, t] of entries) {
    if (typeof name !== "string") throw new SafetensorError(`tensor names must be strings, got ${typeof name}`);
    checkName(name);
    if (seen.has(name)) throw new SafetensorError(`tensor name '${name}' appears twice`);
    seen.add(name);
    if (!(t instanceof Tensor)) throw new SafetensorError(`'${name}' is ${describe(t)}, not a Tensor: the safetensors format holds tensors only`);
    const bytes = tensorBytes(t);
    parts.push(bytes);
    const info = `{"dtype":"${SAFETENSORS_DTYPE[t.dtype.name]}","shape":[${t.shape.join(",")}],"data_offsets":[${offset},${offset + bytes.length}]}`;
    header.push(`${JSON.stringify(name)}:${info}`);
    offset += bytes.length;
  }
  let text = new TextEncoder().encode(`{${header.join(",")}}`);
  const pad = (8 - (text.length % 8)) % 8;
  if (pad) {
    const padded = new Uint8Array(text.length + pad).fill(0x20);
    padded.set(text);
    text = padded;
  }
  const out = new Uint8Array(8 + text.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  let pos = 8 + text.length;
  for (const p of parts) { out.set(p, pos); pos += p.length; }
  return out;
}

/** A JSON object from already-encoded values, keeping the keys' order (JSON.stringify would
 *  move integer-like keys first). */
function jsonObject(entries: [string, string][]): string {
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(",")}}`;
}

function isIterable(x: unknown): x is Iterable<[string, Tensor]> {
  return typeof (x as Iterable<unknown>)[Symbol.iterator] === "function";
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return "an array";
  if (typeof x === "object") return `a ${(x as object).constructor?.name ?? "object"}`;
  return `a ${typeof x}`;
}

const fmtShape = (s: readonly number[]) => `[${s.join(", ")}]`;

/**
 * Parses a safetensors buffer into its tensors (in the order of their data, which for files
 * we write is the order they were saved in) and metadata. Throws a SafetensorError naming the
 * problem for a truncated, oversized or malformed buffer.
 */
export function deserialize(input: Uint8Array | ArrayBuffer): { tensors: Map<string, Tensor>; metadata: Metadata | null } {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : input;
  if (!(bytes instanceof Uint8Array)) throw new TypeError("safetensors: expected a Uint8Array or an ArrayBuffer");
  return readSafetensors(bufferSource(bytes));
}

/** deserialize from a file or buffer: each tensor's bytes are read straight into its storage, so
 *  a file is never held whole (files over 2 GiB load). */
export function readSafetensors(src: ByteSource): { tensors: Map<string, Tensor>; metadata: Metadata | null } {
  const total = src.size;
  if (total < 8) throw new SafetensorError(`the file is ${total} bytes long, too short to hold the 8-byte header length (truncated or empty file)`);
  const n64 = new DataView(src.read(0, 8).slice().buffer).getBigUint64(0, true);
  if (n64 > BigInt(MAX_HEADER_SIZE)) {
    throw new SafetensorError(`the header length ${n64} is larger than the ${MAX_HEADER_SIZE} bytes allowed (a corrupt file, or not a safetensors file)`);
  }
  const n = Number(n64);
  if (8 + n > total) {
    throw new SafetensorError(`the header length ${n} runs past the end of the file (${total} bytes: ${total - 8} after the length): the file is truncated or corrupt`);
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(src.read(8, n));
  } catch {
    throw new SafetensorError("the header is not valid UTF-8");
  }
  if (!text.startsWith("{")) throw new SafetensorError("the header does not start with '{' (not a safetensors file?)");
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (e) {
    throw new SafetensorError(`the header is not valid JSON: ${(e as Error).message}`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw new SafetensorError("the header is not a JSON object");

  let metadata: Metadata | null = null;
  const entries: Entry[] = [];
  const dataLen = total - 8 - n;
  for (const [name, info] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (info === null || typeof info !== "object" || Array.isArray(info)) throw new SafetensorError("'__metadata__' is not an object of strings");
      for (const [k, v] of Object.entries(info)) {
        if (typeof v !== "string") throw new SafetensorError(`metadata value of '${k}' is not a string`);
      }
      metadata = { ...(info as Metadata) };
      continue;
    }
    entries.push(parseEntry(name, info, dataLen));
  }
  // The tensors must tile the data exactly, in offset order.
  const order = entries.slice().sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  let prev: Entry | null = null;
  for (const e of order) {
    if (e.begin < expected) {
      throw new SafetensorError(`the data of tensor '${e.name}' (bytes [${e.begin}, ${e.end})) overlaps that of '${prev!.name}' (bytes [${prev!.begin}, ${prev!.end}))`);
    }
    if (e.begin > expected) {
      throw new SafetensorError(`bytes [${expected}, ${e.begin}) of the data belong to no tensor (a gap before '${e.name}')`);
    }
    expected = e.end;
    prev = e;
  }
  if (expected !== dataLen) {
    throw new SafetensorError(`the file has ${dataLen - expected} bytes after the last tensor's data (the header accounts for ${expected} of ${dataLen} data bytes)`);
  }
  const start = 8 + n;
  const tensors = new Map<string, Tensor>();
  for (const e of order) {
    const raw = (dst: Uint8Array) => src.readInto(start + e.begin, dst);
    tensors.set(e.name, Tensor.fromStorage(storageFilled(e.dtype, e.end - e.begin, raw), e.shape, e.dtype));
  }
  return { tensors, metadata };
}

/**
 * A new storage of `dtype` whose `nbytes` raw bytes `fill` writes (little-endian unless
 * `bigEndian`), so that a loader reads a file straight into the tensor's memory; bool bytes
 * other than 0 become 1. numpy.ts and pt.ts share it.
 */
export function storageFilled(dtype: DType, nbytes: number, fill: (raw: Uint8Array) => void, bigEndian = false): Storage {
  const storage = arrayFor(dtype, nbytes / dtype.itemsize);
  const raw = new Uint8Array(storage.buffer, storage.byteOffset, nbytes);
  fill(raw);
  fromFileOrder(raw, dtype, bigEndian);
  return storage;
}

/** Raw element bytes as read from a file, made native in place: swapped if the file's byte
 *  order is not the machine's, bools normalized to 0 and 1. */
export function fromFileOrder(raw: Uint8Array, dtype: DType, bigEndian: boolean): void {
  if (LITTLE_ENDIAN === bigEndian && dtype.itemsize > 1) swapBytes(raw, dtype.itemsize);
  if (dtype === bool) for (let i = 0; i < raw.length; i++) raw[i] = raw[i] ? 1 : 0;
}

/** A new storage holding a copy of `src`, the raw bytes of elements of `dtype`. */
export function storageFromBytes(src: Uint8Array, dtype: DType, bigEndian = false): Storage {
  return storageFilled(dtype, src.length, (raw) => raw.set(src), bigEndian);
}

function parseEntry(name: string, info: unknown, dataLen: number): Entry {
  const where = `tensor '${name}'`;
  if (info === null || typeof info !== "object" || Array.isArray(info)) throw new SafetensorError(`${where}: its header entry is not an object`);
  const o = info as Record<string, unknown>;
  const dt = o["dtype"];
  if (typeof dt !== "string") throw new SafetensorError(`${where}: 'dtype' is missing or not a string`);
  const dtype = FROM_NAME[dt];
  if (dtype === undefined) {
    if (UNSUPPORTED.has(dt)) throw new SafetensorError(`${where}: dtype ${dt} is not supported by typetorch (it has no tensor type for it)`);
    throw new SafetensorError(`${where}: unknown dtype '${dt}'`);
  }
  const shape = o["shape"];
  if (!Array.isArray(shape) || !shape.every((s) => Number.isSafeInteger(s) && (s as number) >= 0)) {
    throw new SafetensorError(`${where}: 'shape' must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
  }
  const offs = o["data_offsets"];
  if (!Array.isArray(offs) || offs.length !== 2 || !offs.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw new SafetensorError(`${where}: 'data_offsets' must be two non-negative integers [begin, end], got ${JSON.stringify(offs)}`);
  }
  const [begin, end] = offs as [number, number];
  if (end < begin) throw new SafetensorError(`${where}: data_offsets [${begin}, ${end}] end before they begin`);
  if (end > dataLen) {
    throw new SafetensorError(`${where}: data_offsets [${begin}, ${end}] run past the end of the data (${dataLen} bytes): the file is truncated or corrupt`);
  }
  // shape × itemsize, with no overflow: any product beyond the data cannot match anyway.
  let nbytes = (shape as number[]).includes(0) ? 0 : dtype.itemsize;
  for (const s of shape as number[]) {
    if (nbytes > Number.MAX_SAFE_INTEGER) break;
    nbytes *= s;
  }
  if (nbytes !== end - begin) {
    throw new SafetensorError(`${where}: shape ${fmtShape(shape as number[])} of ${dt} takes ${nbytes} bytes, but data_offsets [${begin}, ${end}] hold ${end - begin}`);
  }
  return { name, dtype, shape: (shape as number[]).slice(), begin, end };
}
