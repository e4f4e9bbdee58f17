/* Matrix products: Goto & van de Geijn's packed blocking (https://doi.org/10.1145/1356052.1356053)
 * with an MR×NR register tile (8×32 on AVX-512, 6×16 on AVX2, 8×12 on NEON). Each thread packs
 * its own panels of A and B (nothing shared, so no barrier and no cross-core traffic) and
 * computes a fixed run of whole row or column panels of C. Operands are read through strides,
 * so every transpose form packs directly, and a product may run over several "segments" of k
 * (a convolution's samples) without gathering them first. */
#include "dlx.h"
#include <stdatomic.h>

#define MC (MR * 16)
#define NC (NR * 64)
#define MIN_FLOPS_PER_THREAD (1L << 20)

static atomic_int failed;

int gemm_ok(void) { return !atomic_exchange(&failed, 0); }

void gemm_fail(void) { atomic_store(&failed, 1); }

static atomic_int badIndex;

void gemm_fail_index(void) { atomic_store(&badIndex, 1); }

int index_ok(void) { return !atomic_exchange(&badIndex, 0); }

/* acc = Σ_p A[p]·B[p] over kc (sequential fused multiply-adds from zero), then C = acc or C += acc,
 * over the first nv vectors of the panel's NR columns: a panel of at most VW columns (n = 200's
 * last 8, a 10-way output layer) runs on one vector instead of NV. Each element's sum is the same
 * chain of multiply-adds either way, so the bits do not depend on nv. */
static inline __attribute__((always_inline)) void micro_nv(const int nv, long kc, const float *restrict A, const float *restrict B,
  float *restrict C, long ldc, long mr, long nr, int add) {
  vf acc[MR][NV];
  for (int i = 0; i < MR; i++) for (int v = 0; v < nv; v++) acc[i][v] = (vf){0};
  for (long p = 0; p < kc; p++) {
    vf b[NV];
    for (int v = 0; v < nv; v++) b[v] = *(const vf *)(B + p * NR + v * VW);
    for (int i = 0; i < MR; i++) {
      float a = A[p * MR + i];
      for (int v = 0; v < nv; v++) acc[i][v] += a * b[v];
    }
  }
  if (mr == MR && nr == nv * VW) {
    for (int i = 0; i < MR; i++) for (int v = 0; v < nv; v++) {
      float *c = C + i * ldc + v * VW;
      vstore(c, add ? vload(c) + acc[i][v] : acc[i][v]);
    }
    return;
  }
  float tile[MR][NV * VW];
  for (int i = 0; i < MR; i++) for (int v = 0; v < nv; v++) vstore(&tile[i][v * VW], acc[i][v]);
  for (long i = 0; i < mr; i++) for (long j = 0; j < nr; j++) {
    float *c = C + i * ldc + j;
    *c = add ? *c + tile[i][j] : tile[i][j];
  }
}

static void micro(long kc, const float *restrict A, const float *restrict B, float *restrict C, long ldc, long mr, long nr, int add) {
  if (nr <= VW) micro_nv(1, kc, A, B, C, ldc, mr, nr, add);
  else micro_nv(NV, kc, A, B, C, ldc, mr, nr, add);
}

void gemm_micro(long kc, const float *A, const float *B, float *C, long ldc, long mr, long nr, int add) {
  micro(kc, A, B, C, ldc, mr, nr, add);
}

/* Rows [i0, i0+mc) of op(A), k values [p0, p0+kc) of segment s, into MR-row panels (zero padded).
 * Where op(A)'s rows are contiguous (acs = 1) and VW rows make whole panels, VW×VW blocks are
 * transposed in registers (one vector store per k value and panel, instead of MR scalar ones). */
static void pack_a(const gemm_t *g, long s, long i0, long mc, long p0, long kc, float *restrict out) {
  const float *a = g->a + s * g->aseg;
  long ir = 0;
#if VW % MR == 0
  if (g->acs == 1) {
    for (; ir + VW <= mc; ir += VW) {
      const float *src = a + (i0 + ir) * g->ars + p0;
      float *panel = out + ir * kc; /* panel q of these VW rows at panel + q·MR·kc */
      long p = 0;
      for (; p + VW <= kc; p += VW) {
        vf r[VW];
        for (int i = 0; i < VW; i++) r[i] = vload(src + i * g->ars + p);
        vtranspose(r); /* r[j] = rows ir…ir+VW−1 at k value p + j */
        for (int j = 0; j < VW; j++) {
          const float *lanes = (const float *)&r[j];
          for (int q = 0; q < VW / MR; q++) memcpy(panel + q * MR * kc + (p + j) * MR, lanes + q * MR, sizeof(float) * MR);
        }
      }
      for (; p < kc; p++) for (int i = 0; i < VW; i++) panel[(i / MR) * MR * kc + p * MR + i % MR] = src[i * g->ars + p];
    }
  }
#endif
  for (; ir < mc; ir += MR) {
    long rows = mc - ir < MR ? mc - ir : MR;
    float *panel = out + ir * kc;
    if (g->ars == 1) { /* A given transposed: MR consecutive rows of op(A) are contiguous */
      for (long p = 0; p < kc; p++) {
        const float *src = a + (p0 + p) * g->acs + i0 + ir;
        if (rows == MR) { memcpy(panel + p * MR, src, sizeof(float) * MR); continue; }
        long i = 0;
        for (; i < rows; i++) panel[p * MR + i] = src[i];
        for (; i < MR; i++) panel[p * MR + i] = 0;
      }
    } else {
      for (long i = 0; i < MR; i++) {
        if (i < rows) {
          const float *src = a + (i0 + ir + i) * g->ars + p0 * g->acs;
          for (long p = 0; p < kc; p++) panel[p * MR + i] = src[p * g->acs];
        } else {
          for (long p = 0; p < kc; p++) panel[p * MR + i] = 0;
        }
      }
    }
  }
}

