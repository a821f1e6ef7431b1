// The special functions on the WebGPU device, in WGSL: the gamma family (lgamma, digamma,
// polygamma, zeta), erfinv, the modified Bessel functions i0/i0e/i1/i1e, ndtri, log_ndtr, erfcx,
// entr, xlogy/xlog1py, hypot and nextafter, as expressions for the elementwise kernels
// (./kernels.ts) over the functions of SPECIAL.
//
// They follow the CPU's kernels (src/ops/special_ops.ts, Note [Special function numerics]: Cephes'
// algorithms as PyTorch's Math.h, whose float32 kernels compute in float arithmetic as these do),
// with the same coefficients (src/core/special.ts), written out here as straight-line WGSL. Where a
// CPU kernel's algorithm needs float64 to be accurate, the device uses one made for float32:
// lgamma is Stirling's series after shifting x past 8 (the CPU's Lanczos sum cancels to a few ulp
// of its largest term), erfinv is Giles' single-precision approximation (PyTorch's Newton steps
// need an erf accurate to an ulp).

import { DIGAMMA_A, ZETA_A, I0E_A, I0E_B, I1E_A, I1E_B, NDTRI_P0, NDTRI_Q0, NDTRI_P1, NDTRI_Q1, NDTRI_P2, NDTRI_Q2 } from "../../core/special.js";

/** A WGSL float literal for v. */
const lit = (v: number): string => (/[.e]/.test(String(v)) ? String(v) : `${v}.0`);

/** WGSL function `name`(x): Horner's evaluation of A[0]·x^len + … + A[len] (Cephes polevl). */
const polevl = (name: string, A: readonly number[]): string =>
  `fn ${name}(x: f32) -> f32 { return ${A.slice(1).reduce((acc, a) => `(${acc}) * x + ${lit(a)}`, lit(A[0]!))}; }\n`;

/** WGSL function `name`(x): Clenshaw's sum of a Chebyshev series (Cephes chbevl). */
const chbevl = (name: string, A: readonly number[]): string => `fn ${name}(x: f32) -> f32 {
  var b0 = ${lit(A[0]!)};
  var b1 = 0.0;
  var b2 = 0.0;
${A.slice(1).map((a) => `  b2 = b1; b1 = b0; b0 = x * b1 - b2 + ${lit(a)};\n`).join("")}  return 0.5 * (b0 - b2);
}
`;

/** Hurwitz zeta's Euler–Maclaurin terms (Cephes zeta's second loop), unrolled over ZETA_A. */
const zetaTail = ZETA_A.map((a) => `  aa = aa * (x + k); b = b / w; t = aa * b / ${lit(a)}; s = s + t;
  if (abs(t / s) < 1.11022302462515654042e-16) { return s; }
  k = k + 1.0; aa = aa * (x + k); b = b / w; k = k + 1.0;
`).join("");

