// PyTorch's tensor repr, character for character (torch/_tensor_str.py, PyTorch 2.x).
//
// The module works on a flat, row-major view of the values (`ReprInput.at`) and never touches
// the Tensor class, so tensor.ts can depend on it without a cycle.
//
// Note [Python float formatting]: PyTorch builds every number with Python's str.format
// ("{:.4f}", "{:.4e}", "{:.0f}"), which rounds the exact binary value half-to-even. JS's
// toFixed/toExponential round exact ties away from zero (0.125.toFixed(2) is "0.13", Python
// gives "0.12"), print "1e+5" where Python prints "1e+05", and switch toFixed to exponent form
// past 1e21. So the formatting here is done exactly with BigInt on the double's mantissa and
// exponent; it is a few microseconds a number, and printing never sits on a hot path.
//
// Note [Formatter sees the summarised values]: when a tensor has more than `threshold`
// elements, PyTorch builds its _Formatter (int/fixed/sci mode and column width) from
// get_summarized_data, i.e. only the edge items that will be printed. A huge value hidden in
// the "..." part does not switch the tensor to scientific notation; we do the same.
//
// Where PyTorch 2.x differs from 1.13 (the one installed for the golden data), 2.x is followed:
// with edgeitems=0 a summarised tensor prints as "[...]" and every non-empty tensor gets a
// size=(...) suffix (1.13 printed the whole last dimension through its self[-0:] slice).

import { DType, get_default_dtype } from "./dtype.js";
import { Device } from "./device.js";

export interface PrintOptions {
  precision: number;
  threshold: number;
  edgeitems: number;
  linewidth: number;
  sci_mode: boolean | null;
}

const PRINT_OPTS: PrintOptions = { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80, sci_mode: null };

/** torch.set_printoptions. As in PyTorch, every call sets sci_mode (to null when not given),
 *  and a profile is applied first, then the explicit options on top of it. */
export function set_printoptions(
  opts: Partial<PrintOptions> & { profile?: "default" | "short" | "full" | null } = {},
): void {
  const { profile } = opts;
  if (profile !== undefined && profile !== null) {
    if (profile === "default") Object.assign(PRINT_OPTS, { precision: 4, threshold: 1000, edgeitems: 3, linewidth: 80 });
    else if (profile === "short") Object.assign(PRINT_OPTS, { precision: 2, threshold: 1000, edgeitems: 2, linewidth: 80 });
    else if (profile === "full") Object.assign(PRINT_OPTS, { precision: 4, threshold: Infinity, edgeitems: 3, linewidth: 80 });
  }
  if (opts.precision != null) PRINT_OPTS.precision = opts.precision;
  if (opts.threshold != null) PRINT_OPTS.threshold = opts.threshold;
  if (opts.edgeitems != null) PRINT_OPTS.edgeitems = opts.edgeitems;
  if (opts.linewidth != null) PRINT_OPTS.linewidth = opts.linewidth;
  PRINT_OPTS.sci_mode = opts.sci_mode ?? null;
}

/** torch._tensor_str.get_printoptions: a copy, which set_printoptions accepts back. */
export function get_printoptions(): PrintOptions {
  return { ...PRINT_OPTS };
}

// ---- Python number formatting (Note [Python float formatting]) -----------------------------

const F64 = new Float64Array(1);
const U64 = new BigUint64Array(F64.buffer);
const POW10: bigint[] = [1n];
function pow10(k: number): bigint {
  while (POW10.length <= k) POW10.push(POW10[POW10.length - 1]! * 10n);
  return POW10[k]!;
}

/** |x| = m * 2^e exactly, for finite nonzero x. */
function decompose(x: number): [bigint, number] {
  F64[0] = x;
  const bits = U64[0]!;
  const e = Number((bits >> 52n) & 0x7ffn);
  const m = bits & 0xfffffffffffffn;
  return e === 0 ? [m, -1074] : [m | 0x10000000000000n, e - 1075];
}

