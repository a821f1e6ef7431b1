// The caching allocator of CPU storage (shared/DESIGN.md principle 6).
#ifndef TT_ALLOC_H
#define TT_ALLOC_H
#include <stddef.h>
#include <stdint.h>

/* A 64-byte aligned block of at least `bytes` (rounded up to its size class, whose size is
 * written to *class_bytes); zero-filled when `zero`. *fresh says whether it came from the system
 * (not the cache). NULL when memory is exhausted. */
void *tt_alloc(size_t bytes, int zero, size_t *class_bytes, int *fresh);
/* Returns a block of tt_alloc to the cache, or to the system past the cache's limit: then the
 * result is 1. */
int tt_release(void *p, size_t class_bytes);
/* Frees every cached block (torch's empty_cache); returns the bytes given back to the system. */
uint64_t tt_empty_cache(void);
/* Bytes in blocks handed out, in blocks cached, and the most ever handed out at once. */
void tt_alloc_stats(uint64_t *in_use, uint64_t *cached, uint64_t *peak);
#endif
