/* Standalone checks and timings of the native engine's GEMM (and conv, pooling), without
 * Node: build with bench/build.sh, then
 *   gemm_bench test     every supported ISA, 1-3 threads, against double-precision loops
 *   gemm_bench bench    GFLOP/s of the matmul shapes issue 9 and the training runs need */
#include "../gemm.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void tt_test_set_num_threads(int n); /* parallel_test.c */

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

static void test_gemm(void)
{
    static const int64_t sizes[][3] = {
        {1, 1, 1}, {0, 5, 3}, {5, 0, 3}, {4, 5, 0}, {1, 7, 13}, {7, 1, 13}, {13, 17, 1},
        {14, 32, 8}, {15, 33, 9}, {13, 31, 7}, {28, 64, 5}, {29, 65, 300}, {6, 16, 4},
        {7, 17, 5}, {8, 12, 3}, {31, 47, 53}, {97, 101, 103}, {290, 70, 257}, {3, 300, 520},
        {128, 10, 512}, {10, 128, 64}, {20, 800, 20}, {2, 4100, 3},
    };
    static const char *isas[] = {"AVX512", "AVX2", "NEON", "DEFAULT"};
    const char *best = tt_gemm_isa();
    for (int s = 0; s < 4; s++) {
        if (tt_gemm_force_isa(isas[s]))
            continue;
        for (int threads = 1; threads <= 3; threads++) {
            tt_test_set_num_threads(threads);
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
            check_gemm(5, 33, 40, 50, ROW_MAJOR, ROW_MAJOR, ROW_MAJOR, 1.0f, 0.0f, 0);
            check_gemm(3, 130, 140, 150, COL_MAJOR, ROW_MAJOR, ROW_MAJOR, 1.0f, 1.0f, 1);
            check_gemm(2, 1, 1, 1, ROW_MAJOR, ROW_MAJOR, ROW_MAJOR, 1.0f, 0.0f, 1);
            check_gemm(64, 64, 64, 32, ROW_MAJOR, COL_MAJOR, ROW_MAJOR, 1.0f, 0.0f, 0);
        }
    }
    tt_gemm_force_isa(best);
}

/* Best-of time of a GEMM C[M,N] = A[M,K] B[K,N] with the operands in the given layouts. */
static double gflops(int64_t M, int64_t N, int64_t K, int ta, int tb)
{
    float *A = rand_buf(M * K), *B = rand_buf(K * N), *C = rand_buf(M * N);
    const int64_t rsA = ta ? 1 : K, csA = ta ? M : 1, rsB = tb ? 1 : N, csB = tb ? K : 1;
    const double flop = 2.0 * M * N * K;
    int reps = (int)(2e8 / flop) + 1;
    double best = 1e30;
    for (int round = 0; round < 5; round++) {
        tt_sgemm(M, N, K, 1.0f, A, rsA, csA, B, rsB, csB, 0.0f, C, N, 1);
        const double t0 = now();
        for (int r = 0; r < reps; r++)
            tt_sgemm(M, N, K, 1.0f, A, rsA, csA, B, rsB, csB, 0.0f, C, N, 1);
        const double t = (now() - t0) / reps;
        if (t < best)
            best = t;
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
        tt_test_set_num_threads(threads);
        printf("%s, %d thread%s\n", tt_gemm_isa(), threads, threads > 1 ? "s" : "");
        for (size_t s = 0; s < sizeof(shapes) / sizeof(shapes[0]); s++)
            printf("  %-36s %5ld x %5ld x %5ld %s%s  %7.1f GFLOP/s\n", shapes[s].what,
                   (long)shapes[s].M, (long)shapes[s].N, (long)shapes[s].K,
                   shapes[s].ta ? "T" : "N", shapes[s].tb ? "T" : "N",
                   gflops(shapes[s].M, shapes[s].N, shapes[s].K, shapes[s].ta, shapes[s].tb));
    }
}

int main(int argc, char **argv)
{
    const char *what = argc > 1 ? argv[1] : "test";
    if (argc > 2 && tt_gemm_force_isa(argv[2])) {
        printf("%s is not supported here\n", argv[2]);
        return 2;
    }
    if (!strcmp(what, "test")) {
        test_gemm();
        printf("%d of %d GEMM checks failed\n", failures, checks);
        return failures != 0;
    }
    if (!strcmp(what, "bench")) {
        bench_gemm();
        return 0;
    }
    printf("usage: gemm_bench test|bench [ISA]\n");
    return 2;
}
