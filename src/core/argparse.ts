// PyTorch's PythonArgParser: one parser for every public function, method and constructor
// (DESIGN principle 8). Signatures are data (core/signatures.ts, taken from PyTorch's own
// declarations by tools/gen_signatures.py); this file turns a JavaScript call (positional
// arguments, then at most one options object standing for Python's keyword arguments) into the
// arguments the implementation takes, and raises PyTorch's TypeError for a call that fits no
// signature.
//
// Note [Signatures]: two kinds of signature, as in PyTorch.
//  - Native ones (torch.*, Tensor methods, the builtins of nn.functional), in PyTorch's
//    PythonArgParser syntax: `stack(Tensor[] tensors, int dim=0, *, Tensor? out=None)`. Each
//    parameter has a type, which is checked; a call that fits several overloads takes the first.
//    The implementation receives the positional-or-keyword parameters in order (undefined where
//    not given, so its own defaults apply) and the keyword-only ones given in one trailing
//    options object: `stack(ts, {dim: 1})` calls stack(ts, 1); `add(a, b, {alpha: 2})` calls
//    add(a, b, {alpha: 2}).
//  - Python-level ones (nn.functional's Python functions, module constructors, DataLoader,
//    torch.split …), written `def Conv2d.__init__(self, in_channels, out_channels, kernel_size,
//    stride=1, …)`. Python checks only the arity and the names (with Python's own messages); the
//    values are the implementation's business. The implementation receives the required
//    parameters in order and every optional one that was given, by name, in one trailing
//    options object: `new Embedding(10, 3, 0)` constructs Embedding(10, 3, {padding_idx: 0});
//    where an implementation takes more by position (Tensor.backward's gradient, split's dim;
//    all of them for F.conv1d, nn.Conv2d and the others of ALL_POSITIONAL, written with PyTorch's
//    parameters and defaults), the POSITIONAL table below says how many.
// Names that typetorch gives its own meaning (x.index(...) is Python's x[...]) are left alone.
// A call with no options object that fits the first signature as it stands (the hot path: every
// `a.add(b)` inside the library) is checked and passed through unchanged, without allocating.

import { Tensor } from "./tensor.js";
import { DType } from "./dtype.js";
import { Device } from "./device.js";
import { memory_format } from "./memory_format.js";
import { Generator } from "./random.js";
import { levels, hasBatched, callBatched } from "../func/batched.js";
import { pyTypeName } from "./printing.js";

/** The options object that stands for Python's keyword arguments (shared/API.md §2): a plain
 *  object literal. Class instances (a dtype, a device, a Generator, a Tensor) are values, and so
 *  is a NumPy array (torch.tensor(obs, {dtype})). */
export type Kwargs = { readonly [name: string]: unknown };
export function isKwargs(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const p = Object.getPrototypeOf(x);
  return (p === Object.prototype || p === null) && !isNdArrayLike(x);
}

/** A NumPy array as typetorch takes one (shared/API.md: `{data: TypedArray, shape, strides?}`,
 *  torch.from_numpy's NdArrayLike). Never a Tensor, whose `data` getter would make a detached
 *  alias (a Tensor allocated on every op whose last argument is one, as `a.add(b)`, before it was
 *  asked first). */
export function isNdArrayLike(x: unknown): x is { data: ArrayBufferView; shape: readonly number[] } {
  return typeof x === "object" && x !== null && !(x instanceof Tensor) && ArrayBuffer.isView((x as { data?: unknown }).data) && Array.isArray((x as { shape?: unknown }).shape);
}

// ---------------------------------------------------------------------------------------------
// Parameter types

interface ParamType {
  /** the name PyTorch's messages give the type: "Tensor", "int", "tuple of ints" … */
  readonly name: string;
  /** accepts a value that is not null */
  check(v: unknown, size: number): boolean;
  /** for number types: accepts it as the implementation takes it (not a 0-d tensor, which the
   *  parser reads into a number) */
  plain?: (v: unknown, size: number) => boolean;
}

const isInt = (v: unknown): boolean => (typeof v === "number" && Number.isInteger(v)) || typeof v === "bigint";
const isNum = (v: unknown): boolean => typeof v === "number" || typeof v === "bigint";
/** A number where a Tensor parameter takes one (THPUtils_checkScalar: Python's bools are ints). */
const isNumber = (v: unknown): boolean => isNum(v) || typeof v === "boolean";
/** A 0-d tensor that does not require grad stands for a number (PyTorch's THPVariable checks
 *  for Scalar and int arguments); `integral` asks for an integer dtype. */
const scalarTensor = (v: unknown, integral: boolean): boolean =>
  v instanceof Tensor && v.ndim === 0 && !v.requires_grad && (!integral || (!v.dtype.is_floating_point && v.dtype.name !== "bool"));
const listOf = (v: unknown, el: (x: unknown) => boolean): boolean => {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (!el(v[i])) return false; // (indexed: sizes are checked on every view)
  return true;
};
const intEl = (x: unknown) => isInt(x) || scalarTensor(x, true);

