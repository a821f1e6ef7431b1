/* A stand-in for the addon's thread pool (parallel.c), for the standalone harness only: a
 * fixed set of helper threads that busy-wait a while (as OpenMP's do, so that timings
 * compare with PyTorch's), then sleep, between calls, with the same splitting contract as
 * the addon's. */
#include "../parallel.h"

#include <pthread.h>

#define MAX_THREADS 16

static int num_threads = 1;
static pthread_t helpers[MAX_THREADS];
static int started = 0; /* helpers running */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER, done = PTHREAD_COND_INITIALIZER;
static volatile unsigned long generation = 0; /* bumped per call, under lock */
static volatile int pending = 0;              /* chunks not finished, under lock */
static tt_range_fn job_fn;
static void *job_ctx;
static int64_t job_begin, job_end, job_chunks;

void tt_test_set_num_threads(int n) { num_threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n; }

int tt_get_num_threads(void) { return num_threads; }

static void run_chunk(int64_t t)
{
    const int64_t size = (job_end - job_begin + job_chunks - 1) / job_chunks;
    const int64_t b = job_begin + t * size, e = b + size < job_end ? b + size : job_end;
    if (b < e)
        job_fn(job_ctx, b, e);
}

static void *helper(void *arg)
{
    const int64_t me = (int64_t)(intptr_t)arg;
    unsigned long seen = 0;
    for (;;) {
        for (long spin = 0; spin < 100000000 && generation == seen; spin++)
            ;
        pthread_mutex_lock(&lock);
        while (generation == seen)
            pthread_cond_wait(&wake, &lock);
        seen = generation;
        const int mine = me < job_chunks;
        pthread_mutex_unlock(&lock);
        if (mine) {
            run_chunk(me);
            pthread_mutex_lock(&lock);
            if (--pending == 0)
                pthread_cond_signal(&done);
            pthread_mutex_unlock(&lock);
        }
    }
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
    pthread_mutex_lock(&lock);
    while (started < n - 1) {
        pthread_create(&helpers[started], NULL, helper, (void *)(intptr_t)(started + 1));
        started++;
    }
    job_fn = fn, job_ctx = ctx, job_begin = begin, job_end = end, job_chunks = n;
    pending = (int)n - 1;
    generation++;
    pthread_cond_broadcast(&wake);
    pthread_mutex_unlock(&lock);
    run_chunk(0);
    for (long spin = 0; spin < 100000000 && pending > 0; spin++)
        ;
    pthread_mutex_lock(&lock);
    while (pending > 0)
        pthread_cond_wait(&done, &lock);
    pthread_mutex_unlock(&lock);
}
