// Per-channel normalisation of a contiguous float32 x seen as [P, Q, R] (batch norm: [N, C, S];
// group norm: [1, N·G, Cg·S]; instance norm through batch norm): the statistics of each q in
// float64, the affine map x·scale[q] + shift[q] in float64 rounded once (the reference's
// channelStats and channelAffine in src/backends/ts/conv_kernels.ts, whose arithmetic this repeats
// but for the order of the float64 additions: Note [Vector reductions] in reduce.c), and batch
// norm's backward (NativeBatchNormBackward0's formula, as ATen's batch_norm_backward_cpu).
//
// Threads split the channels q, so every channel's sums run on one thread in one order. When
// R = 1 (BatchNorm1d on [N, C]) a channel's elements lie Q apart: the loops then run along the
// rows, across channels, so that they read memory in order.
#include "kernels.h"
#include "parallel.h"
#include "rows.h"
#include <stdlib.h>

#define GRAIN 32768

typedef struct {
  const float *x, *g, *w; float *y, *gx, *gw, *gb;
  double *mean, *var, *sums; const double *scale, *shift;
  int64_t P, Q, R; int train;
} ChannelJob;

/* (the clones' entries to rows.h's reductions, which are inlined into them) */
TT_CLONES static double sum_run(const float *restrict x, int64_t n) { return tt_run_sum(x, n); }
TT_CLONES static double centered_squares(const float *restrict x, int64_t n, double m) { return tt_run_sum_sq_dev(x, n, m); }

/* mean and biased variance of channels [q0, q1): two passes, as the reference (the centred one
 * keeps the variance exact where the mean is large) */
TT_CLONES static void stats_rows(const ChannelJob *j, int64_t q0, int64_t q1) {
  const int64_t P = j->P, Q = j->Q, R = j->R;
  double *restrict mean = j->mean, *restrict var = j->var;
  const double n = (double)(P * R);
  for (int64_t q = q0; q < q1; q++) mean[q] = var[q] = 0;
  for (int64_t p = 0; p < P; p++) {
    const float *restrict x = j->x + p * Q * R;
    if (R == 1) for (int64_t q = q0; q < q1; q++) mean[q] += (double)x[q];
    else for (int64_t q = q0; q < q1; q++) mean[q] += sum_run(x + q * R, R);
  }
  for (int64_t q = q0; q < q1; q++) mean[q] /= n;
  for (int64_t p = 0; p < P; p++) {
    const float *restrict x = j->x + p * Q * R;
    if (R == 1) for (int64_t q = q0; q < q1; q++) { double d = (double)x[q] - mean[q]; var[q] += d * d; }
    else for (int64_t q = q0; q < q1; q++) var[q] += centered_squares(x + q * R, R, mean[q]);
  }
  for (int64_t q = q0; q < q1; q++) var[q] /= n;
}

static void stats_chunk(void *ctx, int64_t b, int64_t e) { stats_rows(ctx, b, e); }

void tt_channel_stats(const float *x, double *mean, double *var, int64_t P, int64_t Q, int64_t R) {
  ChannelJob j = { .x = x, .mean = mean, .var = var, .P = P, .Q = Q, .R = R };
  tt_parallel_for(0, Q, GRAIN / (P * R + 1) + 1, stats_chunk, &j);
}

/* rows [r0, r1) of the [P·Q, R] view (R > 1), or of the [P, Q] view when R = 1 */
TT_CLONES static void affine_rows(const ChannelJob *j, int64_t r0, int64_t r1) {
  const int64_t Q = j->Q, R = j->R;
  const double *restrict scale = j->scale, *restrict shift = j->shift;
  for (int64_t r = r0; r < r1; r++) {
    if (R == 1) {
      const float *restrict x = j->x + r * Q;
      float *restrict y = j->y + r * Q;
      for (int64_t q = 0; q < Q; q++) y[q] = (float)((double)x[q] * scale[q] + shift[q]);
    } else {
      const float *restrict x = j->x + r * R;
      float *restrict y = j->y + r * R;
      const double a = scale[r % Q], b = shift[r % Q];
      for (int64_t k = 0; k < R; k++) y[k] = (float)((double)x[k] * a + b);
    }
  }
}

static void affine_chunk(void *ctx, int64_t b, int64_t e) { affine_rows(ctx, b, e); }

void tt_channel_affine(const float *x, float *y, const double *scale, const double *shift, int64_t P, int64_t Q, int64_t R) {
  ChannelJob j = { .x = x, .y = y, .scale = scale, .shift = shift, .Q = Q, .R = R };
  if (R == 1) tt_parallel_for(0, P, GRAIN / (Q + 1) + 1, affine_chunk, &j);
  else tt_parallel_for(0, P * Q, GRAIN / (R + 1) + 1, affine_chunk, &j);
}