const TYPES: Record<string, ParamType> = {
  Tensor: { name: "Tensor", check: (v) => v instanceof Tensor },
  Scalar: { name: "Number", check: (v) => isNum(v) || typeof v === "boolean" || scalarTensor(v, false) },
  int: { name: "int", check: (v) => isInt(v) || scalarTensor(v, true), plain: isInt },
  float: { name: "float", check: (v) => isNum(v) || scalarTensor(v, false), plain: isNum },
  bool: { name: "bool", check: (v) => typeof v === "boolean" },
  "int[]": {
    // PyTorch's is_int_or_symint_list reads only the first element; the others meet the unpacking
    // (bindNative's "failed to unpack the object")
    name: "tuple of ints", check: (v, size) => (Array.isArray(v) && (v.length === 0 || intEl(v[0]))) || (size > 0 && intEl(v)),
    plain: (v, size) => listOf(v, isInt) || (size > 0 && isInt(v)),
  },
  "float[]": { name: "tuple of floats", check: (v, size) => listOf(v, isNum) || (size > 0 && isNum(v)) },
  "bool[]": { name: "tuple of bools", check: (v) => listOf(v, (x) => typeof x === "boolean") },
  "Scalar[]": { name: "tuple of Scalars", check: (v) => listOf(v, (x) => isNum(x) || typeof x === "boolean") },
  "Tensor[]": { name: "tuple of Tensors", check: (v) => listOf(v, (x) => x instanceof Tensor) },
  "Tensor?[]": { name: "tuple of Tensors", check: (v) => listOf(v, (x) => x === null || x instanceof Tensor) },
  ScalarType: { name: "torch.dtype", check: (v) => v instanceof DType },
  Device: { name: "torch.device", check: (v) => v instanceof Device || typeof v === "string" || isInt(v) },
  Generator: { name: "torch.Generator", check: (v) => v instanceof Generator },
  str: { name: "str", check: (v) => typeof v === "string" },
  Dimname: { name: "name", check: (v) => typeof v === "string" },
  "Dimname[]": { name: "tuple of names", check: (v) => listOf(v, (x) => typeof x === "string") },
  // what typetorch has no object for takes any value (the implementation decides)
  Layout: { name: "torch.layout", check: () => true },
  MemoryFormat: { name: "torch.memory_format", check: (v) => v instanceof memory_format },
  Storage: { name: "Storage", check: () => true },
  object: { name: "object", check: () => true },
};
/** PyTorch's spellings of the same types. */
const ALIASES: Record<string, string> = {
  SymInt: "int", "SymInt[]": "int[]", SymIntArrayRef: "int[]", int64_t: "int", DeviceIndex: "int", double: "float",
  TensorList: "Tensor[]", IntArrayRef: "int[]", "ArrayRef<double>": "float[]", ScalarList: "Scalar[]",
  "c10::List<::std::optional<Tensor>>": "Tensor?[]", "c10::string_view": "str", Stream: "object", "PyObject*": "object",
};

interface Param {
  readonly name: string;
  readonly type: ParamType;
  /** int[2]: the list's length, for which a single int is also accepted (PyTorch's rule) */
  readonly size: number;
  /** None is accepted (an optional type, or a default of None) */
  readonly nullable: boolean;
  readonly required: boolean;
  readonly kwOnly: boolean;
  /** as PyTorch prints the parameter in its list of signatures: "int dim = 0" */
  readonly repr: string;
  /** the hot path's check (fitsAsIs): a value the implementation takes as it is, not null */
  fast: (v: unknown) => boolean;
}

export interface Signature {
  /** the name in messages: "stack", "Conv2d.__init__" */
  readonly name: string;
  readonly params: readonly Param[];
  /** positional-or-keyword parameters (the rest are keyword-only) */
  readonly nPos: number;
  readonly nRequired: number;
  /** Python-level (see Note [Signatures]) */
  readonly python: boolean;
  /** how many leading parameters the implementation takes by position; the others given come in
   *  the options object (Note [Signatures]) */
  readonly nImplPos: number;
  /** which Tensor parameters also take a number: all of them for the functions of PyTorch's
   *  should_allow_numbers_as_tensors, and the first of a binary torch.* function (shared/API.md
   *  §2: `torch.sub(10, d)`, Note [Number on the left] in ops/elementwise.ts) */
  readonly numbers: readonly boolean[];
  /** Python's *args: extra positional arguments are passed on as they are */
  readonly star: boolean;
  /** Python's **kwargs: unknown keywords are passed on in the options object */
  readonly starstar: boolean;
  /** PyTorch's sizes-as-varargs: `zeros(2, 3)` for `zeros(int[] size, *, …)` */
  readonly varargs: boolean;
  /** left out of error messages (PyTorch's deprecated and named-tensor overloads) */
  readonly hidden: boolean;
  readonly repr: string;
}

/** The functions whose Tensor parameters also take numbers (PyTorch's
 *  should_allow_numbers_as_tensors). */
const NUMBERS_AS_TENSORS = new Set([
  "add", "add_", "div", "div_", "divide", "divide_", "mul", "mul_", "multiply", "multiply_", "sub", "sub_",
  "subtract", "subtract_", "true_divide", "true_divide_", "to", "copy_", "floor_divide", "floor_divide_",
]);

/** Compiles one signature: `[def ]name(Type name=default, *, …)[|hidden]`; `positional`: how many
 *  leading parameters a Python-level one's implementation takes by position (Note [Signatures]),
 *  the required ones by default. */
