// The run lifecycle end to end: resume after SIGKILL and after Ctrl-C, reproduce, early stopping,
// divergence, predict, compare, train.test.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

const quickstart = join(root, 'configs/quickstart.yaml');

function onlyRun(runsDir: string, name: string): string {
  const folders = readdirSync(join(runsDir, name)).filter((f) => !f.startsWith('.'));
  assert.equal(folders.length, 1, `one run folder, found ${folders.join(', ')}`);
  return join(runsDir, name, folders[0]);
}

const withoutSeconds = (run: string) => readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(',')); // the two timing columns aside
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

const specDir = tempDir();
/**
 * A spec slow enough to be stopped in the middle, in one place for every test: checkpoints embed
 * the spec file's path, and the tests compare them with one uninterrupted run byte for byte.
 */
function longSpec(): string {
  const path = join(specDir, 'long.yaml');
  writeFileSync(path, `name: long
seed: 3
data: {dataset: breast-cancer-diagnostic, normalize: [zscore]}
model:
  layers: [{type: dense, units: 48, init: he-normal}, relu, {type: dense, units: 2}]
optimizer: {type: adam, lr: 0.001}
schedule: {type: cosine-restarts, period: 500}
regularization: {l2: 1.0e-4}
train: {epochs: 120, batchSize: 8, earlyStopping: {patience: 1000}}
`);
  return path;
}

/** Starts training, and sends `signal` once `epochs` epoch lines have been printed. */
function trainAndStop(spec: string, runsDir: string, signal: NodeJS.Signals, epochs: number): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), 'train', spec, '--runs-dir', runsDir, '--json'], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  let sent = false;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    if (!sent && stdout.split('\n').length > epochs) {
      sent = true;
      child.kill(signal);
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stderr })));
}

