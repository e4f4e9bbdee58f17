// SGD's two momentum forms agree at a constant lr (optimizers.test.ts) and differ when lr
// changes between steps: PyTorch's velocity holds gradients (v ← μv + g, w ← w − lr·v, so a new
// lr rescales the whole history), the deck's holds steps (v ← μv − lr·g, w ← w + v). Hand-computed
// two steps from w = 1 with g = 1, lr 0.1 then 0.2, μ = 0.9.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createOptimizer, optimizerSchema } from './index.js';

function twoSteps(spec: Record<string, unknown>): number {
  const optimizer = createOptimizer(optimizerSchema.parse({ type: 'sgd', momentum: 0.9, ...spec }));
  const w = Float64Array.from([1]);
  optimizer.step([{ name: 'w', value: w, grad: Float64Array.from([1]) }], 0.1, 1);
  optimizer.step([{ name: 'w', value: w, grad: Float64Array.from([1]) }], 0.2, 2);
  return w[0];
}

test('SGD momentum forms under a changing lr: PyTorch 0.52, the deck\'s 0.61, Nesterov 0.268', () => {
  // PyTorch: v = 1, w = 0.9; v = 1.9, w = 0.9 − 0.2·1.9 = 0.52
  assert.ok(Math.abs(twoSteps({}) - 0.52) < 1e-12);
  assert.ok(Math.abs(twoSteps({ momentumForm: 'pytorch' }) - 0.52) < 1e-12);
  // the deck: v = −0.1, w = 0.9; v = −0.09 − 0.2 = −0.29, w = 0.61
  assert.ok(Math.abs(twoSteps({ momentumForm: 'decoupled' }) - 0.61) < 1e-12);
  // Nesterov (PyTorch's form): w = 1 − 0.1·(1 + 0.9) = 0.81; v = 1.9, w = 0.81 − 0.2·(1 + 0.9·1.9) = 0.268
  assert.ok(Math.abs(twoSteps({ nesterov: true }) - 0.268) < 1e-12);
});

test('SGD\'s momentum form defaults to PyTorch\'s and accepts only the two names', () => {
  const c = optimizerSchema.parse({ type: 'sgd', momentum: 0.5 });
  assert.ok(c.type === 'sgd');
  assert.equal(c.momentumForm, 'pytorch');
  assert.equal(optimizerSchema.safeParse({ type: 'sgd', momentumForm: 'keras' }).success, false);
});
