// PyTorch's own checkpoint formats (torch/serialization.py): the zip archive torch.save has
// written since PyTorch 1.6, and the older single pickle stream, read; the zip archive written.
//
// The zip archive holds, under one top-level folder ("archive/" for ours):
//   data.pkl             the object, pickled (protocol 2); each tensor is a call to
//                        torch._utils._rebuild_tensor_v2(storage, offset, size, stride,
//                        requires_grad, hooks) whose storage is a persistent id
//                        ("storage", torch.FloatStorage, key, location, numel)
//   data/<key>           each storage's bytes, little-endian, 64-byte aligned in the file
//   byteorder            "little"
//   .format_version, .storage_alignment, version, .data/serialization_id
// Tensors that share a storage (views) share it again after loading, as in PyTorch.
//
// Which globals a pickle may name is decided here (Note [Weights-only loading]): with
// weights_only (the default, as in PyTorch 2.6+) only PyTorch's allow-list
// (torch/_weights_only_unpickler.py's _get_allowed_globals) and what add_safe_globals added;
// anything else is refused with PyTorch's message. With weights_only: false, an unknown class
// loads as an inert PyObject (its name, arguments and state): typetorch never runs code from a
// file, so even then nothing is called.

import { Tensor, TensorStorage } from "../core/tensor.js";
import { type DType, type Storage, arrayFor, viewOver, float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool } from "../core/dtype.js";
import { Device, cpu, device as toDevice } from "../core/device.js";
import { Parameter } from "../nn/parameter.js";
import {
  unpickle, Pickler, PyCallable, PyObject, PyTuple, UnpicklingError, ORDERED_DICT, madeBy, setKey, isPlainObject, typeName,
} from "./pickle.js";
import { type ByteSource, type Sink, bytesOf, LITTLE_ENDIAN, swapBytes } from "./files.js";
import { type ZipRecord, ZipReader, BadZipFile, planZip } from "./zip.js";
import { crc32 } from "./crc.js";
import { storageFilled, fromFileOrder } from "./safetensors.js";

// ---- storages -------------------------------------------------------------------------------

/** torch.FloatStorage and friends: the storage types a persistent id names. */
const STORAGE_TYPES: Record<string, DType | null> = {
  DoubleStorage: float64, FloatStorage: float32, HalfStorage: float16, BFloat16Storage: bfloat16, LongStorage: int64,
  IntStorage: int32, ShortStorage: int16, CharStorage: int8, ByteStorage: uint8, BoolStorage: bool,
  // PyTorch's, which typetorch has no dtype for
  ComplexDoubleStorage: null, ComplexFloatStorage: null, QUInt8Storage: null, QInt8Storage: null, QInt32Storage: null,
  QUInt4x2Storage: null, QUInt2x4Storage: null,
};
const STORAGE_OF: Map<DType, string> = new Map(Object.entries(STORAGE_TYPES).filter(([, d]) => d !== null).map(([n, d]) => [d!, n]));

class StorageType {
  constructor(readonly name: string, readonly dtype: DType | null) {}
  toString(): string { return `<class 'torch.${this.name}'>`; }
}
const UNTYPED = new StorageType("UntypedStorage", uint8);

/**
 * A storage as torch.load hands it to a map_location function: its dtype, its data (on the CPU)
 * and where it was saved. Return it (or null) to keep it on the CPU.
 */
export class TypedStorage {
  /** @internal */ readonly _ts: TensorStorage;
  constructor(readonly dtype: DType, data: Storage, readonly location: string) { this._ts = new TensorStorage(data); }
  get device(): Device { return cpu; }
  size(): number { return this._ts.data.length; }
  nbytes(): number { return this._ts.data.length * this.dtype.itemsize; }
  cpu(): this { return this; }
  toString(): string { return `TypedStorage(dtype=torch.${this.dtype.name}, size=${this.size()}, location='${this.location}')`; }
}

// ---- map_location ---------------------------------------------------------------------------

export type MapLocation =
  | string | Device | Record<string, string>
  | ((storage: TypedStorage, location: string) => TypedStorage | null | undefined);

/** Where the tensors of a storage saved at `location` go (PyTorch's _get_restore_location and
 *  default_restore_location). */
function restore(storage: TypedStorage, location: string, map: MapLocation | undefined): Device {
  if (typeof map === "function") {
    const r = map(storage, location);
    if (r === null || r === undefined) return defaultRestore(location);
    if (!(r instanceof TypedStorage)) throw new TypeError(`map_location should return a storage or None, but got ${typeName(r)}`);
    return cpu;
  }
  if (map === undefined || map === null) return defaultRestore(location);
  if (typeof map === "string" || map instanceof Device) return toDevice(map);
  if (isPlainObject(map)) return defaultRestore(typeof map[location] === "string" ? map[location] as string : location);
  throw new TypeError(`map_location must be a string, a torch.device, a dict or a function, got ${typeName(map)}`);
}

