// The reference backend: plain loops, written to be read. Accumulates each output element
// in one fixed order, so its results are reproducible bit for bit.
import type { Backend, MatmulArgs } from './backend.js';

export const referenceBackend: Backend = {
  name: 'reference',

  matmul(a, b, out, { m, k, n, transA = false, transB = false, accumulate = false }: MatmulArgs) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const av = transA ? a[p * m + i] : a[i * k + p];
          const bv = transB ? b[j * k + p] : b[p * n + j];
          s += av * bv;
        }
        out[i * n + j] = accumulate ? out[i * n + j] + s : s;
      }
    }
  },

  addRowVector(out, bias) {
    const n = bias.length;
    for (let i = 0; i < out.length; i += n) {
      for (let j = 0; j < n; j++) out[i + j] += bias[j];
    }
  },

  sumRows(x, cols, out) {
    out.fill(0);
    for (let i = 0; i < x.length; i += cols) {
      for (let j = 0; j < cols; j++) out[j] += x[i + j];
    }
  },
};
