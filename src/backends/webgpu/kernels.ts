// The WebGPU device's kernels, in WGSL: the backend interface (../backend.ts) for tensors on the
// device. Results are new tensors on the device; a kernel declines (null / false) what it has no
// shader for, and the dispatcher then runs the reference through the CPU (Note [Device fallback]
// in ../index.ts).
//
// Note [Elementwise shaders]: every elementwise kernel (unary, binary, where, copies and casts,
// fill) comes from one description: an expression over its operands, each read through its own
// offset and strides over the output's shape, collapsed to four dims (../strides.ts) and passed as
// parameters, so broadcasting, transposes and slices cost nothing but index arithmetic, and one
// pipeline serves every shape. An operand that is a one-element CPU tensor (a Python scalar the
// op wrapped) travels in the parameters instead of a buffer.

import { Tensor } from "../../core/tensor.js";
import { type DType, float32, int32, int64, bool } from "../../core/dtype.js";
import { type Shape, numel, contiguousStrides, expandStrides } from "../../core/shape.js";
import { webgpu as webgpuDevice } from "./device.js";
import type { Kernels, ReduceKind, SgdStep, AdamStep, AdadeltaStep, Window2d } from "../backend.js";
import { collapse } from "../strides.js";
import { wgslType } from "./memory.js";
import type { GpuBuffer } from "./runtime.js";
import { maxPool2d, maxPool2dBackward, avgPool2d } from "./pool_kernels.js";
import { gather, scatterInto, scatterReduceInto, indexAdd, indexSelect } from "./index_kernels.js";
import { lstmCell, lstmCellBackward, gruCell, gruCellBackward } from "./rnn_kernels.js";
import { SPECIAL_UNARY, SPECIAL_UNARY_PARAMS, SPECIAL_BINARY, specialFor } from "./special_kernels.js";
import { layerNorm, layerNormBackward } from "./norm_kernels.js";
import { WG, rt, mem, onDevice, deviceEmpty, deviceFrom, groups, bitsOf, header, paramsBinding, coords, perElement, ATOMIC_ADD_F32, WORKGROUP_REDUCE } from "./shader.js";

export { deviceEmpty, deviceFrom };

// ---- elementwise (Note [Elementwise shaders]) -------------------------------------------------

/** An operand of an elementwise kernel: a strided tensor on the device, or a scalar (read in the
 *  compute type, or with `own` in its own type). */
type Operand = { t: Tensor; ty: "f32" | "i32" } | { scalar: number; ty: "f32" | "i32"; own?: boolean };

function operand(t: Tensor): Operand | null {
  if (onDevice(t)) return { t, ty: wgslType(t.dtype) };
  if (t.numel() !== 1 || t.dtype.itemsize > 4 && t.dtype !== int64) return null;
  return { scalar: Number(t._read(t._offset)), ty: t.dtype.is_floating_point ? "f32" : "i32" };
}

/** Runs `expr` (over a, b, c, d, e: the operands converted to the compute type `ct`) into `out` (a
 *  strided view on the device; its elements outside the view stay). */
function elementwise(name: string, expr: string, ct: "f32" | "i32", out: Tensor, ops: Operand[]): void {
  const shape = out._shape, n = numel(shape);
  if (n === 0) return;
  const strided = ops.map((o) => ("t" in o ? expandStrides(o.t._shape, o.t._strides, shape) : shape.map(() => 0)));
  const c = collapse(shape, [out._strides, ...strided]);
  if (c === null) throw new Error("unreachable: elementwise operands are collapsed by the caller");
  const [dims, st] = c;
  // one run (the usual dense case): the index is the position along it, with no divisions
  const flat = dims[0] === 1 && dims[1] === 1 && dims[2] === 1;
  const at = (base: number) => flat ? `P(${base}u) + c3 * P(${base + 4}u)`
    : `P(${base}u) + c0 * P(${base + 1}u) + c1 * P(${base + 2}u) + c2 * P(${base + 3}u) + c3 * P(${base + 4}u)`;
  const oty = wgslType(out.dtype);
  const key = ops.map((o) => ("t" in o ? o.ty : `s${o.ty}`)).join(",");
  const nParams = 5 + 5 * (1 + ops.length);
  const letters = "abcde";
  let binding = 1, body = "";
  const decls: string[] = [`@group(0) @binding(0) var<storage, read_write> y: array<${oty}>;`];
  ops.forEach((o, k) => {
    const base = 5 + 5 * (k + 1), L = letters[k]!;
    if ("t" in o) {
      decls.push(`@group(0) @binding(${binding++}) var<storage, read> in_${L}: array<${o.ty}>;`);
      body += `  let ${L} = ${ct}(in_${L}[u32(${at(base)})]);\n`;
    } else body += `  let ${L} = ${o.own ? o.ty : ct}(${o.ty === "f32" ? "PF" : "P"}(${base}u));\n`;
  });
  const store = oty === ct ? "v" : oty === "i32" && out.dtype === bool ? (ct === "f32" ? "select(0, 1, nz_(v))" : "select(0, 1, v != 0)") : `${oty}(v)`;
  const code = `// ${name} (${ct}, ${key} -> ${oty})
${header(nParams)}${decls.join("\n")}
${paramsBinding(binding)}${PRELUDE}
${specialFor(expr)}@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let i = (wid.x + wid.y * nwg.x) * ${WG}u + li;
  if (i >= u32(P(0u))) { return; }
${flat ? "  let c3 = i32(i);\n" : coords("i", 1)}${body}${expr.includes("yo") ? `  let yo = ${ct}(y[u32(${at(5)})]);\n` : ""}  let v = ${expr};
  y[u32(${at(5)})] = ${store};
}`;
  const params = new Int32Array(nParams);
  params[0] = n;
  params.set(dims, 1);
  params[5] = out._offset; params.set(st[0]!, 6);
  const bufs: GpuBuffer[] = [mem(out).written()];
  ops.forEach((o, k) => {
    const base = 5 + 5 * (k + 1);
    if ("t" in o) { params[base] = o.t._offset; params.set(st[k + 1]!, base + 1); bufs.push(mem(o.t).read()); }
    else params[base] = bitsOf(o.scalar, o.ty);
  });
  rt().dispatch(rt().kernel(code), bufs, params, groups(n));
}

/** Functions the expressions call: WGSL has no erf, its pow and log are undefined for a negative
 *  argument (and log(0) may be finite), and its sin and cos need only be within 2^-11 (SwiftShader's
 *  are that far off). */
