// NumPy's files: `.npy` (one array) and `.npz` (a zip of `.npy` files), as numpy/lib/format.py
// defines them, so that `np.load` reads what we write and we read what `np.save`/`np.savez`
// write. The API is numpy's (`torch.numpy.save(file, t)`, `load`, `savez`,
// `savez_compressed`), with tensors in place of ndarrays.
//
//   "\x93NUMPY" major minor   magic and format version (1.0, 2.0 or 3.0)
//   header length              uint16 LE (1.0) or uint32 LE (2.0, 3.0)
//   header                     a Python dict literal, latin-1 (UTF-8 in 3.0):
//                              {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
//                              padded with spaces and a '\n' to a multiple of 64 bytes
//   data                       the elements, C (row-major) or Fortran (column-major) order
//
// Loading never unpickles: object arrays and pickle files are refused with numpy's words for
// `allow_pickle=False` (its default), and with a plain "cannot" when `allow_pickle` is true.
// Headers are parsed as literals by a small parser (no eval), limited in size as numpy's
// `max_header_size` limits them, and a declared shape must fit the bytes present before
// anything is allocated.

import { Tensor, TensorStorage } from "../core/tensor.js";
import { type DType, type DTypeName, float32, float64, float16, int64, int32, int16, int8, uint8, bool } from "../core/dtype.js";
import { isContiguous } from "../core/shape.js";
import { numpy as toNumpy } from "../ops/creation.js";
import { tensorBytes, storageFromBytes } from "./safetensors.js";
import { readZip, writeZip } from "./zip.js";
import { nodeFs } from "./node.js";
import { strRepr } from "../core/printing.js";

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"
const ARRAY_ALIGN = 64;
/** numpy's GROWTH_AXIS_MAX_DIGITS: spaces left after the header so the shape can grow in place. */
const GROWTH_AXIS_MAX_DIGITS = 21;
/** numpy's default max_header_size (_MAX_HEADER_SIZE). */
const MAX_HEADER_SIZE = 10000;

/** numpy's descr for each dtype the two share ('|' for one-byte types, '<' otherwise). */
const DESCR: Partial<Record<DTypeName, string>> = {
  bool: "|b1", uint8: "|u1", int8: "|i1", int16: "<i2", int32: "<i4", int64: "<i8", float16: "<f2", float32: "<f4", float64: "<f8",
};
const FROM_KIND: Record<string, DType> = {
  b1: bool, u1: uint8, i1: int8, i2: int16, i4: int32, i8: int64, f2: float16, f4: float32, f8: float64,
};
/** numpy type names of the descrs typetorch has no dtype for (for torch.from_numpy's message). */
const NUMPY_NAME: Record<string, string> = {
  u2: "uint16", u4: "uint32", u8: "uint64", c8: "complex64", c16: "complex128", c32: "clongdouble", f12: "longdouble",
  f16: "longdouble", U: "str_", S: "bytes_", V: "void", M: "datetime64", m: "timedelta64",
};

export type NpyFile = string | URL;
export interface LoadOptions {
  /** As numpy's: false (the default) refuses object arrays and pickles. typetorch never
   *  unpickles, so true only changes the error. */
  allow_pickle?: boolean;
  /** As numpy's: the longest header parsed (default 10000 characters). */
  max_header_size?: number;
}

// ---- writing -------------------------------------------------------------------------------