function defaultRestore(location: string): Device {
  if (location === "cpu") return cpu;
  if (location.startsWith("cuda")) {
    throw new Error("Attempting to deserialize object on a CUDA device but torch.cuda.is_available() is False. If you are running on a CPU-only machine, please use torch.load with map_location=torch.device('cpu') to map your storages to the CPU.");
  }
  if (location.startsWith("webgpu")) return toDevice(location);
  throw new Error(`don't know how to restore data location of torch.storage.UntypedStorage (tagged with ${location})`);
}

// ---- globals --------------------------------------------------------------------------------

/** The tensor a rebuild function describes, on `storage`, checked against its size. */
function rebuildTensor(storage: unknown, offset: unknown, size: unknown, stride: unknown, requiresGrad: unknown, dtype?: DType): Tensor {
  if (!(storage instanceof LoadedStorage)) throw new UnpicklingError(`a tensor's storage must be a storage, got ${typeName(storage)}`);
  const shape = intList(size, "size"), strides = intList(stride, "stride");
  if (!Number.isSafeInteger(offset) || (offset as number) < 0) throw new UnpicklingError(`a tensor's storage offset must be a non-negative int, got ${String(offset)}`);
  if (shape.length !== strides.length) throw new Error(`mismatch in length of strides and shape`);
  // (an expanded view may have more elements than its storage, but not more than JS can count)
  if (!Number.isSafeInteger(shape.reduce((a, b) => a * b, 1))) throw new UnpicklingError(`a tensor of size (${shape.join(", ")}) has too many elements`);
  let ts = storage.ts, dt = storage.dtype;
  if (dtype && dtype !== dt) ts = reinterpret(storage, dtype), dt = dtype;
  let extent = 1;
  if (shape.includes(0)) extent = 0;
  else for (let i = 0; i < shape.length; i++) extent += (shape[i]! - 1) * strides[i]!;
  const off = offset as number;
  const available = ts.data.length;
  if (extent > 0 && off + extent > available) {
    throw new Error(`setStorage: sizes [${shape.join(", ")}], strides [${strides.join(", ")}], storage offset ${off}, and itemsize ${dt.itemsize} requiring a storage size of ${(off + extent) * dt.itemsize} are out of bounds for storage of size ${available * dt.itemsize}`);
  }
  let t = new Tensor(ts, shape, strides, off, dt, cpu);
  if (storage.device !== cpu) t = t.to(storage.device);
  if (requiresGrad === true) t.requires_grad_(true);
  return t;
}

function intList(x: unknown, what: string): number[] {
  if (!Array.isArray(x) || !x.every((v) => Number.isSafeInteger(v) && (v as number) >= 0)) {
    throw new UnpicklingError(`a tensor's ${what} must be a tuple of non-negative ints, got ${Array.isArray(x) ? `(${x.map(String).join(", ")})` : typeName(x)}`);
  }
  return x as number[];
}

/** _rebuild_tensor_v3's untyped (byte) storage seen as `dtype`. */
function reinterpret(s: LoadedStorage, dtype: DType): TensorStorage {
  const bytes = s.ts.data as Uint8Array;
  if (s.dtype !== uint8 || bytes.byteLength % dtype.itemsize) throw new UnpicklingError(`cannot view a storage of ${bytes.byteLength} bytes as ${dtype.name}`);
  let cached = s.views.get(dtype);
  if (!cached) {
    const copy = bytes.byteOffset % dtype.itemsize ? bytes.slice() : bytes;
    cached = new TensorStorage(viewOver(dtype, copy, copy.byteOffset, copy.byteLength / dtype.itemsize));
    s.views.set(dtype, cached);
  }
  return cached;
}

/** A storage loaded from a file: its data, dtype and the device its tensors go to. */
class LoadedStorage {
  readonly views = new Map<DType, TensorStorage>();
  constructor(readonly ts: TensorStorage, readonly dtype: DType, readonly device: Device) {}
}

const unsupported = (what: string) => () => { throw new Error(`torch.load: ${what} are not supported by typetorch`); };

/** Every global PyTorch's weights-only unpickler allows (torch 2.x, _get_allowed_globals),
 *  with what it is in typetorch. */
