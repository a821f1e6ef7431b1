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
#include <sys/mman.h>

#define CLASSES 192
#define CACHE_LIMIT ((uint64_t)1 << 31)

typedef struct { tt_block **blocks; int count, capacity; } FreeList;
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

/* A fresh block. Blocks of 2 MiB and more are mapped on their own, 2 MiB aligned, with their
 * whole 2 MiB pages asked to be huge pages (this kernel's transparent huge pages are "madvise"):
 * a first touch faults once per 2 MiB instead of once per 4 KiB (measured, a fresh 16 MB output:
 * 14.3 -> 12.8 ms of CPU; zeroing the pages is most of what is left), and blocks going round the
 * cache take 512 times fewer TLB entries. The tail past the last whole huge page keeps small
 * pages, so no block makes more resident than its size. Smaller blocks are malloc's memory,
 * 64-byte aligned by hand (aligned_alloc asks malloc for more than the size and splits the chunk,
 * so a freed block's hole is too small for the next block of its class, and the heap grows: 16 MB
 * blocks let go in turn grew it by 3 MB per block). */
#define HUGE_PAGE ((size_t)2 << 20)
static tt_block *fresh_block(size_t size) {
  tt_block *b = malloc(sizeof *b);
  if (!b) return NULL;
  b->size = size; b->owner = NULL; b->next = NULL; b->mapped = 0;
  if (size >= HUGE_PAGE) {
    size_t len = size + HUGE_PAGE;
    void *raw = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) { free(b); return NULL; }
    b->raw = raw; b->mapped = len;
    b->data = (void *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
#ifdef MADV_HUGEPAGE
    madvise(b->data, size / HUGE_PAGE * HUGE_PAGE, MADV_HUGEPAGE);
#endif
    return b;
  }
  void *raw = malloc(size + 64);
  if (!raw) { free(b); return NULL; }
  b->raw = raw;
  b->data = (void *)(((uintptr_t)raw + 64) & ~(uintptr_t)63);
  return b;
}

static void free_memory(tt_block *b) {
  if (b->mapped) munmap(b->raw, b->mapped);
  else free(b->raw);
}

int tt_has_cached(size_t bytes) {
  size_t size;
  int c = class_of(bytes, &size);
  return c >= 0 && lists[c].count > 0;
}

tt_block *tt_alloc(size_t bytes, int zero) {
  size_t size;
  int c = class_of(bytes, &size);
  tt_block *b;
  if (c >= 0 && lists[c].count > 0) {
    b = lists[c].blocks[--lists[c].count];
    cached -= size;
  } else if (!(b = fresh_block(size))) {
    return NULL; /* (the caller empties the cache and tries again) */
  }
  if (zero) memset(b->data, 0, size);
  in_use += size;
  if (in_use > peak) peak = in_use;
  return b;
}

int tt_release(tt_block *b) {
  size_t check;
  int c = class_of(b->size, &check);
  in_use -= b->size;
  if (c < 0 || cached + b->size > CACHE_LIMIT) return 1;
  FreeList *l = &lists[c];
  if (l->count == l->capacity) {
    int cap = l->capacity ? 2 * l->capacity : 16;
    tt_block **blocks = realloc(l->blocks, sizeof(tt_block *) * (size_t)cap);
    if (!blocks) return 1;
    l->blocks = blocks;
    l->capacity = cap;
  }
  l->blocks[l->count++] = b;
  cached += b->size;
  return 0;
}

tt_block *tt_empty_cache(void) {
  tt_block *gone = NULL;
  for (int c = 0; c < CLASSES; c++) {
    for (int i = 0; i < lists[c].count; i++) { tt_block *b = lists[c].blocks[i]; b->next = gone; gone = b; }
    lists[c].count = 0;
  }
  cached = 0;
  return gone;
}

void tt_release_memory(tt_block *b) {
  free_memory(b);
  b->raw = b->data = NULL;
}

void tt_free(tt_block *b) {
  if (b->raw) free_memory(b);
  free(b);
}

void tt_alloc_stats(uint64_t *u, uint64_t *c, uint64_t *p) { *u = in_use; *c = cached; *p = peak; }
