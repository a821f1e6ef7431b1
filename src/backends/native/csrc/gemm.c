/* BLIS-style SGEMM (Goto's algorithm; Van Zee & van de Geijn, "BLIS: A Framework for Rapidly
 * Instantiating BLAS Functionality", 2015).
 *
 * For each NC-column block of B and KC-deep slice of K, B is packed into NR-column panels
 * (kept in L2/L3); for each MC-row block of A, A is packed into MR-row panels (kept in L2)
 * or, for narrow products, read in place through its strides; then a register-blocked
 * micro-kernel multiplies MR rows of A by one B panel, the B panel staying in L1 while the
 * rows of A stream past it. Packing is where B's strides are absorbed (transposed and
 * broadcast operands included), so the kernels' vector loads see one contiguous panel.
 *
 * Threads take blocks of C from a counter and share B's packing (Note [GEMM tasks]). */
#include "gemm.h"
#include "parallel.h"
#include "tt_compiler.h"

#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#if (defined(__GNUC__) || defined(__clang__)) && defined(__x86_64__)
#define TT_X86 1
#include <immintrin.h>
#endif
#if defined(__aarch64__)
#include <arm_neon.h>
#endif

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
    if (!scratch[slot].raw || scratch[slot].cap < bytes) { /* (even for 0 bytes: not NULL) */
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

/* ---- Packing ---------------------------------------------------------------------------- */

/* dst[0:n] = src[0:n], in 4-float vectors. */
static inline void copy_run(float *dst, const float *src, int n)
{
    int x = 0;
    for (; x + 4 <= n; x += 4) {
#if defined(TT_X86)
        _mm_storeu_ps(dst + x, _mm_loadu_ps(src + x));
#elif defined(__aarch64__)
        vst1q_f32(dst + x, vld1q_f32(src + x));
#else
        dst[x] = src[x], dst[x + 1] = src[x + 1], dst[x + 2] = src[x + 2];
        dst[x + 3] = src[x + 3];
#endif
    }
    for (; x < n; x++)
        dst[x] = src[x];
}

/* dst[j * ldd + i] = src[i * lds + j] for i, j < 4. */
static inline void transpose4x4(const float *src, int64_t lds, float *dst, int64_t ldd)
{
#if defined(TT_X86)
    __m128 r0 = _mm_loadu_ps(src), r1 = _mm_loadu_ps(src + lds);
    __m128 r2 = _mm_loadu_ps(src + 2 * lds), r3 = _mm_loadu_ps(src + 3 * lds);
    _MM_TRANSPOSE4_PS(r0, r1, r2, r3);
    _mm_storeu_ps(dst, r0), _mm_storeu_ps(dst + ldd, r1);
    _mm_storeu_ps(dst + 2 * ldd, r2), _mm_storeu_ps(dst + 3 * ldd, r3);
#elif defined(__aarch64__)
    const float32x4_t r0 = vld1q_f32(src), r1 = vld1q_f32(src + lds);
    const float32x4_t r2 = vld1q_f32(src + 2 * lds), r3 = vld1q_f32(src + 3 * lds);
    const float32x4x2_t t01 = vtrnq_f32(r0, r1), t23 = vtrnq_f32(r2, r3);
    vst1q_f32(dst, vcombine_f32(vget_low_f32(t01.val[0]), vget_low_f32(t23.val[0])));
    vst1q_f32(dst + ldd, vcombine_f32(vget_low_f32(t01.val[1]), vget_low_f32(t23.val[1])));
    vst1q_f32(dst + 2 * ldd, vcombine_f32(vget_high_f32(t01.val[0]), vget_high_f32(t23.val[0])));
    vst1q_f32(dst + 3 * ldd, vcombine_f32(vget_high_f32(t01.val[1]), vget_high_f32(t23.val[1])));
#else
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4; j++)
            dst[j * ldd + i] = src[i * lds + j];
#endif
}

#ifdef TT_X86
/* dst[j * ldd + i] = src[i * lds + j] for i, j < 8, for the AVX2 and AVX-512 kernels' packing:
 * rows i and i + 4 are paired into one register by the loads (an insert from memory runs on
 * the load ports), which leaves two in-lane 4 x 4 transposes, 16 shuffles for 64 floats where
 * four transpose4x4 take 32. */
static inline TT_ALWAYS_INLINE __attribute__((target("avx"))) void transpose8x8(
    const float *src, int64_t lds, float *dst, int64_t ldd)
{
    __m256 r[8];
    for (int h = 0; h < 2; h++)     /* columns 4h .. 4h + 3 */
        for (int i = 0; i < 4; i++) /* rows i and i + 4 */
            r[4 * h + i] = _mm256_insertf128_ps(_mm256_castps128_ps256(_mm_loadu_ps(src + i * lds + 4 * h)),
                                                _mm_loadu_ps(src + (i + 4) * lds + 4 * h), 1);
    for (int h = 0; h < 2; h++) {
        const __m256 t0 = _mm256_unpacklo_ps(r[4 * h], r[4 * h + 1]);
        const __m256 t1 = _mm256_unpackhi_ps(r[4 * h], r[4 * h + 1]);
        const __m256 t2 = _mm256_unpacklo_ps(r[4 * h + 2], r[4 * h + 3]);
        const __m256 t3 = _mm256_unpackhi_ps(r[4 * h + 2], r[4 * h + 3]);
        float *d = dst + 4 * h * ldd;
        _mm256_storeu_ps(d, _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(1, 0, 1, 0)));
        _mm256_storeu_ps(d + ldd, _mm256_shuffle_ps(t0, t2, _MM_SHUFFLE(3, 2, 3, 2)));
        _mm256_storeu_ps(d + 2 * ldd, _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(1, 0, 1, 0)));
        _mm256_storeu_ps(d + 3 * ldd, _mm256_shuffle_ps(t1, t3, _MM_SHUFFLE(3, 2, 3, 2)));
    }
}
#endif

/* Packs an n x kc block of an operand, whose element (x, p) is src[x * sx + p * sp], into
 * panels of w: panel q holds, for each p in turn, elements x = q*w .. q*w + w-1, zero padded
 * past n (the kernels compute whole vectors and discard the padding). A is packed with x
 * running over its rows, B over its columns. */
