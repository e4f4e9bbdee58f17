// dlx sweep end to end: grid order, random with 2 workers equal to 1, TPE with pruning, k-fold
// cross-validation, SIGKILL mid-sweep then resume equal to an uninterrupted sweep, bad sweep specs.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { dlx, gitHead, root, tempDir } from './helpers.js';
import { mlpSpec } from './specs.js';

const base = (name: string, epochs = 4) => mlpSpec({ name, seed: 42, dataset: 'iris', epochs, batchSize: 16, units: 16, bias: 0.1 });

function write(dir: string, name: string, text: string): string {
  const path = join(dir, `${name}.yaml`);
  writeFileSync(path, text);
  return path;
}

function onlySweep(runsDir: string, name: string): string {
  const folders = readdirSync(join(runsDir, name)).filter((f) => f.startsWith('sweep-'));
  assert.equal(folders.length, 1, `one sweep folder, found ${folders.join(', ')}`);
  return join(runsDir, name, folders[0]);
}

/** summary.csv without the seconds column (timing is the one thing allowed to differ). */
function summary(sweepDir: string): string[][] {
  return readFileSync(join(sweepDir, 'summary.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -1));
}

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));
const curveWithoutTimes = (run: string) => readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').map((l) => l.split(',').slice(0, -2).join(','));

