// Clipping by global norm as torch.nn.utils.clip_grad_norm_: g ← g·maxNorm/(‖g‖ + 1e-6) when that
// factor is below 1, else untouched; the norm before clipping is returned.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clipByGlobalNorm } from './transforms.js';

test('clipByGlobalNorm scales by maxNorm/(‖g‖ + 1e-6) over all parameters, only when above maxNorm', () => {
  const a = Float64Array.from([3]);
  const b = Float64Array.from([0, 4]);
  const params = [{ name: 'a', value: new Float64Array(1), grad: a }, { name: 'b', value: new Float64Array(2), grad: b }];
  assert.equal(clipByGlobalNorm(params, 2), 5);
  const f = 2 / (5 + 1e-6);
  assert.deepEqual([...a, ...b], [3 * f, 0, 4 * f]);
  const small = Float64Array.from([0.3, 0.4]);
  assert.equal(clipByGlobalNorm([{ name: 's', value: new Float64Array(2), grad: small }], 1), 0.5);
  assert.deepEqual([...small], [0.3, 0.4], 'a norm below maxNorm leaves the gradient as it is');
});
