// The LSTM cell's pointwise part, fused (the gates come from the two GEMMs before it): one pass
// over [N, 4H] instead of a dozen ops each writing a tensor, and its backward likewise. The
// activations the backward needs are saved by the forward (PyTorch's fused cell saves the same).
// And a whole layer's recurrence (Note [Fused LSTM layer] in src/nn/rnn.ts): the T steps of
// GEMM and cell in one call, as oneDNN's mkldnn_rnn_layer runs them for PyTorch.
#include "kernels.h"
#include "parallel.h"
#include "vecmath.h"
#include "gemm.h"

/* The gate pre-activations are gates + gates2 (gates2 may be NULL); act may be gates itself (the
 * layer overwrites its x·W_ihᵀ with the activations), so those two are not restrict. The
 * backward's ghy is ghy + ghy2 (either may be NULL: zero), and gc may be gcy itself. */
typedef struct {
  const float *gates, *gates2, *c; float *hy, *cy, *act, *tcy;
  const float *ghy, *ghy2, *gcy; float *ggates, *gc; int64_t H;
} LstmJob;

/* Note [Constant operand flags]: which optional operands a call has (gates2; ghy, ghy2, gcy) is
 * fixed for the call, so each row function is compiled once per combination (the flags are
 * constants in the always-inlined bodies below, chosen once a call): a test of a NULL pointer
 * inside the element loop kept the backward's loop scalar and put the forward's under masks.
 * The forward's bits are unchanged; the backward's, in vectors now, differ in the last bit here
 * and there where the vector code contracts another product into an FMA (TT_CONTRACTED). With Note [Vector tails], on this machine's
 * AVX-512, one thread, B8's 2 layers x 35 steps x [20, 200] cells a step: tt_lstm_layer 3.95 ->
 * 3.50 ms, tt_lstm_layer_backward 3.55 -> 3.28 (each with its recurrent GEMMs, about 2.3 ms),
 * tt_lstm_cell over the same cells 2.18 -> 0.86. */
/* one row's elements [k0, k1) */
static inline TT_ALWAYS_INLINE void lstm_row_part(const LstmJob *j, int64_t n, int has_x2, int64_t k0, int64_t k1) {
  const int64_t H = j->H;
  const float *x = j->gates + n * 4 * H, *x2 = has_x2 ? j->gates2 + n * 4 * H : 0, *restrict c = j->c + n * H;
  float *a = j->act + n * 4 * H, *restrict hy = j->hy + n * H, *restrict cy = j->cy + n * H, *restrict t = j->tcy + n * H;
#pragma omp simd /* (GCC sees no vector loop in the four gate streams unaided) */
  for (int64_t k = k0; k < k1; k++) {
    float xi = x[k], xf = x[H + k], xg = x[2 * H + k], xo = x[3 * H + k];
    if (has_x2) { xi += x2[k]; xf += x2[H + k]; xg += x2[2 * H + k]; xo += x2[3 * H + k]; }
    float i = tt_sigmoidf(xi), f = tt_sigmoidf(xf), g = tt_tanhf(xg), o = tt_sigmoidf(xo);
    float cn = f * c[k] + i * g, tc = tt_tanhf(cn);
    a[k] = i; a[H + k] = f; a[2 * H + k] = g; a[3 * H + k] = o;
    cy[k] = cn; t[k] = tc; hy[k] = o * tc;
  }
}

/* Note [Vector tails]: GCC leaves the vector loop's remainder scalar here (B8's rows are 200 =
 * 12·16 + 8 cells, the 8 costing as much as 100 in vectors), so the last H mod 16 cells of a row
 * go through a row of 16 on the stack, zero-padded, in one full vector. */
