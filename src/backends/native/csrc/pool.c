// Max pooling over windows given per axis (src/backends/backend.ts's AxisWindows: output i reads
// input positions start[i], start[i] + step, … below end[i], already clipped), which covers
// fixed windows (kernel, stride, padding, dilation, ceil mode) and adaptive ones alike; and its
// adjoint. As PyTorch's CPU kernel: the first maximum in scan order wins ties, and a NaN is the
// maximum (the last NaN, since each NaN replaces the running value). Planes go to threads.
#include "kernels.h"
#include "parallel.h"

typedef struct {
  const float *x; float *y; int32_t *idx; int64_t H, W, OH, OW;
  const int32_t *hs, *he, *ws, *we; int64_t hstep, wstep;
} MaxPoolJob;

static void max_pool_planes(void *ctx, int64_t p0, int64_t p1) {
  const MaxPoolJob *j = ctx;
  for (int64_t p = p0; p < p1; p++) {
    const float *x = j->x + p * j->H * j->W;
    float *y = j->y + p * j->OH * j->OW;
    int32_t *idx = j->idx + p * j->OH * j->OW;
    for (int64_t oy = 0; oy < j->OH; oy++)
      for (int64_t ox = 0; ox < j->OW; ox++) {
        float best = -__builtin_inff();
        int32_t at = j->hs[oy] * (int32_t)j->W + j->ws[ox];
        for (int64_t h = j->hs[oy]; h < j->he[oy]; h += j->hstep)
          for (int64_t w = j->ws[ox]; w < j->we[ox]; w += j->wstep) {
            float v = x[h * j->W + w];
            if (v > best || v != v) { best = v; at = (int32_t)(h * j->W + w); }
          }
        y[oy * j->OW + ox] = best;
        idx[oy * j->OW + ox] = at;
      }
  }
}

void tt_max_pool2d(const float *x, float *y, int32_t *idx, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                   const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, int64_t hstep, int64_t wstep) {
  MaxPoolJob j = { x, y, idx, H, W, OH, OW, hs, he, ws, we, hstep, wstep };
  tt_parallel_for(0, P, 65536 / (H * W + 1) + 1, max_pool_planes, &j);
}

typedef struct { const float *g; const int32_t *idx; float *gx; int64_t L, HW; } ScatterJob;

static void scatter_planes(void *ctx, int64_t p0, int64_t p1) {
  const ScatterJob *j = ctx;
  for (int64_t p = p0; p < p1; p++) {
    float *gx = j->gx + p * j->HW;
    const float *g = j->g + p * j->L;
    const int32_t *idx = j->idx + p * j->L;
    for (int64_t i = 0; i < j->HW; i++) gx[i] = 0;
    for (int64_t l = 0; l < j->L; l++) gx[idx[l]] += g[l];
  }
}

void tt_max_pool2d_backward_planes(const float *g, const int32_t *idx, float *gx, int64_t P, int64_t L, int64_t HW) {
  ScatterJob j = { g, idx, gx, L, HW };
  tt_parallel_for(0, P, 65536 / (HW + 1) + 1, scatter_planes, &j);
}
