// torch.rand / uniform_ and torch.randn / normal_ on PyTorch's CPU generator, bit for bit as the
// reference (src/core/random.ts, whose notes say which of PyTorch's kernels these are and why each
// rounding is where it is): mt19937 words drawn in PyTorch's order from the caller's engine state,
// then the same transforms, operation for operation. This file is compiled with
// -ffp-contract=off, so every fmaf/fma below is a fused operation the reference fuses too, and
// every other float operation is rounded on its own, as there.
//
// Drawing words is serial (each depends on the engine's state); normal_'s Box–Muller transform,
// most of its time, is independent per block of 16 and runs on the thread pool.
#include "rng.h"
#include "kernels.h"
#include "parallel.h"
#include "tt_compiler.h"
#include <math.h>
#include <string.h>

/* GCC computes both sides of a select (which vectorizing the lanes needs) only when told that
 * floating-point operations do not trap; no result changes, the exception flags are never read. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC optimize("no-trapping-math")
#endif

// ---- mt19937 (MT19937RNGEngine.h) -----------------------------------------------------------

#define MT_N 624
#define MT_M 397

static inline uint32_t twisted(uint32_t u, uint32_t v) {
  return (((u & 0x80000000u) | (v & 0x7fffffffu)) >> 1) ^ ((0u - (v & 1u)) & 0x9908b0dfu);
}

/* mt19937_engine::next_state: all 624 words anew. It and draw's tempering are integer loops the
 * vectorizer takes, so they are compiled per ISA too (Note [ISA clones]): drawing B8's three
 * dropout masks' 840,000 words, one thread, 0.36 -> 0.15 ms; uniform_ of a million floats 0.62 ->
 * 0.37 ms, normal_ 1.23 -> 1.0 (PyTorch 2.13: 2.7 and 2.7). */
TT_CLONES static void next_state(uint32_t *restrict mt) {
  int p = 0;
  for (; p < MT_N - MT_M; p++) mt[p] = mt[p + MT_M] ^ twisted(mt[p], mt[p + 1]);
  for (; p < MT_N - 1; p++) mt[p] = mt[p + MT_M - MT_N] ^ twisted(mt[p], mt[p + 1]);
  mt[p] = mt[p + MT_M - MT_N] ^ twisted(mt[p], mt[0]);
}

/* The next n words (mt19937_engine::operator(), tempered) into w, advancing the cursor: each draw
 * decrements `left` and regenerates the state when it reaches 0, so left - 1 words are ready. */
TT_CLONES static void draw(uint32_t *restrict mt, int32_t *pos, uint32_t *restrict w, int64_t n) {
  int32_t left = pos[0], next = pos[1];
  for (int64_t i = 0; i < n;) {
    if (left == 1) { next_state(mt); left = MT_N + 1; next = 0; }
    int64_t m = TT_MIN((int64_t)left - 1, n - i);
    for (int64_t k = 0; k < m; k++) {
      uint32_t y = mt[next + k];
      y ^= y >> 11;
      y ^= (y << 7) & 0x9d2c5680u;
      y ^= (y << 15) & 0xefc60000u;
      y ^= y >> 18;
      w[i + k] = y;
    }
    i += m; next += (int32_t)m; left -= (int32_t)m;
  }
  pos[0] = left; pos[1] = next;
}

/* Words are drawn through a buffer of this many, then transformed. */
#define CHUNK 4096

/* uniform_real_distribution<float>(0, 1) for out[0..n): the low 24 bits of one word each. */
static void fill_uniform24(uint32_t *mt, int32_t *pos, float *out, int64_t n) {
  uint32_t w[CHUNK];
  for (int64_t s = 0; s < n; s += CHUNK) {
    int64_t len = TT_MIN((int64_t)CHUNK, n - s);
    draw(mt, pos, w, len);
    for (int64_t i = 0; i < len; i++) out[s + i] = (float)(w[i] & 0xffffffu) * 0x1p-24f;
  }
}

