/* Convolutions as im2col + packed products (Chellapilla et al. 2006,
 * https://hal.inria.fr/inria-00112631). `cols` carries what the backward pass needs: when it
 * can hold the input (n·K·P ≥ n·C·H·W: every stride-1 layer) it is a copy of x, and the backward
 * pass rebuilds each sample's columns in a per-thread scratch that stays in cache (a batch's
 * columns are 9× the input: writing and reading them back cost more than the products); else
 * it is each sample's K × P columns, as the reference backend leaves them.
 * Threads take fixed runs of whole samples (forward, input gradient), of the bias gradient's
 * channels, and of a fixed number of sample groups for the weight gradient (each group's
 * partial sum in sample order, the groups added in order: the count does not depend on the
 * threads), so results do not depend on the thread count. 3×3 stride-1 layers with enough
 * channels take Winograd's F(2×2, 3×3) for the forward product and the input gradient (winograd.c). */
#include "dlx.h"

#define MIN_FLOPS_PER_THREAD (1L << 20)

static long first_col(const conv_geom *g, long j) {
  long d = g->padLeft - j;
  return d <= 0 ? 0 : (d + g->sw - 1) / g->sw;
}

static long end_col(const conv_geom *g, long j) {
  long v = g->inW - 1 + g->padLeft - j;
  long e = v < 0 ? 0 : v / g->sw + 1;
  return e < g->outW ? e : g->outW;
}

/* Stride 1 with the output as wide as the input ('same'): each row of cols is the whole plane
 * shifted by (i − padTop)·W + j − padLeft, one long copy, then the cells that wrapped around a
 * row edge or fell outside the plane set to zero. */
static void im2col_same(const float *x, const conv_geom *g, float *cols) {
  const long W = g->inW, HW = g->inH * W, P = g->outH * W;
  long row = 0;
  for (long c = 0; c < g->inC; c++) for (long i = 0; i < g->kh; i++) for (long j = 0; j < g->kw; j++, row++) {
    float *out = cols + row * P;
    const float *plane = x + c * HW;
    const long off = (i - g->padTop) * W + j - g->padLeft;
    long d0 = off < 0 ? -off : 0, d1 = HW - off < P ? HW - off : P;
    if (d0 > P) d0 = P;
    if (d1 < d0) d1 = d0;
    memset(out, 0, d0 * sizeof(float));
    memcpy(out + d0, plane + d0 + off, (d1 - d0) * sizeof(float));
    memset(out + d1, 0, (P - d1) * sizeof(float));
    const long first = first_col(g, j), end = end_col(g, j);
    for (long oy = 0; oy < g->outH; oy++) {
      for (long ox = 0; ox < first; ox++) out[oy * W + ox] = 0;
      for (long ox = end; ox < W; ox++) out[oy * W + ox] = 0;
    }
  }
}

static void im2col(const float *x, const conv_geom *g, float *cols) {
  if (g->sh == 1 && g->sw == 1 && g->outW == g->inW && g->outH <= g->inH) { im2col_same(x, g, cols); return; }
  const long P = g->outH * g->outW;
  long row = 0;
  for (long c = 0; c < g->inC; c++) for (long i = 0; i < g->kh; i++) for (long j = 0; j < g->kw; j++, row++) {
    long first = first_col(g, j), end = end_col(g, j);
    if (end < first) end = first;
    for (long oy = 0; oy < g->outH; oy++) {
      float *run = cols + row * P + oy * g->outW;
      long y = oy * g->sh + i - g->padTop;
      if (y < 0 || y >= g->inH) { memset(run, 0, g->outW * sizeof(float)); continue; }
      const float *in = x + (c * g->inH + y) * g->inW + j - g->padLeft;
      for (long ox = 0; ox < first; ox++) run[ox] = 0;
      if (g->sw == 1) {
        long ox = first; /* short runs (a 14-wide image): vectors, not a memcpy call each */
        for (; ox + VW <= end; ox += VW) vstore(run + ox, vload(in + ox));
        for (; ox < end; ox++) run[ox] = in[ox];
      } else for (long ox = first; ox < end; ox++) run[ox] = in[ox * g->sw];
      for (long ox = end; ox < g->outW; ox++) run[ox] = 0;
    }
  }
}

