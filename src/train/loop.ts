// The training loop. It owns no files and prints nothing: it emits events (run start, batch
// end, epoch end, interrupted, stop) that the run layer's writers and the CLI's progress
// display subscribe to. Its whole state lives in TrainingState, which checkpoints save, so a
// run continues exactly from an epoch boundary or from the middle of an epoch.
import { DivergedError, InterruptedError } from '../common/errors.js';
import { batches, epochOrder } from '../data/batches.js';
import type { PreparedData } from '../data/prepare.js';
import type { Rng } from '../random/rng.js';
import type { Backend } from '../engine/backend.js';
import type { Tensor } from '../engine/tensor.js';
import type { Model } from '../nn/model.js';
import { applyPenalty, proximalL1, type Regularization } from '../nn/regularizers/penalty.js';
import type { Optimizer } from '../optim/optimizers/optimizer.js';
import type { PlannedSchedule } from '../optim/schedules/index.js';
import { paramRefs } from './checkpoint.js';
import { modeOf, watch, type EarlyStoppingConfig, type WatchState } from './early-stopping.js';
import { correct, evaluate, evaluateRegression } from './metrics.js';
import { normColumns, normLog } from './norms.js';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  earlyStopping?: EarlyStoppingConfig;
  /** Opt-in columns of curve.csv: per-layer gradient and weight norms. */
  log?: { norms: boolean };
}

/** One row of curve.csv. */
export interface EpochRecord {
  epoch: number;
  /** The learning rate of the epoch's first update. */
  lr: number;
  /** Data loss, mean over the epoch's batches weighted by their size. */
  train_loss: number;
  /** The weight penalty λ1Σ|w| + λ2Σw², mean over the epoch's batches. */
  penalty: number;
  /** Classification only. */
  train_acc?: number;
  val_loss: number;
  /** Classification only. */
  val_acc?: number;
  /** Regression only, in the target's units: mean absolute error, root mean squared error, R². */
  val_mae?: number;
  val_rmse?: number;
  val_r2?: number;
  /** The training pass alone (batches, forward, backward, updates), as benchmarks time an epoch. */
  train_seconds: number;
  /** The whole epoch, validation included. */
  seconds: number;
  /** Opt-in columns after the standard ones (train.log: per-layer norms), by column name. */
  extra?: Record<string, number>;
}

/** An epoch interrupted part-way: enough to redo its shuffle and go on from the next batch. */
export interface PartialEpoch {
  epoch: number;
  /** Batches done. */
  batch: number;
  lr: number;
  lossSum: number;
  penaltySum: number;
  hits: number;
  seen: number;
  /** The shuffle stream's state before this epoch's permutation was drawn. */
  shuffleState: number[];
  /** train.log.norms: per-layer sums of the batches' gradient norms so far. */
  gradNormSums?: number[];
}

export interface TrainingState extends WatchState {
  /** Epochs completed. */
  epoch: number;
  /** Updates done (the schedule's step when it counts updates). */
  step: number;
  partial?: PartialEpoch;
  /** Set when training ended: all epochs done, or early stopping. */
  stopped?: { epoch: number; reason: 'finished' | 'early-stopping' | 'pruned' };
}

export function freshState(): TrainingState {
  return { epoch: 0, step: 0, wait: 0 };
}

export interface BatchProgress {
  epoch: number;
  batch: number;
  batches: number;
  /** Running means over the epoch so far. */
  loss: number;
  accuracy: number;
  samples: number;
}

export interface TrainEvents {
  runStart?(info: { firstEpoch: number; epochs: number; batchesPerEpoch: number }): void | Promise<void>;
  batchEnd?(progress: BatchProgress): void;
  /** The epoch is the new best of the monitored column; emitted before its epochEnd. */
  best?(record: EpochRecord, state: TrainingState): void | Promise<void>;
  epochEnd?(record: EpochRecord, info: { isBest: boolean; state: TrainingState }): void | Promise<void>;
  /**
   * Asked after each epoch that would not end training anyway, before the epoch is written:
   * true ends training after it (a sweep's pruner), recorded as stopped with reason 'pruned'.
   */
  prune?(record: EpochRecord, state: TrainingState): boolean | Promise<boolean>;
  /** Ctrl-C: the state holds the partial epoch; after the listeners, train() throws. */
  interrupted?(state: TrainingState): void | Promise<void>;
  stop?(state: TrainingState): void | Promise<void>;
}

export interface TrainArgs {
  model: Model;
  optimizer: Optimizer;
  schedule: PlannedSchedule;
  regularization: Regularization;
  data: PreparedData;
  config: TrainConfig;
  shuffleRng: Rng;
  /** Gathers each batch's rows and applies the weight penalty (the model's backend); TypeScript when absent. */
  backend?: Backend;
  /** Changes each training batch in place (augmentation); never applied to val or test. */
  augment?: (batch: Tensor) => void;
  /** Where training starts (freshState() for a new run); updated as it goes. */
  state: TrainingState;
  signal?: AbortSignal;
  events: readonly TrainEvents[];
}

