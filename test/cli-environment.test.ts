// Failures of the environment, end to end: each a plain one-line message with its documented
// exit code, never "a bug in dlx" and never a stack; a closed stdout is no failure at all.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

const quickstart = join(root, 'configs/quickstart.yaml');

/** Runs dlx with its stdout a pipe whose reading end closes after `keep` bytes (like `| head -c`). */
function withClosedStdout(args: string[], keep: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), ...args], { env: { ...process.env, NO_COLOR: '1' } });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d) => {
    stdout += d;
    if (stdout.length >= keep) child.stdout.destroy();
  });
  if (keep === 0) child.stdout.destroy();
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('dlx train | head: a closed stdout does not stop the run; it finishes and its folder says so', async () => {
  const runs = tempDir();
  const r = await withClosedStdout(['train', quickstart, '--runs-dir', runs], 1);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
  const [folder] = readdirSync(join(runs, 'quickstart'));
  const metrics = JSON.parse(readFileSync(join(runs, 'quickstart', folder, 'metrics.json'), 'utf8'));
  assert.equal(metrics.status, 'finished');
  assert.equal(metrics.epochs, 30);
});

test('dlx eval | head -1: a closed stdout is exit 0 without a message', async () => {
  const runs = tempDir();
  assert.equal(dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=1']).code, 0);
  const run = join(runs, 'quickstart', readdirSync(join(runs, 'quickstart'))[0]);
  const r = await withClosedStdout(['eval', run], 0);
  assert.equal(r.stderr, '');
  assert.equal(r.code, 0);
});

test('--runs-dir that is a file (or under one): exit 2, one line, nothing written', () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'afile'), 'x');
  const r = dlx(['train', quickstart, '--runs-dir', 'afile', '--quiet'], { cwd: dir });
  assert.equal(r.code, 2);
  assert.equal(r.stderr, 'error --runs-dir afile: a file, not a folder\n');
  const under = dlx(['train', quickstart, '--runs-dir', 'afile/runs', '--quiet'], { cwd: dir });
  assert.equal(under.code, 2);
  assert.equal(under.stderr, `error --runs-dir afile/runs: ${join(dir, 'afile')} is a file, not a folder\n`);
});

/**
 * Runs a shell script as root of its own user and mount namespace (unshare -rm), where it may
 * mount a small or read-only tmpfs that vanishes with it; undefined where that is not allowed.
 */
function inMountNamespace(script: string): { code: number; stdout: string; stderr: string } | undefined {
  const probe = spawnSync('unshare', ['-rm', 'sh', '-c', 'mount -t tmpfs tmpfs /mnt'], { encoding: 'utf8' });
  if (probe.status !== 0) return undefined;
  const r = spawnSync('unshare', ['-rm', 'sh', '-c', script], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const dlxCommand = `${process.execPath} ${join(root, 'bin/dlx.js')}`;

test('a read-only runs folder (a read-only tmpfs mount): exit 5 naming the folder and EROFS', (t) => {
  const mount = tempDir();
  const r = inMountNamespace(`mount -t tmpfs -o ro tmpfs ${mount} && ${dlxCommand} train ${quickstart} --runs-dir ${mount}/runs --quiet`);
  if (!r) return t.skip('unshare -rm and mount are not permitted here');
  assert.equal(r.code, 5, r.stderr);
  assert.equal(r.stderr, `error --runs-dir ${mount}/runs: cannot write into ${mount}: the file system is read-only (EROFS)\n`);
});

test('disk full during training (a 700 KiB tmpfs): exit 5 naming the file, status failed, and resume finishes once there is space', (t) => {
  const dir = tempDir();
  const mount = tempDir();
  // 257 KB checkpoints: the second epoch's best checkpoint no longer fits
  writeFileSync(join(dir, 'big.yaml'), `name: big
seed: 1
data: {dataset: iris, normalize: [zscore]}
model: {layers: [{type: dense, units: 8000}, relu, {type: dense, units: 3}]}
optimizer: {type: sgd, lr: 0.01}
train: {epochs: 6, batchSize: 32}
`);
  const r = inMountNamespace(`mount -t tmpfs -o size=700k tmpfs ${mount} && ${dlxCommand} train ${join(dir, 'big.yaml')} --runs-dir ${mount}/runs --quiet;
    echo "code $?"; cat ${mount}/runs/big/*/metrics.json; mount -o remount,size=8m ${mount} && ${dlxCommand} resume ${mount}/runs/big/2* --json | tail -1`);
  if (!r) return t.skip('unshare -rm and mount are not permitted here');
  assert.match(r.stderr, new RegExp(`^error ${mount}/runs/big/[^/]+/checkpoints/best\\.safetensors: cannot write: no space left on the device \\(ENOSPC\\)\\nthe run folder keeps the last completed epoch \\(1\\): ${mount}/runs/big/[^/]+; once that is fixed, dlx resume ${mount}/runs/big/[^/]+\\n$`));
  assert.match(r.stdout, /^code 5\n/);
  const [failed, done] = r.stdout.replace(/^code 5\n/, '').split(/\n(?=\{"event")/);
  assert.equal(JSON.parse(failed).status, 'failed');
  assert.equal(JSON.parse(failed).epochs, 1);
  const resumed = JSON.parse(done);
  assert.equal(resumed.status, 'finished');
  assert.equal(resumed.epochs, 6);
});

test('a run folder deleted (moved away) during training: exit 5 saying so, no stack', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'long.yaml'), `name: long
data: {dataset: iris}
model: {layers: [{type: dense, units: 3}]}
train: {epochs: 100000}
`);
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), 'train', 'long.yaml', '--json'], { cwd: dir, env: { ...process.env, NO_COLOR: '1' } });
  let stderr = '';
  let lines = 0;
  child.stderr.on('data', (d) => (stderr += d));
  child.stdout.on('data', (d: Buffer) => {
    lines += d.toString().split('\n').length - 1;
    if (lines >= 3 && lines < 1e9) {
      lines = 1e9;
      // moved away in one step (a recursive delete races with dlx's next write), then deleted
      renameSync(join(dir, 'runs', 'long'), join(dir, 'gone'));
      rmSync(join(dir, 'gone'), { recursive: true, force: true, maxRetries: 20 });
    }
  });
  // never left running if the deletion goes unnoticed
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise((resolve) => child.on('close', resolve));
  clearTimeout(timer);
  assert.equal(code, 5, stderr);
  assert.match(stderr, /^error .*runs\/long\/\d{8}-\d{6}-[0-9a-f]{6}: the run folder was deleted or moved during training; training stopped after epoch \d+\n$/);
});

