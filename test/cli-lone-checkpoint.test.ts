// A checkpoint file alone is enough for eval and predict: copied out of its run folder, it
// gives the same metrics and probabilities, from the spec and preprocessing in its metadata.
import assert from 'node:assert/strict';
import { copyFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, tempDir } from './helpers.js';

test('a .safetensors copied elsewhere evaluates and predicts like its run folder', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'lone.yaml'), `name: lone
seed: 5
data: {dataset: wine, normalize: [zscore, {type: pca, components: 6}]}
model: {layers: [{type: dense, units: 8}, relu, {type: dense, units: 3}]}
optimizer: {type: adam, lr: 0.01}
train: {epochs: 3, batchSize: 16}
`);
  const t = dlx(['train', 'lone.yaml', '--quiet', '--backend', 'reference'], { cwd: dir });
  assert.equal(t.code, 0, t.stderr);
  const runs = join(dir, 'runs', 'lone');
  const run = join(runs, readdirSync(runs)[0]);
  const elsewhere = tempDir();
  const lone = join(elsewhere, 'model.safetensors');
  copyFileSync(join(run, 'checkpoints', 'last.safetensors'), lone);
  assert.deepEqual(readdirSync(elsewhere), ['model.safetensors']);

  const fromRun = dlx(['eval', run, '--json'], { cwd: dir });
  const fromFile = dlx(['eval', lone, '--json'], { cwd: dir });
  assert.equal(fromFile.code, 0, fromFile.stderr);
  const [a, b] = [JSON.parse(fromRun.stdout), JSON.parse(fromFile.stdout)];
  assert.equal(b.checkpoint, lone);
  assert.deepEqual({ ...b, checkpoint: '' }, { ...a, checkpoint: '' });
  assert.ok(b.count > 0 && b.accuracy > 0);

  const rows = join(elsewhere, 'rows.csv');
  writeFileSync(rows, '13.2,1.78,2.14,11.2,100,2.65,2.76,0.26,1.28,4.38,1.05,3.4,1050\n12.37,0.94,1.36,10.6,88,1.98,0.57,0.28,0.42,1.95,1.05,1.82,520\n');
  const p1 = dlx(['predict', run, rows]);
  const p2 = dlx(['predict', lone, rows]);
  assert.equal(p2.code, 0, p2.stderr);
  assert.equal(p2.stdout, p1.stdout);
  assert.equal(p2.stdout.trim().split('\n').length, 3);
});
