// Special and remaining pointwise math: inverse hyperbolics, sinc, copysign, hypot, logaddexp,
// xlogy, nextafter, ldexp, frexp, gcd/lcm, isin, addcmul/addcdiv, the gamma family (lgamma,
// digamma, polygamma, mvlgamma), erfinv, the modified Bessel functions i0/i0e/i1/i1e, and what
// torch.special adds (ndtr, ndtri, log_ndtr, erfcx, entr, xlog1py, zeta). One record per op with
// its backward beside it (PyTorch's derivatives.yaml), written in Tensor ops so it differentiates
// again.
//
// Note [Special function numerics]: the scalar kernels follow the algorithms of PyTorch's CPU
// kernels (aten/src/ATen/native/Math.h, mostly derived from the Cephes Math Library): the same
// Chebyshev/polynomial coefficients (public numerical constants) and the same argument
// reductions, evaluated in float64 and rounded once to the output dtype. PyTorch evaluates the
// float32 kernels in float arithmetic, so float32 results can differ from PyTorch's by a few ulp.
// lgamma has no Math.h kernel (PyTorch calls std::lgamma); here it is a Lanczos sum with the
// reflection formula, accurate to about 1e-15 absolute near its zeros.

import { Tensor } from "../core/tensor.js";
import { type DType, bool, int32, int64, float32, float64, get_default_dtype, scalarTypeName } from "../core/dtype.js";
import { broadcastShapes, sameShape } from "../core/shape.js";
import * as K from "../backends/index.js";
import { record, savedFor } from "../autograd/record.js";
import { no_grad } from "../autograd/grad_mode.js";
import {
  erf as erfScalar, erfc as erfcScalar, erfcxLarge, erfinvScalar,
  DIGAMMA_A, ZETA_A, IGAM_D, I0E_A, I0E_B, I1E_A, I1E_B, NDTRI_P0, NDTRI_Q0, NDTRI_P1, NDTRI_Q1, NDTRI_P2, NDTRI_Q2,
} from "../core/special.js";
import { resultType, asTensor, installMethods, warnResized, type TensorOrScalar } from "./util.js";
import { full, zeros } from "./creation.js";
import { scalbn } from "../core/random.js";
import { inplace } from "./inplace.js";
import { where, pow, abs, erf as erfOp, mulScalar } from "./elementwise.js";
import { cat } from "./indexing.js";

// ---------------------------------------------------------------------------------------------
// Scalar kernels

const PI = Math.PI;

/** Horner evaluation of A[0]·x^len + … + A[len] (Cephes polevl). */
function polevl(x: number, A: readonly number[]): number {
  let r = 0;
  for (const a of A) r = r * x + a;
  return r;
}

/** Clenshaw sum of a Chebyshev series, coefficients highest order first (Cephes chbevl). */
function chbevl(x: number, A: readonly number[]): number {
  let b0 = A[0]!, b1 = 0, b2 = 0;
  for (let i = 1; i < A.length; i++) { b2 = b1; b1 = b0; b0 = x * b1 - b2 + A[i]!; }
  return 0.5 * (b0 - b2);
}

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * PI);

export function lgammaScalar(x: number): number {
  if (Number.isNaN(x)) return x;
  if (!Number.isFinite(x)) return Infinity;
  if (x <= 0 && x === Math.floor(x)) return Infinity;
  if (x === 1 || x === 2) return 0;
  if (x < 0.5) {
    // reflection: Γ(x)Γ(1-x) = π / sin(πx), with sin(πx) from the fractional part for accuracy
    const s = Math.sin(PI * (x - Math.floor(x)));
    return Math.log(PI / Math.abs(s)) - lgammaScalar(1 - x);
  }
  if (x > 1e7) return (x - 0.5) * Math.log(x) - x + HALF_LOG_2PI + 1 / (12 * x);
  const z = x - 1;
  let a = LANCZOS[0]!;
  for (let i = 1; i < 9; i++) a += LANCZOS[i]! / (z + i);
  const t = z + 7.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const PSI_10 = 2.25175258906672110764;

/** calc_digamma of Math.h (Cephes psi). */
export function digammaScalar(x: number): number {
  if (x === 0) return Object.is(x, -0) ? Infinity : -Infinity; // copysign(inf, -x)
  if (x < 0) {
    if (x === Math.trunc(x)) return NaN;
    const r = x - Math.trunc(x);
    return digammaScalar(1 - x) - PI / Math.tan(PI * r);
  }
  let result = 0;
  while (x < 10) { result -= 1 / x; x += 1; }
  if (x === 10) return result + PSI_10;
  let y = 0;
  if (x < 1e17) { const z = 1 / (x * x); y = z * polevl(z, DIGAMMA_A); }
  return result + Math.log(x) - 0.5 / x - y;
}

/** trigamma of Math.h. */
function trigammaScalar(x: number): number {
  let sign = 1, result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = Math.sin(PI * x);
    result -= (PI * PI) / (s * s);
    x = 1 - x;
  }
  for (let i = 0; i < 6; i++) { result += 1 / (x * x); x += 1; }
  const ixx = 1 / (x * x);
  result += (1 + 1 / (2 * x) + ixx * (1 / 6 - ixx * (1 / 30 - ixx * (1 / 42)))) / x;
  return sign * result;
}

/** trigamma in float arithmetic, as Math.h's float overload (its rounding differs from the
 *  double kernel's by more than float32 tolerance at small x). */
function trigammaScalar32(x: number): number {
  const f = Math.fround, pi = f(PI);
  let sign = 1, result = 0;
  if (x < 0.5) {
    sign = -1;
    const s = f(Math.sin(f(pi * x)));
    result = f(result - f(f(pi * pi) / f(s * s)));
    x = f(1 - x);
  }
  for (let i = 0; i < 6; i++) { result = f(result + f(1 / f(x * x))); x = f(x + 1); }
  const ixx = f(1 / f(x * x));
  const inner = f(f(1 / 6) - f(ixx * f(f(1 / 30) - f(ixx * f(1 / 42)))));
  result = f(result + f(f(f(1 + f(1 / f(2 * x))) + f(ixx * inner)) / x));
  return sign * result;
}

const MACHEP = 1.11022302462515654042e-16;

