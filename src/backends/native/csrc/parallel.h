// The thread pool: ATen's parallel_for over a pool of native threads, the caller included.
#ifndef TT_PARALLEL_H
#define TT_PARALLEL_H
#include <stdint.h>

typedef void (*tt_range_fn)(void *ctx, int64_t begin, int64_t end);

/* Splits [begin, end) into at most tt_get_num_threads() contiguous chunks of at least `grain`
 * elements and runs fn on each, the calling thread taking the first; returns when all are done.
 * One chunk (little work, one thread, or a call from inside a chunk) runs inline. The split
 * depends only on the range, the grain and the thread count, so a kernel whose chunks write
 * disjoint outputs gives the same bits on every run. */
void tt_parallel_for(int64_t begin, int64_t end, int64_t grain, tt_range_fn fn, void *ctx);
/* torch.set_num_threads / get_num_threads (the caller included); n is clamped to [1, 64]. */
void tt_set_num_threads(int n);
int tt_get_num_threads(void);

#endif