let reference: string | undefined;
/** The same spec trained without interruption, once for the tests that compare with it. */
function uninterrupted(spec: string): string {
  if (reference) return reference;
  const runs = tempDir();
  const r = dlx(['train', spec, '--runs-dir', runs, '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  reference = onlyRun(runs, 'long');
  return reference;
}

function assertSameRun(resumed: string, straight: string): void {
  assert.deepEqual(withoutSeconds(resumed), withoutSeconds(straight));
  assert.ok(readFileSync(join(resumed, 'checkpoints/last.safetensors')).equals(readFileSync(join(straight, 'checkpoints/last.safetensors'))), 'last.safetensors is byte-identical');
  assert.ok(readFileSync(join(resumed, 'checkpoints/best.safetensors')).equals(readFileSync(join(straight, 'checkpoints/best.safetensors'))), 'best.safetensors is byte-identical');
}

test('a run killed with SIGKILL mid-training and resumed ends identical to an uninterrupted run', async () => {
  const dir = tempDir();
  const spec = longSpec();
  const runs = join(dir, 'runs');
  const killed = await trainAndStop(spec, runs, 'SIGKILL', 4);
  assert.equal(killed.code, null, 'killed');
  const run = onlyRun(runs, 'long');
  const before = json(join(run, 'metrics.json'));
  assert.equal(before.status, 'running');
  assert.ok(before.epochs >= 4 && before.epochs < 120, `killed after epoch ${before.epochs}`);
  const resumed = dlx(['resume', run, '--quiet']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /^done /);
  assertSameRun(run, uninterrupted(spec));
  const after = json(join(run, 'metrics.json'));
  assert.equal(after.status, 'finished');
  assert.equal(after.resumes.length, 1);
  const again = dlx(['resume', run]);
  assert.equal(again.code, 0);
  assert.equal(again.stdout, `nothing to resume: ${run} already ended after epoch 120 (finished)\n`);
});

test('Ctrl-C writes a checkpoint mid-epoch, says how to resume, exits 130; the resumed run is identical', async () => {
  const dir = tempDir();
  const spec = longSpec();
  const runs = join(dir, 'runs');
  const stopped = await trainAndStop(spec, runs, 'SIGINT', 3);
  assert.equal(stopped.code, 130, stopped.stderr);
  const run = onlyRun(runs, 'long');
  assert.match(stopped.stderr, new RegExp(`^interrupt: stopping after this batch \\(press Ctrl-C again to quit at once\\)\\nerror interrupted during epoch \\d+ \\(after batch \\d+ of 57\\); the run folder keeps a checkpoint\\.\\nresume with: dlx resume ${run}\\n$`));
  const metrics = json(join(run, 'metrics.json'));
  assert.equal(metrics.status, 'interrupted');
  assert.equal(withoutSeconds(run).length - 1, metrics.epochs, 'curve.csv has the completed epochs only');
  const resumed = dlx(['resume', run, '--quiet']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertSameRun(run, uninterrupted(spec));
});

test('reproduce: exit 0 on an unchanged run, exit 1 with a readable diff on a changed one', () => {
  const runs = tempDir();
  assert.equal(dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=4']).code, 0);
  const run = onlyRun(runs, 'quickstart');
  const ok = dlx(['reproduce', run]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.equal(ok.stdout, `reproduced ${run}: 4 epochs and 4 weight tensors bit-identical\n`);

  const curvePath = join(run, 'curve.csv');
  const original = readFileSync(curvePath, 'utf8');
  const rows = original.trim().split('\n');
  const cells = rows[2].split(',');
  cells[2] = String(Number(cells[2]) * (1 + 1e-12));
  writeFileSync(curvePath, [...rows.slice(0, 2), cells.join(','), ...rows.slice(3)].join('\n') + '\n');
  const strict = dlx(['reproduce', run]);
  assert.equal(strict.code, 1);
  assert.equal(strict.stdout, '');
  assert.match(strict.stderr, new RegExp(`^error ${run} does not reproduce:\\n  curve\\.csv: 1 of 4 epochs differ; epoch 2: train_loss [\\d.e-]+ vs [\\d.e-]+\\n$`));
  assert.doesNotMatch(strict.stderr, /at .*\.js/, 'no stack trace');
  const tolerant = dlx(['reproduce', run, '--tolerance', '1e-9']);
  assert.equal(tolerant.code, 0, tolerant.stderr);
  assert.match(tolerant.stdout, /within relative \d\.\d\de-1[23]\n$/);

  writeFileSync(curvePath, original);
  const resolved = json(join(run, 'resolved.json'));
  resolved.optimizer.lr = 0.2;
  writeFileSync(join(run, 'resolved.json'), JSON.stringify(resolved));
  const changed = dlx(['reproduce', run]);
  assert.equal(changed.code, 1);
  assert.match(changed.stderr, /does not reproduce:\n {2}curve\.csv: 4 of 4 epochs differ; epoch 1: lr 0\.1 vs 0\.2, train_loss [\d.]+ vs [\d.]+, /);
  assert.match(changed.stderr, /checkpoints\/last\.safetensors model\.layers\.0\.weight\[\d+\]: /);
});

test('early stopping fires after patience epochs without improvement and restores the best weights', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet',
    '--set', 'train.earlyStopping={monitor: val_loss, minDelta: 10, patience: 2, restoreBest: true}']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  const metrics = json(join(run, 'metrics.json'));
  assert.equal(metrics.status, 'stopped-early');
  assert.deepEqual(metrics.stoppedEarly, { epoch: 3, bestEpoch: 1 });
  assert.equal(metrics.restoredBest, 1);
  assert.equal(withoutSeconds(run).length, 4, 'three epochs in curve.csv');
  assert.equal(metrics.best.epoch, 1);
  assert.equal(metrics.final.val_loss, metrics.best.val_loss);
  assert.match(r.stdout, /final epoch 1 \(stopped early at epoch 3\) \(weights of epoch 1 restored\)/);
  const ev = JSON.parse(dlx(['eval', run, '--json']).stdout);
  assert.equal(ev.loss, metrics.best.val_loss, 'last.safetensors holds the restored weights');
});

test('without firing, early stopping still records the best epoch and best.safetensors', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=6',
    '--set', 'train.earlyStopping={monitor: val_acc, patience: 50}']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  const metrics = json(join(run, 'metrics.json'));
  assert.equal(metrics.status, 'finished');
  assert.equal(metrics.stoppedEarly, undefined);
  assert.equal(metrics.best.monitor, 'val_acc');
  const accs = withoutSeconds(run).slice(1).map((l) => Number(l.split(',')[6]));
  assert.equal(metrics.best.epoch, accs.indexOf(Math.max(...accs)) + 1, 'the first epoch of highest val_acc');
  const best = JSON.parse(dlx(['eval', join(run, 'checkpoints/best.safetensors'), '--json']).stdout);
  assert.equal(best.epoch, metrics.best.epoch);
  assert.equal(best.accuracy, metrics.best.val_acc);
});

test('a diverging run exits 4 naming epoch, batch and learning rate, and keeps a readable last checkpoint', () => {
  const runs = tempDir();
  // epoch 1 trains at 1e30·1e-31 = 0.1; from epoch 2 the rate is 1e30
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'optimizer.lr=1e30',
    '--set', 'schedule={type: constant, per: epoch, warmup: {steps: 1, startFactor: 1e-31}}']);
  assert.equal(r.code, 4, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  assert.match(r.stderr, new RegExp(`^error training diverged: the loss became (NaN|Infinity) in epoch 2, batch \\d of 8, at learning rate 1e\\+30\\nthe run folder keeps the last completed epoch \\(1\\): ${run}\\n$`));
  assert.equal(json(join(run, 'metrics.json')).status, 'diverged');
  const ev = dlx(['eval', run, '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(JSON.parse(ev.stdout).epoch, 1);
  assert.ok(Number.isFinite(JSON.parse(ev.stdout).loss));
});

test('predict: CSV rows or an IDX file in, class probabilities out', () => {
  const runs = tempDir();
  dlx(['train', quickstart, '--runs-dir', runs, '--quiet']);
  const run = onlyRun(runs, 'quickstart');
  const dir = tempDir();
  const flowers = [[5.1, 3.5, 1.4, 0.2], [6.4, 3.2, 4.5, 1.5], [7.7, 3.8, 6.7, 2.2]];
  writeFileSync(join(dir, 'new.csv'), 'sepal_l,sepal_w,petal_l,petal_w\n' + flowers.map((f) => f.join(',')).join('\n') + '\n');
  const r = dlx(['predict', run, join(dir, 'new.csv')]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'predicted,setosa,versicolor,virginica');
  assert.deepEqual(lines.slice(1).map((l) => l.split(',')[0]), ['setosa', 'versicolor', 'virginica']);
  for (const l of lines.slice(1)) assert.ok(Math.abs(l.split(',').slice(1).map(Number).reduce((a, b) => a + b, 0) - 1) < 1e-5);

  // the same rows as a big-endian float32 IDX file give the same output
  const idx = Buffer.alloc(4 + 8 + 12 * 4);
  idx.set([0, 0, 0x0d, 2]);
  idx.writeUInt32BE(3, 4);
  idx.writeUInt32BE(4, 8);
  flowers.flat().forEach((v, i) => idx.writeFloatBE(v, 12 + 4 * i));
  writeFileSync(join(dir, 'new.idx'), idx);
  const fromIdx = dlx(['predict', run, join(dir, 'new.idx'), '--out', join(dir, 'out.csv')]);
  assert.equal(fromIdx.code, 0, fromIdx.stderr);
  assert.equal(readFileSync(join(dir, 'out.csv'), 'utf8'), r.stdout);

  writeFileSync(join(dir, 'bad.csv'), '1,2,3\n');
  const bad = dlx(['predict', run, join(dir, 'bad.csv')]);
  assert.equal(bad.code, 3);
  assert.equal(bad.stderr, `error ${join(dir, 'bad.csv')}:1: expected 4 numbers, found 3 fields\n`);
  writeFileSync(join(dir, 'short.idx'), idx.subarray(0, 30));
  const short = dlx(['predict', run, join(dir, 'short.idx')]);
  assert.equal(short.code, 3);
  assert.equal(short.stderr, `error ${join(dir, 'short.idx')}: not a valid IDX file (dimensions [3, 4] of float32 need 60 bytes, the file has 30)\n`);
});

test('compare shows the spec differences and the metrics side by side; runs lists them', () => {
  const runs = tempDir();
  dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=2', '--name', 'a']);
  dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=2', '--name', 'b', '--set', 'optimizer.lr=0.05']);
  const [a, b] = [onlyRun(runs, 'a'), onlyRun(runs, 'b')];
  const c = dlx(['compare', a, b]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /\nspec key +run 1 +run 2\n[- ]+\nname +a +b\noptimizer\.lr +0\.1 +0\.05\n/);
  assert.match(c.stdout, /final val_acc +\d+\.\d\d% +\d+\.\d\d%/);
  const j = JSON.parse(dlx(['compare', a, b, '--json']).stdout);
  assert.deepEqual(j.differences, [{ key: 'name', values: ['a', 'b'] }, { key: 'optimizer.lr', values: [0.1, 0.05] }]);
  const listed = dlx(['runs', runs]);
  assert.match(listed.stdout, /^name +run +started +status/);
  assert.match(listed.stdout, /\na +\d{8}-\d{6}-[0-9a-f]{6} +\d{4}-\d\d-\d\d \d\d:\d\d:\d\d +finished +2 /);
});

test('test metrics only when the spec asks (train.test) or through dlx eval --split test', () => {
  const runs = tempDir();
  const withTest = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--name', 't', '--set', 'train.epochs=2', '--set', 'data.split.test=0.2', '--set', 'train.test=true']);
  assert.equal(withTest.code, 0, withTest.stderr);
  const metrics = json(join(onlyRun(runs, 't'), 'metrics.json'));
  const ev = JSON.parse(dlx(['eval', onlyRun(runs, 't'), '--split', 'test', '--json']).stdout);
  assert.deepEqual(metrics.test, { loss: ev.loss, accuracy: ev.accuracy, count: 30 });
  assert.match(withTest.stdout, /\ntest: loss \d\.\d{4} accuracy/);
  dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--name', 'n', '--set', 'train.epochs=2', '--set', 'data.split.test=0.2']);
  assert.equal(json(join(onlyRun(runs, 'n'), 'metrics.json')).test, undefined);
  const none = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.test=true']);
  assert.equal(none.code, 2);
  assert.equal(none.stderr, `error ${quickstart}: train.test: the dataset has no official test set and data.split.test is 0, so there is no test split to evaluate\n`);
});

test('predict on tabular data applies the saved fills: a missing value becomes the training median', () => {
  const runs = tempDir();
  const r = dlx(['train', join(root, 'configs/breast-cancer-missing.yaml'), '--runs-dir', runs, '--quiet', '--set', 'train.epochs=3']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'breast-cancer-missing');
  const fill = json(join(run, 'preprocessing.json')).encoding.find((e: { name: string }) => e.name === 'bare_nuclei').fill;
  const dir = tempDir();
  const header = 'clump_thickness,cell_size_uniformity,cell_shape_uniformity,marginal_adhesion,single_epithelial_cell_size,bare_nuclei,bland_chromatin,normal_nucleoli,mitoses';
  writeFileSync(join(dir, 'new.csv'), `${header}\n5,1,1,1,2,${fill},3,1,1\n5,1,1,1,2,?,3,1,1\n`);
  const p = dlx(['predict', run, join(dir, 'new.csv')]);
  assert.equal(p.code, 0, p.stderr);
  const [, a, b] = p.stdout.trim().split('\n');
  assert.equal(b, a);
});

test('an idx dataset of bytes (divideBy 255) trains, and predict divides new files the same way', () => {
  const dir = tempDir();
  const n = 200;
  const images = Buffer.alloc(16 + n * 16);
  images.set([0, 0, 0x08, 3]);
  [n, 4, 4].forEach((d, i) => images.writeUInt32BE(d, 4 + 4 * i));
  const labels = Buffer.alloc(8 + n);
  labels.set([0, 0, 0x08, 1]);
  labels.writeUInt32BE(n, 4);
  let state = 12345;
  const noise = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) % 60);
  for (let r = 0; r < n; r++) {
    const label = r % 2;
    labels[8 + r] = label;
    for (let p = 0; p < 16; p++) images[16 + r * 16 + p] = ((p < 8) === (label === 0) ? 190 : 10) + noise();
  }
  writeFileSync(join(dir, 'images.idx'), images);
  writeFileSync(join(dir, 'labels.idx'), labels);
  writeFileSync(join(dir, 'bytes.yaml'), `name: bytes
data: {dataset: {type: idx, images: images.idx, labels: labels.idx, divideBy: 255, classes: [top, bottom]}, split: {val: 50}}
model: {layers: [flatten, {type: dense, units: 2}]}
optimizer: {type: sgd, lr: 0.5}
train: {epochs: 5, batchSize: 16}
`);
  const r = dlx(['train', 'bytes.yaml', '--runs-dir', 'runs', '--quiet'], { cwd: dir });
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(join(dir, 'runs'), 'bytes');
  const [train, val] = ['train', 'val'].map((split) => JSON.parse(dlx(['eval', run, '--split', split, '--json']).stdout));
  const p = dlx(['predict', run, join(dir, 'images.idx')]);
  assert.equal(p.code, 0, p.stderr);
  const predicted = p.stdout.trim().split('\n').slice(1).map((l) => l.split(',')[0]);
  const right = predicted.filter((c, i) => c === (i % 2 === 0 ? 'top' : 'bottom')).length;
  assert.equal(right, Math.round(train.accuracy * train.count) + Math.round(val.accuracy * val.count));
  assert.ok(right > 190, `${right}/200`);
});

test('batchnorm running statistics travel in the checkpoint: eval reproduces the run exactly', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=4',
    '--set', 'model.layers=[{type: dense, units: 16}, batchnorm, relu, {type: maxout, units: 8}, {type: dense, units: 3}]']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  const metrics = json(join(run, 'metrics.json'));
  const ev = JSON.parse(dlx(['eval', run, '--json']).stdout);
  assert.equal(ev.loss, metrics.final.val_loss);
  assert.equal(ev.accuracy, metrics.final.val_acc);
  const header = readFileSync(join(run, 'checkpoints/last.safetensors'));
  assert.match(header.subarray(8, 8 + Number(header.readBigUInt64LE(0))).toString(), /"model\.layers\.1\.running_var"/);
});
