// The run folder's writers, subscribed to the training loop's events: curve.csv, checkpoints
// and metrics.json, in an order that lets a crash at any point resume without duplicate rows or
// a stale best — best checkpoint (the best event), then curve.csv, last checkpoint, metrics.json.
import { rename } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { writeFileAtomic, writeFilesAtomic } from '../common/atomic.js';
import type { Rng } from '../random/rng.js';
import type { Model } from '../nn/model.js';
import type { Optimizer } from '../optim/optimizers/optimizer.js';
import { checkpointBytes, saveCheckpoint } from '../train/checkpoint.js';
import type { EpochRecord, TrainEvents, TrainingState } from '../train/loop.js';
import { columnsOf, files } from './layout.js';
import { curveRow, type RunMetrics } from './run-folder.js';

/** The header line, then a row per epoch (the header also when there is no row yet); opt-in
 * columns (a record's `extra`, train.log) follow the standard ones, in the first row's order. */
/** Each record's CSV line under the header it was written with: curve.csv is written whole after
 * every epoch, and stringifying every row again made a long run's writes quadratic (1.6 s of a
 * 600-epoch run's 9 s). A line is reused only under the same header. */
const lines = new WeakMap<EpochRecord, { header: string; line: string }>();

export function curveCsv(rows: readonly EpochRecord[]): string {
  const flat = rows.map(curveRow);
  const columns = columnsOf(flat);
  const header = columns.join(',');
  let text = `${header}\n`;
  rows.forEach((record, i) => {
    let known = lines.get(record);
    if (known?.header !== header) {
      known = { header, line: stringify([columns.map((c) => flat[i][c])]) };
      lines.set(record, known);
    }
    text += known.line;
  });
  return text;
}

export const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

export interface FolderState {
  /** Where files go now: the staging folder until the first write that makes the run real. */
  dir: string;
  /** The run's real folder; staging is renamed to it. */
  readonly runDir: string;
  promoted: boolean;
}

export async function promote(folder: FolderState): Promise<void> {
  if (folder.promoted) return;
  await rename(folder.dir, folder.runDir);
  folder.dir = folder.runDir;
  folder.promoted = true;
}

export interface WriterContext {
  folder: FolderState;
  model: Model;
  optimizer: Optimizer;
  rngs: Record<string, Rng>;
  /** Strings for checkpoints' __metadata__. */
  metadata: Record<string, string>;
  /** curve.csv so far (epochs before a resume), extended in place. */
  curve: EpochRecord[];
  /** metrics.json so far, updated in place. */
  metrics: RunMetrics;
  /**
   * Seconds between writes of the epoch's files (a sweep trial's); absent or 0: after every epoch.
   * Any epoch's checkpoint continues the run exactly, so a run killed between writes redoes those
   * epochs to the same bytes; the last epoch, a stop and Ctrl-C are always written.
   */
  writeEvery?: number;
}

export function bestSummary(curve: readonly EpochRecord[], state: TrainingState): RunMetrics['best'] {
  if (!state.best) return undefined;
  const row = curve.find((r) => r.epoch === state.best!.epoch);
  if (row?.val_r2 !== undefined) return { ...state.best, val_loss: row.val_loss, val_mae: row.val_mae, val_rmse: row.val_rmse, val_r2: row.val_r2 };
  return { ...state.best, val_loss: row?.val_loss ?? NaN, val_acc: row?.val_acc ?? NaN };
}

export async function writeMetrics(ctx: WriterContext): Promise<void> {
  await writeFileAtomic(join(ctx.folder.dir, files.metrics), json(ctx.metrics));
}

export async function writeLast(ctx: WriterContext, state: TrainingState): Promise<void> {
  const { model, optimizer, rngs, metadata } = ctx;
  await saveCheckpoint(join(ctx.folder.dir, files.lastCheckpoint), { model, optimizer, rngs, state, metadata });
}

export function runWriters(ctx: WriterContext): TrainEvents {
  const dir = () => ctx.folder.dir;
  const parts = (state: TrainingState) => ({ model: ctx.model, optimizer: ctx.optimizer, rngs: ctx.rngs, state, metadata: ctx.metadata });
  // the best checkpoint's bytes wait for the epoch's other files, all flushed to disk at once
  let best: Uint8Array | undefined;
  // epochs trained since the last write (writeEvery), and when that write was
  let pending: EpochRecord[] = [];
  let wroteAt = performance.now();
  const write = async (curve: EpochRecord[], state: TrainingState, metrics: RunMetrics) => {
    const bestBytes = best;
    best = undefined;
    await writeFilesAtomic([
      ...(bestBytes ? [[join(dir(), files.bestCheckpoint), bestBytes] as const] : []),
      ...(pending.length > 0 ? [[join(dir(), files.curve), curveCsv(curve)] as const] : []),
      [join(dir(), files.lastCheckpoint), checkpointBytes(parts(state))],
      [join(dir(), files.metrics), json(metrics)],
    ]);
    // the run's state in memory moves on only once its files have (a failed write, e.g. a full
    // disk, leaves both at the last epoch written)
    ctx.curve.push(...pending);
    pending = [];
    Object.assign(ctx.metrics, metrics);
    wroteAt = performance.now();
    await promote(ctx.folder);
  };
  return {
    best(_record, state) {
      best = checkpointBytes(parts(state));
    },
    async epochEnd(record, { state }) {
      pending.push(record);
      if (!state.stopped && ctx.writeEvery && performance.now() - wroteAt < ctx.writeEvery * 1000) return;
      const curve = [...ctx.curve, ...pending];
      // a stopped run becomes finished only once its end (finishRun) is written
      await write(curve, state, { ...ctx.metrics, status: 'running', epochs: record.epoch, final: record, best: bestSummary(curve, state) });
    },
    async interrupted(state) {
      // a checkpoint in the middle of the epoch, which resume continues from, with the epochs
      // trained since the last write
      const curve = [...ctx.curve, ...pending];
      const last = pending.at(-1);
      await write(curve, state, { ...ctx.metrics, status: 'interrupted', ...(last && { epochs: last.epoch, final: last, best: bestSummary(curve, state) }) });
    },
  };
}
