// Reductions over the middle dim of a contiguous [O, R, I] array (which covers the last dim,
// I = 1; the first dims, O = 1; everything, O = I = 1), and softmax / log_softmax of contiguous
// rows. Sums accumulate in float64 and round once, as the reference kernels do, so the two agree
// but for the order of the float64 additions.
#include "kernels.h"
#include "parallel.h"
#include "vecmath.h"
#include "rows.h"
#include <math.h>

/* (outside the cloned functions: libm's log, once a row) */
static double log_double(double z) { return log(z); }

#define GRAIN 32768

// Note [Vector reductions]: a loop-carried sum only vectorizes when the compiler may reorder
// its additions, which C forbids; `omp simd reduction` (compiled with -fopenmp-simd: no OpenMP
// runtime) allows it for that one loop, and rows.h's reductions keep 16 lanes by hand. The
// float64 partial sums of float32 terms stay well within the reference's tolerance whatever the
// order.

/* (the clones' entries to rows.h's reductions, which are inlined into them) */
TT_CLONES static double sum_row(const float *restrict x, int64_t n) { return tt_run_sum(x, n); }
TT_CLONES static float extremum_row(int kind, const float *restrict x, int64_t n) {
  return kind == R_MAX ? tt_row_max(x, n) : tt_row_min(x, n);
}

typedef struct { int kind; const float *x; float *y; int64_t R, I; } ReduceJob;

/* outputs [o0, o1) of an I = 1 reduction: one row each */
static void rows_chunk(void *ctx, int64_t o0, int64_t o1) {
  ReduceJob *j = ctx;
  for (int64_t o = o0; o < o1; o++) {
    const float *x = j->x + o * j->R;
    j->y[o] = j->kind == R_SUM ? (float)sum_row(x, j->R) : extremum_row(j->kind, x, j->R);
  }
}

/* Column reductions for outer index o, columns [i0, i1): the rows stream past, accumulating. */
TT_CLONES static void columns(int kind, const float *restrict x, float *restrict y, double *restrict acc, int64_t R, int64_t I, int64_t i0, int64_t i1) {
  int64_t w = i1 - i0;
  if (kind == R_SUM) {
    for (int64_t i = 0; i < w; i++) acc[i] = 0;
    for (int64_t r = 0; r < R; r++) { const float *row = x + r * I + i0; for (int64_t i = 0; i < w; i++) acc[i] += (double)row[i]; }
    for (int64_t i = 0; i < w; i++) y[i0 + i] = (float)acc[i];
  } else {
    float *m = y + i0;
    for (int64_t i = 0; i < w; i++) m[i] = x[i0 + i];
    for (int64_t r = 1; r < R; r++) {
      const float *row = x + r * I + i0;
      if (kind == R_MAX) for (int64_t i = 0; i < w; i++) { float v = row[i], c = m[i]; m[i] = (v > c || v != v) && c == c ? v : c; }
      else for (int64_t i = 0; i < w; i++) { float v = row[i], c = m[i]; m[i] = (v < c || v != v) && c == c ? v : c; }
    }
  }
}

#define COLUMN_BLOCK 1024
/* outputs [t0, t1) of the O·ceil(I/COLUMN_BLOCK) column blocks */
static void columns_chunk(void *ctx, int64_t t0, int64_t t1) {
  ReduceJob *j = ctx;
  int64_t blocks = (j->I + COLUMN_BLOCK - 1) / COLUMN_BLOCK;
  double acc[COLUMN_BLOCK];
  for (int64_t t = t0; t < t1; t++) {
    int64_t o = t / blocks, i0 = (t % blocks) * COLUMN_BLOCK, i1 = i0 + COLUMN_BLOCK;
    if (i1 > j->I) i1 = j->I;
    columns(j->kind, j->x + o * j->R * j->I, j->y + o * j->I, acc, j->R, j->I, i0, i1);
  }
}

void tt_reduce(int kind, const float *x, float *y, int64_t O, int64_t R, int64_t I) {
  ReduceJob j = { kind, x, y, R, I };
  if (I == 1) { tt_parallel_for(0, O, GRAIN / (R ? R : 1) + 1, rows_chunk, &j); return; }
  int64_t blocks = O * ((I + COLUMN_BLOCK - 1) / COLUMN_BLOCK);
  int64_t per_block = R * (I < COLUMN_BLOCK ? I : COLUMN_BLOCK);
  tt_parallel_for(0, blocks, GRAIN / (per_block ? per_block : 1) + 1, columns_chunk, &j);
}

