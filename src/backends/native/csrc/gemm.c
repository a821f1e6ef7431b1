/* BLIS-style SGEMM (Goto's algorithm; Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", 2015).
 *
 * For each NC-column block of B and KC-deep slice of K, B is packed into NR-column panels
 * (kept in L2/L3); for each MC-row block of A, A is packed into MR-row panels (kept in L2);
 * then a register-blocked micro-kernel multiplies one A panel by one B panel, the B panel
 * staying in L1 while the A panels stream past it. Packing is where the operands' strides
 * are absorbed, so the kernels only see contiguous, aligned panels.
 *
 * Threads split C into disjoint tiles; each thread packs its own panels, so nothing
 * writable is shared and no synchronisation is needed beyond the pool's join. */
#include "gemm.h"
#include "parallel.h"

#include <stdlib.h>
#include <string.h>

#if defined(__GNUC__) || defined(__clang__)
#define TT_ALWAYS_INLINE __attribute__((always_inline))
/* Full unrolling of the register tile loops is what keeps the accumulators in registers. */
#define TT_UNROLL _Pragma("GCC unroll 16")
#define TT_TLS __thread
#else
#define TT_ALWAYS_INLINE
#define TT_UNROLL
#define TT_TLS __declspec(thread)
#define restrict __restrict
#endif

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define TT_X86 1
#include <immintrin.h>
#endif
#if defined(__aarch64__)
#include <arm_neon.h>
#endif

#define TT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TT_CAT_(a, b) a##b
#define TT_CAT(a, b) TT_CAT_(a, b)

/* Switch cases for tiles of 1..MR rows (gemm_kernel.inc). */
#define TT_CASES_1 TT_CASE(1)
#define TT_CASES_2 TT_CASES_1 TT_CASE(2)
#define TT_CASES_3 TT_CASES_2 TT_CASE(3)
#define TT_CASES_4 TT_CASES_3 TT_CASE(4)
#define TT_CASES_5 TT_CASES_4 TT_CASE(5)
#define TT_CASES_6 TT_CASES_5 TT_CASE(6)
#define TT_CASES_7 TT_CASES_6 TT_CASE(7)
#define TT_CASES_8 TT_CASES_7 TT_CASE(8)
#define TT_CASES_9 TT_CASES_8 TT_CASE(9)
#define TT_CASES_10 TT_CASES_9 TT_CASE(10)
#define TT_CASES_11 TT_CASES_10 TT_CASE(11)
#define TT_CASES_12 TT_CASES_11 TT_CASE(12)
#define TT_CASES_13 TT_CASES_12 TT_CASE(13)
#define TT_CASES_14 TT_CASES_13 TT_CASE(14)

/* ---- Scratch ---------------------------------------------------------------------------- */

#define TT_SCRATCH_SLOTS 4

static TT_TLS struct {
    void *raw;
    size_t cap;
} scratch[TT_SCRATCH_SLOTS];

void *tt_thread_scratch(int slot, size_t bytes)
{
    if (slot < 0 || slot >= TT_SCRATCH_SLOTS)
        return NULL;
    if (scratch[slot].cap < bytes) {
        /* Grow by half again so a slowly growing size does not reallocate every call. */
        size_t cap = bytes + bytes / 2;
        void *raw = malloc(cap + 64);
        if (!raw)
            return NULL;
        free(scratch[slot].raw);
        scratch[slot].raw = raw;
        scratch[slot].cap = cap;
    }
    return (void *)(((uintptr_t)scratch[slot].raw + 63) & ~(uintptr_t)63);
}

/* ---- Micro-kernels ---------------------------------------------------------------------- */

/* C[0:m, 0:n] = alpha * tile + beta * C for the tiles the vector stores cannot write
 * directly: partial columns, or a C whose columns are not contiguous. */
static void store_tile(const float *tile, int ldt, float *c, int64_t rsc, int64_t csc,
                       int m, int n, float alpha, float beta)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            float *cp = c + i * rsc + j * csc;
            const float ab = alpha * tile[i * ldt + j];
            *cp = beta == 0.0f ? ab : ab + beta * *cp;
        }
}

typedef void (*tt_ukernel)(int64_t kc, const float *a, const float *b, float *c,
                           int64_t rsc, int64_t csc, int m, int n, float alpha, float beta);

