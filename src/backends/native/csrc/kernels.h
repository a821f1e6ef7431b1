// The native kernels the addon exposes (addon.c is their Node-API glue).
#ifndef TT_KERNELS_H
#define TT_KERNELS_H
#include <stdint.h>
#include <stddef.h>

/* Note [ISA clones]: on x86-64 the element loops are compiled three times, for AVX-512, AVX2 and
 * the baseline, and the loader picks one by the CPU's features (GCC's target_clones, an ifunc),
 * so one build runs everywhere and uses all of the vector width it finds. Elsewhere (arm64: NEON
 * is the baseline) they are compiled once. */
#if defined(__x86_64__) && defined(__linux__) && (defined(__GNUC__) || defined(__clang__))
#define TT_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define TT_CLONES
#endif

/* Op codes, in the order of their names in TT_UNARY_NAMES / TT_BINARY_NAMES (the addon hands the
 * names to JavaScript, which looks ops up by name). */
enum { U_NEG, U_ABS, U_RELU, U_SQRT, U_RSQRT, U_SQUARE, U_RECIPROCAL, U_EXP, U_LOG, U_TANH, U_SIGMOID,
       U_GELU, U_GELU_TANH, U_SILU, U_ERF, U_COUNT };
#define TT_UNARY_NAMES "neg", "abs", "relu", "sqrt", "rsqrt", "square", "reciprocal", "exp", "log", "tanh", "sigmoid", \
  "gelu", "gelu_tanh", "silu", "erf"
enum { B_ADD, B_SUB, B_MUL, B_DIV, B_MAXIMUM, B_MINIMUM, B_ADD_ALPHA, B_GELU_BACKWARD, B_GELU_TANH_BACKWARD, B_THRESHOLD_BACKWARD, B_EQ, B_NE, B_LT, B_LE, B_GT, B_GE, B_COUNT };
#define TT_BINARY_NAMES "add", "sub", "mul", "div", "maximum", "minimum", "add_alpha", "gelu_backward", "gelu_tanh_backward", "threshold_backward", "eq", "ne", "lt", "le", "gt", "ge"
/* the comparisons (B_EQ on) write bytes (bool), the others float32 */

/* Shapes of elementwise kernels: 4 dims (collapsed by the caller), element strides per operand. */
typedef struct { int64_t n[4]; int64_t s[4][4]; } tt_geo;

void tt_unary(int op, const float *x, float *y, int64_t n);
/* y contiguous; s[0] a, s[1] b; alpha: the scalar of add_alpha (a + alpha·b) */
void tt_binary(int op, const float *a, const float *b, void *y, const tt_geo *g, double alpha);
/* (alpha also carries threshold_backward's threshold: a where b > threshold, else 0) */
void tt_where(const uint8_t *c, const float *a, const float *b, float *y, const tt_geo *g); /* s[0] c, s[1] a, s[2] b */
void tt_copy(int itemsize, const void *x, void *y, const tt_geo *g); /* s[0] x, s[1] y */

/* y[o, i] = reduction over r of x[o, r, i] (x contiguous [O, R, I], y contiguous [O, I]). */
enum { R_SUM, R_MAX, R_MIN };
void tt_reduce(int kind, const float *x, float *y, int64_t O, int64_t R, int64_t I);
/* Σ x² of n floats, accumulated in float64. */
double tt_sum_squares(const float *x, int64_t n);
/* softmax or log_softmax of each contiguous row of `len` elements. */
void tt_softmax(const float *x, float *y, int64_t rows, int64_t len, int log);
/* their gradient from g and the output y, row by row (gx may be g: written over it) */
void tt_softmax_backward(const float *g, const float *y, float *gx, int64_t rows, int64_t len, int log);
/* log_softmax's backward (y: its output) of a gradient that is vals[r] at column cols[r] of row r
 * and zero elsewhere (no nonzero where cols[r] < 0): nll_loss's, without writing it out. */
void tt_log_softmax_backward_onehot(const float *y, const int32_t *cols, const float *vals, float *gx, int64_t rows, int64_t len);

/* Max pooling of x [P, H, W] over windows [hs[i], he[i]) step hstep along H (ws, we, wstep along
 * W): y [P, OH, OW] and each maximum's flat position in its plane; and the adjoint, g [P, L]
 * added into positions idx of a zeroed gx [P, HW]. */
void tt_max_pool2d(const float *x, float *y, int32_t *idx, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                   const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, int64_t hstep, int64_t wstep);
void tt_max_pool2d_backward_planes(const float *g, const int32_t *idx, float *gx, int64_t P, int64_t L, int64_t HW);

/* Average pooling of x [P, H, W] over windows [hs[i], he[i]) × [ws[j], we[j]) (step 1), each
 * sum divided by div[i·OW + j] (an empty window gives 0): y [P, OH, OW]; and its adjoint, g
 * [P, OH, OW] into gx [P, H, W] (-1 when out of memory). */
void tt_avg_pool2d(const float *x, float *y, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                   const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, const double *div);
int tt_avg_pool2d_backward(const float *g, float *gx, int64_t P, int64_t H, int64_t W, int64_t OH, int64_t OW,
                           const int32_t *hs, const int32_t *he, const int32_t *ws, const int32_t *we, const double *div);

