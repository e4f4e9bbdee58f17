import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { applyChain, fitChain, restoreChain } from './index.js';

const P = golden.preprocessing;
const iris = { data: Float32Array.from(P.iris_X.data as number[]), rows: 150, cols: 4 };

test('zscore statistics match scikit-learn on iris', () => {
  const { saved } = fitChain([{ type: 'zscore' }], iris, new Int32Array(150));
  assertClose(saved[0].state.mean as number[], P.zscore.mean, 1e-6, 1e-7, 'mean');
  assertClose(saved[0].state.std as number[], P.zscore.std_population, 1e-6, 1e-7, 'std');
});

test('minmax statistics match on iris, and map train to [0, 1]', () => {
  const { steps, saved } = fitChain([{ type: 'minmax' }], iris, new Int32Array(150));
  assertClose(saved[0].state.min as number[], P.minmax.min, 1e-6, 1e-7, 'min');
  assertClose(saved[0].state.max as number[], P.minmax.max, 1e-6, 1e-7, 'max');
  const out = applyChain(steps, iris).data;
  assert.ok(out.every((v) => v >= 0 && v <= 1));
});

test('a restored chain transforms exactly like the fitted one', () => {
  const { steps, saved } = fitChain([{ type: 'zscore' }, { type: 'minmax' }], iris, new Int32Array(150));
  const again = restoreChain(JSON.parse(JSON.stringify(saved)));
  assert.deepEqual(applyChain(again, iris).data, applyChain(steps, iris).data);
});

test('a constant feature keeps scale 1 instead of dividing by zero', () => {
  const m = { data: Float32Array.from([3, 1, 3, 2, 3, 3]), rows: 3, cols: 2 };
  const { steps } = fitChain([{ type: 'zscore' }], m, new Int32Array(3));
  const out = applyChain(steps, m).data;
  assert.deepEqual([out[0], out[2], out[4]], [0, 0, 0]);
});

test('PCA explained-variance ratios match scikit-learn on iris within 1e-6, components up to sign', () => {
  const { saved } = fitChain([{ type: 'pca', components: 2 }], iris, new Int32Array(150));
  assertClose(saved[0].state.explainedVarianceRatio as number[], P.pca.explained_variance_ratio, 1e-6, 0, 'ratio');
  assertClose(saved[0].state.explainedVariance as number[], P.pca.explained_variance, 1e-6, 0, 'variance');
  const w = saved[0].state.components as number[];
  for (let j = 0; j < 2; j++) {
    const mine = [0, 1, 2, 3].map((c) => w[c * 2 + j]);
    const sign = Math.sign(mine[0] * P.pca.components[j][0]);
    assertClose(mine.map((v) => v * sign), P.pca.components[j], 1e-6, 1e-9, `component ${j}`);
  }
});

test('LDA explained-variance ratios match scikit-learn on iris within 1e-6', () => {
  const labels = Int32Array.from(P.iris_y as number[]);
  const { steps, saved } = fitChain([{ type: 'lda', components: 2 }], iris, labels);
  assertClose(saved[0].state.explainedVarianceRatio as number[], P.lda.explained_variance_ratio, 1e-6, 0, 'ratio');
  // the projected classes separate: nearest class mean on the 2-D projection is right ≥ 95 %
  const z = applyChain(steps, iris).data;
  const means = [0, 1, 2].map((c) => [0, 1].map((j) => labels.reduce((s, l, r) => s + (l === c ? z[r * 2 + j] : 0), 0) / 50));
  let right = 0;
  labels.forEach((l, r) => {
    const d = means.map((m) => (z[r * 2] - m[0]) ** 2 + (z[r * 2 + 1] - m[1]) ** 2);
    if (d.indexOf(Math.min(...d)) === l) right++;
  });
  assert.ok(right >= 143, `${right}/150`);
  assert.throws(() => fitChain([{ type: 'lda', components: 3 }], iris, labels), {
    message: 'data.normalize.0: lda: 3 components; at most 2 (classes − 1, and no more than the features)',
  });
});

test('ZCA-whitened training data has identity covariance within 1e-3', () => {
  const { steps } = fitChain([{ type: 'zca', eps: 0 }], iris, new Int32Array(150));
  const z = applyChain(steps, iris).data;
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) {
      let s = 0;
      let mi = 0;
      let mj = 0;
      for (let r = 0; r < 150; r++) {
        mi += z[r * 4 + i] / 150;
        mj += z[r * 4 + j] / 150;
      }
      for (let r = 0; r < 150; r++) s += (z[r * 4 + i] - mi) * (z[r * 4 + j] - mj);
      assert.ok(Math.abs(s / 149 - (i === j ? 1 : 0)) < 1e-3, `cov[${i}][${j}] = ${s / 149}`);
    }
  }
});

test('GCN gives each sample mean 0 and (with λ 0) standard deviation s', () => {
  const { steps, saved } = fitChain([{ type: 'gcn', scale: 2, lambda: 0, eps: 1e-8 }], iris, new Int32Array(150));
  assert.deepEqual(saved[0].state, {});
  const z = applyChain(steps, iris).data;
  for (let r = 0; r < 150; r += 37) {
    const row = [...z.subarray(r * 4, r * 4 + 4)];
    const mean = row.reduce((a, b) => a + b, 0) / 4;
    const sd = Math.sqrt(row.reduce((a, b) => a + (b - mean) ** 2, 0) / 4);
    assert.ok(Math.abs(mean) < 1e-6 && Math.abs(sd - 2) < 1e-5);
  }
});

test('zscore divides by the std: hand-computed values on a 4×2 matrix', () => {
  // column 0: 1, 3, 5, 7 (mean 4, population std √5); column 1: 10, 10, 20, 20 (mean 15, std 5)
  const m = { data: Float32Array.from([1, 10, 3, 10, 5, 20, 7, 20]), rows: 4, cols: 2 };
  const { steps } = fitChain([{ type: 'zscore' }], m, new Int32Array(4));
  const s5 = Math.sqrt(5);
  assertClose(applyChain(steps, m).data, [-3 / s5, -1, -1 / s5, -1, 1 / s5, 1, 3 / s5, 1], 1e-6, 1e-7, 'zscore');
  // and on data it was not fitted on: (x − 4)/√5 and (x − 15)/5
  const other = { data: Float32Array.from([9, 0]), rows: 1, cols: 2 };
  assertClose(applyChain(steps, other).data, [5 / s5, -3], 1e-6, 1e-7, 'new row');
});

test('minmax maps min to 0 and max to 1 per feature: hand-computed values', () => {
  const m = { data: Float32Array.from([2, -1, 4, 1, 10, 3]), rows: 3, cols: 2 };
  const { steps } = fitChain([{ type: 'minmax' }], m, new Int32Array(3));
  assertClose(applyChain(steps, m).data, [0, 0, 0.25, 0.5, 1, 1], 1e-7, 1e-7, 'minmax');
  assertClose(applyChain(steps, { data: Float32Array.from([6, 5]), rows: 1, cols: 2 }).data, [0.5, 1.5], 1e-7, 1e-7, 'outside the training range');
});