function allowedGlobals(): Map<string, unknown> {
  const m = new Map<string, unknown>();
  const fn = (path: string, call: (args: unknown[]) => unknown, build?: (inst: unknown, state: unknown) => void) => {
    const dot = path.lastIndexOf(".");
    const c: PyCallable = new PyCallable(path.slice(0, dot), path.slice(dot + 1), (args) => madeBy(call(args), c), build);
    m.set(path, c);
  };
  fn("collections.OrderedDict", (args) => dictFrom(args, true));
  fn("collections.Counter", (args) => dictFrom(args, false));
  fn("torch._utils._rebuild_tensor", ([s, o, size, stride]) => rebuildTensor(s, o, size, stride, false));
  fn("torch._utils._rebuild_tensor_v2", ([s, o, size, stride, rg]) => rebuildTensor(s, o, size, stride, rg));
  fn("torch._utils._rebuild_tensor_v3", ([s, o, size, stride, rg, , dt]) => {
    if (!isDType(dt)) throw new Error(`torch.load: tensors of ${String(dt)} are not supported by typetorch`);
    return rebuildTensor(s, o, size, stride, rg, dt);
  });
  const parameter = (data: unknown, rg: unknown) => {
    if (!(data instanceof Tensor)) throw new UnpicklingError(`a Parameter's data must be a tensor, got ${typeName(data)}`);
    return new Parameter(data, rg !== false);
  };
  fn("torch._utils._rebuild_parameter", ([data, rg]) => parameter(data, rg));
  fn("torch._utils._rebuild_parameter_with_state", ([data, rg, , state]) => setAttrs(parameter(data, rg), state));
  fn("torch.nn.parameter.Parameter", ([data, rg]) => parameter(data ?? Tensor.empty([0], float32), rg), () => {});
  fn("torch._tensor._rebuild_from_type_v2", ([f, type, args, state]) => {
    if (!(f instanceof PyCallable) || !Array.isArray(args)) throw new UnpicklingError("_rebuild_from_type_v2 needs a function and its arguments");
    let t = f.call(args);
    if (type instanceof PyCallable && type.name === "Parameter" && t instanceof Tensor && !(t instanceof Parameter)) t = new Parameter(t, t.requires_grad);
    return setAttrs(t, state);
  });
  fn("torch._utils._rebuild_device_tensor_from_cpu_tensor", ([data, , , rg]) => {
    if (!(data instanceof Tensor)) throw new UnpicklingError(`expected a tensor, got ${typeName(data)}`);
    if (rg === true) data.requires_grad_(true);
    return data;
  });
  fn("torch._utils._rebuild_qtensor", unsupported("quantized tensors"));
  fn("torch._utils._rebuild_sparse_tensor", unsupported("sparse tensors"));
  fn("torch._utils._rebuild_meta_tensor_no_storage", unsupported("meta tensors"));
  fn("torch._utils._rebuild_nested_tensor", unsupported("nested tensors"));
  fn("torch._utils._rebuild_wrapper_subclass", unsupported("tensor subclasses"));
  fn("torch._utils._rebuild_device_tensor_from_numpy", unsupported("tensors saved from NumPy arrays on a device"));
  fn("torch.serialization._get_layout", ([name]) => name);
  fn("torch.Size", ([items]) => (Array.isArray(items) ? items.slice() : []));
  fn("torch.device", ([type, index]) => {
    if (typeof type !== "string") throw new UnpicklingError(`torch.device expects a string, got ${typeName(type)}`);
    return toDevice(type, typeof index === "number" ? index : undefined);
  });
  fn("torch.Tensor", unsupported("legacy Tensor objects (Tensor.__new__ and set_)"));
  fn("_codecs.encode", ([s, encoding]) => {
    if (typeof s !== "string") throw new UnpicklingError(`_codecs.encode expects a str, got ${typeName(s)}`);
    if (encoding === "latin1" || encoding === "latin-1") return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
    return new TextEncoder().encode(s);
  });
  fn("builtins.bytearray", ([src]) => (src instanceof Uint8Array ? src.slice() : Array.isArray(src) ? Uint8Array.from(src as number[]) : new Uint8Array(typeof src === "number" ? src : 0)));
  fn("builtins.set", ([items]) => new Set(Array.isArray(items) ? items : []));
  fn("builtins.complex", unsupported("complex numbers"));
  for (const [name, dtype] of Object.entries(STORAGE_TYPES)) {
    m.set(`torch.${name}`, new StorageType(name, dtype));
    // a storage saved from a GPU by an old PyTorch: its data is on the CPU in the file
    if (!name.startsWith("Q")) m.set(`torch.cuda.${name}`, new StorageType(name, dtype));
  }
  m.set("torch.storage.UntypedStorage", UNTYPED);
  m.set("torch.storage.TypedStorage", new StorageType("TypedStorage", null));
  // a dtype is typetorch's where it has it (torch.float16 loads as torch.float16), else a name
  for (const name of TORCH_DTYPES) m.set(`torch.${name}`, DTYPE_OF[name] ?? new PyObject("torch", name, []));
  for (const name of TENSOR_CLASSES) {
    for (const ns of ["torch", "torch.cuda", "torch.sparse", "torch.cuda.sparse"]) {
      if (name !== "BoolTensor" || !ns.endsWith("sparse")) fn(`${ns}.${name}`, unsupported(`legacy tensor types (${ns}.${name})`));
    }
  }
  for (const name of QSCHEMES) m.set(`torch.${name}`, new PyObject("torch", name, []));
  return m;
}

