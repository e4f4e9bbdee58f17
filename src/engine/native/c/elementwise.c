/* Element-wise kernels: the batch gather, the dense layers' bias loops, the activations, dropout's
 * backward and Adam (dropout itself: dropout.c). Each
 * thread takes a fixed run of the values (whole cache lines), and each value's arithmetic is
 * the same on any thread, so the results do not depend on the thread count. */
#include "dlx.h"
#include <math.h>

#define MIN_VALUES_PER_THREAD (1L << 15)

typedef struct {
  const float *x, *y, *dy;
  const int32_t *idx;
  float *out, *out2;
  long n, rows, cols;
  float alpha;
  int kind;
} ew_t;

typedef void (*range_fn)(const ew_t *e, long from, long to);
typedef struct { const ew_t *e; range_fn fn; long total, quantum; } run_t;

static void run_task(void *ctx, int t, int count) {
  const run_t *r = ctx;
  long from, to;
  share(r->total, t, count, r->quantum, &from, &to);
  if (to > from) r->fn(r->e, from, to);
}

/* fn over [0, total) in runs of `quantum`, on as many threads as the work pays for. */
static void each(const ew_t *e, range_fn fn, long total, long quantum, long minPer, int threads) {
  run_t r = { e, fn, total, quantum };
  pool_split(tasks_fine(total, minPer, threads), threads, run_task, &r);
}

/* A batch's rows, gathered from the dataset in the given order: whole-row copies, the threads
 * taking fixed runs of rows (a copy's bits do not depend on who makes it). */
static void gather_range(const ew_t *e, long r0, long r1) {
  const long w = e->cols;
  /* the rows are scattered over the dataset (DRAM): ask for row i + AHEAD while copying row i */
  enum { AHEAD = 2 };
  for (long i = r0; i < r1 && i < r0 + AHEAD; i++) for (long j = 0; j < w; j += 16) __builtin_prefetch(e->x + (long)e->idx[i] * w + j);
  for (long i = r0; i < r1; i++) {
    if (i + AHEAD < r1) for (long j = 0; j < w; j += 16) __builtin_prefetch(e->x + (long)e->idx[i + AHEAD] * w + j);
    memcpy(e->out + i * w, e->x + (long)e->idx[i] * w, (size_t)w * sizeof(float));
  }
}

void k_gather_rows(const float *src, long width, const int32_t *rows, long count, float *out, int threads) {
  pool_forget_ahead();
  if (width == 0 || count == 0) return;
  ew_t e = { .x = src, .idx = rows, .out = out, .cols = width };
  each(&e, gather_range, count, 1, MIN_VALUES_PER_THREAD / width + 1, threads);
}

static void add_rows(const ew_t *e, long r0, long r1) {
  for (long r = r0; r < r1; r++) {
    float *o = e->out + r * e->cols;
    for (long j = 0; j < e->cols; j++) o[j] += e->x[j];
  }
}

void k_add_row_vector(float *out, const float *bias, long rows, long cols, int threads) {
  ew_t e = { .x = bias, .out = out, .cols = cols };
  each(&e, add_rows, rows, 1, MIN_VALUES_PER_THREAD / (cols + 1) + 1, threads);
}

/* Column sums in float32, row after row (each column's order fixed): threads split the columns. */
static void sum_cols(const ew_t *e, long j0, long j1) {
  for (long j = j0; j < j1; j++) e->out[j] = 0;
  for (long r = 0; r < e->rows; r++) {
    const float *x = e->x + r * e->cols;
    for (long j = j0; j < j1; j++) e->out[j] += x[j];
  }
}

void k_sum_rows(const float *x, long rows, long cols, float *out, int threads) {
  ew_t e = { .x = x, .out = out, .rows = rows, .cols = cols };
  each(&e, sum_cols, cols, 16, MIN_VALUES_PER_THREAD / (rows + 1) + 16, threads);
}

/* sigmoid, tanh and elu in float64, rounded once (the reference's arithmetic). */
static void squash_range(const ew_t *e, long from, long to) {
  const double alpha = e->alpha;
  for (long i = from; i < to; i++) {
    double x = e->x[i], y;
    if (e->kind == 0) y = x >= 0 ? 1 / (1 + exp(-x)) : exp(x) / (1 + exp(x));
    else if (e->kind == 1) y = tanh(x);
    else y = x > 0 ? x : alpha * expm1(x);
    e->out[i] = (float)y;
  }
}