/* uniform_real_distribution<double>(0, 1) for out[0..n): the low 53 bits of random64() (its
 * first word is the high half). */
static void fill_uniform53(uint32_t *mt, int32_t *pos, double *out, int64_t n) {
  uint32_t w[CHUNK];
  for (int64_t s = 0; s < n; s += CHUNK / 2) {
    int64_t len = TT_MIN((int64_t)CHUNK / 2, n - s);
    draw(mt, pos, w, 2 * len);
    for (int64_t i = 0; i < len; i++) out[s + i] = (double)(((uint64_t)(w[2 * i] & 0x1fffffu) << 32) | w[2 * i + 1]) * 0x1p-53;
  }
}

// ---- uniform_ -------------------------------------------------------------------------------

void tt_uniform(uint32_t *mt, int32_t *pos, void *out, int64_t n, int double_, double from, double to) {
  if (double_) {
    double *o = out, range = to - from;
    fill_uniform53(mt, pos, o, n);
    if (from != 0 || range != 1) /* (in [0, 1) the uniforms are already the values) */
      for (int64_t i = 0; i < n; i++) { double v = fma(o[i], range, from); o[i] = v == to ? from : v; }
    return;
  }
  float *o = out, lo = (float)from, hi = (float)to, range = hi - lo;
  fill_uniform24(mt, pos, o, n);
  if (lo != 0 || range != 1)
    for (int64_t i = 0; i < n; i++) { float v = fmaf(o[i], range, lo); o[i] = v == hi ? lo : v; }
}

// ---- bernoulli_(p) with a scalar p ---------------------------------------------------------------

/* bernoulli_distribution<double>: 1 where random64()'s 53-bit uniform m·2^-53 is below p, that
 * is where the integer m is below ceil(p·2^53) (both exact: p ≤ 1), drawn a chunk of words at a
 * time as fill_uniform53 draws them.
 *
 * Note [Native bernoulli]: dropout's masks (B8 draws three of 140,000 floats a step; times for
 * the three, one thread, this machine) took 2.9 ms with the uniforms drawn here and compared in
 * JavaScript through a float64 buffer; drawn and compared here in doubles, 1.6 ms (the scalar
 * conversion of each 53-bit integer most of it); as integers, in vectors, 0.45 ms; with the words
 * drawn in vectors too, 0.23 ms. PyTorch's serial kernel: 3.0 ms. */
TT_CLONES static void bernoulli_words(const uint32_t *restrict w, void *restrict out, int64_t len, int double_, uint64_t below) {
  if (double_)
    for (int64_t i = 0; i < len; i++)
      ((double *)out)[i] = (((uint64_t)(w[2 * i] & 0x1fffffu) << 32) | w[2 * i + 1]) < below ? 1.0 : 0.0;
  else
    for (int64_t i = 0; i < len; i++)
      ((float *)out)[i] = (((uint64_t)(w[2 * i] & 0x1fffffu) << 32) | w[2 * i + 1]) < below ? 1.0f : 0.0f;
}

void tt_bernoulli(uint32_t *mt, int32_t *pos, void *out, int64_t n, int double_, double p) {
  uint32_t w[CHUNK];
  const uint64_t below = (uint64_t)ceil(p * 0x1p53);
  for (int64_t s = 0; s < n; s += CHUNK / 2) {
    int64_t len = TT_MIN((int64_t)CHUNK / 2, n - s);
    draw(mt, pos, w, 2 * len);
    bernoulli_words(w, double_ ? (void *)((double *)out + s) : (void *)((float *)out + s), len, double_, below);
  }
}

// ---- normal_ in float32: normal_fill_16_AVX2 (Note [avx_mathfun emulation] in random.ts) ------

/* avx_mathfun.h's constants, as the float values of its decimal literals (through double, as the
 * reference's Math.fround of the literal). */
