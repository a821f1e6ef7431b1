// Elementwise float32 kernels: unary ops on contiguous arrays, binary ops, where and copies on
// strided operands broadcast over up to four (collapsed) dims. Work is split over the thread
// pool by elements (contiguous) or by rows of the innermost dim (strided).
#include "kernels.h"
#include "parallel.h"
#include "vecmath.h"
#include <math.h>
#include <string.h>

/* elements each thread must get before an elementwise op is split */
#define GRAIN 32768

static const float GELU_BETA = 0.79788456080286536f; /* sqrt(2/π) */
static const float GELU_KAPPA = 0.044715f;

/* GELU's gradient g·(Φ(x) + x·φ(x)), and that of its tanh form, from g and x: the formulas of
 * GeluBackward0 (nn/functional.ts) in one pass. Φ(x) is tt_normcdf's, to the bit, and the
 * e^(-a²) (a = |x|/√2) of its tail is also φ(x)·√(2π): one exponential for both (e^ of the
 * rounded a² rather than of the rounded x²/2: a few ulps of the x·φ(x) term, whose part of the
 * result is within the float64 reference's 2e-6 all the same). */
static inline float gelu_backward(float g, float x) {
  float a = (x < 0.0f ? -x : x) * 0.70710678118654752f, e = tt_expf(-(a * a));
  return g * (tt_normcdf_from(x, a, e) + x * (e * 0.39894228040143267794f)); /* 1/√(2π) */
}
static inline float gelu_tanh_backward(float g, float x) {
  float xsq = x * x, t = tt_tanhf(GELU_BETA * (x + GELU_KAPPA * xsq * x));
  /* 0 where tanh saturates at a finite x, whose x² may have overflowed (0·inf is NaN; the
   * reference's float64 does not overflow); at ±inf NaN, as PyTorch */
  float s = 1.0f - t * t;
  float d_left = 0.5f * (1.0f + t), d_right = s == 0.0f && x - x == 0.0f ? 0.0f : 0.5f * x * s * (GELU_BETA * (1.0f + 3.0f * GELU_KAPPA * xsq));
  return g * (d_left + d_right);
}

#define UNARY_CASE(code, expr) case code: for (int64_t i = 0; i < n; i++) { float v = x[i]; y[i] = (expr); } break;

TT_CLONES TT_CONTRACTED static void unary_run(int op, const float *restrict x, float *restrict y, int64_t n) {
  switch (op) {
    UNARY_CASE(U_NEG, -v)
    UNARY_CASE(U_ABS, fabsf(v))
    UNARY_CASE(U_RELU, v > 0.0f ? v : (v != v ? v : 0.0f))
    UNARY_CASE(U_SQRT, sqrtf(v))
    UNARY_CASE(U_RSQRT, (float)(1.0 / sqrt((double)v))) /* rounded once, as the reference */
    UNARY_CASE(U_SQUARE, v * v)
    UNARY_CASE(U_RECIPROCAL, 1.0f / v)
    UNARY_CASE(U_EXP, tt_expf(v))
    UNARY_CASE(U_LOG, tt_logf(v))
    UNARY_CASE(U_TANH, tt_tanhf(v))
    UNARY_CASE(U_SIGMOID, tt_sigmoidf(v))
    UNARY_CASE(U_GELU, v * tt_normcdf(v))
    UNARY_CASE(U_GELU_TANH, 0.5f * v * (1.0f + tt_tanhf(GELU_BETA * (v + GELU_KAPPA * v * v * v))))
    UNARY_CASE(U_SILU, v * tt_sigmoidf(v))
    UNARY_CASE(U_ERF, tt_erff(v))
  }
}

