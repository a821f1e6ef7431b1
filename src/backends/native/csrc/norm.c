// Layer normalisation of the rows of a contiguous [M, K] float32 array, forward and backward.
// Statistics in float64, as the reference's (src/backends/ts/conv_kernels.ts channelStats);
// the backward is NativeLayerNormBackward0's formula with the saved mean and 1/std.
//
// Note [Layer norm in float32]: the elementwise parts, x̂ = (x - mean)·(1/std) and its affine
// map forward, and g·w, x̂ and the row's two sums backward, are float32 arithmetic, as PyTorch's
// kernel (the reference's float64 per element, with its conversions, made the GPT's layer norms
// 1.6x and 2.8x PyTorch's); x - mean is taken first, so that a large common offset of the row
// cancels exactly before anything is rounded. Within 2e-5 of the reference (the fast kernels'
// test); the statistics and the weights' gradients keep their float64 sums.
#include "kernels.h"
#include "parallel.h"
#include <math.h>
#include "tt_compiler.h"
#include "rows.h"

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
    double mu = tt_row_sum(x, K) / (double)K;
    double a = 1.0 / sqrt(tt_row_sum_sq_dev(x, K, mu) / (double)K + j->eps);
    j->mean[m] = mu; j->rstd[m] = a;
    const float muf = (float)mu, af = (float)a;
    const float *restrict w = j->w, *restrict b = j->b; /* (Note [Step scalars] in optim.c) */
    if (w && b) {
#pragma omp simd
      for (int64_t k = 0; k < K; k++) y[k] = ((x[k] - muf) * af) * w[k] + b[k];
    } else {
      for (int64_t k = 0; k < K; k++) {
        float v = (x[k] - muf) * af;
        if (w) v *= w[k];
        if (b) v += b[k];
        y[k] = v;
      }
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
    const float muf = (float)j->mean[m], af = (float)j->rstd[m];
    const float *restrict w = j->w;
    /* the row's Σ g·w·x̂ and Σ g·w, each summed from gx, which holds the terms meanwhile */
#pragma omp simd
    for (int64_t k = 0; k < K; k++) gx[k] = (w ? g[k] * w[k] : g[k]) * ((x[k] - muf) * af);
    const float shxf = (float)(tt_row_sum(gx, K) / (double)K);
    if (w) {
#pragma omp simd
      for (int64_t k = 0; k < K; k++) gx[k] = g[k] * w[k];
    } else {
      memcpy(gx, g, (size_t)K * sizeof *gx);
    }
    const float shf = (float)(tt_row_sum(gx, K) / (double)K);
#pragma omp simd
    for (int64_t k = 0; k < K; k++) gx[k] = (gx[k] - shf - ((x[k] - muf) * af) * shxf) * af;
  }
}

/* Σ over rows of g·x̂ and of g, each column summed in row order as the reference does, with the
 * rows walked in memory order so the columns advance together in vector registers. */
TT_CLONES static void weight_grads(const float *restrict g, const float *restrict x, const double *restrict mean,
                                   const double *restrict rstd, double *restrict sw, double *restrict sb, int64_t M, int64_t K, int64_t kn) {
  for (int64_t m = 0; m < M; m++) {
    const float *restrict gr = g + m * K, *restrict xr = x + m * K;
    const float muf = (float)mean[m], af = (float)rstd[m];
    for (int64_t k = 0; k < kn; k++) {
      float gv = gr[k];
      sw[k] += (double)(gv * ((xr[k] - muf) * af));
      sb[k] += (double)gv;
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