#define F(x) ((float)(x))
static const float C_SQRTHF = F(0.707106781186547524);
static const float LOG_P[9] = { F(7.0376836292e-2), F(-1.1514610310e-1), F(1.1676998740e-1), F(-1.2420140846e-1),
  F(1.4249322787e-1), F(-1.6668057665e-1), F(2.0000714765e-1), F(-2.4999993993e-1), F(3.3333331174e-1) };
static const float LOG_Q1 = F(-2.12194440e-4), LOG_Q2 = F(0.693359375);
static const float DP1 = F(-0.78515625), DP2 = F(-2.4187564849853515625e-4), DP3 = F(-3.77489497744594108e-8);
static const float SINCOF_P0 = F(-1.9515295891e-4), SINCOF_P1 = F(8.3321608736e-3), SINCOF_P2 = F(-1.6666654611e-1);
static const float COSCOF_P0 = F(2.443315711809948e-5), COSCOF_P1 = F(-1.388731625493765e-3), COSCOF_P2 = F(4.166664568298827e-2);
static const float FOPI = F(1.27323954473516), TWO_PI_F = F(6.283185307179586);

static inline uint32_t bits_of(float x) { uint32_t u; memcpy(&u, &x, 4); return u; }
static inline float float_of(uint32_t u) { float x; memcpy(&x, &u, 4); return x; }

/* log256_ps for one lane, x in (0, 1] */
static inline float log_avx(float x0) {
  uint32_t b = bits_of(x0);
  float e = (float)((int32_t)(b >> 23) - 127 + 1);
  float x = float_of((b & ~0x7f800000u) | 0x3f000000u); /* the mantissa, in [0.5, 1) */
  /* both sides computed, then selected, as the vector code does (and as vectorizers need) */
  int lt = x < C_SQRTHF;
  float tmp = lt ? x : 0.0f, em1 = e - 1.0f;
  x = x - 1.0f;
  e = lt ? em1 : e;
  x = x + tmp;
  float z = x * x, y = LOG_P[0];
  TT_UNROLL for (int k = 1; k < 9; k++) y = fmaf(y, x, LOG_P[k]);
  y = y * x;
  y = fmaf(y, z, e * LOG_Q1);
  y = fmaf(-z, 0.5f, y);
  return fmaf(e, LOG_Q2, x + y);
}

/* sincos256_ps for one lane: the sine, and the cosine in *c */
static inline float sincos_avx(float x0, float *c) {
  int sign_sin0 = (bits_of(x0) >> 31) != 0;
  float x = fabsf(x0);
  int32_t j = (int32_t)(x * FOPI); /* _mm256_cvttps_epi32 */
  j = (j + 1) & ~1;
  float y = (float)j;
  int swap_sign_sin = (j & 4) != 0, poly = (j & 2) == 0;
  x = fmaf(y, DP1, x);
  x = fmaf(y, DP2, x);
  x = fmaf(y, DP3, x);
  int sign_cos = (~(j - 2) & 4) != 0, sign_sin = sign_sin0 != swap_sign_sin;
  float z = x * x;
  float yc = fmaf(COSCOF_P0, z, COSCOF_P1);
  yc = fmaf(yc, z, COSCOF_P2);
  yc = yc * z;
  yc = fmaf(yc, z, -(z * 0.5f));
  yc = yc + 1.0f;
  float ys = fmaf(SINCOF_P0, z, SINCOF_P1);
  ys = fmaf(ys, z, SINCOF_P2);
  ys = ys * z;
  ys = fmaf(ys, x, x);
  /* the vector code's select (and/andnot, then sub and add, which also sets a zero's sign) */
  float ysin2 = poly ? ys : 0.0f, ysin1 = poly ? 0.0f : yc;
  float s = ysin1 + ysin2, co = (yc - ysin1) + (ys - ysin2);
  *c = sign_cos ? -co : co;
  return sign_sin ? -s : s;
}

