import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { startTrialProcesses, stopTrialProcesses, trialPool } from './trial-process.js';
import type { TrialJob } from './trial.js';

// a stand-in trial process: answers its job with how long it had been alive when the job came
const entry = `process.on('message', (m) => {
  if (m.type !== 'job') return;
  process.send({ type: 'done', folds: [{ runDir: String(process.uptime()), metrics: { status: 'finished', epochs: m.job.trial } }] }, () => process.exit(0));
});`;

const job = (trial: number): TrialJob => ({ sweepDir: '', trial, folds: [], specFile: '', specText: '', backend: 'reference', threads: 1, ask: false, writeEvery: 0, argv: [] });
const handlers = { epoch: () => {}, decide: async () => false };
const aliveFor = async (p: ReturnType<ReturnType<typeof trialPool>['launch']>) => {
  const exit = await p.done;
  assert.equal(exit.kind, 'done');
  return exit.kind === 'done' ? Number(exit.folds[0].runDir) : NaN;
};
const running = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

test('trialPool, fresh processes: each trial gets its own process, forked ahead while the previous one runs; close stops the spare', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlx-forker-'));
  const file = join(dir, 'entry.cjs');
  await writeFile(file, entry);
  let more = true;
  const forker = trialPool(file, { reuse: false, moreToCome: () => more });
  const first = forker.launch(job(0), handlers);
  assert.ok((await aliveFor(first)) < 5);
  await sleep(800);
  // the second trial's process was started with the first, so it had been waiting for its job
  const second = forker.launch(job(1), handlers);
  assert.notEqual(second.pid, first.pid);
  assert.ok((await aliveFor(second)) >= 0.7);
  // no spare once no trial is to come: the next launch forks on demand
  more = false;
  const third = forker.launch(job(2), handlers);
  await aliveFor(third);
  await sleep(500);
  const fourth = forker.launch(job(3), handlers);
  assert.ok((await aliveFor(fourth)) < 0.5);
  // a spare left when the sweep ends is stopped
  more = true;
  const fifth = forker.launch(job(4), handlers);
  await aliveFor(fifth);
  forker.close();
  await sleep(300);
  assert.equal(spawnSync('pgrep', ['-f', file], { encoding: 'utf8' }).stdout.trim(), '');
  assert.ok(fifth.pid !== undefined && !running(fifth.pid));
  await rm(dir, { recursive: true });
});

// a stand-in for a reused process: stays after its job; says its pid and how many jobs it had;
// trial 99 reports an error (then exits, as the real one does), trial 98 dies without a word
const reusedEntry = `let jobs = 0;
process.on('message', (m) => {
  if (m.type === 'evaluate') return m.runDir === 'bad' ? process.send({ type: 'error', exitCode: 3, message: 'no data' }, () => process.exit(3))
    : process.send({ type: 'evaluated', result: { checkpoint: process.pid + ':' + m.runDir, split: m.split } });
  if (m.type !== 'job') return;
  jobs++;
  if (m.job.trial === 98) process.exit(7);
  if (m.job.trial === 99) return process.send({ type: 'error', exitCode: 4, message: 'diverged' }, () => process.exit(4));
  setTimeout(() => process.send({ type: 'done', folds: [{ runDir: process.pid + '/' + jobs, metrics: { status: 'finished', epochs: 1 } }] }), 100);
});`;