/** round(num / den), ties to even. */
function roundHalfEven(num: bigint, den: bigint): bigint {
  const q = num / den;
  const r2 = (num - q * den) * 2n;
  return r2 > den || (r2 === den && (q & 1n) === 1n) ? q + 1n : q;
}

/** round(|x| * 10^k), ties to even, exactly. */
function scaledRound(m: bigint, e2: number, k: number): bigint {
  let num = m, den = 1n;
  if (e2 >= 0) num <<= BigInt(e2); else den <<= BigInt(-e2);
  if (k >= 0) num *= pow10(k); else den *= pow10(-k);
  return roundHalfEven(num, den);
}

function nonFinite(x: number): string {
  return Number.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
}

/** Python's "{:.<precision>f}".format(x). */
export function formatFixed(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let digits: string;
  if (Number.isInteger(a) && a <= Number.MAX_SAFE_INTEGER) {
    digits = String(a) + "0".repeat(precision); // common case (int mode): no BigInt needed
  } else if (a === 0) {
    digits = "0".repeat(precision + 1);
  } else {
    const [m, e2] = decompose(a);
    digits = scaledRound(m, e2, precision).toString();
  }
  if (digits.length < precision + 1) digits = "0".repeat(precision + 1 - digits.length) + digits;
  const body = precision > 0
    ? digits.slice(0, digits.length - precision) + "." + digits.slice(digits.length - precision)
    : digits;
  return (neg ? "-" : "") + body;
}

/** Python's "{:.<precision>e}".format(x). */
export function formatExp(x: number, precision: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  const neg = x < 0 || Object.is(x, -0);
  const a = Math.abs(x);
  let digits: string;
  let exp10: number;
  if (a === 0) {
    digits = "0".repeat(precision + 1);
    exp10 = 0;
  } else {
    const [m, e2] = decompose(a);
    exp10 = Math.floor(Math.log10(a));
    const lo = pow10(precision), hi = pow10(precision + 1);
    let n = scaledRound(m, e2, precision - exp10);
    // log10 can be one off near powers of ten, and rounding can carry to 10^(p+1): settle exactly.
    for (;;) {
      if (n >= hi) { exp10 += 1; n = scaledRound(m, e2, precision - exp10); }
      else if (n < lo) { exp10 -= 1; n = scaledRound(m, e2, precision - exp10); }
      else break;
    }
    digits = n.toString();
  }
  const mant = precision > 0 ? digits[0] + "." + digits.slice(1) : digits;
  const ae = Math.abs(exp10);
  return (neg ? "-" : "") + mant + "e" + (exp10 < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + ae;
}

/** Python's repr(float): shortest round-trip digits, exponent form when the decimal point
 *  would sit before -4 or past 16 (e.g. 0.0001, 1e-05, 1.0, 1e+16). */
export function formatPyFloat(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const s = Math.abs(x).toExponential(); // shortest round-trip digits, e.g. "1.2345e-7"
  const [mant, e] = s.split("e") as [string, string];
  const digits = mant.replace(".", "");
  const exp10 = Number(e);
  const decpt = exp10 + 1;
  let body: string;
  if (decpt <= -4 || decpt > 16) {
    const ae = Math.abs(exp10);
    body = (digits.length > 1 ? digits[0] + "." + digits.slice(1) : digits) +
      "e" + (exp10 < 0 ? "-" : "+") + (ae < 10 ? "0" : "") + ae;
  } else if (decpt <= 0) {
    body = "0." + "0".repeat(-decpt) + digits;
  } else if (decpt >= digits.length) {
    body = digits + "0".repeat(decpt - digits.length) + ".0";
  } else {
    body = digits.slice(0, decpt) + "." + digits.slice(decpt);
  }
  return (x < 0 ? "-" : "") + body;
}

/** Python's "{}".format(v) for an element of an integer or bool tensor. */
function formatInt(v: number | bigint | boolean): string {
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "bigint") return v.toString();
  return Number.isInteger(v) ? String(v === 0 ? 0 : v) : formatPyFloat(v);
}

