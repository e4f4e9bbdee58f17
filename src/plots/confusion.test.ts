import assert from 'node:assert/strict';
import { test } from 'node:test';
import { markItems, texts } from '../../test/svg.js';
import { confusionSpec } from './confusion.js';
import { toSvg } from './render.js';

test('confusion.svg: a panel per split with a cell and a count per class pair, accuracy in the title', async () => {
  const classes = ['a', 'b', 'c'];
  const svg = await toSvg(confusionSpec([
    { split: 'val', classes, counts: [[5, 0, 0], [1, 3, 1], [0, 0, 4]] },
    { split: 'test', classes, counts: [[2, 0, 0], [0, 2, 0], [0, 0, 2]] },
  ]));
  assert.deepEqual(texts(svg, 'title-text'), ['val (accuracy 85.71 %)', 'test (accuracy 100.00 %)', 'Confusion matrix']);
  assert.deepEqual(markItems(svg, 'rect'), [9, 9]);
  assert.deepEqual(markItems(svg, 'text'), [9, 9]);
  assert.deepEqual(texts(svg, 'axis-title'), ['predicted class', 'true class', 'predicted class', 'true class']);
});
