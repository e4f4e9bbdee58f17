/* The native backend's threads: a persistent pool, caller + workers, one fixed task per thread.
 * A worker spins (pause) for a while after each job and then sleeps on a condition variable:
 * waking a sleeper costs ~15 µs on a VM, taking the next job while spinning a few µs
 * (../shared/peers/native-kernels/README.md). Results never depend on which thread ran what:
 * every caller partitions the output in fixed runs, so the pool only decides when, not what. */
#define _GNU_SOURCE
#include "dlx.h"
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#define relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define relax() __asm__ __volatile__("yield")
#else
#define relax() ((void)0)
#endif

#define SPIN_NS 100000L /* how long an idle worker spins before it sleeps */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int sleepers;
  atomic_uint gen;
  atomic_int done;
  int workers;
  /* the job: written by the caller before it publishes a generation, read by the workers after */
  _Atomic(task_fn) fn;
  _Atomic(void *) ctx;
  atomic_int count;
  unsigned startGen[MAX_THREADS]; /* the generation before a worker's first job (it must not miss it) */
} P = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, NULL, NULL, 0, {0} };

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

static void *worker(void *arg) {
  int id = (int)(intptr_t)arg;
  unsigned seen = P.startGen[id];
  for (;;) {
    long since = now_ns();
    unsigned gen;
    /* an odd generation: the caller is writing the job */
    for (int spins = 0; (gen = atomic_load_explicit(&P.gen, memory_order_acquire)) == seen || (gen & 1); spins++) {
      relax();
      if ((spins & 63) == 63 && now_ns() - since > SPIN_NS) {
        pthread_mutex_lock(&P.mu);
        P.sleepers++;
        while ((gen = atomic_load_explicit(&P.gen, memory_order_acquire)) == seen || (gen & 1)) pthread_cond_wait(&P.cv, &P.mu);
        P.sleepers--;
        pthread_mutex_unlock(&P.mu);
        break;
      }
    }
    /* a worker left out of one job may read the fields late, while the caller publishes the
     * next: read them, then check that the generation did not move (a sequence lock) */
    task_fn fn;
    void *ctx;
    int count;
    for (;;) {
      fn = atomic_load_explicit(&P.fn, memory_order_relaxed);
      ctx = atomic_load_explicit(&P.ctx, memory_order_relaxed);
      count = atomic_load_explicit(&P.count, memory_order_relaxed);
      atomic_thread_fence(memory_order_acquire);
      unsigned again = atomic_load_explicit(&P.gen, memory_order_relaxed);
      if (again == gen) break;
      while ((gen = atomic_load_explicit(&P.gen, memory_order_acquire)) & 1) relax();
    }
    seen = gen;
    if (id < count) {
      fn(ctx, id, count);
      atomic_fetch_add_explicit(&P.done, 1, memory_order_release);
    }
  }
  return NULL;
}

void pool_run(int count, task_fn fn, void *ctx) {
  if (count > MAX_THREADS) count = MAX_THREADS;
  if (count <= 1) { fn(ctx, 0, 1); return; }
  while (P.workers < count - 1) {
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    P.startGen[P.workers + 1] = atomic_load_explicit(&P.gen, memory_order_relaxed);
    int failed = pthread_create(&th, &attr, worker, (void *)(intptr_t)(P.workers + 1));
    pthread_attr_destroy(&attr);
    if (failed) break;
    P.workers++;
  }
  if (count > P.workers + 1) count = P.workers + 1; /* no more threads: the tasks still cover all (see callers) */
  atomic_fetch_add_explicit(&P.gen, 1, memory_order_relaxed); /* odd: writing */
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&P.fn, fn, memory_order_relaxed);
  atomic_store_explicit(&P.ctx, ctx, memory_order_relaxed);
  atomic_store_explicit(&P.count, count, memory_order_relaxed);
  atomic_store_explicit(&P.done, 0, memory_order_relaxed);
  atomic_fetch_add_explicit(&P.gen, 1, memory_order_release); /* even: published */
  pthread_mutex_lock(&P.mu);
  if (P.sleepers > 0) pthread_cond_broadcast(&P.cv);
  pthread_mutex_unlock(&P.mu);
  fn(ctx, 0, count);
  while (atomic_load_explicit(&P.done, memory_order_acquire) < count - 1) relax();
}

static struct { float *p; size_t bytes; } scratch[MAX_THREADS][6];

float *pool_scratch(int t, int slot, size_t bytes) {
  if (scratch[t][slot].bytes < bytes) {
    free(scratch[t][slot].p);
    size_t size = (bytes + 4095) & ~(size_t)4095;
    void *p = NULL;
    if (posix_memalign(&p, 64, size) != 0) p = NULL;
    scratch[t][slot].p = p;
    scratch[t][slot].bytes = p ? size : 0;
  }
  return scratch[t][slot].p;
}

void share(long total, int t, int count, long quantum, long *from, long *to) {
  long units = (total + quantum - 1) / quantum;
  long a = units * t / count * quantum, b = units * (t + 1) / count * quantum;
  *from = a < total ? a : total;
  *to = b < total ? b : total;
}

int tasks_for(long total, long minPer, int threads) {
  long t = minPer > 0 ? total / minPer : total;
  if (t > threads) t = threads;
  if (t > MAX_THREADS) t = MAX_THREADS;
  return t < 1 ? 1 : (int)t;
}
