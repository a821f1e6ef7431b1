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

#define TT_MIN(a, b) ((a) < (b) ? (a) : (b))
#define TT_MAX(a, b) ((a) > (b) ? (a) : (b))

#endif
