// Runs that cannot end up inconsistent, with real processes and real signals: the run folder lock,
// a process killed after the last epoch (resume finishes the run's end), a Ctrl-C that lands in
// the middle of an epoch, a run killed before its first epoch, and `dlx runs` on damaged folders.
// DLX_TEST_SIGNAL (src/cli/test-hooks.ts) makes dlx signal itself at an exact point of training.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { test } from 'node:test';
import { dlx, root, tempDir } from './helpers.js';

const quickstart = join(root, 'configs/quickstart.yaml');
const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const curveRows = (run: string) => readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(',')); // timing columns aside
const same = (a: string, b: string, file: string) => assert.ok(readFileSync(join(a, file)).equals(readFileSync(join(b, file))), `${file} is byte-identical`);

function onlyRun(runsDir: string, name: string): string {
  const folders = readdirSync(join(runsDir, name)).filter((f) => !f.startsWith('.'));
  assert.equal(folders.length, 1, `one run folder, found ${folders.join(', ')}`);
  return join(runsDir, name, folders[0]);
}

/** The training state a checkpoint carries in its safetensors header. */
function checkpointState(path: string): { epoch: number; partial?: { epoch: number; batch: number }; stopped?: unknown } {
  const bytes = readFileSync(path);
  const header = JSON.parse(bytes.subarray(8, 8 + Number(bytes.readBigUInt64LE(0))).toString());
  return JSON.parse(header.__metadata__.state);
}

/** metrics.json without what differs between two processes (timings, the resume records). */
function comparableMetrics(run: string) {
  const { resumes: _resumes, final, ...rest } = json(join(run, 'metrics.json'));
  const { seconds: _s, train_seconds: _t, ...finalRest } = final;
  return { ...rest, final: finalRest };
}

function assertSameRun(a: string, b: string): void {
  assert.deepEqual(curveRows(a), curveRows(b));
  same(a, b, 'checkpoints/last.safetensors');
  same(a, b, 'checkpoints/best.safetensors');
  assert.deepEqual(comparableMetrics(a), comparableMetrics(b));
}

/** Digits with two samples a batch: 720 batches and ~0.1–0.2 s an epoch, so the loop yields inside epochs. */
function slowSpec(dir: string, epochs: number, units = 128): string {
  const path = join(dir, 'slow.yaml');
  writeFileSync(path, `name: slow
seed: 5
data: {dataset: digits, normalize: [zscore]}
model:
  layers: [{type: dense, units: ${units}, init: he-normal}, relu, {type: dense, units: 10}]
optimizer: {type: adam, lr: 0.001}
train: {epochs: ${epochs}, batchSize: 2}
`);
  return path;
}

/** A running dlx; `printed` resolves once stdout holds `lines` lines. */
function start(args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
  let stdout = '';
  let stderr = '';
  const waiting: { lines: number; resolve: () => void }[] = [];
  child.stdout.on('data', (d) => {
    stdout += d;
    for (const w of waiting) if (stdout.split('\n').length > w.lines) w.resolve();
  });
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  const printed = (lines: number) => new Promise<void>((resolve) => waiting.push({ lines, resolve }));
  return { child, done, printed };
}

test('a second resume of a run in use is refused (exit 6) naming the process; a SIGKILLed holder\'s lock is taken over', async () => {
  const dir = tempDir();
  const spec = slowSpec(dir, 40);
  const runs = join(dir, 'runs');
  const killed = await start(['train', spec, '--runs-dir', runs, '--quiet', '--threads', '1'], { DLX_TEST_SIGNAL: 'SIGKILL@2:1' }).done;
  assert.equal(killed.signal, 'SIGKILL');
  const run = onlyRun(runs, 'slow');
  const stale = json(join(run, '.lock'));
  assert.equal(stale.host, hostname());
  assert.equal(stale.command, 'dlx train');

  const first = start(['resume', run, '--json', '--threads', '1']);
  // an epoch done: it holds the lock it took over from the dead train
  await Promise.race([first.printed(1), first.done.then((r) => assert.fail(`the first resume ended early: ${r.code} ${r.stderr}`))]);
  const holder = json(join(run, '.lock'));
  assert.equal(holder.pid, first.child.pid);
  const second = dlx(['resume', run]);
  assert.equal(second.code, 6, second.stderr);
  assert.match(second.stderr, new RegExp(`^error ${run} is in use by process ${first.child.pid} on ${hostname()} \\(since [\\dT:.Z-]+: dlx resume\\); wait for it to end, or stop it\\n$`));
  first.child.kill('SIGINT');
  const stopped = await first.done;
  assert.equal(stopped.code, 130, stopped.stderr);
  assert.equal(existsSync(join(run, '.lock')), false, 'the lock is released on the way out');
  assert.equal(json(join(run, 'metrics.json')).status, 'interrupted');
});

