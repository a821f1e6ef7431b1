// The GRU cell's pointwise part, fused (the gate inputs come from the two GEMMs before it): one
// pass over the gates instead of a dozen ops each writing a tensor, and its backward likewise, as
// PyTorch's _thnn_fused_gru_cell. The arithmetic is the composite's of src/nn/rnn.ts term for
// term (r = σ(hr + ir), z = σ(hz + iz), n = tanh(in + hn·r), hy = (h − n)·z + n), so float32
// results round alike but for the vectorised σ and tanh.
#include "kernels.h"
#include "parallel.h"
#include "vecmath.h"

typedef struct {
  const float *gi, *gh, *h, *ghy; float *hy, *act, *ggi, *ggh, *gh_out; int64_t H;
} GruJob;

TT_CLONES TT_CONTRACTED static void gru_rows(const GruJob *j, int64_t n0, int64_t n1) {
  const int64_t H = j->H;
  for (int64_t n = n0; n < n1; n++) {
    const float *restrict xi = j->gi + n * 3 * H, *restrict xh = j->gh + n * 3 * H, *restrict h = j->h + n * H;
    float *restrict a = j->act + n * 4 * H, *restrict hy = j->hy + n * H;
#pragma omp simd /* (GCC sees no vector loop in the gate streams unaided) */
    for (int64_t k = 0; k < H; k++) {
      float r = tt_sigmoidf(xh[k] + xi[k]), z = tt_sigmoidf(xh[H + k] + xi[H + k]);
      float hn = xh[2 * H + k], nn = tt_tanhf(xi[2 * H + k] + hn * r);
      a[k] = r; a[H + k] = z; a[2 * H + k] = nn; a[3 * H + k] = hn;
      hy[k] = (h[k] - nn) * z + nn;
    }
  }
}

TT_CLONES TT_CONTRACTED static void gru_backward_rows(const GruJob *j, int64_t n0, int64_t n1) {
  const int64_t H = j->H;
  for (int64_t n = n0; n < n1; n++) {
    const float *restrict a = j->act + n * 4 * H, *restrict h = j->h + n * H, *restrict g = j->ghy + n * H;
    float *restrict gi = j->ggi + n * 3 * H, *restrict gh = j->ggh + n * 3 * H, *restrict gx = j->gh_out + n * H;
#pragma omp simd
    for (int64_t k = 0; k < H; k++) {
      float r = a[k], z = a[H + k], nn = a[2 * H + k], hn = a[3 * H + k], gy = g[k];
      float gz = gy * (h[k] - nn) * (1.0f - z) * z;
      float gn = gy * (1.0f - z) * (1.0f - nn * nn);
      float gr = gn * hn * (1.0f - r) * r;
      gi[k] = gr; gi[H + k] = gz; gi[2 * H + k] = gn;
      gh[k] = gr; gh[H + k] = gz; gh[2 * H + k] = gn * r;
      gx[k] = gy * z;
    }
  }
}

static void gru_chunk(void *ctx, int64_t b, int64_t e) { gru_rows(ctx, b, e); }
static void gru_backward_chunk(void *ctx, int64_t b, int64_t e) { gru_backward_rows(ctx, b, e); }

void tt_gru_cell(const float *gi, const float *gh, const float *h, float *hy, float *act, int64_t N, int64_t H) {
  GruJob j = { .gi = gi, .gh = gh, .h = h, .hy = hy, .act = act, .H = H };
  tt_parallel_for(0, N, 8192 / (3 * H + 1) + 1, gru_chunk, &j);
}

void tt_gru_cell_backward(const float *ghy, const float *h, const float *act, float *ggi, float *ggh, float *gh, int64_t N, int64_t H) {
  GruJob j = { .ghy = ghy, .h = h, .act = (float *)act, .ggi = ggi, .ggh = ggh, .gh_out = gh, .H = H };
  tt_parallel_for(0, N, 8192 / (3 * H + 1) + 1, gru_backward_chunk, &j);
}
