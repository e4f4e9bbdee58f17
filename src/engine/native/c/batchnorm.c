/* Batch normalization (Ioffe & Szegedy 2015, https://arxiv.org/abs/1502.03167) over x[n][C][S]:
 * statistics in float64, normalization, gradients. Each thread a fixed run of whole channels,
 * so a channel's sums are formed by one thread in a fixed order. */
#include "dlx.h"
#include <stdlib.h>

#define MIN_VALUES_PER_THREAD (1L << 15)

typedef struct {
  const float *x, *dy, *xhat, *mean, *inv, *gamma, *beta;
  float *y, *xh, *dx, *dgamma, *dbeta;
  double *mean64, *m2;
  long n, C, S;
  int op;
} bn_t;

/* Dense input (S = 1): the same per-channel sums in the same order (sample after sample), but
 * walking each sample's row of channels, so that memory is read in order. */
static int dense_stats(const bn_t *b, long c0, long c1) {
  const long w = c1 - c0, C = b->C;
  double *sum = calloc(2 * (size_t)w, sizeof(double));
  if (!sum) return 0;
  double *squares = sum + w;
  for (long i = 0; i < b->n; i++) for (long c = 0; c < w; c++) sum[c] += b->x[i * C + c0 + c];
  for (long c = 0; c < w; c++) sum[c] /= (double)b->n;
  for (long i = 0; i < b->n; i++) for (long c = 0; c < w; c++) { double d = b->x[i * C + c0 + c] - sum[c]; squares[c] += d * d; }
  for (long c = 0; c < w; c++) { b->mean64[c0 + c] = sum[c]; b->m2[c0 + c] = squares[c]; }
  free(sum);
  return 1;
}

/* Dense backward: the same sums in the same order as the planar path (sample after sample), and
 * the same arithmetic per value, but along each sample's row of channels so that the loops
 * vectorize (`ivdep`: an output may be its input, at the same index only). */
static int dense_backward(const bn_t *b, long c0, long c1) {
  const long w = c1 - c0, C = b->C;
  double *sumDy = calloc(2 * (size_t)w, sizeof(double));
  float *scale = malloc(3 * (size_t)w * sizeof(float));
  if (!sumDy || !scale) { free(sumDy); free(scale); return 0; }
  double *sumDyXhat = sumDy + w;
  float *meanDy = scale + w, *meanDyXhat = scale + 2 * w; /* per channel: γ·inv, mean dy, mean dy·x̂ */
  for (long i = 0; i < b->n; i++) {
    const float *dy = b->dy + i * C + c0, *xhat = b->xhat + i * C + c0;
#pragma GCC ivdep
    for (long c = 0; c < w; c++) {
      sumDy[c] += dy[c];
      sumDyXhat[c] += (double)dy[c] * xhat[c];
    }
  }
  const double count = (double)b->n;
  for (long c = 0; c < w; c++) {
    scale[c] = b->gamma[c0 + c] * b->inv[c0 + c];
    meanDy[c] = (float)(sumDy[c] / count);
    meanDyXhat[c] = (float)(sumDyXhat[c] / count);
    b->dgamma[c0 + c] = (float)sumDyXhat[c];
    b->dbeta[c0 + c] = (float)sumDy[c];
  }
  for (long i = 0; i < b->n; i++) {
    const float *dy = b->dy + i * C + c0, *xhat = b->xhat + i * C + c0;
    float *dx = b->dx + i * C + c0;
#pragma GCC ivdep
    for (long c = 0; c < w; c++) dx[c] = scale[c] * (dy[c] - meanDy[c] - xhat[c] * meanDyXhat[c]);
  }
  free(sumDy);
  free(scale);
  return 1;
}

/* Dense normalization: each sample's row of channels, vectorized (the per-value arithmetic of `apply`). */
static void dense_apply(const bn_t *b, long c0, long c1) {
  const long w = c1 - c0, C = b->C;
  const float *mean = b->mean + c0, *inv = b->inv + c0, *gamma = b->gamma + c0, *beta = b->beta + c0;
  for (long i = 0; i < b->n; i++) {
    const float *x = b->x + i * C + c0;
    float *y = b->y + i * C + c0;
    if (b->xh) {
      float *xh = b->xh + i * C + c0;
#pragma GCC ivdep
      for (long c = 0; c < w; c++) {
        float h = (x[c] - mean[c]) * inv[c];
        xh[c] = h;
        y[c] = gamma[c] * h + beta[c];
      }
    } else {
#pragma GCC ivdep
      for (long c = 0; c < w; c++) y[c] = gamma[c] * ((x[c] - mean[c]) * inv[c]) + beta[c];
    }
  }
}