/** Hurwitz zeta ζ(x, q) (Cephes zeta, as Math.h): direct sum, then Euler-Maclaurin. */
export function zetaScalar(x: number, q: number): number {
  if (x === 1) return Infinity;
  if (x < 1) return NaN;
  if (q <= 0) {
    if (q === Math.floor(q)) return Infinity;
    if (x !== Math.floor(x)) return NaN;
  }
  let s = Math.pow(q, -x), a = q, i = 0, b = 0;
  while (i < 9 || a <= 9) {
    i += 1; a += 1;
    b = Math.pow(a, -x);
    s += b;
    if (-MACHEP * s < b && b < MACHEP * s) return s;
  }
  const w = a;
  s += (b * w) / (x - 1);
  s -= 0.5 * b;
  a = 1;
  let k = 0;
  for (let j = 0; j < 12; j++) {
    a *= x + k; b /= w;
    let t = (a * b) / ZETA_A[j]!;
    s += t;
    t = Math.abs(t / s);
    if (t < MACHEP) return s;
    k += 1; a *= x + k; b /= w; k += 1;
  }
  return s;
}

function polygammaScalar(n: number, x: number, single = false): number {
  if (n === 0) return digammaScalar(x);
  if (n === 1) return single ? trigammaScalar32(x) : trigammaScalar(x);
  return (n % 2 ? 1 : -1) * Math.exp(lgammaScalar(n + 1)) * zetaScalar(n + 1, x);
}

function i0eScalar(v: number): number {
  const x = Math.abs(v);
  if (x <= 8) return chbevl(x / 2 - 2, I0E_A);
  return chbevl(32 / x - 2, I0E_B) / Math.sqrt(x);
}
function i0Scalar(v: number): number {
  const x = Math.abs(v);
  if (x <= 8) return Math.exp(x) * chbevl(x / 2 - 2, I0E_A);
  return (Math.exp(x) * chbevl(32 / x - 2, I0E_B)) / Math.sqrt(x);
}
function i1eScalar(v: number): number {
  const x = Math.abs(v);
  const out = x <= 8 ? chbevl(x / 2 - 2, I1E_A) * x : chbevl(32 / x - 2, I1E_B) / Math.sqrt(x);
  return v < 0 ? -out : out;
}
function i1Scalar(v: number): number {
  const x = Math.abs(v);
  const out = x <= 8 ? Math.exp(x) * x * chbevl(x / 2 - 2, I1E_A) : (Math.exp(x) * chbevl(32 / x - 2, I1E_B)) / Math.sqrt(x);
  return v < 0 ? -out : out;
}

/** calc_ndtri of Math.h (Cephes ndtri). */
function ndtriScalar(y0: number): number {
  if (y0 === 0) return -Infinity;
  if (y0 === 1) return Infinity;
  if (!(y0 >= 0 && y0 <= 1)) return NaN;
  const E2 = 0.13533528323661269189;
  let code = true, y = y0;
  if (y > 1 - E2) { y = 1 - y; code = false; }
  if (y > E2) {
    y -= 0.5;
    const y2 = y * y;
    return (y + y * ((y2 * polevl(y2, NDTRI_P0)) / polevl(y2, NDTRI_Q0))) * 2.50662827463100050242;
  }
  const x = Math.sqrt(-2 * Math.log(y));
  const x0 = x - Math.log(x) / x, z = 1 / x;
  const x1 = x < 8 ? (z * polevl(z, NDTRI_P1)) / polevl(z, NDTRI_Q1) : (z * polevl(z, NDTRI_P2)) / polevl(z, NDTRI_Q2);
  return code ? -(x0 - x1) : x0 - x1;
}

/** erfcx(x) = exp(x²)·erfc(x), without overflow for large x (PyTorch uses Faddeeva's erfcx;
 *  here the continued fraction for x >= 0.5, the direct product below, reflection for x < 0). */
function erfcxScalar(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x < 0) return x < -26.7 ? Infinity : 2 * Math.exp(x * x) - erfcxScalar(-x);
  if (x < 0.5) return Math.exp(x * x) * erfcScalar(x);
  return erfcxLarge(x);
}

/** calc_log_ndtr of Math.h. */
function logNdtrScalar(x: number): number {
  const t = x * Math.SQRT1_2;
  if (x < -1) return Math.log(erfcxScalar(-t) / 2) - t * t;
  return Math.log1p(-erfcScalar(t) / 2);
}

function entrScalar(x: number): number {
  if (Number.isNaN(x)) return x;
  if (x > 0) return -x * Math.log(x);
  if (x === 0) return 0;
  return -Infinity;
}

const f32 = new Float32Array(1), u32 = new Uint32Array(f32.buffer);
const f64 = new Float64Array(1), u64 = new BigUint64Array(f64.buffer);
/** std::nextafter for float64 or float32 (`single`). */
function nextafterScalar(x: number, y: number, single: boolean): number {
  if (Number.isNaN(x) || Number.isNaN(y)) return NaN;
  if (x === y) return y;
  if (x === 0) {
    const tiny = single ? 1.401298464324817e-45 : Number.MIN_VALUE;
    return y > 0 ? tiny : -tiny;
  }
  const up = (y > x) === (x > 0);
  if (single) { f32[0] = x; u32[0] = up ? u32[0]! + 1 : u32[0]! - 1; return f32[0]!; }
  f64[0] = x; u64[0] = up ? u64[0]! + 1n : u64[0]! - 1n; return f64[0]!;
}

/** Mantissa in [0.5, 1) and exponent with x = m·2^e (C frexp; 0, inf and NaN give e = 0). */
function frexpScalar(x: number): [number, number] {
  if (x === 0 || !Number.isFinite(x)) return [x, 0];
  let scale = 0;
  if (Math.abs(x) < 2 ** -1000) { x *= 2 ** 600; scale = -600; } // subnormals: 2^-e would overflow
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = x * 2 ** -e;
  while (Math.abs(m) < 0.5) { m *= 2; e -= 1; }
  while (Math.abs(m) >= 1) { m /= 2; e += 1; }
  e += scale;
  return [m, e];
}

function gcdBig(a: bigint, b: bigint): bigint {
  a = a < 0n ? -a : a; b = b < 0n ? -b : b;
  while (a !== 0n) { const c = a; a = b % a; b = c; }
  return b;
}

// ---------------------------------------------------------------------------------------------
// Unary ops: integer inputs compute in the default float dtype

type Grad1 = (g: Tensor, x: Tensor, y: Tensor) => Tensor;