export function compileSignature(text: string, positional?: number, numberOnLeft = false): Signature {
  let src = text.trim(), hidden = false;
  if (src.endsWith("|hidden")) { hidden = true; src = src.slice(0, -7); }
  const python = src.startsWith("def ");
  if (python) src = src.slice(4);
  const open = src.indexOf("(");
  const name = src.slice(0, open);
  const body = src.slice(open + 1, src.lastIndexOf(")")).trim();
  const params: Param[] = [];
  let kwOnly = false, star = false, starstar = false;
  for (const raw of splitTopLevel(body)) {
    const p = raw.trim();
    if (p === "" || (python && p === "self" && params.length === 0)) continue;
    if (p === "*") { kwOnly = true; continue; }
    if (p.startsWith("**")) { starstar = true; continue; }
    if (p.startsWith("*")) { star = true; kwOnly = true; continue; }
    const eq = p.indexOf("=");
    const decl = (eq < 0 ? p : p.slice(0, eq)).trim(), def = eq < 0 ? null : p.slice(eq + 1).trim();
    const sp = decl.lastIndexOf(" ");
    const pname = sp < 0 ? decl : decl.slice(sp + 1);
    let tname = sp < 0 ? "object" : decl.slice(0, sp).trim();
    let nullable = def === "None";
    if (tname.endsWith("?")) { nullable = true; tname = tname.slice(0, -1); }
    const sized = /^(.*)\[(\d+)\]$/.exec(tname);
    const size = sized ? Number(sized[2]) : 0;
    if (sized) { tname = ALIASES[sized[1]!] ?? sized[1]!; if (!tname.endsWith("[]")) tname += "[]"; }
    tname = ALIASES[tname] ?? tname;
    const type = TYPES[tname];
    if (!type) throw new Error(`internal: unknown parameter type '${tname}' in signature ${text}`);
    const plain = type.plain ?? type.check;
    params.push({
      name: pname, type, size, nullable, required: def === null, kwOnly, fast: (v) => plain(v, size),
      repr: python ? p : `${type.name} ${pname}${def === null ? "" : ` = ${def}`}`,
    });
  }
  const nPos = params.filter((p) => !p.kwOnly).length;
  const numbers = params.map((p, i) => p.type === TYPES.Tensor && (NUMBERS_AS_TENSORS.has(name)
    || (numberOnLeft && i === 0 && params[1]?.name === "other" && (params[1].type === TYPES.Tensor || params[1].type === TYPES.Scalar))));
  params.forEach((p, i) => { if (numbers[i]) p.fast = (v) => v instanceof Tensor || isNumber(v); });
  const first = params[0];
  return {
    name, params, nPos, nRequired: params.filter((p) => p.required).length, python, star, starstar,
    nImplPos: python ? Math.min(positional ?? params.filter((p) => p.required && !p.kwOnly).length, nPos) : nPos,
    numbers,
    varargs: !python && first !== undefined && first.type === TYPES["int[]"] && nPos === 1,
    hidden, repr: `(${params.map((p, i) => (p.kwOnly && (i === 0 || !params[i - 1]!.kwOnly) ? `*, ${p.repr}` : p.repr)).join(", ")})`,
  };
}

function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0, start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === "(" || c === "[" || c === "{") depth++;
    else if (c === ")" || c === "]" || c === "}") depth--;
    else if (c === "," && depth === 0) { out.push(s.slice(start, i)); start = i + 1; }
  }
  out.push(s.slice(start));
  return out;
}

// ---------------------------------------------------------------------------------------------
// Parsing

/** Fits a call to `sig`: the implementation's arguments, or the message PyTorch (or Python, for
 *  a Python-level signature) gives for that signature alone. Checks in their order. */
function bind(sig: Signature, args: readonly unknown[], kw: Record<string, unknown> | null): unknown[] | string {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--; // trailing optional arguments not passed
  return sig.python ? bindPython(sig, args, n, kw) : bindNative(sig, args, n, kw);
}

/** The NumPy names a native parameter also answers to by keyword (python_arg_parser.cpp's
 *  numpy_compatibility_arg_names): `x.sum({axis: 1, keepdims: true})`. */
const NUMPY_NAMES: Record<string, readonly string[]> = { dim: ["axis"], keepdim: ["keepdims"], input: ["x", "a", "x1"], other: ["x2"] };

/** PyTorch's FunctionSignature::parse. */
function bindNative(sig: Signature, args: readonly unknown[], n: number, kw: Record<string, unknown> | null): unknown[] | string {
  const params = sig.params;
  if (n > sig.nPos && !(sig.varargs && intEl(args[0]))) return tooMany(sig, n);
  const vals: unknown[] = new Array(params.length);
  let pos = 0, usedKw = 0, opts: Record<string, unknown> | null = null;
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    let v: unknown, isKw = false;
    if (pos < n) v = args[pos];
    else if (kw) {
      v = kw[p.name];
      for (const alias of NUMPY_NAMES[p.name] ?? []) if (v === undefined) v = kw[alias];
      isKw = true;
    }
    // a hole in the positional arguments stands for None where None is accepted
    if (v === undefined && !isKw && p.nullable) v = null;
    if (v === undefined) {
      if (p.required) return missingArgs(sig, i);
      if (pos < n) pos++;
      continue;
    }
    if (Array.isArray(v)) {
      // the list's elements as PyTorch meets them: a Tensor list checks each (and raises at once),
      // an int list unpacks each after its first passed the check
      const bad = p.type === TYPES["Tensor[]"] ? v.findIndex((x) => !(x instanceof Tensor))
        : p.type === TYPES["int[]"] && v.length > 0 && intEl(v[0]) ? v.findIndex((x) => !intEl(x)) : -1;
      if (bad >= 0) {
        throw new TypeError(p.type === TYPES["Tensor[]"] ? `expected Tensor as element ${bad} in argument ${i}, but got ${pyTypeName(v[bad])}`
          : `${sig.name}(): argument '${p.name}' failed to unpack the object at pos ${bad + 1} with error "type must be tuple of ints,but got ${pyTypeName(v[bad])}"`);
      }
    }
    if (v === null && (p.nullable || p.type === TYPES.object)) setArg(p, i, null); // (a PyObject* takes None too)
    else if (v !== null && (p.type.check(v, p.size) || (sig.numbers[i] && isNumber(v)))) {
      // 0-d tensors given for numbers are read as numbers
      setArg(p, i, p.type.plain && !p.type.plain(v, p.size) ? (Array.isArray(v) ? v.map(item) : item(v)) : v);
    } else if (sig.varargs && i === 0 && !isKw && intEl(v)) {
      // sizes as varargs: zeros(2, 3) is zeros([2, 3])
      for (let k = 0; k < n; k++) if (!intEl(args[k]))
        return `${sig.name}(): argument '${p.name}' failed to unpack the object at pos ${k + 1} with error "type must be tuple of ints,but got ${pyTypeName(args[k])}"`;
      setArg(p, i, args.slice(0, n).map(item));
      pos = n;
      continue;
    } else {
      // (an int list whose first element failed: PyTorch names it, failed_idx 0)
      return `${sig.name}(): argument '${p.name}'${isKw ? "" : ` (position ${pos + 1})`} must be ${p.type.name}, ${!isKw && p.type === TYPES["int[]"] && Array.isArray(v) ? `but found element of type ${pyTypeName(v[0])} at pos 0` : `not ${pyTypeName(v)}`}`;
    }
    if (isKw) usedKw++; else pos++;
  }
  if (kw) {
    const keys = Object.keys(kw).filter((k) => kw[k] !== undefined);
    if (keys.length > usedKw) {
      for (const key of keys) {
        const i = params.findIndex((p) => p.name === key || NUMPY_NAMES[p.name]?.includes(key));
        if (i < 0) return `${sig.name}() got an unexpected keyword argument '${key}'`;
        if (i < n) return `${sig.name}() got multiple values for argument '${key}'`;
      }
    }
  }
  let m = Math.min(sig.nPos, vals.length);
  while (m > 0 && vals[m - 1] === undefined) m--;
  vals.length = m;
  if (opts) { while (vals.length < sig.nPos) vals.push(undefined); vals.push(opts); }
  return vals;

  function setArg(p: Param, i: number, v: unknown) {
    if (p.kwOnly) (opts ??= {})[p.name] = v;
    else vals[i] = v;
  }
}