/* Note [exp on AVX-512]: the vectorizer's tt_expf costs 31 instructions per 16 floats: it has no
 * rounding instruction to reach for and builds 2^n from integer bits in two halves (so that
 * subnormal results survive). AVX-512 has both steps as one instruction each (vrndscaleps,
 * vscalefps, which rounds a subnormal result once, correctly), so torch.exp itself, the one op
 * that is nothing but exp, gets them by hand (exp16, which GELU shares): the same clamp,
 * Cody-Waite reduction and Cephes polynomial, 15 instructions, 0.26 -> 0.145 ns per float (PyTorch's Sleef: 0.147), the same
 * ulps. NaN passes through vmaxps/vminps as their second operand. The lanes whose result rounds
 * to 0 are not scaled (Note [exp below the subnormals]): torch.exp of 262144 floats, half of them
 * -inf, one thread, 1146 -> 65 µs (none: 61, unchanged). */
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <immintrin.h>
#define TT_X86_PATHS 1
#define TT_AVX512 __attribute__((target("avx512f")))
TT_AVX512 static inline __m512 exp16(__m512 v) {
  __mmask16 scale = _mm512_cmp_ps_mask(v, _mm512_set1_ps(TT_EXP_ZERO), _CMP_NLT_UQ); /* (Note [exp below the subnormals]) */
  v = _mm512_min_ps(_mm512_set1_ps(89.0f), _mm512_max_ps(_mm512_set1_ps(-104.0f), v));
  __m512 fx = _mm512_roundscale_ps(_mm512_mul_ps(v, _mm512_set1_ps(TT_LOG2E)), _MM_FROUND_TO_NEAREST_INT | _MM_FROUND_NO_EXC);
  __m512 r = _mm512_fnmadd_ps(fx, _mm512_set1_ps(TT_LN2_LO), _mm512_fnmadd_ps(fx, _mm512_set1_ps(TT_LN2_HI), v));
  __m512 p = _mm512_set1_ps(1.9875691500e-4f);
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.3981999507e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(8.3334519073e-3f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(4.1665795894e-2f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(1.6666665459e-1f));
  p = _mm512_fmadd_ps(p, r, _mm512_set1_ps(5.0000001201e-1f));
  __m512 e = _mm512_add_ps(_mm512_fmadd_ps(p, _mm512_mul_ps(r, r), r), _mm512_set1_ps(1.0f));
  return _mm512_maskz_scalef_ps(scale, e, fx);
}
/* the lanes of x[i..n) that exist, at most 16 */
#define TAIL16(n, i) ((n) - (i) >= 16 ? (__mmask16)0xffff : (__mmask16)((1u << ((n) - (i))) - 1))
TT_AVX512 static void exp_avx512(const float *restrict x, float *restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) {
    __mmask16 m = TAIL16(n, i);
    _mm512_mask_storeu_ps(y + i, m, exp16(_mm512_maskz_loadu_ps(m, x + i)));
  }
}

/* Note [GELU on AVX-512]: GELU and its gradient are tt_normcdf's formula (Note [Φ in one piece])
 * with exp16 for tt_expf, by hand for the same reason as exp: the vectorizer's loop was 45
 * instructions per 16 floats, this one 33. GELU of [16, 64, 512] on one thread: 315 -> 245 µs,
 * with its gradient 670 -> 545 (PyTorch 2.13: 153 and 560). Φ(x) and e^(-a²) of 16 lanes: */
TT_AVX512 static inline __m512 normcdf16(__m512 x, __m512 *e) {
  const __m512 one = _mm512_set1_ps(1.0f), half = _mm512_set1_ps(0.5f);
  __m512 a = _mm512_mul_ps(_mm512_abs_ps(x), _mm512_set1_ps(0.70710678118654752f));
  *e = exp16(_mm512_fnmadd_ps(a, a, _mm512_setzero_ps()));
  __m512 t = _mm512_div_ps(one, _mm512_fmadd_ps(half, a, one)), r = _mm512_set1_ps(TT_ERFC_S9);
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S8));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S7));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S6));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S5));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S4));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S3));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S2));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S1));
  r = _mm512_fmadd_ps(r, t, _mm512_set1_ps(TT_ERFC_S0));
  __m512 c = _mm512_mul_ps(half, _mm512_mul_ps(*e, r));
  return _mm512_mask_blend_ps(_mm512_cmp_ps_mask(x, _mm512_setzero_ps(), _CMP_LT_OQ), _mm512_sub_ps(one, c), c);
}
TT_AVX512 static void gelu_avx512(const float *restrict x, float *restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) {
    __mmask16 m = TAIL16(n, i);
    __m512 v = _mm512_maskz_loadu_ps(m, x + i), e;
    _mm512_mask_storeu_ps(y + i, m, _mm512_mul_ps(v, normcdf16(v, &e)));
  }
}
TT_AVX512 static void gelu_backward_avx512(const float *restrict g, const float *restrict x, float *restrict y, int64_t n) {
  for (int64_t i = 0; i < n; i += 16) {
    __mmask16 m = TAIL16(n, i);
    __m512 v = _mm512_maskz_loadu_ps(m, x + i), e, cdf = normcdf16(v, &e);
    __m512 d = _mm512_fmadd_ps(v, _mm512_mul_ps(e, _mm512_set1_ps(0.39894228040143267794f)), cdf);
    _mm512_mask_storeu_ps(y + i, m, _mm512_mul_ps(_mm512_maskz_loadu_ps(m, g + i), d));
  }
}
static int has_avx512(void) { return __builtin_cpu_supports("avx512f"); }
#else
static int has_avx512(void) { return 0; }
#endif

