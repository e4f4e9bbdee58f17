// The native backend through the CLI: the default when it is built; bit-identical runs on 1 and
// 2 threads; env.json and the summary name the backend and its instruction set; resume refuses
// a run trained with another instruction set; with the build hidden (DLX_NATIVE=0) dlx falls
// back to wasm, and asking for native says why it cannot.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { configureNative, nativeAddon } from '../src/engine/native/addon.js';
import { dlx, root, tempDir } from './helpers.js';

configureNative({ hidden: process.env.DLX_NATIVE === '0' });
const loaded = nativeAddon();
const skip = 'why' in loaded ? `native kernels: ${loaded.why}` : false;

const spec = `name: mlp
seed: 5
data:
  dataset: digits
  split: {val: 300, test: 300}
  normalize: [zscore]
model:
  layers:
    - {type: dense, units: 64}
    - batchnorm
    - relu
    - {type: dropout, keep: 0.8}
    - {type: dense, units: 10}
optimizer: {type: adam, lr: 3.0e-3}
train: {epochs: 3, batchSize: 32, test: true}
`;

function train(dir: string, name: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const runs = join(dir, name);
  const r = dlx(['train', join(dir, 'mlp.yaml'), '--runs-dir', runs, ...args], { env });
  const run = r.code === 0 ? join(runs, 'mlp', readdirSync(join(runs, 'mlp'))[0]) : '';
  return { ...r, run };
}

test('native is the default backend and trains bit-identically on 1 and 2 threads', { skip }, () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'mlp.yaml'), spec);
  const [one, two] = [train(dir, 'one', ['--threads', '1']), train(dir, 'two', ['--threads', '2'])];
  assert.equal(one.code, 0, one.stderr);
  assert.equal(two.code, 0, two.stderr);
  const isa = 'addon' in loaded ? loaded.addon.isa : '';
  assert.match(two.stdout, new RegExp(`native backend \\(${isa} kernels\\), 2 threads`));
  const env = JSON.parse(readFileSync(join(two.run, 'env.json'), 'utf8'));
  assert.deepEqual([env.backend, env.kernels, env.threads], ['native', isa, 2]);
  const curve = (run: string) => readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(','));
  assert.deepEqual(curve(two.run), curve(one.run));
  assert.ok(readFileSync(join(two.run, 'checkpoints/last.safetensors')).equals(readFileSync(join(one.run, 'checkpoints/last.safetensors'))), 'checkpoints byte for byte');
  const metrics = JSON.parse(readFileSync(join(one.run, 'metrics.json'), 'utf8'));
  assert.ok(metrics.test.accuracy > 0.85, `it learns: ${metrics.test.accuracy}`);

  // eval keeps the run's backend, so its metrics are the run's own
  const evaluated = dlx(['eval', one.run, '--split', 'test', '--json']);
  assert.equal(evaluated.code, 0, evaluated.stderr);
  assert.equal(JSON.parse(evaluated.stdout.trim().split('\n').pop()!).accuracy, metrics.test.accuracy);
});

test('resume refuses a run trained with another instruction set', { skip }, async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'mlp.yaml'), spec.replace('epochs: 3', 'epochs: 500'));
  const runs = join(dir, 'runs');
  // interrupted after two epochs, so that there is something to resume
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), 'train', join(dir, 'mlp.yaml'), '--runs-dir', runs, '--json'], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.split('\n').length > 2) child.kill('SIGINT');
  });
  assert.equal(await new Promise((done) => child.on('close', done)), 130);
  const run = join(runs, 'mlp', readdirSync(join(runs, 'mlp'))[0]);
  const env = JSON.parse(readFileSync(join(run, 'env.json'), 'utf8'));
  const other = env.kernels === 'avx2' ? 'avx512' : 'avx2';
  writeFileSync(join(run, 'env.json'), JSON.stringify({ ...env, kernels: other }));
  const resumed = dlx(['resume', run]);
  assert.equal(resumed.code, 3, resumed.stderr);
  assert.match(resumed.stderr, new RegExp(`trained with ${other} kernels; this runtime has ${env.kernels}`));
  assert.doesNotMatch(resumed.stderr, /\n\s+at /, 'no stack trace');
});

test('with the native build hidden, dlx trains on wasm and --backend native says why it cannot', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'mlp.yaml'), spec.replace('epochs: 3', 'epochs: 1'));
  const fallback = train(dir, 'wasm', ['--threads', '2'], { DLX_NATIVE: '0' });
  assert.equal(fallback.code, 0, fallback.stderr);
  assert.equal(JSON.parse(readFileSync(join(fallback.run, 'env.json'), 'utf8')).backend, 'wasm');
  const refused = train(dir, 'native', ['--backend', 'native'], { DLX_NATIVE: '0' });
  assert.equal(refused.code, 2);
  assert.match(refused.stderr, /--backend native: the native kernels are unavailable: hidden/);
  assert.doesNotMatch(refused.stderr, /\n\s+at /, 'no stack trace');
});

test('without a C compiler the native build prints one line and exits 0, so npm install still succeeds', () => {
  const out = join(tempDir(), 'native');
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-native.mjs'), '--out', out], {
    encoding: 'utf8', env: { ...process.env, CC: join(out, 'no-such-cc') },
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr, '');
  assert.match(r.stdout, /^dlx: the native kernels were not built \(no C compiler [^\n]*\); dlx will use the wasm backend\n$/);
});
