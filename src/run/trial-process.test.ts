import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { trialForker } from './trial-process.js';
import type { TrialJob } from './trial.js';

// a stand-in trial process: answers its job with how long it had been alive when the job came
const entry = `process.on('message', (m) => {
  if (m.type !== 'job') return;
  process.send({ type: 'done', folds: [{ runDir: String(process.uptime()), metrics: { status: 'finished', epochs: m.job.trial } }] }, () => process.exit(0));
});`;

const job = (trial: number): TrialJob => ({ sweepDir: '', trial, folds: [], specFile: '', specText: '', backend: 'reference', threads: 1, ask: false, argv: [] });
const handlers = { epoch: () => {}, decide: async () => false };
const aliveFor = async (p: ReturnType<ReturnType<typeof trialForker>['launch']>) => {
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

test('trialForker: each trial gets its own process, forked ahead while the previous one runs; close stops the spare', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dlx-forker-'));
  const file = join(dir, 'entry.cjs');
  await writeFile(file, entry);
  let more = true;
  const forker = trialForker(file, () => more);
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