function floatDtype(x: Tensor): DType { return x.dtype.is_floating_point ? x.dtype : get_default_dtype(); }

function unaryFloat(node: string, x: Tensor, f: (v: number) => number, grad: Grad1 | null, params?: number[]): Tensor {
  // (the op's name, for the device's kernels and its fallback's warning: "SpecialI0EBackward0": "special_i0e")
  const op = node.replace(/Backward\d*$/, "").replace(/(?<=[a-z])(?=[A-Z])/g, "_").toLowerCase();
  const y = K.unary(x, f, floatDtype(x), op, params);
  if (!grad) return y;
  return record(node, [x], y, ([g], [xs, ys]) => [grad(g!, xs!, ys!)], [x, y]);
}

export const acosh = (x: Tensor): Tensor => unaryFloat("AcoshBackward0", x, Math.acosh, (g, x) => g.mul(x.square().sub(1).rsqrt()));
export const asinh = (x: Tensor): Tensor => unaryFloat("AsinhBackward0", x, Math.asinh, (g, x) => g.mul(x.square().add(1).rsqrt()));
export const atanh = (x: Tensor): Tensor => unaryFloat("AtanhBackward0", x, Math.atanh, (g, x) => g.mul(x.square().rsub(1).reciprocal()));
export const arccosh = acosh, arcsinh = asinh, arctanh = atanh;
export const absolute = abs;

/** torch.positive: the input itself (an error for bool, as Python's unary `+`). */
export function positive(x: Tensor): Tensor {
  if (x.dtype === bool) throw new Error("The `+` operator, on a bool tensor is not supported.");
  return x;
}

const M_PI_180 = PI / 180, M_180_PI = 180 / PI;
export const deg2rad = (x: Tensor): Tensor => unaryFloat("Deg2RadBackward0", x, (v) => v * M_PI_180, (g) => g.mul(M_PI_180));
export const rad2deg = (x: Tensor): Tensor => unaryFloat("Rad2DegBackward0", x, (v) => v * M_180_PI, (g) => g.mul(M_180_PI));

export const sinc = (x: Tensor): Tensor => unaryFloat("SincBackward0", x, (v) => {
  if (v === 0) return 1;
  const p = PI * v;
  return Math.sin(p) / p;
}, (g, x) => {
  // PyTorch's sinc_backward: (πx·cos πx − sin πx)/(πx²), 0 where x = 0
  const xp = x.mul(PI), sq = x.mul(x).mul(PI);
  return where(sq.eq(0), 0, g.mul(xp.mul(xp.cos()).sub(xp.sin())).div(sq));
});

export const lgamma = (x: Tensor): Tensor => unaryFloat("LgammaBackward0", x, lgammaScalar, (g, x) => g.mul(digamma(x)));
export const digamma = (x: Tensor): Tensor => unaryFloat("DigammaBackward0", x, digammaScalar, (g, x) => g.mul(polygamma(1, x)));
export const erfinv = (x: Tensor): Tensor => unaryFloat("ErfinvBackward0", x, erfinvScalar,
  (g, x) => erfinv(x).square().exp().mul(0.5 * Math.sqrt(PI)).mul(g));
export const i0 = (x: Tensor): Tensor => unaryFloat("I0Backward0", x, i0Scalar, (g, x) => g.mul(i1(x)));
export const i0e = (x: Tensor): Tensor => unaryFloat("SpecialI0EBackward0", x, i0eScalar, (g, x, y) => g.mul(i1e(x).sub(x.sgn().mul(y))));
export const i1 = (x: Tensor): Tensor => unaryFloat("SpecialI1Backward0", x, i1Scalar, (g, x, y) => {
  // PyTorch's i1_backward: i0(x) − i1(x)/x, with the limit 1/2 at |x| <= eps
  const eps = x.dtype === float64 ? 2.220446049250313e-16 : 1.1920928955078125e-7;
  const notTiny = x.abs().gt(eps), safe = where(notTiny, x, eps);
  return g.mul(where(notTiny, i0(safe).sub(y.mul(safe.reciprocal())), 0.5));
});
export const i1e = (x: Tensor): Tensor => unaryFloat("SpecialI1EBackward0", x, i1eScalar, (g, x, y) => {
  const eps = x.dtype === float64 ? 2.220446049250313e-16 : 1.1920928955078125e-7;
  const notTiny = x.abs().gt(eps), safe = where(notTiny, x, eps);
  return g.mul(where(notTiny, i0e(safe).sub(y.mul(safe.sgn().add(safe.reciprocal()))), 0.5));
});
export const ndtri = (x: Tensor): Tensor => unaryFloat("SpecialNdtriBackward0", x, ndtriScalar,
  (g, _x, y) => g.mul(Math.sqrt(2 * PI)).mul(y.square().div(2).exp()));
export const log_ndtr = (x: Tensor): Tensor => unaryFloat("SpecialLogNdtrBackward0", x, logNdtrScalar,
  (g, x, y) => g.div(Math.sqrt(2 * PI)).mul(y.add(x.pow(2).div(2)).neg().exp()));
export const erfcx = (x: Tensor): Tensor => unaryFloat("SpecialErfcxBackward0", x, erfcxScalar,
  (g, x, y) => x.mul(2).mul(y).sub(2 / Math.sqrt(PI)).mul(g));
export const entr = (x: Tensor): Tensor => unaryFloat("SpecialEntrBackward0", x, entrScalar, (g, x) => g.mul(x.log().add(1).neg()));

/** special.ndtr(x) = (1 + erf(x/√2))/2, composed as PyTorch (its node is the last mul's, MulBackward1). */
export function ndtr(x: Tensor): Tensor {
  return mulScalar(erfOp(x.mul(Math.SQRT1_2)).add(1), 0.5);
}

/** torch.polygamma(n, x): the n-th derivative of digamma. */
export function polygamma(n: number, x: Tensor): Tensor {
  if (n < 0) throw new Error("polygamma(n, x) does not support negative n.");
  return polygammaNode("PolygammaBackward0", n, x);
}
function polygammaNode(node: string, n: number, x: Tensor): Tensor {
  const single = floatDtype(x) === float32;
  return unaryFloat(node, x, (v) => polygammaScalar(n, v, single), (g, x) => g.mul(polygamma(n + 1, x)), [n]);
}

