import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { Tensor } from '../../engine/tensor.js';
import { crossEntropy, softmax } from './cross-entropy.js';

test('softmax cross-entropy loss and gradient match PyTorch (golden.json)', () => {
  const g = golden.losses.cases.softmax_cross_entropy_mean;
  const loss = crossEntropy.create();
  const r = loss.compute(Tensor.from(g.logits.shape, g.logits.data), Int32Array.from(g.labels));
  assertClose([r.loss], [g.loss], 1e-6, 0, 'loss');
  assertClose(r.grad.data, g.grad_logits.data, 1e-4, 1e-7, 'grad');
});

test('softmax output matches PyTorch and survives huge logits', () => {
  const g = golden.layers.cases.softmax;
  assertClose(softmax(Tensor.from(g.inputs.x.shape, g.inputs.x.data)).data, g.output.data, 1e-4, 1e-7, 'softmax');
  const r = crossEntropy.create().compute(Tensor.from([1, 3], [1000, 0, -1000]), Int32Array.from([0]));
  assert.ok(Number.isFinite(r.loss) && r.loss < 1e-6);
});
