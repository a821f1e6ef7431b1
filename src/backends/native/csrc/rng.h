// The random samplers of PyTorch's CPU generator (rng.c), drawing from an mt19937 engine whose
// state stays with the caller: `mt` holds its 624 words and `pos` its cursor {left, next}, as
// src/core/random.ts's Generator keeps them; both are read and advanced in place.
#ifndef TT_RNG_H
#define TT_RNG_H
#include <stdint.h>

/* uniform_(from, to) of n contiguous float32 (double_ = 0) or float64 (double_ = 1) elements. */
void tt_uniform(uint32_t *mt, int32_t *pos, void *out, int64_t n, int double_, double from, double to);
/* bernoulli_(p) of n contiguous float32 (double_ = 0) or float64 (double_ = 1) elements: 1 or 0. */
void tt_bernoulli(uint32_t *mt, int32_t *pos, void *out, int64_t n, int double_, double p);
/* normal_(mean, std) of n >= 16 contiguous float32 elements (PyTorch's normal_fill_AVX2). */
void tt_normal_f32(uint32_t *mt, int32_t *pos, float *out, int64_t n, float mean, float std);
/* the same in float64 (PyTorch's scalar normal_fill, with the reference's log, sin and cos) */
void tt_normal_f64(uint32_t *mt, int32_t *pos, double *out, int64_t n, double mean, double std);

#endif
