/* Max and average pooling (and maxout, which is max pooling over 1×pieces windows) and their
 * gradients: each thread a fixed run of whole planes, so a plane's gradient sums are formed
 * by one thread in window order. */
#include "dlx.h"

#define MIN_VALUES_PER_THREAD (1L << 15)

typedef struct { const float *x; float *y; const int32_t *ai; int32_t *ao; const pool_geom *g; int avg, back; } pool_t;

#if VW == 16
#define EVENS(a, b) SHUF(a, b, 0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)
#define ODDS(a, b) SHUF(a, b, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19, 21, 23, 25, 27, 29, 31)
#elif VW == 8
#define EVENS(a, b) SHUF(a, b, 0, 2, 4, 6, 8, 10, 12, 14)
#define ODDS(a, b) SHUF(a, b, 1, 3, 5, 7, 9, 11, 13, 15)
#else
#define EVENS(a, b) SHUF(a, b, 0, 2, 4, 6)
#define ODDS(a, b) SHUF(a, b, 1, 3, 5, 7)
#endif
typedef int32_t vi __attribute__((vector_size(VW * 4)));

static inline vf pick(vi m, vf x, vf y) { return (vf)(((vi)x & m) | ((vi)y & ~m)); }
static inline vi pick_i(vi m, vi x, vi y) { return (x & m) | (y & ~m); }

/* 2×2 windows at stride 2 (the common case), VW windows of a row at a time. A window (a b / c d)
 * is its rows' maxima combined: h0 = b > a ? b : a, h1 = d > c or c is NaN ? d : c, then
 * h1 > h0 ? h1 : h0, which is exactly the one-by-one scan below (first maximum, NaN as it treats
 * it). A vector reads 2·VW values of a row, past its end into the next (never past x); the
 * outputs are stored lane by lane. */
static void max_planes_2x2(const pool_t *q, long p0, long p1) {
  const pool_geom *g = q->g;
  const long W = g->W, HW = g->H * W, end = g->planes * HW;
  vi lanes2;
  for (int l = 0; l < VW; l++) lanes2[l] = 2 * l;
  const vi zero = { 0 }, one = zero + 1, down = zero + (int32_t)W, downRight = zero + (int32_t)W + 1;
  for (long plane = p0; plane < p1; plane++) {
    float *y = q->y + plane * g->outH * g->outW;
    int32_t *ao = q->ao + plane * g->outH * g->outW;
    for (long oy = 0; oy < g->outH; oy++) {
      const long row = plane * HW + 2 * oy * W;
      const float *r0 = q->x + row, *r1 = r0 + W;
      long ox = 0;
      for (; ox < g->outW && row + W + 2 * ox + 2 * VW <= end; ox += VW) {
        const vf l0 = vload(r0 + 2 * ox), h0v = vload(r0 + 2 * ox + VW), l1 = vload(r1 + 2 * ox), h1v = vload(r1 + 2 * ox + VW);
        const vf a = EVENS(l0, h0v), b = ODDS(l0, h0v), c = EVENS(l1, h1v), d = ODDS(l1, h1v);
        const vi m0 = (vi)(b > a), m1 = (vi)((d > c) | (c != c));
        const vf top = pick(m0, b, a), bottom = pick(m1, d, c);
        const vi mb = (vi)(bottom > top);
        const vf best = pick(mb, bottom, top);
        const vi at = pick_i(mb, pick_i(m1, downRight, down), pick_i(m0, one, zero)) + lanes2 + (int32_t)(row + 2 * ox);
        const long n = g->outW - ox < VW ? g->outW - ox : VW;
        for (long l = 0; l < n; l++) { y[oy * g->outW + ox + l] = best[l]; ao[oy * g->outW + ox + l] = at[l]; }
      }
      for (; ox < g->outW; ox++) { /* the last values of x */
        const float a = r0[2 * ox], b = r0[2 * ox + 1], c = r1[2 * ox], d = r1[2 * ox + 1];
        float best = a;
        int32_t at = 0;
        if (b > best) { best = b; at = 1; }
        if (c > best) { best = c; at = (int32_t)W; }
        if (d > best) { best = d; at = (int32_t)W + 1; }
        y[oy * g->outW + ox] = best;
        ao[oy * g->outW + ox] = (int32_t)(row + 2 * ox) + at;
      }
    }
  }
}