const item = (x: unknown): unknown => (x instanceof Tensor ? x.item() : x);

/** Python's binding of a call to a `def`: too many positionals, then each keyword (unknown, or
 *  given twice), then what is missing. */
function bindPython(sig: Signature, args: readonly unknown[], n: number, kw: Record<string, unknown> | null): unknown[] | string {
  const params = sig.params;
  if (n > sig.nPos && !sig.star) return tooMany(sig, n);
  const given: unknown[] = new Array(params.length);
  for (let i = 0; i < Math.min(n, sig.nPos); i++) given[i] = args[i];
  let opts: Record<string, unknown> | null = null;
  if (kw) {
    for (const key of Object.keys(kw)) {
      const v = kw[key];
      if (v === undefined) continue;
      const i = params.findIndex((p) => p.name === key);
      if (i < 0) {
        if (sig.starstar) { (opts ??= {})[key] = v; continue; }
        return `${sig.name}() got an unexpected keyword argument '${key}'`;
      }
      if (i < n && !params[i]!.kwOnly) return `${sig.name}() got multiple values for argument '${key}'`;
      given[i] = v;
    }
  }
  const missing = params.filter((p, i) => p.required && !p.kwOnly && given[i] === undefined).map((p) => p.name);
  if (missing.length) return pyMissing(sig, missing, "positional");
  const missingKw = params.filter((p, i) => p.required && p.kwOnly && given[i] === undefined).map((p) => p.name);
  if (missingKw.length) return pyMissing(sig, missingKw, "keyword-only");
  // the implementation's arguments: the required ones in order and the optional ones given by
  // name (the options convention), or every positional-or-keyword one in order
  const out: unknown[] = [];
  for (let i = 0; i < params.length; i++) {
    const p = params[i]!;
    if (i < sig.nImplPos) out.push(given[i]);
    else if (given[i] !== undefined) (opts ??= {})[p.name] = given[i];
  }
  let m = out.length;
  while (m > 0 && out[m - 1] === undefined) m--;
  out.length = m;
  if (sig.star && n > sig.nPos) out.push(...args.slice(sig.nPos, n));
  if (opts) { while (!sig.star && out.length < sig.nImplPos) out.push(undefined); out.push(opts); }
  return out;
}

function tooMany(sig: Signature, n: number): string {
  if (!sig.python) {
    const lo = sig.nRequired, hi = sig.nPos;
    if (lo !== hi) return `${sig.name}() takes from ${lo} to ${hi} positional arguments but ${n} were given`;
    return `${sig.name}() takes ${hi} positional argument${hi === 1 ? "" : "s"} but ${n} ${n === 1 ? "was" : "were"} given`;
  }
  // Python counts self among a method's positional arguments
  const self = sig.name.includes(".") ? 1 : 0;
  const lo = sig.params.filter((p) => p.required && !p.kwOnly).length + self, hi = sig.nPos + self, got = n + self;
  const takes = lo === hi ? `${hi} positional argument${hi === 1 ? "" : "s"}` : `from ${lo} to ${hi} positional arguments`;
  return `${sig.name}() takes ${takes} but ${got} ${got === 1 ? "was" : "were"} given`;
}

/** PyTorch's missing_args, from parameter i on (its "argument%s" reads "arguments" for one). */
function missingArgs(sig: Signature, from: number): string {
  const names = sig.params.slice(from).filter((p) => p.required).map((p) => `"${p.name}"`);
  return `${sig.name}() missing ${names.length} required positional argument${names.length === 1 ? "s" : ""}: ${names.join(", ")}`;
}

function pyMissing(sig: Signature, names: string[], kind: string): string {
  const q = names.map((s) => `'${s}'`);
  const list = q.length <= 2 ? q.join(" and ") : `${q.slice(0, -1).join(", ")}, and ${q[q.length - 1]}`;
  return `${sig.name}() missing ${names.length} required ${kind} argument${names.length === 1 ? "" : "s"}: ${list}`;
}

/** PyTorch's format_invalid_args (torch/csrc/utils/invalid_arguments.cpp), which re-reads each
 *  printed signature by splitting it at ", " and its last space: so `()` counts as one argument
 *  and "bool keepdim = False" as the type "bool keepdim =" named "False"; the "didn't match"
 *  lines follow from that reading, and are reproduced with it. */
