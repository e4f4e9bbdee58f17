import assert from 'node:assert/strict';
import { test } from 'node:test';
import { golden } from '../../test/helpers.js';
import type { LoadedData } from './dataset.js';
import { dataSchema, prepare } from './prepare.js';

const P = golden.preprocessing;

test('normalizers are fitted on the training split only: changing val and test rows changes no fitted value', () => {
  const x = Float32Array.from(P.iris_X.data as number[]);
  const y = Int32Array.from(P.iris_y as number[]);
  const config = dataSchema.parse({
    dataset: 'iris', split: { val: 0.2, test: 0.2 },
    normalize: ['zscore', 'minmax', { type: 'pca', components: 3 }, { type: 'zca' }, { type: 'lda', components: 2 }],
  });
  // prepare() partitions the rows in place, so every call gets its own copy
  const loaded = (data: Float32Array): LoadedData => ({ sampleShape: [4], classes: ['a', 'b', 'c'], train: { x: data.slice(), y }, source: 'test' });
  const first = prepare(loaded(x), config, 5);
  // find the rows that went to validation and test, and change them wildly
  const changed = x.slice();
  const before = prepare(loaded(x), { ...config, normalize: [] }, 5);
  const isTrain = (row: Float32Array) => {
    for (let r = 0; r < before.train.y.length; r++) {
      if (before.train.x.subarray(r * 4, r * 4 + 4).every((v, i) => v === row[i])) return true;
    }
    return false;
  };
  let altered = 0;
  for (let r = 0; r < 150; r++) {
    if (!isTrain(x.subarray(r * 4, r * 4 + 4))) {
      for (let c = 0; c < 4; c++) changed[r * 4 + c] = x[r * 4 + c] * 100 + 7;
      altered++;
    }
  }
  assert.ok(altered >= 55, `${altered} val/test rows altered`);
  const second = prepare(loaded(changed), config, 5);
  assert.deepEqual(second.preprocessing, first.preprocessing);
  assert.deepEqual(second.train.x, first.train.x);
  assert.notDeepEqual(second.val.x, first.val.x);
});