/** torch.mvlgamma(x, p): the multivariate log-gamma, Σ_j lgamma(x − j/2) + p(p−1)/4·log π. */
export function mvlgamma(x: Tensor, p: number): Tensor {
  // 2.x's mvlgamma_check: no domain check (below (p-1)/2 the lgamma terms take negative arguments)
  if (x.dtype === bool) throw new Error("The input tensor may not be a boolean tensor.");
  if (p < 1) throw new Error("p has to be greater than or equal to 1");
  const xs = x.dtype.is_floating_point ? x : x.to(get_default_dtype());
  const args = K.onDeviceOf(Tensor.fromStorage(Float64Array.from({ length: p }, (_, j) => -0.5 * (p - 1) + 0.5 * j), [p], float64).to(xs.dtype), xs);
  const y = lgamma(xs.detach().unsqueeze(-1).add(args)).sum(-1).add((p * (p - 1) * Math.log(PI)) / 4);
  return record("MvlgammaBackward0", [xs], y, ([g], [s]) => [g!.mul(digamma(s!.unsqueeze(-1).add(args)).sum(-1))], [xs]);
}

// ---------------------------------------------------------------------------------------------
// Binary ops

function binaryPrep(a: TensorOrScalar, b: TensorOrScalar, float: boolean): { d: DType; A: Tensor; B: Tensor; shape: number[] } {
  let d = resultType(a, b);
  if (float && !d.is_floating_point) d = get_default_dtype();
  const A = asTensor(a, d), B = asTensor(b, d);
  return { d, A, B, shape: broadcastShapes(A.shape, B.shape) };
}

/** Kernels that PyTorch's CPU dispatch provides for floating types only. */
function floatOnly(name: string, d: DType): void {
  if (!d.is_floating_point) throw new Error(`"${name}_cpu" not implemented for '${scalarTypeName(d)}'`);
}

/** torch.copysign(a, b): |a| with b's sign; integers compute in the default float dtype. */
export function copysign(a: Tensor, b: TensorOrScalar): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, true);
  const y = K.binary(A, B, (x, s) => (s < 0 || Object.is(s, -0) ? -Math.abs(x) : Math.abs(x)), d, shape, undefined, "copysign");
  const selfGrad = (g: Tensor, as: Tensor, ys: Tensor) => g.mul(where(as.eq(0), 0, ys.div(as)));
  if (!(b instanceof Tensor)) return record("CopysignBackward1", [A], y, ([g], [as, ys]) => [selfGrad(g!, as!, ys!)], [A, y]);
  return record("CopysignBackward0", [A, B], y, ([g], [as, ys]) => [selfGrad(g!, as!, ys!), g!.mul(0)], [A, y]);
}

export function hypot(a: Tensor, b: Tensor): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, false);
  floatOnly("hypot", d);
  const y = K.binary(A, B, Math.hypot, d, shape, undefined, "hypot");
  return record("HypotBackward0", [A, B], y, ([g], [as, bs, ys]) => [g!.mul(as!).div(ys!), g!.mul(bs!).div(ys!)], [A, B, y]);
}

export function logaddexp(a: Tensor, b: Tensor): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, false);
  floatOnly("logaddexp", d);
  const y = K.binary(A, B, (x, z) => {
    if (x === z && !Number.isFinite(x)) return x;
    const m = Math.max(x, z);
    return m + Math.log1p(Math.exp(-Math.abs(x - z)));
  }, d, shape, undefined, "logaddexp");
  return record("LogaddexpBackward0", [A, B], y, ([g], [as, bs]) => [
    g!.div(bs!.sub(as!).exp().add(1)), g!.div(as!.sub(bs!).exp().add(1)),
  ], [A, B]);
}

export function logaddexp2(a: Tensor, b: Tensor): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, false);
  floatOnly("logaddexp2", d);
  const y = K.binary(A, B, (x, z) => {
    if (x === z && !Number.isFinite(x)) return x;
    const m = Math.max(x, z);
    return m + Math.log1p(Math.pow(2, -Math.abs(x - z))) / Math.LN2;
  }, d, shape, undefined, "logaddexp2");
  return record("Logaddexp2Backward0", [A, B], y, ([g], [as, bs]) => [
    g!.div(pow(2, bs!.sub(as!)).add(1)), g!.div(pow(2, as!.sub(bs!)).add(1)),
  ], [A, B]);
}

/** xlogy / xlog1py: x·log(y) (x·log1p(y)), 0 where x = 0 unless y is NaN. Three overloads as
 *  PyTorch's, each with its node (Tensor/Tensor, Scalar self, Scalar other). */
function xlogFamily(a: TensorOrScalar, b: TensorOrScalar, log1pMode: boolean): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, true);
  const lg = log1pMode ? Math.log1p : Math.log;
  const y = K.binary(A, B, (x, z) => (Number.isNaN(z) ? NaN : x === 0 ? 0 : x * lg(z)), d, shape, undefined, log1pMode ? "xlog1py" : "xlogy");
  const base = log1pMode ? "SpecialXlog1PyBackward" : "XlogyBackward";
  const self = (g: Tensor) => (log1pMode ? xlog1py(g, B) : xlogy(g, B));
  const bound = log1pMode ? -1 : 0; // where the y-derivative's x = 0 mask applies
  const other = (g: Tensor, as: Tensor, bs: Tensor) => g.mul(as).div(log1pMode ? bs.add(1) : bs);
  if (!(a instanceof Tensor)) return record(base + "1", [B], y, ([g], [bs]) => [other(g!, A, bs!)], [B]);
  if (!(b instanceof Tensor)) {
    const bv = Number(b);
    return record(base + "2", [A], y, ([g], [as]) => [bv > bound ? self(g!) : where(as!.eq(0), 0, self(g!))], [A]);
  }
  return record(base + "0", [A, B], y, ([g], [as, bs]) => [
    where(as!.eq(0).logical_and(bs!.le(bound)), 0, self(g!)), other(g!, as!, bs!),
  ], [A, B]);
}
export const xlogy = (a: TensorOrScalar, b: TensorOrScalar) => xlogFamily(a, b, false);
export const xlog1py = (a: TensorOrScalar, b: TensorOrScalar) => xlogFamily(a, b, true);

