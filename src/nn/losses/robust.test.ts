// MAE and Huber against values worked by hand (PyTorch's L1Loss and HuberLoss, mean reduction),
// and the regression loss reading its targets by row id.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose } from '../../../test/helpers.js';
import { Tensor } from '../../engine/tensor.js';
import { regressionLoss } from './regression.js';
import { absolute, huberOf, pointwise } from './robust.js';

const pred = Tensor.from([4, 1], [0.5, -2, 3, 1]);
const targets = [0, 0, 0, 1];

test('mae: mean |ŷ − y|, gradient sign/n (0 where ŷ = y)', () => {
  const v = pointwise(pred, targets, absolute.f, absolute.df);
  assert.equal(v.loss, (0.5 + 2 + 3 + 0) / 4);
  assertClose(v.grad.data, [0.25, -0.25, 0.25, 0], 0, 0);
});

test('huber with delta 1: ½d² inside, |d| − ½ outside; gradient d or ±1, over n', () => {
  const h = huberOf(1);
  const v = pointwise(pred, targets, h.f, h.df);
  assert.equal(v.loss, (0.125 + 1.5 + 2.5 + 0) / 4);
  assertClose(v.grad.data, [0.125, -0.25, 0.25, 0], 0, 0);
  const wide = huberOf(2.5);
  assert.equal(pointwise(pred, targets, wide.f, wide.df).loss, (0.125 + 2 + 2.5 * (3 - 1.25) + 0) / 4);
});

test('a regression loss takes its targets by row id, not by position', () => {
  const standardized = Float32Array.from([9, 0.5, 7, -2]);
  const loss = regressionLoss({ type: 'mse' }, standardized)!;
  const v = loss.compute(Tensor.from([2, 1], [0.5, 0]), Int32Array.from([1, 3]));
  assert.equal(v.loss, (0 + 4) / 2);
  assert.equal(regressionLoss({ type: 'cross-entropy' }, standardized), undefined);
});