// ---- _Formatter ----------------------------------------------------------------------------

type Value = number | bigint | boolean;

/** torch._tensor_str._Formatter: chooses int / fixed / scientific mode and the column width. */
export class Formatter {
  readonly floating: boolean;
  readonly isBool: boolean;
  int_mode = true;
  sci_mode = false;
  max_width = 1;

  constructor(dtype: DType, values: readonly Value[]) {
    this.floating = dtype.is_floating_point;
    this.isBool = dtype.name === "bool";
    const precision = PRINT_OPTS.precision;
    if (!this.floating) {
      for (const v of values) this.max_width = Math.max(this.max_width, this.intStr(v).length);
      return;
    }
    const vals: number[] = [];
    for (const v of values) {
      const x = Number(v);
      if (Number.isFinite(x) && x !== 0) vals.push(x);
    }
    // No nonzero finite value: PyTorch returns before applying PRINT_OPTS.sci_mode.
    if (vals.length === 0) return;
    let min = Infinity, max = 0;
    for (const x of vals) {
      const a = Math.abs(x);
      if (a < min) min = a;
      if (a > max) max = a;
    }
    for (const x of vals) if (x !== Math.ceil(x)) { this.int_mode = false; break; }
    // (PyTorch 2.x decides the mode first, set_printoptions' sci_mode included, then measures the
    // width in that mode)
    this.sci_mode = PRINT_OPTS.sci_mode ?? (max / min > 1000 || max > 1e8 || min < 1e-4);
    for (const x of vals) {
      // integral floats print as "3."; the 1 in the width is that point
      const s = this.sci_mode ? formatExp(x, precision) : this.int_mode ? formatFixed(x, 0) + "." : formatFixed(x, precision);
      this.max_width = Math.max(this.max_width, s.length);
    }
  }

  private intStr(v: Value): string {
    return this.isBool && typeof v !== "boolean" ? (v ? "True" : "False") : formatInt(v);
  }

  width(): number { return this.max_width; }

  format(v: Value): string {
    let ret: string;
    if (this.floating) {
      const x = Number(v);
      if (this.sci_mode) ret = formatExp(x, PRINT_OPTS.precision);
      else if (this.int_mode) {
        ret = formatFixed(x, 0);
        if (Number.isFinite(x)) ret += ".";
      } else ret = formatFixed(x, PRINT_OPTS.precision);
    } else {
      ret = this.intStr(v);
    }
    return ret.length < this.max_width ? " ".repeat(this.max_width - ret.length) + ret : ret;
  }
}

// ---- _tensor_str -----------------------------------------------------------------------------

/** Row-major strides of a contiguous tensor of this shape. */
function contiguousStrides(shape: readonly number[]): number[] {
  const st = new Array<number>(shape.length);
  let s = 1;
  for (let d = shape.length - 1; d >= 0; d--) { st[d] = s; s *= shape[d]!; }
  return st;
}

/** The indices along one dimension that get printed: all, or the edge items around "...". */
function shownIndices(size: number, summarize: boolean, edge: number): { head: number[]; tail: number[]; cut: boolean } {
  const range = (a: number, b: number) => Array.from({ length: Math.max(0, b - a) }, (_, i) => a + i);
  if (summarize && size > 2 * edge) return { head: range(0, edge), tail: range(size - edge, size), cut: true };
  return { head: range(0, size), tail: [], cut: false };
}