static void max_planes(const pool_t *q, long p0, long p1) {
  const pool_geom *g = q->g;
  if (g->kh == 2 && g->kw == 2 && g->sh == 2 && g->sw == 2) { max_planes_2x2(q, p0, p1); return; }
  for (long plane = p0; plane < p1; plane++) {
    long o = plane * g->outH * g->outW;
    for (long oy = 0; oy < g->outH; oy++) for (long ox = 0; ox < g->outW; ox++, o++) {
      long corner = plane * g->H * g->W + oy * g->sh * g->W + ox * g->sw, at = corner;
      float best = q->x[at];
      for (long i = 0; i < g->kh; i++) for (long j = 0; j < g->kw; j++) {
        long c = corner + i * g->W + j;
        if (q->x[c] > best) { best = q->x[c]; at = c; }
      }
      q->y[o] = best;
      q->ao[o] = (int32_t)at;
    }
  }
}

static void max_back_planes(const pool_t *q, long p0, long p1) {
  const pool_geom *g = q->g;
  long ins = g->H * g->W, outs = g->outH * g->outW;
  memset(q->y + p0 * ins, 0, (size_t)((p1 - p0) * ins) * sizeof(float));
  /* each index must lie in its own plane: one outside is refused (pool_bad), never written */
  for (long plane = p0; plane < p1; plane++) {
    const long lo = plane * ins, hi = lo + ins;
    for (long o = plane * outs; o < (plane + 1) * outs; o++) {
      const long at = q->ai[o];
      if (at >= lo && at < hi) q->y[at] += q->x[o];
      else gemm_fail_index();
    }
  }
}

static void avg_planes(const pool_t *q, long p0, long p1) {
  const pool_geom *g = q->g;
  const double area = (double)(g->kh * g->kw);
  for (long plane = p0; plane < p1; plane++) {
    long o = plane * g->outH * g->outW;
    for (long oy = 0; oy < g->outH; oy++) for (long ox = 0; ox < g->outW; ox++, o++) {
      long corner = plane * g->H * g->W + oy * g->sh * g->W + ox * g->sw;
      double sum = 0;
      for (long i = 0; i < g->kh; i++) for (long j = 0; j < g->kw; j++) sum += q->x[corner + i * g->W + j];
      q->y[o] = (float)(sum / area);
    }
  }
}

static void avg_back_planes(const pool_t *q, long p0, long p1) {
  const pool_geom *g = q->g;
  const double area = (double)(g->kh * g->kw);
  long ins = g->H * g->W;
  memset(q->y + p0 * ins, 0, (size_t)((p1 - p0) * ins) * sizeof(float));
  for (long plane = p0; plane < p1; plane++) {
    long o = plane * g->outH * g->outW;
    for (long oy = 0; oy < g->outH; oy++) for (long ox = 0; ox < g->outW; ox++, o++) {
      long corner = plane * ins + oy * g->sh * g->W + ox * g->sw;
      float share = (float)(q->x[o] / area);
      for (long i = 0; i < g->kh; i++) for (long j = 0; j < g->kw; j++) q->y[corner + i * g->W + j] += share;
    }
  }
}

static void pool_task(void *ctx, int t, int count) {
  const pool_t *q = ctx;
  long p0, p1;
  share(q->g->planes, t, count, 1, &p0, &p1);
  if (p1 <= p0) return;
  if (q->avg) (q->back ? avg_back_planes : avg_planes)(q, p0, p1);
  else (q->back ? max_back_planes : max_planes)(q, p0, p1);
}

static void run(pool_t *q, int threads) {
  long per = q->g->H * q->g->W + 1;
  pool_split(tasks_fine(q->g->planes, MIN_VALUES_PER_THREAD / per + 1, threads), threads, pool_task, q);
}

void k_maxpool(const float *x, float *y, int32_t *argmax, const pool_geom *g, int threads) {
  pool_t q = { x, y, NULL, argmax, g, 0, 0 };
  run(&q, threads);
}

void k_maxpool_backward(const float *dy, const int32_t *argmax, float *dx, const pool_geom *g, int threads) {
  pool_t q = { dy, dx, argmax, NULL, g, 0, 1 };
  run(&q, threads);
}

void k_avgpool(const float *x, float *y, const pool_geom *g, int threads) {
  pool_t q = { x, y, NULL, NULL, g, 1, 0 };
  run(&q, threads);
}

void k_avgpool_backward(const float *dy, float *dx, const pool_geom *g, int threads) {
  pool_t q = { dy, dx, NULL, NULL, g, 1, 1 };
  run(&q, threads);
}
