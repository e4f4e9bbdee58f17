/* The native backend's kernels: shared declarations. The vector width and the micro-kernel's
 * shape follow the instruction set the file is compiled for (-march=x86-64-v4 / x86-64-v3, or
 * NEON on arm64); GNU C vector extensions (gnu11: fused multiply-add by contraction). */
#ifndef DLX_H
#define DLX_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if defined(__AVX512F__)
#define VW 16
#define MR 8
#define NV 2
#elif defined(__AVX2__)
#define VW 8
#define MR 6
#define NV 2
#elif defined(__ARM_NEON) || defined(__aarch64__)
#define VW 4
#define MR 8
#define NV 3
#else
#define VW 4
#define MR 4
#define NV 2
#endif
#define NR (VW * NV)

typedef float vf __attribute__((vector_size(VW * 4)));

static inline vf vload(const float *p) { vf v; memcpy(&v, p, sizeof v); return v; }
static inline void vstore(float *p, vf v) { memcpy(p, &v, sizeof v); }

/* The transpose of a VW×VW block held in VW vectors (row i → column i), in log2(VW) rounds of
 * interleaves: round after round, row 2i and 2i+1 become the low and high zips of rows i and i + VW/2. */
#if defined(__clang__) || __GNUC__ >= 12
#define SHUF(a, b, ...) __builtin_shufflevector(a, b, __VA_ARGS__)
#else
typedef int vi_t __attribute__((vector_size(VW * 4)));
#define SHUF(a, b, ...) __builtin_shuffle(a, b, (vi_t){ __VA_ARGS__ })
#endif
#if VW == 16
#define ZIP_LO(a, b) SHUF(a, b, 0, 16, 1, 17, 2, 18, 3, 19, 4, 20, 5, 21, 6, 22, 7, 23)
#define ZIP_HI(a, b) SHUF(a, b, 8, 24, 9, 25, 10, 26, 11, 27, 12, 28, 13, 29, 14, 30, 15, 31)
#elif VW == 8
#define ZIP_LO(a, b) SHUF(a, b, 0, 8, 1, 9, 2, 10, 3, 11)
#define ZIP_HI(a, b) SHUF(a, b, 4, 12, 5, 13, 6, 14, 7, 15)
#else
#define ZIP_LO(a, b) SHUF(a, b, 0, 4, 1, 5)
#define ZIP_HI(a, b) SHUF(a, b, 2, 6, 3, 7)
#endif
static inline void vtranspose(vf r[VW]) {
  for (int round = 1; round < VW; round *= 2) {
    vf out[VW];
    for (int i = 0; i < VW / 2; i++) { out[2 * i] = ZIP_LO(r[i], r[i + VW / 2]); out[2 * i + 1] = ZIP_HI(r[i], r[i + VW / 2]); }
    for (int i = 0; i < VW; i++) r[i] = out[i];
  }
}

/* ---- threads (pool.c): tasks 0…count−1 of a job, each run once, by the caller or a worker ---- */
#if defined(__x86_64__) || defined(__i386__)
#define relax() __builtin_ia32_pause()
#elif defined(__aarch64__)
#define relax() __asm__ __volatile__("yield")
#else
#define relax() ((void)0)
#endif
/* One step of a wait on another thread: a pause, and every 64th time the CPU offered to whoever
 * else is ready to run (on a machine with more threads than cores, a thread waiting for another
 * may be the one keeping it from running). */
void pool_backoff(unsigned *spins);
typedef void (*task_fn)(void *ctx, int t, int count);
void pool_run(int count, task_fn fn, void *ctx);
/* `count` tasks on at most `threads` threads (count may exceed threads). */
void pool_split(int count, int threads, task_fn fn, void *ctx);
/* How many tasks to cut `total` items into for `threads` threads, at least `minPer` items each:
 * several per thread when there are 2 or more, for balance on a busy machine. */
int tasks_fine(long total, long minPer, int threads);
/* The running thread's scratch area `slot` (0…5) of at least `bytes`, 64-byte aligned (NULL when out of memory). */
float *pool_scratch(int slot, size_t bytes);
/* [from, to) of task t when `total` items are shared by `count` tasks in runs of `quantum`. */
void share(long total, int t, int count, long quantum, long *from, long *to);
/* How many tasks `total` items make at `minPer` each, at most `threads`. */
int tasks_for(long total, long minPer, int threads);
#define MAX_THREADS 64