const PRELUDE = `fn erf_(x: f32) -> f32 {
  // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7)
  let t = 1.0 / (1.0 + 0.3275911 * abs(x));
  let y = 1.0 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * exp(-x * x);
  return select(-y, y, x >= 0.0);
}
fn pow_(a: f32, b: f32) -> f32 {
  // C's pow at the edges: 1 for b == 0 or a == 1 (NaN or not), and for a == -1 with b infinite
  if (b == 0.0 || a == 1.0 || (abs(a) == 1.0 && abs(b) == bitcast<f32>(INF_BITS))) { return 1.0; }
  if (isnan_(a) || isnan_(b)) { return bitcast<f32>(NAN_BITS); }
  let m = pow(abs(a), b);
  if ((bitcast<u32>(a) >> 31u) == 0u) { return m; }
  // a negative base (or -0): NaN for a fractional exponent (but -inf's and -0's), the sign of an odd one
  if (b != trunc(b)) { return select(bitcast<f32>(NAN_BITS), m, abs(a) == bitcast<f32>(INF_BITS) || a == 0.0); }
  return select(m, -m, abs(b) < 16777216.0 && (i32(b) & 1) == 1);
}
fn nan_() -> f32 { return bitcast<f32>(NAN_BITS); }
fn inf_() -> f32 { return bitcast<f32>(INF_BITS); }
// the natural logarithm (base 2: log2_) with C's edges: -inf at ±0, NaN below 0
fn logEdges_(x: f32, l: f32) -> f32 { return select(select(l, -bitcast<f32>(INF_BITS), x == 0.0), nan_(), x < 0.0); }
fn log_(x: f32) -> f32 { return logEdges_(x, log(x)); }
fn log2_(x: f32) -> f32 { return logEdges_(x, log2(x)); }
// log(1 + x) without losing x's digits: log(u) scaled by x / (u - 1), the rounding of u = 1 + x
fn log1p_(x: f32) -> f32 {
  let u = 1.0 + x;
  if (u == 1.0 || u == inf_()) { return select(u, x, u == 1.0); }
  return log_(u) * (x / (u - 1.0));
}
// exp(x) - 1 likewise (Kahan's)
fn expm1_(x: f32) -> f32 {
  let u = exp(x);
  if (u == 1.0 || u == inf_()) { return select(u, x, u == 1.0); }
  let m = u - 1.0;
  return select(m * x / log(u), -1.0, m == -1.0);
}
// sin and cos within an ulp or two (Cephes' sinf and cosf): x less the nearest multiple q of π/2
// (π/2 in three parts, exact products for |q| < 2^15; past that the GPU's own), the polynomials on
// [-π/4, π/4], and q's quadrant picking which of them, with which sign
fn sincos_(x: f32) -> vec2<f32> {
  let q = round(x * 0.6366197723675814);
  if (abs(q) >= 32768.0) { return vec2(sin(x), cos(x)); }
  let r = select(((x - q * 1.5703125) - q * 4.837512969970703125e-4) - q * 7.549789948768648e-8, x, q == 0.0); // (x: -0 stays -0)
  let z = r * r;
  let s = r + r * z * (-1.6666654611e-1 + z * (8.3321608736e-3 + z * -1.9515295891e-4));
  let c = 1.0 - 0.5 * z + z * z * (4.166664568298827e-2 + z * (-1.388731625493765e-3 + z * 2.443315711809948e-5));
  switch (i32(q - 4.0 * floor(q * 0.25))) {
    case 0: { return vec2(s, c); }
    case 1: { return vec2(c, -s); }
    case 2: { return vec2(-s, -c); }
    default: { return vec2(-c, s); }
  }
}
fn sin_(x: f32) -> f32 { return sincos_(x).x; }
fn cos_(x: f32) -> f32 { return sincos_(x).y; }
fn gelu_tanh_grad_(x: f32) -> f32 {
  let t = tanh_(0.7978845608028654 * (x + 0.044715 * x * x * x));
  return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * 0.7978845608028654 * (1.0 + 3.0 * 0.044715 * x * x);
}
fn isclose_(x: f32, y: f32, rtol: f32, atol: f32, equalNan: f32) -> f32 {
  if (isnan_(x) || isnan_(y)) { return select(0.0, 1.0, equalNan != 0.0 && isnan_(x) && isnan_(y)); }
  if (x == y) { return 1.0; }
  if ((bitcast<u32>(x) & 0x7f800000u) == 0x7f800000u || (bitcast<u32>(y) & 0x7f800000u) == 0x7f800000u) { return 0.0; }
  return select(0.0, 1.0, abs(x - y) <= atol + rtol * abs(y));
}
// log(e^a + e^b), or ln 2 · log2(2^a + 2^b) with s = ln 2: the larger plus the log of 1 + the other's share
fn logaddexp_(a: f32, b: f32, s: f32) -> f32 {
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  if (a == b && (bitcast<u32>(a) & 0x7f800000u) == 0x7f800000u) { return a * s; }
  return max(a, b) * s + log(1.0 + exp(-abs(a - b) * s));
}
// integer division as Python's (floor) and its remainder; a zero divisor gives WGSL's a / 0 = a and
// a % 0 = 0 where the CPU raises ZeroDivisionError (a device cannot raise without reading back)
fn floordiv_(a: i32, b: i32) -> i32 {
  let q = a / b;
  return select(q, q - 1, b != 0 && q * b != a && (a < 0) != (b < 0));
}
fn remainder_(a: i32, b: i32) -> i32 {
  let r = a % b;
  return select(r, r + b, r != 0 && (r < 0) != (b < 0));
}
// a^b by squaring, wrapping at 32 bits (Note [WebGPU element types]); a negative exponent gives what
// the CPU's integer pow does: 1 for a base of 1, ±1 for -1, else 0
fn ipow_(a: i32, b: i32) -> i32 {
  if (b < 0) { return select(select(0, select(1, -1, (b & 1) == 1), a == -1), 1, a == 1); }
  var r = 1;
  var base = a;
  var e = b;
  loop {
    if (e == 0) { break; }
    if ((e & 1) == 1) { r = r * base; }
    base = base * base;
    e = e >> 1u;
  }
  return r;
}
fn gcd_(x: i32, y: i32) -> i32 {
  var a = abs(x);
  var b = abs(y);
  loop {
    if (a == 0) { break; }
    let c = a;
    a = b % a;
    b = c;
  }
  return b;
}
fn lcm_(x: i32, y: i32) -> i32 {
  let g = gcd_(x, y);
  return select(abs((x / max(g, 1)) * y), 0, g == 0);
}
// a·2^b for an integral b, as C's scalbn: on the bits, since a GPU may flush subnormals (in a's
// and in the result) to zero; the result rounded once, to nearest even, where it is subnormal
fn ldexp_(a: f32, b: f32) -> f32 {
  let u = bitcast<u32>(a);
  let sgn = u & 0x80000000u;
  var E = i32((u >> 23u) & 0xffu);
  var F = u & 0x7fffffu;
  if (E == 255 || (E == 0 && F == 0u)) { return a; }
  if (E == 0) { // a subnormal: normalised, its exponent below 1
    loop { if ((F & 0x800000u) != 0u) { break; } F = F << 1u; E = E - 1; }
    E = E + 1;
  } else { F = F | 0x800000u; }
  let N = E + i32(clamp(b, -1000.0, 1000.0));
  if (N >= 255) { return bitcast<f32>(sgn | 0x7f800000u); }
  if (N >= 1) { return bitcast<f32>(sgn | (u32(N) << 23u) | (F & 0x7fffffu)); }
  let sh = u32(1 - N);
  if (sh > 25u) { return bitcast<f32>(sgn); }
  let q = F >> sh;
  let rem = F & ((1u << sh) - 1u);
  let half = 1u << (sh - 1u);
  return bitcast<f32>(sgn | select(q, q + 1u, rem > half || (rem == half && (q & 1u) == 1u)));
}
fn clamp_(a: f32, lo: f32, hi: f32) -> f32 {
  // NaN stays NaN (and NaN bounds give NaN), whatever min and max do with it
  return select(min(max(a, lo), hi), nan_(), isnan_(a) || isnan_(lo) || isnan_(hi));
}
fn asin_(x: f32) -> f32 {
  // through atan, which the GPU computes more accurately than asin (not atan2: SwiftShader's
  // atan2(-0, 1) is π); ±π/2 at ±1 from atan(±inf), NaN outside [-1, 1]
  if (abs(x) > 1.0) { return nan_(); }
  return atan(x / sqrt((1.0 - x) * (1.0 + x)));
}`;