static TT_NO_MEMCPY_CALLS void pack(int64_t n, int64_t kc, const float *src, int64_t sx,
                                    int64_t sp, int w, float *restrict dst)
{
    if (n <= 0)
        return;
    if (sx == 1) {
        /* Each step p is one contiguous run across all the panels, read 8 steps at a time (a
         * panel at a time would touch a new line, often a new page, per 8 floats), and each
         * panel's share of the 8 steps written at once: whole lines (a step at a time wrote
         * half lines of A's panels into places a multiple of 4 KB apart, all in one L1 set, so
         * that each line was fetched twice: packing a column-major A took a quarter of B7's dW
         * products, 512 x 128 x 1024, at 11 GB/s). */
        for (int64_t p0 = 0; p0 < kc; p0 += 8) {
            const int64_t p1 = TT_MIN(kc, p0 + 8);
            /* (runs far apart, each a page or two: the hardware's prefetcher, which stays
             * within a page, would meet each cold; fetching the runs 8 steps ahead halves the
             * time of packing the 28 MB A of a 10000 x 200 x 700 dW) */
            for (int64_t p = p1; p < TT_MIN(kc, p1 + 8); p++)
                for (int64_t x = 0; x < n; x += 16)
                    TT_PREFETCH_R(src + p * sp + x);
            for (int64_t x0 = 0; x0 < n; x0 += w)
                for (int64_t p = p0; p < p1; p++)
                    copy_run(dst + x0 * kc + p * w, src + p * sp + x0, (int)TT_MIN(w, n - x0));
        }
    } else {
        for (int64_t x0 = 0; x0 < n; x0 += w) {
            const int cnt = (int)TT_MIN(w, n - x0);
            const float *s = src + x0 * sx;
            float *d = dst + x0 * kc;
            int64_t p = 0;
            if (sp == 1) {
                /* A transpose, by 4 x 4 blocks in registers: reads run along p a line at a
                 * time, so the lines being read stay in L1 even when sx is a power of two that
                 * maps them all to a few cache sets. */
                for (; p + 4 <= kc; p += 4) {
                    int x = 0;
                    for (; x + 4 <= cnt; x += 4)
                        transpose4x4(s + x * sx + p, sx, d + p * w + x, w);
                    for (; x < cnt; x++)
                        for (int q = 0; q < 4; q++)
                            d[(p + q) * w + x] = s[x * sx + p + q];
                }
            }
            for (; p < kc; p++)
                for (int x = 0; x < cnt; x++)
                    d[p * w + x] = s[x * sx + p * sp];
        }
    }
    const int64_t last = (n - 1) / w * w, cnt = n - last;
    if (cnt < w)
        for (int64_t p = 0; p < kc; p++)
            for (int64_t x = cnt; x < w; x++)
                dst[last * kc + p * w + x] = 0.0f;
}

/* ---- Micro-kernels ---------------------------------------------------------------------- */

/* C[0:m, 0:n] = alpha * tile + beta * C_in for the tiles the vector stores cannot write
 * directly: partial columns, or a C whose columns are not contiguous. C_in, C's old values, is
 * read at ci (strides rsi, csi): C itself, or addmm's starting values (tt_gemm_init). */
static void store_tile(const float *tile, int ldt, float *c, int64_t rsc, int64_t csc,
                       const float *ci, int64_t rsi, int64_t csi, int m, int n, float alpha,
                       float beta)
{
    for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++) {
            const float ab = alpha * tile[i * ldt + j];
            c[i * rsc + j * csc] = beta == 0.0f ? ab : ab + beta * ci[i * rsi + j * csi];
        }
}

/* The micro-kernel (gemm_kernel.inc): C = alpha * A.B + beta * C_in on one tile, C_in being C
 * itself or, where c_in is not NULL, the tile's starting values c_in describes (addmm's C0 at
 * the tile). (One pointer rather than three arguments, and the kernel's loop counting down:
 * each register taken across the loop spills a row address of an A read in place, which cost
 * the small products of B7's attention 3 to 5%; 0 to 3% left, one thread.) */
typedef void (*tt_ukernel)(int64_t kc, const float *a, int64_t rsa, int64_t csa,
                           const float *b, int64_t ldb, const float *pf, float *ao, float *c,
                           int64_t rsc, int64_t csc, const tt_gemm_init *c_in, int m, int n,
                           float alpha, float beta);