function invalidCombination(name: string, sigs: readonly Signature[], args: readonly unknown[], kw: Record<string, unknown> | null): string {
  let n = args.length;
  while (n > 0 && args[n - 1] === undefined) n--;
  const pos = args.slice(0, n), kwe = Object.entries(kw ?? {}).filter(([, v]) => v !== undefined);
  // (PyTorch drops the trailing ", " only when there are positional arguments)
  const desc = (parts: string[]) => `(${parts.join(", ")}${pos.length === 0 && kwe.length ? ", " : ""})`;
  const given = desc([...pos.map((v) => pyTypeName(v)), ...kwe.map(([k, v]) => `${k}=${pyTypeName(v)}`)]);
  const options = sigs.filter((s) => !s.hidden).map((s) => {
    const opt = s.repr.slice(1, -1).split(", ").map((a) => {
      const sp = a.lastIndexOf(" ");
      return { type: sp < 0 ? a : a.slice(0, sp), name: sp < 0 ? a : a.slice(sp + 1) };
    });
    const countMatch = pos.length + kwe.length === opt.length;
    const start = Math.max(0, opt.length - kwe.length);
    const badKw = kwe.filter(([k]) => !opt.slice(start).some((o) => o.name === k)).map(([k]) => k);
    const matches = (t: string, v: unknown) => {
      const py = pyTypeName(v);
      return t === "float" ? py === "float" || py === "int" : py === t;
    };
    const marked = () => desc([...pos, ...kwe.map(([, v]) => v)].map((v, i) => {
      const o = opt[i]!, s2 = (i >= pos.length ? `${o.name}=` : "") + (Array.isArray(v) ? `list of [${v.map((e) => pyTypeName(e)).join(", ")}]` : pyTypeName(v));
      return matches(o.type, v) ? s2 : `!${s2}!`;
    }));
    return { repr: s.repr, countMatch, badKw, marked };
  });
  const head = `${name}() received an invalid combination of arguments - `;
  if (options.length === 1) {
    const o = options[0]!;
    if (o.badKw.length) return `${head}got unrecognized keyword arguments: ${o.badKw.join(", ")}`;
    return `${head}got ${o.countMatch ? o.marked() : given}, but expected ${o.repr}`;
  }
  let msg = `${head}got ${given}, but expected one of:\n`;
  for (const o of options) {
    msg += ` * ${o.repr}\n`;
    if (!o.countMatch) continue;
    if (o.badKw.length) msg += `      didn't match because some of the keywords were incorrect: ${o.badKw.join(", ")}\n`;
    else msg += `      didn't match because some of the arguments have invalid types: ${o.marked()}\n`;
  }
  return msg;
}

/** Parses a call against a function's signatures (PythonArgParser::raw_parse): the implementation's
 *  arguments, or PyTorch's TypeError. */
export function parse(sigs: readonly Signature[], args: readonly unknown[]): readonly unknown[] {
  const n = args.length, last = n > 0 ? args[n - 1] : undefined;
  const kw = isKwargs(last) && !isValue(sigs[0]!, n - 1, last) ? last : null;
  const pos = kw ? args.slice(0, n - 1) : args;
  if (!kw) for (let i = 0; i < sigs.length; i++) if (!sigs[i]!.hidden && fitsAsIs(sigs[i]!, args)) return args;
  if (sigs.length === 1) {
    const r = bind(sigs[0]!, pos, kw);
    if (typeof r === "string") throw new TypeError(r);
    return r;
  }
  // the deprecated signatures are tried last (a call that fits a current one by keyword takes it)
  for (const s of sigs) {
    if (s.hidden) continue;
    const r = bind(s, pos, kw);
    if (typeof r !== "string") return r;
  }
  for (const s of sigs) if (s.hidden && typeof bind(s, pos, kw) !== "string") return deprecatedCall(sigs, s, pos, kw);
  // PythonArgParser::print_error: one plausible signature (by the number of arguments) gives its
  // own message, else the list of all
  let m = pos.length;
  while (m > 0 && pos[m - 1] === undefined) m--;
  const nArgs = m + (kw ? Object.values(kw).filter((v) => v !== undefined).length : 0);
  const plausible = sigs.filter((s) => !s.hidden && nArgs >= s.nRequired && nArgs <= s.params.length);
  if (plausible.length === 1) throw new TypeError(bind(plausible[0]!, pos, kw) as string);
  throw new TypeError(invalidCombination(sigs[0]!.name, sigs, pos, kw));
}

let deprecationWarned = false;
/** A call that fits only a deprecated signature (`add(alpha, other)`): its arguments by name, bound
 *  to the current signature that takes them all, as PyTorch's deprecated.yaml maps them; with
 *  PyTorch's warning (check_deprecated's TORCH_WARN_ONCE: the first such call in the process). */
function deprecatedCall(sigs: readonly Signature[], s: Signature, pos: readonly unknown[], kw: Record<string, unknown> | null): readonly unknown[] {
  const named: Record<string, unknown> = { ...kw };
  s.params.forEach((p, i) => { if (i < pos.length && pos[i] !== undefined) named[p.name] = pos[i]; });
  const current = sigs.filter((t) => !t.hidden);
  const target = current.find((t) => s.params.every((p) => t.params.some((q) => q.name === p.name)))!;
  if (!deprecationWarned) {
    deprecationWarned = true;
    console.warn(`UserWarning: This overload of ${s.name} is deprecated:\n\t${s.name}${s.repr}\nConsider using one of the following signatures instead:${
      current.map((t) => `\n\t${t.name}${t.repr}`).join("")}`);
  }
  const r = bind(target, [], named);
  if (typeof r === "string") throw new TypeError(r);
  return r;
}