const UNARY_F32: Record<string, string> = {
  neg: "-a", abs: "abs(a)", exp: "exp(a)", exp2: "exp2(a)", expm1: "expm1_(a)", log: "log_(a)", log2: "log2_(a)",
  log10: "log_(a) * 0.4342944819032518", log1p: "log1p_(a)", sqrt: "sqrt(a)", rsqrt: "inverseSqrt(a)", square: "a * a",
  sin: "sin_(a)", cos: "cos_(a)", tan: "sin_(a) / cos_(a)", asin: "asin_(a)", acos: "1.5707963267948966 - asin_(a)", atan: "atan(a)",
  sinh: "sinh(a)", cosh: "cosh(a)", tanh: "tanh_(a)", sigmoid: "1.0 / (1.0 + exp(-a))", relu: "select(a, 0.0, a <= 0.0)",
  sign: "sign(a)", sgn: "sign(a)", floor: "floor(a)", ceil: "ceil(a)", round: "round(a)", trunc: "trunc(a)", frac: "a - trunc(a)",
  reciprocal: "1.0 / a", erf: "erf_(a)", erfc: "1.0 - erf_(a)",
  asinh: "select(asinh(a), a, (bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u)", acosh: "select(acosh(a), nan_(), a < 1.0)", atanh: "select(select(atanh(a), nan_(), abs(a) > 1.0), sign(a) * bitcast<f32>(INF_BITS), abs(a) == 1.0)",
  deg2rad: "a * 0.017453292519943295", rad2deg: "a * 57.29577951308232",
  sinc: "select(sin_(3.141592653589793 * a) / (3.141592653589793 * a), 1.0, a == 0.0)",
  gelu: "a * 0.5 * (1.0 + erf_(a * 0.7071067811865476))",
  gelu_tanh: "0.5 * a * (1.0 + tanh_(0.7978845608028654 * (a + 0.044715 * a * a * a)))",
  silu: "a / (1.0 + exp(-a))",
  mish: "a * tanh_(select(log(1.0 + exp(a)), a + log(1.0 + exp(-a)), a > 0.0))",
  hardswish: "a * clamp(a + 3.0, 0.0, 6.0) / 6.0", hardsigmoid: "clamp(a + 3.0, 0.0, 6.0) / 6.0",
  logsigmoid: "min(a, 0.0) - log(1.0 + exp(-abs(a)))",
  // frexp's mantissa in [0.5, 1) and exponent (C's: x itself and 0 for 0, inf and NaN)
  frexp_mantissa: "select(frexp(a).fract, a, a == 0.0 || (bitcast<u32>(a) & 0x7f800000u) == 0x7f800000u)",
  frexp_exponent: "select(f32(frexp(a).exp), 0.0, a == 0.0 || (bitcast<u32>(a) & 0x7f800000u) == 0x7f800000u)",
  ...SPECIAL_UNARY,
};
const UNARY_I32: Record<string, string> = {
  neg: "-a", abs: "abs(a)", square: "a * a", relu: "max(a, 0)", sign: "sign(a)", sgn: "sign(a)",
  floor: "a", ceil: "a", round: "a", trunc: "a", bitwise_not: "~a",
};

/** Tests of an element (bool results), on its bits where NaN or infinity matter. */
const PREDICATE_F32: Record<string, string> = {
  logical_not: "!nz_(a)", isnan: "isnan_(a)",
  isinf: "(bitcast<u32>(a) & 0x7fffffffu) == 0x7f800000u", isfinite: "(bitcast<u32>(a) & 0x7f800000u) != 0x7f800000u",
  isposinf: "bitcast<u32>(a) == 0x7f800000u", isneginf: "bitcast<u32>(a) == 0xff800000u", signbit: "(bitcast<u32>(a) >> 31u) == 1u",
  isreal: "true",
};
const PREDICATE_I32: Record<string, string> = {
  logical_not: "a == 0", isnan: "false", isinf: "false", isfinite: "true", isposinf: "false", isneginf: "false", signbit: "a < 0",
  isreal: "true",
};

/** Ops of an element a and numbers b, c, d. */
const UNARY_PARAMS_I32: Record<string, string> = { div_scalar: "a / b", clamp: "min(max(a, b), c)" };
const UNARY_PARAMS_F32: Record<string, string> = {
  div_scalar: "a / b", clamp: "clamp_(a, b, c)", round_decimals: "round(a * b) / b",
  // logit(x, eps): x clamped to [b, c] ([-inf, inf] without eps)
  logit: "log_(clamp_(a, b, c) / (1.0 - clamp_(a, b, c)))",
  nan_to_num: "select(select(select(a, c, bitcast<u32>(a) == 0x7f800000u), d, bitcast<u32>(a) == 0xff800000u), b, isnan_(a))",
  // activations with numbers: threshold (b, value c), leaky_relu (slope b), elu (scale b, input
  // scale c, alpha·scale d), softplus (beta b, threshold c), the shrinks (lambda b)
  threshold: "select(a, c, a <= b)", leaky_relu: "select(a * b, a, a > 0.0)",
  elu: "select(select((exp(a * c) - 1.0) * d, a, isnan_(a)), a * b, a > 0.0)",
  softplus: "select(log(1.0 + exp(a * b)) / b, a, a * b > c)",
  softshrink: "select(select(select(a * 0.0, a + b, a < -b), a - b, a > b), a, isnan_(a))", hardshrink: "select(a, 0.0, a >= -b && a <= b)",
  // the losses of a difference a (beta, delta: b)
  smooth_l1: "select(abs(a) - 0.5 * b, 0.5 * a * a / b, abs(a) < b)", huber: "select(b * (abs(a) - 0.5 * b), 0.5 * a * a, abs(a) < b)",
  ...SPECIAL_UNARY_PARAMS,
};
/** Ops of elements a, b and numbers c, d, e. */
// (add and sub with an alpha other than ±1, as PyTorch's kernel: one fused multiply-add)
const BINARY_PARAMS_F32: Record<string, string> = {
  add_alpha: "fma(b, c, a)", isclose: "isclose_(a, b, c, d, e)",
  threshold_backward: "select(a, 0.0, b <= c)", // (a: the output's gradient, b: relu's result, c: the threshold)
};
const BINARY_PARAMS_I32: Record<string, string> = {
  add_alpha: "a + c * b",
  // integers as PyTorch's isclose compares them: equal, or |a - b| (exact, then rounded once) within
  // atol + |rtol·b| in float32 (its tolerances c, d read as float32: FLOAT_PARAMS_I32)
  isclose: "select(0, 1, a == b || f32(select(u32(b) - u32(a), u32(a) - u32(b), a >= b)) <= d + abs(c * f32(b)))",
};
/** The ops of BINARY_PARAMS_I32 whose numbers are float32 (the rest read theirs as integers). */
const FLOAT_PARAMS_I32 = new Set(["isclose"]);

const BINARY_F32: Record<string, string> = {
  add: "a + b", sub: "a - b", mul: "a * b", div: "a / b", atan2: "atan2(a, b)", pow: "pow_(a, b)",
  maximum: "select(max(a, b), nan_(), isnan_(a) || isnan_(b))", minimum: "select(min(a, b), nan_(), isnan_(a) || isnan_(b))",
  fmod: "a - b * trunc(a / b)", remainder: "a - b * floor(a / b)", floor_divide: "floor(a / b)", div_trunc: "trunc(a / b)",
  eq: "select(0.0, 1.0, a == b && !isnan_(a))", ne: "select(0.0, 1.0, a != b || isnan_(a) || isnan_(b))", lt: "select(0.0, 1.0, a < b)",
  le: "select(0.0, 1.0, a <= b)", gt: "select(0.0, 1.0, a > b)", ge: "select(0.0, 1.0, a >= b)",
  logical_and: "select(0.0, 1.0, nz_(a) && nz_(b))", logical_or: "select(0.0, 1.0, nz_(a) || nz_(b))",
  logical_xor: "select(0.0, 1.0, nz_(a) != nz_(b))",
  copysign: "select(abs(a), -abs(a), b < 0.0 || bitcast<u32>(b) == 0x80000000u)",
  logaddexp: "logaddexp_(a, b, 1.0)", logaddexp2: "logaddexp_(a, b, 0.6931471805599453) * 1.4426950408889634", heaviside: "select(select(0.0, 1.0, a > 0.0), b, a == 0.0)",
  // GELU's gradients (a: the output's gradient, b: the input), GeluBackward0's formulas
  gelu_backward: "a * (0.5 * (1.0 + erf_(b * 0.7071067811865476)) + b * exp(-0.5 * b * b) * 0.3989422804014327)",
  gelu_tanh_backward: "a * gelu_tanh_grad_(b)",
  ldexp: "ldexp_(a, b)",
  ...SPECIAL_BINARY,
};
const BINARY_I32: Record<string, string> = {
  add: "a + b", sub: "a - b", mul: "a * b", maximum: "max(a, b)", minimum: "min(a, b)",
  eq: "select(0, 1, a == b)", ne: "select(0, 1, a != b)", lt: "select(0, 1, a < b)",
  le: "select(0, 1, a <= b)", gt: "select(0, 1, a > b)", ge: "select(0, 1, a >= b)",
  logical_and: "select(0, 1, a != 0 && b != 0)", logical_or: "select(0, 1, a != 0 || b != 0)",
  logical_xor: "select(0, 1, (a != 0) != (b != 0))",
  heaviside: "select(select(0, 1, a > 0), b, a == 0)",
  bitwise_and: "a & b", bitwise_or: "a | b", bitwise_xor: "a ^ b", lshift: "a << u32(b)", rshift: "a >> u32(b)",
  floor_divide: "floordiv_(a, b)", div_trunc: "a / b", remainder: "remainder_(a, b)", fmod: "a % b", pow: "ipow_(a, b)",
  gcd: "gcd_(a, b)", lcm: "lcm_(a, b)",
};

