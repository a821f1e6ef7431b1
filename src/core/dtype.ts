// dtypes, PyTorch's promotion lattice, and JS numbers as "weak" scalars.

export type DTypeName =
  | "bool" | "uint8" | "int8" | "int16" | "int32" | "int64"
  | "float16" | "bfloat16" | "float32" | "float64";

/** Storage array for each dtype. float16/bfloat16 keep their raw bits in a Uint16Array;
 *  int64 keeps exact values in a BigInt64Array (shared/API.md §4). */
export type Storage =
  | Uint8Array | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint16Array | Float32Array | Float64Array;

type Kind = 0 | 1 | 2; // 0 bool, 1 integral, 2 floating: PyTorch's category order for weak scalars

export class DType {
  constructor(
    readonly name: DTypeName,
    readonly itemsize: number,
    /** 0 bool, 1 integer, 2 floating */
    readonly kind: Kind,
    readonly is_signed: boolean,
    /** rank in PyTorch's promotion lattice among types of the same kind */
    readonly rank: number,
  ) {}
  get is_floating_point(): boolean { return this.kind === 2; }
  get is_complex(): boolean { return false; }
  toString(): string { return `torch.${this.name}`; }
  [Symbol.for("nodejs.util.inspect.custom")](): string { return this.toString(); }
}

export const bool = new DType("bool", 1, 0, false, 0);
export const uint8 = new DType("uint8", 1, 1, false, 1);
export const int8 = new DType("int8", 1, 1, true, 1);
export const int16 = new DType("int16", 2, 1, true, 2);
export const int32 = new DType("int32", 4, 1, true, 3);
export const int64 = new DType("int64", 8, 1, true, 4);
export const float16 = new DType("float16", 2, 2, true, 1);
export const bfloat16 = new DType("bfloat16", 2, 2, true, 1);
export const float32 = new DType("float32", 4, 2, true, 2);
export const float64 = new DType("float64", 8, 2, true, 3);

export const dtypes: Record<DTypeName, DType> = {
  bool, uint8, int8, int16, int32, int64, float16, bfloat16, float32, float64,
};

let defaultDtype: DType = float32;
export function get_default_dtype(): DType { return defaultDtype; }
export function set_default_dtype(d: DType): void {
  if (d !== float32 && d !== float64 && d !== float16 && d !== bfloat16)
    throw new TypeError(`only floating-point types are supported as the default type`);
  defaultDtype = d;
}

/** torch.promote_types: the smallest dtype both a and b can be cast to. */
export function promote_types(a: DType, b: DType): DType {
  if (a === b) return a;
  if (a.kind !== b.kind) return a.kind > b.kind ? a : b;
  if (a.kind === 2) {
    // float16 with bfloat16 has no common 16-bit type: PyTorch gives float32.
    if (a.rank === b.rank) return float32;
    return a.rank > b.rank ? a : b;
  }
  if (a.kind === 1) {
    if (a === uint8 || b === uint8) {
      const other = a === uint8 ? b : a;
      return other === int8 ? int16 : other; // uint8 with int8 needs int16
    }
    return a.rank > b.rank ? a : b;
  }
  return a;
}

/** A JS number, boolean or bigint taking part in an op: PyTorch's "weak" Python scalar. */
export type Scalar = number | boolean | bigint;

export function scalarKind(s: Scalar): Kind {
  if (typeof s === "boolean") return 0;
  if (typeof s === "bigint") return 1;
  // shared/API.md §4: a JS number with an integral value acts as a Python int.
  return Number.isInteger(s) ? 1 : 2;
}

/** Default dtype a lone scalar becomes (torch.tensor(3.5), full(..., 3)). JS numbers are
 *  floating by default (shared/API.md §4); bigints are int64; booleans bool. */
export function scalarDtype(s: Scalar): DType {
  if (typeof s === "boolean") return bool;
  if (typeof s === "bigint") return int64;
  return defaultDtype;
}

/** The category a weak scalar moves a tensor's dtype to, as torch.result_type does: a scalar
 *  only matters when its kind is higher than the tensor's. */
export function promoteWithScalar(t: DType, s: Scalar): DType {
  const k = scalarKind(s);
  if (k <= t.kind) return t;
  return k === 2 ? defaultDtype : int64;
}