/** Whether a trailing plain object is a Python-level function's next required argument (or one
 *  more of its *args) rather than its options: a dict such as torch.save's `obj` ({model,
 *  optimizer}) or a dict of primals for torch.func.vjp, told apart by a key that names no
 *  parameter. */
function isValue(sig: Signature, nPos: number, obj: Record<string, unknown>): boolean {
  if (!sig.python || sig.starstar) return false;
  const p = sig.params[nPos];
  const positional = (p !== undefined && p.required && !p.kwOnly) || (sig.star && nPos >= sig.nPos);
  return positional && Object.keys(obj).some((k) => !sig.params.some((q) => q.name === k));
}

/** The hot path: positional arguments that the signature takes as they are (no 0-d tensors to
 *  read, nothing to move into an options object). */
function fitsAsIs(sig: Signature, args: readonly unknown[]): boolean {
  const n = args.length;
  const params = sig.params;
  // sizes as varargs (view(2, 3)): the implementations take them as they are
  if (sig.varargs && n > 0 && typeof args[0] === "number") {
    for (let i = 0; i < n; i++) if (!isInt(args[i])) return false;
    for (let i = 1; i < params.length; i++) if (params[i]!.required) return false;
    return true;
  }
  if (n > sig.nPos) return false;
  if (sig.python) { // Python checks no types; with the options convention, optional ones move
    for (let i = 0; i < params.length; i++) {
      const p = params[i]!, given = i < n && args[i] !== undefined;
      if ((p.required && !given) || (given && i >= sig.nImplPos)) return false;
    }
    return true;
  }
  for (let i = 0; i < n; i++) {
    const v = args[i], p = params[i]!;
    if (v === undefined) { if (p.required) return false; continue; }
    if (v === null) { if (!p.nullable) return false; continue; }
    if (!p.fast(v)) return false;
  }
  for (let i = n; i < params.length; i++) if (params[i]!.required) return false;
  return true;
}

// ---------------------------------------------------------------------------------------------
// The public entry points: functions, methods and constructors wrapped with their signatures

import { SIGNATURES } from "./signatures.js";

/** How many leading parameters of a Python-level function its implementation takes by position,
 *  where that is not just the required ones (Note [Signatures]: the rest come in the options
 *  object); ALL_POSITIONAL: those whose implementation takes every positional-or-keyword parameter
 *  by position, in PyTorch's order, with PyTorch's defaults. */
const ALL_POSITIONAL = [
  "F.unfold", "F.fold", "nn.Unfold", "nn.Fold", "F.batch_norm", "F.layer_norm", "F.group_norm", "F.instance_norm",
  "F.affine_grid", "F.grid_sample", "F.pad", "F.interpolate", "F.upsample", "F.upsample_nearest", "F.upsample_bilinear",
  "nn.Upsample", "nn.UpsamplingNearest2d", "nn.UpsamplingBilinear2d", "nn.PairwiseDistance", "nn.CosineSimilarity", "nn.RReLU",
  "nn.BatchNorm1d", "nn.BatchNorm2d", "nn.InstanceNorm1d", "nn.InstanceNorm2d", "nn.LayerNorm", "nn.GroupNorm",
  "nn.MaxPool1d", "nn.MaxPool2d", "nn.AvgPool1d", "nn.AvgPool2d", "nn.Conv1d", "nn.Conv2d", "nn.ConvTranspose1d", "nn.ConvTranspose2d",
  "F.relu", "F.relu6", "F.selu", "F.threshold", "F.hardtanh", "F.leaky_relu", "F.elu", "F.celu", "F.dropout", "F.dropout1d",
  "F.dropout2d", "F.silu", "F.mish", "F.hardswish", "F.hardsigmoid", "F.rrelu", "F.embedding", "F.normalize",
  "nn.RNNCell", "nn.LSTMCell", "nn.GRUCell", "nn.MultiheadAttention", "nn.RNNBase", "F.max_pool1d", "F.max_pool2d",
  "F.max_pool1d_with_indices", "F.max_pool2d_with_indices", "F.adaptive_max_pool1d", "F.adaptive_max_pool2d", "F.softmax",
  "F.log_softmax", "F.softmin", "nn.AdaptiveMaxPool1d", "nn.AdaptiveMaxPool2d", "nn.Transformer", "nn.TransformerEncoderLayer", "nn.TransformerDecoderLayer",
  "nn.TransformerEncoder", "nn.TransformerDecoder", "F.rms_norm", "nn.RMSNorm", "F.alpha_dropout", "F.feature_alpha_dropout",
  "nn.Conv3d", "nn.ConvTranspose3d", "nn.MaxPool3d", "nn.AvgPool3d", "nn.AdaptiveMaxPool3d", "F.max_pool3d", "F.max_pool3d_with_indices",
  "F.adaptive_max_pool3d", "F.adaptive_max_pool3d_with_indices", "F.max_unpool1d", "F.max_unpool2d", "F.max_unpool3d", "nn.MaxUnpool1d",
  "nn.MaxUnpool2d", "nn.MaxUnpool3d", "nn.BatchNorm3d", "nn.InstanceNorm3d", "F.dropout3d", "F.lp_pool1d", "F.lp_pool2d", "F.lp_pool3d",
  "nn.LPPool1d", "nn.LPPool2d", "nn.LPPool3d", "F.adaptive_max_pool1d_with_indices", "F.adaptive_max_pool2d_with_indices",
  "F.local_response_norm", "nn.LocalResponseNorm",
  ...["uniform_", "normal_", "trunc_normal_", "constant_", "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_",
    "kaiming_normal_", "orthogonal_", "sparse_", "calculate_gain"].map((n) => `nn.init.${n}`),
];
const POSITIONAL = new Map<string, number>([
  ...ALL_POSITIONAL.map((k): [string, number] => [k, Infinity]),
  ["torch.split", Infinity], ["Tensor.split", Infinity], ["Tensor.backward", 1],
  // (torch.vmap is torch.func.vmap)
  ["func.vmap", 4], ["func.grad", 3], ["func.grad_and_value", 3], ["func.jacrev", 2], ["func.jacfwd", 2],
  ["func.hessian", 2], ["func.functional_call", 4], ["autograd.grad", 2], ["autograd.backward", 2],
]);
/** Names whose meaning in typetorch is its own (shared/API.md §2: x.index(...) is Python's
 *  x[...]; torch.save(obj) without a file returns the bytes), not PyTorch's function's. */
