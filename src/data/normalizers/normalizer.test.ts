// The shared pieces of every normalizer: the per-feature affine map (copying or in place), the
// check of a saved state read back from preprocessing.json, and the names a spec may use.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { normalizerRegistry, normalizerSchema } from './index.js';
import { affine, numberArray } from './normalizer.js';

test('affine maps (x − shift)/scale per feature; a copy by default, the same buffer in place', () => {
  const f = affine([1, 10], [2, 5]);
  const data = Float32Array.from([3, 20, 5, 0, -1, 10]);
  const copy = f({ data, rows: 3, cols: 2 });
  assert.deepEqual([...copy.data], [1, 2, 2, -2, -1, 0]);
  assert.deepEqual([...data], [3, 20, 5, 0, -1, 10], 'the input is untouched');
  const same = f({ data, rows: 3, cols: 2 }, true);
  assert.equal(same.data, data);
  assert.deepEqual([...data], [1, 2, 2, -2, -1, 0]);
});

test('a saved state must hold the right count of numbers, else a message naming the key', () => {
  const state = { mean: [1, 2, 3], short: [1, 2], text: [1, 'a', 3], scalar: 3, holes: ['a', 'b', 'c'] };
  assert.deepEqual(numberArray(state, 'mean', 3), [1, 2, 3]);
  for (const key of ['short', 'text', 'scalar', 'holes', 'missing']) {
    assert.throws(() => numberArray(state, key, 3), { message: `preprocessing state '${key}' should be 3 numbers` }, key);
  }
});

test('the normalizers a spec may name, by name or as {type: name}', () => {
  const names = ['zscore', 'minmax', 'zca', 'pca', 'lda', 'gcn'];
  assert.deepEqual(normalizerRegistry.types, names);
  for (const name of names) {
    const extra = name === 'pca' || name === 'lda' ? { components: 1 } : {};
    assert.equal(normalizerSchema.parse({ type: name, ...extra }).type, name);
    assert.equal(normalizerRegistry.find(name).type, name);
  }
  assert.equal(normalizerSchema.parse('zscore').type, 'zscore');
  assert.throws(() => normalizerRegistry.find('whiten'), { message: "no normalizer 'whiten'" });
});