typedef struct {
    const char *name;
    int mr, nr;     /* register tile */
    int mc, kc, nc; /* cache blocks: an MC x KC block of A in L2, a KC x NR panel of B in L1 */
    tt_ukernel kernel;
} gemm_impl;

/* Portable C. With GCC or Clang, 16-byte generic vectors (SSE2 on any x86-64, NEON on
 * 32-bit ARM, scalar code elsewhere): 6 x 8, 12 accumulators + 3 of 16 registers. Other
 * compilers get a scalar 4 x 3 tile. */
#if defined(__GNUC__) || defined(__clang__)
typedef float tt_v4 __attribute__((vector_size(16)));
static inline tt_v4 tt_v4_loadu(const float *p)
{
    tt_v4 v;
    memcpy(&v, p, sizeof v);
    return v;
}
static inline void tt_v4_storeu(float *p, tt_v4 v) { memcpy(p, &v, sizeof v); }
#define PORTABLE_MR 6
#define PORTABLE_NR 8
#define VEC tt_v4
#define VW 4
#define NV 2
#define VLOAD(p) (*(const tt_v4 *)(p))
#define VLOADU(p) tt_v4_loadu(p)
#define VSTOREU(p, v) tt_v4_storeu(p, v)
#define VSPLAT(x) ((tt_v4){(x), (x), (x), (x)})
#define VZERO ((tt_v4){0.0f, 0.0f, 0.0f, 0.0f})
#else
#define PORTABLE_MR 4
#define PORTABLE_NR 3
#define VEC float
#define VW 1
#define NV 3
#define VLOAD(p) (*(p))
#define VLOADU(p) (*(p))
#define VSTOREU(p, v) (*(p) = (v))
#define VSPLAT(x) (x)
#define VZERO 0.0f
#endif
#define KNAME(x) portable_##x
#define TT_TARGET
#define MR PORTABLE_MR
#define VMUL(a, b) ((a) * (b))
#define VFMA(a, b, c) ((a) * (b) + (c))
#include "gemm_kernel.inc"
#undef KNAME
#undef TT_TARGET
#undef VEC
#undef VW
#undef MR
#undef NV
#undef VLOAD
#undef VLOADU
#undef VSTOREU
#undef VSPLAT
#undef VZERO
#undef VMUL
#undef VFMA

#ifdef TT_X86
/* AVX2 + FMA: 6 x 16, 12 ymm accumulators + 2 for B + 1 broadcast = 15 of 16 registers. */
#define KNAME(x) avx2_##x
#define TT_TARGET __attribute__((target("avx2,fma")))
#define VEC __m256
#define VW 8
#define MR 6
#define NV 2
#define VLOAD(p) _mm256_load_ps(p)
#define VLOADU(p) _mm256_loadu_ps(p)
#define VSTOREU(p, v) _mm256_storeu_ps(p, v)
#define VSPLAT(x) _mm256_set1_ps(x)
#define VZERO _mm256_setzero_ps()
#define VMUL(a, b) _mm256_mul_ps(a, b)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#include "gemm_kernel.inc"
#undef KNAME
#undef TT_TARGET
#undef VEC
#undef VW
#undef MR
#undef NV
#undef VLOAD
#undef VLOADU
#undef VSTOREU
#undef VSPLAT
#undef VZERO
#undef VMUL
#undef VFMA

/* AVX-512: 14 x 32, 28 zmm accumulators + 2 for B; A is broadcast straight from memory
 * into the FMAs. */
#define KNAME(x) avx512_##x
#define TT_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma")))
#define VEC __m512
#define VW 16
#define MR 14
#define NV 2
#define VLOAD(p) _mm512_load_ps(p)
#define VLOADU(p) _mm512_loadu_ps(p)
#define VSTOREU(p, v) _mm512_storeu_ps(p, v)
#define VSPLAT(x) _mm512_set1_ps(x)
#define VZERO _mm512_setzero_ps()
#define VMUL(a, b) _mm512_mul_ps(a, b)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#include "gemm_kernel.inc"
#undef KNAME
#undef TT_TARGET
#undef VEC
#undef VW
#undef MR
#undef NV
#undef VLOAD
#undef VLOADU
#undef VSTOREU
#undef VSPLAT
#undef VZERO
#undef VMUL
#undef VFMA
#endif /* TT_X86 */