/* Columns [j0, j0+nc) of op(B), k values [p0, p0+kc) of segment s, into NR-column panels. */
static void pack_b(const gemm_t *g, long s, long j0, long nc, long p0, long kc, float *restrict out) {
  const float *b = g->b + s * g->bseg;
  for (long jr = 0; jr < nc; jr += NR) {
    long cols = nc - jr < NR ? nc - jr : NR;
    float *panel = out + jr * kc;
    if (g->bcs == 1) { /* rows of op(B) contiguous */
      for (long p = 0; p < kc; p++) {
        const float *src = b + (p0 + p) * g->brs + j0 + jr;
        if (cols == NR) {
          for (int v = 0; v < NV; v++) *(vf *)(panel + p * NR + v * VW) = vload(src + v * VW);
        } else {
          long j = 0;
          for (; j < cols; j++) panel[p * NR + j] = src[j];
          for (; j < NR; j++) panel[p * NR + j] = 0;
        }
      }
    } else { /* B given transposed: each column of op(B) is contiguous */
      for (long j = 0; j < NR; j++) {
        if (j < cols) {
          const float *src = b + (j0 + jr + j) * g->bcs + p0 * g->brs;
          for (long p = 0; p < kc; p++) panel[p * NR + j] = src[p * g->brs];
        } else {
          for (long p = 0; p < kc; p++) panel[p * NR + j] = 0;
        }
      }
    }
  }
}

void gemm_block(const gemm_t *g, long i0, long i1, long j0, long j1, int t) {
  if (i1 <= i0 || j1 <= j0) return;
  if (g->k == 0 || g->segs == 0) {
    if (!g->accumulate) for (long i = i0; i < i1; i++) memset(g->c + i * g->ldc + j0, 0, (j1 - j0) * sizeof(float));
    return;
  }
  long ncMax = j1 - j0 < NC ? j1 - j0 : NC;
  long mcMax = i1 - i0 < MC ? i1 - i0 : MC;
  float *bp = pool_scratch(0, sizeof(float) * KC * ((ncMax + NR - 1) / NR * NR));
  float *ap = pool_scratch(1, sizeof(float) * KC * ((mcMax + MR - 1) / MR * MR));
  if (!bp || !ap) { atomic_store(&failed, 1); return; }
  for (long jc = j0; jc < j1; jc += NC) {
    long nc = j1 - jc < NC ? j1 - jc : NC;
    int first = 1;
    for (long s = 0; s < g->segs; s++) {
      for (long pc = 0; pc < g->k; pc += KC, first = 0) {
        long kc = g->k - pc < KC ? g->k - pc : KC;
        int add = g->accumulate || !first;
        pack_b(g, s, jc, nc, pc, kc, bp);
        for (long ic = i0; ic < i1; ic += MC) {
          long mc = i1 - ic < MC ? i1 - ic : MC;
          pack_a(g, s, ic, mc, pc, kc, ap);
          for (long jr = 0; jr < nc; jr += NR) {
            long nr = nc - jr < NR ? nc - jr : NR;
            for (long ir = 0; ir < mc; ir += MR) {
              long mr = mc - ir < MR ? mc - ir : MR;
              micro(kc, ap + ir * kc, bp + jr * kc, g->c + (ic + ir) * g->ldc + jc + jr, g->ldc, mr, nr, add);
            }
          }
        }
      }
    }
  }
}

typedef struct { const gemm_t *g; int byCols; long panels; } split_t;

static void gemm_task(void *ctx, int t, int count) {
  const split_t *sp = ctx;
  const gemm_t *g = sp->g;
  long from, to;
  share(sp->panels, t, count, 1, &from, &to);
  if (sp->byCols) {
    long j0 = from * NR, j1 = to * NR < g->n ? to * NR : g->n;
    gemm_block(g, 0, g->m, j0, j1, t);
  } else {
    long i0 = from * MR, i1 = to * MR < g->m ? to * MR : g->m;
    gemm_block(g, i0, i1, 0, g->n, t);
  }
}

/* Split along the output's longer axis in panels, each thread at least MIN_FLOPS_PER_THREAD: each
 * thread packs its own blocks and keeps them in its cache. (Packing A and B once into panels all
 * threads read, and running the product as many small tasks, was 10–40 % slower on 2 threads
 * here: 128×784×200 in 250 µs against 150 µs, the tiles reading panels the other core packed.) */
void gemm(const gemm_t *g, int threads) {
  if (g->m == 0 || g->n == 0) return;
  double flops = 2.0 * g->m * g->n * g->k * g->segs;
  long rowPanels = (g->m + MR - 1) / MR, colPanels = (g->n + NR - 1) / NR;
  split_t sp = { g, colPanels >= rowPanels, colPanels >= rowPanels ? colPanels : rowPanels };
  long byWork = (long)(flops / MIN_FLOPS_PER_THREAD);
  int count = tasks_for(sp.panels < byWork ? sp.panels : byWork, 1, threads);
  pool_run(count, gemm_task, &sp);
}