/** torch.can_cast(from, to): casting allowed under PyTorch's same-kind rule. */
/** c10's ScalarType name, as PyTorch's messages print a dtype: Float, Long, Bool … */
export function scalarTypeName(d: DType): string { return SCALAR_TYPE_NAMES[d.name]; }
const SCALAR_TYPE_NAMES: Record<DTypeName, string> = {
  bool: "Bool", uint8: "Byte", int8: "Char", int16: "Short", int32: "Int", int64: "Long",
  float16: "Half", bfloat16: "BFloat16", float32: "Float", float64: "Double",
};
/** The C++ type's name, as the messages that print a typeid show a dtype: float, long int … */
export function cppTypeName(d: DType): string { return CPP_TYPE_NAMES[d.name]; }
const CPP_TYPE_NAMES: Record<DTypeName, string> = {
  bool: "bool", uint8: "unsigned char", int8: "signed char", int16: "short int", int32: "int", int64: "long int",
  float16: "c10::Half", bfloat16: "c10::BFloat16", float32: "float", float64: "double",
};

const RANGE: Partial<Record<DTypeName, [number, number]>> = {
  uint8: [0, 255], int8: [-128, 127], int16: [-32768, 32767], int32: [-2147483648, 2147483647], int64: [-(2 ** 63), 2 ** 63],
  float32: [-3.4028234663852886e38, 3.4028234663852886e38],
};
const FILL_NAMES: Partial<Record<DTypeName, string>> = {
  uint8: "uint8_t", int8: "int8_t", int16: "int16_t", int32: "int", int64: "int64_t", float32: "float",
};

/** c10::checked_convert: a JS value stored into `dtype` must fit it, or PyTorch's error. A bigint,
 *  or a number that is a safe integer, is a Python int (to an unsigned dtype, a negative one wraps,
 *  as two's complement, down to -max); any other number is a Python float, which must lie within
 *  the dtype's range (NaN and the infinities fit only a floating dtype). torch.tensor checks its
 *  integer dtypes and names them as torch does, and reads no bigint beyond int64; torch.full and
 *  fill_ check float32 too and name the C++ type. */
export function checkedConvert(v: Scalar, dtype: DType, by: "tensor" | "fill"): void {
  if (typeof v === "boolean") return;
  if (by === "tensor" && typeof v === "bigint" && (v < -(2n ** 63n) || v >= 2n ** 63n)) throw new RangeError("Overflow when unpacking long long");
  const range = RANGE[dtype.name];
  if (range === undefined || (by === "tensor" && dtype.is_floating_point)) return;
  const [lo, hi] = range, x = Number(v);
  let ok: boolean;
  if (dtype.is_floating_point) ok = !Number.isFinite(x) || (x >= lo && x <= hi);
  else if (typeof v === "bigint") ok = dtype === int64 ? v >= -(2n ** 63n) && v < 2n ** 63n : lo === 0 ? x <= hi && x >= -hi : x >= lo && x <= hi;
  else if (Number.isSafeInteger(v)) ok = lo === 0 ? x <= hi && x >= -hi : x >= lo && x <= hi;
  else ok = x >= lo && x <= hi; // a float: false for NaN and the infinities
  if (!ok) throw new RangeError(`value cannot be converted to type ${by === "tensor" ? dtype.name : FILL_NAMES[dtype.name]} without overflow`);
}

export function can_cast(from: DType, to: DType): boolean {
  return from.kind <= to.kind;
}

/** Where large storage comes from: the native backend's caching allocator when it runs
 *  (shared/DESIGN.md principle 6), else the platform (a GC'd ArrayBuffer). Set by src/backends. */
type StorageAllocator = (d: DType, n: number, zero: boolean) => Storage | null;
let allocator: StorageAllocator | null = null;
/** @internal */
export function setStorageAllocator(a: StorageAllocator | null): void { allocator = a; }

/** A zero-filled storage array of n elements of dtype d, or a typed array of dtype d over the
 *  given buffer. */
export function arrayFor(d: DType, n: number | ArrayBufferLike, byteOffset = 0, length?: number): Storage {
  return typeof n === "number" ? allocated(d, n, true) : typedArray(d, [n, byteOffset, length] as unknown as [ArrayBuffer]);
}

/** A storage array of n elements of dtype d whose elements the caller writes, every one of them
 *  (a copy's destination): the allocator's block as it comes, not zero-filled first (the zeroing
 *  was a fifth of a clone of 512 KB); the platform's arrays are zeroed all the same. */
export function arrayToOverwrite(d: DType, n: number): Storage {
  return allocated(d, n, false);
}

function allocated(d: DType, n: number, zero: boolean): Storage {
  try {
    if (allocator !== null) { const a = allocator(d, n, zero); if (a !== null) return a; }
    return zeroed(d, n);
  } catch (e) { throw allocationError(e, d, n); }
}