/** run(t), or run of t's contiguous copy when t is a strided view on the device (for the kernels
 *  that read contiguous tensors); null where there is none. */
export function onDense<T>(t: Tensor, run: (c: Tensor) => T): T | null {
  const c = !onDevice(t) || t.is_contiguous() ? t : contiguousCopy(t, t.dtype);
  return c && run(c);
}

/** Whether a collapsed geometry exists (at most four dims after merging runs). */
function fits(shape: Shape, ts: Tensor[]): boolean {
  return collapse(shape, ts.map((t) => expandStrides(t._shape, t._strides, shape))) !== null;
}

/** The compute type of an op over these dtypes: f32 when any is floating. */
const computeType = (...ds: DType[]): "f32" | "i32" => (ds.some((d) => d.is_floating_point) ? "f32" : "i32");

export const webgpuKernels: Kernels = {
  unary(op, x, d, params) {
    const ct = computeType(x.dtype, d);
    const o = operand(x);
    if (o === null || !fits(x._shape, [x])) return null;
    if (params !== undefined) {
      // an op of x and numbers (mean's division by the count, clamp's bounds): operands b, c, d
      const e = (ct === "f32" ? UNARY_PARAMS_F32 : UNARY_PARAMS_I32)[op];
      if (e === undefined) return null;
      const y = deviceEmpty(x._shape, d);
      elementwise(op, e, ct, y, [o, ...params.map((v) => ({ scalar: v, ty: ct }))]);
      return y;
    }
    const pred = (ct === "f32" ? PREDICATE_F32 : PREDICATE_I32)[op];
    if (pred !== undefined) {
      const y = deviceEmpty(x._shape, d);
      elementwise(op, `select(${ct}(0), ${ct}(1), ${pred})`, ct, y, [o]);
      return y;
    }
    const e = (ct === "f32" ? UNARY_F32 : UNARY_I32)[op];
    if (e === undefined) return null;
    // NaN in, NaN out (sign's is 0) for float results, whatever the compiler assumes about NaN
    const expr = ct === "i32" || !d.is_floating_point ? e : `select(${e}, ${op === "sign" || op === "sgn" ? "0.0" : "a"}, isnan_(a))`;
    const y = deviceEmpty(x._shape, d);
    elementwise(op, expr, ct, y, [o]);
    return y;
  },

  binary(op, a, b, d, shape, params) {
    const ct = computeType(a.dtype, b.dtype, d);
    const expr = (params === undefined ? ct === "f32" ? BINARY_F32 : BINARY_I32 : ct === "f32" ? BINARY_PARAMS_F32 : BINARY_PARAMS_I32)[op];
    const oa = operand(a), ob = operand(b);
    if (expr === undefined || oa === null || ob === null || !fits(shape, [a, b])) return null;
    const y = deviceEmpty(shape, d);
    const pty = ct === "i32" && FLOAT_PARAMS_I32.has(op) ? "f32" : ct;
    elementwise(op, expr, ct, y, [oa, ob, ...(params ?? []).map((v) => ({ scalar: v, ty: pty, own: true }))]);
    return y;
  },

  where(c, a, b, d, shape) {
    const ct = computeType(a.dtype, b.dtype, d);
    const oc = operand(c), oa = operand(a), ob = operand(b);
    if (oc === null || oa === null || ob === null || !fits(shape, [c, a, b])) return null;
    const y = deviceEmpty(shape, d);
    // the condition, read in the compute type, is true when nonzero
    elementwise("where", `select(c, b, a != ${ct}(0))`, ct, y, [oc, oa, ob]);
    return y;
  },

  copyInto(dst, src) {
    const o = operand(src);
    // (a buffer may not be bound for reading and writing in one dispatch: a copy within one
    // storage, whose regions may overlap, goes through the CPU)
    if (!onDevice(dst) || o === null || ("t" in o && o.t._storage === dst._storage) || !fits(dst._shape, [dst, src])) return false;
    elementwise("copy", "a", computeType(src.dtype, dst.dtype), dst, [o]);
    return true;
  },

  reduce(x, dims, kind, d) { return reduce(x, dims, kind, d); },
  bmm(a, b, d) { return bmm(a, b, d); },
  softmax(x, dim, log) { return softmax(x, dim, log); },
  softmaxBackward(g, y, dim, log) { return softmaxBackward(g, y, dim, log); },
  layerNorm,
  layerNormBackward,
  lstmCell,
  lstmCellBackward,
  avgPool2d(x, P, H, W, hw, ww, div, shape) { return onDense(x, (c) => avgPool2d(c, P, H, W, hw, ww, div, shape)); },
  avgPool2dBackward(g, P, H, W, hw, ww, div, shape) { return onDense(g, (c) => avgPool2d(c, P, H, W, hw, ww, div, shape, true)); },
  gruCell,
  gruCellBackward,
  channelStats: () => null,
  channelAffine: () => null,
  batchNormBackward: () => null,
  gather(x, d, index) { return gather(x, d, index); },
  scatter(x, d, index, src, add) {
    const out = onDevice(x) ? contiguousCopy(x, x.dtype) : null;
    return out && scatterInto(out, d, index, src, add) ? out : null;
  },
  indexSelect(x, d, idx) { return onDense(x, (c) => indexSelect(c, d, idx)); },
  indexAdd(out, d, idx, source) { return onDense(source, (s) => indexAdd(out, d, idx, s)) ?? false; },

  conv2d: () => null,
  conv2dInputGrad: () => null,
  conv2dWeightGrad: () => null,
  maxPool2d(x, P, H, W, hw, ww, shape) { return onDense(x, (c) => maxPool2d(c, P, H, W, hw, ww, shape)); },
  maxPool2dBackward(g, idx, P, HW, shape) { return onDense(g, (c) => maxPool2dBackward(c, idx, P, HW, shape)); },

  adam(p, g, m, v, vmax, s) { return adam(p, g, m, v, vmax, s); },
  sgd(p, g, buf, s) { return sgd(p, g, buf, s); },
  adadelta(p, g, squareAvg, accDelta, s) { return adadelta(p, g, squareAvg, accDelta, s); },
};

/** Fills t's elements (a view on the device) with `value`. */
export function fill(t: Tensor, value: number): void {
  elementwise("fill", "a", wgslType(t.dtype), t, [{ scalar: value, ty: wgslType(t.dtype) }]);
}

/** out[b, o, l] += bias[o] on a contiguous [B, O, L] result (convolution's bias). */
export function addChannelBias(out: Tensor, bias: Tensor, B: number, O: number, L: number): boolean {
  if (out.dtype !== float32 || !onDevice(bias) || bias.dtype !== float32) return false;
  const o = new Tensor(out._storage, [B, O, L], [O * L, L, 1], out._offset, float32, webgpuDevice);
  const b = new Tensor(bias._storage, [B, O, L], [0, bias._strides[0]!, 0], bias._offset, float32, webgpuDevice);
  elementwise("add_channel_bias", "yo + a", "f32", o, [{ t: b, ty: "f32" }]);
  return true;
}

/** Note [Convolution shaders]: im2col reads, for each element of the [B, C·kh·kw, oh·ow] columns,
 *  the input element under its kernel tap (0 in the padding); col2im, its adjoint, gathers for each
 *  input element the columns that read it (no atomics: each output element is one thread's sum).
 *  Both take x contiguous. */
