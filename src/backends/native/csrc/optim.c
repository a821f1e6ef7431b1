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

TT_CLONES static void adam_range(const Step *s, int64_t i0, int64_t i1) {
  float *restrict p = s->p, *restrict m = s->m, *restrict v = s->v, *restrict vmax = s->vmax;
  const float *restrict g = s->g;
  for (int64_t i = i0; i < i1; i++) {
    float pi = p[i], gi = s->maximize ? -g[i] : g[i];
    if (s->weight_decay) {
      if (s->decoupled) pi = pi * s->decay;          /* param.mul_(1 - lr·weight_decay) */
      else gi = fma64(pi, s->wds, gi);               /* grad = grad.add(param, alpha=weight_decay) */
    }
    float m0 = m[i];
    float mi = fma64(s->coeff, gi - m0, s->small ? m0 : gi); /* exp_avg.lerp_(grad, 1 - beta1) */
    float vi = fma64(s->omb2 * gi, gi, v[i] * s->b2);        /* exp_avg_sq.mul_(b2).addcmul_(g, g, 1 - b2) */
    float vm = vi;
    if (vmax) { float w = vmax[i]; vm = (w != w || vi != vi) ? w + vi : (w > vi ? w : vi); vmax[i] = vm; } /* NaN-propagating max */
    float denom = sqrtf(vm) / s->bc2 + s->eps;
    p[i] = pi + (s->neg_step * mi) / denom;
    m[i] = mi;
    v[i] = vi;
  }
}

TT_CLONES static void sgd_range(const Step *s, int64_t i0, int64_t i1) {
  float *restrict p = s->p, *restrict buf = s->buf;
  const float *restrict g = s->g;
  for (int64_t i = i0; i < i1; i++) {
    float pi = p[i], gi = s->maximize ? -g[i] : g[i];
    if (s->weight_decay) gi = fma64(pi, s->wds, gi);
    if (buf) {
      float b = s->first ? gi : fma64(gi, s->omd, buf[i] * s->mom);
      buf[i] = b;
      gi = s->nesterov ? fma64(b, s->mom, gi) : b;
    }
    p[i] = fma64(gi, s->neg_lr, pi);
  }
}

TT_CLONES static void adadelta_range(const Step *s, int64_t i0, int64_t i1) {
  float *restrict p = s->p, *restrict sq = s->sq, *restrict ad = s->ad;
  const float *restrict g = s->g;
  for (int64_t i = i0; i < i1; i++) {
    float pi = p[i], gi = s->maximize ? -g[i] : g[i];
    if (s->weight_decay) gi = fma64(pi, s->wds, gi);
    float v = fma64(s->omr * gi, gi, sq[i] * s->rho);
    sq[i] = v;
    float std = sqrtf(v + s->eps), a0 = ad[i];
    float delta = (sqrtf(a0 + s->eps) / std) * gi;
    ad[i] = fma64(s->omr * delta, delta, a0 * s->rho);
    p[i] = fma64(delta, s->neg_lr, pi);
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
