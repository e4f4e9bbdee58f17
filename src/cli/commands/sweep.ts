// dlx sweep SPEC: a hyperparameter search (grid, random, TPE), each trial a run folder. The
// work's modules are imported on use, so that `dlx --help` does not load them.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { SweepOutcome } from '../../run/sweep.js';
import type { StartedProcesses } from '../../run/trial-process.js';
import { fixed, line, percent, type Io } from '../io.js';
import type { ProgressMode } from '../progress.js';
import { sweepProgress } from '../sweep-progress.js';
import { printPlots } from './train.js';

/** The script each trial's process runs (trial-entry.ts: trial-child.ts, from the start-up bundle when built). */
export const trialEntry = fileURLToPath(new URL('../trial-entry.js', import.meta.url));

/** Threads per trial: the cores shared among the workers (workers × threads ≤ cores), 1 to 8. */
export const threadsPerTrial = (workers: number) => Math.max(1, Math.min(8, Math.floor(availableParallelism() / workers)));

async function workersFrom(value: string | undefined): Promise<number | undefined> {
  if (value === undefined) return undefined;
  const z = await import('zod');
  const { checked } = await import('../options.js');
  const message = 'expected a whole number from 1 to 64';
  return checked(z.coerce.number().int({ message }).min(1, { message }).max(64, { message }), value, '--workers');
}

export function printSweepOutcome(io: Io, mode: ProgressMode, r: SweepOutcome, metric: string): void {
  if (mode === 'json') {
    line(io.out, JSON.stringify({ event: 'done', sweepDir: r.sweepDir, trials: r.trials, counts: r.counts, best: r.best ?? null, summary: r.summary, plots: r.plots }));
    return;
  }
  line(io.out, io.color.green(`done ${r.sweepDir}`));
  line(io.out, `${r.trials} trials: ${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  if (r.best) line(io.out, `best: trial ${r.best.trial}, ${metric} ${r.best.value} (${r.best.runDir})`);
  else line(io.out, 'no trial finished');
  const test = r.summary.test as { loss: number; accuracy: number } | undefined;
  if (test) line(io.out, `best trial on the test split: loss ${fixed(test.loss)} accuracy ${percent(test.accuracy)}`);
  const ens = r.summary.ensemble as { top: number; val: { mean: { loss: number; accuracy: number }; ensemble: { loss: number; accuracy: number } } } | undefined;
  if (ens) line(io.out, `ensemble of the best ${ens.top} (val): loss ${fixed(ens.val.ensemble.loss)} accuracy ${percent(ens.val.ensemble.accuracy)}; the members' mean: loss ${fixed(ens.val.mean.loss)} accuracy ${percent(ens.val.mean.accuracy)}`);
  printPlots(io, mode, r.plots);
}

interface SweepFlags { queue?: string; queueTimeout?: string; set?: string[]; runsDir: string; backend?: string; threads?: string; workers?: string; quiet?: boolean; json?: boolean; plots: boolean }

export async function sweepAction(io: Io, signal: AbortSignal, spec: string, flags: SweepFlags): Promise<void> {
  const workers = await workersFrom(flags.workers);
  // the trials' processes load Node and dlx's modules while this one reads the spec
  const { startTrialProcesses, stopTrialProcesses } = await import('../../run/trial-process.js');
  const started = flags.queue === undefined ? startTrialProcesses(trialEntry, workers ?? 1) : undefined;
  try {
    await sweepWith(io, signal, spec, flags, workers, started);
  } finally {
    stopTrialProcesses(started);
  }
}

async function sweepWith(io: Io, signal: AbortSignal, spec: string, flags: SweepFlags, workers: number | undefined, started: StartedProcesses | undefined): Promise<void> {
  const { startSweep } = await import('../../run/sweep.js');
  const { defaultBackendName } = await import('../../engine/backends.js');
  const { threadsFrom } = await import('../options.js');
  const { progressMode } = await import('../progress.js');
  const mode = progressMode(io, flags);
  let metric = 'value';
  const events = sweepProgress(io, mode, () => metric);
  const queue = flags.queue === undefined ? undefined : (await import('../queue-sweep.js')).queueSweep(io, mode, flags.queue, flags.queueTimeout, signal, events);
  const go = () => startSweep(spec, flags.set ?? [], {
    runsDir: flags.runsDir, backend: flags.backend ?? defaultBackendName(), workers, trialEntry, started, argv: process.argv.slice(2), signal, plots: flags.plots,
    threads: threadsFrom(flags.threads), threadsFor: threadsPerTrial,
    events, ...queue?.options,
    onStart(info) {
      metric = info.metric;
      queue?.open(info.sweepDir);
      if (mode === 'tty' || mode === 'plain') line(io.out, `sweep folder ${info.sweepDir}: ${info.method}, ${info.trials} trials, ${info.workers} worker${info.workers === 1 ? '' : 's'} × ${info.threads} thread${info.threads === 1 ? '' : 's'}, ${info.mode} ${info.metric}`);
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'sweep-start', ...info }));
    },
  });
  const r = queue ? await queue.around(go) : await go();
  printSweepOutcome(io, mode, r, metric);
}

/** dlx resume SWEEP: finished trials stay, interrupted ones continue, new ones fill the budget. */
export async function resumeSweepCommand(io: Io, mode: ProgressMode, sweepDir: string, flags: { threads?: string; workers?: string; queue?: string; queueTimeout?: string; plots: boolean }, signal: AbortSignal): Promise<void> {
  const workers = await workersFrom(flags.workers);
  const { startTrialProcesses, stopTrialProcesses } = await import('../../run/trial-process.js');
  const started = flags.queue === undefined ? startTrialProcesses(trialEntry, workers ?? 1) : undefined;
  try {
    await resumeWith(io, mode, sweepDir, flags, signal, workers, started);
  } finally {
    stopTrialProcesses(started);
  }
}

async function resumeWith(io: Io, mode: ProgressMode, sweepDir: string, flags: { threads?: string; queue?: string; queueTimeout?: string; plots: boolean }, signal: AbortSignal,
  workers: number | undefined, started: StartedProcesses | undefined): Promise<void> {
  const { resumeSweep } = await import('../../run/sweep.js');
  const { threadsFrom } = await import('../options.js');
  let metric = 'value';
  const events = sweepProgress(io, mode, () => metric);
  const queue = flags.queue === undefined ? undefined : (await import('../queue-sweep.js')).queueSweep(io, mode, flags.queue, flags.queueTimeout, signal, events);
  const go = () => resumeSweep(sweepDir, {
    workers, threads: threadsFrom(flags.threads), trialEntry, started, argv: process.argv.slice(2), signal, plots: flags.plots,
    events, ...queue?.options,
    onStart(info) {
      metric = info.metric;
      queue?.open(info.sweepDir);
      if (mode === 'tty' || mode === 'plain') line(io.out, `resuming sweep ${info.sweepDir}: ${info.method}, ${info.trials} trials, ${info.workers} worker${info.workers === 1 ? '' : 's'}`);
      if (mode === 'json') line(io.out, JSON.stringify({ event: 'sweep-start', ...info }));
    },
  });
  const r = queue ? await queue.around(go) : await go();
  printSweepOutcome(io, mode, r, metric);
}
