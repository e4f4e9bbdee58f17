import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decidesAt, isRung, prunerSchema, shouldPrune } from './pruners.js';

const median = prunerSchema.parse({ type: 'median', startupTrials: 2, warmupEpochs: 1 });
const asha = { type: 'asha', minEpochs: 1, reductionFactor: 3 } as const;

test('median rule: prunes a trial whose best so far is worse than the median of earlier trials at that epoch', () => {
  const earlier = [[1.0, 0.8, 0.6], [1.2, 0.9, 0.7], [0.9, 0.5, 0.4]];
  // at epoch 2 the others have 0.8, 0.9, 0.5: median 0.8
  assert.equal(shouldPrune(median, 2, [1.1, 0.85], earlier), true);
  assert.equal(shouldPrune(median, 2, [1.1, 0.75], earlier), false);
  // its best so far counts, not its last value: 0.7 at epoch 1 beats the median 0.8
  assert.equal(shouldPrune(median, 2, [0.7, 0.95], earlier), false);
});

test('median rule: never during warm-up epochs or before enough earlier trials', () => {
  assert.equal(shouldPrune(median, 1, [9], [[1], [1], [1]]), false, 'warm-up');
  assert.equal(shouldPrune(median, 2, [9, 9], [[1, 1]]), false, 'one earlier trial, two needed');
  // only the earlier trials that reached the epoch count for the median
  assert.equal(shouldPrune(median, 3, [9, 9, 0.5], [[1, 1], [1, 1, 0.4], [1, 1, 0.6]]), false, '0.5 is the median of 0.4, 0.5? no: of 0.4 and 0.6 = 0.5, not worse');
  assert.equal(shouldPrune(median, 3, [9, 9, 0.51], [[1, 1], [1, 1, 0.4], [1, 1, 0.6]]), true);
});

test('ASHA: rungs at minEpochs·η^k; the best ⌊n/η⌋ of a rung go on, the first to reach a rung always does', () => {
  assert.deepEqual([1, 2, 3, 4, 9, 10, 27].map((e) => isRung(asha, e)), [true, false, true, false, true, false, true]);
  assert.equal(decidesAt(asha, 2), false);
  assert.equal(shouldPrune(asha, 1, [5], []), false, 'alone at the rung');
  // rung of 3 values (two earlier + itself): ⌊3/3⌋ = 1 goes on, the best
  assert.equal(shouldPrune(asha, 1, [0.2], [[0.5], [0.4]]), false);
  assert.equal(shouldPrune(asha, 1, [0.45], [[0.5], [0.4]]), true);
  // 6 values: the best 2 go on
  const six = [[0.1], [0.2], [0.3], [0.4], [0.5]];
  assert.equal(shouldPrune(asha, 1, [0.15], six), false);
  assert.equal(shouldPrune(asha, 1, [0.25], six), true);
  // not a rung epoch: no decision
  assert.equal(shouldPrune(asha, 2, [9, 9], [[0, 0], [0, 0]]), false);
});

test('no pruner never prunes', () => {
  assert.equal(shouldPrune({ type: 'none' }, 3, [9, 9, 9], [[0, 0, 0], [0, 0, 0]]), false);
});
