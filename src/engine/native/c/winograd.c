/* Winograd's minimal filtering F(2×2, 3×3) (Lavin & Gray 2016, https://arxiv.org/abs/1509.09308)
 * for 3×3 stride-1 convolutions: each 4×4 input tile and each filter go to a 4×4 transform
 * space where the convolution is 16 independent products M_ξ = U_ξ·V_ξ (filters × channels ·
 * channels × tiles), 2.25× fewer multiplications than im2col. Used for the forward product and
 * for the input gradient (dy through the filters rotated by 180° with their channels swapped,
 * padded by 2 − pad).
 * The transforms write straight into the micro-kernel's packed panel layouts (U once per call,
 * V per chunk of TB tiles), so the 16 products run on gemm_micro with no packing step; a chunk
 * spans samples, so the products stay wide (a 14×14 image has only 49 tiles). The transforms
 * run VW tiles at a time in vectors. Threads take fixed runs of chunks; every tile's arithmetic
 * is the same in any chunk, so results do not depend on the thread count. */
#include "dlx.h"

/* tiles per chunk: a multiple of NR (and so of VW) near 64, bounding the scratch to 16·(C + F)·TB values */
#define TB (((64 + NR - 1) / NR) * NR)

/* From one ξ's V (C × TB) or M (F × TB) to the next: a cache line more than their size, so that
 * the 16 streams a transform reads or writes at once do not all map to the same cache sets
 * (C·TB floats is a multiple of 4 KiB). */
static inline long v_stride(long C) { return C * TB + 16; }
static inline long m_stride(long F) { return F * TB + 16; }

int winograd_applies(const conv_geom *g, long F) {
  return g->kh == 3 && g->kw == 3 && g->sh == 1 && g->sw == 1 && g->inC >= 8 && F >= 8
    && g->padTop >= 0 && g->padTop <= 2 && g->padLeft >= 0 && g->padLeft <= 2;
}

/* U[ξ][f / MR][c][f % MR] = (G·w[f][c]·Gᵀ)[ξ], rows past F zero; `flip`: w'[f][c] = rot180(w[c][f]) with w given as C×F (the input gradient). */
static void filter_transform(const float *w, float *U, long F, long C, int flip) {
  const long FP = (F + MR - 1) / MR;
  memset(U, 0, sizeof(float) * 16 * FP * C * MR);
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
      for (int j = 0; j < 4; j++) U[(((long)(i * 4 + j) * FP + f / MR) * C + c) * MR + f % MR] = u[j];
    }
  }
}

typedef struct {
  const float *x, *U, *b;
  float *y;
  long C, H, W, F, outH, outW, padTop, padLeft, n;
  long tw, tiles, perSample, chunks;
} wino_t;

/* V[ξ][k / NR][c][k % NR] = (Bᵀ·d·B)[ξ] of the 4×4 input patch d of the chunk's tile k (zero past
 * the last tile). The chunk's samples are first copied with their zero padding around them
 * (`pad`), so that every patch is 16 plain loads. */
