// --set: every path checked before it touches the spec, errors named after the override.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SpecError } from '../common/errors.js';
import { parseSpec } from './load.js';
import { parseOverride } from './overrides.js';

const spec = 'data: {dataset: iris}\nmodel: {layers: [{type: dense, units: 3}]}\noptimizer: {type: sgd, lr: 0.1, momentum: 0.9}\n';

function problems(...sets: string[]): string[] {
  try {
    parseSpec('s.yaml', spec, sets.map(parseOverride));
  } catch (e) {
    if (e instanceof SpecError) return e.problems;
    throw e;
  }
  return [];
}

test('list indexes must exist; -1 and words are not indexes', () => {
  assert.deepEqual(problems('model.layers.5.units=3'), ['--set model.layers.5.units=3: model.layers has 1 item (indexes 0 to 0), no item 5; set the whole list to add one']);
  assert.deepEqual(problems('model.layers.-1.units=3'), ["--set model.layers.-1.units=3: model.layers is a list: expected an index (0 to 0), found '-1'"]);
  assert.deepEqual(problems('model.layers.x=3'), ["--set model.layers.x=3: model.layers is a list: expected an index (0 to 0), found 'x'"]);
  assert.deepEqual(problems('data.normalize.0=zscore'), ["--set data.normalize.0=zscore: data.normalize is not in the spec: set the whole list, e.g. --set 'data.normalize=[…]'"]);
  assert.deepEqual(problems('model.layers.0.units=7'), []);
});

test('__proto__, constructor and prototype are refused, and nothing is polluted', () => {
  for (const key of ['__proto__', 'constructor', 'prototype']) {
    assert.deepEqual(problems(`${key}.polluted=1`), [`--set ${key}.polluted=1: '${key}' is not a spec key`]);
    assert.deepEqual(problems(`optimizer.${key}.polluted=1`), [`--set optimizer.${key}.polluted=1: '${key}' is not a spec key`]);
  }
  assert.equal(({} as Record<string, unknown>).polluted, undefined);
});

test('a value that is not a mapping cannot be descended into', () => {
  assert.deepEqual(problems('optimizer.lr.x=2'), ['--set optimizer.lr.x=2: optimizer.lr is 0.1, not a mapping or a list']);
});

test('errors caused by --set name it, also for a key of the file it made wrong', () => {
  assert.deepEqual(problems('optimizer.lr=-1'), ['--set optimizer.lr=-1: optimizer.lr: expected a number > 0, found -1']);
  assert.deepEqual(problems('optimizer.type=adam'), ["s.yaml:3:33: optimizer.momentum: unknown key 'momentum' (with --set optimizer.type=adam)"]);
});
