// PCA (Pearson 1901; Hotelling 1933): project the centred data on the top `components`
// eigenvectors of the training covariance (ddof 1). explainedVarianceRatio is saved beside them.
import * as z from 'zod';
import { count, strictObject } from '../../common/schema.js';
import { columnMeans, project, scatter, symmetricEigen } from '../../engine/linalg.js';
import { defineNormalizer, numberArray, type Matrix } from './normalizer.js';

function projection(mean: number[], components: number[], cols: number, k: number) {
  return (x: Matrix): Matrix => ({ data: project(x.data, x.rows, cols, mean, components, k), rows: x.rows, cols: k });
}

export const pca = defineNormalizer({
  type: 'pca',
  summary: 'projection on the top `components` principal axes of the training data',
  schema: strictObject({ type: z.literal('pca'), components: count() }),
  fit({ components: k }, { data, rows, cols }) {
    if (k > cols) throw new Error(`pca: ${k} components from ${cols} features; at most ${cols}`);
    const mean = columnMeans(data, rows, cols);
    const cov = scatter(data, rows, cols, mean).map((v) => v / (rows - 1));
    const { values, vectors } = symmetricEigen(cov, cols);
    // cols×k, column j = eigenvector j, with the sign fixed so its largest entry is positive
    const w = new Array<number>(cols * k);
    for (let j = 0; j < k; j++) {
      let big = 0;
      for (let c = 0; c < cols; c++) if (Math.abs(vectors[c * cols + j]) > Math.abs(big)) big = vectors[c * cols + j];
      for (let c = 0; c < cols; c++) w[c * k + j] = Math.sign(big || 1) * vectors[c * cols + j];
    }
    const total = values.reduce((a, b) => a + Math.max(b, 0), 0);
    const state = {
      mean: [...mean],
      components: w,
      explainedVariance: [...values.subarray(0, k)],
      explainedVarianceRatio: [...values.subarray(0, k)].map((v) => v / total),
    };
    return { state, apply: projection(state.mean, w, cols, k) };
  },
  restore({ components: k }, state) {
    const mean = state.mean as number[];
    return { state, apply: projection(mean, numberArray(state, 'components', mean.length * k), mean.length, k) };
  },
});
