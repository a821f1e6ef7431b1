// The LSTM cell's pointwise part, fused (the gates come from the two GEMMs before it): one pass
// over [N, 4H] instead of a dozen ops each writing a tensor, and its backward likewise. The
// activations the backward needs are saved by the forward (PyTorch's fused cell saves the same).
#include "kernels.h"
#include "parallel.h"
#include "vecmath.h"

typedef struct {
  const float *gates, *c; float *hy, *cy, *act, *tcy;
  const float *ghy, *gcy; float *ggates, *gc; int64_t H;
} LstmJob;

TT_CLONES static void lstm_rows(const LstmJob *j, int64_t n0, int64_t n1) {
  const int64_t H = j->H;
  for (int64_t n = n0; n < n1; n++) {
    const float *restrict x = j->gates + n * 4 * H, *restrict c = j->c + n * H;
    float *restrict a = j->act + n * 4 * H, *restrict hy = j->hy + n * H, *restrict cy = j->cy + n * H, *restrict t = j->tcy + n * H;
#pragma omp simd /* (GCC sees no vector loop in the four gate streams unaided) */
    for (int64_t k = 0; k < H; k++) {
      float i = tt_sigmoidf(x[k]), f = tt_sigmoidf(x[H + k]), g = tt_tanhf(x[2 * H + k]), o = tt_sigmoidf(x[3 * H + k]);
      float cn = f * c[k] + i * g, tc = tt_tanhf(cn);
      a[k] = i; a[H + k] = f; a[2 * H + k] = g; a[3 * H + k] = o;
      cy[k] = cn; t[k] = tc; hy[k] = o * tc;
    }
  }
}

TT_CLONES static void lstm_backward_rows(const LstmJob *j, int64_t n0, int64_t n1) {
  const int64_t H = j->H;
  for (int64_t n = n0; n < n1; n++) {
    const float *restrict a = j->act + n * 4 * H, *restrict c = j->c + n * H, *restrict t = j->tcy + n * H;
    const float *gh = j->ghy ? j->ghy + n * H : 0, *gcn = j->gcy ? j->gcy + n * H : 0;
    float *restrict gx = j->ggates + n * 4 * H, *restrict gc = j->gc + n * H;
#pragma omp simd
    for (int64_t k = 0; k < H; k++) {
      float i = a[k], f = a[H + k], g = a[2 * H + k], o = a[3 * H + k], tc = t[k];
      float ghk = gh ? gh[k] : 0.0f;
      float gcy = (gcn ? gcn[k] : 0.0f) + ghk * o * (1.0f - tc * tc);
      gx[k] = gcy * g * (i * (1.0f - i));
      gx[H + k] = gcy * c[k] * (f * (1.0f - f));
      gx[2 * H + k] = gcy * i * (1.0f - g * g);
      gx[3 * H + k] = ghk * tc * (o * (1.0f - o));
      gc[k] = gcy * f;
    }
  }
}

static void lstm_chunk(void *ctx, int64_t b, int64_t e) { lstm_rows(ctx, b, e); }
static void lstm_backward_chunk(void *ctx, int64_t b, int64_t e) { lstm_backward_rows(ctx, b, e); }

void tt_lstm_cell(const float *gates, const float *c, float *hy, float *cy, float *act, float *tcy, int64_t N, int64_t H) {
  LstmJob j = { .gates = gates, .c = c, .hy = hy, .cy = cy, .act = act, .tcy = tcy, .H = H };
  tt_parallel_for(0, N, 8192 / (4 * H + 1) + 1, lstm_chunk, &j);
}

void tt_lstm_cell_backward(const float *ghy, const float *gcy, const float *c, const float *act, const float *tcy,
                           float *ggates, float *gc, int64_t N, int64_t H) {
  LstmJob j = { .ghy = ghy, .gcy = gcy, .c = c, .act = act, .tcy = tcy, .ggates = ggates, .gc = gc, .H = H };
  tt_parallel_for(0, N, 8192 / (4 * H + 1) + 1, lstm_backward_chunk, &j);
}