/** special.zeta(x, q): the Hurwitz zeta function; no derivative in x (PyTorch's not_implemented). */
export function zeta(a: TensorOrScalar, b: TensorOrScalar): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, true);
  const y = K.binary(A, B, zetaScalar, d, shape, undefined, "zeta");
  const noX = () => { throw new Error("the derivative for 'zeta' is not implemented."); };
  const forQ = (g: Tensor, as: Tensor, bs: Tensor) => g.mul(as.neg()).mul(zeta(as.add(1), bs));
  if (!(a instanceof Tensor)) return record("SpecialZetaBackward1", [B], y, ([g], [bs]) => [forQ(g!, A, bs!)], [B]);
  if (!(b instanceof Tensor)) return record("SpecialZetaBackward2", [A], y, () => noX());
  return record("SpecialZetaBackward0", [A, B], y, ([g], [as, bs], needs) => {
    if (needs[0]) noX();
    return [null, forQ(g!, as!, bs!)];
  }, [A, B]);
}

// The regularized incomplete gamma functions (Math.h's calc_igamma / calc_igammac, from SciPy's
// and Cephes's igam/igamc with Boost's Lanczos sum), in double.

const LANCZOS_EXPG_NUM = [
  0.006061842346248906525783753964555936883222, 0.5098416655656676188125178644804694509993,
  19.51992788247617482847860966235652136208, 449.9445569063168119446858607650988409623,
  6955.999602515376140356310115515198987526, 75999.29304014542649875303443598909137092,
  601859.6171681098786670226533699352302507, 3481712.15498064590882071018964774556468,
  14605578.08768506808414169982791359218571, 43338889.32467613834773723740590533316085,
  86363131.28813859145546927288977868422342, 103794043.1163445451906271053616070238554,
  56906521.91347156388090791033559122686859,
];
const LANCZOS_EXPG_DENOM = [1., 66., 1925., 32670., 357423., 2637558., 13339535., 45995730., 105258076., 150917976., 120543840., 39916800., 0.];
const LANCZOS_G = 6.024680040776729583740234375;
const IGAM_MACHEP = 1.11022302462515654042e-16;

/** ratevl: num(x)/denom(x), as polynomials in 1/x when |x| > 1. */
function ratevl(x: number, num: readonly number[], denom: readonly number[]): number {
  const big = Math.abs(x) > 1, y = big ? 1 / x : x;
  const horner = (c: readonly number[]) => {
    const cs = big ? [...c].reverse() : c;
    let r = cs[0]!;
    for (let i = 1; i < cs.length; i++) r = r * y + cs[i]!;
    return r;
  };
  const n = horner(num), d = horner(denom);
  return big ? Math.pow(x, denom.length - num.length) * n / d : n / d;
}
/** _igam_helper_fac: x^a e^-x / Gamma(a), with care near a = x. */
function igamFac(a: number, x: number): number {
  if (Math.abs(a - x) > 0.4 * Math.abs(a)) {
    const ax = a * Math.log(x) - x - lgammaScalar(a);
    return ax < -7.09782712893383996843e2 ? 0.0 : Math.exp(ax);
  }
  const fac = a + LANCZOS_G - 0.5;
  let res = Math.sqrt(fac / 2.718281828459045) / ratevl(a, LANCZOS_EXPG_NUM, LANCZOS_EXPG_DENOM);
  if (a < 200 && x < 200) res *= Math.exp(a - x) * Math.pow(x / fac, a);
  else {
    const numfac = (x - a - LANCZOS_G + 0.5) / fac;
    res *= Math.exp(a * (Math.log1p(numfac) - numfac) + x * (0.5 - LANCZOS_G) / fac);
  }
  return res;
}
/** _igam_helper_series: DLMF 8.11.4. */
function igamSeries(a: number, x: number): number {
  const ax = igamFac(a, x);
  if (ax === 0.0) return 0.0;
  let r = a, c = 1.0, ans = 1.0;
  for (let i = 0; i < 2000; i++) {
    r += 1.0;
    c *= x / r;
    ans += c;
    if (c <= IGAM_MACHEP * ans) break;
  }
  return ans * ax / a;
}
/** _igamc_helper_series: DLMF 8.7.3. */
function igamcSeries(a: number, x: number): number {
  let fac = 1, sum = 0;
  for (let n = 1; n < 2000; n++) {
    fac *= -x / n;
    const term = fac / (a + n);
    sum += term;
    if (Math.abs(term) <= IGAM_MACHEP * Math.abs(sum)) break;
  }
  const logx = Math.log(x);
  return -Math.expm1(a * logx - lgammaScalar(1 + a)) - Math.exp(a * logx - lgammaScalar(a)) * sum;
}
/** _igam_helper_asymptotic_series: DLMF 8.12.3 (igam) / 8.12.4 (igamc), Temme's expansion. */
function igamAsymptotic(a: number, x: number, igam: boolean): number {
  const lambda = x / a, sigma = (x - a) / a;
  const sgn = igam ? -1 : 1;
  const eta = lambda > 1 ? Math.sqrt(-2 * (Math.log1p(sigma) - sigma)) : lambda < 1 ? -Math.sqrt(-2 * (Math.log1p(sigma) - sigma)) : 0;
  const res = 0.5 * erfcScalar(sgn * eta * Math.sqrt(a / 2));
  const etapow = [1];
  let maxpow = 0, sum = 0, afac = 1, absoldterm = Infinity;
  for (let k = 0; k < 25; k++) {
    let ck = IGAM_D[k]![0]!;
    for (let n = 1; n < 25; n++) {
      if (n > maxpow) { etapow[n] = eta * etapow[n - 1]!; maxpow += 1; }
      const ckterm = IGAM_D[k]![n]! * etapow[n]!;
      ck += ckterm;
      if (Math.abs(ckterm) < IGAM_MACHEP * Math.abs(ck)) break;
    }
    const term = ck * afac, absterm = Math.abs(term);
    if (absterm > absoldterm) break;
    sum += term;
    if (absterm < IGAM_MACHEP * Math.abs(sum)) break;
    absoldterm = absterm;
    afac /= a;
  }
  // (c10::pi<float>, as Math.h writes it)
  return res + sgn * Math.exp(-0.5 * a * eta * eta) * sum / Math.sqrt(2 * Math.fround(PI) * a);
}
/** _igamc_helper_continued_fraction: DLMF 8.9.2. */
function igamcContinuedFraction(a: number, x: number): number {
  const ax = igamFac(a, x);
  if (ax === 0.0) return 0.0;
  let y = 1.0 - a, z = x + y + 1.0, c = 0.0;
  let pkm2 = 1.0, qkm2 = x, pkm1 = x + 1.0, qkm1 = z * x;
  let ans = pkm1 / qkm1;
  for (let i = 0; i < 2000; i++) {
    c += 1.0; y += 1.0; z += 2.0;
    const yc = y * c;
    const pk = pkm1 * z - pkm2 * yc, qk = qkm1 * z - qkm2 * yc;
    let t: number;
    if (qk !== 0) { const r = pk / qk; t = Math.abs((ans - r) / r); ans = r; } else t = 1.0;
    pkm2 = pkm1; pkm1 = pk; qkm2 = qkm1; qkm1 = qk;
    if (Math.abs(pk) > 4.503599627370496e15) {
      pkm2 *= 2.22044604925031308085e-16; pkm1 *= 2.22044604925031308085e-16;
      qkm2 *= 2.22044604925031308085e-16; qkm1 *= 2.22044604925031308085e-16;
    }
    if (t <= IGAM_MACHEP) break;
  }
  return ans * ax;
}
/** The boundary values (SciPy's), or null inside the domain. */
function igamEdges(a: number, x: number, lower: boolean): number | null {
  if (x < 0 || a < 0 || Number.isNaN(a) || Number.isNaN(x)) return NaN;
  if (a === 0) return x > 0 ? (lower ? 1.0 : 0.0) : NaN;
  if (x === 0) return lower ? 0.0 : 1.0;
  if (a === Infinity) return x === Infinity ? NaN : (lower ? 0.0 : 1.0);
  if (x === Infinity) return lower ? 1.0 : 0.0;
  return null;
}
/** Whether Temme's asymptotic series applies (a large, x near a). */
const igamAsymptoticRegime = (a: number, x: number) => {
  const r = Math.abs(x - a) / a;
  return (a > 20 && a < 200 && r < 0.3) || (a > 200 && r < 4.5 / Math.sqrt(a));
};
function igammacScalar(a: number, x: number): number {
  const edge = igamEdges(a, x, false);
  if (edge !== null) return edge;
  if (igamAsymptoticRegime(a, x)) return igamAsymptotic(a, x, false);
  if (x > 1.1) return x < a ? 1.0 - igamSeries(a, x) : igamcContinuedFraction(a, x);
  if (x <= 0.5) return -0.4 / Math.log(x) < a ? 1.0 - igamSeries(a, x) : igamcSeries(a, x);
  return x * 1.1 < a ? 1.0 - igamSeries(a, x) : igamcSeries(a, x);
}
function igammaScalar(a: number, x: number): number {
  const edge = igamEdges(a, x, true);
  if (edge !== null) return edge;
  if (igamAsymptoticRegime(a, x)) return igamAsymptotic(a, x, true);
  if (x > 1.0 && x > a) return 1.0 - igammacScalar(a, x);
  return igamSeries(a, x);
}

