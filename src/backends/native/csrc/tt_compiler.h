/* Compiler portability for the native engine's C files (GCC, Clang; MSVC gets the plain
 * C paths). */
#ifndef TT_COMPILER_H
#define TT_COMPILER_H

#if defined(__GNUC__) || defined(__clang__)
#define TT_ALWAYS_INLINE __attribute__((always_inline))
/* Full unrolling of the GEMM's register tile loops is what keeps its accumulators in
 * registers. */
#if defined(__clang__)
#define TT_UNROLL _Pragma("unroll")
#else
#define TT_UNROLL _Pragma("GCC unroll 16")
#endif
#define TT_TLS __thread
#define TT_PREFETCH_W(p) __builtin_prefetch(p, 1, 3)
#define TT_PREFETCH_R(p) __builtin_prefetch(p, 0, 3)
#define TT_PREFETCH_L2(p) __builtin_prefetch(p, 0, 2)
#else
#define TT_ALWAYS_INLINE
#define TT_UNROLL
#define TT_TLS __declspec(thread)
#define TT_PREFETCH_W(p) ((void)(p))
#define TT_PREFETCH_R(p) ((void)(p))
#define TT_PREFETCH_L2(p) ((void)(p))
#define restrict __restrict
#endif

/* Kernels copy and clear many short runs (tens of floats), for which a call to memcpy or
 * memset costs more than the work: keep compilers from turning such loops into calls. */
#if defined(__clang__)
#define TT_NO_MEMCPY_CALLS __attribute__((no_builtin("memcpy", "memmove", "memset")))
#elif defined(__GNUC__)
#define TT_NO_MEMCPY_CALLS __attribute__((optimize("no-tree-loop-distribute-patterns")))
#else
#define TT_NO_MEMCPY_CALLS
#endif

/* Note [Contraction]: the build compiles with -ffp-contract=off, so that every a·b + c rounds
 * twice on every ISA (the float64 forms that match the reference bit for bit depend on it). The
 * element loops that evaluate vecmath.h's polynomials opt in with TT_CONTRACTED: where the clone's
 * ISA has FMA (the AVX-512 clone; target "avx2" does not include FMA), each a·b + c there is one
 * fused operation, rounded once, so no less accurate: exp 0.37 -> 0.23 ns per float on this
 * machine's AVX-512 (PyTorch's Sleef: 0.15). GCC's jump threading is off in them too: it split
 * exp's clamp into three paths and predicated the whole polynomial on them. Clang applies
 * contraction where the expression is written, so vecmath.h's functions carry its pragma. */
#if defined(__GNUC__) && !defined(__clang__)
#define TT_CONTRACTED __attribute__((optimize("fp-contract=fast", "no-thread-jumps", "no-tree-sink")))
#else
#define TT_CONTRACTED
#endif

#define TT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TT_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
