// float32 transcendental functions written for the compiler's vectorizer: branch-free, no calls,
// bit casts through unions. The polynomials are Cephes' single-precision ones (S. L. Moshier,
// "Methods and Programs for Mathematical Functions"), as in src/backends/wasm/assembly/simd_math.ts
// and the vectorised libraries PyTorch's CPU kernels use: a Cody-Waite range reduction, then a
// short minimax polynomial; accurate to 1-2 ulp (test/fast_backends.test.ts measures each against
// the correctly rounded float64 result). The build turns off floating-point contraction, so each
// ISA gives the same bits.
#ifndef TT_VECMATH_H
#define TT_VECMATH_H
#include <stdint.h>

typedef union { float f; int32_t i; uint32_t u; } tt_bits;
static inline int32_t tt_f2i(float f) { tt_bits b; b.f = f; return b.i; }
static inline float tt_i2f(int32_t i) { tt_bits b; b.i = i; return b.f; }

#define TT_LOG2E 1.44269504088896341f
#define TT_LN2_HI 0.693359375f
#define TT_LN2_LO (-2.12194440e-4f)
/* 1.5·2^23: adding it rounds a float below 2^22 in magnitude to an integer held in the low
 * mantissa bits (Note [exp in float32] in simd_math.ts) */
#define TT_ROUNDER 12582912.0f

static inline float tt_min(float a, float b) { return b < a ? b : a; } /* a when a is NaN */
static inline float tt_max(float a, float b) { return b > a ? b : a; }

/* e^x: overflows to +inf past ln(FLT_MAX), underflows through the subnormals to 0 (2^n applied
 * in two halves so that neither leaves the normal range); NaN stays NaN. */
static inline float tt_expf(float x) {
  x = tt_min(tt_max(x, -104.0f), 89.0f);
  float t = x * TT_LOG2E + TT_ROUNDER;
  float fx = t - TT_ROUNDER;
  float r = (x - fx * TT_LN2_HI) - fx * TT_LN2_LO;
  float p = 1.9875691500e-4f;
  p = p * r + 1.3981999507e-3f;
  p = p * r + 8.3334519073e-3f;
  p = p * r + 4.1665795894e-2f;
  p = p * r + 1.6666665459e-1f;
  p = p * r + 5.0000001201e-1f;
  float y = (p * (r * r) + r) + 1.0f;
  int32_t n = tt_f2i(t) - tt_f2i(TT_ROUNDER), n1 = n >> 1;
  return y * tt_i2f((n1 + 127) << 23) * tt_i2f((n - n1 + 127) << 23);
}

/* Natural logarithm: -inf at ±0, NaN below 0 and at NaN, +inf at +inf; subnormals scaled first. */
static inline float tt_logf(float x0) {
  int sub = x0 < 1.17549435e-38f;
  float x = sub ? x0 * 33554432.0f : x0;
  int32_t bits = tt_f2i(x);
  int32_t e = (int32_t)((uint32_t)bits >> 23) - 126 - (sub ? 25 : 0);
  float m = tt_i2f((bits & (int32_t)0x807fffff) | 0x3f000000); /* x = m·2^e, m in [0.5, 1) */
  int small = m < 0.707106781186547524f;
  e -= small;
  m = (small ? m + m : m) - 1.0f;
  float z = m * m;
  float p = 7.0376836292e-2f;
  p = p * m + -1.1514610310e-1f;
  p = p * m + 1.1676998740e-1f;
  p = p * m + -1.2420140846e-1f;
  p = p * m + 1.4249322787e-1f;
  p = p * m + -1.6668057665e-1f;
  p = p * m + 2.0000714765e-1f;
  p = p * m + -2.4999993993e-1f;
  p = p * m + 3.3333331174e-1f;
  float fe = (float)e;
  float y = (p * m) * z;
  y = y + fe * TT_LN2_LO;
  y = y - z * 0.5f;
  float r = (m + y) + fe * TT_LN2_HI;
  r = x0 == 0.0f ? -__builtin_inff() : r;
  r = x0 == __builtin_inff() ? x0 : r;
  return (x0 < 0.0f || x0 != x0) ? __builtin_nanf("") : r;
}

