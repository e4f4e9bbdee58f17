// The losses a spec may name, and the output function each is fused with: a model applies that
// output to its last layer (`model.output` must be one of the loss's `outputs`), so pairing a loss
// with the wrong output would train and predict with the wrong probabilities.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import { Tensor } from '../../engine/tensor.js';
import { findLoss, lossRegistry, lossSchema } from './index.js';

const pairs: [string, string][] = [
  ['cross-entropy', 'softmax'],
  ['binary-cross-entropy', 'sigmoid'],
  ['mse', 'linear'],
  ['mae', 'linear'],
  ['huber', 'linear'],
];

test('each loss by name, and the one output it follows', () => {
  assert.deepEqual(lossRegistry.types, pairs.map(([name]) => name));
  assert.throws(() => findLoss('hinge'), { message: "no loss 'hinge'" });
  for (const [name, output] of pairs) {
    assert.equal(lossSchema.parse(name).type, name);
    const component = findLoss(name);
    assert.equal(component.type, name);
    assert.deepEqual(component.outputs, [output], name);
    assert.equal(component.create(lossSchema.parse(name)).output, output, name);
  }
});

test('the outputs from logits: softmax rows, element-wise sigmoid, the logits themselves (a copy)', () => {
  const logits = Tensor.from([2, 2], [0, Math.log(3), 2, -2]);
  const out = (name: string) => findLoss(name).create(lossSchema.parse(name)).outputs(logits);
  assertClose(out('cross-entropy').data, [0.25, 0.75, 1 / (1 + Math.exp(-4)), 1 / (1 + Math.exp(4))], 1e-6, 1e-7, 'softmax');
  assertClose(out('binary-cross-entropy').data, [0.5, 0.75, 1 / (1 + Math.exp(-2)), 1 / (1 + Math.exp(2))], 1e-6, 1e-7, 'sigmoid');
  for (const name of ['mse', 'mae', 'huber']) {
    const y = out(name);
    assert.deepEqual([...y.data], [...logits.data], name);
    assert.notEqual(y.data, logits.data, `${name}: a copy`);
  }
});

test('mae and Huber for classes compare every output with the one-hot target, hand-computed', () => {
  // logits (0.5, 0.2 | 0, −1), labels 0 and 1: targets (1, 0 | 0, 1), errors −0.5, 0.2, 0, −2
  const logits = Tensor.from([2, 2], [0.5, 0.2, 0, -1]);
  const labels = Int32Array.from([0, 1]);
  const compute = (name: string) => findLoss(name).create(lossSchema.parse(name)).compute(logits, labels);
  const mae = compute('mae');
  assert.ok(Math.abs(mae.loss - (0.5 + 0.2 + 0 + 2) / 4) < 1e-7, `${mae.loss}`);
  assertClose(mae.grad.data, [-0.25, 0.25, 0, -0.25], 1e-7, 0, 'mae gradient');
  const huber = compute('huber');
  assert.ok(Math.abs(huber.loss - (0.125 + 0.02 + 0 + 1.5) / 4) < 1e-7, `${huber.loss}`);
  assertClose(huber.grad.data, [-0.125, 0.05, 0, -0.25], 1e-6, 1e-9, 'huber gradient');
});