const CONV_GEOMETRY = ["B", "C", "H", "W", "kh", "kw", "sh", "sw", "ph", "pw", "dh", "dw", "oh", "ow"] as const;
function convParams(n: number, B: number, C: number, g: Window2d, offset: number): Int32Array {
  const p = new Int32Array(16);
  p[0] = n; p[1] = offset;
  const v: Record<string, number> = { B, C, ...g };
  CONV_GEOMETRY.forEach((k, i) => { p[2 + i] = v[k]!; });
  return p;
}
const convHeader = `${header(16)}fn G(k: u32) -> i32 { return P(2u + k); }
// B C H W kh kw sh sw ph pw dh dw oh ow: G(0) … G(13)
`;
const IM2COL = `// im2col
${convHeader}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> x: array<f32>;
${paramsBinding(2)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + li;
  if (e >= u32(P(0u))) { return; }
  let L = G(12) * G(13); let K = G(1) * G(4) * G(5);
  let i = i32(e);
  let l = i % L; let row = (i / L) % K; let b = i / (L * K);
  let c = row / (G(4) * G(5)); let ki = (row / G(5)) % G(4); let kj = row % G(5);
  let iy = (l / G(13)) * G(6) + ki * G(10) - G(8);
  let ix = (l % G(13)) * G(7) + kj * G(11) - G(9);
  var v = 0.0;
  if (iy >= 0 && iy < G(2) && ix >= 0 && ix < G(3)) { v = x[u32(P(1u) + ((b * G(1) + c) * G(2) + iy) * G(3) + ix)]; }
  y[e] = v;
}`;
const COL2IM = `// col2im
${convHeader}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> cols: array<f32>;
${paramsBinding(2)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let e = (wid.x + wid.y * nwg.x) * ${WG}u + li;
  if (e >= u32(P(0u))) { return; }
  let i = i32(e);
  let xx = i % G(3); let yy = (i / G(3)) % G(2); let c = (i / (G(2) * G(3))) % G(1); let b = i / (G(1) * G(2) * G(3));
  let L = G(12) * G(13); let K = G(1) * G(4) * G(5);
  var acc = 0.0;
  for (var ki = 0; ki < G(4); ki++) {
    let ty = yy + G(8) - ki * G(10);
    if (ty < 0 || ty % G(6) != 0 || ty / G(6) >= G(12)) { continue; }
    for (var kj = 0; kj < G(5); kj++) {
      let tx = xx + G(9) - kj * G(11);
      if (tx < 0 || tx % G(7) != 0 || tx / G(7) >= G(13)) { continue; }
      acc += cols[u32(P(1u) + (b * K + (c * G(4) + ki) * G(5) + kj) * L + (ty / G(6)) * G(13) + tx / G(7))];
    }
  }
  y[e] = acc;
}`;

/** im2col of x [B, C, H, W] (contiguous) into [B, C·kh·kw, oh·ow]. */
export function im2col(x: Tensor, B: number, C: number, g: Window2d): Tensor | null {
  if (x.dtype !== float32 || !onDevice(x) || !x.is_contiguous()) return null;
  const y = deviceEmpty([B, C * g.kh * g.kw, g.oh * g.ow], float32), n = y.numel();
  rt().dispatch(rt().kernel(IM2COL), [mem(y).written(), mem(x).read()], convParams(n, B, C, g, x._offset), groups(n));
  return y;
}

/** col2im of cols [B, C·kh·kw, oh·ow] (contiguous) into [B, C, H, W]. */
export function col2im(cols: Tensor, B: number, C: number, g: Window2d): Tensor | null {
  if (cols.dtype !== float32 || !onDevice(cols) || !cols.is_contiguous()) return null;
  const y = deviceEmpty([B, C, g.H, g.W], float32), n = y.numel();
  rt().dispatch(rt().kernel(COL2IM), [mem(y).written(), mem(cols).read()], convParams(n, B, C, g, cols._offset), groups(n));
  return y;
}

/** A contiguous copy of x on the device, cast to d. */
export function contiguousCopy(x: Tensor, d: DType): Tensor | null {
  const o = operand(x);
  if (o === null || !fits(x._shape, [x])) return null;
  const y = deviceEmpty(x._shape, d);
  elementwise("copy", "a", computeType(x.dtype, d), y, [o]);
  // (a copy of positions a kernel made, as integers, keeps their bound: Note [Index shaders])
  if ("t" in o && (d === int64 || d === int32)) mem(y).bound = mem(x).bound;
  return y;
}

// ---- reductions -------------------------------------------------------------------------------

/** Note [Reduction shaders]: one workgroup per output element; its threads stride over the
 *  reduced block (its dims collapsed to four, read through x's strides) and combine their partial
 *  results in workgroup memory. argmax/argmin carry (value, position in the block); ties keep the
 *  first position, as PyTorch does. */
const REDUCE: Record<ReduceKind, { init: string; combine: string; arg?: boolean; final?: string }> = {
  sum: { init: "0", combine: "acc + v" },
  prod: { init: "1", combine: "acc * v" },
  max: { init: "-inf", combine: "select(select(max(acc, v), v, isnan_(v)), acc, isnan_(acc))" },
  min: { init: "inf", combine: "select(select(min(acc, v), v, isnan_(v)), acc, isnan_(acc))" },
  argmax: { init: "-inf", combine: "", arg: true },
  argmin: { init: "inf", combine: "", arg: true },
  any: { init: "0", combine: "select(acc, 1, v != 0)" },
  all: { init: "1", combine: "select(acc, 0, v == 0)" },
};

function reduce(x: Tensor, dims: readonly number[], kind: ReduceKind, d: DType): Tensor | null {
  const o = operand(x);
  if (o === null || !("t" in o)) return null;
  const nd = x.ndim, all = dims.length === 0;
  const red = (i: number) => all || dims.includes(i);
  const keptShape: number[] = [], keptSt: number[] = [], redShape: number[] = [], redSt: number[] = [];
  for (let i = 0; i < nd; i++) {
    if (red(i)) { redShape.push(x._shape[i]!); redSt.push(x._strides[i]!); }
    else { keptShape.push(x._shape[i]!); keptSt.push(x._strides[i]!); }
  }
  const kc = collapse(keptShape, [keptSt]), rc = collapse(redShape, [redSt]);
  if (kc === null || rc === null) return null;
  const outShape = x._shape.map((s, i) => (red(i) ? 1 : s));
  const nOut = numel(keptShape), inner = numel(redShape);
  const isArg = kind === "argmax" || kind === "argmin";
  const ity = o.ty;
  // sums of ints on the device are i32 (Note [WebGPU element types]); min/max keep x's type
  const ct = kind === "any" || kind === "all" ? "i32" : isArg ? ity : computeType(x.dtype, d);
  const def = ct === "i32" && (kind === "max" || kind === "min") ? { init: REDUCE[kind].init, combine: `${kind}(acc, v)` } : REDUCE[kind];
  const init = def.init === "inf" || def.init === "-inf" ? (ct === "f32" ? `${def.init === "inf" ? "" : "-"}bitcast<f32>(INF_BITS)` : def.init === "inf" ? "2147483647" : "(-2147483647 - 1)") : `${ct}(${def.init})`;
  const nan = ct === "f32" ? " || (isnan_(v) && !isnan_(bv))" : "";
  const better = kind === "argmax" ? `(v > bv${nan})` : `(v < bv${nan})`;
  if (nOut === 0) return deviceEmpty(outShape, d);
  // a few long blocks: each split in S chunks over as many workgroups, whose partial results a
  // second pass reduces (argmax/argmin, which carry positions, stay in one pass)
  const S = isArg || nOut >= 64 || inner < 65536 ? 1 : Math.min(1024, Math.ceil(inner / 8192));
  const y = S === 1 ? deviceEmpty(outShape, d) : deviceEmpty([nOut, S], ct === "f32" ? float32 : int32);
  const oty = wgslType(y.dtype);
  const code = `// reduce ${kind} (${ity} -> ${oty})
${header(20)}@group(0) @binding(0) var<storage, read_write> y: array<${oty}>;
@group(0) @binding(1) var<storage, read> x: array<${ity}>;
${paramsBinding(2)}
var<workgroup> sv: array<${ct}, ${WG}>;
var<workgroup> si: array<i32, ${WG}>;
fn kept(k: u32) -> i32 {
${coords("k", 1)}  return P(0u) + c0 * P(5u) + c1 * P(6u) + c2 * P(7u) + c3 * P(8u);
}
fn redPos(k: u32) -> i32 {
${coords("k", 9)}  return c0 * P(13u) + c1 * P(14u) + c2 * P(15u) + c3 * P(16u);
}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let g = wid.x + wid.y * nwg.x;
  let S = u32(P(19u));
  if (g >= u32(P(17u)) * S) { return; }
  let base = kept(g / S);
  let inner = u32(P(18u));
  let len = (inner + S - 1u) / S;
  let k0 = (g % S) * len;
  let k1 = min(inner, k0 + len);
  var acc: ${ct} = ${init};
  var bi: i32 = 0;
  for (var k = k0 + li; k < k1; k += ${WG}u) {
    let v = ${ct === "i32" && ity === "f32" && (kind === "any" || kind === "all") ? "select(0, 1, nz_(x[u32(base + redPos(k))]))" : `${ct}(x[u32(base + redPos(k))])`};
${def.arg ? `    let bv = acc;\n    if (${better}) { acc = v; bi = i32(k); }` : `    acc = ${def.combine};`}
  }
  sv[li] = acc; si[li] = bi;
  workgroupBarrier();
  for (var s = ${WG / 2}u; s > 0u; s >>= 1u) {
    if (li < s) {
${def.arg ? `      let bv = sv[li]; let v = sv[li + s]; let vi = si[li + s];
      if (${better} || (v == bv && vi < si[li] && vi < i32(inner))) { sv[li] = v; si[li] = vi; }`
    : `      let acc = sv[li]; let v = sv[li + s];\n      sv[li] = ${def.combine};`}
    }
    workgroupBarrier();
  }
  if (li == 0u) { y[g] = ${def.arg ? `${oty}(si[0])` : oty === ct ? "sv[0]" : `${oty}(sv[0])`}; }
}`;
  const p = new Int32Array(20);
  p[0] = x._offset; p.set(kc[0], 1); p.set(kc[1][0]!, 5); p.set(rc[0], 9); p.set(rc[1][0]!, 13);
  p[17] = nOut; p[18] = inner; p[19] = S;
  // an empty block: every thread starts from the identity, and argmax of nothing is refused by the op
  rt().dispatch(rt().kernel(code), [mem(y).written(), mem(x).read()], p, nOut * S);
  if (isArg) mem(y).bound = inner; // (positions in the block: Note [Index shaders])
  if (S === 1) return y;
  const r = reduce(y, [1], kind, d)!;
  return new Tensor(r._storage, outShape, contiguousStrides(outShape), 0, d, webgpuDevice);
}

