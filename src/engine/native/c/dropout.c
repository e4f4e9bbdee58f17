/* Inverted dropout (Srivastava et al. 2014, https://jmlr.org/papers/v15/srivastava14a.html) on the
 * run's own stream: xoshiro128** (Blackman & Vigna, https://prng.di.unimi.it/) and 53-bit uniforms
 * exactly as src/random/rng.ts draws them (two words a value), so the masks are the reference's
 * bit for bit. The stream is split across threads without changing it: its state update is
 * linear over GF(2), so a task starting at value `from` jumps the state 2·from steps ahead with
 * precomputed powers T^(2^i) of the update (at most 33 matrix–vector products of 128 bits), and
 * draws exactly the words the one-thread loop would. */
#include "dlx.h"
#include <math.h>
#include <pthread.h>

#define MIN_VALUES_PER_TASK (1L << 15)
#define POWERS 34 /* T^(2^i), i < 34: jumps up to 2^34 − 1 steps (2 per value, n < 2^31) */

static inline uint32_t rotl(uint32_t x, int k) { return (x << k) | (x >> (32 - k)); }

static inline uint32_t next(uint32_t s[4]) {
  uint32_t result = rotl(s[1] * 5, 7) * 9, t = s[1] << 9;
  s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 11);
  return result;
}

/* power[i][b] = T^(2^i) applied to the state with only bit b set (bit b: word b / 32, bit b % 32). */
static uint32_t power[POWERS][128][4];
static pthread_once_t powersOnce = PTHREAD_ONCE_INIT;

static void apply(uint32_t m[128][4], const uint32_t s[4], uint32_t out[4]) {
  uint32_t r[4] = { 0, 0, 0, 0 };
  for (int b = 0; b < 128; b++) {
    if (s[b >> 5] >> (b & 31) & 1) for (int w = 0; w < 4; w++) r[w] ^= m[b][w];
  }
  memcpy(out, r, sizeof r);
}

static void build_powers(void) {
  for (int b = 0; b < 128; b++) {
    uint32_t s[4] = { 0, 0, 0, 0 };
    s[b >> 5] = 1u << (b & 31);
    next(s); /* the update alone: the state after one step */
    memcpy(power[0][b], s, sizeof s);
  }
  for (int i = 1; i < POWERS; i++) for (int b = 0; b < 128; b++) apply(power[i - 1], power[i - 1][b], power[i][b]);
}

/* The state `steps` words further along the stream. */
static void jump(uint32_t s[4], uint64_t steps) {
  pthread_once(&powersOnce, build_powers);
  for (int i = 0; i < POWERS && steps; i++, steps >>= 1) if (steps & 1) apply(power[i], s, s);
}

typedef struct {
  const float *x; float *y, *mask; long n; uint64_t limit; uint32_t scaleBits; uint32_t start[4]; uint32_t *end;
} dropout_t;

/* u = (hi·2²⁶ + lo) / 2⁵³ exactly, so u < keep ⇔ hi·2²⁶ + lo < keep·2⁵³ (also exact), compared as
 * integers against its ceiling; no branch on the draw (a 50 % one mispredicts half the time). */
static void dropout_task(void *ctx, int t, int count) {
  const dropout_t *d = ctx;
  long from, to;
  share(d->n, t, count, 16, &from, &to);
  if (to <= from) return;
  uint32_t s[4];
  memcpy(s, d->start, sizeof s);
  if (from > 0) jump(s, 2 * (uint64_t)from);
  for (long i = from; i < to; i++) {
    uint64_t hi = next(s) >> 5, lo = next(s) >> 6;
    /* scale's bits or +0's, by an all-ones or all-zeros word (compilers turn a ?: back into a branch) */
    uint32_t bits = d->scaleBits & -(uint32_t)(((hi << 26) | lo) < d->limit);
    float m;
    memcpy(&m, &bits, sizeof m);
    d->mask[i] = m;
    d->y[i] = d->x[i] * m;
  }
  if (to == d->n) memcpy(d->end, s, sizeof s); /* the task that ends the run leaves the stream's state */
}

void k_dropout(const float *x, float *y, float *mask, long n, double keep, uint32_t state[4], int threads) {
  if (n <= 0) return;
  const float scale = (float)(1.0 / keep);
  const double scaled = keep * 9007199254740992.0;
  dropout_t d = { x, y, mask, n, scaled >= 9007199254740992.0 ? (1ULL << 53) : (uint64_t)ceil(scaled), 0, { state[0], state[1], state[2], state[3] }, state };
  memcpy(&d.scaleBits, &scale, sizeof scale);
  pool_split(tasks_fine(n, MIN_VALUES_PER_TASK, threads), threads, dropout_task, &d);
}