/** get_summarized_data, flattened: the values the Formatter looks at. */
function summarizedValues(t: ReprInput, strides: number[], summarize: boolean): Value[] {
  const { shape } = t;
  const out: Value[] = [];
  if (shape.length === 0) { out.push(t.at(0)); return out; }
  const edge = PRINT_OPTS.edgeitems;
  // PyTorch 2.x: with edgeitems=0 a summarised tensor prints as "[...]", whatever the
  // Formatter decides (a 2+-d one gives it nothing, a 1-d one its whole row via self[-0:]).
  if (summarize && edge === 0) return out;
  const walk = (d: number, off: number) => {
    const { head, tail } = shownIndices(shape[d]!, summarize, edge);
    for (const i of [...head, ...tail]) {
      if (d === shape.length - 1) out.push(t.at(off + i * strides[d]!));
      else walk(d + 1, off + i * strides[d]!);
    }
  };
  walk(0, 0);
  return out;
}

function vectorStr(t: ReprInput, off: number, stride: number, size: number, indent: number,
  summarize: boolean, fmt: Formatter): string {
  const elementLength = fmt.width() + 2;
  const perLine = Math.max(1, Math.floor((PRINT_OPTS.linewidth - indent) / elementLength));
  let data: string[];
  const edge = PRINT_OPTS.edgeitems;
  if (summarize && !edge) {
    data = ["..."];
  } else {
    const { head, tail, cut } = shownIndices(size, summarize, edge);
    data = head.map((i) => fmt.format(t.at(off + i * stride)));
    if (cut) data.push(" ...", ...tail.map((i) => fmt.format(t.at(off + i * stride))));
  }
  const lines: string[] = [];
  for (let i = 0; i < data.length; i += perLine) lines.push(data.slice(i, i + perLine).join(", "));
  return "[" + lines.join(",\n" + " ".repeat(indent + 1)) + "]";
}

function strWithFormatter(t: ReprInput, strides: number[], d: number, off: number, indent: number,
  summarize: boolean, fmt: Formatter): string {
  const { shape } = t;
  const dim = shape.length - d;
  if (dim === 0) return fmt.format(t.at(off));
  if (dim === 1) return vectorStr(t, off, strides[d]!, shape[d]!, indent, summarize, fmt);
  const size = shape[d]!;
  const edge = PRINT_OPTS.edgeitems;
  const child = (i: number) => strWithFormatter(t, strides, d + 1, off + i * strides[d]!, indent + 1, summarize, fmt);
  const { head, tail, cut } = shownIndices(size, summarize, edge);
  const slices = head.map(child);
  if (cut) slices.push("...", ...tail.map(child));
  return "[" + slices.join("," + "\n".repeat(dim - 1) + " ".repeat(indent + 1)) + "]";
}

/** torch._tensor_str._tensor_str: the bracketed contents, for a tensor printed at `indent`. */
export function tensorContents(t: ReprInput, indent: number): string {
  const numel = t.shape.reduce((a, b) => a * b, 1);
  if (numel === 0) return "[]";
  const summarize = numel > PRINT_OPTS.threshold;
  const strides = contiguousStrides(t.shape);
  const fmt = new Formatter(t.dtype, summarizedValues(t, strides, summarize));
  return strWithFormatter(t, strides, 0, 0, indent, summarize, fmt);
}

// ---- _str_intern -----------------------------------------------------------------------------

export interface ReprInput {
  shape: readonly number[];
  dtype: DType;
  /** value of the element at flat row-major position i (floats already decoded from
   *  float16/bfloat16 bits; int64 as bigint; bool as boolean) */
  at(i: number): number | bigint | boolean;
  /** "cpu" prints nothing; others print device='cuda:0' as PyTorch does */
  device?: string;
  /** e.g. "AddBackward0" -> grad_fn=<AddBackward0> */
  grad_fn?: string | null;
  /** leaf requiring grad -> requires_grad=True (only when no grad_fn) */
  requires_grad?: boolean;
  is_nested?: never;
}