test('trialPool, reused processes: an idle process takes the next trial; one that failed or died is replaced; close stops the idle ones', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dlx-pool-'));
  const file = join(dir, 'entry.cjs');
  await writeFile(file, reusedEntry);
  const pool = trialPool(file, { reuse: true, moreToCome: () => true });
  t.after(() => pool.close());
  const served = async (p: ReturnType<typeof pool.launch>) => {
    const exit = await p.done;
    assert.equal(exit.kind, 'done');
    return exit.kind === 'done' ? exit.folds[0].runDir : '';
  };
  // two at once: two processes (no spare forked ahead)
  const [a, b] = [pool.launch(job(0), handlers), pool.launch(job(1), handlers)];
  assert.notEqual(a.pid, b.pid);
  assert.deepEqual(await Promise.all([served(a), served(b)]), [`${a.pid}/1`, `${b.pid}/1`]);
  // then one after another in those same processes
  const c = pool.launch(job(2), handlers);
  assert.ok(c.pid === a.pid || c.pid === b.pid);
  assert.equal(await served(c), `${c.pid}/2`);
  const d = pool.launch(job(3), handlers);
  assert.ok(d.pid === a.pid || d.pid === b.pid);
  assert.match(await served(d), new RegExp(`^${d.pid}/[23]$`));
  // an error: reported, and its process is not given another trial
  const e = pool.launch(job(99), handlers);
  const failed = await e.done;
  assert.deepEqual(failed, { kind: 'error', exitCode: 4, message: 'diverged' });
  // a crash: reported as such
  const f = pool.launch(job(98), handlers);
  const crashed = await f.done;
  assert.equal(crashed.kind, 'crashed');
  assert.match(crashed.kind === 'crashed' ? crashed.reason : '', /exited with 7/);
  const g = pool.launch(job(4), handlers);
  const h = pool.launch(job(5), handlers);
  const pids = [g.pid, h.pid];
  assert.ok(!pids.includes(e.pid) && !pids.includes(f.pid));
  await Promise.all([served(g), served(h)]);
  pool.close();
  await sleep(300);
  assert.equal(spawnSync('pgrep', ['-f', file], { encoding: 'utf8' }).stdout.trim(), '');
  await rm(dir, { recursive: true });
});

test('processes started before the spec is read: the pool takes them first; the ones no trial took are stopped, by the pool or on their own', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlx-started-'));
  const file = join(dir, 'entry.cjs');
  await writeFile(file, reusedEntry);
  const started = startTrialProcesses(file, 2);
  const pids = started.children.map((c) => c.process.pid);
  await sleep(600);
  const pool = trialPool(file, { reuse: true, moreToCome: () => true, started });
  const first = pool.launch(job(0), handlers);
  assert.equal(first.pid, pids[0]);
  const exit = await first.done;
  assert.equal(exit.kind === 'done' && exit.folds[0].runDir, `${pids[0]}/1`);
  pool.close();
  await sleep(300);
  assert.ok(pids.every((pid) => pid !== undefined && !running(pid)), 'the taken one and the spare both stopped');
  // a bad spec: no pool takes them
  const unused = startTrialProcesses(file, 1);
  stopTrialProcesses(unused);
  await sleep(300);
  assert.ok(unused.children.length === 0 && spawnSync('pgrep', ['-f', file], { encoding: 'utf8' }).stdout.trim() === '');
  await rm(dir, { recursive: true });
});

test('TrialPool.evaluate: a split evaluated in an idle reused process; none idle or a failure: undefined, for the caller to evaluate', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlx-evaluate-'));
  const file = join(dir, 'entry.cjs');
  await writeFile(file, reusedEntry);
  const pool = trialPool(file, { reuse: true, moreToCome: () => true });
  assert.equal(await pool.evaluate('run', 'test'), undefined, 'no process is idle yet');
  const trial = pool.launch(job(0), handlers);
  await trial.done;
  assert.deepEqual(await pool.evaluate('run', 'test'), { checkpoint: `${trial.pid}:run`, split: 'test' });
  // the process went back to the pool: it evaluates again, then fails and is not reused
  assert.deepEqual(await pool.evaluate('again', 'test'), { checkpoint: `${trial.pid}:again`, split: 'test' });
  assert.equal(await pool.evaluate('bad', 'test'), undefined);
  assert.equal(await pool.evaluate('run', 'test'), undefined);
  pool.close();
  await sleep(300);
  assert.ok(trial.pid !== undefined && !running(trial.pid));
  await rm(dir, { recursive: true });
});