/** The .npy bytes of a tensor, byte for byte what `np.save` writes for `t.numpy()`. */
export function npyBytes(t: Tensor): Uint8Array {
  if (!(t instanceof Tensor)) throw new TypeError(`expected a Tensor, got ${t === null ? "null" : typeof t}`);
  toNumpy(t); // np.save(t) goes through t.numpy(): PyTorch's checks (requires_grad, device) apply
  const descr = DESCR[t.dtype.name];
  if (descr === undefined) throw new TypeError(`Got unsupported ScalarType ${legacyScalarType(t.dtype)}`);
  // As numpy: C order when C-contiguous, else Fortran order when F-contiguous, else a C copy.
  const rev = t.shape.map((_, i) => t.dim() - 1 - i);
  const fortran = !t.is_contiguous() && isContiguous(rev.map((i) => t.shape[i]!), rev.map((i) => t.stride(i)));
  const data = tensorBytes(fortran ? t.permute(rev) : t);
  const shape = t.shape;
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? "True" : "False"}, 'shape': ${pyTuple(shape)}, }`;
  if (shape.length > 0) header += " ".repeat(GROWTH_AXIS_MAX_DIGITS - String(shape[fortran ? shape.length - 1 : 0]).length);
  // Version 1.0 (a 2-byte header length) unless the header needs 2.0's 4 bytes, as numpy.
  const head = new TextEncoder().encode(header); // ASCII: descrs and integers only
  let lenBytes = 2;
  let total = MAGIC.length + 2 + lenBytes + head.length + 1;
  total += (ARRAY_ALIGN - (total % ARRAY_ALIGN)) % ARRAY_ALIGN;
  if (total - MAGIC.length - 2 - lenBytes > 0xffff) {
    lenBytes = 4;
    total = MAGIC.length + 2 + lenBytes + head.length + 1;
    total += (ARRAY_ALIGN - (total % ARRAY_ALIGN)) % ARRAY_ALIGN;
  }
  const out = new Uint8Array(total + data.length);
  out.set(MAGIC);
  out[6] = lenBytes === 2 ? 1 : 2;
  const dv = new DataView(out.buffer);
  const hlen = total - MAGIC.length - 2 - lenBytes;
  if (lenBytes === 2) dv.setUint16(8, hlen, true); else dv.setUint32(8, hlen, true);
  const hstart = MAGIC.length + 2 + lenBytes;
  out.set(head, hstart);
  out.fill(0x20, hstart + head.length, total - 1);
  out[total - 1] = 0x0a;
  out.set(data, total);
  return out;
}

/** PyTorch's ScalarType name of a dtype, as its "unsupported ScalarType" errors print it. */
function legacyScalarType(d: DType): string {
  return d === float16 ? "Half" : d.name === "bfloat16" ? "BFloat16" : d.name[0]!.toUpperCase() + d.name.slice(1);
}

const pyTuple = (s: readonly number[]) => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`);

/**
 * np.save(file, arr): writes `arr` to `file` in the .npy format, adding ".npy" to a path that
 * lacks it as numpy does. With `file` null, returns the bytes instead (for browsers).
 */
export function save(file: NpyFile, arr: Tensor): void;
export function save(file: null, arr: Tensor): Uint8Array;
export function save(file: NpyFile | null, arr: Tensor): Uint8Array | void {
  const bytes = npyBytes(arr);
  if (file === null) return bytes;
  nodeFs("numpy.save to a path", "use numpy.save(null, t) to get the bytes").writeFileSync(withSuffix(file, ".npy"), bytes);
}

function withSuffix(file: NpyFile, suffix: string): NpyFile {
  return typeof file === "string" && !file.endsWith(suffix) ? file + suffix : file;
}

type SavezArgs = (Tensor | Record<string, Tensor>)[];

/** The arrays of a savez call: positional ones named arr_0, arr_1, ..., then the named ones. */
function savezEntries(args: SavezArgs): [string, Uint8Array][] {
  const named = new Map<string, Tensor>();
  const positional: Tensor[] = [];
  args.forEach((a, i) => {
    if (a instanceof Tensor) positional.push(a);
    else if (i === args.length - 1 && a !== null && typeof a === "object" && !Array.isArray(a)) {
      for (const [k, v] of Object.entries(a)) named.set(k, v);
    } else {
      throw new TypeError(`savez: expected Tensors, then an object of named Tensors, got ${Array.isArray(a) ? "an array" : typeof a} at position ${i}`);
    }
  });
  const all = new Map<string, Tensor>();
  positional.forEach((t, i) => all.set(`arr_${i}`, t));
  for (const [k, v] of named) {
    if (all.has(k)) throw new Error(`Cannot use un-named variables and keyword ${k}`);
    all.set(k, v);
  }
  return [...all].map(([k, v]) => [`${k}.npy`, npyBytes(v)]);
}

