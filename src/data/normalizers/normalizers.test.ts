import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertClose, golden } from '../../../test/helpers.js';
import { applyChain, fitChain, restoreChain } from './index.js';

const P = golden.preprocessing;
const iris = { data: Float32Array.from(P.iris_X.data as number[]), rows: 150, cols: 4 };

test('zscore statistics match scikit-learn on iris', () => {
  const { saved } = fitChain([{ type: 'zscore' }], iris, new Int32Array(150));
  assertClose(saved[0].state.mean as number[], P.zscore.mean, 1e-6, 1e-7, 'mean');
  assertClose(saved[0].state.std as number[], P.zscore.std_population, 1e-6, 1e-7, 'std');
});

test('minmax statistics match on iris, and map train to [0, 1]', () => {
  const { steps, saved } = fitChain([{ type: 'minmax' }], iris, new Int32Array(150));
  assertClose(saved[0].state.min as number[], P.minmax.min, 1e-6, 1e-7, 'min');
  assertClose(saved[0].state.max as number[], P.minmax.max, 1e-6, 1e-7, 'max');
  const out = applyChain(steps, iris).data;
  assert.ok(out.every((v) => v >= 0 && v <= 1));
});

test('a restored chain transforms exactly like the fitted one', () => {
  const { steps, saved } = fitChain([{ type: 'zscore' }, { type: 'minmax' }], iris, new Int32Array(150));
  const again = restoreChain(JSON.parse(JSON.stringify(saved)));
  assert.deepEqual(applyChain(again, iris).data, applyChain(steps, iris).data);
});

test('a constant feature keeps scale 1 instead of dividing by zero', () => {
  const m = { data: Float32Array.from([3, 1, 3, 2, 3, 3]), rows: 3, cols: 2 };
  const { steps } = fitChain([{ type: 'zscore' }], m, new Int32Array(3));
  const out = applyChain(steps, m).data;
  assert.deepEqual([out[0], out[2], out[4]], [0, 0, 0]);
});
