/* Convolution as GEMM over im2col columns (Chellapilla et al. 2006; Caffe's and PyTorch's
 * slow_conv2d), and pooling, following ATen's CPU kernels for the exact semantics. */
#include "conv.h"
#include "gemm.h"
#include "parallel.h"
#include "tt_compiler.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define TT_IM2COL_SLOT 2

int64_t tt_conv_out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation)
{
    return (in + 2 * pad - dilation * (k - 1) - 1) / stride + 1;
}

/* ---- im2col ----------------------------------------------------------------------------- */

/* The outputs o in [0, n_out) whose input position off + o * stride lies in [0, n_in):
 * [*lo, *hi). */
static void valid_range(int64_t off, int64_t stride, int64_t n_in, int64_t n_out,
                        int64_t *lo, int64_t *hi)
{
    *lo = off >= 0 ? 0 : (-off + stride - 1) / stride;
    *hi = off > n_in - 1 ? 0 : TT_MIN(n_out, (n_in - 1 - off) / stride + 1);
    if (*lo > *hi)
        *lo = *hi;
}

/* Rows of columns are short (tens of floats): blocks of 8, which the compiler turns into
 * vector moves even at -O2, rather than a memcpy call or a scalar loop per row. */
static inline void copy_floats(float *restrict dst, const float *restrict src, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++)
            dst[i + l] = src[i + l];
    for (; i < n; i++)
        dst[i] = src[i];
}

static inline void add_floats(float *restrict dst, const float *restrict src, int64_t n)
{
    int64_t i = 0;
    for (; i + 8 <= n; i += 8)
        for (int l = 0; l < 8; l++)
            dst[i + l] += src[i + l];
    for (; i < n; i++)
        dst[i] += src[i];
}

/* Between one image-group's input x [Cg, H, W] and its columns [Cg * KH * KW, OH * OW], where
 * column row (c, ki, kj) holds, for each output position, the input it sees through kernel
 * tap (ki, kj) (0 in the padding). to_cols: cols = im2col(x); otherwise x += col2im(cols),
 * the adjoint, which sums every tap's gradient into the input it read. */
static TT_NO_MEMCPY_CALLS void im2col(const tt_conv2d *p, float *x, float *cols, int to_cols)
{
    const int64_t Cg = p->C / p->groups, S = p->OH * p->OW;
    for (int64_t c = 0; c < Cg; c++)
        for (int64_t ki = 0; ki < p->KH; ki++)
            for (int64_t kj = 0; kj < p->KW; kj++) {
                float *row = cols + ((c * p->KH + ki) * p->KW + kj) * S;
                const int64_t ih0 = ki * p->dh - p->ph, iw0 = kj * p->dw - p->pw;
                int64_t oh0, oh1, ow0, ow1;
                valid_range(ih0, p->sh, p->H, p->OH, &oh0, &oh1);
                valid_range(iw0, p->sw, p->W, p->OW, &ow0, &ow1);
                if (to_cols) {
                    memset(row, 0, oh0 * p->OW * sizeof(float));
                    memset(row + oh1 * p->OW, 0, (p->OH - oh1) * p->OW * sizeof(float));
                }
                for (int64_t oh = oh0; oh < oh1; oh++) {
                    float *in = x + (c * p->H + ih0 + oh * p->sh) * p->W + iw0;
                    float *out = row + oh * p->OW;
                    if (to_cols) {
                        for (int64_t ow = 0; ow < ow0; ow++)
                            out[ow] = 0.0f;
                        if (p->sw == 1)
                            copy_floats(out + ow0, in + ow0, ow1 - ow0);
                        else
                            for (int64_t ow = ow0; ow < ow1; ow++)
                                out[ow] = in[ow * p->sw];
                        for (int64_t ow = ow1; ow < p->OW; ow++)
                            out[ow] = 0.0f;
                    } else if (p->sw == 1) {
                        add_floats(in + ow0, out + ow0, ow1 - ow0);
                    } else {
                        for (int64_t ow = ow0; ow < ow1; ow++)
                            in[ow * p->sw] += out[ow];
                    }
                }
            }
}

