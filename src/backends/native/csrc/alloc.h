// The caching allocator of CPU storage (shared/DESIGN.md principle 6).
#ifndef TT_ALLOC_H
#define TT_ALLOC_H
#include <stddef.h>
#include <stdint.h>

/* A block of storage: `size` bytes (its size class) at 64-byte aligned `data`, and what the
 * engine wraps it in (`owner`: the ArrayBuffer's reference, Note [Reused ArrayBuffers] in
 * addon.c), kept with the block while it is cached so the wrapper is reused too. */
typedef struct tt_block {
  void *data;
  size_t size;
  void *raw; /* (what malloc or mmap gave) */
  size_t mapped; /* (mmap's length; 0: malloc's) */
  void *owner;
  struct tt_block *next; /* (for the caller's lists of blocks) */
} tt_block;

/* A block of at least `bytes`, zero-filled when `zero`: a cached one of its size class, or a
 * fresh one (owner NULL, for the caller to wrap). NULL when memory is exhausted. */
tt_block *tt_alloc(size_t bytes, int zero);
/* Whether a request for `bytes` would get a cached block. */
int tt_has_cached(size_t bytes);
/* Hands a block back. 0: cached; 1: the cache is full, and the caller lets the block go. */
int tt_release(tt_block *b);
/* Empties the cache (torch's empty_cache): the blocks it held, linked through `next`, for the
 * caller to let go. */
tt_block *tt_empty_cache(void);
/* Frees a let-go block's memory while its wrapper is still around (data becomes NULL). */
void tt_release_memory(tt_block *b);
/* Frees a let-go block, once its wrapper is gone. */
void tt_free(tt_block *b);
/* Bytes in blocks handed out, in blocks cached, and the most ever handed out at once. */
void tt_alloc_stats(uint64_t *in_use, uint64_t *cached, uint64_t *peak);
#endif
