// Python's print() for the tutorials in this folder, so that each example prints exactly what
// the same program prints under PyTorch (test/examples.test.ts compares the two).
//
// Tensors, autograd nodes and modules already print PyTorch's repr through String(x)
// (shared/API.md §6); what is left is Python's own formatting of plain values:
//   print(a, b, …)  joins str() of each argument with a space, as Python's print does;
//   str(true)       "True"; null and undefined "None"; strings as they are;
//   numbers         integral numbers print as Python ints ("99"), others as Python floats;
//   pyfloat(x)      Python's repr of a float, for a number that is a float in Python even
//                   when it is integral: pyfloat(4.5) "4.5", pyfloat(-36) "-36.0",
//                   pyfloat(1e-5) "1e-05", pyfloat(6.652637694060104e-7) "6.652637694060104e-07";
//   arrays          print as Python tuples: [[node, 0]] "((<AddBackward0 object>, 0),)";
//   list(xs)        a Python list: list(["a", 1]) "['a', 1]", its items by repr (strings quoted
//                   as Python quotes them: 'When', "beauty's"; arrays inside still as tuples);
//   Map             a Python dict, in insertion order as Python's: "{'The': 0, 'dog': 1}";
//   float(x)        a number that Python holds as a float, for inside lists: list([float(36)])
//                   "[36.0]" (pyfloat() gives the same text, but as a string it would be quoted);
//   ndarray(a)      a NumPy array as NumPy prints it, for what t.numpy() returns ({data, shape}):
//                   ndarray(torch.ones(3).numpy()) "[1. 1. 1.]" (one dim, whole numbers: the
//                   tutorials' NumPy bridge);
//   namespace(o)    an argparse.Namespace: namespace({lr: 0.5, outf: "."}) "Namespace(lr=0.5, outf='.')";
//   fixed(x, n)     Python's f"{x:.nf}": as toFixed(n), but a tie goes to the even digit as in
//                   Python ("{:.0f}".format(12.5) is "12", (12.5).toFixed(0) "13").

import torch from "typetorch";

/** Python's repr(float): the shortest digits that read back as `x` (the same digits JavaScript
 *  picks), laid out as Python does: positional for 1e-4 <= |x| < 1e16 with at least one digit
 *  after the point, scientific otherwise with a sign and at least two digits in the exponent. */
export function pyfloat(x: number): string {
  if (Number.isNaN(x)) return "nan";
  if (!Number.isFinite(x)) return x > 0 ? "inf" : "-inf";
  if (x === 0) return Object.is(x, -0) ? "-0.0" : "0.0";
  const sign = x < 0 ? "-" : "";
  // toExponential() with no argument gives as many digits as it takes to identify the value
  const [mant, exp] = Math.abs(x).toExponential().split("e") as [string, string];
  const digits = mant.replace(".", "");
  const e = Number(exp); // x = d.ddd × 10^e
  if (e < -4 || e >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const ee = Math.abs(e) < 10 ? `0${Math.abs(e)}` : `${Math.abs(e)}`;
    return `${sign}${m}e${e < 0 ? "-" : "+"}${ee}`;
  }
  if (e < 0) return `${sign}0.${"0".repeat(-e - 1)}${digits}`;
  const int = digits.slice(0, e + 1).padEnd(e + 1, "0");
  const frac = digits.slice(e + 1) || "0";
  return `${sign}${int}.${frac}`;
}

/** Python's f"{x:.{digits}f}": the exact value of `x` rounded to `digits` decimals, a tie to the
 *  even digit (toFixed rounds a tie away from zero). A tie needs x to end exactly in a 5 one digit
 *  past `digits`, which its 100-digit expansion shows (exact for every |x| >= 2^-46 or so). */
export function fixed(x: number, digits: number): string {
  const s = x.toFixed(digits);
  if (!Number.isFinite(x) || Math.abs(x) >= 1e21) return s;
  const long = Math.abs(x).toFixed(100);
  const cut = long.indexOf(".") + 1 + digits;
  if (!/^50*$/.test(long.slice(cut))) return s;
  // the tie: keep the truncated digits where the last one is even
  const truncated = long.slice(0, digits === 0 ? cut - 1 : cut);
  if (Number(truncated.at(-1)) % 2 !== 0) return s;
  return (x < 0 ? "-" : "") + truncated; // a negative tie keeps its sign, as Python: "-0"
}

