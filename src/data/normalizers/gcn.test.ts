// GCN per sample on hand-computed rows, with λ > 0, and restored from its (empty) state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import { gcn } from './gcn.js';

test('GCN with λ = 1: s·(x − mean)/√(λ + var) per row, hand-computed', () => {
  const config = gcn.schema.parse({ type: 'gcn', scale: 2, lambda: 1 });
  assert.equal(gcn.schema.safeParse({ type: 'gcn', lambda: -1 }).success, false);
  // row (1, 3): mean 2, var 1 → 2·(∓1)/√2; row (0, 0, …): var 0 → 0; row (4, 0): mean 2, var 4 → 2·(±2)/√5
  const x = { data: Float32Array.from([1, 3, 5, 5, 4, 0]), rows: 3, cols: 2 };
  const fitted = gcn.fit(config, x, new Int32Array(3));
  const want = [-2 / Math.SQRT2, 2 / Math.SQRT2, 0, 0, 4 / Math.sqrt(5), -4 / Math.sqrt(5)];
  assertClose(fitted.apply(x).data, want, 1e-6, 1e-7, 'gcn');
  const restored = gcn.restore(config, {});
  assertClose(restored.apply(x).data, want, 1e-6, 1e-7, 'restored');
  assert.deepEqual(restored.state, {});
});
