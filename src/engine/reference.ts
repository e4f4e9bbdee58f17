// The reference backend: plain loops, written to be read, and the oracle the faster backends
// are tested against. Each output element is accumulated in float64 over p = 0…k−1 in order, so
// results are reproducible bit for bit. Loops run i-p-j so the inner loop walks memory in order.
import type { Backend, MatmulArgs } from './backend.js';

let rowBuffer = new Float64Array(0);
let transposed = new Float32Array(0);

export const referenceBackend: Backend = {
  name: 'reference',
  threads: 1,
  variant: 'typescript',

  matmul(a, b, out, { m, k, n, transA = false, transB = false, accumulate = false }: MatmulArgs) {
    // b as k×n row-major: transpose it once when it comes as n×k
    let bk = b;
    if (transB) {
      if (transposed.length < k * n) transposed = new Float32Array(k * n);
      for (let j = 0; j < n; j++) for (let p = 0; p < k; p++) transposed[p * n + j] = b[j * k + p];
      bk = transposed;
    }
    if (rowBuffer.length < n) rowBuffer = new Float64Array(n);
    const acc = rowBuffer;
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      for (let p = 0; p < k; p++) {
        const av = transA ? a[p * m + i] : a[i * k + p];
        if (av === 0) continue;
        const row = p * n;
        for (let j = 0; j < n; j++) acc[j] += av * bk[row + j];
      }
      const o = i * n;
      if (accumulate) for (let j = 0; j < n; j++) out[o + j] += acc[j];
      else for (let j = 0; j < n; j++) out[o + j] = acc[j];
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
