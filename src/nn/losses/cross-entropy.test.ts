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

test('compute writes its gradient into a given tensor, overwriting every value, as into a new one', () => {
  const logits = Tensor.from([2, 3], [0.5, -1, 2, 3, 0, -2]);
  const labels = Int32Array.from([2, 0]);
  const loss = crossEntropy.create();
  const fresh = loss.compute(logits, labels);
  const into = Tensor.from([2, 3], [9, 9, 9, 9, 9, 9]);
  const r = loss.compute(logits, labels, into);
  assert.equal(r.grad, into);
  assert.equal(r.loss, fresh.loss);
  assert.deepEqual(Array.from(into.data), Array.from(fresh.grad.data));
});