#ifdef __aarch64__
/* NEON: 8 x 12, 24 q-register accumulators + 3 for B + 1 broadcast of 32 registers. */
#define KNAME(x) neon_##x
#define TT_TARGET
#define VEC float32x4_t
#define VW 4
#define MR 8
#define NV 3
#define VLOAD(p) vld1q_f32(p)
#define VLOADU(p) vld1q_f32(p)
#define VSTOREU(p, v) vst1q_f32(p, v)
#define VSPLAT(x) vdupq_n_f32(x)
#define VZERO vdupq_n_f32(0.0f)
#define VMUL(a, b) vmulq_f32(a, b)
#define VFMA(a, b, c) vfmaq_f32(c, a, b)
#include "gemm_kernel.inc"
#undef KNAME
#undef TT_TARGET
#undef VEC
#undef VW
#undef MR
#undef NV
#undef VLOAD
#undef VLOADU
#undef VSTOREU
#undef VSPLAT
#undef VZERO
#undef VMUL
#undef VFMA
#endif

/* Widest first. KC keeps a KC x NR panel of B within L1 (32 KiB for AVX-512's NR = 32);
 * MC keeps the MC x KC block of A within half of L2. */
static const gemm_impl impls[] = {
#ifdef TT_X86
    {"AVX512", 14, 32, 280, 256, 4096, avx512_kernel},
    {"AVX2", 6, 16, 144, 256, 4096, avx2_kernel},
#endif
#ifdef __aarch64__
    {"NEON", 8, 12, 128, 256, 4096, neon_kernel},
#endif
    {"DEFAULT", PORTABLE_MR, PORTABLE_NR, 96, 256, 4096, portable_kernel},
};
#define N_IMPLS ((int)(sizeof(impls) / sizeof(impls[0])))

static int impl_supported(const gemm_impl *im)
{
#ifdef TT_X86
    __builtin_cpu_init();
    if (!strcmp(im->name, "AVX512"))
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512dq") && __builtin_cpu_supports("avx512bw");
    if (!strcmp(im->name, "AVX2"))
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#endif
    (void)im;
    return 1;
}

static const gemm_impl *current;

static const gemm_impl *impl(void)
{
    /* Racing first calls all store the same pointer. */
    if (!current) {
        int i = 0;
        while (!impl_supported(&impls[i]))
            i++;
        current = &impls[i];
    }
    return current;
}

const char *tt_gemm_isa(void) { return impl()->name; }

int tt_gemm_force_isa(const char *name)
{
    int i = 0;
    while (i < N_IMPLS && strcmp(impls[i].name, name))
        i++;
    if (i == N_IMPLS || !impl_supported(&impls[i]))
        return -1;
    current = &impls[i];
    return 0;
}

/* ---- Packing ---------------------------------------------------------------------------- */

/* A[0:mc, 0:kc] into panels of mr rows: panel q holds, for each p, A[q*mr + 0..mr-1, p].
 * Rows past mc in the last panel are left unset: the kernels never read them. */
static void pack_a(int64_t mc, int64_t kc, const float *A, int64_t rsA, int64_t csA, int mr,
                   float *restrict dst)
{
    for (int64_t i0 = 0; i0 < mc; i0 += mr) {
        const int rows = (int)TT_MIN(mr, mc - i0);
        const float *src = A + i0 * rsA;
        if (rsA == 1) {
            for (int64_t p = 0; p < kc; p++)
                memcpy(dst + p * mr, src + p * csA, rows * sizeof(float));
        } else {
            for (int64_t p = 0; p < kc; p++)
                for (int i = 0; i < rows; i++)
                    dst[p * mr + i] = src[i * rsA + p * csA];
        }
        dst += kc * mr;
    }
}

/* B[0:kc, 0:nc] into panels of nr columns: panel q holds, for each p, B[p, q*nr + 0..nr-1],
 * zero padded past nc (the kernels compute whole vectors and discard the padding). */
