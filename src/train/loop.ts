// The training loop. It owns no files and prints nothing: it emits events (run start, batch
// end, epoch end) that the run layer's writers and the CLI's progress display subscribe to.
import { DivergedError, InterruptedError } from '../common/errors.js';
import { batches, epochOrder } from '../data/batches.js';
import type { PreparedData } from '../data/prepare.js';
import type { Rng } from '../engine/rng.js';
import type { Model } from '../nn/model.js';
import type { Optimizer } from '../optim/optimizers/optimizer.js';
import type { PlannedSchedule } from '../optim/schedules/index.js';
import { addL2Gradient, penaltyValue, proximalL1, type Regularization } from '../nn/regularizers/penalty.js';
import { paramRefs, type TrainingState } from './checkpoint.js';
import { correct, evaluate } from './metrics.js';

export interface TrainConfig {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
}

/** One row of curve.csv. */
export interface EpochRecord {
  epoch: number;
  lr: number;
  /** Data loss, mean over the epoch's batches weighted by their size. */
  train_loss: number;
  /** The weight penalty λ1Σ|w| + λ2Σw², mean over the epoch's batches. */
  penalty: number;
  train_acc: number;
  val_loss: number;
  val_acc: number;
  seconds: number;
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
  epochEnd?(record: EpochRecord, info: { isBest: boolean; state: TrainingState }): void | Promise<void>;
}

export interface TrainArgs {
  model: Model;
  optimizer: Optimizer;
  schedule: PlannedSchedule;
  regularization: Regularization;
  data: PreparedData;
  config: TrainConfig;
  shuffleRng: Rng;
  /** Where training starts (epoch 0 for a new run); updated as it goes. */
  state: TrainingState;
  signal?: AbortSignal;
  events: readonly TrainEvents[];
}

/** Lets SIGINT and timers run between batches; results never depend on when it happens. */
async function yieldNow(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

export async function train(args: TrainArgs): Promise<TrainingState> {
  const { model, optimizer, schedule, data, config, state, events, regularization } = args;
  const refs = paramRefs(model);
  const params = model.params.map((p) => ({ value: p.value.data, grad: p.grad.data, penalized: p.penalized }));
  // per-epoch schedules count epochs from 0, per-update ones count updates from 0
  const lrAt = (epoch: number) => schedule.lr(schedule.per === 'epoch' ? epoch - 1 : state.step);
  const rows = data.train.y.length;
  const batchesPerEpoch = Math.ceil(rows / config.batchSize);
  for (const e of events) await e.runStart?.({ firstEpoch: state.epoch + 1, epochs: config.epochs, batchesPerEpoch });
  for (let epoch = state.epoch + 1; epoch <= config.epochs; epoch++) {
    const started = performance.now();
    let lastYield = started;
    const order = epochOrder(rows, config.shuffle ? args.shuffleRng : undefined);
    const epochLr = lrAt(epoch);
    let lossSum = 0;
    let penaltySum = 0;
    let hits = 0;
    let seen = 0;
    let batch = 0;
    for (const b of batches(data.train, data.sampleShape, order, config.batchSize)) {
      if (performance.now() - lastYield > 50) {
        await yieldNow();
        lastYield = performance.now();
      }
      if (args.signal?.aborted) throw new InterruptedError(`interrupted during epoch ${epoch}`);
      batch++;
      const lr = lrAt(epoch);
      const { loss, logits } = model.lossAndGradients(b.x, b.y);
      penaltySum += penaltyValue(params, regularization) * b.y.length;
      addL2Gradient(params, regularization);
      if (!Number.isFinite(loss)) {
        throw new DivergedError(`training diverged: the loss became ${loss} in epoch ${epoch}, batch ${batch} of ${batchesPerEpoch}, at learning rate ${lr}`);
      }
      optimizer.step(refs, lr, state.step + 1);
      proximalL1(params, regularization, lr);
      state.step++;
      lossSum += loss * b.y.length;
      hits += correct(logits, b.y);
      seen += b.y.length;
      for (const e of events) e.batchEnd?.({ epoch, batch, batches: batchesPerEpoch, loss: lossSum / seen, accuracy: hits / seen, samples: seen });
    }
    const val = evaluate(model, data.val, data.sampleShape);
    if (!Number.isFinite(val.loss)) {
      throw new DivergedError(`training diverged: the validation loss became ${val.loss} after epoch ${epoch}, at learning rate ${epochLr}`);
    }
    state.epoch = epoch;
    const isBest = state.best === undefined || val.loss < state.best.value;
    if (isBest) state.best = { epoch, monitor: 'val_loss', value: val.loss };
    const record: EpochRecord = {
      epoch,
      lr: epochLr,
      train_loss: lossSum / seen,
      penalty: penaltySum / seen,
      train_acc: hits / seen,
      val_loss: val.loss,
      val_acc: val.accuracy,
      seconds: (performance.now() - started) / 1000,
    };
    for (const e of events) await e.epochEnd?.(record, { isBest, state });
  }
  return state;
}