static void stats(const bn_t *b, long c0, long c1) {
  if (b->S == 1 && dense_stats(b, c0, c1)) return;
  for (long c = c0; c < c1; c++) {
    double sum = 0, squares = 0;
    for (long i = 0; i < b->n; i++) {
      const float *x = b->x + (i * b->C + c) * b->S;
      for (long k = 0; k < b->S; k++) sum += x[k];
    }
    double mean = sum / (double)(b->n * b->S);
    for (long i = 0; i < b->n; i++) {
      const float *x = b->x + (i * b->C + c) * b->S;
      for (long k = 0; k < b->S; k++) { double d = x[k] - mean; squares += d * d; }
    }
    b->mean64[c] = mean;
    b->m2[c] = squares;
  }
}

static void apply(const bn_t *b, long c0, long c1) {
  if (b->S == 1) { dense_apply(b, c0, c1); return; }
  for (long i = 0; i < b->n; i++) for (long c = c0; c < c1; c++) {
    long at = (i * b->C + c) * b->S;
    const float mu = b->mean[c], inv = b->inv[c], g = b->gamma[c], be = b->beta[c];
    for (long k = 0; k < b->S; k++) {
      float h = (b->x[at + k] - mu) * inv;
      if (b->xh) b->xh[at + k] = h;
      b->y[at + k] = g * h + be;
    }
  }
}

static void backward(const bn_t *b, long c0, long c1) {
  if (b->S == 1 && dense_backward(b, c0, c1)) return;
  const double count = (double)(b->n * b->S);
  for (long c = c0; c < c1; c++) {
    double sumDy = 0, sumDyXhat = 0;
    for (long i = 0; i < b->n; i++) {
      long at = (i * b->C + c) * b->S;
      for (long k = 0; k < b->S; k++) { sumDy += b->dy[at + k]; sumDyXhat += (double)b->dy[at + k] * b->xhat[at + k]; }
    }
    b->dgamma[c] = (float)sumDyXhat;
    b->dbeta[c] = (float)sumDy;
    const float scale = b->gamma[c] * b->inv[c], meanDy = (float)(sumDy / count), meanDyXhat = (float)(sumDyXhat / count);
    for (long i = 0; i < b->n; i++) {
      long at = (i * b->C + c) * b->S;
      for (long k = 0; k < b->S; k++) b->dx[at + k] = scale * (b->dy[at + k] - meanDy - b->xhat[at + k] * meanDyXhat);
    }
  }
}

static void bn_task(void *ctx, int t, int count) {
  const bn_t *b = ctx;
  long c0, c1;
  share(b->C, t, count, 1, &c0, &c1);
  if (c1 <= c0) return;
  if (b->op == 0) stats(b, c0, c1);
  else if (b->op == 1) apply(b, c0, c1);
  else backward(b, c0, c1);
}

static void run(bn_t *b, int threads) {
  pool_run(tasks_for(b->C, MIN_VALUES_PER_THREAD / (b->n * b->S + 1) + 1, threads), bn_task, b);
}

void k_bn_stats(const float *x, long n, long C, long S, double *mean, double *m2, int threads) {
  bn_t b = { .x = x, .mean64 = mean, .m2 = m2, .n = n, .C = C, .S = S, .op = 0 };
  run(&b, threads);
}

void k_bn_apply(const float *x, float *y, float *xhat, const float *mean, const float *inv, const float *gamma,
  const float *beta, long n, long C, long S, int threads) {
  bn_t b = { .x = x, .y = y, .xh = xhat, .mean = mean, .inv = inv, .gamma = gamma, .beta = beta, .n = n, .C = C, .S = S, .op = 1 };
  run(&b, threads);
}

void k_bn_backward(const float *dy, const float *xhat, float *dx, const float *gamma, const float *inv,
  float *dgamma, float *dbeta, long n, long C, long S, int threads) {
  bn_t b = { .dy = dy, .xhat = xhat, .dx = dx, .gamma = gamma, .inv = inv, .dgamma = dgamma, .dbeta = dbeta, .n = n, .C = C, .S = S, .op = 2 };
  run(&b, threads);
}
