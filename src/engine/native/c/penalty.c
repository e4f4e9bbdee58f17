/* The weight penalty of one parameter (REFERENCE.md §4) in one pass over its values: Σ|w| and Σw²
 * for the reported penalty, and L2's gradient g += 2·l2·w (Krogh & Hertz 1992). Eight float64
 * running sums, value i going to sum i mod 8, added up in a fixed order: the same bits with any
 * instruction set and thread count. One thread: the pass reads a parameter once, which is less
 * than handing it to the pool costs. */
#include "dlx.h"
#include <math.h>

void k_penalize(const float *w, float *g, long n, double l2, double *sums) {
  double a[8] = { 0 }, s[8] = { 0 };
  long i = 0;
  for (; i + 8 <= n; i += 8) {
    for (int j = 0; j < 8; j++) {
      const double x = w[i + j];
      a[j] += fabs(x);
      s[j] += x * x;
    }
  }
  for (long j = 0; i + j < n; j++) {
    const double x = w[i + j];
    a[j] += fabs(x);
    s[j] += x * x;
  }
  sums[0] += ((a[0] + a[1]) + (a[2] + a[3])) + ((a[4] + a[5]) + (a[6] + a[7]));
  sums[1] += ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]));
  /* as the reference: (2·l2)·w in float64, added to g, rounded once to float32 */
  if (l2 != 0) {
    const double k = 2 * l2;
    for (long j = 0; j < n; j++) g[j] = (float)(g[j] + k * (double)w[j]);
  }
}