/* The LSTM cell's pointwise part: gates [N, 4H] (i, f, g, o pre-activations) and c [N, H] give
 * hy, cy [N, H], and for the backward the activations act [N, 4H] and tcy = tanh(cy) [N, H];
 * the backward turns ghy, gcy (either may be NULL: zero) into ggates [N, 4H] and gc [N, H]. */
void tt_lstm_cell(const float *gates, const float *c, float *hy, float *cy, float *act, float *tcy, int64_t N, int64_t H);
void tt_lstm_cell_backward(const float *ghy, const float *gcy, const float *c, const float *act, const float *tcy,
                           float *ggates, float *gc, int64_t N, int64_t H);
/* A whole layer over T steps (step t reads step t - 1's state; reverse: t + 1's, from the last):
 * gi [T, N, 4H] holds x·W_ihᵀ + b_ih and is overwritten with the activations; w_hh [4H, H], b_hh
 * [4H] (may be NULL), h0, c0 [N, H] give hs, cs and tcy [T, N, H]; gates is N·4H of scratch.
 * The backward takes gout [T, N, H] and the final states' gradients in gh, gc [N, H], which it
 * turns into h0's and c0's, writing ggates [T, N, 4H]. */
void tt_lstm_layer(float *gi, const float *w_hh, const float *b_hh, const float *h0, const float *c0,
                   float *hs, float *cs, float *tcy, float *gates, int64_t T, int64_t N, int64_t H, int reverse);
void tt_lstm_layer_backward(const float *gout, float *gh, float *gc, const float *c0, const float *cs, const float *act,
                            const float *tcy, const float *w_hh, float *ggates, int64_t T, int64_t N, int64_t H, int reverse);

/* Layer norm of the rows of x [M, K] (w, b [K] may be NULL): y, and each row's mean and 1/std;
 * its backward gives gx [M, K] and gw, gb [K] (each may be NULL: not wanted). */
void tt_layer_norm(const float *x, const float *w, const float *b, float *y, double *mean, double *rstd, int64_t M, int64_t K, double eps);
void tt_layer_norm_backward(const float *g, const float *x, const float *w, const double *mean, const double *rstd,
                            float *gx, float *gw, float *gb, int64_t M, int64_t K);

/* Per-channel statistics (mean, biased variance, float64) of x seen as [P, Q, R], the affine map
 * y = x·scale[q] + shift[q] (float64, rounded once), and batch norm's backward over [N, C, S]
 * from the mean and 1/std used by the forward (train: batch statistics; else running ones): gx,
 * gw, gb (each may be NULL: not wanted; w may be NULL: no affine). -1 when out of memory. */
void tt_channel_stats(const float *x, double *mean, double *var, int64_t P, int64_t Q, int64_t R);
void tt_channel_affine(const float *x, float *y, const double *scale, const double *shift, int64_t P, int64_t Q, int64_t R);
int tt_batch_norm_backward(const float *g, const float *x, const float *w, const double *mean, const double *invstd,
                           float *gx, float *gw, float *gb, int64_t N, int64_t C, int64_t S, int train);

/* The GRU cell's pointwise part: gi, gh [N, 3H] (r, z, n parts of x·W_ihᵀ + b_ih and
 * h·W_hhᵀ + b_hh) and h [N, H] give hy [N, H] and, for the backward, act [N, 4H] (r, z, n, and
 * the n part of gh); the backward turns ghy into the gradients of gi, gh [N, 3H] and h [N, H]. */
void tt_gru_cell(const float *gi, const float *gh, const float *h, float *hy, float *act, int64_t N, int64_t H);
void tt_gru_cell_backward(const float *ghy, const float *h, const float *act, float *ggi, float *ggh, float *gh, int64_t N, int64_t H);

/* gather along d of x (strides xs) by a contiguous int64 idx of `shape` (nd ≤ 8 dims) into a
 * contiguous y; scatter (add: scatter_add) of src (strides ss; NULL: value) at idx into out
 * (strides os). Both return the position in idx of the first index outside [0, size), having
 * written nothing, or -1. index_add: out [pre, size, post] += src [pre, n, post] at rows idx[n]
 * (checked by the caller). */
int64_t tt_gather(const float *x, const int64_t *idx, float *y, int nd, const int64_t *shape, const int64_t *xs, int d, int64_t size);
int64_t tt_scatter(float *out, const int64_t *idx, const float *src, float value, int nd, const int64_t *shape,
                   const int64_t *os, const int64_t *ss, int d, int64_t size, int add);
void tt_index_add(float *out, const double *idx, const float *src, int64_t pre, int64_t size, int64_t n, int64_t post);
/* index_select: y [pre, n, post] ← x [pre, size, post] at rows idx[n] (checked by the caller),
 * any dtype: `bytes` is post times the element size */
void tt_index_select(const void *x, void *y, const double *idx, int64_t pre, int64_t size, int64_t n, int64_t bytes);

/* The fused optimizer steps (src/optim), element for element as the reference computes them. */
void tt_adam(float *p, const float *g, float *m, float *v, float *vmax, int64_t n, int maximize, int weight_decay,
             int decoupled, int small, float decay, float wds, float coeff, float b2, float omb2, float bc2, float eps, float neg_step);
void tt_sgd(float *p, const float *g, float *buf, int64_t n, int maximize, int weight_decay, int first, int nesterov,
            float wds, float neg_lr, float mom, float omd);
void tt_adadelta(float *p, const float *g, float *sq, float *ad, int64_t n, int maximize, int weight_decay,
                 float wds, float rho, float omr, float eps, float neg_lr);
#endif