/**
 * np.savez(file, ...arrays, {name: array}): several arrays in one uncompressed .npz (a zip of
 * .npy files). Positional arrays are named arr_0, arr_1, ...; ".npz" is added to a path that
 * lacks it. With `file` null, returns the bytes.
 */
export function savez(file: NpyFile, ...arrays: SavezArgs): void;
export function savez(file: null, ...arrays: SavezArgs): Uint8Array;
export function savez(file: NpyFile | null, ...arrays: SavezArgs): Uint8Array | void {
  return writeNpz(file, arrays, false);
}

/** np.savez_compressed: as savez, with each member deflated (needs Node's zlib). */
export function savez_compressed(file: NpyFile, ...arrays: SavezArgs): void;
export function savez_compressed(file: null, ...arrays: SavezArgs): Uint8Array;
export function savez_compressed(file: NpyFile | null, ...arrays: SavezArgs): Uint8Array | void {
  return writeNpz(file, arrays, true);
}

function writeNpz(file: NpyFile | null, arrays: SavezArgs, compress: boolean): Uint8Array | void {
  const bytes = writeZip(savezEntries(arrays), compress ? "deflated" : "stored");
  if (file === null) return bytes;
  nodeFs("numpy.savez to a path", "pass null as the file to get the bytes").writeFileSync(withSuffix(file, ".npz"), bytes);
}

// ---- reading -------------------------------------------------------------------------------

/** The tensor of a .npy file's bytes. */
export function parseNpy(bytes: Uint8Array, opts: LoadOptions = {}): Tensor {
  const allowPickle = opts.allow_pickle ?? false;
  const maxHeader = allowPickle ? Infinity : opts.max_header_size ?? MAX_HEADER_SIZE;
  const got = bytes.subarray(0, 8);
  if (got.length < 8 || MAGIC.some((m, i) => got[i] !== m)) {
    throw new Error(`the magic string is not correct; expected b'\\x93NUMPY', got ${pyBytes(got.subarray(0, 6))}`);
  }
  const [major, minor] = [got[6]!, got[7]!];
  if (!((major === 1 || major === 2 || major === 3) && minor === 0)) {
    throw new Error(`we only support format version (1,0), (2,0), and (3,0), not (${major}, ${minor})`);
  }
  const lenBytes = major === 1 ? 2 : 4;
  eof(bytes, 8, lenBytes, "array header length");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const hlen = lenBytes === 2 ? dv.getUint16(8, true) : dv.getUint32(8, true);
  const hstart = 8 + lenBytes;
  eof(bytes, hstart, hlen, "array header");
  const header = new TextDecoder(major === 3 ? "utf-8" : "latin1").decode(bytes.subarray(hstart, hstart + hlen));
  if (header.length > maxHeader) {
    throw new Error(`Header info length (${header.length}) is large and may not be safe to load securely.\n`
      + "To allow loading, adjust `max_header_size` or fully trust the `.npy` file using `allow_pickle=True`.\n"
      + "For safety against large resource use or crashes, sandboxing may be necessary.");
  }
  let d: unknown;
  try {
    d = new LiteralParser(header).parseAll();
  } catch {
    throw new Error(`Cannot parse header: ${pyRepr(header)}`);
  }
  if (!(d instanceof Map)) throw new Error(`Header is not a dictionary: ${pyRepr(d)}`);
  const keys = [...d.keys()].sort();
  if (keys.length !== 3 || keys.join() !== "descr,fortran_order,shape") throw new Error(`Header does not contain the correct keys: ${pyRepr(keys)}`);
  const shapeV = d.get("shape"), fortran = d.get("fortran_order"), descr = d.get("descr");
  if (!(shapeV instanceof PyTuple) || !shapeV.items.every((x) => typeof x === "bigint")) throw new Error(`shape is not valid: ${pyRepr(shapeV)}`);
  if (typeof fortran !== "boolean") throw new Error(`fortran_order is not a valid bool: ${pyRepr(fortran)}`);
  const { dtype, bigEndian } = dtypeOfDescr(descr, allowPickle);
  const big = shapeV.items as bigint[];
  if (big.some((s) => s < 0n)) throw new Error("negative dimensions are not allowed");
  // The element count and byte count, checked against the bytes present before any allocation.
  const start = hstart + hlen;
  const nbytes = big.reduce((a, s) => a * s, BigInt(dtype.itemsize));
  const have = bytes.length - start;
  if (nbytes > BigInt(have)) throw new Error(`EOF: reading array data, expected ${nbytes} bytes got ${have}`);
  const shape = big.map(Number);
  const storage = storageFromBytes(bytes.subarray(start, start + Number(nbytes)), dtype, bigEndian);
  if (!fortran) return Tensor.fromStorage(storage, shape, dtype);
  // Fortran order: the same shape with column-major strides, as torch.from_numpy gives.
  const strides: number[] = [];
  let s = 1;
  for (const n of shape) { strides.push(s); s *= n; }
  return new Tensor(new TensorStorage(storage), shape, strides, 0, dtype);
}

