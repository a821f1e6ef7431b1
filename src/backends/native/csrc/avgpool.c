// Average pooling over windows given per axis (step 1: src/backends/backend.ts's AxisWindows,
// already clipped), fixed and adaptive alike: each window's sum in float64 divided by its
// divisor, and the adjoint, each output's gradient over its divisor spread over its window of a
// zero input, accumulated in float64 and rounded once. The reference's arithmetic in the
// reference's order (src/backends/ts/conv_kernels.ts windowMean, windowMeanAdjoint) but for the
// vectorised window sums. Planes go to threads.
#include "kernels.h"
#include "parallel.h"
#include <stdlib.h>

typedef struct {
  const float *x; float *y; int64_t H, W, OH, OW;
  const int32_t *hs, *he, *ws, *we; const double *div; int failed;
} AvgPoolJob;

/* the sum of x[w0..w1), vectorised when the run is long enough to pay for it (a global pool's) */
static inline double run_sum(const float *restrict x, int64_t w0, int64_t w1) {
  double s = 0;
  if (w1 - w0 >= 16) {
#pragma omp simd reduction(+ : s)
    for (int64_t w = w0; w < w1; w++) s += (double)x[w];
  } else for (int64_t w = w0; w < w1; w++) s += (double)x[w];
  return s;
}

TT_CLONES static void avg_pool_rows(const AvgPoolJob *j, int64_t p0, int64_t p1) {
  const int64_t H = j->H, W = j->W, OH = j->OH, OW = j->OW;
  const int32_t *restrict hs = j->hs, *restrict he = j->he, *restrict ws = j->ws, *restrict we = j->we;
  const double *restrict div = j->div;
  for (int64_t p = p0; p < p1; p++) {
    const float *restrict x = j->x + p * H * W;
    float *restrict y = j->y + p * OH * OW;
    for (int64_t oy = 0; oy < OH; oy++) {
      const int64_t h0 = hs[oy], h1 = he[oy];
      for (int64_t ox = 0; ox < OW; ox++) {
        const int64_t w0 = ws[ox], w1 = we[ox];
        double s = 0;
        for (int64_t h = h0; h < h1; h++) s += run_sum(x + h * W, w0, w1);
        y[oy * OW + ox] = h0 >= h1 || w0 >= w1 ? 0.0f : (float)(s / div[oy * OW + ox]);
      }
    }
  }
}

static void avg_pool_planes(void *ctx, int64_t p0, int64_t p1) { avg_pool_rows(ctx, p0, p1); }

void tt_avg_pool2d(const float *x, float *y, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                   const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, const double *div) {
  AvgPoolJob j = { .x = x, .y = y, .H = H, .W = W, .OH = OH, .OW = OW, .hs = hs, .he = he, .ws = ws, .we = we, .div = div };
  tt_parallel_for(0, P, 32768 / (H * W + 1) + 1, avg_pool_planes, &j);
}

/* planes [p0, p1) of the adjoint: g (the layout of y) into gx (that of x), through a float64
 * plane of sums (acc) */
TT_CLONES static void avg_pool_backward_rows(const AvgPoolJob *j, double *restrict acc, int64_t p0, int64_t p1) {
  const int64_t W = j->W, HW = j->H * j->W, OH = j->OH, OW = j->OW;
  const int32_t *restrict hs = j->hs, *restrict he = j->he, *restrict ws = j->ws, *restrict we = j->we;
  const double *restrict div = j->div;
  for (int64_t p = p0; p < p1; p++) {
    const float *restrict g = j->x + p * OH * OW;
    float *restrict gx = j->y + p * HW;
    for (int64_t k = 0; k < HW; k++) acc[k] = 0;
    for (int64_t oy = 0; oy < OH; oy++) {
      const int64_t h0 = hs[oy], h1 = he[oy];
      for (int64_t ox = 0; ox < OW; ox++) {
        const int64_t w0 = ws[ox], w1 = we[ox];
        const double v = (double)g[oy * OW + ox] / div[oy * OW + ox];
        for (int64_t h = h0; h < h1; h++)
          for (int64_t w = w0; w < w1; w++) acc[h * W + w] += v;
      }
    }
    for (int64_t k = 0; k < HW; k++) gx[k] = (float)acc[k];
  }
}

static void avg_pool_backward_planes(void *ctx, int64_t p0, int64_t p1) {
  AvgPoolJob *j = ctx;
  double *acc = malloc((size_t)(j->H * j->W) * sizeof(double));
  if (!acc) { j->failed = 1; return; }
  avg_pool_backward_rows(j, acc, p0, p1);
  free(acc);
}

int tt_avg_pool2d_backward(const float *g, float *gx, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                           const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, const double *div) {
  AvgPoolJob j = { .x = g, .y = gx, .H = H, .W = W, .OH = OH, .OW = OW, .hs = hs, .he = he, .ws = ws, .we = we, .div = div };
  tt_parallel_for(0, P, 32768 / (H * W + 1) + 1, avg_pool_backward_planes, &j);
  return j.failed ? -1 : 0;
}
