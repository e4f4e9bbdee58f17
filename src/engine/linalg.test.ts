import assert from 'node:assert/strict';
import { test } from 'node:test';
import { symmetricEigen } from './linalg.js';
import { Rng } from '../random/rng.js';

function randomSymmetric(n: number, rng: Rng): Float64Array {
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j <= i; j++) a[i * n + j] = a[j * n + i] = rng.normal();
  return a;
}

for (const n of [1, 2, 5, 33]) {
  test(`symmetric eigen-decomposition n=${n}: A·v = λ·v, orthonormal vectors, values sorted`, () => {
    const rng = Rng.stream(n, 'eigen');
    const a = randomSymmetric(n, rng);
    const { values, vectors } = symmetricEigen(a, n);
    for (let k = 0; k < n; k++) {
      if (k > 0) assert.ok(values[k] <= values[k - 1]);
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let j = 0; j < n; j++) av += a[i * n + j] * vectors[j * n + k];
        assert.ok(Math.abs(av - values[k] * vectors[i * n + k]) < 1e-10, `residual at ${i},${k}`);
      }
      for (let l = 0; l < n; l++) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += vectors[i * n + k] * vectors[i * n + l];
        assert.ok(Math.abs(dot - (k === l ? 1 : 0)) < 1e-10);
      }
    }
  });
}

test('a diagonal matrix and a rank-deficient one', () => {
  const d = symmetricEigen(Float64Array.from([3, 0, 0, 0, 1, 0, 0, 0, 2]), 3);
  assert.deepEqual([...d.values], [3, 2, 1]);
  // u·uᵀ with u = (1, 2, 2): eigenvalues 9, 0, 0
  const u = [1, 2, 2];
  const r = symmetricEigen(Float64Array.from({ length: 9 }, (_, i) => u[Math.floor(i / 3)] * u[i % 3]), 3);
  assert.ok(Math.abs(r.values[0] - 9) < 1e-12 && Math.abs(r.values[1]) < 1e-12 && Math.abs(r.values[2]) < 1e-12);
});