function eof(bytes: Uint8Array, at: number, n: number, what: string): void {
  if (at + n > bytes.length) throw new Error(`EOF: reading ${what}, expected ${n} bytes got ${Math.max(0, bytes.length - at)}`);
}

function dtypeOfDescr(descr: unknown, allowPickle: boolean): { dtype: DType; bigEndian: boolean } {
  const objectRefused = () => new Error(allowPickle
    ? "typetorch cannot load object arrays: their elements are pickled Python objects"
    : "Object arrays cannot be loaded when allow_pickle=False");
  if (Array.isArray(descr)) {
    // A structured dtype [('name', descr), ...]
    if (hasObject(descr)) throw objectRefused();
    throw new Error(`typetorch has no structured dtypes: cannot load an array of dtype ${pyRepr(descr)}`);
  }
  const m = typeof descr === "string" ? /^([<>|=]?)([biufcOUSVMm])(\d*)(\[\w+\])?$/.exec(descr) : null;
  if (!m) throw new Error(`descr is not a valid dtype descriptor: ${pyRepr(descr)}`);
  const [, order, kind, size] = m;
  if (kind === "O") throw objectRefused();
  const dtype = FROM_KIND[kind! + size!];
  if (dtype === undefined) {
    const name = NUMPY_NAME[kind! + size!] ?? NUMPY_NAME[kind!] ?? `${kind}${size}`;
    throw new TypeError(`can't convert np.ndarray of type numpy.${name}. The only supported types are: float64, float32, float16, int64, int32, int16, int8, uint8, and bool.`);
  }
  const nativeBig = new Uint8Array(new Uint16Array([1]).buffer)[0] === 0;
  return { dtype, bigEndian: order === ">" || (order === "=" && nativeBig) };
}

/** Whether a structured descr has an object field anywhere. */
function hasObject(v: unknown): boolean {
  if (typeof v === "string") return /^[<>|=]?O\d*$/.test(v);
  const items = v instanceof PyTuple ? v.items : Array.isArray(v) ? v : [];
  return items.some(hasObject);
}

/** The arrays of an .npz file's bytes, by name (the member names without ".npy"). */
export function parseNpz(bytes: Uint8Array, opts: LoadOptions = {}): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, data] of readZip(bytes)) {
    // As NpzFile: members that are .npy files; others (not arrays) are left out.
    if (!MAGIC.every((m, i) => data[i] === m)) continue;
    out[name.endsWith(".npy") ? name.slice(0, -4) : name] = parseNpy(data, opts);
  }
  return out;
}

/**
 * np.load(file): the tensor of a .npy file, or for an .npz file an object of its tensors by
 * name (numpy's NpzFile, read eagerly). `file` is a path (Node) or the file's bytes.
 */
export function load(file: NpyFile | Uint8Array | ArrayBuffer, opts: LoadOptions = {}): Tensor | Record<string, Tensor> {
  const bytes = file instanceof Uint8Array ? file : file instanceof ArrayBuffer ? new Uint8Array(file)
    : nodeFs("numpy.load from a path", "pass the file's bytes instead").readFileSync(file);
  if (bytes.length === 0) throw new Error("No data left in file");
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
  if (zip) return parseNpz(bytes, opts);
  if (MAGIC.every((m, i) => bytes[i] === m)) return parseNpy(bytes, opts);
  if (!opts.allow_pickle) {
    throw new Error("This file contains pickled (object) data. If you trust the file you can load it unsafely using the `allow_pickle=` keyword argument or `pickle.load()`.");
  }
  throw new Error("typetorch cannot load pickled data: only .npy and .npz files");
}

