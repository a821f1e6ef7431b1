// Note [Caching allocator]: storage freed by the garbage collector comes back here and is handed
// out again for the next tensor of its size class, as PyTorch's allocators and glibc's arenas
// reuse memory: on these machines the first touch of fresh pages costs more than the arithmetic
// of a large elementwise op (PyTorch's own add of 4M floats: 2 ms into a reused buffer, 49 ms into
// fresh pages). Size classes are four per power of two (at most 25% slack); a class keeps a stack
// of free blocks. What the cache holds is bounded (CACHE_LIMIT): past it blocks go back to the
// system. Only the JavaScript thread allocates and releases (the collector's finalizers run
// there too), so there is no lock.
#include "alloc.h"
#include <stdlib.h>
#include <string.h>

#define CLASSES 192
#define CACHE_LIMIT ((uint64_t)1 << 31)

typedef struct { void **blocks; int count, capacity; } FreeList;
static FreeList lists[CLASSES];
static uint64_t in_use, cached, peak;

/* The size class of `bytes` (≥ 64): 4 classes per power of two, and the class's size. */
static int class_of(size_t bytes, size_t *size) {
  if (bytes < 64) bytes = 64;
  int e = 63 - __builtin_clzll((unsigned long long)bytes); /* 2^e ≤ bytes < 2^(e+1) */
  size_t step = (size_t)1 << (e >= 2 ? e - 2 : 0);
  size_t k = (bytes - ((size_t)1 << e) + step - 1) / step; /* 0..4 quarters above 2^e */
  *size = ((size_t)1 << e) + k * step;
  int c = 4 * e + (int)k;
  return c < CLASSES ? c : -1;
}

void *tt_alloc(size_t bytes, int zero, size_t *class_bytes, int *fresh) {
  size_t size;
  int c = class_of(bytes, &size);
  void *p = NULL;
  *fresh = !(c >= 0 && lists[c].count > 0);
  if (!*fresh) {
    p = lists[c].blocks[--lists[c].count];
    cached -= size;
    if (zero) memset(p, 0, size);
  } else {
    p = aligned_alloc(64, size);
    if (!p) {
      tt_empty_cache(); /* the memory may be sitting in other classes */
      p = aligned_alloc(64, size);
      if (!p) return NULL;
    }
    if (zero) memset(p, 0, size);
  }
  in_use += size;
  if (in_use > peak) peak = in_use;
  *class_bytes = size;
  return p;
}

int tt_release(void *p, size_t size) {
  size_t check;
  int c = class_of(size, &check);
  in_use -= size;
  if (c < 0 || cached + size > CACHE_LIMIT) { free(p); return 1; }
  FreeList *l = &lists[c];
  if (l->count == l->capacity) {
    int cap = l->capacity ? 2 * l->capacity : 16;
    void **b = realloc(l->blocks, sizeof(void *) * (size_t)cap);
    if (!b) { free(p); return 1; }
    l->blocks = b;
    l->capacity = cap;
  }
  l->blocks[l->count++] = p;
  cached += size;
  return 0;
}

uint64_t tt_empty_cache(void) {
  uint64_t freed = cached;
  for (int c = 0; c < CLASSES; c++) {
    for (int i = 0; i < lists[c].count; i++) free(lists[c].blocks[i]);
    lists[c].count = 0;
  }
  cached = 0;
  return freed;
}

void tt_alloc_stats(uint64_t *u, uint64_t *c, uint64_t *p) { *u = in_use; *c = cached; *p = peak; }
