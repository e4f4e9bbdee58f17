// The Tree-structured Parzen Estimator (Bergstra et al. 2011,
// https://papers.nips.cc/paper/4443-algorithms-for-hyper-parameter-optimization) for one
// parameter, as Optuna 3.1's independent TPESampler with its defaults
// (https://github.com/optuna/optuna/blob/v3.1.0/optuna/samplers/_tpe/sampler.py): split the
// history into the best γ(n) trials and the rest, fit l(x) to the first and g(x) to the second,
// draw candidates from l and keep the one with the largest l(x)/g(x). Pure: history and a random
// stream in, an internal number out.
import type { Rng } from '../random/rng.js';
import { sampleUniform, snap, type Distribution } from './distribution.js';
import { buildEstimator, logPdf, sampleEstimator } from './parzen-estimator.js';

export interface TpeObservation {
  x: number; // internal number (categorical: index)
  state: 'complete' | 'pruned' | 'pending';
  value: number; // to MINIMIZE (caller negates for max); complete: objective;
  // pruned: last reported intermediate value; pending: ignored
  step: number; // pruned: last reported step (epoch); else ignored
}

export interface TpeOptions {
  startupTrials: number;
  candidates: number;
  priorWeight: number;
  gamma(n: number): number;
  weights(n: number): number[];
  constantLiar: boolean;
}

/** Optuna's default_gamma: the best 10 %, rounded up, at most 25. */
export function defaultGamma(n: number): number {
  return Math.min(Math.ceil(0.1 * n), 25);
}

/** Optuna's default_weights: flat below 25 observations; beyond, the oldest n − 25 ramp up from 1/n. */
export function defaultWeights(n: number): number[] {
  if (n < 25) return new Array<number>(n).fill(1);
  // numpy.linspace(1/n, 1, n − 25): start + i·step, the last point exactly 1
  const num = n - 25;
  const step = num > 1 ? (1 - 1 / n) / (num - 1) : 0;
  const ramp = Array.from({ length: num }, (_, i) => (num > 1 && i === num - 1 ? 1 : i * step + 1 / n));
  return [...ramp, ...new Array<number>(25).fill(1)];
}

export const tpeDefaults: TpeOptions = {
  startupTrials: 10,
  candidates: 24,
  priorWeight: 1,
  gamma: defaultGamma,
  weights: defaultWeights,
  constantLiar: true,
};

/** Subtraction that treats equal infinities as equal (−∞ − −∞ would be NaN). */
function sub(a: number, b: number): number {
  return a === b ? 0 : a - b;
}

/**
 * Optuna's ranking key, compared lexicographically: complete trials by value, then pruned
 * trials by the step they reached (later first) and value, then pending trials (constant liars:
 * worse than anything). NaN counts as +∞.
 */
function rankKey(o: TpeObservation): [number, number] {
  const value = Number.isNaN(o.value) ? Infinity : o.value;
  if (o.state === 'complete') return [-Infinity, value];
  if (o.state === 'pruned') return [-o.step, value];
  return [Infinity, Infinity];
}

/**
 * The observations l(x) and g(x) are fitted to, oldest first (the weights ramp by age): the
 * best γ(n) of the ranking below, the rest above; n counts complete and pruned trials.
 */
export function splitHistory(history: readonly TpeObservation[], options: TpeOptions): { below: number[]; above: number[] } {
  const used = history.filter((o) => o.state !== 'pending' || options.constantLiar);
  const n = used.filter((o) => o.state !== 'pending').length;
  const keys = used.map(rankKey);
  // ties keep the older trial first (numpy's stable argsort)
  const ranked = used.map((_, i) => i).sort((i, j) => sub(keys[i][0], keys[j][0]) || sub(keys[i][1], keys[j][1]) || i - j);
  const nBelow = options.gamma(n);
  const isBelow = new Array<boolean>(used.length).fill(false);
  for (const i of ranked.slice(0, nBelow)) isBelow[i] = true;
  return {
    below: used.filter((_, i) => isBelow[i]).map((o) => o.x),
    above: used.filter((_, i) => !isBelow[i]).map((o) => o.x),
  };
}

/** The next value of one parameter, an internal number on dist's grid. Deterministic given rng's state. */
export function tpeSuggest(dist: Distribution, history: readonly TpeObservation[], rng: Rng, options?: Partial<TpeOptions>): number {
  const o: TpeOptions = { ...tpeDefaults, ...options };
  // a single possible value: no draw (Optuna does not ask its sampler either), and no zero-width kernels
  if (dist.kind === 'categorical' ? dist.choices.length === 1 : snap(dist, dist.high) === dist.low) {
    return dist.kind === 'categorical' ? 0 : dist.low;
  }
  const n = history.filter((h) => h.state !== 'pending').length;
  if (n < o.startupTrials) return sampleUniform(dist, rng);
  const { below, above } = splitHistory(history, o);
  const l = buildEstimator(dist, below, o);
  const g = buildEstimator(dist, above, o);
  const candidates = sampleEstimator(l, dist, rng, o.candidates);
  let best = candidates[0];
  let bestScore = -Infinity;
  for (const x of candidates) {
    const score = sub(logPdf(l, dist, x), logPdf(g, dist, x));
    // the first of equal scores, as numpy's argmax
    if (score > bestScore) {
      best = x;
      bestScore = score;
    }
  }
  return best;
}