static void input_transform(const wino_t *q, long t0, long tb, float *V, float *pad) {
  const long HW = q->H * q->W, PH = 2 * ((q->outH + 1) / 2) + 2, PW = 2 * q->tw + 2, PHW = PH * PW;
  const long sFirst = t0 / q->perSample, sLast = (t0 + tb - 1) / q->perSample;
  memset(pad, 0, sizeof(float) * (sLast - sFirst + 1) * q->C * PHW);
  for (long s = sFirst; s <= sLast; s++) for (long c = 0; c < q->C; c++) {
    const float *in = q->x + (s * q->C + c) * HW;
    float *out = pad + ((s - sFirst) * q->C + c) * PHW;
    for (long y = 0; y < q->H; y++) {
      const long py = y + q->padTop;
      if (py >= PH) break;
      const long n = q->W < PW - q->padLeft ? q->W : PW - q->padLeft;
      memcpy(out + py * PW + q->padLeft, in + y * q->W, sizeof(float) * n);
    }
  }
  long base[TB];
  for (long k = 0; k < tb; k++) {
    const long t = t0 + k, s = t / q->perSample, r = t % q->perSample;
    base[k] = (s - sFirst) * q->C * PHW + 2 * (r / q->tw) * PW + 2 * (r % q->tw);
  }
  for (long k = tb; k < TB; k++) base[k] = -1;
  const long stride = v_stride(q->C); /* from one ξ to the next */
  for (long c = 0; c < q->C; c++) {
    const float *plane = pad + c * PHW;
    for (long k0 = 0; k0 < tb; k0 += VW) {
      float d[16][VW] __attribute__((aligned(64)));
      for (long l = 0; l < VW; l++) {
        const long at = base[k0 + l];
        if (at < 0) { for (int e = 0; e < 16; e++) d[e][l] = 0; continue; }
        const float *p = plane + at;
        for (int i = 0; i < 4; i++) for (int j = 0; j < 4; j++) d[i * 4 + j][l] = p[i * PW + j];
      }
      vf r[4][4];
      for (int j = 0; j < 4; j++) {
        const vf d0 = *(vf *)d[j], d1 = *(vf *)d[4 + j], d2 = *(vf *)d[8 + j], d3 = *(vf *)d[12 + j];
        r[0][j] = d0 - d2; r[1][j] = d1 + d2; r[2][j] = d2 - d1; r[3][j] = d1 - d3;
      }
      float *out = V + ((k0 / NR) * q->C + c) * NR + k0 % NR;
      for (int i = 0; i < 4; i++) {
        const vf v[4] = { r[i][0] - r[i][2], r[i][1] + r[i][2], r[i][2] - r[i][1], r[i][1] - r[i][3] };
        for (int j = 0; j < 4; j++) *(vf *)(out + (i * 4 + j) * stride) = v[j];
      }
    }
    /* the groups past the last tile: zero columns for the products */
    for (long k0 = (tb + VW - 1) / VW * VW; k0 < (tb + NR - 1) / NR * NR; k0 += VW) {
      float *out = V + ((k0 / NR) * q->C + c) * NR + k0 % NR;
      for (int xi = 0; xi < 16; xi++) *(vf *)(out + xi * stride) = (vf){ 0 };
    }
  }
}

/* y = Aᵀ·m·A of each tile, plus the bias, inside the output; M[ξ][f][TB]. */
static void output_transform(const wino_t *q, long t0, long tb, const float *M) {
  const long P = q->outH * q->outW;
  long base[TB];
  unsigned char right[TB], below[TB];
  for (long k = 0; k < tb; k++) {
    const long t = t0 + k, s = t / q->perSample, r = t % q->perSample, oy = 2 * (r / q->tw), ox = 2 * (r % q->tw);
    base[k] = s * q->F * P + oy * q->outW + ox;
    right[k] = ox + 1 < q->outW;
    below[k] = oy + 1 < q->outH;
  }
  for (long f = 0; f < q->F; f++) {
    const float bias = q->b ? q->b[f] : 0;
    float *y = q->y + f * P;
    for (long k0 = 0; k0 < tb; k0 += VW) {
      vf m[16];
      for (int xi = 0; xi < 16; xi++) m[xi] = *(const vf *)(M + xi * m_stride(q->F) + f * TB + k0);
      vf r[2][4];
      for (int j = 0; j < 4; j++) { r[0][j] = m[j] + m[4 + j] + m[8 + j]; r[1][j] = m[4 + j] - m[8 + j] - m[12 + j]; }
      float o[4][VW] __attribute__((aligned(64)));
      for (int i = 0; i < 2; i++) {
        *(vf *)o[2 * i] = r[i][0] + r[i][1] + r[i][2] + bias;
        *(vf *)o[2 * i + 1] = r[i][1] - r[i][2] - r[i][3] + bias;
      }
      const long lanes = tb - k0 < VW ? tb - k0 : VW;
      for (long l = 0; l < lanes; l++) {
        float *p = y + base[k0 + l];
        p[0] = o[0][l];
        if (right[k0 + l]) p[1] = o[1][l];
        if (below[k0 + l]) {
          p[q->outW] = o[2][l];
          if (right[k0 + l]) p[q->outW + 1] = o[3][l];
        }
      }
    }
  }
}