static void pack_b(int64_t kc, int64_t nc, const float *B, int64_t rsB, int64_t csB, int nr,
                   float *restrict dst)
{
    for (int64_t j0 = 0; j0 < nc; j0 += nr) {
        const int cols = (int)TT_MIN(nr, nc - j0);
        const float *src = B + j0 * csB;
        for (int64_t p = 0; p < kc; p++) {
            float *d = dst + p * nr;
            if (csB == 1) {
                memcpy(d, src + p * rsB, cols * sizeof(float));
            } else {
                for (int j = 0; j < cols; j++)
                    d[j] = src[p * rsB + j * csB];
            }
            for (int j = cols; j < nr; j++)
                d[j] = 0.0f;
        }
        dst += kc * nr;
    }
}

/* ---- Driver ----------------------------------------------------------------------------- */

static int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }

/* C = beta * C where the product contributes nothing (K == 0 or alpha == 0). */
static void scale_c(int64_t M, int64_t N, float beta, float *C, int64_t rsC, int64_t csC)
{
    for (int64_t i = 0; i < M; i++)
        for (int64_t j = 0; j < N; j++) {
            float *cp = C + i * rsC + j * csC;
            *cp = beta == 0.0f ? 0.0f : beta * *cp;
        }
}

/* One thread's GEMM on its own tile of C. */
static void gemm_serial(const gemm_impl *im, int64_t M, int64_t N, int64_t K, float alpha,
                       const float *A, int64_t rsA, int64_t csA,
                       const float *B, int64_t rsB, int64_t csB,
                       float beta, float *C, int64_t rsC, int64_t csC)
{
    const int mr = im->mr, nr = im->nr;
    const int64_t kcmax = TT_MIN(K, im->kc);
    float *bpack = tt_thread_scratch(0, kcmax * round_up(TT_MIN(N, im->nc), nr) * sizeof(float));
    float *apack = tt_thread_scratch(1, kcmax * round_up(TT_MIN(M, im->mc), mr) * sizeof(float));
    if (!bpack || !apack) {
        /* No memory for the packing buffers: BLAS's interface has no error channel, so
         * fall back to the unblocked product, which needs none. */
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) {
                float s = 0.0f;
                for (int64_t p = 0; p < K; p++)
                    s += A[i * rsA + p * csA] * B[p * rsB + j * csB];
                store_tile(&s, 1, C + i * rsC + j * csC, rsC, csC, 1, 1, alpha, beta);
            }
        return;
    }
    for (int64_t jc = 0; jc < N; jc += im->nc) {
        const int64_t nc = TT_MIN(im->nc, N - jc);
        for (int64_t pc = 0; pc < K; pc += im->kc) {
            const int64_t kc = TT_MIN(im->kc, K - pc);
            /* Later K slices accumulate onto what the first one wrote. */
            const float beta_k = pc == 0 ? beta : 1.0f;
            pack_b(kc, nc, B + pc * rsB + jc * csB, rsB, csB, nr, bpack);
            for (int64_t ic = 0; ic < M; ic += im->mc) {
                const int64_t mc = TT_MIN(im->mc, M - ic);
                pack_a(mc, kc, A + ic * rsA + pc * csA, rsA, csA, mr, apack);
                for (int64_t jr = 0; jr < nc; jr += nr) {
                    const int n = (int)TT_MIN(nr, nc - jr);
                    for (int64_t ir = 0; ir < mc; ir += mr) {
                        const int m = (int)TT_MIN(mr, mc - ir);
                        im->kernel(kc, apack + ir * kc, bpack + jr * kc,
                                   C + (ic + ir) * rsC + (jc + jr) * csC, rsC, csC, m, n,
                                   alpha, beta_k);
                    }
                }
            }
        }
    }
}

/* Work per thread below which threading costs more than it saves (multiply-adds). */
#define TT_GEMM_MIN_WORK_PER_THREAD ((int64_t)1 << 21)

typedef struct {
    const gemm_impl *im;
    int64_t M, N, K;
    float alpha, beta;
    const float *A;
    int64_t rsA, csA, sA;
    const float *B;
    int64_t rsB, csB, sB;
    float *C;
    int64_t rsC, csC, sC;
    int64_t tm, tn;       /* grid of tiles of C per product, one task each */
    int64_t mstep, nstep; /* rows and columns of a tile */
} gemm_job;

