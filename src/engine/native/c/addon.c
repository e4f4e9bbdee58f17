/* The N-API face of the native kernels (Node's own node_api.h, no node-gyp, no C++). Compiled
 * for the baseline CPU, so that loading it anywhere is safe: it refuses to load (throws) when
 * the CPU lacks the instruction set its kernels were compiled for, and the loader tries the
 * next build. Sizes are checked in TypeScript (src/engine/native/checks.ts) before a call; here
 * each operand's type is checked, and calls are serialized (the thread pool is not reentrant). */
#define NAPI_VERSION 8
#include <node_api.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include "dlx.h"

#ifndef DLX_ISA
#define DLX_ISA "generic"
#endif

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

#define MAXARGS 24
typedef struct { napi_env env; napi_value argv[MAXARGS]; size_t argc; int bad; } args_t;

static int get_args(napi_env env, napi_callback_info info, args_t *a, size_t want) {
  a->env = env;
  a->argc = MAXARGS;
  a->bad = 0;
  if (napi_get_cb_info(env, info, &a->argc, a->argv, NULL, NULL) != napi_ok || a->argc < want) {
    napi_throw_type_error(env, NULL, "native kernel: too few arguments");
    return 0;
  }
  return 1;
}

static void *array(args_t *a, size_t i, napi_typedarray_type want, int optional) {
  napi_valuetype vt;
  if (optional && napi_typeof(a->env, a->argv[i], &vt) == napi_ok && (vt == napi_null || vt == napi_undefined)) return NULL;
  bool is = false;
  napi_typedarray_type type;
  size_t length, offset;
  void *data = NULL;
  napi_value buffer;
  if (napi_is_typedarray(a->env, a->argv[i], &is) != napi_ok || !is ||
      napi_get_typedarray_info(a->env, a->argv[i], &type, &length, &data, &buffer, &offset) != napi_ok || type != want) {
    if (!a->bad) napi_throw_type_error(a->env, NULL, "native kernel: an operand has the wrong type");
    a->bad = 1;
    return NULL;
  }
  return data;
}
#define F32(i) ((float *)array(&a, i, napi_float32_array, 0))
#define F32OPT(i) ((float *)array(&a, i, napi_float32_array, 1))
#define F64(i) ((double *)array(&a, i, napi_float64_array, 0))
#define I32(i) ((int32_t *)array(&a, i, napi_int32_array, 0))
#define U32(i) ((uint32_t *)array(&a, i, napi_uint32_array, 0))

static double num(args_t *a, size_t i) {
  double v = 0;
  if (napi_get_value_double(a->env, a->argv[i], &v) != napi_ok) {
    if (!a->bad) napi_throw_type_error(a->env, NULL, "native kernel: a number was expected");
    a->bad = 1;
  }
  return v;
}
#define NUM(i) num(&a, i)
#define LONG(i) ((long)num(&a, i))
#define INT(i) ((int)num(&a, i))

static napi_value finish(napi_env env) {
  if (!index_ok()) napi_throw_range_error(env, NULL, "native maxpoolBackward: an argmax index lies outside its plane");
  else if (!gemm_ok()) napi_throw_error(env, NULL, "native kernel: out of memory for scratch space");
  return NULL;
}

#define BEGIN(n) args_t a; if (!get_args(env, info, &a, n)) return NULL;
#define CALL(body) do { if (a.bad) return NULL; pthread_mutex_lock(&lock); body; pthread_mutex_unlock(&lock); return finish(env); } while (0)

static napi_value matmul(napi_env env, napi_callback_info info) {
  BEGIN(10);
  const float *A = F32(0), *B = F32(1);
  float *C = F32(2);
  long m = LONG(3), k = LONG(4), n = LONG(5);
  int ta = INT(6), tb = INT(7), acc = INT(8), threads = INT(9);
  gemm_t g = { A, ta ? 1 : k, ta ? m : 1, 0, B, tb ? 1 : n, tb ? k : 1, 0, C, n, m, n, k, 1, acc };
  CALL(gemm(&g, threads));
}

/* Whether every row index lies in [0, srcRows); else throws a RangeError naming the kernel. */
static int rows_inside(napi_env env, const char *kernel, const int32_t *rows, long count, long srcRows) {
  for (long i = 0; i < count; i++) {
    if (rows[i] < 0 || rows[i] >= srcRows) {
      char message[128];
      snprintf(message, sizeof message, "native %s: row %ld lies outside the %ld rows", kernel, (long)rows[i], srcRows);
      napi_throw_range_error(env, NULL, message);
      return 0;
    }
  }
  return 1;
}

static napi_value gather_rows(napi_env env, napi_callback_info info) {
  BEGIN(7);
  const float *src = F32(0); long srcRows = LONG(1), width = LONG(2); const int32_t *rows = I32(3); long count = LONG(4);
  float *out = F32(5); int threads = INT(6);
  if (a.bad) return NULL;
  /* every index before any copy: a bad one is a caller's bug, refused with nothing written */
  if (!rows_inside(env, "gatherRows", rows, count, srcRows)) return NULL;
  CALL(k_gather_rows(src, width, rows, count, out, threads));
}

