// gather, scatter / scatter_add and index_add on float32, indices int64 (torch.gather's,
// torch.scatter's, and embedding's and index_select's gradients), and index_select of any dtype. Each checks its indices before
// it writes anything (ATen's kernels check as they go; the result is the same error and, here,
// no element written), and returns the position of the first one out of range.
//
// Threads split the work so that no two write the same element: gather by output rows, scatter
// by lines along dim d (two lines differ in another coordinate, so in every position they can
// write), index_add by columns. A destination's additions then happen in the reference's order,
// so scatter_add and index_add give its bits.
#include "kernels.h"
#include "parallel.h"
#include <string.h>

#define GRAIN 32768

/* the first position in idx[0..n) outside [0, size), or -1 */
static int64_t first_bad(const int64_t *idx, int64_t n, int64_t size) {
  int bad = 0;
#pragma omp simd reduction(| : bad)
  for (int64_t k = 0; k < n; k++) bad |= (uint64_t)idx[k] >= (uint64_t)size;
  if (bad) for (int64_t k = 0; k < n; k++) if ((uint64_t)idx[k] >= (uint64_t)size) return k;
  return -1;
}

typedef struct {
  float *y; const float *x; const int64_t *idx; float value;
  int nd, d; const int64_t *shape, *xs, *ys; int64_t xrow[8], L, add;
} IndexJob;

/* the offset, through strides st, of the coordinates of flat position `flat` in the dims [0, nd)
 * of `shape` but `skip` (a gather row's start: the dims but the last; a scatter line's: all but d) */
static int64_t offset_of(int64_t flat, const int64_t *shape, const int64_t *st, int nd, int skip) {
  int64_t off = 0;
  for (int a = nd - 1; a >= 0; a--) {
    if (a == skip) continue;
    off += (flat % shape[a]) * st[a];
    flat /= shape[a];
  }
  return off;
}

/* output rows [r0, r1) of gather (nd ≤ 8): y[…, k] = x[…, idx[…, k] at dim d, …] */
static void gather_rows(void *ctx, int64_t r0, int64_t r1) {
  const IndexJob *j = ctx;
  const int nd = j->nd, d = j->d;
  const int64_t L = j->L, sd = j->xs[d], sl = j->xs[nd - 1];
  for (int64_t r = r0; r < r1; r++) {
    const float *x = j->x + offset_of(r, j->shape, j->xrow, nd - 1, -1);
    const int64_t *idx = j->idx + r * L;
    float *y = j->y + r * L;
    if (d == nd - 1) for (int64_t k = 0; k < L; k++) y[k] = x[idx[k] * sd];
    else for (int64_t k = 0; k < L; k++) y[k] = x[k * sl + idx[k] * sd];
  }
}

int64_t tt_gather(const float *x, const int64_t *idx, float *y, int nd, const int64_t *shape, const int64_t *xs, int d, int64_t size) {
  int64_t n = 1;
  for (int a = 0; a < nd; a++) n *= shape[a];
  int64_t bad = first_bad(idx, n, size);
  if (bad >= 0 || n == 0) return bad;
  IndexJob j = { .y = y, .x = x, .idx = idx, .nd = nd, .d = d, .shape = shape, .xs = xs, .L = shape[nd - 1] };
  for (int a = 0; a < nd; a++) j.xrow[a] = a == d ? 0 : xs[a]; /* (dim d's coordinate comes from idx) */
  tt_parallel_for(0, n / j.L, GRAIN / (j.L + 1) + 1, gather_rows, &j);
  return -1;
}

/* lines [l0, l1) along dim d of scatter (nd ≤ 8): out[…, idx[…, t, …], …] (+)= src[…, t, …] (or
 * value). Along the last dim a line is a run of memory and is walked whole; along another,
 * neighbouring lines are neighbours in memory, so a block of them is walked together, step t of
 * every line before step t + 1 (each destination still sees its additions in t order). */
