// The `sweep:` section of a spec: how to search, how long, what to optimize. Its `params`
// mapping is parsed by space.ts, which keeps positions for messages.
import * as z from 'zod';
import { count, strictObject } from '../common/schema.js';
import { prunerSchema } from './pruners.js';

export const methods = ['grid', 'random', 'tpe'] as const;

export const sweepSchema = strictObject({
  /** grid: every combination; random: independent draws; tpe: Bergstra et al. 2011. */
  method: z.enum(methods).default('random'),
  /** The total trial budget (grid: default and maximum, the grid's size). */
  trials: count().max(100_000).optional(),
  /** The sampler's seed (default: the spec's seed); trial seeds derive from it and the trial number. */
  seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  /** A curve.csv column; the objective is its value at the trial's best epoch. */
  metric: z.string().default('val_loss'),
  /** min or max; auto: max for accuracies (…acc…), min otherwise. */
  mode: z.enum(['auto', 'min', 'max']).default('auto'),
  /** k-fold cross-validation: each trial trains k folds; the objective is their mean. */
  folds: z.number().int().min(2).max(100).optional(),
  /** Trials in parallel, each in its own process (default 1). */
  workers: count().max(64).default(1),
  /**
   * reuse: a worker's process runs its next trial once a trial ended well (saves Node's start-up,
   * ~0.4 s of CPU a trial); fresh: a new process for every trial. Results are the same.
   */
  processes: z.enum(['reuse', 'fresh']).default('reuse'),
  /**
   * Seconds between a trial's writes of its epochs' files (checkpoint, curve.csv, metrics.json);
   * 0: after every epoch. The last epoch, a pruned one and Ctrl-C are always written; a trial
   * killed in between resumes from its last write and redoes those epochs to the same bytes.
   */
  writeEvery: z.number().min(0).max(3600).default(1),
  pruner: z.preprocess((v) => (typeof v === 'string' ? { type: v } : v), prunerSchema).default({ type: 'none' }),
  /** At the end, the ensemble of the best `top` trials (averaged probabilities). */
  ensemble: strictObject({ top: z.number().int().min(2).max(100) }).optional(),
  /** A trial whose process crashed is started again up to this many times. */
  retries: z.number().int().min(0).max(10).default(1),
  /** TPE's settings (Optuna's defaults). */
  tpe: strictObject({
    startupTrials: z.number().int().min(1).default(10),
    candidates: count().default(24),
  }).prefault({}),
  /** Dotted spec path → distribution. */
  params: z.record(z.string(), z.unknown()),
});
export type SweepSettings = z.output<typeof sweepSchema>;
