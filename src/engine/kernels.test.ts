// One kernel table, run against every backend: the reference backend, and the WebAssembly
// backend on 1 and 2 threads. Shapes include sizes that are not multiples of the SIMD width or
// of the micro-kernel's panels, and products deep enough to span several packed k blocks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../test/helpers.js';
import type { Backend } from './backend.js';
import { loadBackend } from './backends.js';
import { Rng } from './rng.js';
import { partition } from './wasm/partition.js';

const rng = Rng.stream(9, 'kernels');
const randoms = (length: number) => Float32Array.from({ length }, () => rng.normal());

// Naive float64 product of op(a)·op(b), the oracle for every transpose form.
function product(a: Float32Array, b: Float32Array, m: number, k: number, n: number, transA: boolean, transB: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) s += (transA ? a[p * m + i] : a[i * k + p]) * (transB ? b[j * k + p] : b[p * n + j]);
      out.push(s);
    }
  }
  return out;
}

const shapes: [number, number, number][] = [[1, 1, 1], [3, 5, 7], [17, 4, 9], [2, 16, 16], [5, 13, 33], [33, 300, 19], [64, 600, 70], [1, 513, 3], [4, 0, 5]];
const backends: [string, () => Promise<Backend>][] = [
  ['reference', async () => (await loadBackend('reference', 1))!],
  ['wasm, 1 thread', async () => (await loadBackend('wasm', 1))!],
  ['wasm, 2 threads', async () => (await loadBackend('wasm', 2))!],
];

for (const [label, load] of backends) {
  test(`matmul in every transpose form on odd sizes: ${label}`, async () => {
    const backend = await load();
    for (const [m, k, n] of shapes) {
      const a = randoms(m * k);
      const b = randoms(k * n);
      for (const transA of [false, true]) {
        for (const transB of [false, true]) {
          const expected = product(a, b, m, k, n, transA, transB);
          const where = `${label} ${m}×${k}×${n} transA=${transA} transB=${transB}`;
          const out = randoms(m * n); // stale values must be overwritten
          backend.matmul(a, b, out, { m, k, n, transA, transB });
          assertClose(out, expected, 1e-5, 1e-4, where);
          backend.matmul(a, b, out, { m, k, n, transA, transB, accumulate: true });
          assertClose(out, expected.map((v) => 2 * v), 1e-5, 2e-4, `${where} accumulate`);
        }
      }
    }
  });

  test(`addRowVector and sumRows: ${label}`, async () => {
    const backend = await load();
    const x = Float32Array.from([1, 2, 3, 4, 5, 6]);
    backend.addRowVector(x, Float32Array.from([10, 20, 30]));
    assert.deepEqual([...x], [11, 22, 33, 14, 25, 36]);
    const out = new Float32Array(3);
    backend.sumRows(x, 3, out);
    assert.deepEqual([...out], [25, 47, 69]);
  });
}

test('the wasm backend gives bit-identical products on 1 and 2 threads', async () => {
  const one = (await loadBackend('wasm', 1))!;
  const two = (await loadBackend('wasm', 2))!;
  assert.equal(two.threads, 2);
  // split by rows (m large) and by columns (n large), in every transpose form
  for (const [m, k, n] of [[300, 517, 21], [21, 517, 301], [128, 784, 200]]) {
    const a = randoms(m * k);
    const b = randoms(k * n);
    for (const transA of [false, true]) {
      for (const transB of [false, true]) {
        const [x, y] = [new Float32Array(m * n), new Float32Array(m * n)];
        one.matmul(a, b, x, { m, k, n, transA, transB });
        two.matmul(a, b, y, { m, k, n, transA, transB });
        assert.deepEqual(new Uint32Array(y.buffer), new Uint32Array(x.buffer), `${m}×${k}×${n} transA=${transA} transB=${transB}`);
      }
    }
  }
});

test('partition covers the output once, in whole panels, and keeps small products on one thread', () => {
  assert.deepEqual(partition(8, 8, 8, 2, 2, 16), [[0, 8, 0, 8]]);
  for (const [m, n, k] of [[300, 21, 517], [21, 301, 517], [128, 200, 784], [5, 1000, 1000]]) {
    const parts = partition(m, n, k, 2, 2, 16);
    assert.equal(parts.length, 2, `${m}×${k}×${n}`);
    const covered = new Uint8Array(m * n);
    for (const [i0, i1, j0, j1] of parts) {
      assert.ok(i0 % 2 === 0 && j0 % 16 === 0, 'parts start on panel boundaries');
      for (let i = i0; i < i1; i++) for (let j = j0; j < j1; j++) covered[i * n + j]++;
    }
    assert.ok(covered.every((c) => c === 1), `${m}×${k}×${n}: every element exactly once`);
  }
});

test('an unknown backend name is refused', async () => {
  assert.equal(await loadBackend('cuda', 1), undefined);
});