/** WGSL functions the expressions below call (after ./kernels.ts's PRELUDE: nan_, log_, sin_ …). */
const SPECIAL = `${polevl("digammaA_", DIGAMMA_A)}${chbevl("i0eA_", I0E_A)}${chbevl("i0eB_", I0E_B)}${chbevl("i1eA_", I1E_A)}${chbevl("i1eB_", I1E_B)}${
  polevl("ndtriP0_", NDTRI_P0)}${polevl("ndtriQ0_", NDTRI_Q0)}${polevl("ndtriP1_", NDTRI_P1)}${polevl("ndtriQ1_", NDTRI_Q1)}${polevl("ndtriP2_", NDTRI_P2)}${polevl("ndtriQ2_", NDTRI_Q2)}
// lgamma for x > 0: Stirling's series at z = x + n >= 8, less log(x (x + 1) … (x + n - 1))
fn lgammaPos_(x: f32) -> f32 {
  var z = x;
  var p = 1.0;
  loop {
    if (z >= 8.0) { break; }
    p = p * z;
    z = z + 1.0;
  }
  let r = 1.0 / z;
  let r2 = r * r;
  return (z - 0.5) * log(z) - z + 0.91893853320467274 + r * (0.083333333333333333 - r2 * (0.0027777777777777778 - r2 * 0.00079365079365079365)) - log(p);
}
fn lgamma_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (abs(x) == inf_() || (x <= 0.0 && x == floor(x))) { return inf_(); }
  if (x >= 0.0) { return lgammaPos_(x); }
  // reflection: Γ(x)Γ(1-x) = π / sin(πx), sin(πx) from x's fractional part
  return log(3.14159265358979324 / abs(sin_(3.14159265358979324 * (x - floor(x))))) - lgammaPos_(1.0 - x);
}
// calc_digamma (Cephes psi): reflection below 0, the recurrence up to 10, the asymptotic series
fn digamma_(x0: f32) -> f32 {
  if (isnan_(x0)) { return x0; }
  if (x0 == 0.0) { return select(-inf_(), inf_(), (bitcast<u32>(x0) >> 31u) == 1u); }
  var x = x0;
  var result = 0.0;
  if (x < 0.0) {
    if (x == trunc(x)) { return nan_(); }
    let sc = sincos_(3.14159265358979324 * (x - trunc(x)));
    result = -3.14159265358979324 * sc.y / sc.x;
    x = 1.0 - x;
  }
  loop {
    if (x >= 10.0) { break; }
    result = result - 1.0 / x;
    x = x + 1.0;
  }
  if (x == 10.0) { return result + 2.25175258906672110764; }
  var y = 0.0;
  if (x < 1e17) {
    let z = 1.0 / (x * x);
    y = z * digammaA_(z);
  }
  return result + log(x) - 0.5 / x - y;
}
// Math.h's trigamma
fn trigamma_(x0: f32) -> f32 {
  var x = x0;
  var sign = 1.0;
  var result = 0.0;
  if (x < 0.5) {
    sign = -1.0;
    let s = sin_(3.14159265358979324 * x);
    result = result - 9.86960440108935862 / (s * s);
    x = 1.0 - x;
  }
  for (var i = 0; i < 6; i++) {
    result = result + 1.0 / (x * x);
    x = x + 1.0;
  }
  let ixx = 1.0 / (x * x);
  result = result + (1.0 + 1.0 / (2.0 * x) + ixx * (1.0 / 6.0 - ixx * (1.0 / 30.0 - ixx * (1.0 / 42.0)))) / x;
  return sign * result;
}
// Hurwitz zeta ζ(x, q) (Cephes zeta): the direct sum, then Euler–Maclaurin
fn zeta_(x: f32, q: f32) -> f32 {
  if (isnan_(x) || isnan_(q)) { return nan_(); }
  if (x == 1.0) { return inf_(); }
  if (x < 1.0) { return nan_(); }
  if (q <= 0.0) {
    if (q == floor(q)) { return inf_(); }
    if (x != floor(x)) { return nan_(); }
  }
  var s = pow_(q, -x);
  var a = q;
  var b = 0.0;
  // (a bounded loop: q far below 0 would take -q steps)
  for (var i = 0; i < 1048576; i++) {
    if (i >= 9 && a > 9.0) { break; }
    a = a + 1.0;
    b = pow_(a, -x);
    s = s + b;
    if (-1.11022302462515654042e-16 * s < b && b < 1.11022302462515654042e-16 * s) { return s; }
  }
  let w = a;
  s = s + b * w / (x - 1.0);
  s = s - 0.5 * b;
  var aa = 1.0;
  var k = 0.0;
  var t = 0.0;
${zetaTail}  return s;
}
fn polygamma_(n: f32, x: f32) -> f32 {
  if (n == 0.0) { return digamma_(x); }
  if (n == 1.0) { return trigamma_(x); }
  return select(-1.0, 1.0, (i32(n) & 1) == 1) * exp(lgamma_(n + 1.0)) * zeta_(n + 1.0, x);
}
// Giles, "Approximating the erfinv function" (GPU Computing Gems, 2011), single precision
fn erfinv_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (abs(x) >= 1.0) { return select(nan_(), sign(x) * inf_(), abs(x) == 1.0); }
  var w = -log((1.0 - x) * (1.0 + x));
  var p: f32;
  if (w < 5.0) {
    w = w - 2.5;
    p = 2.81022636e-08;
    p = 3.43273939e-07 + p * w; p = -3.5233877e-06 + p * w; p = -4.39150654e-06 + p * w;
    p = 0.00021858087 + p * w; p = -0.00125372503 + p * w; p = -0.00417768164 + p * w;
    p = 0.246640727 + p * w; p = 1.50140941 + p * w;
  } else {
    w = sqrt(w) - 3.0;
    p = -0.000200214257;
    p = 0.000100950558 + p * w; p = 0.00134934322 + p * w; p = -0.00367342844 + p * w;
    p = 0.00573950773 + p * w; p = -0.0076224613 + p * w; p = 0.00943887047 + p * w;
    p = 1.00167406 + p * w; p = 2.83297682 + p * w;
  }
  return p * x;
}
fn i0e_(v: f32) -> f32 {
  let x = abs(v);
  if (x <= 8.0) { return i0eA_(x / 2.0 - 2.0); }
  return i0eB_(32.0 / x - 2.0) / sqrt(x);
}
fn i1e_(v: f32) -> f32 {
  let x = abs(v);
  var r: f32;
  if (x <= 8.0) { r = i1eA_(x / 2.0 - 2.0) * x; } else { r = i1eB_(32.0 / x - 2.0) / sqrt(x); }
  return select(r, -r, v < 0.0);
}
// calc_ndtri (Cephes ndtri)
fn ndtri_(y0: f32) -> f32 {
  if (y0 == 0.0) { return -inf_(); }
  if (y0 == 1.0) { return inf_(); }
  if (!(y0 > 0.0 && y0 < 1.0) || isnan_(y0)) { return nan_(); }
  let E2 = 0.13533528323661269189;
  var y = y0;
  var code = true;
  if (y > 1.0 - E2) { y = 1.0 - y; code = false; }
  if (y > E2) {
    y = y - 0.5;
    let y2 = y * y;
    return (y + y * (y2 * ndtriP0_(y2) / ndtriQ0_(y2))) * 2.50662827463100050242;
  }
  let x = sqrt(-2.0 * log(y));
  let x0 = x - log(x) / x;
  let z = 1.0 / x;
  var x1: f32;
  if (x < 8.0) { x1 = z * ndtriP1_(z) / ndtriQ1_(z); } else { x1 = z * ndtriP2_(z) / ndtriQ2_(z); }
  return select(x0 - x1, x1 - x0, code);
}
// erfcx(x) = exp(x²)·erfc(x) for x >= 0: directly below 0.5, else the continued fraction
// erfc(x) = e^{-x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by modified Lentz (as the CPU)
fn erfcxPos_(x: f32) -> f32 {
  if (x < 0.5) { return exp(x * x) * (1.0 - erf_(x)); }
  if (x == inf_()) { return 0.0; }
  var f = x;
  var C = x;
  var D = 0.0;
  for (var n = 1; n < 5000; n++) {
    let a = f32(n) * 0.5;
    D = x + a * D;
    if (D == 0.0) { D = 1e-30; }
    D = 1.0 / D;
    C = x + a / C;
    if (C == 0.0) { C = 1e-30; }
    let delta = C * D;
    f = f * delta;
    if (abs(delta - 1.0) < 1e-7) { break; }
  }
  return 1.0 / (f * 1.7724538509055160273);
}
fn erfcx_(x: f32) -> f32 {
  if (isnan_(x)) { return x; }
  if (x < 0.0) { return select(2.0 * exp(x * x) - erfcxPos_(-x), inf_(), x < -26.7); }
  return erfcxPos_(x);
}
// calc_log_ndtr: log(erfcx(-t)/2) - t² below -1, else log1p(-erfc(t)/2), t = x/√2
fn logNdtr_(x: f32) -> f32 {
  let t = x * 0.70710678118654752;
  if (x < -1.0) { return log_(erfcx_(-t) / 2.0) - t * t; }
  let erfc = select(1.0 - erf_(t), exp(-t * t) * erfcxPos_(t), t >= 0.5);
  return log1p_(-erfc / 2.0);
}
fn hypot_(a: f32, b: f32) -> f32 {
  if (abs(a) == inf_() || abs(b) == inf_()) { return inf_(); }
  if (isnan_(a) || isnan_(b)) { return nan_(); }
  let m = max(abs(a), abs(b));
  let r = min(abs(a), abs(b)) / m;
  return select(m * sqrt(1.0 + r * r), 0.0, m == 0.0);
}
// the float32 next to x towards y, on the bits
fn nextafter_(x: f32, y: f32) -> f32 {
  if (isnan_(x) || isnan_(y)) { return nan_(); }
  if (x == y) { return y; }
  if (x == 0.0) { return bitcast<f32>(select(1u, 0x80000001u, y < 0.0)); }
  let u = bitcast<u32>(x);
  return bitcast<f32>(select(u - 1u, u + 1u, (y > x) == (x > 0.0)));
}
`;

