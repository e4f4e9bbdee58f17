// The start-up bundle (scripts/build-bundle.mjs, src/cli/load.ts): the CLI and the trial processes
// load it, with a code cache V8 accepts, and it behaves as the ES modules do (output, exit codes,
// checkpoint bytes, sweep results); a stale bundle, or DLX_NO_BUNDLE=1, falls back to the modules.
import assert from 'node:assert/strict';
import { fork, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';
import { mlpSpec } from './specs.js';

const built = existsSync(join(root, 'dist/bundle/dlx.js'));
const skip = built ? false : 'the start-up bundle is not built (scripts/build-bundle.mjs)';
const bundled = { DLX_NO_BUNDLE: '', DLX_DEBUG_LOAD: '1' };
const modules = { DLX_NO_BUNDLE: '1', DLX_DEBUG_LOAD: '1' };
const loadLine = (stderr: string) => /^dlx: loaded from .*$/m.exec(stderr)?.[0];
/** stderr without the debug lines, which say how each was loaded. */
const problems = (stderr: string) => stderr.split('\n').filter((l) => !l.startsWith('dlx: ')).join('\n');

test('the CLI loads the bundle with its code cache, but for help; DLX_NO_BUNDLE=1 the ES modules', { skip }, () => {
  assert.equal(loadLine(dlx(['runs', tempDir()], { env: bundled }).stderr), 'dlx: loaded from the bundle (code cache accepted)');
  for (const help of [[], ['--help'], ['train', '--help'], ['help', 'sweep'], ['--version'], ['-V']]) {
    assert.equal(loadLine(dlx(help, { env: bundled }).stderr), 'dlx: loaded from the ES modules (bundle not needed for help)', `dlx ${help.join(' ')}`);
  }
  assert.equal(loadLine(dlx(['runs'], { env: modules }).stderr), 'dlx: loaded from the ES modules (bundle DLX_NO_BUNDLE=1)');
});

test('the bundled CLI prints what the ES modules print, with the same exit codes', { skip }, () => {
  const dir = tempDir();
  const good = join(dir, 'good.yaml');
  writeFileSync(good, mlpSpec({ name: 'good', seed: 1, dataset: 'iris', epochs: 2, batchSize: 16, units: 8 }));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(bad, mlpSpec({ name: 'bad', seed: 1, dataset: 'iris', epochs: 2, batchSize: 16, units: 8 }).replace('units: 8', 'units: -8'));
  for (const args of [['validate', good], ['validate', bad], ['validate'], ['train', join(dir, 'missing.yaml')], ['nonsense'], ['runs', dir]]) {
    const [a, b] = [dlx(args, { env: bundled }), dlx(args, { env: modules })];
    assert.match(loadLine(a.stderr) ?? '', /from the bundle/);
    assert.deepEqual({ code: a.code, stdout: a.stdout, stderr: problems(a.stderr) }, { code: b.code, stdout: b.stdout, stderr: problems(b.stderr) }, `dlx ${args.join(' ')}`);
    if (args[1] === bad) assert.ok(a.code === 2 && /units/.test(a.stderr), a.stderr);
  }
});

/** The only run folder under runsDir/name. */
function onlyRun(runsDir: string, name: string): string {
  const [folder, ...more] = readdirSync(join(runsDir, name));
  assert.deepEqual(more, []);
  return join(runsDir, name, folder);
}

test('training from the bundle writes the same checkpoint bytes and curve as from the ES modules', { skip }, () => {
  const dir = tempDir();
  const spec = join(dir, 'tiny.yaml');
  writeFileSync(spec, mlpSpec({ name: 'tiny', seed: 7, dataset: 'iris', epochs: 3, batchSize: 16, units: 8, bias: 0.1 }));
  const runs = (env: NodeJS.ProcessEnv, to: string) => {
    const r = dlx(['train', spec, '--runs-dir', join(dir, to), '--quiet', '--no-plots', '--backend', 'wasm'], { env });
    assert.equal(r.code, 0, r.stderr);
    return onlyRun(join(dir, to), 'tiny');
  };
  const [a, b] = [runs(bundled, 'a'), runs(modules, 'b')];
  for (const file of ['checkpoints/best.safetensors', 'checkpoints/last.safetensors']) {
    // the header names the run (its folder); the tensors follow it
    const tensors = (run: string) => { const bytes = readFileSync(join(run, file)); return bytes.subarray(8 + Number(bytes.readBigUInt64LE(0))); };
    assert.ok(tensors(a).equals(tensors(b)), file);
  }
  const curve = (run: string) => readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(','));
  assert.deepEqual(curve(a), curve(b));
});