/* normal_fill_16_AVX2 on d[0..16): Box–Muller on 8 pairs, cosines to j, sines to j + 8. */
static inline void normal16_f32(float *restrict d, float mean, float std) {
#pragma omp simd
  for (int j = 0; j < 8; j++) {
    float u1 = 1.0f - d[j], u2 = d[j + 8];
    float radius = sqrtf(-2.0f * log_avx(u1)), theta = TWO_PI_F * u2, cs;
    float sn = sincos_avx(theta, &cs);
    d[j] = fmaf(radius * cs, std, mean);
    d[j + 8] = fmaf(radius * sn, std, mean);
  }
}

/* Note [ISA clones] in kernels.h, with FMA in the vector clones (x86-64-v3: AVX2 and FMA; v4:
 * AVX-512), where fmaf is one instruction and the 8 lanes vectorize; elsewhere fmaf is libm's. */
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define RNG_CLONES __attribute__((target_clones("arch=x86-64-v4", "arch=x86-64-v3", "default")))
#else
#define RNG_CLONES
#endif

typedef struct { float *d; float mean, std; } Normal32;
RNG_CLONES static void normal_blocks_f32(void *ctx, int64_t b, int64_t e) {
  Normal32 *j = ctx;
  for (int64_t i = b; i < e; i++) normal16_f32(j->d + 16 * i, j->mean, j->std);
}

// ---- normal_ of float32 -------------------------------------------------------------------------------

/* blocks of 16 each thread must get before the transform is split */
#define NORMAL_GRAIN 2048

void tt_normal_f32(uint32_t *mt, int32_t *pos, float *o, int64_t n, float mean, float std) {
  /* normal_fill: uniforms for every element, the transform on each whole block of 16, then, when
   * n % 16 != 0, 16 fresh uniforms for the last 16 elements, transformed again */
  Normal32 job = { o, mean, std };
  fill_uniform24(mt, pos, o, n);
  tt_parallel_for(0, n / 16, NORMAL_GRAIN, normal_blocks_f32, &job);
  if (n % 16 != 0) {
    fill_uniform24(mt, pos, o + n - 16, 16);
    normal16_f32(o + n - 16, job.mean, job.std);
  }
}

// ---- normal_ in float64: normal_fill with the reference's log, sin and cos ---------------------
//
// Note [libm accuracy] in random.ts: the reference evaluates log, sin and cos in double-double,
// correctly rounded but for arguments within 2^-68 of a rounding boundary; so do these, operation
// for operation (a double-double result is returned as hi, with lo through a pointer).

typedef struct { double hi, lo; } dd;

static const double SPLITTER = 134217729.0; /* 2^27 + 1 */

/* hi + lo == a * b exactly (Dekker's TwoProduct, Veltkamp's split) */
static inline TT_ALWAYS_INLINE double two_prod_lo(double a, double b, double p) {
  double t = SPLITTER * a, ah = t - (t - a), al = a - ah;
  t = SPLITTER * b;
  double bh = t - (t - b), bl = b - bh;
  return (((ah * bh - p) + ah * bl) + al * bh) + al * bl;
}
static inline TT_ALWAYS_INLINE dd dd_mul(double ah, double al, double bh, double bl) {
  double p = ah * bh, e = two_prod_lo(ah, bh, p) + (ah * bl + al * bh), s = p + e;
  return (dd){ s, e - (s - p) };
}
static inline TT_ALWAYS_INLINE dd dd_add(double ah, double al, double bh, double bl) {
  double s = ah + bh, bv = s - ah, e = (((ah - (s - bv)) + (bh - bv)) + al) + bl, r = s + e;
  return (dd){ r, e - (r - s) };
}

static const double THIRD_HI = 1.0 / 3, THIRD_LO = 1.850371707708594e-17;
static const double FIFTH_HI = 1.0 / 5, FIFTH_LO = -1.1102230246251566e-17;
static const double LN2_HI = 0.6931471805599453, LN2_LO = 2.3190468138462996e-17;