/* tanh: an odd polynomial below |x| = 0.625, else 1 - 2/(e^{2|x|} + 1) with x's sign. */
static inline float tt_tanhf(float x) {
  float ax = x < 0.0f ? -x : x, z = x * x;
  float p = -5.70498872745e-3f;
  p = p * z + 2.06390887954e-2f;
  p = p * z + -5.37397155531e-2f;
  p = p * z + 1.33314422036e-1f;
  p = p * z + -3.33332819422e-1f;
  float small = (p * z) * x + x;
  float e = tt_expf(ax + ax);
  float big = 1.0f - 2.0f / (e + 1.0f);
  big = tt_i2f(tt_f2i(big) | (tt_f2i(x) & (int32_t)0x80000000));
  return ax < 0.625f ? small : big;
}

/* The logistic function: 1/(1 + e^-x) for x ≥ 0, e^x/(1 + e^x) below (no overflow, and the
 * subnormal results far left survive). */
static inline float tt_sigmoidf(float x) {
  float e = tt_expf(x < 0.0f ? x : -x);
  float d = 1.0f + e;
  return x >= 0.0f ? 1.0f / d : e / d;
}

/* erf, correctly rounded to float32 on every input checked (tools/fit_erf.py fits and checks the
 * coefficients against mpmath): x·P(x²) on [0, 1], 1 - erfc(x) from a Chebyshev series in
 * t = (x - 2.5)/1.5 on [1, 4], and 1 beyond (where erfc(x) < 2^-25), all in float64. */
static const double TT_ERF_P[] = { 1.1283791670946948, -0.3761263888986947, 0.11283791313504966, -0.026866133626045854, 0.005223785009642372, -0.0008542670629623493, 0.0001195694763854031, -1.3911706650287034e-05, 1.0595290781134014e-06 };
static const double TT_ERFC_C[] = { 0.030302520539994805, -0.05425132389646086, 0.038763756439034236, -0.02179748780384959, 0.009314174792884976, -0.0027481118327086227, 0.00035767517390220693, 0.00012686221071394005, -8.896524124864546e-05, 2.228847529039489e-05, -7.040156718347994e-08, -1.8081714849715997e-06, 5.517666253832265e-07, -2.368918482509104e-08, -3.172083481683477e-08, 9.389144820487036e-09, -2.2594971700791515e-10, -5.02567739402749e-10, 1.174902791774414e-10, 3.6333902329516564e-12, -6.703555364057027e-12, 1.0278496513859558e-12, 1.3904318882064073e-13 };

static inline double tt_erf_d(double xs) {
  double x = xs < 0.0 ? -xs : xs, z = x * x;
  const int np = (int)(sizeof TT_ERF_P / sizeof TT_ERF_P[0]), nc = (int)(sizeof TT_ERFC_C / sizeof TT_ERFC_C[0]);
  double p = TT_ERF_P[np - 1];
#pragma GCC unroll 32 /* (unrolled, the loops over elements around this vectorize) */
  for (int k = np - 2; k >= 0; k--) p = p * z + TT_ERF_P[k];
  /* Clenshaw's recurrence for the Chebyshev series */
  double t = (x - 2.5) / 1.5, b1 = 0, b2 = 0;
#pragma GCC unroll 32
  for (int k = nc - 1; k >= 1; k--) { double b = 2.0 * t * b1 - b2 + TT_ERFC_C[k]; b2 = b1; b1 = b; }
  double erfc = t * b1 - b2 + TT_ERFC_C[0];
  double r = x <= 1.0 ? x * p : x >= 4.0 ? 1.0 : 1.0 - erfc;
  return xs < 0.0 ? -r : r; /* (-0 gives 0·p = 0: its sign comes back in tt_erff) */
}

static inline float tt_erff(float x) {
  return tt_i2f(tt_f2i((float)tt_erf_d((double)x)) | (tt_f2i(x) & (int32_t)0x80000000));
}

#endif
