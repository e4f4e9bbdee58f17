// train.log.norms across Ctrl-C: the interrupted epoch's gradient-norm sums live in the
// checkpoint, so a resumed run's curve.csv equals an uninterrupted one (timing columns aside).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readCheckpoint } from '../src/train/checkpoint.js';
import { dlx, root, tempDir } from './helpers.js';

function onlyRun(runsDir: string): string {
  const folders = readdirSync(join(runsDir, 'norms')).filter((f) => !f.startsWith('.'));
  assert.equal(folders.length, 1);
  return join(runsDir, 'norms', folders[0]);
}

/** curve.csv without the two timing columns, found by name (norm columns follow them). */
function untimed(run: string): string[] {
  const lines = readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n');
  const header = lines[0].split(',');
  const drop = new Set([header.indexOf('train_seconds'), header.indexOf('seconds')]);
  return lines.map((l) => l.split(',').filter((_, i) => !drop.has(i)).join(','));
}

function trainAndInterrupt(spec: string, runsDir: string, epochs: number): Promise<number | null> {
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), 'train', spec, '--runs-dir', runsDir, '--json', '--no-plots'], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let sent = false;
  child.stdout.on('data', (d) => {
    stdout += d;
    if (!sent && stdout.split('\n').length > epochs) {
      sent = true;
      child.kill('SIGINT');
    }
  });
  return new Promise((resolve) => child.on('close', (code) => resolve(code)));
}

test('norm columns survive Ctrl-C in the middle of an epoch and a resume, bit for bit', async () => {
  const dir = tempDir();
  const spec = join(dir, 'norms.yaml');
  writeFileSync(spec, `name: norms
seed: 3
data: {dataset: breast-cancer-diagnostic, normalize: [zscore]}
model:
  layers: [{type: dense, units: 48, init: he-normal}, relu, {type: dense, units: 2}]
optimizer: {type: adam, lr: 0.001}
train: {epochs: 60, batchSize: 8, log: {norms: true}}
`);
  const code = await trainAndInterrupt(spec, join(dir, 'a'), 3);
  assert.equal(code, 130);
  const run = onlyRun(join(dir, 'a'));
  const { state } = await readCheckpoint(join(run, 'checkpoints/last.safetensors'));
  assert.ok(state.partial?.gradNormSums?.length === 2, 'the partial epoch keeps its gradient-norm sums');
  const resumed = dlx(['resume', run, '--quiet', '--no-plots']);
  assert.equal(resumed.code, 0, resumed.stderr);
  const straight = dlx(['train', spec, '--runs-dir', join(dir, 'b'), '--quiet', '--no-plots']);
  assert.equal(straight.code, 0, straight.stderr);
  const [a, b] = [untimed(run), untimed(onlyRun(join(dir, 'b')))];
  assert.equal(a[0], 'epoch,lr,train_loss,penalty,train_acc,val_loss,val_acc,grad_norm_0,grad_norm_2,weight_norm_0,weight_norm_2');
  assert.deepEqual(a, b);
});
