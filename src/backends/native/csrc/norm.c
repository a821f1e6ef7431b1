// Layer normalisation of the rows of a contiguous [M, K] float32 array, forward and backward.
// Statistics in float64, as the reference's (src/backends/ts/conv_kernels.ts channelStats and
// channelAffine, whose arithmetic the forward repeats: the same bits); the backward is
// NativeLayerNormBackward0's formula with the saved mean and 1/std.
#include "kernels.h"
#include "parallel.h"
#include <math.h>

typedef struct {
  const float *x, *w, *b, *g; float *y, *gx; double *mean, *rstd, eps; int64_t K;
} NormJob;

static void forward_rows(void *ctx, int64_t m0, int64_t m1) {
  const NormJob *j = ctx;
  const int64_t K = j->K;
  for (int64_t m = m0; m < m1; m++) {
    const float *x = j->x + m * K;
    float *y = j->y + m * K;
    double s = 0, ss = 0;
    for (int64_t k = 0; k < K; k++) s += x[k];
    double mu = s / (double)K;
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

static void backward_rows(void *ctx, int64_t m0, int64_t m1) {
  const NormJob *j = ctx;
  const int64_t K = j->K;
  for (int64_t m = m0; m < m1; m++) {
    const float *x = j->x + m * K, *g = j->g + m * K;
    float *gx = j->gx + m * K;
    const double mu = j->mean[m], a = j->rstd[m];
    const float *restrict w = j->w;
    double sh = 0, shx = 0;
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

void tt_layer_norm_backward(const float *g, const float *x, const float *w, const double *mean, const double *rstd,
                            float *gx, float *gw, float *gb, int64_t M, int64_t K) {
  NormJob j = { .x = x, .w = w, .g = g, .gx = gx, .mean = (double *)mean, .rstd = (double *)rstd, .K = K };
  if (gx) tt_parallel_for(0, M, 16384 / (K + 1) + 1, backward_rows, &j);
  if (gw || gb) {
    /* Σ over rows, column by column in row order (one thread: these are K numbers) */
    for (int64_t k = 0; k < K; k++) {
      double sw = 0, sb = 0;
      for (int64_t m = 0; m < M; m++) {
        double gv = g[m * K + k];
        sw += gv * ((x[m * K + k] - mean[m]) * rstd[m]);
        sb += gv;
      }
      if (gw) gw[k] = (float)sw;
      if (gb) gb[k] = (float)sb;
    }
  }
}
