import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markItems, sum, texts } from '../../test/svg.js';
import { curveMetrics, curvesSpec } from './curves.js';
import { toSvg } from './render.js';

const rows = Array.from({ length: 12 }, (_, i) => ({
  epoch: i + 1, lr: 0.1, train_loss: 1 / (i + 1), penalty: 0, train_acc: 0.5 + i / 30, val_loss: 1.1 / (i + 1) + 0.02 * i, val_acc: 0.45 + i / 40, train_seconds: 0.1, seconds: 0.2,
}));

test('curves.svg: a loss and an accuracy panel, train and val lines, best epoch and early stop marked', async () => {
  const svg = await toSvg(curvesSpec(rows, { best: { epoch: 7, monitor: 'val_loss' }, stoppedEarly: 12 }));
  assert.equal(await toSvg(curvesSpec(rows, { best: { epoch: 7, monitor: 'val_loss' }, stoppedEarly: 12 })), svg, 'the same bytes again');
  assert.deepEqual(texts(svg, 'title-text'), ['loss', 'accuracy', 'Learning curves']);
  // the panel's title names the metric: the y axis has none (a template's axes cannot take it from the data)
  assert.deepEqual(texts(svg, 'axis-title'), ['epoch', 'epoch']);
  assert.deepEqual(markItems(svg, 'line'), [1, 1, 1, 1], 'two lines (train, val) in each of two panels');
  assert.equal(sum(markItems(svg, 'symbol')), 2 * 2 * 12, 'a point per epoch and line');
  assert.deepEqual(markItems(svg, 'rule'), [2, 2], 'best and early-stop rules in each panel');
  assert.deepEqual(texts(svg, 'legend-label'), ['train', 'val', 'best (val_loss)', 'early stop']);
});

test('without early stopping only the best epoch is marked; a run without accuracy gets only the panels it has', async () => {
  const svg = await toSvg(curvesSpec(rows, { best: { epoch: 3, monitor: 'val_acc' } }));
  assert.deepEqual(markItems(svg, 'rule'), [1, 1]);
  assert.deepEqual(texts(svg, 'legend-label'), ['train', 'val', 'best (val_acc)']);
  const stopOnly = await toSvg(curvesSpec(rows, { stoppedEarly: 5 }));
  assert.deepEqual(texts(stopOnly, 'legend-label'), ['train', 'val', 'early stop']);
  assert.match(stopOnly, /stroke="#e45756"/, 'early stop keeps its colour without a best mark');
  assert.doesNotMatch(stopOnly, /stroke="#54a24b"/);
  const regression = rows.map(({ epoch, train_loss, val_loss }) => ({ epoch, train_loss, val_loss, train_acc: NaN, val_acc: NaN, train_mae: val_loss / 2, val_mae: val_loss / 3 }));
  const r = await toSvg(curvesSpec(regression, {}));
  assert.deepEqual(texts(r, 'title-text'), ['loss', 'mae', 'Learning curves']);
  assert.deepEqual(markItems(r, 'symbol'), [12 * 2, 12 * 2]);
  const long = Array.from({ length: 41 }, (_, i) => ({ epoch: i + 1, train_loss: 1, val_loss: 2 }));
  assert.deepEqual(markItems(await toSvg(curvesSpec(long, {})), 'symbol'), [0], 'no points beyond 40 epochs');
  assert.deepEqual(markItems(r, 'rule'), [0, 0], 'the rule layer has no rows');
  assert.deepEqual(texts(r, 'legend-label'), ['train', 'val']);
});

test('curveMetrics pairs val_ columns, loss first, accuracy second, new metrics after in column order', () => {
  assert.deepEqual(curveMetrics(['epoch', 'train_r2', 'val_r2', 'train_acc', 'val_acc', 'train_loss', 'val_loss', 'val_mae', 'train_seconds']), ['loss', 'acc', 'r2', 'mae']);
});