static void squash_back_range(const ew_t *e, long from, long to) {
  const double alpha = e->alpha;
  for (long i = from; i < to; i++) {
    double y = e->y[i], d;
    if (e->kind == 0) d = y * (1 - y);
    else if (e->kind == 1) d = (1 - y) * (1 + y);
    else d = e->x[i] > 0 ? 1 : y + alpha;
    e->out[i] = (float)(e->dy[i] * d);
  }
}

void k_squash(int kind, const float *x, float *y, long n, float alpha, int threads) {
  ew_t e = { .x = x, .out = y, .alpha = alpha, .kind = kind };
  each(&e, squash_range, n, 16, MIN_VALUES_PER_THREAD / 8, threads);
}

void k_squash_backward(int kind, const float *x, const float *y, const float *dy, float *dx, long n, float alpha, int threads) {
  ew_t e = { .x = x, .y = y, .dy = dy, .out = dx, .alpha = alpha, .kind = kind };
  each(&e, squash_back_range, n, 16, MIN_VALUES_PER_THREAD, threads);
}

/* relu maps NaN to 0 (alpha 0), leaky relu keeps it: x > 0 ? x : alpha·x. */
static void leaky_range(const ew_t *e, long from, long to) {
  const float a = e->alpha;
  if (a == 0) for (long i = from; i < to; i++) e->out[i] = e->x[i] > 0 ? e->x[i] : 0;
  else for (long i = from; i < to; i++) e->out[i] = e->x[i] > 0 ? e->x[i] : a * e->x[i];
}

static void leaky_back_range(const ew_t *e, long from, long to) {
  const float a = e->alpha;
  for (long i = from; i < to; i++) e->out[i] = e->x[i] > 0 ? e->dy[i] : e->dy[i] * a;
}

void k_leaky_relu(const float *x, float *y, long n, float alpha, int threads) {
  ew_t e = { .x = x, .out = y, .alpha = alpha };
  each(&e, leaky_range, n, 16, MIN_VALUES_PER_THREAD, threads);
}

void k_leaky_relu_backward(const float *x, const float *dy, float *dx, long n, float alpha, int threads) {
  ew_t e = { .x = x, .dy = dy, .out = dx, .alpha = alpha };
  each(&e, leaky_back_range, n, 16, MIN_VALUES_PER_THREAD, threads);
}

static void mul_range(const ew_t *e, long from, long to) {
  for (long i = from; i < to; i++) e->out[i] = e->dy[i] * e->y[i];
}

void k_dropout_backward(const float *dy, const float *mask, float *dx, long n, int threads) {
  ew_t e = { .dy = dy, .y = mask, .out = dx };
  each(&e, mul_range, n, 16, MIN_VALUES_PER_THREAD, threads);
}

/* Adam (Kingma & Ba 2015, https://arxiv.org/abs/1412.6980) in float64 with the moments rounded
 * to float32 when stored and read back, as the reference backend (PyTorch's arithmetic). */
typedef struct { float *w, *m, *v; const float *g; double stepSize, correction2, beta1, beta2, eps; long n; } adam_t;

static void adam_task(void *ctx, int t, int count) {
  const adam_t *a = ctx;
  long from, to;
  share(a->n, t, count, 16, &from, &to);
  const double k1 = 1 - a->beta1, k2 = 1 - a->beta2;
  for (long i = from; i < to; i++) {
    double g = a->g[i];
    float m = (float)(a->beta1 * a->m[i] + k1 * g);
    float v = (float)(a->beta2 * a->v[i] + k2 * g * g);
    a->m[i] = m;
    a->v[i] = v;
    a->w[i] = (float)(a->w[i] - (a->stepSize * m) / (sqrt((double)v) / a->correction2 + a->eps));
  }
}

void k_adam(float *w, const float *g, float *m, float *v, long n, double stepSize, double correction2,
  double beta1, double beta2, double eps, int threads) {
  adam_t a = { w, m, v, g, stepSize, correction2, beta1, beta2, eps, n };
  /* ~10 µs tasks: a descheduled thread holds up little of the step */
  pool_split(tasks_fine(n, MIN_VALUES_PER_THREAD / 2, threads), threads, adam_task, &a);
}