typedef struct {
    const char *name;
    int mr, nr, vw; /* register tile, and the vector width in floats */
    int mc, kc, nc; /* cache blocks: an MC x KC block of A in L2, a KC x NR panel of B in L1 */
    tt_ukernel kernel;
    void (*pack_b)(int64_t n, int64_t kc, const float *src, int64_t sx, int64_t sp, float *dst);
    void (*pack)(int64_t n, int64_t kc, const float *src, int64_t sx, int64_t sp, int w, float *dst);
    int c_by_columns; /* the kernel writes whole tiles of a C stored by columns as vectors */
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
#define PORTABLE_VW 4
#define VEC tt_v4
#define VW 4
#define NV 2
#define VLOAD(p) (*(const tt_v4 *)(p))
#define VLOADU(p) tt_v4_loadu(p)
#define VSTORE(p, v) (*(tt_v4 *)(p) = (v))
#define VSTOREU(p, v) tt_v4_storeu(p, v)
#define VSPLAT(x) ((tt_v4){(x), (x), (x), (x)})
#define VZERO ((tt_v4){0.0f, 0.0f, 0.0f, 0.0f})
#else
#define PORTABLE_MR 4
#define PORTABLE_NR 3
#define PORTABLE_VW 1
#define VEC float
#define VW 1
#define NV 3
#define VLOAD(p) (*(p))
#define VLOADU(p) (*(p))
#define VSTORE(p, v) (*(p) = (v))
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

#ifdef TT_X86
/* AVX2 + FMA: 6 x 16, 12 ymm accumulators + 2 for B + 1 broadcast = 15 of 16 registers. */
#define KNAME(x) avx2_##x
#define TT_TARGET __attribute__((target("avx2,fma")))
#define TRANSPOSE8 transpose8x8
#define VEC __m256
#define VW 8
#define MR 6
#define NV 2
#define VLOAD(p) _mm256_load_ps(p)
#define VLOADU(p) _mm256_loadu_ps(p)
#define VSTORE(p, v) _mm256_store_ps(p, v)
#define VSTOREU(p, v) _mm256_storeu_ps(p, v)
#define VSPLAT(x) _mm256_set1_ps(x)
#define VZERO _mm256_setzero_ps()
#define VMUL(a, b) _mm256_mul_ps(a, b)
#define VFMA(a, b, c) _mm256_fmadd_ps(a, b, c)
#include "gemm_kernel.inc"

/* AVX-512: 8 x 32, 16 zmm accumulators + 2 for B, A broadcast straight from memory into
 * the FMAs (10 loads per 16 FMAs keeps both FMA ports busy). Eight rows also leave a
 * general register for each row's address when A is read unpacked, and divide the sizes
 * that occur most (128, 512, 784, 1024). */
#define KNAME(x) avx512_##x
#define TT_TARGET __attribute__((target("avx512f,avx512vl,avx512dq,avx512bw,fma")))
#define TRANSPOSE8 transpose8x8
#define VEC __m512
#define VW 16
#define MR 8
#define NV 2
#define VLOAD(p) _mm512_load_ps(p)
#define VLOADU(p) _mm512_loadu_ps(p)
#define VSTORE(p, v) _mm512_store_ps(p, v)
#define VSTOREU(p, v) _mm512_storeu_ps(p, v)
#define VSPLAT(x) _mm512_set1_ps(x)
#define VZERO _mm512_setzero_ps()
#define VMUL(a, b) _mm512_mul_ps(a, b)
#define VFMA(a, b, c) _mm512_fmadd_ps(a, b, c)
#include "gemm_kernel.inc"
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
#define VSTORE(p, v) vst1q_f32(p, v)
#define VSTOREU(p, v) vst1q_f32(p, v)
#define VSPLAT(x) vdupq_n_f32(x)
#define VZERO vdupq_n_f32(0.0f)
#define VMUL(a, b) vmulq_f32(a, b)
#define VFMA(a, b, c) vfmaq_f32(c, a, b)
#include "gemm_kernel.inc"
#endif

/* Widest first. KC keeps a KC x NR panel of B within L1 (32 KiB for AVX-512's NR = 32);
 * MC keeps the MC x KC block of A within L2 (under half of 2 MiB) while the B panels stream
 * past it; a KC x NC block of B fits the L3. */
static const gemm_impl impls[] = {
#ifdef TT_X86
    {"AVX512", 8, 32, 16, 384, 256, 4096, avx512_kernel, avx512_pack_b, avx512_pack, 1},
    {"AVX2", 6, 16, 8, 144, 256, 4096, avx2_kernel, avx2_pack_b, avx2_pack, 0},
#endif
#ifdef __aarch64__
    {"NEON", 8, 12, 4, 128, 256, 4096, neon_kernel, neon_pack_b, neon_pack, 0},
#endif
    {"DEFAULT", PORTABLE_MR, PORTABLE_NR, PORTABLE_VW, 96, 256, 4096, portable_kernel,
     portable_pack_b, portable_pack, 0},
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

/* ---- Driver ----------------------------------------------------------------------------- */

static int64_t round_up(int64_t x, int64_t m) { return (x + m - 1) / m * m; }
static int64_t ceil_div(int64_t x, int64_t m) { return (x + m - 1) / m; }

/* C = beta * C where the product contributes nothing (K == 0 or alpha == 0). */
static void scale_c(int64_t M, int64_t N, float beta, float *C, int64_t rsC, int64_t csC)
{
    for (int64_t i = 0; i < M; i++)
        for (int64_t j = 0; j < N; j++) {
            float *cp = C + i * rsC + j * csC;
            *cp = beta == 0.0f ? 0.0f : beta * *cp;
        }
}

/* Whether B (rows rsB apart) is read in place rather than packed (see run_task): its rows
 * are contiguous and few enough rows of A pass each panel that packing would cost more than
 * the cache misses of reading the panel where it is. Past 4 MR rows, not where its rows are a
 * multiple of 512 bytes apart, which puts all of a panel's rows in at most 16 of L1's 64 sets
 * (4 KB: one set, each row on its own page), too few to keep the panel while the row tiles
 * pass it. Measured against packing (one thread, M x N x K): 128 x 784 x 512 +10%, 48 x 1000 x
 * 100 +7%, 100 x 300 x 200 +4%, 96^3 +2%; with rows 512 B and 2 KB apart, 128^3 -20%, 128 x
 * 128 x 512 -20%, 128 x 512 x 512 -19%, 128 x 512 x 10 -44%; with rows 4, 8 and 16 KB apart -6%,
 * -45% and -37% at 100 to 128 rows; but +25% and +19% at 10 and 32 rows (10 x 2048 x 512, 32 x
 * 1024 x 256), and +20% at 32 x 800 x 200. */
#define B_IN_PLACE(im, M, rsB) \
    ((M) <= 4 * (im)->mr || ((M) <= 16 * (im)->mr && (rsB) % 128 != 0))

/* Note [GEMM tasks]: a product is cut into a grid of tasks, each a block of C's rows and
 * columns over all of K, and the threads take tasks from a counter until none is left, so a
 * thread slowed by other work on its core takes fewer (each element of C is computed by the
 * same steps whichever thread runs its task: the bits never depend on timing). B is packed
 * once for the whole product, into panels shared by all the tasks: a task about to use a KC
 * slice of B first packs the groups of panels of that slice which no thread has claimed yet,
 * so the threads split the packing between them without a barrier; a panel another thread is
 * still packing is read in place where B allows it (the same sums), else waited for. A is
 * packed by each task for its own rows. */

/* Note [Small products by columns]: a product whose A is small (in L2) and row-major, and no
 * taller than B is wide, is split by columns: each thread packs and reads only its own panels of
 * B and shares only A, which nobody writes (where a task's panels are more than 4, each packs
 * its own copy of A, whole). Split by rows, the threads shared B's packed panels across the
 * cores: 128^3 packed all of its B as one group, by one thread, into lines the other thread then
 * read from the first's cache, while reading its first panels in place, rows 512 B apart. C
 * cycling through blocks (as the allocator's outputs do) and 2 us between calls (as in Node) made
 * it worse. 2 threads, each run at real-time priority on a busy machine, alternated, us a call:
 * 128^3 17.8 -> 13.0 (harness, C through 512 blocks), 19.0 -> 14.3 a.matmul(b) in Node (PyTorch
 * 13.8); 128 x 256 x 128 36.8 -> 23.1, 200^3 62.6 -> 47.6, 128 x 128 x 512 59.8 -> 44.3, 256^3
 * 108 -> 80, 512^3 703 -> 640 (PyTorch 613), B8's LSTM input 700 x 800 x 200 542 -> 523 (best);
 * B7's and B8's other products unchanged. Not for a tall A (1024 x 64 x 16: 14.3 -> 21.2; 1024
 * x 512 x 128: +8%) nor a large one (1024^3: +2.5%; B8's decoder dX, 700 x 200 x 10000: +7%,
 * each thread reading all of its 28 MB). A split by columns claims B's panels one at a time (a
 * group is a task's), as tasks of few rows always did (B7's lm_head dW, 65 x 128 x 1024: 59.8 ->
 * 50.4 us, 2 threads). */

/* Columns of B packed per claim (in panels), and the most floats of packed B one run holds
 * (wider products run in column blocks, one after the other). */
#define TT_GEMM_GROUP_PANELS 4
#define TT_GEMM_MAX_PACKED_B ((int64_t)1 << 22)
/* Half of a core's L2 (2 MiB on this machine's Xeon, 1 MiB on a Zen 4) in bytes. */
#define TT_GEMM_L2_HALF ((int64_t)1 << 20)
/* Floats of an A stored by columns that its first panel reads from L1, at no cost counted
 * (the attention's batched 32 x 64 x 64 A^T.B: Note [A by columns]). */
#define TT_GEMM_A_IN_L1 8192
/* Work per thread below which threading costs more than it saves (multiply-adds): 2^20 is
 * about 10 us of a core, well above a pool's wake-up; PyTorch splits a 128^3 product. */
#define TT_GEMM_MIN_WORK_PER_THREAD ((int64_t)1 << 20)
/* Tasks per thread when there is work enough (more balance the threads when one of them is
 * slowed, but each re-reads B's panels), at least this much work and these rows each. */
#define TT_GEMM_TASKS_PER_THREAD 4
#define TT_GEMM_MIN_WORK_PER_TASK ((int64_t)1 << 19)
#define TT_GEMM_MIN_TASK_ROWS 64

enum { B_UNPACKED, B_PACKING, B_PACKED };
_Static_assert(sizeof(_Atomic int) <= sizeof(float), "the packing's states take a float each");

typedef struct {
    const gemm_impl *im;
    int64_t M, N, K;
    float alpha, beta;
    const float *A;
    int64_t rsA, csA;
    const float *B;
    int64_t rsB, csB;
    float *C;
    int64_t rsC, csC;
    tt_gemm_init C0;       /* C's initial values (p NULL: none) */
    int64_t tm, tn;        /* the grid of tasks: blocks of rows, of columns */
    int64_t in_place;      /* B's leading columns read in place (whole panels) */
    float *bp;             /* B's other columns packed: KC slice at row pc from bp + pc * wp */
    int prepacked;         /* bp holds all of B, packed before the run (tt_sgemm_pack_b) */
    int64_t wp;            /* packed columns, padded to whole panels */
    int64_t gp, groups;    /* panels per group (TT_GEMM_GROUP_PANELS, or 1), groups per slice */
    _Atomic int *state;    /* per slice and group: B_UNPACKED, B_PACKING or B_PACKED */
    _Atomic int64_t next;  /* the next task to take */
} gemm_run;

/* B's element (p, j), from B or, prepacked, from its panels. */
static float b_at(const gemm_run *r, int64_t p, int64_t j)
{
    if (!r->prepacked)
        return r->B[p * r->rsB + j * r->csB];
    const int64_t nr = r->im->nr, pc = p / r->im->kc * r->im->kc, kc = TT_MIN(r->im->kc, r->K - pc);
    return r->bp[pc * r->wp + j / nr * nr * kc + (p - pc) * nr + j % nr];
}

/* The unblocked product on C's block [i0, i1) x [j0, j1), for when the packing buffers
 * cannot be had: BLAS's interface has no error channel, and this needs no memory. */
static void naive_block(const gemm_run *r, int64_t i0, int64_t i1, int64_t j0, int64_t j1)
{
    for (int64_t i = i0; i < i1; i++)
        for (int64_t j = j0; j < j1; j++) {
            float *c = r->C + i * r->rsC + j * r->csC, s = 0.0f;
            for (int64_t p = 0; p < r->K; p++)
                s += r->A[i * r->rsA + p * r->csA] * b_at(r, p, j);
            if (r->C0.p)
                store_tile(&s, 1, c, 0, 0, r->C0.p + i * r->C0.rs + j * r->C0.cs, 0, 0, 1, 1, r->alpha, 1.0f);
            else
                store_tile(&s, 1, c, 0, 0, c, 0, 0, 1, 1, r->alpha, r->beta);
        }
}

/* Packs, of B's KC slice `s` (rows pc .. pc + kc), the groups holding columns [j0, j1) that
 * no thread has claimed. */
static void pack_b_slice(gemm_run *r, int64_t s, int64_t pc, int64_t kc, int64_t j0, int64_t j1)
{
    const int64_t gw = r->gp * r->im->nr, packed = r->N - r->in_place;
    if (j1 <= r->in_place)
        return;
    for (int64_t g = (TT_MAX(j0, r->in_place) - r->in_place) / gw; g * gw < j1 - r->in_place; g++) {
        _Atomic int *st = &r->state[s * r->groups + g];
        int expect = B_UNPACKED;
        if (atomic_load_explicit(st, memory_order_relaxed) != B_UNPACKED ||
            !atomic_compare_exchange_strong_explicit(st, &expect, B_PACKING, memory_order_relaxed, memory_order_relaxed))
            continue;
        const int64_t x = r->in_place + g * gw;
        r->im->pack_b(TT_MIN(gw, packed - g * gw), kc, r->B + pc * r->rsB + x * r->csB, r->csB,
                      r->rsB, r->bp + pc * r->wp + g * gw * kc);
        atomic_store_explicit(st, B_PACKED, memory_order_release);
    }
}

/* Whether group g of slice s is packed. Where the caller may read the panel in place instead,
 * a group another thread is still packing is not waited for (that thread may have lost its
 * core to other work); otherwise this waits. */
static int b_packed(const gemm_run *r, int64_t s, int64_t g, int may_skip)
{
    for (int spins = 0;; spins++) {
        if (atomic_load_explicit(&r->state[s * r->groups + g], memory_order_acquire) == B_PACKED)
            return 1;
        if (may_skip)
            return 0;
        if (spins > 64)
            sched_yield();
    }
}

/* Block t of the grid: rows [i0, i1) and columns [j0, j1) of C, in whole micro-tiles, as even
 * as the grid allows. */
static void task_bounds(const gemm_run *r, int64_t t, int64_t *i0, int64_t *i1, int64_t *j0, int64_t *j1)
{
    const int mr = r->im->mr, nr = r->im->nr;
    const int64_t mb = ceil_div(r->M, mr), nb = ceil_div(r->N, nr), ti = t / r->tn, tj = t % r->tn;
    *i0 = ti * mb / r->tm * mr, *i1 = TT_MIN(r->M, (ti + 1) * mb / r->tm * mr);
    *j0 = tj * nb / r->tn * nr, *j1 = TT_MIN(r->N, (tj + 1) * nb / r->tn * nr);
}

/* Note [A by columns]: an A stored by columns (a dW = g^T.x) that several panels meet is
 * packed by the first panel's kernels as they read it (ao): a step's rows are one run, which
 * the kernel copies while its multiply-adds run, where packing it first waited on the memory
 * alone (A, 2 MB for 512 x 128 x 1024, comes from L3 at ~20 GB/s), and reading it in place at
 * every panel met its steps, a power-of-two stride apart, in one or two L1 sets. B7's dW, one
 * thread: 512 x 128 x 1024 760 -> 700 us, 384 x 128 x 1024 520 -> 505. Only while the steps
 * are at most 2 KB apart, within reach of the hardware's stride prefetcher: further apart
 * (B8's decoder dW, 10000 x 200 x 700: 40 KB), the packing's own prefetch of whole runs ahead
 * is faster (15 ms, 19 with ao).
 * That first panel still runs at half the kernels' speed (a line a step from L2, or from
 * memory, met by no prefetcher that streams: 37% of the kernels' time for a quarter of the
 * multiply-adds of 512 x 128 x 1024), so orientation_cost counts such an A at a cycle an
 * element, and of a dW = g^T.x the operand read by columns is the smaller one: 512 x 128 x
 * 1024 (x^T.g, A 2 MB) runs as C^T = g^T.x (A 0.5 MB by columns, x's 2 MB packed as B by whole
 * rows, which the prefetchers stream). One thread, alternated, us hot / cold (the caches
 * filled with other data first): 512 x 128 x 1024 703 -> 690 / 1009 -> 821, 384 x 128 x 1024
 * 524 -> 517 / 802 -> 625, and 128 x 512 x 1024, which ran swapped (its B counted as 2 MB
 * packed past L2, where one thread holds a 512 KB slice at a time), 752 -> 662 / 1135 -> 782;
 * PyTorch 618 / 990, 434 / 640, 584 / 661. Not for an A within L1 (TT_GEMM_A_IN_L1): counted,
 * it swapped B7's attention's 64 products 32 x 64 x 64 of an 8 KB A^T, whose C^T then went by
 * columns, 22% slower. */

/* Block t of C over B's KC slice s (rows pc .. pc + kc), whose packed panels start at bs;
 * `shared`: they are being packed by the threads (Note [GEMM tasks]), else all are packed. */
static void run_slice(gemm_run *r, int64_t t, int64_t s, int64_t pc, const float *bs, int shared,
                      float *apack)
{
    const gemm_impl *im = r->im;
    const int mr = im->mr, nr = im->nr;
    const int64_t kc = TT_MIN(im->kc, r->K - pc), gw = r->gp * nr;
    int64_t i0, i1, j0, j1;
    task_bounds(r, t, &i0, &i1, &j0, &j1);
    const int64_t M = i1 - i0;
    /* Later K slices accumulate onto what the first one wrote. */
    const float beta_k = pc == 0 ? r->beta : 1.0f;
    /* The kernels read A through any strides. Packing it pays where its rows and columns
     * are both strided (every element on its own cache line), and where each block of A
     * meets enough panels of B to amortize the copy: then it also keeps the MR rows being
     * read on distinct cache sets, which rows a power-of-two stride apart are not. For
     * narrow products (N = 10 classes, 128 features) reading A in place saves a transpose
     * that would cost a quarter of the arithmetic. An A stored by columns that several panels
     * meet is packed by the first panel's kernels as they read it (ao; Note [A by columns]). */
    const float *a = r->A + i0 * r->rsA + pc * r->csA;
    int64_t ra = r->rsA, ca = r->csA, ap = mr * ra; /* A's strides, and between panels */
    float *ao = NULL;
    if (r->rsA == 1 && r->csA != 1 && r->csA <= 512 && j1 - j0 > nr)
        ao = apack;
    else if ((r->rsA != 1 && r->csA != 1) || j1 - j0 > 4 * nr) {
        im->pack(M, kc, a, r->rsA, r->csA, mr, apack);
        a = apack, ra = 1, ca = mr, ap = mr * kc;
    }
    for (int64_t jr = j0; jr < j1; jr += nr) {
        const int n = (int)TT_MIN(nr, j1 - jr);
        /* B's panel, in place or packed; a whole panel of a B with contiguous rows can be
         * read in place while another thread packs it (the same sums either way) */
        const float *bj = r->B + pc * r->rsB + jr * r->csB;
        int64_t ldb = r->rsB;
        if (jr >= r->in_place &&
            (!shared || b_packed(r, s, (jr - r->in_place) / gw, r->csB == 1 && n == nr)))
            bj = bs + (jr - r->in_place) * kc, ldb = nr;
        /* A panel of B read in place is met cold, its rows too far apart for the hardware's
         * prefetcher: the first tile of each fetches the next one into L2 as it goes */
        const float *pf = !ao && jr + 2 * nr <= r->in_place && jr + nr < j1 ? bj + nr : NULL;
        for (int64_t ir = 0; ir < M; ir += mr, pf = NULL) {
            const int m = (int)TT_MIN(mr, M - ir);
            float *c = r->C + (i0 + ir) * r->rsC + jr * r->csC;
            /* C0, addmm's starting values, is added as the first slice stores the tile, the
             * same sum C0 + A.B rounded once: a pass that first copied C0 into the tile for
             * the kernel to read back cost one thread (alternated, hot) 3 to 5% of B7's
             * addmm (K = 128) and of the LSTM's gates, and 16 to 28% of B8's decoder, whose
             * C^T, stored by columns, it wrote element by element */
            const int c0 = r->C0.p && pc == 0;
            const tt_gemm_init c_in = {c0 ? r->C0.p + (i0 + ir) * r->C0.rs + jr * r->C0.cs : NULL,
                                       r->C0.rs, r->C0.cs};
            im->kernel(kc, a + ir / mr * ap, ra, ca, bj, ldb, pf, ao ? ao + ir * kc : NULL, c,
                       r->rsC, r->csC, c0 ? &c_in : NULL, m, n, r->alpha, c0 ? 1.0f : beta_k);
        }
        if (ao) /* (the later panels read the packed A) */
            a = apack, ra = 1, ca = mr, ap = mr * kc, ao = NULL;
    }
}

/* A thread's share of a run (Note [GEMM tasks]): tasks taken from the counter until none is
 * left, each over all of K. */
static void run_tasks(void *ctx, int64_t begin, int64_t end)
{
    gemm_run *r = ctx;
    const int64_t kcmax = TT_MIN(r->K, r->im->kc);
    (void)begin, (void)end;
    for (int64_t t; (t = atomic_fetch_add_explicit(&r->next, 1, memory_order_relaxed)) < r->tm * r->tn;) {
        int64_t i0, i1, j0, j1;
        task_bounds(r, t, &i0, &i1, &j0, &j1);
        float *apack = tt_thread_scratch(1, kcmax * round_up(i1 - i0, r->im->mr) * sizeof(float));
        if (!apack) {
            naive_block(r, i0, i1, j0, j1);
            continue;
        }
        for (int64_t pc = 0, s = 0; pc < r->K; pc += r->im->kc, s++) {
            if (!r->prepacked)
                pack_b_slice(r, s, pc, TT_MIN(r->im->kc, r->K - pc), j0, j1);
            run_slice(r, t, s, pc, r->bp + pc * r->wp, !r->prepacked, apack);
        }
    }
}

/* The columns of B one run takes (wider products run in column blocks, one after the other):
 * its packed panels stay within TT_GEMM_MAX_PACKED_B floats. A multiple of NR. */
static int64_t column_block(const gemm_impl *im, int64_t K)
{
    return TT_MIN(im->nc, TT_MAX(im->nr, TT_GEMM_MAX_PACKED_B / K / im->nr * im->nr));
}

/* One product on up to nt threads (the caller's included). With `packed` (tt_sgemm_pack_b's
 * layout of B: each column block's KC slices in turn), B is not read or packed again. */
static void gemm_product(const gemm_impl *im, int nt, int64_t M, int64_t N, int64_t K, float alpha,
                         const float *A, int64_t rsA, int64_t csA,
                         const float *B, int64_t rsB, int64_t csB, const float *packed,
                         float beta, float *C, int64_t rsC, int64_t csC, tt_gemm_init C0)
{
    const int mr = im->mr, nr = im->nr;
    /* B is read in place where few rows of A pass each panel (B_IN_PLACE), so that packing
     * would cost more than it saves (M = 10 classes, 20 sequences of an LSTM, a 128 x 128
     * matmul). Its last, partial panel is still packed: no vector load may run past B. */
    const int b_in_place = !packed && csB == 1 && B_IN_PLACE(im, M, rsB);
    const int64_t slices = ceil_div(K, im->kc), kcmax = TT_MIN(K, im->kc);
    const int64_t ncb = column_block(im, K);
    for (int64_t jc = 0; jc < N; jc += ncb) {
        const int64_t n = TT_MIN(ncb, N - jc), in_place = b_in_place ? n / nr * nr : 0;
        const int64_t wp = round_up(n - in_place, nr);
        gemm_run r = {im, M, n, K, alpha, beta, A, rsA, csA, B + jc * csB, rsB, csB,
                      C + jc * csC, rsC, csC, {C0.p ? C0.p + jc * C0.cs : NULL, C0.rs, C0.cs},
                      1, 1, in_place, NULL, packed != NULL, wp, TT_GEMM_GROUP_PANELS, 0, NULL, 0};
        if (packed) /* (B itself may be NULL) */
            r.B = NULL, r.bp = (float *)packed + jc * K;
        /* The grid: rows first (B's packing is shared, A's is not); at most MC rows a task,
         * so that its block of A stays in L2. */
        const int64_t mb = ceil_div(M, mr), nb = ceil_div(n, nr);
        r.tm = ceil_div(mb, im->mc / mr);
        if (nt > 1) {
            const int64_t per = (M * n * K) / (nt * TT_GEMM_MIN_WORK_PER_TASK);
            /* one task a thread where B's packed panels outgrow L2: each task reads all of
             * them, a slice at a time, so more tasks read them from L3 more times (B8's
             * decoder dX, 700 x 200 x 10000 with 9 MB of B packed, two threads on a loaded
             * machine, alternated: -6 to -13% hot and cold; one thread runs a slice at a time) */
            const int64_t most = !packed && K * wp * (int64_t)sizeof(float) > TT_GEMM_L2_HALF
                                     ? 1
                                     : TT_GEMM_TASKS_PER_THREAD;
            const int64_t want = nt * TT_MAX(1, TT_MIN(most, per));
            const int64_t rows = TT_MAX(1, mb / (TT_GEMM_MIN_TASK_ROWS / mr));
            /* a multiple of the threads, where there are rows enough: tasks of one size */
            const int64_t tm = TT_MIN(want, rows);
            r.tm = TT_MAX(r.tm, tm >= nt ? tm / nt * nt : tm);
            /* and as many tasks for every thread: MC's bound alone gave 1024^3 three tasks on
             * two threads, one thread running two of them while the other waited (2 threads:
             * 313 GFLOP/s with three, PyTorch 394) */
            if (r.tm > nt && r.tm % nt)
                r.tm = TT_MIN(ceil_div(r.tm, nt) * nt, mb);
            if (r.tm < nt)
                r.tn = TT_MIN(nb, ceil_div(want, r.tm));
            else if (csA == 1 && M <= n && M * K * (int64_t)sizeof(float) <= TT_GEMM_L2_HALF && nb >= nt)
                r.tm = 1, r.tn = nt; /* Note [Small products by columns] */
        }
        if (r.tn > 1) /* (a task's columns are whole groups: it packs no other task's panels) */
            r.gp = 1;
        r.groups = ceil_div(wp, r.gp * nr);
        if (nt > 1 && r.tm * r.tn > 1 && packed) {
            tt_parallel_for(0, nt, 1, run_tasks, &r);
            continue;
        }
        if (nt > 1 && r.tm * r.tn > 1) {
            r.bp = tt_thread_scratch(0, (K * wp + slices * r.groups) * sizeof(float));
            if (!r.bp) {
                naive_block(&r, 0, M, 0, n);
                continue;
            }
            r.state = (_Atomic int *)(r.bp + K * wp); /* (as many words as floats reserved) */
            for (int64_t i = 0; i < slices * r.groups; i++)
                atomic_init(&r.state[i], B_UNPACKED);
            tt_parallel_for(0, nt, 1, run_tasks, &r);
            continue;
        }
        /* One thread: each KC slice of B packed in turn into one buffer, which stays in L2 while
         * every task uses it (all of B packed at once, as the threads need, cost 1024^3 3% and
         * 384 x 128 x 1024 4-8%, one thread) */
        if (!packed)
            r.bp = tt_thread_scratch(0, kcmax * wp * sizeof(float));
        float *apack = tt_thread_scratch(1, kcmax * ceil_div(mb, r.tm) * mr * sizeof(float));
        if (!r.bp || !apack) {
            naive_block(&r, 0, M, 0, n);
            continue;
        }
        for (int64_t pc = 0, s = 0; pc < K; pc += im->kc, s++) {
            if (!packed)
                im->pack_b(n - in_place, TT_MIN(im->kc, K - pc), r.B + pc * rsB + in_place * csB,
                           csB, rsB, r.bp);
            for (int64_t t = 0; t < r.tm * r.tn; t++)
                run_slice(&r, t, s, pc, packed ? r.bp + pc * wp : r.bp, 0, apack);
        }
    }
}

/* Rough cost in cycles of C (M x N) = A (M x K) B (K x N) computed as given on nt threads: the
 * vector FMAs (N padded to whole vectors, two a cycle), packing B unless it is read in place (a
 * transpose, when B's columns are strided, costs twice a copy; a packed block of B past half of
 * L2 also goes out to L3 and is read back from there by every task: 2 more; one thread holds
 * one KC slice of it at a time, threads all of it), reading an A stored by columns that several
 * panels meet (1 an element: Note [A by columns]), and writing C element by element when its
 * rows are not contiguous (weights measured on the shapes of gemm_bench; the L3 round trip on
 * B8's decoder, 700 x 10000 x 200 with B = W^T, one thread: 16.4 ms packing its 8 MB of B^T,
 * 14.9 computed as C^T = W.x^T, PyTorch 15.4). */
static double orientation_cost(const gemm_impl *im, int nt, int64_t M, int64_t N, int64_t K,
                               int64_t rsA, int64_t csA, int64_t rsB, int64_t csB, int64_t rsC,
                               int64_t csC)
{
    const double fmas = (double)M * (double)round_up(N, im->vw) * (double)K / im->vw / 2;
    double per_packed = csB != 1 ? 0.5 : B_IN_PLACE(im, M, rsB) ? 0.0 : 0.25;
    const int64_t held = nt > 1 ? K : TT_MIN(K, im->kc);
    if (per_packed > 0.0 && held * TT_MIN(N, column_block(im, K)) * (int64_t)sizeof(float) > TT_GEMM_L2_HALF)
        per_packed += 2.0;
    const double per_a = rsA == 1 && csA != 1 && M * K > TT_GEMM_A_IN_L1 ? 1.0 : 0.0;
    /* C is written once per KC slice: element by element unless its rows are contiguous, or
     * its columns are and the kernel transposes its tiles (64 x 512 x 784, x.W^T, computed as
     * C^T = W.x^T on AVX-512: 150 to 160 GFLOP/s, one thread) */
    const double per_c = csC == 1 ? 0.0 : rsC == 1 && im->c_by_columns ? 0.5 : 4.0;
    return fmas + (double)K * (double)N * per_packed + per_a * (double)M * (double)K +
           per_c * (double)M * (double)N * (double)ceil_div(K, im->kc);
}

typedef struct {
    const gemm_impl *im;
    int64_t batch, M, N, K;
    float alpha, beta;
    const float *A;
    int64_t rsA, csA, sA;
    const float *B;
    int64_t rsB, csB, sB;
    float *C;
    int64_t rsC, csC, sC;
    _Atomic int64_t next; /* the next product to take */
} gemm_batch;

/* A thread's share of a batch: whole products taken from the counter, each on this thread. */
static void batch_tasks(void *ctx, int64_t begin, int64_t end)
{
    gemm_batch *j = ctx;
    (void)begin, (void)end;
    for (int64_t b; (b = atomic_fetch_add_explicit(&j->next, 1, memory_order_relaxed)) < j->batch;)
        gemm_product(j->im, 1, j->M, j->N, j->K, j->alpha, j->A + b * j->sA, j->rsA, j->csA,
                     j->B + b * j->sB, j->rsB, j->csB, NULL, j->beta, j->C + b * j->sC, j->rsC,
                     j->csC, (tt_gemm_init){NULL, 0, 0});
}

/* packed: B as tt_sgemm_pack_b left it (then batch is 1 and B is not read) */
static void sgemm(int max_threads, int64_t batch, int64_t M, int64_t N, int64_t K,
                  float alpha, const float *A, int64_t rsA, int64_t csA, int64_t sA,
                  const float *B, int64_t rsB, int64_t csB, int64_t sB, const float *packed,
                  float beta, float *C, int64_t rsC, int64_t csC, int64_t sC, tt_gemm_init C0)
{
    if (batch <= 0 || M <= 0 || N <= 0)
        return;
    if (C0.p && (K <= 0 || alpha == 0.0f)) { /* (only single products start from C0) */
        for (int64_t i = 0; i < M; i++)
            for (int64_t j = 0; j < N; j++) C[i * rsC + j * csC] = C0.p[i * C0.rs + j * C0.cs];
        return;
    }
    if (K <= 0 || alpha == 0.0f) {
        for (int64_t b = 0; b < batch; b++)
            scale_c(M, N, beta, C + b * sC, rsC, csC);
        return;
    }
    const gemm_impl *im = impl();

    /* C^T = B^T A^T: the same product with the roles of rows and columns swapped, taken
     * when it costs less (a skinny M with a transposed B; a C stored by columns). */
    const double work = (double)batch * (double)M * (double)N * (double)K;
    const int64_t want = (int64_t)(work / (double)TT_GEMM_MIN_WORK_PER_THREAD);
    const int nt = (int)TT_MIN(max_threads, want < 1 ? 1 : want);
    const int per_product = batch >= nt && batch > 1 ? 1 : nt; /* (see below) */
    const double keep = orientation_cost(im, per_product, M, N, K, rsA, csA, rsB, csB, rsC, csC);
    const double swap = orientation_cost(im, per_product, N, M, K, csB, rsB, csA, rsA, csC, rsC);
    gemm_batch j = {im, batch, M, N, K, alpha, beta, A, rsA, csA, sA, B, rsB, csB, sB,
                    C, rsC, csC, sC, 0};
    if (swap < keep && !packed) {
        gemm_batch t = {im, batch, N, M, K, alpha, beta, B, csB, rsB, sB, A, csA, rsA, sA,
                        C, csC, rsC, sC, 0};
        j = t;
        C0 = (tt_gemm_init){C0.p, C0.cs, C0.rs};
    }

    if (batch >= nt && batch > 1) {
        /* whole products per thread */
        if (nt == 1)
            batch_tasks(&j, 0, 1);
        else
            tt_parallel_for(0, nt, 1, batch_tasks, &j);
        return;
    }
    for (int64_t b = 0; b < batch; b++)
        gemm_product(im, nt, j.M, j.N, j.K, alpha, j.A + b * j.sA, j.rsA, j.csA,
                     j.B + b * j.sB, j.rsB, j.csB, packed, beta, j.C + b * j.sC, j.rsC, j.csC, C0);
}

int64_t tt_sgemm_packed_b_size(int64_t K, int64_t N)
{
    return TT_MAX(K, 0) * round_up(TT_MAX(N, 0), impl()->nr);
}

/* Each column block of B (as gemm_product cuts it) packed as its run would: the KC slices one
 * after the other, each its NR-column panels, so that the run of block jc finds its slice at
 * row pc at packed + jc * K + pc * (the block's width, rounded up to whole panels). */
void tt_sgemm_pack_b(int64_t K, int64_t N, const float *B, int64_t rsB, int64_t csB, float *packed)
{
    const gemm_impl *im = impl();
    const int64_t ncb = K > 0 ? column_block(im, K) : 1;
    for (int64_t jc = 0; jc < N; jc += ncb) {
        const int64_t n = TT_MIN(ncb, N - jc), wp = round_up(n, im->nr);
        for (int64_t pc = 0; pc < K; pc += im->kc)
            im->pack_b(n, TT_MIN(im->kc, K - pc), B + pc * rsB + jc * csB, csB, rsB,
                       packed + jc * K + pc * wp);
    }
}

void tt_sgemm_packed(int64_t M, int64_t N, int64_t K, const float *A, int64_t rsA, int64_t csA,
                     const float *packed, tt_gemm_init C0, float *C, int64_t rsC, int64_t csC)
{
    sgemm(tt_get_num_threads(), 1, M, N, K, 1.0f, A, rsA, csA, 0, NULL, 0, 0, 0, packed, 0.0f, C,
          rsC, csC, 0, C0);
}

void tt_sgemm_batched(int64_t batch, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t rsA, int64_t csA, int64_t sA,
                      const float *B, int64_t rsB, int64_t csB, int64_t sB,
                      float beta, float *C, int64_t rsC, int64_t csC, int64_t sC)
{
    sgemm(tt_get_num_threads(), batch, M, N, K, alpha, A, rsA, csA, sA, B, rsB, csB, sB, NULL, beta,
          C, rsC, csC, sC, (tt_gemm_init){NULL, 0, 0});
}

void tt_sgemm_init(int64_t M, int64_t N, int64_t K,
                   const float *A, int64_t rsA, int64_t csA,
                   const float *B, int64_t rsB, int64_t csB,
                   tt_gemm_init C0, float *C, int64_t rsC, int64_t csC)
{
    sgemm(tt_get_num_threads(), 1, M, N, K, 1.0f, A, rsA, csA, 0, B, rsB, csB, 0, NULL, 0.0f, C,
          rsC, csC, 0, C0);
}

void tt_sgemm(int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t rsA, int64_t csA,
              const float *B, int64_t rsB, int64_t csB,
              float beta, float *C, int64_t rsC, int64_t csC)
{
    sgemm(tt_get_num_threads(), 1, M, N, K, alpha, A, rsA, csA, 0, B, rsB, csB, 0, NULL, beta, C,
          rsC, csC, 0, (tt_gemm_init){NULL, 0, 0});
}

void tt_sgemm_serial(int64_t M, int64_t N, int64_t K, float alpha,
                     const float *A, int64_t rsA, int64_t csA,
                     const float *B, int64_t rsB, int64_t csB,
                     float beta, float *C, int64_t rsC, int64_t csC)
{
    sgemm(1, 1, M, N, K, alpha, A, rsA, csA, 0, B, rsB, csB, 0, NULL, beta, C, rsC, csC, 0,
          (tt_gemm_init){NULL, 0, 0});
}