/* 1x1 kernels with stride 1 and no padding: the columns are the input itself. */
static int pointwise(const tt_conv2d *p)
{
    return p->KH == 1 && p->KW == 1 && p->sh == 1 && p->sw == 1 && p->ph == 0 && p->pw == 0;
}

/* ---- Images in parallel ----------------------------------------------------------------- */

typedef struct {
    const tt_conv2d *p;
    const float *x, *w, *bias, *gy;
    float *y, *gx, *gw, *gbias;
    /* tt_sgemm_serial when the images are spread over the threads, tt_sgemm otherwise */
    void (*gemm)(int64_t, int64_t, int64_t, float, const float *, int64_t, int64_t,
                 const float *, int64_t, int64_t, float, float *, int64_t, int64_t);
    int64_t chunks;  /* backward_weight: the images are split into this many chunks */
    float *partials; /* backward_weight: chunks - 1 buffers of O * Cg * KH * KW */
    int failed;      /* set (to 1 only) by a task that found no memory */
} conv_job;

/* Runs fn over the images, in parallel when there are at least as many as threads (each
 * GEMM then on its own thread), else one image at a time with parallel GEMMs. */
static int over_images(conv_job *j, tt_range_fn fn)
{
    if (j->p->N >= tt_get_num_threads()) {
        j->gemm = tt_sgemm_serial;
        tt_parallel_for(0, j->p->N, 1, fn, j);
    } else {
        j->gemm = tt_sgemm;
        fn(j, 0, j->p->N);
    }
    return j->failed ? -1 : 0;
}

/* The columns of image n, group g: the input itself for pointwise convs, else im2col'd into
 * this thread's scratch (NULL when there is no memory for it). */
static float *columns(conv_job *j, int64_t n, int64_t g)
{
    const tt_conv2d *p = j->p;
    const int64_t Cg = p->C / p->groups;
    float *x = (float *)j->x + (n * p->C + g * Cg) * p->H * p->W;
    if (pointwise(p))
        return x;
    float *cols = tt_thread_scratch(TT_IM2COL_SLOT,
                                    Cg * p->KH * p->KW * p->OH * p->OW * sizeof(float));
    if (cols)
        im2col(p, x, cols, 1);
    return cols;
}

static void forward_images(void *ctx, int64_t n0, int64_t n1)
{
    conv_job *j = ctx;
    const tt_conv2d *p = j->p;
    const int64_t Og = p->O / p->groups, CKK = p->C / p->groups * p->KH * p->KW;
    const int64_t S = p->OH * p->OW;
    for (int64_t n = n0; n < n1; n++)
        for (int64_t g = 0; g < p->groups; g++) {
            const float *cols = columns(j, n, g);
            if (!cols) {
                j->failed = 1;
                return;
            }
            float *y = j->y + (n * p->O + g * Og) * S;
            /* y_g [Og, S] = w_g [Og, CKK] cols [CKK, S] */
            j->gemm(Og, S, CKK, 1.0f, j->w + g * Og * CKK, CKK, 1, cols, S, 1, 0.0f, y, S, 1);
            if (j->bias)
                for (int64_t o = 0; o < Og; o++)
                    for (int64_t s = 0; s < S; s++)
                        y[o * S + s] += j->bias[g * Og + o];
        }
}

int tt_conv2d_forward(const tt_conv2d *p, const float *x, const float *w, const float *bias,
                      float *y)
{
    conv_job j = {.p = p, .x = x, .w = w, .bias = bias, .y = y};
    return over_images(&j, forward_images);
}

static void backward_input_images(void *ctx, int64_t n0, int64_t n1)
{
    conv_job *j = ctx;
    const tt_conv2d *p = j->p;
    const int64_t Cg = p->C / p->groups, Og = p->O / p->groups, CKK = Cg * p->KH * p->KW;
    const int64_t S = p->OH * p->OW, HW = p->H * p->W;
    for (int64_t n = n0; n < n1; n++) {
        float *gx = j->gx + n * p->C * HW;
        if (!pointwise(p))
            memset(gx, 0, p->C * HW * sizeof(float));
        for (int64_t g = 0; g < p->groups; g++) {
            float *gxg = gx + g * Cg * HW, *cols = gxg;
            if (!pointwise(p)) {
                cols = tt_thread_scratch(TT_IM2COL_SLOT, CKK * S * sizeof(float));
                if (!cols) {
                    j->failed = 1;
                    return;
                }
            }
            /* cols [CKK, S] = w_g^T [CKK, Og] gy_g [Og, S] */
            j->gemm(CKK, S, Og, 1.0f, j->w + g * Og * CKK, 1, CKK,
                    j->gy + (n * p->O + g * Og) * S, S, 1, 0.0f, cols, S, 1);
            if (!pointwise(p))
                im2col(p, gxg, cols, 0);
        }
    }
}

