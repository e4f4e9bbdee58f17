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

test('confusion.svg keeps the classes in their order, grows with them, and drops the counts past 20 classes', async () => {
  const classes = Array.from({ length: 15 }, (_, i) => `c${14 - i}`);
  const counts = classes.map((_, t) => classes.map((_, p) => (t === p ? 5 : (t + p) % 3)));
  const svg = await toSvg(confusionSpec([{ split: 'val', classes, counts }]));
  assert.deepEqual(texts(svg, 'axis-label').slice(0, 15), classes, 'the preprocessing order, not sorted by name');
  assert.match(svg, /d="M0\.5,0\.5h420v420h-420Z"/, '15 classes × 28 px, at most 420');
  assert.deepEqual(markItems(svg, 'text'), [225]);
  const many = Array.from({ length: 21 }, (_, i) => `k${i}`);
  const big = await toSvg(confusionSpec([{ split: 'test', classes: many, counts: many.map((_, t) => many.map((_, p) => Number(t === p))) }]));
  assert.deepEqual(markItems(big, 'rect'), [441]);
  assert.deepEqual(markItems(big, 'text'), [0], 'colour alone beyond 20 classes');
});