test('a grid sweep runs every combination in grid order; each trial is a run folder eval can read', () => {
  const dir = tempDir();
  const spec = write(dir, 'grid', base('grid') + `sweep:
  method: grid
  metric: val_acc
  params:
    optimizer.lr: {grid: [0.01, 0.1]}
    model.layers.0.units: {int: [8, 16], step: 8}
`);
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs')]);
  assert.equal(r.code, 0, r.stderr);
  const sweep = onlySweep(join(dir, 'runs'), 'grid');
  const rows = summary(sweep);
  const head = gitHead();
  assert.deepEqual(rows[0], ['trial', 'status', 'optimizer.lr', 'model.layers.0.units', 'value', 'std', 'fold_values', 'best_epoch']);
  assert.deepEqual(rows.slice(1).map((c) => c.slice(0, 4)), [
    ['0', 'finished', '0.01', '8'], ['1', 'finished', '0.01', '16'], ['2', 'finished', '0.1', '8'], ['3', 'finished', '0.1', '16'],
  ]);
  // the objective is the metric at the trial's best epoch, read from its own curve
  for (const row of rows.slice(1)) {
    const curve = readFileSync(join(sweep, 'trials', row[0], 'curve.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]));
    assert.equal(Number(row[4]), Math.max(...curve));
    assert.equal(Number(row[7]), curve.indexOf(Math.max(...curve)) + 1);
    const resolved = json(join(sweep, 'trials', row[0], 'resolved.json'));
    assert.equal(resolved.optimizer.lr, Number(row[2]));
    assert.equal(resolved.model.layers[0].units, Number(row[3]));
    assert.equal(resolved.data.split.seed, 42, 'every trial validates on the rows of the spec seed');
    assert.equal(json(join(sweep, 'trials', row[0], 'env.json')).gitCommit, head, "the coordinator's git commit, in every trial");
  }
  const best = json(join(sweep, 'best.json'));
  const values = rows.slice(1).map((c) => Number(c[4]));
  assert.equal(best.value, Math.max(...values));
  assert.equal(best.trial, values.indexOf(Math.max(...values)));
  const ev = dlx(['eval', join(sweep, 'trials', '2'), '--json']);
  assert.equal(ev.code, 0, ev.stderr);
  const journal = readFileSync(join(sweep, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(journal.filter((e) => e.event === 'ended').map((e) => e.trial).sort(), [0, 1, 2, 3]);
  assert.equal(journal.filter((e) => e.event === 'epoch').length, 16);
  // epochs are reported in bursts (at most every 50 ms): every epoch still gets its line, in order, with the curve's value
  for (const row of rows.slice(1)) {
    const curve = readFileSync(join(sweep, 'trials', row[0], 'curve.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]));
    const epochs = journal.filter((e) => e.event === 'epoch' && e.trial === Number(row[0]));
    assert.deepEqual(epochs.map((e) => [e.epoch, e.value]), curve.map((v, i) => [i + 1, v]));
  }
});

const launches = (sweepDir: string) => readFileSync(join(sweepDir, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'launch');
const checkpoints = (run: string) => readdirSync(join(run, 'checkpoints')).sort().map((f) => readFileSync(join(run, 'checkpoints', f)));

test('a random sweep with a pruner on 2 workers (reused processes) gives the same trials, values, pruning decisions and results as on 1 (a fresh process per trial)', () => {
  const dir = tempDir();
  const spec = write(dir, 'rand', base('rand', 3) + `sweep:
  method: random
  trials: 4
  seed: 5
  metric: val_loss
  pruner: {type: median, startupTrials: 1}
  params:
    optimizer.lr: {log-uniform: [0.001, 0.5]}
    train.batchSize: {choice: [8, 32]}
`);
  const one = dlx(['sweep', spec, '--runs-dir', join(dir, 'one'), '--workers', '1', '--set', 'sweep.processes=fresh']);
  assert.equal(one.code, 0, one.stderr);
  const two = dlx(['sweep', spec, '--runs-dir', join(dir, 'two'), '--workers', '2', '--json']);
  assert.equal(two.code, 0, two.stderr);
  const [a, b] = [onlySweep(join(dir, 'one'), 'rand'), onlySweep(join(dir, 'two'), 'rand')];
  assert.deepEqual(summary(a), summary(b));
  for (const t of ['0', '1', '2', '3']) {
    assert.deepEqual(curveWithoutTimes(join(a, 'trials', t)), curveWithoutTimes(join(b, 'trials', t)));
    assert.deepEqual(checkpoints(join(a, 'trials', t)), checkpoints(join(b, 'trials', t)));
  }
  // a process per trial, against two processes that took the four trials between them
  assert.equal(new Set(launches(a).map((e) => e.pid)).size, 4);
  assert.equal(new Set(launches(b).map((e) => e.pid)).size, 2);
  const lrs = summary(a).slice(1).map((c) => Number(c[2]));
  assert.equal(new Set(lrs).size, 4, 'four different draws');
  // --json: one object per line, trial events and a final done
  const events = two.stdout.trim().split('\n').map((l) => JSON.parse(l));
  assert.equal(events.at(-1).event, 'done');
  assert.equal(events.filter((e) => e.event === 'trial-end').length, 4);
});

test('TPE with the median pruner: pruned trials keep their folder and curve, with status pruned', () => {
  const dir = tempDir();
  const spec = write(dir, 'tpe', base('tpe', 6) + `sweep:
  method: tpe
  trials: 10
  metric: val_loss
  pruner: {type: median, startupTrials: 2, warmupEpochs: 1}
  tpe: {startupTrials: 4}
  params:
    optimizer.lr: {log-uniform: [0.0001, 1]}
`);
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs'), '--quiet']);
  assert.equal(r.code, 0, r.stderr);
  const sweep = onlySweep(join(dir, 'runs'), 'tpe');
  const rows = summary(sweep).slice(1);
  assert.equal(rows.length, 10);
  const pruned = rows.filter((c) => c[1] === 'pruned');
  assert.ok(pruned.length > 0, `some trials pruned: ${rows.map((c) => c[1])}`);
  for (const p of pruned) {
    const run = join(sweep, 'trials', p[0]);
    assert.equal(json(join(run, 'metrics.json')).status, 'pruned');
    const epochs = readFileSync(join(run, 'curve.csv'), 'utf8').trim().split('\n').length - 1;
    assert.ok(epochs >= 2 && epochs < 6, `stopped after the warm-up and before the end: ${epochs}`);
  }
  // the same spec again gives the same trials and decisions
  const again = dlx(['sweep', spec, '--runs-dir', join(dir, 'again'), '--quiet']);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(summary(onlySweep(join(dir, 'again'), 'tpe')), summary(sweep));
});

test('3-fold cross-validation: each trial trains three folds; the objective is their mean, with the spread', () => {
  const dir = tempDir();
  const spec = write(dir, 'cv', base('cv', 3) + `sweep:
  method: grid
  folds: 3
  metric: val_acc
  params:
    optimizer.lr: {grid: [0.05, 0.2]}
`);
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs')]);
  assert.equal(r.code, 0, r.stderr);
  const sweep = onlySweep(join(dir, 'runs'), 'cv');
  for (const row of summary(sweep).slice(1)) {
    const folds = [1, 2, 3].map((k) => join(sweep, 'trials', row[0], `fold-${k}`));
    const best = folds.map((f) => Math.max(...readFileSync(join(f, 'curve.csv'), 'utf8').trim().split('\n').slice(1).map((l) => Number(l.split(',')[6]))));
    assert.deepEqual(row[5].split(';').map(Number), best);
    const mean = best.reduce((a, b) => a + b, 0) / 3;
    assert.ok(Math.abs(Number(row[3]) - mean) < 1e-12);
    assert.ok(Math.abs(Number(row[4]) - Math.sqrt(best.reduce((a, v) => a + (v - mean) ** 2, 0) / 3)) < 1e-12);
    // normalizers are fitted on each fold's training part: three different z-score fits, none on all rows
    const means = folds.map((f) => JSON.stringify(json(join(f, 'preprocessing.json')).steps[0]));
    assert.equal(new Set(means).size, 3);
    // each fold validates on a third of the 150 rows
    for (const f of folds) {
      const ev = JSON.parse(dlx(['eval', f, '--json']).stdout);
      assert.equal(ev.count, 50);
      assert.equal(json(join(f, 'resolved.json')).data.split.fold.k, 3);
    }
  }
});

test('bad sweep specs: exit 2 with file:line:col for each problem, before any trial, nothing written', () => {
  const dir = tempDir();
  const spec = write(dir, 'bad', base('bad') + `sweep:
  method: grid
  trials: 3
  metric: val_accuracy
  params:
    optimizer.lr: {uniform: [-1, 0.1], step: 0.1}
    optimizer.momentun: {grid: [0.5, 0.9]}
    model.layers.0.units: {int: [64, 8]}
    train.batchSize: {choice: []}
    data.normalize.0.components: {log-int: [0, 4]}
`);
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs')]);
  assert.equal(r.code, 2, r.stderr);
  assert.doesNotMatch(r.stderr, /internal error|at .*\.js/);
  const at = (text: string, needle: string) => `:${text.split('\n').findIndex((l) => l.includes(needle)) + 1}:\\d+: `;
  const text = readFileSync(spec, 'utf8');
  for (const [needle, message] of [
    ['model.layers.0.units:', 'sweep\\.params\\.model\\.layers\\.0\\.units\\.int: reversed bounds: low 64 is above high 8'],
    ['train.batchSize:', 'sweep\\.params\\.train\\.batchSize\\.choice: an empty choice'],
    ['data.normalize.0.components:', 'sweep\\.params\\.data\\.normalize\\.0\\.components\\.log-int: log bounds must be above 0, found low 0'],
  ]) assert.match(r.stderr, new RegExp(`bad\\.yaml${at(text, needle)}${message}`));
  assert.ok(!existsSync(join(dir, 'runs')), 'nothing written');

  // once the space parses: values outside the key's range, unknown keys, metric, grid size
  const spec2 = write(dir, 'bad2', base('bad2') + `sweep:
  method: grid
  trials: 3
  metric: val_accuracy
  params:
    optimizer.lr: {uniform: [-1, 0.1], step: 0.55}
    optimizer.momentun: {grid: [0.5, 0.9]}
`);
  const r2 = dlx(['sweep', spec2, '--runs-dir', join(dir, 'runs')]);
  assert.equal(r2.code, 2, r2.stderr);
  const text2 = readFileSync(spec2, 'utf8');
  for (const [needle, message] of [
    ['optimizer.lr:', "sweep\\.params\\.optimizer\\.lr: at its low -1: optimizer\\.lr: expected a number > 0"],
    ['optimizer.momentun:', "sweep\\.params\\.optimizer\\.momentun: .*unknown key 'momentun' \\(did you mean 'momentum'\\?\\)"],
    ['metric:', "sweep\\.metric: unknown metric 'val_accuracy'"],
    ['trials:', 'sweep\\.trials: the grid has 6 points, more than the budget of 3 trials'],
  ]) assert.match(r2.stderr, new RegExp(`bad2\\.yaml${at(text2, needle)}${message}`));
  assert.ok(!existsSync(join(dir, 'runs')), 'nothing written');

  // dlx train refuses a sweep spec, and says what to run instead
  const t = dlx(['train', spec2, '--runs-dir', join(dir, 'runs')]);
  assert.equal(t.code, 2);
  assert.match(t.stderr, /bad2\.yaml:15:\d+: sweep: this spec describes a sweep: run it with dlx sweep/);
});

/**
 * A sweep slow enough to be killed mid-trial; its trials write their files after every epoch unless
 * told. Trials report their epochs every 50 ms (trial-child.ts), so a test that acts on a trial's
 * nth epoch acts up to 50 ms later: 150 epochs keep a trial running well beyond that.
 */
const slow = (name: string, writeEvery = 0, epochs = 150) => `name: ${name}
seed: 3
data: {dataset: breast-cancer-diagnostic, normalize: [zscore]}
model:
  layers: [{type: dense, units: 48, init: he-normal}, relu, {type: dense, units: 2}]
optimizer: {type: adam, lr: 0.001}
train: {epochs: ${epochs}, batchSize: 8}
sweep:
  method: random
  trials: 3
  metric: val_loss
  writeEvery: ${writeEvery}
  params:
    optimizer.lr: {log-uniform: [0.0005, 0.005]}
`;

const slowDir = tempDir();
/** The slow sweep's spec, in one place: checkpoints embed the spec file's path, and each test compares with one reference. */
const slowSpec = () => write(slowDir, 'slow', slow('slow'));

let slowReference: string | undefined;
/** The slow sweep run without interruption, once, for the tests that compare with it. */
function uninterrupted(dir: string, spec: string): string {
  if (slowReference) return slowReference;
  const whole = dlx(['sweep', spec, '--runs-dir', join(dir, 'whole'), '--quiet']);
  assert.equal(whole.code, 0, whole.stderr);
  return (slowReference = onlySweep(join(dir, 'whole'), 'slow'));
}

/** Starts the sweep; once `trial` has reported `epochs` epochs, `act` (kill the coordinator, or a trial's process). */
function sweepUntil(spec: string, runs: string, trial: number, epochs: number, act: (child: ReturnType<typeof spawn>) => void, extra: string[] = []): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, [join(root, 'bin/dlx.js'), 'sweep', spec, '--runs-dir', runs, '--json', ...extra], { env: { ...process.env, NO_COLOR: '1' } });
  let out = '';
  let stderr = '';
  let done = false;
  child.stderr.on('data', (d) => (stderr += d));
  return new Promise((resolve) => {
    child.stdout.on('data', (d) => {
      out += d;
      if (!done && out.split('\n').filter((l) => l.includes('"trial-epoch"') && l.includes(`"trial":${trial},`)).length >= epochs) {
        done = true;
        act(child);
      }
    });
    child.on('close', (code) => resolve({ code, stderr }));
  });
}

function assertSameSweep(sweep: string, reference: string): void {
  assert.deepEqual(summary(sweep), summary(reference));
  for (const t of ['0', '1', '2']) {
    assert.deepEqual(curveWithoutTimes(join(sweep, 'trials', t)), curveWithoutTimes(join(reference, 'trials', t)));
    assert.deepEqual(readFileSync(join(sweep, 'trials', t, 'checkpoints/last.safetensors')), readFileSync(join(reference, 'trials', t, 'checkpoints/last.safetensors')));
  }
}

test('a sweep killed with SIGKILL mid-trial and resumed ends identical to an uninterrupted sweep', async () => {
  const dir = tempDir();
  const spec = slowSpec();
  const reference = uninterrupted(dir, spec);
  const runs = join(dir, 'killed');
  // the second trial is some epochs in: kill the coordinator outright
  await sweepUntil(spec, runs, 1, 5, (child) => child.kill('SIGKILL'));
  const sweep = onlySweep(runs, 'slow');
  const before = summary(sweep).slice(1);
  assert.ok(before.some((c) => c[1] === 'finished'), 'trial 0 had finished');
  assert.ok(before.some((c) => c[1] === 'running'), 'trial 1 was running');
  const resumed = dlx(['resume', sweep]);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertSameSweep(sweep, reference);
  // a finished sweep resumed again has nothing left to do
  const again = dlx(['resume', sweep]);
  assert.equal(again.code, 0, again.stderr);
  assert.deepEqual(summary(sweep), summary(reference));
});

test('Ctrl-C stops every trial resumably (exit 130); dlx resume finishes the sweep as if uninterrupted', async () => {
  const dir = tempDir();
  const spec = slowSpec();
  const reference = uninterrupted(dir, spec);
  const runs = join(dir, 'stopped');
  const r = await sweepUntil(spec, runs, 1, 3, (child) => child.kill('SIGINT'));
  assert.equal(r.code, 130, r.stderr);
  assert.match(r.stderr, /sweep interrupted; .*\nresume with: dlx resume /);
  const sweep = onlySweep(runs, 'slow');
  const journal = readFileSync(join(sweep, 'journal.jsonl'), 'utf8');
  assert.match(journal, /"event":"interrupted","trial":1/);
  const metrics = json(join(sweep, 'trials', '1', 'metrics.json'));
  assert.equal(metrics.status, 'interrupted');
  // what a queue coordinator killed mid-delivery leaves: hidden staging folders, removed on resume
  for (const d of [join(sweep, 'trials', '.1.delivery'), join(sweep, 'trials', '0', '.fold-1.delivery')]) {
    mkdirSync(d, { recursive: true });
    writeFileSync(join(d, 'curve.csv'), 'half');
  }
  const resumed = dlx(['resume', sweep, '--json']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.ok(!existsSync(join(sweep, 'trials', '.1.delivery')) && !existsSync(join(sweep, 'trials', '0', '.fold-1.delivery')));
  assertSameSweep(sweep, reference);
});

test('sweep.writeEvery: a trial killed between writes redoes its epochs to the same bytes; Ctrl-C writes the epochs trained since the last write', async () => {
  const dir = tempDir();
  // the trials write their files only after their last epoch, when pruned, or on Ctrl-C; with
  // epochs enough that a trial five epochs in is still running when the signal lands
  const spec = write(dir, 'lazy', slow('lazy', 3600, 300));
  const whole = dlx(['sweep', spec, '--runs-dir', join(dir, 'whole'), '--quiet', '--no-plots']);
  assert.equal(whole.code, 0, whole.stderr);
  const reference = onlySweep(join(dir, 'whole'), 'lazy');
  const crash = join(dir, 'crash');
  let written = true;
  const r = await sweepUntil(spec, crash, 1, 5, () => {
    const sweep = onlySweep(crash, 'lazy');
    written = existsSync(join(sweep, 'trials', '1', 'checkpoints', 'last.safetensors'));
    const launch = readFileSync(join(sweep, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'launch' && e.trial === 1).at(-1);
    process.kill(launch.pid, 'SIGKILL');
  }, ['--no-plots']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(written, false, 'five epochs in, trial 1 had written no checkpoint');
  assertSameSweep(onlySweep(crash, 'lazy'), reference);
  const stopped = join(dir, 'stopped');
  const s = await sweepUntil(spec, stopped, 1, 5, (child) => child.kill('SIGINT'), ['--no-plots']);
  assert.equal(s.code, 130, s.stderr);
  const sweep = onlySweep(stopped, 'lazy');
  const rows = readFileSync(join(sweep, 'trials', '1', 'curve.csv'), 'utf8').trim().split('\n').length - 1;
  assert.ok(rows >= 5, `curve.csv of trial 1 has the ${rows} epochs trained before Ctrl-C`);
  assert.equal(json(join(sweep, 'trials', '1', 'metrics.json')).epochs, rows);
  const resumed = dlx(['resume', sweep, '--no-plots']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assertSameSweep(sweep, reference);
});

test("a trial whose process is killed is retried from its checkpoint, and the sweep ends as if nothing happened", async () => {
  const dir = tempDir();
  const spec = slowSpec();
  const reference = uninterrupted(dir, spec);
  const runs = join(dir, 'crash');
  const r = await sweepUntil(spec, runs, 0, 4, () => {
    const sweep = onlySweep(runs, 'slow');
    const launch = readFileSync(join(sweep, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).find((e) => e.event === 'launch' && e.trial === 0);
    process.kill(launch.pid, 'SIGKILL');
  });
  assert.equal(r.code, 0, r.stderr);
  const sweep = onlySweep(runs, 'slow');
  const retries = readFileSync(join(sweep, 'journal.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((e) => e.event === 'retry');
  assert.equal(retries.length, 1);
  assert.match(retries[0].reason, /killed by SIGKILL/);
  assertSameSweep(sweep, reference);
});

test('--set reaches the sweep section: sweep.trials=2 runs two trials (--no-plots: no plots/); a bad --set value is named with its position', () => {
  const dir = tempDir();
  const spec = write(dir, 'set', base('set', 1) + `sweep:
  method: random
  trials: 20
  metric: val_loss
  params:
    optimizer.lr: {log-uniform: [0.01, 0.5]}
`);
  const r = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs'), '--set', 'sweep.trials=2', '--set', 'train.epochs=2', '--no-plots']);
  assert.equal(r.code, 0, r.stderr);
  const sweep = onlySweep(join(dir, 'runs'), 'set');
  assert.deepEqual(summary(sweep).slice(1).map((c) => c[0]), ['0', '1']);
  // --no-plots: the sweep draws no plots/ (and says none)
  assert.ok(!existsSync(join(sweep, 'plots')));
  assert.doesNotMatch(r.stdout, /^plots /m);
  assert.equal(json(join(sweep, 'trials', '1', 'resolved.json')).train.epochs, 2);
  const bad = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs2'), '--set', 'sweep.trials=0']);
  assert.equal(bad.code, 2, bad.stderr);
  assert.match(bad.stderr, /set\.yaml:\d+:\d+ \(with --set sweep\.trials=0\): sweep\.trials: expected a number ≥ 1, found 0/);
  assert.ok(!existsSync(join(dir, 'runs2')), 'nothing written');
  const lazy = dlx(['sweep', spec, '--runs-dir', join(dir, 'runs2'), '--set', 'sweep.writeEvery=-1']);
  assert.equal(lazy.code, 2, lazy.stderr);
  assert.match(lazy.stderr, /set\.yaml:\d+:\d+ \(with --set sweep\.writeEvery=-1\): sweep\.writeEvery: expected a number ≥ 0, found -1/);
  assert.ok(!existsSync(join(dir, 'runs2')), 'nothing written');
});
