// Pruning from per-epoch values: the median rule (Golovin et al. 2017, Google Vizier,
// https://research.google/pubs/pub46180/) and asynchronous successive halving (Li et al. 2018,
// https://arxiv.org/abs/1810.05934), in Optuna's forms. Pure: curves in, a decision out.
//
// Both compare a trial with earlier-numbered trials only, at the same epoch, and the caller
// decides once every earlier trial has reached that epoch or ended: so a decision never depends
// on which trial happened to run faster, nor on the number of workers.
import * as z from 'zod';
import { count, strictObject } from '../common/schema.js';

export const prunerSchema = z.discriminatedUnion('type', [
  strictObject({ type: z.literal('none') }),
  strictObject({
    type: z.literal('median'),
    /** Earlier trials needed before anything is pruned. */
    startupTrials: z.number().int().min(0).default(5),
    /** Epochs of every trial that are never pruned. */
    warmupEpochs: z.number().int().min(0).default(0),
  }),
  strictObject({
    type: z.literal('asha'),
    /** The first rung: epochs a trial always gets. */
    minEpochs: count().default(1),
    /** Rungs at minEpochs·η^k; the best 1/η of a rung go on. */
    reductionFactor: z.number().int().min(2).default(3),
  }),
]);
export type PrunerConfig = z.output<typeof prunerSchema>;

/** A trial's objective per epoch, index e − 1 for epoch e, oriented so that lower is better. */
export type Curve = readonly number[];

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Epochs where successive halving decides: minEpochs·η^k. */
export function isRung(config: Extract<PrunerConfig, { type: 'asha' }>, epoch: number): boolean {
  for (let r = config.minEpochs; r <= epoch; r *= config.reductionFactor) if (r === epoch) return true;
  return false;
}

/** The epochs at which `shouldPrune` may say yes (so the caller knows when to wait for others). */
export function decidesAt(config: PrunerConfig, epoch: number): boolean {
  if (config.type === 'none') return false;
  if (config.type === 'median') return epoch > config.warmupEpochs;
  return isRung(config, epoch);
}

/**
 * Whether the trial whose curve so far is `mine` (epochs 1..epoch) stops after `epoch`.
 * `earlier`: the curves of every earlier-numbered trial that did not fail, each as far as it got.
 */
export function shouldPrune(config: PrunerConfig, epoch: number, mine: Curve, earlier: readonly Curve[]): boolean {
  if (!decidesAt(config, epoch) || mine.length < epoch) return false;
  const atEpoch = earlier.filter((c) => c.length >= epoch).map((c) => c[epoch - 1]);
  if (config.type === 'median') {
    // Optuna's MedianPruner: the trial's best so far against the median of the others at this epoch
    if (earlier.length < config.startupTrials || atEpoch.length === 0) return false;
    const best = Math.min(...mine.slice(0, epoch));
    return best > median(atEpoch);
  }
  if (config.type !== 'asha') return false;
  // Optuna's SuccessiveHalvingPruner: promoted when among the best ⌊n/η⌋ of the rung (n counts itself)
  const rung = [...atEpoch, mine[epoch - 1]].sort((a, b) => a - b);
  const k = Math.max(Math.floor(rung.length / config.reductionFactor) - 1, 0);
  return mine[epoch - 1] > rung[k];
}