typedef struct { int op; const float *x; float *y; } UnaryJob;
static void unary_chunk(void *ctx, int64_t b, int64_t e) {
  UnaryJob *j = ctx;
#ifdef TT_X86_PATHS
  if (j->op == U_EXP && has_avx512()) { exp_avx512(j->x + b, j->y + b, e - b); return; }
  if (j->op == U_GELU && has_avx512()) { gelu_avx512(j->x + b, j->y + b, e - b); return; }
#endif
  unary_run(j->op, j->x + b, j->y + b, e - b);
}

void tt_unary(int op, const float *x, float *y, int64_t n) {
  UnaryJob j = { op, x, y };
  tt_parallel_for(0, n, GRAIN, unary_chunk, &j);
}

/* (the ops on vecmath.h's functions apart: their loop is TT_CONTRACTED, add_alpha's must not be) */
#define BINARY_OPS(X) \
  X(B_ADD, float, p + q) X(B_SUB, float, p - q) X(B_MUL, float, p * q) X(B_DIV, float, p / q) \
  X(B_MAXIMUM, float, (p != p || q != q) ? p + q : (p > q ? p : q)) \
  X(B_MINIMUM, float, (p != p || q != q) ? p + q : (p < q ? p : q)) \
  X(B_ADD_ALPHA, float, (float)((double)p + alpha * (double)q)) /* (in float64, as the reference) */ \
  X(B_THRESHOLD_BACKWARD, float, q <= (float)alpha ? 0.0f : p) \
  X(B_EQ, uint8_t, p == q) X(B_NE, uint8_t, p != q) X(B_LT, uint8_t, p < q) \
  X(B_LE, uint8_t, p <= q) X(B_GT, uint8_t, p > q) X(B_GE, uint8_t, p >= q)

/* One row of n elements: a and b at strides sa, sb (the common cases, 1 and 0, get their own
 * loops, which vectorize). */
#define BINARY_ROW(code, T, expr) case code: { T *restrict o = (T *)y; \
    if (sa == 1 && sb == 1) for (int64_t i = 0; i < n; i++) { float p = a[i], q = b[i]; o[i] = (T)(expr); } \
    else if (sa == 1 && sb == 0) { float q = b[0]; for (int64_t i = 0; i < n; i++) { float p = a[i]; o[i] = (T)(expr); } } \
    else if (sa == 0 && sb == 1) { float p = a[0]; for (int64_t i = 0; i < n; i++) { float q = b[i]; o[i] = (T)(expr); } } \
    else for (int64_t i = 0; i < n; i++) { float p = a[i * sa], q = b[i * sb]; o[i] = (T)(expr); } \
    break; }

#define BINARY_VECMATH_OPS(X) \
  X(B_GELU_BACKWARD, float, gelu_backward(p, q)) X(B_GELU_TANH_BACKWARD, float, gelu_tanh_backward(p, q))

TT_CLONES TT_CONTRACTED static void binary_vecmath_row(int op, const float *restrict a, int64_t sa, const float *restrict b, int64_t sb, void *restrict y, int64_t n) {
  switch (op) { BINARY_VECMATH_OPS(BINARY_ROW) }
}

TT_CLONES static void binary_row(int op, const float *restrict a, int64_t sa, const float *restrict b, int64_t sb, void *restrict y, int64_t n, double alpha) {
  switch (op) {
    BINARY_OPS(BINARY_ROW)
    default: binary_vecmath_row(op, a, sa, b, sb, y, n);
  }
}

/* Note [Element ranges]: the strided kernels split their work by elements, not rows: a chunk
 * [e0, e1) of the output's row-major order covers the tail of one row, whole rows, and the head
 * of another, so one long row (a contiguous add of 4M floats) is shared by all threads too.
 *
 * Note [Row odometer]: the rows of a 4-d geometry (n0·n1·n2 of them) are walked with each
 * operand's element offset carried from one row to the next, its index digits counted like an
 * odometer: the offsets of a chunk's first row take three divisions, and each row after only
 * additions. (Recomputing them per row, three divisions an operand, cost more than moving the
 * row itself where rows are short: a [16, 4, 64, 32] view of attention's heads is 4096 rows of
 * 32 floats, copied 2.5x slower than PyTorch's copy_.) */