/** torch.igamma / igammac (special.gammainc / gammaincc): the regularized lower / upper
 *  incomplete gamma functions. Differentiable in x only (PyTorch's not_implemented for a). */
function igammaFamily(a: TensorOrScalar, x: TensorOrScalar, lower: boolean): Tensor {
  const { d, A, B, shape } = binaryPrep(a, x, true);
  const name = lower ? "igamma" : "igammac";
  const y = K.binary(A, B, lower ? igammaScalar : igammacScalar, d, shape, undefined, name);
  return record(lower ? "IgammaBackward0" : "IgammacBackward0", [A, B], y, ([g], [as, bs], needs) => {
    if (needs[0]) throw new Error(`the derivative for '${name}: input' is not implemented.`);
    const dx = g!.mul(as!.sub(1).mul(bs!.log()).sub(bs!).sub(lgamma(as!)).exp());
    return [null, lower ? dx : dx.neg()];
  }, [A, B]);
}
export const igamma = (input: Tensor, other: Tensor): Tensor => igammaFamily(input, other, true);
export const igammac = (input: Tensor, other: Tensor): Tensor => igammaFamily(input, other, false);

/** torch.heaviside(x, values): 0 below 0, values at 0, 1 above. Not differentiable (PyTorch
 *  records a NotImplemented node). */
export function heaviside(x: Tensor, values: Tensor): Tensor {
  if (x.dtype !== values.dtype) throw new Error("heaviside is not yet implemented for tensors with different dtypes.");
  const shape = broadcastShapes(x.shape, values.shape);
  const y = x.dtype === int64
    ? K.binary(x, values, () => 0, int64, shape, (a, v) => (a === 0n ? v : a > 0n ? 1n : 0n), "heaviside")
    : K.binary(x, values, (a, v) => (a === 0 ? v : a > 0 ? 1 : 0), x.dtype, shape, undefined, "heaviside");
  return record("NotImplemented", [x, values], y, () => { throw new Error("derivative for aten::heaviside is not implemented"); });
}

export function nextafter(a: Tensor, b: Tensor): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, false);
  floatOnly("nextafter", d);
  const single = d !== float64;
  const y = K.binary(A, B, (x, z) => nextafterScalar(x, z, single), d, shape, undefined, "nextafter");
  // PyTorch 2.x's derivative (1.13 had none): the step to the next float counts as the identity in
  // self, and other gets zeros
  return record("NextafterBackward0", [A, B], y, ([g], _s, needs) => [needs[0] ? g : null, needs[1] ? zeros(B.shape.slice(), { dtype: B.dtype, device: B.device }) : null]);
}

/** torch.ldexp(x, e) = x·2^e as PyTorch 2.x computes it (BinaryOps.cpp): a floating x with an
 *  integral exponent is scaled exactly, std::ldexp on the double (the exponent taken as a C int)
 *  rounded once to x's dtype, the result in x's dtype; anything else is x · _pow2(x, e), 2^e being
 *  pow(2., e) for an integral or float32 x and a 0-d tensor of x's dtype to the power e for the
 *  others (whose type promotion then decides). Either way one node, LdexpBackward0:
 *  grad·pow(2, e) for x (pow with an integer base: 0 for an integral e < 0, as PyTorch's) and
 *  grad·result·ln 2 for e. `outDtype`: the dtype of the tensor written into (ldexp_). */