const OWN_MEANING = new Set(["Tensor.index", "Tensor.index_put_", "Tensor.index_put", "torch.index_put_", "torch.index_put", "torch.save"]);

const compiled = new Map<string, readonly Signature[] | null>();
/** The compiled signatures of a public name ("torch.stack", "Tensor.add", "nn.Conv2d" …), or
 *  null where PyTorch has none to enforce. `asDeclared`: without the number on the left of a
 *  binary torch.* function (Note [Number on the left] in ops/elementwise.ts), as PyTorch declares
 *  them: what a call with out= binds by (ops/out.ts), torch.remainder(2.5, t, {out}) fitting none. */
export function signaturesOf(key: string, asDeclared = false): readonly Signature[] | null {
  const cacheKey = asDeclared ? `${key} (as declared)` : key;
  let s = compiled.get(cacheKey);
  if (s === undefined) {
    const texts = SIGNATURES[key];
    // (a module's forward takes every parameter by position: Note [Module forwards];
    // (so do nn.utils' functions, written with PyTorch's parameters and defaults)
    const positional = POSITIONAL.get(key) ?? (key.endsWith(".forward") || key.startsWith("utils.") ? Infinity : undefined);
    s = texts && !OWN_MEANING.has(key) ? texts.map((t) => compileSignature(t, positional, !asDeclared && key.startsWith("torch."))) : null;
    compiled.set(cacheKey, s);
  }
  return s;
}

type Fn = (...args: never[]) => unknown;

const parsedCallables = new WeakSet<object>();
/** Whether a public callable is one of the parser's wrappers (for the test that none is missed). */
export const isParsed = (f: unknown): boolean => typeof f === "function" && parsedCallables.has(f);

/** The prefixes of a parameter list, each followed by the options object: the calls that name
 *  the remaining parameters (`split(1, {dim: 1})`, `stack(ts, {dim: 1})`). */
type Prefixes<P extends readonly unknown[]> =
  number extends P["length"] ? (P extends readonly [infer H, ...infer T] ? [] | [H, ...Prefixes<T>] : []) :
  P extends readonly [] ? [] :
  P extends readonly [infer H, ...infer T] ? [] | [H, ...Prefixes<T>] :
  P extends readonly [(infer H)?, ...infer T] ? [] | [H, ...Prefixes<T>] :
  [];
export type KwArgs<P extends readonly unknown[]> = [...Prefixes<P>, Kwargs | undefined];
/** F, also callable with any trailing part of its parameters named in an options object. */
export type WithKwargs<F> = F extends (...args: infer P) => infer R ? F & ((...args: KwArgs<P>) => R) : F;
/** The same with the options form first, so that F's own signature stays the last one, which is
 *  the one `infer` reads: for torch.*'s functions, which ops/out.ts's WithOut wraps again. */
export type KwargsFirst<F> = F extends (...args: infer P) => infer R ? ((...args: KwArgs<P>) => R) & F : F;
/** The same for a class's constructor. */
export type CtorWithKwargs<C> = C extends abstract new (...args: infer P) => infer I ? C & (new (...args: KwArgs<P>) => I) : C;

/** Note [Boolean dispatch]: F.max_pool1d/2d/3d and F.adaptive_max_pool1d/2d/3d are PyTorch's
 *  boolean_dispatch wrappers: the flag return_indices (by name, or by position at this index)
 *  picks the function that binds the arguments, max_pool2d_with_indices when true, _max_pool2d
 *  when false, so that is the name a call that fits neither gets in its TypeError. */
const BOOLEAN_DISPATCH = new Map<string, number>([
  ["F.max_pool1d", 6], ["F.max_pool2d", 6], ["F.max_pool3d", 6], ["F.adaptive_max_pool1d", 2], ["F.adaptive_max_pool2d", 2], ["F.adaptive_max_pool3d", 2],
]);

/** For a boolean-dispatched key, the signatures a call's arguments bind by: named as the function
 *  its flag picks (both renamings made once); null for any other key. */
function booleanDispatch(key: string, sigs: readonly Signature[]): ((args: readonly unknown[]) => readonly Signature[]) | null {
  const index = BOOLEAN_DISPATCH.get(key);
  if (index === undefined) return null;
  const name = key.slice(2);
  const ifTrue = sigs.map((s) => ({ ...s, name: `${name}_with_indices` })), ifFalse = sigs.map((s) => ({ ...s, name: `_${name}` }));
  return (args) => {
    const last = args[args.length - 1];
    const named = isKwargs(last) && "return_indices" in last ? (last as Kwargs)["return_indices"] : undefined;
    const flag = named !== undefined ? named : index < args.length - (isKwargs(last) ? 1 : 0) ? args[index] : false;
    return flag ? ifTrue : ifFalse;
  };
}

