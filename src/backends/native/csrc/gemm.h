/* Single-precision GEMM for the native engine: C = alpha * A.B + beta * C.
 *
 * Every operand is read through element strides (rs = between rows, cs = between columns),
 * so transposed views, column slices and broadcast (stride 0) operands need no copy. A is
 * M x K, B is K x N, C is M x N. beta == 0 means C is write-only: its old contents (even
 * NaN) are never read, as in BLAS. C must not overlap A or B.
 *
 * Sums are plain float32 fused multiply-adds in K order per KC block, on the widest vector
 * unit the CPU has (chosen once, at the first call). */
#ifndef TT_GEMM_H
#define TT_GEMM_H

#include <stddef.h>
#include <stdint.h>

void tt_sgemm(int64_t M, int64_t N, int64_t K, float alpha,
              const float *A, int64_t rsA, int64_t csA,
              const float *B, int64_t rsB, int64_t csB,
              float beta, float *C, int64_t rsC, int64_t csC);

/* C's starting values for tt_sgemm_init: element (i, j) at p[i * rs + j * cs] (stride 0
 * broadcasts a bias row or column). */
typedef struct { const float *p; int64_t rs, cs; } tt_gemm_init;

/* C = C0 + A.B (PyTorch's addmm with beta = alpha = 1): C0 is added to each tile of the
 * product as the tile is stored (one rounding of C0 + A.B). C0 must not overlap C. */
void tt_sgemm_init(int64_t M, int64_t N, int64_t K,
                   const float *A, int64_t rsA, int64_t csA,
                   const float *B, int64_t rsB, int64_t csB,
                   tt_gemm_init C0, float *C, int64_t rsC, int64_t csC);

/* B packed once for many products by the same B (an LSTM's recurrent weights, at each of its
 * time steps): tt_sgemm_pack_b writes B (K x N, through its strides) into
 * tt_sgemm_packed_b_size(K, N) floats (64-byte aligned, as tt_thread_scratch's are) in the
 * layout the kernels read, and tt_sgemm_packed
 * computes C = C0 + A.B from it (C0.p NULL: C = A.B) as tt_sgemm_init would, bit for bit, without
 * reading or packing B again. The layout belongs to the kernel set in use: a packed B must not
 * outlive a tt_gemm_force_isa. */
int64_t tt_sgemm_packed_b_size(int64_t K, int64_t N);
void tt_sgemm_pack_b(int64_t K, int64_t N, const float *B, int64_t rsB, int64_t csB, float *packed);
void tt_sgemm_packed(int64_t M, int64_t N, int64_t K, const float *A, int64_t rsA, int64_t csA,
                     const float *packed, tt_gemm_init C0, float *C, int64_t rsC, int64_t csC);

/* tt_sgemm on the calling thread alone, for kernels already parallel over something else
 * (conv over images). */
void tt_sgemm_serial(int64_t M, int64_t N, int64_t K, float alpha,
                     const float *A, int64_t rsA, int64_t csA,
                     const float *B, int64_t rsB, int64_t csB,
                     float beta, float *C, int64_t rsC, int64_t csC);

/* batch independent products; operand i starts at X + i * strideX (stride 0 broadcasts
 * one operand to the whole batch; strideC must keep the outputs disjoint). */
void tt_sgemm_batched(int64_t batch, int64_t M, int64_t N, int64_t K, float alpha,
                      const float *A, int64_t rsA, int64_t csA, int64_t strideA,
                      const float *B, int64_t rsB, int64_t csB, int64_t strideB,
                      float beta, float *C, int64_t rsC, int64_t csC, int64_t strideC);

/* The kernel set in use, by PyTorch's capability names: "AVX512", "AVX2", "NEON" or
 * "DEFAULT". */
const char *tt_gemm_isa(void);

/* Selects a kernel set no wider than `name` (one of the names above) for tests and
 * benchmarks; returns 0 on success, -1 if the CPU lacks it or the name is unknown (the
 * selection is then unchanged). Not thread-safe against concurrent GEMMs. */
int tt_gemm_force_isa(const char *name);

/* A 64-byte aligned buffer of at least `bytes` owned by the calling thread, kept and reused
 * across calls (slot 0 and 1 are the GEMM's packing buffers; slots 2 and 3 are free for
 * other kernels, e.g. conv's im2col). Returns NULL when out of memory. */
void *tt_thread_scratch(int slot, size_t bytes);

#endif
