// The process of one sweep trial (forked by the coordinator, src/run/trial-process.ts): takes
// its job over IPC, trains, reports each epoch, waits for pruning decisions, and stops resumably
// on SIGINT or when the coordinator goes away (its channel closes, e.g. it was killed).
import { DlxError, ExitCode } from '../common/errors.js';
import type { FromTrial, ToTrial } from '../run/trial-protocol.js';
import { runTrialJob } from '../run/trial.js';
import { configureNative } from '../engine/native/addon.js';

configureNative({ hidden: process.env.DLX_NATIVE === '0', dir: process.env.DLX_NATIVE_DIR || undefined, isa: process.env.DLX_NATIVE_ISA || undefined });
const controller = new AbortController();
const send = (m: FromTrial) => new Promise<void>((resolve) => {
  if (!process.connected) return resolve();
  process.send!(m, undefined, undefined, () => resolve());
});
let decision: ((prune: boolean) => void) | undefined;

process.on('SIGINT', () => {
  if (controller.signal.aborted) process.exit(ExitCode.interrupted);
  controller.abort();
});
process.on('disconnect', () => {
  controller.abort();
  decision?.(false);
});
process.on('message', (m: ToTrial) => {
  if (m.type === 'decision') {
    decision?.(m.prune);
    decision = undefined;
    return;
  }
  runTrialJob(m.job, {
    signal: controller.signal,
    epoch: (fold, record) => void send({ type: 'epoch', fold, record }),
    decide: (record) => new Promise<boolean>((resolve) => {
      if (!process.connected) return resolve(false);
      decision = resolve;
      void send({ type: 'decide', record });
    }),
  }).then(
    async (folds) => {
      await send({ type: 'done', folds });
      process.exit(0);
    },
    async (e: unknown) => {
      const exitCode = e instanceof DlxError ? e.exitCode : ExitCode.bug;
      const message = e instanceof DlxError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e);
      await send({ type: 'error', exitCode, message });
      process.exit(exitCode);
    },
  );
});