/* ---- products (gemm.c) ---- */
/* C[i][j] (= or +=) Σ_s Σ_p A(s, i, p)·B(s, p, j), where A(s, i, p) = a[s·aseg + i·ars + p·acs] and
 * B(s, p, j) = b[s·bseg + p·brs + j·bcs], p < k, s < segs. Each element is summed in blocks of
 * KC values of p (sequential fused multiply-adds), the blocks added to C in order: the bits
 * depend on KC alone, not on the threads, the tiles or the vector width. */
typedef struct {
  const float *a; long ars, acs, aseg;
  const float *b; long brs, bcs, bseg;
  float *c; long ldc;
  long m, n, k, segs;
  int accumulate;
} gemm_t;
#define KC 256
void gemm_block(const gemm_t *g, long i0, long i1, long j0, long j1, int t);
void gemm(const gemm_t *g, int threads);
/* One MR×NR tile: C (=, or += when add) Σ_p A[p·MR + i]·B[p·NR + j] over kc packed values (rows < mr, columns < nr written). */
void gemm_micro(long kc, const float *A, const float *B, float *C, long ldc, long mr, long nr, int add);
int gemm_ok(void); /* 0 when a scratch allocation failed since the last call */
void gemm_fail(void); /* notes a failed allocation for gemm_ok() */
void gemm_fail_index(void); /* notes an index outside its plane (max pooling's backward) */
int index_ok(void); /* 0 when an index was refused since the last call */

/* ---- element-wise (elementwise.c) ---- */
void k_gather_rows(const float *src, long width, const int32_t *rows, long count, float *out, int threads);
/* Notes rows of src for idle workers to prefetch (pool.c; a hint, no result depends on it). */
void k_prefetch_rows(const float *src, long width, const int32_t *rows, long count);
void pool_forget_ahead(void);
void k_add_row_vector(float *out, const float *bias, long rows, long cols, int threads);
void k_sum_rows(const float *x, long rows, long cols, float *out, int threads);
void k_squash(int kind, const float *x, float *y, long n, float alpha, int threads);
void k_squash_backward(int kind, const float *x, const float *y, const float *dy, float *dx, long n, float alpha, int threads);
void k_leaky_relu(const float *x, float *y, long n, float alpha, int threads);
void k_leaky_relu_backward(const float *x, const float *dy, float *dx, long n, float alpha, int threads);
void k_dropout(const float *x, float *y, float *mask, long n, double keep, uint32_t state[4], int threads);
void k_dropout_backward(const float *dy, const float *mask, float *dx, long n, int threads);
void k_penalize(const float *w, float *g, long n, double l2, double *sums);
void k_adam(float *w, const float *g, float *m, float *v, long n, double stepSize, double correction2,
  double beta1, double beta2, double eps, int threads);

/* ---- pooling (pooling.c) ---- */
typedef struct { long planes, H, W, kh, kw, sh, sw, outH, outW; } pool_geom;
void k_maxpool(const float *x, float *y, int32_t *argmax, const pool_geom *g, int threads);
void k_maxpool_backward(const float *dy, const int32_t *argmax, float *dx, const pool_geom *g, int threads);
void k_avgpool(const float *x, float *y, const pool_geom *g, int threads);
void k_avgpool_backward(const float *dy, float *dx, const pool_geom *g, int threads);

/* ---- batch normalization (batchnorm.c) ---- */
void k_bn_stats(const float *x, long n, long C, long S, double *mean, double *m2, int threads);
void k_bn_apply(const float *x, float *y, float *xhat, const float *mean, const float *inv, const float *gamma,
  const float *beta, long n, long C, long S, int threads);
void k_bn_backward(const float *dy, const float *xhat, float *dx, const float *gamma, const float *inv,
  float *dgamma, float *dbeta, long n, long C, long S, int threads);

/* ---- convolutions (conv.c, winograd.c) ---- */
typedef struct { long inC, inH, inW, kh, kw, sh, sw, outH, outW, padTop, padLeft; } conv_geom;
void k_conv_forward(const float *x, const float *w, const float *b, float *y, float *cols, const conv_geom *g, long F, long n, int threads);
void k_conv_backward(const float *cols, const float *w, const float *dy, float *dw, float *db, float *dx,
  const conv_geom *g, long F, long n, int threads);
int winograd_applies(const conv_geom *g, long F);
void k_winograd_forward(const float *x, const float *w, const float *b, float *y, const conv_geom *g, long F, long n, int threads);
void k_winograd_input_grad(const float *w, const float *dy, float *dx, const conv_geom *g, long F, long n, int threads);
#endif