int tt_conv2d_backward_input(const tt_conv2d *p, const float *gy, const float *w, float *gx)
{
    conv_job j = {.p = p, .gy = gy, .w = w, .gx = gx};
    return over_images(&j, backward_input_images);
}

/* Chunk t of the images sums its weight gradient into gw (t = 0) or its own partial. */
static void backward_weight_chunks(void *ctx, int64_t t0, int64_t t1)
{
    conv_job *j = ctx;
    const tt_conv2d *p = j->p;
    const int64_t Og = p->O / p->groups, CKK = p->C / p->groups * p->KH * p->KW;
    const int64_t S = p->OH * p->OW;
    for (int64_t t = t0; t < t1; t++) {
        float *gw = t == 0 ? j->gw : j->partials + (t - 1) * p->O * CKK;
        const int64_t n0 = p->N * t / j->chunks, n1 = p->N * (t + 1) / j->chunks;
        for (int64_t n = n0; n < n1; n++)
            for (int64_t g = 0; g < p->groups; g++) {
                const float *cols = columns(j, n, g);
                if (!cols) {
                    j->failed = 1;
                    return;
                }
                /* gw_g [Og, CKK] (+)= gy_g [Og, S] cols^T [S, CKK] */
                j->gemm(Og, CKK, S, 1.0f, j->gy + (n * p->O + g * Og) * S, S, 1, cols, 1, S,
                        n == n0 ? 0.0f : 1.0f, gw + g * Og * CKK, CKK, 1);
            }
    }
}

/* A float sum in 16 interleaved partial sums: vectorizable, and 16 times shorter chains of
 * rounding than one running sum. */
static float sum_floats(const float *x, int64_t n)
{
    float part[16] = {0};
    int64_t i = 0;
    for (; i + 16 <= n; i += 16)
        for (int l = 0; l < 16; l++)
            part[l] += x[i + l];
    for (; i < n; i++)
        part[i % 16] += x[i];
    float s = 0.0f;
    for (int l = 0; l < 16; l++)
        s += part[l];
    return s;
}

static void bias_channels(void *ctx, int64_t o0, int64_t o1)
{
    const conv_job *j = ctx;
    const tt_conv2d *p = j->p;
    const int64_t S = p->OH * p->OW;
    for (int64_t o = o0; o < o1; o++) {
        float s = 0.0f;
        for (int64_t n = 0; n < p->N; n++)
            s += sum_floats(j->gy + (n * p->O + o) * S, S);
        j->gbias[o] = s;
    }
}

int tt_conv2d_backward_weight(const tt_conv2d *p, const float *x, const float *gy, float *gw,
                              float *gbias)
{
    const int64_t size = p->O * (p->C / p->groups) * p->KH * p->KW;
    conv_job j = {.p = p, .x = x, .gy = gy, .gw = gw, .chunks = 1};
    if (p->N == 0)
        memset(gw, 0, size * sizeof(float));
    else if (p->N >= tt_get_num_threads() && tt_get_num_threads() > 1) {
        /* Each thread sums its share of the images into a buffer of its own; the buffers are
         * added up at the end, in a fixed order. */
        j.chunks = tt_get_num_threads();
        j.partials = malloc((j.chunks - 1) * size * sizeof(float));
        if (!j.partials)
            return -1;
        j.gemm = tt_sgemm_serial;
        tt_parallel_for(0, j.chunks, 1, backward_weight_chunks, &j);
        for (int64_t t = 1; t < j.chunks; t++)
            for (int64_t i = 0; i < size; i++)
                gw[i] += j.partials[(t - 1) * size + i];
        free(j.partials);
    } else {
        j.gemm = tt_sgemm;
        backward_weight_chunks(&j, 0, 1);
    }
    if (j.failed)
        return -1;
    if (gbias) {
        conv_job b = {.p = p, .gy = gy, .gbias = gbias};
        const int64_t per_channel = p->N * p->OH * p->OW;
        tt_parallel_for(0, p->O, 1 + (1 << 16) / (per_channel + 1), bias_channels, &b);
    }
    return 0;
}

