// ZCA on data built from known axes (the same construction as pca.test.ts): the covariance is
// s1·u1u1ᵀ + s2·u2u2ᵀ + 0·u3u3ᵀ with s1 = 49·20/3, s2 = 49·4/3, so the whitening matrix is the
// closed form W = Σ uᵢuᵢᵀ/√(sᵢ + ε), symmetric and positive definite (no sign to choose).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import type { Matrix } from './normalizer.js';
import { zca } from './zca.js';

const m = [1, 2, 3];
const a = [-3, -1, 1, 3];
const b = [1, -1, -1, 1];
const u = [[3, -6, 2], [6, 2, -3], [2, 3, 6]].map((v) => v.map((x) => x / 7));
const s = [(49 * 20) / 3, (49 * 4) / 3, 0];
const rows = a.map((ai, r) => m.map((mf, f) => mf + 7 * ai * u[0][f] + 7 * b[r] * u[1][f]));
const x: Matrix = { data: Float32Array.from(rows.flat()), rows: 4, cols: 3 };

test('ZCA whitening is U·diag(1/√(S + ε))·Uᵀ of the training covariance: closed form with ε = 1', () => {
  const config = zca.schema.parse({ type: 'zca', eps: 1 });
  const { state, apply } = zca.fit(config, x, new Int32Array(4));
  const expected: number[] = [];
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expected.push(u.reduce((t, v, k) => t + (v[i] * v[j]) / Math.sqrt(s[k] + 1), 0));
  assert.deepEqual(state.mean, m);
  assertClose(state.whitening as number[], expected, 1e-6, 1e-9, 'W');
  // (x − m)·W = 7a·u1/√(s1 + 1) + 7b·u2/√(s2 + 1)
  const want = a.flatMap((ai, r) => [0, 1, 2].map((f) => (7 * ai * u[0][f]) / Math.sqrt(s[0] + 1) + (7 * b[r] * u[1][f]) / Math.sqrt(s[1] + 1)));
  assertClose(apply(x).data, want, 1e-5, 1e-6, 'whitened rows');
});

test('ZCA eps defaults to 1e-5, must be ≥ 0, and a restored ZCA whitens exactly like the fitted one', () => {
  assert.equal(zca.schema.parse({ type: 'zca' }).eps, 1e-5);
  assert.equal(zca.schema.parse({ type: 'zca', eps: 0.5 }).eps, 0.5);
  assert.equal(zca.schema.safeParse({ type: 'zca', eps: -1 }).success, false);
  const config = zca.schema.parse({ type: 'zca', eps: 0.1 });
  const fitted = zca.fit(config, x, new Int32Array(4));
  const restored = zca.restore(config, JSON.parse(JSON.stringify(fitted.state)));
  assert.deepEqual(restored.apply(x), fitted.apply(x));
  assert.throws(() => zca.restore(config, { ...fitted.state, whitening: [1, 2, 3] }), { message: "preprocessing state 'whitening' should be 9 numbers" });
});
