// PCA on data built from known axes, so every expected value is a closed form: the rows are
// m + a·(3, −6, 2) + b·(6, 2, −3) with a = (−3, −1, 1, 3), b = (1, −1, −1, 1) (both centred and
// orthogonal), so the covariance (ddof 1) is 49·(20/3)·u1u1ᵀ + 49·(4/3)·u2u2ᵀ with the unit
// axes u1 = (3, −6, 2)/7, u2 = (6, 2, −3)/7, and u3 = (2, 3, 6)/7 spans its null space.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import type { Matrix } from './normalizer.js';
import { pca } from './pca.js';

const m = [1, 2, 3];
const a = [-3, -1, 1, 3];
const b = [1, -1, -1, 1];
const axes = [[3, -6, 2], [6, 2, -3], [2, 3, 6]];
const rowsOf = (perm: number[]) => a.map((ai, r) => perm.map((f) => m[f] + ai * axes[0][f] + b[r] * axes[1][f]));
const matrix = (rows: number[][]): Matrix => ({ data: Float32Array.from(rows.flat()), rows: rows.length, cols: rows[0].length });
/** The documented sign: a component's largest entry (in absolute value) is positive. */
const signed = (v: number[]) => {
  const big = v.reduce((p, x) => (Math.abs(x) > Math.abs(p) ? x : p), 0);
  return v.map((x) => (Math.sign(big) * x) / 7);
};
const config = (components: number) => pca.schema.parse({ type: 'pca', components });

test('PCA finds the known axes, with the largest entry of each component positive, and projects on them', () => {
  const { state, apply } = pca.fit(config(2), matrix(rowsOf([0, 1, 2])), new Int32Array(4));
  assert.deepEqual(state.mean, m);
  // u1's largest entry is −6/7, so the first component is −u1; u2 keeps its sign
  const w = state.components as number[];
  assert.equal(w.length, 6, 'cols × k entries');
  assertClose([0, 1, 2].map((c) => w[c * 2]), [-3 / 7, 6 / 7, -2 / 7], 1e-9, 1e-12, 'component 0');
  assertClose([0, 1, 2].map((c) => w[c * 2 + 1]), [6 / 7, 2 / 7, -3 / 7], 1e-9, 1e-12, 'component 1');
  assertClose(state.explainedVariance as number[], [(49 * 20) / 3, (49 * 4) / 3], 1e-9, 0, 'variance');
  assertClose(state.explainedVarianceRatio as number[], [5 / 6, 1 / 6], 1e-9, 0, 'ratio');
  // (x − m)·(−u1) = −7a and (x − m)·u2 = 7b
  const z = apply(matrix(rowsOf([0, 1, 2])));
  assert.deepEqual([z.rows, z.cols], [4, 2]);
  assertClose(z.data, a.flatMap((ai, r) => [-7 * ai, 7 * b[r]]), 1e-6, 1e-5, 'projection');
  // a point it was not fitted on: m + (2, 3, 6) lies on u3, orthogonal to both components
  assertClose(apply(matrix([[3, 5, 9]])).data, [0, 0], 0, 1e-5, 'null-space point');
});

test('PCA keeps as many components as features, and no more', () => {
  const { state } = pca.fit(config(3), matrix(rowsOf([0, 1, 2])), new Int32Array(4));
  const w = state.components as number[];
  assertClose([0, 1, 2].map((c) => w[c * 3 + 2]), [2 / 7, 3 / 7, 6 / 7], 1e-6, 1e-7, 'the null-space axis u3');
  assert.throws(() => pca.fit(config(4), matrix(rowsOf([0, 1, 2])), new Int32Array(4)), {
    message: 'pca: 4 components from 3 features; at most 3',
  });
});

test('PCA components follow the sign convention whatever the feature order', () => {
  for (const perm of [[0, 2, 1], [1, 0, 2], [1, 2, 0], [2, 0, 1], [2, 1, 0]]) {
    const { state } = pca.fit(config(3), matrix(rowsOf(perm)), new Int32Array(4));
    const w = state.components as number[];
    for (let j = 0; j < 3; j++) {
      const expected = signed(perm.map((f) => axes[j][f]));
      assertClose([0, 1, 2].map((c) => w[c * 3 + j]), expected, 1e-6, 1e-7, `order ${perm}, component ${j}`);
    }
  }
});

test('PCA restored from its saved state projects exactly like the fitted one, and refuses a damaged state', () => {
  const x = matrix(rowsOf([0, 1, 2]));
  const fitted = pca.fit(config(2), x, new Int32Array(4));
  const restored = pca.restore(config(2), JSON.parse(JSON.stringify(fitted.state)));
  assert.deepEqual(restored.apply(x), fitted.apply(x));
  const damaged = { ...fitted.state, components: (fitted.state.components as number[]).slice(1) };
  assert.throws(() => pca.restore(config(2), damaged), { message: "preprocessing state 'components' should be 6 numbers" });
});
