// Fused optimizer steps for float32 parameters: the element loops of src/optim/adam.ts, sgd.ts and
// adadelta.ts, operation for operation, so that both give the same bits (Note [Optimizer
// arithmetic] in src/optim/optimizer.ts): float32 + - · / sqrt max round as the reference's
// float64 ones do once rounded to float32, and its multiply-adds (float32 inputs computed in
// float64, rounded once) are computed in float64 here too (fma below).
#include "kernels.h"
#include "parallel.h"
#include <math.h>

#define GRAIN 65536

static inline float fma64(float a, float b, float c) { return (float)((double)a * (double)b + (double)c); }

typedef struct {
  float *p; const float *g; float *m, *v, *vmax, *buf, *sq, *ad;
  int maximize, weight_decay, decoupled, small, first, nesterov;
  float decay, wds, coeff, b2, omb2, bc2, eps, neg_step, neg_lr, mom, omd, rho, omr;
} Step;

// Note [Step scalars]: each loop copies the step's scalars and pointers into locals first; read
// through the Step pointer inside the loop, the compiler could not prove the stores to the
// tensors leave them unchanged, and kept the loop scalar (ten times slower).
/* (always inlined with a constant `amsgrad`: each variant's loop has no memory access under a
 * condition, and vectorizes; the other flags become selects) */
static inline __attribute__((always_inline)) void adam_loop(const Step *s, int64_t i0, int64_t i1, const int amsgrad) {
  float *restrict p = s->p, *restrict m = s->m, *restrict v = s->v, *restrict vmax = s->vmax;
  const float *restrict g = s->g;
  const int decoupled = s->weight_decay && s->decoupled, coupled = s->weight_decay && !s->decoupled, small = s->small;
  const float sign = s->maximize ? -1.0f : 1.0f;
  const float decay = s->decay, wds = s->wds, coeff = s->coeff, omb2 = s->omb2, b2 = s->b2, bc2 = s->bc2, eps = s->eps, neg_step = s->neg_step;
  for (int64_t i = i0; i < i1; i++) {
    float p0 = p[i], gi = sign * g[i];
    float pi = decoupled ? p0 * decay : p0;       /* param.mul_(1 - lr·weight_decay) */
    gi = coupled ? fma64(p0, wds, gi) : gi;       /* grad = grad.add(param, alpha=weight_decay) */
    float m0 = m[i];
    float mi = fma64(coeff, gi - m0, small ? m0 : gi); /* exp_avg.lerp_(grad, 1 - beta1) */
    float vi = fma64(omb2 * gi, gi, v[i] * b2);        /* exp_avg_sq.mul_(b2).addcmul_(g, g, 1 - b2) */
    float vm = vi;
    if (amsgrad) { float w = vmax[i]; vm = (w != w || vi != vi) ? w + vi : (w > vi ? w : vi); vmax[i] = vm; } /* NaN-propagating max */
    float denom = sqrtf(vm) / bc2 + eps;
    p[i] = pi + (neg_step * mi) / denom;
    m[i] = mi;
    v[i] = vi;
  }
}

TT_CLONES static void adam_range(const Step *s, int64_t i0, int64_t i1) {
  if (s->vmax) adam_loop(s, i0, i1, 1); else adam_loop(s, i0, i1, 0);
}

static inline __attribute__((always_inline)) void sgd_loop(const Step *s, int64_t i0, int64_t i1, const int momentum) {
  float *restrict p = s->p, *restrict buf = s->buf;
  const float *restrict g = s->g;
  const int weight_decay = s->weight_decay, first = s->first, nesterov = s->nesterov;
  const float sign = s->maximize ? -1.0f : 1.0f;
  const float wds = s->wds, omd = s->omd, mom = s->mom, neg_lr = s->neg_lr;
  for (int64_t i = i0; i < i1; i++) {
    float pi = p[i], gi = sign * g[i];
    gi = weight_decay ? fma64(pi, wds, gi) : gi;
    if (momentum) {
      float b = first ? gi : fma64(gi, omd, buf[i] * mom);
      buf[i] = b;
      gi = nesterov ? fma64(b, mom, gi) : b;
    }
    p[i] = fma64(gi, neg_lr, pi);
  }
}

TT_CLONES static void sgd_range(const Step *s, int64_t i0, int64_t i1) {
  if (s->buf) sgd_loop(s, i0, i1, 1); else sgd_loop(s, i0, i1, 0);
}

TT_CLONES static void adadelta_range(const Step *s, int64_t i0, int64_t i1) {
  float *restrict p = s->p, *restrict sq = s->sq, *restrict ad = s->ad;
  const float *restrict g = s->g;
  const int maximize = s->maximize, weight_decay = s->weight_decay;
  const float wds = s->wds, omr = s->omr, rho = s->rho, eps = s->eps, neg_lr = s->neg_lr;
  for (int64_t i = i0; i < i1; i++) {
    float pi = p[i], gi = maximize ? -g[i] : g[i];
    if (weight_decay) gi = fma64(pi, wds, gi);
    float v = fma64(omr * gi, gi, sq[i] * rho);
    sq[i] = v;
    float std = sqrtf(v + eps), a0 = ad[i];
    float delta = (sqrtf(a0 + eps) / std) * gi;
    ad[i] = fma64(omr * delta, delta, a0 * rho);
    p[i] = fma64(delta, neg_lr, pi);
  }
}

static void adam_chunk(void *c, int64_t b, int64_t e) { adam_range(c, b, e); }
static void sgd_chunk(void *c, int64_t b, int64_t e) { sgd_range(c, b, e); }
static void adadelta_chunk(void *c, int64_t b, int64_t e) { adadelta_range(c, b, e); }

void tt_adam(float *p, const float *g, float *m, float *v, float *vmax, int64_t n, int maximize, int weight_decay,
             int decoupled, int small, float decay, float wds, float coeff, float b2, float omb2, float bc2, float eps, float neg_step) {
  Step s = { .p = p, .g = g, .m = m, .v = v, .vmax = vmax, .maximize = maximize, .weight_decay = weight_decay,
             .decoupled = decoupled, .small = small, .decay = decay, .wds = wds, .coeff = coeff, .b2 = b2,
             .omb2 = omb2, .bc2 = bc2, .eps = eps, .neg_step = neg_step };
  tt_parallel_for(0, n, GRAIN, adam_chunk, &s);
}

void tt_sgd(float *p, const float *g, float *buf, int64_t n, int maximize, int weight_decay, int first, int nesterov,
            float wds, float neg_lr, float mom, float omd) {
  Step s = { .p = p, .g = g, .buf = buf, .maximize = maximize, .weight_decay = weight_decay, .first = first,
             .nesterov = nesterov, .wds = wds, .neg_lr = neg_lr, .mom = mom, .omd = omd };
  tt_parallel_for(0, n, GRAIN, sgd_chunk, &s);
}

void tt_adadelta(float *p, const float *g, float *sq, float *ad, int64_t n, int maximize, int weight_decay,
                 float wds, float rho, float omr, float eps, float neg_lr) {
  Step s = { .p = p, .g = g, .sq = sq, .ad = ad, .maximize = maximize, .weight_decay = weight_decay,
             .wds = wds, .rho = rho, .omr = omr, .eps = eps, .neg_lr = neg_lr };
  tt_parallel_for(0, n, GRAIN, adadelta_chunk, &s);
}