// ---- matmul -----------------------------------------------------------------------------------

/** Note [Matmul shader]: each workgroup computes a 64×64 block of one batch's product, 16×16
 *  threads with 4×4 results each (four vec4 accumulators), staging 64×16 slices of a and 16×64 of
 *  b in workgroup memory as vec4s; a and b are read through their strides (stride 0 on a
 *  broadcast batch). */
const MATMUL = `// bmm f32
${header(16)}@group(0) @binding(0) var<storage, read_write> y: array<f32>;
@group(0) @binding(1) var<storage, read> A: array<f32>;
@group(0) @binding(2) var<storage, read> B: array<f32>;
${paramsBinding(3)}
var<workgroup> ta: array<array<vec4<f32>, 16>, 16>;
var<workgroup> tb: array<array<vec4<f32>, 16>, 16>;
fn loadA(base: i32, r: i32, c: i32, n: i32, k: i32) -> f32 {
  if (r < n && c < k) { return A[u32(base + r * P(6u) + c * P(7u))]; }
  return 0.0;
}
fn loadB(base: i32, r: i32, c: i32, k: i32, m: i32) -> f32 {
  if (r < k && c < m) { return B[u32(base + r * P(10u) + c * P(11u))]; }
  return 0.0;
}
@compute @workgroup_size(16, 16)
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let n = P(0u); let k = P(1u); let m = P(2u);
  let tn = (n + 63) / 64; let tm = (m + 63) / 64;
  let g = i32(wid.x + wid.y * nwg.x);
  if (g >= P(3u) * tn * tm) { return; }
  let batch = g / (tn * tm); let t = g % (tn * tm);
  let row0 = (t / tm) * 64; let col0 = (t % tm) * 64;
  let aBase = P(4u) + batch * P(5u); let bBase = P(8u) + batch * P(9u);
  let tx = i32(lid.x); let ty = i32(lid.y); let li = ty * 16 + tx;
  // each thread stages four rows of a at one k, and four columns of b at one k
  let ak = li % 16; let ar = (li / 16) * 4;
  let bk = li / 16; let bc = (li % 16) * 4;
  var acc0 = vec4<f32>(0.0); var acc1 = vec4<f32>(0.0); var acc2 = vec4<f32>(0.0); var acc3 = vec4<f32>(0.0);
  for (var k0 = 0; k0 < k; k0 += 16) {
    ta[ak][li / 16] = vec4<f32>(loadA(aBase, row0 + ar, k0 + ak, n, k), loadA(aBase, row0 + ar + 1, k0 + ak, n, k),
      loadA(aBase, row0 + ar + 2, k0 + ak, n, k), loadA(aBase, row0 + ar + 3, k0 + ak, n, k));
    tb[bk][li % 16] = vec4<f32>(loadB(bBase, k0 + bk, col0 + bc, k, m), loadB(bBase, k0 + bk, col0 + bc + 1, k, m),
      loadB(bBase, k0 + bk, col0 + bc + 2, k, m), loadB(bBase, k0 + bk, col0 + bc + 3, k, m));
    workgroupBarrier();
    for (var kk = 0; kk < 16; kk++) {
      let a = ta[kk][ty]; let b = tb[kk][tx];
      acc0 = fma(vec4<f32>(a.x), b, acc0); acc1 = fma(vec4<f32>(a.y), b, acc1);
      acc2 = fma(vec4<f32>(a.z), b, acc2); acc3 = fma(vec4<f32>(a.w), b, acc3);
    }
    workgroupBarrier();
  }
  let accs = array<vec4<f32>, 4>(acc0, acc1, acc2, acc3);
  for (var i = 0; i < 4; i++) {
    let r = row0 + ty * 4 + i;
    if (r >= n) { break; }
    let v = accs[i];
    for (var j = 0; j < 4; j++) {
      let c = col0 + tx * 4 + j;
      if (c < m) { y[u32((batch * n + r) * m + c)] = v[j]; }
    }
  }
}`;

/** Integer products (int32, and int64 as int32: Note [WebGPU element types]), wrapping at 32 bits:
 *  a thread per element of y, its dot product in order (no tiling: not a hot path). P(0) B·n·m,
 *  P(1) n, P(2) k, P(3) m, then the operands' offsets and strides as MATMUL's. */
const MATMUL_I32 = `// bmm i32
${header(16)}@group(0) @binding(0) var<storage, read_write> y: array<i32>;
@group(0) @binding(1) var<storage, read> A: array<i32>;
@group(0) @binding(2) var<storage, read> B: array<i32>;
${paramsBinding(3)}${perElement(`  let n = u32(P(1u)); let k = P(2u); let m = u32(P(3u));
  let j = i32(e % m); let i = i32((e / m) % n); let bi = i32(e / (m * n));
  let a0 = P(4u) + bi * P(5u) + i * P(6u); let b0 = P(8u) + bi * P(9u) + j * P(11u);
  var acc = 0;
  for (var t = 0; t < k; t++) { acc = acc + A[u32(a0 + t * P(7u))] * B[u32(b0 + t * P(10u))]; }
  y[e] = acc;`)}`;