test('a 2-trial sweep from the bundle (its trial processes too) gives the ES modules\' results', { skip }, () => {
  const dir = tempDir();
  const spec = join(dir, 'sw.yaml');
  writeFileSync(spec, `${mlpSpec({ name: 'sw', seed: 3, dataset: 'iris', epochs: 2, batchSize: 16, units: 8 })}sweep:
  method: grid
  metric: val_acc
  params:
    optimizer.lr: {grid: [0.01, 0.1]}
`);
  const summary = (env: NodeJS.ProcessEnv, to: string) => {
    const r = dlx(['sweep', spec, '--runs-dir', join(dir, to), '--quiet', '--no-plots', '--workers', '2', '--backend', 'wasm'], { env });
    assert.equal(r.code, 0, r.stderr);
    const sweep = onlyRun(join(dir, to), 'sw');
    return readFileSync(join(sweep, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -1));
  };
  const a = summary(bundled, 'a');
  assert.equal(a.length, 3);
  assert.deepEqual(a, summary(modules, 'b'));
});

test('a trial process loads the bundle with its cache and answers over IPC as before', { skip }, async () => {
  const child = fork(join(root, 'dist/src/cli/trial-entry.js'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], env: { ...process.env, ...bundled } });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const answer = new Promise((resolve) => child.once('message', resolve));
  child.send({ type: 'evaluate', runDir: join(tempDir(), 'no-such-run'), split: 'test' });
  const message = (await answer) as { type: string; exitCode: number };
  const code = await new Promise((resolve) => child.on('exit', resolve));
  assert.equal(loadLine(stderr), 'dlx: loaded from the bundle (code cache accepted)');
  assert.equal(message.type, 'error');
  assert.equal(code, message.exitCode);
});

test('a bundle older than dist/src is not used, nor a cache V8 rejects', { skip }, () => {
  // a copy of the checkout's code (the ES modules, the bundle, bin), so that its files' times can change
  const copy = tempDir();
  cpSync(join(root, 'dist/src'), join(copy, 'dist/src'), { recursive: true, filter: (f) => !f.endsWith('.map') && !f.endsWith('.test.js') });
  cpSync(join(root, 'dist/bundle'), join(copy, 'dist/bundle'), { recursive: true });
  mkdirSync(join(copy, 'bin'));
  cpSync(join(root, 'bin/dlx.js'), join(copy, 'bin/dlx.js'));
  cpSync(join(root, 'package.json'), join(copy, 'package.json'));
  symlinkSync(join(root, 'node_modules'), join(copy, 'node_modules'));
  const run = () => spawnSync(process.execPath, [join(copy, 'bin/dlx.js'), 'runs', copy], { encoding: 'utf8', env: { ...process.env, ...bundled } });
  assert.equal(loadLine(run().stderr), 'dlx: loaded from the bundle (code cache accepted)');
  // a cache V8 rejects (not this script's): the script compiles as it runs
  const cache = readFileSync(join(copy, 'dist/bundle/dlx.cache'));
  writeFileSync(join(copy, 'dist/bundle/dlx.cache'), cache.subarray(0, cache.length >> 1));
  assert.equal(loadLine(run().stderr), 'dlx: loaded from the bundle (code cache not used)');
  // `tsc` after the bundle was built: dist/src is newer
  const old = new Date(Date.now() - 3600_000);
  utimesSync(join(copy, 'dist/bundle/dlx.js'), old, old);
  const stale = run();
  assert.equal(loadLine(stale.stderr), 'dlx: loaded from the ES modules (bundle older than dist/src)');
  assert.equal(stale.status, 0);
  assert.equal(stale.stdout, dlx(['runs', copy]).stdout);
});
