/* Matrix products: Goto & van de Geijn's packed blocking (https://doi.org/10.1145/1356052.1356053)
 * with an MR×NR register tile (8×32 on AVX-512, 6×16 on AVX2, 8×12 on NEON). Each thread packs
 * its own panels of A and B (nothing shared, so no barrier and no cross-core traffic) and
 * computes a fixed run of whole row or column panels of C. Operands are read through strides,
 * so every transpose form packs directly, and a product may run over several "segments" of k
 * (a convolution's samples) without gathering them first. */
#include "dlx.h"
#include <stdatomic.h>
#include <time.h>

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

/* A product shared as many small tasks (several a thread), so that a thread the machine
 * deschedules holds up one of them, not half the product: op(A) and op(B) are packed once, whole,
 * into buffers every task reads (the first `packTasks` tasks pack; the others wait for them),
 * then each task computes a block of MR×NR tiles, each tile's KC blocks in order as gemm_block
 * adds them (same bits). */
typedef struct {
  const gemm_t *g;
  float *ap, *bp; /* row panel ip at ap + ip·k·MR, column panel jp at bp + jp·k·NR */
  long rowPanels, colPanels, rowChunks, colChunks;
  int packTasks;
  atomic_int packed;
} shared_t;

static void shared_task(void *ctx, int t, int count) {
  shared_t *sh = ctx;
  const gemm_t *g = sh->g;
  const long k = g->k;
  long from, to;
  (void)count;
  if (t < sh->packTasks) {
    /* whole panels: rows [from·MR, to·MR) of op(A), columns [from·NR, to·NR) of op(B) */
    share(sh->rowPanels, t, sh->packTasks, 1, &from, &to);
    if (to > from) pack_a(g, 0, from * MR, (to * MR < g->m ? to * MR : g->m) - from * MR, 0, k, sh->ap + from * k * MR);
    share(sh->colPanels, t, sh->packTasks, 1, &from, &to);
    if (to > from) pack_b(g, 0, from * NR, (to * NR < g->n ? to * NR : g->n) - from * NR, 0, k, sh->bp + from * k * NR);
    atomic_fetch_add_explicit(&sh->packed, 1, memory_order_release);
    return;
  }
  if (atomic_load_explicit(&sh->packed, memory_order_acquire) < sh->packTasks) {
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (unsigned spins = 0; atomic_load_explicit(&sh->packed, memory_order_acquire) < sh->packTasks;) pool_backoff(&spins);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    pool_waited((t1.tv_sec - t0.tv_sec) * 1000000000L + (t1.tv_nsec - t0.tv_nsec));
  }
  const long c = t - sh->packTasks;
  long ip0, ip1, jp0, jp1;
  share(sh->rowPanels, (int)(c / sh->colChunks), (int)sh->rowChunks, 1, &ip0, &ip1);
  share(sh->colPanels, (int)(c % sh->colChunks), (int)sh->colChunks, 1, &jp0, &jp1);
  for (long jp = jp0; jp < jp1; jp++) {
    const long nr = g->n - jp * NR < NR ? g->n - jp * NR : NR;
    for (long pc = 0; pc < k; pc += KC) {
      const long kc = k - pc < KC ? k - pc : KC;
      const int add = g->accumulate || pc > 0;
      for (long ip = ip0; ip < ip1; ip++) {
        const long mr = g->m - ip * MR < MR ? g->m - ip * MR : MR;
        micro(kc, sh->ap + ip * k * MR + pc * MR, sh->bp + jp * k * NR + pc * NR, g->c + ip * MR * g->ldc + jp * NR, g->ldc, mr, nr, add);
      }
    }
  }
}

#define SHARED_MAX_BYTES (16L << 20) /* packed operands beyond this: each thread packs its own blocks */
#define MIN_FLOPS_PER_TASK (1L << 20)

/* Split along the output's longer axis in panels, each thread at least MIN_FLOPS_PER_THREAD; on
 * 2 or more threads, products whose packed operands are small enough run as shared tasks. */
void gemm(const gemm_t *g, int threads) {
  if (g->m == 0 || g->n == 0) return;
  double flops = 2.0 * g->m * g->n * g->k * g->segs;
  long rowPanels = (g->m + MR - 1) / MR, colPanels = (g->n + NR - 1) / NR;
  split_t sp = { g, colPanels >= rowPanels, colPanels >= rowPanels ? colPanels : rowPanels };
  long byWork = (long)(flops / MIN_FLOPS_PER_THREAD);
  int count = tasks_for(sp.panels < byWork ? sp.panels : byWork, 1, threads);
  const double packedBytes = 4.0 * g->k * (rowPanels * MR + colPanels * NR);
  if (count > 1 && g->segs == 1 && g->k > 0 && packedBytes <= SHARED_MAX_BYTES) {
    shared_t sh = { .g = g, .rowPanels = rowPanels, .colPanels = colPanels };
    sh.ap = pool_scratch(6, sizeof(float) * g->k * rowPanels * MR);
    sh.bp = pool_scratch(7, sizeof(float) * g->k * colPanels * NR);
    if (!sh.ap || !sh.bp) { gemm_fail(); return; }
    long tasks = tasks_fine((long)(flops / MIN_FLOPS_PER_TASK), 1, threads);
    sh.colChunks = colPanels < tasks ? colPanels : tasks;
    sh.rowChunks = tasks / sh.colChunks < rowPanels ? tasks / sh.colChunks : rowPanels;
    if (sh.rowChunks < 1) sh.rowChunks = 1;
    long packUnits = rowPanels > colPanels ? rowPanels : colPanels;
    sh.packTasks = (int)(packUnits < 2L * threads ? packUnits : 2L * threads);
    atomic_init(&sh.packed, 0);
    pool_split(sh.packTasks + (int)(sh.rowChunks * sh.colChunks), threads, shared_task, &sh);
    return;
  }
  pool_run(count, gemm_task, &sp);
}
