// Training inside a run folder, for a new run and a resumed one alike: the writers, early
// stopping's restoreBest, the final test evaluation a spec may ask for, and what the folder
// says when training fails, diverges or is interrupted.
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { DivergedError, DlxError, EnvironmentError, InterruptedError, SpecError } from '../common/errors.js';
import { MemoryLimitError } from '../engine/tensor.js';
import { environmentError } from '../common/fs-errors.js';
import type { ResolvedSpec } from '../config/spec.js';
import { loadWeights, readCheckpoint } from '../train/checkpoint.js';
import { train, type EpochRecord, type TrainEvents, type TrainingState } from '../train/loop.js';
import { evaluate } from '../train/metrics.js';
import type { Built } from './build.js';
import { files } from './layout.js';
import { rm } from 'node:fs/promises';
import type { RunMetrics } from './run-folder.js';
import { bestSummary, runWriters, writeLast, writeMetrics, type FolderState, type WriterContext } from './writers.js';

export interface SessionArgs {
  spec: ResolvedSpec;
  built: Built;
  folder: FolderState;
  state: TrainingState;
  curve: EpochRecord[];
  metrics: RunMetrics;
  metadata: Record<string, string>;
  signal?: AbortSignal;
  events?: TrainEvents;
  /** Removed when the run fails before its folder became real (a new run's staging). */
  cleanup?: string;
}

export interface SessionResult {
  runDir: string;
  metrics: RunMetrics;
}

/** Training ran out of memory: the batch's activations are what grows with a setting. */
function batchTooBig(spec: ResolvedSpec, e: MemoryLimitError): SpecError {
  return new SpecError([`train.batchSize: a batch of ${spec.train.batchSize.toLocaleString('en-US')} samples is too big for the memory with this model (${e.message}); use a smaller train.batchSize`]);
}

export async function trainInFolder(args: SessionArgs): Promise<SessionResult> {
  const { spec, built, folder, state, metrics } = args;
  const { model, optimizer, rngs, data } = built;
  const ctx: WriterContext = { folder, model, optimizer, rngs, metadata: args.metadata, curve: args.curve, metrics };
  const finish: TrainEvents = {
    async stop(final) {
      if (final.stopped?.reason === 'early-stopping') metrics.stoppedEarly = { epoch: final.stopped.epoch, bestEpoch: final.best?.epoch };
      if (spec.train.earlyStopping?.restoreBest && final.best && final.best.epoch !== final.epoch) {
        // the best epoch's weights become the final ones, in last.safetensors too
        const best = join(folder.dir, files.bestCheckpoint);
        loadWeights(model, await readCheckpoint(best), best);
        const val = evaluate(model, data.val, data.sampleShape);
        metrics.final = { ...ctx.curve.find((r) => r.epoch === final.best!.epoch)!, val_loss: val.loss, val_acc: val.accuracy };
        metrics.restoredBest = final.best.epoch;
        await writeLast(ctx, final);
      }
      if (spec.train.test && data.test) {
        const t = evaluate(model, data.test, data.sampleShape);
        metrics.test = { loss: t.loss, accuracy: t.accuracy, count: t.count };
      }
      metrics.best = bestSummary(ctx.curve, final);
      await writeMetrics(ctx);
    },
  };
  try {
    await train({
      model, optimizer, data, schedule: built.schedule, regularization: spec.regularization,
      config: spec.train, shuffleRng: rngs.shuffle, augment: built.augment, state, signal: args.signal,
      events: [runWriters(ctx), finish, ...(args.events ? [args.events] : [])],
    });
    return { runDir: folder.runDir, metrics };
  } catch (caught) {
    const e = environmentError(caught) ?? (caught instanceof MemoryLimitError ? batchTooBig(spec, caught) : caught);
    if (!folder.promoted) {
      await rm(args.cleanup ?? folder.dir, { recursive: true, force: true });
    } else if (!existsSync(folder.dir)) {
      throw new EnvironmentError(`${folder.runDir}: the run folder was deleted or moved during training; training stopped after epoch ${metrics.epochs}`);
    } else if (e instanceof InterruptedError) {
      e.message += `; the run folder keeps a checkpoint.\nresume with: dlx resume ${folder.runDir}`;
    } else if (e instanceof DlxError) {
      metrics.status = e instanceof DivergedError ? 'diverged' : 'failed';
      // on a full disk this may fail too; the message below matters more
      await writeMetrics(ctx).catch(() => undefined);
      // a failed write leaves the previous epoch's files: metrics.epochs is the last one written
      const [epoch, resume] = e instanceof EnvironmentError ? [metrics.epochs, `; once that is fixed, dlx resume ${folder.runDir}`] : [state.epoch, ''];
      e.message += `\nthe run folder keeps the last completed epoch (${epoch}): ${folder.runDir}${resume}`;
    }
    throw e;
  }
}
