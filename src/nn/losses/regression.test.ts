// Each regression loss on targets read by row id, against hand-computed values: standardized
// targets (9, 0.5, 7, −2), predictions 0.5 and 0 for rows 1 and 3, so the errors are 0 and 2.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import { Tensor } from '../../engine/tensor.js';
import { regressionLoss, regressionLosses } from './regression.js';

const targets = Float32Array.from([9, 0.5, 7, -2]);
const pred = Tensor.from([2, 1], [0.5, 0]);
const rows = Int32Array.from([1, 3]);

test('the losses a regression target accepts', () => {
  assert.deepEqual(regressionLosses, ['mse', 'mae', 'huber']);
  assert.equal(regressionLoss({ type: 'binary-cross-entropy' }, targets), undefined);
});

test('mse, mae and Huber (delta 1 by default, or as given) on errors 0 and 2, on a linear output', () => {
  const cases: [Record<string, unknown>, number, number[]][] = [
    [{ type: 'mse' }, (0 + 4) / 2, [0, (2 * 2) / 2]],
    [{ type: 'mae' }, (0 + 2) / 2, [0, 1 / 2]],
    [{ type: 'huber' }, (0 + (2 - 0.5)) / 2, [0, 1 / 2]], // beyond delta 1: 1·(|d| − ½)
    [{ type: 'huber', delta: 3 }, (0 + 0.5 * 4) / 2, [0, 2 / 2]], // within delta 3: ½d²
  ];
  for (const [config, loss, grad] of cases) {
    const l = regressionLoss({ type: String(config.type), ...config }, targets)!;
    assert.equal(l.output, 'linear');
    const v = l.compute(pred, rows);
    assert.equal(v.loss, loss, JSON.stringify(config));
    assertClose(v.grad.data, grad, 0, 0, JSON.stringify(config));
    const y = l.outputs(pred);
    assert.deepEqual([...y.data], [0.5, 0]);
    assert.notEqual(y.data, pred.data, 'a copy');
  }
});