/** Lets SIGINT and timers run between batches; results never depend on when it happens. */
async function yieldNow(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

function monitored(record: EpochRecord, monitor: Exclude<keyof EpochRecord, 'extra'>): number {
  const value = record[monitor];
  // the run layer refuses a monitor the task lacks before training starts
  if (value === undefined) throw new Error(`curve column ${monitor} is not computed for this task`);
  return value;
}

export async function train(args: TrainArgs): Promise<TrainingState> {
  const { model, optimizer, schedule, data, config, state, events, regularization } = args;
  const refs = paramRefs(model);
  const params = model.params.map((p) => ({ value: p.value.data, grad: p.grad.data, penalized: p.penalized }));
  // per-epoch schedules count epochs from 0, per-update ones count updates from 0
  const lrAt = (epoch: number) => schedule.lr(schedule.per === 'epoch' ? epoch - 1 : state.step);
  const stopping = config.earlyStopping;
  const monitor = stopping?.monitor ?? 'val_loss';
  const mode = modeOf(monitor, stopping?.mode ?? 'auto');
  const rows = data.train.y.length;
  const batchesPerEpoch = Math.ceil(rows / config.batchSize);
  const norms = config.log?.norms ? normLog(model) : undefined;
  const backend = args.backend;
  const penalize = backend && ((w: Float32Array, g: Float32Array, l2: number, sums: Float64Array) => backend.penalize(w, g, l2, sums));
  const emit = async <K extends keyof TrainEvents>(name: K, ...payload: Parameters<NonNullable<TrainEvents[K]>>) => {
    for (const e of events) await (e[name] as ((...a: unknown[]) => unknown) | undefined)?.(...payload);
  };

  if (state.stopped) return state;
  await emit('runStart', { firstEpoch: state.partial?.epoch ?? state.epoch + 1, epochs: config.epochs, batchesPerEpoch });
  for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    let lastYield = started;
    const resumed = state.partial?.epoch === epoch ? state.partial : undefined;
    if (resumed) args.shuffleRng.setState(resumed.shuffleState);
    const shuffleState = [...args.shuffleRng.state];
    const order = epochOrder(rows, config.shuffle ? args.shuffleRng : undefined);
    const epochLr = resumed?.lr ?? lrAt(epoch);
    let { lossSum, penaltySum, hits, seen, batch } = resumed ?? { lossSum: 0, penaltySum: 0, hits: 0, seen: 0, batch: 0 };
    const gradNormSums = norms ? [...(resumed?.gradNormSums ?? norms.layers.map(() => 0))] : undefined;
    state.partial = undefined;
    for (const b of batches(data.train, data.sampleShape, order.subarray(batch * config.batchSize), config.batchSize, args.backend)) {
      if (performance.now() - lastYield > 50) {
        await yieldNow();
        lastYield = performance.now();
      }
      if (args.signal?.aborted) {
        state.partial = { epoch, batch, lr: epochLr, lossSum, penaltySum, hits, seen, shuffleState, ...(gradNormSums && { gradNormSums }) };
        await emit('interrupted', state);
        throw new InterruptedError(`interrupted during epoch ${epoch} (after batch ${batch} of ${batchesPerEpoch})`);
      }
      batch++;
      args.augment?.(b.x);
      const lr = lrAt(epoch);
      const { loss, logits } = model.lossAndGradients(b.x, b.y);
      if (!Number.isFinite(loss)) {
        throw new DivergedError(`training diverged: the loss became ${loss} in epoch ${epoch}, batch ${batch} of ${batchesPerEpoch}, at learning rate ${lr}`);
      }
      if (norms && gradNormSums) norms.gradients().forEach((g, j) => (gradNormSums[j] += g));
      penaltySum += applyPenalty(params, regularization, penalize) * b.y.length;
      optimizer.step(refs, lr, state.step + 1);
      proximalL1(params, regularization, lr);
      state.step++;
      lossSum += loss * b.y.length;
      hits += correct(logits, b.y);
      seen += b.y.length;
      for (const e of events) e.batchEnd?.({ epoch, batch, batches: batchesPerEpoch, loss: lossSum / seen, accuracy: hits / seen, samples: seen });
    }
    const trainSeconds = (performance.now() - started) / 1000;
    const r = data.regression;
    const val = r ? evaluateRegression(model, data.val, data.sampleShape, r) : evaluate(model, data.val, data.sampleShape);
    if (!Number.isFinite(val.loss)) {
      throw new DivergedError(`training diverged: the validation loss became ${val.loss} after epoch ${epoch}, at learning rate ${epochLr}`);
    }
    const record: EpochRecord = {
      epoch,
      lr: epochLr,
      train_loss: lossSum / seen,
      penalty: penaltySum / seen,
      ...('accuracy' in val ? { train_acc: hits / seen } : {}),
      val_loss: val.loss,
      ...('accuracy' in val ? { val_acc: val.accuracy } : { val_mae: val.mae, val_rmse: val.rmse, val_r2: val.r2 }),
      train_seconds: trainSeconds,
      seconds: (performance.now() - started) / 1000,
      ...(norms && gradNormSums && { extra: normColumns(norms, gradNormSums.map((g) => g / batch), norms.weights()) }),
    };
    state.epoch = epoch;
    const { isBest, stop } = watch(state, epoch, monitored(record, monitor), monitor, mode, stopping?.minDelta ?? 0, stopping?.patience);
    if (stop) state.stopped = { epoch, reason: 'early-stopping' };
    else if (epoch === config.epochs) state.stopped = { epoch, reason: 'finished' };
    else {
      for (const e of events) if (e.prune && (await e.prune(record, state))) state.stopped = { epoch, reason: 'pruned' };
    }
    if (isBest) await emit('best', record, state);
    await emit('epochEnd', record, { isBest, state });
    if (state.stopped) break;
  }
  if (state.stopped) await emit('stop', state);
  return state;
}
