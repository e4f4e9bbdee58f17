// dlx train's plots/, dlx plot, dlx compare --plot: real runs of the CLI in temporary folders.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fakeSweep } from './fake-sweep.js';
import { dlx, root, tempDir } from './helpers.js';
import { markItems, texts } from './svg.js';

const quickstart = join(root, 'configs/quickstart.yaml');

function onlyRun(runsDir: string, name: string): string {
  const folders = readdirSync(join(runsDir, name)).filter((f) => !f.startsWith('.'));
  assert.equal(folders.length, 1);
  return join(runsDir, name, folders[0]);
}

const svgs = (run: string) => Object.fromEntries(readdirSync(join(run, 'plots')).sort().map((f) => [f, readFileSync(join(run, 'plots', f), 'utf8')]));

test('dlx train draws curves, lr, confusion and weights; dlx plot redraws them byte for byte', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=6', '--set', 'schedule={type: cosine-restarts, period: 10}', '--set', 'regularization.l1=0.01']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  assert.match(r.stdout, new RegExp(`plots ${join(run, 'plots')} \\(4 SVG files, \\d+ ms\\)`));
  const first = svgs(run);
  assert.deepEqual(Object.keys(first), ['confusion.svg', 'curves.svg', 'lr.svg', 'weights.svg']);
  assert.deepEqual(texts(first['curves.svg'], 'title-text'), ['loss', 'accuracy', 'Learning curves']);
  assert.equal(markItems(first['curves.svg'], 'line').length, 4);
  assert.deepEqual(markItems(first['curves.svg'], 'rule'), [1, 1], 'the best epoch is marked');
  // 120 training rows, batch 16: 8 updates an epoch, a cosine restart every 10 updates
  assert.deepEqual(texts(first['lr.svg'], 'axis-title'), ['update', 'learning rate']);
  assert.deepEqual(markItems(first['confusion.svg'], 'rect'), [9], 'iris: 3 × 3 cells');
  assert.deepEqual(markItems(first['weights.svg'], 'rect').length, 2, 'two dense layers');
  assert.match(first['weights.svg'], /% exactly 0/);

  // the confusion matrix computed in memory at the end of training is the one dlx eval gives
  rmSync(join(run, 'plots'), { recursive: true });
  const again = dlx(['plot', run]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(svgs(run), first);
});

test('--no-plots draws nothing; dlx plot on a folder that is not a run says so with exit 3', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=2', '--no-plots', '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const run = onlyRun(runs, 'quickstart');
  assert.equal(existsSync(join(run, 'plots')), false);
  const bad = dlx(['plot', runs]);
  assert.equal(bad.code, 3);
  assert.equal(bad.stderr.trim(), `error ${runs}: neither a run folder (no curve.csv) nor a sweep folder (no sweep.json)`);
  const missing = dlx(['plot', join(runs, 'nope')]);
  assert.equal(missing.code, 3);
  assert.match(missing.stderr, /no such run or sweep folder/);
});

test('dlx compare --plot overlays the runs\' curves in one SVG', () => {
  const runs = tempDir();
  for (const lr of ['0.1', '0.01']) {
    const r = dlx(['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=3', '--set', `optimizer.lr=${lr}`, '--name', `lr${lr}`, '--no-plots', '--quiet']);
    assert.equal(r.code, 0, r.stderr);
  }
  const out = join(runs, 'compare.svg');
  const c = dlx(['compare', onlyRun(runs, 'lr0.1'), onlyRun(runs, 'lr0.01'), '--plot', out]);
  assert.equal(c.code, 0, c.stderr);
  assert.match(c.stdout, /optimizer\.lr/);
  const svg = readFileSync(out, 'utf8');
  assert.deepEqual(texts(svg, 'title-text'), ['loss', 'accuracy', 'Learning curves compared']);
  assert.equal(markItems(svg, 'line').length, 2 * 2 * 2, '2 panels × 2 runs × train and val');
});

/** Seven dense layers of 16 units with the given activation between them, on iris. */
function deepSpec(dir: string, activation: string): string {
  const path = join(dir, `deep-${activation}.yaml`);
  const hidden = Array.from({ length: 6 }, () => `{type: dense, units: 16, init: he-normal}, ${activation}`).join(', ');
  writeFileSync(path, `name: deep-${activation}
seed: 1
data: {dataset: iris, normalize: [zscore]}
model:
  layers: [${hidden}, {type: dense, units: 3}]
optimizer: {type: sgd, lr: 0.1}
train: {epochs: 3, batchSize: 16, log: {norms: true}}
`);
  return path;
}

test('train.log.norms: deep sigmoid nets\' first-layer gradients are far below the last layer\'s, ReLU nets\' are not; norms.svg draws a line per layer', () => {
  const dir = tempDir();
  const ratios: Record<string, number[]> = {};
  for (const activation of ['sigmoid', 'relu']) {
    const r = dlx(['train', deepSpec(dir, activation), '--runs-dir', join(dir, 'runs'), '--quiet']);
    assert.equal(r.code, 0, r.stderr);
    const run = onlyRun(join(dir, 'runs'), `deep-${activation}`);
    const [header, ...lines] = readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n');
    const columns = header.split(',');
    assert.deepEqual(columns.slice(9), [0, 2, 4, 6, 8, 10, 12].map((l) => `grad_norm_${l}`).concat([0, 2, 4, 6, 8, 10, 12].map((l) => `weight_norm_${l}`)), 'norm columns after the standard ones');
    ratios[activation] = lines.map((l) => {
      const cells = l.split(',').map(Number);
      return cells[columns.indexOf('grad_norm_12')] / cells[columns.indexOf('grad_norm_0')];
    });
    const svg = readFileSync(join(run, 'plots', 'norms.svg'), 'utf8');
    assert.equal(markItems(svg, 'line').length, 2 * 7, 'a line per layer in the gradient and the weight panels');
  }
  for (const r of ratios.sigmoid) assert.ok(r > 100, `sigmoid: last/first gradient norm ${r}`);
  for (const r of ratios.relu) assert.ok(r < 20, `relu: last/first gradient norm ${r}`);
});

test('dlx plot SWEEP writes the sweep plots; a broken sweep.json is a one-line data error', () => {
  const sweep = fakeSweep(tempDir(), { trials: 12, folds: 2 });
  const r = dlx(['plot', sweep]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout.trim(), `${join(sweep, 'plots')}: objective.svg, parallel.svg, params.svg, importance.svg, folds.svg`);
  writeFileSync(join(sweep, 'sweep.json'), JSON.stringify({ name: 'x', method: 'grid', trials: 1, seed: 0, metric: 'val_acc', mode: 'sideways', params: [] }));
  const bad = dlx(['report', sweep, '-o', join(sweep, 'r.html')]);
  assert.equal(bad.code, 3);
  assert.match(bad.stderr.trim(), /^error .*sweep\.json: mode: /);
  assert.equal(bad.stderr.trim().split('\n').length, 1);
  assert.equal(existsSync(join(sweep, 'r.html')), false, 'no half-written report');
});