/* Σ x² over x[0..n) in float64 (vector_norm's p = 2, clip_grad_norm_'s): fixed blocks summed
 * in parallel, then their sums in order, so the result does not depend on the thread count. */
TT_CLONES static double sumsq_run(const float *restrict x, int64_t n) { return tt_run_sum_sq_dev(x, n, 0.0); }

#define SUMSQ_BLOCKS 1024
typedef struct { const float *x; int64_t n, block; double *part; } SumsqJob;
static void sumsq_chunk(void *ctx, int64_t b0, int64_t b1) {
  SumsqJob *j = ctx;
  for (int64_t b = b0; b < b1; b++) {
    int64_t s = b * j->block, e = s + j->block < j->n ? s + j->block : j->n;
    j->part[b] = sumsq_run(j->x + s, e - s);
  }
}

double tt_sum_squares(const float *x, int64_t n) {
  double part[SUMSQ_BLOCKS];
  int64_t block = n / SUMSQ_BLOCKS + 1;
  if (block < GRAIN) block = GRAIN;
  SumsqJob j = { x, n, block, part };
  int64_t blocks = (n + block - 1) / block;
  tt_parallel_for(0, blocks, 1, sumsq_chunk, &j);
  double s = 0;
  for (int64_t b = 0; b < blocks; b++) s += part[b];
  return s;
}

/* e^(x - m) to float32 accuracy: x - m rounds (by up to 2^-24·|x - m|, which e^ turns into as
 * much relative error: 10 ulps at x - m = -20), so its rounding error is recovered exactly
 * (Knuth's TwoSum) and put back to first order, e^(s + err) = e^s·(1 + err): the reference's
 * float64 x - max, to within float32's own rounding. */
static inline float exp_shifted(float x, float nm) {
  float s = x + nm, bv = s - x;
  float err = (x - (s - bv)) + (nm - bv);
  float e = tt_expf(s), y = e + e * err;
  return y == y ? y : e; /* an infinite s makes err NaN: e is exact then */
}

/* softmax (or log_softmax) of one row (next: the row after it, or NULL), as the reference: shifted by the row's max (0 when the max
 * is -inf), e^(x - max) summed in float64; softmax is e^(x - max) times 1/Σ (as PyTorch's kernel:
 * a division per element cost a sixth of a short row), log_softmax is x - (log Σ + max), with
 * log Σ + max split into two floats so that the subtraction keeps its float64 accuracy. The
 * exponentials go into y a block at a time, summed while the block is in L1 (and written there
 * first, so that a fresh y's cache misses overlap the exponentials' arithmetic); log_softmax's
 * only feed the sum, so they skip the compensation, whose first-order term moves log Σ by a
 * weighted mean of the terms' relative errors, far below the result's rounding. While a row's
 * exponentials are computed, the next row is prefetched into L2: the max pass that opens each
 * row otherwise waits on memory alone (B8's [700, 10000] log_softmax with the caches cold, one
 * thread: 7.4 -> 6.4 ms; PyTorch 7.6). */
#define SOFTMAX_BLOCK 1024
TT_CLONES TT_CONTRACTED static void softmax_row(const float *restrict x, float *restrict y, int64_t n, int log, const float *next) {
  float m = tt_row_max(x, n);
  if (m == -__builtin_inff()) m = 0;
  float nm = -m;
  double z = 0;
  for (int64_t k0 = 0; k0 < n; k0 += SOFTMAX_BLOCK) {
    int64_t w = n - k0 < SOFTMAX_BLOCK ? n - k0 : SOFTMAX_BLOCK;
    const float *xs = x + k0;
    float *ys = y + k0;
    if (next) for (int64_t k = 0; k < w; k += 16) TT_PREFETCH_L2(next + k0 + k);
    if (log) {
#pragma omp simd
      for (int64_t k = 0; k < w; k++) ys[k] = tt_expf(xs[k] + nm);
    } else {
#pragma omp simd
      for (int64_t k = 0; k < w; k++) ys[k] = exp_shifted(xs[k], nm);
    }
    z += tt_row_sum(ys, w);
  }
  if (log) {
    double lz = log_double(z) + (double)m;
    float hi = (float)lz, lo = (float)(lz - (double)hi);
#pragma omp simd
    for (int64_t k = 0; k < n; k++) y[k] = (x[k] - hi) - lo;
  } else {
    float r = (float)(1.0 / z);
#pragma omp simd
    for (int64_t k = 0; k < n; k++) y[k] = y[k] * r;
  }
}