static void gemm_tasks(void *ctx, int64_t begin, int64_t end)
{
    gemm_job *j = ctx;
    for (int64_t t = begin; t < end; t++) {
        const int64_t per = j->tm * j->tn, b = t / per;
        const int64_t i0 = (t % per) / j->tn * j->mstep, j0 = (t % per) % j->tn * j->nstep;
        if (i0 >= j->M || j0 >= j->N)
            continue;
        gemm_serial(j->im, TT_MIN(j->mstep, j->M - i0), TT_MIN(j->nstep, j->N - j0), j->K,
                    j->alpha, j->A + b * j->sA + i0 * j->rsA, j->rsA, j->csA,
                    j->B + b * j->sB + j0 * j->csB, j->rsB, j->csB, j->beta,
                    j->C + b * j->sC + i0 * j->rsC + j0 * j->csC, j->rsC, j->csC);
    }
}

/* Tiles of C padded to whole register tiles, the cost the kernels actually pay. */
static double padded_area(const gemm_impl *im, int64_t M, int64_t N)
{
    return (double)round_up(M, im->mr) * (double)round_up(N, im->nr);
}

void tt_sgemm_batched(int64_t batch, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t rsA, int64_t csA, int64_t sA,
                      const float *B, int64_t rsB, int64_t csB, int64_t sB,
                      float beta, float *C, int64_t rsC, int64_t csC, int64_t sC)
{
    if (batch <= 0 || M <= 0 || N <= 0)
        return;
    if (K <= 0 || alpha == 0.0f) {
        for (int64_t b = 0; b < batch; b++)
            scale_c(M, N, beta, C + b * sC, rsC, csC);
        return;
    }
    const gemm_impl *im = impl();

    /* C^T = B^T A^T: the same product with the roles of rows and columns swapped, taken
     * when it pads less (a skinny N such as 10 classes) or when only it writes C's rows
     * contiguously. */
    const double keep = padded_area(im, M, N) * (csC == 1 ? 1.0 : 1.5);
    const double swap = padded_area(im, N, M) * (rsC == 1 ? 1.0 : 1.5);
    gemm_job j = {im, M, N, K, alpha, beta, A, rsA, csA, sA, B, rsB, csB, sB,
                  C, rsC, csC, sC, 1, 1, M, N};
    if (swap < keep) {
        gemm_job t = {im, N, M, K, alpha, beta, B, csB, rsB, sB, A, csA, rsA, sA,
                      C, csC, rsC, sC, 1, 1, N, M};
        j = t;
    }

    const double work = (double)batch * (double)M * (double)N * (double)K;
    const int64_t want = (int64_t)(work / (double)TT_GEMM_MIN_WORK_PER_THREAD);
    const int64_t nt = TT_MIN(tt_get_num_threads(), want < 1 ? 1 : want);
    int64_t grain = 1;
    if (batch >= nt) {
        grain = (batch + nt - 1) / nt;
    } else {
        /* Split each product into parts tiles; pick the grid whose largest tile (compute
         * plus the packing each tile repeats) is smallest. */
        const int64_t parts = (nt + batch - 1) / batch;
        const int64_t mb = (j.M + im->mr - 1) / im->mr, nb = (j.N + im->nr - 1) / im->nr;
        double best = -1;
        for (int64_t tm = parts; tm >= 1; tm--) {
            if (parts % tm)
                continue;
            const int64_t tn = parts / tm;
            const int64_t ms = (mb + tm - 1) / tm * im->mr, ns = (nb + tn - 1) / tn * im->nr;
            const double cost = (double)ms * ns + 6.0 * (ms + ns);
            if (best < 0 || cost < best) {
                best = cost;
                j.tm = tm, j.tn = tn, j.mstep = ms, j.nstep = ns;
            }
        }
    }
    tt_parallel_for(0, batch * j.tm * j.tn, grain, gemm_tasks, &j);
}

void tt_sgemm(int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t rsA, int64_t csA,
              const float *B, int64_t rsB, int64_t csB,
              float beta, float *C, int64_t rsC, int64_t csC)
{
    tt_sgemm_batched(1, M, N, K, alpha, A, rsA, csA, 0, B, rsB, csB, 0, beta, C, rsC, csC, 0);
}