function ldexpOf(x: Tensor, other: Tensor, outDtype?: DType): Tensor {
  const intExp = !other.dtype.is_floating_point;
  let y: Tensor;
  if (intExp && x.dtype.is_floating_point) {
    if (other.dtype === bool) throw new Error(`"ldexp_cpu_exp" not implemented for 'Bool'`);
    const shape = broadcastShapes(x.shape, other.shape);
    y = K.binary(x, other, (v, e) => scalbn(v, e | 0), x.dtype, shape, undefined, "ldexp");
  } else {
    const two = !x.dtype.is_floating_point || x.dtype === float32 ? 2.0 : full([], 2, { dtype: x.dtype });
    const p2 = intExp ? pow(two, other.to(get_default_dtype())) : pow(two, other);
    y = no_grad(() => x.mul(p2));
    // (written into an out of another dtype, the node saves the result as written)
    if (outDtype !== undefined) y = y.to(outDtype);
  }
  return record("LdexpBackward0", [x, other], y, ([g], [os, ys], needs) =>
    [needs[0] ? g!.mul(pow(2, os!)) : null, needs[1] ? g!.mul(ys!).mul(Math.LN2) : null], [savedFor(x, other), savedFor(other, y)]);
}

export function ldexp(x: Tensor, other: Tensor): Tensor {
  // the integral-exponent route writes into empty_like(x), which TensorIterator resizes (warning)
  const shape = broadcastShapes(x.shape, other.shape);
  if (!other.dtype.is_floating_point && x.dtype.is_floating_point && x.numel() !== 0 && !sameShape(shape, x.shape))
    warnResized(x.shape, shape);
  return ldexpOf(x, other);
}

/** Tensor.ldexp_: ldexp_out(self, self, other), which refuses an integral self first. */
function ldexp_(self: Tensor, other: Tensor): Tensor {
  if (!self.dtype.is_floating_point) throw new Error(`ldexp can't be cast to the desired output type ${scalarTypeName(self.dtype)}`);
  return ldexpOf(self, other, self.dtype);
}

/** torch.frexp(x) -> [mantissa, exponent (int32)], with the names. */
export function frexp(x: Tensor): Tensor[] & { mantissa: Tensor; exponent: Tensor } {
  if (!x.dtype.is_floating_point) throw new Error("torch.frexp() only supports floating-point dtypes");
  const mant = K.unary(x, (v) => frexpScalar(v)[0], x.dtype, "frexp_mantissa"), expo = K.unary(x, (v) => frexpScalar(v)[1], int32, "frexp_exponent");
  const outs = record("FrexpBackward0", [x], [mant, expo], ([g], [es]) => [g!.div(es!.exp2())], [expo]);
  return Object.assign([...outs], { mantissa: outs[0]!, exponent: outs[1]! });
}

function gcdLcm(name: "gcd" | "lcm", a: Tensor, b: Tensor): Tensor {
  const { d, A, B, shape } = binaryPrep(a, b, false);
  if (d.is_floating_point || d === bool) throw new Error(`"${name}_cpu" not implemented for '${scalarTypeName(d)}'`);
  const big = name === "gcd" ? gcdBig : (x: bigint, y: bigint) => {
    const g = gcdBig(x, y);
    if (g === 0n) return 0n;
    const r = (x / g) * y;
    return r < 0n ? -r : r;
  };
  if (d === int64) return K.binary(A, B, () => 0, d, shape, big, name);
  return K.binary(A, B, (x, y) => Number(big(BigInt(x), BigInt(y))), d, shape, undefined, name);
}
export const gcd = (a: Tensor, b: Tensor) => gcdLcm("gcd", a, b);
export const lcm = (a: Tensor, b: Tensor) => gcdLcm("lcm", a, b);

/** torch.isin(elements, test_elements, {assume_unique, invert}): bool, shaped as elements. */
export function isin(elements: TensorOrScalar, test: TensorOrScalar, opts?: { assume_unique?: boolean; invert?: boolean }): Tensor {
  const invert = opts?.invert ?? false;
  const d = resultType(elements, test);
  const E = asTensor(elements, d), T = asTensor(test, d);
  // (the result lives with the elements, or with the test elements for a number)
  const home = elements instanceof Tensor ? E : T;
  if (home.device.type !== "cpu") {
    // on a device: each element's lower bound among the sorted test elements (a last one repeated,
    // so that every position reads one), holding that element or not; NaN finds nothing
    const s = T.to(home.device).flatten().sort().values, e = E.to(home.device);
    if (s.numel() === 0) return full(E.shape.slice(), invert, { dtype: bool, device: home.device });
    const pos = K.searchSorted(s, e, null, false, int64)!;
    const found = cat([s, s.narrow(0, s.numel() - 1, 1)]).gather(0, pos.flatten()).view(E.shape.slice()).eq(e);
    return invert ? found.logical_not() : found;
  }
  const set = new Set<number | bigint>();
  if (d === int64) {
    for (const v of K.bigValues(T)) set.add(v);
    return K.onDeviceOf(Tensor.fromStorage(Uint8Array.from(K.bigValues(E), (v) => +(set.has(v) !== invert)), E.shape.slice(), bool), home, "isin");
  }
  for (const v of Array.from(K.values(T))) if (v === v) set.add(v === 0 ? 0 : v); // (-0 finds 0; NaN finds nothing)
  return K.onDeviceOf(K.unary(E, (v) => +(set.has(v === 0 ? 0 : v) !== invert), bool, "isin"), home, "isin");
}

export function isreal(x: Tensor): Tensor { return K.unary(x, () => 1, bool, "isreal"); }

export function is_nonzero(x: Tensor): boolean {
  const n = x.numel();
  if (n === 0) throw new Error("Boolean value of Tensor with no values is ambiguous");
  if (n > 1) throw new Error("Boolean value of Tensor with more than one value is ambiguous");
  return !!x.item();
}