typedef struct { int64_t i1, i2, off[3]; } RowWalk;

static inline void walk_start(RowWalk *w, const tt_geo *g, int ops, int64_t r) {
  int64_t i2 = r % g->n[2], r1 = r / g->n[2], i1 = r1 % g->n[1], i0 = r1 / g->n[1];
  w->i1 = i1; w->i2 = i2;
  for (int k = 0; k < ops; k++) w->off[k] = i0 * g->s[k][0] + i1 * g->s[k][1] + i2 * g->s[k][2];
}

static inline void walk_next(RowWalk *w, const tt_geo *g, int ops) {
  if (++w->i2 < g->n[2]) { for (int k = 0; k < ops; k++) w->off[k] += g->s[k][2]; return; }
  w->i2 = 0;
  if (++w->i1 < g->n[1]) { for (int k = 0; k < ops; k++) w->off[k] += g->s[k][1] - (g->n[2] - 1) * g->s[k][2]; return; }
  w->i1 = 0;
  for (int k = 0; k < ops; k++) w->off[k] += g->s[k][0] - (g->n[1] - 1) * g->s[k][1] - (g->n[2] - 1) * g->s[k][2];
}

/* body runs for each row r of [e0, e1) with the spans' columns [c0, c1) and the operands' row
 * offsets in w.off[] */
#define FOR_ROW_SPANS(g, ops, e0, e1, body) do { \
    int64_t n_ = (g)->n[3]; \
    RowWalk w; \
    walk_start(&w, (g), (ops), (e0) / n_); \
    for (int64_t r = (e0) / n_, c0 = (e0) % n_; r * n_ < (e1); r++, c0 = 0, walk_next(&w, (g), (ops))) { \
      int64_t c1 = (e1) - r * n_ < n_ ? (e1) - r * n_ : n_; \
      body \
    } } while (0)

typedef struct { int op; const float *a, *b; char *y; const tt_geo *g; size_t out_size; double alpha; int gelu16; } BinaryJob;
static void binary_chunk(void *ctx, int64_t e0, int64_t e1) {
  BinaryJob *j = ctx;
  const tt_geo *g = j->g;
  FOR_ROW_SPANS(g, 2, e0, e1, {
    const float *a = j->a + w.off[0] + c0 * g->s[0][3];
    const float *b = j->b + w.off[1] + c0 * g->s[1][3];
    char *y = j->y + (size_t)(r * n_ + c0) * j->out_size;
#ifdef TT_X86_PATHS
    if (j->gelu16) gelu_backward_avx512(a, b, (float *)y, c1 - c0); else
#endif
    binary_row(j->op, a, g->s[0][3], b, g->s[1][3], y, c1 - c0, j->alpha);
  });
}

static int64_t elements(const tt_geo *g) { return g->n[0] * g->n[1] * g->n[2] * g->n[3]; }

void tt_binary(int op, const float *a, const float *b, void *y, const tt_geo *g, double alpha) {
  BinaryJob j = { op, a, b, y, g, op >= B_EQ ? 1 : 4, alpha, op == B_GELU_BACKWARD && g->s[0][3] == 1 && g->s[1][3] == 1 && has_avx512() };
  if (g->n[3] > 0) tt_parallel_for(0, elements(g), GRAIN, binary_chunk, &j);
}

TT_CLONES static void where_row(const uint8_t *restrict c, int64_t sc, const float *restrict a, int64_t sa,
                                const float *restrict b, int64_t sb, float *restrict y, int64_t n) {
  /* (the masks of ReLU's and dropout's gradients: one side a scalar) */
  if (sc == 1 && sa == 1 && sb == 1) for (int64_t i = 0; i < n; i++) y[i] = c[i] ? a[i] : b[i];
  else if (sc == 1 && sa == 0 && sb == 1) { float v = a[0]; for (int64_t i = 0; i < n; i++) y[i] = c[i] ? v : b[i]; }
  else if (sc == 1 && sa == 1 && sb == 0) { float v = b[0]; for (int64_t i = 0; i < n; i++) y[i] = c[i] ? a[i] : v; }
  else for (int64_t i = 0; i < n; i++) y[i] = c[i * sc] ? a[i * sa] : b[i * sb];
}