/* Batch norm's backward for channels [c0, c1) of x, g [N, C, S]: with Σg and Σg·(x − μ) per
 * channel, gb = Σg, gw = σ⁻¹·Σg·(x − μ), and in training gx = w·σ⁻¹·(g − Σg/n − (x − μ)·σ⁻²·Σg·(x − μ)/n)
 * (batch statistics), in evaluation gx = g·w·σ⁻¹ (running statistics, constants). The sums live
 * in float64 in `sums` (5 per channel); mean[] and var[] hold μ and σ⁻¹. When S = 1 the loops run
 * along rows, across channels. */
TT_CLONES static void backward_rows(const ChannelJob *j, int64_t c0, int64_t c1) {
  const int64_t N = j->P, C = j->Q, S = j->R;
  const double *restrict mu = j->mean, *restrict inv = j->var;
  /* per channel: Σg, Σg·(x − μ), then gx's coefficients: g − a − (x − μ)·b, times k */
  double *restrict sg = j->sums, *restrict sgx = sg + C, *restrict ca = sg + 2 * C, *restrict cb = sg + 3 * C, *restrict ck = sg + 4 * C;
  for (int64_t c = c0; c < c1; c++) sg[c] = sgx[c] = 0;
  for (int64_t n = 0; n < N; n++) {
    const float *restrict x = j->x + n * C * S, *restrict g = j->g + n * C * S;
    if (S == 1) {
      for (int64_t c = c0; c < c1; c++) { sg[c] += (double)g[c]; sgx[c] += (double)g[c] * ((double)x[c] - mu[c]); }
      continue;
    }
    for (int64_t c = c0; c < c1; c++) {
      const float *restrict xc = x + c * S, *restrict gc = g + c * S;
      const double m = mu[c];
      double s = 0, sx = 0;
#pragma omp simd reduction(+ : s, sx)
      for (int64_t k = 0; k < S; k++) { s += (double)gc[k]; sx += (double)gc[k] * ((double)xc[k] - m); }
      sg[c] += s; sgx[c] += sx;
    }
  }
  const double cnt = (double)(N * S);
  for (int64_t c = c0; c < c1; c++) {
    if (j->gb) j->gb[c] = (float)sg[c];
    if (j->gw) j->gw[c] = (float)(sgx[c] * inv[c]);
    ca[c] = sg[c] / cnt;
    cb[c] = sgx[c] * inv[c] * inv[c] / cnt;
    ck[c] = (j->w ? (double)j->w[c] : 1.0) * inv[c];
  }
  if (!j->gx) return;
  for (int64_t n = 0; n < N; n++) {
    const float *restrict x = j->x + n * C * S, *restrict g = j->g + n * C * S;
    float *restrict gx = j->gx + n * C * S;
    if (S == 1) {
      if (j->train) for (int64_t c = c0; c < c1; c++) gx[c] = (float)(((double)g[c] - ca[c] - ((double)x[c] - mu[c]) * cb[c]) * ck[c]);
      else for (int64_t c = c0; c < c1; c++) gx[c] = (float)((double)g[c] * ck[c]);
      continue;
    }
    for (int64_t c = c0; c < c1; c++) {
      const float *restrict xc = x + c * S, *restrict gc = g + c * S;
      float *restrict o = gx + c * S;
      const double m = mu[c], a = ca[c], b = cb[c], k = ck[c];
      if (j->train) for (int64_t i = 0; i < S; i++) o[i] = (float)(((double)gc[i] - a - ((double)xc[i] - m) * b) * k);
      else for (int64_t i = 0; i < S; i++) o[i] = (float)((double)gc[i] * k);
    }
  }
}

static void backward_chunk(void *ctx, int64_t b, int64_t e) { backward_rows(ctx, b, e); }

int tt_batch_norm_backward(const float *g, const float *x, const float *w, const double *mean, const double *invstd,
                           float *gx, float *gw, float *gb, int64_t N, int64_t C, int64_t S, int train) {
  double *sums = malloc(5 * (size_t)C * sizeof(double));
  if (!sums) return -1;
  ChannelJob j = { .g = g, .x = x, .w = w, .mean = (double *)mean, .var = (double *)invstd, .sums = sums,
                   .gx = gx, .gw = gw, .gb = gb, .P = N, .Q = C, .R = S, .train = train };
  tt_parallel_for(0, C, GRAIN / (N * S + 1) + 1, backward_chunk, &j);
  free(sums);
  return 0;
}