/** torch.addcmul(input, t1, t2, {value}) = input + value·t1·t2 */
export function addcmul(input: Tensor, t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor {
  const value = opts?.value ?? 1;
  broadcastShapes(broadcastShapes(input.shape, t1.shape), t2.shape); // PyTorch's error, operands in order
  const d = resultType(input, t1, t2);
  const y = t1.detach().to(d).mul(t2.detach().to(d)).mul(value).add(input.detach().to(d));
  // grad · (t2·value): the scalar product first, in the operand's dtype, as derivatives.yaml
  return record("AddcmulBackward0", [input, t1, t2], y, ([g], [a, b]) => [
    g!, g!.mul(b!.mul(value)), g!.mul(a!.mul(value)),
  ], [t1, t2]);
}

/** torch.addcdiv(input, t1, t2, {value}) = input + value·t1/t2 */
export function addcdiv(input: Tensor, t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor {
  if (!t1.dtype.is_floating_point && !t2.dtype.is_floating_point)
    throw new Error("Integer division with addcdiv is no longer supported, and in a future  release addcdiv will perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as (input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the latter implementation: (input + value * tensor1 / tensor2), for all dtypes.");
  const value = opts?.value ?? 1;
  broadcastShapes(broadcastShapes(input.shape, t1.shape), t2.shape);
  const d = resultType(input, t1, t2);
  const y = t1.detach().to(d).div(t2.detach().to(d)).mul(value).add(input.detach().to(d));
  // grad · (value / t2) and −grad · (value·t1 / (t2·t2)), the bracket first, as derivatives.yaml;
  // its `value / tensor2` is C++'s Scalar / Tensor, a fill_ and div_ in tensor2's dtype, which an
  // integral tensor2 refuses (PyTorch raises there, 2.13 as 1.13)
  const overT2 = (b: Tensor): Tensor => {
    if (!b.dtype.is_floating_point)
      throw new Error(`result type ${scalarTypeName(get_default_dtype())} can't be cast to the desired output type ${scalarTypeName(b.dtype)}`);
    return asTensor(value, b.dtype).div(b);
  };
  return record("AddcdivBackward0", [input, t1, t2], y, ([g], [a, b], needs) => [
    g!, needs[1] ? g!.mul(overT2(b!)) : null, needs[2] ? g!.neg().mul(a!.mul(value).div(b!.mul(b!))) : null,
  ], [t1, t2]);
}

// ---------------------------------------------------------------------------------------------
// Methods and in-place variants

const methods = {
  acosh, asinh, atanh, arccosh, arcsinh, arctanh, absolute, positive, deg2rad, rad2deg, sinc, copysign, hypot, heaviside,
  logaddexp, logaddexp2, xlogy, nextafter, ldexp, frexp, gcd, lcm, isreal, is_nonzero, addcmul, addcdiv, lgamma, digamma,
  erfinv, i0, igamma, igammac,
  polygamma: (x: Tensor, n: number) => polygamma(n, x),
  mvlgamma: (x: Tensor, p: number) => mvlgamma(x, p),
};
installMethods(methods);

/** acosh_/asinh_/atanh_: derivatives.yaml gives the in-place forms a node of their own with no
 *  derivative ("inplace version of acosh"). */
function inplaceNoGrad(name: string, f: (v: number) => number): (self: Tensor) => Tensor {
  const node = name[0]!.toUpperCase() + name.slice(1) + "Backward1";
  return (self) => unaryFloat(node, self, f, () => { throw new Error(`the derivative for 'inplace version of ${name}' is not implemented.`); });
}
const acosh_ = inplaceNoGrad("acosh", Math.acosh), asinh_ = inplaceNoGrad("asinh", Math.asinh), atanh_ = inplaceNoGrad("atanh", Math.atanh);

const inplaceFns: Record<string, (self: Tensor, ...a: never[]) => Tensor> = {
  acosh: acosh_, asinh: asinh_, atanh: atanh_, arccosh: acosh_, arcsinh: asinh_, arctanh: atanh_, absolute, deg2rad, rad2deg, sinc, copysign, hypot, heaviside, xlogy,
  nextafter, ldexp: ldexp_, gcd, lcm, addcmul, addcdiv, lgamma, digamma, erfinv, i0,
  // polygamma_: its own node, PolygammaBackward1 (same formula)
  polygamma: (x: Tensor, n: number) => {
    if (n < 0) throw new Error("polygamma(n, x) does not support negative n.");
    return polygammaNode("PolygammaBackward1", n, x);
  },
  mvlgamma: methods.mvlgamma,
};
const inplaceMethods: Record<string, (self: Tensor, ...args: never[]) => Tensor> = {};
for (const [name, fn] of Object.entries(inplaceFns))
  inplaceMethods[name + "_"] = (self: Tensor, ...args: never[]) => inplace(self, () => (fn as (s: Tensor, ...a: unknown[]) => Tensor)(self, ...args));
installMethods(inplaceMethods);

declare module "../core/tensor.js" {
  interface Tensor {
    acosh(): Tensor; acosh_(): Tensor; asinh(): Tensor; asinh_(): Tensor; atanh(): Tensor; atanh_(): Tensor;
    arccosh(): Tensor; arccosh_(): Tensor; arcsinh(): Tensor; arcsinh_(): Tensor; arctanh(): Tensor; arctanh_(): Tensor;
    absolute(): Tensor; absolute_(): Tensor; positive(): Tensor;
    deg2rad(): Tensor; deg2rad_(): Tensor; rad2deg(): Tensor; rad2deg_(): Tensor; sinc(): Tensor; sinc_(): Tensor;
    copysign(other: TensorOrScalar): Tensor; copysign_(other: TensorOrScalar): Tensor;
    hypot(other: Tensor): Tensor; hypot_(other: Tensor): Tensor;
    heaviside(values: Tensor): Tensor; heaviside_(values: Tensor): Tensor;
    logaddexp(other: Tensor): Tensor; logaddexp2(other: Tensor): Tensor;
    xlogy(other: TensorOrScalar): Tensor; xlogy_(other: TensorOrScalar): Tensor;
    nextafter(other: Tensor): Tensor; nextafter_(other: Tensor): Tensor;
    ldexp(other: Tensor): Tensor; ldexp_(other: Tensor): Tensor;
    frexp(): Tensor[] & { mantissa: Tensor; exponent: Tensor };
    gcd(other: Tensor): Tensor; gcd_(other: Tensor): Tensor; lcm(other: Tensor): Tensor; lcm_(other: Tensor): Tensor;
    isreal(): Tensor; is_nonzero(): boolean;
    addcmul(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor; addcmul_(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    addcdiv(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor; addcdiv_(t1: Tensor, t2: Tensor, opts?: { value?: number }): Tensor;
    lgamma(): Tensor; lgamma_(): Tensor; digamma(): Tensor; digamma_(): Tensor; erfinv(): Tensor; erfinv_(): Tensor;
    i0(): Tensor; i0_(): Tensor; igamma(other: Tensor): Tensor; igammac(other: Tensor): Tensor;
    polygamma(n: number): Tensor; polygamma_(n: number): Tensor;
    mvlgamma(p: number): Tensor; mvlgamma_(p: number): Tensor;
  }
}