test('a layer too big for memory (units: 1e12) is exit 2 naming the layer, before anything is allocated, on both backends', () => {
  for (const backend of ['wasm', 'reference']) {
    const runs = tempDir();
    const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--backend', backend, '--set', 'model.layers.0.units=1e12']);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /^error .*quickstart\.yaml: model\.layers\.0 \(dense\): too big for the memory: .*16,000,000,000,\d+ bytes.*; make the layer smaller\n$/);
    assert.deepEqual(readdirSync(runs), []);
  }
});

test('batchSize: 1e15 is one batch of every training row (nothing of that size is allocated)', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--json', '--set', 'train.batchSize=1e15', '--set', 'train.epochs=2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(r.stdout.trim().split('\n').pop()!).status, 'finished');
});

test('a malformed preprocessing.json is exit 3 naming the file, for eval and predict', () => {
  const runs = tempDir();
  assert.equal(dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--set', 'train.epochs=1']).code, 0);
  const run = join(runs, 'quickstart', readdirSync(join(runs, 'quickstart'))[0]);
  const path = join(run, 'preprocessing.json');
  const good = JSON.parse(readFileSync(path, 'utf8'));
  writeFileSync(join(runs, 'new.csv'), '5.1,3.5,1.4,0.2\n');
  const cases: [string, string][] = [
    ['{', 'not valid JSON'],
    ['{}', 'malformed: rawShape: '],
    [JSON.stringify({ ...good, steps: [{ config: { type: 'zscore' }, state: { mean: [1, 2] } }] }), 'malformed: the normalizers do not restore'],
    [JSON.stringify({ ...good, steps: [{ config: { type: 'zscore' }, state: { mean: [0, 0, 0, 0], std: [1, 1, 1, 0] } }] }), 'with non-finite values, the model takes 4'],
    [JSON.stringify({ ...good, sampleShape: [5] }), 'malformed: the normalizers turn 4 features into 4, the model takes 5'],
  ];
  for (const [text, message] of cases) {
    writeFileSync(path, text);
    for (const args of [['eval', run], ['predict', run, join(runs, 'new.csv')]]) {
      const r = dlx(args);
      assert.equal(r.code, 3, `${args[0]} with ${text.slice(0, 40)}: ${r.stderr}`);
      assert.ok(r.stderr.startsWith(`error ${path}: `) && r.stderr.includes(message) && r.stderr.split('\n').length === 2, r.stderr);
    }
  }
});

test('--threads above the cores: a warning, and the run uses (and records) the core count', () => {
  const runs = tempDir();
  const r = dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--threads', '999', '--set', 'train.epochs=1']);
  assert.equal(r.code, 0, r.stderr);
  const cores = availableParallelism();
  assert.equal(r.stderr, `warning --threads 999: this machine has ${cores} core${cores === 1 ? '' : 's'}; using ${cores}\n`);
  const run = join(runs, 'quickstart', readdirSync(join(runs, 'quickstart'))[0]);
  assert.equal(JSON.parse(readFileSync(join(run, 'env.json'), 'utf8')).threads, cores);
});

test('spec limits: more than 1 MiB, or more than 10,000 layers, is refused at once', () => {
  const dir = tempDir();
  const head = 'name: h\ndata: {dataset: iris}\nmodel:\n  layers:\n';
  writeFileSync(join(dir, 'huge.yaml'), head + '    - relu\n'.repeat(150_000) + '    - {type: dense, units: 3}\n');
  const huge = dlx(['train', 'huge.yaml'], { cwd: dir });
  assert.equal(huge.code, 2);
  assert.equal(huge.stderr, 'error huge.yaml: 1,650,077 bytes; a spec may have at most 1,048,576 (1 MiB)\n');
  writeFileSync(join(dir, 'deep.yaml'), head + '    - relu\n'.repeat(10_000) + '    - {type: dense, units: 3}\n');
  const deep = dlx(['validate', 'deep.yaml'], { cwd: dir });
  assert.equal(deep.code, 2);
  assert.equal(deep.stderr, 'error deep.yaml: model.layers: 10,001 layers; a model may have at most 10,000\n');
});