/** Python's repr() of a str: single quotes, unless it holds a single quote and no double one. */
function reprString(s: string): string {
  const q = s.includes("'") && !s.includes('"') ? '"' : "'";
  const body = s.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/\t/g, "\\t").replace(/\r/g, "\\r");
  return q + (q === "'" ? body.replace(/'/g, "\\'") : body) + q;
}

/** Python's repr() of a value inside a tuple, list or dict (strings get quotes). */
function repr(x: unknown): string {
  return typeof x === "string" ? reprString(x) : str(x);
}

/** A Python list (JavaScript arrays print as tuples): see list(). */
class PyList {
  constructor(readonly items: readonly unknown[]) {}
  toString(): string {
    return `[${this.items.map(repr).join(", ")}]`;
  }
}

/** Python's list(xs): prints as `[a, b, …]`, each item by repr(). */
export function list(items: readonly unknown[]): PyList {
  return new PyList(items);
}

/** A Python float: prints as pyfloat(x) does, unquoted inside lists, tuples and dicts. */
class PyFloat {
  constructor(readonly value: number) {}
  toString(): string {
    return pyfloat(this.value);
  }
}

/** The number `x` as a Python float (`36` prints "36.0"), for a list of floats: list(xs.map(float)). */
export function float(x: number): PyFloat {
  return new PyFloat(x);
}

/** A NumPy array: prints as NumPy's str() of it; see ndarray(). */
class NdArray {
  constructor(readonly array: { data: ArrayLike<number | bigint>; shape: readonly number[]; dtype: string }) {}
  toString(): string {
    const { data, shape, dtype } = this.array;
    const values = Array.from(data, Number);
    // (what the tutorials print: a vector of whole numbers, "1." for a float, "1" for an int)
    if (shape.length !== 1 || !values.every(Number.isInteger)) throw new Error("ndarray(): only vectors of whole numbers print here");
    return `[${values.map((v) => (dtype.startsWith("float") ? `${v}.` : `${v}`)).join(" ")}]`;
  }
}

/** The NumPy array `a` (what t.numpy() returns, sharing the tensor's memory) as NumPy prints it. */
export function ndarray(a: { data: ArrayLike<number | bigint>; shape: readonly number[]; dtype: string }): NdArray {
  return new NdArray(a);
}

/** An argparse.Namespace: prints as Python's repr of one, its attributes in insertion order. */
class PyNamespace {
  constructor(readonly attrs: Record<string, unknown>) {}
  toString(): string {
    return `Namespace(${Object.entries(this.attrs).map(([k, v]) => `${k}=${repr(v)}`).join(", ")})`;
  }
}

/** The options `attrs` as the argparse.Namespace a Python program prints (print(opt)). */
export function namespace(attrs: Record<string, unknown>): PyNamespace {
  return new PyNamespace(attrs);
}

/** Python's str() of a value, as the examples print them. */
export function str(x: unknown): string {
  if (typeof x === "string") return x;
  if (typeof x === "boolean") return x ? "True" : "False";
  if (x === null || x === undefined) return "None";
  if (typeof x === "number") return Number.isInteger(x) ? String(x) : pyfloat(x);
  // torch.Size and torch.return_types.*: arrays that print as PyTorch's (String(x))
  if (Array.isArray(x) && Object.hasOwn(x, "toString")) return String(x);
  if (Array.isArray(x)) return x.length === 1 ? `(${repr(x[0])},)` : `(${x.map(repr).join(", ")})`;
  if (x instanceof Map) return `{${[...x].map(([k, v]) => `${repr(k)}: ${repr(v)}`).join(", ")}}`;
  return String(x);
}

/** Python's print(*args). */
export function print(...args: unknown[]): void {
  console.log(args.map(str).join(" "));
}
