import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { Tensor } from '../../engine/tensor.js';
import { binaryCrossEntropy, binaryCrossEntropyWithLogits } from './binary-cross-entropy.js';
import { meanSquaredError, mse } from './mse.js';

test('binary cross-entropy from logits matches PyTorch (golden.json)', () => {
  const g = golden.losses.cases.sigmoid_binary_cross_entropy_mean;
  const r = binaryCrossEntropyWithLogits(Tensor.from(g.logits.shape, g.logits.data), g.labels);
  assertClose([r.loss], [g.loss], 1e-6, 0, 'loss');
  assertClose(r.grad.data, g.grad_logits.data, 1e-4, 1e-7, 'grad');
});

test('binary cross-entropy stays finite for huge logits and uses one-hot class targets', () => {
  const loss = binaryCrossEntropy.create();
  // label 1 of 2 classes: targets [0, 1]; confident and right costs ~0, confident and wrong ~1000/2
  const right = loss.compute(Tensor.from([1, 2], [-1000, 1000]), Int32Array.from([1]));
  const wrong = loss.compute(Tensor.from([1, 2], [1000, -1000]), Int32Array.from([1]));
  assert.ok(right.loss < 1e-9);
  assertClose([wrong.loss], [1000], 1e-9, 0, 'wrong');
  assert.deepEqual([...wrong.grad.data], [0.5, -0.5]);
  assertClose(loss.outputs(Tensor.from([1, 2], [0, Math.log(3)])).data, [0.5, 0.75], 1e-6, 0, 'sigmoid outputs');
});

test('mse matches PyTorch (golden.json) and compares outputs with one-hot targets', () => {
  const g = golden.losses.cases.mse_mean;
  const r = meanSquaredError(Tensor.from(g.pred.shape, g.pred.data), g.target.data);
  assertClose([r.loss], [g.loss], 1e-6, 0, 'loss');
  assertClose(r.grad.data, g.grad_pred.data, 1e-4, 1e-7, 'grad');
  const c = mse.create().compute(Tensor.from([2, 3], [1, 0, 0, 0, 0, 0]), Int32Array.from([0, 2]));
  assertClose([c.loss], [1 / 6], 1e-12, 0, 'one-hot');
  assertClose(c.grad.data, [0, 0, 0, 0, 0, -1 / 3], 1e-7, 0, 'grad');
});

test('the losses\' gradients match finite differences', () => {
  const logits = Tensor.from([3, 4], Array.from({ length: 12 }, (_, i) => Math.sin(3 * i) * 2));
  const labels = Int32Array.from([0, 3, 1]);
  for (const loss of [binaryCrossEntropy.create(), mse.create()]) {
    const { grad } = loss.compute(logits, labels);
    for (let i = 0; i < logits.size; i++) {
      const at = (delta: number) => {
        const x = logits.clone();
        x.data[i] += delta;
        return loss.compute(x, labels).loss;
      };
      const h = 1e-2;
      assertClose([grad.data[i]], [(at(h) - at(-h)) / (2 * h)], 2e-2, 1e-4, `${loss.output} element ${i}`);
    }
  }
});