/* ---- Pooling ---------------------------------------------------------------------------- */

int64_t tt_pool_out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation,
                         int ceil_mode)
{
    const int64_t span = in + 2 * pad - dilation * (k - 1) - 1 + (ceil_mode ? stride - 1 : 0);
    /* span / stride rounded down (span >= -stride whenever the window fits) */
    int64_t out = (span >= 0 ? span / stride : -((-span + stride - 1) / stride)) + 1;
    if (ceil_mode && (out - 1) * stride >= in + pad)
        out--;
    return out;
}

typedef struct {
    const tt_pool2d *p;
    const float *x, *gy;
    float *y, *gx;
    int32_t *idx;
    const int32_t *cidx;
    int count_include_pad;
    int64_t divisor_override;
} pool_job;

/* Grain for parallel loops over planes: enough planes for ~64K elements of work. */
static int64_t plane_grain(const tt_pool2d *p)
{
    return 1 + (1 << 16) / (p->H * p->W + p->OH * p->OW + 1);
}

static void max_forward_planes(void *ctx, int64_t q0, int64_t q1)
{
    const pool_job *j = ctx;
    const tt_pool2d *p = j->p;
    for (int64_t q = q0; q < q1; q++) {
        const float *x = j->x + q * p->H * p->W;
        float *y = j->y + q * p->OH * p->OW;
        int32_t *idx = j->idx + q * p->OH * p->OW;
        for (int64_t oh = 0; oh < p->OH; oh++)
            for (int64_t ow = 0; ow < p->OW; ow++) {
                /* ATen's cpu_max_pool: the window clipped to the input, stepping by the
                 * dilation from its first tap inside. */
                int64_t ih0 = oh * p->sh - p->ph, iw0 = ow * p->sw - p->pw;
                const int64_t ih1 = TT_MIN(ih0 + (p->kh - 1) * p->dh + 1, p->H);
                const int64_t iw1 = TT_MIN(iw0 + (p->kw - 1) * p->dw + 1, p->W);
                while (ih0 < 0)
                    ih0 += p->dh;
                while (iw0 < 0)
                    iw0 += p->dw;
                /* Branch-free, by masks (on real data each comparison is a coin toss, and
                 * compilers turn a conditional select back into a branch). */
                int32_t best = (int32_t)(ih0 * p->W + iw0);
                union { float f; int32_t i; } max = {-INFINITY}, v;
                for (int64_t ih = ih0; ih < ih1; ih += p->dh)
                    for (int64_t iw = iw0; iw < iw1; iw += p->dw) {
                        v.f = x[ih * p->W + iw];
                        const int32_t take = -(int32_t)((v.f > max.f) | (v.f != v.f));
                        max.i = (v.i & take) | (max.i & ~take);
                        best = ((int32_t)(ih * p->W + iw) & take) | (best & ~take);
                    }
                y[oh * p->OW + ow] = max.f;
                idx[oh * p->OW + ow] = best;
            }
    }
}

void tt_max_pool2d_forward(const tt_pool2d *p, const float *x, float *y, int32_t *idx)
{
    pool_job j = {.p = p, .x = x, .y = y, .idx = idx};
    tt_parallel_for(0, p->N * p->C, plane_grain(p), max_forward_planes, &j);
}

static void max_backward_planes(void *ctx, int64_t q0, int64_t q1)
{
    const pool_job *j = ctx;
    const tt_pool2d *p = j->p;
    const int64_t S = p->OH * p->OW;
    for (int64_t q = q0; q < q1; q++) {
        float *gx = j->gx + q * p->H * p->W;
        memset(gx, 0, p->H * p->W * sizeof(float));
        for (int64_t s = 0; s < S; s++)
            gx[j->cidx[q * S + s]] += j->gy[q * S + s];
    }
}

