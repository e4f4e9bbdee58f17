/* The native backend's threads: a persistent pool, the caller and its workers taking the tasks
 * of a job from a shared counter. A task's output is fixed by its index alone, never by the
 * thread that runs it, so results do not depend on the thread count or on scheduling; and when
 * a worker is not scheduled (an oversubscribed machine), the caller runs its tasks instead of
 * waiting for it. Workers spin (pause) for a while after each job and then sleep on a condition
 * variable: waking a sleeper costs ~15 µs on a VM, taking the next job while spinning a few µs
 * (../shared/peers/native-kernels/README.md). */
#define _GNU_SOURCE
#include "dlx.h"
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#define SPIN_NS 100000L /* how long an idle worker spins before it sleeps */
#define CLOSED 0xffffffffu /* the task counter while the caller writes a job */

static struct {
  pthread_mutex_t mu;
  pthread_cond_t cv;
  int sleepers;
  /* generation << 32 | the next task to take; an odd generation while the caller writes the job */
  _Atomic uint64_t job;
  atomic_int finished;
  int workers;
  uint32_t gen;
  _Atomic(task_fn) fn;
  _Atomic(void *) ctx;
  atomic_int count;
  atomic_int limit; /* threads the job may use: workers numbered from `limit` on sit it out */
} P = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0, 0, 0, 0, 0, NULL, NULL, 0, 0 };

/* The running thread's number: 0 for callers, 1… for workers; scratch areas belong to it. */
static __thread int self = 0;

void pool_backoff(unsigned *spins) {
  relax();
  if ((++*spins & 63) == 0) sched_yield();
}

static long now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000000000L + ts.tv_nsec;
}

/* Takes and runs tasks of generation `gen` until none is left (or the job is no longer `gen`); how many it ran. */
static int take_tasks(uint32_t gen, task_fn fn, void *ctx, int count) {
  uint64_t v = atomic_load_explicit(&P.job, memory_order_acquire);
  for (int ran = 0;; ) {
    uint32_t next = (uint32_t)v;
    if ((uint32_t)(v >> 32) != gen || next >= (uint32_t)count) return ran;
    if (atomic_compare_exchange_weak_explicit(&P.job, &v, v + 1, memory_order_acq_rel, memory_order_acquire)) {
      fn(ctx, (int)next, count);
      ran++;
      atomic_fetch_add_explicit(&P.finished, 1, memory_order_release);
      v = atomic_load_explicit(&P.job, memory_order_acquire);
    }
  }
}

static inline uint32_t published(uint32_t seen) {
  uint32_t gen = (uint32_t)(atomic_load_explicit(&P.job, memory_order_acquire) >> 32);
  return gen != seen && !(gen & 1) ? gen : 0;
}

/* Rows noted for an idle worker to prefetch (k_prefetch_rows: the next batch's, scattered over
 * the dataset in DRAM): between jobs, a worker that would otherwise spin claims one row at a
 * time and touches its cache lines, so the next gather finds them in cache. Two buffers, used in
 * turn, and relaxed atomics throughout: a worker that reads a buffer being rewritten (it was
 * descheduled for a whole step) prefetches a wrong address, which is harmless: a prefetch never
 * faults and changes no result. */
#define AHEAD_ROWS 1024
#define AHEAD_BYTES (2L << 20)
static struct {
  _Atomic(const float *) src[2];
  atomic_long width[2];
  atomic_int rows[2][AHEAD_ROWS];
  _Atomic uint64_t claim; /* generation << 32 | rows claimed; the generation's low bit picks the buffer */
  atomic_int count;
  uint32_t gen;
} A;

void k_prefetch_rows(const float *src, long width, const int32_t *rows, long count) {
  long most = AHEAD_BYTES / (long)(sizeof(float) * width + 1);
  if (most > AHEAD_ROWS) most = AHEAD_ROWS;
  if (count > most) count = most;
  const uint32_t gen = ++A.gen;
  const int b = gen & 1;
  atomic_store_explicit(&A.src[b], src, memory_order_relaxed);
  atomic_store_explicit(&A.width[b], width, memory_order_relaxed);
  for (long i = 0; i < count; i++) atomic_store_explicit(&A.rows[b][i], rows[i], memory_order_relaxed);
  atomic_store_explicit(&A.count, (int)count, memory_order_relaxed);
  atomic_store_explicit(&A.claim, (uint64_t)gen << 32, memory_order_release);
}

/* Forgets the noted rows (the gather that wanted them is running). */
void pool_forget_ahead(void) {
  atomic_store_explicit(&A.claim, (uint64_t)++A.gen << 32 | 0xffffffffu, memory_order_release);
}

/* Prefetches one noted row; 0 when none is left. */
static int fetch_ahead(void) {
  uint64_t v = atomic_load_explicit(&A.claim, memory_order_acquire);
  for (;;) {
    uint32_t next = (uint32_t)v;
    if (next >= (uint32_t)atomic_load_explicit(&A.count, memory_order_relaxed)) return 0;
    if (atomic_compare_exchange_weak_explicit(&A.claim, &v, v + 1, memory_order_acq_rel, memory_order_acquire)) break;
  }
  const int b = (int)(v >> 32) & 1;
  const long width = atomic_load_explicit(&A.width[b], memory_order_relaxed);
  const char *row = (const char *)(atomic_load_explicit(&A.src[b], memory_order_relaxed) +
    (long)atomic_load_explicit(&A.rows[b][(uint32_t)v], memory_order_relaxed) * width);
  for (long at = 0; at < (long)sizeof(float) * width; at += 64) __builtin_prefetch(row + at, 0, 1);
  return 1;
}