static void col2im(const float *cols, const conv_geom *g, float *dx) {
  const long P = g->outH * g->outW;
  long row = 0;
  for (long c = 0; c < g->inC; c++) for (long i = 0; i < g->kh; i++) for (long j = 0; j < g->kw; j++, row++) {
    long first = first_col(g, j), end = end_col(g, j);
    for (long oy = 0; oy < g->outH; oy++) {
      long y = oy * g->sh + i - g->padTop;
      if (y < 0 || y >= g->inH) continue;
      const float *run = cols + row * P + oy * g->outW;
      float *in = dx + (c * g->inH + y) * g->inW + j - g->padLeft;
      for (long ox = first; ox < end; ox++) in[ox * g->sw] += run[ox];
    }
  }
}

typedef struct {
  const float *x, *w, *b, *dy, *cols;
  float *y, *colsOut, *dx, *partial;
  const conv_geom *g;
  long F, n, groups;
  int winograd, keepsInput, threads;
} conv_t;

#define WEIGHT_GROUPS 8 /* the weight gradient's partial sums: fixed, whatever the thread count */

static int keeps_input(const conv_geom *g) {
  return g->inC * g->kh * g->kw * g->outH * g->outW >= g->inC * g->inH * g->inW;
}

static gemm_t forward_product(const conv_t *c, const float *cols, long s) {
  const long K = c->g->inC * c->g->kh * c->g->kw, P = c->g->outH * c->g->outW;
  gemm_t p = { c->w, K, 1, 0, cols, P, 1, 0, c->y + s * c->F * P, P, c->F, P, K, 1, 0 };
  return p;
}

static void add_bias(const conv_t *c, long s) {
  const long P = c->g->outH * c->g->outW;
  for (long f = 0; f < c->F; f++) {
    float *y = c->y + (s * c->F + f) * P;
    const float b = c->b[f];
    for (long p = 0; p < P; p++) y[p] += b;
  }
}

/* Sample s's columns: in `cols` when it keeps them, else built in the task's scratch. */
static const float *columns_of(const conv_t *c, long s, int t) {
  const long K = c->g->inC * c->g->kh * c->g->kw, P = c->g->outH * c->g->outW, in = c->g->inC * c->g->inH * c->g->inW;
  float *cols = c->keepsInput ? pool_scratch(2, sizeof(float) * K * P) : c->colsOut + s * K * P;
  if (!cols) { gemm_fail(); return NULL; }
  im2col(c->x + s * in, c->g, cols);
  return cols;
}

static void forward_task(void *ctx, int t, int count) {
  const conv_t *c = ctx;
  long s0, s1;
  share(c->n, t, count, 1, &s0, &s1);
  for (long s = s0; s < s1; s++) {
    const float *cols = columns_of(c, s, t);
    if (!cols) return;
    gemm_t p = forward_product(c, cols, s);
    gemm_block(&p, 0, c->F, 0, p.n, t);
    add_bias(c, s);
  }
}

void k_conv_forward(const float *x, const float *w, const float *b, float *y, float *cols, const conv_geom *g, long F, long n, int threads) {
  const long K = g->inC * g->kh * g->kw, P = g->outH * g->outW, in = g->inC * g->inH * g->inW;
  conv_t c = { .x = x, .w = w, .b = b, .y = y, .colsOut = cols, .g = g, .F = F, .n = n, .winograd = winograd_applies(g, F),
    .keepsInput = keeps_input(g), .threads = threads };
  if (c.keepsInput && n * in > 0) memcpy(cols, x, sizeof(float) * n * in);
  if (c.winograd) { k_winograd_forward(x, w, b, y, g, F, n, threads); return; }
  int tasks = tasks_fine(n, MIN_FLOPS_PER_THREAD / (2 * F * K * P + 1) + 1, threads);
  if (tasks > 1 || threads == 1) {
    pool_split(tasks, threads, forward_task, &c);
  } else { /* too few samples to share: each sample's product shared instead */
    for (long s = 0; s < n; s++) {
      const float *sc = columns_of(&c, s, 0);
      if (!sc) return;
      gemm_t p = forward_product(&c, sc, s);
      gemm(&p, threads);
      add_bias(&c, s);
    }
  }
}

/* db[f] = Σ_s Σ_p dy[s][f][p]: each plane summed in 16 float lanes (16 on every instruction
 * set, so the AVX2 build gives the AVX-512 bits), the lanes and the planes added in order in float64. */
