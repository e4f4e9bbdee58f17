/* Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016, https://arxiv.org/abs/1509.09308)
 * for 3×3 stride-1 convolutions: each 4×4 input tile and each filter go to a 4×4 transform
 * space where the convolution is 16 independent products M_ξ = U_ξ·V_ξ (filters × channels ·
 * channels × tiles), 2.25× fewer multiplications than im2col. Used for the forward product and
 * for the input gradient (dy through the filters rotated by 180° with their channels swapped,
 * padded by 2 − pad). Threads take fixed runs of whole samples. */
#include "dlx.h"

#define TB 64 /* tiles per product: bounds the scratch to 16·(C + F)·TB values per thread */

int winograd_applies(const conv_geom *g, long F) {
  return g->kh == 3 && g->kw == 3 && g->sh == 1 && g->sw == 1 && g->inC >= 8 && F >= 8
    && g->padTop >= 0 && g->padTop <= 2 && g->padLeft >= 0 && g->padLeft <= 2;
}

/* U[ξ][f][c] = (G·w[f][c]·Gᵀ)[ξ]; `flip`: w'[f][c] = rot180(w[c][f]) with w given as C×F (the input gradient). */
static void filter_transform(const float *w, float *U, long F, long C, int flip) {
  for (long f = 0; f < F; f++) for (long c = 0; c < C; c++) {
    float k[3][3];
    for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++)
      k[i][j] = flip ? w[(c * F + f) * 9 + (2 - i) * 3 + (2 - j)] : w[(f * C + c) * 9 + i * 3 + j];
    float t[4][3];
    for (int j = 0; j < 3; j++) {
      t[0][j] = k[0][j];
      t[1][j] = 0.5f * (k[0][j] + k[1][j] + k[2][j]);
      t[2][j] = 0.5f * (k[0][j] - k[1][j] + k[2][j]);
      t[3][j] = k[2][j];
    }
    for (int i = 0; i < 4; i++) {
      float u[4] = { t[i][0], 0.5f * (t[i][0] + t[i][1] + t[i][2]), 0.5f * (t[i][0] - t[i][1] + t[i][2]), t[i][2] };
      for (int j = 0; j < 4; j++) U[((i * 4 + j) * F + f) * C + c] = u[j];
    }
  }
}

typedef struct {
  const float *x, *U, *b;
  float *y;
  long C, H, W, F, outH, outW, padTop, padLeft, n;
} wino_t;

static void wino_sample(const wino_t *q, long s, float *V, float *M, int t) {
  const long tw = (q->outW + 1) / 2, tiles = (q->outH + 1) / 2 * tw;
  const float *x = q->x + s * q->C * q->H * q->W;
  float *y = q->y + s * q->F * q->outH * q->outW;
  for (long t0 = 0; t0 < tiles; t0 += TB) {
    const long tb = tiles - t0 < TB ? tiles - t0 : TB;
    /* V[ξ][c][tile] = (Bᵀ·d·B)[ξ] of each 4×4 input patch d */
    for (long c = 0; c < q->C; c++) for (long k = 0; k < tb; k++) {
      const long ty = (t0 + k) / tw, tx = (t0 + k) % tw, y0 = 2 * ty - q->padTop, x0 = 2 * tx - q->padLeft;
      float d[4][4];
      for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) {
        long yy = y0 + i, xx = x0 + j;
        d[i][j] = yy >= 0 && yy < q->H && xx >= 0 && xx < q->W ? x[(c * q->H + yy) * q->W + xx] : 0;
      }
      float r[4][4];
      for (int j = 0; j < 4; j++) {
        r[0][j] = d[0][j] - d[2][j]; r[1][j] = d[1][j] + d[2][j];
        r[2][j] = d[2][j] - d[1][j]; r[3][j] = d[1][j] - d[3][j];
      }
      for (int i = 0; i < 4; i++) {
        float v[4] = { r[i][0] - r[i][2], r[i][1] + r[i][2], r[i][2] - r[i][1], r[i][1] - r[i][3] };
        for (int j = 0; j < 4; j++) V[((i * 4 + j) * q->C + c) * tb + k] = v[j];
      }
    }
    for (int xi = 0; xi < 16; xi++) {
      gemm_t p = { q->U + xi * q->F * q->C, q->C, 1, 0, V + xi * q->C * tb, tb, 1, 0, M + xi * q->F * tb, tb, q->F, tb, q->C, 1, 0 };
      gemm_block(&p, 0, q->F, 0, tb, t);
    }
    /* y = Aᵀ·m·A of each tile, plus the bias, inside the output */
    for (long f = 0; f < q->F; f++) for (long k = 0; k < tb; k++) {
      const long ty = (t0 + k) / tw, tx = (t0 + k) % tw;
      float m[4][4];
      for (int xi = 0; xi < 16; xi++) m[xi / 4][xi % 4] = M[(xi * q->F + f) * tb + k];
      float r[2][4];
      for (int j = 0; j < 4; j++) { r[0][j] = m[0][j] + m[1][j] + m[2][j]; r[1][j] = m[1][j] - m[2][j] - m[3][j]; }
      const float bias = q->b ? q->b[f] : 0;
      for (int i = 0; i < 2; i++) {
        const float o[2] = { r[i][0] + r[i][1] + r[i][2] + bias, r[i][1] - r[i][2] - r[i][3] + bias };
        const long yy = 2 * ty + i;
        if (yy >= q->outH) continue;
        for (int j = 0; j < 2; j++) if (2 * tx + j < q->outW) y[(f * q->outH + yy) * q->outW + 2 * tx + j] = o[j];
      }
    }
  }
}

static void wino_task(void *ctx, int t, int count) {
  const wino_t *q = ctx;
  long s0, s1;
  share(q->n, t, count, 1, &s0, &s1);
  if (s1 <= s0) return;
  float *V = pool_scratch(t, 3, sizeof(float) * 16 * q->C * TB);
  float *M = pool_scratch(t, 4, sizeof(float) * 16 * q->F * TB);
  if (!V || !M) { gemm_fail(); return; }
  for (long s = s0; s < s1; s++) wino_sample(q, s, V, M, t);
}

static void wino_run(wino_t *q, const float *w, int flip, int threads) {
  float *U = pool_scratch(0, 5, sizeof(float) * 16 * q->F * q->C);
  if (!U) { gemm_fail(); return; }
  filter_transform(w, U, q->F, q->C, flip);
  q->U = U;
  const long flops = 2L * 16 * q->F * q->C * ((q->outH + 1) / 2) * ((q->outW + 1) / 2);
  pool_run(tasks_for(q->n, (1L << 20) / (flops + 1) + 1, threads), wino_task, q);
}

void k_winograd_forward(const float *x, const float *w, const float *b, float *y, const conv_geom *g, long F, long n, int threads) {
  wino_t q = { x, NULL, b, y, g->inC, g->inH, g->inW, F, g->outH, g->outW, g->padTop, g->padLeft, n };
  wino_run(&q, w, 0, threads);
}

void k_winograd_input_grad(const float *w, const float *dy, float *dx, const conv_geom *g, long F, long n, int threads) {
  wino_t q = { dy, NULL, NULL, dx, F, g->outH, g->outW, g->inC, g->inH, g->inW, 2 - g->padTop, 2 - g->padLeft, n };
  wino_run(&q, w, 1, threads);
}