static void *worker(void *arg) {
  uint32_t seen = (uint32_t)((uintptr_t)arg >> 8);
  self = (int)((uintptr_t)arg & 0xff);
  for (;;) {
    long since = now_ns();
    uint32_t gen;
    for (unsigned spins = 0; !(gen = published(seen));) {
      if (fetch_ahead()) { since = now_ns(); continue; }
      pool_backoff(&spins);
      if ((spins & 63) == 0 && now_ns() - since > SPIN_NS) {
        pthread_mutex_lock(&P.mu);
        P.sleepers++;
        while (!(gen = published(seen))) pthread_cond_wait(&P.cv, &P.mu);
        P.sleepers--;
        pthread_mutex_unlock(&P.mu);
        break;
      }
    }
    seen = gen;
    /* fields read here belong to `gen` whenever a task of `gen` is still there to take: the
     * caller writes the next job's fields only after every task of this one has finished */
    if (self < atomic_load_explicit(&P.limit, memory_order_relaxed))
      take_tasks(gen, atomic_load_explicit(&P.fn, memory_order_relaxed), atomic_load_explicit(&P.ctx, memory_order_relaxed),
        atomic_load_explicit(&P.count, memory_order_relaxed));
  }
  return NULL;
}

/* When the machine runs more threads than it has cores, a worker can be descheduled in the
 * middle of a task, and the caller then waits for it a whole time slice (milliseconds, for a job
 * of 100 µs). A few such stalls a second cost less than giving up the workers would (a worker
 * that is there does nearly half of every job); when they take more than a fifth of the time
 * (their waits, less a fifth of the time since, pass 20 ms), the caller runs the jobs alone for
 * 100 ms, then tries its workers again. Who runs a task never changes its result, only the time. */
#define STALL_NS 200000L /* a wait this long is a descheduled thread, not a slow task */
#define SOLO_DEBT_NS 20000000L
#define SOLO_NS 100000000L
static struct { long until, debt, at; } solo;

static void stall(long waited) {
  const long now = now_ns();
  solo.debt -= (now - solo.at) / 5;
  if (solo.debt < 0) solo.debt = 0;
  solo.debt += waited;
  solo.at = now;
  if (solo.debt > SOLO_DEBT_NS) { solo.until = now + SOLO_NS; solo.debt = 0; }
}

void pool_run(int count, task_fn fn, void *ctx) {
  pool_split(count, count, fn, ctx);
}

/* More tasks than threads: whoever is running takes the next one, so a thread the machine
 * deschedules holds up one small task, not a fixed share of the job. */
void pool_split(int count, int threads, task_fn fn, void *ctx) {
  if (threads > MAX_THREADS) threads = MAX_THREADS;
  if (threads > count) threads = count;
  if (threads > 1 && solo.until > 0) {
    if (now_ns() < solo.until) threads = 1;
    else solo.until = 0;
  }
  if (threads <= 1) { for (int t = 0; t < count; t++) fn(ctx, t, count); return; }
  while (P.workers < threads - 1) {
    pthread_t th;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&th, &attr, worker, (void *)(((uintptr_t)P.gen << 8) | (uintptr_t)(P.workers + 1)));
    pthread_attr_destroy(&attr);
    if (failed) break; /* fewer threads: the caller takes the tasks left */
    P.workers++;
  }
  atomic_store_explicit(&P.job, ((uint64_t)(P.gen + 1) << 32) | CLOSED, memory_order_relaxed);
  atomic_thread_fence(memory_order_release);
  atomic_store_explicit(&P.fn, fn, memory_order_relaxed);
  atomic_store_explicit(&P.ctx, ctx, memory_order_relaxed);
  atomic_store_explicit(&P.count, count, memory_order_relaxed);
  atomic_store_explicit(&P.limit, threads, memory_order_relaxed);
  atomic_store_explicit(&P.finished, 0, memory_order_relaxed);
  P.gen += 2;
  atomic_store_explicit(&P.job, (uint64_t)P.gen << 32, memory_order_release);
  pthread_mutex_lock(&P.mu);
  if (P.sleepers > 0) pthread_cond_broadcast(&P.cv);
  pthread_mutex_unlock(&P.mu);
  const long start = now_ns();
  const int ran = take_tasks(P.gen, fn, ctx, count);
  const long done = now_ns();
  for (unsigned spins = 0; atomic_load_explicit(&P.finished, memory_order_acquire) < count;) pool_backoff(&spins);
  /* a stall: waited for the others longer than 4 of its own tasks and STALL_NS */
  const long waited = now_ns() - done;
  if (waited > STALL_NS && waited > 4 * (done - start) / (ran > 0 ? ran : 1)) stall(waited);
}

static struct { float *p; size_t bytes; } scratch[MAX_THREADS][6];

/* Scratch areas belong to the running thread (its tasks run one after another). */
float *pool_scratch(int slot, size_t bytes) {
  const int t = self;
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

int tasks_fine(long total, long minPer, int threads) {
  if (threads <= 1) return 1;
  return tasks_for(total, minPer, threads * 8 < MAX_THREADS ? threads * 8 : MAX_THREADS);
}
