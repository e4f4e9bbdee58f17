import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../random/rng.js';
import { kFold, partitionInPlace, partRows, split, splitIndices, splitSchema } from './split.js';

const labels = Int32Array.from({ length: 150 }, (_, i) => Math.floor(i / 50));

test('a stratified split keeps every class share and is disjoint and complete', () => {
  const [train, val, test] = splitIndices(labels, [30, 15], true, Rng.stream(1, 'split'));
  assert.equal(val.length, 30);
  assert.equal(test.length, 15);
  assert.equal(train.length, 105);
  for (const c of [0, 1, 2]) assert.equal([...val].filter((i) => labels[i] === c).length, 10);
  assert.equal(new Set([...train, ...val, ...test]).size, 150);
});

test('splits are seeded: same seed same rows, other seed other rows', () => {
  const a = splitIndices(labels, [30], false, Rng.stream(1, 'split'));
  const b = splitIndices(labels, [30], false, Rng.stream(1, 'split'));
  const c = splitIndices(labels, [30], false, Rng.stream(2, 'split'));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a[1], c[1]);
});

test('fractions and counts; an official test set is kept', () => {
  const fresh = () => ({ x: Float32Array.from({ length: 150 }, (_, i) => i), y: labels });
  const bySize = split(fresh(), undefined, splitSchema.parse({ val: 0.2, test: 12 }), Rng.stream(0, 'split'));
  assert.deepEqual([bySize.train.y.length, bySize.val.y.length, bySize.test?.y.length], [108, 30, 12]);
  const official = { x: Float32Array.from([7]), y: Int32Array.from([1]) };
  const withTest = split(fresh(), official, splitSchema.parse({ val: 10, test: 0.5 }), Rng.stream(0, 'split'));
  assert.equal(withTest.test, official);
  assert.equal(withTest.train.y.length, 140);
  // rows travel with their labels
  for (let i = 0; i < bySize.val.y.length; i++) assert.equal(bySize.val.y[i], Math.floor(bySize.val.x[i] / 50));
});

test('without shuffling, validation is the last rows and test the rows before them', () => {
  const rows = (x: Float32Array) => [...x];
  const s = split({ x: Float32Array.from({ length: 10 }, (_, i) => i), y: new Int32Array(10) }, undefined, splitSchema.parse({ val: 3, test: 2, shuffle: false }), Rng.stream(0, 'split'));
  assert.deepEqual([rows(s.train.x), rows(s.val.x), rows(s.test!.x)], [[0, 1, 2, 3, 4], [7, 8, 9], [5, 6]]);
});

test('a split that leaves no training rows is a data error', () => {
  assert.throws(
    () => split({ x: new Float32Array(10), y: new Int32Array(10) }, undefined, splitSchema.parse({ val: 6, test: 4 }), Rng.stream(0, 'split')),
    { message: 'data.split: validation (6) and test (4) leave no training rows out of 10' },
  );
});

test('partitioning in place makes each part a contiguous view with its rows and labels', () => {
  const x = Float32Array.from({ length: 20 }, (_, i) => i); // 10 rows of width 2: row r is [2r, 2r+1]
  const y = Int32Array.from({ length: 10 }, (_, i) => i);
  const [a, b] = partitionInPlace({ x, y }, [Int32Array.from([7, 2, 9]), Int32Array.from([0, 1, 3, 4, 5, 6, 8])]);
  assert.deepEqual([...a.y], [7, 2, 9]);
  assert.deepEqual([...a.x], [14, 15, 4, 5, 18, 19]);
  assert.deepEqual([...b.y], [0, 1, 3, 4, 5, 6, 8]);
  for (let i = 0; i < b.y.length; i++) assert.deepEqual([...b.x.subarray(2 * i, 2 * i + 2)], [2 * b.y[i], 2 * b.y[i] + 1]);
  assert.equal(a.x.buffer, x.buffer, 'no copy');
});

test('k-fold: every row validates exactly once; stratified folds keep the class shares', () => {
  const y = Int32Array.from({ length: 103 }, (_, i) => (i < 60 ? 0 : i < 90 ? 1 : 2));
  const folds = kFold(y, 5, true, Rng.stream(1, 'kfold'));
  const seen = new Int32Array(103);
  for (const f of folds) {
    for (const r of f.val) seen[r]++;
    assert.equal(f.train.length + f.val.length, 103);
    assert.equal(new Set([...f.train, ...f.val]).size, 103);
    const perClass = [0, 1, 2].map((c) => [...f.val].filter((r) => y[r] === c).length);
    assert.deepEqual(perClass, [12, 6, perClass[2]]);
    assert.ok(perClass[2] === 2 || perClass[2] === 3);
  }
  assert.ok(seen.every((n) => n === 1));
  assert.deepEqual(kFold(y, 5, true, Rng.stream(1, 'kfold')), folds, 'seeded');
  assert.throws(() => kFold(y, 1, false, Rng.stream(1, 'k')), { message: 'k-fold: k must be a whole number from 2 to 103, found 1' });
});

test('data.split.fold: the test rows first, then k folds of the rest; each fold validates on rows its training part never sees', () => {
  const config = splitSchema.parse({ test: 30, fold: { k: 3, index: 1 } });
  const parts = [1, 2, 3].map((index) => partRows(labels, false, { ...config, fold: { k: 3, index } }, Rng.stream(9, 'split')));
  const test = parts[0].test!;
  assert.equal(test.length, 30);
  for (const p of parts) {
    assert.deepEqual(p.test, test, 'every fold keeps the same test rows');
    assert.equal(p.val.length, 40);
    assert.equal(p.train.length, 80);
    const train = new Set(p.train);
    assert.ok([...p.val].every((r) => !train.has(r)), 'the held-out fold is not in the training part');
    assert.ok([...p.val, ...p.train].every((r) => !test.includes(r)), 'no test row in a fold');
    for (const c of [0, 1, 2]) assert.ok(Math.abs([...p.val].filter((i) => labels[i] === c).length - 40 / 3) <= 1, 'stratified');
  }
  // the three validation folds cover the pool exactly once
  assert.equal(new Set(parts.flatMap((p) => [...p.val])).size, 120);
  assert.throws(() => splitSchema.parse({ fold: { k: 3, index: 4 } }), /index from 1 to k/);
});