/** Typed arrays made over another one's memory keep that one alive: the native engine's storage
 *  goes back to its cache when its own typed array is collected (Note [Reused ArrayBuffers] in
 *  backends/native/csrc/addon.c), so a view over its ArrayBuffer must not outlive it. */
const viewBases = new WeakMap<object, ArrayBufferView>(), viewed = new WeakSet<ArrayBufferView>();
/** A storage array of dtype d over `base`'s ArrayBuffer: `length` elements from `byteOffset` (in
 *  that ArrayBuffer), keeping `base` alive as long as it lives. */
export function viewOver(d: DType, base: ArrayBufferView, byteOffset: number, length: number): Storage {
  const v = typedArray(d, [base.buffer, byteOffset, length] as unknown as [ArrayBuffer]);
  viewBases.set(v, base);
  viewed.add(base);
  return v;
}
/** Whether viewOver made an array over `a`'s memory (whose life then does not end with a's
 *  storage: Note [Freeing consumed gradients] in autograd/engine.ts). */
export const hasViews = (a: ArrayBufferView): boolean => viewed.has(a);

/** What V8 or the allocator refuses (past the typed-array length limit, or out of memory) for n
 *  elements of d, PyTorch's CPU allocator refuses too: its error, for the caller to throw. */
export function allocationError(e: unknown, d: DType, n: number): unknown {
  if (!(e instanceof RangeError)) return e;
  return new RangeError(`[enforce fail at alloc_cpu.cpp:127] err == 0. DefaultCPUAllocator: can't allocate memory: you tried to allocate ${BigInt(n) * BigInt(d.itemsize)} bytes. Error code 12 (Cannot allocate memory)`);
}

/** A float64 scratch array of n values for a result of n elements of d (arange, linspace …),
 *  refused as the result's allocation would be. */
export function scratch64(n: number, d: DType): Float64Array {
  try { return new Float64Array(n); } catch (e) { throw allocationError(e, d, n); }
}

/** n zeros of dtype d from the platform (no spread argument list: this makes every small
 *  tensor's storage). */
function zeroed(d: DType, n: number): Storage {
  switch (d.name) {
    case "bool": case "uint8": return new Uint8Array(n);
    case "int8": return new Int8Array(n);
    case "int16": return new Int16Array(n);
    case "int32": return new Int32Array(n);
    case "int64": return new BigInt64Array(n);
    case "float16": case "bfloat16": return new Uint16Array(n);
    case "float32": return new Float32Array(n);
    case "float64": return new Float64Array(n);
  }
}

function typedArray(d: DType, a: [ArrayBuffer]): Storage {
  const args = a as [ArrayBuffer];
  switch (d.name) {
    case "bool": case "uint8": return new Uint8Array(...args);
    case "int8": return new Int8Array(...args);
    case "int16": return new Int16Array(...args);
    case "int32": return new Int32Array(...args);
    case "int64": return new BigInt64Array(...args);
    case "float16": case "bfloat16": return new Uint16Array(...args);
    case "float32": return new Float32Array(...args);
    case "float64": return new Float64Array(...args);
  }
}

export function dtypeOfArray(a: ArrayBufferView): DType {
  if (a instanceof Float32Array) return float32;
  if (a instanceof Float64Array) return float64;
  if (a instanceof Int32Array) return int32;
  if (a instanceof BigInt64Array) return int64;
  if (a instanceof Int16Array) return int16;
  if (a instanceof Int8Array) return int8;
  if (a instanceof Uint8Array) return uint8;
  if (a instanceof Uint16Array) return float16;
  throw new TypeError(`can't convert ${a.constructor.name} to a tensor: unsupported array type`);
}

// float16 / bfloat16 bit conversion (round to nearest even, as c10::Half and c10::BFloat16 do).
const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const m = h & 0x3ff;
  if (e === 0) return s * m * 2 ** -24;
  if (e === 31) return m ? NaN : s * Infinity;
  return s * (1 + m / 1024) * 2 ** (e - 15);
}

export function floatToHalf(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  const sign = (b >>> 16) & 0x8000;
  const exp = (b >>> 23) & 0xff;
  let mant = b & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let h = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1))) h++;
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1))) h++;
  return sign | h;
}

export function bf16ToFloat(h: number): number {
  u32[0] = h << 16;
  return f32[0]!;
}

export function floatToBf16(x: number): number {
  f32[0] = x;
  const b = u32[0]!;
  if (Number.isNaN(x)) return 0x7fc0;
  return ((b + 0x7fff + ((b >>> 16) & 1)) >>> 16) & 0xffff;
}
