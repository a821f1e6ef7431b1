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

TT_CLONES static void avg_pool_rows(const AvgPoolJob *j, int64_t p0, int64_t p1) {
  for (int64_t p = p0; p < p1; p++) {
    const float *x = j->x + p * j->H * j->W;
    float *y = j->y + p * j->OH * j->OW;
    for (int64_t oy = 0; oy < j->OH; oy++)
      for (int64_t ox = 0; ox < j->OW; ox++) {
        double s = 0;
        for (int64_t h = j->hs[oy]; h < j->he[oy]; h++) {
          const float *restrict r = x + h * j->W;
#pragma omp simd reduction(+ : s)
          for (int64_t w = j->ws[ox]; w < j->we[ox]; w++) s += (double)r[w];
        }
        int empty = j->hs[oy] >= j->he[oy] || j->ws[ox] >= j->we[ox];
        y[oy * j->OW + ox] = empty ? 0.0f : (float)(s / j->div[oy * j->OW + ox]);
      }
  }
}

static void avg_pool_planes(void *ctx, int64_t p0, int64_t p1) { avg_pool_rows(ctx, p0, p1); }

void tt_avg_pool2d(const float *x, float *y, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                   const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, const double *div) {
  AvgPoolJob j = { .x = x, .y = y, .H = H, .W = W, .OH = OH, .OW = OW, .hs = hs, .he = he, .ws = ws, .we = we, .div = div };
  tt_parallel_for(0, P, 32768 / (H * W + 1) + 1, avg_pool_planes, &j);
}

/* planes [p0, p1) of the adjoint: g (the layout of y) into gx (that of x), through one float64
 * plane of sums per chunk */
static void avg_pool_backward_planes(void *ctx, int64_t p0, int64_t p1) {
  AvgPoolJob *j = ctx;
  const int64_t HW = j->H * j->W;
  double *acc = malloc((size_t)HW * sizeof(double));
  if (!acc) { j->failed = 1; return; }
  for (int64_t p = p0; p < p1; p++) {
    const float *g = j->x + p * j->OH * j->OW;
    float *gx = j->y + p * HW;
    for (int64_t k = 0; k < HW; k++) acc[k] = 0;
    for (int64_t oy = 0; oy < j->OH; oy++)
      for (int64_t ox = 0; ox < j->OW; ox++) {
        const double v = (double)g[oy * j->OW + ox] / j->div[oy * j->OW + ox];
        for (int64_t h = j->hs[oy]; h < j->he[oy]; h++)
          for (int64_t w = j->ws[ox]; w < j->we[ox]; w++) acc[h * j->W + w] += v;
      }
    for (int64_t k = 0; k < HW; k++) gx[k] = (float)acc[k];
  }
  free(acc);
}

int tt_avg_pool2d_backward(const float *g, float *gx, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                           const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, const double *div) {
  AvgPoolJob j = { .x = g, .y = gx, .H = H, .W = W, .OH = OH, .OW = OW, .hs = hs, .he = he, .ws = ws, .we = we, .div = div };
  tt_parallel_for(0, P, 32768 / (H * W + 1) + 1, avg_pool_backward_planes, &j);
  return j.failed ? -1 : 0;
}