const DTYPE_OF: Record<string, DType> = { float32, float64, float16, bfloat16, int64, int32, int16, int8, uint8, bool };
/** str(t) of every dtype PyTorch allows (torch.storage._dtype_to_storage_type_map, _new_dtypes,
 *  uint1-7, int1-7), checked against PyTorch by test/golden/pt.json. */
const TORCH_DTYPES = [
  "float64", "float32", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool", "complex128",
  "complex64", "qint8", "quint8", "qint32", "quint4x2", "quint2x4", "uint16", "uint32", "uint64", "float8_e5m2",
  "float8_e4m3fn", "float8_e5m2fnuz", "float8_e4m3fnuz", "float8_e8m0fnu", "float4_e2m1fn_x2", "bits8", "bits16",
  "bits1x8", "bits2x4", "bits4x2", "complex32", "uint1", "uint2", "uint3", "uint4", "uint5", "uint6", "uint7",
  "int1", "int2", "int3", "int4", "int5", "int6", "int7",
];
const TENSOR_CLASSES = [
  "DoubleTensor", "FloatTensor", "HalfTensor", "BFloat16Tensor", "LongTensor", "IntTensor", "ShortTensor",
  "CharTensor", "ByteTensor", "BoolTensor",
];
const QSCHEMES = ["per_tensor_affine", "per_tensor_symmetric", "per_channel_affine", "per_channel_symmetric", "per_channel_affine_float_qparams"];

let ALLOWED: Map<string, unknown> | null = null;

/** The names of PyTorch's default allow-list, as typetorch knows it. */
export function allowedGlobalNames(): string[] {
  ALLOWED ??= allowedGlobals();
  return [...ALLOWED.keys()];
}

function dictFrom(args: unknown[], ordered: boolean): Record<string, unknown> {
  const d: Record<string | symbol, unknown> = {};
  if (ordered) Object.defineProperty(d, ORDERED_DICT, { value: true });
  const src = args[0];
  if (Array.isArray(src)) for (const kv of src) if (Array.isArray(kv) && kv.length === 2) setKey(d, String(kv[0]), kv[1]);
  if (isPlainObject(src)) for (const [k, v] of Object.entries(src)) setKey(d, k, v);
  return d as Record<string, unknown>;
}

function setAttrs<T>(t: T, state: unknown): T {
  if (isPlainObject(state)) for (const [k, v] of Object.entries(state)) if (!(k in (t as object))) setKey(t as object, k, v);
  return t;
}

// ---- the safe-globals registry (torch.serialization.add_safe_globals) -----------------------

/** What add_safe_globals takes: a global's full name ("argparse.Namespace"), which then loads as
 *  an inert PyObject, or a pair [reviver, name]: reviver(...args) makes the value (a BUILD step
 *  then sets the state's entries on it, or calls its __setstate__). */
export type SafeGlobal = string | [(...args: unknown[]) => unknown, string];

let userGlobals: SafeGlobal[] = [];

export function add_safe_globals(safe_globals: SafeGlobal[]): void {
  if (!Array.isArray(safe_globals)) throw new TypeError("add_safe_globals expects a list");
  for (const g of safe_globals) {
    if (Array.isArray(g)) {
      if (g.length !== 2) throw new Error(`Expected tuple of length 2 (global, str of callable full path), but got tuple of length: ${(g as unknown[]).length}`);
      if (typeof g[1] !== "string") throw new TypeError(`Expected second item in tuple to be str of callable full path, but got: ${typeName(g[1])}`);
      if (typeof g[0] !== "function") throw new TypeError(`Expected the first item of the tuple to be a function, got ${typeName(g[0])}`);
    } else if (typeof g !== "string") {
      throw new TypeError(`add_safe_globals takes full names ("module.Class") or [function, "module.Class"] pairs, got ${typeName(g)}`);
    }
  }
  userGlobals = [...userGlobals.filter((g) => !safe_globals.includes(g)), ...safe_globals];
}
export function get_safe_globals(): SafeGlobal[] { return userGlobals.slice(); }
export function clear_safe_globals(): void { userGlobals = []; }

function userGlobal(path: string): PyCallable | undefined {
  for (const g of userGlobals) {
    const name = Array.isArray(g) ? g[1] : g;
    if (name !== path) continue;
    return inertClass(path, Array.isArray(g) ? g[0] : undefined);
  }
  return undefined;
}

