import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers.js';
import { referenceBackend } from './reference.js';
import { Rng } from './rng.js';

// Naive float64 product of explicit row-major matrices, the oracle for every transpose form.
function product(a: number[][], b: number[][]): number[] {
  return a.flatMap((row) => b[0].map((_, j) => row.reduce((s, v, p) => s + v * b[p][j], 0)));
}

test('matmul in every transpose form, on odd sizes', () => {
  const rng = Rng.stream(9, 'matmul');
  for (const [m, k, n] of [[1, 1, 1], [3, 5, 7], [17, 4, 9]]) {
    const A = Array.from({ length: m }, () => Array.from({ length: k }, () => rng.normal()));
    const B = Array.from({ length: k }, () => Array.from({ length: n }, () => rng.normal()));
    const expected = product(A, B);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const a = Float32Array.from(transA ? A[0].flatMap((_, p) => A.map((r) => r[p])) : A.flat());
        const b = Float32Array.from(transB ? B[0].flatMap((_, j) => B.map((r) => r[j])) : B.flat());
        const out = new Float32Array(m * n);
        referenceBackend.matmul(a, b, out, { m, k, n, transA, transB });
        assertClose(out, expected, 1e-5, 1e-5, `${m}x${k}x${n} transA=${transA} transB=${transB}`);
        referenceBackend.matmul(a, b, out, { m, k, n, transA, transB, accumulate: true });
        assertClose(out, expected.map((v) => 2 * v), 1e-5, 1e-5, 'accumulate');
      }
    }
  }
});

test('addRowVector and sumRows', () => {
  const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
  referenceBackend.addRowVector(x, Float32Array.from([10, 20, 30]));
  assert.deepEqual([...x], [11, 22, 33, 14, 25, 36]);
  const out = new Float32Array(3);
  referenceBackend.sumRows(x, 3, out);
  assert.deepEqual([...out], [25, 47, 69]);
});
