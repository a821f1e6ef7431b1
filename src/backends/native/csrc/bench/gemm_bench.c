/* Standalone checks and timings of the native engine's GEMM (and conv), without
 * Node: build with bench/build.sh, then
 *   gemm_bench test     every supported ISA, 1-3 threads, against double-precision loops
 *   gemm_bench bench    GFLOP/s of the matmul shapes issue 9 and the training runs need
 *   gemm_bench conv     milliseconds of the MNIST CNN's convolutions
 *   gemm_bench calls [FILE] [THREADS]   microseconds of each GEMM call that B7 and B8 make
 *                       (b7_b8_calls.txt), 1 and 2 threads unless THREADS says which; with
 *                       COLD=1 in the environment, each call starts with cold caches
 * (bench/gemm_bench_torch.py measures PyTorch on the same shapes) */
#include "../conv.h"
#include "../gemm.h"
#include "../parallel.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>


static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static float frand(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return (float)((rng_state >> 40) * (2.0 / 16777216.0) - 1.0);
}

static float *rand_buf(int64_t n)
{
    float *p = malloc((n > 0 ? n : 1) * sizeof(float));
    for (int64_t i = 0; i < n; i++)
        p[i] = frand();
    return p;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static int failures = 0, checks = 0;

/* |got - want| within the bound of K-term float32 recursive summation (Higham's gamma_K)
 * on the magnitudes involved, plus a few ulps for alpha and beta. */
static int close_enough(double got, double want, double mag, int64_t K)
{
    const double tol = (K + 4) * 5.97e-8 * mag + 1e-30;
    return fabs(got - want) <= tol || (isnan(got) && isnan(want));
}

/* Element strides of a rows x cols operand in one of several layouts. */
enum { ROW_MAJOR, COL_MAJOR, BCAST_ROWS, BCAST_COLS, STRIDED, N_LAYOUTS };
static const char *layout_names[] = {"row", "col", "bcast-rows", "bcast-cols", "strided"};

static void strides(int layout, int64_t rows, int64_t cols, int64_t *rs, int64_t *cs)
{
    switch (layout) {
    case ROW_MAJOR: *rs = cols + 3, *cs = 1; break;
    case COL_MAJOR: *rs = 1, *cs = rows + 2; break;
    case BCAST_ROWS: *rs = 0, *cs = 1; break; /* every row the same (expand of a row) */
    case BCAST_COLS: *rs = 1, *cs = 0; break;
    default: *rs = 2 * cols + 1, *cs = 2; break;
    }
}

static int64_t extent(int64_t rows, int64_t cols, int64_t rs, int64_t cs)
{
    if (rows == 0 || cols == 0)
        return 1;
    return (rows - 1) * rs + (cols - 1) * cs + 1;
}

static void check_gemm(int64_t batch, int64_t M, int64_t N, int64_t K, int la, int lb, int lc,
                       float alpha, float beta, int bcast_batch)
{
    int64_t rsA, csA, rsB, csB, rsC, csC;
    strides(la, M, K, &rsA, &csA);
    strides(lb, K, N, &rsB, &csB);
    strides(lc, M, N, &rsC, &csC);
    const int64_t eA = extent(M, K, rsA, csA), eB = extent(K, N, rsB, csB);
    const int64_t eC = extent(M, N, rsC, csC);
    /* bcast_batch: A shared by the whole batch (stride 0), as a Linear weight is. */
    const int64_t sA = bcast_batch ? 0 : eA, sB = eB, sC = eC;
    float *A = rand_buf(eA * batch), *B = rand_buf(eB * batch), *C = rand_buf(eC * batch);
    float *C0 = malloc(eC * batch * sizeof(float));
    if (beta == 0.0f)
        for (int64_t i = 0; i < eC * batch; i++)
            C[i] = NAN; /* must not be read */
    memcpy(C0, C, eC * batch * sizeof(float));
    tt_sgemm_batched(batch, M, N, K, alpha, A, rsA, csA, sA, B, rsB, csB, sB, beta, C, rsC,
                     csC, sC);
    int bad = 0;
    for (int64_t b = 0; b < batch && !bad; b++)
        for (int64_t i = 0; i < M && !bad; i++)
            for (int64_t j = 0; j < N && !bad; j++) {
                double s = 0, mag = 0;
                for (int64_t p = 0; p < K; p++) {
                    const double x = (double)A[b * sA + i * rsA + p * csA] *
                                     B[b * sB + p * rsB + j * csB];
                    s += x;
                    mag += fabs(x);
                }
                const int64_t at = b * sC + i * rsC + j * csC;
                double want = alpha * s, m = fabs(alpha) * mag;
                if (beta != 0.0f) {
                    want += beta * (double)C0[at];
                    m += fabs(beta * C0[at]);
                }
                if (!close_enough(C[at], want, m, K)) {
                    printf("FAIL %s batch %ld M %ld N %ld K %ld A %s B %s C %s alpha %g beta %g"
                           "%s: C[%ld,%ld,%ld] = %.9g, want %.9g\n",
                           tt_gemm_isa(), (long)batch, (long)M, (long)N, (long)K,
                           layout_names[la], layout_names[lb], layout_names[lc], alpha, beta,
                           bcast_batch ? " (A broadcast over batch)" : "", (long)b, (long)i,
                           (long)j, C[at], want);
                    bad = 1;
                }
            }
    /* Elements of C's buffer outside the matrix (strided layouts' gaps) must be untouched. */
    if (!bad && (lc == ROW_MAJOR || lc == STRIDED)) {
        for (int64_t b = 0; b < batch && !bad; b++)
            for (int64_t i = 0; i < M && !bad; i++)
                for (int64_t x = i * rsC + N * csC; x < (i + 1) * rsC && x < eC; x++)
                    if (memcmp(&C[b * sC + x], &C0[b * sC + x], sizeof(float))) {
                        printf("FAIL %s M %ld N %ld K %ld: wrote outside C\n", tt_gemm_isa(),
                               (long)M, (long)N, (long)K);
                        bad = 1;
                        break;
                    }
    }
    failures += bad;
    checks++;
    free(A), free(B), free(C), free(C0);
}

/* tt_sgemm_packed against tt_sgemm_init (the same sums: bit for bit) on B packed from a layout
 * by tt_sgemm_pack_b, with and without a bias row; NaN in C first (it must not be read). */
static void check_packed(int64_t M, int64_t N, int64_t K, int lb, int bias)
{
    int64_t rsB, csB;
    strides(lb, K, N, &rsB, &csB);
    const int64_t eB = extent(K, N, rsB, csB);
    float *A = rand_buf(M * K + 1), *B = rand_buf(eB), *b = rand_buf(N);
    float *want = malloc((M * N + 1) * sizeof(float)), *got = malloc((M * N + 1) * sizeof(float));
    float *packed = aligned_alloc(64, (tt_sgemm_packed_b_size(K, N) + 16) * sizeof(float));
    const tt_gemm_init C0 = {bias ? b : NULL, 0, 1};
    for (int64_t i = 0; i < M * N; i++)
        got[i] = NAN;
    tt_sgemm_init(M, N, K, A, K, 1, B, rsB, csB, C0, want, N, 1);
    tt_sgemm_pack_b(K, N, B, rsB, csB, packed);
    tt_sgemm_packed(M, N, K, A, K, 1, packed, C0, got, N, 1);
    for (int64_t i = 0; i < M * N; i++)
        if (memcmp(&got[i], &want[i], sizeof(float))) {
            printf("FAIL %s packed B: M %ld N %ld K %ld B %s%s: C[%ld] = %.9g, tt_sgemm_init %.9g\n",
                   tt_gemm_isa(), (long)M, (long)N, (long)K, layout_names[lb], bias ? " bias" : "",
                   (long)i, got[i], want[i]);
            failures++;
            break;
        }
    checks++;
    free(A), free(B), free(b), free(want), free(got), free(packed);
}

static void test_gemm(void)
{
    static const int64_t sizes[][3] = {
        {1, 1, 1}, {0, 5, 3}, {5, 0, 3}, {4, 5, 0}, {1, 7, 13}, {7, 1, 13}, {13, 17, 1},
        {14, 32, 8}, {15, 33, 9}, {13, 31, 7}, {28, 64, 5}, {29, 65, 300}, {6, 16, 4},
        {7, 17, 5}, {8, 12, 3}, {31, 47, 53}, {97, 101, 103}, {290, 70, 257}, {3, 300, 520},
        {128, 10, 512}, {10, 128, 64}, {20, 800, 20}, {2, 4100, 3},
    };
    /* Large enough for several tasks: split by columns (few rows), by rows and columns, tall
     * and skinny, K = 1, and B too deep for one run's packed panels (column blocks run one
     * after another). */
    static const int64_t tasks[][3] = {
        {20, 800, 200}, {64, 512, 784}, {9, 1000, 300}, {1000, 7, 300}, {700, 300, 1},
        {3, 300, 20000},
    };
    static const char *isas[] = {"AVX512", "AVX2", "NEON", "DEFAULT"};
    const char *best = tt_gemm_isa();
    for (int s = 0; s < 4; s++) {
        if (tt_gemm_force_isa(isas[s]))
            continue;
        for (int threads = 1; threads <= 3; threads++) {
            tt_set_num_threads(threads);
            for (size_t z = 0; z < sizeof(sizes) / sizeof(sizes[0]); z++) {
                const int64_t M = sizes[z][0], N = sizes[z][1], K = sizes[z][2];
                for (int la = 0; la < N_LAYOUTS; la++)
                    for (int lb = 0; lb < N_LAYOUTS; lb++) {
                        const int lc = (la + 2 * lb) % 3 == 2 ? STRIDED : (la + lb) % 2;
                        check_gemm(1, M, N, K, la, lb, lc, 1.0f, 0.0f, 0);
                        if ((la + lb) % 3 == 0)
                            check_gemm(1, M, N, K, la, lb, lc, 1.0f, 1.0f, 0);
                    }
                check_gemm(1, M, N, K, ROW_MAJOR, ROW_MAJOR, ROW_MAJOR, -2.5f, 0.5f, 0);
                check_gemm(1, M, N, K, ROW_MAJOR, COL_MAJOR, COL_MAJOR, 0.0f, 0.0f, 0);
                check_gemm(1, M, N, K, ROW_MAJOR, ROW_MAJOR, ROW_MAJOR, 0.0f, 2.0f, 0);
            }
            /* Large enough for the thread split, through every layout of C. */
            for (int lc = 0; lc < 3; lc++) {
                const int lcs[] = {ROW_MAJOR, COL_MAJOR, STRIDED};
                check_gemm(1, 257, 263, 269, ROW_MAJOR, COL_MAJOR, lcs[lc], 1.0f, 0.0f, 0);
                check_gemm(1, 300, 600, 300, COL_MAJOR, ROW_MAJOR, lcs[lc], 1.0f, 1.0f, 0);
            }
            for (size_t z = 0; z < sizeof(tasks) / sizeof(tasks[0]); z++) {
                check_gemm(1, tasks[z][0], tasks[z][1], tasks[z][2], ROW_MAJOR, ROW_MAJOR,
                           ROW_MAJOR, 1.0f, 0.0f, 0);
                check_gemm(1, tasks[z][0], tasks[z][1], tasks[z][2], COL_MAJOR, COL_MAJOR,
                           STRIDED, 1.0f, 1.0f, 0);
            }
            check_gemm(5, 33, 40, 50, ROW_MAJOR, ROW_MAJOR, ROW_MAJOR, 1.0f, 0.0f, 0);
            check_gemm(3, 130, 140, 150, COL_MAJOR, ROW_MAJOR, ROW_MAJOR, 1.0f, 1.0f, 1);
            check_gemm(2, 1, 1, 1, ROW_MAJOR, ROW_MAJOR, ROW_MAJOR, 1.0f, 0.0f, 1);
            check_gemm(64, 64, 64, 32, ROW_MAJOR, COL_MAJOR, ROW_MAJOR, 1.0f, 0.0f, 0);
            /* B packed once: partial panels, several KC slices, several column blocks (K =
             * 20000 leaves room for 6 AVX-512 panels a block), and the LSTM's steps */
            static const int64_t packed[][3] = {
                {1, 1, 1}, {3, 5, 0}, {0, 7, 3}, {7, 33, 300}, {20, 800, 200}, {20, 200, 800},
                {9, 400, 20000}, {130, 70, 600},
            };
            for (size_t z = 0; z < sizeof(packed) / sizeof(packed[0]); z++)
                for (int lb = 0; lb < N_LAYOUTS; lb++)
                    check_packed(packed[z][0], packed[z][1], packed[z][2], lb, (lb + (int)z) % 2);
        }
    }
    tt_gemm_force_isa(best);
}

/* ---- Convolution ----------------------------------------------------------------------------- */

/* Compares n floats with a double reference whose per-element magnitude sums are in mag;
 * terms is the longest sum behind an element. */
static void compare(const char *what, const char *shape, const float *got, const double *want,
                    const double *mag, int64_t n, int64_t terms)
{
    for (int64_t i = 0; i < n; i++)
        if (!close_enough(got[i], want[i], mag[i], terms)) {
            printf("FAIL %s %s: [%ld] = %.9g, want %.9g\n", what, shape, (long)i, got[i],
                   want[i]);
            failures++;
            break;
        }
    checks++;
}

static void check_conv(int64_t N, int64_t C, int64_t H, int64_t W, int64_t O, int64_t KH,
                       int64_t KW, int64_t s, int64_t pad, int64_t d, int64_t groups)
{
    tt_conv2d p = {N, C, H, W, O, KH, KW, tt_conv_out_size(H, KH, s, pad, d),
                   tt_conv_out_size(W, KW, s + (KW > 1), pad, d), s, s + (KW > 1), pad, pad, d,
                   d, groups};
    const int64_t Cg = C / groups, Og = O / groups, S = p.OH * p.OW;
    const int64_t nx = N * C * H * W, nw = O * Cg * KH * KW, ny = N * O * S;
    float *x = rand_buf(nx), *w = rand_buf(nw), *bias = rand_buf(O), *gy = rand_buf(ny);
    float *y = rand_buf(ny), *gx = rand_buf(nx), *gw = rand_buf(nw), *gb = rand_buf(O);
    double *ry = calloc(ny, 8), *my = calloc(ny, 8), *rgx = calloc(nx, 8), *mgx = calloc(nx, 8);
    double *rgw = calloc(nw, 8), *mgw = calloc(nw, 8), *rgb = calloc(O, 8), *mgb = calloc(O, 8);
    for (int64_t n = 0; n < N; n++)
        for (int64_t o = 0; o < O; o++)
            for (int64_t oh = 0; oh < p.OH; oh++)
                for (int64_t ow = 0; ow < p.OW; ow++) {
                    const int64_t yi = ((n * O + o) * p.OH + oh) * p.OW + ow;
                    ry[yi] = bias[o], my[yi] = fabs(bias[o]);
                    rgb[o] += gy[yi], mgb[o] += fabs(gy[yi]);
                    for (int64_t c = 0; c < Cg; c++)
                        for (int64_t ki = 0; ki < KH; ki++)
                            for (int64_t kj = 0; kj < KW; kj++) {
                                const int64_t ih = oh * p.sh - p.ph + ki * p.dh;
                                const int64_t iw = ow * p.sw - p.pw + kj * p.dw;
                                if (ih < 0 || ih >= H || iw < 0 || iw >= W)
                                    continue;
                                const int64_t xi = ((n * C + o / Og * Cg + c) * H + ih) * W + iw;
                                const int64_t wi = ((o * Cg + c) * KH + ki) * KW + kj;
                                ry[yi] += (double)x[xi] * w[wi], my[yi] += fabs(x[xi] * w[wi]);
                                rgx[xi] += (double)gy[yi] * w[wi];
                                mgx[xi] += fabs(gy[yi] * w[wi]);
                                rgw[wi] += (double)gy[yi] * x[xi];
                                mgw[wi] += fabs(gy[yi] * x[xi]);
                            }
                }
    const int64_t taps = Cg * KH * KW;
    char shape[200];
    snprintf(shape, sizeof shape, "N %ld C %ld H %ld W %ld O %ld k %ldx%ld s %ld,%ld p %ld d %ld g %ld",
             (long)N, (long)C, (long)H, (long)W, (long)O, (long)KH, (long)KW, (long)p.sh,
             (long)p.sw, (long)pad, (long)d, (long)groups);
    if (tt_conv2d_forward(&p, x, w, bias, y) || tt_conv2d_backward_input(&p, gy, w, gx) ||
        tt_conv2d_backward_weight(&p, x, gy, gw, gb)) {
        printf("FAIL conv: out of memory\n");
        failures++;
    }
    compare("conv2d forward", shape, y, ry, my, ny, taps + 1);
    compare("conv2d input grad", shape, gx, rgx, mgx, nx, Og * S);
    compare("conv2d weight grad", shape, gw, rgw, mgw, nw, N * S);
    compare("conv2d bias grad", shape, gb, rgb, mgb, O, N * S);
    free(x), free(w), free(bias), free(gy), free(y), free(gx), free(gw), free(gb);
    free(ry), free(my), free(rgx), free(mgx), free(rgw), free(mgw), free(rgb), free(mgb);
}


static void test_conv(void)
{
    for (int threads = 1; threads <= 3; threads++) {
        tt_set_num_threads(threads);
        /* N, C, H, W, O, KH, KW, stride, pad, dilation, groups; the width's stride is one
         * more than the height's when KW > 1 */
        check_conv(3, 1, 28, 28, 32, 3, 3, 1, 0, 1, 1); /* MNIST CNN conv1 */
        check_conv(2, 32, 26, 26, 64, 3, 3, 1, 0, 1, 1); /* MNIST CNN conv2 */
        check_conv(1, 3, 11, 13, 5, 3, 2, 2, 1, 1, 1);
        check_conv(4, 4, 9, 10, 6, 3, 3, 1, 2, 2, 2);
        check_conv(2, 6, 7, 7, 6, 3, 3, 1, 1, 1, 6);     /* depthwise */
        check_conv(3, 8, 5, 6, 12, 1, 1, 1, 0, 1, 1);    /* pointwise, no im2col */
        check_conv(2, 8, 5, 6, 12, 1, 1, 1, 0, 1, 4);
        check_conv(2, 4, 9, 9, 3, 1, 1, 2, 0, 1, 1);     /* 1x1 stride 2 */
        check_conv(1, 2, 4, 4, 3, 5, 5, 1, 3, 1, 1);     /* padding wider than the input */
        check_conv(5, 3, 6, 6, 2, 6, 6, 1, 0, 1, 1);     /* kernel = input */
        check_conv(0, 3, 6, 6, 2, 3, 3, 1, 0, 1, 1);     /* empty batch */
    }
}

/* GFLOP/s of a GEMM C[M,N] = A[M,K] B[K,N] with the operands in the given layouts, from its
 * fastest single call in about a second (the least disturbed by other work). */
static double gflops(int64_t M, int64_t N, int64_t K, int ta, int tb)
{
    float *A = rand_buf(M * K), *B = rand_buf(K * N), *C = rand_buf(M * N);
    const int64_t rsA = ta ? 1 : K, csA = ta ? M : 1, rsB = tb ? 1 : N, csB = tb ? K : 1;
    const double flop = 2.0 * M * N * K;
    double best = 1e30;
    for (int r = 0, reps = (int)(2e10 / flop) + 5; r < reps; r++) {
        const double t0 = now();
        tt_sgemm(M, N, K, 1.0f, A, rsA, csA, B, rsB, csB, 0.0f, C, N, 1);
        if (now() - t0 < best)
            best = now() - t0;
    }
    free(A), free(B), free(C);
    return flop / best * 1e-9;
}

static void bench_gemm(void)
{
    static const struct {
        int64_t M, N, K;
        int ta, tb;
        const char *what;
    } shapes[] = {
        {128, 128, 128, 0, 0, "matmul 128"},
        {512, 512, 512, 0, 0, "matmul 512"},
        {1024, 1024, 1024, 0, 0, "matmul 1024"},
        {128, 512, 784, 0, 1, "MLP fc1 x.W^T"},
        {128, 784, 512, 0, 0, "MLP fc1 dX = g.W"},
        {512, 784, 128, 1, 0, "MLP fc1 dW = g^T.x"},
        {128, 10, 512, 0, 1, "MLP fc2 x.W^T"},
        {128, 512, 10, 0, 0, "MLP fc2 dX"},
        {10, 512, 128, 1, 0, "MLP fc2 dW"},
        {1024, 512, 128, 0, 1, "GPT mlp [16*64,128]x[128,512]"},
        {1024, 128, 512, 0, 0, "GPT mlp dX"},
        {512, 128, 1024, 1, 0, "GPT mlp dW"},
        {20, 800, 200, 0, 1, "LSTM gates [20,200]x[200,800]"},
        {700, 10000, 200, 0, 1, "LSTM decoder [700,200]x[200,10000]"},
        {700, 200, 10000, 0, 0, "LSTM decoder dX"},
        {10000, 200, 700, 1, 0, "LSTM decoder dW"},
    };
    for (int threads = 1; threads <= 2; threads++) {
        tt_set_num_threads(threads);
        printf("%s, %d thread%s\n", tt_gemm_isa(), threads, threads > 1 ? "s" : "");
        for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
            printf("  %-36s %5ld x %5ld x %5ld %s%s  %7.1f GFLOP/s\n", shapes[s].what,
                   (long)shapes[s].M, (long)shapes[s].N, (long)shapes[s].K,
                   shapes[s].ta ? "T" : "N", shapes[s].tb ? "T" : "N",
                   gflops(shapes[s].M, shapes[s].N, shapes[s].K, shapes[s].ta, shapes[s].tb));
    }
}

/* Best-of milliseconds of the MNIST CNN's convolutions (batch 64). */
static void bench_conv(void)
{
    static const int64_t layers[][4] = {{1, 28, 32, 0}, {32, 26, 64, 1}}; /* C, H, O, input grad */
    for (int threads = 1; threads <= 2; threads++) {
        tt_set_num_threads(threads);
        printf("MNIST CNN, batch 64, %d thread%s (ms)\n", threads, threads > 1 ? "s" : "");
        for (int l = 0; l < 2; l++) {
            const int64_t C = layers[l][0], H = layers[l][1], O = layers[l][2];
            tt_conv2d p = {64, C, H, H, O, 3, 3, H - 2, H - 2, 1, 1, 0, 0, 1, 1, 1};
            float *x = rand_buf(64 * C * H * H), *w = rand_buf(O * C * 9), *b = rand_buf(O);
            float *y = rand_buf(64 * O * (H - 2) * (H - 2)), *gx = rand_buf(64 * C * H * H);
            float *gw = rand_buf(O * C * 9), *gb = rand_buf(O);
            double best[3] = {1e30, 1e30, 1e30};
            for (int round = 0; round < 5; round++)
                for (int op = 0; op < 3; op++) {
                    const double t0 = now();
                    if (op == 0)
                        tt_conv2d_forward(&p, x, w, b, y);
                    else if (op == 1 && layers[l][3])
                        tt_conv2d_backward_input(&p, y, w, gx);
                    else if (op == 2)
                        tt_conv2d_backward_weight(&p, x, y, gw, gb);
                    if (now() - t0 < best[op])
                        best[op] = now() - t0;
                }
            printf("  conv%d %ld->%ld 3x3 on %ldx%ld: forward %.3f, input grad %.3f, "
                   "weight+bias grad %.3f\n", l + 1, (long)C, (long)O, (long)H, (long)H,
                   best[0] * 1e3, layers[l][3] ? best[1] * 1e3 : 0.0, best[2] * 1e3);
            free(x), free(w), free(b), free(y), free(gx), free(gw), free(gb);
        }
    }
}

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Each call of the file (see b7_b8_calls.txt) repeated for about 0.1 s: its CPU time per call
 * (all threads, mean) and its fastest wall time, in microseconds; then each workload's step
 * total of both (calls per step times each). */
#define COLD_BYTES ((size_t)512 << 20)
static void bench_calls(const char *path, int threads)
{
    char *cold = getenv("COLD") ? malloc(COLD_BYTES) : NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        printf("cannot read %s\n", path);
        return;
    }
    char line[512], model[16], what[64], last[16] = "";
    double step_cpu = 0, step_wall = 0;
    tt_set_num_threads(threads);
    printf("%s, %d thread%s (us: CPU mean, wall best)\n", tt_gemm_isa(), threads,
           threads > 1 ? "s" : "");
    for (;;) {
        long count, batch, M, N, K, rsA, csA, sA, rsB, csB, sB;
        char form[16];
        const int eof = !fgets(line, sizeof line, f);
        if (!eof && (line[0] == '#' || line[0] == '\n'))
            continue;
        if (!eof && sscanf(line, "%15s %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %ld %15s %63s", model,
                           &count, &batch, &M, &N, &K, &rsA, &csA, &sA, &rsB, &csB, &sB, form,
                           what) != 14)
            continue;
        if (eof || strcmp(model, last)) {
            if (last[0])
                printf("  %s step total: CPU %.0f us, wall %.0f us\n", last, step_cpu, step_wall);
            if (eof)
                break;
            strcpy(last, model);
            step_cpu = step_wall = 0;
        }
        const int64_t eA = extent(M, K, rsA, csA) + (batch - 1) * sA;
        const int64_t eB = extent(K, N, rsB, csB) + (batch - 1) * sB;
        float *A = rand_buf(eA), *B = rand_buf(eB), *C = rand_buf(batch * M * N), *b = rand_buf(N);
        const tt_gemm_init bias = {strstr(form, "bias") ? b : NULL, 0, 1};
        float *packed = NULL;
        if (!strncmp(form, "packed", 6)) {
            packed = aligned_alloc(64, (tt_sgemm_packed_b_size(K, N) + 16) * sizeof(float));
            tt_sgemm_pack_b(K, N, B, rsB, csB, packed);
        }
        double cpu = 0, best = 1e30;
        int reps = 0;
        for (const double start = now(); reps < 3 || now() - start < (cold ? 1.0 : 0.1); reps++) {
            if (cold) /* the caches filled with other data, as between a training step's calls */
                memset(cold, reps, COLD_BYTES);
            const double c0 = cpu_now(), t0 = now();
            if (packed)
                tt_sgemm_packed(M, N, K, A, rsA, csA, packed, bias, C, N, 1);
            else if (!strcmp(form, "addmm"))
                tt_sgemm_init(M, N, K, A, rsA, csA, B, rsB, csB, bias, C, N, 1);
            else
                tt_sgemm_batched(batch, M, N, K, 1.0f, A, rsA, csA, sA, B, rsB, csB, sB, 0.0f, C,
                                 N, 1, M * N);
            const double t1 = now();
            if (reps > 0) /* (the first call warms the caches and the scratch buffers) */
                cpu += cpu_now() - c0;
            if (t1 - t0 < best)
                best = t1 - t0;
        }
        cpu = cpu / (reps - 1) * 1e6, best *= 1e6;
        step_cpu += count * cpu, step_wall += count * best;
        printf("  %-3s %-20s %3ldx %5ld x %5ld x %5ld  %9.1f %9.1f\n", model, what, batch, M, N,
               K, cpu, best);
        free(A), free(B), free(C), free(b), free(packed);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "test";
    if (!strcmp(what, "calls")) {
        const char *path = argc > 2 ? argv[2] : "b7_b8_calls.txt";
        for (int threads = 1; threads <= 2; threads++)
            if (argc <= 3 || atoi(argv[3]) == threads)
                bench_calls(path, threads);
        return 0;
    }
    if (argc > 2 && tt_gemm_force_isa(argv[2])) {
        printf("%s is not supported here\n", argv[2]);
        return 2;
    }
    if (!strcmp(what, "test")) {
        test_gemm();
        test_conv();
        printf("%d of %d checks failed\n", failures, checks);
        return failures != 0;
    }
    if (!strcmp(what, "bench")) {
        bench_gemm();
        return 0;
    }
    if (!strcmp(what, "conv")) {
        bench_conv();
        return 0;
    }
    printf("usage: gemm_bench test|bench|conv [ISA] | calls [FILE] [THREADS]\n");
    return 2;
}