static inline TT_ALWAYS_INLINE void lstm_row(const LstmJob *j, int64_t n, int has_x2) {
  const int64_t H = j->H, h16 = H & ~(int64_t)15, r = H - h16;
  lstm_row_part(j, n, has_x2, 0, h16);
  if (!r) return;
  float x[64] = { 0 }, x2[64] = { 0 }, c[16] = { 0 }, hy[16], cy[16], act[64], tcy[16];
  const float *jx = j->gates + n * 4 * H + h16, *jx2 = has_x2 ? j->gates2 + n * 4 * H + h16 : 0, *jc = j->c + n * H + h16;
  for (int g = 0; g < 4; g++)
    for (int64_t k = 0; k < r; k++) { x[16 * g + k] = jx[g * H + k]; if (has_x2) x2[16 * g + k] = jx2[g * H + k]; }
  for (int64_t k = 0; k < r; k++) c[k] = jc[k];
  LstmJob tail = { .gates = x, .gates2 = x2, .c = c, .hy = hy, .cy = cy, .act = act, .tcy = tcy, .H = 16 };
  lstm_row_part(&tail, 0, has_x2, 0, 16);
  float *ja = j->act + n * 4 * H + h16, *jhy = j->hy + n * H + h16, *jcy = j->cy + n * H + h16, *jt = j->tcy + n * H + h16;
  for (int g = 0; g < 4; g++) for (int64_t k = 0; k < r; k++) ja[g * H + k] = act[16 * g + k];
  for (int64_t k = 0; k < r; k++) { jhy[k] = hy[k]; jcy[k] = cy[k]; jt[k] = tcy[k]; }
}

TT_CLONES TT_CONTRACTED static void lstm_rows(const LstmJob *j, int64_t n0, int64_t n1) {
  if (j->gates2) for (int64_t n = n0; n < n1; n++) lstm_row(j, n, 1);
  else for (int64_t n = n0; n < n1; n++) lstm_row(j, n, 0);
}

static inline TT_ALWAYS_INLINE void lstm_backward_row(const LstmJob *j, int64_t n, int has_gh, int has_gh2, int has_gc) {
  const int64_t H = j->H;
  const float *restrict a = j->act + n * 4 * H, *restrict c = j->c + n * H, *restrict t = j->tcy + n * H;
  const float *gh = has_gh ? j->ghy + n * H : 0, *gh2 = has_gh2 ? j->ghy2 + n * H : 0, *gcn = has_gc ? j->gcy + n * H : 0;
  float *restrict gx = j->ggates + n * 4 * H, *gc = j->gc + n * H;
#pragma omp simd
  for (int64_t k = 0; k < H; k++) {
    float i = a[k], f = a[H + k], g = a[2 * H + k], o = a[3 * H + k], tc = t[k];
    float ghk = has_gh && has_gh2 ? gh[k] + gh2[k] : has_gh ? gh[k] : has_gh2 ? gh2[k] : 0.0f;
    float gcy = (has_gc ? gcn[k] : 0.0f) + ghk * o * (1.0f - tc * tc);
    gx[k] = gcy * g * (i * (1.0f - i));
    gx[H + k] = gcy * c[k] * (f * (1.0f - f));
    gx[2 * H + k] = gcy * i * (1.0f - g * g);
    gx[3 * H + k] = ghk * tc * (o * (1.0f - o));
    gc[k] = gcy * f;
  }
}

#define LSTM_BACKWARD_CASE(gh, gh2, gc) \
  case (gh) | (gh2) << 1 | (gc) << 2: for (int64_t n = n0; n < n1; n++) lstm_backward_row(j, n, gh, gh2, gc); break;

TT_CLONES TT_CONTRACTED static void lstm_backward_rows(const LstmJob *j, int64_t n0, int64_t n1) {
  switch (!!j->ghy | !!j->ghy2 << 1 | !!j->gcy << 2) {
    LSTM_BACKWARD_CASE(0, 0, 0) LSTM_BACKWARD_CASE(1, 0, 0) LSTM_BACKWARD_CASE(0, 1, 0) LSTM_BACKWARD_CASE(1, 1, 0)
    LSTM_BACKWARD_CASE(0, 0, 1) LSTM_BACKWARD_CASE(1, 0, 1) LSTM_BACKWARD_CASE(0, 1, 1) LSTM_BACKWARD_CASE(1, 1, 1)
  }
}

static void lstm_chunk(void *ctx, int64_t b, int64_t e) { lstm_rows(ctx, b, e); }
static void lstm_backward_chunk(void *ctx, int64_t b, int64_t e) { lstm_backward_rows(ctx, b, e); }
#define LSTM_GRAIN(H) (8192 / (4 * (H) + 1) + 1)

void tt_lstm_cell(const float *gates, const float *c, float *hy, float *cy, float *act, float *tcy, int64_t N, int64_t H) {
  LstmJob j = { .gates = gates, .c = c, .hy = hy, .cy = cy, .act = act, .tcy = tcy, .H = H };
  tt_parallel_for(0, N, LSTM_GRAIN(H), lstm_chunk, &j);
}