/* logAcc for x in (0, 1] (normal_fill's 1 - u, never 0 nor subnormal); its branches as selects,
 * so that the 8 lanes of a block vectorize */
static inline TT_ALWAYS_INLINE double log_acc(double x) {
  uint64_t b;
  memcpy(&b, &x, 8);
  double k = (double)((int32_t)(b >> 52 & 0x7ff) - 1023); /* (int32: vectorizes without AVX-512) */
  b = (b & 0x800fffffffffffffull) | (1023ull << 52);
  double m;
  memcpy(&m, &b, 8); /* [1, 2) */
  int big = m > M_SQRT2;
  double half = m / 2, k1 = k + 1;
  m = big ? half : m;
  k = big ? k1 : k;
  double num = m - 1, den = m + 1;
  double den_lo = (m - (den - 1)) + (1 - (den - (den - 1)));
  double sh = num / den, p = sh * den;
  double sl = (((num - p) - two_prod_lo(sh, den, p)) - sh * den_lo) / den;
  dd w2 = dd_mul(sh, sl, sh, sl);
  double w = w2.hi, q = 1.0 / 29;
  TT_UNROLL for (int j = 13; j >= 3; j--) q = 1.0 / (2 * j + 1) + w * q;
  double tail = ((w * w) * w) * q;
  dd h = dd_mul(w2.hi, w2.lo, FIFTH_HI, FIFTH_LO);
  h = dd_add(THIRD_HI, THIRD_LO, h.hi, h.lo);
  h = dd_mul(w2.hi, w2.lo, h.hi, h.lo);
  h = dd_add(1, 0, h.hi, h.lo + tail);
  h = dd_mul(2 * sh, 2 * sl, h.hi, h.lo);
  double kh = k * LN2_HI, kl = two_prod_lo(k, LN2_HI, kh) + k * LN2_LO;
  dd r = dd_add(kh, kl, h.hi, h.lo);
  double general = r.hi + r.lo, k0 = h.hi + h.lo;
  return x == 1 ? 0 : k == 0 ? k0 : general;
}

static const double PIO2_1 = 1.57079632673412561417e+00, PIO2_2 = 6.07710050630396597660e-11;
static const double PIO2_3 = 2.02226624871116645580e-21, PIO2_3T = 8.47842766036889956997e-32;
static const double S1_HI = -1.0 / 6, S1_LO = -9.25185853854297e-18;
static const double S2_HI = 1.0 / 120, S2_LO = 1.1564823173178714e-19;
static const double S3_HI = -1.0 / 5040, S3_LO = -1.7209558293420705e-22;
static const double C2_HI = 1.0 / 24, C2_LO = 2.3129646346357427e-18;
static const double C3_HI = -1.0 / 720, C3_LO = 5.300543954373577e-20;
static const double SIN_TAIL[7] = { 1 / 362880.0, -1 / 39916800.0, 1 / 6227020800.0, -1 / 1307674368000.0,
  1 / 355687428096000.0, -1 / 121645100408832000.0, 1 / 51090942171709440000.0 };
static const double COS_TAIL[8] = { 1 / 40320.0, -1 / 3628800.0, 1 / 479001600.0, -1 / 87178291200.0,
  1 / 20922789888000.0, -1 / 6402373705728000.0, 1 / 2432902008176640000.0, -1 / 1124000727777607680000.0 };