function bmm(a: Tensor, b: Tensor, d: DType): Tensor | null {
  const ints = d === int32 || d === int64;
  if (!(ints ? a.dtype === d && b.dtype === d : a.dtype === float32 && b.dtype === float32 && d === float32) || !onDevice(a) || !onDevice(b)) return null;
  const [B, n, k] = a._shape as [number, number, number], m = b._shape[2]!;
  const y = deviceEmpty([B, n, m], d);
  if (B * n * m === 0) return y;
  if (k === 0) { fill(y, 0); return y; }
  const p = new Int32Array(16);
  p.set([...(ints ? [B * n * m, n, k, m] : [n, k, m, B]), a._offset, a._strides[0]!, a._strides[1]!, a._strides[2]!, b._offset, b._strides[0]!, b._strides[1]!, b._strides[2]!]);
  const groupsOf = ints ? groups(B * n * m) : B * Math.ceil(n / 64) * Math.ceil(m / 64);
  rt().dispatch(rt().kernel(ints ? MATMUL_I32 : MATMUL), [mem(y).written(), mem(a).read(), mem(b).read()], p, groupsOf);
  return y;
}

// ---- softmax ----------------------------------------------------------------------------------

/** Note [Row shaders]: one workgroup per row along `dim` of same-shaped operands, each read
 *  through its own strides (the other dims collapsed to four); the body strides over the row
 *  (for j = li; j < L; j += WG), reading operand k at x<k>[at(b<k>, s<k>, j)] and writing the new
 *  contiguous y (of dtype `out`: float32 ones take float32 operands) at at(by, sy, j), with
 *  reduceMax and reduceSum over the workgroup between passes (WORKGROUP_REDUCE); `decls` adds
 *  module-scope WGSL. */
function rowKernel(name: string, ins: Tensor[], dim: number, body: string, out: DType = float32, decls = ""): Tensor | null {
  if (ins.some((t) => !onDevice(t) || (out === float32 && t.dtype !== float32))) return null;
  const shape = ins[0]!._shape, L = shape[dim] ?? 1;
  const outer = shape.filter((_, i) => i !== dim);
  const strides = [...ins.map((t) => t._strides), contiguousStrides(shape)];
  const c = collapse(outer, strides.map((st) => st.filter((_, i) => i !== dim)));
  if (c === null) return null;
  const y = deviceEmpty(shape, out);
  const rows = numel(outer);
  if (rows * L === 0) return y;
  // parameters: rows, L, the outer sizes at 2, then per operand (the inputs, then y) at 6 + 6k:
  // its offset, its four outer strides and its stride along the row
  const n = ins.length + 1, p = new Int32Array(6 + 6 * n);
  p[0] = rows; p[1] = L; p.set(c[0], 2);
  strides.forEach((st, k) => { p[6 + 6 * k] = k < ins.length ? ins[k]!._offset : 0; p.set(c[1][k]!, 7 + 6 * k); p[11 + 6 * k] = st[dim] ?? 1; });
  const base = (k: number, v: string) => `  let b${v} = P(${6 + 6 * k}u) + c0 * P(${7 + 6 * k}u) + c1 * P(${8 + 6 * k}u) + c2 * P(${9 + 6 * k}u) + c3 * P(${10 + 6 * k}u); let s${v} = P(${11 + 6 * k}u);\n`;
  const code = `// ${name}
${header(p.length)}@group(0) @binding(0) var<storage, read_write> y: array<${wgslType(out)}>;
${ins.map((t, k) => `@group(0) @binding(${k + 1}) var<storage, read> x${k}: array<${wgslType(t.dtype)}>;`).join("\n")}
${paramsBinding(n)}${decls}
${WORKGROUP_REDUCE}fn at(b: i32, st: i32, j: u32) -> u32 { return u32(b + i32(j) * st); }
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let row = wid.x + wid.y * nwg.x;
  if (row >= u32(P(0u))) { return; }
${coords("row", 2)}${ins.map((_, k) => base(k, String(k))).join("")}${base(ins.length, "y")}  let L = u32(P(1u));
${body}
}`;
  rt().dispatch(rt().kernel(code), [mem(y).written(), ...ins.map((t) => mem(t).read())], p, rows);
  return y;
}

/** softmax (log_softmax) along dim: the maximum, the sum of exponentials, then the results. */
function softmax(x: Tensor, dim: number, log: boolean): Tensor | null {
  return rowKernel(log ? "log_softmax" : "softmax", [x], dim, `  var mx = -bitcast<f32>(INF_BITS);
  for (var j = li; j < L; j += ${WG}u) { mx = max(mx, x0[at(b0, s0, j)]); }
  mx = reduceMax(li, mx, 0u);
  var sum = 0.0;
  for (var j = li; j < L; j += ${WG}u) { sum += exp(x0[at(b0, s0, j)] - mx); }
  sum = reduceSum(li, sum, 1u);
  let ls = log(sum);
  for (var j = li; j < L; j += ${WG}u) {
    let v = x0[at(b0, s0, j)] - mx;
    y[at(by, sy, j)] = ${log ? "v - ls" : "exp(v) / sum"};
  }`);
}

/** Their gradients from the output's gradient g (x0) and the output y (x1), as PyTorch's
 *  kernels: g - exp(y)·Σg for log_softmax, y·(g - Σg·y) for softmax. */
function softmaxBackward(g: Tensor, y: Tensor, dim: number, log: boolean): Tensor | null {
  if (g.ndim !== y.ndim || g._shape.some((d, i) => d !== y._shape[i])) return null;
  const term = log ? "x0[at(b0, s0, j)]" : "x0[at(b0, s0, j)] * x1[at(b1, s1, j)]";
  return rowKernel(log ? "log_softmax_backward" : "softmax_backward", [g, y], dim, `  var sum = 0.0;
  for (var j = li; j < L; j += ${WG}u) { sum += ${term}; }
  sum = reduceSum(li, sum, 0u);
  for (var j = li; j < L; j += ${WG}u) {
    let gj = x0[at(b0, s0, j)]; let yj = x1[at(b1, s1, j)];
    y[at(by, sy, j)] = ${log ? "gj - exp(yj) * sum" : "yj * (gj - sum)"};
  }`);
}

// ---- fused optimizer steps --------------------------------------------------------------------

const denseF32 = (...ts: (Tensor | null)[]) => ts.every((t) => t === null || (t.dtype === float32 && onDevice(t) && t.is_contiguous()));

/** One elementwise pass over contiguous float32 tensors of n elements, updated in place: `body`
 *  reads and writes t0[i], t1[i] … and the scalars PF(4u) …. */
function fused(name: string, body: string, ts: Tensor[], scalars: number[]): void {
  const n = ts[0]!.numel();
  const decls = ts.map((_, k) => `@group(0) @binding(${k}) var<storage, read_write> t${k}: array<f32>;`).join("\n");
  const code = `// ${name}
${header(4 + 4 + scalars.length)}${decls}
${paramsBinding(ts.length)}
@compute @workgroup_size(${WG})
fn main(@builtin(workgroup_id) wid: vec3u, @builtin(num_workgroups) nwg: vec3u, @builtin(local_invocation_index) li: u32) {
  let g = (wid.x + wid.y * nwg.x) * ${WG}u + li;
  if (g >= u32(P(0u))) { return; }
${ts.map((_, k) => `  let o${k} = u32(P(${k + 1}u));`).join("\n")}
${body}
}`;
  const p = new Int32Array(8 + scalars.length);
  p[0] = n;
  ts.forEach((t, k) => { p[k + 1] = t._offset; });
  scalars.forEach((s, k) => { p[8 + k] = bitsOf(s, "f32"); });
  rt().dispatch(rt().kernel(code.replace(/PF\((\d+)u\)/g, (_, k: string) => `PF(${8 + Number(k)}u)`)), ts.map((t) => mem(t).written()), p, groups(n));
}

// The steps of src/optim/sgd.ts, adam.ts and adadelta.ts, operation for operation as the native backend's
// csrc/optim.c; WGSL has no float64, so its multiply-adds are fused in float32 here.

