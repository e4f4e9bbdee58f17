import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoadedData } from './dataset.js';
import { checkLabels, describeLabels } from './labels.js';

const origin = { file: 'd.csv', where: (row: number) => `d.csv:${row + 2}` };
const data = (y: number[], classes: string[], o = origin): LoadedData => ({ sampleShape: [1], classes, train: { x: new Float32Array(y.length), y: Int32Array.from(y) }, source: 'd.csv', labelOrigin: o });

test('the labels found: counts, and the rare ones with where they first occur', () => {
  const y = [...Array(300).fill(0), ...Array(280).fill(1)];
  y.splice(77, 0, 2);
  const d = describeLabels(Int32Array.from(y), ['0', '1', '1.5'], origin);
  assert.equal(d.text, "the labels found are '0' (300), '1' (280), and rare: '1.5' (1 sample, first at d.csv:79)");
  assert.deepEqual(d.rare, ['1.5']);
  // balanced small classes are not rare
  assert.deepEqual(describeLabels(Int32Array.from([0, 1, 1, 2, 2, 2]), ['a', 'b', 'c']).rare, []);
  // many classes are summarized
  const many = Int32Array.from({ length: 2000 }, (_, i) => i % 20);
  assert.equal(describeLabels(many, Array.from({ length: 20 }, (_, i) => `c${i}`)).text, 'the labels found are 20 values with 100 to 100 samples each');
});

test('one class is a data error that says what is wrong, not how many units to use', () => {
  assert.throws(() => checkLabels(data(Array(150).fill(0), ['yes'])), {
    message: "d.csv: every sample has the label 'yes' (150 samples); a classifier needs at least two classes: is the target the right column, or the right file?",
  });
});

test('class indices with a gap: one corrupt index among 0–9 is named with its record', () => {
  const idx = { file: 'labels.idx', where: (row: number) => `labels.idx, record ${row + 1}`, indices: true };
  const y = Array.from({ length: 1000 }, (_, i) => i % 10);
  y[123] = 200;
  const classes = Array.from({ length: 201 }, (_, i) => String(i));
  assert.throws(() => checkLabels(data(y, classes, idx)), {
    message: "labels.idx: the labels found are '0' (100), '1' (100), '2' (100), '3' (99), '4' (100), '5' (100), '6' (100), '7' (100), '8' (100), '9' (100), and rare: '200' (1 sample, first at labels.idx, record 124); classes 10–199 have no sample: '200' looks like a corrupt label: fix the labels file, or, if every index is a class, list the class names in data.dataset.classes",
  });
  // a gap without a rare label: said, with the way to declare it
  assert.throws(() => checkLabels(data([0, 1, 3, 0, 1, 3], ['0', '1', '2', '3'], idx)), /class 2 has no sample: if that is intended, list the class names in data\.dataset\.classes$/);
  // names given (not indices): no gap check
  checkLabels(data([0, 1, 3, 0, 1, 3], ['a', 'b', 'c', 'd']));
});