// ---- Python literals (the header) ----------------------------------------------------------

class PyTuple { constructor(readonly items: unknown[]) {} }

/** Python literals as ast.literal_eval reads numpy headers: dicts, tuples, lists, strings,
 *  integers (bigint; a Python 2 `L` suffix allowed), True/False/None. */
class LiteralParser {
  private i = 0;
  constructor(private readonly s: string) {}
  parseAll(): unknown {
    const v = this.value(0);
    this.ws();
    if (this.i !== this.s.length) throw new SyntaxError("trailing characters");
    return v;
  }
  private ws(): void { while (this.i < this.s.length && " \t\n\r".includes(this.s[this.i]!)) this.i++; }
  private value(depth: number): unknown {
    if (depth > 32) throw new SyntaxError("too deeply nested");
    this.ws();
    const c = this.s[this.i];
    if (c === "{") {
      const m = new Map<unknown, unknown>();
      this.seq("}", () => {
        const k = this.value(depth + 1);
        this.ws();
        if (this.s[this.i++] !== ":") throw new SyntaxError("expected ':'");
        m.set(k, this.value(depth + 1));
      });
      return m;
    }
    if (c === "(" || c === "[") {
      const items: unknown[] = [];
      let commas = 0;
      this.seq(c === "(" ? ")" : "]", () => { items.push(this.value(depth + 1)); }, () => commas++);
      // (x) is x; (x,) and () are tuples
      if (c === "(") return items.length === 1 && commas === 0 ? items[0] : new PyTuple(items);
      return items;
    }
    if (c === "'" || c === '"') return this.str(c);
    const word = /^(-?\d+)L?|^(True|False|None)\b/.exec(this.s.slice(this.i, this.i + 64));
    if (!word) throw new SyntaxError("unexpected character");
    this.i += word[0].length;
    if (word[1] !== undefined) return BigInt(word[1]);
    return word[2] === "True" ? true : word[2] === "False" ? false : null;
  }
  private seq(close: string, item: () => void, comma: () => void = () => {}): void {
    this.i++;
    for (;;) {
      this.ws();
      if (this.s[this.i] === close) { this.i++; return; }
      item();
      this.ws();
      if (this.s[this.i] === ",") { this.i++; comma(); continue; }
      if (this.s[this.i] === close) { this.i++; return; }
      throw new SyntaxError(`expected ',' or '${close}'`);
    }
  }
  private str(q: string): string {
    let out = "";
    for (this.i++; ; this.i++) {
      const c = this.s[this.i];
      if (c === undefined || c === "\n") throw new SyntaxError("unterminated string");
      if (c === q) { this.i++; return out; }
      if (c === "\\") {
        const e = this.s[++this.i];
        out += e === "n" ? "\n" : e === "t" ? "\t" : e === "\\" || e === "'" || e === '"' ? e : `\\${e}`;
      } else out += c;
    }
  }
}

/** Python's repr of a parsed header value, for numpy's error messages. */
function pyRepr(v: unknown): string {
  if (typeof v === "string") return strRepr(v);
  if (typeof v === "bigint") return String(v);
  if (typeof v === "boolean") return v ? "True" : "False";
  if (v === null || v === undefined) return "None";
  if (v instanceof PyTuple) return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(", ")})`;
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(", ")}]`;
  if (v instanceof Map) return `{${[...v].map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(", ")}}`;
  return String(v);
}

/** Python's repr of bytes (b'...'), for the bad-magic message. */
function pyBytes(b: Uint8Array): string {
  let s = "";
  for (const c of b) {
    s += c === 0x5c ? "\\\\" : c === 0x27 ? "\\'" : c === 0x0a ? "\\n" : c === 0x0d ? "\\r" : c === 0x09 ? "\\t"
      : c >= 0x20 && c < 0x7f ? String.fromCharCode(c) : `\\x${c.toString(16).padStart(2, "0")}`;
  }
  return `b'${s}'`;
}