/** `fn` parsed by the signatures of `key` (unchanged where the table has none). */
export function parsedFunction<F extends Fn>(key: string, fn: F): KwargsFirst<F> {
  const sigs = signaturesOf(key);
  if (!sigs) return fn as KwargsFirst<F>;
  const dispatch = booleanDispatch(key, sigs);
  const f = fn as unknown as (...a: unknown[]) => unknown;
  // (inside vmap, a call on a batched tensor goes to its batching rule, Note [Batched tensors];
  // nn.functional's are dispatched by nn/F.ts, on the library's own calls too)
  // (torch.linalg's by their aten names: linalg_det)
  const op = key.startsWith("torch.") ? key.slice(6) : key.startsWith("linalg.") ? `linalg_${key.slice(7)}` : null;
  const wrapped = { [fn.name || key]: (...args: unknown[]) => {
    const a = parse(dispatch ? dispatch(args) : sigs, args) as unknown[];
    return op !== null && levels.length > 0 && hasBatched(a) ? callBatched(op, fn, a) : f(...a);
  } }[fn.name || key]!;
  return markParsed(wrapped) as unknown as KwargsFirst<F>;
}

/** The parser of Tensor.prototype[name]'s arguments (the tensor itself not among them), or null
 *  where PyTorch declares none. ops/util.ts's installMethods calls it before the op. */
export function methodParser(name: string): ((args: unknown[]) => readonly unknown[]) | null {
  const sigs = signaturesOf(`Tensor.${name}`);
  if (!sigs) return null;
  if (sigs.length === 1 && sigs[0]!.params.length === 0 && !sigs[0]!.star) // METH_NOARGS
    return (args) => {
      if (args.length) throw new TypeError(`TensorBase.${name}() takes no arguments (${args.length} given)`);
      return args;
    };
  return (args) => parse(sigs, args);
}

/** Marks a public callable as one of the parser's (for the test that none is missed). */
export const markParsed = <T extends object>(f: T): T => { parsedCallables.add(f); return f; };

/** Every function of a namespace module parsed by the signatures `prefix.name` (torch.nn.functional
 *  is `parsedNamespace("F", F)`). */
export type ParsedNamespace<M> = { [K in keyof M]: WithKwargs<M[K]> };
/** torch.*'s functions of an op module (torch.ts), typed for ops/out.ts's WithOut (KwargsFirst). */
export const parsedTorchFunctions = <M extends object>(mod: M): { [K in keyof M]: KwargsFirst<M[K]> } =>
  parsedNamespace("torch", mod) as unknown as { [K in keyof M]: KwargsFirst<M[K]> };
export function parsedNamespace<M extends object>(prefix: string, mod: M): ParsedNamespace<M> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) out[k] = typeof v === "function" && !/^[A-Z]/.test(k) ? parsedFunction(`${prefix}.${k}`, v as Fn) : v;
  return out as ParsedNamespace<M>;
}

/** The functions parsedForward replaced, by their wrappers: a subclass that inherits a parsed
 *  forward wraps the function itself, so that a call is parsed once. */
const rawForwards = new WeakMap<object, (...a: unknown[]) => unknown>();

/** Note [Module forwards]: `module(*args, **kwargs)` binds the arguments to the module's forward as
 *  Python binds any call, so `lstm(input, {hx})`, `mha(q, k, v, {need_weights: false})` and
 *  `loss_fn({input, target})` name PyTorch's parameters of forward (its declared signature,
 *  `nn.LSTM.forward` in the table), and a call that fits it gets Python's TypeError. The
 *  implementation takes every parameter by position, in PyTorch's order. The class's own prototype
 *  is changed, not a subclass's: the library's own instances (a Transformer's layers) are called
 *  as users call them, and `model(x)` reaches forward through Module._call_impl. A user's subclass
 *  that defines its own forward keeps it as written. */
function parsedForward(key: string, cls: abstract new (...args: never[]) => object): void {
  const sigs = signaturesOf(`${key}.forward`);
  const proto = cls.prototype as { forward?: (...a: unknown[]) => unknown };
  const fwd = proto.forward;
  if (!sigs || typeof fwd !== "function" || (parsedCallables.has(fwd) && Object.prototype.hasOwnProperty.call(proto, "forward"))) return;
  const raw = rawForwards.get(fwd) ?? fwd;
  const forward = function (this: object, ...args: unknown[]) { return raw.apply(this, parse(sigs, args) as unknown[]); };
  rawForwards.set(forward, raw);
  Object.defineProperty(proto, "forward", { value: markParsed(forward), writable: true, configurable: true });
}

/** A class whose constructor is parsed by the signatures of `key`: a subclass with the same name,
 *  so `instanceof`, `extends` and printing are unchanged; its forward too, where PyTorch declares
 *  one (Note [Module forwards]). */
export function parsedClass<C extends abstract new (...args: never[]) => object>(key: string, cls: C): CtorWithKwargs<C> {
  parsedForward(key, cls);
  const found = signaturesOf(key);
  if (!found) return cls as CtorWithKwargs<C>;
  const sigs = found;
  const Base = cls as unknown as new (...a: unknown[]) => object;
  const Parsed = class extends Base {
    constructor(...args: unknown[]) { super(...parse(sigs, args)); }
    // the library's own instances (made with the class itself: a MultiheadAttention's out_proj)
    // are instances of the public class too, as `isinstance(m, nn.Linear)` holds for them in
    // Python; a user's subclass keeps the ordinary check
    static override [Symbol.hasInstance](obj: unknown): boolean {
      return this === Parsed ? obj instanceof Base : Function.prototype[Symbol.hasInstance].call(this, obj);
    }
  };
  Object.defineProperty(Parsed, "name", { value: cls.name });
  return markParsed(Parsed) as unknown as CtorWithKwargs<C>;
}

export type ParsedClasses<M> = { [K in keyof M]: CtorWithKwargs<M[K]> };
/** Every class of a module, parsed by the signatures `prefix.Name` (nn's modules are
 *  `parsedClasses("nn", conv)`). */
export function parsedClasses<M extends object>(prefix: string, mod: M): ParsedClasses<M> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(mod)) out[k] = typeof v === "function" && /^[A-Z]/.test(k) ? parsedClass(`${prefix}.${k}`, v as new () => object) : v;
  return out as ParsedClasses<M>;
}