/** Special functions of an element a (the op names of src/ops/special_ops.ts's records). */
export const SPECIAL_UNARY: Record<string, string> = {
  lgamma: "lgamma_(a)", digamma: "digamma_(a)", erfinv: "erfinv_(a)",
  i0: "exp(abs(a)) * i0e_(a)", special_i0e: "i0e_(a)", special_i1: "exp(abs(a)) * i1e_(a)", special_i1e: "i1e_(a)",
  special_ndtri: "ndtri_(a)", special_log_ndtr: "logNdtr_(a)", special_erfcx: "erfcx_(a)",
  special_entr: "select(select(select(-inf_(), 0.0, a == 0.0), -a * log(a), a > 0.0), a, isnan_(a))",
};
/** … of a and a number b (polygamma's order). */
export const SPECIAL_UNARY_PARAMS: Record<string, string> = { polygamma: "polygamma_(b, a)" };
/** … of elements a and b. */
export const SPECIAL_BINARY: Record<string, string> = {
  xlogy: "select(select(a * log_(b), 0.0, a == 0.0), nan_(), isnan_(b))",
  xlog1py: "select(select(a * log1p_(b), 0.0, a == 0.0), nan_(), isnan_(b))",
  hypot: "hypot_(a, b)", nextafter: "nextafter_(a, b)", zeta: "zeta_(a, b)",
};

const DEFINED = [...SPECIAL.matchAll(/^fn (\w+)\(/gm)].map((m) => m[1]!);
/** The functions of SPECIAL when an elementwise expression calls one (a shader compiles only the
 *  code it may run: SPECIAL is long). */
export const specialFor = (expr: string): string => (DEFINED.some((f) => expr.includes(`${f}(`)) ? SPECIAL : "");
