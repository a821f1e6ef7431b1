/* A stand-in for the addon's thread pool (parallel.c), for the standalone harness only:
 * each call starts its helper threads afresh, which is slow for tiny ops but has the same
 * splitting contract. */
#include "../parallel.h"

#include <pthread.h>

static int num_threads = 1;

void tt_test_set_num_threads(int n) { num_threads = n < 1 ? 1 : n; }

int tt_get_num_threads(void) { return num_threads; }

typedef struct {
    tt_range_fn fn;
    void *ctx;
    int64_t begin, end;
} chunk;

static void *run_chunk(void *arg)
{
    chunk *c = arg;
    c->fn(c->ctx, c->begin, c->end);
    return NULL;
}

void tt_parallel_for(int64_t begin, int64_t end, int64_t grain, tt_range_fn fn, void *ctx)
{
    if (end <= begin)
        return;
    if (grain < 1)
        grain = 1;
    int64_t n = (end - begin + grain - 1) / grain;
    if (n > num_threads)
        n = num_threads;
    if (n <= 1) {
        fn(ctx, begin, end);
        return;
    }
    chunk chunks[64];
    pthread_t threads[64];
    if (n > 64)
        n = 64;
    const int64_t size = (end - begin + n - 1) / n;
    for (int64_t t = 0; t < n; t++) {
        chunks[t].fn = fn;
        chunks[t].ctx = ctx;
        chunks[t].begin = begin + t * size;
        chunks[t].end = begin + (t + 1) * size < end ? begin + (t + 1) * size : end;
    }
    for (int64_t t = 1; t < n; t++)
        pthread_create(&threads[t], NULL, run_chunk, &chunks[t]);
    run_chunk(&chunks[0]);
    for (int64_t t = 1; t < n; t++)
        pthread_join(threads[t], NULL);
}
