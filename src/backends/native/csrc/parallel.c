// Note [Thread pool]: workers are started on first need and then wait for jobs: they spin for a
// short while after each one (the next op usually follows within microseconds, and a sleeping
// thread takes tens of microseconds to wake), then sleep on a condition variable. A job is a
// range split into as many equal chunks as threads will run it (static scheduling: the same
// split every time, so results never depend on timing); workers take chunks by an atomic counter
// and the caller, after its own chunk, takes what is left, so a slow-to-wake worker costs nothing.
#include "parallel.h"
#include <pthread.h>
#include <stdatomic.h>
#include <sched.h>
#include <time.h>

#define MAX_THREADS 64
/* how long a worker keeps polling for the next job before it sleeps (nanoseconds) */
#define SPIN_NS 50000

static int num_threads = 1;
static int started = 0;           /* workers running */
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;

static struct {
  tt_range_fn fn;
  void *ctx;
  int64_t begin, end, chunk;
  int parts;
} job;
/* Note [Job tickets]: the job's number, its number of chunks and the next chunk to take in one
 * word, (job << 32) | (chunks << 16) | next, so that a worker still finishing an old job can
 * never take a chunk of the next one: a claim is a compare-and-swap of the word it checked, which
 * fails once the word has moved on to another job. */
static _Atomic uint64_t ticket;
static uint64_t jobs_posted;
static atomic_int pending;        /* chunks of the current job not finished */
static _Thread_local int inside;  /* this thread runs a chunk: nested calls run inline */

static int64_t now_ns(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Takes and runs chunks of job `id` until none is left (or another job has begun). */
static void drain(uint64_t id) {
  for (;;) {
    uint64_t v = atomic_load_explicit(&ticket, memory_order_acquire);
    if (v >> 32 != id || (v & 0xffff) >= ((v >> 16) & 0xffff)) return;
    if (!atomic_compare_exchange_weak(&ticket, &v, v + 1)) continue;
    int64_t b = job.begin + (int64_t)(v & 0xffff) * job.chunk, e = b + job.chunk;
    if (e > job.end) e = job.end;
    job.fn(job.ctx, b, e);
    atomic_fetch_sub_explicit(&pending, 1, memory_order_release);
  }
}

static void *worker(void *arg) {
  (void)arg;
  inside = 1;
  uint64_t seen = atomic_load(&ticket) >> 32;
  for (;;) {
    int64_t until = now_ns() + SPIN_NS;
    uint64_t id;
    int polls = 0;
    while ((id = atomic_load_explicit(&ticket, memory_order_acquire) >> 32) == seen) {
      if ((++polls & 63) == 0 && now_ns() > until) {
        pthread_mutex_lock(&mu);
        while ((id = atomic_load(&ticket) >> 32) == seen) pthread_cond_wait(&wake, &mu);
        pthread_mutex_unlock(&mu);
        break;
      }
    }
    seen = id;
    drain(id);
  }
  return NULL;
}

static void start_workers(int want) {
  while (started < want && started < MAX_THREADS - 1) {
    pthread_t t;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&t, &attr, worker, NULL);
    pthread_attr_destroy(&attr);
    if (failed) break;
    started++;
  }
}

void tt_parallel_for(int64_t begin, int64_t end, int64_t grain, tt_range_fn fn, void *ctx) {
  int64_t n = end - begin;
  if (n <= 0) return;
  if (grain < 1) grain = 1;
  int64_t most = (n + grain - 1) / grain;
  int parts = most < num_threads ? (int)most : num_threads;
  if (parts <= 1 || inside) { fn(ctx, begin, end); return; }
  start_workers(parts - 1);
  if (started == 0) { fn(ctx, begin, end); return; }
  if (parts > started + 1) parts = started + 1;
  job.fn = fn; job.ctx = ctx; job.begin = begin; job.end = end;
  job.chunk = (n + parts - 1) / parts;
  job.parts = (int)((n + job.chunk - 1) / job.chunk);
  atomic_store(&pending, job.parts);
  uint64_t id = ++jobs_posted;
  pthread_mutex_lock(&mu);
  atomic_store_explicit(&ticket, id << 32 | (uint64_t)job.parts << 16, memory_order_release);
  pthread_cond_broadcast(&wake);
  pthread_mutex_unlock(&mu);
  inside = 1;
  drain(id);
  inside = 0;
  while (atomic_load_explicit(&pending, memory_order_acquire) > 0) sched_yield();
}

void tt_set_num_threads(int n) {
  num_threads = n < 1 ? 1 : n > MAX_THREADS ? MAX_THREADS : n;
}

int tt_get_num_threads(void) { return num_threads; }