typedef struct { const float *x; float *y; int64_t len; int log; } SoftmaxJob;
static void softmax_chunk(void *ctx, int64_t r0, int64_t r1) {
  SoftmaxJob *j = ctx;
  /* (short rows are one stream, which the hardware prefetches) */
  for (int64_t r = r0; r < r1; r++)
    softmax_row(j->x + r * j->len, j->y + r * j->len, j->len, j->log, r + 1 < r1 && j->len >= SOFTMAX_BLOCK ? j->x + (r + 1) * j->len : 0);
}

void tt_softmax(const float *x, float *y, int64_t rows, int64_t len, int log) {
  SoftmaxJob j = { x, y, len, log };
  tt_parallel_for(0, rows, GRAIN / (4 * len + 1) + 1, softmax_chunk, &j);
}

/* The backward of softmax (y = softmax: gx = y·(g - Σ g·y)) and of log_softmax (y = log_softmax:
 * gx = g - e^y·Σ g), row by row; the sums in float64 as the reference's. gx may be g itself (each
 * element is read before it is written), so those two are not restrict. */
TT_CLONES TT_CONTRACTED static void softmax_backward_row(const float *g, const float *restrict y, float *gx, int64_t n, int log) {
  double s = 0;
  if (log) {
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < n; k++) s += (double)g[k];
    float sf = (float)s;
#pragma omp simd
    for (int64_t k = 0; k < n; k++) gx[k] = g[k] - tt_expf(y[k]) * sf;
  } else {
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < n; k++) s += (double)(g[k] * y[k]);
    float sf = (float)s;
#pragma omp simd
    for (int64_t k = 0; k < n; k++) gx[k] = g[k] * y[k] - y[k] * sf;
  }
}

typedef struct { const float *g, *y; float *gx; int64_t len; int log; } SoftmaxBackwardJob;
static void softmax_backward_chunk(void *ctx, int64_t r0, int64_t r1) {
  SoftmaxBackwardJob *j = ctx;
  for (int64_t r = r0; r < r1; r++) softmax_backward_row(j->g + r * j->len, j->y + r * j->len, j->gx + r * j->len, j->len, j->log);
}

void tt_softmax_backward(const float *g, const float *y, float *gx, int64_t rows, int64_t len, int log) {
  SoftmaxBackwardJob j = { g, y, gx, len, log };
  tt_parallel_for(0, rows, GRAIN / (4 * len + 1) + 1, softmax_backward_chunk, &j);
}

/* log_softmax's backward for a gradient of one nonzero per row at most, nll_loss's: v at column
 * col (none where col < 0). Each element is the one softmax_backward_row computes from that
 * gradient written out, bit for bit: the same sum (of one number, from 0 in float64), the same
 * expression, the gradient's zeros selected inside the one loop so that it contracts alike. */
TT_CLONES TT_CONTRACTED static void log_softmax_backward_onehot_row(const float *restrict y, float *restrict gx, int64_t n, int64_t col, float v) {
  double s = 0;
  if (col >= 0) s += (double)v;
  float sf = (float)s;
#pragma omp simd
  for (int64_t k = 0; k < n; k++) gx[k] = (k == col ? v : 0.0f) - tt_expf(y[k]) * sf;
}

typedef struct { const float *y; const int32_t *cols; const float *vals; float *gx; int64_t len; } OnehotJob;
static void log_softmax_backward_onehot_chunk(void *ctx, int64_t r0, int64_t r1) {
  OnehotJob *j = ctx;
  for (int64_t r = r0; r < r1; r++) log_softmax_backward_onehot_row(j->y + r * j->len, j->gx + r * j->len, j->len, j->cols[r], j->vals[r]);
}

void tt_log_softmax_backward_onehot(const float *y, const int32_t *cols, const float *vals, float *gx, int64_t rows, int64_t len) {
  OnehotJob j = { y, cols, vals, gx, len };
  tt_parallel_for(0, rows, GRAIN / (2 * len + 1) + 1, log_softmax_backward_onehot_chunk, &j);
}
