// The process of sweep trials (forked by the coordinator, src/run/trial-process.ts): takes a
// job over IPC, trains, reports each epoch, waits for pruning decisions, and stops resumably on
// SIGINT or when the coordinator goes away (its channel closes, e.g. it was killed). After a
// trial that ended well it waits for the next job (a reused process) until its channel closes;
// after an error it exits with the error's code.
import { DlxError, ExitCode } from '../common/errors.js';
import type { FromTrial, ToTrial } from '../run/trial-protocol.js';
import { runTrialJob } from '../run/trial.js';
import { evaluateRun } from '../run/evaluate-run.js';
import { rememberTables } from '../data/readers/table-reader.js';
import { configureNative } from '../engine/native/addon.js';
import { releaseTrialMemory } from '../engine/backends.js';
import type { EpochRecord } from '../train/loop.js';

// every trial of a sweep reads the same data file: parsed once per process
rememberTables();
configureNative({ hidden: process.env.DLX_NATIVE === '0', dir: process.env.DLX_NATIVE_DIR || undefined, isa: process.env.DLX_NATIVE_ISA || undefined });
const send = (m: FromTrial) => new Promise<void>((resolve) => {
  if (!process.connected) return resolve();
  process.send!(m, undefined, undefined, () => resolve());
});
/**
 * Epochs not yet reported. Without a pruner nothing waits on an epoch's report: a trial's first
 * epoch is reported at once, later ones at most every `reportEvery` ms (and at the trial's end),
 * since each report costs the coordinator a wake-up, its journal line and its progress line,
 * about 0.3 ms of CPU: with epochs of a few ms on two cores, a report per epoch took a tenth of a
 * core from the trials. With a pruner each epoch of the first fold is a `decide` and waits for
 * its answer.
 */
const reportEvery = 50;
let unreported: { fold?: number; records: EpochRecord[] } | undefined;
let reportedAt = -Infinity;
const report = () => {
  if (unreported) void send({ type: 'epochs', ...unreported });
  unreported = undefined;
  reportedAt = performance.now();
};
const epoch = (fold: number | undefined, record: EpochRecord) => {
  if (unreported && unreported.fold !== fold) report();
  unreported ??= { ...(fold !== undefined && { fold }), records: [] };
  unreported.records.push(record);
  if (performance.now() - reportedAt >= reportEvery) report();
};

/** The trial running now: its stop signal and the pruning decision it awaits. */
let current: { controller: AbortController; decision?: (prune: boolean) => void } | undefined;

process.on('SIGINT', () => {
  if (!current || current.controller.signal.aborted) process.exit(ExitCode.interrupted);
  current.controller.abort();
});
process.on('disconnect', () => {
  // idle: nothing to save (the kernels' threads would keep the process alive)
  if (!current) process.exit(0);
  current.controller.abort();
  current.decision?.(false);
});
process.on('message', (m: ToTrial) => {
  if (m.type === 'decision') {
    current?.decision?.(m.prune);
    if (current) current.decision = undefined;
    return;
  }
  if (m.type === 'evaluate') {
    const trial: NonNullable<typeof current> = { controller: new AbortController() };
    current = trial;
    evaluateRun(m.runDir, m.split).then(
      async (result) => {
        await releaseTrialMemory();
        current = undefined;
        await send({ type: 'evaluated', result });
        if (!process.connected) process.exit(0);
      },
      (e: unknown) => failed(e),
    );
    return;
  }
  const trial: NonNullable<typeof current> = { controller: new AbortController() };
  current = trial;
  reportedAt = -Infinity;
  runTrialJob(m.job, {
    signal: trial.controller.signal,
    epoch,
    decide: (record) => new Promise<boolean>((resolve) => {
      report();
      if (!process.connected) return resolve(false);
      trial.decision = resolve;
      void send({ type: 'decide', record });
    }),
  }).then(
    async (folds) => {
      report();
      await releaseTrialMemory();
      current = undefined;
      await send({ type: 'done', folds });
      if (!process.connected || trial.controller.signal.aborted) process.exit(0);
    },
    (e: unknown) => failed(e),
  );
});

async function failed(e: unknown): Promise<never> {
  report();
  const exitCode = e instanceof DlxError ? e.exitCode : ExitCode.bug;
  const message = e instanceof DlxError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
  await send({ type: 'error', exitCode, message });
  process.exit(exitCode);
}