typedef struct { const uint8_t *c; const float *a, *b; float *y; const tt_geo *g; } WhereJob;
static void where_chunk(void *ctx, int64_t e0, int64_t e1) {
  WhereJob *j = ctx;
  const tt_geo *g = j->g;
  FOR_ROW_SPANS(g, 3, e0, e1, {
    where_row(j->c + w.off[0] + c0 * g->s[0][3], g->s[0][3], j->a + w.off[1] + c0 * g->s[1][3], g->s[1][3],
              j->b + w.off[2] + c0 * g->s[2][3], g->s[2][3], j->y + r * n_ + c0, c1 - c0);
  });
}

void tt_where(const uint8_t *c, const float *a, const float *b, float *y, const tt_geo *g) {
  WhereJob j = { c, a, b, y, g };
  if (g->n[3] > 0) tt_parallel_for(0, elements(g), GRAIN, where_chunk, &j);
}

/* Copies of any dtype: elements are moved as 1, 2, 4 or 8 byte words. A short contiguous run is
 * a loop, not a call to memcpy, which cost more than the move itself for the rows of 32 floats
 * of attention's heads ([16, 64, 4, 32] to [16, 4, 64, 32] and back, one thread: 31 -> 25 µs). */
#define COPY_ROW(T) { const T *restrict s = x; T *restrict d = y; \
    if (sx == 1 && sy == 1 && n * (int64_t)sizeof(T) >= 1024) memcpy(d, s, (size_t)n * sizeof(T)); \
    else if (sx == 1 && sy == 1) for (int64_t i = 0; i < n; i++) d[i] = s[i]; \
    else if (sx == 0) { T v = s[0]; for (int64_t i = 0; i < n; i++) d[i * sy] = v; } \
    else for (int64_t i = 0; i < n; i++) d[i * sy] = s[i * sx]; \
    break; }

TT_CLONES TT_NO_MEMCPY_CALLS static void copy_row(int size, const void *x, int64_t sx, void *y, int64_t sy, int64_t n) {
  switch (size) {
    case 1: COPY_ROW(uint8_t)
    case 2: COPY_ROW(uint16_t)
    case 4: COPY_ROW(uint32_t)
    case 8: COPY_ROW(uint64_t)
  }
}

typedef struct { int size; const char *x; char *y; const tt_geo *g; } CopyJob;
static void copy_chunk(void *ctx, int64_t e0, int64_t e1) {
  CopyJob *j = ctx;
  const tt_geo *g = j->g;
  FOR_ROW_SPANS(g, 2, e0, e1, {
    copy_row(j->size, j->x + (w.off[0] + c0 * g->s[0][3]) * j->size, g->s[0][3],
             j->y + (w.off[1] + c0 * g->s[1][3]) * j->size, g->s[1][3], c1 - c0);
  });
}

/* Note [Transposing copies]: where the source's unit stride is not along the destination's rows
 * (x's dim d, the rows' dim 3 at a large stride: a GPT's k.transpose(-2, -1) made contiguous for
 * its batched matmul, and the gradient of its heads going back), a row-by-row copy reads one
 * float per cache line and per instruction. Each plane of the other two dims is copied in 8 × 8
 * tiles instead, loaded as 8 rows of x and transposed in registers (the usual eight unpacks,
 * eight shuffles and eight lane permutes); the edges element by element. A GPT's keys,
 * [16, 64, 4, 32] out of its fused projection, copied as [16, 4, 32, 64], one thread: 59 -> 33 µs
 * (PyTorch 2.13: 62). (Within a training step, where the source and the destination are out of
 * the caches, the copy is bound by memory either way: B7's transposing copies cost the same.) */
#ifdef TT_X86_PATHS
typedef struct { const float *x; float *y; const tt_geo *g; int d, p, q; } TransposeJob;