void tt_lstm_cell_backward(const float *ghy, const float *gcy, const float *c, const float *act, const float *tcy,
                           float *ggates, float *gc, int64_t N, int64_t H) {
  LstmJob j = { .ghy = ghy, .gcy = gcy, .c = c, .act = act, .tcy = tcy, .ggates = ggates, .gc = gc, .H = H };
  tt_parallel_for(0, N, LSTM_GRAIN(H), lstm_backward_chunk, &j);
}

/* step k of T in the layer's walk: t = k forward, T - 1 - k in reverse */
static inline int64_t step_at(int64_t k, int64_t T, int reverse) { return reverse ? T - 1 - k : k; }

/* The recurrent weights packed once per layer for the GEMM's kernels (tt_sgemm_pack_b), the T
 * steps' products reading them from there: with the 20 rows of B8's batch, a product that packs
 * W_hh or reads it in place (rows 3.2 KB apart, a page every step of K) took 45-50 us, from the
 * packed panels 31-35 (PyTorch 29-33; one thread, 20 x 800 x 200 and 20 x 200 x 800). In this
 * thread's scratch slot: the layer's GEMMs use slots 0 and 1. */
#define TT_RNN_WEIGHTS_SLOT 3

static const float *packed_weights(int64_t K, int64_t N, const float *w, int64_t rs, int64_t cs) {
  float *packed = tt_thread_scratch(TT_RNN_WEIGHTS_SLOT, (size_t)tt_sgemm_packed_b_size(K, N) * sizeof(float));
  if (packed) tt_sgemm_pack_b(K, N, w, rs, cs, packed);
  return packed;
}

void tt_lstm_layer(float *gi, const float *w_hh, const float *b_hh, const float *h0, const float *c0,
                   float *hs, float *cs, float *tcy, float *gates, int64_t T, int64_t N, int64_t H, int reverse) {
  const int64_t NH = N * H, G = 4 * H;
  const float *wt = packed_weights(H, G, w_hh, 1, H); /* W_hhᵀ [H, 4H] */
  const tt_gemm_init bias = { b_hh, 0, 1 };
  const float *h = h0, *c = c0;
  for (int64_t k = 0; k < T; k++) {
    const int64_t t = step_at(k, T, reverse);
    /* gates = h·W_hhᵀ + b_hh, as F.linear(h, w_hh, b_hh) computes it; the cell adds x·W_ihᵀ + b_ih */
    if (wt) tt_sgemm_packed(N, G, H, h, H, 1, wt, bias, gates, G, 1);
    else tt_sgemm_init(N, G, H, h, H, 1, w_hh, 1, H, bias, gates, G, 1); /* (out of memory) */
    float *act = gi + t * N * G;
    LstmJob j = { .gates = gates, .gates2 = act, .c = c, .hy = hs + t * NH, .cy = cs + t * NH, .act = act, .tcy = tcy + t * NH, .H = H };
    tt_parallel_for(0, N, LSTM_GRAIN(H), lstm_chunk, &j);
    h = hs + t * NH; c = cs + t * NH;
  }
}

void tt_lstm_layer_backward(const float *gout, float *gh, float *gc, const float *c0, const float *cs, const float *act,
                            const float *tcy, const float *w_hh, float *ggates, int64_t T, int64_t N, int64_t H, int reverse) {
  const int64_t NH = N * H, G = 4 * H;
  const float *w = packed_weights(G, H, w_hh, H, 1);
  for (int64_t k = T - 1; k >= 0; k--) {
    const int64_t t = step_at(k, T, reverse);
    float *gg = ggates + t * N * G;
    LstmJob j = { .ghy = gout + t * NH, .ghy2 = gh, .gcy = gc, .c = k ? cs + step_at(k - 1, T, reverse) * NH : c0,
                  .act = act + t * N * G, .tcy = tcy + t * NH, .ggates = gg, .gc = gc, .H = H };
    tt_parallel_for(0, N, LSTM_GRAIN(H), lstm_backward_chunk, &j);
    /* the previous h's gradient */
    if (w) tt_sgemm_packed(N, H, G, gg, G, 1, w, (tt_gemm_init){ NULL, 0, 0 }, gh, H, 1);
    else tt_sgemm(N, H, G, 1.0f, gg, G, 1, w_hh, H, 1, 0.0f, gh, H, 1); /* (out of memory) */
  }
}