static void wino_chunk(const wino_t *q, long chunk, float *V, float *M, float *pad) {
  const long t0 = chunk * TB, tb = q->tiles - t0 < TB ? q->tiles - t0 : TB;
  const long FP = (q->F + MR - 1) / MR;
  input_transform(q, t0, tb, V, pad);
  const long jpUsed = (tb + NR - 1) / NR;
  for (int xi = 0; xi < 16; xi++) {
    const float *U = q->U + (long)xi * FP * q->C * MR, *Vx = V + xi * v_stride(q->C);
    float *Mx = M + xi * m_stride(q->F);
    for (long jp = 0; jp < jpUsed; jp++) for (long ip = 0; ip < FP; ip++) {
      const long mr = q->F - ip * MR < MR ? q->F - ip * MR : MR;
      for (long pc = 0; pc < q->C; pc += KC) {
        const long kc = q->C - pc < KC ? q->C - pc : KC;
        gemm_micro(kc, U + (ip * q->C + pc) * MR, Vx + (jp * q->C + pc) * NR, Mx + ip * MR * TB + jp * NR, TB, mr, NR, pc > 0);
      }
    }
  }
  output_transform(q, t0, tb, M);
}

static void wino_task(void *ctx, int t, int count) {
  const wino_t *q = ctx;
  long c0, c1;
  share(q->chunks, t, count, 1, &c0, &c1);
  if (c1 <= c0) return;
  float *V = pool_scratch(3, sizeof(float) * 16 * v_stride(q->C));
  float *M = pool_scratch(4, sizeof(float) * 16 * m_stride(q->F));
  /* the padded samples a chunk touches: at most TB / perSample + 2 */
  const long samples = TB / q->perSample + 2, PH = 2 * ((q->outH + 1) / 2) + 2, PW = 2 * q->tw + 2;
  float *pad = pool_scratch(2, sizeof(float) * samples * q->C * PH * PW);
  if (!V || !M || !pad) { gemm_fail(); return; }
  for (long c = c0; c < c1; c++) wino_chunk(q, c, V, M, pad);
}

static void wino_run(wino_t *q, const float *w, int flip, int threads) {
  q->tw = (q->outW + 1) / 2;
  q->perSample = (q->outH + 1) / 2 * q->tw;
  q->tiles = q->perSample * q->n;
  q->chunks = (q->tiles + TB - 1) / TB;
  if (q->chunks == 0) return;
  const long FP = (q->F + MR - 1) / MR;
  float *U = pool_scratch(5, sizeof(float) * 16 * FP * MR * q->C);
  if (!U) { gemm_fail(); return; }
  filter_transform(w, U, q->F, q->C, flip);
  q->U = U;
  const long flops = 2L * 16 * q->F * q->C * TB;
  pool_split(tasks_fine(q->chunks, (1L << 20) / (flops + 1) + 1, threads), threads, wino_task, q);
}

void k_winograd_forward(const float *x, const float *w, const float *b, float *y, const conv_geom *g, long F, long n, int threads) {
  wino_t q = { x, NULL, b, y, g->inC, g->inH, g->inW, F, g->outH, g->outW, g->padTop, g->padLeft, n, 0, 0, 0, 0 };
  wino_run(&q, w, 0, threads);
}

void k_winograd_input_grad(const float *w, const float *dy, float *dx, const conv_geom *g, long F, long n, int threads) {
  wino_t q = { dy, NULL, NULL, dx, F, g->outH, g->outW, g->inC, g->inH, g->inW, 2 - g->padTop, 2 - g->padLeft, n, 0, 0, 0, 0 };
  wino_run(&q, w, 1, threads);
}
