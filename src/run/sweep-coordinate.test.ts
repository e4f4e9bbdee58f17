// The coordinator's bookkeeping with a launcher of its own (no processes): when trials end close
// together, a TPE sweep must not mistake a trial being recorded for one that never ran.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startSweep, type TrialLauncher } from './sweep.js';
import type { TrialExit } from './trial-process.js';

test('a TPE sweep goes on when a trial ends while another is being recorded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'dlx-coordinate-'));
  try {
    const spec = join(dir, 'tpe.yaml');
    writeFileSync(spec, `name: race
seed: 3
data: {dataset: iris}
model: {layers: [{type: dense, units: 3}]}
optimizer: {type: sgd, lr: 0.1}
train: {epochs: 1}
sweep:
  method: tpe
  trials: 4
  workers: 2
  metric: val_loss
  tpe: {startupTrials: 2}
  params:
    optimizer.lr: {log-uniform: [0.001, 0.5]}
`);
    /** Ends a trial, as finished. */
    const ends = new Map<number, () => void>();
    /** A trial's folder as a finished trial leaves it: its curve and metrics. */
    const finished = (job: Parameters<TrialLauncher>[0]): TrialExit => {
      const f = job.folds[0];
      mkdirSync(f.runDir, { recursive: true });
      const value = 1 / (job.trial + 1);
      writeFileSync(join(f.runDir, 'curve.csv'), `epoch,lr,train_loss,penalty,val_loss,train_seconds,seconds\n1,0.1,${value},0,${value},0.1,0.1\n`);
      const metrics = { status: 'finished' as const, epochs: 1 };
      writeFileSync(join(f.runDir, 'metrics.json'), JSON.stringify(metrics));
      return { kind: 'done', folds: [{ fold: f.fold, runDir: f.runDir, metrics }] };
    };
    const launcher: TrialLauncher = (job) => {
      const done = new Promise<TrialExit>((resolve) => ends.set(job.trial, () => resolve(finished(job))));
      // trial 1 ends by itself; trial 0 ends while trial 1's end is being reported (below)
      if (job.trial !== 0) setTimeout(() => ends.get(job.trial)!(), 20);
      return { pid: undefined, done, interrupt: () => {} };
    };
    const outcome = await startSweep(spec, [], {
      runsDir: join(dir, 'runs'), backend: 'wasm', trialEntry: 'unused', argv: [], launcher,
      events: { trialEnd: (trial) => (trial === 1 ? ends.get(0)!() : undefined) },
    });
    assert.equal(outcome.trials, 4, 'every trial asked');
    assert.deepEqual(outcome.counts, { finished: 4 });
    const rows = readFileSync(join(outcome.sweepDir, 'summary.csv'), 'utf8').trim().split('\n');
    assert.equal(rows.length, 5);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
