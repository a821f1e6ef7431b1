// float32 transcendental functions on four lanes at once, accurate to 1-2 ulp (test/wasm.test.ts
// measures each against the correctly rounded float64 result).
//
// The polynomials are Cephes' single-precision ones (S. L. Moshier, "Methods and Programs for
// Mathematical Functions"), as in the vectorised math libraries PyTorch's CPU kernels are
// built on: a Cody-Waite range reduction, then a short minimax polynomial. They use plain
// multiply and add, never relaxed FMA, so both builds give bit-identical results.

// @ts-ignore: decorator
@inline const LOG2E: f32 = 1.44269504088896341;
// ln 2 split in two: the first part has few enough bits that n·LN2_HI is exact for |n| ≤ 150
// @ts-ignore: decorator
@inline const LN2_HI: f32 = 0.693359375;
// @ts-ignore: decorator
@inline const LN2_LO: f32 = -2.12194440e-4;

@inline function fsplat(x: f32): v128 { return f32x4.splat(x); }

/** 2^n for integer lanes n in [-126, 127], by building the float's exponent field. */
@inline function pow2i(n: v128): v128 {
  return i32x4.shl(i32x4.add(n, i32x4.splat(127)), 23);
}

// 1.5·2^23: adding it to a float of magnitude below 2^22 rounds that float to an integer (to
// nearest, ties to even, as f32x4.nearest) and leaves the integer in the low mantissa bits
// (Note [exp in float32])
// @ts-ignore: decorator
@inline const ROUNDER: f32 = 12582912;

// Note [exp in float32]: e^x = 2^n · e^r with n = round(x·log2 e) and r = x - n·ln 2 in
// [-ln2/2, ln2/2] (Cody-Waite: ln 2 in two parts, so n·LN2_HI is exact), e^r from a degree-6
// polynomial. WebAssembly's f32x4.min/max/nearest and i32x4.trunc_sat lower to several x64
// instructions each (for their NaN, -0 and overflow rules), which made this function twice as
// slow; here pmin/pmax clamp (one minps/maxps each; x first, so NaN stays NaN) and the rounding
// constant gives both round(x·log2 e) and its integer bits with one add.

/** e^x. Overflows to +inf past ln(FLT_MAX), underflows through the subnormals to 0 (the scale
 *  2^n is applied in two halves so that neither leaves the normal range); NaN stays NaN. */
@inline export function exp4(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, fsplat(-104)), fsplat(89));
  const t = f32x4.add(f32x4.mul(x, fsplat(LOG2E)), fsplat(ROUNDER));
  const fx = f32x4.sub(t, fsplat(ROUNDER));
  const r = f32x4.sub(f32x4.sub(x, f32x4.mul(fx, fsplat(LN2_HI))), f32x4.mul(fx, fsplat(LN2_LO)));
  let p = fsplat(1.9875691500e-4);
  p = f32x4.add(f32x4.mul(p, r), fsplat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), fsplat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), fsplat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), fsplat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), fsplat(5.0000001201e-1));
  const y = f32x4.add(f32x4.add(f32x4.mul(p, f32x4.mul(r, r)), r), fsplat(1));
  // n from t's low bits: t = 1.5·2^23 + n exactly, so its bits minus those of 1.5·2^23 are n
  const n = i32x4.sub(t, fsplat(ROUNDER));
  const n1 = i32x4.shr_s(n, 1);
  return f32x4.mul(f32x4.mul(y, pow2i(n1)), pow2i(i32x4.sub(n, n1)));
}

/** Natural logarithm: -inf at ±0, NaN below 0, +inf at +inf; subnormal inputs are scaled into
 *  the normal range first. */
@inline export function log4(x0: v128): v128 {
  // subnormals: x·2^25 is normal, and the exponent is corrected by 25 below
  const sub = f32x4.lt(x0, fsplat(1.17549435e-38));
  const x = v128.bitselect(f32x4.mul(x0, fsplat(33554432)), x0, sub);
  const bits = x;
  // x = m·2^e with m in [0.5, 1)
  let e = i32x4.sub(i32x4.shr_u(bits, 23), i32x4.splat(126));
  e = i32x4.sub(e, v128.and(sub, i32x4.splat(25)));
  let m = v128.or(v128.and(bits, i32x4.splat(0x807fffff)), i32x4.splat(0x3f000000));
  // m in [√½, √2): for m < √½ take 2m and e - 1; then m - 1, near 0
  const small = f32x4.lt(m, fsplat(0.707106781186547524));
  e = i32x4.add(e, small); // the mask is -1 in true lanes
  m = f32x4.sub(f32x4.add(m, v128.and(m, small)), fsplat(1));
  const z = f32x4.mul(m, m);
  let p = fsplat(7.0376836292e-2);
  p = f32x4.add(f32x4.mul(p, m), fsplat(-1.1514610310e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(1.1676998740e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(-1.2420140846e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(1.4249322787e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(-1.6668057665e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(2.0000714765e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(-2.4999993993e-1));
  p = f32x4.add(f32x4.mul(p, m), fsplat(3.3333331174e-1));
  const fe = f32x4.convert_i32x4_s(e);
  let y = f32x4.mul(f32x4.mul(p, m), z);
  y = f32x4.add(y, f32x4.mul(fe, fsplat(LN2_LO)));
  y = f32x4.sub(y, f32x4.mul(z, fsplat(0.5)));
  let r = f32x4.add(f32x4.add(m, y), f32x4.mul(fe, fsplat(LN2_HI)));
  r = v128.bitselect(fsplat(-Infinity), r, f32x4.eq(x0, fsplat(0)));
  r = v128.bitselect(x0, r, f32x4.eq(x0, fsplat(Infinity)));
  // NaN for negative inputs and NaN inputs (x0 != x0), leaving -0 to the case above
  return v128.bitselect(fsplat(NaN), r, v128.or(f32x4.lt(x0, fsplat(0)), f32x4.ne(x0, x0)));
}

/** tanh: an odd polynomial below |x| = 0.625, else 1 - 2/(e^{2|x|} + 1) with x's sign (which
 *  reaches exactly ±1 once e^{2|x|} overflows). */
@inline export function tanh4(x: v128): v128 {
  const ax = f32x4.abs(x);
  const z = f32x4.mul(x, x);
  let p = fsplat(-5.70498872745e-3);
  p = f32x4.add(f32x4.mul(p, z), fsplat(2.06390887954e-2));
  p = f32x4.add(f32x4.mul(p, z), fsplat(-5.37397155531e-2));
  p = f32x4.add(f32x4.mul(p, z), fsplat(1.33314422036e-1));
  p = f32x4.add(f32x4.mul(p, z), fsplat(-3.33332819422e-1));
  const small = f32x4.add(f32x4.mul(f32x4.mul(p, z), x), x);
  const e = exp4(f32x4.add(ax, ax));
  const big = f32x4.sub(fsplat(1), f32x4.div(fsplat(2), f32x4.add(e, fsplat(1))));
  // copy x's sign onto the large-|x| result
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  return v128.bitselect(small, signed, f32x4.lt(ax, fsplat(0.625)));
}

/** The logistic function: 1/(1 + e^-x) for x ≥ 0, and e^x/(1 + e^x) below, whose e^x neither
 *  overflows nor loses the subnormal results far left. */
@inline export function sigmoid4(x: v128): v128 {
  const e = exp4(f32x4.neg(f32x4.abs(x)));
  const d = f32x4.add(fsplat(1), e);
  return v128.bitselect(f32x4.div(fsplat(1), d), f32x4.div(e, d), f32x4.ge(x, fsplat(0)));
}