__attribute__((target("avx2"))) static void transpose8(const float *s, int64_t ss, float *d, int64_t ds) {
  __m256 r0 = _mm256_loadu_ps(s), r1 = _mm256_loadu_ps(s + ss), r2 = _mm256_loadu_ps(s + 2 * ss), r3 = _mm256_loadu_ps(s + 3 * ss);
  __m256 r4 = _mm256_loadu_ps(s + 4 * ss), r5 = _mm256_loadu_ps(s + 5 * ss), r6 = _mm256_loadu_ps(s + 6 * ss), r7 = _mm256_loadu_ps(s + 7 * ss);
  __m256 t0 = _mm256_unpacklo_ps(r0, r1), t1 = _mm256_unpackhi_ps(r0, r1), t2 = _mm256_unpacklo_ps(r2, r3), t3 = _mm256_unpackhi_ps(r2, r3);
  __m256 t4 = _mm256_unpacklo_ps(r4, r5), t5 = _mm256_unpackhi_ps(r4, r5), t6 = _mm256_unpacklo_ps(r6, r7), t7 = _mm256_unpackhi_ps(r6, r7);
  __m256 u0 = _mm256_shuffle_ps(t0, t2, 0x44), u1 = _mm256_shuffle_ps(t0, t2, 0xee), u2 = _mm256_shuffle_ps(t1, t3, 0x44), u3 = _mm256_shuffle_ps(t1, t3, 0xee);
  __m256 u4 = _mm256_shuffle_ps(t4, t6, 0x44), u5 = _mm256_shuffle_ps(t4, t6, 0xee), u6 = _mm256_shuffle_ps(t5, t7, 0x44), u7 = _mm256_shuffle_ps(t5, t7, 0xee);
  _mm256_storeu_ps(d, _mm256_permute2f128_ps(u0, u4, 0x20));
  _mm256_storeu_ps(d + ds, _mm256_permute2f128_ps(u1, u5, 0x20));
  _mm256_storeu_ps(d + 2 * ds, _mm256_permute2f128_ps(u2, u6, 0x20));
  _mm256_storeu_ps(d + 3 * ds, _mm256_permute2f128_ps(u3, u7, 0x20));
  _mm256_storeu_ps(d + 4 * ds, _mm256_permute2f128_ps(u0, u4, 0x31));
  _mm256_storeu_ps(d + 5 * ds, _mm256_permute2f128_ps(u1, u5, 0x31));
  _mm256_storeu_ps(d + 6 * ds, _mm256_permute2f128_ps(u2, u6, 0x31));
  _mm256_storeu_ps(d + 7 * ds, _mm256_permute2f128_ps(u3, u7, 0x31));
}

/* planes [k0, k1): y[a·yd + b] = x[a + b·xb] for a < n[d], b < n[3] */
static void transpose_chunk(void *ctx, int64_t k0, int64_t k1) {
  const TransposeJob *j = ctx;
  const tt_geo *g = j->g;
  const int64_t na = g->n[j->d], nb = g->n[3], xb = g->s[0][3], yd = g->s[1][j->d];
  for (int64_t k = k0; k < k1; k++) {
    const int64_t ip = k / g->n[j->q], iq = k % g->n[j->q];
    const float *x = j->x + ip * g->s[0][j->p] + iq * g->s[0][j->q];
    float *y = j->y + ip * g->s[1][j->p] + iq * g->s[1][j->q];
    int64_t a0 = 0;
    for (; a0 + 8 <= na; a0 += 8) {
      int64_t b0 = 0;
      for (; b0 + 8 <= nb; b0 += 8) transpose8(x + a0 + b0 * xb, xb, y + a0 * yd + b0, yd);
      for (int64_t a = a0; a < a0 + 8; a++) for (int64_t b = b0; b < nb; b++) y[a * yd + b] = x[a + b * xb];
    }
    for (int64_t a = a0; a < na; a++) for (int64_t b = 0; b < nb; b++) y[a * yd + b] = x[a + b * xb];
  }
}
#endif

void tt_copy(int itemsize, const void *x, void *y, const tt_geo *g) {
  if (g->n[3] == 0) return;
#ifdef TT_X86_PATHS
  if (itemsize == 4 && g->s[1][3] == 1 && g->s[0][3] != 1 && g->s[0][3] != 0 && g->n[3] >= 8 && __builtin_cpu_supports("avx2")) {
    for (int d = 2; d >= 0; d--) {
      if (g->s[0][d] != 1 || g->n[d] < 8) continue;
      TransposeJob j = { x, y, g, d, d == 0 ? 1 : 0, d == 2 ? 1 : 2 };
      int64_t planes = g->n[j.p] * g->n[j.q];
      tt_parallel_for(0, planes, GRAIN / (g->n[d] * g->n[3]) + 1, transpose_chunk, &j);
      return;
    }
  }
#endif
  CopyJob j = { itemsize, x, y, g };
  tt_parallel_for(0, elements(g), GRAIN, copy_chunk, &j);
}