#define LINE_BLOCK 256
static void scatter_lines(void *ctx, int64_t l0, int64_t l1) {
  const IndexJob *j = ctx;
  const int nd = j->nd, d = j->d;
  const int64_t T = j->shape[d], od = j->ys[d], sd = j->x ? j->xs[d] : 0;
  int64_t is[8]; /* the index's own (contiguous) strides */
  is[nd - 1] = 1;
  for (int a = nd - 2; a >= 0; a--) is[a] = is[a + 1] * j->shape[a + 1];
  const int64_t id = is[d], block = d == nd - 1 ? 1 : LINE_BLOCK;
  int64_t oo[LINE_BLOCK], io[LINE_BLOCK], so[LINE_BLOCK];
  for (int64_t b0 = l0; b0 < l1; b0 += block) {
    const int64_t n = b0 + block < l1 ? block : l1 - b0;
    for (int64_t k = 0; k < n; k++) {
      oo[k] = offset_of(b0 + k, j->shape, j->ys, nd, d);
      io[k] = offset_of(b0 + k, j->shape, is, nd, d);
      so[k] = j->x ? offset_of(b0 + k, j->shape, j->xs, nd, d) : 0;
    }
    for (int64_t t = 0; t < T; t++)
      for (int64_t k = 0; k < n; k++) {
        float v = j->x ? j->x[so[k] + t * sd] : j->value;
        float *at = j->y + oo[k] + j->idx[io[k] + t * id] * od;
        *at = j->add ? *at + v : v;
      }
  }
}

int64_t tt_scatter(float *out, const int64_t *idx, const float *src, float value, int nd, const int64_t *shape,
                   const int64_t *os, const int64_t *ss, int d, int64_t size, int add) {
  int64_t n = 1;
  for (int a = 0; a < nd; a++) n *= shape[a];
  int64_t bad = first_bad(idx, n, size);
  if (bad >= 0 || n == 0) return bad;
  IndexJob j = { .y = out, .x = src, .idx = idx, .value = value, .nd = nd, .d = d, .shape = shape, .xs = ss, .ys = os, .add = add };
  tt_parallel_for(0, n / shape[d], GRAIN / (shape[d] + 1) + 1, scatter_lines, &j);
  return -1;
}

typedef struct { const char *x; char *y; const double *idx; int64_t size, n, bytes; } IndexSelectJob;

/* rows [r0, r1) of index_select's [pre·n] rows: y[p, k] = x[p, idx[k]], rows of `bytes` bytes */
static void index_select_rows(void *ctx, int64_t r0, int64_t r1) {
  const IndexSelectJob *j = ctx;
  const int64_t n = j->n, b = j->bytes;
  int64_t p = r0 / n, k = r0 % n;
  for (int64_t r = r0; r < r1; r++) {
    const char *from = j->x + (p * j->size + (int64_t)j->idx[k]) * b;
    char *to = j->y + r * b;
    if (b == 4) memcpy(to, from, 4); /* (a constant size: one move, for the last dim's elements) */
    else if (b == 8) memcpy(to, from, 8);
    else memcpy(to, from, (size_t)b);
    if (++k == n) { k = 0; p++; }
  }
}

void tt_index_select(const void *x, void *y, const double *idx, int64_t pre, int64_t size, int64_t n, int64_t bytes) {
  IndexSelectJob j = { .x = x, .y = y, .idx = idx, .size = size, .n = n, .bytes = bytes };
  tt_parallel_for(0, pre * n, 4 * GRAIN / (bytes + 16) + 1, index_select_rows, &j);
}

typedef struct { float *out; const float *src; const double *idx; int64_t pre, size, n, post; } IndexAddJob;

/* columns [c0, c1) of index_add: out[p, idx[k], c] += src[p, k, c] for every p, k in order */
static void index_add_cols(void *ctx, int64_t c0, int64_t c1) {
  const IndexAddJob *j = ctx;
  for (int64_t p = 0; p < j->pre; p++) {
    for (int64_t k = 0; k < j->n; k++) {
      float *restrict o = j->out + (p * j->size + (int64_t)j->idx[k]) * j->post;
      const float *restrict s = j->src + (p * j->n + k) * j->post;
      for (int64_t c = c0; c < c1; c++) o[c] += s[c];
    }
  }
}

void tt_index_add(float *out, const double *idx, const float *src, int64_t pre, int64_t size, int64_t n, int64_t post) {
  IndexAddJob j = { .out = out, .src = src, .idx = idx, .pre = pre, .size = size, .n = n, .post = post };
  tt_parallel_for(0, post, GRAIN / (pre * n + 1) + 1, index_add_cols, &j);
}
