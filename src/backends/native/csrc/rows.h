/* Reductions of one contiguous row of float32, for every kernel that reduces rows (sum,
 * amax/amin, norms, softmax, layer_norm, batch_norm).
 *
 * Note [Row reductions in vectors]: attention's softmax rows are 64 floats (four AVX-512
 * vectors), layer_norm's 128, and there a reduction's set-up and horizontal steps cost more than
 * its elements: the vectorizer's max (`omp simd reduction`) and its float64 sums, which it spills
 * to the stack and adds up one lane at a time, were a third of a 64-float softmax row. These keep
 * 16 lanes in GCC's generic vectors (lowered to the width of the clone they are inlined into)
 * and reduce them once per row in a short tree. Float64 sums, as the reference kernels' (in
 * another order). */
#ifndef TT_ROWS_H
#define TT_ROWS_H
#include <stdint.h>
#include <string.h>
#include "tt_compiler.h"

typedef float tt_v16f __attribute__((vector_size(64)));
typedef int32_t tt_v16i __attribute__((vector_size(64)));
typedef float tt_v8f __attribute__((vector_size(32)));
typedef double tt_v8d __attribute__((vector_size(64)));

/* the lanes' sum, in a fixed tree (a macro: a vector passed by value is an ABI note in the
 * baseline clone) */
#define TT_V8D_TOTAL(a) ((((a)[0] + (a)[4]) + ((a)[2] + (a)[6])) + (((a)[1] + (a)[5]) + ((a)[3] + (a)[7])))

/* The max (tt_row_max) and min (tt_row_min) of x[0..n), n ≥ 1; NaN if any element is (NaN is
 * tracked apart, so the extremum itself may be taken in any order). */
#define TT_ROW_EXTREMUM(name, cmp)                                                      \
  static inline TT_ALWAYS_INLINE float name(const float *restrict x, int64_t n) {      \
    int64_t k = 0;                                                                      \
    float m = x[0];                                                                     \
    int nan = 0;                                                                        \
    if (n >= 16) {                                                                      \
      tt_v16f vm, v;                                                                    \
      memcpy(&vm, x, sizeof vm);                                                        \
      tt_v16i vnan = vm != vm;                                                          \
      for (k = 16; k + 16 <= n; k += 16) {                                              \
        memcpy(&v, x + k, sizeof v);                                                    \
        tt_v16i better = v cmp vm;                                                      \
        vnan |= v != v;                                                                 \
        vm = (tt_v16f)(((tt_v16i)v & better) | ((tt_v16i)vm & ~better));                \
      }                                                                                 \
      for (int l = 0; l < 16; l++) { nan |= vnan[l]; m = vm[l] cmp m ? vm[l] : m; }     \
    }                                                                                   \
    for (; k < n; k++) { float v = x[k]; nan |= v != v; m = v cmp m ? v : m; }          \
    return nan ? __builtin_nanf("") : m;                                                \
  }
TT_ROW_EXTREMUM(tt_row_max, >)
TT_ROW_EXTREMUM(tt_row_min, <)

/* Σ x[0..n) in float64 */
static inline TT_ALWAYS_INLINE double tt_row_sum(const float *restrict x, int64_t n) {
  tt_v8d a = { 0 }, b = { 0 };
  tt_v8f lo, hi;
  int64_t k = 0;
  for (; k + 16 <= n; k += 16) {
    memcpy(&lo, x + k, sizeof lo);
    memcpy(&hi, x + k + 8, sizeof hi);
    a += __builtin_convertvector(lo, tt_v8d);
    b += __builtin_convertvector(hi, tt_v8d);
  }
  a += b;
  double s = TT_V8D_TOTAL(a);
  for (; k < n; k++) s += (double)x[k];
  return s;
}

/* Σ (x - c)² over x[0..n) in float64 */
static inline TT_ALWAYS_INLINE double tt_row_sum_sq_dev(const float *restrict x, int64_t n, double c) {
  tt_v8d a = { 0 }, b = { 0 }, vc = c - (tt_v8d){ 0 };
  tt_v8f lo, hi;
  int64_t k = 0;
  for (; k + 16 <= n; k += 16) {
    memcpy(&lo, x + k, sizeof lo);
    memcpy(&hi, x + k + 8, sizeof hi);
    tt_v8d d = __builtin_convertvector(lo, tt_v8d) - vc, e = __builtin_convertvector(hi, tt_v8d) - vc;
    a += d * d;
    b += e * e;
  }
  a += b;
  double s = TT_V8D_TOTAL(a);
  for (; k < n; k++) { double d = (double)x[k] - c; s += d * d; }
  return s;
}

/* The same sums over long runs (a reduction's rows, batch norm's channels), as the vectorizer
 * writes them (`omp simd reduction`: compiled with -fopenmp-simd, no OpenMP runtime), which
 * unrolls over more accumulators than the two above: Σ of 10,000-float rows 880 us for 700 of
 * them against 960 with tt_row_sum, where on 64-float rows tt_row_sum is the quicker (one thread,
 * CPU time). */
static inline TT_ALWAYS_INLINE double tt_run_sum(const float *restrict x, int64_t n) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t k = 0; k < n; k++) s += (double)x[k];
  return s;
}
static inline TT_ALWAYS_INLINE double tt_run_sum_sq_dev(const float *restrict x, int64_t n, double c) {
  double s = 0;
#pragma omp simd reduction(+ : s)
  for (int64_t k = 0; k < n; k++) { double d = (double)x[k] - c; s += d * d; }
  return s;
}

#endif