/** Python's str(tuple(shape)): (2, 3), (2,), (). */
function pyTuple(shape: readonly number[]): string {
  return shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(", ")})`;
}

/** str(tensor.device): tensors on indexed device types always carry their index. */
function deviceStr(device: string): string {
  return /^(cuda|mps|xpu)$/.test(device) ? device + ":0" : device;
}

function addSuffixes(tensorStr: string, suffixes: string[], indent: number, forceNewline: boolean): string {
  const parts = [tensorStr];
  let lastLineLen = tensorStr.length - tensorStr.lastIndexOf("\n") + 1;
  for (const suffix of suffixes) {
    if (forceNewline || lastLineLen + suffix.length + 2 > PRINT_OPTS.linewidth) {
      parts.push(",\n" + " ".repeat(indent) + suffix);
      lastLineLen = indent + suffix.length;
      forceNewline = false;
    } else {
      parts.push(", " + suffix);
      lastLineLen += suffix.length + 2;
    }
  }
  parts.push(")");
  return parts.join("");
}

/** The full repr of a dense real tensor, as torch._tensor_str._str_intern builds it.
 *  `prefix` is "tensor(" for plain tensors; text before its last newline (nn.Parameter's
 *  "Parameter containing:\n") is a header and does not count towards the indentation. */
export function tensorRepr(t: ReprInput, prefix = "tensor("): string {
  const indent = prefix.length - (prefix.lastIndexOf("\n") + 1);
  const suffixes: string[] = [];
  const dev = t.device ?? "cpu";
  if (dev.split(":")[0] !== "cpu") suffixes.push(`device='${deviceStr(dev)}'`);
  const defaultName = get_default_dtype().name;
  const dt = t.dtype.name;
  const numel = t.shape.reduce((a, b) => a * b, 1);
  let tensorStr: string;
  if (numel === 0) {
    // Explicitly print the shape if it is not (0,), as NumPy does; and the dtype whenever it
    // is not the default float dtype, since there are no elements to infer it from.
    if (t.shape.length !== 1) suffixes.push("size=" + pyTuple(t.shape));
    if (dt !== defaultName) suffixes.push("dtype=torch." + dt);
    tensorStr = "[]";
  } else {
    if (!PRINT_OPTS.edgeitems) suffixes.push("size=" + pyTuple(t.shape));
    if (dt !== defaultName && dt !== "int64" && dt !== "bool") suffixes.push("dtype=torch." + dt);
    tensorStr = tensorContents(t, indent);
  }
  if (t.grad_fn) suffixes.push(`grad_fn=<${t.grad_fn}>`);
  else if (t.requires_grad) suffixes.push("requires_grad=True");
  return addSuffixes(prefix + tensorStr, suffixes, indent, false);
}

/** A double as C++'s `ostream << double` prints it in TORCH_CHECK messages (%g, 6 digits). */
export function fmtDouble(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0" : "0";
  // six significant digits d.ddddd, then %e or %f as printf decides from the exponent
  const [mant, exp] = toExponential5(Math.abs(x)).split("e") as [string, string];
  const e = Number(exp), digits = mant.replace(".", "");
  const strip = (t: string): string => (t.includes(".") ? t.replace(/0+$/, "").replace(/\.$/, "") : t);
  let out: string;
  if (e < -4 || e >= 6) out = `${strip(`${digits[0]}.${digits.slice(1)}`)}e${e < 0 ? "-" : "+"}${String(Math.abs(e)).padStart(2, "0")}`;
  else if (e >= 0) out = strip(`${digits.slice(0, e + 1)}.${digits.slice(e + 1)}`);
  else out = strip(`0.${"0".repeat(-e - 1)}${digits}`);
  return x < 0 ? `-${out}` : out;
}

/** x.toExponential(5) rounded as printf rounds: JS rounds an exact tie (0.0009765625 to six
 *  digits) up, C to the even digit. toExponential(100) shows the exact digits of x whenever the
 *  expansion is that short, which it is for every double whose cut can fall on a tie in practice. */
function toExponential5(x: number): string {
  const m = /^(\d)\.(\d{5})(\d+)e([+-]\d+)$/.exec(x.toExponential(100))!;
  if (/^50*$/.test(m[3]!) && Number(m[2]!.slice(-1)) % 2 === 0) return `${m[1]}.${m[2]}e${m[4]}`;
  return x.toExponential(5);
}

/** A shape as Python prints torch.Size: `torch.Size([2, 3])`. */
export const sizeStr = (s: readonly number[]): string => `torch.Size([${s.join(", ")}])`;
/** A shape as Python prints a tuple of ints: `(2, 3)`, `(2,)`. */
export const tupleStr = (s: readonly number[]): string => (s.length === 1 ? `(${s[0]},)` : `(${s.join(", ")})`);

/** Python's repr of a str: single quotes, or double quotes where it holds a single quote and no
 *  double one (escaping the quote used otherwise). */
export function strRepr(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  return q + s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r").replaceAll(q, `\\${q}`) + q;
}

/** Python's KeyError(key) as an Error (shared/API.md §7): its message is str() of the KeyError,
 *  which is the key's repr (`'missing'`, and for a sentence, the sentence quoted). */
export function keyError(key: string | number): Error {
  return new Error(typeof key === "string" ? strRepr(key) : String(key));
}

/** Python's name for a JS value's type, as PyTorch's messages print it: type(v).__name__ (int,
 *  float, str, list, dict, Tensor, Parameter, a class's own name), and the C types' names for
 *  torch's own (torch.dtype, torch.device). A JS array is a Python list, or a tuple where the API
 *  has arrays stand for tuples (`arrays`: a custom Function's outputs, torch.func's arguments). */
export function pyTypeName(v: unknown, arrays: "list" | "tuple" = "list"): string {
  if (v === null || v === undefined) return "NoneType";
  switch (typeof v) {
    case "number": return Number.isInteger(v) ? "int" : "float";
    case "bigint": return "int";
    case "boolean": return "bool";
    case "string": return "str";
    case "function": return "function";
  }
  if (Array.isArray(v)) return arrays;
  if (v instanceof DType) return "torch.dtype";
  if (v instanceof Device) return "torch.device";
  if ((v as object).constructor?.name === "memory_format") return "torch.memory_format"; // (core/memory_format.ts's class)
  const proto = Object.getPrototypeOf(v) as object | null;
  if (proto === Object.prototype || proto === null || v instanceof Map) return "dict";
  return (v as object).constructor?.name ?? "object";
}

// ---- C++'s operator<< ------------------------------------------------------------------------

/** The type name C++'s Tensor::toString gives: the legacy "torch.FloatTensor" where one exists
 *  for the dtype, else the backend's type ("CPUBoolType", "CPUBFloat16Type"). */
function cppTypeName(dtype: DType): string {
  const legacy: Record<string, string> = {
    float32: "Float", float64: "Double", float16: "Half", int64: "Long", int32: "Int", int16: "Short", int8: "Char", uint8: "Byte",
  };
  return dtype.name in legacy ? `torch.${legacy[dtype.name]}Tensor` : `CPU${dtype.name === "bool" ? "Bool" : "BFloat16"}Type`;
}

/** ATen's __printFormat: a matrix's values shown as integers (defaultfloat), in fixed point with
 *  4 decimals (under a common power-of-ten scale when large or small), or in scientific notation,
 *  each right-aligned in `sz` columns. */
function cppFormat(vals: readonly number[]): { fmt: (x: number) => string; scale: number; sz: number } {
  const finite = vals.filter(Number.isFinite);
  const intMode = finite.every((z) => z === Math.ceil(z));
  const digits = (a: number) => (a !== 0 ? Math.floor(Math.log10(a)) + 1 : 1);
  const abs = finite.map(Math.abs);
  const expMin = abs.length ? digits(Math.min(...abs)) : 1, expMax = abs.length ? digits(Math.max(...abs)) : 1;
  const sci = (x: number) => formatExp(x, 4), fixed = (x: number) => formatFixed(x, 4);
  if (intMode) return expMax > 9 ? { fmt: sci, scale: 1, sz: 11 } : { fmt: fmtDouble, scale: 1, sz: expMax + 1 };
  if (expMax - expMin > 4) return { fmt: sci, scale: 1, sz: Math.abs(expMax) > 99 || Math.abs(expMin) > 99 ? 12 : 11 };
  if (expMax > 5 || expMax < 0) return { fmt: fixed, scale: 10 ** (expMax - 1), sz: 7 };
  return { fmt: fixed, scale: 1, sz: expMax === 0 ? 7 : expMax + 6 };
}

/** ATen's __printMatrix: rows of `cols` values, in blocks of the columns that fit in 80
 *  characters; rows after the first start with `indent` spaces (one more under a scale). */
function cppMatrix(vals: readonly number[], rows: number, cols: number, indent: number): string {
  const { fmt, scale, sz } = cppFormat(vals);
  const pad = " ".repeat(indent);
  const perLine = Math.floor((80 - indent) / (sz + 1));
  let out = "";
  for (let first = 0; first < cols; first += perLine) {
    const last = Math.min(first + perLine, cols) - 1;
    if (perLine < cols) out += `${first !== 0 ? "\n" : ""}Columns ${first + 1} to ${last + 1}${pad}`;
    if (scale !== 1) out += `${fmtDouble(scale)} *\n${pad}`;
    for (let r = 0; r < rows; r++) {
      for (let c = first; c <= last; c++) {
        const v = vals[r * cols + c]! / scale;
        out += (Number.isFinite(v) ? fmt(v) : fmtDouble(v)).padStart(sz);
        out += c === last ? "\n" + (r !== rows - 1 ? pad + (scale !== 1 ? " " : "") : "") : " ";
      }
    }
  }
  return out;
}

/** A tensor as C++'s `ostream << tensor` prints it (ATen's print), as TORCH_CHECK messages quote
 *  it: the values, then "[ torch.FloatTensor{2,3} ]". Beyond 2-d, one matrix per index of the
 *  leading dims, the first dim varying fastest, as ATen's __printTensor counts. */
export function cppTensorString(t: ReprInput): string {
  const { shape } = t;
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = Array.from({ length: n }, (_, i) => Number(t.at(i)));
  const tail = `[ ${cppTypeName(t.dtype)}{${shape.join(",")}} ]`;
  if (shape.length === 0) return `${fmtDouble(vals[0]!)}\n${tail}`;
  if (n === 0) return tail;
  if (shape.length === 1) {
    const { fmt, scale, sz } = cppFormat(vals);
    const head = scale !== 1 ? `${fmtDouble(scale)} *\n` : "";
    return head + vals.map((v) => (Number.isFinite(v / scale) ? fmt(v / scale) : fmtDouble(v)).padStart(sz) + "\n").join("") + tail;
  }
  const [rows, cols] = shape.slice(-2) as [number, number];
  const lead = shape.slice(0, -2), blocks: string[] = [];
  const counter = lead.map(() => 0);
  for (let b = 0; b < n / (rows * cols); b++) {
    // the offset of the matrix at `counter` (row-major), then the counter advanced, first dim first
    let off = 0;
    counter.forEach((c, i) => { off = off * lead[i]! + c; });
    const mat = vals.slice(off * rows * cols, (off + 1) * rows * cols);
    blocks.push(lead.length ? `(${counter.map((c) => c + 1).join(",")},.,.) = \n${cppMatrix(mat, rows, cols, 1)}` : cppMatrix(mat, rows, cols, 0));
    for (let i = 0; i < counter.length && ++counter[i]! === lead[i]; i++) counter[i] = 0;
  }
  return blocks.join("\n") + tail;
}
