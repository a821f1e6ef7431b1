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

/* mt19937_engine::next_state: all 624 words anew. */
static void next_state(uint32_t *restrict mt) {
  int p = 0;
  for (; p < MT_N - MT_M; p++) mt[p] = mt[p + MT_M] ^ twisted(mt[p], mt[p + 1]);
  for (; p < MT_N - 1; p++) mt[p] = mt[p + MT_M - MT_N] ^ twisted(mt[p], mt[p + 1]);
  mt[p] = mt[p + MT_M - MT_N] ^ twisted(mt[p], mt[0]);
}

/* The next n words (mt19937_engine::operator(), tempered) into w, advancing the cursor: each draw
 * decrements `left` and regenerates the state when it reaches 0, so left - 1 words are ready. */
static void draw(uint32_t *restrict mt, int32_t *pos, uint32_t *restrict w, int64_t n) {
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
