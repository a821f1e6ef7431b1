/* The native engine's thread pool (ATen's at::parallel_for), implemented in parallel.c.
 * Kernels describe their work as a range of independent items; the pool decides how many
 * threads take part. */
#ifndef TT_PARALLEL_H
#define TT_PARALLEL_H

#include <stdint.h>

typedef void (*tt_range_fn)(void *ctx, int64_t begin, int64_t end);

/* Splits [begin, end) into chunks of at least `grain` items over the pool's threads (the
 * caller included) and returns when all are done; runs fn inline when there is one chunk. */
void tt_parallel_for(int64_t begin, int64_t end, int64_t grain, tt_range_fn fn, void *ctx);

/* The number of threads tt_parallel_for may use (torch.get_num_threads()). */
int tt_get_num_threads(void);

#endif