/** A class as data: calling it makes a PyObject (or what a user's reviver makes). */
function inertClass(path: string, reviver?: (...args: unknown[]) => unknown): PyCallable {
  const dot = path.lastIndexOf(".");
  const module = path.slice(0, dot), name = path.slice(dot + 1);
  const build = (inst: unknown, state: unknown) => {
    const set = (inst as { __setstate__?: (s: unknown) => void }).__setstate__;
    if (typeof set === "function") set.call(inst, state);
    else if (inst instanceof PyObject) { inst.__state__ = state; setAttrs(inst, Array.isArray(state) ? state[0] : state); }
    else setAttrs(inst, Array.isArray(state) ? state[0] : state);
  };
  const c: PyCallable = new PyCallable(module, name, (args) => madeBy(reviver ? reviver(...args) : new PyObject(module, name, args), c), build);
  return c;
}

const BLOCKED = new Set(["sys", "os", "posix", "nt"]);
/** Python 2 names that Python 3's unpickler maps (the ones a checkpoint may hold). */
const IMPORT_MAPPING: Record<string, string> = { __builtin__: "builtins", copy_reg: "copyreg" };

/** Note [Weights-only loading]: the value of GLOBAL module.name. */
function findClass(weightsOnly: boolean): (module: string, name: string) => unknown {
  ALLOWED ??= allowedGlobals();
  const allowed = ALLOWED;
  return (module, name) => {
    module = IMPORT_MAPPING[module] ?? module;
    let path = `${module}.${name}`;
    if (weightsOnly && BLOCKED.has(module)) throw new UnpicklingError(`Trying to load unsupported GLOBAL ${path} whose module ${module} is blocked.`);
    const known = allowed.get(path) ?? userGlobal(path);
    if (known !== undefined) return known;
    if (!weightsOnly) {
      if (path === "copyreg._reconstructor") {
        return new PyCallable("copyreg", "_reconstructor", ([cls]) => (cls instanceof PyCallable ? cls.call([]) : new PyObject("copyreg", "_reconstructor", [cls])));
      }
      return inertClass(path);
    }
    if (path.startsWith("builtins")) path = path.slice(8).startsWith(".") ? path.slice(9) : "builtins" + path.slice(8);
    throw new UnpicklingError(
      `Unsupported global: GLOBAL ${path} was not an allowed global by default. `
      + `Please use \`torch.serialization.add_safe_globals([${path}])\` or the `
      + `\`torch.serialization.safe_globals([${path}])\` context manager to allowlist this global `
      + "if you trust this class/function.",
    );
  };
}

const UNSAFE_MESSAGE = "In PyTorch 2.6, we changed the default value of the `weights_only` argument in `torch.load` "
  + "from `False` to `True`. Re-running `torch.load` with `weights_only` set to `False` will likely succeed, "
  + "but it can result in arbitrary code execution. Do it only if you got the file from a trusted source.";
const DOCS_MESSAGE = "\n\nCheck the documentation of torch.load to learn more about types accepted by default with "
  + "weights_only https://pytorch.org/docs/stable/generated/torch.load.html.";

/** torch.load's wording around a weights-only unpickling error (serialization.py _get_wo_message). */
export function weightsOnlyMessage(message: string): string {
  if (/GLOBAL (\S+) was not an allowed global by default./.test(message)) {
    return "Weights only load failed. This file can still be loaded, to do so you have two options, "
      + "\x1b[1mdo those steps only if you trust the source of the checkpoint\x1b[0m. "
      + `\n\t(1) ${UNSAFE_MESSAGE}\n\t(2) Alternatively, to load with \`weights_only=True\` please check `
      + "the recommended steps in the following error message.\n\tWeightsUnpickler error: " + message + DOCS_MESSAGE;
  }
  let m = `Weights only load failed. ${UNSAFE_MESSAGE}\n`;
  if (!/whose module (\S+) is blocked/.test(message)) {
    m += "Please file an issue with the following so that we can make `weights_only=True` compatible with your use case: WeightsUnpickler error: ";
  }
  return m + "\n\n" + message + DOCS_MESSAGE;
}

// ---- loading --------------------------------------------------------------------------------

export interface PtLoadOptions {
  weightsOnly: boolean;
  mapLocation?: MapLocation;
}

function storageDtype(t: unknown): DType {
  if (!(t instanceof StorageType)) throw new UnpicklingError(`a storage's type must be a storage class, got ${typeName(t)}`);
  if (t.dtype === null) throw new Error(`torch.load: ${t.name} is not supported by typetorch (it has no such dtype)`);
  return t.dtype;
}

function makeLoaded(dtype: DType, data: Storage, location: string, map: MapLocation | undefined): LoadedStorage {
  const typed = new TypedStorage(dtype, data, location);
  return new LoadedStorage(typed._ts, dtype, restore(typed, location, map));
}

