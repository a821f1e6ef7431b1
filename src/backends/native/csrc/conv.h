/* 2-d convolution and pooling for the native engine, on contiguous float32 NCHW tensors.
 *
 * Convolutions run as GEMMs (tt_sgemm) over im2col columns; each thread's columns live in
 * its tt_thread_scratch slot 2 (Cg*KH*KW x OH*OW floats, kept for reuse), and 1x1
 * convolutions with stride 1 and no padding use the input itself. The weight gradient also
 * takes one O x Cg*KH*KW buffer per extra thread from malloc for the duration of the call.
 * Functions that return int return 0, or -1 when memory ran out (outputs then undefined). */
#ifndef TT_CONV_H
#define TT_CONV_H

#include <stdint.h>

typedef struct {
    int64_t N, C, H, W; /* input x [N, C, H, W] */
    int64_t O, KH, KW;  /* weight w [O, C / groups, KH, KW]; bias [O] */
    int64_t OH, OW;     /* output y [N, O, OH, OW] (tt_conv_out_size) */
    int64_t sh, sw, ph, pw, dh, dw, groups;
} tt_conv2d;

/* PyTorch's output size: (in + 2 pad - dilation (k - 1) - 1) / stride + 1. */
int64_t tt_conv_out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation);

/* y = conv2d(x, w) + bias (bias may be NULL). */
int tt_conv2d_forward(const tt_conv2d *p, const float *x, const float *w, const float *bias,
                      float *y);

/* gx = dL/dx from gy = dL/dy (gx is overwritten). */
int tt_conv2d_backward_input(const tt_conv2d *p, const float *gy, const float *w, float *gx);

/* gw = dL/dw and, when gbias is not NULL, gbias = dL/dbias (both overwritten). */
int tt_conv2d_backward_weight(const tt_conv2d *p, const float *x, const float *gy, float *gw,
                              float *gbias);

typedef struct {
    int64_t N, C, H, W; /* input [N, C, H, W] */
    int64_t OH, OW;     /* output [N, C, OH, OW] (tt_pool_out_size) */
    int64_t kh, kw, sh, sw, ph, pw, dh, dw; /* avg_pool2d has no dilation: dh = dw = 1 */
} tt_pool2d;

/* PyTorch's pooling output size, ceil_mode included (a last window must start inside the
 * input or its left padding). */
int64_t tt_pool_out_size(int64_t in, int64_t k, int64_t stride, int64_t pad, int64_t dilation,
                         int ceil_mode);

/* y = max_pool2d(x); idx = each maximum's flat position h * W + w within its plane. As in
 * PyTorch, NaN counts as the maximum (the last NaN of the window wins). */
void tt_max_pool2d_forward(const tt_pool2d *p, const float *x, float *y, int32_t *idx);

/* gx = dL/dx (overwritten) from gy and the forward's idx. */
void tt_max_pool2d_backward(const tt_pool2d *p, const float *gy, const int32_t *idx, float *gx);

/* y = avg_pool2d(x); divisor_override 0 means none. */
void tt_avg_pool2d_forward(const tt_pool2d *p, const float *x, float *y,
                           int count_include_pad, int64_t divisor_override);

/* gx = dL/dx (overwritten) from gy. */
void tt_avg_pool2d_backward(const tt_pool2d *p, const float *gy, float *gx,
                            int count_include_pad, int64_t divisor_override);

#endif