static napi_value prefetch_rows(napi_env env, napi_callback_info info) {
  BEGIN(5);
  const float *src = F32(0); long srcRows = LONG(1), width = LONG(2); const int32_t *rows = I32(3); long count = LONG(4);
  if (a.bad) return NULL;
  if (!rows_inside(env, "prefetchRows", rows, count, srcRows)) return NULL;
  CALL(k_prefetch_rows(src, width, rows, count));
}

static napi_value add_row_vector(napi_env env, napi_callback_info info) {
  BEGIN(5);
  float *out = F32(0); const float *bias = F32(1);
  long rows = LONG(2), cols = LONG(3); int threads = INT(4);
  CALL(k_add_row_vector(out, bias, rows, cols, threads));
}

static napi_value sum_rows(napi_env env, napi_callback_info info) {
  BEGIN(5);
  const float *x = F32(0); long rows = LONG(1), cols = LONG(2); float *out = F32(3); int threads = INT(4);
  CALL(k_sum_rows(x, rows, cols, out, threads));
}

static napi_value squash(napi_env env, napi_callback_info info) {
  BEGIN(6);
  int kind = INT(0); const float *x = F32(1); float *y = F32(2); long n = LONG(3); float alpha = (float)NUM(4); int threads = INT(5);
  CALL(k_squash(kind, x, y, n, alpha, threads));
}

static napi_value squash_backward(napi_env env, napi_callback_info info) {
  BEGIN(8);
  int kind = INT(0); const float *x = F32(1), *y = F32(2), *dy = F32(3); float *dx = F32(4);
  long n = LONG(5); float alpha = (float)NUM(6); int threads = INT(7);
  CALL(k_squash_backward(kind, x, y, dy, dx, n, alpha, threads));
}

static napi_value leaky_relu(napi_env env, napi_callback_info info) {
  BEGIN(5);
  const float *x = F32(0); float *y = F32(1); long n = LONG(2); float alpha = (float)NUM(3); int threads = INT(4);
  CALL(k_leaky_relu(x, y, n, alpha, threads));
}

static napi_value leaky_relu_backward(napi_env env, napi_callback_info info) {
  BEGIN(6);
  const float *x = F32(0), *dy = F32(1); float *dx = F32(2); long n = LONG(3); float alpha = (float)NUM(4); int threads = INT(5);
  CALL(k_leaky_relu_backward(x, dy, dx, n, alpha, threads));
}

static pool_geom pool_args(args_t *ap, size_t i) {
  args_t a = *ap;
  pool_geom g = { LONG(i), LONG(i + 1), LONG(i + 2), LONG(i + 3), LONG(i + 4), LONG(i + 5), LONG(i + 6), LONG(i + 7), LONG(i + 8) };
  ap->bad |= a.bad;
  return g;
}

static napi_value maxpool(napi_env env, napi_callback_info info) {
  BEGIN(13);
  const float *x = F32(0); float *y = F32(1); int32_t *at = I32(2); pool_geom g = pool_args(&a, 3); int threads = INT(12);
  CALL(k_maxpool(x, y, at, &g, threads));
}

static napi_value maxpool_backward(napi_env env, napi_callback_info info) {
  BEGIN(13);
  const float *dy = F32(0); const int32_t *at = I32(1); float *dx = F32(2); pool_geom g = pool_args(&a, 3); int threads = INT(12);
  CALL(k_maxpool_backward(dy, at, dx, &g, threads));
}

static napi_value avgpool(napi_env env, napi_callback_info info) {
  BEGIN(12);
  const float *x = F32(0); float *y = F32(1); pool_geom g = pool_args(&a, 2); int threads = INT(11);
  CALL(k_avgpool(x, y, &g, threads));
}

static napi_value avgpool_backward(napi_env env, napi_callback_info info) {
  BEGIN(12);
  const float *dy = F32(0); float *dx = F32(1); pool_geom g = pool_args(&a, 2); int threads = INT(11);
  CALL(k_avgpool_backward(dy, dx, &g, threads));
}

static napi_value bn_stats(napi_env env, napi_callback_info info) {
  BEGIN(7);
  const float *x = F32(0); long n = LONG(1), C = LONG(2), S = LONG(3); double *mean = F64(4), *m2 = F64(5); int threads = INT(6);
  CALL(k_bn_stats(x, n, C, S, mean, m2, threads));
}

static napi_value bn_apply(napi_env env, napi_callback_info info) {
  BEGIN(11);
  const float *x = F32(0); float *y = F32(1), *xhat = F32OPT(2);
  const float *mean = F32(3), *inv = F32(4), *gamma = F32(5), *beta = F32(6);
  long n = LONG(7), C = LONG(8), S = LONG(9); int threads = INT(10);
  CALL(k_bn_apply(x, y, xhat, mean, inv, gamma, beta, n, C, S, threads));
}