void tt_max_pool2d_backward(const tt_pool2d *p, const float *gy, const int32_t *idx, float *gx)
{
    pool_job j = {.p = p, .gy = gy, .cidx = idx, .gx = gx};
    tt_parallel_for(0, p->N * p->C, plane_grain(p), max_backward_planes, &j);
}

/* ATen's cpu_avg_pool window: [*h0, *h1) x [*w0, *w1) clipped to the input (empty when it
 * lies in the padding) and the divisor for it. */
static int64_t avg_window(const pool_job *j, int64_t oh, int64_t ow, int64_t *h0, int64_t *h1,
                          int64_t *w0, int64_t *w1)
{
    const tt_pool2d *p = j->p;
    *h0 = oh * p->sh - p->ph, *w0 = ow * p->sw - p->pw;
    *h1 = TT_MIN(*h0 + p->kh, p->H + p->ph), *w1 = TT_MIN(*w0 + p->kw, p->W + p->pw);
    const int64_t padded = (*h1 - *h0) * (*w1 - *w0);
    *h0 = *h0 < 0 ? 0 : *h0, *w0 = *w0 < 0 ? 0 : *w0;
    *h1 = TT_MIN(*h1, p->H), *w1 = TT_MIN(*w1, p->W);
    if (j->divisor_override)
        return j->divisor_override;
    return j->count_include_pad ? padded : (*h1 - *h0) * (*w1 - *w0);
}

static void avg_forward_planes(void *ctx, int64_t q0, int64_t q1)
{
    const pool_job *j = ctx;
    const tt_pool2d *p = j->p;
    for (int64_t q = q0; q < q1; q++) {
        const float *x = j->x + q * p->H * p->W;
        float *y = j->y + q * p->OH * p->OW;
        for (int64_t oh = 0; oh < p->OH; oh++)
            for (int64_t ow = 0; ow < p->OW; ow++) {
                int64_t h0, h1, w0, w1;
                const int64_t div = avg_window(j, oh, ow, &h0, &h1, &w0, &w1);
                float s = 0.0f;
                for (int64_t ih = h0; ih < h1; ih++)
                    for (int64_t iw = w0; iw < w1; iw++)
                        s += x[ih * p->W + iw];
                y[oh * p->OW + ow] = h0 >= h1 || w0 >= w1 ? 0.0f : s / (float)div;
            }
    }
}

void tt_avg_pool2d_forward(const tt_pool2d *p, const float *x, float *y,
                           int count_include_pad, int64_t divisor_override)
{
    pool_job j = {.p = p, .x = x, .y = y, .count_include_pad = count_include_pad,
                  .divisor_override = divisor_override};
    tt_parallel_for(0, p->N * p->C, plane_grain(p), avg_forward_planes, &j);
}

static void avg_backward_planes(void *ctx, int64_t q0, int64_t q1)
{
    const pool_job *j = ctx;
    const tt_pool2d *p = j->p;
    for (int64_t q = q0; q < q1; q++) {
        const float *gy = j->gy + q * p->OH * p->OW;
        float *gx = j->gx + q * p->H * p->W;
        memset(gx, 0, p->H * p->W * sizeof(float));
        for (int64_t oh = 0; oh < p->OH; oh++)
            for (int64_t ow = 0; ow < p->OW; ow++) {
                int64_t h0, h1, w0, w1;
                const int64_t div = avg_window(j, oh, ow, &h0, &h1, &w0, &w1);
                const float g = gy[oh * p->OW + ow] / (float)div;
                for (int64_t ih = h0; ih < h1; ih++)
                    for (int64_t iw = w0; iw < w1; iw++)
                        gx[ih * p->W + iw] += g;
            }
    }
}

void tt_avg_pool2d_backward(const tt_pool2d *p, const float *gy, float *gx,
                            int count_include_pad, int64_t divisor_override)
{
    pool_job j = {.p = p, .gy = gy, .gx = gx, .count_include_pad = count_include_pad,
                  .divisor_override = divisor_override};
    tt_parallel_for(0, p->N * p->C, plane_grain(p), avg_backward_planes, &j);
}