/** Loads a torch.save zip archive; a malformed zip is reported in PyTorch's words. */
export function loadZip(src: ByteSource, opts: PtLoadOptions): unknown {
  try {
    return loadArchive(new ZipReader(src), opts);
  } catch (e) {
    if (e instanceof BadZipFile) throw new BadZipFile(`PytorchStreamReader failed reading zip archive: ${e.message}`);
    throw e;
  }
}

function loadArchive(zip: ZipReader, opts: PtLoadOptions): unknown {
  const pkl = [...zip.entries.keys()].filter((n) => n.endsWith("data.pkl") && !n.slice(0, -8).replace(/\/$/, "").includes("/"));
  if (pkl.length === 0) {
    const names = [...zip.entries.keys()];
    throw new Error(`torch.load: this zip archive has no data.pkl, so it is not a torch.save file (it holds ${names.length} entries${names.length ? `: ${names.slice(0, 5).join(", ")}${names.length > 5 ? ", …" : ""}` : ""})`);
  }
  const prefix = pkl[0]!.slice(0, -8);
  if (zip.entries.has(prefix + "constants.pkl") || zip.entries.has(prefix + "code/")) {
    throw new Error("torch.load: this is a TorchScript archive (torch.jit.save), which typetorch cannot run; in PyTorch, save its state_dict() with torch.save and load that");
  }
  const record = (name: string) => zip.entries.get(prefix + name);
  let bigEndian = false;
  const bo = record("byteorder");
  if (bo) {
    const s = new TextDecoder().decode(zip.read(bo));
    if (s !== "little" && s !== "big") throw new Error(`Unknown endianness type: ${s}`);
    bigEndian = s === "big";
  }
  const loaded = new Map<string, LoadedStorage>();
  const persistentLoad = (pid: unknown) => {
    if (!Array.isArray(pid) || pid[0] !== "storage") throw new UnpicklingError(`Only persistent_load of storage is allowed, but got ${typeName(Array.isArray(pid) ? pid[0] : pid)}`);
    if (pid.length !== 5) throw new UnpicklingError(`a storage's persistent id has 5 items, got ${pid.length}`);
    const [, type, key, location, numel] = pid;
    const dtype = storageDtype(type);
    if (typeof key !== "string" || typeof location !== "string") throw new UnpicklingError("a storage's key and location must be strings");
    if (!Number.isSafeInteger(numel) || (numel as number) < 0) throw new UnpicklingError(`a storage's size must be a non-negative int, got ${String(numel)}`);
    const have = loaded.get(key);
    if (have) {
      if (have.dtype !== dtype) throw new UnpicklingError(`storage ${key} is used as both ${have.dtype.name} and ${dtype.name}`);
      return have;
    }
    const e = record(`data/${key}`);
    if (!e) throw new Error(`PytorchStreamReader failed locating file data/${key}: file not found`);
    const nbytes = (numel as number) * dtype.itemsize;
    if (e.size !== nbytes) throw new Error(`torch.load: storage data/${key} holds ${e.size} bytes, but its ${numel} ${dtype.name} elements take ${nbytes}`);
    const s = makeLoaded(dtype, storageFilled(dtype, nbytes, (dst) => zip.readInto(e, dst), bigEndian), location, opts.mapLocation);
    loaded.set(key, s);
    return s;
  };
  const data = record("data.pkl")!;
  return unpickleWith(zip.read(data), opts, persistentLoad).value;
}

function unpickleWith(bytes: Uint8Array, opts: PtLoadOptions, persistentLoad: (pid: unknown) => unknown, start = 0): { value: unknown; end: number } {
  try {
    return unpickle(bytes, { findClass: findClass(opts.weightsOnly), persistentLoad, weightsOnly: opts.weightsOnly }, start);
  } catch (e) {
    if (opts.weightsOnly && e instanceof UnpicklingError) throw new UnpicklingError(weightsOnlyMessage(e.message));
    throw e;
  }
}

const MAGIC_NUMBER = 0x1950a86a20f9469cfc6cn;
const PROTOCOL_VERSION = 1001;

/** Loads PyTorch's pre-1.6 format: pickled magic number, protocol version and system info, the
 *  object (storages as persistent ids), the list of storage keys, then each storage's element
 *  count (8 bytes) and bytes, in that order. */
export function loadLegacy(src: ByteSource, opts: PtLoadOptions): unknown {
  // The pickles come first; read a prefix of the file that holds them, growing it if need be.
  let head = src.read(0, Math.min(src.size, 1 << 20));
  for (;;) {
    try {
      return loadLegacyFrom(src, head, opts);
    } catch (e) {
      if (!(e instanceof UnpicklingError && /truncated/.test(e.message)) || head.length === src.size) throw e;
      head = src.read(0, Math.min(src.size, head.length * 4));
    }
  }
}