/* sincosAcc for 0 <= x < 2 pi: the sine, and the cosine in *cosine */
static inline TT_ALWAYS_INLINE double sincos_acc(double x, double *cosine) {
  double v = x * (2 / M_PI), fl = floor(v), k = v - fl >= 0.5 ? fl + 1 : fl; /* JavaScript's Math.round */
  double t = x - k * PIO2_1, w = k * PIO2_2, rh = t - w, bv = rh - t;
  double rl = (t - (rh - bv)) + (-w - bv);
  double w3 = k * PIO2_3, a = rh - w3;
  bv = a - rh;
  rl = rl + (((rh - (a - bv)) + (-w3 - bv)) - k * PIO2_3T);
  rh = a + rl;
  rl = rl - (rh - a);
  dd z2 = dd_mul(rh, rl, rh, rl);
  double z = z2.hi;
  double ts = SIN_TAIL[6];
  TT_UNROLL for (int i = 5; i >= 0; i--) ts = SIN_TAIL[i] + z * ts;
  dd sn = dd_add(S3_HI, S3_LO, z * ts, 0);
  sn = dd_mul(z2.hi, z2.lo, sn.hi, sn.lo);
  sn = dd_add(S2_HI, S2_LO, sn.hi, sn.lo);
  sn = dd_mul(z2.hi, z2.lo, sn.hi, sn.lo);
  sn = dd_add(S1_HI, S1_LO, sn.hi, sn.lo);
  sn = dd_mul(z2.hi, z2.lo, sn.hi, sn.lo);
  sn = dd_add(1, 0, sn.hi, sn.lo);
  sn = dd_mul(rh, rl, sn.hi, sn.lo);
  double tc = COS_TAIL[7];
  TT_UNROLL for (int i = 6; i >= 0; i--) tc = COS_TAIL[i] + z * tc;
  dd cs = dd_add(C3_HI, C3_LO, z * tc, 0);
  cs = dd_mul(z2.hi, z2.lo, cs.hi, cs.lo);
  cs = dd_add(C2_HI, C2_LO, cs.hi, cs.lo);
  cs = dd_mul(z2.hi, z2.lo, cs.hi, cs.lo);
  cs = dd_add(-0.5, 0, cs.hi, cs.lo);
  cs = dd_mul(z2.hi, z2.lo, cs.hi, cs.lo);
  cs = dd_add(1, 0, cs.hi, cs.lo);
  double s = sn.hi + sn.lo, c = cs.hi + cs.lo;
  /* the quadrant (k is 0 to 4 here) */
  int32_t q = (int32_t)k & 3;
  *cosine = q == 0 ? c : q == 1 ? -s : q == 2 ? -c : s;
  return q == 0 ? s : q == 1 ? c : q == 2 ? -s : -c;
}

/* normal_fill_16 on d[0..16) in double: cosines to j, sines to j + 8 */
static inline TT_ALWAYS_INLINE void normal16_f64(double *restrict d, double mean, double std) {
#pragma omp simd
  for (int j = 0; j < 8; j++) {
    double u1 = 1 - d[j], u2 = d[j + 8];
    double radius = sqrt(-2 * log_acc(u1)), theta = 2 * M_PI * u2, cs;
    double sn = sincos_acc(theta, &cs);
    /* (the reference's fma64 adds 0 to the rounded product when mean is 0: the same) */
    d[j] = fma(radius * cs, std, mean);
    d[j + 8] = fma(radius * sn, std, mean);
  }
}

typedef struct { double *d; double mean, std; } Normal64;
RNG_CLONES static void normal_blocks_f64(void *ctx, int64_t b, int64_t e) {
  Normal64 *j = ctx;
  for (int64_t i = b; i < e; i++) normal16_f64(j->d + 16 * i, j->mean, j->std);
}

void tt_normal_f64(uint32_t *mt, int32_t *pos, double *o, int64_t n, double mean, double std) {
  Normal64 job = { o, mean, std };
  fill_uniform53(mt, pos, o, n);
  tt_parallel_for(0, n / 16, NORMAL_GRAIN / 8, normal_blocks_f64, &job);
  if (n % 16 != 0) {
    fill_uniform53(mt, pos, o + n - 16, 16);
    normal16_f64(o + n - 16, mean, std);
  }
}