test('killed after its last epoch, before its end is written, a run is finished by resume: test metrics, restored weights, same bytes', async () => {
  const dir = tempDir();
  const args = ['--set', 'train.epochs=12', '--set', 'data.split.test=0.2', '--set', 'train.test=true',
    '--set', 'train.earlyStopping={monitor: val_acc, patience: 100, restoreBest: true}', '--quiet'];
  const straight = dlx(['train', quickstart, '--runs-dir', join(dir, 'a'), ...args]);
  assert.equal(straight.code, 0, straight.stderr);
  const reference = onlyRun(join(dir, 'a'), 'quickstart');
  const expected = json(join(reference, 'metrics.json'));
  assert.ok(expected.restoredBest < 12 && expected.test, 'the reference run restores an earlier epoch and has test metrics');

  const killed = await start(['train', quickstart, '--runs-dir', join(dir, 'b'), ...args], { DLX_TEST_SIGNAL: 'SIGKILL@end' }).done;
  assert.equal(killed.signal, 'SIGKILL');
  const run = onlyRun(join(dir, 'b'), 'quickstart');
  const before = json(join(run, 'metrics.json'));
  assert.equal(before.status, 'running', 'not finished until its end is written');
  assert.equal(before.epochs, 12);
  assert.equal(before.test, undefined);
  assert.ok(checkpointState(join(run, 'checkpoints/last.safetensors')).stopped, 'the last epoch is in the checkpoint');
  assert.equal(dlx(['runs', join(dir, 'b'), '--json']).stdout.includes('"status":"killed"'), true);

  const resumed = dlx(['resume', run]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /^done .*\nfinal epoch \d+ \(weights of epoch \d+ restored\): .*\ntest: loss \d\.\d{4} accuracy [\d.]+%\n(plots .*\n)?$/);
  assertSameRun(run, reference);
  assert.equal(json(join(run, 'metrics.json')).resumes.length, 1);
  // an ended run stays ended, whatever happens to a later resume
  const again = dlx(['resume', run], { env: { DLX_TEST_SIGNAL: 'SIGINT@1:1' } });
  assert.equal(again.code, 0);
  assert.match(again.stdout, /^nothing to resume: .* already ended after epoch 12 \(finished\)\n$/);
  assert.equal(json(join(run, 'metrics.json')).status, 'finished');
});

