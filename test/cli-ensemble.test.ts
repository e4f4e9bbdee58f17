// Ensembles and the rest of the sweep lifecycle: a sweep over seeds as an ensemble, dlx ensemble,
// predict with several checkpoints, dlx train --folds, dlx reproduce SWEEP, runs and compare.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

const spec = (name: string, extra = '') => `name: ${name}
seed: 1
data:
  dataset: wine
  split: {val: 0.3, test: 0.2, stratify: true}
  normalize: [zscore]
model:
  layers: [{type: dense, units: 8, init: he-normal}, relu, {type: dense, units: 3}]
optimizer: {type: sgd, lr: 0.05}
train: {epochs: 4, batchSize: 16${extra}}
`;

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const sweepIn = (runs: string, name: string) => join(runs, name, readdirSync(join(runs, name)).find((f) => f.startsWith('sweep-'))!);

test('a sweep over seeds trains k members; its ensemble, dlx ensemble and predict agree, and the ensemble is scored by its averaged probabilities', () => {
  const dir = tempDir();
  const file = join(dir, 'seeds.yaml');
  writeFileSync(file, spec('seeds', ', test: true') + `sweep:
  method: grid
  metric: val_loss
  ensemble: {top: 3}
  params:
    seed: {grid: [1, 2, 3]}
`);
  const r = dlx(['sweep', file, '--runs-dir', join(dir, 'runs'), '--workers', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /ensemble of the best 3 \(val\): loss \d\.\d+ accuracy \d+\.\d+%/);
  assert.match(r.stdout, /best trial on the test split: loss/);
  const sweep = sweepIn(join(dir, 'runs'), 'seeds');
  const best = json(join(sweep, 'best.json'));
  assert.deepEqual([0, 1, 2].map((t) => json(join(sweep, 'trials', String(t), 'resolved.json')).seed), [1, 2, 3], 'the searched seed is the run seed');
  assert.equal(best.ensemble.top, 3);
  assert.ok(best.test.count > 0, 'the best trial is evaluated on the test split once');
  // in a trial process left idle by the sweep: the same numbers as dlx eval's
  const evaluated = dlx(['eval', join(sweep, best.runDir), '--split', 'test', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  const t = JSON.parse(evaluated.stdout);
  assert.deepEqual(best.test, { loss: t.loss, accuracy: t.accuracy, count: t.count });
  for (const t of [0, 1, 2]) assert.equal(json(join(sweep, 'trials', String(t), 'metrics.json')).test, undefined, 'trials never see the test split');

  const e = dlx(['ensemble', sweep, '--json']);
  assert.equal(e.code, 0, e.stderr);
  const ens = JSON.parse(e.stdout);
  assert.equal(ens.members.length, 3);
  assert.deepEqual(ens.ensemble, best.ensemble.val.ensemble);
  // each member's accuracy is its own run's validation accuracy at the last epoch
  for (const m of ens.members) {
    const finalAcc = json(join(m.runDir, 'metrics.json')).final.val_acc;
    assert.ok(Math.abs(m.accuracy - finalAcc) < 1e-9, `${m.accuracy} vs ${finalAcc}`);
  }
  const mean = ens.members.reduce((a: number, m: { loss: number }) => a + m.loss, 0) / 3;
  assert.ok(Math.abs(ens.mean.loss - mean) < 1e-12);
  // the averaged probabilities' loss is at most the members' mean loss (Jensen: −log is convex)
  assert.ok(ens.ensemble.loss <= ens.mean.loss + 1e-12);

  // dlx predict with the three checkpoints averages their probabilities
  const input = join(dir, 'new.csv');
  writeFileSync(input, readFileSync(join(root, 'datasets/wine_data.csv'), 'utf8').trim().split('\n').slice(1, 6).map((l) => l.split(',').slice(0, 13).join(',')).join('\n') + '\n');
  const members = [0, 1, 2].map((t) => join(sweep, 'trials', String(t)));
  const many = dlx(['predict', ...members, input]);
  assert.equal(many.code, 0, many.stderr);
  const probs = (text: string) => text.trim().split('\n').slice(1).map((l) => l.split(',').slice(1).map(Number));
  const each = members.map((m) => probs(dlx(['predict', m, input]).stdout));
  const avg = probs(many.stdout);
  for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) assert.ok(Math.abs(avg[r][c] - (each[0][r][c] + each[1][r][c] + each[2][r][c]) / 3) < 1e-6);

  // dlx runs lists the sweep; dlx compare expands it to its trials
  const runs = dlx(['runs', join(dir, 'runs')]);
  assert.equal(runs.code, 0, runs.stderr);
  assert.match(runs.stdout, /seeds\s+sweep-\S+\s+.*grid\s+finished\s+3\/3\s+3 finished/);
  const c = JSON.parse(dlx(['compare', sweep, '--json']).stdout);
  assert.equal(c.runs.length, 3);
  assert.deepEqual(c.differences.map((d: { key: string }) => d.key), ['seed']);

  // a finished sweep reproduces bit for bit
  const rep = dlx(['reproduce', sweep]);
  assert.equal(rep.code, 0, rep.stderr);
  assert.match(rep.stdout, /reproduced .*bit-identical/);
});

test('ensemble members that do not share their data are refused, naming what differs', () => {
  const dir = tempDir();
  const a = join(dir, 'a.yaml');
  writeFileSync(a, spec('a'));
  const b = join(dir, 'b.yaml');
  writeFileSync(b, spec('b').replace('normalize: [zscore]', 'normalize: [minmax]'));
  for (const f of [a, b]) assert.equal(dlx(['train', f, '--runs-dir', join(dir, 'runs'), '--quiet']).code, 0);
  const runOf = (n: string) => join(dir, 'runs', n, readdirSync(join(dir, 'runs', n))[0]);
  const r = dlx(['ensemble', runOf('a'), runOf('b')]);
  assert.equal(r.code, 3, r.stderr);
  assert.match(r.stderr, /ensemble members must share dataset, split and preprocessing: .* differs from .* in data\.normalize\.0\.type/);
});

test('dlx train --folds 3: three run folders, each validating on a third, and the mean and spread', () => {
  const dir = tempDir();
  const file = join(dir, 'cv.yaml');
  writeFileSync(file, spec('cv').replace('split: {val: 0.3, test: 0.2, stratify: true}', 'split: {test: 28}'));
  const r = dlx(['train', file, '--folds', '3', '--runs-dir', join(dir, 'runs'), '--json']);
  assert.equal(r.code, 0, r.stderr);
  const done = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
  assert.equal(done.folds.length, 3);
  const accs = done.folds.map((f: string) => json(join(f, 'metrics.json')).best.val_acc);
  assert.deepEqual(done.val_acc.values, accs);
  const mean = accs.reduce((s: number, v: number) => s + v, 0) / 3;
  assert.ok(Math.abs(done.val_acc.mean - mean) < 1e-12);
  // 178 wine rows − 28 test = 150: folds of 50; the test rows are the same in each fold
  const counts = done.folds.map((f: string) => JSON.parse(dlx(['eval', f, '--json']).stdout).count);
  assert.deepEqual(counts, [50, 50, 50]);
  const tests = done.folds.map((f: string) => JSON.parse(dlx(['eval', f, '--split', 'test', '--json']).stdout).count);
  assert.deepEqual(tests, [28, 28, 28]);
  assert.ok(readFileSync(join(done.dir, 'cv.json'), 'utf8').includes('"val_acc"'));
  const bad = dlx(['train', file, '--folds', '1', '--runs-dir', join(dir, 'runs')]);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--folds 1: expected a whole number from 2 to 100/);
});
