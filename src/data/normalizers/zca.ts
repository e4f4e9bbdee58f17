// ZCA whitening (Bell & Sejnowski 1997; Krizhevsky 2009 §A): x ← (x − μ)·W with
// W = U·diag(1/√(S + ε))·Uᵀ from the training covariance C = U S Uᵀ (ddof 1). The whitened
// training data has (nearly) identity covariance and stays closest to the original.
import * as z from 'zod';
import { strictObject } from '../../common/schema.js';
import { columnMeans, project, scatter, symmetricEigen } from '../../engine/linalg.js';
import { defineNormalizer, numberArray, type Matrix } from './normalizer.js';

const whiten = (mean: number[], w: number[], cols: number) => (x: Matrix): Matrix => ({ data: project(x.data, x.rows, cols, mean, w, cols), rows: x.rows, cols });

export const zca = defineNormalizer({
  type: 'zca',
  summary: 'ZCA whitening with the training covariance; `eps` regularizes small eigenvalues',
  schema: strictObject({ type: z.literal('zca'), eps: z.number().min(0).default(1e-5) }),
  fit({ eps }, { data, rows, cols }) {
    const mean = columnMeans(data, rows, cols);
    const cov = scatter(data, rows, cols, mean).map((v) => v / (rows - 1));
    const { values, vectors } = symmetricEigen(cov, cols);
    const scale = values.map((s) => 1 / Math.sqrt(Math.max(s, 0) + eps));
    const w = new Array<number>(cols * cols).fill(0);
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k < cols; k++) s += vectors[i * cols + k] * scale[k] * vectors[j * cols + k];
        w[i * cols + j] = w[j * cols + i] = s;
      }
    }
    const state = { mean: [...mean], whitening: w };
    return { state, apply: whiten(state.mean, w, cols) };
  },
  restore(_c, state) {
    const mean = state.mean as number[];
    return { state, apply: whiten(mean, numberArray(state, 'whitening', mean.length * mean.length), mean.length) };
  },
});