function loadLegacyFrom(src: ByteSource, head: Uint8Array, opts: PtLoadOptions): unknown {
  const plain = { ...opts, mapLocation: undefined };
  const noPid = () => { throw new UnpicklingError("unsupported persistent id encountered"); };
  const magic = unpickleWith(head, plain, noPid);
  if (magic.value !== MAGIC_NUMBER) throw new Error("Invalid magic number; corrupt file?");
  const proto = unpickleWith(head, plain, noPid, magic.end);
  if (proto.value !== PROTOCOL_VERSION) throw new Error(`Invalid protocol version: ${String(proto.value)}`);
  const sysInfo = unpickleWith(head, plain, noPid, proto.end);
  const littleEndian = !isPlainObject(sysInfo.value) || sysInfo.value["little_endian"] !== false;
  const storages = new Map<string, { dtype: DType; numel: number; location: string; storage?: LoadedStorage }>();
  // Storages are filled after the object is unpickled (their bytes come after it), so the
  // tensors are rebuilt on placeholders that are then filled in place.
  const persistentLoad = (pid: unknown) => {
    if (!Array.isArray(pid) || pid[0] !== "storage") throw new UnpicklingError(`Only persistent_load of storage is allowed, but got ${typeName(Array.isArray(pid) ? pid[0] : pid)}`);
    if (pid.length !== 6) throw new UnpicklingError(`a legacy storage's persistent id has 6 items, got ${pid.length}`);
    const [, type, key, location, numel, view] = pid;
    const dtype = storageDtype(type);
    if (typeof key !== "string" || typeof location !== "string") throw new UnpicklingError("a storage's key and location must be strings");
    if (!Number.isSafeInteger(numel) || (numel as number) < 0) throw new UnpicklingError(`a storage's size must be a non-negative int, got ${String(numel)}`);
    if ((numel as number) * dtype.itemsize > src.size) throw new Error(`torch.load: storage ${key} claims ${numel} elements, more than the file holds`);
    let root = storages.get(key);
    if (!root) {
      root = { dtype, numel: numel as number, location };
      root.storage = makeLoaded(dtype, arrayFor(dtype, numel as number), location, opts.mapLocation);
      // the tensors are made before their bytes are read: they cannot be copied to a device yet
      if (root.storage.device !== cpu) throw new Error(`torch.load: map_location to ${root.storage.device} is not supported for PyTorch's legacy format; load to the CPU, then move the tensors`);
      storages.set(key, root);
    } else if (root.dtype !== dtype) {
      throw new UnpicklingError(`storage ${key} is used as both ${root.dtype.name} and ${dtype.name}`);
    }
    if (view !== null) {
      // (view_key, offset, size): a storage that is a slice of the root one (PyTorch < 1.0)
      if (!Array.isArray(view) || view.length !== 3 || !Number.isSafeInteger(view[1]) || !Number.isSafeInteger(view[2])
        || view[1] < 0 || view[2] < 0 || view[1] + view[2] > root.numel) {
        throw new UnpicklingError(`bad storage view of ${key}`);
      }
      const data = root.storage!.ts.data;
      const sub = viewOver(dtype, data, data.byteOffset + view[1] * dtype.itemsize, view[2]);
      return new LoadedStorage(new TensorStorage(sub), dtype, root.storage!.device);
    }
    return root.storage!;
  };
  const main = unpickleWith(head, opts, persistentLoad, sysInfo.end);
  const keys = unpickleWith(head, plain, noPid, main.end);
  if (!Array.isArray(keys.value)) throw new UnpicklingError("the storage key list is not a list");
  let pos = keys.end;
  for (const key of keys.value) {
    const s = storages.get(String(key));
    if (!s) throw new Error(`storage key ${JSON.stringify(key)} not found in deserialized_objects`);
    if (pos + 8 > src.size) throw new Error("torch.load: the file is truncated (a storage's size is missing)");
    const n = new DataView(src.read(pos, 8).slice().buffer).getBigInt64(0, littleEndian);
    if (n !== BigInt(s.numel)) throw new Error(`storage has wrong size: expected ${s.numel} got ${n}`);
    pos += 8;
    const nbytes = s.numel * s.dtype.itemsize;
    if (pos + nbytes > src.size) throw new Error(`torch.load: the file is truncated (storage ${key} needs ${nbytes} bytes, ${src.size - pos} remain)`);
    const raw = bytesOf(s.storage!.ts.data);
    src.readInto(pos, raw);
    fromFileOrder(raw, s.dtype, !littleEndian);
    pos += nbytes;
  }
  return main.value;
}

/** Does a (prefix of a) file start like PyTorch's legacy format (a pickled magic number)? */
export function looksLegacy(head: Uint8Array): boolean {
  return head.length >= 2 && head[0] === 0x80 && head[1]! >= 2 && head[1]! <= 5 && head[2] === 0x8a;
}

