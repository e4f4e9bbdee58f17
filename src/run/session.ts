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
import type { Examples } from '../data/dataset.js';
import { evaluate, evaluateRegression, report } from '../train/metrics.js';
import type { ConfusionMatrix } from '../plots/confusion.js';
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
  /** Keep the final model's confusion matrices (validation, and test when evaluated), for plots. */
  confusion?: boolean;
  /** Seconds between writes of the epochs' files (WriterContext.writeEvery; sweep trials). */
  writeEvery?: number;
}

export interface SessionResult {
  runDir: string;
  metrics: RunMetrics;
  confusion?: ConfusionMatrix[];
}

/**
 * The end of a run after its last epoch — restoreBest's weights, the test evaluation, metrics.json
 * — as one step that can be redone: it reads only the folder's best checkpoint, curve and the
 * final state, and metrics.json (its status finished or stopped-early) is written last, so a
 * process killed in between leaves a run that `dlx resume` finishes to the same bytes.
 */
const statusOf = { finished: 'finished', 'early-stopping': 'stopped-early', pruned: 'pruned' } as const;

export async function finishRun(ctx: WriterContext, spec: ResolvedSpec, built: Built, final: TrainingState): Promise<void> {
  const { metrics, folder } = ctx;
  const { model, data } = built;
  const scores = (e: Examples) => (data.regression ? evaluateRegression(model, e, data.sampleShape, data.regression) : evaluate(model, e, data.sampleShape));
  metrics.epochs = final.epoch;
  metrics.final = ctx.curve.find((r) => r.epoch === final.epoch);
  if (final.stopped?.reason === 'early-stopping') metrics.stoppedEarly = { epoch: final.stopped.epoch, bestEpoch: final.best?.epoch };
  if (spec.train.earlyStopping?.restoreBest && final.best && final.best.epoch !== final.epoch) {
    // the best epoch's weights become the final ones, in last.safetensors too
    const best = join(folder.dir, files.bestCheckpoint);
    loadWeights(model, await readCheckpoint(best), best);
    const val = scores(data.val);
    const row = ctx.curve.find((r) => r.epoch === final.best!.epoch)!;
    metrics.final = 'accuracy' in val
      ? { ...row, val_loss: val.loss, val_acc: val.accuracy }
      : { ...row, val_loss: val.loss, val_mae: val.mae, val_rmse: val.rmse, val_r2: val.r2 };
    metrics.restoredBest = final.best.epoch;
    await writeLast(ctx, final);
  }
  if (spec.train.test && data.test) {
    const t = scores(data.test);
    metrics.test = 'accuracy' in t ? { loss: t.loss, accuracy: t.accuracy, count: t.count } : t;
  }
  metrics.best = bestSummary(ctx.curve, final);
  metrics.status = statusOf[final.stopped?.reason ?? 'finished'];
  await writeMetrics(ctx);
}

/** Whether metrics.json records the end of the run the checkpoint says has stopped. */
export const ended = (metrics: RunMetrics, final: TrainingState) =>
  final.stopped !== undefined && (metrics.status === 'finished' || metrics.status === 'stopped-early' || metrics.status === 'pruned') && metrics.epochs === final.epoch;

/** Training ran out of memory: the batch's activations are what grows with a setting. */
function batchTooBig(spec: ResolvedSpec, e: MemoryLimitError): SpecError {
  return new SpecError([`train.batchSize: a batch of ${spec.train.batchSize.toLocaleString('en-US')} samples is too big for the memory with this model (${e.message}); use a smaller train.batchSize`]);
}

export async function trainInFolder(args: SessionArgs): Promise<SessionResult> {
  const { spec, built, folder, state, metrics } = args;
  const { model, optimizer, rngs, data } = built;
  let confusion: ConfusionMatrix[] | undefined;
  const ctx: WriterContext = { folder, model, optimizer, rngs, metadata: args.metadata, curve: args.curve, metrics, writeEvery: args.writeEvery };
  const finish: TrainEvents = {
    async stop(final) {
      await finishRun(ctx, spec, built, final);
      if (args.confusion && !data.regression) {
        // the final weights, as `dlx eval` sees last.safetensors; one more pass over val (and test)
        const splits = metrics.test && data.test ? [['val', data.val], ['test', data.test]] as const : [['val', data.val]] as const;
        confusion = splits.map(([split, examples]) => ({ split, classes: data.classes, counts: report(model, examples, data.sampleShape, data.classes, 1).confusion }));
      }
    },
  };
  try {
    await train({
      model, optimizer, data, schedule: built.schedule, regularization: spec.regularization,
      config: spec.train, shuffleRng: rngs.shuffle, augment: built.augment, backend: built.backend, state, signal: args.signal,
      events: [runWriters(ctx), finish, ...(args.events ? [args.events] : [])],
    });
    return { runDir: folder.runDir, metrics, confusion };
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
      // metrics.epochs is the last epoch written (a failed write leaves the previous one's files)
      const resume = e instanceof EnvironmentError ? `; once that is fixed, dlx resume ${folder.runDir}` : '';
      e.message += `\nthe run folder keeps the last completed epoch (${metrics.epochs}): ${folder.runDir}${resume}`;
    }
    throw e;
  }
}
