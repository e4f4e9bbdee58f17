import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeSweep } from '../../test/fake-sweep.js';
import { tempDir } from '../../test/helpers.js';
import { markItems, sum, texts } from '../../test/svg.js';
import { readSweep } from './sweep-read.js';
import { writeSweepPlots } from './sweep-plots.js';

test('a sweep folder reads back: params by id, categorical labels, absent conditional params as null, failed trials without a value', async () => {
  const sweep = await readSweep(fakeSweep(tempDir(), { trials: 12 }));
  assert.equal(sweep.trials.length, 12);
  assert.equal(sweep.mode, 'max');
  assert.equal(sweep.trials[5].status, 'failed');
  assert.equal(sweep.trials[5].value, null);
  for (const t of sweep.trials) {
    assert.ok(t.params.optimizer === 'sgd' || t.params.optimizer === 'adam');
    assert.equal(t.params['optimizer[0].momentum'] === null, t.params.optimizer === 'adam');
  }
});

test('writeSweepPlots: objective, parallel coordinates, value plots, importance; folds only with folds', async () => {
  const plain = fakeSweep(tempDir(), { trials: 40 });
  const written = await writeSweepPlots(plain);
  assert.deepEqual(readdirSync(written.dir).sort(), ['importance.svg', 'objective.svg', 'parallel.svg', 'params.svg']);
  const svg = (name: string) => readFileSync(join(written.dir, `${name}.svg`), 'utf8');
  assert.equal(sum(markItems(svg('objective'), 'symbol')), 39, 'a point per trial with a value');
  assert.deepEqual(markItems(svg('objective'), 'line'), [1], 'the best-so-far line');
  assert.equal(markItems(svg('parallel'), 'line').length, 39, 'a line per scored trial');
  assert.deepEqual(texts(svg('params'), 'axis-title').filter((t) => t !== 'val_acc'), ['optimizer.lr', 'train.batchSize', 'optimizer', 'optimizer[0].momentum']);
  const importance = svg('importance');
  assert.deepEqual(markItems(importance, 'rect'), [4]);
  // the objective depends on the learning rate alone: it is the first (longest) bar
  const ids = ['optimizer.lr', 'train.batchSize', 'optimizer', 'optimizer[0].momentum'];
  assert.equal(texts(importance, 'axis-label').filter((t) => ids.includes(t))[0], 'optimizer.lr');

  const folded = fakeSweep(tempDir(), { trials: 10, folds: 3 });
  const again = await writeSweepPlots(folded);
  assert.ok(readdirSync(again.dir).includes('folds.svg'));
  assert.equal(sum(markItems(readFileSync(join(again.dir, 'folds.svg'), 'utf8'), 'symbol')), 9 * 3, 'a dot per fold of each scored trial');
});

test('a summary.csv that does not match sweep.json is a data error naming the file and line', async () => {
  const dir = fakeSweep(tempDir(), { trials: 3 });
  writeFileSync(join(dir, 'summary.csv'), 'trial,status,value\n0,finished,0.5\n');
  await assert.rejects(readSweep(dir), (e: Error) => e.message.startsWith(`${join(dir, 'summary.csv')}:1: expected the header trial,status,optimizer.lr,`));
});