test('Ctrl-C in the middle of an epoch: the checkpoint holds the batch reached, and the resumed run equals an uninterrupted one', async () => {
  const dir = tempDir();
  // 512 units on the reference backend: an epoch of about 0.6 s, so that the 50–100 ms until
  // the loop sees the signal are a few dozen batches, not the rest of the epoch (with 128 units
  // an epoch took 0.15 s once the code around the kernels got faster, and a busy CI machine
  // once let it end)
  const spec = slowSpec(dir, 3, 512);
  const straight = dlx(['train', spec, '--runs-dir', join(dir, 'a'), '--quiet', '--threads', '1', '--backend', 'reference']);
  assert.equal(straight.code, 0, straight.stderr);
  // SIGINT raised after batch 5 of epoch 2; the loop sees it at its next yield, a few batches on
  const stopped = await start(['train', spec, '--runs-dir', join(dir, 'b'), '--json', '--threads', '1', '--backend', 'reference'], { DLX_TEST_SIGNAL: 'SIGINT@2:5' }).done;
  assert.equal(stopped.code, 130, stopped.stderr);
  const run = onlyRun(join(dir, 'b'), 'slow');
  const state = checkpointState(join(run, 'checkpoints/last.safetensors'));
  assert.equal(state.epoch, 1);
  assert.equal(state.partial?.epoch, 2);
  assert.ok(state.partial.batch > 5 && state.partial.batch < 720, `stopped inside epoch 2, after batch ${state.partial.batch}`);
  assert.match(stopped.stderr, new RegExp(`error interrupted during epoch 2 \\(after batch ${state.partial.batch} of 720\\)`));
  const resumed = dlx(['resume', run, '--quiet']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.equal(json(join(run, 'metrics.json')).resumes[0].batch, state.partial.batch);
  assertSameRun(run, onlyRun(join(dir, 'a'), 'slow'));
});

test('a run killed before its first epoch: resume takes the printed path, runs lists it, runs --clean removes only abandoned ones', async () => {
  const dir = tempDir();
  const runs = join(dir, 'runs');
  const args = ['train', quickstart, '--runs-dir', runs, '--set', 'train.epochs=3'];
  const killed = await start(args, { DLX_TEST_SIGNAL: 'SIGKILL@1:1' }).done;
  assert.equal(killed.signal, 'SIGKILL');
  const printed = /^run folder (\S+) \(it appears when epoch 1 is written\)$/m.exec(killed.stdout)?.[1];
  assert.ok(printed, killed.stdout);
  assert.equal(existsSync(printed), false);
  const staging = join(dirname(printed), `.${basename(printed)}.partial`);
  assert.ok(existsSync(staging));
  const listed = JSON.parse(dlx(['runs', runs, '--json']).stdout);
  assert.deepEqual(listed.map((r: { folder: string; status: string }) => [r.folder, r.status]), [[basename(staging), 'abandoned']]);

  const resumed = dlx(['resume', printed, '--quiet']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, new RegExp(`^done ${printed}\\n`));
  assert.equal(existsSync(staging), false);
  const straight = dlx([...args.slice(0, 3), join(dir, 'straight'), ...args.slice(4), '--quiet']);
  assert.equal(straight.code, 0, straight.stderr);
  assertSameRun(printed, onlyRun(join(dir, 'straight'), 'quickstart'));

  // another killed one is cleaned; a staging folder whose process lives is kept
  await start(args, { DLX_TEST_SIGNAL: 'SIGKILL@1:1' }).done;
  const abandoned = readdirSync(join(runs, 'quickstart')).filter((f) => f.endsWith('.partial'));
  assert.equal(abandoned.length, 1);
  const alive = join(runs, 'quickstart', '.20260101-000000-aaaaaa.partial');
  mkdirSync(alive);
  writeFileSync(join(alive, '.lock'), JSON.stringify({ pid: process.pid, host: hostname(), startedAt: new Date().toISOString() }));
  const clean = dlx(['runs', runs, '--clean']);
  assert.equal(clean.code, 0, clean.stderr);
  assert.equal(clean.stdout, `removed ${join(runs, 'quickstart', abandoned[0])}\n`);
  assert.ok(existsSync(alive) && existsSync(printed));
  assert.equal(dlx(['runs', runs, '--clean']).stdout, `no abandoned staging folders in ${runs}\n`);
});

test('dlx runs: the best epoch and its monitor, test metrics, damaged folders with reasons; reproduce refuses a damaged run', () => {
  const dir = tempDir();
  const runs = join(dir, 'runs');
  const train = (name: string, ...extra: string[]) => assert.equal(dlx(['train', quickstart, '--runs-dir', runs, '--quiet', '--name', name, '--set', 'train.epochs=3', ...extra]).code, 0);
  train('plain');
  train('tested', '--set', 'data.split.test=0.2', '--set', 'train.test=true', '--set', 'train.earlyStopping={monitor: val_acc, patience: 9}');
  for (const name of ['curve', 'metrics', 'garbage']) cpSync(join(runs, 'plain'), join(runs, name), { recursive: true });
  const damaged = (name: string) => onlyRun(runs, name);
  // a curve.csv that lost its last row, a metrics.json whose best disagrees, one that is not JSON
  const curvePath = join(damaged('curve'), 'curve.csv');
  writeFileSync(curvePath, readFileSync(curvePath, 'utf8').trim().split('\n').slice(0, -1).join('\n') + '\n');
  const metricsPath = join(damaged('metrics'), 'metrics.json');
  const m = json(metricsPath);
  m.best.val_acc = 1;
  writeFileSync(metricsPath, JSON.stringify(m));
  writeFileSync(join(damaged('garbage'), 'metrics.json'), '{"status": "fini');
  // a sweep's folders are left to the sweep listing, and break nothing
  mkdirSync(join(runs, 'plain', 'sweep-20260101-000000-abcdef', 'trials', '0', 'fold-1'), { recursive: true });

  const r = dlx(['runs', runs]);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.split('\n');
  assert.match(lines[0], /^name +run +started +status +epochs +best epoch \(by\) +val_loss@best +val_acc@best +test_loss +test_acc$/);
  assert.match(r.stdout, /\ntested +\S+ +[\d: -]+ +finished +3 +\d \(val_acc\) +\d\.\d{4} +[\d.]+% +\d\.\d{4} +[\d.]+%\n/);
  assert.match(r.stdout, /\nplain +\S+ +[\d: -]+ +finished +3 +\d \(val_loss\) +\d\.\d{4} +[\d.]+% +- +-\n/);
  for (const name of ['curve', 'metrics', 'garbage']) assert.match(r.stdout, new RegExp(`\\n${name} +\\S+ +[\\d: -]+ +damaged `));
  assert.match(r.stdout, /\ndamaged \S+curve\S+: metrics\.json says 3 epochs, curve\.csv has 2\n/);
  assert.match(r.stdout, /\ndamaged \S+metrics\S+: metrics\.json: best epoch \d has val_loss [\d.]+, val_acc 1; curve\.csv has [\d.]+, [\d.]+\n/);
  assert.match(r.stdout, /\ndamaged \S+garbage\S+: metrics\.json: not valid JSON\n/);
  const rows = JSON.parse(dlx(['runs', runs, '--json']).stdout);
  assert.equal(rows.length, 5);
  const tested = rows.find((x: { name: string }) => x.name === 'tested');
  assert.deepEqual([tested.bestMonitor, typeof tested.testAcc], ['val_acc', 'number']);

  const reproduce = dlx(['reproduce', damaged('metrics')]);
  assert.equal(reproduce.code, 1);
  assert.match(reproduce.stderr, /^error \S+ does not reproduce: its files disagree:\n {2}metrics\.json: best epoch \d has val_loss/);
  const missing = dlx(['runs', join(dir, 'nothing-here')]);
  assert.equal(missing.code, 3);
  assert.equal(missing.stderr, `error ${join(dir, 'nothing-here')}: no such runs directory\n`);
});