static napi_value bn_backward(napi_env env, napi_callback_info info) {
  BEGIN(11);
  const float *dy = F32(0), *xhat = F32(1); float *dx = F32(2); const float *gamma = F32(3), *inv = F32(4);
  float *dg = F32(5), *db = F32(6); long n = LONG(7), C = LONG(8), S = LONG(9); int threads = INT(10);
  CALL(k_bn_backward(dy, xhat, dx, gamma, inv, dg, db, n, C, S, threads));
}

static napi_value dropout(napi_env env, napi_callback_info info) {
  BEGIN(7);
  const float *x = F32(0); float *y = F32(1), *mask = F32(2); long n = LONG(3); double keep = NUM(4); uint32_t *state = U32(5); int threads = INT(6);
  CALL(k_dropout(x, y, mask, n, keep, state, threads));
}

static napi_value dropout_backward(napi_env env, napi_callback_info info) {
  BEGIN(5);
  const float *dy = F32(0), *mask = F32(1); float *dx = F32(2); long n = LONG(3); int threads = INT(4);
  CALL(k_dropout_backward(dy, mask, dx, n, threads));
}

static napi_value adam(napi_env env, napi_callback_info info) {
  BEGIN(11);
  float *w = F32(0); const float *g = F32(1); float *m = F32(2), *v = F32(3); long n = LONG(4);
  double step = NUM(5), c2 = NUM(6), b1 = NUM(7), b2 = NUM(8), eps = NUM(9); int threads = INT(10);
  CALL(k_adam(w, g, m, v, n, step, c2, b1, b2, eps, threads));
}

static napi_value penalize(napi_env env, napi_callback_info info) {
  BEGIN(5);
  const float *w = F32(0); float *g = F32(1); long n = LONG(2); double l2 = NUM(3); double *sums = F64(4);
  CALL(k_penalize(w, g, n, l2, sums));
}

static conv_geom conv_args(args_t *ap, size_t i) {
  args_t a = *ap;
  conv_geom g = { LONG(i), LONG(i + 1), LONG(i + 2), LONG(i + 3), LONG(i + 4), LONG(i + 5), LONG(i + 6), LONG(i + 7), LONG(i + 8), LONG(i + 9), LONG(i + 10) };
  ap->bad |= a.bad;
  return g;
}

static napi_value conv_forward(napi_env env, napi_callback_info info) {
  BEGIN(19);
  const float *x = F32(0), *w = F32(1), *b = F32(2); float *y = F32(3), *cols = F32(4);
  conv_geom g = conv_args(&a, 5); long F = LONG(16), n = LONG(17); int threads = INT(18);
  CALL(k_conv_forward(x, w, b, y, cols, &g, F, n, threads));
}

static napi_value conv_backward(napi_env env, napi_callback_info info) {
  BEGIN(20);
  const float *cols = F32(0), *w = F32(1), *dy = F32(2); float *dw = F32(3), *db = F32(4), *dx = F32OPT(5);
  conv_geom g = conv_args(&a, 6); long F = LONG(17), n = LONG(18); int threads = INT(19);
  CALL(k_conv_backward(cols, w, dy, dw, db, dx, &g, F, n, threads));
}

static int cpu_ok(void) {
#if defined(__x86_64__) && defined(DLX_NEED_AVX512)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
    __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
#elif defined(__x86_64__) && defined(DLX_NEED_AVX2)
  __builtin_cpu_init();
  return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi2");
#else
  return 1;
#endif
}

NAPI_MODULE_INIT() {
  if (!cpu_ok()) {
    napi_throw_error(env, NULL, "this CPU lacks the " DLX_ISA " instructions these kernels were built for");
    return NULL;
  }
  static const struct { const char *name; napi_callback fn; } fns[] = {
    { "matmul", matmul }, { "gatherRows", gather_rows }, { "prefetchRows", prefetch_rows }, { "addRowVector", add_row_vector }, { "sumRows", sum_rows }, { "squash", squash },
    { "squashBackward", squash_backward }, { "leakyRelu", leaky_relu }, { "leakyReluBackward", leaky_relu_backward },
    { "maxpool", maxpool }, { "maxpoolBackward", maxpool_backward }, { "avgpool", avgpool }, { "avgpoolBackward", avgpool_backward },
    { "batchnormStats", bn_stats }, { "batchnormApply", bn_apply }, { "batchnormBackward", bn_backward },
    { "dropout", dropout }, { "dropoutBackward", dropout_backward }, { "adam", adam }, { "penalize", penalize },
    { "conv2dForward", conv_forward }, { "conv2dBackward", conv_backward }
  };
  for (size_t i = 0; i < sizeof fns / sizeof fns[0]; i++) {
    napi_value f;
    napi_create_function(env, fns[i].name, NAPI_AUTO_LENGTH, fns[i].fn, NULL, &f);
    napi_set_named_property(env, exports, fns[i].name, f);
  }
  napi_value isa;
  napi_create_string_utf8(env, DLX_ISA, NAPI_AUTO_LENGTH, &isa);
  napi_set_named_property(env, exports, "isa", isa);
  return exports;
}