function sgd(p: Tensor, g: Tensor, buf: Tensor | null, s: SgdStep): boolean {
  if (!denseF32(p, g, buf)) return false;
  const body = [
    `  let pi = t0[o0 + g];`,
    `  var gi = ${s.maximize ? "-" : ""}t1[o1 + g];`,
    s.weightDecay ? `  gi = fma(pi, PF(1u), gi);` : ``,
    buf === null ? `` : `  let b = ${s.first ? "gi" : "fma(gi, PF(3u), t2[o2 + g] * PF(2u))"};\n  t2[o2 + g] = b;\n  gi = ${s.nesterov ? "fma(b, PF(2u), gi)" : "b"};`,
    `  t0[o0 + g] = fma(gi, PF(0u), pi);`,
  ];
  fused("sgd", body.filter(Boolean).join("\n"), buf ? [p, g, buf] : [p, g], [s.negLr, s.wds, s.mom, s.omd]);
  return true;
}

function adam(p: Tensor, g: Tensor, m: Tensor, v: Tensor, vmax: Tensor | null, s: AdamStep): boolean {
  if (!denseF32(p, g, m, v, vmax)) return false;
  const body = [
    `  var pi = t0[o0 + g];`,
    `  var gi = ${s.maximize ? "-" : ""}t1[o1 + g];`,
    s.weightDecay ? (s.decoupled ? `  pi = pi * PF(0u);` : `  gi = fma(pi, PF(1u), gi);`) : ``,
    `  let m0 = t2[o2 + g];`,
    `  let mi = fma(PF(2u), gi - m0, ${s.small ? "m0" : "gi"});`,
    `  let vi = fma(PF(4u) * gi, gi, t3[o3 + g] * PF(3u));`,
    vmax === null ? `  let vm = vi;` : `  let w = t4[o4 + g];\n  let vm = select(max(w, vi), w + vi, w != w || vi != vi);\n  t4[o4 + g] = vm;`,
    `  let denom = sqrt(vm) / PF(5u) + PF(6u);`,
    `  t0[o0 + g] = pi + (PF(7u) * mi) / denom;`,
    `  t2[o2 + g] = mi;`,
    `  t3[o3 + g] = vi;`,
  ];
  fused("adam", body.filter(Boolean).join("\n"), vmax ? [p, g, m, v, vmax] : [p, g, m, v], [s.decay, s.wds, s.coeff, s.b2, s.omb2, s.bc2, s.eps, s.negStep]);
  return true;
}

function adadelta(p: Tensor, g: Tensor, sq: Tensor, ad: Tensor, s: AdadeltaStep): boolean {
  if (!denseF32(p, g, sq, ad)) return false;
  const body = [
    `  let pi = t0[o0 + g];`,
    `  var gi = ${s.maximize ? "-" : ""}t1[o1 + g];`,
    s.weightDecay ? `  gi = fma(pi, PF(0u), gi);` : ``,
    `  let v = fma(PF(2u) * gi, gi, t2[o2 + g] * PF(1u));`,
    `  t2[o2 + g] = v;`,
    `  let a0 = t3[o3 + g];`,
    `  let delta = (sqrt(a0 + PF(3u)) / sqrt(v + PF(3u))) * gi;`,
    `  t3[o3 + g] = fma(PF(2u) * delta, delta, a0 * PF(1u));`,
    `  t0[o0 + g] = fma(delta, PF(4u), pi);`,
  ];
  fused("adadelta", body.filter(Boolean).join("\n"), [p, g, sq, ad], [s.wds, s.rho, s.omr, s.eps, s.negLr]);
  return true;
}

/** cumsum / cumprod along dim into dtype d (Note [Row shaders]): each thread folds a chunk of the
 *  row, the workgroup scans the chunks' totals (Hillis and Steele), and each thread folds its chunk
 *  again from its prefix, writing as it goes. Float32 adds in float32 (the CPU in float64). */
export function scan(x: Tensor, dim: number, kind: "sum" | "prod", d: DType): Tensor | null {
  // (integers summed into floats: cast first, as the row kernel reads float32 rows for a float32 y)
  if (d === float32 && x.dtype !== float32) { const c = contiguousCopy(x, float32); return c && scan(c, dim, kind, d); }
  const ct = computeType(x.dtype, d), id = kind === "sum" ? `${ct}(0)` : `${ct}(1)`, op = kind === "sum" ? "+" : "*";
  return rowKernel(`cum${kind} ${ct}`, [x], dim, `  let chunk = (L + ${WG - 1}u) / ${WG}u;
  let j0 = min(L, li * chunk); let j1 = min(L, j0 + chunk);
  var acc = ${id};
  for (var j = j0; j < j1; j++) { acc = acc ${op} ${ct}(x0[at(b0, s0, j)]); }
  part[li] = acc;
  workgroupBarrier();
  for (var off = 1u; off < ${WG}u; off <<= 1u) {
    var v = ${id};
    if (li >= off) { v = part[li - off]; }
    workgroupBarrier();
    part[li] = part[li] ${op} v;
    workgroupBarrier();
  }
  var run = ${id};
  if (li > 0u) { run = part[li - 1u]; }
  for (var j = j0; j < j1; j++) {
    run = run ${op} ${ct}(x0[at(b0, s0, j)]);
    y[at(by, sy, j)] = ${wgslType(d)}(run);
  }`, d, `var<workgroup> part: array<${ct}, ${WG}>;
`);
}

/** The longest lane the device sorts (its keys and positions in workgroup memory: 8 KiB). */
const SORT_MAX = 1024;

/** The stable ascending (descending) order of x's lanes along dim: int64 positions, x's shape
 *  (Note [Row shaders]). A bitonic network over the lane padded to a power of two in workgroup
 *  memory; ties are ordered by position and NaN sorts greatest, so the order is the CPU's stable
 *  one. Lanes longer than SORT_MAX are declined. */
export function sortOrder(x: Tensor, dim: number, descending: boolean): Tensor | null {
  if ((x._shape[dim] ?? 1) > SORT_MAX) return null;
  const ty = wgslType(x.dtype), nan = (v: string) => (ty === "f32" ? `isnan_(${v})` : "false");
  const order = rowKernel(`sort ${ty}${descending ? " descending" : ""}`, [x], dim, `  var N = 1u;
  while (N < L) { N <<= 1u; }
  for (var i = li; i < N; i += ${WG}u) {
    if (i < L) { key[i] = x0[at(b0, s0, i)]; }
    pos[i] = i;
  }
  workgroupBarrier();
  for (var k = 2u; k <= N; k <<= 1u) {
    for (var j = k >> 1u; j > 0u; j >>= 1u) {
      for (var i = li; i < N; i += ${WG}u) {
        let l = i ^ j;
        if (l > i && ((i & k) == 0u) == before(l, i, L)) {
          let tk = key[i]; key[i] = key[l]; key[l] = tk;
          let tp = pos[i]; pos[i] = pos[l]; pos[l] = tp;
        }
      }
      workgroupBarrier();
    }
  }
  for (var i = li; i < L; i += ${WG}u) { y[at(by, sy, i)] = i32(pos[i]); }`, int64, `var<workgroup> key: array<${ty}, ${SORT_MAX}>;
var<workgroup> pos: array<u32, ${SORT_MAX}>;
// whether the element at a sorts before the one at b: the padding (positions past L) last, NaN
// ${descending ? "first" : "last"}, ties by position
fn before(a: u32, b: u32, L: u32) -> bool {
  let pa = pos[a]; let pb = pos[b];
  if (pa >= L || pb >= L) { return pb >= L && pa < L; }
  let ka = key[a]; let kb = key[b];
  let na = ${nan("ka")}; let nb = ${nan("kb")};
  if (na != nb) { return ${descending ? "na" : "nb"}; }
  if (!na && ka != kb) { return ka ${descending ? ">" : "<"} kb; }
  return pa < pb;
}
`);
  if (order !== null) mem(order).bound = x._shape[dim] ?? 1; // (positions along the lane: Note [Index shaders])
  return order;
}

/** scatter_reduce's values (a new tensor: x's copy reduced into), on the device; null where it has
 *  no kernel. */
export function scatterReduce(x: Tensor, d: number, index: Tensor, src: Tensor, reduce: "sum" | "prod" | "mean" | "amax" | "amin", includeSelf: boolean): Tensor | null {
  const out = onDevice(x) ? contiguousCopy(x, x.dtype) : null;
  return out && scatterReduceInto(out, d, index, src, reduce, includeSelf) ? out : null;
}