#define BIAS_LANES 16
static void bias_task(void *ctx, int t, int count) {
  const conv_t *c = ctx;
  const long P = c->g->outH * c->g->outW, body = P / BIAS_LANES * BIAS_LANES;
  long f0, f1;
  share(c->F, t, count, 1, &f0, &f1);
  for (long f = f0; f < f1; f++) {
    double sum = 0;
    for (long s = 0; s < c->n; s++) {
      const float *d = c->dy + (s * c->F + f) * P;
      float acc[BIAS_LANES] = { 0 };
      for (long p = 0; p < body; p += BIAS_LANES) for (int l = 0; l < BIAS_LANES; l++) acc[l] += d[p + l];
      double plane = 0;
      for (int l = 0; l < BIAS_LANES; l++) plane += acc[l];
      for (long p = body; p < P; p++) plane += d[p];
      sum += plane;
    }
    c->y[f] = (float)sum;
  }
}

/* Columns [pc, pc+kc) of the K × P rows into NR-wide panels, p-major (the product's packed B
 * for Σ_p dy[f][p]·cols[k][p]): VW×VW blocks transposed in registers, rows past K zero. */
static void pack_columns(const float *rows, long K, long P, long pc, long kc, float *restrict out) {
  const long body = kc / VW * VW, panels = (K + NR - 1) / NR;
  for (long k0 = 0; k0 < panels * NR; k0 += VW) {
    float *panel = out + (k0 / NR) * kc * NR + k0 % NR;
    for (long p0 = 0; p0 < body; p0 += VW) {
      vf r[VW];
      for (int i = 0; i < VW; i++) r[i] = k0 + i < K ? vload(rows + (k0 + i) * P + pc + p0) : (vf){ 0 };
      vtranspose(r);
      for (int i = 0; i < VW; i++) vstore(panel + (p0 + i) * NR, r[i]);
    }
    for (long p = body; p < kc; p++) for (int i = 0; i < VW; i++) panel[p * NR + i] = k0 + i < K ? rows[(k0 + i) * P + pc + p] : 0;
  }
}

/* dy's F × P rows [pc, pc+kc) into MR-tall panels, p-major (the product's packed A); VW rows at
 * a time transposed in registers where MR divides VW (AVX-512), rows past F zero. */
static void pack_gradient(const float *dy, long F, long P, long pc, long kc, float *restrict out) {
  long f0 = 0;
#if VW % MR == 0
  const long body = kc / VW * VW, FP = (F + MR - 1) / MR;
  for (; f0 + MR <= F; f0 += VW) {
    for (long p0 = 0; p0 < body; p0 += VW) {
      vf r[VW];
      for (int i = 0; i < VW; i++) r[i] = f0 + i < F ? vload(dy + (f0 + i) * P + pc + p0) : (vf){ 0 };
      vtranspose(r);
      for (long m = 0; m < VW / MR && f0 / MR + m < FP; m++) {
        float *panel = out + (f0 / MR + m) * kc * MR;
        for (int i = 0; i < VW; i++) memcpy(panel + (p0 + i) * MR, (const float *)&r[i] + m * MR, sizeof(float) * MR);
      }
    }
    for (long m = 0; m < VW / MR && f0 / MR + m < FP; m++) {
      float *panel = out + (f0 / MR + m) * kc * MR;
      for (long p = body; p < kc; p++) for (long i = 0; i < MR; i++) {
        const long f = f0 + m * MR + i;
        panel[p * MR + i] = f < F ? dy[f * P + pc + p] : 0;
      }
    }
  }
#endif
  for (; f0 < F; f0 += MR) {
    float *panel = out + (f0 / MR) * kc * MR;
    const long rows = F - f0 < MR ? F - f0 : MR;
    for (long p = 0; p < kc; p++) {
      long i = 0;
      for (; i < rows; i++) panel[p * MR + i] = dy[(f0 + i) * P + pc + p];
      for (; i < MR; i++) panel[p * MR + i] = 0;
    }
  }
}

/* The weight gradient's product either way round, whichever pads its operands less into panels:
 * dW (F × K) = dy·colsᵀ, or its transpose colsᵀ… (K × F) = cols·dyᵀ (a 1-channel input's K = 9
 * would fill a third of an NR-wide panel). */
static int weight_transposed(long F, long K) {
  const long direct = (F + MR - 1) / MR * MR * ((K + NR - 1) / NR * NR), flipped = (K + MR - 1) / MR * MR * ((F + NR - 1) / NR * NR);
  return flipped < direct;
}

