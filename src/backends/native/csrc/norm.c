// Layer normalisation of the rows of a contiguous [M, K] float32 array, forward and backward.
// Statistics in float64, as the reference's (src/backends/ts/conv_kernels.ts channelStats and
// channelAffine, whose arithmetic the forward repeats: the same bits); the backward is
// NativeLayerNormBackward0's formula with the saved mean and 1/std.
#include "kernels.h"
#include "parallel.h"
#include <math.h>
#include "tt_compiler.h"

#define WGRAD_BLOCK 256

typedef struct {
  const float *x, *w, *b, *g; float *y, *gx; double *mean, *rstd, eps; int64_t K;
} NormJob;

TT_CLONES static void forward_rows(void *ctx, int64_t m0, int64_t m1) {
  const NormJob *j = ctx;
  const int64_t K = j->K;
  for (int64_t m = m0; m < m1; m++) {
    const float *restrict x = j->x + m * K;
    float *restrict y = j->y + m * K;
    double s = 0, ss = 0;
    /* (Note [Vector reductions] in reduce.c) */
#pragma omp simd reduction(+ : s)
    for (int64_t k = 0; k < K; k++) s += x[k];
    double mu = s / (double)K;
#pragma omp simd reduction(+ : ss)
    for (int64_t k = 0; k < K; k++) { double d = x[k] - mu; ss += d * d; }
    double a = 1.0 / sqrt(ss / (double)K + j->eps), shift = -mu * a;
    j->mean[m] = mu; j->rstd[m] = a;
    const float *restrict w = j->w, *restrict b = j->b; /* (Note [Step scalars] in optim.c) */
    if (w && b) for (int64_t k = 0; k < K; k++) y[k] = (float)((x[k] * a + shift) * w[k] + b[k]);
    else for (int64_t k = 0; k < K; k++) {
      double v = x[k] * a + shift;
      if (w) v *= w[k];
      if (b) v += b[k];
      y[k] = (float)v;
    }
  }
}

void tt_layer_norm(const float *x, const float *w, const float *b, float *y, double *mean, double *rstd, int64_t M, int64_t K, double eps) {
  NormJob j = { .x = x, .w = w, .b = b, .y = y, .mean = mean, .rstd = rstd, .eps = eps, .K = K };
  tt_parallel_for(0, M, 16384 / (K + 1) + 1, forward_rows, &j);
}

TT_CLONES static void backward_rows(void *ctx, int64_t m0, int64_t m1) {
  const NormJob *j = ctx;
  const int64_t K = j->K;
  for (int64_t m = m0; m < m1; m++) {
    const float *restrict x = j->x + m * K, *restrict g = j->g + m * K;
    float *restrict gx = j->gx + m * K;
    const double mu = j->mean[m], a = j->rstd[m];
    const float *restrict w = j->w;
    double sh = 0, shx = 0;
#pragma omp simd reduction(+ : sh, shx)
    for (int64_t k = 0; k < K; k++) {
      double gh = w ? (double)g[k] * w[k] : (double)g[k], xh = (x[k] - mu) * a;
      sh += gh; shx += gh * xh;
    }
    sh /= (double)K; shx /= (double)K;
    for (int64_t k = 0; k < K; k++) {
      double gh = w ? (double)g[k] * w[k] : (double)g[k], xh = (x[k] - mu) * a;
      gx[k] = (float)((gh - sh - xh * shx) * a);
    }
  }
}

/* Σ over rows of g·x̂ and of g, each column summed in row order as the reference does, with the
 * rows walked in memory order so the columns advance together in vector registers. */
TT_CLONES static void weight_grads(const float *restrict g, const float *restrict x, const double *restrict mean,
                                   const double *restrict rstd, double *restrict sw, double *restrict sb, int64_t M, int64_t K, int64_t kn) {
  for (int64_t m = 0; m < M; m++) {
    const float *restrict gr = g + m * K, *restrict xr = x + m * K;
    const double mu = mean[m], a = rstd[m];
    for (int64_t k = 0; k < kn; k++) {
      double gv = gr[k];
      sw[k] += gv * ((xr[k] - mu) * a);
      sb[k] += gv;
    }
  }
}

void tt_layer_norm_backward(const float *g, const float *x, const float *w, const double *mean, const double *rstd,
                            float *gx, float *gw, float *gb, int64_t M, int64_t K) {
  NormJob j = { .x = x, .w = w, .g = g, .gx = gx, .mean = (double *)mean, .rstd = (double *)rstd, .K = K };
  if (gx) tt_parallel_for(0, M, 16384 / (K + 1) + 1, backward_rows, &j);
  /* columns in blocks whose sums stay on the stack */
  for (int64_t k0 = 0; (gw || gb) && k0 < K; k0 += WGRAD_BLOCK) {
    const int64_t kn = TT_MIN(WGRAD_BLOCK, K - k0);
    double sw[WGRAD_BLOCK] = { 0 }, sb[WGRAD_BLOCK] = { 0 };
    weight_grads(g + k0, x + k0, mean, rstd, sw, sb, M, K, kn);
    for (int64_t k = 0; k < kn; k++) {
      if (gw) gw[k0 + k] = (float)sw[k];
      if (gb) gb[k0 + k] = (float)sb[k];
    }
  }
}
