// One searched value's distribution, and drawing from it uniformly (random search, and TPE's
// start-up trials). Pure: a random stream in, a value out.
import type { Rng } from '../random/rng.js';

/** A real in [low, high]; on a log scale when `log`; a multiple of `step` above `low` when given. */
export interface FloatDist {
  kind: 'float';
  low: number;
  high: number;
  log: boolean;
  step?: number;
}

/** A whole number in [low, high]; on a log scale when `log`; `step` (default 1) apart from `low`. */
export interface IntDist {
  kind: 'int';
  low: number;
  high: number;
  log: boolean;
  step: number;
}

/** One of `choices` (any YAML values); a sampler draws the index. */
export interface CategoricalDist {
  kind: 'categorical';
  choices: readonly unknown[];
}

export type Distribution = FloatDist | IntDist | CategoricalDist;

/**
 * A distribution's internal number: the value itself for float and int, the index for a
 * categorical. Samplers work on internal numbers; `external` turns one into the spec's value.
 */
export function external(dist: Distribution, x: number): unknown {
  return dist.kind === 'categorical' ? dist.choices[x] : x;
}

/** Snaps a number into the distribution's range and onto its step grid (ints are whole). */
export function snap(dist: FloatDist | IntDist, x: number): number {
  const { low, high } = dist;
  let v = Math.min(high, Math.max(low, x));
  if (dist.step !== undefined) {
    const k = Math.round((v - low) / dist.step);
    v = Math.min(high, low + k * dist.step);
    // a step that does not divide the range: the last grid point, not high itself
    if (v > high) v = low + Math.floor((high - low) / dist.step) * dist.step;
  }
  if (dist.kind === 'int') v = Math.round(v);
  return v;
}

/** A uniform draw: uniform on the (log) scale, then snapped; a categorical index uniform. */
export function sampleUniform(dist: Distribution, rng: Rng): number {
  if (dist.kind === 'categorical') return rng.int(dist.choices.length);
  if (dist.kind === 'int' && !dist.log) {
    // every grid point equally likely
    const n = Math.floor((dist.high - dist.low) / dist.step) + 1;
    return dist.low + rng.int(n) * dist.step;
  }
  const u = rng.uniform();
  if (dist.log) {
    // ints on a log scale: widen by half a step each side so the end points get their share
    const half = dist.kind === 'int' ? 0.5 : 0;
    const lo = Math.log(dist.low - half);
    const hi = Math.log(dist.high + half);
    return snap(dist, Math.exp(lo + u * (hi - lo)));
  }
  return snap(dist, dist.low + u * (dist.high - dist.low));
}
