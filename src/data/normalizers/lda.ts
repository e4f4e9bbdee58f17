// Linear discriminant analysis (Fisher 1936): project on the top eigenvectors of S_W⁻¹·S_B,
// at most classes − 1 of them. Solved as a symmetric problem through S_W^(−1/2) (a
// pseudo-inverse when S_W is singular), as scikit-learn's eigen solver does with eigh(S_B, S_W).
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { columnMeans, project, scatter, symmetricEigen } from '../../engine/linalg.js';
import { defineNormalizer, numberArray, type Matrix } from './normalizer.js';

const projection = (mean: number[], w: number[], cols: number, k: number) => (x: Matrix): Matrix =>
  ({ data: project(x.data, x.rows, cols, mean, w, k), rows: x.rows, cols: k });

export const lda = defineNormalizer({
  type: 'lda',
  summary: 'projection on the top `components` (≤ classes − 1) discriminant directions of the training data',
  schema: strictObject({ type: z.literal('lda'), components: count() }),
  fit({ components: k }, { data, rows, cols }, labels) {
    const classes = [...new Set(labels)].sort((a, b) => a - b);
    if (k > Math.min(classes.length - 1, cols)) {
      throw new Error(`lda: ${k} components; at most ${Math.min(classes.length - 1, cols)} (classes − 1, and no more than the features)`);
    }
    const mean = columnMeans(data, rows, cols);
    const within = new Float64Array(cols * cols);
    const between = new Float64Array(cols * cols);
    for (const c of classes) {
      const members = labels.reduce((n, l) => n + (l === c ? 1 : 0), 0);
      const classMean = new Float64Array(cols);
      labels.forEach((l, r) => {
        if (l === c) for (let j = 0; j < cols; j++) classMean[j] += data[r * cols + j] / members;
      });
      const s = scatter(data, rows, cols, classMean, (r) => labels[r] === c);
      for (let i = 0; i < cols * cols; i++) within[i] += s[i];
      for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) between[i * cols + j] += members * (classMean[i] - mean[i]) * (classMean[j] - mean[j]);
    }
    // S_W^(−1/2) from S_W = U D Uᵀ, dropping directions with (numerically) no within-class spread
    const sw = symmetricEigen(within, cols);
    const floor = sw.values[0] * cols * 2 ** -52;
    const isqrt = sw.values.map((d) => (d > floor ? 1 / Math.sqrt(d) : 0));
    const half = new Float64Array(cols * cols);
    for (let i = 0; i < cols; i++) for (let j = 0; j < cols; j++) {
      let s = 0;
      for (let m = 0; m < cols; m++) s += sw.vectors[i * cols + m] * isqrt[m] * sw.vectors[j * cols + m];
      half[i * cols + j] = s;
    }
    const inner = mul(mul(half, between, cols), half, cols);
    const { values, vectors } = symmetricEigen(inner, cols);
    const directions = mul(half, vectors, cols); // column j: S_W^(−1/2)·u_j
    const w = new Array<number>(cols * k);
    for (let j = 0; j < k; j++) for (let c = 0; c < cols; c++) w[c * k + j] = directions[c * cols + j];
    const total = values.reduce((a, b) => a + Math.max(b, 0), 0);
    const state = { mean: [...mean], scalings: w, explainedVarianceRatio: [...values.subarray(0, k)].map((v) => Math.max(v, 0) / total) };
    return { state, apply: projection(state.mean, w, cols, k) };
  },
  restore({ components: k }, state) {
    const mean = state.mean as number[];
    return { state, apply: projection(mean, numberArray(state, 'scalings', mean.length * k), mean.length, k) };
  },
});

function mul(a: Float64Array, b: Float64Array, n: number): Float64Array {
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let m = 0; m < n; m++) {
    const v = a[i * n + m];
    if (v !== 0) for (let j = 0; j < n; j++) out[i * n + j] += v * b[m * n + j];
  }
  return out;
}