// ---- saving ---------------------------------------------------------------------------------

/** The storages a save refers to, keyed as PyTorch keys them ("0", "1" …, in pickling order). */
interface SavedStorage { key: string; data: Storage }

/** How torch.save pickles tensors, dtypes and devices (Tensor.__reduce_ex__, Parameter's,
 *  persistent ids of storages). */
function reducer(storages: Map<TensorStorage, SavedStorage>): (p: Pickler, v: unknown) => boolean {
  const storageId = (t: Tensor) => {
    let s = storages.get(t._storage);
    if (!s) { s = { key: String(storages.size), data: t._storage.data }; storages.set(t._storage, s); }
    return s;
  };
  return (p, v) => {
    if (v instanceof Tensor) {
      const t = v.device.type === "cpu" ? v : v.cpu();
      if (v instanceof Parameter) {
        // torch._utils._rebuild_parameter(data, requires_grad, OrderedDict())
        p.global("torch._utils", "_rebuild_parameter");
        p.op(0x28);
        saveTensor(p, t.detach(), storageId);
        p.save(v.requires_grad);
        p.call("collections", "OrderedDict", []);
        p.op(0x74, 0x52);
      } else {
        saveTensor(p, t, storageId);
      }
      p.memoize(v);
      return true;
    }
    if (isDType(v)) { p.global("torch", v.name); return true; }
    if (v instanceof Device) {
      p.call("torch", "device", v.index === null ? [v.type] : [v.type, v.index]);
      p.memoize(v);
      return true;
    }
    return false;
  };
}

function isDType(v: unknown): v is DType {
  return v !== null && typeof v === "object" && STORAGE_OF.has(v as DType);
}

/** torch._utils._rebuild_tensor_v2((storage pid), offset, size, stride, requires_grad, OrderedDict()) */
function saveTensor(p: Pickler, t: Tensor, storageId: (t: Tensor) => SavedStorage): void {
  const s = storageId(t);
  p.global("torch._utils", "_rebuild_tensor_v2");
  p.op(0x28);
  p.tuple(["storage", STORAGE_REF.get(t.dtype)!, s.key, "cpu", s.data.length]);
  p.op(0x51);
  p.save(t.storage_offset());
  p.tuple(t.shape);
  p.tuple(t.stride());
  p.save(t.requires_grad);
  p.call("collections", "OrderedDict", []);
  p.op(0x74, 0x52);
}

/** Storage classes as the pickler writes them (a GLOBAL torch.<Name>Storage). */
class StorageRef { constructor(readonly name: string) {} }
const STORAGE_REF = new Map<DType, StorageRef>([...STORAGE_OF].map(([d, n]) => [d, new StorageRef(n)]));

/**
 * Lays out a torch.save zip archive of `obj`: the pickle is made now, the storages' bytes are
 * written from the tensors' memory when the returned `write` runs.
 */
export function planSave(obj: unknown, archive = "archive"): { size: number; write: (sink: Sink) => void } {
  const storages = new Map<TensorStorage, SavedStorage>();
  const base = reducer(storages);
  const pickler = new Pickler((p, v) => {
    if (v instanceof StorageRef) { p.global("torch", v.name); return true; }
    return base(p, v);
  });
  const pkl = pickler.dump(obj);
  const enc = new TextEncoder();
  const text = (name: string, s: string): ZipRecord => {
    const b = enc.encode(s);
    return { name: `${archive}/${name}`, size: b.length, chunks: () => [b] };
  };
  const records: ZipRecord[] = [
    { name: `${archive}/data.pkl`, size: pkl.length, chunks: () => [pkl] },
    text(".format_version", "1"),
    text(".storage_alignment", "64"),
    text("byteorder", "little"),
  ];
  let combined = 0;
  for (const s of storages.values()) {
    const bytes = bytesOf(s.data);
    const chunks = () => [LITTLE_ENDIAN ? bytes : swapBytes(bytes.slice(), s.data.BYTES_PER_ELEMENT)];
    records.push({ name: `${archive}/data/${s.key}`, size: bytes.length, chunks });
  }
  for (const r of records) for (const c of r.chunks()) combined = crc32(c, combined);
  records.push(text("version", "3\n"));
  // PyTorch's id: the combined CRC-32 and total size of the records, as decimal digits
  records.push(text(".data/serialization_id", serializationId(combined, records)));
  return planZip(records, { pytorch: true });
}

function serializationId(crc: number, records: ZipRecord[]): string {
  const total = records.reduce((n, r) => n + r.size, 0);
  return `${String(crc).padStart(20, "0")}${String(total).padStart(20, "0")}`;
}

export { UnpicklingError, PyObject, PyTuple };
