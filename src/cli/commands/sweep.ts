// dlx sweep SPEC: a hyperparameter search (grid, random, TPE), each trial a run folder.
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';
import * as z from 'zod';
import { defaultBackendName } from '../../engine/backends.js';
import { resumeSweep, startSweep, type SweepOutcome } from '../../run/sweep.js';
import { line, type Io } from '../io.js';
import { checked, collect, threadsFrom } from '../options.js';
import { progressMode, type ProgressMode } from '../progress.js';
import { sweepProgress } from '../sweep-progress.js';
import { queueHelp, queueSweep, queueTimeoutHelp } from '../queue-sweep.js';

export const trialEntry = fileURLToPath(new URL('../trial-child.js', import.meta.url));

const workersSchema = z.coerce.number().int({ message: 'expected a whole number ≥ 1' }).min(1, { message: 'expected a whole number ≥ 1' }).max(64, { message: 'expected at most 64' });

/** Threads per trial: the cores shared among the workers (workers × threads ≤ cores), 1 to 8. */
export const threadsPerTrial = (workers: number) => Math.max(1, Math.min(8, Math.floor(availableParallelism() / workers)));

export function printSweepOutcome(io: Io, mode: ProgressMode, r: SweepOutcome, metric: string): void {
  if (mode === 'json') {
    line(io.out, JSON.stringify({ event: 'done', sweepDir: r.sweepDir, trials: r.trials, counts: r.counts, best: r.best ?? null }));
    return;
  }
  line(io.out, io.color.green(`done ${r.sweepDir}`));
  line(io.out, `${r.trials} trials: ${Object.entries(r.counts).map(([k, v]) => `${v} ${k}`).join(', ')}`);
  if (r.best) line(io.out, `best: trial ${r.best.trial}, ${metric} ${r.best.value} (${r.best.runDir})`);
  else line(io.out, 'no trial finished');
}

interface SweepFlags { set?: string[]; runsDir: string; backend: string; threads?: string; workers?: string; quiet?: boolean; json?: boolean; queue?: string; queueTimeout?: string }

export function registerSweep(program: Command, io: Io, run: (action: (signal: AbortSignal) => Promise<void>) => Promise<void>): void {
  program
    .command('sweep')
    .description('search hyperparameters (grid, random, TPE) with folds, pruning and parallel workers; a sweep folder')
    .argument('<spec>', 'an experiment spec with a sweep: section')
    .option('--set <key=value>', 'override a spec value (repeatable)', collect)
    .option('--runs-dir <dir>', 'where sweep folders go', 'runs')
    .option('--workers <n>', 'trials in parallel, each in its own process (default: sweep.workers, 1)')
    .option('--threads <n>', 'threads per trial (default: the cores shared among the workers)')
    .option('--backend <backend>', 'the compute backend: wasm or reference', defaultBackendName)
    .option('--quiet', 'print only the final summary')
    .option('--json', 'print one JSON object per trial event and a final one, nothing else')
    .option('--queue <url>', queueHelp)
    .option('--queue-timeout <seconds>', queueTimeoutHelp)
    .addHelpText('after', '\nExample:\n  dlx sweep configs/sweep-random.yaml --workers 2 && dlx runs\n  dlx sweep configs/sweep-random.yaml --workers 8 --queue redis://localhost:6379')
    .action((spec: string, flags: SweepFlags) => run(async (signal) => {
      const mode = progressMode(io, flags);
      const workers = flags.workers === undefined ? undefined : checked(workersSchema, flags.workers, '--workers');
      let metric = 'value';
      const events = sweepProgress(io, mode, () => metric);
      const queue = flags.queue === undefined ? undefined : queueSweep(io, mode, flags.queue, flags.queueTimeout, signal, events);
      const go = () => startSweep(spec, flags.set ?? [], {
        runsDir: flags.runsDir, backend: flags.backend, workers, trialEntry, argv: process.argv.slice(2), signal,
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
    }));
}

/** dlx resume SWEEP: finished trials stay, interrupted ones continue, new ones fill the budget. */
export async function resumeSweepCommand(io: Io, mode: ProgressMode, sweepDir: string, flags: { threads?: string; workers?: string; queue?: string; queueTimeout?: string }, signal: AbortSignal): Promise<void> {
  const workers = flags.workers === undefined ? undefined : checked(workersSchema, flags.workers, '--workers');
  let metric = 'value';
  const events = sweepProgress(io, mode, () => metric);
  const queue = flags.queue === undefined ? undefined : queueSweep(io, mode, flags.queue, flags.queueTimeout, signal, events);
  const go = () => resumeSweep(sweepDir, {
    workers, threads: threadsFrom(flags.threads), trialEntry, argv: process.argv.slice(2), signal,
    events, ...queue?.options,
    onStart(info) {
      metric = info.metric;
      queue?.open(info.sweepDir);
      if (mode === 'tty' || mode === 'plain') line(io.out, `resuming sweep ${info.sweepDir}: ${info.method}, ${info.trials} trials, ${info.workers} worker${info.workers === 1 ? '' : 's'}`);
    },
  });
  const r = queue ? await queue.around(go) : await go();
  printSweepOutcome(io, mode, r, metric);
}