/* One group's partial weight gradient Σ_s dy_s·cols_sᵀ over its samples in order (F × K, or K × F when transposed). */
static void weight_group_task(void *ctx, int t, int count) {
  const conv_t *c = ctx;
  const long K = c->g->inC * c->g->kh * c->g->kw, P = c->g->outH * c->g->outW;
  const int flip = weight_transposed(c->F, K);
  const long M = flip ? K : c->F, N = flip ? c->F : K; /* the product's rows and columns */
  long q0, q1;
  share(c->groups, t, count, 1, &q0, &q1);
  for (long q = q0; q < q1; q++) {
    float *out = c->partial + q * c->F * K;
    long s0, s1;
    share(c->n, (int)q, (int)c->groups, 1, &s0, &s1);
    if (s1 <= s0) { memset(out, 0, sizeof(float) * c->F * K); continue; }
    const long IP = (M + MR - 1) / MR, JP = (N + NR - 1) / NR, kcMax = P < KC ? P : KC;
    float *bp = pool_scratch(0, sizeof(float) * JP * NR * kcMax), *ap = pool_scratch(1, sizeof(float) * IP * MR * kcMax);
    if (!bp || !ap) { gemm_fail(); return; }
    for (long s = s0; s < s1; s++) {
      const float *cols = columns_of(c, s, t), *dy = c->dy + s * c->F * P;
      if (!cols) return;
      /* Σ_p in blocks of KC, each a sequential chain in the micro-kernel, as gemm.c sums */
      for (long pc = 0; pc < P; pc += KC) {
        const long kc = P - pc < KC ? P - pc : KC;
        pack_columns(flip ? dy : cols, N, P, pc, kc, bp);
        pack_gradient(flip ? cols : dy, M, P, pc, kc, ap);
        for (long jp = 0; jp < JP; jp++) for (long ip = 0; ip < IP; ip++) {
          const long mr = M - ip * MR < MR ? M - ip * MR : MR, nr = N - jp * NR < NR ? N - jp * NR : NR;
          gemm_micro(kc, ap + ip * kc * MR, bp + jp * kc * NR, out + ip * MR * N + jp * NR, N, mr, nr, s > s0 || pc > 0);
        }
      }
    }
  }
}

static void input_grad_task(void *ctx, int t, int count) {
  const conv_t *c = ctx;
  const conv_geom *g = c->g;
  const long K = g->inC * g->kh * g->kw, P = g->outH * g->outW, in = g->inC * g->inH * g->inW;
  long s0, s1;
  share(c->n, t, count, 1, &s0, &s1);
  if (s1 <= s0) return;
  float *dcols = pool_scratch(2, sizeof(float) * K * P);
  if (!dcols) { gemm_fail(); return; }
  for (long s = s0; s < s1; s++) {
    gemm_t p = { c->w, 1, K, 0, c->dy + s * c->F * P, P, 1, 0, dcols, P, K, P, c->F, 1, 0 };
    gemm_block(&p, 0, K, 0, P, t);
    float *dx = c->dx + s * in;
    memset(dx, 0, in * sizeof(float));
    col2im(dcols, g, dx);
  }
}

void k_conv_backward(const float *cols, const float *w, const float *dy, float *dw, float *db, float *dx,
  const conv_geom *g, long F, long n, int threads) {
  const long K = g->inC * g->kh * g->kw, P = g->outH * g->outW;
  conv_t c = { .w = w, .dy = dy, .cols = cols, .y = db, .dx = dx, .g = g, .F = F, .n = n, .threads = threads, .keepsInput = keeps_input(g) };
  pool_split(tasks_fine(F, (1L << 15) / (n * P + 1) + 1, threads), threads, bias_task, &c);
  if (c.keepsInput && n > 0) {
    c.x = cols;
    c.groups = n < WEIGHT_GROUPS ? n : WEIGHT_GROUPS;
    c.partial = pool_scratch(5, sizeof(float) * c.groups * F * K);
    if (!c.partial) { gemm_fail(); return; }
    pool_split(threads > 1 ? (int)c.groups : 1, threads, weight_group_task, &c);
    /* the groups in order */
    const int flip = weight_transposed(F, K);
    for (long f = 0; f < F; f++) for (long k = 0; k < K; k++) {
      float sum = 0;
      for (long q = 0; q < c.groups; q++) sum += c.partial[q * F * K + (flip ? k * F + f : f * K + k)];
      dw[f * K + k] = sum;
    }
  } else {
    gemm_t pw = { dy, P, 1, F * P, cols, 1, P, K * P, dw, K, F, K, P, n, 0 };
    gemm(&pw, threads);
  }
  if (!dx) return;
  if (winograd_applies(g, F)) { k_winograd_input_grad(w, dy, dx, g, F, n, threads); return; }
  pool_split(tasks_fine(n, MIN_FLOPS_PER_THREAD / (2 * F * K * P + 1) + 1, threads), threads, input_grad_task, &c);
}
